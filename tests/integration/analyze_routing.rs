//! The routing, Gateway and certificate rules of `meshctl troubleshoot`: on the dev cluster where
//! they read Services, gateway pods and Secrets live, and on a correct application chart offline.

use crate::support::*;

#[tokio::test]
async fn a_correct_chart_gives_no_error_and_no_warning() {
    let chart = scratch_yaml("meshctl-routing-", CORRECT_CHART);
    let run = meshctl_bare(&[
        "troubleshoot",
        "--file",
        &chart.path().to_string_lossy(),
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let findings = findings(&run.json());
    assert!(
        findings
            .iter()
            .all(|(_, severity, _)| severity != "error" && severity != "warning"),
        "{findings:#?}"
    );
}

#[tokio::test]
async fn a_broken_chart_gives_each_routing_finding_offline() {
    let broken = CORRECT_CHART
        // an unknown host, a port the Service lacks, a mirror to nowhere
        .replace(
            "  - route: [{destination: {host: web, subset: v1}}]",
            "  - match: [{uri: {prefix: /api/v2}}, {uri: {prefix: /v2}}]
    route: [{destination: {host: web, port: {number: 9090}}}]
    mirror: {host: shadow}
  - route: [{destination: {host: ghost}}]
  - route: [{destination: {host: web, subset: v1}}]",
        )
        + "---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: web-copy, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    tls: {mode: SIMPLE, credentialName: web-tls}
    hosts: [shop.example.com]
";
    let chart = scratch_yaml("meshctl-routing-", &broken);
    let run = meshctl_bare(&[
        "troubleshoot",
        "--file",
        &chart.path().to_string_lossy(),
        "-o",
        "json",
    ])
    .await;
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let report = run.json();
    for (code, severity, resource) in [
        ("MESH0109", "error", "VirtualService/shop/web"),
        ("MESH0110", "error", "VirtualService/shop/web"),
        ("MESH0112", "warning", "VirtualService/shop/web"),
        ("MESH0113", "info", "VirtualService/shop/web"),
        ("MESH0115", "error", "Gateway/shop/web-copy"),
        ("MESH0305", "warning", "Gateway/shop/web"),
    ] {
        assert!(
            has_finding(&report, code, severity, resource),
            "missing {code} {severity} {resource} in {:#?}",
            findings(&report)
        );
    }
    let istio_codes: Vec<&str> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["istio_code"].as_str())
        .collect();
    for code in ["IST0101", "IST0130", "IST0131", "IST0145", "IST0138"] {
        assert!(istio_codes.contains(&code), "{code} in {istio_codes:?}");
    }
}

fn service(name: &str, ports: &[i64]) -> serde_json::Value {
    let ports: Vec<serde_json::Value> = ports
        .iter()
        .map(|p| serde_json::json!({"name": format!("http-{p}"), "port": p}))
        .collect();
    serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"selector": {"app": name}, "ports": ports}})
}

#[tokio::test(flavor = "multi_thread")]
async fn destinations_ports_and_gateways_judged_against_the_cluster() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-an-routing", &[]).await;
    let host = format!("{}.example.com", ns.name);
    create(&ns.name, service("web", &[8080, 9090]))
        .await
        .expect("service");
    create(&ns.name, service("api", &[8080]))
        .await
        .expect("service");
    let gateway = |name: &str, port: i64| {
        serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": name},
            "spec": {"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": port, "name": "tls", "protocol": "HTTPS"},
                "tls": {"mode": "PASSTHROUGH"}, "hosts": [host.clone()]}]}})
    };
    // 443 is the ingress gateway Service's port; 9443 is not; two Gateways claim 443 for one host.
    for object in [
        gateway("edge", 443),
        gateway("edge-again", 443),
        gateway("odd-port", 9443),
    ] {
        create(&ns.name, object).await.expect("gateway");
    }
    create(&ns.name, serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "routes"},
        "spec": {"hosts": [host.clone()], "gateways": ["edge"], "http": [
            {"match": [{"uri": {"prefix": "/a"}}], "route": [{"destination": {"host": "web"}}]},
            {"match": [{"uri": {"prefix": "/b"}}], "route": [{"destination": {"host": "api", "port": {"number": 80}}}]},
            {"route": [{"destination": {"host": "ghost"}}], "mirror": {"host": "api.elsewhere.svc.cluster.local"}}]}}))
        .await
        .expect("virtual service");
    create(&ns.name, serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
        "metadata": {"name": "fine"},
        "spec": {"hosts": ["api"], "http": [{"route": [{"destination": {"host": "api", "port": {"number": 8080}}}]}]}}))
        .await
        .expect("virtual service");
    let run = meshctl(&["-n", &ns.name, "troubleshoot", "-o", "json"]).await;
    let report = run.json();
    let all = findings(&report);
    let at = |kind: &str, name: &str| format!("{kind}/{}/{name}", ns.name);
    for (code, severity, resource) in [
        ("MESH0109", "error", at("VirtualService", "routes")),
        ("MESH0110", "error", at("VirtualService", "routes")),
        ("MESH0111", "error", at("VirtualService", "routes")),
        ("MESH0115", "error", at("Gateway", "edge")),
        ("MESH0115", "error", at("Gateway", "edge-again")),
        ("MESH0116", "warning", at("Gateway", "odd-port")),
    ] {
        assert!(
            has_finding(&report, code, severity, &resource),
            "missing {code} {resource} in {all:#?}"
        );
    }
    // ghost is missing; a namespace the read did not cover (elsewhere) is not judged.
    let unknown: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "MESH0109")
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:#?}");
    assert!(
        unknown[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("ghost"))
    );
    assert!(
        !has_finding(&report, "MESH0116", "warning", &at("Gateway", "edge")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .all(|(_, _, r)| r != &at("VirtualService", "fine")),
        "{all:#?}"
    );
    assert_eq!(run.code, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_credential_is_read_where_the_gateway_pods_run() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-an-creds", &[]).await;
    let gateway_label = format!("gw-{}", ns.name);
    // A gateway of the application's own, running in its namespace (as the gateway chart does).
    create(&ns.name, serde_json::json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "own-gateway", "labels": {"istio": gateway_label.clone()},
            "annotations": {"inject.istio.io/templates": "gateway"}},
        "spec": {"containers": [{"name": "istio-proxy", "image": "auto", "args": ["proxy", "router"]}]}}))
        .await
        .expect("gateway pod");
    let (cert, key) = certificate(&["shop.example.com"], 365);
    create(&ns.name, tls_secret("local-tls", &cert, &key))
        .await
        .expect("secret");
    let gateway = |name: &str, selector: &str, credential: &str| {
        serde_json::json!({"apiVersion": "networking.istio.io/v1", "kind": "Gateway", "metadata": {"name": name},
            "spec": {"selector": {"istio": selector}, "servers": [{"port": {"number": 443, "name": "https", "protocol": "HTTPS"},
                "tls": {"mode": "SIMPLE", "credentialName": credential}, "hosts": ["shop.example.com"]}]}})
    };
    create(&ns.name, gateway("own", &gateway_label, "local-tls"))
        .await
        .expect("gateway");
    // The Istio ingress gateway runs in istio-system: a Secret in this namespace is not read.
    create(&ns.name, gateway("shared", "ingressgateway", "local-tls"))
        .await
        .expect("gateway");
    let report = meshctl(&["-n", &ns.name, "troubleshoot", "certs", "-o", "json"])
        .await
        .json();
    let all = findings(&report);
    let gw = |name: &str| format!("Gateway/{}/{name}", ns.name);
    assert!(
        has_finding(&report, "MESH0307", "error", &gw("shared")),
        "{all:#?}"
    );
    assert!(all.iter().all(|(_, _, r)| r != &gw("own")), "{all:#?}");
}
