//! `waypoint list` and `waypoint status`: the Gateways of class `istio-waypoint`, their
//! `Programmed` condition, the Deployment istiod made for each, and what uses each.

use futures::future::try_join_all;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Service;
use kube::api::{Api, ListParams};
use serde::Serialize;
use serde_json::json;

use super::*;
use crate::ambient::error::Result;
use crate::kube::{Connection, classify, namespace_labels};

#[derive(Debug, Clone, Serialize)]
pub struct Waypoint {
    pub namespace: String,
    pub name: String,
    /// `istio.io/waypoint-for`; unset means istiod's default, service.
    pub traffic_for: Option<String>,
    pub revision: Option<String>,
    pub programmed: Option<Condition>,
}

impl Waypoint {
    pub fn is_programmed(&self) -> bool {
        self.programmed.as_ref().is_some_and(|c| c.status == "True")
    }
}

/// The waypoints (Gateways of class istio-waypoint) in `namespace`, or everywhere with `None`,
/// sorted by namespace and name.
pub async fn list(conn: &Connection, namespace: Option<&str>) -> Result<Vec<Waypoint>> {
    let api = gateways(conn, namespace).await?;
    let scope = namespace.map_or("every namespace".into(), |ns| format!("namespace {ns}"));
    let items = api
        .list(&ListParams::default())
        .await
        .map_err(|e| classify(&conn.server, &format!("list Gateways in {scope}"), e))?
        .items;
    let mut waypoints: Vec<Waypoint> = items
        .into_iter()
        .filter(|g| g.data.pointer("/spec/gatewayClassName") == Some(&json!(WAYPOINT_CLASS)))
        .map(|g| {
            let label = |key: &str| g.metadata.labels.as_ref().and_then(|l| l.get(key)).cloned();
            Waypoint {
                namespace: g.metadata.namespace.clone().unwrap_or_default(),
                name: g.metadata.name.clone().unwrap_or_default(),
                traffic_for: label(WAYPOINT_FOR),
                revision: label(REVISION),
                programmed: condition(&g.data, "Programmed"),
            }
        })
        .collect();
    waypoints.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    Ok(waypoints)
}

/// A waypoint with what istiod made for it and what points at it.
#[derive(Debug, Clone, Serialize)]
pub struct WaypointStatus {
    #[serde(flatten)]
    pub waypoint: Waypoint,
    /// The Deployment istiod created for it: `None` when there is none (yet).
    pub deployment: Option<Replicas>,
    /// What names it with `istio.io/use-waypoint`: `Namespace/NAME`, `Service/NAME`.
    pub used_by: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Replicas {
    pub ready: i32,
    pub desired: i32,
}

impl WaypointStatus {
    /// Programmed, and its Deployment has every replica ready.
    pub fn healthy(&self) -> bool {
        self.waypoint.is_programmed()
            && self
                .deployment
                .is_some_and(|d| d.desired > 0 && d.ready >= d.desired)
    }
}

pub async fn status(conn: &Connection, namespace: Option<&str>) -> Result<Vec<WaypointStatus>> {
    let waypoints = list(conn, namespace).await?;
    try_join_all(waypoints.into_iter().map(|w| status_of(conn, w))).await
}

async fn status_of(conn: &Connection, waypoint: Waypoint) -> Result<WaypointStatus> {
    let ns = waypoint.namespace.clone();
    let deployments: Api<Deployment> = Api::namespaced(conn.client.clone(), &ns);
    let selector = format!("{GATEWAY_NAME}={}", waypoint.name);
    let deployment = deployments
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|e| classify(&conn.server, &format!("list Deployments in {ns}"), e))?
        .items
        .into_iter()
        .next()
        .map(|d| Replicas {
            ready: d.status.and_then(|s| s.ready_replicas).unwrap_or(0),
            desired: d.spec.and_then(|s| s.replicas).unwrap_or(1),
        });
    let mut used_by = Vec::new();
    let labels = namespace_labels(conn, &ns).await?.unwrap_or_default();
    if labels.get(USE_WAYPOINT) == Some(&waypoint.name) {
        used_by.push(format!("Namespace/{ns}"));
    }
    let services: Api<Service> = Api::namespaced(conn.client.clone(), &ns);
    let selector = format!("{USE_WAYPOINT}={}", waypoint.name);
    let named = services
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|e| classify(&conn.server, &format!("list Services in {ns}"), e))?;
    used_by.extend(
        named
            .items
            .into_iter()
            .filter_map(|s| s.metadata.name)
            .map(|n| format!("Service/{n}")),
    );
    Ok(WaypointStatus {
        waypoint,
        deployment,
        used_by,
    })
}
