//! `meshctl troubleshoot --file` on input of every shape: standard input, directories with JSON
//! and nested directories, thousands of documents, `kind: List`, and inputs holding nothing.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::*;

/// One Service whose port has no protocol name: one MESH0206 warning.
fn service(name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {{ports: [{{port: 80}}]}}\n"
    )
}

/// Runs meshctl with `input` piped to its standard input.
fn piped(args: &[&str], input: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(args)
        .env_remove("KUBECONFIG")
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run meshctl");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = input.to_string();
    // Written from another thread: a large input would otherwise fill the pipe while meshctl
    // waits for us to read its output.
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().expect("wait for meshctl");
    writer.join().expect("writer").expect("write stdin");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn troubleshoot(paths: &[&str]) -> Vec<String> {
    let mut args = vec!["troubleshoot".to_string(), "-o".into(), "json".into()];
    for path in paths {
        args.extend(["--file".to_string(), path.to_string()]);
    }
    args
}

fn resources(run: &Run, code: &str) -> Vec<String> {
    let mut found: Vec<String> = findings(&run.json())
        .into_iter()
        .filter(|(c, _, _)| c == code)
        .map(|(_, _, resource)| resource)
        .collect();
    found.sort();
    found
}

#[tokio::test]
async fn standard_input_is_read_from_a_pipe() {
    let input = format!("{}---\n{}", service("web"), service("api"));
    let args = troubleshoot(&["-"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = piped(&args, &input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        resources(&run, "MESH0206"),
        ["Service/production/api", "Service/production/web"]
    );
    let twice = piped(&["troubleshoot", "--file", "-", "--file", "-"], &input);
    assert_eq!(twice.code, 2, "{}", twice.stderr);
    assert!(twice.stderr.contains("more than once"), "{}", twice.stderr);
    let nothing = piped(&["troubleshoot", "--file", "-"], "# nothing rendered\n");
    assert_eq!(nothing.code, 2, "{}", nothing.stderr);
    assert!(
        nothing
            .stderr
            .contains("no Kubernetes object found in standard input"),
        "{}",
        nothing.stderr
    );
}

#[tokio::test]
async fn a_directory_with_json_and_nested_directories_is_read() {
    let dir = scratch_dir("meshctl-input-");
    let nested = dir.path().join("team/routes");
    std::fs::create_dir_all(&nested).expect("dirs");
    std::fs::write(dir.path().join("web.yaml"), service("web")).expect("write");
    std::fs::write(
        nested.join("api.json"),
        r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "api"},
            "spec": {"ports": [{"port": 80}]}}"#,
    )
    .expect("write");
    std::fs::write(nested.join("README.md"), "not a manifest").expect("write");
    let args = troubleshoot(&[dir.path().to_str().expect("utf-8 path")]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = meshctl_bare(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        resources(&run, "MESH0206"),
        ["Service/production/api", "Service/production/web"]
    );
}

#[tokio::test]
async fn a_file_of_1500_documents_is_accepted() {
    // Before: more than 1,024 documents were refused ("budget breached: Documents").
    let dir = scratch_dir("meshctl-input-");
    let path = dir.path().join("many.yaml");
    let text: Vec<String> = (0..1_500).map(|i| service(&format!("svc-{i}"))).collect();
    std::fs::write(&path, text.join("---\n")).expect("write");
    let args = troubleshoot(&[path.to_str().expect("utf-8 path")]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = meshctl_bare(&args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(resources(&run, "MESH0206").len(), 1_500);
}

#[tokio::test]
async fn the_items_of_a_list_are_analyzed_and_an_empty_list_is_an_error() {
    // Before: a `kind: List` was read as nothing at all: exit 0, no finding.
    let dir = scratch_dir("meshctl-input-");
    let list = dir.path().join("list.yaml");
    std::fs::write(
        &list,
        "apiVersion: v1
kind: List
items:
- apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: web, namespace: shop}
  spec:
    hosts: [web]
    gateways: [nowhere]
    http: [{route: [{destination: {host: web}}]}]
",
    )
    .expect("write");
    let args = troubleshoot(&[list.to_str().expect("utf-8 path")]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = meshctl_bare(&args).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        has_finding(&run.json(), "MESH0101", "error", "VirtualService/shop/web"),
        "{:#?}",
        findings(&run.json())
    );
    let empty = dir.path().join("empty.yaml");
    std::fs::write(&empty, "apiVersion: v1\nkind: List\nitems: []\n").expect("write");
    let run = meshctl_bare(&["troubleshoot", "--file", empty.to_str().expect("utf-8")]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "no Kubernetes object found in {}",
            empty.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}
