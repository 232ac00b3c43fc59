//! The shared Kubernetes layer: client factory, retries, error classification and the Istio
//! resource types. Every subcommand reaches the cluster through here.

mod classify;
mod client;
pub mod istio;
mod retry;

pub use classify::{api_message, classify, is_not_found};
pub use client::{ClusterTarget, Connection, connect};
pub use retry::RetryPolicy;
