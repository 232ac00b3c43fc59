//! Waiting for rollouts with watches (`await_condition`) bounded by a timeout, not sleep loops.

use std::time::Duration;

use futures::future::try_join_all;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ListParams};
use kube::runtime::wait::{await_condition, conditions};

use super::classify::classify;
use super::client::Connection;
use super::error::{Error, Result};

/// Waits until every Deployment in `namespace` has completed its rollout; returns their names.
pub async fn deployments_available(
    conn: &Connection,
    namespace: &str,
    timeout: Duration,
) -> Result<Vec<String>> {
    let api: Api<Deployment> = Api::namespaced(conn.client.clone(), namespace);
    let names: Vec<String> = api
        .list(&ListParams::default())
        .await
        .map_err(|e| classify(&conn.server, &format!("list deployments in {namespace}"), e))?
        .items
        .into_iter()
        .filter_map(|d| d.metadata.name)
        .collect();
    let waits = names
        .iter()
        .map(|name| await_condition(api.clone(), name, conditions::is_deployment_completed()));
    match tokio::time::timeout(timeout, try_join_all(waits)).await {
        Ok(Ok(_)) => Ok(names),
        Ok(Err(source)) => Err(Error::Watch {
            what: format!("the Deployments in {namespace}"),
            source,
        }),
        Err(_) => Err(Error::Timeout {
            what: format!("deployments in {namespace} ({})", names.join(", ")),
            after: timeout,
        }),
    }
}
