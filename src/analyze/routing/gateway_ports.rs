//! Gateway ports the gateway's Service does not expose: the gateway listens, but no traffic
//! reaches that port through the Service clients and load balancers use.

use std::collections::{BTreeSet, HashMap};

use kube::api::DynamicObject;
use serde_json::Value;

use super::gateway_workloads::GatewayWorkloads;
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, match_labels, spec};
use crate::snapshot::{MeshSnapshot, namespace_of};

/// The ports a Service sends to (TCP only): each `targetPort` given as a number, else `port`,
/// and every `port` itself (what Istio accepts as the same port).
fn service_ports(service: &DynamicObject, into: &mut BTreeSet<i64>) {
    for port in array(&spec(service)["ports"]) {
        if port["protocol"].as_str().is_some_and(|p| p != "TCP") {
            continue;
        }
        if let Some(number) = port["port"].as_i64() {
            into.insert(number);
        }
        if let Some(target) = port["targetPort"]
            .as_i64()
            .or_else(|| port["targetPort"].as_str().and_then(|t| t.parse().ok()))
        {
            into.insert(target);
        }
    }
}

pub(crate) fn gateway_ports_not_exposed(
    snapshot: &MeshSnapshot,
    _: &AnalyzeOptions,
) -> Vec<Finding> {
    let workloads = GatewayWorkloads::of(snapshot);
    let mut services: HashMap<&str, Vec<&DynamicObject>> = HashMap::new();
    for service in snapshot.of_kind("Service") {
        services
            .entry(namespace_of(service))
            .or_default()
            .push(service);
    }
    let mut findings = Vec::new();
    for gateway in snapshot.of_kind("Gateway") {
        let selected = workloads.selected(gateway);
        let mut exposed = BTreeSet::new();
        let mut judged = false;
        for workload in &selected {
            let namespace = namespace_of(workload.object);
            // Files that hold no Service where the gateway runs say nothing about its ports.
            let Some(list) = services.get(namespace) else {
                judged |= snapshot.live;
                continue;
            };
            judged = true;
            for service in list {
                let selects =
                    match_labels(&spec(service)["selector"]).is_some_and(|s| workload.matches(s));
                if selects {
                    service_ports(service, &mut exposed);
                }
            }
        }
        if !judged {
            continue;
        }
        for server in array(&spec(gateway)["servers"]) {
            let Some(port) = server["port"]["number"].as_i64() else {
                continue;
            };
            if !exposed.contains(&port) {
                findings.push(Finding::new(
                    Code::Mesh0116,
                    gateway,
                    format!(
                        "port {port} is not exposed by any Service of the gateway workload ({}; it exposes {}): the gateway listens on it but no traffic arrives there through the Service",
                        selector_text(&spec(gateway)["selector"]),
                        if exposed.is_empty() {
                            "nothing".to_string()
                        } else {
                            exposed.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
                        }
                    ),
                    format!("add port {port} to the gateway's Service, or serve on a port it exposes"),
                ));
            }
        }
    }
    findings
}

fn selector_text(selector: &Value) -> String {
    let mut pairs: Vec<String> = selector
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
        .collect();
    pairs.sort();
    pairs.join(",")
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{HTTP_GATEWAY, codes, options, snapshot};
    use super::super::super::{Code, Severity};
    use super::*;

    const HTTPS_GATEWAY: &str = "---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: tls, namespace: prod}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 8443, name: https, protocol: HTTPS}, tls: {mode: PASSTHROUGH}, hosts: [a.example.com]}]
";

    const INGRESS: &str = "---
apiVersion: v1
kind: Pod
metadata: {name: ingress, namespace: istio-system, labels: {istio: ingressgateway, app: istio-ingressgateway}}
---
apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}, {name: https, port: 443, targetPort: 8443}, {name: dns, port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: unrelated, namespace: istio-system}
spec: {selector: {app: other}, ports: [{port: 9443}]}
";

    #[test]
    fn mesh0116_a_port_no_service_of_the_gateway_exposes() {
        let odd = HTTPS_GATEWAY.replace("8443", "9443");
        let s = snapshot(&format!("{HTTP_GATEWAY}{odd}{INGRESS}"));
        let found = gateway_ports_not_exposed(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(Code::Mesh0116, Severity::Warning, "Gateway/prod/tls".into())]
        );
        assert!(
            found[0].message.contains("port 9443")
                && found[0].message.contains("istio=ingressgateway")
        );
        assert!(
            found[0].message.contains("exposes 80, 443, 8080, 8443"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn service_ports_and_target_ports_both_count() {
        let s = snapshot(&format!("{HTTP_GATEWAY}{HTTPS_GATEWAY}{INGRESS}"));
        assert!(gateway_ports_not_exposed(&s, &options()).is_empty());
    }

    #[test]
    fn files_without_the_gateway_or_its_services_are_not_judged() {
        let chart = snapshot(HTTP_GATEWAY);
        assert!(gateway_ports_not_exposed(&chart, &options()).is_empty());
        let pod_only = snapshot(&format!(
            "{HTTP_GATEWAY}---
apiVersion: v1
kind: Pod
metadata: {{name: ingress, namespace: istio-system, labels: {{istio: ingressgateway}}}}
"
        ));
        assert!(gateway_ports_not_exposed(&pod_only, &options()).is_empty());
        let mut live = pod_only.clone();
        live.live = true;
        let found = gateway_ports_not_exposed(&live, &options());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("exposes nothing"));
    }
}
