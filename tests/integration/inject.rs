//! `meshctl inject` against the real injector, with one Deployment whose new pods an admission
//! policy made for the test rejects.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::apps::v1::ReplicaSet;
use kube::api::{Api, ListParams, PostParams};

use crate::support::*;

async fn replica_sets(ns: &str) -> BTreeMap<String, usize> {
    let api: Api<ReplicaSet> = Api::namespaced(admin_client().await, ns);
    let mut per_deployment = BTreeMap::new();
    for rs in api
        .list(&ListParams::default())
        .await
        .expect("list replica sets")
        .items
    {
        let owner = rs
            .metadata
            .owner_references
            .unwrap_or_default()
            .first()
            .map(|o| o.name.clone())
            .unwrap_or_default();
        *per_deployment.entry(owner).or_insert(0) += 1;
    }
    per_deployment
}

/// Rejects new pods labelled app=doomed in one namespace, and waits until the API server enforces it.
async fn deny_doomed_pods(ns: &str) -> String {
    let name = unique("t-deny-doomed");
    create_cluster_scoped(serde_json::json!({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": name},
        "spec": {"failurePolicy": "Fail",
            "matchConstraints": {"resourceRules": [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE"], "resources": ["pods"]}]},
            "validations": [{"expression": "!has(object.metadata.labels) || !('app' in object.metadata.labels) || object.metadata.labels['app'] != 'doomed'",
                             "message": "pods of app doomed are refused by the test policy"}]}}))
    .await;
    create_cluster_scoped(serde_json::json!({
        "apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": name},
        "spec": {"policyName": name, "validationActions": ["Deny"],
                 "matchResources": {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": ns}}}}}))
    .await;
    let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(admin_client().await, ns);
    let probe: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "probe", "labels": {"app": "doomed", "sidecar.istio.io/inject": "false"}},
        "spec": {"containers": [{"name": "c", "image": "c"}]}})).expect("pod");
    eventually(
        "the admission policy to be enforced",
        Duration::from_secs(30),
        || async {
            pods.create(
                &PostParams {
                    dry_run: true,
                    ..PostParams::default()
                },
                &probe,
            )
            .await
            .is_err()
            .then_some(())
        },
    )
    .await;
    name
}

#[tokio::test(flavor = "multi_thread")]
async fn inject_wait_restarts_every_deployment_and_reports_the_one_that_fails() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-inject-many", &[]).await;
    for (name, replicas) in [("api", 2), ("worker", 1), ("doomed", 1)] {
        let labels = serde_json::json!({"app": name, "version": "v1"});
        create(&ns.name, deployment(name, labels, replicas, "img:1"))
            .await
            .expect("deployment");
    }
    for name in ["api", "worker", "doomed"] {
        await_deployment(&ns.name, name).await;
    }
    let before = replica_sets(&ns.name).await;
    let policy = deny_doomed_pods(&ns.name).await;

    let run = meshctl(&[
        "-n",
        &ns.name,
        "inject",
        "--all",
        "--wait",
        "--timeout",
        "60s",
        "-o",
        "json",
    ])
    .await;
    delete_cluster_scoped(
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicyBinding",
        &policy,
    )
    .await;
    delete_cluster_scoped(
        "admissionregistration.k8s.io/v1",
        "ValidatingAdmissionPolicy",
        &policy,
    )
    .await;

    assert_eq!(
        run.code, 1,
        "a failed rollout fails the command: {}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(report["label"], "istio-injection=enabled (configured)");
    let by_name: BTreeMap<String, serde_json::Value> = report["deployments"]
        .as_array()
        .expect("deployments")
        .iter()
        .map(|d| (d["name"].as_str().unwrap_or("").to_string(), d.clone()))
        .collect();
    for (name, pods) in [("api", 2), ("worker", 1)] {
        let d = &by_name[name];
        assert_eq!(d["result"], "restarted", "{d:#}");
        assert_eq!(
            (d["injected_pods"].as_u64(), d["pods"].as_u64()),
            (Some(pods), Some(pods)),
            "{d:#}"
        );
    }
    let doomed = &by_name["doomed"];
    assert_eq!(doomed["result"], "failed", "{doomed:#}");
    let reason = doomed["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("FailedCreate") && reason.contains("refused by the test policy"),
        "{reason}"
    );
    let after = replica_sets(&ns.name).await;
    for name in ["api", "worker", "doomed"] {
        assert_eq!(after[name], before[name] + 1, "{name} got a new ReplicaSet");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conflicting_label_is_reported_and_replaced_only_with_force_and_disable_reverses() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-inject-label", &[("istio-injection", "disabled")]).await;
    let refused = meshctl(&["-n", &ns.name, "inject"]).await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("istio-injection=disabled") && refused.stderr.contains("--force"),
        "{}",
        refused.stderr
    );

    let forced = meshctl(&[
        "-n",
        &ns.name,
        "inject",
        "--revision",
        "canary",
        "--force",
        "-o",
        "json",
    ])
    .await;
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let namespaces: Api<k8s_openapi::api::core::v1::Namespace> = Api::all(admin_client().await);
    let labels = namespaces
        .get(&ns.name)
        .await
        .expect("ns")
        .metadata
        .labels
        .unwrap_or_default();
    assert_eq!(
        labels.get("istio.io/rev").map(String::as_str),
        Some("canary")
    );
    assert!(
        !labels.contains_key("istio-injection"),
        "never both labels: {labels:?}"
    );

    let disabled = meshctl(&["-n", &ns.name, "inject", "--disable"]).await;
    assert_eq!(disabled.code, 0, "{}", disabled.stderr);
    let labels = namespaces
        .get(&ns.name)
        .await
        .expect("ns")
        .metadata
        .labels
        .unwrap_or_default();
    assert!(
        !labels.contains_key("istio.io/rev") && !labels.contains_key("istio-injection"),
        "{labels:?}"
    );
}

/// A kubeconfig that acts as `user` through the admin's credentials (impersonation), so a test
/// can take one permission away; removed when dropped.
fn impersonating(user: &str) -> tempfile::NamedTempFile {
    let admin = std::fs::read_to_string(&cluster().admin).expect("admin kubeconfig");
    let mut config: serde_json::Value = serde_saphyr::from_str(&admin).expect("kubeconfig yaml");
    for entry in config["users"].as_array_mut().expect("users") {
        entry["user"]["as"] = serde_json::Value::from(user);
    }
    let file = tempfile::Builder::new()
        .prefix("meshctl-as-")
        .suffix(".kubeconfig")
        .tempfile()
        .expect("kubeconfig file");
    std::fs::write(file.path(), serde_json::to_string(&config).expect("json")).expect("write");
    file
}

#[tokio::test(flavor = "multi_thread")]
async fn an_api_error_while_counting_pods_fails_with_the_deployment_named() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-inject-nopods", &[("istio-injection", "enabled")]).await;
    let labels = serde_json::json!({"app": "api", "version": "v1"});
    create(&ns.name, deployment("api", labels, 1, "img:1"))
        .await
        .expect("deployment");
    // May read and label namespaces and restart Deployments, but not list pods.
    let user = unique("t-no-pods");
    let role = |kind: &str, rules: serde_json::Value| {
        serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
            "metadata": {"name": user}, "rules": rules})
    };
    create_cluster_scoped(role(
        "ClusterRole",
        serde_json::json!([
            {"apiGroups": [""], "resources": ["namespaces"], "verbs": ["get", "patch", "create"]},
            {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get", "list", "patch"]}]),
    ))
    .await;
    create_cluster_scoped(
        serde_json::json!({"apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding", "metadata": {"name": user},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": user},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user}]}),
    )
    .await;
    let kubeconfig = impersonating(&user);
    let run = meshctl(&[
        "--kubeconfig",
        &kubeconfig.path().to_string_lossy(),
        "-n",
        &ns.name,
        "inject",
        "--all",
        "--dry-run",
    ])
    .await;
    delete_cluster_scoped("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", &user).await;
    delete_cluster_scoped("rbac.authorization.k8s.io/v1", "ClusterRole", &user).await;

    assert_eq!(
        run.code, 3,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains(&format!("Deployment/{}/api", ns.name)),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("forbidden"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert!(!run.stdout.contains("0/0 pods"), "{}", run.stdout);
}
