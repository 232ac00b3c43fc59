//! One HTTP/2 connection driven the way h2load drives one: the request's header block encoded
//! once per connection (`hpack`), frames queued in one buffer and written together whenever the
//! connection is polled, every frame that has arrived read and handled before the streams send
//! again, and a response's headers decoded only as far as the run needs (status, `--split-by`
//! header). No
//! request or response object, header map or channel per request: at h2load's rates that work
//! is a large share of a request's CPU.
//!
//! The streams of a connection and its driver run in one task (`worker::drive`): they share the
//! connection through an `Rc<RefCell<_>>` that is never borrowed across an await.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use tokio::io::ReadBuf;

use super::hpack::{self, Decoder, RequestBlocks};
use super::http1::{Failure, Io, MAX_HEAD};
use super::parse::visible;
use super::stats::ErrorKind;
use super::target::RequestTemplate;
use super::version::{Kept, VersionSource};

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const FRAME_HEAD: usize = 9;
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

mod frame {
    pub const DATA: u8 = 0;
    pub const HEADERS: u8 = 1;
    pub const RST_STREAM: u8 = 3;
    pub const SETTINGS: u8 = 4;
    pub const PUSH_PROMISE: u8 = 5;
    pub const PING: u8 = 6;
    pub const GOAWAY: u8 = 7;
    pub const WINDOW_UPDATE: u8 = 8;
    pub const CONTINUATION: u8 = 9;
}

mod flag {
    pub const END_STREAM: u8 = 0x1;
    pub const ACK: u8 = 0x1;
    pub const END_HEADERS: u8 = 0x4;
    pub const PADDED: u8 = 0x8;
    pub const PRIORITY: u8 = 0x20;
}

mod setting {
    pub const HEADER_TABLE_SIZE: u16 = 0x1;
    pub const ENABLE_PUSH: u16 = 0x2;
    pub const MAX_CONCURRENT_STREAMS: u16 = 0x3;
    pub const INITIAL_WINDOW_SIZE: u16 = 0x4;
    pub const MAX_FRAME_SIZE: u16 = 0x5;
}

const CANCEL: u32 = 0x8;
const PROTOCOL_ERROR: u32 = 0x1;

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
    let conn = Rc::new(RefCell::new(conn));
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
            if let Err(kind) = self.poll_flush(cx) {
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
        if let Err(kind) = self.poll_flush(cx) {
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

    /// Handles every whole frame in the buffer.
    fn handle_frames(&mut self) -> Result<(), ProtocolError> {
        let buffer = std::mem::take(&mut self.buffer);
        let handled = self.handle_frames_in(&buffer);
        self.buffer = buffer;
        handled
    }

    fn handle_frames_in(&mut self, buffer: &[u8]) -> Result<(), ProtocolError> {
        while self.end - self.start >= FRAME_HEAD {
            let head = &buffer[self.start..self.start + FRAME_HEAD];
            let length =
                usize::from(head[0]) << 16 | usize::from(head[1]) << 8 | usize::from(head[2]);
            if length > MAX_FRAME {
                return Err(ProtocolError);
            }
            if self.end - self.start < FRAME_HEAD + length {
                return Ok(());
            }
            let (kind, flags) = (head[3], head[4]);
            let id = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
            let payload = &buffer[self.start + FRAME_HEAD..self.start + FRAME_HEAD + length];
            self.start += FRAME_HEAD + length;
            self.handle_frame(kind, flags, id, payload)?;
        }
        Ok(())
    }

    fn handle_frame(
        &mut self,
        kind: u8,
        flags: u8,
        id: u32,
        payload: &[u8],
    ) -> Result<(), ProtocolError> {
        if self.continuation.is_some() && kind != frame::CONTINUATION {
            return Err(ProtocolError);
        }
        match kind {
            frame::DATA => self.on_data(flags, id, payload),
            frame::HEADERS => self.on_headers(flags, id, payload),
            frame::CONTINUATION => self.on_continuation(flags, id, payload),
            frame::RST_STREAM => {
                self.finish(id, Some(ErrorKind::Reset));
                Ok(())
            }
            frame::SETTINGS | frame::PING if flags & flag::ACK == 0 && self.flooded() => {
                Err(ProtocolError)
            }
            frame::SETTINGS if flags & flag::ACK == 0 => self.on_settings(payload),
            frame::PING if flags & flag::ACK == 0 => {
                if payload.len() != 8 {
                    return Err(ProtocolError);
                }
                put_frame_head(&mut self.out, 8, frame::PING, flag::ACK, 0);
                self.out.extend_from_slice(payload);
                self.answers_queued += FRAME_HEAD + 8;
                Ok(())
            }
            frame::GOAWAY => self.on_goaway(payload),
            frame::WINDOW_UPDATE => self.on_window_update(id, payload),
            // Push was switched off in this client's settings.
            frame::PUSH_PROMISE => Err(ProtocolError),
            // PRIORITY, acknowledgements and frame types this client does not know.
            _ => Ok(()),
        }
    }

    fn flooded(&self) -> bool {
        self.answers_queued > MAX_QUEUED
    }

    fn on_data(&mut self, flags: u8, id: u32, payload: &[u8]) -> Result<(), ProtocolError> {
        if id == 0 {
            return Err(ProtocolError);
        }
        let data = unpadded(flags, payload)?;
        // Flow control counts the whole frame, padding included.
        let length = payload.len() as u32;
        self.unacked += length;
        if self.unacked >= WINDOW / 2 {
            put_window_update(&mut self.out, 0, self.unacked);
            self.unacked = 0;
        }
        let ended = flags & flag::END_STREAM != 0;
        if let Some(stream) = self
            .streams
            .iter_mut()
            .find(|s| s.id == id && s.done.is_none())
        {
            stream.kept.extend(data);
            stream.unacked += length;
            if stream.unacked >= WINDOW / 2 && !ended {
                put_window_update(&mut self.out, id, stream.unacked);
                stream.unacked = 0;
            }
        }
        if ended {
            self.finish(id, None);
        }
        Ok(())
    }

    fn on_headers(&mut self, flags: u8, id: u32, payload: &[u8]) -> Result<(), ProtocolError> {
        if id == 0 {
            return Err(ProtocolError);
        }
        let mut block = unpadded(flags, payload)?;
        if flags & flag::PRIORITY != 0 {
            block = block.get(5..).ok_or(ProtocolError)?;
        }
        let ended = flags & flag::END_STREAM != 0;
        match flags & flag::END_HEADERS != 0 {
            true => self.on_header_block(id, block, ended),
            false => {
                self.continuation = Some((id, block.to_vec(), ended));
                Ok(())
            }
        }
    }

    fn on_continuation(&mut self, flags: u8, id: u32, payload: &[u8]) -> Result<(), ProtocolError> {
        let Some((stream, mut block, ended)) = self.continuation.take() else {
            return Err(ProtocolError);
        };
        if stream != id || block.len() + payload.len() > MAX_HEAD {
            return Err(ProtocolError);
        }
        block.extend_from_slice(payload);
        match flags & flag::END_HEADERS != 0 {
            true => self.on_header_block(id, &block, ended),
            false => {
                self.continuation = Some((stream, block, ended));
                Ok(())
            }
        }
    }

    /// A whole header block: decoded even for a stream this client reset, since the server's
    /// table changed with it.
    fn on_header_block(&mut self, id: u32, block: &[u8], ended: bool) -> Result<(), ProtocolError> {
        let head = self.decoder.decode(block, self.wanted.as_deref())?;
        let Some(stream) = self
            .streams
            .iter_mut()
            .find(|s| s.id == id && s.done.is_none())
        else {
            return Ok(());
        };
        let failed = match (stream.status, head.status) {
            // Trailers.
            (Some(_), _) => false,
            // An interim answer (100 Continue, 103 Early Hints): the final one follows.
            (None, Some(100..=199)) if !ended => return Ok(()),
            (None, Some(status @ 200..=999)) => {
                stream.status = Some(status);
                let named = head.wanted.and_then(|v| visible(&v));
                stream.kept.set_version(named);
                false
            }
            // No status, or an interim one that ends the stream: not an answer.
            (None, _) => true,
        };
        match (failed, ended) {
            (true, _) => self.finish(id, Some(ErrorKind::Other)),
            (false, true) => self.finish(id, None),
            (false, false) => {}
        }
        Ok(())
    }

    fn on_settings(&mut self, payload: &[u8]) -> Result<(), ProtocolError> {
        if payload.len() % 6 != 0 {
            return Err(ProtocolError);
        }
        for entry in payload.chunks_exact(6) {
            let id = u16::from_be_bytes([entry[0], entry[1]]);
            let value = u32::from_be_bytes([entry[2], entry[3], entry[4], entry[5]]);
            match id {
                setting::HEADER_TABLE_SIZE if value as usize != self.table_size => {
                    // The next request signals the new size and adds its fields again.
                    self.table_size = value as usize;
                    self.smallest = self.smallest.min(self.table_size);
                    self.first_sent = false;
                }
                setting::MAX_CONCURRENT_STREAMS => self.max_concurrent = value as usize,
                setting::INITIAL_WINDOW_SIZE => {
                    let value = i64::from(value);
                    if value > MAX_WINDOW {
                        return Err(ProtocolError);
                    }
                    let change = value - self.peer_initial_window;
                    self.peer_initial_window = value;
                    for stream in &mut self.streams {
                        stream.send_window += change;
                    }
                }
                setting::MAX_FRAME_SIZE => {
                    if !(MAX_FRAME as u32..=(1 << 24) - 1).contains(&value) {
                        return Err(ProtocolError);
                    }
                    self.peer_max_frame = value as usize;
                }
                _ => {}
            }
        }
        put_frame_head(&mut self.out, 0, frame::SETTINGS, flag::ACK, 0);
        self.answers_queued += FRAME_HEAD;
        self.settings_received = true;
        self.send_bodies();
        self.wake_waiting();
        Ok(())
    }

    fn on_goaway(&mut self, payload: &[u8]) -> Result<(), ProtocolError> {
        let last = payload.get(..4).ok_or(ProtocolError)?;
        let last = u32::from_be_bytes([last[0], last[1], last[2], last[3]]) & 0x7fff_ffff;
        if self.state == State::Open {
            self.state = State::GoingAway;
        }
        // Streams above the last one the server handles were not processed.
        let refused: Vec<u32> = self
            .streams
            .iter()
            .map(|s| s.id)
            .filter(|&id| id > last)
            .collect();
        for id in refused {
            self.finish(id, Some(ErrorKind::Reset));
        }
        self.wake_waiting();
        Ok(())
    }

    fn on_window_update(&mut self, id: u32, payload: &[u8]) -> Result<(), ProtocolError> {
        let increment = payload.get(..4).ok_or(ProtocolError)?;
        let increment = i64::from(
            u32::from_be_bytes([increment[0], increment[1], increment[2], increment[3]])
                & 0x7fff_ffff,
        );
        match id {
            0 => self.send_window += increment,
            _ => {
                if let Some(stream) = self.streams.iter_mut().find(|s| s.id == id) {
                    stream.send_window += increment;
                }
            }
        }
        self.send_bodies();
        Ok(())
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

/// A DATA or HEADERS payload without its padding.
fn unpadded(flags: u8, payload: &[u8]) -> Result<&[u8], ProtocolError> {
    if flags & flag::PADDED == 0 {
        return Ok(payload);
    }
    let (&pad, rest) = payload.split_first().ok_or(ProtocolError)?;
    rest.len()
        .checked_sub(usize::from(pad))
        .map(|end| &rest[..end])
        .ok_or(ProtocolError)
}

fn put_frame_head(out: &mut Vec<u8>, length: usize, kind: u8, flags: u8, id: u32) {
    out.extend_from_slice(&(length as u32).to_be_bytes()[1..]);
    out.push(kind);
    out.push(flags);
    out.extend_from_slice(&id.to_be_bytes());
}

fn put_reset(out: &mut Vec<u8>, id: u32) {
    put_frame_head(out, 4, frame::RST_STREAM, 0, id);
    out.extend_from_slice(&CANCEL.to_be_bytes());
}

fn put_window_update(out: &mut Vec<u8>, id: u32, increment: u32) {
    put_frame_head(out, 4, frame::WINDOW_UPDATE, 0, id);
    out.extend_from_slice(&increment.to_be_bytes());
}

/// HEADERS, and CONTINUATION frames for what does not fit in the server's largest frame.
fn put_header_block(out: &mut Vec<u8>, id: u32, block: &[u8], end_stream: u8, max_frame: usize) {
    let mut chunks = block.chunks(max_frame).peekable();
    let mut kind = frame::HEADERS;
    let mut flags = end_stream;
    if chunks.peek().is_none() {
        put_frame_head(out, 0, kind, flags | flag::END_HEADERS, id);
        return;
    }
    while let Some(chunk) = chunks.next() {
        if chunks.peek().is_none() {
            flags |= flag::END_HEADERS;
        }
        put_frame_head(out, chunk.len(), kind, flags, id);
        out.extend_from_slice(chunk);
        (kind, flags) = (frame::CONTINUATION, 0);
    }
}

#[cfg(test)]
#[path = "http2_tests.rs"]
mod tests;
