//! The values of traffic-test's expectation flags: percentages, split weights (`v1=80,v2=20`)
//! and fault rates (`abort=5%,delay=10%:5s`), parsed before any request is sent.

use super::{ExpectedFaults, Weights};

pub fn parse_percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{text:?} is not a percentage"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{text:?} is not between 0 and 100%"))
    }
}

/// A request rate floor: a finite, non-negative number (NaN would make every comparison false).
pub fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value >= 0.0 => Ok(value),
        _ => Err(format!(
            "{text:?} is not a rate: give a number of requests per second, 0 or more"
        )),
    }
}

/// Expected weights per version, from `v1=80,v2=20`.
#[derive(Debug, Clone)]
pub struct SplitWeights(pub Weights);

pub fn parse_split(text: &str) -> Result<SplitWeights, String> {
    let mut weights = Vec::new();
    for part in text.split(',') {
        let (version, weight) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?}: write VERSION=WEIGHT"))?;
        let weight: f64 = weight
            .trim_end_matches('%')
            .parse()
            .map_err(|_| format!("{part:?}: the weight is not a number"))?;
        weights.push((version.trim().to_string(), weight));
    }
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    if weights.len() < 2 || (total - 100.0).abs() > 1e-9 {
        return Err(format!(
            "{text:?}: give two or more versions whose weights add up to 100"
        ));
    }
    Ok(SplitWeights(weights))
}

pub fn parse_faults(text: &str) -> Result<ExpectedFaults, String> {
    let mut faults = ExpectedFaults {
        abort_pct: None,
        abort_status: 503,
        delay: None,
    };
    for part in text.split(',') {
        let (kind, spec) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?}: write abort=5% or delay=10%:5s"))?;
        let (pct, extra) = spec
            .split_once(':')
            .map_or((spec, None), |(p, e)| (p, Some(e)));
        let pct = parse_percent(pct)?;
        match (kind.trim(), extra) {
            ("abort", status) => {
                faults.abort_pct = Some(pct);
                if let Some(status) = status {
                    faults.abort_status = status
                        .parse()
                        .map_err(|_| format!("{status:?} is not an HTTP status"))?;
                }
            }
            ("delay", Some(delay)) => {
                faults.delay = Some((
                    pct,
                    humantime::parse_duration(delay).map_err(|e| format!("{delay:?}: {e}"))?,
                ))
            }
            ("delay", None) => return Err("delay needs its fixed delay: delay=10%:5s".into()),
            (other, _) => return Err(format!("unknown fault {other:?}: abort or delay")),
        }
    }
    Ok(faults)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_rate_floor_is_a_finite_number_from_zero_up() {
        assert_eq!(parse_rate("0"), Ok(0.0));
        assert_eq!(parse_rate("1500.5"), Ok(1500.5));
        for bad in ["NaN", "inf", "-1", "-0.001", "fast", ""] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn percentages_are_between_0_and_100_with_or_without_the_sign() {
        assert_eq!(parse_percent("1%"), Ok(1.0));
        assert_eq!(parse_percent("0.5"), Ok(0.5));
        assert!(parse_percent("101%").is_err());
        assert!(parse_percent("-1").is_err());
        assert!(parse_percent("many").is_err());
    }

    #[test]
    fn split_weights_need_two_versions_adding_up_to_100() {
        let weights = parse_split("v1=80,v2=20%").expect("valid split").0;
        assert_eq!(weights, vec![("v1".into(), 80.0), ("v2".into(), 20.0)]);
        assert!(parse_split("v1=100").is_err());
        assert!(parse_split("v1=80,v2=30").is_err());
        assert!(parse_split("v1:80,v2:20").is_err());
        assert!(parse_split("v1=eighty,v2=20").is_err());
    }

    #[test]
    fn faults_give_abort_and_delay_rates_with_their_status_and_delay() {
        let faults = parse_faults("abort=5%,delay=10%:5s").expect("valid faults");
        assert_eq!(faults.abort_pct, Some(5.0));
        assert_eq!(faults.abort_status, 503);
        assert_eq!(faults.delay, Some((10.0, Duration::from_secs(5))));
        assert_eq!(
            parse_faults("abort=2%:502").expect("status").abort_status,
            502
        );
        assert!(
            parse_faults("delay=10%").is_err(),
            "a delay needs its duration"
        );
        assert!(parse_faults("abort=5%:teapot").is_err());
        assert!(parse_faults("drop=5%").is_err());
    }
}
