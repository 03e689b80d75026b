//! `pulse eval metadata`: pulse's page metadata reader
//! ([`pulse_ingest::extract_metadata`]) and body extractor
//! ([`pulse_ingest::html_to_text`]) on `extraction/metadata-gold/` of the gold
//! data folder, scored as the upstream projects score themselves (see
//! `extraction/SOURCES.md`, section 2), so pulse's numbers stand beside the
//! peers' in `extraction/peer-scores.json`.
//!
//! Sets: `trafilatura` (990 rows from trafilatura's evaluation data: title,
//! author, date where annotated, and body snippets), `htmldate` (800 rows) and
//! `htmldate-mediacloud` (200 rows; dates only). Pages are stored gzipped
//! with their original bytes and decoded as `pulse ingest` decodes them.
//!
//! Measures (each a ratio `correct / total`):
//! - dates, htmldate's rule: exact `YYYY-MM-DD`; TP = match, FP = a wrong
//!   date (or a date where the gold says there is none), FN = no date where
//!   the gold has one. `date-acc` = TP / rows with a gold date (the peers'
//!   `acc_on_gold`), `date-p` = TP/(TP+FP), `date-r` = TP/(TP+FN), `date-f1`
//!   = 2TP/(2TP+FP+FN).
//! - `title-exact`: our headline equals the gold title after whitespace
//!   normalisation, over rows with a non-empty gold title.
//! - `author-exact`: our authors joined with `"; "` equal the gold string
//!   (a gold list is joined the same way), over rows with a non-empty gold author.
//! - `body-p/r/f1` (trafilatura rows): trafilatura's snippet rule, micro-averaged:
//!   a `with` snippet found in our whitespace-normalised body is a TP, not
//!   found a FN; a `without` snippet found is a FP.
//!
//! Suites: one per set, `meta-htmldate-1k` (both htmldate sets: the 1,000
//! rows of the peers' `htmldate_date` column; 5 of them have no usable gold
//! date, `NaN`, and are left out here, while the peers count them as misses)
//! and `metadata` (all rows). Times per page are printed, not scored.
//!
//! `--verbose` adds one line per miss (`date`, `title`, `author`: gold, ours,
//! page), every candidate the reader saw for each row (`cands`, `tcands`,
//! `acands`, for error analysis), how often each kind of date source was
//! right (`date-source` for the chosen one, `cand-source` for all), and the
//! peers' numbers from `peer-scores.json` (`peer`).

use anyhow::Context;
use serde_json::Value;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// Where the gold lies in the gold data folder.
const GOLD_DIR: &str = "extraction/metadata-gold";
/// Decompressed pages larger than this are refused (a gzip bomb guard).
const MAX_PAGE_BYTES: u64 = 64 * 1024 * 1024;

/// One gold row.
struct Row {
    set: String,
    url: Option<String>,
    file: String,
    /// `None` = not annotated; `Some("")` = annotated as absent.
    date: Option<String>,
    title: Option<String>,
    author: Option<String>,
    with: Vec<String>,
    without: Vec<String>,
}

/// A gold string field: a string, a list of strings joined with `"; "`, or
/// absent (`null`, a number such as NaN).
fn gold_str(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => Some(
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    }
}

fn gold_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn read_rows(path: &Path) -> anyhow::Result<Vec<Row>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // Python's json writes a missing float as a bare NaN, which is not JSON
        let line = line.replace(": NaN", ": null");
        let v: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not JSON", path.display(), i + 1))?;
        let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(set), Some(file)) = (field("set"), field("file")) else {
            anyhow::bail!("{}:{}: no set or file", path.display(), i + 1);
        };
        rows.push(Row {
            set,
            url: field("url"),
            file,
            date: gold_str(v.get("date")),
            title: gold_str(v.get("title")),
            author: gold_str(v.get("author")),
            with: gold_list(v.get("with")),
            without: gold_list(v.get("without")),
        });
    }
    Ok(rows)
}

/// A page's text: gunzipped (bounded) and decoded as `pulse ingest` decodes it.
fn read_page(dir: &Path, file: &str) -> anyhow::Result<String> {
    let path = dir.join(file);
    let raw = std::fs::File::open(&path).with_context(|| format!("{}", path.display()))?;
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .take(MAX_PAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: not gzip", path.display()))?;
    anyhow::ensure!(
        bytes.len() as u64 <= MAX_PAGE_BYTES,
        "{}: larger than {MAX_PAGE_BYTES} bytes decompressed",
        path.display()
    );
    Ok(pulse_ingest::decode_bytes(
        file,
        &bytes,
        Some(pulse_ingest::Format::Html),
    )?)
}

/// Counts for one group of rows.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    date_gold: usize,
    date_tp: usize,
    date_fp: usize,
    date_fn: usize,
    title_gold: usize,
    title_ok: usize,
    author_gold: usize,
    author_ok: usize,
    body_tp: usize,
    body_fp: usize,
    body_fn: usize,
    /// Rows with snippets (the body measures are reported only when there are some).
    body_rows: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.date_gold += o.date_gold;
        self.date_tp += o.date_tp;
        self.date_fp += o.date_fp;
        self.date_fn += o.date_fn;
        self.title_gold += o.title_gold;
        self.title_ok += o.title_ok;
        self.author_gold += o.author_gold;
        self.author_ok += o.author_ok;
        self.body_tp += o.body_tp;
        self.body_fp += o.body_fp;
        self.body_fn += o.body_fn;
        self.body_rows += o.body_rows;
    }

    /// (metric, correct, total) for each measure this group has data for.
    fn scores(&self) -> Vec<(&'static str, usize, usize)> {
        let mut out = Vec::new();
        if self.date_gold > 0 {
            let (tp, fp, fn_) = (self.date_tp, self.date_fp, self.date_fn);
            out.push(("date-acc", tp, self.date_gold));
            out.push(("date-p", tp, tp + fp));
            out.push(("date-r", tp, tp + fn_));
            out.push(("date-f1", 2 * tp, 2 * tp + fp + fn_));
        }
        if self.title_gold > 0 {
            out.push(("title-exact", self.title_ok, self.title_gold));
        }
        if self.author_gold > 0 {
            out.push(("author-exact", self.author_ok, self.author_gold));
        }
        if self.body_rows > 0 {
            let (tp, fp, fn_) = (self.body_tp, self.body_fp, self.body_fn);
            out.push(("body-p", tp, tp + fp));
            out.push(("body-r", tp, tp + fn_));
            out.push(("body-f1", 2 * tp, 2 * tp + fp + fn_));
        }
        out
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The suite name of a gold set.
fn suite_of(set: &str) -> &'static str {
    match set {
        "trafilatura" => "meta-trafilatura",
        "htmldate" => "meta-htmldate",
        "htmldate-mediacloud" => "meta-mediacloud",
        _ => "meta-other",
    }
}

/// Runs the suite: (suite, metric, correct, total) for every measure, per
/// set, for both htmldate sets together and for all rows.
pub fn suite(
    data: &Path,
    verbose: bool,
) -> anyhow::Result<Vec<(&'static str, &'static str, usize, usize)>> {
    let dir = data.join(GOLD_DIR);
    let rows = read_rows(&dir.join("gold.jsonl"))?;
    anyhow::ensure!(!rows.is_empty(), "{}: no gold rows", dir.display());
    let mut pages: HashMap<String, anyhow::Result<String>> = HashMap::new();
    let mut per_set: Vec<(&'static str, Tally)> = Vec::new();
    let (mut meta_time, mut meta_calls) = (0f64, 0usize);
    let (mut body_time, mut body_calls) = (0f64, 0usize);
    let mut sources: HashMap<(&'static str, bool), usize> = HashMap::new();
    let mut cand_sources: HashMap<(String, bool), usize> = HashMap::new();
    for row in &rows {
        let page = pages
            .entry(row.file.clone())
            .or_insert_with(|| read_page(&dir, &row.file));
        let html = match page {
            Ok(h) => h.as_str(),
            Err(e) => {
                // an unreadable page scores as "nothing found"
                if verbose {
                    println!("page\t{}\t{e:#}", row.file);
                }
                ""
            }
        };
        let start = Instant::now();
        let meta = pulse_ingest::extract_metadata(html, row.url.as_deref());
        meta_time += start.elapsed().as_secs_f64();
        meta_calls += 1;
        let mut t = Tally::default();
        let suite = suite_of(&row.set);
        // dates
        match row.date.as_deref() {
            // annotated as having no date: a date found is a false positive
            Some("") if meta.published.is_some() => t.date_fp += 1,
            Some("") => {}
            Some(gold) => {
                t.date_gold += 1;
                match meta.published.as_deref() {
                    Some(p) if p == gold => t.date_tp += 1,
                    Some(_) => t.date_fp += 1,
                    None => t.date_fn += 1,
                }
                let source = meta.published_source.unwrap_or("none");
                if verbose {
                    // how often each kind of candidate is right, chosen or not
                    let mut seen: Vec<String> = Vec::new();
                    let mut all: Vec<String> = Vec::new();
                    for line in pulse_ingest::meta_debug(html, row.url.as_deref()) {
                        let f: Vec<&str> = line.split('\t').collect();
                        if let ["cand", tier, src, date, ..] = f.as_slice() {
                            all.push(format!(
                                "{tier}:{src}={date}{}",
                                if f.len() > 4 { "Z" } else { "" }
                            ));
                            if !seen.iter().any(|s| s == src) {
                                seen.push(src.to_string());
                                *cand_sources
                                    .entry((src.to_string(), *date == gold))
                                    .or_default() += 1;
                            }
                        }
                    }
                    println!("cands\t{}\t{gold}\t{}", row.set, all.join(" "));
                }
                *sources
                    .entry((source, meta.published.as_deref() == Some(gold)))
                    .or_default() += 1;
                if verbose && meta.published.as_deref() != Some(gold) {
                    println!(
                        "date\t{}\tgold {gold}\tgot {}\t{source}\t{}\t{}",
                        row.set,
                        meta.published.as_deref().unwrap_or("-"),
                        row.file,
                        row.url.as_deref().unwrap_or("")
                    );
                }
            }
            None => {}
        }
        // title
        if let Some(gold) = row
            .title
            .as_deref()
            .map(normalise)
            .filter(|g| !g.is_empty())
        {
            t.title_gold += 1;
            if verbose {
                let tc: Vec<Vec<String>> = pulse_ingest::meta_debug(html, row.url.as_deref())
                    .into_iter()
                    .filter_map(|l| {
                        let mut f = l.splitn(3, '\t');
                        (f.next() == Some("tc")).then(|| f.map(str::to_string).collect())
                    })
                    .collect();
                println!(
                    "tcands\t{}\t{}",
                    serde_json::json!(gold),
                    serde_json::json!(tc)
                );
            }
            let got = meta.title.as_deref().map(normalise);
            if got.as_deref() == Some(gold.as_str()) {
                t.title_ok += 1;
            } else if verbose {
                println!(
                    "title\tgold {gold:?}\tgot {:?}\t{}",
                    got.unwrap_or_default(),
                    row.file
                );
            }
        }
        // authors: exact string equality, as upstream
        if let Some(gold) = row.author.as_deref().filter(|g| !g.is_empty()) {
            t.author_gold += 1;
            if verbose {
                let ac: Vec<Vec<String>> = pulse_ingest::meta_debug(html, row.url.as_deref())
                    .into_iter()
                    .filter_map(|l| {
                        let mut f = l.splitn(3, '\t');
                        (f.next() == Some("ac")).then(|| f.map(str::to_string).collect())
                    })
                    .collect();
                println!(
                    "acands\t{}\t{}",
                    serde_json::json!(gold),
                    serde_json::json!(ac)
                );
            }
            let got = meta.authors_joined();
            if got.as_deref() == Some(gold) {
                t.author_ok += 1;
            } else if verbose {
                println!(
                    "author\tgold {gold:?}\tgot {:?}\t{}",
                    got.unwrap_or_default(),
                    row.file
                );
            }
        }
        // body snippets
        if !row.with.is_empty() || !row.without.is_empty() {
            let start = Instant::now();
            let body = pulse_ingest::html_to_text(html).text;
            body_time += start.elapsed().as_secs_f64();
            body_calls += 1;
            let body = normalise(&body);
            t.body_rows += 1;
            for s in &row.with {
                if body.contains(&normalise(s)) {
                    t.body_tp += 1;
                } else {
                    t.body_fn += 1;
                }
            }
            for s in &row.without {
                if body.contains(&normalise(s)) {
                    t.body_fp += 1;
                }
            }
        }
        match per_set.iter_mut().find(|(s, _)| *s == suite) {
            Some((_, tally)) => tally.add(&t),
            None => per_set.push((suite, t)),
        }
    }
    let mut htmldate = Tally::default();
    let mut all = Tally::default();
    for (s, t) in &per_set {
        if *s == "meta-htmldate" || *s == "meta-mediacloud" {
            htmldate.add(t);
        }
        all.add(t);
    }
    let ms = |secs: f64, n: usize| {
        if n == 0 {
            0.0
        } else {
            secs * 1000.0 / n as f64
        }
    };
    println!(
        "metadata: {:.2} ms/page for extract_metadata ({meta_calls} calls), {:.2} ms/page for html_to_text ({body_calls} calls); pages decoded beforehand",
        ms(meta_time, meta_calls),
        ms(body_time, body_calls)
    );
    if verbose {
        let mut list: Vec<_> = sources.into_iter().collect();
        list.sort();
        for ((source, ok), n) in list {
            println!(
                "date-source\t{source}\t{}\t{n}",
                if ok { "right" } else { "wrong" }
            );
        }
        let mut list: Vec<_> = cand_sources.into_iter().collect();
        list.sort();
        for ((source, ok), n) in list {
            println!(
                "cand-source\t{source}\t{}\t{n}",
                if ok { "right" } else { "wrong" }
            );
        }
        print_peers(data);
    }
    let mut out = Vec::new();
    let mut groups: Vec<(&'static str, Tally)> = per_set;
    groups.sort_by_key(|(s, _)| *s);
    groups.push(("meta-htmldate-1k", htmldate));
    groups.push(("metadata", all));
    for (suite, t) in groups {
        for (metric, c, n) in t.scores() {
            out.push((suite, metric, c, n));
        }
    }
    Ok(out)
}

/// The peers' metadata numbers from `extraction/peer-scores.json`.
fn print_peers(data: &Path) {
    let path = data.join("extraction/peer-scores.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("peers: {} not found", path.display());
        return;
    };
    let Ok(v) = serde_json::from_str::<Value>(&text) else {
        println!("peers: {} is not JSON", path.display());
        return;
    };
    let num = |v: &Value, a: &str, b: &str| {
        v.get(a)
            .and_then(|x| x.get(b))
            .and_then(Value::as_f64)
            .map_or("-".to_string(), |x| format!("{x:.3}"))
    };
    println!(
        "peers (htmldate 1k: acc P R F1 | trafilatura set date: acc P R F1 | title exact | author exact | ms/page)"
    );
    for p in v
        .get("metadata")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        println!(
            "peer\t{:<16}\t{} {} {} {}\t{} {} {} {}\t{}\t{}\t{}",
            p.get("tool").and_then(Value::as_str).unwrap_or("?"),
            num(p, "htmldate_date", "acc_on_gold"),
            num(p, "htmldate_date", "precision"),
            num(p, "htmldate_date", "recall"),
            num(p, "htmldate_date", "f1"),
            num(p, "trafeval_date", "acc_on_gold"),
            num(p, "trafeval_date", "precision"),
            num(p, "trafeval_date", "recall"),
            num(p, "trafeval_date", "f1"),
            num(p, "trafeval_title", "exact"),
            num(p, "trafeval_author", "exact"),
            p.get("time_ms_per_page")
                .and_then(Value::as_f64)
                .map_or("-".to_string(), |x| format!("{x:.2}")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_fields() {
        let v: Value = serde_json::json!({"a": ["X", "Y"], "b": "", "c": null, "d": 1.5});
        assert_eq!(gold_str(v.get("a")).as_deref(), Some("X; Y"));
        assert_eq!(gold_str(v.get("b")).as_deref(), Some(""));
        assert_eq!(gold_str(v.get("c")), None);
        assert_eq!(gold_str(v.get("d")), None);
        assert_eq!(gold_str(v.get("zz")), None);
    }

    #[test]
    fn tally_ratios() {
        let t = Tally {
            date_gold: 10,
            date_tp: 8,
            date_fp: 2,
            date_fn: 1,
            ..Tally::default()
        };
        let s = t.scores();
        assert!(s.contains(&("date-acc", 8, 10)));
        assert!(s.contains(&("date-p", 8, 10)));
        assert!(s.contains(&("date-r", 8, 9)));
        assert!(s.contains(&("date-f1", 16, 19)));
        assert!(!s.iter().any(|(m, _, _)| *m == "title-exact"));
    }

    /// The whole suite on the shared gold data, when it is there.
    #[test]
    fn runs_on_shared_data() {
        let data = Path::new("../../../shared/data");
        if !data.join(GOLD_DIR).join("gold.jsonl").is_file() {
            println!("skipped: {} not found", data.join(GOLD_DIR).display());
            return;
        }
        // the full suite takes a minute; here only its reading is checked
        let rows =
            read_rows(&data.join(GOLD_DIR).join("gold.jsonl")).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(rows.len() > 1000);
        let first = rows.first().map(|r| r.file.clone()).unwrap_or_default();
        let page = read_page(&data.join(GOLD_DIR), &first).unwrap_or_else(|e| panic!("{e:#}"));
        assert!(!page.is_empty());
    }
}
