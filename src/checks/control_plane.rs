//! control-plane group: istio-system, istiod, gateways, webhooks, and whether validation and
//! injection really answer (server-side dry runs that the webhooks must act on).

use k8s_openapi::api::admissionregistration::v1::{
    MutatingWebhookConfiguration, ValidatingWebhookConfiguration,
};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{Api, DynamicObject, ListParams, PostParams};

use super::{Check, Ctx, Group};
use crate::kube::api_message;
use crate::kube::availability;
use crate::kube::is_not_found;
use crate::snapshot::kinds as istio;

const G: Group = Group::ControlPlane;
const INSTALL_HINT: &str = "install Istio: istioctl install --set profile=demo -y";

pub(super) async fn run(ctx: &Ctx<'_>) -> Vec<Check> {
    let namespaces: Api<Namespace> = Api::all(ctx.client());
    match namespaces.get_opt(&ctx.opts.istio_namespace).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            let detail = format!("namespace {} does not exist", ctx.opts.istio_namespace);
            let missing = Check::fail(
                "control-plane.namespace",
                G,
                "Istio namespace exists",
                detail,
            )
            .with_hint(INSTALL_HINT);
            return vec![missing];
        }
        Err(e) => {
            return vec![Check::fail(
                "control-plane.namespace",
                G,
                "Istio namespace exists",
                api_message(&e),
            )];
        }
    }
    let present = Check::pass(
        "control-plane.namespace",
        G,
        "Istio namespace exists",
        ctx.opts.istio_namespace.clone(),
    );
    let (istiod, ingress, egress, webhooks, validation, injection, ingress_ready, egress_ready) = futures::join!(
        deployment_check(
            ctx,
            "control-plane.istiod",
            "istiod ready",
            "istiod",
            Required::Yes
        ),
        deployment_check(
            ctx,
            "control-plane.ingress-gateway",
            "ingress gateway ready",
            "istio-ingressgateway",
            Required::Yes
        ),
        deployment_check(
            ctx,
            "control-plane.egress-gateway",
            "egress gateway ready",
            "istio-egressgateway",
            Required::No
        ),
        webhooks_check(ctx),
        validation_check(ctx),
        injection_check(ctx),
        readiness_check(
            ctx,
            "control-plane.ingress-gateway-readiness",
            "ingress gateway answers readiness",
            "istio-ingressgateway"
        ),
        readiness_check(
            ctx,
            "control-plane.egress-gateway-readiness",
            "egress gateway answers readiness",
            "istio-egressgateway"
        ),
    );
    vec![
        present,
        istiod,
        ingress,
        ingress_ready,
        egress,
        egress_ready,
        webhooks,
        validation,
        injection,
    ]
}

#[derive(PartialEq)]
enum Required {
    Yes,
    No,
}

async fn deployment_check(
    ctx: &Ctx<'_>,
    id: &'static str,
    title: &'static str,
    name: &str,
    required: Required,
) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let api: Api<Deployment> = Api::namespaced(ctx.client(), ns);
    let deployment = match api.get_opt(name).await {
        Ok(Some(d)) => d,
        Ok(None) if required == Required::No => {
            return Check::warn(
                id,
                G,
                title,
                format!("deployment {ns}/{name} not found (optional)"),
            )
            .with_hint("the demo profile installs it: istioctl install --set profile=demo -y");
        }
        Ok(None) => {
            return Check::fail(id, G, title, format!("deployment {ns}/{name} not found"))
                .with_hint(INSTALL_HINT);
        }
        Err(e) => {
            return Check::fail(
                id,
                G,
                title,
                format!("cannot read deployment {ns}/{name}: {}", api_message(&e)),
            );
        }
    };
    let state = availability(&ctx.client(), &deployment).await;
    if state.is_available() {
        return Check::pass(id, G, title, state.summary());
    }
    Check::fail(id, G, title, state.summary()).with_hint(format!(
        "kubectl -n {ns} describe deployment {name}; kubectl -n {ns} get events"
    ))
}

async fn webhooks_check(ctx: &Ctx<'_>) -> Check {
    const ID: &str = "control-plane.webhooks";
    const TITLE: &str = "injection and validation webhooks registered";
    let mutating: Api<MutatingWebhookConfiguration> = Api::all(ctx.client());
    let validating: Api<ValidatingWebhookConfiguration> = Api::all(ctx.client());
    let all = ListParams::default();
    let (mutating, validating) = futures::join!(mutating.list(&all), validating.list(&all));
    let (mutating, validating) = match (mutating, validating) {
        (Ok(m), Ok(v)) => (m, v),
        (Err(e), _) | (_, Err(e)) => {
            return Check::fail(
                ID,
                G,
                TITLE,
                format!("cannot list webhook configurations: {}", api_message(&e)),
            );
        }
    };
    let injectors: Vec<String> = mutating
        .items
        .iter()
        .filter(|c| {
            c.webhooks
                .iter()
                .flatten()
                .any(|w| w.name.ends_with("sidecar-injector.istio.io"))
        })
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    let validators: Vec<String> = validating
        .items
        .iter()
        .filter(|c| {
            c.webhooks
                .iter()
                .flatten()
                .any(|w| w.name.ends_with("validation.istio.io"))
        })
        .filter_map(|c| c.metadata.name.clone())
        .collect();
    match (injectors.is_empty(), validators.is_empty()) {
        (false, false) => Check::pass(
            ID,
            G,
            TITLE,
            format!(
                "mutating: {}; validating: {}",
                injectors.join(", "),
                validators.join(", ")
            ),
        ),
        (true, _) => Check::fail(
            ID,
            G,
            TITLE,
            "no sidecar-injector MutatingWebhookConfiguration",
        )
        .with_hint(INSTALL_HINT),
        (false, true) => Check::fail(ID, G, TITLE, "no Istio ValidatingWebhookConfiguration")
            .with_hint(INSTALL_HINT),
    }
}

/// A DestinationRule that the CRD schema accepts but Istio's validation refuses (a subset with
/// no name). If the dry run is accepted, invalid config reaches the mesh unchecked.
async fn validation_check(ctx: &Ctx<'_>) -> Check {
    const ID: &str = "control-plane.validation";
    const TITLE: &str = "config validation active";
    let ns = &ctx.opts.istio_namespace;
    let resource = istio::DESTINATION_RULE.api_resource();
    let api: Api<DynamicObject> = Api::namespaced_with(ctx.client(), ns, &resource);
    let probe: DynamicObject = match serde_json::from_value(serde_json::json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "DestinationRule",
        "metadata": {"name": "meshctl-validation-probe", "namespace": ns},
        "spec": {"host": "meshctl-probe", "subsets": [{"name": "", "labels": {"version": "v1"}}]},
    })) {
        Ok(obj) => obj,
        Err(e) => return Check::fail(ID, G, TITLE, format!("cannot build the probe object: {e}")),
    };
    match api.create(&dry_run(), &probe).await {
        Err(kube::Error::Api(status)) if status.message.contains("denied the request") => {
            Check::pass(
                ID,
                G,
                TITLE,
                "an invalid DestinationRule was rejected by the validating webhook",
            )
        }
        Err(kube::Error::Api(status))
            if status.code == 403 && !status.message.contains("admission webhook") =>
        {
            Check::skip(
                ID,
                G,
                TITLE,
                format!(
                    "not allowed to dry-run create destinationrules: {}",
                    status.message
                ),
            )
        }
        Err(e) if is_not_found(&e) => {
            Check::fail(ID, G, TITLE, "the DestinationRule CRD is not installed")
                .with_hint(INSTALL_HINT)
        }
        Err(e) => Check::fail(
            ID,
            G,
            TITLE,
            format!("validation webhook failed: {}", api_message(&e)),
        )
        .with_hint(istiod_hint(ns)),
        Ok(_) => Check::fail(
            ID,
            G,
            TITLE,
            "an invalid DestinationRule was accepted: Istio config is not being validated",
        )
        .with_hint(istiod_hint(ns)),
    }
}

/// A dry-run Pod that opts in to injection: the injector must answer and add `istio-proxy`.
async fn injection_check(ctx: &Ctx<'_>) -> Check {
    const ID: &str = "control-plane.injector";
    const TITLE: &str = "sidecar injector reachable";
    let ns = &ctx.opts.namespace;
    let api: Api<Pod> = Api::namespaced(ctx.client(), ns);
    let probe: Pod = match serde_json::from_value(serde_json::json!({
        "metadata": {"generateName": "meshctl-injection-probe-", "labels": {"sidecar.istio.io/inject": "true", "app": "meshctl-probe"}},
        "spec": {"containers": [{"name": "app", "image": "meshctl.invalid/probe"}]},
    })) {
        Ok(pod) => pod,
        Err(e) => return Check::fail(ID, G, TITLE, format!("cannot build the probe pod: {e}")),
    };
    match api.create(&dry_run(), &probe).await {
        Ok(pod) if crate::kube::has_sidecar(&pod) => Check::pass(
            ID,
            G,
            TITLE,
            format!("a dry-run pod in {ns} got istio-proxy injected"),
        ),
        Ok(_) => Check::fail(
            ID,
            G,
            TITLE,
            format!("a dry-run pod in {ns} that asks for injection got no istio-proxy"),
        )
        .with_hint(istiod_hint(&ctx.opts.istio_namespace)),
        Err(kube::Error::Api(status))
            if status.code == 403 && !status.message.contains("admission webhook") =>
        {
            Check::skip(
                ID,
                G,
                TITLE,
                format!("not allowed to dry-run create pods: {}", status.message),
            )
        }
        Err(e) if is_not_found(&e) => {
            Check::skip(ID, G, TITLE, format!("namespace {ns} does not exist"))
        }
        Err(e) => Check::fail(
            ID,
            G,
            TITLE,
            format!("injection webhook failed: {}", api_message(&e)),
        )
        .with_hint(istiod_hint(&ctx.opts.istio_namespace)),
    }
}

/// Envoy's readiness endpoint (15021 `/healthz/ready`) of every gateway pod, read through the
/// API server's pod proxy: a Ready pod whose proxy does not answer is not serving traffic.
async fn readiness_check(ctx: &Ctx<'_>, id: &'static str, title: &'static str, app: &str) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let api: Api<Pod> = Api::namespaced(ctx.client(), ns);
    let pods = match api
        .list(&ListParams::default().labels(&format!("app={app}")))
        .await
    {
        Ok(list) => list.items,
        Err(e) => {
            return Check::fail(
                id,
                G,
                title,
                format!("cannot list {app} pods: {}", api_message(&e)),
            );
        }
    };
    let running: Vec<String> = pods
        .iter()
        .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    if running.is_empty() {
        return Check::skip(id, G, title, format!("no running {app} pods"));
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
        return Check::pass(
            id,
            G,
            title,
            format!(
                "{} of {} pods ready on :15021",
                running.len(),
                running.len()
            ),
        );
    }
    Check::fail(id, G, title, failures.join("; "))
        .with_hint(format!("kubectl -n {ns} logs -l app={app} --tail=50"))
}

fn istiod_hint(istio_ns: &str) -> String {
    format!(
        "check that istiod is running and serving webhooks: kubectl -n {istio_ns} logs deploy/istiod"
    )
}

/// The probes are server-side dry runs: the webhooks judge them, nothing is stored.
fn dry_run() -> PostParams {
    PostParams {
        dry_run: true,
        ..PostParams::default()
    }
}
