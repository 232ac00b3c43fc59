//! `meshctl addons` against the dev cluster, with the release archive fetched from the dev
//! cluster's mirror into a fresh cache: applied (dry run first), available, reported, idempotent,
//! seen by health's observability group, and removed again leaving what meshctl did not apply.
//! The addons go to a namespace of the test's own (`--istio-namespace`), so that nothing else sees
//! a Prometheus in istio-system.

use serde_json::{Value, json};

use crate::support::*;

struct Env {
    mirror: String,
    cache: tempfile::TempDir,
    kubeconfig: String,
}

impl Env {
    fn new() -> Self {
        let cluster = cluster();
        Self {
            mirror: format!("file://{}", cluster.mirror.display()),
            cache: tempfile::tempdir().expect("cache dir"),
            kubeconfig: cluster.admin.display().to_string(),
        }
    }

    async fn run(&self, args: &[&str]) -> Run {
        let cache = self.cache.path().to_str().expect("utf-8 path");
        let env = [
            ("MESHCTL_ISTIO_MIRROR", self.mirror.as_str()),
            ("MESHCTL_CACHE_DIR", cache),
            ("KUBECONFIG", self.kubeconfig.as_str()),
        ];
        meshctl_env(args, &env).await
    }
}

fn results(report: &Value, addon: &str) -> Vec<String> {
    outcomes(report, addon)
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

/// (resource, result) of each object of `addon` in an install or uninstall report.
fn outcomes(report: &Value, addon: &str) -> Vec<(String, String)> {
    report["addons"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["name"] == addon))
        .and_then(|a| a["objects"].as_array())
        .unwrap_or_else(|| panic!("no {addon} in {report:#}"))
        .iter()
        .map(|o| {
            let text = |key: &str| o[key].as_str().unwrap_or_default().to_string();
            (text("resource"), text("result"))
        })
        .collect()
}

async fn exists(ns: &str, kind: &str, name: &str) -> bool {
    let client = admin_client().await;
    let gvk = match kind {
        "Deployment" => kube::api::GroupVersionKind::gvk("apps", "v1", kind),
        _ => kube::api::GroupVersionKind::gvk("", "v1", kind),
    };
    let api: kube::Api<kube::api::DynamicObject> =
        kube::Api::namespaced_with(client, ns, &kube::api::ApiResource::from_gvk(&gvk));
    api.get_opt(name).await.expect("get").is_some()
}

async fn observability(env: &Env, ns: &str) -> Value {
    let run = env
        .run(&[
            "health",
            "--only",
            "observability",
            "--istio-namespace",
            ns,
            "-n",
            ns,
            "-o",
            "json",
        ])
        .await;
    run.json()
}

#[tokio::test(flavor = "multi_thread")]
async fn addons_are_applied_ready_reported_checked_and_removed_leaving_foreign_objects() {
    // The Telemetry object below goes through Istio's validating webhook.
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-addons", &[]).await;
    let env = Env::new();
    let install = [
        "addons",
        "install",
        "prometheus",
        "kiali",
        "--istio-namespace",
        &ns.name,
    ];

    let before = observability(&env, &ns.name).await;
    assert_eq!(
        status_of(&before, "observability.prometheus"),
        "skip",
        "{before:#}"
    );

    let mut dry = install.to_vec();
    dry.extend(["--dry-run", "-o", "json"]);
    let run = env.run(&dry).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(run.json()["dry_run"], true);
    // The namespaced objects are new; the cluster-scoped ones (ClusterRole kiali) may be left
    // from an earlier run that stopped before its uninstall.
    let own = format!("/{}/", ns.name);
    let kiali = outcomes(&run.json(), "kiali");
    assert!(
        kiali.iter().any(|(resource, _)| resource.contains(&own)),
        "{kiali:?}"
    );
    for (resource, result) in kiali.iter().filter(|(r, _)| r.contains(&own)) {
        assert_eq!(result, "created", "{resource}");
    }
    assert!(
        !exists(&ns.name, "Deployment", "kiali").await,
        "a dry run changes nothing"
    );
    let cached = env.cache.path().join("istio/1.31.0/samples/addons");
    assert!(cached.join("kiali.yaml").is_file() && cached.join("kiali.yaml.sha256").is_file());
    assert!(
        !cached.join("istioctl").exists(),
        "only the addon manifests are taken out"
    );

    let mut real = install.to_vec();
    real.extend(["--timeout", "2m", "-o", "json"]);
    let run = env.run(&real).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    for addon in report["addons"].as_array().expect("addons") {
        assert_eq!(addon["ready"], true, "{addon:#}");
        assert!(
            addon["version"]
                .as_str()
                .is_some_and(|v| v.starts_with('v')),
            "{addon:#}"
        );
    }
    for (resource, result) in outcomes(&report, "prometheus") {
        if resource.contains(&own) {
            assert_eq!(result, "created", "{resource}");
        }
    }
    let again = env.run(&real).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        results(&again.json(), "prometheus")
            .iter()
            .all(|r| r == "unchanged"),
        "a second install changes nothing: {}",
        again.stdout
    );

    let run = env
        .run(&[
            "addons",
            "status",
            "--istio-namespace",
            &ns.name,
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let status = run.json();
    let addon = |name: &str| {
        status["addons"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["name"] == name).cloned())
            .unwrap_or_else(|| panic!("no {name} in {status:#}"))
    };
    assert_eq!(addon("prometheus")["installed"], true);
    assert_eq!(addon("prometheus")["ready"], true);
    assert_eq!(addon("prometheus")["managed_by_meshctl"], true);
    assert_eq!(
        addon("prometheus")["url"],
        format!("http://prometheus.{}.svc.cluster.local:9090", ns.name)
    );
    assert_eq!(addon("grafana")["installed"], false);

    // Prometheus is installed, but KWOK runs no process in its pod: it does not answer.
    let health = observability(&env, &ns.name).await;
    assert_eq!(
        status_of(&health, "observability.prometheus"),
        "fail",
        "{health:#}"
    );
    assert_eq!(
        status_of(&health, "observability.addons"),
        "pass",
        "{health:#}"
    );
    assert!(detail_of(&health, "observability.addons").contains("kiali 1/1"));
    assert_eq!(
        status_of(&health, "observability.telemetry"),
        "fail",
        "{health:#}"
    );

    // A process in the Prometheus pod answering the query API with istiod's target up.
    let ip = pod_ip_of(&ns.name, "app.kubernetes.io/name=prometheus").await;
    let up = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"kubernetes-pods","app":"istiod"},"value":[1,"1"]}]}}"#;
    let server = PodServer::start(&ip, 9090, &[("/api/v1/query", 200, up)]);
    create(
        &ns.name,
        json!({"apiVersion": "telemetry.istio.io/v1", "kind": "Telemetry",
               "metadata": {"name": "mesh-metrics"}, "spec": {}}),
    )
    .await
    .expect("create Telemetry");
    let health = observability(&env, &ns.name).await;
    for id in [
        "observability.prometheus",
        "observability.addons",
        "observability.telemetry",
    ] {
        assert_eq!(status_of(&health, id), "pass", "{id}: {health:#}");
    }
    server.stop();

    // Not applied by meshctl: kept by uninstall.
    create(
        &ns.name,
        json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "grafana"}}),
    )
    .await
    .expect("create ServiceAccount");
    let run = env
        .run(&[
            "addons",
            "uninstall",
            "prometheus",
            "kiali",
            "grafana",
            "--istio-namespace",
            &ns.name,
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    assert!(
        results(&report, "prometheus")
            .iter()
            .all(|r| r == "deleted"),
        "{report:#}"
    );
    assert!(
        results(&report, "grafana").contains(&"kept".to_string()),
        "{report:#}"
    );
    assert!(!exists(&ns.name, "Deployment", "prometheus").await);
    assert!(exists(&ns.name, "ServiceAccount", "grafana").await);
    let after = observability(&env, &ns.name).await;
    assert_eq!(
        status_of(&after, "observability.prometheus"),
        "skip",
        "{after:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_addon_is_refused_before_anything_is_fetched() {
    let run = meshctl_bare(&["addons", "install", "zipkin"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("zipkin"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn install_with_addons_plans_them_as_one_more_step_on_a_dry_run() {
    let ns = TestNamespace::create("t-addons-install", &[]).await;
    let env = Env::new();
    let run = env
        .run(&[
            "install",
            "--skip-istio",
            "-n",
            &ns.name,
            "--addons",
            "kiali,prometheus",
            "--dry-run",
            "-o",
            "json",
        ])
        .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    let step = report["steps"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["name"] == "addons"))
        .unwrap_or_else(|| panic!("no addons step: {report:#}"));
    assert_eq!(step["status"], "planned", "{step:#}");
    assert!(
        step["detail"]
            .as_str()
            .is_some_and(|d| d.contains("kiali v")),
        "{step:#}"
    );
    let objects = report["objects"].to_string();
    assert!(
        objects.contains("Deployment/istio-system/kiali"),
        "{objects}"
    );
    assert!(
        !exists("istio-system", "Deployment", "kiali").await,
        "a dry run changes nothing"
    );
    assert!(
        run.stderr
            .contains("instead: `meshctl addons install prometheus`"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_release_archive_that_does_not_match_its_checksum_is_refused_and_nothing_is_cached() {
    use crate::mirror::{Answer, Mirror};
    let archive = "1.31.0/istio-1.31.0-linux-amd64.tar.gz";
    let real =
        std::fs::read(cluster().mirror.join(archive)).expect("the dev cluster's release archive");
    let wrong = format!("{}  istio-1.31.0-linux-amd64.tar.gz\n", "0".repeat(64));
    let mirror = Mirror::start(std::collections::HashMap::from([
        (format!("/{archive}"), Answer::Bytes(real)),
        (
            format!("/{archive}.sha256"),
            Answer::Bytes(wrong.into_bytes()),
        ),
    ]))
    .await;
    let cache = tempfile::tempdir().expect("cache dir");
    let run = meshctl_env(
        &[
            "addons",
            "install",
            "kiali",
            "--dry-run",
            "--mirror",
            &mirror.url,
        ],
        &[
            ("MESHCTL_CACHE_DIR", cache.path().to_str().expect("utf-8")),
            ("KUBECONFIG", cluster().admin.to_str().expect("utf-8")),
        ],
    )
    .await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("checksum mismatch"), "{}", run.stderr);
    assert!(
        run.stderr.contains("istio-1.31.0-linux-amd64.tar.gz"),
        "{}",
        run.stderr
    );
    assert!(
        !cache.path().join("istio").exists(),
        "nothing may be cached: {:?}",
        std::fs::read_dir(cache.path()).map(|d| d.count())
    );
}
