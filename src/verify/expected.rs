//! What the mesh config says a request should meet (`--from-config`): the VirtualService for the
//! request's host, its first HTTP route that matches the request the way Envoy would pick it, the
//! route's weights (named by the DestinationRule subset's `version` label) and its fault injection.

use std::time::Duration;

use kube::api::DynamicObject;
use serde::Serialize;
use serde_json::Value;

use super::error::{Error, FaultProblem, Result};
use super::request::RequestShape;
use super::{ExpectedFaults, Weights};
use crate::snapshot::json::{array, fqdn, host_matches, spec, strings};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

#[derive(Debug, Clone, Serialize)]
pub struct Expectations {
    /// `VirtualService ns/name, http route 0 "api-routes"`.
    pub source: String,
    /// Weights per version; absent when the route has one destination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<Weights>,
    #[serde(skip)]
    pub faults: Option<ExpectedFaults>,
    /// Destination hosts, fully qualified.
    pub destinations: Vec<String>,
}

/// Finds the VirtualService (`name`, or the one whose hosts match the request) and its route.
pub fn from_snapshot(
    snapshot: &MeshSnapshot,
    namespace: &str,
    name: Option<&str>,
    request: &RequestShape<'_>,
) -> Result<Expectations> {
    let service = pick_virtual_service(snapshot, namespace, name, request.host)?;
    let ns = namespace_of(service);
    let routes = array(&spec(service)["http"]);
    let (index, route) = routes
        .iter()
        .enumerate()
        .find(|(_, route)| route_matches(route, request))
        .ok_or_else(|| Error::NoRoute {
            namespace: ns.to_string(),
            name: name_of(service).to_string(),
            method: request.method.clone(),
            path: request.path.to_string(),
        })?;
    let route_name = route["name"]
        .as_str()
        .map(|n| format!(" {n:?}"))
        .unwrap_or_default();
    let weighted = weighted_versions(snapshot, ns, route);
    let total: f64 = weighted.iter().map(|(_, w)| w).sum();
    let split = (weighted.len() > 1 && total > 0.0).then(|| {
        weighted
            .iter()
            .map(|(version, weight)| (version.clone(), 100.0 * weight / total))
            .collect()
    });
    let mut destinations: Vec<String> = array(&route["route"])
        .iter()
        .filter_map(|d| d["destination"]["host"].as_str())
        .map(|host| fqdn(host, ns))
        .collect();
    destinations.dedup();
    Ok(Expectations {
        source: format!(
            "VirtualService {ns}/{}, http route {index}{route_name}",
            name_of(service)
        ),
        split,
        faults: faults(&route["fault"]).map_err(|problem| Error::Fault {
            namespace: ns.to_string(),
            name: name_of(service).to_string(),
            problem,
        })?,
        destinations,
    })
}

fn pick_virtual_service<'a>(
    snapshot: &'a MeshSnapshot,
    namespace: &'a str,
    name: Option<&str>,
    host: &str,
) -> Result<&'a DynamicObject> {
    let candidates: Vec<&DynamicObject> =
        snapshot.in_namespace("VirtualService", namespace).collect();
    if let Some(name) = name {
        return candidates
            .into_iter()
            .find(|vs| name_of(vs) == name)
            .ok_or_else(|| Error::VirtualServiceNotFound {
                namespace: namespace.to_string(),
                name: name.to_string(),
            });
    }
    let matching: Vec<&DynamicObject> = candidates
        .iter()
        .copied()
        .filter(|vs| {
            strings(&spec(vs)["hosts"]).iter().any(|pattern| {
                host_matches(pattern, host) || fqdn(pattern, namespace) == fqdn(host, namespace)
            })
        })
        .collect();
    let names =
        |services: &[&DynamicObject]| services.iter().map(|s| name_of(s).to_string()).collect();
    let (namespace, host) = (namespace.to_string(), host.to_string());
    match (matching.as_slice(), candidates.as_slice()) {
        ([one], _) => Ok(one),
        ([], [only]) => Ok(only),
        ([], []) => Err(Error::NoVirtualService { namespace }),
        ([], _) => Err(Error::NoMatchingHost {
            namespace,
            host,
            candidates: names(&candidates),
        }),
        (many, _) => Err(Error::AmbiguousHost {
            namespace,
            host,
            candidates: names(many),
        }),
    }
}

/// An HTTP route applies when it has no match block or any of its matches fits the request.
fn route_matches(route: &Value, request: &RequestShape<'_>) -> bool {
    let matches = array(&route["match"]);
    matches.is_empty() || matches.iter().any(|m| one_match(m, request))
}

fn one_match(condition: &Value, request: &RequestShape<'_>) -> bool {
    let uri_ok = string_match(&condition["uri"], request.path);
    let method_ok = string_match(&condition["method"], request.method.as_str());
    let authority_ok = string_match(&condition["authority"], request.host);
    let headers_ok = condition["headers"].as_object().is_none_or(|headers| {
        headers.iter().all(|(name, rule)| {
            match request
                .headers
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
            {
                Some(value) => string_match(rule, value),
                None => false,
            }
        })
    });
    uri_ok && method_ok && authority_ok && headers_ok
}

/// Istio's StringMatch: exact, prefix or RE2 regex; an absent rule matches anything.
fn string_match(rule: &Value, value: &str) -> bool {
    if rule.is_null() {
        return true;
    }
    if let Some(exact) = rule["exact"].as_str() {
        return value == exact;
    }
    if let Some(prefix) = rule["prefix"].as_str() {
        return value.starts_with(prefix);
    }
    if let Some(pattern) = rule["regex"].as_str() {
        return regex::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(value));
    }
    true
}

/// Each destination's weight, named by the version label of its subset (or the subset, or host).
fn weighted_versions(
    snapshot: &MeshSnapshot,
    namespace: &str,
    route: &Value,
) -> Vec<(String, f64)> {
    let destinations = array(&route["route"]);
    let single = destinations.len() == 1;
    destinations
        .iter()
        .map(|d| {
            let host = d["destination"]["host"].as_str().unwrap_or("");
            let version = match d["destination"]["subset"].as_str() {
                Some(subset) => subset_version(snapshot, namespace, host, subset),
                None => host.to_string(),
            };
            let weight = d["weight"]
                .as_f64()
                .unwrap_or(if single { 100.0 } else { 0.0 });
            (version, weight)
        })
        .collect()
}

fn subset_version(snapshot: &MeshSnapshot, namespace: &str, host: &str, subset: &str) -> String {
    let target = fqdn(host, namespace);
    snapshot
        .of_kind("DestinationRule")
        .filter(|dr| {
            spec(dr)["host"]
                .as_str()
                .is_some_and(|h| fqdn(h, namespace_of(dr)) == target)
        })
        .flat_map(|dr| array(&spec(dr)["subsets"]))
        .find(|s| s["name"].as_str() == Some(subset))
        .and_then(|s| s["labels"]["version"].as_str())
        .unwrap_or(subset)
        .to_string()
}

fn faults(fault: &Value) -> Result<Option<ExpectedFaults>, FaultProblem> {
    if fault.is_null() {
        return Ok(None);
    }
    let abort = &fault["abort"];
    let delay = &fault["delay"];
    let abort_pct = (!abort.is_null()).then(|| percentage(abort));
    let abort_status = abort["httpStatus"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok());
    let delay = if delay.is_null() {
        None
    } else {
        let fixed = delay["fixedDelay"]
            .as_str()
            .ok_or(FaultProblem::NoFixedDelay)?;
        let duration = istio_duration(fixed).map_err(|source| FaultProblem::FixedDelay {
            text: fixed.to_string(),
            source,
        })?;
        Some((percentage(delay), duration))
    };
    Ok(Some(ExpectedFaults {
        abort_pct,
        abort_status: abort_status.unwrap_or(503),
        delay,
    }))
}

/// `percentage.value`, or the deprecated integer `percent`; Istio applies 100 % when neither is set.
fn percentage(fault: &Value) -> f64 {
    fault["percentage"]["value"]
        .as_f64()
        .or_else(|| fault["percent"].as_f64())
        .unwrap_or(100.0)
}

/// Protobuf JSON durations (`1.5s`) and the Go-style ones people write (`500ms`).
fn istio_duration(text: &str) -> Result<Duration, humantime::DurationError> {
    let seconds = text.strip_suffix('s').and_then(|s| s.parse::<f64>().ok());
    match seconds.and_then(|s| Duration::try_from_secs_f64(s).ok()) {
        Some(duration) => Ok(duration),
        None => humantime::parse_duration(text),
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, Method};

    use super::*;

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
                assert_eq!(candidates, vec!["shop-vs", "other-vs"]);
            }
            other => panic!("not NoMatchingHost: {other}"),
        }
    }
}
