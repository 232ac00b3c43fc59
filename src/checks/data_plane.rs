//! data-plane group: injection label, sidecars per pod, workload availability, proxy version skew.

use std::collections::BTreeSet;

use futures::future::join_all;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{Api, ListParams};

use super::{Check, Ctx, Group};
use crate::kube::api_message;
use crate::kube::{SIDECAR, availability, has_sidecar, sidecar_image};

const G: Group = Group::DataPlane;
fn opted_out(pod: &Pod) -> bool {
    let says_false = |m: Option<&std::collections::BTreeMap<String, String>>| {
        m.and_then(|m| m.get("sidecar.istio.io/inject"))
            .is_some_and(|v| v == "false")
    };
    says_false(pod.metadata.labels.as_ref()) || says_false(pod.metadata.annotations.as_ref())
}

pub(super) async fn run(ctx: &Ctx<'_>) -> Vec<Check> {
    let ns = &ctx.opts.namespace;
    let (label, pods, workloads) =
        futures::join!(label_check(ctx), pods_checks(ctx), workloads_check(ctx));
    let mut checks = vec![label];
    match pods {
        Ok(mut pod_checks) => checks.append(&mut pod_checks),
        Err(e) => checks.push(Check::fail(
            "data-plane.sidecars",
            G,
            "pods have sidecars",
            format!("cannot list pods in {ns}: {}", api_message(&e)),
        )),
    }
    checks.push(workloads);
    checks
}

async fn label_check(ctx: &Ctx<'_>) -> Check {
    const ID: &str = "data-plane.injection-label";
    const TITLE: &str = "namespace labelled for injection";
    let ns = &ctx.opts.namespace;
    let api: Api<Namespace> = Api::all(ctx.client());
    let namespace = match api.get_opt(ns).await {
        Ok(Some(n)) => n,
        Ok(None) => {
            return Check::fail(ID, G, TITLE, format!("namespace {ns} does not exist"))
                .with_hint(format!("kubectl create namespace {ns}"));
        }
        Err(e) => {
            return Check::fail(
                ID,
                G,
                TITLE,
                format!("cannot read namespace {ns}: {}", api_message(&e)),
            );
        }
    };
    let labels = namespace.metadata.labels.unwrap_or_default();
    let injection = labels.get("istio-injection").map(String::as_str);
    let revision = labels.get("istio.io/rev");
    match (injection, revision) {
        (Some("enabled"), Some(rev)) => Check::warn(
            ID,
            G,
            TITLE,
            format!(
                "{ns} has both istio-injection=enabled and istio.io/rev={rev}; istio-injection wins"
            ),
        )
        .with_hint(format!("kubectl label namespace {ns} istio.io/rev-")),
        (Some("enabled"), None) => {
            Check::pass(ID, G, TITLE, format!("{ns}: istio-injection=enabled"))
        }
        (None, Some(rev)) => Check::pass(ID, G, TITLE, format!("{ns}: istio.io/rev={rev}")),
        (other, _) => {
            let detail = match other {
                Some(value) => format!("{ns} has istio-injection={value}"),
                None => format!("{ns} has no istio-injection or istio.io/rev label"),
            };
            Check::fail(ID, G, TITLE, detail).with_hint(format!(
                "kubectl label namespace {ns} istio-injection=enabled --overwrite"
            ))
        }
    }
}

async fn pods_checks(ctx: &Ctx<'_>) -> Result<Vec<Check>, kube::Error> {
    let ns = &ctx.opts.namespace;
    let pods: Api<Pod> = Api::namespaced(ctx.client(), ns);
    let istiod: Api<Deployment> = Api::namespaced(ctx.client(), &ctx.opts.istio_namespace);
    let all = ListParams::default();
    let (pods, istiod) = futures::join!(pods.list(&all), istiod.get_opt("istiod"));
    let live: Vec<Pod> = pods?
        .items
        .into_iter()
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    let istiod_image = istiod
        .ok()
        .flatten()
        .and_then(|d| d.spec?.template.spec?.containers.first()?.image.clone());
    Ok(vec![
        sidecar_check(ns, &live),
        skew_check(&live, istiod_image.as_deref()),
    ])
}

fn sidecar_check(ns: &str, pods: &[Pod]) -> Check {
    const ID: &str = "data-plane.sidecars";
    const TITLE: &str = "pods have sidecars";
    if pods.is_empty() {
        return Check::warn(ID, G, TITLE, format!("no pods in {ns}"));
    }
    let (opted_out, candidates): (Vec<&Pod>, Vec<&Pod>) = pods.iter().partition(|p| opted_out(p));
    let missing: Vec<String> = candidates
        .iter()
        .filter(|p| !has_sidecar(p))
        .filter_map(|p| p.metadata.name.clone())
        .collect();
    let injected = candidates.len() - missing.len();
    let mut detail = format!(
        "{injected}/{} pods in {ns} have {SIDECAR}",
        candidates.len()
    );
    if !opted_out.is_empty() {
        detail.push_str(&format!(
            ", {} opted out by sidecar.istio.io/inject=false",
            opted_out.len()
        ));
    }
    if missing.is_empty() {
        return Check::pass(ID, G, TITLE, detail);
    }
    detail.push_str(&format!("; without: {}", missing.join(", ")));
    Check::fail(ID, G, TITLE, detail).with_hint(format!(
        "label the namespace, then restart the workloads: kubectl -n {ns} rollout restart deployment"
    ))
}

fn image_tag(image: &str) -> &str {
    image.rsplit_once(':').map_or("latest", |(_, tag)| tag)
}

fn skew_check(pods: &[Pod], istiod_image: Option<&str>) -> Check {
    const ID: &str = "data-plane.version-skew";
    const TITLE: &str = "proxies match istiod's version";
    let Some(istiod_image) = istiod_image else {
        return Check::skip(ID, G, TITLE, "istiod's version is not visible");
    };
    let control = image_tag(istiod_image);
    let proxies: BTreeSet<String> = pods
        .iter()
        .filter_map(sidecar_image)
        .map(|i| image_tag(&i).to_string())
        .collect();
    if proxies.is_empty() {
        return Check::skip(ID, G, TITLE, "no injected pods to compare");
    }
    let skewed: Vec<&String> = proxies
        .iter()
        .filter(|tag| tag.as_str() != control)
        .collect();
    if skewed.is_empty() {
        return Check::pass(ID, G, TITLE, format!("istiod and all proxies at {control}"));
    }
    let list: Vec<&str> = skewed.iter().map(|s| s.as_str()).collect();
    Check::warn(ID, G, TITLE, format!("istiod at {control}, proxies at {}", list.join(", ")))
        .with_hint("restart the workloads so they pick up the current proxy: kubectl rollout restart deployment")
}

async fn workloads_check(ctx: &Ctx<'_>) -> Check {
    const ID: &str = "data-plane.workloads";
    const TITLE: &str = "workloads available";
    let ns = &ctx.opts.namespace;
    let api: Api<Deployment> = Api::namespaced(ctx.client(), ns);
    let deployments = match api.list(&ListParams::default()).await {
        Ok(list) => list.items,
        Err(e) => {
            return Check::fail(
                ID,
                G,
                TITLE,
                format!("cannot list deployments in {ns}: {}", api_message(&e)),
            );
        }
    };
    if deployments.is_empty() {
        return Check::warn(ID, G, TITLE, format!("no deployments in {ns}"));
    }
    let client = ctx.client();
    let states = join_all(deployments.iter().map(|d| availability(&client, d))).await;
    let short: Vec<String> = states
        .iter()
        .filter(|s| !s.is_available())
        .map(|s| s.summary())
        .collect();
    if short.is_empty() {
        return Check::pass(
            ID,
            G,
            TITLE,
            format!("{} deployments in {ns} fully available", states.len()),
        );
    }
    Check::fail(ID, G, TITLE, short.join("; ")).with_hint(format!(
        "kubectl -n {ns} get events --field-selector type=Warning"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, containers: &[&str], annotations: &[(&str, &str)]) -> Pod {
        serde_json::from_value(serde_json::json!({
            "metadata": {"name": name, "annotations": annotations.iter().cloned().collect::<std::collections::BTreeMap<_, _>>()},
            "spec": {"containers": containers.iter().map(|c| serde_json::json!({"name": c, "image": format!("docker.io/istio/{c}:1.31.0")})).collect::<Vec<_>>()},
        }))
        .expect("valid pod")
    }

    #[test]
    fn counts_pods_without_sidecar_and_lists_them() {
        let pods = [
            pod("a", &["app", SIDECAR], &[]),
            pod("b", &["app"], &[]),
            pod("c", &["app"], &[("sidecar.istio.io/inject", "false")]),
        ];
        let check = sidecar_check("prod", &pods);
        assert_eq!(check.status, super::super::Status::Fail);
        assert!(
            check
                .detail
                .starts_with("1/2 pods in prod have istio-proxy"),
            "{}",
            check.detail
        );
        assert!(
            check.detail.contains("1 opted out") && check.detail.ends_with("without: b"),
            "{}",
            check.detail
        );
    }

    #[test]
    fn skew_is_a_warning_naming_both_versions() {
        let pods = [pod("a", &["app", SIDECAR], &[])];
        let check = skew_check(&pods, Some("docker.io/istio/pilot:1.32.0"));
        assert_eq!(check.status, super::super::Status::Warn);
        assert_eq!(check.detail, "istiod at 1.32.0, proxies at 1.31.0");
        assert_eq!(
            skew_check(&pods, Some("x/pilot:1.31.0")).status,
            super::super::Status::Pass
        );
    }
}
