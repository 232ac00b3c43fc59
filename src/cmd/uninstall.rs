//! `meshctl uninstall`: removes what install applied, and with `--istio`, Istio itself.

use std::path::PathBuf;

use clap::Args;

use crate::cmd::args::{GlobalArgs, IstioctlArgs};
use crate::error::ExitKind;
use crate::install::{self, InstallReport, UninstallOptions, uninstall};
use crate::istioctl;
use crate::kube::connect;
use crate::output::{InstallSpinner, Printer, render_install};

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
    let opts = UninstallOptions {
        config: global.mesh_config(args.config.as_deref())?,
        istio: args
            .istio
            .then(|| (args.istioctl.source(), global.istioctl_cluster_flags())),
        dry_run: args.dry_run,
    };
    let conn = connect(&global.cluster_target()).await?;
    let progress = InstallSpinner::new(printer);
    let mut report = InstallReport::new(args.dry_run);
    // Ctrl-C drops the workflow, and istioctl (kill_on_drop) with it.
    let outcome = tokio::select! {
        biased;
        _ = tokio::signal::ctrl_c() => None,
        outcome = uninstall(&conn, &opts, &progress, &mut report) => Some(outcome),
    };
    drop(progress);
    match outcome {
        None | Some(Err(install::Error::Istioctl(istioctl::Error::Interrupted))) => {
            report.interrupted();
            printer.data(&report, |p| render_install(&report, p))?;
            printer.status("interrupted: the report above shows what was done");
            Ok(ExitKind::Interrupted)
        }
        Some(outcome) => {
            outcome?;
            printer.data(&report, |p| render_install(&report, p))?;
            Ok(ExitKind::Success)
        }
    }
}
