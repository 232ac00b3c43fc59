//! A fault-injecting HTTP proxy in front of the dev cluster's API server, on 127.0.0.1: meshctl
//! talks plain HTTP to it with a kubeconfig of its own (no credentials), and the proxy forwards
//! each request with the admin client (which holds the TLS and the client certificate), unless
//! the test's rule answers it with a status of its choice or drops the connection.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::{TokioExecutor, TokioIo};

use crate::support::{admin_client, scratch_dir};

/// A request as the rule sees it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub at: Instant,
    /// What the proxy did: `forward`, the status it answered, or `reset`.
    pub answer: String,
}

impl Seen {
    /// A write that changes the cluster (not a server-side dry run).
    pub fn is_real_write(&self) -> bool {
        !matches!(self.method.as_str(), "GET" | "HEAD" | "OPTIONS")
            && !self.query.contains("dryRun=")
    }

    /// A server-side apply (not a dry run) of an object in `namespace`.
    pub fn is_apply_in(&self, namespace: &str) -> bool {
        self.is_real_write()
            && self.method == "PATCH"
            && self.path.contains(&format!("/namespaces/{namespace}/"))
    }
}

/// What the proxy does with one request.
#[derive(Debug, Clone)]
pub enum Fault {
    Forward,
    /// Answer with this status, an optional `Retry-After` (seconds) and a Status message.
    Status(u16, Option<u64>, String),
    /// Close the connection without an answer, as a server that goes away does.
    Reset,
    /// Forward after this long, as a slow server does.
    Delay(std::time::Duration),
}

/// Decides per request; it gets the request and every request seen before it.
pub type Rule = Arc<dyn Fn(&Seen, &[Seen]) -> Fault + Send + Sync>;

pub struct FaultProxy {
    /// Holds the kubeconfig; removed when the proxy is dropped.
    dir: tempfile::TempDir,
    log: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    pub async fn start(rule: Rule) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let client = admin_client().await;
        let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let shared = log.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (client, rule, log) = (client.clone(), rule.clone(), shared.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let (client, rule, log) = (client.clone(), rule.clone(), log.clone());
                        async move { answer(request, &client, &rule, &log).await }
                    });
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection(TokioIo::new(tcp), service)
                        .await;
                });
            }
        });
        let dir = scratch_dir("meshctl-proxy-");
        std::fs::write(
            dir.path().join("config"),
            format!("apiVersion: v1\nkind: Config\ncurrent-context: proxy\nclusters:\n- name: proxy\n  cluster: {{server: 'http://127.0.0.1:{port}'}}\ncontexts:\n- name: proxy\n  context: {{cluster: proxy, user: u}}\nusers:\n- name: u\n  user: {{}}\n"),
        )
        .expect("write kubeconfig");
        Self { dir, log, task }
    }

    /// A kubeconfig whose server is this proxy.
    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    pub fn kubeconfig_arg(&self) -> String {
        self.kubeconfig().to_string_lossy().into_owned()
    }

    /// Every request so far, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

type Answer = Result<hyper::Response<Full<Bytes>>, std::io::Error>;

async fn answer(
    request: hyper::Request<hyper::body::Incoming>,
    client: &kube::Client,
    rule: &Rule,
    log: &Mutex<Vec<Seen>>,
) -> Answer {
    let (parts, body) = request.into_parts();
    let mut seen = Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        at: Instant::now(),
        answer: String::new(),
    };
    let fault = {
        let mut log = log.lock().unwrap_or_else(|p| p.into_inner());
        let fault = rule(&seen, &log);
        seen.answer = match &fault {
            Fault::Forward => "forward".into(),
            Fault::Status(code, ..) => code.to_string(),
            Fault::Reset => "reset".into(),
            Fault::Delay(_) => "delay".into(),
        };
        log.push(seen);
        fault
    };
    match fault {
        Fault::Forward => {}
        Fault::Delay(pause) => tokio::time::sleep(pause).await,
        Fault::Reset => return Err(std::io::Error::other("connection reset by the fault proxy")),
        Fault::Status(code, retry_after, message) => {
            let status = serde_json::json!({"kind": "Status", "apiVersion": "v1",
                "status": "Failure", "message": message, "code": code});
            let mut response = hyper::Response::new(Full::new(Bytes::from(status.to_string())));
            *response.status_mut() = hyper::StatusCode::from_u16(code).expect("status code");
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/json"),
            );
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(hyper::header::RETRY_AFTER, seconds.into());
            }
            return Ok(response);
        }
    }
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let mut forward = http::Request::builder()
        .method(parts.method)
        .uri(parts.uri.path_and_query().map_or("/", |p| p.as_str()));
    for (name, value) in &parts.headers {
        if name == hyper::header::CONTENT_TYPE || name == hyper::header::ACCEPT {
            forward = forward.header(name, value);
        }
    }
    let forward = forward
        .body(kube::client::Body::from(body.to_vec()))
        .expect("request");
    let response = client
        .send(forward)
        .await
        .map_err(|e| std::io::Error::other(format!("forward to the API server: {e}")))?;
    let (parts, body) = response.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    Ok(hyper::Response::from_parts(parts, Full::new(bytes)))
}
