//! Reads the snapshot from the cluster: the application namespace, the Istio namespace (mesh-wide
//! policies, gateway pods, their credentials) and Gateways everywhere, in parallel.

use futures::future::try_join_all;
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind, ListParams, TypeMeta};

use super::MeshSnapshot;

/// (group, version, kind, plural, where): what troubleshooting and health look at.
const KINDS: &[(&str, &str, &str, &str, Scope)] = &[
    ("", "v1", "Namespace", "namespaces", Scope::Cluster),
    ("", "v1", "Pod", "pods", Scope::AppAndIstio),
    ("", "v1", "Service", "services", Scope::App),
    ("apps", "v1", "Deployment", "deployments", Scope::App),
    (
        "networking.istio.io",
        "v1",
        "Gateway",
        "gateways",
        Scope::Cluster,
    ),
    (
        "networking.istio.io",
        "v1",
        "VirtualService",
        "virtualservices",
        Scope::App,
    ),
    (
        "networking.istio.io",
        "v1",
        "DestinationRule",
        "destinationrules",
        Scope::App,
    ),
    (
        "security.istio.io",
        "v1",
        "PeerAuthentication",
        "peerauthentications",
        Scope::AppAndIstio,
    ),
    (
        "security.istio.io",
        "v1",
        "RequestAuthentication",
        "requestauthentications",
        Scope::AppAndIstio,
    ),
    (
        "security.istio.io",
        "v1",
        "AuthorizationPolicy",
        "authorizationpolicies",
        Scope::App,
    ),
];

#[derive(Clone, Copy)]
enum Scope {
    Cluster,
    App,
    AppAndIstio,
}

pub async fn from_cluster(
    client: &kube::Client,
    namespace: &str,
    istio_namespace: &str,
) -> Result<MeshSnapshot, kube::Error> {
    let mut lists = Vec::new();
    for (group, version, kind, plural, scope) in KINDS {
        let resource =
            ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural);
        let namespaces: Vec<Option<&str>> = match scope {
            Scope::Cluster => vec![None],
            Scope::App => vec![Some(namespace)],
            Scope::AppAndIstio if namespace == istio_namespace => vec![Some(namespace)],
            Scope::AppAndIstio => vec![Some(namespace), Some(istio_namespace)],
        };
        for ns in namespaces {
            lists.push(list(client, resource.clone(), ns));
        }
    }
    let mut objects: Vec<DynamicObject> =
        try_join_all(lists).await?.into_iter().flatten().collect();
    objects.extend(credential_secrets(client, &objects, istio_namespace).await?);
    Ok(MeshSnapshot {
        objects,
        has_workloads: true,
    })
}

/// Only the routing config of one namespace (VirtualServices and DestinationRules): what
/// `traffic-test --from-config` needs, readable with the `view` role.
pub async fn routing_from_cluster(
    client: &kube::Client,
    namespace: &str,
) -> Result<MeshSnapshot, kube::Error> {
    let lists = KINDS
        .iter()
        .filter(|(_, _, kind, _, _)| matches!(*kind, "VirtualService" | "DestinationRule"))
        .map(|(group, version, kind, plural, _)| {
            let gvk = GroupVersionKind::gvk(group, version, kind);
            list(
                client,
                ApiResource::from_gvk_with_plural(&gvk, plural),
                Some(namespace),
            )
        });
    Ok(MeshSnapshot {
        objects: try_join_all(lists).await?.into_iter().flatten().collect(),
        has_workloads: false,
    })
}

async fn list(
    client: &kube::Client,
    resource: ApiResource,
    namespace: Option<&str>,
) -> Result<Vec<DynamicObject>, kube::Error> {
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
) -> Result<Vec<DynamicObject>, kube::Error> {
    let resource =
        ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk("", "v1", "Secret"), "secrets");
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
    for (ns, name) in wanted {
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &ns, &resource);
        match api.get_opt(&name).await {
            Ok(Some(mut secret)) => {
                secret.types = Some(types.clone());
                found.push(secret);
            }
            Ok(None) => {}
            Err(kube::Error::Api(status)) if status.code == 403 => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}
