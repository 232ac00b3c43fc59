//! What an analysis of files could not check: rules stay silent on what the input cannot hold
//! (a chart has no gateway pods, no Secrets, no status), and the report says so once instead.

use super::routing::gateway_workloads;
use crate::snapshot::MeshSnapshot;
use crate::snapshot::json::credential_names;

/// One line per kind of check that the files gave nothing to judge; empty for a live snapshot.
pub fn offline_limits(snapshot: &MeshSnapshot) -> Vec<String> {
    if snapshot.live {
        return Vec::new();
    }
    let mut limits = Vec::new();
    let has = |kind: &str| snapshot.of_kind(kind).next().is_some();
    if !snapshot.has_workloads {
        limits.push("subsets, selectors, injection and mTLS against workloads: the input holds no Pod or pod template".to_string());
    }
    if has("Gateway") && !gateway_workloads(snapshot) {
        limits.push("Gateway selectors: the input holds no gateway workload (the ingress gateway runs in the Istio namespace)".to_string());
    }
    let names_credentials = snapshot
        .of_kind("Gateway")
        .any(|g| !credential_names(g).is_empty());
    if names_credentials && !has("Secret") {
        limits.push("Gateway certificates: the input holds no Secret".to_string());
    }
    if !has("Namespace") {
        limits.push("namespace injection labels: the input holds no Namespace".to_string());
    }
    limits.push("replica availability and status conditions: files have no status".to_string());
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_without_gateway_pods_or_secrets_says_what_was_not_checked() {
        let http = MeshSnapshot::from_yaml(super::super::testing::HTTP_GATEWAY, "prod");
        let limits = offline_limits(&http);
        assert!(limits.iter().any(|l| l.starts_with("Gateway selectors")));
        assert!(!limits.iter().any(|l| l.starts_with("Gateway certificates")));
        let https = super::super::testing::HTTP_GATEWAY.replace(
            "protocol: HTTP}",
            "protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: shop-tls}",
        );
        let snapshot = MeshSnapshot::from_yaml(&https, "prod");
        let limits = offline_limits(&snapshot);
        assert!(
            limits.iter().any(|l| l.starts_with("Gateway certificates")),
            "{limits:?}"
        );
        assert!(limits.iter().any(|l| l.starts_with("subsets")));
        assert!(limits.iter().any(|l| l.starts_with("namespace injection")));
        let mut live = snapshot.clone();
        live.live = true;
        assert!(offline_limits(&live).is_empty());
    }

    #[test]
    fn what_the_input_holds_is_not_listed() {
        let snapshot = MeshSnapshot::from_yaml(
            "
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod}
",
            "prod",
        );
        let limits = offline_limits(&snapshot);
        assert_eq!(limits.len(), 1, "{limits:?}");
    }
}
