//! The kube client factory: kubeconfig resolution, context selection, TCP_NODELAY, retries and
//! the per-request timeout.

use std::path::{Path, PathBuf};
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::ConfigExt;
use kube::config::{KubeConfigOptions, Kubeconfig};
use tower::{BoxError, ServiceBuilder};

use super::retry::RetryPolicy;
use crate::error::{MeshError, Result};

/// Which cluster to talk to, as the global flags describe it.
#[derive(Debug, Clone, Default)]
pub struct ClusterTarget {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub request_timeout: Option<Duration>,
}

/// A ready client plus what error messages need to name.
#[derive(Clone)]
pub struct Connection {
    pub client: kube::Client,
    pub server: String,
    pub context: Option<String>,
}

pub async fn connect(target: &ClusterTarget) -> Result<Connection> {
    let (config, context) = load_config(target).await?;
    let server = config.cluster_url.to_string();
    let client =
        build_client(config, target.request_timeout).map_err(|e| MeshError::Kubeconfig {
            path: PathBuf::from("(client)"),
            reason: e.to_string(),
        })?;
    Ok(Connection {
        client,
        server,
        context,
    })
}

async fn load_config(target: &ClusterTarget) -> Result<(kube::Config, Option<String>)> {
    let Some((kubeconfig, source)) = read_kubeconfig(target.kubeconfig.as_deref())? else {
        let config = kube::Config::incluster().map_err(|_| MeshError::NoKubeconfig)?;
        return Ok((config, None));
    };
    if let Some(name) = &target.context
        && !kubeconfig.contexts.iter().any(|c| &c.name == name)
    {
        let available = kubeconfig.contexts.iter().map(|c| c.name.clone()).collect();
        return Err(MeshError::UnknownContext {
            name: name.clone(),
            available,
        });
    }
    let context = target
        .context
        .clone()
        .or_else(|| kubeconfig.current_context.clone());
    let options = KubeConfigOptions {
        context: target.context.clone(),
        ..KubeConfigOptions::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| MeshError::Kubeconfig {
            path: source,
            reason: e.to_string(),
        })?;
    Ok((config, context))
}

/// `--kubeconfig`, else `KUBECONFIG` (merged like kubectl), else `~/.kube/config`; `None` means
/// fall back to the in-cluster service account.
fn read_kubeconfig(explicit: Option<&Path>) -> Result<Option<(Kubeconfig, PathBuf)>> {
    if let Some(path) = explicit {
        return read_file(path).map(Some);
    }
    if let Some(paths) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        let shown = PathBuf::from(&paths);
        let merged = Kubeconfig::from_env().map_err(|e| MeshError::Kubeconfig {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        return Ok(merged.map(|k| (k, shown)));
    }
    let home_config = std::env::home_dir().map(|home| home.join(".kube").join("config"));
    match home_config {
        Some(path) if path.exists() => read_file(&path).map(Some),
        _ => Ok(None),
    }
}

fn read_file(path: &Path) -> Result<(Kubeconfig, PathBuf)> {
    let config = Kubeconfig::read_from(path).map_err(|e| MeshError::Kubeconfig {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok((config, path.to_path_buf()))
}

/// kube's default stack without TCP_NODELAY makes every new connection of a parallel batch wait
/// ~45 ms (Nagle against delayed ACKs, kube-rs issue 2056), so the stack is assembled here.
fn build_client(
    config: kube::Config,
    request_timeout: Option<Duration>,
) -> kube::Result<kube::Client> {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.enforce_http(false);
    connector.set_connect_timeout(config.connect_timeout.or(Some(Duration::from_secs(10))));
    let https = config.rustls_https_connector_with_connector(connector)?;
    let http_client =
        hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(https);
    let per_request = request_timeout.unwrap_or(Duration::from_secs(30));
    let service = ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .layer(tower::retry::RetryLayer::new(RetryPolicy::default()))
        .option_layer(config.auth_layer()?)
        .layer(tower::timeout::TimeoutLayer::new(per_request))
        .map_err(BoxError::from)
        .service(http_client);
    Ok(kube::client::ClientBuilder::new(service, config.default_namespace).build())
}

/// Connects on first use only, for commands that may not need a cluster at all (a plain load
/// test), and reuses the connection after that.
pub struct LazyConnection {
    target: ClusterTarget,
    conn: Option<Connection>,
}

impl LazyConnection {
    pub fn new(target: ClusterTarget) -> Self {
        Self { target, conn: None }
    }

    pub async fn get(&mut self) -> Result<Connection, MeshError> {
        if let Some(conn) = &self.conn {
            return Ok(conn.clone());
        }
        let conn = connect(&self.target).await?;
        self.conn = Some(conn.clone());
        Ok(conn)
    }
}
