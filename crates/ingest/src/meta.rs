//! Page metadata: headline, authors, original publication date, site name,
//! canonical URL and language.
//!
//! Publishers state these in several places of unequal reliability, so each
//! field is read from the most trusted source that has it: structured data
//! (JSON-LD, OpenGraph and other `<meta>` tags, microdata), then the markup
//! (`<time>`, `<h1>`, bylines), then the URL, then visible text near the
//! headline. Dates are the *original* publication date: "updated" and
//! "modified" stamps are recognised and set aside, and every date is checked
//! against a plausible range (not before 1995, not after the crawl date).
//!
//! The page is walked once, iteratively (no recursion, so a 100,000-level
//! DOM is fine), and only its first [`MAX_HTML_BYTES`] are parsed, so the work
//! per page is bounded whatever its size.

use crate::html::{collapse, strip_site_suffix, TITLE_SEPARATORS};
use regex::Regex;
use scraper::{Html, Node};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Only this many leading bytes of a page are parsed for metadata: headers,
/// bylines and headlines sit near the top, and it bounds the work on huge pages.
pub const MAX_HTML_BYTES: usize = 3 * 1024 * 1024;
/// A JSON-LD block larger than this is not parsed as JSON (only searched).
const MAX_JSONLD_BYTES: usize = 512 * 1024;
/// At most this much visible text is kept for the date search and language detection.
const MAX_VISIBLE_TEXT: usize = 400 * 1024;
/// At most this much inline script text is searched for publication dates.
const MAX_SCRIPT_TEXT: usize = 512 * 1024;
/// At most this many descendants are read for one element's text.
const MAX_TEXT_NODES: usize = 400;
/// At most this many characters are kept of one element's text.
const MAX_ELEMENT_TEXT: usize = 400;
/// At most this many date-hinted or byline elements are examined.
const MAX_HINT_ELEMENTS: usize = 300;
/// A date in the visible text is taken as the byline date only this close
/// (in bytes) to the headline.
const NEAR_HEADLINE: usize = 1200;

/// What [`extract_metadata`] finds on a page. Every field is optional: a
/// page that does not state something leaves it empty rather than guessed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Metadata {
    /// The article's headline (not the site's name or a " | Site" suffix).
    pub title: Option<String>,
    /// The authors' names, in page order, without "By", dates or e-mail addresses.
    pub authors: Vec<String>,
    /// The original publication date, `YYYY-MM-DD` (not the last update).
    pub published: Option<String>,
    /// Where [`Metadata::published`] was found: `json-ld`, the `<meta>` key
    /// (`article:published_time`, …), `microdata`, `time`, `url`, `byline`,
    /// `text`, `script`… (for diagnostics and evaluation reports).
    pub published_source: Option<&'static str>,
    /// The publication's name (`og:site_name`, the JSON-LD publisher).
    pub site: Option<String>,
    /// The page's canonical URL (`<link rel=canonical>`, else `og:url`),
    /// made absolute against the page URL when relative.
    pub canonical_url: Option<String>,
    /// Language code (ISO 639-1 where one exists, lower case): `<html lang>`,
    /// a content-language declaration, else detected from the text.
    pub language: Option<String>,
}

impl Metadata {
    /// The authors joined with `"; "`, the form gold data and exports use.
    pub fn authors_joined(&self) -> Option<String> {
        (!self.authors.is_empty()).then(|| self.authors.join("; "))
    }
}

/// Reads a page's metadata. `url` is where the page came from, when known
/// (it holds dates on many sites and resolves relative canonical links).
/// Dates after today (UTC) are rejected as implausible.
pub fn extract_metadata(html: &str, url: Option<&str>) -> Metadata {
    extract_metadata_at(html, url, None)
}

/// Like [`extract_metadata`], with the date the page was crawled
/// (`YYYY-MM-DD` or an RFC 3339 timestamp): no publication date after it is
/// accepted. An unreadable crawl date is ignored (today is used).
pub fn extract_metadata_at(html: &str, url: Option<&str>, crawled: Option<&str>) -> Metadata {
    let html = limit_nesting(truncate(html, MAX_HTML_BYTES), MAX_DEPTH);
    let doc = Html::parse_document(&html);
    let scan = Scan::run(&doc);
    let limits = Limits::new(crawled);
    let ld = JsonLd::read(&scan.jsonld);
    let site = find_site(&scan, &ld);
    let english = scan
        .lang
        .as_deref()
        .is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
    let title = find_title(&scan, &ld, site.as_deref());
    let (published, published_source) =
        match find_date(&scan, &ld, url, &limits, english, title.as_deref()) {
            Some((date, source)) => (Some(format_date(date)), Some(source)),
            None => (None, None),
        };
    let authors = find_authors(&scan, &ld, site.as_deref());
    let canonical_url = find_canonical(&scan, url);
    let language = find_language(&scan);
    Metadata {
        title,
        authors,
        published,
        published_source,
        site,
        canonical_url,
        language,
    }
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

/// Elements nested deeper than this are flattened before parsing: the HTML
/// parser's work grows with depth × elements, and no real page nests this deep.
const MAX_DEPTH: usize = 512;

/// Elements that never hold content or whose end tag is implied by the next
/// sibling: they do not deepen the nesting count of [`limit_nesting`].
const NO_DEPTH_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody",
    "thead", "tfoot", "colgroup", "rb", "rt", "rtc", "rp", "html", "head", "body", "!doctype",
];

/// Elements whose content is raw text, skipped whole by [`limit_nesting`].
const RAW_TEXT_TAGS: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript"];

/// `html` with the start and end tags beyond nesting level `max` removed
/// (their text is kept), by a light scan of the tags; borrowed unchanged when
/// the page is not that deep.
fn limit_nesting(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut i = 0usize;
    let tag_name = |from: usize| -> &str {
        let rest = html.get(from..).unwrap_or("");
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        rest.get(..end).unwrap_or("")
    };
    while let Some(off) = bytes
        .get(i..)
        .and_then(|b| b.iter().position(|&c| c == b'<'))
    {
        let at = i + off;
        let rest = html.get(at..).unwrap_or("");
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |e| at + e + 3);
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        let end = at + close + 1;
        let closing = rest.starts_with("</");
        let name = tag_name(at + if closing { 2 } else { 1 }).to_ascii_lowercase();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!') {
            i = at + 1;
            continue;
        }
        let mut drop = false;
        // headings and <time> pass through even when too deep: they carry metadata
        let keep_deep = matches!(name.as_str(), "h1" | "h2" | "h3" | "time");
        if closing {
            if NO_DEPTH_TAGS.contains(&name.as_str()) || (dropped > 0 && keep_deep) {
                // no nesting change
            } else if dropped > 0 {
                dropped -= 1;
                drop = true;
            } else {
                depth = depth.saturating_sub(1);
            }
        } else if RAW_TEXT_TAGS.contains(&name.as_str()) {
            // skip to the matching end tag
            let after = bytes.get(end..).unwrap_or_default();
            let mut k = 0usize;
            let skip = loop {
                let Some(off) = after
                    .get(k..)
                    .and_then(|b| b.windows(2).position(|w| w == b"</"))
                else {
                    break after.len();
                };
                let at_close = k + off;
                let candidate = after.get(at_close + 2..at_close + 2 + name.len());
                if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
                    break at_close;
                }
                k = at_close + 2;
            };
            i = end + skip;
            continue;
        } else if !NO_DEPTH_TAGS.contains(&name.as_str())
            && !html.get(..end).unwrap_or("").ends_with("/>")
        {
            if depth >= max {
                if !keep_deep {
                    dropped += 1;
                    drop = true;
                }
            } else {
                depth += 1;
            }
        }
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(html.get(copied..at).unwrap_or(""));
            copied = end;
        }
        i = end;
    }
    match out {
        Some(mut o) => {
            o.push_str(html.get(copied..).unwrap_or(""));
            std::borrow::Cow::Owned(o)
        }
        None => std::borrow::Cow::Borrowed(html),
    }
}

// ---------------------------------------------------------------------------
// One pass over the DOM
// ---------------------------------------------------------------------------

/// Where an element or text sits on the page, inherited down the tree.
#[derive(Debug, Clone, Copy, Default)]
struct Ctx {
    /// Inside `<head>`.
    head: bool,
    /// Inside an element whose text is never shown (script, style, …).
    hidden: bool,
    /// Inside `<article>`, `<main>` or an article-body container.
    article: bool,
    /// Inside a `<header>` (or a headline/byline block).
    header: bool,
    /// Inside a comment thread.
    comments: bool,
    /// Inside navigation, footer, sidebar or a related-links block.
    boiler: bool,
    /// Inside an element whose class/id/itemprop marks a date.
    date_hint: bool,
    /// Inside an element whose class/id marks an update or modification date.
    updated: bool,
    /// Inside an element whose class/id/rel/itemprop marks an author.
    byline: bool,
}

/// A `<h1>` heading and where it stands.
#[derive(Debug, Clone)]
struct Heading {
    text: String,
    ctx: Ctx,
    /// Byte offset of the heading in [`Scan::text`].
    pos: usize,
}

/// A date-bearing element: `<time>`, microdata, or a date-hinted element.
#[derive(Debug, Clone)]
struct DateElem {
    kind: DateElemKind,
    /// Machine-readable values (`datetime`, `content`, `data-date`, `title`).
    attrs: Vec<String>,
    /// The element's own text (bounded).
    text: String,
    ctx: Ctx,
    /// Byte offset in [`Scan::text`] where the element starts.
    pos: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateElemKind {
    /// `itemprop="datePublished"` (or `dateCreated`), or `<time pubdate>`.
    Published,
    /// A `<time>` element.
    Time,
    /// An element whose class or id names a date or byline.
    Hinted,
}

/// A byline element's text and where it stands.
#[derive(Debug, Clone)]
struct Byline {
    text: String,
    /// Found by `itemprop=author` / `rel=author` (stronger than a class name).
    strong: bool,
    ctx: Ctx,
}

/// Everything the metadata readers need, gathered in one walk of the DOM.
#[derive(Debug, Default)]
struct Scan {
    lang: Option<String>,
    /// `<meta>` tags: (lower-case key from property/name/itemprop/http-equiv, content).
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    title_tag: Option<String>,
    h1s: Vec<Heading>,
    /// Headings and elements whose class or itemprop marks a title.
    titled: Vec<Heading>,
    jsonld: Vec<String>,
    /// Other inline scripts (bounded): page state objects often hold the date.
    scripts: String,
    date_elems: Vec<DateElem>,
    bylines: Vec<Byline>,
    /// Visible text, block elements separated by newlines.
    text: String,
    /// (start offset in `text`, context) for each text run appended.
    runs: Vec<(usize, Ctx)>,
}

/// One step of the iterative walk.
enum Step<'a> {
    Enter(ego_tree::NodeRef<'a, Node>, Ctx),
    /// Leaving an element: a block element ends a line of visible text.
    Exit(bool),
}

const HIDDEN_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "select",
    "textarea", "button", "head", "title",
];

const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

impl Scan {
    fn run(doc: &Html) -> Scan {
        let mut scan = Scan::default();
        let mut hint_elements = 0usize;
        let protected = headline_ancestors(doc);
        let mut stack: Vec<Step> = Vec::new();
        for child in doc
            .tree
            .root()
            .children()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
        {
            stack.push(Step::Enter(child, Ctx::default()));
        }
        while let Some(step) = stack.pop() {
            let (node, parent_ctx) = match step {
                Step::Exit(block) => {
                    if block && !scan.text.ends_with('\n') && scan.text.len() < MAX_VISIBLE_TEXT {
                        scan.text.push('\n');
                    }
                    continue;
                }
                Step::Enter(node, ctx) => (node, ctx),
            };
            match node.value() {
                Node::Text(t)
                    if !parent_ctx.hidden
                        && !parent_ctx.head
                        && scan.text.len() < MAX_VISIBLE_TEXT =>
                {
                    scan.runs.push((scan.text.len(), parent_ctx));
                    scan.text.push_str(t);
                }
                Node::Element(el) => {
                    let name = el.name();
                    let mut ctx = parent_ctx;
                    let class_raw = format!(
                        "{} {}",
                        el.attr("class").unwrap_or(""),
                        el.attr("id").unwrap_or("")
                    );
                    let itemprop = el.attr("itemprop").unwrap_or("").to_ascii_lowercase();
                    let rel = el.attr("rel").unwrap_or("").to_ascii_lowercase();
                    if HIDDEN_TAGS.contains(&name) {
                        ctx.hidden = true;
                    }
                    if name == "head" {
                        ctx.head = true;
                    }
                    // the page's wrappers often carry words like "sidebar" or
                    // "comments" ("has-sidebar", "comments-open"): class
                    // words do not mark the headline's ancestors as clutter
                    let wrapper = matches!(name, "html" | "body") || protected.contains(&node.id());
                    let own_date_hint =
                        update_ctx(&mut ctx, name, &class_raw, &itemprop, &rel, wrapper);
                    let pos = scan.text.len();
                    match name {
                        "html" => {
                            if let Some(l) = el.attr("lang").or_else(|| el.attr("xml:lang")) {
                                if scan.lang.is_none() && !l.trim().is_empty() {
                                    scan.lang = Some(l.trim().to_string());
                                }
                            }
                        }
                        "meta" => {
                            let content = el.attr("content").or_else(|| el.attr("value"));
                            if let Some(content) = content {
                                for key in ["property", "name", "itemprop", "http-equiv"] {
                                    if let Some(k) = el.attr(key) {
                                        scan.metas.push((
                                            k.trim().to_ascii_lowercase(),
                                            content.to_string(),
                                        ));
                                    }
                                }
                            }
                        }
                        "link"
                            if scan.canonical.is_none()
                                && rel.split_whitespace().any(|r| r == "canonical") =>
                        {
                            scan.canonical = el.attr("href").map(|h| h.trim().to_string());
                        }
                        // <svg><title> is an image caption, not the page's title
                        "title"
                            if scan.title_tag.is_none()
                                && (!parent_ctx.hidden || parent_ctx.head) =>
                        {
                            let t = element_text(node);
                            if !t.is_empty() {
                                scan.title_tag = Some(t);
                            }
                        }
                        "script" => {
                            let kind = el.attr("type").unwrap_or("").to_ascii_lowercase();
                            let mut s = String::new();
                            for c in node.children() {
                                if let Node::Text(t) = c.value() {
                                    s.push_str(t);
                                }
                            }
                            if kind.contains("ld+json") {
                                if scan.jsonld.len() < 32 {
                                    scan.jsonld.push(s);
                                }
                            } else if scan.scripts.len() + s.len() <= MAX_SCRIPT_TEXT {
                                scan.scripts.push_str(&s);
                                scan.scripts.push('\n');
                            }
                        }
                        "h1" if !ctx.hidden && scan.h1s.len() < 20 => {
                            let t = element_text(node);
                            if !t.is_empty() {
                                scan.h1s.push(Heading { text: t, ctx, pos });
                            }
                        }
                        _ => {}
                    }
                    // headings marked as the entry's title (blogs put the
                    // post title in an <h2 class="entry-title"> under an
                    // <h1> holding the blog's name)
                    if !ctx.hidden
                        && scan.titled.len() < 20
                        && matches!(name, "h1" | "h2" | "h3" | "h4" | "div" | "span" | "a")
                        && (itemprop == "headline"
                            || class_words(&class_raw)
                                .iter()
                                .any(|w| matches!(w.as_str(), "title" | "headline" | "titel")))
                    {
                        let t = element_text(node);
                        if !t.is_empty() && t.chars().count() <= 300 {
                            scan.titled.push(Heading { text: t, ctx, pos });
                        }
                    }
                    if !ctx.hidden && hint_elements < MAX_HINT_ELEMENTS {
                        let published_prop = has_sub(&itemprop, "datepublished")
                            || has_sub(&itemprop, "datecreated");
                        let kind =
                            if published_prop || (name == "time" && el.attr("pubdate").is_some()) {
                                Some(DateElemKind::Published)
                            } else if name == "time" {
                                Some(DateElemKind::Time)
                            } else if own_date_hint {
                                Some(DateElemKind::Hinted)
                            } else {
                                None
                            };
                        if let Some(kind) = kind {
                            hint_elements += 1;
                            let attrs =
                                ["datetime", "content", "data-date", "data-datetime", "title"]
                                    .iter()
                                    .filter_map(|a| el.attr(a))
                                    .map(str::to_string)
                                    .collect();
                            scan.date_elems.push(DateElem {
                                kind,
                                attrs,
                                text: spaced_text(node),
                                ctx,
                                pos,
                            });
                        }
                        let strong = has_sub(&itemprop, "author")
                            || has_sub(&itemprop, "creator")
                            || rel.split_whitespace().any(|r| r == "author");
                        if (ctx.byline && !parent_ctx.byline) || (strong && name != "link") {
                            hint_elements += 1;
                            let text = if strong && name != "a" {
                                // microdata: the `name` property inside, when there is one
                                microdata_name(node).unwrap_or_else(|| spaced_text(node))
                            } else {
                                spaced_text(node)
                            };
                            let text = if text.is_empty() {
                                el.attr("content").map(collapse).unwrap_or_default()
                            } else {
                                text
                            };
                            if !text.is_empty() {
                                scan.bylines.push(Byline { text, strong, ctx });
                            }
                        }
                    }
                    let block = !INLINE_TAGS.contains(&name);
                    stack.push(Step::Exit(block));
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push(Step::Enter(child, ctx));
                    }
                }
                _ => {}
            }
        }
        scan
    }

    /// The context of the visible text at byte offset `pos`.
    fn ctx_at(&self, pos: usize) -> Ctx {
        let i = self.runs.partition_point(|(start, _)| *start <= pos);
        i.checked_sub(1)
            .and_then(|i| self.runs.get(i))
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }

    /// The content of the first `<meta>` whose key is one of `keys` (tried in order).
    fn meta(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| {
            self.metas
                .iter()
                .find(|(key, v)| key == k && !v.trim().is_empty())
                .map(|(_, v)| collapse(v))
        })
    }
}

/// Words in class/id values that mark a comment thread.
const COMMENT_WORDS: &[&str] = &[
    "comment",
    "comments",
    "kommentar",
    "kommentare",
    "respond",
    "disqus",
    "reply",
    "replies",
];
/// Words in class/id values that mark navigation and other non-article blocks.
const BOILER_WORDS: &[&str] = &[
    "footer",
    "sidebar",
    "related",
    "widget",
    "recent",
    "popular",
    "teaser",
    "teasers",
    "breadcrumb",
    "breadcrumbs",
    "nav",
    "navigation",
    "navbar",
    "menu",
    "archive",
    "calendar",
    "recommended",
    "promo",
];
/// Words in class/id values that mark a date or dateline.
const DATE_WORDS: &[&str] = &[
    "date",
    "datum",
    "time",
    "posted",
    "publish",
    "pubdate",
    "byline",
    "dateline",
    "entry-meta",
    "post-meta",
    "article-meta",
    "postmeta",
    "meta-info",
    "fecha",
    "article-info",
    "article__info",
    "post-info",
    "postinfo",
    "submitted",
    "created",
];
/// Words in class/id values that mark an update or modification date.
const UPDATED_WORDS: &[&str] = &["update", "modif", "edited", "revis", "aktualisiert"];
/// Words in class/id values that mark an author.
const AUTHOR_WORDS: &[&str] = &[
    "author",
    "byline",
    "autor",
    "writer",
    "verfasser",
    "creator",
    "by-line",
];

/// Splits class and id values into lower-case words at non-alphanumerics
/// and camelCase boundaries (`site-footer`, `relatedPosts` → `site`,
/// `footer`, `related`, `posts`), so that `navigation` does not match inside
/// `has-navigation-arrows`' neighbour words by accident and `ad` never
/// matches `shadow`.
fn class_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && prev_lower && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            current.extend(c.to_lowercase());
        } else {
            prev_lower = false;
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// The ids of the main headline's ancestors: the first `<h1>` outside
/// navigation, footers and sidebars (tags only), up to the root.
fn headline_ancestors(doc: &Html) -> HashSet<ego_tree::NodeId> {
    let mut out = HashSet::new();
    let h1 = doc.root_element().descendants().find(|n| {
        n.value().as_element().is_some_and(|e| e.name() == "h1")
            && !n.ancestors().take(MAX_DEPTH + 8).any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "nav" | "footer" | "aside"))
            })
    });
    if let Some(h1) = h1 {
        for a in h1.ancestors().take(MAX_DEPTH + 8) {
            out.insert(a.id());
        }
    }
    out
}

/// Updates the inherited context for an element; returns whether the
/// element's own class/id/itemprop marks a date. `wrapper`: the element
/// holds the headline (or is `<html>`/`<body>`), so its class words do not
/// mark it as clutter.
fn update_ctx(
    ctx: &mut Ctx,
    name: &str,
    class_raw: &str,
    itemprop: &str,
    rel: &str,
    wrapper: bool,
) -> bool {
    match name {
        "article" | "main" => ctx.article = true,
        "header" => ctx.header = true,
        "nav" | "footer" | "aside" => ctx.boiler = true,
        _ => {}
    }
    let hits = if class_raw.trim().is_empty() {
        ClassHits::default()
    } else {
        class_hits(class_raw)
    };
    if hits.article || has_sub(itemprop, "articlebody") {
        ctx.article = true;
    }
    if hits.comments && !wrapper {
        ctx.comments = true;
    }
    if hits.boiler && !wrapper {
        ctx.boiler = true;
    }
    if hits.updated || has_sub(itemprop, "datemodified") {
        ctx.updated = true;
    }
    let own_date_hint = (hits.date && !hits.not_date) || has_sub(itemprop, "datepublished");
    if own_date_hint {
        ctx.date_hint = true;
    }
    if hits.author || has_sub(itemprop, "author") || rel.split_whitespace().any(|r| r == "author") {
        ctx.byline = true;
    }
    own_date_hint
}

/// What an element's class and id values say about it.
#[derive(Debug, Default, Clone, Copy)]
struct ClassHits {
    article: bool,
    comments: bool,
    boiler: bool,
    updated: bool,
    date: bool,
    /// A word that contains a date word but is no date ("update", "candidate").
    not_date: bool,
    author: bool,
}

/// The substrings looked for in lower-cased class and id values, each with
/// the group it marks; one automaton finds them all in one pass.
static CLASS_MATCHER: LazyLock<Option<(aho_corasick::AhoCorasick, Vec<u8>)>> =
    LazyLock::new(|| {
        const ARTICLE: u8 = 0;
        const UPDATED: u8 = 1;
        const DATE: u8 = 2;
        const NOT_DATE: u8 = 3;
        const AUTHOR: u8 = 4;
        let mut patterns: Vec<&str> = vec!["article-body"];
        let mut groups: Vec<u8> = vec![ARTICLE];
        for (list, group) in [
            (UPDATED_WORDS, UPDATED),
            (DATE_WORDS, DATE),
            (&["update", "modif", "validate", "candidate"][..], NOT_DATE),
            (AUTHOR_WORDS, AUTHOR),
        ] {
            for w in list {
                patterns.push(w);
                groups.push(group);
            }
        }
        let ac = aho_corasick::AhoCorasick::new(&patterns).ok()?;
        Some((ac, groups))
    });

fn class_hits(class_raw: &str) -> ClassHits {
    let mut hits = ClassHits::default();
    let words = class_words(class_raw);
    hits.comments = words.iter().any(|w| COMMENT_WORDS.contains(&w.as_str()));
    hits.boiler = words.iter().any(|w| BOILER_WORDS.contains(&w.as_str()));
    let lower = class_raw.to_ascii_lowercase();
    if let Some((ac, groups)) = CLASS_MATCHER.as_ref() {
        for m in ac.find_overlapping_iter(&lower) {
            match groups.get(m.pattern().as_usize()) {
                Some(0) => hits.article = true,
                Some(1) => hits.updated = true,
                Some(2) => {
                    // "time" also matches "timeline", "timer", "runtime": require a word edge
                    let word = lower.get(m.start()..m.end()).unwrap_or("");
                    let next = lower.get(m.end()..).and_then(|r| r.chars().next());
                    if word != "time" || !next.is_some_and(|c| c.is_ascii_alphabetic() && c != 's')
                    {
                        hits.date = true;
                    }
                }
                Some(3) => hits.not_date = true,
                Some(4) => hits.author = true,
                _ => {}
            }
        }
    }
    hits
}

/// Whether `haystack` contains `needle`; cheap when the haystack is empty
/// (most elements have no `itemprop` or class).
fn has_sub(haystack: &str, needle: &str) -> bool {
    !haystack.is_empty() && haystack.contains(needle)
}

/// The text under a node, whitespace collapsed, bounded in nodes read and length.
fn element_text(node: ego_tree::NodeRef<'_, Node>) -> String {
    use ego_tree::iter::Edge;
    let mut s = String::new();
    // text nodes are joined as they stand (a kicker `<span>` and its `:`
    // stay together); block elements and line breaks separate words
    let mut hidden = 0usize;
    for edge in node.traverse().take(MAX_TEXT_NODES * 2) {
        match edge {
            Edge::Open(n) | Edge::Close(n) => {
                let open = matches!(edge, Edge::Open(_));
                match n.value() {
                    Node::Text(t) if open && hidden == 0 => s.push_str(t),
                    Node::Element(e) => {
                        if matches!(e.name(), "script" | "style" | "noscript" | "template") {
                            if open {
                                hidden += 1;
                            } else {
                                hidden = hidden.saturating_sub(1);
                            }
                        } else if !INLINE_TAGS.contains(&e.name()) {
                            s.push(' ');
                        }
                    }
                    _ => {}
                }
            }
        }
        if s.len() > MAX_ELEMENT_TEXT * 2 {
            break;
        }
    }
    let c = collapse(&s);
    truncate(&c, MAX_ELEMENT_TEXT * 2).to_string()
}

/// The text under a node with a space between any two text nodes: in bylines
/// a label and a name are often separate elements with no space between
/// (`<span>Author</span><a>Jane Doe</a>`).
fn spaced_text(node: ego_tree::NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants().take(MAX_TEXT_NODES) {
        if let Node::Text(t) = d.value() {
            let hidden = d.parent().is_some_and(|p| {
                p.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript"))
            });
            if !hidden {
                s.push_str(t);
                s.push(' ');
            }
        }
        if s.len() > MAX_ELEMENT_TEXT * 2 {
            break;
        }
    }
    let c = collapse(&s);
    truncate(&c, MAX_ELEMENT_TEXT * 2).to_string()
}

/// The text of the first `itemprop="name"` element under a node (microdata
/// authors: `<span itemprop=author><span itemprop=name>…`).
fn microdata_name(node: ego_tree::NodeRef<'_, Node>) -> Option<String> {
    node.descendants().take(MAX_TEXT_NODES).find_map(|d| {
        let el = d.value().as_element()?;
        if !el
            .attr("itemprop")
            .is_some_and(|p| p.eq_ignore_ascii_case("name"))
        {
            return None;
        }
        let t = el
            .attr("content")
            .map(collapse)
            .unwrap_or_else(|| spaced_text(d));
        (!t.is_empty()).then_some(t)
    })
}

// ---------------------------------------------------------------------------
// JSON-LD
// ---------------------------------------------------------------------------

/// What the page's JSON-LD blocks say, by kind of object.
#[derive(Debug, Default)]
struct JsonLd {
    /// `datePublished` of article-like objects (NewsArticle, BlogPosting, …).
    article_dates: Vec<String>,
    /// `datePublished` / `dateCreated` / `uploadDate` of other objects.
    other_dates: Vec<String>,
    headlines: Vec<String>,
    authors: Vec<Vec<String>>,
    publisher: Option<String>,
    website_name: Option<String>,
}

/// Whether a schema.org type names an article-like creative work.
fn is_article_type(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    t.ends_with("Article")
        || matches!(
            t,
            "BlogPosting"
                | "LiveBlogPosting"
                | "SocialMediaPosting"
                | "DiscussionForumPosting"
                | "Posting"
                | "Report"
                | "Review"
                | "Blog"
                | "CreativeWork"
                | "Recipe"
                | "VideoObject"
                | "Question"
                | "PodcastEpisode"
        )
}

fn types_of(obj: &serde_json::Map<String, Value>) -> Vec<String> {
    match obj.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// The names in a JSON-LD `author` value: a string, a Person/Organization
/// object, or a list of them.
fn ld_names(v: &Value) -> Vec<String> {
    let one = |v: &Value| -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => match o.get("name") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Array(a)) => a.first().and_then(|x| x.as_str()).map(str::to_string),
                _ => {
                    let given = o.get("givenName").and_then(Value::as_str);
                    let family = o.get("familyName").and_then(Value::as_str);
                    match (given, family) {
                        (Some(g), Some(f)) => Some(format!("{g} {f}")),
                        _ => None,
                    }
                }
            },
            _ => None,
        }
    };
    match v {
        Value::Array(a) => a.iter().take(20).filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn ld_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.first().and_then(|x| x.as_str()).map(str::to_string),
        _ => None,
    }
}

static LD_DATE_PUBLISHED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]{6,60})""#).ok());
static LD_HEADLINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#""headline"\s*:\s*"((?:[^"\\]|\\.){3,400})""#).ok());

impl JsonLd {
    fn read(blocks: &[String]) -> JsonLd {
        let mut ld = JsonLd::default();
        for block in blocks {
            let block = block.trim();
            let parsed = if block.len() <= MAX_JSONLD_BYTES {
                // raw line breaks and tabs inside strings are common and
                // make strict JSON fail; outside strings they are whitespace
                let cleaned: String = block
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                let cleaned = cleaned
                    .trim()
                    .trim_start_matches("<!--")
                    .trim_start_matches("//<![CDATA[")
                    .trim_end_matches("-->")
                    .trim_end_matches("//]]>")
                    .trim()
                    .trim_end_matches(';');
                serde_json::from_str::<Value>(cleaned).ok()
            } else {
                None
            };
            match parsed {
                Some(v) => ld.walk(&v),
                None => ld.search(block),
            }
        }
        ld
    }

    /// Collects dates, headlines, authors and publisher from every object in
    /// the tree (arrays, `@graph`, nested objects), iteratively.
    fn walk(&mut self, root: &Value) {
        let mut stack: Vec<(&Value, usize)> = vec![(root, 0)];
        let mut seen = 0usize;
        while let Some((v, depth)) = stack.pop() {
            seen += 1;
            if seen > 5000 || depth > 24 {
                continue;
            }
            match v {
                Value::Array(a) => {
                    for x in a.iter().rev() {
                        stack.push((x, depth + 1));
                    }
                }
                Value::Object(o) => {
                    let types = types_of(o);
                    let article = types.iter().any(|t| is_article_type(t));
                    let is_page = types.iter().any(|t| t.ends_with("WebPage"));
                    if let Some(d) = ld_string(o.get("datePublished")) {
                        if article {
                            self.article_dates.push(d);
                        } else {
                            self.other_dates.push(d);
                        }
                    }
                    for key in ["dateCreated", "uploadDate"] {
                        if let Some(d) = ld_string(o.get(key)) {
                            self.other_dates.push(d);
                        }
                    }
                    if article || is_page {
                        if let Some(h) = ld_string(o.get("headline")) {
                            if article {
                                self.headlines.push(h);
                            }
                        }
                        if article {
                            for key in ["author", "creator"] {
                                if let Some(a) = o.get(key) {
                                    let names = ld_names(a);
                                    if !names.is_empty() {
                                        self.authors.push(names);
                                        break;
                                    }
                                }
                            }
                        }
                        if let Some(p) = o.get("publisher") {
                            if self.publisher.is_none() {
                                self.publisher = ld_names(p).into_iter().next();
                            }
                        }
                    }
                    if types.iter().any(|t| t == "WebSite") && self.website_name.is_none() {
                        self.website_name = ld_string(o.get("name"));
                    }
                    for (k, x) in o.iter() {
                        // the author and publisher objects were read above;
                        // their own dates (birthDate, foundingDate) are not the article's
                        if matches!(k.as_str(), "author" | "creator" | "publisher" | "comment") {
                            continue;
                        }
                        if matches!(x, Value::Array(_) | Value::Object(_)) {
                            stack.push((x, depth + 1));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// For a block that is not valid JSON: the first `datePublished` and `headline` values.
    fn search(&mut self, block: &str) {
        let block = truncate(block, MAX_JSONLD_BYTES);
        if let Some(re) = LD_DATE_PUBLISHED.as_ref() {
            if let Some(c) = re.captures(block).and_then(|c| c.get(1)) {
                self.other_dates.push(c.as_str().to_string());
            }
        }
        if let Some(re) = LD_HEADLINE.as_ref() {
            if let Some(c) = re.captures(block).and_then(|c| c.get(1)) {
                let raw = format!("\"{}\"", c.as_str());
                if let Ok(s) = serde_json::from_str::<String>(&raw) {
                    self.headlines.push(s);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

type Date = jiff::civil::Date;

fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The range of plausible publication dates.
struct Limits {
    min: Date,
    max: Date,
}

impl Limits {
    fn new(crawled: Option<&str>) -> Limits {
        let min = Date::new(1995, 1, 1).unwrap_or(Date::MIN);
        let today = jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date();
        let max = crawled
            .and_then(|c| parse_date_value(c, false))
            .unwrap_or(today);
        // a page published late on the crawl day in an eastern time zone
        let max = max.tomorrow().unwrap_or(max);
        Limits { min, max }
    }

    fn ok(&self, d: Date) -> bool {
        d >= self.min && d <= self.max
    }
}

fn ymd(y: i64, m: i64, d: i64) -> Option<Date> {
    let y = if (0..100).contains(&y) {
        // two-digit years: 95–99 → 1995–1999, else 20xx
        if y >= 90 {
            1900 + y
        } else {
            2000 + y
        }
    } else {
        y
    };
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// Month number of a month name or abbreviation in English, German, French,
/// Spanish, Italian, Portuguese, Dutch, the Scandinavian languages and Polish.
fn month_number(word: &str) -> Option<i64> {
    let w = word.trim_end_matches('.').to_lowercase();
    let m = match w.as_str() {
        "january" | "jan" | "januar" | "jänner" | "jän" | "janvier" | "janv" | "enero" | "ene"
        | "gennaio" | "gen" | "janeiro" | "januari" | "janúar" | "stycznia" | "styczeń"
        | "tammikuuta" => 1,
        "february" | "feb" | "febr" | "februar" | "feber" | "février" | "fevrier" | "févr"
        | "fevr" | "febrero" | "febbraio" | "fevereiro" | "fev" | "februari" | "lutego"
        | "luty" => 2,
        "march" | "mar" | "märz" | "maerz" | "mär" | "mars" | "marzo" | "março" | "marco"
        | "maart" | "marca" | "marzec" | "mrt" => 3,
        "april" | "apr" | "avril" | "avr" | "abril" | "abr" | "aprile" | "kwietnia"
        | "kwiecień" => 4,
        "may" | "mai" | "mayo" | "maggio" | "mag" | "maio" | "mei" | "maj" | "maja" => 5,
        "june" | "jun" | "juni" | "juin" | "junio" | "giugno" | "giu" | "junho" | "czerwca"
        | "czerwiec" => 6,
        "july" | "jul" | "juli" | "juillet" | "juil" | "julio" | "luglio" | "lug" | "julho"
        | "lipca" | "lipiec" => 7,
        "august" | "aug" | "août" | "aout" | "agosto" | "ago" | "augustus" | "augusti"
        | "sierpnia" | "sierpień" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "setiembre" | "settembre"
        | "set" | "setembro" | "wrzesnia" | "września" | "wrzesień" => 9,
        "october" | "oct" | "oktober" | "okt" | "octobre" | "octubre" | "ottobre" | "ott"
        | "outubro" | "out" | "października" | "październik" => 10,
        "november" | "nov" | "novembre" | "noviembre" | "novembro" | "listopada" | "listopad" => 11,
        "december" | "dec" | "dezember" | "dez" | "décembre" | "decembre" | "déc" | "dic"
        | "diciembre" | "dicembre" | "dezembro" | "grudnia" | "grudzień" => 12,
        _ => return None,
    };
    Some(m)
}

static RE_ISO: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})").ok());
static RE_NUMERIC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(\d{1,2})\s?([./-])\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})").ok());
static RE_DAY_MONTH: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(\d{1,2})(?:\.|st|nd|rd|th|er|º|°|o)?\s*(?:de\s+|of\s+|-)?(\p{L}{3,12})\.?,?\s*(?:de\s+|del\s+|-)?(\d{4})(?-u:\b)",
    )
    .ok()
});
static RE_MONTH_DAY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(\p{L}{3,12})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?-u:\b)").ok()
});
static RE_CJK: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日").ok());

fn num(s: Option<regex::Match<'_>>) -> Option<i64> {
    s?.as_str().parse().ok()
}

/// Whether the byte before `start` and the one at `end` are not digits (a
/// date must not be cut out of a longer number).
fn isolated(text: &str, start: usize, end: usize) -> bool {
    let before = text
        .get(..start)
        .and_then(|s| s.chars().next_back())
        .is_some_and(|c| c.is_ascii_digit());
    let after = text
        .get(end..)
        .and_then(|s| s.chars().next())
        .is_some_and(|c| c.is_ascii_digit());
    !before && !after
}

/// Every date written in `text`, with its byte offset, in text order.
/// `month_first` reads ambiguous numeric dates (`08/07/2019`) as month/day
/// (US usage); otherwise day/month.
fn find_dates(text: &str, month_first: bool) -> Vec<(usize, usize, Date)> {
    let mut found: Vec<(usize, usize, Date)> = Vec::new();
    if let Some(re) = RE_ISO.as_ref() {
        for c in re.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            if !isolated(text, m.start(), m.end()) {
                continue;
            }
            if let Some(d) = ymd(
                num(c.get(1)).unwrap_or(0),
                num(c.get(2)).unwrap_or(0),
                num(c.get(3)).unwrap_or(0),
            ) {
                found.push((m.start(), m.end(), d));
            }
        }
    }
    if let Some(re) = RE_NUMERIC.as_ref() {
        for c in re.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            if !isolated(text, m.start(), m.end()) {
                continue;
            }
            let (a, b, y) = (
                num(c.get(1)).unwrap_or(0),
                num(c.get(3)).unwrap_or(0),
                num(c.get(4)).unwrap_or(0),
            );
            let sep = c.get(2).map_or("", |s| s.as_str());
            // a two-digit year only with dots (07.08.19), the common European short form
            if c.get(4).is_some_and(|y| y.as_str().len() == 2) && sep != "." {
                continue;
            }
            let us = month_first && sep == "/";
            let d = if us {
                ymd(y, a, b).or_else(|| ymd(y, b, a))
            } else {
                ymd(y, b, a).or_else(|| if sep == "/" { ymd(y, a, b) } else { None })
            };
            if let Some(d) = d {
                found.push((m.start(), m.end(), d));
            }
        }
    }
    // dates with a month name: "7 August 2019" (day, month, year groups
    // 1, 2, 3) and "August 7, 2019" (month, day, year groups 1, 2, 3)
    for (re, day_group, month_group) in [(&RE_DAY_MONTH, 1, 2), (&RE_MONTH_DAY, 2, 1)] {
        let Some(re) = re.as_ref() else { continue };
        for c in re.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            let Some(month) = c.get(month_group).and_then(|w| month_number(w.as_str())) else {
                continue;
            };
            if let Some(d) = ymd(
                num(c.get(3)).unwrap_or(0),
                month,
                num(c.get(day_group)).unwrap_or(0),
            ) {
                found.push((m.start(), m.end(), d));
            }
        }
    }
    if let Some(re) = RE_CJK.as_ref() {
        for c in re.captures_iter(text) {
            let Some(m) = c.get(0) else { continue };
            if let Some(d) = ymd(
                num(c.get(1)).unwrap_or(0),
                num(c.get(2)).unwrap_or(0),
                num(c.get(3)).unwrap_or(0),
            ) {
                found.push((m.start(), m.end(), d));
            }
        }
    }
    found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    // overlapping matches (the same date seen by two patterns): keep the first
    let mut out: Vec<(usize, usize, Date)> = Vec::new();
    for f in found {
        if out.last().is_some_and(|l| f.0 < l.1) {
            continue;
        }
        out.push(f);
    }
    out
}

/// A machine-written date value (`content`, `datetime`, JSON-LD): ISO 8601
/// and its variants, compact `YYYYMMDD`, Unix time, else any written date.
fn parse_date_value(value: &str, month_first: bool) -> Option<Date> {
    let v = value.trim();
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() == v.len() {
        match digits.len() {
            8 => {
                let n: i64 = digits.parse().ok()?;
                return ymd(n / 10000, n / 100 % 100, n % 100);
            }
            10 | 13 => {
                let mut secs: i64 = digits.parse().ok()?;
                if digits.len() == 13 {
                    secs /= 1000;
                }
                let ts = jiff::Timestamp::from_second(secs).ok()?;
                return Some(jiff::tz::Offset::UTC.to_datetime(ts).date());
            }
            _ => return None,
        }
    }
    find_dates(v, month_first).first().map(|&(_, _, d)| d)
}

/// A date found in the URL: `/2019/08/07/`, `/2019-08-07`, `/20190807`,
/// `_2019_08_07`.
fn url_date(url: &str) -> Option<Date> {
    static RE_URL: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"[/_.-]((?:19|20)\d{2})[/_.-]?(\d{1,2})[/_.-]?(\d{1,2})(?:[/_.-]|$|\.html?)")
            .ok()
    });
    let path = url.split(['?', '#']).next().unwrap_or(url);
    // skip the scheme and host: a date there would be odd, and ports or IPs are not dates
    let path = path
        .find("://")
        .and_then(|i| path.get(i + 3..))
        .and_then(|rest| rest.find('/').and_then(|j| rest.get(j..)))
        .unwrap_or(path);
    let re = RE_URL.as_ref()?;
    for c in re.captures_iter(path) {
        let (Some(y), Some(m), Some(d)) = (c.get(1), c.get(2), c.get(3)) else {
            continue;
        };
        // "/2019/8/7/" and "/20190807" are dates; "/2019/087" is not
        let compact = m.start() == y.end() && d.start() == m.end();
        if compact && (m.as_str().len() != 2 || d.as_str().len() != 2) {
            continue;
        }
        if !compact && (m.start() == y.end() || d.start() == m.end()) {
            continue;
        }
        if let Some(date) = ymd(
            y.as_str().parse().ok()?,
            m.as_str().parse().ok()?,
            d.as_str().parse().ok()?,
        ) {
            return Some(date);
        }
    }
    None
}

/// `<meta>` keys that carry the original publication date, most trusted first.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "published_time",
    "datepublished",
    "article.published",
    "rnews:datepublished",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "publication_date",
    "pub_date",
    "pubdate",
    "og:pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "article.created",
    "article_date_original",
    "originalpublicationdate",
    "date_published",
    "datecreated",
    "created",
    "dc.date",
    "dcterms.date",
    "date",
    "displaydate",
];

/// Words that, just before a date, mark it as an update rather than the publication.
const UPDATE_CUES: &[&str] = &[
    "update",
    "aktualisiert",
    "geändert",
    "modified",
    "modifié",
    "mis à jour",
    "mise à jour",
    "actualizado",
    "actualización",
    "aggiornato",
    "atualizado",
    "bijgewerkt",
    "edited",
    "revised",
    "stand:",
    "last changed",
    "zuletzt",
];

/// Whether the few words before a date mark it as an update.
fn preceded_by_update(text: &str, start: usize) -> bool {
    let from = start.saturating_sub(40);
    let mut from = from;
    while from > 0 && !text.is_char_boundary(from) {
        from -= 1;
    }
    let before = text.get(from..start).unwrap_or("").to_lowercase();
    UPDATE_CUES.iter().any(|c| before.contains(c))
}

/// The first date of a date element that is not marked as an update.
fn first_published_date(text: &str, month_first: bool) -> Option<Date> {
    find_dates(text, month_first)
        .into_iter()
        .find(|&(s, _, _)| !preceded_by_update(text, s))
        .map(|(_, _, d)| d)
}

/// How much each place a date is found is trusted: lower is more trusted.
/// Dates inside blocks that look like navigation, teasers or sidebars
/// (`*_ASIDE`) come after every date outside them.
mod tier {
    pub const JSON_LD: u8 = 0;
    pub const META: u8 = 10;
    pub const JSON_LD_OTHER: u8 = 20;
    pub const META_OTHER: u8 = 25;
    pub const MICRODATA: u8 = 30;
    pub const TIME: u8 = 40;
    pub const URL: u8 = 50;
    pub const BYLINE: u8 = 60;
    pub const TEXT: u8 = 70;
    pub const GENERIC_META: u8 = 75;
    pub const TIME_ANY: u8 = 80;
    pub const TEXT_ARTICLE: u8 = 90;
    pub const TEXT_ANY: u8 = 100;
    pub const BYLINE_ASIDE: u8 = 110;
    pub const TEXT_ASIDE: u8 = 120;
    pub const TIME_ASIDE: u8 = 130;
    pub const SCRIPT: u8 = 135;
    pub const TEXT_ASIDE_ANY: u8 = 140;
}

/// A publication date in a page's script data (`"publishedAt": "…"`).
static SCRIPT_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"["'](?:datePublished|publishedAt|published_at|publishDate|publish_date|pubDate|firstPublished(?:At|Date)?|createdAt|created_at|dateCreated)["']\s*:\s*["']([^"']{8,40})["']"#,
    )
    .ok()
});

/// `<meta>` date keys that do not say which date they hold.
const GENERIC_DATE_META: &[&str] = &["date", "dc.date", "dcterms.date"];

/// One publication-date candidate: the date, where it was found, and how
/// much that place is trusted (lower tier = more trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cand {
    date: Date,
    source: &'static str,
    tier: u8,
    /// Written as a UTC timestamp with a time of day: the publisher's local
    /// date may be a day earlier or later.
    utc: bool,
}

/// A machine-written date value and whether it is a UTC time stamp.
fn parse_stamp(value: &str, month_first: bool) -> Option<(Date, bool)> {
    let d = parse_date_value(value, month_first)?;
    let v = value.trim();
    let has_time = v.contains(':');
    let utc = has_time
        && (v.ends_with(['Z', 'z'])
            || v.contains("+00:00")
            || v.contains("+0000")
            || v.contains("GMT")
            || v.contains("UTC"));
    Some((d, utc))
}

/// Every plausible publication date on the page, most trusted first.
fn date_candidates(
    scan: &Scan,
    ld: &JsonLd,
    url: Option<&str>,
    limits: &Limits,
    english: bool,
    title: Option<&str>,
    exhaustive: bool,
) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    let push =
        |out: &mut Vec<Cand>, found: Option<(Date, bool)>, source: &'static str, tier: u8| {
            if let Some((date, utc)) = found.filter(|(d, _)| limits.ok(*d)) {
                out.push(Cand {
                    date,
                    source,
                    tier,
                    utc,
                });
            }
        };
    // 1. JSON-LD of the article itself, 2. publication-date meta tags
    for v in &ld.article_dates {
        push(&mut out, parse_stamp(v, english), "json-ld", tier::JSON_LD);
    }
    for k in PUBLISHED_META {
        // a bare "date" is often the page's generation or last change date:
        // it ranks below the dates shown beside the headline
        let tier = if GENERIC_DATE_META.contains(k) {
            tier::GENERIC_META
        } else {
            tier::META
        };
        for (key, v) in &scan.metas {
            if key == k {
                push(&mut out, parse_stamp(v, english), k, tier);
            }
        }
    }
    // other publication-looking keys (`five_hundred_pixels:uploaded`, `og:release_date`)
    for (key, v) in &scan.metas {
        let published_like = ["publish", "created", "upload", "release", "issued"]
            .iter()
            .any(|w| key.contains(w));
        let changed = ["modif", "updat", "expir", "edit"]
            .iter()
            .any(|w| key.contains(w));
        if published_like && !changed && !PUBLISHED_META.contains(&key.as_str()) {
            push(
                &mut out,
                parse_stamp(v, english),
                "meta-other",
                tier::META_OTHER,
            );
        }
    }
    for v in &ld.other_dates {
        push(
            &mut out,
            parse_stamp(v, english),
            "json-ld-other",
            tier::JSON_LD_OTHER,
        );
    }
    let elem_date = |e: &DateElem| {
        e.attrs
            .iter()
            .filter_map(|a| parse_stamp(a, english))
            .find(|(d, _)| limits.ok(*d))
            .or_else(|| {
                first_published_date(&e.text, english)
                    .filter(|d| limits.ok(*d))
                    .map(|d| (d, false))
            })
    };
    let usable = |e: &&DateElem| !e.ctx.comments && !e.ctx.updated;
    // 3. microdata and <time pubdate>
    for e in scan
        .date_elems
        .iter()
        .filter(|e| e.kind == DateElemKind::Published)
        .filter(usable)
    {
        let found = elem_date(e);
        push(&mut out, found, "microdata", tier::MICRODATA);
        // unless every candidate is wanted, the first of a tier is the one used
        if found.is_some() && !exhaustive {
            break;
        }
    }
    let headline = main_heading(scan).map(|h| h.pos).or_else(|| {
        title
            .filter(|t| t.chars().count() >= 10)
            .and_then(|t| scan.text.find(t))
    });
    // 4. <time> in the article or its header, not in related links
    for e in scan
        .date_elems
        .iter()
        .filter(|e| e.kind == DateElemKind::Time)
        .filter(usable)
        .filter(|e| !e.ctx.boiler && (e.ctx.article || e.ctx.header || e.ctx.date_hint))
    {
        if !exhaustive && out.iter().any(|c| c.tier < tier::TIME) {
            break;
        }
        let found = elem_date(e);
        push(&mut out, found, "time", tier::TIME);
        if found.is_some() && !exhaustive {
            break;
        }
    }
    // 5. the URL
    push(
        &mut out,
        url.and_then(url_date).map(|d| (d, false)),
        "url",
        tier::URL,
    );
    // 6. date-marked elements (bylines, "entry-date", …), nearest the headline
    // first; those in blocks that look like navigation or teasers much later
    let mut hinted: Vec<&DateElem> = scan
        .date_elems
        .iter()
        .filter(|e| e.kind != DateElemKind::Published)
        .filter(usable)
        .collect();
    if let Some(h) = headline {
        hinted.sort_by_key(|e| e.pos.abs_diff(h));
    }
    // outside asides first: the first found there wins over any inside
    hinted.sort_by_key(|e| e.ctx.boiler);
    let skip_bylines = !exhaustive && out.iter().any(|c| c.tier < tier::BYLINE);
    for e in hinted.iter().filter(|_| !skip_bylines) {
        let tier = if e.ctx.boiler {
            tier::BYLINE_ASIDE
        } else {
            tier::BYLINE
        };
        let found = elem_date(e);
        push(&mut out, found, "byline", tier);
        if found.is_some() && !exhaustive {
            break;
        }
    }
    // the text is searched only when no better-placed date was found
    if !exhaustive && out.iter().any(|c| c.tier < tier::TEXT) {
        return out;
    }
    // 7. a date written near the headline
    let dates: Vec<(usize, Date, Ctx)> = find_dates(&scan.text, english)
        .into_iter()
        .map(|(s, _, d)| (s, d, scan.ctx_at(s)))
        .filter(|&(s, d, ctx)| limits.ok(d) && !ctx.comments && !preceded_by_update(&scan.text, s))
        .collect();
    if let Some(h) = headline {
        let mut near: Vec<&(usize, Date, Ctx)> = dates
            .iter()
            .filter(|(s, _, _)| s.abs_diff(h) <= NEAR_HEADLINE)
            .collect();
        near.sort_by_key(|(s, _, _)| s.abs_diff(h));
        for &&(_, d, ctx) in &near {
            push(
                &mut out,
                Some((d, false)),
                "text",
                if ctx.boiler {
                    tier::TEXT_ASIDE
                } else {
                    tier::TEXT
                },
            );
        }
    }
    // 8. any <time>, then the first date in the article, then in the page
    for e in scan
        .date_elems
        .iter()
        .filter(|e| e.kind == DateElemKind::Time)
        .filter(usable)
    {
        push(
            &mut out,
            elem_date(e),
            "time-any",
            if e.ctx.boiler {
                tier::TIME_ASIDE
            } else {
                tier::TIME_ANY
            },
        );
    }
    if let Some(&(_, d, _)) = dates.iter().find(|(_, _, c)| c.article && !c.boiler) {
        push(
            &mut out,
            Some((d, false)),
            "text-article",
            tier::TEXT_ARTICLE,
        );
    }
    if let Some(&(_, d, _)) = dates.iter().find(|(_, _, c)| !c.boiler) {
        push(&mut out, Some((d, false)), "text-any", tier::TEXT_ANY);
    }
    if let Some(re) = SCRIPT_DATE.as_ref() {
        if let Some(v) = re.captures(&scan.scripts).and_then(|c| c.get(1)) {
            push(
                &mut out,
                parse_stamp(v.as_str(), false),
                "script",
                tier::SCRIPT,
            );
        }
    }
    if let Some(&(_, d, _)) = dates.first() {
        push(
            &mut out,
            Some((d, false)),
            "text-boiler",
            tier::TEXT_ASIDE_ANY,
        );
    }
    out
}

/// Picks the publication date from the candidates: the most trusted one,
/// except that a UTC time stamp yields to a local date one day off (the
/// publisher's own calendar day), found in the URL or the page.
fn choose_date(cands: &[Cand]) -> Option<Cand> {
    let best = cands.iter().min_by_key(|c| c.tier)?;
    // only machine-written local dates and the URL correct a UTC stamp:
    // dates in the text are too often another article's
    let near = |c: &&Cand| {
        matches!(
            c.tier,
            tier::META | tier::MICRODATA | tier::URL | tier::GENERIC_META
        ) && !c.utc
            && c.date != best.date
            && (c.date.tomorrow().ok() == Some(best.date)
                || c.date.yesterday().ok() == Some(best.date))
    };
    if best.utc {
        if let Some(local) = cands.iter().find(near) {
            return Some(*local);
        }
    }
    Some(*best)
}

fn find_date(
    scan: &Scan,
    ld: &JsonLd,
    url: Option<&str>,
    limits: &Limits,
    english: bool,
    title: Option<&str>,
) -> Option<(Date, &'static str)> {
    let cands = date_candidates(scan, ld, url, limits, english, title, false);
    choose_date(&cands).map(|c| (c.date, c.source))
}

/// Diagnostics for evaluation and debugging: every date candidate on a page
/// (`tier source date utc`), then the page's headings and date elements as
/// the metadata reader saw them. Not a stable format.
#[doc(hidden)]
pub fn meta_debug(html: &str, url: Option<&str>) -> Vec<String> {
    let html = limit_nesting(truncate(html, MAX_HTML_BYTES), MAX_DEPTH);
    let doc = Html::parse_document(&html);
    let scan = Scan::run(&doc);
    let ld = JsonLd::read(&scan.jsonld);
    let limits = Limits::new(None);
    let english = scan
        .lang
        .as_deref()
        .is_some_and(|l| l.to_ascii_lowercase().starts_with("en"));
    let site = find_site(&scan, &ld);
    let title = find_title(&scan, &ld, site.as_deref());
    let mut out: Vec<String> =
        date_candidates(&scan, &ld, url, &limits, english, title.as_deref(), true)
            .iter()
            .map(|c| {
                format!(
                    "cand\t{}\t{}\t{}{}",
                    c.tier,
                    c.source,
                    format_date(c.date),
                    if c.utc { "\tutc" } else { "" }
                )
            })
            .collect();
    for h in &scan.h1s {
        out.push(format!("h1\t{:?}\t{}\t{:?}", h.ctx, h.pos, h.text));
    }
    let flags = |c: &Ctx| {
        format!(
            "{}{}{}{}",
            if c.article { "A" } else { "" },
            if c.header { "H" } else { "" },
            if c.boiler { "B" } else { "" },
            if c.comments { "C" } else { "" }
        )
    };
    let mut tc = |kind: &str, text: Option<&str>| {
        if let Some(t) = text {
            out.push(format!("tc\t{kind}\t{}", collapse(t)));
        }
    };
    tc("og", scan.meta(&["og:title"]).as_deref());
    tc("twitter", scan.meta(&["twitter:title"]).as_deref());
    tc("ld", ld.headlines.first().map(String::as_str));
    tc("title", scan.title_tag.as_deref());
    tc("site", site.as_deref());
    tc("chosen", title.as_deref());
    for h in &scan.h1s {
        out.push(format!("tc\th1-{}\t{}", flags(&h.ctx), h.text));
    }
    for h in &scan.titled {
        out.push(format!("tc\tcls-{}\t{}", flags(&h.ctx), h.text));
    }
    for e in &scan.date_elems {
        out.push(format!(
            "elem\t{:?}\t{:?}\t{:?}\t{:?}",
            e.kind,
            e.attrs,
            truncate(&e.text, 120),
            e.ctx
        ));
    }
    for b in &scan.bylines {
        out.push(format!("byline\t{}\t{:?}\t{:?}", b.strong, b.text, b.ctx));
        out.push(format!(
            "ac\tbyline-{}{}\t{}",
            if b.strong { "S" } else { "" },
            flags(&b.ctx),
            b.text
        ));
    }
    for names in &ld.authors {
        out.push(format!("ac\tld\t{}", names.join("; ")));
    }
    for (k, v) in &scan.metas {
        if k.contains("author") || k.contains("creator") || k == "byl" {
            out.push(format!("ac\tmeta-{k}\t{}", collapse(v)));
        }
    }
    out.push(format!(
        "ac\tchosen\t{}",
        find_authors(&scan, &ld, site.as_deref()).join("; ")
    ));
    out
}

// ---------------------------------------------------------------------------
// Title
// ---------------------------------------------------------------------------

/// The `<h1>` most likely to be the headline: the first inside the article,
/// else the first outside navigation and the page header.
fn main_heading(scan: &Scan) -> Option<&Heading> {
    scan.h1s
        .iter()
        .find(|h| h.ctx.article && !h.ctx.boiler && !h.ctx.comments)
        .or_else(|| scan.h1s.iter().find(|h| !h.ctx.boiler && !h.ctx.header))
        .or_else(|| scan.h1s.iter().find(|h| !h.ctx.boiler))
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Lower-case letters and digits only: the form in which two spellings of
/// one headline (typographic quotes, spacing, case) compare equal.
fn title_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A title and every piece of it between separators.
fn title_pieces(title: &str) -> Vec<String> {
    let mut out = vec![collapse(title)];
    for sep in TITLE_SEPARATORS {
        for part in title.split(sep) {
            let p = collapse(part);
            if !p.is_empty() && !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Removes a known site name (`Headline | Site`, `Site - Headline`) from a title.
fn strip_known_site(title: &str, sites: &[String]) -> String {
    let title = collapse(title);
    let low = title.to_lowercase();
    for site in sites.iter().filter(|s| !s.is_empty()) {
        let site_low = site.to_lowercase();
        for sep in TITLE_SEPARATORS {
            let suffix = format!("{sep}{site_low}");
            if low.ends_with(&suffix) && low.len() > suffix.len() {
                if let Some(head) = title
                    .len()
                    .checked_sub(suffix.len())
                    .and_then(|n| title.get(..n))
                {
                    return head.trim().to_string();
                }
            }
            let prefix = format!("{site_low}{sep}");
            if low.starts_with(&prefix) && low.len() > prefix.len() {
                if let Some(tail) = title.get(prefix.len()..) {
                    return tail.trim().to_string();
                }
            }
        }
    }
    title
}

/// The headline. Publishers' visible headline (`<h1>`, or a heading marked
/// as the entry title) is preferred when it stands in the article and is
/// confirmed by the structured titles (`og:title`, JSON-LD `headline`,
/// `<title>`); otherwise `og:title`, the JSON-LD headline or `<title>`,
/// without the site's name, are taken.
fn find_title(scan: &Scan, ld: &JsonLd, site: Option<&str>) -> Option<String> {
    let og = scan.meta(&["og:title", "twitter:title"]);
    let headline = ld.headlines.first().map(|h| collapse(h));
    let page_title = scan.title_tag.as_deref().map(collapse);
    // the site's names: declared, and what <title> adds after og:title
    let mut sites: Vec<String> = site.map(collapse).into_iter().collect();
    if let (Some(t), Some(o)) = (page_title.as_deref(), og.as_deref()) {
        if let (Some(rest), true) = (
            t.get(o.len()..),
            t.to_lowercase().starts_with(&o.to_lowercase()),
        ) {
            let rest = rest.trim();
            for sep in TITLE_SEPARATORS {
                if let Some(name) = rest.strip_prefix(sep.trim()) {
                    let name = name.trim();
                    if !name.is_empty() {
                        sites.push(name.to_string());
                    }
                }
            }
        }
    }
    let site_key = site.map(title_key).filter(|k| !k.is_empty());
    let refs: Vec<&str> = [og.as_deref(), headline.as_deref(), page_title.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let ref_pieces: Vec<String> = refs
        .iter()
        .flat_map(|r| title_pieces(r))
        .map(|p| title_key(&p))
        .filter(|k| !k.is_empty())
        .collect();
    let ref_keys: Vec<String> = refs.iter().map(|r| title_key(r)).collect();
    // the first and last pieces of a <title> with separators: where site names stand
    let end_pieces: Vec<String> = page_title
        .as_deref()
        .map(|t| {
            let pieces = title_pieces(t);
            let parts: Vec<&String> = pieces.iter().skip(1).collect();
            if parts.len() >= 2 {
                [parts.first(), parts.last()]
                    .into_iter()
                    .flatten()
                    .map(|p| title_key(p))
                    .collect()
            } else {
                Vec::new()
            }
        })
        .unwrap_or_default();
    // score the headings: where they stand, and whether a structured title confirms them
    let headings = scan
        .h1s
        .iter()
        .map(|h| (h, false))
        .chain(scan.titled.iter().map(|h| (h, true)));
    let mut best: Option<(i32, &str)> = None;
    for (i, (h, by_class)) in headings.enumerate() {
        let key = title_key(&h.text);
        if key.is_empty() {
            continue;
        }
        let c = h.ctx;
        let mut score: i32 = 0;
        if c.article {
            score += 200;
        }
        if c.boiler {
            score -= 300;
        }
        if c.comments {
            score -= 600;
        }
        if c.header && !c.article {
            score -= 100;
        }
        if by_class {
            score -= 100;
        }
        if ref_pieces.contains(&key) {
            score += 300;
        } else if ref_keys
            .iter()
            .any(|r| r.contains(&key) || (r.chars().count() > 10 && key.contains(r.as_str())))
        {
            score += 200;
        }
        if site_key.as_deref() == Some(key.as_str())
            || (c.header && !c.article && end_pieces.contains(&key))
        {
            // the site's name (a logo heading repeating the end of <title>)
            score -= 600;
        }
        score -= i32::try_from(i).unwrap_or(i32::MAX).min(99);
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, h.text.as_str()));
        }
    }
    if let Some((score, text)) = best {
        if score >= 100 {
            return Some(text.to_string());
        }
    }
    let not_site = |t: &String| !t.is_empty() && site_key.as_deref() != Some(title_key(t).as_str());
    let structured = [
        og.as_deref().map(|t| strip_known_site(t, &sites)),
        headline.clone(),
        page_title
            .as_deref()
            .map(|t| strip_known_site(&strip_site_suffix(t), &sites)),
    ];
    structured
        .into_iter()
        .flatten()
        .find(not_site)
        .or_else(|| best.map(|(_, t)| t.to_string()))
}

// ---------------------------------------------------------------------------
// Authors
// ---------------------------------------------------------------------------

/// Names that are not authors.
const JUNK_AUTHORS: &[&str] = &[
    "by",
    "von",
    "par",
    "por",
    "di",
    "door",
    "author",
    "autor",
    "autorin",
    "authors",
    "admin",
    "administrator",
    "staff",
    "editor",
    "editors",
    "unknown",
    "anonymous",
    "anonym",
    "guest",
    "facebook",
    "twitter",
    "instagram",
    "linkedin",
    "whatsapp",
    "email",
    "e-mail",
    "share",
    "teilen",
    "home",
    "more",
    "mehr",
    "posts",
    "artikel",
    "articles",
    "news",
    "web",
    "webmaster",
    "user",
    "null",
    "none",
];

/// Words that introduce a name in a byline.
const BYLINE_PREFIXES: &[&str] = &[
    "view all posts by",
    "show all articles of",
    "show all articles by",
    "all articles by",
    "all posts by",
    "see all posts by",
    "more posts by",
    "more from",
    "zeige alle beiträge von",
    "alle beiträge von",
    "alle artikel von",
    "weitere artikel von",
    "mehr von",
    "post author",
    "written by",
    "posted by",
    "posted on by",
    "published by",
    "reported by",
    "story by",
    "words by",
    "geschrieben von",
    "verfasst von",
    "veröffentlicht von",
    "publiziert von",
    "erstellt von",
    "eingestellt von",
    "ein beitrag von",
    "ein artikel von",
    "beitrag von",
    "beitragvon",
    "artikel von",
    "text von",
    "publié par",
    "écrit par",
    "publicado por",
    "escrito por",
    "pubblicato da",
    "scritto da",
    "gepubliceerd door",
    "geschreven door",
    "interview:",
    "text:",
    "texte:",
    "author:",
    "authors:",
    "autor:",
    "autorin:",
    "autoren:",
    "auteur:",
    "redakteur:",
    "redaktion:",
    "von:",
    "by:",
    "author",
    "autor",
    "autorin",
    "by",
    "von",
    "vom",
    "par",
    "por",
    "di",
    "door",
    "av",
    "af",
    "©",
    "(c)",
];

/// Words that end a name in a byline: what follows is a date, a label or a link.
const BYLINE_STOP_WORDS: &[&str] = &[
    "am",
    "on",
    "le",
    "el",
    "il",
    "um",
    "at",
    "stand",
    "stand:",
    "veröffentlicht",
    "published",
    "aktualisiert",
    "updated",
    "follow",
    "folgen",
    "mehr",
    "more",
    "|",
    "•",
    "·",
    "-",
    "–",
    "—",
    "mo",
    "di",
    "mi",
    "do",
    "fr",
    "sa",
    "so",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "vor",
    "ago",
    "uhr",
    "posted",
    "in",
    "→",
    "»",
    "«",
    "datum",
    "alle",
    "alles",
    "kontakt",
    "mitglied",
    "weitere",
    "show",
    "view",
    "foto:",
    "fotos:",
    "photo:",
    "bild:",
    "quelle:",
    "source:",
];

/// Words of a label after which a byline names its author ("Text & Fotos:").
const AUTHOR_LABELS: &[&str] = &[
    "text",
    "texte",
    "foto",
    "fotos",
    "photo",
    "photos",
    "bild",
    "bilder",
    "interview",
    "autor",
    "autorin",
    "autoren",
    "author",
    "authors",
    "auteur",
    "von",
    "by",
    "redaktion",
    "words",
    "story",
    "reporter",
    "recherche",
    "verfasser",
];

/// Texts of byline elements that are labels, not names.
const BYLINE_LABELS: &[&str] = &[
    "posted",
    "published",
    "publiziert",
    "veröffentlicht",
    "datum",
    "date",
    "afficher",
    "about the author",
    "über den autor",
    "über die autorin",
    "a note from",
    "archiv anzeigen",
    "alle artikel",
    "weiter",
    "weitere artikel",
    "view my complete profile",
    "no author",
    "mehr",
    "profil",
    "profile",
];

/// A cleaned author name, or `None` when the text is not a name.
fn clean_author(raw: &str) -> Option<String> {
    let mut s = collapse(raw);
    // strip prefixes ("By", "Von", "Autor:") repeatedly ("Posted by: …")
    for _ in 0..4 {
        let low = s.to_lowercase();
        let mut changed = false;
        for p in BYLINE_PREFIXES {
            let Some(rest) = low.strip_prefix(p) else {
                continue;
            };
            let next = rest.chars().next();
            let word_edge = p.ends_with([':', '©', ')'])
                || next.is_none_or(|c| !c.is_alphanumeric())
                // "AuthorJane Doe", "vonChris": a label glued to a capitalised name
                || (p.len() > 3 && s.get(p.len()..).and_then(|r| r.chars().next()).is_some_and(char::is_uppercase));
            // the lower-cased text must have kept its byte positions
            if word_edge && low.len() == s.len() {
                s = s
                    .get(p.len()..)
                    .unwrap_or("")
                    .trim_start_matches([':', ' ', '-', '–', '|', '\u{a0}'])
                    .trim()
                    .to_string();
                changed = true;
                break;
            }
        }
        if !changed {
            break;
        }
    }
    // "Text & Fotos: Name", "Datum: 19.11.2021 Autor: Name": the name
    // follows the last label that announces an author
    let mut search_from = 0;
    while let Some(rel) = s.get(search_from..).and_then(|r| r.find(": ")) {
        let at = search_from + rel;
        let label = s.get(..at).unwrap_or("");
        let last_words: Vec<String> = label
            .split_whitespace()
            .rev()
            .take(3)
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect();
        if last_words
            .iter()
            .any(|w| AUTHOR_LABELS.contains(&w.as_str()))
        {
            s = s.get(at + 2..).unwrap_or("").trim().to_string();
            search_from = 0;
        } else {
            search_from = at + 2;
        }
    }
    // "Posted on 21 September 2020 by Name"
    if let Some(&(start, end, _)) = find_dates(&s, false).first() {
        let after = s.get(end..).unwrap_or("");
        let low_after = after.to_lowercase();
        for marker in [" by ", " von ", " par ", " por ", " door ", " di "] {
            if let Some(m) = low_after.find(marker) {
                if low_after.len() == after.len() && start < 40 {
                    s = after
                        .get(m + marker.len()..)
                        .unwrap_or("")
                        .trim()
                        .to_string();
                }
                break;
            }
        }
    }
    // cut at a date, then at the first word that starts another field
    if let Some(&(start, _, _)) = find_dates(&s, false).first() {
        s = s.get(..start).unwrap_or("").to_string();
    }
    let mut kept: Vec<&str> = Vec::new();
    for word in s.split_whitespace() {
        if word == "," && !kept.is_empty() {
            break;
        }
        let low = word.trim_end_matches([',', ';', '.']).to_lowercase();
        if !kept.is_empty() && BYLINE_STOP_WORDS.contains(&low.as_str()) {
            break;
        }
        if word.chars().any(|c| c.is_ascii_digit()) && !kept.is_empty() {
            break;
        }
        kept.push(word);
    }
    let s = kept.join(" ");
    let s = s
        .trim_matches(|c: char| {
            matches!(
                c,
                ',' | ':' | '|' | '-' | '–' | '/' | '(' | ')' | '@' | '·' | '•' | '»' | '→'
            ) || c.is_whitespace()
        })
        .to_string();
    if s.is_empty() || s.chars().count() > 70 || s.split_whitespace().count() > 8 {
        return None;
    }
    let low = s.to_lowercase();
    if JUNK_AUTHORS.contains(&low.as_str())
        || BYLINE_LABELS.contains(&low.as_str())
        || low.contains("://")
        || low.starts_with("www.")
        || low.contains('@') && low.contains('.')
        || !s.chars().any(char::is_alphabetic)
        || s.chars().filter(char::is_ascii_digit).count() > 2
        || low.starts_with("name ")
        || low == "name"
    {
        return None;
    }
    Some(s)
}

/// A host name such as `tagesschau.de` or `ORF.at` (a publication, not a person).
fn looks_like_domain(s: &str) -> bool {
    let s = s.trim();
    if s.contains(char::is_whitespace) {
        return false;
    }
    let Some((head, tld)) = s.rsplit_once('.') else {
        return false;
    };
    !head.is_empty() && (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic())
}

/// `<meta>` keys that name the author.
const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "article:author_name",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
    "citation_author",
];

/// The authors: JSON-LD, then `<meta>` author tags, then byline elements
/// (microdata and `rel=author` before class names; outside sidebars and
/// teasers before inside; never comment authors). A name equal to the
/// site's name is kept only when nothing else names a person.
fn find_authors(scan: &Scan, ld: &JsonLd, site: Option<&str>) -> Vec<String> {
    // the publication's own names: a byline naming them names no person
    let publisher_keys: Vec<String> = [site, ld.publisher.as_deref(), ld.website_name.as_deref()]
        .into_iter()
        .flatten()
        .map(title_key)
        .filter(|k| !k.is_empty())
        .collect();
    let mut fallback: Vec<String> = Vec::new();
    let mut accept = |names: Vec<String>| -> Option<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for n in names {
            if let Some(c) = clean_author(&n) {
                if !out.iter().any(|o| same_text(o, &c)) {
                    out.push(c);
                }
            }
        }
        if out.is_empty() {
            return None;
        }
        let is_site = out.len() == 1
            && out
                .first()
                .is_some_and(|o| publisher_keys.contains(&title_key(o)) || looks_like_domain(o));
        if is_site {
            if fallback.is_empty() {
                fallback = out;
            }
            return None;
        }
        Some(out)
    };
    for names in &ld.authors {
        if let Some(found) = accept(names.clone()) {
            return found;
        }
    }
    let from_meta = AUTHOR_META
        .iter()
        .flat_map(|k| {
            scan.metas
                .iter()
                .filter(move |(key, _)| key == k)
                .map(|(_, v)| v.clone())
        })
        .chain(
            scan.metas
                .iter()
                .filter(|(k, _)| k.ends_with("author_name") || k.ends_with("author-name"))
                .map(|(_, v)| v.clone()),
        )
        .find(|v| !v.contains("://") && !v.trim().is_empty());
    if let Some(v) = from_meta {
        if let Some(found) = accept(vec![v]) {
            return found;
        }
    }
    let bylines = |strong: bool, aside: bool| {
        scan.bylines
            .iter()
            .filter(move |b| !b.ctx.comments && b.strong == strong && b.ctx.boiler == aside)
            .map(|b| b.text.clone())
            .collect::<Vec<_>>()
    };
    for aside in [false, true] {
        // microdata and rel=author may list several authors
        if let Some(found) = accept(bylines(true, aside)) {
            return found;
        }
        for text in bylines(false, aside) {
            if let Some(found) = accept(vec![text]) {
                return found;
            }
        }
    }
    fallback
}

// ---------------------------------------------------------------------------
// Site, canonical URL, language
// ---------------------------------------------------------------------------

fn find_site(scan: &Scan, ld: &JsonLd) -> Option<String> {
    scan.meta(&[
        "og:site_name",
        "application-name",
        "publisher",
        "dc.publisher",
    ])
    .or_else(|| ld.publisher.as_deref().map(collapse))
    .or_else(|| ld.website_name.as_deref().map(collapse))
    .filter(|s| !s.is_empty() && s.chars().count() <= 100)
}

fn find_canonical(scan: &Scan, url: Option<&str>) -> Option<String> {
    let raw = scan
        .canonical
        .clone()
        .filter(|c| !c.is_empty())
        .or_else(|| scan.meta(&["og:url"]))?;
    if raw.contains("://") {
        return Some(raw);
    }
    let base = url?;
    let scheme_end = base.find("://")? + 3;
    if let Some(rest) = raw.strip_prefix("//") {
        let scheme = base.get(..scheme_end)?;
        return Some(format!("{scheme}{rest}"));
    }
    let host_end = base
        .get(scheme_end..)?
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let origin = base.get(..host_end)?;
    if raw.starts_with('/') {
        Some(format!("{origin}{raw}"))
    } else {
        let dir_end = base
            .rfind('/')
            .filter(|&i| i >= host_end)
            .unwrap_or(host_end);
        Some(format!("{}/{raw}", base.get(..dir_end)?))
    }
}

/// A language tag cut to its primary subtag, lower case (`de-DE` → `de`).
fn primary_subtag(tag: &str) -> Option<String> {
    let t = tag.trim().split([',', ';']).next()?.trim();
    let primary = t.split(['-', '_']).next()?.to_ascii_lowercase();
    let valid = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase());
    valid.then_some(primary)
}

/// ISO 639-1 for the languages whatlang names by ISO 639-3.
fn iso639_1(code3: &str) -> &str {
    match code3 {
        "eng" => "en",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" => "nl",
        "pol" => "pl",
        "rus" => "ru",
        "ukr" => "uk",
        "ces" => "cs",
        "slk" => "sk",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "nb",
        "fin" => "fi",
        "hun" => "hu",
        "ron" => "ro",
        "tur" => "tr",
        "ell" => "el",
        "bul" => "bg",
        "hrv" => "hr",
        "srp" => "sr",
        "slv" => "sl",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "ara" => "ar",
        "heb" => "he",
        "hin" => "hi",
        "pes" => "fa",
        "vie" => "vi",
        "ind" => "id",
        "tha" => "th",
        "epo" => "eo",
        "cat" => "ca",
        "bel" => "be",
        "aze" => "az",
        "ben" => "bn",
        "urd" => "ur",
        other => other,
    }
}

fn find_language(scan: &Scan) -> Option<String> {
    let declared = scan.lang.as_deref().and_then(primary_subtag).or_else(|| {
        scan.meta(&["content-language", "language", "dc.language", "og:locale"])
            .as_deref()
            .and_then(primary_subtag)
    });
    if declared.is_some() {
        return declared;
    }
    let sample = truncate(&scan.text, 4_000);
    let info = whatlang::detect(sample)?;
    info.is_reliable()
        .then(|| iso639_1(info.lang().code()).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(html: &str, url: Option<&str>) -> Option<String> {
        extract_metadata_at(html, url, Some("2024-01-01")).published
    }

    #[test]
    fn json_ld_published_beats_modified() {
        let html = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","datePublished":"2019-01-01","dateModified":"2020-02-02"},
              {"@type":"NewsArticle","headline":"Rain in Spain","dateModified":"2019-08-09T10:00:00Z",
               "datePublished":"2019-08-07T10:00:00+02:00","author":[{"@type":"Person","name":"Ana Ruiz"},{"@type":"Person","name":"Tom Lee"}]}
            ]}</script>
            <meta property="article:modified_time" content="2019-08-09"></head>
            <body><h1>Rain in Spain</h1><p>Updated 9 August 2019</p></body></html>"#;
        let m = extract_metadata_at(html, None, Some("2024-01-01"));
        assert_eq!(m.published.as_deref(), Some("2019-08-07"));
        assert_eq!(m.published_source, Some("json-ld"));
        assert_eq!(
            m.authors,
            vec!["Ana Ruiz".to_string(), "Tom Lee".to_string()]
        );
        assert_eq!(m.authors_joined().as_deref(), Some("Ana Ruiz; Tom Lee"));
        assert_eq!(m.title.as_deref(), Some("Rain in Spain"));
    }

    #[test]
    fn opengraph_meta_date_and_site() {
        let html = r#"<html lang="en-GB"><head>
            <meta property="og:updated_time" content="2021-05-05T00:00:00Z">
            <meta property="article:published_time" content="2021-03-04T08:00:00Z">
            <meta property="og:site_name" content="The Daily">
            <meta property="og:title" content="Bridge reopens | The Daily">
            <link rel="canonical" href="/news/bridge"></head><body><p>x</p></body></html>"#;
        let m = extract_metadata_at(
            html,
            Some("https://daily.example/a?b=1"),
            Some("2024-01-01"),
        );
        assert_eq!(m.published.as_deref(), Some("2021-03-04"));
        assert_eq!(m.site.as_deref(), Some("The Daily"));
        assert_eq!(m.title.as_deref(), Some("Bridge reopens"));
        assert_eq!(m.language.as_deref(), Some("en"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://daily.example/news/bridge")
        );
    }

    #[test]
    fn url_dates() {
        let html = "<html><body><h1>Hello</h1><p>No date here.</p></body></html>";
        assert_eq!(
            date(html, Some("https://blog.example/2019/08/07/hello/")).as_deref(),
            Some("2019-08-07")
        );
        assert_eq!(
            date(html, Some("https://x.example/news/20190807-hello.html")).as_deref(),
            Some("2019-08-07")
        );
        assert_eq!(date(html, Some("https://x.example/item/2019087")), None);
        assert_eq!(url_date("https://x.example/2019/13/45/a"), None);
    }

    #[test]
    fn german_date_text_near_headline() {
        let html = r#"<html lang="de"><body><nav>Archiv 01.01.2015</nav>
            <article><h1>Neue Brücke eröffnet</h1>
            <div class="info">Veröffentlicht am 7. August 2019, zuletzt aktualisiert 9. August 2019</div>
            <p>Die Brücke ist offen.</p></article></body></html>"#;
        assert_eq!(date(html, None).as_deref(), Some("2019-08-07"));
        assert_eq!(
            find_dates("am 07.08.2019 und 3. März 2020", false)
                .iter()
                .map(|&(_, _, d)| format_date(d))
                .collect::<Vec<_>>(),
            vec!["2019-08-07", "2020-03-03"]
        );
        assert_eq!(
            parse_date_value("August 7, 2019", true)
                .map(format_date)
                .as_deref(),
            Some("2019-08-07")
        );
        assert_eq!(
            parse_date_value("7 de agosto de 2019", false)
                .map(format_date)
                .as_deref(),
            Some("2019-08-07")
        );
        assert_eq!(
            parse_date_value("7 août 2019", false)
                .map(format_date)
                .as_deref(),
            Some("2019-08-07")
        );
    }

    #[test]
    fn implausible_dates_are_rejected() {
        let html = r#"<html><head><meta name="date" content="2031-01-01">
            <meta name="pubdate" content="1990-05-05"></head><body><h1>T</h1></body></html>"#;
        assert_eq!(date(html, None), None);
    }

    #[test]
    fn author_junk_is_filtered() {
        assert_eq!(clean_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            clean_author("Von Max Muster | 07.08.2019").as_deref(),
            Some("Max Muster")
        );
        assert_eq!(clean_author("Staff"), None);
        assert_eq!(clean_author("jane@example.com"), None);
        assert_eq!(clean_author("https://example.com/jane"), None);
        assert_eq!(clean_author("07.08.2019"), None);
        assert_eq!(
            clean_author("View all posts by Jane Doe →").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(
            clean_author("AuthorAndreas Kalt").as_deref(),
            Some("Andreas Kalt")
        );
        assert_eq!(
            clean_author("Sara Zinnecker Stand: 12.03.2021").as_deref(),
            Some("Sara Zinnecker")
        );
        assert_eq!(
            clean_author("Perry Bacon Jr.").as_deref(),
            Some("Perry Bacon Jr.")
        );
        let html = r#"<html><head><meta name="author" content="Staff"></head><body>
            <article><h1>T</h1><span class="byline">By Jane Doe</span></article></body></html>"#;
        assert_eq!(
            extract_metadata(html, None).authors,
            vec!["Jane Doe".to_string()]
        );
    }

    #[test]
    fn title_without_site_suffix() {
        let html = r#"<html><head><title>Flood warning lifted - Example News</title></head>
            <body><header><h1>Example News</h1></header><p>Text.</p></body></html>"#;
        let m = extract_metadata(html, None);
        assert_eq!(m.title.as_deref(), Some("Flood warning lifted"));
        let html = r#"<html><head><title>Example News | Flood warning lifted today in the north</title>
            <meta property="og:site_name" content="Example News"></head><body></body></html>"#;
        assert_eq!(
            extract_metadata(html, None).title.as_deref(),
            Some("Flood warning lifted today in the north")
        );
    }

    #[test]
    fn utc_stamp_yields_to_the_local_day() {
        // 02:30 UTC on the 9th is the evening of the 8th where the paper is
        let html = r#"<html><head>
            <meta property="article:published_time" content="2023-11-09T02:30:00Z">
            <meta name="sailthru.date" content="2023-11-08 21:30:00"></head>
            <body><h1>Late news</h1></body></html>"#;
        assert_eq!(date(html, None).as_deref(), Some("2023-11-08"));
        // a day-off date in the text does not override it
        let html = r#"<html><head>
            <meta property="article:published_time" content="2023-11-09T02:30:00Z"></head>
            <body><h1>Late news</h1><p>Related: 8 November 2023</p></body></html>"#;
        assert_eq!(date(html, None).as_deref(), Some("2023-11-09"));
    }

    #[test]
    fn visible_byline_beats_a_generic_date_meta() {
        let html = r#"<html><head><meta name="date" content="2020-04-30"></head>
            <body><article><h1>Ein Titel</h1><p class="byline">Von Anna Beispiel, 29.04.2020</p>
            <p>Text.</p></article></body></html>"#;
        let m = extract_metadata_at(html, None, Some("2024-01-01"));
        assert_eq!(m.published.as_deref(), Some("2020-04-29"));
        assert_eq!(m.authors, vec!["Anna Beispiel".to_string()]);
    }

    #[test]
    fn posted_on_date_by_name() {
        assert_eq!(
            clean_author("Posted on September 21, 2020 by Adi Tzlil").as_deref(),
            Some("Adi Tzlil")
        );
        assert_eq!(
            clean_author("Datum: 19.11.2021 Autor: Fritz Imhof Quelle: Livenet").as_deref(),
            Some("Fritz Imhof")
        );
        assert_eq!(
            clean_author("Walter von Aachen").as_deref(),
            Some("Walter von Aachen")
        );
    }

    #[test]
    fn deep_pages_are_flattened_not_dropped() {
        let deep = format!(
            "<p>{}<time datetime=\"2019-08-07\">x</time>",
            "<div>".repeat(5_000)
        );
        let flat = limit_nesting(&deep, MAX_DEPTH);
        assert!(flat.len() < deep.len());
        assert!(flat.contains("<time datetime"));
        let shallow = "<div><div>x</div></div>";
        assert!(matches!(
            limit_nesting(shallow, MAX_DEPTH),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn bad_input_does_not_panic() {
        for html in [
            "",
            "<",
            "<html><head><script type=application/ld+json>{\"datePublished\": \"2019-08-07\", oops",
            "<meta content>",
            "\u{0}\u{ffff}<time datetime='99999-99-99'>",
        ] {
            let _ = extract_metadata(html, Some("not a url"));
        }
        let deep = "<div>".repeat(100_000) + "<h1>Deep</h1>";
        let m = extract_metadata(&deep, None);
        assert_eq!(m.title.as_deref(), Some("Deep"));
        // case mapping that changes byte lengths must not break the title logic
        let odd = "<html><head><title>İSTANBUL | İstanbul Haber</title>\
            <meta property=\"og:title\" content=\"İSTANBUL\">\
            <meta property=\"og:site_name\" content=\"İstanbul Haber\"></head></html>";
        let _ = extract_metadata(odd, None);
        let broken =
            r#"<script type="application/ld+json">{"datePublished": "2019-08-07", "x": }</script>"#;
        assert_eq!(date(broken, None).as_deref(), Some("2019-08-07"));
    }
}
