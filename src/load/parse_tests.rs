use super::*;

fn final_head(text: &str, head_request: bool, version: Option<&str>) -> Head {
    match head(text.as_bytes(), head_request, version) {
        Ok(Parsed::Final(head)) => head,
        other => panic!("{text:?}: {other:?}"),
    }
}

/// Feeds `data` in pieces cut at `cuts`, as reads would hand it over; returns the content, the
/// bytes taken and whether the body completed.
fn feed_in_pieces(mut body: Body, data: &[u8], cuts: &[usize]) -> (Vec<u8>, usize, bool) {
    let mut content = Vec::new();
    let mut pending = Vec::new();
    let mut taken = 0;
    let mut bounds = cuts.to_vec();
    bounds.push(data.len());
    let mut from = 0;
    for to in bounds {
        pending.extend_from_slice(&data[from..to]);
        from = to;
        let (used, done) = body
            .feed(&pending, &mut |bytes| content.extend_from_slice(bytes))
            .expect("a valid body");
        taken += used;
        pending.drain(..used);
        if done {
            return (content, taken, true);
        }
    }
    (content, taken, false)
}

#[test]
fn a_head_gives_status_framing_keep_alive_and_the_version_header() {
    let head = final_head(
        "HTTP/1.1 503 Busy\r\nX-Version:  v2 \r\nContent-Length: 12\r\n\r\nbody",
        false,
        Some("x-version"),
    );
    assert_eq!(
        head,
        Head {
            len: 58,
            status: 503,
            body: Body::Length(12),
            keep_alive: true,
            version: Some("v2".into()),
        }
    );
    assert_eq!(
        head.len,
        "HTTP/1.1 503 Busy\r\nX-Version:  v2 \r\nContent-Length: 12\r\n\r\n".len()
    );
}

#[test]
fn keep_alive_follows_the_version_and_the_connection_header() {
    let alive = |text: &str| final_head(text, false, None).keep_alive;
    assert!(alive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(!alive(
        "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n"
    ));
    assert!(!alive(
        "HTTP/1.1 200 OK\r\nConnection: x, close\r\nContent-Length: 0\r\n\r\n"
    ));
    assert!(!alive("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assert!(alive(
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"
    ));
    assert!(!alive("HTTP/1.1 200 OK\r\n\r\n"), "a body to the close");
}

#[test]
fn the_framing_follows_method_status_encoding_and_length() {
    let body = |text: &str, head_request: bool| final_head(text, head_request, None).body;
    let long = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    assert_eq!(body(long, false), Body::Length(10));
    assert_eq!(body(long, true), Body::Empty, "HEAD has no body");
    assert_eq!(
        body(
            "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n",
            false
        ),
        Body::Empty
    );
    assert_eq!(
        body("HTTP/1.1 304 Not Modified\r\n\r\n", false),
        Body::Empty
    );
    assert_eq!(
        body(
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            false
        ),
        Body::Chunked(Chunked::default()),
        "chunked wins over a length"
    );
    assert_eq!(
        body(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            false
        ),
        Body::UntilClose
    );
    assert_eq!(body("HTTP/1.0 200 OK\r\n\r\n", false), Body::UntilClose);
}

#[test]
fn interim_answers_are_skipped_and_101_and_bad_heads_are_errors() {
    let continue_then = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n";
    assert_eq!(head(continue_then, false, None), Ok(Parsed::Interim(25)));
    assert_eq!(head(&continue_then[25..], false, None), Ok(Parsed::Partial));
    let switching = b"HTTP/1.1 101 Switching Protocols\r\n\r\n";
    assert_eq!(head(switching, false, None), Err(ErrorKind::Other));
    for malformed in [
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/9 200 OK\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n",
        "HTTP/1.1 200 OK\r\nbad header\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    ] {
        assert_eq!(
            head(malformed.as_bytes(), false, None),
            Err(ErrorKind::Other),
            "{malformed:?}"
        );
    }
    let many: String = (0..=MAX_HEADERS).map(|i| format!("x-{i}: v\r\n")).collect();
    let too_many = format!("HTTP/1.1 200 OK\r\n{many}\r\n");
    assert_eq!(
        head(too_many.as_bytes(), false, None),
        Err(ErrorKind::Other)
    );
}

#[test]
fn a_head_cut_anywhere_is_partial_until_its_last_byte() {
    let text = b"HTTP/1.1 200 OK\r\nX-Version: v1\r\nContent-Length: 2\r\n\r\nok";
    let end = text.len() - 2;
    for cut in 0..end {
        assert_eq!(
            head(&text[..cut], false, None),
            Ok(Parsed::Partial),
            "cut at {cut}"
        );
    }
    let whole = final_head(
        std::str::from_utf8(text).expect("ascii"),
        false,
        Some("x-version"),
    );
    assert_eq!((whole.len, whole.version.as_deref()), (end, Some("v1")));
}

const CHUNKED: &[u8] = b"5;name=\"quoted;value\"\r\nhello\r\n7 ; ext\r\n, world\r\n0;last\r\n\
Expires: never\r\nX-Sum: 12\r\n\r\nHTTP/1.1 200 OK\r\n";
const CHUNKED_END: usize = CHUNKED.len() - "HTTP/1.1 200 OK\r\n".len();

#[test]
fn chunked_bodies_with_extensions_and_trailers_decode_at_every_split() {
    let whole = feed_in_pieces(Body::Chunked(Chunked::default()), CHUNKED, &[]);
    assert_eq!(whole, (b"hello, world".to_vec(), CHUNKED_END, true));
    for cut in 0..CHUNKED.len() {
        let split = feed_in_pieces(Body::Chunked(Chunked::default()), CHUNKED, &[cut]);
        assert_eq!(split, whole, "cut at {cut}");
    }
    let every_byte: Vec<usize> = (1..CHUNKED.len()).collect();
    assert_eq!(
        feed_in_pieces(Body::Chunked(Chunked::default()), CHUNKED, &every_byte),
        whole
    );
}

#[test]
fn a_length_body_stops_at_its_length_and_leaves_the_next_response() {
    let data = b"0123456789HTTP/1.1 200 OK\r\n";
    for cut in 0..data.len() {
        let (content, taken, done) = feed_in_pieces(Body::Length(10), data, &[cut]);
        assert_eq!(
            (content.as_slice(), taken, done),
            (&b"0123456789"[..], 10, true)
        );
    }
    let (_, taken, done) = feed_in_pieces(Body::Length(11), b"0123456789", &[4]);
    assert_eq!((taken, done), (10, false), "one byte still to come");
    let (content, _, done) = feed_in_pieces(Body::UntilClose, b"to the end", &[3]);
    assert_eq!((content.as_slice(), done), (&b"to the end"[..], false));
}

#[test]
fn malformed_chunks_are_errors() {
    for bad in [
        &b"\r\n"[..],
        b"x\r\n",
        b"5\r\nhelloXY",
        b"5\r\nhello\rX",
        b"10000000000000000\r\n",
        b"0\r\n\rX",
    ] {
        let outcome = Body::Chunked(Chunked::default()).feed(bad, &mut |_| {});
        assert_eq!(outcome, Err(ErrorKind::Other), "{bad:?}");
    }
    let endless: Vec<u8> = b"0\r\nX: "
        .iter()
        .copied()
        .chain(std::iter::repeat_n(b'a', MAX_TRAILERS + 1))
        .collect();
    let outcome = Body::Chunked(Chunked::default()).feed(&endless, &mut |_| {});
    assert_eq!(outcome, Err(ErrorKind::Other), "trailers without end");
}
