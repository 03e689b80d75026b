//! `pulse query` and `pulse export`: read events back out of the store.

use anyhow::Context;
use pulse_store::{EventFilter, ExportFormat, Store, StoredEvent};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Opens the existing store `db` names (an SQLite file that must exist, or
/// a `postgres://` URL) for reading.
pub(crate) fn open(db: &str) -> anyhow::Result<Store> {
    anyhow::ensure!(
        pulse_store::is_postgres_url(db) || Path::new(db).exists(),
        "{db}: no such database (run `pulse ingest … --db {db}` first)",
    );
    Store::connect(db)
        .with_context(|| format!("{}: cannot open store", pulse_store::display_db(db)))
}

/// Cut a string to `n` characters, marking the cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Print events as an aligned table.
pub fn print_table(events: &[StoredEvent], out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(
        out,
        "{:<10}  {:<5} {:<28} {:<12} {:<28} {:<12} {:>2} {:>5}  sentence",
        "date", "cameo", "event", "source", "source text", "target", "q", "ment"
    )?;
    for e in events {
        let first = e.mentions.first();
        writeln!(
            out,
            "{:<10}  {:<5} {:<28} {:<12} {:<28} {:<12} {:>2} {:>5}  {}",
            e.date.as_deref().unwrap_or("-"),
            e.cameo,
            cut(&e.name, 28),
            cut(&e.source_code, 12),
            cut(&e.source_name, 28),
            cut(e.target_code.as_deref().unwrap_or("-"), 12),
            e.quad_class,
            e.num_mentions,
            cut(first.map(|m| m.sentence_text.as_str()).unwrap_or(""), 70)
        )?;
    }
    writeln!(out, "{} events", events.len())?;
    Ok(())
}

/// Rows a table on a terminal shows when no `--limit` is given.
const TABLE_ROWS: usize = 50;

/// `pulse query`.
pub fn query(db: &str, filter: &EventFilter, format: Option<&str>) -> anyhow::Result<()> {
    let store = open(db)?;
    let mut filter = filter.clone();
    let table = match format {
        Some("table") => true,
        Some("jsonl") => false,
        Some(other) => anyhow::bail!("unknown --format {other:?}: use table or jsonl"),
        None => std::io::stdout().is_terminal(),
    };
    // a terminal gets one screenful unless a limit is asked for; one more row
    // is read to tell whether there are more
    let capped = table && filter.limit.is_none();
    if capped {
        filter.limit = Some(TABLE_ROWS + 1);
    }
    let mut events = store.query(&filter)?;
    let more = capped && events.len() > TABLE_ROWS;
    events.truncate(if capped { TABLE_ROWS } else { events.len() });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if table {
        print_table(&events, &mut out)?;
        if more {
            writeln!(
                out,
                "(first {TABLE_ROWS} shown; use --limit and --offset, or --format jsonl, for the rest)"
            )?;
        }
    } else {
        for e in &events {
            serde_json::to_writer(&mut out, e)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `pulse export`.
pub fn export(
    db: &str,
    filter: &EventFilter,
    format: &str,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let format: ExportFormat = format.parse()?;
    format.available()?;
    if format.needs_file() && output.is_none() {
        anyhow::bail!(
            "{format} export needs a file: give --output FILE (it is binary and is not written to stdout)"
        );
    }
    let store = open(db)?;
    let n = match output {
        Some(p) => {
            let f = std::fs::File::create(p)
                .with_context(|| format!("{}: cannot create", p.display()))?;
            let mut w = std::io::BufWriter::new(f);
            let n = store.export(filter, format, &mut w)?;
            w.flush()?;
            n
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let n = store.export(filter, format, &mut w)?;
            w.flush()?;
            n
        }
    };
    eprintln!("{n} events exported");
    Ok(())
}
