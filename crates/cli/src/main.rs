//! `pulse`: news in, coded events out.

mod bench;
mod data_cmd;
mod eval;
mod ingest_cmd;
mod pipeline;
mod query_cmd;

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
        /// Database file.
        #[arg(long, default_value = "pulse.db")]
        db: PathBuf,
        /// Publication date (YYYY-MM-DD) for articles whose input gives none.
        #[arg(long)]
        published: Option<String>,
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
        /// Input file; stdin when absent or `-`.
        file: Option<PathBuf>,
    },
    /// List stored events (a table on a terminal, JSON Lines when piped).
    Query {
        /// Database file.
        #[arg(long, default_value = "pulse.db")]
        db: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        /// Output format: table or jsonl (default: table on a terminal, else jsonl).
        #[arg(long)]
        format: Option<String>,
    },
    /// Export stored events as jsonl, csv or gdelt (GDELT 2.0 event columns, tab-separated).
    Export {
        /// Database file.
        #[arg(long, default_value = "pulse.db")]
        db: PathBuf,
        /// jsonl, csv or gdelt.
        #[arg(long, default_value = "jsonl")]
        format: String,
        /// Output file (stdout when absent).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        filter: FilterArgs,
    },
    /// Score pulse against gold data: cameo-examples, plover-gold (or `all`).
    Eval {
        /// Suite name.
        suite: String,
        /// Folder holding the shared gold data.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// File with the floors each score must reach.
        #[arg(long, default_value = "docs/EVALUATION.md")]
        floors: PathBuf,
        /// Print each sentence's result.
        #[arg(long)]
        verbose: bool,
    },
    /// Measure ingest throughput (articles/s, sentences/s, tokens/s per core) and peak memory.
    Bench {
        /// Size of the generated corpus in megabytes.
        #[arg(long, default_value_t = 5)]
        mb: usize,
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
    /// Most events to return.
    #[arg(long)]
    limit: Option<usize>,
    /// Events to skip (pagination).
    #[arg(long, default_value_t = 0)]
    offset: usize,
}

impl FilterArgs {
    fn to_filter(&self) -> anyhow::Result<pulse_store::EventFilter> {
        for d in [&self.from, &self.to].into_iter().flatten() {
            check_date(d)?;
        }
        if let Some(q) = self.quad {
            anyhow::ensure!((1..=4).contains(&q), "--quad must be 1, 2, 3 or 4, not {q}");
        }
        Ok(pulse_store::EventFilter {
            from: self.from.clone(),
            to: self.to.clone(),
            actor: self.actor.clone(),
            country: self.country.clone().map(|c| c.to_uppercase()),
            root: self.root.clone(),
            quad: self.quad,
            limit: self.limit,
            offset: self.offset,
        })
    }
}

/// Refuse a date that is not `YYYY-MM-DD`.
fn check_date(d: &str) -> anyhow::Result<()> {
    d.parse::<jiff::civil::Date>()
        .map(|_| ())
        .with_context(|| format!("bad date {d:?}: expected YYYY-MM-DD"))
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
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
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
        Command::Demo { db } => ingest_cmd::demo(&db),
        Command::Ingest {
            paths,
            db,
            published,
        } => {
            if let Some(d) = &published {
                check_date(d)?;
            }
            let pipeline = pipeline::Pipeline::load()?;
            let summary = ingest_cmd::ingest(&pipeline, &paths, &db, published)?;
            Ok(if summary.failed > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Code { jsonl: _, file } => code_jsonl(file),
        Command::Query { db, filter, format } => {
            query_cmd::query(&db, &filter.to_filter()?, format.as_deref())?;
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
        Command::Eval {
            suite,
            data,
            floors,
            verbose,
        } => eval::run(&suite, &data, &floors, verbose),
        Command::Bench { mb } => {
            bench::run(mb)?;
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

/// `pulse code --jsonl`: one JSON object in, one out, per line.
fn code_jsonl(file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let pipeline = pipeline::Pipeline::load()?;
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
        let line = String::from_utf8_lossy(&line);
        if line.trim().is_empty() {
            continue;
        }
        let rec: CodeInput = match serde_json::from_str(&line) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{name}:{}: {e}", n + 1);
                failed += 1;
                continue;
            }
        };
        if let Some(d) = &rec.published {
            if check_date(d).is_err() {
                eprintln!(
                    "{name}:{}: bad published date {d:?}: expected YYYY-MM-DD",
                    n + 1
                );
                failed += 1;
                continue;
            }
        }
        let id_text = match &rec.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let (_, events) = pipeline.code_text(&id_text, &rec.text, rec.published.as_deref());
        let obj = serde_json::json!({
            "id": rec.id,
            "events": events,
            "quotes": [],
            "quantities": [],
            "timexes": [],
            "places": [],
        });
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
