//! Exit kinds for the mesh-metrics errors. They are warnings in the report and reach the CLI
//! boundary only if a command lets one through.

use super::{Classify, ExitKind};
use crate::metrics::Error;

impl Classify for Error {
    fn exit_kind(&self) -> ExitKind {
        match self {
            Error::PrometheusUrl { .. } => ExitKind::BadInput,
            _ => ExitKind::Environment,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            Error::PrometheusUrl { .. } | Error::Query { .. } | Error::QueryStatus { .. } => {
                Some("check --prometheus, or leave it out to read the cluster's".into())
            }
            _ => None,
        }
    }
}
