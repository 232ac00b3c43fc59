//! What stops health from producing a report at all, each naming its object.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot reach the Kubernetes API server at {server}")]
    Unreachable {
        server: String,
        #[source]
        source: kube::Error,
    },

    #[error("the API server at {server} rejected the credentials (401 Unauthorized)")]
    Unauthorized {
        server: String,
        #[source]
        source: kube::Error,
    },

    #[error("there is no health check {id:?}")]
    UnknownCheck { id: String },
}

impl Error {
    /// The first call to the API server failed: bad credentials, or no server at all.
    pub fn unreachable(server: &str, source: kube::Error) -> Self {
        let server = server.to_string();
        match &source {
            kube::Error::Api(status) if status.code == 401 => Self::Unauthorized { server, source },
            _ => Self::Unreachable { server, source },
        }
    }
}

impl Error {
    /// What a `--wait` round treats as "not yet": no answer, or a server error, from the API
    /// server; a later round may well get through. Bad credentials are not.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
