//! The analyzer's scope and control: a correct application chart passes offline, files are
//! analyzed in every namespace they hold, `-A` live, suppressions, Istio codes, the code catalog.

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_correct_chart_gives_no_error_and_no_warning_and_says_what_it_could_not_check() {
    let chart = scratch_yaml("meshctl-scope-", CORRECT_CHART);
    let path = chart.path().to_string_lossy();
    let run = meshctl_bare(&["troubleshoot", "--file", &path, "-o", "json"]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    let loud: Vec<_> = findings(&report)
        .into_iter()
        .filter(|(_, severity, _)| severity != "info")
        .collect();
    assert!(loud.is_empty(), "{report:#}");
    let not_checked = report["not_checked"].to_string();
    assert!(not_checked.contains("Gateway selectors"), "{report:#}");

    let text = meshctl_bare(&["troubleshoot", "--file", &path]).await;
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(
        text.stdout.matches("not checked offline").count(),
        1,
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("0 errors, 0 warnings"),
        "{}",
        text.stdout
    );
}

/// The same chart with its second version missing: the subset is judged against pod templates.
#[tokio::test]
async fn a_subset_no_template_matches_is_found_offline() {
    let broken = CORRECT_CHART.replace(
        "{name: v2, labels: {version: v2}}",
        "{name: v2, labels: {version: v3}}",
    );
    assert_ne!(broken, CORRECT_CHART);
    let chart = scratch_yaml("meshctl-scope-", &broken);
    let run = meshctl_bare(&[
        "troubleshoot",
        "--file",
        &chart.path().to_string_lossy(),
        "-o",
        "json",
        "--fail-on",
        "warning",
    ])
    .await;
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    let subsets: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "MESH0104")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(subsets.len(), 1, "{report:#}");
    assert!(subsets[0].contains("subset v2"), "{report:#}");
}

const TWO_NAMESPACES: &str = "
apiVersion: v1
kind: Service
metadata: {name: a, namespace: alpha}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: beta, annotations: {galley.istio.io/analyze-suppress: IST0118}}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: c, namespace: beta}
spec: {ports: [{port: 81}]}
";

#[tokio::test]
async fn files_are_analyzed_in_every_namespace_with_suppressions_and_istio_codes() {
    let file = scratch_yaml("meshctl-scope-", TWO_NAMESPACES);
    let path = file.path().to_string_lossy();
    let run = meshctl_bare(&["troubleshoot", "--file", &path, "-n", "gamma", "-o", "json"]).await;
    let report = run.json();
    let resources: Vec<String> = findings(&report).into_iter().map(|(_, _, r)| r).collect();
    assert_eq!(
        resources,
        vec!["Service/alpha/a", "Service/beta/c"],
        "{report:#}"
    );
    assert_eq!(report["findings"][0]["istio_code"], "IST0118");

    let suppressed = meshctl_bare(&[
        "troubleshoot",
        "--file",
        &path,
        "--suppress",
        "MESH0206=Service/alpha/*",
        "-o",
        "json",
    ])
    .await;
    let resources: Vec<String> = findings(&suppressed.json())
        .into_iter()
        .map(|(_, _, r)| r)
        .collect();
    assert_eq!(resources, vec!["Service/beta/c"]);

    let text = meshctl_bare(&["troubleshoot", "--file", &path]).await;
    let alpha = text.stdout.find("namespace alpha").expect("alpha header");
    let beta = text.stdout.find("namespace beta").expect("beta header");
    assert!(alpha < beta, "{}", text.stdout);
    assert!(
        text.stdout.contains("MESH0206 [IST0118] warning"),
        "{}",
        text.stdout
    );
}

#[tokio::test]
async fn a_malformed_suppression_is_a_usage_error() {
    let file = scratch_yaml("meshctl-scope-", TWO_NAMESPACES);
    let run = meshctl_bare(&[
        "troubleshoot",
        "--file",
        &file.path().to_string_lossy(),
        "--suppress",
        "MESH0206:Service/alpha/a",
    ])
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("CODE=Kind/namespace/name"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn the_code_catalog_lists_every_code_with_docs() {
    let run = meshctl_bare(&["troubleshoot", "--list-codes", "-o", "json"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let catalog = run.json();
    let codes = catalog["codes"].as_array().expect("codes");
    let doc = std::fs::read_to_string(root().join("docs/findings.md")).expect("findings.md");
    for code in codes {
        let id = code["code"].as_str().expect("id");
        assert!(
            doc.contains(&format!("{id} |")),
            "{id} missing from docs/findings.md"
        );
        assert!(
            code["docs"].as_str().is_some_and(|d| !d.is_empty()),
            "{code}"
        );
    }
    assert!(codes.iter().any(|c| c["istio_code"] == "IST0101"));
}

async fn service_with_unnamed_port(ns: &str, name: &str) {
    create(
        ns,
        json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name},
            "spec": {"ports": [{"port": 80}]}
        }),
    )
    .await
    .expect("create service");
}

#[tokio::test]
async fn all_namespaces_live_reports_every_namespace_and_one_only_its_own() {
    let first = TestNamespace::create("scope-a", &[("istio-injection", "enabled")]).await;
    let second = TestNamespace::create("scope-b", &[("istio-injection", "enabled")]).await;
    service_with_unnamed_port(&first.name, "one").await;
    service_with_unnamed_port(&second.name, "two").await;
    let one_ref = format!("Service/{}/one", first.name);
    let two_ref = format!("Service/{}/two", second.name);

    let all = meshctl(&["troubleshoot", "-A", "-o", "json"]).await;
    let resources: Vec<String> = findings(&all.json())
        .into_iter()
        .map(|(_, _, r)| r)
        .collect();
    assert!(
        resources.contains(&one_ref) && resources.contains(&two_ref),
        "{resources:?}"
    );

    let only = meshctl(&["troubleshoot", "-n", &first.name, "-o", "json"]).await;
    let resources: Vec<String> = findings(&only.json())
        .into_iter()
        .map(|(_, _, r)| r)
        .collect();
    assert!(
        resources.contains(&one_ref) && !resources.contains(&two_ref),
        "{resources:?}"
    );

    let suppressed = meshctl(&[
        "troubleshoot",
        "-A",
        "--suppress",
        &format!("IST0118=Service/{}/*", second.name),
        "-o",
        "json",
    ])
    .await;
    let resources: Vec<String> = findings(&suppressed.json())
        .into_iter()
        .map(|(_, _, r)| r)
        .collect();
    assert!(
        resources.contains(&one_ref) && !resources.contains(&two_ref),
        "{resources:?}"
    );
}
