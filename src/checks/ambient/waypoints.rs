//! Waypoints of an ambient namespace: each one Programmed (istiod assigned its Service and
//! deployed it), and each Service that uses one bound to it, as istiod says in the Service's
//! `istio.io/WaypointBound` condition.

use kube::api::DynamicObject;
use serde_json::Value;

use crate::analyze::waypoint_of;
use crate::checks::Check;
use crate::checks::catalog::{WAYPOINT_BINDING, WAYPOINTS};
use crate::snapshot::json::{array, spec};
use crate::snapshot::kinds::K8S_GATEWAY_KEY;
use crate::snapshot::{MeshSnapshot, labels_of, name_of, namespace_of};

const WAYPOINT_CLASS: &str = "istio-waypoint";
pub(super) const USE_WAYPOINT: &str = "istio.io/use-waypoint";
const BOUND: &str = "istio.io/WaypointBound";
/// The label istiod puts on the Services of the gateways it deploys (waypoints, east-west):
/// they never use a waypoint themselves.
pub(super) const MANAGED: &str = "gateway.istio.io/managed";

fn condition<'a>(object: &'a DynamicObject, kind: &str) -> Option<&'a Value> {
    array(&object.data["status"]["conditions"])
        .iter()
        .find(|c| c["type"] == kind)
}

fn text<'a>(condition: &'a Value, key: &str) -> &'a str {
    condition[key].as_str().unwrap_or_default()
}

/// The Services of `namespace` that use a waypoint, each with the waypoint's namespace and name.
fn users<'a>(
    mesh: &'a MeshSnapshot,
    namespace: &'a str,
) -> Vec<(&'a DynamicObject, String, String)> {
    mesh.in_namespace("Service", namespace)
        .filter(|s| !labels_of(s).contains_key(MANAGED))
        .filter_map(|s| {
            let (ns, name) = waypoint_of(mesh, s)?;
            (name != "none").then_some((s, ns, name))
        })
        .collect()
}

fn revision(waypoint: &DynamicObject) -> String {
    labels_of(waypoint)
        .get("istio.io/rev")
        .map_or(String::new(), |rev| format!(" (its istio.io/rev is {rev})"))
}

fn is_waypoint(gateway: &DynamicObject) -> bool {
    spec(gateway)["gatewayClassName"].as_str() == Some(WAYPOINT_CLASS)
}

/// The waypoints (Gateways of class istio-waypoint) in `namespace`.
pub(super) fn in_namespace<'a>(
    mesh: &'a MeshSnapshot,
    namespace: &'a str,
) -> Vec<&'a DynamicObject> {
    mesh.in_namespace(K8S_GATEWAY_KEY, namespace)
        .filter(|g| is_waypoint(g))
        .collect()
}

/// The waypoints in the namespace and those elsewhere that its Services use.
pub(super) fn waypoints_check(mesh: &MeshSnapshot, namespace: &str) -> Check {
    let mut waypoints = in_namespace(mesh, namespace);
    for (_, ns, name) in users(mesh, namespace) {
        if let Some(gateway) = mesh.find(K8S_GATEWAY_KEY, &ns, &name) {
            let known = waypoints
                .iter()
                .any(|w| name_of(w) == name && namespace_of(w) == ns);
            if is_waypoint(gateway) && !known {
                waypoints.push(gateway);
            }
        }
    }
    if waypoints.is_empty() {
        return WAYPOINTS.skip(format!(
            "no waypoint in {namespace} and none used: ztunnel alone serves it (L4 only)"
        ));
    }
    let names = |ws: &[&DynamicObject]| {
        ws.iter()
            .map(|w| format!("{}/{}", namespace_of(w), name_of(w)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut problems = Vec::new();
    let mut fixes = Vec::new();
    for waypoint in &waypoints {
        let (ns, name) = (namespace_of(waypoint), name_of(waypoint));
        let problem = match condition(waypoint, "Programmed") {
            Some(c) if text(c, "status") == "True" => continue,
            // The API server's default until a controller writes it: no istiod took the waypoint.
            Some(c) if text(c, "status") == "Unknown" => format!(
                "{ns}/{name} is not Programmed ({}: {}): no istiod with ambient enabled serves it{}",
                text(c, "reason"),
                text(c, "message"),
                revision(waypoint)
            ),
            Some(c) => format!(
                "{ns}/{name} is not Programmed ({}: {})",
                text(c, "reason"),
                text(c, "message")
            ),
            None => format!(
                "{ns}/{name} has no Programmed condition: no istiod with ambient enabled (PILOT_ENABLE_AMBIENT) serves it{}",
                revision(waypoint)
            ),
        };
        problems.push(problem);
        let status =
            format!("meshctl waypoint status -n {ns} shows istiod's conditions and the Deployment");
        if !fixes.contains(&status) {
            fixes.push(status);
        }
        fixes.push(format!(
            "re-apply and wait: meshctl waypoint apply -n {ns} --name {name} --wait"
        ));
    }
    if problems.is_empty() {
        return WAYPOINTS.pass(format!("Programmed: {}", names(&waypoints)));
    }
    WAYPOINTS
        .fail(problems.join("; "))
        .with_hint(fixes.join("; "))
}

/// Every Service of the namespace that uses a waypoint is bound to it.
pub(super) fn binding_check(mesh: &MeshSnapshot, namespace: &str) -> Check {
    let users = users(mesh, namespace);
    if users.is_empty() {
        return WAYPOINT_BINDING.skip(format!(
            "no Service in {namespace} uses a waypoint (istio.io/use-waypoint on it or its namespace)"
        ));
    }
    let (mut failed, mut waiting, mut fixes) = (Vec::new(), Vec::new(), Vec::new());
    let mut bound = Vec::new();
    for (service, ns, name) in &users {
        let svc = name_of(service);
        let exists = mesh
            .find(K8S_GATEWAY_KEY, ns, name)
            .is_some_and(is_waypoint);
        let said = condition(service, BOUND);
        match said {
            // istiod names the waypoint it bound; another one is a label it has not caught up with.
            Some(c) if text(c, "status") == "True" && exists => {
                if text(c, "message").contains(&format!("{ns}/{name}")) {
                    bound.push(format!("{svc} → {ns}/{name}"));
                } else {
                    waiting.push(svc.to_string());
                }
                continue;
            }
            _ if !exists => {
                let istiod = said.map_or(String::new(), |c| {
                    format!(" (istiod: {})", text(c, "message"))
                });
                failed.push(format!(
                    "Service {svc} uses waypoint {ns}/{name}, which does not exist{istiod}"
                ));
                fixes.push(format!(
                    "create it: meshctl waypoint apply -n {ns} --name {name} --wait (or correct istio.io/use-waypoint on Service {svc} or its namespace)"
                ));
            }
            Some(c) => {
                failed.push(format!(
                    "Service {svc} is not bound to waypoint {ns}/{name} ({}: {})",
                    text(c, "reason"),
                    text(c, "message")
                ));
                fixes.push(match text(c, "reason") {
                    "UnsupportedTrafficType" => format!(
                        "let the waypoint take Service traffic: meshctl waypoint apply -n {ns} --name {name} --for service"
                    ),
                    "AttachmentDenied" => format!(
                        "allow {namespace} in the listeners' allowedRoutes of waypoint {ns}/{name}, or use a waypoint in {namespace}: meshctl waypoint apply -n {namespace} --enroll-namespace"
                    ),
                    _ => format!("meshctl waypoint status -n {ns} shows why waypoint {name} is not ready"),
                });
            }
            None => waiting.push(svc.to_string()),
        }
    }
    if !failed.is_empty() {
        return WAYPOINT_BINDING
            .fail(failed.join("; "))
            .with_hint(fixes.join("; "));
    }
    if !waiting.is_empty() {
        return WAYPOINT_BINDING
            .warn(format!(
                "istiod has not reported {BOUND} on Service(s) {} (yet) for the waypoint it names",
                waiting.join(", ")
            ))
            .with_hint(format!(
                "istiod writes it when ambient is enabled (PILOT_ENABLE_AMBIENT): kubectl -n {namespace} get service -o yaml shows status.conditions"
            ));
    }
    WAYPOINT_BINDING.pass(format!("bound: {}", bound.join(", ")))
}
