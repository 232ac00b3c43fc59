//! `meshctl inject`: the injection label, then parallel restarts of the selected Deployments.

use std::time::Duration;

use clap::Args;
use futures::future::join_all;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ListParams};
use serde::Serialize;

use crate::cmd::args::GlobalArgs;
use crate::error::{ExitKind, MeshError};
use crate::kube::{
    Connection, Rollout, classify, connect, label_for_injection, restart_deployment,
    sidecar_counts, unlabel_injection, wait_rollout,
};
use crate::output::{Palette, Printer};

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
    #[arg(long, value_parser = humantime::parse_duration, default_value = "5m", value_name = "DURATION")]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeploymentResult {
    Restarted,
    AlreadyInjected,
    Failed,
    Planned,
}

#[derive(Debug, Serialize)]
pub struct DeploymentReport {
    pub name: String,
    pub result: DeploymentResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Pods with istio-proxy, after the rollout when `--wait` was given.
    pub injected_pods: usize,
    pub pods: usize,
}

#[derive(Debug, Serialize)]
pub struct InjectReport {
    pub namespace: String,
    pub label: String,
    pub dry_run: bool,
    pub deployments: Vec<DeploymentReport>,
}

pub async fn run(
    args: InjectArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let conn = connect(&global.cluster_target()).await?;
    let ns = global.namespace().to_string();
    let label = if args.disable {
        unlabel(&conn, &ns, args.dry_run).await?
    } else {
        label(&conn, &ns, &args).await?
    };
    let deployments = selected(&conn, &ns, &args).await?;
    let wanted = !args.disable;
    let reports = join_all(
        deployments
            .iter()
            .map(|d| handle(&conn, d, &args, wanted, printer)),
    )
    .await;
    let report = InjectReport {
        namespace: ns,
        label,
        dry_run: args.dry_run,
        deployments: reports,
    };
    printer.data(&report, |p| render(&report, p))?;
    let failed = report
        .deployments
        .iter()
        .any(|d| d.result == DeploymentResult::Failed);
    Ok(if failed {
        ExitKind::CheckFailed
    } else {
        ExitKind::Success
    })
}

/// Refuses to overwrite a conflicting label unless `--force`.
async fn label(conn: &Connection, ns: &str, args: &InjectArgs) -> anyhow::Result<String> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let existing = api
        .get_opt(ns)
        .await
        .map_err(|e| classify(&conn.server, &format!("get namespace {ns}"), e))?;
    let labels = existing.and_then(|n| n.metadata.labels).unwrap_or_default();
    let conflict = match &args.revision {
        Some(rev) => labels
            .get("istio-injection")
            .map(|v| format!("istio-injection={v}"))
            .or_else(|| {
                labels
                    .get("istio.io/rev")
                    .filter(|v| *v != rev)
                    .map(|v| format!("istio.io/rev={v}"))
            }),
        None => labels
            .get("istio.io/rev")
            .map(|v| format!("istio.io/rev={v}"))
            .or_else(|| {
                labels
                    .get("istio-injection")
                    .filter(|v| *v != "enabled")
                    .map(|v| format!("istio-injection={v}"))
            }),
    };
    if let Some(conflict) = conflict.filter(|_| !args.force) {
        return Err(MeshError::InvalidInput {
            what: format!("namespace {ns}"),
            reason: format!("it is labelled {conflict}, which conflicts with the requested injection label; pass --force to replace it"),
        }
        .into());
    }
    let outcome = label_for_injection(conn, ns, args.revision.as_deref(), args.dry_run).await?;
    let label = args
        .revision
        .as_ref()
        .map_or("istio-injection=enabled".to_string(), |r| {
            format!("istio.io/rev={r}")
        });
    let result = serde_json::to_value(outcome.result)?
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok(format!("{label} ({result})"))
}

async fn unlabel(conn: &Connection, ns: &str, dry_run: bool) -> anyhow::Result<String> {
    if !dry_run {
        unlabel_injection(conn, ns).await?;
    }
    Ok("none (injection labels removed)".into())
}

async fn selected(
    conn: &Connection,
    ns: &str,
    args: &InjectArgs,
) -> anyhow::Result<Vec<Deployment>> {
    let api: Api<Deployment> = Api::namespaced(conn.client.clone(), ns);
    let all = api
        .list(&ListParams::default())
        .await
        .map_err(|e| classify(&conn.server, &format!("list deployments in {ns}"), e))?
        .items;
    if args.all {
        return Ok(all);
    }
    let mut chosen = Vec::new();
    for name in &args.deployments {
        match all
            .iter()
            .find(|d| d.metadata.name.as_deref() == Some(name))
        {
            Some(d) => chosen.push(d.clone()),
            None => {
                return Err(MeshError::InvalidInput {
                    what: format!("--deployment {name}"),
                    reason: format!("no such Deployment in {ns}"),
                }
                .into());
            }
        }
    }
    Ok(chosen)
}

/// One Deployment: skipped when its pods already match what is wanted, else restarted, and with
/// `--wait` followed until its rollout completes or fails.
async fn handle(
    conn: &Connection,
    deployment: &Deployment,
    args: &InjectArgs,
    want_sidecar: bool,
    printer: &Printer,
) -> DeploymentReport {
    let name = deployment.metadata.name.clone().unwrap_or_default();
    let ns = deployment.metadata.namespace.clone().unwrap_or_default();
    let report = |result, reason, (injected_pods, pods)| DeploymentReport {
        name: name.clone(),
        result,
        reason,
        injected_pods,
        pods,
    };
    let before = sidecar_counts(conn, deployment).await.unwrap_or((0, 0));
    let settled = if want_sidecar {
        before.0 == before.1
    } else {
        before.0 == 0
    };
    if before.1 > 0 && settled {
        return report(DeploymentResult::AlreadyInjected, None, before);
    }
    if args.dry_run {
        return report(
            DeploymentResult::Planned,
            Some("would restart".into()),
            before,
        );
    }
    if let Err(e) = restart_deployment(conn, &ns, &name, false).await {
        return report(DeploymentResult::Failed, Some(e.to_string()), before);
    }
    if !args.wait {
        return report(DeploymentResult::Restarted, None, before);
    }
    let outcome = wait_rollout(conn, &ns, &name, args.timeout).await;
    let after = sidecar_counts(conn, deployment).await.unwrap_or(before);
    match outcome {
        Ok(Rollout::Complete) => {
            printer.status(&format!(
                "deployment {ns}/{name}: rolled out, {}/{} pods with istio-proxy",
                after.0, after.1
            ));
            report(DeploymentResult::Restarted, None, after)
        }
        Ok(Rollout::Failed(reason)) => {
            printer.status(&format!("deployment {ns}/{name}: rollout failed: {reason}"));
            report(DeploymentResult::Failed, Some(reason), after)
        }
        Err(e) => report(DeploymentResult::Failed, Some(e.to_string()), after),
    }
}

fn render(report: &InjectReport, palette: &Palette) -> String {
    let mut out = format!("namespace {}: {}\n", report.namespace, report.label);
    for d in &report.deployments {
        let (mark, style) = match d.result {
            DeploymentResult::Failed => ("×", &palette.fail),
            DeploymentResult::Planned => ("~", &palette.warn),
            _ => ("√", &palette.pass),
        };
        let result = serde_json::to_value(d.result)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} {}: {result}, {}/{} pods with istio-proxy",
            style.apply_to(mark),
            d.name,
            d.injected_pods,
            d.pods
        ));
        if let Some(reason) = &d.reason {
            out.push_str(&format!(" ({reason})"));
        }
        out.push('\n');
    }
    if report.deployments.is_empty() {
        out.push_str("no Deployments selected (use --deployment NAME or --all)\n");
    }
    out
}
