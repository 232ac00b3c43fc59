//! Reading a file a user named (a kubeconfig, a config, a manifest, a request body): only a
//! regular file, and only up to a limit. A FIFO would block the read forever and a device such
//! as `/dev/zero` read without end. Each layer turns a refusal into its own error.

use std::io::Read;
use std::path::Path;

#[derive(Debug)]
pub enum Refused {
    /// A FIFO, device, socket or directory.
    NotRegular,
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

/// The file's size, once it is known to be a regular file of at most `limit` bytes.
pub fn check_regular(path: &Path, limit: u64) -> Result<u64, Refused> {
    let meta = std::fs::metadata(path).map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotRegular);
    }
    if meta.len() > limit {
        return Err(Refused::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok(meta.len())
}

/// The bytes of a regular file of at most `limit` bytes, also when it grows while it is read.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    check_regular(path, limit)?;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(limit + 1).read_to_end(&mut bytes))
        .map_err(Refused::Io)?;
    let size = bytes.len() as u64;
    if size > limit {
        return Err(Refused::TooLarge { size, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_up_to_the_limit_are_read_and_others_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").expect("write");
        assert_eq!(read_regular(&path, 5).ok(), Some(b"12345".to_vec()));
        assert!(matches!(
            read_regular(&path, 4),
            Err(Refused::TooLarge { size: 5, limit: 4 })
        ));
        assert!(matches!(
            read_regular(dir.path(), 5),
            Err(Refused::NotRegular)
        ));
        assert!(matches!(
            read_regular(Path::new("/dev/zero"), 5),
            Err(Refused::NotRegular)
        ));
        assert!(matches!(
            check_regular(&dir.path().join("missing"), 5),
            Err(Refused::Io(_))
        ));
    }
}
