//! What can go wrong reading a snapshot: a file or directory, a YAML document, or a list call
//! against the cluster, each named.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{} is not valid YAML", path.display())]
    Yaml {
        path: PathBuf,
        #[source]
        source: Box<serde_saphyr::Error>,
    },

    #[error("{}: document {index} has no apiVersion or kind", path.display())]
    Untyped { path: PathBuf, index: usize },

    #[error("{}: document {index} is not a Kubernetes object", path.display())]
    Object {
        path: PathBuf,
        index: usize,
        #[source]
        source: serde_json::Error,
    },

    #[error("cannot list {plural} {}", where_(namespace.as_deref()))]
    List {
        plural: &'static str,
        namespace: Option<String>,
        #[source]
        source: kube::Error,
    },

    #[error("cannot list the pods {selector} in namespace {namespace}")]
    PodList {
        namespace: String,
        selector: String,
        #[source]
        source: kube::Error,
    },

    #[error("cannot read Secret {namespace}/{name}")]
    Secret {
        namespace: String,
        name: String,
        #[source]
        source: kube::Error,
    },
}

fn where_(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("in namespace {ns}"),
        None => "in all namespaces".into(),
    }
}

impl Error {
    /// The API error under a cluster read, for callers that sort by status (CRDs not served).
    pub fn api_source(&self) -> Option<&kube::Error> {
        match self {
            Self::List { source, .. }
            | Self::PodList { source, .. }
            | Self::Secret { source, .. } => Some(source),
            _ => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
