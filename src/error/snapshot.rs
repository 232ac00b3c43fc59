//! Exit kinds and hints for snapshot errors: a bad file is bad input (2), a cluster read that
//! fails is the environment (3).

use super::{Classify, ExitKind};
use crate::snapshot::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Read { .. }
            | Error::Yaml { .. }
            | Error::Untyped { .. }
            | Error::Object { .. }
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
                return Some("pass YAML files or directories of them".into());
            }
            Error::TooLarge { .. } => {
                return Some("split the manifests into smaller files".into());
            }
            Error::NothingRead { .. } => {
                return Some(
                    "check the paths: --file reads .yaml and .yml files, and directories of them"
                        .into(),
                );
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
