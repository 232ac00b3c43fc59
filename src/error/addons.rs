//! Exit kinds and hints for the addons layer's errors.

use super::{Classify, ExitKind};
use crate::addons::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Unknown { .. } | Error::Rejected { .. } => ExitKind::BadInput,
            Error::Manifest { .. }
            | Error::NotReady { .. }
            | Error::NotInstalled { .. }
            | Error::NoReadyPod { .. }
            | Error::ForwardForbidden { .. }
            | Error::Listen { .. } => ExitKind::Environment,
            Error::PortInUse { .. } => ExitKind::BadInput,
            Error::Kube(e) => e.exit_kind(),
            Error::Istioctl(e) => e.exit_kind(),
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::Unknown { .. } => {
                Some("the addons are prometheus, grafana, kiali, jaeger and loki (or --all)".into())
            }
            Error::Manifest { .. } => Some(
                "the cached release archive's manifest is unreadable: remove the cache directory named above (or set MESHCTL_CACHE_DIR) and run again"
                    .into(),
            ),
            Error::Rejected { .. } => Some(
                "the cluster refused the release's manifests; `meshctl addons install --dry-run` shows each object's result"
                    .into(),
            ),
            Error::NotReady { .. } => Some(
                "the objects are applied; see why the pods do not start with `kubectl -n istio-system get pods` and its events, or raise --timeout"
                    .into(),
            ),
            Error::NotInstalled { addon, .. } => Some(format!(
                "install it with `meshctl addons install {addon}`, or pass --namespace where it runs"
            )),
            Error::NoReadyPod { .. } => Some(
                "`meshctl addons status` shows the addon's readiness; wait for its pods or check their events"
                    .into(),
            ),
            Error::ForwardForbidden { namespace } => Some(format!(
                "ask for the pods/portforward permission in {namespace} (kubectl auth can-i create pods/portforward -n {namespace}), or use a kubeconfig that has it"
            )),
            Error::PortInUse { .. } => {
                Some("choose another --port, or leave --port out to take a free one".into())
            }
            Error::Listen { .. } => Some("check --address: it must be an address of this machine".into()),
            Error::Kube(e) => e.hint(),
            Error::Istioctl(e) => e.hint(),
        }
    }
}
