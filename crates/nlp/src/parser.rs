//! Greedy transition-based dependency parser: the arc-hybrid system with an
//! averaged perceptron over hashed features, labelled by predicting the
//! relation together with the transition. Trained with a static oracle on
//! projective trees (non-projective training sentences are skipped, and
//! counted), on the tags the shipped tagger predicts.
//!
//! The model file is our own little-endian format (see [`Parser::to_bytes`]).

use crate::conllu::ConlluSentence;
use crate::perceptron::{fnv, next_seed, put_str, shuffle, ModelReader, Trainer, Weights};
use std::collections::HashMap;

/// Magic bytes and version of the model file format.
const MAGIC: &[u8; 8] = b"PULSEDP1";
/// Averaged weights smaller than this are dropped from the saved model.
const PRUNE_BELOW: f32 = 0.05;

/// Why a parser model could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("not a pulse parser model (or truncated): {0}")]
pub struct ParserModelError(String);

/// One parsed word: its head (0 = root, else 1-based index) and relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arc {
    /// 1-based index of the head word; 0 for the root.
    pub head: usize,
    /// Universal Dependencies relation.
    pub deprel: String,
}

/// A trained parser.
#[derive(Debug, Default, Clone)]
pub struct Parser {
    /// Relation labels.
    labels: Vec<String>,
    weights: Weights,
}

/// Transition classes: 0 = SHIFT, 1 + 2l = LEFT with label l, 2 + 2l = RIGHT with label l.
fn n_classes(labels: usize) -> usize {
    1 + 2 * labels
}

/// The parser state: stack, buffer position and the arcs made so far.
struct State {
    stack: Vec<usize>,
    next: usize,
    n: usize,
    heads: Vec<usize>,
    labels: Vec<u16>,
    lefts: Vec<Vec<usize>>,
    rights: Vec<Vec<usize>>,
}

impl State {
    /// Words are 1..=n; 0 is the root.
    fn new(n: usize) -> State {
        State {
            stack: vec![0],
            next: 1,
            n,
            heads: vec![0; n + 1],
            labels: vec![0; n + 1],
            lefts: vec![Vec::new(); n + 1],
            rights: vec![Vec::new(); n + 1],
        }
    }

    fn done(&self) -> bool {
        self.next > self.n && self.stack.len() <= 1
    }

    fn s(&self, k: usize) -> Option<usize> {
        self.stack
            .len()
            .checked_sub(k + 1)
            .and_then(|i| self.stack.get(i))
            .copied()
    }

    fn b(&self, k: usize) -> Option<usize> {
        let i = self.next + k;
        (i <= self.n).then_some(i)
    }

    fn can_shift(&self) -> bool {
        self.next <= self.n
    }

    fn can_left(&self) -> bool {
        self.stack.len() >= 2 && self.next <= self.n
    }

    fn can_right(&self) -> bool {
        self.stack.len() >= 2
    }

    fn apply(&mut self, class: usize) {
        if class == 0 {
            self.stack.push(self.next);
            self.next += 1;
            return;
        }
        let label = ((class - 1) / 2) as u16;
        let Some(dep) = self.stack.pop() else { return };
        let head = if class % 2 == 1 {
            self.next
        } else {
            self.stack.last().copied().unwrap_or(0)
        };
        if let Some(h) = self.heads.get_mut(dep) {
            *h = head;
        }
        if let Some(l) = self.labels.get_mut(dep) {
            *l = label;
        }
        let side = if dep < head {
            &mut self.lefts
        } else {
            &mut self.rights
        };
        if let Some(list) = side.get_mut(head) {
            list.push(dep);
        }
    }
}

/// What features see of a sentence.
struct Sent<'a> {
    words: Vec<String>,
    tags: &'a [&'a str],
}

impl Sent<'_> {
    fn word(&self, i: Option<usize>) -> &str {
        match i {
            Some(0) => "<root>",
            Some(i) => self.words.get(i - 1).map_or("<none>", String::as_str),
            None => "<none>",
        }
    }

    /// The full tag as given ("VERB|VBD" when UPOS and XPOS come together).
    fn full_tag(&self, i: Option<usize>) -> &str {
        match i {
            Some(0) => "<root>",
            Some(i) => self.tags.get(i - 1).copied().unwrap_or("<none>"),
            None => "<none>",
        }
    }

    /// The Penn XPOS part of the tag.
    fn tag(&self, i: Option<usize>) -> &str {
        let t = self.full_tag(i);
        t.split_once('|').map_or(t, |(_, x)| x)
    }

    /// The universal UPOS part of the tag (the whole tag when only one is given).
    fn utag(&self, i: Option<usize>) -> &str {
        let t = self.full_tag(i);
        t.split_once('|').map_or(t, |(u, _)| u)
    }
}

fn features(sent: &Sent<'_>, st: &State, labels: &[String], out: &mut Vec<u64>) {
    out.clear();
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let (b0, b1, b2) = (st.b(0), st.b(1), st.b(2));
    let lc = |i: Option<usize>| {
        i.and_then(|i| st.lefts.get(i))
            .and_then(|l| l.first().copied())
    };
    let rc = |i: Option<usize>| {
        i.and_then(|i| st.rights.get(i))
            .and_then(|r| r.last().copied())
    };
    let lab = |i: Option<usize>| {
        i.and_then(|i| st.labels.get(i))
            .and_then(|l| labels.get(*l as usize))
            .map_or("<none>", String::as_str)
    };
    let (w, t) = (|i| sent.word(i), |i| sent.tag(i));
    let s0lc = lc(s0);
    let s0rc = rc(s0);
    let b0lc = lc(b0);
    let s1rc = rc(s1);
    let dist = match (s0, b0) {
        (Some(a), Some(b)) => b.saturating_sub(a).min(6) as u8,
        _ => 0,
    };
    let dist = [dist];
    let vl = [s0
        .and_then(|i| st.lefts.get(i))
        .map_or(0, |l| l.len().min(4)) as u8];
    let vr = [s0
        .and_then(|i| st.rights.get(i))
        .map_or(0, |r| r.len().min(4)) as u8];
    let vb = [b0
        .and_then(|i| st.lefts.get(i))
        .map_or(0, |l| l.len().min(4)) as u8];
    let f = |parts: &[&[u8]]| fnv(parts);
    out.push(f(&[b"bias"]));
    for (name, i) in [
        (&b"s0"[..], s0),
        (b"s1", s1),
        (b"s2", s2),
        (b"b0", b0),
        (b"b1", b1),
        (b"b2", b2),
    ] {
        out.push(f(&[name, b"w", w(i).as_bytes()]));
        out.push(f(&[name, b"t", t(i).as_bytes()]));
    }
    out.push(f(&[b"s0wt", w(s0).as_bytes(), t(s0).as_bytes()]));
    out.push(f(&[b"b0wt", w(b0).as_bytes(), t(b0).as_bytes()]));
    out.push(f(&[b"s1wt", w(s1).as_bytes(), t(s1).as_bytes()]));
    out.push(f(&[b"s0t b0t", t(s0).as_bytes(), t(b0).as_bytes()]));
    out.push(f(&[b"s0w b0w", w(s0).as_bytes(), w(b0).as_bytes()]));
    out.push(f(&[
        b"s0wt b0t",
        w(s0).as_bytes(),
        t(s0).as_bytes(),
        t(b0).as_bytes(),
    ]));
    out.push(f(&[
        b"s0t b0wt",
        t(s0).as_bytes(),
        w(b0).as_bytes(),
        t(b0).as_bytes(),
    ]));
    out.push(f(&[b"s1t s0t", t(s1).as_bytes(), t(s0).as_bytes()]));
    out.push(f(&[b"s1w s0w", w(s1).as_bytes(), w(s0).as_bytes()]));
    out.push(f(&[
        b"s1t s0t b0t",
        t(s1).as_bytes(),
        t(s0).as_bytes(),
        t(b0).as_bytes(),
    ]));
    out.push(f(&[
        b"s0t b0t b1t",
        t(s0).as_bytes(),
        t(b0).as_bytes(),
        t(b1).as_bytes(),
    ]));
    out.push(f(&[
        b"b0t b1t b2t",
        t(b0).as_bytes(),
        t(b1).as_bytes(),
        t(b2).as_bytes(),
    ]));
    out.push(f(&[
        b"s2t s1t s0t",
        t(s2).as_bytes(),
        t(s1).as_bytes(),
        t(s0).as_bytes(),
    ]));
    out.push(f(&[b"s0lc", t(s0lc).as_bytes(), lab(s0lc).as_bytes()]));
    out.push(f(&[b"s0rc", t(s0rc).as_bytes(), lab(s0rc).as_bytes()]));
    out.push(f(&[b"b0lc", t(b0lc).as_bytes(), lab(b0lc).as_bytes()]));
    out.push(f(&[b"s1rc", t(s1rc).as_bytes(), lab(s1rc).as_bytes()]));
    out.push(f(&[
        b"s0t s0lc b0t",
        t(s0).as_bytes(),
        t(s0lc).as_bytes(),
        t(b0).as_bytes(),
    ]));
    out.push(f(&[
        b"s0t s0rc b0t",
        t(s0).as_bytes(),
        t(s0rc).as_bytes(),
        t(b0).as_bytes(),
    ]));
    out.push(f(&[
        b"s0t b0t b0lc",
        t(s0).as_bytes(),
        t(b0).as_bytes(),
        t(b0lc).as_bytes(),
    ]));
    out.push(f(&[
        b"dist s0t b0t",
        &dist,
        t(s0).as_bytes(),
        t(b0).as_bytes(),
    ]));
    out.push(f(&[b"dist s0w", &dist, w(s0).as_bytes()]));
    out.push(f(&[b"vl s0t", &vl, t(s0).as_bytes()]));
    out.push(f(&[b"vr s0t", &vr, t(s0).as_bytes()]));
    out.push(f(&[b"vb b0t", &vb, t(b0).as_bytes()]));
    out.push(f(&[
        b"s0 labs",
        lab(s0lc).as_bytes(),
        lab(s0rc).as_bytes(),
        t(s0).as_bytes(),
    ]));
    // universal tags: their errors differ from the Penn tags' errors
    let u = |i| sent.utag(i);
    out.push(f(&[b"u s0", u(s0).as_bytes()]));
    out.push(f(&[b"u b0", u(b0).as_bytes()]));
    out.push(f(&[b"u s1", u(s1).as_bytes()]));
    out.push(f(&[b"u b1", u(b1).as_bytes()]));
    out.push(f(&[b"u s0 b0", u(s0).as_bytes(), u(b0).as_bytes()]));
    out.push(f(&[
        b"u s1 s0 b0",
        u(s1).as_bytes(),
        u(s0).as_bytes(),
        u(b0).as_bytes(),
    ]));
    out.push(f(&[
        b"u s0 b0 b1",
        u(s0).as_bytes(),
        u(b0).as_bytes(),
        u(b1).as_bytes(),
    ]));
    // second-order children and word pairs (Zhang & Nivre style)
    let lc2 = |i: Option<usize>| {
        i.and_then(|i| st.lefts.get(i))
            .and_then(|l| l.get(1).copied())
    };
    let rc2 = |i: Option<usize>| {
        i.and_then(|i| st.rights.get(i))
            .and_then(|r| r.len().checked_sub(2).and_then(|k| r.get(k)).copied())
    };
    let s0lc2 = lc2(s0);
    let s0rc2 = rc2(s0);
    let b0lc2 = lc2(b0);
    out.push(f(&[
        b"s0 lc lc2",
        t(s0).as_bytes(),
        t(s0lc).as_bytes(),
        t(s0lc2).as_bytes(),
    ]));
    out.push(f(&[
        b"s0 rc rc2",
        t(s0).as_bytes(),
        t(s0rc).as_bytes(),
        t(s0rc2).as_bytes(),
    ]));
    out.push(f(&[
        b"b0 lc lc2",
        t(b0).as_bytes(),
        t(b0lc).as_bytes(),
        t(b0lc2).as_bytes(),
    ]));
    out.push(f(&[b"s0w b0t", w(s0).as_bytes(), t(b0).as_bytes()]));
    out.push(f(&[b"s0t b0w", t(s0).as_bytes(), w(b0).as_bytes()]));
    out.push(f(&[
        b"s0w b0w b0t",
        w(s0).as_bytes(),
        w(b0).as_bytes(),
        t(b0).as_bytes(),
    ]));
    out.push(f(&[
        b"s0wt b0w",
        w(s0).as_bytes(),
        t(s0).as_bytes(),
        w(b0).as_bytes(),
    ]));
    out.push(f(&[b"b0w b1t", w(b0).as_bytes(), t(b1).as_bytes()]));
    out.push(f(&[b"b0t b1w", t(b0).as_bytes(), w(b1).as_bytes()]));
    out.push(f(&[b"s1t s0w", t(s1).as_bytes(), w(s0).as_bytes()]));
    out.push(f(&[b"s1w s0t", w(s1).as_bytes(), t(s0).as_bytes()]));
    out.push(f(&[
        b"dist s0w b0w",
        &dist,
        w(s0).as_bytes(),
        w(b0).as_bytes(),
    ]));
    out.push(f(&[b"s0lcw", w(s0lc).as_bytes()]));
    out.push(f(&[b"s0rcw", w(s0rc).as_bytes()]));
    out.push(f(&[b"b0lcw", w(b0lc).as_bytes()]));
}

/// Whether a tree (heads, 1-based, 0 = root) is projective: no two arcs cross.
fn projective(heads: &[usize]) -> bool {
    let arcs: Vec<(usize, usize)> = heads
        .iter()
        .enumerate()
        .map(|(d, h)| if d + 1 < *h { (d + 1, *h) } else { (*h, d + 1) })
        .collect();
    for (a1, b1) in &arcs {
        for (a2, b2) in &arcs {
            if a1 < a2 && a2 < b1 && b1 < b2 {
                return false;
            }
        }
    }
    true
}

/// The cost of every transition class in this state (how many gold arcs it
/// makes unreachable, plus one for a right arc with the wrong label); `None`
/// for an invalid transition. Arc-hybrid dynamic oracle (Goldberg & Nivre 2013).
fn action_costs(
    st: &State,
    gold_heads: &[usize],
    gold_labels: &[u16],
    classes: usize,
) -> Vec<Option<usize>> {
    let gh = |i: usize| gold_heads.get(i.wrapping_sub(1)).copied();
    let gl = |i: usize| gold_labels.get(i.wrapping_sub(1)).copied().unwrap_or(0) as usize;
    let buffer = st.next..=st.n;
    let mut out = vec![None; classes];
    let s0 = st.s(0);
    let s1 = st.s(1);
    let b0 = st.b(0);
    // SHIFT: b0 loses heads deeper in the stack than s0 and children on the stack
    if let Some(b) = b0 {
        let mut c = 0;
        for (k, &item) in st.stack.iter().enumerate() {
            let is_s0 = k + 1 == st.stack.len();
            if !is_s0 && gh(b) == Some(item) {
                c += 1;
            }
            if item != 0 && gh(item) == Some(b) {
                c += 1;
            }
        }
        if let Some(x) = out.get_mut(0) {
            *x = Some(c);
        }
    }
    if let Some(s) = s0.filter(|s| *s != 0) {
        let children_in_buffer = buffer.clone().filter(|&k| gh(k) == Some(s)).count();
        // LEFT: s0 gets head b0; loses a head at s1 or further in the buffer
        if let Some(b) = b0 {
            let mut c = children_in_buffer;
            if s1.is_some() && gh(s) == s1 {
                c += 1;
            }
            if gh(s).is_some_and(|h| h > b && h <= st.n) {
                c += 1;
            }
            for l in 0..(classes - 1) / 2 {
                let wrong_label = gh(s) == Some(b) && l != gl(s);
                if let Some(x) = out.get_mut(1 + 2 * l) {
                    *x = Some(c + usize::from(wrong_label));
                }
            }
        }
        // RIGHT: s0 gets head s1; loses a head in the buffer
        if let Some(h1) = s1 {
            let mut c = children_in_buffer;
            if gh(s).is_some_and(|h| h >= st.next && h <= st.n) {
                c += 1;
            }
            for l in 0..(classes - 1) / 2 {
                let wrong_label = gh(s) == Some(h1) && l != gl(s);
                if let Some(x) = out.get_mut(2 + 2 * l) {
                    *x = Some(c + usize::from(wrong_label));
                }
            }
        }
    }
    out
}

/// The static-oracle transition for arc-hybrid given gold heads and labels.
fn oracle(st: &State, gold_heads: &[usize], gold_labels: &[u16]) -> Option<usize> {
    let gh = |i: usize| gold_heads.get(i.wrapping_sub(1)).copied();
    let gl = |i: usize| gold_labels.get(i.wrapping_sub(1)).copied().unwrap_or(0) as usize;
    if let (Some(s0), Some(b0)) = (st.s(0), st.b(0)) {
        if s0 != 0 && gh(s0) == Some(b0) {
            return Some(1 + 2 * gl(s0));
        }
    }
    if let (Some(s0), Some(s1)) = (st.s(0), st.s(1)) {
        if s0 != 0 && gh(s0) == Some(s1) {
            // s0 must have no dependent left in the buffer
            let pending = (st.next..=st.n).any(|j| gh(j) == Some(s0));
            if !pending {
                return Some(2 + 2 * gl(s0));
            }
        }
    }
    st.can_shift().then_some(0)
}

impl Parser {
    /// Number of relation labels.
    pub fn labels(&self) -> usize {
        self.labels.len()
    }

    /// Number of weighted features kept.
    pub fn features(&self) -> usize {
        self.weights.len()
    }

    fn best_valid(st: &State, scores: &[f32]) -> usize {
        let mut best: Option<(usize, f32)> = None;
        for (c, s) in scores.iter().enumerate() {
            let valid = match c {
                0 => st.can_shift(),
                c if c % 2 == 1 => st.can_left() && st.s(0) != Some(0),
                _ => st.can_right() && st.s(0) != Some(0),
            };
            if valid && best.is_none_or(|(_, b)| *s > b) {
                best = Some((c, *s));
            }
        }
        best.map_or(0, |(c, _)| c)
    }

    /// Parse one sentence given its words and tags (Penn XPOS); returns one
    /// arc per word.
    pub fn parse(&self, words: &[&str], tags: &[&str]) -> Vec<Arc> {
        let n = words.len();
        let sent = Sent {
            words: words.iter().map(|w| w.to_lowercase()).collect(),
            tags,
        };
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(64);
        let mut scores = vec![0.0f32; n_classes(self.labels.len())];
        let mut steps = 0;
        while !st.done() && steps <= 2 * n + 2 {
            steps += 1;
            features(&sent, &st, &self.labels, &mut feats);
            crate::perceptron::score(&self.weights, &feats, &mut scores);
            let c = Self::best_valid(&st, &scores);
            if c == 0 && !st.can_shift() {
                break;
            }
            st.apply(c);
        }
        (1..=n)
            .map(|i| Arc {
                head: st.heads.get(i).copied().unwrap_or(0),
                deprel: st
                    .labels
                    .get(i)
                    .and_then(|l| self.labels.get(*l as usize))
                    .cloned()
                    .unwrap_or_else(|| "dep".to_string()),
            })
            .collect()
    }

    /// Train on `train` (with the given predicted tags per sentence) for
    /// `epochs`, dropping weights updated fewer than `min_updates` times,
    /// reporting `progress(epoch, skipped, dev_uas, dev_las)`.
    pub fn train(
        train: &[(ConlluSentence, Vec<String>)],
        dev: &[(ConlluSentence, Vec<String>)],
        epochs: usize,
        min_updates: u32,
        mut progress: impl FnMut(usize, usize, f64, f64),
    ) -> Parser {
        let mut p = Parser::default();
        let mut index: HashMap<String, u16> = HashMap::new();
        for (s, _) in train {
            for w in &s.words {
                if !index.contains_key(&w.deprel) {
                    index.insert(w.deprel.clone(), p.labels.len() as u16);
                    p.labels.push(w.deprel.clone());
                }
            }
        }
        let classes = n_classes(p.labels.len());
        let mut trainer = Trainer::default();
        let mut order: Vec<usize> = (0..train.len()).collect();
        let mut seed: u64 = 0x0d15_ea5e_5eed;
        let mut feats = Vec::with_capacity(64);
        let mut scores = vec![0.0f32; classes];
        for epoch in 0..epochs {
            seed = shuffle(&mut order, seed);
            let mut skipped = 0;
            for &si in &order {
                let Some((s, tags)) = train.get(si) else {
                    continue;
                };
                let heads: Vec<usize> = s.words.iter().map(|w| w.head.unwrap_or(0)).collect();
                if !projective(&heads) || heads.iter().any(|h| *h > s.words.len()) {
                    skipped += 1;
                    continue;
                }
                let gl: Vec<u16> = s
                    .words
                    .iter()
                    .map(|w| index.get(&w.deprel).copied().unwrap_or(0))
                    .collect();
                let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
                let sent = Sent {
                    words: s.words.iter().map(|w| w.form.to_lowercase()).collect(),
                    tags: &tag_refs,
                };
                let mut st = State::new(s.words.len());
                while !st.done() {
                    features(&sent, &st, &p.labels, &mut feats);
                    trainer.score(&feats, &mut scores);
                    let guess = Self::best_valid(&st, &scores);
                    // the best-scoring action among those that lose no gold
                    // arc (dynamic oracle); the static oracle's on a tie
                    let costs = action_costs(&st, &heads, &gl, classes);
                    let static_gold = oracle(&st, &heads, &gl);
                    let zero = |c: usize| costs.get(c) == Some(&Some(0));
                    let gold = match static_gold.filter(|g| zero(*g)).or_else(|| {
                        (0..classes).filter(|c| zero(*c)).max_by(|a, b| {
                            scores[*a]
                                .partial_cmp(&scores[*b])
                                .unwrap_or(std::cmp::Ordering::Equal)
                        })
                    }) {
                        Some(g) => g,
                        None => match static_gold {
                            Some(g) => g,
                            None => break,
                        },
                    };
                    trainer.update(&feats, gold as u16, guess as u16);
                    // explore: after the first epoch, follow the model's own
                    // (valid) choice, so training sees the states its errors lead to
                    seed = next_seed(seed);
                    let explore = !(seed >> 40).is_multiple_of(10);
                    let follow =
                        if epoch > 0 && explore && costs.get(guess).is_some_and(Option::is_some) {
                            guess
                        } else {
                            gold
                        };
                    st.apply(follow);
                }
            }
            p.weights = trainer.averaged_pruned(PRUNE_BELOW, min_updates);
            let (uas, las) = p.attachment(dev);
            progress(epoch + 1, skipped, uas, las);
        }
        p
    }

    /// UAS and LAS (punctuation included) on sentences with the given tags.
    pub fn attachment(&self, sentences: &[(ConlluSentence, Vec<String>)]) -> (f64, f64) {
        let (mut u, mut l, mut n) = (0usize, 0usize, 0usize);
        for (s, tags) in sentences {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
            for (arc, g) in self.parse(&words, &tag_refs).iter().zip(&s.words) {
                let head_ok = Some(arc.head) == g.head;
                u += usize::from(head_ok);
                l += usize::from(head_ok && arc.deprel == g.deprel);
                n += 1;
            }
        }
        let d = n.max(1) as f64;
        (u as f64 / d, l as f64 / d)
    }

    /// The model as bytes: magic, labels, weights; sorted for stable output.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for l in &self.labels {
            put_str(&mut out, l);
        }
        let mut feats: Vec<(&u64, &Vec<(u16, f32)>)> = self.weights.iter().collect();
        feats.sort_by_key(|(f, _)| **f);
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (f, ws) in feats {
            out.extend_from_slice(&f.to_le_bytes());
            let mut ws = ws.clone();
            ws.sort_by_key(|(c, _)| *c);
            out.extend_from_slice(&(ws.len() as u16).to_le_bytes());
            for (c, w) in &ws {
                out.extend_from_slice(&c.to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Load a model written by [`Parser::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Parser, ParserModelError> {
        Parser::read(bytes).map_err(ParserModelError)
    }

    fn read(bytes: &[u8]) -> Result<Parser, String> {
        let mut r = ModelReader::new(bytes, MAGIC)?;
        let mut p = Parser::default();
        for _ in 0..r.u32()? {
            p.labels.push(r.string()?);
        }
        for _ in 0..r.u32()? {
            let f = r.u64()?;
            let k = r.u16()?;
            let mut ws = Vec::with_capacity(k as usize);
            for _ in 0..k {
                ws.push((r.u16()?, r.f32()?));
            }
            p.weights.insert(f, ws);
        }
        r.finish()?;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse_conllu;

    fn toy() -> Vec<(ConlluSentence, Vec<String>)> {
        let mut text = String::new();
        for _ in 0..40 {
            text.push_str("1\tTroops\ttroop\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n2\tattacked\tattack\tVERB\tVBD\t_\t0\troot\t_\t_\n3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n4\tvillage\tvillage\tNOUN\tNN\t_\t2\tobj\t_\t_\n5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n");
        }
        parse_conllu(&text)
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                let tags = s.words.iter().map(|w| w.xpos.clone()).collect();
                (s, tags)
            })
            .collect()
    }

    #[test]
    fn learns_a_toy_treebank_and_round_trips() {
        let data = toy();
        let p = Parser::train(&data, &data, 3, 0, |_, _, _, _| {});
        let arcs = p.parse(
            &["Troops", "attacked", "the", "village", "."],
            &["NNS", "VBD", "DT", "NN", "."],
        );
        assert_eq!(
            arcs[0],
            Arc {
                head: 2,
                deprel: "nsubj".into()
            }
        );
        assert_eq!(arcs[1].head, 0);
        assert_eq!(
            arcs[3],
            Arc {
                head: 2,
                deprel: "obj".into()
            }
        );
        let bytes = p.to_bytes();
        let back = Parser::from_bytes(&bytes).unwrap_or_default();
        assert_eq!(back.to_bytes(), bytes);
        for cut in [0, 9, bytes.len() / 2, bytes.len() - 1] {
            assert!(Parser::from_bytes(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn every_word_gets_a_head_in_range() {
        let p = Parser::train(&toy(), &[], 1, 0, |_, _, _, _| {});
        for n in [0usize, 1, 2, 7, 60] {
            let words = vec!["x"; n];
            let tags = vec!["NN"; n];
            let arcs = p.parse(&words, &tags);
            assert_eq!(arcs.len(), n);
            assert!(arcs.iter().all(|a| a.head <= n));
        }
        assert_eq!(Parser::default().parse(&["a", "b"], &["DT", "NN"]).len(), 2);
    }

    #[test]
    fn projectivity() {
        assert!(projective(&[2, 0, 2]));
        assert!(!projective(&[3, 4, 0, 3]));
    }
}
