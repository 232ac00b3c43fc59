//! The registry of finding codes: each code's id, the closest Istio analyzer message, default
//! severity, category and one-line summary (the table in `docs/findings.md`).

use serde::{Serialize, Serializer};

pub use super::severity::{Category, Severity};

/// Every finding code; the order is the order of [`CODES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Mesh0101,
    Mesh0102,
    Mesh0103,
    Mesh0104,
    Mesh0105,
    Mesh0106,
    Mesh0107,
    Mesh0108,
    Mesh0201,
    Mesh0202,
    Mesh0203,
    Mesh0204,
    Mesh0205,
    Mesh0206,
    Mesh0207,
    Mesh0208,
    Mesh0209,
    Mesh0210,
    Mesh0301,
    Mesh0302,
    Mesh0303,
    Mesh0304,
    Mesh0401,
    Mesh0402,
    Mesh0403,
    Mesh0404,
    Mesh0501,
    Mesh0601,
    Mesh0602,
    Mesh0603,
    Mesh0604,
    Mesh0605,
    Mesh0606,
    Mesh0607,
    Mesh0608,
    Mesh0609,
}

#[derive(Debug)]
pub struct CodeInfo {
    pub code: Code,
    pub id: &'static str,
    /// The Istio analyzer message (`istioctl analyze`) that says the same, if one does.
    pub istio: Option<&'static str>,
    /// The usual severity; a few rules raise or lower it per finding.
    pub severity: Severity,
    pub category: Category,
    pub summary: &'static str,
}

const fn info(
    code: Code,
    id: &'static str,
    istio: Option<&'static str>,
    severity: Severity,
    category: Category,
    summary: &'static str,
) -> CodeInfo {
    CodeInfo {
        code,
        id,
        istio,
        severity,
        category,
        summary,
    }
}

use Category::{Certs, Config, Gateway, GatewayApi, Injection, Mtls};
use Code::*;
use Severity::{Error, Info, Warning};

pub const CODES: &[CodeInfo] = &[
    info(
        Mesh0101,
        "MESH0101",
        Some("IST0101"),
        Error,
        Gateway,
        "a VirtualService binds a Gateway that does not exist",
    ),
    info(
        Mesh0102,
        "MESH0102",
        Some("IST0132"),
        Warning,
        Gateway,
        "a VirtualService host is not among the hosts of the Gateway it binds",
    ),
    info(
        Mesh0103,
        "MESH0103",
        Some("IST0101"),
        Error,
        Config,
        "a route names a subset no DestinationRule for that host defines",
    ),
    info(
        Mesh0104,
        "MESH0104",
        None,
        Warning,
        Config,
        "a DestinationRule subset's labels match no pod of the host",
    ),
    info(
        Mesh0105,
        "MESH0105",
        None,
        Error,
        Config,
        "the weights of a route's destinations do not add up to 100",
    ),
    info(
        Mesh0106,
        "MESH0106",
        Some("IST0109"),
        Warning,
        Config,
        "several VirtualServices for the same host and gateway",
    ),
    info(
        Mesh0107,
        "MESH0107",
        None,
        Warning,
        Config,
        "several DestinationRules for the same host",
    ),
    info(
        Mesh0108,
        "MESH0108",
        Some("IST0101"),
        Error,
        Gateway,
        "a Gateway's selector matches no gateway pod",
    ),
    info(
        Mesh0201,
        "MESH0201",
        Some("IST0102"),
        Error,
        Injection,
        "the namespace is not labelled for injection although mesh policies and routes target it",
    ),
    info(
        Mesh0202,
        "MESH0202",
        Some("IST0103"),
        Error,
        Injection,
        "a pod has no istio-proxy (it started before the label, or injection failed)",
    ),
    info(
        Mesh0203,
        "MESH0203",
        Some("IST0123"),
        Warning,
        Injection,
        "the namespace has both istio-injection and istio.io/rev",
    ),
    info(
        Mesh0204,
        "MESH0204",
        None,
        Info,
        Injection,
        "a pod opts out with sidecar.istio.io/inject=false",
    ),
    info(
        Mesh0205,
        "MESH0205",
        None,
        Warning,
        Config,
        "a Deployment's pod template lacks the app or version label",
    ),
    info(
        Mesh0206,
        "MESH0206",
        Some("IST0118"),
        Warning,
        Config,
        "a Service port declares no protocol",
    ),
    info(
        Mesh0207,
        "MESH0207",
        Some("IST0102"),
        Info,
        Injection,
        "the namespace is not labelled for injection (nothing in it targets the mesh yet)",
    ),
    info(
        Mesh0208,
        "MESH0208",
        None,
        Error,
        Config,
        "the namespace does not exist",
    ),
    info(
        Mesh0209,
        "MESH0209",
        Some("IST0158"),
        Warning,
        Injection,
        "proxies run another version than istiod",
    ),
    info(
        Mesh0210,
        "MESH0210",
        None,
        Error,
        Config,
        "a Deployment has fewer ready replicas than it wants",
    ),
    info(
        Mesh0301,
        "MESH0301",
        Some("IST0161"),
        Error,
        Certs,
        "a Gateway's credentialName Secret does not exist",
    ),
    info(
        Mesh0302,
        "MESH0302",
        Some("IST0161"),
        Error,
        Certs,
        "the credential Secret holds no valid PEM certificate",
    ),
    info(
        Mesh0303,
        "MESH0303",
        Some("IST0161"),
        Error,
        Certs,
        "the certificate does not cover the Gateway's hosts",
    ),
    info(
        Mesh0304,
        "MESH0304",
        None,
        Warning,
        Certs,
        "the certificate expires soon (warning) or has expired (error)",
    ),
    info(
        Mesh0401,
        "MESH0401",
        None,
        Error,
        Mtls,
        "a STRICT PeerAuthentication selects pods without a sidecar",
    ),
    info(
        Mesh0402,
        "MESH0402",
        None,
        Error,
        Mtls,
        "PeerAuthentications conflict (several per namespace, or weaker than the mesh)",
    ),
    info(
        Mesh0403,
        "MESH0403",
        None,
        Error,
        Mtls,
        "an AuthorizationPolicy matches requestPrincipals but no RequestAuthentication covers it",
    ),
    info(
        Mesh0404,
        "MESH0404",
        None,
        Error,
        Mtls,
        "a requestPrincipals entry is not <issuer>/<subject> or *",
    ),
    info(
        Mesh0501,
        "MESH0501",
        Some("IST0106"),
        Error,
        Config,
        "an Istio object is malformed: a field has the wrong type, or it has no name",
    ),
    info(
        Mesh0601,
        "MESH0601",
        None,
        Error,
        GatewayApi,
        "a route's parentRef names a Gateway API Gateway that does not exist",
    ),
    info(
        Mesh0602,
        "MESH0602",
        None,
        Error,
        GatewayApi,
        "a route's parentRef names a listener (sectionName, port) its Gateway does not have",
    ),
    info(
        Mesh0603,
        "MESH0603",
        None,
        Error,
        GatewayApi,
        "none of a route's hostnames intersects the hostname of the listeners it attaches to",
    ),
    info(
        Mesh0604,
        "MESH0604",
        None,
        Error,
        GatewayApi,
        "the listeners a route attaches to do not admit its namespace or kind (allowedRoutes)",
    ),
    info(
        Mesh0605,
        "MESH0605",
        None,
        Error,
        GatewayApi,
        "a route's backendRef names a Service that does not exist",
    ),
    info(
        Mesh0606,
        "MESH0606",
        None,
        Error,
        GatewayApi,
        "a route's backendRef names no port, or one the Service does not expose",
    ),
    info(
        Mesh0607,
        "MESH0607",
        None,
        Error,
        GatewayApi,
        "a reference into another namespace (backendRef, certificateRef) no ReferenceGrant permits",
    ),
    info(
        Mesh0608,
        "MESH0608",
        None,
        Error,
        GatewayApi,
        "every backendRef of a route rule has weight 0, or a weight is negative",
    ),
    info(
        Mesh0609,
        "MESH0609",
        Some("IST0171"),
        Warning,
        GatewayApi,
        "a Gateway API object's status has an Accepted, Programmed or ResolvedRefs condition that is False (cluster only)",
    ),
];

impl Code {
    pub fn info(self) -> &'static CodeInfo {
        // The table is in enum order (a unit test holds it so).
        let entry = &CODES[self as usize];
        debug_assert_eq!(entry.code, self);
        entry
    }

    pub fn as_str(self) -> &'static str {
        self.info().id
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    pub fn category(self) -> Category {
        self.info().category
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_enum_order_and_ids_match_names() {
        for (index, entry) in CODES.iter().enumerate() {
            assert_eq!(entry.code as usize, index, "{}", entry.id);
            assert_eq!(format!("{:?}", entry.code).to_uppercase(), entry.id);
        }
    }

    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../docs/findings.md");
        for entry in CODES {
            assert!(
                doc.contains(&format!("| {} |", entry.id)),
                "{} not in docs/findings.md",
                entry.id
            );
        }
    }
}
