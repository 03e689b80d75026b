//! Temporal expressions in news: find dates, times, durations and sets in an
//! analysed [`Doc`] and give each a TIMEX3 value, resolved against the
//! article's publication date (the DCT) and the tense of the clause.
//!
//! Recognition works on the tokens and their tags (XPOS) alone; the parse is
//! used, when present, to find the verb that governs an expression.
//!
//! Anchoring rules for expressions without a year (a weekday, "in July",
//! "August 6", "the third quarter"): in a past-tense clause the latest one on
//! or before the DCT (the same day counts: news reports "said on Friday" on
//! Friday), in a future clause the earliest one on or after the DCT, and
//! otherwise the one nearest the DCT.

mod lexicon;
mod recognize;
mod resolve;

use pulse_nlp::Doc;
use serde::Serialize;

/// The TIMEX3 type of an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period ("August 6", "2019", "last week").
    Date,
    /// A time of day ("8 p.m.", "Friday afternoon").
    Time,
    /// A length of time ("three days", "almost a year").
    Duration,
    /// A recurring time ("every week", "annually").
    Set,
}

/// How precise a value is: the unit of its last known field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// A time of day or part of a day.
    Time,
    /// A calendar day.
    Day,
    /// An ISO week or weekend.
    Week,
    /// A calendar month.
    Month,
    /// A season of a year.
    Season,
    /// A quarter or half of a year.
    Quarter,
    /// A calendar or fiscal year.
    Year,
    /// A decade.
    Decade,
    /// A century.
    Century,
    /// A length of time (the value is a TIMEX3 period such as `P3D`).
    Duration,
    /// A recurring time.
    Set,
    /// A vague reference to the present, past or future, or an unresolved date.
    Vague,
}

impl Granularity {
    /// The lower-case name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Time => "time",
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Season => "season",
            Granularity::Quarter => "quarter",
            Granularity::Year => "year",
            Granularity::Decade => "decade",
            Granularity::Century => "century",
            Granularity::Duration => "duration",
            Granularity::Set => "set",
            Granularity::Vague => "vague",
        }
    }
}

/// One temporal expression found in a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timex {
    /// Byte offset of the first byte in `doc.text`.
    pub start: usize,
    /// Byte offset one past the last byte in `doc.text`.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// The TIMEX3 value (`2019-08-06`, `2019-W32`, `P3D`, `PAST_REF`, ...).
    pub value: String,
    /// The TIMEX3 `mod` (START, MID, END, APPROX, MORE_THAN, ...), if any.
    pub modifier: Option<String>,
    /// How precise the value is.
    pub granularity: Granularity,
    /// Index of the sentence the expression is in.
    pub sentence: usize,
}

/// Errors of this crate (only the publication date can be malformed).
#[derive(Debug, thiserror::Error)]
pub enum TimeError {
    /// The publication date is not a valid `YYYY-MM-DD` date.
    #[error("invalid publication date {0:?}: expected YYYY-MM-DD")]
    BadDct(String),
}

/// Parse a publication date `YYYY-MM-DD` (a longer timestamp is cut to its date).
pub fn parse_dct(dct: &str) -> Result<jiff::civil::Date, TimeError> {
    let bad = || TimeError::BadDct(dct.to_string());
    let head = dct.get(..10).ok_or_else(bad)?;
    head.parse::<jiff::civil::Date>().map_err(|_| bad())
}

/// The precision of a timex's value as a word ("day", "month", "year", ...),
/// for callers that date events with it.
pub fn precision(t: &Timex) -> &'static str {
    t.granularity.as_str()
}

/// Find the temporal expressions of a document. `dct` is the publication date
/// (`YYYY-MM-DD`); without it (or when it is malformed) relative expressions
/// get `XXXX`-style values.
pub fn find(doc: &Doc, dct: Option<&str>) -> Vec<Timex> {
    let dct = dct.and_then(|d| parse_dct(d).ok());
    let mut out = Vec::new();
    // the latest day named in the text: a bare time of day ("at 16:15 UTC")
    // is on it rather than on the publication date
    let mut last_day: Option<String> = None;
    for sentence in &doc.sentences {
        for cand in recognize::sentence(&doc.text, sentence) {
            let tense = resolve::tense(sentence, cand.start, cand.end);
            let Some(mut r) = resolve::value(&cand.spec, dct, tense) else {
                continue;
            };
            // a shift out of the years 0–9999 has no TIMEX3 value
            let year_digits = r.value.bytes().take_while(u8::is_ascii_digit).count();
            if r.value.starts_with('-') || year_digits > 4 {
                continue;
            }
            match (&cand.spec, &last_day) {
                (recognize::Spec::Time { day: None, .. }, Some(day)) => {
                    if let Some((_, clock)) = r.value.split_once('T') {
                        r.value = format!("{day}T{clock}");
                    }
                }
                (recognize::Spec::TheDay, Some(day)) => r.value.clone_from(day),
                _ => {}
            }
            let dated = r.value.starts_with(|c: char| c.is_ascii_digit());
            match r.granularity {
                Granularity::Day if dated => last_day = Some(r.value.clone()),
                Granularity::Time if dated => {
                    last_day = r.value.split_once('T').map(|(d, _)| d.to_string());
                }
                _ => {}
            }
            let (Some(first), Some(last)) = (
                sentence.tokens.get(cand.start),
                cand.end.checked_sub(1).and_then(|e| sentence.tokens.get(e)),
            ) else {
                continue;
            };
            let (start, end) = (first.start, last.end);
            out.push(Timex {
                start,
                end,
                text: doc.text.get(start..end).unwrap_or("").to_string(),
                kind: cand.kind,
                value: r.value,
                modifier: cand.modifier.map(str::to_string),
                granularity: r.granularity,
                sentence: sentence.index,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
