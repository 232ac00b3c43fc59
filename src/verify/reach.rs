//! Whether the mesh's routing can apply to the requests traffic-test sends. It sends from the
//! operator's machine, outside the mesh: a route bound to a gateway applies when the URL goes
//! through that gateway, but mesh routing (a VirtualService bound only to `mesh`, an HTTPRoute
//! whose parent is a Service or a waypoint) is applied by the client's sidecar or, in ambient, by
//! the Service's waypoint, and so only to requests from inside the mesh. Each doubt is a warning,
//! not a verdict.

use std::collections::BTreeSet;

use kube::api::DynamicObject;
use serde::Serialize;

use super::pick::is_service_parent;
use crate::snapshot::json::{array, fqdn, injection_enabled, spec, strings};
use crate::snapshot::kinds::K8S_GATEWAY_KEY;
use crate::snapshot::{MeshSnapshot, kind_of, labels_of, name_of, namespace_of};

const DATAPLANE_MODE: &str = "istio.io/dataplane-mode";
const USE_WAYPOINT: &str = "istio.io/use-waypoint";
const WAYPOINT_CLASS: &str = "istio-waypoint";
/// Why the route may not apply to the generated traffic (stable ids for `-o json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// Mesh routing, and traffic-test's client is outside the mesh.
    ClientOutsideMesh,
    /// An ambient Service without a waypoint: ztunnel forwards at L4, no L7 route applies.
    NoWaypoint,
    /// istiod says the route is not respected (its `ResolvedWaypoints` condition).
    RouteNotRespected,
    /// The routed Service's namespace is neither injected nor ambient.
    NamespaceOutsideMesh,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoutingWarning {
    pub id: Reach,
    pub message: String,
}

/// The warnings on `route`, the VirtualService or HTTPRoute the expectations come from.
pub fn warnings(snapshot: &MeshSnapshot, route: &DynamicObject) -> Vec<RoutingWarning> {
    let mut found: Vec<RoutingWarning> = crate::snapshot::json::route_not_respected(route)
        .into_iter()
        .map(|message| RoutingWarning {
            id: Reach::RouteNotRespected,
            message: format!("istiod says of {}: {message}", title(route)),
        })
        .collect();
    let binding = Binding::of(snapshot, route);
    if binding.gateway {
        // The gateway applies the route to what passes through it, whoever sends it.
        return found;
    }
    found.push(client_outside_mesh(route, &binding));
    let mut judged = BTreeSet::new();
    for (namespace, service) in &binding.services {
        let Some(labels) = snapshot.namespace_labels(namespace) else {
            continue; // a file without the Namespace: its enrolment is unknown
        };
        let ambient = labels.get(DATAPLANE_MODE).is_some_and(|m| m == "ambient");
        if !ambient && !injection_enabled(labels) && judged.insert(namespace.clone()) {
            found.push(RoutingWarning {
                id: Reach::NamespaceOutsideMesh,
                message: format!(
                    "namespace {namespace} is neither injected (istio-injection=enabled or \
                     istio.io/rev) nor ambient ({DATAPLANE_MODE}=ambient): no sidecar or waypoint \
                     serves Service {namespace}/{service}, so {} applies only to clients whose own \
                     sidecar applies it",
                    title(route)
                ),
            });
        }
        if !ambient {
            continue;
        }
        let own = snapshot
            .find("Service", namespace, service)
            .and_then(|svc| labels_of(svc).get(USE_WAYPOINT));
        let waypoint = own.or(labels.get(USE_WAYPOINT));
        let why = match waypoint.map(String::as_str) {
            None => {
                format!("neither the Service nor namespace {namespace} is labelled {USE_WAYPOINT}")
            }
            Some("none") => format!("it opts out of waypoints ({USE_WAYPOINT}=none)"),
            Some(_) => continue,
        };
        found.push(RoutingWarning {
            id: Reach::NoWaypoint,
            message: format!(
                "Service {namespace}/{service} is in an ambient namespace and has no waypoint ({why}): \
                 ztunnel forwards its traffic at L4, so no L7 routing applies, {}'s weights and \
                 matches included, even to requests from inside the mesh; give it one with \
                 `meshctl waypoint apply -n {namespace} --enroll-namespace`",
                title(route)
            ),
        });
    }
    found
}

/// Where a route is bound: to a gateway (north-south), and to which Services or waypoints as
/// mesh routing.
struct Binding {
    gateway: bool,
    /// `(namespace, name)` of each Service the route is mesh routing for.
    services: Vec<(String, String)>,
    /// `(namespace, name)` of each waypoint (a Gateway of class `istio-waypoint`) it is bound to.
    waypoints: Vec<(String, String)>,
}

impl Binding {
    fn of(snapshot: &MeshSnapshot, route: &DynamicObject) -> Self {
        let namespace = namespace_of(route);
        let s = spec(route);
        if kind_of(route) == "VirtualService" {
            // No `gateways` means `mesh`; a gateway listed with or without `mesh` binds it too.
            let gateways = strings(&s["gateways"]);
            let services = strings(&s["hosts"])
                .iter()
                .filter_map(|host| cluster_service(&fqdn(host, namespace)))
                .collect();
            return Self {
                gateway: gateways.iter().any(|g| g != "mesh"),
                services,
                waypoints: Vec::new(),
            };
        }
        let mut binding = Self {
            gateway: false,
            services: Vec::new(),
            waypoints: Vec::new(),
        };
        for parent in array(&s["parentRefs"]) {
            let at = parent["namespace"]
                .as_str()
                .unwrap_or(namespace)
                .to_string();
            let Some(name) = parent["name"].as_str().map(str::to_string) else {
                continue;
            };
            if is_service_parent(parent) {
                binding.services.push((at, name));
            } else if is_waypoint(snapshot, &at, &name) {
                binding.waypoints.push((at, name));
            } else {
                binding.gateway = true;
            }
        }
        binding
    }
}

/// Is the Gateway `namespace/name` a waypoint? Only when the input holds it.
fn is_waypoint(snapshot: &MeshSnapshot, namespace: &str, name: &str) -> bool {
    snapshot
        .find(K8S_GATEWAY_KEY, namespace, name)
        .is_some_and(|gateway| spec(gateway)["gatewayClassName"].as_str() == Some(WAYPOINT_CLASS))
}

/// `(namespace, name)` of a cluster Service's fully qualified name.
fn cluster_service(fqdn: &str) -> Option<(String, String)> {
    let rest = fqdn.strip_suffix(".svc.cluster.local")?;
    let (name, namespace) = rest.split_once('.')?;
    (!namespace.contains('.')).then(|| (namespace.to_string(), name.to_string()))
}

fn title(route: &DynamicObject) -> String {
    format!(
        "{} {}/{}",
        kind_of(route),
        namespace_of(route),
        name_of(route)
    )
}

fn client_outside_mesh(route: &DynamicObject, binding: &Binding) -> RoutingWarning {
    let (what, fix) = if kind_of(route) == "VirtualService" {
        (
            "is bound to no gateway (only `mesh`)".to_string(),
            "add the ingress gateway to its spec.gateways",
        )
    } else {
        let services = binding
            .services
            .iter()
            .map(|(ns, name)| format!("Service {ns}/{name}"));
        let waypoints = binding
            .waypoints
            .iter()
            .map(|(ns, name)| format!("waypoint {ns}/{name}"));
        let parents: Vec<String> = services.chain(waypoints).collect();
        (
            format!("is mesh routing (its parent is {})", parents.join(", ")),
            "add the ingress Gateway to its parentRefs",
        )
    };
    RoutingWarning {
        id: Reach::ClientOutsideMesh,
        message: format!(
            "{} {what}: it is applied inside the mesh, by the calling pod's sidecar or, in \
             ambient, by the Service's waypoint. traffic-test sends from this machine, outside \
             the mesh: requests to a pod, a port-forward, a NodePort or a LoadBalancer bypass the \
             route, and the split measured is not the route's. To test the route, send through \
             the ingress gateway and {fix}, or in ambient label the Service \
             istio.io/ingress-use-waypoint=true",
            title(route)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GAMMA: &str = "
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: NS}
spec: {selector: {app: reviews}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: reviews, namespace: NS}
spec:
  parentRefs: [{kind: Service, group: '', name: reviews}]
  rules: [{backendRefs: [{name: reviews-v1, port: 80, weight: 90}, {name: reviews-v2, port: 80, weight: 10}]}]
";

    /// The ids of the warnings on the snapshot's only route, with the Namespace labelled so.
    fn judged(route: &str, namespace_labels: Option<&str>) -> Vec<Reach> {
        let mut yaml = route.replace("NS", "shop");
        if let Some(labels) = namespace_labels {
            yaml.push_str(&format!(
                "---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: shop, labels: {labels}}}\n"
            ));
        }
        let snapshot = MeshSnapshot::from_yaml(&yaml, "shop");
        let route = snapshot
            .objects()
            .iter()
            .find(|o| ["HTTPRoute", "VirtualService"].contains(&kind_of(o)))
            .expect("a route");
        warnings(&snapshot, route).iter().map(|w| w.id).collect()
    }

    #[test]
    fn a_route_bound_to_a_gateway_applies_to_what_comes_through_it() {
        let north_south =
            GAMMA.replace("{kind: Service, group: '', name: reviews}", "{name: edge}");
        assert_eq!(judged(&north_south, Some("{}")), vec![]);
        // Mesh and gateway both: the gateway applies it.
        let both = GAMMA.replace(
            "group: '', name: reviews}",
            "group: '', name: reviews}, {name: edge}",
        );
        assert_eq!(judged(&both, Some("{}")), vec![]);
    }

    #[test]
    fn mesh_routing_warns_that_the_client_is_outside_the_mesh() {
        let injected = judged(GAMMA, Some("{istio-injection: enabled}"));
        assert_eq!(injected, vec![Reach::ClientOutsideMesh]);
        let waypoint = "{istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}";
        assert_eq!(
            judged(GAMMA, Some(waypoint)),
            vec![Reach::ClientOutsideMesh]
        );
        // From a file without the Namespace its enrolment is unknown: no guess.
        assert_eq!(judged(GAMMA, None), vec![Reach::ClientOutsideMesh]);
    }

    #[test]
    fn a_route_bound_to_a_waypoint_is_mesh_routing_and_to_another_gateway_is_not() {
        let on_gateway = GAMMA.replace("{kind: Service, group: '', name: reviews}", "{name: wp}");
        let class = |class: &str| {
            format!(
                "{on_gateway}---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: wp, namespace: NS}}
spec: {{gatewayClassName: {class}, listeners: [{{name: mesh, port: 15008, protocol: HBONE}}]}}
"
            )
        };
        let ambient = Some("{istio.io/dataplane-mode: ambient}");
        assert_eq!(
            judged(&class("istio-waypoint"), ambient),
            vec![Reach::ClientOutsideMesh]
        );
        assert_eq!(judged(&class("istio"), ambient), vec![]);
    }

    #[test]
    fn an_ambient_service_without_a_waypoint_gets_no_l7_routing() {
        let ambient = "{istio.io/dataplane-mode: ambient}";
        assert_eq!(
            judged(GAMMA, Some(ambient)),
            vec![Reach::ClientOutsideMesh, Reach::NoWaypoint]
        );
        // The Service's own label wins over the namespace's, both ways.
        let own = GAMMA.replace(
            "metadata: {name: reviews, namespace: NS}\nspec: {selector",
            "metadata: {name: reviews, namespace: NS, labels: {istio.io/use-waypoint: wp}}\nspec: {selector",
        );
        assert_eq!(judged(&own, Some(ambient)), vec![Reach::ClientOutsideMesh]);
        let opted_out = own.replace("use-waypoint: wp", "use-waypoint: none");
        let namespace_waypoint = "{istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp}";
        assert_eq!(
            judged(&opted_out, Some(namespace_waypoint)),
            vec![Reach::ClientOutsideMesh, Reach::NoWaypoint]
        );
    }

    #[test]
    fn a_namespace_neither_injected_nor_ambient_is_outside_the_mesh() {
        assert_eq!(
            judged(GAMMA, Some("{team: shop}")),
            vec![Reach::ClientOutsideMesh, Reach::NamespaceOutsideMesh]
        );
        let vs = "
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews, namespace: NS}
spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews}}]}]}
";
        assert_eq!(
            judged(vs, Some("{}")),
            vec![Reach::ClientOutsideMesh, Reach::NamespaceOutsideMesh]
        );
        assert_eq!(
            judged(vs, Some("{istio.io/rev: canary}")),
            vec![Reach::ClientOutsideMesh]
        );
        let gateway_vs = vs.replace("spec: {hosts", "spec: {gateways: [edge], hosts");
        assert_eq!(judged(&gateway_vs, Some("{}")), vec![]);
    }

    #[test]
    fn istiods_word_that_the_route_is_not_respected_is_repeated() {
        let with_status = format!(
            "{GAMMA}status:
  parents:
  - parentRef: {{kind: Service, group: '', name: reviews}}
    conditions:
    - {{type: ResolvedWaypoints, status: 'True', message: 'bound to a Service without a waypoint; the route will not be respected'}}
"
        );
        let ids = judged(&with_status, Some("{istio-injection: enabled}"));
        assert_eq!(
            ids,
            vec![Reach::RouteNotRespected, Reach::ClientOutsideMesh]
        );
    }
}
