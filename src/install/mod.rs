//! The install and uninstall workflows: preflight, istioctl, the control plane, the namespace
//! label and the manifests, driven from an options struct, with progress reported through
//! `InstallProgress` and the result collected in an `InstallReport`.

mod error;
mod gateway_crds;
mod report;
mod uninstall;

use std::time::{Duration, Instant};

use serde_json::Value;

pub use error::{Error, Result};
pub use report::{InstallReport, StepStatus};
pub use uninstall::{UninstallOptions, uninstall};

use crate::checks::preflight::{PreflightOptions, failures, preflight};
use crate::istioctl::{self, IstioctlSource};
use crate::kube::{
    ApplyResult, Connection, Kinds, ObjectOutcome, apply_wave, daemonsets_ready,
    deployments_available, dry_run_wave, group_and_plural, label_for_injection, rejection_summary,
    resolve_kinds,
};
use crate::manifests::{self, MeshConfig};

/// What the workflow tells the person watching: downloads, long tasks, istioctl's output lines
/// and warnings.
pub trait InstallProgress: Sync {
    fn download(&self) -> &dyn istioctl::Progress;
    /// A long task starts; it ends at the next `begin` or `end`.
    fn begin(&self, task: &str);
    /// A line istioctl printed while the task runs.
    fn output(&self, line: &str);
    fn end(&self);
    fn warn(&self, message: &str);
}

/// The API the routing manifests use: Istio's (VirtualService, DestinationRule) or the
/// Kubernetes Gateway API (Gateway, HTTPRoute), as `manifests render --api` renders them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficApi {
    Istio,
    GatewayApi,
}

/// How to run `istioctl install`.
#[derive(Debug, Clone)]
pub struct IstioInstall {
    pub source: IstioctlSource,
    pub profile: String,
    /// `--set KEY=VALUE` for istioctl, in order.
    pub sets: Vec<String>,
    /// Flags that point istioctl at the cluster meshctl uses (`--kubeconfig`, `--context`).
    pub cluster_flags: Vec<String>,
    pub namespace: String,
    /// How long to wait for the control plane's Deployments.
    pub timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct InstallOptions {
    pub config: MeshConfig,
    /// `None` leaves Istio as it is.
    pub istio: Option<IstioInstall>,
    /// The istiod revision; the namespace is then labelled `istio.io/rev`.
    pub revision: Option<String>,
    /// Apply the namespace label and the manifests.
    pub manifests: bool,
    /// The traffic API the manifests' routing is written in.
    pub api: TrafficApi,
    /// Istio's namespace, for the preflight even when Istio is left alone.
    pub istio_namespace: String,
    /// Where the Gateway API CRDs come from; `None` leaves them as they are.
    pub gateway_api_crds: Option<crate::gateway_crds::CrdSource>,
    pub dry_run: bool,
}

impl IstioInstall {
    /// The ambient profile, or the CNI component turned on by hand.
    pub fn puts_cni_on_nodes(&self) -> bool {
        self.profile == "ambient"
            || self
                .sets
                .iter()
                .any(|s| s.trim() == "components.cni.enabled=true")
    }

    pub fn command(&self, revision: Option<&str>) -> Vec<String> {
        let mut command = vec![
            "install".to_string(),
            "--set".into(),
            format!("profile={}", self.profile),
        ];
        for set in &self.sets {
            command.extend(["--set".to_string(), set.clone()]);
        }
        if let Some(revision) = revision {
            command.extend(["--revision".to_string(), revision.to_string()]);
        }
        command.push("-y".into());
        command.extend(self.cluster_flags.iter().cloned());
        command
    }
}

/// Runs the install, filling `report` as it goes so that a caller can show how far it got.
pub async fn install(
    conn: &Connection,
    opts: &InstallOptions,
    progress: &dyn InstallProgress,
    report: &mut InstallReport,
) -> Result<()> {
    let rendered = match opts.api {
        TrafficApi::Istio => manifests::render(&opts.config)?,
        TrafficApi::GatewayApi => {
            let rendered = manifests::render_gateway_api(&opts.config)?;
            for note in &rendered.notes {
                progress.warn(note);
            }
            rendered.manifests
        }
    };
    let objects: Vec<Value> = rendered.into_iter().map(|m| m.object).collect();
    let mut kinds: Vec<(String, String)> = objects.iter().filter_map(group_and_plural).collect();
    kinds.dedup();
    let app_ns = opts.config.namespace.as_str();
    let preflight_opts = PreflightOptions {
        app_namespace: app_ns,
        istio_namespace: &opts.istio_namespace,
        with_istio: opts.istio.is_some(),
        gateway_api_crds: opts.gateway_api_crds.is_some(),
        ambient: opts
            .istio
            .as_ref()
            .is_some_and(IstioInstall::puts_cni_on_nodes),
        sets: opts.istio.as_ref().map_or(&[], |i| i.sets.as_slice()),
        manifest_kinds: &kinds,
    };
    report.running = Some("the preflight checks");
    // The manifests' kinds are resolved in the preflight's wave: it changes nothing.
    let (preflight, kinds) = futures::join!(
        preflight(conn, &preflight_opts),
        resolve_kinds(conn, &objects)
    );
    report.preflight = preflight?;
    let failed = failures(&report.preflight);
    if !failed.is_empty() {
        return Err(Error::PreflightFailed { failures: failed });
    }
    // Before istiod starts, so that its Gateway API controllers find the CRDs.
    let mut kinds = kinds;
    if let Some(source) = &opts.gateway_api_crds
        && gateway_crds::manage(conn, source, opts.dry_run, progress, report).await?
    {
        kinds = resolve_kinds(conn, &objects).await;
    }
    if let Some(istio) = &opts.istio {
        install_istio(conn, istio, opts, progress, report).await?;
    }
    report.running = None;
    if !opts.manifests {
        return Ok(());
    }
    let kinds = kinds?;
    let revision = opts.revision.as_deref();
    report.running = Some("the namespace label");
    let labelled = label_for_injection(conn, app_ns, revision, opts.dry_run).await?;
    let label = crate::kube::InjectionLabel::new(revision);
    report.step(
        "namespace",
        StepStatus::Done,
        format!("{app_ns} {}, labelled {label}", labelled.result),
    );
    report.running = Some("the manifest step");
    let applied = &mut report.objects;
    apply_manifests(conn, &kinds, &objects, opts.dry_run, progress, applied).await?;
    report.running = None;
    if let Some(details) = rejection_summary(&report.objects) {
        let count = report.count(ApplyResult::Rejected);
        return Err(Error::ObjectsRejected { count, details });
    }
    Ok(())
}

/// A server-side dry run of every object comes first (one parallel wave): if the cluster (its
/// schemas or Istio's webhook) refuses any of them, nothing is applied. Then every object is
/// applied in one parallel wave; outcomes land in `applied` as they come, so that an error or
/// Ctrl-C in the middle leaves there exactly what was applied.
async fn apply_manifests(
    conn: &Connection,
    kinds: &Kinds,
    objects: &[Value],
    dry_run: bool,
    progress: &dyn InstallProgress,
    applied: &mut Vec<ObjectOutcome>,
) -> Result<()> {
    progress.begin("applying manifests");
    let planned = dry_run_wave(conn, kinds, objects, dry_run).await?;
    if dry_run || rejection_summary(&planned.outcomes).is_some() {
        *applied = planned.outcomes;
    } else if let Err((failed_at, source)) =
        apply_wave(conn, kinds, objects, &planned, applied).await
    {
        progress.end();
        return Err(Error::ApplyStopped {
            applied: applied.iter().map(|o| o.resource.clone()).collect(),
            total: objects.len(),
            failed_at,
            source,
        });
    }
    progress.end();
    // The apply wave reports outcomes as they finish, not in the objects' order: the kind is
    // read from the outcome's own `Kind/ns/name`.
    for skipped in applied.iter().filter(|o| o.result == ApplyResult::Skipped) {
        let instead = skipped
            .resource
            .split('/')
            .next()
            .and_then(crate::manifests::instead_of)
            .map(|what| format!("; instead: {what}"))
            .unwrap_or_default();
        progress.warn(&format!(
            "skipped {}: {}{instead}",
            skipped.resource,
            skipped.reason.as_deref().unwrap_or("")
        ));
    }
    Ok(())
}

async fn install_istio(
    conn: &Connection,
    istio: &IstioInstall,
    opts: &InstallOptions,
    progress: &dyn InstallProgress,
    report: &mut InstallReport,
) -> Result<()> {
    let command = istio.command(opts.revision.as_deref());
    let waiting = format!(
        "{} s for the Deployments in {}",
        istio.timeout.as_secs(),
        istio.namespace
    );
    if opts.dry_run {
        let would = format!("would run: istioctl {}", command.join(" "));
        report.step("istio", StepStatus::Planned, would);
        let would = format!("would wait up to {waiting}, and for its DaemonSets");
        report.step("control plane", StepStatus::Planned, would);
        return Ok(());
    }
    report.running = Some("the istioctl download");
    let binary = istioctl::resolve(&istio.source, progress.download()).await?;
    report.step("istioctl", StepStatus::Done, binary.display().to_string());
    let started = Instant::now();
    report.running = Some("istioctl install (istioctl was stopped)");
    progress.begin("istioctl install");
    istioctl::run_streamed(&binary, &command, &|line: &str| progress.output(line)).await?;
    progress.end();
    let took = started.elapsed().as_secs();
    let ran = format!("istioctl {} ({took} s)", command.join(" "));
    report.step("istio", StepStatus::Done, ran);
    report.running = Some("the wait for istiod and the gateways");
    progress.begin("waiting for istiod and the gateways");
    let ready = deployments_available(conn, &istio.namespace, istio.timeout).await?;
    progress.end();
    let available = format!("available in {}: {}", istio.namespace, ready.join(", "));
    report.step("control plane", StepStatus::Done, available);
    // The ambient profile's ztunnel and istio-cni run on every node as DaemonSets; the mesh
    // works only once each node has both.
    report.running = Some("the wait for the node agents");
    progress.begin("waiting for the node agents (DaemonSets)");
    let agents = daemonsets_ready(conn, &istio.namespace, istio.timeout).await?;
    progress.end();
    if !agents.is_empty() {
        let ready = format!("every desired pod ready: {}", agents.join(", "));
        report.step("node agents", StepStatus::Done, ready);
    }
    Ok(())
}
