//! The seed's routing as Gateway API objects (standard channel, as Istio 1.31 serves it): the
//! ingress Gateway of class `istio`, one HTTPRoute per seed route, one Service per canary
//! version for weighted backendRefs, and authorization that names the Service with `targetRefs`
//! (what a waypoint enforces in ambient). What the Gateway API cannot say is returned as notes.

use serde_json::{Value, json};

use super::{Manifest, MeshConfig, Result, render};

/// The rendered objects and what they leave out, worded for a YAML comment and for stderr.
pub struct GatewayApiManifests {
    pub manifests: Vec<Manifest>,
    pub notes: Vec<String>,
}

const GATEWAY_API: &str = "gateway.networking.k8s.io/v1";

/// Quotas, security (with targetRefs), observability and the DestinationRule's traffic policy
/// as the Istio API renders them; the edge and the routes as Gateway API objects.
pub fn render_gateway_api(config: &MeshConfig) -> Result<GatewayApiManifests> {
    let mut manifests = Vec::new();
    let istio = render(config)?;
    for m in &istio {
        if m.group == "quotas" || m.group == "security" {
            manifests.push(Manifest {
                group: m.group,
                object: target_service(m.object.clone(), config),
            });
        }
    }
    let routing = |object| Manifest {
        group: "routing",
        object,
    };
    manifests.push(Manifest {
        group: "gateway",
        object: gateway(config),
    });
    manifests.extend(version_services(config).into_iter().map(routing));
    manifests.extend(routes(config).into_iter().map(routing));
    manifests.extend(destination_rules(&istio, config).into_iter().map(routing));
    manifests.extend(istio.into_iter().filter(|m| m.group == "observability"));
    for m in &mut manifests {
        super::label(&mut m.object);
    }
    Ok(GatewayApiManifests {
        manifests,
        notes: notes(config),
    })
}

/// What has no Gateway API equivalent, and what was done about it.
fn notes(config: &MeshConfig) -> Vec<String> {
    let mut notes = vec![
        "retries: HTTPRoute `retry` is not in the Gateway API's standard channel; the routes carry \
         only their timeouts, and Istio applies its default retry policy (2 attempts on connect \
         failures)"
            .to_string(),
        format!(
            "TLS: the Gateway's certificate Secret {} must be in namespace {} (the Gateway's own), \
             not in istio-system",
            config.gateway.tls_credential.as_str(),
            config.namespace.as_str()
        ),
    ];
    if config.fault.enabled {
        notes.push(
            "fault injection has no Gateway API equivalent and is left out; keep the \
             VirtualService (`meshctl manifests render` without --api) where faults are wanted"
                .into(),
        );
    }
    notes
}

fn metadata(name: &str, config: &MeshConfig) -> Value {
    json!({"name": name, "namespace": config.namespace.as_str()})
}

/// The ingress Gateway: an HTTPS and an HTTP listener per host, as the seed's two servers.
fn gateway(config: &MeshConfig) -> Value {
    let tls = json!({"mode": "Terminate", "certificateRefs": [
        {"kind": "Secret", "group": "", "name": config.gateway.tls_credential.as_str()}]});
    let mut listeners = Vec::new();
    for (i, host) in config.hosts.iter().enumerate() {
        let host = serde_json::to_value(host).unwrap_or(Value::Null);
        listeners.push(json!({"name": format!("https-{}", i + 1), "hostname": host,
            "port": 443, "protocol": "HTTPS", "tls": tls}));
        listeners.push(json!({"name": format!("http-{}", i + 1), "hostname": host,
            "port": 80, "protocol": "HTTP"}));
    }
    json!({"apiVersion": GATEWAY_API, "kind": "Gateway",
        "metadata": metadata(config.gateway.name.as_str(), config),
        "spec": {"gatewayClassName": "istio", "listeners": listeners}})
}

fn version_service(config: &MeshConfig, version: &str) -> String {
    format!("{}-{version}", config.service.name.as_str())
}

/// One Service per canary version, selecting the app's pods of that version.
fn version_services(config: &MeshConfig) -> Vec<Value> {
    if !config.canary.enabled {
        return Vec::new();
    }
    let port = port_of(&config.service.port);
    ["v1", "v2"]
        .iter()
        .map(|v| {
            json!({"apiVersion": "v1", "kind": "Service",
                "metadata": metadata(&version_service(config, v), config),
                "spec": {"selector": {"app": config.app.as_str(), "version": v},
                    "ports": [{"name": "http", "port": port, "targetPort": port}]}})
        })
        .collect()
}

fn backend(name: &str, port: u64, weight: Option<u32>) -> Value {
    let mut b = json!({"kind": "Service", "group": "", "name": name, "port": port});
    if let Some(weight) = weight {
        b["weight"] = json!(weight);
    }
    b
}

fn route(config: &MeshConfig, name: &str, rule: Value) -> Value {
    let hosts = serde_json::to_value(&config.hosts).unwrap_or(Value::Null);
    json!({"apiVersion": GATEWAY_API, "kind": "HTTPRoute",
        "metadata": metadata(&format!("{}-{name}", config.app.as_str()), config),
        "spec": {"parentRefs": [{"name": config.gateway.name.as_str()}],
            "hostnames": hosts, "rules": [rule]}})
}

/// The api, admin and health routes, in the seed's order.
fn routes(config: &MeshConfig) -> Vec<Value> {
    let service = config.service.name.as_str();
    let port = port_of(&config.service.port);
    let api = &config.routes.api;
    let backends = if config.canary.enabled {
        let w = config.canary.weights;
        vec![
            backend(&version_service(config, "v2"), port, Some(w.v2)),
            backend(&version_service(config, "v1"), port, Some(w.v1)),
        ]
    } else {
        vec![backend(service, port, None)]
    };
    let mut filters = vec![json!({"type": "CORS", "cors": {
        "allowOrigins": config.cors.allow_origins,
        "allowMethods": ["GET", "POST", "PUT", "DELETE"],
        "allowHeaders": ["Authorization", "Content-Type"],
        "allowCredentials": true}})];
    if config.canary.enabled {
        let mut mirror = json!({"backendRef": backend(&version_service(config, "v2"), port, None)});
        mirror_share(&mut mirror, config.canary.mirror_percent.value());
        filters.push(json!({"type": "RequestMirror", "requestMirror": mirror}));
    }
    let prefix = |p: &str| json!([{"path": {"type": "PathPrefix", "value": p}}]);
    let admin = &config.routes.admin;
    vec![
        route(
            config,
            "api",
            json!({"name": "api-routes", "matches": prefix(&api.prefix),
            "filters": filters, "backendRefs": backends,
            "timeouts": {"request": gateway_duration(&api.timeout.render())}}),
        ),
        route(
            config,
            "admin",
            json!({"name": "admin-routes", "matches": prefix(&admin.prefix),
            "backendRefs": [backend(config.admin_service.name.as_str(), port_of(&config.admin_service.port), None)],
            "timeouts": {"request": gateway_duration(&admin.timeout.render())}}),
        ),
        route(
            config,
            "health",
            json!({"name": "health-check",
            "matches": [{"path": {"type": "Exact", "value": "/health"}}],
            "backendRefs": [backend(service, port, None)]}),
        ),
    ]
}

/// A whole percentage as `percent`; anything finer as a fraction of 10 000.
fn mirror_share(mirror: &mut Value, percent: f64) {
    if percent.fract() == 0.0 {
        mirror["percent"] = json!(percent as u32);
    } else {
        let numerator = (percent * 100.0).round() as u32;
        mirror["fraction"] = json!({"numerator": numerator, "denominator": 10_000});
    }
}

/// A port as the config holds it (validated when read).
fn port_of(port: &super::kube_values::Port) -> u64 {
    serde_json::to_value(port)
        .ok()
        .and_then(|p| p.as_u64())
        .unwrap_or_default()
}

/// Istio's `30s` / `1.250s` as the Gateway API writes it: up to four `<n><unit>` parts (h, m,
/// s, ms), no fractions.
fn gateway_duration(istio: &str) -> String {
    let seconds: f64 = istio.trim_end_matches('s').parse().unwrap_or_default();
    let mut millis = (seconds * 1000.0).round() as u64;
    let mut out = String::new();
    for (unit, size) in [("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] {
        if millis >= size {
            out.push_str(&format!("{}{unit}", millis / size));
            millis %= size;
        }
    }
    if out.is_empty() { "0s".into() } else { out }
}

/// The seed's DestinationRule traffic policy (pool, outlier detection), without subsets: one
/// per Service the routes send to, since versions are Services now.
fn destination_rules(istio: &[Manifest], config: &MeshConfig) -> Vec<Value> {
    let Some(dr) = istio.iter().find(|m| m.object["kind"] == "DestinationRule") else {
        return Vec::new();
    };
    let mut hosts = vec![config.service.name.as_str().to_string()];
    if config.canary.enabled {
        hosts.extend(["v1", "v2"].map(|v| version_service(config, v)));
    }
    hosts
        .into_iter()
        .map(|host| {
            let mut rule = dr.object.clone();
            rule["metadata"]["name"] = json!(format!("{host}-dr"));
            rule["spec"]["host"] = json!(host);
            if let Some(spec) = rule["spec"].as_object_mut() {
                spec.remove("subsets");
            }
            rule
        })
        .collect()
}

/// L7 policy in ambient is enforced by the Service's waypoint, which only honours policies that
/// name the Service in `targetRefs`; a workload `selector` would go to ztunnel, which cannot
/// check request principals or paths. PeerAuthentication stays as it is (ztunnel's, L4).
fn target_service(mut object: Value, config: &MeshConfig) -> Value {
    let l7 = matches!(
        object["kind"].as_str(),
        Some("AuthorizationPolicy" | "RequestAuthentication")
    );
    if let (true, Some(spec)) = (l7, object["spec"].as_object_mut()) {
        spec.remove("selector");
        spec.insert(
            "targetRefs".into(),
            json!([{"kind": "Service", "group": "", "name": config.service.name.as_str()}]),
        );
    }
    object
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(yaml: &str) -> GatewayApiManifests {
        render_gateway_api(&MeshConfig::parse(yaml, "test").expect("config")).expect("render")
    }

    fn find<'a>(m: &'a GatewayApiManifests, kind: &str, name: &str) -> &'a Value {
        &m.manifests
            .iter()
            .find(|m| m.object["kind"] == kind && m.object["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("no {kind}/{name}"))
            .object
    }

    #[test]
    fn the_seed_renders_a_gateway_three_routes_and_no_istio_routing() {
        let m = rendered("{}");
        assert!(
            m.manifests
                .iter()
                .all(|m| m.object["kind"] != "VirtualService")
        );
        let gw = find(&m, "Gateway", "revenue-engine-gateway");
        assert_eq!(gw["apiVersion"], GATEWAY_API);
        assert_eq!(gw["spec"]["gatewayClassName"], "istio");
        let listeners = gw["spec"]["listeners"].as_array().expect("listeners");
        assert_eq!(listeners.len(), 4, "HTTPS and HTTP for each of two hosts");
        assert_eq!(listeners[0]["protocol"], "HTTPS");
        assert_eq!(
            listeners[0]["tls"]["certificateRefs"][0]["name"],
            "revenue-engine-tls"
        );
        assert_eq!(listeners[1]["protocol"], "HTTP");
        let api = find(&m, "HTTPRoute", "revenue-engine-api");
        assert_eq!(api["spec"]["rules"][0]["timeouts"]["request"], "30s");
        assert_eq!(
            api["spec"]["rules"][0]["matches"][0]["path"]["value"],
            "/api/v1/revenue"
        );
        assert_eq!(
            api["spec"]["rules"][0]["backendRefs"][0]["name"],
            "revenue-engine-service"
        );
        let admin = find(&m, "HTTPRoute", "revenue-engine-admin");
        assert_eq!(admin["spec"]["rules"][0]["timeouts"]["request"], "1m");
        let health = find(&m, "HTTPRoute", "revenue-engine-health");
        assert_eq!(
            health["spec"]["rules"][0]["matches"][0]["path"]["type"],
            "Exact"
        );
        assert!(m.notes.iter().any(|n| n.starts_with("retries")));
        assert!(
            !m.notes.iter().any(|n| n.contains("fault injection")),
            "fault off by default"
        );
    }

    #[test]
    fn the_canary_is_weighted_backends_to_a_service_per_version_with_its_mirror() {
        let m = rendered(
            "canary: {enabled: true, weights: {v1: 90, v2: 10}, mirrorPercent: 2.5}\nfault: {enabled: true}\n",
        );
        let v2 = find(&m, "Service", "revenue-engine-service-v2");
        assert_eq!(v2["spec"]["selector"]["version"], "v2");
        let api = find(&m, "HTTPRoute", "revenue-engine-api");
        let rule = &api["spec"]["rules"][0];
        assert_eq!(rule["backendRefs"][0]["name"], "revenue-engine-service-v2");
        assert_eq!(rule["backendRefs"][0]["weight"], 10);
        assert_eq!(rule["backendRefs"][1]["weight"], 90);
        let mirror = &rule["filters"][1]["requestMirror"];
        assert_eq!(
            mirror["fraction"],
            json!({"numerator": 250, "denominator": 10_000})
        );
        assert!(m.notes.iter().any(|n| n.contains("fault injection")));
        find(&m, "DestinationRule", "revenue-engine-service-v1-dr");
    }

    #[test]
    fn l7_policies_name_the_service_and_peer_authentication_keeps_its_selector() {
        let m = rendered("{}");
        let authz = find(&m, "AuthorizationPolicy", "revenue-engine-api-access");
        assert!(authz["spec"].get("selector").is_none());
        assert_eq!(
            authz["spec"]["targetRefs"][0]["name"],
            "revenue-engine-service"
        );
        let jwt = find(&m, "RequestAuthentication", "revenue-engine-jwt");
        assert_eq!(jwt["spec"]["targetRefs"][0]["kind"], "Service");
        let mtls = find(&m, "PeerAuthentication", "revenue-engine-mtls");
        assert!(mtls["spec"].get("selector").is_some());
    }

    #[test]
    fn durations_and_mirror_shares_use_the_gateway_apis_forms() {
        assert_eq!(gateway_duration("30s"), "30s");
        assert_eq!(gateway_duration("90.250s"), "1m30s250ms");
        assert_eq!(gateway_duration("7200s"), "2h");
        let mut whole = json!({});
        mirror_share(&mut whole, 100.0);
        assert_eq!(whole, json!({"percent": 100}));
    }
}
