//! Analyzers over a `MeshSnapshot`. Each finding has a stable code (documented in
//! `docs/findings.md`), a severity, the object it is about, what is wrong and why it matters,
//! and the fix. The same rules run on a live cluster and on files.

mod certs;
mod injection;
mod mtls;
mod routing;

use serde::Serialize;

use crate::snapshot::MeshSnapshot;

pub use injection::owner_deployment;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// What a finding is about; `troubleshoot <category>` shows one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Injection,
    Gateway,
    Mtls,
    Certs,
    Config,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    #[serde(skip)]
    pub category: Category,
    pub resource: String,
    pub message: String,
    pub fix: String,
}

#[derive(Debug, Clone)]
pub struct AnalyzeOptions {
    /// The application namespace (namespace-level findings are about this one).
    pub namespace: String,
    /// Istio's root namespace: mesh-wide policies live there.
    pub istio_namespace: String,
    /// A gateway certificate expiring within this many days is a warning.
    pub cert_expiry_days: i64,
}

pub fn analyze(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(routing::analyze(snapshot));
    findings.extend(injection::analyze(snapshot, opts));
    findings.extend(mtls::analyze(snapshot, opts));
    findings.extend(certs::analyze(snapshot, opts));
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.resource.cmp(&b.resource))
    });
    findings
}

/// The VirtualService-to-Gateway rule alone, for `health`'s config group.
pub fn unknown_gateways(snapshot: &MeshSnapshot) -> Vec<Finding> {
    routing::unknown_gateways(snapshot)
}

#[cfg(test)]
pub(crate) mod testing {
    use kube::api::{DynamicObject, TypeMeta};

    use crate::snapshot::MeshSnapshot;

    /// A snapshot from YAML documents, as `troubleshoot --file` would read them.
    pub fn snapshot(yaml: &str) -> MeshSnapshot {
        let documents: Vec<serde_json::Value> =
            serde_saphyr::from_multiple(yaml).expect("test YAML");
        let objects: Vec<DynamicObject> = documents
            .into_iter()
            .filter(|d| !d.is_null())
            .map(|d| {
                let types = TypeMeta {
                    api_version: d["apiVersion"].as_str().unwrap_or("v1").into(),
                    kind: d["kind"].as_str().unwrap_or("").into(),
                };
                let mut o: DynamicObject = serde_json::from_value(d).expect("object");
                o.types = Some(types);
                o
            })
            .collect();
        let has_workloads = objects
            .iter()
            .any(|o| matches!(crate::snapshot::kind_of(o), "Pod" | "Deployment"));
        MeshSnapshot {
            objects,
            has_workloads,
        }
    }

    pub fn options() -> super::AnalyzeOptions {
        super::AnalyzeOptions {
            namespace: "prod".into(),
            istio_namespace: "istio-system".into(),
            cert_expiry_days: 30,
        }
    }

    pub fn codes(findings: &[super::Finding]) -> Vec<(&'static str, super::Severity, String)> {
        findings
            .iter()
            .map(|f| (f.code, f.severity, f.resource.clone()))
            .collect()
    }
}
