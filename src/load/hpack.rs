//! HPACK (RFC 7541) for a load generator's HTTP/2 connection. Requests: every request of a run
//! is the same, so its header block is built once per connection; the first request adds its
//! fields to the server's dynamic table and every later one is a few index bytes. Responses: the
//! decoder keeps the dynamic table exact but decodes a value only where it is needed (the
//! status, the header `--split-by` names, a field added to the table): a literal the server
//! sends without indexing, such as nginx's date, is skipped, not decoded.

use std::collections::VecDeque;

use super::huffman;

/// RFC 7541 Appendix A.
const STATIC_TABLE: [(&str, &str); 61] = [
    (":authority", ""),
    (":method", "GET"),
    (":method", "POST"),
    (":path", "/"),
    (":path", "/index.html"),
    (":scheme", "http"),
    (":scheme", "https"),
    (":status", "200"),
    (":status", "204"),
    (":status", "206"),
    (":status", "304"),
    (":status", "400"),
    (":status", "404"),
    (":status", "500"),
    ("accept-charset", ""),
    ("accept-encoding", "gzip, deflate"),
    ("accept-language", ""),
    ("accept-ranges", ""),
    ("accept", ""),
    ("access-control-allow-origin", ""),
    ("age", ""),
    ("allow", ""),
    ("authorization", ""),
    ("cache-control", ""),
    ("content-disposition", ""),
    ("content-encoding", ""),
    ("content-language", ""),
    ("content-length", ""),
    ("content-location", ""),
    ("content-range", ""),
    ("content-type", ""),
    ("cookie", ""),
    ("date", ""),
    ("etag", ""),
    ("expect", ""),
    ("expires", ""),
    ("from", ""),
    ("host", ""),
    ("if-match", ""),
    ("if-modified-since", ""),
    ("if-none-match", ""),
    ("if-range", ""),
    ("if-unmodified-since", ""),
    ("last-modified", ""),
    ("link", ""),
    ("location", ""),
    ("max-forwards", ""),
    ("proxy-authenticate", ""),
    ("proxy-authorization", ""),
    ("range", ""),
    ("referer", ""),
    ("refresh", ""),
    ("retry-after", ""),
    ("server", ""),
    ("set-cookie", ""),
    ("strict-transport-security", ""),
    ("transfer-encoding", ""),
    ("user-agent", ""),
    ("vary", ""),
    ("via", ""),
    ("www-authenticate", ""),
];

/// The dynamic table size both sides start with (SETTINGS_HEADER_TABLE_SIZE's default), and the
/// most this decoder accepts: the client never announces more.
pub const TABLE_SIZE: usize = 4096;
/// What RFC 7541 §4.1 counts for an entry beside its name and value.
const ENTRY_OVERHEAD: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HpackError;

impl From<huffman::InvalidHuffman> for HpackError {
    fn from(_: huffman::InvalidHuffman) -> Self {
        HpackError
    }
}

/// What a response's header block says that the run counts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Head {
    pub status: Option<u16>,
    /// The value of the header asked for, when it was there.
    pub wanted: Option<Vec<u8>>,
}

/// A name and its value, as the dynamic table holds them.
type Entry = (Box<[u8]>, Box<[u8]>);

#[derive(Clone)]
pub struct Decoder {
    /// Newest first: index 62 is `entries[0]`.
    entries: VecDeque<Entry>,
    size: usize,
    max_size: usize,
    /// A decoded string, reused.
    scratch: Vec<u8>,
}

impl Default for Decoder {
    fn default() -> Self {
        Self {
            entries: VecDeque::new(),
            size: 0,
            max_size: TABLE_SIZE,
            scratch: Vec::new(),
        }
    }
}

/// A string of the block: where it is and whether it is Huffman-coded.
struct Raw<'a> {
    bytes: &'a [u8],
    huffman: bool,
}

impl Decoder {
    /// Decodes one whole header block (HEADERS and its CONTINUATIONs), keeping the table in step
    /// with the server's, and returns the status and the `wanted` header's value.
    pub fn decode(&mut self, block: &[u8], wanted: Option<&[u8]>) -> Result<Head, HpackError> {
        let mut head = Head::default();
        let mut rest = block;
        while let Some(&first) = rest.first() {
            if first & 0x80 != 0 {
                let index = integer(&mut rest, 7)?;
                let (name, value) = self.entry(index)?;
                note(&mut head, name, value, wanted);
            } else if first & 0xc0 == 0x40 {
                self.indexed_literal(&mut rest, &mut head, wanted)?;
            } else if first & 0xe0 == 0x20 {
                let size = integer(&mut rest, 5)?;
                if size > TABLE_SIZE {
                    return Err(HpackError);
                }
                self.max_size = size;
                self.evict(0);
            } else {
                self.plain_literal(&mut rest, &mut head, wanted)?;
            }
        }
        Ok(head)
    }

    /// A literal with incremental indexing: decoded whole, since the table holds it.
    fn indexed_literal(
        &mut self,
        rest: &mut &[u8],
        head: &mut Head,
        wanted: Option<&[u8]>,
    ) -> Result<(), HpackError> {
        let name: Box<[u8]> = match integer(rest, 6)? {
            0 => self.text(string(rest)?)?.into(),
            index => self.entry(index)?.0.into(),
        };
        let value: Box<[u8]> = self.text(string(rest)?)?.into();
        note(head, &name, &value, wanted);
        self.insert(name, value);
        Ok(())
    }

    /// A literal without indexing (or never indexed): the value is decoded, and the name copied,
    /// only when the run reads this field.
    fn plain_literal(
        &mut self,
        rest: &mut &[u8],
        head: &mut Head,
        wanted: Option<&[u8]>,
    ) -> Result<(), HpackError> {
        let read = |name: &[u8]| name == b":status" || wanted == Some(name);
        let name = match integer(rest, 4)? {
            0 => {
                let name = self.text(string(rest)?)?;
                read(name).then(|| name.to_vec())
            }
            index => {
                let name = self.entry(index)?.0;
                read(name).then(|| name.to_vec())
            }
        };
        let value = string(rest)?;
        if let Some(name) = name {
            let value = self.text(value)?.to_vec();
            note(head, &name, &value, wanted);
        }
        Ok(())
    }

    fn entry(&self, index: usize) -> Result<(&[u8], &[u8]), HpackError> {
        match index {
            0 => Err(HpackError),
            1..=61 => {
                let (name, value) = STATIC_TABLE[index - 1];
                Ok((name.as_bytes(), value.as_bytes()))
            }
            _ => self
                .entries
                .get(index - 62)
                .map(|(name, value)| (&name[..], &value[..]))
                .ok_or(HpackError),
        }
    }

    fn insert(&mut self, name: Box<[u8]>, value: Box<[u8]>) {
        let size = ENTRY_OVERHEAD + name.len() + value.len();
        self.evict(size);
        // An entry larger than the whole table empties it and is not added (RFC 7541 §4.4).
        if size <= self.max_size {
            self.entries.push_front((name, value));
            self.size += size;
        }
    }

    /// Drops the oldest entries until `room` more fits.
    fn evict(&mut self, room: usize) {
        while self.size + room > self.max_size {
            let Some((name, value)) = self.entries.pop_back() else {
                break;
            };
            self.size -= ENTRY_OVERHEAD + name.len() + value.len();
        }
    }

    /// The string's bytes: as sent, or Huffman-decoded into the scratch buffer.
    fn text<'a>(&'a mut self, raw: Raw<'a>) -> Result<&'a [u8], HpackError> {
        if !raw.huffman {
            return Ok(raw.bytes);
        }
        self.scratch.clear();
        huffman::decode(raw.bytes, &mut self.scratch)?;
        Ok(&self.scratch)
    }
}

fn note(head: &mut Head, name: &[u8], value: &[u8], wanted: Option<&[u8]>) {
    if name == b":status" {
        head.status = status(value);
    } else if wanted == Some(name) {
        head.wanted = Some(value.to_vec());
    }
}

/// Three digits, 100 to 999; anything else is no status.
fn status(value: &[u8]) -> Option<u16> {
    match value {
        [a @ b'1'..=b'9', b @ b'0'..=b'9', c @ b'0'..=b'9'] => {
            Some(u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'))
        }
        _ => None,
    }
}

/// An integer with an N-bit prefix (RFC 7541 §5.1); at most 2^28, far beyond any table or
/// string here.
fn integer(rest: &mut &[u8], prefix_bits: u32) -> Result<usize, HpackError> {
    let (&first, mut tail) = rest.split_first().ok_or(HpackError)?;
    let max = (1usize << prefix_bits) - 1;
    let mut value = usize::from(first) & max;
    if value == max {
        let mut shift = 0;
        loop {
            let (&byte, after) = tail.split_first().ok_or(HpackError)?;
            tail = after;
            value += usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
            if shift > 21 {
                return Err(HpackError);
            }
        }
    }
    *rest = tail;
    Ok(value)
}

fn string<'a>(rest: &mut &'a [u8]) -> Result<Raw<'a>, HpackError> {
    let huffman = rest.first().ok_or(HpackError)? & 0x80 != 0;
    let length = integer(rest, 7)?;
    if length > rest.len() {
        return Err(HpackError);
    }
    let (bytes, tail) = rest.split_at(length);
    *rest = tail;
    Ok(Raw { bytes, huffman })
}

/// Appends an integer with an N-bit prefix; `flags` fills the bits above the prefix.
fn put_integer(out: &mut Vec<u8>, flags: u8, prefix_bits: u32, value: usize) {
    let max = (1usize << prefix_bits) - 1;
    if value < max {
        out.push(flags | value as u8);
        return;
    }
    out.push(flags | max as u8);
    let mut rest = value - max;
    while rest >= 0x80 {
        out.push((rest as u8 & 0x7f) | 0x80);
        rest >>= 7;
    }
    out.push(rest as u8);
}

/// A dynamic table size update (RFC 7541 §6.3), which opens a header block.
pub fn put_size_update(out: &mut Vec<u8>, size: usize) {
    put_integer(out, 0x20, 5, size);
}

fn put_string(out: &mut Vec<u8>, text: &[u8]) {
    put_integer(out, 0, 7, text.len());
    out.extend_from_slice(text);
}

/// The request's header block: `first` for a connection's first request, `repeat` for every
/// later one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestBlocks {
    pub first: Vec<u8>,
    pub repeat: Vec<u8>,
}

/// Encodes the request's fields (pseudo-headers first, names lower-case). A field the static
/// table holds whole is one index byte; the others are added to the server's dynamic table by
/// the first request when they all fit in `table_size` (the table the encoder has signalled) and
/// named by index afterwards, else every request sends them as literals.
pub fn request_blocks(fields: &[(&[u8], &[u8])], table_size: usize) -> RequestBlocks {
    let added: Vec<_> = fields.iter().filter(|f| whole_index(f).is_none()).collect();
    let needed: usize = added
        .iter()
        .map(|(name, value)| ENTRY_OVERHEAD + name.len() + value.len())
        .sum();
    let use_table = needed <= table_size.min(TABLE_SIZE);
    let (mut first, mut repeat) = (Vec::new(), Vec::new());
    // The newest entry is 62: the first field added ends up the oldest.
    let mut newer = added.len();
    for field in fields {
        if let Some(index) = whole_index(field) {
            put_integer(&mut first, 0x80, 7, index);
            put_integer(&mut repeat, 0x80, 7, index);
        } else if use_table {
            literal(&mut first, 0x40, 6, field);
            newer -= 1;
            put_integer(&mut repeat, 0x80, 7, 62 + newer);
        } else {
            literal(&mut first, 0x00, 4, field);
            literal(&mut repeat, 0x00, 4, field);
        }
    }
    RequestBlocks { first, repeat }
}

/// A literal field: its name by static index where the table has it, its value as it is.
fn literal(out: &mut Vec<u8>, flags: u8, prefix_bits: u32, (name, value): &(&[u8], &[u8])) {
    match STATIC_TABLE.iter().position(|(n, _)| n.as_bytes() == *name) {
        Some(index) => put_integer(out, flags, prefix_bits, index + 1),
        None => {
            put_integer(out, flags, prefix_bits, 0);
            put_string(out, name);
        }
    }
    put_string(out, value);
}

fn whole_index((name, value): &(&[u8], &[u8])) -> Option<usize> {
    STATIC_TABLE
        .iter()
        .position(|(n, v)| n.as_bytes() == *name && v.as_bytes() == *value)
        .map(|i| i + 1)
}

#[cfg(test)]
#[path = "hpack_tests.rs"]
mod tests;
