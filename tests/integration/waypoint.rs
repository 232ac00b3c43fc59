//! `meshctl waypoint` against the real istiod: the Gateway it applies is deployed by istiod's
//! waypoint controller (KWOK makes the pods ready), listed, inspected and deleted.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::Api;

use crate::support::*;

async fn namespace_label(ns: &str, key: &str) -> Option<String> {
    let api: Api<Namespace> = Api::all(admin_client().await);
    let found = api.get(ns).await.expect("get namespace");
    found.metadata.labels.and_then(|l| l.get(key).cloned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_waypoint_is_deployed_by_istiod_programmed_enrolled_listed_and_deleted() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-waypoint", &[("istio.io/dataplane-mode", "ambient")]).await;

    let run = meshctl(&[
        "-n",
        &ns.name,
        "waypoint",
        "apply",
        "--for",
        "service",
        "--enroll-namespace",
        "--wait",
        "--timeout",
        "60s",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(report["result"], "created");
    assert_eq!(report["programmed"], true);
    assert_eq!(report["enrolled"], "istio.io/use-waypoint=waypoint");
    assert_eq!(
        report["warnings"],
        serde_json::json!([]),
        "the namespace is ambient"
    );
    assert_eq!(
        namespace_label(&ns.name, "istio.io/use-waypoint")
            .await
            .as_deref(),
        Some("waypoint")
    );

    // istiod, not meshctl, made the Deployment: it carries istiod's gateway-name label.
    let deployments: Api<Deployment> = Api::namespaced(admin_client().await, &ns.name);
    let deployment = eventually(
        "istiod to deploy the waypoint",
        Duration::from_secs(60),
        || {
            let deployments = deployments.clone();
            async move { deployments.get_opt("waypoint").await.ok().flatten() }
        },
    )
    .await;
    let labels = deployment.metadata.labels.unwrap_or_default();
    assert_eq!(
        labels
            .get("gateway.networking.k8s.io/gateway-name")
            .map(String::as_str),
        Some("waypoint")
    );
    await_deployment(&ns.name, "waypoint").await;

    let status = meshctl(&["-n", &ns.name, "waypoint", "status", "-o", "json"]).await;
    assert_eq!(status.code, 0, "{}\n{}", status.stdout, status.stderr);
    let waypoint = &status.json()["waypoints"][0];
    assert_eq!(waypoint["name"], "waypoint");
    assert_eq!(waypoint["traffic_for"], "service");
    assert_eq!(waypoint["programmed"]["status"], "True");
    assert_eq!(
        waypoint["deployment"]["ready"],
        waypoint["deployment"]["desired"]
    );
    assert_eq!(
        waypoint["used_by"],
        serde_json::json!([format!("Namespace/{}", ns.name)])
    );

    let list = meshctl(&["-n", &ns.name, "waypoint", "list"]).await;
    assert_eq!(list.code, 0, "{}", list.stderr);
    assert!(
        list.stdout
            .lines()
            .any(|l| l.contains("waypoint") && l.contains("True")),
        "{}",
        list.stdout
    );

    let delete = meshctl(&[
        "-n", &ns.name, "waypoint", "delete", "waypoint", "-o", "json",
    ])
    .await;
    assert_eq!(delete.code, 0, "{}", delete.stderr);
    assert_eq!(delete.json()["waypoints"][0]["result"], "deleted");
    let after = meshctl(&["-n", &ns.name, "waypoint", "list", "-o", "json"]).await;
    assert_eq!(after.json()["waypoints"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
async fn apply_refuses_a_reserved_name_and_another_enrolled_waypoint_and_delete_keeps_other_gateways()
 {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-waypoint-edges", &[("istio.io/use-waypoint", "east")]).await;

    let reserved = meshctl(&["-n", &ns.name, "waypoint", "apply", "--name", "none"]).await;
    assert_eq!(reserved.code, 2, "{}", reserved.stderr);
    assert!(reserved.stderr.contains("reserves"), "{}", reserved.stderr);

    let conflict = meshctl(&[
        "-n",
        &ns.name,
        "waypoint",
        "apply",
        "--name",
        "west",
        "--enroll-namespace",
    ])
    .await;
    assert_eq!(conflict.code, 2, "{}", conflict.stderr);
    assert!(
        conflict.stderr.contains("istio.io/use-waypoint=east"),
        "{}",
        conflict.stderr
    );
    assert!(
        conflict.stderr.contains("--overwrite"),
        "{}",
        conflict.stderr
    );
    let list = meshctl(&["-n", &ns.name, "waypoint", "list", "-o", "json"]).await;
    assert_eq!(
        list.json()["waypoints"],
        serde_json::json!([]),
        "nothing applied on a conflict"
    );

    let replaced = meshctl(&[
        "-n",
        &ns.name,
        "waypoint",
        "apply",
        "--name",
        "west",
        "--enroll-namespace",
        "--overwrite",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(replaced.code, 0, "{}", replaced.stderr);
    let report = replaced.json();
    assert!(
        report["warnings"][0]
            .as_str()
            .is_some_and(|w| w.contains("not enrolled in ambient")),
        "{report:#}"
    );
    assert_eq!(
        namespace_label(&ns.name, "istio.io/use-waypoint")
            .await
            .as_deref(),
        Some("west")
    );

    create(
        &ns.name,
        serde_json::json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "edge"},
            "spec": {"gatewayClassName": "istio", "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]}}),
    )
    .await
    .expect("create an ingress Gateway");
    let delete = meshctl(&[
        "-n", &ns.name, "waypoint", "delete", "edge", "gone", "west", "-o", "json",
    ])
    .await;
    assert_eq!(delete.code, 0, "{}", delete.stderr);
    let results: Vec<(String, String)> = delete.json()["waypoints"]
        .as_array()
        .expect("waypoints")
        .iter()
        .map(|d| {
            (
                d["name"].as_str().unwrap_or_default().to_string(),
                d["result"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [("edge", "kept"), ("gone", "absent"), ("west", "deleted")]
            .map(|(n, r)| (n.to_string(), r.to_string()))
    );
    let gateways = meshctl(&["-n", &ns.name, "waypoint", "list", "-o", "json"]).await;
    assert_eq!(gateways.json()["waypoints"], serde_json::json!([]));
}
