//! Platform prerequisites the preflight can see from the cluster (Istio's "platform-specific
//! prerequisites"): ambient's istio-cni writes into the node's CNI directories, whose location
//! depends on the distribution (`values.global.platform`), and some CNIs must be told to share
//! the node with it. Detected from node labels, provider IDs and kube-system's DaemonSets.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, ListParams};

use super::{Check, Group};
use crate::kube::{Connection, api_message};

const ID: &str = "preflight.platform";
const TITLE: &str = "platform prerequisites";
/// A sample of nodes is enough: a cluster is one distribution.
const NODES_READ: u32 = 20;

/// What the preflight saw of the platform.
#[derive(Debug, Default)]
pub struct PlatformFacts {
    pub node_labels: Vec<BTreeMap<String, String>>,
    pub provider_ids: Vec<String>,
    pub kube_system_daemonsets: Vec<String>,
}

/// A distribution or CNI that needs something of an Istio install.
#[derive(Debug, PartialEq, Eq)]
struct Platform {
    name: &'static str,
    /// `values.global.platform` it needs, if any.
    value: Option<&'static str>,
    /// What else it needs in ambient mode, in the platform's own settings.
    ambient_note: Option<&'static str>,
}

const fn distribution(name: &'static str, value: &'static str) -> Platform {
    Platform {
        name,
        value: Some(value),
        ambient_note: None,
    }
}

pub async fn read(conn: &Connection) -> Result<PlatformFacts, String> {
    let nodes: Api<Node> = Api::all(conn.client.clone());
    let daemonsets: Api<DaemonSet> = Api::namespaced(conn.client.clone(), "kube-system");
    let sample = ListParams::default().limit(NODES_READ);
    let all = ListParams::default();
    let (nodes, daemonsets) = futures::join!(nodes.list(&sample), daemonsets.list_metadata(&all));
    let nodes = nodes.map_err(|e| format!("cannot list nodes: {}", api_message(&e)))?;
    let daemonsets = daemonsets
        .map(|l| {
            l.items
                .into_iter()
                .filter_map(|d| d.metadata.name)
                .collect()
        })
        // Reading kube-system is not everyone's right; the nodes alone still tell a lot.
        .unwrap_or_default();
    Ok(PlatformFacts {
        node_labels: nodes
            .items
            .iter()
            .map(|n| n.metadata.labels.clone().unwrap_or_default())
            .collect(),
        provider_ids: nodes
            .items
            .iter()
            .filter_map(|n| n.spec.as_ref()?.provider_id.clone())
            .collect(),
        kube_system_daemonsets: daemonsets,
    })
}

fn detect(facts: &PlatformFacts) -> Vec<Platform> {
    let label = |key: &str| facts.node_labels.iter().any(|l| l.contains_key(key));
    let label_is = |key: &str, value: &str| {
        facts
            .node_labels
            .iter()
            .any(|l| l.get(key).is_some_and(|v| v == value))
    };
    let provider = |scheme: &str| facts.provider_ids.iter().any(|p| p.starts_with(scheme));
    let daemonset = |name: &str| facts.kube_system_daemonsets.iter().any(|d| d == name);
    let mut found = Vec::new();
    if provider("gce://") || label("cloud.google.com/gke-nodepool") {
        found.push(distribution("GKE", "gke"));
    }
    if label_is("node.kubernetes.io/instance-type", "k3s") || provider("k3s://") {
        found.push(distribution("k3s", "k3s"));
    }
    if label("microk8s.io/cluster") {
        found.push(distribution("MicroK8s", "microk8s"));
    }
    if label("minikube.k8s.io/name") {
        found.push(distribution("minikube", "minikube"));
    }
    if label("node.k0sproject.io/role") {
        found.push(distribution("k0s", "k0s"));
    }
    if label("node.openshift.io/os_id") {
        found.push(distribution("OpenShift", "openshift"));
    }
    if daemonset("cilium") {
        found.push(Platform {
            name: "Cilium",
            value: None,
            ambient_note: Some(
                "Cilium must not own the node's CNI config alone: set its cni.exclusive=false \
                 (and socketLB.hostNamespaceOnly=true with kube-proxy replacement), or it removes \
                 istio-cni's plugin",
            ),
        });
    }
    found
}

/// The verdict: in ambient mode (istio-cni on the nodes) a detected distribution without its
/// `values.global.platform`, or a CNI that needs settings, is a warning naming the fix.
pub fn judge(facts: &PlatformFacts, sets: &[String], ambient: bool) -> Check {
    let found = detect(facts);
    if found.is_empty() {
        return Check::pass(ID, Group::Cluster, TITLE, "none detected");
    }
    let names: Vec<&str> = found.iter().map(|p| p.name).collect();
    if !ambient {
        let detail = format!("{} (nothing needed without istio-cni)", names.join(", "));
        return Check::pass(ID, Group::Cluster, TITLE, detail);
    }
    let mut needed = Vec::new();
    for platform in &found {
        if let Some(value) = platform.value {
            let set = format!("values.global.platform={value}");
            if !sets.iter().any(|s| s.trim() == set) {
                needed.push(format!("{}: --set {set}", platform.name));
            }
        }
        if let Some(note) = platform.ambient_note {
            needed.push(format!("{}: {note}", platform.name));
        }
    }
    if needed.is_empty() {
        let detail = format!("{} (its settings are given)", names.join(", "));
        return Check::pass(ID, Group::Cluster, TITLE, detail);
    }
    Check::warn(ID, Group::Cluster, TITLE, needed.join("; ")).with_hint(
        "ambient's istio-cni needs these on this platform: add the --set flags to meshctl install \
         (see istio.io's platform-specific prerequisites)",
    )
}

/// A check that could not read the platform: a warning, never a stop.
pub fn unreadable(why: String) -> Check {
    Check::warn(ID, Group::Cluster, TITLE, why)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;

    fn facts(labels: &[(&str, &str)], provider: &str, daemonsets: &[&str]) -> PlatformFacts {
        PlatformFacts {
            node_labels: vec![
                labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ],
            provider_ids: vec![provider.to_string()],
            kube_system_daemonsets: daemonsets.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn a_plain_cluster_needs_nothing() {
        let check = judge(
            &facts(&[("type", "kwok")], "kwok://node", &["kube-proxy"]),
            &[],
            true,
        );
        assert_eq!(
            (check.status, check.detail.as_str()),
            (Status::Pass, "none detected")
        );
    }

    #[test]
    fn gke_in_ambient_mode_needs_its_platform_value() {
        let gke = facts(&[], "gce://project/zone/node", &[]);
        let check = judge(&gke, &[], true);
        assert_eq!(check.status, Status::Warn);
        assert!(
            check
                .detail
                .contains("GKE: --set values.global.platform=gke"),
            "{}",
            check.detail
        );
        let given = judge(&gke, &["values.global.platform=gke".into()], true);
        assert_eq!(given.status, Status::Pass, "{}", given.detail);
        let sidecars = judge(&gke, &[], false);
        assert_eq!(sidecars.status, Status::Pass);
        assert!(sidecars.detail.contains("GKE"), "{}", sidecars.detail);
    }

    #[test]
    fn each_distribution_is_told_by_its_own_marks() {
        let cases = [
            (
                facts(&[("cloud.google.com/gke-nodepool", "pool")], "", &[]),
                "gke",
            ),
            (
                facts(&[("node.kubernetes.io/instance-type", "k3s")], "", &[]),
                "k3s",
            ),
            (facts(&[], "k3s://node", &[]), "k3s"),
            (
                facts(&[("microk8s.io/cluster", "true")], "", &[]),
                "microk8s",
            ),
            (
                facts(&[("minikube.k8s.io/name", "minikube")], "", &[]),
                "minikube",
            ),
            (
                facts(&[("node.k0sproject.io/role", "worker")], "", &[]),
                "k0s",
            ),
            (
                facts(&[("node.openshift.io/os_id", "rhcos")], "", &[]),
                "openshift",
            ),
        ];
        for (facts, value) in cases {
            let check = judge(&facts, &[], true);
            assert_eq!(check.status, Status::Warn, "{value}");
            assert!(
                check
                    .detail
                    .ends_with(&format!("--set values.global.platform={value}")),
                "{value}: {}",
                check.detail
            );
        }
        let not_k3s = facts(
            &[("node.kubernetes.io/instance-type", "m5.large")],
            "aws://x",
            &[],
        );
        assert_eq!(judge(&not_k3s, &[], true).status, Status::Pass);
    }

    #[test]
    fn cilium_in_ambient_mode_is_told_to_share_the_node() {
        let cilium = facts(&[], "", &["cilium", "kube-proxy"]);
        let check = judge(&cilium, &["values.global.platform=gke".into()], true);
        assert_eq!(check.status, Status::Warn);
        assert!(check.detail.starts_with("Cilium: "), "{}", check.detail);
        assert!(
            check.detail.contains("cni.exclusive=false"),
            "{}",
            check.detail
        );
        assert_eq!(judge(&cilium, &[], false).status, Status::Pass);
    }
}
