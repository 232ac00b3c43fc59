//! Health checks as data: a catalog (`catalog.rs`) of checks with stable ids, groups, titles,
//! fatal flags and hints; each run gives a status, a one-line detail and, when it does not pass,
//! a hint with the command that fixes it. The data-plane and config groups run analyzer rules on
//! a live snapshot, so health and `troubleshoot` report the same problems.

mod ambient;
pub mod catalog;
mod cluster;
mod config;
mod connectivity;
mod control_plane;
mod data_plane;
mod error;
mod observability;
mod platform;
pub mod preflight;
mod report;
mod wait;

use crate::analyze::{AnalyzeOptions, NamespaceScope, analyze_codes};
use crate::kube::Connection;
use crate::snapshot::kinds::{self, ApiKind};
use crate::snapshot::{self, MeshSnapshot};

pub use catalog::{CATALOG, CheckSpec};
pub use error::{Error, Result};
pub use report::{Check, Group, HealthReport, Status};
pub use wait::run_until_healthy;

/// The kinds health's checks read from the snapshot: its rules (`CheckSpec::rules`), the
/// control-plane view, the ambient checks (waypoints are Gateway API Gateways) and the config
/// counts. The table's others (quotas, limit ranges, ServiceEntries, EnvoyFilters, the Gateway
/// API's routes and grants, the injector's ConfigMap, the Secrets Gateways name) feed only rules
/// health does not run, so it does not list them.
const SNAPSHOT_KINDS: [ApiKind; 12] = [
    kinds::NAMESPACE,
    kinds::POD,
    kinds::SERVICE,
    kinds::DEPLOYMENT,
    // Why a Deployment is short of replicas (MESH0210): its newest ReplicaSet's condition.
    kinds::REPLICA_SET,
    kinds::GATEWAY,
    kinds::VIRTUAL_SERVICE,
    kinds::DESTINATION_RULE,
    // Policies that target the namespace, for MESH0201.
    kinds::PEER_AUTHENTICATION,
    kinds::REQUEST_AUTHENTICATION,
    kinds::AUTHORIZATION_POLICY,
    kinds::K8S_GATEWAY,
];

/// Which checks run: all but the skipped ones, of one group if `only` is set.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub skip: Vec<&'static CheckSpec>,
    pub only: Option<Group>,
    /// When set, only these ids: a `--wait` round re-runs only the checks that did not pass.
    pub rerun: Option<Vec<String>>,
}

impl Selection {
    /// The catalog entry of each id; an unknown id is an error, not a silent no-op.
    pub fn new(skip: &[String], only: Option<Group>) -> Result<Self> {
        let skip = skip
            .iter()
            .map(|id| catalog::find(id).ok_or_else(|| Error::UnknownCheck { id: id.clone() }))
            .collect::<Result<_>>()?;
        Ok(Self {
            skip,
            only,
            rerun: None,
        })
    }

    pub fn wants(&self, spec: &CheckSpec) -> bool {
        self.only.is_none_or(|g| g == spec.group)
            && !self.skip.iter().any(|s| s.id == spec.id)
            && self
                .rerun
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|id| id == spec.id))
    }

    /// This selection narrowed to the checks of `report` that failed or were skipped (a skip
    /// may be the consequence of a failure, and is cheap to run again).
    pub fn rerun_of(&self, report: &HealthReport) -> Self {
        let ids = report
            .checks
            .iter()
            .filter(|c| matches!(c.status, Status::Fail | Status::Skip))
            .map(|c| c.id.to_string())
            .collect();
        Self {
            rerun: Some(ids),
            ..self.clone()
        }
    }

    fn wants_group(&self, group: Group) -> bool {
        CATALOG.iter().any(|c| c.group == group && self.wants(c))
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
    pub selection: Selection,
}

impl HealthOptions {
    fn analyze(&self) -> AnalyzeOptions {
        AnalyzeOptions {
            scope: NamespaceScope::One(self.namespace.clone()),
            istio_namespace: self.istio_namespace.clone(),
            cert_expiry_days: 30,
            suppress: Vec::new(),
        }
    }
}

pub(crate) struct Ctx<'a> {
    pub conn: &'a Connection,
    pub opts: &'a HealthOptions,
}

impl Ctx<'_> {
    fn client(&self) -> kube::Client {
        self.conn.client.clone()
    }

    fn wants(&self, spec: &CheckSpec) -> bool {
        self.opts.selection.wants(spec)
    }
}

/// The checks of `group` after a fatal failure: reported as skipped, with the reason.
fn skipped_after(ctx: &Ctx<'_>, failed: &CheckSpec) -> Vec<Check> {
    CATALOG
        .iter()
        .skip_while(|c| c.id != failed.id)
        .skip(1)
        .filter(|c| c.group == failed.group && ctx.wants(c))
        .map(|c| c.skip(format!("not run: {} failed", failed.id)))
        .collect()
}

/// A check that runs analyzer rules: the worst status its findings give, their objects and
/// messages as the detail and their fixes as the hint; `pass` is the detail when there are none.
fn by_rules(spec: &CheckSpec, mesh: &MeshSnapshot, opts: &AnalyzeOptions, pass: String) -> Check {
    let findings = analyze_codes(mesh, opts, &spec.codes());
    let status = findings
        .iter()
        .filter_map(|f| spec.rules.iter().find(|(code, _)| *code == f.code))
        .map(|(_, status)| *status)
        .max()
        .unwrap_or(Status::Pass);
    let unread = if mesh.unread.is_empty() {
        String::new()
    } else {
        format!(
            " (judged without {}: not allowed to list them)",
            mesh.unread.join(", ")
        )
    };
    if status == Status::Pass {
        return spec.pass(pass + &unread);
    }
    let detail: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f.resource, f.message))
        .collect();
    let fixes: Vec<&str> = findings.iter().map(|f| f.fix.as_str()).collect();
    spec.result(status, detail.join("; ") + &unread)
        .with_hint(fixes.join("; "))
}

/// The selected checks of a group that needs the snapshot, when it could not be read.
fn unread(ctx: &Ctx<'_>, group: Group, reason: &str) -> Vec<Check> {
    CATALOG
        .iter()
        .filter(|c| c.group == group && ctx.wants(c))
        // Without the snapshot no namespace is known to be ambient: its checks stay absent.
        .filter(|c| !ambient::CHECKS.iter().any(|a| a.id == c.id))
        .map(|c| c.skip(format!("the mesh could not be read: {reason}")))
        .collect()
}

/// A snapshot error and the API server's own words for its cause, on one line.
fn chain(err: &snapshot::Error) -> String {
    match err.api_source() {
        Some(source) => format!("{err}: {}", crate::kube::api_message(source)),
        None => err.to_string(),
    }
}

/// The checks that read the snapshot's lists: the control-plane workloads and the addons as soon
/// as the lists are read (without waiting for the ambient checks' reads), then the data-plane
/// and config groups on the snapshot.
async fn from_snapshot(
    ctx: &Ctx<'_>,
    live: bool,
) -> (control_plane::Workloads, Vec<Check>, Vec<Check>, Vec<Check>) {
    let (conn, opts, sel) = (ctx.conn, ctx.opts, &ctx.opts.selection);
    let after_lists = async {
        let listed = if live {
            Some(
                snapshot::readable_lists(
                    &conn.client,
                    Some(&opts.namespace),
                    &opts.istio_namespace,
                    &SNAPSHOT_KINDS,
                )
                .await,
            )
        } else {
            None
        };
        let lists = listed.as_ref().map(|l| l.as_ref());
        let (workloads, observability) = futures::join!(
            control_plane::workloads(ctx, lists),
            observability::run(ctx, lists.and_then(Result::ok)),
        );
        (listed, workloads, observability)
    };
    // The ambient checks' reads (node agents, nodes) go in the same wave as the lists.
    let ((listed, workloads, observability), ambient_reads) =
        futures::join!(after_lists, ambient::read(ctx));
    // No rule health runs reads the Secrets Gateways name: the snapshot goes without them.
    let read = listed.map(|listed| listed.map(|lists| lists.into_snapshot(Vec::new())));
    let mesh = read.as_ref().map(|m| m.as_ref());
    let data = match mesh {
        Some(mesh) if sel.wants_group(Group::DataPlane) => data_plane::run(ctx, mesh).await,
        _ => Vec::new(),
    };
    // The ambient checks close the data-plane group (absent unless the namespace is ambient).
    let data: Vec<Check> = match mesh {
        Some(Ok(mesh)) => data
            .into_iter()
            .chain(ambient::run(ctx, mesh, ambient_reads.as_ref()))
            .collect(),
        _ => data,
    };
    let config = match mesh {
        Some(mesh) if sel.wants_group(Group::Config) => config::run(ctx, mesh),
        _ => Vec::new(),
    };
    (workloads, data, config, observability)
}

/// Runs every selected group. The first call (the version) goes alone and leaves a warm
/// connection; then every check's reads go out in one parallel wave: the service's health
/// endpoint (often the longest leg, so sent first), the dry-run probes and the webhook lists, the
/// snapshot's lists (which the control-plane, data-plane and config groups share). The wave's
/// own answers then show the permissions the checks need; only one no request needed is asked
/// about with an access review. The snapshot holds only the kinds the checks read
/// (`SNAPSHOT_KINDS`). What depends on the lists (the gateways' readiness probes, the addons,
/// whose Deployments are among them) follows them at once, side by side, without waiting for the
/// rest of the wave.
/// An API server that cannot be reached is an error (exit 3), not a report: none of the checks
/// could say anything.
pub async fn run_health(conn: &Connection, opts: &HealthOptions) -> Result<HealthReport> {
    conn.answers.start();
    let started = std::time::Instant::now();
    let version = conn
        .client
        .apiserver_version()
        .await
        .map_err(|source| Error::unreachable(&conn.server, source))?;
    let latency = started.elapsed();
    let ctx = Ctx { conn, opts };
    let sel = &opts.selection;
    let live = sel.wants_group(Group::DataPlane)
        || sel.wants_group(Group::Config)
        || control_plane::reads_workloads(&ctx);
    let (connectivity, probes, (workloads, data, config, observability)) = futures::join!(
        connectivity::run(&ctx),
        control_plane::probes(&ctx),
        from_snapshot(&ctx, live),
    );
    let permissions = cluster::permissions(&ctx, &conn.answers.kept()).await;
    let cluster = cluster::run(&ctx, &version, latency, permissions);
    let control = control_plane::run(&ctx, workloads, probes);
    let checks = [cluster, control, data, config, connectivity, observability]
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
        let report = HealthReport::from_checks(vec![
            catalog::VERSION.pass(""),
            catalog::PERMISSIONS.skip(""),
            catalog::WEBHOOKS.warn(""),
        ]);
        assert_eq!(report.status, Status::Warn);
        assert!(!report.failed());
        let report =
            HealthReport::from_checks(vec![catalog::VERSION.pass(""), catalog::WEBHOOKS.fail("")]);
        assert!(report.failed());
        assert_eq!(report.failing(), 1);
    }

    /// `SNAPSHOT_KINDS` was chosen for exactly these rules: a check that runs another may need a
    /// kind health does not list. Add the kind there first, then the code here.
    #[test]
    fn the_snapshot_kinds_were_chosen_for_the_rules_health_runs() {
        let mut codes: Vec<&str> = CATALOG
            .iter()
            .flat_map(|c| c.codes())
            .map(|c| c.as_str())
            .collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes,
            [
                "MESH0101", "MESH0201", "MESH0202", "MESH0203", "MESH0207", "MESH0208", "MESH0209",
                "MESH0210", "MESH0801"
            ]
        );
    }

    #[test]
    fn a_selection_skips_ids_and_keeps_one_group() {
        let sel = Selection::new(&["data-plane.sidecars".into()], Some(Group::DataPlane))
            .expect("known id");
        assert!(sel.wants(&catalog::INJECTION_LABEL));
        assert!(!sel.wants(&catalog::SIDECARS));
        assert!(!sel.wants(&catalog::VERSION));
        assert!(matches!(
            Selection::new(&["nope".into()], None),
            Err(Error::UnknownCheck { .. })
        ));
    }
}
