//! The README's main job on the dev cluster: `dev-cluster up --istio` deploys the demo
//! application, then `meshctl install && meshctl health` passes every check, and a
//! `traffic-test` through the ingress gateway pod sees the 80/20 split of 4 v1 and 1 v2 pods.

use std::process::Command;

use crate::support::*;

/// Re-deploys the demo (idempotent) and returns the URL `dev-cluster demo` prints.
fn demo_url() -> String {
    let out = Command::new(root().join("tests/cluster/dev-cluster"))
        .arg("demo")
        .output()
        .expect("run dev-cluster demo");
    assert!(
        out.status.success(),
        "dev-cluster demo failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(url.starts_with("http://198.18.1."), "{url:?}");
    url
}

#[tokio::test(flavor = "multi_thread")]
async fn the_main_job_installs_and_every_health_check_passes_with_the_demo_application() {
    let cluster = cluster();
    // istioctl re-applies istio-system: nobody else may rely on istiod meanwhile.
    let _istiod = istiod_exclusive();
    let url = demo_url();
    let mirror = format!("file://{}", cluster.mirror.display());
    let cache = cluster
        .mirror
        .parent()
        .expect("the mirror lives in the build directory")
        .join("meshctl-cache");
    let kubeconfig = cluster.admin.display().to_string();
    let env = [
        ("MESHCTL_ISTIO_MIRROR", mirror.as_str()),
        (
            "MESHCTL_CACHE_DIR",
            cache.to_str().expect("utf-8 cache path"),
        ),
        ("KUBECONFIG", kubeconfig.as_str()),
    ];
    let install = meshctl_env(&["install"], &env).await;
    assert_eq!(install.code, 0, "{}\n{}", install.stdout, install.stderr);
    // The seed's operator objects are skipped, and the warning says what to do instead.
    assert!(
        install.stderr.contains("meshctl addons install prometheus"),
        "{}",
        install.stderr
    );

    let health = meshctl_env(&["health", "--wait", "30s", "-o", "json"], &env).await;
    let report = health.json();
    assert_eq!(health.code, 0, "{report:#}\n{}", health.stderr);
    assert_eq!(report["status"], "pass", "{report:#}");
    let checks = report["checks"].as_array().expect("checks");
    let not_passed: Vec<_> = checks
        .iter()
        .filter(|c| c["status"] != "pass" && c["group"] != "observability")
        .collect();
    assert!(not_passed.is_empty(), "every check passes: {not_passed:#?}");
    assert!(
        detail_of(&report, "data-plane.sidecars").contains('5'),
        "the 5 demo pods carry istio-proxy: {}",
        detail_of(&report, "data-plane.sidecars")
    );
    assert!(
        detail_of(&report, "connectivity.service-health").contains("200"),
        "{}",
        detail_of(&report, "connectivity.service-health")
    );

    let traffic = meshctl(&[
        "traffic-test",
        &format!("{url}/health"),
        "--host",
        "revenue-engine.tradingrobotplug.com",
        "-n",
        "200",
        "-c",
        "4",
        "--expect-split",
        "v1=80,v2=20",
        "--split-by",
        "header:x-version",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(traffic.code, 0, "{}\n{}", traffic.stdout, traffic.stderr);
    let report = traffic.json();
    assert_eq!(report["status_codes"]["200"], 200, "{report:#}");
    let shares = report["split"]["shares"].as_array().expect("split shares");
    let observed = |version: &str| {
        shares
            .iter()
            .find(|s| s["version"] == version)
            .and_then(|s| s["observed_pct"].as_f64())
            .unwrap_or_else(|| panic!("no share for {version}: {report:#}"))
    };
    // Round-robin over 4 v1 endpoints and 1 v2 endpoint: exactly 80/20 of 200 requests.
    assert_eq!(observed("v1"), 80.0);
    assert_eq!(observed("v2"), 20.0);
}
