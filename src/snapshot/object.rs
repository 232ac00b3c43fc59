//! Accessors over the dynamic objects of a snapshot, and how to reference one of them.

use std::collections::BTreeMap;

use kube::ResourceExt;
use kube::api::DynamicObject;

use super::kinds;
pub use crate::kube::ObjectRef;

/// The kind an object is known by in the snapshot: its `kind`, except the Gateway API's Gateway,
/// which is [`kinds::K8S_GATEWAY_KEY`] so that it is never taken for Istio's Gateway.
pub fn kind_of(obj: &DynamicObject) -> &str {
    let Some(types) = obj.types.as_ref() else {
        return "";
    };
    // Rules call this in every scan of the objects: the group is split off only for a Gateway.
    if types.kind == kinds::K8S_GATEWAY.kind
        && types.api_version.split_once('/').map(|(group, _)| group) == Some(kinds::GATEWAY_API)
    {
        return kinds::K8S_GATEWAY_KEY;
    }
    types.kind.as_str()
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

impl ObjectRef {
    pub fn of(obj: &DynamicObject) -> Self {
        Self {
            kind: kind_of(obj).to_string(),
            namespace: obj.metadata.namespace.clone(),
            name: name_of(obj).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gateway_api_gateway_is_not_taken_for_istios() {
        let snapshot = crate::snapshot::MeshSnapshot::from_yaml(
            "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: istio-gw}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: k8s-gw}
",
            "prod",
        );
        let names = |kind| {
            snapshot
                .of_kind(kind)
                .map(|o| ObjectRef::of(o).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(names("Gateway"), ["Gateway/prod/istio-gw"]);
        assert_eq!(
            names(kinds::K8S_GATEWAY_KEY),
            ["Gateway.gateway.networking.k8s.io/prod/k8s-gw"]
        );
    }

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
