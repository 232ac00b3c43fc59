//! The troubleshoot report: findings by namespace and worst first, what files could not show,
//! the gateway pods' recent activity, the fixes applied, and a count by severity.

use serde::Serialize;

use super::{Mark, Palette, escape};
use crate::analyze::{Finding, Severity};
use crate::snapshot::PodActivity;

#[derive(Debug, Serialize)]
pub struct TroubleshootReport {
    pub findings: Vec<Finding>,
    /// What an analysis of files could not check (no gateway workload, no Secrets, no status).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gateway_pods: Vec<PodActivity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
}

impl TroubleshootReport {
    /// The findings and the limits of the input; gateway activity and fixes are added when asked
    /// for.
    pub fn new(findings: Vec<Finding>, not_checked: Vec<String>) -> Self {
        Self {
            findings,
            not_checked,
            gateway_pods: Vec::new(),
            fixed: Vec::new(),
        }
    }
}

fn mark(severity: Severity) -> Mark {
    match severity {
        Severity::Error => Mark::Fail,
        Severity::Warning => Mark::Warn,
        Severity::Info => Mark::Info,
    }
}

pub fn render_troubleshoot(report: &TroubleshootReport, palette: &Palette) -> String {
    let mut out = String::new();
    let mut namespace = None;
    for f in &report.findings {
        let scope = f.resource.scope();
        if namespace != Some(scope) {
            let title = if scope.is_empty() {
                "cluster-wide".to_string()
            } else {
                format!("namespace {}", escape(scope))
            };
            out.push_str(&format!("{}\n", palette.bold.apply_to(title)));
            namespace = Some(scope);
        }
        let istio = f.istio_code.map(|c| format!(" [{c}]")).unwrap_or_default();
        out.push_str(&format!(
            "{} {}{istio} {} {}\n    {}\n    {} {}\n",
            palette.mark(mark(f.severity)),
            f.code,
            f.severity,
            palette.bold.apply_to(escape(&f.resource.to_string())),
            escape(&f.message),
            palette.dim.apply_to("fix:"),
            escape(&f.fix)
        ));
    }
    if !report.not_checked.is_empty() {
        out.push_str(&format!(
            "\n{} not checked offline:\n",
            palette.mark(Mark::Info)
        ));
        for limit in &report.not_checked {
            out.push_str(&format!("    {limit}\n"));
        }
    }
    for pod in &report.gateway_pods {
        out.push_str(&format!(
            "\n{}\n",
            palette
                .bold
                .apply_to(format!("gateway pod {}", escape(&pod.name)))
        ));
        out.push_str("  events:\n");
        for line in &pod.events {
            out.push_str(&format!("    {}\n", escape(line)));
        }
        out.push_str("  log:\n");
        for line in &pod.log {
            out.push_str(&format!("    {}\n", escape(line)));
        }
    }
    for change in &report.fixed {
        out.push_str(&format!(
            "{} {}\n",
            palette.pass.apply_to("fixed:"),
            escape(change)
        ));
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "\n{} errors, {} warnings, {} info\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    out
}
