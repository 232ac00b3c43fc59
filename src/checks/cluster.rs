//! cluster group: API reachable, Kubernetes version, the permissions the other checks need.

use std::time::Duration;

use k8s_openapi::apimachinery::pkg::version::Info;

use super::catalog::{API_REACHABLE, PERMISSIONS, VERSION};
use super::{Check, Ctx};
use crate::kube::{Permission, check_access};
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

/// The permission reviews, sent with the rest of the wave.
pub(super) async fn permissions(ctx: &Ctx<'_>) -> Option<Check> {
    if ctx.wants(&PERMISSIONS) {
        Some(permissions_check(ctx).await)
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
        Permission::new("get", "", "namespaces", None),
        Permission::new("list", "", "pods", Some(app_ns)),
        Permission::new("list", "apps", "deployments", Some(istio_ns)),
        Permission::new("list", "apps", "deployments", Some(app_ns)),
        Permission::new("list", "networking.istio.io", "gateways", Some(app_ns)),
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

async fn permissions_check(ctx: &Ctx<'_>) -> Check {
    let wanted = needed(&ctx.opts.namespace, &ctx.opts.istio_namespace);
    let results = check_access(&ctx.conn.client, &wanted).await;
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
        return PERMISSIONS.pass(format!("all {} read permissions granted", wanted.len()));
    }
    PERMISSIONS
        .fail(format!("not allowed to {}", denied.join(", ")))
        .with_hint(PERMISSIONS.hint)
}
