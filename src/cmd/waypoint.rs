//! `meshctl waypoint apply|list|status|delete`: waypoints for ambient namespaces, as
//! `istioctl waypoint` manages them.

use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};

use crate::ambient::{self, TrafficType};
use crate::cmd::args::{GlobalArgs, positive_duration};
use crate::error::ExitKind;
use crate::kube::connect;
use crate::output::{
    Printer, WaypointDeletions, WaypointList, render_waypoint_apply, render_waypoint_delete,
    render_waypoint_list, render_waypoint_status,
};

/// Manage waypoints: the proxies istiod deploys for L7 policy and routing in ambient namespaces
#[derive(Debug, Args)]
pub struct WaypointArgs {
    #[command(subcommand)]
    pub command: WaypointCommand,
}

#[derive(Debug, Subcommand)]
pub enum WaypointCommand {
    /// Apply a waypoint (a Gateway of class istio-waypoint) in the namespace given with -n
    Apply(ApplyArgs),
    /// List the waypoints with their traffic type and whether istiod programmed them
    List(ListArgs),
    /// Show each waypoint's Programmed condition, its Deployment and what uses it; exit 1 when
    /// one is not Programmed or not ready
    Status(ListArgs),
    /// Delete waypoints by name, or all of them in the namespace with --all
    Delete(DeleteArgs),
}

/// The values of `istio.io/waypoint-for`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForArg {
    Service,
    Workload,
    All,
    None,
}

impl From<ForArg> for TrafficType {
    fn from(arg: ForArg) -> Self {
        match arg {
            ForArg::Service => Self::Service,
            ForArg::Workload => Self::Workload,
            ForArg::All => Self::All,
            ForArg::None => Self::None,
        }
    }
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The waypoint's name
    #[arg(long, default_value = "waypoint", value_name = "NAME")]
    pub name: String,

    /// Traffic the waypoint handles (the istio.io/waypoint-for label) [default: istiod's, service]
    #[arg(long = "for", value_enum, value_name = "TYPE")]
    pub traffic: Option<ForArg>,

    /// Label the namespace istio.io/use-waypoint=NAME once the waypoint is applied
    #[arg(long)]
    pub enroll_namespace: bool,

    /// With --enroll-namespace: replace a label that names another waypoint
    #[arg(long, requires = "enroll_namespace")]
    pub overwrite: bool,

    /// Wait until istiod reports the waypoint Programmed (before enrolling the namespace)
    #[arg(long)]
    pub wait: bool,

    /// Limit for --wait
    #[arg(long, value_parser = positive_duration, default_value = "90s", value_name = "DURATION")]
    pub timeout: Duration,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Every namespace instead of the one given with -n
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Waypoints to delete
    #[arg(
        value_name = "NAME",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub names: Vec<String>,

    /// Delete every waypoint in the namespace
    #[arg(long)]
    pub all: bool,
}

pub async fn run(
    args: WaypointArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let conn = connect(&global.cluster_target()).await?;
    let namespace = global.namespace().to_string();
    let scope = |list: &ListArgs| (!list.all_namespaces).then_some(namespace.as_str());
    match args.command {
        WaypointCommand::Apply(apply) => {
            let opts = ambient::ApplyOptions {
                namespace: namespace.clone(),
                name: apply.name,
                traffic: apply.traffic.map(TrafficType::from),
                enroll_namespace: apply.enroll_namespace,
                overwrite: apply.overwrite,
                wait: apply.wait.then_some(apply.timeout),
            };
            let report = ambient::apply(&conn, &opts).await?;
            printer.data(&report, |p| render_waypoint_apply(&report, p))?;
            Ok(ExitKind::Success)
        }
        WaypointCommand::List(list) => {
            let waypoints = ambient::list(&conn, scope(&list)).await?;
            printer.data(
                &WaypointList {
                    waypoints: waypoints.clone(),
                },
                |p| render_waypoint_list(&waypoints, p),
            )?;
            Ok(ExitKind::Success)
        }
        WaypointCommand::Status(list) => {
            let statuses = ambient::status(&conn, scope(&list)).await?;
            let healthy = statuses.iter().all(|s| s.healthy());
            printer.data(
                &WaypointList {
                    waypoints: statuses.clone(),
                },
                |p| render_waypoint_status(&statuses, p),
            )?;
            Ok(ExitKind::failed_if(!healthy))
        }
        WaypointCommand::Delete(delete) => {
            let waypoints = ambient::delete(&conn, &namespace, &delete.names).await?;
            let report = WaypointDeletions {
                namespace,
                waypoints,
            };
            printer.data(&report, |p| render_waypoint_delete(&report, p))?;
            Ok(ExitKind::Success)
        }
    }
}
