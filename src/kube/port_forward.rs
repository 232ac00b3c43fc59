//! Port-forwarding to a pod through the API server, in process (kube's WebSocket port-forward):
//! every connection accepted on a local listener gets its own forward to the pod's port, and
//! bytes are copied both ways until either side closes. No kubectl, no second binary.

use std::future::Future;

use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use tokio::net::{TcpListener, TcpStream};

use super::client::Connection;
use super::error::{Cause, Error, Result};

/// What happens to the connections, so that the layer never prints.
pub trait ForwardObserver: Send + Sync {
    fn connection_failed(&self, reason: &str);
}

pub struct PodForward {
    api: Api<Pod>,
    namespace: String,
    pod: String,
    port: u16,
}

impl PodForward {
    pub fn new(conn: &Connection, namespace: &str, pod: &str, port: u16) -> Self {
        Self {
            api: Api::namespaced(conn.upgrade_client.clone(), namespace),
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            port,
        }
    }

    /// Forwards each connection `listener` accepts until `stop` resolves; connections still
    /// open then are dropped with the tasks that carry them.
    pub async fn serve(
        &self,
        listener: TcpListener,
        observer: &dyn ForwardObserver,
        stop: impl Future<Output = ()>,
    ) -> Result<()> {
        let mut connections = tokio::task::JoinSet::new();
        tokio::pin!(stop);
        loop {
            tokio::select! {
                () = &mut stop => return Ok(()),
                accepted = listener.accept() => {
                    let (local, _) = accepted.map_err(|e| Error::Api {
                        action: "accept a local connection".into(),
                        source: Cause::new(e),
                    })?;
                    let (api, pod, port) = (self.api.clone(), self.pod.clone(), self.port);
                    connections.spawn(async move { forward_one(api, &pod, port, local).await });
                }
                Some(done) = connections.join_next() => {
                    if let Ok(Err(e)) = done {
                        observer.connection_failed(&format!("{}: {}", self.describe(), e));
                    }
                }
            }
        }
    }

    fn describe(&self) -> String {
        format!("pod {}/{} port {}", self.namespace, self.pod, self.port)
    }
}

/// One local connection, forwarded to the pod until either side closes. `Err` is the reason in
/// words (the API server's refusal, or the kubelet's error for the port).
async fn forward_one(
    api: Api<Pod>,
    pod: &str,
    port: u16,
    mut local: TcpStream,
) -> std::result::Result<(), String> {
    let _ = local.set_nodelay(true);
    let mut forwarder = api
        .portforward(pod, &[port])
        .await
        .map_err(|e| Cause::new(e).to_string())?;
    let mut remote = forwarder
        .take_stream(port)
        .ok_or("the API server opened no stream for the port")?;
    let error = forwarder.take_error(port);
    let copied = tokio::io::copy_bidirectional(&mut local, &mut remote).await;
    drop(remote);
    // The kubelet's word on the port (e.g. nothing listens there) explains a copy that ended early.
    let said = match error {
        Some(error) => tokio::time::timeout(std::time::Duration::from_millis(200), error)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let _ = forwarder.join().await;
    match (said, copied) {
        (Some(said), _) => Err(said),
        (None, Err(e)) if e.kind() != std::io::ErrorKind::ConnectionReset => Err(e.to_string()),
        _ => Ok(()),
    }
}
