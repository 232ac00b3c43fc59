//! Reads the snapshot from the cluster: the application namespace, the Istio namespace (mesh-wide
//! policies, the control plane, gateway pods and their credentials), Gateways and ReferenceGrants
//! everywhere (the Gateway API's only where its CRDs are installed), in parallel.

use kube::api::{Api, DynamicObject, ListParams, Resource, TypeMeta};
use kube::core::Request;
use serde_json::{Map, Value};

use super::kinds::{self, ApiKind};
use super::{Error, MeshSnapshot, Result};

/// Where each kind of the table is read.
#[derive(Clone, Copy)]
enum Scope {
    Cluster,
    App,
    AppAndIstio,
}

/// What troubleshooting and health look at.
const READ: &[(ApiKind, Scope)] = &[
    (kinds::NAMESPACE, Scope::Cluster),
    (kinds::POD, Scope::AppAndIstio),
    // The Istio namespace's too: the ingress gateway's Service says which ports it exposes.
    (kinds::SERVICE, Scope::AppAndIstio),
    (kinds::DEPLOYMENT, Scope::AppAndIstio),
    (kinds::REPLICA_SET, Scope::App),
    (kinds::RESOURCE_QUOTA, Scope::App),
    (kinds::LIMIT_RANGE, Scope::App),
    (kinds::GATEWAY, Scope::Cluster),
    (kinds::VIRTUAL_SERVICE, Scope::App),
    (kinds::DESTINATION_RULE, Scope::App),
    // Exported to every namespace by default: a route anywhere may name their hosts.
    (kinds::SERVICE_ENTRY, Scope::Cluster),
    (kinds::ENVOY_FILTER, Scope::App),
    (kinds::PEER_AUTHENTICATION, Scope::AppAndIstio),
    (kinds::REQUEST_AUTHENTICATION, Scope::AppAndIstio),
    (kinds::AUTHORIZATION_POLICY, Scope::App),
    // Routes attach to Gateways and reach Services in other namespaces, where the grants live.
    (kinds::K8S_GATEWAY, Scope::Cluster),
    (kinds::HTTP_ROUTE, Scope::App),
    (kinds::GRPC_ROUTE, Scope::App),
    (kinds::REFERENCE_GRANT, Scope::Cluster),
];

/// Everything the analyzers read, in `namespace` (`None`: every namespace, one list per kind)
/// and the Istio namespace; any list that fails is an error, since a rule that misses a kind
/// would report wrong findings.
pub async fn from_cluster(
    client: &kube::Client,
    namespace: Option<&str>,
    istio_namespace: &str,
) -> Result<MeshSnapshot> {
    lists(client, namespace, istio_namespace, false, &|_| true)
        .await?
        .complete(client, istio_namespace)
        .await
}

/// The snapshot's lists, read: what a caller can start on (health's control-plane checks read
/// the Istio namespace's Deployments and pods from them) before the snapshot is made.
pub struct Listed {
    objects: Vec<DynamicObject>,
    unread: Vec<String>,
}

impl Listed {
    pub fn objects(&self) -> &[DynamicObject] {
        &self.objects
    }

    /// The objects of `kind` in `namespace` that `wanted` keeps, typed; one that does not parse is
    /// left out. Only those are converted: typing every pod of a namespace costs milliseconds.
    pub fn typed_in<K: Resource + serde::de::DeserializeOwned>(
        &self,
        kind: &str,
        namespace: &str,
        wanted: impl Fn(&DynamicObject) -> bool,
    ) -> Vec<K> {
        self.objects
            .iter()
            .filter(|o| super::kind_of(o) == kind && super::namespace_of(o) == namespace)
            .filter(|o| wanted(o))
            // What `DynamicObject::try_parse` does, from a borrow: no copy of the object first.
            .filter_map(|o| {
                serde_json::to_value(o)
                    .and_then(serde_json::from_value)
                    .ok()
            })
            .collect()
    }

    /// Lists the identity was not allowed to make, as `MeshSnapshot::unread` names them.
    pub fn unread(&self) -> &[String] {
        &self.unread
    }

    /// The snapshot: these objects and `secrets`.
    pub fn into_snapshot(mut self, secrets: Vec<DynamicObject>) -> MeshSnapshot {
        self.objects.extend(secrets);
        let mut snapshot = MeshSnapshot::new(self.objects);
        snapshot.has_workloads = true;
        snapshot.live = true;
        snapshot.unread = self.unread;
        snapshot
    }

    async fn complete(self, client: &kube::Client, istio_namespace: &str) -> Result<MeshSnapshot> {
        // The credential Secrets the Gateways of these lists name.
        let secrets = credential_secrets(client, &self.objects, istio_namespace).await?;
        Ok(self.into_snapshot(secrets))
    }
}

/// As much as the identity may read of the kinds `wanted` names, without the Secrets: lists it
/// is forbidden to make are named in `MeshSnapshot::unread` instead of failing the whole read
/// (health with the `view` role). The injector's ConfigMap is read when `wanted` has ConfigMaps.
pub async fn readable_lists(
    client: &kube::Client,
    namespace: Option<&str>,
    istio_namespace: &str,
    wanted: &[ApiKind],
) -> Result<Listed> {
    lists(client, namespace, istio_namespace, true, &|kind| {
        wanted.contains(kind)
    })
    .await
}

/// The namespaces a kind of the table is listed in (`None`: cluster-wide, one call).
fn scopes<'a>(scope: Scope, namespace: Option<&'a str>, istio: &'a str) -> Vec<Option<&'a str>> {
    match (scope, namespace) {
        (Scope::Cluster, _) | (_, None) => vec![None],
        (Scope::App, Some(ns)) => vec![Some(ns)],
        (Scope::AppAndIstio, Some(ns)) if ns == istio => vec![Some(ns)],
        (Scope::AppAndIstio, Some(ns)) => vec![Some(ns), Some(istio)],
    }
}

async fn lists(
    client: &kube::Client,
    namespace: Option<&str>,
    istio_namespace: &str,
    partial: bool,
    wants: &dyn Fn(&ApiKind) -> bool,
) -> Result<Listed> {
    let mut lists = Vec::new();
    for (kind, scope) in READ.iter().filter(|(kind, _)| wants(kind)) {
        for ns in scopes(*scope, namespace, istio_namespace) {
            lists.push(list(client, kind, ns));
        }
    }
    // The injector's ConfigMap depends on no list: it goes out with them.
    let injector = async {
        if wants(&kinds::CONFIG_MAP) {
            injector_config(client, istio_namespace).await
        } else {
            None
        }
    };
    let (outcomes, injector) = futures::join!(futures::future::join_all(lists), injector);
    let mut objects = Vec::new();
    let mut unread = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(list) => objects.extend(list),
            Err(Error::List {
                plural,
                namespace,
                source: kube::Error::Api(status),
            }) if partial && status.code == 403 => {
                unread.push(match namespace {
                    Some(ns) => format!("{plural} in {ns}"),
                    None => format!("{plural} in all namespaces"),
                });
            }
            Err(e) => return Err(e),
        }
    }
    objects.extend(injector);
    Ok(Listed { objects, unread })
}

/// Only the routing config of one namespace: what `traffic-test --from-config` needs, readable
/// with the `view` role. VirtualServices, DestinationRules and HTTPRoutes (none without the
/// Gateway API's CRDs) must be read; the namespace's Services (which version each selects, its
/// waypoint label), Gateway API Gateways (which are waypoints) and the Namespace (injected or
/// ambient) only inform, so a refusal leaves them out. Errors are reported in that order, whichever list fails first.
pub async fn routing_from_cluster(
    client: &kube::Client,
    namespace: &str,
) -> Result<MeshSnapshot, kube::Error> {
    let required = [
        kinds::VIRTUAL_SERVICE,
        kinds::DESTINATION_RULE,
        kinds::HTTP_ROUTE,
    ]
    .into_iter()
    .map(|kind| async move {
        match raw_list(client, &kind, Some(namespace)).await {
            Err(kube::Error::Api(status))
                if status.code == 404 && kind.group == kinds::GATEWAY_API =>
            {
                Ok(Vec::new())
            }
            outcome => outcome,
        }
    });
    // Gateways: which parents are waypoints (an HTTPRoute bound to one is mesh routing).
    let informing = [kinds::SERVICE, kinds::K8S_GATEWAY]
        .into_iter()
        .map(|kind| async move {
            match raw_list(client, &kind, Some(namespace)).await {
                Err(kube::Error::Api(status)) if status.code == 403 || status.code == 404 => {
                    Ok(Vec::new())
                }
                outcome => outcome,
            }
        });
    let (lists, informing, own) = futures::join!(
        futures::future::join_all(required),
        futures::future::join_all(informing),
        namespace_object(client, namespace)
    );
    let mut objects = Vec::new();
    for list in lists.into_iter().chain(informing) {
        objects.extend(list?);
    }
    objects.extend(own);
    Ok(MeshSnapshot::new(objects))
}

/// The Namespace itself, when the identity may read it.
async fn namespace_object(client: &kube::Client, namespace: &str) -> Option<DynamicObject> {
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &kinds::NAMESPACE.api_resource());
    let mut object = api.get_opt(namespace).await.ok()??;
    object.types = Some(TypeMeta {
        api_version: "v1".into(),
        kind: "Namespace".into(),
    });
    Some(object)
}

async fn list(
    client: &kube::Client,
    kind: &ApiKind,
    namespace: Option<&str>,
) -> Result<Vec<DynamicObject>> {
    match raw_list(client, kind, namespace).await {
        // The Gateway API is optional: without its CRDs there is none of it to analyze.
        Err(kube::Error::Api(status)) if status.code == 404 && kind.group == kinds::GATEWAY_API => {
            Ok(Vec::new())
        }
        outcome => outcome.map_err(|source| Error::List {
            plural: kind.plural,
            namespace: namespace.map(str::to_string),
            source,
        }),
    }
}

/// A list response as it comes: items decoded into objects by hand, since `DynamicObject`'s
/// own deserializer (two `flatten`ed fields) buffers each object twice, and managedFields
/// (often half of an object's bytes) are never read.
#[derive(serde::Deserialize)]
struct RawList {
    items: Vec<Map<String, Value>>,
}

/// Every object of a kind in one call: no `limit`, so the API server answers with the whole
/// list at once rather than pages of 500 fetched one after another.
async fn raw_list(
    client: &kube::Client,
    kind: &ApiKind,
    namespace: Option<&str>,
) -> Result<Vec<DynamicObject>, kube::Error> {
    let resource = kind.api_resource();
    let request = Request::new(DynamicObject::url_path(&resource, namespace))
        .list(&ListParams::default())
        .map_err(kube::Error::BuildRequest)?;
    let list: RawList = client.request(request).await?;
    let types = TypeMeta {
        api_version: resource.api_version.clone(),
        kind: resource.kind.clone(),
    };
    list.items
        .into_iter()
        .map(|mut item| {
            // The API server leaves apiVersion and kind out of list items of built-in kinds.
            item.remove("apiVersion");
            item.remove("kind");
            if let Some(Value::Object(metadata)) = item.get_mut("metadata") {
                metadata.remove("managedFields");
            }
            super::decode::typed(types.clone(), item).map_err(kube::Error::SerdeError)
        })
        .collect()
}

/// Only the Secrets Gateways name as `credentialName`: where Istio looks (the namespaces of the
/// gateway's pods), and the Gateway's and the Istio namespace, to say where a
/// misplaced one is. Listing every Secret is not needed.
async fn credential_secrets(
    client: &kube::Client,
    objects: &[DynamicObject],
    istio_namespace: &str,
) -> Result<Vec<DynamicObject>> {
    let resource = kinds::SECRET.api_resource();
    let types = TypeMeta {
        api_version: "v1".into(),
        kind: "Secret".into(),
    };
    let mut wanted = std::collections::BTreeSet::new();
    for gateway in objects.iter().filter(|o| super::kind_of(o) == "Gateway") {
        // Istio reads the Secret where the gateway's pods run.
        let workload_namespaces = super::json::gateway_pod_namespaces(objects, gateway);
        for name in super::json::credential_names(gateway) {
            wanted.insert((super::namespace_of(gateway).to_string(), name.clone()));
            wanted.insert((istio_namespace.to_string(), name.clone()));
            for namespace in &workload_namespaces {
                wanted.insert((namespace.clone(), name.clone()));
            }
        }
    }
    // One wave: each Secret is read at the same time as the others.
    let reads = wanted.into_iter().map(|(namespace, name)| {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &namespace, &resource);
        async move { (api.get_opt(&name).await, namespace, name) }
    });
    let mut found = Vec::new();
    for (read, namespace, name) in futures::future::join_all(reads).await {
        match read {
            Ok(Some(mut secret)) => {
                secret.types = Some(types.clone());
                found.push(secret);
            }
            Ok(None) => {}
            // Not allowed to read Secrets: the certificate rules say nothing rather than guess.
            Err(kube::Error::Api(status)) if status.code == 403 => {}
            Err(source) => {
                return Err(Error::Secret {
                    namespace,
                    name,
                    source,
                });
            }
        }
    }
    Ok(found)
}

/// The sidecar injector's ConfigMap (the proxy's resources for capacity rules); without it, or
/// without the right to read it, those rules use the pinned profile's defaults.
async fn injector_config(client: &kube::Client, istio_namespace: &str) -> Option<DynamicObject> {
    let api: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        istio_namespace,
        &kinds::CONFIG_MAP.api_resource(),
    );
    let mut config = api.get_opt("istio-sidecar-injector").await.ok()??;
    config.types = Some(TypeMeta {
        api_version: "v1".into(),
        kind: "ConfigMap".into(),
    });
    Some(config)
}
