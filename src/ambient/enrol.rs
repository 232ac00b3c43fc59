//! Enrolment in ambient mode: the namespace's `istio.io/dataplane-mode=ambient` label, which
//! needs no restart. A namespace that ran sidecars moves in Istio's documented order (the
//! waypoint first when one is asked for, then the dataplane label, then the injection label
//! comes off and the Deployments that still carry sidecars restart), and each step is read back
//! from the cluster before the next one starts.

use std::time::Duration;

use serde::Serialize;
use tokio::sync::watch;

use super::error::{Error, Result};
use super::waypoint::{self, DATAPLANE_MODE, USE_WAYPOINT};
use crate::kube::{
    Connection, DeploymentOutcome, DeploymentResult, INJECTION, InjectOptions, REVISION,
    RolloutObserver, Selection, inject, namespace_labels, remove_namespace_label,
    set_namespace_label, unlabel_injection,
};

const AMBIENT: &str = "ambient";

#[derive(Debug, Clone)]
pub struct EnrolOptions {
    pub namespace: String,
    /// Apply this waypoint (and label the namespace to use it) before anything else.
    pub waypoint: Option<String>,
    /// Which Deployments may restart: `Sidecars` for every one whose pods carry the sidecar.
    pub selection: Selection,
    /// Replace another `istio.io/dataplane-mode` value (or another waypoint label).
    pub force: bool,
    /// Limit for the waypoint to be Programmed and for each rollout.
    pub timeout: Duration,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepResult {
    Done,
    Unchanged,
    Planned,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// waypoint, dataplane-label, injection-label, restart, waypoint-label.
    pub step: &'static str,
    pub result: StepResult,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnrolReport {
    pub namespace: String,
    pub mode: &'static str,
    /// False for `--disable`.
    pub enabled: bool,
    pub dry_run: bool,
    pub steps: Vec<Step>,
    pub deployments: Vec<DeploymentOutcome>,
    pub interrupted: bool,
}

impl EnrolReport {
    pub fn failed(&self) -> bool {
        self.deployments
            .iter()
            .any(|d| d.result == DeploymentResult::Failed)
    }
}

/// Enrols the namespace in ambient, moving it off sidecars if it ran them.
pub async fn enrol(
    conn: &Connection,
    opts: &EnrolOptions,
    observer: &dyn RolloutObserver,
    interrupt: watch::Receiver<bool>,
) -> Result<EnrolReport> {
    let ns = &opts.namespace;
    let labels = labels(conn, ns).await?;
    if let Some(existing) = labels.get(DATAPLANE_MODE).filter(|v| *v != AMBIENT)
        && !opts.force
    {
        return Err(Error::LabelConflict {
            namespace: ns.clone(),
            existing: format!("{DATAPLANE_MODE}={existing}"),
            wanted: format!("{DATAPLANE_MODE}={AMBIENT}"),
            flag: "--force",
        });
    }
    let mut steps = Vec::new();
    let planned = |step, detail: String| Step {
        step,
        result: StepResult::Planned,
        detail,
    };

    // 1. The waypoint, Programmed, and the namespace pointed at it.
    if let Some(name) = &opts.waypoint {
        steps.push(if opts.dry_run {
            planned("waypoint", format!("would apply waypoint {name}, wait until it is Programmed and label the namespace {USE_WAYPOINT}={name}"))
        } else {
            let applied = waypoint::apply(
                conn,
                &waypoint::ApplyOptions {
                    namespace: ns.clone(),
                    name: name.clone(),
                    traffic: None,
                    enroll_namespace: true,
                    overwrite: opts.force,
                    wait: Some(opts.timeout),
                },
            )
            .await?;
            expect_label(conn, ns, "the waypoint label", USE_WAYPOINT, Some(name)).await?;
            Step {
                step: "waypoint",
                result: StepResult::Done,
                detail: format!(
                    "waypoint {name} {} and Programmed; namespace labelled {USE_WAYPOINT}={name}",
                    applied.result
                ),
            }
        });
    }

    // 2. The dataplane label: from here on ztunnel captures the pods that have no sidecar.
    let wanted = format!("{DATAPLANE_MODE}={AMBIENT}");
    steps.push(
        if labels.get(DATAPLANE_MODE).map(String::as_str) == Some(AMBIENT) {
            unchanged("dataplane-label", format!("already labelled {wanted}"))
        } else if opts.dry_run {
            planned("dataplane-label", format!("would label {wanted}"))
        } else {
            set_namespace_label(conn, ns, (DATAPLANE_MODE, AMBIENT)).await?;
            expect_label(
                conn,
                ns,
                "the dataplane label",
                DATAPLANE_MODE,
                Some(AMBIENT),
            )
            .await?;
            done("dataplane-label", format!("labelled {wanted}"))
        },
    );

    // 3. The injection label comes off, so restarted pods come back without the sidecar.
    let injection: Vec<String> = [INJECTION, REVISION]
        .iter()
        .filter_map(|key| labels.get(*key).map(|v| format!("{key}={v}")))
        .collect();
    steps.push(if injection.is_empty() {
        unchanged("injection-label", "no injection label".into())
    } else if opts.dry_run {
        planned(
            "injection-label",
            format!("would remove {}", injection.join(", ")),
        )
    } else {
        unlabel_injection(conn, ns).await?;
        expect_label(conn, ns, "removing the injection label", INJECTION, None).await?;
        expect_label(conn, ns, "removing the injection label", REVISION, None).await?;
        done(
            "injection-label",
            format!("removed {}", injection.join(", ")),
        )
    });

    // 4. Deployments whose pods still carry the sidecar restart, followed to the end.
    let restarts = inject(
        conn,
        &InjectOptions {
            namespace: ns.clone(),
            selection: opts.selection.clone(),
            label: None,
            force: false,
            wait: true,
            timeout: opts.timeout,
            dry_run: opts.dry_run,
        },
        observer,
        interrupt,
    )
    .await?;
    let deployments: Vec<DeploymentOutcome> = restarts
        .deployments
        .into_iter()
        .map(still_injected)
        .collect();
    steps.push(restart_step(&deployments, opts.dry_run));
    Ok(EnrolReport {
        namespace: ns.clone(),
        mode: AMBIENT,
        enabled: true,
        dry_run: opts.dry_run,
        steps,
        deployments,
        interrupted: restarts.interrupted,
    })
}

/// Takes the namespace out of ambient: the dataplane and waypoint labels come off. Nothing
/// restarts (ambient put nothing into the pods); the waypoint itself stays until
/// `waypoint delete`.
pub async fn disable(conn: &Connection, namespace: &str, dry_run: bool) -> Result<EnrolReport> {
    let labels = labels(conn, namespace).await?;
    let mut steps = Vec::new();
    for (step, key) in [
        ("dataplane-label", DATAPLANE_MODE),
        ("waypoint-label", USE_WAYPOINT),
    ] {
        let Some(value) = labels.get(key) else {
            steps.push(unchanged(step, format!("no {key} label")));
            continue;
        };
        let what = format!("{key}={value}");
        steps.push(if dry_run {
            Step {
                step,
                result: StepResult::Planned,
                detail: format!("would remove {what}"),
            }
        } else {
            remove_namespace_label(conn, namespace, key).await?;
            expect_label(conn, namespace, "removing the label", key, None).await?;
            done(step, format!("removed {what}"))
        });
    }
    Ok(EnrolReport {
        namespace: namespace.to_string(),
        mode: AMBIENT,
        enabled: false,
        dry_run,
        steps,
        deployments: Vec::new(),
        interrupted: false,
    })
}

fn done(step: &'static str, detail: String) -> Step {
    Step {
        step,
        result: StepResult::Done,
        detail,
    }
}

fn unchanged(step: &'static str, detail: String) -> Step {
    Step {
        step,
        result: StepResult::Unchanged,
        detail,
    }
}

async fn labels(
    conn: &Connection,
    namespace: &str,
) -> Result<std::collections::BTreeMap<String, String>> {
    namespace_labels(conn, namespace)
        .await?
        .ok_or_else(|| Error::NoNamespace {
            namespace: namespace.to_string(),
        })
}

/// Reads the namespace back: `key` must have `value` (`None`: must be absent).
async fn expect_label(
    conn: &Connection,
    namespace: &str,
    step: &str,
    key: &str,
    value: Option<&str>,
) -> Result<()> {
    let labels = labels(conn, namespace).await?;
    let found = labels.get(key).map(String::as_str);
    if found == value {
        return Ok(());
    }
    Err(Error::NotVerified {
        namespace: namespace.to_string(),
        step: step.to_string(),
        found: match found {
            Some(v) => format!("{key}={v}"),
            None => format!("no {key} label"),
        },
    })
}

/// A restart that rolled out but whose pods still carry the sidecar did not do its job (the
/// pod template asks for injection itself, say).
fn still_injected(mut outcome: DeploymentOutcome) -> DeploymentOutcome {
    if outcome.result == DeploymentResult::Restarted && outcome.injected_pods > 0 {
        outcome.result = DeploymentResult::Failed;
        outcome.reason = Some(format!(
            "{} of {} pods still have istio-proxy after the restart (does the pod template set sidecar.istio.io/inject?)",
            outcome.injected_pods, outcome.pods
        ));
    }
    outcome
}

fn restart_step(deployments: &[DeploymentOutcome], dry_run: bool) -> Step {
    let count = |result| deployments.iter().filter(|d| d.result == result).count();
    let (restarted, planned) = (
        count(DeploymentResult::Restarted),
        count(DeploymentResult::Planned),
    );
    if dry_run && planned > 0 {
        return Step {
            step: "restart",
            result: StepResult::Planned,
            detail: format!("would restart {planned} Deployment(s) whose pods have the sidecar"),
        };
    }
    if restarted == 0 && count(DeploymentResult::Failed) == 0 {
        return unchanged("restart", "no Deployment has pods with the sidecar".into());
    }
    done(
        "restart",
        format!("{restarted} Deployment(s) restarted without the sidecar"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(result: DeploymentResult, injected_pods: usize, pods: usize) -> DeploymentOutcome {
        DeploymentOutcome {
            name: "api".into(),
            result,
            reason: None,
            injected_pods,
            pods,
        }
    }

    #[test]
    fn a_restart_that_leaves_sidecars_fails() {
        let kept = still_injected(outcome(DeploymentResult::Restarted, 1, 2));
        assert_eq!(kept.result, DeploymentResult::Failed);
        assert!(kept.reason.is_some_and(|r| r.contains("1 of 2")));
        let clean = still_injected(outcome(DeploymentResult::Restarted, 0, 2));
        assert_eq!(clean.result, DeploymentResult::Restarted);
    }

    #[test]
    fn the_restart_step_says_what_happened() {
        let none = restart_step(&[outcome(DeploymentResult::NoSidecar, 0, 2)], false);
        assert_eq!(none.result, StepResult::Unchanged);
        let some = restart_step(&[outcome(DeploymentResult::Restarted, 0, 2)], false);
        assert_eq!(some.result, StepResult::Done);
        let plan = restart_step(&[outcome(DeploymentResult::Planned, 2, 2)], true);
        assert_eq!(plan.result, StepResult::Planned);
    }
}
