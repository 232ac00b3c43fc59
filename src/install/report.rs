//! What install and uninstall did: the preflight checks, each step, and every object's result.

use std::fmt;

use serde::Serialize;

use crate::checks::Check;
use crate::kube::{ApplyResult, ObjectOutcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Done,
    Planned,
    Skipped,
    /// Ctrl-C arrived while this step ran.
    Interrupted,
}

impl fmt::Display for StepStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Done => "done",
            Self::Planned => "planned",
            Self::Skipped => "skipped",
            Self::Interrupted => "interrupted",
        })
    }
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
    /// The step under way, for the report of an interrupted run.
    #[serde(skip)]
    pub running: Option<&'static str>,
}

impl InstallReport {
    pub fn new(dry_run: bool) -> Self {
        Self {
            dry_run,
            ..Self::default()
        }
    }

    pub fn step(&mut self, name: &'static str, status: StepStatus, detail: impl Into<String>) {
        self.steps.push(Step {
            name,
            status,
            detail: detail.into(),
        });
    }

    /// Records that Ctrl-C stopped the run in the step under way.
    pub fn interrupted(&mut self) {
        let during = self.running.take().unwrap_or("the run");
        self.step(
            "interrupted",
            StepStatus::Interrupted,
            format!("Ctrl-C during {during}; later steps were not run"),
        );
    }

    pub fn count(&self, result: ApplyResult) -> usize {
        self.objects.iter().filter(|o| o.result == result).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interrupted_run_names_the_step_under_way_once() {
        let mut report = InstallReport::new(false);
        report.step("istioctl", StepStatus::Done, "/bin/istioctl");
        report.running = Some("the manifest step");
        report.interrupted();
        let last = report.steps.last().expect("a step");
        assert_eq!(last.status, StepStatus::Interrupted);
        assert!(last.detail.contains("the manifest step"), "{}", last.detail);
        assert_eq!(report.running, None);
    }
}
