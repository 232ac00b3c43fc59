//! MESH0607: a reference into another namespace that no ReferenceGrant there permits. A route's
//! backendRef to a Service elsewhere, and a Gateway's certificateRef to a Secret elsewhere, need
//! a grant in the target namespace from that kind in the referrer's namespace; without one the
//! controller refuses the reference (`RefNotPermitted`).

use kube::api::DynamicObject;

use super::{Index, Ref, routes};
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, spec};
use crate::snapshot::kinds::{GATEWAY_API, K8S_GATEWAY_KEY};
use crate::snapshot::{MeshSnapshot, kind_of, namespace_of};

pub fn cross_namespace(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let index = Index::new(snapshot, opts);
    let mut findings = Vec::new();
    for route in routes(snapshot) {
        for rule in array(&spec(route)["rules"]) {
            for backend in array(&rule["backendRefs"]) {
                let r = Ref::read(backend, "", "Service", namespace_of(route));
                findings.extend(check(&index, route, kind_of(route), &r, "backendRef"));
            }
        }
    }
    for gateway in snapshot.of_kind(K8S_GATEWAY_KEY) {
        for listener in array(&spec(gateway)["listeners"]) {
            for cert in array(&listener["tls"]["certificateRefs"]) {
                let r = Ref::read(cert, "", "Secret", namespace_of(gateway));
                findings.extend(check(&index, gateway, "Gateway", &r, "certificateRef"));
            }
        }
    }
    findings
}

/// The finding, if `r` leaves the namespace of `from` (of Gateway API kind `from_kind`) and no
/// grant in the target namespace permits it.
fn check(
    index: &Index,
    from: &DynamicObject,
    from_kind: &str,
    r: &Ref,
    field: &str,
) -> Option<Finding> {
    let from_ns = namespace_of(from);
    if r.namespace == from_ns || !index.knows_grants_in(r.namespace) {
        return None;
    }
    let permits = |grant: &&DynamicObject| {
        let s = spec(grant);
        array(&s["from"]).iter().any(|f| {
            f["group"] == GATEWAY_API && f["kind"] == from_kind && f["namespace"] == from_ns
        }) && array(&s["to"]).iter().any(|t| {
            t["group"].as_str().unwrap_or("") == r.group
                && t["kind"] == r.kind
                && t["name"]
                    .as_str()
                    .is_none_or(|n| n.is_empty() || n == r.name)
        })
    };
    if index.grants_in(r.namespace).iter().any(permits) {
        return None;
    }
    Some(Finding::new(
        Code::Mesh0607,
        from,
        format!(
            "{field} {r} is in another namespace and no ReferenceGrant in {} permits it from {from_kind}s in {from_ns}; the controller refuses the reference",
            r.namespace
        ),
        format!(
            "create a ReferenceGrant in {} from {{group: {GATEWAY_API}, kind: {from_kind}, namespace: {from_ns}}} to {{group: '{}', kind: {}}}",
            r.namespace, r.group, r.kind
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{CORRECT, findings};

    /// The correct set without the documents of these names, plus `extra`.
    fn without(names: &[&str], extra: &str) -> Vec<(String, String)> {
        let kept: Vec<&str> = CORRECT
            .split("\n---\n")
            .filter(|doc| {
                !names
                    .iter()
                    .any(|n| doc.contains(&format!("metadata: {{name: {n},")))
            })
            .collect();
        findings(&format!("{}\n{extra}", kept.join("\n---\n")))
    }

    #[test]
    fn a_backend_in_another_namespace_needs_a_grant_for_the_routes_kind_and_namespace() {
        let route = ("MESH0607".to_string(), "HTTPRoute/prod/shop".to_string());
        assert_eq!(without(&["prod-routes"], ""), std::slice::from_ref(&route));
        let wrong = "---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: prod-routes, namespace: shared}
spec:
  from: [{group: gateway.networking.k8s.io, kind: GRPCRoute, namespace: prod}]
  to: [{group: '', kind: Service}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: other-service, namespace: shared}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: prod}]
  to: [{group: '', kind: Service, name: other}]
";
        assert_eq!(without(&["prod-routes"], wrong), [route]);
    }

    #[test]
    fn a_certificate_in_another_namespace_needs_a_grant_for_the_gateway() {
        let gateway = "Gateway.gateway.networking.k8s.io/infra/web";
        assert_eq!(
            without(&["gateway-certs"], ""),
            [("MESH0607".to_string(), gateway.to_string())]
        );
        // Nothing of namespace `certs` in the input: the grant may well be there.
        assert_eq!(without(&["gateway-certs", "shop-cert"], ""), []);
    }
}
