//! `meshctl uninstall`: removes what install applied, and with `--istio`, Istio itself.

use std::path::PathBuf;

use clap::Args;
use serde_json::Value;

use crate::cmd::args::{GlobalArgs, IstioctlArgs};
use crate::error::ExitKind;
use crate::istioctl;
use crate::kube::{connect, delete_labelled};
use crate::manifests::{self, MANAGED_BY};
use crate::output::{InstallReport, Printer, StepStatus, render_install};

/// Remove the objects install applied (those labelled managed-by=meshctl) and, with --istio, Istio
#[derive(Debug, Args)]
pub struct UninstallArgs {
    #[command(flatten)]
    pub istioctl: IstioctlArgs,

    /// The config file install used, so the same objects are found
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Also run `istioctl uninstall --purge -y`
    #[arg(long)]
    pub istio: bool,

    /// Show what would be removed and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub async fn run(
    args: UninstallArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let config = global.mesh_config(args.config.as_deref())?;
    let objects: Vec<Value> = manifests::render(&config)?
        .into_iter()
        .rev()
        .map(|m| m.object)
        .collect();
    let conn = connect(&global.cluster_target()).await?;
    let mut report = InstallReport {
        dry_run: args.dry_run,
        ..InstallReport::default()
    };
    report.objects = delete_labelled(&conn, &objects, MANAGED_BY, args.dry_run).await?;
    if args.istio {
        let mut command = vec!["uninstall".to_string(), "--purge".into(), "-y".into()];
        command.extend(global.istioctl_cluster_flags());
        if args.dry_run {
            report.step(
                "istio",
                StepStatus::Planned,
                format!("would run: istioctl {}", command.join(" ")),
            );
        } else {
            let binary =
                istioctl::resolve(&args.istioctl.source(), &printer.download_bar()).await?;
            let spinner = printer.spinner("istioctl uninstall");
            istioctl::run_streamed(&binary, &command, &|line: &str| {
                spinner.set_message(line.trim().to_string())
            })
            .await?;
            spinner.finish_and_clear();
            report.step(
                "istio",
                StepStatus::Done,
                format!("istioctl {}", command.join(" ")),
            );
        }
    }
    printer.data(&report, |p| render_install(&report, p))?;
    Ok(ExitKind::Success)
}
