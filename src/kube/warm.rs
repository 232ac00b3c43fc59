//! One warm connection for a parallel wave: the client's first request goes alone and every
//! other waits until it has an answer. The pool then holds an open (TLS, and HTTP/2 when the API
//! server offers it) connection that the whole wave shares, instead of each request of the
//! first wave opening a connection and doing a TLS handshake of its own.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use tokio::sync::watch;

#[derive(Clone)]
pub struct WarmFirst<S> {
    inner: S,
    gate: Arc<Gate>,
}

struct Gate {
    first_taken: AtomicBool,
    open: watch::Sender<bool>,
}

/// Opens the gate when the first request ends, however it ends (answered, failed or dropped),
/// so that a cancelled first request never leaves the others waiting.
struct OpenOnDrop(Arc<Gate>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.open.send_replace(true);
    }
}

impl<S> WarmFirst<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            gate: Arc::new(Gate {
                first_taken: AtomicBool::new(false),
                open: watch::Sender::new(false),
            }),
        }
    }
}

impl<S, Req> tower::Service<Req> for WarmFirst<S>
where
    S: tower::Service<Req> + Clone + Send + 'static,
    S::Future: Send + 'static,
    Req: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Req) -> Self::Future {
        // The service made ready is the one that must be called; a clone takes its place.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let gate = self.gate.clone();
        if !gate.first_taken.swap(true, Ordering::AcqRel) {
            let opener = OpenOnDrop(gate);
            return Box::pin(async move {
                let response = inner.call(request).await;
                drop(opener);
                response
            });
        }
        let mut open = gate.open.subscribe();
        Box::pin(async move {
            // The sender lives in `gate`, which this future holds: wait_for cannot fail.
            let _ = open.wait_for(|open| *open).await;
            drop(gate);
            tower::ServiceExt::ready(&mut inner).await?;
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;
    use tower::{Service, ServiceExt};

    /// Records when each request starts and ends.
    #[derive(Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<String>>>);

    impl Service<u32> for Recorder {
        type Response = ();
        type Error = std::convert::Infallible;
        type Future = Pin<Box<dyn Future<Output = Result<(), Self::Error>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, n: u32) -> Self::Future {
            let log = self.0.clone();
            Box::pin(async move {
                log.lock().expect("log").push(format!("start {n}"));
                tokio::time::sleep(Duration::from_millis(if n == 0 { 30 } else { 1 })).await;
                log.lock().expect("log").push(format!("end {n}"));
                Ok(())
            })
        }
    }

    #[tokio::test]
    async fn the_first_request_ends_before_any_other_starts_then_all_run_together() {
        let recorder = Recorder::default();
        let service = WarmFirst::new(recorder.clone());
        let calls = (0..4).map(|n| {
            let mut service = service.clone();
            async move { service.ready().await.expect("ready").call(n).await }
        });
        futures::future::join_all(calls).await;
        let log = recorder.0.lock().expect("log").clone();
        assert_eq!(&log[..2], ["start 0", "end 0"], "{log:?}");
        // After the first, the other three all start before any of them ends.
        assert!(log[2..5].iter().all(|e| e.starts_with("start")), "{log:?}");
    }

    #[tokio::test]
    async fn a_dropped_first_request_opens_the_gate() {
        let recorder = Recorder::default();
        let mut service = WarmFirst::new(recorder.clone());
        let first = service.call(0);
        drop(first);
        let second = tokio::time::timeout(Duration::from_secs(1), service.call(1)).await;
        assert!(second.is_ok(), "the second request did not wait forever");
    }
}
