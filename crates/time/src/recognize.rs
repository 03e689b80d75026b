//! Recognition: token patterns that mark a temporal expression and what it
//! means before it is anchored (a [`Spec`]).
//!
//! Each position of a sentence is tried with every pattern and the longest
//! match wins; matching then goes on after it, so expressions never overlap.

use crate::lexicon::{self, Unit};
use crate::TimexType;
use pulse_nlp::{Sentence, Token, TokenKind};

/// What an expression means, before the DCT and the tense anchor it.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// A calendar date: month and day with or without a year, or a month of a year.
    Date {
        y: Option<i32>,
        m: u8,
        d: Option<u8>,
    },
    /// A calendar year.
    Year(i32),
    /// A fiscal year.
    Fiscal(i32),
    /// A weekday: `rel` 0 = by tense, -1 = "last", +1 = "next".
    Weekday { wd: u8, rel: i8 },
    /// Days from the DCT: today 0, yesterday -1, tomorrow 1.
    DayOff(i64),
    /// "the day": the last day the text named, else the DCT.
    TheDay,
    /// The unit containing the DCT, moved by `off` units ("last week" = -1).
    Rel { unit: Unit, off: i64 },
    /// `n` units before (`dir` -1) or after (+1) the DCT ("two days ago").
    Ago { unit: Unit, n: f64, dir: i64 },
    /// A month named with "last", "this" or "next" (`rel` -1, 0, 1).
    MonthRel { m: u8, rel: i8 },
    /// A month of the DCT's year moved by `off` ("October of next year").
    MonthOfYear { m: u8, off: i64 },
    /// A decade by its first three digits (199 = the 1990s).
    Decade(i32),
    /// The decade of the DCT, moved by `off`.
    RelDecade(i64),
    /// A century by its first two digits (19 = the 20th century).
    Century(i32),
    /// A quarter (`half` false) or half (true) of a year: a given year, the
    /// DCT's year moved by `rel`, or (both absent) anchored by tense.
    Part {
        n: u8,
        half: bool,
        y: Option<i32>,
        rel: Option<i64>,
        /// Of a fiscal year ("the fiscal third quarter").
        fiscal: bool,
    },
    /// The quarter of the DCT moved by `off` ("last quarter").
    RelQuarter(i64),
    /// A season, of a year or the DCT's year moved by `rel`, else by tense.
    Season {
        s: &'static str,
        y: Option<i32>,
        rel: Option<i64>,
    },
    /// PRESENT_REF, PAST_REF or FUTURE_REF.
    Ref(&'static str),
    /// A length of time; `n` absent = unspecified ("several days", "years").
    Duration { unit: Unit, n: Option<f64> },
    /// Every `unit`.
    Set { unit: Unit },
    /// Every given weekday.
    SetWeekday(u8),
    /// A time of day on a day (`day`: a DayOff, Weekday or Date) or alone.
    Time {
        day: Option<Box<Spec>>,
        clock: Clock,
    },
}

/// A time of day.
#[derive(Debug, Clone, PartialEq)]
pub enum Clock {
    /// Hours and minutes, 24-hour; true when given in UTC/GMT.
    Hm(u8, u8, bool),
    /// A part of the day (MO, AF, EV, NI).
    Part(&'static str),
}

/// A recognised expression: a token range and its meaning.
#[derive(Debug, Clone)]
pub struct Cand {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// DATE, TIME, DURATION or SET.
    pub kind: TimexType,
    /// What it means before anchoring.
    pub spec: Spec,
    /// The TIMEX3 `mod`, if the words around it give one.
    pub modifier: Option<&'static str>,
}

/// A match at a position: its end and meaning.
#[derive(Debug, Clone)]
struct M {
    end: usize,
    kind: TimexType,
    spec: Spec,
    modifier: Option<&'static str>,
}

fn m(end: usize, kind: TimexType, spec: Spec) -> Option<M> {
    Some(M {
        end,
        kind,
        spec,
        modifier: None,
    })
}

/// A sentence's tokens with their lower-case forms (a word's trailing
/// period removed: "aug." is "aug").
struct Ctx<'a> {
    toks: &'a [Token],
    w: Vec<String>,
    text: &'a str,
}

impl Ctx<'_> {
    fn w(&self, i: usize) -> &str {
        self.w.get(i).map_or("", String::as_str)
    }

    fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    fn xpos(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| t.xpos.as_str())
    }

    fn capitalised(&self, i: usize) -> bool {
        self.tok(i)
            .and_then(|t| t.norm.chars().next())
            .is_some_and(char::is_uppercase)
    }

    fn is_number(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.kind == TokenKind::Number)
    }

    /// Tokens `i` and `i + 1` touch (no space between them).
    fn adjacent(&self, i: usize) -> bool {
        match (self.tok(i), self.tok(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    /// Skip a period token glued to an abbreviation ("Aug" ".").
    fn skip_dot(&self, i: usize) -> usize {
        if self.w(i + 1) == "." && self.adjacent(i) && self.w(i).len() <= 4 {
            i + 2
        } else {
            i + 1
        }
    }
}

/// All expressions of a sentence, left to right, not overlapping.
pub fn sentence(text: &str, s: &Sentence) -> Vec<Cand> {
    let w = s
        .tokens
        .iter()
        .map(|t| {
            let l = t.lower.as_str();
            let l = if l.len() > 1 && t.kind == TokenKind::Word {
                l.strip_suffix('.').unwrap_or(l)
            } else {
                l
            };
            l.to_string()
        })
        .collect();
    let cx = Ctx {
        toks: &s.tokens,
        w,
        text,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.tokens.len() {
        match wrapped(&cx, i) {
            Some(found) if found.end > i => {
                let end = found.end;
                let mut modifier = found.modifier;
                if modifier.is_none() {
                    modifier = signal(&cx, i, found.kind);
                }
                out.push(Cand {
                    start: i,
                    end,
                    kind: found.kind,
                    spec: found.spec,
                    modifier,
                });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// A TIMEX3 mod from the words before an expression that stay outside its
/// span: a preposition before a date ("since May" = ON_OR_AFTER), a bound
/// before a length ("about a month" = APPROX, "more than two weeks").
fn signal(cx: &Ctx, i: usize, kind: TimexType) -> Option<&'static str> {
    let prev = i.checked_sub(1).map_or("", |p| cx.w(p));
    let prev2 = i.checked_sub(2).map_or("", |p| cx.w(p));
    if kind == TimexType::Duration {
        return match (prev2, prev) {
            (_, "about" | "around" | "approximately" | "roughly" | "some") => Some("APPROX"),
            ("more" | "longer", "than") => Some("MORE_THAN"),
            ("less" | "fewer" | "shorter", "than") => Some("LESS_THAN"),
            ("at", "least") => Some("EQUAL_OR_MORE"),
            ("at", "most") | ("up", "to") => Some("EQUAL_OR_LESS"),
            _ => None,
        };
    }
    if kind != TimexType::Date {
        return None;
    }
    match prev {
        "since" => Some("ON_OR_AFTER"),
        "after" => Some("AFTER"),
        "before" => Some("BEFORE"),
        "by" | "until" | "till" => Some("ON_OR_BEFORE"),
        _ => None,
    }
}

fn longest(a: Option<M>, b: Option<M>) -> Option<M> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.end > x.end { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Patterns with a leading word that only belongs to the expression when an
/// expression follows it ("the", "almost", "early", "the end of").
fn wrapped(cx: &Ctx, i: usize) -> Option<M> {
    longest(prefixed(cx, i, true), the_inner(cx, i, true))
}

/// "the last week", "the third quarter", "the past": "the" at `i` before an
/// expression that takes it. `nest` allows one boundary phrase inside.
fn the_inner(cx: &Ctx, i: usize, nest: bool) -> Option<M> {
    if cx.w(i) != "the" {
        return None;
    }
    prefixed(cx, i + 1, nest).filter(|x| {
        matches!(
            x.spec,
            Spec::Rel { .. }
                | Spec::RelDecade(_)
                | Spec::Part { .. }
                | Spec::RelQuarter(_)
                | Spec::MonthRel { .. }
        ) || (matches!(x.spec, Spec::Ref(_)) && matches!(cx.w(i + 1), "past" | "future"))
            || (matches!(x.spec, Spec::Duration { .. })
                && matches!(
                    cx.w(i + 1),
                    "past" | "last" | "next" | "coming" | "following" | "previous" | "first"
                ))
            || x.modifier
                .is_some_and(|m| m == "START" || m == "END" || m == "MID")
    })
}

/// An expression at `i` with the words before it that belong to it
/// ("almost", "early", "mid-", "the end of"); no recursion beyond one
/// boundary phrase (`nest`), so work stays linear in the sentence.
fn prefixed(cx: &Ctx, i: usize, nest: bool) -> Option<M> {
    let mut best = core(cx, i);
    let w = cx.w(i);
    // approximations and bounds on lengths: "almost a year", "more than two weeks"
    let approx: Option<(usize, &'static str)> = match (w, cx.w(i + 1)) {
        ("more" | "longer", "than") => Some((2, "MORE_THAN")),
        ("less" | "fewer" | "shorter", "than") => Some((2, "LESS_THAN")),
        ("at", "least") => Some((2, "EQUAL_OR_MORE")),
        ("at", "most") | ("up", "to") => Some((2, "EQUAL_OR_LESS")),
        ("almost" | "nearly" | "under", _) => Some((1, "LESS_THAN")),
        ("over", _) => Some((1, "MORE_THAN")),
        _ => None,
    };
    if let Some((k, modifier)) = approx {
        if let Some(mut inner) = core(cx, i + k) {
            if matches!(
                inner.spec,
                Spec::Duration { n: Some(_), .. } | Spec::Ago { .. }
            ) {
                inner.modifier = Some(modifier);
                best = longest(best, Some(inner));
            }
        }
    }
    // "early 2009", "mid-July", "late last year"
    let position = match w {
        "early" => Some("START"),
        "late" => Some("END"),
        "mid" => Some("MID"),
        _ => None,
    };
    if let Some(pos) = position {
        let j = if cx.w(i + 1) == "-" { i + 2 } else { i + 1 };
        if let Some(mut inner) = core(cx, j) {
            if coarse(&inner.spec) {
                inner.modifier = Some(pos);
                best = longest(best, Some(inner));
            }
        }
    }
    // one token: "mid-July", "mid-2019", "mid-1990s"
    if let Some(rest) = w.strip_prefix("mid-") {
        let spec = if let Some(mo) = lexicon::month(rest) {
            Some(date(None, mo, None))
        } else if rest.len() == 4 {
            lexicon::small_number(rest)
                .map(|y| y as i32)
                .filter(|y| (1000..2200).contains(y))
                .map(Spec::Year)
        } else {
            rest.strip_suffix('s')
                .filter(|d| d.len() == 4 && d.ends_with('0'))
                .and_then(lexicon::small_number)
                .map(|y| Spec::Decade(y as i32 / 10))
        };
        if let Some(spec) = spec {
            let found = M {
                end: i + 1,
                kind: TimexType::Date,
                spec,
                modifier: Some("MID"),
            };
            best = longest(best, Some(found));
        }
    }
    // "the end of the year", "the beginning of 2009", "end of March"
    let k = if w == "the" { i + 1 } else { i };
    let boundary = match cx.w(k) {
        "end" | "close" => Some("END"),
        "beginning" | "start" | "dawn" => Some("START"),
        "middle" => Some("MID"),
        _ => None,
    };
    if let (Some(pos), "of", true) = (boundary, cx.w(k + 1), nest) {
        let j = k + 2;
        let inner = if cx.w(j) == "the" {
            // "the year", "the month": the DCT's
            match lexicon::unit(cx.w(j + 1)) {
                Some((unit, false)) if unit.rank() >= Unit::Week.rank() => {
                    m(j + 2, TimexType::Date, Spec::Rel { unit, off: 0 })
                }
                _ => the_inner(cx, j, false),
            }
        } else if let Some((unit, false)) =
            lexicon::unit(cx.w(j)).filter(|u| u.0.rank() >= Unit::Week.rank())
        {
            // "end of year"
            m(j + 1, TimexType::Date, Spec::Rel { unit, off: 0 })
        } else {
            core(cx, j)
        };
        if let Some(mut inner) = inner.filter(|x| coarse(&x.spec)) {
            inner.modifier = Some(pos);
            best = longest(best, Some(inner));
        }
    }
    best
}

impl Unit {
    /// Length order of units (a week and a weekend rank alike).
    fn rank(self) -> u8 {
        match self {
            Unit::Second => 0,
            Unit::Minute => 1,
            Unit::Hour => 2,
            Unit::Day => 3,
            Unit::Week | Unit::Weekend => 4,
            Unit::Month => 5,
            Unit::Quarter => 6,
            Unit::Year => 7,
            Unit::Decade => 8,
            Unit::Century => 9,
        }
    }
}

/// A period long enough to have a start, middle and end (a month or longer).
fn coarse(s: &Spec) -> bool {
    match s {
        Spec::Date { d, .. } => d.is_none(),
        Spec::Rel { unit, .. } => unit.rank() >= Unit::Week.rank(),
        Spec::Year(_)
        | Spec::Fiscal(_)
        | Spec::MonthRel { .. }
        | Spec::Decade(_)
        | Spec::RelDecade(_)
        | Spec::Century(_)
        | Spec::Part { .. }
        | Spec::RelQuarter(_)
        | Spec::Season { .. } => true,
        _ => false,
    }
}

/// Every base pattern at `i`; the longest match.
fn core(cx: &Ctx, i: usize) -> Option<M> {
    let mut best = None;
    for f in [
        iso_date,
        month_first,
        day_first,
        weekday,
        year,
        century,
        deictic,
        relative,
        quarter,
        season,
        duration,
        set,
        clock,
    ] {
        best = longest(best, f(cx, i));
    }
    best
}

/// "2019-08-06" (one token or several touching ones).
fn iso_date(cx: &Ctx, i: usize) -> Option<M> {
    let t = cx.tok(i)?;
    if t.kind != TokenKind::Number {
        return None;
    }
    let s = cx.text.get(t.start..)?.as_bytes();
    let shape = b"dddd-dd-dd";
    if s.len() < shape.len() {
        return None;
    }
    for (c, k) in s.iter().zip(shape) {
        let ok = if *k == b'd' {
            c.is_ascii_digit()
        } else {
            c == k
        };
        if !ok {
            return None;
        }
    }
    if s.get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let field = |a: usize, b: usize| {
        std::str::from_utf8(s.get(a..b)?)
            .ok()
            .and_then(lexicon::small_number)
    };
    let (y, mo, d) = (field(0, 4)?, field(5, 7)?, field(8, 10)?);
    let end_byte = t.start + 10;
    let mut j = i;
    while cx.tok(j).is_some_and(|t| t.end < end_byte) {
        j += 1;
    }
    if cx.tok(j).map(|t| t.end) != Some(end_byte) {
        return None;
    }
    valid_day(y as i32, mo as u8, d as u8)?;
    m(
        j + 1,
        TimexType::Date,
        Spec::Date {
            y: Some(y as i32),
            m: mo as u8,
            d: Some(d as u8),
        },
    )
}

/// The date exists (no February 30).
fn valid_day(y: i32, m: u8, d: u8) -> Option<()> {
    let y = i16::try_from(y).ok()?;
    jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some(())
}

/// A plausible year written with four digits (1000–2199) at `i`.
fn year_at(cx: &Ctx, i: usize) -> Option<i32> {
    if !cx.is_number(i) {
        return None;
    }
    let w = cx.w(i);
    if w.len() != 4 {
        return None;
    }
    let y = lexicon::small_number(w)? as i32;
    (1000..2200).contains(&y).then_some(y)
}

/// A day of the month at `i` ("6", "6th", "1st").
fn day_at(cx: &Ctx, i: usize) -> Option<u8> {
    let w = cx.w(i);
    let n = if cx.is_number(i) && w.len() <= 2 {
        lexicon::small_number(w)?
    } else if w.len() <= 4 && w.starts_with(|c: char| c.is_ascii_digit()) {
        lexicon::ordinal(w)?
    } else {
        return None;
    };
    (1..=31).contains(&n).then_some(n as u8)
}

/// A month name at `i` that is not some other word ("may", "march").
/// Returns the month and the token after it.
fn month_at(cx: &Ctx, i: usize) -> Option<(u8, usize)> {
    let w = cx.w(i);
    let mo = lexicon::month(w)?;
    if !cx.capitalised(i) || cx.xpos(i) == "MD" {
        return None;
    }
    let abbrev = lexicon::month_is_abbrev(w);
    let dotted = cx.tok(i).is_some_and(|t| t.lower.ends_with('.'));
    let next = if abbrev && !dotted {
        cx.skip_dot(i)
    } else {
        i + 1
    };
    if w == "may" || w == "march" || (abbrev && !dotted && next == i + 1) {
        // a bare ambiguous name needs a number after it or a time preposition before it
        let followed = day_at(cx, next).is_some() || year_at(cx, next).is_some();
        let prev = i.checked_sub(1).map_or("", |p| cx.w(p));
        let led = matches!(
            prev,
            "in" | "since"
                | "of"
                | "by"
                | "until"
                | "from"
                | "through"
                | "during"
                | "early"
                | "late"
                | "mid"
                | "-"
                | "last"
                | "next"
                | "this"
                | "and"
                | "or"
                | "to"
                | "before"
                | "after"
        );
        if !followed && !led {
            return None;
        }
    }
    Some((mo, next))
}

/// "August 6", "Aug. 6, 2019", "May 2017", "May of 2017", "July".
fn month_first(cx: &Ctx, i: usize) -> Option<M> {
    let (mo, j) = month_at(cx, i)?;
    if let Some(d) = day_at(cx, j) {
        let k = if cx.w(j + 1) == "," { j + 2 } else { j + 1 };
        if let Some(y) = year_at(cx, k) {
            valid_day(y, mo, d)?;
            return m(k + 1, TimexType::Date, date(Some(y), mo, Some(d)));
        }
        valid_day(2000, mo, d)?;
        return m(j + 1, TimexType::Date, date(None, mo, Some(d)));
    }
    let k = if cx.w(j) == "of" || cx.w(j) == "," {
        j + 1
    } else {
        j
    };
    if let Some(y) = year_at(cx, k) {
        return m(k + 1, TimexType::Date, date(Some(y), mo, None));
    }
    // "October of next year"
    if cx.w(j) == "of" && cx.w(j + 2) == "year" {
        let off = match cx.w(j + 1) {
            "last" => -1,
            "this" => 0,
            "next" => 1,
            _ => return m(j, TimexType::Date, date(None, mo, None)),
        };
        // the span stays the month's: "next year" is an expression of its own
        return m(j, TimexType::Date, Spec::MonthOfYear { m: mo, off });
    }
    m(j, TimexType::Date, date(None, mo, None))
}

fn date(y: Option<i32>, m: u8, d: Option<u8>) -> Spec {
    Spec::Date { y, m, d }
}

/// "6 August 2019", "1st of May".
fn day_first(cx: &Ctx, i: usize) -> Option<M> {
    let d = day_at(cx, i)?;
    let j = if cx.w(i + 1) == "of" { i + 2 } else { i + 1 };
    let (mo, k) = month_at(cx, j)?;
    let k2 = if cx.w(k) == "," { k + 1 } else { k };
    if let Some(y) = year_at(cx, k2) {
        valid_day(y, mo, d)?;
        return m(k2 + 1, TimexType::Date, date(Some(y), mo, Some(d)));
    }
    valid_day(2000, mo, d)?;
    m(k, TimexType::Date, date(None, mo, Some(d)))
}

/// "Tuesday", "Tuesday, August 6", "Friday afternoon".
fn weekday(cx: &Ctx, i: usize) -> Option<M> {
    let wd = lexicon::weekday(cx.w(i))?;
    let full = cx.w(i).len() >= 6;
    if !cx.capitalised(i) || (!full && !cx.tok(i).is_some_and(|t| t.lower.ends_with('.'))) {
        return None;
    }
    let j = cx.skip_dot(i);
    let k = if cx.w(j) == "," { j + 1 } else { j };
    if let Some(found) = month_first(cx, k).or_else(|| day_first(cx, k)) {
        if matches!(found.spec, Spec::Date { d: Some(_), .. }) {
            return Some(found);
        }
    }
    let day = Spec::Weekday { wd, rel: 0 };
    if let Some(part) = lexicon::part_of_day(cx.w(j)) {
        return m(
            j + 1,
            TimexType::Time,
            Spec::Time {
                day: Some(Box::new(day)),
                clock: Clock::Part(part),
            },
        );
    }
    m(j, TimexType::Date, day)
}

/// "2019", "fiscal 2019", "FY2019", "the 1990s", "'90s".
fn year(cx: &Ctx, i: usize) -> Option<M> {
    let w = cx.w(i);
    if w == "fiscal" {
        let j = if cx.w(i + 1) == "year" { i + 2 } else { i + 1 };
        let y = year_at(cx, j)?;
        return m(j + 1, TimexType::Date, Spec::Fiscal(y));
    }
    if let Some(rest) = w.strip_prefix("fy") {
        let y = lexicon::small_number(rest)? as i32;
        let y = match rest.len() {
            4 => y,
            2 => 2000 + y,
            _ => return None,
        };
        return m(i + 1, TimexType::Date, Spec::Fiscal(y));
    }
    if let Some(digits) = w.strip_suffix("s").or_else(|| w.strip_suffix("'s")) {
        let digits = digits.strip_suffix('\'').unwrap_or(digits);
        if digits.len() == 4 && digits.ends_with('0') {
            let y = lexicon::small_number(digits)? as i32;
            if (1000..2200).contains(&y) {
                return m(i + 1, TimexType::Date, Spec::Decade(y / 10));
            }
        }
        // "'80s", "the 80s" (not "in his 80s", an age)
        let two = digits.strip_prefix('\'').unwrap_or(digits);
        let prev = i.checked_sub(1).map_or("", |p| cx.w(p));
        let led = digits.starts_with('\'') || matches!(prev, "'" | "the");
        if two.len() == 2 && two.ends_with('0') && led {
            let y = lexicon::small_number(two)? as i32;
            return m(i + 1, TimexType::Date, Spec::Decade(190 + y / 10));
        }
    }
    let y = year_at(cx, i)?;
    // not a count ("2000 people", "$2019"), nor part of a bigger number
    let prev = i.checked_sub(1).map_or("", |p| cx.w(p));
    if matches!(prev, "$" | "#" | "no" | "number" | "us$" | "€" | "£")
        || cx.w(i + 1) == "%"
        || cx.w(i + 1) == "percent"
        || matches!(cx.xpos(i + 1), "NNS" | "CD")
    {
        return None;
    }
    m(i + 1, TimexType::Date, Spec::Year(y))
}

/// "the 20th century", "the twenty-first century".
fn century(cx: &Ctx, i: usize) -> Option<M> {
    let n = lexicon::ordinal(cx.w(i))?;
    if !(1..=30).contains(&n) {
        return None;
    }
    let j = if cx.w(i + 1) == "-" { i + 2 } else { i + 1 };
    if cx.w(j) != "century" {
        return None;
    }
    m(j + 1, TimexType::Date, Spec::Century(n as i32 - 1))
}

/// "today", "yesterday afternoon", "tonight", "now", "currently", "the past".
fn deictic(cx: &Ctx, i: usize) -> Option<M> {
    let w = cx.w(i);
    let day = match w {
        "today" => Some(0),
        "yesterday" => Some(-1),
        "tomorrow" => Some(1),
        _ => None,
    };
    if let Some(off) = day {
        if let Some(part) = lexicon::part_of_day(cx.w(i + 1)) {
            return m(i + 2, TimexType::Time, time_on(Spec::DayOff(off), part));
        }
        return m(i + 1, TimexType::Date, Spec::DayOff(off));
    }
    match (w, cx.w(i + 1)) {
        ("tonight", _) => return m(i + 1, TimexType::Time, time_on(Spec::DayOff(0), "NI")),
        ("last", "night") => return m(i + 2, TimexType::Time, time_on(Spec::DayOff(-1), "NI")),
        ("this", p) => {
            if let Some(part) = lexicon::part_of_day(p) {
                return m(i + 2, TimexType::Time, time_on(Spec::DayOff(0), part));
            }
        }
        ("earlier" | "later", "today") => return m(i + 2, TimexType::Date, Spec::DayOff(0)),
        _ => {}
    }
    // "for the time being", "the weekend"
    if w == "the" && cx.w(i + 1) == "time" && cx.w(i + 2) == "being" {
        return m(i + 3, TimexType::Date, Spec::Ref("PRESENT_REF"));
    }
    if w == "the" && cx.w(i + 1) == "weekend" {
        let spec = Spec::Rel {
            unit: Unit::Weekend,
            off: 0,
        };
        return m(i + 2, TimexType::Date, spec);
    }
    // "the day" is the day the report is about
    if w == "the" && cx.w(i + 1) == "day" {
        if matches!(
            cx.w(i + 2),
            "after" | "before" | "of" | "when" | "that" | "-" | "'s"
        ) {
            return None;
        }
        return m(i + 2, TimexType::Date, Spec::TheDay);
    }
    let r = match w {
        "now" | "currently" | "nowadays" | "presently" => "PRESENT_REF",
        "recently" | "lately" => "PAST_REF",
        "recent" if lexicon::unit(cx.w(i + 1)).is_none() => "PAST_REF",
        "past" if i > 0 && cx.w(i - 1) == "the" && !cx.is_number(i + 1) => {
            if lexicon::unit(cx.w(i + 1)).is_some() || cx.w(i + 1) == "several" {
                return None;
            }
            "PAST_REF"
        }
        "future" if i > 0 && cx.w(i - 1) == "the" => "FUTURE_REF",
        _ => return None,
    };
    m(i + 1, TimexType::Date, Spec::Ref(r))
}

fn time_on(day: Spec, part: &'static str) -> Spec {
    Spec::Time {
        day: Some(Box::new(day)),
        clock: Clock::Part(part),
    }
}

/// "last week", "this year", "next month", "last September", "next Tuesday",
/// "last summer", "earlier this month", "the past decade".
fn relative(cx: &Ctx, i: usize) -> Option<M> {
    let (i, lead) = match cx.w(i) {
        "earlier" | "later" if cx.w(i + 1) == "this" => (i + 1, true),
        _ => (i, false),
    };
    let _ = lead;
    let off: i64 = match cx.w(i) {
        "last" | "past" | "previous" | "prior" => -1,
        "this" | "current" => 0,
        "next" | "coming" | "following" | "upcoming" => 1,
        _ => return None,
    };
    // "this fiscal year" is read as the calendar year
    let j = if cx.w(i + 1) == "fiscal" {
        i + 2
    } else {
        i + 1
    };
    let w = cx.w(j);
    if let Some((unit, false)) = lexicon::unit(w) {
        if unit == Unit::Decade {
            // "the next decade" is read as the ten years to come
            if off > 0 {
                let spec = Spec::Duration { unit, n: Some(1.0) };
                return m(j + 1, TimexType::Duration, spec);
            }
            return m(j + 1, TimexType::Date, Spec::RelDecade(off));
        }
        if unit == Unit::Quarter {
            return m(j + 1, TimexType::Date, Spec::RelQuarter(off));
        }
        if unit.rank() < Unit::Day.rank() && off != 0 {
            return None;
        }
        // "the following decade" names a length in gold style, but a date is more useful
        return m(j + 1, TimexType::Date, Spec::Rel { unit, off });
    }
    if let Some(mo) = lexicon::month(w).filter(|_| cx.capitalised(j)) {
        return m(
            j + 1,
            TimexType::Date,
            Spec::MonthRel {
                m: mo,
                rel: off as i8,
            },
        );
    }
    if let Some(wd) = lexicon::weekday(w).filter(|_| cx.capitalised(j) && w.len() >= 6) {
        return m(j + 1, TimexType::Date, Spec::Weekday { wd, rel: off as i8 });
    }
    if let Some(s) = lexicon::season(w) {
        return m(
            j + 1,
            TimexType::Date,
            Spec::Season {
                s,
                y: None,
                rel: Some(off),
            },
        );
    }
    None
}

/// "the third quarter", "Q3 2019", "first-quarter", "the second half of 2019".
fn quarter(cx: &Ctx, i: usize) -> Option<M> {
    let w = cx.w(i);
    // "fiscal third quarter": the value says FY
    if w == "fiscal" {
        let mut found = quarter_at(cx, i + 1)?;
        if let Spec::Part { fiscal, .. } = &mut found.spec {
            *fiscal = true;
        }
        return Some(found);
    }
    quarter_at(cx, i)
}

/// A quarter or half at `i`, "fiscal" before it already seen.
fn quarter_at(cx: &Ctx, i: usize) -> Option<M> {
    let w = cx.w(i);
    // "Q3", "Q3 2019", "3Q"
    let qn = w
        .strip_prefix('q')
        .or_else(|| w.strip_suffix('q'))
        .and_then(lexicon::small_number);
    if let Some(q) = qn.filter(|q| (1..=4).contains(q) && w.len() == 2) {
        let y = year_at(cx, i + 1);
        let end = if y.is_some() { i + 2 } else { i + 1 };
        return m(end, TimexType::Date, part(q as u8, false, y, None));
    }
    // "first-quarter" as one token or "first quarter"
    let (ord, unit, j, fiscal) = match w.split_once('-') {
        Some((a, b)) => (lexicon::ordinal(a)?, b, i + 1, false),
        None if cx.w(i + 1) == "fiscal" => (lexicon::ordinal(w)?, cx.w(i + 2), i + 3, true),
        None => (lexicon::ordinal(w)?, cx.w(i + 1), i + 2, false),
    };
    let half = match unit {
        "quarter" => false,
        "half" => true,
        _ => return None,
    };
    let n = if ord == 99 {
        if half {
            2
        } else {
            4
        }
    } else {
        ord
    };
    if n < 1 || n > if half { 2 } else { 4 } {
        return None;
    }
    let n = n as u8;
    // "of 2019", "of this year", "of last year", "2019"
    if cx.w(j) == "of" {
        if let Some(y) = year_at(cx, j + 1) {
            return m(
                j + 2,
                TimexType::Date,
                part_f(n, half, fiscal, Some(y), None),
            );
        }
        let rel = match (cx.w(j + 1), cx.w(j + 2)) {
            ("this" | "the", "year") => Some(0),
            ("last" | "the", "previous") | ("last", "year") => Some(-1),
            ("next", "year") => Some(1),
            _ => None,
        };
        if let Some(r) = rel {
            return m(
                j + 3,
                TimexType::Date,
                part_f(n, half, fiscal, None, Some(r)),
            );
        }
    }
    if let Some(y) = year_at(cx, j) {
        return m(
            j + 1,
            TimexType::Date,
            part_f(n, half, fiscal, Some(y), None),
        );
    }
    // "first-quarter profit": the adjective still names the quarter
    m(j, TimexType::Date, part_f(n, half, fiscal, None, None))
}

fn part(n: u8, half: bool, y: Option<i32>, rel: Option<i64>) -> Spec {
    part_f(n, half, false, y, rel)
}

fn part_f(n: u8, half: bool, fiscal: bool, y: Option<i32>, rel: Option<i64>) -> Spec {
    Spec::Part {
        n,
        half,
        y,
        rel,
        fiscal,
    }
}

/// "summer 2019", "in the winter" (a bare season needs a year or a preposition).
fn season(cx: &Ctx, i: usize) -> Option<M> {
    let s = lexicon::season(cx.w(i))?;
    if !cx.xpos(i).starts_with("NN") {
        return None;
    }
    let k = if cx.w(i + 1) == "of" { i + 2 } else { i + 1 };
    if let Some(y) = year_at(cx, k) {
        return m(
            k + 1,
            TimexType::Date,
            Spec::Season {
                s,
                y: Some(y),
                rel: None,
            },
        );
    }
    let prev = i.checked_sub(1).map_or("", |p| cx.w(p));
    if !matches!(prev, "in" | "during" | "since" | "until" | "this" | "by") {
        return None;
    }
    m(
        i + 1,
        TimexType::Date,
        Spec::Season {
            s,
            y: None,
            rel: None,
        },
    )
}

/// A count before a unit: a cardinal, "a"/"an", "several", "a few";
/// returns the number (absent = unspecified) and the next token.
fn count(cx: &Ctx, i: usize) -> Option<(Option<f64>, usize)> {
    let w = cx.w(i);
    let (n, mut j) = match w {
        "a" | "an" | "one" if cx.w(i + 1) == "few" => (None, i + 2),
        "a" | "an" => (Some(1.0), i + 1),
        "several" | "few" | "many" | "some" => (None, i + 1),
        _ => {
            let n = lexicon::cardinal(w)?;
            let mut j = i + 1;
            // "two and a half years"
            if cx.w(j) == "and" && cx.w(j + 1) == "a" && cx.w(j + 2) == "half" {
                return Some((Some(n + 0.5), j + 3));
            }
            // "1.5 million" is no count of time
            if matches!(cx.w(j), "million" | "billion" | "thousand" | "trillion") {
                return None;
            }
            if cx.w(j) == "-" && cx.adjacent(i) {
                j += 1;
            }
            (Some(n), j)
        }
    };
    // "a half-hour"? keep simple: "more" in "two more years"
    if matches!(
        cx.w(j),
        "more" | "straight" | "consecutive" | "trading" | "business"
    ) {
        j += 1;
    }
    Some((n, j))
}

/// "three days", "18 months", "a year", "five-year", "years", "two days ago".
fn duration(cx: &Ctx, i: usize) -> Option<M> {
    let w = cx.w(i);
    // one token: "five-year", "41-year", "decades-long", "single-day"
    if let Some((a, b)) = w.split_once('-') {
        let b = b.strip_suffix("-long").unwrap_or(b);
        let b = b.split('-').next().unwrap_or(b);
        if let Some((unit, plural)) = lexicon::unit(b) {
            let n = if a == "single" {
                Some(1.0)
            } else {
                lexicon::cardinal(a)
            };
            if n.is_some() != plural {
                return m(i + 1, TimexType::Duration, Spec::Duration { unit, n });
            }
        }
        if let Some((unit, true)) = lexicon::unit(a) {
            if b == "long" {
                return m(i + 1, TimexType::Duration, Spec::Duration { unit, n: None });
            }
        }
    }
    // "the past several months", "the next six months", "recent years"
    let lead = matches!(
        w,
        "past" | "last" | "next" | "coming" | "following" | "previous" | "recent" | "first"
    );
    let start = if lead { i + 1 } else { i };
    if let Some((n, j)) = count(cx, start) {
        let (unit, plural) = lexicon::unit(cx.w(j))?;
        // "a second consecutive day", "a quarter of its dealers"
        if matches!(cx.w(start), "a" | "an")
            && (plural || unit == Unit::Second || (unit == Unit::Quarter && cx.w(j + 1) == "of"))
        {
            return None;
        }
        // the number must agree: "one year", "two years" (a hyphenated adjective may be singular)
        if let Some(v) = n {
            if (v - 1.0).abs() < f64::EPSILON && plural {
                return None;
            }
        }
        let end = j + 1;
        if !lead {
            let dir = match (cx.w(end), cx.w(end + 1)) {
                ("ago" | "earlier" | "before", _) if cx.w(end) == "ago" => Some(-1),
                ("from", "now") => Some(1),
                _ => None,
            };
            if let (Some(dir), Some(v)) = (dir, n) {
                let len = if dir == 1 { 2 } else { 1 };
                return m(end + len, TimexType::Date, Spec::Ago { unit, n: v, dir });
            }
            // "a year" after a count or an amount is a rate: "15 a year"
            if w == "a" && !plural && i > 0 && cx.is_number(i - 1) {
                return m(end, TimexType::Set, Spec::Set { unit });
            }
        }
        return m(end, TimexType::Duration, Spec::Duration { unit, n });
    }
    if lead {
        // "recent years", "the past months"
        if let Some((unit, true)) = lexicon::unit(cx.w(i + 1)) {
            return m(i + 2, TimexType::Duration, Spec::Duration { unit, n: None });
        }
        return None;
    }
    // a bare plural: "years", "decades"
    if let Some((unit, true)) = lexicon::unit(w) {
        return m(i + 1, TimexType::Duration, Spec::Duration { unit, n: None });
    }
    None
}

/// "every week", "each Tuesday", "annually", "twice a year", "per month".
fn set(cx: &Ctx, i: usize) -> Option<M> {
    let w = cx.w(i);
    let every = match w {
        "daily" => Some(Unit::Day),
        "weekly" => Some(Unit::Week),
        "monthly" => Some(Unit::Month),
        "quarterly" => Some(Unit::Quarter),
        "annually" | "yearly" | "annual" => Some(Unit::Year),
        _ => None,
    };
    // not a name ("Daily News")
    if let Some(unit) = every.filter(|_| !cx.xpos(i).starts_with("NNP")) {
        return m(i + 1, TimexType::Set, Spec::Set { unit });
    }
    match w {
        "every" | "each" | "per" => {
            let j = if cx.w(i + 1) == "other" { i + 2 } else { i + 1 };
            if let Some((unit, false)) = lexicon::unit(cx.w(j)) {
                return m(j + 1, TimexType::Set, Spec::Set { unit });
            }
            if let Some(wd) = lexicon::weekday(cx.w(j)) {
                return m(j + 1, TimexType::Set, Spec::SetWeekday(wd));
            }
            if w != "per" && (lexicon::season(cx.w(j)).is_some() || cx.w(j) == "season") {
                return m(j + 1, TimexType::Set, Spec::Set { unit: Unit::Year });
            }
            None
        }
        "once" | "twice" if cx.w(i + 1) == "a" => {
            let (unit, false) = lexicon::unit(cx.w(i + 2))? else {
                return None;
            };
            m(i + 3, TimexType::Set, Spec::Set { unit })
        }
        _ => None,
    }
}

/// "8 p.m.", "6:40 a.m.", "10:30", "0800 UTC", "noon", "midnight", and a
/// day after a time ("15:00 GMT Saturday", "16:00 UTC today").
fn clock(cx: &Ctx, i: usize) -> Option<M> {
    let (end, h, mi, zulu) = bare_clock(cx, i)?;
    // a day named after the time
    let k = if cx.w(end) == "on" { end + 1 } else { end };
    let day = weekday(cx, k)
        .filter(|d| d.kind == TimexType::Date)
        .or_else(|| deictic(cx, k).filter(|d| matches!(d.spec, Spec::DayOff(_))))
        .or_else(|| month_first(cx, k).filter(|d| matches!(d.spec, Spec::Date { d: Some(_), .. })));
    let (end, day) = match day {
        Some(d) => (d.end, Some(Box::new(d.spec))),
        None => (end, None),
    };
    m(
        end,
        TimexType::Time,
        Spec::Time {
            day,
            clock: Clock::Hm(h, mi, zulu),
        },
    )
}

/// A time of day: its end, hours, minutes and whether it is in UTC/GMT.
fn bare_clock(cx: &Ctx, i: usize) -> Option<(usize, u8, u8, bool)> {
    let w = cx.w(i);
    match w {
        "noon" | "midday" => return Some((i + 1, 12, 0, false)),
        "midnight" => return Some((i + 1, 0, 0, false)),
        _ => {}
    }
    if !cx.is_number(i) {
        return None;
    }
    let zone = |j: usize| matches!(cx.w(j), "utc" | "gmt");
    let zoned = |j: usize| {
        matches!(
            cx.w(j),
            "utc" | "gmt" | "et" | "est" | "edt" | "pst" | "pdt" | "cet" | "bst"
        )
    };
    // "0800 UTC"
    if w.len() == 4 && zoned(i + 1) {
        let hh = lexicon::small_number(w.get(..2)?)?;
        let mm = lexicon::small_number(w.get(2..)?)?;
        if hh > 23 || mm > 59 {
            return None;
        }
        return Some((i + 2, hh as u8, mm as u8, zone(i + 1)));
    }
    if w.len() > 2 {
        return None;
    }
    let mut h = lexicon::small_number(w)?;
    let mut mi = 0;
    let mut j = i + 1;
    let mut marked = false;
    // "6:40" as "6" ":" "40", or as one token "6:40"
    if cx.w(j) == ":" && cx.adjacent(i) && cx.adjacent(j) && cx.is_number(j + 1) {
        let mm = cx.w(j + 1);
        if mm.len() != 2 {
            return None;
        }
        mi = lexicon::small_number(mm)?;
        j += 2;
        marked = true;
    }
    if h > 23 || mi > 59 {
        return None;
    }
    match cx.w(j) {
        "a.m" | "am" if h <= 12 => {
            h %= 12;
            marked = true;
            j += 1;
        }
        "p.m" | "pm" if h <= 12 => {
            h = h % 12 + 12;
            marked = true;
            j += 1;
        }
        _ => {}
    }
    if !marked {
        return None;
    }
    let z = zone(j);
    if zoned(j) {
        j += 1;
    }
    Some((j, h as u8, mi as u8, z))
}
