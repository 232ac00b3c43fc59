//! The cache of unpacked binaries. Each binary has a record beside it naming the SHA-256 of the
//! archive it came from and of the binary itself; a binary whose record is missing or does not
//! match is not used (it may be left over from a refused or interrupted unpacking).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn record_path(binary: &Path) -> PathBuf {
    let mut name = binary.file_name().unwrap_or_default().to_os_string();
    name.push(".sha256");
    binary.with_file_name(name)
}

/// Writes the record atomically, after the binary is in place.
pub fn write_record(
    binary: &Path,
    archive_sha256: &str,
    binary_sha256: &str,
) -> std::io::Result<()> {
    let path = record_path(binary);
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    write!(temp, "archive {archive_sha256}\nbinary {binary_sha256}\n")?;
    temp.flush()?;
    temp.persist(&path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether `binary` is a cached binary this cache wrote: its record exists and its content has
/// the digest recorded.
pub fn is_trusted(binary: &Path) -> bool {
    let Ok(record) = std::fs::read_to_string(record_path(binary)) else {
        return false;
    };
    let field = |key: &str| {
        record
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
            .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let (Some(_archive), Some(expected)) = (field("archive"), field("binary")) else {
        return false;
    };
    digest_of(binary).is_ok_and(|actual| actual == expected)
}

fn digest_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_is_trusted_only_with_a_matching_record() {
        let dir = tempfile::tempdir().expect("temp dir");
        let binary = dir.path().join("istioctl");
        std::fs::write(&binary, b"binary").expect("write");
        assert!(!is_trusted(&binary), "no record");
        let digest = format!("{:x}", Sha256::digest(b"binary"));
        write_record(&binary, &"a".repeat(64), &digest).expect("record");
        assert!(is_trusted(&binary));
        std::fs::write(&binary, b"swapped").expect("write");
        assert!(!is_trusted(&binary), "content changed");
    }
}
