//! `meshctl inject`: the injection label, then parallel restarts of the selected Deployments;
//! with `--mode ambient`, the namespace's move to ambient, step by step.

use std::future::Future;
use std::time::Duration;

use clap::{Args, ValueEnum};
use tokio::sync::watch;

use crate::ambient::{self, EnrolOptions};
use crate::cmd::args::{GlobalArgs, positive_duration};
use crate::error::{ExitKind, UsageError};
use crate::kube::{Connection, InjectOptions, InjectionLabel, Selection, connect, inject};
use crate::output::{Printer, RolloutStatus, render_enrol, render_inject};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    Sidecar,
    Ambient,
}

/// Label a namespace for sidecar injection and restart its Deployments so they get the sidecar,
/// or (--mode ambient) enrol it in ambient mode
#[derive(Debug, Args)]
pub struct InjectArgs {
    /// sidecar: istio-injection=enabled and restarts. ambient: istio.io/dataplane-mode=ambient,
    /// no restart; a namespace that ran sidecars moves in order (--waypoint, the dataplane label,
    /// the injection label removed, Deployments with sidecars restarted and followed), each step
    /// checked before the next
    #[arg(long, value_enum, default_value_t = ModeArg::Sidecar)]
    pub mode: ModeArg,

    /// With --mode ambient: first apply this waypoint, wait until it is Programmed and label the
    /// namespace istio.io/use-waypoint=NAME
    #[arg(long, value_name = "NAME")]
    pub waypoint: Option<String>,

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

    /// Replace a conflicting injection label (e.g. istio-injection=disabled, or the other label;
    /// with --mode ambient, another istio.io/dataplane-mode or use-waypoint value)
    #[arg(long)]
    pub force: bool,

    /// Remove the injection labels instead (and restart the selected Deployments without sidecars);
    /// with --mode ambient, remove the ambient labels (nothing restarts)
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
    if args.mode == ModeArg::Ambient {
        return run_ambient(args, global, printer).await;
    }
    if args.waypoint.is_some() {
        return Err(usage("--waypoint", "a waypoint serves ambient namespaces only").into());
    }
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
    let status = RolloutStatus(printer);
    let Some(report) = interruptible(printer, |stop| inject(&conn, &opts, &status, stop)).await?
    else {
        return Ok(ExitKind::Interrupted);
    };
    printer.data(&report, |p| render_inject(&report, p))?;
    Ok(outcome(report.interrupted, report.failed()))
}

/// `--mode ambient`: enrol (moving off sidecars if needed), or with --disable leave ambient.
async fn run_ambient(
    args: InjectArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    if args.revision.is_some() {
        return Err(usage(
            "--revision",
            "it names a sidecar injector; ambient mode has none",
        )
        .into());
    }
    let namespace = global.namespace().to_string();
    let conn: Connection = connect(&global.cluster_target()).await?;
    if args.disable {
        let report = ambient::disable(&conn, &namespace, args.dry_run).await?;
        printer.data(&report, |p| render_enrol(&report, p))?;
        return Ok(ExitKind::Success);
    }
    let opts = EnrolOptions {
        namespace,
        waypoint: args.waypoint,
        selection: if args.deployments.is_empty() {
            Selection::Sidecars
        } else {
            Selection::Named(args.deployments)
        },
        force: args.force,
        timeout: args.timeout,
        dry_run: args.dry_run,
    };
    let status = RolloutStatus(printer);
    let Some(report) =
        interruptible(printer, |stop| ambient::enrol(&conn, &opts, &status, stop)).await?
    else {
        return Ok(ExitKind::Interrupted);
    };
    printer.data(&report, |p| render_enrol(&report, p))?;
    Ok(outcome(report.interrupted, report.failed()))
}

fn outcome(interrupted: bool, failed: bool) -> ExitKind {
    if interrupted {
        ExitKind::Interrupted
    } else {
        ExitKind::failed_if(failed)
    }
}

fn usage(what: &str, reason: &str) -> UsageError {
    UsageError {
        what: what.into(),
        reason: reason.into(),
        hint: "--mode ambient takes --waypoint, --deployment, --force, --disable and --dry-run; \
               --revision belongs to sidecar mode"
            .into(),
    }
}

/// Runs `work`, which stops following rollouts once its channel turns true (Ctrl-C); a request
/// under way then gets a moment to finish. `None` when it did not.
async fn interruptible<T, E, Fut>(
    printer: &Printer,
    work: impl FnOnce(watch::Receiver<bool>) -> Fut,
) -> Result<Option<T>, E>
where
    Fut: Future<Output = Result<T, E>>,
{
    let (interrupt, interrupted) = watch::channel(false);
    let work = work(interrupted);
    tokio::pin!(work);
    tokio::select! {
        report = &mut work => report.map(Some),
        _ = tokio::signal::ctrl_c() => {
            let _ = interrupt.send(true);
            match tokio::time::timeout(Duration::from_millis(800), &mut work).await {
                Ok(report) => report.map(Some),
                Err(_) => {
                    printer.status("interrupted while a request to the API server was under way; `kubectl rollout status` shows where the Deployments are");
                    Ok(None)
                }
            }
        }
    }
}
