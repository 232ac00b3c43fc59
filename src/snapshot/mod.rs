//! One model of the mesh configuration, whether it was read from the cluster or (later) from
//! files, so that every analyzer serves live checks and offline CI alike.

use kube::api::{Api, DynamicObject, ListParams};

use crate::kube::istio;

#[derive(Debug, Clone, Default)]
pub struct MeshSnapshot {
    /// Gateways of every namespace: a VirtualService may bind `other-namespace/name`.
    pub gateways: Vec<DynamicObject>,
    pub virtual_services: Vec<DynamicObject>,
    pub destination_rules: Vec<DynamicObject>,
}

impl MeshSnapshot {
    pub async fn from_cluster(client: &kube::Client, namespace: &str) -> Result<Self, kube::Error> {
        let gateways: Api<DynamicObject> =
            Api::all_with(client.clone(), &istio::GATEWAY.api_resource());
        let virtual_services: Api<DynamicObject> = Api::namespaced_with(
            client.clone(),
            namespace,
            &istio::VIRTUAL_SERVICE.api_resource(),
        );
        let destination_rules: Api<DynamicObject> = Api::namespaced_with(
            client.clone(),
            namespace,
            &istio::DESTINATION_RULE.api_resource(),
        );
        let all = ListParams::default();
        let (gateways, virtual_services, destination_rules) = futures::try_join!(
            gateways.list(&all),
            virtual_services.list(&all),
            destination_rules.list(&all)
        )?;
        Ok(Self {
            gateways: gateways.items,
            virtual_services: virtual_services.items,
            destination_rules: destination_rules.items,
        })
    }

    pub fn gateways_in<'a>(
        &'a self,
        namespace: &'a str,
    ) -> impl Iterator<Item = &'a DynamicObject> {
        self.gateways
            .iter()
            .filter(move |g| g.metadata.namespace.as_deref() == Some(namespace))
    }
}

pub fn name_of(obj: &DynamicObject) -> &str {
    obj.metadata.name.as_deref().unwrap_or("")
}

pub fn namespace_of(obj: &DynamicObject) -> &str {
    obj.metadata.namespace.as_deref().unwrap_or("")
}
