//! Counts of events per day, ISO week or month, optionally grouped, with the
//! fatalities they report: what a timeline or a trend alert is drawn from.
//!
//! An event counts once however many reports it has, and its fatalities are
//! the largest figure any one of its reports gives (two reports of one attack,
//! "12 killed" and "at least 15 killed", add 15, not 27). An event whose date
//! is coarser than the period (a year-only date when counting by month, a
//! week when counting by day or month, since a week can straddle two months)
//! or that has no date is counted in the undated bucket (`period: None`),
//! never spread over periods.

use crate::query::Conditions;
use crate::util::parse_date;
use crate::{EventFilter, Store, StoreError, UnknownChoice};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The length of the periods events are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Calendar days, labelled `YYYY-MM-DD`.
    Day,
    /// ISO 8601 weeks (Monday to Sunday), labelled `YYYY-Www` with the ISO
    /// week-numbering year.
    Week,
    /// Calendar months, labelled `YYYY-MM`.
    Month,
}

impl Period {
    /// The name used on the command line and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The ordinal of the period holding `date` (consecutive periods have
    /// consecutive ordinals), or `None` when the date is coarser than the
    /// period or not a date pulse writes (`YYYY-MM-DD`, `YYYY-Www`,
    /// `YYYY-MM`, …).
    pub(crate) fn index(self, date: &str) -> Option<i64> {
        if let Some((y, m, d)) = parse_date(date) {
            let day = days_from_civil(i64::from(y), m, d);
            return Some(match self {
                Period::Day => day,
                Period::Week => week_of_day(day),
                Period::Month => i64::from(y) * 12 + i64::from(m) - 1,
            });
        }
        match self {
            Period::Day => None,
            Period::Week => iso_week_date(date).map(week_of_day),
            Period::Month => year_month(date).map(|(y, m)| y * 12 + i64::from(m) - 1),
        }
    }

    /// The label of the period with ordinal `index` (see [`Period::index`]).
    pub(crate) fn label(self, index: i64) -> String {
        match self {
            Period::Day => {
                let (y, m, d) = civil_from_days(index);
                format!("{y:04}-{m:02}-{d:02}")
            }
            Period::Week => {
                // the week's Monday is day `7 * index - 3`; its Thursday is
                // in the week's ISO year
                let thursday = index * 7;
                let (y, _, _) = civil_from_days(thursday);
                let week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
                format!("{y:04}-W{week:02}")
            }
            Period::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Period {
    type Err = UnknownChoice;

    fn from_str(s: &str) -> Result<Period, UnknownChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            _ => Err(UnknownChoice {
                what: "period",
                value: s.to_string(),
                valid: "day, week, month",
            }),
        }
    }
}

/// What events are grouped by within each period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GroupBy {
    /// The CAMEO root code (`19`).
    Root,
    /// The QuadClass, 1 to 4.
    Quad,
    /// The source actor's country (`AFG`).
    Country,
    /// The ISO 3166 alpha-2 code of the country where the event happened.
    PlaceCountry,
}

impl GroupBy {
    /// The name used on the command line and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Root => "root",
            GroupBy::Quad => "quad",
            GroupBy::Country => "country",
            GroupBy::PlaceCountry => "place-country",
        }
    }

    /// The column (constant SQL) the group is read from.
    fn column(self) -> &'static str {
        match self {
            GroupBy::Root => "root",
            GroupBy::Quad => "CAST(quad_class AS TEXT)",
            GroupBy::Country => "source_country",
            GroupBy::PlaceCountry => "place_country",
        }
    }
}

impl FromStr for GroupBy {
    type Err = UnknownChoice;

    fn from_str(s: &str) -> Result<GroupBy, UnknownChoice> {
        match s.trim().to_ascii_lowercase().as_str() {
            "root" => Ok(GroupBy::Root),
            "quad" => Ok(GroupBy::Quad),
            "country" => Ok(GroupBy::Country),
            "place-country" | "place_country" => Ok(GroupBy::PlaceCountry),
            _ => Err(UnknownChoice {
                what: "group",
                value: s.to_string(),
                valid: "root, quad, country, place-country",
            }),
        }
    }
}

/// One cell of an aggregate: the events of one period (and group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateRow {
    /// The period's label (`2019-07`, `2019-W27`, `2019-07-14`); `None` for the
    /// events without a date at this precision.
    pub period: Option<String>,
    /// The group's value (`19`, `4`, `AFG`, `AF`) when grouping; `None` when not
    /// grouping or for events without one (no target country, no place).
    pub group: Option<String>,
    /// Distinct (merged) events.
    pub events: u64,
    /// Sum over the events of the largest fatalities figure among each event's
    /// reports.
    pub fatalities: u64,
}

/// Counts of events per period, as [`Store::aggregate`] returns them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    /// The period length.
    pub by: Period,
    /// What each period is grouped by, if anything.
    pub group: Option<GroupBy>,
    /// The cells: dated periods in order, the undated bucket last; within a
    /// period, groups in order with the group-less last.
    pub rows: Vec<AggregateRow>,
}

/// One row of the grouped read: an event date, the group keys, the number of
/// events and their fatalities (each event's largest figure).
pub(crate) struct DateRow {
    pub(crate) date: Option<String>,
    pub(crate) keys: Vec<Option<String>>,
    pub(crate) events: u64,
    pub(crate) fatalities: u64,
}

/// The events matching `f` (and the constant `extra` conditions) counted per
/// stored date and per value of each of the `keys` columns (constant SQL), in
/// one GROUP BY query; `limit` and `offset` of the filter are ignored. Dates
/// are folded into periods by the callers, since a stored date may be a day,
/// a week, a month or a year.
pub(crate) fn by_date(
    store: &Store,
    f: &EventFilter,
    keys: &[&str],
    extra: &[&'static str],
) -> Result<Vec<DateRow>, StoreError> {
    let Some(mut cond) = Conditions::of(f) else {
        return Ok(Vec::new());
    };
    cond.clauses.extend_from_slice(extra);
    let where_sql = if cond.clauses.is_empty() {
        "1 = 1".to_string()
    } else {
        cond.clauses.join(" AND ")
    };
    let key_sql: String = keys.iter().map(|k| format!(", {k}")).collect();
    // CAST: PostgreSQL sums integers as NUMERIC
    let sql = format!(
        "SELECT date{key_sql}, COUNT(*),
                CAST(COALESCE(SUM((SELECT MAX(m.fatalities) FROM event_mentions m
                                   WHERE m.event_id = events.id)), 0) AS BIGINT)
         FROM events WHERE {where_sql}
         GROUP BY date{key_sql}"
    );
    let n = keys.len();
    store
        .conn
        .rows(&sql, &cond.params)?
        .iter()
        .map(|r| {
            Ok(DateRow {
                date: r.opt_text(0)?,
                keys: (1..=n).map(|i| r.opt_text(i)).collect::<Result<_, _>>()?,
                events: r.uint(n + 1)?,
                fatalities: r.uint(n + 2)?,
            })
        })
        .collect()
}

impl Store {
    /// Events matching `f` counted per period of length `by` (and per `group`
    /// when given), with the sum of their fatalities; see the module comment
    /// for how merged events and coarse dates count. `limit` and `offset` of
    /// the filter are ignored. One GROUP BY query over the stored dates.
    pub fn aggregate(
        &self,
        f: &EventFilter,
        by: Period,
        group: Option<GroupBy>,
    ) -> Result<Aggregate, StoreError> {
        let keys: Vec<&str> = group.map(GroupBy::column).into_iter().collect();
        // dated periods in order, then the undated bucket; the group-less
        // last within a period
        type Key = (bool, Option<i64>, bool, Option<String>);
        let mut cells: BTreeMap<Key, (u64, u64)> = BTreeMap::new();
        for row in by_date(self, f, &keys, &[])? {
            let period = row.date.as_deref().and_then(|d| by.index(d));
            let group = row.keys.into_iter().next().flatten();
            let cell = cells
                .entry((period.is_none(), period, group.is_none(), group))
                .or_default();
            cell.0 = cell.0.saturating_add(row.events);
            cell.1 = cell.1.saturating_add(row.fatalities);
        }
        let rows = cells
            .into_iter()
            .map(
                |((_, period, _, group), (events, fatalities))| AggregateRow {
                    period: period.map(|p| by.label(p)),
                    group,
                    events,
                    fatalities,
                },
            )
            .collect();
        Ok(Aggregate { by, group, rows })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (negative before).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    // years start in March, so the leap day is the last day of a year
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01: the inverse of [`days_from_civil`].
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let d = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let m = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let y = year_of_era + era * 400 + i64::from(m <= 2);
    // both are in range by construction (1..=31, 1..=12)
    (y, small(m), small(d))
}

/// A month or day number as `u32` (always in range where it is used).
fn small(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(1)
}

/// The ordinal of the ISO week holding day `day` (weeks start on Monday;
/// 1970-01-01 was a Thursday).
fn week_of_day(day: i64) -> i64 {
    (day + 3).div_euclid(7)
}

/// The Monday (in days since 1970-01-01) of an ISO week date `YYYY-Www`,
/// when the year has that week.
fn iso_week_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let shape = b.len() == 8
        && b[4] == b'-'
        && b[5] == b'W'
        && b[..4].iter().chain(&b[6..]).all(u8::is_ascii_digit);
    if !shape {
        return None;
    }
    let y: i64 = s.get(..4)?.parse().ok()?;
    let w: i64 = s.get(6..)?.parse().ok()?;
    let jan4 = days_from_civil(y, 1, 4);
    let monday = jan4 - (jan4 + 3).rem_euclid(7) + (w - 1) * 7;
    // week 53 exists only in long years; week 0 never
    (w >= 1 && Period::Week.label(week_of_day(monday)) == s).then_some(monday)
}

/// The year and month of a month date `YYYY-MM`.
fn year_month(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let shape =
        b.len() == 7 && b[4] == b'-' && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit);
    if !shape {
        return None;
    }
    let y: i64 = s.get(..4)?.parse().ok()?;
    let m: u32 = s.get(5..)?.parse().ok()?;
    (1..=12).contains(&m).then_some((y, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for day in [-800_000, -1, 0, 59, 10_957, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[test]
    fn iso_weeks() {
        let week = |d: &str| Period::Week.index(d).map(|i| Period::Week.label(i));
        // 2021-01-03 is a Sunday in ISO week 53 of 2020
        assert_eq!(week("2021-01-03").as_deref(), Some("2020-W53"));
        assert_eq!(week("2021-01-04").as_deref(), Some("2021-W01"));
        // 2024-12-30 is a Monday in week 1 of 2025
        assert_eq!(week("2024-12-30").as_deref(), Some("2025-W01"));
        assert_eq!(week("2019-W32").as_deref(), Some("2019-W32"));
        assert_eq!(week("2020-W53").as_deref(), Some("2020-W53"));
        assert_eq!(week("2021-W53"), None);
        assert_eq!(week("2021-W00"), None);
        assert_eq!(week("2019-07"), None);
    }

    #[test]
    fn dates_coarser_than_the_period_have_none() {
        assert_eq!(
            Period::Month.index("2019-07-31"),
            Period::Month.index("2019-07")
        );
        assert_eq!(Period::Month.label(2019 * 12 + 6), "2019-07");
        assert_eq!(Period::Month.index("2019"), None);
        assert_eq!(Period::Month.index("2019-W32"), None);
        assert_eq!(Period::Month.index("2019-Q3"), None);
        assert_eq!(Period::Month.index("2019-13"), None);
        assert_eq!(Period::Day.index("2019-07"), None);
        assert_eq!(Period::Week.index("2019"), None);
        assert_eq!(
            Period::Day.label(Period::Day.index("2024-02-29").unwrap_or(0)),
            "2024-02-29"
        );
    }
}
