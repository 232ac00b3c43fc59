//! The load generator behind `traffic-test`: N workers, each with its own keep-alive connection,
//! sharing one plan (a request count, a duration, or a constant arrival rate). With a rate,
//! latency is measured from each request's intended start, so a stalled server is not hidden by
//! requests that were never sent (coordinated omission, corrected as wrk2 does).

mod conn;
pub mod expected;
mod plan;
mod report;
pub mod spec;
mod stats;
mod target;
pub mod verdict;
mod version;
mod worker;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Uri};
use tokio::time::Instant;

pub use conn::Endpoint;
pub use report::{LatencyMs, LoadReport};
pub use stats::ErrorKind;
use stats::{LatencyShards, WorkerStats};
pub use version::VersionSource;

use crate::error::MeshError;
use plan::Plan;
use target::RequestTemplate;
use worker::{Shared, worker};

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

pub async fn run(opts: &LoadOptions, progress: Arc<Progress>) -> Result<LoadReport, MeshError> {
    let endpoint = target::resolve(opts).await?;
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
