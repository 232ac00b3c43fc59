//! Server-side apply of rendered objects with one field manager, reporting per object whether it
//! was created, configured or left unchanged. Kinds the cluster does not serve are skipped.

use std::collections::HashMap;

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use kube::discovery::ApiCapabilities;
use serde::Serialize;
use serde_json::Value;

use super::classify::classify;
use super::client::Connection;
use super::error::{Error, Result};

pub const FIELD_MANAGER: &str = "meshctl";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ApplyResult {
    Created,
    Configured,
    Unchanged,
    Skipped,
    Rejected,
    Deleted,
    Absent,
    Kept,
}

impl ApplyResult {
    /// Every result, in the order reports count them.
    pub const ALL: [Self; 8] = [
        Self::Created,
        Self::Configured,
        Self::Unchanged,
        Self::Skipped,
        Self::Rejected,
        Self::Deleted,
        Self::Absent,
        Self::Kept,
    ];
}

impl std::fmt::Display for ApplyResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Created => "created",
            Self::Configured => "configured",
            Self::Unchanged => "unchanged",
            Self::Skipped => "skipped",
            Self::Rejected => "rejected",
            Self::Deleted => "deleted",
            Self::Absent => "absent",
            Self::Kept => "kept",
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectOutcome {
    pub resource: String,
    pub result: ApplyResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Applies `objects` in order. A forbidden or unreachable API stops at once (exit 3); objects
/// the API server or a webhook rejects are reported with its message verbatim and the rest go on.
pub async fn apply_all(
    conn: &Connection,
    objects: &[Value],
    dry_run: bool,
) -> Result<Vec<ObjectOutcome>> {
    let mut outcomes = Vec::with_capacity(objects.len());
    apply_into(conn, objects, dry_run, &mut outcomes).await?;
    Ok(outcomes)
}

/// `apply_all`, adding each object's outcome to `outcomes` as soon as it is known: when it stops
/// (an error, or the future dropped on Ctrl-C), `outcomes` holds exactly what was done.
pub async fn apply_into(
    conn: &Connection,
    objects: &[Value],
    dry_run: bool,
    outcomes: &mut Vec<ObjectOutcome>,
) -> Result<()> {
    let mut kinds: HashMap<GroupVersionKind, Option<(ApiResource, ApiCapabilities)>> =
        HashMap::new();
    for object in objects {
        let resource = describe(object);
        let gvk = gvk_of(object).ok_or_else(|| Error::NoKind {
            object: resource.clone(),
        })?;
        if !kinds.contains_key(&gvk) {
            let found = discover(conn, &gvk).await?;
            kinds.insert(gvk.clone(), found);
        }
        let Some(Some((api_resource, _))) = kinds.get(&gvk) else {
            let reason = format!(
                "the cluster does not serve {}/{} {} (is its CRD installed?)",
                gvk.group, gvk.version, gvk.kind
            );
            outcomes.push(ObjectOutcome {
                resource,
                result: ApplyResult::Skipped,
                reason: Some(reason),
            });
            continue;
        };
        outcomes.push(apply_one(conn, api_resource, object, resource, dry_run).await?);
    }
    Ok(())
}

pub(super) async fn discover(
    conn: &Connection,
    gvk: &GroupVersionKind,
) -> Result<Option<(ApiResource, ApiCapabilities)>> {
    match kube::discovery::pinned_kind(&conn.client, gvk).await {
        Ok(found) => Ok(Some(found)),
        Err(kube::Error::Api(status)) if status.code == 404 => Ok(None),
        Err(kube::Error::Discovery(_)) => Ok(None),
        Err(e) => Err(classify(
            &conn.server,
            &format!("discover {}/{} {}", gvk.group, gvk.version, gvk.kind),
            e,
        )),
    }
}

async fn apply_one(
    conn: &Connection,
    api_resource: &ApiResource,
    object: &Value,
    resource: String,
    dry_run: bool,
) -> Result<ObjectOutcome> {
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api = api_for(conn, api_resource, object);
    let before = api
        .get_opt(name)
        .await
        .map_err(|e| classify(&conn.server, &format!("get {resource}"), e))?;
    let mut params = PatchParams::apply(FIELD_MANAGER).force();
    params.dry_run = dry_run;
    let after = match api.patch(name, &params, &Patch::Apply(object)).await {
        Ok(after) => after,
        Err(kube::Error::Api(status))
            if matches!(status.code, 400 | 422)
                || status.message.contains("denied the request") =>
        {
            return Ok(ObjectOutcome {
                resource,
                result: ApplyResult::Rejected,
                reason: Some(status.message),
            });
        }
        Err(kube::Error::Api(status)) if dry_run && status.code == 404 => {
            let reason = format!("not checked by the server: {}", status.message);
            return Ok(ObjectOutcome {
                resource,
                result: ApplyResult::Created,
                reason: Some(reason),
            });
        }
        Err(e) => return Err(classify(&conn.server, &format!("apply {resource}"), e)),
    };
    let result = match before {
        None => ApplyResult::Created,
        Some(before) if content(&before) == content(&after) => ApplyResult::Unchanged,
        Some(_) => ApplyResult::Configured,
    };
    Ok(ObjectOutcome {
        resource,
        result,
        reason: None,
    })
}

/// What an apply can change: everything but the bookkeeping the server keeps.
fn content(object: &DynamicObject) -> Value {
    let mut value = serde_json::to_value(object).unwrap_or(Value::Null);
    if let Some(metadata) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        for key in [
            "resourceVersion",
            "managedFields",
            "generation",
            "creationTimestamp",
            "uid",
        ] {
            metadata.remove(key);
        }
    }
    if let Some(map) = value.as_object_mut() {
        map.remove("status");
    }
    value
}

pub(super) fn gvk_of(object: &Value) -> Option<GroupVersionKind> {
    let api_version = object["apiVersion"].as_str()?;
    let kind = object["kind"].as_str()?;
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    Some(GroupVersionKind::gvk(group, version, kind))
}

pub fn describe(object: &Value) -> String {
    super::ObjectRef::of_json(object).to_string()
}

/// Why a rejected object failed, for error summaries.
pub fn rejection_summary(outcomes: &[ObjectOutcome]) -> Option<String> {
    let rejected: Vec<String> = outcomes
        .iter()
        .filter(|o| o.result == ApplyResult::Rejected)
        .map(|o| format!("{}: {}", o.resource, o.reason.as_deref().unwrap_or("")))
        .collect();
    (!rejected.is_empty()).then(|| rejected.join("\n"))
}

/// (group, plural) of an object's kind, for access reviews.
pub fn group_and_plural(object: &Value) -> Option<(String, String)> {
    let gvk = gvk_of(object)?;
    let resource = ApiResource::from_gvk(&gvk);
    Some((resource.group, resource.plural))
}

/// The API of an object's kind, in its namespace when it has one.
pub(super) fn api_for(
    conn: &Connection,
    api_resource: &ApiResource,
    object: &Value,
) -> Api<DynamicObject> {
    match object
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
    {
        Some(ns) => Api::namespaced_with(conn.client.clone(), ns, api_resource),
        None => Api::all_with(conn.client.clone(), api_resource),
    }
}
