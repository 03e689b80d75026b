//! The records the coder produces.

use serde::{Deserialize, Serialize};

/// A byte span in the article text with the text it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSpan {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The text of the span.
    pub text: String,
}

/// An actor as coded in one event: the words in the text and its CAMEO actor code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The words of the mention as written.
    pub text: String,
    /// Full CAMEO actor code, e.g. `AFGGOV`, `USA`, `IGOUNO`, `AFGREB`.
    pub code: String,
    /// Three-letter country (or IGO/NGO/region) part of the code, when there is one.
    /// For an actor whose code names no country ("police", "rebels", the
    /// unknown actor) it is the one country the sentence names, when it
    /// names exactly one (ACLED's convention: a group with no country of its
    /// own belongs to the country of the event); `country_from_context`
    /// then says so.
    pub country: Option<String>,
    /// Whether `country` was taken from the sentence rather than the code.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub country_from_context: bool,
    /// The role/sector part of the code (`GOV`, `MIL`, `REB`, …), when there is one.
    pub sector: Option<String>,
    /// Byte offset of the mention's first byte.
    pub start: usize,
    /// Byte offset one past the mention's last byte.
    pub end: usize,
}

/// The spans an event was coded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSpans {
    /// The source actor's mention.
    pub source: Option<TextSpan>,
    /// The target actor's mention.
    pub target: Option<TextSpan>,
    /// The verb (or event noun) that triggered the code.
    pub verb: TextSpan,
}

/// A date the text gives, as the time stage resolved it (a TIMEX3 date
/// value: `2019-08-06`, `2019-07`, `2019-W32`, `2019`), placed in the
/// article by sentence and byte span, for the coder to date events by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDate {
    /// Index of the sentence that holds it.
    pub sentence: usize,
    /// Byte offset of its first byte in the article text.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
    /// The resolved value.
    pub value: String,
}

/// ACLED-style counts of one report of an event, read conservatively (the
/// lower bound of a range, "dozens" = 12); absent when the text gives none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// People killed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities: Option<u64>,
    /// People wounded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injuries: Option<u64>,
    /// The size of the acting group (protesters, troops, refugees …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// A place the text names, as the geo stage resolved it: the span of the
/// name in the article and the GeoNames place it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    /// Byte offset of the first byte of the name.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
    /// The name as written.
    pub text: String,
    /// The place.
    #[serde(flatten)]
    pub place: pulse_geo::Place,
}

/// Where an event happened: the place, how precisely the text locates the
/// event (ACLED's geo precision) and what it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    /// The place.
    #[serde(flatten)]
    pub place: pulse_geo::Place,
    /// ACLED-style geo precision: 1 the event is in the town named; 2 near
    /// or outside the town named, in a district, or in the town the article
    /// is about; 3 only a province, region or country is known.
    pub geo_precision: u8,
    /// What the place was read from: `verb` (a locative phrase on the
    /// event's verb or event noun), `sentence` (the one place its sentence
    /// names) or `article` (the place the article is about).
    pub basis: String,
    /// Byte offset of the first byte of the name the place was read from.
    #[serde(rename = "place_start")]
    pub start: usize,
    /// Byte offset one past its last byte.
    #[serde(rename = "place_end")]
    pub end: usize,
}

/// One coded event: who did what to whom, with its CAMEO code and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Stable id: a hash of the coded content (date, source code, CAMEO code,
    /// target code), so the same event reported by two articles merges into one.
    pub id: String,
    /// Full CAMEO event code (`042`, `0211`, `190`, …).
    pub cameo: String,
    /// CAMEO root code (first two digits).
    pub root: String,
    /// Name of the CAMEO code in the codebook.
    pub name: String,
    /// QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad_class: u8,
    /// Goldstein conflict–cooperation score of the code (−10 … +10).
    pub goldstein: f32,
    /// PLOVER event type mapped from the CAMEO code by the OEDA crosswalk.
    pub plover: Option<String>,
    /// Who acted.
    pub source: Actor,
    /// Who was acted upon, when the sentence names one.
    pub target: Option<Actor>,
    /// Event date: the article's publication date (`YYYY-MM-DD`), or the
    /// year (`YYYY`, reduced-precision ISO 8601) the sentence dates a past
    /// act by ("invaded Afghanistan in 2001") when it is another year.
    pub date: Option<String>,
    /// How precisely `date` is known: `day`, `week`, `month`, `quarter`,
    /// `year`, `decade` (in the spirit of ACLED's time precision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<String>,
    /// Where `date` comes from: `text` (a temporal expression attached to
    /// the event's verb or standing in its sentence) or `published` (the
    /// article's date, when the text dates the event no closer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<String>,
    /// Where the event happened, when the geo stage has run: the place of a
    /// locative phrase on its verb ("met in Doha"), else of its sentence,
    /// else the article's focus (see [`crate::locate`]).
    pub place: Option<EventPlace>,
    /// The counts the sentence gives for the event (killed, wounded, the
    /// size of the acting group).
    #[serde(flatten)]
    pub counts: Counts,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// Byte offset where the sentence starts.
    pub start: usize,
    /// Byte offset where the sentence ends.
    pub end: usize,
    /// The sentence text.
    pub text: String,
    /// Spans of source, target and verb.
    pub spans: EventSpans,
    /// How the sentence asserts the event: `None` for a fact, else
    /// `negated`, `future`, `hypothetical` or `conditional` (PLOVER's modes
    /// of reporting). Only facts and announced (`future`) acts are primary
    /// events; the others are kept so a user can see what was not coded as
    /// having happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// The dictionary entry that gave the code: the verb block and the
    /// pattern (`restore: * ties [064]`), for explanation.
    #[serde(default)]
    pub pattern: String,
    /// How sure the coder is, 0–1: higher when a specific pattern matched
    /// and when both actors were found through the parse.
    #[serde(default)]
    pub confidence: f64,
}

impl Event {
    /// Whether the event is stated as having happened or as announced (no
    /// mode, or `future`), rather than negated, hypothetical or conditional.
    pub fn is_asserted(&self) -> bool {
        matches!(self.mode.as_deref(), None | Some("future"))
    }
}
