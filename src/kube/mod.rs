//! The shared Kubernetes layer: client factory, retries, error classification, server-side
//! apply, rollouts and the inject workflow. Every subcommand reaches the cluster through here.

mod access;
mod answers;
mod apply;
mod classify;
mod client;
mod delete;
mod error;
mod exec_plugin;
mod inject;
mod injection;
mod kubeconfig;
mod object_ref;
mod port_forward;
mod retry;
mod rollout;
mod timing;
mod wait;
mod warm;
mod waves;
mod workloads;

pub use access::{Permission, check_access};
pub use answers::{Answer, shown_by};
pub use apply::{ApplyResult, ObjectOutcome, apply_all, group_and_plural, rejection_summary};
pub use classify::{api_message, classify, is_not_found};
pub use client::{ClusterTarget, Connection, LazyConnection, connect};
pub use delete::delete_labelled;
pub use error::{Error, Result};
pub use inject::{
    DeploymentOutcome, DeploymentResult, InjectOptions, InjectReport, RolloutObserver, Selection,
    inject,
};
pub use injection::{
    INJECTION, InjectionLabel, REVISION, label_for_injection, namespace_labels,
    remove_namespace_label, set_namespace_label, unlabel_injection,
};
pub use object_ref::ObjectRef;
pub use port_forward::{ForwardObserver, PodForward};
pub use rollout::restart_deployment;
pub use wait::{daemonsets_ready, deployments_available};
pub use waves::{Kinds, apply_wave, dry_run_wave, resolve_kinds};
pub use workloads::{SIDECAR, availability, has_sidecar};
