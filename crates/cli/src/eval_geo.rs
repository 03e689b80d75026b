//! `pulse eval geo`: toponym resolution on gold spans of LGL, TR-News and
//! GeoWebNews (`geo/*.jsonl` of the gold data folder, see its SOURCES.md).
//!
//! Each document's gold spans are resolved together with
//! [`pulse_geo::Gazetteer::resolve_spans`], so they are each other's context.
//! Spans scored: LGL and TR-News, those with a GeoNames id; GeoWebNews,
//! literal, mixed and metonymic place references with coordinates. Spans
//! whose offsets could not be anchored (`offset_fixed` null) are skipped.
//!
//! Measures: `acc161` (exact GeoNames id, else within 161 km of the gold
//! point), `exact-id`, and `pop-acc161`, the naive baseline that takes the
//! most populous candidate.
//!
//! End to end, from the raw text as the pipeline finds places
//! ([`crate::pipeline::Pipeline::place_mentions`]: gazetteer matches on the
//! tagged text, less the organisations the actor dictionaries know):
//! `e2e-precision` (system spans overlapping a gold toponym of any kind),
//! `e2e-recall` (scored gold spans overlapped by a system span) and
//! `e2e-acc161` (of those, resolved correctly).

use anyhow::Context;
use serde_json::Value;
use std::path::Path;

/// One gold span.
struct Gold {
    start: usize,
    end: usize,
    id: Option<u64>,
    lat: f64,
    lon: f64,
}

fn correct(p: Option<&pulse_geo::Place>, g: &Gold) -> (bool, bool) {
    let Some(p) = p else {
        return (false, false);
    };
    let exact = g.id.is_some_and(|id| u64::from(p.geonameid) == id);
    let near = pulse_geo::distance_km(p.lat, p.lon, g.lat, g.lon) <= 161.0;
    (exact || near, exact)
}

fn gold_spans(doc: &Value, gwn: bool) -> Vec<Gold> {
    let mut out = Vec::new();
    let Some(tops) = doc.get("toponyms").and_then(Value::as_array) else {
        return out;
    };
    for t in tops {
        if t.get("offset_fixed").is_none_or(Value::is_null) {
            continue;
        }
        let id = t.get("geonameid").and_then(Value::as_u64);
        if gwn {
            let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
            if !matches!(ty, "Literal" | "Mixed" | "Metonymic") {
                continue;
            }
        } else if id.is_none() {
            continue;
        }
        let num = |k: &str| t.get(k).and_then(Value::as_f64);
        let us = |k: &str| {
            t.get(k)
                .and_then(Value::as_u64)
                .and_then(|v| usize::try_from(v).ok())
        };
        let (Some(lat), Some(lon), Some(start), Some(end)) =
            (num("lat"), num("lon"), us("bstart"), us("bend"))
        else {
            continue;
        };
        out.push(Gold {
            start,
            end,
            id,
            lat,
            lon,
        });
    }
    out
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Byte spans of every anchored gold toponym of a document, of any kind.
fn all_spans(doc: &Value) -> Vec<(usize, usize)> {
    doc.get("toponyms")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter(|t| t.get("offset_fixed").is_some_and(|v| !v.is_null()))
        .filter_map(|t| {
            let us = |k: &str| usize::try_from(t.get(k)?.as_u64()?).ok();
            Some((us("bstart")?, us("bend")?))
        })
        .collect()
}

/// Run the suite: (suite, metric, correct, total) rows.
pub fn suite(
    pipeline: &crate::pipeline::Pipeline,
    data: &Path,
    verbose: bool,
) -> anyhow::Result<Vec<(&'static str, &'static str, usize, usize)>> {
    let t0 = std::time::Instant::now();
    let gaz = pipeline
        .geonames()
        .ok_or_else(|| anyhow::anyhow!("the embedded gazetteer does not load"))?;
    if verbose {
        println!(
            "gazetteer: {} places loaded in {} ms",
            gaz.len(),
            t0.elapsed().as_millis()
        );
    }
    // end to end, places are found as the pipeline finds them (tagged
    // text, entity spans merged, names of organisations left out)
    let mut rows = Vec::new();
    for (file, suite, gwn) in [
        ("lgl.jsonl", "geo-lgl", false),
        ("trnews.jsonl", "geo-trnews", false),
        ("gwn.jsonl", "geo-gwn", true),
    ] {
        let path = data.join("geo").join(file);
        let raw = std::fs::read_to_string(&path)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        let (mut acc, mut exact, mut pop, mut total) = (0, 0, 0, 0);
        // end to end: system spans, those overlapping a gold span of any
        // kind, gold spans found, and found gold spans resolved correctly
        let (mut sys_n, mut sys_ok, mut found_n, mut found_acc) = (0, 0, 0, 0);
        for line in raw.lines().filter(|l| !l.trim().is_empty()) {
            let doc: Value = serde_json::from_str(line)
                .with_context(|| format!("{}: a line is not JSON", path.display()))?;
            let text = doc.get("text").and_then(Value::as_str).unwrap_or("");
            let gold = gold_spans(&doc, gwn);
            let spans: Vec<(usize, usize)> = gold.iter().map(|g| (g.start, g.end)).collect();
            let found = gaz.resolve_spans(text, &spans);
            let any_gold = all_spans(&doc);
            let mentions = pipeline.place_mentions(text);
            let sys: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
            let sys_places: Vec<Option<pulse_geo::Place>> =
                mentions.into_iter().map(|m| Some(m.place)).collect();
            sys_n += sys.len();
            for &s in &sys {
                if any_gold.iter().any(|g| overlaps(s, *g)) {
                    sys_ok += 1;
                } else if verbose {
                    let phrase = text.get(s.0..s.1).unwrap_or("");
                    println!("{suite} spurious {phrase:?}");
                }
            }
            for g in &gold {
                let hit = sys
                    .iter()
                    .zip(&sys_places)
                    .find(|(s, _)| overlaps(**s, (g.start, g.end)));
                if let Some((_, p)) = hit {
                    found_n += 1;
                    found_acc += usize::from(correct(p.as_ref(), g).0);
                }
            }
            for (g, p) in gold.iter().zip(&found) {
                total += 1;
                let (a, e) = correct(p.as_ref(), g);
                acc += usize::from(a);
                exact += usize::from(e);
                let phrase = text.get(g.start..g.end).unwrap_or("");
                let base = gaz.most_populous(phrase);
                pop += usize::from(correct(base, g).0);
                if verbose && !e {
                    println!(
                        "{suite} {} {phrase:?}: gold {:?} ({:.2}, {:.2}), got {}",
                        if a { "near" } else { "miss" },
                        g.id,
                        g.lat,
                        g.lon,
                        p.as_ref().map_or("nothing".to_string(), |p| format!(
                            "{} {} {} {} ({:.2}, {:.2})",
                            p.geonameid, p.name, p.admin1, p.country, p.lat, p.lon
                        ))
                    );
                }
            }
        }
        rows.push((suite, "acc161", acc, total));
        rows.push((suite, "e2e-precision", sys_ok, sys_n));
        rows.push((suite, "e2e-recall", found_n, total));
        rows.push((suite, "e2e-acc161", found_acc, found_n));
        rows.push((suite, "exact-id", exact, total));
        rows.push((suite, "pop-acc161", pop, total));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use pulse_geo::Level;

    #[test]
    fn the_shipped_gazetteer_places_news_toponyms() {
        let gaz = crate::pipeline::places().unwrap_or_else(|e| panic!("{e}"));
        let text = "Afghan and US envoys met in Doha, Qatar, on Sunday. Officials in \
                    New Delhi and New Zealand welcomed the talks, while fighting went on \
                    near Kandahar. In Alexandria, Louisiana, a vigil was held.";
        let spans = gaz.find_toponyms(text);
        let found: Vec<&str> = spans.iter().map(|&(s, e)| &text[s..e]).collect();
        for name in [
            "Afghan",
            "US",
            "Doha",
            "Qatar",
            "New Delhi",
            "New Zealand",
            "Kandahar",
            "Alexandria",
            "Louisiana",
        ] {
            assert!(found.contains(&name), "{name} not in {found:?}");
        }
        let places = gaz.resolve_spans(text, &spans);
        let got = |name: &str| {
            let i = found
                .iter()
                .position(|f| *f == name)
                .unwrap_or_else(|| panic!("{name}"));
            places[i]
                .clone()
                .unwrap_or_else(|| panic!("{name} unresolved"))
        };
        assert_eq!(got("Afghan").level, Level::Country);
        assert_eq!(got("Afghan").country, "AF");
        assert_eq!(got("Doha").country, "QA");
        assert_eq!(got("New Delhi").country, "IN");
        assert_eq!(got("New Zealand").level, Level::Country);
        assert_eq!(got("Kandahar").country, "AF");
        let alexandria = got("Alexandria");
        assert_eq!(
            (alexandria.country.as_str(), alexandria.admin1.as_str()),
            ("US", "Louisiana")
        );
    }
}
