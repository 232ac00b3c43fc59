//! Injected faults: the observed abort share and the share of responses that took at least the
//! injected delay, each tested against its configured rate by a two-sided binomial test.

use std::time::Duration;

use serde::Serialize;

use super::{CONFIDENCE, Verdict, pct};
use crate::load::LoadReport;

/// Two-sided z at 95 %.
const Z_95: f64 = 1.96;

/// Expected fault rates: aborts answer `abort_status`, delays take at least `delay`.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedFaults {
    pub abort_pct: Option<f64>,
    pub abort_status: u16,
    pub delay: Option<(f64, Duration)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FaultCheck {
    pub kind: String,
    pub expected_pct: f64,
    pub observed_pct: f64,
    pub count: u64,
    pub verdict: Verdict,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FaultVerdict {
    pub test: String,
    pub checks: Vec<FaultCheck>,
}

pub fn check_faults(measured: &LoadReport, expected: &ExpectedFaults) -> FaultVerdict {
    let mut checks = Vec::new();
    let total = measured.responses;
    if let Some(pct) = expected.abort_pct {
        let aborted = measured
            .status_codes
            .get(&expected.abort_status.to_string())
            .copied()
            .unwrap_or(0);
        let kind = format!("abort ({})", expected.abort_status);
        checks.push(binomial(&kind, pct, aborted, total));
    }
    if let Some((pct, delay)) = expected.delay {
        let delayed = measured.count_at_least(delay);
        let kind = format!("delay ≥ {}", humantime::format_duration(delay));
        checks.push(binomial(&kind, pct, delayed, total));
    }
    FaultVerdict {
        test: format!(
            "two-sided binomial (normal approximation), {}% confidence",
            CONFIDENCE * 100.0
        ),
        checks,
    }
}

fn binomial(kind: &str, expected_pct: f64, count: u64, total: u64) -> FaultCheck {
    let p = expected_pct / 100.0;
    let n = total as f64;
    let check = |verdict, detail| FaultCheck {
        kind: kind.into(),
        expected_pct,
        observed_pct: pct(count, total),
        count,
        verdict,
        detail,
    };
    if n * p < 5.0 || n * (1.0 - p) < 5.0 {
        let detail = format!(
            "{total} responses: too few for a verdict at {expected_pct}% (need n·p ≥ 5 and n·(1−p) ≥ 5)"
        );
        return check(Verdict::Inconclusive, detail);
    }
    let z = (count as f64 - n * p) / (n * p * (1.0 - p)).sqrt();
    let verdict = if z.abs() <= Z_95 {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    check(verdict, format!("z = {z:.2} (|z| ≤ {Z_95} passes)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_accepts_noise_and_rejects_a_wrong_rate() {
        assert_eq!(binomial("abort", 5.0, 52, 1000).verdict, Verdict::Pass);
        assert_eq!(binomial("abort", 5.0, 120, 1000).verdict, Verdict::Fail);
        assert_eq!(binomial("abort", 5.0, 1, 40).verdict, Verdict::Inconclusive);
    }
}
