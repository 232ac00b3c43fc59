//! An HTTPRoute's expectations: of the routes that serve the request's host, the rule whose match
//! wins by the Gateway API's precedence as istiod orders it (exact path, then prefix, then regex,
//! the longer value first; a method; most headers; most query parameters; rules without matches
//! last; ties to the oldest route, then `namespace/name`, then rule order), and its
//! backendRefs' weights, each named by the `version` its Service selects (one Service per version
//! is how a canary is written in the Gateway API).

use kube::api::DynamicObject;
use serde_json::Value;

use super::expected::{Expectations, split_of};
use super::request::RequestShape;
use crate::snapshot::json::{array, spec};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

/// The winning rule: its route, its index and the rule itself.
pub struct Chosen<'a> {
    pub route: &'a DynamicObject,
    pub index: usize,
    pub rule: &'a Value,
}

/// How specific a match is, compared in this order; the larger wins.
type Precedence = (u8, usize, bool, usize, usize);

/// The rule of `routes` that serves the request, by the Gateway API's precedence.
pub fn choose<'a>(routes: &[&'a DynamicObject], request: &RequestShape<'_>) -> Option<Chosen<'a>> {
    let mut ordered: Vec<&DynamicObject> = routes.to_vec();
    // Oldest first, then by namespace/name: the spec's tie-breakers (files carry no timestamps).
    ordered.sort_by(|a, b| {
        let key = |o: &DynamicObject| {
            (
                o.metadata.creation_timestamp.as_ref().map(|t| t.0),
                format!("{}/{}", namespace_of(o), name_of(o)),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut best: Option<(Precedence, Chosen<'a>)> = None;
    for route in ordered {
        for (index, rule) in array(&spec(route)["rules"]).iter().enumerate() {
            let precedence = match_precedence(rule, request);
            let Some(precedence) = precedence else {
                continue;
            };
            if best.as_ref().is_none_or(|(b, _)| precedence > *b) {
                best = Some((precedence, Chosen { route, index, rule }));
            }
        }
    }
    best.map(|(_, chosen)| chosen)
}

/// The precedence of the rule's most specific match that fits the request; `None` when none does.
/// A rule without matches takes every request, after every rule with matches. A match without a
/// path is `PathPrefix /`, as the CRD defaults it.
fn match_precedence(rule: &Value, request: &RequestShape<'_>) -> Option<Precedence> {
    let matches = array(&rule["matches"]);
    if matches.is_empty() {
        return Some((0, 0, false, 0, 0));
    }
    matches
        .iter()
        .filter(|m| fits(m, request))
        .map(|m| {
            let path = &m["path"];
            let value = path["value"].as_str().unwrap_or("/");
            let rank = match path["type"].as_str().unwrap_or("PathPrefix") {
                "Exact" => 3,
                "PathPrefix" => 2,
                _ => 1,
            };
            (
                rank,
                value.len(),
                m["method"].is_string(),
                array(&m["headers"]).len(),
                array(&m["queryParams"]).len(),
            )
        })
        .max()
}

/// Does one HTTPRouteMatch fit the request? Every condition it gives must hold.
fn fits(condition: &Value, request: &RequestShape<'_>) -> bool {
    let path = &condition["path"];
    let value = path["value"].as_str().unwrap_or("/");
    let path_ok = match path["type"].as_str().unwrap_or("PathPrefix") {
        "Exact" => request.path == value,
        "RegularExpression" => full_match(value, request.path),
        _ => path_prefix(value, request.path),
    };
    let method_ok = condition["method"]
        .as_str()
        .is_none_or(|m| m == request.method.as_str());
    let headers_ok = array(&condition["headers"]).iter().all(|h| {
        let name = h["name"].as_str().unwrap_or_default();
        request.header(name).is_some_and(|v| value_matches(h, v))
    });
    let query_ok = array(&condition["queryParams"]).iter().all(|q| {
        let name = q["name"].as_str().unwrap_or_default();
        request
            .query_param(name)
            .is_some_and(|v| value_matches(q, v))
    });
    path_ok && method_ok && headers_ok && query_ok
}

/// `PathPrefix` matches whole path elements: `/api` matches `/api` and `/api/x`, not `/apix`.
fn path_prefix(prefix: &str, path: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// A header or query parameter match: `Exact` (the default) or `RegularExpression`.
fn value_matches(rule: &Value, value: &str) -> bool {
    let wanted = rule["value"].as_str().unwrap_or_default();
    match rule["type"].as_str().unwrap_or("Exact") {
        "RegularExpression" => full_match(wanted, value),
        _ => value == wanted,
    }
}

/// A regular expression that must match the whole value, as Envoy applies RE2 patterns.
pub fn full_match(pattern: &str, value: &str) -> bool {
    regex::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(value))
}

/// The expectations of the chosen rule.
pub fn expectations(snapshot: &MeshSnapshot, chosen: &Chosen<'_>) -> Expectations {
    let ns = namespace_of(chosen.route);
    let backends = array(&chosen.rule["backendRefs"]);
    let weighted = backends
        .iter()
        .map(|b| {
            let weight = b["weight"].as_f64().unwrap_or(1.0);
            (backend_version(snapshot, ns, b), weight)
        })
        .collect();
    let mut destinations: Vec<String> = backends
        .iter()
        .filter(|b| is_service(b))
        .filter_map(|b| {
            let name = b["name"].as_str()?;
            let at = b["namespace"].as_str().unwrap_or(ns);
            Some(format!("{name}.{at}.svc.cluster.local"))
        })
        .collect();
    destinations.dedup();
    let rule_name = chosen.rule["name"]
        .as_str()
        .map(|n| format!(" {n:?}"))
        .unwrap_or_default();
    Expectations {
        source: format!(
            "HTTPRoute {ns}/{}, rule {}{rule_name}",
            name_of(chosen.route),
            chosen.index
        ),
        split: split_of(weighted),
        faults: None,
        destinations,
        warnings: Vec::new(),
    }
}

/// A backendRef to a core Service (the default kind).
fn is_service(backend: &Value) -> bool {
    backend["kind"].as_str().unwrap_or("Service") == "Service"
        && backend["group"].as_str().unwrap_or("").is_empty()
}

/// The version a backend serves: the `version` its Service selects, else the Service's name.
fn backend_version(snapshot: &MeshSnapshot, namespace: &str, backend: &Value) -> String {
    let name = backend["name"].as_str().unwrap_or_default();
    let at = backend["namespace"].as_str().unwrap_or(namespace);
    is_service(backend)
        .then(|| snapshot.find("Service", at, name))
        .flatten()
        .and_then(|svc| spec(svc)["selector"]["version"].as_str())
        .unwrap_or(name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue, Method};

    use super::*;

    const ROUTES: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b-shop, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - name: everything
    backendRefs: [{name: shop, port: 80}]
  - name: api
    matches: [{path: {type: PathPrefix, value: /api/}}]
    backendRefs: [{name: api, port: 80}]
  - name: api-v2-exact
    matches: [{path: {type: Exact, value: /api/v2}}]
    backendRefs: [{name: api-v2, port: 80}]
  - name: canary-header
    matches:
    - path: {value: /api/}
      headers: [{name: X-Canary, value: 'yes'}]
    - path: {type: RegularExpression, value: '/beta/[0-9]+'}
    backendRefs: [{name: canary, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a-shop, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - name: api-posts
    matches: [{path: {value: /api/}, method: POST}]
    backendRefs: [{name: writer, port: 80}]
  - name: debug
    matches: [{path: {value: /api/}, queryParams: [{name: debug, value: '1'}]}]
    backendRefs: [{name: debug, port: 80}]
";

    fn chosen(method: Method, path: &str, query: Option<&str>, canary: bool) -> String {
        let snapshot = MeshSnapshot::from_yaml(ROUTES, "shop");
        let routes: Vec<&DynamicObject> = snapshot.of_kind("HTTPRoute").collect();
        let mut headers = HeaderMap::new();
        if canary {
            headers.insert("x-canary", HeaderValue::from_static("yes"));
        }
        let request = RequestShape {
            host: "shop.example.com",
            path,
            query,
            method: &method,
            headers: &headers,
        };
        let chosen = choose(&routes, &request).expect("a rule");
        let name = chosen.rule["name"].as_str().unwrap_or_default();
        format!("{}/{name}", name_of(chosen.route))
    }

    #[test]
    fn the_most_specific_match_wins_across_routes_whatever_the_order() {
        let get = |path| chosen(Method::GET, path, None, false);
        assert_eq!(get("/"), "b-shop/everything");
        assert_eq!(
            get("/apix"),
            "b-shop/everything",
            "prefixes match whole elements"
        );
        assert_eq!(get("/api/orders"), "b-shop/api");
        assert_eq!(get("/api"), "b-shop/api", "a trailing slash is no element");
        assert_eq!(
            get("/api/v2"),
            "b-shop/api-v2-exact",
            "exact beats any prefix"
        );
        assert_eq!(get("/beta/12"), "b-shop/canary-header");
        assert_eq!(
            get("/beta/x"),
            "b-shop/everything",
            "the regex matches the whole path"
        );
        // Same prefix length: a method beats no method, headers beat none.
        assert_eq!(
            chosen(Method::POST, "/api/x", None, false),
            "a-shop/api-posts"
        );
        assert_eq!(
            chosen(Method::GET, "/api/x", None, true),
            "b-shop/canary-header"
        );
        assert_eq!(
            chosen(Method::GET, "/api/x", Some("a=b&debug=1"), false),
            "a-shop/debug"
        );
        assert_eq!(
            chosen(Method::GET, "/api/x", Some("debug=2"), false),
            "b-shop/api"
        );
    }

    #[test]
    fn equal_matches_go_to_the_oldest_route_then_by_name() {
        let yaml = "
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a-new, namespace: shop, creationTimestamp: '2026-02-01T00:00:00Z'}
spec:
  rules: [{backendRefs: [{name: new, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: z-old, namespace: shop, creationTimestamp: '2025-01-01T00:00:00Z'}
spec:
  rules: [{backendRefs: [{name: old, port: 80}]}]
";
        let snapshot = MeshSnapshot::from_yaml(yaml, "shop");
        let routes: Vec<&DynamicObject> = snapshot.of_kind("HTTPRoute").collect();
        let request = RequestShape {
            host: "h",
            path: "/",
            query: None,
            method: &Method::GET,
            headers: &HeaderMap::new(),
        };
        let chosen = choose(&routes, &request).expect("a rule");
        assert_eq!(name_of(chosen.route), "z-old");
    }

    #[test]
    fn backends_are_named_by_the_version_their_service_selects() {
        let yaml = "
apiVersion: v1
kind: Service
metadata: {name: shop-stable, namespace: shop}
spec: {selector: {app: shop, version: v1}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - backendRefs:
    - {name: shop-stable, port: 80, weight: 70}
    - {name: shop-next, port: 80, weight: 20}
    - {name: shop-next, namespace: other, port: 80}
    - {name: bucket, kind: Backend, group: example.com, weight: 0}
";
        let snapshot = MeshSnapshot::from_yaml(yaml, "shop");
        let routes: Vec<&DynamicObject> = snapshot.of_kind("HTTPRoute").collect();
        let request = RequestShape {
            host: "h",
            path: "/",
            query: None,
            method: &Method::GET,
            headers: &HeaderMap::new(),
        };
        let chosen = choose(&routes, &request).expect("a rule");
        let found = expectations(&snapshot, &chosen);
        // The weight defaults to 1; the Service in `other` is not in the input: its name.
        let split = found.split.expect("a split");
        let names: Vec<&str> = split.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(names, ["v1", "shop-next"]);
        assert!((split[0].1 - 70.0 / 91.0 * 100.0).abs() < 1e-9, "{split:?}");
        assert_eq!(
            found.destinations,
            [
                "shop-stable.shop.svc.cluster.local",
                "shop-next.shop.svc.cluster.local",
                "shop-next.other.svc.cluster.local"
            ]
        );
    }
}
