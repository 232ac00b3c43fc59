//! Mesh metrics from Prometheus' HTTP API: at a URL the user gives, or the `prometheus` Service of
//! the Istio namespace reached through the API server's service proxy.

use k8s_openapi::api::core::v1::Service;
use kube::Api;
use serde::Deserialize;

use super::counts::{self, Counts, SeriesFilter};
use super::error::{Error, Result};
use crate::kube::{Connection, is_not_found};

/// The Service name Istio's Prometheus addon uses.
pub const SERVICE: &str = "prometheus";

#[derive(Clone)]
pub enum Endpoint {
    Url { http: reqwest::Client, base: String },
    ServiceProxy { conn: Box<Connection>, path: String },
}

impl Endpoint {
    pub fn url(base: &str) -> Result<Self> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|source| Error::PrometheusUrl {
                url: base.to_string(),
                source,
            })?;
        Ok(Self::Url {
            http,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    /// The Prometheus Service in `namespace`, if there is one; `Ok(None)` when there is not.
    pub async fn in_cluster(conn: &Connection, namespace: &str) -> Result<Option<Self>> {
        let service = match Api::<Service>::namespaced(conn.client.clone(), namespace)
            .get(SERVICE)
            .await
        {
            Ok(service) => service,
            Err(e) if is_not_found(&e) => return Ok(None),
            Err(source) => {
                return Err(Error::Service {
                    namespace: namespace.to_string(),
                    name: SERVICE.to_string(),
                    source,
                });
            }
        };
        let port = service
            .spec
            .and_then(|s| s.ports)
            .and_then(|ports| ports.first().map(|p| p.port))
            .unwrap_or(9090);
        Ok(Some(Self::ServiceProxy {
            conn: Box::new(conn.clone()),
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
    pub async fn read(&self, filter: &SeriesFilter) -> Result<Counts> {
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
                let value = series
                    .value
                    .1
                    .parse::<f64>()
                    .map_err(|_| Error::NotANumber {
                        value: series.value.1.clone(),
                    })?;
                counts::add(&mut counts, metric, key, value);
            }
        }
        Ok(counts)
    }

    async fn query(&self, promql: &str) -> Result<Vec<Series>> {
        let query = format!(
            "/api/v1/query?{}",
            reqwest::Url::parse_with_params("http://prometheus/", [("query", promql)])
                .ok()
                .and_then(|u| u.query().map(str::to_string))
                .unwrap_or_default()
        );
        let body = match self {
            Self::Url { http, base } => {
                let url = format!("{base}{query}");
                let failed = |source| Error::Query {
                    url: base.clone(),
                    source,
                };
                let response = http.get(&url).send().await.map_err(failed)?;
                let status = response.status();
                let text = response.text().await.map_err(failed)?;
                if !status.is_success() {
                    let body = text.trim().to_string();
                    return Err(Error::QueryStatus {
                        url: base.clone(),
                        status,
                        body,
                    });
                }
                text
            }
            Self::ServiceProxy { conn, path } => {
                let failed = |source| Error::ServiceProxy {
                    path: path.clone(),
                    source,
                };
                let request = http::Request::get(format!("{path}{query}"))
                    .body(Vec::new())
                    .map_err(|e| failed(kube::Error::HttpError(e)))?;
                conn.client.request_text(request).await.map_err(failed)?
            }
        };
        let answer: Answer =
            serde_json::from_str(&body).map_err(|source| Error::Answer { source })?;
        if answer.status != "success" {
            return Err(Error::QueryFailed {
                message: answer.error.unwrap_or(answer.status),
            });
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
