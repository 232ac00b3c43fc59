//! Routes and DestinationRule subsets: undefined subsets, subsets no workload matches, split weights
//! that do not add up.

use serde_json::{Map, Value};

use crate::analyze::workloads::WorkloadIndex;
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, fqdn, match_labels, spec};
use crate::snapshot::{MeshSnapshot, namespace_of};

use super::{destination_rules_for, destinations};

pub(crate) fn undefined_subsets(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
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
                findings.push(Finding::new(
                    Code::Mesh0103,
                    vs,
                    format!("routes to subset {subset} of {host}, which no DestinationRule defines; Envoy answers such requests with 503"),
                    format!("add subset {subset} to the DestinationRule for {host}, or route without it"),
                ));
            }
        }
    }
    findings
}

/// Labels Istio adds to every endpoint from its node, cluster and network: a subset may select on
/// them, but no pod or template carries them, so they cannot be judged here.
const TOPOLOGY_LABELS: [&str; 6] = [
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "topology.istio.io/subzone",
    "topology.istio.io/cluster",
    "topology.istio.io/network",
    "kubernetes.io/hostname",
];

/// The namespace and name of the Service a host names, when it is a cluster-local Service.
fn service_of(host: &str, namespace: &str) -> Option<(String, String)> {
    let full = fqdn(host, namespace);
    let local = full.strip_suffix(".svc.cluster.local")?;
    let (name, ns) = local.split_once('.')?;
    (!name.contains('*') && !ns.contains('.')).then(|| (ns.to_string(), name.to_string()))
}

pub(crate) fn subsets_without_pods(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    if !snapshot.has_workloads {
        return Vec::new();
    }
    let index = WorkloadIndex::new(snapshot);
    let mut findings = Vec::new();
    for dr in snapshot.of_kind("DestinationRule") {
        let host = spec(dr)["host"].as_str().unwrap_or("");
        // Only cluster-local Services are backed by pods; and a namespace of which the input
        // holds no workload at all could not show them.
        let Some((ns, name)) = service_of(host, namespace_of(dr)) else {
            continue;
        };
        if !index.has_namespace(&ns) {
            continue;
        }
        let service_selector = snapshot
            .service_by_fqdn(&format!("{name}.{ns}.svc.cluster.local"))
            .and_then(|s| match_labels(&s.data["spec"]["selector"]));
        for subset in array(&spec(dr)["subsets"]) {
            let Some(labels) = match_labels(&subset["labels"]) else {
                continue;
            };
            let mut wanted: Map<String, Value> = service_selector.cloned().unwrap_or_default();
            wanted.extend(
                labels
                    .iter()
                    .filter(|(k, _)| !TOPOLOGY_LABELS.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            if wanted.is_empty() || !index.matching(&ns, &wanted).is_empty() {
                continue;
            }
            let name = subset["name"].as_str().unwrap_or("");
            findings.push(Finding::new(
                Code::Mesh0104,
                dr,
                format!("subset {name} selects {} but no workload of {host} has those labels, so traffic routed to it fails (503 no healthy upstream)", Value::Object(labels.clone())),
                format!("deploy workloads labelled for subset {name}, or correct spec.subsets[].labels"),
            ));
        }
    }
    findings
}

pub(crate) fn weights_not_100(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        for section in ["http", "tls", "tcp"] {
            for (index, route) in array(&spec(vs)[section]).iter().enumerate() {
                let routes = array(&route["route"]);
                let weights: Vec<i64> =
                    routes.iter().filter_map(|d| d["weight"].as_i64()).collect();
                // A lone destination takes all the traffic, whatever its weight says.
                if weights.is_empty() || routes.len() == 1 {
                    continue;
                }
                let total: i64 = weights.iter().sum();
                if total != 100 || weights.len() != routes.len() {
                    let label = route["name"]
                        .as_str()
                        .map_or(format!("{section}[{index}]"), str::to_string);
                    // A destination without a weight gets no traffic, whatever the others add up to.
                    let message = if weights.len() == routes.len() {
                        format!(
                            "route {label} splits traffic with weights that add up to {total}, not 100; the split is not what the config says"
                        )
                    } else {
                        format!(
                            "route {label} gives a weight to {} of its {} destinations; the others get no traffic, so the split is not what the config says",
                            weights.len(),
                            routes.len()
                        )
                    };
                    findings.push(Finding::new(
                        Code::Mesh0105,
                        vs,
                        message,
                        format!("give every destination of route {label} a weight, the weights adding up to 100"),
                    ));
                }
            }
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
        let found = undefined_subsets(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0103,
                Severity::Error,
                "VirtualService/prod/vs".into()
            )]
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
        let found = subsets_without_pods(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0104,
                Severity::Warning,
                "DestinationRule/prod/dr".into()
            )]
        );
        assert!(found[0].message.contains("subset v2"));
    }

    /// What `helm template` prints for a correct chart: two Deployments, a Service and a
    /// DestinationRule with their two subsets. No Pod in sight.
    const CHART: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1, namespace: prod}
spec: {template: {metadata: {labels: {app: web, version: v1}}, spec: {containers: [{name: web, image: web:1}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v2, namespace: prod}
spec: {template: {metadata: {labels: {app: web, version: v2}}, spec: {containers: [{name: web, image: web:2}]}}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
";

    fn subsets(labels: &[&str]) -> String {
        let subsets: Vec<String> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{{name: s{i}, labels: {{{l}}}}}"))
            .collect();
        format!(
            "{CHART}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: dr, namespace: prod}}
spec: {{host: web.prod.svc.cluster.local, subsets: [{}]}}
",
            subsets.join(", ")
        )
    }

    #[test]
    fn mesh0104_pod_templates_of_a_chart_count_as_workloads() {
        let s = snapshot(&subsets(&["version: v1", "version: v2"]));
        assert!(subsets_without_pods(&s, &options()).is_empty());
        let s = snapshot(&subsets(&["version: v1", "version: v3"]));
        let found = subsets_without_pods(&s, &options());
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("subset s1"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn mesh0104_the_service_selector_and_the_subset_labels_must_both_match() {
        // version v1 exists, but not behind this Service's selector (app: web)
        let s = snapshot(&format!(
            "{}---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: other-v9, namespace: prod}}
spec: {{template: {{metadata: {{labels: {{app: other, version: v9}}}}}}}}
",
            subsets(&["version: v9"])
        ));
        assert_eq!(subsets_without_pods(&s, &options()).len(), 1);
    }

    #[test]
    fn mesh0104_topology_labels_are_not_judged() {
        let s = snapshot(&subsets(&[
            "topology.kubernetes.io/zone: eu-1a",
            "version: v1, kubernetes.io/hostname: node-1",
            "topology.istio.io/network: n1, topology.istio.io/cluster: c1, topology.istio.io/subzone: s, topology.kubernetes.io/region: eu",
        ]));
        assert!(subsets_without_pods(&s, &options()).is_empty());
        let s = snapshot(&subsets(&[
            "version: v3, topology.kubernetes.io/zone: eu-1a",
        ]));
        assert_eq!(subsets_without_pods(&s, &options()).len(), 1);
    }

    #[test]
    fn mesh0104_silent_when_the_input_could_not_hold_the_workloads() {
        let dr = "
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: dr, namespace: prod}
spec: {host: web, subsets: [{name: v1, labels: {version: v1}}]}
";
        // no workload at all
        assert!(subsets_without_pods(&snapshot(dr), &options()).is_empty());
        // workloads, but none in the host's namespace
        let elsewhere = format!(
            "{dr}---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: x, namespace: other}}
spec: {{template: {{metadata: {{labels: {{version: v2}}}}}}}}
"
        );
        assert!(subsets_without_pods(&snapshot(&elsewhere), &options()).is_empty());
        // an external host is not backed by pods
        let external = format!(
            "{CHART}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: ext, namespace: prod}}
spec: {{host: api.example.com, subsets: [{{name: v1, labels: {{version: v9}}}}]}}
"
        );
        assert!(subsets_without_pods(&snapshot(&external), &options()).is_empty());
    }

    #[test]
    fn mesh0104_a_host_in_another_namespace_is_judged_against_that_namespace() {
        let s = snapshot(&format!(
            "{CHART}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: dr, namespace: istio-system}}
spec: {{host: web.prod.svc.cluster.local, subsets: [{{name: v1, labels: {{version: v1}}}}, {{name: v4, labels: {{version: v4}}}}]}}
"
        ));
        let found = subsets_without_pods(&s, &options());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("subset v4"));
    }

    #[test]
    fn the_service_of_a_host() {
        assert_eq!(
            service_of("web", "prod"),
            Some(("prod".into(), "web".into()))
        );
        assert_eq!(
            service_of("web.shop", "prod"),
            Some(("shop".into(), "web".into()))
        );
        assert_eq!(
            service_of("web.shop.svc.cluster.local", "prod"),
            Some(("shop".into(), "web".into()))
        );
        assert_eq!(service_of("api.example.com", "prod"), None);
        assert_eq!(service_of("*.shop.svc.cluster.local", "prod"), None);
        assert_eq!(service_of("a.b.c.svc.cluster.local", "prod"), None);
    }

    #[test]
    fn mesh0105_weights_that_do_not_add_up() {
        let s = snapshot("
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: prod}
spec: {hosts: [svc], http: [{name: split, route: [{destination: {host: svc, subset: v1}, weight: 70}, {destination: {host: svc, subset: v2}, weight: 20}]}, {route: [{destination: {host: svc}}]}]}
");
        let found = weights_not_100(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0105,
                Severity::Error,
                "VirtualService/prod/vs".into()
            )]
        );
        assert!(found[0].message.contains("add up to 90"));
    }

    #[test]
    fn mesh0105_a_lone_destination_and_a_destination_without_weight() {
        let s = snapshot("
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: prod}
spec: {hosts: [svc], http: [
  {name: lone, route: [{destination: {host: svc}, weight: 50}]},
  {name: unweighted, route: [{destination: {host: svc, subset: v1}, weight: 100}, {destination: {host: svc, subset: v2}}]},
  {name: even, route: [{destination: {host: svc, subset: v1}, weight: 50}, {destination: {host: svc, subset: v2}, weight: 50}]},
  {name: whole, route: [{destination: {host: svc}, weight: 100}]}]}
");
        let found = weights_not_100(&s, &options());
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        // A lone destination gets all the traffic (Istio ignores its weight): nothing to say.
        assert_eq!(
            messages,
            vec![
                "route unweighted gives a weight to 1 of its 2 destinations; the others get no traffic, so the split is not what the config says",
            ]
        );
    }
}
