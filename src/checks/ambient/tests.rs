use super::*;
use crate::checks::{Selection, Status};

fn options(namespace: &str) -> HealthOptions {
    HealthOptions {
        namespace: namespace.into(),
        istio_namespace: "istio-system".into(),
        service: "svc".into(),
        port: 80,
        health_path: "/".into(),
        selection: Selection::default(),
    }
}

const MESH: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: amb, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}}
---
apiVersion: v1
kind: Namespace
metadata: {name: side, labels: {istio-injection: enabled}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: waypoint, namespace: amb}
spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
status: {conditions: [{type: Programmed, status: 'True', reason: Programmed, message: ok}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: ingress, namespace: amb}
spec: {gatewayClassName: istio, listeners: [{name: http, port: 80, protocol: HTTP}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: amb}
spec: {ports: [{name: http, port: 80}]}
status: {conditions: [{type: istio.io/WaypointBound, status: 'True', reason: WaypointAccepted, message: 'Successfully attached to waypoint amb/waypoint'}]}
---
apiVersion: v1
kind: Service
metadata: {name: waypoint, namespace: amb, labels: {gateway.istio.io/managed: istio.io-mesh-controller}}
spec: {ports: [{name: mesh, port: 15008}]}
---
apiVersion: v1
kind: Service
metadata: {name: direct, namespace: amb, labels: {istio.io/use-waypoint: none}}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: amb}
spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: waypoint-1, namespace: amb, labels: {gateway.istio.io/managed: istio.io-mesh-controller}}
spec: {containers: [{name: istio-proxy, image: 'docker.io/istio/proxyv2:1.31.0'}]}
";

fn mesh(extra: &str) -> MeshSnapshot {
    let yaml = if extra.is_empty() {
        MESH.to_string()
    } else {
        format!("{MESH}---{extra}")
    };
    MeshSnapshot::from_yaml(&yaml, "amb")
}

#[test]
fn a_programmed_waypoint_and_a_bound_service_pass() {
    let mesh = mesh("");
    let waypoints = waypoints::waypoints_check(&mesh, "amb");
    assert_eq!(
        (waypoints.status, waypoints.detail.as_str()),
        (Status::Pass, "Programmed: amb/waypoint")
    );
    let binding = waypoints::binding_check(&mesh, "amb");
    assert_eq!(
        (binding.status, binding.detail.as_str()),
        (Status::Pass, "bound: web → amb/waypoint"),
        "the waypoint's own Service and the one that opts out are not users"
    );
}

#[test]
fn a_waypoint_not_programmed_fails_with_istiods_reason_and_the_waypoint_commands() {
    let yaml = MESH.replace(
        "status: {conditions: [{type: Programmed, status: 'True', reason: Programmed, message: ok}]}",
        "status: {conditions: [{type: Programmed, status: 'False', reason: AddressNotUsable, message: 'Failed to assign to any requested addresses'}]}",
    );
    let check = waypoints::waypoints_check(&MeshSnapshot::from_yaml(&yaml, "amb"), "amb");
    assert_eq!(check.status, Status::Fail);
    assert_eq!(
        check.detail,
        "amb/waypoint is not Programmed (AddressNotUsable: Failed to assign to any requested addresses)"
    );
    let hint = check.hint.unwrap_or_default();
    assert!(hint.contains("meshctl waypoint status -n amb"), "{hint}");
    assert!(
        hint.contains("re-apply and wait: meshctl waypoint apply -n amb --name waypoint --wait"),
        "{hint}"
    );
    let unserved = MESH.replace(
        "status: {conditions: [{type: Programmed, status: 'True', reason: Programmed, message: ok}]}",
        "",
    );
    let check = waypoints::waypoints_check(&MeshSnapshot::from_yaml(&unserved, "amb"), "amb");
    assert_eq!(check.status, Status::Fail);
    assert!(
        check.detail.contains("no Programmed condition"),
        "{}",
        check.detail
    );
}

#[test]
fn a_service_whose_waypoint_does_not_exist_fails_and_names_the_command_that_creates_it() {
    let mesh = mesh(
        "
apiVersion: v1
kind: Service
metadata: {name: api, namespace: amb, labels: {istio.io/use-waypoint: gone}}
spec: {ports: [{name: http, port: 80}]}
status: {conditions: [{type: istio.io/WaypointBound, status: 'False', reason: WaypointIsNotReady, message: 'waypoint \"amb/gone\" is not ready'}]}
",
    );
    let check = waypoints::binding_check(&mesh, "amb");
    assert_eq!(check.status, Status::Fail);
    assert_eq!(
        check.detail,
        "Service api uses waypoint amb/gone, which does not exist (istiod: waypoint \"amb/gone\" is not ready)"
    );
    assert!(
        check
            .hint
            .is_some_and(|h| h.contains("meshctl waypoint apply -n amb --name gone --wait")),
    );
}

#[test]
fn a_binding_istiod_refuses_fails_with_its_reason_and_one_not_reported_yet_warns() {
    let refused = mesh(
        "
apiVersion: v1
kind: Service
metadata: {name: api, namespace: amb}
spec: {ports: [{name: http, port: 80}]}
status: {conditions: [{type: istio.io/WaypointBound, status: 'False', reason: UnsupportedTrafficType, message: 'attempting to bind to traffic type \"service\" which the waypoint \"amb/waypoint\" does not support'}]}
",
    );
    let check = waypoints::binding_check(&refused, "amb");
    assert_eq!(check.status, Status::Fail);
    assert!(
        check.detail.starts_with(
            "Service api is not bound to waypoint amb/waypoint (UnsupportedTrafficType:"
        ),
        "{}",
        check.detail
    );
    assert!(check.hint.is_some_and(|h| h.contains("--for service")));
    let silent = mesh(
        "
apiVersion: v1
kind: Service
metadata: {name: api, namespace: amb}
spec: {ports: [{name: http, port: 80}]}
",
    );
    let check = waypoints::binding_check(&silent, "amb");
    assert_eq!(check.status, Status::Warn);
    assert!(check.detail.contains("Service(s) api"), "{}", check.detail);
}

#[test]
fn an_ambient_namespace_without_waypoints_skips_both_waypoint_checks() {
    let yaml = "
apiVersion: v1
kind: Namespace
metadata: {name: l4, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: l4}
spec: {ports: [{name: http, port: 80}]}
";
    let mesh = MeshSnapshot::from_yaml(yaml, "l4");
    assert_eq!(waypoints::waypoints_check(&mesh, "l4").status, Status::Skip);
    assert_eq!(waypoints::binding_check(&mesh, "l4").status, Status::Skip);
}

#[test]
fn the_label_and_sidecar_checks_accept_ambient_and_leave_sidecar_namespaces_alone() {
    let mesh = mesh("");
    let label = label_check(&options("amb"), &mesh).expect("ambient");
    assert_eq!(
        (label.status, label.detail.as_str()),
        (Status::Pass, "amb: istio.io/dataplane-mode=ambient")
    );
    let sidecars = sidecar_check(&options("amb"), &mesh).expect("ambient");
    assert_eq!(sidecars.status, Status::Skip);
    assert!(
        sidecars.detail.ends_with("no sidecar is expected"),
        "the waypoint's pod is not counted: {}",
        sidecars.detail
    );
    assert!(label_check(&options("side"), &mesh).is_none());
    assert!(sidecar_check(&options("side"), &mesh).is_none());
}

#[test]
fn an_ambient_namespace_also_labelled_for_sidecars_warns_with_mesh0801() {
    let yaml = MESH.replace(
        "istio.io/use-waypoint: waypoint}",
        "istio.io/use-waypoint: waypoint, istio-injection: enabled}",
    );
    let mesh = MeshSnapshot::from_yaml(&yaml, "amb");
    let label = label_check(&options("amb"), &mesh).expect("ambient");
    assert_eq!(label.status, Status::Warn);
    assert!(
        label.detail.starts_with(
            "Namespace/amb is labelled istio.io/dataplane-mode=ambient and istio-injection=enabled"
        ),
        "{}",
        label.detail
    );
    assert!(
        label
            .hint
            .is_some_and(|h| h.contains("kubectl label namespace amb istio-injection-"))
    );
}

#[test]
fn a_namespace_with_waypoints_but_no_data_plane_label_fails_with_the_enrol_command() {
    let unenrolled = MESH.replace(
        "{istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}",
        "{istio.io/use-waypoint: waypoint}",
    );
    let mesh = MeshSnapshot::from_yaml(&unenrolled, "amb");
    let label = label_check(&options("amb"), &mesh).expect("half enrolled");
    assert_eq!(label.status, Status::Fail);
    assert!(
        label
            .detail
            .starts_with("amb has istio.io/use-waypoint=waypoint but is neither in ambient"),
        "{}",
        label.detail
    );
    assert_eq!(
        label.hint.as_deref(),
        Some("enrol it in ambient: meshctl inject -n amb --mode ambient")
    );
    // Only the waypoint Gateway says it.
    let gateway_only = MESH.replace(
        "{istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}",
        "{team: a}",
    );
    let mesh = MeshSnapshot::from_yaml(&gateway_only, "amb");
    let label = label_check(&options("amb"), &mesh).expect("half enrolled");
    assert!(
        label.detail.contains("has waypoint amb/waypoint"),
        "{}",
        label.detail
    );
    // Labelled for sidecars, or with nothing of ambient: the sidecar check as it was.
    let sidecars = MESH.replace(
        "{istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}",
        "{istio-injection: enabled, istio.io/use-waypoint: waypoint}",
    );
    assert!(label_check(&options("amb"), &MeshSnapshot::from_yaml(&sidecars, "amb")).is_none());
    assert!(label_check(&options("side"), &mesh).is_none());
}
