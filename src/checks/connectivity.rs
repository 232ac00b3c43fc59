//! connectivity group: GET the application's health endpoint through the API server's service
//! proxy, the way the seed curls it from inside the pod, with no exec and no curl.

use std::time::Instant;

use super::catalog::SERVICE_HEALTH;
use super::{Check, Ctx};
use crate::kube::api_message;

pub(super) async fn run(ctx: &Ctx<'_>) -> Vec<Check> {
    if !ctx.wants(&SERVICE_HEALTH) {
        return Vec::new();
    }
    vec![service_health(ctx).await]
}

async fn service_health(ctx: &Ctx<'_>) -> Check {
    let o = ctx.opts;
    let path = format!(
        "/api/v1/namespaces/{}/services/{}:{}/proxy/{}",
        o.namespace,
        o.service,
        o.port,
        o.health_path.trim_start_matches('/')
    );
    let target = format!("{}/{}:{}{}", o.namespace, o.service, o.port, o.health_path);
    let request = match http::Request::get(&path).body(Vec::new()) {
        Ok(r) => r,
        Err(e) => return SERVICE_HEALTH.fail(format!("invalid target {target}: {e}")),
    };
    let started = Instant::now();
    let outcome = ctx.conn.client.request_text(request).await;
    let millis = started.elapsed().as_millis();
    match outcome {
        Ok(body) => SERVICE_HEALTH.pass(format!("GET {target}: 200 in {millis} ms ({})", first_line(&body))),
        Err(kube::Error::Api(status)) => SERVICE_HEALTH.fail(
            format!("GET {target}: {} in {millis} ms: {}", status.code, status.message.trim()),
        )
        .with_hint(format!(
            "check the Service and its endpoints: kubectl -n {} get endpointslices -l kubernetes.io/service-name={}",
            o.namespace, o.service
        )),
        Err(e) => SERVICE_HEALTH.fail(format!("GET {target}: {}", api_message(&e))),
    }
}

fn first_line(body: &str) -> String {
    let line = body.lines().next().unwrap_or("").trim();
    line.chars().take(80).collect()
}
