//! A small streaming WARC reader (ISO 28500, WARC/1.0 and 1.1): one record
//! at a time from any [`BufRead`], plain or gzip-compressed (one gzip member
//! per record, or the whole file), so memory stays bounded by the largest
//! record kept, never by the size of the file.
//!
//! Damage is survived where it can be: a record whose declared
//! `Content-Length` runs past the end of the input is reported as truncated;
//! a record that does not start with a `WARC/` version line (a lying length
//! in the record before it) is reported once and the reader skips ahead to
//! the next version line; a record larger than the limit is skipped without
//! being held in memory.

use std::io::{BufRead, Read};

/// The longest header block accepted (the WARC and HTTP headers of real
/// crawls are a few kilobytes).
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// One WARC record: its named header fields and its content block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    /// Byte offset of the record's version line in the (decompressed) stream.
    pub offset: u64,
    /// `WARC-Type`: `response`, `resource`, `request`, `metadata`, `warcinfo`, …
    pub kind: String,
    /// `WARC-Target-URI`, when given.
    pub target_uri: Option<String>,
    /// `WARC-Date` (the capture time), when given.
    pub date: Option<String>,
    /// The record's own `Content-Type` (`application/http; msgtype=response`
    /// for HTTP responses).
    pub content_type: Option<String>,
    /// The content block: the HTTP message for a `response`, the document
    /// itself for a `resource`.
    pub block: Vec<u8>,
}

/// What went wrong with one record; the reader goes on after all but
/// [`WarcProblem::Truncated`] and [`WarcProblem::Io`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WarcProblem {
    /// The input ended inside a record.
    #[error("record at byte {offset}: truncated (declared {declared} bytes, {got} present)")]
    Truncated {
        /// Offset of the record.
        offset: u64,
        /// Its declared `Content-Length`.
        declared: u64,
        /// The bytes that were there.
        got: u64,
    },
    /// Bytes that are not a WARC record were skipped up to the next one.
    #[error("byte {offset}: not a WARC record (a wrong Content-Length before it?); skipped {skipped} bytes to the next record")]
    Resync {
        /// Where the unexpected bytes began.
        offset: u64,
        /// How many were skipped.
        skipped: u64,
    },
    /// The header has no usable `Content-Length`.
    #[error("record at byte {offset}: missing or bad Content-Length")]
    NoLength {
        /// Offset of the record.
        offset: u64,
    },
    /// The record is larger than the limit; it was skipped.
    #[error("record at byte {offset}: {size} bytes, over the {limit}-byte limit; skipped")]
    TooLarge {
        /// Offset of the record.
        offset: u64,
        /// Its declared size.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A header block longer than any real one (or binary junk).
    #[error("record at byte {offset}: header block too long")]
    HeaderTooLong {
        /// Offset of the record.
        offset: u64,
    },
    /// Reading failed (a corrupt gzip stream, an I/O error).
    #[error("at byte {offset}: {message}")]
    Io {
        /// How far the reader got.
        offset: u64,
        /// The underlying error.
        message: String,
    },
}

/// Iterator over the records of a WARC stream.
pub struct WarcReader<R> {
    input: R,
    offset: u64,
    max_record: u64,
    done: bool,
    /// A version line already read (at this offset) while skipping junk.
    pending_version: Option<u64>,
}

impl<R: BufRead> WarcReader<R> {
    /// Read records from `input`, skipping (and reporting) records whose
    /// content block is larger than `max_record` bytes.
    pub fn new(input: R, max_record: u64) -> WarcReader<R> {
        WarcReader {
            input,
            offset: 0,
            max_record,
            done: false,
            pending_version: None,
        }
    }

    /// One line including its `\n`, at most `MAX_HEADER_BYTES` long; empty at
    /// the end of the input.
    fn line(&mut self) -> Result<Vec<u8>, WarcProblem> {
        let mut line = Vec::new();
        let n = (&mut self.input)
            .take(MAX_HEADER_BYTES as u64)
            .read_until(b'\n', &mut line)
            .map_err(|e| self.io(e))?;
        self.offset += n as u64;
        Ok(line)
    }

    fn io(&self, e: std::io::Error) -> WarcProblem {
        WarcProblem::Io {
            offset: self.offset,
            message: e.to_string(),
        }
    }

    /// The next record or problem; `None` at the end of the input.
    fn next_record(&mut self) -> Option<Result<WarcRecord, WarcProblem>> {
        // skip the blank lines between records, then expect a version line
        let mut skipped = 0u64;
        let mut junk_start = self.offset;
        let start = loop {
            let at = self.offset;
            let line = match self.line() {
                Ok(l) => l,
                Err(e) => return Some(Err(e)),
            };
            if line.is_empty() {
                if skipped > 0 {
                    return Some(Err(WarcProblem::Resync {
                        offset: junk_start,
                        skipped,
                    }));
                }
                return None;
            }
            if line.starts_with(b"WARC/") {
                if skipped > 0 {
                    // report the skipped bytes; the record itself is read next time
                    self.pending_version = Some(at);
                    return Some(Err(WarcProblem::Resync {
                        offset: junk_start,
                        skipped,
                    }));
                }
                break at;
            }
            if line.iter().all(u8::is_ascii_whitespace) && skipped == 0 {
                junk_start = self.offset;
                continue;
            }
            skipped += line.len() as u64;
        };
        self.read_after_version(start)
    }

    /// The header fields and block of a record whose version line (at
    /// `start`) has been read.
    fn read_after_version(&mut self, start: u64) -> Option<Result<WarcRecord, WarcProblem>> {
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut header_bytes = 0usize;
        loop {
            let line = match self.line() {
                Ok(l) => l,
                Err(e) => return Some(Err(e)),
            };
            if line.is_empty() {
                return Some(Err(WarcProblem::Truncated {
                    offset: start,
                    declared: 0,
                    got: 0,
                }));
            }
            header_bytes += line.len();
            if header_bytes > MAX_HEADER_BYTES {
                return Some(Err(WarcProblem::HeaderTooLong { offset: start }));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            if let Some((name, value)) = text.split_once(':') {
                fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let field = |name: &str| {
            fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let Some(length) = field("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return Some(Err(WarcProblem::NoLength { offset: start }));
        };
        if length > self.max_record {
            let skipped =
                match std::io::copy(&mut (&mut self.input).take(length), &mut std::io::sink()) {
                    Ok(n) => n,
                    Err(e) => return Some(Err(self.io(e))),
                };
            self.offset += skipped;
            if skipped < length {
                return Some(Err(WarcProblem::Truncated {
                    offset: start,
                    declared: length,
                    got: skipped,
                }));
            }
            return Some(Err(WarcProblem::TooLarge {
                offset: start,
                size: length,
                limit: self.max_record,
            }));
        }
        let mut block = Vec::new();
        let got = match (&mut self.input).take(length).read_to_end(&mut block) {
            Ok(n) => n as u64,
            Err(e) => return Some(Err(self.io(e))),
        };
        self.offset += got;
        if got < length {
            return Some(Err(WarcProblem::Truncated {
                offset: start,
                declared: length,
                got,
            }));
        }
        Some(Ok(WarcRecord {
            offset: start,
            kind: field("warc-type").unwrap_or_default().to_ascii_lowercase(),
            target_uri: field("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string()),
            date: field("warc-date"),
            content_type: field("content-type"),
            block,
        }))
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = Result<WarcRecord, WarcProblem>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = match self.pending_version.take() {
            Some(start) => self.read_after_version(start),
            None => self.next_record(),
        };
        match &item {
            None | Some(Err(WarcProblem::Truncated { .. } | WarcProblem::Io { .. })) => {
                self.done = true;
            }
            _ => {}
        }
        item
    }
}

/// An HTTP response split into what the article reader needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code (200, 404, …); 0 when the status line is unreadable.
    pub status: u16,
    /// The media type from `Content-Type`, lower case, without parameters.
    pub mime: Option<String>,
    /// The `charset` parameter of `Content-Type`.
    pub charset: Option<String>,
    /// The body, with chunked transfer coding and gzip/deflate content
    /// coding undone (at most `limit` bytes).
    pub body: Vec<u8>,
}

/// Parse the HTTP message in a `response` record's block; `None` when it is
/// not one.
pub fn parse_http_response(block: &[u8], limit: u64) -> Option<HttpResponse> {
    let split = find(block, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, 2)))?;
    let head = String::from_utf8_lossy(block.get(..split.0)?);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    if !status_line.starts_with("HTTP/") {
        return None;
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut content_type = None;
    let mut chunked = false;
    let mut coding = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.to_string()),
            "transfer-encoding" => chunked |= value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => coding = Some(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    let raw = block.get(split.0 + split.1..).unwrap_or_default();
    let mut body = if chunked {
        dechunk(raw).unwrap_or_else(|| raw.to_vec())
    } else {
        raw.to_vec()
    };
    match coding.as_deref() {
        Some("gzip" | "x-gzip") => {
            if let Some(b) = inflate(flate2::read::MultiGzDecoder::new(body.as_slice()), limit) {
                body = b;
            }
        }
        Some("deflate") => {
            if let Some(b) = inflate(flate2::read::ZlibDecoder::new(body.as_slice()), limit) {
                body = b;
            }
        }
        _ => {}
    }
    body.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let (mime, charset) = content_type
        .as_deref()
        .map(split_content_type)
        .unwrap_or((None, None));
    Some(HttpResponse {
        status,
        mime,
        charset,
        body,
    })
}

/// Media type and charset of a `Content-Type` value.
pub fn split_content_type(value: &str) -> (Option<String>, Option<String>) {
    let mut parts = value.split(';');
    let mime = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    });
    (mime, charset)
}

/// Undo chunked transfer coding; `None` when the chunks do not add up.
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = find(raw, b"\r\n")?;
        let size_text = String::from_utf8_lossy(raw.get(..eol)?);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        raw = raw.get(eol + 2..)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size..)?;
        raw = raw.strip_prefix(b"\r\n").unwrap_or(raw);
    }
}

/// Decompress at most `limit` bytes (a compression bomb stops there);
/// `None` when the data is not what its coding says.
fn inflate(reader: impl Read, limit: u64) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(limit).read_to_end(&mut out).ok()?;
    Some(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, block: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-14T08:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    const PAGE: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Aid reached the town.</p></body></html>";

    fn read_all(bytes: &[u8], limit: u64) -> Vec<Result<WarcRecord, WarcProblem>> {
        WarcReader::new(bytes, limit).collect()
    }

    #[test]
    fn reads_records_in_order() {
        let data = record("warcinfo", "", "software: test")
            + &record("response", "https://example.org/a", PAGE);
        let recs = read_all(data.as_bytes(), 1 << 20);
        assert_eq!(recs.len(), 2);
        let r = recs[1].as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.kind, "response");
        assert_eq!(r.target_uri.as_deref(), Some("https://example.org/a"));
        let http = parse_http_response(&r.block, 1 << 20).unwrap_or_else(|| panic!("no http"));
        assert_eq!(http.status, 200);
        assert_eq!(http.mime.as_deref(), Some("text/html"));
        assert_eq!(http.charset.as_deref(), Some("utf-8"));
        assert!(String::from_utf8_lossy(&http.body).contains("Aid reached"));
    }

    #[test]
    fn a_truncated_record_is_reported_and_ends_the_stream() {
        let data = record("response", "https://example.org/a", PAGE);
        let cut = &data.as_bytes()[..data.len() - 30];
        let recs = read_all(cut, 1 << 20);
        assert_eq!(recs.len(), 1);
        assert!(matches!(recs[0], Err(WarcProblem::Truncated { .. })));
    }

    #[test]
    fn a_lying_length_is_survived() {
        // the first record claims 10 bytes fewer than it has: the reader
        // reports the leftover bytes and finds the next record
        let first = record("response", "https://example.org/a", PAGE).replacen(
            &format!("Content-Length: {}", PAGE.len()),
            &format!("Content-Length: {}", PAGE.len() - 10),
            1,
        );
        let data = first + &record("response", "https://example.org/b", PAGE);
        let recs = read_all(data.as_bytes(), 1 << 20);
        assert!(
            matches!(recs[1], Err(WarcProblem::Resync { .. })),
            "{recs:?}"
        );
        let last = recs.last().and_then(|r| r.as_ref().ok());
        assert_eq!(
            last.and_then(|r| r.target_uri.as_deref()),
            Some("https://example.org/b")
        );
    }

    #[test]
    fn oversized_records_are_skipped_not_held() {
        let data = record("response", "https://example.org/a", PAGE)
            + &record(
                "response",
                "https://example.org/b",
                "HTTP/1.1 200 OK\r\n\r\nx",
            );
        let recs = read_all(data.as_bytes(), 40);
        assert!(matches!(recs[0], Err(WarcProblem::TooLarge { .. })));
        assert!(recs[1].is_ok());
    }

    #[test]
    fn junk_and_empty_input() {
        assert!(read_all(b"", 100).is_empty());
        let recs = read_all(b"\x00\x01binary junk\nmore", 100);
        assert!(recs.iter().all(Result::is_err));
        let no_len = read_all(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nabc", 100);
        assert!(matches!(no_len[0], Err(WarcProblem::NoLength { .. })));
    }

    #[test]
    fn chunked_and_gzip_bodies() {
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n5\r\nHello\r\n6\r\n world\r\n0\r\n\r\n";
        let http = parse_http_response(chunked, 1000).unwrap_or_else(|| panic!("no http"));
        assert_eq!(http.body, b"Hello world");
        let mut gz = Vec::new();
        {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::fast());
            enc.write_all(&[b'a'; 10_000])
                .unwrap_or_else(|e| panic!("{e}"));
            enc.finish().unwrap_or_else(|e| panic!("{e}"));
        }
        let mut msg = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        msg.extend_from_slice(&gz);
        // a bomb stops at the limit
        let http = parse_http_response(&msg, 1000).unwrap_or_else(|| panic!("no http"));
        assert_eq!(http.body.len(), 1000);
        assert!(parse_http_response(b"not http at all", 10).is_none());
    }

    #[test]
    fn content_type_parts() {
        assert_eq!(
            split_content_type("Text/HTML; Charset=\"ISO-8859-1\""),
            (Some("text/html".into()), Some("ISO-8859-1".into()))
        );
        assert_eq!(split_content_type(""), (None, None));
    }
}
