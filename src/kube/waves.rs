//! Server-side apply in parallel waves: the kinds are resolved once per run (core kinds need no
//! discovery, every other group-version is asked once, all at once), then every object is
//! dry-run in one wave and applied in the next.
//!
//! No object is read before it is patched. Whether an apply created, configured or left an
//! object unchanged comes from the resourceVersions the two waves answer with: a dry run of an
//! object that does not exist yet answers without one (nothing is stored); one of an existing
//! object answers with the stored version. The apply then answers with the same version when it
//! changed nothing (the API server skips a write that changes nothing) and a new one when it
//! wrote. A plan (`--dry-run`) has no apply to compare with, so there the dry run and a read of
//! the object go out together and their content is compared.

use std::collections::{BTreeSet, HashMap};

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, Patch, PatchParams};
use kube::core::GroupVersion;
use kube::discovery::ApiGroup;
use serde_json::Value;

use super::apply::{ApplyResult, FIELD_MANAGER, ObjectOutcome, api_for, content, describe, gvk_of};
use super::classify::classify;
use super::client::Connection;
use super::error::{Error, Result};

/// Each kind of a set of objects: its API resource, or `None` when the cluster does not serve it.
pub struct Kinds(HashMap<GroupVersionKind, Option<ApiResource>>);

/// Resolves the kinds of `objects`: core kinds as they are, each other group-version by one
/// discovery call, all of them in parallel.
pub async fn resolve_kinds(conn: &Connection, objects: &[Value]) -> Result<Kinds> {
    let mut gvks = BTreeSet::new();
    for object in objects {
        let gvk = gvk_of(object).ok_or_else(|| Error::NoKind {
            object: describe(object),
        })?;
        gvks.insert((gvk.group, gvk.version, gvk.kind));
    }
    let groups: BTreeSet<(String, String)> = gvks
        .iter()
        .filter(|(group, ..)| !group.is_empty())
        .map(|(g, v, _)| (g.clone(), v.clone()))
        .collect();
    let asked = groups.iter().map(|(group, version)| async move {
        let gv = GroupVersion::gv(group, version);
        let found = match kube::discovery::pinned_group(&conn.client, &gv).await {
            Ok(api_group) => Some(api_group),
            Err(kube::Error::Api(status)) if status.code == 404 => None,
            Err(e) => {
                let action = format!("discover {group}/{version}");
                return Err(classify(&conn.server, &action, e));
            }
        };
        Ok(((group.clone(), version.clone()), found))
    });
    let served: HashMap<(String, String), Option<ApiGroup>> = futures::future::try_join_all(asked)
        .await?
        .into_iter()
        .collect();
    let mut kinds = HashMap::new();
    for (group, version, kind) in gvks {
        let gvk = GroupVersionKind::gvk(&group, &version, &kind);
        let resource = if group.is_empty() {
            Some(ApiResource::from_gvk(&gvk))
        } else {
            served
                .get(&(group, version.clone()))
                .and_then(Option::as_ref)
                .and_then(|g| {
                    g.versioned_resources(&version)
                        .into_iter()
                        .find(|(r, _)| r.kind == kind)
                        .map(|(r, _)| r)
                })
        };
        kinds.insert(gvk, resource);
    }
    Ok(Kinds(kinds))
}

impl Kinds {
    fn of(&self, object: &Value) -> Option<&ApiResource> {
        gvk_of(object)
            .and_then(|gvk| self.0.get(&gvk))
            .and_then(Option::as_ref)
    }
}

/// The dry run of every object: its outcome, and the resourceVersion it has now (`None`: it
/// does not exist yet), for the apply that follows.
pub struct Planned {
    pub outcomes: Vec<ObjectOutcome>,
    versions: Vec<Option<String>>,
}

/// The dry-run wave. With `compare` (a plan that stops here) each object is also read, in the
/// same wave, to tell configured from unchanged.
pub async fn dry_run_wave(
    conn: &Connection,
    kinds: &Kinds,
    objects: &[Value],
    compare: bool,
) -> Result<Planned> {
    let dry_runs = objects.iter().map(|object| async move {
        let resource = describe(object);
        let Some(api_resource) = kinds.of(object) else {
            return Ok((not_served(object, resource), None));
        };
        let api = api_for(conn, api_resource, object);
        let name = name_of(object);
        let read = async {
            if compare {
                api.get_opt(name).await.map(Some)
            } else {
                Ok(None)
            }
        };
        let (patched, read) = futures::join!(patch(conn, api_resource, object, true), read);
        let patched = match patched? {
            Patched::Object(after) => after,
            Patched::Outcome(outcome) => return Ok((outcome, None)),
        };
        let version = patched
            .metadata
            .resource_version
            .clone()
            .filter(|v| !v.is_empty());
        let read = read.map_err(|e| classify(&conn.server, &format!("get {resource}"), e))?;
        let result = match (&version, read) {
            (None, _) => ApplyResult::Created,
            (Some(_), Some(Some(before))) if content(&before) == content(&patched) => {
                ApplyResult::Unchanged
            }
            (Some(_), _) => ApplyResult::Configured,
        };
        Ok((outcome(resource, result), version))
    });
    let (outcomes, versions) = futures::future::try_join_all(dry_runs)
        .await?
        .into_iter()
        .unzip();
    Ok(Planned { outcomes, versions })
}

/// The apply wave: every object the dry run accepted, at once. Each outcome lands in `outcomes`
/// as soon as it is known, so that after an error (or the future dropped on Ctrl-C) it holds
/// exactly what was applied; the error names the object it came from.
pub async fn apply_wave(
    conn: &Connection,
    kinds: &Kinds,
    objects: &[Value],
    planned: &Planned,
    outcomes: &mut Vec<ObjectOutcome>,
) -> std::result::Result<(), (String, Error)> {
    let mut wave: FuturesUnordered<_> = objects
        .iter()
        .zip(&planned.versions)
        .zip(&planned.outcomes)
        .map(|((object, before), plan)| async move {
            let resource = describe(object);
            let Some(api_resource) = kinds.of(object) else {
                return Ok(plan.clone());
            };
            let after = match patch(conn, api_resource, object, false).await {
                Ok(Patched::Object(after)) => after,
                Ok(Patched::Outcome(outcome)) => return Ok(outcome),
                Err(e) => return Err((resource, e)),
            };
            let result = match (before, after.metadata.resource_version.as_ref()) {
                (None, _) => ApplyResult::Created,
                (Some(before), Some(after)) if before == after => ApplyResult::Unchanged,
                (Some(_), _) => ApplyResult::Configured,
            };
            Ok(outcome(resource, result))
        })
        .collect();
    let mut failed = None;
    while let Some(done) = wave.next().await {
        match done {
            Ok(outcome) => outcomes.push(outcome),
            Err(e) => failed = failed.or(Some(e)),
        }
    }
    failed.map_or(Ok(()), Err)
}

enum Patched {
    Object(Box<DynamicObject>),
    /// The server refused the object (or, in a dry run, could not judge it yet).
    Outcome(ObjectOutcome),
}

async fn patch(
    conn: &Connection,
    api_resource: &ApiResource,
    object: &Value,
    dry_run: bool,
) -> Result<Patched> {
    let resource = describe(object);
    let api = api_for(conn, api_resource, object);
    let mut params = PatchParams::apply(FIELD_MANAGER).force();
    params.dry_run = dry_run;
    match api
        .patch(name_of(object), &params, &Patch::Apply(object))
        .await
    {
        Ok(after) => Ok(Patched::Object(Box::new(after))),
        Err(kube::Error::Api(status))
            if matches!(status.code, 400 | 422)
                || status.message.contains("denied the request") =>
        {
            Ok(Patched::Outcome(ObjectOutcome {
                resource,
                result: ApplyResult::Rejected,
                reason: Some(status.message),
            }))
        }
        // Its namespace does not exist yet (a plan for a new namespace).
        Err(kube::Error::Api(status)) if dry_run && status.code == 404 => {
            Ok(Patched::Outcome(ObjectOutcome {
                resource,
                result: ApplyResult::Created,
                reason: Some(format!("not checked by the server: {}", status.message)),
            }))
        }
        Err(e) => Err(classify(&conn.server, &format!("apply {resource}"), e)),
    }
}

fn name_of(object: &Value) -> &str {
    object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn outcome(resource: String, result: ApplyResult) -> ObjectOutcome {
    ObjectOutcome {
        resource,
        result,
        reason: None,
    }
}

fn not_served(object: &Value, resource: String) -> ObjectOutcome {
    let reason = gvk_of(object).map_or(String::new(), |gvk| {
        format!(
            "the cluster does not serve {}/{} {} (is its CRD installed?)",
            gvk.group, gvk.version, gvk.kind
        )
    });
    ObjectOutcome {
        resource,
        result: ApplyResult::Skipped,
        reason: Some(reason),
    }
}
