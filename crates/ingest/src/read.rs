//! Reading one input into articles: size and binary checks, decoding,
//! format choice, and the text / HTML / JSON Lines readers.

use crate::clean::{article_id, clean_lines, split_text_article};
use crate::decode::decode;
use crate::html::html_to_text;
use crate::types::{Article, Format, FormatHint, IngestError, Input, ReadOptions};
use serde_json::Value;
use std::io::Read;

/// What [`read_input`] and [`read_bytes`] return: one entry per article found
/// (an error for an article that could not be read, the others unaffected).
pub type Articles = Vec<Result<Article, IngestError>>;

/// Reads one input into articles.
///
/// The outer error means the whole input failed: unreadable, empty, larger
/// than [`ReadOptions::max_bytes`] (checked before reading), binary, or a bad
/// [`ReadOptions::published`] date. The inner list has one entry per article:
/// one for a text or HTML input, one per non-blank line of JSON Lines.
pub fn read_input(input: &Input, opts: &ReadOptions) -> Result<Articles, IngestError> {
    let name = input.name();
    default_date(&name, opts)?;
    let limit = opts.max_bytes;
    let (bytes, hint) = match input {
        Input::File(path) => {
            let io = |source| IngestError::Io {
                input: name.clone(),
                source,
            };
            let meta = std::fs::metadata(path).map_err(io)?;
            if meta.len() > limit {
                return Err(IngestError::TooLarge {
                    input: name,
                    size: meta.len(),
                    limit,
                });
            }
            let file = std::fs::File::open(path).map_err(io)?;
            (
                read_limited(file, limit).map_err(io)?,
                Format::from_path(path),
            )
        }
        Input::Stdin => {
            let bytes =
                read_limited(std::io::stdin().lock(), limit).map_err(|source| IngestError::Io {
                    input: name.clone(),
                    source,
                })?;
            (bytes, None)
        }
    };
    if bytes.len() as u64 > limit {
        // Stdin, or a file that grew after its size was checked.
        return Err(IngestError::TooLarge {
            input: name,
            size: bytes.len() as u64,
            limit,
        });
    }
    read_bytes(&name, &bytes, hint, opts)
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
            let extracted = html_to_text(&text);
            vec![make_article(
                name,
                None,
                extracted.title,
                published,
                extracted.text,
            )]
        }
        Format::JsonLines => read_jsonl(name, &text, published),
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
    match trimmed.chars().next() {
        Some('{') => Format::JsonLines,
        Some('<') if looks_like_html(trimmed) => Format::Html,
        _ => Format::Text,
    }
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

/// Builds an article, or [`IngestError::Empty`] when no text survived cleaning.
fn make_article(
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
    let own_date = match optional_string(source, &record, "published")? {
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
            let extracted = html_to_text(&html);
            if title.is_none() {
                title = extracted.title;
                extracted.text
            } else {
                clean_lines(&extracted.text, title.as_deref())
            }
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
    fn sniffing() {
        assert_eq!(sniff("  {\"text\": \"x\"}"), Format::JsonLines);
        assert_eq!(sniff("\n<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(sniff("<p>Hello</p>"), Format::Html);
        assert_eq!(sniff("<<< not a tag"), Format::Text);
        assert_eq!(sniff("Plain words."), Format::Text);
    }
}
