//! `pulse extract PAGE.html [--url URL] --json`: one HTML page in, one JSON
//! object out with the article's text and metadata (the contract in
//! DESIGN.md: `title`, `published`, `authors`, `site`, `language`, `text`).
//!
//! The page is read the way `pulse ingest` reads an HTML file (size limit,
//! binary check, byte-order mark, UTF-8, `<meta charset>`, a guess for legacy
//! encodings; [`pulse_ingest::decode_bytes`]), whatever its file name, and its
//! body comes from the same [`pulse_ingest::html_to_text`], so evaluation
//! scripts see exactly what ingest would store.

use anyhow::Context;
use pulse_ingest::{Format, IngestError, ReadOptions};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;

/// What `pulse extract --json` prints for a page: the body from the
/// extractor, the rest from the page's metadata; every field is always
/// printed (null or empty when the page does not say).
#[derive(Debug, Default, Serialize)]
struct PageRecord {
    /// The URL given with `--url`, if any (echoed so outputs can be paired
    /// with their pages).
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// The headline.
    title: Option<String>,
    /// Publication date, `YYYY-MM-DD`.
    published: Option<String>,
    /// Author names as written.
    authors: Vec<String>,
    /// The site's name.
    site: Option<String>,
    /// The article's language (ISO 639-1).
    language: Option<String>,
    /// The article body, paragraphs separated by blank lines.
    text: String,
}

/// Reads at most `limit + 1` bytes of the page (`-` is stdin), enough to
/// tell that it is too large; errors name the page.
fn read_page(page: &Path, limit: u64) -> anyhow::Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    if page.as_os_str() == "-" {
        let name = "<stdin>".to_string();
        std::io::stdin()
            .lock()
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .with_context(|| format!("{name}: cannot read"))?;
        return Ok((name, bytes));
    }
    let name = page.display().to_string();
    let file = std::fs::File::open(page).with_context(|| format!("{name}: cannot read"))?;
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("{name}: cannot read"))?;
    Ok((name, bytes))
}

/// Extracts the record of one page (see [`PageRecord`]).
fn extract(page: &Path, url: Option<&str>) -> anyhow::Result<PageRecord> {
    let limit = ReadOptions::default().max_bytes;
    let (name, bytes) = read_page(page, limit)?;
    if bytes.len() as u64 > limit {
        return Err(IngestError::TooLarge {
            input: name,
            size: bytes.len() as u64,
            limit,
        }
        .into());
    }
    // empty or binary input is an error naming the page
    let html = pulse_ingest::decode_bytes(&name, &bytes, Some(Format::Html))?;
    let body = pulse_ingest::html_to_text(&html);
    if body.text.is_empty() {
        eprintln!("{name}: no article text found");
    }
    let meta = pulse_ingest::extract_metadata(&html, url);
    Ok(PageRecord {
        url: url.map(str::to_string),
        title: meta.title.or(body.title).filter(|t| !t.trim().is_empty()),
        published: meta.published,
        authors: meta.authors,
        site: meta.site,
        language: meta.language,
        text: body.text,
    })
}

/// `pulse extract PAGE --json`: prints the page's record as one JSON object
/// on one line.
pub fn run(page: &Path, url: Option<&str>) -> anyhow::Result<()> {
    let record = extract(page, url)?;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &record)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
