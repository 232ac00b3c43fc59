//! Where the expectations are read: a file of manifests (e.g. `manifests render` output) or the
//! routing config of a namespace in the cluster.

use std::path::Path;

use super::error::{Error, Result};
use super::expected::{self, Expectations};
use super::pick::RouteRef;
use super::request::RequestShape;
use crate::kube::Connection;
use crate::snapshot;

pub enum ConfigSource<'a> {
    File(&'a Path),
    Cluster(&'a Connection),
}

/// The expectations of the VirtualService or HTTPRoute rule the request matches (`route` names
/// the route, else the one whose hosts match the request).
pub async fn expectations(
    source: ConfigSource<'_>,
    namespace: &str,
    route: Option<&RouteRef>,
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
    expected::from_snapshot(&snapshot, namespace, route, request)
}
