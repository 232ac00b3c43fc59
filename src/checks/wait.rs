//! `health --wait`: rounds until every check passes or the time is up. A round after the first
//! re-runs only the checks that failed (or were skipped, perhaps because of a failure) and keeps
//! the others' results; an API server that does not answer is "not yet", not the end.

use std::time::{Duration, Instant};

use super::{HealthOptions, HealthReport, Result, run_health};
use crate::kube::Connection;

/// Runs the checks until none fails or the next round would start after `deadline`.
/// `waiting` hears why another round comes.
pub async fn run_until_healthy(
    conn: &Connection,
    opts: &HealthOptions,
    deadline: Instant,
    interval: Duration,
    waiting: &(dyn Fn(&str) + Sync),
) -> Result<HealthReport> {
    let mut last: Option<HealthReport> = None;
    loop {
        let round = match &last {
            Some(report) => HealthOptions {
                selection: opts.selection.rerun_of(report),
                ..opts.clone()
            },
            None => opts.clone(),
        };
        let again = Instant::now() + interval < deadline;
        match run_health(conn, &round).await {
            Ok(report) => {
                let report = match last.take() {
                    Some(before) => before.merge(report),
                    None => report,
                };
                if !report.failed() || !again {
                    return Ok(report);
                }
                waiting(&format!("waiting: {} checks failing", report.failing()));
                last = Some(report);
            }
            Err(e) if e.is_transient() && again => {
                waiting(&format!("waiting: {e}"));
            }
            Err(e) => return Err(e),
        }
        tokio::time::sleep(interval).await;
    }
}
