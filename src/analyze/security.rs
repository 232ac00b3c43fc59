//! AuthorizationPolicies that protect nothing: a selector no workload matches, or source
//! namespaces that do not exist.

use std::collections::BTreeSet;

use kube::api::DynamicObject;
use serde_json::Value;

use super::workloads::WorkloadIndex;
use super::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{array, match_labels, spec, strings};
use crate::snapshot::{MeshSnapshot, kind_of, name_of, namespace_of};

pub(super) fn policies_without_workloads(
    snapshot: &MeshSnapshot,
    opts: &AnalyzeOptions,
) -> Vec<Finding> {
    if !snapshot.has_workloads {
        return Vec::new();
    }
    let index = WorkloadIndex::new(snapshot);
    let mut findings = Vec::new();
    for policy in snapshot.of_kind("AuthorizationPolicy") {
        let namespace = namespace_of(policy);
        let selector = match_labels(&spec(policy)["selector"]["matchLabels"]);
        let mesh_wide = namespace == opts.istio_namespace;
        let matched = match (mesh_wide, selector) {
            // Mesh-wide without a selector applies to every workload there is.
            (true, None) => continue,
            // Mesh-wide with a selector: any namespace's workload counts, but a namespaced live
            // read does not list every namespace's pods, so only judge when all were read.
            (true, Some(selector)) => {
                if !all_namespaces_read(snapshot, opts) {
                    continue;
                }
                let namespaces: Vec<&str> = index.namespaces().collect();
                namespaces
                    .iter()
                    .any(|ns| !index.matching(ns, selector).is_empty())
            }
            (false, selector) => {
                // The input holds no workload of this namespace at all: it could not show them.
                if !index.has_namespace(namespace) && !snapshot.live {
                    continue;
                }
                let every = serde_json::Map::new();
                !index
                    .matching(namespace, selector.unwrap_or(&every))
                    .is_empty()
            }
        };
        if !matched {
            let labels = selector.map_or("(no selector: the whole namespace)".to_string(), |s| {
                Value::Object(s.clone()).to_string()
            });
            findings.push(Finding::new(
                Code::Mesh0405,
                policy,
                format!("selects {labels} but no workload matches: it protects nothing, and whatever it was written for runs without it"),
                "correct spec.selector.matchLabels to the labels of the workloads it should protect, or remove the policy".into(),
            ));
        }
    }
    findings
}

/// Files hold everything they hold; a live read holds every namespace's pods only under `-A`.
fn all_namespaces_read(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> bool {
    !snapshot.live || opts.scope == super::NamespaceScope::All
}

/// Does a namespace pattern of an AuthorizationPolicy (`*`, `prefix*`, `*suffix`, exact) match a
/// namespace name?
fn namespace_matches(pattern: &str, namespace: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return namespace.ends_with(suffix);
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return namespace.starts_with(prefix);
    }
    pattern.eq_ignore_ascii_case(namespace)
}

/// The namespaces an AuthorizationPolicy's sources name, allowed or excluded.
fn source_namespaces(policy: &DynamicObject) -> Vec<String> {
    array(&spec(policy)["rules"])
        .iter()
        .flat_map(|rule| array(&rule["from"]).iter())
        .flat_map(|from| {
            strings(&from["source"]["namespaces"])
                .into_iter()
                .chain(strings(&from["source"]["notNamespaces"]))
        })
        .collect()
}

pub(super) fn unknown_namespaces(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let listed: BTreeSet<&str> = snapshot.of_kind("Namespace").map(name_of).collect();
    // Only a live read lists every Namespace; files are judged only when they hold Namespaces,
    // and then every namespace their objects live in exists too, and so do the ones every
    // cluster has: an app chart lets the ingress gateway's namespace in without creating it.
    if listed.is_empty() {
        return Vec::new();
    }
    let known: BTreeSet<&str> = if snapshot.live {
        listed
    } else {
        snapshot
            .objects()
            .iter()
            .map(|o| {
                if kind_of(o) == "Namespace" {
                    name_of(o)
                } else {
                    namespace_of(o)
                }
            })
            .filter(|ns| !ns.is_empty())
            .chain([opts.istio_namespace.as_str(), "default"])
            .chain(super::scope::SYSTEM_NAMESPACES)
            .collect()
    };
    let mut findings = Vec::new();
    for policy in snapshot.of_kind("AuthorizationPolicy") {
        let missing: BTreeSet<String> = source_namespaces(policy)
            .into_iter()
            .filter(|pattern| !known.iter().any(|ns| namespace_matches(pattern, ns)))
            .collect();
        for namespace in missing {
            findings.push(Finding::new(
                Code::Mesh0406,
                policy,
                format!("names namespace {namespace:?} in a rule's source, which does not exist: the rule never matches a request from it (a misspelt allow denies, a misspelt notNamespaces excludes nothing)"),
                format!("correct {namespace:?} to an existing namespace, or create it"),
            ));
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, options, snapshot};
    use super::super::{Code, NamespaceScope, Severity};
    use super::*;

    const CHART: &str = "
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: prod}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:1}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: data, labels: {app: db}}
spec: {containers: [{name: db}]}
";

    fn policy(namespace: &str, name: &str, spec: &str) -> String {
        format!(
            "---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {{name: {name}, namespace: {namespace}}}
spec: {spec}
"
        )
    }

    #[test]
    fn mesh0405_a_selector_no_workload_matches() {
        let s = snapshot(&format!(
            "{CHART}{}{}{}",
            policy("prod", "typo", "{selector: {matchLabels: {app: wbe}}}"),
            policy("prod", "ok", "{selector: {matchLabels: {app: web}}}"),
            policy("prod", "whole", "{}"),
        ));
        let found = policies_without_workloads(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0405,
                Severity::Warning,
                "AuthorizationPolicy/prod/typo".into()
            )]
        );
        assert!(found[0].message.contains("wbe"), "{}", found[0].message);
    }

    #[test]
    fn mesh0405_mesh_wide_policies_match_any_namespace() {
        let s = snapshot(&format!(
            "{CHART}{}{}{}",
            policy("istio-system", "db", "{selector: {matchLabels: {app: db}}}"),
            policy(
                "istio-system",
                "ghost",
                "{selector: {matchLabels: {app: ghost}}}"
            ),
            policy("istio-system", "all", "{}"),
        ));
        let found = policies_without_workloads(&s, &options());
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0405,
                Severity::Warning,
                "AuthorizationPolicy/istio-system/ghost".into()
            )]
        );
        // live and one namespace: other namespaces' pods were not read
        let mut live = s.clone();
        live.live = true;
        assert!(policies_without_workloads(&live, &options()).is_empty());
        let all = super::super::AnalyzeOptions {
            scope: NamespaceScope::All,
            ..options()
        };
        assert_eq!(policies_without_workloads(&live, &all).len(), 1);
    }

    #[test]
    fn mesh0405_silent_where_the_input_holds_no_workload() {
        let s = snapshot(&policy("prod", "p", "{selector: {matchLabels: {app: x}}}"));
        assert!(policies_without_workloads(&s, &options()).is_empty());
        let s = snapshot(&format!(
            "{CHART}{}",
            policy("elsewhere", "p", "{selector: {matchLabels: {app: x}}}")
        ));
        assert!(policies_without_workloads(&s, &options()).is_empty());
        // live, an empty namespace is a fact: the policy protects nothing
        let mut live = snapshot(&format!("{CHART}{}", policy("empty", "p", "{}")));
        live.live = true;
        assert_eq!(policies_without_workloads(&live, &options()).len(), 1);
    }

    const NAMESPACES: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: prod}
---
apiVersion: v1
kind: Namespace
metadata: {name: frontend}
";

    #[test]
    fn mesh0406_source_namespaces_that_do_not_exist() {
        let s = snapshot(&format!(
            "{NAMESPACES}{}",
            policy(
                "prod",
                "p",
                "{rules: [{from: [{source: {namespaces: [frontend, frontnd, 'front*', '*end', '*', data]}}, {source: {notNamespaces: [legacy]}}]}]}"
            ),
        ));
        let found = unknown_namespaces(&s, &options());
        let named: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 3, "{named:#?}");
        assert!(found.iter().all(|f| f.code == Code::Mesh0406));
        for missing in ["\"frontnd\"", "\"data\"", "\"legacy\""] {
            assert!(named.iter().any(|m| m.contains(missing)), "{missing}");
        }
    }

    #[test]
    fn mesh0406_files_without_namespaces_are_not_judged_and_used_namespaces_exist() {
        let p = policy(
            "prod",
            "p",
            "{rules: [{from: [{source: {namespaces: [frontnd, data]}}]}]}",
        );
        assert!(unknown_namespaces(&snapshot(&p), &options()).is_empty());
        // `data` holds a Pod in the files, so it exists
        let s = snapshot(&format!("{NAMESPACES}---{CHART}{p}"));
        let found = unknown_namespaces(&s, &options());
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("frontnd"));
        // live, only listed Namespaces exist
        let mut live = s.clone();
        live.live = true;
        assert_eq!(unknown_namespaces(&live, &options()).len(), 2);
    }

    #[test]
    fn mesh0406_files_never_miss_the_namespaces_every_cluster_has() {
        let p = policy(
            "prod",
            "p",
            "{rules: [{from: [{source: {namespaces: [istio-system, kube-system, default, frontnd]}}]}]}",
        );
        let s = snapshot(&format!("{NAMESPACES}---{CHART}{p}"));
        let found = unknown_namespaces(&s, &options());
        let named: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(named.len(), 1, "{named:#?}");
        assert!(named[0].contains("\"frontnd\""), "{named:#?}");
        // The Istio namespace is the one configured, not a fixed name.
        let mut elsewhere = options();
        elsewhere.istio_namespace = "mesh-system".into();
        assert_eq!(unknown_namespaces(&s, &elsewhere).len(), 2);
        // Live, a listed Namespace is the only proof.
        let mut live = s.clone();
        live.live = true;
        assert_eq!(unknown_namespaces(&live, &options()).len(), 4);
    }

    #[test]
    fn namespace_patterns() {
        assert!(namespace_matches("*", "a"));
        assert!(namespace_matches("front*", "frontend"));
        assert!(!namespace_matches("front*", "backend"));
        assert!(namespace_matches("*end", "backend"));
        assert!(!namespace_matches("*end", "ends"));
        assert!(namespace_matches("Prod", "prod"));
        assert!(!namespace_matches("prod", "production"));
    }
}
