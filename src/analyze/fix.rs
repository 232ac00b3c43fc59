//! The safe, reversible fixes `troubleshoot --fix` may apply: label the namespace for injection
//! (MESH0201) and restart the Deployments whose pods lack the sidecar (MESH0202). Everything
//! else needs a person. Planning is pure; `FixPlan::apply` makes the changes through the kube
//! layer.

use super::{Code, Finding};
use crate::kube::{Connection, label_for_injection, restart_deployment};
use crate::snapshot::json::owner_deployment;
use crate::snapshot::{MeshSnapshot, name_of};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixAction {
    LabelNamespace { namespace: String },
    RestartDeployment { namespace: String, name: String },
}

impl FixAction {
    /// What was done, once it is.
    pub fn done(&self) -> String {
        match self {
            Self::LabelNamespace { namespace } => {
                format!("labelled namespace {namespace} istio-injection=enabled")
            }
            Self::RestartDeployment { namespace, name } => {
                format!("restarted deployment {namespace}/{name}")
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct FixPlan {
    pub actions: Vec<FixAction>,
}

impl FixPlan {
    /// Applies the actions in order and says what was done; stops at the first that fails.
    pub async fn apply(&self, conn: &Connection) -> crate::kube::Result<Vec<String>> {
        let mut fixed = Vec::new();
        for action in &self.actions {
            match action {
                FixAction::LabelNamespace { namespace } => {
                    label_for_injection(conn, namespace, None, false).await?;
                }
                FixAction::RestartDeployment { namespace, name } => {
                    restart_deployment(conn, namespace, name, false).await?;
                }
            }
            fixed.push(action.done());
        }
        Ok(fixed)
    }

    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// One line for the confirmation prompt.
    pub fn describe(&self, namespace: &str) -> String {
        let label = self
            .actions
            .iter()
            .any(|a| matches!(a, FixAction::LabelNamespace { .. }));
        let restarts = self
            .actions
            .iter()
            .filter(|a| matches!(a, FixAction::RestartDeployment { .. }))
            .count();
        format!(
            "{}restart {restarts} Deployment(s) in {namespace}",
            if label {
                format!("label namespace {namespace} istio-injection=enabled, ")
            } else {
                String::new()
            }
        )
    }
}

pub fn plan_fixes(snapshot: &MeshSnapshot, namespace: &str, findings: &[Finding]) -> FixPlan {
    let label = findings.iter().any(|f| f.code == Code::Mesh0201);
    // Labelling restarts every Deployment; otherwise only the owners of pods without a sidecar.
    let mut restarts: Vec<String> = if label {
        snapshot
            .in_namespace("Deployment", namespace)
            .map(|d| name_of(d).to_string())
            .collect()
    } else {
        findings
            .iter()
            .filter(|f| f.code == Code::Mesh0202)
            .filter_map(|f| snapshot.get(&f.resource))
            .filter_map(owner_deployment)
            .collect()
    };
    restarts.sort();
    restarts.dedup();
    let mut actions = Vec::new();
    if label {
        actions.push(FixAction::LabelNamespace {
            namespace: namespace.to_string(),
        });
    }
    actions.extend(
        restarts
            .into_iter()
            .map(|name| FixAction::RestartDeployment {
                namespace: namespace.to_string(),
                name,
            }),
    );
    FixPlan { actions }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{options, snapshot};
    use super::super::{Code, analyze_codes};
    use super::*;

    #[test]
    fn pods_without_sidecars_restart_their_deployments_once() {
        let s = snapshot(
            "
apiVersion: v1
kind: Namespace
metadata: {name: prod, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: web-5d9f-a, namespace: prod, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9f, uid: u}]}
spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-5d9f-b, namespace: prod, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d9f, uid: u}]}
spec: {containers: [{name: app}]}
",
        );
        let findings = analyze_codes(&s, &options(), &[Code::Mesh0202]);
        let plan = plan_fixes(&s, "prod", &findings);
        assert_eq!(
            plan.actions,
            vec![FixAction::RestartDeployment {
                namespace: "prod".into(),
                name: "web".into()
            }]
        );
        assert_eq!(plan.describe("prod"), "restart 1 Deployment(s) in prod");
        assert_eq!(plan.actions[0].done(), "restarted deployment prod/web");
    }
}
