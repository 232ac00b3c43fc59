//! Routing: VirtualServices, Gateways and DestinationRules that do not fit together.

use std::collections::BTreeMap;

use kube::api::DynamicObject;

use super::{Category, Finding, Severity};
use crate::snapshot::json::{array, fqdn, host_matches, match_labels, pods_in, spec, strings};
use crate::snapshot::{
    MeshSnapshot, labels_of, name_of, namespace_of, resource_of, selector_matches,
};

/// The gateway name Istio reserves for sidecars; it is never a Gateway object.
const MESH_GATEWAY: &str = "mesh";

pub fn analyze(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = unknown_gateways(snapshot);
    findings.extend(hosts_not_served(snapshot));
    findings.extend(undefined_subsets(snapshot));
    findings.extend(subsets_without_pods(snapshot));
    findings.extend(weights_not_100(snapshot));
    findings.extend(duplicate_virtual_services(snapshot));
    findings.extend(duplicate_destination_rules(snapshot));
    findings.extend(gateways_without_pods(snapshot));
    findings
}

fn finding(
    code: &'static str,
    severity: Severity,
    category: Category,
    obj: &DynamicObject,
    message: String,
    fix: String,
) -> Finding {
    Finding {
        code,
        severity,
        category,
        resource: resource_of(obj),
        message,
        fix,
    }
}

/// `(namespace, name)` of every Gateway a VirtualService binds, `mesh` left out.
fn bound_gateways(vs: &DynamicObject) -> Vec<(String, String)> {
    strings(&spec(vs)["gateways"])
        .into_iter()
        .filter(|g| g != MESH_GATEWAY)
        .map(|g| match g.split_once('/') {
            Some((ns, name)) => (ns.to_string(), name.to_string()),
            None => (namespace_of(vs).to_string(), g),
        })
        .collect()
}

pub fn unknown_gateways(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        for (ns, name) in bound_gateways(vs) {
            if snapshot.find("Gateway", &ns, &name).is_none() {
                findings.push(finding(
                    "MESH0101",
                    Severity::Error,
                    Category::Gateway,
                    vs,
                    format!("binds to Gateway {ns}/{name}, which does not exist, so no gateway serves its routes"),
                    format!("create Gateway {ns}/{name} or correct spec.gateways"),
                ));
            }
        }
    }
    findings
}

fn gateway_hosts(gateway: &DynamicObject) -> Vec<String> {
    array(&spec(gateway)["servers"])
        .iter()
        .flat_map(|s| strings(&s["hosts"]))
        .collect()
}

fn hosts_not_served(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        for (ns, name) in bound_gateways(vs) {
            let Some(gateway) = snapshot.find("Gateway", &ns, &name) else {
                continue;
            };
            let served = gateway_hosts(gateway);
            for host in strings(&spec(vs)["hosts"]) {
                if !served.iter().any(|pattern| host_matches(pattern, &host)) {
                    findings.push(finding(
                        "MESH0102",
                        Severity::Warning,
                        Category::Gateway,
                        vs,
                        format!("host {host} is not among the hosts of Gateway {ns}/{name} ({}), so requests for it never reach this route", served.join(", ")),
                        format!("add {host} to a server's hosts in Gateway {ns}/{name}, or remove it from spec.hosts"),
                    ));
                }
            }
        }
    }
    findings
}

/// Every destination of every HTTP, TLS and TCP route: (route index, destination, weight).
fn destinations(vs: &DynamicObject) -> Vec<(usize, &serde_json::Value)> {
    let mut all = Vec::new();
    for section in ["http", "tls", "tcp"] {
        for (index, route) in array(&spec(vs)[section]).iter().enumerate() {
            for destination in array(&route["route"]) {
                all.push((index, destination));
            }
        }
    }
    all
}

fn destination_rules_for<'a>(
    snapshot: &'a MeshSnapshot,
    host_fqdn: &'a str,
) -> impl Iterator<Item = &'a DynamicObject> + 'a {
    snapshot.of_kind("DestinationRule").filter(move |dr| {
        spec(dr)["host"]
            .as_str()
            .is_some_and(|h| fqdn(h, namespace_of(dr)) == host_fqdn)
    })
}

fn undefined_subsets(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        for (_, destination) in destinations(vs) {
            let (Some(host), Some(subset)) = (
                destination["destination"]["host"].as_str(),
                destination["destination"]["subset"].as_str(),
            ) else {
                continue;
            };
            let host_fqdn = fqdn(host, namespace_of(vs));
            let defined = destination_rules_for(snapshot, &host_fqdn).any(|dr| {
                array(&spec(dr)["subsets"])
                    .iter()
                    .any(|s| s["name"] == subset)
            });
            if !defined {
                findings.push(finding(
                    "MESH0103",
                    Severity::Error,
                    Category::Config,
                    vs,
                    format!("routes to subset {subset} of {host}, which no DestinationRule defines; Envoy answers such requests with 503"),
                    format!("add subset {subset} to the DestinationRule for {host}, or route without it"),
                ));
            }
        }
    }
    findings
}

fn subsets_without_pods(snapshot: &MeshSnapshot) -> Vec<Finding> {
    if !snapshot.has_workloads {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for dr in snapshot.of_kind("DestinationRule") {
        let ns = namespace_of(dr);
        let host = spec(dr)["host"].as_str().unwrap_or("");
        let service = snapshot
            .in_namespace("Service", ns)
            .find(|s| fqdn(name_of(s), ns) == fqdn(host, ns));
        let service_selector = service.and_then(|s| match_labels(&s.data["spec"]["selector"]));
        for subset in array(&spec(dr)["subsets"]) {
            let Some(labels) = match_labels(&subset["labels"]) else {
                continue;
            };
            let matched = pods_in(snapshot, ns).any(|p| {
                selector_matches(labels, labels_of(p))
                    && service_selector.is_none_or(|s| selector_matches(s, labels_of(p)))
            });
            if !matched {
                let name = subset["name"].as_str().unwrap_or("");
                findings.push(finding(
                    "MESH0104",
                    Severity::Warning,
                    Category::Config,
                    dr,
                    format!("subset {name} selects {} but no pod of {host} has those labels, so traffic routed to it fails", serde_json::Value::Object(labels.clone())),
                    format!("deploy pods labelled for subset {name}, or correct spec.subsets[].labels"),
                ));
            }
        }
    }
    findings
}

fn weights_not_100(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        for section in ["http", "tls", "tcp"] {
            for (index, route) in array(&spec(vs)[section]).iter().enumerate() {
                let routes = array(&route["route"]);
                let weights: Vec<i64> =
                    routes.iter().filter_map(|d| d["weight"].as_i64()).collect();
                if weights.is_empty()
                    || (routes.len() == 1 && weights.len() <= 1 && weights.first() == Some(&100))
                {
                    continue;
                }
                let total: i64 = weights.iter().sum();
                if total != 100 || weights.len() != routes.len() {
                    let label = route["name"]
                        .as_str()
                        .map_or(format!("{section}[{index}]"), str::to_string);
                    findings.push(finding(
                        "MESH0105",
                        Severity::Error,
                        Category::Config,
                        vs,
                        format!("route {label} splits traffic with weights that add up to {total}, not 100; the split is not what the config says"),
                        format!("make the weights of route {label} add up to 100"),
                    ));
                }
            }
        }
    }
    findings
}

fn duplicate_virtual_services(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut by_host: BTreeMap<(String, String), Vec<&DynamicObject>> = BTreeMap::new();
    for vs in snapshot.of_kind("VirtualService") {
        let mut gateways: Vec<String> = bound_gateways(vs)
            .into_iter()
            .map(|(ns, name)| format!("{ns}/{name}"))
            .collect();
        if gateways.is_empty()
            || strings(&spec(vs)["gateways"])
                .iter()
                .any(|g| g == MESH_GATEWAY)
        {
            gateways.push(MESH_GATEWAY.to_string());
        }
        for host in strings(&spec(vs)["hosts"]) {
            for gateway in &gateways {
                by_host
                    .entry((fqdn(&host, namespace_of(vs)), gateway.clone()))
                    .or_default()
                    .push(vs);
            }
        }
    }
    let mut findings = Vec::new();
    for ((host, gateway), list) in by_host.into_iter().filter(|(_, l)| l.len() > 1) {
        let names: Vec<String> = list.iter().map(|v| resource_of(v)).collect();
        for vs in list {
            findings.push(finding(
                "MESH0106",
                Severity::Warning,
                Category::Config,
                vs,
                format!("{} VirtualServices route host {host} on {gateway} ({}); Istio merges them unpredictably and later rules can be shadowed", names.len(), names.join(", ")),
                "merge them into one VirtualService per host".into(),
            ));
        }
    }
    findings
}

fn duplicate_destination_rules(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut by_host: BTreeMap<String, Vec<&DynamicObject>> = BTreeMap::new();
    for dr in snapshot.of_kind("DestinationRule") {
        if let Some(host) = spec(dr)["host"].as_str() {
            by_host
                .entry(format!(
                    "{}@{}",
                    fqdn(host, namespace_of(dr)),
                    namespace_of(dr)
                ))
                .or_default()
                .push(dr);
        }
    }
    let mut findings = Vec::new();
    for (key, list) in by_host.into_iter().filter(|(_, l)| l.len() > 1) {
        let host = key.split('@').next().unwrap_or("");
        let names: Vec<String> = list.iter().map(|d| resource_of(d)).collect();
        for dr in list {
            findings.push(finding(
                "MESH0107",
                Severity::Warning,
                Category::Config,
                dr,
                format!("{} DestinationRules apply to {host} ({}); only one takes effect per setting, so traffic policy is not what any one of them says", names.len(), names.join(", ")),
                "merge them into one DestinationRule per host".into(),
            ));
        }
    }
    findings
}

fn gateways_without_pods(snapshot: &MeshSnapshot) -> Vec<Finding> {
    if !snapshot.has_workloads {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for gateway in snapshot.of_kind("Gateway") {
        let Some(selector) = match_labels(&spec(gateway)["selector"]) else {
            continue;
        };
        let matched = snapshot
            .of_kind("Pod")
            .any(|p| selector_matches(selector, labels_of(p)));
        if !matched {
            findings.push(finding(
                "MESH0108",
                Severity::Error,
                Category::Gateway,
                gateway,
                format!(
                    "selector {} matches no gateway pod, so nothing serves this Gateway",
                    serde_json::Value::Object(selector.clone())
                ),
                "install the ingress gateway (meshctl install) or correct spec.selector".into(),
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::super::testing::{codes, snapshot};
    use super::*;

    const GATEWAY: &str = "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: prod}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com, '*.api.example.com']}]
";

    #[test]
    fn mesh0102_host_not_served_by_the_gateway() {
        let s = snapshot(&format!("{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: prod}}
spec: {{hosts: [shop.example.com, v2.api.example.com, other.example.com], gateways: [gw], http: [{{route: [{{destination: {{host: svc}}}}]}}]}}
"));
        assert_eq!(
            codes(&hosts_not_served(&s)),
            vec![(
                "MESH0102",
                Severity::Warning,
                "VirtualService/prod/vs".into()
            )]
        );
        assert!(
            hosts_not_served(&s)[0]
                .message
                .contains("other.example.com")
        );
    }

    #[test]
    fn mesh0103_route_to_an_undefined_subset() {
        let s = snapshot("
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: prod}
spec: {hosts: [svc], http: [{route: [{destination: {host: svc, subset: v1}, weight: 50}, {destination: {host: svc.prod.svc.cluster.local, subset: v3}, weight: 50}]}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: prod}
spec: {host: svc.prod, subsets: [{name: v1, labels: {version: v1}}]}
");
        let found = undefined_subsets(&s);
        assert_eq!(
            codes(&found),
            vec![("MESH0103", Severity::Error, "VirtualService/prod/vs".into())]
        );
        assert!(found[0].message.contains("subset v3"));
    }

    #[test]
    fn mesh0104_subset_labels_match_no_pod() {
        let s = snapshot(
            "
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: prod}
spec: {host: svc, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: p1, namespace: prod, labels: {app: svc, version: v1}}
spec: {containers: [{name: app}]}
",
        );
        let found = subsets_without_pods(&s);
        assert_eq!(
            codes(&found),
            vec![(
                "MESH0104",
                Severity::Warning,
                "DestinationRule/prod/dr".into()
            )]
        );
        assert!(found[0].message.contains("subset v2"));
    }

    #[test]
    fn mesh0105_weights_that_do_not_add_up() {
        let s = snapshot("
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: prod}
spec: {hosts: [svc], http: [{name: split, route: [{destination: {host: svc, subset: v1}, weight: 70}, {destination: {host: svc, subset: v2}, weight: 20}]}, {route: [{destination: {host: svc}}]}]}
");
        let found = weights_not_100(&s);
        assert_eq!(
            codes(&found),
            vec![("MESH0105", Severity::Error, "VirtualService/prod/vs".into())]
        );
        assert!(found[0].message.contains("add up to 90"));
    }

    #[test]
    fn mesh0106_and_mesh0107_duplicates_for_one_host() {
        let s = snapshot(&format!(
            "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: a, namespace: prod}}
spec: {{hosts: [shop.example.com], gateways: [gw]}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: b, namespace: prod}}
spec: {{hosts: [shop.example.com], gateways: [prod/gw]}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: dr1, namespace: prod}}
spec: {{host: svc}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: dr2, namespace: prod}}
spec: {{host: svc.prod.svc.cluster.local}}
"
        ));
        assert_eq!(duplicate_virtual_services(&s).len(), 2);
        assert!(
            duplicate_virtual_services(&s)
                .iter()
                .all(|f| f.code == "MESH0106")
        );
        let drs = codes(&duplicate_destination_rules(&s));
        assert_eq!(
            drs,
            vec![
                (
                    "MESH0107",
                    Severity::Warning,
                    "DestinationRule/prod/dr1".into()
                ),
                (
                    "MESH0107",
                    Severity::Warning,
                    "DestinationRule/prod/dr2".into()
                )
            ]
        );
    }

    #[test]
    fn mesh0108_gateway_selector_matches_no_pod() {
        let s = snapshot(&format!(
            "{GATEWAY}---
apiVersion: v1
kind: Pod
metadata: {{name: gw-pod, namespace: istio-system, labels: {{istio: egressgateway}}}}
spec: {{containers: [{{name: istio-proxy}}]}}
"
        ));
        assert_eq!(
            codes(&gateways_without_pods(&s)),
            vec![("MESH0108", Severity::Error, "Gateway/prod/gw".into())]
        );
    }

    #[test]
    fn mesh0101_unknown_gateway_in_either_form() {
        let s = snapshot(&format!(
            "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: prod}}
spec: {{hosts: [shop.example.com], gateways: [gw, mesh, missing, other/gw]}}
"
        ));
        let found = unknown_gateways(&s);
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("prod/missing") && found[1].message.contains("other/gw"));
    }
}
