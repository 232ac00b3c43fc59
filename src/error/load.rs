//! Exit kinds and hints for the load engine's errors.

use super::{Classify, ExitKind};
use crate::load::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Invalid { .. } | Error::NoHost { .. } | Error::Scheme { .. } => {
                ExitKind::BadInput
            }
            // Kept as before: a TLS client that cannot be configured was reported as input.
            Error::Tls { .. } => ExitKind::BadInput,
            Error::OpenFiles { .. } => ExitKind::BadInput,
            Error::Unresolved { .. }
            | Error::NoAddress { .. }
            | Error::WorkerPanicked { .. }
            | Error::OutOfFiles { .. } => ExitKind::Environment,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::Unresolved { .. } | Error::NoAddress { .. } => Some(
                "check the URL's host; to reach a gateway by address, put its IP in the URL and the \
                 virtual host in --host NAME"
                    .into(),
            ),
            Error::OpenFiles { usable, .. } => Some(format!(
                "lower -c to at most {usable}, or raise the hard limit on open files \
                 (`ulimit -Hn` as root, LimitNOFILE= for a service, nofile in limits.conf)"
            )),
            Error::OutOfFiles { .. } => Some(
                "lower -c, or raise the open-file limit (`ulimit -n`); other processes may hold \
                 the system's file table (ENFILE)"
                    .into(),
            ),
            Error::WorkerPanicked { .. } => Some(
                "this is a bug in meshctl: please report it with the command line and the message above"
                    .into(),
            ),
            _ => None,
        }
    }
}
