//! Takes the one `istioctl` file out of a release archive and nothing else: absolute paths, `..`,
//! links, devices and a second `istioctl` are refused, the size is capped, and nothing reaches
//! the cache until the whole archive has been read and accepted.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path};

use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;

use super::cache;
use super::error::{Error, Result};

/// istioctl is ~100 MiB; anything far larger is not a release archive.
const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

/// Unpacks `archive` (downloaded from `url`, with SHA-256 `archive_sha256`) into `destination`
/// and records where the binary came from.
pub fn install_binary(
    archive: &Path,
    url: &str,
    archive_sha256: &str,
    destination: &Path,
) -> Result<()> {
    let refuse = |reason: String| Error::UnsafeArchive {
        url: url.to_string(),
        reason,
    };
    let dir = destination
        .parent()
        .ok_or_else(|| refuse("cache path has no parent".into()))?;
    let io = |source| Error::Cache {
        url: url.to_string(),
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let file = std::fs::File::open(archive).map_err(io)?;
    let mut tar = tar::Archive::new(GzDecoder::new(file));
    // Unpacked under a temp name that is deleted unless the archive is accepted as a whole.
    let mut unpacked: Option<(NamedTempFile, String)> = None;
    for entry in tar.entries().map_err(io)? {
        let mut entry = entry.map_err(io)?;
        let path = entry.path().map_err(io)?.into_owned();
        check_path(&path).map_err(refuse)?;
        let kind = entry.header().entry_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return Err(refuse(format!(
                "{} is a {kind:?}, not a regular file",
                path.display()
            )));
        }
        if path.file_name().and_then(|n| n.to_str()) != Some("istioctl") || unpacked.is_some() {
            return Err(refuse(format!("unexpected entry {}", path.display())));
        }
        if entry.header().size().unwrap_or(u64::MAX) > MAX_UNPACKED {
            return Err(refuse(format!(
                "{} is larger than {MAX_UNPACKED} bytes",
                path.display()
            )));
        }
        let mut temp = NamedTempFile::new_in(dir).map_err(io)?;
        let mut hashing = HashingWriter {
            inner: &mut temp,
            hasher: Sha256::new(),
        };
        let copied =
            std::io::copy(&mut (&mut entry).take(MAX_UNPACKED + 1), &mut hashing).map_err(io)?;
        if copied > MAX_UNPACKED {
            return Err(refuse("istioctl unpacks to more than the size cap".into()));
        }
        let digest = format!("{:x}", hashing.hasher.finalize());
        unpacked = Some((temp, digest));
    }
    let Some((mut temp, binary_sha256)) = unpacked else {
        return Err(refuse("the archive holds no istioctl".into()));
    };
    temp.flush().map_err(io)?;
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o755))
        .map_err(io)?;
    temp.persist(destination).map_err(|e| io(e.error))?;
    cache::write_record(destination, archive_sha256, &binary_sha256).map_err(io)
}

/// Hashes what it writes, so the binary is read once.
struct HashingWriter<'a> {
    inner: &'a mut NamedTempFile,
    hasher: Sha256,
}

impl Write for HashingWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hasher.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
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
