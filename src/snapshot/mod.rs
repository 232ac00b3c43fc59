//! One model of the mesh, whether read from the cluster or from YAML files, so that every
//! analyzer serves `health`, `troubleshoot` and pre-merge CI alike.

mod files;
pub mod json;
pub mod kinds;
mod live;

use kube::api::DynamicObject;

pub use files::from_paths;
pub use live::{from_cluster, routing_from_cluster};

#[derive(Debug, Clone, Default)]
pub struct MeshSnapshot {
    /// Every object, with `types` (apiVersion and kind) always set.
    pub objects: Vec<DynamicObject>,
    /// Whether pods, Deployments and Secrets were looked at: from files they may simply be absent,
    /// and analyzers that need them say nothing rather than guess.
    pub has_workloads: bool,
}

impl MeshSnapshot {
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a DynamicObject> + 'a {
        self.objects.iter().filter(move |o| kind_of(o) == kind)
    }

    pub fn in_namespace<'a>(
        &'a self,
        kind: &'a str,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a DynamicObject> + 'a {
        self.of_kind(kind)
            .filter(move |o| namespace_of(o) == namespace)
    }

    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<&DynamicObject> {
        self.objects
            .iter()
            .find(|o| kind_of(o) == kind && namespace_of(o) == namespace && name_of(o) == name)
    }

    pub fn namespace_labels(
        &self,
        namespace: &str,
    ) -> Option<&std::collections::BTreeMap<String, String>> {
        self.objects
            .iter()
            .find(|n| kind_of(n) == "Namespace" && name_of(n) == namespace)
            .map(labels_of)
    }
}

static EMPTY: std::sync::LazyLock<std::collections::BTreeMap<String, String>> =
    std::sync::LazyLock::new(Default::default);

pub fn kind_of(obj: &DynamicObject) -> &str {
    obj.types.as_ref().map_or("", |t| t.kind.as_str())
}

pub fn name_of(obj: &DynamicObject) -> &str {
    obj.metadata.name.as_deref().unwrap_or("")
}

pub fn namespace_of(obj: &DynamicObject) -> &str {
    obj.metadata.namespace.as_deref().unwrap_or("")
}

pub fn labels_of(obj: &DynamicObject) -> &std::collections::BTreeMap<String, String> {
    obj.metadata.labels.as_ref().unwrap_or(&EMPTY)
}

/// `Kind/namespace/name`, the way findings and reports name objects.
pub fn resource_of(obj: &DynamicObject) -> String {
    match obj.metadata.namespace.as_deref() {
        Some(ns) => format!("{}/{ns}/{}", kind_of(obj), name_of(obj)),
        None => format!("{}/{}", kind_of(obj), name_of(obj)),
    }
}

/// A label selector map matches when every pair is among the labels.
pub fn selector_matches(
    selector: &serde_json::Map<String, serde_json::Value>,
    labels: &std::collections::BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| {
        v.as_str()
            .is_some_and(|v| labels.get(k).is_some_and(|l| l == v))
    })
}
