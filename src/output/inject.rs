//! Text rendering of an inject report (sidecar or ambient), and a status line per followed
//! rollout as it ends.

use super::{Mark, Palette, Printer, escape};
use crate::ambient::{EnrolReport, StepResult};
use crate::kube::{DeploymentOutcome, DeploymentResult, InjectReport, RolloutObserver};

pub fn render_inject(report: &InjectReport, palette: &Palette) -> String {
    let mut out = format!(
        "namespace {}: {}\n",
        escape(&report.namespace),
        escape(&report.label.to_string())
    );
    for d in &report.deployments {
        out.push_str(&deployment_line(d, palette));
    }
    if report.interrupted {
        out.push_str("interrupted: rollouts still under way were left to the cluster\n");
    }
    if report.deployments.is_empty() {
        out.push_str("no Deployments selected (use --deployment NAME or --all)\n");
    }
    out
}

fn deployment_line(d: &DeploymentOutcome, palette: &Palette) -> String {
    let mark = match d.result {
        DeploymentResult::Failed => Mark::Fail,
        DeploymentResult::Planned => Mark::Info,
        DeploymentResult::Interrupted => Mark::Warn,
        DeploymentResult::Restarted
        | DeploymentResult::AlreadyInjected
        | DeploymentResult::NoSidecar => Mark::Pass,
    };
    let mut line = format!(
        "{} {}: {}, {}/{} pods with istio-proxy",
        palette.mark(mark),
        escape(&d.name),
        d.result,
        d.injected_pods,
        d.pods
    );
    if let Some(reason) = &d.reason {
        line.push_str(&format!(" ({})", escape(reason)));
    }
    line.push('\n');
    line
}

/// `inject --mode ambient`: each step in order with what it did, then the Deployments.
pub fn render_enrol(report: &EnrolReport, palette: &Palette) -> String {
    let verb = if report.enabled {
        "enrolling"
    } else {
        "leaving"
    };
    let dry = if report.dry_run { " (dry run)" } else { "" };
    let mut out = format!(
        "namespace {}: {verb} ambient{dry}\n",
        escape(&report.namespace)
    );
    for step in &report.steps {
        let mark = match step.result {
            StepResult::Done | StepResult::Unchanged => Mark::Pass,
            StepResult::Planned => Mark::Info,
        };
        out.push_str(&format!(
            "{} {}: {}\n",
            palette.mark(mark),
            step.step,
            escape(&step.detail)
        ));
    }
    for d in &report.deployments {
        out.push_str("  ");
        out.push_str(&deployment_line(d, palette));
    }
    if report.interrupted {
        out.push_str("interrupted: rollouts still under way were left to the cluster\n");
    }
    out
}

/// `deployment ns/name: rolled out, 2/2 pods with istio-proxy` on stderr as each rollout ends.
pub struct RolloutStatus<'a>(pub &'a Printer);

impl RolloutObserver for RolloutStatus<'_> {
    fn rolled_out(&self, namespace: &str, d: &DeploymentOutcome) {
        let what = format!("deployment {}/{}", escape(namespace), escape(&d.name));
        let message = match (d.result, &d.reason) {
            (DeploymentResult::Failed, reason) => format!(
                "{what}: rollout failed: {}",
                escape(reason.as_deref().unwrap_or(""))
            ),
            _ => format!(
                "{what}: rolled out, {}/{} pods with istio-proxy",
                d.injected_pods, d.pods
            ),
        };
        self.0.status(&message);
    }
}
