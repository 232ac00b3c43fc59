//! The CLI boundary for errors: the one place that sorts every layer's typed errors into the
//! documented exit codes and attaches the hints that name flags and commands (as jj does).
//! Each layer's error type gets its `Classify` impl in a file of its own here.
//!
//! `MeshError` is the old all-layers enum; layers move off it to their own thiserror enums.

mod checks;
mod install;
mod istioctl;
mod kube;
mod manifests;
mod snapshot;
mod load;
mod metrics;
mod verify;

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

    /// `CheckFailed` when something failed, else `Success`.
    pub fn failed_if(failed: bool) -> Self {
        if failed {
            Self::CheckFailed
        } else {
            Self::Success
        }
    }
}

/// Bad input that only the command layer can see (a combination the parser cannot judge, a
/// prompt with no terminal): exit 2.
#[derive(Debug, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct UsageError {
    pub what: String,
    pub reason: String,
}

impl Classify for UsageError {
    fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }
    fn hint(&self) -> Option<String> {
        None
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

    #[error("failed to {action}: {message}")]
    Api { action: String, message: String },

    #[error("invalid {what}: {reason}")]
    InvalidInput { what: String, reason: String },

    #[error("cannot resolve {host}, the host of {url}: {reason}")]
    UnresolvedTarget {
        url: String,
        host: String,
        reason: String,
    },

    #[error("download of {url} failed: {reason}")]
    Download { url: String, reason: String },

    #[error("checksum mismatch for {url}: expected sha256 {expected}, got {actual}")]
    ChecksumMismatch {
        url: String,
        expected: String,
        actual: String,
    },

    #[error("refusing the archive {url}: {reason}")]
    UnsafeArchive { url: String, reason: String },

    #[error("`{command}` failed: {reason}{}", if output.is_empty() { String::new() } else { format!("\n{output}") })]
    Istioctl {
        command: String,
        reason: String,
        output: String,
    },

    #[error("{count} object(s) were rejected by the API server:\n{details}")]
    ObjectsRejected { count: usize, details: String },

    #[error("preflight failed, nothing was changed: {failures}")]
    PreflightFailed { failures: String },

    #[error("timed out after {seconds} s waiting for {what}")]
    Timeout { what: String, seconds: u64 },
}

impl MeshError {
    pub fn exit_kind(&self) -> ExitKind {
        match self {
            Self::InvalidInput { .. } | Self::ObjectsRejected { .. } => ExitKind::BadInput,
            Self::Download { .. }
            | Self::UnresolvedTarget { .. }
            | Self::ChecksumMismatch { .. }
            | Self::UnsafeArchive { .. }
            | Self::Istioctl { .. }
            | Self::Timeout { .. }
            | Self::PreflightFailed { .. } => ExitKind::Environment,
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
            Self::ObjectsRejected { .. } => {
                Some("fix the values in the config file (meshctl manifests render shows the objects) and try again".into())
            }
            Self::Download { .. } => Some(
                "check the network or point --mirror / MESHCTL_ISTIO_MIRROR at a reachable mirror (file:// works offline), or pass --istioctl PATH".into(),
            ),
            Self::UnresolvedTarget { .. } => Some(
                "check the URL's host; to reach a gateway by address, put its IP in the URL and the \
                 virtual host in --host NAME"
                    .into(),
            ),
            Self::ChecksumMismatch { .. } => {
                Some("the archive does not match its published checksum; nothing was cached. Check the mirror".into())
            }
            Self::UnsafeArchive { .. } => Some("the archive is not a release archive; nothing was cached. Check the mirror".into()),
            Self::Istioctl { .. } => Some("read istioctl's output above; `meshctl health` shows what is missing".into()),
            Self::PreflightFailed { .. } => {
                Some("run as an identity with the permissions listed, on a supported cluster; `meshctl install --dry-run` shows the plan".into())
            }
            Self::Timeout { .. } => Some("raise --timeout, or run `meshctl health` to see what is not ready".into()),
            Self::Api { .. } | Self::InvalidInput { .. } => None,
        }
    }
}

pub type Result<T, E = MeshError> = std::result::Result<T, E>;

/// What the CLI boundary knows about an error of one layer: its exit code and what to do next.
pub(crate) trait Classify {
    fn exit_kind(&self) -> ExitKind;
    fn hint(&self) -> Option<String>;
}

impl Classify for MeshError {
    fn exit_kind(&self) -> ExitKind {
        MeshError::exit_kind(self)
    }
    fn hint(&self) -> Option<String> {
        MeshError::hint(self)
    }
}

/// The exit kind and hint of the first error in the chain that a layer typed; an error no layer
/// typed (an I/O error writing stdout, say) is an environment failure.
pub fn classify(err: &anyhow::Error) -> (ExitKind, Option<String>) {
    for cause in err.chain() {
        if let Some(typed) = typed(cause) {
            return (typed.exit_kind(), typed.hint());
        }
    }
    (ExitKind::Environment, None)
}

/// One line per layer error type: downcast to the types this boundary knows.
fn typed<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a dyn Classify> {
    if let Some(e) = cause.downcast_ref::<MeshError>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<UsageError>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::kube::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::istioctl::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::manifests::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::install::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::snapshot::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::checks::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::load::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::verify::Error>() {
        return Some(e);
    }
    if let Some(e) = cause.downcast_ref::<crate::metrics::Error>() {
        return Some(e);
    }
    None
}
