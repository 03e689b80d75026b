//! Article text normalisation before storing and hashing.

use unicode_normalization::UnicodeNormalization;

/// White space other than a line feed.
fn is_inline_space(c: char) -> bool {
    c.is_whitespace() && c != '\n'
}

/// See [`crate::normalize`].
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Line feeds at the end of `out`, ignoring spaces after them.
    let mut trailing_newlines = 0usize;
    // Byte-order marks (zero-width no-break spaces) are invisible noise; drop
    // them before composing so that the result is stable.
    let mut chars = text.chars().filter(|&c| c != '\u{FEFF}').nfc().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            '\n'
        } else {
            c
        };
        if c == '\n' {
            let kept = out.trim_end_matches(is_inline_space).len();
            out.truncate(kept);
            if trailing_newlines < 2 {
                out.push('\n');
            }
            trailing_newlines += 1;
        } else {
            if !is_inline_space(c) {
                trailing_newlines = 0;
            }
            out.push(c);
        }
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    }
}
