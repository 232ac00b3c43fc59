//! One model of the mesh, whether read from the cluster or from YAML files, so that every
//! analyzer serves `health`, `troubleshoot` and pre-merge CI alike. Owns the object accessors,
//! the one kind table and the JSON readers.

mod activity;
mod decode;
mod error;
mod files;
mod index;
pub mod json;
pub mod kinds;
mod live;
mod object;
mod walk;
mod workload;

use kube::api::DynamicObject;

pub use activity::{PodActivity, ingress_gateway_activity};
pub use error::{Error, Place, Result, Source};
pub use files::from_paths;
pub use live::{Listed, from_cluster, readable_lists, routing_from_cluster};
pub use object::{ObjectRef, kind_of, labels_of, name_of, namespace_of, selector_matches};
pub use workload::{Workload, all_workloads, holds_workloads, selected_workloads, workloads_in};

/// Objects with where they come from; built only through [`MeshSnapshot::new`], so the index
/// always covers every object.
#[derive(Debug, Clone, Default)]
pub struct MeshSnapshot {
    /// Every object, with `types` (apiVersion and kind) always set.
    objects: Vec<DynamicObject>,
    index: index::Index,
    /// Whether pods, Deployments and Secrets were looked at: from files they may simply be absent,
    /// and analyzers that need them say nothing rather than guess.
    pub has_workloads: bool,
    /// Read from the cluster: every Namespace was listed, so one that is absent does not exist.
    pub live: bool,
    /// Lists the identity was not allowed to make (`readable_lists` only): rules that
    /// need those kinds judge without them.
    pub unread: Vec<String>,
    /// Objects read from files without a `metadata.name`, under the name they were given
    /// (`(unnamed: FILE document N)`), so that a finding never names `Kind/ns/`.
    pub unnamed: Vec<ObjectRef>,
}

impl MeshSnapshot {
    /// A snapshot of these objects, indexed once; the flags start false and empty.
    pub fn new(objects: Vec<DynamicObject>) -> Self {
        // Indexed where they lie: moving ten thousand objects into a second vector would hold
        // both (several MiB) at the run's peak.
        let mut index = index::Index::default();
        for (position, object) in objects.iter().enumerate() {
            index.add(position, object);
        }
        Self {
            objects,
            index,
            ..Self::default()
        }
    }

    /// Adds one object (and indexes it): tests that build a snapshot up.
    #[cfg(test)]
    pub fn push(&mut self, object: DynamicObject) {
        self.index.add(self.objects.len(), &object);
        self.objects.push(object);
    }

    /// Every object, in the order read.
    pub fn objects(&self) -> &[DynamicObject] {
        &self.objects
    }

    fn at<'a>(&'a self, positions: &'a [usize]) -> impl Iterator<Item = &'a DynamicObject> + 'a {
        positions.iter().map(|&i| &self.objects[i])
    }

    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a DynamicObject> + 'a {
        self.at(self.index.of_kind(kind))
    }

    pub fn in_namespace<'a>(
        &'a self,
        kind: &'a str,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a DynamicObject> + 'a {
        self.at(self.index.in_namespace(kind, namespace))
    }

    pub fn find(&self, kind: &str, namespace: &str, name: &str) -> Option<&DynamicObject> {
        self.index
            .find(kind, namespace, name)
            .map(|i| &self.objects[i])
    }

    /// The object a reference names.
    pub fn get(&self, object: &ObjectRef) -> Option<&DynamicObject> {
        let namespace = object.namespace.as_deref().unwrap_or("");
        let found = self.find(&object.kind, namespace, &object.name)?;
        if found.metadata.namespace == object.namespace {
            return Some(found);
        }
        // `None` and `Some("")` share a key in the index but are not the same reference.
        self.index
            .in_namespace(&object.kind, namespace)
            .iter()
            .map(|&i| &self.objects[i])
            .find(|o| o.metadata.namespace == object.namespace && name_of(o) == object.name)
    }

    pub fn namespace_labels(
        &self,
        namespace: &str,
    ) -> Option<&std::collections::BTreeMap<String, String>> {
        self.index
            .named("Namespace", namespace)
            .map(|i| labels_of(&self.objects[i]))
    }

    /// The DestinationRules whose `host` is this fully qualified name (as written in their
    /// namespace).
    pub fn destination_rules_for_host<'a>(
        &'a self,
        host_fqdn: &str,
    ) -> impl Iterator<Item = &'a DynamicObject> + 'a {
        self.at(self.index.rules_for_host(host_fqdn))
    }

    /// The Service a fully qualified name (`name.namespace.svc.cluster.local`) names.
    pub fn service_by_fqdn(&self, fqdn: &str) -> Option<&DynamicObject> {
        self.index.service(fqdn).map(|i| &self.objects[i])
    }

    /// A snapshot from YAML text, as `--file` would read it (unit tests of every consumer).
    #[cfg(test)]
    pub fn from_yaml(yaml: &str, default_namespace: &str) -> Self {
        let parsed = files::parse(
            &Source::File("test.yaml".into()),
            yaml.as_bytes().to_vec(),
            default_namespace,
        )
        .expect("test YAML");
        files::snapshot(parsed.objects, parsed.unnamed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECTS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: other}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: other}
spec: {host: web.shop}
";

    #[test]
    fn lookups_go_through_the_index_of_every_object() {
        let snapshot = MeshSnapshot::from_yaml(OBJECTS, "prod");
        let names = |s: &MeshSnapshot, ns| -> Vec<String> {
            s.in_namespace("Service", ns)
                .map(|o| name_of(o).to_string())
                .collect()
        };
        assert_eq!(snapshot.of_kind("Service").count(), 3);
        assert_eq!(names(&snapshot, "shop"), ["web", "api"]);
        assert_eq!(
            snapshot.find("Service", "other", "web").map(namespace_of),
            Some("other")
        );
        assert!(snapshot.find("Service", "prod", "web").is_none());
        let shop = ObjectRef::namespace("shop");
        assert!(snapshot.get(&shop).is_some());
        assert_eq!(
            snapshot
                .namespace_labels("shop")
                .and_then(|l| l.get("istio-injection"))
                .map(String::as_str),
            Some("enabled")
        );
        let rules: Vec<&str> = snapshot
            .destination_rules_for_host("web.shop.svc.cluster.local")
            .map(namespace_of)
            .collect();
        assert_eq!(rules, ["other"]);
        let service = snapshot.service_by_fqdn("api.shop.svc.cluster.local");
        assert_eq!(service.map(name_of), Some("api"));
        let mut objects = snapshot.objects().to_vec();
        let mut added = objects[1].clone();
        added.metadata.name = Some("late".into());
        objects.push(added);
        let grown = MeshSnapshot::new(objects);
        assert_eq!(names(&grown, "shop"), ["web", "api", "late"]);
        assert_eq!(
            grown
                .find("Service", "shop", "late")
                .map(|o| ObjectRef::of(o).to_string()),
            Some("Service/shop/late".to_string())
        );
        assert_eq!(grown.objects().len(), 6);
    }
}
