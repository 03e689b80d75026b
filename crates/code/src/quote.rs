//! Quotations and reported speech: who said what.
//!
//! [`find_quotes`] returns, for an analysed [`Doc`], the direct quotes
//! (words between double quotation marks, straight or curly, nested single
//! quotes kept inside) and the indirect ones ("X said (that) …", "…, X said.",
//! "according to X, …", "X told Y that …"), each with its cue ("said",
//! "according to") and its speaker as written, and the speaker resolved
//! through a pronoun to the latest earlier named speaker where there is one.
//!
//! Conventions:
//! - Quotes are speech: scare quotes (a few quoted words inside a clause
//!   with no speech cue, as in `called it a "puppet"`) are left out.
//! - An unclosed quotation mark ends at the end of its paragraph (a blank
//!   line, or the end of the text); every mark is looked at once, so an
//!   article of unbalanced quotes costs one pass.
//! - A direct quote with no cue in its sentences takes the speaker of the
//!   latest quote in the same or previous paragraph (a continued quote).
//! - Cues are speech verbs and nouns ("say", "statement") and verbs that
//!   report a stance or plan of the speaker ("believe", "expect", "plan"),
//!   which attribution corpora annotate alike. The speaker is the cue's
//!   subject in the parse (or its possessor: "the company's announcement"),
//!   the noun after an inverted cue ("…," said Stoltenberg), the object of
//!   "according to"; without a parse, the nearest noun phrase by word order.

use crate::syntax::Tree;
use crate::TextSpan as Span;
use pulse_nlp::{Doc, Sentence, Token, TokenKind};
use serde::Serialize;

/// One quotation or piece of reported speech.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// Byte offset where the quoted words (or the reported clause) start.
    pub start: usize,
    /// Byte offset one past their end.
    pub end: usize,
    /// The quoted words, or the reported clause of indirect speech.
    pub text: String,
    /// Between quotation marks (`true`) or reported (`false`).
    pub direct: bool,
    /// The speaker: the name as written, or for a pronoun the earlier name
    /// it stands for when one was found.
    pub speaker: Option<Span>,
    /// The speaker mention as written in the cue's clause ("he", "the
    /// company"), before any pronoun is resolved.
    pub mention: Option<Span>,
    /// The cue: "said", "according to", "statement".
    pub cue: Option<Span>,
    /// Index of the sentence of the cue (or of the quote's start when it has
    /// no cue).
    pub sentence: usize,
}

/// Lemmas of speech cues (verbs of saying).
const SPEECH: &[&str] = &[
    "say",
    "tell",
    "announce",
    "claim",
    "add",
    "state",
    "warn",
    "report",
    "declare",
    "insist",
    "explain",
    "confirm",
    "deny",
    "admit",
    "argue",
    "assert",
    "reply",
    "respond",
    "write",
    "note",
    "comment",
    "remark",
    "stress",
    "acknowledge",
    "describe",
    "reveal",
    "predict",
    "forecast",
    "quote",
    "cite",
    "suggest",
    "conclude",
    "estimate",
    "allege",
    "urge",
    "promise",
    "vow",
    "pledge",
    "threaten",
    "emphasize",
    "emphasise",
    "indicate",
    "disclose",
    "post",
    "tweet",
    "outline",
    "ask",
    "recommend",
    "call",
    "request",
    "justify",
    "reject",
    "applaud",
    "translate",
    "refuse",
    "blame",
    "speak",
    "point",
    "order",
    "negotiate",
    "criticize",
    "criticise",
    "praise",
    "condemn",
    "accuse",
    "demand",
];

/// Lemmas of cues that report what the speaker thinks or intends.
const STANCE: &[&str] = &[
    "believe",
    "think",
    "expect",
    "anticipate",
    "plan",
    "intend",
    "want",
    "hope",
    "fear",
    "consider",
    "see",
    "feel",
    "agree",
    "decide",
    "envision",
    "prefer",
    "doubt",
    "know",
    "like",
    "love",
    "need",
    "choose",
    "determine",
];

/// Nouns that act as cues ("in a statement", "the company's announcement").
const CUE_NOUNS: &[&str] = &[
    "statement",
    "announcement",
    "declaration",
    "comment",
    "comments",
    "remarks",
    "speech",
    "response",
    "interview",
    "plan",
    "plans",
    "claim",
    "claims",
    "report",
    "reports",
    "statements",
    "quote",
    "request",
    "requests",
];

/// Irregular and frequent surface forms of cue verbs, for text with no
/// lemmas (word order only).
const FORMS: &[(&str, &str)] = &[
    ("said", "say"),
    ("says", "say"),
    ("saying", "say"),
    ("told", "tell"),
    ("tells", "tell"),
    ("telling", "tell"),
    ("wrote", "write"),
    ("written", "write"),
    ("thought", "think"),
    ("saw", "see"),
    ("seen", "see"),
    ("sees", "see"),
    ("felt", "feel"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("knew", "know"),
    ("known", "know"),
    ("knows", "know"),
];

/// Words of time that follow a cue without being its speaker ("announced
/// Monday", "said today"); any word ending in "day" is one too.
const TIME_WORDS: &[&str] = &[
    "tonight", "last", "this", "on", "earlier", "later", "recently",
];

fn is_time_word(lower: &str) -> bool {
    lower.ends_with("day") || TIME_WORDS.contains(&lower)
}

/// Auxiliary and modal verbs, never a speaker's name.
const AUXILIARIES: &[&str] = &[
    "be", "is", "are", "was", "were", "been", "being", "am", "have", "has", "had", "having", "do",
    "does", "did", "will", "would", "can", "could", "may", "might", "shall", "should", "must",
];

/// Pronouns that a speaker may be written as.
const PRONOUNS: &[&str] = &[
    "he", "she", "they", "it", "we", "i", "his", "her", "their", "its", "our", "my",
];

/// Longest quote (in tokens) looked at for a cue; longer runs are still
/// returned but never rescanned.
const MAX_QUOTE_TOKENS: usize = 2000;

/// The lemma of a cue verb or `None` for a word that is not one.
fn cue_lemma(t: &Token) -> Option<&'static str> {
    let lemma = if t.lemma.is_empty() {
        guess_lemma(&t.lower)
    } else {
        t.lemma.to_lowercase()
    };
    if !t.xpos.is_empty() && !t.xpos.starts_with('V') {
        return None;
    }
    SPEECH.iter().chain(STANCE).find(|&&c| c == lemma).copied()
}

/// A lemma guessed from a lower-case word form: irregular forms from a
/// table, else the regular suffixes stripped.
fn guess_lemma(lower: &str) -> String {
    if let Some((_, l)) = FORMS.iter().find(|(f, _)| *f == lower) {
        return (*l).to_string();
    }
    let known = |s: &str| SPEECH.contains(&s) || STANCE.contains(&s);
    if known(lower) {
        return lower.to_string();
    }
    for suffix in ["ing", "ed", "es", "s", "d"] {
        if let Some(stem) = lower.strip_suffix(suffix) {
            if known(stem) {
                return stem.to_string();
            }
            let e = format!("{stem}e");
            if known(&e) {
                return e;
            }
            // "planned", "admitted": a doubled final consonant
            let mut chars = stem.chars();
            if let (Some(a), Some(b)) = (chars.next_back(), chars.next_back()) {
                if a == b {
                    let single: String = stem.get(..stem.len() - a.len_utf8()).unwrap_or("").into();
                    if known(&single) {
                        return single;
                    }
                }
            }
        }
    }
    // "applies" → "apply"
    if let Some(stem) = lower.strip_suffix("ied") {
        return format!("{stem}y");
    }
    lower.to_string()
}

fn is_speech(lemma: &str) -> bool {
    SPEECH.contains(&lemma)
}

fn span(doc: &Doc, start: usize, end: usize) -> Span {
    Span {
        start,
        end,
        text: doc.text.get(start..end).unwrap_or("").to_string(),
    }
}

fn tok_span(doc: &Doc, toks: &[Token], a: usize, b: usize) -> Option<Span> {
    let (s, e) = (toks.get(a)?.start, toks.get(b)?.end);
    (s < e).then(|| span(doc, s, e))
}

/// A pair of quotation marks (byte offsets of the text inside them).
#[derive(Debug, Clone, Copy)]
struct Marks {
    /// Byte offset just after the opening mark.
    inner_start: usize,
    /// Byte offset of the closing mark (or the paragraph's end).
    inner_end: usize,
}

/// Paired double quotation marks of a text, in one pass: curly marks by
/// their direction, straight ones by what is before them; an unclosed mark
/// is closed at the paragraph's end (a blank line).
fn quote_marks(text: &str) -> Vec<Marks> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut newline_run = 0usize;
    let mut skip_next = false;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            newline_run += 1;
            if newline_run >= 2 {
                if let Some(o) = open.take() {
                    out.push(Marks {
                        inner_start: o,
                        inner_end: text.get(..i).map_or(i, |s| s.trim_end().len()),
                    });
                }
            }
        } else if !c.is_whitespace() {
            newline_run = 0;
        }
        let rest = text.get(i..).unwrap_or("");
        if skip_next {
            skip_next = false;
            prev = Some(c);
            continue;
        }
        // PTB-style marks: `` opens, '' closes
        let double = (rest.starts_with("``") || rest.starts_with("''")).then_some(c == '`');
        if double.is_some() {
            skip_next = true;
        }
        let width = if double.is_some() { 2 } else { c.len_utf8() };
        let opening = match c {
            _ if double.is_some() => double,
            '\u{201C}' | '\u{201E}' | '\u{00AB}' => Some(true),
            '\u{201D}' | '\u{00BB}' => Some(false),
            // a straight mark opens when none is open, else closes; a
            // paragraph end closes an unbalanced one
            '"' => Some(open.is_none()),
            _ => None,
        };
        if let Some(is_open) = opening {
            let after = i + width;
            if is_open {
                // an open quote that meets another opening mark: the first
                // was never closed, end it here
                if let Some(o) = open.take() {
                    out.push(Marks {
                        inner_start: o,
                        inner_end: i,
                    });
                }
                open = Some(after);
            } else if let Some(o) = open.take() {
                out.push(Marks {
                    inner_start: o,
                    inner_end: i,
                });
            } else if prev.is_none_or(char::is_whitespace) {
                // a closing-looking curly mark with nothing open after a
                // space: a wrongly curled opening mark
                open = Some(after);
            }
        }
        prev = Some(c);
    }
    if let Some(o) = open {
        out.push(Marks {
            inner_start: o,
            inner_end: text.trim_end().len().max(o),
        });
    }
    out
}

/// The sentence holding byte offset `at`, by binary search.
fn sentence_at(doc: &Doc, at: usize) -> Option<usize> {
    let i = doc.sentences.partition_point(|s| s.end <= at);
    (i < doc.sentences.len()).then_some(i)
}

/// The paragraph number of every sentence: a blank line between two
/// sentences starts a new paragraph.
fn paragraphs(doc: &Doc) -> Vec<usize> {
    let mut out = Vec::with_capacity(doc.sentences.len());
    let mut p = 0usize;
    let mut prev_end: Option<usize> = None;
    for s in &doc.sentences {
        if let Some(e) = prev_end {
            let gap = doc.text.get(e..s.start).unwrap_or("");
            if gap.matches('\n').count() >= 2 {
                p += 1;
            }
        }
        out.push(p);
        prev_end = Some(s.end);
    }
    out
}

/// A cue found in a sentence: its tokens and its speaker mention.
#[derive(Debug, Clone)]
struct Cue {
    /// First and last token of the cue.
    first: usize,
    last: usize,
    /// The speaker mention's first and last token.
    speaker: Option<(usize, usize)>,
    /// The noun a relative pronoun speaker stands for.
    resolved: Option<(usize, usize)>,
    /// The reported clause's first and last token.
    content: Option<(usize, usize)>,
    /// A speech cue (not a stance one).
    speech: bool,
}

/// The token range covered by `t` and its dependents, leaving out relative
/// clauses and the punctuation at its edges (bounded depth).
fn phrase(tree: &Tree<'_>, toks: &[Token], t: usize, skip: &[&str]) -> (usize, usize) {
    let (mut lo, mut hi) = (t, t);
    let mut stack = vec![(t, 0usize)];
    while let Some((n, d)) = stack.pop() {
        lo = lo.min(n);
        hi = hi.max(n);
        if d > 12 {
            continue;
        }
        for &c in tree.children(n) {
            if skip.contains(&tree.full_rel(c)) || skip.contains(&tree.rel(c)) {
                continue;
            }
            stack.push((c, d + 1));
        }
    }
    while lo < hi && toks.get(lo).is_some_and(|x| x.kind == TokenKind::Punct) {
        lo += 1;
    }
    while hi > lo && toks.get(hi).is_some_and(|x| x.kind == TokenKind::Punct) {
        hi -= 1;
    }
    (lo, hi)
}

/// The speaker noun phrase: the head noun with its name parts and titles,
/// without clauses that describe it.
fn speaker_phrase(tree: &Tree<'_>, toks: &[Token], t: usize) -> (usize, usize) {
    phrase(
        tree,
        toks,
        t,
        &[
            "acl",
            "acl:relcl",
            "punct",
            "cc",
            "conj",
            "appos",
            "nmod",
            "case",
        ],
    )
}

/// Cues of a parsed sentence; `quoted` are the byte spans of its direct
/// quotes, where a cue outside them finds no speaker.
fn cues_parsed(tree: &Tree<'_>, toks: &[Token], quoted: &[(usize, usize)]) -> Vec<Cue> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        // "according to X"
        if t.lower == "according" && toks.get(i + 1).is_some_and(|n| n.lower == "to") {
            let x = match tree.rel(i) {
                "case" => tree.head(i).filter(|&h| h > i + 1),
                _ => None,
            }
            .or_else(|| noun_after(toks, i + 2));
            // "according to Fiat's announcement": the announcer
            let x = x.map(|x| {
                if CUE_NOUNS.contains(&toks.get(x).map_or("", |t| t.lower.as_str())) {
                    noun_owner(tree, toks, x).unwrap_or(x)
                } else {
                    x
                }
            });
            let speaker = x.map(|x| speaker_phrase(tree, toks, x));
            let content = x
                .and_then(|x| tree.head(x))
                .map(|h| phrase(tree, toks, h, &["obl"]));
            out.push(Cue {
                first: i,
                last: i + 1,
                speaker,
                resolved: None,
                content,
                speech: true,
            });
            continue;
        }
        // "Airbus announces job cuts": a headline verb tagged as a plural
        // noun, after the name that does it
        if let Some(p) = misread_verb(toks, i) {
            out.push(Cue {
                first: i,
                last: i,
                speaker: Some((run_back(toks, p, 0), p)),
                resolved: None,
                content: None,
                speech: is_speech(&guess_lemma(&t.lower)),
            });
            continue;
        }
        let noun_cue =
            matches!(t.upos.as_str(), "NOUN" | "PROPN") && CUE_NOUNS.contains(&t.lower.as_str());
        let lemma = if noun_cue { None } else { cue_lemma(t) };
        if lemma.is_none() && !noun_cue {
            continue;
        }
        // a verb used as an adjective or a noun modifier is no cue
        if matches!(tree.rel(i), "amod" | "compound" | "case" | "fixed") {
            continue;
        }
        let speech = lemma.is_some_and(is_speech) || noun_cue;
        let outside = |x: usize| same_region(toks, i, x, quoted);
        let (mention, resolved) = if noun_cue {
            // "statements by several politicians", wherever the parser hung
            // the by-phrase: the noun after "by"
            let by = toks
                .get(i + 1)
                .filter(|t| t.lower == "by")
                .and_then(|_| noun_after(toks, i + 2));
            let m = by
                .or_else(|| noun_owner(tree, toks, i))
                .or_else(|| {
                    i.checked_sub(1)
                        .filter(|&p| toks.get(p).is_some_and(name_like))
                })
                .or_else(|| climb(tree, toks, i, &outside));
            (m, None)
        } else if tree.passive(i) {
            // "X was quoted as saying", "it was reported": the agent if any
            (tree.agent(i), None)
        } else {
            parsed_speaker(tree, toks, i, &outside)
        };
        let mention = mention.filter(|&s| s != i && outside(s));
        let content = tree
            .children(i)
            .iter()
            .copied()
            .find(|&c| matches!(tree.rel(c), "ccomp" | "xcomp" | "parataxis"))
            .map(|c| phrase(tree, toks, c, &[]))
            .or_else(|| {
                // "…, X said": the cue hangs off the reported clause
                matches!(tree.rel(i), "parataxis" | "ccomp")
                    .then(|| tree.head(i))
                    .flatten()
                    .map(|h| (h, h))
            });
        out.push(Cue {
            first: i,
            last: i,
            speaker: mention.map(|s| speaker_phrase(tree, toks, s)),
            resolved: resolved
                .filter(|&r| Some(r) != mention)
                .map(|r| speaker_phrase(tree, toks, r)),
            content,
            speech,
        });
    }
    out
}

/// For a cue verb's "-s" form tagged as a plural noun right after a noun
/// and not followed by a verb ("Airbus announces job cuts", not "their
/// claims were upheld"), the noun before it.
fn misread_verb(toks: &[Token], i: usize) -> Option<usize> {
    let t = toks.get(i)?;
    if t.xpos != "NNS" || !t.lower.ends_with('s') {
        return None;
    }
    let lemma = guess_lemma(&t.lower);
    if lemma == t.lower || !(SPEECH.contains(&lemma.as_str()) || STANCE.contains(&lemma.as_str())) {
        return None;
    }
    let p = i.checked_sub(1)?;
    let prev = toks.get(p)?;
    let next_is_verb = toks
        .get(i + 1)
        .is_some_and(|n| matches!(n.upos.as_str(), "AUX" | "VERB"));
    (matches!(prev.upos.as_str(), "PROPN" | "NOUN") && !next_is_verb).then_some(p)
}

/// Whether tokens `a` and `b` are both inside the same direct quote or both
/// outside every one.
fn same_region(toks: &[Token], a: usize, b: usize, quoted: &[(usize, usize)]) -> bool {
    let region = |x: usize| {
        toks.get(x)
            .and_then(|t| quoted.iter().position(|&(s, e)| s <= t.start && t.end <= e))
    };
    region(a) == region(b)
}

/// The speaker of cue verb `v`: the mention as written and, for a relative
/// pronoun ("analysts, who had forecast"), the noun it stands for.
fn parsed_speaker(
    tree: &Tree<'_>,
    toks: &[Token],
    v: usize,
    outside: &dyn Fn(usize) -> bool,
) -> (Option<usize>, Option<usize>) {
    let own = tree
        .children(v)
        .iter()
        .copied()
        .find(|&c| tree.full_rel(c) == "nsubj" && c < v && outside(c));
    if let Some(s) = own {
        // English puts the subject right before a finite verb: a parser
        // subject across a comma loses to a noun just before the verb
        let finite = toks
            .get(v)
            .is_some_and(|t| matches!(t.xpos.as_str(), "VBP" | "VBZ" | "VBD"));
        let comma_between = toks
            .get(s + 1..v)
            .is_some_and(|between| between.iter().any(|t| t.norm == ","));
        if let Some(p) = v
            .checked_sub(1)
            .filter(|&p| p != s && finite && comma_between)
        {
            if toks
                .get(p)
                .is_some_and(|t| matches!(t.upos.as_str(), "NOUN" | "PROPN" | "PRON"))
                && outside(p)
            {
                return (Some(p), None);
            }
        }
        let word = toks.get(s).map_or("", |t| t.lower.as_str());
        let resolved = matches!(word, "who" | "which" | "that")
            .then(|| tree.subject(v))
            .flatten();
        return (Some(s), resolved);
    }
    // "with several agencies pointing to …": the absolute construction's
    // noun phrase, between "with" and the participle
    if toks.get(v).is_some_and(|t| t.xpos == "VBG") {
        let back = toks.get(v.saturating_sub(5)..v).unwrap_or(&[]);
        if let Some(w) = back.iter().rposition(|t| t.lower == "with") {
            let phrase = back.get(w + 1..).unwrap_or(&[]);
            let nominal = !phrase.is_empty()
                && phrase.iter().all(|t| {
                    matches!(
                        t.upos.as_str(),
                        "DET" | "ADJ" | "NOUN" | "PROPN" | "PRON" | "NUM"
                    )
                });
            if let Some(p) = v.checked_sub(1).filter(|&p| nominal && outside(p)) {
                return (Some(p), None);
            }
        }
    }
    // "…," said the chief executive: the noun phrase after an inverted cue
    if let Some(x) = inverted(toks, v) {
        if outside(x) {
            return (Some(x), None);
        }
    }
    // "Boeing saying that …": a name just before the cue
    if let Some(p) = v.checked_sub(1) {
        if toks.get(p).is_some_and(name_like) && outside(p) {
            return (Some(p), None);
        }
    }
    (climb(tree, toks, v, outside), None)
}

/// A word that can name a speaker by itself: a name, a capitalised word or
/// a personal pronoun.
fn name_like(t: &Token) -> bool {
    // a name the tagger took for an auxiliary ("Boeing" read as a gerund)
    // still counts; a true auxiliary does not
    if matches!(
        t.upos.as_str(),
        "DET" | "ADP" | "CCONJ" | "SCONJ" | "PUNCT" | "NUM"
    ) || AUXILIARIES.contains(&t.lower.as_str())
    {
        return false;
    }
    t.kind == TokenKind::Word
        && (t.upos == "PROPN"
            || t.norm.chars().next().is_some_and(char::is_uppercase)
            || PRONOUNS.contains(&t.lower.as_str()))
}

/// The nominal after an inverted cue: the cue follows a closing quotation
/// mark or a comma and a noun phrase follows it before any verb or
/// punctuation. Returns the phrase's last noun (its head).
fn inverted(toks: &[Token], v: usize) -> Option<usize> {
    let prev = toks.get(v.checked_sub(1)?)?;
    if !matches!(prev.norm.as_str(), "\"" | "''" | "," | "'") {
        return None;
    }
    let first = toks.get(v + 1)?;
    if !matches!(first.upos.as_str(), "DET" | "PROPN" | "NOUN" | "ADJ" | "")
        || is_time_word(&first.lower)
    {
        return None;
    }
    let mut head = None;
    for (j, t) in toks.iter().enumerate().skip(v + 1).take(12) {
        if matches!(t.upos.as_str(), "SCONJ" | "PRON" | "PART" | "ADV") {
            break;
        }
        if t.kind == TokenKind::Punct && t.norm != "'s" {
            break;
        }
        if matches!(t.upos.as_str(), "VERB" | "AUX" | "ADP") && t.lower != "'s" && t.lower != "of" {
            break;
        }
        if looks_nominal(t) || t.lower == "'s" {
            head = Some(j).filter(|_| t.lower != "'s");
        }
    }
    // the phrase ends the clause ("…," said the chief executive.) or a
    // participle follows it; an object with more after it is no speaker
    let h = head?;
    let ends = toks.iter().skip(h + 1).find(|t| t.lower != "'s");
    let ok = match ends {
        None => true,
        Some(t) => t.kind == TokenKind::Punct || t.xpos == "VBG",
    };
    ok.then_some(h)
}

/// The owner of a cue noun: "the company's announcement" (nmod:poss), "GM
/// plans" (a compound name), "a statement by the company", "It is a
/// response" (the noun's subject).
fn noun_owner(tree: &Tree<'_>, toks: &[Token], n: usize) -> Option<usize> {
    let kids = tree.children(n);
    kids.iter()
        .copied()
        .find(|&c| tree.full_rel(c) == "nmod:poss" && toks.get(c).is_some_and(looks_nominal))
        .or_else(|| {
            kids.iter()
                .copied()
                .find(|&c| tree.rel(c) == "nmod" && matches!(tree.case_of(c), Some("by" | "from")))
        })
        .or_else(|| {
            kids.iter().copied().find(|&c| {
                tree.rel(c) == "compound"
                    && c < n
                    && toks
                        .get(c)
                        .is_some_and(|t| t.upos == "PROPN" || name_like(t))
            })
        })
        .or_else(|| kids.iter().copied().find(|&c| tree.rel(c) == "nsubj"))
}

/// The subject of the nearest clause above `v` that has one of its own
/// ("Boeing challenged the award, claiming …"; "said in a statement"; "a
/// letter stating" takes the writer of the letter), at most four steps up.
fn climb(
    tree: &Tree<'_>,
    toks: &[Token],
    v: usize,
    outside: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let mut n = v;
    for _ in 0..4 {
        if !matches!(
            tree.rel(n),
            "advcl" | "xcomp" | "conj" | "acl" | "obl" | "obj" | "nmod" | "ccomp"
        ) || tree.rel(n) == "ccomp" && n == v
        {
            return None;
        }
        n = tree.head(n)?;
        if let Some(s) = tree
            .children(n)
            .iter()
            .copied()
            .find(|&c| tree.full_rel(c) == "nsubj" && outside(c))
        {
            return Some(s);
        }
        // a verb with no subject in the parse but a name just before it
        if toks.get(n).is_some_and(|t| t.upos == "VERB") {
            if let Some(p) = n.checked_sub(1) {
                if toks.get(p).is_some_and(name_like) && outside(p) {
                    return Some(p);
                }
            }
        }
        if toks
            .get(n)
            .is_some_and(|t| t.upos == "NOUN" || t.upos == "PROPN")
        {
            if let Some(o) = noun_owner(tree, toks, n).filter(|&o| o != v) {
                return Some(o);
            }
        }
    }
    None
}

/// First token at or after `from` that looks like a noun (or a name).
fn noun_after(toks: &[Token], from: usize) -> Option<usize> {
    let end = toks.len().min(from + 8);
    let mut last = None;
    for (i, t) in toks.iter().enumerate().take(end).skip(from) {
        if looks_nominal(t) {
            last = Some(i);
        } else if last.is_some() {
            break;
        }
    }
    last
}

fn looks_nominal(t: &Token) -> bool {
    if !t.upos.is_empty() {
        return matches!(t.upos.as_str(), "PROPN" | "NOUN" | "PRON");
    }
    t.kind == TokenKind::Word
        && (t.norm.chars().next().is_some_and(char::is_uppercase)
            || PRONOUNS.contains(&t.lower.as_str()))
}

/// Cues of a sentence without a parse, by word order: the speaker is the
/// noun phrase just before the cue, or just after it when the cue follows
/// a comma or quotation mark ("…," said X).
fn cues_linear(toks: &[Token]) -> Vec<Cue> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.lower == "according" && toks.get(i + 1).is_some_and(|n| n.lower == "to") {
            let x = noun_after(toks, i + 2);
            out.push(Cue {
                first: i,
                last: i + 1,
                speaker: x.map(|x| (run_back(toks, x, i + 2), x)),
                resolved: None,
                content: None,
                speech: true,
            });
            continue;
        }
        let Some(lemma) = cue_lemma(t) else { continue };
        let after_punct = i > 0
            && toks
                .get(i - 1)
                .is_some_and(|p| matches!(p.norm.as_str(), "," | "\"" | "'"));
        let speaker = if after_punct {
            noun_after(toks, i + 1).map(|x| (i + 1, x))
        } else {
            // the nearest nominal run before the cue, skipping adverbs
            let mut j = i;
            let mut found = None;
            while j > 0 && i - j < 4 {
                j -= 1;
                if toks.get(j).is_some_and(looks_nominal) {
                    found = Some(j);
                    break;
                }
            }
            found.map(|x| (run_back(toks, x, 0), x))
        };
        out.push(Cue {
            first: i,
            last: i,
            speaker,
            resolved: None,
            content: None,
            speech: is_speech(lemma),
        });
    }
    out
}

/// Start of the nominal run ending at `x` (not before `floor`).
fn run_back(toks: &[Token], x: usize, floor: usize) -> usize {
    let mut a = x;
    while a > floor && toks.get(a - 1).is_some_and(looks_nominal) && x - a < 8 {
        a -= 1;
    }
    a
}

/// All quotes of a document, in text order: direct quotes first found by
/// their marks, then reported speech from cues outside them.
pub fn find_quotes(doc: &Doc) -> Vec<Quote> {
    let paras = paragraphs(doc);
    let marks = quote_marks(&doc.text);
    let quoted: Vec<(usize, usize)> = marks
        .iter()
        .map(|m| trim_span(&doc.text, m.inner_start, m.inner_end))
        .collect();
    // cues per sentence, with the quotes that touch the sentence
    let mut cues: Vec<Vec<Cue>> = Vec::with_capacity(doc.sentences.len());
    for s in &doc.sentences {
        let from = quoted.partition_point(|q| q.1 <= s.start);
        let near: Vec<(usize, usize)> = quoted
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(|q| q.0 < s.end)
            .copied()
            .collect();
        cues.push(sentence_cues(s, &near));
    }
    let mut out: Vec<Quote> = Vec::new();
    // cues that introduce a direct quote are not reported again as indirect
    let mut used: Vec<(usize, usize)> = Vec::new();
    let mut last_speaker: Option<(usize, Option<Span>, Option<Span>)> = None;
    for m in &marks {
        let (a, b) = trim_span(&doc.text, m.inner_start, m.inner_end);
        if a >= b {
            continue;
        }
        let Some(s0) = sentence_at(doc, a) else {
            continue;
        };
        let s1 = sentence_at(doc, b.saturating_sub(1)).unwrap_or(s0).max(s0);
        let inner: Vec<(usize, usize)> = (s0..=s1)
            .flat_map(|si| {
                doc.sentences
                    .get(si)
                    .map(|s| {
                        s.tokens
                            .iter()
                            .enumerate()
                            .filter(|(_, t)| t.start >= a && t.end <= b)
                            .map(move |(i, _)| (si, i))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
            .take(MAX_QUOTE_TOKENS)
            .collect();
        let words = inner
            .iter()
            .filter(|(si, i)| {
                doc.sentences
                    .get(*si)
                    .and_then(|s| s.tokens.get(*i))
                    .is_some_and(|t| t.kind != TokenKind::Punct)
            })
            .count();
        // the nearest speech cue outside the quote, in its first or last
        // sentence (or the next one: `"…," he said.` may be split)
        let cue = [s0, s1, s1 + 1]
            .iter()
            .filter_map(|&si| cues.get(si).map(|c| (si, c)))
            .flat_map(|(si, c)| c.iter().map(move |c| (si, c)))
            .filter(|(si, c)| {
                doc.sentences
                    .get(*si)
                    .and_then(|s| s.tokens.get(c.first))
                    .is_some_and(|t| t.end <= m.inner_start || t.start >= m.inner_end)
            })
            .filter(|(si, _)| *si <= s1 || starts_with_cue(doc, *si, m.inner_end))
            .min_by_key(|(si, c)| {
                let t = doc
                    .sentences
                    .get(*si)
                    .and_then(|s| s.tokens.get(c.first))
                    .map_or(usize::MAX, |t| t.start);
                let dist = if t >= b { t - b } else { a.saturating_sub(t) };
                (usize::from(!c.speech), dist)
            })
            .map(|(si, c)| (si, c.clone()));
        let para = paras.get(s0).copied().unwrap_or(0);
        let starts_sentence = doc
            .sentences
            .get(s0)
            .and_then(|s| s.tokens.iter().find(|t| t.kind != TokenKind::Punct))
            .is_some_and(|t| t.start >= a);
        let ends_clause = doc
            .text
            .get(..b)
            .and_then(|s| s.trim_end().chars().next_back())
            .is_some_and(|c| matches!(c, '.' | ',' | '!' | '?' | ':' | ';'));
        let found = match cue {
            Some((si, c)) if c.speech || words > 4 => {
                let toks = doc.sentences.get(si).map_or(&[][..], |s| &s.tokens[..]);
                // a short quote inside a clause whose cue is far is a scare
                // quote unless it is the cue's clause: keep it when it ends
                // with punctuation or is several words long
                if words <= 3 && !ends_clause {
                    continue;
                }
                used.push((si, c.first));
                let mention = c.speaker.and_then(|(x, y)| tok_span(doc, toks, x, y));
                let speaker = c
                    .resolved
                    .and_then(|(x, y)| tok_span(doc, toks, x, y))
                    .or_else(|| resolve(doc, si, &mention, &last_speaker));
                (speaker, mention, tok_span(doc, toks, c.first, c.last), si)
            }
            _ => {
                // no cue: a continued quote when it is a whole sentence,
                // else a scare quote
                if !(starts_sentence && words > 3) {
                    continue;
                }
                match &last_speaker {
                    Some((p, s, m)) if para <= p + 1 => (s.clone(), m.clone(), None, s0),
                    _ => (None, None, None, s0),
                }
            }
        };
        let (speaker, mention, cue, sentence) = found;
        let quote = Quote {
            start: a,
            end: b,
            text: doc.text.get(a..b).unwrap_or("").to_string(),
            direct: true,
            speaker,
            mention,
            cue,
            sentence,
        };
        if quote.speaker.is_some() {
            last_speaker = Some((para, quote.speaker.clone(), quote.mention.clone()));
        }
        out.push(quote);
    }
    // reported speech: every other cue
    let mut last_named: Option<Span> = None;
    for (si, sent_cues) in cues.iter().enumerate() {
        let Some(s) = doc.sentences.get(si) else {
            continue;
        };
        for c in sent_cues {
            if used.contains(&(si, c.first)) {
                continue;
            }
            let Some(ct) = s.tokens.get(c.first) else {
                continue;
            };
            let _ = ct;
            let mention = c.speaker.and_then(|(x, y)| tok_span(doc, &s.tokens, x, y));
            let speaker = match &mention {
                Some(m) if is_pronoun(&m.text) => last_named
                    .clone()
                    .or_else(|| resolve(doc, si, &mention, &None)),
                other => c
                    .resolved
                    .and_then(|(x, y)| tok_span(doc, &s.tokens, x, y))
                    .or_else(|| other.clone()),
            };
            if let Some(m) = &mention {
                if !is_pronoun(&m.text) {
                    last_named = Some(m.clone());
                }
            }
            let (qa, qb) = c
                .content
                .and_then(|(x, y)| Some((s.tokens.get(x)?.start, s.tokens.get(y)?.end)))
                .unwrap_or((s.start, s.end));
            out.push(Quote {
                start: qa,
                end: qb,
                text: doc.text.get(qa..qb).unwrap_or("").to_string(),
                direct: false,
                speaker,
                mention,
                cue: tok_span(doc, &s.tokens, c.first, c.last),
                sentence: si,
            });
        }
    }
    out.sort_by_key(|q| (q.start, q.end));
    out
}

/// Whether sentence `si` begins (right after `at`) with a cue: `"…" said X.`
/// split off as its own sentence.
fn starts_with_cue(doc: &Doc, si: usize, at: usize) -> bool {
    doc.sentences
        .get(si)
        .is_some_and(|s| s.start <= at + 3 || s.tokens.first().is_some_and(|t| t.lower == "\""))
}

/// The sentence's cues, from the parse when it has one; a cue the parse
/// gives no speaker takes the one word order gives.
fn sentence_cues(s: &Sentence, quoted: &[(usize, usize)]) -> Vec<Cue> {
    let linear = cues_linear(&s.tokens);
    let Some(tree) = Tree::new(&s.tokens) else {
        return linear;
    };
    let mut cues = cues_parsed(&tree, &s.tokens, quoted);
    for c in &mut cues {
        if c.speaker.is_none() {
            c.speaker = linear
                .iter()
                .find(|l| l.first == c.first)
                .and_then(|l| l.speaker)
                .filter(|&(x, _)| same_region(&s.tokens, c.first, x, quoted));
        }
    }
    cues
}

fn is_pronoun(text: &str) -> bool {
    PRONOUNS.contains(&text.to_lowercase().as_str())
}

/// A pronoun mention resolved to the latest named speaker before it, else
/// the mention itself.
fn resolve(
    doc: &Doc,
    si: usize,
    mention: &Option<Span>,
    last: &Option<(usize, Option<Span>, Option<Span>)>,
) -> Option<Span> {
    let m = mention.as_ref()?;
    if !is_pronoun(&m.text) {
        return Some(m.clone());
    }
    if let Some((_, Some(s), _)) = last {
        if !is_pronoun(&s.text) {
            return Some(s.clone());
        }
    }
    // the latest proper noun run in the sentences before
    let from = si.saturating_sub(3);
    for s in doc
        .sentences
        .get(from..si.min(doc.sentences.len()))?
        .iter()
        .rev()
    {
        let toks = &s.tokens;
        // a name: tagged so, or capitalised inside the sentence when
        // there are no tags
        let name = |(k, t): (usize, &Token)| {
            t.upos == "PROPN"
                || (t.upos.is_empty()
                    && k > 0
                    && t.norm.chars().next().is_some_and(char::is_uppercase))
        };
        if let Some(i) = toks.iter().enumerate().rposition(name) {
            let a = run_back(toks, i, 0);
            return tok_span(doc, toks, a, i).or(Some(m.clone()));
        }
    }
    Some(m.clone())
}

/// The span without surrounding white space.
fn trim_span(text: &str, a: usize, b: usize) -> (usize, usize) {
    let Some(s) = text.get(a..b) else {
        return (a, a);
    };
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (a + lead, b.saturating_sub(trail).max(a + lead))
}
