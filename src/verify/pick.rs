//! Which routing config a request meets: the route `--route` names, else the VirtualService or
//! the HTTPRoutes that serve the request's host. HTTPRoutes of one host are taken together, as
//! the Gateway API merges them, and their rules compete by precedence.

use kube::api::DynamicObject;
use serde_json::Value;

use super::error::{Error, Result};
use crate::snapshot::json::{array, fqdn, host_matches, spec, strings};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    VirtualService,
    HttpRoute,
}

/// A route named on the command line: `NAME`, or `KIND/NAME` when both kinds have the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRef {
    pub kind: Option<RouteKind>,
    pub name: String,
}

/// The config the request meets.
pub enum Picked<'a> {
    VirtualService(&'a DynamicObject),
    /// The HTTPRoutes of the request's host (one when named).
    HttpRoutes(Vec<&'a DynamicObject>),
}

pub fn pick<'a>(
    snapshot: &'a MeshSnapshot,
    namespace: &'a str,
    wanted: Option<&RouteRef>,
    host: &str,
) -> Result<Picked<'a>> {
    let services: Vec<&DynamicObject> =
        snapshot.in_namespace("VirtualService", namespace).collect();
    let routes: Vec<&DynamicObject> = snapshot.in_namespace("HTTPRoute", namespace).collect();
    if let Some(wanted) = wanted {
        return named(namespace, wanted, &services, &routes);
    }
    let vs_matching: Vec<&DynamicObject> = services
        .iter()
        .copied()
        .filter(|vs| {
            strings(&spec(vs)["hosts"]).iter().any(|pattern| {
                host_matches(pattern, host) || fqdn(pattern, namespace) == fqdn(host, namespace)
            })
        })
        .collect();
    let named_host: Vec<&DynamicObject> = routes
        .iter()
        .copied()
        .filter(|r| serves(r, host) == Some(true))
        .collect();
    // Routes on a Gateway without hostnames serve every host: the fallback, not a rival.
    let any_host: Vec<&DynamicObject> = routes
        .iter()
        .copied()
        .filter(|r| serves(r, host) == Some(false))
        .collect();
    // A VirtualService naming the host wins over routes that name no host at all.
    let http_matching = match (named_host.is_empty(), vs_matching.is_empty()) {
        (false, _) => named_host,
        (true, true) => any_host,
        (true, false) => Vec::new(),
    };
    let label = |kind: &str, objects: &[&DynamicObject]| -> Vec<String> {
        objects
            .iter()
            .map(|o| format!("{kind}/{}", name_of(o)))
            .collect()
    };
    let (ns, host) = (namespace.to_string(), host.to_string());
    match (vs_matching.as_slice(), http_matching.is_empty()) {
        ([one], true) => Ok(Picked::VirtualService(one)),
        ([], false) => Ok(Picked::HttpRoutes(http_matching)),
        ([], true) => match (services.as_slice(), routes.is_empty()) {
            ([], true) => Err(Error::NoRoutes { namespace: ns }),
            // One virtual host in the namespace: the request can only mean it (a pod's address).
            ([only], true) => Ok(Picked::VirtualService(only)),
            ([], false) if one_virtual_host(&routes) => Ok(Picked::HttpRoutes(routes)),
            _ => {
                let mut candidates = label("VirtualService", &services);
                candidates.extend(label("HTTPRoute", &routes));
                Err(Error::NoMatchingHost {
                    namespace: ns,
                    host,
                    candidates,
                })
            }
        },
        (many, _) => {
            let mut candidates = label("VirtualService", many);
            candidates.extend(label("HTTPRoute", &http_matching));
            Err(Error::AmbiguousHost {
                namespace: ns,
                host,
                candidates,
            })
        }
    }
}

fn named<'a>(
    namespace: &str,
    wanted: &RouteRef,
    services: &[&'a DynamicObject],
    routes: &[&'a DynamicObject],
) -> Result<Picked<'a>> {
    let find =
        |objects: &[&'a DynamicObject]| objects.iter().copied().find(|o| name_of(o) == wanted.name);
    let not_found = |kind: &'static str| Error::RouteNotFound {
        kind,
        namespace: namespace.to_string(),
        name: wanted.name.clone(),
    };
    match wanted.kind {
        Some(RouteKind::VirtualService) => find(services)
            .map(Picked::VirtualService)
            .ok_or_else(|| not_found("VirtualService")),
        Some(RouteKind::HttpRoute) => find(routes)
            .map(|r| Picked::HttpRoutes(vec![r]))
            .ok_or_else(|| not_found("HTTPRoute")),
        None => match (find(services), find(routes)) {
            (Some(_), Some(_)) => Err(Error::AmbiguousName {
                namespace: namespace.to_string(),
                name: wanted.name.clone(),
            }),
            (Some(vs), None) => Ok(Picked::VirtualService(vs)),
            (None, Some(route)) => Ok(Picked::HttpRoutes(vec![route])),
            (None, None) => Err(not_found("VirtualService or HTTPRoute")),
        },
    }
}

/// Is this parentRef a Service (GAMMA: mesh routing for the Service's own traffic)?
pub fn is_service_parent(parent: &Value) -> bool {
    parent["kind"].as_str() == Some("Service") && parent["group"].as_str().unwrap_or("").is_empty()
}

/// Does the HTTPRoute serve this host? `Some(true)`: a hostname or a Service parent names it;
/// `Some(false)`: a Gateway parent and no hostnames, so every host; `None`: not this host.
fn serves(route: &DynamicObject, host: &str) -> Option<bool> {
    let namespace = namespace_of(route);
    let hostnames = strings(&spec(route)["hostnames"]);
    let mut any = false;
    for parent in array(&spec(route)["parentRefs"]) {
        if is_service_parent(parent) {
            let name = parent["name"].as_str().unwrap_or_default();
            let at = parent["namespace"].as_str().unwrap_or(namespace);
            if names_service(host, name, at) {
                return Some(true);
            }
        } else if hostnames.is_empty() {
            any = true;
        } else if hostnames.iter().any(|h| host_matches(h, host)) {
            return Some(true);
        }
    }
    any.then_some(false)
}

/// `name`, `name.ns`, `name.ns.svc` and `name.ns.svc.cluster.local` name the Service.
fn names_service(host: &str, name: &str, namespace: &str) -> bool {
    let full = format!("{name}.{namespace}.svc.cluster.local");
    [
        name.to_string(),
        format!("{name}.{namespace}"),
        format!("{name}.{namespace}.svc"),
        full,
    ]
    .iter()
    .any(|form| form == host)
}

/// Do the routes all serve the same hosts from the same parents (one virtual host)?
fn one_virtual_host(routes: &[&DynamicObject]) -> bool {
    let key = |route: &DynamicObject| {
        let mut hostnames = strings(&spec(route)["hostnames"]);
        hostnames.sort();
        let mut parents: Vec<String> = array(&spec(route)["parentRefs"])
            .iter()
            .map(|p| {
                let at = p["namespace"].as_str().unwrap_or(namespace_of(route));
                format!(
                    "{}/{at}/{}",
                    p["kind"].as_str().unwrap_or("Gateway"),
                    p["name"]
                )
            })
            .collect();
        parents.sort();
        (hostnames, parents)
    };
    routes.windows(2).all(|pair| key(pair[0]) == key(pair[1]))
}

/// `--route`'s value: `NAME`, `HTTPRoute/NAME` or `VirtualService/NAME` (kinds as kubectl takes
/// them: any case, plural, short or with their group).
pub fn parse_route(text: &str) -> Result<RouteRef, String> {
    let (kind, name) = match text.split_once('/') {
        Some((kind, name)) => (Some(kind), name),
        None => (None, text),
    };
    if name.is_empty() {
        return Err(format!("{text:?}: give NAME or KIND/NAME"));
    }
    let kind = match kind.map(|k| k.split('.').next().unwrap_or(k).to_ascii_lowercase()) {
        None => None,
        Some(k) if ["virtualservice", "virtualservices", "vs"].contains(&k.as_str()) => {
            Some(RouteKind::VirtualService)
        }
        Some(k) if ["httproute", "httproutes"].contains(&k.as_str()) => Some(RouteKind::HttpRoute),
        Some(k) => {
            return Err(format!(
                "{k:?} is not a route kind: HTTPRoute/NAME or VirtualService/NAME"
            ));
        }
    };
    Ok(RouteRef {
        kind,
        name: name.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec: {hosts: [www.example.com], http: [{route: [{destination: {host: web}}]}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: shop}
spec:
  parentRefs: [{kind: Service, group: '', name: reviews}]
  rules: [{backendRefs: [{name: reviews, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: store, namespace: shop}
spec:
  parentRefs: [{name: edge, namespace: infra}]
  hostnames: ['*.store.example.com']
  rules: [{backendRefs: [{name: store, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: catch-all, namespace: shop}
spec:
  parentRefs: [{name: edge, namespace: infra}]
  rules: [{backendRefs: [{name: fallback, port: 80}]}]
";

    fn picked(yaml: &str, host: &str) -> Result<Vec<String>> {
        let snapshot = MeshSnapshot::from_yaml(yaml, "shop");
        Ok(match pick(&snapshot, "shop", None, host)? {
            Picked::VirtualService(vs) => vec![format!("VirtualService/{}", name_of(vs))],
            Picked::HttpRoutes(routes) => routes
                .iter()
                .map(|r| format!("HTTPRoute/{}", name_of(r)))
                .collect(),
        })
    }

    #[test]
    fn the_host_picks_a_virtual_service_or_the_httproutes_that_name_it() {
        let pick = |host| picked(MIXED, host).expect("picked");
        assert_eq!(pick("www.example.com"), ["VirtualService/web"]);
        for host in [
            "reviews",
            "reviews.shop",
            "reviews.shop.svc",
            "reviews.shop.svc.cluster.local",
        ] {
            assert_eq!(pick(host), ["HTTPRoute/reviews"], "{host}");
        }
        assert_eq!(pick("eu.store.example.com"), ["HTTPRoute/store"]);
        // A Gateway route without hostnames serves what nothing names.
        assert_eq!(pick("other.example.com"), ["HTTPRoute/catch-all"]);
        assert_eq!(pick("reviews.other"), ["HTTPRoute/catch-all"]);
    }

    #[test]
    fn a_host_both_kinds_serve_is_ambiguous_and_none_at_all_is_said() {
        let both = format!(
            "{MIXED}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: www, namespace: shop}}
spec:
  parentRefs: [{{name: edge, namespace: infra}}]
  hostnames: [www.example.com]
"
        );
        match picked(&both, "www.example.com") {
            Err(Error::AmbiguousHost { candidates, .. }) => {
                assert_eq!(candidates, ["VirtualService/web", "HTTPRoute/www"])
            }
            other => panic!("not ambiguous: {:?}", other.map_err(|e| e.to_string())),
        }
        let nothing = "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n";
        assert!(matches!(picked(nothing, "x"), Err(Error::NoRoutes { .. })));
    }

    #[test]
    fn routes_of_one_virtual_host_serve_a_request_to_an_address() {
        let one_host = "
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: shop}
spec: {parentRefs: [{name: edge}], hostnames: [shop.example.com]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: health, namespace: shop}
spec: {parentRefs: [{name: edge}], hostnames: [shop.example.com]}
";
        assert_eq!(
            picked(one_host, "10.1.2.3").expect("picked"),
            ["HTTPRoute/api", "HTTPRoute/health"]
        );
        let two_hosts = one_host.replacen("shop.example.com", "api.example.com", 1);
        match picked(&two_hosts, "10.1.2.3") {
            Err(Error::NoMatchingHost { candidates, .. }) => {
                assert_eq!(candidates, ["HTTPRoute/api", "HTTPRoute/health"])
            }
            other => panic!("not NoMatchingHost: {:?}", other.map_err(|e| e.to_string())),
        }
    }

    #[test]
    fn a_route_is_named_with_or_without_its_kind() {
        let with = |kind, name: &str| RouteRef {
            kind,
            name: name.into(),
        };
        assert_eq!(parse_route("api"), Ok(with(None, "api")));
        for text in [
            "HTTPRoute/api",
            "httproutes/api",
            "httproute.gateway.networking.k8s.io/api",
        ] {
            assert_eq!(
                parse_route(text),
                Ok(with(Some(RouteKind::HttpRoute), "api")),
                "{text}"
            );
        }
        assert_eq!(
            parse_route("vs/api"),
            Ok(with(Some(RouteKind::VirtualService), "api"))
        );
        assert!(parse_route("Gateway/api").is_err());
        assert!(parse_route("HTTPRoute/").is_err());
    }
}
