//! `pulse eval timex`: the temporal-expression finder ([`pulse_time::find`])
//! on `timex/` of the gold data folder (see its SOURCES.md).
//!
//! Suites: `timex-te3` (TempEval-3 platinum, all 20 documents) and
//! `timex-meantime` (MEANTIME English; only expressions inside each
//! document's `annotated_char_range`, the dateline excluded as the gold
//! leaves the DCT out, and gold entries valued `XXXX-XX-XX` skipped as noise).
//!
//! Measures, with gold and system expressions paired one to one:
//! - `strict-f1`: 2 · (pairs with the same boundaries) / (gold + system);
//! - `relaxed-f1`: 2 · (overlapping pairs) / (gold + system);
//! - `value-f1`: 2 · (overlapping pairs with the gold value) / (gold + system).
//!
//! Gold offsets are character offsets; ours are bytes and are converted.
//! `--verbose` prints each miss, each spurious expression, each boundary
//! difference and each wrong value.

use crate::pipeline::Pipeline;
use anyhow::Context;
use serde_json::Value;
use std::path::Path;

/// One expression as (char start, char end, text, value).
type Span = (usize, usize, String, String);

/// Counts over a corpus.
#[derive(Default)]
struct Tally {
    gold: usize,
    system: usize,
    strict: usize,
    relaxed: usize,
    value: usize,
}

/// Char offset of every byte offset of `text` (and of its end).
fn char_index(text: &str) -> Vec<usize> {
    let mut out = vec![0; text.len() + 1];
    let mut n = 0;
    for (b, _) in text.char_indices() {
        if let Some(slot) = out.get_mut(b) {
            *slot = n;
        }
        n += 1;
    }
    // bytes inside a character map to the character
    let mut last = 0;
    for (b, slot) in out.iter_mut().enumerate() {
        if text.is_char_boundary(b) {
            last = if b == text.len() { n } else { *slot };
        }
        *slot = last;
    }
    out
}

fn gold_spans(doc: &Value) -> Vec<Span> {
    doc["timexes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| {
                    Some((
                        usize::try_from(t["start"].as_u64()?).ok()?,
                        usize::try_from(t["end"].as_u64()?).ok()?,
                        t["text"].as_str().unwrap_or("").to_string(),
                        t["value"].as_str().unwrap_or("").to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Score one document's expressions and print its errors when verbose.
fn score(id: &str, gold: &[Span], system: &[Span], tally: &mut Tally, verbose: bool) {
    tally.gold += gold.len();
    tally.system += system.len();
    let mut used = vec![false; system.len()];
    for g in gold {
        let exact = system
            .iter()
            .enumerate()
            .position(|(k, s)| !used.get(k).copied().unwrap_or(true) && s.0 == g.0 && s.1 == g.1);
        let pick = exact.or_else(|| {
            system
                .iter()
                .enumerate()
                .position(|(k, s)| !used.get(k).copied().unwrap_or(true) && s.0 < g.1 && g.0 < s.1)
        });
        let Some(k) = pick else {
            if verbose {
                println!("timex {id}  miss   {:?} = {}", g.2, g.3);
            }
            continue;
        };
        if let Some(u) = used.get_mut(k) {
            *u = true;
        }
        let Some(s) = system.get(k) else { continue };
        tally.relaxed += 1;
        if s.0 == g.0 && s.1 == g.1 {
            tally.strict += 1;
        } else if verbose {
            println!("timex {id}  span   gold {:?}  ours {:?}", g.2, s.2);
        }
        if s.3 == g.3 {
            tally.value += 1;
        } else if verbose {
            println!("timex {id}  value  {:?}: gold {}  ours {}", g.2, g.3, s.3);
        }
    }
    if verbose {
        for (s, u) in system.iter().zip(&used) {
            if !u {
                println!("timex {id}  extra  {:?} = {}", s.2, s.3);
            }
        }
    }
}

/// Our expressions in a text, as char spans, kept when `keep(start, end)`.
fn system_spans(
    pipeline: &Pipeline,
    text: &str,
    dct: &str,
    keep: impl Fn(usize, usize) -> bool,
) -> anyhow::Result<Vec<Span>> {
    let doc = pipeline.analyze(text)?;
    let chars = char_index(text);
    let at = |b: usize| chars.get(b).copied().unwrap_or(0);
    Ok(pulse_time::find(&doc, Some(dct))
        .into_iter()
        .map(|t| (at(t.start), at(t.end), t.text, t.value))
        .filter(|s| keep(s.0, s.1))
        .collect())
}

fn read_jsonl(path: &Path) -> anyhow::Result<Vec<Value>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).with_context(|| format!("{}: bad line", path.display())))
        .collect()
}

fn rows(
    suite: &'static str,
    t: &Tally,
    verbose: bool,
) -> Vec<(&'static str, &'static str, usize, usize)> {
    let n = t.gold + t.system;
    if verbose {
        println!(
            "{suite}: gold {}, ours {}, overlapping {}, same boundaries {}, right value {}",
            t.gold, t.system, t.relaxed, t.strict, t.value
        );
    }
    vec![
        (suite, "strict-f1", 2 * t.strict, n),
        (suite, "relaxed-f1", 2 * t.relaxed, n),
        (suite, "value-f1", 2 * t.value, n),
    ]
}

/// Run both corpora: (suite, metric, correct, total) rows, F1 = correct / total.
pub fn suite(
    pipeline: &Pipeline,
    data: &Path,
    verbose: bool,
) -> anyhow::Result<Vec<(&'static str, &'static str, usize, usize)>> {
    let mut out = Vec::new();
    let mut te3 = Tally::default();
    for doc in read_jsonl(&data.join("timex/te3_platinum_timex.jsonl"))? {
        let text = doc["text"].as_str().unwrap_or("");
        let dct = doc["dct"].as_str().unwrap_or("");
        let id = doc["doc_id"].as_str().unwrap_or("?");
        let system = system_spans(pipeline, text, dct, |_, _| true)?;
        score(id, &gold_spans(&doc), &system, &mut te3, verbose);
    }
    out.extend(rows("timex-te3", &te3, verbose));
    let mut mt = Tally::default();
    for doc in read_jsonl(&data.join("timex/meantime_en_timex.jsonl"))? {
        let text = doc["text"].as_str().unwrap_or("");
        let dct = doc["dct"].as_str().unwrap_or("");
        let id = doc["doc_name"]
            .as_str()
            .or_else(|| doc["doc_id"].as_str())
            .unwrap_or("?");
        let range = &doc["annotated_char_range"];
        let (lo, hi) = (
            range[0].as_u64().unwrap_or(0) as usize,
            range[1].as_u64().unwrap_or(0) as usize,
        );
        // the dateline (line 1) holds the DCT, which the gold leaves out
        let mut lines = text.split('\n').map(|l| l.chars().count());
        let title = lines.next().unwrap_or(0);
        let dateline = (title + 1, title + 1 + lines.next().unwrap_or(0));
        let system = system_spans(pipeline, text, dct, |s, e| {
            s >= lo && e <= hi && !(s < dateline.1 && dateline.0 < e)
        })?;
        let gold: Vec<Span> = gold_spans(&doc)
            .into_iter()
            .filter(|g| g.3 != "XXXX-XX-XX" && g.0 >= lo && g.1 <= hi)
            .collect();
        score(id, &gold, &system, &mut mt, verbose);
    }
    out.extend(rows("timex-meantime", &mt, verbose));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_from_bytes() {
        let c = char_index("aé b");
        assert_eq!(c, vec![0, 1, 1, 2, 3, 4]);
    }

    #[test]
    fn scoring_pairs_once() {
        let s = |a: usize, b: usize, v: &str| (a, b, String::new(), v.to_string());
        let mut t = Tally::default();
        score(
            "d",
            &[s(0, 5, "2019"), s(10, 15, "P1D")],
            &[s(0, 5, "2019"), s(11, 15, "P2D"), s(20, 22, "x")],
            &mut t,
            false,
        );
        assert_eq!(
            (t.gold, t.system, t.strict, t.relaxed, t.value),
            (2, 3, 1, 2, 1)
        );
    }
}
