//! A first HTML-to-text pass: parse with `scraper`, drop page clutter
//! (navigation, scripts, share widgets, …), prefer the `<article>`/`<main>`
//! holding most of the text, and emit paragraphs separated by blank lines.

use crate::clean::{clean_lines, normalize_text};
use scraper::{Html, Node};

/// The text and headline extracted from an HTML page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Extracted {
    /// The headline: `og:title`, else `<title>` without its " | Site" suffix, else the first `<h1>`.
    pub title: Option<String>,
    /// The article body, paragraphs separated by blank lines, boilerplate removed.
    pub text: String,
}

/// Elements that never hold article text: always dropped with their content.
const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "math", "button", "select",
    "textarea", "input", "canvas", "object", "embed", "video", "audio", "picture", "map", "dialog",
    "head",
];

/// Elements that usually hold page clutter: dropped unless one holds most of
/// the page's paragraph text (some sites wrap the whole page in a `<form>`).
const CLUTTER_TAGS: &[&str] = &[
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "figure",
    "figcaption",
];

/// An `itemprop="articleBody"` element needs this much non-link text to be
/// taken as the article when no `<article>`/`<main>` qualifies.
const MIN_BODY_CHARS: usize = 200;
/// A block that is mostly links is dropped only when its own non-link text
/// is shorter than this (a big wrapper may hold links and the article).
const MAX_LINKY_PLAIN: usize = 200;

/// Elements that start and end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "caption",
    "ul",
    "html",
];

/// Class or id words that mark clutter. Matched against whole words of the
/// attribute (split on `-`, `_`, spaces and camelCase), so `article-header`
/// matches `header` while `shadow` does not match `ad`.
const CLUTTER_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menus",
    "footer",
    "header",
    "masthead",
    "sidebar",
    "share",
    "sharing",
    "sharebar",
    "social",
    "comment",
    "comments",
    "related",
    "promo",
    "promos",
    "advert",
    "adverts",
    "advertisement",
    "ad",
    "ads",
    "cookie",
    "cookies",
    "consent",
    "subscribe",
    "subscription",
    "newsletter",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "outbrain",
    "taboola",
];

/// ARIA roles that mark clutter.
const CLUTTER_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "dialog",
    "menu",
    "menubar",
];

/// Our own copy of the parsed tree, in document (pre-)order, so every
/// pass is a loop over indices instead of a recursion.
struct Dom {
    nodes: Vec<DomNode>,
}

struct DomNode {
    kind: Kind,
    parent: Option<usize>,
    children: Vec<usize>,
}

enum Kind {
    Root,
    Element {
        name: String,
        attrs: Vec<(String, String)>,
    },
    Text(String),
    Other,
}

impl DomNode {
    fn name(&self) -> Option<&str> {
        match &self.kind {
            Kind::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    fn attr(&self, wanted: &str) -> Option<&str> {
        match &self.kind {
            Kind::Element { attrs, .. } => attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(wanted))
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

impl Dom {
    fn parse(html: &str) -> Dom {
        let doc = Html::parse_document(html);
        let mut nodes = vec![DomNode {
            kind: Kind::Root,
            parent: None,
            children: Vec::new(),
        }];
        let mut stack: Vec<_> = doc.tree.root().children().map(|c| (c, 0usize)).collect();
        stack.reverse();
        while let Some((node, parent)) = stack.pop() {
            let kind = match node.value() {
                Node::Element(e) => Kind::Element {
                    name: e.name().to_ascii_lowercase(),
                    attrs: e
                        .attrs()
                        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                        .collect(),
                },
                Node::Text(t) => Kind::Text(t.to_string()),
                _ => Kind::Other,
            };
            let index = nodes.len();
            nodes.push(DomNode {
                kind,
                parent: Some(parent),
                children: Vec::new(),
            });
            if let Some(p) = nodes.get_mut(parent) {
                p.children.push(index);
            }
            let mut children: Vec<_> = node.children().map(|c| (c, index)).collect();
            children.reverse();
            stack.extend(children);
        }
        Dom { nodes }
    }

    fn get(&self, i: usize) -> Option<&DomNode> {
        self.nodes.get(i)
    }

    /// All indices in the subtree under `i` (itself included), in document order.
    fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![i];
        while let Some(n) = stack.pop() {
            out.push(n);
            if let Some(node) = self.get(n) {
                stack.extend(node.children.iter().rev());
            }
        }
        out
    }

    /// The text under `i`, whitespace collapsed.
    fn text_of(&self, i: usize) -> String {
        let mut s = String::new();
        for n in self.subtree(i) {
            if let Some(Kind::Text(t)) = self.get(n).map(|n| &n.kind) {
                s.push_str(t);
            }
        }
        collapse(&s)
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits an attribute value into lower-case words at non-alphanumerics and
/// at camelCase boundaries.
fn attr_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in value.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Whether an element's class, id or role marks it as clutter.
fn looks_like_clutter(node: &DomNode) -> bool {
    if let Some(role) = node.attr("role") {
        if CLUTTER_ROLES.contains(&role.trim().to_ascii_lowercase().as_str()) {
            return true;
        }
    }
    if node.attr("hidden").is_some()
        || node
            .attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    ["class", "id"].iter().any(|a| {
        node.attr(a).is_some_and(|v| {
            attr_words(v)
                .iter()
                .any(|w| CLUTTER_WORDS.contains(&w.as_str()))
        })
    })
}

/// Per-node facts computed in two linear passes over the pre-ordered tree.
struct Analysis {
    /// Dropped because of the element's tag (or an ancestor's).
    tag_dropped: Vec<bool>,
    /// Characters of `<p>` text in each subtree (outside tag-dropped parts).
    p_len: Vec<usize>,
    /// Characters of text in each subtree (outside tag-dropped parts).
    text_len: Vec<usize>,
    /// Characters of link (`<a>`) text in each subtree.
    link_len: Vec<usize>,
}

fn analyse(dom: &Dom) -> Analysis {
    let n = dom.nodes.len();
    let mut tag_dropped = vec![false; n];
    let mut in_p = vec![false; n];
    let mut in_a = vec![false; n];
    let mut own = vec![0usize; n];
    let mut own_text = vec![0usize; n];
    let mut own_link = vec![0usize; n];
    for (i, node) in dom.nodes.iter().enumerate() {
        let dropped_here = tag_dropped.get(i).copied().unwrap_or(false)
            || node.name().is_some_and(|name| DROP_TAGS.contains(&name));
        let p_here =
            in_p.get(i).copied().unwrap_or(false) || node.name().is_some_and(|name| name == "p");
        if let Some(slot) = tag_dropped.get_mut(i) {
            *slot = dropped_here;
        }
        let a_here =
            in_a.get(i).copied().unwrap_or(false) || node.name().is_some_and(|name| name == "a");
        if let (Kind::Text(t), false) = (&node.kind, dropped_here) {
            let len: usize = t.split_whitespace().map(|w| w.chars().count()).sum();
            for (flag, slot) in [
                (p_here, own.get_mut(i)),
                (true, own_text.get_mut(i)),
                (a_here, own_link.get_mut(i)),
            ] {
                if let (true, Some(slot)) = (flag, slot) {
                    *slot = len;
                }
            }
        }
        for &c in &node.children {
            if let Some(slot) = in_a.get_mut(c) {
                *slot = a_here;
            }
            if let Some(slot) = tag_dropped.get_mut(c) {
                *slot = dropped_here;
            }
            if let Some(slot) = in_p.get_mut(c) {
                *slot = p_here;
            }
        }
    }
    Analysis {
        tag_dropped,
        p_len: subtree_sums(dom, own),
        text_len: subtree_sums(dom, own_text),
        link_len: subtree_sums(dom, own_link),
    }
}

/// Turns per-node amounts into per-subtree sums. Children come after their
/// parent in pre-order, so one backward pass suffices.
fn subtree_sums(dom: &Dom, mut values: Vec<usize>) -> Vec<usize> {
    for i in (0..dom.nodes.len()).rev() {
        let Some(node) = dom.get(i) else { continue };
        let sum: usize = node
            .children
            .iter()
            .map(|&c| values.get(c).copied().unwrap_or(0))
            .sum();
        if let Some(slot) = values.get_mut(i) {
            *slot += sum;
        }
    }
    values
}

/// Accumulates paragraphs as the tree is walked.
#[derive(Default)]
struct Writer {
    paragraphs: Vec<String>,
    current: String,
}

impl Writer {
    fn push_text(&mut self, t: &str) {
        self.current.push_str(t);
    }

    fn space(&mut self) {
        self.current.push(' ');
    }

    fn flush(&mut self) {
        let para = collapse(&self.current);
        self.current.clear();
        if !para.is_empty() {
            self.paragraphs.push(para);
        }
    }
}

/// Extracts an article's headline and body text from an HTML page.
///
/// Clutter elements (script, style, nav, header, footer, aside, forms, share
/// and comment widgets, adverts, …) are dropped; the `<article>` or `<main>`
/// holding most of the paragraph text is preferred to the whole body; block
/// elements become paragraphs; then [`clean_lines`] removes repeated lines,
/// section labels and copies of the headline. Never panics, whatever the input.
pub fn html_to_text(html: &str) -> Extracted {
    let dom = Dom::parse(html);
    let analysis = analyse(&dom);
    let title = find_title(&dom);

    let body = dom
        .nodes
        .iter()
        .position(|n| n.name() == Some("body"))
        .unwrap_or(0);
    let total = analysis.p_len.get(body).copied().unwrap_or(0);
    let p_len = |i: usize| analysis.p_len.get(i).copied().unwrap_or(0);

    let root = choose_root(&dom, &analysis, body);

    let mut writer = Writer::default();
    enum Step {
        Open(usize),
        Close(usize),
    }
    let mut stack = vec![Step::Open(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Open(i) => {
                let Some(node) = dom.get(i) else { continue };
                match &node.kind {
                    Kind::Text(t) => writer.push_text(t),
                    Kind::Other => {}
                    Kind::Root | Kind::Element { .. } => {
                        if analysis.tag_dropped.get(i).copied().unwrap_or(false) {
                            continue;
                        }
                        let name = node.name().unwrap_or("");
                        let structural = matches!(name, "" | "html" | "body" | "article" | "main");
                        // Clutter by tag, class or id, unless it holds most of the text
                        // (a page-wide wrapper with an unlucky class name).
                        let text_len = analysis.text_len.get(i).copied().unwrap_or(0);
                        let link_len = analysis.link_len.get(i).copied().unwrap_or(0);
                        // A block that is mostly links is a menu or a list of headlines.
                        let linky = BLOCK_TAGS.contains(&name)
                            && link_len * 2 > text_len
                            && text_len.saturating_sub(link_len) < MAX_LINKY_PLAIN;
                        let clutter =
                            CLUTTER_TAGS.contains(&name) || linky || looks_like_clutter(node);
                        if !structural && i != root && clutter && p_len(i) * 2 <= total {
                            continue;
                        }
                        if name == "br" || name == "hr" {
                            writer.flush();
                            continue;
                        }
                        if BLOCK_TAGS.contains(&name) {
                            writer.flush();
                        }
                        stack.push(Step::Close(i));
                        stack.extend(node.children.iter().rev().map(|&c| Step::Open(c)));
                    }
                }
            }
            Step::Close(i) => {
                let name = dom.get(i).and_then(DomNode::name).unwrap_or("");
                if BLOCK_TAGS.contains(&name) {
                    writer.flush();
                } else if matches!(name, "td" | "th" | "img") {
                    writer.space();
                }
            }
        }
    }
    writer.flush();

    let text = clean_lines(&writer.paragraphs.join("\n\n"), title.as_deref());
    Extracted { title, text }
}

/// Non-link characters of text under an element.
fn plain_len(analysis: &Analysis, i: usize) -> usize {
    let text = analysis.text_len.get(i).copied().unwrap_or(0);
    text.saturating_sub(analysis.link_len.get(i).copied().unwrap_or(0))
}

/// Where the article's text is: the smallest `<article>`, `<main>` or
/// `role="main"` element holding most of the `<p>` text; else the largest
/// `itemprop="articleBody"` element with some real text; else the body.
fn choose_root(dom: &Dom, analysis: &Analysis, body: usize) -> usize {
    let p_len = |i: usize| analysis.p_len.get(i).copied().unwrap_or(0);
    let total = p_len(body);
    let live = |i: usize| !analysis.tag_dropped.get(i).copied().unwrap_or(true);
    let mut best: Option<usize> = None;
    if total > 0 {
        for (i, node) in dom.nodes.iter().enumerate() {
            let candidate = matches!(node.name(), Some("article" | "main"))
                || node
                    .attr("role")
                    .is_some_and(|r| r.trim().eq_ignore_ascii_case("main"));
            if candidate
                && live(i)
                && p_len(i) * 2 > total
                && best.is_none_or(|b| p_len(i) <= p_len(b))
            {
                best = Some(i);
            }
        }
    }
    if best.is_none() {
        for (i, node) in dom.nodes.iter().enumerate() {
            let body_prop = node
                .attr("itemprop")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("articlebody"));
            if body_prop
                && live(i)
                && plain_len(analysis, i) >= MIN_BODY_CHARS
                && best.is_none_or(|b| plain_len(analysis, i) > plain_len(analysis, b))
            {
                best = Some(i);
            }
        }
    }
    best.unwrap_or(body)
}

/// Separators between a headline and a site name in page titles.
const TITLE_SEPARATORS: &[&str] = &[
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
];

/// The page's headline: `og:title`, else `<title>`, else the first `<h1>`.
/// When a `<h1>` matches part of the page title (the title minus a site
/// name, before or after), that part is taken; otherwise a trailing
/// " | Site" suffix is removed.
fn find_title(dom: &Dom) -> Option<String> {
    let og = dom.nodes.iter().find_map(|n| {
        if n.name() != Some("meta") {
            return None;
        }
        let key = n.attr("property").or_else(|| n.attr("name"))?;
        if !key.trim().eq_ignore_ascii_case("og:title") {
            return None;
        }
        let t = collapse(n.attr("content")?);
        (!t.is_empty()).then_some(t)
    });
    let in_svg = |i: usize| {
        // <svg><title> is an image caption, not the page's title.
        let mut at = dom.get(i).and_then(|n| n.parent);
        while let Some(p) = at {
            let Some(node) = dom.get(p) else { break };
            if node.name() == Some("svg") {
                return true;
            }
            at = node.parent;
        }
        false
    };
    let page_title = || {
        dom.nodes.iter().enumerate().find_map(|(i, n)| {
            if n.name() != Some("title") || in_svg(i) {
                return None;
            }
            let t = dom.text_of(i);
            (!t.is_empty()).then_some(t)
        })
    };
    let h1s: Vec<String> = dom
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.name() == Some("h1"))
        .map(|(i, _)| dom.text_of(i))
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
fn strip_site_suffix(title: &str) -> String {
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
    fn words_split_on_boundaries() {
        assert_eq!(
            attr_words("article-header main_Nav"),
            ["article", "header", "main", "nav"]
        );
        assert_eq!(attr_words("shareButtons"), ["share", "buttons"]);
        assert_eq!(attr_words("shadow"), ["shadow"]);
    }

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
