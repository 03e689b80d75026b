//! HTML to article text: parse with `scraper`, find the block of the page
//! that holds the article, drop page clutter and article furniture around
//! it, and emit paragraphs separated by blank lines.

mod body;
mod dom;
mod hints;

use crate::clean::{clean_html_paragraphs, normalize_text};
pub(crate) use dom::collapse;
use dom::{Dom, NONE};
use scraper::Html;

/// The text and headline extracted from an HTML page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// The headline: `og:title`, else `<title>` without its " | Site" suffix, else the first `<h1>`.
    pub title: Option<String>,
    /// The article body, paragraphs separated by blank lines, boilerplate removed.
    pub text: String,
}

/// Extracts an article's headline and body text from an HTML page.
///
/// The block of the page holding the article's running text is found by
/// scoring paragraphs and weighing `<article>`/`<main>`/`articleBody`
/// markup as evidence; inside it, clutter (navigation, share and comment
/// widgets, adverts, related links, sign-ups) and article furniture
/// (bylines, datelines, captions, credits, standfirsts) are dropped; block
/// elements become paragraphs; section labels and copies of the headline
/// are removed. Never panics, whatever the input; the tree is walked
/// without recursion.
pub fn html_to_text(html: &str) -> Extracted {
    let doc = Html::parse_document(html);
    let dom = Dom::new(&doc);
    let title = find_title(&dom);
    let paragraphs = body::extract(&dom);
    let text = clean_html_paragraphs(&paragraphs, title.as_deref());
    Extracted { title, text }
}

/// Separators between a headline and a site name in page titles.
pub(crate) const TITLE_SEPARATORS: &[&str] = &[
    " | ",
    " - ",
    " \u{2013} ",
    " \u{2014} ",
    " :: ",
    " \u{b7} ",
    " \u{bb} ",
    " \u{ab} ",
    " \u{203a} ",
    " / ",
    " // ",
    " • ",
    " || ",
];

/// The page's headline: `og:title`, else `<title>`, else the first `<h1>`.
/// When a `<h1>` matches part of the page title (the title minus a site
/// name, before or after), that part is taken; otherwise a trailing
/// " | Site" suffix is removed.
fn find_title(dom: &Dom) -> Option<String> {
    let og = (0..dom.len()).find_map(|i| {
        if dom.name(i) != Some("meta") {
            return None;
        }
        let key = dom.attr(i, "property").or_else(|| dom.attr(i, "name"))?;
        if !key.trim().eq_ignore_ascii_case("og:title") {
            return None;
        }
        let t = collapse(dom.attr(i, "content")?);
        (!t.is_empty()).then_some(t)
    });
    let in_svg = |i: usize| {
        // <svg><title> is an image caption, not the page's title.
        let mut at = dom.parent(i);
        while at != NONE {
            if dom.name(at) == Some("svg") {
                return true;
            }
            at = dom.parent(at);
        }
        false
    };
    let page_title = || {
        (0..dom.len()).find_map(|i| {
            if dom.name(i) != Some("title") || in_svg(i) {
                return None;
            }
            let t = dom.text_of(i);
            (!t.is_empty()).then_some(t)
        })
    };
    let h1s: Vec<String> = (0..dom.len())
        .filter(|&i| dom.name(i) == Some("h1"))
        .map(|i| dom.text_of(i))
        .filter(|t| !t.is_empty())
        .collect();
    let Some(raw) = og.or_else(page_title) else {
        return h1s.first().map(|t| normalize_text(t));
    };
    if let Some(part) = h1s.iter().find_map(|h1| title_part_matching(&raw, h1)) {
        return Some(normalize_text(&part));
    }
    let stripped = strip_site_suffix(&raw);
    (!stripped.is_empty()).then(|| normalize_text(&stripped))
}

/// The part of a page title that a headline (`<h1>`) confirms: the whole
/// title, or the piece before or after a separator, compared case-insensitively.
fn title_part_matching(title: &str, h1: &str) -> Option<String> {
    let wanted = h1.to_lowercase();
    if wanted.chars().count() < 4 {
        return None;
    }
    if title.to_lowercase() == wanted {
        return Some(title.to_string());
    }
    for sep in TITLE_SEPARATORS {
        for (at, _) in title.match_indices(sep) {
            let head = title.get(..at).unwrap_or("").trim();
            let tail = title.get(at + sep.len()..).unwrap_or("").trim();
            for part in [head, tail] {
                if part.to_lowercase() == wanted {
                    return Some(part.to_string());
                }
            }
        }
    }
    None
}

/// Removes a trailing " | Site" (or " - Site", " – Site", " » Site", …) from
/// a page title, when the suffix is short (a site name) or shorter than what is left.
pub(crate) fn strip_site_suffix(title: &str) -> String {
    let title = collapse(title);
    let cut = TITLE_SEPARATORS
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|at| (at, sep.len())))
        .max_by_key(|&(at, _)| at);
    if let Some((at, len)) = cut {
        let head = title.get(..at).unwrap_or("").trim();
        let tail = title.get(at + len..).unwrap_or("").trim();
        let short_tail =
            tail.split_whitespace().count() <= 4 || tail.chars().count() < head.chars().count();
        if !head.is_empty() && !tail.is_empty() && short_tail {
            return head.to_string();
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_part_confirmed_by_h1() {
        let page = "<html><head><title>Valley Post \u{bb} Dam Opens Early</title></head>\
                    <body><h1>Dam Opens Early</h1><p>The dam opened early.</p></body></html>";
        assert_eq!(html_to_text(page).title.as_deref(), Some("Dam Opens Early"));
        assert_eq!(
            title_part_matching("Dam Opens Early | Valley Post", "dam opens early").as_deref(),
            Some("Dam Opens Early")
        );
        assert_eq!(
            title_part_matching("Dam Opens Early | Valley Post", "Weather"),
            None
        );
    }

    #[test]
    fn suffixes() {
        assert_eq!(
            strip_site_suffix("Dam Opens Early | The Valley Post"),
            "Dam Opens Early"
        );
        assert_eq!(strip_site_suffix("Dam Opens Early - VP"), "Dam Opens Early");
        assert_eq!(strip_site_suffix("Plain title"), "Plain title");
        assert_eq!(
            strip_site_suffix("Vote | What the new council will change first"),
            "Vote | What the new council will change first"
        );
    }
}
