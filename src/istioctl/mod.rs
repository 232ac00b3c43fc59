//! Finds or fetches `istioctl` for a pinned version: an explicit path, the cache, or a download
//! from a mirror whose SHA-256 is checked while streaming, extracted safely and cached
//! atomically. Nothing is left in the cache unless every check passed.

mod cache;
mod download;
mod error;
mod extract;
mod release;
mod run;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub use download::{Progress, fetch_file};

pub use error::{Error, Result};
pub use release::addon_manifests;
pub use run::run_streamed;

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

    pub fn archive_name(&self) -> Result<String> {
        Ok(format!("istioctl-{}-{}.tar.gz", self.version, platform()?))
    }

    pub fn archive_url(&self) -> Result<String> {
        Ok(format!(
            "{}/{}/{}",
            self.mirror.trim_end_matches('/'),
            self.version,
            self.archive_name()?
        ))
    }
}

/// The binary to run: explicit, cached, or downloaded now.
pub async fn resolve(source: &IstioctlSource, progress: &dyn Progress) -> Result<PathBuf> {
    if let Some(path) = &source.explicit {
        return check_executable(path);
    }
    // The version becomes a directory and part of a URL: it must not be able to name another.
    check_version(&source.version)?;
    check_mirror(&source.mirror)?;
    let cached = source.cached_binary();
    if cached.is_file() && cache::is_trusted(&cached) {
        return Ok(cached);
    }
    let url = source.archive_url()?;
    // Ctrl-C drops the fetch (its temp file with it) and stops the unpacking, so nothing is left
    // in TMPDIR or the cache; the default action would end the process before any cleanup.
    // Once tokio has taken SIGINT over it stays so: every command that resolves istioctl
    // listens for Ctrl-C itself while it goes on.
    let cancel = Arc::new(AtomicBool::new(false));
    let work = fetch_and_cache(&url, &source.version, &cached, progress, cancel.clone());
    let outcome = tokio::select! {
        outcome = work => outcome,
        _ = tokio::signal::ctrl_c() => {
            cancel.store(true, Ordering::Relaxed);
            Err(Error::Interrupted)
        }
    };
    outcome.map(|()| cached)
}

async fn fetch_and_cache(
    url: &str,
    version: &str,
    destination: &Path,
    progress: &dyn Progress,
    cancel: Arc<AtomicBool>,
) -> Result<()> {
    let archive = download::fetch_verified(url, progress).await?;
    let (task_url, task_dest) = (url.to_string(), destination.to_path_buf());
    let cancel_on_drop = cancel.clone();
    let unpacking = tokio::task::spawn_blocking(move || {
        let unpacked = extract::unpack(archive.file.path(), &task_url, &task_dest, &cancel);
        (archive, unpacked)
    });
    // Dropping this future on Ctrl-C does not stop the blocking task: the flag does, and the
    // task deletes its temp file when it returns.
    let guard = BlockingGuard {
        task: Some(unpacking),
        cancel: cancel_on_drop,
    };
    let (archive, unpacked) = guard.finish().await.map_err(|_| Error::Interrupted)?;
    let unpacked = unpacked?;
    run::check_answers(&unpacked.path, url, version).await?;
    extract::commit(unpacked, url, &archive.sha256, destination)
}

/// Waits for the unpacking task even when the waiting future is dropped, so that its temp
/// file is gone before the process exits.
struct BlockingGuard<T> {
    task: Option<tokio::task::JoinHandle<T>>,
    cancel: Arc<AtomicBool>,
}

impl<T> BlockingGuard<T> {
    async fn finish(mut self) -> std::result::Result<T, tokio::task::JoinError> {
        let Some(handle) = self.task.as_mut() else {
            unreachable!("the task is taken only by finish, once");
        };
        let out = handle.await;
        self.task = None;
        out
    }
}

impl<T> Drop for BlockingGuard<T> {
    fn drop(&mut self) {
        if let Some(handle) = self.task.take() {
            // The task stops at its next chunk once the flag is set. Block briefly for it.
            self.cancel.store(true, Ordering::Relaxed);
            let _ = futures::executor::block_on(tokio::time::timeout(
                std::time::Duration::from_secs(5),
                handle,
            ));
        }
    }
}

/// `http://`, `https://` or `file://`: the schemes the download understands.
pub fn check_mirror(mirror: &str) -> Result<()> {
    let scheme = mirror
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("http" | "https" | "file") => Ok(()),
        _ => Err(Error::UnsupportedMirror {
            mirror: mirror.to_string(),
        }),
    }
}

/// An Istio release: `1.31.0`, `1.22` or a pre-release such as `1.24.0-beta.1`.
fn check_version(version: &str) -> Result<()> {
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let core_ok = (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 9 && p.bytes().all(|b| b.is_ascii_digit()));
    let pre_ok = pre.is_none_or(|pre| {
        pre.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    });
    if core_ok && pre_ok && version.len() <= 64 {
        Ok(())
    } else {
        Err(Error::InvalidVersion {
            version: version.to_string(),
        })
    }
}

fn check_executable(path: &Path) -> Result<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|source| Error::Explicit {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        return Err(Error::NotExecutable {
            path: path.to_path_buf(),
        });
    }
    Ok(path.to_path_buf())
}

/// Istio's release names: `linux-amd64`, `linux-arm64`, `osx` (Intel) and `osx-arm64`.
fn platform() -> Result<&'static str> {
    match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => Ok("linux-amd64"),
        ("linux", "aarch64") => Ok("linux-arm64"),
        ("macos", "x86_64") => Ok("osx"),
        ("macos", "aarch64") => Ok("osx-arm64"),
        (os, arch) => Err(Error::UnsupportedPlatform { os, arch }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_release_versions_are_accepted() {
        for good in ["1.31.0", "1.22", "1.24.0-beta.1", "1.25.0-rc.0"] {
            assert!(check_version(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "latest",
            "../../x",
            "1.31.0/../..",
            "1..0",
            "1.31.0-",
            "1.31.0-a..b",
            ".1.2",
            "1.2.3.4",
            "1.31.0-x/y",
        ] {
            assert!(check_version(bad).is_err(), "{bad:?}");
        }
    }
}
