//! `meshctl addons install|status|uninstall`: Istio's observability addons from the release.

use std::time::Duration;

use clap::{Args, Subcommand};

use crate::addons::{self, ADDON_NAMESPACE, ADDONS, AddonsOptions};
use crate::cmd::args::{GlobalArgs, positive_duration};
use crate::error::ExitKind;
use crate::istioctl::{DEFAULT_MIRROR, IstioctlSource, PINNED_VERSION};
use crate::kube::connect;
use crate::output::{Printer, render_addon_status, render_addons};

/// Install, inspect and remove Istio's observability addons (Prometheus, Grafana, Kiali, Jaeger,
/// Loki): the samples/addons manifests of the pinned Istio release
#[derive(Debug, Args)]
pub struct AddonsArgs {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Server-side apply the addons' manifests (field manager meshctl) and wait until they are ready
    Install(ChangeArgs),
    /// Show each addon's version, readiness and in-cluster URL
    Status(StatusArgs),
    /// Delete the addons' objects that meshctl applied (those carrying its meshctl.io/addon label)
    Uninstall(ChangeArgs),
}

#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// The addons
    #[arg(value_parser = addon_names(), required_unless_present = "all", value_name = "ADDON")]
    pub addons: Vec<String>,

    /// Every addon
    #[arg(long, conflicts_with = "addons")]
    pub all: bool,

    #[command(flatten)]
    pub release: ReleaseArgs,

    /// Namespace for the addons' objects (the release's manifests use istio-system; the URLs in
    /// the addons' own config are left as the release wrote them)
    #[arg(long, default_value = ADDON_NAMESPACE, value_name = "NS")]
    pub istio_namespace: String,

    /// Show what would change (server-side dry run) and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// How long to wait for the addons' workloads to become ready (install)
    #[arg(long, value_parser = positive_duration, default_value = "5m", value_name = "DURATION")]
    pub timeout: Duration,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The addons to show [default: all]
    #[arg(value_parser = addon_names(), value_name = "ADDON")]
    pub addons: Vec<String>,

    /// Where the addons run
    #[arg(long, default_value = ADDON_NAMESPACE, value_name = "NS")]
    pub istio_namespace: String,
}

/// Where the release archive comes from (its samples/addons); the same cache and mirror as istioctl.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// Istio release whose addons to use
    #[arg(long, default_value = PINNED_VERSION, value_name = "VERSION")]
    pub istio_version: String,

    /// Release mirror (https://, http:// or file://); the archive is <mirror>/<version>/istio-<version>-<os>-<arch>.tar.gz
    #[arg(long, env = "MESHCTL_ISTIO_MIRROR", hide_env_values = true, default_value = DEFAULT_MIRROR, value_name = "URL")]
    pub mirror: String,
}

impl ReleaseArgs {
    pub fn source(&self) -> IstioctlSource {
        IstioctlSource {
            explicit: None,
            version: self.istio_version.clone(),
            mirror: self.mirror.clone(),
            cache_root: IstioctlSource::default_cache_root(),
        }
    }
}

fn addon_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(ADDONS.iter().map(|a| a.name))
}

pub async fn run(
    args: AddonsArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    match args.action {
        Action::Status(args) => {
            let chosen = addons::select(&args.addons, args.addons.is_empty())?;
            let conn = connect(&global.cluster_target()).await?;
            let report = addons::status(&conn, &args.istio_namespace, &chosen).await?;
            printer.data(&report, |p| render_addon_status(&report, p))?;
            Ok(ExitKind::Success)
        }
        Action::Install(args) => change(args, true, global, printer).await,
        Action::Uninstall(args) => change(args, false, global, printer).await,
    }
}

async fn change(
    args: ChangeArgs,
    install: bool,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let opts = AddonsOptions {
        addons: addons::select(&args.addons, args.all)?,
        source: args.release.source(),
        namespace: args.istio_namespace.clone(),
        dry_run: args.dry_run,
        timeout: args.timeout,
    };
    let conn = connect(&global.cluster_target()).await?;
    let download = printer.download_bar();
    if install && !args.dry_run {
        let names: Vec<&str> = opts.addons.iter().map(|a| a.name).collect();
        printer.status(&format!(
            "applying {} and waiting up to {} s for them to be ready",
            names.join(", "),
            args.timeout.as_secs()
        ));
    }
    let work = async {
        if install {
            addons::install(&conn, &opts, &download).await
        } else {
            addons::uninstall(&conn, &opts, &download).await
        }
    };
    // The download listens for Ctrl-C itself; once it has, the default action is gone, so the
    // apply and the wait listen too.
    let outcome = tokio::select! {
        outcome = work => outcome,
        _ = tokio::signal::ctrl_c() => {
            printer.status("interrupted: run the command again; it is safe to repeat");
            return Ok(ExitKind::Interrupted);
        }
    };
    let report = outcome?;
    printer.data(&report, |p| render_addons(&report, p))?;
    Ok(ExitKind::Success)
}
