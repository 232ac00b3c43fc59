//! Analyzers over a `MeshSnapshot`: a registry of rules, each producing findings with a code
//! from the registry in `codes` (documented in `docs/findings.md`), a severity, the object it is
//! about, what is wrong and why it matters, and the fix. The same rules run on a live cluster
//! (troubleshoot, health) and on files (pre-merge CI).

mod ambient;
mod capacity;
mod capacity_refusals;
mod certs;
mod codes;
mod destination_tls;
#[cfg(test)]
mod docs;
mod fix;
mod gateway_api;
mod injection;
mod injection_requests;
mod limits;
mod mtls;
mod pod_resources;
mod quantity;
mod routing;
mod schema;
mod scope;
mod security;
mod severity;
mod suppress;
mod workloads;

use kube::api::DynamicObject;
use serde::Serialize;

use crate::snapshot::{MeshSnapshot, ObjectRef};

pub use ambient::{captured_by_ztunnel, is_ambient, waypoint_of};
pub use codes::{CODES, Category, Code, CodeInfo, Severity};
pub use fix::plan_fixes;
pub use injection::injection_enabled;
pub use limits::offline_limits;
pub use scope::NamespaceScope;
pub use suppress::Suppression;
pub use workloads::istiod_version;

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: Code,
    /// The `istioctl analyze` message that reports the same problem, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub istio_code: Option<&'static str>,
    pub severity: Severity,
    pub resource: ObjectRef,
    pub message: String,
    pub fix: String,
}

impl Finding {
    /// A finding about `object` at its code's usual severity.
    pub fn new(code: Code, object: &DynamicObject, message: String, fix: String) -> Self {
        Self::about(code, ObjectRef::of(object), message, fix)
    }

    pub fn about(code: Code, resource: ObjectRef, message: String, fix: String) -> Self {
        Self {
            code,
            istio_code: code.istio(),
            severity: code.severity(),
            resource,
            message,
            fix,
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn category(&self) -> Category {
        self.code.category()
    }
}

#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// Which namespaces the findings are about: one, or every namespace of the snapshot.
    pub scope: NamespaceScope,
    /// Istio's root namespace: mesh-wide policies and the control plane live there.
    pub istio_namespace: String,
    /// A gateway certificate expiring within this many days is a warning.
    pub cert_expiry_days: i64,
    /// Findings the user chose not to see (`--suppress`).
    pub suppress: Vec<Suppression>,
}

impl AnalyzeOptions {
    /// The namespaces whose own state (labels, pods, Deployments) the rules judge: the one asked
    /// for, or every namespace the snapshot knows except Kubernetes' own.
    pub fn namespaces(&self, snapshot: &MeshSnapshot) -> Vec<String> {
        self.scope.namespaces(snapshot)
    }
}

/// One rule: the codes it can report and the function that looks.
pub struct Rule {
    pub codes: &'static [Code],
    check: fn(&MeshSnapshot, &AnalyzeOptions) -> Vec<Finding>,
}

const fn rule(
    codes: &'static [Code],
    check: fn(&MeshSnapshot, &AnalyzeOptions) -> Vec<Finding>,
) -> Rule {
    Rule { codes, check }
}

/// Every rule, in the order their findings are gathered.
pub const RULES: &[Rule] = &[
    rule(&[Code::Mesh0101], routing::unknown_gateways),
    rule(&[Code::Mesh0102], routing::hosts_not_served),
    rule(&[Code::Mesh0103], routing::undefined_subsets),
    rule(&[Code::Mesh0104], routing::subsets_without_pods),
    rule(&[Code::Mesh0105], routing::weights_not_100),
    rule(&[Code::Mesh0106], routing::duplicate_virtual_services),
    rule(&[Code::Mesh0107], routing::duplicate_destination_rules),
    rule(&[Code::Mesh0108], routing::gateways_without_pods),
    rule(
        &[Code::Mesh0109, Code::Mesh0110, Code::Mesh0111],
        routing::unknown_destinations,
    ),
    rule(
        &[Code::Mesh0112, Code::Mesh0113],
        routing::unreachable_rules,
    ),
    rule(&[Code::Mesh0114], routing::wildcard_overlaps),
    rule(&[Code::Mesh0115], routing::conflicting_gateways),
    rule(&[Code::Mesh0116], routing::gateway_ports_not_exposed),
    rule(&[Code::Mesh0117], routing::claims_without_authentication),
    rule(
        &[Code::Mesh0150, Code::Mesh0151],
        destination_tls::unverified_servers,
    ),
    rule(
        &[
            Code::Mesh0201,
            Code::Mesh0203,
            Code::Mesh0207,
            Code::Mesh0208,
        ],
        injection::namespace_label,
    ),
    rule(&[Code::Mesh0202, Code::Mesh0204], injection::pods),
    rule(&[Code::Mesh0205], injection::workload_labels),
    rule(&[Code::Mesh0206], injection::port_protocols),
    rule(&[Code::Mesh0209], workloads::proxy_versions),
    rule(&[Code::Mesh0210], workloads::unavailable),
    rule(&[Code::Mesh0211], injection_requests::injection_refused),
    rule(
        &[Code::Mesh0212, Code::Mesh0213],
        injection_requests::image_auto,
    ),
    rule(
        &[
            Code::Mesh0301,
            Code::Mesh0302,
            Code::Mesh0303,
            Code::Mesh0304,
            Code::Mesh0306,
            Code::Mesh0307,
        ],
        certs::analyze,
    ),
    rule(&[Code::Mesh0305], certs::duplicate_certificates),
    rule(&[Code::Mesh0401], mtls::strict_without_sidecars),
    rule(&[Code::Mesh0402], mtls::mode_conflicts),
    rule(&[Code::Mesh0403], mtls::principals_without_authentication),
    rule(&[Code::Mesh0404], mtls::malformed_principals),
    rule(&[Code::Mesh0405], security::policies_without_workloads),
    rule(&[Code::Mesh0406], security::unknown_namespaces),
    rule(&[Code::Mesh0501], schema::malformed),
    rule(
        &[
            Code::Mesh0601,
            Code::Mesh0602,
            Code::Mesh0603,
            Code::Mesh0604,
        ],
        gateway_api::parent_refs,
    ),
    rule(
        &[Code::Mesh0605, Code::Mesh0606, Code::Mesh0608],
        gateway_api::backend_refs,
    ),
    rule(&[Code::Mesh0607], gateway_api::cross_namespace),
    rule(&[Code::Mesh0609], gateway_api::conditions),
    rule(
        &[Code::Mesh0701, Code::Mesh0702, Code::Mesh0703],
        capacity::admission,
    ),
    rule(&[Code::Mesh0801], ambient::dual_enrolment),
    rule(
        &[Code::Mesh0802, Code::Mesh0803],
        ambient::l7_policies_on_ztunnel,
    ),
    rule(
        &[Code::Mesh0804, Code::Mesh0805],
        ambient::routes_without_waypoint,
    ),
    rule(&[Code::Mesh0806], ambient::envoy_filters),
    rule(&[Code::Mesh0807], ambient::unused_waypoints),
];

/// Every rule over the snapshot, worst first.
pub fn analyze(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    run(snapshot, opts, |_| true)
}

/// Only the rules that report one of `codes`, and only those codes: what a health check asks.
pub fn analyze_codes(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
    codes: &[Code],
) -> Vec<Finding> {
    run(snapshot, opts, |c| codes.contains(&c))
}

fn run(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
    wanted: impl Fn(Code) -> bool,
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = RULES
        .iter()
        .filter(|r| r.codes.iter().any(|c| wanted(*c)))
        .flat_map(|r| (r.check)(snapshot, opts))
        .filter(|f| wanted(f.code))
        .filter(|f| concerns(f, opts))
        .filter(|f| !suppress::suppressed(f, snapshot, &opts.suppress))
        .collect();
    findings.sort_by(|a, b| {
        a.resource
            .scope()
            .cmp(b.resource.scope())
            .then_with(|| b.severity.cmp(&a.severity))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.resource.cmp(&b.resource))
    });
    findings
}

/// A snapshot of one namespace holds Gateways of every namespace and the Istio namespace's
/// policies and control plane only to resolve references; its findings are about that namespace,
/// plus mesh-wide mTLS policies.
fn concerns(finding: &Finding, opts: &AnalyzeOptions) -> bool {
    let scope = finding.resource.scope();
    match &opts.scope {
        NamespaceScope::All => true,
        NamespaceScope::One(namespace) => {
            scope == namespace
                || (finding.resource.kind == "PeerAuthentication" && scope == opts.istio_namespace)
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use crate::snapshot::MeshSnapshot;

    /// A snapshot from YAML documents, as `troubleshoot --file` would read them.
    pub fn snapshot(yaml: &str) -> MeshSnapshot {
        MeshSnapshot::from_yaml(yaml, "prod")
    }

    /// An HTTP Gateway in `prod` for two hosts, one of them a wildcard.
    pub const HTTP_GATEWAY: &str = "
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: prod}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [shop.example.com, '*.api.example.com']}]
";

    pub fn options() -> super::AnalyzeOptions {
        super::AnalyzeOptions {
            scope: super::NamespaceScope::One("prod".into()),
            istio_namespace: "istio-system".into(),
            cert_expiry_days: 30,
            suppress: Vec::new(),
        }
    }

    pub fn codes(findings: &[super::Finding]) -> Vec<(super::Code, super::Severity, String)> {
        findings
            .iter()
            .map(|f| (f.code, f.severity, f.resource.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::codes::CODES;
    use super::testing::{options, snapshot};
    use super::*;

    #[test]
    fn every_code_has_exactly_one_rule() {
        for entry in CODES {
            let rules = RULES
                .iter()
                .filter(|r| r.codes.contains(&entry.code))
                .count();
            assert_eq!(rules, 1, "{}", entry.id);
        }
    }

    #[test]
    fn one_namespace_reports_only_that_namespace_and_all_reports_every_one() {
        let s = snapshot(
            "
apiVersion: v1
kind: Service
metadata: {name: a, namespace: prod}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: other}
spec: {ports: [{port: 80}]}
",
        );
        let one = analyze_codes(&s, &options(), &[Code::Mesh0206]);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].resource.to_string(), "Service/prod/a");
        let all = AnalyzeOptions {
            scope: NamespaceScope::All,
            ..options()
        };
        let every: Vec<String> = analyze_codes(&s, &all, &[Code::Mesh0206])
            .iter()
            .map(|f| f.resource.to_string())
            .collect();
        assert_eq!(every, vec!["Service/other/b", "Service/prod/a"]);
    }

    #[test]
    fn findings_carry_the_istio_code_in_json() {
        let s = snapshot(
            "
apiVersion: v1
kind: Service
metadata: {name: a, namespace: prod}
spec: {ports: [{port: 80}]}
",
        );
        let findings = analyze(&s, &options());
        let json = serde_json::to_value(&findings).unwrap_or_default();
        assert_eq!(json[0]["code"], "MESH0206");
        assert_eq!(json[0]["istio_code"], "IST0118");
    }
}
