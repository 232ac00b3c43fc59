//! The istioctl layer's errors: each names the URL, path or command it was working on.

use std::path::PathBuf;
use std::process::ExitStatus;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{version:?} is not an Istio version")]
    InvalidVersion { version: String },

    #[error("cannot use istioctl at {path}")]
    Explicit {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("istioctl at {path} is not an executable file")]
    NotExecutable { path: PathBuf },

    #[error("{mirror:?} is not an http://, https:// or file:// URL")]
    UnsupportedMirror { mirror: String },

    #[error("interrupted; nothing was cached")]
    Interrupted,

    #[error("the istioctl in {url} does not run here: `istioctl version --remote=false` {problem}")]
    DoesNotRun { url: String, problem: String },

    #[error("Istio publishes no istioctl for {os}/{arch}")]
    UnsupportedPlatform {
        os: &'static str,
        arch: &'static str,
    },

    #[error("download of {url} failed")]
    Download {
        url: String,
        #[source]
        source: Fetch,
    },

    #[error("checksum mismatch for {url}: expected sha256 {expected}, got {actual}")]
    ChecksumMismatch {
        url: String,
        expected: String,
        actual: String,
    },

    /// `reason` says which entry broke which rule; there is no underlying error.
    #[error("refusing the archive {url}: {reason}")]
    UnsafeArchive { url: String, reason: String },

    #[error("the release archive {url} holds no {file}")]
    NotInArchive { url: String, file: String },

    #[error("cannot unpack {url} into the cache {path}")]
    Cache {
        url: String,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot start `{command}`")]
    Spawn {
        command: String,
        #[source]
        source: std::io::Error,
    },

    #[error("`{command}` failed with {}{}", super::run::describe_status(*status), if output.is_empty() { String::new() } else { format!("\n{output}") })]
    Failed {
        command: String,
        status: ExitStatus,
        /// The last lines istioctl printed.
        output: String,
    },
}

/// Why one fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum Fetch {
    #[error(transparent)]
    Http(reqwest::Error),

    #[error(transparent)]
    Io(std::io::Error),

    #[error("HTTP {0}")]
    Status(reqwest::StatusCode),

    #[error("truncated: received {received} of {total} bytes")]
    Truncated { received: u64, total: u64 },

    #[error("not a SHA-256 checksum file")]
    NotChecksum,

    #[error("no data for {} s", .after.as_secs_f64())]
    Stalled { after: std::time::Duration },

    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: u64 },

    #[error("not a regular file")]
    NotAFile,
}
