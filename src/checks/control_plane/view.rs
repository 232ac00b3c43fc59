//! What the control-plane checks read: whether the Istio namespace exists, its Deployments and
//! its pods. They come from the live snapshot that the data-plane and config groups read anyway,
//! so each list is made once; only when the snapshot could not be read whole (no Istio CRDs, a
//! list it may not make) does the group read them itself.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Namespace, Pod};
use kube::api::{Api, ListParams};

use super::super::Ctx;
use crate::kube::api_message;
use crate::snapshot::{self, Listed, kinds, labels_of, name_of};

/// The Deployments the group judges, and the gateways whose pods it probes.
const DEPLOYMENTS: [&str; 3] = [ISTIOD, INGRESS_APP, EGRESS_APP];
pub(super) const ISTIOD: &str = "istiod";
pub(super) const INGRESS_APP: &str = "istio-ingressgateway";
pub(super) const EGRESS_APP: &str = "istio-egressgateway";
const GATEWAY_APPS: [&str; 2] = [INGRESS_APP, EGRESS_APP];

pub(super) struct View {
    /// Whether the Istio namespace exists, or why that is not known.
    pub namespace: Result<bool, String>,
    pub deployments: Result<Vec<Deployment>, String>,
    pub pods: Result<Vec<Pod>, String>,
}

impl View {
    /// From the snapshot's lists when they hold everything, else from reads of its own (in
    /// parallel).
    pub async fn read(ctx: &Ctx<'_>, lists: Option<Result<&Listed, &snapshot::Error>>) -> Self {
        match lists {
            Some(Ok(lists)) if lists.unread().is_empty() => {
                Self::from_lists(lists, &ctx.opts.istio_namespace)
            }
            _ => Self::from_cluster(ctx).await,
        }
    }

    fn from_lists(lists: &Listed, ns: &str) -> Self {
        let exists = lists
            .objects()
            .iter()
            .any(|o| snapshot::kind_of(o) == kinds::NAMESPACE.kind && name_of(o) == ns);
        Self {
            namespace: Ok(exists),
            deployments: Ok(lists.typed_in(kinds::DEPLOYMENT.kind, ns, |d| {
                DEPLOYMENTS.contains(&name_of(d))
            })),
            pods: Ok(lists.typed_in(kinds::POD.kind, ns, |p| {
                labels_of(p)
                    .get("app")
                    .is_some_and(|app| GATEWAY_APPS.contains(&app.as_str()))
            })),
        }
    }

    async fn from_cluster(ctx: &Ctx<'_>) -> Self {
        let ns = &ctx.opts.istio_namespace;
        let namespaces: Api<Namespace> = Api::all(ctx.client());
        let deployments: Api<Deployment> = Api::namespaced(ctx.client(), ns);
        let pods: Api<Pod> = Api::namespaced(ctx.client(), ns);
        let all = ListParams::default();
        let (namespace, deployments, pods) = futures::join!(
            namespaces.get_opt(ns),
            deployments.list(&all),
            pods.list(&all)
        );
        Self {
            namespace: namespace.map(|n| n.is_some()).map_err(|e| api_message(&e)),
            deployments: deployments
                .map(|l| l.items)
                .map_err(|e| format!("cannot list deployments in {ns}: {}", api_message(&e))),
            pods: pods
                .map(|l| l.items)
                .map_err(|e| format!("cannot list pods in {ns}: {}", api_message(&e))),
        }
    }

    pub fn deployment(&self, name: &str) -> Result<Option<&Deployment>, String> {
        match &self.deployments {
            Ok(list) => Ok(list
                .iter()
                .find(|d| d.metadata.name.as_deref() == Some(name))),
            Err(e) => Err(e.clone()),
        }
    }

    /// The names of the running pods labelled `app=<app>`.
    pub fn running(&self, app: &str) -> Result<Vec<String>, String> {
        let pods = self.pods.as_ref().map_err(Clone::clone)?;
        Ok(pods
            .iter()
            .filter(|p| {
                p.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("app"))
                    .is_some_and(|a| a == app)
            })
            .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
            .filter_map(|p| p.metadata.name.clone())
            .collect())
    }
}
