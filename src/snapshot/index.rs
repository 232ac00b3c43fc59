//! Where each object of a snapshot sits, by kind, namespace and name (and DestinationRules by
//! the host they configure, Services by their full name), built once so that a rule's lookup costs no scan of every object:
//! ten thousand objects, each looking up a few others, stay linear.

use std::collections::HashMap;

use kube::api::DynamicObject;

use super::json::{fqdn, spec};
use super::{kind_of, name_of, namespace_of};

/// Positions into the snapshot's objects, in their order.
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    kinds: HashMap<String, KindIndex>,
    /// DestinationRules by the fully qualified host they name.
    rules_by_host: HashMap<String, Vec<usize>>,
    /// Services by their fully qualified name (`name.namespace.svc.cluster.local`).
    services: HashMap<String, usize>,
}

#[derive(Debug, Clone, Default)]
struct KindIndex {
    all: Vec<usize>,
    /// The first object of the kind with that name, whatever its namespace (Namespaces).
    names: HashMap<String, usize>,
    namespaces: HashMap<String, NamespaceIndex>,
}

#[derive(Debug, Clone, Default)]
struct NamespaceIndex {
    all: Vec<usize>,
    /// The first object with that name (a second one is a duplicate a rule reports).
    names: HashMap<String, usize>,
}

impl Index {
    pub(super) fn add(&mut self, position: usize, object: &DynamicObject) {
        let kind = self.kinds.entry(kind_of(object).to_string()).or_default();
        kind.all.push(position);
        kind.names
            .entry(name_of(object).to_string())
            .or_insert(position);
        let namespace = kind
            .namespaces
            .entry(namespace_of(object).to_string())
            .or_default();
        namespace.all.push(position);
        namespace
            .names
            .entry(name_of(object).to_string())
            .or_insert(position);
        match kind_of(object) {
            "DestinationRule" => {
                if let Some(host) = spec(object)["host"].as_str() {
                    self.rules_by_host
                        .entry(fqdn(host, namespace_of(object)))
                        .or_default()
                        .push(position);
                }
            }
            "Service" => {
                self.services
                    .entry(fqdn(name_of(object), namespace_of(object)))
                    .or_insert(position);
            }
            _ => {}
        }
    }

    pub(super) fn of_kind(&self, kind: &str) -> &[usize] {
        self.kinds.get(kind).map_or(&[], |k| k.all.as_slice())
    }

    pub(super) fn in_namespace(&self, kind: &str, namespace: &str) -> &[usize] {
        self.kinds
            .get(kind)
            .and_then(|k| k.namespaces.get(namespace))
            .map_or(&[], |n| n.all.as_slice())
    }

    pub(super) fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<usize> {
        let namespace = self.kinds.get(kind)?.namespaces.get(namespace)?;
        namespace.names.get(name).copied()
    }

    pub(super) fn named(&self, kind: &str, name: &str) -> Option<usize> {
        self.kinds.get(kind)?.names.get(name).copied()
    }

    pub(super) fn service(&self, fqdn: &str) -> Option<usize> {
        self.services.get(fqdn).copied()
    }

    pub(super) fn rules_for_host(&self, host_fqdn: &str) -> &[usize] {
        self.rules_by_host.get(host_fqdn).map_or(&[], Vec::as_slice)
    }
}
