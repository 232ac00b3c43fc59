//! `traffic-test`'s mesh-aware side against the dev cluster: expectations read from a real
//! VirtualService (`--from-config`), and the mesh's own request counts read from the destination
//! pods' sidecar stats through the API server's pod proxy, or from a Prometheus HTTP API.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::loadserver::{Behaviour, LoadServer};
use crate::support::*;

/// Service `reviews` with a v1 and a v2 Deployment whose pods look injected (an istio-proxy
/// container), as KWOK runs them: the pods are Running with addresses in the pod network.
async fn reviews_app(ns: &str) -> (String, String) {
    create(
        ns,
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "reviews"},
            "spec": {"selector": {"app": "reviews"}, "ports": [{"name": "http", "port": 9080}]},
        }),
    )
    .await
    .expect("create Service");
    for version in ["v1", "v2"] {
        let mut spec = deployment(
            &format!("reviews-{version}"),
            json!({"app": "reviews", "version": version}),
            1,
            "example/reviews:1",
        );
        spec["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .expect("containers")
            .push(json!({"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.31.0"}));
        create(ns, spec).await.expect("create Deployment");
        await_deployment(ns, &format!("reviews-{version}")).await;
    }
    (
        pod_ip_of(ns, "app=reviews,version=v1").await,
        pod_ip_of(ns, "app=reviews,version=v2").await,
    )
}

fn sidecar(ip: &str, ns: &str, version: &str, counted_before: u32) -> PodServer {
    let service = format!("reviews.{ns}.svc.cluster.local");
    let header = format!("x-version:{version}");
    let before = counted_before.to_string();
    PodServer::start_with(
        ip,
        9080,
        &[("/", 200, "ok"), ("/api/reviews", 200, "ok")],
        &[
            "--sidecar-stats",
            "15090",
            "--service",
            &service,
            "--version",
            version,
            "--header",
            &header,
            "--counted-before",
            &before,
        ],
    )
}

/// `count` requests to `url` over 4 connections, with the mesh metrics of `reviews` in `ns`.
async fn to_reviews(url: &str, count: &str, ns: &str) -> Run {
    meshctl(&[
        "traffic-test",
        url,
        "-n",
        count,
        "-c",
        "4",
        "--namespace",
        ns,
        "--destination",
        "reviews",
        "-o",
        "json",
    ])
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_destination_pods_envoy_stats_count_exactly_what_was_sent() {
    cluster();
    let ns = TestNamespace::create("t-mesh-envoy", &[]).await;
    let (v1, v2) = reviews_app(&ns.name).await;
    let _v1 = sidecar(&v1, &ns.name, "v1", 17);
    let _v2 = sidecar(&v2, &ns.name, "v2", 5);
    let url = format!("http://{v1}:9080/");
    let run = to_reviews(&url, "40", &ns.name).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let mesh = &report["mesh"];
    assert_eq!(mesh["available"], true, "{mesh:#}");
    assert!(
        mesh["source"]
            .as_str()
            .unwrap_or("")
            .contains("Envoy stats (:15090) of 2 pod(s)"),
        "{mesh:#}"
    );
    assert_eq!(
        mesh["requests"], 40,
        "the 17 and 5 counted before are not this run's: {mesh:#}"
    );
    assert_eq!(mesh["by_code"], json!({"200": 40}));
    assert_eq!(mesh["by_version"], json!({"v1": 40}));
    assert!(mesh["mean_duration_ms"].as_f64().is_some(), "{mesh:#}");
    assert_eq!(mesh["warnings"], json!([]), "{mesh:#}");
    assert_eq!(
        mesh["destinations"],
        json!([format!("reviews.{}.svc.cluster.local", ns.name)])
    );

    let text = meshctl(&[
        "traffic-test",
        &url,
        "-n",
        "10",
        "--namespace",
        &ns.name,
        "--destination",
        "reviews",
    ])
    .await;
    assert!(
        text.stdout.contains("Seen by the mesh (Envoy stats"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("[200]\t10\t10"), "{}", text.stdout);

    // Traffic that never reaches the destination's sidecars: seen by the mesh is a warning.
    let elsewhere = LoadServer::start(Behaviour::default()).await;
    let bypass = to_reviews(&elsewhere.url, "15", &ns.name).await;
    assert_eq!(
        bypass.code, 0,
        "a warning, not a failure: {}",
        bypass.stderr
    );
    let mesh = &bypass.json()["mesh"];
    assert_eq!(mesh["available"], true, "{mesh:#}");
    assert_eq!(mesh["requests"], 0, "{mesh:#}");
    assert!(
        mesh["warnings"][0]
            .as_str()
            .unwrap_or("")
            .starts_with("the mesh reported 0 of the 15 requests answered"),
        "{mesh:#}"
    );
}

fn routed(ns: &str) -> Vec<Value> {
    vec![
        json!({
            "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "reviews-vs", "namespace": ns},
            "spec": {
                "hosts": ["reviews"],
                "http": [
                    {
                        "name": "api",
                        "match": [{"uri": {"prefix": "/api"}}],
                        "fault": {"abort": {"httpStatus": 503, "percentage": {"value": 25}}},
                        "route": [
                            {"destination": {"host": "reviews", "subset": "stable"}, "weight": 80},
                            {"destination": {"host": "reviews", "subset": "canary"}, "weight": 20},
                        ],
                    },
                    {"name": "rest", "route": [{"destination": {"host": "reviews", "subset": "stable"}}]},
                ],
            },
        }),
        json!({
            "apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": "reviews-dr", "namespace": ns},
            "spec": {
                "host": "reviews",
                "subsets": [
                    {"name": "stable", "labels": {"version": "v1"}},
                    {"name": "canary", "labels": {"version": "v2"}},
                ],
            },
        }),
    ]
}

fn threshold_ok(report: &Value, name: &str) -> bool {
    report["thresholds"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["name"] == name))
        .unwrap_or_else(|| panic!("no threshold {name} in {report:#}"))["ok"]
        == true
}

#[tokio::test(flavor = "multi_thread")]
async fn from_config_checks_the_routes_weights_and_faults_and_warns_when_metrics_are_missing() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-mesh-config", &[]).await;
    reviews_app(&ns.name).await;
    for object in routed(&ns.name) {
        create(&ns.name, object)
            .await
            .expect("create routing config");
    }
    let matching = LoadServer::start(Behaviour {
        v2_percent: Some(20),
        status_every: Some((4, 503)),
        ..Behaviour::default()
    })
    .await;
    let api = format!("{}api/reviews", matching.url);
    let args = |url: &str| {
        vec![
            "traffic-test".to_string(),
            url.to_string(),
            "-n".into(),
            "400".into(),
            "-c".into(),
            "4".into(),
            "--namespace".into(),
            ns.name.clone(),
            "--host".into(),
            "reviews".into(),
            "--from-config".into(),
            "--split-by".into(),
            "header:x-version".into(),
            "-o".into(),
            "json".into(),
        ]
    };
    let run = meshctl(&args(&api).iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        report["config"]["source"],
        format!(
            "VirtualService {}/reviews-vs, http route 0 \"api\"",
            ns.name
        )
    );
    assert_eq!(report["split"]["shares"][0]["version"], "v1");
    assert_eq!(report["split"]["shares"][0]["expected_pct"], 80.0);
    assert!(threshold_ok(&report, "expect-split"), "{report:#}");
    assert!(
        threshold_ok(&report, "expect-fault abort (503)"),
        "{report:#}"
    );
    // The route's destination is `reviews`, whose pods have a sidecar but nothing serves 15090.
    let mesh = &report["mesh"];
    assert_eq!(mesh["available"], false, "{mesh:#}");
    let warnings = mesh["warnings"].to_string();
    assert!(
        warnings.contains("cannot read Envoy stats of pod") && warnings.contains(":15090"),
        "{warnings}"
    );

    let skewed = LoadServer::start(Behaviour {
        v2_percent: Some(40),
        status_every: Some((4, 503)),
        ..Behaviour::default()
    })
    .await;
    let api = format!("{}api/reviews", skewed.url);
    let run = meshctl(&args(&api).iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(
        run.code, 1,
        "a 60/40 answer fails the configured 80/20: {}",
        run.stdout
    );
    assert!(!threshold_ok(&run.json(), "expect-split"));

    let other_route = format!("{}other", matching.url);
    let run = meshctl(
        &args(&other_route)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .await;
    let report = run.json();
    assert!(
        report["config"]["source"]
            .as_str()
            .unwrap_or("")
            .ends_with("http route 1 \"rest\"")
    );
    assert!(
        report["split"].is_null(),
        "one destination: no split to check: {report:#}"
    );

    // The built-in view role does not cover Istio's CRDs here: an error that says what to ask for.
    let viewer = cluster().viewer.to_string_lossy().into_owned();
    let mut as_viewer = args(&api);
    as_viewer.extend(["--kubeconfig".to_string(), viewer]);
    let run = meshctl(&as_viewer.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        ["virtualservices", "destinationrules"]
            .iter()
            .any(|kind| run
                .stderr
                .contains(&format!("cannot list resource \"{kind}\"")))
            && run.stderr.contains("hint:"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn from_config_reads_a_manifests_file_without_a_cluster() {
    let server = LoadServer::start(Behaviour {
        v2_percent: Some(20),
        status_every: Some((4, 503)),
        ..Behaviour::default()
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("routing.yaml");
    let yaml: Vec<String> = routed("shop")
        .iter()
        .map(|o| format!("---\n{}", serde_json::to_string(o).expect("json")))
        .collect();
    std::fs::write(&file, yaml.join("\n")).expect("write manifests");
    let from = format!("--from-config={}", file.display());
    let url = format!("{}api/x", server.url);
    let run = meshctl_bare(&[
        "traffic-test",
        &url,
        "-n",
        "400",
        "-c",
        "4",
        "--namespace",
        "shop",
        "--host",
        "reviews.shop.svc.cluster.local",
        &from,
        "--split-by",
        "header:x-version",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert_eq!(
        report["config"]["source"],
        "VirtualService shop/reviews-vs, http route 0 \"api\""
    );
    assert!(threshold_ok(&report, "expect-split"));
    assert_eq!(report["mesh"]["available"], false);
    assert!(
        report["mesh"]["warnings"]
            .to_string()
            .contains("cannot connect to the cluster")
    );
}

/// A Prometheus HTTP API on 127.0.0.1 whose `istio_requests_total` for the destination is what
/// the load server has served (plus counts from before), lagging one query behind as a scrape
/// interval would.
async fn fake_prometheus(served: Arc<AtomicU64>, fqdn: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let scraped = Arc::new(AtomicU64::new(0));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (served, fqdn, scraped) = (served.clone(), fqdn.clone(), scraped.clone());
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let n = socket.read(&mut buffer).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buffer[..n]).to_string();
                let line = request.lines().next().unwrap_or("").to_string();
                let ours = line.contains(&fqdn) && line.starts_with("GET /api/v1/query?query=");
                let requests = if line.contains("istio_requests_total") {
                    // The value a scrape before this one would have stored.
                    scraped.swap(served.load(Ordering::SeqCst), Ordering::SeqCst) + 1000
                } else {
                    scraped.load(Ordering::SeqCst) + 1000
                };
                let value = if line.contains("_sum") {
                    requests * 3
                } else {
                    requests
                };
                let result = if ours {
                    json!([{"metric": {"response_code": "200", "destination_version": "v1"}, "value": [1.0, value.to_string()]}])
                } else {
                    json!([])
                };
                let body = json!({"status": "success", "data": {"resultType": "vector", "result": result}}).to_string();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn prometheus_deltas_are_read_until_the_scrape_has_seen_the_run() {
    let server = LoadServer::start(Behaviour::default()).await;
    let prometheus = fake_prometheus(
        server.served.clone(),
        "reviews.shop.svc.cluster.local".into(),
    )
    .await;
    let run = meshctl_bare(&[
        "traffic-test",
        &server.url,
        "-n",
        "60",
        "-c",
        "3",
        "--destination",
        "reviews.shop",
        "--prometheus",
        &prometheus,
        "--metrics-wait",
        "20s",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mesh = &run.json()["mesh"];
    assert_eq!(mesh["available"], true, "{mesh:#}");
    assert_eq!(mesh["source"], format!("Prometheus at {prometheus}"));
    assert_eq!(mesh["requests"], 60, "{mesh:#}");
    assert_eq!(mesh["by_version"], json!({"v1": 60}));
    assert_eq!(mesh["mean_duration_ms"], 3.0);
    assert_eq!(mesh["warnings"], json!([]));

    let unknown = meshctl_bare(&[
        "traffic-test",
        &server.url,
        "-n",
        "5",
        "--destination",
        "ratings.shop",
        "--prometheus",
        &prometheus,
        "--metrics-wait",
        "2s",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(
        unknown.code, 0,
        "missing metrics are a warning: {}",
        unknown.stderr
    );
    let mesh = &unknown.json()["mesh"];
    assert_eq!(mesh["requests"], 0);
    assert!(
        mesh["warnings"]
            .to_string()
            .contains("the mesh reported 0 of the 5 requests"),
        "{mesh:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_prometheus_service_of_the_istio_namespace_is_read_through_the_api_server() {
    cluster();
    let ns = TestNamespace::create("t-mesh-prom", &[]).await;
    let (v1, _) = reviews_app(&ns.name).await;
    create(
        &ns.name,
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "prometheus"},
            "spec": {"selector": {"app": "reviews", "version": "v1"}, "ports": [{"name": "http", "port": 9090}]},
        }),
    )
    .await
    .expect("create the prometheus Service");
    let service = format!("reviews.{}.svc.cluster.local", ns.name);
    let _pod = PodServer::start_with(
        &v1,
        9080,
        &[("/", 200, "ok")],
        &[
            "--sidecar-stats",
            "15090",
            "--service",
            &service,
            "--version",
            "v1",
            "--counted-before",
            "9",
            "--prometheus-api",
            "9090",
        ],
    );
    let url = format!("http://{v1}:9080/");
    let run = meshctl(&[
        "traffic-test",
        &url,
        "-n",
        "25",
        "--namespace",
        &ns.name,
        "--istio-namespace",
        &ns.name,
        "--destination",
        "reviews",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mesh = &run.json()["mesh"];
    let source = mesh["source"].as_str().unwrap_or("");
    assert!(
        source.contains(&format!(
            "/api/v1/namespaces/{}/services/prometheus:9090/proxy",
            ns.name
        )),
        "{mesh:#}"
    );
    assert_eq!(mesh["requests"], 25, "{mesh:#}");
    assert_eq!(mesh["by_code"], json!({"200": 25}));
    assert_eq!(mesh["warnings"], json!([]), "{mesh:#}");
}
