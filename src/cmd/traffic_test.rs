//! `meshctl traffic-test`: flags to load options, the run, and its verdicts against the flags,
//! the mesh config and the mesh's own metrics.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use clap::Args;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};

use crate::cmd::args::GlobalArgs;
use crate::error::{ExitKind, MeshError};
use crate::kube::LazyConnection;
use crate::kube::classify;
use crate::load::expected::{self, Expectations, RequestShape};
use crate::load::spec::{self, SplitWeights};
use crate::load::verdict::{self, ExpectedFaults, Thresholds};
use crate::load::{self, LoadOptions, LoadReport, Progress, VersionSource};
use crate::metrics::{self, Baseline, Destination, MetricsPlan};
use crate::output::{Printer, render_load};
use crate::snapshot;

/// Send load to a URL and check latency, errors, and that traffic follows the mesh config
#[derive(Debug, Args)]
pub struct TrafficTestArgs {
    /// The URL to send requests to
    pub url: String,

    /// The application namespace (here only as --namespace: -n is the request count, as in hey)
    #[arg(long = "namespace", id = "namespace", value_name = "NS")]
    pub namespace: Option<String>,

    /// Number of requests [default: 100 unless -d is given]
    #[arg(short = 'n', long = "requests", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub requests: Option<u64>,

    /// Run for this long instead of a request count (e.g. 30s)
    #[arg(
        short = 'd',
        long,
        value_parser = humantime::parse_duration,
        value_name = "DURATION",
        conflicts_with = "requests"
    )]
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
    #[arg(long, value_name = "RATE")]
    pub qps: Option<f64>,

    /// HTTP method
    #[arg(short = 'm', long, default_value = "GET")]
    pub method: String,

    /// Request header 'Name: value' (repeatable)
    #[arg(short = 'H', long = "header", value_name = "'K: V'")]
    pub headers: Vec<String>,

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
    #[arg(long, value_parser = humantime::parse_duration, default_value = "20s", value_name = "DURATION")]
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
    #[arg(long, value_parser = humantime::parse_duration, default_value = "30s", value_name = "DURATION")]
    pub metrics_wait: Duration,

    /// Namespace of the Istio control plane (where Prometheus is looked for)
    #[arg(long, default_value = "istio-system", value_name = "NS")]
    pub istio_namespace: String,
}

pub async fn run(
    args: TrafficTestArgs,
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
            Some(expectations(&args, &opts, &namespace, file.as_deref(), &mut cluster).await?)
        }
        None => None,
    };
    let destinations = destinations(&args, config.as_ref(), &namespace);
    let baseline = if destinations.is_empty() {
        None
    } else {
        Some(metrics_baseline(&args, &mut cluster, destinations).await)
    };
    let progress = Arc::new(Progress {
        completed: AtomicU64::new(0),
        stop: AtomicBool::new(false),
    });
    let interrupt = tokio::spawn({
        let progress = progress.clone();
        async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                progress.stop.store(true, Ordering::Relaxed);
            }
        }
    });
    let bar = printer.load_bar(opts.requests.filter(|_| opts.duration.is_none()));
    let ticker = tokio::spawn({
        let (progress, bar) = (progress.clone(), bar.clone());
        async move {
            loop {
                bar.set_position(progress.completed.load(Ordering::Relaxed));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    });
    let result = load::run(&opts, progress).await;
    ticker.abort();
    interrupt.abort();
    bar.finish_and_clear();
    let mut report = result?;
    judge(&mut report, &args, config);
    if let Some(baseline) = baseline {
        let sent = report.requests;
        report.mesh = Some(metrics::conclude(baseline, sent, args.metrics_wait).await);
    }
    printer.data(&report, |p| render_load(&report, p))?;
    let failed = report.thresholds.iter().any(|t| !t.ok);
    Ok(if failed {
        ExitKind::CheckFailed
    } else {
        ExitKind::Success
    })
}

fn judge(report: &mut LoadReport, args: &TrafficTestArgs, config: Option<Expectations>) {
    let split = args
        .expect_split
        .as_ref()
        .map(|s| s.0.clone())
        .or_else(|| config.as_ref().and_then(|c| c.split.clone()));
    let faults = args
        .expect_fault
        .clone()
        .or_else(|| config.as_ref().and_then(|c| c.faults.clone()));
    match split {
        Some(expected) if args.split_by.is_some() => {
            report.split = Some(verdict::check_split(&report.versions, &expected));
        }
        Some(expected) => report.warnings.push(format!(
            "the route splits traffic {}: give --split-by header:NAME or body:FIELD to check the split",
            expected
                .iter()
                .map(|(v, w)| format!("{v}={w}"))
                .collect::<Vec<_>>()
                .join(",")
        )),
        None => {}
    }
    if let Some(expected) = &faults {
        report.fault = Some(verdict::check_faults(report, expected));
    }
    report.config = config;
    let limits = Thresholds {
        max_p99: args.max_p99,
        max_error_rate_pct: args.max_error_rate,
        min_rps: args.min_rps,
        expect_status: args.expect_status,
    };
    report.thresholds = verdict::evaluate(report, &limits);
}

/// Mesh counters before the run. A cluster is only needed without `--prometheus`; when it cannot
/// be reached the run goes on and the report says why there are no metrics.
async fn metrics_baseline(
    args: &TrafficTestArgs,
    cluster: &mut LazyConnection,
    destinations: Vec<Destination>,
) -> Baseline {
    let conn = match args.prometheus {
        Some(_) => None,
        None => Some(cluster.get().await),
    };
    let plan = MetricsPlan {
        conn: conn.as_ref().and_then(|c| c.as_ref().ok()),
        prometheus_url: args.prometheus.as_deref(),
        istio_namespace: &args.istio_namespace,
        destinations,
    };
    let mut baseline = metrics::baseline(plan).await;
    if let Some(Err(e)) = conn {
        baseline.warn(format!("cannot connect to the cluster: {e}"));
    }
    baseline
}

/// The VirtualService route the request matches, from the cluster or a manifests file.
async fn expectations(
    args: &TrafficTestArgs,
    opts: &LoadOptions,
    namespace: &str,
    file: Option<&std::path::Path>,
    cluster: &mut LazyConnection,
) -> anyhow::Result<Expectations> {
    let snapshot = match file {
        Some(path) => snapshot::from_paths(&[path.to_path_buf()], namespace)?,
        None => {
            let conn = cluster.get().await?;
            snapshot::routing_from_cluster(&conn.client, namespace)
                .await
                .map_err(|e| {
                    classify(
                        &conn.server,
                        &format!("read the mesh config in {namespace}"),
                        e,
                    )
                })?
        }
    };
    let host = opts
        .host
        .clone()
        .or_else(|| opts.url.host().map(str::to_string))
        .unwrap_or_default();
    let request = RequestShape {
        host: host.split(':').next().unwrap_or(&host),
        path: opts.url.path(),
        method: &opts.method,
        headers: &opts.headers,
    };
    Ok(expected::from_snapshot(
        &snapshot,
        namespace,
        args.virtual_service.as_deref(),
        &request,
    )
    .map_err(|reason| MeshError::InvalidInput {
        what: "--from-config".into(),
        reason,
    })?)
}

fn destinations(
    args: &TrafficTestArgs,
    config: Option<&Expectations>,
    namespace: &str,
) -> Vec<Destination> {
    if !args.destination.is_empty() {
        return args
            .destination
            .iter()
            .map(|d| Destination::parse(d, namespace))
            .collect();
    }
    config.map_or_else(Vec::new, |c| {
        c.destinations
            .iter()
            .map(|host| Destination::parse(host, namespace))
            .collect()
    })
}

fn options(args: &TrafficTestArgs) -> Result<LoadOptions, MeshError> {
    let invalid = |what: &str, reason: String| MeshError::InvalidInput {
        what: what.to_string(),
        reason,
    };
    let url: Uri = args
        .url
        .parse()
        .map_err(|e| invalid(&format!("URL {}", args.url), format!("{e}")))?;
    let method = Method::from_bytes(args.method.as_bytes())
        .map_err(|e| invalid("--method", e.to_string()))?;
    let mut headers = HeaderMap::new();
    for header in &args.headers {
        let (name, value) = header.split_once(':').ok_or_else(|| {
            invalid(
                &format!("--header {header}"),
                "write it as 'Name: value'".into(),
            )
        })?;
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|e| invalid(&format!("--header {header}"), e.to_string()))?;
        let value = HeaderValue::from_str(value.trim())
            .map_err(|e| invalid(&format!("--header {header}"), e.to_string()))?;
        headers.append(name, value);
    }
    let body = match (&args.body, &args.body_file) {
        (Some(text), _) => Bytes::from(text.clone()),
        (None, Some(path)) => Bytes::from(
            std::fs::read(path)
                .map_err(|e| invalid(&format!("--body-file {}", path.display()), e.to_string()))?,
        ),
        (None, None) => Bytes::new(),
    };
    if let Some(host) = &args.host {
        host.parse::<http::uri::Authority>()
            .map_err(|e| invalid(&format!("--host {host}"), e.to_string()))?;
    }
    if args.qps.is_some_and(|q| q <= 0.0 || !q.is_finite()) {
        return Err(invalid("--qps", "must be a positive rate".into()));
    }
    Ok(LoadOptions {
        url,
        requests: Some(args.requests.unwrap_or(100)),
        duration: args.duration,
        connections: args.connections,
        qps: args.qps,
        method,
        headers,
        body,
        http2: args.http2,
        timeout: args.timeout,
        insecure: args.insecure,
        host: args.host.clone(),
        split_by: args.split_by.clone(),
    })
}
