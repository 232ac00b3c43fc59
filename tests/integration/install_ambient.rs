//! `meshctl install` for ambient mode and the Gateway API against the dev cluster: the ambient
//! profile (as the dev cluster's revision `ambient`) with its node agents waited for, the Gateway
//! API CRDs taken from a Go module proxy and verified, and the Gateway API manifests applied.

use std::io::Write;

use kube::api::{Api, DynamicObject, ListParams};

use crate::support::*;

fn steps(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            let field = |k: &str| s[k].as_str().unwrap_or("").to_string();
            (field("name"), field("status"), field("detail"))
        })
        .collect()
}

fn step<'a>(steps: &'a [(String, String, String)], name: &str) -> &'a (String, String, String) {
    steps
        .iter()
        .find(|(n, ..)| n == name)
        .unwrap_or_else(|| panic!("no step {name} in {steps:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ambient_profile_waits_for_ztunnel_and_istio_cni_and_keeps_the_sidecar_install() {
    cluster();
    // istioctl re-applies the shared base objects: nobody else may rely on istiod meanwhile.
    let _alone = istiod_exclusive();
    let mirror = format!("file://{}", cluster().mirror.display());
    let admin = cluster().admin.to_string_lossy().into_owned();
    let run = meshctl_env(
        &[
            "--kubeconfig",
            &admin,
            "-o",
            "json",
            "install",
            "--mirror",
            &mirror,
            "--profile",
            "ambient",
            "--revision",
            "ambient",
            "--skip-manifests",
            "--timeout",
            "2m",
        ],
        &[("MESHCTL_CACHE_DIR", &cluster().cache_dir)],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let steps = steps(&run.json());
    let (_, status, detail) = step(&steps, "node agents");
    assert_eq!(status, "done");
    assert!(detail.contains("ztunnel 1/1"), "{detail}");
    assert!(detail.contains("istio-cni-node 1/1"), "{detail}");
    let (_, status, detail) = step(&steps, "istio");
    assert_eq!(status, "done");
    assert!(
        detail.contains("profile=ambient") && detail.contains("--revision ambient"),
        "{detail}"
    );
    let (_, _, detail) = step(&steps, "control plane");
    // Pruning is per revision: the sidecar install's gateways stay.
    assert!(detail.contains("istiod-ambient"), "{detail}");
    assert!(detail.contains("istio-ingressgateway"), "{detail}");
    let (_, status, detail) = step(&steps, "gateway-api CRDs");
    assert_eq!(status, "done");
    assert_eq!(detail, "v1.6.0 (standard channel) already installed");
    // The preflight read the nodes (KWOK's) and found no platform that needs settings.
    let report = run.json();
    let platform = check_in(&report["preflight"], "preflight.platform");
    assert_eq!(platform["status"], "pass", "{platform}");
    assert_eq!(platform["detail"], "none detected");
}

fn check_in<'a>(checks: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    checks
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no check {id} in {checks}"))
}

/// A Go module proxy on disk whose gateway-api zip is `zip`.
fn proxy_serving(zip: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("meshctl-goproxy-")
        .tempdir()
        .expect("proxy dir");
    let at = dir.path().join("sigs.k8s.io/gateway-api/@v");
    std::fs::create_dir_all(&at).expect("proxy layout");
    std::fs::write(at.join("v1.6.0.zip"), zip).expect("zip");
    dir
}

fn tampered_module() -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let name = "sigs.k8s.io/gateway-api@v1.6.0/config/crd/standard/gateway.networking.k8s.io_gateways.yaml";
    writer
        .start_file(name, zip::write::SimpleFileOptions::default())
        .expect("entry");
    writer
        .write_all(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-a-crd}\n")
        .expect("content");
    writer.finish().expect("zip").into_inner()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gateway_api_module_that_does_not_match_its_pinned_hash_is_refused() {
    cluster();
    for (what, zip) in [
        ("a tampered module", tampered_module()),
        ("an error page", b"<html>404 not found</html>".to_vec()),
    ] {
        let proxy = proxy_serving(&zip);
        let cache = tempfile::Builder::new()
            .prefix("meshctl-crd-cache-")
            .tempdir()
            .expect("cache");
        let admin = cluster().admin.to_string_lossy().into_owned();
        let run = meshctl_env(
            &[
                "--kubeconfig",
                &admin,
                "install",
                "--dry-run",
                "--skip-manifests",
            ],
            &[
                (
                    "MESHCTL_GATEWAY_API_PROXY",
                    &format!("file://{}", proxy.path().display()),
                ),
                ("MESHCTL_CACHE_DIR", &cache.path().to_string_lossy()),
            ],
        )
        .await;
        assert_eq!(run.code, 3, "{what}: {}\n{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("is refused"), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains("nothing was cached or applied"),
            "{what}: hint: {}",
            run.stderr
        );
        assert!(
            !cache.path().join("gateway-api").exists(),
            "{what}: nothing refused is cached"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn install_with_the_gateway_api_applies_routes_the_real_schemas_and_istiod_accept() {
    cluster();
    let _serving = istiod_serving();
    let ns = TestNamespace::create("t-gwapi-install", &[]).await;
    let run = meshctl(&[
        "-n",
        &ns.name,
        "-o",
        "json",
        "install",
        "--skip-istio",
        "--api",
        "gateway-api",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    let steps = steps(&report);
    assert_eq!(
        step(&steps, "gateway-api CRDs").2,
        "v1.6.0 (standard channel) already installed"
    );
    let objects: Vec<(String, String)> = report["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| {
            let field = |k: &str| o[k].as_str().unwrap_or("").to_string();
            (field("resource"), field("result"))
        })
        .collect();
    // The observability kinds (ServiceMonitor, Jaeger) are not served here and are skipped.
    let applied = |(r, result): &&(String, String)| {
        result == "created"
            || (result == "skipped" && !r.contains("Route") && !r.starts_with("Gateway/"))
    };
    assert!(objects.iter().all(|o| applied(&o)), "{objects:?}");
    for kind in ["Gateway", "HTTPRoute", "AuthorizationPolicy"] {
        let prefix = format!("{kind}/{}/", ns.name);
        assert!(
            objects.iter().any(|(r, _)| r.starts_with(&prefix)),
            "{kind} in {objects:?}"
        );
    }
    assert!(
        !objects
            .iter()
            .any(|(r, _)| r.starts_with("VirtualService/")),
        "the Gateway API form has no VirtualService: {objects:?}"
    );
    // What the Gateway API cannot say reaches the person on stderr.
    assert!(run.stderr.contains("retries"), "{}", run.stderr);
    let routes: Api<DynamicObject> = Api::namespaced_with(
        admin_client().await,
        &ns.name,
        &kube::api::ApiResource::from_gvk(&kube::api::GroupVersionKind::gvk(
            "gateway.networking.k8s.io",
            "v1",
            "HTTPRoute",
        )),
    );
    let stored = routes
        .list(&ListParams::default())
        .await
        .expect("list httproutes");
    assert!(
        stored.items.len() >= 3,
        "api, admin and health routes: {}",
        stored.items.len()
    );
}
