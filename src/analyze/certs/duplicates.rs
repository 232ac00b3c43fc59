//! One TLS credential on several Gateways of the same gateway workload: HTTP/2 clients reuse a
//! connection for every host the certificate covers, and the other Gateway's routes answer 404.

use std::collections::BTreeMap;

use crate::analyze::routing::GatewayWorkloads;
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, server_credentials, spec};
use crate::snapshot::{MeshSnapshot, ObjectRef};

pub(crate) fn duplicate_certificates(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let workloads = GatewayWorkloads::of(snapshot);
    let mut by_credential: BTreeMap<(String, String), Vec<ObjectRef>> = BTreeMap::new();
    for gateway in snapshot.of_kind("Gateway") {
        let key = workloads.key(gateway);
        for credential in array(&spec(gateway)["servers"])
            .iter()
            .flat_map(server_credentials)
        {
            let list = by_credential.entry((key.clone(), credential)).or_default();
            let me = ObjectRef::of(gateway);
            if !list.contains(&me) {
                list.push(me);
            }
        }
    }
    let mut findings = Vec::new();
    for ((_, credential), gateways) in by_credential.into_iter().filter(|(_, l)| l.len() > 1) {
        let names: Vec<String> = gateways.iter().map(ToString::to_string).collect();
        for gateway in &gateways {
            findings.push(Finding::about(
                Code::Mesh0305,
                gateway.clone(),
                format!(
                    "credential {credential} is served by {} Gateways of the same gateway workload ({}): HTTP/2 clients reuse one connection for every host of the certificate and get 404s from the Gateway that does not route them",
                    names.len(),
                    names.join(", ")
                ),
                "serve the hosts of one certificate from one Gateway, or give each Gateway its own certificate".into(),
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{codes, options, snapshot};
    use super::super::super::{Code, Severity};
    use super::*;

    fn gateway(name: &str, selector: &str, credential: &str) -> String {
        format!(
            "---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: {name}, namespace: prod}}
spec:
  selector: {selector}
  servers:
  - {{port: {{number: 443, name: https, protocol: HTTPS}}, tls: {{mode: SIMPLE, credentialName: {credential}}}, hosts: [{name}.example.com]}}
  - {{port: {{number: 8443, name: https-alt, protocol: HTTPS}}, tls: {{mode: SIMPLE, credentialName: {credential}}}, hosts: [{name}.example.com]}}
"
        )
    }

    #[test]
    fn mesh0305_one_credential_on_several_gateways_of_one_workload() {
        let input = [
            gateway("shop", "{istio: ingressgateway}", "wildcard-tls"),
            gateway("blog", "{istio: ingressgateway}", "wildcard-tls"),
            gateway("intranet", "{istio: internal}", "wildcard-tls"),
            gateway("api", "{istio: ingressgateway}", "api-tls"),
        ]
        .concat();
        let found = duplicate_certificates(&snapshot(&input), &options());
        assert_eq!(
            codes(&found),
            vec![
                (
                    Code::Mesh0305,
                    Severity::Warning,
                    "Gateway/prod/shop".into()
                ),
                (
                    Code::Mesh0305,
                    Severity::Warning,
                    "Gateway/prod/blog".into()
                ),
            ]
        );
        assert!(found[0].message.contains("served by 2 Gateways"));
    }
}
