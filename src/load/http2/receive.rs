//! What arrives from the server: every whole frame in the read buffer, handled in order. A
//! frame that breaks the protocol ends the connection (`ProtocolError`); a response's headers are
//! decoded only as far as the run needs them.

use super::super::http1::MAX_HEAD;
use super::super::parse::visible;
use super::super::stats::ErrorKind;
use super::wire::{FRAME_HEAD, flag, frame, put_frame_head, put_window_update, setting};
use super::{Conn, MAX_FRAME, MAX_QUEUED, MAX_WINDOW, ProtocolError, State, WINDOW};

impl Conn {
    /// Handles every whole frame in the buffer.
    pub(super) fn handle_frames(&mut self) -> Result<(), ProtocolError> {
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
        if let Some(credit) = spent(&mut self.unacked, length) {
            put_window_update(&mut self.out, 0, credit);
        }
        let ended = flags & flag::END_STREAM != 0;
        if let Some(stream) = self
            .streams
            .iter_mut()
            .find(|s| s.id == id && s.done.is_none())
        {
            stream.kept.extend(data);
            if let Some(credit) = stream_credit(&mut stream.unacked, length, ended) {
                put_window_update(&mut self.out, id, credit);
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
}

/// A DATA or HEADERS payload without its padding.
pub(super) fn unpadded(flags: u8, payload: &[u8]) -> Result<&[u8], ProtocolError> {
    if flags & flag::PADDED == 0 {
        return Ok(payload);
    }
    let (&pad, rest) = payload.split_first().ok_or(ProtocolError)?;
    rest.len()
        .checked_sub(usize::from(pad))
        .map(|end| &rest[..end])
        .ok_or(ProtocolError)
}

/// Counts `length` received bytes against a receive window of `WINDOW`: once half of it is
/// spent, the credit to give back (and the count starts again).
pub(super) fn spent(unacked: &mut u32, length: u32) -> Option<u32> {
    *unacked += length;
    (*unacked >= WINDOW / 2).then(|| std::mem::take(unacked))
}

/// A stream's credit: none for a stream that has just ended, which takes no more data.
pub(super) fn stream_credit(unacked: &mut u32, length: u32, ended: bool) -> Option<u32> {
    spent(unacked, length).filter(|_| !ended)
}
