//! One connection's loop: connect (again, when the server closes it), then send the plan's
//! requests on it, one at a time over HTTP/1.1 or `streams` at a time over HTTP/2, timing each and
//! counting it in the tally of the lane the connection belongs to.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::Poll;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::time::Instant;

use super::Progress;
use super::conn::{self, Driver, Endpoint, Sender};
use super::plan::Plan;
use super::stats::{ErrorKind, Tally};
use super::target::RequestTemplate;
use super::version::VersionSource;

/// What every connection shares.
pub struct Shared {
    pub endpoint: Endpoint,
    pub plan: Plan,
    pub template: RequestTemplate,
    pub progress: Arc<Progress>,
    pub timeout: Duration,
    pub split: Option<VersionSource>,
    /// Concurrent requests per HTTP/2 connection (1 over HTTP/1.1).
    pub streams: usize,
}

/// Completed requests are added to the shared progress counter in batches: one contended atomic
/// per request is measurable next to a loopback round trip.
const PROGRESS_BATCH: u64 = 32;

/// How one stream's loop ended.
enum End {
    /// The plan has no more requests (or the run was stopped).
    Done,
    /// The connection closed; the request it had taken but not sent goes to the next one.
    Closed(Option<Instant>),
}

pub async fn connection(shared: &Shared, tally: &Mutex<Tally>) {
    let Shared { plan, progress, .. } = shared;
    // Requests taken from the plan but never sent: each is sent on the next connection.
    let mut carried: Vec<Instant> = Vec::new();
    loop {
        let Some(first) = carried.pop().or_else(|| plan.next(&progress.stop)) else {
            return;
        };
        pace(plan, first).await;
        let connected = tokio::time::timeout(shared.timeout, conn::connect(&shared.endpoint))
            .await
            .unwrap_or(Err(ErrorKind::Timeout));
        let (sender, driver) = match connected {
            Ok(open) => open,
            Err(ErrorKind::OwnFiles) => {
                // Counting it would blame the target for meshctl's own limit: stop instead.
                progress.out_of_files.fetch_add(1, Ordering::Relaxed);
                progress.stop.store(true, Ordering::Relaxed);
                return;
            }
            Err(kind) => {
                count(shared, tally, |t| t.error(kind));
                if kind == ErrorKind::Connect {
                    // A refused connection answers at once; do not spin on it.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                continue;
            }
        };
        let ends = match driver {
            // HTTP/1.1: one stream and nothing else to poll; a set of one stream would cost a
            // second wake-up queue on every response.
            None => vec![stream(shared, tally, sender, Some(first), true).await],
            Some(driver) => {
                let streams: FuturesUnordered<_> = FuturesUnordered::new();
                for _ in 1..shared.streams {
                    if let Some(more) = sender.stream() {
                        streams.push(stream(shared, tally, more, carried.pop(), false));
                    }
                }
                streams.push(stream(shared, tally, sender, Some(first), true));
                drive(driver, streams.collect()).await
            }
        };
        carried.extend(ends.into_iter().filter_map(|end| match end {
            End::Closed(unsent) => unsent,
            End::Done => None,
        }));
    }
}

/// Polls the requests and the connection's driver (HTTP/2) together, in this task.
pub(super) async fn drive<F: Future>(driver: Driver, work: F) -> F::Output {
    let mut driver = Some(driver);
    let mut work = pin!(work);
    std::future::poll_fn(|cx| {
        if let Poll::Ready(out) = work.as_mut().poll(cx) {
            return Poll::Ready(out);
        }
        // The requests have queued what they send: the driver writes it in the same poll.
        if let Some(running) = driver.as_mut()
            && running.as_mut().poll(cx).is_ready()
        {
            // Closed: the requests under way fail and are woken by that.
            driver = None;
        }
        Poll::Pending
    })
    .await
}

/// One request after another on one stream of the connection (the connection itself on HTTP/1.1).
async fn stream(
    shared: &Shared,
    tally: &Mutex<Tally>,
    mut sender: Sender,
    mut next: Option<Instant>,
    first_stream: bool,
) -> End {
    let Shared {
        plan,
        template,
        progress,
        timeout,
        split,
        ..
    } = shared;
    let http2 = matches!(sender, Sender::Http2(_));
    // The first request on a new connection proves that it works: if the connection cannot take
    // it, that is a failed connect, counted, not a request to carry to the next connection.
    let mut fresh = first_stream;
    // One timer per stream, re-armed only when it has fired: arming a timer for every request
    // is a measurable share of a loopback request's CPU.
    let mut timer = pin!(tokio::time::sleep(*timeout));
    loop {
        let intended = match next.take() {
            // Without a rate, a request taken before its connection opened starts now: its
            // latency is the request's, not the connection's setup (as wrk and h2load count it).
            Some(_) if !plan.paced() => Instant::now(),
            Some(intended) => intended,
            None => match plan.next(&progress.stop) {
                Some(intended) => intended,
                None => return End::Done,
            },
        };
        pace(plan, intended).await;
        // Without a rate the intended start was taken just now: no second clock read.
        let sent = if plan.paced() {
            Instant::now()
        } else {
            intended
        };
        if timer.is_elapsed() {
            timer.as_mut().reset(sent + *timeout);
        }
        let outcome = {
            let mut exchange = pin!(async {
                match sender.ready().await {
                    true => sender.exchange(template, split.as_ref()).await,
                    false => Err(None),
                }
            });
            loop {
                tokio::select! {
                    biased;
                    outcome = &mut exchange => break Some(outcome),
                    () = &mut timer => {
                        if sent.elapsed() >= *timeout {
                            break None;
                        }
                        timer.as_mut().reset(sent + *timeout);
                    }
                }
            }
        };
        match outcome {
            Some(Ok((status, version))) => {
                let micros = u64::try_from(intended.elapsed().as_micros()).unwrap_or(u64::MAX);
                count(shared, tally, |t| t.response(status, version, micros));
            }
            // A fresh connection that cannot take its first request failed to connect.
            Some(Err(None)) if fresh => {
                count(shared, tally, |t| t.error(ErrorKind::Connect));
                return End::Closed(None);
            }
            Some(Err(None)) => return End::Closed(Some(intended)),
            Some(Err(Some(kind))) => {
                count(shared, tally, |t| t.error(kind));
                // After an HTTP/1.1 error the connection's state is unknown: open another.
                // An HTTP/2 error may end one stream only; `ready` tells at the next request.
                if !http2 {
                    return End::Closed(None);
                }
            }
            None => {
                count(shared, tally, |t| t.error(ErrorKind::Timeout));
                // The late answer would arrive on this HTTP/1.1 connection as the next one's;
                // over HTTP/2 dropping the stream resets it alone.
                if !http2 {
                    return End::Closed(None);
                }
            }
        }
        fresh = false;
        if !http2 {
            // The lane reads every answer that is ready before it sends the next requests, as
            // wrk does: a send (which runs the server's side of loopback TCP on this thread)
            // between two reads would count in the latency of every answer read after it.
            tokio::task::yield_now().await;
        }
    }
}

/// Only a paced plan waits: a timer for a deadline already past still costs a timer tick.
async fn pace(plan: &Plan, intended: Instant) {
    if plan.paced() && intended > Instant::now() {
        tokio::time::sleep_until(intended).await;
    }
}

fn count(shared: &Shared, tally: &Mutex<Tally>, record: impl FnOnce(&mut Tally)) {
    let mut tally = tally.lock().unwrap_or_else(PoisonError::into_inner);
    record(&mut tally);
    if tally.unreported >= PROGRESS_BATCH {
        shared
            .progress
            .completed
            .fetch_add(tally.unreported, Ordering::Relaxed);
        tally.unreported = 0;
    }
}
