//! DestinationRules that originate TLS without verifying the server: `SIMPLE` or `MUTUAL` with
//! neither `caCertificates` nor `credentialName`, at the destination and at port level.

use serde_json::Value;

use super::{AnalyzeOptions, Code, Finding};
use crate::snapshot::MeshSnapshot;
use crate::snapshot::json::{array, spec};

/// Does this `tls` block originate TLS whose server certificate is never verified? A CA given
/// inline or through a Secret (`credentialName`, whose `ca.crt` Istio reads) verifies it; an
/// explicit `insecureSkipVerify: true` says skipping is meant, so it is not reported.
fn unverified(tls: &Value) -> Option<&str> {
    let mode = tls["mode"].as_str()?;
    let originates = matches!(mode, "SIMPLE" | "MUTUAL");
    let has = |key: &str| tls[key].as_str().is_some_and(|v| !v.is_empty());
    let skip = tls["insecureSkipVerify"].as_bool() == Some(true);
    (originates && !has("caCertificates") && !has("credentialName") && !skip).then_some(mode)
}

pub(super) fn unverified_servers(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for dr in snapshot.of_kind("DestinationRule") {
        let host = spec(dr)["host"].as_str().unwrap_or("");
        let policy = &spec(dr)["trafficPolicy"];
        if let Some(mode) = unverified(&policy["tls"]) {
            findings.push(Finding::new(
                Code::Mesh0150,
                dr,
                format!("originates TLS ({mode}) to {host} without caCertificates or credentialName: the server's certificate is never verified, so anyone on the path can pose as {host}"),
                "set trafficPolicy.tls.caCertificates (or credentialName naming a Secret with ca.crt); insecureSkipVerify: true if not verifying is meant".into(),
            ));
        }
        for setting in array(&policy["portLevelSettings"]) {
            if let Some(mode) = unverified(&setting["tls"]) {
                let port = setting["port"]["number"].to_string();
                findings.push(Finding::new(
                    Code::Mesh0151,
                    dr,
                    format!("originates TLS ({mode}) to {host} port {port} without caCertificates or credentialName: that port's server certificate is never verified"),
                    format!("set caCertificates in the portLevelSettings entry for port {port}; insecureSkipVerify: true if not verifying is meant"),
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, options, snapshot};
    use super::super::{Code, Severity};
    use super::*;

    fn rule(policy: &str) -> Vec<Finding> {
        let s = snapshot(&format!(
            "
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: ext, namespace: prod}}
spec: {{host: api.example.com, trafficPolicy: {policy}}}
"
        ));
        unverified_servers(&s, &options())
    }

    #[test]
    fn mesh0150_simple_or_mutual_without_a_ca_at_the_destination() {
        for mode in ["SIMPLE", "MUTUAL"] {
            let found = rule(&format!("{{tls: {{mode: {mode}}}}}"));
            assert_eq!(
                codes(&found),
                vec![(
                    Code::Mesh0150,
                    Severity::Warning,
                    "DestinationRule/prod/ext".into()
                )]
            );
            assert!(found[0].message.contains(mode), "{}", found[0].message);
        }
    }

    #[test]
    fn mesh0151_port_level_tls_without_a_ca() {
        let found = rule(
            "{portLevelSettings: [{port: {number: 443}, tls: {mode: SIMPLE}}, {port: {number: 8443}, tls: {mode: SIMPLE, caCertificates: /etc/ca.pem}}]}",
        );
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0151,
                Severity::Warning,
                "DestinationRule/prod/ext".into()
            )]
        );
        assert!(
            found[0].message.contains("port 443"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn verified_skipped_on_purpose_or_not_originating_is_silent() {
        for policy in [
            "{tls: {mode: SIMPLE, caCertificates: /etc/ca.pem}}",
            "{tls: {mode: MUTUAL, credentialName: client-cert}}",
            "{tls: {mode: SIMPLE, insecureSkipVerify: true}}",
            "{tls: {mode: ISTIO_MUTUAL}}",
            "{tls: {mode: DISABLE}}",
            "{portLevelSettings: [{port: {number: 443}, tls: {mode: ISTIO_MUTUAL}}]}",
            "{loadBalancer: {simple: ROUND_ROBIN}}",
        ] {
            assert!(rule(policy).is_empty(), "{policy}");
        }
        // an empty CA is no CA
        assert_eq!(rule("{tls: {mode: SIMPLE, caCertificates: ''}}").len(), 1);
        assert_eq!(
            rule("{tls: {mode: SIMPLE, insecureSkipVerify: false}}").len(),
            1
        );
    }
}
