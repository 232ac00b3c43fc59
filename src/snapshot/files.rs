//! Reads the snapshot from manifests, with no cluster at all (pre-merge CI): YAML or JSON files,
//! directories of them, or standard input (`-`, what `helm template … |` pipes), each holding
//! documents, `List`s of objects (what `kubectl get -o yaml` prints) or both, of any count.

use std::path::{Path, PathBuf};

use kube::api::DynamicObject;
use serde_json::Value;

use super::decode::{self, Document};
use super::{Error, MeshSnapshot, ObjectRef, Place, Result, Source, kind_of, walk};

/// Every manifest under `paths` (`-` is standard input, at most once; each real file once).
/// A path, file or input with no Kubernetes object at all is an error, never a clean pass;
/// objects without a namespace get `default_namespace`.
pub fn from_paths(paths: &[PathBuf], default_namespace: &str) -> Result<MeshSnapshot> {
    let (mut objects, mut unnamed) = (Vec::new(), Vec::new());
    let stdin = |p: &&PathBuf| p.as_path() == Path::new("-");
    if paths.iter().filter(stdin).count() > 1 {
        return Err(Error::StdinTwice);
    }
    let mut walk = walk::Walk::default();
    for path in paths {
        let inputs = if stdin(&path) {
            vec![Source::Stdin]
        } else {
            // An empty directory, or one without manifests: likely a typo, never a pass.
            let files = walk.files(path)?.ok_or_else(|| Error::NothingRead {
                input: Source::File(path.clone()),
            })?;
            files.into_iter().map(Source::File).collect()
        };
        for input in inputs {
            let bytes = walk::read_capped(&input)?;
            let parsed = parse(&input, bytes, default_namespace)?;
            if objects.is_empty() {
                // One input (the usual case) is not copied into a second vector.
                objects = parsed.objects;
            } else {
                objects.extend(parsed.objects);
            }
            unnamed.extend(parsed.unnamed);
        }
    }
    Ok(snapshot(objects, unnamed))
}

/// The snapshot of objects read from files.
pub(super) fn snapshot(objects: Vec<DynamicObject>, unnamed: Vec<ObjectRef>) -> MeshSnapshot {
    let has_workloads = super::holds_workloads(&objects);
    let mut snapshot = MeshSnapshot::new(objects);
    snapshot.has_workloads = has_workloads;
    snapshot.unnamed = unnamed;
    snapshot
}

/// The objects of one input, and which of them had no name.
pub(super) struct Parsed {
    pub objects: Vec<DynamicObject>,
    pub unnamed: Vec<ObjectRef>,
}

/// The objects of one input (YAML documents or a JSON stream, `List`s unpacked); `input`
/// names it in errors and in the names given to nameless objects. No object at all is an error.
pub(super) fn parse(input: &Source, bytes: Vec<u8>, default_namespace: &str) -> Result<Parsed> {
    let mut parsed = Parsed {
        objects: Vec::new(),
        unnamed: Vec::new(),
    };
    let mut index = 0;
    decode::documents(input, bytes, |document| {
        index += 1;
        parsed.document(input, index, document, default_namespace)
    })?;
    if parsed.objects.is_empty() {
        // An empty file, only comments, an empty List: nothing was checked, so nothing passes.
        return Err(Error::NothingRead {
            input: input.clone(),
        });
    }
    Ok(parsed)
}

impl Parsed {
    /// The objects of document `index`: itself, or the items of a List.
    fn document(
        &mut self,
        input: &Source,
        index: usize,
        document: Document,
        default_namespace: &str,
    ) -> Result<()> {
        let place = Place {
            document: index,
            item: None,
        };
        let not_an_object = |at| Error::NotAnObject {
            input: input.clone(),
            at,
        };
        match document {
            Document::Object(object) => self.add(input, place, object, default_namespace),
            Document::List(Value::Array(items)) => {
                for (item, object) in items.into_iter().enumerate() {
                    let at = Place {
                        item: Some(item + 1),
                        ..place
                    };
                    let Value::Object(map) = object else {
                        return Err(not_an_object(at));
                    };
                    self.add(input, at, decode::object(map), default_namespace)?;
                }
                Ok(())
            }
            // A `kind: List` without items holds nothing.
            Document::List(Value::Null) => Ok(()),
            Document::List(_) | Document::NotAMapping => Err(not_an_object(place)),
        }
    }

    fn add(
        &mut self,
        input: &Source,
        at: Place,
        object: std::result::Result<DynamicObject, decode::Invalid>,
        default_namespace: &str,
    ) -> Result<()> {
        let mut object = object.map_err(|e| match e {
            decode::Invalid::Untyped => Error::Untyped {
                input: input.clone(),
                at,
            },
            decode::Invalid::Metadata(source) => Error::Object {
                input: input.clone(),
                at,
                source,
            },
        })?;
        if object.metadata.namespace.is_none() && kind_of(&object) != "Namespace" {
            object.metadata.namespace = Some(default_namespace.to_string());
        }
        if object.metadata.name.as_deref().is_none_or(str::is_empty) {
            object.metadata.name = Some(format!("(unnamed: {input} {at})"));
            self.unnamed.push(ObjectRef::of(&object));
        }
        self.objects.push(object);
        Ok(())
    }
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
