//! Routing: VirtualServices, Gateways and DestinationRules that do not fit together.

mod destinations;
mod duplicates;
mod gateway_conflicts;
mod gateway_ports;
mod gateway_workloads;
mod gateways;
mod jwt_claims;
mod reachability;
mod registry;
mod subsets;

use kube::api::DynamicObject;

use crate::snapshot::MeshSnapshot;
use crate::snapshot::json::{array, spec, strings};
use crate::snapshot::namespace_of;

pub(crate) use destinations::unknown_destinations;
pub(crate) use duplicates::{
    duplicate_destination_rules, duplicate_virtual_services, wildcard_overlaps,
};
pub(crate) use gateway_conflicts::conflicting_gateways;
pub(crate) use gateway_ports::gateway_ports_not_exposed;
pub(crate) use gateway_workloads::GatewayWorkloads;
pub(crate) use gateways::{
    gateway_workloads, gateways_without_pods, hosts_not_served, unknown_gateways,
};
pub(crate) use jwt_claims::claims_without_authentication;
pub(crate) use reachability::unreachable_rules;
pub(crate) use subsets::{subsets_without_pods, undefined_subsets, weights_not_100};

/// The gateway name Istio reserves for sidecars; it is never a Gateway object.
const MESH_GATEWAY: &str = "mesh";

/// `(namespace, name)` of every Gateway a VirtualService binds, `mesh` left out.
fn bound_gateways(vs: &DynamicObject) -> Vec<(String, String)> {
    strings(&spec(vs)["gateways"])
        .into_iter()
        .filter(|g| g != MESH_GATEWAY)
        .map(|g| match g.split_once('/') {
            Some((ns, name)) => (ns.to_string(), name.to_string()),
            None => (namespace_of(vs).to_string(), g),
        })
        .collect()
}

/// Every destination of every HTTP, TLS and TCP route: (route index, destination, weight).
fn destinations(vs: &DynamicObject) -> Vec<(usize, &serde_json::Value)> {
    let mut all = Vec::new();
    for section in ["http", "tls", "tcp"] {
        for (index, route) in array(&spec(vs)[section]).iter().enumerate() {
            for destination in array(&route["route"]) {
                all.push((index, destination));
            }
        }
    }
    all
}

fn destination_rules_for<'a>(
    snapshot: &'a MeshSnapshot,
    host_fqdn: &'a str,
) -> impl Iterator<Item = &'a DynamicObject> + 'a {
    snapshot.destination_rules_for_host(host_fqdn)
}
