//! One worker: a keep-alive connection sending the plan's requests one after another, timing
//! each, and counting statuses, errors and versions.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::BytesMut;
use http_body_util::BodyExt;
use tokio::time::Instant;

use super::Progress;
use super::conn::{self, Endpoint};
use super::plan::Plan;
use super::stats::{ErrorKind, LatencyShards, WorkerStats};
use super::target::RequestTemplate;
use super::version::{self, VersionSource};

/// What every worker shares.
pub struct Shared {
    pub endpoint: Endpoint,
    pub plan: Plan,
    pub template: RequestTemplate,
    pub progress: Arc<Progress>,
    pub latencies: LatencyShards,
    pub timeout: Duration,
    pub split: Option<VersionSource>,
    /// Becomes true on Ctrl-C: requests in flight are abandoned, not awaited.
    pub cancelled: tokio::sync::watch::Receiver<bool>,
}

/// Completed requests are added to the shared progress counter in batches: one contended atomic
/// per request is measurable next to a loopback round trip.
const PROGRESS_BATCH: u64 = 32;

pub async fn worker(shared: &Shared, index: usize) -> WorkerStats {
    let Shared {
        endpoint,
        plan,
        template,
        progress,
        latencies,
        timeout,
        split,
        cancelled,
    } = shared;
    let mut cancelled = cancelled.clone();
    let mut stats = WorkerStats::default();
    let mut sender = None;
    let mut unreported = 0;
    // One timer per worker, re-armed only when it has fired: arming a timer for every request
    // is a measurable share of a loopback request's CPU.
    let timer = tokio::time::sleep(*timeout);
    tokio::pin!(timer);
    while let Some(intended) = plan.next(&progress.stop) {
        // Only a paced plan waits: a timer for a deadline already past still costs a timer tick.
        if plan.paced() && intended > Instant::now() {
            tokio::select! {
                () = tokio::time::sleep_until(intended) => {}
                Ok(_) = cancelled.wait_for(|c| *c) => break,
            }
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
                    outcome = &mut exchange => break Some(Ok(outcome)),
                    // An abandoned request is neither a response nor the target's error.
                    Ok(_) = cancelled.wait_for(|c| *c) => break None,
                    () = &mut timer => {
                        if sent.elapsed() >= *timeout {
                            break Some(Err(ErrorKind::Timeout));
                        }
                        timer.as_mut().reset(sent + *timeout);
                    }
                }
            }
        };
        let Some(outcome) = outcome else { break };
        let micros = u64::try_from(intended.elapsed().as_micros()).unwrap_or(u64::MAX);
        match outcome {
            Ok(Ok((status, version))) => {
                latencies.record(index, micros);
                *stats.statuses.entry(status).or_default() += 1;
                if let Some(version) = version {
                    *stats.versions.entry(version).or_default() += 1;
                }
            }
            Ok(Err(ErrorKind::OwnFiles)) => {
                // Counting it would blame the target for meshctl's own limit: stop instead.
                progress.out_of_files.fetch_add(1, Ordering::Relaxed);
                progress.stop.store(true, Ordering::Relaxed);
                break;
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
    let mut version = split.and_then(|source| source.in_headers(response.headers()));
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
        version = source.in_body(&buffer);
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
