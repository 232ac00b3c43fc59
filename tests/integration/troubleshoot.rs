//! `meshctl troubleshoot` on the real dev cluster and on files.

use std::time::Duration;

use crate::faultproxy::{Fault, FaultProxy, Seen};
use crate::support::*;

fn temp_dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = scratch_dir("meshctl-files-");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

#[tokio::test]
async fn the_seed_manifests_as_rendered_have_no_error_findings_offline() {
    let rendered = meshctl_bare(&["manifests", "render"]).await;
    let dir = temp_dir_with(&[("seed.yaml", &rendered.stdout)]);
    let run = meshctl_bare(&[
        "troubleshoot",
        "--file",
        &dir.path().to_string_lossy(),
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert!(
        findings(&report)
            .iter()
            .all(|(_, severity, _)| severity != "error"),
        "{report:#}"
    );
}

const BROKEN_ROUTING: &str = "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com]}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop}
spec:
  hosts: [shop.example.com, blog.example.com]
  gateways: [gw, ghost]
  http:
  - route:
    - {destination: {host: web, subset: v1}, weight: 60}
    - {destination: {host: web, subset: v9}, weight: 30}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shop-again}
spec: {hosts: [shop.example.com], gateways: [gw], http: [{route: [{destination: {host: web}}]}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec: {host: web, subsets: [{name: v1, labels: {version: v1}}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web-tuning}
spec: {host: web.shop.svc.cluster.local}
";

const BROKEN_SECURITY: &str = "
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: api}
spec:
  selector: {matchLabels: {app: web}}
  rules: [{from: [{source: {requestPrincipals: [user@example.com]}}]}]
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: a}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: b}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{name: web, port: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web}]}}}
";

#[tokio::test]
async fn broken_files_give_each_finding_with_code_severity_and_resource() {
    let dir = temp_dir_with(&[
        ("routing.yaml", BROKEN_ROUTING),
        ("security.yml", BROKEN_SECURITY),
        ("notes.txt", "not yaml: ["),
    ]);
    let run = meshctl_bare(&[
        "-n",
        "shop",
        "troubleshoot",
        "--file",
        &dir.path().to_string_lossy(),
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    for (code, severity, resource) in [
        ("MESH0101", "error", "VirtualService/shop/shop"),
        ("MESH0102", "warning", "VirtualService/shop/shop"),
        ("MESH0103", "error", "VirtualService/shop/shop"),
        ("MESH0105", "error", "VirtualService/shop/shop"),
        ("MESH0106", "warning", "VirtualService/shop/shop-again"),
        ("MESH0107", "warning", "DestinationRule/shop/web-tuning"),
        ("MESH0402", "error", "PeerAuthentication/shop/b"),
        ("MESH0403", "error", "AuthorizationPolicy/shop/api"),
        ("MESH0404", "error", "AuthorizationPolicy/shop/api"),
        ("MESH0205", "warning", "Deployment/shop/web"),
        ("MESH0206", "warning", "Service/shop/web"),
    ] {
        assert!(
            has_finding(&report, code, severity, resource),
            "missing {code} {severity} {resource} in {:#?}",
            findings(&report)
        );
    }
    let first = &report["findings"][0];
    for key in ["code", "severity", "resource", "message", "fix"] {
        assert!(
            first[key].as_str().is_some_and(|v| !v.is_empty()),
            "{key} in {first:#}"
        );
    }
    let scoped = meshctl_bare(&[
        "-n",
        "shop",
        "troubleshoot",
        "mtls",
        "--file",
        &dir.path().to_string_lossy(),
        "-o",
        "json",
    ])
    .await
    .json();
    assert!(
        findings(&scoped)
            .iter()
            .all(|(code, _, _)| code.starts_with("MESH04")),
        "{:?}",
        findings(&scoped)
    );
}

#[tokio::test]
async fn fail_on_warning_makes_warnings_fail() {
    let dir = temp_dir_with(&[(
        "svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n",
    )]);
    let path = dir.path().to_string_lossy().into_owned();
    assert_eq!(
        meshctl_bare(&["troubleshoot", "--file", &path]).await.code,
        0
    );
    let strict = meshctl_bare(&["troubleshoot", "--file", &path, "--fail-on", "warning"]).await;
    assert_eq!(strict.code, 1);
    assert!(strict.stdout.contains("MESH0206"), "{}", strict.stdout);
    let missing = meshctl_bare(&["troubleshoot", "--file", "/nonexistent/dir"]).await;
    assert_eq!(missing.code, 2, "{}", missing.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn injection_findings_on_the_cluster_and_fix_restarts_the_pods() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-ts-inject", &[]).await;
    let labels = serde_json::json!({"app": "web", "version": "v1"});
    create(&ns.name, deployment("web", labels, 1, "web:1"))
        .await
        .expect("deployment");
    create(&ns.name, serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule", "metadata": {"name": "web"}, "spec": {"host": "web"}}))
        .await
        .expect("dr");
    await_deployment(&ns.name, "web").await;
    let report = meshctl(&["-n", &ns.name, "troubleshoot", "injection", "-o", "json"])
        .await
        .json();
    assert!(
        has_finding(
            &report,
            "MESH0201",
            "error",
            &format!("Namespace/{}", ns.name)
        ),
        "{:#?}",
        findings(&report)
    );

    let label = meshctl(&["-n", &ns.name, "inject"]).await;
    assert_eq!(label.code, 0, "{}", label.stderr);
    let report = meshctl(&["-n", &ns.name, "troubleshoot", "injection", "-o", "json"])
        .await
        .json();
    let pod = pods(&ns.name, "app=web").await[0]
        .metadata
        .name
        .clone()
        .expect("pod name");
    assert!(
        has_finding(
            &report,
            "MESH0202",
            "error",
            &format!("Pod/{}/{pod}", ns.name)
        ),
        "{:#?}",
        findings(&report)
    );

    let fixed = meshctl(&["-n", &ns.name, "troubleshoot", "--fix", "-y", "-o", "json"]).await;
    let fixed_report = fixed.json();
    assert!(
        fixed_report["fixed"].as_array().is_some_and(|f| f
            .iter()
            .any(|c| c == &serde_json::json!(format!("restarted deployment {}/web", ns.name)))),
        "{fixed_report:#}"
    );
    let clean = eventually(
        "the restarted pod with its sidecar",
        Duration::from_secs(30),
        || async {
            let report = meshctl(&["-n", &ns.name, "troubleshoot", "injection", "-o", "json"])
                .await
                .json();
            findings(&report)
                .iter()
                .all(|(code, _, _)| code != "MESH0202")
                .then_some(report)
        },
    )
    .await;
    assert!(findings(&clean).is_empty(), "{:#?}", findings(&clean));
}

#[tokio::test(flavor = "multi_thread")]
async fn both_labels_opt_out_and_strict_without_sidecars_on_the_cluster() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create(
        "t-ts-labels",
        &[("istio-injection", "enabled"), ("istio.io/rev", "canary")],
    )
    .await;
    let mut opted_out = deployment(
        "batch",
        serde_json::json!({"app": "batch", "version": "v1"}),
        1,
        "batch:1",
    );
    opted_out["spec"]["template"]["metadata"]["annotations"] =
        serde_json::json!({"sidecar.istio.io/inject": "false"});
    create(&ns.name, opted_out).await.expect("deployment");
    create(&ns.name, serde_json::json!({"apiVersion": "security.istio.io/v1", "kind": "PeerAuthentication", "metadata": {"name": "strict"},
        "spec": {"mtls": {"mode": "STRICT"}}})).await.expect("peer authentication");
    await_deployment(&ns.name, "batch").await;
    let pod = pods(&ns.name, "app=batch").await[0]
        .metadata
        .name
        .clone()
        .expect("pod");
    let report = meshctl(&["-n", &ns.name, "troubleshoot", "-o", "json"])
        .await
        .json();
    assert!(
        has_finding(
            &report,
            "MESH0203",
            "warning",
            &format!("Namespace/{}", ns.name)
        ),
        "{:#?}",
        findings(&report)
    );
    assert!(
        has_finding(
            &report,
            "MESH0204",
            "info",
            &format!("Pod/{}/{pod}", ns.name)
        ),
        "{:#?}",
        findings(&report)
    );
    assert!(
        has_finding(
            &report,
            "MESH0401",
            "error",
            &format!("PeerAuthentication/{}/strict", ns.name)
        ),
        "{:#?}",
        findings(&report)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn gateway_and_certificate_findings_on_the_cluster() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-ts-gw", &[]).await;
    let gateway = |name: &str, selector: &str, credential: &str| {
        serde_json::json!({
        "apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": name},
        "spec": {"selector": {"istio": selector}, "servers": [{"port": {"number": 443, "name": "https", "protocol": "HTTPS"},
            "tls": {"mode": "SIMPLE", "credentialName": credential}, "hosts": ["shop.example.com"]}]}})
    };
    let (wrong_cert, wrong_key) = certificate(&["other.example.com"], 365);
    let (soon_cert, soon_key) = certificate(&["shop.example.com"], 5);
    create(&ns.name, tls_secret("wrong-host", &wrong_cert, &wrong_key))
        .await
        .expect("secret");
    create(&ns.name, tls_secret("expiring", &soon_cert, &soon_key))
        .await
        .expect("secret");
    for object in [
        gateway("no-pods", "nothing-has-this", "expiring"),
        gateway("missing-secret", "ingressgateway", "no-such-secret"),
        gateway("wrong-host", "ingressgateway", "wrong-host"),
        gateway("expiring", "ingressgateway", "expiring"),
    ] {
        create(&ns.name, object).await.expect("gateway");
    }
    let run = meshctl(&["-n", &ns.name, "troubleshoot", "gateway", "-o", "json"]).await;
    let report = run.json();
    let gw = |name: &str| format!("Gateway/{}/{name}", ns.name);
    assert!(
        has_finding(&report, "MESH0108", "error", &gw("no-pods")),
        "{:#?}",
        findings(&report)
    );
    let pods = report["gateway_pods"]
        .as_array()
        .expect("gateway pods shown");
    assert!(
        pods.iter().any(|p| p["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("istio-ingressgateway-"))),
        "{pods:#?}"
    );

    let certs = meshctl(&["-n", &ns.name, "troubleshoot", "certs", "-o", "json"])
        .await
        .json();
    assert!(
        has_finding(&certs, "MESH0301", "error", &gw("missing-secret")),
        "{:#?}",
        findings(&certs)
    );
    assert!(
        has_finding(&certs, "MESH0303", "error", &gw("wrong-host")),
        "{:#?}",
        findings(&certs)
    );
    assert!(
        has_finding(&certs, "MESH0304", "warning", &gw("expiring")),
        "{:#?}",
        findings(&certs)
    );
    let relaxed = meshctl(&[
        "-n",
        &ns.name,
        "troubleshoot",
        "certs",
        "--cert-expiry-days",
        "3",
        "-o",
        "json",
    ])
    .await
    .json();
    assert!(
        !has_finding(&relaxed, "MESH0304", "warning", &gw("expiring")),
        "{:#?}",
        findings(&relaxed)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_seed_as_installed_with_its_certificate_and_workloads_has_no_error_findings() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-ts-seed", &[]).await;
    // Hosts and credential of its own: the demo application in `production` serves the seed's
    // hosts on the same ingress gateway, and two Gateways claiming them conflict (MESH0115).
    let host = format!("{}.example.com", ns.name);
    let credential = format!("{}-tls", ns.name);
    let config = scratch_yaml(
        "meshctl-config-",
        &format!(
            "namespace: {}\nhosts: [{host}]\ngateway: {{tlsCredential: {credential}}}\n",
            ns.name
        ),
    );
    let installed = meshctl(&[
        "install",
        "--skip-istio",
        "--config",
        &config.path().to_string_lossy(),
    ])
    .await;
    assert_eq!(installed.code, 0, "{}", installed.stderr);
    // Istio reads a Gateway's credential where the gateway pods run: istio-system.
    let (cert, key) = certificate(&[&host], 365);
    let secret = IstioSecret::create(&credential, &cert, &key).await;
    // One pod: the seed's ResourceQuota (limits.cpu 4) admits only one pod with the demo
    // profile's sidecar (2.5 CPU of limits each), so a v2 pod would be refused.
    let labels = serde_json::json!({"app": "revenue-engine", "version": "v1"});
    create(
        &ns.name,
        deployment("revenue-engine-v1", labels, 1, "revenue-engine:1"),
    )
    .await
    .expect("deployment");
    for (name, port) in [
        ("revenue-engine-service", 8080),
        ("revenue-engine-admin", 8080),
    ] {
        create(&ns.name, serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": {"app": "revenue-engine"}, "ports": [{"name": "http", "port": port}]}})).await.expect("service");
    }
    await_deployment(&ns.name, "revenue-engine-v1").await;
    let run = meshctl(&["-n", &ns.name, "troubleshoot", "-o", "json"]).await;
    drop(secret);
    let report = run.json();
    assert!(
        findings(&report)
            .iter()
            .all(|(_, severity, _)| severity != "error"),
        "{:#?}",
        findings(&report)
    );
    assert_eq!(run.code, 0);
}

/// A TLS Secret in istio-system for one test, deleted when the test ends.
struct IstioSecret(String);

impl IstioSecret {
    async fn create(name: &str, cert: &str, key: &str) -> Self {
        create("istio-system", tls_secret(name, cert, key))
            .await
            .expect("secret in istio-system");
        Self(name.to_string())
    }
}

impl Drop for IstioSecret {
    fn drop(&mut self) {
        let name = self.0.clone();
        let admin = cluster().admin.clone();
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                let api: kube::Api<k8s_openapi::api::core::v1::Secret> =
                    kube::Api::namespaced(client_for(&admin).await, "istio-system");
                let _ = api.delete(&name, &Default::default()).await;
            });
        })
        .join();
    }
}

/// A proxy in front of the dev cluster's API server that answers every request as the admin
/// would, except the list of `istio=ingressgateway` pods in `istio_ns`, which fails with a 500:
/// a pod list that fails while the rest of the mesh reads fine.
async fn api_failing_the_gateway_pod_list(istio_ns: &str) -> FaultProxy {
    let refused = format!("/api/v1/namespaces/{istio_ns}/pods");
    FaultProxy::start(std::sync::Arc::new(move |seen: &Seen, _: &[Seen]| {
        if seen.path == refused && seen.query.contains("labelSelector=istio") {
            Fault::Status(500, None, "etcdserver: request timed out".into())
        } else {
            Fault::Forward
        }
    }))
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_gateway_pod_list_is_an_error_naming_the_pods_not_an_empty_list() {
    cluster();
    let ns = TestNamespace::create("t-ts-podlist", &[]).await;
    let proxy = api_failing_the_gateway_pod_list("istio-system").await;
    let run = meshctl_bare(&[
        "--kubeconfig",
        &proxy.kubeconfig_arg(),
        "-n",
        &ns.name,
        "troubleshoot",
        "gateway",
        "-o",
        "json",
    ])
    .await;
    drop(proxy);
    assert_eq!(
        run.code, 3,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr
            .contains("cannot list the pods istio=ingressgateway in namespace istio-system")
            && run.stderr.contains("etcdserver: request timed out"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "no report: {}", run.stdout);
}

/// A Service whose port has no protocol: exactly one MESH0206 finding.
const ONE_FINDING: &str =
    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n";

async fn file_findings(paths: &[&std::path::Path]) -> Run {
    let mut args = vec!["troubleshoot".to_string(), "-o".into(), "json".into()];
    for path in paths {
        args.push("--file".into());
        args.push(path.to_string_lossy().into_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tokio::time::timeout(Duration::from_secs(20), meshctl_bare(&args))
        .await
        .unwrap_or_else(|_| panic!("troubleshoot {paths:?} hangs"))
}

#[tokio::test]
async fn symlink_loops_and_files_given_twice_are_read_once() {
    let dir = temp_dir_with(&[("svc.yaml", ONE_FINDING)]);
    std::os::unix::fs::symlink(".", dir.path().join("self")).expect("link");
    std::os::unix::fs::symlink("..", dir.path().join("up")).expect("link");
    std::os::unix::fs::symlink("svc.yaml", dir.path().join("again.yaml")).expect("link");
    let file = dir.path().join("svc.yaml");
    // Before the fix `self` multiplied the findings and `up` walked the whole temp dir.
    let run = file_findings(&[dir.path(), &file, &dir.path().join("self")]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        findings(&run.json()),
        vec![(
            "MESH0206".to_string(),
            "warning".to_string(),
            "Service/production/web".to_string()
        )]
    );
}

#[tokio::test]
async fn fifos_and_devices_are_refused_not_read() {
    let dir = temp_dir_with(&[("svc.yaml", ONE_FINDING)]);
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // Before the fix both blocked on the FIFO, and /dev/zero was read without bound.
    for path in [dir.path(), &fifo, std::path::Path::new("/dev/zero")] {
        let run = file_findings(&[path]).await;
        assert_eq!(run.code, 2, "{path:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("is not a regular file"),
            "{path:?}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    }
}

#[tokio::test]
async fn no_object_read_is_an_error_naming_the_paths() {
    let empty = temp_dir_with(&[]);
    let no_yaml = temp_dir_with(&[("README.md", "# manifests\n")]);
    let only_comments = temp_dir_with(&[("empty.yaml", "# nothing yet\n---\n")]);
    for dir in [empty.path(), no_yaml.path(), only_comments.path()] {
        // Before the fix each passed with exit 0 and no findings.
        let run = file_findings(&[dir]).await;
        assert_eq!(run.code, 2, "{dir:?}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("no Kubernetes object found in {}", dir.display())),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    }
}

#[tokio::test]
async fn malformed_istio_objects_are_findings_not_silence() {
    let dir = temp_dir_with(&[(
        "routes.yaml",
        "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: 5
  http: [{route: [{destination: {host: web}, weight: '100'}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
spec:
  hosts: [web]
  gateways: [nowhere]
",
    )]);
    // Before the fix: exit 0, no finding for the first, and `VirtualService/production/` for
    // the second.
    let run = file_findings(&[dir.path()]).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.json();
    let unnamed = format!(
        "VirtualService/production/(unnamed: {} document 2)",
        dir.path().join("routes.yaml").display()
    );
    for resource in ["VirtualService/production/web", unnamed.as_str()] {
        assert!(
            has_finding(&report, "MESH0501", "error", resource),
            "MESH0501 {resource} in {:#?}",
            findings(&report)
        );
    }
    assert!(
        findings(&report)
            .iter()
            .all(|(_, _, resource)| !resource.ends_with('/')),
        "{:#?}",
        findings(&report)
    );
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .map(|all| all.iter().filter_map(|f| f["message"].as_str()).collect())
        .unwrap_or_default();
    for expected in [
        "`spec.hosts` is a number, not a list",
        "`spec.http.route.weight` is a string, not an integer",
        "has no metadata.name",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "{expected} in {messages:#?}"
        );
    }
}
