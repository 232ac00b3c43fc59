//! Text rendering of a health report, in the `linkerd check` style: ✓ ‼ × per check, grouped,
//! with a hint under each check that did not pass.

use super::Palette;
use crate::checks::{HealthReport, Status};

pub fn render_health(report: &HealthReport, palette: &Palette) -> String {
    let mut out = String::new();
    let mut group = None;
    for check in &report.checks {
        if group != Some(check.group) {
            if group.is_some() {
                out.push('\n');
            }
            let title = check.group.title();
            out.push_str(&format!(
                "{}\n{}\n",
                palette.bold.apply_to(title),
                "-".repeat(title.len())
            ));
            group = Some(check.group);
        }
        let (mark, style) = match check.status {
            Status::Pass => ("√", &palette.pass),
            Status::Warn => ("‼", &palette.warn),
            Status::Fail => ("×", &palette.fail),
            Status::Skip => ("-", &palette.dim),
        };
        out.push_str(&format!(
            "{} {}: {}\n",
            style.apply_to(mark),
            check.title,
            check.detail
        ));
        if let Some(hint) = &check.hint {
            out.push_str(&format!("    {} {hint}\n", palette.dim.apply_to("hint:")));
        }
    }
    out.push_str(&format!("\n{}\n", summary(report)));
    out
}

fn summary(report: &HealthReport) -> String {
    let count = |s: Status| report.checks.iter().filter(|c| c.status == s).count();
    let verdict = match report.status {
        Status::Fail => "FAIL",
        Status::Warn => "PASS with warnings",
        Status::Pass | Status::Skip => "PASS",
    };
    format!(
        "Status: {verdict} ({} passed, {} warnings, {} failed, {} skipped)",
        count(Status::Pass),
        count(Status::Warn),
        count(Status::Fail),
        count(Status::Skip)
    )
}
