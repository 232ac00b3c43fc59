//! `meshctl inject --mode ambient` against the real injector (enrolment without restarts, the
//! move from sidecars in Istio's order, --disable), and the Gateway API manifests against the
//! real CRD schemas and Istio's validation webhook.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use serde_json::{Value, json};

use crate::support::*;

async fn labels(ns: &str) -> BTreeMap<String, String> {
    let api: Api<Namespace> = Api::all(admin_client().await);
    api.get(ns)
        .await
        .expect("get namespace")
        .metadata
        .labels
        .unwrap_or_default()
}

/// (pod uid, has istio-proxy) of an app's live pods, sorted.
async fn pod_state(ns: &str, app: &str) -> Vec<(String, bool)> {
    let mut state: Vec<(String, bool)> = pods(ns, &format!("app={app}"))
        .await
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(|p| {
            let sidecar = p.spec.as_ref().is_some_and(|s| {
                s.containers
                    .iter()
                    .chain(s.init_containers.iter().flatten())
                    .any(|c| c.name == "istio-proxy")
            });
            (p.metadata.uid.unwrap_or_default(), sidecar)
        })
        .collect();
    state.sort();
    state
}

async fn deploy(ns: &str, app: &str, replicas: i32, inject: Option<&str>) {
    let mut object = deployment(app, json!({"app": app}), replicas, "img:1");
    if let Some(inject) = inject {
        object["spec"]["template"]["metadata"]["labels"]["sidecar.istio.io/inject"] = json!(inject);
    }
    create(ns, object).await.expect("deployment");
    await_deployment(ns, app).await;
}

fn steps(report: &Value) -> Vec<(String, String)> {
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["step"].as_str().unwrap_or_default().into(),
                s["result"].as_str().unwrap_or_default().into(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn ambient_enrolment_labels_the_namespace_and_restarts_nothing() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-ambient-enrol", &[]).await;
    deploy(&ns.name, "api", 2, None).await;
    let before = pod_state(&ns.name, "api").await;
    assert_eq!(before.len(), 2);

    let run = meshctl(&["-n", &ns.name, "inject", "--mode", "ambient", "-o", "json"]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        steps(&report),
        pairs(&[
            ("dataplane-label", "done"),
            ("injection-label", "unchanged"),
            ("restart", "unchanged")
        ])
    );
    assert_eq!(report["deployments"][0]["result"], "no-sidecar");
    assert_eq!(
        labels(&ns.name)
            .await
            .get("istio.io/dataplane-mode")
            .map(String::as_str),
        Some("ambient")
    );
    // Give a restart, had there been one, time to show; the pods must be the very same.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        pod_state(&ns.name, "api").await,
        before,
        "no pod was replaced"
    );

    let again = meshctl(&["-n", &ns.name, "inject", "--mode", "ambient", "-o", "json"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        steps(&again.json())[0],
        ("dataplane-label".to_string(), "unchanged".to_string())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn moving_from_sidecars_labels_first_then_unlabels_then_restarts_only_the_sidecars() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-ambient-move", &[("istio-injection", "enabled")]).await;
    deploy(&ns.name, "api", 2, None).await;
    deploy(&ns.name, "plain", 1, Some("false")).await;
    let api_before = pod_state(&ns.name, "api").await;
    assert!(
        api_before.iter().all(|(_, sidecar)| *sidecar),
        "the real injector gave api its sidecars: {api_before:?}"
    );
    let plain_before = pod_state(&ns.name, "plain").await;

    let dry = meshctl(&[
        "-n",
        &ns.name,
        "inject",
        "--mode",
        "ambient",
        "--dry-run",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(
        steps(&dry.json()),
        pairs(&[
            ("dataplane-label", "planned"),
            ("injection-label", "planned"),
            ("restart", "planned")
        ])
    );
    assert_eq!(
        labels(&ns.name)
            .await
            .get("istio-injection")
            .map(String::as_str),
        Some("enabled")
    );
    assert_eq!(
        pod_state(&ns.name, "api").await,
        api_before,
        "a dry run restarts nothing"
    );

    let run = meshctl(&[
        "-n",
        &ns.name,
        "inject",
        "--mode",
        "ambient",
        "--timeout",
        "60s",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        steps(&report),
        pairs(&[
            ("dataplane-label", "done"),
            ("injection-label", "done"),
            ("restart", "done")
        ])
    );
    let outcome = |name: &str| {
        report["deployments"]
            .as_array()
            .expect("deployments")
            .iter()
            .find(|d| d["name"] == name)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(outcome("api")["result"], "restarted");
    assert_eq!(outcome("api")["injected_pods"], 0);
    assert_eq!(outcome("plain")["result"], "no-sidecar");

    let labels = labels(&ns.name).await;
    assert_eq!(
        labels.get("istio.io/dataplane-mode").map(String::as_str),
        Some("ambient")
    );
    assert!(!labels.contains_key("istio-injection"), "{labels:?}");
    // New pods without the sidecar show that the label was gone before the restart.
    let api_after = pod_state(&ns.name, "api").await;
    assert_eq!(api_after.len(), 2);
    assert!(
        api_after
            .iter()
            .all(|(uid, sidecar)| !sidecar && !api_before.iter().any(|(old, _)| old == uid)),
        "{api_after:?}"
    );
    assert_eq!(
        pod_state(&ns.name, "plain").await,
        plain_before,
        "a Deployment without sidecars is left alone"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_waypoint_asked_for_comes_first_and_is_programmed_before_the_namespace_moves() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-ambient-wp", &[("istio-injection", "enabled")]).await;
    deploy(&ns.name, "api", 1, None).await;

    let run = meshctl(&[
        "-n",
        &ns.name,
        "inject",
        "--mode",
        "ambient",
        "--waypoint",
        "wp",
        "--timeout",
        "60s",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        steps(&report),
        pairs(&[
            ("waypoint", "done"),
            ("dataplane-label", "done"),
            ("injection-label", "done"),
            ("restart", "done")
        ])
    );
    let labels = labels(&ns.name).await;
    assert_eq!(
        labels.get("istio.io/use-waypoint").map(String::as_str),
        Some("wp")
    );
    let status = meshctl(&["-n", &ns.name, "waypoint", "status", "-o", "json"]).await;
    assert_eq!(
        status.json()["waypoints"][0]["programmed"]["status"],
        "True",
        "{}",
        status.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn disable_removes_the_ambient_labels_and_a_conflicting_mode_needs_force() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create(
        "t-ambient-off",
        &[
            ("istio.io/dataplane-mode", "ambient"),
            ("istio.io/use-waypoint", "wp"),
        ],
    )
    .await;
    deploy(&ns.name, "api", 1, None).await;
    let before = pod_state(&ns.name, "api").await;

    let run = meshctl(&[
        "-n",
        &ns.name,
        "inject",
        "--mode",
        "ambient",
        "--disable",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        steps(&run.json()),
        pairs(&[("dataplane-label", "done"), ("waypoint-label", "done")])
    );
    let after = labels(&ns.name).await;
    assert!(
        !after.contains_key("istio.io/dataplane-mode")
            && !after.contains_key("istio.io/use-waypoint"),
        "{after:?}"
    );
    assert_eq!(
        pod_state(&ns.name, "api").await,
        before,
        "leaving ambient restarts nothing"
    );

    let opted_out =
        TestNamespace::create("t-ambient-none", &[("istio.io/dataplane-mode", "none")]).await;
    let refused = meshctl(&["-n", &opted_out.name, "inject", "--mode", "ambient"]).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("istio.io/dataplane-mode=none")
            && refused.stderr.contains("--force"),
        "{}",
        refused.stderr
    );
    let forced = meshctl(&[
        "-n",
        &opted_out.name,
        "inject",
        "--mode",
        "ambient",
        "--force",
    ])
    .await;
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_eq!(
        labels(&opted_out.name)
            .await
            .get("istio.io/dataplane-mode")
            .map(String::as_str),
        Some("ambient")
    );

    let revision = meshctl(&[
        "-n",
        &ns.name,
        "inject",
        "--mode",
        "ambient",
        "--revision",
        "canary",
    ])
    .await;
    assert_eq!(revision.code, 2, "{}", revision.stderr);
}

/// Server-side dry run with strict field validation: the CRD schema and Istio's webhook judge.
async fn dry_run(ns: &str, object: &Value) -> Result<(), String> {
    let client = admin_client().await;
    let api_version = object["apiVersion"].as_str().expect("apiVersion");
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = GroupVersionKind::gvk(group, version, object["kind"].as_str().expect("kind"));
    let (resource, _): (ApiResource, _) = kube::discovery::pinned_kind(&client, &gvk)
        .await
        .map_err(|e| format!("not served: {e}"))?;
    let api: Api<DynamicObject> = Api::namespaced_with(client, ns, &resource);
    let name = object["metadata"]["name"].as_str().expect("name");
    let mut params = PatchParams::apply("meshctl").validation_strict();
    params.dry_run = true;
    api.patch(name, &params, &Patch::Apply(object))
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn gateway_api_manifests_pass_the_crd_schemas_and_istios_validation() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-gwapi-render", &[]).await;
    let dir = scratch_dir("meshctl-gwapi-");
    let config = dir.path().join("meshctl.yaml");
    std::fs::write(&config, "canary: {enabled: true, weights: {v1: 90, v2: 10}, mirrorPercent: 2.5}\nfault: {enabled: true}\n").expect("write config");

    let run = meshctl(&[
        "-n",
        &ns.name,
        "manifests",
        "render",
        "--api",
        "gateway-api",
        "--config",
        config.to_str().expect("utf-8"),
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("fault injection has no Gateway API equivalent"),
        "{}",
        run.stderr
    );
    let items = run.json()["items"].as_array().cloned().expect("items");
    let mut judged = Vec::new();
    for object in &items {
        let kind = object["kind"].as_str().unwrap_or_default().to_string();
        if kind == "ServiceMonitor" || kind == "Jaeger" {
            continue; // their operators' CRDs are not part of the dev cluster
        }
        dry_run(&ns.name, object)
            .await
            .unwrap_or_else(|e| panic!("{kind} {} refused: {e}", object["metadata"]["name"]));
        judged.push(kind);
    }
    for kind in [
        "Gateway",
        "HTTPRoute",
        "Service",
        "AuthorizationPolicy",
        "RequestAuthentication",
        "DestinationRule",
    ] {
        assert!(
            judged.iter().any(|k| k == kind),
            "{kind} judged: {judged:?}"
        );
    }

    // The judges are awake: a duration the Gateway API does not allow and a policy with both a
    // selector and targetRefs are refused.
    let mut route = items
        .iter()
        .find(|o| o["kind"] == "HTTPRoute")
        .cloned()
        .expect("route");
    route["spec"]["rules"][0]["timeouts"] = json!({"request": "1.5s"});
    assert!(
        dry_run(&ns.name, &route).await.is_err(),
        "the CRD schema refuses 1.5s"
    );
    let mut policy = items
        .iter()
        .find(|o| o["kind"] == "AuthorizationPolicy")
        .cloned()
        .expect("policy");
    policy["spec"]["selector"] = json!({"matchLabels": {"app": "x"}});
    let refused = dry_run(&ns.name, &policy)
        .await
        .expect_err("Istio's webhook refuses selector with targetRefs");
    assert!(
        refused.contains("denied") || refused.contains("targetRef"),
        "{refused}"
    );
}
