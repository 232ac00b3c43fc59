use super::*;

fn decode(decoder: &mut Decoder, block: &[u8], wanted: &str) -> Result<Head, HpackError> {
    decoder.decode(block, Some(wanted.as_bytes()))
}

fn wanted(value: &str) -> Option<Vec<u8>> {
    Some(value.as_bytes().to_vec())
}

#[test]
fn integers_use_the_prefix_then_seven_bits_a_byte() {
    // RFC 7541 C.1: 10 and 1337 with a 5-bit prefix; 31 exactly fills the prefix.
    for (value, bytes) in [
        (10, vec![0x0a]),
        (1337, vec![0x1f, 0x9a, 0x0a]),
        (31, vec![0x1f, 0x00]),
        (30, vec![0x1e]),
    ] {
        let mut out = Vec::new();
        put_integer(&mut out, 0, 5, value);
        assert_eq!(out, bytes, "{value}");
        let mut rest = &bytes[..];
        assert_eq!(integer(&mut rest, 5), Ok(value));
        assert!(rest.is_empty());
    }
    // Flags above the prefix are kept out of the value.
    let mut rest: &[u8] = &[0xe5, 0xff];
    assert_eq!(integer(&mut rest, 5), Ok(5));
    assert_eq!(rest, &[0xff]);
    // Cut short, or continuing past 2^28: refused.
    assert_eq!(integer(&mut &[0x1f, 0x80][..], 5), Err(HpackError));
    assert_eq!(integer(&mut &[][..], 5), Err(HpackError));
    assert_eq!(
        integer(&mut &[0x1f, 0xff, 0xff, 0xff, 0xff, 0x01][..], 5),
        Err(HpackError)
    );
    assert_eq!(
        integer(&mut &[0x1f, 0xff, 0xff, 0xff, 0x7f][..], 5),
        Ok(31 + (1 << 28) - 1)
    );
}

#[test]
fn a_status_is_three_digits_from_100() {
    assert_eq!(status(b"200"), Some(200));
    assert_eq!(status(b"100"), Some(100));
    assert_eq!(status(b"999"), Some(999));
    assert_eq!(status(b"599"), Some(599));
    for bad in [&b"099"[..], b"20", b"2000", b"2x0", b"", b" 200"] {
        assert_eq!(status(bad), None, "{bad:?}");
    }
}

#[test]
fn indexed_fields_come_from_the_static_table() {
    let mut decoder = Decoder::default();
    // :status 200, then :status 404 (the last one counts), server (name only).
    let head = decoder.decode(&[0x88, 0x8d, 0xb6], None);
    assert_eq!(
        head,
        Ok(Head {
            status: Some(404),
            wanted: None
        })
    );
    assert_eq!(decoder.decode(&[0x80], None), Err(HpackError));
    assert_eq!(
        decoder.decode(&[0xbe], None),
        Err(HpackError),
        "62 is not there yet"
    );
    assert_eq!(decoder.decode(&[0xbd], None).map(|h| h.status), Ok(None));
}

#[test]
fn added_fields_are_found_by_index_newest_first() {
    let mut decoder = Decoder::default();
    // :status 302 added (name index 8), then x-version v2 (literal name) added.
    let mut block = vec![0x48, 0x03];
    block.extend_from_slice(b"302");
    block.extend_from_slice(&[0x40, 0x09]);
    block.extend_from_slice(b"x-version");
    block.push(0x02);
    block.extend_from_slice(b"v2");
    let head = decode(&mut decoder, &block, "x-version");
    assert_eq!(
        head,
        Ok(Head {
            status: Some(302),
            wanted: wanted("v2")
        })
    );
    // 62 is the newest (x-version), 63 the one before (:status 302).
    let head = decode(&mut decoder, &[0xbf, 0xbe], "x-version");
    assert_eq!(
        head,
        Ok(Head {
            status: Some(302),
            wanted: wanted("v2")
        })
    );
    assert_eq!(
        decoder.decode(&[0xc0], None),
        Err(HpackError),
        "64: beyond the table"
    );
    // A literal naming an added entry's name by index.
    let head = decode(&mut decoder, &[0x0f, 0x2f, 0x02, b'v', b'3'], "x-version");
    assert_eq!(head.map(|h| h.wanted), Ok(wanted("v3")));
}

#[test]
fn a_value_sent_without_indexing_is_decoded_only_when_wanted() {
    let mut decoder = Decoder::default();
    // date (index 33) with a Huffman string that is not valid (0x00: padding not ones).
    let block = [0x0f, 0x12, 0x81, 0x00];
    assert_eq!(
        decoder.decode(&block, None),
        Ok(Head::default()),
        "skipped, not decoded"
    );
    assert_eq!(decode(&mut decoder, &block, "date"), Err(HpackError));
    // Huffman 'a' (00011 then ones) as the wanted value; never indexed (0x10) alike.
    let block = [0x10, 0x01, b'v', 0x81, 0b0001_1111];
    assert_eq!(
        decode(&mut decoder, &block, "v").map(|h| h.wanted),
        Ok(wanted("a"))
    );
    // A literal :status is always read.
    let block = [0x08, 0x03, b'2', b'0', b'4'];
    assert_eq!(
        decoder.decode(&block, None).map(|h| h.status),
        Ok(Some(204))
    );
}

#[test]
fn the_table_drops_its_oldest_entries_to_stay_within_its_size() {
    let mut decoder = Decoder::default();
    let value = vec![b'x'; 990];
    // Five entries of 32 + 1 + 990 bytes: only four fit in 4096.
    for name in [b"a", b"b", b"c", b"d", b"e"] {
        let mut block = vec![0x40, 0x01, name[0], 0x7f];
        put_integer_tail(&mut block, 990 - 127);
        block.extend_from_slice(&value);
        decoder.decode(&block, None).expect("added");
    }
    assert_eq!(decoder.entries.len(), 4);
    assert_eq!(decoder.size, 4 * 1023);
    assert_eq!(&*decoder.entries[3].0, b"b", "a was dropped");
    // Two entries that fill the table exactly both stay.
    let mut exact_fit = Decoder::default();
    for name in [b'p', b'q'] {
        let mut block = vec![0x40, 0x01, name, 0x7f];
        put_integer_tail(&mut block, 2015 - 127);
        block.extend_from_slice(&vec![b'x'; 2015]);
        exact_fit.decode(&block, None).expect("added");
    }
    assert_eq!((exact_fit.entries.len(), exact_fit.size), (2, 4096));
    // A size update to 0 empties the table; one above 4096 is refused.
    assert_eq!(decoder.decode(&[0x20], None), Ok(Head::default()));
    assert_eq!((decoder.entries.len(), decoder.size), (0, 0));
    let mut over = Vec::new();
    put_integer(&mut over, 0x20, 5, 4097);
    assert_eq!(decoder.decode(&over, None), Err(HpackError));
    let mut exact = Vec::new();
    put_integer(&mut exact, 0x20, 5, 4096);
    assert_eq!(decoder.decode(&exact, None), Ok(Head::default()));
}

#[test]
fn an_entry_larger_than_the_table_empties_it_and_is_not_added() {
    let mut decoder = Decoder::default();
    decoder
        .decode(&[0x40, 0x01, b'k', 0x01, b'v'], None)
        .expect("added");
    assert_eq!(decoder.entries.len(), 1);
    let mut block = vec![0x40, 0x01, b'k', 0x7f];
    put_integer_tail(&mut block, 4064 - 127);
    block.extend_from_slice(&vec![b'y'; 4064]);
    decoder.decode(&block, None).expect("decoded");
    assert_eq!((decoder.entries.len(), decoder.size), (0, 0));
    // Exactly the table's size fits.
    let mut block = vec![0x40, 0x01, b'k', 0x7f];
    put_integer_tail(&mut block, 4063 - 127);
    block.extend_from_slice(&vec![b'y'; 4063]);
    decoder.decode(&block, None).expect("decoded");
    assert_eq!((decoder.entries.len(), decoder.size), (1, 4096));
}

#[test]
fn cut_short_blocks_are_refused() {
    let mut decoder = Decoder::default();
    for block in [
        &[0x40][..],
        &[0x40, 0x01, b'k'],
        &[0x40, 0x01, b'k', 0x05, b'v'],
        &[0x0f],
        &[0x00, 0x03, b'a'],
    ] {
        assert_eq!(decoder.decode(block, None), Err(HpackError), "{block:?}");
    }
}

/// The continuation bytes of an integer whose prefix is full.
fn put_integer_tail(out: &mut Vec<u8>, mut rest: usize) {
    while rest >= 0x80 {
        out.push((rest as u8 & 0x7f) | 0x80);
        rest >>= 7;
    }
    out.push(rest as u8);
}

fn request_fields() -> Vec<(&'static [u8], &'static [u8])> {
    vec![
        (b":method", b"GET"),
        (b":scheme", b"http"),
        (b":path", b"/api?x=1"),
        (b":authority", b"orders:8080"),
        (b"x-test", b"kept"),
    ]
}

#[test]
fn the_first_request_adds_its_fields_and_later_ones_name_them_by_index() {
    let blocks = request_blocks(&request_fields(), TABLE_SIZE);
    // :method GET and :scheme http are whole static entries (2 and 6).
    assert_eq!(&blocks.first[..2], &[0x82, 0x86]);
    assert_eq!(blocks.first[2], 0x44, ":path added, named by index 4");
    // Three added: :path the oldest (64), :authority 63, x-test the newest (62).
    assert_eq!(blocks.repeat, vec![0x82, 0x86, 0xc0, 0xbf, 0xbe]);
    let mut server = Decoder::default();
    for block in [&blocks.first, &blocks.repeat, &blocks.repeat] {
        for (name, value) in request_fields() {
            let head = server.clone().decode(block, Some(name)).expect("decoded");
            assert_eq!(
                head.wanted.as_deref(),
                Some(value),
                "{}",
                String::from_utf8_lossy(name)
            );
        }
        server.decode(block, None).expect("decoded");
    }
}

#[test]
fn without_room_in_the_table_every_request_sends_literals() {
    let fields = request_fields();
    for size in [0, 100] {
        let blocks = request_blocks(&fields, size);
        assert_eq!(blocks.first, blocks.repeat, "{size}: nothing is added");
        let mut server = Decoder::default();
        server.decode(&blocks.first, None).expect("decoded");
        assert_eq!(server.entries.len(), 0, "nothing added");
        assert_eq!(
            decode(&mut server, &blocks.repeat, "x-test").map(|h| h.wanted),
            Ok(wanted("kept"))
        );
    }
    // Room for exactly the three added fields: the table is used.
    let needed = (32 + 5 + 8) + (32 + 10 + 11) + (32 + 6 + 4);
    let blocks = request_blocks(&fields, needed);
    assert_eq!(blocks.repeat, vec![0x82, 0x86, 0xc0, 0xbf, 0xbe]);
    let blocks = request_blocks(&fields, needed - 1);
    assert_ne!(blocks.repeat, vec![0x82, 0x86, 0xc0, 0xbf, 0xbe]);
    // A table larger than the default is used only up to the default.
    assert_eq!(
        request_blocks(&fields, 65536),
        request_blocks(&fields, TABLE_SIZE)
    );
}
