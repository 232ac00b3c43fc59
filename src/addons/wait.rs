//! Waiting for the addons' workloads with watches, all bounded by one timeout.

use std::time::Duration;

use futures::future::try_join_all;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use kube::api::Api;
use kube::runtime::wait::{Condition, await_condition, conditions};

use super::catalog::{Addon, WorkloadKind};
use super::error::{Error, Result};

/// Until every addon's Deployment has completed its rollout and every StatefulSet has all its
/// replicas ready.
pub async fn ready(
    conn: &crate::kube::Connection,
    namespace: &str,
    addons: &[&'static Addon],
    timeout: Duration,
) -> Result<()> {
    let waits = addons.iter().map(|addon| async move {
        let (kind, name) = addon.workload;
        match kind {
            WorkloadKind::Deployment => {
                let api: Api<Deployment> = Api::namespaced(conn.client.clone(), namespace);
                await_condition(api, name, conditions::is_deployment_completed())
                    .await
                    .map(drop)
            }
            WorkloadKind::StatefulSet => {
                let api: Api<StatefulSet> = Api::namespaced(conn.client.clone(), namespace);
                await_condition(api, name, stateful_set_ready())
                    .await
                    .map(drop)
            }
        }
    });
    let names: Vec<&str> = addons.iter().map(|a| a.name).collect();
    let what = || format!("{} in {namespace}", names.join(", "));
    match tokio::time::timeout(timeout, try_join_all(waits)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(source)) => Err(Error::Kube(crate::kube::Error::Watch {
            what: what(),
            source,
        })),
        Err(_) => Err(Error::NotReady {
            what: what(),
            after: timeout,
        }),
    }
}

fn stateful_set_ready() -> impl Condition<StatefulSet> {
    |set: Option<&StatefulSet>| {
        set.is_some_and(|s| {
            let wanted = s.spec.as_ref().and_then(|spec| spec.replicas).unwrap_or(1);
            let status = s.status.as_ref();
            let observed = status.and_then(|st| st.observed_generation);
            observed >= s.metadata.generation
                && status.and_then(|st| st.ready_replicas).unwrap_or(0) >= wanted
        })
    }
}
