use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;

use super::*;

/// A stream that hands out the given reads one by one (then the end of the stream) and keeps what
/// is written to it.
struct Scripted {
    reads: VecDeque<Vec<u8>>,
    written: Arc<Mutex<Vec<u8>>>,
}

impl AsyncRead for Scripted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if let Some(mut next) = self.reads.pop_front() {
            let room = buf.remaining();
            if next.len() > room {
                self.reads.push_front(next.split_off(room));
            }
            buf.put_slice(&next);
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Scripted {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        self.written.lock().expect("lock").extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }
    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

fn connection(reads: Vec<Vec<u8>>) -> (Http1, Arc<Mutex<Vec<u8>>>) {
    let written = Arc::new(Mutex::new(Vec::new()));
    let io = Scripted {
        reads: reads.into(),
        written: written.clone(),
    };
    (Http1::new(Box::new(io)), written)
}

fn get() -> WireRequest {
    WireRequest {
        bytes: Bytes::from_static(b"GET / HTTP/1.1\r\nhost: t\r\n\r\n"),
        head: false,
        closes: false,
    }
}

const CHUNKED: &str = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Version: v3\r\n\r\n\
    4;x=y\r\n{\"v\"\r\n5\r\n:\"v9\"\r\n1\r\n}\r\n0\r\nTrailer: t\r\n\r\n";

#[tokio::test]
async fn answers_come_through_whatever_the_reads_cut_them_into() {
    let header = VersionSource::parse("header:x-version").expect("spec");
    let body = VersionSource::parse("body:v").expect("spec");
    // A read of nothing is the end of the stream: every cut leaves at least a byte each side.
    for cut in 1..CHUNKED.len() {
        let bytes = CHUNKED.as_bytes();
        let (mut conn, written) = connection(vec![
            bytes[..cut].to_vec(),
            bytes[cut..].to_vec(),
            bytes.to_vec(),
        ]);
        let by_header = conn.exchange(&get(), Some(&header)).await;
        assert_eq!(by_header, Ok((200, Some("v3".into()))), "cut at {cut}");
        assert!(conn.is_open());
        let by_body = conn.exchange(&get(), Some(&body)).await;
        assert_eq!(by_body, Ok((200, Some("v9".into()))), "cut at {cut}");
        assert_eq!(written.lock().expect("lock").len(), 2 * get().bytes.len());
    }
    let one_byte_each: Vec<Vec<u8>> = CHUNKED.bytes().map(|b| vec![b]).collect();
    let (mut conn, _) = connection(one_byte_each);
    assert_eq!(
        conn.exchange(&get(), Some(&body)).await,
        Ok((200, Some("v9".into())))
    );
}

#[tokio::test]
async fn pipelined_answers_read_at_once_are_kept_for_the_next_exchange() {
    let both = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 100 Continue\r\n\r\n\
        HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    let (mut conn, _) = connection(vec![both.as_bytes().to_vec()]);
    assert_eq!(conn.exchange(&get(), None).await, Ok((200, None)));
    // No read is left: the second answer can only come from what the first read brought.
    assert_eq!(conn.exchange(&get(), None).await, Ok((404, None)));
    assert_eq!(
        conn.exchange(&get(), None).await,
        Err(None),
        "then the server closed the idle connection: the request goes to a new one"
    );
}

#[tokio::test]
async fn closing_answers_and_bodies_to_the_close_end_the_connection() {
    let (mut conn, _) = connection(vec![b"HTTP/1.0 200 OK\r\n\r\nall of it".to_vec()]);
    assert_eq!(conn.exchange(&get(), None).await, Ok((200, None)));
    assert!(!conn.is_open());
    let closing = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    let (mut conn, _) = connection(vec![closing.to_vec()]);
    assert_eq!(conn.exchange(&get(), None).await, Ok((200, None)));
    assert!(!conn.is_open());
    let kept = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    let (mut conn, _) = connection(vec![kept.to_vec()]);
    let asks_close = WireRequest {
        closes: true,
        ..get()
    };
    assert_eq!(conn.exchange(&asks_close, None).await, Ok((200, None)));
    assert!(!conn.is_open(), "the request said close");
    let (mut conn, _) = connection(vec![
        b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n".to_vec(),
    ]);
    let head = WireRequest {
        head: true,
        ..get()
    };
    assert_eq!(
        conn.exchange(&head, None).await,
        Ok((200, None)),
        "HEAD: no body to wait for"
    );
    assert!(conn.is_open());
}

#[tokio::test]
async fn cut_answers_oversize_heads_and_garbage_are_counted_errors() {
    let (mut conn, _) = connection(vec![]);
    assert_eq!(
        conn.exchange(&get(), None).await,
        Err(Some(ErrorKind::Reset)),
        "a new connection closed without an answer"
    );
    let (mut conn, _) = connection(vec![
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nok".to_vec(),
    ]);
    assert_eq!(
        conn.exchange(&get(), None).await,
        Err(Some(ErrorKind::Reset))
    );
    let (mut conn, _) = connection(vec![b"HTTP/1.1 200 OK\r\nContent-Le".to_vec()]);
    assert_eq!(
        conn.exchange(&get(), None).await,
        Err(Some(ErrorKind::Reset))
    );
    let (mut conn, _) = connection(vec![
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 2".to_vec(),
    ]);
    assert_eq!(conn.exchange(&get(), None).await, Ok((200, None)));
    assert_eq!(
        conn.exchange(&get(), None).await,
        Err(Some(ErrorKind::Reset)),
        "part of an answer came: it was sent, and cut"
    );
    // One header longer than the limit: refused, not buffered without end.
    let mut huge = b"HTTP/1.1 200 OK\r\nX-Padding: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', MAX_HEAD));
    huge.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
    let (mut conn, _) = connection(vec![huge]);
    assert_eq!(
        conn.exchange(&get(), None).await,
        Err(Some(ErrorKind::Other))
    );
    let (mut conn, _) = connection(vec![b"HTTP/1.1 OK 200\r\n\r\n".to_vec()]);
    assert_eq!(
        conn.exchange(&get(), None).await,
        Err(Some(ErrorKind::Other))
    );
    assert!(!conn.is_open());
}
