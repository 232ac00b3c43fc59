//! observability group, left out when no addon is installed (skipped, with the reason, under
//! `--only observability`): Prometheus answers a query through
//! the API server's service proxy and has scraped Istio's targets; the Grafana, Kiali and Jaeger
//! workloads are ready; the seed's Telemetry object is applied in the application namespace.

use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, ListParams};
use serde_json::Value;

use super::catalog::{ADDON_WORKLOADS, PROMETHEUS, TELEMETRY};
use super::{Check, Ctx, Group};
use crate::addons::{ADDONS, AddonStatus, find, status, status_among};
use crate::kube::api_message;
use crate::snapshot::{Listed, kinds, name_of};

/// `lists`: the snapshot's, when health read them; their Istio namespace's Deployments spare a
/// read per addon.
pub(super) async fn run(ctx: &Ctx<'_>, lists: Option<&Listed>) -> Vec<Check> {
    let wanted: Vec<_> = [&PROMETHEUS, &ADDON_WORKLOADS, &TELEMETRY]
        .into_iter()
        .filter(|c| ctx.wants(c))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let all: Vec<_> = ADDONS.iter().collect();
    let ns = &ctx.opts.istio_namespace;
    let read = match lists.filter(|l| l.unread().is_empty()) {
        Some(lists) => {
            let deployments = lists.typed_in(kinds::DEPLOYMENT.kind, ns, |d| {
                ADDONS.iter().any(|a| a.workload.1 == name_of(d))
            });
            status_among(ctx.conn, ns, &all, &deployments).await
        }
        None => status(ctx.conn, ns, &all).await,
    };
    let report = match read {
        Ok(report) => report,
        Err(e) => {
            let why = format!(
                "cannot read the addons in {}: {e}",
                ctx.opts.istio_namespace
            );
            return wanted.iter().map(|c| c.fail(why.clone())).collect();
        }
    };
    let installed: Vec<&AddonStatus> = report.installed().collect();
    if installed.is_empty() {
        // The group appears once an addon is installed; asked for alone, it says why it is empty.
        if ctx.opts.selection.only != Some(Group::Observability) {
            return Vec::new();
        }
        let why = format!(
            "no addon installed in {} (meshctl addons install prometheus kiali)",
            ctx.opts.istio_namespace
        );
        return wanted.iter().map(|c| c.skip(why.clone())).collect();
    }
    let mut checks = Vec::new();
    if ctx.wants(&PROMETHEUS) {
        checks.push(prometheus(ctx, &installed).await);
    }
    if ctx.wants(&ADDON_WORKLOADS) {
        checks.push(workloads(&installed));
    }
    if ctx.wants(&TELEMETRY) {
        checks.push(telemetry(ctx).await);
    }
    checks
}

async fn prometheus(ctx: &Ctx<'_>, installed: &[&AddonStatus]) -> Check {
    let Some(addon) = find("prometheus") else {
        return PROMETHEUS.skip("prometheus is not in the addon catalog");
    };
    if !installed.iter().any(|a| a.name == addon.name) {
        return PROMETHEUS.skip("prometheus is not installed");
    }
    let (service, port) = addon.service;
    let ns = &ctx.opts.istio_namespace;
    let path =
        format!("/api/v1/namespaces/{ns}/services/{service}:{port}/proxy/api/v1/query?query=up");
    let target = format!("{ns}/{service}:{port}");
    let request = match http::Request::get(&path).body(Vec::new()) {
        Ok(r) => r,
        Err(e) => return PROMETHEUS.fail(format!("invalid query to {target}: {e}")),
    };
    let body = match ctx.conn.client.request_text(request).await {
        Ok(body) => body,
        Err(e) => {
            return PROMETHEUS
                .fail(format!("query `up` to {target}: {}", api_message(&e)))
                .with_hint(format!(
                    "Prometheus does not answer; `meshctl addons status prometheus` and kubectl -n {ns} logs deploy/prometheus"
                ));
        }
    };
    match istio_targets_up(&body) {
        Err(reason) => PROMETHEUS.fail(format!("query `up` to {target}: {reason}")),
        Ok((0, total)) => PROMETHEUS.fail(format!(
            "Prometheus answers ({total} targets) but has no Istio target (istiod or a sidecar) up"
        )),
        Ok((istio, total)) => PROMETHEUS.pass(format!(
            "answers through the API server; {istio} of {total} targets up are Istio's"
        )),
    }
}

/// (Istio targets up, all targets) in an answer to the query `up`: a target is Istio's when a
/// label names istiod or istio-proxy, or its job names Istio (as Istio's scrape config does).
fn istio_targets_up(body: &str) -> Result<(usize, usize), String> {
    let answer: Value =
        serde_json::from_str(body).map_err(|e| format!("not a Prometheus answer: {e}"))?;
    if answer["status"] != "success" {
        return Err(format!("status {}", answer["status"]));
    }
    let results = answer["data"]["result"]
        .as_array()
        .ok_or("no data.result in the answer")?;
    let up = |r: &&Value| r["value"][1].as_str() == Some("1");
    let istio = |r: &&Value| {
        r["metric"].as_object().is_some_and(|labels| {
            labels.iter().any(|(key, value)| {
                let value = value.as_str().unwrap_or("");
                value == "istiod"
                    || value == "istio-proxy"
                    || (key == "job" && value.contains("istio"))
            })
        })
    };
    let count = results.iter().filter(up).filter(istio).count();
    Ok((count, results.len()))
}

fn workloads(installed: &[&AddonStatus]) -> Check {
    let shown: Vec<&&AddonStatus> = installed
        .iter()
        .filter(|a| matches!(a.name.as_str(), "grafana" | "kiali" | "jaeger"))
        .collect();
    if shown.is_empty() {
        return ADDON_WORKLOADS.skip("none of grafana, kiali, jaeger is installed");
    }
    let describe = |a: &&&AddonStatus| format!("{} {}/{}", a.name, a.ready_replicas, a.replicas);
    let not_ready: Vec<String> = shown.iter().filter(|a| !a.ready).map(describe).collect();
    if not_ready.is_empty() {
        let all: Vec<String> = shown.iter().map(describe).collect();
        ADDON_WORKLOADS.pass(format!("{} ready", all.join(", ")))
    } else {
        ADDON_WORKLOADS.fail(format!("not ready: {}", not_ready.join(", ")))
    }
}

async fn telemetry(ctx: &Ctx<'_>) -> Check {
    let ns = &ctx.opts.namespace;
    let gvk = GroupVersionKind::gvk("telemetry.istio.io", "v1", "Telemetry");
    let api: Api<DynamicObject> =
        Api::namespaced_with(ctx.client(), ns, &ApiResource::from_gvk(&gvk));
    match api.list(&ListParams::default()).await {
        Ok(list) if list.items.is_empty() => TELEMETRY.fail(format!("no Telemetry in {ns}")),
        Ok(list) => {
            let names: Vec<String> = list
                .items
                .into_iter()
                .filter_map(|t| t.metadata.name)
                .collect();
            TELEMETRY.pass(format!("{} in {ns}: {}", names.len(), names.join(", ")))
        }
        Err(e) => TELEMETRY.fail(format!(
            "cannot list Telemetry in {ns}: {}",
            api_message(&e)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_istio_targets_that_are_up_count() {
        let answer = |results: &str| {
            format!(
                r#"{{"status":"success","data":{{"resultType":"vector","result":[{results}]}}}}"#
            )
        };
        let istiod = r#"{"metric":{"job":"kubernetes-pods","app":"istiod"},"value":[1,"1"]}"#;
        let down =
            r#"{"metric":{"job":"kubernetes-pods","container":"istio-proxy"},"value":[1,"0"]}"#;
        let other = r#"{"metric":{"job":"node"},"value":[1,"1"]}"#;
        assert_eq!(
            istio_targets_up(&answer(&[istiod, down, other].join(","))),
            Ok((1, 3))
        );
        assert_eq!(istio_targets_up(&answer(other)), Ok((0, 1)));
        assert!(istio_targets_up("<html>").is_err());
        assert!(istio_targets_up(r#"{"status":"error"}"#).is_err());
    }
}
