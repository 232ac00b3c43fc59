//! config group: the Gateways, VirtualServices and DestinationRules the seed lists, and that
//! every VirtualService's gateways exist.

use kube::api::DynamicObject;

use super::{Check, Ctx, Group};
use crate::analyze;
use crate::kube::api_message;
use crate::kube::is_not_found;
use crate::snapshot::{MeshSnapshot, name_of};

const G: Group = Group::Config;

pub(super) async fn run(ctx: &Ctx<'_>) -> Vec<Check> {
    let ns = &ctx.opts.namespace;
    let snapshot =
        match crate::snapshot::from_cluster(&ctx.client(), ns, &ctx.opts.istio_namespace).await {
            Ok(s) => s,
            Err(e) if is_not_found(&e) => {
                return vec![
                    Check::fail(
                        "config.crds",
                        G,
                        "Istio CRDs installed",
                        "the networking.istio.io CRDs are not served",
                    )
                    .with_hint("install Istio: istioctl install --set profile=demo -y"),
                ];
            }
            Err(e) => {
                return vec![Check::fail(
                    "config.read",
                    G,
                    "mesh config readable",
                    api_message(&e),
                )];
            }
        };
    let gateways: Vec<DynamicObject> = snapshot.in_namespace("Gateway", ns).cloned().collect();
    vec![
        listing("config.gateways", "Gateways", ns, &gateways),
        listing(
            "config.virtual-services",
            "VirtualServices",
            ns,
            &snapshot
                .of_kind("VirtualService")
                .cloned()
                .collect::<Vec<_>>(),
        ),
        listing(
            "config.destination-rules",
            "DestinationRules",
            ns,
            &snapshot
                .of_kind("DestinationRule")
                .cloned()
                .collect::<Vec<_>>(),
        ),
        gateway_refs_check(&snapshot),
    ]
}

fn listing(id: &'static str, kind: &'static str, ns: &str, objects: &[DynamicObject]) -> Check {
    if objects.is_empty() {
        return Check::warn(id, G, kind, format!("no {kind} in {ns}")).with_hint(format!(
            "apply the mesh config to {ns}: kubectl -n {ns} apply -f <manifests>"
        ));
    }
    let names: Vec<&str> = objects.iter().map(name_of).collect();
    Check::pass(
        id,
        G,
        kind,
        format!("{} in {ns}: {}", names.len(), names.join(", ")),
    )
}

fn gateway_refs_check(snapshot: &MeshSnapshot) -> Check {
    const ID: &str = "config.vs-gateways";
    const TITLE: &str = "VirtualService gateways exist";
    let findings = analyze::unknown_gateways(snapshot);
    if findings.is_empty() {
        return Check::pass(
            ID,
            G,
            TITLE,
            format!(
                "{} VirtualServices checked",
                snapshot.of_kind("VirtualService").count()
            ),
        );
    }
    let detail: Vec<String> = findings
        .iter()
        .map(|f| format!("{} {}", f.resource, f.message))
        .collect();
    let fixes: Vec<&str> = findings.iter().map(|f| f.fix.as_str()).collect();
    Check::fail(ID, G, TITLE, detail.join("; ")).with_hint(fixes.join("; "))
}
