//! The load engine behind `traffic-test`: N workers, each with its own keep-alive connection,
//! sharing one plan (a request count, a duration, or a constant arrival rate). With a rate,
//! latency is measured from each request's intended start, so a stalled server is not hidden by
//! requests that were never sent (coordinated omission, corrected as wrk2 does). It measures;
//! `verify` judges.

mod conn;
mod error;
pub mod limits;
mod open_files;
mod plan;
mod report;
mod stats;
mod target;
mod version;
mod worker;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use http::{HeaderMap, Method, Uri};
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub use error::{Error, Result};
pub use report::LoadReport;
pub use stats::ErrorKind;
pub use target::parse_header;
pub use version::VersionSource;

use plan::Plan;
use stats::{LatencyShards, WorkerStats};
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
    /// Where a response names the version that answered.
    pub split_by: Option<VersionSource>,
}

/// Told how many requests are done, every 100 ms while the run lasts (a progress bar).
pub trait Observer {
    fn completed(&self, requests: u64);
}

/// Shared between the workers and whatever stops the run early.
#[derive(Default)]
pub struct Progress {
    pub completed: AtomicU64,
    pub stop: AtomicBool,
    /// Connections meshctl could not open for want of file descriptors (EMFILE).
    pub out_of_files: AtomicU64,
}

/// Runs the plan and measures it. `interrupt` ends the run early when it completes (Ctrl-C); it
/// is polled once before the first request, so a signal handler it installs is in place by then.
pub async fn run(
    opts: &LoadOptions,
    interrupt: impl Future<Output = ()> + Send + 'static,
    observer: &dyn Observer,
) -> Result<LoadReport> {
    open_files::ensure_room_for(opts.connections)?;
    let endpoint = target::resolve(opts).await?;
    let progress = Arc::new(Progress::default());
    // Ctrl-C stops the plan and cancels the requests in flight: waiting up to --timeout for a
    // server that may never answer is not "stop".
    let (cancel, cancelled) = tokio::sync::watch::channel(false);
    let mut interrupt = Box::pin(interrupt);
    if futures::poll!(&mut interrupt).is_ready() {
        progress.stop.store(true, Ordering::Relaxed);
        cancel.send_replace(true);
    }
    let watcher = tokio::spawn({
        let progress = progress.clone();
        async move {
            interrupt.await;
            progress.stop.store(true, Ordering::Relaxed);
            cancel.send_replace(true);
        }
    });
    let start = Instant::now();
    let shared = Arc::new(Shared {
        endpoint,
        plan: Plan::new(opts, start),
        template: RequestTemplate::new(opts),
        progress: progress.clone(),
        latencies: LatencyShards::new(opts.connections),
        timeout: opts.timeout,
        split: opts.split_by.clone(),
        cancelled,
    });
    let workers = (0..opts.connections.max(1))
        .map(|index| {
            let shared = shared.clone();
            tokio::spawn(async move { worker(&shared, index).await })
        })
        .collect();
    let joined = join_workers(workers, &progress);
    tokio::pin!(joined);
    let total = loop {
        tokio::select! {
            total = &mut joined => break total,
            () = tokio::time::sleep(Duration::from_millis(100)) => {
                observer.completed(progress.completed.load(Ordering::Relaxed));
            }
        }
    };
    watcher.abort();
    let total = total?;
    let failed = progress.out_of_files.load(Ordering::Relaxed);
    if failed > 0 {
        return Err(Error::OutOfFiles {
            failed,
            connections: opts.connections,
        });
    }
    Ok(LoadReport::build(
        &total,
        shared.latencies.merged(),
        start.elapsed(),
        opts.qps.is_some(),
        progress.stop.load(Ordering::Relaxed),
    ))
}

/// Merges the workers' counts. A worker that panicked took its counts with it: the run stops
/// (the other workers end at their next request) and fails rather than report low figures.
async fn join_workers(
    workers: Vec<JoinHandle<WorkerStats>>,
    progress: &Progress,
) -> Result<WorkerStats> {
    let mut pending: FuturesUnordered<_> = workers
        .into_iter()
        .enumerate()
        .map(|(index, handle)| async move { (index, handle.await) })
        .collect();
    let mut total = WorkerStats::default();
    while let Some((worker, outcome)) = pending.next().await {
        match outcome {
            Ok(stats) => total.merge(stats),
            Err(failed) => {
                progress.stop.store(true, Ordering::Relaxed);
                let message = match failed.try_into_panic() {
                    Ok(payload) => panic_message(payload.as_ref()),
                    Err(_) => "cancelled".to_string(),
                };
                return Err(Error::WorkerPanicked { worker, message });
            }
        }
    }
    Ok(total)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicked_worker_ends_the_run_with_an_error_that_says_so() {
        let progress = Progress::default();
        let workers = vec![
            tokio::spawn(async { WorkerStats::default() }),
            tokio::spawn(async { panic!("the statuses map is corrupt") }),
        ];
        let error = join_workers(workers, &progress)
            .await
            .err()
            .expect("a panicked worker is an error, not lower counts");
        assert!(
            matches!(&error, Error::WorkerPanicked { worker: 1, message } if message == "the statuses map is corrupt"),
            "{error}"
        );
        assert!(progress.stop.load(Ordering::Relaxed), "the others stop");
    }
}
