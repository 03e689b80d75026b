//! Resolution: a [`Spec`] anchored on the DCT and the clause's tense gives a
//! TIMEX3 value.

use crate::lexicon::Unit;
use crate::recognize::{Clock, Spec};
use crate::Granularity;
use jiff::civil::Date;
use pulse_nlp::Sentence;

/// The tense of the clause an expression is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    /// A past form, a bare participle.
    Past,
    /// A present form, a present perfect, or no verb.
    Present,
    /// A modal ("will", "may"), "to" or "going to".
    Future,
}

/// A resolved value and its precision.
pub struct Resolved {
    /// The TIMEX3 value.
    pub value: String,
    /// How precise it is.
    pub granularity: Granularity,
}

/// Largest count of units an expression may move the DCT by (bounded work,
/// no overflow).
const MAX_SHIFT: f64 = 5000.0;

/// The tense of the verb that governs tokens `start..end`: the parse's head
/// verb when there is a parse, else the nearest verb; its auxiliaries decide
/// ("will"/"would" future, a past form or "has" + participle past).
pub fn tense(s: &Sentence, start: usize, end: usize) -> Tense {
    let toks = &s.tokens;
    let is_verb = |i: usize| {
        toks.get(i)
            .is_some_and(|t| t.xpos.starts_with("VB") || t.xpos == "MD")
    };
    // the governing verb from the parse: climb from the expression's head
    let mut verb = None;
    if toks.iter().any(|t| t.head.is_some()) {
        let mut cur = (start..end).find(|&i| {
            toks.get(i)
                .and_then(|t| t.head)
                .is_none_or(|h| h < start || h >= end)
        });
        for _ in 0..6 {
            let Some(c) = cur else { break };
            let outside = c >= end || c < start;
            if outside
                && toks
                    .get(c)
                    .is_some_and(|t| t.upos == "VERB" || t.upos == "AUX")
            {
                verb = Some(c);
                break;
            }
            cur = toks.get(c).and_then(|t| t.head);
        }
    }
    let verb = verb.or_else(|| {
        // without a parse: the nearest finite verb on the left (a verb
        // usually comes before its adjunct, and an infinitive after it is
        // a purpose: "marched on Thursday to protest"), else on the right,
        // else the nearest verb of any form
        let finite = |i: usize| {
            toks.get(i)
                .is_some_and(|t| matches!(t.xpos.as_str(), "VBD" | "VBZ" | "VBP" | "MD"))
        };
        let window = 15;
        // a participle on the left counts too ("indexes closed ... on Monday")
        let left_head = |i: usize| finite(i) || toks.get(i).is_some_and(|t| t.xpos == "VBN");
        (0..start)
            .rev()
            .take(window)
            .find(|&i| left_head(i))
            .or_else(|| (end..toks.len()).take(window).find(|&i| finite(i)))
            .or_else(|| {
                let left = (0..start).rev().take(window).find(|&i| is_verb(i));
                let right = (end..toks.len()).take(window).find(|&i| is_verb(i));
                left.or(right)
            })
    });
    let Some(v) = verb else {
        return Tense::Present;
    };
    // the verb group: auxiliaries, adverbs and "not" before the verb
    let mut first = v;
    while first > 0 {
        let p = first - 1;
        let ok = toks.get(p).is_some_and(|t| {
            t.xpos.starts_with("VB")
                || t.xpos == "MD"
                || t.xpos.starts_with("RB")
                || t.xpos == "TO"
                || t.lower == "going"
        });
        if !ok || v - p > 5 {
            break;
        }
        first = p;
    }
    let group = toks.get(first..=v).unwrap_or(&[]);
    let mut past = false;
    for (k, t) in group.iter().enumerate() {
        let next = group.get(k + 1).map_or("", |n| n.lower.as_str());
        match t.lower.as_str() {
            // a modal or "to" looks ahead, unless a perfect follows ("could have")
            _ if t.xpos == "MD" && next != "have" => return Tense::Future,
            "going" | "to" if t.xpos != "VBD" => return Tense::Future,
            _ => {}
        }
        if t.xpos == "VBD" {
            past = true;
        }
    }
    // a present perfect ("has been scheduled for June 3") does not say
    // whether the date is past; a bare participle ("the deal signed in May") does
    let bare_participle = group.len() == 1 && toks.get(v).is_some_and(|t| t.xpos == "VBN");
    if past || bare_participle {
        Tense::Past
    } else {
        Tense::Present
    }
}

fn r(value: String, granularity: Granularity) -> Option<Resolved> {
    Some(Resolved { value, granularity })
}

fn day_value(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(jiff::Span::new().try_days(n).ok()?).ok()
}

fn week_value(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Month index (year × 12 + month − 1) back to year and month.
fn ym(index: i64) -> (i64, i64) {
    (index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// Choose among candidate periods (ordered by time, each compared with the
/// DCT's period by `cmp`: <0 before, 0 same, >0 after) by tense.
fn by_tense<T: Copy>(cands: &[(T, i64)], tense: Tense) -> Option<T> {
    match tense {
        Tense::Past => cands.iter().rev().find(|c| c.1 <= 0).map(|c| c.0),
        Tense::Future => cands.iter().find(|c| c.1 >= 0).map(|c| c.0),
        Tense::Present => cands.iter().min_by_key(|c| c.1.abs()).map(|c| c.0),
    }
}

/// A period of `n` units: `P3D`, `PT2H`, `PXY`.
fn period(unit: Unit, n: Option<f64>) -> String {
    let (letter, t) = unit.period();
    let num = match n {
        None => "X".to_string(),
        Some(v) if v.fract() == 0.0 => format!("{}", v as i64),
        Some(v) => format!("{v}"),
    };
    // decades and centuries are written in years, as the gold corpora do
    let (num, letter) = match (unit, n) {
        (Unit::Decade | Unit::Century, None) => ("X".to_string(), "Y"),
        (Unit::Decade, Some(v)) => (format!("{}", (v * 10.0) as i64), "Y"),
        (Unit::Century, Some(v)) => (format!("{}", (v * 100.0) as i64), "Y"),
        _ => (num, letter),
    };
    format!("P{}{num}{letter}", if t { "T" } else { "" })
}

/// The TIMEX3 value of a spec, given the DCT and the clause's tense.
pub fn value(spec: &Spec, dct: Option<Date>, tense: Tense) -> Option<Resolved> {
    use Granularity as G;
    match spec {
        Spec::Date { y, m, d } => {
            let m = i64::from(*m);
            let year = match (y, dct) {
                (Some(y), _) => Some(i64::from(*y)),
                (None, None) => None,
                (None, Some(dct)) => {
                    let dy = i64::from(dct.year());
                    let key = |yy: i64| -> i64 {
                        let month_diff = (yy * 12 + m - 1) - (dy * 12 + i64::from(dct.month()) - 1);
                        match d {
                            None => month_diff,
                            Some(dd) => {
                                // compare by days within the same month
                                if month_diff != 0 {
                                    month_diff * 31
                                } else {
                                    i64::from(*dd) - i64::from(dct.day())
                                }
                            }
                        }
                    };
                    let cands: Vec<(i64, i64)> =
                        (dy - 1..=dy + 1).map(|yy| (yy, key(yy))).collect();
                    by_tense(&cands, tense)
                }
            };
            let ys = year.map_or("XXXX".to_string(), |y| format!("{y:04}"));
            match d {
                Some(dd) => r(format!("{ys}-{m:02}-{dd:02}"), G::Day),
                None => r(format!("{ys}-{m:02}"), G::Month),
            }
        }
        Spec::Year(y) => r(format!("{y:04}"), G::Year),
        Spec::MonthOfYear { m, off } => match dct {
            Some(dct) => r(
                format!("{:04}-{m:02}", i64::from(dct.year()) + off),
                G::Month,
            ),
            None => r(format!("XXXX-{m:02}"), G::Month),
        },
        Spec::Fiscal(y) => r(format!("FY{y:04}"), G::Year),
        Spec::Decade(d) => r(format!("{d:03}"), G::Decade),
        Spec::Century(c) => r(format!("{c:02}"), G::Century),
        Spec::RelDecade(off) => {
            let Some(dct) = dct else {
                return r("XXX".into(), G::Decade);
            };
            r(
                format!("{:03}", i64::from(dct.year()).div_euclid(10) + off),
                G::Decade,
            )
        }
        Spec::Weekday { wd, rel } => {
            let Some(dct) = dct else {
                return r("XXXX-WXX-".to_string() + &(wd + 1).to_string(), G::Day);
            };
            let today = i64::from(dct.weekday().to_monday_zero_offset());
            let cands: Vec<(i64, i64)> = (-7..=7)
                .filter(|o: &i64| (today + o).rem_euclid(7) == i64::from(*wd))
                .map(|o| (o, o))
                .collect();
            let off = match rel {
                -1 => cands.iter().rev().find(|c| c.0 < 0).map(|c| c.0),
                1 => cands.iter().find(|c| c.0 > 0).map(|c| c.0),
                // a weekday in a present clause is mostly a report of a day gone by
                _ if tense == Tense::Present => by_tense(&cands, Tense::Past),
                _ => by_tense(&cands, tense),
            }?;
            r(day_value(add_days(dct, off)?), G::Day)
        }
        Spec::TheDay => value(&Spec::DayOff(0), dct, tense),
        Spec::DayOff(off) => match dct {
            Some(dct) => r(day_value(add_days(dct, *off)?), G::Day),
            None => r(
                if *off == 0 {
                    "PRESENT_REF".into()
                } else {
                    "XXXX-XX-XX".into()
                },
                G::Day,
            ),
        },
        Spec::Rel { unit, off } => rel(*unit, *off, dct),
        Spec::Ago { unit, n, dir } => {
            if *n > MAX_SHIFT {
                return None;
            }
            let Some(dct) = dct else {
                return r(
                    if *dir < 0 { "PAST_REF" } else { "FUTURE_REF" }.into(),
                    G::Vague,
                );
            };
            if n.fract() != 0.0 {
                return r(
                    if *dir < 0 { "PAST_REF" } else { "FUTURE_REF" }.into(),
                    G::Vague,
                );
            }
            let k = (*n as i64) * dir;
            match unit {
                // "a week ago" names the day, not its week
                Unit::Week | Unit::Weekend => r(day_value(add_days(dct, k * 7)?), G::Day),
                Unit::Second | Unit::Minute | Unit::Hour => r(day_value(dct), G::Day),
                _ => rel(*unit, k, Some(dct)),
            }
        }
        Spec::MonthRel { m, rel } => {
            let m = i64::from(*m);
            let Some(dct) = dct else {
                return r(format!("XXXX-{m:02}"), G::Month);
            };
            let dy = i64::from(dct.year());
            let dm = i64::from(dct.month());
            let y = match rel {
                -1 => {
                    if m < dm {
                        dy
                    } else {
                        dy - 1
                    }
                }
                1 => {
                    if m > dm {
                        dy
                    } else {
                        dy + 1
                    }
                }
                _ => dy,
            };
            r(format!("{y:04}-{m:02}"), G::Month)
        }
        Spec::Part {
            n,
            half,
            y,
            rel,
            fiscal,
        } => {
            let fy = if *fiscal { "FY" } else { "" };
            let letter = if *half { "H" } else { "Q" };
            let g = G::Quarter;
            if let Some(y) = y {
                return r(format!("{fy}{y:04}-{letter}{n}"), g);
            }
            let Some(dct) = dct else {
                return r(format!("{fy}XXXX-{letter}{n}"), g);
            };
            let dy = i64::from(dct.year());
            let cur = if *half {
                (i64::from(dct.month()) - 1) / 6 + 1
            } else {
                (i64::from(dct.month()) - 1) / 3 + 1
            };
            let year = match rel {
                Some(off) => dy + off,
                None => {
                    let per = if *half { 2 } else { 4 };
                    let cands: Vec<(i64, i64)> = (dy - 1..=dy + 1)
                        .map(|yy| (yy, (yy - dy) * per + i64::from(*n) - cur))
                        .collect();
                    by_tense(&cands, tense)?
                }
            };
            r(format!("{fy}{year:04}-{letter}{n}"), g)
        }
        Spec::RelQuarter(off) => {
            let Some(dct) = dct else {
                return r("XXXX-QX".into(), G::Quarter);
            };
            let (y, m) = ym(i64::from(dct.year()) * 12 + i64::from(dct.month()) - 1 + 3 * off);
            r(format!("{y:04}-Q{}", (m - 1) / 3 + 1), G::Quarter)
        }
        Spec::Season { s, y, rel } => {
            if let Some(y) = y {
                return r(format!("{y:04}-{s}"), G::Season);
            }
            let Some(dct) = dct else {
                return r(format!("XXXX-{s}"), G::Season);
            };
            let dy = i64::from(dct.year());
            // seasons by month: winter Dec–Feb (named by the year of its January)
            let idx = |code: &str| match code {
                "SP" => 1,
                "SU" => 2,
                "FA" => 3,
                _ => 0,
            };
            let m = i64::from(dct.month());
            let cur = match m {
                3..=5 => 1,
                6..=8 => 2,
                9..=11 => 3,
                _ => 0,
            };
            let cur_year = if m == 12 { dy + 1 } else { dy };
            let target = idx(s);
            let cands: Vec<(i64, i64)> = (cur_year - 1..=cur_year + 1)
                .map(|yy| (yy, (yy - cur_year) * 4 + target - cur))
                .collect();
            let year = match rel {
                Some(-1) => cands.iter().rev().find(|c| c.1 < 0).map(|c| c.0),
                Some(1) => cands.iter().find(|c| c.1 > 0).map(|c| c.0),
                Some(_) => Some(cur_year),
                None => by_tense(&cands, tense),
            }?;
            r(format!("{year:04}-{s}"), G::Season)
        }
        Spec::Ref(v) => r((*v).to_string(), G::Vague),
        Spec::Duration { unit, n } => {
            if n.is_some_and(|v| v > 1_000_000.0) {
                return None;
            }
            r(period(*unit, *n), G::Duration)
        }
        Spec::Set { unit } => r(period(*unit, Some(1.0)), G::Set),
        Spec::SetWeekday(wd) => r(format!("XXXX-WXX-{}", wd + 1), G::Set),
        Spec::Time { day, clock } => {
            let base = match day {
                Some(d) => value(d, dct, tense)?.value,
                None => match dct {
                    Some(dct) => day_value(dct),
                    None => "XXXX-XX-XX".to_string(),
                },
            };
            let t = match clock {
                Clock::Hm(h, m, zulu) => format!("{h:02}:{m:02}{}", if *zulu { "Z" } else { "" }),
                Clock::Part(p) => (*p).to_string(),
            };
            r(format!("{base}T{t}"), G::Time)
        }
    }
}

/// "last week", "this month", "next year": the DCT's unit moved by `off`.
fn rel(unit: Unit, off: i64, dct: Option<Date>) -> Option<Resolved> {
    use Granularity as G;
    let Some(dct) = dct else {
        let v = match off {
            0 => "PRESENT_REF",
            o if o < 0 => "PAST_REF",
            _ => "FUTURE_REF",
        };
        return r(v.into(), G::Vague);
    };
    match unit {
        Unit::Day => r(day_value(add_days(dct, off)?), G::Day),
        Unit::Week => r(week_value(add_days(dct, off * 7)?), G::Week),
        Unit::Weekend => r(
            format!("{}-WE", week_value(add_days(dct, off * 7)?)),
            G::Week,
        ),
        Unit::Month => {
            let (y, m) = ym(i64::from(dct.year()) * 12 + i64::from(dct.month()) - 1 + off);
            r(format!("{y:04}-{m:02}"), G::Month)
        }
        Unit::Quarter => {
            let (y, m) = ym(i64::from(dct.year()) * 12 + i64::from(dct.month()) - 1 + 3 * off);
            r(format!("{y:04}-Q{}", (m - 1) / 3 + 1), G::Quarter)
        }
        Unit::Year => r(format!("{:04}", i64::from(dct.year()) + off), G::Year),
        Unit::Decade => r(
            format!("{:03}", i64::from(dct.year()).div_euclid(10) + off),
            G::Decade,
        ),
        Unit::Century => r(
            format!("{:02}", i64::from(dct.year()).div_euclid(100) + off),
            G::Century,
        ),
        Unit::Second | Unit::Minute | Unit::Hour => r("PRESENT_REF".into(), G::Vague),
    }
}
