//! Strings from files and the cluster reach a terminal only escaped: a name that holds an escape
//! sequence must not retitle a reviewer's terminal, clear it or fake colours in a CI log.

use std::borrow::Cow;

/// `text` with every control character except newline and tab written as a visible escape
/// (`\x1b`, `\u{9b}`), so that what is printed is exactly what the object holds.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            // Every control character is C0, DEL or C1, all below U+0100: two hex digits.
            if c.is_control() {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// C0 and C1 controls and DEL; also the bidirectional overrides that reorder what a reader sees.
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            escape("revenue-engine ✓\tok\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(escape("a\x1b]0;pwned\x07b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(escape("\u{9b}31m"), "\\x9b31m");
        assert_eq!(escape("x\ry"), "x\\x0dy");
        assert_eq!(escape("del\x7f"), "del\\x7f");
    }

    #[test]
    fn bidi_overrides_are_escaped() {
        assert_eq!(escape("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(escape("a\u{2066}b"), "a\\u{2066}b");
    }
}
