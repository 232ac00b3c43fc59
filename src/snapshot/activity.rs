//! What pods did lately, read from the cluster beside the model: their recent events and the
//! last lines of one container's log, bounded. `troubleshoot gateway` shows the gateway's.

use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{Api, ListParams, LogParams};

use super::{Error, Result};

#[derive(Debug, Clone, serde::Serialize)]
pub struct PodActivity {
    pub name: String,
    pub events: Vec<String>,
    pub log: Vec<String>,
}

/// Events kept per pod, newest first.
const EVENTS: usize = 10;

/// The ingress gateway pods in `namespace`, each with its events and the proxy's last `lines`.
pub async fn ingress_gateway_activity(
    client: &kube::Client,
    namespace: &str,
    lines: i64,
) -> Result<Vec<PodActivity>> {
    pod_activity(
        client,
        namespace,
        "istio=ingressgateway",
        super::json::SIDECAR,
        lines,
    )
    .await
}

/// The pods `selector` picks in `namespace`, each with its events and `container`'s last `lines`.
/// A pod list that fails is an error; one pod's events or log that cannot be read is said in its
/// place, since the others still tell something.
async fn pod_activity(
    client: &kube::Client,
    namespace: &str,
    selector: &str,
    container: &str,
    lines: i64,
) -> Result<Vec<PodActivity>> {
    let pods: Api<Pod> = Api::namespaced(client.clone(), namespace);
    let events: Api<Event> = Api::namespaced(client.clone(), namespace);
    let list = pods
        .list(&ListParams::default().labels(selector))
        .await
        .map_err(|source| Error::PodList {
            namespace: namespace.to_string(),
            selector: selector.to_string(),
            source,
        })?;
    let mut out = Vec::new();
    for pod in list.items {
        let name = pod.metadata.name.unwrap_or_default();
        let involved = format!("involvedObject.name={name}");
        let recent = match events.list(&ListParams::default().fields(&involved)).await {
            Ok(list) => list
                .items
                .iter()
                .rev()
                .take(EVENTS)
                .map(|e| {
                    format!(
                        "{} {}: {}",
                        e.type_.as_deref().unwrap_or(""),
                        e.reason.as_deref().unwrap_or(""),
                        e.message.as_deref().unwrap_or("")
                    )
                })
                .collect(),
            Err(e) => vec![format!("events of pod {namespace}/{name} unavailable: {e}")],
        };
        let params = LogParams {
            tail_lines: Some(lines),
            container: Some(container.into()),
            ..LogParams::default()
        };
        let log = match pods.logs(&name, &params).await {
            Ok(text) => text.lines().map(str::to_string).collect(),
            Err(e) => vec![format!("log of pod {namespace}/{name} unavailable: {e}")],
        };
        out.push(PodActivity {
            name,
            events: recent,
            log,
        });
    }
    Ok(out)
}
