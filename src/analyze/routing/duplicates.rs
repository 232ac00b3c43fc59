//! Several VirtualServices or DestinationRules for one host: Istio merges them unpredictably.

use std::collections::BTreeMap;

use kube::api::DynamicObject;

use super::{MESH_GATEWAY, bound_gateways};
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{fqdn, spec, strings};
use crate::snapshot::{MeshSnapshot, ObjectRef, namespace_of};

pub(crate) fn duplicate_virtual_services(
    snapshot: &MeshSnapshot,
    _: &AnalyzeOptions,
) -> Vec<Finding> {
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
        let names: Vec<String> = list.iter().map(|v| ObjectRef::of(v).to_string()).collect();
        for vs in list {
            findings.push(Finding::new(
                    Code::Mesh0106,
                    vs,
                format!("{} VirtualServices route host {host} on {gateway} ({}); Istio merges them unpredictably and later rules can be shadowed", names.len(), names.join(", ")),
                "merge them into one VirtualService per host".into(),
            ));
        }
    }
    findings
}

pub(crate) fn duplicate_destination_rules(
    snapshot: &MeshSnapshot,
    _: &AnalyzeOptions,
) -> Vec<Finding> {
    // Keyed by the host's full name and the rules' namespace: each namespace's rules apply to
    // its own clients.
    let mut by_host: BTreeMap<(String, &str), Vec<&DynamicObject>> = BTreeMap::new();
    for dr in snapshot.of_kind("DestinationRule") {
        if let Some(host) = spec(dr)["host"].as_str() {
            let namespace = namespace_of(dr);
            by_host
                .entry((fqdn(host, namespace), namespace))
                .or_default()
                .push(dr);
        }
    }
    let mut findings = Vec::new();
    for ((host, _), list) in by_host.into_iter().filter(|(_, l)| l.len() > 1) {
        let names: Vec<String> = list.iter().map(|d| ObjectRef::of(d).to_string()).collect();
        let message = format!(
            "{} DestinationRules apply to {host} ({}); only one takes effect per setting, so \
             traffic policy is not what any one of them says",
            names.len(),
            names.join(", ")
        );
        for dr in list {
            findings.push(Finding::new(
                Code::Mesh0107,
                dr,
                message.clone(),
                "merge them into one DestinationRule per host".into(),
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
        assert_eq!(duplicate_virtual_services(&s, &options()).len(), 2);
        assert!(
            duplicate_virtual_services(&s, &options())
                .iter()
                .all(|f| f.code == Code::Mesh0106)
        );
        let drs = codes(&duplicate_destination_rules(&s, &options()));
        assert_eq!(
            drs,
            vec![
                (
                    Code::Mesh0107,
                    Severity::Warning,
                    "DestinationRule/prod/dr1".into()
                ),
                (
                    Code::Mesh0107,
                    Severity::Warning,
                    "DestinationRule/prod/dr2".into()
                )
            ]
        );
    }
}
