//! The dev cluster itself is real: KWOK runs Deployments, the CRD schemas and istiod's webhooks
//! judge Istio objects, the injector injects.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_deployment_becomes_ready_on_kwok_nodes() {
    cluster();
    let ns = TestNamespace::create("t-deploy", &[]).await;
    create(
        &ns.name,
        deployment("web", serde_json::json!({"app": "web"}), 2, "nginx"),
    )
    .await
    .expect("create deployment");
    await_deployment(&ns.name, "web").await;
    let pods = pods(&ns.name, "app=web").await;
    assert_eq!(pods.len(), 2);
    for pod in pods {
        let status = pod.status.expect("pod status");
        assert_eq!(status.phase.as_deref(), Some("Running"));
        let ip = status.pod_ip.expect("pod IP");
        assert!(
            ip.starts_with("198.18.1."),
            "pod IP {ip} is outside the pod network"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_istio_object_with_an_invalid_field_is_rejected_by_the_crd_schema() {
    cluster();
    let ns = TestNamespace::create("t-schema", &[]).await;
    let bad = serde_json::json!({
        "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "bad-hosts"},
        "spec": {"hosts": "not-a-list", "http": [{"route": [{"destination": {"host": "x"}}]}]},
    });
    let err = create(&ns.name, bad)
        .await
        .expect_err("schema must reject hosts as a string");
    let kube::Error::Api(status) = err else {
        panic!("expected an API error, got {err}")
    };
    assert_eq!(status.code, 422, "{}", status.message);
    assert!(status.message.contains("spec.hosts"), "{}", status.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn istiods_validation_webhook_rejects_what_the_schema_accepts() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-validate", &[]).await;
    let nameless_subset = serde_json::json!({
        "apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
        "metadata": {"name": "bad-subset"},
        "spec": {"host": "svc", "subsets": [{"name": "", "labels": {"version": "v1"}}]},
    });
    let err = create(&ns.name, nameless_subset)
        .await
        .expect_err("istiod must reject a subset without a name");
    let kube::Error::Api(status) = err else {
        panic!("expected an API error, got {err}")
    };
    assert!(
        status.message.contains("validation.istio.io")
            && status.message.contains("denied the request"),
        "{}",
        status.message
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_real_injector_adds_istio_proxy_and_health_counts_it() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-inject", &[("istio-injection", "enabled")]).await;
    let labels = serde_json::json!({"app": "revenue-engine", "version": "v1"});
    create(
        &ns.name,
        deployment("revenue-engine", labels, 1, "revenue-engine:1"),
    )
    .await
    .expect("create deployment");
    await_deployment(&ns.name, "revenue-engine").await;
    let pods = pods(&ns.name, "app=revenue-engine").await;
    let spec = pods[0].spec.as_ref().expect("pod spec");
    let names: Vec<&str> = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .map(|c| c.name.as_str())
        .collect();
    assert!(names.contains(&"istio-proxy"), "containers: {names:?}");

    let run = meshctl(&["health", "-n", &ns.name, "-o", "json"]).await;
    let report = run.json();
    assert_eq!(
        status_of(&report, "data-plane.sidecars"),
        "pass",
        "{}",
        detail_of(&report, "data-plane.sidecars")
    );
    assert!(
        detail_of(&report, "data-plane.sidecars").starts_with("1/1 pods"),
        "{}",
        detail_of(&report, "data-plane.sidecars")
    );
}
