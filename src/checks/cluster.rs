//! cluster group: API reachable, Kubernetes version, the permissions the other checks need.

use std::time::Duration;

use futures::future::join_all;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::apimachinery::pkg::version::Info;
use kube::api::{Api, PostParams};

use super::{Check, Ctx, Group};
use crate::kube::api_message;

const G: Group = Group::Cluster;
/// Istio supports the four or five most recent Kubernetes minors; older than this is unsupported
/// by every Istio release meshctl pins.
const OLDEST_SUPPORTED_MINOR: u32 = 30;

pub(super) async fn run(ctx: &Ctx<'_>, version: &Info, latency: Duration) -> Vec<Check> {
    let reachable = Check::pass(
        "cluster.api-reachable",
        G,
        "API server reachable",
        format!("{} ({} ms)", ctx.conn.server, latency.as_millis()),
    );
    vec![
        reachable,
        version_check(version),
        permissions_check(ctx).await,
    ]
}

fn version_check(version: &Info) -> Check {
    const ID: &str = "cluster.version";
    const TITLE: &str = "Kubernetes version supported";
    let minor: Option<u32> = version.minor.trim_end_matches('+').parse().ok();
    match minor {
        Some(m) if version.major == "1" && m >= OLDEST_SUPPORTED_MINOR => {
            Check::pass(ID, G, TITLE, version.git_version.clone())
        }
        Some(_) => Check::warn(
            ID,
            G,
            TITLE,
            format!(
                "{} is older than 1.{OLDEST_SUPPORTED_MINOR}",
                version.git_version
            ),
        )
        .with_hint("upgrade the cluster; current Istio releases do not support it"),
        None => Check::warn(
            ID,
            G,
            TITLE,
            format!("cannot parse server version {:?}", version.git_version),
        ),
    }
}

/// (verb, group, resource, namespace-scoped?) that the read-only checks rely on.
const NEEDED: &[(&str, &str, &str, Scope)] = &[
    ("get", "", "namespaces", Scope::Cluster),
    ("list", "", "pods", Scope::App),
    ("list", "apps", "deployments", Scope::Istio),
    ("list", "apps", "deployments", Scope::App),
    ("list", "networking.istio.io", "gateways", Scope::App),
    ("list", "networking.istio.io", "virtualservices", Scope::App),
    (
        "list",
        "networking.istio.io",
        "destinationrules",
        Scope::App,
    ),
    (
        "list",
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        Scope::Cluster,
    ),
    (
        "list",
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        Scope::Cluster,
    ),
    ("get", "", "services/proxy", Scope::App),
];

#[derive(Clone, Copy)]
enum Scope {
    Cluster,
    App,
    Istio,
}

async fn permissions_check(ctx: &Ctx<'_>) -> Check {
    const ID: &str = "cluster.permissions";
    const TITLE: &str = "permissions for the checks";
    let reviews = NEEDED
        .iter()
        .map(|(verb, group, resource, scope)| async move {
            let namespace = match scope {
                Scope::Cluster => None,
                Scope::App => Some(ctx.opts.namespace.clone()),
                Scope::Istio => Some(ctx.opts.istio_namespace.clone()),
            };
            let allowed = can_i(ctx, verb, group, resource, namespace.clone()).await;
            (allowed, describe(verb, resource, namespace.as_deref()))
        });
    let results = join_all(reviews).await;
    let errors: Vec<String> = results
        .iter()
        .filter_map(|(r, what)| r.as_ref().err().map(|e| format!("{what}: {e}")))
        .collect();
    if !errors.is_empty() {
        return Check::warn(
            ID,
            G,
            TITLE,
            format!("could not ask the API server: {}", errors.join("; ")),
        );
    }
    let denied: Vec<&str> = results
        .iter()
        .filter(|(r, _)| matches!(r, Ok(false)))
        .map(|(_, w)| w.as_str())
        .collect();
    if denied.is_empty() {
        return Check::pass(
            ID,
            G,
            TITLE,
            format!("all {} read permissions granted", NEEDED.len()),
        );
    }
    Check::fail(ID, G, TITLE, format!("not allowed to {}", denied.join(", ")))
        .with_hint("ask a cluster admin to bind the built-in `view` ClusterRole (and read access to webhook configurations)")
}

fn describe(verb: &str, resource: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("{verb} {resource} in {ns}"),
        None => format!("{verb} {resource}"),
    }
}

async fn can_i(
    ctx: &Ctx<'_>,
    verb: &str,
    group: &str,
    resource: &str,
    namespace: Option<String>,
) -> Result<bool, String> {
    let (resource, subresource) = match resource.split_once('/') {
        Some((r, s)) => (r.to_string(), Some(s.to_string())),
        None => (resource.to_string(), None),
    };
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(verb.into()),
                group: Some(group.into()),
                resource: Some(resource),
                subresource,
                namespace,
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let api: Api<SelfSubjectAccessReview> = Api::all(ctx.client());
    let answer = api
        .create(&PostParams::default(), &review)
        .await
        .map_err(|e| api_message(&e))?;
    Ok(answer.status.is_some_and(|s| s.allowed))
}
