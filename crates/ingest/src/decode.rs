//! Bytes to text: binary detection, byte-order marks, HTML `<meta charset>`
//! declarations, UTF-8, and a statistical guess for legacy encodings.

use crate::types::{Format, IngestError};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How many leading bytes (or characters) the binary check looks at.
const SNIFF_LEN: usize = 8 * 1024;
/// How many leading bytes may hold an HTML charset declaration.
const META_SCAN_LEN: usize = 2 * 1024;

/// Decodes an input's bytes to a `String`, refusing binary data.
///
/// Order: a byte-order mark wins; then valid UTF-8 is taken as is; then, for
/// HTML (or content still to be sniffed), a `<meta>` charset in the first
/// 2 KB; finally `chardetng` guesses a legacy encoding.
pub(crate) fn decode(
    name: &str,
    bytes: &[u8],
    hint: Option<Format>,
) -> Result<String, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty {
            input: name.to_string(),
        });
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        if encoding == UTF_16LE || encoding == UTF_16BE {
            let (text, _) = encoding.decode_without_bom_handling(rest);
            if looks_binary_chars(&text) {
                return Err(binary(name));
            }
            return Ok(text.into_owned());
        }
        if looks_binary_bytes(rest) {
            return Err(binary(name));
        }
        let (text, _) = encoding.decode_without_bom_handling(rest);
        return Ok(text.into_owned());
    }
    if looks_binary_bytes(bytes) {
        return Err(binary(name));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    if matches!(hint, None | Some(Format::Html)) {
        if let Some(encoding) = meta_charset(bytes) {
            // A page that declares UTF-8 but is not valid UTF-8 is mislabelled:
            // let the detector decide instead.
            if encoding != UTF_8 {
                let (text, _) = encoding.decode_without_bom_handling(bytes);
                return Ok(text.into_owned());
            }
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
}

/// Decodes the bytes of a page or text file to a `String`, the way every
/// ingest reader does (byte-order mark, UTF-8, `<meta charset>`, then a
/// `chardetng` guess), so callers holding raw bytes (evaluations, other
/// sources) read pages exactly as `pulse ingest` would. `name` names the
/// input in errors; `hint` is the format when known (`None` = sniff).
pub fn decode_bytes(name: &str, bytes: &[u8], hint: Option<Format>) -> Result<String, IngestError> {
    decode(name, bytes, hint)
}

fn binary(name: &str) -> IngestError {
    IngestError::Binary {
        input: name.to_string(),
    }
}

/// Control characters that do not occur in text (tab, newlines and form feed do).
fn is_bad_control_byte(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f
}

/// NUL bytes, or more than 10% control bytes, in the first 8 KB.
fn looks_binary_bytes(bytes: &[u8]) -> bool {
    let head = bytes.get(..SNIFF_LEN).unwrap_or(bytes);
    if head.is_empty() {
        return false;
    }
    if head.contains(&0) {
        return true;
    }
    let controls = head.iter().filter(|&&b| is_bad_control_byte(b)).count();
    controls * 10 > head.len()
}

/// The same test on decoded characters (for UTF-16 input, where raw bytes hold NULs).
fn looks_binary_chars(text: &str) -> bool {
    let mut total = 0usize;
    let mut controls = 0usize;
    for c in text.chars().take(SNIFF_LEN) {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}') {
            controls += 1;
        }
    }
    total > 0 && controls * 10 > total
}

/// The encoding named by a `<meta charset=…>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 2 KB.
/// UTF-16 labels are read as UTF-8, as browsers do (the bytes are ASCII-compatible).
pub(crate) fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes.get(..META_SCAN_LEN).unwrap_or(bytes);
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut pos = 0;
    while let Some(offset) = find(lower.get(pos..)?, b"<meta") {
        let start = pos + offset + b"<meta".len();
        let rest = lower.get(start..)?;
        let end = rest.iter().position(|&b| b == b'>').unwrap_or(rest.len());
        let tag = rest.get(..end)?;
        if let Some(label) = charset_in_tag(tag) {
            if let Some(encoding) = Encoding::for_label(label) {
                if encoding == UTF_16LE || encoding == UTF_16BE {
                    return Some(UTF_8);
                }
                return Some(encoding);
            }
        }
        pos = start;
    }
    None
}

/// The value after `charset=` inside one (lower-cased) meta tag.
fn charset_in_tag(tag: &[u8]) -> Option<&[u8]> {
    let at = find(tag, b"charset")?;
    let mut rest = tag.get(at + b"charset".len()..)?;
    while let Some((&b, tail)) = rest.split_first() {
        if b.is_ascii_whitespace() {
            rest = tail;
        } else {
            break;
        }
    }
    rest = rest.strip_prefix(b"=")?;
    while let Some((&b, tail)) = rest.split_first() {
        if b.is_ascii_whitespace() || b == b'"' || b == b'\'' {
            rest = tail;
        } else {
            break;
        }
    }
    let end = rest
        .iter()
        .position(|&b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/' | b'>'))
        .unwrap_or(rest.len());
    let label = rest.get(..end)?;
    if label.is_empty() {
        None
    } else {
        Some(label)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            meta_charset(b"<html><head><meta charset=\"windows-1252\"></head>"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            meta_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-2\">"
            ),
            Some(encoding_rs::ISO_8859_2)
        );
        assert_eq!(meta_charset(b"<meta charset='utf-16'>"), Some(UTF_8));
        assert_eq!(meta_charset(b"<meta name=x content=y>"), None);
        assert_eq!(meta_charset(b"<meta charset="), None);
        assert_eq!(meta_charset(b"<meta charset=bogus-label>"), None);
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "Hello, world".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode("x", &bytes, None).ok().as_deref(),
            Some("Hello, world")
        );
    }

    #[test]
    fn utf8_bom_is_removed() {
        let bytes = b"\xef\xbb\xbfplain";
        assert_eq!(decode("x", bytes, None).ok().as_deref(), Some("plain"));
    }

    #[test]
    fn controls_mark_binary() {
        let mut junk = vec![b'a'; 100];
        junk.extend(std::iter::repeat_n(0x01u8, 20));
        assert!(matches!(
            decode("x", &junk, None),
            Err(IngestError::Binary { .. })
        ));
        assert!(matches!(
            decode("x", b"ab\0cd", None),
            Err(IngestError::Binary { .. })
        ));
    }
}
