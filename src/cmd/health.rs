//! `meshctl health`: runs the check groups of `checks/` once or until they pass (`--wait`).

use std::time::{Duration, Instant};

use clap::Args;

use crate::checks::{self, HealthOptions, HealthReport};
use crate::cmd::args::GlobalArgs;
use crate::error::ExitKind;
use crate::kube::connect;
use crate::output::{Printer, render_health};

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
}

/// Pause between two rounds of `--wait`.
const WAIT_INTERVAL: Duration = Duration::from_secs(2);

pub async fn run(
    args: HealthArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let conn = connect(&global.cluster_target()).await?;
    let opts = HealthOptions {
        namespace: global.namespace().to_string(),
        istio_namespace: args.istio_namespace,
        service: args.service,
        port: args.port,
        health_path: args.health_path,
    };
    let deadline = args.wait.map(|w| Instant::now() + w);
    let spinner = printer.spinner("checking the mesh");
    let report = loop {
        let report = checks::run_health(&conn, &opts).await?;
        match deadline {
            Some(deadline) if report.failed() && Instant::now() + WAIT_INTERVAL < deadline => {
                spinner.set_message(format!("waiting: {} checks failing", failing(&report)));
                tokio::time::sleep(WAIT_INTERVAL).await;
            }
            _ => break report,
        }
    };
    spinner.finish_and_clear();
    printer.data(&report, |palette| render_health(&report, palette))?;
    Ok(if report.failed() {
        ExitKind::CheckFailed
    } else {
        ExitKind::Success
    })
}

fn failing(report: &HealthReport) -> usize {
    report
        .checks
        .iter()
        .filter(|c| c.status == checks::Status::Fail)
        .count()
}
