//! `troubleshoot --list-codes`: the code registry as a table, or as data.

use serde::Serialize;

use super::Palette;
use crate::analyze::{CODES, CodeInfo};

#[derive(Debug, Serialize)]
pub struct CodeCatalog {
    pub codes: Vec<CatalogEntry>,
}

#[derive(Debug, Serialize)]
pub struct CatalogEntry {
    #[serde(flatten)]
    pub info: &'static CodeInfo,
    pub docs: String,
}

impl CodeCatalog {
    pub fn new() -> Self {
        let codes = CODES
            .iter()
            .map(|info| CatalogEntry {
                info,
                docs: info.docs(),
            })
            .collect();
        Self { codes }
    }
}

pub fn render_codes(catalog: &CodeCatalog, palette: &Palette) -> String {
    let mut out = String::new();
    for entry in &catalog.codes {
        let code = entry.info;
        out.push_str(&format!(
            "{} {:8} {:8} {:10} {}\n    fix: {}\n    {}\n",
            palette.bold.apply_to(code.id),
            code.istio.unwrap_or("-"),
            code.severity.to_string(),
            code.category.to_string(),
            code.title,
            code.fix,
            palette.dim.apply_to(&entry.docs)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_with_its_istio_code_and_docs() {
        let catalog = CodeCatalog::new();
        assert_eq!(catalog.codes.len(), CODES.len());
        let json = serde_json::to_value(&catalog).unwrap_or_default();
        let first = &json["codes"][0];
        assert_eq!(first["code"], "MESH0101");
        assert_eq!(first["istio_code"], "IST0101");
        assert!(
            first["docs"]
                .as_str()
                .is_some_and(|d| d.contains("ist0101"))
        );
        let text = render_codes(&catalog, &Palette::new(false));
        assert!(text.contains("MESH0105 -"), "{text}");
    }
}
