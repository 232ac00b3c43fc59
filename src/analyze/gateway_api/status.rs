//! MESH0609 (istioctl's IST0171), live only: the status conditions the Gateway API controller
//! (istiod) wrote that are False — a Gateway or one of its listeners not Accepted, Programmed or
//! with unresolved references; a route a parent did not accept or whose references do not
//! resolve — with the controller's reason and message. A condition whose reason is a problem the
//! spec rules already report on the same object is left to that finding.

use std::collections::HashSet;

use kube::api::DynamicObject;
use serde_json::Value;

use super::{backend_refs, cross_namespace, parent_refs, routes};
use crate::analyze::{AnalyzeOptions, Code, Finding, Severity};
use crate::snapshot::json::array;
use crate::snapshot::kinds::K8S_GATEWAY_KEY;
use crate::snapshot::{MeshSnapshot, ObjectRef};

/// The condition types whose False means traffic is not served as written.
const TYPES: [&str; 3] = ["Accepted", "Programmed", "ResolvedRefs"];

pub fn conditions(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    if !snapshot.live {
        // Status in files is a copy of some cluster's past, not a judgement of this spec.
        return Vec::new();
    }
    let covered: HashSet<(ObjectRef, Code)> = [parent_refs, backend_refs, cross_namespace]
        .iter()
        .flat_map(|rule| rule(snapshot, opts))
        .map(|f| (f.resource, f.code))
        .collect();
    let mut findings = Vec::new();
    for gateway in snapshot.of_kind(K8S_GATEWAY_KEY) {
        let status = &gateway.data["status"];
        report(&mut findings, &covered, gateway, "", &status["conditions"]);
        for listener in array(&status["listeners"]) {
            let at = format!("listener {}: ", listener["name"].as_str().unwrap_or("?"));
            report(
                &mut findings,
                &covered,
                gateway,
                &at,
                &listener["conditions"],
            );
        }
    }
    for route in routes(snapshot) {
        for parent in array(&route.data["status"]["parents"]) {
            let p = &parent["parentRef"];
            let namespace = p["namespace"]
                .as_str()
                .or(route.metadata.namespace.as_deref())
                .unwrap_or("");
            let at = format!(
                "parent {}/{}/{}{}: ",
                p["kind"].as_str().unwrap_or("Gateway"),
                namespace,
                p["name"].as_str().unwrap_or("?"),
                p["sectionName"]
                    .as_str()
                    .map(|s| format!(" (listener {s})"))
                    .unwrap_or_default()
            );
            report(&mut findings, &covered, route, &at, &parent["conditions"]);
        }
    }
    findings
}

fn report(
    findings: &mut Vec<Finding>,
    covered: &HashSet<(ObjectRef, Code)>,
    object: &DynamicObject,
    at: &str,
    conditions: &Value,
) {
    let resource = ObjectRef::of(object);
    for condition in array(conditions) {
        let kind = condition["type"].as_str().unwrap_or("");
        if !TYPES.contains(&kind) || condition["status"] != "False" {
            continue;
        }
        let reason = condition["reason"].as_str().unwrap_or("");
        if spec_codes(reason)
            .iter()
            .any(|code| covered.contains(&(resource.clone(), *code)))
        {
            continue;
        }
        let finding = Finding::about(
            Code::Mesh0609,
            resource.clone(),
            format!(
                "{at}{kind} is False ({reason}): {}",
                condition["message"].as_str().unwrap_or("")
            ),
            "correct what the message names; `kubectl describe` the object for the full status"
                .into(),
        );
        // Not accepted: the object is ignored altogether.
        findings.push(if kind == "Accepted" {
            finding.with_severity(Severity::Error)
        } else {
            finding
        });
    }
}

/// The spec rules' codes for a condition reason the Gateway API defines.
fn spec_codes(reason: &str) -> &'static [Code] {
    match reason {
        "NoMatchingParent" => &[Code::Mesh0602],
        "NoMatchingListenerHostname" => &[Code::Mesh0603],
        "NotAllowedByListeners" => &[Code::Mesh0604],
        "BackendNotFound" => &[Code::Mesh0605, Code::Mesh0606],
        "RefNotPermitted" => &[Code::Mesh0607],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::snapshot;
    use super::*;
    use crate::analyze::testing::options;

    const LIVE: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: prod}
spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
status:
  conditions:
  - {type: Accepted, status: 'True', reason: Accepted, message: ok}
  - {type: Programmed, status: 'False', reason: AddressNotAssigned, message: address pending}
  listeners:
  - name: http
    conditions: [{type: ResolvedRefs, status: 'False', reason: InvalidCertificateRef, message: bad}]
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: prod}
spec: {ports: [{port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: prod}
spec:
  parentRefs: [{name: web, sectionName: nope}]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
status:
  parents:
  - parentRef: {name: web, sectionName: nope}
    controllerName: istio.io/gateway-controller
    conditions:
    - {type: Accepted, status: 'False', reason: NoMatchingParent, message: sectionName not found}
    - {type: ResolvedRefs, status: 'False', reason: UnsupportedValue, message: odd}
    - {type: Conflicted, status: 'False', reason: NoConflicts, message: fine}
";

    #[test]
    fn false_conditions_are_reported_live_unless_a_spec_rule_already_says_so() {
        let mut s = snapshot(LIVE);
        assert_eq!(
            conditions(&s, &options()).len(),
            0,
            "files: no status findings"
        );
        s.live = true;
        let found: Vec<(Severity, String, String)> = conditions(&s, &options())
            .into_iter()
            .map(|f| (f.severity, f.resource.to_string(), f.message))
            .collect();
        let gateway = "Gateway.gateway.networking.k8s.io/prod/web".to_string();
        assert_eq!(
            found,
            [
                (
                    Severity::Warning,
                    gateway.clone(),
                    "Programmed is False (AddressNotAssigned): address pending".into()
                ),
                (
                    Severity::Warning,
                    gateway,
                    "listener http: ResolvedRefs is False (InvalidCertificateRef): bad".into()
                ),
                (
                    Severity::Warning,
                    "HTTPRoute/prod/shop".into(),
                    "parent Gateway/prod/web (listener nope): ResolvedRefs is False (UnsupportedValue): odd".into()
                ),
            ]
        );
    }
}
