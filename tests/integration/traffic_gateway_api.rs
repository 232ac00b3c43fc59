//! `traffic-test --from-config` with the Gateway API: the weighted backendRefs of
//! `manifests render --api gateway-api` read from a file (the same split as the VirtualService
//! form), HTTPRoutes read live from the dev cluster (after its real CRD schemas accepted them),
//! and the warnings when the mesh's routing cannot apply to traffic sent from outside the mesh.

use serde_json::{Value, json};

use crate::loadserver::{Behaviour, LoadServer};
use crate::support::*;

const CANARY: &str = "canary: {enabled: true, weights: {v1: 85, v2: 15}}\n";
const HOST: &str = "revenue-engine.tradingrobotplug.com";

/// `manifests render` of the canary config for namespace `ns` (`api`: `gateway-api` or `istio`),
/// as YAML written to `dir/name`.
async fn rendered(dir: &std::path::Path, ns: &str, api: &str) -> std::path::PathBuf {
    let config = dir.join("meshctl.yaml");
    std::fs::write(&config, CANARY).expect("write config");
    let config = config.to_str().expect("utf-8").to_string();
    let run = meshctl_bare(&[
        "-n",
        ns,
        "manifests",
        "render",
        "--api",
        api,
        "--config",
        &config,
    ])
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = dir.join(format!("{api}.yaml"));
    std::fs::write(&file, &run.stdout).expect("write manifests");
    file
}

fn threshold_ok(report: &Value, name: &str) -> bool {
    report["thresholds"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no threshold {name} in {report:#}"))["ok"]
        == true
}

fn warning_ids(report: &Value) -> Vec<String> {
    report["config"]["warnings"]
        .as_array()
        .map(|w| {
            w.iter()
                .map(|w| w["id"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// 400 requests to `url` with `--host`, the version read from `x-version`, and `extra` flags.
async fn checked(url: &str, host: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "traffic-test",
        url,
        "-n",
        "400",
        "-c",
        "4",
        "--host",
        host,
        "--split-by",
        "header:x-version",
        "--metrics-wait",
        "1s",
    ];
    args.extend(extra);
    meshctl(&args).await
}

#[tokio::test(flavor = "multi_thread")]
async fn rendered_gateway_api_manifests_give_the_split_of_the_virtual_service_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gateway_api = rendered(dir.path(), "shop", "gateway-api").await;
    let istio = rendered(dir.path(), "shop", "istio").await;
    let server = LoadServer::start(Behaviour {
        v2_percent: Some(15),
        ..Behaviour::default()
    })
    .await;
    let url = format!("{}api/v1/revenue/daily", server.url);
    let from = |file: &std::path::Path| format!("--from-config={}", file.display());
    let args = |file| {
        vec![
            "traffic-test".to_string(),
            url.clone(),
            "-n".into(),
            "400".into(),
            "-c".into(),
            "4".into(),
            "--namespace".into(),
            "shop".into(),
            "--host".into(),
            HOST.into(),
            from(file),
            "--split-by".into(),
            "header:x-version".into(),
            "-o".into(),
            "json".into(),
        ]
    };
    let run = |file| {
        let args = args(file);
        async move { meshctl_bare(&args.iter().map(String::as_str).collect::<Vec<_>>()).await }
    };
    let routes = run(&gateway_api).await;
    assert_eq!(routes.code, 0, "{}\n{}", routes.stdout, routes.stderr);
    let routes = routes.json();
    assert_eq!(
        routes["config"]["source"],
        "HTTPRoute shop/revenue-engine-api, rule 0 \"api-routes\""
    );
    assert_eq!(
        routes["config"]["split"],
        json!([["v2", 15.0], ["v1", 85.0]])
    );
    assert!(threshold_ok(&routes, "expect-split"), "{routes:#}");
    assert_eq!(
        routes["config"]["destinations"],
        json!([
            "revenue-engine-service-v2.shop.svc.cluster.local",
            "revenue-engine-service-v1.shop.svc.cluster.local"
        ])
    );
    // Bound to the ingress Gateway: applied to what comes through it, no doubt to raise.
    assert_eq!(warning_ids(&routes), Vec::<String>::new(), "{routes:#}");

    let services = run(&istio).await;
    assert_eq!(services.code, 0, "{}\n{}", services.stdout, services.stderr);
    let services = services.json();
    assert!(
        services["config"]["source"]
            .as_str()
            .unwrap_or_default()
            .starts_with("VirtualService shop/"),
        "{services:#}"
    );
    assert_eq!(services["config"]["split"], routes["config"]["split"]);

    // A server answering 60/40 fails the rendered 85/15 split.
    let skewed = LoadServer::start(Behaviour {
        v2_percent: Some(40),
        ..Behaviour::default()
    })
    .await;
    let skewed_url = format!("{}api/v1/revenue/daily", skewed.url);
    let mut skewed_args = args(&gateway_api);
    skewed_args[1] = skewed_url;
    let run = meshctl_bare(&skewed_args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!threshold_ok(&run.json(), "expect-split"));

    // The health route's exact path wins over the api prefix; text names the rule.
    let health = format!("{}health", server.url);
    let text = meshctl_bare(&[
        "traffic-test",
        &health,
        "-n",
        "20",
        "--namespace",
        "shop",
        "--host",
        HOST,
        &from(&gateway_api),
    ])
    .await;
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(
            "Expected from HTTPRoute shop/revenue-engine-health, rule 0 \"health-check\""
        ),
        "{}",
        text.stdout
    );
}

/// Services `reviews` (the route's parent), `reviews-v1` and `reviews-v2` (one per version),
/// and a Deployment per version whose pods KWOK runs; the v1 pod's address.
async fn reviews(ns: &str) -> String {
    let service = |name: &str, selector: Value| {
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": selector, "ports": [{"name": "http", "port": 9080}]}})
    };
    create(ns, service("reviews", json!({"app": "reviews"})))
        .await
        .expect("Service");
    for version in ["v1", "v2"] {
        let selector = json!({"app": "reviews", "version": version});
        create(ns, service(&format!("reviews-{version}"), selector.clone()))
            .await
            .expect("Service");
        let name = format!("reviews-{version}");
        create(ns, deployment(&name, selector, 1, "example/reviews:1"))
            .await
            .expect("Deployment");
        await_deployment(ns, &name).await;
    }
    pod_ip_of(ns, "app=reviews,version=v1").await
}

/// A GAMMA route: parent Service `reviews`, 80/20 to the version Services.
fn mesh_route() -> Value {
    json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"name": "reviews"},
        "spec": {
            "parentRefs": [{"group": "", "kind": "Service", "name": "reviews", "port": 9080}],
            "rules": [{
                "name": "canary",
                "matches": [{"path": {"type": "PathPrefix", "value": "/api"}}],
                "backendRefs": [
                    {"name": "reviews-v1", "port": 9080, "weight": 80},
                    {"name": "reviews-v2", "port": 9080, "weight": 20},
                ],
            }],
        },
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn live_httproutes_give_the_split_and_warn_when_the_mesh_cannot_apply_them() {
    cluster();
    let _istiod = istiod_serving();
    let ns =
        TestNamespace::create("t-route-gamma", &[("istio.io/dataplane-mode", "ambient")]).await;
    let v1 = reviews(&ns.name).await;
    create(&ns.name, mesh_route())
        .await
        .expect("the CRD schema accepts the route");

    let server = LoadServer::start(Behaviour {
        v2_percent: Some(20),
        ..Behaviour::default()
    })
    .await;
    let url = format!("{}api/reviews", server.url);
    let run = checked(
        &url,
        "reviews",
        &["--namespace", &ns.name, "--from-config", "-o", "json"],
    )
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        report["config"]["source"],
        format!("HTTPRoute {}/reviews, rule 0 \"canary\"", ns.name)
    );
    assert_eq!(
        report["config"]["split"],
        json!([["v1", 80.0], ["v2", 20.0]])
    );
    assert!(threshold_ok(&report, "expect-split"), "{report:#}");
    let ids = warning_ids(&report);
    for id in ["client-outside-mesh", "no-waypoint"] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
    let no_waypoint = report["config"]["warnings"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["id"] == "no-waypoint"))
        .map(|w| w["message"].to_string())
        .unwrap_or_default();
    assert!(
        no_waypoint.contains(&format!(
            "Service {}/reviews is in an ambient namespace",
            ns.name
        )) && no_waypoint.contains("istio.io/use-waypoint"),
        "{no_waypoint}"
    );

    // Sent straight to the v1 pod, as an operator outside the mesh would: nothing applies the
    // route, every answer is v1, the split fails, and the report says why.
    let pod = PodServer::start_with(
        &v1,
        9080,
        &[("/api/reviews", 200, "ok")],
        &["--header", "x-version:v1"],
    );
    let direct = format!("http://{v1}:9080/api/reviews");
    let text = checked(
        &direct,
        "reviews",
        &[
            "--namespace",
            &ns.name,
            "--route",
            "HTTPRoute/reviews",
            "--from-config",
        ],
    )
    .await;
    pod.stop();
    assert_eq!(text.code, 1, "{}\n{}", text.stdout, text.stderr);
    assert!(
        text.stdout.contains("× expect-split: fail"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains(&format!(
            "warning: HTTPRoute {}/reviews is mesh routing (its parent is Service {}/reviews)",
            ns.name, ns.name
        )) && text
            .stdout
            .contains("traffic-test sends from this machine, outside the mesh"),
        "{}",
        text.stdout
    );

    // With a waypoint (a real Gateway of class istio-waypoint, the namespace labelled for it),
    // only the client's place is in doubt.
    let waypoint = meshctl(&[
        "-n",
        &ns.name,
        "waypoint",
        "apply",
        "--for",
        "service",
        "--enroll-namespace",
    ])
    .await;
    assert_eq!(waypoint.code, 0, "{}", waypoint.stderr);
    let run = checked(
        &url,
        "reviews",
        &["--namespace", &ns.name, "--from-config", "-o", "json"],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids = warning_ids(&run.json());
    assert!(ids.iter().any(|i| i == "client-outside-mesh"), "{ids:?}");
    assert!(!ids.iter().any(|i| i == "no-waypoint"), "{ids:?}");

    // A route bound to the waypoint itself is mesh routing too, read from the live Gateway.
    let mut on_waypoint = mesh_route();
    on_waypoint["metadata"]["name"] = json!("reviews-waypoint");
    on_waypoint["spec"]["parentRefs"] = json!([
        {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "waypoint"}
    ]);
    create(&ns.name, on_waypoint)
        .await
        .expect("the CRD schema accepts the route");
    let run = checked(
        &url,
        "reviews",
        &[
            "--namespace",
            &ns.name,
            "--from-config",
            "--route",
            "HTTPRoute/reviews-waypoint",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        report["config"]["split"],
        json!([["v1", 80.0], ["v2", 20.0]])
    );
    let outside = report["config"]["warnings"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["id"] == "client-outside-mesh"))
        .unwrap_or_else(|| panic!("client-outside-mesh in {report:#}"));
    assert!(
        outside["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("its parent is waypoint {}/waypoint", ns.name)),
        "{outside}"
    );

    // A VirtualService for the same host: the host no longer says which; --route does.
    create(
        &ns.name,
        json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "reviews"},
            "spec": {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}}),
    )
    .await
    .expect("VirtualService");
    let ambiguous = checked(&url, "reviews", &["--namespace", &ns.name, "--from-config"]).await;
    assert_eq!(ambiguous.code, 2, "{}", ambiguous.stderr);
    assert!(
        ambiguous.stderr.contains("several routes in")
            && ambiguous
                .stderr
                .contains("VirtualService/reviews, HTTPRoute/reviews")
            && ambiguous.stderr.contains("--route"),
        "{}",
        ambiguous.stderr
    );
    let named = checked(
        &url,
        "reviews",
        &[
            "--namespace",
            &ns.name,
            "--from-config",
            "--route",
            "reviews",
        ],
    )
    .await;
    assert_eq!(named.code, 2, "{}", named.stderr);
    assert!(
        named.stderr.contains("--route HTTPRoute/reviews"),
        "{}",
        named.stderr
    );
    let old_flag = checked(
        &url,
        "reviews",
        &[
            "--namespace",
            &ns.name,
            "--from-config",
            "--virtual-service",
            "reviews",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(old_flag.code, 0, "{}", old_flag.stderr);
    let report = old_flag.json();
    assert_eq!(
        report["config"]["source"],
        format!("VirtualService {}/reviews, http route 0", ns.name)
    );
    assert!(report["config"]["split"].is_null(), "{report:#}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rendered_routes_applied_to_the_cluster_are_read_live() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-route-render", &[("istio-injection", "enabled")]).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = rendered(dir.path(), &ns.name, "gateway-api").await;
    let yaml = std::fs::read_to_string(&file).expect("read manifests");
    let mut applied = Vec::new();
    for document in yaml.split("\n---\n").map(|d| d.trim_start_matches("---\n")) {
        let object: Value = serde_saphyr::from_str(document).expect("YAML document");
        let kind = object["kind"].as_str().unwrap_or_default().to_string();
        if ["Gateway", "HTTPRoute", "Service"].contains(&kind.as_str()) {
            create(&ns.name, object)
                .await
                .unwrap_or_else(|e| panic!("{kind} refused: {e}"));
            applied.push(kind);
        }
    }
    assert_eq!(
        applied.iter().filter(|k| *k == "HTTPRoute").count(),
        3,
        "{applied:?}"
    );

    let server = LoadServer::start(Behaviour {
        v2_percent: Some(15),
        ..Behaviour::default()
    })
    .await;
    let url = format!("{}api/v1/revenue/daily", server.url);
    let run = checked(
        &url,
        HOST,
        &["--namespace", &ns.name, "--from-config", "-o", "json"],
    )
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        report["config"]["source"],
        format!(
            "HTTPRoute {}/revenue-engine-api, rule 0 \"api-routes\"",
            ns.name
        )
    );
    assert_eq!(
        report["config"]["split"],
        json!([["v2", 15.0], ["v1", 85.0]])
    );
    assert!(threshold_ok(&report, "expect-split"), "{report:#}");
    assert_eq!(warning_ids(&report), Vec::<String>::new(), "{report:#}");
}
