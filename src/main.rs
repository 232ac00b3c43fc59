//! meshctl: operate an Istio service mesh on Kubernetes. The binary parses the command line,
//! builds the runtime and maps the result to an exit code. There is no library target: every
//! module is private to the binary, so the compiler reports code that nothing uses.

// Only the printer in `output` writes to the terminal.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod addons;
mod ambient;
mod analyze;
mod checks;
mod cli;
mod cmd;
mod error;
mod files;
mod gateway_crds;
mod install;
mod istioctl;
mod kube;
mod load;
mod manifests;
mod metrics;
mod output;
mod snapshot;
mod verify;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Runtime};
use crate::error::ExitKind;

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
    let printer = cli.global.printer();
    init_tracing(cli.global.verbose, printer.stderr_colour());
    let mut builder = match cli.runtime() {
        Runtime::OneThread => tokio::runtime::Builder::new_current_thread(),
        Runtime::Pool => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            builder.max_blocking_threads(load::limits::BLOCKING_THREADS);
            builder
        }
    };
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
            let (kind, hint) = error::classify(&err);
            printer.error(&format!("{err:#}"), hint.as_deref());
            ExitCode::from(kind.code())
        }
    }
}

fn init_tracing(verbose: u8, colour: bool) {
    let level = match verbose {
        0 => {
            // With no subscriber at all, tracing hands every span of hyper and kube-client to the
            // `log` fallback, which costs CPU on every API call; a subscriber that wants nothing
            // turns those call sites off once.
            let _ =
                tracing::subscriber::set_global_default(tracing::subscriber::NoSubscriber::new());
            return;
        }
        1 => "meshctl=info",
        2 => "meshctl=debug,kube=debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| output::LogWriter)
        .with_ansi(colour)
        .init();
}
