//! Offline GeoNames gazetteer and toponym resolution with document context.
//!
//! The gazetteer is one gzip-compressed text file (`data/geo/gazetteer.bin`)
//! built by [`build::build`] from GeoNames cities500, the GeoNames country
//! and admin1 tables, second-order divisions, continents and demonyms.
//! [`Gazetteer::from_bytes`]
//! checks its versioned header and builds a name → candidates index;
//! [`Gazetteer::resolve_spans`] ranks the candidates of each toponym with the
//! rest of the article as context.

pub mod build;
mod recognise;
mod resolve;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::io::Read;

/// First line of a gazetteer file: magic word and format version.
pub const MAGIC: &str = "pulse-gazetteer";
/// Format version written and accepted by this crate.
pub const VERSION: u32 = 1;

/// Ids from this value up are not GeoNames ids: the builder made them for
/// places its sources name without one (US counties: this plus the FIPS code).
pub const SYNTHETIC_ID: u32 = 4_000_000_000;

/// Errors reading or building a gazetteer.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The file could not be read or decompressed.
    #[error("gazetteer i/o: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a gazetteer of this version, or a record is malformed.
    #[error("gazetteer format: {0}")]
    Format(String),
    /// A source file for the build is missing or malformed.
    #[error("gazetteer source {path}: {msg}")]
    Source {
        /// The source file.
        path: String,
        /// What is wrong with it.
        msg: String,
    },
}

/// How precise a place is: what kind of unit it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A sovereign country or dependency.
    Country,
    /// A first-order administrative division (state, province).
    Admin1,
    /// A second-order division (a US county, an English county, a district;
    /// a few third-order ones); its id is synthetic when the sources lack
    /// the GeoNames id (see [`SYNTHETIC_ID`]).
    Admin2,
    /// A populated place.
    City,
    /// Anything else (continents, regions).
    Other,
}

impl Level {
    /// The level's name as serialised: `country`, `admin1`, `admin2`,
    /// `city`, `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Country => "country",
            Level::Admin1 => "admin1",
            Level::Admin2 => "admin2",
            Level::City => "city",
            Level::Other => "other",
        }
    }

    /// The level named `name` by [`Level::as_str`], if any.
    pub fn from_name(name: &str) -> Option<Level> {
        [
            Level::Country,
            Level::Admin1,
            Level::Admin2,
            Level::City,
            Level::Other,
        ]
        .into_iter()
        .find(|l| l.as_str() == name)
    }

    /// Whether the place is a town or a second-order division: a unit whose
    /// name, alone, is as often something else (a surname, a word).
    pub fn is_local(self) -> bool {
        matches!(self, Level::City | Level::Admin2)
    }

    fn code(self) -> &'static str {
        match self {
            Level::Country => "C",
            Level::Admin1 => "A",
            Level::Admin2 => "B",
            Level::City => "P",
            Level::Other => "O",
        }
    }

    fn from_code(s: &str) -> Option<Level> {
        Some(match s {
            "C" => Level::Country,
            "A" => Level::Admin1,
            "B" => Level::Admin2,
            "P" => Level::City,
            "O" => Level::Other,
            _ => return None,
        })
    }
}

/// A gazetteer entry: one GeoNames feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// GeoNames id.
    pub geonameid: u32,
    /// Preferred name.
    pub name: String,
    /// ISO 3166 alpha-2 country code ("" for continents).
    pub country: String,
    /// Name of the first-order administrative division ("" if none).
    pub admin1: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// GeoNames feature class and code, as `P.PPLA`.
    pub feature: String,
    /// Population (0 when unknown).
    pub population: u64,
    /// What kind of unit the place is.
    pub level: Level,
}

/// Index of a place in a [`Gazetteer`].
pub type PlaceId = u32;

/// The loaded gazetteer: places and a normalised-name index.
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// all normalised names, concatenated in sorted order
    names: String,
    /// per name: its byte span in `names` and its span in `ids`
    keys: Vec<(u32, u32, u32, u32)>,
    /// place indices of the names
    ids: Vec<PlaceId>,
    by_geonameid: FxHashMap<u32, PlaceId>,
    /// country ISO2 → index of its country place
    countries: FxHashMap<String, PlaceId>,
    /// (country ISO2, admin1 name) → index of its admin1 place
    admin1s: FxHashMap<(String, String), PlaceId>,
}

/// The lookup key of a name: lower case, curly apostrophes straightened,
/// runs of white space made one space, a leading "the " dropped.
pub fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            match c {
                '\u{2019}' | '\u{2018}' => out.push('\''),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

fn num<T: std::str::FromStr>(s: &str, what: &str, line: usize) -> Result<T, GeoError> {
    s.parse()
        .map_err(|_| GeoError::Format(format!("line {line}: bad {what} {s:?}")))
}

impl Gazetteer {
    /// Load a gazetteer from the bytes of a gzip-compressed gazetteer file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Gazetteer, GeoError> {
        let mut text = String::with_capacity(bytes.len().saturating_mul(3));
        flate2::read::GzDecoder::new(bytes).read_to_string(&mut text)?;
        Gazetteer::from_text(&text)
    }

    /// Load a gazetteer from its uncompressed text: a header line
    /// (`pulse-gazetteer`, version, place count, name count), one line per
    /// place, then the name table: one line per normalised name, sorted, with
    /// the indices of its places.
    pub fn from_text(text: &str) -> Result<Gazetteer, GeoError> {
        let mut lines = text.lines();
        let header = lines
            .next()
            .ok_or_else(|| GeoError::Format("empty file".into()))?;
        let mut h = header.split('\t');
        if h.next() != Some(MAGIC) {
            return Err(GeoError::Format("not a pulse gazetteer".into()));
        }
        let version: u32 = num(h.next().unwrap_or(""), "version", 1)?;
        if version != VERSION {
            return Err(GeoError::Format(format!(
                "version {version}, this build reads {VERSION}"
            )));
        }
        let count: usize = num(h.next().unwrap_or(""), "place count", 1)?;
        let name_count: usize = num(h.next().unwrap_or(""), "name count", 1)?;
        let mut g = Gazetteer {
            places: Vec::with_capacity(count.min(1 << 22)),
            ..Gazetteer::default()
        };
        g.by_geonameid.reserve(count.min(1 << 22));
        let mut ln = 1;
        for _ in 0..count {
            ln += 1;
            let line = lines
                .next()
                .ok_or_else(|| GeoError::Format(format!("truncated: {} places", g.len())))?;
            let mut cols = line.split('\t');
            let mut next = |i: usize| {
                cols.next()
                    .ok_or_else(|| GeoError::Format(format!("line {ln}: missing column {i}")))
            };
            let place = Place {
                geonameid: num(next(1)?, "geonameid", ln)?,
                name: next(2)?.to_string(),
                country: next(3)?.to_string(),
                admin1: next(4)?.to_string(),
                lat: num(next(5)?, "latitude", ln)?,
                lon: num(next(6)?, "longitude", ln)?,
                feature: next(7)?.to_string(),
                population: num(next(8)?, "population", ln)?,
                level: Level::from_code(next(9)?)
                    .ok_or_else(|| GeoError::Format(format!("line {ln}: bad level")))?,
            };
            let id = PlaceId::try_from(g.places.len())
                .map_err(|_| GeoError::Format("too many places".into()))?;
            g.by_geonameid.entry(place.geonameid).or_insert(id);
            match place.level {
                Level::Country => {
                    g.countries.entry(place.country.clone()).or_insert(id);
                }
                Level::Admin1 => {
                    g.admin1s
                        .entry((place.country.clone(), place.admin1.clone()))
                        .or_insert(id);
                }
                _ => {}
            }
            g.places.push(place);
        }
        g.names.reserve(name_count.min(1 << 24) * 12);
        g.keys.reserve(name_count.min(1 << 24));
        for _ in 0..name_count {
            ln += 1;
            let line = lines
                .next()
                .ok_or_else(|| GeoError::Format(format!("truncated: {} names", g.keys.len())))?;
            let (key, ids) = line
                .split_once('\t')
                .ok_or_else(|| GeoError::Format(format!("line {ln}: no places for a name")))?;
            if g.keys.last().is_some_and(|&k| g.key(k) >= key) {
                return Err(GeoError::Format(format!("line {ln}: names not sorted")));
            }
            let from = g.ids.len();
            for i in ids.split(',') {
                let i: PlaceId = num(i, "place index", ln)?;
                if i as usize >= g.places.len() {
                    return Err(GeoError::Format(format!("line {ln}: no place {i}")));
                }
                g.ids.push(i);
            }
            let at = g.names.len();
            g.names.push_str(key);
            let span = |a: usize| u32::try_from(a).map_err(|_| GeoError::Format("too big".into()));
            g.keys.push((
                span(at)?,
                span(g.names.len())?,
                span(from)?,
                span(g.ids.len())?,
            ));
        }
        if lines.any(|l| !l.is_empty()) {
            return Err(GeoError::Format("data after the name table".into()));
        }
        Ok(g)
    }

    fn key(&self, k: (u32, u32, u32, u32)) -> &str {
        self.names.get(k.0 as usize..k.1 as usize).unwrap_or("")
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether the gazetteer has no places.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// The candidate places for a name (any case), as ids for [`Gazetteer::place`].
    pub fn candidates(&self, name: &str) -> &[PlaceId] {
        let key = normalise(name);
        match self
            .keys
            .binary_search_by(|&k| self.key(k).cmp(key.as_str()))
        {
            Ok(i) => self
                .keys
                .get(i)
                .and_then(|k| self.ids.get(k.2 as usize..k.3 as usize))
                .unwrap_or(&[]),
            Err(_) => &[],
        }
    }

    /// Every normalised name (see [`normalise`]) with its candidate places, in
    /// sorted order.
    pub fn names(&self) -> impl Iterator<Item = (&str, &[PlaceId])> + '_ {
        self.keys.iter().map(|&k| {
            (
                self.key(k),
                self.ids.get(k.2 as usize..k.3 as usize).unwrap_or(&[]),
            )
        })
    }

    /// The place with this index.
    pub fn place(&self, id: PlaceId) -> Option<&Place> {
        self.places.get(id as usize)
    }

    /// The place with this GeoNames id.
    pub fn by_geonameid(&self, geonameid: u32) -> Option<&Place> {
        self.by_geonameid
            .get(&geonameid)
            .and_then(|&i| self.place(i))
    }

    /// The country place for an ISO 3166 alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<&Place> {
        self.countries.get(iso2).and_then(|&i| self.place(i))
    }

    fn admin1_id(&self, country: &str, admin1: &str) -> Option<PlaceId> {
        self.admin1s
            .get(&(country.to_string(), admin1.to_string()))
            .copied()
    }
}

/// Great-circle distance in kilometres between two points in degrees.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

/// The text of a gazetteer file from place lines that end with a column of
/// `|`-separated alternate names (as the builder lays them out).
pub fn text_from_rows<S: AsRef<str>>(rows: &[S]) -> String {
    let mut table: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut places = String::new();
    for (i, r) in rows.iter().enumerate() {
        let r = r.as_ref();
        let mut cols: Vec<&str> = r.split('\t').collect();
        let alts = if cols.len() > 9 {
            cols.pop().unwrap_or("")
        } else {
            ""
        };
        let name = cols.get(1).copied().unwrap_or("");
        for n in std::iter::once(name).chain(alts.split('|')) {
            let k = normalise(n);
            if !k.is_empty() {
                let v = table.entry(k).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        places.push_str(&cols.join("\t"));
        places.push('\n');
    }
    let mut out = format!(
        "{MAGIC}\t{VERSION}\t{}\t{}\n{places}",
        rows.len(),
        table.len()
    );
    for (k, v) in table {
        let ids: Vec<String> = v.iter().map(usize::to_string).collect();
        out.push_str(&format!("{k}\t{}\n", ids.join(",")));
    }
    out
}

/// A gazetteer of the given place rows (see [`text_from_rows`]), for tests.
#[cfg(test)]
pub(crate) fn test_gazetteer(rows: &[&str]) -> Gazetteer {
    Gazetteer::from_text(&text_from_rows(rows)).unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> String {
        text_from_rows(&[
            "1\tFreedonia\tFD\t\t10.0\t20.0\tA.PCLI\t5000000\tC\tFreedonian|Republic of Freedonia",
            "2\tNorth Marsh\tFD\tNorth Marsh\t11.0\t21.0\tA.ADM1\t900000\tA\t",
            "3\tPortville\tFD\tNorth Marsh\t11.1\t21.1\tP.PPLA\t300000\tP\tPort Ville",
        ])
    }

    #[test]
    fn level_names_read_back() {
        for l in [
            Level::Country,
            Level::Admin1,
            Level::Admin2,
            Level::City,
            Level::Other,
        ] {
            assert_eq!(Level::from_name(l.as_str()), Some(l));
        }
        assert_eq!(Level::from_name("town"), None);
    }

    #[test]
    fn loads_and_looks_up() {
        let g = Gazetteer::from_text(&tiny()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(g.len(), 3);
        assert_eq!(g.candidates("freedonian"), &[0]);
        assert_eq!(g.candidates("The  Republic of Freedonia"), &[0]);
        assert_eq!(g.candidates("port ville"), &[2]);
        assert!(g.candidates("Nowhere").is_empty());
        assert_eq!(g.country("FD").map(|p| p.geonameid), Some(1));
    }

    #[test]
    fn truncated_or_corrupt_files_are_errors() {
        let t = tiny();
        for cut in [20, 40, 200] {
            assert!(Gazetteer::from_text(&t[..t.len() - cut]).is_err(), "{cut}");
        }
        let unsorted = t.replace("freedonian\t", "zzz\t");
        assert!(Gazetteer::from_text(&unsorted).is_err());
        assert!(Gazetteer::from_text("nonsense\n").is_err());
        assert!(Gazetteer::from_text("").is_err());
        let bad = t.replace("10.0", "ten");
        assert!(Gazetteer::from_text(&bad).is_err());
        assert!(Gazetteer::from_bytes(b"\x1f\x8b\x08garbage").is_err());
        let v2 = t.replace(&format!("{MAGIC}\t{VERSION}"), &format!("{MAGIC}\t99"));
        assert!(Gazetteer::from_text(&v2).is_err());
    }

    #[test]
    fn distance_is_sane() {
        let d = distance_km(0.0, 0.0, 0.0, 1.0);
        assert!((d - 111.2).abs() < 0.5, "{d}");
    }
}
