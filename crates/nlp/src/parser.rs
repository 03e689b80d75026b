//! Greedy transition-based dependency parser: the arc-hybrid system with an
//! averaged perceptron over hashed features, labelled by predicting the
//! relation together with the transition. Trained with the dynamic oracle
//! and exploration, on predicted tags; non-projective training trees are made
//! projective by lifting (see `projectivize`) and counted.
//!
//! The model file is our own little-endian format (see [`Parser::to_bytes`]).

use crate::conllu::ConlluSentence;
use crate::perceptron::{
    fnv, next_seed, put_str, read_table, shuffle, ModelReader, Trainer, WeightTable,
};
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
    /// Weights in the flat table inference reads (training keeps a map).
    weights: WeightTable,
}

/// Transition classes: 0 = SHIFT, 1 + 2l = LEFT with label l, 2 + 2l = RIGHT with label l.
fn n_classes(labels: usize) -> usize {
    1 + 2 * labels
}

/// What features need of one side's children of a word, kept as arcs are
/// made (instead of a list per word): the first two and the last two
/// attached, how many, and the set of their relations.
#[derive(Clone, Copy, Default)]
struct Kids {
    first: Option<usize>,
    second: Option<usize>,
    last: Option<usize>,
    before_last: Option<usize>,
    count: usize,
    /// Bit `label % 64` set for each child's relation.
    labset: u64,
}

impl Kids {
    fn add(&mut self, dep: usize, label: u16) {
        if self.first.is_none() {
            self.first = Some(dep);
        } else if self.second.is_none() {
            self.second = Some(dep);
        }
        self.before_last = self.last;
        self.last = Some(dep);
        self.count += 1;
        self.labset |= 1u64 << (label % 64);
    }
}

/// The parser state: stack, buffer position and the arcs made so far.
struct State {
    stack: Vec<usize>,
    next: usize,
    n: usize,
    heads: Vec<usize>,
    labels: Vec<u16>,
    /// Children left and right of each word.
    lefts: Vec<Kids>,
    rights: Vec<Kids>,
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
            lefts: vec![Kids::default(); n + 1],
            rights: vec![Kids::default(); n + 1],
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
        if let Some(kids) = side.get_mut(head) {
            kids.add(dep, label);
        }
    }
}

/// What features see of a sentence: per-word hashes computed once, so the
/// feature templates combine integers instead of hashing strings.
struct Sent {
    /// Hashes of the lower-cased word, its Penn tag, its universal tag and
    /// its last three letters, for positions 0 (the root) to n.
    word: Vec<u64>,
    xpos: Vec<u64>,
    upos: Vec<u64>,
    suffix: Vec<u64>,
    /// commas[i]: number of commas and semicolons among words 1..=i.
    commas: Vec<u16>,
}

/// The hash standing for a position that does not exist (empty stack slot,
/// past the end of the buffer).
const NONE: u64 = 0x6e6f_6e65;

/// Combine one more part into a feature hash.
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Spread a feature hash's bits (the weight table indexes by its low bits).
fn finish(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl Sent {
    /// `tags` are Penn tags, or "UPOS|XPOS" pairs.
    fn new(words: &[&str], tags: &[&str]) -> Sent {
        let n = words.len();
        let mut sent = Sent {
            word: Vec::with_capacity(n + 1),
            xpos: Vec::with_capacity(n + 1),
            upos: Vec::with_capacity(n + 1),
            suffix: Vec::with_capacity(n + 1),
            commas: Vec::with_capacity(n + 1),
        };
        let root = fnv(&[b"<root>"]);
        sent.word.push(root);
        sent.xpos.push(root);
        sent.upos.push(root);
        sent.suffix.push(root);
        sent.commas.push(0);
        let mut commas = 0u16;
        for (i, w) in words.iter().enumerate() {
            let lower = w.to_lowercase();
            let tag = tags.get(i).copied().unwrap_or("<none>");
            let (u, x) = tag.split_once('|').unwrap_or((tag, tag));
            let cut = lower.char_indices().rev().nth(2).map_or(0, |(k, _)| k);
            sent.word.push(fnv(&[b"w", lower.as_bytes()]));
            sent.xpos.push(fnv(&[b"x", x.as_bytes()]));
            sent.upos.push(fnv(&[b"u", u.as_bytes()]));
            sent.suffix
                .push(fnv(&[b"s", lower.get(cut..).unwrap_or("").as_bytes()]));
            if lower == "," || lower == ";" {
                commas = commas.saturating_add(1);
            }
            sent.commas.push(commas);
        }
        sent
    }

    fn get(v: &[u64], i: Option<usize>) -> u64 {
        i.and_then(|i| v.get(i)).copied().unwrap_or(NONE)
    }

    /// Commas and semicolons strictly between words `a` < `b`.
    fn commas_between(&self, a: usize, b: usize) -> u16 {
        let at = |i: usize| self.commas.get(i).copied().unwrap_or(0);
        at(b.saturating_sub(1)).saturating_sub(at(a))
    }
}

/// The feature hashes of a parser state. Template numbers are arbitrary but
/// must stay fixed: they are part of the trained model.
fn features(sent: &Sent, st: &State, out: &mut Vec<u64>) {
    out.clear();
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let (b0, b1, b2) = (st.b(0), st.b(1), st.b(2));
    // the first (second) left child attached, the last (last but one) right
    let lc = |i: Option<usize>| i.and_then(|i| st.lefts.get(i)).and_then(|k| k.first);
    let rc = |i: Option<usize>| i.and_then(|i| st.rights.get(i)).and_then(|k| k.last);
    let lc2 = |i: Option<usize>| i.and_then(|i| st.lefts.get(i)).and_then(|k| k.second);
    let rc2 = |i: Option<usize>| i.and_then(|i| st.rights.get(i)).and_then(|k| k.before_last);
    // the relation a word got, 0 when it has none yet
    let lab = |i: Option<usize>| -> u64 {
        i.and_then(|i| st.labels.get(i))
            .map_or(0, |l| u64::from(*l) + 1)
    };
    let w = |i| Sent::get(&sent.word, i);
    let t = |i| Sent::get(&sent.xpos, i);
    let u = |i| Sent::get(&sent.upos, i);
    let suf = |i| Sent::get(&sent.suffix, i);
    let valency = |side: &[Kids], i: Option<usize>| -> u64 {
        i.and_then(|i| side.get(i))
            .map_or(0, |k| k.count.min(4) as u64)
    };
    let labset = |side: &[Kids], i: Option<usize>| -> u64 {
        i.and_then(|i| side.get(i)).map_or(0, |k| k.labset)
    };
    // distance and commas between two stack/buffer words
    let gap = |a: Option<usize>, b: Option<usize>| -> u64 {
        match (a, b) {
            (Some(a), Some(b)) if a > 0 && b > a => {
                ((b - a).min(6) as u64) << 8 | u64::from(sent.commas_between(a, b).min(3))
            }
            _ => 0,
        }
    };
    let dist = match (s0, b0) {
        (Some(a), Some(b)) => b.saturating_sub(a).min(6) as u64,
        _ => 0,
    };
    let (s0lc, s0rc, b0lc, s1rc, s1lc) = (lc(s0), rc(s0), lc(b0), rc(s1), lc(s1));
    let (s0lc2, s0rc2, b0lc2) = (lc2(s0), rc2(s0), lc2(b0));
    let mut id = 0u64;
    let mut f = |parts: &[u64]| {
        id += 1;
        let mut h = id.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for p in parts {
            h = mix(h, *p);
        }
        out.push(finish(h));
    };
    f(&[]);
    for i in [s0, s1, s2, b0, b1, b2] {
        f(&[w(i)]);
        f(&[t(i)]);
    }
    f(&[w(s0), t(s0)]);
    f(&[w(b0), t(b0)]);
    f(&[w(s1), t(s1)]);
    f(&[t(s0), t(b0)]);
    f(&[w(s0), w(b0)]);
    f(&[w(s0), t(s0), t(b0)]);
    f(&[t(s0), w(b0), t(b0)]);
    f(&[t(s1), t(s0)]);
    f(&[w(s1), w(s0)]);
    f(&[t(s1), t(s0), t(b0)]);
    f(&[t(s0), t(b0), t(b1)]);
    f(&[t(b0), t(b1), t(b2)]);
    f(&[t(s2), t(s1), t(s0)]);
    f(&[t(s0lc), lab(s0lc)]);
    f(&[t(s0rc), lab(s0rc)]);
    f(&[t(b0lc), lab(b0lc)]);
    f(&[t(s1rc), lab(s1rc)]);
    f(&[t(s0), t(s0lc), t(b0)]);
    f(&[t(s0), t(s0rc), t(b0)]);
    f(&[t(s0), t(b0), t(b0lc)]);
    f(&[dist, t(s0), t(b0)]);
    f(&[dist, w(s0)]);
    f(&[valency(&st.lefts, s0), t(s0)]);
    f(&[valency(&st.rights, s0), t(s0)]);
    f(&[valency(&st.lefts, b0), t(b0)]);
    f(&[lab(s0lc), lab(s0rc), t(s0)]);
    // universal tags: their errors differ from the Penn tags' errors
    f(&[u(s0)]);
    f(&[u(b0)]);
    f(&[u(s1)]);
    f(&[u(b1)]);
    f(&[u(s0), u(b0)]);
    f(&[u(s1), u(s0), u(b0)]);
    f(&[u(s0), u(b0), u(b1)]);
    // second-order children and word pairs (Zhang & Nivre style)
    f(&[t(s0), t(s0lc), t(s0lc2)]);
    f(&[t(s0), t(s0rc), t(s0rc2)]);
    f(&[t(b0), t(b0lc), t(b0lc2)]);
    f(&[w(s0), t(b0)]);
    f(&[t(s0), w(b0)]);
    f(&[w(s0), w(b0), t(b0)]);
    f(&[w(s0), t(s0), w(b0)]);
    f(&[w(b0), t(b1)]);
    f(&[t(b0), w(b1)]);
    f(&[t(s1), w(s0)]);
    f(&[w(s1), t(s0)]);
    f(&[dist, w(s0), w(b0)]);
    f(&[w(s0lc)]);
    f(&[w(s0rc)]);
    f(&[w(b0lc)]);
    // the s1–s0 pair decides RIGHT arcs: their distance and the commas between them
    let (g10, g0b) = (gap(s1, s0), gap(s0, b0));
    f(&[g10, t(s1), t(s0)]);
    f(&[g10, w(s1), t(s0)]);
    f(&[g10, t(s1), w(s0)]);
    f(&[g0b, t(s0), t(b0)]);
    // the label sets of s0's and b0's children so far
    f(&[labset(&st.lefts, s0), t(s0)]);
    f(&[labset(&st.rights, s0), t(s0)]);
    f(&[labset(&st.lefts, b0), t(b0)]);
    // s1's outer children, b1 in full, and suffixes for rare words
    f(&[t(s1lc), lab(s1lc), t(s1)]);
    f(&[t(s1rc), lab(s1rc), t(s0)]);
    f(&[w(b1), t(b1)]);
    f(&[w(b0), w(b1)]);
    f(&[t(s1), w(s0), t(b0)]);
    f(&[t(s0), w(b0), t(b1)]);
    f(&[suf(b0), t(b0)]);
    f(&[suf(s0), t(s0)]);
}

/// Make a tree projective by lifting: while some arc spans a word its head
/// does not dominate, the shortest such arc's dependent is re-attached to its
/// head's head (labels stay). `None` for a malformed tree (a cycle, a head
/// out of range).
fn projectivize(heads: &[usize]) -> Option<Vec<usize>> {
    let n = heads.len();
    if heads.iter().any(|h| *h > n) {
        return None;
    }
    let mut heads = heads.to_vec();
    let head_of = |heads: &[usize], i: usize| heads.get(i.wrapping_sub(1)).copied();
    // whether `a` dominates `k` (following heads up from k)
    let dominates = |heads: &[usize], a: usize, mut k: usize| {
        for _ in 0..=n {
            if k == a {
                return Some(true);
            }
            if k == 0 {
                return Some(false);
            }
            k = head_of(heads, k)?;
        }
        None
    };
    for _ in 0..=n * n {
        let mut worst: Option<(usize, usize)> = None; // (length, dependent)
        for d in 1..=n {
            let h = head_of(&heads, d)?;
            let (lo, hi) = if h < d { (h, d) } else { (d, h) };
            let mut crossing = false;
            for k in lo + 1..hi {
                if !dominates(&heads, h, k)? {
                    crossing = true;
                    break;
                }
            }
            if crossing && worst.is_none_or(|(len, _)| hi - lo < len) {
                worst = Some((hi - lo, d));
            }
        }
        let Some((_, d)) = worst else {
            return Some(heads);
        };
        let h = head_of(&heads, d)?;
        let grand = head_of(&heads, h)?;
        *heads.get_mut(d - 1)? = grand;
    }
    None
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
        let s0_word = st.s(0) != Some(0);
        let (shift, left, right) = (
            st.can_shift(),
            st.can_left() && s0_word,
            st.can_right() && s0_word,
        );
        let mut best: Option<(usize, f32)> = None;
        for (c, s) in scores.iter().enumerate() {
            let valid = match c {
                0 => shift,
                c if c % 2 == 1 => left,
                _ => right,
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
        let sent = Sent::new(words, tags);
        let mut st = State::new(n);
        let mut feats = Vec::with_capacity(64);
        let mut scores = vec![0.0f32; n_classes(self.labels.len())];
        let mut steps = 0;
        while !st.done() && steps <= 2 * n + 2 {
            steps += 1;
            features(&sent, &st, &mut feats);
            self.weights.score(&feats, &mut scores);
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
    /// reporting `progress(epoch, non_projective_trees, dev_uas, dev_las)`.
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
            let mut lifted = 0;
            for &si in &order {
                let Some((s, tags)) = train.get(si) else {
                    continue;
                };
                let heads: Vec<usize> = s.words.iter().map(|w| w.head.unwrap_or(0)).collect();
                // malformed trees (a head out of range, a cycle) are left out
                let heads = if projective(&heads) && heads.iter().all(|h| *h <= s.words.len()) {
                    heads
                } else {
                    match projectivize(&heads) {
                        Some(h) => {
                            lifted += 1;
                            h
                        }
                        None => continue,
                    }
                };
                let gl: Vec<u16> = s
                    .words
                    .iter()
                    .map(|w| index.get(&w.deprel).copied().unwrap_or(0))
                    .collect();
                let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
                let forms: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                let sent = Sent::new(&forms, &tag_refs);
                let mut st = State::new(s.words.len());
                while !st.done() {
                    features(&sent, &st, &mut feats);
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
            p.weights = WeightTable::from(&trainer.averaged_pruned(PRUNE_BELOW, min_updates));
            let (uas, las) = p.attachment(dev);
            progress(epoch + 1, lifted, uas, las);
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
        let mut feats: Vec<_> = self.weights.iter().collect();
        feats.sort_by_key(|(f, _)| *f);
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (f, ws) in feats {
            out.extend_from_slice(&f.to_le_bytes());
            let mut ws: Vec<(u16, f32)> = ws.collect();
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
        let n = r.u32()? as usize;
        p.weights = read_table(&mut r, n, |r| r.u16().map(usize::from))?;
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
