//! Part-of-speech tagger and lemmatiser: a greedy left-to-right averaged
//! perceptron that predicts UPOS and Penn XPOS together (one label per
//! UPOS/XPOS pair), a tag dictionary for frequent unambiguous words, and
//! lemmas from suffix rules plus an exception table learned from training
//! data.
//!
//! Training is deterministic (a fixed shuffling seed). The model is stored in
//! a small little-endian binary format of our own (see [`Tagger::to_bytes`]).

use crate::conllu::ConlluSentence;
use crate::perceptron::{
    best, fnv, put_str, read_table, shuffle, ModelReader, Trainer, WeightTable,
};
use std::collections::HashMap;

/// Magic bytes and version of the model file format.
const MAGIC: &[u8; 8] = b"PULSETG2";
/// A word seen at least this often lends its most frequent label to the
/// look-ahead features of the word before it.
const LIKELY_MIN_COUNT: u32 = 3;
/// A word seen at least this often, with one label at least this share of
/// the time, is tagged from the dictionary.
const TAGDICT_MIN_COUNT: u32 = 20;
/// See [`TAGDICT_MIN_COUNT`].
const TAGDICT_MIN_SHARE: f64 = 0.97;
/// Averaged weights smaller than this are dropped from the saved model.
const PRUNE_BELOW: f32 = 0.005;

/// Why a model could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The bytes are not a pulse tagger model, or are cut short.
    #[error("not a pulse tagger model (or truncated): {0}")]
    Format(String),
}

/// One word's predicted tags and lemma.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged {
    /// Universal part-of-speech tag.
    pub upos: String,
    /// Penn Treebank tag.
    pub xpos: String,
    /// Lemma.
    pub lemma: String,
}

/// A trained tagger.
#[derive(Debug, Default, Clone)]
pub struct Tagger {
    /// Labels: `UPOS` and `XPOS` of each class.
    labels: Vec<(String, String)>,
    /// Words tagged without the model.
    tagdict: HashMap<String, u16>,
    /// Each frequent word's most frequent label, for look-ahead features.
    likely: HashMap<String, u16>,
    /// Feature hash → (label, weight) pairs, in the flat table inference
    /// reads (training keeps a map).
    weights: WeightTable,
    /// (lower-case form, UPOS) → lemma, where the rules get it wrong.
    lemmas: HashMap<(String, String), String>,
    /// The label names as features see them, made once.
    names: Vec<String>,
}

/// The normalised form used in features: lower case, numbers and
/// hyphenated words folded to classes.
fn normalise(word: &str) -> String {
    if word.contains('-') && !word.starts_with('-') && word.len() > 1 {
        return "!HYPHEN".to_string();
    }
    if word.len() == 4 && word.chars().all(|c| c.is_ascii_digit()) {
        return "!YEAR".to_string();
    }
    if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return "!DIGITS".to_string();
    }
    word.to_lowercase()
}

/// Word shape: X for upper, x for lower, d for digit, runs collapsed after two.
fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = ' ';
    let mut run = 0;
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
            if run >= 2 {
                continue;
            }
        } else {
            run = 0;
        }
        last = s;
        out.push(s);
    }
    out
}

fn suffix(w: &str, n: usize) -> &str {
    let start = w
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    w.get(start..).unwrap_or(w)
}

fn prefix(w: &str, n: usize) -> &str {
    let end = w.char_indices().nth(n).map_or(w.len(), |(i, _)| i);
    w.get(..end).unwrap_or(w)
}

/// Context of a sentence prepared once: normalised words and shapes.
struct Context {
    norm: Vec<String>,
    raw: Vec<String>,
    shapes: Vec<String>,
    /// The most likely label of each word ("?" when unknown), for look-ahead.
    ahead: Vec<String>,
}

impl Context {
    fn new(words: &[&str], tagger: &Tagger) -> Context {
        Context {
            norm: words.iter().map(|w| normalise(w)).collect(),
            raw: words.iter().map(|w| w.to_string()).collect(),
            shapes: words.iter().map(|w| shape(w)).collect(),
            ahead: words
                .iter()
                .map(|w| {
                    tagger
                        .likely
                        .get(*w)
                        .and_then(|l| tagger.names.get(*l as usize))
                        .cloned()
                        .unwrap_or_else(|| "?".to_string())
                })
                .collect(),
        }
    }

    fn word(&self, i: isize) -> &str {
        if i < 0 {
            return if i == -1 { "-START-" } else { "-START2-" };
        }
        self.norm.get(i as usize).map_or(
            if i as usize == self.norm.len() {
                "-END-"
            } else {
                "-END2-"
            },
            |s| s.as_str(),
        )
    }

    /// Feature hashes for word `i` given the two previous labels.
    fn features(&self, i: usize, p1: &str, p2: &str, out: &mut Vec<u64>) {
        out.clear();
        let ii = i as isize;
        let w = self.word(ii);
        let raw = self.raw.get(i).map_or("", String::as_str);
        let sh = self.shapes.get(i).map_or("", String::as_str);
        let prev = self.word(ii - 1);
        let next = self.word(ii + 1);
        out.push(fnv(&[b"bias"]));
        out.push(fnv(&[b"w", w.as_bytes()]));
        out.push(fnv(&[b"s3", suffix(w, 3).as_bytes()]));
        out.push(fnv(&[b"s2", suffix(w, 2).as_bytes()]));
        out.push(fnv(&[b"s4", suffix(w, 4).as_bytes()]));
        out.push(fnv(&[b"p1", prefix(w, 1).as_bytes()]));
        out.push(fnv(&[b"p3", prefix(w, 3).as_bytes()]));
        out.push(fnv(&[b"sh", sh.as_bytes()]));
        let cap = [u8::from(raw.chars().next().is_some_and(char::is_uppercase))];
        let first = [u8::from(i == 0)];
        out.push(fnv(&[&b"cap"[..], &cap[..], &first[..]]));
        out.push(fnv(&[b"t1", p1.as_bytes()]));
        out.push(fnv(&[b"t2", p2.as_bytes()]));
        out.push(fnv(&[b"t12", p1.as_bytes(), p2.as_bytes()]));
        out.push(fnv(&[b"t1w", p1.as_bytes(), w.as_bytes()]));
        out.push(fnv(&[b"w-1", prev.as_bytes()]));
        out.push(fnv(&[b"s-1", suffix(prev, 3).as_bytes()]));
        out.push(fnv(&[b"w-2", self.word(ii - 2).as_bytes()]));
        out.push(fnv(&[b"w+1", next.as_bytes()]));
        out.push(fnv(&[b"s+1", suffix(next, 3).as_bytes()]));
        out.push(fnv(&[b"w+2", self.word(ii + 2).as_bytes()]));
        out.push(fnv(&[b"ww+1", w.as_bytes(), next.as_bytes()]));
        out.push(fnv(&[b"w-1w", prev.as_bytes(), w.as_bytes()]));
        out.push(fnv(&[b"t1w+1", p1.as_bytes(), next.as_bytes()]));
        out.push(fnv(&[b"raw", raw.as_bytes()]));
        out.push(fnv(&[b"t1s3", p1.as_bytes(), suffix(w, 3).as_bytes()]));
        out.push(fnv(&[b"w-1w+1", prev.as_bytes(), next.as_bytes()]));
        let sh_prev = self
            .shapes
            .get(i.wrapping_sub(1))
            .map_or("", String::as_str);
        let sh_next = self.shapes.get(i + 1).map_or("", String::as_str);
        out.push(fnv(&[b"sh-1", sh_prev.as_bytes()]));
        out.push(fnv(&[b"sh+1", sh_next.as_bytes()]));
        // look-ahead: what the next words usually are
        let a1 = self.ahead.get(i + 1).map_or("-END-", String::as_str);
        let a2 = self.ahead.get(i + 2).map_or("-END-", String::as_str);
        out.push(fnv(&[b"a+1", a1.as_bytes()]));
        out.push(fnv(&[b"a+2", a1.as_bytes(), a2.as_bytes()]));
        out.push(fnv(&[b"t1 a+1", p1.as_bytes(), a1.as_bytes()]));
        out.push(fnv(&[b"w a+1", w.as_bytes(), a1.as_bytes()]));
    }
}

/// Lemma by suffix rules, for words the exception table does not know.
fn rule_lemma(form: &str, upos: &str) -> String {
    let lower = form.to_lowercase();
    let strip = |s: &str, n: usize| s.get(..s.len().saturating_sub(n)).unwrap_or(s).to_string();
    match upos {
        "PROPN" => form.to_string(),
        "NOUN" => {
            if lower.ends_with("ies") && lower.len() > 4 {
                format!("{}y", strip(&lower, 3))
            } else if ["ches", "shes", "sses", "xes", "zes"]
                .iter()
                .any(|s| lower.ends_with(s))
            {
                strip(&lower, 2)
            } else if lower.ends_with('s') && !lower.ends_with("ss") && lower.len() > 3 {
                strip(&lower, 1)
            } else {
                lower
            }
        }
        "VERB" | "AUX" => {
            let sibilant_es = ["ches", "shes", "sses", "xes", "zes"]
                .iter()
                .any(|s| lower.ends_with(s));
            if (lower.ends_with("ied") || lower.ends_with("ies")) && lower.len() > 4 {
                format!("{}y", strip(&lower, 3))
            } else if lower.ends_with("ing") && lower.len() > 5 {
                strip(&lower, 3)
            } else if (lower.ends_with("ed") && lower.len() > 4) || sibilant_es {
                strip(&lower, 2)
            } else if lower.ends_with('s') && !lower.ends_with("ss") && lower.len() > 3 {
                strip(&lower, 1)
            } else {
                lower
            }
        }
        _ => lower,
    }
}

impl Tagger {
    /// Number of classes (UPOS/XPOS pairs).
    pub fn classes(&self) -> usize {
        self.labels.len()
    }

    /// Number of weighted features kept in the model.
    pub fn features(&self) -> usize {
        self.weights.len()
    }

    /// Predict class indices for a sentence of words.
    fn predict_ids(&self, words: &[&str]) -> Vec<u16> {
        let ctx = Context::new(words, self);
        let mut out: Vec<u16> = Vec::with_capacity(words.len());
        let mut feats = Vec::with_capacity(32);
        let mut scores = vec![0.0f32; self.labels.len()];
        let names = &self.names;
        for (i, w) in words.iter().enumerate() {
            if let Some(l) = self.tagdict.get(*w) {
                out.push(*l);
                continue;
            }
            let p1 = Self::prev_name(names, &out, i, 1);
            let p2 = Self::prev_name(names, &out, i, 2);
            ctx.features(i, p1, p2, &mut feats);
            self.weights.score(&feats, &mut scores);
            out.push(best(&scores));
        }
        out
    }

    /// The names of the classes as features see them ("VERB|VBD").
    fn names(&self) -> Vec<String> {
        self.labels
            .iter()
            .map(|(u, x)| format!("{u}|{x}"))
            .collect()
    }

    /// The name of the label `back` places before word `i`.
    fn prev_name<'n>(names: &'n [String], pred: &[u16], i: usize, back: usize) -> &'n str {
        match i.checked_sub(back).and_then(|j| pred.get(j)) {
            Some(l) => names.get(*l as usize).map_or("", String::as_str),
            None => "-START-",
        }
    }

    /// Tag a sentence of words: UPOS, XPOS and lemma for each.
    pub fn tag(&self, words: &[&str]) -> Vec<Tagged> {
        if self.labels.is_empty() {
            return words
                .iter()
                .map(|w| Tagged {
                    upos: "X".into(),
                    xpos: "X".into(),
                    lemma: w.to_lowercase(),
                })
                .collect();
        }
        self.predict_ids(words)
            .into_iter()
            .zip(words)
            .map(|(l, w)| {
                let (upos, xpos) = self.labels.get(l as usize).cloned().unwrap_or_default();
                let lemma = self.lemma(w, &upos);
                Tagged { upos, xpos, lemma }
            })
            .collect()
    }

    /// Tag every sentence of a document in place (UPOS, XPOS, lemma on each token).
    pub fn tag_doc(&self, doc: &mut crate::Doc) {
        for s in &mut doc.sentences {
            let words: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
            let tags = self.tag(&words);
            for (t, g) in s.tokens.iter_mut().zip(tags) {
                t.upos = g.upos;
                t.xpos = g.xpos;
                t.lemma = g.lemma;
            }
        }
    }

    /// The lemma of a word with a given UPOS.
    pub fn lemma(&self, form: &str, upos: &str) -> String {
        self.lemmas
            .get(&(form.to_lowercase(), upos.to_string()))
            .cloned()
            .unwrap_or_else(|| rule_lemma(form, upos))
    }

    /// Train on `train` for `epochs` passes, reporting each epoch's accuracy
    /// on `dev` through `progress(epoch, train_acc, dev_acc)`.
    pub fn train(
        train: &[ConlluSentence],
        dev: &[ConlluSentence],
        epochs: usize,
        mut progress: impl FnMut(usize, f64, f64),
    ) -> Tagger {
        let mut t = Tagger::default();
        // classes and the tag dictionary
        let mut index: HashMap<(String, String), u16> = HashMap::new();
        let mut counts: HashMap<String, HashMap<u16, u32>> = HashMap::new();
        let mut lemma_counts: HashMap<(String, String), HashMap<String, u32>> = HashMap::new();
        for s in train {
            for w in &s.words {
                let key = (w.upos.clone(), w.xpos.clone());
                let next = index.len() as u16;
                let id = *index.entry(key.clone()).or_insert_with(|| {
                    t.labels.push(key);
                    next
                });
                *counts
                    .entry(w.form.clone())
                    .or_default()
                    .entry(id)
                    .or_default() += 1;
                *lemma_counts
                    .entry((w.form.to_lowercase(), w.upos.clone()))
                    .or_default()
                    .entry(w.lemma.clone())
                    .or_default() += 1;
            }
        }
        for (word, by_label) in &counts {
            let total: u32 = by_label.values().sum();
            if let Some((l, n)) = by_label.iter().max_by_key(|(l, n)| (**n, u16::MAX - **l)) {
                if total >= TAGDICT_MIN_COUNT
                    && f64::from(*n) / f64::from(total) >= TAGDICT_MIN_SHARE
                {
                    t.tagdict.insert(word.clone(), *l);
                }
                if total >= LIKELY_MIN_COUNT {
                    t.likely.insert(word.clone(), *l);
                }
            }
        }
        for ((form, upos), by_lemma) in lemma_counts {
            if let Some((lemma, _)) = by_lemma
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            {
                if rule_lemma(&form, &upos) != lemma {
                    t.lemmas.insert((form, upos), lemma);
                }
            }
        }
        // averaged perceptron
        let mut trainer = Trainer::default();
        let mut order: Vec<usize> = (0..train.len()).collect();
        let mut seed: u64 = 0x05ee_d0f9_a15e;
        let mut feats = Vec::with_capacity(32);
        let n_labels = t.labels.len();
        t.names = t.names();
        let names = t.names.clone();
        for epoch in 0..epochs {
            // the same order on every run
            seed = shuffle(&mut order, seed);
            let (mut right, mut total) = (0usize, 0usize);
            for &si in &order {
                let Some(s) = train.get(si) else { continue };
                let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
                let gold: Vec<u16> = s
                    .words
                    .iter()
                    .map(|w| {
                        index
                            .get(&(w.upos.clone(), w.xpos.clone()))
                            .copied()
                            .unwrap_or(0)
                    })
                    .collect();
                let ctx = Context::new(&words, &t);
                let mut pred: Vec<u16> = Vec::with_capacity(words.len());
                let mut scores = vec![0.0f32; n_labels];
                for (i, w) in words.iter().enumerate() {
                    let g = gold.get(i).copied().unwrap_or(0);
                    if let Some(l) = t.tagdict.get(*w) {
                        pred.push(*l);
                        right += usize::from(*l == g);
                        total += 1;
                        continue;
                    }
                    let p1 = Self::prev_name(&names, &pred, i, 1);
                    let p2 = Self::prev_name(&names, &pred, i, 2);
                    ctx.features(i, p1, p2, &mut feats);
                    trainer.score(&feats, &mut scores);
                    let guess = best(&scores);
                    trainer.update(&feats, g, guess);
                    right += usize::from(guess == g);
                    total += 1;
                    pred.push(guess);
                }
            }
            // averaged weights for this epoch's dev score (and the final model)
            t.weights = WeightTable::from(&trainer.averaged(PRUNE_BELOW));
            let train_acc = right as f64 / total.max(1) as f64;
            let dev_acc = t.accuracy(dev).0;
            progress(epoch + 1, train_acc, dev_acc);
        }
        t
    }

    /// UPOS, XPOS and lemma accuracy on gold-tokenised sentences.
    pub fn accuracy(&self, sentences: &[ConlluSentence]) -> (f64, f64, f64) {
        let (mut u, mut x, mut l, mut n) = (0usize, 0usize, 0usize, 0usize);
        for s in sentences {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            for (t, g) in self.tag(&words).iter().zip(&s.words) {
                u += usize::from(t.upos == g.upos);
                x += usize::from(t.xpos == g.xpos);
                l += usize::from(t.lemma == g.lemma);
                n += 1;
            }
        }
        let d = n.max(1) as f64;
        (u as f64 / d, x as f64 / d, l as f64 / d)
    }

    /// The model as bytes: magic, labels, tag dictionary, lemma exceptions and
    /// weights, all little-endian, sorted so the same model gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for (u, x) in &self.labels {
            put_str(&mut out, u);
            put_str(&mut out, x);
        }
        for map in [&self.tagdict, &self.likely] {
            let mut dict: Vec<(&String, &u16)> = map.iter().collect();
            dict.sort();
            out.extend_from_slice(&(dict.len() as u32).to_le_bytes());
            for (w, l) in dict {
                put_str(&mut out, w);
                out.extend_from_slice(&l.to_le_bytes());
            }
        }
        let mut lemmas: Vec<(&(String, String), &String)> = self.lemmas.iter().collect();
        lemmas.sort();
        out.extend_from_slice(&(lemmas.len() as u32).to_le_bytes());
        for ((form, upos), lemma) in lemmas {
            put_str(&mut out, form);
            put_str(&mut out, upos);
            put_str(&mut out, lemma);
        }
        let mut feats: Vec<_> = self.weights.iter().collect();
        feats.sort_by_key(|(f, _)| *f);
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (f, ws) in feats {
            out.extend_from_slice(&f.to_le_bytes());
            let mut ws: Vec<(u16, f32)> = ws.collect();
            ws.sort_by_key(|(l, _)| *l);
            out.push(ws.len().min(255) as u8);
            for (l, w) in ws.iter().take(255) {
                out.extend_from_slice(&l.to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    /// Load a model written by [`Tagger::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Tagger::read(bytes).map_err(ModelError::Format)
    }

    fn read(bytes: &[u8]) -> Result<Tagger, String> {
        let mut r = ModelReader::new(bytes, MAGIC)?;
        let mut t = Tagger::default();
        for _ in 0..r.u32()? {
            let u = r.string()?;
            let x = r.string()?;
            t.labels.push((u, x));
        }
        for map in [&mut t.tagdict, &mut t.likely] {
            for _ in 0..r.u32()? {
                let w = r.string()?;
                let l = r.u16()?;
                map.insert(w, l);
            }
        }
        for _ in 0..r.u32()? {
            let form = r.string()?;
            let upos = r.string()?;
            let lemma = r.string()?;
            t.lemmas.insert((form, upos), lemma);
        }
        let n = r.u32()? as usize;
        t.weights = read_table(&mut r, n, |r| r.u8().map(usize::from))?;
        r.finish()?;
        t.names = t.names();
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse_conllu;

    fn tiny() -> Vec<ConlluSentence> {
        let mut text = String::new();
        for _ in 0..30 {
            text.push_str("1\tTroops\ttroop\tNOUN\tNNS\t_\t2\tnsubj\t_\t_\n2\tattacked\tattack\tVERB\tVBD\t_\t0\troot\t_\t_\n3\tthe\tthe\tDET\tDT\t_\t4\tdet\t_\t_\n4\tvillage\tvillage\tNOUN\tNN\t_\t2\tobj\t_\t_\n5\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n");
            text.push_str("1\tThey\tthey\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n2\tattack\tattack\tVERB\tVBP\t_\t0\troot\t_\t_\n3\tvillages\tvillage\tNOUN\tNNS\t_\t2\tobj\t_\t_\n\n");
        }
        parse_conllu(&text).unwrap_or_default()
    }

    #[test]
    fn learns_a_toy_treebank_and_round_trips() {
        let data = tiny();
        let t = Tagger::train(&data, &data, 3, |_, _, _| {});
        let tags = t.tag(&["Troops", "attacked", "the", "village", "."]);
        assert_eq!(tags[1].upos, "VERB");
        assert_eq!(tags[1].xpos, "VBD");
        assert_eq!(tags[1].lemma, "attack");
        assert_eq!(tags[0].lemma, "troop");
        let bytes = t.to_bytes();
        let back = Tagger::from_bytes(&bytes).unwrap_or_default();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.tag(&["They", "attack", "villages"])[2].upos, "NOUN");
    }

    #[test]
    fn truncated_or_foreign_models_are_errors() {
        let t = Tagger::train(&tiny(), &[], 1, |_, _, _| {});
        let bytes = t.to_bytes();
        for cut in [0, 4, 8, 12, bytes.len() / 2, bytes.len() - 1] {
            assert!(Tagger::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(Tagger::from_bytes(b"not a model at all").is_err());
    }

    #[test]
    fn odd_words_do_not_panic() {
        let t = Tagger::train(&tiny(), &[], 1, |_, _, _| {});
        let words = [
            "", "\u{200b}", "😀", "Zürich", "1,500", "-", "--", "a-", "ß",
        ];
        assert_eq!(t.tag(&words).len(), words.len());
        assert_eq!(Tagger::default().tag(&["x"]).len(), 1);
    }

    #[test]
    fn a_very_long_sentence_is_tagged_in_one_linear_pass() {
        let t = Tagger::train(&tiny(), &[], 1, |_, _, _| {});
        let words: Vec<&str> = ["troops", "attacked", "the", "village"]
            .iter()
            .cycle()
            .take(50_000)
            .copied()
            .collect();
        assert_eq!(t.tag(&words).len(), 50_000);
    }

    #[test]
    fn lemma_rules() {
        assert_eq!(rule_lemma("casualties", "NOUN"), "casualty");
        assert_eq!(rule_lemma("marches", "NOUN"), "march");
        assert_eq!(rule_lemma("denied", "VERB"), "deny");
        assert_eq!(rule_lemma("Taliban", "PROPN"), "Taliban");
    }
}
