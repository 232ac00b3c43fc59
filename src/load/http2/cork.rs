//! Writes held to the end of the lane's busy spell, as an event loop writes its replies just
//! before it waits for the next events: a lane that has just read answers sends the requests
//! that follow them together, one write per connection, instead of one per answer read. A
//! connection whose earlier requests are still unanswered waits for them a little longer (at most
//! `HOLD`), so that a connection's streams go out in one segment and the server reads them in
//! one go. Against nginx at `-c 10 --streams 10` that is 0.3 segments written per request
//! instead of 0.9.
//!
//! The lane's future is wrapped in `Corked`. While it is polled, a connection with frames to
//! write registers itself (`hold`) instead of writing them; when the lane's poll ends with
//! nothing more to do at once, the held connections write. A connection outside a corked lane (a
//! test's) writes at once. An idle lane polls again at once rather than sleep for as long as its
//! `Spin` window says.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Weak;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::LocalKey;
use std::time::{Duration, Instant};

use futures::task::AtomicWaker;

use super::super::spin::Spin;
use super::Conn;

/// Busy polls of the lane after which the held writes go out even though more work is ready: a
/// lane kept busy (a server flooding it with frames) must not starve its connections' writes.
const MAX_BUSY_POLLS: u32 = 8;
/// The longest a connection waits for the answers to what it wrote before, to send the requests
/// that follow together with theirs. It delays a request's start at most this long.
const HOLD: Duration = Duration::from_micros(50);

type HeldList = RefCell<Vec<Weak<RefCell<Conn>>>>;

thread_local! {
    static CORKED: Cell<bool> = const { Cell::new(false) };
    /// Connections whose frames go out when the lane's busy spell ends.
    static READY: HeldList = const { RefCell::new(Vec::new()) };
    /// Connections that wait for answers to what they wrote before, at most `HOLD`.
    static WAITING: HeldList = const { RefCell::new(Vec::new()) };
}

/// Whether the connection being polled runs in a corked lane (and should `hold` its writes).
pub(super) fn corked() -> bool {
    CORKED.with(Cell::get)
}

/// Registers a connection whose frames are to be written when the lane's busy spell ends, or,
/// `waiting` for more answers, when they come or `HOLD` has passed.
pub(super) fn hold(conn: Weak<RefCell<Conn>>, waiting: bool) {
    let list = if waiting { &WAITING } else { &READY };
    list.with(|held| held.borrow_mut().push(conn));
}

fn holds_any(list: &'static LocalKey<HeldList>) -> bool {
    list.with(|held| !held.borrow().is_empty())
}

/// Writes what the connections in `list` queued; one that cannot write it all is held again.
fn write_held(list: &'static LocalKey<HeldList>, cx: &mut Context<'_>) {
    let held = list.with(|held| std::mem::take(&mut *held.borrow_mut()));
    for conn in held.iter().filter_map(Weak::upgrade) {
        conn.borrow_mut().write_held(cx);
    }
}

/// A lane's future whose connections' writes wait for the end of its busy spell.
pub struct Corked<F> {
    lane: Pin<Box<F>>,
    woken: Arc<Woken>,
    waker: Waker,
    busy_polls: u32,
    /// Since when connections have been waiting for earlier answers.
    waiting_since: Option<Instant>,
    spin: Spin,
}

/// The waker the lane is polled with: it notes that the lane was woken (it has more work ready)
/// and wakes the task.
#[derive(Default)]
struct Woken {
    flag: AtomicBool,
    task: AtomicWaker,
}

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.flag.store(true, Ordering::Release);
        self.task.wake();
    }
}

impl<F: Future> Corked<F> {
    pub fn new(lane: F) -> Self {
        // The thread may have run a lane before (a pooled thread): nothing of it is held now.
        READY.with(|held| held.borrow_mut().clear());
        WAITING.with(|held| held.borrow_mut().clear());
        let woken = Arc::new(Woken::default());
        Self {
            lane: Box::pin(lane),
            waker: Waker::from(woken.clone()),
            woken,
            busy_polls: 0,
            waiting_since: None,
            spin: Spin::new(Instant::now()),
        }
    }

    /// Polls the lane, its connections holding their writes; whether it woke itself (has more
    /// work ready).
    fn poll_lane(&mut self) -> (Poll<F::Output>, bool) {
        self.woken.flag.store(false, Ordering::Release);
        CORKED.with(|corked| corked.set(true));
        let polled = self
            .lane
            .as_mut()
            .poll(&mut Context::from_waker(&self.waker));
        CORKED.with(|corked| corked.set(false));
        (polled, self.woken.flag.load(Ordering::Acquire))
    }

    /// The lane's poll left it with nothing to do at once: the held connections write (those
    /// waiting for answers once `HOLD` has passed, or at once when `forced`). Whether the lane
    /// should be polled again at once, rather than sleep until an event.
    fn release(&mut self, now: Instant, forced: bool) -> bool {
        let worked = forced || holds_any(&READY) || holds_any(&WAITING);
        let mut cx = Context::from_waker(&self.waker);
        write_held(&READY, &mut cx);
        let mut waiting = holds_any(&WAITING);
        if waiting {
            let since = *self.waiting_since.get_or_insert(now);
            if forced || now.saturating_duration_since(since) >= HOLD {
                write_held(&WAITING, &mut cx);
                waiting = false;
            }
        }
        if !waiting {
            self.waiting_since = None;
        }
        // Both: the window must hear of the work even while connections wait.
        self.spin.keep_polling(now, worked) | waiting
    }
}

impl<F: Future> Future for Corked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        this.woken.task.register(cx.waker());
        let (polled, busy) = this.poll_lane();
        if polled.is_ready() {
            return polled;
        }
        if busy && this.busy_polls < MAX_BUSY_POLLS {
            this.busy_polls += 1;
            return Poll::Pending;
        }
        this.busy_polls = 0;
        if this.release(Instant::now(), busy) {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    }
}

#[cfg(test)]
#[path = "cork_tests.rs"]
mod tests;
