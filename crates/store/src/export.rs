//! Exports of events as JSON Lines, CSV, GDELT 2.0 event rows, GeoJSON or
//! Parquet (the last with the cargo feature `parquet`).

use crate::query::{EventFilter, StoredEvent};
use crate::util::{clean_field, compact_timestamp, day_of_year, parse_date};
use crate::{Store, StoreError, UnknownFormat};
use std::fmt;
use std::io::{BufWriter, Write};
use std::str::FromStr;

/// An export format for [`Store::export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// One JSON [`StoredEvent`] (with its mentions) per line.
    Jsonl,
    /// A header row, then one row per event: the [`CSV_COLUMNS`].
    Csv,
    /// GDELT 2.0 event table rows: the 61 [`GDELT_COLUMNS`], tab-separated, no header.
    Gdelt,
    /// A GeoJSON FeatureCollection (RFC 7946) of the events that have a
    /// place: one Point feature per event at its place, with its code,
    /// actors, date, counts and geo precision as properties.
    GeoJson,
    /// A zstd-compressed Parquet file of the [`CSV_COLUMNS`], typed (see
    /// `parquet_schema`), written a row group at a time; only in builds with
    /// the cargo feature `parquet` ([`ExportFormat::available`]).
    Parquet,
}

impl ExportFormat {
    /// The names [`ExportFormat::from_str`] accepts, for help texts.
    pub const NAMES: [&'static str; 5] = ["jsonl", "csv", "gdelt", "geojson", "parquet"];

    /// The format's name, as accepted by `from_str`.
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Csv => "csv",
            ExportFormat::Gdelt => "gdelt",
            ExportFormat::GeoJson => "geojson",
            ExportFormat::Parquet => "parquet",
        }
    }

    /// Whether this build can write the format: an error for Parquet in a
    /// build without the cargo feature `parquet`.
    pub fn available(self) -> Result<(), StoreError> {
        if self == ExportFormat::Parquet && !cfg!(feature = "parquet") {
            return Err(StoreError::ParquetNotBuilt);
        }
        Ok(())
    }

    /// Whether the format is binary and so must go to a file, not a terminal
    /// or pipe (Parquet).
    pub fn needs_file(self) -> bool {
        self == ExportFormat::Parquet
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ExportFormat {
    type Err = UnknownFormat;

    /// Parses `jsonl`, `csv`, `gdelt`, `geojson` or `parquet` (any case); a
    /// build without Parquet support still parses `parquet`, and
    /// [`ExportFormat::available`] says it cannot write it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "jsonl" => Ok(ExportFormat::Jsonl),
            "csv" => Ok(ExportFormat::Csv),
            "gdelt" => Ok(ExportFormat::Gdelt),
            "geojson" => Ok(ExportFormat::GeoJson),
            "parquet" => Ok(ExportFormat::Parquet),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// The CSV export's header: the flat event columns, then the first mention's
/// article URL and sentence.
pub const CSV_COLUMNS: [&str; 41] = [
    "id",
    "global_id",
    "date",
    "cameo",
    "root",
    "name",
    "quad_class",
    "goldstein",
    "plover",
    "source_code",
    "source_name",
    "source_country",
    "source_sector",
    "target_code",
    "target_name",
    "target_country",
    "target_sector",
    "first_seen",
    "num_mentions",
    "num_articles",
    "num_sources",
    "url",
    "sentence_text",
    "mode",
    "pattern",
    "confidence",
    "source_country_from_context",
    "target_country_from_context",
    "date_precision",
    "date_source",
    "fatalities",
    "injuries",
    "size",
    "place_id",
    "place_name",
    "place_country",
    "place_admin1",
    "place_level",
    "lat",
    "lon",
    "geo_precision",
];

/// The GDELT 2.0 event table columns, in file order (the GDELT export has no header).
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

impl Store {
    /// Writes the events matching `f` to `out` in `format`, in `(date, id)` order,
    /// streaming page by page; returns the number of events written (for
    /// GeoJSON, the located ones). Parquet in a build without it is
    /// [`StoreError::ParquetNotBuilt`].
    pub fn export(
        &self,
        f: &EventFilter,
        format: ExportFormat,
        out: &mut dyn Write,
    ) -> Result<usize, StoreError> {
        format.available()?;
        match format {
            #[cfg(feature = "parquet")]
            ExportFormat::Parquet => self.export_parquet(f, out),
            #[cfg(not(feature = "parquet"))]
            ExportFormat::Parquet => Err(StoreError::ParquetNotBuilt),
            ExportFormat::Jsonl => {
                let mut out = BufWriter::new(out);
                let n = self.scan(f, |e| {
                    serde_json::to_writer(&mut out, &e)?;
                    out.write_all(b"\n")?;
                    Ok(())
                })?;
                out.flush()?;
                Ok(n)
            }
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(CSV_COLUMNS)?;
                let n = self.scan(f, |e| Ok(w.write_record(csv_row(&e))?))?;
                w.flush()?;
                Ok(n)
            }
            ExportFormat::GeoJson => {
                let mut out = BufWriter::new(out);
                out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
                // only located events are features: the count is of those
                let mut written = 0;
                self.scan(f, |e| {
                    let Some(feature) = geojson_feature(&e) else {
                        return Ok(());
                    };
                    if written > 0 {
                        out.write_all(b",\n")?;
                    }
                    written += 1;
                    serde_json::to_writer(&mut out, &feature)?;
                    Ok(())
                })?;
                out.write_all(b"\n]}\n")?;
                out.flush()?;
                Ok(written)
            }
            ExportFormat::Gdelt => {
                let mut out = BufWriter::new(out);
                let n = self.scan(f, |e| {
                    out.write_all(gdelt_row(&e).join("\t").as_bytes())?;
                    out.write_all(b"\n")?;
                    Ok(())
                })?;
                out.flush()?;
                Ok(n)
            }
        }
    }
}

/// One CSV row, in [`CSV_COLUMNS`] order.
fn csv_row(e: &StoredEvent) -> [String; 41] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let first = e.mentions.first();
    let place = e.place.as_ref();
    [
        e.id.clone(),
        e.global_id.to_string(),
        opt(&e.date),
        e.cameo.clone(),
        e.root.clone(),
        e.name.clone(),
        e.quad_class.to_string(),
        e.goldstein.to_string(),
        opt(&e.plover),
        e.source_code.clone(),
        e.source_name.clone(),
        opt(&e.source_country),
        opt(&e.source_sector),
        opt(&e.target_code),
        opt(&e.target_name),
        opt(&e.target_country),
        opt(&e.target_sector),
        e.first_seen.clone(),
        e.num_mentions.to_string(),
        e.num_articles.to_string(),
        e.num_sources.to_string(),
        first.and_then(|m| m.url.clone()).unwrap_or_default(),
        first.map(|m| m.sentence_text.clone()).unwrap_or_default(),
        first.and_then(|m| m.mode.clone()).unwrap_or_default(),
        first.and_then(|m| m.pattern.clone()).unwrap_or_default(),
        first
            .and_then(|m| m.confidence)
            .map_or(String::new(), |c| format!("{c:.2}")),
        e.source_country_from_context.to_string(),
        e.target_country_from_context.to_string(),
        opt(&e.date_precision),
        opt(&e.date_source),
        count(first.and_then(|m| m.counts.fatalities)),
        count(first.and_then(|m| m.counts.injuries)),
        count(first.and_then(|m| m.counts.size)),
        place.map(|p| p.geonameid.to_string()).unwrap_or_default(),
        place.map(|p| p.name.clone()).unwrap_or_default(),
        place.map(|p| p.country.clone()).unwrap_or_default(),
        place.map(|p| p.admin1.clone()).unwrap_or_default(),
        place.map(|p| p.level.clone()).unwrap_or_default(),
        place.map(|p| p.lat.to_string()).unwrap_or_default(),
        place.map(|p| p.lon.to_string()).unwrap_or_default(),
        place
            .map(|p| p.geo_precision.to_string())
            .unwrap_or_default(),
    ]
}

/// A count as a CSV field: empty when the report gives none.
fn count(n: Option<u64>) -> String {
    n.map_or(String::new(), |n| n.to_string())
}

/// One GeoJSON Point feature for a located event (`None` when it has no
/// place): coordinates `[lon, lat]`, and the event's fields a map needs.
fn geojson_feature(e: &StoredEvent) -> Option<serde_json::Value> {
    let p = e.place.as_ref()?;
    let first = e.mentions.first();
    let fatalities = e.mentions.iter().filter_map(|m| m.counts.fatalities).max();
    Some(serde_json::json!({
        "type": "Feature",
        "id": e.id,
        "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
        "properties": {
            "date": e.date,
            "date_precision": e.date_precision,
            "cameo": e.cameo,
            "root": e.root,
            "name": e.name,
            "quad_class": e.quad_class,
            "goldstein": e.goldstein,
            "plover": e.plover,
            "source_code": e.source_code,
            "source_name": e.source_name,
            "target_code": e.target_code,
            "target_name": e.target_name,
            "place_id": p.geonameid,
            "place_name": p.name,
            "place_country": p.country,
            "place_admin1": p.admin1,
            "place_level": p.level,
            "geo_precision": p.geo_precision,
            "fatalities": fatalities,
            "num_mentions": e.num_mentions,
            "num_articles": e.num_articles,
            "num_sources": e.num_sources,
            "sentence": first.map(|m| m.sentence_text.as_str()),
            "url": first.and_then(|m| m.url.as_deref()),
        }
    }))
}

/// GDELT's geographic type of a place: 1 country, 2 US state, 3 US city
/// (or county), 4 world city, 5 world state (first-order division).
fn gdelt_geo_type(p: &crate::query::StoredPlace) -> u8 {
    match (p.level.as_str(), p.country == "US") {
        ("country", _) => 1,
        ("admin1", true) => 2,
        ("admin1", false) => 5,
        (_, true) => 3,
        _ => 4,
    }
}

/// One GDELT 2.0 event row, in [`GDELT_COLUMNS`] order; columns pulse has no value
/// for (ethnicity, religion, known group, tone, actor geography) are empty.
fn gdelt_row(e: &StoredEvent) -> [String; 61] {
    let none = String::new;
    let text = |s: &str| clean_field(s);
    let opt = |v: &Option<String>| v.as_deref().map(clean_field).unwrap_or_default();
    let (sql_date, month_year, year, fraction) = match e.date.as_deref().and_then(parse_date) {
        Some((y, m, d)) => (
            format!("{y:04}{m:02}{d:02}"),
            format!("{y:04}{m:02}"),
            format!("{y:04}"),
            format!(
                "{:.4}",
                f64::from(y) + f64::from(day_of_year(y, m, d)) / 365.0
            ),
        ),
        // a year alone (a historical act dated by its year): the year
        // columns only
        None => match e
            .date
            .as_deref()
            .filter(|d| d.len() == 4 && d.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(y) => (none(), none(), y.to_string(), format!("{y}.0000")),
            None => (none(), none(), none(), none()),
        },
    };
    let first = e.mentions.first();
    let is_root = if first.is_some_and(|m| m.sentence == 0) {
        "1"
    } else {
        "0"
    };
    let base_code: String = e.cameo.chars().take(3).collect();
    let place = e.place.as_ref();
    let source_url = first
        .map(|m| text(m.url.as_deref().unwrap_or(&m.article_source)))
        .unwrap_or_default();
    [
        e.global_id.to_string(),
        sql_date,
        month_year,
        year,
        fraction,
        // Actor1
        text(&e.source_code),
        text(&e.source_name),
        opt(&e.source_country),
        none(),
        none(),
        none(),
        none(),
        opt(&e.source_sector),
        none(),
        none(),
        // Actor2
        opt(&e.target_code),
        opt(&e.target_name),
        opt(&e.target_country),
        none(),
        none(),
        none(),
        none(),
        opt(&e.target_sector),
        none(),
        none(),
        // Event
        is_root.to_string(),
        text(&e.cameo),
        text(&base_code),
        text(&e.root),
        e.quad_class.to_string(),
        e.goldstein.to_string(),
        e.num_mentions.to_string(),
        e.num_sources.to_string(),
        e.num_articles.to_string(),
        none(),
        // Actor1Geo, Actor2Geo: 8 columns each, not filled.
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        none(),
        // ActionGeo: type, full name, country and ADM1 codes (FIPS 10-4 in
        // GDELT; pulse has ISO codes, so these stay empty), ADM2, lat, long,
        // feature id (a GeoNames id here, GNS/GNIS in GDELT)
        place
            .map(|p| gdelt_geo_type(p).to_string())
            .unwrap_or_default(),
        place
            .map(|p| {
                let mut full = vec![p.name.as_str()];
                if !p.admin1.is_empty() && p.level != "admin1" && p.level != "country" {
                    full.push(p.admin1.as_str());
                }
                if p.level != "country" {
                    full.push(p.country.as_str());
                }
                text(&full.join(", "))
            })
            .unwrap_or_default(),
        none(),
        none(),
        none(),
        place.map(|p| format!("{:.4}", p.lat)).unwrap_or_default(),
        place.map(|p| format!("{:.4}", p.lon)).unwrap_or_default(),
        place.map(|p| p.geonameid.to_string()).unwrap_or_default(),
        compact_timestamp(&e.first_seen),
        source_url,
    ]
}
