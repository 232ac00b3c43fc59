//! MESH0605, 0606, 0608: where a route sends traffic. A `backendRefs` entry naming a Service must
//! name one that exists (0605) on a port it exposes (0606; the Gateway API requires the port for
//! a Service); a rule whose weights are all zero sends nowhere, and a negative weight is invalid
//! (0608). Requests to a backend that does not resolve get 500s.

use kube::api::DynamicObject;
use serde_json::Value;

use super::{Index, Ref, routes};
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, spec};
use crate::snapshot::kinds::SERVICE;
use crate::snapshot::{MeshSnapshot, namespace_of};

pub fn backend_refs(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let index = Index::new(snapshot, opts);
    let mut findings = Vec::new();
    for route in routes(snapshot) {
        for (i, rule) in array(&spec(route)["rules"]).iter().enumerate() {
            let backends = array(&rule["backendRefs"]);
            findings.extend(weights(route, i, backends));
            for backend in backends {
                let r = Ref::read(backend, "", "Service", namespace_of(route));
                if r.is(&SERVICE) {
                    findings.extend(service(&index, route, i, backend, &r));
                }
            }
        }
    }
    findings
}

fn service(
    index: &Index,
    route: &DynamicObject,
    rule: usize,
    backend: &Value,
    r: &Ref,
) -> Option<Finding> {
    let Some(service) = index.service(r) else {
        return index.knows_services_in(r.namespace).then(|| {
            Finding::new(
                Code::Mesh0605,
                route,
                format!("rules[{rule}] sends traffic to {r}, which does not exist; those requests fail with 500"),
                "create the Service, or correct the backendRef's name and namespace".into(),
            )
        });
    };
    let ports: Vec<i64> = array(&spec(service)["ports"])
        .iter()
        .filter_map(|p| p["port"].as_i64())
        .collect();
    let listed = ports
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let message = match backend["port"].as_i64() {
        Some(port) if ports.contains(&port) => return None,
        Some(port) => format!(
            "rules[{rule}] sends traffic to {r} on port {port}, which the Service does not expose (it exposes: {listed})"
        ),
        None => format!(
            "rules[{rule}] sends traffic to {r} without a port, which a Service backend requires (it exposes: {listed})"
        ),
    };
    Some(Finding::new(
        Code::Mesh0606,
        route,
        message,
        "set the backendRef's port to one the Service exposes".into(),
    ))
}

/// Weights default to 1; all zero sends no request anywhere, a negative one the API refuses.
fn weights(route: &DynamicObject, rule: usize, backends: &[Value]) -> Option<Finding> {
    let weights: Vec<i64> = backends
        .iter()
        .map(|b| b["weight"].as_i64().unwrap_or(1))
        .collect();
    let message = if let Some(negative) = weights.iter().find(|w| **w < 0) {
        format!(
            "rules[{rule}] has a backendRef of weight {negative}; weights are 0 or more, and the API server refuses the route"
        )
    } else if !weights.is_empty() && weights.iter().all(|w| *w == 0) {
        format!(
            "every backendRef of rules[{rule}] has weight 0: no request that rule matches reaches a backend (they fail with 500)"
        )
    } else {
        return None;
    };
    Some(Finding::new(
        Code::Mesh0608,
        route,
        message,
        "give at least one backendRef a positive weight".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{CORRECT, findings};

    fn with_rules(rules: &str) -> Vec<(String, String)> {
        findings(&format!(
            "{CORRECT}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {{name: probe, namespace: prod}}
spec:
  parentRefs: [{{name: web, namespace: infra, sectionName: http}}]
  rules: {rules}
"
        ))
    }

    fn one(code: &str) -> Vec<(String, String)> {
        vec![(code.to_string(), "GRPCRoute/prod/probe".to_string())]
    }

    #[test]
    fn a_missing_service_is_reported_where_the_input_holds_services() {
        assert_eq!(
            with_rules("[{backendRefs: [{name: shopp, port: 8080}]}]"),
            one("MESH0605")
        );
        // Namespace `billing` holds no Service in the input; `kind: ServiceImport` is not ours.
        let f = with_rules(
            "[{backendRefs: [{name: pay, namespace: billing, port: 80}, {group: multicluster.x-k8s.io, kind: ServiceImport, name: x, port: 1}]}]",
        );
        assert!(f.iter().all(|(code, _)| code != "MESH0605"), "{f:?}");
    }

    #[test]
    fn a_port_the_service_does_not_expose_or_no_port_is_reported() {
        assert_eq!(
            with_rules("[{backendRefs: [{name: shop, port: 80}]}]"),
            one("MESH0606")
        );
        assert_eq!(
            with_rules("[{backendRefs: [{name: shop}]}]"),
            one("MESH0606")
        );
        assert_eq!(
            with_rules("[{backendRefs: [{name: shop, port: 8080}]}]"),
            []
        );
    }

    #[test]
    fn all_zero_or_negative_weights_are_reported() {
        let zero = "[{backendRefs: [{name: shop, port: 8080, weight: 0}, {name: shop, port: 8080, weight: 0}]}]";
        assert_eq!(with_rules(zero), one("MESH0608"));
        let negative =
            "[{backendRefs: [{name: shop, port: 8080, weight: -1}, {name: shop, port: 8080}]}]";
        assert_eq!(with_rules(negative), one("MESH0608"));
        // No weight means 1; a rule with no backendRefs has none to weigh.
        let fine = "[{backendRefs: [{name: shop, port: 8080}, {name: shop, port: 8080, weight: 0}]}, {filters: [{type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: x-canary, value: 'no'}]}}]}]";
        assert_eq!(with_rules(fine), []);
    }
}
