//! What health reports: each check's status, group, detail and hint, and the whole run.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Skip,
    Warn,
    Fail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    Cluster,
    ControlPlane,
    DataPlane,
    Config,
    Connectivity,
    Observability,
}

impl Group {
    /// The heading of the group in text output.
    pub fn title(self) -> &'static str {
        match self {
            Self::Cluster => "cluster",
            Self::ControlPlane => "control plane",
            Self::DataPlane => "data plane",
            Self::Config => "config",
            Self::Connectivity => "connectivity",
            Self::Observability => "observability",
        }
    }
}

/// The group's id, as in check ids and `--only`.
impl std::fmt::Display for Group {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Cluster => "cluster",
            Self::ControlPlane => "control-plane",
            Self::DataPlane => "data-plane",
            Self::Config => "config",
            Self::Connectivity => "connectivity",
            Self::Observability => "observability",
        })
    }
}

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub group: Group,
    pub title: &'static str,
    pub status: Status,
    pub detail: String,
    pub hint: Option<String>,
}

impl Check {
    pub(super) fn new(
        id: &'static str,
        group: Group,
        title: &'static str,
        status: Status,
        detail: String,
    ) -> Self {
        Self {
            id,
            group,
            title,
            status,
            detail,
            hint: None,
        }
    }

    pub(super) fn pass(
        id: &'static str,
        group: Group,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(id, group, title, Status::Pass, detail.into())
    }

    pub(super) fn fail(
        id: &'static str,
        group: Group,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(id, group, title, Status::Fail, detail.into())
    }

    pub(super) fn warn(
        id: &'static str,
        group: Group,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(id, group, title, Status::Warn, detail.into())
    }

    pub(super) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct HealthReport {
    pub status: Status,
    pub checks: Vec<Check>,
}

impl HealthReport {
    pub(super) fn from_checks(checks: Vec<Check>) -> Self {
        let status = checks
            .iter()
            .map(|c| c.status)
            .filter(|s| *s != Status::Skip)
            .max();
        Self {
            status: status.unwrap_or(Status::Pass),
            checks,
        }
    }

    pub fn failed(&self) -> bool {
        self.status == Status::Fail
    }

    /// This report with each check of `newer` in place of the one with its id (a `--wait` round
    /// that re-ran some checks); the order stays the catalog's.
    pub fn merge(self, newer: Self) -> Self {
        let checks = self
            .checks
            .into_iter()
            .map(|old| {
                newer
                    .checks
                    .iter()
                    .find(|c| c.id == old.id)
                    .cloned()
                    .unwrap_or(old)
            })
            .collect();
        Self::from_checks(checks)
    }

    pub fn failing(&self) -> usize {
        self.checks
            .iter()
            .filter(|c| c.status == Status::Fail)
            .count()
    }
}
