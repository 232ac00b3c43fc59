//! Waypoints as `istioctl waypoint` makes them: a Gateway API Gateway of class `istio-waypoint`
//! with the HBONE listener on 15008, which istiod turns into a waypoint Deployment and Service.
//! Applied with server-side apply, listed, inspected and deleted by name.

mod apply;
mod delete;
mod status;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use serde::Serialize;
use serde_json::Value;

use super::error::{Error, Result};
use crate::kube::{Connection, classify};

pub use apply::{ApplyOptions, ApplyReport, apply};
pub use delete::{Deletion, delete};
pub use status::{Waypoint, WaypointStatus, list, status};

pub const WAYPOINT_CLASS: &str = "istio-waypoint";
pub const WAYPOINT_FOR: &str = "istio.io/waypoint-for";
pub const USE_WAYPOINT: &str = "istio.io/use-waypoint";
pub const DATAPLANE_MODE: &str = "istio.io/dataplane-mode";
/// istiod labels what it deploys for a Gateway with the Gateway's name.
const GATEWAY_NAME: &str = "gateway.networking.k8s.io/gateway-name";
const REVISION: &str = "istio.io/rev";

/// What traffic a waypoint handles (`istio.io/waypoint-for`); unset, istiod's default (service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TrafficType {
    Service,
    Workload,
    All,
    None,
}

impl std::fmt::Display for TrafficType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl TrafficType {
    fn label(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Workload => "workload",
            Self::All => "all",
            Self::None => "none",
        }
    }
}

/// One condition of a Gateway's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub status: String,
    pub reason: String,
    pub message: String,
}

pub fn condition(data: &Value, kind: &str) -> Option<Condition> {
    let text = |c: &Value, key: &str| c[key].as_str().unwrap_or_default().to_string();
    data.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| c["type"] == kind)
        .map(|c| Condition {
            status: text(c, "status"),
            reason: text(c, "reason"),
            message: text(c, "message"),
        })
}

/// The Gateway API's Gateways, in one namespace or all; an error when the CRD is not served.
async fn gateways(conn: &Connection, namespace: Option<&str>) -> Result<Api<DynamicObject>> {
    let gvk = GroupVersionKind::gvk("gateway.networking.k8s.io", "v1", "Gateway");
    let resource: ApiResource = match kube::discovery::pinned_kind(&conn.client, &gvk).await {
        Ok((resource, _)) => resource,
        Err(kube::Error::Api(status)) if status.code == 404 => return Err(no_api(namespace)),
        Err(kube::Error::Discovery(_)) => return Err(no_api(namespace)),
        Err(e) => {
            let action = "discover gateway.networking.k8s.io/v1 Gateway";
            return Err(classify(&conn.server, action, e).into());
        }
    };
    Ok(match namespace {
        Some(ns) => Api::namespaced_with(conn.client.clone(), ns, &resource),
        None => Api::all_with(conn.client.clone(), &resource),
    })
}

fn no_api(namespace: Option<&str>) -> Error {
    Error::NoGatewayApi {
        namespace: namespace.unwrap_or("any namespace").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn programmed_is_read_from_the_status_conditions() {
        let gw = json!({"status": {"conditions": [
            {"type": "Accepted", "status": "True", "reason": "Accepted", "message": ""},
            {"type": "Programmed", "status": "False", "reason": "Invalid", "message": "no address"},
        ]}});
        let programmed = condition(&gw, "Programmed").expect("condition");
        assert_eq!(programmed.status, "False");
        assert_eq!(programmed.message, "no address");
        assert_eq!(condition(&json!({}), "Programmed"), None);
    }
}
