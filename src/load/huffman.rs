//! Decoding of HPACK's Huffman-coded strings (RFC 7541 §5.2, Appendix B). The code is
//! canonical (codes of one length are consecutive numbers, in symbol order, and every shorter
//! code sorts before the prefixes of the longer ones), so the code lengths alone define it: the
//! decoder keeps, per length, the first code and how many codes have it.

use std::sync::OnceLock;

/// The code length in bits of each symbol, 0 to 255 and EOS (256): RFC 7541 Appendix B.
const CODE_LENGTHS: [u8; 257] = [
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, //
    28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, //
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, //
    5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, //
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, //
    7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, //
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, //
    6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, //
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, //
    24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, //
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, //
    21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, //
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, //
    19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, //
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, //
    26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, //
    30,
];

const EOS: u16 = 256;
const LONGEST: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidHuffman;

struct Code {
    /// Per length: the first code of that length and how many there are.
    first: [u32; LONGEST + 1],
    count: [u32; LONGEST + 1],
    /// Per length: where its symbols start in `symbols`.
    offset: [usize; LONGEST + 1],
    /// The symbols ordered by code length, then value.
    symbols: [u16; 257],
}

fn code() -> &'static Code {
    static CODE: OnceLock<Code> = OnceLock::new();
    CODE.get_or_init(|| {
        let mut code = Code {
            first: [0; LONGEST + 1],
            count: [0; LONGEST + 1],
            offset: [0; LONGEST + 1],
            symbols: [0; 257],
        };
        for &length in &CODE_LENGTHS {
            code.count[usize::from(length)] += 1;
        }
        let (mut next, mut at) = (0u32, 0usize);
        for length in 1..=LONGEST {
            code.first[length] = next;
            code.offset[length] = at;
            next = (next + code.count[length]) << 1;
            at += code.count[length] as usize;
        }
        let mut placed = code.offset;
        for (symbol, &length) in (0u16..).zip(&CODE_LENGTHS) {
            code.symbols[placed[usize::from(length)]] = symbol;
            placed[usize::from(length)] += 1;
        }
        code
    })
}

/// Appends the decoded `input` to `out`. Refused: EOS inside the string, a code longer than 30
/// bits, and padding that is longer than 7 bits or not the most significant bits of EOS (all
/// ones), as RFC 7541 §5.2 requires.
pub fn decode(input: &[u8], out: &mut Vec<u8>) -> Result<(), InvalidHuffman> {
    let code = code();
    let (mut bits, mut length) = (0u32, 0usize);
    for &byte in input {
        for shift in (0..8).rev() {
            bits = (bits << 1) | u32::from((byte >> shift) & 1);
            length += 1;
            let index = bits.wrapping_sub(code.first[length]);
            if index < code.count[length] {
                let symbol = code.symbols[code.offset[length] + index as usize];
                if symbol == EOS {
                    return Err(InvalidHuffman);
                }
                out.push(symbol as u8);
                (bits, length) = (0, 0);
            } else if length == LONGEST {
                return Err(InvalidHuffman);
            }
        }
    }
    match length <= 7 && bits == (1 << length) - 1 {
        true => Ok(()),
        false => Err(InvalidHuffman),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The encoder the tests check the decoder against, built from the same lengths.
    fn encode(text: &[u8]) -> Vec<u8> {
        let code = code();
        let mut codes = [0u32; 257];
        for length in 1..=LONGEST {
            let start = code.offset[length];
            for k in 0..code.count[length] as usize {
                codes[usize::from(code.symbols[start + k])] = code.first[length] + k as u32;
            }
        }
        let (mut out, mut acc, mut filled) = (Vec::new(), 0u64, 0u32);
        for &byte in text {
            let length = u32::from(CODE_LENGTHS[usize::from(byte)]);
            acc = (acc << length) | u64::from(codes[usize::from(byte)]);
            filled += length;
            while filled >= 8 {
                filled -= 8;
                out.push((acc >> filled) as u8);
            }
        }
        if filled > 0 {
            let pad = 8 - filled;
            out.push(((acc << pad) as u8) | ((1u8 << pad) - 1));
        }
        out
    }

    fn decoded(input: &[u8]) -> Result<Vec<u8>, InvalidHuffman> {
        let mut out = Vec::new();
        decode(input, &mut out).map(|()| out)
    }

    #[test]
    fn the_codes_are_those_of_the_rfc() {
        // RFC 7541 Appendix B: '0' is 00000, 'a' 00011, ' ' 010100, 'A' 100001, EOS 30 ones.
        let code = code();
        assert_eq!((code.first[5], code.count[5]), (0, 10));
        assert_eq!(code.symbols[code.offset[5]], u16::from(b'0'));
        assert_eq!(code.symbols[code.offset[5] + 3], u16::from(b'a'));
        assert_eq!(code.first[6], 0b010100);
        assert_eq!(code.symbols[code.offset[6]], u16::from(b' '));
        assert_eq!(
            code.symbols[code.offset[30] + code.count[30] as usize - 1],
            EOS
        );
        assert_eq!(code.first[30] + code.count[30] - 1, (1 << 30) - 1);
        // RFC 7541 C.4.1: "www.example.com".
        let rfc = [
            0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff,
        ];
        assert_eq!(decoded(&rfc), Ok(b"www.example.com".to_vec()));
        assert_eq!(encode(b"www.example.com"), rfc);
    }

    #[test]
    fn every_byte_value_survives_a_round_trip() {
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decoded(&encode(&all)), Ok(all.clone()));
        assert_eq!(
            decoded(&encode(b"Mon, 21 Oct 2013 20:13:21 GMT")).as_deref(),
            Ok(&b"Mon, 21 Oct 2013 20:13:21 GMT"[..])
        );
        assert_eq!(decoded(&[]), Ok(Vec::new()));
    }

    #[test]
    fn refuses_eos_long_padding_and_padding_that_is_not_ones() {
        // 30 ones then two more: EOS decoded inside the string.
        assert_eq!(decoded(&[0xff, 0xff, 0xff, 0xff]), Err(InvalidHuffman));
        // 'a' (00011) padded with 000: padding must be ones.
        assert_eq!(decoded(&[0b0001_1000]), Err(InvalidHuffman));
        // 'a' padded with 111 is fine; a whole byte of ones as padding is too long.
        assert_eq!(decoded(&[0b0001_1111]), Ok(b"a".to_vec()));
        assert_eq!(decoded(&[0b0001_1111, 0xff]), Err(InvalidHuffman));
        // Eight bits that are no whole code: a code cut short, or padding longer than 7 bits.
        assert_eq!(decoded(&[0xff]), Err(InvalidHuffman));
        assert_eq!(decoded(&[0xfe]), Err(InvalidHuffman));
    }
}
