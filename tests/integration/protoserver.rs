//! A hyper server on 127.0.0.1 that speaks HTTP/1.1 and HTTP/2 (prior knowledge, or ALPN under
//! TLS with a self-signed certificate for `localhost`) and counts the requests per protocol and
//! per shape (method, path, Host, `x-test` header, body length and first bytes). Held, it keeps
//! each request a while before answering and records how many were in flight at once on each
//! connection (HTTP/2 streams).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Response, Version};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

#[derive(Default)]
pub struct Seen {
    pub http1: AtomicU64,
    pub http2: AtomicU64,
    pub shapes: Mutex<BTreeMap<String, u64>>,
    /// Per connection, in accept order: the most requests it had in flight at once.
    pub most_in_flight: Mutex<Vec<Arc<InFlight>>>,
}

#[derive(Default)]
pub struct InFlight {
    now: AtomicU64,
    most: AtomicU64,
}

/// Counts a request in flight on its connection until dropped.
struct Holding(Arc<InFlight>);

impl Holding {
    fn new(connection: &Arc<InFlight>) -> Self {
        let now = connection.now.fetch_add(1, Ordering::SeqCst) + 1;
        connection.most.fetch_max(now, Ordering::SeqCst);
        Self(connection.clone())
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

pub struct ProtoServer {
    pub port: u16,
    pub seen: Arc<Seen>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ProtoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ProtoServer {
    pub async fn plain() -> Self {
        Self::start(None, Duration::ZERO, Duration::ZERO).await
    }

    pub async fn tls() -> Self {
        Self::start(Some(acceptor()), Duration::ZERO, Duration::ZERO).await
    }

    /// TLS, starting each connection's handshake only after `setup`: opening a connection takes
    /// that long, answering a request on it does not.
    pub async fn tls_slow_to_connect(setup: Duration) -> Self {
        Self::start(Some(acceptor()), Duration::ZERO, setup).await
    }

    /// Plain, answering each request after `hold`: requests sent concurrently overlap.
    pub async fn holding(hold: Duration) -> Self {
        Self::start(None, hold, Duration::ZERO).await
    }

    async fn start(tls: Option<TlsAcceptor>, hold: Duration, setup: Duration) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seen = Arc::new(Seen::default());
        let counters = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let (tls, counters) = (tls.clone(), counters.clone());
                let connection = Arc::new(InFlight::default());
                counters
                    .most_in_flight
                    .lock()
                    .expect("connections")
                    .push(connection.clone());
                let held = (hold, connection);
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            tokio::time::sleep(setup).await;
                            if let Ok(stream) = acceptor.accept(tcp).await {
                                serve(TokioIo::new(stream), counters, held).await;
                            }
                        }
                        None => serve(TokioIo::new(tcp), counters, held).await,
                    }
                });
            }
        });
        Self { port, seen, task }
    }

    pub fn http1(&self) -> u64 {
        self.seen.http1.load(Ordering::SeqCst)
    }

    pub fn http2(&self) -> u64 {
        self.seen.http2.load(Ordering::SeqCst)
    }

    /// Requests seen per shape: `METHOD path host=H x-test=V body=LEN:PREFIX`.
    pub fn shapes(&self) -> BTreeMap<String, u64> {
        self.seen.shapes.lock().expect("shapes").clone()
    }

    /// Per connection opened, the most requests it carried at once.
    pub fn most_in_flight(&self) -> Vec<u64> {
        self.seen
            .most_in_flight
            .lock()
            .expect("connections")
            .iter()
            .map(|c| c.most.load(Ordering::SeqCst))
            .collect()
    }
}

async fn serve<I>(
    io: TokioIo<I>,
    counters: Arc<Seen>,
    (hold, connection): (Duration, Arc<InFlight>),
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        let counter = match request.version() {
            Version::HTTP_2 => &counters.http2,
            _ => &counters.http1,
        };
        counter.fetch_add(1, Ordering::SeqCst);
        let counters = counters.clone();
        let holding = Holding::new(&connection);
        async move {
            if !hold.is_zero() {
                tokio::time::sleep(hold).await;
            }
            drop(holding);
            let shape = shape(request).await;
            *counters
                .shapes
                .lock()
                .expect("shapes")
                .entry(shape)
                .or_default() += 1;
            Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from("ok"))))
        }
    });
    let _ = auto::Builder::new(TokioExecutor::new())
        .serve_connection(io, service)
        .await;
}

async fn shape(request: Request<hyper::body::Incoming>) -> String {
    let (parts, body) = request.into_parts();
    let host = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| parts.uri.authority().map(|a| a.host().to_string()))
        .unwrap_or_default();
    let test = parts
        .headers
        .get("x-test")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let prefix = String::from_utf8_lossy(&body[..body.len().min(5)]).into_owned();
    format!(
        "{} {} host={} x-test={} body={}:{}",
        parts.method,
        parts.uri.path(),
        host.split(':').next().unwrap_or(""),
        test,
        body.len(),
        prefix
    )
}

fn acceptor() -> TlsAcceptor {
    let key =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("certificate");
    let cert = CertificateDer::from(key.cert.der().to_vec());
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()));
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], private)
        .expect("server config");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    TlsAcceptor::from(Arc::new(config))
}
