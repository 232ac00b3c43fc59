//! `meshctl health`: runs the checks of the catalog in `checks/` once or until they pass
//! (`--wait`), or lists the catalog (`--list`).

use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use crate::checks::{self, CATALOG, Group, HealthOptions, Selection};
use crate::cmd::args::GlobalArgs;
use crate::error::ExitKind;
use crate::kube::connect;
use crate::output::{CheckList, Printer, render_check_list, render_health};

/// Check the mesh: cluster, control plane, data plane, config and connectivity
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// Namespace of the Istio control plane
    #[arg(long, default_value = "istio-system", value_name = "NS")]
    pub istio_namespace: String,

    /// Service whose health endpoint the connectivity check calls
    #[arg(long, default_value = "revenue-engine-service", value_name = "NAME")]
    pub service: String,

    /// Port of that Service
    #[arg(long, default_value_t = 8080)]
    pub port: u16,

    /// Path of the health endpoint
    #[arg(long, default_value = "/health", value_name = "PATH")]
    pub health_path: String,

    /// Re-run the checks until all pass or this much time has gone by (e.g. 2m)
    #[arg(long, value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub wait: Option<Duration>,

    /// List the checks (id, group, title, fatal, hint) without running them
    #[arg(long)]
    pub list: bool,

    /// Do not run the check with this id (repeatable; --list shows the ids)
    #[arg(long = "skip", value_name = "ID")]
    pub skip: Vec<String>,

    /// Run only the checks of this group
    #[arg(long, value_enum, value_name = "GROUP")]
    pub only: Option<GroupArg>,
}

/// The check groups, as `--only` spells them.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupArg {
    Cluster,
    ControlPlane,
    DataPlane,
    Config,
    Connectivity,
    Observability,
}

impl From<GroupArg> for Group {
    fn from(arg: GroupArg) -> Self {
        match arg {
            GroupArg::Cluster => Group::Cluster,
            GroupArg::ControlPlane => Group::ControlPlane,
            GroupArg::DataPlane => Group::DataPlane,
            GroupArg::Config => Group::Config,
            GroupArg::Connectivity => Group::Connectivity,
            GroupArg::Observability => Group::Observability,
        }
    }
}

/// Pause between two rounds of `--wait`.
const WAIT_INTERVAL: Duration = Duration::from_secs(2);

pub async fn run(
    args: HealthArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let selection = Selection::new(&args.skip, args.only.map(Group::from))?;
    if args.list {
        let listed: Vec<_> = CATALOG
            .iter()
            .copied()
            .filter(|c| selection.wants(c))
            .collect();
        let list = CheckList::new(&listed);
        printer.data(&list, |palette| render_check_list(&list, palette))?;
        return Ok(ExitKind::Success);
    }
    let conn = connect(&global.cluster_target()).await?;
    let opts = HealthOptions {
        namespace: global.namespace().to_string(),
        istio_namespace: args.istio_namespace,
        service: args.service,
        port: args.port,
        health_path: args.health_path,
        selection,
    };
    let spinner = printer.spinner("checking the mesh");
    let report = match args.wait {
        Some(wait) => {
            let deadline = Instant::now() + wait;
            let waiting = |why: &str| spinner.set_message(why.to_string());
            checks::run_until_healthy(&conn, &opts, deadline, WAIT_INTERVAL, &waiting).await?
        }
        None => checks::run_health(&conn, &opts).await?,
    };
    spinner.finish_and_clear();
    printer.data(&report, |palette| render_health(&report, palette))?;
    Ok(if report.failed() {
        ExitKind::CheckFailed
    } else {
        ExitKind::Success
    })
}
