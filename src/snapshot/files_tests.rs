//! Reading manifests: Lists, JSON, any count of documents, empty inputs, hostile YAML.

use super::*;
use crate::snapshot::{name_of, namespace_of};

fn read(text: &str) -> Result<Parsed> {
    parse(
        &Source::File("in.yaml".into()),
        text.as_bytes().to_vec(),
        "prod",
    )
}

fn names(parsed: &Parsed) -> Vec<String> {
    parsed
        .objects
        .iter()
        .map(|o| format!("{}/{}/{}", kind_of(o), namespace_of(o), name_of(o)))
        .collect()
}

#[test]
fn a_small_list_gives_its_items() {
    // Before: `kind: List` was one object of kind List, so its Services were never analyzed.
    let parsed = read(
        "apiVersion: v1
kind: List
metadata: {resourceVersion: ''}
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop}
  spec: {ports: [{port: 80}]}
- apiVersion: networking.istio.io/v1
  kind: VirtualService
  metadata: {name: web}
  spec: {hosts: [web]}
",
    )
    .expect("a List");
    assert_eq!(
        names(&parsed),
        ["Service/shop/web", "VirtualService/prod/web"]
    );
    assert_eq!(
        parsed.objects[0].data["spec"]["ports"][0]["port"],
        serde_json::json!(80)
    );
}

#[test]
fn typed_lists_and_lists_beside_documents_are_read() {
    let parsed = read(
        "apiVersion: v1
kind: ServiceList
items: [{apiVersion: v1, kind: Service, metadata: {name: a}}]
---
apiVersion: v1
kind: Service
metadata: {name: b}
",
    )
    .expect("read");
    assert_eq!(names(&parsed), ["Service/prod/a", "Service/prod/b"]);
}

#[test]
fn an_item_that_is_not_an_object_is_named_by_document_and_item() {
    let error =
        read("---\nkind: List\napiVersion: v1\nitems: [{apiVersion: v1, kind: Service}, 5]\n")
            .err()
            .expect("refused");
    assert_eq!(
        error.to_string(),
        "in.yaml: document 1 item 2 is not a Kubernetes object (a mapping with apiVersion and kind)"
    );
    let error = read("apiVersion: v1\nkind: Service\n---\n[1, 2]\n")
        .err()
        .expect("refused");
    assert!(
        error.to_string().starts_with("in.yaml: document 2 is not"),
        "{error}"
    );
    let error = read("apiVersion: v1\nkind: List\nitems: [{kind: Service}]\n")
        .err()
        .expect("refused");
    assert_eq!(
        error.to_string(),
        "in.yaml: document 1 item 1 has no apiVersion or kind"
    );
}

#[test]
fn json_objects_lists_and_streams_are_read() {
    let json = r#"{"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a", "namespace": "x"}}]}
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "b"}}"#;
    for input in [Source::File("in.json".into()), Source::Stdin] {
        let parsed = parse(&input, json.as_bytes().to_vec(), "prod").expect("JSON");
        assert_eq!(names(&parsed), ["Service/x/a", "Service/prod/b"]);
    }
    // A YAML flow mapping is not JSON: read as YAML.
    let parsed = read("{apiVersion: v1, kind: Service, metadata: {name: c}}").expect("YAML");
    assert_eq!(names(&parsed), ["Service/prod/c"]);
    let error = parse(
        &Source::File("bad.json".into()),
        b"{\"a\": ".to_vec(),
        "prod",
    )
    .err()
    .expect("refused");
    assert_eq!(error.to_string(), "bad.json is not valid JSON");
}

#[test]
fn thousands_of_documents_are_read() {
    // Before: more than 1,024 documents breached serde-saphyr's default budget.
    let text: String = (0..5_000)
        .map(|i| format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}}}\n"))
        .collect();
    assert_eq!(read(&text).expect("read").objects.len(), 5_000);
}

#[test]
fn a_list_of_thousands_of_objects_is_read() {
    // Before: a `kubectl get -o yaml` List of thousands of objects breached the node budget.
    let items: String = (0..9_000)
        .map(|i| {
            format!(
                "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p{i}\n    labels: {{app: a, version: v1}}\n  spec:\n    containers: [{{name: c, image: i, ports: [{{containerPort: 80}}]}}]\n"
            )
        })
        .collect();
    let text = format!("apiVersion: v1\nkind: List\nitems:\n{items}");
    assert_eq!(read(&text).expect("read").objects.len(), 9_000);
}

#[test]
fn an_input_without_objects_is_an_error_naming_it() {
    for text in [
        "",
        "# only a comment\n---\n",
        "apiVersion: v1\nkind: List\nitems: []\n",
        "apiVersion: v1\nkind: List\nmetadata: {}\n",
    ] {
        let error = read(text).err().expect("nothing read");
        assert_eq!(
            error.to_string(),
            "no Kubernetes object found in in.yaml",
            "{text:?}"
        );
    }
    let error = parse(&Source::Stdin, Vec::new(), "prod")
        .err()
        .expect("nothing");
    assert_eq!(
        error.to_string(),
        "no Kubernetes object found in standard input"
    );
}

#[test]
fn alias_bombs_are_refused_quickly() {
    // Each level doubles nine times: 9^10 strings if expanded.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        let list = [previous.as_str(); 9].join(", ");
        text.push_str(&format!("a{level}: &a{level} [{list}]\n"));
    }
    let error = read(&text).err().expect("refused");
    assert!(
        matches!(error, Error::Yaml { .. } | Error::Expanded { .. }),
        "{error}"
    );
}

#[test]
fn many_documents_each_expanding_aliases_are_refused_together() {
    // Under the per-document limit each, over the whole input's allowance together.
    let anchors: String = (0..10)
        .map(|i| format!("  a{i}: &a{i} [{}]\n", vec!["x"; 100].join(", ")))
        .collect();
    let aliases: Vec<String> = (0..100).map(|i| format!("*a{}", i % 10)).collect();
    let document = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: x}}\ndata:\n{anchors}  b: [{}]\n",
        aliases.join(", ")
    );
    let text = vec![document; 40].join("---\n");
    let error = read(&text).err().expect("refused");
    assert!(matches!(error, Error::Expanded { .. }), "{error}");
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 100_000;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let error = read(&text).err().expect("refused");
    assert!(matches!(error, Error::Yaml { .. }), "{error}");
    let block: String = (0..200)
        .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
        .collect();
    let error = read(&block).err().expect("refused");
    assert!(matches!(error, Error::Yaml { .. }), "{error}");
    let json = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let error = parse(
        &Source::File("deep.json".into()),
        json.as_bytes().to_vec(),
        "prod",
    )
    .err()
    .expect("refused");
    assert!(matches!(error, Error::Json { .. }), "{error}");
}

#[test]
fn nameless_objects_are_named_by_input_document_and_item() {
    let parsed = read("apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Service}]\n")
        .expect("read");
    assert_eq!(
        parsed.unnamed[0].to_string(),
        "Service/prod/(unnamed: in.yaml document 1 item 1)"
    );
}

#[test]
fn standard_input_is_read_once_at_most() {
    let error =
        from_paths(&["-".into(), "x.yaml".into(), "-".into()], "prod").expect_err("refused");
    assert!(matches!(error, Error::StdinTwice), "{error}");
}

#[test]
fn directories_are_read_recursively_with_json_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).expect("dirs");
    std::fs::write(
        dir.path().join("svc.yml"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: one}\n",
    )
    .expect("write");
    std::fs::write(
        nested.join("svc.json"),
        r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "two"}}"#,
    )
    .expect("write");
    std::fs::write(nested.join("notes.txt"), "not read").expect("write");
    let snapshot = from_paths(&[dir.path().to_path_buf()], "prod").expect("read");
    let mut found: Vec<&str> = snapshot.of_kind("Service").map(name_of).collect();
    found.sort_unstable();
    assert_eq!(found, ["one", "two"]);
    let empty = tempfile::tempdir().expect("tempdir");
    let error = from_paths(&[empty.path().to_path_buf()], "prod").expect_err("nothing");
    assert!(matches!(error, Error::NothingRead { .. }), "{error}");
}

/// Over a MiB of documents: read on two cores, in the input's order, the same as on one.
fn large_input(broken_at: Option<usize>) -> String {
    (0..12_000)
        .map(|i| {
            let spec = if Some(i) == broken_at {
                "spec: {ports: [\n"
            } else {
                "spec: {ports: [{name: http, port: 80}]}\n"
            };
            format!("---\napiVersion: v1\nkind: Service\nmetadata: {{name: s{i}, namespace: ns{}}}\n{spec}", i % 7)
        })
        .collect()
}

#[test]
fn a_large_input_is_read_on_two_cores_in_its_order() {
    let text = large_input(None);
    assert!(text.len() > 1 << 20, "{} bytes", text.len());
    let split = crate::snapshot::decode::split_point(text.as_bytes()).expect("a split point");
    assert!(split > text.len() / 2 && text[split..].starts_with("---\n"));
    let parsed = read(&text).expect("read");
    let names: Vec<String> = parsed
        .objects
        .iter()
        .map(|o| name_of(o).to_string())
        .collect();
    let expected: Vec<String> = (0..12_000).map(|i| format!("s{i}")).collect();
    assert_eq!(names, expected);
}

#[test]
fn an_error_in_the_second_half_names_its_line_in_the_whole_input() {
    let text = large_input(Some(11_000));
    let line = text
        .lines()
        .position(|l| l == "spec: {ports: [")
        .expect("the broken line")
        + 1;
    let Err(error) = read(&text) else {
        panic!("broken YAML was read");
    };
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    let error = format!("{error}: {}", cause.unwrap_or_default());
    let near = (line..line + 6).any(|l| error.contains(&format!("line {l}")));
    assert!(near, "line {line} not named: {error}");
}

#[test]
fn only_a_marker_at_a_line_start_followed_by_a_space_or_the_end_splits() {
    let filler = "a: b\n".repeat(300_000);
    let tricky = format!("{filler}x: '---'\n---x\n  ---\n");
    assert_eq!(
        crate::snapshot::decode::split_point(tricky.as_bytes()),
        None
    );
    let real = format!("{filler}---\nb: c\n");
    assert_eq!(
        crate::snapshot::decode::split_point(real.as_bytes()),
        Some(filler.len())
    );
    assert_eq!(
        crate::snapshot::decode::split_point(b"a: b\n---\nc: d\n"),
        None
    );
}

#[test]
fn documents_of_the_second_half_keep_their_numbers_lists_and_names() {
    let mut text = large_input(None);
    text.push_str("---\napiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Service, metadata: {name: listed}}]\n");
    text.push_str("---\napiVersion: v1\nkind: Service\nmetadata: {namespace: late}\n");
    let split = crate::snapshot::decode::split_point(text.as_bytes()).expect("a split point");
    assert!(
        split < text.len() - 200,
        "the additions are in the second half"
    );
    let parsed = read(&text).expect("read");
    assert_eq!(parsed.objects.len(), 12_002);
    assert_eq!(name_of(&parsed.objects[12_000]), "listed");
    assert_eq!(namespace_of(&parsed.objects[12_000]), "prod");
    let unnamed: Vec<String> = parsed.unnamed.iter().map(ToString::to_string).collect();
    assert_eq!(unnamed, ["Service/late/(unnamed: in.yaml document 12002)"]);

    let untyped = format!("{}---\nmetadata: {{name: x}}\n", large_input(None));
    let error = read(&untyped).err().expect("refused");
    assert!(
        error.to_string().starts_with("in.yaml: document 12001 "),
        "{error}"
    );
}
