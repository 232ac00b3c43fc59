//! Gateway certificates: the Secret a `credentialName` names must exist where the gateway
//! workload runs (the only namespace Istio reads it from), hold a valid certificate that covers
//! the server's hosts and does not expire soon. Every problem of a server is reported, not only
//! the first.

mod certificate;
mod duplicates;

use kube::api::DynamicObject;

use super::routing::GatewayWorkloads;
use super::{AnalyzeOptions, Code, Finding, Severity};
use crate::snapshot::json::{array, host_matches, server_credentials, spec, strings};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

pub(super) use duplicates::duplicate_certificates;

/// Every credential of every Gateway's TLS servers.
pub(super) fn analyze(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    // Files rarely hold Secrets (cert-manager or an operator creates them): without any, the
    // input says nothing about them.
    if !snapshot.live && snapshot.of_kind("Secret").next().is_none() {
        return Vec::new();
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let workloads = GatewayWorkloads::of(snapshot);
    let mut findings = Vec::new();
    for gateway in snapshot.of_kind("Gateway") {
        let runs_in = workloads.namespaces(gateway);
        for server in array(&spec(gateway)["servers"]) {
            let hosts: Vec<String> = strings(&server["hosts"])
                .into_iter()
                .map(|h| h.split_once('/').map_or(h.clone(), |(_, h)| h.to_string()))
                .collect();
            for credential in server_credentials(server) {
                let check = Check {
                    snapshot,
                    opts,
                    gateway,
                    credential: &credential,
                    hosts: &hosts,
                    now,
                };
                findings.extend(check.run(&runs_in));
            }
        }
    }
    findings
}

struct Check<'a> {
    snapshot: &'a MeshSnapshot,
    opts: &'a AnalyzeOptions,
    gateway: &'a DynamicObject,
    credential: &'a str,
    hosts: &'a [String],
    now: i64,
}

impl Check<'_> {
    fn finding(&self, code: Code, severity: Severity, message: String, fix: String) -> Finding {
        Finding::new(code, self.gateway, message, fix).with_severity(severity)
    }

    /// Where Istio reads the Secret: each namespace the gateway's workload runs in. When no
    /// workload is known, the Gateway's or the Istio namespace, whichever holds it.
    fn run(&self, runs_in: &[String]) -> Vec<Finding> {
        let gateway_ns = namespace_of(self.gateway);
        let fallback = [gateway_ns, self.opts.istio_namespace.as_str()];
        let credential = self.credential;
        if runs_in.is_empty() {
            return match fallback
                .iter()
                .find_map(|ns| self.snapshot.find("Secret", ns, credential))
            {
                Some(secret) => self.contents(secret),
                None => vec![self.finding(
                    Code::Mesh0301,
                    Severity::Error,
                    format!(
                        "credentialName {credential} names a Secret that exists neither in {gateway_ns} nor in {}: the gateway cannot serve TLS for {}",
                        self.opts.istio_namespace,
                        self.hosts.join(", ")
                    ),
                    format!(
                        "kubectl -n {} create secret tls {credential} --cert=cert.pem --key=key.pem (in the namespace where the gateway runs)",
                        self.opts.istio_namespace
                    ),
                )],
            };
        }
        let mut findings = Vec::new();
        for ns in runs_in {
            if let Some(secret) = self.snapshot.find("Secret", ns, credential) {
                findings.extend(self.contents(secret));
                continue;
            }
            let create = format!(
                "kubectl -n {ns} create secret tls {credential} --cert=cert.pem --key=key.pem"
            );
            let misplaced = fallback
                .iter()
                .find_map(|other| self.snapshot.find("Secret", other, credential));
            match misplaced {
                Some(secret) => {
                    findings.push(self.finding(
                        Code::Mesh0307,
                        Severity::Error,
                        format!(
                            "credentialName {credential} is Secret {}/{}, but the gateway workload runs in {ns}, the only namespace Istio reads it from: the gateway cannot serve TLS for {}",
                            namespace_of(secret),
                            name_of(secret),
                            self.hosts.join(", ")
                        ),
                        format!("{create} (the same certificate as in {})", namespace_of(secret)),
                    ));
                    findings.extend(self.contents(secret));
                }
                None => findings.push(self.finding(
                    Code::Mesh0301,
                    Severity::Error,
                    format!(
                        "credentialName {credential} names a Secret that does not exist in {ns}, where the gateway workload runs: the gateway cannot serve TLS for {}",
                        self.hosts.join(", ")
                    ),
                    create,
                )),
            }
        }
        findings
    }

    /// Every problem of the certificate in `secret`.
    fn contents(&self, secret: &DynamicObject) -> Vec<Finding> {
        let where_ = format!("Secret {}/{}", namespace_of(secret), name_of(secret));
        let credential = self.credential;
        let certificate = match certificate::of_secret(secret) {
            Ok(c) => c,
            Err(reason) => {
                return vec![self.finding(
                    Code::Mesh0302,
                    Severity::Error,
                    format!(
                        "{where_} (credentialName {credential}) holds no valid certificate: {reason}"
                    ),
                    format!(
                        "replace {where_} with a PEM certificate in tls.crt and its key in tls.key"
                    ),
                )];
            }
        };
        let mut findings = Vec::new();
        let uncovered: Vec<&str> = self
            .hosts
            .iter()
            .filter(|h| !certificate.names.iter().any(|n| host_matches(n, h)))
            .map(String::as_str)
            .collect();
        if !uncovered.is_empty() {
            findings.push(self.finding(
                Code::Mesh0303,
                Severity::Error,
                format!(
                    "the certificate in {where_} covers {} but not {}: clients reject the TLS handshake for those hosts",
                    certificate.names.join(", "),
                    uncovered.join(", ")
                ),
                format!(
                    "issue a certificate whose subjectAltName includes {}",
                    uncovered.join(", ")
                ),
            ));
        }
        let now = self.now;
        let days_left = (certificate.not_after - now) / 86_400;
        let renew = format!("renew the certificate in {where_}");
        if certificate.not_after <= now {
            findings.push(self.finding(
                Code::Mesh0306,
                Severity::Error,
                format!(
                    "the certificate in {where_} expired {} day(s) ago: the gateway refuses to serve it",
                    -days_left
                ),
                renew,
            ));
        } else if certificate.not_before > now {
            findings.push(self.finding(
                Code::Mesh0306,
                Severity::Error,
                format!(
                    "the certificate in {where_} is not valid before {} day(s) from now: the gateway refuses to serve it",
                    (certificate.not_before - now) / 86_400
                ),
                format!("issue a certificate valid from today in {where_}"),
            ));
        } else if days_left < self.opts.cert_expiry_days {
            findings.push(self.finding(
                Code::Mesh0304,
                Severity::Warning,
                format!(
                    "the certificate in {where_} expires in {days_left} day(s) (threshold {} days)",
                    self.opts.cert_expiry_days
                ),
                renew,
            ));
        }
        findings
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    use super::super::testing::{codes, options, snapshot};
    use super::super::{Code, Severity};
    use super::*;

    const GATEWAY: &str = "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: prod}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 443, name: https, protocol: HTTPS}, tls: {mode: SIMPLE, credentialName: shop-tls}, hosts: [shop.example.com]}]
";

    const INGRESS_IN_EDGE: &str = "---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: edge}
spec: {template: {metadata: {labels: {istio: ingressgateway}}, spec: {}}}
";

    /// A self-signed certificate for `names`, valid from `from` days to `to` days from now.
    fn certificate_between(names: &[&str], from: i64, to: i64) -> String {
        let key = rcgen::KeyPair::generate().expect("key pair");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = rcgen::CertificateParams::new(names).expect("certificate names");
        let at = |days: i64| {
            let now = std::time::SystemTime::now();
            let span = std::time::Duration::from_secs(days.unsigned_abs() * 86_400);
            if days < 0 { now - span } else { now + span }
        };
        params.not_before = at(from).into();
        params.not_after = at(to).into();
        params
            .self_signed(&key)
            .expect("self-signed certificate")
            .pem()
    }

    /// A self-signed certificate for `names`, valid for `days` from now.
    fn certificate(names: &[&str], days: i64) -> String {
        certificate_between(names, -1, days)
    }

    fn secret(namespace: &str, pem: &str) -> String {
        let encoded = base64::engine::general_purpose::STANDARD.encode(pem);
        format!(
            "---\napiVersion: v1\nkind: Secret\nmetadata: {{name: shop-tls, namespace: {namespace}}}\ndata: {{tls.crt: {encoded}}}\n"
        )
    }

    fn with_secret(pem: &str) -> String {
        format!("{GATEWAY}{}", secret("istio-system", pem))
    }

    fn found(input: &str) -> Vec<(Code, Severity, String)> {
        codes(&analyze(&snapshot(input), &options()))
    }

    fn gw(code: Code, severity: Severity) -> (Code, Severity, String) {
        (code, severity, "Gateway/prod/gw".into())
    }

    #[test]
    fn mesh0301_missing_secret() {
        assert_eq!(
            found(&format!(
                "{GATEWAY}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: other, namespace: istio-system}}\n"
            )),
            vec![gw(Code::Mesh0301, Severity::Error)]
        );
    }

    #[test]
    fn mesh0302_not_a_certificate() {
        assert_eq!(
            found(&with_secret("hello")),
            vec![gw(Code::Mesh0302, Severity::Error)]
        );
    }

    #[test]
    fn mesh0303_hosts_not_covered() {
        let s = snapshot(&with_secret(&certificate(&["other.example.com"], 365)));
        let findings = analyze(&s, &options());
        assert_eq!(codes(&findings), vec![gw(Code::Mesh0303, Severity::Error)]);
        assert!(findings[0].message.contains("not shop.example.com"));
    }

    #[test]
    fn mesh0304_expiring_soon_and_a_good_certificate() {
        assert_eq!(
            found(&with_secret(&certificate(&["*.example.com"], 10))),
            vec![gw(Code::Mesh0304, Severity::Warning)]
        );
        assert!(found(&with_secret(&certificate(&["shop.example.com"], 365))).is_empty());
        // The threshold is exclusive: 30 days left with a 30-day threshold is fine.
        let at_threshold = snapshot(&with_secret(&certificate(&["shop.example.com"], 31)));
        let opts = AnalyzeOptions {
            cert_expiry_days: 30,
            ..options()
        };
        assert!(analyze(&at_threshold, &opts).is_empty());
    }

    #[test]
    fn every_problem_of_a_server_is_reported_an_expired_certificate_with_wrong_names_too() {
        let expired_elsewhere = certificate_between(&["other.example.com"], -30, -2);
        let findings = analyze(&snapshot(&with_secret(&expired_elsewhere)), &options());
        assert_eq!(
            codes(&findings),
            vec![
                gw(Code::Mesh0303, Severity::Error),
                gw(Code::Mesh0306, Severity::Error)
            ]
        );
        assert!(
            findings[1].message.contains("expired 2 day(s) ago")
                || findings[1].message.contains("expired 1 day(s) ago")
        );
    }

    #[test]
    fn mesh0306_not_yet_valid() {
        let later = certificate_between(&["shop.example.com"], 5, 100);
        let findings = analyze(&snapshot(&with_secret(&later)), &options());
        assert_eq!(codes(&findings), vec![gw(Code::Mesh0306, Severity::Error)]);
        assert!(findings[0].message.contains("not valid before"));
    }

    /// A certificate for shop.example.com valid from `from` to `to`, seconds since the epoch.
    fn certificate_from(from: u64, to: u64) -> String {
        let key = rcgen::KeyPair::generate().expect("key pair");
        let mut params =
            rcgen::CertificateParams::new(vec!["shop.example.com".to_string()]).expect("names");
        let at = |seconds| std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        params.not_before = at(from).into();
        params.not_after = at(to).into();
        params.self_signed(&key).expect("certificate").pem()
    }

    /// The certificate's own first and last seconds, judged as if it were that time.
    #[test]
    fn a_certificate_is_valid_from_its_first_second_to_before_its_last() {
        const START: u64 = 1_893_456_000; // 2030-01-01T00:00:00Z
        const END: u64 = START + 400 * 86_400;
        let mesh = snapshot(&with_secret(&certificate_from(START, END)));
        let opts = options();
        let gateway = mesh.of_kind("Gateway").next().expect("the gateway");
        let secret = mesh
            .find("Secret", "istio-system", "shop-tls")
            .expect("the secret");
        let hosts = ["shop.example.com".to_string()];
        let at = |now: u64| {
            let check = Check {
                snapshot: &mesh,
                opts: &opts,
                gateway,
                credential: "shop-tls",
                hosts: &hosts,
                now: now as i64,
            };
            check
                .contents(secret)
                .into_iter()
                .map(|f| f.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(at(START - 1), [Code::Mesh0306], "a second early");
        assert!(at(START).is_empty(), "valid from its first second");
        // The threshold is exclusive: exactly 30 days left with a 30-day threshold is fine.
        assert!(at(END - 30 * 86_400).is_empty(), "30 days left");
        assert_eq!(
            at(END - 30 * 86_400 + 1),
            [Code::Mesh0304],
            "29 days and more left"
        );
        assert_eq!(at(END - 1), [Code::Mesh0304], "expiring");
        assert_eq!(at(END), [Code::Mesh0306], "expired at its last second");
    }

    #[test]
    fn the_secret_is_read_where_the_gateway_workload_runs() {
        let good = certificate(&["shop.example.com"], 365);
        // The workload runs in edge and the Secret is there: nothing to say.
        assert!(
            found(&format!(
                "{GATEWAY}{INGRESS_IN_EDGE}{}",
                secret("edge", &good)
            ))
            .is_empty()
        );
        // The Secret is in the Istio namespace, which this gateway does not read: MESH0307.
        let misplaced = analyze(
            &snapshot(&format!(
                "{GATEWAY}{INGRESS_IN_EDGE}{}",
                secret("istio-system", &good)
            )),
            &options(),
        );
        assert_eq!(codes(&misplaced), vec![gw(Code::Mesh0307, Severity::Error)]);
        assert!(
            misplaced[0]
                .message
                .contains("Secret istio-system/shop-tls, but the gateway workload runs in edge")
        );
        assert!(
            misplaced[0]
                .fix
                .starts_with("kubectl -n edge create secret tls shop-tls")
        );
        // Nowhere at all: MESH0301 naming the workload's namespace.
        let missing = analyze(
            &snapshot(&format!(
                "{GATEWAY}{INGRESS_IN_EDGE}{}",
                secret("other", &good)
            )),
            &options(),
        );
        assert_eq!(codes(&missing), vec![gw(Code::Mesh0301, Severity::Error)]);
        assert!(missing[0].message.contains("does not exist in edge"));
    }

    #[test]
    fn a_misplaced_secret_is_also_judged_for_its_certificate() {
        let bad = certificate(&["other.example.com"], 365);
        assert_eq!(
            found(&format!(
                "{GATEWAY}{INGRESS_IN_EDGE}{}",
                secret("prod", &bad)
            )),
            vec![
                gw(Code::Mesh0307, Severity::Error),
                gw(Code::Mesh0303, Severity::Error)
            ]
        );
    }

    #[test]
    fn files_without_secrets_say_nothing_and_credential_names_lists_count() {
        let chart = format!("{GATEWAY}{INGRESS_IN_EDGE}");
        assert!(found(&chart).is_empty());
        let mut live = snapshot(&chart);
        live.live = true;
        assert_eq!(
            codes(&analyze(&live, &options())),
            vec![gw(Code::Mesh0301, Severity::Error)]
        );
        let listed = GATEWAY.replace(
            "credentialName: shop-tls",
            "credentialNames: [shop-tls, shop-ec]",
        );
        let good = certificate(&["shop.example.com"], 365);
        let findings = analyze(
            &snapshot(&format!("{listed}{}", secret("istio-system", &good))),
            &options(),
        );
        assert_eq!(codes(&findings), vec![gw(Code::Mesh0301, Severity::Error)]);
        assert!(findings[0].message.contains("credentialName shop-ec"));
    }
}
