//! Reading an addon's manifest from the release: every document as an object, labelled as
//! meshctl's (and as this addon's), and the version its main image names.

use serde_json::{Map, Value};

use super::catalog::{ADDON_LABEL, Addon};
use super::error::{Error, Result};
use crate::istioctl::{IstioctlSource, Progress, addon_manifests};
use crate::manifests::MANAGED_BY;

/// Each addon with its objects, in the order given, moved to `namespace`.
pub async fn load(
    source: &IstioctlSource,
    addons: &[&'static Addon],
    namespace: &str,
    download: &dyn Progress,
) -> Result<Vec<(&'static Addon, Vec<Value>)>> {
    let names: Vec<&str> = addons.iter().map(|a| a.name).collect();
    let paths = addon_manifests(source, &names, download).await?;
    let mut loaded = Vec::with_capacity(addons.len());
    for (addon, path) in addons.iter().zip(paths) {
        let problem = |reason: String| Error::Manifest {
            path: path.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&path).map_err(|e| problem(e.to_string()))?;
        let mut objects = parse(&text, addon.name).map_err(problem)?;
        for object in &mut objects {
            retarget(object, namespace);
        }
        loaded.push((*addon, objects));
    }
    Ok(loaded)
}

/// The documents of `text` that are objects, each labelled; anything else is refused.
fn parse(text: &str, addon: &str) -> Result<Vec<Value>, String> {
    let documents: Vec<Value> = serde_saphyr::from_multiple(text).map_err(|e| e.to_string())?;
    let mut objects = Vec::new();
    for mut object in documents.into_iter().filter(|d| !d.is_null()) {
        if object["kind"].as_str().is_none() || object.pointer("/metadata/name").is_none() {
            return Err(format!(
                "document {} has no kind or name",
                objects.len() + 1
            ));
        }
        let metadata = object
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            .ok_or("metadata is not a map")?;
        let labels = metadata
            .entry("labels")
            .or_insert_with(|| Value::Object(Map::new()));
        if labels.is_null() {
            *labels = Value::Object(Map::new());
        }
        let labels = labels.as_object_mut().ok_or("labels is not a map")?;
        labels.insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
        labels.insert(ADDON_LABEL.into(), addon.into());
        objects.push(object);
    }
    Ok(objects)
}

/// Moves a namespaced object to `namespace`, and the subjects of a binding with it. Cluster-scoped
/// objects (which have no namespace) keep their names.
fn retarget(object: &mut Value, namespace: &str) {
    if let Some(ns) = object.pointer_mut("/metadata/namespace") {
        *ns = namespace.into();
    }
    if let Some(subjects) = object.get_mut("subjects").and_then(Value::as_array_mut) {
        for subject in subjects {
            if let Some(ns) = subject.get_mut("namespace") {
                *ns = namespace.into();
            }
        }
    }
}

/// The tag of the addon's main image in its workload, e.g. `v2.27` for Kiali.
pub fn version_of(addon: &Addon, objects: &[Value]) -> Option<String> {
    let (kind, name) = addon.workload;
    let kind = format!("{kind:?}");
    let workload = objects.iter().find(|o| {
        o["kind"].as_str() == Some(kind.as_str())
            && o.pointer("/metadata/name").and_then(Value::as_str) == Some(name)
    })?;
    let containers = workload
        .pointer("/spec/template/spec/containers")?
        .as_array()?;
    let images = containers.iter().filter_map(|c| c["image"].as_str());
    tag_of(addon, images)
}

/// The tag of the first image whose repository's last segment is the addon's image name.
pub fn tag_of<'a>(addon: &Addon, images: impl Iterator<Item = &'a str>) -> Option<String> {
    images.into_iter().find_map(|image| {
        let (repository, tag) = image.rsplit_once(':')?;
        let last = repository.rsplit('/').next()?;
        (last == addon.image && !tag.contains('/')).then(|| tag.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addons::find;

    #[test]
    fn objects_are_labelled_and_the_version_is_the_main_images_tag() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: prometheus, namespace: istio-system}\n\
            spec: {template: {spec: {containers: [\
            {name: reload, image: 'ghcr.io/x/prometheus-config-reloader:v0.89.0'},\
            {name: server, image: 'docker.io/prom/prometheus:v3.10.0'}]}}}\n---\n\
            apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: prometheus, labels: null}\n";
        let addon = find("prometheus").expect("known");
        let objects = parse(text, "prometheus").expect("parsed");
        assert_eq!(objects.len(), 2);
        for object in &objects {
            assert_eq!(object["metadata"]["labels"][ADDON_LABEL], "prometheus");
            assert_eq!(object["metadata"]["labels"][MANAGED_BY.0], MANAGED_BY.1);
        }
        assert_eq!(version_of(addon, &objects).as_deref(), Some("v3.10.0"));
        assert!(parse("kind: ConfigMap\n", "x").is_err(), "no name");
        let mut binding = serde_json::json!({"kind": "ClusterRoleBinding", "metadata": {"name": "b"},
            "subjects": [{"kind": "ServiceAccount", "name": "p", "namespace": "istio-system"}]});
        retarget(&mut binding, "obs");
        assert_eq!(binding["subjects"][0]["namespace"], "obs");
        assert!(
            binding["metadata"].get("namespace").is_none(),
            "cluster-scoped stays so"
        );
    }
}
