//! The config file and flags as bad input, without a cluster: values Kubernetes or Istio would
//! reject, files that are not files, parser internals in plain words, zero durations, and
//! mirrors of a scheme the download does not speak.

use std::time::Duration;

use crate::support::*;

async fn render(config: &str) -> Run {
    meshctl_bare(&["manifests", "render", "--config", config]).await
}

#[tokio::test]
async fn values_kubernetes_rejects_are_refused_with_their_position_and_rule() {
    for (text, position, says) in [
        ("service:\n  name: web\n  port: 0\n", ":3:9", "1 to 65535"),
        (
            "service:\n  name: web\n  port: 70000\n",
            ":3:9",
            "1 to 65535",
        ),
        (
            "gateway:\n  selector:\n    \"bad key!\": x\n",
            ":3:",
            "is not a label key",
        ),
        (
            "gateway:\n  selector:\n    istio: \"-bad value\"\n",
            ":3:",
            "is not a label value",
        ),
    ] {
        let config = scratch_yaml("meshctl-config-", text);
        let run = render(&config.path().to_string_lossy()).await;
        assert_eq!(run.code, 2, "{text}: {}", run.stderr);
        let at = format!("{}{position}", config.path().display());
        assert!(run.stderr.contains(&at), "{text}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{text}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "nothing rendered: {}", run.stdout);
    }
}

#[tokio::test]
async fn parser_internals_are_translated_and_keys_named() {
    for (text, says, never) in [
        (
            "app: a\napp: b\n",
            "the key app appears twice",
            "DuplicateKeyPolicy",
        ),
        (
            "routes:\n  api:\n    retries:\n      attempts: -3\n",
            "(attempts)",
            "budget",
        ),
    ] {
        let config = scratch_yaml("meshctl-config-", text);
        let run = render(&config.path().to_string_lossy()).await;
        assert_eq!(run.code, 2, "{text}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{text}: {}", run.stderr);
        assert!(!run.stderr.contains(never), "{text}: {}", run.stderr);
    }
    let huge = scratch_yaml(
        "meshctl-config-",
        &format!("app: {}\n", "a".repeat(5 * 1024 * 1024)),
    );
    let run = render(&huge.path().to_string_lossy()).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(!run.stderr.contains("budget breached"), "{}", run.stderr);
}

#[tokio::test]
async fn a_config_that_is_not_a_regular_file_is_refused() {
    let dir = scratch_dir("meshctl-fifo-");
    let fifo = dir.path().join("config.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for path in [fifo.to_string_lossy().into_owned(), "/dev/zero".to_string()] {
        let run = tokio::time::timeout(Duration::from_secs(20), render(&path))
            .await
            .unwrap_or_else(|_| panic!("{path} must not hang"));
        assert_eq!(run.code, 2, "{path}: {}", run.stderr);
        assert!(
            run.stderr.contains("not a regular file") && run.stderr.contains(&path),
            "{path}: {}",
            run.stderr
        );
    }
}

#[tokio::test]
async fn a_fifo_or_device_as_a_file_mirror_fails_without_hanging() {
    let mirror_dir = scratch_dir("meshctl-fifo-mirror-");
    let release = mirror_dir.path().join("1.31.0");
    std::fs::create_dir_all(&release).expect("mirror dir");
    let archive = release.join("istioctl-1.31.0-linux-amd64.tar.gz");
    let made = std::process::Command::new("mkfifo")
        .arg(release.join("istioctl-1.31.0-linux-amd64.tar.gz.sha256"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", &archive).expect("symlink");
    let cache_dir = tempfile::Builder::new()
        .prefix("meshctl-cache-")
        .tempdir()
        .expect("cache dir");
    let cache = cache_dir.path();
    let mirror = format!("file://{}", mirror_dir.path().display());
    let run = tokio::time::timeout(
        Duration::from_secs(30),
        meshctl_env(
            &[
                "install",
                "--print-istioctl",
                "--mirror",
                &mirror,
                "--istio-version",
                "1.31.0",
            ],
            &[("MESHCTL_CACHE_DIR", &cache.to_string_lossy())],
        ),
    )
    .await
    .expect("a FIFO in a file:// mirror must not hang");
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
}

#[tokio::test]
async fn bad_flag_values_are_bad_input() {
    let run = meshctl_bare(&[
        "install",
        "--print-istioctl",
        "--mirror",
        "ftp://mirror.example.com/istio",
    ])
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("ftp://"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    for args in [
        &["install", "--timeout", "0s"][..],
        &["inject", "--timeout", "0s", "--all"][..],
        &["--request-timeout", "0s", "health"][..],
    ] {
        let run = meshctl_bare(args).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("longer than 0s"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
