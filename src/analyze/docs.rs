//! `docs/findings.md`, generated from the code registry so that the catalog users read and the
//! codes meshctl reports cannot drift apart (a test compares them).

use std::fmt::Write;

use super::codes::CODES;

const INTRO: &str = "# Findings of `meshctl troubleshoot`

<!-- Generated from src/analyze/codes.rs: edit the registry, then run
     MESHCTL_BLESS=1 cargo test --bin meshctl findings_doc -->

Every finding has a stable code, a severity (`error`, `warning`, `info`), the object
(`Kind/namespace/name`), a message saying what is wrong and why it matters, and the fix. Where
`istioctl analyze` reports the same problem, the finding also carries Istio's code
(`istio_code` in JSON, in brackets in text), whose page on istio.io explains it. The same rules
run against the cluster (`meshctl troubleshoot [scope]`, `-A` for every namespace) and against
files (`meshctl troubleshoot --file PATH…`, no cluster, every namespace in the input). In file
mode the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs
are the workloads; a rule never fires on the absence of something the files could not hold, and
the text report says once what could not be checked offline. Paths that hold no object at all
are an error (exit 2). Exit 1 when a finding at `--fail-on` (default `error`) or worse is found.
`--suppress CODE=Kind/ns/name` (`*` for any part) and the annotation
`galley.istio.io/analyze-suppress: CODE[,CODE]` on an object hide findings; `--list-codes` prints
this table.

| code | Istio | severity | scope | finding | fix |
|---|---|---|---|---|---|
";

const OUTRO: &str = "
`meshctl health` runs the same rules on the live cluster: its data-plane and config checks are
these findings (`meshctl health --list` shows which codes each check reports and the status a
finding gives it), so every problem health reports about the application namespace is also a
`troubleshoot` finding. The exceptions are inventory and probes: \"no pods/Deployments/Gateways in
the namespace\" warnings, the control-plane probes and the connectivity check.

`--fix` (with a prompt, or `-y`) applies only the safe, reversible fixes: it labels the namespace
(MESH0201) and restarts the Deployments whose pods lack the sidecar (MESH0201, MESH0202), then
reports what it changed.
";

/// The whole of `docs/findings.md`.
pub fn findings_markdown() -> String {
    let mut out = String::from(INTRO);
    for code in CODES {
        let istio = code
            .istio
            .map(|i| format!("[{i}]({})", code.docs()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| <a id=\"{}\"></a>{} | {istio} | {} | {} | {} | {} |",
            code.id.to_lowercase(),
            code.id,
            code.severity,
            code.category,
            code.title,
            code.fix
        );
    }
    out.push_str(OUTRO);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/findings.md");

    #[test]
    fn findings_doc_is_generated_from_the_registry() {
        let generated = findings_markdown();
        if std::env::var_os("MESHCTL_BLESS").is_some() {
            std::fs::write(PATH, &generated).expect("write docs/findings.md");
        }
        let committed = std::fs::read_to_string(PATH).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/findings.md is not what the registry generates; run MESHCTL_BLESS=1 cargo test --bin meshctl findings_doc"
        );
    }

    #[test]
    fn every_code_has_a_row_with_its_anchor_and_istio_link() {
        let doc = findings_markdown();
        for code in CODES {
            let anchor = format!("<a id=\"{}\"></a>{} |", code.id.to_lowercase(), code.id);
            assert!(doc.contains(&anchor), "{}", code.id);
            if let Some(istio) = code.istio {
                assert!(
                    doc.contains(&format!("[{istio}](https://istio.io/")),
                    "{}",
                    code.id
                );
            }
        }
    }
}
