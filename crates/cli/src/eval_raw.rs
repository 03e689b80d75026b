//! Scoring pulse from raw text against a UD treebank, as the CoNLL 2018
//! shared task does (the semantics of its `conll18_ud_eval.py`): the text of
//! the treebank goes through pulse's own tokenizer, sentence splitter, tagger
//! and parser, and the result is aligned with the gold annotation.
//!
//! The raw text is rebuilt from the gold file: one document per `# newdoc`
//! mark, the `# text` of its sentences joined by a space within a paragraph
//! and by a blank line where a `# newpar` mark starts a new one (a file
//! without any mark makes each sentence a paragraph of one document). Each
//! document is analysed on its own.
//!
//! Everything is compared by position in the text with all whitespace
//! removed, so gold and system agree on coordinates whatever the spacing.
//! Every measure is an F1 score, 2·matched / (gold + system):
//!
//! - `tokens-f1`: surface tokens whose character spans match exactly. A
//!   gold multiword token ("don't" = "do" + "n't") is one token; pulse's
//!   tokens are its system tokens, so a contraction pulse splits PTB-style
//!   counts as a miss here.
//! - `sentences-f1`: sentences whose spans (first to last character)
//!   match exactly.
//! - `words-f1`: syntactic words that can be aligned. Outside multiword
//!   tokens a gold and a system word align when their spans match; within
//!   the stretch of text covered by a multiword token (and the words that
//!   overlap it) words align along the longest common subsequence of their
//!   lower-cased forms, so pulse's "do" "n't" aligns with UD's "do" "n't".
//! - `words-upos-raw`: aligned words whose UPOS also agrees.
//! - `uas-raw`: aligned words whose system head is the word aligned with
//!   the gold head (root with root).
//! - `las-raw`: `uas-raw` and the same relation; as in CoNLL 2018 only the
//!   universal part of the relation is compared (`nmod:poss` counts as
//!   `nmod`).
//!
//! Inputs pulse cannot match (a token the tokenizer skips, a word whose
//! span it cuts differently) simply count as unmatched; a gold file whose
//! word forms do not spell its `# text` lines is an error.

use pulse_nlp::conllu::{ConlluSentence, ConlluWord};
use pulse_nlp::parser::Parser;
use pulse_nlp::tagger::Tagger;
use std::collections::BTreeSet;

/// A token: its span in the whitespace-free text and its form.
#[derive(Debug, Clone)]
struct Token {
    /// First character (in the text without whitespace).
    start: usize,
    /// One past the last character.
    end: usize,
    /// The token as written.
    form: String,
}

/// A syntactic word with what is scored on it.
#[derive(Debug, Clone)]
struct Word {
    /// Span of the word, or of its multiword token when it is part of one.
    start: usize,
    /// End of that span.
    end: usize,
    /// Whether the word is part of a multiword token.
    multiword: bool,
    /// Lower-cased form, for aligning words inside multiword tokens.
    form: String,
    /// Universal part-of-speech tag.
    upos: String,
    /// Index of the head among all words of the side; `None` for the root.
    head: Option<usize>,
    /// Universal part of the dependency relation.
    deprel: String,
}

/// One side of the comparison: the gold treebank or pulse's analysis.
#[derive(Debug, Default)]
struct Side {
    tokens: Vec<Token>,
    /// Sentence spans, in order.
    sentences: Vec<(usize, usize)>,
    words: Vec<Word>,
}

/// The counts behind one F1 score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Items found in both gold and system.
    pub matched: usize,
    /// Gold items.
    pub gold: usize,
    /// System items.
    pub system: usize,
}

/// The raw-text scores of one treebank (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct RawScores {
    /// Surface tokens.
    pub tokens: Counts,
    /// Sentences.
    pub sentences: Counts,
    /// Aligned syntactic words.
    pub words: Counts,
    /// Aligned words with the right UPOS.
    pub upos: Counts,
    /// Aligned words with the right head.
    pub uas: Counts,
    /// Aligned words with the right head and universal relation.
    pub las: Counts,
    /// Tokenisation and sentence-boundary errors, one tab-separated line
    /// each (`token`, gold tokens, pulse's tokens; or `sentence`, `missed` or
    /// `extra`, the tokens around the boundary), for `--verbose`.
    pub errors: Vec<String>,
}

impl RawScores {
    /// The measures under their `pulse eval` metric names.
    pub fn metrics(&self) -> [(&'static str, Counts); 6] {
        [
            ("tokens-f1", self.tokens),
            ("sentences-f1", self.sentences),
            ("words-f1", self.words),
            ("words-upos-raw", self.upos),
            ("uas-raw", self.uas),
            ("las-raw", self.las),
        ]
    }
}

/// Score pulse's analysis of the raw text of `sentences` against them.
pub fn evaluate(
    sentences: &[ConlluSentence],
    tagger: &Tagger,
    parser: &Parser,
) -> anyhow::Result<RawScores> {
    let (docs, gold) = gold_side(sentences)?;
    let system = system_side(&docs, tagger, parser);
    Ok(score(&gold, &system))
}

/// Number of non-whitespace characters of `s`.
fn solid_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Whether `a` and `b` have the same non-whitespace characters.
fn same_solid(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// The universal part of a dependency relation (`nmod:poss` → `nmod`).
fn universal(deprel: &str) -> &str {
    deprel.split(':').next().unwrap_or(deprel)
}

/// The gold side, and the documents of raw text it is read from.
fn gold_side(sentences: &[ConlluSentence]) -> anyhow::Result<(Vec<String>, Side)> {
    let marked = sentences.iter().any(|s| s.newdoc || s.newpar);
    let mut docs: Vec<String> = Vec::new();
    let mut side = Side::default();
    let mut pos = 0;
    for (n, s) in sentences.iter().enumerate() {
        let base = side.words.len();
        let start = pos;
        let mut forms = String::new();
        let mut i = 0;
        let mut multiword = s.multiword.iter().peekable();
        while let Some(w) = s.words.get(i) {
            // a malformed range (one starting inside the previous) is ignored
            while multiword.next_if(|m| m.first < i + 1).is_some() {}
            let (form, last, in_multiword) =
                match multiword.next_if(|m| m.first == i + 1 && m.last > m.first) {
                    Some(m) => (m.form.as_str(), m.last.min(s.words.len()), true),
                    None => (w.form.as_str(), i + 1, false),
                };
            let end = pos + solid_len(form);
            side.tokens.push(Token {
                start: pos,
                end,
                form: form.to_string(),
            });
            forms.push_str(form);
            forms.push(' ');
            for w in s.words.get(i..last).unwrap_or_default() {
                side.words
                    .push(gold_word(w, base, s.words.len(), pos, end, in_multiword));
            }
            pos = end;
            i = last;
        }
        if pos > start {
            side.sentences.push((start, pos));
        }
        let text = s.text.as_deref().unwrap_or(forms.trim_end());
        anyhow::ensure!(
            same_solid(text, &forms),
            "sentence {}: the word forms do not spell its # text",
            n + 1
        );
        match docs.last_mut() {
            Some(doc) if !s.newdoc => {
                doc.push_str(if s.newpar || !marked { "\n\n" } else { " " });
                doc.push_str(text);
            }
            _ => docs.push(text.to_string()),
        }
    }
    Ok((docs, side))
}

/// One gold word of a sentence whose words start at index `base` (of `n`
/// words); a missing or out-of-range head counts as the root.
fn gold_word(
    w: &ConlluWord,
    base: usize,
    n: usize,
    start: usize,
    end: usize,
    multiword: bool,
) -> Word {
    Word {
        start,
        end,
        multiword,
        form: w.form.to_lowercase(),
        upos: w.upos.clone(),
        head: w.head.filter(|h| (1..=n).contains(h)).map(|h| base + h - 1),
        deprel: universal(&w.deprel).to_string(),
    }
}

/// pulse's side: each document tokenized, split, tagged and parsed.
fn system_side(docs: &[String], tagger: &Tagger, parser: &Parser) -> Side {
    let mut side = Side::default();
    let mut offset = 0;
    for text in docs {
        // solid[b]: non-whitespace characters before byte b
        let mut solid = vec![0usize; text.len() + 1];
        let mut count = 0;
        for (b, c) in text.char_indices() {
            for slot in solid.get_mut(b..b + c.len_utf8()).unwrap_or_default() {
                *slot = count;
            }
            count += usize::from(!c.is_whitespace());
        }
        if let Some(last) = solid.last_mut() {
            *last = count;
        }
        let at = |b: usize| offset + solid.get(b).copied().unwrap_or(count);
        let doc = pulse_nlp::analyze(text);
        for s in &doc.sentences {
            let base = side.words.len();
            let words: Vec<&str> = s
                .tokens
                .iter()
                .map(|t| doc.text.get(t.start..t.end).unwrap_or(""))
                .collect();
            let tags = tagger.tag(&words);
            let pairs: Vec<String> = tags
                .iter()
                .map(|t| format!("{}|{}", t.upos, t.xpos))
                .collect();
            let pair_refs: Vec<&str> = pairs.iter().map(String::as_str).collect();
            let arcs = parser.parse(&words, &pair_refs);
            for (i, (t, form)) in s.tokens.iter().zip(&words).enumerate() {
                let (start, end) = (at(t.start), at(t.end));
                side.tokens.push(Token {
                    start,
                    end,
                    form: form.to_string(),
                });
                let arc = arcs.get(i);
                side.words.push(Word {
                    start,
                    end,
                    multiword: false,
                    form: form.to_lowercase(),
                    upos: tags.get(i).map_or_else(String::new, |t| t.upos.clone()),
                    head: arc
                        .map(|a| a.head)
                        .filter(|h| (1..=words.len()).contains(h))
                        .map(|h| base + h - 1),
                    deprel: arc.map_or("", |a| universal(&a.deprel)).to_string(),
                });
            }
            if let (Some(first), Some(last)) = (s.tokens.first(), s.tokens.last()) {
                side.sentences.push((at(first.start), at(last.end)));
            }
        }
        offset += count;
    }
    side
}

/// How many spans two sorted lists of distinct spans share.
fn common_spans(gold: &[(usize, usize)], system: &[(usize, usize)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(g), Some(s)) = (gold.get(i), system.get(j)) {
        match g.cmp(s) {
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    n
}

/// The stretch of words to align by form, starting where gold word `gi` or
/// system word `si` is part of a multiword token: `(gold range, system
/// range)`. It ends where both sides have passed every word starting
/// before the end of the multiword tokens in it; a plain word on the other
/// side that starts before the first multiword token stays unaligned.
fn multiword_stretch(
    gold: &[Word],
    system: &[Word],
    mut gi: usize,
    mut si: usize,
) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let (g, s) = (gold.get(gi), system.get(si));
    let mut end = 0;
    if let (Some(g), Some(s)) = (g, s) {
        if g.multiword {
            end = g.end;
            if !s.multiword && s.start < g.start {
                si += 1;
            }
        } else {
            end = s.end;
            if g.start < s.start {
                gi += 1;
            }
        }
    }
    let (gs, ss) = (gi, si);
    loop {
        let g = gold.get(gi).filter(|w| w.start < end);
        let s = system.get(si).filter(|w| w.start < end);
        let w = match (g, s) {
            (None, None) => break,
            (Some(g), Some(s)) if g.start <= s.start => {
                gi += 1;
                g
            }
            (Some(g), None) => {
                gi += 1;
                g
            }
            (_, Some(s)) => {
                si += 1;
                s
            }
        };
        if w.multiword {
            end = end.max(w.end);
        }
    }
    (gs..gi, ss..si)
}

/// Align words by the longest common subsequence of their forms, writing
/// `g2s[gold index] = system index` for each aligned pair.
fn align_by_form(
    gold: &[Word],
    system: &[Word],
    g: std::ops::Range<usize>,
    s: std::ops::Range<usize>,
    g2s: &mut [Option<usize>],
) {
    let gw = gold.get(g.clone()).unwrap_or_default();
    let sw = system.get(s.clone()).unwrap_or_default();
    let cols = sw.len() + 1;
    // lcs[i * cols + j]: longest common subsequence of gw[i..] and sw[j..]
    let mut lcs = vec![0usize; (gw.len() + 1) * cols];
    let cell = |lcs: &[usize], i: usize, j: usize| lcs.get(i * cols + j).copied().unwrap_or(0);
    for i in (0..gw.len()).rev() {
        for j in (0..sw.len()).rev() {
            let v = if gw.get(i).map(|w| &w.form) == sw.get(j).map(|w| &w.form) {
                1 + cell(&lcs, i + 1, j + 1)
            } else {
                cell(&lcs, i + 1, j).max(cell(&lcs, i, j + 1))
            };
            if let Some(c) = lcs.get_mut(i * cols + j) {
                *c = v;
            }
        }
    }
    let (mut i, mut j) = (0, 0);
    while let (Some(a), Some(b)) = (gw.get(i), sw.get(j)) {
        if a.form == b.form {
            if let Some(slot) = g2s.get_mut(g.start + i) {
                *slot = Some(s.start + j);
            }
            i += 1;
            j += 1;
        } else if cell(&lcs, i + 1, j) >= cell(&lcs, i, j + 1) {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// For each gold word, the system word aligned with it.
fn align(gold: &[Word], system: &[Word]) -> Vec<Option<usize>> {
    let mut g2s = vec![None; gold.len()];
    let (mut gi, mut si) = (0, 0);
    while let (Some(g), Some(s)) = (gold.get(gi), system.get(si)) {
        if g.multiword || s.multiword {
            let (gr, sr) = multiword_stretch(gold, system, gi, si);
            (gi, si) = (gr.end, sr.end);
            align_by_form(gold, system, gr, sr, &mut g2s);
        } else if (g.start, g.end) == (s.start, s.end) {
            if let Some(slot) = g2s.get_mut(gi) {
                *slot = Some(si);
            }
            gi += 1;
            si += 1;
        } else if g.start <= s.start {
            gi += 1;
        } else {
            si += 1;
        }
    }
    g2s
}

/// Compare the two sides.
fn score(gold: &Side, system: &Side) -> RawScores {
    let spans =
        |t: &[Token]| -> Vec<(usize, usize)> { t.iter().map(|t| (t.start, t.end)).collect() };
    let (gt, st) = (spans(&gold.tokens), spans(&system.tokens));
    let counts = |matched| Counts {
        matched,
        gold: gold.words.len(),
        system: system.words.len(),
    };
    let g2s = align(&gold.words, &system.words);
    let (mut words, mut upos, mut uas, mut las) = (0, 0, 0, 0);
    for (g, s) in gold.words.iter().zip(&g2s) {
        let Some(s) = s.and_then(|s| system.words.get(s)) else {
            continue;
        };
        words += 1;
        upos += usize::from(g.upos == s.upos);
        let head_ok = match (g.head, s.head) {
            (None, None) => true,
            (Some(gh), Some(sh)) => g2s.get(gh).copied().flatten() == Some(sh),
            _ => false,
        };
        uas += usize::from(head_ok);
        las += usize::from(head_ok && g.deprel == s.deprel);
    }
    RawScores {
        tokens: Counts {
            matched: common_spans(&gt, &st),
            gold: gt.len(),
            system: st.len(),
        },
        sentences: Counts {
            matched: common_spans(&gold.sentences, &system.sentences),
            gold: gold.sentences.len(),
            system: system.sentences.len(),
        },
        words: counts(words),
        upos: counts(upos),
        uas: counts(uas),
        las: counts(las),
        errors: token_errors(&gold.tokens, &system.tokens)
            .into_iter()
            .chain(sentence_errors(gold, system))
            .collect(),
    }
}

/// Forms of tokens joined by spaces.
fn forms(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| t.form.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Stretches where gold and system tokens are cut differently: one line
/// `token \t gold tokens \t system tokens` each.
fn token_errors(gold: &[Token], system: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(g), Some(s)) = (gold.get(i), system.get(j)) {
        if (g.start, g.end) == (s.start, s.end) {
            i += 1;
            j += 1;
            continue;
        }
        let (gi, sj) = (i, j);
        let mut end = g.end.max(s.end);
        loop {
            let mut grew = false;
            for (k, list) in [(&mut i, gold), (&mut j, system)] {
                while let Some(t) = list.get(*k).filter(|t| t.start < end) {
                    end = end.max(t.end);
                    *k += 1;
                    grew = true;
                }
            }
            if !grew {
                break;
            }
        }
        out.push(format!(
            "token\t{}\t{}",
            forms(gold.get(gi..i).unwrap_or_default()),
            forms(system.get(sj..j).unwrap_or_default())
        ));
    }
    out
}

/// Sentence boundaries one side has and the other lacks: one line
/// `sentence \t missed|extra \t tokens before | tokens after` each
/// (`missed`: a gold boundary pulse does not make; context from pulse's
/// tokens).
fn sentence_errors(gold: &Side, system: &Side) -> Vec<String> {
    let ends = |s: &Side| -> BTreeSet<usize> { s.sentences.iter().map(|s| s.1).collect() };
    let (ge, se) = (ends(gold), ends(system));
    let context = |at: usize| {
        let k = system.tokens.partition_point(|t| t.end <= at);
        let before = system
            .tokens
            .get(k.saturating_sub(4)..k)
            .unwrap_or_default();
        let after = system
            .tokens
            .get(k..(k + 4).min(system.tokens.len()))
            .unwrap_or_default();
        format!("{} | {}", forms(before), forms(after))
    };
    let missed = ge.difference(&se).map(|&p| ("missed", p));
    let extra = se.difference(&ge).map(|&p| ("extra", p));
    missed
        .chain(extra)
        .map(|(kind, p)| format!("sentence\t{kind}\t{}", context(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulse_nlp::conllu::parse_conllu;

    impl Counts {
        /// 2·matched / (gold + system); 0 when both are empty.
        fn f1(&self) -> f64 {
            let n = self.gold + self.system;
            if n == 0 {
                0.0
            } else {
                2.0 * self.matched as f64 / n as f64
            }
        }
    }

    /// Our own two-sentence document with a multiword token.
    const GOLD: &str = "# newdoc id = d\n# newpar\n# text = We won't stay.\n\
        1\tWe\twe\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
        2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\two\twill\tAUX\tMD\t_\t4\taux\t_\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
        4\tstay\tstay\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n\
        # text = Rain fell.\n\
        1\tRain\train\tNOUN\tNN\t_\t2\tnsubj:pass\t_\t_\n\
        2\tfell\tfall\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n\
        3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";

    /// A side read from a CoNLL-U text (a system's output, for the tests).
    fn side(conllu: &str) -> Side {
        let s = parse_conllu(conllu).unwrap_or_else(|e| panic!("{e}"));
        gold_side(&s).unwrap_or_else(|e| panic!("{e}")).1
    }

    fn f1s(r: &RawScores) -> Vec<f64> {
        r.metrics().iter().map(|(_, c)| c.f1()).collect()
    }

    #[test]
    fn raw_text_is_rebuilt_from_marks() {
        let s = parse_conllu(GOLD).unwrap_or_else(|e| panic!("{e}"));
        let (docs, g) = gold_side(&s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(docs, ["We won't stay. Rain fell."]);
        assert_eq!(g.tokens.len(), 7);
        assert_eq!(g.words.len(), 8);
        assert_eq!(g.sentences, [(0, 12), (12, 21)]);
        // "wo" and "n't" carry the span of "won't"
        assert_eq!((g.words[1].start, g.words[1].end), (2, 7));
        assert_eq!((g.words[2].start, g.words[2].end), (2, 7));
        assert_eq!(g.words[5].head, Some(6));
        assert_eq!(g.words[5].deprel, "nsubj");
        // no marks at all: every sentence a paragraph
        let bare = GOLD.replace("# newdoc id = d\n# newpar\n", "");
        let s = parse_conllu(&bare).unwrap_or_else(|e| panic!("{e}"));
        let (docs, _) = gold_side(&s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(docs, ["We won't stay.\n\nRain fell."]);
    }

    #[test]
    fn forms_that_do_not_spell_the_text_are_an_error() {
        let bad = GOLD.replace("# text = Rain fell.", "# text = Snow fell.");
        let s = parse_conllu(&bad).unwrap_or_else(|e| panic!("{e}"));
        assert!(gold_side(&s).is_err());
    }

    #[test]
    fn perfect_system_scores_one() {
        let g = side(GOLD);
        let r = score(&g, &side(GOLD));
        assert_eq!(f1s(&r), [1.0; 6]);
        assert!(r.errors.is_empty());
    }

    #[test]
    fn split_contraction_loses_the_token_but_keeps_the_words() {
        // pulse-style output: "wo" and "n't" as two plain tokens, and a
        // wrong head for "Rain"
        let sys = GOLD
            .replace("2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n", "")
            .replace(
                "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod",
                "3\tn't\tnot\tADV\tRB\t_\t2\tadvmod",
            )
            .replace(
                "1\tRain\train\tNOUN\tNN\t_\t2\tnsubj:pass",
                "1\tRain\train\tNOUN\tNN\t_\t3\tnsubj",
            );
        let r = score(&side(GOLD), &side(&sys));
        // 6 of 7 gold tokens, 6 of 8 system tokens
        assert_eq!(
            r.tokens,
            Counts {
                matched: 6,
                gold: 7,
                system: 8
            }
        );
        assert_eq!(r.sentences.f1(), 1.0);
        assert_eq!(r.words.f1(), 1.0);
        // "n't" has the wrong UPOS and head; "Rain" the wrong head
        assert_eq!(r.upos.matched, 7);
        assert_eq!(r.uas.matched, 6);
        // "nsubj:pass" and "nsubj" share their universal part, but the head is wrong
        assert_eq!(r.las.matched, 6);
        assert_eq!(r.errors, ["token\twon't\two n't"]);
    }

    #[test]
    fn missed_split_and_wrong_word_spans() {
        // one sentence instead of two, and "Rain fell" as a single word
        let sys = "# text = We won't stay. Rain fell.\n\
            1\tWe\twe\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
            2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
            2\two\twill\tAUX\tMD\t_\t4\taux\t_\t_\n\
            3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
            4\tstay\tstay\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
            5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\
            6\tRainfell\train\tNOUN\tNN\t_\t4\tparataxis\t_\tSpaceAfter=No\n\
            7\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";
        let r = score(&side(GOLD), &side(sys));
        assert_eq!(
            r.sentences,
            Counts {
                matched: 0,
                gold: 2,
                system: 1
            }
        );
        assert_eq!(
            r.words,
            Counts {
                matched: 6,
                gold: 8,
                system: 7
            }
        );
        assert_eq!(r.tokens.matched, 5);
        // the second "." is aligned, its head ("fell") is not
        assert_eq!(r.uas.matched, 5);
        assert!(r.errors.contains(&"token\tRain fell\tRainfell".to_string()));
        assert!(r
            .errors
            .contains(&"sentence\tmissed\tWe won't stay . | Rainfell .".to_string()));
    }

    #[test]
    fn pieces_of_a_multiword_token_align_only_by_form() {
        // "won't" cut as "w" "on't": neither piece has a gold word's form
        let sys = GOLD
            .replace("2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n", "")
            .replace("2\two\twill", "2\tw\twill")
            .replace("3\tn't\tnot", "3\ton't\tnot");
        let r = score(&side(GOLD), &side(&sys));
        assert_eq!(r.words.matched, 6);
        assert_eq!(r.tokens.matched, 6);
    }

    #[test]
    fn pulse_on_plain_text_matches_the_gold_tokens() {
        let gold = "# text = We stayed home.\n\
            1\tWe\twe\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n\
            2\tstayed\tstay\tVERB\tVBD\t_\t0\troot\t_\t_\n\
            3\thome\thome\tADV\tRB\t_\t2\tadvmod\t_\tSpaceAfter=No\n\
            4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n\
            # text = Rain fell.\n\
            1\tRain\train\tNOUN\tNN\t_\t2\tnsubj\t_\t_\n\
            2\tfell\tfall\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n\
            3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";
        let s = parse_conllu(gold).unwrap_or_else(|e| panic!("{e}"));
        let tagger = crate::pipeline::tagger().unwrap_or_else(|e| panic!("{e}"));
        let parser = crate::parse_cmd::parser().unwrap_or_else(|e| panic!("{e}"));
        let r = evaluate(&s, &tagger, &parser).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.tokens.f1(), 1.0, "{:?}", r.errors);
        assert_eq!(r.sentences.f1(), 1.0, "{:?}", r.errors);
        assert_eq!(r.words.f1(), 1.0);
        assert!(r.upos.f1() > 0.5);
    }
}
