//! What `install` checks before it changes anything (like `istioctl x precheck`): the API, the
//! Kubernetes version, the permissions install needs, and an Istio that is already there.

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::Api;

use super::cluster::supported_minor;
use super::{Check, Group};
use crate::kube::{Connection, Permission, Result, api_message, check_access, classify};

const G: Group = Group::Cluster;

pub struct PreflightOptions<'a> {
    pub app_namespace: &'a str,
    pub istio_namespace: &'a str,
    pub with_istio: bool,
    /// The Gateway API CRDs (and their admission policy) are to be applied.
    pub gateway_api_crds: bool,
    /// istio-cni goes on the nodes (the ambient profile, or the CNI component turned on).
    pub ambient: bool,
    /// The `--set` values istioctl gets, where platform settings are looked for.
    pub sets: &'a [String],
    /// (group, plural) of every kind the manifests hold.
    pub manifest_kinds: &'a [(String, String)],
}

/// An unreachable API server is an error; everything else is a check in the list.
pub async fn preflight(conn: &Connection, opts: &PreflightOptions<'_>) -> Result<Vec<Check>> {
    let version = conn
        .client
        .apiserver_version()
        .await
        .map_err(|e| classify(&conn.server, "read the API server version", e))?;
    let version_check = match supported_minor(&version) {
        Ok(_) => Check::pass(
            "preflight.version",
            G,
            "Kubernetes version",
            version.git_version.clone(),
        ),
        Err(detail) => Check::fail("preflight.version", G, "Kubernetes version", detail),
    };
    let (permissions, existing, platform) = futures::join!(
        permissions(conn, opts),
        existing_istio(conn, opts.istio_namespace),
        super::platform::read(conn)
    );
    let platform = match platform {
        Ok(facts) => super::platform::judge(&facts, opts.sets, opts.ambient),
        Err(why) => super::platform::unreadable(why),
    };
    Ok(vec![version_check, permissions, existing, platform])
}

fn wanted(opts: &PreflightOptions<'_>) -> Vec<Permission> {
    let app = Some(opts.app_namespace);
    let mut wanted = vec![
        Permission::new("create", "", "namespaces", None),
        Permission::new("patch", "", "namespaces", None),
    ];
    if opts.gateway_api_crds {
        wanted.extend([
            Permission::new(
                "patch",
                "apiextensions.k8s.io",
                "customresourcedefinitions",
                None,
            ),
            Permission::new(
                "patch",
                "admissionregistration.k8s.io",
                "validatingadmissionpolicies",
                None,
            ),
        ]);
    }
    for (group, plural) in opts.manifest_kinds {
        wanted.push(Permission::new("patch", group, plural, app));
    }
    if opts.with_istio {
        let istio = Some(opts.istio_namespace);
        wanted.extend([
            Permission::new(
                "create",
                "apiextensions.k8s.io",
                "customresourcedefinitions",
                None,
            ),
            Permission::new(
                "create",
                "admissionregistration.k8s.io",
                "mutatingwebhookconfigurations",
                None,
            ),
            Permission::new("create", "rbac.authorization.k8s.io", "clusterroles", None),
            Permission::new("create", "apps", "deployments", istio),
            Permission::new("create", "", "services", istio),
        ]);
    }
    wanted
}

async fn permissions(conn: &Connection, opts: &PreflightOptions<'_>) -> Check {
    const ID: &str = "preflight.permissions";
    const TITLE: &str = "permissions to install";
    let wanted = wanted(opts);
    let results = check_access(&conn.client, &wanted).await;
    let problems: Vec<String> = results
        .iter()
        .filter_map(|(p, r)| match r {
            Ok(true) => None,
            Ok(false) => Some(p.describe()),
            Err(e) => Some(format!("{} (review failed: {e})", p.describe())),
        })
        .collect();
    if problems.is_empty() {
        return Check::pass(ID, G, TITLE, format!("all {} granted", wanted.len()));
    }
    Check::fail(
        ID,
        G,
        TITLE,
        format!("not allowed to {}", problems.join(", ")),
    )
    .with_hint(
        "run as a cluster admin, or ask one to grant these verbs (kubectl auth can-i --list)",
    )
}

async fn existing_istio(conn: &Connection, istio_ns: &str) -> Check {
    const ID: &str = "preflight.existing-istio";
    const TITLE: &str = "existing Istio";
    let api: Api<Deployment> = Api::namespaced(conn.client.clone(), istio_ns);
    match api.get_opt("istiod").await {
        Ok(Some(istiod)) => {
            let image = istiod
                .spec
                .and_then(|s| s.template.spec)
                .and_then(|s| s.containers.first().and_then(|c| c.image.clone()));
            let version = image
                .as_deref()
                .and_then(|i| i.rsplit_once(':'))
                .map_or("unknown version", |(_, tag)| tag)
                .to_string();
            Check::pass(
                ID,
                G,
                TITLE,
                format!(
                    "istiod {version} in {istio_ns}; istioctl install will upgrade it in place"
                ),
            )
        }
        Ok(None) => Check::pass(ID, G, TITLE, format!("none in {istio_ns}")),
        Err(e) => Check::warn(
            ID,
            G,
            TITLE,
            format!("cannot read {istio_ns}/istiod: {}", api_message(&e)),
        ),
    }
}

/// What failed, as `title: detail`; a failed preflight stops the install before anything changes.
pub fn failures(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| c.status == super::Status::Fail)
        .map(|c| format!("{}: {}", c.title, c.detail))
        .collect()
}
