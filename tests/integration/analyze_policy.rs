//! `meshctl troubleshoot` on DestinationRule TLS, authorization, injection and capacity: from
//! files (a chart, before anything runs) and on the real dev cluster (its controllers, quota
//! admission and sidecar injector).

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

/// Writes YAML to a file of its own and analyzes it (`scope`: which findings).
async fn troubleshoot_file(yaml: &str, scope: &str) -> (Run, Value) {
    let file = scratch_yaml("meshctl-policy-", yaml);
    let run = meshctl_bare(&[
        "troubleshoot",
        scope,
        "--file",
        &file.path().to_string_lossy(),
        "-o",
        "json",
    ])
    .await;
    let report = run.json();
    (run, report)
}

#[tokio::test]
async fn a_correct_chart_of_deployments_gives_no_error_and_no_warning() {
    let (run, report) = troubleshoot_file(CORRECT_CHART, "all").await;
    let serious: Vec<_> = findings(&report)
        .into_iter()
        .filter(|(_, severity, _)| severity != "info")
        .collect();
    assert!(serious.is_empty(), "{serious:#?}\n{}", run.stderr);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The same chart with one fault per rule.
const BROKEN_CHART: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: batch, labels: {istio-injection: disabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop-v1, namespace: shop}
spec:
  replicas: 4
  template:
    metadata: {labels: {app: shop, version: v1}}
    spec: {containers: [{name: shop, image: 'shop:1', resources: {requests: {cpu: 200m}}}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: batch}
spec:
  template:
    metadata: {labels: {app: ingress, version: v1, sidecar.istio.io/inject: 'true'}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: shop, namespace: shop}
spec:
  host: shop
  subsets: [{name: v1, labels: {version: v1}}, {name: v3, labels: {version: v3}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: payments, namespace: shop}
spec:
  host: payments.example.com
  trafficPolicy:
    tls: {mode: SIMPLE}
    portLevelSettings: [{port: {number: 8443}, tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: shop, namespace: shop}
spec:
  selector: {matchLabels: {app: shopp}}
  rules: [{from: [{source: {namespaces: [shop, frontnd]}}]}]
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: shop, namespace: shop}
spec: {hard: {requests.cpu: '1'}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: batch, namespace: batch}
spec: {limits: [{type: Container, max: {cpu: '1'}}]}
";

#[tokio::test]
async fn a_broken_chart_gives_each_policy_finding_offline() {
    let (run, report) = troubleshoot_file(BROKEN_CHART, "all").await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (code, istio, severity, resource) in [
        (
            "MESH0104",
            "IST0173",
            "warning",
            "DestinationRule/shop/shop",
        ),
        (
            "MESH0150",
            "IST0128",
            "warning",
            "DestinationRule/shop/payments",
        ),
        (
            "MESH0151",
            "IST0129",
            "warning",
            "DestinationRule/shop/payments",
        ),
        (
            "MESH0405",
            "IST0127",
            "warning",
            "AuthorizationPolicy/shop/shop",
        ),
        (
            "MESH0406",
            "IST0101",
            "error",
            "AuthorizationPolicy/shop/shop",
        ),
        ("MESH0211", "", "warning", "Deployment/batch/ingress"),
        ("MESH0213", "IST0146", "warning", "Deployment/batch/ingress"),
        ("MESH0701", "", "error", "Deployment/shop/shop-v1"),
    ] {
        let finding = report["findings"]
            .as_array()
            .and_then(|all| {
                all.iter().find(|f| {
                    f["code"] == code && f["severity"] == severity && f["resource"] == resource
                })
            })
            .unwrap_or_else(|| {
                panic!(
                    "missing {code} {severity} {resource} in {:#?}",
                    findings(&report)
                )
            });
        assert_eq!(
            finding["istio_code"].as_str().unwrap_or(""),
            istio,
            "{code}"
        );
    }
    let (_, capacity) = troubleshoot_file(BROKEN_CHART, "capacity").await;
    let codes: Vec<String> = findings(&capacity).into_iter().map(|(c, _, _)| c).collect();
    assert_eq!(
        codes,
        vec!["MESH0701"],
        "troubleshoot capacity shows only capacity"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quota_that_blocks_a_deployment_is_named_with_its_reason_on_the_cluster() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-ap-quota", &[("istio-injection", "enabled")]).await;
    create(
        &ns.name,
        json!({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "small"},
        "spec": {"hard": {"requests.cpu": "1", "pods": "20"}}}),
    )
    .await
    .expect("quota");
    let mut web = deployment("web", json!({"app": "web", "version": "v1"}), 4, "web:1");
    web["spec"]["template"]["spec"]["containers"][0]["resources"] =
        json!({"requests": {"cpu": "300m"}});
    let mut agent = deployment(
        "agent",
        json!({"app": "agent", "version": "v1"}),
        1,
        "agent:1",
    );
    agent["spec"]["template"]["spec"]["hostNetwork"] = json!(true);
    agent["spec"]["template"]["spec"]["containers"][0]["resources"] =
        json!({"requests": {"cpu": "10m"}});
    create(&ns.name, web).await.expect("web");
    create(&ns.name, agent).await.expect("agent");
    let report = eventually(
        "MESH0210 with the quota as its reason",
        Duration::from_secs(60),
        || {
            let ns = ns.name.clone();
            async move {
                let report = meshctl(&["-n", &ns, "troubleshoot", "-o", "json"])
                    .await
                    .json();
                let reason = report["findings"].as_array()?.iter().any(|f| {
                    f["code"] == "MESH0210"
                        && f["resource"] == format!("Deployment/{ns}/web").as_str()
                        && f["message"]
                            .as_str()
                            .is_some_and(|m| m.contains("a ResourceQuota refuses its pods"))
                });
                reason.then_some(report)
            }
        },
    )
    .await;
    let web = format!("Deployment/{}/web", ns.name);
    let capacity = report["findings"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|f| f["code"] == "MESH0701" && f["resource"] == web.as_str())
        })
        .unwrap_or_else(|| panic!("no MESH0701 in {:#?}", findings(&report)));
    let message = capacity["message"].as_str().unwrap_or("");
    assert!(message.contains("from the injector's config"), "{message}");
    assert!(
        message.contains("of 4 replicas can be admitted"),
        "{message}"
    );
    // the host-network pod is not missing a sidecar
    assert!(
        !findings(&report)
            .iter()
            .any(|(code, _, resource)| code == "MESH0202" && resource.contains("/agent-")),
        "{:#?}",
        findings(&report)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn policies_and_image_auto_on_the_cluster() {
    cluster();
    let ns = TestNamespace::create("t-ap-policy", &[]).await;
    create(
        &ns.name,
        deployment("web", json!({"app": "web", "version": "v1"}), 1, "web:1"),
    )
    .await
    .expect("web");
    let mut gateway = deployment("gw", json!({"app": "gw", "version": "v1"}), 1, "auto");
    gateway["spec"]["template"]["spec"]["containers"][0]["name"] = json!("istio-proxy");
    create(&ns.name, gateway).await.expect("gateway");
    for (name, spec) in [
        ("typo", json!({"selector": {"matchLabels": {"app": "wbe"}}})),
        (
            "web",
            json!({"selector": {"matchLabels": {"app": "web"}},
            "rules": [{"from": [{"source": {"namespaces": [ns.name.clone(), "no-such-namespace"]}}]}]}),
        ),
    ] {
        create(
            &ns.name,
            json!({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy",
            "metadata": {"name": name}, "spec": spec}),
        )
        .await
        .expect("authorization policy");
    }
    await_deployment(&ns.name, "web").await;
    await_deployment(&ns.name, "gw").await;
    let report = meshctl(&["-n", &ns.name, "troubleshoot", "-o", "json"])
        .await
        .json();
    let gw_pod = pods(&ns.name, "app=gw").await[0]
        .metadata
        .name
        .clone()
        .expect("pod");
    for (code, severity, resource) in [
        (
            "MESH0405",
            "warning",
            format!("AuthorizationPolicy/{}/typo", ns.name),
        ),
        (
            "MESH0406",
            "error",
            format!("AuthorizationPolicy/{}/web", ns.name),
        ),
        ("MESH0212", "error", format!("Pod/{}/{gw_pod}", ns.name)),
        ("MESH0213", "warning", format!("Deployment/{}/gw", ns.name)),
    ] {
        assert!(
            has_finding(&report, code, severity, &resource),
            "missing {code} {resource} in {:#?}",
            findings(&report)
        );
    }
    // the policy that selects a running workload and names only existing namespaces is fine
    let web = format!("AuthorizationPolicy/{}/web", ns.name);
    assert!(
        !findings(&report)
            .iter()
            .any(|(code, _, resource)| code == "MESH0405" && *resource == web)
    );
    let named: Vec<&str> = report["findings"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|f| f["code"] == "MESH0406")
                .filter_map(|f| f["message"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(named.len(), 1, "{named:#?}");
    assert!(named[0].contains("no-such-namespace"), "{}", named[0]);
}
