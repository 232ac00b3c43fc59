//! The version split: responses per version tested against the expected weights by a chi-square
//! goodness of fit at 95 % confidence. Too few responses is inconclusive, never a pass.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CONFIDENCE, Verdict, pct};

/// Chi-square critical values at α = 0.05 for 1..=10 degrees of freedom.
const CHI_SQUARE_95: [f64; 10] = [
    3.841, 5.991, 7.815, 9.488, 11.070, 12.592, 14.067, 15.507, 16.919, 18.307,
];

/// Expected weights per version, in the order given: `v1=80,v2=20`.
pub type Weights = Vec<(String, f64)>;

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
/// Responses with an unexpected version count as their own category, expected 0.
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
    let verdict = |verdict, shares, detail| SplitVerdict {
        verdict,
        test: test.clone(),
        shares,
        detail,
    };
    let min_expected = shares
        .iter()
        .map(|s| s.expected_pct / 100.0 * total as f64)
        .fold(f64::INFINITY, f64::min);
    if total == 0 || min_expected < 5.0 {
        let detail = format!(
            "{total} responses with a version: too few for a verdict (every version needs ≥ 5 expected)"
        );
        return verdict(Verdict::Inconclusive, shares, detail);
    }
    if unexpected > 0 {
        let detail =
            format!("{unexpected} responses came from a version that should get no traffic");
        return verdict(Verdict::Fail, shares, detail);
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
    let outcome = if statistic <= critical {
        Verdict::Pass
    } else {
        Verdict::Fail
    };
    let detail =
        format!("χ² = {statistic:.2} with {df} degree(s) of freedom, critical value {critical}");
    verdict(outcome, shares, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
        pairs.iter().map(|(v, c)| (v.to_string(), *c)).collect()
    }

    fn weights() -> Weights {
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
}
