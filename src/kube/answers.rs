//! What the API server answered to each request of the process: method, path and status. A
//! permission that one of a run's own requests exercised needs no access review: the answer
//! says whether authorization let it through.

use std::sync::{Arc, Mutex, PoisonError};

use http::Method;

use super::access::Permission;

/// One answered request.
#[derive(Debug, Clone)]
pub struct Answer {
    pub method: Method,
    pub path: String,
    pub status: u16,
}

/// The answers of one client, in the order they came, kept only once `start` is called: a
/// process that never asks for them (a long port-forward, a load test reading Envoy's stats)
/// keeps none.
#[derive(Debug, Clone, Default)]
pub struct Answers(Arc<Mutex<Option<Vec<Answer>>>>);

impl Answers {
    pub fn record(&self, answer: Answer) {
        if let Some(kept) = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            kept.push(answer);
        }
    }

    /// Keeps the answers from now on, and forgets those kept before.
    pub fn start(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(Vec::new());
    }

    /// The answers since the last `start`.
    pub fn kept(&self) -> Vec<Answer> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
            .unwrap_or_default()
    }
}

/// What `answer` shows of `permission`: `Some(true)` when it is a request the permission governs
/// and authorization let it through (a success, or 404: the object is looked up only after),
/// `Some(false)` when it was refused (403), `None` when it shows nothing (another request, or
/// an answer that may come before authorization: 401, 429, 5xx).
pub fn shown_by(permission: &Permission, answer: &Answer) -> Option<bool> {
    let target = Target::of(&answer.path)?;
    if target.verb(&answer.method)? != permission.verb
        || target.group != permission.group
        || target.resource() != permission.resource
        || target.namespace != permission.namespace.as_deref()
    {
        return None;
    }
    match answer.status {
        403 => Some(false),
        200..=299 | 404 => Some(true),
        _ => None,
    }
}

/// What a request path names, the way authorization reads it.
#[derive(Debug, PartialEq)]
struct Target<'a> {
    group: &'a str,
    resource: &'a str,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
    subresource: Option<&'a str>,
}

impl<'a> Target<'a> {
    /// `/api/v1/…` (the core group) or `/apis/<group>/<version>/…`, then
    /// `namespaces/<ns>/<resource>[/<name>[/<subresource>…]]` or
    /// `<resource>[/<name>[/<subresource>…]]`; anything else is not a resource request.
    fn of(path: &'a str) -> Option<Self> {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let (group, rest) = match segments.as_slice() {
            ["api", _version, rest @ ..] => ("", rest),
            ["apis", group, _version, rest @ ..] => (*group, rest),
            _ => return None,
        };
        let (namespace, rest) = match rest {
            ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(*ns), rest),
            _ => (None, rest),
        };
        let (resource, rest) = rest.split_first()?;
        if resource.is_empty() {
            return None;
        }
        Some(Self {
            group,
            resource,
            namespace,
            name: rest.first().copied(),
            subresource: rest.get(1).copied(),
        })
    }

    /// `services/proxy` for a subresource, as access reviews name it.
    fn resource(&self) -> String {
        match self.subresource {
            Some(sub) => format!("{}/{sub}", self.resource),
            None => self.resource.to_string(),
        }
    }

    /// The verb authorization checks: a GET of a collection lists it, of a name gets it.
    fn verb(&self, method: &Method) -> Option<&'static str> {
        match (method, self.name) {
            (&Method::GET, None) => Some("list"),
            (&Method::GET, Some(_)) => Some("get"),
            (&Method::POST, None) => Some("create"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(method: Method, path: &str, status: u16) -> Answer {
        Answer {
            method,
            path: path.into(),
            status,
        }
    }

    fn list(group: &str, resource: &str, ns: Option<&str>) -> Permission {
        Permission::new("list", group, resource, ns)
    }

    #[test]
    fn answers_are_kept_from_each_start_on() {
        let answers = Answers::default();
        answers.record(answer(Method::GET, "/version", 200));
        assert!(answers.kept().is_empty(), "nothing is kept before a start");
        answers.start();
        answers.record(answer(Method::GET, "/api/v1/namespaces", 200));
        answers.record(answer(Method::GET, "/api/v1/nodes", 403));
        let paths = |kept: Vec<Answer>| kept.into_iter().map(|a| a.path).collect::<Vec<_>>();
        assert_eq!(
            paths(answers.kept()),
            ["/api/v1/namespaces", "/api/v1/nodes"]
        );
        answers.start();
        assert!(
            answers.kept().is_empty(),
            "a new start forgets the answers before it"
        );
        answers.record(answer(Method::GET, "/api/v1/pods", 200));
        assert_eq!(paths(answers.kept()), ["/api/v1/pods"]);
    }

    #[test]
    fn paths_name_group_namespace_resource_name_and_subresource() {
        let target = Target::of("/api/v1/namespaces/app/services/web:8080/proxy/health");
        assert_eq!(
            target,
            Some(Target {
                group: "",
                resource: "services",
                namespace: Some("app"),
                name: Some("web:8080"),
                subresource: Some("proxy"),
            })
        );
        let target = Target::of("/apis/apps/v1/namespaces/istio-system/deployments");
        assert_eq!(
            target,
            Some(Target {
                group: "apps",
                resource: "deployments",
                namespace: Some("istio-system"),
                name: None,
                subresource: None,
            })
        );
        // The namespaces themselves are cluster-scoped: listed, or one got by name.
        let all = Target::of("/api/v1/namespaces").expect("a resource path");
        assert_eq!(
            (all.resource, all.namespace, all.name),
            ("namespaces", None, None)
        );
        let one = Target::of("/api/v1/namespaces/app").expect("a resource path");
        assert_eq!(
            (one.resource, one.namespace, one.name),
            ("namespaces", None, Some("app"))
        );
        for not_a_resource in [
            "/version",
            "/api",
            "/api/v1",
            "/apis/apps",
            "/healthz",
            "/api/v1/",
        ] {
            assert_eq!(Target::of(not_a_resource), None, "{not_a_resource}");
        }
    }

    #[test]
    fn an_answer_shows_the_permission_its_request_needed() {
        let pods = list("", "pods", Some("app"));
        let path = "/api/v1/namespaces/app/pods";
        assert_eq!(shown_by(&pods, &answer(Method::GET, path, 200)), Some(true));
        assert_eq!(shown_by(&pods, &answer(Method::GET, path, 404)), Some(true));
        assert_eq!(
            shown_by(&pods, &answer(Method::GET, path, 403)),
            Some(false)
        );
        for before_authorization in [401, 429, 500, 503, 400] {
            assert_eq!(
                shown_by(&pods, &answer(Method::GET, path, before_authorization)),
                None,
                "{before_authorization}"
            );
        }
        let proxy = Permission::new("get", "", "services/proxy", Some("app"));
        let probe = answer(
            Method::GET,
            "/api/v1/namespaces/app/services/web:80/proxy/",
            200,
        );
        assert_eq!(shown_by(&proxy, &probe), Some(true));
        let webhooks = list(
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
            None,
        );
        let listed = answer(
            Method::GET,
            "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
            403,
        );
        assert_eq!(shown_by(&webhooks, &listed), Some(false));
    }

    #[test]
    fn another_verb_group_resource_or_namespace_shows_nothing() {
        let pods = list("", "pods", Some("app"));
        let ok = |method, path: &str| shown_by(&pods, &answer(method, path, 200));
        assert_eq!(
            ok(Method::GET, "/api/v1/namespaces/app/pods/web-1"),
            None,
            "a get"
        );
        assert_eq!(
            ok(Method::POST, "/api/v1/namespaces/app/pods"),
            None,
            "a create"
        );
        assert_eq!(ok(Method::DELETE, "/api/v1/namespaces/app/pods"), None);
        assert_eq!(
            ok(Method::GET, "/api/v1/namespaces/other/pods"),
            None,
            "a namespace"
        );
        assert_eq!(ok(Method::GET, "/api/v1/pods"), None, "all namespaces");
        assert_eq!(
            ok(
                Method::GET,
                "/apis/metrics.k8s.io/v1beta1/namespaces/app/pods"
            ),
            None
        );
        assert_eq!(ok(Method::GET, "/api/v1/namespaces/app/services"), None);
        let proxy = Permission::new("get", "", "services/proxy", Some("app"));
        let plain = answer(Method::GET, "/api/v1/namespaces/app/services/web", 200);
        assert_eq!(shown_by(&proxy, &plain), None, "the Service, not its proxy");
        let create = Permission::new("create", "", "pods", Some("app"));
        let dry_run = answer(Method::POST, "/api/v1/namespaces/app/pods", 201);
        assert_eq!(shown_by(&create, &dry_run), Some(true));
    }
}
