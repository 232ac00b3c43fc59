//! Where routes send traffic: every route and mirror destination must name a Service or a
//! ServiceEntry host, and a port it exposes.

use kube::api::DynamicObject;
use serde_json::Value;

use super::registry::{Registry, Resolved};
use super::{MESH_GATEWAY, bound_gateways};
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, spec, strings};
use crate::snapshot::{MeshSnapshot, ObjectRef, namespace_of};

/// One destination of a VirtualService and where it is written.
pub(super) struct Destination<'a> {
    pub value: &'a Value,
    /// `http[0].route[1]`, `http[2].mirror`, … (the rule's name when it has one).
    pub place: String,
    pub mirror: bool,
}

/// Every route destination of the http, tls and tcp rules, and every mirror of the http rules.
pub(super) fn all_destinations(vs: &DynamicObject) -> Vec<Destination<'_>> {
    let mut all = Vec::new();
    for section in ["http", "tls", "tcp"] {
        for (index, rule) in array(&spec(vs)[section]).iter().enumerate() {
            let label = rule["name"]
                .as_str()
                .map_or(format!("{section}[{index}]"), |n| {
                    format!("{section} rule {n}")
                });
            for (i, route) in array(&rule["route"]).iter().enumerate() {
                all.push(Destination {
                    value: &route["destination"],
                    place: format!("{label}.route[{i}]"),
                    mirror: false,
                });
            }
            if rule["mirror"].is_object() {
                all.push(Destination {
                    value: &rule["mirror"],
                    place: format!("{label}.mirror"),
                    mirror: true,
                });
            }
            for (i, mirror) in array(&rule["mirrors"]).iter().enumerate() {
                all.push(Destination {
                    value: &mirror["destination"],
                    place: format!("{label}.mirrors[{i}]"),
                    mirror: true,
                });
            }
        }
    }
    all
}

pub(crate) fn unknown_destinations(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let registry = Registry::of(snapshot, opts);
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        let from = namespace_of(vs);
        // A route bound to a Gateway without a port goes to the Gateway's port on the Service.
        let on_gateway = !bound_gateways(vs).is_empty()
            && !strings(&spec(vs)["gateways"])
                .iter()
                .any(|g| g == MESH_GATEWAY);
        for destination in all_destinations(vs) {
            let Some(host) = destination.value["host"].as_str() else {
                continue;
            };
            let what = if destination.mirror {
                "mirror"
            } else {
                "destination"
            };
            let place = &destination.place;
            match registry.resolve(host, from) {
                Resolved::Unknown => {}
                Resolved::Missing => findings.push(Finding::new(
                    Code::Mesh0109,
                    vs,
                    format!(
                        "{place}: {what} host {host} is neither a Service nor a ServiceEntry host visible in namespace {from}; Envoy has no cluster for it and answers 503"
                    ),
                    format!("create the Service or a ServiceEntry for {host}, or correct the host"),
                )),
                Resolved::Found { object, ports } => {
                    let port = destination.value["port"]["number"].as_i64();
                    let owner = ObjectRef::of(object);
                    match port {
                        Some(port) if !ports.is_empty() && !ports.contains(&port) => {
                            findings.push(Finding::new(
                                Code::Mesh0110,
                                vs,
                                format!(
                                    "{place}: {what} {host}:{port} names a port {owner} does not expose ({}); the traffic has nowhere to go",
                                    join(&ports)
                                ),
                                format!("route to one of the ports of {owner}: {}", join(&ports)),
                            ));
                        }
                        None if on_gateway && ports.len() > 1 => findings.push(Finding::new(
                            Code::Mesh0111,
                            vs,
                            format!(
                                "{place}: {what} {host} names no port but {owner} exposes several ({}); behind a Gateway, Envoy then looks for the Gateway's port on it",
                                join(&ports)
                            ),
                            format!("set destination.port.number to one of {}", join(&ports)),
                        )),
                        _ => {}
                    }
                }
            }
        }
    }
    findings
}

fn join(ports: &[i64]) -> String {
    let list: Vec<String> = ports.iter().map(i64::to_string).collect();
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{codes, options, snapshot};
    use super::super::super::{Code, Severity};
    use super::*;

    const SERVICES: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
spec: {ports: [{name: http, port: 80}, {name: http-admin, port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: prod}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: payments, namespace: prod}
spec: {hosts: [pay.example.com], ports: [{number: 443, name: tls, protocol: TLS}]}
";

    fn vs(spec: &str) -> String {
        format!(
            "{SERVICES}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: prod}}
spec: {spec}
"
        )
    }

    fn found(spec: &str) -> Vec<Finding> {
        unknown_destinations(&snapshot(&vs(spec)), &options())
    }

    #[test]
    fn mesh0109_unknown_hosts_in_routes_and_mirrors() {
        let findings = found(
            "{hosts: [web], http: [{route: [{destination: {host: web, port: {number: 80}}}, {destination: {host: ghost}}], mirror: {host: shadow}, mirrors: [{destination: {host: echo.example.com}}]}], tls: [{match: [{sniHosts: [x]}], route: [{destination: {host: vanished.prod.svc.cluster.local}}]}]}",
        );
        assert_eq!(
            codes(&findings),
            vec![
                (
                    Code::Mesh0109,
                    Severity::Error,
                    "VirtualService/prod/vs".into()
                );
                4
            ]
        );
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages[0].starts_with("http[0].route[1]: destination host ghost"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("http[0].mirror: mirror host shadow"),
            "{messages:?}"
        );
        assert!(messages[2].starts_with("http[0].mirrors[0]: mirror host echo.example.com"));
        assert!(messages[3].contains("vanished.prod.svc.cluster.local"));
    }

    #[test]
    fn services_in_every_form_and_service_entries_are_known() {
        let findings = found(
            "{hosts: [web], http: [{name: main, route: [{destination: {host: web, port: {number: 80}}, weight: 50}, {destination: {host: api.prod}, weight: 50}], mirror: {host: api.prod.svc.cluster.local}}], tls: [{match: [{sniHosts: [pay.example.com]}], route: [{destination: {host: pay.example.com, port: {number: 443}}}]}]}",
        );
        assert!(findings.is_empty(), "{:?}", codes(&findings));
    }

    #[test]
    fn mesh0110_a_port_the_service_does_not_expose() {
        let findings = found(
            "{hosts: [web], http: [{name: main, route: [{destination: {host: api, port: {number: 80}}}], mirrors: [{destination: {host: pay.example.com, port: {number: 8443}}}]}]}",
        );
        assert_eq!(
            codes(&findings),
            vec![
                (
                    Code::Mesh0110,
                    Severity::Error,
                    "VirtualService/prod/vs".into()
                );
                2
            ]
        );
        assert!(
            findings[0]
                .message
                .starts_with("http rule main.route[0]: destination api:80")
        );
        assert!(
            findings[0]
                .message
                .contains("Service/prod/api does not expose (8080)")
        );
        assert!(findings[1].message.contains("ServiceEntry/prod/payments"));
    }

    #[test]
    fn mesh0111_no_port_to_a_multi_port_service_only_behind_a_gateway() {
        let on_gateway = found(
            "{hosts: [shop.example.com], gateways: [gw], http: [{route: [{destination: {host: web}}, {destination: {host: api}}]}]}",
        );
        assert_eq!(
            codes(&on_gateway),
            vec![(
                Code::Mesh0111,
                Severity::Error,
                "VirtualService/prod/vs".into()
            )]
        );
        assert!(on_gateway[0].message.contains("several (80, 9090)"));
        let on_mesh = found(
            "{hosts: [web], gateways: [gw, mesh], http: [{route: [{destination: {host: web}}]}]}",
        );
        assert!(on_mesh.is_empty());
        let sidecars = found("{hosts: [web], http: [{route: [{destination: {host: web}}]}]}");
        assert!(sidecars.is_empty());
    }

    #[test]
    fn a_namespace_the_files_do_not_hold_is_not_judged() {
        let findings = found(
            "{hosts: [web], http: [{route: [{destination: {host: shared.platform.svc.cluster.local}}, {destination: {host: api.example.com}}]}]}",
        );
        // prod holds ServiceEntries, so the external host is judged; platform is not in the input
        assert_eq!(findings.len(), 1);
        assert!(findings[0].message.contains("api.example.com"));
    }
}
