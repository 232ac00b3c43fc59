//! What reaches the terminal: the reviewed CLI reference, colour only on a terminal.

use std::path::Path;

use crate::support::*;

const REFERENCE: &str = "docs/cli-reference.md";

/// `--help` of every command and subcommand, found by walking each help's `Commands:` list.
async fn cli_reference() -> String {
    let mut out = String::from(
        "# meshctl command-line reference\n\nGenerated from `--help`; a test fails when it is stale.\n",
    );
    let mut pending = vec![Vec::<String>::new()];
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = meshctl_env(&args, &[("COLUMNS", "100")]).await;
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let command = ["meshctl".to_string()]
            .into_iter()
            .chain(path.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ");
        out.push_str(&format!("\n## {command}\n\n```text\n{}```\n", run.stdout));
        let mut children: Vec<Vec<String>> = subcommands(&run.stdout)
            .into_iter()
            .map(|name| path.iter().cloned().chain([name]).collect())
            .collect();
        children.reverse();
        pending.extend(children);
    }
    out
}

/// The names in a help text's `Commands:` section, without clap's own `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Continuation lines of a wrapped description are indented further.
        .filter(|l| !l[2..].starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_committed_cli_reference_is_current() {
    let generated = cli_reference().await;
    let path = root().join(REFERENCE);
    if std::env::var_os("MESHCTL_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write the reference");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{REFERENCE} differs from --help; review the change and regenerate with \
         `MESHCTL_BLESS=1 cargo test --test integration output::`"
    );
}

#[test]
fn the_reference_walks_every_listed_subcommand() {
    let help = "Usage: meshctl\n\nCommands:\n  install  Install\n             wrapped --istio, text\n  manifests  Work\n  help  Print\n\nOptions:\n  -h\n";
    assert_eq!(subcommands(help), ["install", "manifests"]);
    assert!(subcommands("Usage: x\n\nOptions:\n  -h\n").is_empty());
}

/// A manifest with an error finding, so that troubleshoot prints a coloured mark.
fn faulty_manifest(dir: &Path) -> String {
    let path = dir.join("vs.yaml");
    std::fs::write(
        &path,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: production}\n\
         spec:\n  hosts: [a.example.com]\n  gateways: [missing-gateway]\n  http:\n  - route:\n    - destination: {host: a}\n",
    )
    .expect("write manifest");
    path.display().to_string()
}

/// Runs `command` under script(1), so that meshctl's stdout is a terminal.
async fn on_terminal(command: &str, no_color: bool) -> String {
    let mut script = tokio::process::Command::new("script");
    script
        .args(["-qec", command, "/dev/null"])
        .env_remove("NO_COLOR");
    if no_color {
        script.env("NO_COLOR", "1");
    }
    let out = script.output().await.expect("run script(1)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn colour_only_on_a_terminal_and_never_with_no_color() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = faulty_manifest(dir.path());
    let piped = meshctl_bare(&["troubleshoot", "--file", &manifest]).await;
    assert_eq!(piped.code, 1, "{}", piped.stderr);
    assert!(piped.stdout.contains("× MESH"), "{}", piped.stdout);
    assert!(!piped.stdout.contains('\x1b'), "piped: {:?}", piped.stdout);

    let command = format!(
        "{} troubleshoot --file {manifest}",
        env!("CARGO_BIN_EXE_meshctl")
    );
    let coloured = on_terminal(&command, false).await;
    assert!(
        coloured.contains("\x1b[31m×"),
        "a red mark on a terminal: {coloured:?}"
    );
    let plain = on_terminal(&command, true).await;
    assert!(plain.contains("× MESH"), "{plain:?}");
    assert!(!plain.contains('\x1b'), "NO_COLOR on a terminal: {plain:?}");
}

#[tokio::test]
async fn escape_sequences_from_files_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("vs.yaml");
    std::fs::write(
        &path,
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\n\
         metadata: {name: \"vs\\e]0;pwned\\a\\e[2J\", namespace: production}\n\
         spec:\n  hosts: [a.example.com]\n  gateways: [missing-gateway]\n  http:\n  - route:\n    - destination: {host: a}\n",
    )
    .expect("write manifest");
    let run = meshctl_bare(&["troubleshoot", "--file", &path.display().to_string()]).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let shown = format!("{}{}", run.stdout, run.stderr);
    assert!(
        !shown.contains('\x1b') && !shown.contains('\x07'),
        "{shown:?}"
    );
    assert!(
        run.stdout.contains("vs\\x1b]0;pwned\\x07\\x1b[2J"),
        "the name is shown escaped: {}",
        run.stdout
    );
}
