//! `pulse eval petrarch-unit` and `petrarch-2_02`: the PETRARCH validation
//! records, coded with their own `PETR.Validate.*` dictionaries.
//!
//! Each record holds a sentence and the events PETRARCH should code from it
//! as (source, target, CAMEO code) triples (`---` for no target), or
//! `noevents`, or an expected input error. A record passes when the set of
//! triples pulse codes equals the expected set exactly. Records the file
//! disables (`sentence="false"`, `evaluate="false"`), records that expect an
//! input error and records of the PARSING category (they test PETRARCH's
//! reading of Treebank parses, which pulse does not use) are reported apart
//! and left out of the pass rate; so are records whose expected events have
//! the null actor `---` as source.

use crate::pipeline::Pipeline;
use anyhow::Context;
use pulse_code::build::{build_actors, build_agents, build_discards, build_verbs};
use pulse_code::dict::{embedded, Dictionaries, Sources};
use pulse_code::Coder;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One expected event: source code, target code (`---` for none), CAMEO code.
type Triple = (String, String, String);

/// One validation record.
#[derive(Debug, Default)]
struct Record {
    id: String,
    category: String,
    date: String,
    enabled: bool,
    expected: BTreeSet<Triple>,
    error: Option<String>,
    text: String,
}

/// The value of attribute `name` in a tag's text (`name="v"`, `name = 'v'`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0
            || rest[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
        let after = rest[at + name.len()..].trim_start();
        if before_ok {
            if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                let quote = v.chars().next()?;
                if quote == '"' || quote == '\'' {
                    let body = &v[1..];
                    let end = body.find(quote)?;
                    return Some(body[..end].to_string());
                }
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

/// Parse the records of a PETRARCH validation file.
fn parse_records(xml: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<Sentence ") {
        let block_start = &rest[start..];
        let end = block_start.find("</Sentence>").unwrap_or(block_start.len());
        let block = &block_start[..end];
        rest = &block_start[end..];
        let tag_end = block.find('>').unwrap_or(block.len());
        let tag = &block[..tag_end];
        let flag = |n: &str| attribute(tag, n).map(|v| v.eq_ignore_ascii_case("true"));
        let mut rec = Record {
            id: attribute(tag, "id").unwrap_or_default(),
            category: attribute(tag, "category").unwrap_or_default(),
            date: attribute(tag, "date").unwrap_or_default(),
            enabled: flag("sentence")
                .or_else(|| flag("evaluate"))
                .unwrap_or(true),
            ..Record::default()
        };
        let mut codings = block;
        while let Some(at) = codings.find("<EventCoding") {
            let c = &codings[at..];
            let close = c.find('>').unwrap_or(c.len());
            let ctag = &c[..close];
            codings = &c[close..];
            if let Some(e) = attribute(ctag, "error") {
                rec.error = Some(e);
                continue;
            }
            if attribute(ctag, "noevents").is_some() {
                continue;
            }
            let get = |n: &str| {
                attribute(ctag, n)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string()
            };
            let bare = |c: String| match c.strip_prefix("---") {
                Some(rest) if !rest.is_empty() => rest.to_string(),
                _ => c,
            };
            rec.expected.insert((
                bare(get("sourcecode")),
                bare(get("targetcode")),
                get("eventcode"),
            ));
        }
        if let (Some(a), Some(b)) = (block.find("<Text>"), block.find("</Text>")) {
            if a + 6 <= b {
                rec.text = block[a + 6..b]
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        out.push(rec);
    }
    out
}

/// The files of one validation set, relative to the shared data folder.
struct Set {
    suite: &'static str,
    records: &'static str,
    verbs: &'static str,
    actors: &'static str,
    agents: &'static str,
    discards: &'static str,
}

const UNIT: Set = Set {
    suite: "petrarch-unit",
    records: "cameo/petrarch2/text/PETR.UnitTest.records.xml",
    verbs: "cameo/petrarch2/dictionaries/PETR.Validate.verbs.txt",
    actors: "cameo/petrarch2/dictionaries/PETR.Validate.actors.txt",
    agents: "cameo/petrarch2/dictionaries/PETR.Validate.agents.txt",
    discards: "cameo/petrarch2/dictionaries/PETR.Validate.discards.txt",
};

const V202: Set = Set {
    suite: "petrarch-2_02",
    records: "cameo/universalpetrarch/validate/PETR_Validate_records_2_02.xml",
    verbs: "cameo/universalpetrarch/validate/PETR_Validate_verbs_2_02.txt",
    actors: "cameo/universalpetrarch/validate/PETR_Validate_actors_2_02.txt",
    agents: "cameo/universalpetrarch/validate/PETR_Validate_agents_2_02.txt",
    discards: "cameo/universalpetrarch/validate/PETR_Validate_discards_2_02.txt",
};

/// The coder over a validation set's own dictionaries (with pulse's
/// codebook and crosswalk, which only add names and PLOVER types).
fn coder_for(data: &Path, set: &Set) -> anyhow::Result<Coder> {
    let read = |rel: &str| -> anyhow::Result<String> {
        let path = data.join(rel);
        let bytes =
            std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let verbs = build_verbs(&read(set.verbs)?);
    let actors = build_actors(&[(set.actors, read(set.actors)?)]);
    let agents = build_agents(&read(set.agents)?);
    let discards = build_discards(&read(set.discards)?);
    let dict = Dictionaries::from_sources(&Sources {
        verbs: &[&verbs],
        actors: &[&actors],
        agents: &[&agents],
        discards: &discards,
        codebook: embedded::CODEBOOK,
        crosswalk: &[embedded::CROSSWALK],
    })?;
    Ok(Coder::new(dict))
}

/// The metric name of a record category that gets its own score.
fn category_metric(category: &str) -> Option<&'static str> {
    Some(match category {
        "DEMO" => "exact-demo",
        "ACTOR" => "exact-actor",
        "AGENT" => "exact-agent",
        "COMPOUND" => "exact-compound",
        "DATE" => "exact-date",
        "MODIFY" => "exact-modify",
        "PATTERN" => "exact-pattern",
        "SYNSET" => "exact-synset",
        "VERB" => "exact-verb",
        _ => return None,
    })
}

/// `YYYYMMDD` → `YYYY-MM-DD`.
fn iso_date(d: &str) -> Option<String> {
    (d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
}

/// Per-category tallies: (passed, total).
type Tally = BTreeMap<String, (usize, usize)>;

fn run_set(
    pipeline: &Pipeline,
    data: &Path,
    set: &Set,
    verbose: bool,
) -> anyhow::Result<Vec<(&'static str, &'static str, usize, usize)>> {
    let path = data.join(set.records);
    let xml = std::fs::read_to_string(&path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let records = parse_records(&xml);
    anyhow::ensure!(!records.is_empty(), "{}: no records found", path.display());
    let coder = coder_for(data, set)?;
    let mut by_category: Tally = BTreeMap::new();
    let mut apart: Tally = BTreeMap::new();
    let (mut passed, mut total) = (0, 0);
    for rec in &records {
        let date = iso_date(&rec.date);
        let (_, events) = pipeline.code_with(&coder, &rec.id, &rec.text, date.as_deref());
        // PETRARCH codes facts and announced acts; negated, hypothetical
        // and conditional events are not in its expected sets, nor are acts
        // of actors its dictionaries do not know (pulse's `---` source).
        // Its null country (`---GOV`) is pulse's bare role code (`GOV`).
        let got: BTreeSet<Triple> = events
            .iter()
            .filter(|e| e.is_asserted() && e.source.code != "---")
            .map(|e| {
                (
                    e.source.code.clone(),
                    e.target
                        .as_ref()
                        .map_or("---".to_string(), |t| t.code.clone()),
                    e.cameo.clone(),
                )
            })
            .collect();
        let ok = rec.error.is_none() && got == rec.expected;
        let null_actor = rec.expected.iter().any(|(s, _, _)| s == "---");
        let kind = if !rec.enabled {
            Some("disabled")
        } else if rec.error.is_some() {
            Some("ERROR")
        } else if rec.category.eq_ignore_ascii_case("PARSING") {
            Some("PARSING")
        } else if null_actor {
            Some("null-actor")
        } else {
            None
        };
        let slot = match kind {
            Some(k) => apart.entry(k.to_string()).or_default(),
            None => {
                total += 1;
                passed += usize::from(ok);
                by_category.entry(rec.category.clone()).or_default()
            }
        };
        slot.1 += 1;
        slot.0 += usize::from(ok);
        if verbose {
            let show = |s: &BTreeSet<Triple>| {
                s.iter()
                    .map(|(a, b, c)| format!("{a} {b} {c}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            println!(
                "{}\t{}\t{}\twant [{}]\tgot [{}]\t{}",
                if ok { "ok" } else { "--" },
                rec.id,
                kind.unwrap_or(&rec.category),
                show(&rec.expected),
                show(&got),
                rec.text
            );
        }
    }
    println!("{}: exact-match pass rate by category", set.suite);
    for (cat, (p, n)) in &by_category {
        println!("  {cat:<12} {p:>4}/{n:<4}");
    }
    for (cat, (p, n)) in &apart {
        println!("  {cat:<12} {p:>4}/{n:<4} (not in the pass rate)");
    }
    let mut out = vec![(set.suite, "exact", passed, total)];
    for (cat, (p, n)) in by_category {
        if let Some(metric) = category_metric(&cat) {
            out.push((set.suite, metric, p, n));
        }
    }
    Ok(out)
}

/// Run the PETRARCH unit-test records.
pub fn unit(
    pipeline: &Pipeline,
    data: &Path,
    verbose: bool,
) -> anyhow::Result<Vec<(&'static str, &'static str, usize, usize)>> {
    run_set(pipeline, data, &UNIT, verbose)
}

/// Run the UniversalPetrarch 2.02 validation records.
pub fn v202(
    pipeline: &Pipeline,
    data: &Path,
    verbose: bool,
) -> anyhow::Result<Vec<(&'static str, &'static str, usize, usize)>> {
    run_set(pipeline, data, &V202, verbose)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_attributes_parse() {
        let xml = r#"<Sentences>
<Sentence date = "19950101" id ="T-1" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode='"THE X"' eventcode="064"></EventCoding>
<EventCoding noevents = "True"></EventCoding>
<Text>
Arnor restored
ties.
</Text>
</Sentence>
<Sentence category="VERB" date="20010101" id="T-2" evaluate="false">
<EventCoding error="dateline" />
<Text>x</Text>
</Sentence>"#;
        let r = parse_records(xml);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].id, "T-1");
        assert_eq!(r[0].date, "19950101");
        assert!(r[0].enabled);
        assert_eq!(r[0].text, "Arnor restored ties.");
        assert!(r[0].expected.contains(&(
            "ARN".to_string(),
            "THE X".to_string(),
            "064".to_string()
        )));
        assert!(!r[1].enabled);
        assert_eq!(r[1].error.as_deref(), Some("dateline"));
        assert_eq!(iso_date("19950101").as_deref(), Some("1995-01-01"));
    }
}
