//! control-plane group: the Istio namespace, istiod and the gateways (ready, and answering
//! Envoy's readiness probe), and the webhooks (`probes.rs`).

mod probes;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{Api, ListParams};

use super::catalog::{
    self, CheckSpec, EGRESS, EGRESS_READINESS, INGRESS, INGRESS_READINESS, INJECTOR,
    ISTIO_NAMESPACE, ISTIOD_READY, VALIDATION, WEBHOOKS,
};
use super::{Check, Ctx, Group, skipped_after};
use crate::kube::{api_message, availability};

const INSTALL_HINT: &str = "install Istio: istioctl install --set profile=demo -y";

pub(super) async fn run(ctx: &Ctx<'_>) -> Vec<Check> {
    if !ctx.opts.selection.wants_group(Group::ControlPlane) {
        return Vec::new();
    }
    let namespace = namespace_check(ctx).await;
    let failed = namespace.status == super::Status::Fail;
    let mut checks: Vec<Check> = ctx
        .wants(&ISTIO_NAMESPACE)
        .then_some(namespace)
        .into_iter()
        .collect();
    if failed && ISTIO_NAMESPACE.fatal {
        checks.extend(skipped_after(ctx, &ISTIO_NAMESPACE));
        return checks;
    }
    let (istiod, ingress, ingress_ready, egress, egress_ready, webhooks, validation, injection) = futures::join!(
        when(
            ctx,
            &ISTIOD_READY,
            deployment_check(ctx, &ISTIOD_READY, "istiod", Required::Yes)
        ),
        when(
            ctx,
            &INGRESS,
            deployment_check(ctx, &INGRESS, "istio-ingressgateway", Required::Yes)
        ),
        when(
            ctx,
            &INGRESS_READINESS,
            readiness_check(ctx, &INGRESS_READINESS, "istio-ingressgateway")
        ),
        when(
            ctx,
            &EGRESS,
            deployment_check(ctx, &EGRESS, "istio-egressgateway", Required::No)
        ),
        when(
            ctx,
            &EGRESS_READINESS,
            readiness_check(ctx, &EGRESS_READINESS, "istio-egressgateway")
        ),
        when(ctx, &WEBHOOKS, probes::webhooks_check(ctx)),
        when(ctx, &VALIDATION, probes::validation_check(ctx)),
        when(ctx, &INJECTOR, probes::injection_check(ctx)),
    );
    checks.extend(
        [
            istiod,
            ingress,
            ingress_ready,
            egress,
            egress_ready,
            webhooks,
            validation,
            injection,
        ]
        .into_iter()
        .flatten(),
    );
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

async fn namespace_check(ctx: &Ctx<'_>) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let namespaces: Api<Namespace> = Api::all(ctx.client());
    match namespaces.get_opt(ns).await {
        Ok(Some(_)) => ISTIO_NAMESPACE.pass(ns.clone()),
        Ok(None) => ISTIO_NAMESPACE
            .fail(format!("namespace {ns} does not exist"))
            .with_hint(ISTIO_NAMESPACE.hint),
        Err(e) => ISTIO_NAMESPACE.fail(api_message(&e)),
    }
}

#[derive(PartialEq)]
enum Required {
    Yes,
    No,
}

async fn deployment_check(
    ctx: &Ctx<'_>,
    spec: &CheckSpec,
    name: &str,
    required: Required,
) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let api: Api<Deployment> = Api::namespaced(ctx.client(), ns);
    let deployment = match api.get_opt(name).await {
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
        Err(e) => {
            return spec.fail(format!(
                "cannot read deployment {ns}/{name}: {}",
                api_message(&e)
            ));
        }
    };
    let state = availability(&ctx.client(), &deployment).await;
    if state.is_available() {
        return spec.pass(state.summary());
    }
    spec.fail(state.summary()).with_hint(format!(
        "kubectl -n {ns} describe deployment {name}; kubectl -n {ns} get events"
    ))
}

/// Envoy's readiness endpoint (15021 `/healthz/ready`) of every gateway pod, read through the
/// API server's pod proxy: a Ready pod whose proxy does not answer is not serving traffic.
async fn readiness_check(ctx: &Ctx<'_>, spec: &CheckSpec, app: &str) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let api: Api<Pod> = Api::namespaced(ctx.client(), ns);
    let pods = match api
        .list(&ListParams::default().labels(&format!("app={app}")))
        .await
    {
        Ok(list) => list.items,
        Err(e) => return spec.fail(format!("cannot list {app} pods: {}", api_message(&e))),
    };
    let running: Vec<String> = pods
        .iter()
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
        .filter_map(|p| p.metadata.name.clone())
        .collect();
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
