//! The command line itself: help, usage errors, completions.

use crate::support::*;

#[tokio::test]
async fn committed_completion_scripts_are_current() {
    for (shell, file) in [
        ("bash", "meshctl.bash"),
        ("zsh", "_meshctl"),
        ("fish", "meshctl.fish"),
        ("powershell", "_meshctl.ps1"),
        ("elvish", "meshctl.elv"),
    ] {
        let generated = meshctl_bare(&["completions", shell]).await;
        assert_eq!(generated.code, 0, "{}", generated.stderr);
        let committed =
            std::fs::read_to_string(root().join("completions").join(file)).unwrap_or_default();
        assert!(
            committed == generated.stdout,
            "completions/{file} is stale: regenerate with `cargo run -q -- completions {shell} > completions/{file}`"
        );
    }
}

#[tokio::test]
async fn usage_errors_exit_2_and_help_documents_exit_codes() {
    let run = meshctl_bare(&["health", "--no-such-flag"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = meshctl_bare(&["-o", "xml", "health"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = meshctl_bare(&["traffic-test", "http://127.0.0.1:1/", "-t", "0"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("0 is not in 1..=1024"),
        "{}",
        run.stderr
    );
    for (args, says) in [
        (&["-n", "0"][..], "'--requests <N>'"),
        (&["-c", "0"][..], "'--connections <N>'"),
        (&["-n", "5", "-d", "1s"][..], "cannot be used with"),
        (&["--min-rps", "NaN"][..], "is not a rate"),
        (&["--min-rps=-1"][..], "is not a rate"),
        (&["--min-rps", "inf"][..], "is not a rate"),
    ] {
        let mut all = vec!["traffic-test", "http://127.0.0.1:1/"];
        all.extend_from_slice(args);
        let run = meshctl_bare(&all).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    let help = meshctl_bare(&["--help"]).await;
    assert_eq!(help.code, 0);
    for line in [
        "0  all good",
        "1  a check or threshold failed",
        "2  bad input",
        "3  environment",
    ] {
        assert!(
            help.stdout.contains(line),
            "--help lacks {line:?}:\n{}",
            help.stdout
        );
    }
}

#[tokio::test]
async fn a_missing_kubeconfig_file_is_named() {
    let run = meshctl_bare(&["--kubeconfig", "/nonexistent/kubeconfig", "health"]).await;
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("/nonexistent/kubeconfig"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn an_api_server_with_an_untrusted_certificate_hints_at_the_ca() {
    let server = crate::protoserver::ProtoServer::tls().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: k\n  cluster: {{server: 'https://localhost:{}'}}\n\
             contexts:\n- name: c\n  context: {{cluster: k, user: u}}\nusers:\n- name: u\n  user: {{token: t}}\n",
            server.port
        ),
    )
    .expect("write kubeconfig");
    let run = meshctl_bare(&["--kubeconfig", &kubeconfig.display().to_string(), "health"]).await;
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("hint:") && run.stderr.contains("certificate-authority"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("check that the cluster is running"),
        "{}",
        run.stderr
    );
}
