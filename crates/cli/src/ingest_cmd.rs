//! `pulse ingest` and `pulse demo`: read inputs, code articles in parallel,
//! store each article in its own transaction, and report a summary.

use crate::pipeline::{Pipeline, Processed};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use pulse_ingest::{Article, Format, IngestError, Input, ReadOptions};
use pulse_store::{InsertOutcome, Store};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Counts reported at the end of an ingest.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    /// Inputs (files, stdin) read.
    pub inputs: usize,
    /// Articles read from them.
    pub articles: usize,
    /// Articles stored for the first time.
    pub stored: usize,
    /// Articles already in the store (skipped).
    pub duplicates: usize,
    /// Near-duplicates of stored articles (syndicated copies, updated
    /// versions): recorded as copies, their text not stored again.
    pub near_duplicates: usize,
    /// Inputs or articles that failed, with reasons.
    pub failed: usize,
    /// Events coded from the stored articles.
    pub events: usize,
    /// Of those, events not seen before (the rest merged into known events).
    pub new_events: usize,
    /// Sentences analysed.
    pub sentences: usize,
    /// Tokens analysed.
    pub tokens: usize,
    /// Whether Ctrl-C stopped the ingest before the end (every article
    /// counted as stored is stored whole).
    pub interrupted: bool,
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
pub fn progress(len: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{spinner} [{bar:30}] {pos}/{len} inputs ({per_sec}, eta {eta}) {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    // keep the spinner and rate moving while one big input is being coded
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// A spinner with a message on stderr when it is a terminal, hidden otherwise.
pub fn spinner(what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_message(what.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Articles coded in parallel between two stores (bounds memory and keeps
/// the progress display moving on a big JSON Lines file).
const CODE_CHUNK: usize = 256;
/// Articles of an archive coded and stored together.
const ARCHIVE_BATCH: usize = 256;

/// The longest article text analysed: a news article is a few kilobytes,
/// and analysis holds about 150 bytes per byte of text (a 2 MiB text peaks
/// near 500 MB), so a longer text is refused with an error naming it rather
/// than risk the memory of the whole batch.
pub const MAX_TEXT_BYTES: usize = 2 << 20;

/// Store errors in a row after which the store is taken to be unusable
/// (disk full, file removed) and the ingest stops.
const MAX_STORE_ERRORS_IN_A_ROW: usize = 20;

/// Store a batch of read articles: code the new ones in parallel, then insert
/// each in its own transaction. A store error on one article is reported and
/// the batch goes on; many in a row stop the ingest.
pub fn store_batch(
    pipeline: &Pipeline,
    store: &mut Store,
    batch: Vec<Result<Article, IngestError>>,
    summary: &mut Summary,
    bar: &ProgressBar,
) -> anyhow::Result<()> {
    let mut fresh: Vec<Article> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for item in batch {
        match item {
            Ok(a) if a.text.len() > MAX_TEXT_BYTES => {
                summary.articles += 1;
                let message = format!(
                    "{}: article text of {} bytes is longer than pulse analyses as one \
                     article ({MAX_TEXT_BYTES} bytes); split it into articles",
                    a.source,
                    a.text.len()
                );
                report_failure(store, &message, summary)?;
            }
            Ok(a) => {
                summary.articles += 1;
                if seen.contains(&a.id)
                    || store.contains_article(&a.id)?
                    || store.contains_copy(&a.id)?
                {
                    summary.duplicates += 1;
                } else if let Some((original, similarity)) = store.find_near_duplicate(&a)? {
                    // a copy of a stored article: no need to code it
                    store.add_copy(&original, &a, similarity)?;
                    summary.near_duplicates += 1;
                } else {
                    seen.insert(a.id.clone());
                    fresh.push(a);
                }
            }
            Err(e) => report_failure(store, &e.to_string(), summary)?,
        }
    }
    let mut errors_in_a_row = 0;
    let mut stored_in_batch = false;
    for chunk in fresh.chunks(CODE_CHUNK) {
        if crate::interrupt::requested() {
            summary.interrupted = true;
            return Ok(());
        }
        let processed: Vec<Processed> = chunk.par_iter().map(|a| pipeline.process(a)).collect();
        for (a, p) in chunk.iter().zip(processed) {
            if crate::interrupt::requested() {
                summary.interrupted = true;
                return Ok(());
            }
            summary.sentences += p.sentences.len();
            summary.tokens += p.tokens;
            // a copy of an article stored earlier in this same batch (the
            // articles stored before the batch were checked before coding)
            if stored_in_batch {
                if let Some((original, similarity)) = store.find_near_duplicate(a)? {
                    store.add_copy(&original, a, similarity)?;
                    summary.near_duplicates += 1;
                    continue;
                }
            }
            match store.insert_article(a, &p.sentences, &p.events, &p.places) {
                Ok(InsertOutcome::Inserted { events, new_events }) => {
                    errors_in_a_row = 0;
                    stored_in_batch = true;
                    summary.stored += 1;
                    summary.events += events;
                    summary.new_events += new_events;
                }
                Ok(InsertOutcome::Duplicate) => summary.duplicates += 1,
                Err(e) if e.is_storage_failure() => {
                    anyhow::bail!(
                        "cannot write to the database: {e}. The disk may be full or the file \
                         may not grow. The {} articles stored before are complete; free some \
                         space and run the same command again (stored articles are skipped).",
                        summary.stored
                    );
                }
                Err(e) => {
                    errors_in_a_row += 1;
                    summary.failed += 1;
                    eprintln!("failed: {}: cannot store: {e}", a.source);
                    if errors_in_a_row >= MAX_STORE_ERRORS_IN_A_ROW {
                        anyhow::bail!(
                            "{errors_in_a_row} articles in a row could not be stored (last: {e}); stopping"
                        );
                    }
                }
            }
        }
        bar.set_message(format!(
            "{} articles stored, {} events",
            summary.stored, summary.events
        ));
    }
    Ok(())
}

fn report_failure(store: &mut Store, message: &str, summary: &mut Summary) -> anyhow::Result<()> {
    summary.failed += 1;
    eprintln!("failed: {message}");
    let (input, reason) = message.split_once(": ").unwrap_or((message, ""));
    store.record_error(input, reason)?;
    Ok(())
}

/// Open (creating it, and for a file its folder, if needed) the store `db`
/// names: an SQLite file path or a `postgres://` URL.
pub fn open_store(db: &str) -> anyhow::Result<Store> {
    if !pulse_store::is_postgres_url(db) {
        if let Some(dir) = Path::new(db).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create folder", dir.display()))?;
        }
    }
    Store::connect(db)
        .with_context(|| format!("{}: cannot open store", pulse_store::display_db(db)))
}

/// Ingest the given paths into the store at `db`.
pub fn ingest(
    pipeline: &Pipeline,
    paths: &[PathBuf],
    db: &str,
    published: Option<String>,
) -> anyhow::Result<Summary> {
    let mut store = open_store(db)?;
    crate::interrupt::install();
    let (inputs, errors) = pulse_ingest::discover(paths);
    let mut summary = Summary::default();
    for e in errors {
        report_failure(&mut store, &e.to_string(), &mut summary)?;
    }
    let opts = ReadOptions {
        published,
        ..ReadOptions::default()
    };
    let bar = progress(inputs.len() as u64, "");
    // archives stream: their articles are coded and stored in batches as
    // they are read, so memory does not grow with the archive
    let (archives, inputs): (Vec<Input>, Vec<Input>) = inputs
        .into_iter()
        .partition(|i| matches!(i, Input::File(p) if Format::from_path(p) == Some(Format::Warc)));
    for input in &archives {
        summary.inputs += 1;
        let mut batch = Vec::new();
        let mut failure = None;
        let read = pulse_ingest::for_each_article_until(input, &opts, &mut |a| {
            batch.push(a);
            if batch.len() >= ARCHIVE_BATCH && failure.is_none() {
                let full = std::mem::take(&mut batch);
                if let Err(e) = store_batch(pipeline, &mut store, full, &mut summary, &bar) {
                    failure = Some(e);
                }
            }
            if failure.is_some() || summary.interrupted {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        });
        if let Some(e) = failure {
            return Err(e);
        }
        if let Err(e) = read {
            report_failure(&mut store, &e.to_string(), &mut summary)?;
        }
        if summary.interrupted {
            break;
        }
        store_batch(pipeline, &mut store, batch, &mut summary, &bar)?;
        bar.inc(1);
    }
    // read a few inputs at a time so coding runs in parallel across files
    for chunk in inputs.chunks(64) {
        if summary.interrupted || crate::interrupt::requested() {
            summary.interrupted = true;
            break;
        }
        let read: Vec<Result<pulse_ingest::Articles, IngestError>> = chunk
            .par_iter()
            .map(|i| pulse_ingest::read_input(i, &opts))
            .collect();
        let mut batch = Vec::new();
        for r in read {
            summary.inputs += 1;
            match r {
                Ok(items) => batch.extend(items),
                Err(e) => report_failure(&mut store, &e.to_string(), &mut summary)?,
            }
        }
        store_batch(pipeline, &mut store, batch, &mut summary, &bar)?;
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    print_summary(&summary, db);
    Ok(summary)
}

fn print_summary(s: &Summary, db: &str) {
    eprintln!(
        "{} inputs, {} articles read: {} stored, {} skipped as duplicates, {} near-duplicates kept as copies of stored articles, {} failed; {} event mentions stored ({} new events, the rest merged into events already known) in {}",
        s.inputs,
        s.articles,
        s.stored,
        s.duplicates,
        s.near_duplicates,
        s.failed,
        s.events,
        s.new_events,
        pulse_store::display_db(db)
    );
    if s.interrupted {
        eprintln!(
            "interrupted: stopped after {} articles stored; every stored article is complete. \
             Run the same command again to go on (stored articles are skipped).",
            s.stored
        );
    } else if s.articles > 0 && s.stored == 0 && s.duplicates + s.near_duplicates == s.articles {
        eprintln!("nothing new: every article was already in the store");
    }
}

/// The sample articles shipped inside the binary (written for pulse; see data/samples/README.md).
const SAMPLES: [(&str, &str); 14] = [
    (
        "01_peace_talks_nairobi.txt",
        include_str!("../../../data/samples/01_peace_talks_nairobi.txt"),
    ),
    (
        "02_militant_attack_pakistan.txt",
        include_str!("../../../data/samples/02_militant_attack_pakistan.txt"),
    ),
    (
        "03_airstrike_syria.txt",
        include_str!("../../../data/samples/03_airstrike_syria.txt"),
    ),
    (
        "04_protests_nairobi.txt",
        include_str!("../../../data/samples/04_protests_nairobi.txt"),
    ),
    (
        "05_eu_sanctions_belarus.txt",
        include_str!("../../../data/samples/05_eu_sanctions_belarus.txt"),
    ),
    (
        "06_red_cross_aid_yemen.txt",
        include_str!("../../../data/samples/06_red_cross_aid_yemen.txt"),
    ),
    (
        "07_state_visit_france_india.txt",
        include_str!("../../../data/samples/07_state_visit_france_india.txt"),
    ),
    (
        "08_ceasefire_armenia_azerbaijan.txt",
        include_str!("../../../data/samples/08_ceasefire_armenia_azerbaijan.txt"),
    ),
    (
        "09_arrests_opposition_venezuela.txt",
        include_str!("../../../data/samples/09_arrests_opposition_venezuela.txt"),
    ),
    (
        "10_us_threatens_tariffs_china.html",
        include_str!("../../../data/samples/10_us_threatens_tariffs_china.html"),
    ),
    (
        "11_nato_accuses_russia.html",
        include_str!("../../../data/samples/11_nato_accuses_russia.html"),
    ),
    (
        "12_taliban_rejects_un_proposal.html",
        include_str!("../../../data/samples/12_taliban_rejects_un_proposal.html"),
    ),
    (
        "13_un_urges_gaza_ceasefire.html",
        include_str!("../../../data/samples/13_un_urges_gaza_ceasefire.html"),
    ),
    (
        "samples.jsonl",
        include_str!("../../../data/samples/samples.jsonl"),
    ),
];

/// Publication date given to the samples that carry none.
pub const SAMPLE_DATE: &str = "2024-05-14";

/// The bundled samples as (name, bytes) pairs.
pub fn samples() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    SAMPLES.iter().map(|(n, t)| (*n, t.as_bytes()))
}

/// Read the bundled samples as articles.
pub fn sample_articles(opts: &ReadOptions) -> Vec<Result<Article, IngestError>> {
    let mut out = Vec::new();
    for (name, bytes) in samples() {
        let path = format!("samples/{name}");
        match pulse_ingest::read_bytes(&path, bytes, Path::new(name), opts) {
            Ok(items) => out.extend(items),
            Err(e) => out.push(Err(e)),
        }
    }
    out
}

/// `pulse demo`: samples into a fresh database, then a table of the events.
pub fn demo(db: &Path) -> anyhow::Result<ExitCode> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let p = PathBuf::from(p);
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing old {}", p.display()))?;
        }
    }
    let pipeline = Pipeline::load()?;
    let db_name = db.to_string_lossy();
    let mut store = open_store(&db_name)?;
    let opts = ReadOptions {
        published: Some(SAMPLE_DATE.to_string()),
        ..ReadOptions::default()
    };
    let mut summary = Summary {
        inputs: SAMPLES.len(),
        ..Summary::default()
    };
    let bar = progress(1, "coding samples");
    store_batch(
        &pipeline,
        &mut store,
        sample_articles(&opts),
        &mut summary,
        &bar,
    )?;
    bar.finish_and_clear();
    print_summary(&summary, &db_name);
    let events = store.query(&pulse_store::EventFilter::default())?;
    crate::query_cmd::print_table(&events, &mut std::io::stdout().lock())?;
    let db = db.display();
    println!();
    println!("Next:");
    println!("  pulse query --db {db} --actor RUS              # events with Russian actors");
    println!("  pulse query --db {db} --root 19 --format jsonl # fights, with their sentences");
    println!("  pulse export --db {db} --format gdelt -o events.tsv");
    println!("  pulse ingest YOUR_FOLDER --db my.db --published 2024-05-14");
    Ok(if summary.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The `POST /api/ingest` function of `pulse serve --ingest-token`: reads
/// the body as `pulse ingest -` reads stdin (JSON Lines, HTML or text,
/// sniffed; gzip unpacked), codes it with `pipeline` and stores it exactly
/// as `pulse ingest` does (duplicates skipped, copies recorded, bad records
/// stored as errors), and answers the counts.
pub fn api_ingest(pipeline: std::sync::Arc<Pipeline>) -> std::sync::Arc<pulse_server::IngestFn> {
    use pulse_server::IngestFailure;
    std::sync::Arc::new(
        move |store: &mut Store, req: &pulse_server::IngestRequest| {
            let opts = ReadOptions {
                published: req.published.clone(),
                ..ReadOptions::default()
            };
            let articles = pulse_ingest::read_bytes(&req.name, &req.body, None::<Format>, &opts)
                .map_err(|e| IngestFailure::BadRequest(e.to_string()))?;
            let mut summary = Summary {
                inputs: 1,
                ..Summary::default()
            };
            store_batch(
                &pipeline,
                store,
                articles,
                &mut summary,
                &ProgressBar::hidden(),
            )
            .map_err(|e| IngestFailure::Store(format!("{e:#}")))?;
            serde_json::to_value(&summary).map_err(|e| IngestFailure::Store(e.to_string()))
        },
    )
}
