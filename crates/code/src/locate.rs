//! Where events happened: each event takes the place its sentence ties to
//! it, read from the parse and the places the geo stage resolved.
//!
//! The order is the one a careful coder follows (and issue 7 asks for):
//!
//! 1. **verb** — a place in a locative phrase on the event's verb ("clashed
//!    in Kandahar"), on its event noun ("talks in Doha") or on the light
//!    verb that carries the noun ("held talks in Doha");
//! 2. **sentence** — else the sentence's one place; a city and the units
//!    that contain it ("Doha, Qatar") count as one place, the city;
//! 3. **article** — else the place the article is about: the most specific
//!    place that more than half of the article's place names agree with (name
//!    it or a unit containing it) and that is named at least twice.
//!
//! Each placed event gets an ACLED-style geo precision: 1 when the text puts
//! it in a named town, 2 when near or outside a town ("near Kandahar"), in a
//! second-order unit (a county, a district), or in the town its article is
//! about, 3 when only a province, a region or a country is known.

use crate::counts::verb_tokens;
use crate::types::{Event, EventPlace, PlaceMention};
use pulse_geo::{Level, Place};
use pulse_nlp::{Doc, Sentence};

/// Prepositions that put an event at a place. ("From" and "to" name where
/// people come from or go to, not where the act happened.)
const AT: [&str; 9] = [
    "in",
    "at",
    "inside",
    "within",
    "throughout",
    "across",
    "near",
    "outside",
    "around",
];

/// Of [`AT`], those that put the event beside the place, not in it.
const NEAR: [&str; 3] = ["near", "outside", "around"];

/// Place each event of `doc` (see the module documentation); `places` are
/// the article's resolved place names.
pub fn locate_events(doc: &Doc, places: &[PlaceMention], events: &mut [Event]) {
    let focus = article_focus(places);
    // by position, so each event looks only at its own sentence's places
    // (a scan of all of them made long pages quadratic)
    let mut by_start: Vec<&PlaceMention> = places.iter().collect();
    by_start.sort_by_key(|p| p.start);
    for e in events.iter_mut() {
        let Some(s) = doc.sentences.get(e.sentence) else {
            continue;
        };
        let first = by_start.partition_point(|p| p.start < s.start);
        // where people or things come from or go to is not where an act
        // happened ("withdrawal from Afghanistan", "flew to Doha")
        let here: Vec<&PlaceMention> = by_start[first..]
            .iter()
            .take_while(|p| p.start < s.end)
            .copied()
            .filter(|p| {
                p.end <= s.end
                    && located_here(&p.place)
                    && phrase_head(s, p).is_some()
                    && !directional(s, p)
            })
            .collect();
        let placed = on_verb(s, e, &here)
            .map(|(p, near)| {
                let precision = if near { 2 } else { precision_of(&p.place) };
                located(p, precision, "verb")
            })
            .or_else(|| {
                sentence_place(&here).map(|p| located(p, precision_of(&p.place), "sentence"))
            })
            .or_else(|| {
                focus.map(|p| {
                    let precision = match p.place.level {
                        Level::City => 2,
                        _ => 3,
                    };
                    located(p, precision, "article")
                })
            });
        e.place = placed;
    }
}

fn located(p: &PlaceMention, geo_precision: u8, basis: &str) -> EventPlace {
    EventPlace {
        place: p.place.clone(),
        geo_precision,
        basis: basis.to_string(),
        start: p.start,
        end: p.end,
    }
}

/// The precision a place gives by its kind.
fn precision_of(p: &Place) -> u8 {
    precision_of_level(p.level)
}

/// The ACLED-style geo precision a place of this level gives an event
/// located by its name alone: 1 a town, 2 a district, 3 a province, a
/// country or anything wider.
pub fn precision_of_level(level: Level) -> u8 {
    match level {
        Level::City => 1,
        Level::Admin2 => 2,
        Level::Country | Level::Admin1 | Level::Other => 3,
    }
}

/// Whether a place can locate an event: a continent or a region without a
/// country is too wide to say where anything happened.
fn located_here(p: &Place) -> bool {
    !p.country.is_empty()
}

/// Prepositions of origin and destination.
const FROM_TO: [&str; 6] = ["from", "to", "toward", "towards", "into", "via"];

/// Nouns that say what kind of place a name is ("Helmand province").
const PLACE_KINDS: [&str; 16] = [
    "province",
    "county",
    "district",
    "state",
    "region",
    "city",
    "town",
    "village",
    "governorate",
    "prefecture",
    "municipality",
    "oblast",
    "department",
    "territory",
    "valley",
    "area",
];

/// The index of the head word of a place's phrase: the name's last word,
/// or the kind of place it names ("Helmand province", "Mandera County").
/// `None` when the name only modifies another noun ("Kenyan men", "U.S.
/// troops"): it says whose, not where.
fn phrase_head(s: &Sentence, p: &PlaceMention) -> Option<usize> {
    let last = s
        .tokens
        .iter()
        .rposition(|t| t.start >= p.start && t.end <= p.end)?;
    let t = s.tokens.get(last)?;
    let modifies = matches!(t.deprel.as_str(), "compound" | "flat" | "amod")
        && t.head.is_some_and(|h| h > last);
    if !modifies {
        return Some(last);
    }
    let head = t.head?;
    s.tokens
        .get(head)
        .is_some_and(|h| head == last + 1 && PLACE_KINDS.contains(&h.lower.trim_end_matches('s')))
        .then_some(head)
}

/// The preposition of a place's phrase, lower-cased ("in", "near").
fn preposition(s: &Sentence, head: usize) -> Option<&str> {
    s.tokens
        .iter()
        .find(|c| c.head == Some(head) && c.deprel == "case")
        .map(|c| c.lower.as_str())
}

/// Whether a place is named as an origin or destination.
fn directional(s: &Sentence, p: &PlaceMention) -> bool {
    phrase_head(s, p)
        .and_then(|h| preposition(s, h))
        .is_some_and(|w| FROM_TO.contains(&w))
}

/// The place of a locative phrase on the event's verb, with whether the
/// preposition puts the event beside it ("near") rather than in it.
fn on_verb<'p>(
    s: &Sentence,
    e: &Event,
    here: &[&'p PlaceMention],
) -> Option<(&'p PlaceMention, bool)> {
    let verb = verb_tokens(s, e);
    // what the place may hang on: the verb or event noun, the light verb
    // whose object the event noun is ("held talks in Doha"), and the verb's
    // object, where a parse often hangs the verb's place ("met Somali
    // diplomats in Nairobi", "attacked a camp near Garissa")
    let mut anchors = verb.clone();
    for &v in &verb {
        if let Some(t) = s.tokens.get(v) {
            if t.upos == "NOUN" && t.deprel == "obj" {
                anchors.extend(t.head);
            }
        }
    }
    let objects = s
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.deprel == "obj" && t.head.is_some_and(|h| verb.contains(&h)))
        .map(|(i, _)| i);
    anchors.extend(objects.collect::<Vec<_>>());
    here.iter().find_map(|p| {
        let phrase = phrase_head(s, p)?;
        s.tokens.iter().enumerate().find_map(|(i, t)| {
            let inside = (t.start >= p.start && t.end <= p.end) || i == phrase;
            let head = t.head.filter(|h| anchors.contains(h))?;
            let head_noun = s.tokens.get(head).is_some_and(|h| h.upos == "NOUN");
            let attached =
                t.deprel.starts_with("obl") || (head_noun && t.deprel.starts_with("nmod"));
            if !inside || !attached {
                return None;
            }
            let prep = preposition(s, i)?;
            AT.contains(&prep).then(|| (*p, NEAR.contains(&prep)))
        })
    })
}

/// Whether place `outer` is `inner` or a unit that contains it.
fn contains(outer: &Place, inner: &Place) -> bool {
    if outer.geonameid == inner.geonameid {
        return true;
    }
    if outer.country.is_empty() || outer.country != inner.country {
        return false;
    }
    match outer.level {
        Level::Country => inner.level != Level::Country,
        Level::Admin1 => {
            matches!(inner.level, Level::Admin2 | Level::City) && outer.name == inner.admin1
        }
        _ => false,
    }
}

/// The sentence's one place: the most specific of its places when all the
/// others contain it ("in Doha, Qatar" is Doha).
fn sentence_place<'p>(here: &[&'p PlaceMention]) -> Option<&'p PlaceMention> {
    here.iter()
        .find(|p| here.iter().all(|q| contains(&q.place, &p.place)))
        .copied()
}

/// The place the article is about: the most specific place that more than
/// half of its place names agree with (name it or a unit that contains it)
/// and that it names at least twice.
fn article_focus(places: &[PlaceMention]) -> Option<&PlaceMention> {
    let places: Vec<&PlaceMention> = places.iter().filter(|p| located_here(&p.place)).collect();
    let rank = |p: &Place| match p.level {
        Level::City => 0,
        Level::Admin2 => 1,
        Level::Admin1 => 2,
        Level::Other => 3,
        Level::Country => 4,
    };
    // each distinct place once, with how often it is named, in the order of
    // first mention (a pairwise pass over every mention made long pages
    // quadratic)
    let mut distinct: Vec<(&PlaceMention, usize)> = Vec::new();
    let mut index: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for &p in &places {
        match index.get(&p.place.geonameid) {
            Some(&i) => distinct[i].1 += 1,
            None => {
                index.insert(p.place.geonameid, distinct.len());
                distinct.push((p, 1));
            }
        }
    }
    let mut best: Option<(&PlaceMention, u8)> = None;
    for &(p, named) in &distinct {
        let agree: usize = distinct
            .iter()
            .filter(|(q, _)| contains(&q.place, &p.place))
            .map(|&(_, n)| n)
            .sum();
        if named < 2 || agree * 2 <= places.len() {
            continue;
        }
        let r = rank(&p.place);
        if best.is_none_or(|(_, b)| r < b) {
            best = Some((p, r));
        }
    }
    best.map(|(p, _)| p)
}
