//! Loading the compact dictionary files into look-up structures: actors with
//! date-bounded codes, agents, verbs with their patterns, discards, the CAMEO
//! codebook and the CAMEO→PLOVER crosswalk.

use crate::CodeError;
use std::collections::HashMap;

/// The files pulse ships, embedded in the binary so it runs from anywhere.
pub mod embedded {
    /// Verb forms and patterns.
    pub const VERBS: &str = include_str!("../../../data/cameo/verbs.txt");
    /// Phoenix actors.
    pub const ACTORS: &str = include_str!("../../../data/cameo/actors.txt");
    /// Verbs pulse's own dictionary adds.
    pub const VERBS_PULSE: &str = include_str!("../../../data/verbs-pulse.txt");
    /// Actors pulse's own dictionary adds or updates.
    pub const ACTORS_PULSE: &str = include_str!("../../../data/actors-pulse.txt");
    /// Agents (roles and sectors).
    pub const AGENTS: &str = include_str!("../../../data/cameo/agents.txt");
    /// Agents pulse's own dictionary adds.
    pub const AGENTS_PULSE: &str = include_str!("../../../data/agents-pulse.txt");
    /// Discard phrases.
    pub const DISCARDS: &str = include_str!("../../../data/cameo/discards.txt");
    /// CAMEO codebook.
    pub const CODEBOOK: &str = include_str!("../../../data/cameo/codebook.tsv");
    /// pulse's additions to the crosswalk (CAMEO 02 appeals → REQUEST).
    pub const PLOVER_PULSE: &str = include_str!("../../../data/plover-pulse.tsv");
    /// CAMEO→PLOVER crosswalk (CC BY-SA 4.0).
    pub const CROSSWALK: &str = include_str!("../../../data/ccbysa/cameo2plover.tsv");
}

/// A phrase of lower-case words; the last word may match with an inflectional
/// suffix unless the phrase is marked exact.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// The words of the phrase.
    pub words: Vec<String>,
    /// Whether the last word must match exactly.
    pub exact: bool,
    /// What the phrase stands for (an actor, agent or verb index).
    pub value: u32,
}

/// Suffixes a non-exact last word may carry: plurals, possessives, demonyms.
const STEM_SUFFIXES: [&str; 14] = [
    "s", "es", "'s", "n", "ns", "an", "ans", "i", "is", "ese", "ish", "ian", "ians", "d",
];

impl Phrase {
    /// Parse `"united states_"` into a phrase.
    fn parse(text: &str, value: u32) -> Option<Phrase> {
        let text = text.trim();
        let exact = text.ends_with('_');
        let words: Vec<String> = text
            .trim_end_matches('_')
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if words.is_empty() {
            return None;
        }
        Some(Phrase {
            words,
            exact,
            value,
        })
    }

    /// How many tokens of `tokens` starting at `at` this phrase covers, if it matches.
    pub fn match_at(&self, tokens: &[&str], at: usize) -> Option<usize> {
        let n = self.words.len();
        let last = n.checked_sub(1)?;
        for (i, w) in self.words.iter().enumerate() {
            let t = tokens.get(at + i)?;
            if t == w {
                continue;
            }
            // a plural of a people's name ("Afghans", "Pakistanis") even where
            // the dictionary asks for an exact match
            if i == last
                && self.exact
                && (w.ends_with('n') || w.ends_with('i'))
                && t.strip_prefix(w.as_str()) == Some("s")
            {
                continue;
            }
            if i == last && !self.exact && w.len() >= 3 {
                if let Some(rest) = t.strip_prefix(w.as_str()) {
                    if STEM_SUFFIXES.contains(&rest) {
                        continue;
                    }
                }
            }
            return None;
        }
        Some(n)
    }
}

/// A table of phrases indexed by their first word, for longest-match look-up.
#[derive(Debug, Default, Clone)]
pub struct PhraseTable {
    /// Keyed with a fast non-cryptographic hash: the keys are dictionary
    /// words, looked up once or more per token of every sentence.
    by_first: rustc_hash::FxHashMap<String, Vec<Phrase>>,
    /// Phrases whose first word is itself a stem (matched by prefix).
    len: usize,
}

impl PhraseTable {
    /// Add a phrase; a phrase with the same words replaces the earlier one,
    /// so a later dictionary file can redefine an entry.
    pub fn insert(&mut self, phrase: Phrase) {
        let key = phrase.words[0].clone();
        let list = self.by_first.entry(key).or_default();
        if let Some(old) = list.iter_mut().find(|p| p.words == phrase.words) {
            *old = phrase;
            return;
        }
        list.push(phrase);
        self.len += 1;
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Sort each bucket longest first so the first match is the longest.
    fn finish(&mut self) {
        for list in self.by_first.values_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
    }

    /// The longest phrase matching at `at`: (value, tokens covered).
    pub fn longest_at(&self, tokens: &[&str], at: usize) -> Option<(u32, usize)> {
        let first = tokens.get(at)?;
        let mut best: Option<(u32, usize)> = None;
        let mut consider = |list: &Vec<Phrase>| {
            for p in list {
                if let Some(n) = p.match_at(tokens, at) {
                    if best.is_none_or(|(_, m)| n > m) {
                        best = Some((p.value, n));
                    }
                }
            }
        };
        if let Some(list) = self.by_first.get(*first) {
            consider(list);
        }
        // a one-word stem ("afghan" for "afghans") lives under its bare form
        for suffix in STEM_SUFFIXES {
            if let Some(stem) = first.strip_suffix(suffix) {
                if stem.len() >= 3 {
                    if let Some(list) = self.by_first.get(stem) {
                        consider(list);
                    }
                }
            }
        }
        best
    }
}

/// A code valid over a span of dates (YYYYMMDD, inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCode {
    /// The CAMEO actor code.
    pub code: String,
    /// First valid day, if bounded.
    pub from: Option<u32>,
    /// Last valid day, if bounded.
    pub to: Option<u32>,
}

/// An actor entry: its codes and the phrase it was listed under.
#[derive(Debug, Clone)]
pub struct ActorEntry {
    /// Codes, in dictionary order.
    pub codes: Vec<DatedCode>,
}

impl ActorEntry {
    /// The code valid on `date` (YYYYMMDD): the first dated code whose range
    /// holds the date, else the first undated code; with no date (or none
    /// matching and no undated code), the most recent code.
    pub fn code_on(&self, date: Option<u32>) -> &str {
        if let Some(d) = date {
            for c in &self.codes {
                if (c.from.is_some() || c.to.is_some())
                    && c.from.is_none_or(|f| d >= f)
                    && c.to.is_none_or(|t| d <= t)
                {
                    return &c.code;
                }
            }
        }
        if let Some(c) = self
            .codes
            .iter()
            .find(|c| c.from.is_none() && c.to.is_none())
        {
            return &c.code;
        }
        self.codes
            .iter()
            .max_by_key(|c| (c.to.unwrap_or(u32::MAX), c.from.unwrap_or(0)))
            .map(|c| c.code.as_str())
            .unwrap_or("")
    }
}

/// One code of a verb or pattern: the event from source to target and the
/// reciprocal one from target to source (`[042:043]`), either may be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbCode {
    /// Event coded from the source to the target.
    pub forward: Option<String>,
    /// Event coded from the target back to the source.
    pub reverse: Option<String>,
}

impl VerbCode {
    /// Parse `042`, `042:043`, `:173`, `---` or `-`; `None` for "no code given".
    fn parse(s: &str) -> Option<VerbCode> {
        let s = s.trim();
        if s.is_empty() || s == "-" {
            return None;
        }
        let one = |p: &str| -> Option<String> {
            let p = p.trim();
            (!p.is_empty() && p.chars().all(|c| c.is_ascii_digit())).then(|| p.to_string())
        };
        Some(match s.split_once(':') {
            Some((a, b)) => VerbCode {
                forward: one(a),
                reverse: one(b),
            },
            None => VerbCode {
                forward: one(s),
                reverse: None,
            },
        })
    }

    /// Whether this says "no event".
    pub fn is_null(&self) -> bool {
        self.forward.is_none() && self.reverse.is_none()
    }
}

/// One element of a verb pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternItem {
    /// A word; `joined` when it must follow the previous item directly.
    Word {
        /// The lower-case word.
        word: String,
        /// Whether no gap is allowed before it.
        joined: bool,
    },
    /// Any word of a synonym set.
    Set(String),
    /// The source actor's position.
    Source,
    /// The target actor's position.
    Target,
}

/// A verb pattern: what must come before and after the verb.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The code the pattern assigns.
    pub code: VerbCode,
    /// Items before the verb, in text order.
    pub before: Vec<PatternItem>,
    /// Items after the verb, in text order.
    pub after: Vec<PatternItem>,
    /// How many words the pattern needs (its specificity).
    pub weight: usize,
}

/// A verb block: a group of synonymous verbs sharing patterns.
#[derive(Debug, Clone)]
pub struct VerbBlock {
    /// The block's name (its first verb).
    pub name: String,
    /// The default code of the block.
    pub code: Option<VerbCode>,
    /// The block's patterns, in dictionary order.
    pub patterns: Vec<Pattern>,
}

/// A verb form: which block it belongs to and its own code, if any.
#[derive(Debug, Clone)]
pub struct VerbForm {
    /// Index into [`Dictionaries::blocks`].
    pub block: usize,
    /// The form's own code, overriding the block's.
    pub code: Option<VerbCode>,
    /// `b` base, `s` third person, `g` gerund, `d` past or participle.
    pub kind: char,
}

/// Codebook facts about one CAMEO code.
#[derive(Debug, Clone)]
pub struct CodeInfo {
    /// Root code (two digits).
    pub root: String,
    /// Name of the code.
    pub name: String,
    /// Goldstein score.
    pub goldstein: f32,
    /// QuadClass 1–4.
    pub quad_class: u8,
}

/// The QuadClass of a CAMEO root: 01–05 verbal cooperation (1), 06–08
/// material cooperation (2), 09–13 verbal conflict (3), 14–20 material
/// conflict (4); 0 for anything else.
pub fn quad_class(root: &str) -> u8 {
    match root.parse::<u8>() {
        Ok(1..=5) => 1,
        Ok(6..=8) => 2,
        Ok(9..=13) => 3,
        Ok(14..=20) => 4,
        _ => 0,
    }
}

/// CAMEO role, sector, religion and ethnic codes that may stand alone in the
/// dictionaries but are never a country.
pub const ROLE_CODES: [&str; 34] = [
    "GOV", "MIL", "REB", "OPP", "COP", "JUD", "LEG", "CVL", "BUS", "CRM", "EDU", "HLH", "REF",
    "LAB", "AGR", "SPY", "UAF", "DEV", "ENV", "HRI", "INS", "RAD", "REL", "MED", "ELI", "MOS",
    "CHR", "JEW", "BUD", "HIN", "MUS", "PTY", "NGM", "SET",
];

/// Codes the dictionaries list beside the countries that name no state:
/// international and non-governmental organisations, militant groups,
/// companies, and a few dictionary oddities (MUS is CAMEO's Muslim code).
const NOT_STATES: [&str; 7] = ["IGO", "NGO", "IMG", "MNC", "WEU", "KNT", "MUS"];

/// Everything the coder looks up, loaded once and shared across threads.
#[derive(Debug, Default)]
pub struct Dictionaries {
    /// Actor phrases → index into `actors`.
    pub actor_phrases: PhraseTable,
    /// Actor entries.
    pub actors: Vec<ActorEntry>,
    /// Agent phrases → index into `agents`.
    pub agent_phrases: PhraseTable,
    /// Agent codes (`~GOV`, `IGO~`).
    pub agents: Vec<String>,
    /// Verb phrases → index into `forms`.
    pub verb_phrases: PhraseTable,
    /// Verb forms.
    pub forms: Vec<VerbForm>,
    /// Verb blocks.
    pub blocks: Vec<VerbBlock>,
    /// Synonym sets used in patterns (`&food` → members, each member its
    /// words: "swiss francs" is `["swiss", "francs"]`).
    pub synsets: HashMap<String, Vec<Vec<String>>>,
    /// Sentence-level discard phrases.
    pub sentence_discards: PhraseTable,
    /// Story-level discard phrases.
    pub story_discards: PhraseTable,
    /// CAMEO codebook.
    pub codebook: HashMap<String, CodeInfo>,
    /// CAMEO → PLOVER event type.
    pub plover: HashMap<String, String>,
    /// Three-letter codes that name a country or international actor class.
    pub countries: std::collections::HashSet<String>,
}

fn format_err(what: &str, line: usize, reason: impl Into<String>) -> CodeError {
    CodeError::Format {
        what: what.to_string(),
        line,
        reason: reason.into(),
    }
}

/// Content lines of a dictionary file with their 1-based line numbers.
fn content_lines(src: &str) -> impl Iterator<Item = (usize, &str)> {
    src.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

fn parse_dated(entry: &str) -> Option<DatedCode> {
    let (code, range) = match entry.split_once('@') {
        Some((c, r)) => (c, Some(r)),
        None => (entry, None),
    };
    let code = code.trim().to_string();
    if code.is_empty() {
        return None;
    }
    let (from, to) = match range {
        None => (None, None),
        Some(r) => {
            if let Some(d) = r.strip_prefix('>') {
                (Some(d.parse().ok()?), None)
            } else if let Some(d) = r.strip_prefix('<') {
                (None, Some(d.parse().ok()?))
            } else {
                let (a, b) = r.split_once('-')?;
                (Some(a.parse().ok()?), Some(b.parse().ok()?))
            }
        }
    };
    Some(DatedCode { code, from, to })
}

/// A pattern with `a/b` alternatives ("* (in bombing/explosion)") as the
/// patterns it stands for, one per choice of each slashed word, in order.
fn alternatives(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for (k, word) in text.split(' ').enumerate() {
        // brackets stay with the word's first and last choices
        let core = word.trim_matches(|c| matches!(c, '(' | ')' | '{' | '}'));
        let choices: Vec<&str> = if core.contains('/') && !core.is_empty() {
            core.split('/').filter(|c| !c.is_empty()).collect()
        } else {
            vec![core]
        };
        let lead = &word[..word.find(core).unwrap_or(0)];
        let trail = &word[word.find(core).map_or(word.len(), |i| i + core.len())..];
        let mut next = Vec::with_capacity(out.len() * choices.len());
        for prefix in &out {
            for c in &choices {
                let sep = if k == 0 { "" } else { " " };
                next.push(format!("{prefix}{sep}{lead}{c}{trail}"));
            }
        }
        out = next;
    }
    out
}

/// Parse a pattern string such as `$ * (to +) {military aid}` into items.
fn parse_pattern(code: VerbCode, text: &str) -> Option<Pattern> {
    let (before, after) = text.split_once('*')?;
    let items = |s: &str| -> Vec<PatternItem> {
        let mut out = Vec::new();
        let mut in_brace = false;
        for raw in s.split_whitespace() {
            let mut w = raw;
            let mut starts_brace = false;
            if let Some(x) = w.strip_prefix('{') {
                w = x;
                starts_brace = true;
            }
            let ends_brace = w.ends_with('}');
            let w = w.trim_matches(|c| c == '(' || c == ')' || c == '{' || c == '}');
            if w.is_empty() {
                in_brace = in_brace || starts_brace;
                if ends_brace {
                    in_brace = false;
                }
                continue;
            }
            let joined_first = in_brace && !starts_brace;
            match w {
                "$" => out.push(PatternItem::Source),
                "+" => out.push(PatternItem::Target),
                "^" | "%" => {}
                _ if w.starts_with('&') => out.push(PatternItem::Set(w.to_string())),
                _ => {
                    for (k, part) in w.split('_').filter(|p| !p.is_empty()).enumerate() {
                        out.push(PatternItem::Word {
                            word: part.to_string(),
                            joined: joined_first || k > 0,
                        });
                    }
                }
            }
            if starts_brace {
                in_brace = true;
            }
            if ends_brace {
                in_brace = false;
            }
        }
        out
    };
    let before = items(before);
    let after = items(after);
    let weight = before
        .iter()
        .chain(after.iter())
        .filter(|i| matches!(i, PatternItem::Word { .. } | PatternItem::Set(_)))
        .count();
    Some(Pattern {
        code,
        before,
        after,
        weight,
    })
}

impl Dictionaries {
    /// Whether a code is a bare state (`AFG`, `SRB`), not a role, an
    /// organisation class (`IGO`, `NGO`) or a group code.
    pub fn is_state(&self, code: &str) -> bool {
        code.len() == 3 && self.countries.contains(code) && !NOT_STATES.contains(&code)
    }

    /// The code the dictionaries give a name on its own, when the whole
    /// name is an actor or agent phrase ("Taliban" `AFGREB`, "Congress"
    /// `~LEG`, "Ukraine" `UKR`); the most recent code of a dated entry.
    pub fn code_of_name(&self, name: &str) -> Option<&str> {
        let lower: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        let words: Vec<&str> = lower.iter().map(String::as_str).collect();
        let whole = |hit: Option<(u32, usize)>| hit.filter(|&(_, n)| n == words.len());
        if let Some((idx, _)) = whole(self.actor_phrases.longest_at(&words, 0)) {
            return self.actors.get(idx as usize).map(|e| e.code_on(None));
        }
        whole(self.agent_phrases.longest_at(&words, 0))
            .and_then(|(idx, _)| self.agents.get(idx as usize))
            .map(String::as_str)
    }

    /// Load the dictionaries embedded in the binary.
    pub fn embedded() -> Result<Dictionaries, CodeError> {
        Dictionaries::embedded_with(&[], &[])
    }

    /// The embedded dictionaries with a user's actor and verb files added
    /// after them (an entry with the same words replaces the embedded one).
    /// Each file may be in PETRARCH's dictionary format (as the CAMEO and
    /// Phoenix sources are) or in pulse's compact format; see
    /// [`crate::build::user_actors`] and [`crate::build::user_verbs`].
    pub fn embedded_with(
        actor_files: &[(String, String)],
        verb_files: &[(String, String)],
    ) -> Result<Dictionaries, CodeError> {
        let extra_actors: Vec<String> = actor_files
            .iter()
            .map(|(name, text)| crate::build::user_actors(name, text))
            .collect();
        let extra_verbs: Vec<String> = verb_files
            .iter()
            .map(|(_, text)| crate::build::user_verbs(text))
            .collect();
        // pulse's own entries after Phoenix's (they redefine the older
        // ones), the user's after both
        let mut actors = vec![embedded::ACTORS, embedded::ACTORS_PULSE];
        actors.extend(extra_actors.iter().map(String::as_str));
        let mut verbs = vec![embedded::VERBS, embedded::VERBS_PULSE];
        verbs.extend(extra_verbs.iter().map(String::as_str));
        Dictionaries::from_sources(&Sources {
            verbs: &verbs,
            actors: &actors,
            agents: &[embedded::AGENTS, embedded::AGENTS_PULSE],
            discards: embedded::DISCARDS,
            codebook: embedded::CODEBOOK,
            crosswalk: &[embedded::CROSSWALK, embedded::PLOVER_PULSE],
        })
    }

    /// Load dictionaries from the texts of the compact files.
    pub fn from_sources(src: &Sources<'_>) -> Result<Dictionaries, CodeError> {
        let mut d = Dictionaries::default();
        d.load_codebook(src.codebook)?;
        for c in src.crosswalk {
            d.load_crosswalk(c);
        }
        for (i, actors) in src.actors.iter().enumerate() {
            d.load_actors(actors, i)?;
        }
        d.add_region_codes();
        let mut agent_index = HashMap::new();
        for agents in src.agents {
            d.load_agents(agents, &mut agent_index)?;
        }
        for verbs in src.verbs {
            d.load_verbs(verbs)?;
        }
        d.load_discards(src.discards)?;
        d.actor_phrases.finish();
        d.agent_phrases.finish();
        d.verb_phrases.finish();
        d.sentence_discards.finish();
        d.story_discards.finish();
        Ok(d)
    }

    fn load_codebook(&mut self, src: &str) -> Result<(), CodeError> {
        for (n, line) in content_lines(src) {
            if line.starts_with("code\t") {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 5 {
                return Err(format_err("codebook.tsv", n, "expected 5 columns"));
            }
            let goldstein = f[3]
                .parse()
                .map_err(|_| format_err("codebook.tsv", n, "bad Goldstein value"))?;
            let quad_class = f[4]
                .parse()
                .map_err(|_| format_err("codebook.tsv", n, "bad quad class"))?;
            self.codebook.insert(
                f[0].to_string(),
                CodeInfo {
                    root: f[1].to_string(),
                    name: f[2].to_string(),
                    goldstein,
                    quad_class,
                },
            );
        }
        Ok(())
    }

    /// Codes such as `SCGSRB` (Serbia within Serbia and Montenegro) or
    /// `USRKGZ` (Kyrgyzstan within the USSR) start with a state that holds
    /// another: their first part is a country code too.
    fn add_region_codes(&mut self) {
        let mut extra = Vec::new();
        for entry in &self.actors {
            for c in &entry.codes {
                if let (Some(head), Some(second)) = (c.code.get(..3), c.code.get(3..6)) {
                    if self.countries.contains(second) && !ROLE_CODES.contains(&head) {
                        extra.push(head.to_string());
                    }
                }
            }
        }
        self.countries.extend(extra);
    }

    fn load_crosswalk(&mut self, src: &str) {
        for (_, line) in content_lines(src) {
            let mut f = line.split('\t');
            if let (Some(code), Some(plover)) = (f.next(), f.next()) {
                if code != "cameo" {
                    self.plover.insert(code.to_string(), plover.to_string());
                }
            }
        }
    }

    fn load_actors(&mut self, src: &str, file: usize) -> Result<(), CodeError> {
        let what = format!("actors file {}", file + 1);
        let what = what.as_str();
        for (n, line) in content_lines(src) {
            let (codes, phrases) = line
                .split_once('\t')
                .ok_or_else(|| format_err(what, n, "expected codes<TAB>phrases"))?;
            let codes: Vec<DatedCode> = codes.split(',').filter_map(parse_dated).collect();
            if codes.is_empty() {
                return Err(format_err(what, n, "no valid code"));
            }
            for c in &codes {
                if c.code.len() == 3 && !ROLE_CODES.contains(&c.code.as_str()) {
                    self.countries.insert(c.code.clone());
                }
            }
            let idx = self.actors.len() as u32;
            self.actors.push(ActorEntry { codes });
            for p in phrases.split('|') {
                if let Some(phrase) = Phrase::parse(p, idx) {
                    self.actor_phrases.insert(phrase);
                }
            }
        }
        Ok(())
    }

    fn load_agents(
        &mut self,
        src: &str,
        index: &mut HashMap<String, u32>,
    ) -> Result<(), CodeError> {
        for (n, line) in content_lines(src) {
            let (code, phrase) = line
                .split_once('\t')
                .ok_or_else(|| format_err("agents.txt", n, "expected code<TAB>phrase"))?;
            let idx = *index.entry(code.to_string()).or_insert_with(|| {
                self.agents.push(code.to_string());
                (self.agents.len() - 1) as u32
            });
            if let Some(p) = Phrase::parse(&format!("{phrase}_"), idx) {
                self.agent_phrases.insert(p);
            }
        }
        Ok(())
    }

    fn load_verbs(&mut self, src: &str) -> Result<(), CodeError> {
        // `B name =` reopens an existing block so a later file can add to it
        let mut current: Option<usize> = None;
        for (n, line) in content_lines(src) {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["S", name, words] => {
                    self.synsets.insert(
                        name.to_string(),
                        words
                            .split('|')
                            .map(|w| {
                                w.trim_end_matches('_')
                                    .split(' ')
                                    .filter(|x| !x.is_empty())
                                    .map(str::to_string)
                                    .collect()
                            })
                            .filter(|m: &Vec<String>| !m.is_empty())
                            .collect(),
                    );
                }
                ["B", name, code] if code.starts_with('=') => {
                    let idx = self
                        .blocks
                        .iter()
                        .position(|b| b.name == *name)
                        .ok_or_else(|| format_err("verbs", n, "no such block to extend"))?;
                    // `=CODE` also replaces the block's default code
                    if let (Some(new), Some(block)) = (
                        VerbCode::parse(code.trim_start_matches('=')),
                        self.blocks.get_mut(idx),
                    ) {
                        block.code = Some(new);
                    }
                    current = Some(idx);
                }
                ["B", name, code] => {
                    self.blocks.push(VerbBlock {
                        name: name.to_string(),
                        code: VerbCode::parse(code),
                        patterns: Vec::new(),
                    });
                    current = Some(self.blocks.len() - 1);
                }
                ["F", form, code, kind] => {
                    let block =
                        current.ok_or_else(|| format_err("verbs", n, "form before any block"))?;
                    let idx = self.forms.len() as u32;
                    self.forms.push(VerbForm {
                        block,
                        code: VerbCode::parse(code),
                        kind: kind.chars().next().unwrap_or('b'),
                    });
                    if let Some(p) = Phrase::parse(&format!("{form}_"), idx) {
                        self.verb_phrases.insert(p);
                    }
                }
                ["P", code, text] => {
                    let block = current
                        .and_then(|c| self.blocks.get_mut(c))
                        .ok_or_else(|| format_err("verbs", n, "pattern before any block"))?;
                    let code = VerbCode::parse(code).unwrap_or(VerbCode {
                        forward: None,
                        reverse: None,
                    });
                    for variant in alternatives(text) {
                        if let Some(p) = parse_pattern(code.clone(), &variant) {
                            block.patterns.push(p);
                        }
                    }
                }
                _ => return Err(format_err("verbs.txt", n, "unknown line")),
            }
        }
        Ok(())
    }

    fn load_discards(&mut self, src: &str) -> Result<(), CodeError> {
        for (n, line) in content_lines(src) {
            let (scope, phrase) = line
                .split_once('\t')
                .ok_or_else(|| format_err("discards.txt", n, "expected scope<TAB>phrase"))?;
            if let Some(p) = Phrase::parse(&format!("{phrase}_"), 0) {
                match scope {
                    "story" => self.story_discards.insert(p),
                    _ => self.sentence_discards.insert(p),
                }
            }
        }
        Ok(())
    }
}

/// The texts of the compact dictionary files, for [`Dictionaries::from_sources`].
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// `verbs.txt` files, later ones adding to earlier ones.
    pub verbs: &'a [&'a str],
    /// `actors.txt` files, later ones adding to earlier ones.
    pub actors: &'a [&'a str],
    /// `agents.txt` files, later ones adding to earlier ones.
    pub agents: &'a [&'a str],
    /// `discards.txt`.
    pub discards: &'a str,
    /// `codebook.tsv`.
    pub codebook: &'a str,
    /// `cameo2plover.tsv` and additions.
    pub crosswalk: &'a [&'a str],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_codes_resolve_by_date() {
        let e = ActorEntry {
            codes: vec![
                parse_dated("FRDGOV@19330101-19331231").unwrap_or_else(|| unreachable!()),
                parse_dated("FRDELI").unwrap_or_else(|| unreachable!()),
            ],
        };
        assert_eq!(e.code_on(Some(19330505)), "FRDGOV");
        assert_eq!(e.code_on(Some(19400101)), "FRDELI");
        assert_eq!(e.code_on(None), "FRDELI");
    }

    #[test]
    fn phrase_stem_matching() {
        let p = Phrase::parse("afghan", 0).unwrap_or_else(|| unreachable!());
        assert_eq!(p.match_at(&["afghans"], 0), Some(1));
        assert_eq!(p.match_at(&["afghanistan"], 0), None);
        let q = Phrase::parse("united states_", 1).unwrap_or_else(|| unreachable!());
        assert_eq!(q.match_at(&["the", "united", "states"], 1), Some(2));
        assert_eq!(q.match_at(&["united", "statesmen"], 0), None);
    }

    #[test]
    fn slashed_words_are_alternatives() {
        assert_eq!(
            alternatives("* (in bombing/explosion)"),
            vec!["* (in bombing)", "* (in explosion)"]
        );
        assert_eq!(
            alternatives("by/with * {a/b c}").len(),
            4,
            "{:?}",
            alternatives("by/with * {a/b c}")
        );
        assert_eq!(alternatives("* talks"), vec!["* talks"]);
    }

    #[test]
    fn patterns_parse() {
        let p = parse_pattern(
            VerbCode::parse("0732").unwrap_or_else(|| unreachable!()),
            "$ * (to +) {military aid}",
        )
        .unwrap_or_else(|| unreachable!());
        assert_eq!(p.before, vec![PatternItem::Source]);
        assert_eq!(p.after.len(), 4);
        assert_eq!(
            p.after[3],
            PatternItem::Word {
                word: "aid".into(),
                joined: true
            }
        );
        assert_eq!(p.weight, 3);
    }
}
