//! config group: the Istio kinds are served and readable, the Gateways, VirtualServices and
//! DestinationRules the seed lists, and the routing rules that health shares with troubleshoot.

use super::catalog::{CRDS, DESTINATION_RULES, GATEWAYS, READ, VIRTUAL_SERVICES, VS_GATEWAYS};
use super::{Check, CheckSpec, Ctx, by_rules, chain, skipped_after};
use crate::kube::is_not_found;
use crate::snapshot::{self, MeshSnapshot, kinds, name_of};

pub(super) fn run(ctx: &Ctx<'_>, mesh: Result<&MeshSnapshot, &snapshot::Error>) -> Vec<Check> {
    let (ns, istio_ns) = (&ctx.opts.namespace, &ctx.opts.istio_namespace);
    let mut checks = Vec::new();
    let mesh = match mesh {
        Ok(mesh) => mesh,
        Err(e) if e.api_source().is_some_and(is_not_found) => {
            if ctx.wants(&CRDS) {
                checks.push(
                    CRDS.fail(format!("the Istio CRDs are not served: {}", chain(e)))
                        .with_hint(CRDS.hint),
                );
            }
            checks.extend(skipped_after(ctx, &CRDS));
            return checks;
        }
        Err(e) => {
            if ctx.wants(&CRDS) {
                checks.push(CRDS.skip("not known: the mesh config could not be read"));
            }
            if ctx.wants(&READ) {
                checks.push(READ.fail(chain(e)).with_hint(READ.hint));
            }
            checks.extend(skipped_after(ctx, &READ));
            return checks;
        }
    };
    if !mesh.unread.is_empty() {
        // Listings of kinds it may not read would wrongly say "none".
        let denied = format!("not allowed to list {}", mesh.unread.join(", "));
        if ctx.wants(&CRDS) {
            checks.push(CRDS.skip("not known: the mesh config could not be read"));
        }
        if ctx.wants(&READ) {
            checks.push(READ.fail(denied).with_hint(READ.hint));
        }
        checks.extend(skipped_after(ctx, &READ));
        return checks;
    }
    if ctx.wants(&CRDS) {
        checks.push(CRDS.pass("networking.istio.io and security.istio.io served"));
    }
    if ctx.wants(&READ) {
        let read = mesh.objects().len();
        checks.push(READ.pass(format!("{read} objects read from {ns} and {istio_ns}")));
    }
    for (spec, kind) in [
        (&GATEWAYS, kinds::GATEWAY.kind),
        (&VIRTUAL_SERVICES, kinds::VIRTUAL_SERVICE.kind),
        (&DESTINATION_RULES, kinds::DESTINATION_RULE.kind),
    ] {
        if ctx.wants(spec) {
            checks.push(listing(spec, ns, mesh, kind));
        }
    }
    if ctx.wants(&VS_GATEWAYS) {
        let checked = mesh.in_namespace(kinds::VIRTUAL_SERVICE.kind, ns).count();
        let pass = format!("{checked} VirtualServices checked");
        checks.push(by_rules(&VS_GATEWAYS, mesh, &ctx.opts.analyze(), pass));
    }
    checks
}

/// The objects of one kind in the application namespace; none is a warning.
fn listing(spec: &CheckSpec, ns: &str, mesh: &MeshSnapshot, kind: &str) -> Check {
    let names: Vec<&str> = mesh.in_namespace(kind, ns).map(name_of).collect();
    if names.is_empty() {
        return spec
            .warn(format!("no {} in {ns}", spec.title))
            .with_hint(format!(
                "apply the mesh config to {ns}: kubectl -n {ns} apply -f <manifests>"
            ));
    }
    spec.pass(format!("{} in {ns}: {}", names.len(), names.join(", ")))
}
