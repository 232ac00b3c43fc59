//! Ambient mode: what ztunnel and waypoints do not do that sidecars did. A namespace is judged
//! ambient only when the input holds its Namespace (`istio.io/dataplane-mode=ambient`).

mod unused;

use kube::api::DynamicObject;

use super::{AnalyzeOptions, Code, Finding};
use crate::kube::{INJECTION, REVISION};
use crate::snapshot::json::{array, fqdn, spec, strings};
use crate::snapshot::kinds::K8S_GATEWAY_KEY;
use crate::snapshot::{MeshSnapshot, labels_of, name_of, namespace_of, selected_workloads};

pub(super) use unused::unused_waypoints;

const DATAPLANE_MODE: &str = "istio.io/dataplane-mode";
const USE_WAYPOINT: &str = "istio.io/use-waypoint";
const USE_WAYPOINT_NAMESPACE: &str = "istio.io/use-waypoint-namespace";
const WAYPOINT_CLASS: &str = "istio-waypoint";
/// Is the namespace labelled `istio.io/dataplane-mode=ambient` in the input?
pub fn is_ambient(snapshot: &MeshSnapshot, namespace: &str) -> bool {
    ambient(snapshot, namespace) == Some(true)
}

/// Does ztunnel carry the workload's traffic (mTLS included)? It runs in an ambient namespace
/// and does not opt out with `istio.io/dataplane-mode=none`.
pub fn captured_by_ztunnel(snapshot: &MeshSnapshot, workload: &crate::snapshot::Workload) -> bool {
    is_ambient(snapshot, namespace_of(workload.object))
        && workload
            .labels
            .get(DATAPLANE_MODE)
            .is_none_or(|m| m != "none")
}

/// Is the namespace enrolled in ambient? `None` when the input does not hold the Namespace.
fn ambient(snapshot: &MeshSnapshot, namespace: &str) -> Option<bool> {
    let labels = snapshot.namespace_labels(namespace)?;
    Some(labels.get(DATAPLANE_MODE).is_some_and(|m| m == "ambient"))
}

pub(super) fn dual_enrolment(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for namespace in opts.namespaces(snapshot) {
        let Some(object) = snapshot
            .of_kind("Namespace")
            .find(|n| name_of(n) == namespace)
        else {
            continue;
        };
        let labels = labels_of(object);
        if ambient(snapshot, &namespace) != Some(true) {
            continue;
        }
        let sidecar = match (labels.get(INJECTION), labels.get(REVISION)) {
            (Some(v), _) if v == "enabled" => format!("{INJECTION}=enabled"),
            (_, Some(rev)) => format!("{REVISION}={rev}"),
            _ => continue,
        };
        findings.push(Finding::new(
            Code::Mesh0801,
            object,
            format!("is labelled {DATAPLANE_MODE}=ambient and {sidecar}: new pods get a sidecar, which wins, and ztunnel leaves them alone, so the namespace runs two data planes depending on when each pod started"),
            format!("keep one: `kubectl label namespace {namespace} {}-` to finish moving to ambient (then restart the workloads), or remove {DATAPLANE_MODE}", sidecar.split('=').next().unwrap_or(INJECTION)),
        ));
    }
    findings
}

/// A policy without `targetRef(s)` is enforced where its workloads run: by ztunnel in ambient,
/// unless every workload it selects has a sidecar of its own.
fn enforced_by_ztunnel(snapshot: &MeshSnapshot, policy: &DynamicObject) -> bool {
    let s = spec(policy);
    if s.get("targetRef").is_some() || !array(&s["targetRefs"]).is_empty() {
        return false;
    }
    if ambient(snapshot, namespace_of(policy)) != Some(true) {
        return false;
    }
    let selected = selected_workloads(snapshot, policy);
    selected.is_empty() || !selected.iter().all(|w| w.runs_sidecar(snapshot))
}

fn selects(policy: &DynamicObject) -> &'static str {
    if spec(policy)["selector"].is_object() {
        "selects its workloads with `selector`"
    } else {
        "has no `targetRefs` (it applies to every workload of the namespace)"
    }
}

/// The L7 attributes a rule of an AuthorizationPolicy matches on, which ztunnel cannot see.
fn l7_fields(policy: &DynamicObject) -> Vec<String> {
    let mut found = Vec::new();
    for rule in array(&spec(policy)["rules"]) {
        for to in array(&rule["to"]) {
            for field in [
                "methods",
                "paths",
                "hosts",
                "notMethods",
                "notPaths",
                "notHosts",
            ] {
                if !array(&to["operation"][field]).is_empty() {
                    found.push(format!("to.operation.{field}"));
                }
            }
        }
        for from in array(&rule["from"]) {
            for field in ["requestPrincipals", "notRequestPrincipals"] {
                if !array(&from["source"][field]).is_empty() {
                    found.push(format!("from.source.{field}"));
                }
            }
        }
        for when in array(&rule["when"]) {
            let key = when["key"].as_str().unwrap_or("");
            if key.starts_with("request.headers") || key.starts_with("request.auth.") {
                found.push(format!("when {key}"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

pub(super) fn l7_policies_on_ztunnel(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for policy in snapshot.of_kind("AuthorizationPolicy") {
        let fields = l7_fields(policy);
        if fields.is_empty() || !enforced_by_ztunnel(snapshot, policy) {
            continue;
        }
        findings.push(Finding::new(
            Code::Mesh0802,
            policy,
            format!("matches on L7 attributes ({}) in an ambient namespace but {}: ztunnel enforces it and cannot see them, so it fails closed (an ALLOW rule never matches, a DENY rule denies more)", fields.join(", "), selects(policy)),
            "replace `selector` with `targetRefs` to the Service (or the waypoint Gateway) so the waypoint enforces it, and give the Service a waypoint (`meshctl waypoint apply --enroll-namespace`)".into(),
        ));
    }
    for policy in snapshot.of_kind("RequestAuthentication") {
        if !enforced_by_ztunnel(snapshot, policy) {
            continue;
        }
        findings.push(Finding::new(
            Code::Mesh0803,
            policy,
            format!("is in an ambient namespace but {}: ztunnel does not read JWTs, so no token is validated and `requestPrincipals` never match", selects(policy)),
            "replace `selector` with `targetRefs` to the Service or the waypoint Gateway, and give the Service a waypoint".into(),
        ));
    }
    findings
}

pub(super) fn envoy_filters(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    for filter in snapshot.of_kind("EnvoyFilter") {
        if ambient(snapshot, namespace_of(filter)) != Some(true) {
            continue;
        }
        // istiod's waypoint pods carry `istio-proxy` too, but never apply EnvoyFilters.
        let selected: Vec<_> = workloads_selected_by(snapshot, filter)
            .into_iter()
            .filter(|w| !w.is_waypoint())
            .collect();
        if !selected.is_empty() && selected.iter().all(|w| w.runs_sidecar(snapshot)) {
            continue;
        }
        findings.push(Finding::new(
            Code::Mesh0806,
            filter,
            "is in an ambient namespace: ztunnel is not Envoy and waypoints ignore EnvoyFilters, so it changes nothing".into(),
            "express it with the Gateway API or Istio's APIs (AuthorizationPolicy, HTTPRoute filters, Telemetry, WasmPlugin with targetRefs), or remove it".into(),
        ));
    }
    findings
}

/// EnvoyFilters select with `workloadSelector.labels`, not `selector.matchLabels`.
fn workloads_selected_by<'a>(
    snapshot: &'a MeshSnapshot,
    filter: &'a DynamicObject,
) -> Vec<crate::snapshot::Workload<'a>> {
    let labels = spec(filter)["workloadSelector"]["labels"].as_object();
    crate::snapshot::workloads_in(snapshot, namespace_of(filter))
        .into_iter()
        .filter(|w| labels.is_none_or(|l| w.matches(l)))
        .collect()
}

/// The waypoint a Service uses: its own label, else its namespace's; `(namespace, name)`, the
/// name `none` when it opts out (as istiod reads them).
pub fn waypoint_of(snapshot: &MeshSnapshot, service: &DynamicObject) -> Option<(String, String)> {
    let namespace = namespace_of(service);
    let (labels, own) = match labels_of(service).get(USE_WAYPOINT) {
        Some(_) => (labels_of(service), namespace.to_string()),
        None => (snapshot.namespace_labels(namespace)?, namespace.to_string()),
    };
    let name = labels.get(USE_WAYPOINT)?.clone();
    let at = labels.get(USE_WAYPOINT_NAMESPACE).cloned().unwrap_or(own);
    Some((at, name))
}

/// The Services in ambient namespaces a route is for: a VirtualService's hosts when it applies
/// to the mesh, an HTTPRoute's or GRPCRoute's Service parentRefs (GAMMA).
fn routed_services<'a>(
    snapshot: &'a MeshSnapshot,
    route: &DynamicObject,
) -> Vec<&'a DynamicObject> {
    let namespace = namespace_of(route);
    let s = spec(route);
    let fqdns: Vec<String> = if route
        .types
        .as_ref()
        .is_some_and(|t| t.kind == "VirtualService")
    {
        let gateways = strings(&s["gateways"]);
        if !gateways.is_empty() && !gateways.iter().any(|g| g == "mesh") {
            return Vec::new();
        }
        strings(&s["hosts"])
            .iter()
            .map(|h| fqdn(h, namespace))
            .collect()
    } else {
        array(&s["parentRefs"])
            .iter()
            .filter(|p| p["kind"].as_str() == Some("Service"))
            .filter_map(|p| {
                let ns = p["namespace"].as_str().unwrap_or(namespace);
                Some(format!("{}.{ns}.svc.cluster.local", p["name"].as_str()?))
            })
            .collect()
    };
    let mut services: Vec<&DynamicObject> = fqdns
        .iter()
        .filter_map(|f| snapshot.service_by_fqdn(f))
        .filter(|svc| ambient(snapshot, namespace_of(svc)) == Some(true))
        .collect();
    services.dedup_by(|a, b| name_of(a) == name_of(b) && namespace_of(a) == namespace_of(b));
    services
}

/// Can the input show whether a Gateway API Gateway exists in `namespace`?
fn gateways_known(snapshot: &MeshSnapshot, namespace: &str) -> bool {
    snapshot.live
        || snapshot
            .in_namespace(K8S_GATEWAY_KEY, namespace)
            .next()
            .is_some()
}

pub(super) fn routes_without_waypoint(snapshot: &MeshSnapshot, _: &AnalyzeOptions) -> Vec<Finding> {
    let mut findings = Vec::new();
    let routes = ["VirtualService", "HTTPRoute", "GRPCRoute"]
        .into_iter()
        .flat_map(|kind| snapshot.of_kind(kind));
    for route in routes {
        let messages = crate::snapshot::json::route_not_respected(route);
        if let Some(message) = messages.first() {
            findings.push(Finding::new(
                Code::Mesh0804,
                route,
                format!("istiod says: {message}"),
                format!("label the Service or its namespace `{USE_WAYPOINT}=<waypoint>` (`meshctl waypoint apply --enroll-namespace`)"),
            ));
            continue;
        }
        for service in routed_services(snapshot, route) {
            let svc = format!("{}/{}", namespace_of(service), name_of(service));
            match waypoint_of(snapshot, service) {
                None => findings.push(Finding::new(
                    Code::Mesh0804,
                    route,
                    format!("routes Service {svc} in an ambient namespace, but neither the Service nor its namespace is labelled {USE_WAYPOINT}: without a waypoint ztunnel forwards at L4 and the route is not respected"),
                    format!("label the Service or its namespace `{USE_WAYPOINT}=<waypoint>` (`meshctl waypoint apply --enroll-namespace`)"),
                )),
                Some((_, name)) if name == "none" => findings.push(Finding::new(
                    Code::Mesh0804,
                    route,
                    format!("routes Service {svc} in an ambient namespace, which opts out of waypoints ({USE_WAYPOINT}=none): the route is not respected"),
                    format!("remove {USE_WAYPOINT}=none from the Service, or remove the route"),
                )),
                Some((ns, name)) => {
                    if gateways_known(snapshot, &ns) && snapshot.find(K8S_GATEWAY_KEY, &ns, &name).is_none() {
                        findings.push(Finding::new(
                            Code::Mesh0805,
                            route,
                            format!("routes Service {svc}, whose waypoint {ns}/{name} ({USE_WAYPOINT}) does not exist: the route is not respected"),
                            format!("create the waypoint (`meshctl waypoint apply -n {ns} --name {name}`) or correct the {USE_WAYPOINT} label"),
                        ));
                    }
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::testing::{options, snapshot};
    use super::*;

    const AMBIENT: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio.io/dataplane-mode: ambient}}
";
    const SIDECARS: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio-injection: enabled}}
";

    fn found(findings: &[Finding]) -> Vec<(Code, String)> {
        findings
            .iter()
            .map(|f| (f.code, f.resource.to_string()))
            .collect()
    }

    #[test]
    fn mesh0801_ambient_and_sidecar_labels_on_one_namespace() {
        let both = snapshot(
            "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio.io/dataplane-mode: ambient, istio.io/rev: canary}}
",
        );
        let f = dual_enrolment(&both, &options());
        assert_eq!(found(&f), vec![(Code::Mesh0801, "Namespace/prod".into())]);
        assert!(
            f[0].message.contains("istio.io/rev=canary"),
            "{}",
            f[0].message
        );
        for one in [AMBIENT, SIDECARS] {
            assert!(dual_enrolment(&snapshot(one), &options()).is_empty());
        }
        let disabled = snapshot(
            "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio.io/dataplane-mode: ambient, istio-injection: disabled}}
",
        );
        assert!(dual_enrolment(&disabled, &options()).is_empty());
    }

    const L7_POLICY: &str = "
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: get-only, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  rules: [{to: [{operation: {methods: [GET], ports: ['8080']}}], when: [{key: 'request.auth.claims[iss]', values: [x]}]}]
";
    const L4_POLICY: &str = "
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ports, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  rules: [{from: [{source: {principals: [a]}}], to: [{operation: {ports: ['8080']}}], when: [{key: source.ip, values: [10.0.0.1]}]}]
";
    const TARGETED: &str = "
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: waypoint, namespace: prod}
spec:
  targetRefs: [{kind: Service, group: '', name: web}]
  rules: [{to: [{operation: {paths: [/api]}}]}]
";
    const JWT: &str = "
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: {name: jwt, namespace: prod}
spec:
  selector: {matchLabels: {app: web}}
  jwtRules: [{issuer: x}]
";

    #[test]
    fn mesh0802_mesh0803_l7_policies_by_selector_in_ambient() {
        let s = snapshot(&format!(
            "{AMBIENT}---{L7_POLICY}---{L4_POLICY}---{TARGETED}---{JWT}"
        ));
        let f = l7_policies_on_ztunnel(&s, &options());
        assert_eq!(
            found(&f),
            vec![
                (Code::Mesh0802, "AuthorizationPolicy/prod/get-only".into()),
                (Code::Mesh0803, "RequestAuthentication/prod/jwt".into()),
            ]
        );
        assert!(
            f[0].message.contains("to.operation.methods"),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("when request.auth.claims[iss]"));
        assert_eq!(f[1].istio_code, Some("IST0167"));
    }

    #[test]
    fn mesh0802_silent_in_sidecar_namespaces_without_the_namespace_and_for_sidecar_pods() {
        let policies = format!("{L7_POLICY}---{JWT}");
        for s in [
            snapshot(&format!("{SIDECARS}---{policies}")),
            snapshot(&policies),
        ] {
            assert!(l7_policies_on_ztunnel(&s, &options()).is_empty());
        }
        // every selected pod has its own sidecar, which enforces L7
        let pods = "
apiVersion: v1
kind: Pod
metadata: {name: web-0, namespace: prod, labels: {app: web}}
spec: {containers: [{name: web}, {name: istio-proxy}]}
";
        let s = snapshot(&format!("{AMBIENT}---{pods}---{policies}"));
        assert!(l7_policies_on_ztunnel(&s, &options()).is_empty());
    }

    const SERVICE: &str = "
apiVersion: v1
kind: Service
metadata: {name: web, namespace: prod}
spec: {ports: [{port: 80, name: http}]}
";
    const HTTP_ROUTE: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: canary, namespace: prod}
spec:
  parentRefs: [{group: '', kind: Service, name: web, port: 80}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
";
    const VIRTUAL_SERVICE: &str = "
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: prod}
spec: {hosts: [web], http: [{route: [{destination: {host: web}}]}]}
";
    const INGRESS_VS: &str = "
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge, namespace: prod}
spec: {hosts: [web], gateways: [gw], http: [{route: [{destination: {host: web}}]}]}
";
    const WAYPOINT: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: waypoint, namespace: prod}
spec: {gatewayClassName: istio-waypoint, listeners: [{name: mesh, port: 15008, protocol: HBONE}]}
";

    #[test]
    fn mesh0804_routes_for_services_without_a_waypoint() {
        let s = snapshot(&format!(
            "{AMBIENT}---{SERVICE}---{HTTP_ROUTE}---{VIRTUAL_SERVICE}---{INGRESS_VS}"
        ));
        let f = routes_without_waypoint(&s, &options());
        assert_eq!(
            found(&f),
            vec![
                (Code::Mesh0804, "VirtualService/prod/web".into()),
                (Code::Mesh0804, "HTTPRoute/prod/canary".into()),
            ]
        );
        assert!(f[0].message.contains("prod/web"), "{}", f[0].message);
    }

    #[test]
    fn mesh0804_silent_with_a_waypoint_in_sidecar_namespaces_and_without_the_namespace() {
        let labelled = "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}}
";
        let routes = format!("{SERVICE}---{HTTP_ROUTE}---{VIRTUAL_SERVICE}");
        for input in [
            format!("{labelled}---{WAYPOINT}---{routes}"),
            format!("{SIDECARS}---{routes}"),
            routes.clone(),
        ] {
            assert!(
                routes_without_waypoint(&snapshot(&input), &options()).is_empty(),
                "{input}"
            );
        }
        // the Service's own `none` overrides the namespace's waypoint
        let opted_out = SERVICE.replace(
            "namespace: prod}",
            "namespace: prod, labels: {istio.io/use-waypoint: none}}",
        );
        let s = snapshot(&format!(
            "{labelled}---{WAYPOINT}---{opted_out}---{HTTP_ROUTE}"
        ));
        let f = routes_without_waypoint(&s, &options());
        assert_eq!(
            found(&f),
            vec![(Code::Mesh0804, "HTTPRoute/prod/canary".into())]
        );
        assert!(f[0].message.contains("none"));
    }

    #[test]
    fn mesh0804_reads_istiods_resolved_waypoints_message() {
        let status = "
status:
  parents:
  - parentRef: {group: '', kind: Service, name: web}
    controllerName: istio.io/gateway-controller
    conditions:
    - {type: Accepted, status: 'True', reason: Accepted}
    - type: ResolvedWaypoints
      status: 'True'
      reason: ResolvedWaypoints
      message: 'istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be respected'
";
        // istiod's word holds even where the input lacks the Namespace
        let s = snapshot(&format!("{SERVICE}---{HTTP_ROUTE}{status}"));
        let f = routes_without_waypoint(&s, &options());
        assert_eq!(
            found(&f),
            vec![(Code::Mesh0804, "HTTPRoute/prod/canary".into())]
        );
        assert!(
            f[0].message.contains("route will not be respected"),
            "{}",
            f[0].message
        );
        let resolved = status.replace(
            "'istio.io/use-waypoint label missing from parent and parent namespace; in ambient mode, route will not be respected'",
            "All waypoints resolved",
        );
        let s = snapshot(&format!("{SERVICE}---{HTTP_ROUTE}{resolved}"));
        assert!(routes_without_waypoint(&s, &options()).is_empty());
    }

    #[test]
    fn mesh0805_the_named_waypoint_does_not_exist() {
        let labelled = "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wayp0int}}
";
        let s = snapshot(&format!(
            "{labelled}---{WAYPOINT}---{SERVICE}---{HTTP_ROUTE}"
        ));
        let f = routes_without_waypoint(&s, &options());
        assert_eq!(
            found(&f),
            vec![(Code::Mesh0805, "HTTPRoute/prod/canary".into())]
        );
        assert!(f[0].message.contains("prod/wayp0int"), "{}", f[0].message);
        // files without Gateway API Gateways in prod cannot show it is missing
        let s = snapshot(&format!("{labelled}---{SERVICE}---{HTTP_ROUTE}"));
        assert!(routes_without_waypoint(&s, &options()).is_empty());
        let mut live = s.clone();
        live.live = true;
        assert_eq!(routes_without_waypoint(&live, &options()).len(), 1);
    }

    const ENVOY_FILTER: &str = "
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: lua, namespace: prod}
spec: {configPatches: [{applyTo: HTTP_FILTER, patch: {operation: INSERT_BEFORE}}]}
";

    #[test]
    fn mesh0806_envoy_filters_in_ambient_namespaces() {
        let s = snapshot(&format!("{AMBIENT}---{ENVOY_FILTER}"));
        let f = envoy_filters(&s, &options());
        assert_eq!(
            found(&f),
            vec![(Code::Mesh0806, "EnvoyFilter/prod/lua".into())]
        );
        assert_eq!(f[0].istio_code, Some("IST0167"));
        for input in [
            format!("{SIDECARS}---{ENVOY_FILTER}"),
            ENVOY_FILTER.to_string(),
        ] {
            assert!(envoy_filters(&snapshot(&input), &options()).is_empty());
        }
    }

    const WAYPOINT_POD: &str = "
apiVersion: v1
kind: Pod
metadata: {name: wp-1, namespace: prod, labels: {gateway.networking.k8s.io/gateway-name: wp}}
spec: {containers: [{name: istio-proxy, args: [proxy, waypoint]}]}
";

    const SIDECAR_POD: &str = "
apiVersion: v1
kind: Pod
metadata: {name: web-1, namespace: prod}
spec: {containers: [{name: web}, {name: istio-proxy, image: docker.io/istio/proxyv2:1.31.0, args: [proxy, sidecar]}]}
";

    #[test]
    fn mesh0806_a_waypoint_pod_is_not_a_sidecar_the_filter_applies_to() {
        let live = |input: &str| {
            let mut s = snapshot(input);
            s.live = true;
            envoy_filters(&s, &options())
        };
        let f = live(&format!("{AMBIENT}---{ENVOY_FILTER}---{WAYPOINT_POD}"));
        assert_eq!(
            found(&f),
            vec![(Code::Mesh0806, "EnvoyFilter/prod/lua".into())]
        );
        // a filter whose every selected pod runs a sidecar does apply there
        assert!(live(&format!("{AMBIENT}---{ENVOY_FILTER}---{SIDECAR_POD}")).is_empty());
        // the waypoint among sidecars changes nothing: the sidecars apply it
        let both = format!("{AMBIENT}---{ENVOY_FILTER}---{SIDECAR_POD}---{WAYPOINT_POD}");
        assert!(live(&both).is_empty());
    }
}
