//! Mesh metrics from Prometheus' HTTP API: at a URL the user gives, or the `prometheus` Service of
//! the Istio namespace reached through the API server's service proxy.

use k8s_openapi::api::core::v1::Service;
use kube::Api;
use serde::Deserialize;

use super::counts::{self, Counts, SeriesFilter};
use crate::kube::Connection;
use crate::kube::{api_message, is_not_found};

/// The Service name Istio's Prometheus addon uses.
pub const SERVICE: &str = "prometheus";

#[derive(Clone)]
pub enum Endpoint {
    Url { http: reqwest::Client, base: String },
    ServiceProxy { conn: Connection, path: String },
}

impl Endpoint {
    pub fn url(base: &str) -> Result<Self, String> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self::Url {
            http,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    /// The Prometheus Service in `namespace`, if there is one; `Ok(None)` when there is not.
    pub async fn in_cluster(conn: &Connection, namespace: &str) -> Result<Option<Self>, String> {
        let service = match Api::<Service>::namespaced(conn.client.clone(), namespace)
            .get(SERVICE)
            .await
        {
            Ok(service) => service,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(e) => {
                return Err(format!(
                    "cannot read Service {namespace}/{SERVICE}: {}",
                    api_message(&e)
                ));
            }
        };
        let port = service
            .spec
            .and_then(|s| s.ports)
            .and_then(|ports| ports.first().map(|p| p.port))
            .unwrap_or(9090);
        Ok(Some(Self::ServiceProxy {
            conn: conn.clone(),
            path: format!("/api/v1/namespaces/{namespace}/services/{SERVICE}:{port}/proxy"),
        }))
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Url { base, .. } => format!("Prometheus at {base}"),
            Self::ServiceProxy { path, .. } => {
                format!("Prometheus through the API server ({path})")
            }
        }
    }

    /// Counters of the destination, summed over its pods, by response code and version.
    pub async fn read(&self, filter: &SeriesFilter) -> Result<Counts, String> {
        let mut counts = Counts::new();
        for metric in [
            counts::REQUESTS,
            counts::DURATION_SUM,
            counts::DURATION_COUNT,
        ] {
            let promql = format!(
                "sum by (response_code, destination_version) ({metric}{{reporter=\"destination\",destination_service=\"{}\"}})",
                filter.service_fqdn
            );
            for series in self.query(&promql).await? {
                let key = (
                    series.metric.response_code.unwrap_or_default(),
                    counts::version_label(series.metric.destination_version.as_deref()),
                );
                let value = series.value.1.parse::<f64>().map_err(|_| {
                    format!("Prometheus answered a non-number {:?}", series.value.1)
                })?;
                counts::add(&mut counts, metric, key, value);
            }
        }
        Ok(counts)
    }

    async fn query(&self, promql: &str) -> Result<Vec<Series>, String> {
        let body = match self {
            Self::Url { http, base } => {
                let mut url = reqwest::Url::parse(&format!("{base}/api/v1/query"))
                    .map_err(|e| format!("--prometheus {base}: {e}"))?;
                url.query_pairs_mut().append_pair("query", promql);
                let response = http
                    .get(url)
                    .send()
                    .await
                    .map_err(|e| format!("{base}: {e}"))?;
                let status = response.status();
                let text = response.text().await.map_err(|e| e.to_string())?;
                if !status.is_success() {
                    return Err(format!("{base} answered {status}: {}", text.trim()));
                }
                text
            }
            Self::ServiceProxy { conn, path } => {
                let mut url =
                    reqwest::Url::parse("http://proxy/api/v1/query").map_err(|e| e.to_string())?;
                url.query_pairs_mut().append_pair("query", promql);
                let full = format!("{path}{}?{}", url.path(), url.query().unwrap_or(""));
                let request = http::Request::get(&full)
                    .body(Vec::new())
                    .map_err(|e| e.to_string())?;
                conn.client
                    .request_text(request)
                    .await
                    .map_err(|e| api_message(&e).trim().to_string())?
            }
        };
        let answer: Answer = serde_json::from_str(&body)
            .map_err(|e| format!("not a Prometheus query answer ({e})"))?;
        if answer.status != "success" {
            return Err(format!(
                "Prometheus query failed: {}",
                answer.error.unwrap_or(answer.status)
            ));
        }
        Ok(answer.data.map(|d| d.result).unwrap_or_default())
    }
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    error: Option<String>,
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    result: Vec<Series>,
}

#[derive(Deserialize)]
struct Series {
    metric: SeriesLabels,
    /// `[unix time, "value"]`
    value: (serde_json::Value, String),
}

#[derive(Deserialize)]
struct SeriesLabels {
    response_code: Option<String>,
    destination_version: Option<String>,
}
