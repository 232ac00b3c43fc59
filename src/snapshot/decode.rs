//! From bytes to documents and from documents to objects, for files and the cluster alike:
//! YAML under a budget that grows with the input but keeps alias expansion and nesting bounded,
//! JSON streams, and objects built without serde's `flatten` (which buffers every field twice).

use kube::api::{DynamicObject, TypeMeta};
use serde_json::{Map, Value};

use super::{Error, Result, Source};

/// Nesting deeper than this is refused: real objects (CRD schemas included) stay far below,
/// and a deep input costs stack and time.
const MAX_DEPTH: usize = 64;

/// Events alias replay may add over the whole input: a billion-laughs input is refused before
/// it holds more than a few tens of MiB, while the anchors real manifests use stay far below.
const MAX_REPLAYED_EVENTS: usize = 250_000;

/// A document as read: an object, built where it was parsed (so the tree of its metadata is
/// dropped there and then, not held beside ten thousand others), a List's `items` (`Null` when
/// it has none), or something that is not a mapping at all.
// Nearly every document is an object, which ends up in the snapshot's vector as it is: boxing
// it would add an allocation per object and save nothing.
#[allow(clippy::large_enum_variant)]
pub(super) enum Document {
    Object(std::result::Result<DynamicObject, Invalid>),
    List(Value),
    NotAMapping,
}

/// What a parsed document holds: a List is `kind: List`, or any `…List` kind with `items` (as
/// `kubectl get` prints them).
fn document(value: Value) -> Document {
    let Value::Object(mut map) = value else {
        return Document::NotAMapping;
    };
    let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind == "List" || (kind.ends_with("List") && map.contains_key("items")) {
        return Document::List(map.remove("items").unwrap_or(Value::Null));
    }
    Document::Object(object(map))
}

/// Every document of an input, empty ones left out, handed to `each` as it is parsed (so only
/// one document's text is held twice): a JSON stream when it starts with `{` and parses as one
/// (or is a `.json` file), YAML otherwise. The text is dropped as soon as it is read.
pub(super) fn documents(
    input: &Source,
    bytes: Vec<u8>,
    mut each: impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    let json_file = matches!(input, Source::File(p) if p.extension().is_some_and(|x| x == "json"));
    let starts_like_json = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    if json_file || starts_like_json {
        match json_stream(&bytes) {
            Ok(documents) => return documents.into_iter().map(document).try_for_each(each),
            Err(source) if json_file => {
                return Err(Error::Json {
                    input: input.clone(),
                    source,
                });
            }
            // A YAML flow mapping (`{name: x}`) is not JSON: read it as the YAML it is.
            Err(_) => {}
        }
    }
    // A large input is read on two cores: its second half (from a document marker near the
    // middle) in a thread of its own. A document marker at the start of a line ends any scalar,
    // so the halves hold the same documents the whole does.
    let whole = bytes.len();
    let mut nodes_left = whole + MAX_REPLAYED_EVENTS;
    let Some(middle) = split_point(&bytes) else {
        return yaml_each(input, &bytes, whole, &mut nodes_left, &mut each);
    };
    let (first, second) = bytes.split_at(middle);
    let (early, later) = std::thread::scope(|scope| {
        let later = scope.spawn(|| yaml_documents(input, second, whole));
        let early = yaml_each(input, first, whole, &mut nodes_left, &mut each);
        let later = later
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (early, later)
    });
    let (documents, held) = match early.and(later) {
        Ok(later) => later,
        // Read the whole again for the error, so that it names the line in the input.
        Err(error) => {
            let mut nodes_left = whole + MAX_REPLAYED_EVENTS;
            return match yaml_each(input, &bytes, whole, &mut nodes_left, &mut |_| Ok(())) {
                Err(whole) => Err(whole),
                Ok(()) => Err(error),
            };
        }
    };
    // The text is read: it goes before the second half's objects join the first's (the run's
    // peak, when both halves' vectors are held).
    drop(bytes);
    nodes_left.checked_sub(held).ok_or(Error::Expanded {
        input: input.clone(),
    })?;
    documents.into_iter().try_for_each(each)
}

/// Inputs smaller than this are read on one core: a thread costs more than it saves.
const PARALLEL_FROM: usize = 1 << 20;

/// Where the second half of a large YAML input starts: the first document marker (`---` at the
/// start of a line, then a space or the line's end) at or after the middle.
pub(super) fn split_point(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < PARALLEL_FROM {
        return None;
    }
    let mut at = bytes.len() / 2;
    while let Some(found) = bytes[at..].windows(4).position(|w| w == b"\n---") {
        let marker = at + found + 1;
        match bytes.get(marker + 3) {
            None | Some(b'\n' | b'\r' | b' ' | b'\t') => return Some(marker),
            Some(_) => at = marker,
        }
    }
    None
}

/// The YAML documents of `bytes`, collected (the second half of a parallel read), and how many
/// values they held, under the whole input's growth bound of their own so that what is held
/// before the count is bounded.
fn yaml_documents(input: &Source, bytes: &[u8], whole: usize) -> Result<(Vec<Document>, usize)> {
    let mut documents = Vec::new();
    let budget = whole + MAX_REPLAYED_EVENTS;
    let mut nodes_left = budget;
    yaml_each(input, bytes, whole, &mut nodes_left, &mut |document| {
        documents.push(document);
        Ok(())
    })?;
    Ok((documents, budget - nodes_left))
}

/// Each non-empty YAML document of `bytes`, under the budget of an input of `whole` bytes;
/// `nodes_left` bounds what alias replay may add over the whole input.
fn yaml_each(
    input: &Source,
    bytes: &[u8],
    whole: usize,
    nodes_left: &mut usize,
    each: &mut impl FnMut(Document) -> Result<()>,
) -> Result<()> {
    let yaml_error = |source| Error::Yaml {
        input: input.clone(),
        source: Box::new(source),
    };
    let mut reader = bytes;
    for document in serde_saphyr::read_with_options::<_, Value>(&mut reader, options(whole)) {
        let document = document.map_err(yaml_error)?;
        *nodes_left = nodes_left
            .checked_sub(nodes(&document))
            .ok_or(Error::Expanded {
                input: input.clone(),
            })?;
        if !document.is_null() {
            each(self::document(document))?;
        }
    }
    Ok(())
}

/// How many values a document holds, containers included.
fn nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(nodes).sum(),
        Value::Object(map) => map.values().map(nodes).sum(),
        _ => 0,
    }
}

fn json_stream(bytes: &[u8]) -> std::result::Result<Vec<Value>, serde_json::Error> {
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<Value>()
        .filter(|d| !matches!(d, Ok(Value::Null)))
        .collect()
}

/// The YAML budget of each document of an input of `len` bytes. Counts of nodes and events grow
/// with the input (each takes at least a byte of text, so these bound nothing the size cap does
/// not), so a `kubectl get -o yaml` List of thousands of objects passes, and documents are
/// counted by none; what a small text could blow up stays bounded: nesting depth, aliases and
/// the events their replay adds.
fn options(len: usize) -> serde_saphyr::Options {
    let defaults = serde_saphyr::Budget::default();
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(len + 1),
            max_depth: MAX_DEPTH,
            max_nodes: defaults.max_nodes.max(len),
            max_events: defaults.max_events.max(2 * len),
            max_total_scalar_bytes: defaults.max_total_scalar_bytes.max(len),
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
        },
    }
}

/// Why a mapping is not an object.
pub(super) enum Invalid {
    Untyped,
    Metadata(serde_json::Error),
}

/// The object a mapping holds: its `apiVersion` and `kind` as `types`, its `metadata`, and
/// every other field in `data`, as `DynamicObject`'s own deserializer would give them.
pub(super) fn object(mut map: Map<String, Value>) -> std::result::Result<DynamicObject, Invalid> {
    let (Some(Value::String(api_version)), Some(Value::String(kind))) =
        (map.remove("apiVersion"), map.remove("kind"))
    else {
        return Err(Invalid::Untyped);
    };
    typed(TypeMeta { api_version, kind }, map).map_err(Invalid::Metadata)
}

/// The object of a mapping whose types are known (a list item from the API server, which
/// leaves them out for built-in kinds).
pub(super) fn typed(
    types: TypeMeta,
    mut map: Map<String, Value>,
) -> std::result::Result<DynamicObject, serde_json::Error> {
    let metadata = match map.remove("metadata") {
        None | Some(Value::Null) => Default::default(),
        Some(metadata) => serde_json::from_value(metadata)?,
    };
    Ok(DynamicObject {
        types: Some(types),
        metadata,
        data: Value::Object(map),
    })
}
