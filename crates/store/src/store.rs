//! Opening the database and writing to it.

use crate::util::site_of;
use crate::{schema, StoreError};
use pulse_code::{Event, PlaceMention};
use pulse_ingest::Article;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use std::collections::btree_map::{BTreeMap, Entry};
use std::path::Path;
use std::time::Duration;

/// How long a connection waits for another writer's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQLite store: one connection to one database file.
///
/// Writes take `&mut self` and run in one transaction each, so an interrupted
/// batch keeps every article completed before the interruption and never a half one.
#[derive(Debug)]
pub struct Store {
    pub(crate) conn: Connection,
}

/// What [`Store::insert_article`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InsertOutcome {
    /// The article was new and is now stored.
    Inserted {
        /// Event mentions stored for this article (repeats of the same mention,
        /// same event at the same verb in the same sentence, count once).
        events: usize,
        /// How many of those events were not in the store before (new `events` rows);
        /// the others were merged into events already reported by other articles.
        new_events: usize,
    },
    /// An article with the same id (same normalised text) was already stored;
    /// nothing changed.
    Duplicate,
}

/// Row counts of the main tables, for progress reports and health checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Stored articles.
    pub articles: u64,
    /// Distinct (merged) events.
    pub events: u64,
    /// Event mentions: one per event per sentence that reports it.
    pub mentions: u64,
    /// Recorded ingest errors.
    pub errors: u64,
}

impl Store {
    /// Opens the database file at `path`, creating it if needed, switches it to WAL
    /// mode and brings its schema up to date. Fails with
    /// [`StoreError::SchemaTooNew`] when a newer pulse wrote the file.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let with_path = |source: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open(path).map_err(with_path)?;
        Store::init(conn).map_err(|e| match e {
            StoreError::Sqlite(source) => with_path(source),
            other => other,
        })
    }

    /// Opens a fresh database in memory, with the full schema; for tests and demos.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    /// Configures the connection and runs the migrations.
    fn init(mut conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Answers the mode in force: "wal" for files, "memory" for in-memory databases.
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
        schema::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    /// Whether an article with this id is stored; lets callers skip the analysis
    /// of articles already ingested.
    pub fn contains_article(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Stores an article, its sentence spans (`(start, end)` byte offsets, in order),
    /// the events coded from it and the places it names, all in one transaction.
    ///
    /// Events whose id is already stored are merged: the article adds a mention and
    /// the event's mention, article and source counts are updated by increments
    /// (a few index look-ups, however many reports the event already has). An article
    /// whose id is already stored is left alone ([`InsertOutcome::Duplicate`]), so
    /// re-ingesting is idempotent.
    pub fn insert_article(
        &mut self,
        article: &Article,
        sentences: &[(usize, usize)],
        events: &[Event],
        places: &[PlaceMention],
    ) -> Result<InsertOutcome, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists = tx
            .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
            .query_row([&article.id], |_| Ok(()))
            .optional()?
            .is_some();
        if exists {
            // Dropping the transaction rolls it back; nothing was written.
            return Ok(InsertOutcome::Duplicate);
        }
        let site = site_of(article.url.as_deref(), &article.source);
        let now: String =
            tx.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", [], |r| {
                r.get(0)
            })?;
        let fingerprint = pulse_ingest::simhash(&article.text);
        tx.execute(
            "INSERT INTO articles (id, source, url, title, published, text, ingested_at, site,
                simhash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                article.id,
                article.source,
                article.url,
                article.title,
                article.published,
                article.text,
                now,
                site,
                fingerprint.map(|h| h as i64),
            ],
        )?;
        if let Some(h) = fingerprint {
            let mut insert_band = tx.prepare_cached(
                "INSERT OR IGNORE INTO article_bands (band, value, article_id) VALUES (?1, ?2, ?3)",
            )?;
            for (band, value) in pulse_ingest::bands(h).iter().enumerate() {
                insert_band.execute(params![band as i64, i64::from(*value), article.id])?;
            }
        }
        {
            let mut insert = tx.prepare_cached(
                r#"INSERT INTO sentences (article_id, idx, "start", "end") VALUES (?1, ?2, ?3, ?4)"#,
            )?;
            for (idx, &(start, end)) in sentences.iter().enumerate() {
                insert.execute(params![
                    article.id,
                    int(idx, "sentence index")?,
                    int(start, "sentence start")?,
                    int(end, "sentence end")?,
                ])?;
            }
        }
        {
            let mut insert = tx.prepare_cached(
                r#"INSERT OR IGNORE INTO article_places (article_id, "start", "end", text,
                    geonameid, name, country, admin1, feature, level, lat, lon)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"#,
            )?;
            for p in places {
                let mut values = vec![
                    Value::from(article.id.clone()),
                    Value::from(int(p.start, "place start")?),
                    Value::from(int(p.end, "place end")?),
                    Value::from(p.text.clone()),
                ];
                values.extend(place_values(&p.place));
                insert.execute(params_from_iter(values))?;
            }
        }
        // Per event of this article: whether the event already had a mention from this
        // article before this call, and how many mentions this call stored.
        let mut touched: BTreeMap<String, (bool, usize)> = BTreeMap::new();
        let mut stored = 0;
        let mut new_events = 0;
        {
            let mut insert_event = tx.prepare_cached(
                "INSERT INTO events (id, gid, date, cameo, root, name, quad_class, goldstein, plover,
                    source_code, source_name, source_country, source_sector,
                    target_code, target_name, target_country, target_sector, first_seen,
                    source_country_from_context, target_country_from_context,
                    date_precision, date_source)
                 VALUES (?1, (SELECT COALESCE(MAX(gid), 0) + 1 FROM events), ?2, ?3, ?4, ?5, ?6,
                    ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
                 ON CONFLICT(id) DO NOTHING",
            )?;
            let mut insert_mention = tx.prepare_cached(
                r#"INSERT INTO event_mentions (event_id, article_id, sentence, "start", "end",
                    verb_start, verb_end, source_start, source_end, target_start, target_end,
                    sentence_text, mode, pattern, confidence, fatalities, injuries, size,
                    place_id, geo_precision, place_basis, place_start, place_end)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                    ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
                 ON CONFLICT DO NOTHING"#,
            )?;
            // the event keeps the most precise place its reports give (the
            // first of equals)
            let mut set_place = tx.prepare_cached(
                "UPDATE events SET place_id = ?2, place_name = ?3, place_country = ?4,
                    place_admin1 = ?5, place_feature = ?6, place_level = ?7, lat = ?8,
                    lon = ?9, geo_precision = ?10
                 WHERE id = ?1 AND (geo_precision IS NULL OR geo_precision > ?10)",
            )?;
            let mut mentioned_before = tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM event_mentions
                                WHERE event_id = ?1 AND article_id = ?2)",
            )?;
            for ev in events {
                let target = ev.target.as_ref();
                // the event this mention reports: the one with its id (unless
                // placed apart), else one it reports in other words, else a
                // new one (crate::merge)
                let id = match crate::merge::own_id(&tx, ev)? {
                    Some(id) => id,
                    None => crate::merge::find_match(&tx, ev)?.unwrap_or_else(|| ev.id.clone()),
                };
                new_events += insert_event.execute(params![
                    id,
                    ev.date,
                    ev.cameo,
                    ev.root,
                    ev.name,
                    ev.quad_class,
                    goldstein(ev.goldstein)?,
                    ev.plover,
                    ev.source.code,
                    ev.source.text,
                    ev.source.country,
                    ev.source.sector,
                    target.map(|t| &t.code),
                    target.map(|t| &t.text),
                    target.and_then(|t| t.country.as_ref()),
                    target.and_then(|t| t.sector.as_ref()),
                    now,
                    ev.source.country_from_context,
                    target.map(|t| t.country_from_context),
                    ev.date_precision,
                    ev.date_source,
                ])?;
                let source_span = match &ev.spans.source {
                    Some(s) => (s.start, s.end),
                    None => (ev.source.start, ev.source.end),
                };
                let target_span = match (&ev.spans.target, target) {
                    (Some(s), _) => Some((s.start, s.end)),
                    (None, Some(t)) => Some((t.start, t.end)),
                    (None, None) => None,
                };
                let counts = match touched.entry(id.clone()) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => {
                        // Indexed: (event_id, article_id) is a prefix of the primary key.
                        let before: bool =
                            mentioned_before.query_row([&id, &article.id], |r| r.get(0))?;
                        e.insert((before, 0))
                    }
                };
                let inserted = insert_mention.execute(params![
                    id,
                    article.id,
                    int(ev.sentence, "event sentence index")?,
                    int(ev.start, "event sentence start")?,
                    int(ev.end, "event sentence end")?,
                    int(ev.spans.verb.start, "verb start")?,
                    int(ev.spans.verb.end, "verb end")?,
                    int(source_span.0, "source start")?,
                    int(source_span.1, "source end")?,
                    target_span.map(|s| int(s.0, "target start")).transpose()?,
                    target_span.map(|s| int(s.1, "target end")).transpose()?,
                    ev.text,
                    ev.mode,
                    (!ev.pattern.is_empty()).then_some(&ev.pattern),
                    ev.confidence,
                    count(ev.counts.fatalities, "fatalities")?,
                    count(ev.counts.injuries, "injuries")?,
                    count(ev.counts.size, "size")?,
                    ev.place.as_ref().map(|p| p.place.geonameid),
                    ev.place.as_ref().map(|p| p.geo_precision),
                    ev.place.as_ref().map(|p| &p.basis),
                    ev.place
                        .as_ref()
                        .map(|p| int(p.start, "place start"))
                        .transpose()?,
                    ev.place
                        .as_ref()
                        .map(|p| int(p.end, "place end"))
                        .transpose()?,
                ])?;
                if let (Some(p), 1) = (&ev.place, inserted) {
                    let mut values = vec![Value::from(id.clone())];
                    values.extend(place_values(&p.place));
                    values.push(Value::from(i64::from(p.geo_precision)));
                    set_place.execute(params_from_iter(values))?;
                }
                counts.1 += inserted;
                stored += inserted;
            }
            let mut insert_source = tx.prepare_cached(
                "INSERT INTO event_sources (event_id, site) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING",
            )?;
            let mut add_counts = tx.prepare_cached(
                "UPDATE events SET
                    num_mentions = num_mentions + ?2,
                    num_articles = num_articles + ?3,
                    num_sources = num_sources + ?4
                 WHERE id = ?1",
            )?;
            for (id, &(mentioned_before, mentions)) in &touched {
                if mentions == 0 {
                    continue;
                }
                let new_article = i64::from(!mentioned_before);
                let new_source = insert_source.execute(params![id, site])?;
                add_counts.execute(params![
                    id,
                    int(mentions, "mention count")?,
                    new_article,
                    int(new_source, "source count")?,
                ])?;
            }
        }
        tx.commit()?;
        Ok(InsertOutcome::Inserted {
            events: stored,
            new_events,
        })
    }

    /// The stored article that `article` is a near-duplicate of (a syndicated
    /// copy, an updated version), with the similarity of their texts: a
    /// candidate shares a band of the SimHash and is at most
    /// [`pulse_ingest::MAX_DISTANCE`] bits away, and is confirmed when the
    /// texts' shingle sets overlap at least [`pulse_ingest::MIN_SIMILARITY`].
    /// `None` for short articles (no fingerprint) and for new stories.
    pub fn find_near_duplicate(
        &self,
        article: &Article,
    ) -> Result<Option<(String, f64)>, StoreError> {
        let Some(h) = pulse_ingest::simhash(&article.text) else {
            return Ok(None);
        };
        let mut candidates: Vec<(String, i64)> = Vec::new();
        {
            let mut by_band = self.conn.prepare_cached(
                "SELECT a.id, a.simhash FROM article_bands b JOIN articles a ON a.id = b.article_id
                 WHERE b.band = ?1 AND b.value = ?2",
            )?;
            for (band, value) in pulse_ingest::bands(h).iter().enumerate() {
                let rows = by_band.query_map(params![band as i64, i64::from(*value)], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
                })?;
                for row in rows {
                    let (id, other) = row?;
                    if id != article.id
                        && pulse_ingest::hamming(h, other as u64) <= pulse_ingest::MAX_DISTANCE
                        && !candidates.iter().any(|(c, _)| *c == id)
                    {
                        candidates.push((id, other));
                    }
                }
            }
        }
        // closest fingerprints first; the first confirmed one wins
        candidates.sort_by_key(|(id, other)| (pulse_ingest::hamming(h, *other as u64), id.clone()));
        let mut text_of = self
            .conn
            .prepare_cached("SELECT text FROM articles WHERE id = ?1")?;
        for (id, _) in candidates {
            let text: String = text_of.query_row([&id], |r| r.get(0))?;
            let sim = pulse_ingest::similarity(&article.text, &text);
            if sim >= pulse_ingest::MIN_SIMILARITY {
                return Ok(Some((id, sim)));
            }
        }
        Ok(None)
    }

    /// Records `copy` as a near-duplicate of the stored article `original`
    /// (see [`Store::find_near_duplicate`]): its text is not stored again, and
    /// each event of the original gains one article and, for a new site, one
    /// source. Returns `false` when this copy was already recorded.
    pub fn add_copy(
        &mut self,
        original: &str,
        copy: &Article,
        similarity: f64,
    ) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let site = site_of(copy.url.as_deref(), &copy.source);
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO article_copies (article_id, copy_id, source, url, site, title,
                published, similarity, seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            params![
                original,
                copy.id,
                copy.source,
                copy.url,
                site,
                copy.title,
                copy.published,
                similarity
            ],
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        let events: Vec<String> = {
            let mut stmt = tx.prepare_cached(
                "SELECT DISTINCT event_id FROM event_mentions WHERE article_id = ?1",
            )?;
            let rows = stmt.query_map([original], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        {
            let mut insert_source = tx.prepare_cached(
                "INSERT INTO event_sources (event_id, site) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING",
            )?;
            let mut add_counts = tx.prepare_cached(
                "UPDATE events SET num_articles = num_articles + 1,
                    num_sources = num_sources + ?2
                 WHERE id = ?1",
            )?;
            for id in &events {
                let new_source = insert_source.execute(params![id, site])?;
                add_counts.execute(params![id, int(new_source, "source count")?])?;
            }
        }
        tx.commit()?;
        Ok(true)
    }

    /// Whether this exact text was already recorded as a copy of a stored
    /// article (so re-ingesting a copy changes nothing).
    pub fn contains_copy(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM article_copies WHERE copy_id = ?1 LIMIT 1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Records that an input (or one record of it) could not be ingested, so a batch
    /// can go on and the failures can be reported and inspected later.
    pub fn record_error(&mut self, input: &str, reason: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO ingest_errors (input, reason, at)
                 VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
            )?
            .execute([input, reason])?;
        Ok(())
    }

    /// Counts of articles, events, mentions and recorded errors.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        Ok(self.conn.query_row(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM events),
                    (SELECT COUNT(*) FROM event_mentions), (SELECT COUNT(*) FROM ingest_errors)",
            [],
            |r| {
                let count = |i: usize| -> rusqlite::Result<u64> {
                    let n: i64 = r.get(i)?;
                    u64::try_from(n).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(i, n))
                };
                Ok(Stats {
                    articles: count(0)?,
                    events: count(1)?,
                    mentions: count(2)?,
                    errors: count(3)?,
                })
            },
        )?)
    }

    /// Number of stored articles.
    pub fn articles_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
        u64::try_from(n).map_err(|_| StoreError::OutOfRange {
            what: "article count",
            value: n.to_string(),
        })
    }

    /// Ids of all stored articles, in the order they were ingested.
    pub fn article_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM articles ORDER BY ingested_at, id")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    }

    /// The recorded ingest errors as `(input, reason, at)`, oldest first.
    pub fn ingest_errors(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT input, reason, at FROM ingest_errors ORDER BY rowid")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

/// A byte offset or index as an SQLite integer, or an error naming the value.
/// A place's columns in the order the statements here bind them: GeoNames
/// id, name, country, admin1, feature, level, latitude, longitude.
fn place_values(p: &pulse_geo::Place) -> [Value; 8] {
    [
        Value::from(i64::from(p.geonameid)),
        Value::from(p.name.clone()),
        Value::from(p.country.clone()),
        Value::from(p.admin1.clone()),
        Value::from(p.feature.clone()),
        Value::from(p.level.as_str().to_string()),
        Value::from(p.lat),
        Value::from(p.lon),
    ]
}

fn int(v: usize, what: &'static str) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::OutOfRange {
        what,
        value: v.to_string(),
    })
}

/// A count (killed, wounded, group size) as an SQLite integer; one past
/// `i64::MAX` is an error, not a wrap.
fn count(v: Option<u64>, what: &'static str) -> Result<Option<i64>, StoreError> {
    v.map(|n| {
        i64::try_from(n).map_err(|_| StoreError::OutOfRange {
            what,
            value: n.to_string(),
        })
    })
    .transpose()
}

/// The Goldstein score as stored: the `f32` widened through its shortest decimal
/// form (so `2.8` stays `2.8`, not `2.799999952`); not-a-number is refused.
fn goldstein(g: f32) -> Result<f64, StoreError> {
    if !g.is_finite() {
        return Err(StoreError::OutOfRange {
            what: "goldstein score",
            value: g.to_string(),
        });
    }
    Ok(g.to_string().parse().unwrap_or(f64::from(g)))
}
