//! ztunnel and istio-cni: a DaemonSet each in the Istio namespace, whose pods must be ready on
//! every schedulable Linux node, since a pod of an ambient namespace on a node without them is
//! outside the mesh (no redirection, no mTLS).

use std::collections::BTreeSet;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use kube::api::DynamicObject;

use crate::checks::{Check, CheckSpec};
use crate::snapshot::{MeshSnapshot, name_of};

/// What the wave read for these checks; a read that failed keeps the API server's words.
pub(crate) type Read<T> = Result<T, String>;

/// One DaemonSet's judgement: found, its status counted, and (when the nodes are readable) each
/// schedulable Linux node holding a ready pod of it.
pub(super) fn judge(
    spec: &CheckSpec,
    istio_ns: &str,
    name: &str,
    daemon_sets: &Read<Vec<DaemonSet>>,
    nodes: &Read<Vec<Node>>,
    pods: &[&DynamicObject],
) -> Check {
    let daemon_sets = match daemon_sets {
        Ok(found) => found,
        Err(e) => return spec.skip(format!("DaemonSets in {istio_ns} not readable: {e}")),
    };
    let Some(daemon_set) = daemon_sets
        .iter()
        .find(|d| d.metadata.name.as_deref() == Some(name))
    else {
        return spec
            .fail(format!(
                "no DaemonSet {istio_ns}/{name}: ambient mode is not installed, so no pod of this namespace is in the mesh"
            ))
            .with_hint("install the ambient profile: meshctl install --profile ambient");
    };
    let status = daemon_set.status.clone().unwrap_or_default();
    let (desired, ready) = (status.desired_number_scheduled, status.number_ready);
    let mut problems = Vec::new();
    if desired == 0 {
        problems.push("no pod scheduled".to_string());
    } else if ready < desired {
        let unready: Vec<String> = pods
            .iter()
            .filter(|p| !pod_ready(p))
            .map(|p| format!("{} on {}", name_of(p), node_of(p).unwrap_or("no node")))
            .collect();
        let mut problem = format!("{ready}/{desired} pods ready");
        if !unready.is_empty() {
            problem.push_str(&format!(" (not ready: {})", unready.join(", ")));
        }
        problems.push(problem);
    }
    let counted = match nodes {
        Ok(nodes) => {
            let linux: Vec<&str> = nodes
                .iter()
                .filter(|n| schedulable_linux(n))
                .filter_map(|n| n.metadata.name.as_deref())
                .collect();
            let served: BTreeSet<&str> = pods
                .iter()
                .filter(|p| pod_ready(p))
                .filter_map(|p| node_of(p))
                .collect();
            let without: Vec<&str> = linux
                .iter()
                .copied()
                .filter(|n| !served.contains(n))
                .collect();
            if !without.is_empty() {
                problems.push(format!("no ready pod on node(s) {}", without.join(", ")));
            }
            format!(", one on each of {} schedulable Linux nodes", linux.len())
        }
        Err(e) => format!(" (nodes not readable, judged by the DaemonSet's counts: {e})"),
    };
    if problems.is_empty() {
        return spec.pass(format!(
            "{istio_ns}/{name}: {ready}/{desired} pods ready{counted}"
        ));
    }
    spec.fail(format!("{istio_ns}/{name}: {}", problems.join("; ")))
        .with_hint(format!(
            "pods of ambient namespaces on those nodes are outside the mesh: kubectl -n {istio_ns} describe daemonset {name}; kubectl -n {istio_ns} logs daemonset/{name}"
        ))
}

/// The pods of the Istio namespace a DaemonSet owns.
pub(super) fn pods_of<'a>(
    mesh: &'a MeshSnapshot,
    istio_ns: &'a str,
    name: &'a str,
) -> Vec<&'a DynamicObject> {
    crate::snapshot::json::pods_in(mesh, istio_ns)
        .filter(|p| {
            p.metadata.owner_references.as_ref().is_some_and(|owners| {
                owners
                    .iter()
                    .any(|o| o.kind == "DaemonSet" && o.name == name)
            })
        })
        .collect()
}

fn node_of(pod: &DynamicObject) -> Option<&str> {
    pod.data["spec"]["nodeName"].as_str()
}

fn pod_ready(pod: &DynamicObject) -> bool {
    crate::snapshot::json::array(&pod.data["status"]["conditions"])
        .iter()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

/// A node the DaemonSets must cover: Linux (the charts' nodeSelector) and not cordoned.
fn schedulable_linux(node: &Node) -> bool {
    let linux = node
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("kubernetes.io/os"))
        .is_none_or(|os| os == "linux");
    let cordoned = node
        .spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false);
    linux && !cordoned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::catalog::ZTUNNEL;
    use serde_json::{Value, json};

    fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
        serde_json::from_value(value).expect("typed object")
    }

    const MESH: &str = "
apiVersion: v1
kind: Pod
metadata:
  name: ztunnel-a
  namespace: istio-system
  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: ztunnel, uid: u, controller: true}]
spec: {nodeName: node-a, containers: [{name: istio-proxy}]}
status: {conditions: [{type: Ready, status: 'True'}]}
---
apiVersion: v1
kind: Pod
metadata:
  name: ztunnel-b
  namespace: istio-system
  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: ztunnel, uid: u, controller: true}]
spec: {nodeName: node-b, containers: [{name: istio-proxy}]}
status: {conditions: [{type: Ready, status: 'False'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: istio-system}
spec: {nodeName: node-c, containers: [{name: x}]}
status: {conditions: [{type: Ready, status: 'True'}]}
";

    fn daemon_set(desired: i32, ready: i32) -> Read<Vec<DaemonSet>> {
        Ok(vec![typed(json!({
            "metadata": {"name": "ztunnel", "namespace": "istio-system"},
            "spec": {"selector": {}, "template": {}},
            "status": {"desiredNumberScheduled": desired, "numberReady": ready,
                       "currentNumberScheduled": desired, "numberMisscheduled": 0}
        }))])
    }

    fn node(name: &str, os: &str, cordoned: bool) -> Node {
        typed(
            json!({"metadata": {"name": name, "labels": {"kubernetes.io/os": os}},
                     "spec": {"unschedulable": cordoned}}),
        )
    }

    fn judge_with(daemon_sets: Read<Vec<DaemonSet>>, nodes: Read<Vec<Node>>) -> Check {
        let mesh = MeshSnapshot::from_yaml(MESH, "istio-system");
        let pods = pods_of(&mesh, "istio-system", "ztunnel");
        judge(
            &ZTUNNEL,
            "istio-system",
            "ztunnel",
            &daemon_sets,
            &nodes,
            &pods,
        )
    }

    #[test]
    fn a_pod_not_ready_fails_and_is_named_with_its_node() {
        let check = judge_with(daemon_set(2, 1), Ok(vec![node("node-a", "linux", false)]));
        assert_eq!(check.status, Status::Fail);
        assert_eq!(
            check.detail,
            "istio-system/ztunnel: 1/2 pods ready (not ready: ztunnel-b on node-b)"
        );
        assert!(
            check
                .hint
                .is_some_and(|h| h.contains("describe daemonset ztunnel"))
        );
    }

    #[test]
    fn a_schedulable_linux_node_without_a_ready_pod_fails_even_when_the_counts_agree() {
        let nodes = vec![
            node("node-a", "linux", false),
            node("node-b", "linux", false),
            node("node-w", "windows", false),
            node("node-x", "linux", true),
        ];
        let check = judge_with(daemon_set(1, 1), Ok(nodes));
        assert_eq!(check.status, Status::Fail);
        assert_eq!(
            check.detail,
            "istio-system/ztunnel: no ready pod on node(s) node-b"
        );
    }

    #[test]
    fn every_node_served_passes_and_unreadable_nodes_fall_back_to_the_counts() {
        let check = judge_with(daemon_set(1, 1), Ok(vec![node("node-a", "linux", false)]));
        assert_eq!(check.status, Status::Pass, "{}", check.detail);
        assert_eq!(
            check.detail,
            "istio-system/ztunnel: 1/1 pods ready, one on each of 1 schedulable Linux nodes"
        );
        let check = judge_with(daemon_set(2, 2), Err("forbidden".into()));
        assert_eq!(check.status, Status::Pass);
        assert!(
            check.detail.contains("nodes not readable"),
            "{}",
            check.detail
        );
        let check = judge_with(daemon_set(0, 0), Err("forbidden".into()));
        assert_eq!(check.status, Status::Fail);
        assert!(
            check.detail.contains("no pod scheduled"),
            "{}",
            check.detail
        );
    }

    #[test]
    fn a_missing_daemon_set_fails_with_the_install_command_and_an_unreadable_list_skips() {
        let check = judge_with(Ok(Vec::new()), Ok(Vec::new()));
        assert_eq!(check.status, Status::Fail);
        assert!(check.detail.contains("no DaemonSet istio-system/ztunnel"));
        assert_eq!(
            check.hint.as_deref(),
            Some("install the ambient profile: meshctl install --profile ambient")
        );
        let check = judge_with(Err("forbidden".into()), Ok(Vec::new()));
        assert_eq!(check.status, Status::Skip);
    }
}
