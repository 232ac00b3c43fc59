//! `meshctl troubleshoot`: the analyzers over a live or file snapshot, and the safe `--fix`es.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use k8s_openapi::api::core::v1::{Event, Pod};
use kube::api::{Api, ListParams, LogParams};
use serde::Serialize;

use crate::analyze::{self, AnalyzeOptions, Category, Finding, Severity};
use crate::cmd::args::GlobalArgs;
use crate::error::{ExitKind, MeshError};
use crate::kube::{
    Connection, api_message, classify, connect, label_for_injection, restart_deployment,
};
use crate::output::{Palette, Printer};
use crate::snapshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    Injection,
    Gateway,
    Mtls,
    Certs,
    Config,
    All,
}

/// Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)
#[derive(Debug, Args)]
pub struct TroubleshootArgs {
    /// Which findings to show
    #[arg(value_enum, default_value = "all")]
    pub scope: Scope,

    /// Analyze these YAML files or directories instead of the cluster (repeatable)
    #[arg(long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Exit 1 when a finding of this severity or worse is found
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: Severity,

    /// Namespace of the Istio control plane (mesh-wide policies, gateway pods and credentials)
    #[arg(long, default_value = "istio-system", value_name = "NS")]
    pub istio_namespace: String,

    /// Warn about gateway certificates that expire within this many days
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    pub cert_expiry_days: i64,

    /// Apply the safe, reversible fixes (label the namespace, restart Deployments) after a prompt
    #[arg(long, conflicts_with = "files")]
    pub fix: bool,

    /// Do not ask before --fix
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Log lines per ingress gateway pod in `troubleshoot gateway`
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub log_lines: i64,
}

#[derive(Debug, Serialize)]
pub struct TroubleshootReport {
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gateway_pods: Vec<GatewayPod>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct GatewayPod {
    pub name: String,
    pub events: Vec<String>,
    pub log: Vec<String>,
}

pub async fn run(
    args: TroubleshootArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let namespace = global.namespace().to_string();
    let opts = AnalyzeOptions {
        namespace: namespace.clone(),
        istio_namespace: args.istio_namespace.clone(),
        cert_expiry_days: args.cert_expiry_days,
    };
    let (snapshot, conn) = if args.files.is_empty() {
        let conn = connect(&global.cluster_target()).await?;
        let snapshot = snapshot::from_cluster(&conn.client, &namespace, &args.istio_namespace)
            .await
            .map_err(|e| classify(&conn.server, &format!("read the mesh in {namespace}"), e))?;
        (snapshot, Some(conn))
    } else {
        (snapshot::from_paths(&args.files, &namespace)?, None)
    };
    let live = conn.is_some();
    let findings: Vec<Finding> = analyze::analyze(&snapshot, &opts)
        .into_iter()
        .filter(|f| in_scope(args.scope, f.category))
        .filter(|f| !live || concerns(f, &opts))
        .collect();
    let mut report = TroubleshootReport {
        findings,
        gateway_pods: Vec::new(),
        fixed: Vec::new(),
    };
    if let Some(conn) = &conn {
        if args.scope == Scope::Gateway {
            report.gateway_pods = gateway_pods(conn, &args.istio_namespace, args.log_lines).await;
        }
        if args.fix {
            report.fixed = fix(
                conn,
                &snapshot,
                &namespace,
                &report.findings,
                args.yes,
                printer,
            )
            .await?;
        }
    }
    printer.data(&report, |p| render(&report, p))?;
    let failing = report.findings.iter().any(|f| f.severity >= args.fail_on);
    Ok(if failing {
        ExitKind::CheckFailed
    } else {
        ExitKind::Success
    })
}

/// The live snapshot holds Gateways of every namespace and mesh-wide policies only to resolve
/// references; findings are about the application namespace, plus mesh-wide mTLS policies.
fn concerns(finding: &Finding, opts: &AnalyzeOptions) -> bool {
    let mut parts = finding.resource.splitn(3, '/');
    let (kind, second) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    match kind {
        "Namespace" => second == opts.namespace,
        "PeerAuthentication" => second == opts.namespace || second == opts.istio_namespace,
        _ => second == opts.namespace,
    }
}

fn in_scope(scope: Scope, category: Category) -> bool {
    match scope {
        Scope::All => true,
        Scope::Injection => category == Category::Injection,
        Scope::Gateway => category == Category::Gateway,
        Scope::Mtls => category == Category::Mtls,
        Scope::Certs => category == Category::Certs,
        Scope::Config => category == Category::Config,
    }
}

/// Recent events and log lines of the ingress gateway pods, through the API, bounded.
async fn gateway_pods(conn: &Connection, istio_ns: &str, lines: i64) -> Vec<GatewayPod> {
    let pods: Api<Pod> = Api::namespaced(conn.client.clone(), istio_ns);
    let events: Api<Event> = Api::namespaced(conn.client.clone(), istio_ns);
    let Ok(list) = pods
        .list(&ListParams::default().labels("istio=ingressgateway"))
        .await
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for pod in list.items {
        let name = pod.metadata.name.unwrap_or_default();
        let selector = format!("involvedObject.name={name}");
        let recent = match events.list(&ListParams::default().fields(&selector)).await {
            Ok(list) => list
                .items
                .iter()
                .rev()
                .take(10)
                .map(|e| {
                    format!(
                        "{} {}: {}",
                        e.type_.as_deref().unwrap_or(""),
                        e.reason.as_deref().unwrap_or(""),
                        e.message.as_deref().unwrap_or("")
                    )
                })
                .collect(),
            Err(e) => vec![format!("events unavailable: {}", api_message(&e))],
        };
        let params = LogParams {
            tail_lines: Some(lines),
            container: Some("istio-proxy".into()),
            ..LogParams::default()
        };
        let log = match pods.logs(&name, &params).await {
            Ok(text) => text.lines().map(str::to_string).collect(),
            Err(e) => vec![format!("logs unavailable: {}", api_message(&e))],
        };
        out.push(GatewayPod {
            name,
            events: recent,
            log,
        });
    }
    out
}

/// The safe fixes: label the namespace (MESH0201) and restart Deployments whose pods lack the
/// sidecar (MESH0202). Everything else needs a person.
async fn fix(
    conn: &Connection,
    snapshot: &snapshot::MeshSnapshot,
    namespace: &str,
    findings: &[Finding],
    yes: bool,
    printer: &Printer,
) -> anyhow::Result<Vec<String>> {
    let label = findings.iter().any(|f| f.code == "MESH0201");
    // Labelling restarts every Deployment; otherwise only the owners of pods without a sidecar.
    let mut restarts: Vec<String> = if label {
        snapshot
            .in_namespace("Deployment", namespace)
            .map(|d| snapshot::name_of(d).to_string())
            .collect()
    } else {
        findings
            .iter()
            .filter(|f| f.code == "MESH0202")
            .filter_map(|f| {
                snapshot
                    .objects
                    .iter()
                    .find(|o| snapshot::resource_of(o) == f.resource)
            })
            .filter_map(analyze::owner_deployment)
            .collect()
    };
    restarts.sort();
    restarts.dedup();
    if !label && restarts.is_empty() {
        printer.status("nothing that --fix can change safely");
        return Ok(Vec::new());
    }
    let plan = format!(
        "{}restart {} Deployment(s) in {namespace}",
        if label {
            format!("label namespace {namespace} istio-injection=enabled, ")
        } else {
            String::new()
        },
        restarts.len()
    );
    if !yes && !confirm(&plan)? {
        printer.status("no changes made");
        return Ok(Vec::new());
    }
    let mut fixed = Vec::new();
    if label {
        label_for_injection(conn, namespace, None, false).await?;
        fixed.push(format!(
            "labelled namespace {namespace} istio-injection=enabled"
        ));
    }
    for deployment in restarts {
        restart_deployment(conn, namespace, &deployment, false).await?;
        fixed.push(format!("restarted deployment {namespace}/{deployment}"));
    }
    Ok(fixed)
}

fn confirm(plan: &str) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(MeshError::InvalidInput {
            what: "--fix".into(),
            reason: format!("would {plan}, but there is no terminal to confirm on; pass -y"),
        }
        .into());
    }
    eprint!("{plan}? [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn render(report: &TroubleshootReport, palette: &Palette) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let (mark, style) = match f.severity {
            Severity::Error => ("×", &palette.fail),
            Severity::Warning => ("‼", &palette.warn),
            Severity::Info => ("i", &palette.dim),
        };
        let severity = serde_json::to_value(f.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&format!(
            "{} {} {severity} {}\n    {}\n    {} {}\n",
            style.apply_to(mark),
            f.code,
            palette.bold.apply_to(&f.resource),
            f.message,
            palette.dim.apply_to("fix:"),
            f.fix
        ));
    }
    for pod in &report.gateway_pods {
        out.push_str(&format!(
            "\n{}\n",
            palette.bold.apply_to(format!("gateway pod {}", pod.name))
        ));
        out.push_str("  events:\n");
        for line in &pod.events {
            out.push_str(&format!("    {line}\n"));
        }
        out.push_str("  log:\n");
        for line in &pod.log {
            out.push_str(&format!("    {line}\n"));
        }
    }
    for change in &report.fixed {
        out.push_str(&format!("{} {change}\n", palette.pass.apply_to("fixed:")));
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "\n{} errors, {} warnings, {} info\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    out
}
