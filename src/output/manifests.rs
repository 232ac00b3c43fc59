//! The rendered manifests on stdout: YAML for text and `-o yaml` (the exact stream install
//! applies), a `v1 List` for `-o json` (as `kubectl get -o json` prints several objects).

use serde_json::{Value, json};

use super::{OutputFormat, Printer};

impl Printer {
    /// `yaml` is the multi-document stream of `objects`, made by the manifests layer.
    pub fn manifests(&self, objects: &[Value], yaml: &str) -> anyhow::Result<()> {
        match self.format {
            OutputFormat::Json => {
                let list = json!({"apiVersion": "v1", "kind": "List", "items": objects});
                super::write_stdout(&(serde_json::to_string_pretty(&list)? + "\n"))
            }
            OutputFormat::Text | OutputFormat::Yaml => super::write_stdout(yaml),
        }
    }
}
