//! `meshctl health` in ambient namespaces against the real istiod: the waypoints it programs,
//! the `istio.io/WaypointBound` conditions it writes on Services, the simulated ztunnel and
//! istio-cni DaemonSets; and sidecar namespaces reported exactly as before.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

const AMBIENT: (&str, &str) = ("istio.io/dataplane-mode", "ambient");
const AMBIENT_CHECKS: [&str; 4] = [
    "data-plane.ztunnel",
    "data-plane.istio-cni",
    "data-plane.waypoints",
    "data-plane.waypoint-binding",
];

/// An application without sidecars: a Deployment and its Service, with `labels` on the Service.
async fn application(ns: &str, name: &str, service_labels: Value) {
    let labels = json!({"app": name, "version": "v1"});
    create(ns, deployment(name, labels, 1, "app:1"))
        .await
        .expect("create the Deployment");
    create(
        ns,
        json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "labels": service_labels},
            "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 8080}]}}),
    )
    .await
    .expect("create the Service");
    await_deployment(ns, name).await;
}

async fn data_plane(ns: &str) -> (i32, Value) {
    let run = meshctl(&["-n", ns, "health", "--only", "data-plane", "-o", "json"]).await;
    assert!(
        run.code == 0 || run.code == 1,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    (run.code, run.json())
}

fn hint_of(report: &Value, id: &str) -> String {
    check(report, id)["hint"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn ids(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|c| c["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn health_passes_in_an_ambient_namespace_with_a_programmed_waypoint_and_a_bound_service() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-health-amb", &[AMBIENT]).await;
    let apply = meshctl(&[
        "-n",
        &ns.name,
        "waypoint",
        "apply",
        "--enroll-namespace",
        "--wait",
        "--timeout",
        "60s",
    ])
    .await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    application(&ns.name, "web", json!({})).await;
    await_deployment(&ns.name, "waypoint").await;

    // istiod writes the binding on the Service shortly after it sees it.
    let (code, report) = eventually(
        "istiod to bind the Service to the waypoint",
        Duration::from_secs(60),
        || async {
            let (code, report) = data_plane(&ns.name).await;
            (status_of(&report, "data-plane.waypoint-binding") == "pass").then_some((code, report))
        },
    )
    .await;
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        detail_of(&report, "data-plane.waypoint-binding"),
        format!("bound: web → {}/waypoint", ns.name)
    );
    assert_eq!(
        detail_of(&report, "data-plane.waypoints"),
        format!("Programmed: {}/waypoint", ns.name)
    );
    for id in ["data-plane.ztunnel", "data-plane.istio-cni"] {
        assert_eq!(status_of(&report, id), "pass", "{report:#}");
        assert!(
            detail_of(&report, id)
                .contains("1/1 pods ready, one on each of 1 schedulable Linux nodes"),
            "{}",
            detail_of(&report, id)
        );
    }
    assert_eq!(status_of(&report, "data-plane.injection-label"), "pass");
    assert_eq!(
        detail_of(&report, "data-plane.injection-label"),
        format!("{}: istio.io/dataplane-mode=ambient", ns.name)
    );
    // The app's pod has no sidecar, and in ambient that is how it should be.
    assert_eq!(status_of(&report, "data-plane.sidecars"), "skip");
    assert!(
        detail_of(&report, "data-plane.sidecars").contains("no sidecar is expected"),
        "{}",
        detail_of(&report, "data-plane.sidecars")
    );
    assert_eq!(status_of(&report, "data-plane.workloads"), "pass");
    assert_eq!(report["status"], "pass");
}

#[tokio::test(flavor = "multi_thread")]
async fn health_fails_for_a_waypoint_istiod_cannot_program_and_a_service_whose_waypoint_is_missing()
{
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-health-amb-bad", &[AMBIENT]).await;
    // An address istiod cannot assign: it reports the waypoint Programmed=False.
    create(
        &ns.name,
        json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "stuck"},
            "spec": {"gatewayClassName": "istio-waypoint",
                     "addresses": [{"type": "Hostname", "value": format!("nowhere.{}.svc.cluster.local", ns.name)}],
                     "listeners": [{"name": "mesh", "port": 15008, "protocol": "HBONE"}]}}),
    )
    .await
    .expect("create the waypoint");
    application(&ns.name, "api", json!({"istio.io/use-waypoint": "gone"})).await;

    let report = eventually(
        "istiod to judge the waypoint and the Service",
        Duration::from_secs(60),
        || async {
            let (code, report) = data_plane(&ns.name).await;
            let judged = detail_of(&report, "data-plane.waypoints").contains("AddressNotUsable")
                && detail_of(&report, "data-plane.waypoint-binding").contains("istiod:");
            (code == 1 && judged).then_some(report)
        },
    )
    .await;
    assert_eq!(status_of(&report, "data-plane.waypoints"), "fail");
    assert!(
        detail_of(&report, "data-plane.waypoints").starts_with(&format!(
            "{}/stuck is not Programmed (AddressNotUsable: ",
            ns.name
        )),
        "{}",
        detail_of(&report, "data-plane.waypoints")
    );
    assert!(
        hint_of(&report, "data-plane.waypoints")
            .contains(&format!("meshctl waypoint status -n {}", ns.name)),
        "{report:#}"
    );
    assert_eq!(status_of(&report, "data-plane.waypoint-binding"), "fail");
    assert_eq!(
        detail_of(&report, "data-plane.waypoint-binding"),
        format!(
            "Service api uses waypoint {0}/gone, which does not exist (istiod: waypoint \"{0}/gone\" is not ready)",
            ns.name
        )
    );
    assert!(
        hint_of(&report, "data-plane.waypoint-binding").contains(&format!(
            "meshctl waypoint apply -n {} --name gone --wait",
            ns.name
        )),
        "{report:#}"
    );
    // Pods without sidecars are not what fails here.
    assert_eq!(status_of(&report, "data-plane.sidecars"), "skip");
    assert_eq!(status_of(&report, "data-plane.injection-label"), "pass");
    for id in ["data-plane.ztunnel", "data-plane.istio-cni"] {
        assert_eq!(status_of(&report, id), "pass", "{report:#}");
    }
    let failing: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] == "fail")
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        failing,
        ["data-plane.waypoints", "data-plane.waypoint-binding"]
    );

    // The text report says the same, with the fixing command under each failure.
    let text = meshctl(&["-n", &ns.name, "health", "--only", "data-plane"]).await;
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("× Services bound to their waypoint (ambient): Service api uses waypoint"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!(
            "hint: create it: meshctl waypoint apply -n {} --name gone --wait",
            ns.name
        )),
        "{}",
        text.stdout
    );
}

/// A sidecar namespace's report is the one it always was: the same four data-plane checks, no
/// ambient check, not even as skipped.
#[tokio::test(flavor = "multi_thread")]
async fn a_sidecar_namespace_gets_no_ambient_check_and_its_data_plane_report_is_unchanged() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-health-sidecar", &[("istio-injection", "enabled")]).await;
    application(&ns.name, "web", json!({})).await;
    let (code, report) = data_plane(&ns.name).await;
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        ids(&report),
        [
            "data-plane.injection-label",
            "data-plane.sidecars",
            "data-plane.version-skew",
            "data-plane.workloads"
        ]
    );
    assert_eq!(
        detail_of(&report, "data-plane.injection-label"),
        format!("{}: istio-injection=enabled", ns.name)
    );
    assert_eq!(
        detail_of(&report, "data-plane.sidecars"),
        format!("1/1 pods in {} have istio-proxy", ns.name)
    );
    let text = meshctl(&["-n", &ns.name, "health"]).await;
    assert!(!text.stdout.contains("(ambient)"), "{}", text.stdout);
    // Their ids are the catalog's all the same: --skip takes them in any namespace.
    let mut args = vec!["-n", ns.name.as_str(), "health", "--only", "data-plane"];
    for id in AMBIENT_CHECKS {
        args.extend(["--skip", id]);
    }
    let skipped = meshctl(&args).await;
    assert_eq!(skipped.code, 0, "{}", skipped.stderr);

    // An unlabelled namespace: the old failure, not an ambient one.
    let bare = TestNamespace::create("t-health-bare", &[]).await;
    let (code, report) = data_plane(&bare.name).await;
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "data-plane.injection-label"), "fail");
    assert!(
        ids(&report)
            .iter()
            .all(|id| !AMBIENT_CHECKS.contains(&id.as_str()))
    );

    // Set up for a waypoint but enrolled in neither mode: the fix is to enrol it in ambient.
    let half =
        TestNamespace::create("t-health-half", &[("istio.io/use-waypoint", "waypoint")]).await;
    let (code, report) = data_plane(&half.name).await;
    assert_eq!(code, 1);
    assert_eq!(status_of(&report, "data-plane.injection-label"), "fail");
    assert_eq!(
        hint_of(&report, "data-plane.injection-label"),
        format!(
            "enrol it in ambient: meshctl inject -n {} --mode ambient",
            half.name
        )
    );
}

/// The `view` role cannot list nodes: ztunnel is judged by its DaemonSet's counts, and says so.
#[tokio::test(flavor = "multi_thread")]
async fn the_view_only_identity_judges_ztunnel_by_the_daemon_set_counts() {
    cluster();
    let viewer = cluster().viewer.to_string_lossy().into_owned();
    let ns = TestNamespace::create("t-health-amb-view", &[AMBIENT]).await;
    let run = meshctl(&[
        "--kubeconfig",
        &viewer,
        "-n",
        &ns.name,
        "health",
        "--only",
        "data-plane",
        "-o",
        "json",
    ])
    .await;
    let report = run.json();
    assert_eq!(
        status_of(&report, "data-plane.ztunnel"),
        "pass",
        "{report:#}"
    );
    assert!(
        detail_of(&report, "data-plane.ztunnel")
            .contains("nodes not readable, judged by the DaemonSet's counts"),
        "{}",
        detail_of(&report, "data-plane.ztunnel")
    );
    assert_eq!(status_of(&report, "data-plane.waypoints"), "skip");
    assert_eq!(status_of(&report, "data-plane.waypoint-binding"), "skip");
}

/// A namespace labelled for ambient and for sidecars: a warning naming the label to remove, not
/// a missing label, and no sidecar counted as missing.
#[tokio::test(flavor = "multi_thread")]
async fn an_ambient_namespace_also_labelled_for_sidecars_is_a_warning() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create(
        "t-health-amb-dual",
        &[AMBIENT, ("istio-injection", "enabled")],
    )
    .await;
    application(&ns.name, "web", json!({})).await;
    let (_, report) = data_plane(&ns.name).await;
    assert_eq!(
        status_of(&report, "data-plane.injection-label"),
        "warn",
        "{report:#}"
    );
    assert!(
        detail_of(&report, "data-plane.injection-label")
            .contains("istio.io/dataplane-mode=ambient and istio-injection=enabled"),
        "{report:#}"
    );
    assert!(
        hint_of(&report, "data-plane.injection-label").contains(&format!(
            "kubectl label namespace {} istio-injection-",
            ns.name
        )),
        "{report:#}"
    );
    assert_eq!(status_of(&report, "data-plane.sidecars"), "skip");
    assert!(
        detail_of(&report, "data-plane.sidecars").contains("1 of its 1 pods run one of their own"),
        "the injector gave the pod a sidecar: {report:#}"
    );
}
