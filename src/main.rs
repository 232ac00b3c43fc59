//! The binary: parses the command line, builds the runtime, maps the result to an exit code.

use std::process::ExitCode;

use clap::Parser;
use meshctl::cli::{self, Cli};
use meshctl::error::{ExitKind, MeshError};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => {
            let _ = usage.print();
            return ExitCode::from(if usage.use_stderr() {
                ExitKind::BadInput.code()
            } else {
                0
            });
        }
    };
    init_tracing(cli.global.verbose);
    let printer = cli.global.printer();
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = cli.runtime_threads() {
        builder.worker_threads(threads);
    }
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            printer.error(&format!("cannot start the async runtime: {e}"), None);
            return ExitCode::from(ExitKind::Environment.code());
        }
    };
    match runtime.block_on(cli::run(cli, &printer)) {
        Ok(kind) => ExitCode::from(kind.code()),
        Err(err) => {
            let (kind, hint) = match err.downcast_ref::<MeshError>() {
                Some(mesh) => (mesh.exit_kind(), mesh.hint()),
                None => (ExitKind::Environment, None),
            };
            printer.error(&format!("{err:#}"), hint.as_deref());
            ExitCode::from(kind.code())
        }
    }
}

fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => "meshctl=info",
        2 => "meshctl=debug,kube=debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
