//! What the traffic proves: the observed version split and fault rates tested against the
//! configured ones at 95 % confidence, and k6-style thresholds. Too few requests for a verdict is
//! reported as inconclusive, never as a pass.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::report::LoadReport;

pub const CONFIDENCE: f64 = 0.95;

/// Chi-square critical values at α = 0.05 for 1..=10 degrees of freedom.
const CHI_SQUARE_95: [f64; 10] = [
    3.841, 5.991, 7.815, 9.488, 11.070, 12.592, 14.067, 15.507, 16.919, 18.307,
];
/// Two-sided z at 95 %.
const Z_95: f64 = 1.96;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Inconclusive,
}

#[derive(Debug, Clone, Serialize)]
pub struct SplitShare {
    pub version: String,
    pub expected_pct: f64,
    pub observed_pct: f64,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SplitVerdict {
    pub verdict: Verdict,
    pub test: String,
    pub shares: Vec<SplitShare>,
    pub detail: String,
}

/// Chi-square goodness of fit of the responses per version against the expected weights.
/// Responses with no or an unexpected version count as their own category, expected 0.
pub fn check_split(versions: &BTreeMap<String, u64>, expected: &[(String, f64)]) -> SplitVerdict {
    let total: u64 = versions.values().sum();
    let weight_sum: f64 = expected.iter().map(|(_, w)| w).sum();
    let shares: Vec<SplitShare> = expected
        .iter()
        .map(|(version, weight)| {
            let count = versions.get(version).copied().unwrap_or(0);
            SplitShare {
                version: version.clone(),
                expected_pct: 100.0 * weight / weight_sum,
                observed_pct: pct(count, total),
                count,
            }
        })
        .collect();
    let unexpected: u64 = versions
        .iter()
        .filter(|(v, _)| !expected.iter().any(|(e, _)| e == *v))
        .map(|(_, c)| c)
        .sum();
    let test = format!(
        "chi-square goodness of fit, {}% confidence",
        CONFIDENCE * 100.0
    );
    let min_expected = shares
        .iter()
        .map(|s| s.expected_pct / 100.0 * total as f64)
        .fold(f64::INFINITY, f64::min);
    if total == 0 || min_expected < 5.0 {
        let detail = format!(
            "{total} responses with a version: too few for a verdict (every version needs ≥ 5 expected)"
        );
        return SplitVerdict {
            verdict: Verdict::Inconclusive,
            test,
            shares,
            detail,
        };
    }
    if unexpected > 0 {
        let detail =
            format!("{unexpected} responses came from a version that should get no traffic");
        return SplitVerdict {
            verdict: Verdict::Fail,
            test,
            shares,
            detail,
        };
    }
    let statistic: f64 = shares
        .iter()
        .map(|s| {
            let expected = s.expected_pct / 100.0 * total as f64;
            (s.count as f64 - expected).powi(2) / expected
        })
        .sum();
    let df = shares.len().saturating_sub(1).clamp(1, CHI_SQUARE_95.len());
    let critical = CHI_SQUARE_95[df - 1];
    let verdict = if statistic <= critical {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    let detail =
        format!("χ² = {statistic:.2} with {df} degree(s) of freedom, critical value {critical}");
    SplitVerdict {
        verdict,
        test,
        shares,
        detail,
    }
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

/// Expected fault rates: aborts answer `abort_status`, delays take at least `delay`.
#[derive(Debug, Clone)]
pub struct ExpectedFaults {
    pub abort_pct: Option<f64>,
    pub abort_status: u16,
    pub delay: Option<(f64, Duration)>,
}

pub fn check_faults(report: &LoadReport, expected: &ExpectedFaults) -> FaultVerdict {
    let mut checks = Vec::new();
    let total = report.requests;
    if let Some(pct) = expected.abort_pct {
        let aborted = report
            .status_codes
            .get(&expected.abort_status.to_string())
            .copied()
            .unwrap_or(0);
        checks.push(binomial(
            &format!("abort ({})", expected.abort_status),
            pct,
            aborted,
            total,
        ));
    }
    if let Some((pct, delay)) = expected.delay {
        let delayed = report.count_at_least(delay);
        checks.push(binomial(
            &format!("delay ≥ {}", humantime::format_duration(delay)),
            pct,
            delayed,
            total,
        ));
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
    let observed_pct = pct(count, total);
    if n * p < 5.0 || n * (1.0 - p) < 5.0 {
        let detail = format!(
            "{total} responses: too few for a verdict at {expected_pct}% (need n·p ≥ 5 and n·(1−p) ≥ 5)"
        );
        return FaultCheck {
            kind: kind.into(),
            expected_pct,
            observed_pct,
            count,
            verdict: Verdict::Inconclusive,
            detail,
        };
    }
    let z = (count as f64 - n * p) / (n * p * (1.0 - p)).sqrt();
    let verdict = if z.abs() <= Z_95 {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    FaultCheck {
        kind: kind.into(),
        expected_pct,
        observed_pct,
        count,
        verdict,
        detail: format!("z = {z:.2} (|z| ≤ {Z_95} passes)"),
    }
}

fn pct(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        100.0 * count as f64 / total as f64
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Threshold {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Default)]
pub struct Thresholds {
    pub max_p99: Option<Duration>,
    pub max_error_rate_pct: Option<f64>,
    pub min_rps: Option<f64>,
    pub expect_status: Option<u16>,
}

pub fn evaluate(report: &LoadReport, limits: &Thresholds) -> Vec<Threshold> {
    let mut out = Vec::new();
    if let Some(max) = limits.max_p99 {
        let limit_ms = max.as_secs_f64() * 1000.0;
        out.push(Threshold {
            name: "max-p99".into(),
            ok: report.requests > 0 && report.latency_ms.p99 <= limit_ms,
            detail: format!(
                "p99 {:.2} ms, limit {limit_ms:.2} ms",
                report.latency_ms.p99
            ),
        });
    }
    if let Some(max) = limits.max_error_rate_pct {
        let attempts = report.requests + report.error_count();
        let non_2xx_or_error = report.error_count()
            + report
                .status_codes
                .iter()
                .filter(|(code, _)| code.as_str() >= "400")
                .map(|(_, c)| c)
                .sum::<u64>();
        let rate = pct(non_2xx_or_error, attempts);
        out.push(Threshold {
            name: "max-error-rate".into(),
            ok: attempts > 0 && rate <= max,
            detail: format!(
                "{rate:.2}% of {attempts} requests failed (errors and 4xx/5xx), limit {max}%"
            ),
        });
    }
    if let Some(min) = limits.min_rps {
        out.push(Threshold {
            name: "min-rps".into(),
            ok: report.rps >= min,
            detail: format!("{:.1} requests/s, minimum {min}", report.rps),
        });
    }
    if let Some(status) = limits.expect_status {
        let other: u64 = report
            .status_codes
            .iter()
            .filter(|(code, _)| **code != status.to_string())
            .map(|(_, c)| c)
            .sum::<u64>()
            + report.error_count();
        out.push(Threshold {
            name: "expect-status".into(),
            ok: other == 0 && report.requests > 0,
            detail: format!("{other} responses or errors other than {status}"),
        });
    }
    if let Some(split) = &report.split {
        out.push(Threshold {
            name: "expect-split".into(),
            ok: split.verdict == Verdict::Pass,
            detail: format!("{:?}: {}", split.verdict, split.detail).to_lowercase(),
        });
    }
    if let Some(fault) = &report.fault {
        for check in &fault.checks {
            out.push(Threshold {
                name: format!("expect-fault {}", check.kind),
                ok: check.verdict == Verdict::Pass,
                detail: format!(
                    "{:?}: observed {:.2}%, expected {}%; {}",
                    check.verdict, check.observed_pct, check.expected_pct, check.detail
                )
                .to_lowercase(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(v, c)| (v.to_string(), *c)).collect()
    }

    fn weights() -> Vec<(String, f64)> {
        vec![("v1".into(), 80.0), ("v2".into(), 20.0)]
    }

    #[test]
    fn an_80_20_split_passes_and_60_40_fails() {
        assert_eq!(
            check_split(&versions(&[("v1", 805), ("v2", 195)]), &weights()).verdict,
            Verdict::Pass
        );
        assert_eq!(
            check_split(&versions(&[("v1", 600), ("v2", 400)]), &weights()).verdict,
            Verdict::Fail
        );
    }

    #[test]
    fn too_few_responses_are_inconclusive_never_a_pass() {
        let verdict = check_split(&versions(&[("v1", 16), ("v2", 4)]), &weights());
        assert_eq!(verdict.verdict, Verdict::Inconclusive);
    }

    #[test]
    fn a_version_that_should_get_nothing_fails() {
        assert_eq!(
            check_split(
                &versions(&[("v1", 800), ("v2", 190), ("v3", 10)]),
                &weights()
            )
            .verdict,
            Verdict::Fail
        );
    }

    #[test]
    fn binomial_accepts_noise_and_rejects_a_wrong_rate() {
        assert_eq!(binomial("abort", 5.0, 52, 1000).verdict, Verdict::Pass);
        assert_eq!(binomial("abort", 5.0, 120, 1000).verdict, Verdict::Fail);
        assert_eq!(binomial("abort", 5.0, 1, 40).verdict, Verdict::Inconclusive);
    }
}
