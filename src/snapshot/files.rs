//! Reads the snapshot from YAML files and directories, with no cluster at all (pre-merge CI).

use std::path::{Path, PathBuf};

use kube::api::{DynamicObject, TypeMeta};
use serde_json::Value;

use super::{Error, MeshSnapshot, ObjectRef, Result, walk};

/// Every `.yaml`/`.yml` file under `paths` (each real file once); no object at all is an error; objects without a namespace get `default_namespace`.
pub fn from_paths(paths: &[PathBuf], default_namespace: &str) -> Result<MeshSnapshot> {
    let (mut objects, mut unnamed) = (Vec::new(), Vec::new());
    for file in walk::yaml_files(paths)? {
        let text = walk::read_capped(&file)?;
        let (parsed, nameless) = parse(&file, &text, default_namespace)?;
        objects.extend(parsed);
        unnamed.extend(nameless);
    }
    if objects.is_empty() {
        // An empty directory or a typo must not pass CI as "no findings".
        return Err(Error::NothingRead {
            paths: paths.to_vec(),
        });
    }
    let has_workloads = super::holds_workloads(&objects);
    Ok(MeshSnapshot {
        objects,
        has_workloads,
        live: false,
        unread: Vec::new(),
        unnamed,
    })
}

/// The objects of a multi-document YAML text, and which of them had no name; `file` names it
/// in errors and in the names given to nameless objects.
pub(super) fn parse(
    file: &Path,
    text: &str,
    default_namespace: &str,
) -> Result<(Vec<DynamicObject>, Vec<ObjectRef>)> {
    let documents: Vec<Value> =
        serde_saphyr::from_multiple(text).map_err(|source| Error::Yaml {
            path: file.to_path_buf(),
            source: Box::new(source),
        })?;
    let (mut objects, mut unnamed) = (Vec::new(), Vec::new());
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
        if object.metadata.name.as_deref().is_none_or(str::is_empty) {
            object.metadata.name = Some(format!(
                "(unnamed: {} document {})",
                file.display(),
                index + 1
            ));
            unnamed.push(ObjectRef::of(&object));
        }
        objects.push(object);
    }
    Ok((objects, unnamed))
}
