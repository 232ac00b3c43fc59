//! Gateways and the VirtualServices bound to them: unknown Gateways, hosts a Gateway does not
//! serve, Gateways no pod serves.

use kube::api::DynamicObject;

use super::bound_gateways;
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, host_matches, match_labels, spec, strings};
use crate::snapshot::{MeshSnapshot, Workload, all_workloads, namespace_of};

pub(crate) fn unknown_gateways(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        for (ns, name) in bound_gateways(vs) {
            if snapshot.find("Gateway", &ns, &name).is_none() {
                findings.push(Finding::new(
                    Code::Mesh0101,
                    vs,
                    format!("binds to Gateway {ns}/{name}, which does not exist, so no gateway serves its routes"),
                    format!("create Gateway {ns}/{name} or correct spec.gateways"),
                ));
            }
        }
    }
    findings
}

/// The hosts of a Gateway's servers as a VirtualService in `namespace` sees them: `ns/host` is
/// offered only to `ns` (`.` the Gateway's own namespace, `*` every namespace).
fn gateway_hosts(gateway: &DynamicObject, namespace: &str) -> (Vec<String>, Vec<String>) {
    let own = namespace_of(gateway);
    let mut offered = Vec::new();
    let mut elsewhere = Vec::new();
    for host in array(&spec(gateway)["servers"])
        .iter()
        .flat_map(|s| strings(&s["hosts"]))
    {
        match host.split_once('/') {
            Some(("*", h)) => offered.push(h.to_string()),
            Some((ns, h)) if ns == namespace || (ns == "." && own == namespace) => {
                offered.push(h.to_string());
            }
            Some(_) => elsewhere.push(host),
            None => offered.push(host),
        }
    }
    (offered, elsewhere)
}

/// Hosts no bound Gateway serves. As istiod reads it, a host is served when any of the
/// VirtualService's Gateways offers it, and a VirtualService also bound to `mesh` may list hosts
/// for the mesh alone: then only a Gateway that serves none of its hosts is reported (as
/// `istioctl analyze`'s IST0132 does). Bound to Gateways only, each host no Gateway serves is.
pub(crate) fn hosts_not_served(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        let hosts = strings(&spec(vs)["hosts"]);
        let gateways: Vec<Bound> = bound_gateways(vs)
            .into_iter()
            .filter_map(|(ns, name)| {
                let gateway = snapshot.find("Gateway", &ns, &name)?;
                let (served, elsewhere) = gateway_hosts(gateway, namespace_of(vs));
                Some(Bound {
                    ns,
                    name,
                    served,
                    elsewhere,
                })
            })
            .collect();
        let for_mesh = strings(&spec(vs)["gateways"])
            .iter()
            .any(|g| g == super::MESH_GATEWAY);
        for gateway in &gateways {
            if !hosts.iter().any(|h| gateway.serves(h)) {
                findings.push(not_served(vs, gateway, &hosts));
            }
        }
        let some_served = hosts.iter().any(|h| gateways.iter().any(|g| g.serves(h)));
        if for_mesh || !some_served {
            continue;
        }
        for host in hosts
            .iter()
            .filter(|h| !gateways.iter().any(|g| g.serves(h)))
        {
            if let Some(gateway) = gateways.first() {
                findings.push(not_served(vs, gateway, std::slice::from_ref(host)));
            }
        }
    }
    findings
}

/// A Gateway a VirtualService binds to, with the hosts it offers the VirtualService's namespace
/// and those it offers other namespaces only.
struct Bound {
    ns: String,
    name: String,
    served: Vec<String>,
    elsewhere: Vec<String>,
}

impl Bound {
    fn serves(&self, host: &str) -> bool {
        self.served
            .iter()
            .any(|pattern| host_matches(pattern, host))
    }
}

fn not_served(vs: &DynamicObject, gateway: &Bound, hosts: &[String]) -> Finding {
    let Bound {
        ns,
        name,
        served,
        elsewhere,
    } = gateway;
    let exported: Vec<&str> = elsewhere
        .iter()
        .filter(|p| hosts.iter().any(|h| host_matches(p, h)))
        .map(String::as_str)
        .collect();
    let hosts = hosts.join(", ");
    let message = if exported.is_empty() {
        format!(
            "host {hosts} is not among the hosts of Gateway {ns}/{name} ({}), so requests for it never reach this route",
            served.join(", ")
        )
    } else {
        format!(
            "Gateway {ns}/{name} offers host {hosts} only to other namespaces ({}; `./` is the Gateway's namespace {ns}), not to {}, so requests for it never reach this route",
            exported.join(", "),
            namespace_of(vs)
        )
    };
    Finding::new(
        Code::Mesh0102,
        vs,
        message,
        format!(
            "add {hosts} to a server's hosts in Gateway {ns}/{name} for this namespace, or remove it from spec.hosts"
        ),
    )
}

/// Is there any gateway workload to judge selectors against? A chart holds none (the ingress
/// gateway runs in the Istio namespace), and then the selector rule stays silent.
pub(crate) fn gateway_workloads(snapshot: &MeshSnapshot) -> bool {
    snapshot.live || all_workloads(snapshot).iter().any(Workload::is_gateway)
}

pub(crate) fn gateways_without_pods(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    if !snapshot.has_workloads || !gateway_workloads(snapshot) {
        return Vec::new();
    }
    let workloads = all_workloads(snapshot);
    let mut findings = Vec::new();
    for gateway in snapshot.of_kind("Gateway") {
        let Some(selector) = match_labels(&spec(gateway)["selector"]) else {
            continue;
        };
        if !workloads.iter().any(|w| w.matches(selector)) {
            findings.push(Finding::new(
                Code::Mesh0108,
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
    use super::super::super::Code;
    use super::super::super::Severity;
    use super::super::super::testing::{codes, options, snapshot};
    use super::*;

    use super::super::super::testing::HTTP_GATEWAY as GATEWAY;

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
        let found = unknown_gateways(&s, &options());
        assert_eq!(found.len(), 2);
        assert!(found[0].message.contains("prod/missing") && found[1].message.contains("other/gw"));
    }

    #[test]
    fn mesh0102_host_not_served_by_the_gateway() {
        let s = snapshot(&format!("{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: prod}}
spec: {{hosts: [shop.example.com, v2.api.example.com, other.example.com], gateways: [gw], http: [{{route: [{{destination: {{host: svc}}}}]}}]}}
"));
        assert_eq!(
            codes(&hosts_not_served(&s, &options())),
            vec![(
                Code::Mesh0102,
                Severity::Warning,
                "VirtualService/prod/vs".into()
            )]
        );
        assert!(
            hosts_not_served(&s, &options())[0]
                .message
                .contains("other.example.com")
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
            codes(&gateways_without_pods(&s, &options())),
            vec![(Code::Mesh0108, Severity::Error, "Gateway/prod/gw".into())]
        );
    }

    /// An application chart: Deployments, no gateway workload (it runs in istio-system).
    #[test]
    fn mesh0108_is_silent_when_the_input_holds_no_gateway_workload() {
        let s = snapshot(&format!(
            "{GATEWAY}---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: prod}}
spec: {{template: {{metadata: {{labels: {{app: web}}}}, spec: {{containers: [{{name: web}}]}}}}}}
"
        ));
        assert!(gateways_without_pods(&s, &options()).is_empty());
    }

    #[test]
    fn mesh0108_matches_a_gateway_deployment_template() {
        let s = snapshot(&format!(
            "{GATEWAY}---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: ingress, namespace: istio-system}}
spec: {{template: {{metadata: {{labels: {{istio: ingressgateway}}}}, spec: {{}}}}}}
"
        ));
        assert!(gateways_without_pods(&s, &options()).is_empty());
    }

    #[test]
    fn mesh0102_namespace_forms_of_gateway_hosts() {
        let s = snapshot("
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: edge}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [./edge.example.com, prod/shop.example.com, '*/any.example.com', team/*]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: prod}
spec: {hosts: [shop.example.com, any.example.com, edge.example.com, team.example.com], gateways: [edge/gw]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: local, namespace: edge}
spec: {hosts: [edge.example.com, any.example.com], gateways: [gw]}
");
        let found = hosts_not_served(&s, &options());
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("Gateway edge/gw offers host edge.example.com only to other namespaces (./edge.example.com, team/*;"), "{messages:?}");
        assert!(
            messages[1].contains("team.example.com only to other namespaces (team/*;"),
            "{messages:?}"
        );
        assert!(
            found
                .iter()
                .all(|f| f.resource.to_string() == "VirtualService/prod/vs")
        );
    }

    #[test]
    fn mesh0102_hosts_for_the_mesh_or_another_gateway_are_not_reported() {
        let second = "---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: admin, namespace: prod}
spec: {servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [admin.example.com]}]}
";
        let vs = |name: &str, hosts: &str, gateways: &str| {
            format!(
                "---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: {name}, namespace: prod}}
spec: {{hosts: [{hosts}], gateways: [{gateways}], http: [{{route: [{{destination: {{host: svc}}}}]}}]}}
"
            )
        };
        let input = [
            GATEWAY.to_string(),
            second.to_string(),
            // svc is for the mesh: the VirtualService is bound to it as well
            vs("both", "shop.example.com, svc", "gw, mesh"),
            // each host is served by one of the two Gateways
            vs("split", "shop.example.com, admin.example.com", "gw, admin"),
            // bound to the mesh too, but gw serves none of its hosts: that binding is dead
            vs("dead", "svc, other.example.com", "gw, mesh"),
            // bound to gw alone: the host gw does not serve is never reached
            vs("partial", "shop.example.com, other.example.com", "gw"),
        ]
        .concat();
        let found = hosts_not_served(&snapshot(&input), &options());
        let named: Vec<(String, &str)> = found
            .iter()
            .map(|f| (f.resource.to_string(), f.message.as_str()))
            .collect();
        assert_eq!(named.len(), 2, "{named:#?}");
        assert_eq!(named[0].0, "VirtualService/prod/dead");
        assert!(
            named[0].1.starts_with(
                "host svc, other.example.com is not among the hosts of Gateway prod/gw"
            ),
            "{}",
            named[0].1
        );
        assert_eq!(named[1].0, "VirtualService/prod/partial");
        assert!(
            named[1]
                .1
                .starts_with("host other.example.com is not among"),
            "{}",
            named[1].1
        );
    }

    #[test]
    fn mesh0102_a_namespace_prefix_offers_a_host_to_that_namespace_only() {
        // In the Gateway's own namespace, `./h` is offered and `team/h` is not.
        let s = snapshot(
            "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: edge}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [./edge.example.com, team/team.example.com]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: local, namespace: edge}
spec: {hosts: [edge.example.com, team.example.com], gateways: [gw]}
",
        );
        let found = hosts_not_served(&s, &options());
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with(
                "Gateway edge/gw offers host team.example.com only to other namespaces (team/team.example.com;"
            ),
            "{messages:?}"
        );
    }
}
