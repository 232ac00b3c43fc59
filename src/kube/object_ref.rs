//! The typed reference (`Kind/ns/name`) by which findings, reports and errors name an object.

use serde::{Serialize, Serializer};
use serde_json::Value;

/// Which object something is about. Shown and serialized as `Kind/namespace/name` (or
/// `Kind/name` for cluster-scoped objects), never parsed back.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl ObjectRef {
    /// The reference of an object given as JSON (a manifest); `?` for what it lacks.
    pub fn of_json(object: &Value) -> Self {
        let text = |pointer: &str| object.pointer(pointer).and_then(Value::as_str);
        Self {
            kind: text("/kind").unwrap_or("?").to_string(),
            namespace: text("/metadata/namespace").map(str::to_string),
            name: text("/metadata/name").unwrap_or("?").to_string(),
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
    use super::ObjectRef;

    #[test]
    fn a_manifest_is_named_as_kind_namespace_name() {
        let object =
            serde_json::json!({"kind": "Gateway", "metadata": {"name": "gw", "namespace": "prod"}});
        assert_eq!(ObjectRef::of_json(&object).to_string(), "Gateway/prod/gw");
        let cluster = serde_json::json!({"kind": "Namespace", "metadata": {"name": "prod"}});
        assert_eq!(ObjectRef::of_json(&cluster).to_string(), "Namespace/prod");
        assert_eq!(
            ObjectRef::of_json(&serde_json::json!({})).to_string(),
            "?/?"
        );
    }
}
