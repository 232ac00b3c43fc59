//! The release archive `istio-<version>-<platform>.tar.gz`, the layer's second artifact: fetched
//! and verified against its `.sha256` by the same `download`, then only the addon manifests
//! (`istio-<version>/samples/addons/<name>.yaml`) are taken out and cached, each with a record
//! like the binary's. Nothing else in the archive is written anywhere.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use super::error::{Error, Result};
use super::{
    BlockingGuard, IstioctlSource, Progress, cache, check_mirror, check_version, platform,
};

/// The largest addon manifest accepted (Grafana's, with its dashboards, is ~240 KiB).
const MAX_MANIFEST: u64 = 8 * 1024 * 1024;

impl IstioctlSource {
    pub fn release_archive_url(&self) -> Result<String> {
        Ok(format!(
            "{}/{}/istio-{}-{}.tar.gz",
            self.mirror.trim_end_matches('/'),
            self.version,
            self.version,
            platform()?
        ))
    }

    /// `<cache>/istio/<version>/samples/addons`.
    pub fn cached_addons(&self) -> PathBuf {
        self.cache_root
            .join("istio")
            .join(&self.version)
            .join("samples")
            .join("addons")
    }
}

/// The paths of the addon manifests `names` (`kiali` → `…/kiali.yaml`) of this release: from the
/// cache when every one is there and matches its record, else from the release archive now.
pub async fn addon_manifests(
    source: &IstioctlSource,
    names: &[&str],
    progress: &dyn Progress,
) -> Result<Vec<PathBuf>> {
    check_version(&source.version)?;
    check_mirror(&source.mirror)?;
    let dir = source.cached_addons();
    let paths: Vec<PathBuf> = names
        .iter()
        .map(|n| dir.join(format!("{n}.yaml")))
        .collect();
    if paths.iter().all(|p| p.is_file() && cache::is_trusted(p)) {
        return Ok(paths);
    }
    let url = source.release_archive_url()?;
    let cancel = Arc::new(AtomicBool::new(false));
    let work = fetch_addons(&url, &dir, progress, cancel.clone());
    tokio::select! {
        outcome = work => outcome?,
        _ = tokio::signal::ctrl_c() => {
            cancel.store(true, Ordering::Relaxed);
            return Err(Error::Interrupted);
        }
    }
    match paths.iter().find(|p| !p.is_file()) {
        Some(missing) => Err(Error::NotInArchive {
            url,
            file: format!(
                "samples/addons/{}",
                missing.file_name().unwrap_or_default().to_string_lossy()
            ),
        }),
        None => Ok(paths),
    }
}

async fn fetch_addons(
    url: &str,
    dir: &Path,
    progress: &dyn Progress,
    cancel: Arc<AtomicBool>,
) -> Result<()> {
    let archive = super::download::fetch_verified(url, progress).await?;
    let (task_url, task_dir, task_cancel) = (url.to_string(), dir.to_path_buf(), cancel.clone());
    let task = tokio::task::spawn_blocking(move || {
        let taken = take_addons(archive.file.path(), &task_url, &task_dir, &task_cancel);
        (archive.sha256, taken)
    });
    let guard = BlockingGuard {
        task: Some(task),
        cancel,
    };
    let (sha256, taken) = guard.finish().await.map_err(|_| Error::Interrupted)?;
    // Only once the whole archive was read and accepted does anything reach the cache.
    for (name, temp, digest) in taken? {
        let destination = dir.join(&name);
        let io = |source| Error::Cache {
            url: url.to_string(),
            path: destination.clone(),
            source,
        };
        temp.persist(&destination).map_err(|e| io(e.error))?;
        cache::write_record(&destination, &sha256, &digest).map_err(io)?;
    }
    Ok(())
}

/// Reads the whole archive; returns each `samples/addons/*.yaml` in a temp file in `dir`.
fn take_addons(
    archive: &Path,
    url: &str,
    dir: &Path,
    cancel: &AtomicBool,
) -> Result<Vec<(String, NamedTempFile, String)>> {
    let refuse = |reason: String| Error::UnsafeArchive {
        url: url.to_string(),
        reason,
    };
    let io = |source| Error::Cache {
        url: url.to_string(),
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let file = std::fs::File::open(archive).map_err(io)?;
    let mut tar = tar::Archive::new(GzDecoder::new(file));
    let mut taken = Vec::new();
    for entry in tar.entries().map_err(io)? {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        let mut entry = entry.map_err(io)?;
        let path = entry.path().map_err(io)?.into_owned();
        super::extract::check_path(&path).map_err(refuse)?;
        let Some(name) = addon_file_name(&path) else {
            continue; // the rest of the release is not needed
        };
        if !entry.header().entry_type().is_file() {
            return Err(refuse(format!("{} is not a regular file", path.display())));
        }
        if taken.iter().any(|(n, _, _)| *n == name) {
            return Err(refuse(format!("{} appears twice", path.display())));
        }
        let mut body = Vec::new();
        (&mut entry)
            .take(MAX_MANIFEST + 1)
            .read_to_end(&mut body)
            .map_err(io)?;
        if body.len() as u64 > MAX_MANIFEST {
            return Err(refuse(format!(
                "{} is larger than {MAX_MANIFEST} bytes",
                path.display()
            )));
        }
        let mut temp = NamedTempFile::new_in(dir).map_err(io)?;
        temp.write_all(&body).map_err(io)?;
        temp.flush().map_err(io)?;
        taken.push((name, temp, format!("{:x}", Sha256::digest(&body))));
    }
    if taken.is_empty() {
        return Err(refuse("the archive holds no samples/addons/*.yaml".into()));
    }
    Ok(taken)
}

/// `istio-<version>/samples/addons/<name>.yaml` → `<name>.yaml`; anything else (deeper
/// directories such as `extras/` included) → None.
fn addon_file_name(path: &Path) -> Option<String> {
    let parts: Vec<&str> = path.iter().filter_map(|c| c.to_str()).collect();
    match parts.as_slice() {
        [top, "samples", "addons", file]
            if top.starts_with("istio-")
                && file.ends_with(".yaml")
                && file.len() > ".yaml".len()
                && file
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) =>
        {
            Some((*file).to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_top_level_addon_manifests_are_taken() {
        let name = |p: &str| addon_file_name(Path::new(p));
        assert_eq!(
            name("istio-1.31.0/samples/addons/kiali.yaml").as_deref(),
            Some("kiali.yaml")
        );
        for other in [
            "istio-1.31.0/bin/istioctl",
            "istio-1.31.0/samples/addons/extras/zipkin.yaml",
            "istio-1.31.0/samples/addons/README.md",
            "other/samples/addons/kiali.yaml",
            "istio-1.31.0/samples/addons/.yaml",
            "samples/addons/kiali.yaml",
        ] {
            assert_eq!(name(other), None, "{other}");
        }
    }

    fn archive_with(entries: &[(&str, &[u8])]) -> NamedTempFile {
        let file = NamedTempFile::new().expect("temp");
        let gz = flate2::write::GzEncoder::new(
            file.reopen().expect("reopen"),
            flate2::Compression::fast(),
        );
        let mut builder = tar::Builder::new(gz);
        for (path, body) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, path, *body)
                .expect("append");
        }
        builder.into_inner().expect("tar").finish().expect("gzip");
        file
    }

    #[test]
    fn the_addons_are_taken_and_nothing_else() {
        let archive = archive_with(&[
            ("istio-1.31.0/bin/istioctl", b"\x7fELF"),
            ("istio-1.31.0/samples/addons/kiali.yaml", b"kind: Service\n"),
            ("istio-1.31.0/samples/addons/extras/zipkin.yaml", b"x"),
        ]);
        let dir = tempfile::tempdir().expect("dir");
        let taken = take_addons(archive.path(), "u", dir.path(), &AtomicBool::new(false))
            .expect("accepted");
        let names: Vec<&str> = taken.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["kiali.yaml"]);
        let empty = archive_with(&[("istio-1.31.0/bin/istioctl", b"\x7fELF")]);
        assert!(matches!(
            take_addons(empty.path(), "u", dir.path(), &AtomicBool::new(false)),
            Err(Error::UnsafeArchive { .. })
        ));
    }
}
