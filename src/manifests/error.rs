//! The manifests layer's errors: each names the config file (with line and column where the
//! parser knows them) or the embedded template.

use std::fmt;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read config file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `at` is `file:line:column` when the parser knows the position, else the file.
    #[error("invalid config {at}")]
    Invalid {
        at: String,
        #[source]
        source: Parse,
    },

    #[error("config file {path} is not a regular file")]
    NotAFile { path: PathBuf },

    #[error("config file {path} is {size} bytes, more than the {limit} a config file may have")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },

    #[error("invalid config {file}: hosts must list at least one hostname")]
    NoHosts { file: String },

    #[error("invalid namespace {value:?}: {reason}")]
    Namespace { value: String, reason: String },

    /// A bug in meshctl: an embedded template that does not render.
    #[error("embedded manifest {group}.yaml: {reason}")]
    Template { group: String, reason: String },
}

/// The YAML parser's error, shown as its reason alone: the position is already in the message
/// that carries it.
#[derive(Debug)]
pub struct Parse(pub Box<serde_saphyr::Error>);

impl fmt::Display for Parse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain_words(&first_line(&self.0.to_string())))
    }
}

impl std::error::Error for Parse {}

/// The parser's internals in words: its option names and budget counters mean nothing to a
/// user; what the file must not do does.
fn plain_words(reason: &str) -> String {
    if let Some(rest) = reason.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        return format!("the key {key} appears twice in the same mapping");
    }
    if reason.starts_with("budget breached") {
        return "the document is larger or more deeply nested than a config file may be".into();
    }
    for (internal, range) in [
        ("u8", "0 to 255"),
        ("u16", "0 to 65535"),
        ("u32", "0 to 4294967295"),
        ("i32", "-2147483648 to 2147483647"),
    ] {
        if reason.contains(&format!("expected {internal}"))
            || reason.contains(&format!("invalid {internal}"))
        {
            return format!("{reason} (a whole number from {range})");
        }
    }
    reason.to_string()
}

/// serde-saphyr's first line reads `error: line L column C: reason`; only the reason is kept.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or(text).trim();
    let line = line.strip_prefix("error: ").unwrap_or(line);
    match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((position, reason)) if position.contains("column") => reason.to_string(),
        _ => line.to_string(),
    }
}
