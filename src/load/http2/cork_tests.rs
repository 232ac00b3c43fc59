//! A corked lane polled by hand against the scripted server of `http2_tests`: what the server
//! can read after each poll shows when the client wrote.

use std::task::{Context, Poll, Waker};

use futures::FutureExt;
use http::Method;
use tokio::io::AsyncReadExt;

use super::super::super::http1::Failure;
use super::super::tests::{Server, drive, open, template};
use super::*;

/// Whether the client has written anything the server has not read yet.
fn written(server: &mut Server) -> bool {
    let mut byte = [0u8; 1];
    server.pipe.read(&mut byte).now_or_never().is_some()
}

fn poll<F: Future>(corked: &mut Corked<F>) -> Poll<F::Output> {
    Pin::new(corked).poll(&mut Context::from_waker(Waker::noop()))
}

/// A lane of one connection that sends one request, not yet polled.
async fn lane_of_one_request() -> (
    Corked<impl Future<Output = Result<(u16, Option<String>), Failure>>>,
    Server,
) {
    let (client, driver, accepted) = open(&[]).await;
    let server = accepted.await.expect("accepted");
    let lane = drive(driver, async move {
        client.exchange(&template(Method::GET, ""), None).await
    });
    (Corked::new(lane), server)
}

#[tokio::test]
async fn a_busy_lane_holds_the_writes_until_it_has_nothing_more_to_do_or_was_busy_too_long() {
    let (client, driver, accepted) = open(&[]).await;
    let mut server = accepted.await.expect("accepted");
    let template = template(Method::GET, "");
    let mut busy = 20;
    let mut corked = Corked::new(drive(driver, async {
        let busy_elsewhere = std::future::poll_fn(|cx| {
            // Another connection of the lane that has more to do each time it is polled.
            if busy > 0 {
                busy -= 1;
                cx.waker().wake_by_ref();
            }
            Poll::<()>::Pending
        });
        futures::join!(client.exchange(&template, None), busy_elsewhere).0
    }));
    for _ in 0..MAX_BUSY_POLLS {
        assert!(poll(&mut corked).is_pending());
        assert!(!written(&mut server), "held while the lane is busy");
    }
    assert!(poll(&mut corked).is_pending());
    let (id, _, _) = server.request().await;
    assert_eq!(id, 1, "written once the lane was busy for too long");
}

#[tokio::test]
async fn a_lane_with_nothing_more_to_do_writes_at_once() {
    let (mut corked, mut server) = lane_of_one_request().await;
    assert!(!written(&mut server));
    assert!(poll(&mut corked).is_pending());
    assert_eq!(server.request().await.0, 1);
    server.answer(1).await;
    let answered = loop {
        if let Poll::Ready(answer) = poll(&mut corked) {
            break answer;
        }
    };
    assert_eq!(answered, Ok((200, None)));
}

/// A lane of one connection whose two streams send two requests each, polled and released once:
/// the server has read requests 1 and 3, and each stream's next request waits for its answer.
async fn lane_of_two_streams() -> (Corked<impl Future>, Server) {
    let (client, driver, accepted) = open(&[]).await;
    let mut server = accepted.await.expect("accepted");
    let mut corked = Corked::new(drive(driver, async move {
        let template = template(Method::GET, "");
        let twice = || async {
            let first = client.exchange(&template, None).await;
            (first, client.exchange(&template, None).await)
        };
        futures::join!(twice(), twice())
    }));
    assert!(corked.poll_lane().0.is_pending());
    assert!(!written(&mut server), "nothing written before the release");
    corked.release(Instant::now(), false);
    assert_eq!([server.request().await.0, server.request().await.0], [1, 3]);
    (corked, server)
}

/// Polls the lane until one of its connections is held in `list`.
fn poll_until_held<F: Future>(corked: &mut Corked<F>, list: &'static LocalKey<HeldList>) {
    while !holds_any(list) {
        assert!(corked.poll_lane().0.is_pending());
    }
}

#[tokio::test]
async fn a_request_waits_for_the_streams_still_unanswered_at_most_the_hold() {
    let (mut corked, mut server) = lane_of_two_streams().await;
    // Stream 1 is answered: its next request waits for stream 3's answer.
    server.answer(1).await;
    poll_until_held(&mut corked, &WAITING);
    let since = Instant::now();
    assert!(corked.release(since, false), "polled again while it waits");
    assert!(corked.release(since + HOLD - Duration::from_nanos(1), false));
    assert!(!written(&mut server));
    corked.release(since + HOLD, false);
    assert_eq!(server.request().await.0, 5, "written once the hold is over");
    // Stream 3 is answered: its next request waits for stream 5's answer, and goes out as soon
    // as that comes, the hold not over.
    server.answer(3).await;
    poll_until_held(&mut corked, &WAITING);
    let since = Instant::now();
    corked.release(since, false);
    assert!(!written(&mut server));
    server.answer(5).await;
    poll_until_held(&mut corked, &READY);
    corked.release(since, false);
    assert_eq!(server.request().await.0, 7);
}

#[test]
fn a_new_lane_starts_with_nothing_held_on_its_thread() {
    hold(std::rc::Weak::new(), true);
    hold(std::rc::Weak::new(), false);
    let _lane = Corked::new(async {});
    assert!(!holds_any(&READY));
    assert!(!holds_any(&WAITING));
}

#[tokio::test]
async fn a_held_write_that_fails_fails_the_requests_on_that_connection() {
    let (client, driver, accepted) = open(&[]).await;
    let server = accepted.await.expect("accepted");
    let template = template(Method::GET, "");
    let mut corked = Corked::new(drive(driver, client.exchange(&template, None)));
    assert!(corked.poll_lane().0.is_pending());
    drop(server);
    corked.release(Instant::now(), false);
    let state = client.conn.borrow().state;
    assert_eq!(
        state,
        super::super::State::Closed,
        "closed by the write, before any read"
    );
    let failed = loop {
        if let Poll::Ready(answer) = poll(&mut corked) {
            break answer;
        }
    };
    assert_eq!(failed, Err(Some(crate::load::stats::ErrorKind::Reset)));
}

#[tokio::test]
async fn a_connection_is_held_once_however_often_it_holds() {
    let (client, _driver, accepted) = open(&[]).await;
    let _server = accepted.await.expect("accepted");
    let _lane = Corked::new(async {});
    {
        let mut conn = client.conn.borrow_mut();
        conn.start(&template(Method::GET, ""), None)
            .expect("started");
        // As if that request had been written: it is still unanswered, so the output waits.
        conn.fresh = 0;
        conn.hold();
        conn.hold();
    }
    assert_eq!(WAITING.with(|held| held.borrow().len()), 1);
    assert!(!holds_any(&READY));
}

/// A task's waker that notes that it was woken.
#[derive(Default)]
struct TaskWoken(std::sync::atomic::AtomicBool);

impl std::task::Wake for TaskWoken {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn a_lane_that_sleeps_wakes_its_task_when_its_events_come() {
    // Nothing held and no window to poll in: the lane sleeps until what it waits for wakes it,
    // through the lane's own waker to the task's.
    let (event, waited) = futures::channel::oneshot::channel::<()>();
    let mut corked = Corked::new(waited);
    let task = Arc::new(TaskWoken::default());
    let waker = Waker::from(task.clone());
    let polled = Pin::new(&mut corked).poll(&mut Context::from_waker(&waker));
    assert!(polled.is_pending());
    assert!(!task.0.load(Ordering::SeqCst), "asleep, not polling");
    event.send(()).expect("the lane waits");
    assert!(task.0.load(Ordering::SeqCst), "woken by the event");
}

#[tokio::test]
async fn a_lane_that_writes_soon_after_it_slept_polls_rather_than_sleeps() {
    let (mut corked, mut server) = lane_of_one_request().await;
    let slept = Instant::now();
    assert!(!corked.release(slept, false), "nothing to do: it sleeps");
    assert!(corked.poll_lane().0.is_pending());
    // Writing the held request is work, 100 µs after the lane slept: polling would have caught it.
    assert!(corked.release(slept + Duration::from_micros(100), false));
    assert_eq!(server.request().await.0, 1);
}

#[tokio::test]
async fn a_lane_woken_soon_after_it_slept_keeps_polling_while_its_connections_wait() {
    let (mut corked, mut server) = lane_of_two_streams().await;
    let slept = Instant::now();
    assert!(!corked.release(slept, false), "nothing to do: it sleeps");
    server.answer(1).await;
    poll_until_held(&mut corked, &WAITING);
    // Both reasons to poll again hold: the window (woken 100 µs after it slept) and the wait.
    assert!(corked.release(slept + Duration::from_micros(100), false));
    // Polled as a task, with nothing new to read, it has its task polled again at once rather
    // than wait for an event that may not come before the hold is over.
    while corked.poll_lane().1 {}
    let task = Arc::new(TaskWoken::default());
    let polled = Pin::new(&mut corked).poll(&mut Context::from_waker(&Waker::from(task.clone())));
    assert!(polled.is_pending());
    assert!(task.0.load(Ordering::SeqCst), "woken to poll again");
}
