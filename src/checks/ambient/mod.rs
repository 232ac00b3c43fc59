//! The data-plane checks of an ambient namespace (`istio.io/dataplane-mode=ambient`): ztunnel
//! and istio-cni on every node, waypoints Programmed, Services bound to their waypoint. They are
//! absent for a namespace that is not ambient, so sidecar-mode reports stay as they were.

mod daemons;
mod waypoints;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, ListParams};

use super::catalog::{INJECTION_LABEL, ISTIO_CNI, SIDECARS, WAYPOINT_BINDING, WAYPOINTS, ZTUNNEL};
use super::{Check, CheckSpec, Ctx, HealthOptions};
use crate::analyze::{analyze_codes, is_ambient};
use crate::snapshot::json::{has_sidecar, injection_enabled, pods_in};
use crate::snapshot::{MeshSnapshot, labels_of, name_of};
use daemons::Read;

/// The checks this module runs, all or none of them by namespace mode.
pub(super) const CHECKS: [&CheckSpec; 4] = [&ZTUNNEL, &ISTIO_CNI, &WAYPOINTS, &WAYPOINT_BINDING];

/// What the node checks need beyond the snapshot, read in health's one wave: the Istio
/// namespace's DaemonSets and the nodes. Whether the namespace is ambient is known only after
/// the wave, so they are read whenever the checks are selected.
pub(super) struct Reads {
    daemon_sets: Read<Vec<DaemonSet>>,
    nodes: Read<Vec<Node>>,
}

pub(super) async fn read(ctx: &Ctx<'_>) -> Option<Reads> {
    if !ctx.wants(&ZTUNNEL) && !ctx.wants(&ISTIO_CNI) {
        return None;
    }
    let client = ctx.client();
    let daemon_sets: Api<DaemonSet> = Api::namespaced(client.clone(), &ctx.opts.istio_namespace);
    let nodes: Api<Node> = Api::all(client);
    let params = ListParams::default();
    let (daemon_sets, nodes) = futures::join!(daemon_sets.list(&params), nodes.list(&params));
    let said = |e: kube::Error| crate::kube::api_message(&e);
    Some(Reads {
        daemon_sets: daemon_sets.map(|l| l.items).map_err(said),
        nodes: nodes.map(|l| l.items).map_err(said),
    })
}

/// The ambient checks of the namespace, or none when it is not ambient.
pub(super) fn run(ctx: &Ctx<'_>, mesh: &MeshSnapshot, reads: Option<&Reads>) -> Vec<Check> {
    let (ns, istio_ns) = (&ctx.opts.namespace, &ctx.opts.istio_namespace);
    if !is_ambient(mesh, ns) {
        return Vec::new();
    }
    let mut checks = Vec::new();
    for (spec, name) in [(&ZTUNNEL, "ztunnel"), (&ISTIO_CNI, "istio-cni-node")] {
        if let (true, Some(reads)) = (ctx.wants(spec), reads) {
            let pods = daemons::pods_of(mesh, istio_ns, name);
            checks.push(daemons::judge(
                spec,
                istio_ns,
                name,
                &reads.daemon_sets,
                &reads.nodes,
                &pods,
            ));
        }
    }
    if ctx.wants(&WAYPOINTS) {
        checks.push(waypoints::waypoints_check(mesh, ns));
    }
    if ctx.wants(&WAYPOINT_BINDING) {
        checks.push(waypoints::binding_check(mesh, ns));
    }
    checks
}

/// `data-plane.injection-label` in an ambient namespace: the dataplane label is what enrols
/// it; a sidecar label as well is a warning (MESH0801), not a missing label.
pub(super) fn label_check(opts: &HealthOptions, mesh: &MeshSnapshot) -> Option<Check> {
    let ns = &opts.namespace;
    if !is_ambient(mesh, ns) {
        return half_enrolled(mesh, ns);
    }
    // The sidecar rules of the check say nothing about an ambient namespace: only MESH0801 can.
    let findings = analyze_codes(mesh, &opts.analyze(), &INJECTION_LABEL.codes());
    let enrolled = format!("{ns}: istio.io/dataplane-mode=ambient");
    Some(match findings.first() {
        None => INJECTION_LABEL.pass(enrolled),
        Some(f) => INJECTION_LABEL
            .warn(format!("{} {}", f.resource, f.message))
            .with_hint(f.fix.clone()),
    })
}

/// A namespace set up for waypoints (a waypoint in it, or `istio.io/use-waypoint` on it) but
/// neither in ambient nor labelled for sidecars: its pods are outside the mesh, and enrolling it
/// in ambient is what it lacks.
fn half_enrolled(mesh: &MeshSnapshot, ns: &str) -> Option<Check> {
    let labels = mesh.namespace_labels(ns)?;
    if injection_enabled(labels) {
        return None;
    }
    let waypoint = labels
        .get(waypoints::USE_WAYPOINT)
        .map(|w| format!("{}={w}", waypoints::USE_WAYPOINT))
        .or_else(|| {
            waypoints::in_namespace(mesh, ns)
                .first()
                .map(|w| format!("waypoint {ns}/{}", name_of(w)))
        })?;
    Some(
        INJECTION_LABEL
            .fail(format!(
                "{ns} has {waypoint} but is neither in ambient (istio.io/dataplane-mode=ambient) nor labelled for injection: its pods are outside the mesh and no waypoint serves them"
            ))
            .with_hint(format!("enrol it in ambient: meshctl inject -n {ns} --mode ambient")),
    )
}

/// `data-plane.sidecars` in an ambient namespace: ztunnel carries its pods' traffic, so no
/// sidecar is missing; the check is skipped with the count of pods that run one anyway.
pub(super) fn sidecar_check(opts: &HealthOptions, mesh: &MeshSnapshot) -> Option<Check> {
    let ns = &opts.namespace;
    if !is_ambient(mesh, ns) {
        return None;
    }
    // A waypoint's own pod runs istio-proxy as its only container: it is no workload's sidecar.
    let pods: Vec<_> = pods_in(mesh, ns)
        .filter(|p| !labels_of(p).contains_key(waypoints::MANAGED))
        .collect();
    let with = pods.iter().filter(|p| has_sidecar(p)).count();
    let own = match with {
        0 => String::new(),
        _ => format!(" ({with} of its {} pods run one of their own)", pods.len()),
    };
    Some(SIDECARS.skip(format!(
        "{ns} is ambient (istio.io/dataplane-mode=ambient): ztunnel carries its pods' traffic and no sidecar is expected{own}"
    )))
}

#[cfg(test)]
mod tests;
