//! Sentence splitting over tokens.
//!
//! A sentence ends at ".", "!", "?" or "..." (plus any closing quotes and
//! brackets) when the next token looks like a sentence start, after "U.S."
//! style abbreviations only before a common opener ("The", "He", ...), at
//! every paragraph break, and at a single line break after a heading-like
//! line. It does not end inside a double quotation, as long as the quote
//! was opened in the same paragraph and not too many tokens ago.
//!
//! No sentence is longer than [`MAX_SENTENCE_TOKENS`]: a longer run (a
//! table flattened into text, a list without stops, garbage) is cut at its
//! last clause mark before the cap, or at the cap, so that every later stage
//! sees bounded input.

use std::ops::Range;

use crate::abbrev::{self, AbbrevClass};
use crate::chars::starts_lowercase;
use crate::types::{Sentence, Token, TokenKind};

/// An open quotation stops holding a sentence together after this many
/// tokens, so that a stray quote cannot swallow a whole paragraph.
const MAX_QUOTE_TOKENS: usize = 120;
/// The most tokens a sentence may have. Real sentences stay well below it:
/// the longest in UD English EWT has 159 words (GUM's 134, PUD's 59), and a
/// news sentence over 100 tokens is rare. Anything longer is a run-on with
/// no stops (a flattened table, a list, boilerplate, hostile input), and
/// the tagger, parser and entity tagger work per sentence, so without a cap
/// one such "sentence" of 50,000 tokens would reach them whole. 200 keeps
/// every treebank sentence intact while bounding the per-sentence work.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Lines longer than this are never taken for headings.
const HEADING_MAX_TOKENS: usize = 30;
/// Lines up to this long count as headings even without title case.
const SHORT_LINE_TOKENS: usize = 8;

/// Lower-case words a heading does not end with (hard-wrapped prose does).
const NO_END_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with",
    "from", "as", "into", "than", "that", "this", "his", "her", "its", "their", "our",
];

/// Lower-case words allowed in a title-case heading.
const TITLE_SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with",
    "from", "as", "into", "than", "vs", "vs.", "via", "per", "amid", "over", "after", "up", "off",
    "out", "is", "are", "says", "say",
];

/// What kind of token may end a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    /// ".", "!", "?", "...", "?!".
    Punct,
    /// An abbreviation that often ends sentences ("U.S.", "Inc.").
    Abbrev,
}

/// Whether a double quote opens or closes a quotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteRole {
    Open,
    Close,
}

/// Token index ranges of the sentences of `tokens`; see
/// [`crate::sentence_spans`].
pub(crate) fn sentence_spans(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    capped_spans(text, tokens)
        .into_iter()
        .map(|(span, _)| span)
        .collect()
}

/// Token index ranges of the sentences of `tokens`, each with whether it
/// is a piece of an over-long run cut by [`MAX_SENTENCE_TOKENS`].
fn capped_spans(text: &str, tokens: &[Token]) -> Vec<(Range<usize>, bool)> {
    let mut splitter = Splitter {
        text,
        tokens,
        in_quote: false,
        quote_open_at: 0,
        line_start: 0,
    };
    let mut spans = Vec::new();
    let mut sentence_start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let (last, ends) = splitter.step(i);
        if ends {
            spans.push(sentence_start..last + 1);
            sentence_start = last + 1;
        }
        i = last + 1;
    }
    if sentence_start < tokens.len() {
        spans.push(sentence_start..tokens.len());
    }
    let mut capped = Vec::with_capacity(spans.len() + tokens.len() / MAX_SENTENCE_TOKENS);
    for span in spans {
        if span.len() <= MAX_SENTENCE_TOKENS {
            capped.push((span, false));
        } else {
            cap_span(tokens, span, &mut capped);
        }
    }
    capped
}

/// Push `span` to `out`, cut into pieces of at most [`MAX_SENTENCE_TOKENS`]
/// tokens: each piece ends after the last clause mark (comma, semicolon,
/// colon, dash) in the later half of the allowed length, or at the cap
/// when there is none there.
fn cap_span(tokens: &[Token], span: Range<usize>, out: &mut Vec<(Range<usize>, bool)>) {
    let mut start = span.start;
    while span.end - start > MAX_SENTENCE_TOKENS {
        let limit = start + MAX_SENTENCE_TOKENS;
        let half = start + MAX_SENTENCE_TOKENS / 2;
        let cut = (half..limit)
            .rev()
            .find(|&k| tokens.get(k).is_some_and(is_clause_mark))
            .map_or(limit, |k| k + 1);
        out.push((start..cut, true));
        start = cut;
    }
    if start < span.end {
        out.push((start..span.end, true));
    }
}

/// A comma, semicolon, colon or dash: where an over-long sentence is best cut.
fn is_clause_mark(token: &Token) -> bool {
    token.kind == TokenKind::Punct
        && (matches!(token.norm.as_str(), "," | ";" | ":")
            || (!token.norm.is_empty() && token.norm.chars().all(|c| c == '-')))
}

/// Group `tokens` into sentences; see [`crate::split_sentences`].
pub(crate) fn split_sentences(text: &str, tokens: Vec<Token>) -> Vec<Sentence> {
    let spans = capped_spans(text, &tokens);
    let mut rest = tokens.into_iter();
    let mut out = Vec::with_capacity(spans.len());
    for (span, cut) in spans {
        let tokens: Vec<Token> = rest.by_ref().take(span.len()).collect();
        let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
            continue;
        };
        let (start, end) = (first.start, last.end);
        out.push(Sentence {
            index: out.len(),
            start,
            end,
            tokens,
            entities: Vec::new(),
            cut,
        });
    }
    out
}

/// Whether a token can end a sentence, and how.
fn terminal(token: &Token) -> Option<Term> {
    match token.kind {
        TokenKind::Punct => {
            let all_stops = token.norm.chars().all(|c| matches!(c, '.' | '!' | '?'));
            (all_stops && !token.norm.is_empty()).then_some(Term::Punct)
        }
        TokenKind::Word if token.norm.ends_with('.') => {
            (abbrev::token_class(&token.norm) == Some(AbbrevClass::Final)).then_some(Term::Abbrev)
        }
        _ => None,
    }
}

/// Number of line breaks in the white space between two tokens; a
/// paragraph separator counts as two.
fn newlines(gap: &str) -> usize {
    let mut count = 0;
    let mut after_cr = false;
    for c in gap.chars() {
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' => count += 1,
            '\u{2029}' => count += 2,
            _ => {}
        }
        after_cr = c == '\r';
    }
    count
}

struct Splitter<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Inside a double quotation.
    in_quote: bool,
    /// Token index of the quote that opened the current quotation.
    quote_open_at: usize,
    /// Index of the first token on the current line.
    line_start: usize,
}

impl Splitter<'_> {
    /// Source text of token `i`.
    fn src(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// The white space between tokens `a` and `b`.
    fn gap(&self, a: usize, b: usize) -> &str {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => self.text.get(x.end..y.start).unwrap_or(""),
            _ => "",
        }
    }

    /// Whether tokens `a` and `b` exist and touch (no space between).
    fn attached(&self, a: usize, b: usize) -> bool {
        match (self.tokens.get(a), self.tokens.get(b)) {
            (Some(x), Some(y)) => x.end == y.start,
            _ => false,
        }
    }

    fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.norm.as_str())
    }

    /// Handle token `i` (and any closers after it); returns the last token
    /// handled and whether a sentence ends after it.
    fn step(&mut self, i: usize) -> (usize, bool) {
        self.apply_quote(i);
        let term = self.tokens.get(i).and_then(terminal);
        let mut last = i;
        let mut ends = false;
        if let Some(term) = term {
            while newlines(self.gap(last, last + 1)) == 0 && self.is_closer(last + 1) {
                last += 1;
                self.apply_quote(last);
            }
            ends = self.ends_here(term, i, last) && !self.quote_holds(last);
        }
        if last + 1 >= self.tokens.len() {
            return (last, true);
        }
        match newlines(self.gap(last, last + 1)) {
            0 => {}
            1 => {
                // A line break after a sentence end ends it even inside an
                // unclosed quotation; so does one after a heading.
                ends = ends
                    || term.is_some_and(|t| self.ends_here(t, i, last))
                    || self.is_heading(last);
                self.line_start = last + 1;
            }
            _ => {
                ends = true;
                self.line_start = last + 1;
            }
        }
        if ends {
            self.in_quote = false;
        }
        (last, ends)
    }

    /// Whether an open quotation keeps the sentence going past `last`.
    fn quote_holds(&self, last: usize) -> bool {
        self.in_quote && last.saturating_sub(self.quote_open_at) <= MAX_QUOTE_TOKENS
    }

    /// Whether the sentence ends after `last`, given the terminal token `i`
    /// (quotation state aside).
    fn ends_here(&self, term: Term, i: usize, last: usize) -> bool {
        let Some(next) = self.tokens.get(last + 1) else {
            return true;
        };
        match term {
            Term::Punct => !self.is_enumeration(i) && self.starts_sentence(last + 1),
            Term::Abbrev => next.kind == TokenKind::Word && abbrev::is_opener(&next.norm),
        }
    }

    /// "1." at the start of a line: a list number, not a sentence end.
    fn is_enumeration(&self, i: usize) -> bool {
        let Some(prev) = i.checked_sub(1) else {
            return false;
        };
        self.norm(i) == "."
            && prev == self.line_start
            && self
                .tokens
                .get(prev)
                .is_some_and(|t| t.kind == TokenKind::Number)
            && self.attached(prev, i)
    }

    /// Whether token `j` can start a sentence after a sentence stop.
    fn starts_sentence(&self, j: usize) -> bool {
        let Some(token) = self.tokens.get(j) else {
            return true;
        };
        let Some(c) = self.src(j).chars().next() else {
            return false;
        };
        if c.is_alphabetic() {
            return !c.is_lowercase();
        }
        if c.is_numeric() {
            return true;
        }
        match token.kind {
            TokenKind::Symbol | TokenKind::Number => true,
            TokenKind::Word => false,
            TokenKind::Punct => match token.norm.as_str() {
                "(" | "[" | "{" | "\u{2022}" | "\u{00A1}" | "\u{00BF}" => true,
                "\"" => self.quote_role(j) == Some(QuoteRole::Open),
                "'" => !j.checked_sub(1).is_some_and(|p| self.attached(p, j)),
                _ => false,
            },
        }
    }

    /// Whether token `j` closes what came before: ")", "]", "}", a closing
    /// double quote, or a single quote attached to the previous token.
    fn is_closer(&self, j: usize) -> bool {
        let Some(token) = self.tokens.get(j) else {
            return false;
        };
        if token.kind != TokenKind::Punct {
            return false;
        }
        match token.norm.as_str() {
            ")" | "]" | "}" => true,
            "\"" => self.quote_role(j) == Some(QuoteRole::Close),
            "'" => j.checked_sub(1).is_some_and(|p| self.attached(p, j)),
            _ => false,
        }
    }

    /// Update the quotation state for token `i`.
    fn apply_quote(&mut self, i: usize) {
        match self.quote_role(i) {
            Some(QuoteRole::Open) => {
                self.in_quote = true;
                self.quote_open_at = i;
            }
            Some(QuoteRole::Close) => self.in_quote = false,
            None => {}
        }
    }

    /// The role of token `j` if it is a double quote: from the glyph for
    /// typographic quotes, else from the spacing around it, else by
    /// toggling the current state.
    fn quote_role(&self, j: usize) -> Option<QuoteRole> {
        let token = self.tokens.get(j)?;
        if token.kind != TokenKind::Punct || token.norm != "\"" {
            return None;
        }
        match self.src(j) {
            "\u{201C}" | "\u{201E}" | "\u{201F}" | "\u{00AB}" | "\u{301D}" | "``" => {
                return Some(QuoteRole::Open)
            }
            "\u{201D}" | "\u{00BB}" | "\u{301E}" | "\u{301F}" | "''" => {
                return Some(QuoteRole::Close)
            }
            _ => {}
        }
        let toggle = if self.in_quote {
            QuoteRole::Close
        } else {
            QuoteRole::Open
        };
        let prev_attached = j.checked_sub(1).is_some_and(|p| self.attached(p, j));
        let next_attached = self.attached(j, j + 1);
        let role = match (prev_attached, next_attached) {
            (false, true) => QuoteRole::Open,
            (true, false) => QuoteRole::Close,
            (false, false) => toggle,
            (true, true) => {
                let prev = j.checked_sub(1).map_or("", |p| self.norm(p));
                let next = self.tokens.get(j + 1);
                let next_closes = next.is_some_and(|t| {
                    t.kind == TokenKind::Punct
                        && matches!(
                            t.norm.as_str(),
                            "," | "." | ";" | ":" | "!" | "?" | ")" | "]" | "}" | "..." | "-"
                        )
                });
                if matches!(prev, "(" | "[" | "{" | "-" | ":" | "'") {
                    QuoteRole::Open
                } else if next_closes {
                    QuoteRole::Close
                } else {
                    toggle
                }
            }
        };
        Some(role)
    }

    /// Whether the line ending with token `last` looks like a heading,
    /// dateline or byline rather than hard-wrapped prose.
    fn is_heading(&self, last: usize) -> bool {
        let Some(line) = self.tokens.get(self.line_start..=last) else {
            return false;
        };
        let Some(end) = line.last() else {
            return false;
        };
        if line.len() > HEADING_MAX_TOKENS
            || starts_lowercase(self.src(self.line_start))
            || starts_lowercase(self.src(last + 1))
        {
            return false;
        }
        let ends_well = match end.kind {
            TokenKind::Punct => matches!(end.norm.as_str(), ")" | "]" | "\"" | "'"),
            TokenKind::Word => {
                !NO_END_WORDS.contains(&end.lower.as_str())
                    && abbrev::token_class(&end.norm) != Some(AbbrevClass::Never)
            }
            TokenKind::Number | TokenKind::Symbol => true,
        };
        let has_stop = line.iter().enumerate().any(|(k, t)| {
            terminal(t) == Some(Term::Punct) && !self.is_enumeration(self.line_start + k)
        });
        if !ends_well || has_stop {
            return false;
        }
        line.len() <= SHORT_LINE_TOKENS || is_title_case(line)
    }
}

/// Every word capitalised except small function words ("Talks Collapse
/// After Week of Fighting").
fn is_title_case(line: &[Token]) -> bool {
    let mut capitalised = false;
    for t in line {
        if t.kind != TokenKind::Word || !t.norm.starts_with(char::is_alphabetic) {
            continue;
        }
        if starts_lowercase(&t.norm) {
            if !TITLE_SMALL_WORDS.contains(&t.lower.as_str()) {
                return false;
            }
        } else {
            capitalised = true;
        }
    }
    capitalised
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    /// `n` words with no punctuation at all.
    fn run_on(n: usize) -> String {
        let words = ["convoy", "moved", "north", "past", "the", "old", "bridge"];
        (0..n)
            .map(|i| words[i % words.len()])
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Spans from `sentence_spans` and from `split_sentences`, as token ranges.
    fn both(text: &str) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
        let tokens = tokenize(text);
        let spans = sentence_spans(text, &tokens);
        let mut at = 0;
        let from_split = split_sentences(text, tokens)
            .iter()
            .map(|s| {
                let r = at..at + s.tokens.len();
                at = r.end;
                r
            })
            .collect();
        (spans, from_split)
    }

    /// Spans cover all tokens, in order, without gaps or empty pieces.
    fn assert_partition(spans: &[Range<usize>], n: usize) {
        let mut at = 0;
        for s in spans {
            assert_eq!(s.start, at, "gap or overlap at {s:?}");
            assert!(!s.is_empty(), "empty span {s:?}");
            at = s.end;
        }
        assert_eq!(at, n);
    }

    #[test]
    fn short_sentences_are_untouched() {
        let text = "Talks resumed on Monday. Both sides, after a long pause, agreed.";
        let (spans, split) = both(text);
        assert_eq!(spans, vec![0..5, 5..15]);
        assert_eq!(spans, split);
    }

    #[test]
    fn a_sentence_at_the_cap_is_not_cut() {
        let text = run_on(MAX_SENTENCE_TOKENS);
        let (spans, split) = both(&text);
        assert_eq!(spans, vec![0..MAX_SENTENCE_TOKENS]);
        assert_eq!(spans, split);
    }

    #[test]
    fn run_on_without_punctuation_is_hard_split_at_the_cap() {
        let n = 50_000;
        let text = run_on(n);
        let (spans, split) = both(&text);
        assert_partition(&spans, n);
        assert_eq!(spans, split);
        assert_eq!(spans.len(), n.div_ceil(MAX_SENTENCE_TOKENS));
        assert!(spans.iter().all(|s| s.len() == MAX_SENTENCE_TOKENS));
    }

    #[test]
    fn run_on_is_cut_after_the_last_clause_mark_in_the_later_half() {
        // 150 words, a comma, 100 words, a semicolon, 100 words: the first
        // piece ends at the comma (token 150), the second at the semicolon.
        let text = format!("{}, {}; {}", run_on(150), run_on(100), run_on(100));
        let (spans, split) = both(&text);
        assert_eq!(spans, vec![0..151, 151..252, 252..352]);
        assert_eq!(spans, split);
    }

    #[test]
    fn a_clause_mark_in_the_first_half_is_not_used() {
        // The only comma is at token 20: cutting there would leave a tiny
        // piece and another over-long one, so the cut is at the cap.
        let text = format!("{}, {}", run_on(20), run_on(300));
        let (spans, split) = both(&text);
        assert_eq!(
            spans,
            vec![0..MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS..321]
        );
        assert_eq!(spans, split);
    }

    #[test]
    fn dashes_and_colons_are_clause_marks() {
        let dash = format!("{} \u{2014} {}", run_on(180), run_on(100));
        assert_eq!(both(&dash).0, vec![0..181, 181..281]);
        let colon = format!("{}: {}", run_on(120), run_on(100));
        assert_eq!(both(&colon).0, vec![0..121, 121..221]);
    }

    #[test]
    fn pieces_of_a_cut_run_are_marked() {
        let text = format!(
            "Fighting eased. The {} Aid arrived. Talks resumed.",
            run_on(250)
        );
        let cut: Vec<bool> = split_sentences(&text, tokenize(&text))
            .iter()
            .map(|s| s.cut)
            .collect();
        assert_eq!(cut, [false, true, true, false]);
    }

    #[test]
    fn normal_sentences_around_a_run_on_keep_their_boundaries() {
        let text = format!("Fighting eased. The {} Aid arrived.", run_on(450));
        let (spans, split) = both(&text);
        assert_eq!(spans, split);
        assert_eq!(spans.first(), Some(&(0..3)));
        assert_eq!(spans.last(), Some(&(403..457)));
        assert_partition(&spans, 457);
        assert!(spans.iter().all(|s| s.len() <= MAX_SENTENCE_TOKENS));
    }
}
