//! Removing what install applied: only objects that carry meshctl's label are deleted, the
//! rest are kept and reported.

use serde_json::Value;

use super::apply::{ApplyResult, ObjectOutcome, api_for, describe, discover, gvk_of};
use super::classify::classify;
use super::client::Connection;
use super::error::Result;

/// Deletes each object that exists and carries `label` (key, value); objects without it were not
/// made by meshctl and are kept.
pub async fn delete_labelled(
    conn: &Connection,
    objects: &[Value],
    label: (&str, &str),
    dry_run: bool,
) -> Result<Vec<ObjectOutcome>> {
    let mut outcomes = Vec::with_capacity(objects.len());
    for object in objects {
        let resource = describe(object);
        let Some(gvk) = gvk_of(object) else { continue };
        let Some((api_resource, _)) = discover(conn, &gvk).await? else {
            outcomes.push(ObjectOutcome {
                resource,
                result: ApplyResult::Absent,
                reason: Some("kind not served".into()),
            });
            continue;
        };
        let api = api_for(conn, &api_resource, object);
        let name = object
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let existing = api
            .get_opt(name)
            .await
            .map_err(|e| classify(&conn.server, &format!("get {resource}"), e))?;
        let outcome = match existing {
            None => ObjectOutcome {
                resource,
                result: ApplyResult::Absent,
                reason: None,
            },
            Some(found)
                if found
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(label.0))
                    .map(String::as_str)
                    != Some(label.1) =>
            {
                ObjectOutcome {
                    resource,
                    result: ApplyResult::Kept,
                    reason: Some(format!("no {}={} label", label.0, label.1)),
                }
            }
            Some(_) => {
                let params = kube::api::DeleteParams {
                    dry_run,
                    ..kube::api::DeleteParams::background()
                };
                api.delete(name, &params)
                    .await
                    .map_err(|e| classify(&conn.server, &format!("delete {resource}"), e))?;
                ObjectOutcome {
                    resource,
                    result: ApplyResult::Deleted,
                    reason: None,
                }
            }
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}
