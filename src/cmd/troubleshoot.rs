//! `meshctl troubleshoot`: the analyzers over a live or file snapshot, the gateway pods' recent
//! activity, and the safe `--fix`es after a confirmation.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::analyze::{self, AnalyzeOptions, Category, NamespaceScope, Severity, Suppression};
use crate::cmd::args::GlobalArgs;
use crate::error::{ExitKind, UsageError};
use crate::kube::{Connection, connect};
use crate::output::{CodeCatalog, Printer, TroubleshootReport, render_codes, render_troubleshoot};
use crate::snapshot::{self, MeshSnapshot};

/// Which findings to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    Injection,
    Gateway,
    Mtls,
    Certs,
    Config,
    GatewayApi,
    Capacity,
    Ambient,
    All,
}

/// The severity `--fail-on` names.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SeverityArg {
    Info,
    Warning,
    Error,
}

/// Find mesh misconfigurations in the cluster, or in YAML files with --file (no cluster needed)
#[derive(Debug, Args)]
pub struct TroubleshootArgs {
    /// Which findings to show
    #[arg(value_enum, default_value = "all")]
    pub scope: Scope,

    /// Analyze these YAML/JSON files or directories instead of the cluster, every namespace
    /// they hold; `-` reads standard input (repeatable)
    #[arg(long = "file", value_name = "PATH")]
    pub files: Vec<PathBuf>,

    /// Analyze every namespace of the cluster, not only -n
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,

    /// Hide a finding: CODE=Kind/namespace/name (or Kind/name), `*` for any part; CODE is a MESH
    /// or IST code (repeatable). Objects annotated galley.istio.io/analyze-suppress=CODE[,CODE]
    /// are hidden too
    #[arg(long, value_name = "CODE=RESOURCE")]
    pub suppress: Vec<Suppression>,

    /// Print every finding code with its Istio code, severity, category and fix, and exit
    #[arg(long)]
    pub list_codes: bool,

    /// Exit 1 when a finding of this severity or worse is found
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: SeverityArg,

    /// Namespace of the Istio control plane (mesh-wide policies, gateway pods and credentials)
    #[arg(long, default_value = "istio-system", value_name = "NS")]
    pub istio_namespace: String,

    /// Warn about gateway certificates that expire within this many days
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    pub cert_expiry_days: i64,

    /// Apply the safe, reversible fixes (label the namespace, restart Deployments) after a prompt
    #[arg(long, conflicts_with_all = ["files", "all_namespaces"])]
    pub fix: bool,

    /// Do not ask before --fix
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Log lines per ingress gateway pod in `troubleshoot gateway`
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub log_lines: i64,
}

pub async fn run(
    args: TroubleshootArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    if args.list_codes {
        let catalog = CodeCatalog::new();
        printer.data(&catalog, |p| render_codes(&catalog, p))?;
        return Ok(ExitKind::Success);
    }
    let namespace = global.namespace().to_string();
    let offline = !args.files.is_empty();
    let opts = AnalyzeOptions {
        // Files are analyzed whole: their namespaces are whatever the input holds.
        scope: if offline || args.all_namespaces {
            NamespaceScope::All
        } else {
            NamespaceScope::One(namespace.clone())
        },
        istio_namespace: args.istio_namespace.clone(),
        cert_expiry_days: args.cert_expiry_days,
        suppress: args.suppress.clone(),
    };
    let (snapshot, conn) = if offline {
        (snapshot::from_paths(&args.files, &namespace)?, None)
    } else {
        let conn = connect(&global.cluster_target()).await?;
        let only = (!args.all_namespaces).then_some(namespace.as_str());
        let snapshot = snapshot::from_cluster(&conn.client, only, &opts.istio_namespace).await?;
        (snapshot, Some(conn))
    };
    let category = category(args.scope);
    let findings = analyze::analyze(&snapshot, &opts)
        .into_iter()
        .filter(|f| category.is_none_or(|c| f.category() == c))
        .collect();
    let mut report = TroubleshootReport::new(findings, analyze::offline_limits(&snapshot));
    if let Some(conn) = &conn {
        if args.scope == Scope::Gateway {
            report.gateway_pods = snapshot::ingress_gateway_activity(
                &conn.client,
                &opts.istio_namespace,
                args.log_lines,
            )
            .await?;
        }
        if args.fix {
            report.fixed = fix(conn, &snapshot, &report, &namespace, args.yes, printer).await?;
        }
    }
    // The process ends after the report: freeing ten thousand objects one map at a time would
    // cost a twentieth of a large run for nothing.
    std::mem::forget(snapshot);
    printer.data(&report, |p| render_troubleshoot(&report, p))?;
    let fail_on = severity(args.fail_on);
    Ok(ExitKind::failed_if(
        report.findings.iter().any(|f| f.severity >= fail_on),
    ))
}

fn category(scope: Scope) -> Option<Category> {
    Some(match scope {
        Scope::All => return None,
        Scope::Injection => Category::Injection,
        Scope::Gateway => Category::Gateway,
        Scope::Mtls => Category::Mtls,
        Scope::Certs => Category::Certs,
        Scope::Config => Category::Config,
        Scope::GatewayApi => Category::GatewayApi,
        Scope::Capacity => Category::Capacity,
        Scope::Ambient => Category::Ambient,
    })
}

fn severity(arg: SeverityArg) -> Severity {
    match arg {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Warning => Severity::Warning,
        SeverityArg::Error => Severity::Error,
    }
}

/// Plans the safe fixes from the findings, asks (unless `-y`), applies them in order.
async fn fix(
    conn: &Connection,
    snapshot: &MeshSnapshot,
    report: &TroubleshootReport,
    namespace: &str,
    yes: bool,
    printer: &Printer,
) -> anyhow::Result<Vec<String>> {
    let plan = analyze::plan_fixes(snapshot, namespace, &report.findings);
    if plan.is_empty() {
        printer.status("nothing that --fix can change safely");
        return Ok(Vec::new());
    }
    let question = plan.describe(namespace);
    let confirmed = yes || {
        let answer = printer.confirm(&format!("{question}?"))?;
        answer.ok_or_else(|| UsageError {
            what: "--fix".into(),
            reason: format!("would {question}, but there is no terminal to confirm on"),
            hint: "pass -y to apply the fixes without asking".into(),
        })?
    };
    if !confirmed {
        printer.status("no changes made");
        return Ok(Vec::new());
    }
    Ok(plan.apply(conn).await?)
}
