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
    /// meshctl itself ran out of file descriptors (EMFILE): not the target's error, never
    /// counted; the run stops and fails.
    OwnFiles,
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect",
            Self::Timeout => "timeout",
            Self::Tls => "tls",
            Self::Reset => "reset",
            Self::Other => "other",
            Self::OwnFiles => "meshctl's open-file limit",
        })
    }
}

const HIGHEST_MICROS: u64 = 3_600_000_000;

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIGHEST_MICROS, 3)
        .unwrap_or_else(|_| unreachable!("1 µs to 1 h at 3 significant figures is a valid range"))
}

/// Latencies in a few shared histograms rather than one per worker: at 3 significant figures a
/// histogram is ~190 KB, which 500 workers would turn into ~95 MB. Workers pick a shard by index,
/// so a lock is rarely contended.
pub struct LatencyShards {
    shards: Vec<std::sync::Mutex<Histogram<u64>>>,
}

impl LatencyShards {
    pub fn new(workers: usize) -> Self {
        let count = workers.clamp(1, 16);
        Self {
            shards: (0..count)
                .map(|_| std::sync::Mutex::new(histogram()))
                .collect(),
        }
    }

    pub fn record(&self, worker: usize, micros: u64) {
        let shard = &self.shards[worker % self.shards.len()];
        let mut h = shard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = h.record(micros.clamp(1, HIGHEST_MICROS));
    }

    pub fn merged(&self) -> Histogram<u64> {
        let mut total = histogram();
        for shard in &self.shards {
            let _ = total.add(
                &*shard
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
        }
        total
    }
}

#[derive(Default)]
pub struct WorkerStats {
    pub statuses: BTreeMap<u16, u64>,
    pub errors: BTreeMap<ErrorKind, u64>,
    pub versions: BTreeMap<String, u64>,
}

impl WorkerStats {
    pub fn merge(&mut self, other: WorkerStats) {
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
}
