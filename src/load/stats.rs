//! Per-worker counters merged once at the end: an HDR histogram of latencies in microseconds,
//! status codes, errors by kind and responses per version.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    Connect,
    Timeout,
    Tls,
    Reset,
    Other,
}

const HIGHEST_MICROS: u64 = 3_600_000_000;

pub struct WorkerStats {
    pub latency: Histogram<u64>,
    pub statuses: BTreeMap<u16, u64>,
    pub errors: BTreeMap<ErrorKind, u64>,
    pub versions: BTreeMap<String, u64>,
}

impl WorkerStats {
    pub fn new() -> Self {
        let latency = Histogram::new_with_bounds(1, HIGHEST_MICROS, 3).unwrap_or_else(|_| {
            Histogram::new(3).unwrap_or_else(|_| unreachable!("3 significant figures are valid"))
        });
        Self {
            latency,
            statuses: BTreeMap::new(),
            errors: BTreeMap::new(),
            versions: BTreeMap::new(),
        }
    }

    pub fn record(&mut self, micros: u64) {
        let _ = self.latency.record(micros.clamp(1, HIGHEST_MICROS));
    }

    pub fn merge(&mut self, other: WorkerStats) {
        let _ = self.latency.add(&other.latency);
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
        for (k, v) in other.versions {
            *self.versions.entry(k).or_default() += v;
        }
    }

    pub fn responses(&self) -> u64 {
        self.statuses.values().sum()
    }

    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}
