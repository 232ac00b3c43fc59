//! Exit kinds and hints for the Kubernetes layer's errors.

use super::{Classify, ExitKind};
use crate::kube::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::LabelConflict { .. }
            | Error::NoSuchDeployment { .. }
            | Error::NoKind { .. }
            | Error::NotAFile { .. }
            | Error::TooLarge { .. } => ExitKind::BadInput,
            Error::NoKubeconfigInList { .. } | Error::ExecPlugin { .. } => ExitKind::Environment,
            Error::Kubeconfig { .. }
            | Error::Client { .. }
            | Error::NoKubeconfig { .. }
            | Error::UnknownContext { .. }
            | Error::Unreachable { .. }
            | Error::Unauthorized { .. }
            | Error::Forbidden { .. }
            | Error::Api { .. }
            | Error::Watch { .. }
            | Error::Timeout { .. } => ExitKind::Environment,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Kubeconfig { .. } | Error::Client { .. } => {
                "check the file, or point --kubeconfig / KUBECONFIG at a valid one".into()
            }
            Error::NotAFile { .. } | Error::TooLarge { .. } => {
                "pass --kubeconfig a kubeconfig file (not a pipe, device or directory)".into()
            }
            Error::NoKubeconfigInList { .. } => {
                "point KUBECONFIG at existing files, or pass --kubeconfig FILE".into()
            }
            Error::ExecPlugin { .. } => "the plugin is the `exec:` of the kubeconfig's user; run it by hand to see what it needs (a login?), or raise --request-timeout".into(),
            Error::NoKubeconfig { .. } => "pass --kubeconfig FILE, set KUBECONFIG, or start the dev cluster: tests/cluster/dev-cluster up".into(),
            Error::UnknownContext { available, .. } if available.is_empty() => {
                "the kubeconfig defines no contexts".into()
            }
            Error::UnknownContext { available, .. } => {
                format!("contexts that exist: {}", available.join(", "))
            }
            Error::Unreachable { .. } => {
                "check that the cluster is running and that --kubeconfig/--context select it".into()
            }
            Error::Unauthorized { .. } => {
                "the client certificate or token is invalid or expired; refresh the kubeconfig".into()
            }
            Error::Forbidden { action, .. } => format!(
                "ask a cluster admin for a Role or ClusterRole that allows you to {action}; \
                 `kubectl auth can-i --list` shows what you may do"
            ),
            Error::Api { .. } | Error::Watch { .. } => {
                "the API server refused the request; `meshctl health` shows the state of the cluster"
                    .into()
            }
            Error::Timeout { .. } => {
                "raise --timeout, or run `meshctl health` to see what is not ready".into()
            }
            Error::NoKind { .. } => "every object needs apiVersion and kind".into(),
            Error::LabelConflict { .. } => {
                "pass --force to replace it, or --revision to match the label in place".into()
            }
            Error::NoSuchDeployment { namespace, .. } => format!(
                "`kubectl get deployments -n {namespace}` lists them; or pass --all"
            ),
        })
    }
}
