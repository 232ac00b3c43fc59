//! Exit kinds and hints for the manifests layer's errors: all are bad input.

use super::{Classify, ExitKind};
use crate::manifests::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::Read { .. } => Some("check the path given to --config".into()),
            Error::NotAFile { .. } | Error::TooLarge { .. } => {
                Some("--config takes a YAML file (not a pipe, device or directory)".into())
            }
            Error::Invalid { .. } | Error::NoHosts { .. } => Some(
                "fix the value at that position; `meshctl manifests render --config FILE` checks a file without a cluster"
                    .into(),
            ),
            Error::Namespace { .. } => {
                Some("-n takes a namespace name: lowercase letters, digits and '-'".into())
            }
            Error::Template { .. } => Some("this is a bug in meshctl; please report it".into()),
        }
    }
}
