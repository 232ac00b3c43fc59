//! Exit kinds and hints for the verdict layer's errors.

use super::{Classify, ExitKind, typed};
use crate::verify::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            // Whatever the file or the cluster said decides, as if it were not wrapped.
            Error::Config { source, .. } => {
                typed(source.as_ref()).map_or(ExitKind::Environment, |t| t.exit_kind())
            }
            Error::NothingMeasured { .. } => ExitKind::CheckFailed,
            _ => ExitKind::BadInput,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::Config { source, .. } => typed(source.as_ref()).and_then(|t| t.hint()),
            Error::NoMatchingHost { .. } | Error::AmbiguousHost { .. } => Some(
                "name the route with --route NAME (or HTTPRoute/NAME, VirtualService/NAME), or set --host to one of its hosts"
                    .into(),
            ),
            Error::AmbiguousName { name, .. } => Some(format!(
                "say which: --route HTTPRoute/{name} or --route VirtualService/{name}"
            )),
            Error::NoRoute { .. } => Some(
                "the route is matched on the URL's path and query, -m and -H as Envoy would; check them against the route's matches"
                    .into(),
            ),
            Error::NothingMeasured { .. } => Some(
                "check that a server listens at the URL; the errors by kind say why (connect: nothing \
                 listens; tls: --insecure skips verification; timeout: raise --timeout)"
                    .into(),
            ),
            _ => None,
        }
    }
}
