//! The measurement of a run: attempts, responses and errors, rates, latency percentiles and a
//! hey-style histogram, from the merged stats. What it proves is for `verify` to judge.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::stats::{ErrorKind, WorkerStats};

#[derive(Debug, Clone, Serialize)]
pub struct LatencyMs {
    pub min: f64,
    pub mean: f64,
    pub p50: f64,
    pub p75: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    pub le_ms: f64,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// Requests started: each got a response or an error.
    pub attempts: u64,
    /// Requests answered with any status.
    pub responses: u64,
    /// The same as `responses` (its name in earlier reports).
    pub requests: u64,
    pub duration_s: f64,
    pub rps: f64,
    /// Threads that sent the load (`--threads`, or the default chosen for the target).
    pub threads: usize,
    pub status_codes: BTreeMap<String, u64>,
    pub errors: BTreeMap<ErrorKind, u64>,
    pub latency_ms: LatencyMs,
    pub histogram: Vec<Bucket>,
    /// Latency measured from each request's intended start (`--qps`).
    pub coordinated_omission_corrected: bool,
    /// Stopped early (Ctrl-C): what was measured until then.
    pub interrupted: bool,
    /// Responses per version, where responses name it.
    #[serde(skip)]
    pub versions: BTreeMap<String, u64>,
    #[serde(skip)]
    latency: hdrhistogram::Histogram<u64>,
}

fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

impl LoadReport {
    pub(super) fn build(
        stats: &WorkerStats,
        latency: hdrhistogram::Histogram<u64>,
        elapsed: Duration,
        threads: usize,
        corrected: bool,
        interrupted: bool,
    ) -> Self {
        let h = &latency;
        let empty = h.is_empty();
        let q = |quantile: f64| {
            if empty {
                0.0
            } else {
                ms(h.value_at_quantile(quantile))
            }
        };
        let latency_ms = LatencyMs {
            min: if empty { 0.0 } else { ms(h.min()) },
            mean: if empty { 0.0 } else { h.mean() / 1000.0 },
            p50: q(0.50),
            p75: q(0.75),
            p90: q(0.90),
            p95: q(0.95),
            p99: q(0.99),
            p999: q(0.999),
            max: if empty { 0.0 } else { ms(h.max()) },
        };
        let responses = stats.responses();
        let seconds = elapsed.as_secs_f64().max(f64::EPSILON);
        Self {
            attempts: responses + stats.errors.values().sum::<u64>(),
            responses,
            requests: responses,
            duration_s: seconds,
            rps: responses as f64 / seconds,
            threads,
            status_codes: stats
                .statuses
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect(),
            errors: stats.errors.clone(),
            histogram: buckets(h),
            latency_ms,
            coordinated_omission_corrected: corrected,
            interrupted,
            versions: stats.versions.clone(),
            latency,
        }
    }

    /// Responses that took at least `threshold`.
    pub fn count_at_least(&self, threshold: Duration) -> u64 {
        let micros = u64::try_from(threshold.as_micros()).unwrap_or(u64::MAX);
        self.latency
            .iter_recorded()
            .filter(|v| v.value_iterated_to() >= micros)
            .map(|v| v.count_at_value())
            .sum()
    }

    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

/// Ten equal-width buckets from min to max, like hey's latency histogram.
fn buckets(h: &hdrhistogram::Histogram<u64>) -> Vec<Bucket> {
    if h.is_empty() {
        return Vec::new();
    }
    let (min, max) = (h.min(), h.max().max(h.min() + 1));
    let step = (max - min).div_ceil(10).max(1);
    (1..=10)
        .map(|i| {
            let upper = min + step * i;
            let lower = upper - step;
            let count = h
                .iter_recorded()
                .filter(|v| {
                    v.value_iterated_to() > lower.saturating_sub(u64::from(i == 1))
                        && v.value_iterated_to() <= upper
                })
                .map(|v| v.count_at_value())
                .sum();
            Bucket {
                le_ms: ms(upper),
                count,
            }
        })
        .collect()
}
