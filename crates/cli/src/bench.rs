//! `pulse bench`: throughput of analysis + coding and of a full ingest into
//! SQLite, over a corpus generated from the bundled samples, with peak memory;
//! and the speed of each NLP stage (tokenizer, tagger, parser, entity
//! tagger) on one thread, against issue 3's target and spaCy's figures.

use crate::ingest_cmd::{sample_articles, Summary, SAMPLE_DATE};
use crate::pipeline::Pipeline;
use anyhow::Context;
use pulse_ingest::{Article, ReadOptions};
use pulse_nlp::tagger::Tagged;
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Peak resident memory of this process in MiB (Linux), if known.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A corpus of at least `mb` megabytes of distinct articles: each is a
/// different draw of 6 to 20 sentences from the sample articles (a fixed
/// pseudo-random sequence, so every run reads the same corpus). Repeating
/// whole samples would make every copy a near-duplicate of the first one,
/// and the ingest figure would time the duplicate check instead of coding.
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
    let pool: Vec<String> = base
        .iter()
        .flat_map(|a| {
            let doc = pulse_nlp::analyze(&a.text);
            doc.sentences
                .iter()
                .map(|s| doc.sentence_text(s).to_string())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.trim().is_empty())
        .collect();
    anyhow::ensure!(!pool.is_empty(), "the sample articles have no sentences");
    let target = mb.max(1) * 1024 * 1024;
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| -> usize {
        // xorshift64*: deterministic and good enough to pick sentences
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let r = state.wrapping_mul(0x2545_f491_4f6c_dd1d);
        (r >> 33) as usize % n.max(1)
    };
    let mut out = Vec::new();
    let mut size = 0;
    while size < target {
        let k = out.len();
        let len = 6 + next(15);
        let sentences: Vec<&str> = (0..len)
            .filter_map(|_| pool.get(next(pool.len())).map(String::as_str))
            .collect();
        let text = sentences.join(" ");
        let id = pulse_ingest::article_id(&text);
        size += text.len();
        out.push(Article {
            id,
            source: format!("bench/{k}"),
            url: Some(format!("https://bench{}.example/{k}", k % 50)),
            title: None,
            published: Some(SAMPLE_DATE.to_string()),
            text,
        });
    }
    Ok(out)
}

/// Run the benchmark and print its figures; `data` is the shared data
/// folder for the UD EWT timing (default `../shared/data`, skipped when absent).
pub fn run(mb: usize, data: Option<&Path>) -> anyhow::Result<()> {
    if let Some(d) = data {
        anyhow::ensure!(d.is_dir(), "{}: no such shared data folder", d.display());
    }
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

    nlp_section(&articles, data)
}

/// Issue 3's speed target: tagger + parser tokens per second on one core.
const TARGET_TAGGER_PARSER_TOKENS: f64 = 50_000.0;
/// Text of the sample corpus timed stage by stage on one thread (bytes):
/// about 85,000 tokens, a second or two for the slowest stage, which keeps
/// figures stable and the whole bench under a minute on two cores.
const NLP_BYTES: usize = 500_000;
/// Repetitions over the UD EWT test text (small), best kept, as spaCy's
/// figures were measured.
const UD_REPS: usize = 3;
/// Where the shared data is looked for when `--data` is not given.
const DEFAULT_DATA: &str = "../shared/data";
/// UD English EWT test, whose raw text spaCy was timed on.
const UD_EWT_TEST: &str = "ud/EWT/en_ewt-ud-test.conllu";
/// spaCy en_core_web_sm's speed on that text (measured on this machine class).
const SPACY_SPEED: &str = "nlp-peer/results/ewt_test_sm_speed.json";

/// CPU time used so far by the calling thread, in seconds, where the
/// system reports it: the fair measure of one core's work on a shared machine.
#[cfg(unix)]
fn thread_cpu_secs() -> Option<f64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the call's duration.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9)
}

/// CPU time of the calling thread: not known on this system.
#[cfg(not(unix))]
fn thread_cpu_secs() -> Option<f64> {
    None
}

/// Wall and thread-CPU seconds of one timed stage.
#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: f64,
    cpu: Option<f64>,
}

impl Timing {
    /// Seconds the rates are computed from: the thread's CPU time when
    /// known (per core, unaffected by other load), else wall time.
    fn secs(&self) -> f64 {
        self.cpu.unwrap_or(self.wall).max(1e-9)
    }
}

/// Run `f` `reps` times (at least once) on this thread and keep the
/// fastest run's timing and result.
fn timed<T>(reps: usize, mut f: impl FnMut() -> T) -> (Timing, T) {
    let mut once = || {
        let c0 = thread_cpu_secs();
        let t0 = Instant::now();
        let out = black_box(f());
        let wall = t0.elapsed().as_secs_f64();
        let cpu = match (c0, thread_cpu_secs()) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        (Timing { wall, cpu }, out)
    };
    let mut best = once();
    for _ in 1..reps {
        let next = once();
        if next.0.secs() < best.0.secs() {
            best = next;
        }
    }
    best
}

/// The three NLP models, loaded once.
struct Models {
    tagger: pulse_nlp::tagger::Tagger,
    parser: pulse_nlp::parser::Parser,
    ner: pulse_nlp::ner::Ner,
    coder: pulse_code::Coder,
}

/// One sentence after tagging: the `UPOS|XPOS` pairs the parser reads and
/// the UPOS tags the entity tagger reads.
struct TagStrings {
    pairs: Vec<String>,
    upos: Vec<String>,
}

impl TagStrings {
    /// The strings of one tagged sentence.
    fn new(tags: &[Tagged]) -> TagStrings {
        TagStrings {
            pairs: tags
                .iter()
                .map(|t| format!("{}|{}", t.upos, t.xpos))
                .collect(),
            upos: tags.iter().map(|t| t.upos.clone()).collect(),
        }
    }
}

/// Parse a sentence given its words and tags, as `pulse parse` does.
fn parse(m: &Models, words: &[&str], tags: &TagStrings) -> usize {
    let pairs: Vec<&str> = tags.pairs.iter().map(String::as_str).collect();
    m.parser.parse(words, &pairs).len()
}

/// Entity-tag a sentence given its words and UPOS tags.
fn ner(m: &Models, words: &[&str], tags: &TagStrings) -> usize {
    let upos: Vec<&str> = tags.upos.iter().map(String::as_str).collect();
    m.ner.tag(words, &upos).len()
}

/// Tokenize, split, tag and parse a text (and entity-tag it if `with_ner`);
/// returns the number of tokens.
fn pipeline_text(m: &Models, text: &str, with_ner: bool) -> usize {
    let doc = pulse_nlp::analyze(text);
    let mut n = 0;
    for s in &doc.sentences {
        let words: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
        let tags = TagStrings::new(&m.tagger.tag(&words));
        black_box(parse(m, &words, &tags));
        if with_ner {
            black_box(ner(m, &words, &tags));
        }
        n += words.len();
    }
    n
}

/// Timings of every NLP stage over one set of texts.
struct NlpTimes {
    /// Sentences found by pulse's splitter.
    sentences: usize,
    /// Tokens found by pulse's tokenizer.
    tokens: usize,
    /// (label, timing) per stage, in the order printed.
    stages: Vec<(&'static str, Timing)>,
    /// Tagger alone plus parser alone.
    tagger_parser: Timing,
    /// Tokenize, tag and parse in one go (what spaCy's tagger + parser
    /// figure covers).
    tokenize_tag_parse: Timing,
    /// Event coding of the parsed documents (issue 5: under 20 % of the
    /// time it takes to parse them).
    coding: Timing,
}

/// Time each NLP stage alone over `texts` on this thread, the best of
/// `reps` runs each; every stage's input is prepared before its clock starts.
fn time_stages(m: &Models, texts: &[&str], reps: usize) -> NlpTimes {
    let spin = crate::ingest_cmd::spinner("timing the tokenizer and sentence splitter");
    let (t_analyze, docs) = timed(reps, || {
        texts
            .iter()
            .map(|t| pulse_nlp::analyze(t))
            .collect::<Vec<_>>()
    });
    let words: Vec<Vec<&str>> = docs
        .iter()
        .flat_map(|d| &d.sentences)
        .map(|s| s.tokens.iter().map(|t| t.norm.as_str()).collect())
        .collect();
    let tokens: usize = words.iter().map(Vec::len).sum();

    spin.set_message("timing the tagger");
    let (t_tag, tagged) = timed(reps, || {
        words
            .iter()
            .map(|w| m.tagger.tag(w))
            .collect::<Vec<Vec<Tagged>>>()
    });
    let tags: Vec<TagStrings> = tagged.iter().map(|t| TagStrings::new(t)).collect();

    spin.set_message("timing the parser");
    let (t_parse, _) = timed(reps, || {
        words
            .iter()
            .zip(&tags)
            .map(|(w, t)| parse(m, w, t))
            .sum::<usize>()
    });

    spin.set_message("timing the event coder");
    let parsed: Vec<pulse_nlp::Doc> = docs
        .iter()
        .cloned()
        .map(|mut d| {
            m.tagger.tag_doc(&mut d);
            pulse_nlp::annotate::parse_doc(&m.parser, &mut d);
            d
        })
        .collect();
    let (t_code, _) = timed(reps, || {
        parsed
            .iter()
            .map(|d| {
                m.coder
                    .code(
                        d,
                        pulse_code::ArticleContext {
                            article_id: "bench",
                            published: Some(SAMPLE_DATE),
                            dates: &[],
                        },
                    )
                    .len()
            })
            .sum::<usize>()
    });

    spin.set_message("timing the entity tagger");
    let (t_ner, _) = timed(reps, || {
        words
            .iter()
            .zip(&tags)
            .map(|(w, t)| ner(m, w, t))
            .sum::<usize>()
    });

    spin.set_message("timing tokenize, tag, parse");
    let (t_tp, _) = timed(reps, || {
        texts
            .iter()
            .map(|t| pipeline_text(m, t, false))
            .sum::<usize>()
    });

    spin.set_message("timing tokenize, tag, parse, entities");
    let (t_all, _) = timed(reps, || {
        texts
            .iter()
            .map(|t| pipeline_text(m, t, true))
            .sum::<usize>()
    });
    spin.finish_and_clear();

    let tagger_parser = Timing {
        wall: t_tag.wall + t_parse.wall,
        cpu: t_tag.cpu.zip(t_parse.cpu).map(|(a, b)| a + b),
    };
    NlpTimes {
        sentences: words.len(),
        tokens,
        stages: vec![
            ("(a) tokenize + sentence split", t_analyze),
            ("(b) tagger alone", t_tag),
            ("(c) parser alone (tagged input)", t_parse),
            ("(d) entity tagger alone (tagged input)", t_ner),
            ("    tagger + parser: (b) + (c)", tagger_parser),
            ("    tokenize -> tag -> parse", t_tp),
            ("(e) all: tokenize -> tag -> parse -> NER", t_all),
            ("(f) event coder alone (parsed input)", t_code),
        ],
        tagger_parser,
        tokenize_tag_parse: t_tp,
        coding: t_code,
    }
}

/// `x` rounded, with thousands separators ("12,345").
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Print the table of stage timings; `gold_sentences` (when the text has a
/// gold segmentation) adds sentences/s counted as spaCy's figures count them.
fn print_stages(t: &NlpTimes, gold_sentences: Option<usize>) {
    let cpu_known = t.stages.iter().all(|(_, s)| s.cpu.is_some());
    println!(
        "  {:<42} {:>8} {:>8} {:>13} {:>12}{}",
        "stage",
        "wall s",
        "CPU s",
        "sentences/s",
        "tokens/s",
        if gold_sentences.is_some() {
            "  gold sentences/s"
        } else {
            ""
        }
    );
    for (label, s) in &t.stages {
        let secs = s.secs();
        let gold = gold_sentences.map_or(String::new(), |g| {
            format!("  {:>17}", thousands(g as f64 / secs))
        });
        println!(
            "  {:<42} {:>8.3} {:>8} {:>13} {:>12}{}",
            label,
            s.wall,
            s.cpu.map_or("-".to_string(), |c| format!("{c:.3}")),
            thousands(t.sentences as f64 / secs),
            thousands(t.tokens as f64 / secs),
            gold
        );
    }
    if !cpu_known {
        println!("  (thread CPU time unknown here: rates are per wall-clock second)");
    }
}

/// spaCy en_core_web_sm's tagger + parser speed on UD EWT test raw text:
/// (sentences per CPU-second, tokens per CPU-second), from the peer results.
fn spacy_speed(data: &Path) -> Option<(f64, f64)> {
    let text = std::fs::read_to_string(data.join(SPACY_SPEED)).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let cpu = v.get("tagger_parser_cpu_seconds")?.as_f64()?;
    let sents = v.get("gold_sentences")?.as_f64()?;
    let tokens = v.get("gold_tokens")?.as_f64()?;
    (cpu > 0.0).then(|| (sents / cpu, tokens / cpu))
}

/// The documents of a CoNLL-U file rebuilt as raw text, the way spaCy's
/// speed script rebuilt them: each `# newdoc` starts a document, and the
/// `# text` of its sentences are joined with a space. Also returns the
/// number of gold sentences.
fn conllu_documents(path: &Path) -> anyhow::Result<(Vec<String>, usize)> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut docs: Vec<String> = Vec::new();
    let mut sentences = 0;
    for line in text.lines() {
        let Some(comment) = line.strip_prefix('#').map(str::trim_start) else {
            continue;
        };
        if comment.starts_with("newdoc") {
            docs.push(String::new());
        } else if let Some(t) = comment.strip_prefix("text =") {
            if docs.is_empty() {
                docs.push(String::new());
            }
            if let Some(doc) = docs.last_mut() {
                if !doc.is_empty() {
                    doc.push(' ');
                }
                doc.push_str(t.trim());
                sentences += 1;
            }
        }
    }
    docs.retain(|d| !d.is_empty());
    Ok((docs, sentences))
}

/// Load each model, timing it; returns the models and the load times in ms.
fn load_models() -> anyhow::Result<(Models, [f64; 3])> {
    let t = Instant::now();
    let tagger = crate::pipeline::tagger()?;
    let l_tagger = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let parser = crate::parse_cmd::parser()?;
    let l_parser = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let ner = crate::pipeline::ner()?;
    let l_ner = t.elapsed().as_secs_f64() * 1e3;
    Ok((
        Models {
            tagger,
            parser,
            ner,
            coder: pulse_code::Coder::embedded()?,
        },
        [l_tagger, l_parser, l_ner],
    ))
}

/// The NLP section: each stage on one thread over part of the sample
/// corpus, then over UD EWT test's raw text when the shared data is there.
fn nlp_section(articles: &[Article], data: Option<&Path>) -> anyhow::Result<()> {
    let (models, [l_tagger, l_parser, l_ner]) = load_models()?;
    let mut bytes = 0;
    let texts: Vec<&str> = articles
        .iter()
        .take_while(|a| {
            let more = bytes < NLP_BYTES;
            bytes += a.text.len();
            more
        })
        .map(|a| a.text.as_str())
        .collect();
    let text_bytes: usize = texts.iter().map(|t| t.len()).sum();

    println!();
    println!("NLP stages, one thread (rates per CPU-second of that thread, i.e. per core; model loading excluded)");
    println!(
        "model load: tagger {l_tagger:.0} ms, parser {l_parser:.0} ms, entity tagger {l_ner:.0} ms (incl. the actor gazetteer)"
    );
    let corpus = time_stages(&models, &texts, 1);
    println!(
        "sample corpus: {} articles, {:.2} MB, {} sentences, {} tokens",
        texts.len(),
        text_bytes as f64 / 1e6,
        thousands(corpus.sentences as f64),
        thousands(corpus.tokens as f64)
    );
    print_stages(&corpus, None);
    let tp = corpus.tokens as f64 / corpus.tagger_parser.secs();
    println!(
        "issue 3 target, tagger + parser >= {} tokens/s per core: {} tokens/s, {}",
        thousands(TARGET_TAGGER_PARSER_TOKENS),
        thousands(tp),
        if tp >= TARGET_TAGGER_PARSER_TOKENS {
            "met"
        } else {
            "NOT met"
        }
    );

    let share = corpus.coding.secs() / corpus.tokenize_tag_parse.secs();
    println!(
        "issue 5 target, coding adds < 20 % to the time of parsing: {:.1} % of tokenize -> tag -> parse, {}",
        share * 100.0,
        if share < 0.2 { "met" } else { "NOT met" }
    );

    let (data, explicit) = match data {
        Some(d) => (d.to_path_buf(), true),
        None => (Path::new(DEFAULT_DATA).to_path_buf(), false),
    };
    let spacy = spacy_speed(&data);
    let ud = data.join(UD_EWT_TEST);
    if !ud.is_file() {
        anyhow::ensure!(!explicit, "{}: no such file", ud.display());
        println!(
            "UD EWT test timing skipped: {} not found (give --data DIR)",
            ud.display()
        );
        return Ok(());
    }
    let (docs, gold) = conllu_documents(&ud)?;
    let doc_refs: Vec<&str> = docs.iter().map(String::as_str).collect();
    let ewt = time_stages(&models, &doc_refs, UD_REPS);
    println!(
        "UD EWT test raw text ({} documents, {} gold sentences; pulse finds {} sentences, {} tokens), best of {UD_REPS}:",
        docs.len(),
        thousands(gold as f64),
        thousands(ewt.sentences as f64),
        thousands(ewt.tokens as f64)
    );
    print_stages(&ewt, Some(gold));
    let tp_ewt = ewt.tokens as f64 / ewt.tagger_parser.secs();
    println!(
        "issue 3 target on EWT text, tagger + parser: {} tokens/s per core",
        thousands(tp_ewt)
    );
    match spacy {
        Some((sents, tokens)) => {
            let secs = ewt.tokenize_tag_parse.secs();
            println!(
                "spaCy en_core_web_sm, tokenize + tagger + parser, same text, 1 thread: {} gold sentences/s, {} tokens/s per CPU-second",
                thousands(sents),
                thousands(tokens)
            );
            println!(
                "pulse tokenize -> tag -> parse, same text: {} gold sentences/s ({:.1}x spaCy), {} tokens/s",
                thousands(gold as f64 / secs),
                gold as f64 / secs / sents.max(1e-9),
                thousands(ewt.tokens as f64 / secs)
            );
        }
        None => println!(
            "spaCy comparison skipped: {} not found or unreadable",
            data.join(SPACY_SPEED).display()
        ),
    }
    Ok(())
}
