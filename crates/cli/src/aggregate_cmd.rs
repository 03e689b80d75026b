//! `pulse aggregate` and `pulse alerts`: counts of events per period, and the
//! series whose latest period stands out.

use crate::query_cmd::open;
use pulse_store::{AlertOptions, EventFilter, GroupBy, Period};
use std::io::Write;

/// `pulse aggregate`: a table, or one JSON object with `--json`.
pub fn aggregate(
    db: &str,
    filter: &EventFilter,
    by: Period,
    group: Option<GroupBy>,
    json: bool,
) -> anyhow::Result<()> {
    let store = open(db)?;
    let agg = store.aggregate(filter, by, group)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer(&mut out, &agg)?;
        writeln!(out)?;
    } else {
        match group {
            Some(g) => writeln!(
                out,
                "{:<10}  {:<14} {:>8} {:>11}",
                by.as_str(),
                g.as_str(),
                "events",
                "fatalities"
            )?,
            None => writeln!(
                out,
                "{:<10}  {:>8} {:>11}",
                by.as_str(),
                "events",
                "fatalities"
            )?,
        }
        for r in &agg.rows {
            let period = r.period.as_deref().unwrap_or("undated");
            match group {
                Some(_) => writeln!(
                    out,
                    "{:<10}  {:<14} {:>8} {:>11}",
                    period,
                    r.group.as_deref().unwrap_or("-"),
                    r.events,
                    r.fatalities
                )?,
                None => writeln!(out, "{:<10}  {:>8} {:>11}", period, r.events, r.fatalities)?,
            }
        }
        let total: u64 = agg.rows.iter().map(|r| r.events).sum();
        writeln!(out, "{total} events")?;
    }
    out.flush()?;
    Ok(())
}

/// `pulse alerts`: one sentence per alert, or a JSON array with `--json`.
pub fn alerts(
    db: &str,
    filter: &EventFilter,
    opts: &AlertOptions,
    json: bool,
) -> anyhow::Result<()> {
    let store = open(db)?;
    let alerts = store.alerts(filter, opts)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer(&mut out, &alerts)?;
        writeln!(out)?;
    } else if alerts.is_empty() {
        writeln!(out, "no alerts")?;
    } else {
        for a in &alerts {
            writeln!(out, "{a}")?;
        }
    }
    out.flush()?;
    Ok(())
}
