//! Reading one input into articles: size and binary checks, decoding,
//! format choice, and the text / HTML / JSON Lines readers.

use crate::clean::{article_id, clean_lines, split_text_article};
use crate::decode::decode;
use crate::html::html_to_text;
use crate::types::{Article, Format, FormatHint, IngestError, Input, ReadOptions};
use crate::warc::{parse_http_response, split_content_type, WarcReader};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;

/// What [`read_input`] and [`read_bytes`] return: one entry per article found
/// (an error for an article that could not be read, the others unaffected).
pub type Articles = Vec<Result<Article, IngestError>>;

/// Reads one input into articles.
///
/// The outer error means the whole input failed: unreadable, empty, larger
/// than [`ReadOptions::max_bytes`] (checked before reading), binary, or a bad
/// [`ReadOptions::published`] date. The inner list has one entry per article:
/// one for a text or HTML input, one per non-blank line of JSON Lines, one per
/// feed item or HTML record of a WARC archive. For big archives prefer
/// [`for_each_article`], which does not hold them all in memory.
pub fn read_input(input: &Input, opts: &ReadOptions) -> Result<Articles, IngestError> {
    let mut out = Vec::new();
    for_each_article(input, opts, &mut |a| out.push(a))?;
    Ok(out)
}

/// Reads one input and hands each article (or the error of one article) to
/// `each` as soon as it is read: a WARC archive, plain or gzipped, streams
/// record by record, so memory does not grow with the size of the file.
/// Other inputs (gzipped or not) are read whole, up to
/// [`ReadOptions::max_bytes`] after decompression. The error returned is for
/// the input as a whole, as with [`read_input`]; a WARC archive damaged
/// part-way reports the damage through `each` and keeps what came before.
pub fn for_each_article(
    input: &Input,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Result<Article, IngestError>),
) -> Result<(), IngestError> {
    for_each_article_until(input, opts, &mut |a| {
        each(a);
        ControlFlow::Continue(())
    })
}

/// [`for_each_article`] that stops reading as soon as `each` answers
/// [`ControlFlow::Break`] (an interrupted ingest does not read the rest of
/// a 2 GB archive first).
pub fn for_each_article_until(
    input: &Input,
    opts: &ReadOptions,
    each: &mut dyn FnMut(Result<Article, IngestError>) -> ControlFlow<()>,
) -> Result<(), IngestError> {
    let name = input.name();
    let published = default_date(&name, opts)?;
    let limit = opts.max_bytes;
    let io = |source| IngestError::Io {
        input: name.clone(),
        source,
    };
    let (raw, hint): (Box<dyn BufRead>, Option<Format>) = match input {
        Input::File(path) => {
            let hint = Format::from_path(path);
            let meta = std::fs::metadata(path).map_err(io)?;
            let streamed = matches!(hint, Some(Format::Warc | Format::JsonLines))
                || Format::is_gzip_path(path);
            if !streamed && meta.len() > limit {
                return Err(IngestError::TooLarge {
                    input: name,
                    size: meta.len(),
                    limit,
                });
            }
            let file = std::fs::File::open(path).map_err(io)?;
            (Box::new(BufReader::new(file)), hint)
        }
        Input::Stdin => (Box::new(BufReader::new(std::io::stdin())), None),
    };
    let mut reader = raw;
    // gzip is recognised by its magic bytes, whatever the name says
    let gzipped = {
        let head = reader.fill_buf().map_err(io)?;
        head.starts_with(&[0x1f, 0x8b])
    };
    let mut reader: Box<dyn BufRead> = if gzipped {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(reader)))
    } else {
        reader
    };
    let is_warc = hint == Some(Format::Warc)
        || (hint.is_none() && reader.fill_buf().map_err(io)?.starts_with(b"WARC/"));
    if is_warc {
        read_warc(&name, reader, opts, published.as_deref(), each);
        return Ok(());
    }
    if hint == Some(Format::JsonLines) {
        return stream_jsonl(&name, reader, opts, published.as_deref(), each);
    }
    let bytes = read_limited(reader, limit).map_err(|source| {
        if gzipped {
            IngestError::BadRecord {
                input: name.clone(),
                reason: format!("corrupt or truncated gzip data: {source}"),
            }
        } else {
            io(source)
        }
    })?;
    if bytes.len() as u64 > limit {
        // stdin, a gzip file, or a file that grew after its size was checked
        return Err(IngestError::TooLarge {
            input: name,
            size: bytes.len() as u64,
            limit,
        });
    }
    for a in read_bytes(&name, &bytes, hint, opts)? {
        if each(a).is_break() {
            break;
        }
    }
    Ok(())
}

/// The articles of a WARC stream: HTML `response` (status 2xx) and
/// `resource` records; other records are skipped, damaged ones reported as
/// `NAME#RECORD: problem`.
fn read_warc(
    name: &str,
    reader: impl BufRead,
    opts: &ReadOptions,
    published: Option<&str>,
    each: &mut dyn FnMut(Result<Article, IngestError>) -> ControlFlow<()>,
) {
    let mut seen = 0usize;
    for (n, record) in WarcReader::new(reader, opts.max_bytes).enumerate() {
        seen += 1;
        let source = format!("{name}#{}", n + 1);
        let record = match record {
            Ok(r) => r,
            Err(problem) => {
                if each(Err(IngestError::BadRecord {
                    input: source,
                    reason: problem.to_string(),
                }))
                .is_break()
                {
                    return;
                }
                continue;
            }
        };
        let (mime, charset, body) = match record.kind.as_str() {
            "response" => match parse_http_response(&record.block, opts.max_bytes) {
                Some(http) if (200..300).contains(&http.status) => {
                    (http.mime, http.charset, http.body)
                }
                _ => continue,
            },
            "resource" => {
                let (mime, charset) = record
                    .content_type
                    .as_deref()
                    .map(split_content_type)
                    .unwrap_or((None, None));
                (mime, charset, record.block)
            }
            _ => continue,
        };
        let html_mime = mime
            .as_deref()
            .is_none_or(|m| m == "text/html" || m == "application/xhtml+xml");
        if !html_mime || body.is_empty() {
            continue;
        }
        let text = match decode_declared(&source, &body, charset.as_deref()) {
            Ok(t) => t,
            Err(e) => {
                if each(Err(e)).is_break() {
                    return;
                }
                continue;
            }
        };
        if mime.is_none() && sniff(&text) != Format::Html {
            continue;
        }
        if html_too_deep(&text) {
            if each(Err(IngestError::BadRecord {
                input: source,
                reason: TOO_DEEP.to_string(),
            }))
            .is_break()
            {
                return;
            }
            continue;
        }
        let article = html_article(
            &source,
            record.target_uri.as_deref(),
            &text,
            published,
            record.date.as_deref(),
        );
        if each(article).is_break() {
            return;
        }
    }
    if seen == 0 {
        // the last call: whether it asks to stop changes nothing
        let _ = each(Err(IngestError::Empty {
            input: name.to_string(),
        }));
    }
}

/// Decode with the charset an HTTP header declared: valid UTF-8 is taken as
/// UTF-8 whatever the header says (headers lie more often than bytes), a
/// declared legacy charset is used next, and otherwise the usual detection
/// (BOM, `<meta charset>`, statistics) decides.
fn decode_declared(
    name: &str,
    bytes: &[u8],
    declared: Option<&str>,
) -> Result<String, IngestError> {
    if std::str::from_utf8(bytes).is_err() {
        if let Some(enc) = declared.and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes())) {
            if enc != encoding_rs::UTF_8 {
                let (text, _) = enc.decode_without_bom_handling(bytes);
                return Ok(text.into_owned());
            }
        }
    }
    decode(name, bytes, Some(Format::Html))
}

/// Reads at most `limit + 1` bytes, enough to tell that an input is too large.
fn read_limited(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads articles from bytes already in memory: the body of [`read_input`],
/// usable on its own (tests, network sources, stdin captured elsewhere).
///
/// `name` names the input in articles and errors; `hint` is the format
/// (a [`Format`], `Option<Format>`, or a path whose extension decides), or
/// `None` to sniff it (first non-space character `{` → JSON Lines, `<` and an
/// HTML tag → HTML, else text). The size limit is the caller's business,
/// except that bytes over [`ReadOptions::max_bytes`] are refused.
pub fn read_bytes(
    name: &str,
    bytes: &[u8],
    hint: impl FormatHint,
    opts: &ReadOptions,
) -> Result<Articles, IngestError> {
    let hint = hint.format_hint();
    let default_published = default_date(name, opts)?;
    if bytes.len() as u64 > opts.max_bytes {
        return Err(IngestError::TooLarge {
            input: name.to_string(),
            size: bytes.len() as u64,
            limit: opts.max_bytes,
        });
    }
    // gzip inside (a `.gz` file read into memory, a gzipped upload)
    let unzipped;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes)
            .take(opts.max_bytes.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| IngestError::BadRecord {
                input: name.to_string(),
                reason: format!("corrupt or truncated gzip data: {e}"),
            })?;
        if out.len() as u64 > opts.max_bytes {
            return Err(IngestError::TooLarge {
                input: name.to_string(),
                size: out.len() as u64,
                limit: opts.max_bytes,
            });
        }
        unzipped = out;
        unzipped.as_slice()
    } else {
        bytes
    };
    if hint == Some(Format::Warc) || (hint.is_none() && bytes.starts_with(b"WARC/")) {
        let mut out = Vec::new();
        read_warc(name, bytes, opts, default_published.as_deref(), &mut |a| {
            out.push(a);
            ControlFlow::Continue(())
        });
        return Ok(out);
    }
    let text = decode(name, bytes, hint)?;
    // only spaces, zero-width and other format characters: nothing to read
    if !text.chars().any(|c| c.is_alphanumeric()) {
        return Err(IngestError::Empty {
            input: name.to_string(),
        });
    }
    let format = hint.unwrap_or_else(|| sniff(&text));
    let published = default_published.as_deref();
    Ok(match format {
        Format::Text => {
            let (title, body) = split_text_article(&text);
            vec![make_article(name, None, title, published, body)]
        }
        Format::Html => {
            if html_too_deep(&text) {
                return Err(IngestError::BadRecord {
                    input: name.to_string(),
                    reason: TOO_DEEP.to_string(),
                });
            }
            vec![html_article(name, None, &text, published, None)]
        }
        Format::JsonLines => read_jsonl(name, &text, published),
        Format::Feed => crate::feed::read_feed(name, &text, published)?,
        // handled above, before decoding
        Format::Warc => Vec::new(),
    })
}

/// Validates and normalises the user's default publication date.
fn default_date(name: &str, opts: &ReadOptions) -> Result<Option<String>, IngestError> {
    match &opts.published {
        None => Ok(None),
        Some(value) => parse_date(value)
            .map(Some)
            .ok_or_else(|| IngestError::BadDate {
                input: name.to_string(),
                value: value.clone(),
            }),
    }
}

/// Parses `YYYY-MM-DD`, or an ISO 8601 / RFC 3339 date-time whose date part
/// (as written, before any offset) is taken; `None` if it is not a valid date.
pub fn parse_date(value: &str) -> Option<String> {
    let value = value.trim();
    if let Ok(date) = value.parse::<jiff::civil::Date>() {
        return Some(date.to_string());
    }
    // Civil parsing refuses a `Z` offset; a valid timestamp's own date part is what we want.
    if value.parse::<jiff::Timestamp>().is_ok() {
        let date_part = value.split(['T', 't', ' ']).next()?;
        return date_part
            .parse::<jiff::civil::Date>()
            .ok()
            .map(|d| d.to_string());
    }
    None
}

/// Guesses the format of content whose name gives none.
pub(crate) fn sniff(text: &str) -> Format {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.starts_with("WARC/") {
        return Format::Warc;
    }
    if is_feed(trimmed) {
        return Format::Feed;
    }
    match trimmed.chars().next() {
        Some('{') => Format::JsonLines,
        Some('<') if looks_like_html(trimmed) => Format::Html,
        _ => Format::Text,
    }
}

/// Elements nested deeper than this are refused: the HTML parser's work
/// grows with the square of the depth (100,000 levels take half a minute),
/// and no real page comes near it.
const MAX_HTML_DEPTH: usize = 10_000;

/// Why a page is refused when [`html_too_deep`] holds.
const TOO_DEEP: &str = "HTML nested more than 10,000 elements deep; not parsed";

/// Whether a page's elements nest deeper than [`MAX_HTML_DEPTH`], counted
/// cheaply from its tags (start tags minus end tags, empty elements and
/// `/>` not counted); unclosed `<p>` and `<li>` make this an overestimate,
/// which is safe.
fn html_too_deep(html: &str) -> bool {
    const VOID: &[&[u8]] = &[
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"param", b"source", b"track", b"wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(off) = bytes.get(i..).and_then(|b| memchr::memchr(b'<', b)) {
        let at = i + off;
        let next = bytes.get(at + 1).copied().unwrap_or(0);
        let end = bytes
            .get(at..)
            .and_then(|b| memchr::memchr(b'>', b))
            .map_or(bytes.len(), |e| at + e);
        if next == b'/' {
            depth = depth.saturating_sub(1);
        } else if next.is_ascii_alphabetic() {
            let name_end = bytes
                .get(at + 1..end)
                .and_then(|b| b.iter().position(|c| !c.is_ascii_alphanumeric()))
                .map_or(end, |p| at + 1 + p);
            let name = bytes
                .get(at + 1..name_end)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let self_closing = end > 0 && bytes.get(end - 1) == Some(&b'/');
            if !self_closing && !VOID.contains(&name.as_slice()) {
                depth += 1;
                if depth > MAX_HTML_DEPTH {
                    return true;
                }
            }
        }
        i = at + 1;
    }
    false
}

/// Whether XML content is an RSS (0.9x, 1.0 RDF, 2.0) or Atom feed.
fn is_feed(text: &str) -> bool {
    if !text.starts_with('<') {
        return false;
    }
    let head: String = text.chars().take(2048).collect::<String>().to_lowercase();
    // the root element, after an XML declaration, comments or a stylesheet
    let root = head
        .split('<')
        .map(str::trim_start)
        .find(|t| !t.is_empty() && !t.starts_with('?') && !t.starts_with('!'));
    root.is_some_and(|r| r.starts_with("rss") || r.starts_with("feed") || r.starts_with("rdf:rdf"))
}

/// Whether content starting with `<` holds a tag that HTML pages have.
fn looks_like_html(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect::<String>().to_lowercase();
    const TAGS: &[&str] = &[
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<title",
        "<article",
        "<main",
        "<div",
        "<p>",
        "<p ",
        "<h1",
        "<h2",
        "<br",
        "<span",
        "<section",
        "<table",
        "<ul",
        "<a ",
        "<!--",
    ];
    TAGS.iter().any(|t| head.contains(t))
}

/// An article from an HTML page: the body from the extractor; the headline
/// and publication date from the page's metadata (JSON-LD, meta tags,
/// `<time>`, URL, byline), checked against the crawl date when known; the
/// user's default date only when the page gives none; the canonical URL
/// when no URL came with the page.
fn html_article(
    source: &str,
    url: Option<&str>,
    html: &str,
    published: Option<&str>,
    crawled: Option<&str>,
) -> Result<Article, IngestError> {
    let extracted = html_to_text(html);
    let meta = crate::meta::extract_metadata_at(html, url, crawled);
    make_article(
        source,
        url.map(str::to_string).or(meta.canonical_url),
        meta.title.or(extracted.title),
        meta.published.as_deref().or(published),
        extracted.text,
    )
}

/// Builds an article, or [`IngestError::Empty`] when no text survived cleaning.
pub(crate) fn make_article(
    source: &str,
    url: Option<String>,
    title: Option<String>,
    published: Option<&str>,
    text: String,
) -> Result<Article, IngestError> {
    // only spaces, zero-width and other format characters: nothing to read
    if !text.chars().any(|c| c.is_alphanumeric()) {
        return Err(IngestError::Empty {
            input: source.to_string(),
        });
    }
    Ok(Article {
        id: article_id(&text),
        source: source.to_string(),
        url,
        title: title.filter(|t| !t.trim().is_empty()),
        published: published.map(str::to_string),
        text,
    })
}

/// One article per non-blank line; a bad line is an error naming `name:LINE`.
fn read_jsonl(name: &str, text: &str, published: Option<&str>) -> Articles {
    text.split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let source = format!("{name}:{}", i + 1);
            jsonl_record(&source, line, published)
        })
        .collect()
}

/// JSON Lines read line by line, so a dump of any size streams: each line
/// may be up to [`ReadOptions::max_bytes`] long (a longer one is an error
/// naming its line, and reading goes on), each is decoded on its own.
fn stream_jsonl(
    name: &str,
    mut reader: Box<dyn BufRead>,
    opts: &ReadOptions,
    published: Option<&str>,
    each: &mut dyn FnMut(Result<Article, IngestError>) -> ControlFlow<()>,
) -> Result<(), IngestError> {
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut any = false;
    loop {
        line.clear();
        number += 1;
        let n = (&mut reader)
            .take(opts.max_bytes.saturating_add(1))
            .read_until(b'\n', &mut line)
            .map_err(|e| IngestError::BadRecord {
                input: format!("{name}:{number}"),
                reason: format!("cannot read (corrupt gzip data?): {e}"),
            })?;
        if n == 0 {
            break;
        }
        let source = format!("{name}:{number}");
        if n as u64 > opts.max_bytes {
            // skip the rest of the over-long line
            while !line.ends_with(b"\n") {
                line.clear();
                let m = (&mut reader)
                    .take(1 << 20)
                    .read_until(b'\n', &mut line)
                    .unwrap_or(0);
                if m == 0 {
                    break;
                }
            }
            if each(Err(IngestError::TooLarge {
                input: source,
                size: n as u64,
                limit: opts.max_bytes,
            }))
            .is_break()
            {
                return Ok(());
            }
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        any = true;
        if each(jsonl_record(&source, &text, published)).is_break() {
            return Ok(());
        }
    }
    if !any {
        return Err(IngestError::Empty {
            input: name.to_string(),
        });
    }
    Ok(())
}

fn bad_record(source: &str, reason: impl Into<String>) -> IngestError {
    IngestError::BadRecord {
        input: source.to_string(),
        reason: reason.into(),
    }
}

/// An optional string field: absent or null → `None`; another type is an error.
fn optional_string(
    source: &str,
    record: &serde_json::Map<String, Value>,
    field: &str,
) -> Result<Option<String>, IngestError> {
    match record.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad_record(
            source,
            format!("field {field:?} must be a string"),
        )),
    }
}

fn jsonl_record(source: &str, line: &str, published: Option<&str>) -> Result<Article, IngestError> {
    let line = line.trim_start_matches('\u{feff}').trim();
    let value: Value = serde_json::from_str(line)
        .map_err(|e| bad_record(source, format!("not valid JSON: {e}")))?;
    let Value::Object(record) = value else {
        return Err(bad_record(source, "not a JSON object"));
    };
    let text = optional_string(source, &record, "text")?.filter(|t| !t.trim().is_empty());
    let html = optional_string(source, &record, "html")?.filter(|t| !t.trim().is_empty());
    let url = optional_string(source, &record, "url")?
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    let mut title = optional_string(source, &record, "title")?
        .map(|t| crate::clean::normalize_text(&t))
        .filter(|t| !t.is_empty());
    let mut own_date = match optional_string(source, &record, "published")? {
        None => None,
        Some(value) => Some(parse_date(&value).ok_or_else(|| {
            bad_record(
                source,
                format!("bad date {value:?}: expected YYYY-MM-DD or an ISO 8601 date-time"),
            )
        })?),
    };
    let body = match (text, html) {
        (Some(text), _) => clean_lines(&text, title.as_deref()),
        (None, Some(html)) => {
            if html_too_deep(&html) {
                return Err(bad_record(source, TOO_DEEP));
            }
            // the record's own fields win over what the page says
            let page = html_article(source, url.as_deref(), &html, None, None)?;
            if title.is_none() {
                title = page.title;
            }
            if own_date.is_none() {
                own_date = page.published;
            }
            page.text
        }
        (None, None) => return Err(bad_record(source, "missing text or html")),
    };
    make_article(source, url, title, own_date.as_deref().or(published), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(
            parse_date(" 2024-03-05T23:30:00Z").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            parse_date("2024-03-05T23:30:00-07:00").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(
            parse_date("2024-03-05T08:15").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn nesting_depth() {
        let deep = "<div>".repeat(MAX_HTML_DEPTH + 1);
        assert!(html_too_deep(&deep));
        let flat = "<p>a</p><br><img src=x><div/>".repeat(MAX_HTML_DEPTH);
        assert!(!html_too_deep(&flat));
        let opts = ReadOptions::default();
        let err = read_bytes("deep.html", deep.as_bytes(), Format::Html, &opts)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.starts_with("deep.html: HTML nested more than"), "{err}");
    }

    #[test]
    fn sniffing() {
        assert_eq!(sniff("  {\"text\": \"x\"}"), Format::JsonLines);
        assert_eq!(sniff("\n<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff("<p>Hello</p>"), Format::Html);
        assert_eq!(sniff("<<< not a tag"), Format::Text);
        assert_eq!(sniff("Plain words."), Format::Text);
    }
}
