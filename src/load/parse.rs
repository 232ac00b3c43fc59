//! The HTTP/1.1 response, read the way wrk reads it: the head parsed in place by `httparse`
//! (no allocation, no header map), then the body's framing (a length, chunks, or the end of the
//! connection) stepped through without keeping the bytes, unless `--split-by` reads the body.

use super::stats::ErrorKind;

/// Headers a response may have; more is refused, as hyper refuses more than 100.
const MAX_HEADERS: usize = 100;

/// What the head says about the rest of the exchange.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    /// Bytes of the head, the blank line included.
    pub len: usize,
    pub status: u16,
    pub body: Body,
    /// The connection can take another request once this response is read.
    pub keep_alive: bool,
    /// The value of the header the version is read from, when the run reads one.
    pub version: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// More bytes are needed.
    Partial,
    /// A 1xx answer (100 Continue, 103 Early Hints) of this many bytes: the real one follows.
    Interim(usize),
    Final(Head),
}

/// Parses the head at the start of `data`. `head_request`: the answer to HEAD has no body
/// whatever its headers say. `version_header`: the (lower-case) header whose value is kept.
pub fn head(
    data: &[u8],
    head_request: bool,
    version_header: Option<&str>,
) -> Result<Parsed, ErrorKind> {
    // Left uninitialised: filling 100 empty headers before every parse costs more than parsing
    // a short head.
    let mut headers = [const { std::mem::MaybeUninit::uninit() }; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut []);
    let parser = httparse::ParserConfig::default();
    let len = match parser.parse_response_with_uninit_headers(&mut response, data, &mut headers) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(Parsed::Partial),
        // A malformed status line or header, or too many headers: not HTTP we can follow.
        Err(_) => return Err(ErrorKind::Other),
    };
    let status = response.code.unwrap_or(0);
    if (100..200).contains(&status) {
        // 101 would switch protocols: a load run has nothing to say in another protocol.
        return match status {
            101 => Err(ErrorKind::Other),
            _ => Ok(Parsed::Interim(len)),
        };
    }
    let http10 = response.version == Some(0);
    let (mut close, mut keep_alive_asked) = (false, false);
    let (mut length, mut chunked, mut encoded) = (None, false, false);
    let mut version = None;
    for header in response.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("connection") {
            for token in header.value.split(|&b| b == b',') {
                let token = token.trim_ascii();
                close |= token.eq_ignore_ascii_case(b"close");
                keep_alive_asked |= token.eq_ignore_ascii_case(b"keep-alive");
            }
        } else if name.eq_ignore_ascii_case("content-length") {
            let value = std::str::from_utf8(header.value.trim_ascii())
                .ok()
                .and_then(|text| text.parse::<u64>().ok())
                .ok_or(ErrorKind::Other)?;
            // Two different lengths: either could be the truth, so neither is (RFC 9112 6.3).
            if length.is_some_and(|seen| seen != value) {
                return Err(ErrorKind::Other);
            }
            length = Some(value);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            encoded = true;
            // Chunked counts only as the last coding; any other last coding ends at close.
            chunked = header
                .value
                .rsplit(|&b| b == b',')
                .next()
                .is_some_and(|last| last.trim_ascii().eq_ignore_ascii_case(b"chunked"));
        } else if version_header.is_some_and(|wanted| name.eq_ignore_ascii_case(wanted)) {
            version = visible(header.value);
        }
    }
    let body = if head_request || status == 204 || status == 304 {
        Body::Empty
    } else if encoded {
        // Transfer-Encoding wins over Content-Length (RFC 9112 6.3).
        match chunked {
            true => Body::Chunked(Chunked::default()),
            false => Body::UntilClose,
        }
    } else {
        match length {
            Some(0) => Body::Empty,
            Some(n) => Body::Length(n),
            None => Body::UntilClose,
        }
    };
    let keep_alive = !close && (!http10 || keep_alive_asked) && body != Body::UntilClose;
    Ok(Parsed::Final(Head {
        len,
        status,
        body,
        keep_alive,
        version,
    }))
}

/// A header value as text, the way `HeaderValue::to_str` accepts it.
pub(super) fn visible(value: &[u8]) -> Option<String> {
    let value = value.trim_ascii();
    value
        .iter()
        .all(|&b| b == b'\t' || (b' '..=b'~').contains(&b))
        .then(|| String::from_utf8_lossy(value).into_owned())
}

/// How the body ends.
#[derive(Debug, PartialEq, Eq)]
pub enum Body {
    Empty,
    Length(u64),
    Chunked(Chunked),
    /// It ends when the server closes the connection (no length, no chunks).
    UntilClose,
}

impl Body {
    /// Takes what belongs to the body from `data`, handing its content to `content`. Returns the
    /// bytes taken and whether the body is complete.
    pub fn feed(
        &mut self,
        data: &[u8],
        content: &mut impl FnMut(&[u8]),
    ) -> Result<(usize, bool), ErrorKind> {
        match self {
            Self::Empty => Ok((0, true)),
            Self::Length(left) => {
                let take = usize::try_from(*left).map_or(data.len(), |left| left.min(data.len()));
                content(&data[..take]);
                *left -= take as u64;
                Ok((take, *left == 0))
            }
            Self::Chunked(chunks) => chunks.feed(data, content),
            Self::UntilClose => {
                content(data);
                Ok((data.len(), false))
            }
        }
    }
}

/// Where the chunked decoder stands; control bytes are taken one at a time, chunk data in bulk.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum Chunked {
    /// Before the first hex digit of a size (an empty size is an error).
    #[default]
    SizeStart,
    Size {
        size: u64,
    },
    /// After `;` (an extension) or whitespace: skipped to the end of the line.
    Extension {
        size: u64,
    },
    SizeLf {
        size: u64,
    },
    Data {
        left: u64,
    },
    DataCr,
    DataLf,
    /// At the start of a trailer line (or of the final blank line); `seen` bytes of trailers.
    Trailer {
        seen: usize,
    },
    TrailerLine {
        seen: usize,
    },
    FinalLf,
    Done,
}

/// Trailers beyond this are refused, as an oversize head is.
pub const MAX_TRAILERS: usize = 64 * 1024;

impl Chunked {
    fn feed(
        &mut self,
        data: &[u8],
        content: &mut impl FnMut(&[u8]),
    ) -> Result<(usize, bool), ErrorKind> {
        let mut at = 0;
        while at < data.len() && *self != Self::Done {
            if let Self::Data { left } = self {
                let take =
                    usize::try_from(*left).map_or(data.len() - at, |l| l.min(data.len() - at));
                content(&data[at..at + take]);
                at += take;
                *left -= take as u64;
                if *left == 0 {
                    *self = Self::DataCr;
                }
                continue;
            }
            let byte = data[at];
            at += 1;
            *self = self.step(byte)?;
        }
        Ok((at, *self == Self::Done))
    }

    fn step(&self, byte: u8) -> Result<Self, ErrorKind> {
        let end_of_size = |size: u64| match size {
            0 => Self::Trailer { seen: 0 },
            left => Self::Data { left },
        };
        Ok(match (self, byte) {
            (Self::SizeStart, _) => match hex(byte) {
                Some(digit) => Self::Size { size: digit },
                None => return Err(ErrorKind::Other),
            },
            (&Self::Size { size }, b';' | b' ' | b'\t') => Self::Extension { size },
            (&Self::Size { size }, b'\r') => Self::SizeLf { size },
            (&Self::Size { size }, b'\n') => end_of_size(size),
            (&Self::Size { size }, _) => {
                let digit = hex(byte).ok_or(ErrorKind::Other)?;
                let size = size
                    .checked_mul(16)
                    .and_then(|s| s.checked_add(digit))
                    .ok_or(ErrorKind::Other)?;
                Self::Size { size }
            }
            (&Self::Extension { size }, b'\r') => Self::SizeLf { size },
            (&Self::Extension { size }, b'\n') => end_of_size(size),
            (&Self::Extension { size }, _) => Self::Extension { size },
            (&Self::SizeLf { size }, b'\n') => end_of_size(size),
            (Self::DataCr, b'\r') => Self::DataLf,
            (Self::DataCr | Self::DataLf, b'\n') => Self::SizeStart,
            (Self::Trailer { .. }, b'\r') => Self::FinalLf,
            (Self::Trailer { .. } | Self::FinalLf, b'\n') => Self::Done,
            (&Self::Trailer { seen } | &Self::TrailerLine { seen }, _) if seen >= MAX_TRAILERS => {
                return Err(ErrorKind::Other);
            }
            (&Self::Trailer { seen }, _) => Self::TrailerLine { seen: seen + 1 },
            (&Self::TrailerLine { seen }, b'\n') => Self::Trailer { seen: seen + 1 },
            (&Self::TrailerLine { seen }, _) => Self::TrailerLine { seen: seen + 1 },
            _ => return Err(ErrorKind::Other),
        })
    }
}

fn hex(byte: u8) -> Option<u64> {
    char::from(byte).to_digit(16).map(u64::from)
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
