//! MESH0807: a waypoint nothing uses. A user is a Namespace, Service, ServiceEntry or workload
//! labelled for it that the waypoint's HBONE listener lets in, as istiod binds them.

use std::collections::{BTreeMap, BTreeSet};

use kube::api::DynamicObject;
use serde_json::Value;

use super::{USE_WAYPOINT, USE_WAYPOINT_NAMESPACE, WAYPOINT_CLASS};
use crate::analyze::{AnalyzeOptions, Code, Finding, NamespaceScope};
use crate::snapshot::json::{array, spec};
use crate::snapshot::kinds::K8S_GATEWAY_KEY;
use crate::snapshot::{
    MeshSnapshot, all_workloads, labels_of, name_of, namespace_of, selector_matches,
};

/// Does `labels` (of an object in `own_namespace`) name this waypoint?
fn names(
    labels: &BTreeMap<String, String>,
    own_namespace: &str,
    waypoint_ns: &str,
    waypoint: &str,
) -> bool {
    labels.get(USE_WAYPOINT).is_some_and(|n| n == waypoint)
        && labels
            .get(USE_WAYPOINT_NAMESPACE)
            .map_or(own_namespace, String::as_str)
            == waypoint_ns
}

/// The namespaces a waypoint accepts users from, as istiod reads them: the `allowedRoutes` of
/// its HBONE listener (port 15008), `Same` without one.
enum Attach<'a> {
    Same,
    All,
    Selector(&'a Value),
}

fn attach_from(waypoint: &DynamicObject) -> Attach<'_> {
    let Some(listener) = array(&spec(waypoint)["listeners"])
        .iter()
        .find(|l| l["protocol"] == "HBONE" && l["port"] == 15008)
    else {
        return Attach::Same;
    };
    let namespaces = &listener["allowedRoutes"]["namespaces"];
    match namespaces["from"].as_str() {
        Some("All") => Attach::All,
        Some("Selector") => Attach::Selector(&namespaces["selector"]),
        _ => Attach::Same,
    }
}

/// May an object of `namespace` use the waypoint? istiod refuses others (`AttachmentDenied`).
/// A selector with expressions, or a namespace the input lacks, counts as allowed.
fn allows(snapshot: &MeshSnapshot, waypoint: &DynamicObject, namespace: &str) -> bool {
    match attach_from(waypoint) {
        Attach::Same => namespace == namespace_of(waypoint),
        Attach::All => true,
        Attach::Selector(selector) => {
            let (Some(labels), None) = (
                snapshot.namespace_labels(namespace),
                selector.get("matchExpressions"),
            ) else {
                return true;
            };
            selector["matchLabels"]
                .as_object()
                .is_none_or(|m| selector_matches(m, labels))
        }
    }
}

pub(in crate::analyze) fn unused_waypoints(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // A live read of one namespace lists the Services and pods of that namespace only: users in
    // other namespaces are invisible, except through their Namespace's label.
    let one_namespace = snapshot.live && matches!(opts.scope, NamespaceScope::One(_));
    for gateway in snapshot.of_kind(K8S_GATEWAY_KEY) {
        if spec(gateway)["gatewayClassName"].as_str() != Some(WAYPOINT_CLASS) {
            continue;
        }
        let (ns, name) = (namespace_of(gateway), name_of(gateway));
        // Without its Namespace the input cannot show the label that would use it.
        if snapshot.namespace_labels(ns).is_none() {
            continue;
        }
        let user = |labels: &BTreeMap<String, String>, own: &str| {
            names(labels, own, ns, name) && allows(snapshot, gateway, own)
        };
        let used = snapshot
            .of_kind("Namespace")
            .any(|n| user(labels_of(n), name_of(n)))
            || ["Service", "ServiceEntry"]
                .into_iter()
                .flat_map(|kind| snapshot.of_kind(kind))
                .any(|o| user(labels_of(o), namespace_of(o)))
            || all_workloads(snapshot)
                .iter()
                .any(|w| user(&w.labels, namespace_of(w.object)));
        if used || (one_namespace && !matches!(attach_from(gateway), Attach::Same)) {
            continue;
        }
        // Namespaces that name it but that its listener does not let in.
        let denied: Vec<&str> = snapshot
            .of_kind("Namespace")
            .map(name_of)
            .chain(snapshot.of_kind("Service").map(namespace_of))
            .filter(|own| *own != ns)
            .filter(|own| {
                snapshot
                    .namespace_labels(own)
                    .is_some_and(|l| names(l, own, ns, name))
                    || snapshot
                        .in_namespace("Service", own)
                        .any(|s| names(labels_of(s), own, ns, name))
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let refused = if denied.is_empty() {
            String::new()
        } else {
            format!(
                " (namespace {} names it, but its HBONE listener's allowedRoutes do not let it in: istiod refuses the binding)",
                denied.join(", ")
            )
        };
        findings.push(Finding::new(
            Code::Mesh0807,
            gateway,
            format!("is a waypoint ({WAYPOINT_CLASS}) that no namespace, Service or workload uses ({USE_WAYPOINT}={name}){refused}: it runs a proxy no traffic goes through, and policies targeting it enforce nothing"),
            format!("`kubectl label namespace {ns} {USE_WAYPOINT}={name}` (or label the Services), or delete it (`meshctl waypoint delete`)"),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{options, snapshot};
    use super::*;

    const AMBIENT: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio.io/dataplane-mode: ambient}}
";
    const WAYPOINT: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: waypoint, namespace: prod}
spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
";
    const SERVICE: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
spec: {ports: [{port: 80, name: http}]}
";

    fn found(findings: &[Finding]) -> Vec<(Code, String)> {
        findings
            .iter()
            .map(|f| (f.code, f.resource.to_string()))
            .collect()
    }

    #[test]
    fn mesh0807_a_waypoint_nothing_uses() {
        let s = snapshot(&format!("{AMBIENT}---{WAYPOINT}"));
        let f = unused_waypoints(&s, &options());
        assert_eq!(
            found(&f),
            vec![(
                Code::Mesh0807,
                "Gateway.gateway.networking.k8s.io/prod/waypoint".into()
            )]
        );
        let labelled_service = SERVICE.replace(
            "namespace: prod}",
            "namespace: prod, labels: {istio.io/use-waypoint: waypoint}}",
        );
        let other_namespace = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/use-waypoint: waypoint, istio.io/use-waypoint-namespace: prod}}
";
        // istiod lets another namespace in only through the listener's allowedRoutes
        let s = snapshot(&format!("{AMBIENT}---{WAYPOINT}---{other_namespace}"));
        let f = unused_waypoints(&s, &options());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("namespace shop names it, but"),
            "{}",
            f[0].message
        );
        let open = WAYPOINT.replace(
            "protocol: HBONE}",
            "protocol: HBONE, allowedRoutes: {namespaces: {from: All}}}",
        );
        let selected = WAYPOINT.replace(
            "protocol: HBONE}",
            "protocol: HBONE, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: a}}}}}",
        );
        let shop_of_team_a = other_namespace.replace(
            "{istio.io/use-waypoint:",
            "{team: a, istio.io/use-waypoint:",
        );
        assert_eq!(
            unused_waypoints(
                &snapshot(&format!("{AMBIENT}---{selected}---{other_namespace}")),
                &options()
            )
            .len(),
            1,
            "shop is not selected"
        );
        for input in [
            format!("{AMBIENT}---{WAYPOINT}---{labelled_service}"),
            format!("{AMBIENT}---{open}---{other_namespace}"),
            format!("{AMBIENT}---{selected}---{shop_of_team_a}"),
            // without its Namespace the input cannot show the label
            WAYPOINT.to_string(),
        ] {
            assert!(
                unused_waypoints(&snapshot(&input), &options()).is_empty(),
                "{input}"
            );
        }
        // A live read of prod alone cannot see Services or pods of other namespaces: a waypoint
        // they may use is not judged; one only prod may use still is.
        let mut live = snapshot(&format!("{AMBIENT}---{open}"));
        live.live = true;
        assert!(unused_waypoints(&live, &options()).is_empty());
        let mut live = snapshot(&format!("{AMBIENT}---{WAYPOINT}"));
        live.live = true;
        assert_eq!(unused_waypoints(&live, &options()).len(), 1);
        let everywhere = AnalyzeOptions {
            scope: NamespaceScope::All,
            ..options()
        };
        let mut live = snapshot(&format!("{AMBIENT}---{open}"));
        live.live = true;
        assert_eq!(unused_waypoints(&live, &everywhere).len(), 1);
        // a pod of another namespace that names it uses it
        let pod = "
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop, labels: {istio.io/use-waypoint: waypoint, istio.io/use-waypoint-namespace: prod}}
spec: {containers: [{name: app}]}
";
        assert!(
            unused_waypoints(
                &snapshot(&format!("{AMBIENT}---{open}---{pod}")),
                &options()
            )
            .is_empty()
        );
        // an ingress Gateway is no waypoint
        let ingress = WAYPOINT.replace("istio-waypoint", "istio");
        assert!(
            unused_waypoints(&snapshot(&format!("{AMBIENT}---{ingress}")), &options()).is_empty()
        );
    }
}
