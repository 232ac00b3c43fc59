//! Exit kinds and hints for the ambient layer's errors.

use super::{Classify, ExitKind};
use crate::ambient::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Kube(e) => e.exit_kind(),
            Error::ReservedName
            | Error::NoNamespace { .. }
            | Error::Rejected { .. }
            | Error::LabelConflict { .. } => ExitKind::BadInput,
            Error::NoGatewayApi { .. } | Error::NotProgrammed { .. } => ExitKind::Environment,
            Error::NotVerified { .. } => ExitKind::CheckFailed,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::Kube(e) => e.hint(),
            Error::NoGatewayApi { .. } => Some(
                "install the Gateway API CRDs (standard channel) first: \
                 `kubectl get crd gateways.gateway.networking.k8s.io` shows whether they are there"
                    .into(),
            ),
            Error::ReservedName => Some("pass another --name (the default is waypoint)".into()),
            Error::NoNamespace { namespace } => Some(format!(
                "create it first (`kubectl create namespace {namespace}`) or pass -n"
            )),
            Error::Rejected { .. } => Some(
                "--name must be a valid Kubernetes name: lowercase letters, digits and '-'".into(),
            ),
            Error::NotProgrammed { namespace, .. } => Some(format!(
                "istiod programs waypoints only with ambient enabled (PILOT_ENABLE_AMBIENT=true, the \
                 ambient profile); `meshctl waypoint status -n {namespace}` shows what it reports; \
                 raise --timeout"
            )),
            Error::LabelConflict { flag, .. } => Some(format!("pass {flag} to replace it")),
            Error::NotVerified { namespace, .. } => Some(format!(
                "another controller may be changing the namespace's labels: \
                 `kubectl get namespace {namespace} --show-labels -w`"
            )),
        }
    }
}
