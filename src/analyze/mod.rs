//! Analyzers over a `MeshSnapshot`: each finding has a stable code, a severity, the object it is
//! about, what is wrong and how to fix it.

use serde::Serialize;

use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub resource: String,
    pub message: String,
    pub fix: String,
}

/// The gateway name Istio reserves for sidecars; it is never a Gateway object.
const MESH_GATEWAY: &str = "mesh";

/// A VirtualService bound to a Gateway that does not exist routes nothing at the edge.
pub fn unknown_gateways(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in &snapshot.virtual_services {
        let vs_ns = namespace_of(vs);
        for reference in gateway_refs(vs) {
            if reference == MESH_GATEWAY {
                continue;
            }
            let (gw_ns, gw_name) = reference
                .split_once('/')
                .unwrap_or((vs_ns, reference.as_str()));
            if snapshot.gateways_in(gw_ns).any(|g| name_of(g) == gw_name) {
                continue;
            }
            findings.push(Finding {
                code: "MESH0101",
                severity: Severity::Error,
                resource: format!("VirtualService/{vs_ns}/{}", name_of(vs)),
                message: format!("binds to Gateway {gw_ns}/{gw_name}, which does not exist, so no gateway serves its routes"),
                fix: format!("create Gateway {gw_ns}/{gw_name} or correct spec.gateways"),
            });
        }
    }
    findings
}

fn gateway_refs(vs: &kube::api::DynamicObject) -> Vec<String> {
    vs.data
        .pointer("/spec/gateways")
        .and_then(|g| g.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|g| g.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube::api::DynamicObject;

    fn object(kind: &str, ns: &str, name: &str, spec: serde_json::Value) -> DynamicObject {
        serde_json::from_value(serde_json::json!({
            "apiVersion": "networking.istio.io/v1", "kind": kind,
            "metadata": {"name": name, "namespace": ns}, "spec": spec,
        }))
        .expect("valid object")
    }

    #[test]
    fn finds_gateways_that_do_not_exist_in_either_namespace_form() {
        let snapshot = MeshSnapshot {
            gateways: vec![
                object("Gateway", "prod", "gw", serde_json::json!({})),
                object("Gateway", "istio-system", "shared", serde_json::json!({})),
            ],
            virtual_services: vec![object(
                "VirtualService",
                "prod",
                "vs",
                serde_json::json!({"gateways": ["gw", "mesh", "istio-system/shared", "missing", "other/gw"]}),
            )],
            destination_rules: vec![],
        };
        let findings = unknown_gateways(&snapshot);
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(findings.len(), 2, "{messages:?}");
        assert!(messages[0].contains("prod/missing"));
        assert!(messages[1].contains("other/gw"));
        assert_eq!(findings[0].resource, "VirtualService/prod/vs");
    }
}
