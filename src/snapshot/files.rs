//! Reads the snapshot from YAML files and directories, with no cluster at all (pre-merge CI).

use std::path::{Path, PathBuf};

use kube::api::{DynamicObject, TypeMeta};
use serde_json::Value;

use super::{Error, MeshSnapshot, Result, kind_of};

/// Every `.yaml`/`.yml` file under `paths`; objects without a namespace get `default_namespace`.
pub fn from_paths(paths: &[PathBuf], default_namespace: &str) -> Result<MeshSnapshot> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    let mut objects = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|source| Error::Read {
            path: file.clone(),
            source,
        })?;
        objects.extend(parse(&file, &text, default_namespace)?);
    }
    let has_workloads = objects
        .iter()
        .any(|o| matches!(kind_of(o), "Pod" | "Deployment"));
    Ok(MeshSnapshot {
        objects,
        has_workloads,
        live: false,
        unread: Vec::new(),
    })
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    let bad = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(bad)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for entry in entries {
            if entry.is_dir() || entry.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                collect(&entry, files)?;
            }
        }
        return Ok(());
    }
    std::fs::metadata(path).map_err(bad)?;
    files.push(path.to_path_buf());
    Ok(())
}

/// The objects of a multi-document YAML text; `file` names it in errors.
pub(super) fn parse(
    file: &Path,
    text: &str,
    default_namespace: &str,
) -> Result<Vec<DynamicObject>> {
    let documents: Vec<Value> =
        serde_saphyr::from_multiple(text).map_err(|source| Error::Yaml {
            path: file.to_path_buf(),
            source: Box::new(source),
        })?;
    let mut objects = Vec::new();
    for (index, document) in documents.into_iter().filter(|d| !d.is_null()).enumerate() {
        let (Some(api_version), Some(kind)) =
            (document["apiVersion"].as_str(), document["kind"].as_str())
        else {
            return Err(Error::Untyped {
                path: file.to_path_buf(),
                index: index + 1,
            });
        };
        let types = TypeMeta {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
        };
        let mut object: DynamicObject =
            serde_json::from_value(document.clone()).map_err(|source| Error::Object {
                path: file.to_path_buf(),
                index: index + 1,
                source,
            })?;
        object.types = Some(types);
        if object.metadata.namespace.is_none() && kind != "Namespace" {
            object.metadata.namespace = Some(default_namespace.to_string());
        }
        objects.push(object);
    }
    Ok(objects)
}
