//! Text rendering of an inject report, and a status line per followed rollout as it ends.

use super::{Mark, Palette, Printer, escape};
use crate::kube::{DeploymentOutcome, DeploymentResult, InjectReport, RolloutObserver};

pub fn render_inject(report: &InjectReport, palette: &Palette) -> String {
    let mut out = format!(
        "namespace {}: {}\n",
        escape(&report.namespace),
        escape(&report.label.to_string())
    );
    for d in &report.deployments {
        let mark = match d.result {
            DeploymentResult::Failed => Mark::Fail,
            DeploymentResult::Planned => Mark::Info,
            DeploymentResult::Interrupted => Mark::Warn,
            DeploymentResult::Restarted | DeploymentResult::AlreadyInjected => Mark::Pass,
        };
        out.push_str(&format!(
            "{} {}: {}, {}/{} pods with istio-proxy",
            palette.mark(mark),
            escape(&d.name),
            d.result,
            d.injected_pods,
            d.pods
        ));
        if let Some(reason) = &d.reason {
            out.push_str(&format!(" ({})", escape(reason)));
        }
        out.push('\n');
    }
    if report.interrupted {
        out.push_str("interrupted: rollouts still under way were left to the cluster\n");
    }
    if report.deployments.is_empty() {
        out.push_str("no Deployments selected (use --deployment NAME or --all)\n");
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
