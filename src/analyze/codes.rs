//! The registry of finding codes: each code's id, the `istioctl analyze` message that reports the
//! same problem (if one does), default severity, category, title and fix. `docs/findings.md` is
//! generated from it (`docs::findings_markdown`), and `troubleshoot --list-codes` prints it.

use serde::{Serialize, Serializer};

pub use super::severity::{Category, Severity};

#[derive(Debug, Serialize)]
pub struct CodeInfo {
    #[serde(skip)]
    pub code: Code,
    #[serde(rename = "code")]
    pub id: &'static str,
    /// The Istio analyzer message (`istioctl analyze`) that says the same, if one does.
    #[serde(rename = "istio_code", skip_serializing_if = "Option::is_none")]
    pub istio: Option<&'static str>,
    /// The usual severity; a few rules raise or lower it per finding.
    pub severity: Severity,
    pub category: Category,
    pub title: &'static str,
    pub fix: &'static str,
}

/// One line per code: `Variant "ID" istio-code severity category "title" "fix";`. The enum and
/// the table come from the same list, so they cannot drift apart.
macro_rules! registry {
    ($($code:ident $id:literal $istio:expr, $severity:ident $category:ident $title:literal $fix:literal;)*) => {
        /// Every finding code; the order is the order of [`CODES`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code,)*
        }

        pub const CODES: &[CodeInfo] = &[
            $(CodeInfo {
                code: Code::$code,
                id: $id,
                istio: $istio,
                severity: Severity::$severity,
                category: Category::$category,
                title: $title,
                fix: $fix,
            },)*
        ];
    };
}

registry! {
    Mesh0101 "MESH0101" Some("IST0101"), Error Gateway
        "a VirtualService binds a Gateway that does not exist"
        "create the Gateway or correct `spec.gateways`";
    Mesh0102 "MESH0102" Some("IST0132"), Warning Gateway
        "a VirtualService host is not among the hosts of the Gateway it binds"
        "add the host to the Gateway's server, or remove it";
    Mesh0103 "MESH0103" Some("IST0101"), Error Config
        "a route names a subset no DestinationRule for that host defines (Envoy answers 503)"
        "add the subset, or route without it";
    Mesh0104 "MESH0104" Some("IST0173"), Warning Config
        "a DestinationRule subset's labels match no workload of the host (pods, or from files the pod templates; topology labels the node adds are not judged)"
        "deploy pods with those labels, or correct the subset";
    Mesh0105 "MESH0105" None, Error Config
        "the weights of a route's destinations do not add up to 100"
        "make them add up to 100";
    Mesh0106 "MESH0106" Some("IST0109"), Warning Config
        "several VirtualServices for the same host and gateway"
        "merge them into one per host";
    Mesh0107 "MESH0107" None, Warning Config
        "several DestinationRules for the same host"
        "merge them into one per host";
    Mesh0108 "MESH0108" Some("IST0101"), Error Gateway
        "a Gateway's selector matches no gateway pod"
        "install the gateway or correct the selector";
    Mesh0109 "MESH0109" Some("IST0101"), Error Config
        "a route or mirror destination host is neither a Service (short name, `name.ns` or FQDN) nor a host of a ServiceEntry visible to the VirtualService (judged where the input holds that namespace's Services; external hosts live, or when the files hold ServiceEntries)"
        "create the Service or ServiceEntry, or correct the host";
    Mesh0110 "MESH0110" Some("IST0101"), Error Config
        "a destination port is not a port of its Service or ServiceEntry"
        "route to a port the Service exposes";
    Mesh0111 "MESH0111" Some("IST0112"), Error Config
        "a route bound to a Gateway sends to a Service with several ports without naming one (Envoy then looks for the Gateway's port on the Service)"
        "set `destination.port.number`";
    Mesh0112 "MESH0112" Some("IST0130"), Warning Config
        "a VirtualService rule (http, tls or tcp) is never used: it follows a rule without matches, or every match repeats an earlier rule's"
        "move the catch-all rule last, or remove the rule";
    Mesh0113 "MESH0113" Some("IST0131"), Info Config
        "a match of a rule repeats an earlier rule's match, or an earlier URI prefix with the same conditions covers it"
        "remove the match, or order the more specific rule first";
    Mesh0114 "MESH0114" Some("IST0109"), Info Config
        "a wildcard host of a VirtualService on the mesh gateway covers a host another VirtualService routes: the more specific one wins for that host"
        "merge them, or narrow the wildcard";
    Mesh0115 "MESH0115" Some("IST0145"), Error Gateway
        "two Gateways for the same gateway workload serve the same host on the same port: a TLS server is dropped (error), HTTP routes of both merge (warning)"
        "serve each host once per port and workload";
    Mesh0116 "MESH0116" Some("IST0162"), Warning Gateway
        "a Gateway server port is not exposed by any Service of the gateway workload (port or targetPort)"
        "add the port to the gateway's Service, or use a port it exposes";
    Mesh0117 "MESH0117" Some("IST0149"), Error Gateway
        "a VirtualService routes on JWT claims (`@request.auth.claims.…`) but no RequestAuthentication selects the gateway workload, so the claims are never there"
        "add a RequestAuthentication for the gateway workload";
    Mesh0150 "MESH0150" Some("IST0128"), Warning Config
        "a DestinationRule originates TLS (`SIMPLE`/`MUTUAL`) without `caCertificates` or `credentialName`: the server certificate is never verified"
        "set `tls.caCertificates` (or a `credentialName` Secret with `ca.crt`); `insecureSkipVerify: true` if skipping is meant";
    Mesh0151 "MESH0151" Some("IST0129"), Warning Config
        "a DestinationRule's port-level TLS (`SIMPLE`/`MUTUAL`) has no `caCertificates` or `credentialName`: that port's server certificate is never verified"
        "set `caCertificates` in `portLevelSettings[].tls`, or `insecureSkipVerify: true` if skipping is meant";
    Mesh0201 "MESH0201" Some("IST0102"), Error Injection
        "the namespace is not labelled for injection although mesh policies and routes target it"
        "`meshctl inject -n NS --all`";
    Mesh0202 "MESH0202" Some("IST0103"), Error Injection
        "the namespace is labelled but a pod has no `istio-proxy` (started before the label)"
        "restart its Deployment (`--fix` does)";
    Mesh0203 "MESH0203" Some("IST0123"), Warning Injection
        "the namespace has both `istio-injection` and `istio.io/rev`"
        "keep one";
    Mesh0204 "MESH0204" None, Info Injection
        "a pod opts out with `sidecar.istio.io/inject=false`"
        "remove the opt-out if it belongs in the mesh";
    Mesh0205 "MESH0205" None, Warning Config
        "a Deployment's pod template lacks the `app` or `version` label"
        "add the labels";
    Mesh0206 "MESH0206" Some("IST0118"), Warning Config
        "a Service port declares no protocol (name prefix or `appProtocol`)"
        "name it `http-…`/`grpc-…`/`tcp-…` or set `appProtocol`";
    Mesh0207 "MESH0207" Some("IST0102"), Info Injection
        "the namespace is not labelled for injection and nothing in it targets the mesh yet (`health` fails on it: the application namespace belongs in the mesh)"
        "`kubectl label namespace NS istio-injection=enabled`";
    Mesh0208 "MESH0208" None, Error Config
        "the namespace does not exist (cluster only)"
        "create it, or pass the right `-n`";
    Mesh0209 "MESH0209" Some("IST0158"), Warning Injection
        "injected proxies run another version than the running istiod (cluster only)"
        "restart the workloads";
    Mesh0210 "MESH0210" None, Error Config
        "a Deployment has fewer ready replicas than it wants (cluster only: files have no status)"
        "`kubectl describe` it and read its events";
    Mesh0211 "MESH0211" None, Warning Injection
        "a workload asks for a sidecar (`sidecar.istio.io/inject=true`) but its namespace's `istio-injection` label is not `enabled`, so the injector never sees it"
        "label the namespace `istio-injection=enabled`, or remove the namespace label";
    Mesh0212 "MESH0212" Some("IST0147"), Error Injection
        "a pod runs `image: auto` for `istio-proxy`: the injector never replaced it, so the pod cannot pull its image"
        "enable injection for the pod's namespace or pod and recreate it";
    Mesh0213 "MESH0213" Some("IST0146"), Warning Injection
        "a workload's template uses `image: auto` for `istio-proxy` but no injection selects its namespace or pod (from files: only when the Namespace is in the input)"
        "label the namespace for injection, or set the proxy image";
    Mesh0301 "MESH0301" Some("IST0101"), Error Certs
        "a Gateway's `credentialName` Secret does not exist where the gateway workload runs (its pods' namespace; unknown workload: the Gateway's or the Istio namespace)"
        "create the TLS Secret";
    Mesh0302 "MESH0302" Some("IST0161"), Error Certs
        "the Secret holds no valid PEM certificate (`tls.crt` or `cert`)"
        "replace it";
    Mesh0303 "MESH0303" Some("IST0161"), Error Certs
        "the certificate does not cover the Gateway's hosts (subjectAltName, else CN)"
        "issue one that does";
    Mesh0304 "MESH0304" None, Warning Certs
        "the certificate expires within `--cert-expiry-days` (default 30)"
        "renew it";
    Mesh0305 "MESH0305" Some("IST0138"), Warning Certs
        "several Gateways of one gateway workload serve the same TLS credential: HTTP/2 clients reuse the connection across their hosts and get 404s"
        "one Gateway per certificate, or one certificate per Gateway";
    Mesh0306 "MESH0306" Some("IST0161"), Error Certs
        "the certificate has expired or is not yet valid: the gateway refuses to serve it"
        "renew it";
    Mesh0307 "MESH0307" Some("IST0101"), Error Certs
        "the `credentialName` Secret exists, but not in the namespace where the gateway workload runs, the only one Istio reads it from"
        "create the Secret in the gateway workload's namespace";
    Mesh0401 "MESH0401" None, Error Mtls
        "a STRICT PeerAuthentication (workload, namespace or mesh-wide) selects pods without a sidecar"
        "inject them, or PERMISSIVE until then";
    Mesh0402 "MESH0402" None, Error Mtls
        "several namespace-wide PeerAuthentications in one namespace (error); a namespace weaker than a STRICT mesh, or a workload DISABLE under a STRICT namespace (warning)"
        "keep one policy per scope; align the modes";
    Mesh0403 "MESH0403" None, Error Mtls
        "an AuthorizationPolicy matches `requestPrincipals` but no RequestAuthentication selects its workloads"
        "add a RequestAuthentication";
    Mesh0404 "MESH0404" None, Error Mtls
        "a `requestPrincipals` entry is not `<issuer>/<subject>` or `*` (the seed's `user@…` never matches)"
        "write `<issuer>/<subject>`";
    Mesh0405 "MESH0405" Some("IST0127"), Warning Mtls
        "an AuthorizationPolicy's selector matches no workload (pods, or from files the pod templates): it protects nothing"
        "correct `spec.selector.matchLabels`, or remove the policy";
    Mesh0406 "MESH0406" Some("IST0101"), Error Mtls
        "an AuthorizationPolicy names a namespace in `source.namespaces`/`notNamespaces` that does not exist (judged live, or when the files hold Namespaces)"
        "correct the namespace name";
    Mesh0501 "MESH0501" Some("IST0106"), Error Config
        "an Istio object is malformed: a field the rules read has the wrong type (`spec.hosts: 5`, a weight in quotes, a label value that is a number), or the object has no `metadata.name` (it is then named `(unnamed: FILE document N)`). Without this finding the other rules would read such a field as empty and say nothing"
        "correct the field; name the object";
    Mesh0601 "MESH0601" None, Error GatewayApi
        "a route's `parentRefs` names a Gateway API Gateway that does not exist (from files: only where the files hold Gateways of that namespace)"
        "create the Gateway or correct the parentRef";
    Mesh0602 "MESH0602" None, Error GatewayApi
        "a route's parentRef names a listener (`sectionName`, `port`) its Gateway does not have"
        "correct the sectionName or port, or add the listener";
    Mesh0603 "MESH0603" None, Error GatewayApi
        "none of a route's `hostnames` intersects the hostname of the listeners it attaches to (`*.example.com` covers `a.example.com` and `a.b.example.com`, not `example.com`)"
        "add a hostname the listener serves, or attach to another listener";
    Mesh0604 "MESH0604" None, Error GatewayApi
        "the listeners a route attaches to do not admit its namespace (`allowedRoutes.namespaces`: Same, Selector) or kind (`allowedRoutes.kinds`, the listener's protocol)"
        "widen `allowedRoutes`, or attach to a listener that admits the route";
    Mesh0605 "MESH0605" None, Error GatewayApi
        "a route's `backendRefs` names a Service that does not exist (requests to it get 500)"
        "create the Service or correct the backendRef";
    Mesh0606 "MESH0606" None, Error GatewayApi
        "a route's backendRef names no port, or one the Service does not expose"
        "set a port the Service exposes";
    Mesh0607 "MESH0607" None, Error GatewayApi
        "a backendRef to a Service, or a Gateway's `certificateRefs` to a Secret, in another namespace that no ReferenceGrant there permits"
        "create a ReferenceGrant in the target namespace from the referring kind and namespace";
    Mesh0608 "MESH0608" None, Error GatewayApi
        "every backendRef of a route rule has weight 0 (the rule sends nowhere), or a weight is negative"
        "give at least one backendRef a positive weight";
    Mesh0609 "MESH0609" Some("IST0171"), Warning GatewayApi
        "a Gateway (or one of its listeners) or a route's parent has an `Accepted`, `Programmed` or `ResolvedRefs` condition that is False, with the controller's reason and message (cluster only; `Accepted` False is an error). Reasons the rules above already report on the same object are left to them"
        "correct what the message names";
    Mesh0701 "MESH0701" None, Error Capacity
        "a ResourceQuota cannot admit all replicas of a workload: its pods' requests or limits, the injected sidecar's included, exceed what the quota has left"
        "raise the quota, lower the requests (or the sidecar's with `sidecar.istio.io/proxyCPU`…), or the replicas";
    Mesh0702 "MESH0702" None, Error Capacity
        "a container (the injected sidecar included) asks for more than a LimitRange's `max`, or less than its `min`: every pod is rejected"
        "fit the container's resources into the LimitRange (for the sidecar: `sidecar.istio.io/proxyCPULimit`…)";
    Mesh0703 "MESH0703" None, Error Capacity
        "a ResourceQuota limits a resource a container does not declare and no LimitRange defaults it: every pod is rejected"
        "declare the container's requests/limits, or add a LimitRange default";
    Mesh0801 "MESH0801" None, Warning Ambient
        "a namespace is labelled both `istio.io/dataplane-mode=ambient` and for sidecar injection (`istio-injection=enabled` or `istio.io/rev`): injected pods keep their sidecar and ztunnel skips them"
        "keep one: remove the injection label (then restart) or the dataplane-mode label";
    Mesh0802 "MESH0802" None, Error Ambient
        "an AuthorizationPolicy with L7 fields (`to.operation` methods/paths/hosts, `requestPrincipals`, `when` on `request.headers`/`request.auth.*`) selects workloads with `selector` (or the whole namespace) in an ambient namespace: ztunnel enforces it without seeing L7, and fails closed (from files: only when the Namespace is in the input)"
        "use `targetRefs` to the Service or waypoint Gateway so the waypoint enforces it";
    Mesh0803 "MESH0803" Some("IST0167"), Warning Ambient
        "a RequestAuthentication selects workloads with `selector` (or the whole namespace) in an ambient namespace: ztunnel validates no JWT, so it has no impact"
        "use `targetRefs` to the Service or waypoint Gateway";
    Mesh0804 "MESH0804" None, Warning Ambient
        "a route (VirtualService for the mesh, HTTPRoute/GRPCRoute with a Service parent) is for a Service in an ambient namespace that has no waypoint (no `istio.io/use-waypoint` on the Service or its namespace, or `none`), or istiod's `ResolvedWaypoints` message says the route will not be respected: the route does nothing"
        "label the Service or namespace `istio.io/use-waypoint=<waypoint>` (`meshctl waypoint apply --enroll-namespace`)";
    Mesh0805 "MESH0805" None, Error Ambient
        "a route is for a Service whose `istio.io/use-waypoint` names a waypoint Gateway that does not exist (from files: only where the files hold Gateway API Gateways of that namespace)"
        "create the waypoint or correct the label";
    Mesh0806 "MESH0806" Some("IST0167"), Warning Ambient
        "an EnvoyFilter in an ambient namespace: ztunnel is not Envoy and waypoints ignore EnvoyFilters, so it has no impact (unless every workload it selects has a sidecar)"
        "use the Gateway API or Istio's APIs with `targetRefs`, or remove it";
    Mesh0807 "MESH0807" None, Info Ambient
        "a waypoint (Gateway of class `istio-waypoint`) that no namespace, Service, ServiceEntry or workload uses (`istio.io/use-waypoint=<its name>`), counting only users its HBONE listener's `allowedRoutes` lets in, as istiod binds them (from files: only when its Namespace is in the input; live with one namespace: only waypoints no other namespace may use)"
        "label what should use it, or delete it";
}

impl Code {
    pub fn info(self) -> &'static CodeInfo {
        &CODES[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.info().id
    }

    pub fn istio(self) -> Option<&'static str> {
        self.info().istio
    }

    pub fn severity(self) -> Severity {
        self.info().severity
    }

    pub fn category(self) -> Category {
        self.info().category
    }

    /// A code given as text (`MESH0101`, or an Istio code such as `IST0101` meaning every meshctl
    /// code that reports that message), case-insensitive.
    pub fn parse_all(text: &str) -> Vec<Code> {
        CODES
            .iter()
            .filter(|c| {
                c.id.eq_ignore_ascii_case(text)
                    || c.istio.is_some_and(|i| i.eq_ignore_ascii_case(text))
            })
            .map(|c| c.code)
            .collect()
    }
}

impl CodeInfo {
    /// Where the code is explained: istio.io's page for Istio's message, else meshctl's catalog.
    pub fn docs(&self) -> String {
        match self.istio {
            Some(istio) => format!(
                "https://istio.io/latest/docs/reference/config/analysis/{}/",
                istio.to_lowercase()
            ),
            None => format!("docs/findings.md#{}", self.id.to_lowercase()),
        }
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
    fn ids_match_variant_names_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for (index, entry) in CODES.iter().enumerate() {
            assert_eq!(entry.code as usize, index, "{}", entry.id);
            assert_eq!(format!("{:?}", entry.code).to_uppercase(), entry.id);
            assert!(seen.insert(entry.id), "{} twice", entry.id);
        }
    }

    #[test]
    fn a_code_parses_by_its_id_or_its_istio_code() {
        assert_eq!(Code::parse_all("mesh0105"), vec![Code::Mesh0105]);
        let ist0101 = Code::parse_all("IST0101");
        assert!(ist0101.contains(&Code::Mesh0101) && ist0101.contains(&Code::Mesh0103));
        assert!(ist0101.iter().all(|c| c.istio() == Some("IST0101")));
        assert!(Code::parse_all("MESH9999").is_empty());
    }

    #[test]
    fn docs_point_to_istio_for_istio_messages_and_to_the_catalog_otherwise() {
        assert_eq!(
            Code::Mesh0101.info().docs(),
            "https://istio.io/latest/docs/reference/config/analysis/ist0101/"
        );
        assert_eq!(Code::Mesh0105.info().docs(), "docs/findings.md#mesh0105");
    }
}
