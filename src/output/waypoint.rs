//! Text rendering of the waypoint commands' reports: apply, list, status and delete.

use serde::Serialize;

use super::{Mark, Palette, escape};
use crate::ambient::{ApplyReport, Deletion, Waypoint, WaypointStatus};
use crate::kube::ApplyResult;

/// `waypoint list` and `waypoint status` as data: `{"waypoints": [...]}`.
#[derive(Debug, Serialize)]
pub struct WaypointList<T> {
    pub waypoints: Vec<T>,
}

#[derive(Debug, Serialize)]
pub struct WaypointDeletions {
    pub namespace: String,
    pub waypoints: Vec<Deletion>,
}

pub fn render_waypoint_apply(report: &ApplyReport, palette: &Palette) -> String {
    let traffic = report
        .traffic_for
        .map(|t| format!(" for {t}"))
        .unwrap_or_default();
    let mut out = format!(
        "{} waypoint {}/{} {}{traffic}\n",
        palette.mark(Mark::Pass),
        escape(&report.namespace),
        escape(&report.name),
        report.result
    );
    if report.programmed == Some(true) {
        out.push_str(&format!(
            "{} Programmed by istiod\n",
            palette.mark(Mark::Pass)
        ));
    }
    if let Some(label) = &report.enrolled {
        out.push_str(&format!(
            "{} namespace {} labelled {}\n",
            palette.mark(Mark::Pass),
            escape(&report.namespace),
            escape(label)
        ));
    }
    for warning in &report.warnings {
        out.push_str(&format!(
            "{} {}\n",
            palette.mark(Mark::Warn),
            escape(warning)
        ));
    }
    out
}

fn programmed(w: &Waypoint) -> &str {
    w.programmed
        .as_ref()
        .map_or("Unknown", |c| c.status.as_str())
}

pub fn render_waypoint_list(waypoints: &[Waypoint], _palette: &Palette) -> String {
    if waypoints.is_empty() {
        return "no waypoints found\n".into();
    }
    let rows: Vec<[String; 5]> = waypoints
        .iter()
        .map(|w| {
            [
                escape(&w.namespace).into_owned(),
                escape(&w.name).into_owned(),
                escape(w.traffic_for.as_deref().unwrap_or("service (default)")).into_owned(),
                escape(w.revision.as_deref().unwrap_or("default")).into_owned(),
                escape(programmed(w)).into_owned(),
            ]
        })
        .collect();
    let header = ["NAMESPACE", "NAME", "TRAFFIC", "REVISION", "PROGRAMMED"].map(String::from);
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .chain([&header])
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in [&header].into_iter().chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("   ").trim_end());
        out.push('\n');
    }
    out
}

pub fn render_waypoint_status(statuses: &[WaypointStatus], palette: &Palette) -> String {
    if statuses.is_empty() {
        return "no waypoints found\n".into();
    }
    let mut out = String::new();
    for s in statuses {
        let w = &s.waypoint;
        let mark = if s.healthy() { Mark::Pass } else { Mark::Fail };
        out.push_str(&format!(
            "{} waypoint {}/{}\n",
            palette.mark(mark),
            escape(&w.namespace),
            escape(&w.name)
        ));
        match &w.programmed {
            Some(c) => out.push_str(&format!(
                "    Programmed: {} ({}{})\n",
                escape(&c.status),
                escape(&c.reason),
                if c.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", escape(&c.message))
                }
            )),
            None => out.push_str(
                "    Programmed: no status from istiod yet (is ambient enabled in istiod?)\n",
            ),
        }
        match s.deployment {
            Some(d) => out.push_str(&format!(
                "    deployment: {}/{} ready\n",
                d.ready, d.desired
            )),
            None => out.push_str("    deployment: none (istiod has not deployed it)\n"),
        }
        let used = if s.used_by.is_empty() {
            "nothing (no namespace or Service has istio.io/use-waypoint for it)".to_string()
        } else {
            s.used_by
                .iter()
                .map(|u| escape(u).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!("    used by: {used}\n"));
    }
    out
}

pub fn render_waypoint_delete(report: &WaypointDeletions, palette: &Palette) -> String {
    if report.waypoints.is_empty() {
        return format!("no waypoints in {}\n", escape(&report.namespace));
    }
    let mut out = String::new();
    for d in &report.waypoints {
        let mark = match d.result {
            ApplyResult::Deleted => Mark::Pass,
            ApplyResult::Kept => Mark::Warn,
            _ => Mark::Skip,
        };
        let result = match d.result {
            ApplyResult::Absent => "not found".to_string(),
            other => other.to_string(),
        };
        out.push_str(&format!(
            "{} waypoint {}/{}: {result}",
            palette.mark(mark),
            escape(&report.namespace),
            escape(&d.name)
        ));
        if let Some(reason) = &d.reason {
            out.push_str(&format!(" ({})", escape(reason)));
        }
        out.push('\n');
    }
    out
}
