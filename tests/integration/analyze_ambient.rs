//! `meshctl troubleshoot ambient`: each ambient rule (MESH0801–0807) on a fixture that triggers
//! it and one that must not, from files and against the real istiod, whose `ResolvedWaypoints`
//! messages and waypoint bindings the live rules read.

use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

/// Analyzes YAML from a file of its own (only the ambient findings).
async fn from_file(yaml: &str) -> Value {
    from_file_scoped(yaml, "ambient").await
}

async fn from_file_scoped(yaml: &str, scope: &str) -> Value {
    let file = scratch_yaml("meshctl-ambient-", yaml);
    let run = meshctl_bare(&[
        "troubleshoot",
        scope,
        "--file",
        &file.path().to_string_lossy(),
        "--fail-on",
        "info",
        "-o",
        "json",
    ])
    .await;
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let report = run.json();
    // --fail-on info: the exit code says whether anything was found.
    assert_eq!(run.code == 1, !findings(&report).is_empty(), "{report:#}");
    report
}

async fn live(ns: &str) -> Value {
    let run = meshctl(&["-n", ns, "troubleshoot", "ambient", "-o", "json"]).await;
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.json()
}

fn codes(report: &Value) -> Vec<String> {
    findings(report)
        .into_iter()
        .map(|(code, ..)| code)
        .collect()
}

fn message(report: &Value, code: &str, resource: &str) -> String {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["code"] == code && f["resource"] == resource)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_else(|| panic!("no {code} on {resource}: {report:#}"))
        .to_string()
}

const AMBIENT_NS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio.io/dataplane-mode: ambient}}
";
const SIDECAR_NS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
";
const WEB: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
";
const ROUTE: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web-retries, namespace: shop}
spec:
  parentRefs: [{group: '', kind: Service, name: web, port: 80}]
  rules: [{backendRefs: [{name: web, port: 80}], timeouts: {request: 3s}}]
";
const WAYPOINT: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: waypoint, namespace: shop}
spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
";

fn docs(parts: &[&str]) -> String {
    parts.join("---")
}

/// (code, severity, resource, input that triggers it, input that must not).
fn cases() -> Vec<(&'static str, &'static str, &'static str, String, String)> {
    let labelled_ns = AMBIENT_NS.replace("ambient}", "ambient, istio.io/use-waypoint: waypoint}");
    let typo_ns = AMBIENT_NS.replace("ambient}", "ambient, istio.io/use-waypoint: wayp0int}");
    let get_policy = "
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: get-only, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  action: ALLOW
  rules: [{to: [{operation: {methods: [GET]}}]}]
";
    let get_policy_targeted = get_policy.replace(
        "selector: {matchLabels: {app: web}}",
        "targetRefs: [{group: '', kind: Service, name: web}]",
    );
    let jwt = "
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  jwtRules: [{issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks'}]
";
    let jwt_targeted = jwt.replace(
        "selector: {matchLabels: {app: web}}",
        "targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}]",
    );
    let filter = "
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: lua, namespace: shop}
spec:
  workloadSelector: {labels: {app: legacy}}
  configPatches: [{applyTo: HTTP_FILTER, patch: {operation: INSERT_BEFORE, value: {name: envoy.lua}}}]
";
    // The one workload it selects kept its sidecar: the filter still applies there.
    let legacy_with_sidecar = "
apiVersion: v1
kind: Pod
metadata: {name: legacy-0, namespace: shop, labels: {app: legacy}}
spec: {containers: [{name: legacy, image: 'legacy:1'}, {name: istio-proxy, image: 'docker.io/istio/proxyv2:1.31.0'}]}
";
    let legacy_without = legacy_with_sidecar.replace(
        ", {name: istio-proxy, image: 'docker.io/istio/proxyv2:1.31.0'}",
        "",
    );
    let front = "
apiVersion: v1
kind: Namespace
metadata: {name: front, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: v1
kind: Service
metadata: {name: ui, namespace: front, labels: {istio.io/use-waypoint: waypoint, istio.io/use-waypoint-namespace: shop}}
spec: {ports: [{name: http, port: 80}]}
";
    let shared = WAYPOINT.replace(
        "protocol: HBONE}",
        "protocol: HBONE, allowedRoutes: {namespaces: {from: All}}}",
    );
    vec![
        (
            "MESH0801",
            "warning",
            "Namespace/shop",
            AMBIENT_NS.replace("ambient}", "ambient, istio.io/rev: canary}"),
            AMBIENT_NS.replace("ambient}", "ambient, istio-injection: disabled}"),
        ),
        (
            "MESH0802",
            "error",
            "AuthorizationPolicy/shop/get-only",
            docs(&[AMBIENT_NS, WEB, get_policy]),
            docs(&[AMBIENT_NS, WEB, &get_policy_targeted]),
        ),
        (
            "MESH0803",
            "warning",
            "RequestAuthentication/shop/jwt",
            docs(&[AMBIENT_NS, jwt]),
            docs(&[AMBIENT_NS, WAYPOINT, &jwt_targeted]),
        ),
        (
            "MESH0804",
            "warning",
            "HTTPRoute/shop/web-retries",
            docs(&[AMBIENT_NS, WEB, ROUTE]),
            docs(&[&labelled_ns, WAYPOINT, WEB, ROUTE]),
        ),
        (
            "MESH0805",
            "error",
            "HTTPRoute/shop/web-retries",
            docs(&[&typo_ns, WAYPOINT, WEB, ROUTE]),
            docs(&[&labelled_ns, WAYPOINT, WEB, ROUTE]),
        ),
        (
            "MESH0806",
            "warning",
            "EnvoyFilter/shop/lua",
            docs(&[AMBIENT_NS, filter, &legacy_without]),
            docs(&[AMBIENT_NS, filter, legacy_with_sidecar]),
        ),
        (
            "MESH0807",
            "info",
            "Gateway.gateway.networking.k8s.io/shop/waypoint",
            docs(&[AMBIENT_NS, WAYPOINT, front]),
            docs(&[AMBIENT_NS, &shared, front]),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn each_ambient_rule_fires_on_its_fixture_file_and_not_on_the_correct_one() {
    for (code, severity, resource, trigger, clean) in cases() {
        let report = from_file(&trigger).await;
        assert!(
            has_finding(&report, code, severity, resource),
            "{code} on {resource}:\n{trigger}\n{report:#}"
        );
        let report = from_file(&clean).await;
        assert!(
            !codes(&report).contains(&code.to_string()),
            "{code} must not fire:\n{clean}\n{report:#}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn from_files_the_rules_need_the_namespace_and_sidecar_namespaces_are_left_alone() {
    // Without the Namespace, a file cannot say the namespace is ambient.
    let unknown = from_file(&docs(&[WEB, ROUTE])).await;
    assert_eq!(codes(&unknown), Vec::<String>::new(), "{unknown:#}");
    let sidecars = from_file(&docs(&[SIDECAR_NS, WEB, ROUTE])).await;
    assert_eq!(codes(&sidecars), Vec::<String>::new(), "{sidecars:#}");
    // But a dump with istiod's status says it by itself.
    let dumped = format!(
        "{ROUTE}status:
  parents:
  - parentRef: {{group: '', kind: Service, name: web, port: 80}}
    controllerName: istio.io/gateway-controller
    conditions:
    - type: ResolvedWaypoints
      status: 'True'
      reason: ResolvedWaypoints
      message: 'istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be respected'
"
    );
    let report = from_file(&dumped).await;
    assert!(
        message(&report, "MESH0804", "HTTPRoute/shop/web-retries")
            .starts_with("istiod says: istio.io/use-waypoint label missing"),
        "{report:#}"
    );
}

/// The sidecar rules leave an ambient namespace alone: it needs no injection label, and STRICT
/// mTLS holds through ztunnel; a workload that opts out of ambient is still judged.
#[tokio::test(flavor = "multi_thread")]
async fn sidecar_rules_do_not_fire_in_an_ambient_namespace() {
    let strict = "
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict, namespace: shop}
spec: {mtls: {mode: STRICT}}
";
    let web = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, version: v1}}
    spec: {containers: [{name: web, image: 'web:1'}]}
";
    let report = from_file_scoped(&docs(&[AMBIENT_NS, strict, web]), "all").await;
    assert_eq!(codes(&report), Vec::<String>::new(), "{report:#}");
    // The same namespace unlabelled: the sidecar rules speak, as they always did.
    let unlabelled = AMBIENT_NS.replace(", labels: {istio.io/dataplane-mode: ambient}", "");
    let report = from_file_scoped(&docs(&[&unlabelled, strict, web]), "all").await;
    assert_eq!(codes(&report), ["MESH0201", "MESH0401"], "{report:#}");
    let opted_out = web.replace(
        "version: v1}",
        "version: v1, istio.io/dataplane-mode: none}",
    );
    let report = from_file_scoped(&docs(&[AMBIENT_NS, strict, &opted_out]), "all").await;
    assert!(
        has_finding(
            &report,
            "MESH0401",
            "error",
            "PeerAuthentication/shop/strict"
        ),
        "{report:#}"
    );
}

fn service(name: &str, labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "labels": labels},
        "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": 80}]}})
}

fn route(name: &str, service: &str) -> Value {
    json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": {"name": name},
        "spec": {"parentRefs": [{"group": "", "kind": "Service", "name": service, "port": 80}],
                 "rules": [{"backendRefs": [{"name": service, "port": 80}], "timeouts": {"request": "3s"}}]}})
}

fn waypoint(name: &str, from: &str) -> Value {
    json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": {"name": name},
        "spec": {"gatewayClassName": "istio-waypoint",
                 "listeners": [{"name": "mesh", "port": 15008, "protocol": "HBONE",
                                "allowedRoutes": {"namespaces": {"from": from}}}]}})
}

/// istiod's `ResolvedWaypoints` message on a route, once written.
async fn route_waypoints(ns: &str, name: &str) -> Option<String> {
    use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
    let gvk = GroupVersionKind::gvk("gateway.networking.k8s.io", "v1", "HTTPRoute");
    let resource = ApiResource::from_gvk_with_plural(&gvk, "httproutes");
    let api: Api<DynamicObject> = Api::namespaced_with(admin_client().await, ns, &resource);
    let route = api.get(name).await.ok()?;
    route.data["status"]["parents"][0]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == "ResolvedWaypoints")
        .and_then(|c| c["message"].as_str())
        .map(str::to_string)
}

async fn create_all(ns: &str, objects: Vec<Value>) {
    for object in objects {
        create(ns, object).await.expect("create fixture object");
    }
}

/// Every rule that fires on the cluster, in one ambient namespace: the route to a Service
/// without a waypoint is judged from istiod's own `ResolvedWaypoints` message.
#[tokio::test(flavor = "multi_thread")]
async fn live_the_rules_fire_on_what_the_cluster_and_istiod_say() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-amb-rules", &[("istio.io/dataplane-mode", "ambient")]).await;
    let dual = TestNamespace::create(
        "t-amb-dual",
        &[
            ("istio.io/dataplane-mode", "ambient"),
            ("istio-injection", "enabled"),
        ],
    )
    .await;
    create_all(
        &ns.name,
        vec![
            service("web", json!({})),
            route("web-retries", "web"),
            service("api", json!({"istio.io/use-waypoint": "gone"})),
            route("api-retries", "api"),
            waypoint("idle", "Same"),
            json!({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": {"name": "get-only"},
                "spec": {"selector": {"matchLabels": {"app": "web"}}, "rules": [{"to": [{"operation": {"methods": ["GET"]}}]}]}}),
            json!({"apiVersion": "security.istio.io/v1", "kind": "RequestAuthentication", "metadata": {"name": "jwt"},
                "spec": {"selector": {"matchLabels": {"app": "web"}},
                         "jwtRules": [{"issuer": "https://issuer.example.com", "jwksUri": "https://issuer.example.com/jwks"}]}}),
            json!({"apiVersion": "networking.istio.io/v1alpha3", "kind": "EnvoyFilter", "metadata": {"name": "lua"},
                "spec": {"configPatches": [{"applyTo": "HTTP_FILTER", "patch": {"operation": "INSERT_BEFORE", "value": {"name": "envoy.lua"}}}]}}),
        ],
    )
    .await;
    let route_ref = format!("HTTPRoute/{}/web-retries", ns.name);
    let api_route = format!("HTTPRoute/{}/api-retries", ns.name);
    // istiod judges a route when it sees it: one seen before its Service's label is "not
    // respected" until istiod catches up, so the report is read until istiod has settled.
    let report = eventually(
        "istiod's ResolvedWaypoints messages on both routes",
        Duration::from_secs(60),
        || async {
            let report = live(&ns.name).await;
            let istiod = has_finding(&report, "MESH0804", "warning", &route_ref)
                && message(&report, "MESH0804", &route_ref).starts_with("istiod says:");
            let settled = has_finding(&report, "MESH0805", "error", &api_route);
            (istiod && settled).then_some(report)
        },
    )
    .await;
    let says = message(&report, "MESH0804", &route_ref);
    assert!(says.contains("route will not be respected"), "{says}");
    let n = &ns.name;
    for (code, severity, resource) in [
        (
            "MESH0802",
            "error",
            format!("AuthorizationPolicy/{n}/get-only"),
        ),
        (
            "MESH0803",
            "warning",
            format!("RequestAuthentication/{n}/jwt"),
        ),
        ("MESH0805", "error", format!("HTTPRoute/{n}/api-retries")),
        ("MESH0806", "warning", format!("EnvoyFilter/{n}/lua")),
        (
            "MESH0807",
            "info",
            format!("Gateway.gateway.networking.k8s.io/{n}/idle"),
        ),
    ] {
        assert!(
            has_finding(&report, code, severity, &resource),
            "{code} {resource}: {report:#}"
        );
    }
    // Only the namespace labelled for both data planes is dual.
    assert!(
        !codes(&report).contains(&"MESH0801".to_string()),
        "{report:#}"
    );
    let report = live(&dual.name).await;
    assert!(
        has_finding(
            &report,
            "MESH0801",
            "warning",
            &format!("Namespace/{}", dual.name)
        ),
        "{report:#}"
    );
}

/// The same kinds of object, written as ambient wants them, give no ambient finding live: a
/// waypoint istiod programs and the namespace uses, policies with targetRefs, a route to a
/// Service that has the waypoint.
#[tokio::test(flavor = "multi_thread")]
async fn live_a_correct_ambient_namespace_has_no_ambient_finding() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-amb-clean", &[("istio.io/dataplane-mode", "ambient")]).await;
    let apply = meshctl(&[
        "-n",
        &ns.name,
        "waypoint",
        "apply",
        "--enroll-namespace",
        "--wait",
        "--timeout",
        "60s",
    ])
    .await;
    assert_eq!(apply.code, 0, "{}", apply.stderr);
    create_all(
        &ns.name,
        vec![
            service("web", json!({})),
            route("web-retries", "web"),
            json!({"apiVersion": "security.istio.io/v1", "kind": "AuthorizationPolicy", "metadata": {"name": "get-only"},
                "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "web"}],
                         "rules": [{"to": [{"operation": {"methods": ["GET"]}}]}]}}),
            json!({"apiVersion": "security.istio.io/v1", "kind": "RequestAuthentication", "metadata": {"name": "jwt"},
                "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "waypoint"}],
                         "jwtRules": [{"issuer": "https://issuer.example.com", "jwksUri": "https://issuer.example.com/jwks"}]}}),
        ],
    )
    .await;
    // Judged once istiod has resolved the route's waypoint.
    let message = eventually(
        "istiod to resolve the route's waypoint",
        Duration::from_secs(60),
        || route_waypoints(&ns.name, "web-retries"),
    )
    .await;
    assert_eq!(message, "All waypoints resolved");
    let report = live(&ns.name).await;
    assert_eq!(codes(&report), Vec::<String>::new(), "{report:#}");
}

/// MESH0807 live on one namespace: a waypoint that other namespaces may use (its listener lets
/// them in) is not reported when their Services, which a one-namespace read does not list, use
/// it; one that only its own namespace may use still is.
#[tokio::test(flavor = "multi_thread")]
async fn live_a_waypoint_used_from_another_namespace_is_not_reported_as_unused() {
    cluster();
    let _istiod = istiod_serving();
    let home = TestNamespace::create("t-amb-home", &[("istio.io/dataplane-mode", "ambient")]).await;
    let users =
        TestNamespace::create("t-amb-users", &[("istio.io/dataplane-mode", "ambient")]).await;
    create_all(
        &home.name,
        vec![waypoint("shared", "All"), waypoint("private", "Same")],
    )
    .await;
    create_all(
        &users.name,
        vec![service(
            "ui",
            json!({"istio.io/use-waypoint": "shared", "istio.io/use-waypoint-namespace": home.name}),
        )],
    )
    .await;
    // istiod agrees that the Service uses it.
    let services: kube::api::Api<k8s_openapi::api::core::v1::Service> =
        kube::api::Api::namespaced(admin_client().await, &users.name);
    let bound = format!("Successfully attached to waypoint {}/shared", home.name);
    eventually(
        "istiod to bind the Service to the shared waypoint",
        Duration::from_secs(60),
        || {
            let services = services.clone();
            let bound = bound.clone();
            async move {
                let ui = services.get("ui").await.ok()?;
                ui.status?
                    .conditions?
                    .iter()
                    .any(|c| {
                        c.type_ == "istio.io/WaypointBound"
                            && c.status == "True"
                            && c.message == bound
                    })
                    .then_some(())
            }
        },
    )
    .await;
    let report = live(&home.name).await;
    let gateway = |name: &str| format!("Gateway.gateway.networking.k8s.io/{}/{name}", home.name);
    assert!(
        !has_finding(&report, "MESH0807", "info", &gateway("shared")),
        "used by {}/ui: {report:#}",
        users.name
    );
    assert!(
        has_finding(&report, "MESH0807", "info", &gateway("private")),
        "{report:#}"
    );
}
