//! The client against a scripted server on an in-memory pipe: every frame the server sends is
//! written here, and what the client sends is read and checked frame by frame.

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

use super::receive::{spent, stream_credit, unpadded};
use super::wire::{CANCEL, put_window_update};
use super::*;
use crate::load::LoadOptions;

pub(super) fn template(method: Method, body: &'static str) -> RequestTemplate {
    RequestTemplate::new(&LoadOptions {
        method,
        body: Bytes::from_static(body.as_bytes()),
        http2: true,
        ..crate::load::test_options()
    })
}

fn frame(kind: u8, flags: u8, id: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    put_frame_head(&mut out, payload.len(), kind, flags, id);
    out.extend_from_slice(payload);
    out
}

struct Frame {
    kind: u8,
    flags: u8,
    id: u32,
    payload: Vec<u8>,
}

pub(super) struct Server {
    pub(super) pipe: DuplexStream,
    decoder: Decoder,
}

impl Server {
    /// Reads the client's preface, settings and window update, and answers with `settings`.
    async fn accept(mut pipe: DuplexStream, settings: &[(u16, u32)]) -> Server {
        let mut preface = [0u8; 24];
        pipe.read_exact(&mut preface).await.expect("preface");
        assert_eq!(&preface[..], PREFACE);
        let mut server = Server {
            pipe,
            decoder: Decoder::default(),
        };
        let ours = server.next().await;
        assert_eq!((ours.kind, ours.flags, ours.id), (frame::SETTINGS, 0, 0));
        assert_eq!(
            ours.payload,
            [0, 2, 0, 0, 0, 0, 0, 4, 0x3f, 0xff, 0xff, 0xff],
            "no push; a window of 2^30 - 1"
        );
        let update = server.next().await;
        assert_eq!((update.kind, update.id), (frame::WINDOW_UPDATE, 0));
        assert_eq!(update.payload, (WINDOW - 65_535).to_be_bytes());
        let mut payload = Vec::new();
        for (id, value) in settings {
            payload.extend_from_slice(&id.to_be_bytes());
            payload.extend_from_slice(&value.to_be_bytes());
        }
        server.send(frame(frame::SETTINGS, 0, 0, &payload)).await;
        let ack = server.next().await;
        assert_eq!((ack.kind, ack.flags), (frame::SETTINGS, flag::ACK));
        server
    }

    async fn next(&mut self) -> Frame {
        let mut head = [0u8; 9];
        self.pipe.read_exact(&mut head).await.expect("a frame");
        let length = usize::from(head[0]) << 16 | usize::from(head[1]) << 8 | usize::from(head[2]);
        let mut payload = vec![0; length];
        self.pipe
            .read_exact(&mut payload)
            .await
            .expect("its payload");
        Frame {
            kind: head[3],
            flags: head[4],
            id: u32::from_be_bytes([head[5], head[6], head[7], head[8]]),
            payload,
        }
    }

    /// The next frame, which must be a GOAWAY and come within 5 s: a client that let through
    /// what it must refuse would stay silent instead.
    async fn goaway(&mut self) -> Frame {
        let goaway = tokio::time::timeout(Duration::from_secs(5), self.next())
            .await
            .expect("GOAWAY, not silence");
        assert_eq!(goaway.kind, frame::GOAWAY);
        goaway
    }

    /// The next frame must be a request's HEADERS: its stream and its :path.
    pub(super) async fn request(&mut self) -> (u32, u8, String) {
        let headers = self.next().await;
        assert_eq!(headers.kind, frame::HEADERS);
        let head = self
            .decoder
            .decode(&headers.payload, Some(b":path"))
            .expect("a valid block");
        let path = String::from_utf8(head.wanted.unwrap_or_default()).expect("utf-8");
        (headers.id, headers.flags, path)
    }

    async fn send(&mut self, bytes: Vec<u8>) {
        self.pipe.write_all(&bytes).await.expect("written");
    }

    /// A whole answer in one header block, ending the stream.
    async fn answer_with(&mut self, id: u32, block: &[u8]) {
        self.send(frame(
            frame::HEADERS,
            flag::END_HEADERS | flag::END_STREAM,
            id,
            block,
        ))
        .await;
    }

    /// `:status 200` and a body, ending the stream.
    pub(super) async fn answer(&mut self, id: u32) {
        self.send(frame(frame::HEADERS, flag::END_HEADERS, id, &[0x88]))
            .await;
        self.send(frame(frame::DATA, flag::END_STREAM, id, b"ok"))
            .await;
    }
}

/// Opens a client on one end of a pipe and a server with `settings` on the other.
pub(super) async fn open(
    settings: &'static [(u16, u32)],
) -> (Http2, Driver, tokio::task::JoinHandle<Server>) {
    let (client, server) = tokio::io::duplex(1 << 20);
    let accepted = tokio::spawn(Server::accept(server, settings));
    let (http2, driver) = handshake(Box::new(client)).await.expect("handshake");
    (http2, driver, accepted)
}

pub(super) async fn drive<F: std::future::Future>(driver: Driver, work: F) -> F::Output {
    crate::load::worker::drive(driver, work).await
}

type Answer = Result<(u16, Option<String>), Failure>;

/// Two requests, one after the other, on the client's connection.
async fn two_in_turn(
    client: &Http2,
    driver: Driver,
    template: &RequestTemplate,
) -> (Answer, Answer) {
    drive(driver, async {
        let first = client.exchange(template, None).await;
        (first, client.exchange(template, None).await)
    })
    .await
}

/// Three requests sent one after another, each once the one before is answered.
async fn three_in_turn(client: &Http2, driver: Driver, template: &RequestTemplate) -> Vec<Answer> {
    drive(driver, async {
        let mut answers = Vec::new();
        for _ in 0..3 {
            answers.push(client.exchange(template, None).await);
        }
        answers
    })
    .await
}

/// Two GETs in turn against a server that runs `script`; both must come back 200.
async fn both_answered<S, F>(script: S)
where
    S: FnOnce(Server) -> F + Send + 'static,
    F: std::future::Future<Output = ()> + Send,
{
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move { script(accepted.await.expect("accepted")).await });
    let template = template(Method::GET, "");
    let answers = two_in_turn(&client, driver, &template).await;
    assert_eq!(answers, (Ok((200, None)), Ok((200, None))));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_request_is_answered_and_the_next_one_sends_only_indexes() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, flags, path) = server.request().await;
        assert_eq!((id, path.as_str()), (1, "/api?x=1"));
        assert_eq!(
            flags,
            flag::END_HEADERS | flag::END_STREAM,
            "a GET has no body"
        );
        server.answer(1).await;
        let headers = server.next().await;
        assert_eq!(headers.id, 3);
        assert_eq!(
            headers.payload,
            [0x82, 0x86, 0xbf, 0xbe],
            "every field by index"
        );
        // :status 404 added to the table, then referred to by index.
        server.answer_with(3, &[0x48, 0x03, b'4', b'0', b'4']).await;
        let (id, _, _) = server.request().await;
        server.answer_with(id, &[0xbe]).await;
    });
    let template = template(Method::GET, "");
    let answers = drive(driver, async {
        let mut answers = Vec::new();
        for _ in 0..3 {
            assert!(client.ready().await);
            answers.push(client.exchange(&template, None).await);
        }
        answers
    })
    .await;
    assert_eq!(answers, [Ok((200, None)), Ok((404, None)), Ok((404, None))]);
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_header_table_size_change_is_signalled_before_the_fields_are_added_again() {
    let (client, driver, accepted) = open(&[]).await;
    let settings = |size: u32| {
        let mut payload = setting::HEADER_TABLE_SIZE.to_be_bytes().to_vec();
        payload.extend_from_slice(&size.to_be_bytes());
        frame(frame::SETTINGS, 0, 0, &payload)
    };
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let mut blocks = Vec::new();
        // Shrunk to 100 and back to 4096 before the second request; to 0 before the third.
        for sizes in [&[100u32, 4096][..], &[0], &[]] {
            let headers = server.next().await;
            blocks.push(headers.payload.clone());
            server
                .decoder
                .decode(&headers.payload, None)
                .expect("a valid block");
            for &size in sizes {
                server.send(settings(size)).await;
                let ack = server.next().await;
                assert_eq!((ack.kind, ack.flags), (frame::SETTINGS, flag::ACK));
            }
            server.answer(headers.id).await;
        }
        blocks
    });
    let template = template(Method::GET, "");
    drive(driver, async {
        for _ in 0..3 {
            assert_eq!(client.exchange(&template, None).await, Ok((200, None)));
        }
    })
    .await;
    let blocks = server.await.expect("the server's script ran");
    assert_eq!(
        blocks[0][..3],
        [0x82, 0x86, 0x44],
        "fields added, no size update"
    );
    // 100 (0x3f 0x45) then 4096 (0x3f 0xe1 0x1f), then the fields are added again.
    assert_eq!(blocks[1][..7], [0x3f, 0x45, 0x3f, 0xe1, 0x1f, 0x82, 0x86]);
    assert_eq!(blocks[1][7], 0x44);
    assert_eq!(blocks[2][..3], [0x20, 0x82, 0x86], "size 0 said first");
    assert_eq!(blocks[2][3], 0x04, ":path as a literal, not added");
}

#[tokio::test]
async fn streams_are_answered_in_any_order_and_a_reset_ends_one_only() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (first, _, _) = server.request().await;
        let (second, _, _) = server.request().await;
        assert_eq!((first, second), (1, 3));
        server.answer(3).await;
        server
            .send(frame(frame::RST_STREAM, 0, 1, &2u32.to_be_bytes()))
            .await;
        // The connection stays open: the reset alone must end stream 1.
        let (third, _, _) = server.request().await;
        assert_eq!(third, 5);
        server.answer(third).await;
    });
    let template = template(Method::GET, "");
    let other = client.clone();
    let work = async {
        let both = futures::future::join(
            client.exchange(&template, None),
            other.exchange(&template, None),
        )
        .await;
        (both, client.exchange(&template, None).await)
    };
    let ((one, two), three) = tokio::time::timeout(Duration::from_secs(5), drive(driver, work))
        .await
        .expect("the reset ended its stream");
    assert_eq!(one, Err(Some(ErrorKind::Reset)));
    assert_eq!(two, Ok((200, None)));
    assert_eq!(three, Ok((200, None)));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn ping_is_echoed_and_padding_and_continuations_are_read() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        server.send(frame(frame::PING, 0, 0, b"12345678")).await;
        let pong = server.next().await;
        assert_eq!(
            (pong.kind, pong.flags, pong.payload.as_slice()),
            (frame::PING, flag::ACK, &b"12345678"[..])
        );
        // HEADERS padded (2 bytes), with a priority, continued: :status 200, x-version: v2.
        let mut first = vec![2, 0, 0, 0, 0, 16, 0x88];
        first.extend_from_slice(&[0, 0]);
        server
            .send(frame(
                frame::HEADERS,
                flag::PADDED | flag::PRIORITY,
                id,
                &first,
            ))
            .await;
        let mut rest = vec![0x00, 0x09];
        rest.extend_from_slice(b"x-version");
        rest.extend_from_slice(&[0x02, b'v', b'2']);
        server
            .send(frame(frame::CONTINUATION, flag::END_HEADERS, id, &rest))
            .await;
        server
            .send(frame(
                frame::DATA,
                flag::PADDED | flag::END_STREAM,
                id,
                &[3, b'o', b'k', 0, 0, 0],
            ))
            .await;
    });
    let template = template(Method::GET, "");
    let split = VersionSource::parse("header:x-version").expect("a source");
    let answer = drive(driver, client.exchange(&template, Some(&split))).await;
    assert_eq!(answer, Ok((200, Some("v2".to_string()))));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn goaway_fails_the_streams_the_server_did_not_take_and_no_new_one_starts() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        server.request().await;
        server.request().await;
        let mut goaway = 1u32.to_be_bytes().to_vec();
        goaway.extend_from_slice(&0u32.to_be_bytes());
        server.send(frame(frame::GOAWAY, 0, 0, &goaway)).await;
        server.answer(1).await;
        server
    });
    let template = template(Method::GET, "");
    let other = client.clone();
    let (one, two, ready) = drive(driver, async {
        let (one, two) = futures::future::join(
            client.exchange(&template, None),
            other.exchange(&template, None),
        )
        .await;
        (one, two, client.ready().await)
    })
    .await;
    assert_eq!(one, Ok((200, None)), "stream 1 was taken and answered");
    assert_eq!(two, Err(Some(ErrorKind::Reset)), "stream 3 was not taken");
    assert!(!ready, "no new request after GOAWAY");
    assert_eq!(client.exchange(&template, None).await, Err(None));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_body_is_sent_as_far_as_the_windows_let_it() {
    static SMALL_WINDOW: [(u16, u32); 1] = [(setting::INITIAL_WINDOW_SIZE, 4)];
    let (client, driver, accepted) = open(&SMALL_WINDOW).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, flags, _) = server.request().await;
        assert_eq!(flags, flag::END_HEADERS, "the body follows");
        let mut body = Vec::new();
        for (credit, expected) in [(4u32, &b"hell"[..]), (4, &b"o wo"[..]), (100, &b"rld"[..])] {
            let data = server.next().await;
            assert_eq!(
                (data.kind, data.payload.as_slice()),
                (frame::DATA, expected)
            );
            body.extend_from_slice(&data.payload);
            let last = data.flags & flag::END_STREAM != 0;
            assert_eq!(last, expected == &b"rld"[..]);
            if !last {
                server
                    .send(frame(frame::WINDOW_UPDATE, 0, id, &credit.to_be_bytes()))
                    .await;
            }
        }
        assert_eq!(body, b"hello world");
        server.answer(id).await;
    });
    let template = template(Method::POST, "hello world");
    let answer = drive(driver, client.exchange(&template, None)).await;
    assert_eq!(answer, Ok((200, None)));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn an_answer_before_the_whole_body_resets_the_rest_of_the_stream() {
    static SMALL_WINDOW: [(u16, u32); 1] = [(setting::INITIAL_WINDOW_SIZE, 4)];
    let (client, driver, accepted) = open(&SMALL_WINDOW).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        let data = server.next().await;
        assert_eq!(
            (data.kind, data.payload.as_slice()),
            (frame::DATA, &b"hell"[..])
        );
        server.answer(id).await;
        let reset = server.next().await;
        assert_eq!((reset.kind, reset.id), (frame::RST_STREAM, id));
        assert_eq!(reset.payload, CANCEL.to_be_bytes());
        let (next, _, _) = server.request().await;
        server.answer(next).await;
    });
    let (post, get) = (
        template(Method::POST, "hello world"),
        template(Method::GET, ""),
    );
    let answers = drive(driver, async {
        // The reset goes out with the next write, which the second request makes.
        let early = client.exchange(&post, None).await;
        (early, client.exchange(&get, None).await)
    })
    .await;
    assert_eq!(answers, (Ok((200, None)), Ok((200, None))));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn the_servers_stream_limit_holds_the_next_request_back() {
    static ONE_STREAM: [(u16, u32); 1] = [(setting::MAX_CONCURRENT_STREAMS, 1)];
    let (client, driver, accepted) = open(&ONE_STREAM).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        let early = tokio::time::timeout(Duration::from_millis(100), server.next()).await;
        assert!(
            early.is_err(),
            "a second request came within the limit of one"
        );
        server.answer(id).await;
        let (id, _, _) = server.request().await;
        assert_eq!(id, 3);
        server.answer(id).await;
    });
    let template = template(Method::GET, "");
    let other = client.clone();
    let one_then_other = |sender: Http2| {
        let template = &template;
        async move {
            assert!(sender.ready().await);
            sender.exchange(template, None).await
        }
    };
    let (one, two) = drive(
        driver,
        futures::future::join(one_then_other(client), one_then_other(other)),
    )
    .await;
    assert_eq!((one, two), (Ok((200, None)), Ok((200, None))));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_frame_larger_than_the_client_takes_closes_the_connection() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        server
            .send(frame(frame::DATA, 0, id, &vec![0; MAX_FRAME + 1]))
            .await;
        let goaway = server.next().await;
        assert_eq!(goaway.kind, frame::GOAWAY);
        assert_eq!(goaway.payload[4..], PROTOCOL_ERROR.to_be_bytes());
    });
    let template = template(Method::GET, "");
    let answer = drive(driver, client.exchange(&template, None)).await;
    assert_eq!(answer, Err(Some(ErrorKind::Other)));
    assert!(!client.ready().await);
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn an_abandoned_request_resets_its_stream_and_its_answer_still_updates_the_table() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        let reset = server.next().await;
        assert_eq!((reset.kind, reset.id), (frame::RST_STREAM, id));
        assert_eq!(reset.payload, CANCEL.to_be_bytes());
        // The late answer adds :status 202 to the table; the next refers to it.
        server
            .answer_with(id, &[0x48, 0x03, b'2', b'0', b'2'])
            .await;
        let (next, _, _) = server.request().await;
        server.answer_with(next, &[0xbe]).await;
    });
    let template = template(Method::GET, "");
    let (late, next) = drive(driver, async {
        let late =
            tokio::time::timeout(Duration::from_millis(50), client.exchange(&template, None)).await;
        (late.is_err(), client.exchange(&template, None).await)
    })
    .await;
    assert!(late, "the first exchange timed out");
    assert_eq!(next, Ok((202, None)));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn an_answer_needs_a_final_status() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        // 100 Continue, then 200: counted as 200.
        let (id, _, _) = server.request().await;
        server
            .send(frame(
                frame::HEADERS,
                flag::END_HEADERS,
                id,
                &[0x08, 0x03, b'1', b'0', b'0'],
            ))
            .await;
        server.answer(id).await;
        // No :status at all; then an interim status that ends the stream.
        for block in [&[0xb6][..], &[0x08, 0x03, b'1', b'0', b'3']] {
            let (id, _, _) = server.request().await;
            server.answer_with(id, block).await;
        }
    });
    let template = template(Method::GET, "");
    let answers = three_in_turn(&client, driver, &template).await;
    assert_eq!(
        answers,
        [
            Ok((200, None)),
            Err(Some(ErrorKind::Other)),
            Err(Some(ErrorKind::Other))
        ]
    );
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_server_that_closes_before_its_settings_fails_the_handshake() {
    let (client, mut server) = tokio::io::duplex(1 << 16);
    let closing = tokio::spawn(async move {
        let mut preface = [0u8; 24];
        server.read_exact(&mut preface).await.expect("preface");
    });
    let outcome = handshake(Box::new(client)).await;
    assert!(matches!(outcome, Err(ErrorKind::Connect)));
    closing.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_server_that_floods_pings_without_reading_the_answers_is_cut_off() {
    let (client, server) = tokio::io::duplex(64 * 1024);
    let accepted = tokio::spawn(Server::accept(server, &[]));
    let (client, driver) = handshake(Box::new(client)).await.expect("handshake");
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        server.request().await;
        // 100,000 PINGs (1.7 MB of answers) while reading nothing more.
        let ping = frame(frame::PING, 0, 0, b"12345678");
        let flood: Vec<u8> = ping
            .iter()
            .copied()
            .cycle()
            .take(ping.len() * 100_000)
            .collect();
        let _ = server.pipe.write_all(&flood).await;
        server
    });
    let template = template(Method::GET, "");
    let answer = tokio::time::timeout(
        Duration::from_secs(10),
        drive(driver, client.exchange(&template, None)),
    )
    .await;
    assert_eq!(
        answer,
        Ok(Err(Some(ErrorKind::Other))),
        "cut off, not left waiting"
    );
    drop(client);
    server.await.expect("the server's script ran");
}

#[test]
fn a_block_larger_than_a_frame_goes_on_in_continuations() {
    let mut out = Vec::new();
    put_header_block(&mut out, 5, &[7; 10], flag::END_STREAM, 4);
    let heads: Vec<(u8, u8, usize)> = {
        let mut at = 0;
        let mut heads = Vec::new();
        while at < out.len() {
            let length = usize::from(out[at + 2]);
            heads.push((out[at + 3], out[at + 4], length));
            at += 9 + length;
        }
        heads
    };
    assert_eq!(
        heads,
        [
            (frame::HEADERS, flag::END_STREAM, 4),
            (frame::CONTINUATION, 0, 4),
            (frame::CONTINUATION, flag::END_HEADERS, 2)
        ]
    );
    let mut empty = Vec::new();
    put_header_block(&mut empty, 1, &[], 0, 4);
    assert_eq!(empty, frame(frame::HEADERS, flag::END_HEADERS, 1, &[]));
}

#[test]
fn padding_longer_than_the_frame_is_refused() {
    assert_eq!(unpadded(flag::PADDED, &[2, b'a', 0, 0]), Ok(&b"a"[..]));
    assert_eq!(unpadded(flag::PADDED, &[3, b'a', 0, 0]), Ok(&b""[..]));
    assert_eq!(unpadded(flag::PADDED, &[4, b'a', 0, 0]), Err(ProtocolError));
    assert_eq!(unpadded(flag::PADDED, &[]), Err(ProtocolError));
    assert_eq!(unpadded(0, &[4, b'a']), Ok(&[4, b'a'][..]));
}

#[tokio::test]
async fn frames_up_to_the_largest_the_client_takes_are_read_whole() {
    both_answered(|mut server| async move {
        for _ in 0..2 {
            let (id, _, _) = server.request().await;
            server
                .send(frame(frame::HEADERS, flag::END_HEADERS, id, &[0x88]))
                .await;
            // A length that needs its middle byte, then the largest frame allowed.
            server.send(frame(frame::DATA, 0, id, &[b'a'; 300])).await;
            server
                .send(frame(
                    frame::DATA,
                    flag::END_STREAM,
                    id,
                    &vec![b'b'; MAX_FRAME],
                ))
                .await;
        }
    })
    .await;
}

#[tokio::test]
async fn a_frame_that_arrives_in_two_reads_after_another_frame_waits_for_its_rest() {
    both_answered(|mut server| async move {
        let (id, _, _) = server.request().await;
        let mut first = frame(frame::HEADERS, flag::END_HEADERS, id, &[0x88]);
        first.extend(frame(frame::DATA, 0, id, &[b'a'; 200]));
        let last = frame(frame::DATA, flag::END_STREAM, id, &[b'x'; 100]);
        // The last frame's head and a few bytes now, the rest once the client has read them.
        first.extend_from_slice(&last[..19]);
        server.send(first).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        server.send(last[19..].to_vec()).await;
        let (id, _, _) = server.request().await;
        server.answer(id).await;
    })
    .await;
}

#[tokio::test]
async fn acknowledgements_from_the_server_are_not_answered() {
    both_answered(|mut server| async move {
        let (id, _, _) = server.request().await;
        server.send(frame(frame::SETTINGS, flag::ACK, 0, &[])).await;
        server.send(frame(frame::PING, flag::ACK, 0, &[9; 8])).await;
        server.answer(id).await;
        // The next frame is the next request: no answer to either acknowledgement came first.
        let (id, _, _) = server.request().await;
        server.answer(id).await;
    })
    .await;
}

#[tokio::test]
async fn a_body_split_over_data_frames_is_read_to_its_end_for_the_version() {
    let split = VersionSource::parse("body:version").expect("a source");
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        server
            .send(frame(frame::HEADERS, flag::END_HEADERS, id, &[0x88]))
            .await;
        server
            .send(frame(frame::DATA, 0, id, b"{\"version\":"))
            .await;
        server
            .send(frame(frame::DATA, flag::END_STREAM, id, b"\"v2\"}"))
            .await;
    });
    let template = template(Method::GET, "");
    let answer = drive(driver, client.exchange(&template, Some(&split))).await;
    assert_eq!(answer, Ok((200, Some("v2".to_string()))));
    server.await.expect("the server's script ran");
}

#[test]
fn credit_is_given_back_once_half_the_window_is_spent() {
    let half = WINDOW / 2;
    let mut unacked = 0;
    assert_eq!(spent(&mut unacked, 0), None);
    assert_eq!(spent(&mut unacked, half - 1), None);
    assert_eq!(unacked, half - 1);
    assert_eq!(spent(&mut unacked, 1), Some(half));
    assert_eq!(unacked, 0, "counting starts again");
    assert_eq!(spent(&mut unacked, 5), None);
    assert_eq!(unacked, 5);
}

#[test]
fn a_stream_that_ended_gets_no_credit() {
    let half = WINDOW / 2;
    let mut unacked = half - 1;
    assert_eq!(stream_credit(&mut unacked, 1, true), None);
    let mut unacked = half - 1;
    assert_eq!(stream_credit(&mut unacked, 1, false), Some(half));
}

#[tokio::test]
async fn a_new_initial_window_moves_the_windows_of_streams_under_way() {
    static SMALL_WINDOW: [(u16, u32); 1] = [(setting::INITIAL_WINDOW_SIZE, 4)];
    let (client, driver, accepted) = open(&SMALL_WINDOW).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        assert_eq!(server.next().await.payload, b"hell");
        // From 4 to 7: the stream may send 3 more bytes.
        let mut seven = setting::INITIAL_WINDOW_SIZE.to_be_bytes().to_vec();
        seven.extend_from_slice(&7u32.to_be_bytes());
        server.send(frame(frame::SETTINGS, 0, 0, &seven)).await;
        let ack = server.next().await;
        assert_eq!((ack.kind, ack.flags), (frame::SETTINGS, flag::ACK));
        let data = server.next().await;
        assert_eq!(
            (data.kind, data.payload.as_slice()),
            (frame::DATA, &b"o w"[..])
        );
        server
            .send(frame(frame::WINDOW_UPDATE, 0, id, &100u32.to_be_bytes()))
            .await;
        let data = server.next().await;
        assert_eq!(
            (data.payload.as_slice(), data.flags),
            (&b"orld"[..], flag::END_STREAM)
        );
        server.answer(id).await;
    });
    let template = template(Method::POST, "hello world");
    let answer = drive(driver, client.exchange(&template, None)).await;
    assert_eq!(answer, Ok((200, None)));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn the_largest_initial_window_is_taken_and_one_more_is_refused() {
    static LARGEST: [(u16, u32); 1] = [(setting::INITIAL_WINDOW_SIZE, (1 << 31) - 1)];
    let (client, driver, accepted) = open(&LARGEST).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        server.answer(id).await;
        let (_, _, _) = server.request().await;
        let mut past = setting::INITIAL_WINDOW_SIZE.to_be_bytes().to_vec();
        past.extend_from_slice(&(1u32 << 31).to_be_bytes());
        server.send(frame(frame::SETTINGS, 0, 0, &past)).await;
        let goaway = server.next().await;
        assert_eq!(goaway.kind, frame::GOAWAY);
    });
    let template = template(Method::GET, "");
    let answers = two_in_turn(&client, driver, &template).await;
    assert_eq!(answers, (Ok((200, None)), Err(Some(ErrorKind::Other))));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn the_same_table_size_said_again_keeps_the_indexed_requests() {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let mut lengths = Vec::new();
        for round in 0..3 {
            let headers = server.next().await;
            lengths.push(headers.payload.len());
            if round == 1 {
                let mut same = setting::HEADER_TABLE_SIZE.to_be_bytes().to_vec();
                same.extend_from_slice(&4096u32.to_be_bytes());
                server.send(frame(frame::SETTINGS, 0, 0, &same)).await;
                let ack = server.next().await;
                assert_eq!(ack.kind, frame::SETTINGS);
            }
            server.answer(headers.id).await;
        }
        assert!(lengths[1] < lengths[0], "{lengths:?}");
        assert_eq!(lengths[2], lengths[1], "{lengths:?}");
    });
    let template = template(Method::GET, "");
    let answers = three_in_turn(&client, driver, &template).await;
    assert_eq!(answers, [Ok((200, None)), Ok((200, None)), Ok((200, None))]);
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_larger_frame_size_from_the_server_lets_a_body_go_in_one_frame() {
    static LARGER: [(u16, u32); 2] = [
        (setting::MAX_FRAME_SIZE, 20_000),
        (setting::INITIAL_WINDOW_SIZE, 100_000),
    ];
    let body: &'static str = Box::leak("b".repeat(17_000).into_boxed_str());
    let (client, driver, accepted) = open(&LARGER).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        let data = server.next().await;
        assert_eq!(
            (data.kind, data.payload.len(), data.flags),
            (frame::DATA, 17_000, flag::END_STREAM)
        );
        server.answer(id).await;
    });
    let template = template(Method::POST, body);
    let answer = drive(driver, client.exchange(&template, None)).await;
    assert_eq!(answer, Ok((200, None)));
    server.await.expect("the server's script ran");
}

#[test]
fn a_window_update_is_laid_out_as_rfc_9113_says() {
    let mut out = Vec::new();
    put_window_update(&mut out, 3, 5);
    assert_eq!(out, frame(frame::WINDOW_UPDATE, 0, 3, &5u32.to_be_bytes()));
}

#[tokio::test]
async fn the_connection_window_holds_a_body_back_until_the_server_gives_credit() {
    static LARGE_STREAM_WINDOW: [(u16, u32); 1] = [(setting::INITIAL_WINDOW_SIZE, 100_000)];
    let body: &'static str = Box::leak("c".repeat(70_000).into_boxed_str());
    let (client, driver, accepted) = open(&LARGE_STREAM_WINDOW).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        let mut received = 0;
        while received < 65_535 {
            let data = server.next().await;
            assert_eq!((data.kind, data.flags), (frame::DATA, 0));
            received += data.payload.len();
        }
        assert_eq!(received, 65_535, "the connection's first window, no more");
        server
            .send(frame(frame::WINDOW_UPDATE, 0, 0, &10_000u32.to_be_bytes()))
            .await;
        let rest = tokio::time::timeout(Duration::from_secs(5), server.next())
            .await
            .expect("the rest of the body");
        assert_eq!(
            (rest.payload.len(), rest.flags),
            (70_000 - 65_535, flag::END_STREAM)
        );
        server.answer(id).await;
    });
    let template = template(Method::POST, body);
    let answer = drive(driver, client.exchange(&template, None)).await;
    assert_eq!(answer, Ok((200, None)));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn each_streams_body_goes_to_that_stream() {
    let split = VersionSource::parse("body:version").expect("a source");
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (first, _, _) = server.request().await;
        let (second, _, _) = server.request().await;
        for (id, body) in [
            (second, &b"{\"version\":\"b\"}"[..]),
            (first, b"{\"version\":\"a\"}"),
        ] {
            server
                .send(frame(frame::HEADERS, flag::END_HEADERS, id, &[0x88]))
                .await;
            server
                .send(frame(frame::DATA, flag::END_STREAM, id, body))
                .await;
        }
    });
    let template = template(Method::GET, "");
    let other = client.clone();
    let (one, two) = drive(
        driver,
        futures::future::join(
            client.exchange(&template, Some(&split)),
            other.exchange(&template, Some(&split)),
        ),
    )
    .await;
    assert_eq!(one, Ok((200, Some("a".to_string()))));
    assert_eq!(two, Ok((200, Some("b".to_string()))));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_header_block_of_exactly_64_kib_over_continuations_is_read() {
    both_answered(|mut server| async move {
        let (id, _, _) = server.request().await;
        // :status 200, then accept-encoding (static index 16) again and again.
        let mut first = vec![0x90; MAX_FRAME];
        first[0] = 0x88;
        server
            .send(frame(frame::HEADERS, flag::END_STREAM, id, &first))
            .await;
        for last in [false, false, true] {
            let flags = if last { flag::END_HEADERS } else { 0 };
            server
                .send(frame(frame::CONTINUATION, flags, id, &[0x90; MAX_FRAME]))
                .await;
        }
        let (id, _, _) = server.request().await;
        server.answer(id).await;
    })
    .await;
}

/// After the first request, the server sends what `server_sends` makes of its stream id; the
/// client must refuse it: GOAWAY with PROTOCOL_ERROR, and the request counted as `other`.
async fn refused_after_request(server_sends: fn(u32) -> Vec<Vec<u8>>) {
    let (client, driver, accepted) = open(&[]).await;
    let server = tokio::spawn(async move {
        let mut server = accepted.await.expect("accepted");
        let (id, _, _) = server.request().await;
        for bytes in server_sends(id) {
            server.send(bytes).await;
        }
        let goaway = server.goaway().await;
        assert_eq!(goaway.payload[4..], PROTOCOL_ERROR.to_be_bytes());
    });
    let template = template(Method::GET, "");
    let answer = drive(driver, client.exchange(&template, None)).await;
    assert_eq!(answer, Err(Some(ErrorKind::Other)));
    server.await.expect("the server's script ran");
}

#[tokio::test]
async fn a_frame_of_64_kib_is_refused_even_when_its_payload_reads_as_frames() {
    refused_after_request(|_| {
        const UNKNOWN: u8 = 0xfa;
        // 65,536 bytes: a length whose top byte is 1. Read as if that byte were lost, it is an
        // empty frame followed by four frames of a type the client ignores.
        let inner = frame(UNKNOWN, 0, 0, &vec![0; MAX_FRAME - 9]);
        let payload: Vec<u8> = inner
            .iter()
            .copied()
            .cycle()
            .take(4 * inner.len())
            .collect();
        assert_eq!(payload.len(), 1 << 16);
        vec![frame(UNKNOWN, 0, 0, &payload)]
    })
    .await;
}

#[tokio::test]
async fn a_push_promise_closes_the_connection_that_switched_push_off() {
    refused_after_request(|id| {
        let promised = [0, 0, 0, 2, 0x82];
        vec![frame(frame::PUSH_PROMISE, flag::END_HEADERS, id, &promised)]
    })
    .await;
}

#[tokio::test]
async fn a_continuation_on_another_stream_is_refused() {
    refused_after_request(|id| {
        vec![
            frame(frame::HEADERS, 0, id, &[0x88]),
            frame(frame::CONTINUATION, flag::END_HEADERS, id + 2, &[]),
        ]
    })
    .await;
}

#[tokio::test]
async fn a_header_block_past_64_kib_is_refused() {
    refused_after_request(|id| {
        let continuations =
            (0..4).map(|_| frame(frame::CONTINUATION, 0, id, &vec![0x88; MAX_FRAME]));
        std::iter::once(frame(frame::HEADERS, 0, id, &[0x88]))
            .chain(continuations)
            .collect()
    })
    .await;
}

#[tokio::test]
async fn a_frame_size_past_2_to_the_24_is_refused() {
    refused_after_request(|_| {
        let mut past = setting::MAX_FRAME_SIZE.to_be_bytes().to_vec();
        past.extend_from_slice(&(1u32 << 24).to_be_bytes());
        vec![frame(frame::SETTINGS, 0, 0, &past)]
    })
    .await;
}
