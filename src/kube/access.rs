//! SelfSubjectAccessReview: may the current identity do this?

use futures::future::join_all;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use kube::api::{Api, PostParams};

use super::classify::api_message;

/// One permission: verb, API group, resource (`services/proxy` for a subresource), namespace.
#[derive(Debug, Clone)]
pub struct Permission {
    pub verb: String,
    pub group: String,
    pub resource: String,
    pub namespace: Option<String>,
}

impl Permission {
    pub fn new(verb: &str, group: &str, resource: &str, namespace: Option<&str>) -> Self {
        Self {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            namespace: namespace.map(str::to_string),
        }
    }

    /// `create deployments.apps in istio-system`, the way kubectl auth can-i reads.
    pub fn describe(&self) -> String {
        let resource = if self.group.is_empty() {
            self.resource.clone()
        } else {
            format!("{}.{}", self.resource, self.group)
        };
        match &self.namespace {
            Some(ns) => format!("{} {resource} in {ns}", self.verb),
            None => format!("{} {resource}", self.verb),
        }
    }
}

/// Asks about every permission in parallel. `Err` holds the reason a review itself failed.
pub async fn check_access(
    client: &kube::Client,
    wanted: &[Permission],
) -> Vec<(Permission, Result<bool, String>)> {
    let reviews = wanted
        .iter()
        .map(|p| async move { (p.clone(), can_i(client, p).await) });
    join_all(reviews).await
}

async fn can_i(client: &kube::Client, permission: &Permission) -> Result<bool, String> {
    let (resource, subresource) = match permission.resource.split_once('/') {
        Some((r, s)) => (r.to_string(), Some(s.to_string())),
        None => (permission.resource.clone(), None),
    };
    let review = SelfSubjectAccessReview {
        spec: SelfSubjectAccessReviewSpec {
            resource_attributes: Some(ResourceAttributes {
                verb: Some(permission.verb.clone()),
                group: Some(permission.group.clone()),
                resource: Some(resource),
                subresource,
                namespace: permission.namespace.clone(),
                ..Default::default()
            }),
            ..Default::default()
        },
        ..Default::default()
    };
    let api: Api<SelfSubjectAccessReview> = Api::all(client.clone());
    let answer = api
        .create(&PostParams::default(), &review)
        .await
        .map_err(|e| api_message(&e))?;
    Ok(answer.status.is_some_and(|s| s.allowed))
}
