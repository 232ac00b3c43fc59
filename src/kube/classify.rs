//! Turns `kube::Error` into a `MeshError` that names what was being done.

use crate::error::MeshError;

/// `action` reads as the rest of "failed to …", e.g. `list pods in namespace production`.
pub fn classify(server: &str, action: &str, err: kube::Error) -> MeshError {
    match err {
        kube::Error::Api(status) => match status.code {
            401 => MeshError::Unauthorized {
                server: server.to_string(),
                action: action.to_string(),
            },
            403 => MeshError::Forbidden {
                action: action.to_string(),
                message: status.message,
            },
            _ => MeshError::Api {
                action: action.to_string(),
                message: status.message,
            },
        },
        kube::Error::HyperError(e) => unreachable(server, e.to_string()),
        kube::Error::Service(e) => unreachable(server, source_chain(e.as_ref())),
        other => MeshError::Api {
            action: action.to_string(),
            message: other.to_string(),
        },
    }
}

/// The API server's own words for an API error (webhook denials verbatim), else the error text.
pub fn api_message(err: &kube::Error) -> String {
    match err {
        kube::Error::Api(status) => status.message.clone(),
        other => other.to_string(),
    }
}

pub fn is_not_found(err: &kube::Error) -> bool {
    matches!(err, kube::Error::Api(status) if status.code == 404)
}

fn unreachable(server: &str, reason: String) -> MeshError {
    MeshError::Unreachable {
        server: server.to_string(),
        reason,
    }
}

/// hyper wraps the useful part ("Connection refused") a few sources deep.
fn source_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
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

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(code: u16, message: &str) -> kube::Error {
        let status = kube::core::Status::failure(message, "Reason").with_code(code);
        kube::Error::Api(Box::new(status))
    }

    #[test]
    fn forbidden_keeps_the_rbac_message() {
        let msg = r#"pods is forbidden: User "viewer" cannot create resource "pods""#;
        let err = classify("https://127.0.0.1:1", "create pods", api_error(403, msg));
        assert!(matches!(&err, MeshError::Forbidden { message, .. } if message == msg));
        assert_eq!(err.exit_kind(), crate::error::ExitKind::Environment);
    }

    #[test]
    fn unauthorized_names_the_server() {
        let err = classify(
            "https://127.0.0.1:1",
            "list pods",
            api_error(401, "Unauthorized"),
        );
        assert!(err.to_string().contains("https://127.0.0.1:1"));
    }

    #[test]
    fn other_statuses_keep_their_message() {
        let err = classify("s", "get deployment a/b", api_error(500, "etcd timeout"));
        assert_eq!(
            err.to_string(),
            "failed to get deployment a/b: etcd timeout"
        );
    }
}
