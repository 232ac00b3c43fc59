//! Which files `--file` reads: the YAML files under the paths given, each real file once (by
//! device and inode, so symlink loops, `self -> .` and a file named twice add nothing), regular
//! files only (a FIFO blocks, a device never ends), each read up to a cap. Inside a directory, a
//! link to a directory is followed only when it stays inside the directory given: `up -> ..`
//! would otherwise walk whatever lies above.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::{Error, Result};

/// The largest manifest file read: far above any real set of manifests, far below what would
/// exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The YAML files under `paths`, in order, each real file once. A path given explicitly is read
/// whatever its extension; inside directories only `.yaml` and `.yml` files are.
pub fn yaml_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut walk = Walk::default();
    for path in paths {
        walk.root = std::fs::canonicalize(path).ok();
        walk.visit(path)?;
    }
    Ok(walk.files)
}

#[derive(Default)]
struct Walk {
    seen: HashSet<(u64, u64)>,
    /// The path given, resolved: where linked directories may lead.
    root: Option<PathBuf>,
    files: Vec<PathBuf>,
}

impl Walk {
    fn visit(&mut self, path: &Path) -> Result<()> {
        let read_error = |source| Error::Read {
            path: path.to_path_buf(),
            source,
        };
        // Follows symlinks: a link is read as what it points to, and counted by that.
        let meta = std::fs::metadata(path).map_err(read_error)?;
        if meta.is_dir() {
            if !self.seen.insert((meta.dev(), meta.ino())) {
                return Ok(());
            }
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(read_error)?
                .map(|e| e.map(|e| e.path()))
                .collect::<std::io::Result<_>>()
                .map_err(read_error)?;
            entries.sort();
            for entry in entries {
                let yaml = entry.extension().is_some_and(|x| x == "yaml" || x == "yml");
                if yaml || (entry.is_dir() && self.within_root(&entry)) {
                    self.visit(&entry)?;
                }
            }
            return Ok(());
        }
        if !meta.is_file() {
            return Err(Error::NotRegular {
                path: path.to_path_buf(),
            });
        }
        if self.seen.insert((meta.dev(), meta.ino())) {
            self.files.push(path.to_path_buf());
        }
        Ok(())
    }
}

impl Walk {
    /// Whether a directory (a link to one, say) resolves to somewhere under the path given.
    fn within_root(&self, dir: &Path) -> bool {
        match (&self.root, std::fs::canonicalize(dir)) {
            (Some(root), Ok(target)) => target.starts_with(root),
            _ => false,
        }
    }
}

/// The text of one file, refused past [`MAX_FILE_BYTES`] (it may have grown since the walk).
pub fn read_capped(path: &Path) -> Result<String> {
    use crate::files::{Refused, read_regular};
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let bytes = read_regular(path, MAX_FILE_BYTES).map_err(|refused| match refused {
        Refused::NotRegular => Error::NotRegular {
            path: path.to_path_buf(),
        },
        Refused::TooLarge { limit, .. } => Error::TooLarge {
            path: path.to_path_buf(),
            limit,
        },
        Refused::Io(e) => read_error(e),
    })?;
    String::from_utf8(bytes)
        .map_err(|e| read_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("meshctl-walk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn links_to_directories_and_files_named_twice_are_read_once() {
        let dir = temp_dir("links");
        std::fs::write(dir.join("a.yaml"), "x: 1").expect("write");
        std::os::unix::fs::symlink(".", dir.join("self")).expect("link");
        std::os::unix::fs::symlink("..", dir.join("up")).expect("link");
        std::os::unix::fs::symlink("a.yaml", dir.join("b.yaml")).expect("link");
        let files = yaml_files(&[dir.clone(), dir.join("a.yaml"), dir.clone()]).expect("walk");
        assert_eq!(files, vec![dir.join("a.yaml")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = temp_dir("fifo");
        let fifo = dir.join("pipe.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        for path in [dir.clone(), fifo.clone(), PathBuf::from("/dev/zero")] {
            let error = yaml_files(std::slice::from_ref(&path)).expect_err("refused");
            assert!(
                matches!(error, Error::NotRegular { .. }),
                "{path:?}: {error}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
