//! `meshctl install` end to end against the dev cluster, with a real istioctl fetched from a
//! mirror on 127.0.0.1, and the manifests judged by the real schemas and istiod's webhook.

use std::collections::{BTreeMap, HashMap};

use kube::api::{Api, DynamicObject, ListParams};
use sha2::{Digest, Sha256};

use crate::mirror::{Answer, Mirror};
use crate::support::*;

const CANARY_AND_FAULTS: &str =
    "canary: {enabled: true, weights: {v1: 90, v2: 10}, mirrorPercent: 50}
fault: {enabled: true, delayPercent: 2, delay: 1500ms, abortPercent: 1.5, abortStatus: 502}
hosts: [shop.example.com, '*.api.example.com']
routes:
  api: {prefix: /api/v2, timeout: 1m, retries: {attempts: 5, perTryTimeout: 12s}}
  admin: {prefix: /admin, timeout: 90s, retries: {attempts: 1, perTryTimeout: 90s}}
resilience: {maxConnections: 7, outlier: {interval: 250ms, maxEjectionPercent: 10}}
quota: {requestsCpu: '3', limitsMemory: 16Gi}
";

fn results(report: &serde_json::Value) -> BTreeMap<String, String> {
    report["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| {
            (
                o["resource"].as_str().unwrap_or("").to_string(),
                o["result"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_manifests_pass_the_real_schemas_and_webhook_with_defaults_and_a_custom_config() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-render", &[]).await;
    let custom = scratch_yaml("meshctl-config-", CANARY_AND_FAULTS);
    for config in [None, Some(custom.path().to_string_lossy().into_owned())] {
        let mut args = vec![
            "install",
            "--skip-istio",
            "--dry-run",
            "-n",
            &ns.name,
            "-o",
            "json",
        ];
        if let Some(config) = &config {
            args.extend(["--config", config]);
        }
        let run = meshctl(&args).await;
        assert_eq!(run.code, 0, "config {config:?}: {}", run.stderr);
        let results = results(&run.json());
        assert_eq!(results.len(), 12);
        for (resource, result) in &results {
            let expected =
                if resource.starts_with("ServiceMonitor/") || resource.starts_with("Jaeger/") {
                    "skipped"
                } else {
                    "created"
                };
            assert_eq!(result, expected, "{resource} with config {config:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_config_value_is_refused_before_anything_is_applied() {
    cluster();
    let _istiod = istiod_serving();
    let ns = unique("t-badcfg");
    let bad_weights = scratch_yaml(
        "meshctl-config-",
        "canary:\n  enabled: true\n  weights: {v1: 70, v2: 20}\n",
    );
    let run = meshctl(&[
        "install",
        "--skip-istio",
        "-n",
        &ns,
        "--config",
        &bad_weights.path().to_string_lossy(),
    ])
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{}:3:", bad_weights.path().display())),
        "file and line: {}",
        run.stderr
    );
    assert!(run.stderr.contains("add up to 100"), "{}", run.stderr);

    // Valid for meshctl, refused by Istio's webhook: reported verbatim, and nothing applied.
    let existing = TestNamespace::create("t-webhook", &[]).await;
    let empty_origin = scratch_yaml("meshctl-config-", "cors: {allowOrigins: ['']}\n");
    let run = meshctl(&[
        "install",
        "--skip-istio",
        "-n",
        &existing.name,
        "--config",
        &empty_origin.path().to_string_lossy(),
    ])
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    let verbatim = format!(
        "VirtualService/{}/revenue-engine-vs: admission webhook \"validation.istio.io\" denied the request: configuration is invalid: '' is not a valid match type for CORS allow origins",
        existing.name
    );
    assert!(run.stderr.contains(&verbatim), "{}", run.stderr);
    let gateways: Api<DynamicObject> = Api::namespaced_with(
        admin_client().await,
        &existing.name,
        &istio_resource("Gateway", "gateways"),
    );
    assert!(
        gateways
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
            .is_empty(),
        "nothing may be applied"
    );
}

async fn resource_versions(ns: &str) -> BTreeMap<String, String> {
    let client = admin_client().await;
    let mut versions = BTreeMap::new();
    for (kind, plural) in [
        ("Gateway", "gateways"),
        ("VirtualService", "virtualservices"),
        ("DestinationRule", "destinationrules"),
    ] {
        let api: Api<DynamicObject> =
            Api::namespaced_with(client.clone(), ns, &istio_resource(kind, plural));
        for object in api.list(&ListParams::default()).await.expect("list").items {
            versions.insert(
                format!("{}/{}", kind, object.metadata.name.unwrap_or_default()),
                object.metadata.resource_version.unwrap_or_default(),
            );
        }
    }
    versions
}

#[tokio::test(flavor = "multi_thread")]
async fn install_end_to_end_with_a_downloaded_istioctl_then_rerun_dry_run_and_uninstall() {
    cluster();
    // istioctl re-applies istio-system: nobody else may rely on istiod meanwhile.
    let _alone = istiod_exclusive();
    let archive = std::fs::read(
        cluster()
            .mirror
            .join("1.31.0/istioctl-1.31.0-linux-amd64.tar.gz"),
    )
    .expect("archive");
    let checksum = format!(
        "{:x}  istioctl-1.31.0-linux-amd64.tar.gz\n",
        Sha256::digest(&archive)
    );
    let mirror = Mirror::start(HashMap::from([
        (
            "/1.31.0/istioctl-1.31.0-linux-amd64.tar.gz".to_string(),
            Answer::Bytes(archive),
        ),
        (
            "/1.31.0/istioctl-1.31.0-linux-amd64.tar.gz.sha256".to_string(),
            Answer::Bytes(checksum.into_bytes()),
        ),
    ]))
    .await;
    // The cache holds an unpacked istioctl (~190 MB): the TempDir removes it when the test ends,
    // a panic included.
    let cache_dir = tempfile::Builder::new()
        .prefix("meshctl-e2e-cache-")
        .tempdir()
        .expect("cache dir");
    let cache = cache_dir.path().to_string_lossy().into_owned();
    let ns = unique("t-install");
    let admin = cluster().admin.to_string_lossy().into_owned();
    let install = |extra: Vec<String>| {
        let mut args: Vec<String> = [
            "--kubeconfig",
            &admin,
            "-n",
            &ns,
            "-o",
            "json",
            "install",
            "--mirror",
            &mirror.url,
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        args.extend(extra);
        let cache = cache.clone();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            meshctl_env(&args, &[("MESHCTL_CACHE_DIR", &cache)]).await
        }
    };

    let control_plane = pod_names("istio-system").await;
    let first = install(vec![]).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(
        pod_names("istio-system").await,
        control_plane,
        "installing the version that runs, with the istioctl's own image defaults, rolls no pod"
    );
    let report = first.json();
    let steps: Vec<(String, String)> = report["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap_or("").to_string(),
                s["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for step in ["istioctl", "istio", "control plane", "namespace"] {
        assert!(
            steps.contains(&(step.to_string(), "done".to_string())),
            "step {step} in {steps:?}"
        );
    }
    let results = results(&report);
    assert_eq!(
        results.values().filter(|r| *r == "created").count(),
        10,
        "{results:?}"
    );
    assert_eq!(
        results
            .get(&format!("Jaeger/{ns}/revenue-engine-tracing"))
            .map(String::as_str),
        Some("skipped")
    );

    let health = meshctl(&["health", "-n", &ns, "-o", "json"]).await.json();
    for c in health["checks"].as_array().expect("checks") {
        if c["group"] == "control-plane" || c["group"] == "config" {
            assert_eq!(c["status"], "pass", "{c:#}");
        }
    }

    let before = resource_versions(&ns).await;
    let rerun = install(vec![]).await;
    assert_eq!(rerun.code, 0, "{}", rerun.stderr);
    assert!(
        results_of(&rerun)
            .values()
            .all(|r| r == "unchanged" || r == "skipped"),
        "{:?}",
        results_of(&rerun)
    );
    assert_eq!(
        resource_versions(&ns).await,
        before,
        "a rerun changes nothing"
    );

    let canary = scratch_yaml("meshctl-config-", "canary: {enabled: true}\n");
    let planned = install(vec![
        "--dry-run".into(),
        "--config".into(),
        canary.path().to_string_lossy().into_owned(),
    ])
    .await;
    assert_eq!(planned.code, 0, "{}", planned.stderr);
    assert_eq!(
        results_of(&planned)
            .get(&format!("VirtualService/{ns}/revenue-engine-vs"))
            .map(String::as_str),
        Some("configured")
    );
    assert_eq!(
        resource_versions(&ns).await,
        before,
        "--dry-run changes nothing"
    );

    let removed = meshctl(&["-n", &ns, "-o", "json", "uninstall"]).await;
    assert_eq!(removed.code, 0, "{}", removed.stderr);
    assert_eq!(
        results_of(&removed)
            .values()
            .filter(|r| *r == "deleted")
            .count(),
        10
    );
    assert!(
        resource_versions(&ns).await.is_empty(),
        "uninstall removes what install applied"
    );
    let _ = kube::api::Api::<k8s_openapi::api::core::v1::Namespace>::all(admin_client().await)
        .delete(&ns, &kube::api::DeleteParams::background())
        .await;
}

async fn pod_names(ns: &str) -> Vec<String> {
    let mut names: Vec<String> = pods(ns, "")
        .await
        .into_iter()
        .filter_map(|pod| pod.metadata.name)
        .collect();
    names.sort();
    names
}

fn results_of(run: &Run) -> BTreeMap<String, String> {
    results(&run.json())
}

/// A networking.istio.io/v1 resource, for reading back what install applied.
fn istio_resource(kind: &str, plural: &str) -> kube::api::ApiResource {
    let gvk = kube::api::GroupVersionKind::gvk("networking.istio.io", "v1", kind);
    kube::api::ApiResource::from_gvk_with_plural(&gvk, plural)
}

#[tokio::test]
async fn manifests_render_applies_the_namespace_flag_and_the_output_format() {
    let text = meshctl_bare(&["-n", "staging", "manifests", "render"]).await;
    assert_eq!(text.code, 0, "{}", text.stderr);
    let namespaces: Vec<&str> = text
        .stdout
        .lines()
        .filter_map(|l| l.trim().strip_prefix("namespace: "))
        .collect();
    assert_eq!(namespaces.len(), 12, "{}", text.stdout);
    assert!(
        namespaces.iter().all(|ns| *ns == "staging"),
        "the namespace install -n staging applies: {namespaces:?}"
    );

    let yaml = meshctl_bare(&["-n", "staging", "-o", "yaml", "manifests", "render"]).await;
    assert_eq!(yaml.code, 0, "{}", yaml.stderr);
    assert_eq!(
        yaml.stdout, text.stdout,
        "-o yaml is the YAML install applies"
    );

    let json = meshctl_bare(&["-n", "staging", "-o", "json", "manifests", "render"]).await;
    assert_eq!(json.code, 0, "{}", json.stderr);
    let list = json.json();
    assert_eq!(list["apiVersion"], "v1");
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 12);
    assert!(
        items
            .iter()
            .all(|o| o["metadata"]["namespace"] == "staging"),
        "{list:#}"
    );
}

#[tokio::test]
async fn canary_weights_that_overflow_are_refused_with_their_position() {
    let config = scratch_yaml(
        "meshctl-config-",
        "canary:\n  enabled: true\n  weights: {v1: 4294967295, v2: 101}\n",
    );
    let run = meshctl_bare(&[
        "manifests",
        "render",
        "--config",
        &config.path().to_string_lossy(),
    ])
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!("{}:3:", config.path().display())),
        "file and line: {}",
        run.stderr
    );
    assert!(run.stderr.contains("add up to 100"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing rendered: {}", run.stdout);
}

/// Through a counting proxy: install tells created from configured and unchanged without
/// reading any object of the namespace, and discovers each API group-version at most once.
#[tokio::test(flavor = "multi_thread")]
async fn install_tells_created_configured_and_unchanged_without_reading_objects() {
    use crate::faultproxy::{Fault, FaultProxy, Seen};
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-noget", &[]).await;
    let quota_file = scratch_yaml("meshctl-config-", "quota: {requestsCpu: '3'}\n");
    let quota = quota_file.path().to_string_lossy().into_owned();
    let proxy = FaultProxy::start(std::sync::Arc::new(|_: &Seen, _: &[Seen]| Fault::Forward)).await;
    let kubeconfig = proxy.kubeconfig_arg();
    let install = |config: Option<&str>| {
        let mut args = vec![
            "--kubeconfig",
            &kubeconfig,
            "install",
            "--skip-istio",
            "-n",
            &ns.name,
            "-o",
            "json",
        ];
        if let Some(config) = config {
            args.extend(["--config", config]);
        }
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            meshctl_bare(&args).await
        }
    };
    let quota_name = format!("ResourceQuota/{}/istio-resource-quota", ns.name);

    let first = install(None).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    let first = results_of(&first);
    assert!(
        first.values().all(|r| r == "created" || r == "skipped"),
        "{first:?}"
    );
    assert_eq!(first[&quota_name], "created");
    let after_first = proxy.seen().len();

    let second = install(Some(&quota)).await;
    assert_eq!(second.code, 0, "{}", second.stderr);
    let second = results_of(&second);
    assert_eq!(second[&quota_name], "configured", "{second:?}");
    let others: Vec<(&String, &String)> = second
        .iter()
        .filter(|(k, r)| **k != quota_name && *r != "skipped")
        .collect();
    assert!(
        !others.is_empty() && others.iter().all(|(_, r)| *r == "unchanged"),
        "{second:?}"
    );

    let seen = proxy.seen();
    let inside = format!("/namespaces/{}/", ns.name);
    let reads: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.method == "GET" && s.path.contains(&inside))
        .collect();
    assert!(reads.is_empty(), "objects were read: {reads:#?}");
    for run in [&seen[..after_first], &seen[after_first..]] {
        let mut discovery: Vec<&str> = run
            .iter()
            .filter(|s| {
                s.method == "GET" && s.path.starts_with("/apis/") && s.path.split('/').count() == 4
            })
            .map(|s| s.path.as_str())
            .collect();
        let total = discovery.len();
        discovery.sort();
        discovery.dedup();
        assert_eq!(
            discovery.len(),
            total,
            "a group-version was discovered twice: {discovery:?}"
        );
    }
}
