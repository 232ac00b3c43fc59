//! HTTP/2's frame layout (RFC 9113 §4.1) and the frames this client writes.

/// The frame header: length (24 bits), type, flags, stream id.
pub(super) const FRAME_HEAD: usize = 9;

pub(super) mod frame {
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

pub(super) mod flag {
    pub const END_STREAM: u8 = 0x1;
    pub const ACK: u8 = 0x1;
    pub const END_HEADERS: u8 = 0x4;
    pub const PADDED: u8 = 0x8;
    pub const PRIORITY: u8 = 0x20;
}

pub(super) mod setting {
    pub const HEADER_TABLE_SIZE: u16 = 0x1;
    pub const ENABLE_PUSH: u16 = 0x2;
    pub const MAX_CONCURRENT_STREAMS: u16 = 0x3;
    pub const INITIAL_WINDOW_SIZE: u16 = 0x4;
    pub const MAX_FRAME_SIZE: u16 = 0x5;
}

pub(super) const CANCEL: u32 = 0x8;
pub(super) const PROTOCOL_ERROR: u32 = 0x1;

pub(super) fn put_frame_head(out: &mut Vec<u8>, length: usize, kind: u8, flags: u8, id: u32) {
    out.extend_from_slice(&(length as u32).to_be_bytes()[1..]);
    out.push(kind);
    out.push(flags);
    out.extend_from_slice(&id.to_be_bytes());
}

pub(super) fn put_reset(out: &mut Vec<u8>, id: u32) {
    put_frame_head(out, 4, frame::RST_STREAM, 0, id);
    out.extend_from_slice(&CANCEL.to_be_bytes());
}

pub(super) fn put_window_update(out: &mut Vec<u8>, id: u32, increment: u32) {
    put_frame_head(out, 4, frame::WINDOW_UPDATE, 0, id);
    out.extend_from_slice(&increment.to_be_bytes());
}

/// HEADERS, and CONTINUATION frames for what does not fit in the server's largest frame.
pub(super) fn put_header_block(
    out: &mut Vec<u8>,
    id: u32,
    block: &[u8],
    end_stream: u8,
    max_frame: usize,
) {
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
