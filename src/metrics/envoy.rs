//! Mesh metrics without Prometheus: each destination pod's sidecar serves its own counters on
//! 15090 `/stats/prometheus`, which the API server's pod proxy reaches from anywhere kubectl can.

use k8s_openapi::api::core::v1::{Pod, Service};
use kube::Api;
use kube::api::ListParams;

use super::Destination;
use super::counts::{self, Reading, SeriesFilter};
use crate::kube::Connection;
use crate::kube::api_message;
use crate::kube::has_sidecar;

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
            Err(reason) => warnings.push(reason),
        }
    }
    (pods, warnings)
}

async fn pods_of(
    conn: &Connection,
    destination: &Destination,
) -> Result<(Vec<StatsPod>, Vec<String>), String> {
    let ns = &destination.namespace;
    let service = Api::<Service>::namespaced(conn.client.clone(), ns)
        .get(&destination.name)
        .await
        .map_err(|e| {
            format!(
                "cannot read Service {ns}/{}: {}",
                destination.name,
                api_message(&e)
            )
        })?;
    let selector = service
        .spec
        .and_then(|s| s.selector)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            format!(
                "Service {ns}/{} has no selector: no pods to read stats from",
                destination.name
            )
        })?;
    let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let list = Api::<Pod>::namespaced(conn.client.clone(), ns)
        .list(&ListParams::default().labels(&labels.join(",")))
        .await
        .map_err(|e| {
            format!(
                "cannot list pods of {ns}/{}: {}",
                destination.name,
                api_message(&e)
            )
        })?;
    let running: Vec<Pod> = list
        .items
        .into_iter()
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
        .collect();
    if running.is_empty() {
        return Err(format!(
            "Service {ns}/{} has no running pods",
            destination.name
        ));
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
            Err(reason) => warnings.push(format!(
                "cannot read Envoy stats of pod {}/{} on :{STATS_PORT}: {reason}",
                pod.namespace, pod.name
            )),
        }
    }
    (reading, warnings)
}

async fn read_pod(conn: &Connection, pod: &StatsPod) -> Result<counts::Counts, String> {
    let path = format!(
        "/api/v1/namespaces/{}/pods/{}:{STATS_PORT}/proxy/stats/prometheus",
        pod.namespace, pod.name
    );
    let request = http::Request::get(&path)
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    let text = conn
        .client
        .request_text(request)
        .await
        .map_err(|e| api_message(&e).trim().to_string())?;
    counts::from_exposition(&text, &pod.filter)
}
