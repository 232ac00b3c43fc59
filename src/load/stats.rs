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

/// What one lane of connections counted: its own histogram and counts, locked only by the lane's
/// task (never contended) and merged once at the end. One histogram per lane, not per connection:
/// at 3 significant figures one is ~190 KB, which 500 connections would make ~95 MB.
pub struct Tally {
    pub stats: WorkerStats,
    pub latency: Histogram<u64>,
    /// Outcomes not yet added to the shared progress counter.
    pub unreported: u64,
}

impl Default for Tally {
    fn default() -> Self {
        Self {
            stats: WorkerStats::default(),
            latency: histogram(),
            unreported: 0,
        }
    }
}

impl Tally {
    pub fn response(&mut self, status: u16, version: Option<String>, micros: u64) {
        let _ = self.latency.record(micros.clamp(1, HIGHEST_MICROS));
        *self.stats.statuses.entry(status).or_default() += 1;
        if let Some(version) = version {
            *self.stats.versions.entry(version).or_default() += 1;
        }
        self.unreported += 1;
    }

    pub fn error(&mut self, kind: ErrorKind) {
        *self.stats.errors.entry(kind).or_default() += 1;
        self.unreported += 1;
    }

    pub fn merge(&mut self, other: Tally) {
        self.stats.merge(other.stats);
        let _ = self.latency.add(&other.latency);
        self.unreported += other.unreported;
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
