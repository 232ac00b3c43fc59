//! Why the mesh's counts could not be read. None of these fails a run: each becomes a warning
//! in the report, with its causes.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot connect to the cluster")]
    Cluster {
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error("cannot use Prometheus at {url}")]
    PrometheusUrl {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("cannot query {url}")]
    Query {
        url: String,
        #[source]
        source: reqwest::Error,
    },

    #[error("{url} answered {status}: {body}")]
    QueryStatus {
        url: String,
        status: reqwest::StatusCode,
        body: String,
    },

    #[error("cannot query Prometheus through the API server at {path}")]
    ServiceProxy {
        path: String,
        #[source]
        source: kube::Error,
    },

    #[error("not a Prometheus query answer")]
    Answer {
        #[source]
        source: serde_json::Error,
    },

    #[error("Prometheus query failed: {message}")]
    QueryFailed { message: String },

    #[error("Prometheus answered a non-number {value:?}")]
    NotANumber { value: String },

    #[error("cannot read Service {namespace}/{name}")]
    Service {
        namespace: String,
        name: String,
        #[source]
        source: kube::Error,
    },

    #[error("Service {namespace}/{name} has no selector: no pods to read stats from")]
    NoSelector { namespace: String, name: String },

    #[error("cannot list pods of {namespace}/{name}")]
    Pods {
        namespace: String,
        name: String,
        #[source]
        source: kube::Error,
    },

    #[error("Service {namespace}/{name} has no running pods")]
    NoRunningPods { namespace: String, name: String },

    #[error("cannot read Envoy stats of pod {namespace}/{name} on :{port}")]
    PodStats {
        namespace: String,
        name: String,
        port: u16,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error("not a Prometheus exposition")]
    Exposition {
        #[source]
        source: std::io::Error,
    },

    #[error("no Envoy stats could be read: {}", reasons.join("; "))]
    NoStats { reasons: Vec<String> },
}

/// The error and its causes on one line, as a warning shows it; the API server's own message
/// stands for a Kubernetes error.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut cause = Some(error);
    while let Some(current) = cause {
        match current.downcast_ref::<kube::Error>() {
            Some(api) => {
                parts.push(crate::kube::api_message(api).trim().to_string());
                break;
            }
            None => parts.push(current.to_string()),
        }
        cause = current.source();
    }
    parts.join(": ")
}
