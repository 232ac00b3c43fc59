//! Accessors over the dynamic objects of a snapshot, and the typed reference (`Kind/ns/name`)
//! by which findings and reports name an object.

use std::collections::BTreeMap;

use kube::ResourceExt;
use kube::api::DynamicObject;
use serde::{Serialize, Serializer};

pub fn kind_of(obj: &DynamicObject) -> &str {
    obj.types.as_ref().map_or("", |t| t.kind.as_str())
}

pub fn name_of(obj: &DynamicObject) -> &str {
    obj.metadata.name.as_deref().unwrap_or("")
}

pub fn namespace_of(obj: &DynamicObject) -> &str {
    obj.metadata.namespace.as_deref().unwrap_or("")
}

pub fn labels_of(obj: &DynamicObject) -> &BTreeMap<String, String> {
    obj.labels()
}

/// A label selector map matches when every pair is among the labels.
pub fn selector_matches(
    selector: &serde_json::Map<String, serde_json::Value>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| {
        v.as_str()
            .is_some_and(|v| labels.get(k).is_some_and(|l| l == v))
    })
}

/// Which object something is about. Shown and serialized as `Kind/namespace/name` (or
/// `Kind/name` for cluster-scoped objects), never parsed back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    pub fn of(obj: &DynamicObject) -> Self {
        Self {
            kind: kind_of(obj).to_string(),
            namespace: obj.metadata.namespace.clone(),
            name: name_of(obj).to_string(),
        }
    }

    pub fn namespace(name: &str) -> Self {
        Self {
            kind: "Namespace".into(),
            namespace: None,
            name: name.into(),
        }
    }

    /// The namespace the object belongs to; a Namespace belongs to itself.
    pub fn scope(&self) -> &str {
        match &self.namespace {
            Some(ns) => ns,
            None if self.kind == "Namespace" => &self.name,
            None => "",
        }
    }
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{}/{ns}/{}", self.kind, self.name),
            None => write!(f, "{}/{}", self.kind, self.name),
        }
    }
}

impl Serialize for ObjectRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_reads_and_serializes_as_kind_namespace_name() {
        let pod = ObjectRef {
            kind: "Pod".into(),
            namespace: Some("prod".into()),
            name: "web-1".into(),
        };
        assert_eq!(pod.to_string(), "Pod/prod/web-1");
        assert_eq!(
            serde_json::to_value(&pod).ok(),
            Some(serde_json::json!("Pod/prod/web-1"))
        );
        let ns = ObjectRef::namespace("prod");
        assert_eq!(ns.to_string(), "Namespace/prod");
        assert_eq!((pod.scope(), ns.scope()), ("prod", "prod"));
    }
}
