//! Workloads: what a rule that reads pods looks at. Live, the pods themselves; from files, also
//! the pod templates of the controllers that would create them (a chart holds Deployments, not
//! Pods), so subsets, selectors, injection and policies are judged before anything runs.

use std::collections::BTreeMap;

use kube::api::DynamicObject;
use serde_json::Value;

use super::json::{
    SIDECAR, array, injection_enabled, match_labels, opts_out, pods_in, sidecar_image_in,
};
use super::{MeshSnapshot, kind_of, namespace_of, selector_matches};

/// Kinds with a pod template, and where the template is in each.
const TEMPLATES: &[(&str, &str)] = &[
    ("Deployment", "/spec/template"),
    ("StatefulSet", "/spec/template"),
    ("DaemonSet", "/spec/template"),
    ("ReplicaSet", "/spec/template"),
    ("Job", "/spec/template"),
    ("CronJob", "/spec/jobTemplate/spec/template"),
];

/// Does this kind run pods (a Pod, or a controller with a pod template)?
fn is_workload_kind(kind: &str) -> bool {
    kind == "Pod" || TEMPLATES.iter().any(|(k, _)| *k == kind)
}

/// A pod, or the pod a controller's template describes.
#[derive(Debug, Clone)]
pub struct Workload<'a> {
    /// The Pod, or the controller that owns the template.
    pub object: &'a DynamicObject,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    /// The pod's `spec`.
    pub spec: &'a Value,
    /// From a template: the injector has not run yet, so it has no sidecar whatever it becomes.
    pub from_template: bool,
}

impl<'a> Workload<'a> {
    fn of_pod(pod: &'a DynamicObject) -> Self {
        Self {
            object: pod,
            labels: pod.metadata.labels.clone().unwrap_or_default(),
            annotations: pod.metadata.annotations.clone().unwrap_or_default(),
            spec: &pod.data["spec"],
            from_template: false,
        }
    }

    fn of_template(controller: &'a DynamicObject, template: &'a Value) -> Self {
        Self {
            object: controller,
            labels: string_map(&template["metadata"]["labels"]),
            annotations: string_map(&template["metadata"]["annotations"]),
            spec: &template["spec"],
            from_template: true,
        }
    }

    /// Matched by a `matchLabels`-style map (every pair among the labels).
    pub fn matches(&self, selector: &serde_json::Map<String, Value>) -> bool {
        selector_matches(selector, &self.labels)
    }

    /// A running pod with the injected `istio-proxy` (never a template).
    pub fn has_sidecar(&self) -> bool {
        sidecar_image_in(self.spec).is_some()
    }

    /// Runs (or, from a template, will run) the sidecar: a template is injected unless it opts
    /// out, uses the host network, or its namespace is known not to be labelled for injection.
    pub fn runs_sidecar(&self, snapshot: &MeshSnapshot) -> bool {
        if !self.from_template {
            return self.has_sidecar();
        }
        let namespace_injects = snapshot
            .namespace_labels(namespace_of(self.object))
            .is_none_or(injection_enabled);
        namespace_injects && !self.opted_out() && !self.host_network()
    }

    /// `sidecar.istio.io/inject=false` as a label or an annotation.
    pub fn opted_out(&self) -> bool {
        opts_out(&self.labels, &self.annotations)
    }

    /// An Envoy gateway: Istio's `gateway` injection template, a proxy run as `router`, or the
    /// `istio: …gateway` label every Istio gateway chart sets.
    pub fn is_gateway(&self) -> bool {
        let router = array(&self.spec["containers"])
            .iter()
            .any(|c| c["name"] == SIDECAR && array(&c["args"]).iter().any(|a| a == "router"));
        router
            || self
                .annotations
                .get("inject.istio.io/templates")
                .is_some_and(|t| t.split(',').any(|t| t == "gateway"))
            || self
                .labels
                .get("istio")
                .is_some_and(|v| v.ends_with("gateway"))
    }

    /// A waypoint: the proxy istiod deploys for an `istio-waypoint` Gateway, run as
    /// `proxy waypoint`. It carries `istio-proxy` but is no sidecar: it ignores EnvoyFilters.
    pub fn is_waypoint(&self) -> bool {
        let by_args = array(&self.spec["containers"])
            .iter()
            .any(|c| c["name"] == SIDECAR && array(&c["args"]).iter().any(|a| a == "waypoint"));
        by_args
            || self
                .labels
                .get("gateway.networking.k8s.io/gateway-class-name")
                .is_some_and(|class| class == "istio-waypoint")
    }

    /// Pods on the host network are never injected.
    pub fn host_network(&self) -> bool {
        self.spec["hostNetwork"].as_bool() == Some(true)
    }
}

fn string_map(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The workloads of a namespace: its running pods, and from files also its controllers' pod
/// templates.
pub fn workloads_in<'a>(snapshot: &'a MeshSnapshot, namespace: &'a str) -> Vec<Workload<'a>> {
    let mut found: Vec<Workload<'a>> = pods_in(snapshot, namespace).map(Workload::of_pod).collect();
    if !snapshot.live {
        for (kind, pointer) in TEMPLATES {
            for controller in snapshot.in_namespace(kind, namespace) {
                if let Some(template) = controller.data.pointer(pointer) {
                    found.push(Workload::of_template(controller, template));
                }
            }
        }
    }
    found
}

/// The workloads a policy's `spec.selector.matchLabels` picks in its own namespace; every one when
/// it has no selector.
pub fn selected_workloads<'a>(
    snapshot: &'a MeshSnapshot,
    policy: &'a DynamicObject,
) -> Vec<Workload<'a>> {
    let selector = match_labels(&policy.data["spec"]["selector"]["matchLabels"]);
    workloads_in(snapshot, namespace_of(policy))
        .into_iter()
        .filter(|w| selector.is_none_or(|s| w.matches(s)))
        .collect()
}

/// Every workload of every namespace.
pub fn all_workloads(snapshot: &MeshSnapshot) -> Vec<Workload<'_>> {
    let namespaces: std::collections::BTreeSet<&str> = snapshot
        .objects
        .iter()
        .filter(|o| is_workload_kind(kind_of(o)))
        .map(namespace_of)
        .collect();
    namespaces
        .into_iter()
        .flat_map(|ns| workloads_in(snapshot, ns))
        .collect()
}

/// Does the snapshot hold any workload at all (else rules about workloads stay silent)?
pub fn holds_workloads(objects: &[DynamicObject]) -> bool {
    objects.iter().any(|o| is_workload_kind(kind_of(o)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-v1, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web, version: v1}, annotations: {sidecar.istio.io/inject: 'false'}}
    spec: {containers: [{name: web, image: web:1}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: nightly}}
        spec: {hostNetwork: true, containers: [{name: job, image: job:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-v2-abc, namespace: shop, labels: {app: web, version: v2}}
spec: {containers: [{name: web, image: web:2}, {name: istio-proxy, image: proxyv2:1.31.0}]}
";

    #[test]
    fn files_count_pod_templates_of_every_controller_kind() {
        let snapshot = MeshSnapshot::from_yaml(CHART, "shop");
        let workloads = workloads_in(&snapshot, "shop");
        let names: Vec<(&str, bool)> = workloads
            .iter()
            .map(|w| (super::super::name_of(w.object), w.from_template))
            .collect();
        assert_eq!(
            names,
            vec![("web-v2-abc", false), ("web-v1", true), ("nightly", true)]
        );
        assert!(workloads[1].opted_out() && !workloads[0].opted_out());
        assert!(workloads[2].host_network() && !workloads[1].host_network());
        assert!(workloads[0].has_sidecar() && !workloads[1].has_sidecar());
        assert!(holds_workloads(snapshot.objects()));
        assert!(workloads_in(&snapshot, "other").is_empty());
    }

    #[test]
    fn live_snapshots_count_only_pods() {
        let mut snapshot = MeshSnapshot::from_yaml(CHART, "shop");
        snapshot.live = true;
        let workloads = workloads_in(&snapshot, "shop");
        assert_eq!(workloads.len(), 1);
        assert!(!workloads[0].from_template);
    }

    #[test]
    fn a_selector_picks_matching_workloads_and_none_picks_all() {
        let snapshot = MeshSnapshot::from_yaml(
            &format!(
                "{CHART}---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {{name: web, namespace: shop}}
spec: {{selector: {{matchLabels: {{app: web}}}}}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {{name: all, namespace: shop}}
spec: {{}}
"
            ),
            "shop",
        );
        let web = snapshot.find("AuthorizationPolicy", "shop", "web").unwrap();
        let all = snapshot.find("AuthorizationPolicy", "shop", "all").unwrap();
        assert_eq!(selected_workloads(&snapshot, web).len(), 2);
        assert_eq!(selected_workloads(&snapshot, all).len(), 3);
    }

    #[test]
    fn waypoints_are_told_by_their_proxy_args_or_gateway_class() {
        let snapshot = MeshSnapshot::from_yaml(
            "
apiVersion: v1
kind: Pod
metadata: {name: by-args, namespace: wp}
spec: {containers: [{name: istio-proxy, args: [proxy, waypoint]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: by-class, namespace: wp, labels: {gateway.networking.k8s.io/gateway-class-name: istio-waypoint}}
---
apiVersion: v1
kind: Pod
metadata: {name: other-class, namespace: wp, labels: {gateway.networking.k8s.io/gateway-class-name: istio}}
---
apiVersion: v1
kind: Pod
metadata: {name: app-args, namespace: wp}
spec: {containers: [{name: app, args: [waypoint]}, {name: istio-proxy, args: [proxy, sidecar]}]}
",
            "wp",
        );
        let waypoints: Vec<&str> = all_workloads(&snapshot)
            .iter()
            .filter(|w| w.is_waypoint())
            .map(|w| super::super::name_of(w.object))
            .collect();
        assert_eq!(waypoints, vec!["by-args", "by-class"]);
    }

    #[test]
    fn gateways_are_told_by_template_router_args_or_label() {
        let snapshot = MeshSnapshot::from_yaml(
            "
apiVersion: apps/v1
kind: Deployment
metadata: {name: by-template, namespace: gw}
spec: {template: {metadata: {annotations: {inject.istio.io/templates: gateway}}, spec: {}}}
---
apiVersion: v1
kind: Pod
metadata: {name: by-args, namespace: gw}
spec: {containers: [{name: istio-proxy, args: [proxy, router]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: by-label, namespace: gw, labels: {istio: ingressgateway}}
---
apiVersion: v1
kind: Pod
metadata: {name: sidecar, namespace: gw, labels: {istio: pilot}}
spec: {containers: [{name: istio-proxy, args: [proxy, sidecar]}]}
",
            "gw",
        );
        let gateways: Vec<&str> = all_workloads(&snapshot)
            .iter()
            .filter(|w| w.is_gateway())
            .map(|w| super::super::name_of(w.object))
            .collect();
        assert_eq!(gateways, vec!["by-args", "by-label", "by-template"]);
    }

    #[test]
    fn templates_run_the_sidecar_unless_opted_out_or_in_a_namespace_without_injection() {
        let mut snapshot = MeshSnapshot::from_yaml(CHART, "shop");
        let workloads = workloads_in(&snapshot, "shop");
        let runs: Vec<bool> = workloads
            .iter()
            .map(|w| w.runs_sidecar(&snapshot))
            .collect();
        // the pod has it; web-v1 opts out; nightly is on the host network
        assert_eq!(runs, vec![true, false, false]);
        snapshot = MeshSnapshot::from_yaml(
            "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {}}}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: plain}
spec: {template: {spec: {}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: unknown}
spec: {template: {spec: {}}}
",
            "shop",
        );
        let runs = |ns| workloads_in(&snapshot, ns)[0].runs_sidecar(&snapshot);
        assert!(runs("shop") && !runs("plain") && runs("unknown"));
    }

    #[test]
    fn only_workload_kinds_count() {
        assert!(is_workload_kind("StatefulSet") && is_workload_kind("Pod"));
        assert!(!is_workload_kind("Service") && !is_workload_kind(""));
    }
}
