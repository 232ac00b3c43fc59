//! Which namespaces an analysis is about: the one named with `-n`, or every namespace (`-A`, and
//! always for files, whose namespaces are whatever the input holds).

use std::collections::BTreeSet;

use crate::snapshot::{MeshSnapshot, kind_of, name_of, namespace_of};

/// Kubernetes' own namespaces: nothing there belongs in the mesh.
pub(super) const SYSTEM_NAMESPACES: [&str; 3] = ["kube-system", "kube-public", "kube-node-lease"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceScope {
    One(String),
    All,
}

impl NamespaceScope {
    /// The namespaces whose own state the rules judge.
    pub fn namespaces(&self, snapshot: &MeshSnapshot) -> Vec<String> {
        match self {
            Self::One(namespace) => vec![namespace.clone()],
            Self::All => {
                let mut names = BTreeSet::new();
                for object in snapshot.objects() {
                    let name = if kind_of(object) == "Namespace" {
                        name_of(object)
                    } else {
                        namespace_of(object)
                    };
                    if !name.is_empty() && !SYSTEM_NAMESPACES.contains(&name) {
                        names.insert(name);
                    }
                }
                names.into_iter().map(str::to_string).collect()
            }
        }
    }
}

/// Kubernetes' own namespaces and Istio's: meshctl never asks to inject or name ports there.
pub fn is_system_namespace(namespace: &str, istio_namespace: &str) -> bool {
    namespace == istio_namespace || SYSTEM_NAMESPACES.contains(&namespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_means_every_namespace_named_or_used_except_kubernetes_own() {
        let snapshot = MeshSnapshot::from_yaml(
            "
apiVersion: v1
kind: Namespace
metadata: {name: empty}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: kube-system}
",
            "default",
        );
        assert_eq!(
            NamespaceScope::All.namespaces(&snapshot),
            vec!["empty", "shop"]
        );
        assert_eq!(
            NamespaceScope::One("x".into()).namespaces(&snapshot),
            vec!["x"]
        );
    }

    #[test]
    fn the_istio_namespace_and_kubernetes_own_are_system_namespaces() {
        assert!(is_system_namespace("istio-system", "istio-system"));
        assert!(is_system_namespace("kube-public", "istio-system"));
        assert!(!is_system_namespace("shop", "istio-system"));
        assert!(!is_system_namespace("istio-system", "mesh"));
    }
}
