//! Text rendering of a load report, in the style of hey: summary, latency distribution,
//! histogram, status codes and errors, then the verdicts.

use std::collections::BTreeSet;

use super::Palette;
use crate::load::LoadReport;
use crate::metrics::MeshMetrics;

pub fn render_load(report: &LoadReport, palette: &Palette) -> String {
    let l = &report.latency_ms;
    let mut out = String::new();
    if report.interrupted {
        out.push_str(&format!(
            "{}\n\n",
            palette.warn.apply_to("Interrupted: partial results")
        ));
    }
    out.push_str(&format!(
        "Summary:\n  Requests:\t{}\n  Total:\t{:.4} s\n  Requests/sec:\t{:.2}\n",
        report.requests, report.duration_s, report.rps
    ));
    if report.coordinated_omission_corrected {
        out.push_str("  (constant rate: latency measured from each request's intended start, corrected for coordinated omission)\n");
    }
    out.push_str(&format!(
        "\nLatency (ms):\n  min {:.3}  mean {:.3}  max {:.3}\n  p50 {:.3}  p75 {:.3}  p90 {:.3}  p95 {:.3}  p99 {:.3}  p99.9 {:.3}\n",
        l.min, l.mean, l.max, l.p50, l.p75, l.p90, l.p95, l.p99, l.p999
    ));
    let widest = report
        .histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0)
        .max(1);
    if !report.histogram.is_empty() {
        out.push_str("\nResponse time histogram (ms):\n");
        for bucket in &report.histogram {
            let bar = "■".repeat(((bucket.count * 40) / widest) as usize);
            out.push_str(&format!(
                "  {:>10.3} [{}]\t|{bar}\n",
                bucket.le_ms, bucket.count
            ));
        }
    }
    out.push_str("\nStatus code distribution:\n");
    for (code, count) in &report.status_codes {
        out.push_str(&format!("  [{code}]\t{count} responses\n"));
    }
    if !report.errors.is_empty() {
        out.push_str("\nErrors:\n");
        for (kind, count) in &report.errors {
            let kind = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&format!("  {kind}\t{count}\n"));
        }
    }
    if let Some(split) = &report.split {
        out.push_str(&format!("\nSplit ({}):\n", split.test));
        for share in &split.shares {
            out.push_str(&format!(
                "  {}\tobserved {:.1}%\texpected {:.1}%\t({} responses)\n",
                share.version, share.observed_pct, share.expected_pct, share.count
            ));
        }
        out.push_str(&format!("  {}\n", split.detail));
    }
    if let Some(config) = &report.config {
        out.push_str(&format!("\nExpected from {}\n", config.source));
    }
    if let Some(mesh) = &report.mesh {
        out.push_str(&render_mesh(report, mesh));
    }
    if !report.warnings.is_empty() {
        out.push('\n');
        for warning in &report.warnings {
            out.push_str(&format!(
                "{} {warning}\n",
                palette.warn.apply_to("warning:")
            ));
        }
    }
    if !report.thresholds.is_empty() {
        out.push_str("\nThresholds:\n");
        for t in &report.thresholds {
            let mark = if t.ok {
                palette.pass.apply_to("√")
            } else {
                palette.fail.apply_to("×")
            };
            out.push_str(&format!("  {mark} {}: {}\n", t.name, t.detail));
        }
    }
    out
}

/// Sent and answered per status code, next to what the destination's sidecars counted.
fn render_mesh(report: &LoadReport, mesh: &MeshMetrics) -> String {
    let mut out = format!(
        "\nSeen by the mesh ({}):\n",
        mesh.source.as_deref().unwrap_or("no metrics")
    );
    if mesh.available {
        let codes: BTreeSet<&String> = report
            .status_codes
            .keys()
            .chain(mesh.by_code.keys())
            .collect();
        out.push_str("  code\tanswered\tmesh\n");
        for code in codes {
            let answered = report.status_codes.get(code).copied().unwrap_or(0);
            let seen = mesh.by_code.get(code).copied().unwrap_or(0);
            out.push_str(&format!("  [{code}]\t{answered}\t{seen}\n"));
        }
        for (version, count) in &mesh.by_version {
            out.push_str(&format!("  version {version}\t{count} requests\n"));
        }
        if let Some(mean) = mesh.mean_duration_ms {
            out.push_str(&format!(
                "  mean duration at the destination {mean:.3} ms\n"
            ));
        }
    }
    for warning in &mesh.warnings {
        out.push_str(&format!("  warning: {warning}\n"));
    }
    out
}
