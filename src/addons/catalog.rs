//! The addons meshctl knows: Istio's `samples/addons`, each with the workload that must be ready,
//! the Service and port it is reached on, and the pod label and port a dashboard forwards to
//! (the same labels `istioctl dashboard` looks for).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadKind {
    Deployment,
    StatefulSet,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Addon {
    /// Also the manifest's name: `samples/addons/<name>.yaml`.
    pub name: &'static str,
    pub workload: (WorkloadKind, &'static str),
    /// The in-cluster URL's Service and port.
    pub service: (&'static str, u16),
    /// The pods a dashboard forwards to, and the port they serve the UI on.
    pub pod_selector: &'static str,
    pub pod_port: u16,
    /// The last segment of the main container's image repository, which names the version.
    pub image: &'static str,
}

pub const ADDONS: [Addon; 5] = [
    Addon {
        name: "prometheus",
        workload: (WorkloadKind::Deployment, "prometheus"),
        service: ("prometheus", 9090),
        pod_selector: "app.kubernetes.io/name=prometheus",
        pod_port: 9090,
        image: "prometheus",
    },
    Addon {
        name: "grafana",
        workload: (WorkloadKind::Deployment, "grafana"),
        service: ("grafana", 3000),
        pod_selector: "app.kubernetes.io/name=grafana",
        pod_port: 3000,
        image: "grafana",
    },
    Addon {
        name: "kiali",
        workload: (WorkloadKind::Deployment, "kiali"),
        service: ("kiali", 20001),
        pod_selector: "app=kiali",
        pod_port: 20001,
        image: "kiali",
    },
    Addon {
        name: "jaeger",
        workload: (WorkloadKind::Deployment, "jaeger"),
        service: ("tracing", 80),
        pod_selector: "app=jaeger",
        pod_port: 16686,
        image: "jaeger",
    },
    Addon {
        name: "loki",
        workload: (WorkloadKind::StatefulSet, "loki"),
        service: ("loki", 3100),
        pod_selector: "app.kubernetes.io/name=loki",
        pod_port: 3100,
        image: "loki",
    },
];

/// The namespace Istio's addon manifests put everything in.
pub const ADDON_NAMESPACE: &str = "istio-system";

/// Label on every object `meshctl addons install` applies: which addon it belongs to. Uninstall
/// deletes only objects that carry it.
pub const ADDON_LABEL: &str = "meshctl.io/addon";

pub fn find(name: &str) -> Option<&'static Addon> {
    ADDONS.iter().find(|a| a.name == name)
}

impl Addon {
    /// `http://<service>.<namespace>.svc.cluster.local:<port>`
    pub fn in_cluster_url(&self, namespace: &str) -> String {
        let (service, port) = self.service;
        format!("http://{service}.{namespace}.svc.cluster.local:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_addon_is_found_by_its_name_and_nothing_else_is() {
        for addon in &ADDONS {
            assert_eq!(find(addon.name), Some(addon));
        }
        assert_eq!(find("zipkin"), None);
        assert_eq!(
            find("jaeger").map(|a| a.in_cluster_url("istio-system")),
            Some("http://tracing.istio-system.svc.cluster.local:80".into())
        );
    }
}
