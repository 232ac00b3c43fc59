//! `meshctl install`: preflight, istioctl, the control plane, the namespace and the manifests.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::Value;

use crate::checks::preflight::{PreflightOptions, preflight, verdict};
use crate::cmd::args::{GlobalArgs, IstioctlArgs};
use crate::error::{ExitKind, MeshError};
use crate::istioctl::{self, IstioctlSource};
use crate::kube::{
    ApplyResult, Connection, ObjectOutcome, apply_all, connect, deployments_available,
    group_and_plural, rejection_summary,
};
use crate::manifests;
use crate::output::{InstallReport, Printer, StepStatus, render_install};

/// Install Istio with istioctl, label the namespace for injection and apply the mesh manifests
#[derive(Debug, Args)]
pub struct InstallArgs {
    #[command(flatten)]
    pub istioctl: IstioctlArgs,

    /// Config file with values for the manifests [default: the seed's values]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// istioctl profile
    #[arg(long, default_value = "demo")]
    pub profile: String,

    /// Passed to istioctl install as --set KEY=VALUE (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,

    /// Install a revision; the namespace is then labelled istio.io/rev=REV
    #[arg(long, value_name = "REV")]
    pub revision: Option<String>,

    /// Namespace of the Istio control plane
    #[arg(long, default_value = "istio-system", value_name = "NS")]
    pub istio_namespace: String,

    /// How long to wait for istiod and the gateways
    #[arg(long, value_parser = humantime::parse_duration, default_value = "5m", value_name = "DURATION")]
    pub timeout: Duration,

    /// Show the plan (server-side dry run of every object, the istioctl command) and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Apply only the namespace label and the manifests; leave Istio as it is
    #[arg(long)]
    pub skip_istio: bool,

    /// Install Istio only: leave the application namespace and manifests alone
    #[arg(long, conflicts_with = "skip_istio")]
    pub skip_manifests: bool,

    /// Print the path of the istioctl binary (downloading it if needed) and exit
    #[arg(long)]
    pub print_istioctl: bool,
}

pub async fn run(
    args: InstallArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let source = args.istioctl.source();
    if args.print_istioctl {
        let path = istioctl::resolve(&source, &printer.download_bar()).await?;
        printer.raw(&format!("{}\n", path.display()))?;
        return Ok(ExitKind::Success);
    }
    let config = global.mesh_config(args.config.as_deref())?;
    let objects: Vec<Value> = manifests::render(&config)?
        .into_iter()
        .map(|m| m.object)
        .collect();
    let conn = connect(&global.cluster_target()).await?;
    let mut report = InstallReport {
        dry_run: args.dry_run,
        ..InstallReport::default()
    };

    let mut kinds: Vec<(String, String)> = objects.iter().filter_map(group_and_plural).collect();
    kinds.dedup();
    let app_ns = config.namespace.as_str();
    let opts = PreflightOptions {
        app_namespace: app_ns,
        istio_namespace: &args.istio_namespace,
        with_istio: !args.skip_istio,
        manifest_kinds: &kinds,
    };
    report.preflight = preflight(&conn, &opts).await?;
    if let Err(failed) = verdict(&report.preflight) {
        printer.data(&report, |p| render_install(&report, p))?;
        return Err(failed.into());
    }

    if args.skip_istio {
        report.step("istio", StepStatus::Skipped, "--skip-istio");
    } else {
        install_istio(&args, &source, global, &conn, printer, &mut report).await?;
    }
    if args.skip_manifests {
        report.step(
            "application",
            StepStatus::Skipped,
            "--skip-manifests: namespace and manifests left as they are",
        );
    } else {
        let labelled =
            label_namespace(&conn, app_ns, args.revision.as_deref(), args.dry_run).await?;
        report.step("namespace", StepStatus::Done, labelled);
        report.objects = apply_manifests(&conn, &objects, args.dry_run, printer).await?;
    }
    printer.data(&report, |p| render_install(&report, p))?;
    if let Some(details) = rejection_summary(&report.objects) {
        let count = report.count(ApplyResult::Rejected);
        return Err(MeshError::ObjectsRejected { count, details }.into());
    }
    Ok(ExitKind::Success)
}

/// A server-side dry run of every object comes first: if the cluster (its schemas or Istio's
/// webhook) refuses any of them, nothing is applied.
async fn apply_manifests(
    conn: &Connection,
    objects: &[Value],
    dry_run: bool,
    printer: &Printer,
) -> anyhow::Result<Vec<ObjectOutcome>> {
    let spinner = printer.spinner("applying manifests");
    let planned = apply_all(conn, objects, true).await?;
    let outcomes = if dry_run || rejection_summary(&planned).is_some() {
        planned
    } else {
        apply_all(conn, objects, false).await?
    };
    spinner.finish_and_clear();
    for skipped in outcomes.iter().filter(|o| o.result == ApplyResult::Skipped) {
        printer.status(&format!(
            "warning: skipped {}: {}",
            skipped.resource,
            skipped.reason.as_deref().unwrap_or("")
        ));
    }
    Ok(outcomes)
}

fn istioctl_install_args(args: &InstallArgs, global: &GlobalArgs) -> Vec<String> {
    let mut command = vec![
        "install".to_string(),
        "--set".into(),
        format!("profile={}", args.profile),
    ];
    for set in &args.set {
        command.extend(["--set".to_string(), set.clone()]);
    }
    if let Some(revision) = &args.revision {
        command.extend(["--revision".to_string(), revision.clone()]);
    }
    command.push("-y".into());
    command.extend(global.istioctl_cluster_flags());
    command
}

async fn install_istio(
    args: &InstallArgs,
    source: &IstioctlSource,
    global: &GlobalArgs,
    conn: &Connection,
    printer: &Printer,
    report: &mut InstallReport,
) -> anyhow::Result<()> {
    let command = istioctl_install_args(args, global);
    if args.dry_run {
        report.step(
            "istio",
            StepStatus::Planned,
            format!("would run: istioctl {}", command.join(" ")),
        );
        report.step(
            "control plane",
            StepStatus::Planned,
            format!(
                "would wait up to {} s for the Deployments in {}",
                args.timeout.as_secs(),
                args.istio_namespace
            ),
        );
        return Ok(());
    }
    let binary = istioctl::resolve(source, &printer.download_bar()).await?;
    report.step("istioctl", StepStatus::Done, binary.display().to_string());
    let started = Instant::now();
    let spinner = printer.spinner("istioctl install");
    let show = |line: &str| {
        if spinner.is_hidden() {
            tracing::info!(target: "meshctl::istioctl", "{line}");
        } else {
            spinner.set_message(format!("istioctl: {}", line.trim()));
        }
    };
    istioctl::run_streamed(&binary, &command, &show).await?;
    spinner.finish_and_clear();
    report.step(
        "istio",
        StepStatus::Done,
        format!(
            "istioctl {} ({} s)",
            command.join(" "),
            started.elapsed().as_secs()
        ),
    );
    let spinner = printer.spinner("waiting for istiod and the gateways");
    let ready = deployments_available(conn, &args.istio_namespace, args.timeout).await?;
    spinner.finish_and_clear();
    report.step(
        "control plane",
        StepStatus::Done,
        format!(
            "available in {}: {}",
            args.istio_namespace,
            ready.join(", ")
        ),
    );
    Ok(())
}

async fn label_namespace(
    conn: &Connection,
    namespace: &str,
    revision: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<String> {
    let outcome = crate::kube::label_for_injection(conn, namespace, revision, dry_run).await?;
    let result = serde_json::to_value(outcome.result)?
        .as_str()
        .unwrap_or_default()
        .to_string();
    let label = revision.map_or("istio-injection=enabled".to_string(), |rev| {
        format!("istio.io/rev={rev}")
    });
    Ok(format!("{namespace} {result}, labelled {label}"))
}
