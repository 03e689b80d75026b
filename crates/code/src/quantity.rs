//! Quantities in news text: how many were killed, wounded, arrested,
//! displaced or took part, with the hedges and bounds the report gives.
//!
//! [`find_quantities`] reads numbers written in digits ("1,500", "2.5
//! million", "8,000-9,000") or words ("twelve", "two dozen", "dozens",
//! "hundreds", "a third", "half"), ranges ("between 8,000 and 9,000", "8,000
//! to 9,000"), the hedge or bound before them (kept in
//! [`Quantity::qualifier`]), the counted thing after them ("troops") and the
//! verb or event noun they belong to ("killed", "casualties").
//!
//! Qualifiers (the set is closed): `more_than` ("more than", "over" is
//! `over`), `at_least`, `upward_of` ("upward(s) of"), `over`, `up_to` ("up
//! to", "as many as"), `at_most`, `fewer_than` ("fewer/less than"), `about`
//! ("about", "around", "some", "roughly", "approximately", "an estimated"),
//! `nearly` ("nearly", "almost", "close to", "just under").
//!
//! The single conservative figure [`Quantity::count`] follows ACLED's
//! conventions for fatalities: "dozens" = 12, "scores" = 20, "hundreds" =
//! 100, "thousands" = 1,000, "millions" = 1,000,000; a range takes its lower
//! bound; "more than N", "over N", "at least N", "upward of N" give N (the
//! bound is not exceeded in the count); "about N" and "up to N" give N (the
//! only figure reported); "nearly N", "almost N" and "fewer than N" say N is
//! not reached and give N − 1, the largest figure the report allows (no
//! lower figure is given, and inventing one would be arbitrary). Fractions
//! ("half", "a third") are relative and have no count.
//!
//! Not counts: years ("in 2019", a bare four-digit number from 1800 to 2100
//! not followed by a counted noun), dates ("March 3"), clock times, money
//! ("$40 billion", "5 million euros": unit `money`, kind `other`) and
//! percentages ("90 percent": unit `percent`, kind `other`); money and
//! percentages are returned without a count, years and dates are left out.
//! A duration ("three years", "60 days") is returned with its unit and no
//! count.
//!
//! Kinds: a verb or event noun decides first ("killed 12 soldiers" is
//! fatalities, not size), then the counted noun ("12 deaths", "300
//! refugees"), then a noun of people gathered or deployed ("troops",
//! "protesters"). "Casualties" (killed or wounded, not told apart) is its
//! own kind, [`QuantityKind::Casualties`], so it never inflates fatalities.
//!
//! Work is bounded: each token is looked at a fixed number of times, and a
//! number of more than 30 digits has no value.

use pulse_nlp::{Doc, Sentence, Token, TokenKind};
use serde::Serialize;

/// What a quantity counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuantityKind {
    /// People killed.
    Fatalities,
    /// People wounded or injured.
    Injuries,
    /// Killed or wounded, not told apart ("casualties").
    Casualties,
    /// People taking part or deployed: crowds, protesters, troops.
    Size,
    /// People arrested or detained.
    Arrests,
    /// People displaced, fleeing or evacuated.
    Displaced,
    /// Anything else (money, percentages, objects).
    Other,
}

/// One quantity found in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// Byte offset of the first byte (the qualifier's when there is one).
    pub start: usize,
    /// Byte offset one past the last byte of the number phrase.
    pub end: usize,
    /// The text between them.
    pub text: String,
    /// The number written ("12", "dozens" = 12); the lower bound of a range.
    pub value: Option<f64>,
    /// The lower bound, when the text gives one.
    pub min: Option<f64>,
    /// The upper bound, when the text gives one.
    pub max: Option<f64>,
    /// The hedge or bound: one of the qualifiers listed in the module docs.
    pub qualifier: Option<String>,
    /// The counted thing as written ("civilians"), or `money` / `percent`.
    pub unit: Option<String>,
    /// What is counted, when a verb, event noun or counted noun says.
    pub kind: Option<QuantityKind>,
    /// The conservative single figure (ACLED conventions, module docs).
    pub count: Option<u64>,
    /// Index of the sentence in the document.
    pub sentence: usize,
    /// Token index (in the sentence) of the verb or event noun the count
    /// belongs to ("killed", "casualties").
    pub head: Option<usize>,
}

/// Numbers with more digits than this have no value.
const MAX_DIGITS: usize = 30;

/// Word numbers below twenty and the tens.
const SMALL: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

/// Multipliers written after a number ("2.5 million", "two dozen").
const SCALES: &[(&str, f64)] = &[
    ("dozen", 12.0),
    ("score", 20.0),
    ("hundred", 100.0),
    ("thousand", 1_000.0),
    ("million", 1_000_000.0),
    ("billion", 1_000_000_000.0),
];

/// Vague plural numbers and the conservative figure ACLED codes for them.
const VAGUE: &[(&str, f64)] = &[
    ("dozens", 12.0),
    ("scores", 20.0),
    ("hundreds", 100.0),
    ("thousands", 1_000.0),
    ("millions", 1_000_000.0),
];

/// Fractions ("half", "a third"): relative, no count.
const FRACTIONS: &[(&str, f64)] = &[
    ("half", 0.5),
    ("third", 1.0 / 3.0),
    ("quarter", 0.25),
    ("fifth", 0.2),
];

/// Qualifiers: the words before a number and the name kept.
const QUALIFIERS: &[(&[&str], &str)] = &[
    (&["more", "than"], "more_than"),
    (&["at", "least"], "at_least"),
    (&["upward", "of"], "upward_of"),
    (&["upwards", "of"], "upward_of"),
    (&["up", "to"], "up_to"),
    (&["as", "many", "as"], "up_to"),
    (&["at", "most"], "at_most"),
    (&["fewer", "than"], "fewer_than"),
    (&["less", "than"], "fewer_than"),
    (&["close", "to"], "nearly"),
    (&["just", "under"], "nearly"),
    (&["an", "estimated"], "about"),
    (&["over"], "over"),
    (&["nearly"], "nearly"),
    (&["almost"], "nearly"),
    (&["about"], "about"),
    (&["around"], "about"),
    (&["roughly"], "about"),
    (&["approximately"], "about"),
    (&["some"], "about"),
];

/// Verbs and nouns of killing and death.
const FATAL: &[&str] = &[
    "kill",
    "killed",
    "kills",
    "killing",
    "dead",
    "die",
    "died",
    "dies",
    "dying",
    "death",
    "deaths",
    "fatalities",
    "slain",
    "massacred",
    "executed",
    "murdered",
    "bodies",
    "lives",
    "toll",
    "perished",
    "shot",
];

/// Verbs and nouns of injury.
const INJURY: &[&str] = &[
    "injured", "injure", "injures", "injuring", "wounded", "wounding", "wound", "wounds", "hurt",
    "injuries", "injury",
];

/// Verbs and nouns of arrest.
const ARREST: &[&str] = &[
    "arrested",
    "arrest",
    "arrests",
    "arresting",
    "detained",
    "detain",
    "detaining",
    "detention",
    "jailed",
    "imprisoned",
    "captured",
    "detainees",
    "prisoners",
];

/// Verbs and nouns of displacement.
const DISPLACED: &[&str] = &[
    "displaced",
    "displace",
    "displacing",
    "fled",
    "flee",
    "fleeing",
    "evacuated",
    "evacuate",
    "refugees",
    "homeless",
    "uprooted",
];

/// Nouns and verbs of people gathered or deployed.
const SIZE: &[&str] = &[
    "troops",
    "soldiers",
    "protesters",
    "protestors",
    "demonstrators",
    "marchers",
    "fighters",
    "militants",
    "rebels",
    "police",
    "officers",
    "policemen",
    "supporters",
    "crowd",
    "crowds",
    "gathered",
    "marched",
    "rallied",
    "protested",
    "deployed",
    "mobilized",
    "mobilised",
    "attended",
    "participants",
    "rioters",
    "strikers",
    "workers",
    "members",
    "people",
];

/// Units of time: a number of them is a duration, with no count.
const DURATIONS: &[&str] = &[
    "seconds",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "years",
    "decades",
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "decade",
    "centuries",
];

/// Currency words after a number.
const MONEY_WORDS: &[&str] = &[
    "dollars", "dollar", "euros", "euro", "pounds", "yuan", "yen", "rupees", "rubles", "roubles",
    "francs", "pesos", "usd", "eur", "gbp",
];

/// Month names (a number next to one is a date).
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Words that end a counted-noun run.
const STOP: &[&str] = &[
    "and", "or", "of", "to", "in", "on", "at", "for", "from", "by", "with", "the", "a", "an",
    "were", "was", "are", "is", "be", "been", "have", "has", "had", "who", "which", "that",
    "killed", "dead", "died", "and", "since", "last", "this", "after", "before", "during",
];

fn lookup(table: &[(&str, f64)], word: &str) -> Option<f64> {
    table.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)
}

/// The value of a number written in digits ("1,500", "2.5", "14000"); a
/// comma must separate groups of three ("1,2,3,4" is no number).
fn digits_value(s: &str) -> Option<f64> {
    let s = s.trim_start_matches('+');
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if digits == 0 || digits > MAX_DIGITS {
        return None;
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let groups: Vec<&str> = int.split(',').collect();
    let first_ok = groups
        .first()
        .is_some_and(|g| !g.is_empty() && g.len() <= if groups.len() > 1 { 3 } else { MAX_DIGITS });
    let rest_ok = groups.iter().skip(1).all(|g| g.len() == 3);
    if !first_ok || !rest_ok || !int.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return None;
    }
    let plain: String = s.chars().filter(|&c| c != ',').collect();
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The value of a number word, hyphenated tens included ("twenty-five").
fn word_value(w: &str) -> Option<f64> {
    if let Some(v) = lookup(SMALL, w) {
        return Some(v);
    }
    let (a, b) = w.split_once('-')?;
    let tens = lookup(SMALL, a).filter(|v| *v >= 20.0)?;
    let units = lookup(SMALL, b).filter(|v| *v < 10.0)?;
    Some(tens + units)
}

/// A number read at token `i`: its value, the index one past its last
/// token, and whether it was a vague plural ("dozens") or a fraction.
#[derive(Debug, Clone, Copy)]
struct Num {
    value: f64,
    end: usize,
    vague: bool,
    fraction: bool,
    /// A single token "8,000-9,000": the range's upper bound.
    upper: Option<f64>,
}

impl Num {
    /// A number with no upper bound of its own.
    fn whole(value: f64, end: usize, vague: bool, fraction: bool) -> Num {
        Num {
            value,
            end,
            vague,
            fraction,
            upper: None,
        }
    }
}

/// Read a number starting at token `i`.
fn read_number(toks: &[Token], i: usize) -> Option<Num> {
    let t = toks.get(i)?;
    let w = t.lower.as_str();
    let mut upper = None;
    let mut value = if t.kind == TokenKind::Number {
        digits_value(&t.norm)?
    } else if let Some(v) = word_value(w) {
        v
    } else if let Some(v) = lookup(VAGUE, w) {
        // "dozens of", "hundreds of": the conservative figure
        return Some(Num::whole(v, i + 1, true, false));
    } else if let Some(v) = lookup(FRACTIONS, w) {
        return Some(Num::whole(v, i + 1, false, true));
    } else if let Some((a, b)) = w.split_once('-') {
        // "8,000-9,000" kept as one token
        let (lo, hi) = (digits_value(a)?, digits_value(b)?);
        upper = Some(hi);
        lo
    } else if w == "a" || w == "one" {
        // "a dozen", "a third", "a hundred"
        let n = toks.get(i + 1)?;
        if let Some(v) = lookup(FRACTIONS, &n.lower) {
            return Some(Num::whole(v, i + 2, false, true));
        }
        let v = lookup(SCALES, &n.lower)?;
        return Some(Num::whole(v, i + 2, false, false));
    } else {
        return None;
    };
    let mut end = i + 1;
    // "twenty five" and a scale word or two after ("2.5 million", "two
    // hundred thousand")
    if let Some(u) = toks.get(end).and_then(|n| word_value(&n.lower)) {
        if (20.0..100.0).contains(&value)
            && value % 10.0 == 0.0
            && u < 10.0
            && t.kind != TokenKind::Number
        {
            value += u;
            end += 1;
        }
    }
    for _ in 0..3 {
        let Some(m) = toks.get(end).and_then(|n| lookup(SCALES, &n.lower)) else {
            break;
        };
        value *= m;
        upper = upper.map(|u| u * m);
        end += 1;
    }
    value.is_finite().then_some(Num {
        value,
        end,
        vague: false,
        fraction: false,
        upper,
    })
}

/// The qualifier written just before token `i` and its first token.
fn qualifier_before(toks: &[Token], i: usize) -> Option<(&'static str, usize)> {
    for (words, name) in QUALIFIERS {
        let n = words.len();
        let Some(from) = i.checked_sub(n) else {
            continue;
        };
        let matches = words
            .iter()
            .enumerate()
            .all(|(k, w)| toks.get(from + k).is_some_and(|t| t.lower == *w));
        if matches {
            return Some((name, from));
        }
    }
    None
}

/// Whether the number at `i` is a year, a date or a time.
fn is_date_like(toks: &[Token], i: usize, num: &Num) -> bool {
    let Some(t) = toks.get(i) else {
        return false;
    };
    let month_near = |j: Option<usize>| {
        j.and_then(|j| toks.get(j))
            .is_some_and(|t| MONTHS.contains(&t.lower.trim_end_matches('.')))
    };
    if t.kind == TokenKind::Number && (month_near(i.checked_sub(1)) || month_near(Some(i + 1))) {
        return true;
    }
    let plain_year = t.kind == TokenKind::Number
        && t.norm.len() == 4
        && t.norm.chars().all(|c| c.is_ascii_digit())
        && (1800.0..=2100.0).contains(&num.value)
        && num.end == i + 1;
    if plain_year {
        // "2000 people" is a count; "in 2019" is a year
        let next_counted = toks.get(i + 1).is_some_and(|n| {
            n.kind == TokenKind::Word && plural_like(&n.lower) && !STOP.contains(&n.lower.as_str())
        });
        return !next_counted;
    }
    // "10:30", "3 p.m."
    t.norm.contains(':')
        || toks.get(num.end).is_some_and(|n| {
            matches!(
                n.lower.as_str(),
                "p.m." | "a.m." | "pm" | "am" | "gmt" | "utc"
            )
        })
}

/// The counted noun after the number phrase (one past index `end`): from
/// the parse when the number modifies a noun, else the last word of the
/// run of content words that follows ("12 unarmed civilians"), or the noun
/// after "of" ("dozens of people").
fn counted_noun(toks: &[Token], num_tok: usize, end: usize) -> Option<usize> {
    if let Some(h) = toks.get(num_tok).and_then(|t| t.head) {
        let t = toks.get(num_tok)?;
        if t.deprel == "nummod"
            && toks
                .get(h)
                .is_some_and(|n| n.upos == "NOUN" || n.upos == "PROPN")
        {
            return Some(h);
        }
    }
    let mut j = end;
    if toks.get(j).is_some_and(|t| t.lower == "of") {
        j += 1;
        if toks
            .get(j)
            .is_some_and(|t| matches!(t.lower.as_str(), "the" | "them" | "those"))
        {
            // "dozens of them": a pronoun, no noun
            if toks.get(j).is_some_and(|t| t.lower != "the") {
                return None;
            }
            j += 1;
        }
    }
    let mut last = None;
    for (k, t) in toks.iter().enumerate().skip(j).take(3) {
        let content = t.kind == TokenKind::Word
            && !STOP.contains(&t.lower.as_str())
            && (t.upos.is_empty() || matches!(t.upos.as_str(), "NOUN" | "ADJ" | "PROPN"));
        if !content {
            break;
        }
        // without tags, the first word that reads as a plural noun ends
        // the run ("12 unarmed civilians near …")
        if t.upos.is_empty() {
            if plural_like(&t.lower) {
                return Some(k);
            }
            continue;
        }
        last = Some(k);
    }
    last
}

/// A word that reads as a plural noun of people or things: "-s" (not
/// "-ss"), "-men", or an irregular plural.
fn plural_like(w: &str) -> bool {
    (w.ends_with('s') && !w.ends_with("ss") && w.len() > 2)
        || w.ends_with("men")
        || matches!(
            w,
            "people" | "police" | "children" | "personnel" | "staff" | "militia" | "dead"
        )
}

/// The kind a word names.
fn kind_of(word: &str) -> Option<QuantityKind> {
    if word == "casualties" || word == "casualty" {
        Some(QuantityKind::Casualties)
    } else if FATAL.contains(&word) {
        Some(QuantityKind::Fatalities)
    } else if INJURY.contains(&word) {
        Some(QuantityKind::Injuries)
    } else if ARREST.contains(&word) {
        Some(QuantityKind::Arrests)
    } else if DISPLACED.contains(&word) {
        Some(QuantityKind::Displaced)
    } else {
        None
    }
}

/// The verb or event noun a quantity belongs to: its counted noun's head
/// in the parse, else by word order the event word just before the number
/// ("killed 12 people") or just after the counted noun ("12 people were
/// killed"; "casualties … upward of 1,500": an event noun earlier in the
/// clause).
fn event_word(toks: &[Token], from: usize, num_tok: usize, noun: Option<usize>) -> Option<usize> {
    let is_event = |k: usize| toks.get(k).and_then(|t| kind_of(&t.lower)).is_some();
    // the parse: the counted noun (or the number) hangs off the verb
    let anchor = noun.unwrap_or(num_tok);
    if let Some(h) = toks.get(anchor).and_then(|t| t.head) {
        if is_event(h) {
            return Some(h);
        }
    }
    if let Some(n) = noun.filter(|&n| is_event(n)) {
        return Some(n);
    }
    // word order: after the phrase, skipping auxiliaries ("were", "have
    // been reported")
    let after = noun.map_or(num_tok + 1, |n| n + 1);
    for (k, t) in toks.iter().enumerate().skip(after).take(4) {
        if is_event(k) {
            return Some(k);
        }
        if !matches!(
            t.lower.as_str(),
            "were"
                | "was"
                | "are"
                | "is"
                | "have"
                | "has"
                | "had"
                | "been"
                | "being"
                | "reportedly"
                | "also"
                | "later"
        ) {
            break;
        }
    }
    // before the phrase, in the same clause (no comma or second number
    // crossed)
    let mut k = from;
    let mut steps = 0;
    while k > 0 && steps < 8 {
        k -= 1;
        steps += 1;
        let Some(t) = toks.get(k) else { break };
        if is_event(k) {
            return Some(k);
        }
        if t.kind == TokenKind::Number || matches!(t.norm.as_str(), ";" | "." | ":") {
            break;
        }
    }
    None
}

/// Quantities of one sentence; `text` is the document text its offsets
/// point into.
pub fn sentence_quantities(text: &str, sentence: &Sentence) -> Vec<Quantity> {
    let toks = &sentence.tokens;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(num) = read_number(toks, i) else {
            i += 1;
            continue;
        };
        // "one of the", "one another": not a count
        let one_of = toks.get(i).is_some_and(|t| t.lower == "one")
            && toks
                .get(num.end)
                .is_some_and(|n| matches!(n.lower.as_str(), "of" | "another" | "day" | "side"));
        if one_of {
            i += 1;
            continue;
        }
        if is_date_like(toks, i, &num) {
            i = num.end;
            continue;
        }
        let mut q_start_tok = i;
        let mut qualifier = qualifier_before(toks, i).map(|(name, from)| {
            q_start_tok = from;
            name
        });
        let (mut lo, mut hi) = (num.value, num.upper);
        let mut end = num.end;
        // ranges: "between X and Y", "X to Y", "X - Y", "X or Y"
        let between = i > 0 && toks.get(i - 1).is_some_and(|t| t.lower == "between");
        if between {
            q_start_tok = i - 1;
            qualifier = None;
        }
        if let Some(sep) = toks.get(end).map(|t| t.lower.as_str()) {
            let joins = match sep {
                "and" => between,
                "to" | "-" | "or" => true,
                _ => false,
            };
            if joins {
                if let Some(second) = read_number(toks, end + 1).filter(|n| !n.fraction && !n.vague)
                {
                    // "2 to 3 million": the scale of the second applies to both
                    let scale_lo =
                        if num.end == i + 1 && second.end > end + 2 && second.value > num.value {
                            let mut m = 1.0;
                            for k in (end + 2)..second.end {
                                if let Some(s) = toks.get(k).and_then(|t| lookup(SCALES, &t.lower))
                                {
                                    m *= s;
                                }
                            }
                            m
                        } else {
                            1.0
                        };
                    lo *= scale_lo;
                    hi = Some(second.value);
                    end = second.end;
                }
            }
        }
        // money and percentages
        let before_money = i.checked_sub(1).and_then(|k| toks.get(k)).is_some_and(|t| {
            matches!(t.norm.as_str(), "$" | "€" | "£" | "¥") || t.norm.ends_with('$')
        }) || toks.get(i).is_some_and(|t| t.norm.starts_with('$'));
        let after = toks.get(end).map(|t| t.lower.as_str());
        let unit_special = if before_money || after.is_some_and(|a| MONEY_WORDS.contains(&a)) {
            Some("money")
        } else if after.is_some_and(|a| matches!(a, "%" | "percent"))
            || (after == Some("per") && toks.get(end + 1).is_some_and(|t| t.lower == "cent"))
        {
            Some("percent")
        } else {
            None
        };
        if before_money {
            q_start_tok = q_start_tok.min(i.saturating_sub(1));
        }
        let noun = if unit_special.is_some() {
            None
        } else {
            counted_noun(toks, i, end)
        };
        let head = if unit_special.is_some() || num.fraction {
            None
        } else {
            event_word(toks, q_start_tok, i, noun)
        };
        let unit = unit_special
            .map(str::to_string)
            .or_else(|| noun.and_then(|n| toks.get(n)).map(|t| t.lower.clone()));
        let kind = if unit_special.is_some() {
            Some(QuantityKind::Other)
        } else {
            head.and_then(|h| toks.get(h))
                .and_then(|t| kind_of(&t.lower))
                .or_else(|| unit.as_deref().and_then(kind_of))
                .or_else(|| {
                    unit.as_deref()
                        .filter(|u| SIZE.contains(u))
                        .map(|_| QuantityKind::Size)
                })
                .or_else(|| unit.as_ref().map(|_| QuantityKind::Other))
        };
        let (min, max) = match (hi, qualifier) {
            (Some(h), _) => (Some(lo), Some(h)),
            (None, Some("more_than" | "over" | "at_least" | "upward_of")) => (Some(lo), None),
            (None, Some("up_to" | "at_most" | "nearly" | "fewer_than")) => (None, Some(lo)),
            (None, _) if num.vague => (Some(lo), None),
            _ => (None, None),
        };
        // a duration ("three years", "60 days") counts time, not people
        let duration = unit.as_deref().is_some_and(|u| DURATIONS.contains(&u));
        let count = if unit_special.is_some() || num.fraction || duration {
            None
        } else {
            let figure = match qualifier {
                Some("nearly" | "fewer_than") if hi.is_none() => lo - 1.0,
                _ => lo,
            };
            to_count(figure)
        };
        let (Some(first), Some(last)) = (toks.get(q_start_tok), toks.get(end.saturating_sub(1)))
        else {
            break;
        };
        let (start, stop) = (first.start, last.end.max(first.start));
        out.push(Quantity {
            start,
            end: stop,
            text: text.get(start..stop).unwrap_or("").to_string(),
            value: Some(lo),
            min,
            max,
            qualifier: qualifier.map(str::to_string),
            unit,
            kind,
            count,
            sentence: sentence.index,
            head,
        });
        i = end.max(i + 1);
    }
    out
}

/// A whole non-negative figure below 2^53 as a count.
fn to_count(v: f64) -> Option<u64> {
    if !(0.0..9_007_199_254_740_992.0).contains(&v) {
        return None;
    }
    let r = v.floor();
    // the range check above keeps the cast exact
    Some(r as u64)
}

/// Quantities of every sentence of a document.
pub fn find_quantities(doc: &Doc) -> Vec<Quantity> {
    doc.sentences
        .iter()
        .flat_map(|s| sentence_quantities(&doc.text, s))
        .collect()
}
