//! The ambient layer's errors: each names the namespace or waypoint it was working on.

use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A Kubernetes failure, classified as the Kubernetes layer classifies it.
    #[error(transparent)]
    Kube(#[from] crate::kube::Error),

    #[error(
        "the cluster does not serve the Gateway API's Gateway (gateway.networking.k8s.io/v1), so no waypoint can be applied in {namespace}"
    )]
    NoGatewayApi { namespace: String },

    #[error(
        "\"none\" cannot name a waypoint: Istio reserves it (istio.io/use-waypoint=none opts out)"
    )]
    ReservedName,

    #[error("namespace {namespace} does not exist")]
    NoNamespace { namespace: String },

    #[error("the API server rejected waypoint {namespace}/{name}: {reason}")]
    Rejected {
        namespace: String,
        name: String,
        reason: String,
    },

    #[error("waypoint {namespace}/{name} is not Programmed after {} s{}", .after.as_secs(), reason_suffix(.reason))]
    NotProgrammed {
        namespace: String,
        name: String,
        after: Duration,
        reason: Option<String>,
    },

    #[error("namespace {namespace} is labelled {existing}, which conflicts with {wanted}")]
    LabelConflict {
        namespace: String,
        existing: String,
        wanted: String,
        /// The flag that replaces the existing label.
        flag: &'static str,
    },

    /// A step of the move to ambient whose result is not what the step should have made.
    #[error("namespace {namespace}: {step} did not take effect: {found}")]
    NotVerified {
        namespace: String,
        step: String,
        found: String,
    },
}

fn reason_suffix(reason: &Option<String>) -> String {
    reason
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default()
}
