//! The shared Kubernetes layer: client factory, retries, error classification and the Istio
//! resource types. Every subcommand reaches the cluster through here.

mod access;
mod apply;
mod classify;
mod client;
mod retry;
mod rollout;
mod wait;
mod workloads;

pub use access::{Permission, check_access};
pub use apply::{
    ApplyResult, FIELD_MANAGER, ObjectOutcome, apply_all, delete_labelled, describe,
    group_and_plural, rejection_summary, remove_namespace_label,
};
pub use classify::{api_message, classify, is_not_found};
pub use client::{ClusterTarget, Connection, LazyConnection, connect};
pub use retry::RetryPolicy;
pub use rollout::{
    Rollout, label_for_injection, restart_deployment, sidecar_counts, unlabel_injection,
    wait_rollout,
};
pub use wait::deployments_available;
pub use workloads::{
    Availability, SIDECAR, availability, has_sidecar, sidecar_image, unavailable_reason,
};
