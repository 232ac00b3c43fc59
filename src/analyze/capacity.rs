//! Capacity: whether a namespace's ResourceQuotas and LimitRanges admit the pods its workloads
//! will create, the injected sidecar included. Works from files (nothing has run yet) and live
//! (the controllers' wanted replicas, not the pods that happen to exist).

use std::collections::{BTreeMap, HashMap, HashSet};

use kube::api::DynamicObject;
use serde_json::Value;

use super::capacity_refusals::refusals;
use super::injection_requests::targeted;
use super::pod_resources::{
    Container, Resource, SidecarResources, apply_defaults, container_defaults, containers,
    pod_total, sidecar,
};
use super::quantity::{self, Milli};
use super::{AnalyzeOptions, Code, Finding};
use crate::snapshot::json::{SIDECAR, array};
use crate::snapshot::{MeshSnapshot, kind_of, labels_of, name_of, namespace_of};

/// Controllers with a pod template: where the template is, and what says how many pods run at
/// once. DaemonSets are left out: their count is the number of nodes, which no input tells.
const CONTROLLERS: &[(&str, &str, &str)] = &[
    ("Deployment", "/spec/template", "/spec/replicas"),
    ("StatefulSet", "/spec/template", "/spec/replicas"),
    ("ReplicaSet", "/spec/template", "/spec/replicas"),
    ("Job", "/spec/template", "/spec/parallelism"),
    (
        "CronJob",
        "/spec/jobTemplate/spec/template",
        "/spec/jobTemplate/spec/parallelism",
    ),
];

/// Pods a workload will run: how many, and what each looks like.
struct Planned<'a> {
    object: &'a DynamicObject,
    replicas: i128,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    spec: &'a Value,
    /// A pod already running (live): admitted long ago, it only uses up the quota.
    admitted: bool,
}

fn owned(object: &DynamicObject) -> bool {
    object
        .metadata
        .owner_references
        .as_ref()
        .is_some_and(|o| !o.is_empty())
}

/// A pod that has ended, or a Job that has: it holds no quota any more.
fn finished(object: &DynamicObject) -> bool {
    matches!(
        object.data["status"]["phase"].as_str(),
        Some("Succeeded" | "Failed")
    ) || array(&object.data["status"]["conditions"])
        .iter()
        .any(|c| matches!(c["type"].as_str(), Some("Complete" | "Failed")) && c["status"] == "True")
}

fn string_map(value: &Value) -> BTreeMap<String, String> {
    serde_json::from_value(value.clone()).unwrap_or_default()
}

/// Bare pods first (live they are already admitted), then every controller not owned by another
/// (a Deployment's ReplicaSets, a CronJob's Jobs are counted through their owner), by kind and
/// name so that what is left for each is deterministic.
fn planned<'a>(objects: &[&'a DynamicObject], live: bool) -> Vec<Planned<'a>> {
    let of_kind = |kind: &'static str| objects.iter().copied().filter(move |o| kind_of(o) == kind);
    let mut plan: Vec<Planned<'a>> = of_kind("Pod")
        .filter(|p| !owned(p) && !finished(p))
        .map(|pod| Planned {
            object: pod,
            replicas: 1,
            labels: pod.metadata.labels.clone().unwrap_or_default(),
            annotations: pod.metadata.annotations.clone().unwrap_or_default(),
            spec: &pod.data["spec"],
            admitted: live,
        })
        .collect();
    for (kind, template, count) in CONTROLLERS {
        let mut controllers: Vec<&DynamicObject> = of_kind(kind)
            .filter(|c| !owned(c) && !finished(c))
            .collect();
        controllers.sort_by_key(|c| name_of(c));
        for controller in controllers {
            let Some(template) = controller.data.pointer(template) else {
                continue;
            };
            let replicas = controller
                .data
                .pointer(count)
                .and_then(Value::as_i64)
                .unwrap_or(1);
            if replicas > 0 {
                plan.push(Planned {
                    object: controller,
                    replicas: i128::from(replicas),
                    labels: string_map(&template["metadata"]["labels"]),
                    annotations: string_map(&template["metadata"]["annotations"]),
                    spec: &template["spec"],
                    admitted: false,
                });
            }
        }
    }
    plan
}

/// A quota's keys this rule understands: the key, what it counts, its hard limit.
pub(super) type HardLimits = Vec<(String, Counted, Milli)>;

/// What a quota key counts: requests or limits of a resource, or pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Counted {
    Requests(Resource),
    Limits(Resource),
    Pods,
}

fn counted(key: &str) -> Option<Counted> {
    Some(match key {
        "cpu" | "requests.cpu" => Counted::Requests(Resource::Cpu),
        "memory" | "requests.memory" => Counted::Requests(Resource::Memory),
        "limits.cpu" => Counted::Limits(Resource::Cpu),
        "limits.memory" => Counted::Limits(Resource::Memory),
        "pods" | "count/pods" => Counted::Pods,
        _ => return None,
    })
}

impl Counted {
    /// What one pod counts against this key.
    fn per_pod(self, pod: &[Container]) -> Milli {
        match self {
            Self::Pods => 1000,
            _ => pod_total(pod, |c| self.of(c)),
        }
    }

    pub(super) fn of(self, container: &Container) -> Option<Milli> {
        match self {
            Self::Requests(r) => container.requests.get(r),
            Self::Limits(r) => container.limits.get(r),
            Self::Pods => Some(0),
        }
    }

    fn show(self, amount: Milli) -> String {
        match self {
            Self::Requests(r) | Self::Limits(r) => r.show(amount),
            Self::Pods => (amount / 1000).to_string(),
        }
    }
}

/// One quota's hard limits this rule understands. A quota with scopes applies to some pods only
/// (BestEffort, Terminating, a priority class…): it is not judged rather than misjudged.
fn hard_limits(quota: &DynamicObject) -> HardLimits {
    let spec = &quota.data["spec"];
    if !spec["scopes"].is_null() || !spec["scopeSelector"].is_null() {
        return Vec::new();
    }
    spec["hard"]
        .as_object()
        .map(|hard| {
            hard.iter()
                .filter_map(|(key, value)| {
                    Some((key.clone(), counted(key)?, quantity::of_json(value)?))
                })
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn admission(snapshot: &MeshSnapshot, opts: &AnalyzeOptions) -> Vec<Finding> {
    let (config, source) = SidecarResources::of(snapshot, &opts.istio_namespace);
    // One pass over the snapshot: each namespace's objects, and the Namespaces' labels.
    let scoped: HashSet<String> = opts.namespaces(snapshot).into_iter().collect();
    let mut by_namespace: BTreeMap<&str, Vec<&DynamicObject>> = BTreeMap::new();
    let mut namespace_labels: HashMap<&str, &BTreeMap<String, String>> = HashMap::new();
    for object in snapshot.objects() {
        if kind_of(object) == "Namespace" {
            namespace_labels.insert(name_of(object), labels_of(object));
        } else if scoped.contains(namespace_of(object)) {
            by_namespace
                .entry(namespace_of(object))
                .or_default()
                .push(object);
        }
    }
    let mut findings = Vec::new();
    for (namespace, objects) in by_namespace {
        let quotas: Vec<(&DynamicObject, HardLimits)> = objects
            .iter()
            .copied()
            .filter(|o| kind_of(o) == "ResourceQuota")
            .map(|q| (q, hard_limits(q)))
            .filter(|(_, hard)| !hard.is_empty())
            .collect();
        let ranges: Vec<(&DynamicObject, &Value)> = objects
            .iter()
            .copied()
            .filter(|o| kind_of(o) == "LimitRange")
            .flat_map(|r| {
                array(&r.data["spec"]["limits"])
                    .iter()
                    .map(move |item| (r, item))
            })
            .collect();
        if quotas.is_empty() && ranges.is_empty() {
            continue;
        }
        let ns_labels = namespace_labels.get(namespace).copied();
        let mut used: HashMap<(usize, &str), Milli> = HashMap::new();
        for plan in planned(&objects, snapshot.live) {
            let pod = admitted_pod(&plan, &ranges, ns_labels, &config);
            if !plan.admitted {
                let refused = refusals(plan.object, &pod, &quotas, &ranges);
                if !refused.is_empty() {
                    // Never admitted, so it uses up nothing.
                    findings.extend(refused);
                    continue;
                }
            }
            // The fewest replicas any quota key leaves room for (live pods are already in).
            let mut fits = plan.replicas;
            let mut binding = None;
            for (index, (quota, hard)) in quotas.iter().enumerate() {
                for (key, what, limit) in hard {
                    let per_pod = what.per_pod(&pod);
                    let before = used.get(&(index, key.as_str())).copied().unwrap_or(0);
                    let room = if per_pod == 0 {
                        plan.replicas
                    } else {
                        (limit - before).max(0) / per_pod
                    };
                    if !plan.admitted && room < fits {
                        fits = room;
                        binding = Some((*quota, key.as_str(), *what, *limit, before, per_pod));
                    }
                }
            }
            for (index, (_, hard)) in quotas.iter().enumerate() {
                for (key, what, _) in hard {
                    *used.entry((index, key.as_str())).or_default() += fits * what.per_pod(&pod);
                }
            }
            if let Some((quota, key, what, limit, before, per_pod)) = binding {
                let injected = pod.iter().find(|c| c.injected).and_then(|c| what.of(c));
                let sidecar_part = match (what, injected) {
                    (Counted::Pods, _) | (_, None) => String::new(),
                    (_, Some(part)) => format!(
                        " ({} of it the injected sidecar's, from {source})",
                        what.show(part)
                    ),
                };
                let others = if before > 0 {
                    format!(
                        ", {} of it used by the workloads listed before this one",
                        what.show(before)
                    )
                } else {
                    String::new()
                };
                findings.push(Finding::new(
                    Code::Mesh0701,
                    plan.object,
                    format!(
                        "needs {} replicas × {} {key}{sidecar_part} = {}, but ResourceQuota {} allows {key} {}{others}: only {fits} of {} replicas can be admitted; the rest are refused at creation",
                        plan.replicas,
                        what.show(per_pod),
                        what.show(per_pod * plan.replicas),
                        name_of(quota),
                        what.show(limit),
                        plan.replicas,
                    ),
                    format!(
                        "raise {key} in ResourceQuota {}, lower the pods' {key} (the sidecar's with sidecar.istio.io/proxyCPU / proxyMemory annotations), or run fewer replicas",
                        name_of(quota)
                    ),
                ));
            }
        }
    }
    findings
}

/// The pod as admission sees it: the containers as declared with LimitRange defaults, plus the
/// sidecar when the injector will add one.
fn admitted_pod(
    plan: &Planned,
    ranges: &[(&DynamicObject, &Value)],
    ns_labels: Option<&BTreeMap<String, String>>,
    config: &SidecarResources,
) -> Vec<Container> {
    let mut pod = containers(plan.spec);
    if plan.admitted {
        return pod;
    }
    for (_, item) in ranges.iter().filter(|(_, i)| i["type"] == "Container") {
        let (request, limit) = container_defaults(item);
        for container in &mut pod {
            apply_defaults(container, &request, &limit);
        }
    }
    let injects = ns_labels.is_none_or(|labels| targeted(labels, &plan.labels))
        && plan.spec["hostNetwork"].as_bool() != Some(true)
        && !pod.iter().any(|c| c.name == SIDECAR);
    if injects {
        pod.push(sidecar(config, &plan.annotations));
    }
    pod
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, snapshot};
    use super::super::{AnalyzeOptions, NamespaceScope, Severity};
    use super::*;

    fn all() -> AnalyzeOptions {
        AnalyzeOptions {
            scope: NamespaceScope::All,
            ..super::super::testing::options()
        }
    }

    const INJECTED: &str = "
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
";

    fn quota(hard: &str) -> String {
        format!(
            "---
apiVersion: v1
kind: ResourceQuota
metadata: {{name: q, namespace: shop}}
spec: {{hard: {{{hard}}}}}
"
        )
    }

    fn limit_range(limits: &str) -> String {
        format!(
            "---
apiVersion: v1
kind: LimitRange
metadata: {{name: lr, namespace: shop}}
spec: {{limits: [{limits}]}}
"
        )
    }

    fn deployment(name: &str, replicas: i64, resources: &str, annotations: &str) -> String {
        format!(
            "---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: shop}}
spec:
  replicas: {replicas}
  template:
    metadata: {{labels: {{app: {name}}}, annotations: {{{annotations}}}}}
    spec: {{containers: [{{name: app, image: app:1, resources: {resources}}}]}}
"
        )
    }

    fn run(yaml: &str) -> Vec<Finding> {
        admission(&snapshot(yaml), &all())
    }

    #[test]
    fn mesh0701_the_sidecar_tips_the_quota() {
        let found = run(&format!(
            "{INJECTED}{}{}",
            quota("requests.cpu: '1'"),
            deployment("web", 4, "{requests: {cpu: 200m}}", "")
        ));
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0701,
                Severity::Error,
                "Deployment/shop/web".into()
            )]
        );
        let message = &found[0].message;
        assert!(
            message.contains("4 replicas × 300m requests.cpu"),
            "{message}"
        );
        assert!(
            message.contains("100m of it the injected sidecar's"),
            "{message}"
        );
        assert!(message.contains("only 3 of 4"), "{message}");
        // nothing listed before it used any of the quota
        assert!(!message.contains("used by"), "{message}");
        // the same Deployment outside the mesh fits: 4 × 200m
        let plain = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
        let fits = run(&format!(
            "{plain}{}{}",
            quota("requests.cpu: '1'"),
            deployment("web", 4, "{requests: {cpu: 200m}}", "")
        ));
        assert!(fits.is_empty(), "{:?}", codes(&fits));
    }

    #[test]
    fn mesh0701_annotations_size_the_sidecar() {
        let found = run(&format!(
            "{INJECTED}{}{}",
            quota("requests.cpu: '1', requests.memory: 1Gi"),
            deployment(
                "web",
                4,
                "{requests: {cpu: 200m, memory: 64Mi}}",
                "sidecar.istio.io/proxyCPU: 50m, sidecar.istio.io/proxyMemory: 64Mi"
            )
        ));
        assert!(found.is_empty(), "{:?}", codes(&found));
    }

    #[test]
    fn mesh0701_workloads_share_the_quota_in_order_and_count_pods() {
        let found = run(&format!(
            "{INJECTED}{}{}{}",
            quota("pods: '5'"),
            deployment("a", 3, "{}", ""),
            deployment("b", 3, "{}", "")
        ));
        assert_eq!(
            codes(&found),
            vec![(Code::Mesh0701, Severity::Error, "Deployment/shop/b".into())]
        );
        assert!(
            found[0].message.contains("only 2 of 3"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("3 of it used"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn mesh0702_a_limit_range_max_below_the_sidecar_limit() {
        let found = run(&format!(
            "{INJECTED}{}{}",
            limit_range("{type: Container, max: {cpu: '1'}}"),
            deployment("web", 1, "{limits: {cpu: 500m}}", "")
        ));
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0702,
                Severity::Error,
                "Deployment/shop/web".into()
            )]
        );
        assert!(
            found[0]
                .message
                .contains("istio-proxy (the injected sidecar): limit cpu 2 is above max 1"),
            "{}",
            found[0].message
        );
        // a smaller sidecar limit fits
        let fits = run(&format!(
            "{INJECTED}{}{}",
            limit_range("{type: Container, max: {cpu: '1'}}"),
            deployment(
                "web",
                1,
                "{limits: {cpu: 500m}}",
                "sidecar.istio.io/proxyCPULimit: 500m"
            )
        ));
        assert!(fits.is_empty(), "{:?}", codes(&fits));
    }

    #[test]
    fn a_quota_filled_exactly_admits_every_replica() {
        // 4 × (150m + the sidecar's 100m) = 1 core
        let exact = run(&format!(
            "{INJECTED}{}{}",
            quota("requests.cpu: '1'"),
            deployment("web", 4, "{requests: {cpu: 150m}}", "")
        ));
        assert!(exact.is_empty(), "{:?}", codes(&exact));
    }

    #[test]
    fn host_network_pods_and_declared_sidecars_get_no_injected_sidecar() {
        // 4 × 250m = 1 core without a second sidecar, 1.4 with one
        let host = deployment("web", 4, "{requests: {cpu: 250m}}", "").replace(
            "spec: {containers:",
            "spec: {hostNetwork: true, containers:",
        );
        let declared = deployment("web", 4, "{requests: {cpu: 150m}}", "").replace(
            "}]}\n",
            "}, {name: istio-proxy, image: auto, resources: {requests: {cpu: 100m}}}]}\n",
        );
        for workload in [host, declared] {
            assert!(workload.contains("hostNetwork") || workload.contains("istio-proxy"));
            let found = run(&format!(
                "{INJECTED}{}{workload}",
                quota("requests.cpu: '1'")
            ));
            assert!(found.is_empty(), "{workload}: {:?}", codes(&found));
        }
    }

    #[test]
    fn a_workload_scaled_to_zero_asks_admission_for_nothing() {
        let with = |replicas| {
            run(&format!(
                "{INJECTED}{}{}",
                limit_range("{type: Container, max: {cpu: '1'}}"),
                deployment("web", replicas, "{limits: {cpu: 500m}}", "")
            ))
        };
        assert_eq!(codes(&with(1)).len(), 1);
        assert!(with(0).is_empty(), "{:?}", codes(&with(0)));
    }

    #[test]
    fn memory_and_limit_keys_of_a_quota_are_counted() {
        let web = |resources| deployment("web", 2, resources, "");
        let cases = [
            // 2 × (64Mi + the sidecar's 128Mi) = 384Mi
            (
                "requests.memory: 256Mi",
                "{requests: {memory: 64Mi}}",
                "requests.memory",
            ),
            ("memory: 256Mi", "{requests: {memory: 64Mi}}", "memory"),
            // 2 × (1 + the sidecar's 2) = 6 cores
            ("limits.cpu: '4'", "{limits: {cpu: '1'}}", "limits.cpu"),
            // 2 × (256Mi + the sidecar's 1Gi) = 2.5Gi
            (
                "limits.memory: 2Gi",
                "{limits: {memory: 256Mi}}",
                "limits.memory",
            ),
        ];
        for (hard, resources, key) in cases {
            let found = run(&format!("{INJECTED}{}{}", quota(hard), web(resources)));
            assert_eq!(
                codes(&found),
                vec![(
                    Code::Mesh0701,
                    Severity::Error,
                    "Deployment/shop/web".into()
                )],
                "{hard}"
            );
            assert!(
                found[0].message.contains("only 1 of 2 replicas")
                    && found[0].message.contains(&format!("allows {key} ")),
                "{hard}: {}",
                found[0].message
            );
        }
    }

    #[test]
    fn mesh0702_min_and_pod_totals() {
        let found = run(&format!(
            "{}{}",
            limit_range("{type: Container, min: {memory: 100Mi}}, {type: Pod, max: {memory: 1Gi}}"),
            deployment(
                "web",
                1,
                "{requests: {memory: 10Mi}, limits: {memory: 20Mi}}",
                ""
            )
        ));
        assert_eq!(found.len(), 1);
        let message = &found[0].message;
        assert!(
            message.contains("container app: limit memory 20Mi is below min 100Mi"),
            "{message}"
        );
        assert!(
            message.contains("request memory 10Mi is below min 100Mi"),
            "{message}"
        );
        // sidecar (unknown namespace: assumed injected) 1Gi + 20Mi is above the pod max
        assert!(
            message.contains("the pod's total limit memory"),
            "{message}"
        );
    }

    #[test]
    fn mesh0701_a_limit_range_default_makes_a_container_without_requests_exceed_the_quota() {
        let found = run(&format!(
            "{INJECTED}{}{}{}",
            limit_range("{type: Container, default: {cpu: 500m}}"),
            quota("requests.cpu: '1'"),
            deployment("web", 2, "{}", "")
        ));
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("2 replicas × 600m"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn mesh0703_a_quota_counts_what_a_container_does_not_declare() {
        let found = run(&format!(
            "{INJECTED}{}{}",
            quota("limits.memory: 8Gi"),
            deployment("web", 1, "{requests: {memory: 64Mi}}", "")
        ));
        assert_eq!(
            codes(&found),
            vec![(
                Code::Mesh0703,
                Severity::Error,
                "Deployment/shop/web".into()
            )]
        );
        assert!(
            found[0]
                .message
                .contains("container app declares no limits.memory"),
            "{}",
            found[0].message
        );
        assert!(!found[0].message.contains("istio-proxy"));
        // a LimitRange default fills it in
        let fine = run(&format!(
            "{INJECTED}{}{}{}",
            quota("limits.memory: 8Gi"),
            limit_range("{type: Container, default: {memory: 128Mi}}"),
            deployment("web", 1, "{requests: {memory: 64Mi}}", "")
        ));
        assert!(fine.is_empty(), "{:?}", codes(&fine));
    }

    #[test]
    fn silent_without_quotas_with_scoped_quotas_and_for_what_it_cannot_count() {
        let web = deployment("web", 40, "{requests: {cpu: '1'}}", "");
        assert!(run(&format!("{INJECTED}{web}")).is_empty());
        let scoped = format!(
            "{INJECTED}---
apiVersion: v1
kind: ResourceQuota
metadata: {{name: q, namespace: shop}}
spec: {{hard: {{requests.cpu: '1'}}, scopes: [NotBestEffort]}}
{web}"
        );
        assert!(run(&scoped).is_empty());
        let daemons = format!(
            "{INJECTED}{}---
apiVersion: apps/v1
kind: DaemonSet
metadata: {{name: agent, namespace: shop}}
spec: {{template: {{spec: {{containers: [{{name: a, resources: {{requests: {{cpu: '4'}}}}}}]}}}}}}
",
            quota("requests.cpu: '1', count/secrets: '3'")
        );
        assert!(run(&daemons).is_empty());
        let zero = format!(
            "{INJECTED}{}{}",
            quota("requests.cpu: '1'"),
            deployment("web", 0, "{requests: {cpu: '8'}}", "")
        );
        assert!(run(&zero).is_empty());
    }

    #[test]
    fn jobs_count_while_they_run_not_once_complete() {
        let job = |status: &str| {
            format!(
                "{INJECTED}{}---
apiVersion: batch/v1
kind: Job
metadata: {{name: migrate, namespace: shop}}
spec: {{parallelism: 2, template: {{spec: {{containers: [{{name: m, resources: {{requests: {{cpu: '1'}}}}}}]}}}}}}
status: {status}
",
                quota("requests.cpu: '1'")
            )
        };
        let running = run(&job("{active: 2}"));
        assert_eq!(
            codes(&running),
            vec![(Code::Mesh0701, Severity::Error, "Job/shop/migrate".into())]
        );
        assert!(run(&job("{conditions: [{type: Complete, status: 'True'}]}")).is_empty());
        assert!(run(&job("{conditions: [{type: Failed, status: 'True'}]}")).is_empty());
        // A condition that is not true yet ends nothing.
        let pending = run(&job("{conditions: [{type: Complete, status: 'False'}]}"));
        assert_eq!(codes(&pending), codes(&running));
    }

    #[test]
    fn live_pods_already_running_use_up_the_quota_and_the_injector_config_sizes_the_sidecar() {
        let mut s = snapshot(&format!(
            "{INJECTED}{}{}---
apiVersion: v1
kind: Pod
metadata: {{name: bare, namespace: shop}}
spec: {{containers: [{{name: app, resources: {{requests: {{cpu: 500m}}}}}}, {{name: istio-proxy, resources: {{requests: {{cpu: 10m}}}}}}]}}
---
apiVersion: v1
kind: Pod
metadata: {{name: web-1, namespace: shop, ownerReferences: [{{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: u}}]}}
spec: {{containers: [{{name: app, resources: {{requests: {{cpu: '5'}}}}}}]}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: istio-sidecar-injector, namespace: istio-system}}
data: {{values: '{{\"global\": {{\"proxy\": {{\"resources\": {{\"requests\": {{\"cpu\": \"10m\"}}}}}}}}}}'}}
",
            quota("requests.cpu: '1'"),
            deployment("web", 3, "{requests: {cpu: 150m}}", "")
        ));
        s.live = true;
        let found = admission(&s, &all());
        // 510m used by the bare pod; 3 × 160m = 480m fits in the remaining 490m
        assert!(found.is_empty(), "{:?}", codes(&found));
        let mut objects = s.objects().to_vec();
        let four = objects
            .iter_mut()
            .find(|o| name_of(o) == "web")
            .map(|d| d.data["spec"]["replicas"] = 4.into());
        assert!(four.is_some());
        let mut s = MeshSnapshot::new(objects);
        s.live = true;
        s.has_workloads = true;
        let found = admission(&s, &all());
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("10m of it the injected sidecar's, from the injector's config"),
            "{}",
            found[0].message
        );
        assert!(
            found[0].message.contains("only 3 of 4"),
            "{}",
            found[0].message
        );
    }
}
