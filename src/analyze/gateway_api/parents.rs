//! MESH0601–0604: where a route attaches. Each `parentRefs` entry that names a Gateway must name
//! one that exists (0601) and a listener of it (`sectionName`, `port`: 0602) that admits the
//! route's kind and namespace (0604) and whose hostname intersects the route's (0603); otherwise
//! the controller does not attach the route there and its traffic is not served.

use kube::api::DynamicObject;
use serde_json::Value;

use super::allowed::{Admission, admits};
use super::hostnames;
use super::{Index, Ref, routes};
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, spec, strings};
use crate::snapshot::kinds::{GATEWAY_API, K8S_GATEWAY};
use crate::snapshot::{MeshSnapshot, kind_of, namespace_of};

pub fn parent_refs(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let index = Index::new(snapshot, opts);
    let mut findings = Vec::new();
    for route in routes(snapshot) {
        for parent in array(&spec(route)["parentRefs"]) {
            let r = Ref::read(parent, GATEWAY_API, "Gateway", namespace_of(route));
            if !r.is(&K8S_GATEWAY) {
                continue;
            }
            match index.gateway(&r) {
                Some(gateway) => findings.extend(attach(&index, route, parent, &r, gateway)),
                None if index.knows_gateways_in(r.namespace) => findings.push(Finding::new(
                    Code::Mesh0601,
                    route,
                    format!("parentRef {r} names a Gateway that does not exist; the route is attached nowhere there"),
                    "create the Gateway, or correct the parentRef's name and namespace".into(),
                )),
                None => {}
            }
        }
    }
    findings
}

/// The finding, if any, about one parentRef to an existing Gateway.
fn attach(
    index: &Index,
    route: &DynamicObject,
    parent: &Value,
    r: &Ref,
    gateway: &DynamicObject,
) -> Option<Finding> {
    let section = parent["sectionName"].as_str();
    let port = parent["port"].as_i64();
    let listeners = array(&spec(gateway)["listeners"]);
    let named: Vec<&Value> = listeners
        .iter()
        .filter(|l| section.is_none_or(|s| l["name"] == s))
        .filter(|l| port.is_none_or(|p| l["port"].as_i64() == Some(p)))
        .collect();
    if named.is_empty() {
        let wanted = match (section, port) {
            (Some(s), Some(p)) => format!("named {s} on port {p}"),
            (Some(s), None) => format!("named {s}"),
            (None, Some(p)) => format!("on port {p}"),
            (None, None) => "at all".into(),
        };
        let have: Vec<String> = listeners
            .iter()
            .map(|l| format!("{} ({})", l["name"].as_str().unwrap_or("?"), l["port"]))
            .collect();
        return Some(Finding::new(
            Code::Mesh0602,
            route,
            format!(
                "parentRef {r} asks for a listener {wanted}, which the Gateway does not have (it has: {}); the route is not attached there",
                if have.is_empty() {
                    "none".into()
                } else {
                    have.join(", ")
                }
            ),
            "correct the parentRef's sectionName or port, or add the listener".into(),
        ));
    }
    let (kind, namespace) = (kind_of(route), namespace_of(route));
    let answers: Vec<(&Value, Admission)> = named
        .iter()
        .map(|l| {
            let labels = index.namespace_labels.get(namespace).copied();
            let answer = admits(labels, l, r.namespace, kind, namespace);
            (*l, answer)
        })
        .collect();
    let open: Vec<&Value> = answers
        .iter()
        .filter(|(_, a)| !matches!(a, Admission::Refused(_)))
        .map(|(l, _)| *l)
        .collect();
    if open.is_empty() {
        let why: Vec<String> = answers
            .iter()
            .filter_map(|(l, a)| match a {
                Admission::Refused(why) => Some(format!(
                    "listener {}: {why}",
                    l["name"].as_str().unwrap_or("?")
                )),
                _ => None,
            })
            .collect();
        return Some(Finding::new(
            Code::Mesh0604,
            route,
            format!(
                "parentRef {r}: no listener admits this {kind} from namespace {namespace} ({}); the route is not attached there",
                why.join("; ")
            ),
            "widen the listener's allowedRoutes (namespaces, kinds), or attach the route to a listener that admits it".into(),
        ));
    }
    let route_hosts = strings(&spec(route)["hostnames"]);
    if open
        .iter()
        .any(|l| hostnames::admitted(l["hostname"].as_str(), &route_hosts))
    {
        return None;
    }
    let listener_hosts: Vec<&str> = open.iter().filter_map(|l| l["hostname"].as_str()).collect();
    Some(Finding::new(
        Code::Mesh0603,
        route,
        format!(
            "parentRef {r}: none of the route's hostnames ({}) intersects the listener hostname ({}); the route is not attached there",
            route_hosts.join(", "),
            listener_hosts.join(", ")
        ),
        "add a hostname the listener serves to the route, or attach it to a listener for its hostnames".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{CORRECT, findings};

    fn with_route(parent_refs: &str, hostnames: &str) -> Vec<(String, String)> {
        let yaml = format!(
            "{CORRECT}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: probe, namespace: prod}}
spec:
  parentRefs: {parent_refs}
  hostnames: {hostnames}
  rules: [{{backendRefs: [{{name: shop, port: 8080}}]}}]
"
        );
        findings(&yaml)
    }

    fn one(code: &str) -> Vec<(String, String)> {
        vec![(code.to_string(), "HTTPRoute/prod/probe".to_string())]
    }

    #[test]
    fn a_missing_gateway_is_reported_where_the_input_holds_gateways() {
        assert_eq!(
            with_route("[{name: webb, namespace: infra}]", "[]"),
            one("MESH0601")
        );
        // No Gateway of namespace `edge` is in the input: it may well exist.
        assert_eq!(with_route("[{name: web, namespace: edge}]", "[]"), []);
        // Istio's Gateway of that name is no Gateway API parent (prod's Gateways are known here).
        let istio = "
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web, namespace: prod}
spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*']}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: other, namespace: prod}
spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
";
        let f = findings(&format!("{CORRECT}{istio}"));
        assert_eq!(f, []);
        let f = with_route("[{name: web}]", "[]");
        assert_eq!(f, []);
        let yaml = format!(
            "{CORRECT}{istio}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: probe, namespace: prod}}
spec:
  parentRefs: [{{name: web}}]
  rules: [{{backendRefs: [{{name: shop, port: 8080}}]}}]
"
        );
        assert_eq!(findings(&yaml), one("MESH0601"));
    }

    #[test]
    fn a_missing_listener_by_section_or_port_is_reported() {
        let f = with_route("[{name: web, namespace: infra, sectionName: grpc}]", "[]");
        assert_eq!(f, one("MESH0602"));
        let f = with_route(
            "[{name: web, namespace: infra, sectionName: http, port: 443}]",
            "[]",
        );
        assert_eq!(f, one("MESH0602"));
        assert_eq!(
            with_route("[{name: web, namespace: infra, port: 80}]", "[]"),
            []
        );
    }

    #[test]
    fn hostnames_that_intersect_no_listener_are_reported() {
        let f = with_route(
            "[{name: web, namespace: infra, sectionName: http}]",
            "[shop.example.org]",
        );
        assert_eq!(f, one("MESH0603"));
        let f = with_route(
            "[{name: web, namespace: infra, sectionName: http}]",
            "[example.com]",
        );
        assert_eq!(f, one("MESH0603"));
        // One of two listeners (any port) serving the hostname is enough.
        let f = with_route("[{name: web, namespace: infra}]", "[a.b.example.com]");
        assert_eq!(f, []);
    }

    #[test]
    fn listeners_that_do_not_admit_the_namespace_or_kind_are_reported() {
        let yaml = format!(
            "{CORRECT}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: private, namespace: infra}}
spec:
  gatewayClassName: istio
  listeners: [{{name: http, port: 80, protocol: HTTP}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {{name: probe, namespace: prod}}
spec:
  parentRefs: [{{name: private, namespace: infra}}, {{name: web, namespace: infra, sectionName: https}}]
  rules: [{{backendRefs: [{{name: shop, port: 8080}}]}}]
"
        );
        let f = findings(&yaml);
        let refused = ("MESH0604".to_string(), "GRPCRoute/prod/probe".to_string());
        assert_eq!(f, vec![refused.clone(), refused], "{f:?}");
    }
}
