//! RSS and Atom feeds (and JSON Feed): one article per item, from the item's
//! own text (content, else summary, else its title), with its link and date.
//! Fetching the linked pages is the user's business: pulse never goes on the
//! network.

use crate::clean::{clean_lines, normalize_text};
use crate::html::html_to_text;
use crate::read::{make_article, Articles};
use crate::types::IngestError;

/// `text` with its XML declaration, if any, saying UTF-8: the text is
/// already decoded, so a declared `encoding="utf-16"` (or a malformed
/// declaration) must not make the parser decode it again.
fn utf8_declaration(text: &str) -> std::borrow::Cow<'_, str> {
    let body = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if !body.starts_with("<?xml") {
        return std::borrow::Cow::Borrowed(text);
    }
    match body.find("?>") {
        Some(end) => std::borrow::Cow::Owned(format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>{}",
            &body[end + 2..]
        )),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Read the items of a feed; a feed that does not parse is one error naming
/// the input, an empty item an error naming `input#ITEM`.
pub(crate) fn read_feed(
    name: &str,
    text: &str,
    published: Option<&str>,
) -> Result<Articles, IngestError> {
    let bad = |reason: String| IngestError::BadRecord {
        input: name.to_string(),
        reason,
    };
    let xml = utf8_declaration(text);
    // the parser has panicked on malformed input before (found by fuzzing:
    // a declaration naming its encoding twice); a panic is one bad input,
    // not the end of a batch
    let parsed = std::panic::catch_unwind(|| feed_rs::parser::parse(xml.as_bytes()))
        .map_err(|_| bad("not a readable RSS/Atom feed: the feed parser failed on it".into()))?;
    let feed = parsed.map_err(|e| bad(format!("not a readable RSS/Atom feed: {e}")))?;
    Ok(feed
        .entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let source = format!("{name}#{}", i + 1);
            let title = entry
                .title
                .map(|t| plain(&t.content))
                .filter(|t| !t.is_empty());
            let body = entry
                .content
                .and_then(|c| c.body)
                .filter(|b| !b.trim().is_empty())
                .or_else(|| entry.summary.map(|s| s.content))
                .map(|b| plain(&b))
                .filter(|b| !b.is_empty());
            let url = entry
                .links
                .into_iter()
                .map(|l| l.href.trim().to_string())
                .find(|h| !h.is_empty());
            let date = entry
                .published
                .or(entry.updated)
                .map(|d| d.format("%Y-%m-%d").to_string());
            // an item with a headline only is still news: code its headline
            let text = match (&body, &title) {
                (Some(b), t) => clean_lines(b, t.as_deref()),
                (None, Some(t)) => t.clone(),
                (None, None) => String::new(),
            };
            make_article(&source, url, title, date.as_deref().or(published), text)
        })
        .collect())
}

/// Text of a feed field that may hold HTML.
fn plain(value: &str) -> String {
    if value.contains('<') {
        html_to_text(value).text
    } else {
        normalize_text(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Example Wire</title>
<item><title>Talks resume in Nairobi</title><link>https://example.org/talks</link>
<pubDate>Tue, 14 May 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Envoys met in Nairobi on Monday to resume talks.&lt;/p&gt;</description></item>
<item><title>Floods close the coast road</title><link>https://example.org/floods</link></item>
<item></item>
</channel></rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example</title><id>urn:x</id><updated>2024-05-14T00:00:00Z</updated>
<entry><title>Aid convoy reaches the town</title><id>urn:1</id><link href="https://example.org/aid"/>
<published>2024-05-13T10:00:00Z</published><updated>2024-05-14T10:00:00Z</updated>
<content type="html">&lt;p&gt;A convoy of twelve trucks reached the town.&lt;/p&gt;</content></entry></feed>"#;

    #[test]
    fn rss_items_become_articles() {
        let items =
            read_feed("wire.rss", RSS, Some("2024-05-01")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(items.len(), 3);
        let a = items[0].as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.source, "wire.rss#1");
        assert_eq!(a.url.as_deref(), Some("https://example.org/talks"));
        assert_eq!(a.published.as_deref(), Some("2024-05-14"));
        assert_eq!(a.title.as_deref(), Some("Talks resume in Nairobi"));
        assert!(a.text.contains("Envoys met in Nairobi"), "{}", a.text);
        // a headline-only item keeps its headline; the user's date fills in
        let b = items[1].as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.text, "Floods close the coast road");
        assert_eq!(b.published.as_deref(), Some("2024-05-01"));
        assert!(items[2].is_err());
    }

    #[test]
    fn atom_takes_the_published_date_not_the_update() {
        let items = read_feed("x.atom", ATOM, None).unwrap_or_else(|e| panic!("{e}"));
        let a = items[0].as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.published.as_deref(), Some("2024-05-13"));
        assert!(a.text.contains("twelve trucks"));
    }

    #[test]
    fn a_broken_feed_is_one_clear_error() {
        let err = read_feed("bad.rss", "<rss><channel><item>", None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("bad.rss: not a readable RSS/Atom feed"),
            "{err}"
        );
    }
}
