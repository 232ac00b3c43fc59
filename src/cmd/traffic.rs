//! `meshctl traffic-test`: flags to load options, the run, its verdicts against the flags and the
//! mesh config, and the mesh's own counts, into one report.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use clap::Args;
use http::{HeaderName, HeaderValue, Method, Uri};

use crate::cmd::args::GlobalArgs;
use crate::error::ExitKind;
use crate::kube::LazyConnection;
use crate::load::{self, Error, LoadOptions, VersionSource, limits};
use crate::metrics::{self, Destination, MetricsPlan};
use crate::output::{Printer, TrafficReport, render_traffic};
use crate::verify::spec::{self, SplitWeights};
use crate::verify::{self, ConfigSource, Criteria, ExpectedFaults, RequestShape, Thresholds};

/// Send load to a URL and check latency, errors, and that traffic follows the mesh config
#[derive(Debug, Args)]
pub struct TrafficArgs {
    /// The URL to send requests to
    pub url: Uri,

    /// The application namespace (here only as --namespace: -n is the request count, as in hey)
    #[arg(long = "namespace", id = "namespace", value_name = "NS")]
    pub namespace: Option<String>,

    /// Number of requests [default: 100 unless -d is given]
    #[arg(short = 'n', long = "requests", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub requests: Option<u64>,

    /// Run for this long instead of a request count (e.g. 30s)
    #[arg(short = 'd', long, value_parser = limits::parse_duration, value_name = "DURATION", conflicts_with = "requests")]
    pub duration: Option<Duration>,

    /// Concurrent connections
    #[arg(
        short = 'c',
        long = "connections",
        default_value_t = 10,
        value_name = "N",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=100_000)
    )]
    pub connections: usize,

    /// Threads that send the load, like wrk's -t [default: one per core]. On a machine the
    /// server shares, fewer threads leave it more CPU
    #[arg(short = 't', long, value_parser = clap::value_parser!(u16).range(1..=1024), value_name = "N")]
    pub threads: Option<u16>,

    /// Constant arrival rate (requests per second over all connections); latency is then measured
    /// from each request's intended start (coordinated omission corrected)
    #[arg(long, value_parser = limits::parse_qps, value_name = "RATE")]
    pub qps: Option<f64>,

    /// HTTP method
    #[arg(short = 'm', long, default_value = "GET")]
    pub method: Method,

    /// Request header 'Name: value' (repeatable)
    #[arg(short = 'H', long = "header", value_name = "'K: V'", value_parser = load::parse_header)]
    pub headers: Vec<(HeaderName, HeaderValue)>,

    /// Request body
    #[arg(long, conflicts_with = "body_file")]
    pub body: Option<String>,

    /// Request body from a file
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<PathBuf>,

    /// Use HTTP/2 (prior knowledge over http://, ALPN over https://)
    #[arg(long)]
    pub http2: bool,

    /// Timeout of one request
    #[arg(long, value_parser = limits::parse_duration, default_value = "20s", value_name = "DURATION")]
    pub timeout: Duration,

    /// Do not verify the server's TLS certificate
    #[arg(long)]
    pub insecure: bool,

    /// Host header (and TLS server name) to send, e.g. a VirtualService host through a gateway address
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,

    /// Fail (exit 1) when p99 latency is above this (e.g. 250ms)
    #[arg(long, value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub max_p99: Option<Duration>,

    /// Fail when more than this share of requests fail (errors, 4xx, 5xx), e.g. 1%
    #[arg(long, value_parser = spec::parse_percent, value_name = "PCT")]
    pub max_error_rate: Option<f64>,

    /// Fail when fewer requests per second than this were completed
    #[arg(long, value_name = "N")]
    pub min_rps: Option<f64>,

    /// Fail when any response has another status (or any request errs)
    #[arg(long, value_name = "CODE")]
    pub expect_status: Option<u16>,

    /// Expected traffic split, e.g. v1=80,v2=20 (needs --split-by)
    #[arg(long, value_parser = spec::parse_split, value_name = "V=W,...", requires = "split_by")]
    pub expect_split: Option<SplitWeights>,

    /// Where the answering version is read: a response header (header:x-version) or a field of a
    /// JSON response body (body:version, body:build.version)
    #[arg(long, value_parser = VersionSource::parse, value_name = "header:NAME|body:FIELD")]
    pub split_by: Option<VersionSource>,

    /// Expected fault injection, e.g. abort=5%,delay=10%:5s (aborts answer 503 unless abort=5%:502)
    #[arg(long, value_parser = spec::parse_faults, value_name = "SPEC")]
    pub expect_fault: Option<ExpectedFaults>,

    /// Take the expected split and faults from the VirtualService route the request matches: in
    /// the cluster, or in a YAML file of manifests (--from-config=FILE, e.g. from `manifests render`)
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true,
        conflicts_with_all = ["expect_split", "expect_fault"]
    )]
    pub from_config: Option<Option<PathBuf>>,

    /// The VirtualService --from-config reads [default: the one whose hosts match the request]
    #[arg(long, value_name = "NAME", requires = "from_config")]
    pub virtual_service: Option<String>,

    /// Service that receives the traffic (NAME or NAME.NAMESPACE; repeatable): after the run, the
    /// mesh's own request counts for it are reported [default with --from-config: the route's]
    #[arg(long, value_name = "SERVICE")]
    pub destination: Vec<String>,

    /// Prometheus to read the mesh metrics from [default: the prometheus Service in
    /// --istio-namespace through the API server, else the destination pods' Envoy stats]
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,

    /// How long to wait for Prometheus to scrape the requests of the run
    #[arg(long, value_parser = limits::parse_wait, default_value = "30s", value_name = "DURATION")]
    pub metrics_wait: Duration,

    /// Namespace of the Istio control plane (where Prometheus is looked for)
    #[arg(long, default_value = "istio-system", value_name = "NS")]
    pub istio_namespace: String,
}

pub async fn run(
    args: TrafficArgs,
    global: &GlobalArgs,
    printer: &Printer,
) -> anyhow::Result<ExitKind> {
    let opts = options(&args)?;
    let namespace = args
        .namespace
        .clone()
        .unwrap_or_else(|| global.namespace().to_string());
    let mut cluster = LazyConnection::new(global.cluster_target());
    let config = match &args.from_config {
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
            let vs = args.virtual_service.as_deref();
            Some(verify::expectations(source, &namespace, vs, &request).await?)
        }
        None => None,
    };
    let routed = config.as_ref().map_or(&[][..], |c| &c.destinations);
    let destinations = Destination::all(&args.destination, routed, &namespace);
    let baseline = match destinations.is_empty() {
        true => None,
        false => Some(
            metrics::baseline(MetricsPlan {
                cluster: &mut cluster,
                prometheus_url: args.prometheus.as_deref(),
                istio_namespace: &args.istio_namespace,
                destinations,
            })
            .await,
        ),
    };
    let bar = printer.load_bar(opts.requests.filter(|_| opts.duration.is_none()));
    let measured = load::run(&opts, interrupted(), &bar).await;
    bar.finish_and_clear();
    let measured = measured?;
    let criteria = Criteria {
        thresholds: Thresholds {
            max_p99: args.max_p99,
            max_error_rate_pct: args.max_error_rate,
            min_rps: args.min_rps,
            expect_status: args.expect_status,
        },
        split: args.expect_split.map(|s| s.0),
        faults: args.expect_fault,
        versions_read: args.split_by.is_some(),
        config,
    };
    let verdicts = verify::judge(&measured, criteria);
    let mesh = match baseline {
        Some(b) => Some(metrics::conclude(b, measured.responses, args.metrics_wait).await),
        None => None,
    };
    let report = TrafficReport::new(measured, verdicts, mesh);
    printer.data(&report, |p| render_traffic(&report, p))?;
    verify::require_responses(&report.measured, &opts.url.to_string())?;
    Ok(match report.verdicts.passed() {
        true => ExitKind::Success,
        false => ExitKind::CheckFailed,
    })
}

/// Completes on Ctrl-C; never, when no handler can be installed.
async fn interrupted() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

fn options(args: &TrafficArgs) -> Result<LoadOptions, Error> {
    let body = match (&args.body, &args.body_file) {
        (Some(text), _) => Bytes::from(text.clone()),
        (None, Some(path)) => Bytes::from(
            std::fs::read(path)
                .map_err(|e| Error::invalid(format!("--body-file {}", path.display()), e))?,
        ),
        (None, None) => Bytes::new(),
    };
    if let Some(host) = &args.host {
        host.parse::<http::uri::Authority>()
            .map_err(|e| Error::invalid(format!("--host {host}"), e))?;
    }
    Ok(LoadOptions {
        url: args.url.clone(),
        requests: Some(args.requests.unwrap_or(100)),
        duration: args.duration,
        connections: args.connections,
        qps: args.qps,
        method: args.method.clone(),
        headers: args.headers.iter().cloned().collect(),
        body,
        http2: args.http2,
        timeout: args.timeout,
        insecure: args.insecure,
        host: args.host.clone(),
        split_by: args.split_by.clone(),
    })
}
