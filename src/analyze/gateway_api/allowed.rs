//! Which routes a listener admits (`allowedRoutes`): the route kinds its protocol carries (as
//! Istio supports them) narrowed by `kinds`, and the namespaces `namespaces.from` names.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::snapshot::json::{array, strings};
use crate::snapshot::kinds::GATEWAY_API;

/// A listener's answer to one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    Admitted,
    /// Why not, in words.
    Refused(String),
    /// The namespace's labels are not in the input: a selector cannot be judged.
    Unknown,
}

/// Does `listener` of a Gateway in `gateway_ns` admit a route of `kind` from `route_ns`, whose
/// labels are `route_ns_labels` when the input holds that Namespace?
pub fn admits(
    route_ns_labels: Option<&BTreeMap<String, String>>,
    listener: &Value,
    gateway_ns: &str,
    kind: &str,
    route_ns: &str,
) -> Admission {
    let protocol = listener["protocol"].as_str().unwrap_or("");
    let carried: &[&str] = match protocol {
        "HTTP" | "HTTPS" => &["HTTPRoute", "GRPCRoute"],
        "TLS" if listener["tls"]["mode"] == "Terminate" => &["TLSRoute", "TCPRoute"],
        "TLS" => &["TLSRoute"],
        "TCP" => &["TCPRoute"],
        _ => &[],
    };
    if !carried.contains(&kind) {
        return Admission::Refused(format!("a {protocol} listener carries no {kind}"));
    }
    let allowed = &listener["allowedRoutes"];
    let kinds = array(&allowed["kinds"]);
    let listed =
        |k: &Value| k["group"].as_str().unwrap_or(GATEWAY_API) == GATEWAY_API && k["kind"] == kind;
    if !kinds.is_empty() && !kinds.iter().any(listed) {
        return Admission::Refused(format!("its allowedRoutes.kinds do not list {kind}"));
    }
    let namespaces = &allowed["namespaces"];
    match namespaces["from"].as_str().unwrap_or("Same") {
        "All" => Admission::Admitted,
        "Same" if route_ns == gateway_ns => Admission::Admitted,
        "Same" => Admission::Refused(format!(
            "it admits routes from its own namespace {gateway_ns} only (allowedRoutes.namespaces.from: Same)"
        )),
        "Selector" => {
            let Some(labels) = route_ns_labels else {
                return Admission::Unknown;
            };
            // Kubernetes sets this label on every namespace; files often leave it out.
            let mut labels = labels.clone();
            labels.insert("kubernetes.io/metadata.name".into(), route_ns.into());
            if selects(&namespaces["selector"], &labels) {
                Admission::Admitted
            } else {
                Admission::Refused(format!(
                    "its allowedRoutes.namespaces.selector does not select namespace {route_ns}"
                ))
            }
        }
        other => Admission::Refused(format!("allowedRoutes.namespaces.from is {other:?}")),
    }
}

/// A Kubernetes label selector (`matchLabels` and `matchExpressions`) against labels.
fn selects(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    let by_labels = selector["matchLabels"].as_object().is_none_or(|m| {
        m.iter().all(|(k, v)| {
            v.as_str()
                .is_some_and(|v| labels.get(k).is_some_and(|l| l == v))
        })
    });
    by_labels
        && array(&selector["matchExpressions"]).iter().all(|e| {
            let key = e["key"].as_str().unwrap_or("");
            let values = strings(&e["values"]);
            let value = labels.get(key);
            match e["operator"].as_str().unwrap_or("") {
                "In" => value.is_some_and(|v| values.contains(v)),
                "NotIn" => value.is_none_or(|v| !values.contains(v)),
                "Exists" => value.is_some(),
                "DoesNotExist" => value.is_none(),
                _ => false,
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::snapshot;

    fn answer(listener: &str, kind: &str, route_ns: &str) -> Admission {
        let s = snapshot(
            "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {team: shop}}
",
        );
        let listener: Value = serde_saphyr::from_str(listener).expect("listener");
        admits(
            s.namespace_labels(route_ns),
            &listener,
            "infra",
            kind,
            route_ns,
        )
    }

    #[test]
    fn the_default_admits_only_the_gateways_namespace() {
        let l = "{name: http, port: 80, protocol: HTTP}";
        assert_eq!(answer(l, "HTTPRoute", "infra"), Admission::Admitted);
        assert!(matches!(
            answer(l, "HTTPRoute", "prod"),
            Admission::Refused(_)
        ));
    }

    #[test]
    fn selectors_kinds_and_protocols_are_honoured() {
        let selector = "{protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchExpressions: [{key: team, operator: In, values: [shop]}]}}}}";
        assert_eq!(answer(selector, "HTTPRoute", "prod"), Admission::Admitted);
        let by_name = "{protocol: HTTP, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: other}}}}}";
        assert!(matches!(
            answer(by_name, "HTTPRoute", "prod"),
            Admission::Refused(_)
        ));
        assert_eq!(
            answer(selector, "HTTPRoute", "unlisted"),
            Admission::Unknown
        );
        let kinds = "{protocol: HTTPS, allowedRoutes: {namespaces: {from: All}, kinds: [{kind: GRPCRoute}]}}";
        assert_eq!(answer(kinds, "GRPCRoute", "prod"), Admission::Admitted);
        assert!(matches!(
            answer(kinds, "HTTPRoute", "prod"),
            Admission::Refused(_)
        ));
        let tcp = "{protocol: TCP, allowedRoutes: {namespaces: {from: All}}}";
        assert!(matches!(
            answer(tcp, "HTTPRoute", "prod"),
            Admission::Refused(_)
        ));
    }
}
