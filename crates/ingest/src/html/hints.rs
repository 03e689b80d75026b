//! What an element's class, id, role and itemprop say about it.
//!
//! Attribute values are split into words at non-alphanumerics and at
//! camelCase boundaries (`article-header`, `newsCaption`, `byline___2NGv_`),
//! and whole words are compared, so `shadow` never matches `ad`.

use scraper::node::Element;

/// An element's role on the page, as its attributes tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Hint {
    /// Nothing known.
    None,
    /// Page clutter: navigation, sharing, adverts, related links, sign-ups,
    /// carousels. Dropped unless it holds most of the page's running text or
    /// the article's best block.
    Clutter,
    /// Readers' comments and replies: never part of the article, whatever
    /// their size.
    Comments,
    /// Article furniture: bylines, datelines, captions, credits, standfirsts,
    /// author bios, tags. Dropped when small beside the article.
    Furniture,
}

/// What one attribute word says.
fn word_hint(word: &str) -> Hint {
    match word {
        "nav" | "navbar" | "navigation" | "menu" | "menus" | "footer" | "header" | "masthead"
        | "sidebar" | "share" | "sharing" | "sharebar" | "social" | "related" | "promo"
        | "promos" | "advert" | "adverts" | "advertisement" | "ad" | "ads" | "cookie"
        | "cookies" | "consent" | "subscribe" | "subscription" | "newsletter" | "breadcrumb"
        | "breadcrumbs" | "popup" | "modal" | "outbrain" | "taboola" | "rail" | "swiper"
        | "carousel" | "slideshow" | "signup" | "cta" | "banner" | "lightbox" | "login"
        | "popular" | "trending" | "recommended" | "sponsored" | "pagination" => Hint::Clutter,
        "comment" | "comments" | "commentlist" | "replies" | "respond" | "disqus" => Hint::Comments,
        "byline" | "bylines" | "author" | "authors" | "bio" | "dateline" | "date" | "dates"
        | "datestamp" | "time" | "timestamp" | "published" | "updated" | "meta" | "metadata"
        | "caption" | "captions" | "credit" | "credits" | "dek" | "deck" | "standfirst"
        | "subline" | "subtitle" | "kicker" | "disclaimer" | "disclosure" | "copyright"
        | "copyrights" | "tags" | "category" | "categories" | "attribution" | "image" | "img"
        | "photo" | "gallery" | "thumbnail" | "figure" => Hint::Furniture,
        _ => Hint::None,
    }
}

/// Calls `f` with each lower-cased word of an attribute value until it
/// returns `Some`. Words longer than 24 bytes or not ASCII are skipped (no
/// hint word is like them).
fn find_word<T>(value: &str, mut f: impl FnMut(&str) -> Option<T>) -> Option<T> {
    let bytes = value.as_bytes();
    let mut buf = [0u8; 24];
    let mut start = 0;
    while start < bytes.len() {
        // Skip separators.
        while start < bytes.len() && !bytes[start].is_ascii_alphanumeric() {
            start += 1;
        }
        let mut end = start;
        let mut ascii = true;
        while end < bytes.len() {
            let b = bytes[end];
            if !b.is_ascii() {
                ascii = false;
                end += 1;
                continue;
            }
            if !b.is_ascii_alphanumeric() {
                break;
            }
            // A camelCase boundary: lower (or digit) then upper.
            if end > start && b.is_ascii_uppercase() && {
                let prev = bytes[end - 1];
                prev.is_ascii_lowercase() || prev.is_ascii_digit()
            } {
                break;
            }
            end += 1;
        }
        let len = end - start;
        if ascii && len > 0 && len <= buf.len() {
            for (slot, b) in buf.iter_mut().zip(&bytes[start..end]) {
                *slot = b.to_ascii_lowercase();
            }
            if let Ok(word) = std::str::from_utf8(&buf[..len]) {
                if let Some(found) = f(word) {
                    return Some(found);
                }
            }
        }
        start = end.max(start + 1);
    }
    None
}

/// ARIA roles that mark clutter.
fn role_is_clutter(role: &str) -> bool {
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "menu",
        "menubar",
    ]
    .iter()
    .any(|r| role.eq_ignore_ascii_case(r))
}

/// What an element's attributes say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Marks {
    /// From class, id and role words (comments win over clutter, clutter
    /// over furniture).
    pub(super) hint: Hint,
    /// `role="main"`.
    pub(super) main: bool,
    /// `itemprop="articleBody"`.
    pub(super) article_body: bool,
}

/// What the element's class, id, role and itemprop say about it, or `None`
/// when it is hidden from readers (`hidden`, `aria-hidden="true"`). One pass
/// over the attributes.
pub(super) fn element_marks(el: &Element) -> Option<Marks> {
    let mut marks = Marks {
        hint: Hint::None,
        main: false,
        article_body: false,
    };
    for (name, value) in el.attrs() {
        match name {
            "hidden" => return None,
            "aria-hidden" if value.trim().eq_ignore_ascii_case("true") => return None,
            "role" => {
                let role = value.trim();
                marks.main |= role.eq_ignore_ascii_case("main");
                if role_is_clutter(role) && rank(Hint::Clutter) > rank(marks.hint) {
                    marks.hint = Hint::Clutter;
                }
            }
            "itemprop" => {
                marks.article_body |= value
                    .split_whitespace()
                    .any(|v| v.eq_ignore_ascii_case("articlebody"));
            }
            "class" | "id" if marks.hint != Hint::Comments => {
                find_word(value, |w| {
                    let hint = word_hint(w);
                    if rank(hint) > rank(marks.hint) {
                        marks.hint = hint;
                    }
                    (marks.hint == Hint::Comments).then_some(())
                });
            }
            _ => {}
        }
    }
    Some(marks)
}

/// Which hint wins when an element has words of several kinds.
fn rank(hint: Hint) -> u8 {
    match hint {
        Hint::None => 0,
        Hint::Furniture => 1,
        Hint::Clutter => 2,
        Hint::Comments => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(value: &str) -> Vec<String> {
        let mut out = Vec::new();
        find_word(value, |w| {
            out.push(w.to_string());
            None::<()>
        });
        out
    }

    #[test]
    fn words_split_on_boundaries() {
        assert_eq!(
            words("article-header main_Nav"),
            ["article", "header", "main", "nav"]
        );
        assert_eq!(words("shareButtons"), ["share", "buttons"]);
        assert_eq!(words("shadow"), ["shadow"]);
        assert_eq!(words("byline___2NGv_"), ["byline", "2", "ngv"]);
        assert_eq!(words("héllo-ad"), ["ad"]);
    }
}
