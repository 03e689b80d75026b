//! The event coder. Actors and verbs are found in the token sequence with
//! the dictionaries and verb patterns refine the code; who is the source and
//! who the target comes from the dependency parse where the sentence has a
//! usable one (see [`crate::syntax`]), else from word order, TABARI /
//! PETRARCH-1 style: the source is the actor before the verb, the target the
//! actor after it. Word order is also the fallback, verb by verb, where the
//! parse is unusable.

use crate::dict::{Dictionaries, PatternItem, VerbCode};
use crate::syntax::{Mode, Tree};
use crate::types::{Actor, Counts, Event, EventSpans, TextDate, TextSpan};
use pulse_nlp::{Doc, Sentence, Token};
use sha2::{Digest, Sha256};

/// Words that negate a verb when they stand just before it.
const NEGATIONS: [&str; 5] = ["not", "n't", "never", "no", "neither"];
/// Forms of "be" that mark a passive when a past participle follows.
const BE_FORMS: [&str; 8] = ["is", "are", "was", "were", "be", "been", "being", "'s"];
/// Words that may stand between an auxiliary and its verb.
const ADVERBS: [&str; 10] = [
    "also",
    "already",
    "reportedly",
    "allegedly",
    "then",
    "now",
    "still",
    "just",
    "again",
    "later",
];
/// Prepositions: an actor right after one is not the subject of a later verb.
const PREPOSITIONS: [&str; 22] = [
    "in", "on", "at", "for", "from", "with", "of", "to", "into", "near", "by", "against", "over",
    "about", "between", "among", "across", "toward", "towards", "under", "inside", "outside",
];
/// Words after which a dictionary verb form is read as a noun ("the attack",
/// "three attacks", "peace talks"): determiners, possessives, prepositions,
/// quantifiers. "To" is left out: "to attack" is a verb.
const NOUN_CONTEXT: [&str; 44] = [
    "the", "a", "an", "this", "these", "those", "its", "their", "his", "her", "our", "my", "your",
    "of", "in", "on", "for", "with", "at", "from", "into", "against", "about", "after", "before",
    "during", "over", "under", "between", "among", "such", "any", "some", "every", "each",
    "another", "other", "new", "first", "more", "several", "many", "'s", "further",
];
/// Verbs of saying: the actor right after one may still be the subject of a
/// following verb ("said Russia attacked …").
const SPEECH: [&str; 12] = [
    "said",
    "says",
    "say",
    "told",
    "added",
    "stated",
    "announced",
    "reported",
    "claimed",
    "believes",
    "believed",
    "warned",
];
/// Words that open a new clause after a comma: a target is not looked for
/// past them.
const CLAUSE_OPENERS: [&str; 16] = [
    "despite",
    "while",
    "although",
    "though",
    "after",
    "before",
    "as",
    "when",
    "because",
    "since",
    "but",
    "which",
    "who",
    "whereas",
    "until",
    "according",
];
/// Words after which a base or third-person form is a verb ("will attack",
/// "to meet", "they reject").
const VERB_CONTEXT: [&str; 27] = [
    "to", "will", "would", "can", "could", "may", "might", "must", "should", "shall", "did", "do",
    "does", "not", "n't", "never", "they", "he", "she", "it", "we", "i", "you", "who", "also",
    "now", "again",
];
/// Words after which an "-ing" form is a verb: clause punctuation and the
/// words that open gerund clauses.
const GERUND_CONTEXT: [&str; 12] = [
    ",", "-", "despite", "after", "before", "while", "without", "by", "since", "when", "also",
    "and",
];
/// Sentences longer than this many tokens are not coded.
pub const MAX_SENTENCE_TOKENS: usize = 300;
/// Prepositions that open the object of an event noun.
const NOMINAL_OBJECT: [&str; 7] = ["against", "on", "in", "of", "at", "with", "into"];
/// How far (in tokens) a verb's subject may be from the verb.
const SOURCE_WINDOW: usize = 20;
/// Prepositions of place: an actor after one is where an act happened.
pub(crate) const LOCATIVES: [&str; 8] = [
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "across",
    "throughout",
    "around",
];
/// Words that join the parts of a compound actor.
const CONJUNCTIONS: [&str; 2] = ["and", "&"];
/// How far (in tokens) a verb's target may be from the verb.
const TARGET_WINDOW: usize = 12;
/// How far a pattern's first word after the verb may be from the verb
/// (room for a determiner and an adjective or two).
const FIRST_PATTERN_GAP: usize = 4;
/// How far a pattern word may be from the previous one.
const PATTERN_GAP: usize = 3;

/// One actor mention found in a sentence (token indices, end exclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// First token.
    pub first: usize,
    /// One past the last token.
    pub last: usize,
    /// The resolved CAMEO actor code.
    pub code: String,
    /// Compound group: mentions joined by "and" share a group.
    pub group: usize,
    /// The role code a title or agent word gave this mention (`~GOV` in
    /// "the ambassadors of Arnor"), or the agent itself for a bare agent
    /// ("officials"): what conjoined actors share ("the ambassadors of
    /// Arnor and Gondor", "Danish media and government").
    pub role: Option<String>,
}

/// A verb found in a sentence.
#[derive(Debug, Clone)]
struct VerbHit {
    first: usize,
    last: usize,
    form: usize,
}

/// Split an actor code into its country (or international class) and sector.
pub fn split_code(
    code: &str,
    countries: &std::collections::HashSet<String>,
) -> (Option<String>, Option<String>) {
    let head = code.get(..3).unwrap_or("");
    // the unknown actor has neither
    if code == "---" {
        return (None, None);
    }
    if code.len() >= 3 && countries.contains(head) {
        let mut country = head;
        let mut rest = code.get(3..).unwrap_or("");
        // a state within a state (SCGSRB, USRKGZ): the inner one is the country
        if let Some(inner) = rest
            .get(..3)
            .filter(|c| countries.contains(*c) && head != "IGO")
        {
            country = inner;
            rest = rest.get(3..).unwrap_or("");
        }
        let sector = rest.get(..3).filter(|s| s.len() == 3).map(str::to_string);
        (Some(country.to_string()), sector)
    } else if code.is_empty() {
        (None, None)
    } else {
        (None, code.get(..3).map(str::to_string))
    }
}

/// Combine an actor's code with an agent code (`~GOV` appends, `IGO~` prefixes).
fn combine(actor: &str, agent: &str, dict: &Dictionaries) -> String {
    let (_, sector) = split_code(actor, &dict.countries);
    // an actor that already has a role keeps it: a "Taliban official" is
    // still the Taliban (AFGREB), not the Afghan government
    if sector.is_some() {
        return actor.to_string();
    }
    // a country, or a state within a state (SCGSRB), takes the role
    let base = actor;
    if let Some(role) = agent.strip_prefix('~') {
        format!("{base}{role}")
    } else if let Some(prefix) = agent.strip_suffix('~') {
        format!("{prefix}{base}")
    } else {
        agent.to_string()
    }
}

/// A bare agent code with no country: `~GOV` → `GOV`.
fn bare_agent(agent: &str) -> String {
    agent.trim_matches('~').to_string()
}

/// Whether a token may be matched as a short all-letter actor name: "US" or
/// "UN" only in capitals, so the pronoun "us" is never the United States.
fn short_name_ok(tok: &Token) -> bool {
    let letters = tok.norm.chars().filter(|c| c.is_alphabetic()).count();
    letters > 3 || tok.norm.chars().all(|c| !c.is_lowercase())
}

/// Resolve a YYYY-MM-DD date into the YYYYMMDD number dictionaries use.
pub fn date_number(date: Option<&str>) -> Option<u32> {
    let d = date?;
    let digits: String = d.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() != 8 {
        return None;
    }
    digits.parse().ok()
}

/// Find the actor mentions of a sentence: dictionary actors, agents composed
/// with the actor next to them ("Afghan government", "government of
/// Afghanistan"), and compound groups ("France and Germany").
pub fn find_mentions(dict: &Dictionaries, tokens: &[Token], date: Option<u32>) -> Vec<Mention> {
    let lower: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    // raw hits: (first, last, Some(actor code) | None, agent code)
    struct Hit {
        first: usize,
        last: usize,
        actor: Option<String>,
        agent: Option<String>,
    }
    let mut hits: Vec<Hit> = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        if let Some((idx, n)) = dict.actor_phrases.longest_at(&lower, i) {
            // actor names are proper nouns: some word of the match must be
            // capitalised ("plan" is not the PLAN navy), and a short name
            // must be all capitals ("us" is not the US)
            let words = tokens.get(i..i + n).unwrap_or(&[]);
            let capitalised = words
                .iter()
                .any(|t| t.norm.chars().next().is_some_and(|c| c.is_uppercase()));
            let ok = capitalised && (n > 1 || tokens.get(i).is_some_and(short_name_ok));
            if ok {
                if let Some(entry) = dict.actors.get(idx as usize) {
                    hits.push(Hit {
                        first: i,
                        last: i + n,
                        actor: Some(entry.code_on(date).to_string()),
                        agent: None,
                    });
                    i += n;
                    continue;
                }
            }
        }
        if let Some((idx, n)) = dict.agent_phrases.longest_at(&lower, i) {
            if let Some(code) = dict.agents.get(idx as usize) {
                hits.push(Hit {
                    first: i,
                    last: i + n,
                    actor: None,
                    agent: Some(code.clone()),
                });
                i += n;
                continue;
            }
        }
        i += 1;
    }
    // pass 1: actor ['s | modifiers] agent → one mention ("Afghan government",
    // "Chinese commerce ministry", "Afghanistan's army")
    let is_modifier = |t: usize| -> bool {
        lower.get(t).is_some_and(|w| {
            matches!(*w, "'s" | "'" | "the")
                || w.ends_with("-led")
                || (w.chars().all(|c| c.is_alphabetic())
                    && !DETERMINERS.contains(w)
                    && !PREPOSITIONS.contains(w)
                    && !CONJUNCTIONS.contains(w)
                    && dict.verb_phrases.longest_at(&lower, t).is_none())
        })
    };
    // (first, last, code, bare agent code if the unit is an agent alone)
    let mut units: Vec<(usize, usize, String, Option<String>)> = Vec::new();
    let mut roles: Vec<Option<String>> = Vec::new();
    let capitalised_word = |t: usize| -> bool {
        tokens.get(t).is_some_and(|tok| {
            tok.kind == pulse_nlp::TokenKind::Word
                && tok.norm.chars().next().is_some_and(|c| c.is_uppercase())
        })
    };
    let mut k = 0;
    while k < hits.len() {
        let h = &hits[k];
        let mut has_title = h.agent.is_some();
        // the role a title gives ("Prime Minister" → ~GOV), for the holder
        // named after it
        let mut title: Option<String> = h.agent.clone();
        let mut applied_role: Option<String> = h.agent.clone();
        let mut unit = match (&h.actor, &h.agent) {
            (Some(actor), _) => {
                let mut u = (h.first, h.last, actor.clone(), None);
                if let Some(nx) = hits.get(k + 1) {
                    let gap = nx.first.saturating_sub(h.last);
                    let gap_ok = gap <= 3 && (h.last..nx.first).all(is_modifier);
                    if let (true, Some(agent)) = (gap_ok, &nx.agent) {
                        u = (h.first, nx.last, combine(actor, agent, dict), None);
                        has_title = true;
                        title = Some(agent.clone());
                        applied_role = Some(agent.clone());
                        k += 1;
                    }
                }
                u
            }
            (None, Some(agent)) => (h.first, h.last, bare_agent(agent), Some(agent.clone())),
            (None, None) => {
                k += 1;
                continue;
            }
        };
        k += 1;
        // a title is followed by the holder's name ("Defence Secretary Tom
        // King"), and a role by more role words ("Israeli intelligence
        // officials"): both belong to this mention
        loop {
            // "Bree Prime Minister Romendacil", "President Romendacil": the
            // holder named right after the title is the actor, in the role
            // the title gives unless the name's own code has a role
            // (the title written as one: "Prime Minister", not "embassy in")
            let titled = unit.1 > 0 && capitalised_word(unit.1 - 1);
            if let (Some(agent), Some(nx), true) = (&title, hits.get(k), titled) {
                if let (Some(person), true) = (&nx.actor, nx.first == unit.1) {
                    let (_, sector) = split_code(person, &dict.countries);
                    unit.2 = if sector.is_some() {
                        person.clone()
                    } else {
                        combine(person, agent, dict)
                    };
                    unit.1 = nx.last;
                    unit.3 = None;
                    title = None;
                    k += 1;
                    continue;
                }
            }
            let next_is_agent = hits
                .get(k)
                .is_some_and(|nx| nx.agent.is_some() && nx.first == unit.1);
            if next_is_agent && unit.3.is_none() {
                unit.1 = hits.get(k).map_or(unit.1, |nx| nx.last);
                k += 1;
                continue;
            }
            let mut end = unit.1;
            while end < unit.1 + 4 && capitalised_word(end) {
                end += 1;
            }
            if end > unit.1 && has_title {
                // skip dictionary hits inside the name, except another actor
                // with a code of its own
                let mut j = k;
                let mut stop = end;
                while let Some(nx) = hits.get(j) {
                    if nx.first >= end {
                        break;
                    }
                    if nx.actor.is_some() {
                        stop = stop.min(nx.first);
                        break;
                    }
                    j += 1;
                }
                if stop > unit.1 {
                    unit.1 = stop;
                    while hits.get(k).is_some_and(|nx| nx.last <= stop) {
                        k += 1;
                    }
                    continue;
                }
            }
            break;
        }
        units.push(unit);
        roles.push(applied_role);
    }
    // pass 2: agent of/in/from [the] actor → one mention ("government of
    // Kenya", "representatives of the Colombian government")
    let mut out: Vec<Mention> = Vec::new();
    let mut k = 0;
    while k < units.len() {
        let (first, last, code, agent) = &units[k];
        if let (Some(agent), Some((nfirst, nlast, ncode, None))) = (agent, units.get(k + 1)) {
            let between = lower.get(*last..*nfirst).unwrap_or(&[]);
            let linked = matches!(
                between,
                ["of"] | ["in"] | ["from"] | ["of", "the"] | ["in", "the"] | ["from", "the"]
            );
            if linked {
                let (_, sector) = split_code(ncode, &dict.countries);
                let code = if sector.is_some() {
                    ncode.clone()
                } else {
                    combine(ncode, agent, dict)
                };
                out.push(Mention {
                    first: *first,
                    last: *nlast,
                    code,
                    group: 0,
                    role: sector.is_none().then(|| agent.clone()),
                });
                k += 2;
                continue;
            }
        }
        out.push(Mention {
            first: *first,
            last: *last,
            code: code.clone(),
            group: 0,
            role: roles.get(k).cloned().flatten(),
        });
        k += 1;
    }
    // compound groups: mentions joined by "and" / "," share a group
    let mut group = 0;
    for j in 0..out.len() {
        if j > 0 {
            let (prev_last, first) = (out[j - 1].last, out[j].first);
            let between: Vec<&str> = lower.get(prev_last..first).unwrap_or(&[]).to_vec();
            let joined = !between.is_empty()
                && between.len() <= 2
                && between
                    .iter()
                    .all(|w| CONJUNCTIONS.contains(w) || *w == "," || *w == "the")
                && between.iter().any(|w| CONJUNCTIONS.contains(w));
            if !joined {
                group += 1;
            }
        }
        out[j].group = group;
    }
    out
}

/// Whether the word at `i` reads as a noun from the word before it.
fn noun_context(lower: &[&str], tokens: &[Token], i: usize) -> bool {
    let Some(prev) = i.checked_sub(1).and_then(|p| lower.get(p)) else {
        return false;
    };
    NOUN_CONTEXT.contains(prev)
        || tokens
            .get(i - 1)
            .is_some_and(|t| t.kind == pulse_nlp::TokenKind::Number)
}

/// Find verbs: dictionary verb forms at positions not covered by an actor and
/// not read as nouns.
fn find_verbs(
    dict: &Dictionaries,
    lower: &[&str],
    tokens: &[Token],
    mentions: &[Mention],
) -> Vec<VerbHit> {
    let covered = |t: usize| mentions.iter().any(|m| t >= m.first && t < m.last);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        if !covered(i) && !noun_context(lower, tokens, i) {
            if let Some((form, n)) = dict.verb_phrases.longest_at(lower, i) {
                // a base or -s form is a verb only after a subject, modal or
                // "to"; elsewhere it is most often a noun ("peace talks")
                let kind = dict.forms.get(form as usize).map_or('b', |f| f.kind);
                let prev = i
                    .checked_sub(1)
                    .and_then(|p| lower.get(p))
                    .copied()
                    .unwrap_or("");
                // a subject right before: an actor that is not itself the
                // object of a preposition ("against Chinese imports")
                let subject_before = mentions.iter().any(|m| {
                    m.last == i
                        && !(m.first > 0
                            && lower
                                .get(m.first - 1)
                                .is_some_and(|w| PREPOSITIONS.contains(w)))
                });
                let accepted = match kind {
                    'b' | 's' => subject_before || VERB_CONTEXT.contains(&prev),
                    // "-ing" is a verb after "be", a comma or a subject
                    // ("were attacking", ", killing nine"), and in a gerund
                    // clause ("despite holding talks"); else a noun ("the
                    // two-day meeting")
                    'g' => {
                        mentions.iter().any(|m| m.last == i)
                            || BE_FORMS.contains(&prev)
                            || GERUND_CONTEXT.contains(&prev)
                            || VERB_CONTEXT.contains(&prev)
                    }
                    _ => true,
                };
                // when a tagger has run, its verb/noun decision replaces the
                // context rules above (which remain for untagged text)
                // an event noun right after its actor ("Taliban attacks",
                // "Russia's invasion") is coded from the noun, with that actor
                // as the source
                // ... and followed by a preposition that opens its object
                // ("attacks against", "invasion of"): "US trade representative"
                // is no trade event
                let actor_before = mentions
                    .iter()
                    .any(|m| m.last == i || (m.last + 1 == i && matches!(prev, "'s" | "'")))
                    && lower.get(i + n).is_some_and(|w| NOMINAL_OBJECT.contains(w));
                let accepted = match tokens.get(i).map(|t| t.upos.as_str()) {
                    Some("") | None => accepted,
                    Some(tag) => matches!(tag, "VERB" | "AUX") || (tag == "NOUN" && actor_before),
                };
                if !accepted {
                    i += 1;
                    continue;
                }
                out.push(VerbHit {
                    first: i,
                    last: i + n,
                    form: form as usize,
                });
                i += n;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Whether the word `w` matches a pattern word (exactly or with an inflection).
fn word_matches(pattern: &str, w: &str) -> bool {
    if pattern == w {
        return true;
    }
    match w.strip_prefix(pattern) {
        Some(rest) => matches!(rest, "s" | "es" | "ed" | "d" | "ing" | "'s"),
        None => false,
    }
}

/// How a pattern matched: its weight and the actor mentions it placed.
#[derive(Debug, Default)]
struct PatternMatch {
    source: Option<usize>,
    target: Option<usize>,
}

/// Try to match pattern items forward from token `start` (exclusive end
/// `limit`); returns the mentions the `$`/`+` markers picked.
fn match_forward(
    dict: &Dictionaries,
    items: &[PatternItem],
    lower: &[&str],
    mentions: &[Mention],
    start: usize,
    limit: usize,
) -> Option<PatternMatch> {
    let mut pos = start;
    let mut found = PatternMatch::default();
    for (n, item) in items.iter().enumerate() {
        let gap = match item {
            PatternItem::Word { joined: true, .. } => 0,
            _ if n == 0 => FIRST_PATTERN_GAP,
            _ => PATTERN_GAP,
        };
        let end = (pos + gap + 1).min(limit);
        let mut hit = None;
        // how many words the item covers where it matches
        let mut width = 1;
        for t in pos..end {
            let matched = match item {
                PatternItem::Word { word, .. } => lower
                    .get(t)
                    .is_some_and(|w| word_matches(word, w))
                    .then_some(1),
                // a set member may be several words ("did n't", "swiss francs")
                PatternItem::Set(name) => dict.synsets.get(name).and_then(|ws| {
                    let w = lower.get(t)?;
                    ws.iter().find_map(|member| {
                        let n = member.len();
                        if n == 1 {
                            return word_matches(&member[0], w).then_some(1);
                        }
                        let ok = t + n <= limit.max(t + 1)
                            && member.iter().enumerate().all(|(k, mw)| {
                                lower.get(t + k).is_some_and(|w| {
                                    if k + 1 == n {
                                        word_matches(mw, w)
                                    } else {
                                        mw == w
                                    }
                                })
                            });
                        ok.then_some(n)
                    })
                }),
                PatternItem::Source | PatternItem::Target => {
                    mentions.iter().any(|m| m.first == t).then_some(1)
                }
            };
            if let Some(w) = matched {
                hit = Some(t);
                width = w;
                break;
            }
        }
        let t = hit?;
        match item {
            PatternItem::Source | PatternItem::Target => {
                let m = mentions.iter().position(|m| m.first == t)?;
                if matches!(item, PatternItem::Source) {
                    found.source = Some(m);
                } else {
                    found.target = Some(m);
                }
                pos = mentions.get(m).map_or(t + 1, |m| m.last);
            }
            _ => pos = t + width,
        }
    }
    Some(found)
}

/// Match the items before the verb, searching backwards from the verb.
fn match_backward(
    dict: &Dictionaries,
    items: &[PatternItem],
    lower: &[&str],
    mentions: &[Mention],
    verb_first: usize,
) -> Option<PatternMatch> {
    // search the window before the verb for the items in order
    let from = verb_first.saturating_sub(PATTERN_GAP * items.len().max(1) + 1);
    match_forward(dict, items, lower, mentions, from, verb_first)
}

/// What a verb's patterns are matched against: the sentence, its actors,
/// the verb and how far a pattern may reach.
struct Scope<'a> {
    dict: &'a Dictionaries,
    lower: &'a [&'a str],
    present: &'a rustc_hash::FxHashSet<&'a str>,
    mentions: &'a [Mention],
    verb: &'a VerbHit,
    limit: usize,
}

/// The best pattern of a verb's block for this sentence, with its code.
fn best_pattern(scope: &Scope<'_>, block: usize) -> Option<(VerbCode, PatternMatch, String)> {
    let block = scope.dict.blocks.get(block)?;
    let mut best: Option<(usize, bool, &crate::dict::Pattern, PatternMatch)> = None;
    for p in &block.patterns {
        if best
            .as_ref()
            .is_some_and(|(w, exact, _, _)| *w > p.weight || (*w == p.weight && *exact))
        {
            continue;
        }
        let exact = verbatim(scope, p);
        if best
            .as_ref()
            .is_some_and(|(w, _, _, _)| *w == p.weight && !exact)
        {
            continue;
        }
        if let Some(m) = pattern_match(scope, p) {
            best = Some((p.weight, exact, p, m));
        }
    }
    best.map(|(_, _, p, m)| (p.code.clone(), m, pattern_text(scope.dict, p)))
}

/// Whether every word of pattern `p` stands in the sentence as written. Of
/// two patterns of equal weight, such a one beats one matched through an
/// inflection ("lifted sanctions": "* sanctions" before "* sanction").
fn verbatim(scope: &Scope<'_>, p: &crate::dict::Pattern) -> bool {
    p.before.iter().chain(&p.after).all(|i| match i {
        PatternItem::Word { word, .. } => scope.lower.contains(&word.as_str()),
        _ => true,
    })
}

/// How pattern `p` matches around the verb, if it does.
fn pattern_match(scope: &Scope<'_>, p: &crate::dict::Pattern) -> Option<PatternMatch> {
    // a pattern whose words are not all in the sentence cannot match
    let absent = p.before.iter().chain(&p.after).any(|i| match i {
        PatternItem::Word { word, .. } => !scope.present.contains(word.as_str()),
        _ => false,
    });
    if absent {
        return None;
    }
    let (dict, lower, mentions, verb) = (scope.dict, scope.lower, scope.mentions, scope.verb);
    let after = if p.after.is_empty() {
        PatternMatch::default()
    } else {
        match_forward(dict, &p.after, lower, mentions, verb.last, scope.limit)?
    };
    let before = if p.before.is_empty() {
        PatternMatch::default()
    } else {
        match_backward(dict, &p.before, lower, mentions, verb.first)?
    };
    Some(PatternMatch {
        source: before.source.or(after.source),
        target: after.target.or(before.target),
    })
}

/// A pattern as `--explain` and the event's `pattern` field show it.
fn pattern_text(dict: &Dictionaries, p: &crate::dict::Pattern) -> String {
    let mut text = describe_pattern(p);
    if pattern_negates(dict, p) {
        text.push_str(" (negation in pattern)");
    }
    text
}

/// For `--explain`: every pattern of the block that matches, with its
/// weight and code, heaviest first (the first is the one chosen).
fn matching_patterns(scope: &Scope<'_>, block: usize) -> Vec<String> {
    let Some(block) = scope.dict.blocks.get(block) else {
        return Vec::new();
    };
    let mut found: Vec<((usize, bool), String)> = block
        .patterns
        .iter()
        .filter(|p| pattern_match(scope, p).is_some())
        .map(|p| {
            let code = p.code.forward.as_deref().unwrap_or("---");
            (
                (p.weight, verbatim(scope, p)),
                format!(
                    "{} [{code}] weight {}",
                    pattern_text(scope.dict, p),
                    p.weight
                ),
            )
        })
        .collect();
    found.sort_by_key(|(w, _)| std::cmp::Reverse(*w));
    found.into_iter().map(|(_, t)| t).collect()
}

/// The words of a sentence and their forms without an inflection ending
/// ("attacked" → "attack"): a pattern word can match only if it is here
/// (see [`word_matches`]).
fn words_present<'a>(lower: &[&'a str]) -> rustc_hash::FxHashSet<&'a str> {
    let mut out = rustc_hash::FxHashSet::default();
    for w in lower {
        out.insert(*w);
        for suffix in ["s", "es", "ed", "d", "ing", "'s"] {
            if let Some(stem) = w.strip_suffix(suffix) {
                out.insert(stem);
            }
        }
    }
    out
}

/// Where the clause holding token `at` ends: a semicolon, colon or dash, a
/// comma before a clause opener ("…, despite …"), or the sentence end.
fn clause_end(lower: &[&str], at: usize) -> usize {
    (at..lower.len())
        .find(|&t| match lower.get(t) {
            Some(&";") | Some(&":") | Some(&"-") => true,
            Some(&",") => lower
                .get(t + 1)
                .is_some_and(|w| CLAUSE_OPENERS.contains(w) || w.ends_with("ing")),
            _ => false,
        })
        .unwrap_or(lower.len())
}

/// Words naming a quantity or a group of people, whose "of" phrase names who
/// they are ("thousands of Kurds").
const QUANTITY_HEADS: [&str; 20] = [
    "thousands",
    "hundreds",
    "dozens",
    "scores",
    "millions",
    "tens",
    "group",
    "groups",
    "members",
    "some",
    "many",
    "most",
    "all",
    "number",
    "crowds",
    "crowd",
    "majority",
    "delegation",
    "representatives",
    "leaders",
];

/// Whether the word at `t` is written in digits ("300 of the protesters").
fn tokens_is_number(lower: &[&str], t: usize) -> bool {
    lower
        .get(t)
        .is_some_and(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == ','))
}

/// Determiners skipped when looking at the word before a noun phrase.
const DETERMINERS: [&str; 3] = ["the", "a", "an"];

/// Whether mention `i` is the object of a preposition or of an earlier
/// non-speech verb, directly or as an apposition to one ("left Doha, Qatar";
/// "in Doha, Qatar").
fn is_object(lower: &[&str], mentions: &[Mention], verbs: &[VerbHit], i: usize) -> bool {
    // walk back through appositions ("Doha, Qatar") to the first mention
    let mut i = i;
    loop {
        let Some(m) = mentions.get(i) else {
            return false;
        };
        let mut q = m.first;
        while q > 0 && lower.get(q - 1).is_some_and(|w| DETERMINERS.contains(w)) {
            q -= 1;
        }
        if q == 0 {
            return false;
        }
        let prev = lower.get(q - 1).copied().unwrap_or("");
        // "thousands of Iraqi Kurds", "a group of Liberians": the people after
        // "of" are the head of the phrase, not an object
        let quantified = prev == "of"
            && q >= 2
            && (lower.get(q - 2).is_some_and(|w| QUANTITY_HEADS.contains(w))
                || tokens_is_number(lower, q - 2));
        if PREPOSITIONS.contains(&prev) && !quantified {
            return true;
        }
        if verbs.iter().any(|v| v.last == q && v.first < q) && !SPEECH.contains(&prev) {
            return true;
        }
        // apposition: "<object mention> , <this mention>"
        match i.checked_sub(1).and_then(|j| mentions.get(j)) {
            Some(before) if prev == "," && before.last + 1 == q => i -= 1,
            _ => return false,
        }
    }
}

/// The actor that is the subject of a verb at `verb_first`: the nearest
/// mention before it that is not an object and not cut off from the verb by a
/// new clause.
fn subject_before(
    lower: &[&str],
    mentions: &[Mention],
    verbs: &[VerbHit],
    verb_first: usize,
) -> Option<usize> {
    let mut best = None;
    for (i, m) in mentions.iter().enumerate() {
        if m.last > verb_first {
            break;
        }
        if verb_first - m.last > SOURCE_WINDOW {
            continue;
        }
        let between = lower.get(m.last..verb_first).unwrap_or(&[]);
        // "told the AP that the sides resolved …": a complementizer between
        // the mention and the verb starts a clause with its own subject
        if between.iter().skip(1).any(|w| *w == "that") || between.contains(&";") {
            continue;
        }
        // "As the Post reported, the agreement would …": a verb of the mention
        // and then a comma and a new noun phrase start another clause
        let own_verb = verbs
            .iter()
            .find(|v| v.first >= m.last && v.last <= verb_first)
            .map(|v| v.last);
        if let Some(after) = own_verb {
            let rest = lower.get(after..verb_first).unwrap_or(&[]);
            if rest.windows(2).any(|w| {
                w[0] == "," && (DETERMINERS.contains(&w[1]) || NOUN_CONTEXT.contains(&w[1]))
            }) {
                continue;
            }
        }
        if is_object(lower, mentions, verbs, i) {
            continue;
        }
        best = Some(i);
    }
    best
}

/// The first actor after the verb, within the clause and the target window.
fn object_after(
    lower: &[&str],
    mentions: &[Mention],
    verb_last: usize,
    limit: usize,
) -> Option<usize> {
    let in_reach = |m: &Mention| {
        m.first >= verb_last && m.first < limit && m.first < verb_last + TARGET_WINDOW
    };
    let not_place = mentions.iter().position(|m| {
        let mut q = m.first;
        while q > 0 && lower.get(q - 1).is_some_and(|w| DETERMINERS.contains(w)) {
            q -= 1;
        }
        // "met them in Brussels": a place after a locative preposition is
        // where it happened, not whom it was done to
        let locative = q > 0 && lower.get(q - 1).is_some_and(|w| LOCATIVES.contains(w));
        in_reach(m) && !locative
    });
    // with no other candidate, a place may still be the target ("lifted the
    // curfew in Kosovo")
    not_place.or_else(|| mentions.iter().position(in_reach))
}

/// Pronouns that can stand for the speaker of a reported statement.
const SUBJECT_PRONOUNS: [&str; 5] = ["he", "she", "it", "they", "we"];
/// Words between a subject and its verb that do not break the link
/// ("it will", "they are prepared to", "he has").
const AUXILIARIES: [&str; 16] = [
    "will", "would", "'ll", "is", "are", "was", "were", "has", "have", "had", "to", "prepared",
    "ready", "willing", "also", "not",
];

/// The speech verb whose statement contains verb `v`: the last speech verb
/// before `v` in the sentence, with no "if" in between (a condition is no
/// report).
fn reporting_verb<'v>(lower: &[&str], verbs: &'v [VerbHit], v: &VerbHit) -> Option<&'v VerbHit> {
    let speech = verbs
        .iter()
        .rev()
        .find(|w| w.last <= v.first && lower.get(w.first).is_some_and(|t| SPEECH.contains(t)))?;
    let between = lower.get(speech.last..v.first).unwrap_or(&[]);
    (!between.contains(&"if")).then_some(speech)
}

/// In reported speech, a pronoun subject stands for the speaker: "Iraq said
/// it would allow …" → Iraq. Returns the speaker's mention.
fn speaker_as_subject(
    lower: &[&str],
    mentions: &[Mention],
    verbs: &[VerbHit],
    v: &VerbHit,
) -> Option<usize> {
    let mut p = v.first;
    while p > 0
        && lower
            .get(p - 1)
            .is_some_and(|w| AUXILIARIES.contains(w) || ADVERBS.contains(w))
    {
        p -= 1;
    }
    let pronoun = p.checked_sub(1)?;
    if !lower
        .get(pronoun)
        .is_some_and(|w| SUBJECT_PRONOUNS.contains(w))
    {
        return None;
    }
    let speech = reporting_verb(lower, verbs, v)?;
    // nothing but "that" and time words between the speech verb and pronoun
    if pronoun < speech.last || pronoun - speech.last > 6 {
        return None;
    }
    subject_before(lower, mentions, verbs, speech.first)
}

/// Whether a "would" before the verb is the reported form of "will" ("Iraq
/// said it would allow …"), which announces an act, rather than a condition.
fn reported_would(lower: &[&str], v: &VerbHit, reported: bool) -> bool {
    let start = v.first.saturating_sub(2);
    reported && (start..v.first).any(|t| lower.get(t) == Some(&"would"))
}

/// Whether an act is announced rather than done: "will"/"'ll" just before
/// the verb (or a reported "would"), or "ready/willing/prepared to" + verb.
fn intent_marked(lower: &[&str], v: &VerbHit, reported: bool) -> bool {
    let before = |n: usize| v.first.checked_sub(n).and_then(|p| lower.get(p)).copied();
    let modal = |w: Option<&str>| {
        matches!(w, Some("will") | Some("'ll")) || (reported && w == Some("would"))
    };
    modal(before(1))
        || (modal(before(2)) && before(1).is_some_and(|w| ADVERBS.contains(&w)))
        || (before(1) == Some("to")
            && matches!(
                before(2),
                Some("ready") | Some("willing") | Some("prepared")
            ))
}

/// The CAMEO code for announcing an act of the given code: cooperation
/// (roots 04–08) becomes the matching "express intent" code (03x), force and
/// coercion (roots 14–20) the matching "threaten" code (13x), each to the
/// finest level the codebook pairs them ("will release" 084 → 0353, "will
/// impose a curfew" 1723 → 1323); other codes stay as they are (a statement
/// about the future is still a statement).
fn intent_code(code: &str) -> Option<String> {
    // the CAMEO codebook's pairs of an act and its announcement, most
    // specific first: a code takes the first entry it starts with
    const PAIRS: &[(&str, &str)] = &[
        ("045", "039"),
        ("04", "036"),
        ("05", "032"),
        ("061", "0311"),
        ("062", "0312"),
        ("063", "0313"),
        ("064", "0314"),
        ("06", "031"),
        ("071", "0331"),
        ("072", "0332"),
        ("073", "0333"),
        ("074", "0334"),
        ("07", "033"),
        ("081", "0351"),
        ("082", "0352"),
        ("0831", "0341"),
        ("0832", "0342"),
        ("0833", "0343"),
        ("0834", "0344"),
        ("083", "034"),
        ("084", "0353"),
        ("085", "0354"),
        ("086", "0355"),
        ("087", "0356"),
        ("08", "035"),
        ("14", "133"),
        ("15", "138"),
        ("161", "1313"),
        ("162", "1311"),
        ("163", "1312"),
        ("164", "134"),
        ("165", "135"),
        ("166", "136"),
        ("16", "131"),
        ("1721", "1321"),
        ("1722", "1322"),
        ("1723", "1323"),
        ("1724", "1324"),
        ("172", "132"),
        ("17", "137"),
        ("18", "1383"),
        ("191", "1381"),
        ("192", "1382"),
        ("19", "1384"),
        ("204", "1385"),
        ("20", "1383"),
    ];
    let mapped = PAIRS
        .iter()
        .find(|(act, _)| code.starts_with(act))
        .map_or(code, |(_, announced)| announced);
    Some(mapped.to_string())
}

/// The CAMEO rejection a negated act of cooperation amounts to: not
/// meeting or negotiating is rejecting a proposal to meet (125), not
/// cooperating materially is rejecting material cooperation (121), not
/// yielding is refusing to yield (124), other cooperation a rejection
/// (120). `None` for statements and for conflict, whose negation is no event.
fn rejection_code(code: &str) -> Option<&'static str> {
    match code.get(..2)? {
        "04" => Some("125"),
        "06" => Some("121"),
        "08" => Some("124"),
        "03" | "05" | "07" => Some("120"),
        _ => None,
    }
}

/// For a statement verb: the actor a following "must" clause is addressed
/// to ("Russia said Sudan must return the helicopter" → Sudan).
fn demanded_of(lower: &[&str], mentions: &[Mention], v: &VerbHit, limit: usize) -> Option<usize> {
    let must = (v.last..limit.min(v.last + 12)).find(|&t| lower.get(t) == Some(&"must"))?;
    mentions
        .iter()
        .rposition(|m| m.first >= v.last && m.last <= must && must - m.last <= 2)
}

/// Whether verb `k` is the infinitive complement of an earlier verb within a
/// few words ("refused to negotiate", "urged Afghans to boycott").
fn is_complement(lower: &[&str], verbs: &[VerbHit], k: usize) -> bool {
    let Some(v) = verbs.get(k) else {
        return false;
    };
    if v.first == 0 || lower.get(v.first - 1) != Some(&"to") {
        return false;
    }
    k > 0
        && verbs.get(k - 1).is_some_and(|prev| {
            v.first.saturating_sub(prev.last) <= 5
                && !lower
                    .get(prev.last..v.first)
                    .is_some_and(|ws| ws.contains(&","))
        })
}

/// Whether the verb at `v` is negated ("did not attack", "never met").
fn negated(lower: &[&str], v: &VerbHit) -> bool {
    let start = v.first.saturating_sub(3);
    (start..v.first).any(|t| lower.get(t).is_some_and(|w| NEGATIONS.contains(w)))
}

/// Modals that make an act hypothetical ("would cut", "could become").
const HYPOTHETICAL: [&str; 5] = ["would", "could", "might", "may", "should"];

/// Whether the verb is hypothetical: a conditional modal within the two words
/// before it. Such acts are not facts and are not coded (the syntax-aware
/// coder will flag their mode instead).
fn hypothetical(lower: &[&str], v: &VerbHit) -> bool {
    let start = v.first.saturating_sub(2);
    (start..v.first).any(|t| lower.get(t).is_some_and(|w| HYPOTHETICAL.contains(w)))
}

/// Whether the verb is a passive ("was attacked by"): a form of "be" (perhaps
/// with an adverb between) before a past participle.
fn passive(lower: &[&str], v: &VerbHit) -> bool {
    let Some(word) = lower.get(v.first) else {
        return false;
    };
    if !(word.ends_with("ed") || word.ends_with("en") || word.ends_with('t')) {
        return false;
    }
    let mut p = v.first;
    while p > 0 {
        let w = lower.get(p - 1).copied().unwrap_or("");
        if ADVERBS.contains(&w) || w == "reportedly" {
            p -= 1;
            continue;
        }
        return BE_FORMS.contains(&w);
    }
    false
}

/// The agent of a passive verb: the mention right after "by" following the verb.
fn passive_agent(lower: &[&str], mentions: &[Mention], v: &VerbHit, limit: usize) -> Option<usize> {
    let by = (v.last..limit.min(v.last + 4)).find(|&t| lower.get(t) == Some(&"by"))?;
    mentions
        .iter()
        .position(|m| m.first > by && m.first <= by + 2)
}

/// Inputs the coder needs about the article.
#[derive(Debug, Clone, Copy, Default)]
pub struct ArticleContext<'a> {
    /// Article id, used in event ids.
    pub article_id: &'a str,
    /// Publication date, `YYYY-MM-DD`.
    pub published: Option<&'a str>,
    /// The dates the text gives (from the time stage): an event is dated by
    /// the one attached to its verb, else the one its sentence holds, else
    /// the publication date. Empty when the time stage has not run.
    pub dates: &'a [TextDate],
}

/// Code every sentence of an analysed document.
pub fn code_doc(dict: &Dictionaries, doc: &Doc, ctx: ArticleContext<'_>) -> Vec<Event> {
    code_doc_with(dict, doc, ctx, &mut Explain::default())
}

/// Code every sentence and say why: per sentence index, the coder's notes
/// (the actors found, each verb's chosen pattern and the other patterns
/// that matched, and why a verb gave no event).
pub fn code_doc_explained(
    dict: &Dictionaries,
    doc: &Doc,
    ctx: ArticleContext<'_>,
) -> (Vec<Event>, Vec<(usize, String)>) {
    let mut explain = Explain {
        on: true,
        lines: Vec::new(),
    };
    let events = code_doc_with(dict, doc, ctx, &mut explain);
    (events, explain.lines)
}

/// Where `--explain` notes go: nowhere unless `on`.
#[derive(Debug, Default)]
struct Explain {
    on: bool,
    lines: Vec<(usize, String)>,
}

impl Explain {
    /// Add a note for sentence `s`; the text is built only when explaining.
    fn note(&mut self, s: usize, text: impl FnOnce() -> String) {
        if self.on {
            self.lines.push((s, text()));
        }
    }
}

fn code_doc_with(
    dict: &Dictionaries,
    doc: &Doc,
    ctx: ArticleContext<'_>,
    explain: &mut Explain,
) -> Vec<Event> {
    let date = date_number(ctx.published);
    // story-level discards end the article
    for s in &doc.sentences {
        let lower: Vec<&str> = s.tokens.iter().map(|t| t.lower.as_str()).collect();
        if (0..lower.len()).any(|i| dict.story_discards.longest_at(&lower, i).is_some()) {
            explain.note(s.index, || {
                "a story discard phrase: the whole article is not coded".to_string()
            });
            return Vec::new();
        }
    }
    let mut out = Vec::new();
    let mut antecedents = Antecedents::default();
    for s in &doc.sentences {
        code_sentence(dict, doc, s, ctx, date, &mut antecedents, explain, &mut out);
    }
    out
}

/// Every dictionary actor mention of a document, as byte spans with their
/// codes (see [`crate::Coder::actor_spans`]).
pub fn actor_spans(dict: &Dictionaries, doc: &Doc, published: Option<&str>) -> ActorSpans {
    let date = date_number(published);
    let mut spans = Vec::new();
    for s in &doc.sentences {
        for m in find_mentions(dict, &s.tokens, date) {
            let first = s.tokens.get(m.first);
            let last = m.last.checked_sub(1).and_then(|l| s.tokens.get(l));
            if let (Some(a), Some(b)) = (first, last) {
                spans.push((a.start, b.end, m.code));
            }
        }
    }
    ActorSpans(spans)
}

/// The actor mentions of a document by byte span, found once and looked up
/// by span: how quotations' speakers and place names are checked against
/// the coded actors.
#[derive(Debug, Default)]
pub struct ActorSpans(Vec<(usize, usize, String)>);

impl ActorSpans {
    /// The code of the mention that overlaps bytes `start..end` most ("U.S.
    /// envoy Zalmay Khalilzad" over "U.S."), if any does.
    pub fn at(&self, start: usize, end: usize) -> Option<&str> {
        self.0
            .iter()
            .filter(|(a, b, _)| *a < end && start < *b)
            .max_by_key(|(a, b, _)| (*b).min(end) - (*a).max(start))
            .map(|(_, _, code)| code.as_str())
    }
}

/// Build an [`Actor`] record for a mention.
fn actor_record(dict: &Dictionaries, doc: &Doc, s: &Sentence, m: &Mention) -> Actor {
    let start = s.tokens.get(m.first).map_or(s.start, |t| t.start);
    // an actor the sentence does not name (an empty mention at the verb)
    // has an empty span there
    let end = if m.last <= m.first {
        start
    } else {
        s.tokens
            .get(m.last.saturating_sub(1))
            .map_or(s.end, |t| t.end)
    };
    let (country, sector) = split_code(&m.code, &dict.countries);
    Actor {
        text: doc.text.get(start..end).unwrap_or("").to_string(),
        code: m.code.clone(),
        country,
        country_from_context: false,
        sector,
        start,
        end,
    }
}

/// Merge the entity tagger's spans with the dictionary's mentions: a bare
/// country inside a longer person's name ("Jordan" in "Jordan Peterson")
/// names the person, not the state, and is dropped. (Organisations named
/// after a country keep it: such a body is most often of that country.)
fn drop_states_inside_people(
    dict: &Dictionaries,
    entities: &[pulse_nlp::Entity],
    mentions: &mut Vec<Mention>,
) {
    mentions.retain(|m| {
        !(dict.is_state(&m.code)
            && entities.iter().any(|e| {
                e.kind == "PER"
                    && e.start <= m.first
                    && m.last <= e.end
                    && e.end - e.start > m.last - m.first
            }))
    });
}

/// The one state the sentence's actor mentions name, if they name exactly
/// one; mentions starting at byte `except` are not counted.
fn sole_state(
    dict: &Dictionaries,
    tokens: &[Token],
    mentions: &[Mention],
    except: Option<usize>,
) -> Option<String> {
    let mut found: Option<String> = None;
    for m in mentions {
        if except.is_some() && tokens.get(m.first).map(|t| t.start) == except {
            continue;
        }
        let Some(c) = split_code(&m.code, &dict.countries)
            .0
            .filter(|c| dict.is_state(c))
        else {
            continue;
        };
        match &found {
            Some(f) if *f != c => return None,
            _ => found = Some(c),
        }
    }
    found
}

/// Give the countryless actors of a sentence's events ("police", "rebels",
/// the unknown actor) the one state the sentence names, marked as taken
/// from context. A sentence that names two states or none leaves them as
/// they are. The doer of violence (CAMEO 18–20) does not take the country
/// only its victims name ("US soldiers were killed by a roadside bomb"
/// says nothing of who planted it).
fn countries_from_context(
    dict: &Dictionaries,
    tokens: &[Token],
    mentions: &[Mention],
    events: &mut [Event],
) {
    // (an organisation's code names its class, IGO or NGO, as its country,
    // so only actors with no country part at all are filled)
    let fill = |a: &mut Actor, state: &Option<String>| {
        if let (None, Some(c)) = (&a.country, state) {
            a.country = Some(c.clone());
            a.country_from_context = true;
        }
    };
    let all = sole_state(dict, tokens, mentions, None);
    for e in events {
        let violent = matches!(e.root.as_str(), "18" | "19" | "20");
        let for_source = match (&e.target, violent) {
            (Some(t), true) => sole_state(dict, tokens, mentions, Some(t.start)),
            _ => all.clone(),
        };
        fill(&mut e.source, &for_source);
        if let Some(t) = e.target.as_mut() {
            fill(t, &all);
        }
    }
}

/// The id of an event: a hash of its coded content, so the same event reported
/// twice gets one id.
pub fn event_id(date: Option<&str>, source: &str, cameo: &str, target: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(date.unwrap_or("").as_bytes());
    h.update([0]);
    h.update(source.as_bytes());
    h.update([0]);
    h.update(cameo.as_bytes());
    h.update([0]);
    h.update(target.unwrap_or("").as_bytes());
    let digest = h.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[allow(clippy::too_many_arguments)]
fn push_event(
    dict: &Dictionaries,
    doc: &Doc,
    s: &Sentence,
    ctx: ArticleContext<'_>,
    cameo: &str,
    source: &Mention,
    target: Option<&Mention>,
    verb: &VerbHit,
    how: &How,
    out: &mut Vec<Event>,
) {
    // a user's (or a validation suite's) dictionary may use codes the
    // CAMEO codebook lacks: they keep their root and the root's QuadClass
    let fallback;
    let info = match dict.codebook.get(cameo) {
        Some(info) => info,
        None => {
            let Some(root) = cameo
                .get(..2)
                .filter(|r| r.bytes().all(|b| b.is_ascii_digit()))
            else {
                return;
            };
            fallback = crate::dict::CodeInfo {
                root: root.to_string(),
                name: String::new(),
                goldstein: 0.0,
                quad_class: crate::dict::quad_class(root),
            };
            &fallback
        }
    };
    // an actor does not act on itself: keep the act, without the target
    let target = target.filter(|t| t.code != source.code);
    let src = actor_record(dict, doc, s, source);
    let tgt = target.map(|t| actor_record(dict, doc, s, t));
    let vstart = s.tokens.get(verb.first).map_or(s.start, |t| t.start);
    let vend = s
        .tokens
        .get(verb.last.saturating_sub(1))
        .map_or(s.end, |t| t.end);
    let span = |a: &Actor| TextSpan {
        start: a.start,
        end: a.end,
        text: a.text.clone(),
    };
    // the date the text gives the act (a historical act its own year, in
    // reduced-precision ISO 8601), else the publication date
    let date = how
        .date
        .clone()
        .or_else(|| ctx.published.map(str::to_string));
    // undated events only merge within their article: without a date, two
    // reports of "Russia attacked Ukraine" may be years apart
    let scope = match &date {
        Some(d) => d.clone(),
        None => format!("article:{}", ctx.article_id),
    };
    let id = event_id(
        Some(&scope),
        &src.code,
        cameo,
        tgt.as_ref().map(|t| t.code.as_str()),
    );
    let plover = dict
        .plover
        .get(cameo)
        .or_else(|| cameo.get(..3).and_then(|c| dict.plover.get(c)))
        .or_else(|| dict.plover.get(&info.root))
        .cloned();
    let ev = Event {
        id,
        cameo: cameo.to_string(),
        root: info.root.clone(),
        name: info.name.clone(),
        quad_class: info.quad_class,
        goldstein: info.goldstein,
        plover,
        spans: EventSpans {
            source: Some(span(&src)),
            target: tgt.as_ref().map(span),
            verb: TextSpan {
                start: vstart,
                end: vend,
                text: doc.text.get(vstart..vend).unwrap_or("").to_string(),
            },
        },
        source: src,
        target: tgt,
        date_precision: date.as_deref().map(precision_of_value),
        date_source: date.as_ref().map(|_| {
            if how.date.is_some() {
                "text"
            } else {
                "published"
            }
            .to_string()
        }),
        date,
        place: None,
        counts: Counts::default(),
        mode: how.mode.map(|m| m.as_str().to_string()),
        pattern: how.pattern.clone(),
        confidence: how.confidence,
        sentence: s.index,
        start: s.start,
        end: s.end,
        text: doc.sentence_text(s).to_string(),
    };
    // the same coded content twice in one sentence is one event (events of a
    // sentence are contiguous at the end of `out`)
    let duplicate = out
        .iter()
        .rev()
        .take_while(|e| e.sentence == ev.sentence)
        .any(|e: &Event| {
            e.cameo == ev.cameo
                && e.mode == ev.mode
                && e.source.code == ev.source.code
                && e.target.as_ref().map(|t| &t.code) == ev.target.as_ref().map(|t| &t.code)
        });
    if !duplicate {
        out.push(ev);
    }
}

/// The verb whose clause a date (tokens `first..last`) belongs to: the first
/// verb above the date's head in the parse (the root, when none is).
fn date_clause(tree: &Tree<'_>, tokens: &[Token], first: usize, last: usize) -> Option<usize> {
    let head = (first..last).find(|&x| tree.head(x).is_none_or(|h| h < first || h >= last))?;
    let mut cur = tree.head(head);
    let mut steps = 0;
    while let Some(c) = cur {
        if tokens.get(c).is_some_and(|t| t.upos == "VERB") || steps > tokens.len() {
            return Some(c);
        }
        match tree.head(c) {
            Some(h) => cur = Some(h),
            None => return Some(c),
        }
        steps += 1;
    }
    None
}

/// Whether a TIMEX3 value names a calendar date, week, month, quarter, year
/// or decade (`2019-08-06`, `2019-W32`, `2019-Q3`, `199X`), the forms an
/// event can be dated by; references such as `PAST_REF` and values with
/// unknown parts (`XXXX-08-06`) are not.
fn datable(value: &str) -> bool {
    let b = value.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let decade = b.len() == 4 && digits(0..3) && b.get(3) == Some(&b'X');
    if !(digits(0..4) || decade) {
        return false;
    }
    let dash = b.get(4) == Some(&b'-');
    match b.len() {
        4 => true,
        7 => dash && (digits(5..7) || (b.get(5) == Some(&b'Q') && digits(6..7))),
        8 => dash && b.get(5) == Some(&b'W') && digits(6..8),
        10 => dash && digits(5..7) && b.get(7) == Some(&b'-') && digits(8..10),
        _ => false,
    }
}

/// The precision of an ISO 8601 (TIMEX3) date value: `2019` a year,
/// `2019-08` a month, `2019-W32` a week, `2019-Q3` a quarter, `199X` a
/// decade, a full date a day.
fn precision_of_value(value: &str) -> String {
    let p = match value.len() {
        4 if value.ends_with('X') => "decade",
        4 => "year",
        7 if value.contains('Q') => "quarter",
        7 => "month",
        8 if value.contains('W') => "week",
        _ => "day",
    };
    p.to_string()
}

/// How an event was read: its mode, the pattern that coded it and the
/// coder's confidence.
#[derive(Debug, Clone)]
struct How {
    mode: Option<Mode>,
    pattern: String,
    confidence: f64,
    /// The date the text gives the act (a date attached to its verb, a
    /// year on it, or its sentence's one date), when there is one.
    date: Option<String>,
}

/// Actors named in earlier sentences of the article, most recent last:
/// what a pronoun or "the two sides" may refer to.
#[derive(Debug, Default)]
pub struct Antecedents {
    codes: Vec<String>,
    /// Source and target of the last event between two named actors.
    pair: Option<(String, String)>,
}

impl Antecedents {
    fn remember(&mut self, code: &str) {
        if code.is_empty() || code == "---" {
            return;
        }
        self.codes.retain(|c| c != code);
        self.codes.push(code.to_string());
        if self.codes.len() > 8 {
            self.codes.remove(0);
        }
    }

    /// The most recent actor.
    fn last(&self) -> Option<&str> {
        self.codes.last().map(String::as_str)
    }

    /// "The two sides": the two parties of the last event between two
    /// named actors, else the two most recent different actors.
    fn last_two(&self) -> Option<(&str, &str)> {
        if let Some((a, b)) = &self.pair {
            return Some((a.as_str(), b.as_str()));
        }
        let n = self.codes.len();
        (n >= 2).then(|| (self.codes[n - 2].as_str(), self.codes[n - 1].as_str()))
    }
}

/// Whether a pattern spells out a negation before its verb ("- NOT *
/// RELATIONS", "- &NEGATVAUXVRB * OVER EFFORTS"): its code is the code of
/// the negated act, so the event it codes is asserted.
fn pattern_negates(dict: &Dictionaries, p: &crate::dict::Pattern) -> bool {
    let negation = |w: &str| w.split(' ').any(|x| NEGATIONS.contains(&x));
    p.before.iter().any(|i| match i {
        PatternItem::Word { word, .. } => negation(word),
        PatternItem::Set(name) => dict
            .synsets
            .get(name)
            .is_some_and(|ws| ws.iter().any(|m| m.iter().any(|w| negation(w)))),
        _ => false,
    })
}

/// A readable form of a pattern: `$ * (to +) aid` → `"$ * to + aid"`.
fn describe_pattern(p: &crate::dict::Pattern) -> String {
    let item = |i: &PatternItem| match i {
        PatternItem::Word { word, .. } => word.clone(),
        PatternItem::Set(s) => s.clone(),
        PatternItem::Source => "$".to_string(),
        PatternItem::Target => "+".to_string(),
    };
    let mut parts: Vec<String> = p.before.iter().map(item).collect();
    parts.push("*".to_string());
    parts.extend(p.after.iter().map(item));
    parts.join(" ")
}

/// The roles of one verb as the parse gives them.
#[derive(Debug, Default)]
struct TreeRoles {
    /// Source mentions (conjuncts fanned out).
    sources: Vec<usize>,
    /// Target mentions (conjuncts fanned out).
    targets: Vec<usize>,
    /// Whether the tree named the source (not a pattern marker or fallback).
    from_tree: bool,
    /// Whether the act is between the conjoined sources themselves ("their
    /// meeting", "met each other").
    reciprocal: bool,
}

/// The mentions joined to mention `m` by "and" (its linear group) or by a
/// `conj` relation in the tree. Conjuncts share what the phrase gives them:
/// a role ("the ambassadors of Arnor, Osgiliath and Gondor" are all
/// ambassadors) or a country ("Danish media and government"); such a
/// conjunct is added to `mentions` with its completed code.
fn fan_out(
    tree: &Tree<'_>,
    dict: &Dictionaries,
    mentions: &mut Vec<Mention>,
    m: usize,
    token: Option<usize>,
) -> Vec<usize> {
    let Some(base) = mentions.get(m).cloned() else {
        return Vec::new();
    };
    let mut out: Vec<usize> = mentions
        .iter()
        .enumerate()
        .filter(|(_, x)| x.group == base.group)
        .map(|(i, _)| i)
        .collect();
    let mut heads: Vec<usize> = (base.first..base.last).collect();
    if let Some(t) = token {
        heads.push(t);
    }
    for h in heads {
        for c in tree.conjuncts(h) {
            if let Some(x) = tree.mention_of(c, mentions) {
                if !out.contains(&x) {
                    out.push(x);
                }
            }
        }
    }
    let (base_country, base_sector) = split_code(&base.code, &dict.countries);
    for slot in out.iter_mut() {
        let Some(x) = mentions.get(*slot).cloned() else {
            continue;
        };
        if *slot == m {
            continue;
        }
        let (country, sector) = split_code(&x.code, &dict.countries);
        let code = match (&base.role, country, sector, &x.role, &base_country) {
            // "ambassadors of Arnor, Osgiliath …": the role goes to the bare country
            (Some(role), Some(_), None, _, _) if base_sector.is_some() => {
                Some(combine(&x.code, role, dict))
            }
            // "Danish media and government": the country goes to the bare role
            (_, None, _, Some(role), Some(c)) => Some(combine(c, role, dict)),
            _ => None,
        };
        if let Some(code) = code.filter(|c| *c != x.code) {
            mentions.push(Mention { code, ..x });
            *slot = mentions.len() - 1;
        }
    }
    out
}

/// Resolve a pronoun or "the two sides" at token `t` to mentions added to
/// `mentions`: the speaker of the reporting verb, an earlier subject in the
/// sentence, else the article's most recent actors.
fn resolve_reference(
    tree: &Tree<'_>,
    tokens: &[Token],
    mentions: &mut Vec<Mention>,
    antecedents: &Antecedents,
    verb: usize,
    t: usize,
) -> Option<usize> {
    let word = tokens.get(t)?.lower.as_str();
    let next_group = mentions.iter().map(|m| m.group).max().map_or(0, |g| g + 1);
    if word == "sides" || word == "parties" {
        let two = tree.children(t).iter().any(|&c| {
            matches!(
                tokens.get(c).map(|x| x.lower.as_str()),
                Some("two" | "both")
            )
        });
        let (a, b) = antecedents.last_two()?;
        if !two {
            return None;
        }
        let at = mentions.len();
        for code in [a, b] {
            mentions.push(Mention {
                first: t,
                last: t + 1,
                code: code.to_string(),
                group: next_group,
                role: None,
            });
        }
        return Some(at);
    }
    if !crate::syntax::PRONOUNS.contains(&word) {
        return None;
    }
    // "Iraq said it would allow …": the speaker
    let mut speaker = None;
    let mut v = verb;
    for _ in 0..6 {
        match tree.reporting_head(v) {
            Some(h) => {
                if let Some(st) = tree.subject(h) {
                    speaker = tree.mention_of(st, mentions);
                }
                if speaker.is_some() {
                    break;
                }
                v = h;
            }
            // "said it is prepared to impose": up through the complement
            // to the clause that is reported
            None if tree.infinitive(v) || tree.rel(v) == "advcl" => match tree.head(v) {
                Some(h) => v = h,
                None => break,
            },
            None => break,
        }
    }
    // else the nearest earlier subject in the sentence
    let earlier = || {
        (0..t).rev().find_map(|k| {
            (tree.rel(k) == "nsubj")
                .then(|| tree.mention_of(k, mentions))
                .flatten()
        })
    };
    let code = match speaker.or_else(earlier) {
        Some(m) => mentions.get(m)?.code.clone(),
        None => antecedents.last()?.to_string(),
    };
    mentions.push(Mention {
        first: t,
        last: t + 1,
        code,
        group: next_group,
        role: None,
    });
    Some(mentions.len() - 1)
}

/// Source and target of verb `v` from the parse, after a pattern has placed
/// what it could.
#[allow(clippy::too_many_arguments)]
fn tree_roles(
    tree: &Tree<'_>,
    dict: &Dictionaries,
    tokens: &[Token],
    mentions: &mut Vec<Mention>,
    antecedents: &Antecedents,
    v: &VerbHit,
    pm: &PatternMatch,
    fallback_source: Option<usize>,
    fallback_target: Option<usize>,
) -> TreeRoles {
    let vt = v.first;
    let mut roles = TreeRoles::default();
    let noun = tokens.get(vt).is_some_and(|t| t.upos == "NOUN");
    roles.reciprocal = tree.reciprocal(vt);

    let mention_for = |tok: usize, mentions: &mut Vec<Mention>| -> Option<usize> {
        tree.mention_of(tok, mentions)
            .or_else(|| resolve_reference(tree, tokens, mentions, antecedents, vt, tok))
    };
    let (mut src_tok, mut tgt_tok) = (None, None);
    let (mut source, mut target) = (pm.source, pm.target);
    if noun {
        // an event noun: "Taliban attacks on the army", "Russia's invasion
        // of Ukraine", "the attack by Osgiliath soldiers"
        for &c in tree.children(vt) {
            let rel = tree.full_rel(c);
            let case = tree.case_of(c);
            if source.is_none()
                && (matches!(rel, "nmod:poss" | "compound" | "amod") || case == Some("by"))
            {
                // "an official protest" is no actor: a modifier names the
                // source only when it names a country or a named actor
                let m = mention_for(c, mentions);
                let named = m.and_then(|i| mentions.get(i)).is_some_and(|x| {
                    x.code
                        .get(..3)
                        .is_some_and(|head| !crate::dict::ROLE_CODES.contains(&head))
                });
                if named || case == Some("by") || rel == "nmod:poss" {
                    source = m;
                    src_tok = Some(c);
                }
            } else if target.is_none()
                && rel.starts_with("nmod")
                && matches!(
                    case,
                    Some("against" | "on" | "of" | "with" | "into" | "at" | "to")
                )
            {
                target = mention_for(c, mentions);
                tgt_tok = Some(c);
            }
        }
        // "Gondor held talks with Mordor": the light verb's subject acts
        if source.is_none() && tree.rel(vt) == "obj" {
            if let Some(st) = tree.head(vt).and_then(|h| tree.subject(h)) {
                source = mention_for(st, mentions);
                src_tok = Some(st);
            }
        }
        // "technical teams will continue negotiations … with the two sides":
        // a subject that names no actor, and a comitative that names both
        // parties; the talks are between them
        if source.is_none() && tree.rel(vt) == "obj" {
            let light = tree.head(vt);
            let both = light
                .into_iter()
                .chain(std::iter::once(vt))
                .flat_map(|h| tree.children(h).iter().copied())
                .find(|&c| tree.case_of(c) == Some("with") && tree.both_parties(c));
            if let Some(c) = both {
                source = mention_for(c, mentions);
                src_tok = Some(c);
                roles.reciprocal = source.is_some();
            }
        }
        if target.is_none() && tree.rel(vt) == "obj" {
            if let Some(h) = tree.head(vt) {
                for o in tree.objects(h) {
                    let m = mention_for(o, mentions);
                    if o != vt && m.is_some() && m != source {
                        target = m;
                        tgt_tok = Some(o);
                        break;
                    }
                }
            }
        }
        if target.is_none() {
            target = fallback_target.filter(|t| Some(*t) != source);
        }
        roles.from_tree = source.is_some();
    } else if tree.passive(vt) {
        let subject = tree.subject(vt);
        // an agent that names no actor ("killed by an improvised explosive
        // device") leaves the doer unknown, as if there were no agent
        let agent = tree.agent(vt).and_then(|a| {
            let m = mention_for(a, mentions);
            (m.is_some() || source.is_some()).then_some((a, m))
        });
        match agent {
            Some((a, m)) => {
                if source.is_none() {
                    source = m;
                    src_tok = Some(a);
                }
                if target.is_none() {
                    if let Some(st) = subject {
                        target = mention_for(st, mentions);
                        tgt_tok = Some(st);
                    }
                }
                roles.from_tree = source.is_some();
            }
            // "two soldiers were killed": the sentence does not say who did
            // it. The act is coded with the unknown actor `---` (at the verb,
            // with no words) when the sufferer is a known actor
            None => {
                if source.is_none() {
                    let victim = subject.and_then(|st| mention_for(st, mentions));
                    let Some(vi) = victim else {
                        return roles;
                    };
                    let group = mentions.iter().map(|m| m.group).max().map_or(0, |g| g + 1);
                    mentions.push(Mention {
                        first: vt,
                        last: vt,
                        code: "---".to_string(),
                        group,
                        role: None,
                    });
                    source = Some(mentions.len() - 1);
                    target = target.or(Some(vi));
                    tgt_tok = subject;
                }
            }
        }
    } else {
        // the abstract noun a participle modifies, when no actor names it
        // ("the election, … pushed to July"): no doer, none to guess
        // the word-order subject is no fallback when the parse makes it the
        // speaker of a reporting verb ("Escalating violence, UNAMA said, led
        // to …"): who reports an act is not who did it
        let fallback_source = fallback_source.filter(|&f| {
            mentions.get(f).is_none_or(|m| {
                !(m.first..m.last).any(|x| {
                    tree.rel(x) == "nsubj"
                        && tree.head(x).is_some_and(|h| {
                            h != vt
                                && tokens
                                    .get(h)
                                    .is_some_and(|t| SPEECH.contains(&t.lower.as_str()))
                        })
                })
            })
        });
        let done_to = tree
            .participle_of_abstract(vt)
            .filter(|&n| !mentions.iter().any(|m| m.first <= n && n < m.last));
        if source.is_none() && done_to.is_none() {
            match tree.subject(vt) {
                Some(st) => {
                    for cand in std::iter::once(st).chain(tree.co_subjects(st)) {
                        source = mention_for(cand, mentions);
                        if source.is_some() {
                            src_tok = Some(cand);
                            break;
                        }
                    }
                    roles.from_tree = source.is_some();
                }
                // no subject in the parse (often a parse error): the actor
                // before the verb, as the linear coder reads it
                None => source = fallback_source,
            }
            // a subject the parser found but that names no actor and is no
            // noun ("despite" read as a noun) is a parse error too
            if source.is_none() {
                let nominal = src_tok.or_else(|| tree.subject(vt)).is_some_and(|t| {
                    tokens.get(t).is_some_and(|x| {
                        matches!(x.upos.as_str(), "NOUN" | "PROPN" | "PRON" | "NUM")
                            && !crate::syntax::PREPOSITION_LIKE.contains(&x.lower.as_str())
                    })
                });
                if !nominal {
                    source = fallback_source;
                }
            }
        }
        if target.is_none() {
            for o in tree.objects(vt) {
                let m = mention_for(o, mentions);
                if m.is_some() && m != source {
                    target = m;
                    tgt_tok = Some(o);
                    break;
                }
            }
        }
        // else any actor further down the verb's own clause ("criticized
        // the closure of guest houses in Bree"), then the subject of a
        // reported clause ("believes Dagolath can cope")
        if target.is_none() {
            let src_head = src_tok;
            let found = mentions.iter().enumerate().find(|(i, m)| {
                let head = m.last.saturating_sub(1);
                Some(*i) != source
                    && m.first > vt
                    && tree.dominated_by(head, vt)
                    // not inside the subject's phrase (unless the verb itself
                    // modifies the subject: "the parliament, which threatened …")
                    && !src_head.is_some_and(|s| {
                        tree.dominated_by(head, s) && !tree.dominated_by(vt, s)
                    })
                    && !tree.in_own_clause(head, vt)
            });
            if let Some((i, m)) = found {
                target = Some(i);
                tgt_tok = Some(m.last.saturating_sub(1));
            } else if let Some(rs) = tree.reported_subject(vt) {
                target = mention_for(rs, mentions).filter(|m| Some(*m) != source);
                tgt_tok = Some(rs);
            }
        }
        // the parse found no target: the first actor after the verb in its
        // clause, as the linear coder reads it
        if target.is_none() {
            target = fallback_target.filter(|t| Some(*t) != source);
        }
    }
    let Some(si) = source else {
        // no known source: the target still stands, for the unknown actor
        // the caller may find ("Thousands of Kurds blocked the road to …")
        if let Some(ti) = target {
            roles.targets = fan_out(tree, dict, mentions, ti, tgt_tok);
        }
        return roles;
    };
    roles.sources = fan_out(tree, dict, mentions, si, src_tok);
    if let Some(ti) = target {
        let same_group = mentions.get(ti).map(|m| m.group) == mentions.get(si).map(|m| m.group);
        if !same_group {
            roles.targets = fan_out(tree, dict, mentions, ti, tgt_tok);
            roles.targets.retain(|t| !roles.sources.contains(t));
        }
    }
    roles
}

/// Verbs that carry little meaning of their own and take the event from
/// their object: "held talks", "launched an attack", "issued a warning".
const LIGHT_VERBS: [&str; 25] = [
    "hold",
    "keep",
    "extend",
    "tighten",
    "renew",
    "resume",
    "begin",
    "start",
    "conduct",
    "undertake",
    "launch",
    "carry",
    "make",
    "issue",
    "stage",
    "continue",
    "open",
    "mount",
    "wage",
    "deliver",
    "lodge",
    "file",
    "express",
    "voice",
    "reach",
];

/// Derivational endings of event nouns and the verb endings they come
/// from: "negotiation" ← "negotiate", "agreement" ← "agree", "withdrawal"
/// ← "withdraw", "invasion" ← "invade", "criticism" ← "criticize".
const NOUN_TO_VERB: [(&str, &str); 16] = [
    ("ation", "ate"),
    ("ation", ""),
    ("ation", "e"),
    ("ition", "ish"),
    ("sion", "de"),
    ("ion", "e"),
    ("ion", ""),
    ("ment", ""),
    ("ial", "y"),
    ("al", "e"),
    ("al", ""),
    ("ance", ""),
    ("ence", "e"),
    ("ure", "e"),
    ("ism", "ize"),
    ("ing", ""),
];

/// The dictionary verb form an event noun names: the noun itself when the
/// dictionary lists it as a verb ("attack", "visit", "appeal"), else the
/// verb it is derived from by a regular ending.
fn event_noun(dict: &Dictionaries, tree: &Tree<'_>, tokens: &[Token], at: usize) -> Option<usize> {
    let tok = tokens.get(at)?;
    // a compound the dictionary lists as a whole ("hunger strike") before
    // its head noun alone
    if let Some(before) = at.checked_sub(1).filter(|&b| tree.rel(b) == "compound") {
        let pair = tokens
            .get(before)
            .map(|b| [b.lower.as_str(), tok.lower.as_str()]);
        if let Some((form, 2)) = pair.and_then(|p| dict.verb_phrases.longest_at(&p, 0)) {
            return Some(form as usize);
        }
    }
    let base = if tok.lemma.is_empty() {
        tok.lower.as_str()
    } else {
        tok.lemma.as_str()
    };
    let base = base.to_lowercase();
    let lookup = |w: &str| -> Option<usize> {
        let (form, n) = dict.verb_phrases.longest_at(&[w], 0)?;
        let f = dict.forms.get(form as usize)?;
        (n == 1 && f.kind == 'b').then_some(form as usize)
    };
    if let Some(f) = lookup(&base) {
        return Some(f);
    }
    for (noun_end, verb_end) in NOUN_TO_VERB {
        if let Some(stem) = base.strip_suffix(noun_end) {
            if stem.len() < 3 {
                continue;
            }
            let cand = format!("{stem}{verb_end}");
            if let Some(f) = lookup(&cand) {
                return Some(f);
            }
            // "shelling" ← "shell", "stabbing" ← "stab"
            let mut chars = stem.chars();
            if let (Some(a), Some(b)) = (chars.next_back(), chars.next_back()) {
                if a == b && verb_end.is_empty() {
                    if let Some(f) = lookup(&stem[..stem.len() - a.len_utf8()]) {
                        return Some(f);
                    }
                }
            }
        }
    }
    None
}

/// Whether a token is the noun object of a light verb ("held talks").
fn light_object(tree: &Tree<'_>, tokens: &[Token], at: usize) -> bool {
    tokens.get(at).is_some_and(|t| t.upos == "NOUN")
        && tree.rel(at) == "obj"
        && tree
            .head(at)
            .and_then(|h| tokens.get(h))
            .is_some_and(|h| LIGHT_VERBS.contains(&h.lemma.as_str()))
}

/// Where a light verb ("undertook", "staged") has an event noun as its
/// object ("mediation", "a protest"), the noun carries the event: its hit is
/// added when the dictionary does not know the verb (a verb it knows keeps
/// its own patterns, such as "hold * meeting").
fn light_verb_events(
    dict: &Dictionaries,
    tree: &Tree<'_>,
    tokens: &[Token],
    verbs: &mut Vec<VerbHit>,
) {
    for (i, tok) in tokens.iter().enumerate() {
        if tok.upos != "VERB" || !LIGHT_VERBS.contains(&tok.lemma.as_str()) {
            continue;
        }
        let Some(o) = tree
            .children(i)
            .iter()
            .copied()
            .find(|&c| tree.rel(c) == "obj" && tokens.get(c).is_some_and(|t| t.upos == "NOUN"))
        else {
            continue;
        };
        let Some(form) = event_noun(dict, tree, tokens, o) else {
            continue;
        };
        if verbs.iter().any(|v| v.first <= o && o < v.last) {
            continue;
        }
        // a light verb in the dictionary keeps its patterns ("hold *
        // meeting"): where it codes, the noun, its object, is part of its
        // event; where it codes nothing ("continued their hunger strike"),
        // and where the dictionary lacks it, the noun carries the event
        verbs.push(VerbHit {
            first: o,
            last: o + 1,
            form,
        });
    }
    verbs.sort_by_key(|v| v.first);
}

/// Common nouns for people, groups and bodies of people that no agent
/// suffix marks.
const PEOPLE_NOUNS: [&str; 44] = [
    "people",
    "persons",
    "person",
    "men",
    "man",
    "women",
    "woman",
    "youths",
    "youth",
    "children",
    "child",
    "crowd",
    "crowds",
    "mob",
    "mobs",
    "group",
    "groups",
    "militia",
    "militias",
    "family",
    "families",
    "agency",
    "agencies",
    "party",
    "parties",
    "committee",
    "committees",
    "council",
    "councils",
    "union",
    "unions",
    "association",
    "forum",
    "front",
    "alliance",
    "company",
    "companies",
    "firm",
    "firms",
    "coalition",
    "board",
    "team",
    "network",
    "clan",
];

/// Nouns for acts that the verb dictionary does not list: as a subject
/// ("a coup toppled …") they name an act whose doer the text leaves unsaid.
const ACT_NOUNS: [&str; 4] = ["coup", "uprising", "mutiny", "insurgency"];

/// Endings of nouns that name people by what they do or where they are
/// from: "herders", "doctors", "activists", "Palestinians", "militants",
/// "residents", "refugees", "gunmen", "missionary".
const PEOPLE_ENDINGS: [&str; 14] = [
    "er", "ers", "or", "ors", "ist", "ists", "ian", "ians", "ant", "ants", "ent", "ents", "ees",
    "men",
];

/// Whether a common noun can name people or a group of them: a word for
/// people, an agent or origin ending, or a capitalised word ("Kurds",
/// "Turks"). "the plan", "the measures", "million dollars" cannot, and a
/// verb with such a subject has no doer.
fn names_people(tok: &Token) -> bool {
    let w = tok.lower.as_str();
    PEOPLE_NOUNS.contains(&w)
        || PEOPLE_ENDINGS
            .iter()
            .any(|e| w.len() > e.len() + 2 && w.ends_with(e))
        || w.ends_with("ary")
        || tok.norm.chars().next().is_some_and(char::is_uppercase)
}

/// Endings of abstract and event nouns, which name no actor.
pub(crate) const ABSTRACT_ENDINGS: [&str; 11] = [
    "ing", "ment", "tion", "sion", "ance", "ence", "ity", "ness", "ism", "ure", "ship",
];

/// A mention for a subject no dictionary names: the subject's noun with
/// its modifiers before it ("ethnic Turks", "Palestinian youths"), coded
/// `---`. Only a noun that can name people counts: not a pronoun, an
/// abstract or event noun, or a word the tagger mistook for a noun.
fn unknown_subject(
    dict: &Dictionaries,
    tree: &Tree<'_>,
    tokens: &[Token],
    entities: &[pulse_nlp::Entity],
    verb: usize,
    mentions: &[Mention],
) -> Option<Mention> {
    let mut st = tree.subject(verb)?;
    // "thousands of Kurds": the people after "of" are the actor
    if tokens
        .get(st)
        .is_some_and(|t| QUANTITY_HEADS.contains(&t.lower.as_str()) || t.upos == "NUM")
    {
        if let Some(&of) = tree
            .children(st)
            .iter()
            .find(|&&c| tree.rel(c) == "nmod" && tree.case_of(c) == Some("of"))
        {
            st = of;
        }
    }
    let tok = tokens.get(st)?;
    // people and groups ("Turks", "youths", "a missionary"), not abstract
    // or event nouns ("the agreement would …", "the negotiating has …")
    // an act named as the subject ("a roadside bombing killed …", "an
    // attempt to assassinate … was thwarted") has a doer the text does not
    // name; a thing ("the plan", "million dollars") has none
    // (acts of force or protest only: "the plan", "the measures" are verbs'
    // nouns too, but name no act anyone did)
    let forceful = |form: usize| {
        let f = dict.forms.get(form);
        f.and_then(|f| f.code.clone())
            .or_else(|| f.and_then(|f| dict.blocks.get(f.block)?.code.clone()))
            .and_then(|c| c.forward)
            .is_some_and(|c| ("14".."21").contains(&c.get(..2).unwrap_or("")))
    };
    let act = tok.upos == "NOUN"
        && (event_noun(dict, tree, tokens, st).is_some_and(forceful)
            || ACT_NOUNS.contains(&tok.lower.as_str()));
    let abstract_noun = ABSTRACT_ENDINGS.iter().any(|e| tok.lower.ends_with(e));
    if !matches!(tok.upos.as_str(), "NOUN" | "PROPN")
        || (tok.upos == "NOUN" && !act && (abstract_noun || !names_people(tok)))
        || crate::syntax::PREPOSITION_LIKE.contains(&tok.lower.as_str())
        || mentions.iter().any(|m| m.first <= st && st < m.last)
    {
        return None;
    }
    // a name the entity tagger marks is the actor as a whole ("Mohamed
    // Salah"); a place it marks is no actor
    if let Some(e) = entities.iter().find(|e| e.start <= st && st < e.end) {
        if e.kind == "LOC" {
            return None;
        }
        let group = mentions.iter().map(|m| m.group).max().map_or(0, |g| g + 1);
        return Some(Mention {
            first: e.start,
            last: e.end,
            code: "---".to_string(),
            group,
            role: None,
        });
    }
    // the noun's own modifiers to its left
    let mut first = st;
    while first > 0
        && tree.head(first - 1) == Some(st)
        && matches!(tree.rel(first - 1), "amod" | "compound" | "nummod" | "det")
    {
        first -= 1;
    }
    while tokens.get(first).is_some_and(|t| t.upos == "DET") && first < st {
        first += 1;
    }
    let group = mentions.iter().map(|m| m.group).max().map_or(0, |g| g + 1);
    Some(Mention {
        first,
        last: st + 1,
        code: "---".to_string(),
        group,
        role: None,
    })
}

/// Whether verb `v` is the complement or the nominal argument of a verb
/// that was coded: "refused to negotiate" is one refusal, "condemned an
/// attack" one condemnation.
fn governed_by_coded(tree: &Tree<'_>, verbs: &[VerbHit], coded: &[bool], v: &VerbHit) -> bool {
    let Some(h) = tree.head(v.first) else {
        return false;
    };
    let rel = tree.rel(v.first);
    // (an event noun as the subject, "riots … are continuing", is the
    // event itself and is coded)
    if !(tree.infinitive(v.first) || matches!(rel, "obj" | "obl" | "nmod")) {
        return false;
    }
    verbs
        .iter()
        .zip(coded)
        .any(|(w, &c)| c && w.first <= h && h < w.last)
}

/// Code one sentence: with its parse when it has one, else with word order
/// (the linear coder).
#[allow(clippy::too_many_arguments)]
fn code_sentence(
    dict: &Dictionaries,
    doc: &Doc,
    s: &Sentence,
    ctx: ArticleContext<'_>,
    date: Option<u32>,
    antecedents: &mut Antecedents,
    explain: &mut Explain,
    out: &mut Vec<Event>,
) {
    let si = s.index;
    // a "sentence" this long, or a piece of a longer run the splitter cut,
    // is a table, a list or markup gone wrong, not prose: coding it would
    // cost time and give noise
    if s.cut || s.tokens.len() > MAX_SENTENCE_TOKENS {
        explain.note(si, || {
            "too long (or a piece of a run-on text): not coded".to_string()
        });
        tracing::debug!(
            sentence = s.index,
            tokens = s.tokens.len(),
            "sentence too long to code"
        );
        return;
    }
    let lower: Vec<&str> = s.tokens.iter().map(|t| t.lower.as_str()).collect();
    if (0..lower.len()).any(|i| dict.sentence_discards.longest_at(&lower, i).is_some()) {
        explain.note(si, || "a sentence discard phrase: not coded".to_string());
        return;
    }
    let mut mentions = find_mentions(dict, &s.tokens, date);
    drop_states_inside_people(dict, &s.entities, &mut mentions);
    explain.note(si, || {
        let words = |m: &Mention| {
            lower
                .get(m.first..m.last)
                .map_or(String::new(), |w| w.join(" "))
        };
        let list: Vec<String> = mentions
            .iter()
            .map(|m| format!("{} = {}", words(m), m.code))
            .collect();
        format!(
            "actors: {}",
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join(", ")
            }
        )
    });
    let tree = Tree::new(&s.tokens);
    if mentions.is_empty() && (tree.is_none() || antecedents.last().is_none()) {
        return;
    }
    let first_event = out.len();
    let present = words_present(&lower);
    // the dates the time stage found in this sentence, as token ranges, with
    // values precise enough to date an event by (not "PAST_REF" or "XXXX")
    let sentence_dates: Vec<(usize, usize, String)> = ctx
        .dates
        .iter()
        .filter(|d| d.sentence == s.index && datable(&d.value))
        .filter_map(|d| {
            let first = s.tokens.iter().position(|t| t.end > d.start)?;
            let last = s.tokens.iter().rposition(|t| t.start < d.end)? + 1;
            (first < last).then(|| (first, last, d.value.clone()))
        })
        .collect();
    let mut verbs = find_verbs(dict, &lower, &s.tokens, &mentions);
    if let Some(t) = &tree {
        light_verb_events(dict, t, &s.tokens, &mut verbs);
    }
    tracing::debug!(sentence = s.index, ?mentions, "actors");
    // whether each verb carried a code: only a coded verb absorbs its
    // infinitive complement ("used tear gas to disperse" still codes 'disperse')
    let mut coded = vec![false; verbs.len()];
    // verbs whose refusal ("refused to negotiate") was handed to them by the
    // refusing verb: coded as the rejection of their own act
    let mut refused = vec![false; verbs.len()];
    // with a parse, verbs are coded from the top of the tree down: a main
    // verb before the clauses it governs, so its event comes first and its
    // complements know it was coded
    let mut order: Vec<usize> = (0..verbs.len()).collect();
    if let Some(t) = &tree {
        order.sort_by_key(|&k| (verbs.get(k).map_or(0, |v| t.depth(v.first)), k));
    }
    for k in order {
        let Some(v) = verbs.get(k) else { continue };
        let reported = reporting_verb(&lower, &verbs, v).is_some();
        let mut mode = match &tree {
            // an event noun a light verb carries has the verb's mode ("will
            // tighten the blockade", "did not hold talks")
            Some(t) if light_object(t, &s.tokens, v.first) => {
                t.head(v.first).and_then(|h| t.mode(h))
            }
            Some(t) => t.mode(v.first),
            None if negated(&lower, v) => Some(Mode::Negated),
            None if hypothetical(&lower, v) && !reported_would(&lower, v, reported) => {
                Some(Mode::Hypothetical)
            }
            None => None,
        };
        // "Iraq said it would allow": the reported form of "will"
        if let (Some(t), Some(Mode::Hypothetical)) = (&tree, mode) {
            if t.reporting_head(v.first).is_some() && reported_would(&lower, v, true) {
                mode = Some(Mode::Future);
            }
        }
        // "refused to negotiate", "urged them to boycott": the second verb is
        // the content of the first one's event, not an event of its own
        let complement = match &tree {
            Some(t) => governed_by_coded(t, &verbs, &coded, v),
            None => is_complement(&lower, &verbs, k) && k > 0 && coded.get(k - 1) == Some(&true),
        };
        let word = lower.get(v.first).copied().unwrap_or("");
        if complement {
            if let Some(c) = coded.get_mut(k) {
                *c = true;
            }
            explain.note(si, || {
                format!("{word:?}: the complement of a coded verb, part of that event")
            });
            continue;
        }
        let Some(form) = dict.forms.get(v.form) else {
            continue;
        };
        // "according to": a preposition the parse marks as fixed, no verb
        if tree.as_ref().is_some_and(|t| t.fixed(v.first)) {
            explain.note(si, || {
                format!("{word:?}: part of a fixed expression, no verb")
            });
            continue;
        }
        let limit = clause_end(&lower, v.last);
        // a pattern does not reach past the next finite verb ("said the
        // government would cut aid": "aid" belongs to "cut", not "said");
        // an infinitive ("urged them to resign") is still in reach
        // (an event noun is no verb: "began a hunger strike" still reaches
        // the start block's "* {hunger strike}")
        let pattern_limit = verbs
            .iter()
            .find(|w| {
                w.first >= v.last
                    && !(w.first > 0 && lower.get(w.first - 1) == Some(&"to"))
                    && s.tokens.get(w.first).is_none_or(|t| t.upos != "NOUN")
            })
            .map_or(limit, |w| w.first.min(limit));
        let scope = Scope {
            dict,
            lower: &lower,
            present: &present,
            mentions: &mentions,
            verb: v,
            limit: pattern_limit,
        };
        let block = dict.blocks.get(form.block);
        let block_name = block.map_or("", |b| b.name.as_str());
        // "called the election a sham": "call" with an object and a
        // predicate noun names or judges the object; it is a statement
        // (010), neither a telephone call nor a call for elections
        let naming = block_name == "call" && tree.as_ref().is_some_and(|t| t.naming(v.first));
        let pattern = if naming {
            Some((
                VerbCode {
                    forward: Some("010".to_string()),
                    reverse: None,
                },
                PatternMatch::default(),
                "* object predicate (naming)".to_string(),
            ))
        } else {
            best_pattern(&scope, form.block)
        };
        let (code, pm, pattern_text) = match pattern {
            Some((c, m, p)) => (Some(c), m, format!("{block_name}: {p}")),
            None => (
                form.code
                    .clone()
                    .or_else(|| block.and_then(|b| b.code.clone())),
                PatternMatch::default(),
                format!("{block_name}: *"),
            ),
        };
        tracing::debug!(
            verb = lower.get(v.first).copied().unwrap_or(""),
            block = block_name,
            ?code,
            ?pm,
            ?mode,
            "verb"
        );
        explain.note(si, || {
            let all = matching_patterns(&scope, form.block);
            let chosen = match &code {
                Some(c) if !c.is_null() => format!(
                    "code {}",
                    c.forward.as_deref().or(c.reverse.as_deref()).unwrap_or("-")
                ),
                Some(_) => "no event (the dictionary says so)".to_string(),
                None => "no code (the verb codes only with a pattern)".to_string(),
            };
            let how = if all.is_empty() {
                "no pattern matched, the verb's own code".to_string()
            } else {
                let mut t = format!("pattern {}", all[0]);
                if all.len() > 1 {
                    t.push_str(&format!(
                        "; lighter patterns that also matched: {}",
                        all[1..].join("; ")
                    ));
                }
                t
            };
            format!(
                "{word:?} (verb block {block_name}, mode {}): {chosen}; {how}",
                mode.map_or("asserted", Mode::as_str)
            )
        });
        let Some(mut code) = code else { continue };
        if code.is_null() {
            continue;
        }
        let specific = !pattern_text.ends_with(": *");
        // "refused to negotiate": a bare rejection whose infinitive names
        // the act refused hands the coding to that act, which is coded as
        // the rejection of it (CAMEO 125 for talks, 121 for material help…)
        if !specific && code.forward.as_deref().is_some_and(|c| c.starts_with("12")) {
            // only an act of cooperation the dictionary codes by itself:
            // its rejection is a code of its own
            let rejectable = |w: &VerbHit| {
                let form = dict.forms.get(w.form);
                form.and_then(|f| f.code.clone())
                    .or_else(|| form.and_then(|f| dict.blocks.get(f.block)?.code.clone()))
                    .and_then(|c| c.forward)
                    .is_some_and(|c| rejection_code(&c).is_some())
            };
            let complement = tree.as_ref().and_then(|t| {
                verbs.iter().position(|w| {
                    w.first > v.first
                        && t.infinitive(w.first)
                        && t.head(w.first).is_some_and(|h| v.first <= h && h < v.last)
                        && rejectable(w)
                })
            });
            if let Some(c) = complement.and_then(|c| refused.get_mut(c)) {
                *c = true;
                explain.note(si, || {
                    format!("{word:?}: a refusal; the act refused is coded as its rejection")
                });
                continue;
            }
        }
        let (pattern_text, mode) = if refused.get(k) == Some(&true) {
            code = VerbCode {
                forward: Some(
                    code.forward
                        .as_deref()
                        .and_then(rejection_code)
                        .unwrap_or("120")
                        .to_string(),
                ),
                reverse: None,
            };
            (format!("refusal of {pattern_text}"), mode)
        } else {
            (pattern_text, mode)
        };
        let mut mode = mode;
        if let Some(c) = coded.get_mut(k) {
            *c = true;
        }
        if pattern_text.ends_with("(negation in pattern)") && mode == Some(Mode::Negated) {
            mode = None;
        }
        // "will not accept", "refused to meet" in all but name: a negated act
        // of cooperation is a rejection (CAMEO 12), which did happen; a
        // negated act of conflict ("did not attack") stays not coded
        if mode == Some(Mode::Negated) {
            if let Some(reject) = code.forward.as_deref().and_then(rejection_code) {
                code = VerbCode {
                    forward: Some(reject.to_string()),
                    reverse: None,
                };
                mode = None;
            }
        }
        // the parse is used where it reads the verb as a clause head (or
        // the word as an event noun); where it does not, the parse is
        // likely wrong there and word order decides
        let usable = tree.as_ref().filter(|t| {
            let noun = s.tokens.get(v.first).is_some_and(|x| x.upos == "NOUN");
            noun || t.clause_head(v.first)
        });
        let (sources, targets, from_tree, reciprocal) = match usable {
            Some(t) => {
                let fallback = subject_before(&lower, &mentions, &verbs, v.first);
                let fallback_target = object_after(&lower, &mentions, v.last, limit);
                let roles = tree_roles(
                    t,
                    dict,
                    &s.tokens,
                    &mut mentions,
                    antecedents,
                    v,
                    &pm,
                    fallback,
                    fallback_target,
                );
                (
                    roles.sources,
                    roles.targets,
                    roles.from_tree,
                    roles.reciprocal,
                )
            }
            None => {
                let Some((src, tgt)) = linear_roles(&lower, &mentions, &verbs, v, &pm, limit)
                else {
                    continue;
                };
                (src, tgt, false, false)
            }
        };
        // "Up to 1,000 ethnic Turks began a hunger strike": the parse names
        // a subject the dictionaries do not know. The act is still coded,
        // with the unknown actor `---` (PETRARCH's null actor) and the words
        // of the subject, so that what happened is not lost
        let sources = match (&usable, sources.is_empty()) {
            (Some(t), true) if !t.passive(v.first) => {
                // an actor right next to the subject word is the subject
                // misparsed ("NATO-member Norway" read as "member" + apposition)
                let beside = t.subject(v.first).and_then(|st| {
                    mentions
                        .iter()
                        .position(|m| m.last <= v.first && (m.last == st || m.first == st + 1))
                });
                match beside {
                    Some(m) => vec![m],
                    None => {
                        match unknown_subject(dict, t, &s.tokens, &s.entities, v.first, &mentions) {
                            Some(m) => {
                                mentions.push(m);
                                vec![mentions.len() - 1]
                            }
                            None => {
                                explain.note(si, || {
                                    format!("{word:?}: no source (the subject names no one)")
                                });
                                continue;
                            }
                        }
                    }
                }
            }
            (_, true) => {
                explain.note(si, || format!("{word:?}: no source actor found"));
                continue;
            }
            _ => sources,
        };
        let mut target_override = None;
        // "will send aid", "is ready to meet": an announced act is CAMEO's
        // intent (03) or threat (13), not the act itself
        // … and so is an act that "may" happen "if" or "unless" something
        // else does: the conditional threat or offer CAMEO codes as 13x/03x
        let announced = match &tree {
            Some(t) => {
                mode == Some(Mode::Future)
                    || (mode == Some(Mode::Hypothetical) && t.conditioned(v.first))
            }
            None => intent_marked(&lower, v, reported),
        };
        if announced {
            mode = Some(Mode::Future);
            code = VerbCode {
                forward: code.forward.as_deref().and_then(intent_code),
                reverse: None,
            };
        }
        // "X said that Y must …": a statement that demands (CAMEO 10) of Y
        if code.forward.as_deref() == Some("010") {
            if let Some(ti) = demanded_of(&lower, &mentions, v, limit) {
                code.forward = Some("100".to_string());
                target_override = Some(ti);
            }
        }
        let targets: Vec<Option<usize>> = match target_override {
            Some(t) => vec![Some(t)],
            None if targets.is_empty() => vec![None],
            None => targets.into_iter().map(Some).collect(),
        };
        let confidence: f64 = 0.45
            + if specific { 0.25 } else { 0.0 }
            + if from_tree { 0.15 } else { 0.0 }
            + if targets.iter().any(Option::is_some) {
                0.1
            } else {
                0.0
            };
        // the date the text gives the act: a date attached to the verb,
        // else a year on it ("in 2001"), else the sentence's one date
        let year = tree
            .as_ref()
            .and_then(|t| t.year_of(v.first))
            .filter(|y| ctx.published.is_none_or(|p| !p.starts_with(y.as_str())));
        // a date dates the acts of its own clause and the clauses under it
        // ("told the AP on Tuesday that the sides have agreed"), not the
        // verb a clause of it hangs on ("says casualties spiked in July":
        // July dates the spiking, not the saying); of several, the one whose
        // clause is closest to the verb. Without a parse, the sentence's
        // one date.
        let text_date = match &tree {
            Some(t) => sentence_dates
                .iter()
                .filter_map(|(first, last, value)| {
                    let g = date_clause(t, &s.tokens, *first, *last)?;
                    let under = g == v.first || t.dominated_by(v.first, g);
                    under.then(|| (t.depth(g), value))
                })
                .max_by_key(|(depth, _)| *depth)
                .map(|(_, value)| value.clone()),
            None => match sentence_dates.as_slice() {
                [(_, _, value)] => Some(value.clone()),
                _ => None,
            },
        };
        let how = How {
            date: year.or(text_date),
            mode,
            pattern: pattern_text,
            // two decimals: a score, not a measurement
            confidence: (confidence.min(0.95) * 100.0).round() / 100.0,
        };
        // "Gondor and Osgiliath renewed ties": with no other party named, a
        // cooperative act of conjoined actors is between them
        let mutual = sources.len() >= 2
            && (reciprocal
                || (targets == [None]
                    && code
                        .forward
                        .as_deref()
                        .and_then(|c| c.get(..2))
                        .is_some_and(|r| r < "09")));
        for &si in &sources {
            let Some(src) = mentions.get(si) else {
                continue;
            };
            if how.mode.is_none() {
                antecedents.remember(&src.code);
            }
            let each: Vec<Option<usize>> = if mutual {
                sources
                    .iter()
                    .filter(|&&o| o != si)
                    .map(|&o| Some(o))
                    .collect()
            } else {
                targets.clone()
            };
            for tgt in each {
                let tgt_m = tgt.and_then(|t| mentions.get(t));
                if let Some(fwd) = &code.forward {
                    push_event(dict, doc, s, ctx, fwd, src, tgt_m, v, &how, out);
                }
                // (the reverse act has the unknown actor as its target when
                // the source is unknown: it says nothing and is left out)
                if let (Some(rev), Some(t)) = (&code.reverse, tgt_m) {
                    if src.code != "---" {
                        push_event(dict, doc, s, ctx, rev, t, Some(src), v, &how, out);
                    }
                }
            }
        }
    }
    // "…, a senior official said": an unnamed speaker with no country who
    // attributes another event of the sentence is the report's source, not
    // an actor in it
    let attribution = |e: &Event| {
        e.source.country.is_none() && SPEECH.contains(&e.spans.verb.text.to_lowercase().as_str())
    };
    let mine = out.get(first_event..).unwrap_or(&[]);
    if mine.iter().any(|e| !attribution(e)) && mine.iter().any(attribution) {
        let kept: Vec<Event> = out
            .drain(first_event..)
            .filter(|e| !attribution(e))
            .collect();
        out.extend(kept);
    }
    if let Some(mine) = out.get_mut(first_event..) {
        countries_from_context(dict, &s.tokens, &mentions, mine);
        // the last two parties that acted on each other are what "the two
        // sides" later stands for (statements and appeals, addressed to an
        // audience, and visits, whose target is a host place, name no sides)
        let pair = mine.iter().rev().find_map(|e| {
            let t = e.target.as_ref()?;
            let named = |c: &str| !c.is_empty() && c != "---";
            (named(&e.source.code)
                && named(&t.code)
                && e.source.code != t.code
                && !matches!(e.root.as_str(), "01" | "02")
                && !matches!(e.cameo.as_str(), "042" | "043"))
            .then(|| (e.source.code.clone(), t.code.clone()))
        });
        if pair.is_some() {
            antecedents.pair = pair;
        }
    }
    // actors named in the sentence are what later pronouns may point to
    for m in &mentions {
        if tree
            .as_ref()
            .is_some_and(|t| (m.first..m.last).any(|x| t.rel(x) == "nsubj"))
        {
            antecedents.remember(&m.code);
        }
    }
}

/// Source and target mentions of a verb by word order (no parse): the
/// pattern's markers, a passive's agent, the speaker of reported speech,
/// the subject before and the object after. `None` when no source is found.
fn linear_roles(
    lower: &[&str],
    mentions: &[Mention],
    verbs: &[VerbHit],
    v: &VerbHit,
    pm: &PatternMatch,
    limit: usize,
) -> Option<(Vec<usize>, Vec<usize>)> {
    let (mut source, mut target) = (pm.source, pm.target);
    if passive(lower, v) {
        match passive_agent(lower, mentions, v, limit) {
            Some(agent) => {
                source = source.or(Some(agent));
                target = target.or_else(|| subject_before(lower, mentions, verbs, v.first));
            }
            None if source.is_none() => return None,
            None => {}
        }
    }
    let si = source
        .or_else(|| speaker_as_subject(lower, mentions, verbs, v))
        .or_else(|| subject_before(lower, mentions, verbs, v.first))?;
    let target = target.or_else(|| object_after(lower, mentions, v.last, limit));
    let group_of = |i: usize| -> Vec<usize> {
        let g = mentions.get(i).map_or(usize::MAX, |m| m.group);
        mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.group == g)
            .map(|(j, _)| j)
            .collect()
    };
    let targets = match target {
        Some(ti) if mentions.get(ti).map(|m| m.group) != mentions.get(si).map(|m| m.group) => {
            group_of(ti)
        }
        _ => Vec::new(),
    };
    Some((group_of(si), targets))
}
