//! The uninstall workflow: delete what install applied (only objects carrying meshctl's label)
//! and, when asked, run `istioctl uninstall --purge`.

use serde_json::Value;

use super::{InstallProgress, InstallReport, Result, StepStatus};
use crate::istioctl::{self, IstioctlSource};
use crate::kube::{Connection, delete_labelled};
use crate::manifests::{self, MANAGED_BY, MeshConfig};

#[derive(Debug, Clone)]
pub struct UninstallOptions {
    /// The config install used, so that the same objects are found.
    pub config: MeshConfig,
    /// Where istioctl comes from and the flags that point it at the cluster; `None` leaves
    /// Istio installed.
    pub istio: Option<(IstioctlSource, Vec<String>)>,
    pub dry_run: bool,
}

pub async fn uninstall(
    conn: &Connection,
    opts: &UninstallOptions,
    progress: &dyn InstallProgress,
    report: &mut InstallReport,
) -> Result<()> {
    // In reverse order of the install: what others refer to goes last.
    let objects: Vec<Value> = manifests::render(&opts.config)?
        .into_iter()
        .rev()
        .map(|m| m.object)
        .collect();
    report.running = Some("deleting the objects");
    report.objects = delete_labelled(conn, &objects, MANAGED_BY, opts.dry_run).await?;
    let Some((source, cluster_flags)) = &opts.istio else {
        report.running = None;
        return Ok(());
    };
    let mut command = vec!["uninstall".to_string(), "--purge".into(), "-y".into()];
    command.extend(cluster_flags.iter().cloned());
    let shown = format!("istioctl {}", command.join(" "));
    if opts.dry_run {
        report.step("istio", StepStatus::Planned, format!("would run: {shown}"));
        report.running = None;
        return Ok(());
    }
    report.running = Some("the istioctl download");
    let binary = istioctl::resolve(source, progress.download()).await?;
    report.running = Some("istioctl uninstall (istioctl was stopped)");
    progress.begin("istioctl uninstall");
    istioctl::run_streamed(&binary, &command, &|line: &str| progress.output(line)).await?;
    progress.end();
    report.step("istio", StepStatus::Done, shown);
    report.running = None;
    Ok(())
}
