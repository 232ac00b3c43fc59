//! When each request should start: a request count, a deadline, or a constant arrival rate.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use super::Progress;

pub struct Plan {
    pub issued: AtomicU64,
    pub limit: Option<u64>,
    pub deadline: Option<Instant>,
    pub interval: Option<Duration>,
    pub start: Instant,
}

impl Plan {
    /// The next request's intended start, or `None` when the plan is done.
    pub fn next(&self, progress: &Progress) -> Option<Instant> {
        if progress.stop.load(Ordering::Relaxed) {
            return None;
        }
        // A plain duration run needs no request index: skip the shared counter.
        let index = if self.limit.is_some() || self.interval.is_some() {
            self.issued.fetch_add(1, Ordering::Relaxed)
        } else {
            0
        };
        if self.limit.is_some_and(|limit| index >= limit) {
            return None;
        }
        let intended = match self.interval {
            Some(interval) => self.start + interval.mul_f64(index as f64),
            None => Instant::now(),
        };
        if self.deadline.is_some_and(|deadline| intended >= deadline) {
            return None;
        }
        Some(intended)
    }
}
