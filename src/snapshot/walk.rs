//! Which files `--file` reads: the YAML and JSON files under the paths given, each real file once (by
//! device and inode, so symlink loops, `self -> .` and a file named twice add nothing), regular
//! files only (a FIFO blocks, a device never ends), each read up to a cap. Inside a directory, a
//! link to a directory is followed only when it stays inside the directory given: `up -> ..`
//! would otherwise walk whatever lies above.

use std::collections::HashSet;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::{Error, Result, Source};

/// The largest input read (a file, or standard input): a `kubectl get pods -A -o yaml` of 8,500
/// pods with their managedFields is 40 to 90 MiB, so this leaves room for about three times
/// that, while staying a bound on what is held in memory (parsing is linear in the input).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Where the manifests are: each path given, once it is walked.
#[derive(Default)]
pub struct Walk {
    seen: HashSet<(u64, u64)>,
    /// The path given, resolved: where linked directories may lead.
    root: Option<PathBuf>,
    files: Vec<PathBuf>,
    /// Files met under the path given, read before or not.
    met: usize,
}

impl Walk {
    /// The files under `path` not read before, in order; `None` when there is no manifest file
    /// under it at all (an empty directory, one without YAML or JSON).
    pub fn files(&mut self, path: &Path) -> Result<Option<Vec<PathBuf>>> {
        self.root = std::fs::canonicalize(path).ok();
        self.met = 0;
        self.visit(path)?;
        let files = std::mem::take(&mut self.files);
        Ok((self.met > 0).then_some(files))
    }
}

/// Inside directories, the extensions read as manifests.
fn is_manifest(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
}

impl Walk {
    fn visit(&mut self, path: &Path) -> Result<()> {
        let read_error = |source| Error::Read {
            input: Source::File(path.to_path_buf()),
            source,
        };
        // Follows symlinks: a link is read as what it points to, and counted by that.
        let meta = std::fs::metadata(path).map_err(read_error)?;
        if meta.is_dir() {
            if !self.seen.insert((meta.dev(), meta.ino())) {
                // Walked already, and judged then.
                self.met += 1;
                return Ok(());
            }
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(read_error)?
                .map(|e| e.map(|e| e.path()))
                .collect::<std::io::Result<_>>()
                .map_err(read_error)?;
            entries.sort();
            for entry in entries {
                if is_manifest(&entry) || (entry.is_dir() && self.within_root(&entry)) {
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
        self.met += 1;
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

/// The bytes of one input, refused past [`MAX_INPUT_BYTES`] (a file may have grown since the
/// walk; standard input is read up to the cap and no further).
pub fn read_capped(input: &Source) -> Result<Vec<u8>> {
    use crate::files::{Refused, read_regular};
    let read_error = |source| Error::Read {
        input: input.clone(),
        source,
    };
    let path = match input {
        Source::File(path) => path,
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(read_error)?;
            if bytes.len() as u64 > MAX_INPUT_BYTES {
                return Err(Error::TooLarge {
                    input: Source::Stdin,
                    limit: MAX_INPUT_BYTES,
                });
            }
            return Ok(bytes);
        }
    };
    read_regular(path, MAX_INPUT_BYTES).map_err(|refused| match refused {
        Refused::NotRegular => Error::NotRegular { path: path.clone() },
        Refused::TooLarge { limit, .. } => Error::TooLarge {
            input: input.clone(),
            limit,
        },
        Refused::Io(e) => read_error(e),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removed with its content when dropped, a failed assertion included.
    fn temp_dir(name: &str) -> tempfile::TempDir {
        tempfile::Builder::new()
            .prefix(&format!("meshctl-walk-{name}-"))
            .tempdir()
            .expect("temp dir")
    }

    #[test]
    fn links_to_directories_and_files_named_twice_are_read_once() {
        let scratch = temp_dir("links");
        let dir = scratch.path().to_path_buf();
        std::fs::write(dir.join("a.yaml"), "x: 1").expect("write");
        std::os::unix::fs::symlink(".", dir.join("self")).expect("link");
        std::os::unix::fs::symlink("..", dir.join("up")).expect("link");
        std::os::unix::fs::symlink("a.yaml", dir.join("b.yaml")).expect("link");
        let mut walk = Walk::default();
        let mut files = Vec::new();
        for path in [dir.clone(), dir.join("a.yaml"), dir.clone()] {
            files.extend(walk.files(&path).expect("walk").expect("a manifest met"));
        }
        assert_eq!(files, vec![dir.join("a.yaml")]);
    }

    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let scratch = temp_dir("fifo");
        let dir = scratch.path().to_path_buf();
        let fifo = dir.join("pipe.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        for path in [dir.clone(), fifo.clone(), PathBuf::from("/dev/zero")] {
            let error = Walk::default().files(&path).expect_err("refused");
            assert!(
                matches!(error, Error::NotRegular { .. }),
                "{path:?}: {error}"
            );
        }
    }
}
