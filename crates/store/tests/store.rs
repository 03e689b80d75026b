//! Tests of the SQLite store with hand-made, fictional articles and events:
//! the cases shared with PostgreSQL (tests/cases/store_cases.rs) on an
//! in-memory database, then what only SQLite has (files, migrations from
//! version 1, the Parquet export's read-back).

/// The store under test.
type TestStore = Store;

/// A new, empty in-memory store.
fn fresh() -> Result<Option<TestStore>, StoreError> {
    Store::open_in_memory().map(Some)
}

include!("cases/store_cases.rs");

#[test]
fn migrations_on_fresh_and_reopened_file() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("pulse.db");
    {
        let mut store = Store::open(&path)?;
        let ev = sample_events().remove(0);
        store.insert_article(&article("a1", None, "x.txt"), &[(0, 10)], &[ev], &[])?;
    }
    let raw = rusqlite::Connection::open(&path)?;
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = raw.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    assert_eq!(mode, "wal");
    drop(raw);

    let store = Store::open(&path)?;
    assert_eq!(
        store.stats()?,
        Stats {
            articles: 1,
            events: 1,
            mentions: 1,
            errors: 0
        }
    );
    assert_eq!(store.article_ids()?, vec!["a1".to_string()]);
    assert!(store.contains_article("a1")?);
    assert!(!store.contains_article("a2")?);
    let events = store.query(&filter())?;
    assert_eq!(ids(&events), vec!["ev-attack"]);
    assert_eq!(events[0].mentions.len(), 1);
    assert_eq!(events[0].mentions[0].sentence_text, sample_events()[0].text);
    Ok(())
}

#[test]
fn newer_schema_is_refused() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("future.db");
    drop(Store::open(&path)?);
    let raw = rusqlite::Connection::open(&path)?;
    raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)?;
    drop(raw);
    match Store::open(&path) {
        Err(StoreError::SchemaTooNew { found, supported }) => {
            assert_eq!(found, SCHEMA_VERSION + 1);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    Ok(())
}

#[test]
fn not_a_database_is_an_open_error() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("junk.db");
    std::fs::write(&path, vec![b'x'; 4096])?;
    let err = Store::open(&path).err().ok_or("junk opened")?;
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    assert!(err.to_string().contains("junk.db"), "{err}");
    Ok(())
}

#[test]
fn a_version_1_file_is_upgraded_in_place() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("v1.db");
    {
        // A pulse.db as pulse 1 wrote it: ev-attack reported by a1 (twice) and a2 on
        // one site and by a3 on another; ev-praise by a3 only.
        let raw = rusqlite::Connection::open(&path)?;
        raw.execute_batch(SCHEMA_V1)?;
        raw.execute_batch(
            r#"
INSERT INTO articles (id, source, url, text, ingested_at, site) VALUES
    ('a1', 's', 'https://one.example/1', 'Text a1.', '2024-01-01T00:00:00.000Z', 'one.example'),
    ('a2', 's', 'https://www.one.example/2', 'Text a2.', '2024-01-01T00:00:01.000Z', 'one.example'),
    ('a3', 'notes.txt', NULL, 'Text a3.', '2024-01-01T00:00:02.000Z', 'notes.txt');
INSERT INTO events (id, gid, date, cameo, root, name, quad_class, goldstein,
                    source_code, source_name, first_seen) VALUES
    ('ev-attack', 1, '2024-01-05', '190', '19', 'Code 190', 4, -10.0, 'AFGGOV',
     'Afghan government', '2024-01-01T00:00:00.000Z'),
    ('ev-praise', 2, '2024-01-10', '042', '04', 'Code 042', 1, 1.9, 'USAGOV',
     'Washington', '2024-01-01T00:00:02.000Z');
INSERT INTO event_mentions (event_id, article_id, sentence, "start", "end",
                            verb_start, verb_end, sentence_text) VALUES
    ('ev-attack', 'a1', 0, 0, 10, 3, 6, 'One.'),
    ('ev-attack', 'a1', 1, 11, 20, 14, 17, 'Two.'),
    ('ev-attack', 'a2', 0, 0, 10, 3, 6, 'One.'),
    ('ev-attack', 'a3', 0, 0, 10, 3, 6, 'One.'),
    ('ev-praise', 'a3', 1, 11, 20, 14, 17, 'Two.');
"#,
        )?;
        raw.execute_batch(RECOUNT_V1)?;
        raw.pragma_update(None, "user_version", 1)?;
    }

    let mut store = Store::open(&path)?;
    let raw = rusqlite::Connection::open(&path)?;
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(counts(&store, "ev-attack")?, (4, 3, 2));
    assert_eq!(counts(&store, "ev-praise")?, (1, 1, 1));

    // New reports after the upgrade count on top of the old ones: a known site adds
    // no source, a new site does, and a new event starts from its own report.
    let evs = sample_events();
    store.insert_article(
        &article("a4", Some("https://one.example/4"), "s"),
        &[],
        &evs[..1],
        &[],
    )?;
    assert_eq!(counts(&store, "ev-attack")?, (5, 4, 2));
    store.insert_article(
        &article("a5", Some("https://two.example/5"), "s"),
        &[],
        &evs[..3],
        &[],
    )?;
    assert_eq!(counts(&store, "ev-attack")?, (6, 5, 3));
    assert_eq!(counts(&store, "ev-praise")?, (2, 2, 2));
    assert_eq!(counts(&store, "ev-appeal")?, (1, 1, 1));
    assert_eq!(store.event("ev-appeal")?.ok_or("missing")?.global_id, 3);
    drop(store);

    // Reopening a current file changes nothing.
    let store = Store::open(&path)?;
    assert_eq!(counts(&store, "ev-attack")?, (6, 5, 3));
    Ok(())
}
#[test]
fn incremental_counts_match_a_full_recount() -> TestResult {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("pulse.db");
    let mut store = Store::open(&path)?;
    let evs = sample_events();
    for i in 0..60_usize {
        // Articles on 7 sites (some without URL), each with 1 to 3 of the sample
        // events, some of them reported twice, and some articles stored twice.
        let url = format!("https://site{}.example/{i}", i % 7);
        let a = article(
            &format!("a{}", i % 50),
            (i % 5 != 0).then_some(url.as_str()),
            &format!("feed{}", i % 3),
        );
        let mut mine: Vec<Event> = (0..1 + i % 3)
            .map(|k| evs[(i + 2 * k) % evs.len()].clone())
            .collect();
        if i % 4 == 0 {
            let mut repeat = mine[0].clone();
            repeat.sentence += 1;
            mine.push(repeat.clone());
            mine.push(repeat);
        }
        store.insert_article(&a, &[], &mine, &[])?;
    }
    let stored = store.query(&filter())?;
    assert_eq!(stored.len(), evs.len());

    let raw = rusqlite::Connection::open(&path)?;
    raw.execute_batch(RECOUNT_V1)?;
    drop(raw);
    let recounted = store.query(&filter())?;
    assert_eq!(stored, recounted);
    assert!(stored.iter().any(|e| e.num_articles > e.num_sources));
    assert!(stored.iter().any(|e| e.num_mentions > e.num_articles));
    Ok(())
}
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_is_a_clear_error() {
    let store = Store::open_in_memory().map_err(|e| e.to_string());
    let Ok(store) = store else {
        panic!("{store:?}");
    };
    let mut out = Vec::new();
    let err = store.export(&filter(), ExportFormat::Parquet, &mut out);
    assert!(matches!(err, Err(StoreError::ParquetNotBuilt)), "{err:?}");
    assert!(matches!(
        ExportFormat::Parquet.available(),
        Err(StoreError::ParquetNotBuilt)
    ));
    assert!(out.is_empty());
}

/// The Parquet export, read back with the `parquet` crate's Arrow reader
/// and, when Python has one, an independent reader.
#[cfg(feature = "parquet")]
mod parquet_export {
    use super::*;
    use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use parquet::basic::Compression;
    use std::path::Path;

    /// The sample events, and a sixth in a town with a death toll.
    fn store_with_a_place() -> Result<Store, Box<dyn std::error::Error>> {
        let mut store = sample_store()?.ok_or("no SQLite store")?;
        let mut ev = sample_events().remove(3);
        // a later date than ev-fight's, so that the two do not merge
        ev.id = "ev-located".to_string();
        ev.date = Some("2024-04-02".to_string());
        ev.counts.fatalities = Some(3);
        let ev = located(&ev, &place(7, "Portlet", "city"), 1, "verb");
        store.insert_article(
            &article("art-located", Some("https://town.example/a"), "feed.jsonl"),
            &[],
            &[ev],
            &[],
        )?;
        Ok(store)
    }

    /// Exports the store's events to `path`; returns the count written.
    fn export_to(store: &Store, path: &Path) -> Result<usize, Box<dyn std::error::Error>> {
        let mut file = std::fs::File::create(path)?;
        let n = store.export(&filter(), ExportFormat::Parquet, &mut file)?;
        file.sync_all()?;
        Ok(n)
    }

    /// All row groups of the file as one batch per row group.
    fn read(path: &Path) -> Result<Vec<RecordBatch>, Box<dyn std::error::Error>> {
        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path)?)?
            .with_batch_size(100_000)
            .build()?;
        Ok(reader.collect::<Result<Vec<_>, _>>()?)
    }

    fn column<'a, T: 'static>(
        batch: &'a RecordBatch,
        name: &str,
    ) -> Result<&'a T, Box<dyn std::error::Error>> {
        let col = batch
            .column_by_name(name)
            .ok_or(format!("no column {name}"))?;
        Ok(col
            .as_any()
            .downcast_ref::<T>()
            .ok_or(format!("{name}: unexpected type {}", col.data_type()))?)
    }

    #[test]
    fn parquet_reads_back_with_types_and_nulls() -> TestResult {
        let store = store_with_a_place()?;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("events.parquet");
        let n = export_to(&store, &path)?;
        assert_eq!(n, 6);

        let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path)?)?;
        let meta = builder.metadata();
        assert_eq!(meta.file_metadata().num_rows(), 6);
        for rg in meta.row_groups() {
            for col in rg.columns() {
                assert!(matches!(col.compression(), Compression::ZSTD(_)));
            }
        }
        let names: Vec<String> = builder
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, CSV_COLUMNS);

        let batches = read(&path)?;
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        assert_eq!(b.num_rows(), 6);
        let ids = column::<StringArray>(b, "id")?;
        let row = |id: &str| (0..ids.len()).find(|&i| ids.value(i) == id);
        // the order is (date, id), undated first
        assert_eq!(row("ev-nodate"), Some(0));

        // no target, no place, no date: nulls, not empty strings
        let i = row("ev-nodate").ok_or("ev-nodate missing")?;
        for name in [
            "date",
            "target_code",
            "target_name",
            "target_country",
            "place_name",
            "place_country",
        ] {
            assert!(column::<StringArray>(b, name)?.is_null(i), "{name}");
        }
        for name in ["place_id", "geo_precision", "fatalities"] {
            assert!(column::<Int64Array>(b, name)?.is_null(i), "{name}");
        }
        for name in ["lat", "lon"] {
            assert!(column::<Float64Array>(b, name)?.is_null(i), "{name}");
        }
        assert_eq!(column::<StringArray>(b, "source_code")?.value(i), "FRA");
        assert_eq!(column::<Int64Array>(b, "quad_class")?.value(i), 1);

        // a located event with a toll
        let j = row("ev-located").ok_or("ev-located missing")?;
        assert_eq!(column::<StringArray>(b, "place_name")?.value(j), "Portlet");
        assert_eq!(column::<StringArray>(b, "place_level")?.value(j), "city");
        assert_eq!(column::<Int64Array>(b, "place_id")?.value(j), 7);
        assert_eq!(column::<Int64Array>(b, "geo_precision")?.value(j), 1);
        assert_eq!(column::<Int64Array>(b, "fatalities")?.value(j), 3);
        assert!(column::<Int64Array>(b, "injuries")?.is_null(j));
        assert!((column::<Float64Array>(b, "lat")?.value(j) + 4.05).abs() < 1e-9);
        assert!((column::<Float64Array>(b, "goldstein")?.value(j) + 10.0).abs() < 1e-6);
        assert_eq!(column::<StringArray>(b, "date")?.value(j), "2024-04-02");
        assert_eq!(
            column::<StringArray>(b, "url")?.value(j),
            "https://town.example/a"
        );
        assert_eq!(column::<Int64Array>(b, "num_articles")?.value(j), 1);
        assert!(!column::<BooleanArray>(b, "source_country_from_context")?.value(j));

        // the same values the store returns
        let events = store.query(&filter())?;
        let global = column::<Int64Array>(b, "global_id")?;
        for (k, e) in events.iter().enumerate() {
            assert_eq!(
                (ids.value(k), global.value(k)),
                (e.id.as_str(), e.global_id)
            );
        }
        Ok(())
    }

    #[test]
    fn parquet_is_written_in_row_groups() -> TestResult {
        let mut store = Store::open_in_memory()?;
        let total = 2 * pulse_store::ROW_GROUP_ROWS + 7;
        let events: Vec<Event> = (0..total)
            .map(|i| {
                let mut ev = sample_events().remove(0);
                ev.id = format!("ev{i:06}");
                ev.quad_class = 1;
                ev
            })
            .collect();
        store.insert_article(&article("big", None, "s"), &[], &events, &[])?;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("big.parquet");
        assert_eq!(export_to(&store, &path)?, total);
        let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path)?)?;
        let sizes: Vec<i64> = builder
            .metadata()
            .row_groups()
            .iter()
            .map(|rg| rg.num_rows())
            .collect();
        let full = i64::try_from(pulse_store::ROW_GROUP_ROWS)?;
        assert_eq!(sizes, [full, full, 7]);
        let rows: usize = read(&path)?.iter().map(RecordBatch::num_rows).sum();
        assert_eq!(rows, total);

        // an empty export is still a valid file, with the columns and no rows
        let none = EventFilter {
            root: Some("99".to_string()),
            ..filter()
        };
        let empty = dir.path().join("empty.parquet");
        let mut file = std::fs::File::create(&empty)?;
        assert_eq!(store.export(&none, ExportFormat::Parquet, &mut file)?, 0);
        drop(file);
        let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&empty)?)?;
        assert_eq!(builder.metadata().file_metadata().num_rows(), 0);
        assert_eq!(builder.schema().fields().len(), CSV_COLUMNS.len());
        Ok(())
    }

    /// Reads the file with pyarrow, DuckDB or pandas, whichever the Python in
    /// `PULSE_PYTHON` (default `python3`) has; prints why and passes when
    /// there is none.
    #[test]
    fn parquet_reads_back_in_an_independent_reader() -> TestResult {
        const SCRIPT: &str = r#"
import sys
path = sys.argv[1]
try:
    import pyarrow.parquet as pq
    t = pq.read_table(path)
    print("pyarrow", t.num_rows, t.column("place_name").null_count)
    sys.exit(0)
except ImportError:
    pass
try:
    import duckdb
    rows, nulls = duckdb.sql(
        "SELECT count(*), count(*) - count(place_name) FROM read_parquet(?)", params=[path]
    ).fetchone()
    print("duckdb", rows, nulls)
    sys.exit(0)
except ImportError:
    pass
try:
    import pandas
    df = pandas.read_parquet(path)
    print("pandas", len(df), int(df["place_name"].isna().sum()))
    sys.exit(0)
except ImportError:
    pass
print("none of pyarrow, duckdb or pandas is importable")
sys.exit(3)
"#;
        let store = store_with_a_place()?;
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("events.parquet");
        let n = export_to(&store, &path)?;
        let python = std::env::var("PULSE_PYTHON").unwrap_or_else(|_| "python3".to_string());
        let out = match std::process::Command::new(&python)
            .arg("-c")
            .arg(SCRIPT)
            .arg(&path)
            .output()
        {
            Ok(out) => out,
            Err(e) => {
                eprintln!("skipped: cannot run {python}: {e}");
                return Ok(());
            }
        };
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.code() == Some(3) {
            eprintln!("skipped: {python}: {}", text.trim());
            return Ok(());
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{python} failed: {text}{err}");
        let fields: Vec<&str> = text.split_whitespace().collect();
        eprintln!("read back by {}", fields.first().unwrap_or(&"?"));
        // six rows; only ev-located has a place
        assert_eq!(fields.get(1..), Some(&[n.to_string().as_str(), "5"][..]));
        Ok(())
    }
}

/// The schema of version 1 as released (migration 1, frozen here on purpose: a
/// released migration must never change, and this is what old pulse.db files hold).
const SCHEMA_V1: &str = r#"
CREATE TABLE articles (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    url         TEXT,
    title       TEXT,
    published   TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    site        TEXT NOT NULL
);
CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE TABLE events (
    id             TEXT PRIMARY KEY,
    gid            INTEGER NOT NULL UNIQUE,
    date           TEXT,
    cameo          TEXT NOT NULL,
    root           TEXT NOT NULL,
    name           TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    plover         TEXT,
    source_code    TEXT NOT NULL,
    source_name    TEXT NOT NULL,
    source_country TEXT,
    source_sector  TEXT,
    target_code    TEXT,
    target_name    TEXT,
    target_country TEXT,
    target_sector  TEXT,
    first_seen     TEXT NOT NULL,
    num_mentions   INTEGER NOT NULL DEFAULT 0,
    num_articles   INTEGER NOT NULL DEFAULT 0,
    num_sources    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE event_mentions (
    event_id      TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id    TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence      INTEGER NOT NULL,
    "start"       INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    verb_start    INTEGER NOT NULL,
    verb_end      INTEGER NOT NULL,
    source_start  INTEGER,
    source_end    INTEGER,
    target_start  INTEGER,
    target_end    INTEGER,
    sentence_text TEXT NOT NULL,
    PRIMARY KEY (event_id, article_id, sentence, verb_start)
);
CREATE TABLE ingest_errors (
    input  TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX events_date ON events(date, id);
CREATE INDEX events_root ON events(root);
CREATE INDEX events_source_code ON events(source_code);
CREATE INDEX events_target_code ON events(target_code);
CREATE INDEX event_mentions_article ON event_mentions(article_id);
"#;

/// The counts of each event as pulse 1 computed them: from all its mentions.
const RECOUNT_V1: &str = "UPDATE events SET
    num_mentions = (SELECT COUNT(*) FROM event_mentions WHERE event_id = events.id),
    num_articles = (SELECT COUNT(DISTINCT article_id) FROM event_mentions
                    WHERE event_id = events.id),
    num_sources = (SELECT COUNT(DISTINCT a.site)
                   FROM event_mentions m JOIN articles a ON a.id = m.article_id
                   WHERE m.event_id = events.id)";

#[test]
fn a_query_past_its_time_limit_is_stopped() -> TestResult {
    let mut store = Store::open_in_memory()?;
    let events: Vec<Event> = (0..3000)
        .map(|i| {
            let mut ev = sample_events().remove(1);
            ev.id = format!("ev{i:05}");
            ev
        })
        .collect();
    store.insert_article(&article("big", None, "s"), &[], &events, &[])?;
    store.set_time_limit(Some(std::time::Duration::from_nanos(1)))?;
    match store.query(&filter()) {
        Err(StoreError::TimedOut(limit)) => assert_eq!(limit.as_nanos(), 1),
        other => panic!("expected a time-out, got {:?}", other.map(|v| v.len())),
    }
    // lifted, the same query answers
    store.set_time_limit(None)?;
    assert_eq!(store.query(&filter())?.len(), 3000);
    Ok(())
}
