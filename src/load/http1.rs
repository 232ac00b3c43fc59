//! One HTTP/1.1 keep-alive connection, the way wrk drives one: the request's bytes (built once
//! for the run) written with one write, the response read into the connection's own buffer and
//! parsed in place, its body skipped. No request object, no header map and no channel per
//! request: at hundreds of connections that work competes with the server for the same cores.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::parse::{self, Parsed};
use super::stats::ErrorKind;
use super::target::WireRequest;
use super::version::{Kept, VersionSource};

/// A plain or TLS stream.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// The read buffer a connection starts with (wrk's is 8 KiB); a longer head grows it.
const BUFFER: usize = 8 * 1024;
/// A response head longer than this is refused (hyper's default limit is about 400 KiB for its
/// buffer; 64 KiB of headers is beyond any answer a load test measures).
pub const MAX_HEAD: usize = 64 * 1024;

/// How an exchange failed: `None` when the connection was closed by the server before any byte
/// of the answer, on a connection that had already answered (an idle keep-alive connection the
/// server let go): the request goes to a new connection instead of being counted.
pub type Failure = Option<ErrorKind>;

pub struct Http1 {
    io: Box<dyn Io>,
    buffer: Vec<u8>,
    /// `buffer[start..end]` is read and not yet parsed.
    start: usize,
    end: usize,
    open: bool,
    answered: bool,
}

impl Http1 {
    pub fn new(io: Box<dyn Io>) -> Self {
        Self {
            io,
            buffer: vec![0; BUFFER],
            start: 0,
            end: 0,
            open: true,
            answered: false,
        }
    }

    /// False once the server said it closes the connection (or an HTTP/1.0 server did not say
    /// keep-alive), or a body ran to the end of the connection.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// One request and its whole response. On an error the connection is not to be used again.
    pub async fn exchange(
        &mut self,
        request: &WireRequest,
        split: Option<&VersionSource>,
    ) -> Result<(u16, Option<String>), Failure> {
        self.open = false;
        if let Err(error) = self.io.write_all(&request.bytes).await {
            return Err(lost(&error));
        }
        let header = split.and_then(VersionSource::header_name);
        let head = loop {
            match parse::head(&self.buffer[self.start..self.end], request.head, header)? {
                Parsed::Final(head) => break head,
                Parsed::Interim(len) => self.start += len,
                Parsed::Partial => match self.fill(true).await {
                    Ok(0) if self.start == self.end && self.answered => return Err(None),
                    Ok(0) => return Err(Some(ErrorKind::Reset)),
                    Ok(_) => {}
                    Err(error) if self.start == self.end && self.answered && is_reset(&error) => {
                        return Err(None);
                    }
                    Err(error) => return Err(lost(&error)),
                },
            }
        };
        self.start += head.len;
        let mut kept = Kept::new(head.version, split);
        let mut body = head.body;
        let until_close = body == parse::Body::UntilClose;
        loop {
            let (taken, done) = body.feed(&self.buffer[self.start..self.end], &mut |data| {
                kept.extend(data)
            })?;
            self.start += taken;
            if done {
                break;
            }
            match self.fill(false).await {
                Ok(0) if until_close => break,
                Ok(0) => return Err(Some(ErrorKind::Reset)),
                Ok(_) => {}
                Err(error) => return Err(lost(&error)),
            }
        }
        if self.start == self.end {
            (self.start, self.end) = (0, 0);
        }
        self.open = head.keep_alive && !request.closes;
        self.answered = true;
        Ok((head.status, kept.version(split)))
    }

    /// Reads more after what is unparsed. `head`: the unparsed bytes are an incomplete head, which
    /// may grow the buffer up to `MAX_HEAD`; body bytes are always taken, so they never fill it.
    async fn fill(&mut self, head: bool) -> std::io::Result<usize> {
        if self.start > 0 && self.end == self.buffer.len() {
            self.buffer.copy_within(self.start..self.end, 0);
            (self.start, self.end) = (0, self.end - self.start);
        }
        if self.end == self.buffer.len() {
            if !head || self.buffer.len() >= MAX_HEAD {
                return Err(std::io::Error::other("the response head is too long"));
            }
            self.buffer.resize((self.buffer.len() * 2).min(MAX_HEAD), 0);
        }
        let read = self.io.read(&mut self.buffer[self.end..]).await?;
        self.end += read;
        Ok(read)
    }
}

fn is_reset(error: &std::io::Error) -> bool {
    use std::io::ErrorKind as Io;
    matches!(
        error.kind(),
        Io::ConnectionReset | Io::BrokenPipe | Io::UnexpectedEof | Io::ConnectionAborted
    )
}

fn lost(error: &std::io::Error) -> Failure {
    Some(match is_reset(error) {
        true => ErrorKind::Reset,
        false => ErrorKind::Other,
    })
}

#[cfg(test)]
#[path = "http1_tests.rs"]
mod tests;
