//! What runs: each addon's workload, its version, readiness and in-cluster URL; and the ready pod
//! a dashboard forwards to.

use futures::future::try_join_all;
use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::{Pod, PodSpec};
use kube::api::{Api, ListParams, ObjectMeta};

use super::catalog::{ADDON_LABEL, Addon, WorkloadKind};
use super::error::{Error, Result};
use super::manifest::tag_of;
use super::report::{AddonStatus, StatusReport};
use crate::kube::{Connection, classify};

/// The status of each addon in `namespace`, looked up in parallel.
pub async fn status(
    conn: &Connection,
    namespace: &str,
    addons: &[&'static Addon],
) -> Result<StatusReport> {
    status_with(conn, namespace, addons, None).await
}

/// As `status`, the Deployments taken from `deployments`, a list of `namespace` the caller has
/// made already (health's snapshot): only the StatefulSets are read.
pub async fn status_among(
    conn: &Connection,
    namespace: &str,
    addons: &[&'static Addon],
    deployments: &[Deployment],
) -> Result<StatusReport> {
    status_with(conn, namespace, addons, Some(deployments)).await
}

async fn status_with(
    conn: &Connection,
    namespace: &str,
    addons: &[&'static Addon],
    deployments: Option<&[Deployment]>,
) -> Result<StatusReport> {
    let lookups = addons
        .iter()
        .map(|addon| one(conn, namespace, addon, deployments));
    Ok(StatusReport {
        namespace: namespace.to_string(),
        addons: try_join_all(lookups).await?,
    })
}

/// What `describe` reads of a workload: its metadata, pod template, ready and desired replicas.
type Found = (ObjectMeta, Option<PodSpec>, i32, i32);

async fn one(
    conn: &Connection,
    namespace: &str,
    addon: &'static Addon,
    listed: Option<&[Deployment]>,
) -> Result<AddonStatus> {
    let (kind, name) = addon.workload;
    let what = format!("get {kind:?} {namespace}/{name}");
    let fail = |e| Error::Kube(classify(&conn.server, &what, e));
    let found = match (kind, listed) {
        (WorkloadKind::Deployment, Some(listed)) => listed
            .iter()
            .find(|d| d.metadata.name.as_deref() == Some(name))
            .cloned()
            .map(deployment),
        (WorkloadKind::Deployment, None) => {
            let api: Api<Deployment> = Api::namespaced(conn.client.clone(), namespace);
            api.get_opt(name).await.map_err(fail)?.map(deployment)
        }
        (WorkloadKind::StatefulSet, _) => {
            let api: Api<StatefulSet> = Api::namespaced(conn.client.clone(), namespace);
            api.get_opt(name).await.map_err(fail)?.map(stateful_set)
        }
    };
    Ok(describe(addon, namespace, found))
}

fn deployment(d: Deployment) -> Found {
    let status = d.status.unwrap_or_default();
    let spec = d.spec.unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1);
    let ready = status.available_replicas.unwrap_or(0);
    (d.metadata, spec.template.spec, ready, replicas)
}

fn stateful_set(s: StatefulSet) -> Found {
    let status = s.status.unwrap_or_default();
    let spec = s.spec.unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1);
    let ready = status.ready_replicas.unwrap_or(0);
    (s.metadata, spec.template.spec, ready, replicas)
}

fn describe(addon: &Addon, namespace: &str, found: Option<Found>) -> AddonStatus {
    let (kind, name) = addon.workload;
    let mut status = AddonStatus {
        name: addon.name.to_string(),
        installed: false,
        managed_by_meshctl: false,
        workload: format!("{namespace}/{name}"),
        kind,
        version: None,
        ready_replicas: 0,
        replicas: 0,
        ready: false,
        url: addon.in_cluster_url(namespace),
    };
    let Some((metadata, pod, ready, replicas)) = found else {
        return status;
    };
    status.installed = true;
    status.managed_by_meshctl = metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(ADDON_LABEL))
        .is_some_and(|v| v == addon.name);
    let containers = pod.map(|p| p.containers).unwrap_or_default();
    status.version = tag_of(addon, containers.iter().filter_map(|c| c.image.as_deref()));
    status.ready_replicas = ready;
    status.replicas = replicas;
    status.ready = replicas > 0 && ready >= replicas;
    status
}

/// A running pod matching `selector` in `namespace` whose Ready condition is true.
pub async fn ready_pod(conn: &Connection, namespace: &str, selector: &str) -> Result<String> {
    let api: Api<Pod> = Api::namespaced(conn.client.clone(), namespace);
    let what = format!("list pods {selector} in {namespace}");
    let pods = api
        .list(&ListParams::default().labels(selector))
        .await
        .map_err(|e| Error::Kube(classify(&conn.server, &what, e)))?;
    pods.items
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .find(is_ready)
        .and_then(|p| p.metadata.name)
        .ok_or_else(|| Error::NoReadyPod {
            selector: selector.to_string(),
            namespace: namespace.to_string(),
        })
}

pub(super) fn is_ready(pod: &Pod) -> bool {
    pod.status.as_ref().is_some_and(|s| {
        s.phase.as_deref() == Some("Running")
            && s.conditions
                .iter()
                .flatten()
                .any(|c| c.type_ == "Ready" && c.status == "True")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addons::find;

    #[test]
    fn an_absent_workload_is_not_installed_and_a_short_one_is_not_ready() {
        let kiali = find("kiali").expect("known");
        let absent = describe(kiali, "istio-system", None);
        assert!(!absent.installed && !absent.ready && absent.version.is_none());
        let labels = [(ADDON_LABEL.to_string(), "kiali".to_string())].into();
        let metadata = ObjectMeta {
            labels: Some(labels),
            ..Default::default()
        };
        let pod = PodSpec {
            containers: vec![k8s_openapi::api::core::v1::Container {
                image: Some("quay.io/kiali/kiali:v2.27".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let short = describe(kiali, "istio-system", Some((metadata, Some(pod), 0, 1)));
        assert!(short.installed && short.managed_by_meshctl && !short.ready);
        assert_eq!(short.version.as_deref(), Some("v2.27"));
    }
}
