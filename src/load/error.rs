//! What stops a load run: a request that cannot be built from the input, a target that does not
//! resolve, or a worker that died. Failed requests are not errors: they are counted.

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The cause of an invalid input, whichever parser found it.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value for the request (URL, method, header, host, body file), named as it was given.
    #[error("invalid {what}")]
    Invalid {
        what: String,
        #[source]
        source: Cause,
    },

    #[error("invalid URL {url}: it has no host")]
    NoHost { url: String },

    #[error("invalid URL {url}: only http:// and https:// are supported")]
    Scheme { url: String },

    #[error("cannot resolve {host}, the host of {url}")]
    Unresolved {
        url: String,
        host: String,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot resolve {host}, the host of {url}: it has no address")]
    NoAddress { url: String, host: String },

    #[error("cannot set up TLS for {url}")]
    Tls {
        url: String,
        #[source]
        source: tokio_rustls::rustls::Error,
    },

    /// More connections than the open-file limit allows, even raised to the hard limit.
    #[error(
        "{connections} connections do not fit under the open-file limit of {limit} \
         (at most {usable} connections)"
    )]
    OpenFiles {
        connections: usize,
        limit: u64,
        usable: u64,
    },

    /// connect(2) failed with EMFILE/ENFILE in the run: meshctl's failure, not the target's.
    #[error(
        "meshctl ran out of file descriptors opening {failed} of its {connections} connections \
         (EMFILE); the run was stopped, its counts would blame the target"
    )]
    OutOfFiles { failed: u64, connections: usize },

    /// A worker's counts are lost with it: the run's figures would be silently low.
    #[error("load worker {worker} panicked ({message}); the run's counts are incomplete")]
    WorkerPanicked { worker: usize, message: String },
}

impl Error {
    pub fn invalid(what: impl Into<String>, source: impl Into<Cause>) -> Self {
        Self::Invalid {
            what: what.into(),
            source: source.into(),
        }
    }
}
