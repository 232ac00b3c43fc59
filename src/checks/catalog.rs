//! The catalog of health checks as data: id, group, title, whether a failure is fatal for the
//! checks after it in its group, the hint for a failure, and the analyzer codes a check reports
//! (with the status each gives). Listable without a cluster.

use super::{Check, Group, Status};
use crate::analyze::Code;

#[derive(Debug)]
pub struct CheckSpec {
    pub id: &'static str,
    pub group: Group,
    pub title: &'static str,
    /// A failure skips the checks after this one in its group: they could not say anything.
    pub fatal: bool,
    pub hint: &'static str,
    /// The analyzer rules this check runs on the live snapshot: each code and the status a
    /// finding of it gives the check. `troubleshoot` reports the same findings.
    pub rules: &'static [(Code, Status)],
}

impl CheckSpec {
    pub fn result(&self, status: Status, detail: impl Into<String>) -> Check {
        Check::new(self.id, self.group, self.title, status, detail.into())
    }

    pub fn pass(&self, detail: impl Into<String>) -> Check {
        self.result(Status::Pass, detail)
    }

    pub fn fail(&self, detail: impl Into<String>) -> Check {
        self.result(Status::Fail, detail)
    }

    pub fn warn(&self, detail: impl Into<String>) -> Check {
        self.result(Status::Warn, detail)
    }

    pub fn skip(&self, detail: impl Into<String>) -> Check {
        self.result(Status::Skip, detail)
    }

    pub fn codes(&self) -> Vec<Code> {
        self.rules.iter().map(|(code, _)| *code).collect()
    }
}

const fn spec(
    id: &'static str,
    group: Group,
    title: &'static str,
    fatal: bool,
    hint: &'static str,
) -> CheckSpec {
    CheckSpec {
        id,
        group,
        title,
        fatal,
        hint,
        rules: &[],
    }
}

const fn ruled(
    id: &'static str,
    group: Group,
    title: &'static str,
    hint: &'static str,
    rules: &'static [(Code, Status)],
) -> CheckSpec {
    CheckSpec {
        id,
        group,
        title,
        fatal: false,
        hint,
        rules,
    }
}

const INSTALL: &str = "install Istio: istioctl install --set profile=demo -y";
const ISTIOD: &str = "check that istiod is running and serving webhooks: kubectl -n <istio-namespace> logs deploy/istiod";

use Group::{Cluster, Config, Connectivity, ControlPlane, DataPlane, Observability};

pub const API_REACHABLE: CheckSpec = spec(
    "cluster.api-reachable",
    Cluster,
    "API server reachable",
    true,
    "check that the cluster is running and that the kubeconfig and context select it",
);
pub const VERSION: CheckSpec = spec(
    "cluster.version",
    Cluster,
    "Kubernetes version supported",
    false,
    "upgrade the cluster; current Istio releases do not support it",
);
pub const PERMISSIONS: CheckSpec = spec(
    "cluster.permissions",
    Cluster,
    "permissions for the checks",
    false,
    "ask a cluster admin to bind the built-in `view` ClusterRole (and read access to webhook configurations)",
);
pub const ISTIO_NAMESPACE: CheckSpec = spec(
    "control-plane.namespace",
    ControlPlane,
    "Istio namespace exists",
    true,
    INSTALL,
);
pub const ISTIOD_READY: CheckSpec = spec(
    "control-plane.istiod",
    ControlPlane,
    "istiod ready",
    false,
    "kubectl -n <istio-namespace> describe deployment istiod; kubectl -n <istio-namespace> get events",
);
pub const INGRESS: CheckSpec = spec(
    "control-plane.ingress-gateway",
    ControlPlane,
    "ingress gateway ready",
    false,
    "kubectl -n <istio-namespace> describe deployment istio-ingressgateway",
);
pub const INGRESS_READINESS: CheckSpec = spec(
    "control-plane.ingress-gateway-readiness",
    ControlPlane,
    "ingress gateway answers readiness",
    false,
    "kubectl -n <istio-namespace> logs -l app=istio-ingressgateway --tail=50",
);
pub const EGRESS: CheckSpec = spec(
    "control-plane.egress-gateway",
    ControlPlane,
    "egress gateway ready",
    false,
    "the demo profile installs it: istioctl install --set profile=demo -y",
);
pub const EGRESS_READINESS: CheckSpec = spec(
    "control-plane.egress-gateway-readiness",
    ControlPlane,
    "egress gateway answers readiness",
    false,
    "kubectl -n <istio-namespace> logs -l app=istio-egressgateway --tail=50",
);
pub const WEBHOOKS: CheckSpec = spec(
    "control-plane.webhooks",
    ControlPlane,
    "injection and validation webhooks registered",
    false,
    INSTALL,
);
pub const VALIDATION: CheckSpec = spec(
    "control-plane.validation",
    ControlPlane,
    "config validation active",
    false,
    ISTIOD,
);
pub const INJECTOR: CheckSpec = spec(
    "control-plane.injector",
    ControlPlane,
    "sidecar injector reachable",
    false,
    ISTIOD,
);
pub const INJECTION_LABEL: CheckSpec = ruled(
    "data-plane.injection-label",
    DataPlane,
    "namespace labelled for injection",
    "kubectl label namespace <namespace> istio-injection=enabled --overwrite",
    &[
        (Code::Mesh0208, Status::Fail),
        (Code::Mesh0201, Status::Fail),
        (Code::Mesh0207, Status::Fail),
        (Code::Mesh0203, Status::Warn),
        // Ambient namespaces only: labelled for sidecars as well.
        (Code::Mesh0801, Status::Warn),
    ],
);
pub const SIDECARS: CheckSpec = ruled(
    "data-plane.sidecars",
    DataPlane,
    "pods have sidecars",
    "restart the workloads: kubectl -n <namespace> rollout restart deployment",
    &[(Code::Mesh0202, Status::Fail)],
);
pub const VERSION_SKEW: CheckSpec = ruled(
    "data-plane.version-skew",
    DataPlane,
    "proxies match istiod's version",
    "restart the workloads so they pick up the current proxy: kubectl rollout restart deployment",
    &[(Code::Mesh0209, Status::Warn)],
);
pub const WORKLOADS: CheckSpec = ruled(
    "data-plane.workloads",
    DataPlane,
    "workloads available",
    "kubectl -n <namespace> get events --field-selector type=Warning",
    &[(Code::Mesh0210, Status::Fail)],
);
/// The ambient checks: reported only for a namespace labelled istio.io/dataplane-mode=ambient.
pub const ZTUNNEL: CheckSpec = spec(
    "data-plane.ztunnel",
    DataPlane,
    "ztunnel ready on every node (ambient)",
    false,
    "kubectl -n <istio-namespace> describe daemonset ztunnel; without it: meshctl install --profile ambient",
);
pub const ISTIO_CNI: CheckSpec = spec(
    "data-plane.istio-cni",
    DataPlane,
    "istio-cni ready on every node (ambient)",
    false,
    "kubectl -n <istio-namespace> describe daemonset istio-cni-node; without it: meshctl install --profile ambient",
);
pub const WAYPOINTS: CheckSpec = spec(
    "data-plane.waypoints",
    DataPlane,
    "waypoints Programmed (ambient)",
    false,
    "meshctl waypoint status -n <namespace>; meshctl waypoint apply -n <namespace> --wait",
);
pub const WAYPOINT_BINDING: CheckSpec = spec(
    "data-plane.waypoint-binding",
    DataPlane,
    "Services bound to their waypoint (ambient)",
    false,
    "create the waypoint the istio.io/use-waypoint label names: meshctl waypoint apply -n <namespace> --name <waypoint> --wait",
);
pub const CRDS: CheckSpec = spec("config.crds", Config, "Istio CRDs installed", true, INSTALL);
pub const READ: CheckSpec = spec(
    "config.read",
    Config,
    "mesh config readable",
    true,
    "ask a cluster admin for read access (the `view` ClusterRole)",
);
pub const GATEWAYS: CheckSpec = spec(
    "config.gateways",
    Config,
    "Gateways",
    false,
    "apply the mesh config: kubectl -n <namespace> apply -f <manifests>",
);
pub const VIRTUAL_SERVICES: CheckSpec = spec(
    "config.virtual-services",
    Config,
    "VirtualServices",
    false,
    "apply the mesh config: kubectl -n <namespace> apply -f <manifests>",
);
pub const DESTINATION_RULES: CheckSpec = spec(
    "config.destination-rules",
    Config,
    "DestinationRules",
    false,
    "apply the mesh config: kubectl -n <namespace> apply -f <manifests>",
);
pub const VS_GATEWAYS: CheckSpec = ruled(
    "config.vs-gateways",
    Config,
    "VirtualService gateways exist",
    "create the Gateway or correct spec.gateways",
    &[(Code::Mesh0101, Status::Fail)],
);
pub const SERVICE_HEALTH: CheckSpec = spec(
    "connectivity.service-health",
    Connectivity,
    "service health endpoint answers",
    false,
    "check the Service and its endpoints: kubectl -n <namespace> get endpointslices -l kubernetes.io/service-name=<service>",
);

pub const PROMETHEUS: CheckSpec = spec(
    "observability.prometheus",
    Observability,
    "Prometheus answers and scrapes Istio",
    false,
    "meshctl addons status prometheus; Prometheus must answer `up` through the API server and list istiod or the sidecars",
);
pub const ADDON_WORKLOADS: CheckSpec = spec(
    "observability.addons",
    Observability,
    "Grafana, Kiali and Jaeger ready",
    false,
    "meshctl addons status shows each addon's readiness; meshctl addons install <addon> waits for it",
);
pub const TELEMETRY: CheckSpec = spec(
    "observability.telemetry",
    Observability,
    "Telemetry applied",
    false,
    "meshctl install applies the seed's Telemetry object to the namespace",
);

/// Every check, in the order they are reported.
pub const CATALOG: &[&CheckSpec] = &[
    &API_REACHABLE,
    &VERSION,
    &PERMISSIONS,
    &ISTIO_NAMESPACE,
    &ISTIOD_READY,
    &INGRESS,
    &INGRESS_READINESS,
    &EGRESS,
    &EGRESS_READINESS,
    &WEBHOOKS,
    &VALIDATION,
    &INJECTOR,
    &INJECTION_LABEL,
    &SIDECARS,
    &VERSION_SKEW,
    &WORKLOADS,
    &ZTUNNEL,
    &ISTIO_CNI,
    &WAYPOINTS,
    &WAYPOINT_BINDING,
    &CRDS,
    &READ,
    &GATEWAYS,
    &VIRTUAL_SERVICES,
    &DESTINATION_RULES,
    &VS_GATEWAYS,
    &SERVICE_HEALTH,
    &PROMETHEUS,
    &ADDON_WORKLOADS,
    &TELEMETRY,
];

pub fn find(id: &str) -> Option<&'static CheckSpec> {
    CATALOG.iter().copied().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_name_their_group() {
        let mut ids: Vec<&str> = CATALOG.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CATALOG.len());
        for check in CATALOG {
            assert_eq!(
                Some(check.group.to_string().as_str()),
                check.id.split('.').next(),
                "{}",
                check.id
            );
        }
    }
}
