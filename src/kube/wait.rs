//! Waiting for rollouts with watches (`await_condition`) bounded by a timeout, not sleep loops.

use std::time::Duration;

use futures::future::try_join_all;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use kube::api::{Api, ListParams};
use kube::runtime::wait::{Condition, await_condition, conditions};

use super::classify::classify;
use super::client::Connection;
use super::error::{Error, Result};

/// Waits until every Deployment in `namespace` has completed its rollout; returns their names.
pub async fn deployments_available(
    conn: &Connection,
    namespace: &str,
    timeout: Duration,
) -> Result<Vec<String>> {
    let done = |d: Option<&Deployment>| conditions::is_deployment_completed().matches_object(d);
    let (names, _) = wait_all(conn, namespace, "Deployments", timeout, done).await?;
    Ok(names)
}

/// Waits until every DaemonSet in `namespace` has every desired pod updated and ready (ambient's
/// ztunnel and istio-cni run as DaemonSets); returns each as `name ready/desired`.
pub async fn daemonsets_ready(
    conn: &Connection,
    namespace: &str,
    timeout: Duration,
) -> Result<Vec<String>> {
    let done = |d: Option<&DaemonSet>| d.is_some_and(daemonset_ready);
    let (_, ready) = wait_all(conn, namespace, "DaemonSets", timeout, done).await?;
    Ok(ready.iter().map(daemonset_summary).collect())
}

/// Lists the objects of one kind in `namespace` and watches each until `done`, all within
/// `timeout`; returns their names and their last state.
async fn wait_all<K>(
    conn: &Connection,
    namespace: &str,
    kinds: &str,
    timeout: Duration,
    done: impl Fn(Option<&K>) -> bool + Clone + Send + 'static,
) -> Result<(Vec<String>, Vec<K>)>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope>
        + Clone
        + std::fmt::Debug
        + serde::de::DeserializeOwned
        + Send
        + 'static,
    K::DynamicType: Default,
{
    let api: Api<K> = Api::namespaced(conn.client.clone(), namespace);
    let lower = kinds.to_lowercase();
    let names: Vec<String> = api
        .list(&ListParams::default())
        .await
        .map_err(|e| classify(&conn.server, &format!("list {lower} in {namespace}"), e))?
        .items
        .into_iter()
        .filter_map(|o| o.meta().name.clone())
        .collect();
    let waits = names
        .iter()
        .map(|name| await_condition(api.clone(), name, done.clone()));
    match tokio::time::timeout(timeout, try_join_all(waits)).await {
        Ok(Ok(last)) => Ok((names, last.into_iter().flatten().collect())),
        Ok(Err(source)) => Err(Error::Watch {
            what: format!("the {kinds} in {namespace}"),
            source,
        }),
        Err(_) => Err(Error::Timeout {
            what: format!("{lower} in {namespace} ({})", names.join(", ")),
            after: timeout,
        }),
    }
}

/// Rolled out: the controller has seen the current spec, and every node that should run a pod
/// runs an updated one that is ready.
fn daemonset_ready(daemonset: &DaemonSet) -> bool {
    let generation = daemonset.metadata.generation.unwrap_or(0);
    daemonset.status.as_ref().is_some_and(|s| {
        s.observed_generation.unwrap_or(0) >= generation
            && s.number_ready == s.desired_number_scheduled
            && s.updated_number_scheduled.unwrap_or(0) == s.desired_number_scheduled
    })
}

fn daemonset_summary(daemonset: &DaemonSet) -> String {
    let (ready, desired) = daemonset
        .status
        .as_ref()
        .map_or((0, 0), |s| (s.number_ready, s.desired_number_scheduled));
    let name = daemonset.metadata.name.as_deref().unwrap_or("?");
    format!("{name} {ready}/{desired}")
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::DaemonSetStatus;

    use super::*;

    fn daemonset(
        generation: i64,
        observed: i64,
        desired: i32,
        ready: i32,
        updated: i32,
    ) -> DaemonSet {
        let mut d = DaemonSet::default();
        d.metadata.name = Some("ztunnel".into());
        d.metadata.generation = Some(generation);
        d.status = Some(DaemonSetStatus {
            observed_generation: Some(observed),
            desired_number_scheduled: desired,
            number_ready: ready,
            updated_number_scheduled: Some(updated),
            ..Default::default()
        });
        d
    }

    #[test]
    fn ready_only_when_every_desired_pod_is_updated_and_ready() {
        assert!(daemonset_ready(&daemonset(2, 2, 3, 3, 3)));
        assert!(daemonset_ready(&daemonset(2, 3, 3, 3, 3)));
        assert!(
            !daemonset_ready(&daemonset(2, 1, 3, 3, 3)),
            "spec not yet observed"
        );
        assert!(
            !daemonset_ready(&daemonset(2, 2, 3, 2, 3)),
            "a pod not ready"
        );
        assert!(
            !daemonset_ready(&daemonset(2, 2, 3, 3, 2)),
            "a pod not updated"
        );
        assert!(!daemonset_ready(&DaemonSet::default()), "no status yet");
    }

    #[test]
    fn summary_names_ready_over_desired() {
        assert_eq!(daemonset_summary(&daemonset(1, 1, 3, 2, 3)), "ztunnel 2/3");
    }
}
