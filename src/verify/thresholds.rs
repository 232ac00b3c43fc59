//! k6-style thresholds on the measurement: p99 latency, error rate, throughput and status.

use std::time::Duration;

use serde::Serialize;

use super::pct;
use crate::load::LoadReport;

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

pub fn evaluate(measured: &LoadReport, limits: &Thresholds) -> Vec<Threshold> {
    let mut out = Vec::new();
    if let Some(max) = limits.max_p99 {
        let limit_ms = max.as_secs_f64() * 1000.0;
        out.push(Threshold {
            name: "max-p99".into(),
            ok: measured.responses > 0 && measured.latency_ms.p99 <= limit_ms,
            detail: format!(
                "p99 {:.2} ms, limit {limit_ms:.2} ms",
                measured.latency_ms.p99
            ),
        });
    }
    if let Some(max) = limits.max_error_rate_pct {
        let attempts = measured.attempts;
        let failed = measured.error_count() + status_count(measured, |code| code >= "400");
        let rate = pct(failed, attempts);
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
            ok: measured.rps >= min,
            detail: format!("{:.1} requests/s, minimum {min}", measured.rps),
        });
    }
    if let Some(status) = limits.expect_status {
        let wanted = status.to_string();
        let other = status_count(measured, |code| code != wanted) + measured.error_count();
        out.push(Threshold {
            name: "expect-status".into(),
            ok: other == 0 && measured.responses > 0,
            detail: format!("{other} responses or errors other than {status}"),
        });
    }
    out
}

fn status_count(measured: &LoadReport, keep: impl Fn(&str) -> bool) -> u64 {
    measured
        .status_codes
        .iter()
        .filter(|(code, _)| keep(code.as_str()))
        .map(|(_, count)| count)
        .sum()
}
