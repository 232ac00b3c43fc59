//! Sidecar injection: namespace labels, pods that missed their sidecar, workload labels and
//! Service port protocols that routing and telemetry rely on. Workloads that ask for what their
//! namespace refuses, and `image: auto`, are in `injection_requests`.

use std::collections::BTreeSet;

use super::scope::is_system_namespace;
use super::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, has_sidecar, opted_out, owner_deployment, pods_in};
use crate::snapshot::{MeshSnapshot, ObjectRef, name_of, namespace_of};

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

pub use crate::snapshot::json::injection_enabled;

pub(super) fn namespace_label(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    opts.namespaces(snapshot)
        .iter()
        .filter(|ns| !is_system_namespace(ns, &opts.istio_namespace))
        .flat_map(|ns| namespace_label_of(snapshot, ns))
        .collect()
}

fn namespace_label_of(snapshot: &MeshSnapshot, namespace: &str) -> Vec<Finding> {
    let resource = ObjectRef::namespace(namespace);
    let Some(labels) = snapshot.namespace_labels(namespace) else {
        // Only a live snapshot lists every Namespace; files may simply not hold it.
        return if snapshot.live {
            vec![Finding::about(
                Code::Mesh0208,
                resource,
                "does not exist: nothing can run in it".into(),
                format!("kubectl create namespace {namespace} (or pass the right -n)"),
            )]
        } else {
            Vec::new()
        };
    };
    // ztunnel, not a sidecar, carries an ambient namespace's pods (MESH0801 judges both labels).
    if super::is_ambient(snapshot, namespace) {
        return Vec::new();
    }
    // `istio-injection` set to anything but `enabled` switches injection off whatever the
    // revision says, so only `enabled` with a revision is ambiguous.
    if let (Some(injection @ "enabled"), Some(revision)) = (
        labels.get("istio-injection").map(String::as_str),
        labels.get("istio.io/rev"),
    ) {
        return vec![Finding::about(
            Code::Mesh0203,
            resource,
            format!(
                "has both istio-injection={injection} and istio.io/rev={revision}; istio-injection takes precedence and the revision is ignored"
            ),
            format!(
                "keep one: kubectl label namespace {namespace} istio.io/rev- (or istio-injection-)"
            ),
        )];
    }
    if injection_enabled(labels) {
        return Vec::new();
    }
    let expects_mesh = MESH_KINDS
        .iter()
        .any(|k| snapshot.in_namespace(k, namespace).next().is_some())
        || pods_in(snapshot, namespace).any(has_sidecar);
    if expects_mesh {
        return vec![Finding::about(
            Code::Mesh0201,
            resource,
            "is not labelled for sidecar injection although mesh policies and routes target it: new pods start without istio-proxy and get none of them".into(),
            format!("meshctl inject -n {namespace} --all (or kubectl label namespace {namespace} istio-injection=enabled and restart the Deployments)"),
        )];
    }
    let state = match labels.get("istio-injection") {
        Some(value) => format!("has istio-injection={value}"),
        None => "has no istio-injection or istio.io/rev label".into(),
    };
    vec![Finding::about(
        Code::Mesh0207,
        resource,
        format!("{state}: pods started in it get no istio-proxy"),
        format!(
            "kubectl label namespace {namespace} istio-injection=enabled --overwrite, if it belongs in the mesh"
        ),
    )]
}

pub(super) fn pods(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    opts.namespaces(snapshot)
        .iter()
        .flat_map(|ns| pods_of(snapshot, ns))
        .collect()
}

fn pods_of(snapshot: &MeshSnapshot, namespace: &str) -> Vec<Finding> {
    let labelled = snapshot
        .namespace_labels(namespace)
        .is_some_and(injection_enabled);
    let mut findings = Vec::new();
    for pod in pods_in(snapshot, namespace) {
        if opted_out(pod) {
            findings.push(Finding::new(Code::Mesh0204, pod, "opts out of injection (sidecar.istio.io/inject=false): it is outside the mesh, so mTLS STRICT peers refuse it".into(),
                "remove the sidecar.istio.io/inject=false annotation or label if it should be in the mesh".into(),
                ));
        } else if labelled && !has_sidecar(pod) && !host_network(pod) {
            let restart = owner_deployment(pod).map_or(
                format!("kubectl -n {namespace} delete pod {}", name_of(pod)),
                |d| format!("kubectl -n {namespace} rollout restart deployment/{d}"),
            );
            findings.push(Finding::new(Code::Mesh0202, pod, "has no istio-proxy although its namespace is labelled for injection: it started before the label (or injection failed) and is outside the mesh".into(),
                format!("restart it: {restart} (or meshctl inject -n {namespace} --all)"),
                ));
        }
    }
    findings
}

pub(super) fn workload_labels(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for deployment in snapshot.of_kind("Deployment") {
        let labels = &deployment.data["spec"]["template"]["metadata"]["labels"];
        let missing: Vec<&str> = ["app", "version"]
            .into_iter()
            .filter(|k| labels.get(*k).is_none())
            .collect();
        if !missing.is_empty() {
            findings.push(Finding::new(Code::Mesh0205, deployment, format!("pod template lacks the {} label(s): subsets cannot select it and Istio's telemetry reports it as unknown", missing.join(" and ")),
                format!("add {} to spec.template.metadata.labels", missing.iter().map(|k| format!("{k}: …")).collect::<Vec<_>>().join(", ")),
                ));
        }
    }
    findings
}

/// Pods on the host network are never injected: no sidecar is expected.
fn host_network(pod: &kube::api::DynamicObject) -> bool {
    pod.data["spec"]["hostNetwork"].as_bool() == Some(true)
}

pub(super) fn port_protocols(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for service in snapshot
        .of_kind("Service")
        .filter(|s| !is_system_namespace(namespace_of(s), &opts.istio_namespace))
    {
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
            findings.push(Finding::new(Code::Mesh0206, service, format!("port(s) {} declare no protocol (name prefix or appProtocol): Istio falls back to sniffing, and HTTP routing, retries and metrics may not apply", unnamed.into_iter().collect::<Vec<_>>().join(", ")),
                "name the port http-…/grpc-…/tcp-… or set appProtocol".into(),
                ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, options, snapshot};
    use super::super::{Code, Severity};
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
            codes(&namespace_label(&s, &options())),
            vec![(Code::Mesh0201, Severity::Error, "Namespace/prod".into())]
        );
        let quiet = snapshot("apiVersion: v1\nkind: Namespace\nmetadata: {name: prod}\n");
        assert_eq!(
            codes(&namespace_label(&quiet, &options())),
            vec![(Code::Mesh0207, Severity::Info, "Namespace/prod".into())],
            "no mesh config: only information"
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
---
apiVersion: v1
kind: Pod
metadata: {name: node-agent, namespace: prod}
spec: {hostNetwork: true, containers: [{name: app}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: template-only, namespace: prod}
spec: {template: {spec: {containers: [{name: app}]}}}
");
        let found = pods(&s, &options());
        assert_eq!(
            codes(&found),
            vec![
                (
                    Code::Mesh0202,
                    Severity::Error,
                    "Pod/prod/web-5d9f-abcde".into()
                ),
                (Code::Mesh0204, Severity::Info, "Pod/prod/batch".into())
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
            codes(&namespace_label(&s, &options())),
            vec![(Code::Mesh0203, Severity::Warning, "Namespace/prod".into())]
        );
        // an explicit `disabled` wins over the revision: nothing is ambiguous
        let off = snapshot(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: prod, labels: {istio-injection: disabled, istio.io/rev: canary}}\n",
        );
        assert!(
            !codes(&namespace_label(&off, &options()))
                .iter()
                .any(|(c, _, _)| *c == Code::Mesh0203)
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
        let found = workload_labels(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0205,
                Severity::Warning,
                "Deployment/prod/web".into()
            )]
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
        let found = port_protocols(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(Code::Mesh0206, Severity::Warning, "Service/prod/svc".into())]
        );
        assert!(
            found[0].message.contains("8080, 9000"),
            "{}",
            found[0].message
        );
        let system = snapshot(
            "
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: kube-system}
spec: {ports: [{name: dns, port: 53}]}
---
apiVersion: v1
kind: Service
metadata: {name: istiod, namespace: istio-system}
spec: {ports: [{name: xds, port: 15010}]}
",
        );
        assert!(port_protocols(&system, &options()).is_empty());
    }
}
