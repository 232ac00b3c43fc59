//! What stops a verdict: expectations that cannot be read from the mesh config, and a run that
//! measured nothing to judge.

use std::collections::BTreeMap;

use http::Method;

use crate::load::ErrorKind;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The mesh config could not be read (a file, or the cluster); the source says why.
    #[error("cannot read the mesh config {from}")]
    Config {
        from: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },

    #[error("{kind} {namespace}/{name} not found")]
    RouteNotFound {
        kind: &'static str,
        namespace: String,
        name: String,
    },

    /// `--route NAME` without a kind, and both kinds have that name.
    #[error("both a VirtualService and an HTTPRoute are named {namespace}/{name}")]
    AmbiguousName { namespace: String, name: String },

    #[error("no VirtualService or HTTPRoute in namespace {namespace}")]
    NoRoutes { namespace: String },

    #[error("no VirtualService or HTTPRoute in {namespace} serves host {host:?} ({})", candidates.join(", "))]
    NoMatchingHost {
        namespace: String,
        host: String,
        /// `Kind/name` of each route of the namespace.
        candidates: Vec<String>,
    },

    #[error("several routes in {namespace} serve host {host:?} ({})", candidates.join(", "))]
    AmbiguousHost {
        namespace: String,
        host: String,
        /// `Kind/name` of each route that serves the host.
        candidates: Vec<String>,
    },

    /// `routes`: `namespace/name` of the route, or of each HTTPRoute of the host.
    #[error("no rule of {kind} {routes} matches {method} {path}")]
    NoRoute {
        kind: &'static str,
        routes: String,
        method: Method,
        path: String,
    },

    #[error("the fault injection of VirtualService {namespace}/{name}")]
    Fault {
        namespace: String,
        name: String,
        #[source]
        problem: FaultProblem,
    },

    /// Every request failed before a response: there is no latency, rate or split to judge.
    #[error(
        "no request to {url} got a response ({}): nothing was measured",
        attempts_and_errors(*attempts, errors)
    )]
    NothingMeasured {
        url: String,
        attempts: u64,
        errors: BTreeMap<ErrorKind, u64>,
    },
}

fn attempts_and_errors(attempts: u64, errors: &BTreeMap<ErrorKind, u64>) -> String {
    let kinds: Vec<String> = errors.iter().map(|(k, n)| format!("{n} {k}")).collect();
    match kinds.is_empty() {
        true => format!("{attempts} attempts"),
        false => format!("{attempts} attempts, errors: {}", kinds.join(", ")),
    }
}

/// What is wrong with a route's fault block.
#[derive(Debug, thiserror::Error)]
pub enum FaultProblem {
    #[error("the delay fault has no fixedDelay")]
    NoFixedDelay,
    #[error("fixedDelay {text:?} is not a duration")]
    FixedDelay {
        text: String,
        #[source]
        source: humantime::DurationError,
    },
}
