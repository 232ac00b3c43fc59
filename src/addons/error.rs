//! The addons layer's errors: each names the addon, file or namespace it was working on.

use std::path::PathBuf;
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{name:?} is not an addon meshctl knows")]
    Unknown { name: String },

    #[error("cannot read the addon manifest {path}: {reason}")]
    Manifest { path: PathBuf, reason: String },

    /// `details` has one `Kind/ns/name: the API server's message` line per object.
    #[error("{count} object(s) of the addons were rejected by the API server:\n{details}")]
    Rejected { count: usize, details: String },

    #[error("{what} not ready after {} s", after.as_secs())]
    NotReady { what: String, after: Duration },

    #[error("{addon} is not installed: no {kind} {namespace}/{name}")]
    NotInstalled {
        addon: String,
        kind: &'static str,
        namespace: String,
        name: String,
    },

    #[error("no ready pod matches {selector} in {namespace}")]
    NoReadyPod { selector: String, namespace: String },

    #[error("not allowed to create pods/portforward in {namespace}")]
    ForwardForbidden { namespace: String },

    #[error("{address} is already in use")]
    PortInUse { address: std::net::SocketAddr },

    #[error("cannot listen on {address}")]
    Listen {
        address: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    Kube(#[from] crate::kube::Error),

    #[error(transparent)]
    Istioctl(#[from] crate::istioctl::Error),
}
