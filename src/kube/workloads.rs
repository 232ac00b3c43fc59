//! Workload facts shared by checks, inject and troubleshoot: whether a pod has the sidecar, and
//! why a Deployment is not available: the reason comes from its newest ReplicaSet (a
//! `ReplicaFailure` condition or its latest warning event), not only a replica count.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};

/// The name of the injected proxy container.
pub const SIDECAR: &str = "istio-proxy";

/// Injected sidecars are a container, or a native sidecar (an init container) on newer Istio.
/// This reads a typed `Pod`; `snapshot::json::has_sidecar` is the same rule over a snapshot's
/// objects.
pub fn has_sidecar(pod: &Pod) -> bool {
    pod.spec.as_ref().is_some_and(|spec| {
        spec.containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
            .any(|c| c.name == SIDECAR)
    })
}

/// Ready versus desired replicas, and when short, the reason.
#[derive(Debug, Clone)]
pub struct Availability {
    pub name: String,
    pub desired: i32,
    pub ready: i32,
    pub reason: Option<String>,
}

impl Availability {
    pub fn is_available(&self) -> bool {
        self.desired > 0 && self.ready >= self.desired
    }

    pub fn summary(&self) -> String {
        let counts = format!("{}: {}/{} ready", self.name, self.ready, self.desired);
        match &self.reason {
            Some(reason) => format!("{counts} ({reason})"),
            None => counts,
        }
    }
}

pub async fn availability(client: &kube::Client, deployment: &Deployment) -> Availability {
    let name = deployment.metadata.name.clone().unwrap_or_default();
    let desired = deployment
        .spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1);
    let ready = deployment
        .status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0);
    let mut result = Availability {
        name,
        desired,
        ready,
        reason: None,
    };
    if !result.is_available() && desired > 0 {
        result.reason = unavailable_reason(client, deployment).await;
    }
    result
}

/// Why the newest ReplicaSet of a Deployment cannot make its pods: its `ReplicaFailure`
/// condition, else its latest warning event.
pub async fn unavailable_reason(client: &kube::Client, deployment: &Deployment) -> Option<String> {
    let namespace = deployment.metadata.namespace.as_deref()?;
    let uid = deployment.metadata.uid.as_deref()?;
    let replica_sets: Api<ReplicaSet> = Api::namespaced(client.clone(), namespace);
    let newest = replica_sets
        .list(&ListParams::default())
        .await
        .ok()?
        .items
        .into_iter()
        .filter(|rs| {
            rs.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.uid == uid)
        })
        .max_by_key(revision)?;
    if let Some(message) = replica_failure(&newest) {
        return Some(message);
    }
    latest_warning(client, namespace, newest.metadata.name.as_deref()?).await
}

fn revision(rs: &ReplicaSet) -> u64 {
    rs.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn replica_failure(rs: &ReplicaSet) -> Option<String> {
    let conditions = rs.status.as_ref()?.conditions.as_ref()?;
    conditions
        .iter()
        .find(|c| c.type_ == "ReplicaFailure" && c.status == "True")
        .map(|c| {
            format!(
                "{}: {}",
                c.reason.as_deref().unwrap_or("ReplicaFailure"),
                c.message.as_deref().unwrap_or("")
            )
        })
}

async fn latest_warning(
    client: &kube::Client,
    namespace: &str,
    replica_set: &str,
) -> Option<String> {
    let events: Api<Event> = Api::namespaced(client.clone(), namespace);
    let selector =
        format!("involvedObject.kind=ReplicaSet,involvedObject.name={replica_set},type=Warning");
    let list = events
        .list(&ListParams::default().fields(&selector))
        .await
        .ok()?;
    list.items
        .into_iter()
        .max_by_key(|e| {
            e.last_timestamp
                .as_ref()
                .map(|t| t.0)
                .or(e.event_time.as_ref().map(|t| t.0))
        })
        .map(|e| {
            format!(
                "{}: {}",
                e.reason.unwrap_or_default(),
                e.message.unwrap_or_default()
            )
        })
}
