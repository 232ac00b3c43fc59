//! The install step for the Gateway API CRDs: the pinned standard-channel bundle, applied in the
//! same dry-run-then-apply waves as the manifests, only when the cluster lacks them or has older
//! ones; CRDs that are newer, experimental or of unknown origin are reported and left.

use super::error::{Error, Result};
use super::{InstallProgress, InstallReport, StepStatus};
use crate::gateway_crds::{self, CrdSource, Decision, VERSION};
use crate::kube::{
    ApplyResult, Connection, apply_wave, dry_run_wave, rejection_summary, resolve_kinds,
};

const STEP: &str = "gateway-api CRDs";

/// Returns whether it applied anything (kinds resolved before it may now be served).
pub(super) async fn manage(
    conn: &Connection,
    source: &CrdSource,
    dry_run: bool,
    progress: &dyn InstallProgress,
    report: &mut InstallReport,
) -> Result<bool> {
    report.running = Some("the Gateway API CRDs");
    let bundle = gateway_crds::bundle(source, progress.download()).await?;
    let names = bundle.crd_names();
    let installed = gateway_crds::installed(conn, &names).await?;
    let (missing, older) = match gateway_crds::decide(VERSION, &names, &installed) {
        Decision::UpToDate => {
            let detail = format!("{VERSION} (standard channel) already installed");
            report.step(STEP, StepStatus::Done, detail);
            return Ok(false);
        }
        Decision::Leave { reasons } => {
            for reason in &reasons {
                progress.warn(&format!("Gateway API CRDs left as they are: {reason}"));
            }
            let detail = format!("left as they are: {}", reasons.join("; "));
            report.step(STEP, StepStatus::Skipped, detail);
            return Ok(false);
        }
        Decision::Apply { missing, older } => (missing, older),
    };
    progress.begin("applying the Gateway API CRDs");
    let kinds = resolve_kinds(conn, &bundle.objects).await?;
    let planned = dry_run_wave(conn, &kinds, &bundle.objects, dry_run).await?;
    if let Some(details) = rejection_summary(&planned.outcomes) {
        progress.end();
        let count = planned
            .outcomes
            .iter()
            .filter(|o| o.result == ApplyResult::Rejected)
            .count();
        return Err(Error::ObjectsRejected { count, details });
    }
    let what = format!(
        "{VERSION} (standard channel): {} created, {} upgraded",
        missing.len(),
        older.len()
    );
    if dry_run {
        progress.end();
        report.step(STEP, StepStatus::Planned, format!("would apply {what}"));
        return Ok(false);
    }
    let mut applied = Vec::new();
    let outcome = apply_wave(conn, &kinds, &bundle.objects, &planned, &mut applied).await;
    progress.end();
    if let Err((failed_at, source)) = outcome {
        return Err(Error::ApplyStopped {
            applied: applied.into_iter().map(|o| o.resource).collect(),
            total: bundle.objects.len(),
            failed_at,
            source,
        });
    }
    report.step(STEP, StepStatus::Done, format!("applied {what}"));
    Ok(true)
}
