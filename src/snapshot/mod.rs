//! One model of the mesh, whether read from the cluster or from YAML files, so that every
//! analyzer serves `health`, `troubleshoot` and pre-merge CI alike. Owns the object accessors,
//! the one kind table and the JSON readers.

mod activity;
mod error;
mod files;
pub mod json;
pub mod kinds;
mod live;
mod object;
mod walk;
mod workload;

use kube::api::DynamicObject;

pub use activity::{PodActivity, ingress_gateway_activity};
pub use error::{Error, Result};
pub use files::from_paths;
pub use live::{from_cluster, readable_from_cluster, routing_from_cluster};
pub use object::{ObjectRef, kind_of, labels_of, name_of, namespace_of, selector_matches};
pub use workload::{Workload, all_workloads, holds_workloads, selected_workloads, workloads_in};

#[derive(Debug, Clone, Default)]
pub struct MeshSnapshot {
    /// Every object, with `types` (apiVersion and kind) always set.
    pub objects: Vec<DynamicObject>,
    /// Whether pods, Deployments and Secrets were looked at: from files they may simply be absent,
    /// and analyzers that need them say nothing rather than guess.
    pub has_workloads: bool,
    /// Read from the cluster: every Namespace was listed, so one that is absent does not exist.
    pub live: bool,
    /// Lists the identity was not allowed to make (`readable_from_cluster` only): rules that
    /// need those kinds judge without them.
    pub unread: Vec<String>,
    /// Objects read from files without a `metadata.name`, under the name they were given
    /// (`(unnamed: FILE document N)`), so that a finding never names `Kind/ns/`.
    pub unnamed: Vec<ObjectRef>,
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

    /// The object a reference names.
    pub fn get(&self, object: &ObjectRef) -> Option<&DynamicObject> {
        self.objects.iter().find(|o| {
            kind_of(o) == object.kind
                && o.metadata.namespace == object.namespace
                && name_of(o) == object.name
        })
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

    /// A snapshot from YAML text, as `--file` would read it (unit tests of every consumer).
    #[cfg(test)]
    pub fn from_yaml(yaml: &str, default_namespace: &str) -> Self {
        let (objects, unnamed) =
            files::parse(std::path::Path::new("test.yaml"), yaml, default_namespace)
                .expect("test YAML");
        let has_workloads = holds_workloads(&objects);
        Self {
            objects,
            has_workloads,
            live: false,
            unread: Vec::new(),
            unnamed,
        }
    }
}
