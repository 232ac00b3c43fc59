//! What the mesh config says a request should meet (`--from-config`): the route the request
//! meets (a VirtualService's HTTP route, or an HTTPRoute's rule), its weights per version, its
//! fault injection, and whether the mesh can apply it to traffic-test's requests at all.

use serde::Serialize;

use super::error::{Error, Result};
use super::pick::{Picked, RouteRef, pick};
use super::reach::{self, RoutingWarning};
use super::request::RequestShape;
use super::{ExpectedFaults, Weights, http_route, virtual_service};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

#[derive(Debug, Clone, Serialize)]
pub struct Expectations {
    /// `VirtualService ns/name, http route 0 "api-routes"` or `HTTPRoute ns/name, rule 0 "api"`.
    pub source: String,
    /// Weights per version; absent when the route has one destination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Weights>,
    #[serde(skip)]
    pub faults: Option<ExpectedFaults>,
    /// Destination hosts, fully qualified.
    pub destinations: Vec<String>,
    /// Why the mesh may not apply the route to the requests sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<RoutingWarning>,
}

/// Finds the route the request meets (`wanted`, or the one whose hosts match the request) and
/// what it promises.
pub fn from_snapshot(
    snapshot: &MeshSnapshot,
    namespace: &str,
    wanted: Option<&RouteRef>,
    request: &RequestShape<'_>,
) -> Result<Expectations> {
    let (mut expectations, route) = match pick(snapshot, namespace, wanted, request.host)? {
        Picked::VirtualService(service) => (
            virtual_service::expectations(snapshot, service, request)?,
            service,
        ),
        Picked::HttpRoutes(routes) => {
            let chosen = http_route::choose(&routes, request).ok_or_else(|| {
                let names: Vec<String> = routes
                    .iter()
                    .map(|r| format!("{}/{}", namespace_of(r), name_of(r)))
                    .collect();
                Error::NoRoute {
                    kind: "HTTPRoute",
                    routes: names.join(", "),
                    method: request.method.clone(),
                    path: request.path.to_string(),
                }
            })?;
            (http_route::expectations(snapshot, &chosen), chosen.route)
        }
    };
    expectations.warnings = reach::warnings(snapshot, route);
    Ok(expectations)
}

/// The expected split of a route's weighted destinations, in the order written: weights of one
/// version added up, versions weighted 0 left out (a response from one fails the split, since it
/// should get nothing). `None` when the route has one destination, or no weight at all.
pub fn split_of(weighted: Vec<(String, f64)>) -> Option<Weights> {
    if weighted.len() < 2 {
        return None;
    }
    let mut merged: Weights = Vec::new();
    for (version, weight) in weighted {
        match merged.iter_mut().find(|(v, _)| *v == version) {
            Some((_, sum)) => *sum += weight,
            None => merged.push((version, weight)),
        }
    }
    merged.retain(|(_, weight)| *weight > 0.0);
    let total: f64 = merged.iter().map(|(_, w)| w).sum();
    (total > 0.0).then(|| {
        merged
            .into_iter()
            .map(|(version, weight)| (version, 100.0 * weight / total))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use http::{HeaderMap, Method};

    use super::*;
    use crate::manifests::{self, MeshConfig};

    const CONFIG: &str = r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop-vs, namespace: shop}
spec:
  hosts: [shop.example.com]
  http:
  - name: admin
    match: [{uri: {prefix: /admin}}]
    route: [{destination: {host: admin}}]
  - name: api-routes
    match: [{uri: {prefix: /api}, headers: {x-canary: {exact: "yes"}}}, {uri: {prefix: /v2}}]
    fault:
      abort: {httpStatus: 503, percentage: {value: 5}}
      delay: {fixedDelay: 2s, percentage: {value: 10}}
    route:
    - {destination: {host: shop, subset: stable}, weight: 90}
    - {destination: {host: shop, subset: canary}, weight: 10}
  - name: default
    route: [{destination: {host: shop, subset: stable}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: shop-dr, namespace: shop}
spec:
  host: shop
  subsets:
  - {name: stable, labels: {version: v1}}
  - {name: canary, labels: {version: v2}}
"#;

    fn snapshot() -> MeshSnapshot {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("mesh.yaml");
        std::fs::write(&path, CONFIG).expect("write");
        crate::snapshot::from_paths(&[path], "shop").expect("snapshot")
    }

    fn expect(path: &str, headers: &[(&'static str, &'static str)]) -> Result<Expectations> {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, http::HeaderValue::from_static(v));
        }
        let request = RequestShape {
            host: "shop.example.com",
            path,
            query: None,
            method: &Method::GET,
            headers: &map,
        };
        from_snapshot(&snapshot(), "shop", None, &request)
    }

    #[test]
    fn the_matching_route_gives_version_weights_and_faults() {
        let found = expect("/api/orders", &[("x-canary", "yes")]).expect("a route");
        assert_eq!(
            found.source,
            "VirtualService shop/shop-vs, http route 1 \"api-routes\""
        );
        assert_eq!(
            found.split,
            Some(vec![("v1".to_string(), 90.0), ("v2".to_string(), 10.0)])
        );
        let faults = found.faults.expect("faults");
        assert_eq!(faults.abort_pct, Some(5.0));
        assert_eq!(faults.abort_status, 503);
        assert_eq!(faults.delay, Some((10.0, Duration::from_secs(2))));
        assert_eq!(found.destinations, vec!["shop.shop.svc.cluster.local"]);
    }

    #[test]
    fn a_request_that_misses_a_header_falls_through_to_the_default_route() {
        let found = expect("/api/orders", &[]).expect("a route");
        assert!(
            found.source.ends_with("http route 2 \"default\""),
            "{}",
            found.source
        );
        assert_eq!(found.split, None);
        assert!(found.faults.is_none());
        let admin = expect("/admin/users", &[]).expect("a route");
        assert_eq!(admin.destinations, vec!["admin.shop.svc.cluster.local"]);
    }

    #[test]
    fn a_host_no_virtual_service_serves_is_an_error_naming_the_candidates() {
        let mut snap = snapshot();
        let mut second = snap.objects()[0].clone();
        second.metadata.name = Some("other-vs".into());
        snap.push(second);
        let request = RequestShape {
            host: "unknown.example.com",
            path: "/",
            query: None,
            method: &Method::GET,
            headers: &HeaderMap::new(),
        };
        let err = from_snapshot(&snap, "shop", None, &request).expect_err("ambiguous");
        match err {
            Error::NoMatchingHost {
                namespace,
                host,
                candidates,
            } => {
                assert_eq!(
                    (namespace.as_str(), host.as_str()),
                    ("shop", "unknown.example.com")
                );
                assert_eq!(
                    candidates,
                    vec!["VirtualService/shop-vs", "VirtualService/other-vs"]
                );
            }
            other => panic!("not NoMatchingHost: {other}"),
        }
    }

    /// Objects as one YAML stream (JSON documents are YAML).
    fn stream(objects: impl IntoIterator<Item = serde_json::Value>) -> String {
        objects.into_iter().map(|o| format!("---\n{o}\n")).collect()
    }

    fn api_request<'a>(host: &'a str, headers: &'a HeaderMap) -> RequestShape<'a> {
        RequestShape {
            host,
            path: "/api/v1/revenue/daily",
            query: None,
            method: &Method::GET,
            headers,
        }
    }

    #[test]
    fn the_gateway_api_rendering_gives_the_same_split_as_the_virtual_service_one() {
        let config = MeshConfig::parse(
            "namespace: shop\ncanary: {enabled: true, weights: {v1: 85, v2: 15}}\n",
            "test",
        )
        .expect("config");
        let istio = manifests::render(&config).expect("render");
        let gateway_api = manifests::render_gateway_api(&config).expect("render");
        let headers = HeaderMap::new();
        let request = api_request("revenue-engine.tradingrobotplug.com", &headers);
        let from = |objects: Vec<serde_json::Value>| {
            let snapshot = MeshSnapshot::from_yaml(&stream(objects), "shop");
            from_snapshot(&snapshot, "shop", None, &request).expect("expectations")
        };
        let vs = from(istio.into_iter().map(|m| m.object).collect());
        let routes = from(
            gateway_api
                .manifests
                .into_iter()
                .map(|m| m.object)
                .collect(),
        );
        assert!(
            vs.source.starts_with("VirtualService shop/"),
            "{}",
            vs.source
        );
        assert_eq!(
            routes.source,
            "HTTPRoute shop/revenue-engine-api, rule 0 \"api-routes\""
        );
        let expected = Some(vec![("v2".to_string(), 15.0), ("v1".to_string(), 85.0)]);
        assert_eq!(vs.split, expected);
        assert_eq!(routes.split, expected);
        assert_eq!(
            routes.destinations,
            vec![
                "revenue-engine-service-v2.shop.svc.cluster.local",
                "revenue-engine-service-v1.shop.svc.cluster.local"
            ]
        );
        // Both bind the ingress gateway: the mesh applies them to what comes through it.
        assert_eq!(vs.warnings, vec![]);
        assert_eq!(routes.warnings, vec![]);
        // Without --host the request names no host of the routes: the namespace's one virtual
        // host still serves it, and the health route's exact path beats nothing else.
        let by_address = RequestShape {
            path: "/health",
            ..api_request("10.0.0.7", &headers)
        };
        let snapshot = MeshSnapshot::from_yaml(
            &stream(
                manifests::render_gateway_api(&config)
                    .expect("render")
                    .manifests
                    .into_iter()
                    .map(|m| m.object),
            ),
            "shop",
        );
        let health = from_snapshot(&snapshot, "shop", None, &by_address).expect("a route");
        assert_eq!(
            health.source,
            "HTTPRoute shop/revenue-engine-health, rule 0 \"health-check\""
        );
        assert_eq!(health.split, None);
    }

    #[test]
    fn a_version_weighted_zero_is_left_out_so_any_response_from_it_fails_the_split() {
        let snapshot = MeshSnapshot::from_yaml(
            &CONFIG
                .replace("weight: 10", "weight: 0")
                .replace("weight: 90", "weight: 100"),
            "shop",
        );
        let mut headers = HeaderMap::new();
        headers.insert("x-canary", http::HeaderValue::from_static("yes"));
        let request = RequestShape {
            host: "shop.example.com",
            path: "/api",
            query: None,
            method: &Method::GET,
            headers: &headers,
        };
        let found = from_snapshot(&snapshot, "shop", None, &request).expect("a route");
        let split = found.split.expect("a split");
        assert_eq!(split, vec![("v1".to_string(), 100.0)]);
        let versions = [("v1".to_string(), 990), ("v2".to_string(), 10)].into();
        assert_eq!(
            crate::verify::check_split(&versions, &split).verdict,
            crate::verify::Verdict::Fail
        );
    }

    #[test]
    fn weights_of_one_version_add_up_and_one_destination_is_no_split() {
        let split = split_of(vec![
            ("v1".into(), 1.0),
            ("v2".into(), 2.0),
            ("v1".into(), 1.0),
        ]);
        assert_eq!(split, Some(vec![("v1".into(), 50.0), ("v2".into(), 50.0)]));
        assert_eq!(split_of(vec![("v1".into(), 100.0)]), None);
        assert_eq!(split_of(vec![("v1".into(), 0.0), ("v2".into(), 0.0)]), None);
    }

    #[test]
    fn a_route_named_with_its_kind_is_read_whatever_the_host() {
        let mut yaml = CONFIG.to_string();
        yaml.push_str(
            "---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop-vs, namespace: shop}
spec:
  parentRefs: [{kind: Service, group: '', name: shop}]
  rules:
  - backendRefs: [{name: shop-v1, port: 80, weight: 3}, {name: shop-v2, port: 80, weight: 1}]
",
        );
        let snapshot = MeshSnapshot::from_yaml(&yaml, "shop");
        let headers = HeaderMap::new();
        let request = api_request("elsewhere.example.com", &headers);
        let route = |text: &str| crate::verify::parse_route(text).expect("route");
        let err = from_snapshot(&snapshot, "shop", Some(&route("shop-vs")), &request)
            .expect_err("two kinds have the name");
        assert!(matches!(err, Error::AmbiguousName { .. }), "{err}");
        let http = from_snapshot(
            &snapshot,
            "shop",
            Some(&route("httproute/shop-vs")),
            &request,
        )
        .expect("the HTTPRoute");
        assert_eq!(http.source, "HTTPRoute shop/shop-vs, rule 0");
        assert_eq!(
            http.split,
            Some(vec![("shop-v1".into(), 75.0), ("shop-v2".into(), 25.0)])
        );
        let vs = from_snapshot(
            &snapshot,
            "shop",
            Some(&route("VirtualService/shop-vs")),
            &request,
        )
        .expect("the VirtualService");
        assert!(vs.source.starts_with("VirtualService"), "{}", vs.source);
        let missing = from_snapshot(&snapshot, "shop", Some(&route("HTTPRoute/nope")), &request)
            .expect_err("absent");
        assert_eq!(missing.to_string(), "HTTPRoute shop/nope not found");
    }
}
