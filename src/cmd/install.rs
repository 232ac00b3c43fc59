//! `meshctl install`: preflight, istioctl, the control plane, the namespace and the manifests.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::addons::{self, ADDON_NAMESPACE, AddonsOptions};
use crate::cmd::args::{GlobalArgs, IstioctlArgs, positive_duration};
use crate::cmd::manifests::ApiArg;
use crate::error::ExitKind;
use crate::gateway_crds::{self, CrdSource};
use crate::install::{self, InstallOptions, InstallReport, IstioInstall, StepStatus, TrafficApi};
use crate::istioctl;
use crate::istioctl::IstioctlSource;
use crate::kube::connect;
use crate::output::{InstallSpinner, Printer, render_install};

/// Install Istio with istioctl, label the namespace for injection and apply the mesh manifests
#[derive(Debug, Args)]
pub struct InstallArgs {
    #[command(flatten)]
    pub istioctl: IstioctlArgs,

    /// Config file with values for the manifests [default: the seed's values]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// istioctl profile: demo, default, minimal, … or ambient (ztunnel and istio-cni on every
    /// node, no ingress gateway; install waits until both DaemonSets have every pod ready)
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
    #[arg(long, value_parser = positive_duration, default_value = "5m", value_name = "DURATION")]
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

    /// Traffic API of the routing manifests: Istio's or the Gateway API's (as `manifests render
    /// --api`); gateway-api also installs the Gateway API CRDs when Istio is left alone
    #[arg(long, value_enum, default_value_t = ApiArg::Istio)]
    pub api: ApiArg,

    /// Leave the Gateway API CRDs alone (the platform manages them)
    #[arg(long)]
    pub skip_gateway_api_crds: bool,

    /// Go module proxy the Gateway API CRDs come from (https://, http:// or file://; GOPROXY
    /// layout); the module is verified against the go.sum hash built into meshctl
    #[arg(long, env = "MESHCTL_GATEWAY_API_PROXY", hide_env_values = true, default_value = gateway_crds::DEFAULT_PROXY, value_name = "URL")]
    pub gateway_api_proxy: String,

    /// Also install these observability addons of the release, comma-separated (as `meshctl addons install`)
    #[arg(long, value_delimiter = ',', value_parser = ["prometheus", "grafana", "kiali", "jaeger", "loki"], value_name = "ADDON,…")]
    pub addons: Vec<String>,
}

pub async fn run(
    args: InstallArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    if args.print_istioctl {
        let path = istioctl::resolve(&args.istioctl.source(), &printer.download_bar()).await?;
        printer.raw(&format!("{}\n", path.display()))?;
        return Ok(ExitKind::Success);
    }
    let opts = InstallOptions {
        config: global.mesh_config(args.config.as_deref())?,
        istio: (!args.skip_istio).then(|| IstioInstall {
            source: args.istioctl.source(),
            profile: args.profile.clone(),
            sets: args.set.clone(),
            cluster_flags: global.istioctl_cluster_flags(),
            namespace: args.istio_namespace.clone(),
            timeout: args.timeout,
        }),
        revision: args.revision.clone(),
        manifests: !args.skip_manifests,
        api: match args.api {
            ApiArg::Istio => TrafficApi::Istio,
            ApiArg::GatewayApi => TrafficApi::GatewayApi,
        },
        gateway_api_crds: gateway_api_crds(&args),
        istio_namespace: args.istio_namespace.clone(),
        dry_run: args.dry_run,
    };
    let conn = connect(&global.cluster_target()).await?;
    let mut report = InstallReport::new(args.dry_run);
    if args.skip_istio {
        report.step("istio", StepStatus::Skipped, "--skip-istio");
    }
    let progress = InstallSpinner::new(printer);
    // Ctrl-C drops the workflow: istioctl, started with kill_on_drop, is killed with it, and the
    // report shows the steps and objects done so far.
    let outcome = tokio::select! {
        biased;
        _ = tokio::signal::ctrl_c() => None,
        outcome = install::install(&conn, &opts, &progress, &mut report) => Some(outcome),
    };
    drop(progress);
    let outcome = match outcome {
        None | Some(Err(install::Error::Istioctl(istioctl::Error::Interrupted))) => {
            report.interrupted();
            printer.data(&report, |p| render_install(&report, p))?;
            printer.status("interrupted: the report above shows what was done");
            return Ok(ExitKind::Interrupted);
        }
        Some(outcome) => outcome,
    };
    if args.skip_manifests && outcome.is_ok() {
        let why = "--skip-manifests: namespace and manifests left as they are";
        report.step("application", StepStatus::Skipped, why);
    }
    let outcome = match outcome {
        Ok(()) if !args.addons.is_empty() => {
            // The download listens for Ctrl-C; so must the apply and the wait after it.
            tokio::select! {
                outcome = install_addons(&args, &conn, printer, &mut report) => outcome,
                _ = tokio::signal::ctrl_c() => {
                    report.interrupted();
                    printer.data(&report, |p| render_install(&report, p))?;
                    printer.status("interrupted: the report above shows what was done");
                    return Ok(ExitKind::Interrupted);
                }
            }
        }
        other => other.map_err(anyhow::Error::from),
    };
    match outcome {
        Ok(()) => {
            printer.data(&report, |p| render_install(&report, p))?;
            Ok(ExitKind::Success)
        }
        Err(e)
            if e.downcast_ref::<install::Error>()
                .is_some_and(install::Error::comes_with_report) =>
        {
            printer.data(&report, |p| render_install(&report, p))?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The Gateway API CRDs are installed with Istio (before istiod starts) and whenever the
/// manifests are Gateway API objects; `--skip-istio` with Istio's API leaves them alone.
fn gateway_api_crds(args: &InstallArgs) -> Option<CrdSource> {
    let needed = !args.skip_istio || (args.api == ApiArg::GatewayApi && !args.skip_manifests);
    (needed && !args.skip_gateway_api_crds).then(|| CrdSource {
        proxy: args.gateway_api_proxy.clone(),
        cache_root: IstioctlSource::default_cache_root(),
    })
}

/// `--addons`: the release's addons after the mesh, reported as one more step and their objects.
async fn install_addons(
    args: &InstallArgs,
    conn: &crate::kube::Connection,
    printer: &Printer,
    report: &mut InstallReport,
) -> anyhow::Result<()> {
    let opts = AddonsOptions {
        addons: addons::select(&args.addons, false)?,
        source: args.istioctl.source(),
        namespace: ADDON_NAMESPACE.to_string(),
        dry_run: args.dry_run,
        timeout: args.timeout,
    };
    let done = addons::install(conn, &opts, &printer.download_bar()).await?;
    let names: Vec<String> = done
        .addons
        .iter()
        .map(|a| format!("{} {}", a.name, a.version.as_deref().unwrap_or("")))
        .collect();
    let (status, state) = if args.dry_run {
        (StepStatus::Planned, "planned")
    } else {
        (StepStatus::Done, "ready")
    };
    report.step("addons", status, format!("{} {state}", names.join(", ")));
    report
        .objects
        .extend(done.addons.into_iter().flat_map(|a| a.objects));
    Ok(())
}
