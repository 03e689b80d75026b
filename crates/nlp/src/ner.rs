//! Named entities (PER, ORG, LOC): a greedy left-to-right averaged-perceptron
//! sequence tagger over BIO labels, with word, shape, affix, part-of-speech,
//! previous-label and gazetteer features, and how each word is written
//! elsewhere in the training text (lower case, capitalised, never); decoding
//! never starts an entity with I-. The model is the mean of a few taggers
//! trained on different shuffles. Trained on Universal NER English (UNER) EWT.

use crate::perceptron::{best, fnv, put_str, score, shuffle, ModelReader, Trainer, Weights};

/// Magic bytes and version of the model file format.
const MAGIC: &[u8; 8] = b"PULSENE4";
/// Averaged weights smaller than this are dropped from the saved model.
const PRUNE_BELOW: f32 = 0.01;
/// Taggers trained (each on its own shuffles of the data) whose mean weights
/// make the model: steadier than one, by 0.006 of EWT dev F1.
const ENSEMBLE: usize = 5;
/// The BIO labels, in class order.
pub const LABELS: [&str; 7] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"];

/// One sentence of entity-annotated words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NerSentence {
    /// `# sent_id`, when given.
    pub id: Option<String>,
    /// Word forms.
    pub words: Vec<String>,
    /// BIO labels (one of [`LABELS`]).
    pub labels: Vec<String>,
}

pub use crate::types::Entity;

/// Words that end organisation names ("… University", "… Party").
const ORG_HEADS: [&str; 48] = [
    "university",
    "college",
    "institute",
    "company",
    "corporation",
    "corp",
    "inc",
    "ltd",
    "party",
    "council",
    "committee",
    "ministry",
    "department",
    "agency",
    "association",
    "union",
    "bank",
    "group",
    "organization",
    "organisation",
    "foundation",
    "society",
    "federation",
    "league",
    "army",
    "police",
    "court",
    "parliament",
    "assembly",
    "congress",
    "senate",
    "commission",
    "office",
    "times",
    "post",
    "news",
    "press",
    "club",
    "airlines",
    "airways",
    "school",
    "hospital",
    "church",
    "museum",
    "board",
    "authority",
    "service",
    "network",
];

/// Words that end place names ("… River", "… Province").
const PLACE_HEADS: [&str; 22] = [
    "river",
    "mountain",
    "mountains",
    "lake",
    "island",
    "islands",
    "city",
    "county",
    "province",
    "state",
    "street",
    "road",
    "sea",
    "ocean",
    "valley",
    "bay",
    "park",
    "district",
    "region",
    "coast",
    "desert",
    "peninsula",
];

/// Titles and honorifics that stand before a name but are not part of it in
/// UNER ("Mr Smith", "Pope Francis", "Gen. Miller"); compared lower-cased
/// without a final period.
const TITLES: [&str; 40] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "pope",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "sheikh",
    "president",
    "senator",
    "sen",
    "rep",
    "gov",
    "governor",
    "minister",
    "chancellor",
    "rev",
    "reverend",
    "father",
    "gen",
    "general",
    "col",
    "colonel",
    "capt",
    "captain",
    "sgt",
    "lt",
    "judge",
    "mayor",
];

/// What a (lower-case) head word says a name names: 1 an organisation
/// ([`ORG_HEADS`]), 2 a place ([`PLACE_HEADS`]), 0 nothing.
fn head_kind(lower: &str) -> u8 {
    if ORG_HEADS.contains(&lower) {
        1
    } else if PLACE_HEADS.contains(&lower) {
        2
    } else {
        0
    }
}

/// Whether a word is a title from [`TITLES`].
fn is_title(lower: &str) -> bool {
    TITLES.contains(&lower.trim_end_matches('.'))
}

/// Why a NER model could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("not a pulse NER model (or truncated): {0}")]
pub struct NerModelError(String);

/// Read the UNER `.iob2` format: comments, then `ID FORM LABEL …` lines; tags
/// other than the seven BIO labels count as O.
pub fn parse_iob2(text: &str) -> Vec<NerSentence> {
    let mut out = Vec::new();
    let mut cur = NerSentence::default();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur = NerSentence::default();
            continue;
        }
        if let Some(c) = line.strip_prefix('#') {
            if let Some(id) = c.trim_start().strip_prefix("sent_id =") {
                cur.id = Some(id.trim().to_string());
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(form), Some(tag)) = (cols.get(1), cols.get(2)) else {
            continue;
        };
        let tag = if LABELS.contains(tag) { *tag } else { "O" };
        cur.words.push((*form).to_string());
        cur.labels.push(tag.to_string());
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    out
}

/// The entities of a BIO label sequence (an I- without a B- starts one).
pub fn entities(labels: &[impl AsRef<str>]) -> Vec<Entity> {
    let mut out: Vec<Entity> = Vec::new();
    let mut open: Option<Entity> = None;
    for (i, l) in labels.iter().enumerate() {
        let l = l.as_ref();
        let (prefix, kind) = l.split_once('-').unwrap_or(("O", ""));
        let continues = prefix == "I" && open.as_ref().is_some_and(|e| e.kind == kind);
        if continues {
            if let Some(e) = open.as_mut() {
                e.end = i + 1;
            }
            continue;
        }
        if let Some(e) = open.take() {
            out.push(e);
        }
        if prefix == "B" || prefix == "I" {
            open = Some(Entity {
                start: i,
                end: i + 1,
                kind: kind.to_string(),
            });
        }
    }
    out.extend(open);
    out
}

fn shape(word: &str) -> String {
    let mut out = String::new();
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
        if !out.ends_with(s) {
            out.push(s);
        }
    }
    out
}

fn affix(w: &str, n: usize, suffix: bool) -> &str {
    let idx = if suffix {
        w.char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(0, |(i, _)| i)
    } else {
        w.char_indices().nth(n).map_or(w.len(), |(i, _)| i)
    };
    if suffix {
        w.get(idx..).unwrap_or(w)
    } else {
        w.get(..idx).unwrap_or(w)
    }
}

/// Feature hashes for word `i` of a sentence with POS tags and the previous labels.
#[allow(clippy::too_many_arguments)]
fn features(
    gaz: &Gazetteer,
    marks: &Marks,
    words: &[&str],
    tags: &[&str],
    i: usize,
    p1: &str,
    p2: &str,
    seen: &[Seen],
    out: &mut Vec<u64>,
) {
    out.clear();
    let get = |k: isize| -> &str {
        if k < 0 {
            "<s>"
        } else {
            words.get(k as usize).copied().unwrap_or("</s>")
        }
    };
    let tag = |k: isize| -> &str {
        if k < 0 {
            "<s>"
        } else {
            tags.get(k as usize).copied().unwrap_or("</s>")
        }
    };
    let ii = i as isize;
    let w = get(ii);
    let lw = w.to_lowercase();
    let sh = shape(w);
    let (lp, ln) = (get(ii - 1).to_lowercase(), get(ii + 1).to_lowercase());
    out.push(fnv(&[b"bias"]));
    out.push(fnv(&[b"w", w.as_bytes()]));
    out.push(fnv(&[b"lw", lw.as_bytes()]));
    out.push(fnv(&[b"sh", sh.as_bytes()]));
    for n in 2..=4 {
        let nb = [n as u8];
        out.push(fnv(&[b"suf", &nb[..], affix(&lw, n, true).as_bytes()]));
        out.push(fnv(&[b"pre", &nb[..], affix(&lw, n, false).as_bytes()]));
    }
    out.push(fnv(&[b"t", tag(ii).as_bytes()]));
    out.push(fnv(&[b"t-1 t", tag(ii - 1).as_bytes(), tag(ii).as_bytes()]));
    out.push(fnv(&[b"t t+1", tag(ii).as_bytes(), tag(ii + 1).as_bytes()]));
    out.push(fnv(&[b"w-1", lp.as_bytes()]));
    out.push(fnv(&[b"w+1", ln.as_bytes()]));
    out.push(fnv(&[b"w-2", get(ii - 2).to_lowercase().as_bytes()]));
    out.push(fnv(&[b"w+2", get(ii + 2).to_lowercase().as_bytes()]));
    out.push(fnv(&[b"sh-1", shape(get(ii - 1)).as_bytes()]));
    out.push(fnv(&[b"sh+1", shape(get(ii + 1)).as_bytes()]));
    out.push(fnv(&[b"l1", p1.as_bytes()]));
    out.push(fnv(&[b"l1 l2", p1.as_bytes(), p2.as_bytes()]));
    out.push(fnv(&[b"l1 w", p1.as_bytes(), lw.as_bytes()]));
    out.push(fnv(&[b"l1 sh", p1.as_bytes(), sh.as_bytes()]));
    out.push(fnv(&[b"w-1 w", lp.as_bytes(), lw.as_bytes()]));
    out.push(fnv(&[b"w w+1", lw.as_bytes(), ln.as_bytes()]));
    out.push(fnv(&[b"first", &[u8::from(i == 0)][..], sh.as_bytes()]));
    let titles = [u8::from(is_title(&lp)), u8::from(is_title(&lw))];
    out.push(fnv(&[b"title", &titles[..], sh.as_bytes()]));
    // gazetteer membership of this word and its neighbours, with capitalisation
    let cap = [u8::from(w.chars().next().is_some_and(char::is_uppercase))];
    let g0 = [gaz.flags(&lw)];
    let gp = [gaz.flags(&lp)];
    let gn = [gaz.flags(&ln)];
    out.push(fnv(&[b"gaz", &g0[..], &cap[..]]));
    out.push(fnv(&[b"gaz-1", &gp[..], &g0[..]]));
    out.push(fnv(&[b"gaz+1", &g0[..], &gn[..]]));
    out.push(fnv(&[b"gaz l1", &g0[..], p1.as_bytes()]));
    // how the word is written elsewhere in the training text: a capitalised
    // word seen often in lower case is rarely a name, one never seen at all
    // (or seen only capitalised) often is, whatever its tag says
    let sn = seen.get(i).copied().unwrap_or_default();
    let first = [u8::from(i == 0)];
    out.push(fnv(&[b"seen", &sn[..], &cap[..], &first[..]]));
    out.push(fnv(&[b"seen t", &sn[..], &cap[..], tag(ii).as_bytes()]));
    out.push(fnv(&[b"seen l1", &sn[..], &cap[..], p1.as_bytes()]));
    let at = |list: &[u8], k: isize| -> u8 {
        if k < 0 {
            0
        } else {
            list.get(k as usize).copied().unwrap_or(0)
        }
    };
    let m = |k: isize| at(&marks.names, k);
    let (m0, mp, mn) = ([m(ii)], [m(ii - 1)], [m(ii + 1)]);
    out.push(fnv(&[b"name", &m0[..]]));
    out.push(fnv(&[b"name-1 name", &mp[..], &m0[..]]));
    out.push(fnv(&[b"name name+1", &m0[..], &mn[..]]));
    out.push(fnv(&[b"name l1", &m0[..], p1.as_bytes()]));
    // place names by class (country, province, city by size, …)
    let pl = |k: isize| at(&marks.places, k);
    let (pl0, plp, pln) = ([pl(ii)], [pl(ii - 1)], [pl(ii + 1)]);
    if pl0[0] > 0 || plp[0] > 0 || pln[0] > 0 {
        out.push(fnv(&[b"place", &pl0[..], &cap[..]]));
        out.push(fnv(&[b"place-1 place", &plp[..], &pl0[..]]));
        out.push(fnv(&[b"place place+1", &pl0[..], &pln[..]]));
        out.push(fnv(&[b"place l1", &pl0[..], p1.as_bytes()]));
        out.push(fnv(&[b"place name", &pl0[..], &m0[..]]));
        out.push(fnv(&[b"place seen", &pl0[..], &sn[..]]));
    }
    // a general dictionary: ordinary word, name, both or unknown
    let dict = [gaz.dictionary_flags(&lw), cap[0], first[0]];
    out.push(fnv(&[b"dict", &dict[..]]));
    out.push(fnv(&[b"dict t", &dict[..], tag(ii).as_bytes()]));
    // names joined by "of" or "for" ("Bank of Scotland", "Council for
    // Research"): the kind of head word before the joint, seen from the
    // joint itself and from the word after it
    let joint = |w: &str| matches!(w, "of" | "for");
    if joint(&lw) && capitalised(get(ii - 1)) {
        let j = [head_kind(&lp), u8::from(capitalised(get(ii + 1)))];
        out.push(fnv(&[b"joint", &j[..], p1.as_bytes()]));
    }
    if joint(&lp) && capitalised(get(ii - 2)) {
        let j = [head_kind(&get(ii - 2).to_lowercase()), cap[0]];
        out.push(fnv(&[b"after joint", &j[..], p1.as_bytes()]));
    }
    // runs of capitalised words ("Islamic State Khorasan Province"): where
    // this word stands in its run and how long the run is
    let capital = |k: usize| {
        words
            .get(k)
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
    };
    if capital(i) {
        let mut a = i;
        while a > 0 && capital(a - 1) {
            a -= 1;
        }
        let mut b = i + 1;
        while capital(b) {
            b += 1;
        }
        let pos = [(i - a).min(3) as u8, (b - a).min(5) as u8, u8::from(a == 0)];
        out.push(fnv(&[b"caprun", &pos[..]]));
        let first_of_run = words.get(a).map_or(String::new(), |w| w.to_lowercase());
        let last_of_run = words.get(b - 1).map_or(String::new(), |w| w.to_lowercase());
        out.push(fnv(&[b"run-last", last_of_run.as_bytes()]));
        // the head word of a name often says what it names
        let heads = [head_kind(&last_of_run), head_kind(&lw)];
        out.push(fnv(&[b"run-head-kind", &heads[..]]));
        out.push(fnv(&[b"run-first", first_of_run.as_bytes()]));
    }
}

/// Precision, recall and F1 from true positives, predicted and gold counts.
fn prf((tp, np, ng): (usize, usize, usize)) -> (f64, f64, f64) {
    let p = tp as f64 / np.max(1) as f64;
    let r = tp as f64 / ng.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Whether label `next` may follow label `prev` (no I-X after anything but B-X/I-X).
fn allowed(prev: usize, next: usize) -> bool {
    let (Some(p), Some(n)) = (LABELS.get(prev), LABELS.get(next)) else {
        return false;
    };
    match n.strip_prefix("I-") {
        Some(kind) => p.ends_with(kind) && p != &"O",
        None => true,
    }
}

/// Which words appear in names of known actors: a word-level gazetteer built
/// from pulse's actor dictionaries (lines `codes<TAB>phrase|phrase…`). A word
/// is marked as part of a country or place name when its entry's code is a
/// bare three-letter country code, as a person's when its codes are dated (office
/// holders; the first and last words of such a name are also marked as given
/// and family names), else as part of another actor's name.
#[derive(Debug, Default, Clone)]
pub struct Gazetteer {
    words: std::collections::HashMap<String, u8>,
    /// Whole names by first word: (words, flag), longest first.
    phrases: Phrases,
    /// Place names from a geographical gazetteer by first word: (words,
    /// class), longest first; see [`Gazetteer::add_places`].
    places: Phrases,
    /// The place names as given, for the model file.
    place_names: Vec<(String, u8)>,
    /// Words of a general dictionary by lower-cased form: [`DICT_LOWER`]
    /// and [`DICT_CAPITAL`] flags; see [`Gazetteer::add_dictionary`].
    dictionary: std::collections::BTreeMap<String, u8>,
}

/// Dictionary flag: the word is listed in lower case (an ordinary word).
const DICT_LOWER: u8 = 1;
/// Dictionary flag: the word is listed capitalised (a name).
const DICT_CAPITAL: u8 = 2;

/// Whole names by their first (lower-case) word: (words, class), longest first.
type Phrases = std::collections::HashMap<String, Vec<(Vec<String>, u8)>>;

/// The words of a lower-case name: split at white space, hyphens apart
/// (as UD tokenises "Saint-Gaudens").
fn name_words(name: &str) -> Vec<String> {
    name.split_whitespace()
        .flat_map(|w| {
            let mut parts = Vec::new();
            for (k, p) in w.split('-').enumerate() {
                if k > 0 {
                    parts.push("-".to_string());
                }
                if !p.is_empty() {
                    parts.push(p.to_string());
                }
            }
            parts
        })
        .collect()
}

/// Sort each list of names longest first and drop repeats.
fn sort_phrases(phrases: &mut Phrases) {
    for list in phrases.values_mut() {
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        list.dedup();
    }
}

/// For each word, the name of `phrases` it is part of: 0 none, else
/// `class * 2 + 1` at the first word of the name and `class * 2 + 2` inside.
/// Names are matched longest first, on capitalised text only.
fn mark_phrases(phrases: &Phrases, words: &[&str]) -> Vec<u8> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut out = vec![0u8; words.len()];
    let mut i = 0;
    while i < words.len() {
        let capital = words
            .get(i)
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
        let found = lower.get(i).and_then(|w| phrases.get(w)).and_then(|list| {
            list.iter().find(|(ws, _)| {
                ws.iter()
                    .enumerate()
                    .all(|(k, w)| lower.get(i + k).is_some_and(|x| x == w))
            })
        });
        match found {
            Some((ws, class)) if capital => {
                for k in 0..ws.len() {
                    if let Some(o) = out.get_mut(i + k) {
                        *o = class
                            .saturating_mul(2)
                            .saturating_add(if k == 0 { 1 } else { 2 });
                    }
                }
                i += ws.len().max(1);
            }
            _ => i += 1,
        }
    }
    out
}

/// The gazetteer marks of a sentence's words (see [`mark_phrases`]): actor
/// names and place names.
struct Marks {
    names: Vec<u8>,
    places: Vec<u8>,
}

/// Gazetteer flag: part of a country or place name.
const GAZ_PLACE: u8 = 1;
/// Gazetteer flag: part of another actor's name (organisation, group).
const GAZ_ACTOR: u8 = 2;
/// Gazetteer flag: part of a person's name (an entry with dated codes).
const GAZ_PERSON: u8 = 4;
/// Gazetteer word flag: first word of a person's name of two or more words.
const GAZ_GIVEN: u8 = 8;
/// Gazetteer word flag: last word of a person's name of two or more words.
const GAZ_FAMILY: u8 = 16;

impl Gazetteer {
    /// Build from the texts of actor dictionary files.
    pub fn from_actor_files(files: &[&str]) -> Gazetteer {
        let mut g = Gazetteer::default();
        for text in files {
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                let Some((codes, phrases)) = line.split_once('\t') else {
                    continue;
                };
                let first = codes.split([',', '@']).next().unwrap_or("");
                let place = first.len() == 3 && first.chars().all(|c| c.is_ascii_uppercase());
                // entries with dated codes are office holders: people
                let flag = if codes.contains('@') {
                    GAZ_PERSON
                } else if place {
                    GAZ_PLACE
                } else {
                    GAZ_ACTOR
                };
                for phrase in phrases.split('|') {
                    let ws: Vec<String> = phrase
                        .trim_end_matches('_')
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect();
                    for (k, w) in ws.iter().enumerate() {
                        if w.chars().count() >= 3 && w.chars().all(char::is_alphabetic) {
                            let mut f = flag;
                            if flag == GAZ_PERSON && ws.len() >= 2 {
                                if k == 0 {
                                    f |= GAZ_GIVEN;
                                } else if k + 1 == ws.len() {
                                    f |= GAZ_FAMILY;
                                }
                            }
                            *g.words.entry(w.clone()).or_default() |= f;
                        }
                    }
                    if let Some(first) = ws.first() {
                        g.phrases
                            .entry(first.clone())
                            .or_default()
                            .push((ws.clone(), flag));
                    }
                }
            }
        }
        sort_phrases(&mut g.phrases);
        g
    }

    /// For each word, the actor name it is part of: 0 none, else
    /// `flag * 2 + 1` at the first word of the name and `flag * 2 + 2` inside.
    /// Names are matched longest first, on capitalised text only.
    pub fn mark(&self, words: &[&str]) -> Vec<u8> {
        mark_phrases(&self.phrases, words)
    }

    /// Add place names (any case) with a class each, 1 to 127, that the
    /// caller chooses (say, country, province, city by size); a name given
    /// twice keeps its lowest class. The tagger sees the class of the
    /// longest place name each word is part of.
    pub fn add_places(&mut self, names: impl IntoIterator<Item = (String, u8)>) {
        let mut best: std::collections::BTreeMap<String, u8> = self.place_names.drain(..).collect();
        for (name, class) in names {
            let name = name.to_lowercase();
            let class = class.clamp(1, 127);
            best.entry(name)
                .and_modify(|c| *c = (*c).min(class))
                .or_insert(class);
        }
        self.places.clear();
        for (name, class) in &best {
            let ws = name_words(name);
            if let Some(first) = ws.first() {
                self.places
                    .entry(first.clone())
                    .or_default()
                    .push((ws.clone(), *class));
            }
        }
        sort_phrases(&mut self.places);
        self.place_names = best.into_iter().collect();
    }

    /// Add the words of a general dictionary (one word a line, names
    /// capitalised, as in a spelling list): the tagger sees whether a word is
    /// listed in lower case, capitalised, both or not at all, which tells
    /// ordinary words at the start of a sentence from names it never saw in
    /// training. Entries with an apostrophe (possessives) are skipped.
    pub fn add_dictionary<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        for w in words.into_iter().map(str::trim) {
            if w.is_empty() || w.contains('\'') {
                continue;
            }
            let flag = if capitalised(w) {
                DICT_CAPITAL
            } else {
                DICT_LOWER
            };
            *self.dictionary.entry(w.to_lowercase()).or_default() |= flag;
        }
    }

    /// The dictionary flags of a (lower-case) word.
    fn dictionary_flags(&self, lower: &str) -> u8 {
        self.dictionary.get(lower).copied().unwrap_or(0)
    }

    /// The place names added with [`Gazetteer::add_places`], sorted.
    pub fn places(&self) -> &[(String, u8)] {
        &self.place_names
    }

    fn marks(&self, words: &[&str]) -> Marks {
        Marks {
            names: self.mark(words),
            places: mark_phrases(&self.places, words),
        }
    }

    /// The flags of a (lower-case) word.
    fn flags(&self, lower: &str) -> u8 {
        self.words.get(lower).copied().unwrap_or(0)
    }
}

/// How a word is written in the training text: buckets (0, 1–2, 3–9, 10 or
/// more) of its lower-case and its capitalised non-initial occurrences.
type Seen = [u8; 2];

/// The bucket of a count, for [`Seen`].
fn bucket(n: u32) -> u8 {
    match n {
        0 => 0,
        1..=2 => 1,
        3..=9 => 2,
        _ => 3,
    }
}

/// Whether a word starts with a capital letter.
fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Whether a word is written in lower case (and has a letter).
fn lower_case(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_uppercase)
}

/// Word counts of the training text, by lower-cased form: (occurrences in
/// lower case, capitalised occurrences not at the start of a sentence).
#[derive(Debug, Default, Clone)]
struct Vocab {
    counts: std::collections::HashMap<String, (u32, u32)>,
}

impl Vocab {
    /// The counts of one sentence's words.
    fn add(&mut self, words: &[impl AsRef<str>]) {
        for (i, w) in words.iter().enumerate() {
            let w = w.as_ref();
            let (lower, capital) = (lower_case(w), i > 0 && capitalised(w));
            if lower || capital {
                let e = self.counts.entry(w.to_lowercase()).or_default();
                e.0 += u32::from(lower);
                e.1 += u32::from(capital);
            }
        }
    }

    /// Count the words of the training sentences.
    fn count<'a>(sentences: impl Iterator<Item = &'a [String]>) -> Vocab {
        let mut v = Vocab::default();
        for s in sentences {
            v.add(s);
        }
        v
    }

    /// [`Seen`] for each word of a sentence, leaving out the counts of
    /// `own` (the sentence itself, when it is a training sentence).
    fn seen(&self, words: &[&str], own: Option<&[&str]>) -> Vec<Seen> {
        let mut mine = Vocab::default();
        if let Some(own) = own {
            mine.add(own);
        }
        words
            .iter()
            .map(|w| {
                let key = w.to_lowercase();
                let (l, c) = self.counts.get(&key).copied().unwrap_or_default();
                let (ml, mc) = mine.counts.get(&key).copied().unwrap_or_default();
                [bucket(l.saturating_sub(ml)), bucket(c.saturating_sub(mc))]
            })
            .collect()
    }
}

/// A trained entity tagger.
#[derive(Debug, Default, Clone)]
pub struct Ner {
    weights: Weights,
    gazetteer: Gazetteer,
    vocab: Vocab,
}

impl Ner {
    /// Number of weighted features kept.
    pub fn features(&self) -> usize {
        self.weights.len()
    }

    fn decode(
        gaz: &Gazetteer,
        words: &[&str],
        tags: &[&str],
        seen: &[Seen],
        mut scorer: impl FnMut(&[u64], &mut [f32]),
    ) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(words.len());
        let mut feats = Vec::with_capacity(40);
        let mut scores = [0.0f32; LABELS.len()];
        let marks = gaz.marks(words);
        for i in 0..words.len() {
            let p1 = i
                .checked_sub(1)
                .and_then(|j| out.get(j))
                .map_or("<s>", |l| LABELS[*l]);
            let p2 = i
                .checked_sub(2)
                .and_then(|j| out.get(j))
                .map_or("<s>", |l| LABELS[*l]);
            features(gaz, &marks, words, tags, i, p1, p2, seen, &mut feats);
            scorer(&feats, &mut scores);
            let prev = i
                .checked_sub(1)
                .and_then(|j| out.get(j))
                .copied()
                .unwrap_or(0);
            for (c, s) in scores.iter_mut().enumerate() {
                if !allowed(prev, c) {
                    *s = f32::MIN;
                }
            }
            out.push(best(&scores) as usize);
        }
        out
    }

    /// BIO labels for a sentence of words with their POS tags (UPOS).
    pub fn tag(&self, words: &[&str], tags: &[&str]) -> Vec<&'static str> {
        let seen = self.vocab.seen(words, None);
        Self::decode(&self.gazetteer, words, tags, &seen, |f, s| {
            score(&self.weights, f, s)
        })
        .into_iter()
        .map(|l| LABELS.get(l).copied().unwrap_or("O"))
        .collect()
    }

    /// Train [`ENSEMBLE`] taggers on sentences with POS tags, each on its own
    /// shuffles, and keep their mean weights; reports `progress(member, epoch,
    /// dev_f1)` of each member.
    pub fn train(
        gazetteer: Gazetteer,
        train: &[(NerSentence, Vec<String>)],
        dev: &[(NerSentence, Vec<String>)],
        epochs: usize,
        mut progress: impl FnMut(usize, usize, f64),
    ) -> Ner {
        let mut ner = Ner {
            weights: Weights::default(),
            gazetteer,
            vocab: Vocab::count(train.iter().map(|(s, _)| s.words.as_slice())),
        };
        // sum of the members' weights, in a fixed order
        let mut sum: std::collections::BTreeMap<(u64, u16), f64> = Default::default();
        for member in 0..ENSEMBLE {
            let mut trainer = Trainer::default();
            let mut order: Vec<usize> = (0..train.len()).collect();
            let mut seed: u64 = 0x0e17_17e5_5eed + member as u64;
            for epoch in 0..epochs {
                seed = shuffle(&mut order, seed);
                for &si in &order {
                    let Some((s, tags)) = train.get(si) else {
                        continue;
                    };
                    let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
                    let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
                    let gold: Vec<usize> = s
                        .labels
                        .iter()
                        .map(|l| LABELS.iter().position(|x| x == l).unwrap_or(0))
                        .collect();
                    // greedy with the current weights, updating word by word
                    let mut pred: Vec<usize> = Vec::with_capacity(words.len());
                    let mut feats = Vec::with_capacity(40);
                    let mut scores = [0.0f32; LABELS.len()];
                    let marks = ner.gazetteer.marks(&words);
                    // counts from the other training sentences, as new text sees them
                    let seen = ner.vocab.seen(&words, Some(&words));
                    for i in 0..words.len() {
                        let p1 = i
                            .checked_sub(1)
                            .and_then(|j| pred.get(j))
                            .map_or("<s>", |l| LABELS[*l]);
                        let p2 = i
                            .checked_sub(2)
                            .and_then(|j| pred.get(j))
                            .map_or("<s>", |l| LABELS[*l]);
                        features(
                            &ner.gazetteer,
                            &marks,
                            &words,
                            &tag_refs,
                            i,
                            p1,
                            p2,
                            &seen,
                            &mut feats,
                        );
                        trainer.score(&feats, &mut scores);
                        let guess = best(&scores) as usize;
                        let g = gold.get(i).copied().unwrap_or(0);
                        trainer.update(&feats, g as u16, guess as u16);
                        pred.push(guess);
                    }
                }
                ner.weights = trainer.averaged(PRUNE_BELOW);
                progress(member + 1, epoch + 1, ner.evaluate(dev).2);
            }
            for (f, ws) in ner.weights.iter() {
                for (c, w) in ws {
                    *sum.entry((*f, *c)).or_default() += f64::from(*w);
                }
            }
        }
        let mut avg = Weights::default();
        for ((f, c), w) in sum {
            let w = (w / ENSEMBLE as f64) as f32;
            if w.abs() >= PRUNE_BELOW {
                avg.entry(f).or_default().push((c, w));
            }
        }
        ner.weights = avg;
        ner
    }

    /// True positives, predicted and gold entities, of one type or of all.
    fn counts(
        &self,
        sentences: &[(NerSentence, Vec<String>)],
        kind: Option<&str>,
    ) -> (usize, usize, usize) {
        let keep = |e: &Entity| kind.is_none_or(|k| e.kind == k);
        let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
        for (s, tags) in sentences {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
            let pred: Vec<Entity> = entities(&self.tag(&words, &tag_refs))
                .into_iter()
                .filter(keep)
                .collect();
            let gold: Vec<Entity> = entities(&s.labels).into_iter().filter(keep).collect();
            np += pred.len();
            ng += gold.len();
            tp += pred.iter().filter(|e| gold.contains(e)).count();
        }
        (tp, np, ng)
    }

    /// Entity-level exact-match F1 of each type (PER, ORG, LOC).
    pub fn f1_by_type(&self, sentences: &[(NerSentence, Vec<String>)]) -> Vec<(String, f64)> {
        ["PER", "ORG", "LOC"]
            .iter()
            .map(|kind| (kind.to_string(), prf(self.counts(sentences, Some(kind))).2))
            .collect()
    }

    /// Entity-level exact-match precision, recall and F1.
    pub fn evaluate(&self, sentences: &[(NerSentence, Vec<String>)]) -> (f64, f64, f64) {
        prf(self.counts(sentences, None))
    }

    /// The model as bytes (magic, weights sorted by feature, the word
    /// counts, the place names of the gazetteer).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        let mut feats: Vec<(&u64, &Vec<(u16, f32)>)> = self.weights.iter().collect();
        feats.sort_by_key(|(f, _)| **f);
        out.extend_from_slice(&(feats.len() as u32).to_le_bytes());
        for (f, ws) in feats {
            out.extend_from_slice(&f.to_le_bytes());
            let mut ws = ws.clone();
            ws.sort_by_key(|(c, _)| *c);
            out.push(ws.len() as u8);
            for (c, w) in &ws {
                out.push(*c as u8);
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        let mut words: Vec<(&String, &(u32, u32))> = self.vocab.counts.iter().collect();
        words.sort();
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for (w, (lower, capital)) in words {
            put_str(&mut out, w);
            out.extend_from_slice(&lower.to_le_bytes());
            out.extend_from_slice(&capital.to_le_bytes());
        }
        let places = self.gazetteer.places();
        out.extend_from_slice(&(places.len() as u32).to_le_bytes());
        for (name, class) in places {
            put_str(&mut out, name);
            out.push(*class);
        }
        let dictionary = &self.gazetteer.dictionary;
        out.extend_from_slice(&(dictionary.len() as u32).to_le_bytes());
        for (word, flags) in dictionary {
            put_str(&mut out, word);
            out.push(*flags);
        }
        out
    }

    /// Load a model written by [`Ner::to_bytes`], with the gazetteer it was
    /// trained with (built from the same actor dictionaries; the place names
    /// come from the model file).
    pub fn from_bytes(bytes: &[u8], gazetteer: Gazetteer) -> Result<Ner, NerModelError> {
        let mut ner = Ner {
            weights: Weights::default(),
            gazetteer,
            vocab: Vocab::default(),
        };
        ner.read_weights(bytes).map_err(NerModelError)?;
        Ok(ner)
    }

    fn read_weights(&mut self, bytes: &[u8]) -> Result<(), String> {
        let mut r = ModelReader::new(bytes, MAGIC)?;
        for _ in 0..r.u32()? {
            let f = r.u64()?;
            let k = r.u8()?;
            let mut ws = Vec::with_capacity(k as usize);
            for _ in 0..k {
                ws.push((u16::from(r.u8()?), r.f32()?));
            }
            self.weights.insert(f, ws);
        }
        for _ in 0..r.u32()? {
            let w = r.string()?;
            let lower = r.u32()?;
            let capital = r.u32()?;
            self.vocab.counts.insert(w, (lower, capital));
        }
        let mut places = Vec::new();
        for _ in 0..r.u32()? {
            let name = r.string()?;
            places.push((name, r.u8()?));
        }
        self.gazetteer.add_places(places);
        for _ in 0..r.u32()? {
            let word = r.string()?;
            let flags = r.u8()?;
            self.gazetteer.dictionary.insert(word, flags);
        }
        r.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Vec<(NerSentence, Vec<String>)> {
        let mut text = String::new();
        for _ in 0..30 {
            text.push_str("1\tJohn\tB-PER\n2\tSmith\tI-PER\n3\tvisited\tO\n4\tKenya\tB-LOC\n5\tfor\tO\n6\tthe\tO\n7\tUnited\tB-ORG\n8\tNations\tI-ORG\n\n");
        }
        parse_iob2(&text)
            .into_iter()
            .map(|s| {
                let tags = vec!["X".to_string(); s.words.len()];
                (s, tags)
            })
            .collect()
    }

    #[test]
    fn learns_a_toy_set_and_round_trips() {
        let data = toy();
        let ner = Ner::train(Gazetteer::default(), &data, &data, 3, |_, _, _| {});
        assert!(ner.evaluate(&data).2 > 0.99);
        let bytes = ner.to_bytes();
        let back = Ner::from_bytes(&bytes, Gazetteer::default()).unwrap_or_default();
        assert_eq!(back.to_bytes(), bytes);
        for cut in [0, 9, bytes.len() / 2, bytes.len() - 1] {
            assert!(Ner::from_bytes(&bytes[..cut], Gazetteer::default()).is_err());
        }
    }

    #[test]
    fn gazetteer_marks_places_and_other_actors() {
        let g =
            Gazetteer::from_actor_files(&["# x\nKEN\tkenya_|nairobi_\nIGOUNO\tunited nations_\n"]);
        assert_eq!(g.flags("kenya"), GAZ_PLACE);
        assert_eq!(g.flags("nations"), GAZ_ACTOR);
        assert_eq!(g.flags("dog"), 0);
        let p = Gazetteer::from_actor_files(&["USAGOV@20010120-20090120\tgeorge walker bush_\n"]);
        assert_eq!(p.flags("george"), GAZ_PERSON | GAZ_GIVEN);
        assert_eq!(p.flags("walker"), GAZ_PERSON);
        assert_eq!(p.flags("bush"), GAZ_PERSON | GAZ_FAMILY);
        assert_eq!(
            g.mark(&["In", "United", "Nations", "talks"]),
            vec![0, 5, 6, 0]
        );
        assert_eq!(g.mark(&["the", "united", "nations"]), vec![0, 0, 0]);
    }

    #[test]
    fn place_names_are_marked_by_class_and_kept_in_the_model() {
        let mut g = Gazetteer::default();
        g.add_places([
            ("Saint-Gaudens".to_string(), 6),
            ("Paris".to_string(), 4),
            ("paris".to_string(), 9),
        ]);
        assert_eq!(
            g.places(),
            &[("paris".to_string(), 4), ("saint-gaudens".to_string(), 6)]
        );
        let marks = g.marks(&["In", "Saint", "-", "Gaudens", "and", "Paris", "paris"]);
        assert_eq!(marks.places, vec![0, 13, 14, 14, 0, 9, 0]);
        let ner = Ner::train(g, &toy(), &[], 1, |_, _, _| {});
        let back = Ner::from_bytes(&ner.to_bytes(), Gazetteer::default()).unwrap_or_default();
        assert_eq!(back.gazetteer.places(), ner.gazetteer.places());
    }

    #[test]
    fn dictionary_tells_words_from_names_and_is_kept_in_the_model() {
        let mut g = Gazetteer::default();
        g.add_dictionary(["march", "March", "Trudeau", "Trudeau's", "sulphur", ""]);
        assert_eq!(g.dictionary_flags("march"), DICT_LOWER | DICT_CAPITAL);
        assert_eq!(g.dictionary_flags("trudeau"), DICT_CAPITAL);
        assert_eq!(g.dictionary_flags("sulphur"), DICT_LOWER);
        assert_eq!(g.dictionary_flags("trudeau's"), 0);
        let ner = Ner::train(g, &toy(), &[], 1, |_, _, _| {});
        let back = Ner::from_bytes(&ner.to_bytes(), Gazetteer::default()).unwrap_or_default();
        assert_eq!(back.gazetteer.dictionary, ner.gazetteer.dictionary);
    }

    #[test]
    fn vocabulary_counts_leave_the_sentence_itself_out() {
        let a: Vec<String> = ["The", "cat", "saw", "Smith"].map(String::from).to_vec();
        let b: Vec<String> = ["A", "cat", "met", "Smith"].map(String::from).to_vec();
        let v = Vocab::count([a.as_slice(), b.as_slice()].into_iter());
        // "the" only sentence-initial: no counts; "cat" twice in lower case
        assert_eq!(
            v.seen(&["The", "cat", "Smith"], None),
            vec![[0, 0], [1, 0], [0, 1]]
        );
        let own = ["The", "cat", "saw", "Smith"];
        assert_eq!(
            v.seen(&own, Some(&own)),
            vec![[0, 0], [1, 0], [0, 0], [0, 1]]
        );
    }

    #[test]
    fn entities_from_bio() {
        let e = entities(&["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG"]);
        assert_eq!(e.len(), 4);
        assert_eq!(
            e[0],
            Entity {
                start: 0,
                end: 2,
                kind: "PER".into()
            }
        );
        assert_eq!(e[1].kind, "LOC");
    }

    #[test]
    fn decoding_never_starts_with_inside() {
        let ner = Ner::default();
        let labels = ner.tag(&["a", "b", "c"], &["X", "X", "X"]);
        assert!(labels.iter().all(|l| !l.starts_with("I-")));
        assert!(Ner::default().tag(&[], &[]).is_empty());
    }
}
