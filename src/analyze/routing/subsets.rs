//! Routes and DestinationRule subsets: undefined subsets, subsets no pod matches, split weights
//! that do not add up.

use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, fqdn, match_labels, pods_in, spec};
use crate::snapshot::{MeshSnapshot, labels_of, namespace_of, selector_matches};

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

pub(crate) fn subsets_without_pods(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    if !snapshot.has_workloads {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for dr in snapshot.of_kind("DestinationRule") {
        let ns = namespace_of(dr);
        let host = spec(dr)["host"].as_str().unwrap_or("");
        let service = snapshot
            .service_by_fqdn(&fqdn(host, ns))
            .filter(|s| namespace_of(s) == ns);
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
                findings.push(Finding::new(
                    Code::Mesh0104,
                    dr,
                    format!("subset {name} selects {} but no pod of {host} has those labels, so traffic routed to it fails", serde_json::Value::Object(labels.clone())),
                    format!("deploy pods labelled for subset {name}, or correct spec.subsets[].labels"),
                ));
            }
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
                    findings.push(Finding::new(
                    Code::Mesh0105,
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
}
