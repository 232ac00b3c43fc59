//! Health checks as data: each has a stable id, a group, a title, a status, a one-line detail
//! and, when it does not pass, a hint with the command that fixes it.

mod cluster;
mod config;
mod connectivity;
mod control_plane;
mod data_plane;
pub mod preflight;

use serde::Serialize;

use crate::error::Result;
use crate::kube::{Connection, classify};

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
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Self::Cluster => "cluster",
            Self::ControlPlane => "control plane",
            Self::DataPlane => "data plane",
            Self::Config => "config",
            Self::Connectivity => "connectivity",
        }
    }
}

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
    fn new(
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

    fn pass(
        id: &'static str,
        group: Group,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(id, group, title, Status::Pass, detail.into())
    }

    fn fail(
        id: &'static str,
        group: Group,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(id, group, title, Status::Fail, detail.into())
    }

    fn warn(
        id: &'static str,
        group: Group,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(id, group, title, Status::Warn, detail.into())
    }

    fn skip(
        id: &'static str,
        group: Group,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(id, group, title, Status::Skip, detail.into())
    }

    fn with_hint(mut self, hint: impl Into<String>) -> Self {
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
    fn from_checks(checks: Vec<Check>) -> Self {
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
}

/// What the checks look at; the defaults are the seed's.
#[derive(Debug, Clone)]
pub struct HealthOptions {
    pub namespace: String,
    pub istio_namespace: String,
    pub service: String,
    pub port: u16,
    pub health_path: String,
}

pub(crate) struct Ctx<'a> {
    pub conn: &'a Connection,
    pub opts: &'a HealthOptions,
}

impl Ctx<'_> {
    fn client(&self) -> kube::Client {
        self.conn.client.clone()
    }
}

/// Runs every group in parallel. An API server that cannot be reached is an error (exit 3), not
/// a report: none of the checks could say anything.
pub async fn run_health(
    conn: &Connection,
    opts: &HealthOptions,
) -> Result<HealthReport, crate::kube::Error> {
    let started = std::time::Instant::now();
    let version = conn
        .client
        .apiserver_version()
        .await
        .map_err(|e| classify(&conn.server, "read the API server version", e))?;
    let latency = started.elapsed();
    let ctx = Ctx { conn, opts };
    let (cluster, control, data, config, connectivity) = futures::join!(
        cluster::run(&ctx, &version, latency),
        control_plane::run(&ctx),
        data_plane::run(&ctx),
        config::run(&ctx),
        connectivity::run(&ctx),
    );
    let checks = [cluster, control, data, config, connectivity]
        .into_iter()
        .flatten()
        .collect();
    Ok(HealthReport::from_checks(checks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_status_is_the_worst_non_skipped_check() {
        let g = Group::Cluster;
        let report = HealthReport::from_checks(vec![
            Check::pass("a", g, "a", ""),
            Check::skip("b", g, "b", ""),
            Check::warn("c", g, "c", ""),
        ]);
        assert_eq!(report.status, Status::Warn);
        assert!(!report.failed());
        let report = HealthReport::from_checks(vec![
            Check::pass("a", g, "a", ""),
            Check::fail("d", g, "d", ""),
        ]);
        assert!(report.failed());
    }
}
