//! Text normalisation, stable article ids, and the paragraph-level
//! boilerplate cleanup shared by the text and HTML paths.

use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Paragraphs shorter than this many words may be page furniture when repeated.
const SHORT_WORDS: usize = 8;
/// A first line this long (in characters) or longer is never a title.
const MAX_TITLE_CHARS: usize = 200;
/// No section label is longer than this (in bytes).
const MAX_LABEL_BYTES: usize = 40;
/// How many leading paragraphs a text dump's headline is looked for in.
const TITLE_SEARCH: usize = 15;

/// Section labels that are page furniture when they make up a whole paragraph
/// (compared case-insensitively, without a trailing colon).
const LABELS: &[&str] = &[
    "recent features",
    "related",
    "related articles",
    "related stories",
    "related content",
    "related news",
    "read more",
    "read next",
    "continue reading",
    "advertisement",
    "advert",
    "advertising",
    "comments",
    "sponsored",
    "share",
    "share this",
    "share this article",
    "share this story",
    "subscribe",
    "most popular",
    "most read",
    "trending",
    "trending now",
    "sign up",
    "follow us",
    "you may also like",
    "recommended",
    "more stories",
    "skip to content",
    "skip to main content",
];

/// Normalises text for storage and hashing: Unicode NFC, CRLF/CR → LF,
/// trailing whitespace stripped per line, runs of blank lines collapsed to
/// one, and the whole trimmed.
pub(crate) fn normalize_text(text: &str) -> String {
    // Most text is already NFC; the quick check saves re-composing it.
    let nfc: Cow<str> = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    let unified: Cow<str> = if nfc.contains('\r') {
        Cow::Owned(nfc.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        nfc
    };
    let mut out = String::with_capacity(unified.len());
    let mut pending_blank = false;
    for line in unified.split('\n') {
        let line = line.trim_end();
        let line = if out.is_empty() {
            line.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace())
        } else {
            line
        };
        if line.trim().is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if pending_blank { "\n\n" } else { "\n" });
        }
        pending_blank = false;
        out.push_str(line);
    }
    out.trim().to_string()
}

/// The stable id of an article: the first 16 hex digits of the SHA-256 of its
/// normalised text, so re-reading the same article gives the same id.
pub fn article_id(text: &str) -> String {
    let digest = Sha256::digest(normalize_text(text).as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A paragraph's comparison key: its words joined by single spaces.
fn key(paragraph: &str) -> String {
    paragraph.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a paragraph ends like a sentence (or a quotation).
fn ends_sentence(key: &str) -> bool {
    key.ends_with(['.', '!', '?', '"', '\u{201d}', '\u{2019}', '\'', '\u{2026}'])
}

/// Short (fewer than 8 words) and not ending like a sentence: a label, a site
/// name, a headline.
fn is_short_line(key: &str) -> bool {
    key.split_whitespace().count() < SHORT_WORDS && !ends_sentence(key)
}

/// Whether a paragraph is one of the common section labels.
fn is_label(key: &str) -> bool {
    let lower = key.to_lowercase();
    let bare = lower.trim_end_matches([':', ' ', '\u{a0}', '\u{bb}', '\u{203a}', '>']);
    LABELS.contains(&bare)
}

/// Splits normalised text into its non-empty, trimmed paragraphs.
fn paragraphs(normalised: &str) -> Vec<&str> {
    normalised
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Removes page furniture from text, paragraph by paragraph (paragraphs are
/// separated by blank lines), and returns the normalised remainder.
///
/// Dropped: a repeat of an earlier paragraph; a short line (fewer than 8
/// words, no sentence-final punctuation) that occurs twice or more, such as a
/// site name; any paragraph equal to `title` (the title is kept apart); and
/// common section labels ("Related", "Read more", "Advertisement", …).
pub fn clean_lines(text: &str, title: Option<&str>) -> String {
    clean_paragraphs(&normalize_text(text), title, 0)
}

/// [`clean_lines`] on normalised text, also dropping the short lines among
/// the first `chrome_before` paragraphs (the page furniture above a text
/// dump's headline). Repeats are counted over the whole text.
fn clean_paragraphs(normalised: &str, title: Option<&str>, chrome_before: usize) -> String {
    let paras = paragraphs(normalised);
    let keys: Vec<String> = paras.iter().map(|p| key(p)).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for k in &keys {
        *counts.entry(k.as_str()).or_insert(0) += 1;
    }
    let title_key = title.map(|t| key(&normalize_text(t)).to_lowercase());
    let mut seen: HashSet<&str> = HashSet::new();
    let mut kept: Vec<&str> = Vec::new();
    for (i, (para, k)) in paras.iter().zip(&keys).enumerate() {
        if i < chrome_before && k.split_whitespace().count() < SHORT_WORDS {
            continue;
        }
        if is_label(k) {
            continue;
        }
        if title_key
            .as_deref()
            .is_some_and(|t| !t.is_empty() && k.to_lowercase() == t)
        {
            continue;
        }
        if is_short_line(k) && counts.get(k.as_str()).copied().unwrap_or(0) >= 2 {
            continue;
        }
        if !seen.insert(k.as_str()) {
            continue;
        }
        kept.push(para);
    }
    kept.join("\n\n")
}

/// Tidies the paragraphs extracted from an HTML page and joins them with
/// blank lines: each is normalised, and section labels ("Related", "Read
/// more", …) and copies of `title` are dropped. Repeated paragraphs are
/// kept: the page structure already placed them in the article (table
/// rows, recipe steps), unlike in a flat text dump.
pub(crate) fn clean_html_paragraphs(paragraphs: &[String], title: Option<&str>) -> String {
    let title_key = title.map(|t| key(&normalize_text(t)).to_lowercase());
    let mut kept: Vec<String> = Vec::new();
    for para in paragraphs {
        let para = normalize_text(para);
        if para.is_empty() {
            continue;
        }
        // Labels are a few words; a copy of the title is as long as it.
        let k = key(&para);
        if k.len() <= MAX_LABEL_BYTES && is_label(&k) {
            continue;
        }
        let is_title = title_key.as_deref().is_some_and(|t| {
            !t.is_empty() && t.len().abs_diff(k.len()) <= 8 && k.to_lowercase() == t
        });
        if !is_title {
            kept.push(para);
        }
    }
    kept.join("\n\n")
}

/// Whether a paragraph could be a text file's headline: one line, shorter
/// than 200 characters, not ending with a period, not a section label.
fn is_title_like(paragraph: &str) -> bool {
    !paragraph.contains('\n')
        && paragraph.chars().count() < MAX_TITLE_CHARS
        && !paragraph.ends_with('.')
        && !is_label(&key(paragraph))
}

/// Splits a plain-text article into its title and cleaned body.
///
/// The title is taken from the leading run of one-line paragraphs (before the
/// first real paragraph): site names (very short lines repeated in the page)
/// are passed over, the most repeated remaining line wins, ties going to the
/// earliest. Short lines above the title are page furniture and are dropped.
pub(crate) fn split_text_article(text: &str) -> (Option<String>, String) {
    let normalised = normalize_text(text);
    let paras = paragraphs(&normalised);
    let keys: Vec<String> = paras.iter().map(|p| key(p)).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for k in &keys {
        *counts.entry(k.as_str()).or_insert(0) += 1;
    }
    let count = |k: &str| counts.get(k).copied().unwrap_or(0);

    // The leading run of candidate lines; at least one paragraph must follow
    // a title, so the last paragraph is never one.
    let limit = paras.len().saturating_sub(1).min(TITLE_SEARCH);
    let mut candidates: Vec<usize> = Vec::new();
    for (i, para) in paras.iter().enumerate().take(limit) {
        if para.contains('\n') || para.chars().count() >= MAX_TITLE_CHARS || para.ends_with('.') {
            break;
        }
        if is_title_like(para) {
            candidates.push(i);
        }
    }
    let site_like = |i: &usize| {
        keys.get(*i)
            .is_some_and(|k| count(k) >= 2 && k.split_whitespace().count() <= 3)
    };
    let preferred: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|i| !site_like(i))
        .collect();
    let pool = if preferred.is_empty() {
        &candidates
    } else {
        &preferred
    };
    let mut best: Option<usize> = None;
    for &i in pool {
        let better = match best {
            None => true,
            Some(b) => {
                count(keys.get(i).map_or("", String::as_str))
                    > count(keys.get(b).map_or("", String::as_str))
            }
        };
        if better {
            best = Some(i);
        }
    }

    let Some(title_at) = best else {
        return (None, clean_paragraphs(&normalised, None, 0));
    };
    let title = paras.get(title_at).map(|t| key(t)).unwrap_or_default();
    // Short lines above the headline are page furniture (site name, section).
    let cleaned = clean_paragraphs(&normalised, Some(&title), title_at);
    if cleaned.is_empty() {
        // Only a headline: keep it as the text rather than lose the article.
        return (None, clean_paragraphs(&normalised, None, 0));
    }
    (Some(title), cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_rules() {
        let raw = "  \u{feff}Line one  \r\nline two\t\r\n\r\n\r\n\r\n\n para\u{a0} \n\n";
        assert_eq!(normalize_text(raw), "Line one\nline two\n\n para");
        // NFC: e + combining acute → é
        assert_eq!(normalize_text("Cafe\u{301}"), "Caf\u{e9}");
        assert_eq!(normalize_text(" \n \n"), "");
    }

    #[test]
    fn id_is_stable_and_whitespace_insensitive_at_ends() {
        let a = article_id("Storm reaches Port Velin.\n\nRoads closed.");
        let b = article_id("\n\n  Storm reaches Port Velin.  \r\n\r\nRoads closed.\n\n\n");
        assert_eq!(a, b);
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, article_id("Storm reaches Port Velin."));
    }

    #[test]
    fn clean_lines_rules() {
        let text = "Northwind Courier\n\nHarbour Strike Ends\n\nRelated Articles\n\n\
                    Northwind Courier\n\nDockworkers voted to return.\n\n\
                    Harbour Strike Ends\n\nDockworkers voted to return.\n\nREAD MORE:\n\n\
                    The deal runs for two years.";
        assert_eq!(
            clean_lines(text, Some("Harbour Strike Ends")),
            "Dockworkers voted to return.\n\nThe deal runs for two years."
        );
        // Without a title, a repeated headline is still short and repeated.
        assert_eq!(
            clean_lines(text, None),
            "Dockworkers voted to return.\n\nThe deal runs for two years."
        );
        // Short lines seen once stay.
        assert_eq!(
            clean_lines("Quiet day\n\nNothing.", None),
            "Quiet day\n\nNothing."
        );
    }

    #[test]
    fn html_paragraphs_keep_repeats() {
        let paras: Vec<String> = [
            "Harbour Strike Ends",
            "Dockworkers voted to return.",
            "Related Articles",
            "Shift: 6 hours",
            "Shift: 6 hours",
            "Advert",
            "harbour strike ends",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect();
        assert_eq!(
            clean_html_paragraphs(&paras, Some("Harbour Strike Ends")),
            "Dockworkers voted to return.\n\nShift: 6 hours\n\nShift: 6 hours"
        );
    }

    #[test]
    fn text_title_plain() {
        let (title, body) = split_text_article("Flood Warning Issued\n\nRivers rose overnight.\n");
        assert_eq!(title.as_deref(), Some("Flood Warning Issued"));
        assert_eq!(body, "Rivers rose overnight.");
        // First line ending with a period is not a title.
        let (title, _) = split_text_article("It rained.\n\nRivers rose overnight.\n");
        assert_eq!(title, None);
        // First line not followed by a blank line is not a title.
        let (title, body) = split_text_article("Flood Warning\nRivers rose overnight.\n");
        assert_eq!(title, None);
        assert_eq!(body, "Flood Warning\nRivers rose overnight.");
        // A single line stays as text.
        let (title, body) = split_text_article("Flood Warning");
        assert_eq!(title, None);
        assert_eq!(body, "Flood Warning");
    }
}
