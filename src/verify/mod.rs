//! What the traffic proves: a measurement of the load engine judged against thresholds and
//! against the expected version split and fault rates, given as flags or read from the mesh
//! config. It never sends a request: `load` measures, this module judges.

mod config;
mod error;
pub mod expected;
mod fault;
mod http_route;
mod pick;
mod reach;
mod request;
pub mod spec;
mod split;
mod thresholds;
mod virtual_service;

use serde::Serialize;

pub use config::{ConfigSource, expectations};
pub use error::{Error, Result};
pub use expected::Expectations;
pub use fault::{ExpectedFaults, FaultVerdict, check_faults};
pub use pick::{RouteKind, RouteRef, parse_route};
pub use request::RequestShape;
pub use split::{SplitVerdict, Weights, check_split};
pub use thresholds::{Threshold, Thresholds};

use crate::load::LoadReport;

pub const CONFIDENCE: f64 = 0.95;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Inconclusive,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Inconclusive => "inconclusive",
        })
    }
}

/// What to judge the measurement against. Expectations given directly win over the config's.
#[derive(Debug, Clone, Default)]
pub struct Criteria {
    pub thresholds: Thresholds,
    pub split: Option<Weights>,
    pub faults: Option<ExpectedFaults>,
    /// Whether responses name their version, so that a split can be checked at all.
    pub versions_read: bool,
    pub config: Option<Expectations>,
}

/// The verdicts on one run.
#[derive(Debug, Clone, Serialize)]
pub struct Verdicts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitVerdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<FaultVerdict>,
    pub thresholds: Vec<Threshold>,
    /// Where the expected split and faults were found in the mesh config.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<Expectations>,
    /// A split was expected but responses name no version: it was not checked.
    #[serde(skip)]
    pub unchecked_split: Option<Weights>,
}

impl Verdicts {
    pub fn passed(&self) -> bool {
        self.thresholds.iter().all(|t| t.ok)
    }
}

/// Judges the measurement. The split and fault verdicts are thresholds too: a failed or
/// inconclusive one fails the run.
pub fn judge(measured: &LoadReport, criteria: Criteria) -> Verdicts {
    let config = criteria.config;
    let expected_split = criteria
        .split
        .or_else(|| config.as_ref().and_then(|c| c.split.clone()));
    let faults = criteria
        .faults
        .or_else(|| config.as_ref().and_then(|c| c.faults.clone()));
    let (split, unchecked_split) = match expected_split {
        Some(weights) if criteria.versions_read => {
            (Some(check_split(&measured.versions, &weights)), None)
        }
        other => (None, other),
    };
    let fault = faults.map(|expected| check_faults(measured, &expected));
    let mut thresholds = thresholds::evaluate(measured, &criteria.thresholds);
    if let Some(split) = &split {
        thresholds.push(Threshold {
            name: "expect-split".into(),
            ok: split.verdict == Verdict::Pass,
            detail: format!("{}: {}", split.verdict, split.detail),
        });
    }
    for check in fault.iter().flat_map(|f| &f.checks) {
        thresholds.push(Threshold {
            name: format!("expect-fault {}", check.kind),
            ok: check.verdict == Verdict::Pass,
            detail: format!(
                "{}: observed {:.2}%, expected {}%; {}",
                check.verdict, check.observed_pct, check.expected_pct, check.detail
            ),
        });
    }
    Verdicts {
        split,
        fault,
        thresholds,
        config,
        unchecked_split,
    }
}

/// A run in which no request got a response measured nothing: it is an error, whatever the
/// thresholds say.
pub fn require_responses(measured: &LoadReport, url: &str) -> Result<()> {
    if measured.responses > 0 {
        return Ok(());
    }
    Err(Error::NothingMeasured {
        url: url.to_string(),
        attempts: measured.attempts,
        errors: measured.errors.clone(),
    })
}

fn pct(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * count as f64 / total as f64
    }
}
