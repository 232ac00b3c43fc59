//! `waypoint delete`: only Gateways of class `istio-waypoint`, by name or all in a namespace.

use kube::api::DeleteParams;
use serde::Serialize;

use super::*;
use crate::ambient::error::Result;
use crate::kube::{ApplyResult, Connection, classify};

#[derive(Debug, Clone, Serialize)]
pub struct Deletion {
    pub name: String,
    /// deleted, absent (no such Gateway) or kept (a Gateway of another class).
    pub result: ApplyResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Deletes the named waypoints in `namespace`, or all of them with `names` empty. Gateways of
/// another class are never deleted, also when named.
pub async fn delete(conn: &Connection, namespace: &str, names: &[String]) -> Result<Vec<Deletion>> {
    let api = gateways(conn, Some(namespace)).await?;
    let waypoints = list(conn, Some(namespace)).await?;
    let targets: Vec<String> = if names.is_empty() {
        waypoints.iter().map(|w| w.name.clone()).collect()
    } else {
        names.to_vec()
    };
    let mut deletions = Vec::with_capacity(targets.len());
    for name in targets {
        let deletion = |result, reason: Option<&str>| Deletion {
            name: name.clone(),
            result,
            reason: reason.map(str::to_string),
        };
        if !waypoints.iter().any(|w| w.name == name) {
            let other = api.get_opt(&name).await.map_err(|e| {
                classify(&conn.server, &format!("get Gateway/{namespace}/{name}"), e)
            })?;
            deletions.push(match other {
                Some(_) => deletion(
                    ApplyResult::Kept,
                    Some("not a waypoint: its class is not istio-waypoint"),
                ),
                None => deletion(ApplyResult::Absent, None),
            });
            continue;
        }
        match api.delete(&name, &DeleteParams::background()).await {
            Ok(_) => deletions.push(deletion(ApplyResult::Deleted, None)),
            Err(e) if crate::kube::is_not_found(&e) => {
                deletions.push(deletion(ApplyResult::Absent, None));
            }
            Err(e) => {
                let action = format!("delete Gateway/{namespace}/{name}");
                return Err(classify(&conn.server, &action, e).into());
            }
        }
    }
    Ok(deletions)
}
