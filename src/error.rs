//! Typed errors of the shared layer and the one place that sorts them into exit codes.

use std::path::PathBuf;

/// The documented exit codes. `main` is the only caller that turns these into a process status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// Everything passed.
    Success = 0,
    /// A check or threshold failed.
    CheckFailed = 1,
    /// Bad input: usage, config file, manifest.
    BadInput = 2,
    /// Environment: cluster unreachable, unauthorized or forbidden, download failed.
    Environment = 3,
}

impl ExitKind {
    pub fn code(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MeshError {
    #[error("cannot read kubeconfig {path}: {reason}")]
    Kubeconfig { path: PathBuf, reason: String },

    #[error("no kubeconfig found and not running inside a cluster")]
    NoKubeconfig,

    #[error("context \"{name}\" does not exist in the kubeconfig")]
    UnknownContext {
        name: String,
        available: Vec<String>,
    },

    #[error("cannot reach the Kubernetes API server at {server}: {reason}")]
    Unreachable { server: String, reason: String },

    #[error(
        "the API server at {server} rejected the credentials (401 Unauthorized) while trying to {action}"
    )]
    Unauthorized { server: String, action: String },

    #[error("forbidden: {message}")]
    Forbidden { action: String, message: String },

    #[error("{object} was rejected by the API server: {message}")]
    Rejected { object: String, message: String },

    #[error("failed to {action}: {message}")]
    Api { action: String, message: String },

    #[error("invalid {what}: {reason}")]
    InvalidInput { what: String, reason: String },
}

impl MeshError {
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Self::Rejected { .. } | Self::InvalidInput { .. } => ExitKind::BadInput,
            Self::Kubeconfig { .. }
            | Self::NoKubeconfig
            | Self::UnknownContext { .. }
            | Self::Unreachable { .. }
            | Self::Unauthorized { .. }
            | Self::Forbidden { .. }
            | Self::Api { .. } => ExitKind::Environment,
        }
    }

    /// What the user can do next; printed under the error as `hint:`.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Kubeconfig { .. } => {
                Some("check the file, or point --kubeconfig / KUBECONFIG at a valid one".into())
            }
            Self::NoKubeconfig => Some(
                "pass --kubeconfig FILE, set KUBECONFIG, or start the dev cluster: tests/cluster/dev-cluster up"
                    .into(),
            ),
            Self::UnknownContext { available, .. } if available.is_empty() => {
                Some("the kubeconfig defines no contexts".into())
            }
            Self::UnknownContext { available, .. } => {
                Some(format!("contexts that exist: {}", available.join(", ")))
            }
            Self::Unreachable { .. } => Some(
                "check that the cluster is running and that --kubeconfig/--context select it".into(),
            ),
            Self::Unauthorized { .. } => {
                Some("the client certificate or token is invalid or expired; refresh the kubeconfig".into())
            }
            Self::Forbidden { action, .. } => Some(format!(
                "ask a cluster admin for a Role or ClusterRole that allows you to {action}; \
                 `kubectl auth can-i --list` shows what you may do"
            )),
            Self::Rejected { .. } => Some("fix the object and try again".into()),
            Self::Api { .. } | Self::InvalidInput { .. } => None,
        }
    }
}

pub type Result<T, E = MeshError> = std::result::Result<T, E>;
