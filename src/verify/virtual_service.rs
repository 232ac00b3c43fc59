//! A VirtualService's expectations: its first HTTP route that matches the request the way Envoy
//! would pick it, the route's weights (named by the DestinationRule subset's `version` label)
//! and its fault injection.

use std::time::Duration;

use kube::api::DynamicObject;
use serde_json::Value;

use super::ExpectedFaults;
use super::error::{Error, FaultProblem, Result};
use super::expected::{Expectations, split_of};
use super::request::RequestShape;
use crate::snapshot::json::{array, fqdn, spec};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

/// The expectations of the VirtualService's first HTTP route that matches the request.
pub fn expectations(
    snapshot: &MeshSnapshot,
    service: &DynamicObject,
    request: &RequestShape<'_>,
) -> Result<Expectations> {
    let ns = namespace_of(service);
    let routes = array(&spec(service)["http"]);
    let (index, route) = routes
        .iter()
        .enumerate()
        .find(|(_, route)| route_matches(route, request))
        .ok_or_else(|| Error::NoRoute {
            kind: "VirtualService",
            routes: format!("{ns}/{}", name_of(service)),
            method: request.method.clone(),
            path: request.path.to_string(),
        })?;
    let route_name = route["name"]
        .as_str()
        .map(|n| format!(" {n:?}"))
        .unwrap_or_default();
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
        split: split_of(weighted_versions(snapshot, ns, route)),
        faults: faults(&route["fault"]).map_err(|problem| Error::Fault {
            namespace: ns.to_string(),
            name: name_of(service).to_string(),
            problem,
        })?,
        destinations,
        warnings: Vec::new(),
    })
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
        headers
            .iter()
            .all(|(name, rule)| request.header(name).is_some_and(|v| string_match(rule, v)))
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
        return super::http_route::full_match(pattern, value);
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
