//! The one table of API kinds meshctl reads as dynamic objects: core and apps kinds, Istio's
//! networking and security kinds, the Gateway API's. The live snapshot, health's probes and the
//! analyzers name kinds through it.

use kube::api::{ApiResource, GroupVersionKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKind {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
}

impl ApiKind {
    const fn new(
        group: &'static str,
        version: &'static str,
        kind: &'static str,
        plural: &'static str,
    ) -> Self {
        Self {
            group,
            version,
            kind,
            plural,
        }
    }

    pub fn api_resource(&self) -> ApiResource {
        let gvk = GroupVersionKind::gvk(self.group, self.version, self.kind);
        ApiResource::from_gvk_with_plural(&gvk, self.plural)
    }
}

const NETWORKING: &str = "networking.istio.io";
const SECURITY: &str = "security.istio.io";
pub const GATEWAY_API: &str = "gateway.networking.k8s.io";

pub const NAMESPACE: ApiKind = ApiKind::new("", "v1", "Namespace", "namespaces");
pub const POD: ApiKind = ApiKind::new("", "v1", "Pod", "pods");
pub const SERVICE: ApiKind = ApiKind::new("", "v1", "Service", "services");
pub const SECRET: ApiKind = ApiKind::new("", "v1", "Secret", "secrets");
pub const DEPLOYMENT: ApiKind = ApiKind::new("apps", "v1", "Deployment", "deployments");
pub const REPLICA_SET: ApiKind = ApiKind::new("apps", "v1", "ReplicaSet", "replicasets");
pub const RESOURCE_QUOTA: ApiKind = ApiKind::new("", "v1", "ResourceQuota", "resourcequotas");
pub const LIMIT_RANGE: ApiKind = ApiKind::new("", "v1", "LimitRange", "limitranges");
pub const CONFIG_MAP: ApiKind = ApiKind::new("", "v1", "ConfigMap", "configmaps");
pub const GATEWAY: ApiKind = ApiKind::new(NETWORKING, "v1", "Gateway", "gateways");
pub const VIRTUAL_SERVICE: ApiKind =
    ApiKind::new(NETWORKING, "v1", "VirtualService", "virtualservices");
pub const DESTINATION_RULE: ApiKind =
    ApiKind::new(NETWORKING, "v1", "DestinationRule", "destinationrules");
pub const SERVICE_ENTRY: ApiKind = ApiKind::new(NETWORKING, "v1", "ServiceEntry", "serviceentries");
/// v1alpha3 is the only version EnvoyFilter is served at.
pub const ENVOY_FILTER: ApiKind =
    ApiKind::new(NETWORKING, "v1alpha3", "EnvoyFilter", "envoyfilters");
pub const PEER_AUTHENTICATION: ApiKind =
    ApiKind::new(SECURITY, "v1", "PeerAuthentication", "peerauthentications");
pub const REQUEST_AUTHENTICATION: ApiKind = ApiKind::new(
    SECURITY,
    "v1",
    "RequestAuthentication",
    "requestauthentications",
);
pub const AUTHORIZATION_POLICY: ApiKind = ApiKind::new(
    SECURITY,
    "v1",
    "AuthorizationPolicy",
    "authorizationpolicies",
);

/// The Gateway API's Gateway shares its kind name with Istio's; the snapshot names it by kind and
/// group ([`K8S_GATEWAY_KEY`]) so that a rule asking for `Gateway` sees only Istio's.
pub const K8S_GATEWAY: ApiKind = ApiKind::new(GATEWAY_API, "v1", "Gateway", "gateways");
/// How `kind_of` and `ObjectRef` name a Gateway API Gateway: kind.group, as kubectl accepts it.
pub const K8S_GATEWAY_KEY: &str = "Gateway.gateway.networking.k8s.io";
pub const HTTP_ROUTE: ApiKind = ApiKind::new(GATEWAY_API, "v1", "HTTPRoute", "httproutes");
pub const GRPC_ROUTE: ApiKind = ApiKind::new(GATEWAY_API, "v1", "GRPCRoute", "grpcroutes");
/// v1beta1: served by every Gateway API release that has ReferenceGrant (v1 only since 1.5).
pub const REFERENCE_GRANT: ApiKind =
    ApiKind::new(GATEWAY_API, "v1beta1", "ReferenceGrant", "referencegrants");
