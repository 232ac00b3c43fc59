//! Planted secrets never reach stdout, stderr or the logs, on any error path we can provoke.

use std::path::{Path, PathBuf};

use crate::support::*;

const SECRET: &str = "s3cretPlanted42";

/// Every verbosity a user might run with when something fails.
const VERBOSITY: [&[&str]; 3] = [&[], &["-v"], &["-vvv"]];

async fn assert_never_printed(what: &str, args: &[&str]) {
    for verbose in VERBOSITY {
        for format in ["text", "json"] {
            let mut all: Vec<&str> = args.to_vec();
            all.extend_from_slice(verbose);
            all.extend(["-o", format]);
            let run = meshctl_bare(&all).await;
            assert_ne!(run.code, 0, "{what} {all:?} must fail: {}", run.stderr);
            for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
                assert!(
                    !text.contains(SECRET),
                    "{what} {all:?}: the secret is on {stream}:\n{text}"
                );
            }
            assert!(
                run.stderr.contains("error:") || run.stdout.contains("error"),
                "{what} {all:?}: the failure is still reported: {}",
                run.stderr
            );
        }
    }
}

fn kubeconfig(dir: &Path, server: &str, user: &str) -> PathBuf {
    let path = dir.join("kubeconfig");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: {{server: '{server}', insecure-skip-tls-verify: true}}\n\
         contexts:\n- name: c\n  context: {{cluster: k, user: u}}\nusers:\n- name: u\n  user:\n{user}"
    );
    std::fs::write(&path, text).expect("write kubeconfig");
    path
}

/// A credential plugin that prints `stdout` and exits with `code`.
fn plugin(dir: &Path, stdout: &str, code: i32) -> String {
    let path = dir.join(format!("plugin-{code}.sh"));
    std::fs::write(
        &path,
        format!("#!/bin/sh\ncat <<'EOF'\n{stdout}\nEOF\nexit {code}\n"),
    )
    .expect("write plugin");
    let mut perms = std::fs::metadata(&path).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&path, perms).expect("chmod");
    format!(
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\n",
        path.display()
    )
}

#[tokio::test]
async fn mirror_url_userinfo_is_never_printed() {
    let mirror = format!("http://user:{SECRET}@127.0.0.1:1/releases");
    let cache = tempfile::tempdir().expect("tempdir");
    for verbose in VERBOSITY {
        let mut args = vec!["install", "--print-istioctl", "--mirror", &mirror];
        args.extend_from_slice(verbose);
        let run = meshctl_env(
            &args,
            &[("MESHCTL_CACHE_DIR", &cache.path().display().to_string())],
        )
        .await;
        assert_eq!(run.code, 3, "{}", run.stderr);
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        assert!(run.stderr.contains("127.0.0.1:1"), "{}", run.stderr);
    }
}

#[tokio::test]
async fn kubeconfig_server_userinfo_and_token_are_never_printed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = format!("https://admin:{SECRET}@127.0.0.1:1");
    let config = kubeconfig(dir.path(), &server, &format!("    token: {SECRET}\n"));
    let config = config.display().to_string();
    assert_never_printed("server userinfo", &["--kubeconfig", &config, "health"]).await;
}

#[tokio::test]
async fn a_credential_plugin_token_is_never_printed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let credential = format!(
        r#"{{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{{"token":"{SECRET}"}}}}"#
    );
    for (what, stdout, code) in [
        (
            "a plugin that fails after printing its credential",
            credential.as_str(),
            1,
        ),
        (
            "a plugin that prints malformed JSON",
            &credential[..credential.len() - 3],
            0,
        ),
    ] {
        let config = kubeconfig(
            dir.path(),
            "https://127.0.0.1:1",
            &plugin(dir.path(), stdout, code),
        );
        let config = config.display().to_string();
        assert_never_printed(what, &["--kubeconfig", &config, "health"]).await;
    }
}

#[tokio::test]
async fn traffic_test_url_userinfo_is_never_printed() {
    let url = format!("http://user:{SECRET}@127.0.0.1:1/");
    assert_never_printed(
        "traffic-test URL",
        &["traffic-test", &url, "-n", "2", "-c", "1"],
    )
    .await;
}

#[tokio::test]
async fn help_never_shows_the_credentials_of_a_mirror_or_proxy_url_from_the_environment() {
    let mirror = format!("https://user:{SECRET}@mirror.example");
    for command in [&["install", "--help"][..], &["addons", "install", "--help"]] {
        let run = meshctl_env(
            command,
            &[
                ("MESHCTL_ISTIO_MIRROR", &mirror),
                ("MESHCTL_GATEWAY_API_PROXY", &mirror),
            ],
        )
        .await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains("MESHCTL_ISTIO_MIRROR"),
            "{}",
            run.stdout
        );
        assert!(!run.stdout.contains(SECRET), "{command:?}:\n{}", run.stdout);
    }
}
