//! Reads the snapshot from the cluster: the application namespace, the Istio namespace (mesh-wide
//! policies, the control plane, gateway pods and their credentials) and Gateways everywhere, in
//! parallel.

use futures::future::try_join_all;
use kube::api::{Api, DynamicObject, ListParams, TypeMeta};

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
    (kinds::SERVICE, Scope::App),
    (kinds::DEPLOYMENT, Scope::AppAndIstio),
    (kinds::REPLICA_SET, Scope::App),
    (kinds::RESOURCE_QUOTA, Scope::App),
    (kinds::LIMIT_RANGE, Scope::App),
    (kinds::GATEWAY, Scope::Cluster),
    (kinds::VIRTUAL_SERVICE, Scope::App),
    (kinds::DESTINATION_RULE, Scope::App),
    (kinds::PEER_AUTHENTICATION, Scope::AppAndIstio),
    (kinds::REQUEST_AUTHENTICATION, Scope::AppAndIstio),
    (kinds::AUTHORIZATION_POLICY, Scope::App),
];

/// Everything the analyzers read; any list that fails is an error, since a rule that misses a
/// kind would report wrong findings.
pub async fn from_cluster(
    client: &kube::Client,
    namespace: Option<&str>,
    istio_namespace: &str,
) -> Result<MeshSnapshot> {
    read(client, namespace, istio_namespace, false).await
}

/// As much as the identity may read: lists it is forbidden to make are named in
/// `MeshSnapshot::unread` instead of failing the whole read (health with the `view` role).
pub async fn readable_from_cluster(
    client: &kube::Client,
    namespace: Option<&str>,
    istio_namespace: &str,
) -> Result<MeshSnapshot> {
    read(client, namespace, istio_namespace, true).await
}

async fn read(
    client: &kube::Client,
    namespace: Option<&str>,
    istio_namespace: &str,
    partial: bool,
) -> Result<MeshSnapshot> {
    let mut lists = Vec::new();
    for (kind, scope) in READ {
        // `None` is every namespace: one cluster-wide list per kind.
        let namespaces: Vec<Option<&str>> = match (scope, namespace) {
            (Scope::Cluster, _) | (_, None) => vec![None],
            (Scope::App, Some(ns)) => vec![Some(ns)],
            (Scope::AppAndIstio, Some(ns)) if ns == istio_namespace => vec![Some(ns)],
            (Scope::AppAndIstio, Some(ns)) => vec![Some(ns), Some(istio_namespace)],
        };
        for ns in namespaces {
            lists.push(list(client, kind, ns));
        }
    }
    let mut objects = Vec::new();
    let mut unread = Vec::new();
    for outcome in futures::future::join_all(lists).await {
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
    objects.extend(credential_secrets(client, &objects, istio_namespace).await?);
    objects.extend(injector_config(client, istio_namespace).await);
    Ok(MeshSnapshot {
        objects,
        has_workloads: true,
        live: true,
        unread,
        unnamed: Vec::new(),
    })
}

/// Only the routing config of one namespace (VirtualServices and DestinationRules): what
/// `traffic-test --from-config` needs, readable with the `view` role.
pub async fn routing_from_cluster(
    client: &kube::Client,
    namespace: &str,
) -> Result<MeshSnapshot, kube::Error> {
    let lists = [kinds::VIRTUAL_SERVICE, kinds::DESTINATION_RULE]
        .into_iter()
        .map(|kind| async move { raw_list(client, &kind, Some(namespace)).await });
    Ok(MeshSnapshot {
        objects: try_join_all(lists).await?.into_iter().flatten().collect(),
        has_workloads: false,
        live: false,
        unread: Vec::new(),
        unnamed: Vec::new(),
    })
}

async fn list(
    client: &kube::Client,
    kind: &ApiKind,
    namespace: Option<&str>,
) -> Result<Vec<DynamicObject>> {
    raw_list(client, kind, namespace)
        .await
        .map_err(|source| Error::List {
            plural: kind.plural,
            namespace: namespace.map(str::to_string),
            source,
        })
}

async fn raw_list(
    client: &kube::Client,
    kind: &ApiKind,
    namespace: Option<&str>,
) -> Result<Vec<DynamicObject>, kube::Error> {
    let resource = kind.api_resource();
    let api: Api<DynamicObject> = match namespace {
        Some(ns) => Api::namespaced_with(client.clone(), ns, &resource),
        None => Api::all_with(client.clone(), &resource),
    };
    let types = TypeMeta {
        api_version: resource.api_version.clone(),
        kind: resource.kind.clone(),
    };
    let items = api.list(&ListParams::default()).await?.items;
    Ok(items
        .into_iter()
        .map(|mut o| {
            o.types = Some(types.clone());
            o
        })
        .collect())
}

/// Only the Secrets Gateways name as `credentialName`, looked up where Istio looks: the Gateway's
/// namespace and the gateway workload's (Istio) namespace. Listing every Secret is not needed.
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
        for name in super::json::credential_names(gateway) {
            wanted.insert((super::namespace_of(gateway).to_string(), name.clone()));
            wanted.insert((istio_namespace.to_string(), name));
        }
    }
    let mut found = Vec::new();
    for (namespace, name) in wanted {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &namespace, &resource);
        match api.get_opt(&name).await {
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
