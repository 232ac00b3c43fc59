//! The CLI boundary for errors: the one place that sorts every layer's typed errors into the
//! documented exit codes and attaches the hints that name flags and commands (as jj does).
//! Each layer's error type gets its `Classify` impl in a file of its own here.

mod addons;
mod ambient;
mod checks;
mod gateway_crds;
mod install;
mod istioctl;
mod kube;
mod load;
mod manifests;
mod metrics;
mod snapshot;
mod verify;

/// The documented exit codes. `main` is the only caller that turns these into a process status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// Everything passed.
    Success = 0,
    /// A check or threshold failed.
    CheckFailed = 1,
    /// Bad input: usage, config file, manifest.
    BadInput = 2,
    /// Environment: cluster unreachable, unauthorized or forbidden, download failed.
    Environment = 3,
    /// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    Interrupted = 130,
}

impl ExitKind {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// `CheckFailed` when something failed, else `Success`.
    pub fn failed_if(failed: bool) -> Self {
        if failed {
            Self::CheckFailed
        } else {
            Self::Success
        }
    }
}

/// Bad input that only the command layer can see (a combination the parser cannot judge, a
/// prompt with no terminal): exit 2.
#[derive(Debug, thiserror::Error)]
#[error("invalid {what}: {reason}")]
pub struct UsageError {
    pub what: String,
    pub reason: String,
    pub hint: String,
}

impl Classify for UsageError {
    fn exit_kind(&self) -> ExitKind {
        ExitKind::BadInput
    }
    fn hint(&self) -> Option<String> {
        Some(self.hint.clone())
    }
}

/// What the CLI boundary knows about an error of one layer: its exit code and what to do next.
pub(crate) trait Classify {
    fn exit_kind(&self) -> ExitKind;
    fn hint(&self) -> Option<String>;
}

/// The exit kind and hint of the first error in the chain that a layer typed; an error no layer
/// typed (an I/O error writing stdout, say) is an environment failure.
pub fn classify(err: &anyhow::Error) -> (ExitKind, Option<String>) {
    // Whichever layer met it, a certificate nobody vouches for is fixed at the CA, not by
    // checking that the server runs.
    let (kind, hint) = err
        .chain()
        .find_map(typed)
        .map_or((ExitKind::Environment, None), |t| (t.exit_kind(), t.hint()));
    let untrusted = err
        .chain()
        .any(|cause| cause.to_string().contains("invalid peer certificate"));
    let hint = if untrusted {
        Some(UNTRUSTED_CERTIFICATE.into())
    } else {
        hint.or_else(|| fallback_hint(kind))
    };
    (kind, hint)
}

/// Every error gets a next step, also one that no layer gave a hint of its own.
fn fallback_hint(kind: ExitKind) -> Option<String> {
    match kind {
        ExitKind::BadInput => {
            Some("`meshctl <command> --help` lists what each flag accepts".into())
        }
        ExitKind::Environment => Some(
            "run again with -v to see each step; `meshctl health` shows the state of the cluster"
                .into(),
        ),
        ExitKind::Success | ExitKind::CheckFailed | ExitKind::Interrupted => None,
    }
}

const UNTRUSTED_CERTIFICATE: &str = "the server's certificate is not signed by a CA meshctl \
    trusts: check the cluster's certificate-authority(-data) in the kubeconfig and that --context \
    selects the right cluster (for a download mirror, its certificate chain)";

/// The layer error types this boundary knows, tried in turn against one cause.
fn typed<'a>(cause: &'a (dyn std::error::Error + 'static)) -> Option<&'a dyn Classify> {
    const LAYERS: &[Downcast] = &[
        as_classified::<UsageError>,
        as_classified::<crate::addons::Error>,
        as_classified::<crate::ambient::Error>,
        as_classified::<crate::kube::Error>,
        as_classified::<crate::istioctl::Error>,
        as_classified::<crate::gateway_crds::Error>,
        as_classified::<crate::manifests::Error>,
        as_classified::<crate::install::Error>,
        as_classified::<crate::snapshot::Error>,
        as_classified::<crate::checks::Error>,
        as_classified::<crate::load::Error>,
        as_classified::<crate::verify::Error>,
        as_classified::<crate::metrics::Error>,
    ];
    LAYERS.iter().find_map(|downcast| downcast(cause))
}

type Downcast = for<'a> fn(&'a (dyn std::error::Error + 'static)) -> Option<&'a dyn Classify>;

fn as_classified<'a, E: Classify + std::error::Error + 'static>(
    cause: &'a (dyn std::error::Error + 'static),
) -> Option<&'a dyn Classify> {
    cause.downcast_ref::<E>().map(|e| e as &dyn Classify)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_no_layer_typed_is_environment_with_a_next_step() {
        let (kind, hint) = classify(&anyhow::anyhow!("stdout is gone"));
        assert_eq!(kind, ExitKind::Environment);
        assert!(hint.is_some_and(|h| h.contains("-v")));
    }

    #[test]
    fn a_typed_error_keeps_its_kind_and_hint_and_a_bare_one_gets_the_fallback() {
        let usage = UsageError {
            what: "--fix".into(),
            reason: "no terminal".into(),
            hint: "pass -y".into(),
        };
        let wrapped = anyhow::Error::new(usage).context("troubleshoot");
        assert_eq!(
            classify(&wrapped),
            (ExitKind::BadInput, Some("pass -y".into()))
        );
        assert_eq!(fallback_hint(ExitKind::CheckFailed), None);
        assert!(fallback_hint(ExitKind::BadInput).is_some_and(|h| h.contains("--help")));
    }

    #[test]
    fn an_untrusted_certificate_hints_at_the_ca_and_keeps_the_exit_kind() {
        let err = anyhow::anyhow!("invalid peer certificate: UnknownIssuer").context("connect");
        let (kind, hint) = classify(&err);
        assert_eq!(kind, ExitKind::Environment);
        assert!(hint.is_some_and(|h| h.contains("certificate-authority")));
    }
}
