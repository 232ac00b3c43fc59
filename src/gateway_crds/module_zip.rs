//! A Go module zip as the module proxy serves it: verified against the module's `h1:` hash (the
//! one go.sum pins and the checksum database publishes, over the files' contents, so any mirror
//! will do), then the files of one directory taken out. Entry counts and sizes are capped: the
//! zip is input from the network.

use std::io::{Read, Seek};

use base64::Engine;
use sha2::{Digest, Sha256};

/// gateway-api v1.6.0 has 775 files and ~15 MiB unpacked.
const MAX_ENTRIES: usize = 20_000;
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error("not a readable zip archive")]
    Unreadable(#[source] zip::result::ZipError),
    #[error("reading {entry} failed")]
    Entry {
        entry: String,
        #[source]
        source: std::io::Error,
    },
    #[error("more than {MAX_ENTRIES} entries or {MAX_UNPACKED} bytes unpacked: not a module zip")]
    TooLarge,
    #[error("its content hash is {actual}, not the pinned {expected}")]
    HashMismatch { expected: String, actual: String },
}

/// Every file of the zip, verified against `expected_h1`; those under `dir` (a path inside the
/// module, e.g. `config/crd/standard/`) are returned, sorted by name, as (name, content).
pub fn verified_files<R: Read + Seek>(
    archive: R,
    module_prefix: &str,
    dir: &str,
    expected_h1: &str,
) -> Result<Vec<(String, Vec<u8>)>, ZipError> {
    let mut zip = zip::ZipArchive::new(archive).map_err(ZipError::Unreadable)?;
    if zip.len() > MAX_ENTRIES {
        return Err(ZipError::TooLarge);
    }
    let mut listing = Vec::with_capacity(zip.len());
    let mut wanted = Vec::new();
    let mut unpacked = 0u64;
    let inside = format!("{module_prefix}{dir}");
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).map_err(ZipError::Unreadable)?;
        let name = entry.name().to_string();
        let mut content = Vec::new();
        let limit = MAX_UNPACKED - unpacked + 1;
        (&mut entry)
            .take(limit)
            .read_to_end(&mut content)
            .map_err(|source| ZipError::Entry {
                entry: name.clone(),
                source,
            })?;
        unpacked += content.len() as u64;
        if unpacked > MAX_UNPACKED {
            return Err(ZipError::TooLarge);
        }
        listing.push((name.clone(), format!("{:x}", Sha256::digest(&content))));
        if name.starts_with(&inside) && !name[inside.len()..].contains('/') {
            wanted.push((name[module_prefix.len()..].to_string(), content));
        }
    }
    let actual = h1(&mut listing);
    if actual != expected_h1 {
        return Err(ZipError::HashMismatch {
            expected: expected_h1.to_string(),
            actual,
        });
    }
    wanted.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(wanted)
}

/// Go's dirhash "h1": the SHA-256 of the sorted lines `<sha256 hex>  <name>\n`, base64.
fn h1(listing: &mut [(String, String)]) -> String {
    listing.sort();
    let mut summary = Sha256::new();
    for (name, digest) in listing.iter() {
        summary.update(format!("{digest}  {name}\n"));
    }
    let digest = summary.finalize();
    format!(
        "h1:{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    use super::*;

    const PREFIX: &str = "example.com/m@v1.0.0/";

    fn module(files: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in files {
            writer
                .start_file(format!("{PREFIX}{name}"), SimpleFileOptions::default())
                .expect("start entry");
            writer.write_all(content.as_bytes()).expect("write entry");
        }
        writer.finish().expect("finish zip").into_inner()
    }

    fn hash_of(files: &[(&str, &str)]) -> String {
        let mut listing: Vec<(String, String)> = files
            .iter()
            .map(|(n, c)| (format!("{PREFIX}{n}"), format!("{:x}", Sha256::digest(c))))
            .collect();
        h1(&mut listing)
    }

    #[test]
    fn h1_is_go_s_dirhash_sorted_by_name() {
        // The expected value comes from an independent implementation of Go's dirhash.Hash1
        // (Python's hashlib), which gives go's own ziphash for gateway-api v1.6.0's zip.
        let mut listing = vec![
            ("m@v1/b/c".to_string(), format!("{:x}", Sha256::digest(""))),
            (
                "m@v1/a".to_string(),
                format!("{:x}", Sha256::digest("hello\n")),
            ),
        ];
        assert_eq!(
            h1(&mut listing),
            "h1:6+0Y7/MXp1ctzRSp+I89tbLN2G/Zk5FQoKn+4xucDhU="
        );
    }

    #[test]
    fn returns_only_the_directory_s_own_files_sorted() {
        let files = [
            ("config/crd/standard/b.yaml", "b"),
            ("config/crd/standard/a.yaml", "a"),
            ("config/crd/standard/sub/c.yaml", "c"),
            ("config/crd/experimental/x.yaml", "x"),
            ("README.md", "r"),
        ];
        let zip = module(&files);
        let got = verified_files(
            Cursor::new(zip),
            PREFIX,
            "config/crd/standard/",
            &hash_of(&files),
        )
        .expect("verified");
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["config/crd/standard/a.yaml", "config/crd/standard/b.yaml"]
        );
        assert_eq!(got[0].1, b"a");
    }

    #[test]
    fn refuses_a_zip_whose_content_differs_from_the_pin() {
        let files = [("config/crd/standard/a.yaml", "a")];
        let tampered = module(&[("config/crd/standard/a.yaml", "A")]);
        let err = verified_files(Cursor::new(tampered), PREFIX, "config/", &hash_of(&files))
            .expect_err("tampered content");
        assert!(matches!(err, ZipError::HashMismatch { .. }), "{err}");
        let extra = module(&[("config/crd/standard/a.yaml", "a"), ("evil.go", "x")]);
        let err = verified_files(Cursor::new(extra), PREFIX, "config/", &hash_of(&files))
            .expect_err("an added file changes the hash");
        assert!(matches!(err, ZipError::HashMismatch { .. }), "{err}");
    }

    #[test]
    fn refuses_what_is_not_a_zip() {
        let err = verified_files(
            Cursor::new(b"<html>not found</html>".to_vec()),
            PREFIX,
            "",
            "h1:x",
        )
        .expect_err("not a zip");
        assert!(matches!(err, ZipError::Unreadable(_)), "{err}");
    }
}
