//! Sorts kube's errors into this layer's: unreachable, unauthorized, forbidden or another API
//! failure, each naming what was being done.

use super::error::{Cause, Error};

/// `action` reads as the rest of "failed to …" and names the object, e.g.
/// `list pods in namespace production`.
pub fn classify(server: &str, action: &str, err: kube::Error) -> Error {
    let action = action.to_string();
    match &err {
        kube::Error::Api(status) if status.code == 401 => Error::Unauthorized {
            server: server.to_string(),
            action,
            source: Cause::new(err),
        },
        kube::Error::Api(status) if status.code == 403 => Error::Forbidden {
            action,
            source: Cause::new(err),
        },
        kube::Error::HyperError(_) | kube::Error::Service(_) => Error::Unreachable {
            server: server.to_string(),
            source: Cause::new(err),
        },
        _ => Error::Api {
            action,
            source: Cause::new(err),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(code: u16, message: &str) -> kube::Error {
        let status = kube::core::Status::failure(message, "Reason").with_code(code);
        kube::Error::Api(Box::new(status))
    }

    /// The whole message as the CLI prints it: the error and its causes.
    fn chain(err: &(dyn std::error::Error + 'static)) -> String {
        let mut parts = vec![err.to_string()];
        let mut next = err.source();
        while let Some(cause) = next {
            parts.push(cause.to_string());
            next = cause.source();
        }
        parts.join(": ")
    }

    #[test]
    fn forbidden_keeps_the_rbac_message() {
        let msg = r#"pods is forbidden: User "viewer" cannot create resource "pods""#;
        let err = classify("https://127.0.0.1:1", "create pods", api_error(403, msg));
        assert!(matches!(&err, Error::Forbidden { .. }), "{err:?}");
        assert_eq!(chain(&err), format!("not allowed to create pods: {msg}"));
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
        assert_eq!(chain(&err), "failed to get deployment a/b: etcd timeout");
    }
}
