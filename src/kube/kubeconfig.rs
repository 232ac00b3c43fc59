//! Finding and reading kubeconfig files: `--kubeconfig`, the `KUBECONFIG` list (merged like
//! kubectl, which skips files that do not exist), `~/.kube/config`. Only regular files of a sane
//! size are read, so a FIFO or `/dev/zero` given by mistake fails at once instead of hanging.

use std::path::{Path, PathBuf};

use kube::config::Kubeconfig;

use super::error::{Cause, Error, Result};

/// Far above any real kubeconfig (they are kilobytes; a few hundred contexts is still < 1 MiB).
const MAX_KUBECONFIG: u64 = 16 * 1024 * 1024;

/// `--kubeconfig`, else `KUBECONFIG` (merged like kubectl), else `~/.kube/config`; `None` means
/// fall back to the in-cluster service account.
pub fn read_kubeconfig(explicit: Option<&Path>) -> Result<Option<(Kubeconfig, PathBuf)>> {
    if let Some(path) = explicit {
        return read_file(path).map(Some);
    }
    if let Some(list) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        let shown = PathBuf::from(&list);
        // kubectl skips entries that do not exist; any other failure to read one is fatal.
        let present: Vec<PathBuf> = std::env::split_paths(&list)
            .filter(|p| !p.as_os_str().is_empty() && std::fs::symlink_metadata(p).is_ok())
            .collect();
        let mut merged: Option<Kubeconfig> = None;
        for path in &present {
            let (next, _) = read_file(path)?;
            merged = Some(match merged {
                None => next,
                Some(done) => done.merge(next).map_err(|e| Error::Kubeconfig {
                    path: path.clone(),
                    source: Cause::new(e),
                })?,
            });
        }
        return match merged {
            Some(config) => Ok(Some((config, shown))),
            None => Err(Error::NoKubeconfigInList { list: shown }),
        };
    }
    let home_config = std::env::home_dir().map(|home| home.join(".kube").join("config"));
    match home_config {
        Some(path) if path.exists() => read_file(&path).map(Some),
        _ => Ok(None),
    }
}

fn read_file(path: &Path) -> Result<(Kubeconfig, PathBuf)> {
    check_regular(path)?;
    let config = Kubeconfig::read_from(path).map_err(|e| Error::Kubeconfig {
        path: path.to_path_buf(),
        source: Cause::new(e),
    })?;
    Ok((config, path.to_path_buf()))
}

/// Only a regular file of at most [`MAX_KUBECONFIG`] bytes is handed to the kubeconfig reader.
fn check_regular(path: &Path) -> Result<()> {
    use crate::files::{Refused, check_regular};
    let path_buf = path.to_path_buf();
    check_regular(path, MAX_KUBECONFIG).map_err(|refused| match refused {
        Refused::NotRegular => Error::NotAFile { path: path_buf },
        Refused::TooLarge { size, limit } => Error::TooLarge {
            path: path_buf,
            size,
            limit,
        },
        Refused::Io(e) => Error::Kubeconfig {
            path: path_buf,
            source: Cause::new(e),
        },
    })?;
    Ok(())
}
