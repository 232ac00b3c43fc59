//! Gateway certificates: the Secret a `credentialName` names must exist, hold a certificate,
//! cover the Gateway's hosts and not expire soon.

use base64::Engine;
use kube::api::DynamicObject;
use x509_parser::extensions::GeneralName;

use super::{AnalyzeOptions, Code, Finding, Severity};
use crate::snapshot::json::{array, host_matches, spec, strings};
use crate::snapshot::{MeshSnapshot, name_of, namespace_of};

/// Every `credentialName` of every Gateway's TLS servers.
pub(super) fn analyze(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    if !snapshot.has_workloads && snapshot.of_kind("Secret").next().is_none() {
        return Vec::new();
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut findings = Vec::new();
    for gateway in snapshot.of_kind("Gateway") {
        for server in array(&spec(gateway)["servers"]) {
            let Some(credential) = server["tls"]["credentialName"].as_str() else {
                continue;
            };
            let hosts: Vec<String> = strings(&server["hosts"])
                .into_iter()
                .map(|h| h.split_once('/').map_or(h.clone(), |(_, h)| h.to_string()))
                .collect();
            findings.extend(check_credential(
                snapshot, opts, gateway, credential, &hosts, now,
            ));
        }
    }
    findings
}

fn finding(
    code: Code,
    severity: Severity,
    gateway: &DynamicObject,
    message: String,
    fix: String,
) -> Finding {
    Finding::new(code, gateway, message, fix).with_severity(severity)
}

fn check_credential(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
    gateway: &DynamicObject,
    credential: &str,
    hosts: &[String],
    now: i64,
) -> Option<Finding> {
    let secret = snapshot
        .find("Secret", namespace_of(gateway), credential)
        .or_else(|| snapshot.find("Secret", &opts.istio_namespace, credential));
    let Some(secret) = secret else {
        return Some(finding(
            Code::Mesh0301,
            Severity::Error,
            gateway,
            format!(
                "credentialName {credential} names a Secret that exists neither in {} nor in {}: the gateway cannot serve TLS for {}",
                namespace_of(gateway),
                opts.istio_namespace,
                hosts.join(", ")
            ),
            format!(
                "kubectl -n {} create secret tls {credential} --cert=cert.pem --key=key.pem",
                opts.istio_namespace
            ),
        ));
    };
    let where_ = format!("Secret {}/{}", namespace_of(secret), name_of(secret));
    let certificate = match certificate_pem(secret).and_then(|pem| parse(&pem)) {
        Ok(c) => c,
        Err(reason) => {
            return Some(finding(
                Code::Mesh0302,
                Severity::Error,
                gateway,
                format!(
                    "{where_} (credentialName {credential}) holds no valid certificate: {reason}"
                ),
                format!(
                    "replace {where_} with a PEM certificate in tls.crt and its key in tls.key"
                ),
            ));
        }
    };
    let uncovered: Vec<&String> = hosts
        .iter()
        .filter(|h| !certificate.names.iter().any(|n| host_matches(n, h)))
        .collect();
    if !uncovered.is_empty() {
        let list: Vec<&str> = uncovered.iter().map(|h| h.as_str()).collect();
        return Some(finding(
            Code::Mesh0303,
            Severity::Error,
            gateway,
            format!(
                "the certificate in {where_} covers {} but not {}: clients reject the TLS handshake for those hosts",
                certificate.names.join(", "),
                list.join(", ")
            ),
            format!(
                "issue a certificate whose subjectAltName includes {}",
                list.join(", ")
            ),
        ));
    }
    let days_left = (certificate.not_after - now) / 86_400;
    if certificate.not_after <= now {
        return Some(finding(
            Code::Mesh0304,
            Severity::Error,
            gateway,
            format!(
                "the certificate in {where_} expired {} day(s) ago",
                -days_left
            ),
            format!("renew the certificate in {where_}"),
        ));
    }
    (days_left < opts.cert_expiry_days).then(|| {
        finding(
            Code::Mesh0304,
            Severity::Warning,
            gateway,
            format!(
                "the certificate in {where_} expires in {days_left} day(s) (threshold {} days)",
                opts.cert_expiry_days
            ),
            format!("renew the certificate in {where_}"),
        )
    })
}

fn certificate_pem(secret: &DynamicObject) -> Result<Vec<u8>, String> {
    for key in ["tls.crt", "cert"] {
        if let Some(encoded) = secret.data["data"][key].as_str() {
            return base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .map_err(|e| format!("{key} is not base64: {e}"));
        }
        if let Some(plain) = secret.data["stringData"][key].as_str() {
            return Ok(plain.as_bytes().to_vec());
        }
    }
    Err("it has no tls.crt (or cert) key".into())
}

struct Certificate {
    names: Vec<String>,
    not_after: i64,
}

fn parse(pem: &[u8]) -> Result<Certificate, String> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(pem).map_err(|e| format!("not PEM: {e}"))?;
    let cert = pem
        .parse_x509()
        .map_err(|e| format!("not an X.509 certificate: {e}"))?;
    let mut names: Vec<String> = match cert.subject_alternative_name() {
        Ok(Some(san)) => san
            .value
            .general_names
            .iter()
            .filter_map(|n| {
                if let GeneralName::DNSName(d) = n {
                    Some(d.to_string())
                } else {
                    None
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    if names.is_empty() {
        names.extend(
            cert.subject()
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok().map(str::to_string)),
        );
    }
    Ok(Certificate {
        names,
        not_after: cert.validity().not_after.timestamp(),
    })
}

#[cfg(test)]
mod tests {
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

    /// A self-signed certificate for `names`, valid for `days` from now.
    pub fn certificate(names: &[&str], days: u64) -> String {
        let key = rcgen::KeyPair::generate().expect("key pair");
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = rcgen::CertificateParams::new(names).expect("certificate names");
        let not_after =
            std::time::SystemTime::now() + std::time::Duration::from_secs(days * 86_400);
        params.not_after = not_after.into();
        params
            .self_signed(&key)
            .expect("self-signed certificate")
            .pem()
    }

    fn with_secret(pem: &str) -> String {
        let encoded = base64::engine::general_purpose::STANDARD.encode(pem);
        format!(
            "{GATEWAY}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: shop-tls, namespace: istio-system}}\ndata: {{tls.crt: {encoded}}}\n"
        )
    }

    #[test]
    fn mesh0301_missing_secret() {
        let s = snapshot(&format!(
            "{GATEWAY}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: other, namespace: istio-system}}\n"
        ));
        assert_eq!(
            codes(&analyze(&s, &options())),
            vec![(Code::Mesh0301, Severity::Error, "Gateway/prod/gw".into())]
        );
    }

    #[test]
    fn mesh0302_not_a_certificate() {
        let s = snapshot(&with_secret("hello"));
        assert_eq!(
            codes(&analyze(&s, &options())),
            vec![(Code::Mesh0302, Severity::Error, "Gateway/prod/gw".into())]
        );
    }

    #[test]
    fn mesh0303_hosts_not_covered() {
        let s = snapshot(&with_secret(&certificate(&["other.example.com"], 365)));
        let found = analyze(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(Code::Mesh0303, Severity::Error, "Gateway/prod/gw".into())]
        );
        assert!(found[0].message.contains("not shop.example.com"));
    }

    #[test]
    fn mesh0304_expiring_soon_and_a_good_certificate() {
        let s = snapshot(&with_secret(&certificate(&["*.example.com"], 10)));
        let found = analyze(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(Code::Mesh0304, Severity::Warning, "Gateway/prod/gw".into())]
        );
        let good = snapshot(&with_secret(&certificate(&["shop.example.com"], 365)));
        assert!(analyze(&good, &options()).is_empty());
    }
}
