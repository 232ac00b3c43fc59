//! `meshctl inject`: the injection label, then parallel restarts of the selected Deployments.

use std::time::Duration;

use clap::Args;
use tokio::sync::watch;

use crate::cmd::args::{GlobalArgs, positive_duration};
use crate::error::ExitKind;
use crate::kube::{InjectOptions, InjectionLabel, Selection, connect, inject};
use crate::output::{Printer, RolloutStatus, render_inject};

/// Label a namespace for sidecar injection and restart its Deployments so they get the sidecar
#[derive(Debug, Args)]
pub struct InjectArgs {
    /// Deployments to restart (repeatable)
    #[arg(long = "deployment", value_name = "NAME", conflicts_with = "all")]
    pub deployments: Vec<String>,

    /// Restart every Deployment in the namespace
    #[arg(long)]
    pub all: bool,

    /// Label istio.io/rev=REV instead of istio-injection=enabled
    #[arg(long, value_name = "REV")]
    pub revision: Option<String>,

    /// Follow each rollout to completion
    #[arg(long)]
    pub wait: bool,

    /// Limit for --wait, per Deployment
    #[arg(long, value_parser = positive_duration, default_value = "5m", value_name = "DURATION")]
    pub timeout: Duration,

    /// Replace a conflicting injection label (e.g. istio-injection=disabled, or the other label)
    #[arg(long)]
    pub force: bool,

    /// Remove the injection labels instead (and restart the selected Deployments without sidecars)
    #[arg(long)]
    pub disable: bool,

    /// Show what would change and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

pub async fn run(
    args: InjectArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let opts = InjectOptions {
        namespace: global.namespace().to_string(),
        selection: if args.all {
            Selection::All
        } else {
            Selection::Named(args.deployments)
        },
        label: (!args.disable).then(|| InjectionLabel::new(args.revision.as_deref())),
        force: args.force,
        wait: args.wait,
        timeout: args.timeout,
        dry_run: args.dry_run,
    };
    let conn = connect(&global.cluster_target()).await?;
    let (interrupt, interrupted) = watch::channel(false);
    let status = RolloutStatus(printer);
    let work = inject(&conn, &opts, &status, interrupted);
    tokio::pin!(work);
    let report = tokio::select! {
        report = &mut work => report?,
        _ = tokio::signal::ctrl_c() => {
            // The rollouts followed end at once; a request under way gets a moment to finish.
            let _ = interrupt.send(true);
            match tokio::time::timeout(Duration::from_millis(800), &mut work).await {
                Ok(report) => report?,
                Err(_) => {
                    printer.status("interrupted while a request to the API server was under way; `kubectl rollout status` shows where the Deployments are");
                    return Ok(ExitKind::Interrupted);
                }
            }
        }
    };
    printer.data(&report, |p| render_inject(&report, p))?;
    Ok(if report.interrupted {
        ExitKind::Interrupted
    } else if report.failed() {
        ExitKind::CheckFailed
    } else {
        ExitKind::Success
    })
}
