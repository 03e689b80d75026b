//! Trend alerts: series of counts per period whose latest period is unusual
//! ("Afghanistan (AF): fatalities in 2019-07 are 1,512, the highest since
//! 2017-05").
//!
//! Three kinds of series are monitored, each read with one GROUP BY query:
//! events per place country × CAMEO root, fatalities per place country (each
//! event's largest figure, see [`crate::Aggregate`]), and events per source
//! actor × QuadClass. Periods are days, ISO weeks or months; events whose date
//! is coarser than the period are left out. A series runs from its first
//! period with an event to the latest period of the whole data (periods with
//! no event count as 0), at most [`MAX_PERIODS`] periods back.
//!
//! The rules, for the latest period of a series with value `v`:
//! * a series needs at least [`MIN_HISTORY`] earlier periods, and some period
//!   of it must reach `min_count` ([`AlertOptions`]); otherwise no alert;
//! * **record**: for a conflict series (fatalities, CAMEO roots of QuadClass 3
//!   and 4, actors' QuadClass 3 and 4), `v` is the highest since the last
//!   earlier period with a value at least as high ("the highest since
//!   2017-05"), or the highest on record when there is none; for a
//!   cooperation series (QuadClass 1 and 2) it is the lowest, with the value
//!   at most as low. It is flagged when it beats at least [`MIN_HISTORY`]
//!   consecutive earlier periods;
//! * **robust z-score**: `z = 0.6745 (v − median) / MAD` over all earlier
//!   periods (MAD: the median absolute deviation); flagged when
//!   `|z| ≥` [`Z_THRESHOLD`], in either direction. No z when MAD is 0.
//!
//! A series gives at most one alert: a record ([`AlertKind::Highest`] or
//! [`AlertKind::Lowest`], with its z when there is one), else an outlier
//! ([`AlertKind::Unusual`]). Alerts come longest record first.

use crate::aggregate::{by_date, DateRow, Period};
use crate::{EventFilter, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Earlier periods a series needs before it can be flagged, and the number
/// of consecutive earlier periods a record must beat.
pub const MIN_HISTORY: usize = 6;

/// The robust z-score beyond which a value is flagged (Iglewicz and Hoaglin's
/// cut-off for the modified z-score).
pub const Z_THRESHOLD: f64 = 3.5;

/// How far back a series is read, in periods: bounds the work for daily
/// series and for stray dates centuries off.
pub const MAX_PERIODS: usize = 1000;

/// What [`Store::alerts`] monitors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertOptions {
    /// The period length.
    pub by: Period,
    /// A series is monitored only when some period of it (the latest
    /// included) reaches this value; keeps "the highest on record: 2 events"
    /// out. Values below 1 count as 1.
    pub min_count: u64,
    /// At most this many series of each kind are examined: those with the
    /// largest totals.
    pub max_series: usize,
}

impl Default for AlertOptions {
    fn default() -> AlertOptions {
        AlertOptions {
            by: Period::Month,
            min_count: 5,
            max_series: 500,
        }
    }
}

/// A monitored series.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Series {
    /// Events of one CAMEO root placed in one country.
    CountryRoot {
        /// ISO 3166 alpha-2 code of the place's country.
        country: String,
        /// CAMEO root code.
        root: String,
    },
    /// Fatalities of the events placed in one country.
    CountryFatalities {
        /// ISO 3166 alpha-2 code of the place's country.
        country: String,
    },
    /// Events of one QuadClass with one source actor.
    ActorQuad {
        /// The source actor's CAMEO code.
        actor: String,
        /// QuadClass, 1 to 4.
        quad: u8,
    },
}

/// Which rule flagged an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// The highest value since `since` (or on record): a conflict series.
    Highest,
    /// The lowest value since `since` (or on record): a cooperation series.
    Lowest,
    /// No record, but a robust z-score beyond [`Z_THRESHOLD`].
    Unusual,
}

/// One flagged series: its latest period and why it stands out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// The series.
    pub series: Series,
    /// Who or where, in words: `Afghanistan (AF)`, `AFGGOV`.
    pub label: String,
    /// What is counted, in words: `fatalities`, `"fight" events (CAMEO 19)`.
    pub measure: String,
    /// The flagged (latest) period's label.
    pub period: String,
    /// The series' value in that period.
    pub value: u64,
    /// Which rule flagged it.
    pub kind: AlertKind,
    /// For a record: the last earlier period with a value at least as high
    /// (as low); `None` for a record over the whole history or an outlier.
    pub since: Option<String>,
    /// The robust z-score against the earlier periods; `None` when their
    /// median absolute deviation is 0.
    pub z: Option<f64>,
    /// The median of the earlier periods.
    pub median: f64,
    /// How many earlier periods the series has.
    pub history: usize,
}

impl fmt::Display for Alert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} in {} are {}, ",
            self.label,
            self.measure,
            self.period,
            thousands(self.value)
        )?;
        let word = match self.kind {
            AlertKind::Highest => "highest",
            AlertKind::Lowest => "lowest",
            AlertKind::Unusual => {
                let side = if self.z.is_some_and(|z| z < 0.0) {
                    "below"
                } else {
                    "above"
                };
                return write!(
                    f,
                    "far {side} the median of {:.1} (robust z-score {:.1})",
                    self.median,
                    self.z.unwrap_or_default()
                );
            }
        };
        match &self.since {
            Some(since) => write!(f, "the {word} since {since}")?,
            None => write!(f, "the {word} on record")?,
        }
        if let Some(z) = self.z.filter(|z| z.abs() >= Z_THRESHOLD) {
            write!(f, " (robust z-score {z:.1})")?;
        }
        Ok(())
    }
}

/// `1512` → `1,512`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Name and QuadClass of each CAMEO root, from the embedded codebook.
fn root_info() -> HashMap<String, (String, u8)> {
    pulse_code::dict::embedded::CODEBOOK
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            match cols.as_slice() {
                [code, _, name, _, quad] if code.len() == 2 => {
                    Some((code.to_string(), (name.to_lowercase(), quad.parse().ok()?)))
                }
                _ => None,
            }
        })
        .collect()
}

/// The records of one series: its values from its first period on, ending
/// with the latest period of the data.
struct Values {
    first: i64,
    values: Vec<u64>,
}

/// Which series a grouped row belongs to, and its value for that series.
type SeriesOf = fn(DateRow) -> Option<(Series, u64)>;

/// Why the last value of a series is flagged.
#[derive(Debug, PartialEq)]
struct Verdict {
    kind: AlertKind,
    /// Index of the last earlier value at least as high (as low), for a record.
    stop: Option<usize>,
    z: Option<f64>,
    median: f64,
}

/// What the rules say of the last value of `values`; `None` when nothing.
fn judge(values: &[u64], cooperation: bool) -> Option<Verdict> {
    let (&v, history) = values.split_last()?;
    if history.len() < MIN_HISTORY {
        return None;
    }
    // the last earlier period at least as high (as low, for cooperation)
    let stop = history
        .iter()
        .rposition(|&h| if cooperation { h <= v } else { h >= v });
    let beaten = stop.map_or(history.len(), |j| history.len() - j - 1);
    let median = median(history.iter().map(|&h| h as f64).collect());
    let mad = median_of_deviations(history, median);
    let z = (mad > 0.0).then(|| 0.6745 * (v as f64 - median) / mad);
    if beaten >= MIN_HISTORY {
        let kind = if cooperation {
            AlertKind::Lowest
        } else {
            AlertKind::Highest
        };
        return Some(Verdict {
            kind,
            stop,
            z,
            median,
        });
    }
    z.filter(|z| z.abs() >= Z_THRESHOLD).map(|z| Verdict {
        kind: AlertKind::Unusual,
        stop: None,
        z: Some(z),
        median,
    })
}

/// The median of some values (the mean of the middle two for an even count);
/// 0 for none.
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => xs[n / 2],
        _ => (xs[n / 2 - 1] + xs[n / 2]) / 2.0,
    }
}

/// The median absolute deviation of `xs` from `center`.
fn median_of_deviations(xs: &[u64], center: f64) -> f64 {
    median(xs.iter().map(|&x| (x as f64 - center).abs()).collect())
}

impl Store {
    /// The series (see the module comment for which, and the rules) whose
    /// latest period is a record or an outlier, among the events matching `f`
    /// (set `to` to look back from an earlier date). Three GROUP BY queries;
    /// at most `3 × max_series` series are examined.
    pub fn alerts(&self, f: &EventFilter, opts: &AlertOptions) -> Result<Vec<Alert>, StoreError> {
        let by = opts.by;
        let placed = ["place_country IS NOT NULL"];
        let kinds: [(Vec<DateRow>, SeriesOf); 3] = [
            (
                by_date(self, f, &["place_country", "root"], &placed)?,
                |r| match r.keys.as_slice() {
                    [Some(country), Some(root)] => Some((
                        Series::CountryRoot {
                            country: country.clone(),
                            root: root.clone(),
                        },
                        r.events,
                    )),
                    _ => None,
                },
            ),
            (
                by_date(self, f, &["place_country"], &placed)?,
                |r| match r.keys.as_slice() {
                    [Some(country)] => Some((
                        Series::CountryFatalities {
                            country: country.clone(),
                        },
                        r.fatalities,
                    )),
                    _ => None,
                },
            ),
            (
                by_date(
                    self,
                    f,
                    &["source_code", "CAST(quad_class AS TEXT)"],
                    &["source_code <> '---'"],
                )?,
                |r| match r.keys.as_slice() {
                    [Some(actor), Some(quad)] => Some((
                        Series::ActorQuad {
                            actor: actor.clone(),
                            quad: quad.parse().ok()?,
                        },
                        r.events,
                    )),
                    _ => None,
                },
            ),
        ];
        // per kind, per series: value per period ordinal
        let mut latest: Option<i64> = None;
        let mut tables: Vec<HashMap<Series, BTreeMap<i64, u64>>> = Vec::new();
        for (rows, series_of) in kinds {
            let mut table: HashMap<Series, BTreeMap<i64, u64>> = HashMap::new();
            for row in rows {
                let Some(period) = row.date.as_deref().and_then(|d| by.index(d)) else {
                    continue;
                };
                let Some((series, value)) = series_of(row) else {
                    continue;
                };
                latest = latest.max(Some(period));
                let cell = table.entry(series).or_default().entry(period).or_default();
                *cell = cell.saturating_add(value);
            }
            tables.push(table);
        }
        let Some(latest) = latest else {
            return Ok(Vec::new());
        };
        let roots = root_info();
        let names = self.country_names()?;
        let min_count = opts.min_count.max(1);
        let oldest = latest.saturating_sub(i64::try_from(MAX_PERIODS).unwrap_or(i64::MAX) - 1);
        let mut alerts: Vec<(usize, Alert)> = Vec::new();
        for table in tables {
            let mut series: Vec<(Series, Values, u64)> = table
                .into_iter()
                .filter_map(|(s, periods)| {
                    let first = *periods.keys().next()?;
                    let first = first.max(oldest);
                    let len = usize::try_from(latest - first + 1).ok()?;
                    let mut values = vec![0u64; len];
                    for (&p, &v) in periods.range(first..) {
                        if let Some(slot) = usize::try_from(p - first)
                            .ok()
                            .and_then(|i| values.get_mut(i))
                        {
                            *slot = v;
                        }
                    }
                    let max = values.iter().copied().max().unwrap_or(0);
                    let total = values.iter().fold(0u64, |a, &v| a.saturating_add(v));
                    (max >= min_count).then_some((s, Values { first, values }, total))
                })
                .collect();
            series.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
            series.truncate(opts.max_series);
            for (s, v, _) in series {
                let (label, measure, cooperation) = describe(&s, &roots, &names);
                let Some(Verdict {
                    kind,
                    stop,
                    z,
                    median,
                }) = judge(&v.values, cooperation)
                else {
                    continue;
                };
                let history = v.values.len() - 1;
                let beaten = stop.map_or(history, |j| history - j - 1);
                let index = |i: usize| v.first + i64::try_from(i).unwrap_or(0);
                alerts.push((
                    beaten,
                    Alert {
                        series: s,
                        label,
                        measure,
                        period: by.label(latest),
                        value: v.values.last().copied().unwrap_or(0),
                        kind,
                        since: stop.map(|j| by.label(index(j))),
                        z,
                        median,
                        history,
                    },
                ));
            }
        }
        alerts.sort_by(|(a_run, a), (b_run, b)| {
            b_run
                .cmp(a_run)
                .then_with(|| {
                    let z = |x: &Alert| x.z.map_or(0.0, f64::abs);
                    z(b).total_cmp(&z(a))
                })
                .then_with(|| a.series.cmp(&b.series))
        });
        Ok(alerts.into_iter().map(|(_, a)| a).collect())
    }

    /// Country names by ISO alpha-2 code, from the country-level places
    /// stored (events' and articles'), so alerts can say `Afghanistan (AF)`
    /// without loading the gazetteer.
    fn country_names(&self) -> Result<HashMap<String, String>, StoreError> {
        let rows = self.conn.rows(
            "SELECT place_country, MIN(place_name) FROM events
                 WHERE place_level = 'country' AND place_country IS NOT NULL
                 GROUP BY place_country
             UNION ALL
             SELECT country, MIN(name) FROM article_places
                 WHERE level = 'country' GROUP BY country",
            &[],
        )?;
        let mut names = HashMap::new();
        for row in rows {
            if let (code, Some(name)) = (row.text(0)?, row.opt_text(1)?) {
                names.entry(code).or_insert(name);
            }
        }
        Ok(names)
    }
}

/// A series' label, what it counts, and whether it is a cooperation series
/// (its drops are what stands out).
fn describe(
    s: &Series,
    roots: &HashMap<String, (String, u8)>,
    names: &HashMap<String, String>,
) -> (String, String, bool) {
    let country = |code: &str| match names.get(code) {
        Some(name) => format!("{name} ({code})"),
        None => code.to_string(),
    };
    match s {
        Series::CountryRoot { country: c, root } => {
            let (measure, quad) = match roots.get(root) {
                Some((name, quad)) => (format!("\"{name}\" events (CAMEO {root})"), *quad),
                None => (format!("CAMEO {root} events"), 4),
            };
            (country(c), measure, quad <= 2)
        }
        Series::CountryFatalities { country: c } => (country(c), "fatalities".to_string(), false),
        Series::ActorQuad { actor, quad } => {
            let name = match quad {
                1 => "verbal cooperation",
                2 => "material cooperation",
                3 => "verbal conflict",
                _ => "material conflict",
            };
            (
                actor.clone(),
                format!("{name} events (QuadClass {quad})"),
                *quad <= 2,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_words() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1512), "1,512");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn records_and_outliers() {
        // a record over the whole history
        let r = judge(&[3, 4, 2, 5, 3, 4, 9], false);
        assert_eq!(
            r.map(|r| (r.kind, r.stop)),
            Some((AlertKind::Highest, None))
        );
        // the last period at least as high is index 1, six periods back
        let r = judge(&[3, 20, 2, 5, 3, 4, 2, 1, 15], false);
        assert_eq!(
            r.map(|r| (r.kind, r.stop)),
            Some((AlertKind::Highest, Some(1)))
        );
        // beats only the last five periods: no record
        assert_eq!(
            judge(&[3, 3, 20, 2, 5, 3, 4, 2, 15], false).map(|r| r.kind),
            Some(AlertKind::Unusual)
        );
        // too short a history
        assert_eq!(judge(&[1, 2, 3, 4, 5, 50], false), None);
        // a cooperation series falling to its lowest
        let r = judge(&[5, 6, 4, 7, 5, 6, 0], true);
        assert_eq!(r.map(|r| (r.kind, r.stop)), Some((AlertKind::Lowest, None)));
        // constant history: no z-score, and an equal value is no record
        assert_eq!(judge(&[4, 4, 4, 4, 4, 4, 4], false), None);
    }

    #[test]
    fn root_names_and_quads_come_from_the_codebook() {
        let roots = root_info();
        assert_eq!(roots.get("19").map(|r| r.1), Some(4));
        assert_eq!(roots.get("05").map(|r| r.1), Some(1));
        assert_eq!(roots.len(), 20);
    }
}
