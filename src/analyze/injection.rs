//! Sidecar injection: namespace labels, pods that missed their sidecar, workload labels and
//! Service port protocols that routing and telemetry rely on.

use std::collections::BTreeSet;

use kube::api::DynamicObject;

use super::{AnalyzeOptions, Category, Finding, Severity};
use crate::snapshot::json::{array, has_sidecar, opted_out, pods_in};
use crate::snapshot::{MeshSnapshot, name_of, resource_of};

/// Kinds whose presence in a namespace means its workloads are expected in the mesh.
const MESH_KINDS: [&str; 5] = [
    "VirtualService",
    "DestinationRule",
    "PeerAuthentication",
    "RequestAuthentication",
    "AuthorizationPolicy",
];

/// Port name prefixes Istio reads the protocol from.
const PROTOCOL_PREFIXES: [&str; 12] = [
    "http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "udp", "mongo", "mysql", "redis",
    "h2c",
];

pub fn analyze(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = namespace_label(snapshot, &opts.namespace);
    findings.extend(pods(snapshot, &opts.namespace));
    findings.extend(workload_labels(snapshot));
    findings.extend(port_protocols(snapshot));
    findings
}

fn injection_enabled(labels: &std::collections::BTreeMap<String, String>) -> bool {
    labels
        .get("istio-injection")
        .is_some_and(|v| v == "enabled")
        || labels.contains_key("istio.io/rev")
}

fn namespace_label(snapshot: &MeshSnapshot, namespace: &str) -> Vec<Finding> {
    let Some(labels) = snapshot.namespace_labels(namespace) else {
        return Vec::new();
    };
    let resource = format!("Namespace/{namespace}");
    if labels.contains_key("istio-injection") && labels.contains_key("istio.io/rev") {
        return vec![Finding {
            code: "MESH0203",
            severity: Severity::Warning,
            category: Category::Injection,
            resource,
            message: format!(
                "has both istio-injection={} and istio.io/rev={}; istio-injection takes precedence and the revision is ignored",
                labels["istio-injection"], labels["istio.io/rev"]
            ),
            fix: format!(
                "keep one: kubectl label namespace {namespace} istio.io/rev- (or istio-injection-)"
            ),
        }];
    }
    let expects_mesh = MESH_KINDS
        .iter()
        .any(|k| snapshot.in_namespace(k, namespace).next().is_some())
        || pods_in(snapshot, namespace).any(has_sidecar);
    if injection_enabled(labels) || !expects_mesh {
        return Vec::new();
    }
    vec![Finding {
        code: "MESH0201",
        severity: Severity::Error,
        category: Category::Injection,
        resource,
        message: "is not labelled for sidecar injection although mesh policies and routes target it: new pods start without istio-proxy and get none of them".into(),
        fix: format!("meshctl inject -n {namespace} --all (or kubectl label namespace {namespace} istio-injection=enabled and restart the Deployments)"),
    }]
}

/// The Deployment that owns a pod, through its ReplicaSet's name.
pub fn owner_deployment(pod: &DynamicObject) -> Option<String> {
    let owner = pod
        .metadata
        .owner_references
        .as_ref()?
        .iter()
        .find(|o| o.kind == "ReplicaSet")?;
    owner
        .name
        .rsplit_once('-')
        .map(|(deployment, _)| deployment.to_string())
}

fn pods(snapshot: &MeshSnapshot, namespace: &str) -> Vec<Finding> {
    let labelled = snapshot
        .namespace_labels(namespace)
        .is_some_and(injection_enabled);
    let mut findings = Vec::new();
    for pod in pods_in(snapshot, namespace) {
        if opted_out(pod) {
            findings.push(Finding {
                code: "MESH0204",
                severity: Severity::Info,
                category: Category::Injection,
                resource: resource_of(pod),
                message: "opts out of injection (sidecar.istio.io/inject=false): it is outside the mesh, so mTLS STRICT peers refuse it".into(),
                fix: "remove the sidecar.istio.io/inject=false annotation or label if it should be in the mesh".into(),
            });
        } else if labelled && !has_sidecar(pod) {
            let restart = owner_deployment(pod).map_or(
                format!("kubectl -n {namespace} delete pod {}", name_of(pod)),
                |d| format!("kubectl -n {namespace} rollout restart deployment/{d}"),
            );
            findings.push(Finding {
                code: "MESH0202",
                severity: Severity::Error,
                category: Category::Injection,
                resource: resource_of(pod),
                message: "has no istio-proxy although its namespace is labelled for injection: it started before the label (or injection failed) and is outside the mesh".into(),
                fix: format!("restart it: {restart} (or meshctl inject -n {namespace} --all)"),
            });
        }
    }
    findings
}

fn workload_labels(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for deployment in snapshot.of_kind("Deployment") {
        let labels = &deployment.data["spec"]["template"]["metadata"]["labels"];
        let missing: Vec<&str> = ["app", "version"]
            .into_iter()
            .filter(|k| labels.get(*k).is_none())
            .collect();
        if !missing.is_empty() {
            findings.push(Finding {
                code: "MESH0205",
                severity: Severity::Warning,
                category: Category::Config,
                resource: resource_of(deployment),
                message: format!("pod template lacks the {} label(s): subsets cannot select it and Istio's telemetry reports it as unknown", missing.join(" and ")),
                fix: format!("add {} to spec.template.metadata.labels", missing.iter().map(|k| format!("{k}: …")).collect::<Vec<_>>().join(", ")),
            });
        }
    }
    findings
}

fn port_protocols(snapshot: &MeshSnapshot) -> Vec<Finding> {
    let mut findings = Vec::new();
    for service in snapshot.of_kind("Service") {
        let unnamed: BTreeSet<String> = array(&service.data["spec"]["ports"])
            .iter()
            .filter(|p| p["appProtocol"].as_str().is_none())
            .filter(|p| {
                let name = p["name"].as_str().unwrap_or("");
                !PROTOCOL_PREFIXES
                    .iter()
                    .any(|prefix| name == *prefix || name.starts_with(&format!("{prefix}-")))
            })
            .map(|p| p["port"].to_string())
            .collect();
        if !unnamed.is_empty() {
            findings.push(Finding {
                code: "MESH0206",
                severity: Severity::Warning,
                category: Category::Config,
                resource: resource_of(service),
                message: format!("port(s) {} declare no protocol (name prefix or appProtocol): Istio falls back to sniffing, and HTTP routing, retries and metrics may not apply", unnamed.into_iter().collect::<Vec<_>>().join(", ")),
                fix: "name the port http-…/grpc-…/tcp-… or set appProtocol".into(),
            });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::Severity;
    use super::super::testing::{codes, options, snapshot};
    use super::*;

    const POLICY: &str = "
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: prod}
spec: {mtls: {mode: PERMISSIVE}}
";

    #[test]
    fn mesh0201_unlabelled_namespace_with_mesh_config() {
        let s = snapshot(&format!(
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: prod}}\n---{POLICY}"
        ));
        assert_eq!(
            codes(&analyze(&s, &options())),
            vec![("MESH0201", Severity::Error, "Namespace/prod".into())]
        );
        let quiet = snapshot("apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n");
        assert!(
            analyze(&quiet, &options()).is_empty(),
            "no mesh config, no expectation"
        );
    }

    #[test]
    fn mesh0202_pods_started_before_the_label_and_mesh0204_opt_out() {
        let s = snapshot("
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: web-5d9f-abcde, namespace: prod, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9f, uid: u}]}
spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: injected, namespace: prod}
spec: {containers: [{name: app}, {name: istio-proxy}]}
---
apiVersion: v1
kind: Pod
metadata: {name: batch, namespace: prod, annotations: {sidecar.istio.io/inject: 'false'}}
spec: {containers: [{name: app}]}
");
        let found = pods(&s, "prod");
        assert_eq!(
            codes(&found),
            vec![
                (
                    "MESH0202",
                    Severity::Error,
                    "Pod/prod/web-5d9f-abcde".into()
                ),
                ("MESH0204", Severity::Info, "Pod/prod/batch".into())
            ]
        );
        assert!(
            found[0].fix.contains("rollout restart deployment/web"),
            "{}",
            found[0].fix
        );
    }

    #[test]
    fn mesh0203_both_injection_labels() {
        let s = snapshot(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {istio-injection: enabled, istio.io/rev: canary}}\n",
        );
        assert_eq!(
            codes(&namespace_label(&s, "prod")),
            vec![("MESH0203", Severity::Warning, "Namespace/prod".into())]
        );
    }

    #[test]
    fn mesh0205_workloads_without_app_or_version() {
        let s = snapshot(
            "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec: {template: {metadata: {labels: {app: web}}}}
",
        );
        let found = workload_labels(&s);
        assert_eq!(
            codes(&found),
            vec![("MESH0205", Severity::Warning, "Deployment/prod/web".into())]
        );
        assert!(found[0].message.contains("version"));
    }

    #[test]
    fn mesh0206_service_port_without_protocol() {
        let s = snapshot("
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: prod}
spec: {ports: [{name: http-web, port: 80}, {name: web, port: 8080}, {port: 9090, appProtocol: grpc}, {port: 9000}]}
");
        let found = port_protocols(&s);
        assert_eq!(
            codes(&found),
            vec![("MESH0206", Severity::Warning, "Service/prod/svc".into())]
        );
        assert!(
            found[0].message.contains("8080, 9000"),
            "{}",
            found[0].message
        );
    }
}
