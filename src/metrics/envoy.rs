//! Mesh metrics without Prometheus: each destination pod's sidecar serves its own counters on
//! 15090 `/stats/prometheus`, which the API server's pod proxy reaches from anywhere kubectl can.

use k8s_openapi::api::core::v1::{Pod, Service};
use kube::Api;
use kube::api::ListParams;

use super::Destination;
use super::counts::{self, Reading, SeriesFilter};
use super::error::{Error, Result, describe};
use crate::kube::{Connection, has_sidecar};

pub const STATS_PORT: u16 = 15090;

/// A pod of a destination service whose sidecar stats can be read.
#[derive(Debug, Clone)]
pub struct StatsPod {
    pub namespace: String,
    pub name: String,
    pub filter: SeriesFilter,
}

/// The running pods behind each destination's Service selector. Pods without a sidecar are left
/// out with a warning: the mesh does not see their traffic.
pub async fn discover(
    conn: &Connection,
    destinations: &[Destination],
) -> (Vec<StatsPod>, Vec<String>) {
    let mut pods = Vec::new();
    let mut warnings = Vec::new();
    for destination in destinations {
        match pods_of(conn, destination).await {
            Ok((found, mut skipped)) => {
                pods.extend(found);
                warnings.append(&mut skipped);
            }
            Err(e) => warnings.push(describe(&e)),
        }
    }
    (pods, warnings)
}

async fn pods_of(
    conn: &Connection,
    destination: &Destination,
) -> Result<(Vec<StatsPod>, Vec<String>)> {
    let ns = &destination.namespace;
    let service = Api::<Service>::namespaced(conn.client.clone(), ns)
        .get(&destination.name)
        .await
        .map_err(|source| Error::Service {
            namespace: ns.clone(),
            name: destination.name.clone(),
            source,
        })?;
    let selector = service
        .spec
        .and_then(|s| s.selector)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::NoSelector {
            namespace: ns.clone(),
            name: destination.name.clone(),
        })?;
    let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let list = Api::<Pod>::namespaced(conn.client.clone(), ns)
        .list(&ListParams::default().labels(&labels.join(",")))
        .await
        .map_err(|source| Error::Pods {
            namespace: ns.clone(),
            name: destination.name.clone(),
            source,
        })?;
    let running: Vec<Pod> = list
        .items
        .into_iter()
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
        .collect();
    if running.is_empty() {
        return Err(Error::NoRunningPods {
            namespace: ns.clone(),
            name: destination.name.clone(),
        });
    }
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for pod in running {
        let name = pod.metadata.name.clone().unwrap_or_default();
        if has_sidecar(&pod) {
            found.push(StatsPod {
                namespace: ns.clone(),
                name,
                filter: destination.filter(),
            });
        } else {
            warnings.push(format!(
                "pod {ns}/{name} has no istio-proxy sidecar: the mesh does not see its traffic"
            ));
        }
    }
    Ok((found, warnings))
}

/// One reading of every pod's counters, keyed by pod. Pods that cannot be read are warnings.
pub async fn read(conn: &Connection, pods: &[StatsPod]) -> (Reading, Vec<String>) {
    let reads = pods
        .iter()
        .map(|pod| async move { (pod, read_pod(conn, pod).await) });
    let mut reading = Reading::new();
    let mut warnings = Vec::new();
    for (pod, outcome) in futures::future::join_all(reads).await {
        match outcome {
            Ok(counts) => {
                reading.insert(format!("{}/{}", pod.namespace, pod.name), counts);
            }
            Err(source) => warnings.push(describe(&Error::PodStats {
                namespace: pod.namespace.clone(),
                name: pod.name.clone(),
                port: STATS_PORT,
                source,
            })),
        }
    }
    (reading, warnings)
}

async fn read_pod(
    conn: &Connection,
    pod: &StatsPod,
) -> Result<counts::Counts, Box<dyn std::error::Error + Send + Sync>> {
    let path = format!(
        "/api/v1/namespaces/{}/pods/{}:{STATS_PORT}/proxy/stats/prometheus",
        pod.namespace, pod.name
    );
    let request = http::Request::get(&path).body(Vec::new())?;
    let text = conn.client.request_text(request).await?;
    Ok(counts::from_exposition(&text, &pod.filter)?)
}
