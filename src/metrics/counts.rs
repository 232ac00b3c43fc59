//! Istio's standard request metrics as counters per (response code, destination version), and the
//! deltas between two readings: what the mesh saw while meshctl sent traffic.

use std::collections::BTreeMap;

use prometheus_parse::{Sample, Value};

use super::error::{Error, Result};

pub const REQUESTS: &str = "istio_requests_total";
pub const DURATION_SUM: &str = "istio_request_duration_milliseconds_sum";
pub const DURATION_COUNT: &str = "istio_request_duration_milliseconds_count";

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub requests: f64,
    pub duration_ms_sum: f64,
    pub duration_count: f64,
}

/// `(response_code, destination_version)` → counters.
pub type Counts = BTreeMap<(String, String), Tally>;

/// Counters per reporting source (a pod, or Prometheus as a whole): counter resets are per source.
pub type Reading = BTreeMap<String, Counts>;

/// Which inbound series belong to the destination service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesFilter {
    pub service_fqdn: String,
}

impl SeriesFilter {
    fn accepts(&self, sample: &Sample) -> bool {
        sample.labels.get("reporter") == Some("destination")
            && sample.labels.get("destination_service") == Some(self.service_fqdn.as_str())
    }
}

/// Counters from an Envoy `/stats/prometheus` page.
pub fn from_exposition(text: &str, filter: &SeriesFilter) -> Result<Counts> {
    let lines = text.lines().map(|l| Ok(l.to_string()));
    let scrape =
        prometheus_parse::Scrape::parse(lines).map_err(|source| Error::Exposition { source })?;
    let mut counts = Counts::new();
    for sample in scrape.samples.iter().filter(|s| filter.accepts(s)) {
        let value = match sample.value {
            Value::Counter(v) | Value::Untyped(v) | Value::Gauge(v) => v,
            _ => continue,
        };
        let key = (
            sample.labels.get("response_code").unwrap_or("").to_string(),
            version_label(sample.labels.get("destination_version")),
        );
        add(&mut counts, &sample.metric, key, value);
    }
    Ok(counts)
}

pub fn version_label(version: Option<&str>) -> String {
    match version {
        Some(v) if !v.is_empty() && v != "unknown" => v.to_string(),
        _ => "unknown".to_string(),
    }
}

/// Adds one series value to the tally its metric name belongs to.
pub fn add(counts: &mut Counts, metric: &str, key: (String, String), value: f64) {
    let tally = counts.entry(key).or_default();
    match metric {
        REQUESTS => tally.requests += value,
        DURATION_SUM => tally.duration_ms_sum += value,
        DURATION_COUNT => tally.duration_count += value,
        _ => {}
    }
}

/// What happened between two readings. A counter that went down was reset (the pod or its proxy
/// restarted): its new value is the best lower bound, and the caller is told.
pub fn delta(before: &Reading, after: &Reading) -> (Counts, Vec<String>) {
    let mut total = Counts::new();
    let mut resets = Vec::new();
    let empty = Counts::new();
    for (source, now) in after {
        let then = before.get(source).unwrap_or(&empty);
        for (key, value) in now {
            let old = then.get(key).copied().unwrap_or_default();
            let diff = if value.requests < old.requests {
                if !resets.contains(source) {
                    resets.push(source.clone());
                }
                *value
            } else {
                Tally {
                    requests: value.requests - old.requests,
                    duration_ms_sum: (value.duration_ms_sum - old.duration_ms_sum).max(0.0),
                    duration_count: (value.duration_count - old.duration_count).max(0.0),
                }
            };
            let sum = total.entry(key.clone()).or_default();
            sum.requests += diff.requests;
            sum.duration_ms_sum += diff.duration_ms_sum;
            sum.duration_count += diff.duration_count;
        }
    }
    total.retain(|_, t| t.requests > 0.0);
    (total, resets)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"# TYPE istio_requests_total counter
istio_requests_total{reporter="destination",response_code="200",destination_service="reviews.shop.svc.cluster.local",destination_version="v1"} 40
istio_requests_total{reporter="destination",response_code="503",destination_service="reviews.shop.svc.cluster.local",destination_version="v1"} 2
istio_requests_total{reporter="source",response_code="200",destination_service="reviews.shop.svc.cluster.local",destination_version="v1"} 1000
istio_requests_total{reporter="destination",response_code="200",destination_service="ratings.shop.svc.cluster.local",destination_version="v1"} 7
# TYPE istio_request_duration_milliseconds histogram
istio_request_duration_milliseconds_bucket{reporter="destination",response_code="200",destination_service="reviews.shop.svc.cluster.local",destination_version="v1",le="10"} 40
istio_request_duration_milliseconds_bucket{reporter="destination",response_code="200",destination_service="reviews.shop.svc.cluster.local",destination_version="v1",le="+Inf"} 40
istio_request_duration_milliseconds_sum{reporter="destination",response_code="200",destination_service="reviews.shop.svc.cluster.local",destination_version="v1"} 120
istio_request_duration_milliseconds_count{reporter="destination",response_code="200",destination_service="reviews.shop.svc.cluster.local",destination_version="v1"} 40
"#;

    fn reviews() -> SeriesFilter {
        SeriesFilter {
            service_fqdn: "reviews.shop.svc.cluster.local".into(),
        }
    }

    fn key(code: &str, version: &str) -> (String, String) {
        (code.to_string(), version.to_string())
    }

    #[test]
    fn only_inbound_series_of_the_destination_count() {
        let counts = from_exposition(PAGE, &reviews()).expect("parses");
        assert_eq!(counts.len(), 2);
        let ok = counts[&key("200", "v1")];
        assert_eq!(ok.requests, 40.0);
        assert_eq!(ok.duration_ms_sum, 120.0);
        assert_eq!(ok.duration_count, 40.0);
        assert_eq!(counts[&key("503", "v1")].requests, 2.0);
    }

    #[test]
    fn deltas_subtract_per_source_and_report_resets() {
        let tally = |requests| Tally {
            requests,
            ..Tally::default()
        };
        let before = Reading::from([
            (
                "pod-a".into(),
                Counts::from([(key("200", "v1"), tally(10.0))]),
            ),
            (
                "pod-b".into(),
                Counts::from([(key("200", "v2"), tally(50.0))]),
            ),
        ]);
        let after = Reading::from([
            (
                "pod-a".into(),
                Counts::from([(key("200", "v1"), tally(25.0))]),
            ),
            (
                "pod-b".into(),
                Counts::from([(key("200", "v2"), tally(4.0))]),
            ),
            (
                "pod-c".into(),
                Counts::from([(key("503", "v2"), tally(3.0))]),
            ),
        ]);
        let (delta, resets) = delta(&before, &after);
        assert_eq!(delta[&key("200", "v1")].requests, 15.0);
        assert_eq!(delta[&key("200", "v2")].requests, 4.0);
        assert_eq!(delta[&key("503", "v2")].requests, 3.0);
        assert_eq!(resets, vec!["pod-b".to_string()]);
    }
}
