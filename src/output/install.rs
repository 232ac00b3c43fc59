//! Text rendering of an install or uninstall report.

use serde::Serialize;

use super::Palette;
use crate::checks::{Check, Status};
use crate::kube::{ApplyResult, ObjectOutcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Done,
    Planned,
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub name: &'static str,
    pub status: StepStatus,
    pub detail: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct InstallReport {
    pub dry_run: bool,
    pub preflight: Vec<Check>,
    pub steps: Vec<Step>,
    pub objects: Vec<ObjectOutcome>,
}

impl InstallReport {
    pub fn step(&mut self, name: &'static str, status: StepStatus, detail: impl Into<String>) {
        self.steps.push(Step {
            name,
            status,
            detail: detail.into(),
        });
    }

    pub fn count(&self, result: ApplyResult) -> usize {
        self.objects.iter().filter(|o| o.result == result).count()
    }
}

pub fn render_install(report: &InstallReport, palette: &Palette) -> String {
    let mut out = String::new();
    for check in &report.preflight {
        let mark = match check.status {
            Status::Pass => palette.pass.apply_to("√"),
            Status::Warn => palette.warn.apply_to("‼"),
            Status::Fail => palette.fail.apply_to("×"),
            Status::Skip => palette.dim.apply_to("-"),
        };
        out.push_str(&format!(
            "{mark} preflight: {}: {}\n",
            check.title, check.detail
        ));
    }
    for step in &report.steps {
        let mark = match step.status {
            StepStatus::Done => palette.pass.apply_to("√"),
            StepStatus::Planned => palette.warn.apply_to("~"),
            StepStatus::Skipped => palette.dim.apply_to("-"),
        };
        out.push_str(&format!("{mark} {}: {}\n", step.name, step.detail));
    }
    if !report.objects.is_empty() {
        out.push_str(&format!("\n{}\n", palette.bold.apply_to("objects")));
        for object in &report.objects {
            let result = serde_json::to_value(object.result)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let style = match object.result {
                ApplyResult::Rejected => &palette.fail,
                ApplyResult::Skipped => &palette.warn,
                _ => &palette.dim,
            };
            out.push_str(&format!(
                "  {:<11} {}",
                style.apply_to(&result),
                object.resource
            ));
            if let Some(reason) = &object.reason {
                out.push_str(&format!("  ({reason})"));
            }
            out.push('\n');
        }
    }
    let prefix = if report.dry_run {
        "Dry run, nothing changed: "
    } else {
        ""
    };
    out.push_str(&format!("\n{prefix}{}\n", summary(report)));
    out
}

/// `3 created, 9 unchanged, 2 skipped`: every result that occurred, in a fixed order.
fn summary(report: &InstallReport) -> String {
    use ApplyResult::*;
    let parts: Vec<String> = [
        Created, Configured, Unchanged, Skipped, Rejected, Deleted, Absent, Kept,
    ]
    .into_iter()
    .filter_map(|result| {
        let count = report.count(result);
        let name = serde_json::to_value(result).ok()?.as_str()?.to_string();
        (count > 0).then(|| format!("{count} {name}"))
    })
    .collect();
    if parts.is_empty() {
        "no objects".into()
    } else {
        parts.join(", ")
    }
}
