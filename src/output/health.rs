//! Text rendering of a health report, in the `linkerd check` style: ✓ ‼ × - per check, grouped,
//! with a hint under each check that did not pass; and the check catalog for `health --list`.

use serde::Serialize;

use super::{Mark, Palette, escape};
use crate::analyze::Code;
use crate::checks::{CheckSpec, Group, HealthReport, Status};

fn mark(status: Status) -> Mark {
    match status {
        Status::Pass => Mark::Pass,
        Status::Warn => Mark::Warn,
        Status::Fail => Mark::Fail,
        Status::Skip => Mark::Skip,
    }
}

fn heading(out: &mut String, group: Group, first: bool, palette: &Palette) {
    if !first {
        out.push('\n');
    }
    let title = group.title();
    out.push_str(&format!(
        "{}\n{}\n",
        palette.bold.apply_to(title),
        "-".repeat(title.len())
    ));
}

pub fn render_health(report: &HealthReport, palette: &Palette) -> String {
    let mut out = String::new();
    let mut group = None;
    for check in &report.checks {
        if group != Some(check.group) {
            heading(&mut out, check.group, group.is_none(), palette);
            group = Some(check.group);
        }
        out.push_str(&format!(
            "{} {}: {}\n",
            palette.mark(mark(check.status)),
            check.title,
            escape(&check.detail)
        ));
        if let Some(hint) = &check.hint {
            out.push_str(&format!(
                "    {} {}\n",
                palette.dim.apply_to("hint:"),
                escape(hint)
            ));
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

/// The catalog as `health --list` shows it, for text and for `-o json|yaml`.
#[derive(Debug, Serialize)]
pub struct CheckList {
    pub checks: Vec<ListedCheck>,
}

#[derive(Debug, Serialize)]
pub struct ListedCheck {
    pub id: &'static str,
    pub group: Group,
    pub title: &'static str,
    pub fatal: bool,
    pub hint: &'static str,
    /// The analyzer rules (`troubleshoot` findings) the check reports.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<ListedRule>,
}

#[derive(Debug, Serialize)]
pub struct ListedRule {
    pub code: Code,
    /// The status a finding of this code gives the check.
    pub status: Status,
    pub istio: Option<&'static str>,
    pub summary: &'static str,
}

impl CheckList {
    pub fn new(catalog: &[&'static CheckSpec]) -> Self {
        let checks = catalog
            .iter()
            .map(|c| ListedCheck {
                id: c.id,
                group: c.group,
                title: c.title,
                fatal: c.fatal,
                hint: c.hint,
                rules: c
                    .rules
                    .iter()
                    .map(|(code, status)| ListedRule {
                        code: *code,
                        status: *status,
                        istio: code.info().istio,
                        summary: code.info().title,
                    })
                    .collect(),
            })
            .collect();
        Self { checks }
    }
}

pub fn render_check_list(list: &CheckList, palette: &Palette) -> String {
    let mut out = String::new();
    let mut group = None;
    for check in &list.checks {
        if group != Some(check.group) {
            heading(&mut out, check.group, group.is_none(), palette);
            group = Some(check.group);
        }
        let fatal = if check.fatal { " (fatal)" } else { "" };
        out.push_str(&format!("{:<42} {}{fatal}\n", check.id, check.title));
        for rule in &check.rules {
            out.push_str(&format!(
                "    {} {}{}: {}\n",
                palette.mark(mark(rule.status)),
                rule.code,
                rule.istio.map_or(String::new(), |i| format!(" ({i})")),
                rule.summary
            ));
        }
        out.push_str(&format!(
            "    {} {}\n",
            palette.dim.apply_to("hint:"),
            check.hint
        ));
    }
    out
}
