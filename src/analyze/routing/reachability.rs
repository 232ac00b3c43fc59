//! VirtualService rules that can never be used: Envoy tries the rules of a section in order and
//! takes the first that matches, so a rule after a catch-all, or whose every match an earlier
//! rule already takes, never sees a request.

use std::collections::HashMap;

use kube::api::DynamicObject;
use serde_json::{Map, Value};

use crate::analyze::{AnalyzeOptions, Code, Finding};
use crate::snapshot::MeshSnapshot;
use crate::snapshot::json::{array, spec};

pub(crate) fn unreachable_rules(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for vs in snapshot.of_kind("VirtualService") {
        for section in ["http", "tls", "tcp"] {
            findings.extend(section_findings(vs, section));
        }
    }
    findings
}

fn label(section: &str, index: usize, rule: &Value) -> String {
    rule["name"]
        .as_str()
        .map_or(format!("{section}[{index}]"), |n| {
            format!("{section} rule {n}")
        })
}

/// A match without its name (which routes nothing) and, apart, its URI condition.
struct Condition {
    /// Everything but `name` and `uri`, serialized: equal text is an equal condition.
    rest: String,
    uri: Option<Map<String, Value>>,
}

impl Condition {
    fn of(m: &Value) -> Self {
        let mut rest = m.as_object().cloned().unwrap_or_default();
        rest.remove("name");
        let uri = rest.remove("uri").and_then(|u| u.as_object().cloned());
        Self {
            rest: Value::Object(rest).to_string(),
            uri,
        }
    }

    /// Matches every request: no condition at all, or only the URI prefix `/`.
    fn is_catch_all(&self) -> bool {
        self.rest == "{}"
            && self.uri.as_ref().is_none_or(|u| {
                u.len() == 1 && u.get("prefix").and_then(Value::as_str) == Some("/")
            })
    }

    fn key(&self) -> String {
        let uri = self.uri.clone().map(Value::Object).unwrap_or(Value::Null);
        format!("{}|{uri}", self.rest)
    }

    /// The path a URI prefix or exact match is about (other URI matches are not compared).
    fn path(&self) -> Option<(&str, bool)> {
        let uri = self.uri.as_ref()?;
        if uri.len() != 1 {
            return None;
        }
        uri.get("prefix")
            .and_then(Value::as_str)
            .map(|p| (p, true))
            .or_else(|| uri.get("exact").and_then(Value::as_str).map(|p| (p, false)))
    }
}

fn section_findings(vs: &DynamicObject, section: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Earlier matches: by their whole condition, and URI prefixes by (rest, prefix).
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut prefixes: HashMap<(String, String), String> = HashMap::new();
    let mut catch_all: Option<String> = None;
    for (index, rule) in array(&spec(vs)[section]).iter().enumerate() {
        let name = label(section, index, rule);
        if let Some(earlier) = &catch_all {
            findings.push(Finding::new(
                Code::Mesh0112,
                vs,
                format!("{name} is never used: {earlier} before it matches every request"),
                format!("move {earlier} last, or remove {name}"),
            ));
            continue;
        }
        let matches = array(&rule["match"]);
        if matches.is_empty() {
            catch_all = Some(name);
            continue;
        }
        let mut dead = Vec::new();
        for (n, m) in matches.iter().enumerate() {
            let condition = Condition::of(m);
            let covered_by = seen.get(&condition.key()).cloned().or_else(|| {
                let (path, _) = condition.path()?;
                path.char_indices()
                    .map(|(i, c)| &path[..i + c.len_utf8()])
                    .find_map(|p| prefixes.get(&(condition.rest.clone(), p.to_string())))
                    .cloned()
            });
            match covered_by {
                Some(earlier) => dead.push((n, earlier)),
                None => {
                    seen.insert(condition.key(), name.clone());
                    if let Some((path, true)) = condition.path() {
                        prefixes.insert((condition.rest.clone(), path.to_string()), name.clone());
                    }
                }
            }
            if condition.is_catch_all() {
                catch_all = Some(name.clone());
            }
        }
        if dead.len() == matches.len() {
            let earlier: Vec<&str> = dead.iter().map(|(_, e)| e.as_str()).collect();
            findings.push(Finding::new(
                Code::Mesh0112,
                vs,
                format!(
                    "{name} is never used: every one of its matches is taken by an earlier rule ({})",
                    dedup(earlier).join(", ")
                ),
                format!("remove {name}, or make its matches differ from the earlier rules'"),
            ));
            continue;
        }
        for (n, earlier) in dead {
            findings.push(Finding::new(
                Code::Mesh0113,
                vs,
                format!(
                    "{name} match[{n}] is never used: {earlier} before it matches the same requests"
                ),
                format!("remove {name} match[{n}], or order the more specific rule first"),
            ));
        }
    }
    findings
}

fn dedup(mut list: Vec<&str>) -> Vec<&str> {
    list.dedup();
    list
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{codes, options, snapshot};
    use super::super::super::{Code, Severity};
    use super::*;

    fn found(spec: &str) -> Vec<Finding> {
        let s = snapshot(&format!(
            "
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: prod}}
spec: {spec}
"
        ));
        unreachable_rules(&s, &options())
    }

    fn summary(findings: &[Finding]) -> Vec<(Code, Severity, &str)> {
        assert!(
            codes(findings)
                .iter()
                .all(|(_, _, r)| r == "VirtualService/prod/vs")
        );
        findings
            .iter()
            .map(|f| (f.code, f.severity, f.message.as_str()))
            .collect()
    }

    #[test]
    fn mesh0112_rules_after_a_catch_all() {
        let findings = found(
            "{hosts: [web], http: [{route: [{destination: {host: web}}]}, {name: canary, match: [{headers: {x: {exact: a}}}], route: [{destination: {host: web}}]}, {route: [{destination: {host: web}}]}]}",
        );
        assert_eq!(
            summary(&findings),
            vec![
                (
                    Code::Mesh0112,
                    Severity::Warning,
                    "http rule canary is never used: http[0] before it matches every request"
                ),
                (
                    Code::Mesh0112,
                    Severity::Warning,
                    "http[2] is never used: http[0] before it matches every request"
                ),
            ]
        );
    }

    #[test]
    fn a_prefix_slash_or_empty_match_is_a_catch_all() {
        let findings = found(
            "{hosts: [web], http: [{match: [{uri: {prefix: /}}], route: [{destination: {host: web}}]}, {match: [{uri: {prefix: /api}}], route: [{destination: {host: web}}]}]}",
        );
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0]
                .message
                .starts_with("http[1] is never used: http[0]")
        );
        let tls = found(
            "{hosts: [web], tls: [{match: [{}], route: [{destination: {host: web}}]}, {match: [{sniHosts: [a]}], route: [{destination: {host: web}}]}]}",
        );
        assert_eq!(tls.len(), 1);
        assert!(tls[0].message.starts_with("tls[1] is never used: tls[0]"));
    }

    #[test]
    fn mesh0112_and_mesh0113_repeated_and_covered_matches() {
        let findings = found(
            "{hosts: [web], http: [
              {name: api, match: [{name: a, uri: {prefix: /api}, headers: {v: {exact: '2'}}}, {uri: {exact: /health}}], route: [{destination: {host: web}}]},
              {name: again, match: [{uri: {prefix: /api/v2}, headers: {v: {exact: '2'}}}, {name: other-name, uri: {exact: /health}}], route: [{destination: {host: web}}]},
              {name: partly, match: [{uri: {exact: /health}}, {uri: {prefix: /api/v2}}], route: [{destination: {host: web}}]},
              {route: [{destination: {host: web}}]}]}",
        );
        assert_eq!(
            summary(&findings),
            vec![
                (
                    Code::Mesh0112,
                    Severity::Warning,
                    "http rule again is never used: every one of its matches is taken by an earlier rule (http rule api)"
                ),
                (
                    Code::Mesh0113,
                    Severity::Info,
                    "http rule partly match[0] is never used: http rule api before it matches the same requests"
                ),
            ]
        );
    }

    #[test]
    fn a_correct_route_order_gives_nothing() {
        let findings = found(
            "{hosts: [web], http: [
              {match: [{uri: {prefix: /api/v2}}], route: [{destination: {host: web}}]},
              {match: [{uri: {prefix: /api}}, {uri: {prefix: /api}, headers: {x: {exact: a}}}], route: [{destination: {host: web}}]},
              {match: [{uri: {regex: '/a.*'}}], route: [{destination: {host: web}}]},
              {route: [{destination: {host: web}}]}],
             tls: [{match: [{sniHosts: [a]}], route: [{destination: {host: web}}]}, {match: [{sniHosts: [b]}], route: [{destination: {host: web}}]}],
             tcp: [{match: [{port: 1}], route: [{destination: {host: web}}]}, {route: [{destination: {host: web}}]}]}",
        );
        assert!(findings.is_empty(), "{:?}", summary(&findings));
    }

    #[test]
    fn an_exact_path_is_taken_by_an_earlier_prefix_of_that_same_path() {
        let findings = found(
            "{hosts: [web], http: [
              {name: api, match: [{uri: {prefix: /api}}], route: [{destination: {host: web}}]},
              {name: exact, match: [{uri: {exact: /api}}], route: [{destination: {host: web}}]},
              {name: shorter, match: [{uri: {exact: /ap}}], route: [{destination: {host: web}}]}]}",
        );
        assert_eq!(
            summary(&findings),
            vec![(
                Code::Mesh0112,
                Severity::Warning,
                "http rule exact is never used: every one of its matches is taken by an earlier rule (http rule api)"
            )]
        );
    }
}
