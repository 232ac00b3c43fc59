//! Exit kinds and hints for the errors that stop health before it has a report.

use super::{Classify, ExitKind};
use crate::checks::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Unreachable { .. } | Error::Unauthorized { .. } => ExitKind::Environment,
            Error::UnknownCheck { .. } => ExitKind::BadInput,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Unreachable { .. } => {
                "check that the cluster is running and that --kubeconfig/--context select it".into()
            }
            Error::Unauthorized { .. } => {
                "the client certificate or token is invalid or expired; refresh the kubeconfig"
                    .into()
            }
            Error::UnknownCheck { .. } => "`meshctl health --list` lists the check ids".into(),
        })
    }
}
