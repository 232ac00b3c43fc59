//! Exit kinds and hints for the Gateway API CRD layer's errors.

use super::{Classify, ExitKind};
use crate::gateway_crds::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::Download(e) => e.exit_kind(),
            Error::Module { .. }
            | Error::BundleChanged { .. }
            | Error::Cache(_)
            | Error::NotUtf8
            | Error::Parse(_) => ExitKind::Environment,
        }
    }

    fn hint(&self) -> Option<String> {
        Some(match self {
            Error::Download(_) => "check the network or point --gateway-api-proxy / \
                MESHCTL_GATEWAY_API_PROXY at a reachable Go module proxy (file:// works offline), \
                or pass --skip-gateway-api-crds when the platform manages these CRDs"
                .into(),
            Error::Module { .. } | Error::NotUtf8 | Error::Parse(_) => {
                "the proxy served something \
                other than the module Go's checksum database records; nothing was cached or \
                applied. Check the proxy"
                    .into()
            }
            Error::BundleChanged { .. } => {
                "this meshctl's pinned bundle is out of step with the module: report it".into()
            }
            Error::Cache(_) => {
                "check that the cache directory is writable, or point MESHCTL_CACHE_DIR elsewhere"
                    .into()
            }
        })
    }
}
