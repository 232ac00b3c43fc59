//! The inject workflow: the namespace's injection label, then parallel restarts of the selected
//! Deployments whose pods do not match what is wanted, followed to completion on request.

use std::fmt;
use std::time::Duration;

use futures::future::join_all;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, ListParams};
use serde::{Serialize, Serializer};
use tokio::sync::watch;

use super::apply::ApplyResult;
use super::classify::classify;
use super::client::Connection;
use super::error::{Error, Result};
use super::injection::{InjectionLabel, ensure_label, unlabel_injection};
use super::rollout::{Rollout, restart_deployment, sidecar_counts, wait_rollout};

/// Which Deployments to restart.
#[derive(Debug, Clone)]
pub enum Selection {
    All,
    Named(Vec<String>),
    /// Every Deployment that has pods with the sidecar (the move to ambient restarts only those).
    Sidecars,
}

#[derive(Debug, Clone)]
pub struct InjectOptions {
    pub namespace: String,
    pub selection: Selection,
    /// The label to set; `None` removes the injection labels (and the sidecars, on restart).
    pub label: Option<InjectionLabel>,
    /// Replace a conflicting injection label.
    pub force: bool,
    /// Follow each rollout, up to `timeout` per Deployment.
    pub wait: bool,
    pub timeout: Duration,
    pub dry_run: bool,
}

/// Told about each Deployment whose rollout was followed, as it finishes.
pub trait RolloutObserver: Sync {
    fn rolled_out(&self, namespace: &str, deployment: &DeploymentOutcome);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeploymentResult {
    Restarted,
    AlreadyInjected,
    Failed,
    Planned,
    /// Restarted; Ctrl-C came before its rollout completed.
    Interrupted,
    /// No pod has the sidecar: nothing to take away, left alone.
    NoSidecar,
}

impl fmt::Display for DeploymentResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Restarted => "restarted",
            Self::AlreadyInjected => "already-injected",
            Self::Failed => "failed",
            Self::Planned => "planned",
            Self::Interrupted => "interrupted",
            Self::NoSidecar => "no-sidecar",
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DeploymentOutcome {
    pub name: String,
    pub result: DeploymentResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Pods with istio-proxy, after the rollout when it was followed.
    pub injected_pods: usize,
    pub pods: usize,
}

/// What happened to the namespace's label; shown and serialized as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelChange {
    Set(InjectionLabel, ApplyResult),
    Removed,
}

impl fmt::Display for LabelChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Set(label, result) => write!(f, "{label} ({result})"),
            Self::Removed => f.write_str("none (injection labels removed)"),
        }
    }
}

impl Serialize for LabelChange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InjectReport {
    pub namespace: String,
    pub label: LabelChange,
    pub dry_run: bool,
    pub deployments: Vec<DeploymentOutcome>,
    /// Ctrl-C stopped the rollouts being followed.
    pub interrupted: bool,
}

impl InjectReport {
    pub fn failed(&self) -> bool {
        self.deployments
            .iter()
            .any(|d| d.result == DeploymentResult::Failed)
    }
}

/// Runs the workflow; once `interrupt` turns true, the rollouts being followed are left alone
/// and reported as interrupted, and no further Deployment is restarted.
pub async fn inject(
    conn: &Connection,
    opts: &InjectOptions,
    observer: &dyn RolloutObserver,
    interrupt: watch::Receiver<bool>,
) -> Result<InjectReport> {
    let ns = &opts.namespace;
    let label = match &opts.label {
        Some(label) => {
            let result = ensure_label(conn, ns, label, opts.force, opts.dry_run).await?;
            LabelChange::Set(label.clone(), result)
        }
        None => {
            if !opts.dry_run {
                unlabel_injection(conn, ns).await?;
            }
            LabelChange::Removed
        }
    };
    let deployments = selected(conn, ns, &opts.selection).await?;
    // Every Deployment finishes its own work before the first error is reported.
    let outcomes = join_all(
        deployments
            .iter()
            .map(|d| handle(conn, d, opts, observer, interrupt.clone())),
    )
    .await;
    Ok(InjectReport {
        namespace: ns.clone(),
        label,
        dry_run: opts.dry_run,
        deployments: outcomes.into_iter().collect::<Result<_>>()?,
        interrupted: *interrupt.borrow(),
    })
}

/// The label istiod's gateway controller puts on the Deployments it creates for Gateways.
const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";

async fn selected(conn: &Connection, ns: &str, selection: &Selection) -> Result<Vec<Deployment>> {
    let api: Api<Deployment> = Api::namespaced(conn.client.clone(), ns);
    let all = api
        .list(&ListParams::default())
        .await
        .map_err(|e| classify(&conn.server, &format!("list Deployments in {ns}"), e))?
        .items;
    let names = match selection {
        Selection::All => return Ok(all),
        // istiod deploys a Gateway API Gateway (a waypoint among them) as a Deployment whose pod
        // *is* the proxy: it keeps its istio-proxy whatever the namespace's mode.
        Selection::Sidecars => {
            return Ok(all
                .into_iter()
                .filter(|d| {
                    d.metadata
                        .labels
                        .as_ref()
                        .is_none_or(|l| !l.contains_key(GATEWAY_NAME_LABEL))
                })
                .collect());
        }
        Selection::Named(names) => names,
    };
    names
        .iter()
        .map(|name| {
            all.iter()
                .find(|d| d.metadata.name.as_deref() == Some(name))
                .cloned()
                .ok_or_else(|| Error::NoSuchDeployment {
                    namespace: ns.to_string(),
                    name: name.clone(),
                })
        })
        .collect()
}

/// Whether a Deployment's pods (with sidecar, all) already are what is wanted; a Deployment
/// without pods is restarted, since nothing shows that its next pods will be.
pub fn settled((injected, pods): (usize, usize), want_sidecar: bool) -> bool {
    pods > 0
        && if want_sidecar {
            injected == pods
        } else {
            injected == 0
        }
}

/// One Deployment: skipped when settled, else restarted and, when asked, followed until its
/// rollout completes or fails. A restart the cluster refuses or a rollout that fails is this
/// Deployment's result; an API error while counting its pods is an error of the command.
async fn handle(
    conn: &Connection,
    deployment: &Deployment,
    opts: &InjectOptions,
    observer: &dyn RolloutObserver,
    mut interrupt: watch::Receiver<bool>,
) -> Result<DeploymentOutcome> {
    let name = deployment.metadata.name.clone().unwrap_or_default();
    let ns = &opts.namespace;
    let outcome = |result, reason, (injected_pods, pods)| DeploymentOutcome {
        name: name.clone(),
        result,
        reason,
        injected_pods,
        pods,
    };
    let before = sidecar_counts(conn, deployment).await?;
    if matches!(opts.selection, Selection::Sidecars) && before.0 == 0 {
        return Ok(outcome(DeploymentResult::NoSidecar, None, before));
    }
    if settled(before, opts.label.is_some()) {
        return Ok(outcome(DeploymentResult::AlreadyInjected, None, before));
    }
    if opts.dry_run {
        let reason = Some("would restart".into());
        return Ok(outcome(DeploymentResult::Planned, reason, before));
    }
    if *interrupt.borrow() {
        let reason = Some("not restarted: interrupted".into());
        return Ok(outcome(DeploymentResult::Interrupted, reason, before));
    }
    if let Err(e) = restart_deployment(conn, ns, &name, false).await {
        let reason = Some(one_line(&e));
        return Ok(outcome(DeploymentResult::Failed, reason, before));
    }
    if !opts.wait {
        return Ok(outcome(DeploymentResult::Restarted, None, before));
    }
    let rollout = tokio::select! {
        rollout = wait_rollout(conn, ns, &name, opts.timeout) => rollout,
        _ = interrupt.wait_for(|stop| *stop) => {
            let reason = Some("restarted; the rollout was not followed to its end".into());
            return Ok(outcome(DeploymentResult::Interrupted, reason, before));
        }
    };
    let after = sidecar_counts(conn, deployment).await?;
    let done = match rollout {
        Ok(Rollout::Complete) => outcome(DeploymentResult::Restarted, None, after),
        Ok(Rollout::Failed(reason)) => outcome(DeploymentResult::Failed, Some(reason), after),
        Err(e) => outcome(DeploymentResult::Failed, Some(one_line(&e)), after),
    };
    observer.rolled_out(ns, &done);
    Ok(done)
}

/// An error and its causes on one line, the way the CLI prints them.
fn one_line(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        text.push_str(&format!(": {cause}"));
        next = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deployment_is_settled_when_its_pods_are_what_is_wanted() {
        assert!(settled((2, 2), true));
        assert!(!settled((1, 2), true));
        assert!(!settled((0, 0), true), "no pods: restart");
        assert!(settled((0, 3), false));
        assert!(!settled((1, 3), false));
    }
}
