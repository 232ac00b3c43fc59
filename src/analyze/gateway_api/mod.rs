//! Gateway API checks (`gateway.networking.k8s.io`): routes that attach to Gateways and listeners
//! that exist and admit them, backends that exist, cross-namespace references a ReferenceGrant
//! permits, weights that carry traffic and, live, the status conditions the controller wrote.
//! istioctl analyze only echoes that status; these rules read the spec, so files are judged too.

mod allowed;
mod backends;
mod grants;
mod hostnames;
mod parents;
mod status;

use std::collections::{BTreeMap, HashMap, HashSet};

use kube::api::DynamicObject;
use serde_json::Value;

use super::{AnalyzeOptions, NamespaceScope};
use crate::snapshot::kinds::{self, ApiKind};
use crate::snapshot::{MeshSnapshot, kind_of, labels_of, name_of, namespace_of};

pub use backends::backend_refs;
pub use grants::cross_namespace;
pub use parents::parent_refs;
pub use status::conditions;

/// The route kinds these rules read (both have `parentRefs`, `hostnames` and
/// `rules[].backendRefs`).
const ROUTE_KINDS: [&str; 2] = [kinds::HTTP_ROUTE.kind, kinds::GRPC_ROUTE.kind];

fn routes(snapshot: &MeshSnapshot) -> impl Iterator<Item = &DynamicObject> {
    snapshot
        .objects()
        .iter()
        .filter(|o| ROUTE_KINDS.contains(&kind_of(o)))
}

/// One reference as the Gateway API writes it, its defaults filled in: the group and kind the
/// field implies, the namespace of the object that holds the reference.
#[derive(Debug, Clone, Copy)]
struct Ref<'a> {
    group: &'a str,
    kind: &'a str,
    namespace: &'a str,
    name: &'a str,
}

impl<'a> Ref<'a> {
    fn read(value: &'a Value, group: &'a str, kind: &'a str, namespace: &'a str) -> Self {
        let text = |key: &str, default: &'a str| value[key].as_str().unwrap_or(default);
        Self {
            group: text("group", group),
            kind: text("kind", kind),
            namespace: text("namespace", namespace),
            name: text("name", ""),
        }
    }

    fn is(&self, kind: &ApiKind) -> bool {
        self.group == kind.group && self.kind == kind.kind
    }
}

impl std::fmt::Display for Ref<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
    }
}

/// What references resolve to, indexed once per rule so that each lookup is a map read, and
/// which namespaces the input can speak for: a rule never reports a missing object that the
/// input could not hold (a route's chart rarely holds the shared Gateway's namespace).
struct Index<'a> {
    snapshot: &'a MeshSnapshot,
    gateways: HashMap<(&'a str, &'a str), &'a DynamicObject>,
    services: HashMap<(&'a str, &'a str), &'a DynamicObject>,
    grants: HashMap<&'a str, Vec<&'a DynamicObject>>,
    namespace_labels: HashMap<&'a str, &'a BTreeMap<String, String>>,
    /// Namespaces holding at least one object of the input.
    namespaces: HashSet<&'a str>,
    gateway_namespaces: HashSet<&'a str>,
    service_namespaces: HashSet<&'a str>,
    /// Live, the namespaces whose Services were listed.
    scope: &'a NamespaceScope,
}

impl<'a> Index<'a> {
    fn new(snapshot: &'a MeshSnapshot, opts: &'a AnalyzeOptions) -> Self {
        let mut index = Self {
            snapshot,
            gateways: HashMap::new(),
            services: HashMap::new(),
            grants: HashMap::new(),
            namespace_labels: HashMap::new(),
            namespaces: HashSet::new(),
            gateway_namespaces: HashSet::new(),
            service_namespaces: HashSet::new(),
            scope: &opts.scope,
        };
        for o in snapshot.objects() {
            let key = (namespace_of(o), name_of(o));
            index.namespaces.insert(key.0);
            match kind_of(o) {
                kinds::K8S_GATEWAY_KEY => {
                    index.gateways.insert(key, o);
                    index.gateway_namespaces.insert(key.0);
                }
                "Service" => {
                    index.services.insert(key, o);
                    index.service_namespaces.insert(key.0);
                }
                "ReferenceGrant" => index.grants.entry(key.0).or_default().push(o),
                "Namespace" => {
                    index.namespace_labels.insert(key.1, labels_of(o));
                }
                _ => {}
            }
        }
        index
    }

    fn gateway(&self, r: &Ref) -> Option<&'a DynamicObject> {
        self.gateways.get(&(r.namespace, r.name)).copied()
    }

    fn service(&self, r: &Ref) -> Option<&'a DynamicObject> {
        self.services.get(&(r.namespace, r.name)).copied()
    }

    fn grants_in(&self, namespace: &str) -> &[&'a DynamicObject] {
        self.grants.get(namespace).map_or(&[], Vec::as_slice)
    }

    /// Live, Gateways are listed in every namespace; from files, only a namespace whose Gateways
    /// the files hold is known.
    fn knows_gateways_in(&self, namespace: &str) -> bool {
        if self.snapshot.live {
            listed(self.snapshot, &kinds::K8S_GATEWAY)
        } else {
            self.gateway_namespaces.contains(namespace)
        }
    }

    /// Live, Services are listed in the application namespace (and wherever some were read).
    fn knows_services_in(&self, namespace: &str) -> bool {
        self.service_namespaces.contains(namespace)
            || (self.snapshot.live
                && match self.scope {
                    NamespaceScope::All => true,
                    NamespaceScope::One(listed_in) => namespace == listed_in,
                }
                && listed(self.snapshot, &kinds::SERVICE))
    }

    /// Live, ReferenceGrants are listed in every namespace; from files, a namespace the files say
    /// nothing about may hold the grant.
    fn knows_grants_in(&self, namespace: &str) -> bool {
        if self.snapshot.live {
            listed(self.snapshot, &kinds::REFERENCE_GRANT)
        } else {
            self.namespaces.contains(namespace)
        }
    }
}

/// The identity was allowed to list this kind (the `view` role cannot read Gateway API objects
/// unless the cluster aggregates them into it).
fn listed(snapshot: &MeshSnapshot, kind: &ApiKind) -> bool {
    let prefix = format!("{} in ", kind.plural);
    !snapshot.unread.iter().any(|u| u.starts_with(&prefix))
}

#[cfg(test)]
mod testing {
    /// A Gateway in `infra` with an HTTP listener for `*.example.com` open to every namespace, an
    /// HTTPS one whose certificate lives in `certs` (granted), a route in `prod` to a Service
    /// there and to one in `shared` (granted): everything correct, no finding.
    pub const CORRECT: &str = "
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: '*.example.com'
    allowedRoutes: {namespaces: {from: All}}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: shop.example.com
    tls: {mode: Terminate, certificateRefs: [{name: shop-cert, namespace: certs}]}
    allowedRoutes:
      namespaces: {from: Selector, selector: {matchLabels: {gateway-access: 'true'}}}
      kinds: [{kind: HTTPRoute}]
---
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {gateway-access: 'true', istio-injection: enabled}}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: gateway-certs, namespace: certs}
spec:
  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}]
  to: [{group: '', kind: Secret, name: shop-cert}]
---
apiVersion: v1
kind: Secret
metadata: {name: shop-cert, namespace: certs}
type: kubernetes.io/tls
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: prod}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: search, namespace: shared}
spec: {ports: [{name: http, port: 9000}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: prod-routes, namespace: shared}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: prod}]
  to: [{group: '', kind: Service}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: prod}
spec:
  parentRefs: [{name: web, namespace: infra, sectionName: http}, {name: web, namespace: infra, port: 443}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /search}}]
    backendRefs: [{name: search, namespace: shared, port: 9000}]
  - backendRefs: [{name: shop, port: 8080, weight: 90}, {name: shop, port: 8080, weight: 0}]
";

    pub fn snapshot(yaml: &str) -> crate::snapshot::MeshSnapshot {
        crate::analyze::testing::snapshot(yaml)
    }

    /// The findings of the whole analyzer, as `(code, resource)`.
    pub fn findings(yaml: &str) -> Vec<(String, String)> {
        // Files are analyzed in every namespace they hold.
        let opts = crate::analyze::AnalyzeOptions {
            scope: super::NamespaceScope::All,
            ..crate::analyze::testing::options()
        };
        let findings = crate::analyze::analyze(&snapshot(yaml), &opts);
        findings
            .iter()
            .map(|f| (f.code.to_string(), f.resource.to_string()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{CORRECT, findings};

    #[test]
    fn a_correct_gateway_route_service_and_grants_give_nothing() {
        assert_eq!(findings(CORRECT), Vec::<(String, String)>::new());
    }
}
