//! The gateway workloads a Gateway's selector picks, found once per rule run: where the gateway
//! runs (and so where Istio reads its Secrets), and which Gateways share one workload.

use kube::api::DynamicObject;

use crate::snapshot::json::{match_labels, spec};
use crate::snapshot::{MeshSnapshot, ObjectRef, Workload, all_workloads, namespace_of};

/// Every gateway workload of the snapshot (a few pods or Deployments, whatever the mesh's size).
pub(crate) struct GatewayWorkloads<'a> {
    workloads: Vec<Workload<'a>>,
}

impl<'a> GatewayWorkloads<'a> {
    pub(crate) fn of(snapshot: &'a MeshSnapshot) -> Self {
        Self {
            workloads: all_workloads(snapshot)
                .into_iter()
                .filter(Workload::is_gateway)
                .collect(),
        }
    }

    /// The gateway workloads a Gateway selects (none when it has no selector).
    pub(crate) fn selected(&self, gateway: &DynamicObject) -> Vec<&Workload<'a>> {
        let Some(selector) = match_labels(&spec(gateway)["selector"]) else {
            return Vec::new();
        };
        self.workloads
            .iter()
            .filter(|w| w.matches(selector))
            .collect()
    }

    /// Where the selected workloads run, sorted; empty when none is known.
    pub(crate) fn namespaces(&self, gateway: &DynamicObject) -> Vec<String> {
        let mut namespaces: Vec<String> = self
            .selected(gateway)
            .iter()
            .map(|w| namespace_of(w.object).to_string())
            .collect();
        namespaces.sort();
        namespaces.dedup();
        namespaces
    }

    /// What identifies "the same gateway": the workloads it selects, or, when none is known, its
    /// selector written canonically (`key=value,…` sorted).
    pub(crate) fn key(&self, gateway: &DynamicObject) -> String {
        let mut names: Vec<String> = self
            .selected(gateway)
            .iter()
            .map(|w| ObjectRef::of(w.object).to_string())
            .collect();
        if names.is_empty() {
            let selector = match_labels(&spec(gateway)["selector"]);
            let mut pairs: Vec<String> = selector
                .into_iter()
                .flatten()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect();
            pairs.sort();
            return format!("selector {}", pairs.join(","));
        }
        names.sort();
        names.dedup();
        names.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::snapshot;
    use super::*;

    const INPUT: &str = "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: a, namespace: prod}
spec: {selector: {istio: ingressgateway}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: b, namespace: prod}
spec: {selector: {app: istio-ingressgateway}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: c, namespace: prod}
spec: {selector: {istio: other, zone: a}}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: d, namespace: prod}
spec: {selector: {zone: a, istio: other}}
---
apiVersion: v1
kind: Pod
metadata: {name: ingress-1, namespace: edge, labels: {istio: ingressgateway, app: istio-ingressgateway}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod, labels: {istio: ingressgateway-not, app: web}}
";

    #[test]
    fn gateways_selecting_the_same_pods_share_a_key_and_their_namespaces() {
        let s = snapshot(INPUT);
        let workloads = GatewayWorkloads::of(&s);
        let gateway = |name| s.find("Gateway", "prod", name).expect("gateway");
        assert_eq!(workloads.key(gateway("a")), "Pod/edge/ingress-1");
        assert_eq!(workloads.key(gateway("a")), workloads.key(gateway("b")));
        assert_eq!(workloads.namespaces(gateway("a")), vec!["edge"]);
        assert_eq!(workloads.key(gateway("c")), "selector istio=other,zone=a");
        assert_eq!(workloads.key(gateway("c")), workloads.key(gateway("d")));
        assert!(workloads.namespaces(gateway("c")).is_empty());
        assert_eq!(workloads.selected(gateway("a")).len(), 1);
    }
}
