//! Takes the one `istioctl` file out of a release archive and nothing else: absolute paths, `..`,
//! links and devices are refused, the size is capped, and the binary appears in the cache only
//! by an atomic rename of a complete file.

use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path};

use flate2::read::GzDecoder;

use crate::error::MeshError;

/// istioctl is ~100 MiB; anything far larger is not a release archive.
const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

pub fn install_binary(archive: &Path, url: &str, destination: &Path) -> Result<(), MeshError> {
    let unsafe_archive = |reason: String| MeshError::UnsafeArchive {
        url: url.to_string(),
        reason,
    };
    let io = |what: &str, e: std::io::Error| MeshError::Download {
        url: url.to_string(),
        reason: format!("{what}: {e}"),
    };
    let file = File::open(archive).map_err(|e| io("open archive", e))?;
    let mut tar = tar::Archive::new(GzDecoder::new(file));
    let dir = destination
        .parent()
        .ok_or_else(|| unsafe_archive("cache path has no parent".into()))?;
    std::fs::create_dir_all(dir).map_err(|e| io("create cache directory", e))?;
    let mut found = false;
    for entry in tar.entries().map_err(|e| io("read archive", e))? {
        let mut entry = entry.map_err(|e| io("read archive", e))?;
        let path = entry
            .path()
            .map_err(|e| io("read archive", e))?
            .into_owned();
        check_path(&path).map_err(unsafe_archive)?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return Err(unsafe_archive(format!(
                "{} is a {kind:?}, not a regular file",
                path.display()
            )));
        }
        if path.file_name().and_then(|n| n.to_str()) != Some("istioctl") || found {
            return Err(unsafe_archive(format!(
                "unexpected entry {}",
                path.display()
            )));
        }
        if entry.header().size().unwrap_or(u64::MAX) > MAX_UNPACKED {
            return Err(unsafe_archive(format!(
                "{} is larger than {MAX_UNPACKED} bytes",
                path.display()
            )));
        }
        let mut temp =
            tempfile::NamedTempFile::new_in(dir).map_err(|e| io("create temp file", e))?;
        let copied = std::io::copy(&mut (&mut entry).take(MAX_UNPACKED + 1), &mut temp)
            .map_err(|e| io("unpack", e))?;
        if copied > MAX_UNPACKED {
            return Err(unsafe_archive(
                "istioctl unpacks to more than the size cap".into(),
            ));
        }
        temp.flush().map_err(|e| io("unpack", e))?;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o755))
            .map_err(|e| io("chmod", e))?;
        temp.persist(destination)
            .map_err(|e| io("move into the cache", e.error))?;
        found = true;
    }
    if !found {
        return Err(unsafe_archive("the archive holds no istioctl".into()));
    }
    Ok(())
}

fn check_path(path: &Path) -> Result<(), String> {
    for component in path.components() {
        match component {
            Component::Normal(_) | Component::CurDir => {}
            Component::ParentDir => return Err(format!("{} climbs out with '..'", path.display())),
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("{} is an absolute path", path.display()));
            }
        }
    }
    Ok(())
}
