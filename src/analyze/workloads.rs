//! Workload state: an index of every workload by label for the rules that select them, and on a
//! live cluster Deployments short of ready replicas (with the reason) and proxies injected by
//! another control-plane version than the running istiod.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{image_tag, pods_in, sidecar_image};
use crate::snapshot::{MeshSnapshot, ObjectRef, Workload, all_workloads, name_of, namespace_of};

/// Every workload of a snapshot, indexed by namespace and by `key=value` label, built once per
/// rule run so that matching selectors against workloads is not quadratic.
pub(crate) struct WorkloadIndex<'a> {
    workloads: Vec<Workload<'a>>,
    by_namespace: HashMap<&'a str, Vec<usize>>,
    /// `(namespace, key, value)` → workloads with that label.
    by_label: HashMap<(&'a str, String, String), Vec<usize>>,
}

impl<'a> WorkloadIndex<'a> {
    pub(crate) fn new(snapshot: &'a MeshSnapshot) -> Self {
        let workloads = all_workloads(snapshot);
        let mut by_namespace: HashMap<&'a str, Vec<usize>> = HashMap::new();
        let mut by_label: HashMap<(&'a str, String, String), Vec<usize>> = HashMap::new();
        for (index, workload) in workloads.iter().enumerate() {
            let namespace = namespace_of(workload.object);
            by_namespace.entry(namespace).or_default().push(index);
            for (key, value) in &workload.labels {
                by_label
                    .entry((namespace, key.clone(), value.clone()))
                    .or_default()
                    .push(index);
            }
        }
        Self {
            workloads,
            by_namespace,
            by_label,
        }
    }

    /// Does the namespace hold any workload at all (else a selector cannot be judged there)?
    pub(crate) fn has_namespace(&self, namespace: &str) -> bool {
        self.by_namespace.contains_key(namespace)
    }

    /// The namespaces that hold workloads.
    pub(crate) fn namespaces(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.by_namespace.keys().copied()
    }

    /// The workloads of `namespace` every pair of `selector` matches (all of them for an empty
    /// selector). Starts from the label with the fewest workloads.
    pub(crate) fn matching(
        &self,
        namespace: &str,
        selector: &Map<String, Value>,
    ) -> Vec<&Workload<'a>> {
        let mut candidates: Option<&Vec<usize>> = self.by_namespace.get(namespace);
        for (key, value) in selector {
            let Some(value) = value.as_str() else {
                return Vec::new();
            };
            let posting = self
                .by_label
                .get(&(namespace, key.clone(), value.to_string()));
            match posting {
                None => return Vec::new(),
                Some(p) if candidates.is_none_or(|c| p.len() < c.len()) => candidates = Some(p),
                Some(_) => {}
            }
        }
        candidates
            .map(|c| {
                c.iter()
                    .map(|&i| &self.workloads[i])
                    .filter(|w| w.matches(selector))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The control plane's Deployment in the Istio namespace.
const ISTIOD: &str = "istiod";

/// The image of the running istiod, when the snapshot holds it.
pub fn istiod_version<'a>(snapshot: &'a MeshSnapshot, opts: &AnalyzeOptions) -> Option<&'a str> {
    let istiod = snapshot.find("Deployment", &opts.istio_namespace, ISTIOD)?;
    istiod.data["spec"]["template"]["spec"]["containers"][0]["image"].as_str()
}

pub(super) fn proxy_versions(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let Some(image) = istiod_version(snapshot, opts) else {
        return Vec::new();
    };
    opts.namespaces(snapshot)
        .iter()
        .flat_map(|ns| proxy_versions_in(snapshot, ns, image))
        .collect()
}

fn proxy_versions_in(snapshot: &MeshSnapshot, ns: &str, image: &str) -> Option<Finding> {
    let control = image_tag(image);
    let mut versions = BTreeSet::new();
    let mut pods = Vec::new();
    for pod in pods_in(snapshot, ns) {
        if let Some(tag) = sidecar_image(pod).map(image_tag).filter(|t| *t != control) {
            versions.insert(tag.to_string());
            pods.push(name_of(pod));
        }
    }
    if pods.is_empty() {
        return None;
    }
    Some(Finding::about(
        Code::Mesh0209,
        ObjectRef::namespace(ns),
        format!(
            "istiod at {control}, proxies at {} (pods {}): they were injected by another control-plane version",
            versions.into_iter().collect::<Vec<_>>().join(", "),
            pods.join(", ")
        ),
        format!(
            "restart the workloads so they pick up the current proxy: kubectl -n {ns} rollout restart deployment"
        ),
    ))
}

/// Ready replicas fall short of the wanted ones. Only on a live snapshot: Deployments in files
/// have no status.
pub(super) fn unavailable(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    if !snapshot.live {
        return Vec::new();
    }
    let namespaces = opts.namespaces(snapshot);
    namespaces
        .iter()
        .flat_map(|ns| snapshot.in_namespace("Deployment", ns).map(move |d| (ns, d)))
        .filter_map(|(ns, deployment)| {
            let desired = deployment.data["spec"]["replicas"].as_i64().unwrap_or(1);
            let ready = deployment.data["status"]["readyReplicas"]
                .as_i64()
                .unwrap_or(0);
            (ready < desired).then(|| {
                let name = name_of(deployment);
                Finding::new(
                    Code::Mesh0210,
                    deployment,
                    format!("has {ready}/{desired} replicas ready: its Service answers with fewer pods, or not at all"),
                    format!("kubectl -n {ns} describe deployment {name}; kubectl -n {ns} get events --field-selector type=Warning"),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, options, snapshot};
    use super::super::{Code, Severity};
    use super::*;

    const PODS: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec: {template: {spec: {containers: [{name: discovery, image: 'docker.io/istio/pilot:1.32.0'}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: old, namespace: prod}
spec: {containers: [{name: app}, {name: istio-proxy, image: 'docker.io/istio/proxyv2:1.31.0'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: new, namespace: prod}
spec: {containers: [{name: app}, {name: istio-proxy, image: 'docker.io/istio/proxyv2:1.32.0'}]}
";

    #[test]
    fn mesh0209_proxies_at_another_version_than_istiod() {
        let found = proxy_versions(&snapshot(PODS), &options());
        assert_eq!(
            codes(&found),
            vec![(Code::Mesh0209, Severity::Warning, "Namespace/prod".into())]
        );
        assert!(
            found[0]
                .message
                .starts_with("istiod at 1.32.0, proxies at 1.31.0 (pods old)"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn mesh0210_short_deployments_only_on_a_live_snapshot() {
        let mut s = snapshot(
            "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec: {replicas: 2}
status: {readyReplicas: 1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ok, namespace: prod}
spec: {replicas: 1}
status: {readyReplicas: 1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: scaled-down, namespace: prod}
spec: {replicas: 0}
status: {}
",
        );
        assert!(
            unavailable(&s, &options()).is_empty(),
            "files have no status"
        );
        s.live = true;
        let found = unavailable(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0210,
                Severity::Error,
                "Deployment/prod/web".into()
            )]
        );
        assert!(found[0].message.contains("1/2"));
    }
}
