//! One HTTP/2 connection driven the way h2load drives one: the request's header block encoded
//! once per connection (`hpack`), frames queued in one buffer and written together when the
//! lane has nothing more to do (`cork`), every frame that has arrived read and handled before
//! the streams send again, and a response's headers decoded only as far as the run needs
//! (status, `--split-by` header). No request or response object, header map or channel per
//! request: at h2load's rates that work is a large share of a request's CPU.
//!
//! The streams of a connection and its driver run in one task (`worker::drive`): they share the
//! connection through an `Rc<RefCell<_>>` that is never borrowed across an await. This file
//! starts streams and drives the socket; `receive` handles the frames that arrive and `wire`
//! lays out the ones this client writes.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use tokio::io::ReadBuf;

use super::hpack::{self, Decoder, RequestBlocks};
use super::http1::{Failure, Io};
use super::stats::ErrorKind;
use super::target::RequestTemplate;
use super::version::{Kept, VersionSource};

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
/// The largest frame this client accepts: SETTINGS_MAX_FRAME_SIZE's default, which it keeps.
const MAX_FRAME: usize = 16_384;
/// The read buffer: room for several frames, so that one read takes what has arrived.
const BUFFER: usize = 64 * 1024;
/// The receive window of the connection and of every stream, as h2load's (2^30 - 1): the server
/// never waits for this client to give credit back, which it does at half.
const WINDOW: u32 = (1 << 30) - 1;
/// Flow control's starting window (RFC 9113 §6.9.2).
const DEFAULT_WINDOW: i64 = 65_535;
const MAX_WINDOW: i64 = (1 << 31) - 1;
const MAX_STREAM_ID: u32 = (1 << 31) - 1;
/// Reads handled in one wake-up before the other connections of the lane get a turn.
const READS_PER_TURN: usize = 16;
/// Unsent answers to PING and SETTINGS past which another such frame closes the connection: a
/// server that floods them without reading the answers must not grow the queue without bound.
const MAX_QUEUED: usize = 1 << 20;

mod cork;
mod receive;
mod wire;
pub use cork::Corked;
use wire::{
    FRAME_HEAD, PROTOCOL_ERROR, flag, frame, put_frame_head, put_header_block, put_reset, setting,
};

/// What the server did wrong: the connection is closed and its requests count as `other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProtocolError;

impl From<hpack::HpackError> for ProtocolError {
    fn from(_: hpack::HpackError) -> Self {
        ProtocolError
    }
}

/// A request under way.
struct Stream {
    id: u32,
    /// The request body and how much of it is sent; the stream's send window.
    body: Bytes,
    sent: usize,
    send_window: i64,
    /// Bytes received on the stream that were not yet given back with a WINDOW_UPDATE.
    unacked: u32,
    status: Option<u16>,
    kept: Kept,
    done: Option<Failure>,
    waker: Option<Waker>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    /// GOAWAY received: requests under way end, no new one starts.
    GoingAway,
    Closed,
}

struct Conn {
    io: Box<dyn Io>,
    out: Vec<u8>,
    written: usize,
    /// `buffer[start..end]` is read and not yet handled.
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    state: State,
    settings_received: bool,
    decoder: Decoder,
    /// Built at the first request (and again when the server changes its table size).
    blocks: Option<RequestBlocks>,
    first_sent: bool,
    /// The server's SETTINGS_HEADER_TABLE_SIZE, the size this encoder last told the server's
    /// decoder, and the smallest the setting was since then (RFC 7541 §4.2 wants both signalled).
    table_size: usize,
    signalled: usize,
    smallest: usize,
    /// The response header the run reads the version from (`--split-by header:NAME`).
    wanted: Option<Vec<u8>>,
    streams: Vec<Stream>,
    next_id: u32,
    max_concurrent: usize,
    peer_initial_window: i64,
    peer_max_frame: usize,
    send_window: i64,
    unacked: u32,
    /// A header block that continues in CONTINUATION frames: its stream, bytes and END_STREAM.
    continuation: Option<(u32, Vec<u8>, bool)>,
    /// Streams waiting for the server's concurrency limit to let them start.
    waiting: Vec<Waker>,
    /// Bytes of PING and SETTINGS answers queued since the output was last written out.
    answers_queued: usize,
    /// This connection, for its lane to write what it holds (`cork`), and whether it does.
    me: Weak<RefCell<Conn>>,
    held: Held,
    /// Streams started since the output was last written out.
    fresh: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    No,
    Ready,
    Waiting,
}

/// A handle on the connection for one stream; `clone` gives another stream on it.
#[derive(Clone)]
pub struct Http2 {
    conn: Rc<RefCell<Conn>>,
}

/// What keeps the connection going; it ends when the connection does.
pub type Driver = Pin<Box<dyn std::future::Future<Output = ()>>>;

/// Opens the connection: the preface and this client's settings, then the server's settings,
/// which say how many streams it takes and how large its header table is.
pub async fn handshake(io: Box<dyn Io>) -> Result<(Http2, Driver), ErrorKind> {
    let mut conn = Conn::new(io);
    conn.out.extend_from_slice(PREFACE);
    conn.put_settings();
    put_frame_head(&mut conn.out, 4, frame::WINDOW_UPDATE, 0, 0);
    conn.out
        .extend_from_slice(&(WINDOW - DEFAULT_WINDOW as u32).to_be_bytes());
    let conn = Rc::new_cyclic(|me| {
        conn.me = me.clone();
        RefCell::new(conn)
    });
    std::future::poll_fn(|cx| {
        let mut conn = conn.borrow_mut();
        match conn.poll_drive(cx) {
            _ if conn.settings_received => Poll::Ready(Ok(())),
            Poll::Ready(()) => Poll::Ready(Err(ErrorKind::Connect)),
            Poll::Pending => Poll::Pending,
        }
    })
    .await?;
    let driven = conn.clone();
    let driver: Driver = Box::pin(std::future::poll_fn(move |cx| {
        driven.borrow_mut().poll_drive(cx)
    }));
    Ok((Http2 { conn }, driver))
}

impl Http2 {
    /// Waits until the server's concurrency limit lets one more stream start; `false` once the
    /// connection is going away or closed.
    pub async fn ready(&self) -> bool {
        std::future::poll_fn(|cx| {
            let mut conn = self.conn.borrow_mut();
            match conn.state {
                State::Open if conn.streams.len() < conn.max_concurrent => Poll::Ready(true),
                State::Open => {
                    conn.waiting.push(cx.waker().clone());
                    Poll::Pending
                }
                State::GoingAway | State::Closed => Poll::Ready(false),
            }
        })
        .await
    }

    /// One request and its whole response on a new stream. `Err(None)`: the connection could not
    /// take it (nothing was sent).
    pub async fn exchange(
        &self,
        template: &RequestTemplate,
        split: Option<&VersionSource>,
    ) -> Result<(u16, Option<String>), Failure> {
        let id = self.conn.borrow_mut().start(template, split)?;
        let mut abandon = Abandon {
            conn: &self.conn,
            id: Some(id),
        };
        let outcome = std::future::poll_fn(|cx| self.conn.borrow_mut().poll_answer(id, cx)).await;
        abandon.id = None;
        let (status, kept) = outcome?;
        Ok((status, kept.version(split)))
    }
}

/// Resets the stream of an exchange that is dropped before its answer (a timeout).
struct Abandon<'a> {
    conn: &'a RefCell<Conn>,
    id: Option<u32>,
}

impl Drop for Abandon<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.conn.borrow_mut().abandon(id);
        }
    }
}

impl Conn {
    fn new(io: Box<dyn Io>) -> Self {
        Self {
            io,
            out: Vec::with_capacity(BUFFER),
            written: 0,
            buffer: vec![0; BUFFER],
            start: 0,
            end: 0,
            state: State::Open,
            settings_received: false,
            decoder: Decoder::default(),
            blocks: None,
            first_sent: false,
            table_size: hpack::TABLE_SIZE,
            signalled: hpack::TABLE_SIZE,
            smallest: hpack::TABLE_SIZE,
            wanted: None,
            streams: Vec::new(),
            next_id: 1,
            max_concurrent: usize::MAX,
            peer_initial_window: DEFAULT_WINDOW,
            peer_max_frame: MAX_FRAME,
            send_window: DEFAULT_WINDOW,
            unacked: 0,
            continuation: None,
            waiting: Vec::new(),
            answers_queued: 0,
            me: Weak::new(),
            held: Held::No,
            fresh: 0,
        }
    }

    fn put_settings(&mut self) {
        put_frame_head(&mut self.out, 12, frame::SETTINGS, 0, 0);
        for (id, value) in [
            (setting::ENABLE_PUSH, 0),
            (setting::INITIAL_WINDOW_SIZE, WINDOW),
        ] {
            self.out.extend_from_slice(&id.to_be_bytes());
            self.out.extend_from_slice(&value.to_be_bytes());
        }
    }

    /// Queues the request's HEADERS (and what its windows let it send of the body).
    fn start(
        &mut self,
        template: &RequestTemplate,
        split: Option<&VersionSource>,
    ) -> Result<u32, Failure> {
        if self.state != State::Open || self.next_id > MAX_STREAM_ID {
            return Err(None);
        }
        let id = self.next_id;
        self.next_id += 2;
        self.fresh += 1;
        if self.wanted.is_none() {
            self.wanted = split
                .and_then(VersionSource::header_name)
                .map(|name| name.as_bytes().to_vec());
        }
        let body = template.body().clone();
        let end_stream = match body.is_empty() {
            true => flag::END_STREAM,
            false => 0,
        };
        let max_frame = self.peer_max_frame;
        match self.first_sent {
            true => {
                let blocks = self.blocks.as_ref().ok_or(Some(ErrorKind::Other))?;
                put_header_block(&mut self.out, id, &blocks.repeat, end_stream, max_frame);
            }
            false => {
                let block = self.first_block(template);
                put_header_block(&mut self.out, id, &block, end_stream, max_frame);
                self.first_sent = true;
            }
        }
        self.streams.push(Stream {
            id,
            body,
            sent: 0,
            send_window: self.peer_initial_window,
            unacked: 0,
            status: None,
            kept: Kept::new(None, split),
            done: None,
            waker: None,
        });
        self.send_bodies();
        Ok(id)
    }

    /// The block of the first request on the connection, or after the server changed its table
    /// size: the size updates that change requires, then the fields, added to the table.
    fn first_block(&mut self, template: &RequestTemplate) -> Vec<u8> {
        let target = self.table_size.min(hpack::TABLE_SIZE);
        let mut block = Vec::new();
        // Shrunk below what was signalled and grown again since: both sizes are said.
        let shrunk = self.smallest < self.signalled && self.smallest < target;
        if shrunk {
            hpack::put_size_update(&mut block, self.smallest);
        }
        if shrunk || target != self.signalled {
            hpack::put_size_update(&mut block, target);
        }
        (self.signalled, self.smallest) = (target, target);
        let blocks = template.h2_blocks(target);
        block.extend_from_slice(&blocks.first);
        self.blocks = Some(blocks);
        block
    }

    fn poll_answer(&mut self, id: u32, cx: &mut Context<'_>) -> Poll<Result<(u16, Kept), Failure>> {
        let Some(at) = self.streams.iter().position(|s| s.id == id) else {
            return Poll::Ready(Err(Some(ErrorKind::Other)));
        };
        match self.streams[at].done {
            None => {
                let waker = &mut self.streams[at].waker;
                if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                    *waker = Some(cx.waker().clone());
                }
                Poll::Pending
            }
            Some(failure) => {
                let stream = self.streams.swap_remove(at);
                // Answered before the whole body was sent: the rest is not coming.
                if stream.sent < stream.body.len() && self.state != State::Closed {
                    put_reset(&mut self.out, id);
                }
                self.wake_waiting();
                Poll::Ready(match (failure, stream.status) {
                    (None, Some(status)) => Ok((status, stream.kept)),
                    (None, None) => Err(Some(ErrorKind::Other)),
                    (Some(kind), _) => Err(Some(kind)),
                })
            }
        }
    }

    fn abandon(&mut self, id: u32) {
        let Some(at) = self.streams.iter().position(|s| s.id == id) else {
            return;
        };
        let stream = self.streams.swap_remove(at);
        let unfinished = stream.done.is_none() || stream.sent < stream.body.len();
        if unfinished && self.state != State::Closed {
            put_reset(&mut self.out, id);
        }
        self.wake_waiting();
    }

    /// A stream ended: every stream waiting for room tries again (a waker may be stale, or there
    /// twice, so waking only one could leave a waiting stream asleep).
    fn wake_waiting(&mut self) {
        for waker in self.waiting.drain(..) {
            waker.wake();
        }
    }

    /// Writes what is queued, then reads and handles what has arrived; ready when the
    /// connection is closed.
    fn poll_drive(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.state == State::Closed {
            return Poll::Ready(());
        }
        for _ in 0..READS_PER_TURN {
            if let Err(kind) = self.poll_send(cx) {
                return self.close(kind);
            }
            match self.poll_fill(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(kind)) => return self.close(kind),
                Poll::Ready(Ok(())) => {
                    if self.handle_frames().is_err() {
                        put_frame_head(&mut self.out, 8, frame::GOAWAY, 0, 0);
                        self.out.extend_from_slice(&0u32.to_be_bytes());
                        self.out.extend_from_slice(&PROTOCOL_ERROR.to_be_bytes());
                        let _ = self.poll_flush(cx);
                        return self.close(ErrorKind::Other);
                    }
                }
            }
        }
        if let Err(kind) = self.poll_send(cx) {
            return self.close(kind);
        }
        // More may have arrived: read again after the lane's other connections had a turn.
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// Everything under way fails with `kind`; nothing new starts.
    fn close(&mut self, kind: ErrorKind) -> Poll<()> {
        self.state = State::Closed;
        for stream in &mut self.streams {
            if stream.done.is_none() {
                stream.done = Some(Some(kind));
                if let Some(waker) = stream.waker.take() {
                    waker.wake();
                }
            }
        }
        self.wake_waiting();
        Poll::Ready(())
    }

    /// Writes what is queued, or, in a corked lane once the connection is open, leaves it for
    /// the lane to write when it is about to wait (`cork`).
    fn poll_send(&mut self, cx: &mut Context<'_>) -> Result<(), ErrorKind> {
        if cork::corked() && self.settings_received {
            self.hold();
            return Ok(());
        }
        self.poll_flush(cx)
    }

    fn hold(&mut self) {
        if self.written == self.out.len() {
            return;
        }
        // Answers to what was written before are still to come: wait for them (a window long),
        // so that the requests that follow them go out together.
        let waiting = self.streams.len() > self.fresh && self.answers_queued == 0;
        let held = if waiting { Held::Waiting } else { Held::Ready };
        if self.held != held && self.held != Held::Ready {
            self.held = held;
            cork::hold(self.me.clone(), waiting);
        }
    }

    /// The lane is about to wait: what the connection holds goes out.
    fn write_held(&mut self, cx: &mut Context<'_>) {
        self.held = Held::No;
        if self.state == State::Closed {
            return;
        }
        match self.poll_flush(cx) {
            Ok(()) if self.written < self.out.len() => {
                self.held = Held::Ready;
                cork::hold(self.me.clone(), false);
            }
            Ok(()) => {}
            Err(kind) => {
                let _ = self.close(kind);
            }
        }
    }

    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Result<(), ErrorKind> {
        while self.written < self.out.len() {
            match Pin::new(&mut *self.io).poll_write(cx, &self.out[self.written..]) {
                Poll::Ready(Ok(0)) | Poll::Ready(Err(_)) => return Err(ErrorKind::Reset),
                Poll::Ready(Ok(n)) => self.written += n,
                Poll::Pending => return Ok(()),
            }
        }
        self.out.clear();
        self.written = 0;
        self.answers_queued = 0;
        self.fresh = 0;
        match Pin::new(&mut *self.io).poll_flush(cx) {
            Poll::Ready(Err(_)) => Err(ErrorKind::Reset),
            _ => Ok(()),
        }
    }

    /// One read into the buffer; the end of the connection is an error (GOAWAY comes first on
    /// a connection the server closes in order).
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ErrorKind>> {
        if self.start == self.end {
            (self.start, self.end) = (0, 0);
        } else if self.buffer.len() - self.end < FRAME_HEAD + MAX_FRAME {
            self.buffer.copy_within(self.start..self.end, 0);
            (self.start, self.end) = (0, self.end - self.start);
        }
        let mut read = ReadBuf::new(&mut self.buffer[self.end..]);
        match Pin::new(&mut *self.io).poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(_)) => Poll::Ready(Err(ErrorKind::Reset)),
            Poll::Ready(Ok(())) if read.filled().is_empty() => Poll::Ready(Err(ErrorKind::Reset)),
            Poll::Ready(Ok(())) => {
                self.end += read.filled().len();
                Poll::Ready(Ok(()))
            }
        }
    }

    /// Sends what the windows allow of the request bodies not yet sent.
    fn send_bodies(&mut self) {
        for stream in &mut self.streams {
            while stream.sent < stream.body.len() && stream.done.is_none() {
                let room = self
                    .send_window
                    .min(stream.send_window)
                    .min(self.peer_max_frame as i64);
                if room <= 0 {
                    break;
                }
                let size = (stream.body.len() - stream.sent).min(room as usize);
                let last = stream.sent + size == stream.body.len();
                let flags = if last { flag::END_STREAM } else { 0 };
                put_frame_head(&mut self.out, size, frame::DATA, flags, stream.id);
                self.out
                    .extend_from_slice(&stream.body[stream.sent..stream.sent + size]);
                stream.sent += size;
                stream.send_window -= size as i64;
                self.send_window -= size as i64;
            }
        }
    }

    /// Ends a stream this client still waits on: `None` answered, else failed with that kind.
    fn finish(&mut self, id: u32, failure: Failure) {
        if let Some(stream) = self
            .streams
            .iter_mut()
            .find(|s| s.id == id && s.done.is_none())
        {
            stream.done = Some(failure);
            if let Some(waker) = stream.waker.take() {
                waker.wake();
            }
        }
    }
}

#[cfg(test)]
#[path = "http2_tests.rs"]
mod tests;
