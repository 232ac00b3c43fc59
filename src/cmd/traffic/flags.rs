//! traffic-test's flag groups: what to send, what to check, where the mesh's own counts come
//! from; and their translation into the load and verify layers' options.

use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use clap::Args;
use http::{HeaderName, HeaderValue, Method, Uri};

use crate::load::{self, Error, LoadOptions, VersionSource, limits};
use crate::verify::spec::{self, SplitWeights};
use crate::verify::{
    self, Criteria, Expectations, ExpectedFaults, RouteKind, RouteRef, Thresholds,
};

/// What to send, how often and over how many connections.
#[derive(Debug, Args)]
pub struct RequestFlags {
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

    /// Threads that send the load, like wrk's -t [default: one per core, one fewer when the
    /// target is a loopback address, whose server (or port-forward) needs a core too]
    #[arg(short = 't', long, value_parser = clap::value_parser!(u16).range(1..=i64::from(limits::MAX_THREADS)), value_name = "N")]
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

    /// Concurrent requests on each HTTP/2 connection, like h2load's -m: -c 10 --streams 10 keeps
    /// 100 requests in flight over 10 connections. Needs --http2 (HTTP/1.1 sends one request at a
    /// time per connection)
    #[arg(
        long,
        default_value_t = 1,
        value_name = "N",
        requires = "http2",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000)
    )]
    pub streams: usize,

    /// Timeout of one request
    #[arg(long, value_parser = limits::parse_duration, default_value = "20s", value_name = "DURATION")]
    pub timeout: Duration,

    /// Do not verify the server's TLS certificate
    #[arg(long)]
    pub insecure: bool,

    /// Host header (and TLS server name) to send, e.g. a VirtualService host through a gateway address
    #[arg(long, value_name = "NAME")]
    pub host: Option<String>,
}

/// What the run must show: thresholds, and the split and faults the mesh config promises.
#[derive(Debug, Args)]
pub struct CheckFlags {
    /// Fail (exit 1) when p99 latency is above this (e.g. 250ms)
    #[arg(long, value_parser = humantime::parse_duration, value_name = "DURATION")]
    pub max_p99: Option<Duration>,

    /// Fail when more than this share of requests fail (errors, 4xx, 5xx), e.g. 1%
    #[arg(long, value_parser = spec::parse_percent, value_name = "PCT")]
    pub max_error_rate: Option<f64>,

    /// Fail when fewer requests per second than this were completed
    #[arg(long, value_parser = spec::parse_rate, value_name = "N")]
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

    /// Take the expected split and faults from the route the request matches (a VirtualService's
    /// HTTP route, or an HTTPRoute rule's weighted backendRefs): in the cluster, or in a YAML file
    /// of manifests (--from-config=FILE, e.g. from `manifests render [--api gateway-api]`)
    #[arg(
        long,
        value_name = "FILE",
        num_args = 0..=1,
        require_equals = true,
        conflicts_with_all = ["expect_split", "expect_fault"]
    )]
    pub from_config: Option<Option<PathBuf>>,

    /// The route --from-config reads: NAME, HTTPRoute/NAME or VirtualService/NAME [default: the
    /// VirtualService or HTTPRoutes whose hosts match the request]
    #[arg(long, value_name = "[KIND/]NAME", value_parser = verify::parse_route, requires = "from_config")]
    pub route: Option<RouteRef>,

    /// The VirtualService --from-config reads (the same as --route VirtualService/NAME)
    #[arg(
        long,
        value_name = "NAME",
        requires = "from_config",
        conflicts_with = "route"
    )]
    pub virtual_service: Option<String>,
}

/// Where the mesh's own request counts come from.
#[derive(Debug, Args)]
pub struct MeshFlags {
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

impl RequestFlags {
    /// The load layer's options for `url`; the body file is read and `--host` checked here.
    pub fn options(
        &self,
        url: &Uri,
        split_by: Option<VersionSource>,
    ) -> Result<LoadOptions, Error> {
        let body = match (&self.body, &self.body_file) {
            (Some(text), _) => Bytes::from(text.clone()),
            (None, Some(path)) => Bytes::from(
                read_body(path)
                    .map_err(|e| Error::invalid(format!("--body-file {}", path.display()), e))?,
            ),
            (None, None) => Bytes::new(),
        };
        if let Some(host) = &self.host {
            host.parse::<http::uri::Authority>()
                .map_err(|e| Error::invalid(format!("--host {host}"), e))?;
        }
        Ok(LoadOptions {
            url: url.clone(),
            requests: Some(self.requests.unwrap_or(100)),
            duration: self.duration,
            connections: self.connections,
            qps: self.qps,
            method: self.method.clone(),
            headers: self.headers.iter().cloned().collect(),
            body,
            http2: self.http2,
            streams: self.streams,
            threads: self.threads.map(usize::from),
            timeout: self.timeout,
            insecure: self.insecure,
            host: self.host.clone(),
            split_by,
        })
    }
}

impl CheckFlags {
    /// The route --route or --virtual-service names.
    pub fn route(&self) -> Option<RouteRef> {
        self.route.clone().or_else(|| {
            self.virtual_service.clone().map(|name| RouteRef {
                kind: Some(RouteKind::VirtualService),
                name,
            })
        })
    }

    /// What the run is judged against; `config` holds the mesh config's expectations, if read.
    pub fn criteria(&self, versions_read: bool, config: Option<Expectations>) -> Criteria {
        Criteria {
            thresholds: Thresholds {
                max_p99: self.max_p99,
                max_error_rate_pct: self.max_error_rate,
                min_rps: self.min_rps,
                expect_status: self.expect_status,
            },
            split: self.expect_split.clone().map(|s| s.0),
            faults: self.expect_fault.clone(),
            versions_read,
            config,
        }
    }
}

/// The largest request body read from a file: it is held in memory and sent on every request.
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// A regular file's bytes, up to [`MAX_BODY_BYTES`]: a FIFO would block, `/dev/zero` never ends.
fn read_body(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use crate::files::{Refused, read_regular};
    read_regular(path, MAX_BODY_BYTES).map_err(|refused| match refused {
        Refused::NotRegular => {
            std::io::Error::other("not a regular file (a FIFO or device is not read)")
        }
        Refused::TooLarge { limit, .. } => {
            std::io::Error::other(format!("larger than {} MiB", limit / (1024 * 1024)))
        }
        Refused::Io(e) => e,
    })
}
