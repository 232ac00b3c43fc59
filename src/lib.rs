//! meshctl: operate an Istio service mesh on Kubernetes.

pub mod analyze;
pub mod checks;
pub mod cli;
pub mod cmd;
pub mod error;
pub mod istioctl;
pub mod kube;
pub mod load;
pub mod manifests;
pub mod metrics;
pub mod output;
pub mod snapshot;
