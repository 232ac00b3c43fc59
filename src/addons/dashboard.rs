//! What `meshctl dashboard` forwards to: an addon's ready pod (by the labels `istioctl dashboard`
//! uses), a pod's Envoy admin port, or istiod's ControlZ; checked before anything listens (the
//! addon installed, a ready pod, `create pods/portforward` allowed), and the local listener.

use std::net::{IpAddr, SocketAddr};

use k8s_openapi::api::apps::v1::{Deployment, StatefulSet};
use k8s_openapi::api::core::v1::Pod;
use kube::api::Api;
use tokio::net::TcpListener;

use super::catalog::{Addon, WorkloadKind};
use super::error::{Error, Result};
use super::status::{is_ready, ready_pod};
use crate::kube::{Connection, Permission, check_access, classify};

/// Envoy's admin interface in every injected pod, and istiod's ControlZ.
pub const ENVOY_ADMIN_PORT: u16 = 15000;
pub const CONTROLZ_PORT: u16 = 9876;

pub enum Target {
    Addon(&'static Addon),
    Envoy { pod: String },
    Istiod,
}

/// The pod and port found.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub namespace: String,
    pub pod: String,
    pub remote_port: u16,
}

pub async fn resolve(conn: &Connection, target: &Target, namespace: &str) -> Result<Resolved> {
    let (pod, remote_port) = match target {
        Target::Addon(addon) => {
            check_installed(conn, addon, namespace).await?;
            (
                ready_pod(conn, namespace, addon.pod_selector).await?,
                addon.pod_port,
            )
        }
        Target::Istiod => (
            ready_pod(conn, namespace, "app=istiod").await?,
            CONTROLZ_PORT,
        ),
        Target::Envoy { pod } => {
            let api: Api<Pod> = Api::namespaced(conn.client.clone(), namespace);
            let what = format!("get pod {namespace}/{pod}");
            let found = api
                .get_opt(pod)
                .await
                .map_err(|e| Error::Kube(classify(&conn.server, &what, e)))?;
            match found {
                Some(found) if is_ready(&found) => (pod.clone(), ENVOY_ADMIN_PORT),
                _ => {
                    return Err(Error::NoReadyPod {
                        selector: format!("pod {pod}"),
                        namespace: namespace.to_string(),
                    });
                }
            }
        }
    };
    let wanted = [Permission::new(
        "create",
        "",
        "pods/portforward",
        Some(namespace),
    )];
    let answers = check_access(&conn.client, &wanted).await;
    if let Some((_, Ok(false))) = answers.first() {
        return Err(Error::ForwardForbidden {
            namespace: namespace.to_string(),
        });
    }
    Ok(Resolved {
        namespace: namespace.to_string(),
        pod,
        remote_port,
    })
}

async fn check_installed(conn: &Connection, addon: &Addon, namespace: &str) -> Result<()> {
    let (kind, name) = addon.workload;
    let what = format!("get {kind:?} {namespace}/{name}");
    let fail = |e| Error::Kube(classify(&conn.server, &what, e));
    let exists = match kind {
        WorkloadKind::Deployment => {
            let api: Api<Deployment> = Api::namespaced(conn.client.clone(), namespace);
            api.get_opt(name).await.map_err(fail)?.is_some()
        }
        WorkloadKind::StatefulSet => {
            let api: Api<StatefulSet> = Api::namespaced(conn.client.clone(), namespace);
            api.get_opt(name).await.map_err(fail)?.is_some()
        }
    };
    if exists {
        Ok(())
    } else {
        Err(Error::NotInstalled {
            addon: addon.name.to_string(),
            kind: match kind {
                WorkloadKind::Deployment => "Deployment",
                WorkloadKind::StatefulSet => "StatefulSet",
            },
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }
}

/// Listens on `address:port`; when the port was not asked for explicitly and is taken, on a
/// free port the system picks.
pub async fn listen(address: IpAddr, port: u16, explicit: bool) -> Result<TcpListener> {
    let wanted = SocketAddr::new(address, port);
    match TcpListener::bind(wanted).await {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && !explicit => {
            TcpListener::bind(SocketAddr::new(address, 0))
                .await
                .map_err(|source| Error::Listen {
                    address: SocketAddr::new(address, 0),
                    source,
                })
        }
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            Err(Error::PortInUse { address: wanted })
        }
        Err(source) => Err(Error::Listen {
            address: wanted,
            source,
        }),
    }
}
