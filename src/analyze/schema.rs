//! MESH0501: Istio objects whose fields have the wrong type, or that have no name. The other
//! rules read fields leniently (a `spec.hosts` that is a number reads as no hosts), so without
//! this rule a malformed object would pass as one with nothing to say (istioctl's IST0106).

use serde_json::Value;

use super::{Code, Finding};
use crate::snapshot::{MeshSnapshot, ObjectRef, kind_of};

/// What a field must be, when it is there at all.
#[derive(Clone, Copy)]
enum Shape {
    Str,
    Int,
    Obj,
    /// An object whose values are strings (labels, selectors).
    StrMap,
}

use Shape::{Int, Obj, Str, StrMap};

/// The fields the rules read, per kind. `[]` after a segment: a list, each item checked on.
const FIELDS: &[(&str, &str, Shape)] = &[
    ("VirtualService", "spec", Obj),
    ("VirtualService", "spec.hosts[]", Str),
    ("VirtualService", "spec.gateways[]", Str),
    ("VirtualService", "spec.http[]", Obj),
    ("VirtualService", "spec.http[].route[]", Obj),
    ("VirtualService", "spec.http[].route[].destination", Obj),
    (
        "VirtualService",
        "spec.http[].route[].destination.host",
        Str,
    ),
    (
        "VirtualService",
        "spec.http[].route[].destination.subset",
        Str,
    ),
    ("VirtualService", "spec.http[].route[].weight", Int),
    ("VirtualService", "spec.http[].fault", Obj),
    ("VirtualService", "spec.http[].match[]", Obj),
    ("VirtualService", "spec.tcp[].route[].destination.host", Str),
    ("VirtualService", "spec.tcp[].route[].weight", Int),
    ("VirtualService", "spec.tls[].route[].destination.host", Str),
    ("VirtualService", "spec.tls[].route[].weight", Int),
    ("DestinationRule", "spec", Obj),
    ("DestinationRule", "spec.host", Str),
    ("DestinationRule", "spec.subsets[]", Obj),
    ("DestinationRule", "spec.subsets[].name", Str),
    ("DestinationRule", "spec.subsets[].labels", StrMap),
    ("Gateway", "spec", Obj),
    ("Gateway", "spec.selector", StrMap),
    ("Gateway", "spec.servers[]", Obj),
    ("Gateway", "spec.servers[].hosts[]", Str),
    ("Gateway", "spec.servers[].port", Obj),
    ("Gateway", "spec.servers[].port.number", Int),
    ("Gateway", "spec.servers[].tls", Obj),
    ("Gateway", "spec.servers[].tls.credentialName", Str),
    ("PeerAuthentication", "spec", Obj),
    ("PeerAuthentication", "spec.selector.matchLabels", StrMap),
    ("PeerAuthentication", "spec.mtls", Obj),
    ("PeerAuthentication", "spec.mtls.mode", Str),
    ("AuthorizationPolicy", "spec", Obj),
    ("AuthorizationPolicy", "spec.selector.matchLabels", StrMap),
    ("AuthorizationPolicy", "spec.action", Str),
    ("AuthorizationPolicy", "spec.rules[]", Obj),
    ("AuthorizationPolicy", "spec.rules[].from[]", Obj),
    (
        "AuthorizationPolicy",
        "spec.rules[].from[].source.requestPrincipals[]",
        Str,
    ),
    ("RequestAuthentication", "spec", Obj),
    ("RequestAuthentication", "spec.selector.matchLabels", StrMap),
    ("RequestAuthentication", "spec.jwtRules[]", Obj),
    ("RequestAuthentication", "spec.jwtRules[].issuer", Str),
];

pub fn malformed(snapshot: &MeshSnapshot, _: &super::AnalyzeOptions) -> Vec<Finding> {
    let mut findings: Vec<Finding> = snapshot
        .unnamed
        .iter()
        .map(|object| {
            Finding::about(
                Code::Mesh0501,
                object.clone(),
                format!(
                    "this {} has no metadata.name: Kubernetes refuses it, and nothing can refer to it",
                    object.kind
                ),
                "give it a metadata.name".into(),
            )
        })
        .collect();
    for object in snapshot.objects() {
        let kind = kind_of(object);
        let mut wrong = Vec::new();
        for (_, path, shape) in FIELDS.iter().filter(|(k, _, _)| *k == kind) {
            check(&object.data, "", path, *shape, &mut wrong);
        }
        let mut seen = std::collections::HashSet::new();
        wrong.retain(|problem| seen.insert(problem.clone()));
        findings.extend(wrong.into_iter().map(|problem| {
            Finding::about(
                Code::Mesh0501,
                ObjectRef::of(object),
                format!("{problem}: Istio rejects the object, and meshctl cannot check it"),
                "correct the field's type (see the Istio reference for the kind)".into(),
            )
        }));
    }
    findings
}

/// Checks `rest` of a path under `value` (`shown`: the part already walked, for messages),
/// pushing problems like "`spec.hosts` is a number, not a list".
fn check(value: &Value, shown: &str, rest: &str, shape: Shape, wrong: &mut Vec<String>) {
    let (segment, tail) = match rest.split_once('.') {
        Some((segment, tail)) => (segment, Some(tail)),
        None => (rest, None),
    };
    let (name, list) = match segment.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (segment, false),
    };
    // Not an object: the parent's own check reports it.
    let Value::Object(map) = value else { return };
    let field = match map.get(name) {
        None | Some(Value::Null) => return,
        Some(field) => field,
    };
    let shown = match shown {
        "" => name.to_string(),
        parent => format!("{parent}.{name}"),
    };
    let items: Vec<&Value> = match (list, field) {
        (false, field) => vec![field],
        (true, Value::Array(items)) => items.iter().collect(),
        (true, other) => {
            wrong.push(format!("`{shown}` is {}, not a list", what(other)));
            return;
        }
    };
    for item in items {
        match tail {
            Some(tail) => check(item, &shown, tail, shape, wrong),
            None if !fits(item, shape) => wrong.push(format!(
                "`{shown}` is {}, not {}",
                what(item),
                expected(shape)
            )),
            None => {}
        }
    }
}

fn fits(value: &Value, shape: Shape) -> bool {
    match shape {
        Str => value.is_string(),
        Int => value.is_i64() || value.is_u64(),
        Obj => value.is_object(),
        StrMap => value
            .as_object()
            .is_some_and(|m| m.values().all(Value::is_string)),
    }
}

fn expected(shape: Shape) -> &'static str {
    match shape {
        Str => "a string",
        Int => "an integer",
        Obj => "an object",
        StrMap => "a map of strings",
    }
}

fn what(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{options, snapshot};
    use super::*;

    #[test]
    fn wrong_types_in_the_fields_the_rules_read_are_findings() {
        let s = snapshot(
            "
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web}
spec:
  hosts: 5
  http: [{route: [{destination: {host: web}, weight: '80'}, {destination: {host: 7}}]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: web}
spec: {host: web, subsets: [{name: v1, labels: {version: 1}}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: fine}
spec: {host: web, subsets: [{name: v1, labels: {version: v1}}]}
",
        );
        let found: Vec<(String, String)> = malformed(&s, &options())
            .into_iter()
            .map(|f| (f.resource.to_string(), f.message))
            .collect();
        let messages: Vec<String> = found.iter().map(|(r, m)| format!("{r}: {m}")).collect();
        for expected in [
            "VirtualService/prod/web: `spec.hosts` is a number, not a list",
            "VirtualService/prod/web: `spec.http.route.weight` is a string, not an integer",
            "VirtualService/prod/web: `spec.http.route.destination.host` is a number, not a string",
            "DestinationRule/prod/web: `spec.subsets.labels` is an object, not a map of strings",
        ] {
            assert!(
                messages.iter().any(|m| m.starts_with(expected)),
                "{expected} in {messages:#?}"
            );
        }
        assert_eq!(found.len(), 4, "{messages:#?}");
    }

    #[test]
    fn an_object_without_a_name_is_a_finding_named_by_its_file() {
        let s = snapshot(
            "
apiVersion: networking.istio.io/v1
kind: VirtualService
spec: {hosts: [web]}
",
        );
        let findings = malformed(&s, &options());
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].resource.to_string(),
            "VirtualService/prod/(unnamed: test.yaml document 1)"
        );
        assert!(findings[0].message.contains("no metadata.name"));
    }
}
