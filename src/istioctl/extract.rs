//! Takes the one `istioctl` file out of a release archive and nothing else: absolute paths, `..`,
//! links, devices and a second `istioctl` are refused, the size is capped, and nothing reaches
//! the cache until the whole archive has been read and accepted.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path};
use std::sync::atomic::{AtomicBool, Ordering};

use flate2::read::GzDecoder;
use sha2::{Digest, Sha256};
use tempfile::{NamedTempFile, TempPath};

use super::cache;
use super::error::{Error, Result};

/// istioctl is ~100 MiB; anything far larger is not a release archive.
const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

/// The binary unpacked under a temp name in the cache directory, deleted unless committed.
pub struct Unpacked {
    pub path: TempPath,
    pub sha256: String,
}

/// Unpacks the one `istioctl` of `archive` (downloaded from `url`) next to `destination`,
/// checking that it is an executable for this platform; stops early when `cancel` is set.
pub fn unpack(
    archive: &Path,
    url: &str,
    destination: &Path,
    cancel: &AtomicBool,
) -> Result<Unpacked> {
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
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; 1 << 16];
        let mut copied = 0u64;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Interrupted);
            }
            let n = read_full(&mut entry, &mut buffer).map_err(io)?;
            if n == 0 {
                break;
            }
            if copied == 0 {
                // Refused on its first bytes: a script, an empty file or zeros never unpack.
                check_executable_format(&buffer[..n])
                    .map_err(|reason| refuse(format!("{}: {reason}", path.display())))?;
            }
            copied += n as u64;
            if copied > MAX_UNPACKED {
                return Err(refuse("istioctl unpacks to more than the size cap".into()));
            }
            hasher.update(&buffer[..n]);
            temp.write_all(&buffer[..n]).map_err(io)?;
        }
        if copied == 0 {
            return Err(refuse(format!("{} is empty", path.display())));
        }
        unpacked = Some((temp, format!("{:x}", hasher.finalize())));
    }
    let Some((mut temp, sha256)) = unpacked else {
        return Err(refuse("the archive holds no istioctl".into()));
    };
    temp.flush().map_err(io)?;
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o755))
        .map_err(io)?;
    // Closed for writing, so that it can be run (a file open for writing cannot be executed).
    Ok(Unpacked {
        path: temp.into_temp_path(),
        sha256,
    })
}

/// Moves the checked binary into place and records where it came from.
pub fn commit(
    unpacked: Unpacked,
    url: &str,
    archive_sha256: &str,
    destination: &Path,
) -> Result<()> {
    let io = |source| Error::Cache {
        url: url.to_string(),
        path: destination.to_path_buf(),
        source,
    };
    unpacked
        .path
        .persist(destination)
        .map_err(|e| io(e.error))?;
    cache::write_record(destination, archive_sha256, &unpacked.sha256).map_err(io)
}

fn read_full(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// An executable for the running platform: ELF for this architecture on Linux, Mach-O on macOS.
fn check_executable_format(head: &[u8]) -> Result<(), String> {
    if cfg!(target_os = "macos") {
        let magic = head.get(..4).unwrap_or_default();
        let known: [[u8; 4]; 3] = [
            [0xcf, 0xfa, 0xed, 0xfe],
            [0xce, 0xfa, 0xed, 0xfe],
            [0xca, 0xfe, 0xba, 0xbe],
        ];
        return if known.iter().any(|m| m == magic) {
            Ok(())
        } else {
            Err("not a macOS executable".into())
        };
    }
    if head.get(..4) != Some(b"\x7fELF") {
        return Err(if head.starts_with(b"#!") {
            "a script, not an executable".into()
        } else {
            "not an ELF executable".into()
        });
    }
    let machine = match std::env::consts::ARCH {
        "x86_64" => 62u16,
        "aarch64" => 183,
        other => return Err(format!("no istioctl is published for {other}")),
    };
    let class_64 = head.get(4) == Some(&2);
    let found = head.get(18..20).map(|b| u16::from_le_bytes([b[0], b[1]]));
    if class_64 && found == Some(machine) {
        Ok(())
    } else {
        Err(format!(
            "an ELF executable for another architecture than {}",
            std::env::consts::ARCH
        ))
    }
}

pub(super) fn check_path(path: &Path) -> Result<(), String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_executables_for_this_platform_pass_the_format_check() {
        assert!(check_executable_format(b"#!/bin/sh\necho hi\n").is_err());
        assert!(check_executable_format(&[0u8; 64]).is_err());
        assert!(check_executable_format(b"").is_err());
        let mut elf = vec![0u8; 64];
        elf[..4].copy_from_slice(b"\x7fELF");
        elf[4] = 2;
        let machine: u16 = if cfg!(target_arch = "aarch64") {
            183
        } else {
            62
        };
        elf[18..20].copy_from_slice(&machine.to_le_bytes());
        if cfg!(target_os = "linux") {
            assert!(check_executable_format(&elf).is_ok());
            elf[18..20].copy_from_slice(&40u16.to_le_bytes()); // ARM 32-bit
            assert!(check_executable_format(&elf).is_err());
        }
    }
}
