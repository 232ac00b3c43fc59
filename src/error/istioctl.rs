//! Exit kinds and hints for the istioctl layer's errors.

use super::{Classify, ExitKind};
use crate::istioctl::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::InvalidVersion { .. }
            | Error::Explicit { .. }
            | Error::NotExecutable { .. }
            | Error::UnsupportedPlatform { .. }
            | Error::UnsupportedMirror { .. } => ExitKind::BadInput,
            Error::Download { .. }
            | Error::ChecksumMismatch { .. }
            | Error::UnsafeArchive { .. }
            | Error::NotInArchive { .. }
            | Error::DoesNotRun { .. }
            | Error::Interrupted
            | Error::Cache { .. }
            | Error::Spawn { .. }
            | Error::Failed { .. } => ExitKind::Environment,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            Error::InvalidVersion { .. } => {
                "--istio-version takes an Istio release such as 1.31.0 or 1.24.0-beta.1".into()
            }
            Error::Explicit { .. } | Error::NotExecutable { .. } => {
                "--istioctl must name an executable istioctl; leave it out to download one".into()
            }
            Error::UnsupportedPlatform { .. } => "pass --istioctl PATH".into(),
            Error::UnsupportedMirror { .. } => {
                "--mirror / MESHCTL_ISTIO_MIRROR takes an http://, https:// or file:// URL".into()
            }
            Error::DoesNotRun { .. } => {
                "the archive is not a working istioctl for this platform; nothing was cached. Check the mirror".into()
            }
            Error::Interrupted => "run the command again to download it".into(),
            Error::Download { .. } => "check the network or point --mirror / MESHCTL_ISTIO_MIRROR at a reachable mirror (file:// works offline), or pass --istioctl PATH".into(),
            Error::ChecksumMismatch { .. } => {
                "the archive does not match its published checksum; nothing was cached. Check the mirror".into()
            }
            Error::UnsafeArchive { .. } => {
                "the archive is not a release archive; nothing was cached. Check the mirror".into()
            }
            Error::NotInArchive { .. } => {
                "this Istio release has no such addon; `meshctl addons install --help` lists them"
                    .into()
            }
            Error::Cache { .. } => {
                "check that the cache directory is writable, or point MESHCTL_CACHE_DIR elsewhere"
                    .into()
            }
            Error::Spawn { .. } => {
                "the istioctl binary cannot run here; pass --istioctl PATH to one that does".into()
            }
            Error::Failed { .. } => {
                "read istioctl's output above; `meshctl health` shows what is missing".into()
            }
        })
    }
}
