//! The Kubernetes Gateway API CRDs Istio's release supports (standard channel), managed by
//! `install`: taken from the Go module proxy as the `sigs.k8s.io/gateway-api` module zip (the
//! same source Istio's own build resolves them from), verified against the module's go.sum hash
//! pinned here, cached, and applied server-side only when the cluster has none of them or older
//! ones (see `plan`).

mod error;
mod module_zip;
mod plan;

use std::path::PathBuf;

use futures::future::try_join_all;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::Api;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub use error::{Error, Result};
pub use plan::{Decision, Installed, decide};

use crate::istioctl::{self, Progress};
use crate::kube::{Connection, classify};

/// The Gateway API release Istio 1.31 builds against (its go.mod's `sigs.k8s.io/gateway-api`).
pub const VERSION: &str = "v1.6.0";
pub const MODULE: &str = "sigs.k8s.io/gateway-api";
/// The module's go.sum hash (`h1:`): any proxy's zip must have exactly these files.
const MODULE_H1: &str = "h1:735YBRj5NXFrOGX0GoSjwzUIzbz8kiEOfADsqHFmHgE=";
/// SHA-256 of the cached bundle (`config/crd/standard/*.yaml`, each after a `---` line), so a
/// cached copy is used only when it is exactly what the verified zip gave.
const BUNDLE_SHA256: &str = "b80c5e4a2062e25805f623bd64e768dc98bbb9af23a18982b89dc8ad65f9d29b";
pub const DEFAULT_PROXY: &str = "https://proxy.golang.org";
/// The module zip is ~2.7 MiB.
const MAX_ZIP: u64 = 64 * 1024 * 1024;
const STANDARD_DIR: &str = "config/crd/standard/";

/// Where the bundle comes from: a Go module proxy (`GOPROXY` layout) and meshctl's cache.
#[derive(Debug, Clone)]
pub struct CrdSource {
    /// `https://…`, `http://…` or `file://…`; the zip is `<proxy>/<module>/@v/<version>.zip`.
    pub proxy: String,
    pub cache_root: PathBuf,
}

impl CrdSource {
    fn zip_url(&self) -> String {
        format!(
            "{}/{MODULE}/@v/{VERSION}.zip",
            self.proxy.trim_end_matches('/')
        )
    }

    fn cached_bundle(&self) -> PathBuf {
        self.cache_root
            .join("gateway-api")
            .join(VERSION)
            .join("standard-install.yaml")
    }
}

/// The bundle's objects (CRDs and the safe-upgrades admission policy), in file order.
pub struct Bundle {
    pub objects: Vec<Value>,
}

impl Bundle {
    /// The names of the bundle's CustomResourceDefinitions.
    pub fn crd_names(&self) -> Vec<String> {
        self.objects
            .iter()
            .filter(|o| o["kind"] == "CustomResourceDefinition")
            .filter_map(|o| o.pointer("/metadata/name")?.as_str().map(String::from))
            .collect()
    }
}

/// The bundle: from the cache when it is intact, else from the proxy now (and cached).
pub async fn bundle(source: &CrdSource, progress: &dyn Progress) -> Result<Bundle> {
    istioctl::check_mirror(&source.proxy).map_err(Error::Download)?;
    let cached = source.cached_bundle();
    let text = match std::fs::read(&cached) {
        Ok(bytes) if format!("{:x}", Sha256::digest(&bytes)) == BUNDLE_SHA256 => bytes,
        _ => fetch(source, progress).await?,
    };
    let text = String::from_utf8(text).map_err(|_| Error::NotUtf8)?;
    let documents: Vec<Value> =
        serde_saphyr::from_multiple(&text).map_err(|e| Error::Parse(e.to_string()))?;
    Ok(Bundle {
        objects: documents.into_iter().filter(|d| !d.is_null()).collect(),
    })
}

async fn fetch(source: &CrdSource, progress: &dyn Progress) -> Result<Vec<u8>> {
    let url = source.zip_url();
    let zip = istioctl::fetch_file(&url, MAX_ZIP, progress)
        .await
        .map_err(Error::Download)?;
    let prefix = format!("{MODULE}@{VERSION}/");
    let files = module_zip::verified_files(
        zip.reopen().map_err(Error::Cache)?,
        &prefix,
        STANDARD_DIR,
        MODULE_H1,
    )
    .map_err(|source| Error::Module {
        url: url.clone(),
        source,
    })?;
    let mut bundle = Vec::new();
    for (_, content) in files.iter().filter(|(name, _)| name.ends_with(".yaml")) {
        bundle.extend_from_slice(b"---\n");
        bundle.extend_from_slice(content);
    }
    if format!("{:x}", Sha256::digest(&bundle)) != BUNDLE_SHA256 {
        // The module verified, so this is meshctl's own pin out of step with the module's.
        return Err(Error::BundleChanged { url });
    }
    write_cache(&source.cached_bundle(), &bundle).map_err(Error::Cache)?;
    Ok(bundle)
}

fn write_cache(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The cluster's copies of `names` (only those that exist), read as metadata only.
pub async fn installed(conn: &Connection, names: &[String]) -> crate::kube::Result<Vec<Installed>> {
    let api: Api<CustomResourceDefinition> = Api::all(conn.client.clone());
    let reads = names.iter().map(|name| {
        let api = api.clone();
        async move {
            let meta = api.get_metadata_opt(name).await.map_err(|e| {
                classify(
                    &conn.server,
                    &format!("get customresourcedefinition {name}"),
                    e,
                )
            })?;
            Ok::<_, crate::kube::Error>(meta.map(|m| {
                let annotation = |key: &str| m.metadata.annotations.as_ref()?.get(key).cloned();
                Installed {
                    name: name.clone(),
                    bundle_version: annotation("gateway.networking.k8s.io/bundle-version"),
                    channel: annotation("gateway.networking.k8s.io/channel"),
                }
            }))
        }
    });
    Ok(try_join_all(reads).await?.into_iter().flatten().collect())
}
