//! The namespace's injection label: which one is wanted, when an existing label conflicts with
//! it, and setting or removing it so that never both `istio-injection` and `istio.io/rev` are set.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, Patch, PatchParams};
use serde_json::json;

use super::apply::{ApplyResult, ObjectOutcome, apply_all};
use super::classify::classify;
use super::client::Connection;
use super::error::{Error, Result};

pub const INJECTION: &str = "istio-injection";
pub const REVISION: &str = "istio.io/rev";

/// The label that turns injection on: `istio-injection=enabled`, or `istio.io/rev=REV` for a
/// revisioned control plane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InjectionLabel {
    Enabled,
    Revision(String),
}

impl InjectionLabel {
    pub fn new(revision: Option<&str>) -> Self {
        revision.map_or(Self::Enabled, |rev| Self::Revision(rev.to_string()))
    }

    fn key(&self) -> &'static str {
        match self {
            Self::Enabled => INJECTION,
            Self::Revision(_) => REVISION,
        }
    }

    fn value(&self) -> &str {
        match self {
            Self::Enabled => "enabled",
            Self::Revision(rev) => rev,
        }
    }

    /// The other injection label, removed when this one is set.
    fn other_key(&self) -> &'static str {
        match self {
            Self::Enabled => REVISION,
            Self::Revision(_) => INJECTION,
        }
    }

    /// The existing label that contradicts this one, as `key=value`: the other injection label
    /// with any value (Istio's injector prefers `istio-injection`, so both set is ambiguous), or
    /// the same key with another value.
    pub fn conflict(&self, labels: &BTreeMap<String, String>) -> Option<String> {
        let shown = |key: &str, value: &String| format!("{key}={value}");
        let other = labels
            .get(self.other_key())
            .map(|v| shown(self.other_key(), v));
        let same = labels
            .get(self.key())
            .filter(|v| v.as_str() != self.value())
            .map(|v| shown(self.key(), v));
        other.or(same)
    }
}

impl fmt::Display for InjectionLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key(), self.value())
    }
}

/// Creates the namespace if needed and sets `label`, removing the other injection label.
pub async fn label_for_injection(
    conn: &Connection,
    namespace: &str,
    revision: Option<&str>,
    dry_run: bool,
) -> Result<ObjectOutcome> {
    set_label(conn, namespace, &InjectionLabel::new(revision), dry_run).await
}

/// Sets `label` unless the namespace carries a label that conflicts with it; `force` replaces
/// the conflicting one.
pub async fn ensure_label(
    conn: &Connection,
    namespace: &str,
    label: &InjectionLabel,
    force: bool,
    dry_run: bool,
) -> Result<ApplyResult> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let existing = api
        .get_opt(namespace)
        .await
        .map_err(|e| classify(&conn.server, &format!("get namespace {namespace}"), e))?;
    let labels = existing.and_then(|n| n.metadata.labels).unwrap_or_default();
    if let Some(existing) = label.conflict(&labels).filter(|_| !force) {
        return Err(Error::LabelConflict {
            namespace: namespace.to_string(),
            existing,
            wanted: label.to_string(),
        });
    }
    Ok(set_label(conn, namespace, label, dry_run).await?.result)
}

async fn set_label(
    conn: &Connection,
    namespace: &str,
    label: &InjectionLabel,
    dry_run: bool,
) -> Result<ObjectOutcome> {
    let object = [json!({"apiVersion": "v1", "kind": "Namespace",
        "metadata": {"name": namespace, "labels": {label.key(): label.value()}}})];
    // The namespace is read in the apply's waves rather than after them: a namespace that does
    // not exist yet has no label to remove, and one that does keeps the labels read.
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let (outcomes, current) = futures::join!(apply_all(conn, &object, dry_run), async {
        if dry_run {
            Ok(None)
        } else {
            api.get_opt(namespace).await
        }
    });
    let mut outcomes = outcomes?;
    let current =
        current.map_err(|e| classify(&conn.server, &format!("get namespace {namespace}"), e))?;
    if let Some(current) = current {
        remove_label_from(conn, &current, label.other_key()).await?;
    }
    // apply_all answers once per object it was given.
    Ok(outcomes.pop().unwrap_or(ObjectOutcome {
        resource: format!("Namespace/{namespace}"),
        result: ApplyResult::Unchanged,
        reason: None,
    }))
}

/// Removes both injection labels (for `inject --disable`).
pub async fn unlabel_injection(conn: &Connection, namespace: &str) -> Result<()> {
    remove_namespace_label(conn, namespace, INJECTION).await?;
    remove_namespace_label(conn, namespace, REVISION).await
}

/// The namespace's labels; `None` when the namespace does not exist.
pub async fn namespace_labels(
    conn: &Connection,
    namespace: &str,
) -> Result<Option<BTreeMap<String, String>>> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let found = api
        .get_opt(namespace)
        .await
        .map_err(|e| classify(&conn.server, &format!("get namespace {namespace}"), e))?;
    Ok(found.map(|n| n.metadata.labels.unwrap_or_default()))
}

/// Sets one label on an existing namespace (a merge patch, like `kubectl label --overwrite`,
/// so labels other tools own stay theirs).
pub async fn set_namespace_label(
    conn: &Connection,
    namespace: &str,
    (key, value): (&str, &str),
) -> Result<()> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let patch = json!({"metadata": {"labels": {key: value}}});
    api.patch(namespace, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(|e| {
            classify(
                &conn.server,
                &format!("label namespace {namespace} {key}={value}"),
                e,
            )
        })?;
    Ok(())
}

/// Removes one label from a namespace if it is there (a merge patch: SSA cannot drop a label
/// another manager owns).
pub async fn remove_namespace_label(conn: &Connection, namespace: &str, label: &str) -> Result<()> {
    let api: Api<Namespace> = Api::all(conn.client.clone());
    let current = api
        .get(namespace)
        .await
        .map_err(|e| classify(&conn.server, &format!("get namespace {namespace}"), e))?;
    remove_label_from(conn, &current, label).await
}

/// Removes `label` from `current` (a namespace as read) if it carries it.
async fn remove_label_from(conn: &Connection, current: &Namespace, label: &str) -> Result<()> {
    let namespace = current.metadata.name.as_deref().unwrap_or_default();
    if current
        .metadata
        .labels
        .as_ref()
        .is_none_or(|l| !l.contains_key(label))
    {
        return Ok(());
    }
    let patch = json!({"metadata": {"labels": {label: null}}});
    let api: Api<Namespace> = Api::all(conn.client.clone());
    api.patch(namespace, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .map_err(|e| {
            classify(
                &conn.server,
                &format!("remove label {label} from namespace {namespace}"),
                e,
            )
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_other_label_or_another_value_conflicts() {
        let enabled = InjectionLabel::Enabled;
        let canary = InjectionLabel::Revision("canary".into());
        assert_eq!(enabled.to_string(), "istio-injection=enabled");
        assert_eq!(canary.to_string(), "istio.io/rev=canary");
        assert_eq!(enabled.conflict(&labels(&[])), None);
        assert_eq!(
            enabled.conflict(&labels(&[("istio-injection", "enabled")])),
            None
        );
        assert_eq!(
            enabled.conflict(&labels(&[("istio-injection", "disabled")])),
            Some("istio-injection=disabled".into())
        );
        assert_eq!(
            enabled.conflict(&labels(&[("istio.io/rev", "stable")])),
            Some("istio.io/rev=stable".into())
        );
        assert_eq!(
            canary.conflict(&labels(&[("istio.io/rev", "canary")])),
            None
        );
        assert_eq!(
            canary.conflict(&labels(&[("istio.io/rev", "stable")])),
            Some("istio.io/rev=stable".into())
        );
        assert_eq!(
            canary.conflict(&labels(&[("istio-injection", "enabled")])),
            Some("istio-injection=enabled".into())
        );
    }
}
