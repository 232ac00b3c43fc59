//! The shared Kubernetes layer: client factory, retries, error classification and the Istio
//! resource types. Every subcommand reaches the cluster through here.

mod classify;
mod client;
mod retry;
pub mod istio;

pub use classify::{classify, is_not_found};
pub use client::{ClusterTarget, Connection, connect};
pub use retry::RetryPolicy;
