//! `meshctl traffic-test`: flags to load options, the run, its verdicts against the flags and the
//! mesh config, and the mesh's own counts, into one report.

mod flags;

use clap::Args;
use http::Uri;

use crate::cmd::args::GlobalArgs;
use crate::error::ExitKind;
use crate::kube::LazyConnection;
use crate::load;
use crate::metrics::{self, Destination, MetricsPlan};
use crate::output::{Printer, TrafficReport, render_traffic};
use crate::verify::{self, ConfigSource, RequestShape};

pub use flags::{CheckFlags, MeshFlags, RequestFlags};

/// Send load to a URL and check latency, errors, and that traffic follows the mesh config
#[derive(Debug, Args)]
pub struct TrafficArgs {
    /// The URL to send requests to
    pub url: Uri,

    /// The application namespace (here only as --namespace: -n is the request count, as in hey)
    #[arg(long = "namespace", id = "namespace", value_name = "NS")]
    pub namespace: Option<String>,

    #[command(flatten)]
    pub request: RequestFlags,

    #[command(flatten)]
    pub checks: CheckFlags,

    #[command(flatten)]
    pub mesh: MeshFlags,
}

pub async fn run(
    args: TrafficArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let opts = args
        .request
        .options(&args.url, args.checks.split_by.clone())?;
    let namespace = args
        .namespace
        .clone()
        .unwrap_or_else(|| global.namespace().to_string());
    let mut cluster = LazyConnection::new(global.cluster_target());
    let config = match &args.checks.from_config {
        Some(file) => {
            let conn;
            let source = match file {
                Some(path) => ConfigSource::File(path),
                None => {
                    conn = cluster.get().await?;
                    ConfigSource::Cluster(&conn)
                }
            };
            let request = RequestShape::of(&opts);
            let route = args.checks.route();
            Some(verify::expectations(source, &namespace, route.as_ref(), &request).await?)
        }
        None => None,
    };
    let routed = config.as_ref().map_or(&[][..], |c| &c.destinations);
    let destinations = Destination::all(&args.mesh.destination, routed, &namespace);
    let baseline = match destinations.is_empty() {
        true => None,
        false => Some(
            metrics::baseline(MetricsPlan {
                cluster: &mut cluster,
                prometheus_url: args.mesh.prometheus.as_deref(),
                istio_namespace: &args.mesh.istio_namespace,
                destinations,
            })
            .await,
        ),
    };
    let bar = printer.load_bar(opts.requests.filter(|_| opts.duration.is_none()));
    let measured = load::run(&opts, interrupted(), &bar).await;
    bar.finish_and_clear();
    let measured = measured?;
    let versions_read = args.checks.split_by.is_some();
    let verdicts = verify::judge(&measured, args.checks.criteria(versions_read, config));
    let mesh = match baseline {
        Some(b) => Some(metrics::conclude(b, measured.responses, args.mesh.metrics_wait).await),
        None => None,
    };
    let report = TrafficReport::new(measured, verdicts, mesh);
    printer.data(&report, |p| render_traffic(&report, p))?;
    verify::require_responses(&report.measured, &opts.url.to_string())?;
    Ok(ExitKind::failed_if(!report.verdicts.passed()))
}

/// Completes on Ctrl-C; never, when no handler can be installed. The handler replaces the
/// default action for the rest of the process, so a second Ctrl-C (the user does not want the
/// report) ends the process here, at once, with the shell's status for SIGINT.
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(INTERRUPTED_AGAIN);
        }
    });
}

/// 128 + SIGINT, what a shell reports for a process Ctrl-C ended.
const INTERRUPTED_AGAIN: i32 = 130;
