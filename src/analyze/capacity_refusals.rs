//! Pods admission refuses outright, whatever is left of the quota: a container outside a
//! LimitRange's `min`/`max` (the injected sidecar's 2-core limit above a 1-core max is the
//! classic), or a resource a ResourceQuota counts that a container does not declare.

use kube::api::DynamicObject;
use serde_json::Value;

use super::capacity::{Counted, HardLimits};
use super::pod_resources::{Amounts, Container, Phase, Resource, pod_total};
use super::{Code, Finding};
use crate::snapshot::name_of;

/// How a container is named in a finding.
fn who(container: &Container) -> String {
    if container.injected {
        format!("{} (the injected sidecar)", container.name)
    } else {
        container.name.clone()
    }
}

/// Where a container's amount falls outside `[min, max]`.
fn outside(
    what: &str,
    amount: Option<i128>,
    resource: Resource,
    min: Option<i128>,
    max: Option<i128>,
) -> Option<String> {
    let amount = amount?;
    if let Some(max) = max.filter(|max| amount > *max) {
        return Some(format!(
            "{what} {} {} is above max {}",
            resource.key(),
            resource.show(amount),
            resource.show(max)
        ));
    }
    let min = min.filter(|min| amount < *min)?;
    Some(format!(
        "{what} {} {} is below min {}",
        resource.key(),
        resource.show(amount),
        resource.show(min)
    ))
}

fn limit_range_problems(pod: &[Container], ranges: &[(&DynamicObject, &Value)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (range, item) in ranges {
        let (min, max) = (Amounts::of(&item["min"]), Amounts::of(&item["max"]));
        for resource in Resource::ALL {
            let (low, high) = (min.get(resource), max.get(resource));
            match item["type"].as_str() {
                Some("Container") => {
                    for c in pod {
                        for (what, amount) in [
                            ("limit", c.limits.get(resource)),
                            ("request", c.requests.get(resource)),
                        ] {
                            if let Some(p) = outside(what, amount, resource, low, high) {
                                problems.push(format!(
                                    "container {}: {p} of LimitRange {}",
                                    who(c),
                                    name_of(range)
                                ));
                            }
                        }
                    }
                }
                Some("Pod") => {
                    // A pod's limit is only defined when every container declares one.
                    let all_limited = pod
                        .iter()
                        .filter(|c| c.phase == Phase::Running)
                        .all(|c| c.limits.get(resource).is_some());
                    let limit = all_limited.then(|| pod_total(pod, |c| c.limits.get(resource)));
                    let request = pod_total(pod, |c| c.requests.get(resource));
                    for (what, amount) in [("limit", limit), ("request", Some(request))] {
                        if let Some(p) = outside(what, amount, resource, low, high) {
                            problems.push(format!(
                                "the pod's total {p} of LimitRange {}",
                                name_of(range)
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    problems
}

/// Containers without an amount a quota counts. The injected sidecar is named only when no
/// LimitRange could default it.
fn undeclared(
    pod: &[Container],
    quotas: &[(&DynamicObject, HardLimits)],
    ranges: &[(&DynamicObject, &Value)],
) -> Vec<String> {
    let defaults = ranges.iter().any(|(_, i)| i["type"] == "Container");
    let mut problems = Vec::new();
    for (quota, hard) in quotas {
        for (key, what, _) in hard {
            if *what == Counted::Pods {
                continue;
            }
            for c in pod.iter().filter(|c| !(c.injected && defaults)) {
                if what.of(c).is_none() {
                    problems.push(format!(
                        "container {} declares no {key}, which ResourceQuota {} counts",
                        who(c),
                        name_of(quota)
                    ));
                }
            }
        }
    }
    problems
}

/// The findings that say a workload's pods are refused at admission.
pub(super) fn refusals(
    object: &DynamicObject,
    pod: &[Container],
    quotas: &[(&DynamicObject, HardLimits)],
    ranges: &[(&DynamicObject, &Value)],
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let outside = limit_range_problems(pod, ranges);
    if !outside.is_empty() {
        findings.push(Finding::new(
            Code::Mesh0702,
            object,
            format!("its pods are refused at admission: {}", outside.join("; ")),
            "fit the containers' resources into the LimitRange, or widen it; the sidecar's are set with the sidecar.istio.io/proxyCPU, proxyMemory, proxyCPULimit and proxyMemoryLimit annotations".into(),
        ));
    }
    let missing = undeclared(pod, quotas, ranges);
    if !missing.is_empty() {
        findings.push(Finding::new(
            Code::Mesh0703,
            object,
            format!("its pods are refused at admission: {}", missing.join("; ")),
            "declare the requests and limits in every container, or add a LimitRange with defaults for them".into(),
        ));
    }
    findings
}
