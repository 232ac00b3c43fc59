//! The service registry a route's destination resolves against, indexed once per rule run:
//! Services by FQDN and ServiceEntry hosts (exact, and wildcards by suffix), each with the
//! namespaces it is visible to, and which namespaces the snapshot can judge at all.

use std::collections::{HashMap, HashSet};

use kube::ResourceExt;
use kube::api::DynamicObject;

use crate::analyze::{AnalyzeOptions, NamespaceScope};
use crate::snapshot::json::{array, fqdn, spec, strings};
use crate::snapshot::{MeshSnapshot, holds_workloads, kind_of, name_of, namespace_of};

/// What a destination host names.
#[derive(Debug, PartialEq)]
pub(crate) enum Resolved<'a> {
    /// A Service or ServiceEntry, with the port numbers it exposes.
    Found {
        object: &'a DynamicObject,
        ports: Vec<i64>,
    },
    /// Nothing visible by that name, where the snapshot holds everything that could be.
    Missing,
    /// The snapshot cannot tell (a namespace or kind it did not read, a wildcard).
    Unknown,
}

/// Visible to: every namespace (`None`) or these.
type Visibility = Option<HashSet<String>>;

struct Entry<'a> {
    object: &'a DynamicObject,
    ports: Vec<i64>,
    visible: Visibility,
}

pub(crate) struct Registry<'a> {
    /// Services and ServiceEntry hosts by full name.
    exact: HashMap<String, Vec<Entry<'a>>>,
    /// Wildcard ServiceEntry hosts by the suffix after `*.`.
    wildcards: HashMap<String, Vec<Entry<'a>>>,
    /// Namespaces whose Services the snapshot holds all of.
    namespaces: Namespaces,
    /// Whether every ServiceEntry is in the snapshot, so an external host without one is missing.
    entries_known: bool,
}

enum Namespaces {
    All,
    These(HashSet<String>),
}

impl<'a> Registry<'a> {
    pub(crate) fn of(snapshot: &'a MeshSnapshot, opts: &AnalyzeOptions) -> Self {
        let mut exact: HashMap<String, Vec<Entry<'a>>> = HashMap::new();
        let mut wildcards: HashMap<String, Vec<Entry<'a>>> = HashMap::new();
        let mut seen_entries = false;
        for object in snapshot.objects() {
            match kind_of(object) {
                "Service" => {
                    let ns = namespace_of(object);
                    exact
                        .entry(fqdn(name_of(object), ns))
                        .or_default()
                        .push(Entry {
                            object,
                            ports: numbers(&spec(object)["ports"], "port"),
                            visible: service_visibility(object),
                        });
                }
                "ServiceEntry" => {
                    seen_entries = true;
                    let ns = namespace_of(object);
                    for host in strings(&spec(object)["hosts"]) {
                        let entry = Entry {
                            object,
                            ports: numbers(&spec(object)["ports"], "number"),
                            visible: export_to(&strings(&spec(object)["exportTo"]), ns),
                        };
                        match host.strip_prefix("*.") {
                            Some(suffix) => wildcards.entry(suffix.to_string()).or_default(),
                            None if host.contains('.') => exact.entry(host).or_default(),
                            None => exact.entry(fqdn(&host, ns)).or_default(),
                        }
                        .push(entry);
                    }
                }
                _ => {}
            }
        }
        let unread = |plural: &str| snapshot.unread.iter().any(|u| u.starts_with(plural));
        let namespaces = if snapshot.live {
            if unread("services ") {
                Namespaces::These(HashSet::new())
            } else {
                match &opts.scope {
                    NamespaceScope::All => Namespaces::All,
                    NamespaceScope::One(ns) => Namespaces::These(
                        [ns.clone(), opts.istio_namespace.clone()]
                            .into_iter()
                            .collect(),
                    ),
                }
            }
        } else {
            // Files: a namespace the input deploys into (a Service or a workload) is judged; a
            // reference to a namespace the input never mentions could be to another chart's.
            Namespaces::These(
                snapshot
                    .objects()
                    .iter()
                    .filter(|o| {
                        kind_of(o) == "Service" || holds_workloads(std::slice::from_ref(*o))
                    })
                    .map(|o| namespace_of(o).to_string())
                    .collect(),
            )
        };
        let entries_known = if snapshot.live {
            !unread("serviceentries ")
        } else {
            seen_entries
        };
        Self {
            exact,
            wildcards,
            namespaces,
            entries_known,
        }
    }

    /// What `host`, written in a route of namespace `from`, names.
    pub(crate) fn resolve(&self, host: &str, from: &str) -> Resolved<'a> {
        if host.contains('*') {
            return Resolved::Unknown;
        }
        let full = fqdn(host, from);
        let visible = |e: &&Entry<'a>| e.visible.as_ref().is_none_or(|v| v.contains(from));
        // A ServiceEntry host with a dot is kept as written (`example.com`), not made a
        // cluster name as a route's `name.namespace` is.
        let found = [full.as_str(), host]
            .into_iter()
            .filter_map(|key| self.exact.get(key))
            .find_map(|list| list.iter().find(visible))
            .or_else(|| {
                suffixes(&full)
                    .filter_map(|s| self.wildcards.get(s))
                    .find_map(|list| list.iter().find(visible))
            });
        if let Some(entry) = found {
            return Resolved::Found {
                object: entry.object,
                ports: entry.ports.clone(),
            };
        }
        let judged = match cluster_namespace(&full) {
            Some(ns) => match &self.namespaces {
                Namespaces::All => true,
                Namespaces::These(set) => set.contains(ns),
            },
            None => self.entries_known,
        };
        if judged {
            Resolved::Missing
        } else {
            Resolved::Unknown
        }
    }
}

/// `name.ns.svc.cluster.local` → `ns`.
fn cluster_namespace(full: &str) -> Option<&str> {
    let name = full.strip_suffix(".svc.cluster.local")?;
    let (_, ns) = name.split_once('.')?;
    (!ns.contains('.')).then_some(ns)
}

/// `a.b.c` → `b.c`, `c`: the suffixes a wildcard `*.suffix` could cover.
fn suffixes(host: &str) -> impl Iterator<Item = &str> {
    host.match_indices('.').map(move |(i, _)| &host[i + 1..])
}

fn numbers(ports: &serde_json::Value, field: &str) -> Vec<i64> {
    array(ports)
        .iter()
        .filter_map(|p| p[field].as_i64())
        .collect()
}

/// `exportTo` of a ServiceEntry (or the Service annotation): empty or `*` is everyone, `.` the
/// object's own namespace.
fn export_to(list: &[String], own: &str) -> Visibility {
    if list.is_empty() || list.iter().any(|e| e == "*") {
        return None;
    }
    Some(
        list.iter()
            .map(|e| if e == "." { own.to_string() } else { e.clone() })
            .collect(),
    )
}

fn service_visibility(service: &DynamicObject) -> Visibility {
    let list: Vec<String> = service
        .annotations()
        .get("networking.istio.io/exportTo")
        .map(|a| a.split(',').map(|e| e.trim().to_string()).collect())
        .unwrap_or_default();
    export_to(&list, namespace_of(service))
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{options, snapshot};
    use super::*;

    const INPUT: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
spec: {ports: [{port: 80}, {port: 9090}]}
---
apiVersion: v1
kind: Service
metadata: {name: private, namespace: lib, annotations: {networking.istio.io/exportTo: '.'}}
spec: {ports: [{port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: prod}
spec: {hosts: [api.example.com, '*.cdn.example.com'], ports: [{number: 443, name: https}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: mine, namespace: lib}
spec: {hosts: [only.lib.example.com], exportTo: ['.']}
";

    fn ports(r: Resolved<'_>) -> Option<Vec<i64>> {
        match r {
            Resolved::Found { ports, .. } => Some(ports),
            _ => None,
        }
    }

    #[test]
    fn services_resolve_by_short_name_name_ns_and_fqdn() {
        let s = snapshot(INPUT);
        let registry = Registry::of(&s, &options());
        for host in ["web", "web.prod", "web.prod.svc.cluster.local"] {
            assert_eq!(ports(registry.resolve(host, "prod")), Some(vec![80, 9090]));
        }
        assert_eq!(registry.resolve("web", "lib"), Resolved::Missing);
        assert_eq!(
            registry.resolve("nope.elsewhere", "prod"),
            Resolved::Unknown
        );
    }

    #[test]
    fn service_entries_resolve_exactly_by_wildcard_and_by_export() {
        let s = snapshot(INPUT);
        let registry = Registry::of(&s, &options());
        assert_eq!(
            ports(registry.resolve("api.example.com", "prod")),
            Some(vec![443])
        );
        assert_eq!(
            ports(registry.resolve("img.cdn.example.com", "x")),
            Some(vec![443])
        );
        assert_eq!(
            registry.resolve("cdn.example.com", "prod"),
            Resolved::Missing
        );
        assert!(ports(registry.resolve("only.lib.example.com", "lib")).is_some());
        assert_eq!(
            registry.resolve("only.lib.example.com", "prod"),
            Resolved::Missing
        );
        assert!(ports(registry.resolve("private.lib", "lib")).is_some());
        assert_eq!(registry.resolve("private.lib", "prod"), Resolved::Missing);
        assert_eq!(registry.resolve("*.example.com", "prod"), Resolved::Unknown);
    }

    #[test]
    fn external_hosts_are_judged_only_when_service_entries_could_be_known() {
        let s = snapshot(
            "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
",
        );
        let registry = Registry::of(&s, &options());
        assert_eq!(
            registry.resolve("api.example.com", "prod"),
            Resolved::Unknown
        );
        let mut live = snapshot(
            "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
",
        );
        live.live = true;
        let registry = Registry::of(&live, &options());
        assert_eq!(
            registry.resolve("api.example.com", "prod"),
            Resolved::Missing
        );
        assert_eq!(registry.resolve("other", "prod"), Resolved::Missing);
        assert_eq!(
            registry.resolve("x.istio-system", "prod"),
            Resolved::Missing
        );
        assert_eq!(registry.resolve("x.team", "prod"), Resolved::Unknown);
        live.unread.push("services in prod".into());
        let registry = Registry::of(&live, &options());
        assert_eq!(registry.resolve("other", "prod"), Resolved::Unknown);
    }

    #[test]
    fn suffixes_and_cluster_namespaces() {
        assert_eq!(suffixes("a.b.c").collect::<Vec<_>>(), vec!["b.c", "c"]);
        assert_eq!(
            cluster_namespace("web.prod.svc.cluster.local"),
            Some("prod")
        );
        assert_eq!(cluster_namespace("a.b.prod.svc.cluster.local"), None);
        assert_eq!(cluster_namespace("api.example.com"), None);
    }

    #[test]
    fn a_short_service_entry_host_is_a_name_in_its_own_namespace() {
        let s = snapshot(
            "
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: db, namespace: prod}
spec: {hosts: [db], ports: [{number: 5432, name: tcp}]}
",
        );
        let registry = Registry::of(&s, &options());
        for host in ["db", "db.prod", "db.prod.svc.cluster.local"] {
            assert_eq!(
                ports(registry.resolve(host, "prod")),
                Some(vec![5432]),
                "{host}"
            );
        }
    }

    #[test]
    fn a_two_label_service_entry_host_is_kept_as_written() {
        let s = snapshot(
            "
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: site, namespace: prod}
spec: {hosts: [example.com], ports: [{number: 443, name: https}]}
",
        );
        let registry = Registry::of(&s, &options());
        assert_eq!(
            ports(registry.resolve("example.com", "prod")),
            Some(vec![443])
        );
        // `example.com` is no Kubernetes name: the cluster-local form names something else.
        assert_eq!(
            registry.resolve("example.com.svc.cluster.local", "prod"),
            Resolved::Unknown
        );
    }

    #[test]
    fn from_files_only_namespaces_they_deploy_into_are_judged() {
        let s = snapshot(
            "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: jobs}
spec: {template: {metadata: {labels: {app: worker}}, spec: {containers: [{name: w}]}}}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: team}
spec: {hosts: [api.example.com]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: edge}
spec: {hosts: [web]}
",
        );
        let registry = Registry::of(&s, &options());
        assert_eq!(registry.resolve("other", "prod"), Resolved::Missing);
        assert_eq!(registry.resolve("other.jobs", "prod"), Resolved::Missing);
        // Istio objects alone do not say the namespace's Services are all in the files.
        assert_eq!(registry.resolve("other.team", "prod"), Resolved::Unknown);
        assert_eq!(registry.resolve("other.edge", "prod"), Resolved::Unknown);
    }
}
