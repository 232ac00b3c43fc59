//! What can go wrong reading a snapshot: a file or directory, a YAML document, or a list call
//! against the cluster, each named.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {input}")]
    Read {
        input: Source,
        #[source]
        source: std::io::Error,
    },

    /// A FIFO would block and a device may never end: only regular files are read.
    #[error("{} is not a regular file (a FIFO, device or socket is not read)", path.display())]
    NotRegular { path: PathBuf },

    #[error("{input} is larger than {} MiB", limit / (1024 * 1024))]
    TooLarge { input: Source, limit: u64 },

    /// Standard input can be read once.
    #[error("`-` (standard input) is given more than once")]
    StdinTwice,

    /// Nothing to analyze: an empty file or List, a directory without manifests, a typo.
    #[error("no Kubernetes object found in {input}")]
    NothingRead { input: Source },

    #[error("{input} is not valid YAML")]
    Yaml {
        input: Source,
        #[source]
        source: Box<serde_saphyr::Error>,
    },

    /// Aliases expanding far beyond the text (a "billion laughs"): refused before memory is.
    #[error("{input}: YAML aliases expand to far more than the text holds")]
    Expanded { input: Source },

    #[error("{input} is not valid JSON")]
    Json {
        input: Source,
        #[source]
        source: serde_json::Error,
    },

    #[error("{input}: {at} has no apiVersion or kind")]
    Untyped { input: Source, at: Place },

    #[error("{input}: {at} is not a Kubernetes object (a mapping with apiVersion and kind)")]
    NotAnObject { input: Source, at: Place },

    #[error("{input}: {at} is not a Kubernetes object")]
    Object {
        input: Source,
        at: Place,
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

/// Where an input comes from: a file, or standard input (`--file -`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => write!(f, "{}", path.display()),
            Self::Stdin => f.write_str("standard input"),
        }
    }
}

/// A document of an input (counted from 1, empty ones left out), and an item of it when it is
/// a List.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub document: usize,
    pub item: Option<usize>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "document {}", self.document)?;
        match self.item {
            Some(item) => write!(f, " item {item}"),
            None => Ok(()),
        }
    }
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
