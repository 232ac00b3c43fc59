//! control-plane group: the Istio namespace, istiod and the gateways (ready, and answering
//! Envoy's readiness probe), and the webhooks (`probes.rs`). The namespace, Deployments and pods
//! come from the snapshot (`view.rs`); the webhook lists and the dry-run probes run in the same
//! wave as the snapshot's lists.

mod probes;
mod view;

use k8s_openapi::api::apps::v1::Deployment;

use super::catalog::{
    self, CheckSpec, EGRESS, EGRESS_READINESS, INGRESS, INGRESS_READINESS, INJECTOR,
    ISTIO_NAMESPACE, ISTIOD_READY, VALIDATION, WEBHOOKS,
};
use super::{Check, Ctx, Group, skipped_after};
use crate::kube::{api_message, availability};
use crate::snapshot::{self, Listed};
use view::{EGRESS_APP, INGRESS_APP, ISTIOD, View};

const INSTALL_HINT: &str = "install Istio: istioctl install --set profile=demo -y";

/// The checks that read the cluster themselves (webhook lists, dry-run probes): started with
/// the snapshot's lists, judged after.
pub(super) struct Probes {
    webhooks: Option<Check>,
    validation: Option<Check>,
    injection: Option<Check>,
}

pub(super) async fn probes(ctx: &Ctx<'_>) -> Probes {
    let (webhooks, validation, injection) = futures::join!(
        when(ctx, &WEBHOOKS, probes::webhooks_check(ctx)),
        when(ctx, &VALIDATION, probes::validation_check(ctx)),
        when(ctx, &INJECTOR, probes::injection_check(ctx)),
    );
    Probes {
        webhooks,
        validation,
        injection,
    }
}

/// Whether the group needs the namespace, Deployments and pods of the Istio namespace.
pub(super) fn reads_workloads(ctx: &Ctx<'_>) -> bool {
    [
        &ISTIO_NAMESPACE,
        &ISTIOD_READY,
        &INGRESS,
        &INGRESS_READINESS,
        &EGRESS,
        &EGRESS_READINESS,
    ]
    .into_iter()
    .any(|spec| ctx.wants(spec))
}

/// The checks of the Istio namespace and its workloads: judged as soon as the snapshot's lists
/// are read (the gateways' readiness probes need its pods), while the rest of the wave may still
/// be out.
#[derive(Default)]
pub(super) struct Workloads {
    checks: Vec<Check>,
    /// The Istio namespace is missing: the group's other checks are skipped.
    fatal: bool,
}

pub(super) async fn workloads(
    ctx: &Ctx<'_>,
    lists: Option<Result<&Listed, &snapshot::Error>>,
) -> Workloads {
    if !ctx.opts.selection.wants_group(Group::ControlPlane) || !reads_workloads(ctx) {
        return Workloads::default();
    }
    let view = View::read(ctx, lists).await;
    let mut checks = Vec::new();
    let namespace = namespace_check(ctx, &view);
    let failed = namespace.status == super::Status::Fail;
    checks.extend(ctx.wants(&ISTIO_NAMESPACE).then_some(namespace));
    if failed && ISTIO_NAMESPACE.fatal {
        checks.extend(skipped_after(ctx, &ISTIO_NAMESPACE));
        return Workloads {
            checks,
            fatal: true,
        };
    }
    let view = &view;
    let (istiod, ingress, ingress_ready, egress, egress_ready) = futures::join!(
        when(
            ctx,
            &ISTIOD_READY,
            deployment_check(ctx, view, &ISTIOD_READY, ISTIOD, Required::Yes)
        ),
        when(
            ctx,
            &INGRESS,
            deployment_check(ctx, view, &INGRESS, INGRESS_APP, Required::Yes)
        ),
        when(
            ctx,
            &INGRESS_READINESS,
            readiness_check(ctx, view, &INGRESS_READINESS, INGRESS_APP)
        ),
        when(
            ctx,
            &EGRESS,
            deployment_check(ctx, view, &EGRESS, EGRESS_APP, Required::No)
        ),
        when(
            ctx,
            &EGRESS_READINESS,
            readiness_check(ctx, view, &EGRESS_READINESS, EGRESS_APP)
        ),
    );
    checks.extend(
        [istiod, ingress, ingress_ready, egress, egress_ready]
            .into_iter()
            .flatten(),
    );
    Workloads {
        checks,
        fatal: false,
    }
}

/// The group's checks in catalog order: the workloads', then the webhooks' and the probes'
/// (skipped already when the Istio namespace is missing).
pub(super) fn run(ctx: &Ctx<'_>, workloads: Workloads, probes: Probes) -> Vec<Check> {
    if !ctx.opts.selection.wants_group(Group::ControlPlane) {
        return Vec::new();
    }
    let mut checks = workloads.checks;
    if !workloads.fatal {
        checks.extend(
            [probes.webhooks, probes.validation, probes.injection]
                .into_iter()
                .flatten(),
        );
    }
    checks
}

/// Runs a check only when it is selected.
async fn when(
    ctx: &Ctx<'_>,
    spec: &CheckSpec,
    check: impl Future<Output = Check>,
) -> Option<Check> {
    if ctx.wants(spec) {
        Some(check.await)
    } else {
        None
    }
}

fn namespace_check(ctx: &Ctx<'_>, view: &View) -> Check {
    let ns = &ctx.opts.istio_namespace;
    match &view.namespace {
        Ok(true) => ISTIO_NAMESPACE.pass(ns.clone()),
        Ok(false) => ISTIO_NAMESPACE
            .fail(format!("namespace {ns} does not exist"))
            .with_hint(ISTIO_NAMESPACE.hint),
        Err(e) => ISTIO_NAMESPACE.fail(e.clone()),
    }
}

#[derive(PartialEq)]
enum Required {
    Yes,
    No,
}

async fn deployment_check(
    ctx: &Ctx<'_>,
    view: &View,
    spec: &CheckSpec,
    name: &str,
    required: Required,
) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let deployment: &Deployment = match view.deployment(name) {
        Ok(Some(d)) => d,
        Ok(None) if required == Required::No => {
            return spec
                .warn(format!("deployment {ns}/{name} not found (optional)"))
                .with_hint(catalog::EGRESS.hint);
        }
        Ok(None) => {
            return spec
                .fail(format!("deployment {ns}/{name} not found"))
                .with_hint(INSTALL_HINT);
        }
        Err(e) => return spec.fail(format!("cannot read deployment {ns}/{name}: {e}")),
    };
    let state = availability(&ctx.client(), deployment).await;
    if state.is_available() {
        return spec.pass(state.summary());
    }
    spec.fail(state.summary()).with_hint(format!(
        "kubectl -n {ns} describe deployment {name}; kubectl -n {ns} get events"
    ))
}

/// Envoy's readiness endpoint (15021 `/healthz/ready`) of every gateway pod, read through the
/// API server's pod proxy: a Ready pod whose proxy does not answer is not serving traffic.
async fn readiness_check(ctx: &Ctx<'_>, view: &View, spec: &CheckSpec, app: &str) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let running = match view.running(app) {
        Ok(running) => running,
        Err(e) => return spec.fail(format!("cannot list {app} pods: {e}")),
    };
    if running.is_empty() {
        return spec.skip(format!("no running {app} pods"));
    }
    let probes = running.iter().map(|pod| async move {
        let path = format!("/api/v1/namespaces/{ns}/pods/{pod}:15021/proxy/healthz/ready");
        let outcome = match http::Request::get(&path).body(Vec::new()) {
            Ok(request) => ctx
                .conn
                .client
                .request_text(request)
                .await
                .map_err(|e| api_message(&e)),
            Err(e) => Err(e.to_string()),
        };
        (pod, outcome)
    });
    let failures: Vec<String> = futures::future::join_all(probes)
        .await
        .into_iter()
        .filter_map(|(pod, outcome)| outcome.err().map(|e| format!("{pod}: {}", e.trim())))
        .collect();
    if failures.is_empty() {
        let n = running.len();
        return spec.pass(format!("{n} of {n} pods ready on :15021"));
    }
    spec.fail(failures.join("; "))
        .with_hint(format!("kubectl -n {ns} logs -l app={app} --tail=50"))
}
