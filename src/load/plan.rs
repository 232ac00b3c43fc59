//! When each request should start: a request count, a deadline, or a constant arrival rate.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use super::LoadOptions;

pub struct Plan {
    issued: AtomicU64,
    limit: Option<u64>,
    deadline: Option<Instant>,
    /// Seconds between intended starts at a constant rate.
    interval: Option<f64>,
    start: Instant,
}

impl Plan {
    pub fn new(opts: &LoadOptions, start: Instant) -> Self {
        Self {
            issued: AtomicU64::new(0),
            limit: opts.requests.filter(|_| opts.duration.is_none()),
            // A deadline the clock cannot represent is never reached.
            deadline: opts.duration.and_then(|d| start.checked_add(d)),
            interval: opts.qps.map(|qps| 1.0 / qps),
            start,
        }
    }

    pub fn paced(&self) -> bool {
        self.interval.is_some()
    }

    /// The next request's intended start, or `None` when the plan is done.
    pub fn next(&self, stop: &AtomicBool) -> Option<Instant> {
        if stop.load(Ordering::Relaxed) {
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
            // A start the clock cannot represent never comes: the plan is done.
            Some(interval) => {
                let offset = Duration::try_from_secs_f64(interval * index as f64).ok()?;
                self.start.checked_add(offset)?
            }
            None => Instant::now(),
        };
        if self.deadline.is_some_and(|deadline| intended >= deadline) {
            return None;
        }
        Some(intended)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(qps: Option<f64>, requests: u64) -> LoadOptions {
        LoadOptions {
            url: http::Uri::from_static("http://127.0.0.1/"),
            requests: Some(requests),
            qps,
            ..crate::load::test_options()
        }
    }

    #[test]
    fn a_rate_spaces_the_intended_starts() {
        let start = Instant::now();
        let plan = Plan::new(&options(Some(4.0), 3), start);
        let stop = AtomicBool::new(false);
        let starts: Vec<Instant> = std::iter::from_fn(|| plan.next(&stop)).collect();
        assert_eq!(
            starts,
            vec![
                start,
                start + Duration::from_millis(250),
                start + Duration::from_millis(500)
            ]
        );
    }

    #[test]
    fn starts_beyond_the_clock_end_the_plan_instead_of_panicking() {
        let plan = Plan::new(&options(Some(1e-20), 5), Instant::now());
        let stop = AtomicBool::new(false);
        assert!(plan.next(&stop).is_some(), "the first starts at once");
        assert_eq!(plan.next(&stop), None);
    }
}
