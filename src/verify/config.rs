//! Where the expectations are read: a file of manifests (e.g. `manifests render` output) or the
//! routing config of a namespace in the cluster.

use std::path::Path;

use http::{HeaderMap, Method};

use super::error::{Error, Result};
use super::expected::{self, Expectations};
use crate::kube::Connection;
use crate::load::LoadOptions;
use crate::snapshot;

pub enum ConfigSource<'a> {
    File(&'a Path),
    Cluster(&'a Connection),
}

/// The request as the route matcher sees it.
pub struct RequestShape<'a> {
    pub host: &'a str,
    pub path: &'a str,
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
}

impl<'a> RequestShape<'a> {
    /// The request a load run sends: the virtual host (`Host` override, else the URL's), path,
    /// method and headers.
    pub fn of(opts: &'a LoadOptions) -> Self {
        let host = opts.host.as_deref().or(opts.url.host()).unwrap_or("");
        Self {
            host: host.split(':').next().unwrap_or(host),
            path: opts.url.path(),
            method: &opts.method,
            headers: &opts.headers,
        }
    }
}

/// The expectations of the VirtualService route the request matches (`virtual_service` names
/// it, else the one whose hosts match the request).
pub async fn expectations(
    source: ConfigSource<'_>,
    namespace: &str,
    virtual_service: Option<&str>,
    request: &RequestShape<'_>,
) -> Result<Expectations> {
    let snapshot = match source {
        ConfigSource::File(path) => snapshot::from_paths(&[path.to_path_buf()], namespace)
            .map_err(|e| Error::Config {
                from: format!("from {}", path.display()),
                source: Box::new(e),
            })?,
        ConfigSource::Cluster(conn) => snapshot::routing_from_cluster(&conn.client, namespace)
            .await
            .map_err(|e| Error::Config {
                from: format!("of namespace {namespace} from the cluster"),
                source: Box::new(crate::kube::classify(
                    &conn.server,
                    &format!("read the mesh config in {namespace}"),
                    e,
                )),
            })?,
    };
    expected::from_snapshot(&snapshot, namespace, virtual_service, request)
}
