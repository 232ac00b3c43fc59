//! mTLS and request authentication: STRICT peers that cannot be reached, conflicting modes, and
//! JWT principals that can never match.

use kube::api::DynamicObject;

use super::scope::is_system_namespace;
use super::{AnalyzeOptions, Code, Finding, Severity};
use crate::snapshot::json::{array, match_labels, spec, strings};
use crate::snapshot::{
    MeshSnapshot, ObjectRef, Workload, name_of, namespace_of, selected_workloads, workloads_in,
};

fn mode(policy: &DynamicObject) -> &str {
    spec(policy)["mtls"]["mode"].as_str().unwrap_or("UNSET")
}

fn is_workload_policy(policy: &DynamicObject) -> bool {
    match_labels(&spec(policy)["selector"]["matchLabels"]).is_some()
}

pub(super) fn strict_without_sidecars(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
) -> Vec<Finding> {
    if !snapshot.has_workloads {
        return Vec::new();
    }
    let namespaces = opts.namespaces(snapshot);
    let mut findings = Vec::new();
    for policy in snapshot
        .of_kind("PeerAuthentication")
        .filter(|p| mode(p) == "STRICT")
    {
        let mesh_wide = namespace_of(policy) == opts.istio_namespace && !is_workload_policy(policy);
        let workloads: Vec<Workload> = if mesh_wide {
            namespaces
                .iter()
                .filter(|ns| !is_system_namespace(ns, &opts.istio_namespace))
                .flat_map(|ns| workloads_in(snapshot, ns))
                .collect()
        } else {
            selected_workloads(snapshot, policy)
        };
        let without: Vec<&Workload> = workloads
            .iter()
            .filter(|w| !w.runs_sidecar(snapshot) && !super::captured_by_ztunnel(snapshot, w))
            .collect();
        if let Some(first) = without.first() {
            let names: Vec<String> = without
                .iter()
                .map(|w| ObjectRef::of(w.object).to_string())
                .collect();
            findings.push(Finding::new(Code::Mesh0401, policy, format!("requires mTLS (STRICT) but {} selected workload(s) run no sidecar ({}): their traffic is refused", without.len(), names.join(", ")),
                format!("inject the sidecar (meshctl inject -n {} --all) or use PERMISSIVE until it is", namespace_of(first.object)),
                ));
        }
    }
    findings
}

pub(super) fn mode_conflicts(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    let policies: Vec<&DynamicObject> = snapshot.of_kind("PeerAuthentication").collect();
    let mesh = policies
        .iter()
        .find(|p| namespace_of(p) == opts.istio_namespace && !is_workload_policy(p))
        .map(|p| mode(p));
    let namespaces: std::collections::BTreeSet<&str> =
        policies.iter().map(|p| namespace_of(p)).collect();
    for ns in namespaces {
        let wide: Vec<&&DynamicObject> = policies
            .iter()
            .filter(|p| namespace_of(p) == ns && !is_workload_policy(p))
            .collect();
        if wide.len() > 1 {
            let names: Vec<&str> = wide.iter().map(|p| name_of(p)).collect();
            for policy in &wide {
                findings.push(conflict(policy, Severity::Error, format!("is one of {} namespace-wide PeerAuthentications in {ns} ({}); Istio uses only the oldest", wide.len(), names.join(", ")), "keep one namespace-wide PeerAuthentication per namespace".into()));
            }
        }
        let namespace_mode = if ns == opts.istio_namespace {
            None
        } else {
            wide.first().map(|p| mode(p))
        };
        if let (Some("STRICT"), Some(weaker @ ("PERMISSIVE" | "DISABLE"))) = (mesh, namespace_mode)
        {
            findings.push(conflict(wide[0], Severity::Warning, format!("sets {weaker} for namespace {ns} while the mesh-wide policy is STRICT: plaintext is accepted here"), format!("remove it or set STRICT, unless {ns} must accept plaintext")));
        }
        let effective = namespace_mode.or(mesh.filter(|_| ns != opts.istio_namespace));
        if effective == Some("STRICT") {
            for policy in policies
                .iter()
                .filter(|p| namespace_of(p) == ns && is_workload_policy(p) && mode(p) == "DISABLE")
            {
                findings.push(conflict(policy, Severity::Warning, format!("disables mTLS for its workloads while {ns} is STRICT: STRICT clients of them fail"), "use PERMISSIVE, or STRICT once all clients have sidecars".into()));
            }
        }
    }
    findings
}

fn conflict(policy: &DynamicObject, severity: Severity, message: String, fix: String) -> Finding {
    Finding::new(Code::Mesh0402, policy, message, fix).with_severity(severity)
}

/// Every principal a rule's sources name, including negations.
fn request_principals(policy: &DynamicObject) -> Vec<String> {
    array(&spec(policy)["rules"])
        .iter()
        .flat_map(|rule| array(&rule["from"]).iter())
        .flat_map(|from| {
            strings(&from["source"]["requestPrincipals"])
                .into_iter()
                .chain(strings(&from["source"]["notRequestPrincipals"]))
        })
        .collect()
}

pub(super) fn principals_without_authentication(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for policy in snapshot
        .of_kind("AuthorizationPolicy")
        .filter(|p| !request_principals(p).is_empty())
    {
        let wanted = match_labels(&spec(policy)["selector"]["matchLabels"]);
        let covered = snapshot.of_kind("RequestAuthentication").any(|ra| {
            let same_scope = namespace_of(ra) == namespace_of(policy)
                || namespace_of(ra) == opts.istio_namespace;
            let ra_selector = match_labels(&spec(ra)["selector"]["matchLabels"]);
            same_scope
                && match (ra_selector, wanted) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(ra), Some(ap)) => ra.iter().all(|(k, v)| ap.get(k) == Some(v)),
                }
        });
        if !covered {
            findings.push(Finding::new(Code::Mesh0403, policy, "matches on requestPrincipals but no RequestAuthentication selects the same workloads: no request carries a principal, so these rules never match".into(),
                "add a RequestAuthentication (jwtRules) whose selector covers this policy's workloads".into(),
                ));
        }
    }
    findings
}

pub(super) fn malformed_principals(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for policy in snapshot.of_kind("AuthorizationPolicy") {
        for principal in request_principals(policy) {
            let wildcard = principal.starts_with('*') || principal.ends_with('*');
            if !principal.contains('/') && !wildcard {
                findings.push(Finding::new(Code::Mesh0404, policy, format!("requestPrincipals entry {principal:?} is not <issuer>/<subject> or *: Istio compares iss/sub, so it can never match"),
                    format!("write it as <issuer>/{principal}, e.g. https://accounts.google.com/{principal}"),
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

    #[test]
    fn mesh0401_strict_with_pods_without_sidecars() {
        let s = snapshot(
            "
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: strict, namespace: prod}
spec: {selector: {matchLabels: {app: web}}, mtls: {mode: STRICT}}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: prod, labels: {app: web}}
spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: prod, labels: {app: other}}
spec: {containers: [{name: app}]}
",
        );
        let found = strict_without_sidecars(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0401,
                Severity::Error,
                "PeerAuthentication/prod/strict".into()
            )]
        );
        assert!(found[0].message.contains("web-1") && !found[0].message.contains("other"));
    }

    #[test]
    fn mesh0402_conflicting_modes() {
        let s = snapshot(
            "
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: mesh, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: loose, namespace: prod}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: twin, namespace: prod}
spec: {mtls: {mode: STRICT}}
",
        );
        let found = codes(&mode_conflicts(&s, &options()));
        assert!(
            found.contains(&(
                Code::Mesh0402,
                Severity::Error,
                "PeerAuthentication/prod/loose".into()
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                Code::Mesh0402,
                Severity::Error,
                "PeerAuthentication/prod/twin".into()
            )),
            "{found:?}"
        );
        assert!(
            found.contains(&(
                Code::Mesh0402,
                Severity::Warning,
                "PeerAuthentication/prod/loose".into()
            )),
            "{found:?}"
        );
    }

    #[test]
    fn mesh0403_principals_without_request_authentication_and_mesh0404_bare_principals() {
        let s = snapshot(
            "
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: api, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  rules:
  - from: [{source: {requestPrincipals: ['*']}}]
  - from: [{source: {requestPrincipals: [user@example.com, 'https://issuer/sub']}}]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: prod}
spec: {selector: {matchLabels: {app: other}}}
",
        );
        assert_eq!(
            codes(&principals_without_authentication(&s, &options())),
            vec![(
                Code::Mesh0403,
                Severity::Error,
                "AuthorizationPolicy/prod/api".into()
            )]
        );
        let bare = malformed_principals(&s, &options());
        assert_eq!(
            codes(&bare),
            vec![(
                Code::Mesh0404,
                Severity::Error,
                "AuthorizationPolicy/prod/api".into()
            )]
        );
        assert!(bare[0].message.contains("user@example.com"));
    }
}
