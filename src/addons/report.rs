//! What the addon commands report, as data for the text renderer and `-o json|yaml`.

use serde::Serialize;

use super::catalog::WorkloadKind;
use crate::kube::ObjectOutcome;

#[derive(Debug, Serialize)]
pub struct AddonsReport {
    /// `install` or `uninstall`.
    pub action: &'static str,
    pub dry_run: bool,
    pub addons: Vec<AddonOutcome>,
}

impl AddonsReport {
    pub fn new(action: &'static str, dry_run: bool) -> Self {
        Self {
            action,
            dry_run,
            addons: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct AddonOutcome {
    pub name: String,
    /// The tag of the addon's main image in the release's manifest.
    pub version: Option<String>,
    pub url: String,
    /// After install: whether the workload became ready (not waited for on a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready: Option<bool>,
    pub objects: Vec<ObjectOutcome>,
}

#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub namespace: String,
    pub addons: Vec<AddonStatus>,
}

#[derive(Debug, Serialize)]
pub struct AddonStatus {
    pub name: String,
    pub installed: bool,
    /// Whether meshctl applied it (its workload carries meshctl's addon label).
    pub managed_by_meshctl: bool,
    pub workload: String,
    pub kind: WorkloadKind,
    pub version: Option<String>,
    pub ready_replicas: i32,
    pub replicas: i32,
    pub ready: bool,
    pub url: String,
}

impl StatusReport {
    pub fn installed(&self) -> impl Iterator<Item = &AddonStatus> {
        self.addons.iter().filter(|a| a.installed)
    }
}
