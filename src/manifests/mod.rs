//! The embedded manifests under `manifests/`, rendered with a `MeshConfig`. Templates are parsed
//! as YAML first and placeholders are replaced in the parsed tree, so a value can never change
//! the structure: `"{{ path }}"` as a whole value becomes the config value (string, number, list
//! or map, and `null` removes the key), `{{ path }}` inside a longer string is interpolated.

mod config;
mod defaults;
mod error;
mod gateway_api;
mod kube_values;
mod values;

use serde_json::{Map, Value};

pub use config::MeshConfig;
pub use error::{Error, Result};
pub use gateway_api::render_gateway_api;

/// Label on every object meshctl applies, so that `uninstall` finds exactly those.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "meshctl");

/// (group, template) in the order objects are applied.
const TEMPLATES: [(&str, &str); 5] = [
    ("quotas", include_str!("../../manifests/quotas.yaml")),
    ("security", include_str!("../../manifests/security.yaml")),
    ("gateway", include_str!("../../manifests/gateway.yaml")),
    ("routing", include_str!("../../manifests/routing.yaml")),
    (
        "observability",
        include_str!("../../manifests/observability.yaml"),
    ),
];

/// What serves a seed object's purpose when its operator's CRD is missing (the object is skipped):
/// the Istio addon that does the same job without an operator.
pub fn instead_of(kind: &str) -> Option<&'static str> {
    match kind {
        "ServiceMonitor" => Some(
            "`meshctl addons install prometheus` (Istio's Prometheus scrapes the sidecars without the operator)",
        ),
        "Jaeger" => Some("`meshctl addons install jaeger` (Istio's all-in-one Jaeger)"),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub group: &'static str,
    pub object: Value,
}

pub fn render(config: &MeshConfig) -> Result<Vec<Manifest>> {
    let values = template_values(config)?;
    let mut manifests = Vec::new();
    for (group, template) in TEMPLATES {
        let documents: Vec<Value> =
            serde_saphyr::from_multiple(template).map_err(|e| internal(group, &e.to_string()))?;
        for document in documents.into_iter().filter(|d| !d.is_null()) {
            let mut object = substitute(document, &values)
                .map_err(|e| internal(group, &e))?
                .unwrap_or(Value::Null);
            label(&mut object);
            manifests.push(Manifest { group, object });
        }
    }
    Ok(manifests)
}

/// The rendered manifests as one multi-document YAML stream.
pub fn to_yaml(manifests: &[Manifest]) -> Result<String> {
    let mut out = String::new();
    for manifest in manifests {
        let yaml = serde_saphyr::to_string(&manifest.object)
            .map_err(|e| internal(manifest.group, &e.to_string()))?;
        out.push_str("---\n");
        out.push_str(&yaml);
    }
    Ok(out)
}

fn internal(group: &str, reason: &str) -> Error {
    Error::Template {
        group: group.to_string(),
        reason: reason.to_string(),
    }
}

/// The config as the templates see it, plus the parts that depend on more than one setting.
fn template_values(config: &MeshConfig) -> Result<Value> {
    let mut values =
        serde_json::to_value(config).map_err(|e| internal("config", &e.to_string()))?;
    let service =
        serde_json::json!({"host": config.service.name, "port": {"number": config.service.port}});
    let api_route = if config.canary.enabled {
        serde_json::json!([
            {"destination": merge(&service, "subset", "v2"), "weight": config.canary.weights.v2},
            {"destination": merge(&service, "subset", "v1"), "weight": config.canary.weights.v1},
        ])
    } else {
        serde_json::json!([{"destination": service}])
    };
    let canary = config.canary.enabled;
    let fault = &config.fault;
    let computed = serde_json::json!({
        "apiRoute": api_route,
        "mirror": if canary { merge(&service, "subset", "v2") } else { Value::Null },
        "mirrorPercentage": if canary { serde_json::json!({"value": config.canary.mirror_percent.value()}) } else { Value::Null },
        "fault": if fault.enabled {
            serde_json::json!({
                "delay": {"percentage": {"value": fault.delay_percent.value()}, "fixedDelay": fault.delay.render()},
                "abort": {"percentage": {"value": fault.abort_percent.value()}, "httpStatus": fault.abort_status},
            })
        } else { Value::Null },
        "corsOrigins": config.cors.allow_origins.iter().map(|o| serde_json::json!({"exact": o})).collect::<Vec<_>>(),
    });
    if let Value::Object(map) = &mut values {
        map.insert("computed".into(), computed);
    }
    Ok(values)
}

fn merge(base: &Value, key: &str, value: &str) -> Value {
    let mut merged = base.clone();
    if let Value::Object(map) = &mut merged {
        map.insert(key.into(), Value::String(value.into()));
    }
    merged
}

/// Replaces placeholders; `Ok(None)` means "remove this value" (a placeholder that is null).
fn substitute(node: Value, values: &Value) -> Result<Option<Value>, String> {
    match node {
        Value::String(text) => substitute_string(&text, values),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.extend(substitute(item, values)?);
            }
            Ok(Some(Value::Array(out)))
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                if let Some(value) = substitute(value, values)? {
                    out.insert(key, value);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        scalar => Ok(Some(scalar)),
    }
}

fn substitute_string(text: &str, values: &Value) -> Result<Option<Value>, String> {
    let trimmed = text.trim();
    if let Some(path) = trimmed
        .strip_prefix("{{")
        .and_then(|t| t.strip_suffix("}}"))
        && !path.contains("{{")
    {
        let value = lookup(values, path.trim())?;
        return Ok((!value.is_null()).then(|| value.clone()));
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let end = rest[start..]
            .find("}}")
            .ok_or_else(|| format!("unclosed placeholder in {text:?}"))?
            + start;
        out.push_str(&rest[..start]);
        match lookup(values, rest[start + 2..end].trim())? {
            Value::String(s) => out.push_str(s),
            Value::Number(n) => out.push_str(&n.to_string()),
            other => {
                return Err(format!(
                    "placeholder inside {text:?} is not a scalar: {other}"
                ));
            }
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    Ok(Some(Value::String(out)))
}

fn lookup<'a>(values: &'a Value, path: &str) -> Result<&'a Value, String> {
    path.split('.').try_fold(values, |node, key| {
        node.get(key)
            .ok_or_else(|| format!("unknown placeholder {{{{ {path} }}}}"))
    })
}

fn label(object: &mut Value) {
    let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let labels = metadata
        .entry("labels")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(labels) = labels {
        labels.insert(MANAGED_BY.0.into(), Value::String(MANAGED_BY.1.into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(yaml: &str) -> Vec<Manifest> {
        render(&MeshConfig::parse(yaml, "test").expect("config")).expect("render")
    }

    #[test]
    fn defaults_render_every_seed_object_once_with_no_placeholder_left() {
        let manifests = rendered("{}");
        let resources: Vec<String> = manifests
            .iter()
            .map(|m| {
                let o = &m.object;
                let (kind, meta) = (&o["kind"], &o["metadata"]);
                format!(
                    "{}/{}/{}",
                    kind.as_str().unwrap_or("?"),
                    meta["namespace"].as_str().unwrap_or(""),
                    meta["name"].as_str().unwrap_or("?")
                )
            })
            .collect();
        assert_eq!(resources.len(), 12, "{resources:?}");
        assert!(resources.contains(&"VirtualService/production/revenue-engine-vs".to_string()));
        assert_eq!(
            resources
                .iter()
                .filter(|r| r.starts_with("DestinationRule/"))
                .count(),
            1
        );
        let yaml = to_yaml(&manifests).expect("yaml");
        assert!(!yaml.contains("{{"), "{yaml}");
        let vs = &manifests
            .iter()
            .find(|m| m.object["kind"] == "VirtualService")
            .expect("vs")
            .object;
        assert!(
            vs.pointer("/spec/http/0/fault").is_none(),
            "fault off by default"
        );
        assert!(
            vs.pointer("/spec/http/0/mirror").is_none(),
            "mirror off by default"
        );
        assert_eq!(
            vs.pointer("/spec/http/0/timeout"),
            Some(&Value::from("30s"))
        );
        assert_eq!(vs["metadata"]["labels"][MANAGED_BY.0], MANAGED_BY.1);
    }

    #[test]
    fn canary_and_fault_merge_into_the_api_route() {
        let manifests = rendered(
            "canary: {enabled: true, weights: {v1: 90, v2: 10}}\nfault: {enabled: true, abortPercent: 2.5}\n",
        );
        let vs = &manifests
            .iter()
            .find(|m| m.object["kind"] == "VirtualService")
            .expect("vs")
            .object;
        let route = &vs.pointer("/spec/http/0/route").expect("route");
        assert_eq!(route[0]["weight"], 10);
        assert_eq!(route[1]["destination"]["subset"], "v1");
        assert_eq!(
            vs.pointer("/spec/http/0/fault/abort/percentage/value"),
            Some(&Value::from(2.5))
        );
        assert_eq!(
            vs.pointer("/spec/http/0/mirror/subset"),
            Some(&Value::from("v2"))
        );
    }

    #[test]
    fn a_hostile_value_stays_a_value() {
        let manifests =
            rendered("cors: {allowOrigins: [\"x\\n  evil: true\"]}\nnamespace: other\n");
        let vs = &manifests
            .iter()
            .find(|m| m.object["kind"] == "VirtualService")
            .expect("vs")
            .object;
        assert_eq!(
            vs.pointer("/spec/http/0/corsPolicy/allowOrigins/0/exact"),
            Some(&Value::from("x\n  evil: true"))
        );
        assert!(
            manifests
                .iter()
                .all(|m| m.object["metadata"]["namespace"] == "other")
        );
    }
}
