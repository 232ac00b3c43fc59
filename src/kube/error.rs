//! The Kubernetes layer's errors: each names the server, context, namespace or `Kind/ns/name`
//! it was working on, and keeps kube's error as its source.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read kubeconfig {path}")]
    Kubeconfig {
        path: PathBuf,
        #[source]
        source: Cause,
    },

    #[error("cannot build a client for {server} from kubeconfig {path}")]
    Client {
        server: String,
        path: PathBuf,
        #[source]
        source: Cause,
    },

    #[error("{path} is not a regular file; a kubeconfig must be one")]
    NotAFile { path: PathBuf },

    #[error("kubeconfig {path} is {size} bytes, more than the {limit} bytes a kubeconfig may have")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    #[error("none of the files in KUBECONFIG={} exists", .list.display())]
    NoKubeconfigInList { list: PathBuf },

    #[error("the kubeconfig's credential plugin {command} {problem}")]
    ExecPlugin {
        command: String,
        #[source]
        problem: PluginProblem,
    },

    #[error("no kubeconfig found and not running inside a cluster")]
    NoKubeconfig {
        #[source]
        source: Cause,
    },

    #[error("context \"{name}\" does not exist in the kubeconfig {path}")]
    UnknownContext {
        name: String,
        path: PathBuf,
        available: Vec<String>,
    },

    #[error("cannot reach the Kubernetes API server at {server}")]
    Unreachable {
        server: String,
        #[source]
        source: Cause,
    },

    #[error(
        "the API server at {server} rejected the credentials (401 Unauthorized) while trying to {action}"
    )]
    Unauthorized {
        server: String,
        action: String,
        #[source]
        source: Cause,
    },

    /// `action` names the verb and the object, e.g. `list pods in namespace production`.
    #[error("not allowed to {action}")]
    Forbidden {
        action: String,
        #[source]
        source: Cause,
    },

    #[error("failed to {action}")]
    Api {
        action: String,
        #[source]
        source: Cause,
    },

    #[error("failed to watch {what}")]
    Watch {
        what: String,
        #[source]
        source: kube::runtime::wait::Error,
    },

    #[error("timed out after {} s waiting for {what}", .after.as_secs())]
    Timeout { what: String, after: Duration },

    #[error("{object} has no apiVersion or kind")]
    NoKind { object: String },

    #[error("namespace {namespace} is labelled {existing}, which conflicts with {wanted}")]
    LabelConflict {
        namespace: String,
        existing: String,
        wanted: String,
    },

    #[error("no Deployment {name} in namespace {namespace}")]
    NoSuchDeployment { namespace: String, name: String },
}

/// What went wrong with a credential plugin, in words (no `ExitStatus(unix_wait_status(256))`).
#[derive(Debug, thiserror::Error)]
pub enum PluginProblem {
    #[error("has no command")]
    NoCommand,

    #[error("could not be started")]
    Start {
        #[source]
        source: std::io::Error,
    },

    #[error("did not answer within {} s", .after.as_secs_f64())]
    TimedOut { after: Duration },

    #[error("failed with {status}{}", if said.is_empty() { String::new() } else { format!(": {said}") })]
    Exited { status: String, said: String },

    #[error(
        "printed no credential (an ExecCredential with status.token or a client certificate and key)"
    )]
    NoCredential,
}

/// kube's error in its own words: the API server's message verbatim, or the failure with each
/// cause once. kube's errors repeat their source in their message, so the chain printed at the
/// CLI boundary would say everything twice; this ends the chain instead.
#[derive(Debug)]
pub struct Cause(Box<dyn std::error::Error + Send + Sync>);

impl Cause {
    pub fn new(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Box::new(err))
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.downcast_ref::<kube::Error>() {
            Some(kube::Error::Api(status)) => f.write_str(&status.message),
            Some(kube::Error::Service(e)) => f.write_str(&source_chain(e.as_ref())),
            _ => f.write_str(&source_chain(self.0.as_ref())),
        }
    }
}

impl std::error::Error for Cause {}

/// hyper wraps the useful part ("Connection refused") a few sources deep; each part is shown
/// once, also where an error repeats its source in its own message.
fn source_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut next = err.source();
    while let Some(source) = next {
        let text = source.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = source.source();
    }
    parts.join(": ")
}
