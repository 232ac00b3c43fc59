//! Ctrl-C (SIGINT) during `install` (while istioctl runs, while the manifests apply) and during
//! `inject --wait`: meshctl stops within a second, stops istioctl, prints what was done, exit 130.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams};

use crate::faultproxy::{Fault, FaultProxy, Seen};
use crate::support::*;

struct Interrupted {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// From the signal to the exit.
    took: Duration,
}

/// Starts meshctl, sends SIGINT once `ready` says so, and waits (bounded) for it to exit.
async fn interrupt_when<F, Fut>(args: &[&str], what: &str, mut ready: F) -> Interrupted
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(args)
        .env_remove("KUBECONFIG")
        .env_remove("NO_COLOR")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn meshctl");
    eventually(what, Duration::from_secs(60), || {
        let ready = ready();
        async move { ready.await.then_some(()) }
    })
    .await;
    let pid = child.id().expect("pid").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let signalled = Instant::now();
    let out = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("meshctl ends after SIGINT")
        .expect("output");
    Interrupted {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: signalled.elapsed(),
    }
}

fn alive(pid: &str) -> bool {
    Path::new("/proc").join(pid).join("status").exists()
        && std::fs::read_to_string(Path::new("/proc").join(pid).join("status"))
            .map(|s| !s.contains("State:\tZ"))
            .unwrap_or(false)
}

fn report_of(run: &Interrupted) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "a report on stdout ({e}):\n{}\nstderr: {}",
            run.stdout, run.stderr
        )
    })
}

fn step<'a>(report: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    report["steps"]
        .as_array()?
        .iter()
        .find(|s| s["name"] == name)
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_istioctl_runs_stops_it_and_reports_what_was_done() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-int-istioctl", &[]).await;
    // An istioctl that says it started, then waits: Ctrl-C arrives while it runs.
    let dir = scratch_dir("meshctl-fake-istioctl-");
    let (fake, pid_file) = (dir.path().join("istioctl"), dir.path().join("pid"));
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho $$ > {}\necho '- Processing resources for Istio core.'\nexec sleep 120\n",
            pid_file.display()
        ),
    )
    .expect("write fake istioctl");
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let admin = cluster().admin.to_string_lossy().into_owned();
    let fake_arg = fake.to_string_lossy().into_owned();
    let run = interrupt_when(
        &[
            "--kubeconfig",
            &admin,
            "install",
            "--istioctl",
            &fake_arg,
            "-n",
            &ns.name,
            "-o",
            "json",
        ],
        "the fake istioctl runs",
        || async { std::fs::read_to_string(&pid_file).is_ok_and(|p| p.ends_with('\n')) },
    )
    .await;
    let istioctl_pid = std::fs::read_to_string(&pid_file).expect("pid");
    let istioctl_pid = istioctl_pid.trim();
    assert_eq!(run.code, Some(130), "stderr: {}", run.stderr);
    assert!(run.took < Duration::from_secs(1), "took {:?}", run.took);
    // istioctl is gone (it was an `exec sleep 120`).
    eventually("istioctl stopped", Duration::from_secs(2), || async {
        (!alive(istioctl_pid)).then_some(())
    })
    .await;
    let report = report_of(&run);
    assert!(step(&report, "istioctl").is_some(), "{report:#}");
    let interrupted = step(&report, "interrupted").expect("the interrupted step");
    assert_eq!(interrupted["status"], "interrupted");
    let detail = interrupted["detail"].as_str().unwrap_or("");
    assert!(detail.contains("istioctl install"), "{detail}");
    assert!(
        step(&report, "istio").is_none(),
        "istio not done: {report:#}"
    );
    assert!(report["objects"].as_array().is_some_and(Vec::is_empty));
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_the_manifests_apply_reports_the_objects_applied() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-int-apply", &[]).await;
    // The apply is one parallel wave: the first object to arrive goes through at once, every
    // other one takes 3 s, and Ctrl-C comes while those are under way.
    let namespace = ns.name.clone();
    let proxy = FaultProxy::start(Arc::new(move |seen: &Seen, earlier: &[Seen]| {
        let first = !earlier.iter().any(|e| e.is_apply_in(&namespace));
        if seen.is_apply_in(&namespace) && !first {
            Fault::Delay(Duration::from_secs(3))
        } else {
            Fault::Forward
        }
    }))
    .await;
    let kubeconfig = proxy.kubeconfig_arg();
    let applying = |proxy: &FaultProxy| proxy.seen().iter().filter(|s| s.answer == "delay").count();
    let run = interrupt_when(
        &[
            "--kubeconfig",
            &kubeconfig,
            "install",
            "--skip-istio",
            "-n",
            &ns.name,
            "-o",
            "json",
        ],
        "the held objects are being applied",
        || {
            let n = applying(&proxy);
            async move {
                // The one object let through answers within milliseconds.
                tokio::time::sleep(Duration::from_millis(500)).await;
                n >= 2
            }
        },
    )
    .await;
    assert_eq!(run.code, Some(130), "stderr: {}", run.stderr);
    assert!(run.took < Duration::from_secs(1), "took {:?}", run.took);
    let report = report_of(&run);
    let objects = report["objects"].as_array().expect("objects");
    let created: Vec<&serde_json::Value> = objects
        .iter()
        .filter(|o| o["result"] == "created")
        .collect();
    assert_eq!(created.len(), 1, "one object applied: {objects:?}");
    let interrupted = step(&report, "interrupted").expect("the interrupted step");
    assert!(
        interrupted["detail"]
            .as_str()
            .is_some_and(|d| d.contains("manifest step")),
        "{interrupted}"
    );
    assert!(
        step(&report, "namespace").is_some(),
        "the label was done: {report:#}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_during_inject_wait_stops_following_the_rollout_and_reports_it() {
    cluster();
    let _istiod = istiod_serving();
    let ns = TestNamespace::create("t-int-inject", &[]).await;
    let labels = serde_json::json!({"app": "slow"});
    create(&ns.name, deployment("slow", labels, 1, "img:1"))
        .await
        .expect("deployment");
    await_deployment(&ns.name, "slow").await;
    // New pods are available only after an hour: the restart's rollout never completes (and
    // does not fail either). Changing minReadySeconds alone starts no rollout.
    let deployments: Api<Deployment> = Api::namespaced(admin_client().await, &ns.name);
    deployments
        .patch(
            "slow",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"minReadySeconds": 3600, "progressDeadlineSeconds": 7200}})),
        )
        .await
        .expect("patch minReadySeconds");
    let admin = cluster().admin.to_string_lossy().into_owned();
    let restarted = || async {
        let api: Api<Deployment> = Api::namespaced(admin_client().await, &ns.name);
        api.get("slow").await.is_ok_and(|d| {
            d.spec
                .and_then(|s| s.template.metadata)
                .and_then(|m| m.annotations)
                .is_some_and(|a| a.contains_key("kubectl.kubernetes.io/restartedAt"))
        })
    };
    let run = interrupt_when(
        &[
            "--kubeconfig",
            &admin,
            "-n",
            &ns.name,
            "inject",
            "--deployment",
            "slow",
            "--wait",
            "-o",
            "json",
        ],
        "the Deployment is restarted",
        || async {
            let done = restarted().await;
            if done {
                // Let the wait for the rollout begin.
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            done
        },
    )
    .await;
    assert_eq!(run.code, Some(130), "stderr: {}", run.stderr);
    assert!(run.took < Duration::from_secs(1), "took {:?}", run.took);
    let report = report_of(&run);
    assert_eq!(report["interrupted"], true, "{report:#}");
    let slow = &report["deployments"][0];
    assert_eq!(slow["name"], "slow");
    assert_eq!(slow["result"], "interrupted", "{report:#}");
    assert!(
        slow["reason"]
            .as_str()
            .is_some_and(|r| r.contains("restarted")),
        "{slow}"
    );
}
