//! The traffic-test report: the load engine's measurement, the verdicts on it and the mesh's own
//! counts, as one typed value for JSON/YAML (flat keys) and text.

use serde::Serialize;

use crate::load::LoadReport;
use crate::metrics::MeshMetrics;
use crate::verify::Verdicts;

#[derive(Debug, Serialize)]
pub struct TrafficReport {
    #[serde(flatten)]
    pub measured: LoadReport,
    #[serde(flatten)]
    pub verdicts: Verdicts,
    /// What the mesh itself counted for the destination during the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mesh: Option<MeshMetrics>,
    pub warnings: Vec<String>,
}

impl TrafficReport {
    pub fn new(measured: LoadReport, verdicts: Verdicts, mesh: Option<MeshMetrics>) -> Self {
        let warnings = verdicts
            .unchecked_split
            .iter()
            .map(|weights| {
                let split: Vec<String> = weights.iter().map(|(v, w)| format!("{v}={w}")).collect();
                format!(
                    "the route splits traffic {}: give --split-by header:NAME or body:FIELD to check the split",
                    split.join(",")
                )
            })
            .collect();
        Self {
            measured,
            verdicts,
            mesh,
            warnings,
        }
    }
}
