//! `waypoint apply`: the Gateway istioctl makes, server-side applied, optionally the namespace
//! label that enrols it and a wait for `Programmed`.

use std::time::Duration;

use kube::api::DynamicObject;
use kube::runtime::wait::await_condition;
use serde::Serialize;
use serde_json::{Value, json};

use super::*;
use crate::ambient::error::{Error, Result};
use crate::kube::{ApplyResult, Connection, apply_all, namespace_labels, set_namespace_label};

#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub namespace: String,
    pub name: String,
    pub traffic: Option<TrafficType>,
    /// Label the namespace `istio.io/use-waypoint=<name>` once the waypoint is applied.
    pub enroll_namespace: bool,
    /// Replace a namespace's `istio.io/use-waypoint` that names another waypoint.
    pub overwrite: bool,
    /// Wait up to this long for the Gateway's Programmed condition.
    pub wait: Option<Duration>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApplyReport {
    pub namespace: String,
    pub name: String,
    pub result: ApplyResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_for: Option<TrafficType>,
    /// Whether it was seen Programmed; `None` when not waited for.
    pub programmed: Option<bool>,
    /// The namespace label set with `--enroll-namespace`, as `key=value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrolled: Option<String>,
    pub warnings: Vec<String>,
}

/// The Gateway `apply` sends: what `istioctl waypoint generate` prints.
pub fn gateway_object(namespace: &str, name: &str, traffic: Option<TrafficType>) -> Value {
    let mut object = json!({
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "gatewayClassName": WAYPOINT_CLASS,
            "listeners": [{"name": "mesh", "port": 15008, "protocol": "HBONE"}],
        },
    });
    if let Some(traffic) = traffic {
        object["metadata"]["labels"] = json!({WAYPOINT_FOR: traffic.label()});
    }
    object
}

/// Applies the waypoint, waits for it when asked, then enrols the namespace when asked (after
/// the waypoint exists, so no Service points at a waypoint that is not there).
pub async fn apply(conn: &Connection, opts: &ApplyOptions) -> Result<ApplyReport> {
    let ns = &opts.namespace;
    if opts.name == "none" {
        return Err(Error::ReservedName);
    }
    let labels = namespace_labels(conn, ns)
        .await?
        .ok_or_else(|| Error::NoNamespace {
            namespace: ns.clone(),
        })?;
    let mut warnings = Vec::new();
    if opts.enroll_namespace {
        if let Some(existing) = labels.get(USE_WAYPOINT).filter(|v| **v != opts.name)
            && !opts.overwrite
        {
            return Err(Error::LabelConflict {
                namespace: ns.clone(),
                existing: format!("{USE_WAYPOINT}={existing}"),
                wanted: format!("{USE_WAYPOINT}={}", opts.name),
                flag: "--overwrite",
            });
        }
        if labels.get(DATAPLANE_MODE).map(String::as_str) != Some("ambient") {
            warnings.push(format!(
                "namespace {ns} is not enrolled in ambient: its pods' traffic reaches the waypoint \
                 only once it is (`meshctl inject --mode ambient -n {ns}`)"
            ));
        }
    }
    let object = gateway_object(ns, &opts.name, opts.traffic);
    let outcome = apply_all(conn, &[object], false)
        .await?
        .pop()
        .ok_or_else(|| Error::NoGatewayApi {
            namespace: ns.clone(),
        })?;
    match outcome.result {
        ApplyResult::Skipped => {
            return Err(Error::NoGatewayApi {
                namespace: ns.clone(),
            });
        }
        ApplyResult::Rejected => {
            return Err(Error::Rejected {
                namespace: ns.clone(),
                name: opts.name.clone(),
                reason: outcome.reason.unwrap_or_default(),
            });
        }
        _ => {}
    }
    let programmed = match opts.wait {
        Some(timeout) => {
            wait_programmed(conn, ns, &opts.name, timeout).await?;
            Some(true)
        }
        None => None,
    };
    let enrolled = if opts.enroll_namespace {
        set_namespace_label(conn, ns, (USE_WAYPOINT, &opts.name)).await?;
        Some(format!("{USE_WAYPOINT}={}", opts.name))
    } else {
        None
    };
    Ok(ApplyReport {
        namespace: ns.clone(),
        name: opts.name.clone(),
        result: outcome.result,
        traffic_for: opts.traffic,
        programmed,
        enrolled,
        warnings,
    })
}

/// Waits (a watch, bounded) until istiod reports the Gateway Programmed.
pub async fn wait_programmed(
    conn: &Connection,
    namespace: &str,
    name: &str,
    timeout: Duration,
) -> Result<()> {
    let api = gateways(conn, Some(namespace)).await?;
    let done = await_condition(api.clone(), name, |gw: Option<&DynamicObject>| {
        gw.and_then(|g| condition(&g.data, "Programmed"))
            .is_some_and(|c| c.status == "True")
    });
    match tokio::time::timeout(timeout, done).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(source)) => Err(crate::kube::Error::Watch {
            what: format!("Gateway/{namespace}/{name}"),
            source,
        }
        .into()),
        Err(_) => {
            // Say what istiod last said, if anything.
            let last = api
                .get_opt(name)
                .await
                .ok()
                .flatten()
                .and_then(|g| condition(&g.data, "Programmed"))
                .map(|c| format!("{}: {}", c.reason, c.message));
            Err(Error::NotProgrammed {
                namespace: namespace.to_string(),
                name: name.to_string(),
                after: timeout,
                reason: last,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gateway_is_istioctls_waypoint_with_the_traffic_label_only_when_asked() {
        let plain = gateway_object("shop", "waypoint", None);
        assert_eq!(plain["spec"]["gatewayClassName"], "istio-waypoint");
        assert_eq!(
            plain["spec"]["listeners"],
            json!([{"name": "mesh", "port": 15008, "protocol": "HBONE"}])
        );
        assert!(plain["metadata"].get("labels").is_none());
        let workload = gateway_object("shop", "wp", Some(TrafficType::Workload));
        assert_eq!(workload["metadata"]["labels"][WAYPOINT_FOR], "workload");
        assert_eq!(workload["metadata"]["namespace"], "shop");
    }
}
