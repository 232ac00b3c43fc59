//! The load engine behind `traffic-test`: N keep-alive connections (with M concurrent streams each
//! over HTTP/2) sharing one plan (a request count, a duration, or a constant arrival rate). The
//! connections are split into lanes (`lane_count`), as wrk splits them over its threads: a lane is
//! one task on a thread of its own that drives its connections and counts into its own tally,
//! merged once at the end, so no request waits on a lock or a task on another thread. With a rate,
//! latency is measured from each request's intended start, so a stalled server is not hidden by
//! requests that were never sent (coordinated omission, corrected as wrk2 does). It measures;
//! `verify` judges.

mod conn;
mod error;
mod hpack;
mod http1;
mod http2;
mod huffman;
pub mod limits;
mod open_files;
mod parse;
mod plan;
mod report;
mod spin;
mod stats;
mod target;
mod tls;
mod version;
mod worker;

use std::future::Future;
use std::net::IpAddr;
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
use stats::Tally;
use target::RequestTemplate;
use worker::{Shared, connection};

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
    /// Concurrent requests per HTTP/2 connection (h2load's -m); 1 over HTTP/1.1.
    pub streams: usize,
    /// Threads that send the load; `None`: chosen for the target (`lane_count`).
    pub threads: Option<usize>,
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
        timeout: opts.timeout,
        split: opts.split_by.clone(),
        streams: opts.streams.max(1),
    });
    let connections = opts.connections.max(1);
    let main = tokio::runtime::Handle::current();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let lanes = lane_count(opts.threads, shared.endpoint.addr.ip(), cores, connections);
    let workers = (0..lanes)
        .map(|index| {
            // Connections index, index + lanes, …: the lanes differ by one at most.
            let count = connections / lanes + usize::from(index < connections % lanes);
            let (shared, cancelled, main) = (shared.clone(), cancelled.clone(), main.clone());
            tokio::task::spawn_blocking(move || lane_on_own_thread(&main, shared, count, cancelled))
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
        &total.stats,
        total.latency,
        start.elapsed(),
        lanes,
        opts.qps.is_some(),
        progress.stop.load(Ordering::Relaxed),
    ))
}

/// The lanes (threads) that send the load: as many as asked, else one per core, and one core
/// fewer when the target is on this machine (a loopback address): the server, or the
/// port-forward in front of it, then has a core of its own instead of answering only when a
/// lane lets it run, which shows in every latency (p99 at -c 50 against a local nginx on two
/// cores: 4.3 ms with two lanes, 1.1 ms with one). Never more lanes than connections.
fn lane_count(asked: Option<usize>, target: IpAddr, cores: usize, connections: usize) -> usize {
    let lanes = asked.unwrap_or(match target.is_loopback() {
        true => cores.saturating_sub(1),
        false => cores,
    });
    lanes.clamp(1, connections.max(1))
}

/// A lane runs on a thread and event loop of its own, as wrk's threads do: readiness of its
/// sockets wakes only its own thread, never another through the shared runtime's I/O driver.
fn lane_on_own_thread(
    main_runtime: &tokio::runtime::Handle,
    shared: Arc<Shared>,
    connections: usize,
    cancelled: tokio::sync::watch::Receiver<bool>,
) -> Tally {
    // Unconstrained by tokio's cooperative budget: the lane is one task driving hundreds of
    // connections, and a budget spent part-way through a wake-up would send the connections
    // not yet polled to the back of the queue, which shows as tail latency.
    let http2 = shared.endpoint.http2;
    let lane = tokio::task::unconstrained(lane(shared, connections, cancelled));
    match http2 {
        // HTTP/2 writes are held to the end of the lane's busy spell (`http2::Corked`).
        true => block_on_own_runtime(main_runtime, http2::Corked::new(lane)),
        false => block_on_own_runtime(main_runtime, lane),
    }
}

fn block_on_own_runtime<F: Future>(main_runtime: &tokio::runtime::Handle, lane: F) -> F::Output {
    match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(own) => own.block_on(lane),
        // The system refused a thread an event loop (epoll, timer): share the main one instead.
        Err(_) => main_runtime.block_on(lane),
    }
}

/// One lane: its connections, driven by this task, until the plan is done or Ctrl-C. Requests in
/// flight at Ctrl-C are abandoned, not awaited: they are neither responses nor the target's errors.
async fn lane(
    shared: Arc<Shared>,
    connections: usize,
    mut cancelled: tokio::sync::watch::Receiver<bool>,
) -> Tally {
    let tally = std::sync::Mutex::new(Tally::default());
    {
        let all: FuturesUnordered<_> = (0..connections)
            .map(|_| connection(&shared, &tally))
            .collect();
        tokio::select! {
            biased;
            Ok(_) = cancelled.wait_for(|c| *c) => {}
            () = all.collect::<()>() => {}
        }
    }
    let mut tally = tally
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    shared
        .progress
        .completed
        .fetch_add(std::mem::take(&mut tally.unreported), Ordering::Relaxed);
    tally
}

/// Merges the lanes' counts. A lane that panicked took its counts with it: the run stops (the
/// other lanes end at their next request) and fails rather than report low figures.
async fn join_workers(workers: Vec<JoinHandle<Tally>>, progress: &Progress) -> Result<Tally> {
    let mut pending: FuturesUnordered<_> = workers
        .into_iter()
        .enumerate()
        .map(|(index, handle)| async move { (index, handle.await) })
        .collect();
    let mut total = Tally::default();
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

/// A plain GET of `http://orders:8080/api?x=1` for the load engine's unit tests; each sets what
/// it is about.
#[cfg(test)]
pub(crate) fn test_options() -> LoadOptions {
    LoadOptions {
        url: Uri::from_static("http://orders:8080/api?x=1"),
        requests: Some(1),
        duration: None,
        connections: 1,
        qps: None,
        method: Method::GET,
        headers: HeaderMap::new(),
        body: Bytes::new(),
        http2: false,
        streams: 1,
        threads: None,
        timeout: Duration::from_secs(1),
        insecure: false,
        host: None,
        split_by: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_leave_a_core_to_a_server_on_this_machine_unless_told_how_many() {
        let local: IpAddr = "127.0.0.1".parse().expect("an address");
        let local6: IpAddr = "::1".parse().expect("an address");
        let remote: IpAddr = "10.0.0.7".parse().expect("an address");
        assert_eq!(lane_count(None, local, 2, 500), 1);
        assert_eq!(lane_count(None, local6, 8, 500), 7);
        assert_eq!(lane_count(None, remote, 2, 500), 2);
        // One core, or a single connection: still one lane, never none.
        assert_eq!(lane_count(None, local, 1, 500), 1);
        assert_eq!(lane_count(None, remote, 8, 1), 1);
        assert_eq!(lane_count(None, remote, 8, 0), 1);
        // Asked for: as many as asked, whatever the target, but no more than the connections.
        assert_eq!(lane_count(Some(2), local, 2, 500), 2);
        assert_eq!(lane_count(Some(3), remote, 2, 500), 3);
        assert_eq!(lane_count(Some(4), remote, 8, 3), 3);
    }

    #[tokio::test]
    async fn a_panicked_worker_ends_the_run_with_an_error_that_says_so() {
        let progress = Progress::default();
        let workers = vec![
            tokio::spawn(async { Tally::default() }),
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
