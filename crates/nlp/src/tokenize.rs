//! The tokenizer: one pass over the text, producing words, numbers,
//! punctuation and symbols with byte offsets into the original text.
//!
//! Every offset comes from adding `char::len_utf8` to a char boundary, and
//! all slicing goes through `str::get`, so no input can make it panic.

use unicode_segmentation::UnicodeSegmentation;

use crate::abbrev;
use crate::chars::{
    char_at, char_before, is_apostrophe, is_bang_or_question, is_dash, is_hyphen_joiner, is_punct,
    is_skippable, is_word_char, lower_form, norm_form, scan_while,
};
use crate::types::{Token, TokenKind};

/// Longest e-mail local part (RFC 5321) and host name looked at; bounds
/// the look-ahead so that no input makes tokenizing quadratic.
const MAX_LOCAL: usize = 64;
const MAX_HOST: usize = 253;

/// Top-level domains that make "example.com" one token without "http://".
const TLDS: &[&str] = &[
    "com", "org", "net", "gov", "edu", "mil", "int", "info", "io", "uk", "news", "tv", "biz",
];

/// Split `text` into tokens; see [`crate::tokenize`].
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokenizer = Tokenizer {
        text,
        out: Vec::with_capacity(text.len() / 5 + 1),
    };
    tokenizer.run();
    tokenizer.out
}

struct Tokenizer<'a> {
    text: &'a str,
    out: Vec<Token>,
}

impl Tokenizer<'_> {
    fn run(&mut self) {
        let mut pos = 0;
        while let Some(c) = char_at(self.text, pos) {
            let len = c.len_utf8();
            if is_skippable(c) {
                pos += len;
                continue;
            }
            let end = if c.is_alphanumeric() {
                self.word(pos)
            } else {
                self.other(pos, c)
            };
            pos = if end > pos {
                end
            } else {
                // Defensive: every branch consumes input, but never loop.
                self.push(pos, pos + len, TokenKind::Symbol, None);
                pos + len
            };
        }
    }

    /// Push a token with `norm` computed from the source unless given.
    fn push(&mut self, start: usize, end: usize, kind: TokenKind, norm: Option<&str>) {
        let Some(src) = self.text.get(start..end) else {
            return;
        };
        let norm = match norm {
            Some(n) => n.to_owned(),
            None => norm_form(src),
        };
        self.push_norm(start, end, kind, norm);
    }

    fn push_norm(&mut self, start: usize, end: usize, kind: TokenKind, norm: String) {
        let Some(src) = self.text.get(start..end) else {
            return;
        };
        if src.is_empty() {
            return;
        }
        let norm = if norm.is_empty() {
            src.to_owned()
        } else {
            norm
        };
        let lower = lower_form(&norm);
        self.out.push(Token {
            start,
            end,
            norm,
            lower,
            kind,
            upos: String::new(),
            xpos: String::new(),
            lemma: String::new(),
            head: None,
            deprel: String::new(),
        });
    }

    /// Push a word-like run, classifying it as Word or Number.
    fn push_run_piece(&mut self, start: usize, end: usize) {
        let Some(src) = self.text.get(start..end) else {
            return;
        };
        let norm = norm_form(src);
        let kind = classify_run(&norm);
        self.push_norm(start, end, kind, norm);
    }

    /// Push a run, splitting off a clitic ("n't", "'s", "'re", ...).
    fn push_run(&mut self, start: usize, end: usize) {
        let split = self.text.get(start..end).and_then(clitic_split);
        match split {
            Some(at) => {
                self.push_run_piece(start, start + at);
                self.push(start + at, end, TokenKind::Word, None);
            }
            None => self.push_run_piece(start, end),
        }
    }

    /// A token starting with a letter or digit; returns its end.
    fn word(&mut self, start: usize) -> usize {
        let text = self.text;
        if let Some(end) = scan_email(text, start).or_else(|| scan_url(text, start)) {
            self.push(start, end, TokenKind::Symbol, None);
            return end;
        }
        let (end, numeric) = match scan_acronym(text, start) {
            Some(acronym_end) => match hyphen_continuation(text, acronym_end) {
                // "U.S.-led"
                Some(next) => (scan_run(text, next, false).0, false),
                None => {
                    self.push(start, acronym_end, TokenKind::Word, None);
                    return acronym_end;
                }
            },
            None => scan_run(text, start, true),
        };
        if char_at(text, end) == Some('.') {
            let after = end + 1;
            let word = text.get(start..end).unwrap_or("");
            let rest = text.get(after..).unwrap_or("");
            if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                if let Some(host_end) = scan_host(text, start) {
                    self.push(start, host_end, TokenKind::Symbol, None);
                    return host_end;
                }
                if word == "Ph" && rest.starts_with("D.") {
                    self.push(start, after + 2, TokenKind::Word, None);
                    return after + 2;
                }
            }
            if !numeric && abbrev::takes_period(word, rest) {
                self.push(start, after, TokenKind::Word, None);
                return after;
            }
        }
        self.push_run(start, end);
        end
    }

    /// A token starting with anything but a letter or digit; returns its end.
    fn other(&mut self, start: usize, c: char) -> usize {
        let text = self.text;
        let len = c.len_utf8();
        let next = char_at(text, start + len);
        match c {
            '@' | '#' => {
                let handle = next.is_some_and(|n| {
                    n.is_alphabetic() || (c == '@' && (n.is_alphanumeric() || n == '_'))
                });
                if handle {
                    let end = scan_while(text, start + len, |ch| ch.is_alphanumeric() || ch == '_');
                    self.push(start, end, TokenKind::Symbol, None);
                    end
                } else {
                    self.single(start, c)
                }
            }
            '.' | '\u{2026}' => {
                let end = scan_while(text, start, |ch| ch == '.' || ch == '\u{2026}');
                self.push(start, end, TokenKind::Punct, None);
                end
            }
            _ if is_bang_or_question(c) => {
                let end = scan_while(text, start, is_bang_or_question);
                self.push(start, end, TokenKind::Punct, None);
                end
            }
            _ if is_dash(c) => {
                let end = scan_while(text, start, is_dash);
                self.push(start, end, TokenKind::Punct, Some("-"));
                end
            }
            '`' if next == Some('`') => {
                self.push(start, start + 2, TokenKind::Punct, Some("\""));
                start + 2
            }
            _ if is_apostrophe(c) => self.apostrophe(start, c),
            _ => self.single(start, c),
        }
    }

    /// An apostrophe that did not join a word: a clitic after an
    /// abbreviation ("U.S.'s"), a plural possessive ("officials'"), a `''`
    /// closing quote, or a single quote.
    fn apostrophe(&mut self, start: usize, c: char) -> usize {
        let text = self.text;
        let after = start + c.len_utf8();
        let prev = char_before(text, start);
        if prev.is_some_and(|p| is_word_char(p) || p == '.') {
            if let Some(end) = clitic_after(text, after) {
                self.push(start, end, TokenKind::Word, None);
                return end;
            }
        }
        if c == '\'' && char_at(text, after) == Some('\'') {
            self.push(start, after + 1, TokenKind::Punct, Some("\""));
            return after + 1;
        }
        let next_alnum = char_at(text, after).is_some_and(char::is_alphanumeric);
        let kind = if matches!(prev, Some('s' | 'S')) && !next_alnum {
            TokenKind::Word
        } else {
            TokenKind::Punct
        };
        self.push(start, after, kind, Some("'"));
        after
    }

    /// One punctuation char, or one symbol grapheme cluster (so that emoji
    /// with modifiers stay whole).
    fn single(&mut self, start: usize, c: char) -> usize {
        let len = c.len_utf8();
        let norm = norm_form(c.encode_utf8(&mut [0u8; 4]));
        if norm.chars().next().is_some_and(is_punct) {
            self.push_norm(start, start + len, TokenKind::Punct, norm);
            return start + len;
        }
        let cluster = self
            .text
            .get(start..)
            .and_then(|rest| rest.graphemes(true).next())
            .map_or(len, str::len)
            .max(len);
        self.push(start, start + cluster, TokenKind::Symbol, None);
        start + cluster
    }
}

/// Word or Number: a number is digits with "," / "." separators, optionally
/// followed by an ordinal or decade suffix ("21st", "1990s").
fn classify_run(norm: &str) -> TokenKind {
    if !norm.starts_with(|c: char| c.is_numeric()) {
        return TokenKind::Word;
    }
    let suffix = norm.trim_start_matches(|c: char| c.is_numeric() || c == ',' || c == '.');
    let number = suffix.is_empty()
        || ["st", "nd", "rd", "th", "s"]
            .iter()
            .any(|s| suffix.eq_ignore_ascii_case(s));
    if number {
        TokenKind::Number
    } else {
        TokenKind::Word
    }
}

/// Scan a word run from `pos`: word chars joined by inner hyphens,
/// apostrophes, "&" between capitals ("AT&T") and, while the run is still
/// numeric, thousands commas and decimal points. Returns the end and
/// whether the run is purely numeric.
fn scan_run(text: &str, mut pos: usize, mut numeric: bool) -> (usize, bool) {
    while let Some(c) = char_at(text, pos) {
        let len = c.len_utf8();
        if is_word_char(c) {
            numeric &= c.is_numeric();
            pos += len;
            continue;
        }
        let prev = char_before(text, pos);
        let next = char_at(text, pos + len);
        let joined = match (prev, next) {
            (Some(p), Some(n)) => {
                if is_hyphen_joiner(c) {
                    // "al-Qaeda", "COVID-19", but "8,000-9,000" splits.
                    is_word_char(p)
                        && n.is_alphanumeric()
                        && !(p.is_numeric() && n.is_numeric() && c != '\u{00AD}')
                } else if c == ',' {
                    numeric && p.is_ascii_digit() && thousands_group_at(text, pos + 1)
                } else if c == '.' {
                    numeric && p.is_numeric() && n.is_ascii_digit()
                } else if is_apostrophe(c) {
                    is_word_char(p) && n.is_alphabetic()
                } else if c == '&' {
                    p.is_ascii_uppercase() && n.is_ascii_uppercase()
                } else {
                    false
                }
            }
            _ => false,
        };
        if !joined {
            break;
        }
        if c != ',' && c != '.' {
            numeric = false;
        }
        pos += len;
    }
    (pos, numeric)
}

/// Exactly three ASCII digits at `pos`, not followed by a fourth ("1,500").
fn thousands_group_at(text: &str, pos: usize) -> bool {
    let bytes = text.as_bytes();
    let three = bytes
        .get(pos..pos + 3)
        .is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    three && !bytes.get(pos + 3).is_some_and(u8::is_ascii_digit)
}

/// A dotted acronym at `start` ("U.S.", "e.g.", "a.m.", "J.R.R."): two or
/// more single letters each followed by a period, or the common slip of a
/// missing final period ("U.S Army"). Returns its end.
fn scan_acronym(text: &str, start: usize) -> Option<usize> {
    let mut pos = start;
    let mut letters = 0;
    while let Some(c) = char_at(text, pos) {
        let dot = pos + c.len_utf8();
        if !c.is_alphabetic() || char_at(text, dot) != Some('.') {
            break;
        }
        letters += 1;
        pos = dot + 1;
    }
    if letters == 1 {
        // "U.S" + space: a last single letter without its period.
        let last = char_at(text, pos).filter(|c| c.is_alphabetic())?;
        let after = pos + last.len_utf8();
        let ends = !char_at(text, after).is_some_and(is_word_char);
        return ends.then_some(after);
    }
    (letters >= 2).then_some(pos)
}

/// After an acronym, a hyphen followed by a letter or digit continues the
/// word; returns where the continuation starts.
fn hyphen_continuation(text: &str, pos: usize) -> Option<usize> {
    let h = char_at(text, pos)?;
    let next = pos + h.len_utf8();
    (is_hyphen_joiner(h) && char_at(text, next)?.is_alphanumeric()).then_some(next)
}

/// Byte index inside `run` where a trailing clitic starts: "did|n't",
/// "It|'s", "they|'re", "Afghanistan|’s".
fn clitic_split(run: &str) -> Option<usize> {
    let (at, apostrophe) = run.char_indices().rev().find(|&(_, c)| is_apostrophe(c))?;
    if at == 0 {
        return None;
    }
    let suffix = run.get(at + apostrophe.len_utf8()..)?;
    if ["s", "re", "ve", "ll", "d", "m"]
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(s))
    {
        return Some(at);
    }
    let before = run.get(..at)?;
    let ends_n = before.ends_with('n') || before.ends_with('N');
    (suffix.eq_ignore_ascii_case("t") && ends_n && before.len() >= 2).then_some(at - 1)
}

/// A clitic ("s", "re", "ve", "ll", "d", "m") right after an apostrophe at
/// `pos` that ends there; returns the end of the clitic.
fn clitic_after(text: &str, pos: usize) -> Option<usize> {
    let rest = text.get(pos..)?;
    let n = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    let suffix = rest.get(..n)?;
    let known = ["s", "re", "ve", "ll", "d", "m"]
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(s));
    let end = pos + n;
    (known && !char_at(text, end).is_some_and(char::is_alphanumeric)).then_some(end)
}

/// Whether `text` starts with `prefix`, ignoring ASCII case.
fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// An e-mail address at `start`; returns its end.
fn scan_email(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let (at, _) = rest
        .char_indices()
        .take(MAX_LOCAL + 1)
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')))?;
    if at == 0 || !rest.get(at..)?.starts_with('@') {
        return None;
    }
    let domain_start = at + 1;
    let domain_len = rest
        .get(domain_start..)?
        .char_indices()
        .take(MAX_HOST)
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '-' || c == '.')
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    let domain = rest
        .get(domain_start..domain_start + domain_len)?
        .trim_end_matches(['.', '-']);
    let valid = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.contains("..")
        && domain.rsplit('.').next().is_some_and(|tld| tld.len() >= 2);
    valid.then_some(start + domain_start + domain.len())
}

/// A URL starting with "http://", "https://" or "www." at `start`; returns
/// its end, without trailing sentence punctuation.
fn scan_url(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let prefix = ["https://", "http://", "www."]
        .iter()
        .find(|p| starts_with_ci(rest, p))?;
    let end = url_end(rest, 0);
    (end > prefix.len()).then_some(start + end)
}

/// End of a URL-like run starting at byte `from` of `rest`: up to white
/// space or a quote, minus trailing punctuation and unbalanced brackets.
fn url_end(rest: &str, from: usize) -> usize {
    let stop = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(
                c,
                '"' | '<' | '>' | '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}'
            )
    };
    let raw_end = scan_while(rest, from, |c| !stop(c));
    let mut url = rest.get(..raw_end).unwrap_or("");
    let mut opens = url.matches(['(', '[']).count();
    let mut closes = url.matches([')', ']']).count();
    while let Some(last) = url.chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '\u{2018}' | '\u{2019}' => true,
            ')' | ']' if closes > opens => {
                closes -= 1;
                true
            }
            '(' | '[' => {
                opens = opens.saturating_sub(1);
                true
            }
            _ => false,
        };
        if !trim || url.len() <= from {
            break;
        }
        url = url.get(..url.len() - last.len_utf8()).unwrap_or("");
    }
    url.len().max(from)
}

/// A bare host name with a known top-level domain at `start`
/// ("example.com", "bbc.co.uk"), plus any "/path"; returns its end.
fn scan_host(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let raw = rest
        .bytes()
        .take(MAX_HOST)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.')
        .count();
    let host = rest.get(..raw)?.trim_end_matches('.');
    let mut labels = 0;
    for label in host.split('.') {
        if label.is_empty() {
            return None;
        }
        labels += 1;
    }
    let tld = host.rsplit('.').next()?;
    if labels < 2 || !TLDS.contains(&tld) {
        return None;
    }
    let end = if rest.get(host.len()..)?.starts_with('/') {
        url_end(rest, host.len())
    } else {
        host.len()
    };
    Some(start + end)
}
