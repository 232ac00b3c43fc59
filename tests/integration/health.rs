//! `meshctl health` against the real dev cluster.

use std::time::{Duration, Instant};

use crate::support::*;

/// Fake control-plane Deployments in a namespace of the test's own, so that tests do not share
/// (or break) the dev cluster's istio-system.
async fn control_plane(istio_ns: &str) {
    for (name, labels) in [
        (
            "istiod",
            serde_json::json!({"app": "istiod", "istio": "pilot"}),
        ),
        (
            "istio-ingressgateway",
            serde_json::json!({"app": "istio-ingressgateway", "istio": "ingressgateway"}),
        ),
        (
            "istio-egressgateway",
            serde_json::json!({"app": "istio-egressgateway", "istio": "egressgateway"}),
        ),
    ] {
        let image = if name == "istiod" {
            "docker.io/istio/pilot:1.31.0"
        } else {
            "docker.io/istio/proxyv2:1.31.0"
        };
        create(istio_ns, deployment(name, labels, 1, image))
            .await
            .expect("create control-plane deployment");
    }
    for name in ["istiod", "istio-ingressgateway", "istio-egressgateway"] {
        await_deployment(istio_ns, name).await;
    }
}

/// The seed's application and its Gateway, VirtualService and DestinationRule.
async fn application(ns: &str) {
    let labels = serde_json::json!({"app": "revenue-engine", "version": "v1"});
    create(
        ns,
        deployment("revenue-engine", labels, 1, "revenue-engine:1"),
    )
    .await
    .expect("create app");
    let objects = [
        serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "revenue-engine-service"},
            "spec": {"selector": {"app": "revenue-engine"}, "ports": [{"name": "http", "port": 8080, "targetPort": 8080}]}}),
        serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": "revenue-engine-gateway"},
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["revenue-engine.example.com"]}]}}),
        serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "revenue-engine-vs"},
            "spec": {"hosts": ["revenue-engine.example.com"], "gateways": ["revenue-engine-gateway"],
                     "http": [{"route": [{"destination": {"host": "revenue-engine-service", "port": {"number": 8080}}}]}]}}),
        serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "revenue-engine-dr"},
            "spec": {"host": "revenue-engine-service", "subsets": [{"name": "v1", "labels": {"version": "v1"}}]}}),
    ];
    for object in objects {
        create(ns, object).await.expect("create mesh object");
    }
    await_deployment(ns, "revenue-engine").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn health_fails_on_an_empty_cluster_with_the_right_checks() {
    cluster();
    let app_ns = unique("t-empty");
    let istio_ns = unique("t-empty-istio");
    let run = meshctl(&[
        "health",
        "-n",
        &app_ns,
        "--istio-namespace",
        &istio_ns,
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 1, "stderr: {}", run.stderr);
    let report = run.json();
    assert_eq!(report["status"], "fail");
    for id in [
        "cluster.api-reachable",
        "cluster.version",
        "cluster.permissions",
    ] {
        assert_eq!(
            status_of(&report, id),
            "pass",
            "{id}: {}",
            detail_of(&report, id)
        );
    }
    assert_eq!(status_of(&report, "control-plane.namespace"), "fail");
    assert!(
        check(&report, "control-plane.namespace")["hint"]
            .as_str()
            .is_some_and(|h| h.contains("istioctl install"))
    );
    assert_eq!(status_of(&report, "data-plane.injection-label"), "fail");
    assert!(detail_of(&report, "data-plane.injection-label").contains("does not exist"));
    assert_eq!(status_of(&report, "connectivity.service-health"), "fail");
    assert!(detail_of(&report, "connectivity.service-health").contains("not found"));
}

#[tokio::test(flavor = "multi_thread")]
async fn health_passes_once_the_mesh_exists_and_fails_when_the_service_stops_answering() {
    cluster();
    let _istiod = istiod_serving();
    let istio_ns = TestNamespace::create("t-pass-istio", &[]).await;
    let app_ns = TestNamespace::create("t-pass", &[("istio-injection", "enabled")]).await;
    control_plane(&istio_ns.name).await;
    application(&app_ns.name).await;
    let pod_ip = pod_ip_of(&app_ns.name, "app=revenue-engine").await;
    let server = PodServer::start(&pod_ip, 8080, &[("/health", 200, "ok")]);
    let ingress = PodServer::start(
        &pod_ip_of(&istio_ns.name, "app=istio-ingressgateway").await,
        15021,
        &[("/healthz/ready", 200, "")],
    );
    let _egress = PodServer::start(
        &pod_ip_of(&istio_ns.name, "app=istio-egressgateway").await,
        15021,
        &[("/healthz/ready", 200, "")],
    );

    let args = [
        "health",
        "-n",
        &app_ns.name,
        "--istio-namespace",
        &istio_ns.name,
        "-o",
        "json",
    ];
    let run = meshctl(&args).await;
    let report = run.json();
    let failing: Vec<&serde_json::Value> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["status"] != "pass")
        .collect();
    assert!(failing.is_empty(), "checks not passing: {failing:#?}");
    assert_eq!(run.code, 0);
    assert!(
        detail_of(&report, "connectivity.service-health").contains(": 200 in"),
        "{}",
        detail_of(&report, "connectivity.service-health")
    );
    assert!(detail_of(&report, "config.virtual-services").contains("revenue-engine-vs"));

    server.stop();
    ingress.stop();
    let run = meshctl(&args).await;
    assert_eq!(run.code, 1);
    let report = run.json();
    assert_eq!(
        status_of(&report, "control-plane.egress-gateway-readiness"),
        "pass"
    );
    assert_eq!(
        status_of(&report, "control-plane.ingress-gateway-readiness"),
        "fail"
    );
    let readiness = detail_of(&report, "control-plane.ingress-gateway-readiness");
    assert!(
        readiness.contains("istio-ingressgateway-") && readiness.contains("connection refused"),
        "{readiness}"
    );
    assert_eq!(status_of(&report, "connectivity.service-health"), "fail");
    let detail = detail_of(&report, "connectivity.service-health");
    assert!(detail.contains("connection refused"), "{detail}");
    assert!(
        check(&report, "connectivity.service-health")["hint"]
            .as_str()
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn health_names_a_virtual_service_whose_gateway_is_missing() {
    cluster();
    let ns = TestNamespace::create("t-vsgw", &[]).await;
    create(&ns.name, serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "orphan"},
        "spec": {"hosts": ["a.example.com"], "gateways": ["no-such-gateway"], "http": [{"route": [{"destination": {"host": "a"}}]}]}}))
        .await
        .expect("create VirtualService");
    let report = meshctl(&["health", "-n", &ns.name, "-o", "json"])
        .await
        .json();
    assert_eq!(status_of(&report, "config.vs-gateways"), "fail");
    let detail = detail_of(&report, "config.vs-gateways");
    assert!(
        detail.contains(&format!("VirtualService/{}/orphan", ns.name))
            && detail.contains("no-such-gateway"),
        "{detail}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_istiod_down_health_fails_validation_and_injection_and_says_why_pods_are_missing() {
    cluster();
    let _alone = istiod_exclusive();
    let ns = TestNamespace::create("t-down", &[("istio-injection", "enabled")]).await;
    let stopped = IstiodStopped::stop();
    create(
        &ns.name,
        deployment(
            "blocked",
            serde_json::json!({"app": "blocked"}),
            1,
            "blocked:1",
        ),
    )
    .await
    .expect("create deployment");
    let args = ["health", "-n", &ns.name, "-o", "json"];
    let report = eventually(
        "the ReplicaSet's FailedCreate reason in health",
        Duration::from_secs(30),
        || async {
            let report = meshctl(&args).await.json();
            detail_of(&report, "data-plane.workloads")
                .contains("FailedCreate")
                .then_some(report)
        },
    )
    .await;
    drop(stopped);

    let workloads = detail_of(&report, "data-plane.workloads");
    assert!(workloads.starts_with("blocked: 0/1 ready"), "{workloads}");
    assert!(
        workloads.contains("sidecar-injector.istio.io") && workloads.contains("connection refused"),
        "{workloads}"
    );
    for id in ["control-plane.validation", "control-plane.injector"] {
        assert_eq!(
            status_of(&report, id),
            "fail",
            "{id}: {}",
            detail_of(&report, id)
        );
        assert!(
            detail_of(&report, id).contains("connection refused"),
            "{id}: {}",
            detail_of(&report, id)
        );
        assert!(
            check(&report, id)["hint"]
                .as_str()
                .is_some_and(|h| h.contains("istiod"))
        );
    }
    assert_eq!(report["status"], "fail");

    let report = meshctl(&args).await.json();
    for id in ["control-plane.validation", "control-plane.injector"] {
        assert_eq!(
            status_of(&report, id),
            "pass",
            "{id} after restart: {}",
            detail_of(&report, id)
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_view_only_identity_reads_and_is_told_what_it_may_not_do() {
    let viewer = cluster().viewer.to_string_lossy().into_owned();
    let ns = TestNamespace::create("t-view", &[]).await;
    let run = meshctl(&[
        "--kubeconfig",
        &viewer,
        "health",
        "-n",
        &ns.name,
        "-o",
        "json",
    ])
    .await;
    assert_ne!(
        run.code, 3,
        "reading must work for a viewer: {}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(status_of(&report, "cluster.api-reachable"), "pass");
    assert_eq!(status_of(&report, "cluster.permissions"), "fail");
    assert!(
        detail_of(&report, "cluster.permissions").contains("list mutatingwebhookconfigurations"),
        "{}",
        detail_of(&report, "cluster.permissions")
    );
    assert_eq!(
        status_of(&report, "data-plane.injection-label"),
        "fail",
        "the namespace is read, and it has no label"
    );
    assert_eq!(status_of(&report, "control-plane.validation"), "skip");
    assert!(
        detail_of(&report, "control-plane.validation").contains("forbidden"),
        "{}",
        detail_of(&report, "control-plane.validation")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_api_server_is_exit_3_with_a_clear_message_fast() {
    let dir = scratch_dir("meshctl-unreachable-");
    let kubeconfig = dir.path().join("config");
    std::fs::write(
        &kubeconfig,
        "apiVersion: v1\nkind: Config\ncurrent-context: gone\nclusters:\n- name: gone\n  cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}\ncontexts:\n- name: gone\n  context: {cluster: gone, user: u}\nusers:\n- name: u\n  user: {token: t}\n",
    )
    .expect("write kubeconfig");
    let started = Instant::now();
    let run = meshctl_bare(&["--kubeconfig", &kubeconfig.to_string_lossy(), "health"]).await;
    let elapsed = started.elapsed();
    assert_eq!(run.code, 3, "stderr: {}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot reach the Kubernetes API server at https://127.0.0.1:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Connection refused") || run.stderr.contains("connection refused"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "no report on stdout: {}", run.stdout);
    // Retries are bounded: a refused connection must not hang an operator's terminal.
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_context_lists_the_contexts_that_exist() {
    let admin = cluster().admin.to_string_lossy().into_owned();
    let run = meshctl(&["--kubeconfig", &admin, "--context", "nope", "health"]).await;
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("context \"nope\" does not exist"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("contexts that exist: kwok-meshctl-dev"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn text_json_and_yaml_come_from_the_same_report() {
    cluster();
    let ns = unique("t-formats");
    let json = meshctl(&["health", "-n", &ns, "-o", "json"]).await.json();
    let yaml = meshctl(&["health", "-n", &ns, "-o", "yaml"]).await;
    let yaml: serde_json::Value = serde_saphyr::from_str(&yaml.stdout).expect("yaml parses");
    let ids = |v: &serde_json::Value| {
        v["checks"]
            .as_array()
            .map(|c| c.iter().map(|c| c["id"].clone()).collect::<Vec<_>>())
    };
    assert_eq!(ids(&json), ids(&yaml));
    let text = meshctl(&["health", "-n", &ns]).await;
    assert!(
        text.stdout.contains("× namespace labelled for injection"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("Status: FAIL"), "{}", text.stdout);
    assert!(
        !text.stdout.contains('\u{1b}'),
        "no colour codes when not a terminal"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_view_only_identity_is_refused_where_it_must_write_with_exit_3() {
    let viewer = cluster().viewer.to_string_lossy().into_owned();
    let ns = TestNamespace::create("t-view-write", &[]).await;
    let run = meshctl(&[
        "--kubeconfig",
        &viewer,
        "-n",
        &ns.name,
        "install",
        "--skip-istio",
    ])
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("preflight failed, nothing was changed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("not allowed to create namespaces"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "patch virtualservices.networking.istio.io in {}",
            ns.name
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[tokio::test]
async fn list_shows_the_catalog_without_a_cluster_and_honours_only_and_skip() {
    let unreachable = ["--kubeconfig", "/nonexistent/kubeconfig"];
    let run = meshctl_bare(&[&unreachable[..], &["health", "--list", "-o", "json"]].concat()).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list = run.json();
    let checks = list["checks"].as_array().expect("checks");
    let ids: Vec<&str> = checks.iter().filter_map(|c| c["id"].as_str()).collect();
    for id in [
        "cluster.api-reachable",
        "control-plane.namespace",
        "data-plane.injection-label",
        "config.vs-gateways",
        "connectivity.service-health",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    for check in checks {
        for key in ["group", "title", "hint"] {
            assert!(
                check[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} in {check}"
            );
        }
        assert!(check["fatal"].is_boolean(), "{check}");
    }
    let namespace = checks
        .iter()
        .find(|c| c["id"] == "control-plane.namespace")
        .expect("namespace check");
    assert_eq!(namespace["fatal"], true);
    let label = checks
        .iter()
        .find(|c| c["id"] == "data-plane.injection-label")
        .expect("label check");
    assert!(
        label["rules"].as_array().is_some_and(|r| r
            .iter()
            .any(|r| r["code"] == "MESH0201" && r["status"] == "fail")),
        "{label}"
    );

    let text = meshctl_bare(&[
        "health",
        "--list",
        "--only",
        "data-plane",
        "--skip",
        "data-plane.workloads",
    ])
    .await;
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("data-plane.sidecars"),
        "{}",
        text.stdout
    );
    assert!(
        !text.stdout.contains("data-plane.workloads"),
        "{}",
        text.stdout
    );
    assert!(!text.stdout.contains("cluster."), "{}", text.stdout);

    let unknown = meshctl_bare(&["health", "--list", "--skip", "no.such-check"]).await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("no.such-check") && unknown.stderr.contains("--list"),
        "{}",
        unknown.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn only_and_skip_choose_the_checks_that_run() {
    cluster();
    let ns = unique("t-only");
    let report = meshctl(&[
        "health",
        "-n",
        &ns,
        "--only",
        "data-plane",
        "--skip",
        "data-plane.workloads",
        "-o",
        "json",
    ])
    .await
    .json();
    let ids: Vec<&str> = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "data-plane.injection-label",
            "data-plane.sidecars",
            "data-plane.version-skew"
        ],
        "{report:#}"
    );
    assert_eq!(status_of(&report, "data-plane.injection-label"), "fail");
    assert_eq!(report["status"], "fail");

    let report = meshctl(&["health", "-n", &ns, "--only", "connectivity", "-o", "json"])
        .await
        .json();
    assert_eq!(
        report["checks"].as_array().map(Vec::len),
        Some(1),
        "{report:#}"
    );
    assert_eq!(status_of(&report, "connectivity.service-health"), "fail");
}

/// Each list health needs is made once in a run, through a counting proxy: the control-plane
/// checks read the Istio namespace's Deployments and pods from the snapshot's lists instead of
/// getting each Deployment and listing the gateway pods again.
#[tokio::test(flavor = "multi_thread")]
async fn each_list_is_made_once_and_no_object_is_read_that_a_list_holds() {
    use crate::faultproxy::{Fault, FaultProxy, Seen};
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-once", &[("istio-injection", "enabled")]).await;
    let proxy = FaultProxy::start(std::sync::Arc::new(|_: &Seen, _: &[Seen]| Fault::Forward)).await;
    let run = meshctl_bare(&[
        "--kubeconfig",
        &proxy.kubeconfig_arg(),
        "-n",
        &ns.name,
        "health",
        "-o",
        "json",
    ])
    .await;
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(status_of(&run.json(), "control-plane.istiod"), "pass");
    let gets: Vec<Seen> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET" && !s.path.contains("/proxy"))
        .collect();
    let mut paths: Vec<&str> = gets.iter().map(|s| s.path.as_str()).collect();
    paths.sort();
    let total = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), total, "a path was read twice: {gets:#?}");
    for listed in [
        "/api/v1/namespaces/istio-system/pods",
        "/apis/apps/v1/namespaces/istio-system/deployments",
        "/api/v1/namespaces",
    ] {
        assert!(paths.contains(&listed), "{listed} is listed: {paths:#?}");
    }
    for covered in [
        "/api/v1/namespaces/istio-system",
        "/apis/apps/v1/namespaces/istio-system/deployments/istiod",
    ] {
        assert!(
            !paths.contains(&covered),
            "{covered} is read though a list holds it: {paths:#?}"
        );
    }
    // Kinds only rules health does not run read are not listed, nor any Secret.
    for unread in [
        "resourcequotas",
        "limitranges",
        "serviceentries",
        "envoyfilters",
        "httproutes",
        "grpcroutes",
        "referencegrants",
        "configmaps",
        "secrets",
    ] {
        assert!(
            !paths.iter().any(|p| p.contains(&format!("/{unread}"))),
            "{unread} read though no check needs them: {paths:#?}"
        );
    }
    assert!(
        paths.contains(&format!("/apis/apps/v1/namespaces/{}/replicasets", ns.name).as_str()),
        "the ReplicaSets say why a Deployment is short: {paths:#?}"
    );
}

/// The permission check reads the run's own answers; what no request of the run needed (here:
/// every read, under `--only cluster`) is asked with one access review each. A refusal the
/// proxy makes up for one list is reported as the missing permission.
#[tokio::test(flavor = "multi_thread")]
async fn permissions_are_shown_by_the_runs_requests_and_reviewed_only_for_the_rest() {
    use crate::faultproxy::{Fault, FaultProxy, Seen};
    cluster();
    let ns = TestNamespace::create("t-perm", &[]).await;
    let refused = format!("/api/v1/namespaces/{}/pods", ns.name);
    let proxy = FaultProxy::start(std::sync::Arc::new(move |seen: &Seen, _: &[Seen]| {
        if seen.path == refused && seen.method == "GET" {
            Fault::Status(403, None, "pods is forbidden".into())
        } else {
            Fault::Forward
        }
    }))
    .await;
    let reviews = |seen: &[Seen]| {
        seen.iter()
            .filter(|s| s.path.ends_with("/selfsubjectaccessreviews"))
            .count()
    };
    let health = |extra: &'static [&'static str]| {
        let mut args = vec![
            "--kubeconfig".to_string(),
            proxy.kubeconfig_arg(),
            "-n".into(),
            ns.name.clone(),
            "health".into(),
            "-o".into(),
            "json".into(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };
    let args = health(&[]);
    let run = meshctl_bare(&args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let report = run.json();
    assert_eq!(
        status_of(&report, "cluster.permissions"),
        "fail",
        "{}",
        run.stdout
    );
    let detail = detail_of(&report, "cluster.permissions");
    assert!(
        detail.contains(&format!("list pods in {}", ns.name)),
        "{detail}"
    );
    assert!(
        !detail.contains("deployments"),
        "only the refused list: {detail}"
    );
    assert_eq!(reviews(&proxy.seen()), 0, "a full run asks no review");

    let before = proxy.seen().len();
    let args = health(&["--only", "cluster"]);
    let run = meshctl_bare(&args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let report = run.json();
    let seen = proxy.seen();
    assert_eq!(
        reviews(&seen[before..]),
        10,
        "nothing else read: every permission reviewed"
    );
    // The review answers for the real identity (the admin), which may list pods.
    assert_eq!(
        status_of(&report, "cluster.permissions"),
        "pass",
        "{}",
        run.stdout
    );
    assert!(
        detail_of(&report, "cluster.permissions")
            .contains("0 shown by this run's requests, 10 by access reviews"),
        "{}",
        detail_of(&report, "cluster.permissions")
    );
}

/// `--wait` treats an API server that answers 503 as "not yet", and a round after the first full
/// one re-runs only the checks that failed: the dry-run probes, which passed, are sent once, the
/// failing connectivity check's request in every round. The permissions are shown by the run's
/// own requests: no access review is sent.
#[tokio::test(flavor = "multi_thread")]
async fn wait_survives_a_503_and_reruns_only_the_failed_checks() {
    use crate::faultproxy::{Fault, FaultProxy, Seen};
    cluster();
    let _istiod = istiod_serving();
    // Not labelled and without the Service: two checks fail for as long as the test runs.
    let ns = TestNamespace::create("t-wait", &[]).await;
    let proxy = FaultProxy::start(std::sync::Arc::new(|seen: &Seen, before: &[Seen]| {
        let versions = before.iter().filter(|b| b.path == "/version").count();
        if seen.path == "/version" && versions < 4 {
            Fault::Status(503, None, "the server is starting".into())
        } else {
            Fault::Forward
        }
    }))
    .await;
    let run = meshctl_bare(&[
        "--kubeconfig",
        &proxy.kubeconfig_arg(),
        "-n",
        &ns.name,
        "health",
        "--wait",
        "9s",
        "-o",
        "json",
    ])
    .await;
    let seen = proxy.seen();
    assert_eq!(
        run.code, 1,
        "a report with failures, not exit 3: {}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(status_of(&report, "connectivity.service-health"), "fail");
    assert_eq!(status_of(&report, "cluster.permissions"), "pass");
    let count = |pred: &dyn Fn(&Seen) -> bool| seen.iter().filter(|s| pred(s)).count();
    assert_eq!(
        count(&|s| s.path == "/version" && s.answer == "503"),
        4,
        "the first round's version call failed on every try"
    );
    let reviews = count(&|s| s.path.ends_with("/selfsubjectaccessreviews"));
    let probes = count(&|s| s.method == "POST" && s.query.contains("dryRun"));
    let health = count(&|s| {
        s.path
            .contains("/services/revenue-engine-service:8080/proxy")
    });
    assert_eq!(reviews, 0, "the wave's own answers showed every permission");
    assert_eq!(probes, 2, "the dry-run probes ran in one round only");
    assert!(
        health >= 2,
        "the failing check ran again in later rounds ({health} times)"
    );
}
