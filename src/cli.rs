//! The command line and its flat dispatch; each subcommand's arguments live beside its entry
//! function in `cmd/`, flag groups they share in `cmd/args.rs`.

use clap::{CommandFactory, Parser, Subcommand};

use crate::cmd;
use crate::cmd::args::GlobalArgs;
use crate::error::ExitKind;
use crate::output::Printer;

const EXIT_CODES: &str = "\
Exit codes:
  0  all good
  1  a check or threshold failed
  2  bad input (usage, config file, manifest)
  3  environment (cluster unreachable, unauthorized or forbidden, download failed)
  130  interrupted by Ctrl-C (the report says what was done)";

/// Operate an Istio service mesh on Kubernetes.
#[derive(Debug, Parser)]
#[command(name = "meshctl", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The async runtime a command runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// One thread: the command mostly waits on the API server, and a second worker thread only
    /// adds cross-thread wake-ups, and CPU that the API server on the same machine would use.
    OneThread,
    /// A worker per core: the command parses in bulk or serves port-forwards while it works
    /// (`traffic-test`'s load goes out from lanes on threads of their own: `load::lane_count`).
    Pool,
}

impl Cli {
    /// The runtime the command runs on.
    pub fn runtime(&self) -> Runtime {
        match &self.command {
            // A live snapshot of thousands of objects is decoded on both cores; the dashboard
            // serves port-forwards while it fetches, and so may traffic-test's metrics step.
            Command::TrafficTest(_) | Command::Troubleshoot(_) | Command::Dashboard(_) => {
                Runtime::Pool
            }
            Command::Install(_)
            | Command::Uninstall(_)
            | Command::Inject(_)
            | Command::Waypoint(_)
            | Command::Health(_)
            | Command::Manifests(_)
            | Command::Addons(_)
            | Command::Completions(_) => Runtime::OneThread,
        }
    }
}

// Parsed once per process: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    Install(cmd::install::InstallArgs),
    Uninstall(cmd::uninstall::UninstallArgs),
    Inject(cmd::inject::InjectArgs),
    Waypoint(cmd::waypoint::WaypointArgs),
    Health(cmd::health::HealthArgs),
    Troubleshoot(cmd::troubleshoot::TroubleshootArgs),
    TrafficTest(cmd::traffic::TrafficArgs),
    Manifests(cmd::manifests::ManifestsArgs),
    Addons(cmd::addons::AddonsArgs),
    Dashboard(cmd::dashboard::DashboardArgs),
    Completions(cmd::completions::CompletionsArgs),
}

pub async fn run(cli: Cli, printer: &Printer) -> anyhow::Result<ExitKind> {
    match cli.command {
        Command::Install(args) => cmd::install::run(args, &cli.global, printer).await,
        Command::Uninstall(args) => cmd::uninstall::run(args, &cli.global, printer).await,
        Command::Inject(args) => cmd::inject::run(args, &cli.global, printer).await,
        Command::Waypoint(args) => cmd::waypoint::run(args, &cli.global, printer).await,
        Command::TrafficTest(args) => cmd::traffic::run(args, &cli.global, printer).await,
        Command::Troubleshoot(args) => cmd::troubleshoot::run(args, &cli.global, printer).await,
        Command::Health(args) => cmd::health::run(args, &cli.global, printer).await,
        Command::Manifests(args) => cmd::manifests::run(&args, &cli.global, printer),
        Command::Addons(args) => cmd::addons::run(args, &cli.global, printer).await,
        Command::Dashboard(args) => cmd::dashboard::run(args, &cli.global, printer).await,
        Command::Completions(args) => cmd::completions::run(&args, Cli::command(), printer),
    }
}
