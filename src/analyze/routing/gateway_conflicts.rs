//! Gateways that claim the same host on the same port of one gateway workload: Istio keeps the
//! first TLS server and drops the others silently; plain HTTP servers merge their routes.

use std::collections::BTreeMap;

use kube::api::DynamicObject;

use super::gateway_workloads::GatewayWorkloads;
use crate::analyze::{AnalyzeOptions, Code, Finding, Severity};
use crate::snapshot::json::{array, spec, strings};
use crate::snapshot::{MeshSnapshot, ObjectRef, namespace_of};

/// A server host as Istio compares them: `./h` is the Gateway's namespace, `*/h` is `h`.
fn normalized(host: &str, gateway_namespace: &str) -> String {
    match host.split_once('/') {
        Some(("*", h)) => h.to_string(),
        Some((".", h)) => format!("{gateway_namespace}/{h}"),
        _ => host.to_string(),
    }
}

/// What a server claims: the gateway workload, port, bind address and host.
type Claim = (String, i64, String, String);

/// What one Gateway's conflicts on one port add up to.
#[derive(Default)]
struct Conflict {
    tls: bool,
    hosts: Vec<String>,
    others: Vec<String>,
}

pub(crate) fn conflicting_gateways(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let workloads = GatewayWorkloads::of(snapshot);
    // (workload, port, bind, host) → the Gateways serving it, and whether any does so with TLS.
    let mut claims: BTreeMap<Claim, Vec<(&DynamicObject, bool)>> = BTreeMap::new();
    for gateway in snapshot.of_kind("Gateway") {
        let key = workloads.key(gateway);
        for server in array(&spec(gateway)["servers"]) {
            let Some(port) = server["port"]["number"].as_i64() else {
                continue;
            };
            let bind = server["bind"].as_str().unwrap_or("").to_string();
            let tls = server["tls"].is_object();
            for host in strings(&server["hosts"]) {
                let list = claims
                    .entry((
                        key.clone(),
                        port,
                        bind.clone(),
                        normalized(&host, namespace_of(gateway)),
                    ))
                    .or_default();
                if !list.iter().any(|(g, _)| std::ptr::eq(*g, gateway)) {
                    list.push((gateway, tls));
                }
            }
        }
    }
    // One finding per Gateway and port, naming the hosts and the other Gateways.
    let mut per_gateway: BTreeMap<(ObjectRef, i64), Conflict> = BTreeMap::new();
    for ((_, port, _, host), list) in claims.into_iter().filter(|(_, l)| l.len() > 1) {
        let tls = list.iter().any(|(_, tls)| *tls);
        for (gateway, _) in &list {
            let me = ObjectRef::of(gateway);
            let entry = per_gateway.entry((me.clone(), port)).or_default();
            entry.tls |= tls;
            entry.hosts.push(host.clone());
            for (other, _) in &list {
                let other = ObjectRef::of(other).to_string();
                if other != me.to_string() && !entry.others.contains(&other) {
                    entry.others.push(other);
                }
            }
        }
    }
    per_gateway
        .into_iter()
        .map(|((gateway, port), Conflict { tls, hosts, others })| {
            let (severity, effect) = if tls {
                (Severity::Error, "Istio keeps the first TLS server and drops the others without a word")
            } else {
                (Severity::Warning, "their routes merge, so which VirtualService answers depends on the other Gateway")
            };
            Finding::about(
                Code::Mesh0115,
                gateway,
                format!(
                    "serves {} on port {port} of the same gateway workload as {}: {effect}",
                    hosts.join(", "),
                    others.join(", ")
                ),
                "serve each host once per port and gateway workload (merge the servers into one Gateway)".into(),
            )
            .with_severity(severity)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{codes, options, snapshot};
    use super::*;

    fn gateway(name: &str, ns: &str, selector: &str, server: &str) -> String {
        format!(
            "---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: {name}, namespace: {ns}}}
spec: {{selector: {selector}, servers: [{server}]}}
"
        )
    }

    const HTTPS: &str = "{port: {number: 443, name: https, protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: c}, hosts: [shop.example.com]}";
    const HTTP: &str =
        "{port: {number: 80, name: http, protocol: HTTP}, hosts: ['*/shop.example.com']}";

    #[test]
    fn mesh0115_same_workload_port_and_host() {
        let input = [
            gateway("a", "prod", "{istio: ingressgateway}", HTTPS),
            gateway("b", "team", "{istio: ingressgateway}", HTTPS),
            gateway("c", "prod", "{istio: ingressgateway}", HTTP),
            gateway(
                "d",
                "prod",
                "{istio: ingressgateway}",
                "{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com]}",
            ),
        ]
        .concat();
        let s = snapshot(&input);
        let found = conflicting_gateways(
            &s,
            &super::super::super::AnalyzeOptions {
                scope: crate::analyze::NamespaceScope::All,
                ..options()
            },
        );
        assert_eq!(
            codes(&found),
            vec![
                (Code::Mesh0115, Severity::Error, "Gateway/prod/a".into()),
                (Code::Mesh0115, Severity::Warning, "Gateway/prod/c".into()),
                (Code::Mesh0115, Severity::Warning, "Gateway/prod/d".into()),
                (Code::Mesh0115, Severity::Error, "Gateway/team/b".into()),
            ]
        );
        assert!(
            found[0].message.contains("shop.example.com on port 443")
                && found[0].message.contains("Gateway/team/b")
        );
    }

    #[test]
    fn other_workloads_ports_hosts_binds_or_namespaces_do_not_conflict() {
        let input = [
            gateway("a", "prod", "{istio: ingressgateway}", HTTPS),
            gateway("b", "prod", "{istio: internal-gateway}", HTTPS),
            gateway("c", "prod", "{istio: ingressgateway}", "{port: {number: 8443, name: https, protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: c}, hosts: [shop.example.com]}"),
            gateway("d", "prod", "{istio: ingressgateway}", "{port: {number: 443, name: https, protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: d}, hosts: [blog.example.com]}"),
            gateway("e", "prod", "{istio: ingressgateway}", "{port: {number: 443, name: https, protocol: HTTPS}, bind: 10.0.0.1, tls: {mode: SIMPLE, credentialName: c}, hosts: [shop.example.com]}"),
            gateway("f", "prod", "{istio: ingressgateway}", "{port: {number: 80, name: http, protocol: HTTP}, hosts: [./shop.example.com]}"),
            gateway("g", "team", "{istio: ingressgateway}", "{port: {number: 80, name: http, protocol: HTTP}, hosts: [./shop.example.com]}"),
        ]
        .concat();
        assert!(conflicting_gateways(&snapshot(&input), &options()).is_empty());
    }

    #[test]
    fn selectors_that_pick_the_same_pods_are_the_same_workload() {
        let input = [
            gateway("a", "prod", "{istio: ingressgateway}", HTTPS),
            gateway("b", "prod", "{app: istio-ingressgateway}", HTTPS),
            "---
apiVersion: v1
kind: Pod
metadata: {name: ingress, namespace: istio-system, labels: {istio: ingressgateway, app: istio-ingressgateway}}
"
            .to_string(),
        ]
        .concat();
        assert_eq!(conflicting_gateways(&snapshot(&input), &options()).len(), 2);
    }

    #[test]
    fn hosts_normalize_like_istio() {
        assert_eq!(normalized("*/a.com", "prod"), "a.com");
        assert_eq!(normalized("./a.com", "prod"), "prod/a.com");
        assert_eq!(normalized("team/a.com", "prod"), "team/a.com");
        assert_eq!(normalized("a.com", "prod"), "a.com");
    }

    #[test]
    fn mesh0115_names_each_other_gateway_once_and_never_itself() {
        let two = "{port: {number: 443, name: https, protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: c}, hosts: [shop.example.com, blog.example.com]}";
        let input = [
            gateway("a", "prod", "{istio: ingressgateway}", two),
            gateway("b", "prod", "{istio: ingressgateway}", two),
        ]
        .concat();
        let found = conflicting_gateways(&snapshot(&input), &options());
        assert_eq!(found.len(), 2);
        assert!(
            found[0].message.starts_with(
                "serves blog.example.com, shop.example.com on port 443 of the same gateway workload as Gateway/prod/b: "
            ),
            "{}",
            found[0].message
        );
    }
}
