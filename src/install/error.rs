//! The install workflow's own failures, and those of the layers it drives.

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `failures` lists each failed check as `title: detail`.
    #[error("preflight failed, nothing was changed: {}", failures.join("; "))]
    PreflightFailed { failures: Vec<String> },

    /// `details` has one `Kind/ns/name: the API server's message` line per object.
    #[error("{} object(s) were rejected by the API server:\n{details}", count)]
    ObjectsRejected { count: usize, details: String },

    /// Applying stopped at `failed_at`: the objects in `applied` were applied, the rest not.
    #[error(
        "applying the manifests stopped at {failed_at}: applied {} of {total} object(s){}",
        applied.len(),
        if applied.is_empty() { String::new() } else { format!(" ({})", applied.join(", ")) }
    )]
    ApplyStopped {
        applied: Vec<String>,
        total: usize,
        failed_at: String,
        #[source]
        source: crate::kube::Error,
    },

    #[error(transparent)]
    Kube(#[from] crate::kube::Error),

    #[error(transparent)]
    Istioctl(#[from] crate::istioctl::Error),

    #[error(transparent)]
    Manifests(#[from] crate::manifests::Error),

    #[error(transparent)]
    GatewayCrds(#[from] crate::gateway_crds::Error),
}

impl Error {
    /// Whether the report holds what the user needs to see with this error (the failed checks,
    /// the rejected objects).
    pub fn comes_with_report(&self) -> bool {
        matches!(
            self,
            Self::PreflightFailed { .. } | Self::ObjectsRejected { .. } | Self::ApplyStopped { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_apply_names_what_was_applied_and_where_it_stopped() {
        let stopped = Error::ApplyStopped {
            applied: vec!["Service/shop/api".into(), "Deployment/shop/api".into()],
            total: 5,
            failed_at: "Gateway/shop/gw".into(),
            source: crate::kube::Error::NoKind {
                object: "Gateway/shop/gw".into(),
            },
        };
        assert_eq!(
            stopped.to_string(),
            "applying the manifests stopped at Gateway/shop/gw: applied 2 of 5 object(s) \
             (Service/shop/api, Deployment/shop/api)"
        );
        assert!(stopped.comes_with_report());
    }
}
