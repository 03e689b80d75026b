//! Finding the article body in a page and writing it out as paragraphs.

use super::dom::{Dom, Kind, NONE};
use super::hints::{element_marks, Hint};

/// An `itemprop="articleBody"` element needs this much non-link text to be
/// taken as the article when no `<article>`/`<main>` qualifies.
const MIN_BODY_CHARS: usize = 200;
/// A block that is mostly links is dropped only when its own non-link text
/// is shorter than this (a big wrapper may hold links and the article).
const MAX_LINKY_PLAIN: usize = 200;
/// A block needs this much text of its own to count as a paragraph when
/// scoring content.
const MIN_PARAGRAPH_CHARS: usize = 25;
/// A paragraph this long (in characters) is running text.
const MIN_RUNNING_CHARS: usize = 80;
/// How many levels above a paragraph its score reaches.
const SCORE_LEVELS: usize = 5;
/// A sibling of the article block continues it only with less than this
/// share of link text.
const MAX_SIBLING_LINKS: f32 = 0.25;
/// The best content block is taken with its siblings, rather than the
/// publisher's article element around it, when it holds at least this
/// percentage of that element's running text.
const NARROW_SHARE: usize = 85;

/// Elements that never hold article text: always dropped with their content.
fn is_drop_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "math"
            | "button"
            | "select"
            | "textarea"
            | "input"
            | "canvas"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "picture"
            | "map"
            | "dialog"
            | "head"
            | "title"
    )
}

/// Elements that usually hold page clutter: dropped unless one holds most of
/// the page's paragraph text (some sites wrap the whole page in a `<form>`).
fn is_clutter_tag(name: &str) -> bool {
    matches!(
        name,
        "nav" | "header" | "footer" | "aside" | "form" | "figure" | "figcaption"
    )
}

/// Elements that start and end a paragraph.
fn is_block_tag(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "tfoot"
            | "thead"
            | "tr"
            | "ul"
    )
}

/// Per-node facts, computed in two linear passes over the pre-ordered tree.
struct Analysis {
    /// Dropped because of the element's tag or hiding (or an ancestor's).
    dropped: Vec<bool>,
    /// What the element's attributes say.
    hint: Vec<Hint>,
    /// `<main>`, `<article>` or `role="main"`: the publisher's article markup.
    main_markup: Vec<bool>,
    /// `itemprop="articleBody"`.
    article_body: Vec<bool>,
    /// Characters of text in each subtree (outside dropped parts).
    text_len: Vec<usize>,
    /// Characters of link (`<a>`) text in each subtree.
    link_len: Vec<usize>,
    /// Characters of `<p>` text in each subtree.
    p_len: Vec<usize>,
    /// Characters of text whose nearest block ancestor is this element.
    own_len: Vec<usize>,
    /// Commas (of any script) in that text.
    own_commas: Vec<usize>,
    /// Inside a comment section.
    in_comments: Vec<bool>,
    /// Characters of running text in each subtree: the text of paragraphs
    /// (blocks with enough text of their own, mostly not links) outside
    /// comment sections.
    content_len: Vec<usize>,
    /// How many `<article>` elements each subtree holds (itself included).
    articles: Vec<usize>,
    /// Running text inside the outermost `<article>` elements strictly
    /// within each subtree.
    nested_content: Vec<usize>,
}

/// Characters of a text run, not counting whitespace.
fn word_chars(t: &str) -> usize {
    if t.is_ascii() {
        t.bytes().filter(|b| !b.is_ascii_whitespace()).count()
    } else {
        t.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Commas in a text run, in the Latin, Arabic and CJK forms.
fn commas(t: &str) -> usize {
    if t.is_ascii() {
        t.bytes().filter(|&b| b == b',').count()
    } else {
        t.chars()
            .filter(|c| matches!(c, ',' | '\u{060c}' | '\u{3001}' | '\u{ff0c}'))
            .count()
    }
}

fn analyse(dom: &Dom) -> Analysis {
    let n = dom.len();
    let mut dropped = vec![false; n];
    let mut hint = vec![Hint::None; n];
    let mut main_markup = vec![false; n];
    let mut article_body = vec![false; n];
    let mut in_p = vec![false; n];
    let mut in_a = vec![false; n];
    let mut text_len = vec![0usize; n];
    let mut link_len = vec![0usize; n];
    let mut p_len = vec![0usize; n];
    let mut own_len = vec![0usize; n];
    let mut own_commas = vec![0usize; n];
    let mut own_link = vec![0usize; n];
    // The nearest block element at or above each node.
    let mut block_of = vec![NONE; n];
    let mut in_comments = vec![false; n];
    for (i, node) in dom.nodes.iter().enumerate() {
        // Parents come before children, so their flags are final here.
        let (pd, pp, pa) = match node.parent {
            NONE => (false, false, false),
            p => (
                dropped.get(p).copied().unwrap_or(false),
                in_p.get(p).copied().unwrap_or(false),
                in_a.get(p).copied().unwrap_or(false),
            ),
        };
        dropped[i] = pd;
        in_p[i] = pp;
        in_a[i] = pa;
        let parent_block = block_of.get(node.parent).copied().unwrap_or(NONE);
        in_comments[i] = in_comments.get(node.parent).copied().unwrap_or(false);
        block_of[i] = parent_block;
        match node.kind {
            Kind::Element(e) => {
                let name = e.name();
                if is_block_tag(name) || matches!(name, "td" | "th") {
                    block_of[i] = i;
                }
                in_p[i] = pp || name == "p";
                in_a[i] = pa || name == "a";
                if !pd && !is_drop_tag(name) {
                    match element_marks(e) {
                        Some(m) => {
                            hint[i] = m.hint;
                            main_markup[i] = m.main || matches!(name, "article" | "main");
                            article_body[i] = m.article_body;
                        }
                        None => dropped[i] = true,
                    }
                    in_comments[i] |= hint[i] == Hint::Comments;
                } else {
                    dropped[i] = true;
                }
            }
            Kind::Text(t) if !pd => {
                let len = word_chars(t);
                text_len[i] = len;
                if pp {
                    p_len[i] = len;
                }
                if pa {
                    link_len[i] = len;
                }
                if let Some(slot) = own_len.get_mut(parent_block) {
                    *slot += len;
                }
                if pa {
                    if let Some(slot) = own_link.get_mut(parent_block) {
                        *slot += len;
                    }
                }
                if let Some(slot) = own_commas.get_mut(parent_block) {
                    *slot += commas(t);
                }
            }
            _ => {}
        }
    }
    let mut content_len: Vec<usize> = (0..n)
        .map(|i| {
            let own = own_len[i];
            let paragraph = own >= MIN_PARAGRAPH_CHARS && own_link[i] * 2 < own;
            if paragraph && !dropped[i] && !in_comments[i] {
                own
            } else {
                0
            }
        })
        .collect();
    let mut nested_content = vec![0usize; n];
    let mut articles: Vec<usize> = (0..n)
        .map(|i| usize::from(dom.name(i) == Some("article") && !dropped[i]))
        .collect();
    for i in (0..n).rev() {
        let p = dom.parent(i);
        if p == NONE {
            continue;
        }
        let c = content_len[i];
        if let Some(slot) = content_len.get_mut(p) {
            *slot += c;
        }
        let c = articles[i];
        if let Some(slot) = articles.get_mut(p) {
            *slot += c;
        }
        let c = if dom.name(i) == Some("article") {
            content_len[i]
        } else {
            nested_content[i]
        };
        if let Some(slot) = nested_content.get_mut(p) {
            *slot += c;
        }
        let (t, l, q) = (text_len[i], link_len[i], p_len[i]);
        if let Some(slot) = text_len.get_mut(p) {
            *slot += t;
        }
        if let Some(slot) = link_len.get_mut(p) {
            *slot += l;
        }
        if let Some(slot) = p_len.get_mut(p) {
            *slot += q;
        }
    }
    Analysis {
        dropped,
        hint,
        main_markup,
        article_body,
        text_len,
        link_len,
        p_len,
        own_len,
        own_commas,
        in_comments,
        content_len,
        articles,
        nested_content,
    }
}

impl Analysis {
    fn p_len(&self, i: usize) -> usize {
        self.p_len.get(i).copied().unwrap_or(0)
    }

    fn text_len(&self, i: usize) -> usize {
        self.text_len.get(i).copied().unwrap_or(0)
    }

    fn link_len(&self, i: usize) -> usize {
        self.link_len.get(i).copied().unwrap_or(0)
    }

    /// Non-link characters of text under an element.
    fn plain_len(&self, i: usize) -> usize {
        self.text_len(i).saturating_sub(self.link_len(i))
    }

    fn dropped(&self, i: usize) -> bool {
        self.dropped.get(i).copied().unwrap_or(true)
    }

    /// Whether `i` is an `<article>` that is a listing: several articles
    /// within it hold most of its running text (an article inside an
    /// article is a related item, a teaser or a comment).
    fn is_listing(&self, dom: &Dom, i: usize) -> bool {
        let within = self.articles.get(i).copied().unwrap_or(0);
        let nested = self.nested_content.get(i).copied().unwrap_or(0);
        let content = self.content_len.get(i).copied().unwrap_or(0);
        dom.name(i) == Some("article") && within >= 3 && nested * 2 > content
    }

    fn hint(&self, i: usize) -> Hint {
        self.hint.get(i).copied().unwrap_or(Hint::None)
    }
}

/// The publisher's own marking of the article, if any: the smallest
/// `<article>`, `<main>` or `role="main"` element holding most of the `<p>`
/// text (not an article listing other articles); else the largest
/// `itemprop="articleBody"` element with some real text.
fn article_element(dom: &Dom, a: &Analysis, body: usize) -> Option<usize> {
    let total = a.p_len(body);
    let mut best: Option<usize> = None;
    if total > 0 {
        for i in 0..dom.len() {
            if a.main_markup.get(i).copied().unwrap_or(false)
                && !a.is_listing(dom, i)
                && !a.dropped(i)
                && a.p_len(i) * 2 > total
                && best.is_none_or(|b| a.p_len(i) <= a.p_len(b))
            {
                best = Some(i);
            }
        }
    }
    if best.is_none() {
        for i in 0..dom.len() {
            if a.article_body.get(i).copied().unwrap_or(false)
                && !a.dropped(i)
                && a.plain_len(i) >= MIN_BODY_CHARS
                && best.is_none_or(|b| a.plain_len(i) > a.plain_len(b))
            {
                best = Some(i);
            }
        }
    }
    best.filter(|&b| b != body)
}

/// The element that best holds the article's running text: each paragraph
/// (a block with text of its own) scores for its length and commas; the
/// score goes to its parent in full, its grandparent by half, and further
/// ancestors by less, but not beyond the `<article>` it is in; a container
/// with text of its own also scores for it. An element's total is
/// discounted by its share of link text and by clutter hints. `None` when
/// the page has no paragraph.
fn top_candidate(dom: &Dom, a: &Analysis) -> Option<usize> {
    let n = dom.len();
    let mut score = vec![0f32; n];
    for i in 0..n {
        let own = a.own_len.get(i).copied().unwrap_or(0);
        let comment = a.in_comments.get(i).copied().unwrap_or(true);
        if own < MIN_PARAGRAPH_CHARS || a.dropped(i) || comment {
            continue;
        }
        let commas = a.own_commas.get(i).copied().unwrap_or(0);
        let s = 1.0 + commas as f32 + (own as f32 / 100.0).min(3.0);
        // A container with running text of its own (text beside its child
        // blocks, as in `<div>text<br>text</div>`) is a candidate itself.
        if !dom.name(i).is_some_and(is_text_block) {
            if let Some(slot) = score.get_mut(i) {
                *slot += s;
            }
        }
        let mut at = dom.parent(i);
        for level in 0..SCORE_LEVELS {
            let Some(slot) = score.get_mut(at) else { break };
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            *slot += s / divider;
            // A paragraph belongs to the article it is in, not to a page
            // or listing around it.
            if dom.name(at) == Some("article") {
                break;
            }
            at = dom.parent(at);
        }
    }
    let mut best: Option<(usize, f32)> = None;
    for (i, s) in score.iter_mut().enumerate() {
        if *s <= 0.0 {
            continue;
        }
        let text = a.text_len(i).max(1) as f32;
        let density = a.link_len(i) as f32 / text;
        *s *= 1.0 - density;
        if a.hint(i) == Hint::Clutter {
            *s *= 0.5;
        }
        if best.is_none_or(|(_, b)| *s > b) {
            best = Some((i, *s));
        }
    }
    best.map(|(i, _)| i)
}

/// Blocks that hold text rather than other blocks: paragraphs, list items,
/// headings, cells. They pass their score up but are no candidates.
fn is_text_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dd"
            | "dt"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "blockquote"
            | "td"
            | "th"
            | "caption"
            | "figcaption"
            | "summary"
            | "address"
    )
}

/// A paragraph of output, with the block it was written in.
struct Para<'a> {
    text: String,
    /// The innermost block element around its first text ("p", "h2", "li", …).
    tag: &'a str,
}

/// Accumulates paragraphs as the tree is walked.
#[derive(Default)]
struct Writer<'a> {
    paragraphs: Vec<Para<'a>>,
    current: String,
    tag: &'a str,
    /// Names of the open block elements, innermost last.
    blocks: Vec<&'a str>,
}

impl<'a> Writer<'a> {
    fn push_text(&mut self, t: &str) {
        if self.current.trim().is_empty() {
            self.tag = self.blocks.last().copied().unwrap_or("");
        }
        self.current.push_str(t);
    }

    fn space(&mut self) {
        self.current.push(' ');
    }

    fn flush(&mut self) {
        let text = super::dom::collapse(&self.current);
        self.current.clear();
        if !text.is_empty() {
            self.paragraphs.push(Para {
                text,
                tag: self.tag,
            });
        }
    }
}

/// What the walk needs to know about the page.
struct Walk<'d, 'a> {
    dom: &'d Dom<'a>,
    a: &'d Analysis,
    /// The publisher's article element when it was taken whole: never pruned.
    root: usize,
    /// Running text in the body.
    body_content: usize,
    /// `<p>` and all text characters in the parts being written.
    root_p: usize,
    root_text: usize,
    /// The best content block and its ancestors: never pruned.
    protected: Vec<bool>,
}

/// The article body of a page as paragraphs, clutter removed.
pub(super) fn extract(dom: &Dom) -> Vec<String> {
    let a = analyse(dom);
    let body = (0..dom.len())
        .find(|&i| dom.name(i) == Some("body"))
        .unwrap_or(0);
    let top = top_candidate(dom, &a);
    let evidence = article_element(dom, &a, body);
    let parts = article_parts(dom, &a, top, evidence, body);
    let mut protected = vec![false; dom.len()];
    let mut at = top.unwrap_or(NONE);
    while let Some(slot) = protected.get_mut(at) {
        *slot = true;
        at = dom.parent(at);
    }
    let walk = Walk {
        dom,
        a: &a,
        root: match parts.as_slice() {
            [only] => *only,
            _ => NONE,
        },
        body_content: a.content_len.get(body).copied().unwrap_or(0),
        root_p: parts.iter().map(|&p| a.p_len(p)).sum(),
        root_text: parts.iter().map(|&p| a.text_len(p)).sum(),
        protected,
    };
    let mut writer = Writer::default();
    for part in parts {
        walk.write(part, &mut writer);
    }
    prune_paragraphs(writer.paragraphs)
}

impl<'d, 'a> Walk<'d, 'a> {
    /// Whether the element at `i` is pruned with its subtree.
    fn prune(&self, i: usize, name: &str) -> bool {
        let a = self.a;
        if a.dropped(i) {
            return true;
        }
        if i == self.root || self.protected.get(i).copied().unwrap_or(false) {
            return false;
        }
        if a.hint(i) == Hint::Comments {
            return true;
        }
        if matches!(name, "" | "html" | "body" | "article" | "main") {
            return false;
        }
        let text_len = a.text_len(i);
        let link_len = a.link_len(i);
        // A block that is mostly links is a menu or a list of headlines.
        let linky = is_block_tag(name)
            && link_len * 2 > text_len
            && text_len.saturating_sub(link_len) < MAX_LINKY_PLAIN;
        let clutter = is_clutter_tag(name) || linky || a.hint(i) == Hint::Clutter;
        // Clutter by tag, class or id, unless it holds most of the text
        // (a page-wide wrapper with an unlucky class name).
        let most = a.content_len.get(i).copied().unwrap_or(0) * 2 > self.body_content;
        if clutter && !most {
            return true;
        }
        // Furniture is dropped when small beside the article.
        let small = text_len * 4 <= self.root_text && a.p_len(i) * 4 <= self.root_p;
        a.hint(i) == Hint::Furniture && small
    }

    /// Writes the subtree at `root` as paragraphs, pruning as it goes.
    fn write(&self, root: usize, writer: &mut Writer<'a>) {
        let dom = self.dom;
        // Open elements: (end of subtree, index).
        let mut open: Vec<(usize, usize)> = Vec::new();
        let end = dom.end(root);
        let mut i = root;
        while i < end {
            while let Some(&(e, node)) = open.last() {
                if e > i {
                    break;
                }
                open.pop();
                close(dom, node, writer);
            }
            let Some(node) = dom.nodes.get(i) else { break };
            match node.kind {
                Kind::Text(t) => {
                    writer.push_text(t);
                    i += 1;
                }
                Kind::Other => i += 1,
                Kind::Root | Kind::Element(_) => {
                    let name = dom.name(i).unwrap_or("");
                    if self.prune(i, name) {
                        i = dom.end(i);
                        continue;
                    }
                    if name == "br" || name == "hr" {
                        writer.flush();
                        i = dom.end(i);
                        continue;
                    }
                    if is_block_tag(name) {
                        writer.flush();
                        writer.blocks.push(name);
                    }
                    open.push((dom.end(i), i));
                    i += 1;
                }
            }
        }
        while let Some((_, node)) = open.pop() {
            close(dom, node, writer);
        }
        writer.flush();
    }
}

/// Where the article is, as a list of subtrees in document order.
///
/// The best content block is first widened over wrappers (ancestors that add
/// no running text). An `<article>`/`<main>`/`articleBody` element (the
/// publisher's evidence) inside that block, or around it but holding more
/// than a little other running text, is taken whole; without such evidence
/// (or when the block is nearly all of it) the block is taken with the
/// siblings that continue it.
fn article_parts(
    dom: &Dom,
    a: &Analysis,
    top: Option<usize>,
    evidence: Option<usize>,
    body: usize,
) -> Vec<usize> {
    let Some(top) = top else {
        return vec![evidence.unwrap_or(body)];
    };
    let content = |i: usize| a.content_len.get(i).copied().unwrap_or(0);
    let contains = |outer: usize, inner: usize| inner >= outer && inner < dom.end(outer);
    let mut block = top;
    loop {
        let up = dom.parent(block);
        if up == NONE || content(up) > content(block) || a.dropped(up) {
            break;
        }
        block = up;
    }
    match evidence {
        Some(e) if contains(block, e) => vec![e],
        Some(e) if contains(e, block) && content(block) * 100 < NARROW_SHARE * content(e) => {
            vec![e]
        }
        Some(e) if !contains(e, block) && content(e) * 2 >= content(block) => vec![e],
        _ => sibling_parts(dom, a, block),
    }
}

/// A block and the siblings that continue it, in document order: blocks
/// with a fifth of its running text or more, paragraphs of running text and
/// short sentences, all with few links; never comment sections or other
/// `<article>`s (teasers).
fn sibling_parts(dom: &Dom, a: &Analysis, block: usize) -> Vec<usize> {
    let parent = dom.parent(block);
    if parent == NONE {
        return vec![block];
    }
    let content = |i: usize| a.content_len.get(i).copied().unwrap_or(0);
    let mut parts = Vec::new();
    for s in dom.children(parent) {
        if s == block {
            parts.push(s);
            continue;
        }
        if a.dropped(s) || a.hint(s) == Hint::Comments {
            continue;
        }
        // Other articles on the page are teasers, not a continuation.
        if a.articles.get(s).copied().unwrap_or(0) > 0 {
            continue;
        }
        let own = a.own_len.get(s).copied().unwrap_or(0);
        let text = a.text_len(s);
        let density = a.link_len(s) as f32 / text.max(1) as f32;
        let few_links = density < MAX_SIBLING_LINKS;
        let keep = (few_links && (content(s) * 5 >= content(block) || own >= MIN_RUNNING_CHARS))
            || (own > 0 && a.link_len(s) == 0 && ends_sentence(&dom.text_of(s)))
            || matches!(dom.nodes.get(s).map(|n| &n.kind),
                Some(Kind::Text(t)) if word_chars(t) >= MIN_PARAGRAPH_CHARS);
        if keep {
            parts.push(s);
        }
    }
    parts
}

/// Whether a text ends like a sentence.
fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', '\u{3002}'])
}

/// Ends an element: blocks end their paragraph, cells and images leave a space.
fn close(dom: &Dom, i: usize, writer: &mut Writer) {
    let name = dom.name(i).unwrap_or("");
    if is_block_tag(name) {
        writer.flush();
        writer.blocks.pop();
    } else if matches!(name, "td" | "th" | "img") {
        writer.space();
    }
}

/// Whether a paragraph reads like running text: long enough, or a sentence.
fn is_body_text(p: &Para) -> bool {
    if p.tag.len() == 2 && p.tag.starts_with('h') {
        return false;
    }
    let words = p.text.split_whitespace().count();
    let chars = p.text.chars().count();
    words >= 12 || chars >= MIN_RUNNING_CHARS
}

/// At most this many words make a dateline or byline.
const MAX_BYLINE_WORDS: usize = 15;

/// Whether a short paragraph is a dateline: a date or time with little else
/// ("Updated 10:01 pm PST, Tuesday, November 19, 2019", "2018-08-16").
fn looks_like_dateline(text: &str) -> bool {
    let tokens: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() || tokens.len() > MAX_BYLINE_WORDS {
        return false;
    }
    let numbers = tokens
        .iter()
        .filter(|t| t.chars().all(|c| c.is_ascii_digit()))
        .count();
    let year = tokens.iter().any(|t| {
        t.len() == 4
            && (t.starts_with("19") || t.starts_with("20"))
            && t.chars().all(|c| c.is_ascii_digit())
    });
    let clock = text
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    (year || clock) && numbers >= 2
}

/// Whether a short paragraph is a byline ("By Jane Roe and John Doe").
fn looks_like_byline(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or("");
    first.eq_ignore_ascii_case("by") && text.split_whitespace().count() <= MAX_BYLINE_WORDS
}

/// Paragraph-level rules on the written text. Above the first paragraph of
/// running text: the headline (`<h1>`), datelines and bylines; below the
/// last one: datelines.
fn prune_paragraphs(paras: Vec<Para>) -> Vec<String> {
    let first_body = paras.iter().position(is_body_text).unwrap_or(paras.len());
    let last_body = paras.iter().rposition(is_body_text).unwrap_or(0);
    paras
        .into_iter()
        .enumerate()
        .filter(|(at, p)| {
            let leading = *at < first_body;
            let trailing = *at > last_body;
            let drop = (leading
                && (p.tag == "h1" || looks_like_dateline(&p.text) || looks_like_byline(&p.text)))
                || (trailing && looks_like_dateline(&p.text));
            !drop
        })
        .map(|(_, p)| p.text)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{looks_like_byline, looks_like_dateline};
    use crate::html::html_to_text;

    const ONE: &str = "The council voted on Tuesday to repair the old bridge, which has been \
                       closed since the spring floods damaged two of its piers.";
    const TWO: &str = "Work starts in June and should take a year, the mayor said, adding that \
                       a ferry will run in the meantime for commuters and schoolchildren.";
    const THREE: &str = "Residents of the east bank, who have driven an extra forty minutes a day \
                         since March, welcomed the vote at a crowded meeting in the town hall.";

    fn text(html: &str) -> String {
        html_to_text(html).text
    }

    fn paras(list: &[&str]) -> String {
        list.join("\n\n")
    }

    #[test]
    fn furniture_is_dropped_when_small() {
        let html = format!(
            r#"<html><body><article>
            <div class="byline">By Ann Vel</div>
            <div class="article__datestamp">3 May 2031</div>
            <p>{ONE}</p>
            <div class="image-caption">The bridge, closed since March, in May.</div>
            <span class="newsCaption">Piers were damaged (Image: staff)</span>
            <p>{TWO}</p>
            <div class="author-bio"><p>Ann Vel covers the county council for the paper.</p></div>
            </article></body></html>"#
        );
        assert_eq!(text(&html), paras(&[ONE, TWO]));
    }

    #[test]
    fn furniture_word_on_a_big_wrapper_is_kept() {
        let html = format!(
            r#"<html><body><div class="entry-meta-wrap"><p>{ONE}</p><p>{TWO}</p></div>
            <div class="meta">Posted in News</div></body></html>"#
        );
        assert_eq!(text(&html), paras(&[ONE, TWO]));
    }

    #[test]
    fn clutter_class_on_the_article_wrapper_is_overruled() {
        // "rail" marks sidebars, but here it wraps the story itself.
        let html = format!(
            r#"<html><body><div class="layout-rail-body"><div class="story">
            <div class="para">{ONE}</div><div class="para">{TWO}</div></div></div>
            <div class="rail"><p>Most read: a list of other stories, with their own long teaser text.</p></div>
            </body></html>"#
        );
        assert_eq!(text(&html), paras(&[ONE, TWO]));
    }

    #[test]
    fn comments_are_dropped_whatever_their_size() {
        let comment = "I drove that bridge every day for twenty years, and honestly, it was \
                       never safe, not even before the floods came through the valley.";
        let html = format!(
            r#"<html><body><article><p>{ONE}</p></article>
            <div id="comments"><ol class="commentlist">
            <li><p>{comment}</p></li><li><p>{comment}</p></li><li><p>{comment}</p></li>
            </ol></div></body></html>"#
        );
        assert_eq!(text(&html), ONE);
    }

    #[test]
    fn headline_datelines_and_bylines_around_the_text_are_dropped() {
        let html = format!(
            r#"<html><body><div class="story">
            <h1>Bridge to reopen next year</h1>
            <p>Updated 10:01 pm PST, Tuesday, May 3, 2031</p>
            <p>By Ann Vel and Tom Reed</p>
            <p>{ONE}</p><h2>What comes next</h2><p>{TWO}</p>
            <h1>Ferry timetable</h1><p>{THREE}</p>
            <p>First published 3 May 2031, 09:12</p>
            </div></body></html>"#
        );
        assert_eq!(
            text(&html),
            paras(&[ONE, "What comes next", TWO, "Ferry timetable", THREE])
        );
    }

    #[test]
    fn a_listing_of_articles_is_not_the_article() {
        let teaser = |n: u32| {
            format!(
                "<article class=\"post\"><p>Teaser {n}: another story, in a short excerpt.</p></article>"
            )
        };
        let html = format!(
            r#"<html><body><main><article class="post"><p>{ONE}</p><p>{TWO}</p></article>
            <article class="post">{}{}{}{}</article></main></body></html>"#,
            teaser(1),
            teaser(2),
            teaser(3),
            teaser(4)
        );
        assert_eq!(text(&html), paras(&[ONE, TWO]));
    }

    #[test]
    fn an_article_split_around_figures_is_kept_whole() {
        let html = format!(
            r#"<html><body><div id="page">
            <div class="chunk"><p>{ONE}</p><p>{TWO}</p></div>
            <figure><img src="a.jpg"><figcaption>The east pier.</figcaption></figure>
            <div class="chunk"><p>{THREE}</p></div>
            <div class="more"><a href="/a">Ferry fares rise again in June, as every year</a> Fares.
            <a href="/b">School buses take the long way round the town</a> Buses.
            <a href="/c">Who stands where in the council elections</a> Polls.</div>
            </div></body></html>"#
        );
        assert_eq!(text(&html), paras(&[ONE, TWO, THREE]));
    }

    #[test]
    fn text_beside_line_breaks_is_found() {
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
            <div class="row"><div class="col">{ONE}<br><br>{TWO}</div>
            <div class="col"><a href="/x">Sports</a> <a href="/y">Weather</a></div></div>
            <div class="bottom"><div>Town Hall, Main Street 1, Rivertown</div></div>
            </body></html>"#
        );
        assert_eq!(text(&html), paras(&[ONE, TWO]));
    }

    #[test]
    fn repeated_lines_inside_the_article_are_kept() {
        let html = format!(
            r#"<html><body><article><p>{ONE}</p>
            <h3>Monday</h3><p>Ferry every 2 hours</p><h3>Tuesday</h3><p>Ferry every 2 hours</p>
            <p>{TWO}</p></article></body></html>"#
        );
        assert_eq!(
            text(&html),
            paras(&[
                ONE,
                "Monday",
                "Ferry every 2 hours",
                "Tuesday",
                "Ferry every 2 hours",
                TWO
            ])
        );
    }

    #[test]
    fn datelines_and_bylines() {
        for yes in [
            "Updated 10:01 pm PST, Tuesday, November 19, 2019",
            "2018-08-16",
            "Nov. 20, 2019, 9:28 AM UTC",
            "segunda-feira, 22 de janeiro de 2018 às 0:13",
            "Updated at 1:23 p.m.",
        ] {
            assert!(looks_like_dateline(yes), "{yes}");
        }
        for no in [
            "Next festival: 2032",
            "The 2018 season starts in spring",
            "Monday",
            "Over 2,000 people came, more than in any year since the fair began in the town",
        ] {
            assert!(!looks_like_dateline(no), "{no}");
        }
        assert!(looks_like_byline("By Jane Roe and John Doe"));
        assert!(looks_like_byline("by Jeff Foust — November 18, 2019"));
        assert!(!looks_like_byline("Bylines are short."));
        assert!(!looks_like_byline(
            "By the time the ferry arrived, the crowd on the bank had grown to several \
             hundred people and the police closed the road"
        ));
    }
}
