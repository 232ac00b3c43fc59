//! Findings users chose not to see: `--suppress CODE=Kind/ns/name` on the command line, and
//! Istio's `galley.istio.io/analyze-suppress: CODE[,CODE]` annotation on the object itself. A code
//! is a meshctl code or the Istio code it carries; `*` matches any code or any part of the name.

use super::{Code, Finding};
use crate::snapshot::MeshSnapshot;

/// The annotation `istioctl analyze` honours; meshctl honours it too, with either kind of code.
pub const ANNOTATION: &str = "galley.istio.io/analyze-suppress";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    code: String,
    kind: String,
    namespace: Option<String>,
    name: String,
}

impl std::str::FromStr for Suppression {
    type Err = String;

    /// `CODE=Kind/namespace/name`, or `CODE=Kind/name` for cluster-scoped objects.
    fn from_str(text: &str) -> Result<Self, String> {
        let (code, resource) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?} is not CODE=Kind/namespace/name"))?;
        let code = code.trim();
        if code != "*" && Code::parse_all(code).is_empty() {
            return Err(format!(
                "{code:?} is no finding code (troubleshoot --list-codes shows them)"
            ));
        }
        let parts: Vec<&str> = resource.trim().split('/').collect();
        let (kind, namespace, name) = match parts.as_slice() {
            [kind, name] => (*kind, None, *name),
            [kind, namespace, name] => (*kind, Some(namespace.to_string()), *name),
            _ => {
                return Err(format!(
                    "{resource:?} is not Kind/namespace/name or Kind/name"
                ));
            }
        };
        if kind.is_empty() || name.is_empty() {
            return Err(format!("{resource:?} names no kind or no name"));
        }
        Ok(Self {
            code: code.to_string(),
            kind: kind.to_string(),
            namespace,
            name: name.to_string(),
        })
    }
}

fn part_matches(pattern: &str, value: &str) -> bool {
    pattern == "*" || pattern == value
}

fn code_matches(pattern: &str, finding: &Finding) -> bool {
    let pattern = pattern.trim();
    pattern == "*"
        || pattern.eq_ignore_ascii_case(finding.code.as_str())
        || finding
            .istio_code
            .is_some_and(|istio| pattern.eq_ignore_ascii_case(istio))
}

impl Suppression {
    fn matches(&self, finding: &Finding) -> bool {
        let resource = &finding.resource;
        code_matches(&self.code, finding)
            && part_matches(&self.kind, &resource.kind)
            && part_matches(&self.name, &resource.name)
            && match (&self.namespace, &resource.namespace) {
                (None, None) => true,
                (Some(pattern), Some(namespace)) => part_matches(pattern, namespace),
                _ => false,
            }
    }
}

/// Hidden by a `--suppress` pattern or by the object's own annotation.
pub(super) fn suppressed(
    finding: &Finding,
    snapshot: &MeshSnapshot,
    suppressions: &[Suppression],
) -> bool {
    suppressions.iter().any(|s| s.matches(finding))
        || snapshot
            .get(&finding.resource)
            .and_then(|o| o.metadata.annotations.as_ref()?.get(ANNOTATION))
            .is_some_and(|codes| codes.split(',').any(|c| code_matches(c, finding)))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{options, snapshot};
    use super::super::{AnalyzeOptions, analyze_codes};
    use super::*;

    const UNNAMED_PORTS: &str = "
apiVersion: v1
kind: Service
metadata: {name: a, namespace: prod}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: prod, annotations: {galley.istio.io/analyze-suppress: 'IST0001, ist0118'}}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: c, namespace: prod, annotations: {galley.istio.io/analyze-suppress: MESH0105}}
spec: {ports: [{port: 80}]}
";

    fn names(suppress: &[&str]) -> Vec<String> {
        let opts = AnalyzeOptions {
            suppress: suppress.iter().map(|s| s.parse().unwrap()).collect(),
            ..options()
        };
        analyze_codes(&snapshot(UNNAMED_PORTS), &opts, &[Code::Mesh0206])
            .iter()
            .map(|f| f.resource.name.clone())
            .collect()
    }

    #[test]
    fn the_annotation_hides_only_its_codes_of_its_object() {
        assert_eq!(names(&[]), vec!["a", "c"]);
    }

    #[test]
    fn a_pattern_hides_by_code_kind_namespace_and_name() {
        assert_eq!(names(&["MESH0206=Service/prod/a"]), vec!["c"]);
        assert_eq!(names(&["IST0118=Service/prod/*"]), Vec::<String>::new());
        assert_eq!(names(&["*=*/prod/c"]), vec!["a"]);
        assert_eq!(names(&["MESH0206=Service/other/a"]), vec!["a", "c"]);
        assert_eq!(names(&["MESH0105=Service/prod/a"]), vec!["a", "c"]);
        assert_eq!(names(&["MESH0206=Pod/prod/a"]), vec!["a", "c"]);
        assert_eq!(names(&["MESH0206=Service/a"]), vec!["a", "c"]);
    }

    #[test]
    fn a_pattern_without_a_namespace_hides_only_a_cluster_scoped_object() {
        let about = |namespace: Option<&str>| {
            let resource = crate::kube::ObjectRef {
                kind: "Namespace".into(),
                namespace: namespace.map(str::to_string),
                name: "prod".into(),
            };
            Finding::about(Code::Mesh0801, resource, String::new(), String::new())
        };
        let cluster_wide: Suppression = "MESH0801=Namespace/prod".parse().expect("a pattern");
        assert!(cluster_wide.matches(&about(None)));
        assert!(!cluster_wide.matches(&about(Some("prod"))));
        let namespaced: Suppression = "MESH0801=Namespace/*/prod".parse().expect("a pattern");
        assert!(!namespaced.matches(&about(None)));
    }

    #[test]
    fn malformed_patterns_are_refused_with_the_reason() {
        for bad in [
            "MESH0206",
            "NOPE=Service/a/b",
            "MESH0206=Service",
            "MESH0206=/a/b",
            "MESH0206=a/b/c/d",
        ] {
            assert!(bad.parse::<Suppression>().is_err(), "{bad}");
        }
        assert!("mesh0206=Namespace/prod".parse::<Suppression>().is_ok());
    }
}
