//! `pulse eval quotes`: speaker attribution ([`pulse_code::find_quotes`]) on
//! `quotes/meantime_en_attributions.jsonl` of the gold data folder (cue →
//! speaker pairs of MEANTIME EN, see `quotes/SOURCES.md`), over the text of
//! the same `doc_id` in `timex/meantime_en_timex.jsonl`, analysed by the
//! default pipeline (tags, parse, entities).
//!
//! Measures, over all gold cues:
//! - `cue-recall`: the gold cue overlaps the cue of some system quote.
//! - `speaker-accuracy`: that quote's speaker, as written or resolved
//!   through a pronoun, overlaps a gold source span; a speaker whose last
//!   word (its head) equals the last word of a gold source counts too
//!   ("Angers" for an earlier "Spokeswoman Sandy Angers").
//!
//! `--verbose` prints every miss with the gold and system spans, and the
//! quantities found in each document (no gold; for inspection).

use crate::pipeline::Pipeline;
use anyhow::Context;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// A gold span in bytes.
struct Gold {
    start: usize,
    end: usize,
    text: String,
}

/// Byte offset of character offset `c` in `text` (the end of the text when
/// past it).
fn byte_at(text: &str, c: usize) -> usize {
    text.char_indices().nth(c).map_or(text.len(), |(b, _)| b)
}

fn gold_span(text: &str, v: &Value) -> Option<Gold> {
    let s = usize::try_from(v.get("start")?.as_u64()?).ok()?;
    let e = usize::try_from(v.get("end")?.as_u64()?).ok()?;
    Some(Gold {
        start: byte_at(text, s),
        end: byte_at(text, e),
        text: v.get("text")?.as_str()?.to_string(),
    })
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

fn last_word(s: &str) -> String {
    s.split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase()
}

/// Run the suite: (suite, metric, correct, total) rows.
pub fn suite(
    pipeline: &Pipeline,
    data: &Path,
    verbose: bool,
) -> anyhow::Result<Vec<(&'static str, &'static str, usize, usize)>> {
    let texts_path = data.join("timex/meantime_en_timex.jsonl");
    let gold_path = data.join("quotes/meantime_en_attributions.jsonl");
    let texts_raw = std::fs::read_to_string(&texts_path)
        .with_context(|| format!("{}: cannot read", texts_path.display()))?;
    let mut texts: HashMap<String, String> = HashMap::new();
    for line in texts_raw.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}: a line is not JSON", texts_path.display()))?;
        if let (Some(id), Some(t)) = (
            v.get("doc_id").and_then(Value::as_str),
            v.get("text").and_then(Value::as_str),
        ) {
            texts.insert(id.to_string(), t.to_string());
        }
    }
    let gold_raw = std::fs::read_to_string(&gold_path)
        .with_context(|| format!("{}: cannot read", gold_path.display()))?;
    let mut docs: HashMap<String, Vec<pulse_code::Quote>> = HashMap::new();
    let (mut total, mut cue_found, mut speaker_ok) = (0usize, 0usize, 0usize);
    // right by the head-word rule only (no span overlap)
    let mut by_head = 0usize;
    for line in gold_raw.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line)
            .with_context(|| format!("{}: a line is not JSON", gold_path.display()))?;
        let id = v.get("doc_id").and_then(Value::as_str).unwrap_or("");
        let Some(text) = texts.get(id) else {
            anyhow::bail!("{}: doc {id} has no text", gold_path.display());
        };
        if !docs.contains_key(id) {
            let doc = pipeline.analyze(text)?;
            if verbose {
                // no gold for quantities: listed for inspection on parsed text
                for q in pulse_code::find_quantities(&doc) {
                    println!(
                        "quotes  quantity  {id}  {:?} count {:?} unit {:?} kind {:?} qualifier {:?}",
                        q.text, q.count, q.unit, q.kind, q.qualifier
                    );
                }
            }
            docs.insert(id.to_string(), pulse_code::find_quotes(&doc));
        }
        let quotes = docs.get(id).map_or(&[][..], Vec::as_slice);
        let Some(cue) = v.get("cue").and_then(|c| gold_span(text, c)) else {
            continue;
        };
        let sources: Vec<Gold> = v
            .get("sources")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|s| gold_span(text, s)).collect())
            .unwrap_or_default();
        total += 1;
        let found = quotes.iter().find(|q| {
            q.cue
                .as_ref()
                .is_some_and(|c| overlaps((c.start, c.end), (cue.start, cue.end)))
        });
        let Some(q) = found else {
            if verbose {
                println!("quotes  miss-cue  {id}  {:?}", cue.text);
            }
            continue;
        };
        cue_found += 1;
        let overlap = |s: &pulse_code::TextSpan| {
            sources
                .iter()
                .any(|g| overlaps((s.start, s.end), (g.start, g.end)))
        };
        let head = |s: &pulse_code::TextSpan| {
            sources
                .iter()
                .any(|g| !s.text.is_empty() && last_word(&s.text) == last_word(&g.text))
        };
        let spans = [q.mention.as_ref(), q.speaker.as_ref()];
        let by_overlap = spans.iter().flatten().any(|s| overlap(s));
        let ok = by_overlap || spans.iter().flatten().any(|s| head(s));
        if ok {
            speaker_ok += 1;
            by_head += usize::from(!by_overlap);
        } else if verbose {
            let gold: Vec<&str> = sources.iter().map(|g| g.text.as_str()).collect();
            let sentence = text
                .get(..cue.start)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            let end = text
                .get(cue.end..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |i| cue.end + i);
            println!(
                "quotes  miss-speaker  {id}  cue {:?}  gold {:?}  got {:?}  in: {}",
                cue.text,
                gold,
                q.mention.as_ref().map(|m| m.text.as_str()),
                text.get(sentence..end).unwrap_or("")
            );
        }
    }
    println!("quotes: {by_head} of {speaker_ok} right speakers matched by head word only, not by span overlap");
    Ok(vec![
        ("quotes", "cue-recall", cue_found, total),
        ("quotes", "speaker-accuracy", speaker_ok, total),
    ])
}
