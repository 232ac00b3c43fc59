//! The Istio resource types meshctl reads and writes, as dynamic API resources.

use kube::api::{ApiResource, GroupVersionKind};

#[derive(Debug, Clone, Copy)]
pub struct IstioKind {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
}

impl IstioKind {
    pub fn api_resource(&self) -> ApiResource {
        let gvk = GroupVersionKind::gvk(self.group, self.version, self.kind);
        ApiResource::from_gvk_with_plural(&gvk, self.plural)
    }
}

const NETWORKING: &str = "networking.istio.io";

pub const GATEWAY: IstioKind = IstioKind {
    group: NETWORKING,
    version: "v1",
    kind: "Gateway",
    plural: "gateways",
};
pub const VIRTUAL_SERVICE: IstioKind = IstioKind {
    group: NETWORKING,
    version: "v1",
    kind: "VirtualService",
    plural: "virtualservices",
};
pub const DESTINATION_RULE: IstioKind = IstioKind {
    group: NETWORKING,
    version: "v1",
    kind: "DestinationRule",
    plural: "destinationrules",
};
