//! The certificate in a TLS Secret: its PEM, the names it covers and when it is valid.

use base64::Engine;
use kube::api::DynamicObject;
use x509_parser::extensions::GeneralName;

pub(super) struct Certificate {
    /// subjectAltName DNS names, else the subject's CN.
    pub names: Vec<String>,
    pub not_before: i64,
    pub not_after: i64,
}

/// The certificate of a Secret (`tls.crt`, or `cert` as Istio also reads), or why there is none.
pub(super) fn of_secret(secret: &DynamicObject) -> Result<Certificate, String> {
    certificate_pem(secret).and_then(|pem| parse(&pem))
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
        not_before: cert.validity().not_before.timestamp(),
        not_after: cert.validity().not_after.timestamp(),
    })
}
