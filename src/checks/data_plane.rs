//! data-plane group: injection label, sidecars per pod, proxy version skew and workload
//! availability, judged by the analyzer rules on the live snapshot.

use futures::future::join_all;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::DynamicObject;

use super::catalog::{INJECTION_LABEL, SIDECARS, VERSION_SKEW, WORKLOADS};
use super::{Check, Ctx, Group, HealthOptions, by_rules, chain, unread};
use crate::analyze::{analyze_codes, injection_enabled, istiod_version};
use crate::kube::availability;
use crate::snapshot::json::{has_sidecar, image_tag, opted_out, pods_in, sidecar_image};
use crate::snapshot::{self, MeshSnapshot, kinds};

pub(super) async fn run(
    ctx: &Ctx<'_>,
    mesh: Result<&MeshSnapshot, &snapshot::Error>,
) -> Vec<Check> {
    let mesh = match mesh {
        Ok(mesh) => mesh,
        Err(e) => return unread(ctx, Group::DataPlane, &chain(e)),
    };
    let mut checks = Vec::new();
    if ctx.wants(&INJECTION_LABEL) {
        checks.push(label_check(ctx.opts, mesh));
    }
    if ctx.wants(&SIDECARS) {
        checks.push(sidecar_check(ctx.opts, mesh));
    }
    if ctx.wants(&VERSION_SKEW) {
        checks.push(skew_check(ctx.opts, mesh));
    }
    if ctx.wants(&WORKLOADS) {
        checks.push(workloads_check(ctx, mesh).await);
    }
    checks
}

fn label_check(opts: &HealthOptions, mesh: &MeshSnapshot) -> Check {
    if let Some(ambient) = super::ambient::label_check(opts, mesh) {
        return ambient;
    }
    let ns = &opts.namespace;
    let labels = mesh.namespace_labels(ns);
    let label = labels.and_then(|l| {
        l.get_key_value("istio-injection")
            .or_else(|| l.get_key_value("istio.io/rev"))
    });
    let pass = label.map_or(String::new(), |(k, v)| format!("{ns}: {k}={v}"));
    by_rules(&INJECTION_LABEL, mesh, &opts.analyze(), pass)
}

fn sidecar_check(opts: &HealthOptions, mesh: &MeshSnapshot) -> Check {
    let ns = &opts.namespace;
    let pods: Vec<_> = pods_in(mesh, ns).collect();
    if pods.is_empty() {
        return SIDECARS.warn(format!("no pods in {ns}"));
    }
    if let Some(ambient) = super::ambient::sidecar_check(opts, mesh) {
        return ambient;
    }
    if !mesh.namespace_labels(ns).is_some_and(injection_enabled) {
        return SIDECARS.skip(format!(
            "{ns} is not labelled for injection (see {})",
            INJECTION_LABEL.id
        ));
    }
    let (opted, candidates): (Vec<&DynamicObject>, Vec<&DynamicObject>) =
        pods.into_iter().partition(|p| opted_out(p));
    let injected = candidates.iter().filter(|p| has_sidecar(p)).count();
    let mut detail = format!(
        "{injected}/{} pods in {ns} have {}",
        candidates.len(),
        crate::snapshot::json::SIDECAR
    );
    if !opted.is_empty() {
        detail.push_str(&format!(
            ", {} opted out by sidecar.istio.io/inject=false",
            opted.len()
        ));
    }
    let findings = analyze_codes(mesh, &opts.analyze(), &SIDECARS.codes());
    if findings.is_empty() {
        return SIDECARS.pass(detail);
    }
    let without: Vec<&str> = findings.iter().map(|f| f.resource.name.as_str()).collect();
    detail.push_str(&format!("; without: {}", without.join(", ")));
    SIDECARS.fail(detail).with_hint(format!(
        "label the namespace, then restart the workloads: kubectl -n {ns} rollout restart deployment"
    ))
}

fn skew_check(opts: &HealthOptions, mesh: &MeshSnapshot) -> Check {
    let analyze = opts.analyze();
    let Some(control) = istiod_version(mesh, &analyze) else {
        return VERSION_SKEW.skip("istiod's version is not visible");
    };
    let injected = pods_in(mesh, &opts.namespace).any(|p| sidecar_image(p).is_some());
    if !injected {
        return VERSION_SKEW.skip("no injected pods to compare");
    }
    by_rules(
        &VERSION_SKEW,
        mesh,
        &analyze,
        format!("istiod and all proxies at {}", image_tag(control)),
    )
}

/// The rule says which Deployments are short; the kube layer says why (the newest ReplicaSet's
/// failure condition or warning event).
async fn workloads_check(ctx: &Ctx<'_>, mesh: &MeshSnapshot) -> Check {
    let ns = &ctx.opts.namespace;
    let count = mesh.in_namespace(kinds::DEPLOYMENT.kind, ns).count();
    if count == 0 {
        return WORKLOADS.warn(format!("no deployments in {ns}"));
    }
    let findings = analyze_codes(mesh, &ctx.opts.analyze(), &WORKLOADS.codes());
    if findings.is_empty() {
        return WORKLOADS.pass(format!("{count} deployments in {ns} fully available"));
    }
    let client = ctx.client();
    let explained = findings.iter().map(|f| {
        let client = client.clone();
        async move {
            let typed = mesh
                .get(&f.resource)
                .and_then(|d| d.clone().try_parse::<Deployment>().ok());
            match typed {
                Some(deployment) => availability(&client, &deployment).await.summary(),
                None => format!("{} {}", f.resource, f.message),
            }
        }
    });
    let short = join_all(explained).await;
    WORKLOADS.fail(short.join("; ")).with_hint(format!(
        "kubectl -n {ns} get events --field-selector type=Warning"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{Selection, Status};

    fn options() -> HealthOptions {
        HealthOptions {
            namespace: "prod".into(),
            istio_namespace: "istio-system".into(),
            service: "svc".into(),
            port: 80,
            health_path: "/".into(),
            selection: Selection::default(),
        }
    }

    const PODS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec: {template: {spec: {containers: [{name: discovery, image: 'docker.io/istio/pilot:1.32.0'}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: prod}
spec: {containers: [{name: app}, {name: istio-proxy, image: 'docker.io/istio/proxyv2:1.31.0'}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: prod}
spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: prod, annotations: {sidecar.istio.io/inject: 'false'}}
spec: {containers: [{name: app}]}
";

    fn judge(check: fn(&HealthOptions, &MeshSnapshot) -> Check) -> Check {
        check(&options(), &MeshSnapshot::from_yaml(PODS, "prod"))
    }

    #[test]
    fn counts_pods_without_sidecar_and_lists_them() {
        let check = judge(sidecar_check);
        assert_eq!(check.status, Status::Fail);
        assert_eq!(
            check.detail,
            "1/2 pods in prod have istio-proxy, 1 opted out by sidecar.istio.io/inject=false; without: b"
        );
    }

    #[test]
    fn skew_is_a_warning_naming_both_versions() {
        let check = judge(skew_check);
        assert_eq!(check.status, Status::Warn);
        assert!(
            check.detail.contains("istiod at 1.32.0, proxies at 1.31.0"),
            "{}",
            check.detail
        );
    }
}
