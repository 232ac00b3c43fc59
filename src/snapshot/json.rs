//! Small readers over the JSON of Istio and Kubernetes objects, for every consumer of a snapshot.

use std::collections::BTreeMap;

use kube::ResourceExt;
use kube::api::DynamicObject;
use serde_json::{Map, Value};

use super::MeshSnapshot;

/// The container Istio injects.
pub use crate::kube::SIDECAR;

pub fn spec(obj: &DynamicObject) -> &Value {
    &obj.data["spec"]
}

pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn array(value: &Value) -> &[Value] {
    value.as_array().map(Vec::as_slice).unwrap_or(&[])
}

pub fn match_labels(value: &Value) -> Option<&Map<String, Value>> {
    value.as_object().filter(|m| !m.is_empty())
}

/// The fully qualified form of a service host as written in `namespace`.
pub fn fqdn(host: &str, namespace: &str) -> String {
    match host.split('.').count() {
        1 => format!("{host}.{namespace}.svc.cluster.local"),
        2 => format!("{host}.svc.cluster.local"),
        _ => host.to_string(),
    }
}

/// Does a host pattern (`*`, `*.example.com`, `a.example.com`) match a host?
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.split_once('/').map_or(pattern, |(_, h)| h);
    if pattern == "*" || pattern == host {
        return true;
    }
    match (pattern.strip_prefix("*."), host.strip_prefix("*.")) {
        (Some(suffix), None) => host.ends_with(&format!(".{suffix}")),
        (Some(suffix), Some(other)) => other == suffix || other.ends_with(&format!(".{suffix}")),
        _ => false,
    }
}

pub fn pods_in<'a>(
    snapshot: &'a MeshSnapshot,
    namespace: &'a str,
) -> impl Iterator<Item = &'a DynamicObject> + 'a {
    snapshot.in_namespace("Pod", namespace).filter(|p| {
        !matches!(
            p.data.pointer("/status/phase").and_then(Value::as_str),
            Some("Succeeded" | "Failed")
        )
    })
}

/// The image of the injected sidecar: a container, or a native sidecar (an init container) on
/// newer Istio.
pub fn sidecar_image(pod: &DynamicObject) -> Option<&str> {
    sidecar_image_in(&pod.data["spec"])
}

/// [`sidecar_image`] of a pod spec (a Pod's, or a pod template's).
pub fn sidecar_image_in(spec: &Value) -> Option<&str> {
    array(&spec["containers"])
        .iter()
        .chain(array(&spec["initContainers"]))
        .find(|c| c["name"] == SIDECAR)
        .map(|c| c["image"].as_str().unwrap_or(""))
}

pub fn has_sidecar(pod: &DynamicObject) -> bool {
    sidecar_image(pod).is_some()
}

/// `sidecar.istio.io/inject=false` as a label or an annotation.
pub fn opted_out(pod: &DynamicObject) -> bool {
    opts_out(pod.labels(), pod.annotations())
}

/// [`opted_out`] from the labels and annotations themselves (a pod's, or a template's).
pub fn opts_out(labels: &BTreeMap<String, String>, annotations: &BTreeMap<String, String>) -> bool {
    let says_false = |m: &BTreeMap<String, String>| {
        m.get("sidecar.istio.io/inject")
            .is_some_and(|v| v == "false")
    };
    says_false(labels) || says_false(annotations)
}

/// A namespace labelled for sidecar injection (`istio-injection=enabled`, or a revision).
pub fn injection_enabled(labels: &BTreeMap<String, String>) -> bool {
    labels
        .get("istio-injection")
        .is_some_and(|v| v == "enabled")
        || labels.contains_key("istio.io/rev")
}

/// The Deployment that owns a pod, through its ReplicaSet's name.
pub fn owner_deployment(pod: &DynamicObject) -> Option<String> {
    let owner = pod
        .metadata
        .owner_references
        .as_ref()?
        .iter()
        .find(|o| o.kind == "ReplicaSet")?;
    owner
        .name
        .rsplit_once('-')
        .map(|(deployment, _)| deployment.to_string())
}

/// The tag of an image reference (`latest` when it has none).
pub fn image_tag(image: &str) -> &str {
    image.rsplit_once(':').map_or("latest", |(_, tag)| tag)
}

/// The TLS Secrets a Gateway's servers name (`tls.credentialName`).
pub fn credential_names(gateway: &DynamicObject) -> Vec<String> {
    array(&spec(gateway)["servers"])
        .iter()
        .flat_map(server_credentials)
        .collect()
}

/// Every `credentialName` of a server's TLS settings (`credentialName` and the newer
/// `credentialNames` list).
pub fn server_credentials(server: &Value) -> Vec<String> {
    let tls = &server["tls"];
    let mut names = strings(&tls["credentialNames"]);
    if let Some(name) = tls["credentialName"].as_str() {
        names.insert(0, name.to_string());
    }
    names
}

/// The namespaces of the Pods among `objects` that a Gateway's `spec.selector` picks: where the
/// gateway runs, and so where Istio reads its `credentialName` Secrets.
pub fn gateway_pod_namespaces(objects: &[DynamicObject], gateway: &DynamicObject) -> Vec<String> {
    let Some(selector) = match_labels(&spec(gateway)["selector"]) else {
        return Vec::new();
    };
    let mut namespaces: Vec<String> = objects
        .iter()
        .filter(|o| super::kind_of(o) == "Pod")
        .filter(|pod| super::selector_matches(selector, pod.labels()))
        .map(|pod| super::namespace_of(pod).to_string())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    namespaces
}

/// istiod's `ResolvedWaypoints` messages on a route that say the route is ignored (no waypoint
/// for its Service in ambient): istiod keeps the condition True and says so only in the message.
pub fn route_not_respected(route: &DynamicObject) -> Vec<String> {
    array(&route.data["status"]["parents"])
        .iter()
        .flat_map(|p| array(&p["conditions"]).iter())
        .filter(|c| c["type"].as_str() == Some("ResolvedWaypoints"))
        .filter_map(|c| c["message"].as_str())
        .filter(|m| m.contains("will not be respected"))
        .map(str::to_string)
        .collect()
}
