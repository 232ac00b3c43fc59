//! The load generator behind `traffic-test`: N workers, each with its own keep-alive connection,
//! sharing one plan (a request count, a duration, or a constant arrival rate). With a rate,
//! latency is measured from each request's intended start, so a stalled server is not hidden by
//! requests that were never sent (coordinated omission, corrected as wrk2 does).

mod conn;
pub mod expected;
mod report;
pub mod spec;
mod stats;
pub mod verdict;
mod version;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use tokio::time::Instant;

pub use conn::Endpoint;
pub use report::{LatencyMs, LoadReport};
pub use stats::ErrorKind;
use stats::{LatencyShards, WorkerStats};
pub use version::VersionSource;

use crate::error::MeshError;

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub url: Uri,
    pub requests: Option<u64>,
    pub duration: Option<Duration>,
    pub connections: usize,
    pub qps: Option<f64>,
    pub method: Method,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub http2: bool,
    pub timeout: Duration,
    pub insecure: bool,
    /// Overrides the Host header (and TLS server name), e.g. to reach a gateway by address.
    pub host: Option<String>,
    /// Where a response names the version that answered (`--split-by`).
    pub split_by: Option<VersionSource>,
}

/// Shared between the workers, the progress ticker and Ctrl-C.
pub struct Progress {
    pub completed: AtomicU64,
    pub stop: AtomicBool,
}

struct Plan {
    issued: AtomicU64,
    limit: Option<u64>,
    deadline: Option<Instant>,
    interval: Option<Duration>,
    start: Instant,
}

impl Plan {
    /// The next request's intended start, or `None` when the plan is done.
    fn next(&self, progress: &Progress) -> Option<Instant> {
        if progress.stop.load(Ordering::Relaxed) {
            return None;
        }
        // A plain duration run needs no request index: skip the shared counter.
        let index = if self.limit.is_some() || self.interval.is_some() {
            self.issued.fetch_add(1, Ordering::Relaxed)
        } else {
            0
        };
        if self.limit.is_some_and(|limit| index >= limit) {
            return None;
        }
        let intended = match self.interval {
            Some(interval) => self.start + interval.mul_f64(index as f64),
            None => Instant::now(),
        };
        if self.deadline.is_some_and(|deadline| intended >= deadline) {
            return None;
        }
        Some(intended)
    }
}

pub async fn run(opts: &LoadOptions, progress: Arc<Progress>) -> Result<LoadReport, MeshError> {
    let endpoint = resolve(opts).await?;
    let start = Instant::now();
    let plan = Arc::new(Plan {
        issued: AtomicU64::new(0),
        limit: opts.requests.filter(|_| opts.duration.is_none()),
        deadline: opts.duration.map(|d| start + d),
        interval: opts.qps.map(|qps| Duration::from_secs_f64(1.0 / qps)),
        start,
    });
    let shared = Arc::new(Shared {
        endpoint,
        plan,
        template: RequestTemplate::new(opts),
        progress: progress.clone(),
        latencies: LatencyShards::new(opts.connections),
        timeout: opts.timeout,
        split: opts.split_by.clone(),
    });
    let workers: Vec<_> = (0..opts.connections.max(1))
        .map(|index| {
            let shared = shared.clone();
            tokio::spawn(async move { worker(&shared, index).await })
        })
        .collect();
    let mut total = WorkerStats::default();
    for worker in workers {
        if let Ok(stats) = worker.await {
            total.merge(stats);
        }
    }
    let elapsed = start.elapsed();
    Ok(LoadReport::build(
        &total,
        shared.latencies.merged(),
        elapsed,
        opts.qps.is_some(),
        progress.stop.load(Ordering::Relaxed),
    ))
}

async fn resolve(opts: &LoadOptions) -> Result<Endpoint, MeshError> {
    let invalid = |reason: &str| MeshError::InvalidInput {
        what: format!("URL {}", opts.url),
        reason: reason.to_string(),
    };
    let host = opts.url.host().ok_or_else(|| invalid("it has no host"))?;
    let https = match opts.url.scheme_str() {
        Some("http") => false,
        Some("https") => true,
        _ => return Err(invalid("only http:// and https:// are supported")),
    };
    let port = opts.url.port_u16().unwrap_or(if https { 443 } else { 80 });
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let unresolved = |reason: String| MeshError::UnresolvedTarget {
        url: opts.url.to_string(),
        host: host.to_string(),
        reason,
    };
    let addr = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| unresolved(e.to_string()))?
        .next()
        .ok_or_else(|| unresolved("it has no address".into()))?;
    let tls = if https {
        let connector = conn::tls_connector(opts.insecure, opts.http2).map_err(|e| invalid(&e))?;
        let name_text = opts.host.clone().unwrap_or_else(|| host.to_string());
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(name_text)
            .map_err(|e| invalid(&e.to_string()))?;
        Some((connector, name))
    } else {
        None
    };
    Ok(Endpoint {
        addr,
        tls,
        http2: opts.http2,
        flat_writes: opts.body.len() <= FLAT_WRITE_MAX_BODY,
    })
}

/// Bodies up to this size are copied next to the headers and sent with one write(2).
const FLAT_WRITE_MAX_BODY: usize = 16 * 1024;

/// Everything about the request that does not change, built once.
struct RequestTemplate {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

impl RequestTemplate {
    fn new(opts: &LoadOptions) -> Self {
        let mut headers = opts.headers.clone();
        let authority = opts
            .host
            .clone()
            .or_else(|| opts.url.authority().map(|a| a.to_string()))
            .unwrap_or_default();
        if !headers.contains_key(http::header::HOST)
            && let Ok(value) = HeaderValue::from_str(&authority)
        {
            headers.insert(http::header::HOST, value);
        }
        if opts.http2 {
            headers.remove(http::header::HOST);
        }
        // HTTP/2 names the virtual host in :authority, taken from the URI: --host goes there.
        let uri = if opts.http2 {
            Uri::builder()
                .scheme(opts.url.scheme_str().unwrap_or("http"))
                .authority(authority.as_str())
                .path_and_query(opts.url.path_and_query().map_or("/", |pq| pq.as_str()))
                .build()
                .unwrap_or_else(|_| opts.url.clone())
        } else {
            opts.url
                .path_and_query()
                .map_or_else(|| Uri::from_static("/"), |pq| Uri::from(pq.clone()))
        };
        Self {
            method: opts.method.clone(),
            uri,
            headers,
            body: opts.body.clone(),
        }
    }

    fn build(&self) -> Request<Full<Bytes>> {
        let mut request = Request::new(Full::new(self.body.clone()));
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// What every worker shares.
struct Shared {
    endpoint: Endpoint,
    plan: Arc<Plan>,
    template: RequestTemplate,
    progress: Arc<Progress>,
    latencies: LatencyShards,
    timeout: Duration,
    split: Option<VersionSource>,
}

/// Completed requests are added to the shared progress counter in batches: one contended atomic
/// per request is measurable next to a loopback round trip.
const PROGRESS_BATCH: u64 = 32;

async fn worker(shared: &Shared, index: usize) -> WorkerStats {
    let Shared {
        endpoint,
        plan,
        template,
        progress,
        latencies,
        timeout,
        split,
    } = shared;
    let mut stats = WorkerStats::default();
    let mut sender = None;
    let mut unreported = 0;
    // One timer per worker, re-armed only when it has fired: arming a timer for every request
    // is a measurable share of a loopback request's CPU.
    let timer = tokio::time::sleep(*timeout);
    tokio::pin!(timer);
    while let Some(intended) = plan.next(progress) {
        // Only a paced plan waits: a timer for a deadline already past still costs a timer tick.
        if plan.interval.is_some() && intended > Instant::now() {
            tokio::time::sleep_until(intended).await;
        }
        let sent = Instant::now();
        if timer.is_elapsed() {
            timer.as_mut().reset(sent + *timeout);
        }
        let outcome = {
            let exchange = attempt(endpoint, &mut sender, template, split.as_ref());
            tokio::pin!(exchange);
            loop {
                tokio::select! {
                    biased;
                    outcome = &mut exchange => break Ok(outcome),
                    () = &mut timer => {
                        if sent.elapsed() >= *timeout {
                            break Err(ErrorKind::Timeout);
                        }
                        timer.as_mut().reset(sent + *timeout);
                    }
                }
            }
        };
        let micros = u64::try_from(intended.elapsed().as_micros()).unwrap_or(u64::MAX);
        match outcome {
            Ok(Ok((status, version))) => {
                latencies.record(index, micros);
                *stats.statuses.entry(status).or_default() += 1;
                if let Some(version) = version {
                    *stats.versions.entry(version).or_default() += 1;
                }
            }
            Ok(Err(kind)) => {
                *stats.errors.entry(kind).or_default() += 1;
                sender = None;
                if kind == ErrorKind::Connect {
                    // A refused connection answers at once; do not spin on it.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
            Err(_) => {
                *stats.errors.entry(ErrorKind::Timeout).or_default() += 1;
                sender = None;
            }
        }
        unreported += 1;
        if unreported == PROGRESS_BATCH {
            progress.completed.fetch_add(unreported, Ordering::Relaxed);
            unreported = 0;
        }
    }
    progress.completed.fetch_add(unreported, Ordering::Relaxed);
    stats
}

async fn attempt(
    endpoint: &Endpoint,
    sender: &mut Option<conn::Sender>,
    template: &RequestTemplate,
    split: Option<&VersionSource>,
) -> Result<(u16, Option<String>), ErrorKind> {
    let reusable = match sender.as_mut() {
        Some(open) => open.ready().await.is_ok(),
        None => false,
    };
    if !reusable {
        let mut fresh = conn::connect(endpoint).await?;
        fresh.ready().await.map_err(|_| ErrorKind::Connect)?;
        *sender = Some(fresh);
    }
    let Some(active) = sender.as_mut() else {
        return Err(ErrorKind::Other);
    };
    let response = active
        .send(template.build())
        .await
        .map_err(|e| classify(&e))?;
    let status = response.status().as_u16();
    let mut version = split.and_then(|source| source.from_headers(response.headers()));
    let mut kept = split
        .filter(|source| source.reads_body())
        .map(|_| BytesMut::new());
    let mut body = response.into_body();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| classify(&e))?;
        if let (Some(buffer), Some(data)) = (kept.as_mut(), frame.data_ref()) {
            if buffer.len() + data.len() <= version::BODY_FIELD_CAP {
                buffer.extend_from_slice(data);
            } else {
                kept = None;
            }
        }
    }
    if let (Some(source), Some(buffer)) = (split, kept) {
        version = source.from_body(&buffer);
    }
    Ok((status, version))
}

fn classify(error: &hyper::Error) -> ErrorKind {
    if error.is_timeout() {
        ErrorKind::Timeout
    } else if error.is_incomplete_message() || error.is_closed() || error.is_canceled() {
        ErrorKind::Reset
    } else {
        let text = format!("{error:?}");
        if text.contains("ConnectionReset") || text.contains("BrokenPipe") {
            ErrorKind::Reset
        } else {
            ErrorKind::Other
        }
    }
}
