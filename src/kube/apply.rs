//! Server-side apply of rendered objects with one field manager, reporting per object whether it
//! was created, configured or left unchanged (the waves are in `waves.rs`). Kinds the cluster
//! does not serve are skipped.

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use kube::discovery::ApiCapabilities;
use serde::Serialize;
use serde_json::Value;

use super::classify::classify;
use super::client::Connection;
use super::error::Result;
use super::waves::{apply_wave, dry_run_wave, resolve_kinds};

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

/// Applies `objects` (a dry run of each first, then the apply, each a parallel wave; see
/// `waves.rs`). A forbidden or unreachable API stops it (exit 3); objects the API server or a
/// webhook rejects are reported with its message verbatim, and then nothing is applied.
pub async fn apply_all(
    conn: &Connection,
    objects: &[Value],
    dry_run: bool,
) -> Result<Vec<ObjectOutcome>> {
    let kinds = resolve_kinds(conn, objects).await?;
    let planned = dry_run_wave(conn, &kinds, objects, dry_run).await?;
    if dry_run || rejection_summary(&planned.outcomes).is_some() {
        return Ok(planned.outcomes);
    }
    let mut outcomes = Vec::with_capacity(objects.len());
    apply_wave(conn, &kinds, objects, &planned, &mut outcomes)
        .await
        .map_err(|(_, e)| e)?;
    Ok(outcomes)
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

/// What an apply can change: everything but the bookkeeping the server keeps.
pub(super) fn content(object: &DynamicObject) -> Value {
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
