//! Each API request's method, path, status and duration at debug level (`-vv`), measured from
//! the process's first request, so a run shows which requests go out together and which wait;
//! each answer is also kept in the client's `Answers`.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::Instant;

use http::{Request, Response};

use super::answers::{Answer, Answers};

/// When the first request of the process went out: every line's offset is from there.
static FIRST: OnceLock<Instant> = OnceLock::new();

#[derive(Clone)]
pub struct Timed<S> {
    inner: S,
    answers: Answers,
}

impl<S> Timed<S> {
    pub fn new(inner: S, answers: Answers) -> Self {
        Self { inner, answers }
    }
}

impl<S, B, R> tower::Service<Request<B>> for Timed<S>
where
    S: tower::Service<Request<B>, Response = Response<R>>,
    S::Future: Send + 'static,
    S::Error: std::fmt::Display,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<R>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let first = *FIRST.get_or_init(Instant::now);
        let method = request.method().clone();
        let path = request.uri().path().to_string();
        let what = format!("{method} {path}");
        let started = Instant::now();
        let response = self.inner.call(request);
        let answers = self.answers.clone();
        Box::pin(async move {
            let outcome = response.await;
            let at = started.duration_since(first).as_secs_f64() * 1e3;
            let took = started.elapsed().as_secs_f64() * 1e3;
            match &outcome {
                Ok(r) => {
                    let status = r.status().as_u16();
                    tracing::debug!("{what}: {status} (+{at:.1} ms, took {took:.1} ms)");
                    answers.record(Answer {
                        method,
                        path,
                        status,
                    });
                }
                Err(e) => tracing::debug!("{what}: {e} (+{at:.1} ms, took {took:.1} ms)"),
            }
            outcome
        })
    }
}
