//! Workload state: an index of every workload by label for the rules that select them, and on a
//! live cluster Deployments short of ready replicas (with the reason) and proxies injected by
//! another control-plane version than the running istiod.

use std::collections::{BTreeSet, HashMap};

use kube::api::DynamicObject;
use serde_json::{Map, Value};

use super::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, image_tag, pods_in, sidecar_image};
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

/// Ready replicas fall short of the wanted ones, with the reason the controllers give. Only on a
/// live snapshot: Deployments in files have no status.
pub(super) fn unavailable(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    if !snapshot.live {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for ns in opts.namespaces(snapshot) {
        let mut newest: HashMap<&str, &DynamicObject> = HashMap::new();
        for rs in snapshot.in_namespace("ReplicaSet", &ns) {
            let Some(owner) = owner_of(rs, "Deployment") else {
                continue;
            };
            let entry = newest.entry(owner).or_insert(rs);
            if revision(rs) > revision(entry) {
                *entry = rs;
            }
        }
        for deployment in snapshot.in_namespace("Deployment", &ns) {
            let desired = deployment.data["spec"]["replicas"].as_i64().unwrap_or(1);
            let ready = deployment.data["status"]["readyReplicas"]
                .as_i64()
                .unwrap_or(0);
            if ready >= desired {
                continue;
            }
            let name = name_of(deployment);
            let why = reason(deployment, newest.get(name).copied());
            let because = why.as_ref().map_or(String::new(), |(kind, message)| {
                format!(": {kind}: {message}")
            });
            let fix = match why.map(|(kind, _)| kind) {
                Some(Blocker::Quota) => format!("raise the ResourceQuota (kubectl -n {ns} describe resourcequota) or lower the pods' requests/limits, the sidecar's included"),
                Some(Blocker::LimitRange) => format!("fit the containers, the sidecar included, into the LimitRange (kubectl -n {ns} describe limitrange)"),
                Some(Blocker::Webhook) => "read the webhook's message above and change the pod template it refuses, or the webhook's configuration".into(),
                Some(Blocker::Policy) => "change the pod template to satisfy the admission policy named above".into(),
                Some(Blocker::Other) | None => format!("kubectl -n {ns} describe deployment {name}; kubectl -n {ns} get events --field-selector type=Warning"),
            };
            findings.push(Finding::new(
                Code::Mesh0210,
                deployment,
                format!("has {ready}/{desired} replicas ready: its Service answers with fewer pods, or not at all{because}"),
                fix,
            ));
        }
    }
    findings
}

/// What keeps pods from being created, as told by a `ReplicaFailure` condition's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blocker {
    Quota,
    LimitRange,
    Webhook,
    Policy,
    Other,
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Quota => "a ResourceQuota refuses its pods",
            Self::LimitRange => "a LimitRange refuses its pods",
            Self::Webhook => "an admission webhook denies its pods",
            Self::Policy => "an admission policy denies its pods",
            Self::Other => "its pods cannot be created",
        })
    }
}

fn classify(message: &str) -> Blocker {
    if message.contains("exceeded quota")
        || message.contains("must specify")
        || message.contains("for quota")
    {
        Blocker::Quota
    } else if message.contains("usage per Container")
        || message.contains("usage per Pod")
        || message.contains("LimitRange")
    {
        Blocker::LimitRange
    } else if message.contains("admission webhook") {
        Blocker::Webhook
    } else if message.contains("ValidatingAdmissionPolicy") {
        Blocker::Policy
    } else {
        Blocker::Other
    }
}

/// The `ReplicaFailure` condition of the Deployment, else of its newest ReplicaSet (the
/// Deployment copies it only once its progress deadline passes).
fn reason(deployment: &DynamicObject, newest: Option<&DynamicObject>) -> Option<(Blocker, String)> {
    let failure = |object: &DynamicObject| -> Option<String> {
        array(&object.data["status"]["conditions"])
            .iter()
            .find(|c| c["type"] == "ReplicaFailure" && c["status"] == "True")
            .map(|c| c["message"].as_str().unwrap_or("").to_string())
    };
    let message = failure(deployment).or_else(|| newest.and_then(failure))?;
    Some((classify(&message), message))
}

/// The controller of this kind that owns an object.
fn owner_of<'a>(object: &'a DynamicObject, kind: &str) -> Option<&'a str> {
    object
        .metadata
        .owner_references
        .as_ref()?
        .iter()
        .find(|o| o.kind == kind)
        .map(|o| o.name.as_str())
}

/// A ReplicaSet's rollout revision (the Deployment controller's annotation).
fn revision(rs: &DynamicObject) -> i64 {
    rs.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("deployment.kubernetes.io/revision"))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
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

    #[test]
    fn mesh0210_names_the_reason_from_the_deployment_or_its_newest_replica_set() {
        let mut s = snapshot(
            r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: quota, namespace: prod}
spec: {replicas: 4}
status:
  readyReplicas: 3
  conditions:
  - {type: Available, status: "True"}
  - {type: ReplicaFailure, status: "True", reason: FailedCreate, message: 'pods "quota-x" is forbidden: exceeded quota: q, requested: requests.cpu=300m, used: requests.cpu=900m, limited: requests.cpu=1'}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: limits, namespace: prod}
spec: {replicas: 1}
status: {conditions: [{type: Progressing, status: "True"}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: limits-old
  namespace: prod
  annotations: {deployment.kubernetes.io/revision: "1"}
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: limits, uid: u}]
status: {conditions: [{type: ReplicaFailure, status: "True", message: 'admission webhook "x" denied the request'}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: limits-new
  namespace: prod
  annotations: {deployment.kubernetes.io/revision: "2"}
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: limits, uid: u}]
status: {conditions: [{type: ReplicaFailure, status: "True", message: 'pods "limits-y" is forbidden: maximum cpu usage per Container is 1, but limit is 2'}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: plain, namespace: prod}
spec: {replicas: 1}
status: {conditions: [{type: ReplicaFailure, status: "False", message: 'exceeded quota'}]}
"#,
        );
        s.live = true;
        let found = unavailable(&s, &options());
        let by_name = |name: &str| {
            found
                .iter()
                .find(|f| f.resource.name == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        let quota = by_name("quota");
        assert!(quota.message.contains("3/4"));
        assert!(
            quota.message.contains(
                "a ResourceQuota refuses its pods: pods \"quota-x\" is forbidden: exceeded quota: q"
            ),
            "{}",
            quota.message
        );
        assert!(quota.fix.contains("ResourceQuota"), "{}", quota.fix);
        let limits = by_name("limits");
        assert!(
            limits
                .message
                .contains("a LimitRange refuses its pods: pods \"limits-y\""),
            "{}",
            limits.message
        );
        assert!(limits.fix.contains("LimitRange"));
        let plain = by_name("plain");
        assert!(
            plain.message.ends_with("or not at all"),
            "{}",
            plain.message
        );
        assert!(plain.fix.contains("describe deployment plain"));
    }

    #[test]
    fn what_blocks_pods_is_told_by_the_message() {
        assert_eq!(classify("exceeded quota: q"), Blocker::Quota);
        assert_eq!(classify("must specify limits.cpu for: app"), Blocker::Quota);
        assert_eq!(
            classify("minimum memory usage per Pod is 1Gi"),
            Blocker::LimitRange
        );
        assert_eq!(
            classify("maximum cpu usage per Container is 1"),
            Blocker::LimitRange
        );
        assert_eq!(
            classify("admission webhook \"deny.example.com\" denied the request: no"),
            Blocker::Webhook
        );
        assert_eq!(
            classify("ValidatingAdmissionPolicy 'p' with binding 'b' denied request"),
            Blocker::Policy
        );
        assert_eq!(classify("something else"), Blocker::Other);
    }
}
