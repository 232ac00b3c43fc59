//! Istio's observability addons (Prometheus, Grafana, Kiali, Jaeger, Loki) from the pinned
//! release's `samples/addons`: server-side applied with meshctl's field manager and labelled as
//! meshctl's, waited for, reported on, and removed again (only what carries meshctl's label).

mod catalog;
mod dashboard;
mod error;
mod manifest;
mod report;
mod status;
mod wait;

use std::time::Duration;

pub use catalog::{ADDON_LABEL, ADDON_NAMESPACE, ADDONS, Addon, find};
pub use dashboard::{Target, listen, resolve};
pub use error::{Error, Result};
pub use report::{AddonOutcome, AddonStatus, AddonsReport, StatusReport};
pub use status::{status, status_among};

use crate::istioctl::{IstioctlSource, Progress};
use crate::kube::{ApplyResult, Connection, apply_all, delete_labelled, rejection_summary};

pub struct AddonsOptions {
    pub addons: Vec<&'static Addon>,
    pub source: IstioctlSource,
    /// Where the addons' namespaced objects go (the release's manifests say istio-system).
    pub namespace: String,
    pub dry_run: bool,
    /// How long each addon's workload may take to become ready (install only).
    pub timeout: Duration,
}

/// The addon names given, or every addon with `all`; an unknown name is an error.
pub fn select(names: &[String], all: bool) -> Result<Vec<&'static Addon>> {
    if all {
        return Ok(ADDONS.iter().collect());
    }
    let mut chosen: Vec<&'static Addon> = Vec::new();
    for name in names {
        let addon = find(name).ok_or_else(|| Error::Unknown { name: name.clone() })?;
        if !chosen.contains(&addon) {
            chosen.push(addon);
        }
    }
    Ok(chosen)
}

/// Applies each addon's manifest, then waits until every one's workload is ready.
pub async fn install(
    conn: &Connection,
    opts: &AddonsOptions,
    download: &dyn Progress,
) -> Result<AddonsReport> {
    let loaded = manifest::load(&opts.source, &opts.addons, &opts.namespace, download).await?;
    let mut report = AddonsReport::new("install", opts.dry_run);
    for (addon, objects) in &loaded {
        let outcomes = apply_all(conn, objects, opts.dry_run).await?;
        report.addons.push(AddonOutcome {
            name: addon.name.to_string(),
            version: manifest::version_of(addon, objects),
            url: addon.in_cluster_url(&opts.namespace),
            ready: None,
            objects: outcomes,
        });
    }
    let outcomes: Vec<_> = report
        .addons
        .iter()
        .flat_map(|a| a.objects.clone())
        .collect();
    if let Some(details) = rejection_summary(&outcomes) {
        let count = outcomes
            .iter()
            .filter(|o| o.result == ApplyResult::Rejected)
            .count();
        return Err(Error::Rejected { count, details });
    }
    if !opts.dry_run {
        wait::ready(conn, &opts.namespace, &opts.addons, opts.timeout).await?;
        for outcome in &mut report.addons {
            outcome.ready = Some(true);
        }
    }
    Ok(report)
}

/// Deletes the objects of each addon's manifest that carry meshctl's label for that addon.
pub async fn uninstall(
    conn: &Connection,
    opts: &AddonsOptions,
    download: &dyn Progress,
) -> Result<AddonsReport> {
    let loaded = manifest::load(&opts.source, &opts.addons, &opts.namespace, download).await?;
    let mut report = AddonsReport::new("uninstall", opts.dry_run);
    // Workloads first, so that their pods stop before the config they read goes.
    for (addon, objects) in &loaded {
        let mut ordered = objects.clone();
        ordered.sort_by_key(|o| !matches!(o["kind"].as_str(), Some("Deployment" | "StatefulSet")));
        let outcomes =
            delete_labelled(conn, &ordered, (ADDON_LABEL, addon.name), opts.dry_run).await?;
        report.addons.push(AddonOutcome {
            name: addon.name.to_string(),
            version: manifest::version_of(addon, objects),
            url: addon.in_cluster_url(&opts.namespace),
            ready: None,
            objects: outcomes,
        });
    }
    Ok(report)
}
