//! Several VirtualServices or DestinationRules for one host: Istio merges them unpredictably; and
//! wildcard hosts on the mesh gateway that other VirtualServices' hosts shadow.

use std::collections::{BTreeMap, HashMap};

use kube::api::DynamicObject;

use super::{MESH_GATEWAY, bound_gateways};
use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{fqdn, spec, strings};
use crate::snapshot::{MeshSnapshot, ObjectRef, namespace_of};

/// Where a VirtualService's hosts apply on the mesh gateway: every namespace (`None`) or the
/// namespaces of its `exportTo`.
fn mesh_scope(vs: &DynamicObject) -> Option<Vec<String>> {
    let export = strings(&spec(vs)["exportTo"]);
    if export.is_empty() || export.iter().any(|e| e == "*") {
        return None;
    }
    let own = namespace_of(vs);
    Some(
        export
            .into_iter()
            .map(|e| if e == "." { own.to_string() } else { e })
            .collect(),
    )
}

fn on_mesh(vs: &DynamicObject) -> bool {
    let gateways = strings(&spec(vs)["gateways"]);
    gateways.is_empty() || gateways.iter().any(|g| g == MESH_GATEWAY)
}

pub(crate) fn duplicate_virtual_services(
    snapshot: &MeshSnapshot,
    _: &AnalyzeOptions,
) -> Vec<Finding> {
    // (host, gateway) → VirtualServices; on the mesh gateway, by the namespace they are
    // exported to (`*`: every namespace), since two exported to different namespaces never meet.
    let mut by_host: BTreeMap<(String, String), BTreeMap<String, Vec<&DynamicObject>>> =
        BTreeMap::new();
    for vs in snapshot.of_kind("VirtualService") {
        let gateways: Vec<String> = bound_gateways(vs)
            .into_iter()
            .map(|(ns, name)| format!("{ns}/{name}"))
            .collect();
        let scopes = mesh_scope(vs).unwrap_or_else(|| vec!["*".to_string()]);
        for host in strings(&spec(vs)["hosts"]) {
            let host = fqdn(&host, namespace_of(vs));
            for gateway in &gateways {
                by_host
                    .entry((host.clone(), gateway.clone()))
                    .or_default()
                    .entry("*".into())
                    .or_default()
                    .push(vs);
            }
            if on_mesh(vs) {
                let entry = by_host.entry((host, MESH_GATEWAY.to_string())).or_default();
                for scope in &scopes {
                    entry.entry(scope.clone()).or_default().push(vs);
                }
            }
        }
    }
    let mut findings = Vec::new();
    let mut reported = std::collections::BTreeSet::new();
    for ((host, gateway), scopes) in by_host {
        let everywhere = scopes.get("*").cloned().unwrap_or_default();
        for (scope, list) in &scopes {
            let mut meeting: Vec<&DynamicObject> = list.clone();
            if scope != "*" {
                meeting.extend(everywhere.iter().copied());
            }
            meeting.dedup_by(|a, b| std::ptr::eq(*a, *b));
            if meeting.len() < 2 {
                continue;
            }
            let mut names: Vec<String> = meeting
                .iter()
                .map(|v| ObjectRef::of(v).to_string())
                .collect();
            names.sort();
            names.dedup();
            if names.len() < 2 {
                continue;
            }
            for vs in meeting {
                if !reported.insert((ObjectRef::of(vs), host.clone(), gateway.clone())) {
                    continue;
                }
                findings.push(Finding::new(
                    Code::Mesh0106,
                    vs,
                    format!("{} VirtualServices route host {host} on {gateway} ({}); Istio merges them unpredictably and later rules can be shadowed", names.len(), names.join(", ")),
                    "merge them into one VirtualService per host".into(),
                ));
            }
        }
    }
    findings
}

/// Wildcard hosts on the mesh gateway that cover another VirtualService's host: for that host
/// only the more specific VirtualService applies, and the wildcard's rules silently do not.
pub(crate) fn wildcard_overlaps(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    // Every concrete host by each suffix a wildcard could name: `a.b.c` under `b.c` and `c`.
    let mut by_suffix: HashMap<String, Vec<(&DynamicObject, String)>> = HashMap::new();
    let mut wildcards = Vec::new();
    for vs in snapshot.of_kind("VirtualService").filter(|v| on_mesh(v)) {
        for host in strings(&spec(vs)["hosts"]) {
            if let Some(suffix) = host.strip_prefix("*.") {
                wildcards.push((vs, suffix.to_string()));
                continue;
            }
            let full = fqdn(&host, namespace_of(vs));
            for (i, _) in full.match_indices('.') {
                by_suffix
                    .entry(full[i + 1..].to_string())
                    .or_default()
                    .push((vs, full.clone()));
            }
        }
    }
    let meets = |a: &DynamicObject, b: &DynamicObject| match (mesh_scope(a), mesh_scope(b)) {
        (Some(x), Some(y)) => x.iter().any(|n| y.contains(n)),
        _ => true,
    };
    let mut findings = Vec::new();
    for (vs, suffix) in wildcards {
        let mut covered: Vec<String> = by_suffix
            .get(&suffix)
            .into_iter()
            .flatten()
            .filter(|(other, _)| !std::ptr::eq(*other, vs) && meets(vs, other))
            .map(|(other, host)| format!("{host} ({})", ObjectRef::of(other)))
            .collect();
        if covered.is_empty() {
            continue;
        }
        covered.sort();
        covered.dedup();
        findings.push(Finding::new(
            Code::Mesh0114,
            vs,
            format!(
                "host *.{suffix} covers {}, which another VirtualService routes: for those hosts only the more specific one applies and these rules do not",
                covered.join(", ")
            ),
            "merge the VirtualServices, or narrow the wildcard".into(),
        ));
    }
    findings
}

pub(crate) fn duplicate_destination_rules(
    snapshot: &MeshSnapshot,
    _: &AnalyzeOptions,
) -> Vec<Finding> {
    // Keyed by the host's full name and the rules' namespace: each namespace's rules apply to
    // its own clients.
    let mut by_host: BTreeMap<(String, &str), Vec<&DynamicObject>> = BTreeMap::new();
    for dr in snapshot.of_kind("DestinationRule") {
        if let Some(host) = spec(dr)["host"].as_str() {
            let namespace = namespace_of(dr);
            by_host
                .entry((fqdn(host, namespace), namespace))
                .or_default()
                .push(dr);
        }
    }
    let mut findings = Vec::new();
    for ((host, _), list) in by_host.into_iter().filter(|(_, l)| l.len() > 1) {
        let names: Vec<String> = list.iter().map(|d| ObjectRef::of(d).to_string()).collect();
        let message = format!(
            "{} DestinationRules apply to {host} ({}); only one takes effect per setting, so \
             traffic policy is not what any one of them says",
            names.len(),
            names.join(", ")
        );
        for dr in list {
            findings.push(Finding::new(
                Code::Mesh0107,
                dr,
                message.clone(),
                "merge them into one DestinationRule per host".into(),
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::super::Code;
    use super::super::super::Severity;
    use super::super::super::testing::{codes, options, snapshot};
    use super::*;

    use super::super::super::testing::HTTP_GATEWAY as GATEWAY;

    #[test]
    fn mesh0106_and_mesh0107_duplicates_for_one_host() {
        let s = snapshot(&format!(
            "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: a, namespace: prod}}
spec: {{hosts: [shop.example.com], gateways: [gw]}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: b, namespace: prod}}
spec: {{hosts: [shop.example.com], gateways: [prod/gw]}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: dr1, namespace: prod}}
spec: {{host: svc}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: dr2, namespace: prod}}
spec: {{host: svc.prod.svc.cluster.local}}
"
        ));
        assert_eq!(duplicate_virtual_services(&s, &options()).len(), 2);
        assert!(
            duplicate_virtual_services(&s, &options())
                .iter()
                .all(|f| f.code == Code::Mesh0106)
        );
        let drs = codes(&duplicate_destination_rules(&s, &options()));
        assert_eq!(
            drs,
            vec![
                (
                    Code::Mesh0107,
                    Severity::Warning,
                    "DestinationRule/prod/dr1".into()
                ),
                (
                    Code::Mesh0107,
                    Severity::Warning,
                    "DestinationRule/prod/dr2".into()
                )
            ]
        );
    }

    fn vs(name: &str, ns: &str, rest: &str) -> String {
        format!(
            "---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: {name}, namespace: {ns}}}
spec: {rest}
"
        )
    }

    fn all() -> AnalyzeOptions {
        AnalyzeOptions {
            scope: crate::analyze::NamespaceScope::All,
            ..options()
        }
    }

    #[test]
    fn mesh0106_on_the_mesh_gateway_only_where_both_are_exported() {
        let input = [
            vs("a", "prod", "{hosts: [reviews]}"),
            vs(
                "b",
                "team",
                "{hosts: [reviews.prod.svc.cluster.local], exportTo: [.]}",
            ),
            vs(
                "c",
                "team",
                "{hosts: [reviews.prod], gateways: [mesh], exportTo: [.]}",
            ),
            vs(
                "d",
                "other",
                "{hosts: [ratings.prod.svc.cluster.local], exportTo: [.]}",
            ),
            vs(
                "e",
                "more",
                "{hosts: [ratings.prod.svc.cluster.local], exportTo: [.]}",
            ),
        ]
        .concat();
        let found = duplicate_virtual_services(&snapshot(&input), &all());
        let names: Vec<String> = found.iter().map(|f| f.resource.to_string()).collect();
        // a (everywhere) meets b and c (team); d and e never meet.
        assert_eq!(
            names,
            vec![
                "VirtualService/team/b",
                "VirtualService/team/c",
                "VirtualService/prod/a"
            ]
        );
        assert!(
            found[0]
                .message
                .contains("3 VirtualServices route host reviews.prod.svc.cluster.local on mesh")
        );
    }

    #[test]
    fn mesh0114_a_wildcard_covering_another_virtual_services_host() {
        let input = [
            vs("wild", "prod", "{hosts: ['*.prod.svc.cluster.local']}"),
            vs("reviews", "prod", "{hosts: [reviews]}"),
            vs(
                "edge",
                "prod",
                "{hosts: [x.prod.svc.cluster.local], gateways: [gw]}",
            ),
            vs(
                "hidden",
                "team",
                "{hosts: [hidden.prod.svc.cluster.local], exportTo: [.]}",
            ),
            vs(
                "narrow",
                "lab",
                "{hosts: ['*.lab.example.com'], exportTo: [lab]}",
            ),
        ]
        .concat();
        let found = wildcard_overlaps(&snapshot(&input), &all());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0114,
                Severity::Info,
                "VirtualService/prod/wild".into()
            )]
        );
        assert!(found[0].message.contains("covers hidden.prod.svc.cluster.local (VirtualService/team/hidden), reviews.prod.svc.cluster.local (VirtualService/prod/reviews)"), "{}", found[0].message);
        let apart = [
            vs("wild", "prod", "{hosts: ['*.example.com'], exportTo: [.]}"),
            vs("shop", "team", "{hosts: [shop.example.com], exportTo: [.]}"),
        ]
        .concat();
        assert!(wildcard_overlaps(&snapshot(&apart), &all()).is_empty());
    }

    #[test]
    fn mesh0107_one_destination_rule_per_namespace_is_no_duplicate() {
        // Each namespace's DestinationRule applies to that namespace's clients: no conflict.
        let s = snapshot(
            "
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: prod}
spec: {host: web.prod.svc.cluster.local}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web, namespace: team}
spec: {host: web.prod.svc.cluster.local}
",
        );
        assert!(duplicate_destination_rules(&s, &all()).is_empty());
    }
}
