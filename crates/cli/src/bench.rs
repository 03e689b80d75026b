//! `pulse bench`: throughput of analysis + coding and of a full ingest into
//! SQLite, over a corpus generated from the bundled samples, with peak memory.

use crate::ingest_cmd::{sample_articles, Summary, SAMPLE_DATE};
use crate::pipeline::Pipeline;
use anyhow::Context;
use pulse_ingest::{Article, ReadOptions};
use rayon::prelude::*;
use std::time::Instant;

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A corpus of at least `mb` megabytes: the samples, each copy made distinct.
fn corpus(mb: usize) -> anyhow::Result<Vec<Article>> {
    let opts = ReadOptions {
        published: Some(SAMPLE_DATE.to_string()),
        ..ReadOptions::default()
    };
    let base: Vec<Article> = sample_articles(&opts)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    anyhow::ensure!(!base.is_empty(), "no sample articles could be read");
    let target = mb.max(1) * 1024 * 1024;
    let mut out = Vec::new();
    let mut size = 0;
    let mut copy = 0usize;
    while size < target {
        for a in &base {
            let mut a = a.clone();
            a.text = format!("{}\n\nReport {copy} of the bench corpus.", a.text);
            a.id = pulse_ingest::article_id(&a.text);
            a.source = format!("bench/{copy}/{}", a.source);
            size += a.text.len();
            out.push(a);
        }
        copy += 1;
    }
    Ok(out)
}

/// Run the benchmark and print its figures.
pub fn run(mb: usize) -> anyhow::Result<()> {
    let cores = rayon::current_num_threads();
    let t0 = Instant::now();
    let pipeline = Pipeline::load()?;
    let load = t0.elapsed().as_secs_f64();
    let articles = corpus(mb)?;
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    eprintln!(
        "corpus: {} articles, {:.1} MB; {} threads; dictionaries loaded in {:.2} s",
        articles.len(),
        bytes as f64 / 1e6,
        cores,
        load
    );

    // analysis + coding only
    let spin = crate::ingest_cmd::spinner("analysing and coding the corpus");
    let t = Instant::now();
    let counts: Vec<(usize, usize, usize)> = articles
        .par_iter()
        .map(|a| {
            let p = pipeline.process(a);
            (p.sentences.len(), p.tokens, p.events.len())
        })
        .collect();
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    spin.finish_and_clear();
    let (s, tk, ev) = counts
        .iter()
        .fold((0, 0, 0), |acc, c| (acc.0 + c.0, acc.1 + c.1, acc.2 + c.2));
    let n = articles.len() as f64;
    println!(
        "analyse+code: {:.2} s, {} sentences, {} tokens, {} events",
        secs, s, tk, ev
    );
    println!(
        "  per core: {:.0} articles/s, {:.0} sentences/s, {:.0} tokens/s, {:.2} MB/s",
        n / secs / cores as f64,
        s as f64 / secs / cores as f64,
        tk as f64 / secs / cores as f64,
        bytes as f64 / 1e6 / secs / cores as f64
    );

    // the tagger alone, over the same sentences
    let t = Instant::now();
    let tagger = crate::pipeline::tagger()?;
    let load_tagger = t.elapsed().as_secs_f64();
    let spin = crate::ingest_cmd::spinner("tagging the corpus");
    let t = Instant::now();
    let tagged: usize = articles
        .par_iter()
        .map(|a| {
            let doc = pulse_nlp::analyze(&a.text);
            doc.sentences
                .iter()
                .map(|s| {
                    let words: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
                    tagger.tag(&words).len()
                })
                .sum::<usize>()
        })
        .sum();
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    spin.finish_and_clear();
    println!(
        "tokenize+tag: {:.2} s, {} tokens; per core {:.0} tokens/s; tagger model loaded in {:.2} s",
        secs,
        tagged,
        tagged as f64 / secs / cores as f64,
        load_tagger
    );

    // full ingest into a fresh SQLite file
    let dir = tempfile::tempdir().context("creating a temporary folder")?;
    let db = dir.path().join("bench.db");
    let mut store = pulse_store::Store::open(&db)?;
    let mut summary = Summary::default();
    let spin = crate::ingest_cmd::spinner("ingesting the corpus into SQLite");
    let t = Instant::now();
    for chunk in articles.chunks(256) {
        crate::ingest_cmd::store_batch(
            &pipeline,
            &mut store,
            chunk.iter().cloned().map(Ok).collect(),
            &mut summary,
            &spin,
        )?;
    }
    spin.finish_and_clear();
    let secs = t.elapsed().as_secs_f64().max(1e-9);
    println!(
        "ingest (analyse, code, store in SQLite): {:.2} s, {} articles stored, {} events",
        secs, summary.stored, summary.events
    );
    println!(
        "  per core: {:.0} articles/s, {:.0} sentences/s, {:.0} tokens/s",
        summary.stored as f64 / secs / cores as f64,
        summary.sentences as f64 / secs / cores as f64,
        summary.tokens as f64 / secs / cores as f64
    );
    match peak_rss_mib() {
        Some(m) => println!("peak memory: {m:.0} MiB"),
        None => println!("peak memory: unknown on this system"),
    }
    Ok(())
}
