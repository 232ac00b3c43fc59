//! What one pod asks of its namespace once admitted: its containers' CPU and memory requests and
//! limits as the API server defaults them (a limit without a request requests the limit;
//! LimitRange defaults fill the rest), plus the sidecar the injector adds, with the resources
//! its config (or the pinned profile's defaults) and the pod's `sidecar.istio.io/proxy…`
//! annotations give it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::quantity::{self, Milli};
use crate::snapshot::json::{SIDECAR, array};
use crate::snapshot::{MeshSnapshot, kind_of, name_of, namespace_of};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resource {
    Cpu,
    Memory,
}

impl Resource {
    pub const ALL: [Resource; 2] = [Resource::Cpu, Resource::Memory];

    pub fn key(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Memory => "memory",
        }
    }

    pub fn show(self, amount: Milli) -> String {
        match self {
            Self::Cpu => quantity::cpu(amount),
            Self::Memory => quantity::memory(amount),
        }
    }
}

/// CPU and memory, either of which may be unset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amounts {
    pub cpu: Option<Milli>,
    pub memory: Option<Milli>,
}

impl Amounts {
    pub fn get(&self, resource: Resource) -> Option<Milli> {
        match resource {
            Resource::Cpu => self.cpu,
            Resource::Memory => self.memory,
        }
    }

    fn set(&mut self, resource: Resource, amount: Option<Milli>) {
        match resource {
            Resource::Cpu => self.cpu = amount,
            Resource::Memory => self.memory = amount,
        }
    }

    /// From a `{cpu: …, memory: …}` map.
    pub fn of(value: &Value) -> Self {
        Self {
            cpu: quantity::of_json(&value["cpu"]),
            memory: quantity::of_json(&value["memory"]),
        }
    }
}

/// Whether a container runs alongside the others (its requests add up) or before them (the pod
/// needs only the largest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Running,
    Init,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    pub requests: Amounts,
    pub limits: Amounts,
    /// The sidecar the injector will add (not in the object itself).
    pub injected: bool,
    pub phase: Phase,
}

/// The injector's resources for `istio-proxy` (`global.proxy.resources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SidecarResources {
    pub requests: Amounts,
    pub limits: Amounts,
}

/// Istio 1.31's default profile (`manifests/charts/istio-control/istio-discovery/values.yaml`).
const DEFAULT_SIDECAR: SidecarResources = SidecarResources {
    requests: Amounts {
        cpu: Some(100),
        memory: Some(128 * 1024 * 1024 * 1000),
    },
    limits: Amounts {
        cpu: Some(2000),
        memory: Some(1024 * 1024 * 1024 * 1000),
    },
};

/// The injector's ConfigMap in the Istio namespace: its `values` (JSON) hold the proxy resources.
const INJECTOR_CONFIG: &str = "istio-sidecar-injector";

impl SidecarResources {
    /// From the injector's ConfigMap when the snapshot holds it (live, or a rendered install in
    /// the files), else the pinned profile's defaults.
    pub fn of(snapshot: &MeshSnapshot, istio_namespace: &str) -> (Self, &'static str) {
        let config = snapshot
            .objects()
            .iter()
            .find(|o| {
                kind_of(o) == "ConfigMap"
                    && name_of(o) == INJECTOR_CONFIG
                    && namespace_of(o) == istio_namespace
            })
            .and_then(|cm| cm.data["data"]["values"].as_str())
            .and_then(|values| serde_json::from_str::<Value>(values).ok());
        match config {
            Some(values) => {
                let resources = &values["global"]["proxy"]["resources"];
                let found = Self {
                    requests: Amounts::of(&resources["requests"]),
                    limits: Amounts::of(&resources["limits"]),
                };
                (found, "the injector's config (istio-sidecar-injector)")
            }
            None => (DEFAULT_SIDECAR, "Istio 1.31's default profile"),
        }
    }

    /// What the injection template gives a pod with these annotations: any of the four
    /// `sidecar.istio.io/proxy…` annotations replaces the config entirely, setting only what
    /// the annotations name.
    pub fn for_pod(&self, annotations: &BTreeMap<String, String>) -> (Amounts, Amounts) {
        let annotated = |key: &str| annotations.get(&format!("sidecar.istio.io/{key}"));
        let keys = [
            "proxyCPU",
            "proxyMemory",
            "proxyCPULimit",
            "proxyMemoryLimit",
        ];
        if !keys.iter().any(|k| annotated(k).is_some()) {
            return (self.requests, self.limits);
        }
        let amount = |key: &str| annotated(key).and_then(|v| quantity::parse(v));
        (
            Amounts {
                cpu: amount("proxyCPU"),
                memory: amount("proxyMemory"),
            },
            Amounts {
                cpu: amount("proxyCPULimit"),
                memory: amount("proxyMemoryLimit"),
            },
        )
    }
}

/// The containers of a pod spec as the API server will hold them: a limit without a request
/// requests the limit (the API's own defaulting, before any admission).
pub fn containers(spec: &Value) -> Vec<Container> {
    let regular = array(&spec["containers"])
        .iter()
        .map(|c| (c, Phase::Running));
    // A native sidecar (an init container that restarts `Always`) runs alongside the others.
    let init = array(&spec["initContainers"]).iter().map(|c| {
        let phase = if c["restartPolicy"] == "Always" {
            Phase::Running
        } else {
            Phase::Init
        };
        (c, phase)
    });
    regular
        .chain(init)
        .map(|(c, phase)| {
            let mut container = Container {
                name: c["name"].as_str().unwrap_or("").to_string(),
                requests: Amounts::of(&c["resources"]["requests"]),
                limits: Amounts::of(&c["resources"]["limits"]),
                injected: false,
                phase,
            };
            request_the_limit(&mut container);
            container
        })
        .collect()
}

pub fn request_the_limit(container: &mut Container) {
    for resource in Resource::ALL {
        if container.requests.get(resource).is_none() {
            container
                .requests
                .set(resource, container.limits.get(resource));
        }
    }
}

/// The sidecar the injector adds to a pod with these annotations.
pub fn sidecar(config: &SidecarResources, annotations: &BTreeMap<String, String>) -> Container {
    let (requests, limits) = config.for_pod(annotations);
    let mut container = Container {
        name: SIDECAR.to_string(),
        requests,
        limits,
        injected: true,
        phase: Phase::Running,
    };
    request_the_limit(&mut container);
    container
}

/// A LimitRange's `Container` defaults, as the API server completes them: `max` is the default
/// limit when none is given, and the default limit the default request.
pub fn container_defaults(item: &Value) -> (Amounts, Amounts) {
    let max = Amounts::of(&item["max"]);
    let mut limit = Amounts::of(&item["default"]);
    let mut request = Amounts::of(&item["defaultRequest"]);
    for resource in Resource::ALL {
        if limit.get(resource).is_none() {
            limit.set(resource, max.get(resource));
        }
        if request.get(resource).is_none() {
            request.set(resource, limit.get(resource));
        }
    }
    (request, limit)
}

/// LimitRanger's defaulting of a container the pod spec declares (the injected sidecar comes
/// after it and keeps what the injector gave it).
pub fn apply_defaults(container: &mut Container, request: &Amounts, limit: &Amounts) {
    for resource in Resource::ALL {
        if container.limits.get(resource).is_none() {
            container.limits.set(resource, limit.get(resource));
        }
        if container.requests.get(resource).is_none() {
            container.requests.set(resource, request.get(resource));
        }
    }
}

/// What the pod as a whole counts against a quota: the running containers together, or the
/// largest init container if that is more.
pub fn pod_total(containers: &[Container], amount: impl Fn(&Container) -> Option<Milli>) -> Milli {
    let running: Milli = containers
        .iter()
        .filter(|c| c.phase == Phase::Running)
        .filter_map(&amount)
        .sum();
    let init = containers
        .iter()
        .filter(|c| c.phase == Phase::Init)
        .filter_map(&amount)
        .max()
        .unwrap_or(0);
    running.max(init)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotations(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (format!("sidecar.istio.io/{k}"), v.to_string()))
            .collect()
    }

    #[test]
    fn the_sidecar_takes_the_profile_unless_annotations_replace_it() {
        let (requests, limits) = DEFAULT_SIDECAR.for_pod(&BTreeMap::new());
        assert_eq!((requests.cpu, limits.cpu), (Some(100), Some(2000)));
        assert_eq!(
            (requests.memory, limits.memory),
            (quantity::parse("128Mi"), quantity::parse("1Gi"))
        );
        let (requests, limits) = DEFAULT_SIDECAR.for_pod(&annotations(&[("proxyCPU", "50m")]));
        assert_eq!(
            requests,
            Amounts {
                cpu: Some(50),
                memory: None
            }
        );
        assert_eq!(limits, Amounts::default());
        let s = sidecar(
            &DEFAULT_SIDECAR,
            &annotations(&[("proxyCPULimit", "1"), ("proxyMemoryLimit", "256Mi")]),
        );
        // limits alone: the API server requests the limit
        assert_eq!(s.requests.cpu, Some(1000));
        assert_eq!(s.requests.memory, quantity::parse("256Mi"));
        assert!(s.injected && s.phase == Phase::Running);
    }

    #[test]
    fn the_injector_config_is_read_from_its_configmap() {
        let snapshot = MeshSnapshot::from_yaml(
            r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-sidecar-injector, namespace: istio-system}
data:
  values: '{"global": {"proxy": {"resources": {"requests": {"cpu": "10m", "memory": "40Mi"}, "limits": {"cpu": "2000m"}}}}}'
"#,
            "default",
        );
        let (config, source) = SidecarResources::of(&snapshot, "istio-system");
        assert_eq!(config.requests.cpu, Some(10));
        assert_eq!(config.limits.memory, None);
        assert!(source.contains("injector"));
        let (config, source) = SidecarResources::of(&snapshot, "mesh");
        assert_eq!(config, DEFAULT_SIDECAR);
        assert!(source.contains("1.31"));
    }

    #[test]
    fn containers_request_their_limit_and_init_containers_count_once() {
        let spec: Value = serde_json::json!({
            "containers": [
                {"name": "a", "resources": {"limits": {"cpu": "300m"}}},
                {"name": "b", "resources": {"requests": {"cpu": "200m"}}},
            ],
            "initContainers": [
                {"name": "migrate", "resources": {"requests": {"cpu": "1"}}},
                {"name": "native", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}}},
            ],
        });
        let all = containers(&spec);
        assert_eq!(all[0].requests.cpu, Some(300));
        assert_eq!(all[1].limits.cpu, None);
        assert_eq!(all[3].phase, Phase::Running);
        assert_eq!(pod_total(&all, |c| c.requests.cpu), 1000);
        assert_eq!(pod_total(&all[..2], |c| c.requests.cpu), 500);
        assert_eq!(pod_total(&all, |c| c.limits.cpu), 300);
    }

    #[test]
    fn limit_range_defaults_complete_from_max() {
        let item = serde_json::json!({"type": "Container", "max": {"cpu": "1", "memory": "1Gi"}, "default": {"memory": "512Mi"}, "defaultRequest": {"memory": "256Mi"}});
        let (request, limit) = container_defaults(&item);
        assert_eq!((request.cpu, limit.cpu), (Some(1000), Some(1000)));
        assert_eq!(limit.memory, quantity::parse("512Mi"));
        assert_eq!(request.memory, quantity::parse("256Mi"));
        let mut c = containers(&serde_json::json!({"containers": [{"name": "x", "resources": {"requests": {"cpu": "50m"}}}]})).remove(0);
        apply_defaults(&mut c, &request, &limit);
        assert_eq!(c.requests.cpu, Some(50));
        assert_eq!(c.limits.cpu, Some(1000));
        assert_eq!(c.requests.memory, quantity::parse("256Mi"));
    }
}
