//! `pulse`: news in, coded events out.

mod aggregate_cmd;
mod bench;
mod data_cmd;
mod eval;
mod eval_extract;
mod eval_geo;
mod eval_meta;
mod eval_petr;
mod eval_quotes;
mod eval_raw;
mod eval_timex;
mod extract_cmd;
mod ingest_cmd;
mod interrupt;
mod parse_cmd;
mod pipeline;
mod query_cmd;
mod train_cmd;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// pulse turns news (text, HTML, JSON Lines) into coded, stored, queryable
/// event data: who did what to whom, when, with the sentence behind each record.
#[derive(Parser)]
#[command(name = "pulse", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// How articles are coded: a user's own dictionaries, added after the
/// embedded ones, and whether the entity tagger's spans are merged in.
#[derive(clap::Args, Debug, Default)]
struct CodingArgs {
    /// Skip the entity tagger: faster, but places are then only the
    /// gazetteer's matches (no streets, rivers or neighbourhoods, and no
    /// veto of a town inside a person's name) and actors are not merged
    /// with entity spans (docs/EVALUATION.md).
    #[arg(long)]
    no_entities: bool,
    /// An actor dictionary of your own (PETRARCH format, `NAME [CODE]`, or
    /// pulse's compact `CODES<TAB>phrase|phrase`); may be repeated.
    #[arg(long = "actors", value_name = "FILE")]
    actors: Vec<PathBuf>,
    /// A verb dictionary of your own (PETRARCH format, `--- BLOCK [code] ---`
    /// with forms and patterns, or pulse's compact format); may be repeated.
    #[arg(long = "verbs", value_name = "FILE")]
    verbs: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest the bundled sample articles into a fresh database and show the events.
    Demo {
        /// Database file to (re)create.
        #[arg(long, default_value = "pulse-demo.db")]
        db: PathBuf,
    },
    /// Read articles (files, directories, `-` for stdin), code them and store the events.
    Ingest {
        /// Files or directories (recursive) to read: .txt, .html, .jsonl; `-` reads stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Database: an SQLite file, or a PostgreSQL server as
        /// postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME.
        #[arg(long, default_value = "pulse.db")]
        db: String,
        /// Publication date (YYYY-MM-DD) for articles whose input gives none.
        #[arg(long)]
        published: Option<String>,
        #[command(flatten)]
        dicts: CodingArgs,
    },
    /// Extract one HTML page's article text and metadata as one JSON object.
    ///
    /// Prints {"title", "published", "authors", "site", "language", "text"}
    /// on one line (with "url" too when --url is given): `published` is
    /// YYYY-MM-DD or null, `authors` an array, `text` the article body with
    /// paragraphs separated by blank lines. The page's charset is detected
    /// as `pulse ingest` does.
    Extract {
        /// The HTML page; `-` reads stdin.
        page: PathBuf,
        /// The page's URL, when known.
        #[arg(long)]
        url: Option<String>,
        /// Write JSON (the only format).
        #[arg(long, required = true)]
        json: bool,
    },
    /// Code JSON Lines from a file or stdin to stdout, without a database.
    ///
    /// Each input line is {"id", "text", "published"?}; each output line is
    /// {"id", "events", "quotes", "quantities", "timexes", "places"} with byte
    /// offsets into the input text.
    Code {
        /// Read and write JSON Lines (the only format for now).
        #[arg(long, required = true)]
        jsonl: bool,
        /// Code by word order (the linear coder) instead of with the
        /// dependency parse.
        #[arg(long)]
        linear: bool,
        /// Explain on stderr, per sentence: its parse (unless --linear), and
        /// per event the verb, the pattern that coded it, mode, confidence,
        /// source and target.
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        dicts: CodingArgs,
        /// Input file; stdin when absent or `-`.
        file: Option<PathBuf>,
    },
    /// Tag, lemmatise and parse text into CoNLL-U (10 columns: UPOS, XPOS, HEAD, DEPREL).
    Parse {
        /// Write CoNLL-U (the only format).
        #[arg(long, required = true)]
        conllu: bool,
        /// The input is CoNLL-U: keep its words and sentences, replace the analysis.
        #[arg(long)]
        pretokenized: bool,
        /// Input file; stdin when absent or `-`.
        file: Option<PathBuf>,
    },
    /// List stored events (a table on a terminal, JSON Lines when piped).
    Query {
        /// Database: an SQLite file, or a PostgreSQL server as
        /// postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME.
        #[arg(long, default_value = "pulse.db")]
        db: String,
        #[command(flatten)]
        filter: FilterArgs,
        /// Output format: table or jsonl (default: table on a terminal, else jsonl).
        #[arg(long)]
        format: Option<String>,
    },
    /// Export stored events as jsonl, csv, gdelt (GDELT 2.0 event columns, tab-separated), geojson (located events as points) or parquet (the CSV columns, typed, zstd; needs -o).
    Export {
        /// Database: an SQLite file, or a PostgreSQL server as
        /// postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME.
        #[arg(long, default_value = "pulse.db")]
        db: String,
        /// jsonl, csv, gdelt, geojson or parquet (builds with the `parquet` feature).
        #[arg(long, default_value = "jsonl")]
        format: String,
        /// Output file (stdout when absent; parquet needs one).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Serve the stored events as a JSON API (read-only): /api/health,
    /// /api/events (filters and pages), /api/events/{id} (with evidence).
    Serve {
        /// Database: an SQLite file (must exist: ingest into it first) or a
        /// postgres:// URL [default: pulse.db, or pulse-demo.db with --demo].
        #[arg(long)]
        db: Option<String>,
        /// Serve the demo database: code the bundled sample articles into it
        /// first when it does not exist yet.
        #[arg(long)]
        demo: bool,
        /// Address to listen on; loopback unless told otherwise.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Accept POST /api/ingest from clients that send this secret as
        /// `Authorization: Bearer TOKEN` (at least 16 characters; the
        /// environment variable PULSE_INGEST_TOKEN keeps it out of the
        /// process list). Without one, the server is read-only.
        #[arg(long)]
        ingest_token: Option<String>,
    },
    /// Count stored events per day, ISO week or month, with their fatalities.
    ///
    /// A merged event counts once, with the largest fatalities figure of its
    /// reports; events dated more coarsely than the period (a year when
    /// counting months) are counted in an "undated" row, not spread.
    Aggregate {
        /// Database: an SQLite file, or a PostgreSQL server as
        /// postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME.
        #[arg(long, default_value = "pulse.db")]
        db: String,
        /// Period: day, week (ISO) or month.
        #[arg(long, default_value = "month")]
        by: String,
        /// Group each period by root, quad, country (the source's) or
        /// place-country.
        #[arg(long)]
        group: Option<String>,
        #[command(flatten)]
        filter: FilterArgs,
        /// Write one JSON object ({"by", "group", "rows"}) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Flag series whose latest period is a record or an outlier, in words.
    ///
    /// Series: events per place country and CAMEO root, fatalities per place
    /// country, events per source actor and QuadClass. A period is flagged
    /// when it is the highest (the lowest, for cooperation) since an earlier
    /// period at least 6 periods back, or on record, or when its robust
    /// z-score (median and MAD of the earlier periods) is 3.5 or more.
    Alerts {
        /// Database: an SQLite file, or a PostgreSQL server as
        /// postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME.
        #[arg(long, default_value = "pulse.db")]
        db: String,
        /// Period: day, week (ISO) or month.
        #[arg(long, default_value = "month")]
        by: String,
        /// Monitor only series that reach this value in some period.
        #[arg(long, default_value_t = 5)]
        min_count: u64,
        /// Examine at most this many series of each kind (the largest).
        #[arg(long, default_value_t = 500)]
        max_series: usize,
        /// Look back from this day (YYYY-MM-DD): later events are ignored.
        #[arg(long)]
        to: Option<String>,
        /// Write the alerts as a JSON array instead of sentences.
        #[arg(long)]
        json: bool,
    },
    /// Score pulse against gold data: cameo-examples, plover-gold, petrarch-unit,
    /// petrarch-2_02, ud, ud-parse, ner, extraction, metadata, quotes, timex, geo, or `all`.
    Eval {
        /// Suite name.
        suite: String,
        /// Folder holding the shared gold data [default: ../shared/data, skipped
        /// with a message when absent; a folder given here must exist].
        #[arg(long)]
        data: Option<PathBuf>,
        /// File with the floors each score must reach.
        #[arg(long, default_value = "docs/EVALUATION.md")]
        floors: PathBuf,
        /// Print each sentence's result.
        #[arg(long)]
        verbose: bool,
        /// Code with the linear (word-order) coder instead of the default
        /// syntax-aware one, to measure the fallback beside it. Its scores
        /// are printed for comparison, not checked against floors.
        #[arg(long)]
        linear: bool,
        /// Skip the entity tagger, as `pulse code --no-entities` does
        /// (scores printed for comparison, not checked).
        #[arg(long)]
        no_entities: bool,
    },
    /// Measure ingest throughput (articles/s, sentences/s, tokens/s per core) and peak memory.
    Bench {
        /// Size of the generated corpus in megabytes.
        #[arg(long, default_value_t = 5)]
        mb: usize,
        /// Folder holding the shared data, for timing the NLP stages on UD EWT
        /// test's raw text against spaCy [default: ../shared/data, skipped with
        /// a message when absent; a folder given here must exist].
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Train a model: tagger, parser or ner (deterministic; writes data/models/MODEL.bin).
    Train {
        /// Which model: tagger, parser or ner.
        model: String,
        /// Folder holding the training data [default: ../shared/data/ud for
        /// tagger and parser, ../shared/data/ner for ner].
        #[arg(long)]
        data: Option<PathBuf>,
        /// Training passes over the data.
        #[arg(long, default_value_t = 10)]
        epochs: usize,
        /// Parser only: keep EWT dev out of training and report honest dev
        /// scores per epoch (the shipped parser trains on train + dev).
        #[arg(long)]
        hold_out_dev: bool,
        /// Where to write the model [default: data/models/MODEL.bin].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Derived data files: rebuild them from their sources.
    Data {
        #[command(subcommand)]
        command: DataCommand,
    },
}

#[derive(Subcommand)]
enum DataCommand {
    /// Regenerate data/cameo/* and data/ccbysa/* from the shared source folder.
    Build {
        /// Folder holding cameo/ and events-gold/.
        #[arg(long, default_value = "../shared/data")]
        from: PathBuf,
        /// The repository's data folder.
        #[arg(long, default_value = "data")]
        out: PathBuf,
        /// Only compare; exit non-zero if a file would change.
        #[arg(long)]
        check: bool,
    },
    /// Build data/geo/gazetteer.bin from the downloaded GeoNames-derived
    /// sources (see data/SOURCES.md).
    BuildGazetteer {
        /// Folder holding the unpacked source packages.
        #[arg(long)]
        from: PathBuf,
        /// The gazetteer file to write.
        #[arg(long, default_value = "data/geo/gazetteer.bin")]
        out: PathBuf,
    },
}

/// Filters shared by `query` and `export`.
#[derive(Args, Clone, Default)]
struct FilterArgs {
    /// First day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    from: Option<String>,
    /// Last day (YYYY-MM-DD), inclusive.
    #[arg(long)]
    to: Option<String>,
    /// Actor code prefix (AFG, USAGOV) or part of an actor's name.
    #[arg(long)]
    actor: Option<String>,
    /// Three-letter country code of source or target.
    #[arg(long)]
    country: Option<String>,
    /// CAMEO root ("19") or code prefix.
    #[arg(long)]
    root: Option<String>,
    /// Quad class 1-4.
    #[arg(long)]
    quad: Option<u8>,
    /// ISO 3166 alpha-2 code of the country where the event happened.
    #[arg(long)]
    place_country: Option<String>,
    /// PLOVER event type (ASSAULT, PROTEST, …).
    #[arg(long)]
    plover: Option<String>,
    /// Where the event happened: MIN_LON,MIN_LAT,MAX_LON,MAX_LAT in degrees
    /// (MIN_LON > MAX_LON crosses the antimeridian).
    #[arg(long, allow_hyphen_values = true)]
    bbox: Option<String>,
    /// Most events to return.
    #[arg(long)]
    limit: Option<usize>,
    /// Events to skip (pagination).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Start after this event: a cursor `DATE~ID` (`~ID` for an undated
    /// event); pages read by cursor stay stable while an ingest runs.
    #[arg(long)]
    after: Option<String>,
}

impl FilterArgs {
    fn to_filter(&self) -> anyhow::Result<pulse_store::EventFilter> {
        let from = self.from.as_deref().map(normalize_date).transpose()?;
        let to = self.to.as_deref().map(normalize_date).transpose()?;
        if let Some(q) = self.quad {
            anyhow::ensure!((1..=4).contains(&q), "--quad must be 1, 2, 3 or 4, not {q}");
        }
        Ok(pulse_store::EventFilter {
            from,
            to,
            actor: self.actor.clone(),
            country: self.country.clone().map(|c| c.to_uppercase()),
            root: self.root.clone(),
            quad: self.quad,
            place_country: self.place_country.clone().map(|c| c.to_uppercase()),
            plover: self.plover.clone(),
            bbox: self.bbox.as_deref().map(parse_bbox).transpose()?,
            limit: self.limit,
            offset: self.offset,
            after: self.after.clone(),
        })
    }
}

/// A bounding box given as `MIN_LON,MIN_LAT,MAX_LON,MAX_LAT`.
fn parse_bbox(s: &str) -> anyhow::Result<[f64; 4]> {
    let bad = || format!("bad --bbox {s:?}: expected MIN_LON,MIN_LAT,MAX_LON,MAX_LAT in degrees");
    let values: Vec<f64> = s
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .with_context(bad)?;
    let [min_lon, min_lat, max_lon, max_lat] = values[..] else {
        anyhow::bail!(bad());
    };
    let lon_ok = |v: f64| (-180.0..=180.0).contains(&v);
    let lat_ok = |v: f64| (-90.0..=90.0).contains(&v);
    anyhow::ensure!(
        lon_ok(min_lon) && lon_ok(max_lon) && lat_ok(min_lat) && lat_ok(max_lat),
        "{}: longitudes must be within ±180 and latitudes within ±90",
        bad()
    );
    anyhow::ensure!(min_lat <= max_lat, "{}: MIN_LAT is above MAX_LAT", bad());
    Ok([min_lon, min_lat, max_lon, max_lat])
}

/// A date given by the user as `YYYY-MM-DD` (a date-time gives its date part).
fn normalize_date(d: &str) -> anyhow::Result<String> {
    pulse_ingest::parse_date(d).with_context(|| format!("bad date {d:?}: expected YYYY-MM-DD"))
}

/// Refuse a PostgreSQL `--db` for `pulse demo`, which recreates its
/// database from scratch: only a file of its own is safe to delete.
fn check_demo_db(db: &std::path::Path) -> anyhow::Result<()> {
    let s = db.to_string_lossy();
    anyhow::ensure!(
        !pulse_store::is_postgres_url(&s),
        "{}: pulse demo recreates its database, so it takes an SQLite file path only; \
         to load the samples into PostgreSQL, run `pulse ingest data/samples --db URL`",
        pulse_store::display_db(&s)
    );
    Ok(())
}

/// Let a closed output pipe end the process quietly, as Unix tools do, instead
/// of making every `println!` panic (`pulse query | head`).
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread
    // starts has no other effect on the process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let filter = tracing_subscriber::EnvFilter::try_from_env("PULSE_LOG")
        // html5ever warns about markup it repairs ("foster parenting not
        // implemented"), which says nothing about pulse's results
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,html5ever=error"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // a closed pipe (`pulse query | head`) is not an error worth a message
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if !broken_pipe {
                eprintln!("error: {e:#}");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo { db } => {
            check_demo_db(&db)?;
            ingest_cmd::demo(&db)
        }
        Command::Ingest {
            paths,
            db,
            published,
            dicts,
        } => {
            let published = published.as_deref().map(normalize_date).transpose()?;
            let pipeline = pipeline::Pipeline::load()?
                .entities(!dicts.no_entities)
                .with_dictionaries(&dicts.actors, &dicts.verbs)?;
            let summary = ingest_cmd::ingest(&pipeline, &paths, &db, published)?;
            Ok(if summary.interrupted {
                // the shell's code for a command ended by SIGINT
                ExitCode::from(130)
            } else if summary.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Extract { page, url, json: _ } => {
            extract_cmd::run(&page, url.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Code {
            jsonl: _,
            linear,
            explain,
            dicts,
            file,
        } => code_jsonl(file, linear, explain, &dicts),
        Command::Parse {
            conllu: _,
            pretokenized,
            file,
        } => {
            parse_cmd::run(file.as_deref(), pretokenized)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Query { db, filter, format } => {
            query_cmd::query(&db, &filter.to_filter()?, format.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            db,
            demo,
            addr,
            ingest_token,
        } => {
            let db =
                db.unwrap_or_else(|| (if demo { "pulse-demo.db" } else { "pulse.db" }).to_string());
            if demo && !pulse_store::is_postgres_url(&db) && !std::path::Path::new(&db).exists() {
                ingest_cmd::demo(std::path::Path::new(&db))?;
            }
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the server runtime")?;
            eprintln!(
                "serving {} on http://{addr}/ (the dashboard; the API under /api) — Ctrl-C stops",
                pulse_store::display_db(&db)
            );
            let token = ingest_token.or_else(|| {
                std::env::var("PULSE_INGEST_TOKEN")
                    .ok()
                    .filter(|t| !t.is_empty())
            });
            let ingest = match token {
                Some(token) => {
                    anyhow::ensure!(
                        token.chars().count() >= 16,
                        "--ingest-token: a token of at least 16 characters, please (this one \
                         has {}); e.g. `openssl rand -hex 24`",
                        token.chars().count()
                    );
                    let pipeline = std::sync::Arc::new(pipeline::Pipeline::load()?);
                    eprintln!("POST /api/ingest is open to clients with the token");
                    Some(pulse_server::IngestConfig {
                        token,
                        ingest: ingest_cmd::api_ingest(pipeline),
                    })
                }
                None => None,
            };
            runtime.block_on(pulse_server::serve(&db, addr, ingest))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            db,
            format,
            output,
            filter,
        } => {
            query_cmd::export(&db, &filter.to_filter()?, &format, output.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Aggregate {
            db,
            by,
            group,
            filter,
            json,
        } => {
            let by = by.parse()?;
            let group = group.as_deref().map(str::parse).transpose()?;
            aggregate_cmd::aggregate(&db, &filter.to_filter()?, by, group, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Alerts {
            db,
            by,
            min_count,
            max_series,
            to,
            json,
        } => {
            let filter = pulse_store::EventFilter {
                to: to.as_deref().map(normalize_date).transpose()?,
                ..Default::default()
            };
            let opts = pulse_store::AlertOptions {
                by: by.parse()?,
                min_count,
                max_series,
            };
            aggregate_cmd::alerts(&db, &filter, &opts, json)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            suite,
            data,
            floors,
            verbose,
            linear,
            no_entities,
        } => eval::run(
            &suite,
            data.as_deref(),
            &floors,
            verbose,
            linear,
            !no_entities,
        ),
        Command::Bench { mb, data } => {
            bench::run(mb, data.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Train {
            model,
            data,
            epochs,
            hold_out_dev,
            out,
        } => {
            let out = out.unwrap_or_else(|| PathBuf::from(format!("data/models/{model}.bin")));
            let folder = if model == "ner" { "ner" } else { "ud" };
            let data = data.unwrap_or_else(|| PathBuf::from(format!("../shared/data/{folder}")));
            match model.as_str() {
                "tagger" => train_cmd::tagger(&data, epochs, &out)?,
                "parser" => train_cmd::parser(&data, epochs, hold_out_dev, &out)?,
                "ner" => train_cmd::ner(&data, epochs, &out)?,
                other => anyhow::bail!("cannot train {other:?}: use tagger, parser or ner"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Data {
            command: DataCommand::BuildGazetteer { from, out },
        } => {
            data_cmd::build_gazetteer(&from, &out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Data {
            command: DataCommand::Build { from, out, check },
        } => {
            let same = data_cmd::build(&from, &out, check)?;
            Ok(if check && !same {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// One input record of `pulse code --jsonl`.
#[derive(serde::Deserialize)]
struct CodeInput {
    #[serde(default)]
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    published: Option<String>,
}

/// Code one JSON Lines record; on failure, the record's id (if it could be
/// read) and the reason.
fn code_line(
    pipeline: &pipeline::Pipeline,
    line: &[u8],
    explain: bool,
) -> Result<serde_json::Value, (serde_json::Value, String)> {
    // offsets are byte offsets into the text, so the bytes must be UTF-8 as given
    let line = std::str::from_utf8(line)
        .map_err(|e| (serde_json::Value::Null, format!("not UTF-8: {e}")))?;
    let rec: CodeInput = serde_json::from_str(line).map_err(|e| {
        let id = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| v.get("id").cloned())
            .unwrap_or(serde_json::Value::Null);
        (id, e.to_string())
    })?;
    let published = match &rec.published {
        Some(d) => Some(pulse_ingest::parse_date(d).ok_or_else(|| {
            (
                rec.id.clone(),
                format!("bad published date {d:?}: expected YYYY-MM-DD"),
            )
        })?),
        None => None,
    };
    let id_text = match &rec.id {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let coded = pipeline.code_article(&id_text, &rec.text, published.as_deref(), explain);
    if explain {
        explain_events(&id_text, &coded.doc, &coded.events, &coded.notes);
    }
    Ok(serde_json::json!({
        "id": rec.id,
        "events": coded.events,
        "quotes": coded.quotes,
        "quantities": coded.quantities,
        "timexes": coded.timexes,
        "places": coded.places,
    }))
}

/// `pulse code --explain`: per sentence the coder looked at, the parse, the
/// coder's notes (actors, each verb's chosen pattern and the lighter ones
/// that also matched, why a verb gave no event) and each event's verb,
/// pattern, mode, confidence and actors, on stderr.
fn explain_events(
    id: &str,
    doc: &pulse_nlp::Doc,
    events: &[pulse_code::Event],
    notes: &[(usize, String)],
) {
    for s in &doc.sentences {
        let mine: Vec<&pulse_code::Event> =
            events.iter().filter(|e| e.sentence == s.index).collect();
        let said: Vec<&str> = notes
            .iter()
            .filter(|(i, _)| *i == s.index)
            .map(|(_, t)| t.as_str())
            .collect();
        if mine.is_empty() && said.is_empty() {
            continue;
        }
        eprintln!("{id} sentence {}: {}", s.index, doc.sentence_text(s));
        if s.tokens.iter().any(|t| !t.deprel.is_empty()) {
            let arcs: Vec<String> = s
                .tokens
                .iter()
                .map(|t| {
                    let head = t
                        .head
                        .and_then(|h| s.tokens.get(h))
                        .map_or("ROOT", |h| h.norm.as_str());
                    format!("{}/{}<-{}:{}", t.norm, t.upos, head, t.deprel)
                })
                .collect();
            eprintln!("  parse: {}", arcs.join(" "));
        }
        for note in &said {
            eprintln!("  - {note}");
        }
        for e in mine {
            eprintln!(
                "  {} {} [{}] verb {:?} pattern {:?} mode {} confidence {:.2}\n    source {:?} = {}  target {}",
                e.cameo,
                e.name,
                e.plover.as_deref().unwrap_or("-"),
                e.spans.verb.text,
                e.pattern,
                e.mode.as_deref().unwrap_or("asserted"),
                e.confidence,
                e.source.text,
                e.source.code,
                e.target
                    .as_ref()
                    .map_or("none".to_string(), |t| format!("{:?} = {}", t.text, t.code)),
            );
        }
    }
}

/// `pulse code --jsonl`: one JSON object in, one out, per line.
fn code_jsonl(
    file: Option<PathBuf>,
    linear: bool,
    explain: bool,
    dicts: &CodingArgs,
) -> anyhow::Result<ExitCode> {
    let pipeline = pipeline::Pipeline::load()?
        .linear(linear)
        .entities(!dicts.no_entities)
        .with_dictionaries(&dicts.actors, &dicts.verbs)?;
    let (name, reader): (String, Box<dyn BufRead>) = match file {
        Some(p) if p.as_os_str() != "-" => {
            let f =
                std::fs::File::open(&p).with_context(|| format!("{}: cannot open", p.display()))?;
            (
                p.display().to_string(),
                Box::new(std::io::BufReader::new(f)),
            )
        }
        _ => ("<stdin>".to_string(), Box::new(std::io::stdin().lock())),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line.with_context(|| format!("{name}: read error"))?;
        let line = if n == 0 {
            line.strip_prefix(b"\xef\xbb\xbf")
                .map(<[u8]>::to_vec)
                .unwrap_or(line)
        } else {
            line
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // every non-blank input line gets exactly one output line, so output
        // can be paired with input by position; a bad line gets an error
        let obj = match code_line(&pipeline, &line, explain) {
            Ok(obj) => obj,
            Err((id, reason)) => {
                eprintln!("{name}:{}: {reason}", n + 1);
                failed += 1;
                serde_json::json!({ "id": id, "error": reason })
            }
        };
        serde_json::to_writer(&mut out, &obj)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
