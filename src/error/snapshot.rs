//! Exit kinds and hints for snapshot errors: a bad file is bad input (2), a cluster read that
//! fails is the environment (3).

use super::{Classify, ExitKind};
use crate::snapshot::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Read { .. }
            | Error::Yaml { .. }
            | Error::Json { .. }
            | Error::Expanded { .. }
            | Error::Untyped { .. }
            | Error::NotAnObject { .. }
            | Error::Object { .. }
            | Error::StdinTwice
            | Error::NotRegular { .. }
            | Error::TooLarge { .. }
            | Error::NothingRead { .. } => ExitKind::BadInput,
            Error::List { .. } | Error::PodList { .. } | Error::Secret { .. } => {
                ExitKind::Environment
            }
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::NotRegular { .. } => {
                return Some(
                    "pass YAML or JSON files, directories of them, or - for standard input".into(),
                );
            }
            Error::TooLarge { .. } => {
                return Some("split the manifests into several files and pass them all".into());
            }
            Error::NothingRead { .. } => {
                return Some(
                    "check the paths: --file reads YAML and JSON manifests (directories: .yaml, .yml and .json files), and - for standard input".into(),
                );
            }
            Error::StdinTwice => {
                return Some("pass --file - once".into());
            }
            _ => {}
        }
        match self.api_source()? {
            kube::Error::Api(status) if status.code == 403 => Some(
                "ask a cluster admin for read access (the `view` ClusterRole); `kubectl auth can-i --list` shows what you may do".into(),
            ),
            kube::Error::Api(status) if status.code == 401 => Some(
                "the client certificate or token is invalid or expired; refresh the kubeconfig".into(),
            ),
            kube::Error::Api(status) if status.code == 404 => {
                Some("install Istio (its CRDs): meshctl install, or istioctl install".into())
            }
            kube::Error::Api(_) => None,
            _ => Some(
                "check that the cluster is running and that --kubeconfig/--context select it".into(),
            ),
        }
    }
}
