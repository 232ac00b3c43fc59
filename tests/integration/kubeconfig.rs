//! Kubeconfig handling without a cluster: credential plugins that hang, `KUBECONFIG` lists with
//! missing files, and paths that are not regular files.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::support::*;

/// A kubeconfig for an API server on 127.0.0.1:9 (nothing listens) whose user gets its token
/// from `plugin`, or from a static token when there is none.
fn kubeconfig(dir: &Path, name: &str, plugin: Option<&Path>) -> PathBuf {
    let user = match plugin {
        Some(p) => format!(
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\n",
            p.display()
        ),
        None => "    token: static-token\n".to_string(),
    };
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: {name}\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:9\ncontexts:\n- name: {name}\n  context:\n    cluster: c\n    user: u\nusers:\n- name: u\n  user:\n{user}"
    );
    let path = dir.join(format!("{name}.kubeconfig"));
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[tokio::test]
async fn a_credential_plugin_that_never_returns_fails_within_the_request_timeout() {
    let dir = scratch_dir("meshctl-exec-");
    let plugin = script(dir.path(), "hanging-plugin", "exec sleep 600");
    let config = kubeconfig(dir.path(), "hang", Some(&plugin));
    let started = Instant::now();
    let run = tokio::time::timeout(
        Duration::from_secs(60),
        meshctl_bare(&[
            "--kubeconfig",
            &config.to_string_lossy(),
            "--request-timeout",
            "2s",
            "health",
        ]),
    )
    .await
    .expect("meshctl must not hang on a credential plugin");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("hanging-plugin"), "{}", run.stderr);
    assert!(run.stderr.contains("2 s"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[tokio::test]
async fn a_failing_credential_plugin_is_described_in_plain_words() {
    let dir = scratch_dir("meshctl-exec-");
    let plugin = script(
        dir.path(),
        "failing-plugin",
        "echo 'no session' >&2\nexit 1",
    );
    let config = kubeconfig(dir.path(), "fail", Some(&plugin));
    let run = meshctl_bare(&["--kubeconfig", &config.to_string_lossy(), "health"]).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("failing-plugin"), "{}", run.stderr);
    assert!(run.stderr.contains("exit code 1"), "{}", run.stderr);
    assert!(run.stderr.contains("no session"), "{}", run.stderr);
    assert!(!run.stderr.contains("unix_wait_status"), "{}", run.stderr);
}

#[tokio::test]
async fn missing_files_in_the_kubeconfig_list_are_skipped_as_kubectl_does() {
    let dir = scratch_dir("meshctl-kcfg-");
    let valid = kubeconfig(dir.path(), "valid-context", None);
    let list = format!(
        "{}:{}",
        dir.path().join("missing").display(),
        valid.display()
    );
    // The valid file's server is 127.0.0.1:9: the run gets as far as the API server.
    let run = meshctl_env(&["health"], &[("KUBECONFIG", &list)]).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        !run.stderr.contains("cannot read kubeconfig"),
        "a missing file in the list is skipped: {}",
        run.stderr
    );
    assert!(run.stderr.contains("127.0.0.1:9"), "{}", run.stderr);

    let none = format!(
        "{}:{}",
        dir.path().join("a").display(),
        dir.path().join("b").display()
    );
    let run = meshctl_env(&["health"], &[("KUBECONFIG", &none)]).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("KUBECONFIG"), "{}", run.stderr);
}

#[tokio::test]
async fn a_kubeconfig_that_is_not_a_regular_file_is_refused() {
    let dir = scratch_dir("meshctl-kcfg-");
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for path in [fifo.as_path(), Path::new("/dev/zero"), dir.path()] {
        let run = tokio::time::timeout(
            Duration::from_secs(20),
            meshctl_bare(&["--kubeconfig", &path.to_string_lossy(), "health"]),
        )
        .await
        .unwrap_or_else(|_| panic!("{} must not hang", path.display()));
        assert_eq!(run.code, 2, "{}: {}", path.display(), run.stderr);
        assert!(
            run.stderr.contains("not a regular file"),
            "{}: {}",
            path.display(),
            run.stderr
        );
        assert!(
            run.stderr.contains(&*path.to_string_lossy()),
            "{}",
            run.stderr
        );
    }
}
