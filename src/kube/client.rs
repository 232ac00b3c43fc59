//! The kube client factory: kubeconfig resolution, context selection, TCP_NODELAY, retries and
//! the per-request timeout.

use std::path::PathBuf;
use std::time::Duration;

use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use kube::client::ConfigExt;
use kube::config::KubeConfigOptions;
use tower::{BoxError, ServiceBuilder};

use super::answers::Answers;
use super::error::{Cause, Error, Result};
use super::exec_plugin;
use super::kubeconfig::read_kubeconfig;
use super::retry::RetryPolicy;
use super::timing::Timed;
use super::warm::WarmFirst;

/// Which cluster to talk to, as the global flags describe it.
#[derive(Debug, Clone, Default)]
pub struct ClusterTarget {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    pub request_timeout: Option<Duration>,
}

/// A ready client plus the server that error messages name.
#[derive(Clone)]
pub struct Connection {
    pub client: kube::Client,
    /// HTTP/1.1 only, for the calls that upgrade the connection (port-forward over WebSocket):
    /// an upgrade cannot ride on `client`'s HTTP/2 connection, and the API server answers such a
    /// request with 400 "Upgrade request required".
    pub upgrade_client: kube::Client,
    pub server: String,
    /// What the API server answered to `client`'s requests.
    pub answers: Answers,
}

pub async fn connect(target: &ClusterTarget) -> Result<Connection> {
    let (mut config, source) = load_config(target).await?;
    let server = config.cluster_url.to_string();
    // kube would run the plugin synchronously and without a limit; run it here under the
    // request timeout.
    exec_plugin::resolve(&mut config, per_request(target.request_timeout)).await?;
    let client_error = |e| Error::Client {
        server: server.clone(),
        path: source.clone(),
        source: Cause::new(e),
    };
    // One TLS configuration (CA, client certificate and key parsed once) for both clients.
    let tls = config.rustls_client_config().map_err(client_error)?;
    let answers = Answers::default();
    let upgrade_client = build_client(
        &config,
        tls.clone(),
        target.request_timeout,
        Alpn::Http1,
        Answers::default(),
    )
    .map_err(client_error)?;
    let client = build_client(
        &config,
        tls,
        target.request_timeout,
        Alpn::H2,
        answers.clone(),
    )
    .map_err(client_error)?;
    Ok(Connection {
        client,
        upgrade_client,
        server,
        answers,
    })
}

/// The client configuration and the file it came from (`in-cluster` for the service account).
async fn load_config(target: &ClusterTarget) -> Result<(kube::Config, PathBuf)> {
    let Some((kubeconfig, path)) = read_kubeconfig(target.kubeconfig.as_deref())? else {
        let config = kube::Config::incluster().map_err(|e| Error::NoKubeconfig {
            source: Cause::new(e),
        })?;
        return Ok((config, PathBuf::from("in-cluster")));
    };
    if let Some(name) = &target.context
        && !kubeconfig.contexts.iter().any(|c| &c.name == name)
    {
        let available = kubeconfig.contexts.iter().map(|c| c.name.clone()).collect();
        return Err(Error::UnknownContext {
            name: name.clone(),
            path,
            available,
        });
    }
    let options = KubeConfigOptions {
        context: target.context.clone(),
        ..KubeConfigOptions::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| Error::Kubeconfig {
            path: path.clone(),
            source: Cause::new(e),
        })?;
    Ok((config, path))
}

/// What a client offers in TLS's ALPN.
#[derive(Clone, Copy)]
enum Alpn {
    /// h2 and HTTP/1.1: the API server multiplexes a whole wave on one connection.
    H2,
    /// HTTP/1.1 only, for upgrades (port-forward over WebSocket).
    Http1,
}

/// kube's default stack without TCP_NODELAY makes every new connection of a parallel batch wait
/// ~45 ms (Nagle against delayed ACKs, kube-rs issue 2056), and its connector offers HTTP/1.1
/// only, so a wave of N calls opens N connections and does N TLS handshakes. This stack offers
/// h2 as well (the API server multiplexes a whole wave on one connection), keeps connections
/// alive in one pool, and lets the first request go alone (`warm.rs`) so that the connection it
/// opens is the one the wave shares.
fn build_client(
    config: &kube::Config,
    tls: rustls::ClientConfig,
    request_timeout: Option<Duration>,
    alpn: Alpn,
    answers: Answers,
) -> kube::Result<kube::Client> {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.enforce_http(false);
    connector.set_connect_timeout(config.connect_timeout.or(Some(Duration::from_secs(10))));
    let https = https_connector(config, tls, connector, alpn)?;
    let http_client =
        hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(https);
    let per_request = per_request(request_timeout);
    let service = ServiceBuilder::new()
        .layer(config.base_uri_layer())
        .layer(tower::retry::RetryLayer::new(RetryPolicy::default()))
        .option_layer(config.auth_layer()?)
        // The kubeconfig's `as`, `as-groups` and `as-uid` (impersonation), as kubectl sends them.
        .layer(config.extra_headers_layer()?)
        .layer(tower::timeout::TimeoutLayer::new(per_request))
        .map_err(BoxError::from)
        .service(WarmFirst::new(Timed::new(http_client, answers)));
    Ok(kube::client::ClientBuilder::new(service, config.default_namespace.clone()).build())
}

/// kube's TLS settings (CA, client certificate, `tls-server-name`) with the protocols `alpn`
/// offers; plain `http://` servers get HTTP/1.1.
fn https_connector(
    config: &kube::Config,
    tls: rustls::ClientConfig,
    connector: HttpConnector,
    alpn: Alpn,
) -> kube::Result<hyper_rustls::HttpsConnector<HttpConnector>> {
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http();
    let builder = match &config.tls_server_name {
        Some(name) => {
            let name = rustls::pki_types::ServerName::try_from(name.clone()).map_err(|e| {
                kube::Error::Service(format!("invalid tls-server-name {name:?}: {e}").into())
            })?;
            builder.with_server_name_resolver(hyper_rustls::FixedServerNameResolver::new(name))
        }
        None => builder,
    };
    Ok(match alpn {
        Alpn::H2 => builder.enable_all_versions().wrap_connector(connector),
        Alpn::Http1 => builder.enable_http1().wrap_connector(connector),
    })
}

fn per_request(request_timeout: Option<Duration>) -> Duration {
    request_timeout.unwrap_or(Duration::from_secs(30))
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

    pub async fn get(&mut self) -> Result<Connection> {
        if let Some(conn) = &self.conn {
            return Ok(conn.clone());
        }
        let conn = connect(&self.target).await?;
        self.conn = Some(conn.clone());
        Ok(conn)
    }
}
