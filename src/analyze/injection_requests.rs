//! Workloads whose wish for a sidecar the injector never sees: a `sidecar.istio.io/inject=true`
//! label in a namespace that switched injection off, and `image: auto` (the gateway pattern)
//! where nothing injects.

use std::collections::{BTreeMap, HashMap, HashSet};

use kube::api::DynamicObject;
use serde_json::Value;

use super::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{SIDECAR, array};
use crate::snapshot::{
    MeshSnapshot, all_workloads, labels_of, name_of, namespace_of, workloads_in,
};

/// The pod label (never the annotation: webhooks select on labels) that asks for injection.
const INJECT: &str = "sidecar.istio.io/inject";

/// Would Istio's injection webhooks (the default revision's four selectors) send a pod with these
/// labels to the injector in a namespace with those?
pub(super) fn targeted(
    namespace: &BTreeMap<String, String>,
    pod: &BTreeMap<String, String>,
) -> bool {
    let pod_says = pod.get(INJECT).map(String::as_str);
    if pod_says == Some("false") {
        return false;
    }
    match (
        namespace.get("istio-injection").map(String::as_str),
        namespace.contains_key("istio.io/rev"),
    ) {
        (Some("enabled"), _) => true,
        (Some(_), _) => false,
        (None, true) => true,
        (None, false) => pod_says == Some("true") || pod.contains_key("istio.io/rev"),
    }
}

/// An `istio-proxy` container whose image is `auto`: the injector fills it in, or nothing does.
fn has_auto_image(spec: &Value) -> bool {
    array(&spec["containers"])
        .iter()
        .any(|c| c["name"] == SIDECAR && c["image"] == "auto")
}

/// The labels of every Namespace the snapshot holds, in one pass.
fn namespace_labels(snapshot: &MeshSnapshot) -> HashMap<&str, &BTreeMap<String, String>> {
    snapshot
        .of_kind("Namespace")
        .map(|n| (name_of(n), labels_of(n)))
        .collect()
}

pub(super) fn injection_refused(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let labels = namespace_labels(snapshot);
    let mut findings = Vec::new();
    for namespace in opts.namespaces(snapshot) {
        // Only namespaces that switched injection off are read further.
        let Some(value) = labels
            .get(namespace.as_str())
            .and_then(|l| l.get("istio-injection"))
            .filter(|v| *v != "enabled")
        else {
            continue;
        };
        for workload in workloads_in(snapshot, &namespace) {
            if workload.labels.get(INJECT).is_some_and(|v| v == "true") {
                findings.push(Finding::new(
                    Code::Mesh0211,
                    workload.object,
                    format!("asks for a sidecar ({INJECT}=true) but namespace {namespace} has istio-injection={value}, which wins: its pods start without istio-proxy"),
                    format!("kubectl label namespace {namespace} istio-injection=enabled --overwrite, or remove the label (kubectl label namespace {namespace} istio-injection-) so the pod label decides"),
                ));
            }
        }
    }
    findings
}

pub(super) fn image_auto(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let labels = namespace_labels(snapshot);
    let scoped: HashSet<String> = opts.namespaces(snapshot).into_iter().collect();
    let mut findings = Vec::new();
    let mut templates: Vec<(&DynamicObject, BTreeMap<String, String>)> = Vec::new();
    for workload in all_workloads(snapshot) {
        let namespace = namespace_of(workload.object);
        if !scoped.contains(namespace) || !has_auto_image(workload.spec) {
            continue;
        }
        if snapshot.live {
            // A running pod that still says `auto` was never injected and cannot start.
            findings.push(Finding::new(
                Code::Mesh0212,
                workload.object,
                "runs istio-proxy with image: auto, which only the injector replaces: it was not injected, so the image cannot be pulled".into(),
                format!("enable injection (kubectl label namespace {namespace} istio-injection=enabled) and recreate the pod"),
            ));
        } else {
            templates.push((workload.object, workload.labels));
        }
    }
    if snapshot.live {
        // Live workloads are pods; the Deployments that will create more are judged too.
        for deployment in snapshot.of_kind("Deployment") {
            let template = &deployment.data["spec"]["template"];
            if scoped.contains(namespace_of(deployment)) && has_auto_image(&template["spec"]) {
                let labels = serde_json::from_value(template["metadata"]["labels"].clone())
                    .unwrap_or_default();
                templates.push((deployment, labels));
            }
        }
    }
    for (object, pod_labels) in templates {
        let namespace = namespace_of(object);
        // Files that do not hold the Namespace cannot tell whether it is injected.
        let Some(ns_labels) = labels.get(namespace) else {
            continue;
        };
        if !targeted(ns_labels, &pod_labels) {
            findings.push(Finding::new(
                Code::Mesh0213,
                object,
                format!("uses image: auto for istio-proxy, but neither namespace {namespace} nor its pod labels select it for injection: its pods will fail to pull the image"),
                format!("kubectl label namespace {namespace} istio-injection=enabled, or label the pod template {INJECT}=true"),
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, snapshot};
    use super::super::{AnalyzeOptions, Code, NamespaceScope, Severity};
    use super::*;

    fn all() -> AnalyzeOptions {
        AnalyzeOptions {
            scope: NamespaceScope::All,
            ..super::super::testing::options()
        }
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_webhooks_decide_by_namespace_label_first_then_pod_label() {
        let enabled = labels(&[("istio-injection", "enabled")]);
        let disabled = labels(&[("istio-injection", "disabled")]);
        let revision = labels(&[("istio.io/rev", "default")]);
        let none = labels(&[]);
        let yes = labels(&[(INJECT, "true")]);
        let no = labels(&[(INJECT, "false")]);
        let pod_revision = labels(&[("istio.io/rev", "default")]);
        assert!(targeted(&enabled, &none) && !targeted(&enabled, &no));
        assert!(!targeted(&disabled, &yes) && !targeted(&disabled, &none));
        assert!(targeted(&revision, &none) && !targeted(&revision, &no));
        assert!(!targeted(&none, &none) && targeted(&none, &yes));
        assert!(targeted(&none, &pod_revision) && !targeted(&none, &no));
    }

    const NAMESPACES: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: closed, labels: {istio-injection: disabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: open, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
";

    #[test]
    fn mesh0211_a_pod_label_asks_for_what_the_namespace_refuses() {
        let s = snapshot(&format!(
            "{NAMESPACES}---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: closed}}
spec: {{template: {{metadata: {{labels: {{sidecar.istio.io/inject: 'true'}}}}}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: fine, namespace: open}}
spec: {{template: {{metadata: {{labels: {{sidecar.istio.io/inject: 'true'}}}}}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: also-fine, namespace: plain}}
spec: {{template: {{metadata: {{labels: {{sidecar.istio.io/inject: 'true'}}}}}}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: quiet, namespace: closed}}
spec: {{template: {{metadata: {{labels: {{app: quiet}}}}}}}}
"
        ));
        let found = injection_refused(&s, &all());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0211,
                Severity::Warning,
                "Deployment/closed/web".into()
            )]
        );
        assert!(found[0].message.contains("istio-injection=disabled"));
    }

    fn auto(namespace: &str, name: &str, labels: &str) -> String {
        format!(
            "---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec: {{template: {{metadata: {{labels: {{{labels}}}}}, spec: {{containers: [{{name: istio-proxy, image: auto}}]}}}}}}
"
        )
    }

    #[test]
    fn mesh0213_image_auto_where_nothing_injects() {
        let s = snapshot(&format!(
            "{NAMESPACES}{}{}{}{}{}",
            auto("plain", "gw", "istio: ingressgateway"),
            auto("plain", "asked", "sidecar.istio.io/inject: 'true'"),
            auto("open", "injected", "istio: ingressgateway"),
            auto("closed", "refused", "sidecar.istio.io/inject: 'true'"),
            auto("unknown", "unknowable", "app: x"),
        ));
        let found: Vec<String> = image_auto(&s, &all())
            .iter()
            .map(|f| format!("{} {}", f.code, f.resource))
            .collect();
        assert_eq!(
            found,
            vec![
                "MESH0213 Deployment/closed/refused",
                "MESH0213 Deployment/plain/gw"
            ]
        );
    }

    #[test]
    fn mesh0212_a_live_pod_still_saying_auto_and_live_deployments_judged_as_templates() {
        let mut s = snapshot(&format!(
            "{NAMESPACES}{}{}---
apiVersion: v1
kind: Pod
metadata: {{name: gw-1, namespace: plain}}
spec: {{containers: [{{name: istio-proxy, image: auto}}]}}
---
apiVersion: v1
kind: Pod
metadata: {{name: gw-2, namespace: open}}
spec: {{containers: [{{name: istio-proxy, image: 'proxyv2:1.31.0'}}]}}
",
            auto("plain", "gw", "app: gw"),
            auto("open", "fine", "app: gw"),
        ));
        s.live = true;
        let found: Vec<String> = image_auto(&s, &all())
            .iter()
            .map(|f| format!("{} {} {}", f.code, f.severity, f.resource))
            .collect();
        assert_eq!(
            found,
            vec![
                "MESH0212 error Pod/plain/gw-1",
                "MESH0213 warning Deployment/plain/gw"
            ]
        );
    }
}
