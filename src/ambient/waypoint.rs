//! Waypoints as `istioctl waypoint` makes them: a Gateway API Gateway of class `istio-waypoint`
//! with the HBONE listener on 15008, which istiod turns into a waypoint Deployment and Service.
//! Applied with server-side apply, listed, inspected and deleted by name.

use std::time::Duration;

use futures::future::try_join_all;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Service;
use kube::api::{Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, ListParams};
use kube::runtime::wait::await_condition;
use serde::Serialize;
use serde_json::{Value, json};

use super::error::{Error, Result};
use crate::kube::{
    ApplyResult, Connection, apply_all, classify, namespace_labels, set_namespace_label,
};

pub const WAYPOINT_CLASS: &str = "istio-waypoint";
pub const WAYPOINT_FOR: &str = "istio.io/waypoint-for";
pub const USE_WAYPOINT: &str = "istio.io/use-waypoint";
pub const DATAPLANE_MODE: &str = "istio.io/dataplane-mode";
/// istiod labels what it deploys for a Gateway with the Gateway's name.
const GATEWAY_NAME: &str = "gateway.networking.k8s.io/gateway-name";
const REVISION: &str = "istio.io/rev";

/// What traffic a waypoint handles (`istio.io/waypoint-for`); unset, istiod's default (service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrafficType {
    Service,
    Workload,
    All,
    None,
}

impl std::fmt::Display for TrafficType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl TrafficType {
    fn label(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Workload => "workload",
            Self::All => "all",
            Self::None => "none",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub namespace: String,
    pub name: String,
    pub traffic: Option<TrafficType>,
    /// Label the namespace `istio.io/use-waypoint=<name>` once the waypoint is applied.
    pub enroll_namespace: bool,
    /// Replace a namespace's `istio.io/use-waypoint` that names another waypoint.
    pub overwrite: bool,
    /// Wait up to this long for the Gateway's Programmed condition.
    pub wait: Option<Duration>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplyReport {
    pub namespace: String,
    pub name: String,
    pub result: ApplyResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_for: Option<TrafficType>,
    /// Whether it was seen Programmed; `None` when not waited for.
    pub programmed: Option<bool>,
    /// The namespace label set with `--enroll-namespace`, as `key=value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrolled: Option<String>,
    pub warnings: Vec<String>,
}

/// The Gateway `apply` sends: what `istioctl waypoint generate` prints.
pub fn gateway_object(namespace: &str, name: &str, traffic: Option<TrafficType>) -> Value {
    let mut object = json!({
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "gatewayClassName": WAYPOINT_CLASS,
            "listeners": [{"name": "mesh", "port": 15008, "protocol": "HBONE"}],
        },
    });
    if let Some(traffic) = traffic {
        object["metadata"]["labels"] = json!({WAYPOINT_FOR: traffic.label()});
    }
    object
}

/// Applies the waypoint, waits for it when asked, then enrols the namespace when asked (after
/// the waypoint exists, so no Service points at a waypoint that is not there).
pub async fn apply(conn: &Connection, opts: &ApplyOptions) -> Result<ApplyReport> {
    let ns = &opts.namespace;
    if opts.name == "none" {
        return Err(Error::ReservedName);
    }
    let labels = namespace_labels(conn, ns)
        .await?
        .ok_or_else(|| Error::NoNamespace {
            namespace: ns.clone(),
        })?;
    let mut warnings = Vec::new();
    if opts.enroll_namespace {
        if let Some(existing) = labels.get(USE_WAYPOINT).filter(|v| **v != opts.name)
            && !opts.overwrite
        {
            return Err(Error::LabelConflict {
                namespace: ns.clone(),
                existing: format!("{USE_WAYPOINT}={existing}"),
                wanted: format!("{USE_WAYPOINT}={}", opts.name),
                flag: "--overwrite",
            });
        }
        if labels.get(DATAPLANE_MODE).map(String::as_str) != Some("ambient") {
            warnings.push(format!(
                "namespace {ns} is not enrolled in ambient: its pods' traffic reaches the waypoint \
                 only once it is (`meshctl inject --mode ambient -n {ns}`)"
            ));
        }
    }
    let object = gateway_object(ns, &opts.name, opts.traffic);
    let outcome = apply_all(conn, &[object], false)
        .await?
        .pop()
        .ok_or_else(|| Error::NoGatewayApi {
            namespace: ns.clone(),
        })?;
    match outcome.result {
        ApplyResult::Skipped => {
            return Err(Error::NoGatewayApi {
                namespace: ns.clone(),
            });
        }
        ApplyResult::Rejected => {
            return Err(Error::Rejected {
                namespace: ns.clone(),
                name: opts.name.clone(),
                reason: outcome.reason.unwrap_or_default(),
            });
        }
        _ => {}
    }
    let programmed = match opts.wait {
        Some(timeout) => {
            wait_programmed(conn, ns, &opts.name, timeout).await?;
            Some(true)
        }
        None => None,
    };
    let enrolled = if opts.enroll_namespace {
        set_namespace_label(conn, ns, (USE_WAYPOINT, &opts.name)).await?;
        Some(format!("{USE_WAYPOINT}={}", opts.name))
    } else {
        None
    };
    Ok(ApplyReport {
        namespace: ns.clone(),
        name: opts.name.clone(),
        result: outcome.result,
        traffic_for: opts.traffic,
        programmed,
        enrolled,
        warnings,
    })
}

/// Waits (a watch, bounded) until istiod reports the Gateway Programmed.
pub async fn wait_programmed(
    conn: &Connection,
    namespace: &str,
    name: &str,
    timeout: Duration,
) -> Result<()> {
    let api = gateways(conn, Some(namespace)).await?;
    let done = await_condition(api.clone(), name, |gw: Option<&DynamicObject>| {
        gw.and_then(|g| condition(&g.data, "Programmed"))
            .is_some_and(|c| c.status == "True")
    });
    match tokio::time::timeout(timeout, done).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(source)) => Err(crate::kube::Error::Watch {
            what: format!("Gateway/{namespace}/{name}"),
            source,
        }
        .into()),
        Err(_) => {
            // Say what istiod last said, if anything.
            let last = api
                .get_opt(name)
                .await
                .ok()
                .flatten()
                .and_then(|g| condition(&g.data, "Programmed"))
                .map(|c| format!("{}: {}", c.reason, c.message));
            Err(Error::NotProgrammed {
                namespace: namespace.to_string(),
                name: name.to_string(),
                after: timeout,
                reason: last,
            })
        }
    }
}

/// One condition of a Gateway's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub status: String,
    pub reason: String,
    pub message: String,
}

pub fn condition(data: &Value, kind: &str) -> Option<Condition> {
    let text = |c: &Value, key: &str| c[key].as_str().unwrap_or_default().to_string();
    data.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == kind)
        .map(|c| Condition {
            status: text(c, "status"),
            reason: text(c, "reason"),
            message: text(c, "message"),
        })
}

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

#[derive(Debug, Clone, Serialize)]
pub struct Deletion {
    pub name: String,
    /// deleted, absent (no such Gateway) or kept (a Gateway of another class).
    pub result: ApplyResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Deletes the named waypoints in `namespace`, or all of them with `names` empty. Gateways of
/// another class are never deleted, also when named.
pub async fn delete(conn: &Connection, namespace: &str, names: &[String]) -> Result<Vec<Deletion>> {
    let api = gateways(conn, Some(namespace)).await?;
    let waypoints = list(conn, Some(namespace)).await?;
    let targets: Vec<String> = if names.is_empty() {
        waypoints.iter().map(|w| w.name.clone()).collect()
    } else {
        names.to_vec()
    };
    let mut deletions = Vec::with_capacity(targets.len());
    for name in targets {
        let deletion = |result, reason: Option<&str>| Deletion {
            name: name.clone(),
            result,
            reason: reason.map(str::to_string),
        };
        if !waypoints.iter().any(|w| w.name == name) {
            let other = api.get_opt(&name).await.map_err(|e| {
                classify(&conn.server, &format!("get Gateway/{namespace}/{name}"), e)
            })?;
            deletions.push(match other {
                Some(_) => deletion(
                    ApplyResult::Kept,
                    Some("not a waypoint: its class is not istio-waypoint"),
                ),
                None => deletion(ApplyResult::Absent, None),
            });
            continue;
        }
        match api.delete(&name, &DeleteParams::background()).await {
            Ok(_) => deletions.push(deletion(ApplyResult::Deleted, None)),
            Err(e) if crate::kube::is_not_found(&e) => {
                deletions.push(deletion(ApplyResult::Absent, None));
            }
            Err(e) => {
                let action = format!("delete Gateway/{namespace}/{name}");
                return Err(classify(&conn.server, &action, e).into());
            }
        }
    }
    Ok(deletions)
}

/// The Gateway API's Gateways, in one namespace or all; an error when the CRD is not served.
async fn gateways(conn: &Connection, namespace: Option<&str>) -> Result<Api<DynamicObject>> {
    let gvk = GroupVersionKind::gvk("gateway.networking.k8s.io", "v1", "Gateway");
    let resource: ApiResource = match kube::discovery::pinned_kind(&conn.client, &gvk).await {
        Ok((resource, _)) => resource,
        Err(kube::Error::Api(status)) if status.code == 404 => return Err(no_api(namespace)),
        Err(kube::Error::Discovery(_)) => return Err(no_api(namespace)),
        Err(e) => {
            let action = "discover gateway.networking.k8s.io/v1 Gateway";
            return Err(classify(&conn.server, action, e).into());
        }
    };
    Ok(match namespace {
        Some(ns) => Api::namespaced_with(conn.client.clone(), ns, &resource),
        None => Api::all_with(conn.client.clone(), &resource),
    })
}

fn no_api(namespace: Option<&str>) -> Error {
    Error::NoGatewayApi {
        namespace: namespace.unwrap_or("any namespace").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gateway_is_istioctls_waypoint_with_the_traffic_label_only_when_asked() {
        let plain = gateway_object("shop", "waypoint", None);
        assert_eq!(plain["spec"]["gatewayClassName"], "istio-waypoint");
        assert_eq!(
            plain["spec"]["listeners"],
            json!([{"name": "mesh", "port": 15008, "protocol": "HBONE"}])
        );
        assert!(plain["metadata"].get("labels").is_none());
        let workload = gateway_object("shop", "wp", Some(TrafficType::Workload));
        assert_eq!(workload["metadata"]["labels"][WAYPOINT_FOR], "workload");
        assert_eq!(workload["metadata"]["namespace"], "shop");
    }

    #[test]
    fn programmed_is_read_from_the_status_conditions() {
        let gw = json!({"status": {"conditions": [
            {"type": "Accepted", "status": "True", "reason": "Accepted", "message": ""},
            {"type": "Programmed", "status": "False", "reason": "Invalid", "message": "no address"},
        ]}});
        let programmed = condition(&gw, "Programmed").expect("condition");
        assert_eq!(programmed.status, "False");
        assert_eq!(programmed.message, "no address");
        assert_eq!(condition(&json!({}), "Programmed"), None);
    }
}
