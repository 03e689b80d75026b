//! Character classes and panic-free cursor helpers shared by the tokenizer
//! and the sentence splitter.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The character starting at byte `pos`, or `None` at the end of the text or
/// when `pos` is not a char boundary.
pub(crate) fn char_at(text: &str, pos: usize) -> Option<char> {
    text.get(pos..)?.chars().next()
}

/// The character ending at byte `pos`, or `None` at the start of the text or
/// when `pos` is not a char boundary.
pub(crate) fn char_before(text: &str, pos: usize) -> Option<char> {
    text.get(..pos)?.chars().next_back()
}

/// Byte offset of the first char at or after `from` that fails `keep`.
pub(crate) fn scan_while(text: &str, from: usize, keep: impl Fn(char) -> bool) -> usize {
    let Some(rest) = text.get(from..) else {
        return from;
    };
    match rest.char_indices().find(|&(_, c)| !keep(c)) {
        Some((i, _)) => from + i,
        None => text.len(),
    }
}

/// Characters skipped between tokens: whitespace, controls and invisible
/// format characters (zero-width space, word joiner, BOM, soft hyphen).
pub(crate) fn is_skippable(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{2060}'
                | '\u{FEFF}'
        )
}

/// Characters that continue a word: letters, digits, combining marks and
/// the zero-width (non-)joiners used inside words of some scripts.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c) || c == '\u{200C}' || c == '\u{200D}'
}

/// Apostrophes that may sit inside a word ("O'Brien", "didn’t").
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Hyphens that join the parts of a compound word ("al-Qaeda").
pub(crate) fn is_hyphen_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{00AD}')
}

/// Dashes and hyphens that form a punctuation token when not inside a word.
pub(crate) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
    )
}

/// Characters that group into one "!?" style punctuation token.
pub(crate) fn is_bang_or_question(c: char) -> bool {
    matches!(
        c,
        '!' | '?' | '\u{203C}' | '\u{2047}' | '\u{2048}' | '\u{2049}' | '\u{FF01}' | '\u{FF1F}'
    )
}

/// Whether a (normalised) character is punctuation rather than a symbol.
pub(crate) fn is_punct(c: char) -> bool {
    matches!(
        c,
        '!' | '"'
            | '\''
            | '('
            | ')'
            | ','
            | '-'
            | '.'
            | '/'
            | ':'
            | ';'
            | '?'
            | '['
            | ']'
            | '{'
            | '}'
            | '`'
            | '\u{00A1}'
            | '\u{00AB}'
            | '\u{00B7}'
            | '\u{00BB}'
            | '\u{00BF}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2032}'..='\u{2043}'
            | '\u{2045}'..='\u{2051}'
            | '\u{2053}'..='\u{205E}'
            | '\u{3001}'..='\u{3003}'
            | '\u{3008}'..='\u{3011}'
            | '\u{3014}'..='\u{301F}'
    )
}

/// Fold typographic quotes, apostrophes and dashes to ASCII, and drop
/// invisible format characters; `None` means "drop".
fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{2035}'
        | '\u{02BC}' | '\u{2039}' | '\u{203A}' | '\u{FF07}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{2036}'
        | '\u{00AB}' | '\u{00BB}' | '\u{301D}' | '\u{301E}' | '\u{301F}' | '\u{FF02}' => Some('"'),
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}' => Some('-'),
        '\u{00AD}' | '\u{180E}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' => None,
        _ => Some(c),
    }
}

/// The `norm` form of a token: NFKC with quotes and dashes folded to ASCII.
pub(crate) fn norm_form(s: &str) -> String {
    if s.is_ascii() {
        // ASCII is already NFKC and has nothing to fold.
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    out.extend(s.chars().filter_map(fold_char).nfkc().filter_map(fold_char));
    out
}

/// Lower-case form of a `norm` string.
pub(crate) fn lower_form(norm: &str) -> String {
    if norm.is_ascii() {
        norm.to_ascii_lowercase()
    } else {
        norm.to_lowercase()
    }
}

/// Whether the first character of `s` is a lower-case letter.
pub(crate) fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_lowercase)
}
