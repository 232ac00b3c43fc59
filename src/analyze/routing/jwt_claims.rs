//! Routing on JWT claims: the `@request.auth.claims.…` headers exist only after a
//! RequestAuthentication validated the token on the gateway, so without one such a match never
//! holds.

use std::collections::HashMap;

use kube::api::DynamicObject;

use super::bound_gateways;
use super::gateway_workloads::GatewayWorkloads;
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, match_labels, spec};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

/// The first header of an http match that is a JWT claim (`@request.auth.claims.x` or `[x]`).
fn claim_key(vs: &DynamicObject) -> Option<&str> {
    array(&spec(vs)["http"])
        .iter()
        .flat_map(|rule| array(&rule["match"]))
        .flat_map(|m| {
            ["headers", "withoutHeaders"]
                .into_iter()
                .filter_map(|field| m[field].as_object())
                .flat_map(|headers| headers.keys())
        })
        .map(String::as_str)
        .find(|key| {
            key.strip_prefix("@request.auth.claims")
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        })
}

pub(crate) fn claims_without_authentication(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
) -> Vec<Finding> {
    let workloads = GatewayWorkloads::of(snapshot);
    let mut by_namespace: HashMap<&str, Vec<&DynamicObject>> = HashMap::new();
    for ra in snapshot.of_kind("RequestAuthentication") {
        by_namespace.entry(namespace_of(ra)).or_default().push(ra);
    }
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        let Some(key) = claim_key(vs) else {
            continue;
        };
        for (ns, name) in bound_gateways(vs) {
            let Some(gateway) = snapshot.find("Gateway", &ns, &name) else {
                continue;
            };
            // Only the workloads the input shows; a chart without the gateway says nothing.
            let unauthenticated: Vec<&str> = workloads
                .selected(gateway)
                .into_iter()
                .filter(|w| {
                    let own = namespace_of(w.object);
                    ![opts.istio_namespace.as_str(), own]
                        .iter()
                        .flat_map(|n| by_namespace.get(n).into_iter().flatten())
                        .any(|ra| {
                            match_labels(&spec(ra)["selector"]["matchLabels"])
                                .is_none_or(|s| w.matches(s))
                        })
                })
                .map(|w| name_of(w.object))
                .collect();
            if !unauthenticated.is_empty() {
                findings.push(Finding::new(
                    Code::Mesh0117,
                    vs,
                    format!(
                        "routes on the JWT claim {key} through Gateway {ns}/{name}, but no RequestAuthentication selects its workload ({}): the claim is never set, so the match never holds",
                        unauthenticated.join(", ")
                    ),
                    format!(
                        "add a RequestAuthentication selecting the gateway workload of {ns}/{name} (in {} or the workload's namespace)",
                        opts.istio_namespace
                    ),
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{HTTP_GATEWAY, codes, options, snapshot};
    use super::super::super::{Code, Severity};
    use super::*;

    const ROUTE: &str = "---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: prod}
spec:
  hosts: [shop.example.com]
  gateways: [gw]
  http:
  - match: [{headers: {'@request.auth.claims.groups': {exact: beta}}}]
    route: [{destination: {host: beta}}]
  - route: [{destination: {host: web}}]
";

    const INGRESS: &str = "---
apiVersion: v1
kind: Pod
metadata: {name: ingress-1, namespace: istio-system, labels: {istio: ingressgateway}}
";

    #[test]
    fn mesh0117_claims_without_a_request_authentication_for_the_gateway() {
        let other = "---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: app-only, namespace: istio-system}
spec: {selector: {matchLabels: {app: web}}}
";
        let s = snapshot(&format!("{HTTP_GATEWAY}{ROUTE}{INGRESS}{other}"));
        let found = claims_without_authentication(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0117,
                Severity::Error,
                "VirtualService/prod/vs".into()
            )]
        );
        assert!(
            found[0].message.contains("@request.auth.claims.groups")
                && found[0].message.contains("ingress-1")
        );
    }

    #[test]
    fn a_request_authentication_for_the_gateway_or_no_gateway_workload_is_silent() {
        let ra = "---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: istio-system}
spec: {selector: {matchLabels: {istio: ingressgateway}}, jwtRules: [{issuer: x}]}
";
        let s = snapshot(&format!("{HTTP_GATEWAY}{ROUTE}{INGRESS}{ra}"));
        assert!(claims_without_authentication(&s, &options()).is_empty());
        let chart = snapshot(&format!("{HTTP_GATEWAY}{ROUTE}"));
        assert!(claims_without_authentication(&chart, &options()).is_empty());
    }

    #[test]
    fn claim_keys_in_both_forms_and_in_without_headers() {
        let vs = |headers: &str| {
            snapshot(&format!(
                "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: prod}}
spec: {{http: [{{match: [{headers}]}}]}}
"
            ))
        };
        let key = |s: &MeshSnapshot| {
            claim_key(s.find("VirtualService", "prod", "vs").expect("vs")).map(str::to_string)
        };
        assert_eq!(
            key(&vs(
                "{withoutHeaders: {'@request.auth.claims[groups]': {exact: a}}}"
            ))
            .as_deref(),
            Some("@request.auth.claims[groups]")
        );
        assert_eq!(
            key(&vs(
                "{headers: {'@request.auth.claimsx': {exact: a}, x-user: {exact: a}}}"
            )),
            None
        );
    }
}
