//! What the mesh itself counted while meshctl sent traffic: `istio_requests_total` and request
//! duration deltas for the destination, from Prometheus or from the destination pods' Envoy stats.
//! Missing metrics never fail a run; they are warnings that say why.

pub mod counts;
mod envoy;
mod error;
mod prometheus;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use counts::{Counts, Reading, SeriesFilter};
use envoy::StatsPod;
use error::describe;
pub use error::{Error, Result};
pub use prometheus::Endpoint as PrometheusEndpoint;

use crate::kube::{Connection, LazyConnection};

/// A Kubernetes Service that receives the traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub name: String,
    pub namespace: String,
}

impl Destination {
    /// `reviews`, `reviews.shop` or `reviews.shop.svc.cluster.local`.
    pub fn parse(host: &str, default_namespace: &str) -> Self {
        let mut parts = host.split('.');
        let name = parts.next().unwrap_or(host).to_string();
        let namespace = parts
            .next()
            .filter(|ns| !ns.is_empty())
            .unwrap_or(default_namespace)
            .to_string();
        Self { name, namespace }
    }

    pub fn fqdn(&self) -> String {
        format!("{}.{}.svc.cluster.local", self.name, self.namespace)
    }

    /// The services given by name, else the route's destinations (fully qualified hosts).
    pub fn all(given: &[String], routed: &[String], default_namespace: &str) -> Vec<Self> {
        let hosts = if given.is_empty() { routed } else { given };
        hosts
            .iter()
            .map(|host| Self::parse(host, default_namespace))
            .collect()
    }

    fn filter(&self) -> SeriesFilter {
        SeriesFilter {
            service_fqdn: self.fqdn(),
        }
    }
}

/// Where the counters come from.
pub enum Source {
    Prometheus(PrometheusEndpoint),
    Envoy {
        // Boxed: a connection is several times the size of the other variant.
        conn: Box<Connection>,
        pods: Vec<StatsPod>,
    },
}

impl Source {
    fn describe(&self) -> String {
        match self {
            Self::Prometheus(endpoint) => endpoint.describe(),
            Self::Envoy { pods, .. } => format!(
                "Envoy stats (:{}) of {} pod(s) through the API server",
                envoy::STATS_PORT,
                pods.len()
            ),
        }
    }
}

/// The requests the mesh saw, next to what meshctl sent (in the load report).
#[derive(Debug, Clone, Serialize)]
pub struct MeshMetrics {
    pub available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub destinations: Vec<String>,
    /// Requests the destination's sidecars reported during the run.
    pub requests: u64,
    pub by_code: BTreeMap<String, u64>,
    pub by_version: BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_duration_ms: Option<f64>,
    pub warnings: Vec<String>,
}

/// How the metrics are looked for: at `prometheus_url`, else through the cluster.
pub struct MetricsPlan<'a> {
    pub cluster: &'a mut LazyConnection,
    pub prometheus_url: Option<&'a str>,
    pub istio_namespace: &'a str,
    pub destinations: Vec<Destination>,
}

/// A chosen source and its counters before the run.
pub struct Baseline {
    source: Option<Source>,
    destinations: Vec<Destination>,
    before: Reading,
    warnings: Vec<String>,
}

/// Picks the source (the given Prometheus, else the cluster's, else the pods' Envoy stats) and
/// reads the counters before any traffic is sent. A cluster is only connected to without a
/// Prometheus URL; when it cannot be reached the report says why there are no metrics.
pub async fn baseline(plan: MetricsPlan<'_>) -> Baseline {
    let mut warnings = Vec::new();
    let conn = match plan.prometheus_url {
        Some(_) => None,
        None => match plan.cluster.get().await {
            Ok(conn) => Some(conn),
            Err(e) => {
                let source = Box::new(e);
                warnings.push(describe(&Error::Cluster { source }));
                None
            }
        },
    };
    let source = choose_source(&plan, conn.as_ref(), &mut warnings).await;
    let mut baseline = Baseline {
        source,
        destinations: plan.destinations,
        before: Reading::new(),
        warnings,
    };
    if let Some(source) = &baseline.source {
        match read(source, &baseline.destinations).await {
            Ok((reading, mut problems)) => {
                baseline.before = reading;
                baseline.warnings.append(&mut problems);
            }
            Err(e) => {
                baseline.warnings.push(describe(&e));
                baseline.source = None;
            }
        }
    }
    baseline
}

async fn choose_source(
    plan: &MetricsPlan<'_>,
    conn: Option<&Connection>,
    warnings: &mut Vec<String>,
) -> Option<Source> {
    if let Some(url) = plan.prometheus_url {
        return match PrometheusEndpoint::url(url) {
            Ok(endpoint) => Some(Source::Prometheus(endpoint)),
            Err(e) => {
                warnings.push(describe(&e));
                None
            }
        };
    }
    let conn = conn?;
    match PrometheusEndpoint::in_cluster(conn, plan.istio_namespace).await {
        Ok(Some(endpoint)) => return Some(Source::Prometheus(endpoint)),
        Ok(None) => {}
        Err(e) => warnings.push(format!("{}; reading Envoy stats instead", describe(&e))),
    }
    let (pods, mut problems) = envoy::discover(conn, &plan.destinations).await;
    warnings.append(&mut problems);
    if pods.is_empty() {
        warnings.push(format!(
            "no Prometheus Service {}/{} and no destination pod with a sidecar: no mesh metrics",
            plan.istio_namespace,
            prometheus::SERVICE
        ));
        return None;
    }
    Some(Source::Envoy {
        conn: Box::new(conn.clone()),
        pods,
    })
}

async fn read(source: &Source, destinations: &[Destination]) -> Result<(Reading, Vec<String>)> {
    match source {
        Source::Envoy { conn, pods } => {
            let (reading, warnings) = envoy::read(conn, pods).await;
            if reading.is_empty() {
                return Err(Error::NoStats { reasons: warnings });
            }
            Ok((reading, warnings))
        }
        Source::Prometheus(endpoint) => {
            let mut reading = Reading::new();
            for destination in destinations {
                let counts = endpoint.read(&destination.filter()).await?;
                reading.insert(destination.fqdn(), counts);
            }
            Ok((reading, Vec::new()))
        }
    }
}

/// Reads the counters again and reports the difference. Prometheus only sees requests after its
/// next scrape, so it is asked again until it has seen `sent` requests or `wait` is over; Envoy's
/// own counters are current at once.
pub async fn conclude(baseline: Baseline, sent: u64, wait: Duration) -> MeshMetrics {
    let Baseline {
        source,
        destinations,
        before,
        mut warnings,
    } = baseline;
    let names = destinations.iter().map(Destination::fqdn).collect();
    let Some(source) = source else {
        return unavailable(names, warnings);
    };
    let deadline = tokio::time::Instant::now() + wait;
    let (delta, mut problems) = loop {
        let (after, problems) = match read(&source, &destinations).await {
            Ok(reading) => reading,
            Err(e) => {
                warnings.push(describe(&e));
                return unavailable(names, warnings);
            }
        };
        let (delta, resets) = counts::delta(&before, &after);
        let seen = delta.values().map(|t| t.requests).sum::<f64>() as u64;
        let patient = matches!(source, Source::Prometheus(_));
        if !patient || seen >= sent || tokio::time::Instant::now() >= deadline {
            let mut problems = problems;
            problems.extend(resets.into_iter().map(|s| {
                format!("counters of {s} were reset during the run (a restart?): counts are a lower bound")
            }));
            break (delta, problems);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    warnings.append(&mut problems);
    let metrics = summarise(&delta, source.describe(), names, warnings);
    with_coverage_warning(metrics, sent)
}

fn unavailable(destinations: Vec<String>, warnings: Vec<String>) -> MeshMetrics {
    MeshMetrics {
        available: false,
        source: None,
        destinations,
        requests: 0,
        by_code: BTreeMap::new(),
        by_version: BTreeMap::new(),
        mean_duration_ms: None,
        warnings,
    }
}

fn summarise(
    delta: &Counts,
    source: String,
    destinations: Vec<String>,
    warnings: Vec<String>,
) -> MeshMetrics {
    let mut by_code = BTreeMap::new();
    let mut by_version = BTreeMap::new();
    let (mut sum, mut count) = (0.0, 0.0);
    for ((code, version), tally) in delta {
        let requests = tally.requests.round() as u64;
        *by_code.entry(code.clone()).or_insert(0) += requests;
        *by_version.entry(version.clone()).or_insert(0) += requests;
        sum += tally.duration_ms_sum;
        count += tally.duration_count;
    }
    MeshMetrics {
        available: true,
        source: Some(source),
        destinations,
        requests: by_code.values().sum(),
        by_code,
        by_version,
        mean_duration_ms: (count > 0.0).then(|| sum / count),
        warnings,
    }
}

fn with_coverage_warning(mut metrics: MeshMetrics, sent: u64) -> MeshMetrics {
    if metrics.requests < sent {
        metrics.warnings.push(format!(
            "the mesh reported {} of the {sent} requests answered: the rest bypassed the sidecars, went to another destination, or were not scraped yet",
            metrics.requests
        ));
    }
    metrics
}
