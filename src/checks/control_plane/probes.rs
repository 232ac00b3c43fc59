//! Whether the webhooks are registered, and whether validation and injection really answer:
//! server-side dry runs that the webhooks must act on, so nothing is stored.

use k8s_openapi::api::admissionregistration::v1::{
    MutatingWebhookConfiguration, ValidatingWebhookConfiguration,
};
use kube::api::{Api, DynamicObject, ListParams, PostParams};

use super::super::catalog::{INJECTOR, VALIDATION, WEBHOOKS};
use super::super::{Check, Ctx};
use crate::kube::{api_message, is_not_found};
use crate::snapshot::json::has_sidecar;
use crate::snapshot::kinds;

pub(super) async fn webhooks_check(ctx: &Ctx<'_>) -> Check {
    let mutating: Api<MutatingWebhookConfiguration> = Api::all(ctx.client());
    let validating: Api<ValidatingWebhookConfiguration> = Api::all(ctx.client());
    let all = ListParams::default();
    let (mutating, validating) = futures::join!(mutating.list(&all), validating.list(&all));
    let (mutating, validating) = match (mutating, validating) {
        (Ok(m), Ok(v)) => (m, v),
        (Err(e), _) | (_, Err(e)) => {
            return WEBHOOKS.fail(format!(
                "cannot list webhook configurations: {}",
                api_message(&e)
            ));
        }
    };
    let injectors = istio_configs(
        mutating.items.into_iter().map(|c| {
            (
                c.metadata.name,
                c.webhooks.into_iter().flatten().map(|w| w.name),
            )
        }),
        "sidecar-injector.istio.io",
    );
    let validators = istio_configs(
        validating.items.into_iter().map(|c| {
            (
                c.metadata.name,
                c.webhooks.into_iter().flatten().map(|w| w.name),
            )
        }),
        "validation.istio.io",
    );
    match (injectors.is_empty(), validators.is_empty()) {
        (false, false) => WEBHOOKS.pass(format!(
            "mutating: {}; validating: {}",
            injectors.join(", "),
            validators.join(", ")
        )),
        (true, _) => WEBHOOKS
            .fail("no sidecar-injector MutatingWebhookConfiguration")
            .with_hint(WEBHOOKS.hint),
        (false, true) => WEBHOOKS
            .fail("no Istio ValidatingWebhookConfiguration")
            .with_hint(WEBHOOKS.hint),
    }
}

/// A DestinationRule that the CRD schema accepts but Istio's validation refuses (a subset with
/// no name). If the dry run is accepted, invalid config reaches the mesh unchecked.
pub(super) async fn validation_check(ctx: &Ctx<'_>) -> Check {
    let ns = &ctx.opts.istio_namespace;
    let probe = serde_json::json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "DestinationRule",
        "metadata": {"name": "meshctl-validation-probe", "namespace": ns},
        "spec": {"host": "meshctl-probe", "subsets": [{"name": "", "labels": {"version": "v1"}}]},
    });
    match dry_run_create(ctx, ns, &kinds::DESTINATION_RULE, probe).await {
        Err(kube::Error::Api(status)) if status.message.contains("denied the request") => {
            VALIDATION.pass("an invalid DestinationRule was rejected by the validating webhook")
        }
        Err(kube::Error::Api(status))
            if status.code == 403 && !status.message.contains("admission webhook") =>
        {
            VALIDATION.skip(format!(
                "not allowed to dry-run create destinationrules: {}",
                status.message
            ))
        }
        Err(e) if is_not_found(&e) => VALIDATION
            .fail("the DestinationRule CRD is not installed")
            .with_hint(super::INSTALL_HINT),
        Err(e) => VALIDATION
            .fail(format!("validation webhook failed: {}", api_message(&e)))
            .with_hint(istiod_hint(ns)),
        Ok(_) => VALIDATION
            .fail("an invalid DestinationRule was accepted: Istio config is not being validated")
            .with_hint(istiod_hint(ns)),
    }
}

/// A dry-run Pod that opts in to injection: the injector must answer and add `istio-proxy`.
pub(super) async fn injection_check(ctx: &Ctx<'_>) -> Check {
    let ns = &ctx.opts.namespace;
    let hint = istiod_hint(&ctx.opts.istio_namespace);
    let probe = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"generateName": "meshctl-injection-probe-", "labels": {"sidecar.istio.io/inject": "true", "app": "meshctl-probe"}},
        "spec": {"containers": [{"name": "app", "image": "meshctl.invalid/probe"}]},
    });
    match dry_run_create(ctx, ns, &kinds::POD, probe).await {
        Ok(pod) if has_sidecar(&pod) => {
            INJECTOR.pass(format!("a dry-run pod in {ns} got istio-proxy injected"))
        }
        Ok(_) => INJECTOR
            .fail(format!(
                "a dry-run pod in {ns} that asks for injection got no istio-proxy"
            ))
            .with_hint(hint),
        Err(kube::Error::Api(status))
            if status.code == 403 && !status.message.contains("admission webhook") =>
        {
            INJECTOR.skip(format!(
                "not allowed to dry-run create pods: {}",
                status.message
            ))
        }
        Err(e) if is_not_found(&e) => INJECTOR.skip(format!("namespace {ns} does not exist")),
        Err(e) => INJECTOR
            .fail(format!("injection webhook failed: {}", api_message(&e)))
            .with_hint(hint),
    }
}

fn istiod_hint(istio_ns: &str) -> String {
    format!(
        "check that istiod is running and serving webhooks: kubectl -n {istio_ns} logs deploy/istiod"
    )
}

/// The probes are server-side dry runs: the webhooks judge them, nothing is stored.
async fn dry_run_create(
    ctx: &Ctx<'_>,
    namespace: &str,
    kind: &kinds::ApiKind,
    object: serde_json::Value,
) -> Result<DynamicObject, kube::Error> {
    let object: DynamicObject = serde_json::from_value(object).map_err(kube::Error::SerdeError)?;
    let api: Api<DynamicObject> =
        Api::namespaced_with(ctx.client(), namespace, &kind.api_resource());
    let params = PostParams {
        dry_run: true,
        ..PostParams::default()
    };
    api.create(&params, &object).await
}

/// The names of the webhook configurations that hold one of Istio's webhooks (a webhook name
/// ending in `suffix`).
fn istio_configs<Hooks: Iterator<Item = String>>(
    configs: impl Iterator<Item = (Option<String>, Hooks)>,
    suffix: &str,
) -> Vec<String> {
    configs
        .filter_map(|(name, mut hooks)| name.filter(|_| hooks.any(|h| h.ends_with(suffix))))
        .collect()
}
