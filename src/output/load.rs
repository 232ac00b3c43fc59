//! Text rendering of a traffic-test report, in the style of hey: summary, latency distribution,
//! histogram, status codes and errors, then the verdicts and what the mesh counted. Versions,
//! sources and warnings come from the network or the cluster: they are escaped.

use std::collections::BTreeSet;

use super::traffic::TrafficReport;
use super::{Mark, Palette, escape};
use crate::load::LoadReport;
use crate::metrics::MeshMetrics;
use crate::verify::Verdicts;

pub fn render_traffic(report: &TrafficReport, palette: &Palette) -> String {
    let mut out = measurement(&report.measured, palette);
    out.push_str(&verdicts(&report.verdicts));
    if let Some(mesh) = &report.mesh {
        out.push_str(&render_mesh(&report.measured, mesh, palette));
    }
    // The route's own doubts (can the mesh apply it to these requests?), then the run's.
    let routing = report.verdicts.config.iter().flat_map(|c| &c.warnings);
    let warnings: Vec<&str> = routing
        .map(|w| w.message.as_str())
        .chain(report.warnings.iter().map(String::as_str))
        .collect();
    if !warnings.is_empty() {
        out.push('\n');
        for warning in warnings {
            let label = palette.warn.apply_to("warning:");
            out.push_str(&format!("{label} {}\n", escape(warning)));
        }
    }
    if !report.verdicts.thresholds.is_empty() {
        out.push_str("\nThresholds:\n");
        for t in &report.verdicts.thresholds {
            let mark = palette.mark(if t.ok { Mark::Pass } else { Mark::Fail });
            out.push_str(&format!("  {mark} {}: {}\n", t.name, escape(&t.detail)));
        }
    }
    out
}

fn measurement(m: &LoadReport, palette: &Palette) -> String {
    let l = &m.latency_ms;
    let mut out = String::new();
    if m.interrupted {
        let note = palette.warn.apply_to("Interrupted: partial results");
        out.push_str(&format!("{note}\n\n"));
    }
    out.push_str(&format!(
        "Summary:\n  Attempts:\t{}\n  Responses:\t{}\n  Errors:\t{}\n  Total:\t{:.4} s\n  Requests/sec:\t{:.2}\n  Threads:\t{}\n",
        m.attempts,
        m.responses,
        m.error_count(),
        m.duration_s,
        m.rps,
        m.threads
    ));
    if m.coordinated_omission_corrected {
        out.push_str("  (constant rate: latency measured from each request's intended start, corrected for coordinated omission)\n");
    }
    out.push_str(&format!(
        "\nLatency (ms):\n  min {:.3}  mean {:.3}  max {:.3}\n  p50 {:.3}  p75 {:.3}  p90 {:.3}  p95 {:.3}  p99 {:.3}  p99.9 {:.3}\n",
        l.min, l.mean, l.max, l.p50, l.p75, l.p90, l.p95, l.p99, l.p999
    ));
    let widest = m
        .histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    if !m.histogram.is_empty() {
        out.push_str("\nResponse time histogram (ms):\n");
        for bucket in &m.histogram {
            let bar = "■".repeat(((bucket.count * 40) / widest) as usize);
            let (le, count) = (bucket.le_ms, bucket.count);
            out.push_str(&format!("  {le:>10.3} [{count}]\t|{bar}\n"));
        }
    }
    out.push_str("\nStatus code distribution:\n");
    for (code, count) in &m.status_codes {
        out.push_str(&format!("  [{code}]\t{count} responses\n"));
    }
    if !m.errors.is_empty() {
        out.push_str("\nErrors:\n");
        for (kind, count) in &m.errors {
            out.push_str(&format!("  {kind}\t{count}\n"));
        }
    }
    out
}

fn verdicts(v: &Verdicts) -> String {
    let mut out = String::new();
    if let Some(split) = &v.split {
        out.push_str(&format!("\nSplit ({}):\n", split.test));
        for share in &split.shares {
            out.push_str(&format!(
                "  {}\tobserved {:.1}%\texpected {:.1}%\t({} responses)\n",
                escape(&share.version),
                share.observed_pct,
                share.expected_pct,
                share.count
            ));
        }
        out.push_str(&format!("  {}\n", split.detail));
    }
    if let Some(config) = &v.config {
        out.push_str(&format!("\nExpected from {}\n", escape(&config.source)));
    }
    out
}

/// Sent and answered per status code, next to what the destination's sidecars counted.
fn render_mesh(measured: &LoadReport, mesh: &MeshMetrics, palette: &Palette) -> String {
    let source = mesh.source.as_deref().unwrap_or("no metrics");
    let mut out = format!("\nSeen by the mesh ({}):\n", escape(source));
    if mesh.available {
        let codes: BTreeSet<&String> = measured
            .status_codes
            .keys()
            .chain(mesh.by_code.keys())
            .collect();
        out.push_str("  code\tanswered\tmesh\n");
        for code in codes {
            let answered = measured.status_codes.get(code).copied().unwrap_or(0);
            let seen = mesh.by_code.get(code).copied().unwrap_or(0);
            out.push_str(&format!("  [{}]\t{answered}\t{seen}\n", escape(code)));
        }
        for (version, count) in &mesh.by_version {
            out.push_str(&format!(
                "  version {}\t{count} requests\n",
                escape(version)
            ));
        }
        if let Some(mean) = mesh.mean_duration_ms {
            out.push_str(&format!(
                "  mean duration at the destination {mean:.3} ms\n"
            ));
        }
    }
    for warning in &mesh.warnings {
        let label = palette.warn.apply_to("warning:");
        out.push_str(&format!("  {label} {}\n", escape(warning)));
    }
    out
}

/// The load bar follows the run's completed requests.
impl crate::load::Observer for indicatif::ProgressBar {
    fn completed(&self, requests: u64) {
        self.set_position(requests);
    }
}
