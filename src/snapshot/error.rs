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

    /// A FIFO would block and a device may never end: only regular files are read.
    #[error("{} is not a regular file (a FIFO, device or socket is not read)", path.display())]
    NotRegular { path: PathBuf },

    #[error("{} is larger than {} MiB", path.display(), limit / (1024 * 1024))]
    TooLarge { path: PathBuf, limit: u64 },

    /// Nothing to analyze: an empty directory, one without YAML, a typo.
    #[error("no Kubernetes object found in {}", list(paths))]
    NothingRead { paths: Vec<PathBuf> },

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

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
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
