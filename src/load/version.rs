//! Where a response names the version that answered it (`--split-by`): a response header, or a
//! field of a JSON body for services that report their version in what they return.

use http::header::HeaderName;

/// A JSON body larger than this is not searched for a version: it is still read to the end.
pub const BODY_FIELD_CAP: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    Header(HeaderName),
    /// A dotted path into a JSON body: `version`, `build.version`, `items.0.version`.
    BodyField(Vec<String>),
}

impl VersionSource {
    /// Parses `header:NAME` or `body:PATH`.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (kind, rest) = spec
            .split_once(':')
            .ok_or_else(|| format!("{spec:?}: write header:NAME or body:FIELD"))?;
        match kind {
            "header" => HeaderName::from_bytes(rest.trim().as_bytes())
                .map(Self::Header)
                .map_err(|e| format!("{spec:?}: {e}")),
            "body" => {
                let path: Vec<String> = rest.split('.').map(str::to_string).collect();
                if path.iter().any(String::is_empty) {
                    return Err(format!("{spec:?}: the field path has an empty part"));
                }
                Ok(Self::BodyField(path))
            }
            other => Err(format!(
                "{spec:?}: {other:?} is not header or body; write header:NAME or body:FIELD"
            )),
        }
    }

    pub fn reads_body(&self) -> bool {
        matches!(self, Self::BodyField(_))
    }

    /// The header the version is read from, lower-case, when it is a header.
    pub fn header_name(&self) -> Option<&str> {
        match self {
            Self::Header(name) => Some(name.as_str()),
            Self::BodyField(_) => None,
        }
    }

    pub fn in_body(&self, body: &[u8]) -> Option<String> {
        let Self::BodyField(path) = self else {
            return None;
        };
        let document: serde_json::Value = serde_json::from_slice(body).ok()?;
        let field = path.iter().try_fold(&document, |value, key| match value {
            serde_json::Value::Array(items) => items.get(key.parse::<usize>().ok()?),
            other => other.get(key),
        })?;
        match field {
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Number(_) | serde_json::Value::Bool(_) => Some(field.to_string()),
            _ => None,
        }
    }
}

/// The version named in the headers, or the start of the body where the version is read there.
pub struct Kept {
    version: Option<String>,
    body: Option<Vec<u8>>,
}

impl Kept {
    /// `version`: what the headers named, if anything.
    pub fn new(version: Option<String>, split: Option<&VersionSource>) -> Self {
        Self {
            version,
            body: split
                .filter(|source| source.reads_body())
                .map(|_| Vec::new()),
        }
    }

    /// The version the headers named, once they have arrived.
    pub fn set_version(&mut self, version: Option<String>) {
        self.version = version;
    }

    pub fn extend(&mut self, data: &[u8]) {
        if let Some(buffer) = self.body.as_mut() {
            if buffer.len() + data.len() <= BODY_FIELD_CAP {
                buffer.extend_from_slice(data);
            } else {
                self.body = None;
            }
        }
    }

    pub fn version(self, split: Option<&VersionSource>) -> Option<String> {
        match (split, self.body) {
            (Some(source), Some(buffer)) => source.in_body(&buffer),
            _ => self.version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_headers_case_insensitively_and_dotted_body_fields() {
        assert_eq!(
            VersionSource::parse("header:X-Version"),
            Ok(VersionSource::Header(HeaderName::from_static("x-version")))
        );
        assert_eq!(
            VersionSource::parse("body:build.version"),
            Ok(VersionSource::BodyField(vec![
                "build".into(),
                "version".into()
            ]))
        );
        assert!(VersionSource::parse("x-version").is_err());
        assert!(VersionSource::parse("cookie:v").is_err());
        assert!(VersionSource::parse("body:build..version").is_err());
        assert!(VersionSource::parse("header:bad name").is_err());
    }

    #[test]
    fn reads_strings_numbers_and_array_items_from_json_bodies() {
        let field = |spec: &str, body: &str| {
            VersionSource::parse(spec)
                .expect("spec")
                .in_body(body.as_bytes())
        };
        assert_eq!(
            field("body:version", r#"{"version":"v2"}"#),
            Some("v2".into())
        );
        assert_eq!(
            field("body:build.rev", r#"{"build":{"rev":3}}"#),
            Some("3".into())
        );
        assert_eq!(
            field("body:items.1.v", r#"{"items":[{"v":"a"},{"v":"b"}]}"#),
            Some("b".into())
        );
        assert_eq!(field("body:version", r#"{"other":"v2"}"#), None);
        assert_eq!(field("body:version", r#"{"version":{"nested":1}}"#), None);
        assert_eq!(field("body:version", "not json"), None);
    }
}
