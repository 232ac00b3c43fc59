//! Finds or fetches `istioctl` for a pinned version: an explicit path, the cache, or a download
//! from a mirror whose SHA-256 is checked while streaming, extracted safely and cached
//! atomically. Nothing is left in the cache unless every check passed.

mod download;
mod extract;
mod run;

use std::path::{Path, PathBuf};

pub use download::Progress;
pub use run::run_streamed;

use crate::error::MeshError;

/// The Istio release meshctl installs unless told otherwise.
pub const PINNED_VERSION: &str = "1.31.0";
pub const DEFAULT_MIRROR: &str = "https://github.com/istio/istio/releases/download";

#[derive(Debug, Clone)]
pub struct IstioctlSource {
    /// `--istioctl PATH`: used as it is, nothing fetched.
    pub explicit: Option<PathBuf>,
    pub version: String,
    /// `https://…`, `http://…` or `file://…`; the archive is `<mirror>/<version>/<archive>`.
    pub mirror: String,
    pub cache_root: PathBuf,
}

impl IstioctlSource {
    /// `MESHCTL_CACHE_DIR`, else `$XDG_CACHE_HOME/meshctl`, else `~/.cache/meshctl`.
    pub fn default_cache_root() -> PathBuf {
        if let Some(dir) = std::env::var_os("MESHCTL_CACHE_DIR").filter(|v| !v.is_empty()) {
            return PathBuf::from(dir);
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::home_dir().map(|h| h.join(".cache")))
            .unwrap_or_else(std::env::temp_dir);
        base.join("meshctl")
    }

    pub fn cached_binary(&self) -> PathBuf {
        self.cache_root
            .join("istioctl")
            .join(&self.version)
            .join("istioctl")
    }

    pub fn archive_name(&self) -> Result<String, MeshError> {
        Ok(format!("istioctl-{}-{}.tar.gz", self.version, platform()?))
    }

    pub fn archive_url(&self) -> Result<String, MeshError> {
        Ok(format!(
            "{}/{}/{}",
            self.mirror.trim_end_matches('/'),
            self.version,
            self.archive_name()?
        ))
    }
}

/// The binary to run: explicit, cached, or downloaded now.
pub async fn resolve(
    source: &IstioctlSource,
    progress: &dyn Progress,
) -> Result<PathBuf, MeshError> {
    if let Some(path) = &source.explicit {
        return check_executable(path);
    }
    let cached = source.cached_binary();
    if cached.is_file() {
        return Ok(cached);
    }
    let url = source.archive_url()?;
    let archive = download::fetch_verified(&url, progress).await?;
    extract::install_binary(archive.path(), &url, &cached)?;
    Ok(cached)
}

fn check_executable(path: &Path) -> Result<PathBuf, MeshError> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| MeshError::InvalidInput {
        what: format!("--istioctl {}", path.display()),
        reason: e.to_string(),
    })?;
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        return Err(MeshError::InvalidInput {
            what: format!("--istioctl {}", path.display()),
            reason: "not an executable file".into(),
        });
    }
    Ok(path.to_path_buf())
}

/// Istio's release names: `linux-amd64`, `linux-arm64`, `osx` (Intel) and `osx-arm64`.
fn platform() -> Result<&'static str, MeshError> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Ok("linux-amd64"),
        ("linux", "aarch64") => Ok("linux-arm64"),
        ("macos", "x86_64") => Ok("osx"),
        ("macos", "aarch64") => Ok("osx-arm64"),
        (os, arch) => Err(unsupported(&format!("{os}/{arch}"))),
    }
}

fn unsupported(what: &str) -> MeshError {
    MeshError::InvalidInput {
        what: "platform".into(),
        reason: format!("Istio publishes no istioctl for {what}; pass --istioctl PATH"),
    }
}
