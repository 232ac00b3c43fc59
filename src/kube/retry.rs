//! Retries for idempotent API calls: 429 (honouring `Retry-After`), 5xx and connection errors,
//! with capped exponential backoff and equal jitter.
//!
//! kube's own `RetryPolicy` retries only 429/503/504, ignores connection errors and would retry a
//! POST whose body it can clone; this one is restricted to methods that are safe to repeat.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use http::{Method, Request, Response, StatusCode};
use kube::client::Body;
use tower::BoxError;

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    attempts_left: u32,
    attempt: u32,
    base: Duration,
    cap: Duration,
}

/// The longest `Retry-After` we wait for; a server asking for more is treated as an error.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts_left: 3,
            attempt: 0,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// How long to wait before the next try, or `None` when the outcome must not be retried.
    pub fn delay_for(&self, method: &Method, outcome: Outcome) -> Option<Duration> {
        if self.attempts_left == 0 || !is_idempotent(method) {
            return None;
        }
        match outcome {
            Outcome::Status(status, retry_after) if is_retryable_status(status) => {
                match retry_after {
                    Some(wait) if wait <= MAX_RETRY_AFTER => Some(wait),
                    Some(_) => None,
                    None => Some(self.backoff()),
                }
            }
            Outcome::ConnectError => Some(self.backoff()),
            Outcome::Status(..) | Outcome::OtherError => None,
        }
    }

    /// Equal jitter: half the capped exponential step plus a random part of up to the other half
    /// (AWS architecture blog's "Exponential Backoff And Jitter"), so parallel clients do not
    /// retry in lockstep and none retries at once.
    fn backoff(&self) -> Duration {
        let step = self
            .base
            .saturating_mul(1 << self.attempt.min(16))
            .min(self.cap);
        let millis = u64::try_from(step.as_millis()).unwrap_or(u64::MAX).max(1);
        Duration::from_millis(rand::random_range(millis / 2..=millis))
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    Status(StatusCode, Option<Duration>),
    ConnectError,
    OtherError,
}

fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

fn outcome_of<B>(result: &Result<Response<B>, BoxError>) -> Outcome {
    match result {
        Ok(response) => {
            let retry_after = response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            Outcome::Status(response.status(), retry_after)
        }
        Err(err) => match err.downcast_ref::<hyper_util::client::legacy::Error>() {
            Some(e) if e.is_connect() => Outcome::ConnectError,
            _ => Outcome::OtherError,
        },
    }
}

impl<B> tower::retry::Policy<Request<Body>, Response<B>, BoxError> for RetryPolicy {
    type Future = Pin<Box<dyn Future<Output = ()> + Send>>;

    fn retry(
        &mut self,
        req: &mut Request<Body>,
        result: &mut Result<Response<B>, BoxError>,
    ) -> Option<Self::Future> {
        let delay = self.delay_for(req.method(), outcome_of(result))?;
        tracing::debug!(method = %req.method(), uri = %req.uri(), ?delay, "retrying API request");
        self.attempts_left -= 1;
        self.attempt += 1;
        Some(Box::pin(tokio::time::sleep(delay)))
    }

    fn clone_request(&mut self, req: &Request<Body>) -> Option<Request<Body>> {
        if !is_idempotent(req.method()) {
            return None;
        }
        let mut clone = Request::builder()
            .method(req.method().clone())
            .uri(req.uri().clone());
        if let Some(headers) = clone.headers_mut() {
            headers.extend(req.headers().clone());
        }
        let mut clone = clone.body(Body::empty()).ok()?;
        *clone.extensions_mut() = req.extensions().clone();
        Some(clone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honours_retry_after_on_429() {
        let policy = RetryPolicy::default();
        let outcome = Outcome::Status(StatusCode::TOO_MANY_REQUESTS, Some(Duration::from_secs(3)));
        assert_eq!(
            policy.delay_for(&Method::GET, outcome),
            Some(Duration::from_secs(3))
        );
    }

    #[test]
    fn gives_up_when_retry_after_is_too_long() {
        let policy = RetryPolicy::default();
        let outcome = Outcome::Status(
            StatusCode::TOO_MANY_REQUESTS,
            Some(Duration::from_secs(600)),
        );
        assert_eq!(policy.delay_for(&Method::GET, outcome), None);
    }

    #[test]
    fn retries_5xx_and_connect_errors_with_bounded_jitter() {
        let policy = RetryPolicy {
            attempt: 2,
            ..RetryPolicy::default()
        };
        for outcome in [
            Outcome::Status(StatusCode::BAD_GATEWAY, None),
            Outcome::ConnectError,
        ] {
            let delay = policy.delay_for(&Method::GET, outcome).expect("retried");
            assert!(
                delay >= Duration::from_millis(200) && delay <= Duration::from_millis(400),
                "{delay:?}"
            );
        }
    }

    #[test]
    fn never_retries_writes_or_client_errors() {
        let policy = RetryPolicy::default();
        let unavailable = Outcome::Status(StatusCode::SERVICE_UNAVAILABLE, None);
        assert_eq!(policy.delay_for(&Method::POST, unavailable), None);
        assert_eq!(
            policy.delay_for(&Method::PATCH, Outcome::ConnectError),
            None
        );
        let not_found = Outcome::Status(StatusCode::NOT_FOUND, None);
        assert_eq!(policy.delay_for(&Method::GET, not_found), None);
    }

    #[test]
    fn stops_after_the_attempt_budget() {
        let policy = RetryPolicy {
            attempts_left: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(policy.delay_for(&Method::GET, Outcome::ConnectError), None);
    }
}
