//! Exit kinds and hints for the install workflow's errors; those of the layers it drives are
//! classified by their own impls.

use super::{Classify, ExitKind};
use crate::install::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::PreflightFailed { .. } => ExitKind::Environment,
            Error::ObjectsRejected { .. } => ExitKind::BadInput,
            Error::ApplyStopped { source, .. } | Error::Kube(source) => source.exit_kind(),
            Error::Istioctl(e) => e.exit_kind(),
            Error::Manifests(e) => e.exit_kind(),
            Error::GatewayCrds(e) => e.exit_kind(),
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::PreflightFailed { .. } => Some("run as an identity with the permissions listed, on a supported cluster; `meshctl install --dry-run` shows the plan".into()),
            Error::ObjectsRejected { .. } => Some("fix the values in the config file (meshctl manifests render shows the objects) and try again".into()),
            Error::ApplyStopped { source, .. } => Some(format!(
                "{}; meshctl install is safe to run again: it applies what is missing and leaves the rest unchanged",
                source.hint().unwrap_or_else(|| "check the cluster".into())
            )),
            Error::Kube(e) => e.hint(),
            Error::Istioctl(e) => e.hint(),
            Error::Manifests(e) => e.hint(),
            Error::GatewayCrds(e) => e.hint(),
        }
    }
}
