//! The Gateway API rules (MESH0601–0609): on files, against the dev cluster's real CRD schemas,
//! and live with the real istiod's gateway controller writing status.

use std::time::Duration;

use kube::api::{Api, DynamicObject, PostParams};
use serde_json::Value;

use crate::support::*;

/// A correct set across four namespaces (the placeholders): a Gateway in INFRA with an HTTP
/// listener open to every namespace and an HTTPS one for namespaces labelled `gateway-access`
/// whose certificate lives in CERTS (granted); a route in PROD to a Service there and one in
/// SHARED (granted), weighted 90/0.
const CORRECT: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: INFRA, annotations: {networking.istio.io/service-type: ClusterIP}}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: '*.example.com', allowedRoutes: {namespaces: {from: All}}}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: shop.example.com
    tls: {mode: Terminate, certificateRefs: [{name: shop-cert, namespace: CERTS}]}
    allowedRoutes:
      namespaces: {from: Selector, selector: {matchLabels: {gateway-access: 'true'}}}
      kinds: [{kind: HTTPRoute}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: gateway-certs, namespace: CERTS}
spec:
  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: INFRA}]
  to: [{group: '', kind: Secret, name: shop-cert}]
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: PROD}
spec: {selector: {app: shop}, ports: [{name: http, port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: search, namespace: SHARED}
spec: {selector: {app: search}, ports: [{name: http, port: 9000}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: prod-routes, namespace: SHARED}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: PROD}]
  to: [{group: '', kind: Service}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: PROD}
spec:
  parentRefs: [{name: web, namespace: INFRA, sectionName: http}, {name: web, namespace: INFRA, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /search}}]
    backendRefs: [{name: search, namespace: SHARED, port: 9000}]
  - backendRefs: [{name: shop, port: 8080, weight: 90}, {name: shop, port: 8080, weight: 0}]
";

/// The namespaces as files name them.
fn in_files(yaml: &str) -> String {
    yaml.replace("INFRA", "infra")
        .replace("CERTS", "certs")
        .replace("SHARED", "shared")
        .replace("PROD", "prod")
}

/// One problem per object, each of them for one rule.
const BROKEN: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: edge}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: '*.example.com', allowedRoutes: {namespaces: {from: All}}}
  - {name: internal, port: 8080, protocol: HTTP}
  - name: https
    port: 443
    protocol: HTTPS
    allowedRoutes: {namespaces: {from: All}}
    tls: {certificateRefs: [{name: shop-cert, namespace: vault}]}
---
apiVersion: v1
kind: Secret
metadata: {name: shop-cert, namespace: vault}
type: kubernetes.io/tls
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: prod}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: search, namespace: shared}
spec: {ports: [{name: grpc, port: 9000}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: missing-parent, namespace: prod}
spec:
  parentRefs: [{name: webb, namespace: edge}]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: missing-listener, namespace: prod}
spec:
  parentRefs: [{name: web, namespace: edge, sectionName: grpc}]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wrong-host, namespace: prod}
spec:
  parentRefs: [{name: web, namespace: edge, sectionName: http}]
  hostnames: [example.com, shop.example.org]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: not-allowed, namespace: prod}
spec:
  parentRefs: [{name: web, namespace: edge, sectionName: internal}]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: bad-backends, namespace: prod}
spec:
  parentRefs: [{name: web, namespace: edge, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: gone, port: 8080}]
  - backendRefs: [{name: shop, port: 80}]
  - backendRefs: [{name: shop, port: 8080, weight: 0}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: search, namespace: prod}
spec:
  parentRefs: [{name: web, namespace: edge, sectionName: http}]
  rules: [{backendRefs: [{name: search, namespace: shared, port: 9000}]}]
";

fn temp_dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = scratch_dir("meshctl-gwapi-");
    std::fs::write(dir.path().join(name), text).expect("write");
    dir
}

async fn troubleshoot_files(yaml: &str) -> Run {
    let dir = temp_dir_with("routes.yaml", yaml);
    meshctl_bare(&[
        "troubleshoot",
        "--file",
        &dir.path().to_string_lossy(),
        "-o",
        "json",
    ])
    .await
}

/// (code, resource) of the findings with a Gateway API code, sorted.
fn gateway_api_findings(report: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = findings(report)
        .into_iter()
        .filter(|(code, _, _)| code.starts_with("MESH06"))
        .map(|(code, _, resource)| (code, resource))
        .collect();
    found.sort();
    found
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = expected
        .iter()
        .map(|(c, r)| (c.to_string(), r.to_string()))
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn files_with_a_correct_gateway_route_set_pass_and_each_broken_reference_is_found() {
    let correct = troubleshoot_files(&in_files(CORRECT)).await;
    assert_eq!(correct.code, 0, "{}\n{}", correct.stdout, correct.stderr);
    assert_eq!(
        findings(&correct.json()),
        [],
        "a correct set gives no finding at all"
    );

    let broken = troubleshoot_files(BROKEN).await;
    assert_eq!(broken.code, 1, "{}\n{}", broken.stdout, broken.stderr);
    let gateway = "Gateway.gateway.networking.k8s.io/edge/web";
    assert_eq!(
        gateway_api_findings(&broken.json()),
        pairs(&[
            ("MESH0601", "HTTPRoute/prod/missing-parent"),
            ("MESH0602", "HTTPRoute/prod/missing-listener"),
            ("MESH0603", "HTTPRoute/prod/wrong-host"),
            ("MESH0604", "HTTPRoute/prod/not-allowed"),
            ("MESH0605", "HTTPRoute/prod/bad-backends"),
            ("MESH0606", "HTTPRoute/prod/bad-backends"),
            ("MESH0607", "GRPCRoute/prod/search"),
            ("MESH0607", gateway),
            ("MESH0608", "HTTPRoute/prod/bad-backends"),
        ])
    );
    // Only the Gateway API scope, and the text names the Gateway API Gateway unambiguously.
    let dir = temp_dir_with("routes.yaml", BROKEN);
    let text = meshctl_bare(&[
        "troubleshoot",
        "gateway-api",
        "--file",
        &dir.path().to_string_lossy(),
    ])
    .await;
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(
        text.stdout.contains(&format!("MESH0607 error {gateway}")),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("certificateRef Secret/vault/shop-cert"),
        "{}",
        text.stdout
    );
}

/// The namespaces of one live test, named like the placeholders.
struct Namespaces {
    infra: TestNamespace,
    certs: TestNamespace,
    shared: TestNamespace,
    prod: TestNamespace,
}

impl Namespaces {
    async fn create() -> Self {
        Self {
            infra: TestNamespace::create("gwapi-infra", &[]).await,
            certs: TestNamespace::create("gwapi-certs", &[]).await,
            shared: TestNamespace::create("gwapi-shared", &[]).await,
            prod: TestNamespace::create("gwapi-prod", &[("gateway-access", "true")]).await,
        }
    }

    fn place(&self, yaml: &str) -> String {
        yaml.replace("INFRA", &self.infra.name)
            .replace("CERTS", &self.certs.name)
            .replace("SHARED", &self.shared.name)
            .replace("PROD", &self.prod.name)
    }
}

fn documents(yaml: &str) -> Vec<Value> {
    serde_saphyr::from_multiple::<Value>(yaml)
        .expect("fixture YAML")
        .into_iter()
        .filter(|d| !d.is_null())
        .collect()
}

async fn api_for(object: &Value) -> Api<DynamicObject> {
    let client = admin_client().await;
    let (group, version) = object["apiVersion"]
        .as_str()
        .and_then(|v| v.split_once('/'))
        .unwrap_or(("", "v1"));
    let gvk =
        kube::api::GroupVersionKind::gvk(group, version, object["kind"].as_str().unwrap_or(""));
    let (resource, _) = kube::discovery::pinned_kind(&client, &gvk)
        .await
        .unwrap_or_else(|e| {
            panic!("{gvk:?} is not served ({e}): are the Gateway API CRDs installed?")
        });
    let namespace = object["metadata"]["namespace"].as_str().expect("namespace");
    Api::namespaced_with(client, namespace, &resource)
}

/// Server-side: created for real, or only validated (`dry_run`) against the CRD schemas.
async fn submit(object: &Value, dry_run: bool) -> Result<DynamicObject, kube::Error> {
    let params = PostParams {
        dry_run,
        ..Default::default()
    };
    let object_typed: DynamicObject = serde_json::from_value(object.clone()).expect("object");
    api_for(object).await.create(&params, &object_typed).await
}

#[tokio::test]
async fn the_real_crd_schemas_accept_the_correct_set_and_refuse_a_negative_weight() {
    let ns = Namespaces::create().await;
    for object in documents(&ns.place(CORRECT)) {
        let name = object["metadata"]["name"].clone();
        submit(&object, true)
            .await
            .unwrap_or_else(|e| panic!("the API server refuses {} {name}: {e}", object["kind"]));
    }
    let mut negative = documents(&ns.place(CORRECT))
        .into_iter()
        .find(|o| o["kind"] == "HTTPRoute")
        .expect("a route");
    negative["spec"]["rules"][1]["backendRefs"][1]["weight"] = (-1).into();
    match submit(&negative, true).await {
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 422, "{status:?}"),
        other => panic!("a negative weight must be refused: {other:?}"),
    }
}

/// The route's status as istiod wrote it, once it has a parent entry for each parentRef.
async fn route_status(namespace: &str, name: &str, parents: usize) -> Value {
    let probe = serde_json::json!({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
        "metadata": {"namespace": namespace}});
    let api = api_for(&probe).await;
    eventually(
        "istiod to write the route's status",
        Duration::from_secs(60),
        || {
            let api = api.clone();
            async move {
                let route = api.get(name).await.ok()?;
                let status = route.data["status"].clone();
                let written = status["parents"].as_array().is_some_and(|p| {
                    p.len() == parents
                        && p.iter()
                            .all(|p| p["conditions"].as_array().is_some_and(|c| c.len() >= 2))
                });
                written.then_some(status)
            }
        },
    )
    .await
}

#[tokio::test]
async fn live_the_correct_set_has_no_finding_and_istiod_agrees() {
    let _istiod = istiod_serving();
    cluster();
    let ns = Namespaces::create().await;
    let (cert, key) = certificate(&["shop.example.com"], 90);
    let mut secret = tls_secret("shop-cert", &cert, &key);
    secret["metadata"]["namespace"] = ns.certs.name.clone().into();
    submit(&secret, false)
        .await
        .expect("create the certificate Secret");
    for object in documents(&ns.place(CORRECT)) {
        submit(&object, false).await.expect("create fixture object");
    }
    let status = route_status(&ns.prod.name, "shop", 2).await;
    for parent in status["parents"].as_array().into_iter().flatten() {
        for condition in parent["conditions"].as_array().into_iter().flatten() {
            assert_eq!(condition["status"], "True", "istiod: {status:#}");
        }
    }
    let run = meshctl(&[
        "troubleshoot",
        "gateway-api",
        "-n",
        &ns.prod.name,
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(findings(&run.json()), [], "{}", run.stdout);
}

#[tokio::test]
async fn live_a_missing_backend_is_found_once_and_a_bad_listener_certificate_from_status() {
    let _istiod = istiod_serving();
    cluster();
    let ns = TestNamespace::create("gwapi-live", &[]).await;
    let yaml = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: NS, annotations: {networking.istio.io/service-type: ClusterIP}}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: '*.example.com'}
  - {name: https, port: 443, protocol: HTTPS, hostname: shop.example.com, tls: {certificateRefs: [{name: missing-cert}]}}
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: NS}
spec: {selector: {app: shop}, ports: [{name: http, port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: good, namespace: NS}
spec:
  parentRefs: [{name: web, sectionName: http}]
  hostnames: [shop.example.com]
  rules: [{backendRefs: [{name: shop, port: 8080}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: broken, namespace: NS}
spec:
  parentRefs: [{name: web, sectionName: http}]
  hostnames: [shop.example.com]
  rules: [{backendRefs: [{name: gone, port: 8080}]}]
";
    for object in documents(&yaml.replace("NS", &ns.name)) {
        submit(&object, false).await.expect("create fixture object");
    }
    // istiod reports the missing backend itself; meshctl says it once, from the spec.
    let status = route_status(&ns.name, "broken", 1).await;
    assert!(status.to_string().contains("BackendNotFound"), "{status:#}");
    let gateway = format!("Gateway.gateway.networking.k8s.io/{}/web", ns.name);
    let report = eventually(
        "the listener's status finding",
        Duration::from_secs(60),
        || async {
            let run = meshctl(&["troubleshoot", "gateway-api", "-n", &ns.name, "-o", "json"]).await;
            assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
            let report = run.json();
            has_finding(&report, "MESH0609", "warning", &gateway).then_some(report)
        },
    )
    .await;
    let broken = format!("HTTPRoute/{}/broken", ns.name);
    assert_eq!(
        gateway_api_findings(&report)
            .into_iter()
            .filter(|(code, _)| code != "MESH0609")
            .collect::<Vec<_>>(),
        pairs(&[("MESH0605", &broken)])
    );
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == "MESH0609")
        .map(|f| {
            assert_eq!(f["resource"], gateway.as_str(), "{report:#}");
            f["message"].as_str().unwrap_or("")
        })
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("listener https: ResolvedRefs is False (InvalidCertificateRef)")),
        "{report:#}"
    );
    assert!(
        !findings(&report)
            .iter()
            .any(|(_, _, resource)| resource.ends_with("/good")),
        "{report:#}"
    );
}
