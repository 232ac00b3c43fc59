//! The ranges the load engine honours, checked when the command line is parsed: a rate or a
//! duration beyond them cannot be scheduled (the clock overflows) or would never end.

use std::time::Duration;

/// One request every 1000 s at the slowest; at the fastest, 100 ns apart, the clock's grain.
pub const MIN_QPS: f64 = 0.001;
pub const MAX_QPS: f64 = 10_000_000.0;

/// A run, a request timeout or a wait of at most a year.
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// `--threads`: lanes, each a thread of the runtime's blocking pool for the whole run.
pub const MAX_THREADS: u16 = 1024;

/// The blocking pool a runtime needs so that every lane runs at once, beside the 512 threads
/// tokio keeps for DNS lookups and file reads: with only those, lanes beyond 512 would wait for
/// others to end, and their connections would never open.
pub const BLOCKING_THREADS: usize = 512 + MAX_THREADS as usize;

/// `--qps`: requests per second.
pub fn parse_qps(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    if (MIN_QPS..=MAX_QPS).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!(
            "must be between {MIN_QPS} and {MAX_QPS} requests per second"
        ))
    }
}

/// A duration above zero and at most [`MAX_DURATION`] (a run, a request timeout).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration = parse_wait(text)?;
    if duration.is_zero() {
        return Err("must be more than 0".into());
    }
    Ok(duration)
}

/// A duration from zero to [`MAX_DURATION`] (how long to wait for something).
pub fn parse_wait(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text).map_err(|e| e.to_string())?;
    if duration > MAX_DURATION {
        return Err(format!(
            "must be at most {} days",
            MAX_DURATION.as_secs() / 86_400
        ));
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_outside_what_the_clock_can_schedule_are_refused() {
        assert_eq!(parse_qps("200"), Ok(200.0));
        assert_eq!(parse_qps("0.5"), Ok(0.5));
        for bad in ["0", "-1", "1e-20", "1e-18", "1e9", "NaN", "inf", "fast"] {
            assert!(parse_qps(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations_are_above_zero_and_at_most_a_year() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("400000000000y").is_err());
        assert!(parse_duration("2years").is_err());
        assert_eq!(parse_wait("0s"), Ok(Duration::ZERO));
        assert!(parse_wait("400000000000y").is_err());
    }
}
