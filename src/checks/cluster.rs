//! cluster group: API reachable, Kubernetes version, the permissions the other checks need.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::version::Info;

use super::catalog::{API_REACHABLE, PERMISSIONS, VERSION};
use super::{Check, Ctx};
use crate::kube::{Answer, Permission, check_access, shown_by};
/// Istio supports the four or five most recent Kubernetes minors; older than this is unsupported
/// by every Istio release meshctl pins.
pub const OLDEST_SUPPORTED_MINOR: u32 = 30;

/// The cluster group's checks: the version call's answer and latency, and the permission
/// reviews' verdict (from the wave, `None` when that check is not selected).
pub(super) fn run(
    ctx: &Ctx<'_>,
    version: &Info,
    latency: Duration,
    permissions: Option<Check>,
) -> Vec<Check> {
    let mut checks = Vec::new();
    if ctx.wants(&API_REACHABLE) {
        checks.push(API_REACHABLE.pass(format!(
            "{} ({} ms)",
            ctx.conn.server,
            latency.as_millis()
        )));
    }
    if ctx.wants(&VERSION) {
        checks.push(version_check(version));
    }
    checks.extend(permissions);
    checks
}

/// The permissions, judged after the wave from its own answers: a review is sent only for a
/// permission that none of the run's requests needed (or whose answer came before
/// authorization), so a full run sends none.
pub(super) async fn permissions(ctx: &Ctx<'_>, answers: &[Answer]) -> Option<Check> {
    if ctx.wants(&PERMISSIONS) {
        Some(permissions_check(ctx, answers).await)
    } else {
        None
    }
}

/// `Ok(minor)` for a supported server, `Err(detail)` otherwise.
pub fn supported_minor(version: &Info) -> Result<u32, String> {
    match version.minor.trim_end_matches('+').parse::<u32>() {
        Ok(m) if version.major == "1" && m >= OLDEST_SUPPORTED_MINOR => Ok(m),
        Ok(_) => Err(format!(
            "{} is older than 1.{OLDEST_SUPPORTED_MINOR}",
            version.git_version
        )),
        Err(_) => Err(format!(
            "cannot parse server version {:?}",
            version.git_version
        )),
    }
}

fn version_check(version: &Info) -> Check {
    match supported_minor(version) {
        Ok(_) => VERSION.pass(version.git_version.clone()),
        Err(detail) => VERSION.warn(detail).with_hint(VERSION.hint),
    }
}

/// The reads the other checks make.
fn needed(app_ns: &str, istio_ns: &str) -> Vec<Permission> {
    vec![
        Permission::new("list", "", "namespaces", None),
        Permission::new("list", "", "pods", Some(app_ns)),
        Permission::new("list", "apps", "deployments", Some(istio_ns)),
        Permission::new("list", "apps", "deployments", Some(app_ns)),
        // A VirtualService may bind a Gateway of any namespace: they are listed cluster-wide.
        Permission::new("list", "networking.istio.io", "gateways", None),
        Permission::new(
            "list",
            "networking.istio.io",
            "virtualservices",
            Some(app_ns),
        ),
        Permission::new(
            "list",
            "networking.istio.io",
            "destinationrules",
            Some(app_ns),
        ),
        Permission::new(
            "list",
            "admissionregistration.k8s.io",
            "mutatingwebhookconfigurations",
            None,
        ),
        Permission::new(
            "list",
            "admissionregistration.k8s.io",
            "validatingwebhookconfigurations",
            None,
        ),
        Permission::new("get", "", "services/proxy", Some(app_ns)),
    ]
}

/// Each permission of `wanted`, in order, as an answer of the run showed it or else as an access
/// review says, and how many reviews were asked.
async fn judged(
    client: &kube::Client,
    wanted: Vec<Permission>,
    answers: &[Answer],
) -> (Vec<(Permission, Result<bool, String>)>, usize) {
    let shown: Vec<Option<bool>> = wanted
        .iter()
        .map(|p| answers.iter().find_map(|a| shown_by(p, a)))
        .collect();
    let unseen: Vec<Permission> = wanted
        .iter()
        .zip(&shown)
        .filter(|(_, shown)| shown.is_none())
        .map(|(p, _)| p.clone())
        .collect();
    let mut reviewed = check_access(client, &unseen).await.into_iter();
    let asked = unseen.len();
    let results = wanted
        .into_iter()
        .zip(shown)
        .map(|(p, shown)| match shown {
            Some(allowed) => (p, Ok(allowed)),
            None => match reviewed.next() {
                Some((_, review)) => (p, review),
                None => (p, Err("no access review was answered".into())),
            },
        })
        .collect();
    (results, asked)
}

async fn permissions_check(ctx: &Ctx<'_>, answers: &[Answer]) -> Check {
    let wanted = needed(&ctx.opts.namespace, &ctx.opts.istio_namespace);
    let total = wanted.len();
    let (results, asked) = judged(&ctx.conn.client, wanted, answers).await;
    let errors: Vec<String> = results
        .iter()
        .filter_map(|(p, r)| r.as_ref().err().map(|e| format!("{}: {e}", p.describe())))
        .collect();
    if !errors.is_empty() {
        return PERMISSIONS.warn(format!(
            "could not ask the API server: {}",
            errors.join("; ")
        ));
    }
    let denied: Vec<String> = results
        .iter()
        .filter(|(_, r)| matches!(r, Ok(false)))
        .map(|(p, _)| p.describe())
        .collect();
    if denied.is_empty() {
        return PERMISSIONS.pass(format!(
            "all {total} read permissions granted ({} shown by this run's requests, {asked} by access reviews)",
            total - asked
        ));
    }
    PERMISSIONS
        .fail(format!("not allowed to {}", denied.join(", ")))
        .with_hint(PERMISSIONS.hint)
}
