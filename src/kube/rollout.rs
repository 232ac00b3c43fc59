//! Restarting Deployments the way `kubectl rollout restart` does, following a rollout to its end,
//! and counting the pods that carry the sidecar.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams, Patch, PatchParams};
use serde_json::json;

use super::classify::classify;
use super::client::Connection;
use super::error::Result;

pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Sets the pod template's restart annotation, which makes the Deployment roll out new pods.
pub async fn restart_deployment(
    conn: &Connection,
    namespace: &str,
    name: &str,
    dry_run: bool,
) -> Result<()> {
    let api: Api<Deployment> = Api::namespaced(conn.client.clone(), namespace);
    let now = k8s_openapi::jiff::Timestamp::now().to_string();
    let patch = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}});
    let params = PatchParams {
        dry_run,
        ..PatchParams::default()
    };
    api.patch(name, &params, &Patch::Merge(&patch))
        .await
        .map_err(|e| {
            classify(
                &conn.server,
                &format!("restart Deployment/{namespace}/{name}"),
                e,
            )
        })?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollout {
    Complete,
    /// The new pods cannot be created or become ready; the reason comes from the ReplicaSet.
    Failed(String),
}

/// Follows a rollout like `kubectl rollout status`: done when the controller has seen the newest
/// generation and every replica is updated and available. A `ReplicaFailure` on the newest
/// ReplicaSet ends it early as failed. The ReplicaSet is a second object a Deployment watch does
/// not see change, so this polls both every half second, bounded by `timeout`.
pub async fn wait_rollout(
    conn: &Connection,
    namespace: &str,
    name: &str,
    timeout: Duration,
) -> Result<Rollout> {
    let api: Api<Deployment> = Api::namespaced(conn.client.clone(), namespace);
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let deployment = api.get(name).await.map_err(|e| {
            classify(
                &conn.server,
                &format!("get Deployment/{namespace}/{name}"),
                e,
            )
        })?;
        if rollout_complete(&deployment) {
            return Ok(Rollout::Complete);
        }
        // The old pods may still be ready while the new ReplicaSet cannot create any.
        let problem = super::workloads::unavailable_reason(&conn.client, &deployment).await;
        if let Some(reason) = problem.as_deref().filter(|r| r.starts_with("FailedCreate")) {
            return Ok(Rollout::Failed(reason.to_string()));
        }
        if tokio::time::Instant::now() >= deadline {
            let state = super::workloads::availability(&conn.client, &deployment).await;
            let reason = problem.unwrap_or_else(|| state.summary());
            return Ok(Rollout::Failed(format!(
                "not complete after {} s: {reason}",
                timeout.as_secs()
            )));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn rollout_complete(deployment: &Deployment) -> bool {
    let (Some(spec), Some(status)) = (&deployment.spec, &deployment.status) else {
        return false;
    };
    let wanted = spec.replicas.unwrap_or(1);
    let generation = deployment.metadata.generation.unwrap_or(0);
    status.observed_generation.unwrap_or(0) >= generation
        && status.updated_replicas.unwrap_or(0) >= wanted
        && status.available_replicas.unwrap_or(0) >= wanted
        && status.replicas.unwrap_or(0) == status.updated_replicas.unwrap_or(0)
}

/// (pods with istio-proxy, pods) of a Deployment, counting only pods that are not terminating.
pub async fn sidecar_counts(conn: &Connection, deployment: &Deployment) -> Result<(usize, usize)> {
    let namespace = deployment.metadata.namespace.as_deref().unwrap_or_default();
    let name = deployment.metadata.name.as_deref().unwrap_or_default();
    let selector = deployment
        .spec
        .as_ref()
        .and_then(|s| s.selector.match_labels.as_ref())
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let api: Api<Pod> = Api::namespaced(conn.client.clone(), namespace);
    let pods = api
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|e| {
            classify(
                &conn.server,
                &format!("count the pods of Deployment/{namespace}/{name}"),
                e,
            )
        })?;
    let live: Vec<&Pod> = pods
        .items
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .collect();
    let injected = live
        .iter()
        .filter(|p| super::workloads::has_sidecar(p))
        .count();
    Ok((injected, live.len()))
}
