//! Argument parsing and dispatch. Each subcommand's arguments live beside its entry function in
//! `cmd/`; this module only holds the global flags and the flat match.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::cmd;
use crate::error::ExitKind;
use crate::kube::ClusterTarget;
use crate::output::{OutputFormat, Printer};

const EXIT_CODES: &str = "\
Exit codes:
  0  all good
  1  a check or threshold failed
  2  bad input (usage, config file, manifest)
  3  environment (cluster unreachable, unauthorized or forbidden, download failed)";

/// Operate an Istio service mesh on Kubernetes.
#[derive(Debug, Parser)]
#[command(name = "meshctl", version, after_help = EXIT_CODES, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Runtime threads the command asks for (`traffic-test --threads`); `None` is one per core.
    pub fn runtime_threads(&self) -> Option<usize> {
        match &self.command {
            Command::TrafficTest(args) => args.threads.map(usize::from),
            _ => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Kubeconfig file [default: $KUBECONFIG, else ~/.kube/config, else in-cluster]
    #[arg(long, global = true, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use [default: the current context]
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,

    /// The application namespace [default: the config file's, else production]
    #[arg(short = 'n', long, global = true, value_name = "NS")]
    pub namespace: Option<String>,

    /// Output format
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,

    /// Never colour the output (also: the NO_COLOR variable); colour is used only on a terminal
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Log what meshctl does to stderr; repeat for more detail (-vv, -vvv)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Print only the result: no progress, no status lines
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// How long to wait for one API request (e.g. 10s, 1m)
    #[arg(long, global = true, value_parser = humantime::parse_duration, default_value = "30s", value_name = "DURATION")]
    pub request_timeout: Duration,
}

/// The seed's application namespace.
pub const DEFAULT_NAMESPACE: &str = "production";

impl GlobalArgs {
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or(DEFAULT_NAMESPACE)
    }

    pub fn cluster_target(&self) -> ClusterTarget {
        ClusterTarget {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            request_timeout: Some(self.request_timeout),
        }
    }

    pub fn printer(&self) -> Printer {
        Printer::new(self.output, self.no_color, self.quiet, self.verbose)
    }
}

// Parsed once per process: the size difference between variants costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    Install(cmd::install::InstallArgs),
    Uninstall(cmd::uninstall::UninstallArgs),
    Inject(cmd::inject::InjectArgs),
    Health(cmd::health::HealthArgs),
    Troubleshoot(cmd::troubleshoot::TroubleshootArgs),
    TrafficTest(cmd::traffic_test::TrafficTestArgs),
    Manifests(cmd::manifests::ManifestsArgs),
    Completions(cmd::completions::CompletionsArgs),
}

pub async fn run(cli: Cli, printer: &Printer) -> anyhow::Result<ExitKind> {
    match cli.command {
        Command::Install(args) => cmd::install::run(args, &cli.global, printer).await,
        Command::Uninstall(args) => cmd::uninstall::run(args, &cli.global, printer).await,
        Command::Inject(args) => cmd::inject::run(args, &cli.global, printer).await,
        Command::TrafficTest(args) => cmd::traffic_test::run(args, &cli.global, printer).await,
        Command::Troubleshoot(args) => cmd::troubleshoot::run(args, &cli.global, printer).await,
        Command::Health(args) => cmd::health::run(args, &cli.global, printer).await,
        Command::Manifests(args) => cmd::manifests::run(&args, printer),
        Command::Completions(args) => cmd::completions::run(&args, printer),
    }
}
