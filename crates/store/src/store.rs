//! Opening the database and writing to it.

use crate::sql::{vals, Backend, Conn, Val};
use crate::util::site_of;
use crate::{schema, StoreError};
use pulse_code::{Event, PlaceMention};
use pulse_ingest::Article;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::btree_map::{BTreeMap, Entry};
use std::path::Path;
use std::time::Duration;

/// How long a connection waits for another writer's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The event store: one connection to one database, an SQLite file (the
/// default) or a PostgreSQL server ([`Store::connect`]). Every operation is
/// written once against [`crate::sql::Conn`], so both backends store, merge,
/// query and export alike.
///
/// Writes take `&mut self` and run in one transaction each, so an interrupted
/// batch keeps every article completed before the interruption and never a half one.
pub struct Store {
    pub(crate) conn: Box<dyn Conn>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.conn.backend())
            .finish()
    }
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

    /// Opens the database `db` names: a `postgres://` or `postgresql://`
    /// URL connects to that PostgreSQL server (creating pulse's tables on
    /// first use), anything else is an SQLite file path ([`Store::open`]).
    pub fn connect(db: &str) -> Result<Store, StoreError> {
        if is_postgres_url(db) {
            Store::connect_postgres(db)
        } else {
            Store::open(Path::new(db))
        }
    }

    #[cfg(feature = "postgres")]
    fn connect_postgres(url: &str) -> Result<Store, StoreError> {
        let conn = crate::postgres::PgConn::connect(url).map_err(|source| StoreError::Connect {
            url: crate::util::redact_password(url),
            source,
        })?;
        schema::migrate_postgres(&conn)?;
        Ok(Store {
            conn: Box::new(conn),
        })
    }

    #[cfg(not(feature = "postgres"))]
    fn connect_postgres(_url: &str) -> Result<Store, StoreError> {
        Err(StoreError::PostgresNotBuilt)
    }

    /// Which database this store is backed by.
    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    /// Stops any statement that runs longer than `limit` from now on, with
    /// [`StoreError::TimedOut`] (a server bounds each request's queries this
    /// way); `None` lifts the limit. With SQLite the limit counts from this
    /// call, with PostgreSQL it applies to each statement.
    pub fn set_time_limit(&mut self, limit: Option<std::time::Duration>) -> Result<(), StoreError> {
        self.conn.set_time_limit(limit)
    }

    /// Configures the connection and runs the migrations.
    fn init(mut conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Answers the mode in force: "wal" for files, "memory" for in-memory databases.
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
        schema::migrate(&mut conn)?;
        Ok(Store {
            conn: Box::new(crate::sqlite::SqliteConn::new(conn)),
        })
    }

    /// Whether an article with this id is stored; lets callers skip the analysis
    /// of articles already ingested.
    pub fn contains_article(&self, id: &str) -> Result<bool, StoreError> {
        self.conn
            .exists("SELECT 1 FROM articles WHERE id = ?1", &vals![id])
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
        let tx = self.conn.transaction(true)?;
        if tx.exists("SELECT 1 FROM articles WHERE id = ?1", &vals![&article.id])? {
            // Dropping the transaction rolls it back; nothing was written.
            return Ok(InsertOutcome::Duplicate);
        }
        let site = site_of(article.url.as_deref(), &article.source);
        let now = crate::util::utc_now();
        let fingerprint = pulse_ingest::simhash(&article.text);
        tx.exec(
            "INSERT INTO articles (id, source, url, title, published, text, ingested_at, site,
                simhash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &vals![
                &article.id,
                &article.source,
                article.url.as_ref(),
                article.title.as_ref(),
                article.published.as_ref(),
                &article.text,
                &now,
                &site,
                fingerprint.map(|h| h as i64),
            ],
        )?;
        if let Some(h) = fingerprint {
            for (band, value) in pulse_ingest::bands(h).iter().enumerate() {
                tx.exec(
                    "INSERT INTO article_bands (band, value, article_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                    &vals![int(band, "band")?, i64::from(*value), &article.id],
                )?;
            }
        }
        for (idx, &(start, end)) in sentences.iter().enumerate() {
            tx.exec(
                r#"INSERT INTO sentences (article_id, idx, "start", "end") VALUES (?1, ?2, ?3, ?4)"#,
                &vals![
                    &article.id,
                    int(idx, "sentence index")?,
                    int(start, "sentence start")?,
                    int(end, "sentence end")?,
                ],
            )?;
        }
        for p in places {
            let mut values = vals![
                &article.id,
                int(p.start, "place start")?,
                int(p.end, "place end")?,
                &p.text,
            ]
            .to_vec();
            values.extend(place_values(&p.place));
            tx.exec(
                r#"INSERT INTO article_places (article_id, "start", "end", text,
                    geonameid, name, country, admin1, feature, level, lat, lon)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT DO NOTHING"#,
                &values,
            )?;
        }
        // Per event of this article: whether the event already had a mention from this
        // article before this call, and how many mentions this call stored.
        let mut touched: BTreeMap<String, (bool, usize)> = BTreeMap::new();
        let mut stored = 0;
        let mut new_events = 0;
        for ev in events {
            let target = ev.target.as_ref();
            // the event this mention reports: the one with its id (unless
            // placed apart), else one it reports in other words, else a
            // new one (crate::merge)
            let id = match crate::merge::own_id(&*tx, ev)? {
                Some(id) => id,
                None => crate::merge::find_match(&*tx, ev)?.unwrap_or_else(|| ev.id.clone()),
            };
            new_events += tx.exec(
                "INSERT INTO events (id, gid, date, cameo, root, name, quad_class, goldstein, plover,
                    source_code, source_name, source_country, source_sector,
                    target_code, target_name, target_country, target_sector, first_seen,
                    source_country_from_context, target_country_from_context,
                    date_precision, date_source)
                 VALUES (?1, (SELECT COALESCE(MAX(gid), 0) + 1 FROM events), ?2, ?3, ?4, ?5, ?6,
                    ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
                 ON CONFLICT (id) DO NOTHING",
                &vals![
                    &id,
                    ev.date.as_ref(),
                    &ev.cameo,
                    &ev.root,
                    &ev.name,
                    ev.quad_class,
                    goldstein(ev.goldstein)?,
                    ev.plover.as_ref(),
                    &ev.source.code,
                    &ev.source.text,
                    ev.source.country.as_ref(),
                    ev.source.sector.as_ref(),
                    target.map(|t| &t.code),
                    target.map(|t| &t.text),
                    target.and_then(|t| t.country.as_ref()),
                    target.and_then(|t| t.sector.as_ref()),
                    &now,
                    ev.source.country_from_context,
                    target.map(|t| t.country_from_context),
                    ev.date_precision.as_ref(),
                    ev.date_source.as_ref(),
                ],
            )?;
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
                    let before = tx.exists(
                        "SELECT 1 FROM event_mentions WHERE event_id = ?1 AND article_id = ?2",
                        &vals![&id, &article.id],
                    )?;
                    e.insert((before, 0))
                }
            };
            let place = ev.place.as_ref();
            let inserted = tx.exec(
                r#"INSERT INTO event_mentions (event_id, article_id, sentence, "start", "end",
                    verb_start, verb_end, source_start, source_end, target_start, target_end,
                    sentence_text, mode, pattern, confidence, fatalities, injuries, size,
                    place_id, geo_precision, place_basis, place_start, place_end)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
                    ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
                 ON CONFLICT DO NOTHING"#,
                &vals![
                    &id,
                    &article.id,
                    int(ev.sentence, "event sentence index")?,
                    int(ev.start, "event sentence start")?,
                    int(ev.end, "event sentence end")?,
                    int(ev.spans.verb.start, "verb start")?,
                    int(ev.spans.verb.end, "verb end")?,
                    int(source_span.0, "source start")?,
                    int(source_span.1, "source end")?,
                    target_span.map(|s| int(s.0, "target start")).transpose()?,
                    target_span.map(|s| int(s.1, "target end")).transpose()?,
                    &ev.text,
                    ev.mode.as_ref(),
                    (!ev.pattern.is_empty()).then_some(&ev.pattern),
                    ev.confidence,
                    count(ev.counts.fatalities, "fatalities")?,
                    count(ev.counts.injuries, "injuries")?,
                    count(ev.counts.size, "size")?,
                    place.map(|p| p.place.geonameid),
                    place.map(|p| p.geo_precision),
                    place.map(|p| &p.basis),
                    place.map(|p| int(p.start, "place start")).transpose()?,
                    place.map(|p| int(p.end, "place end")).transpose()?,
                ],
            )?;
            if let (Some(p), 1) = (place, inserted) {
                // the event keeps the most precise place its reports give
                // (the first of equals)
                let mut values = vec![Val::from(&id)];
                values.extend(place_values(&p.place));
                values.push(Val::from(p.geo_precision));
                tx.exec(
                    "UPDATE events SET place_id = ?2, place_name = ?3, place_country = ?4,
                        place_admin1 = ?5, place_feature = ?6, place_level = ?7, lat = ?8,
                        lon = ?9, geo_precision = ?10
                     WHERE id = ?1 AND (geo_precision IS NULL OR geo_precision > ?10)",
                    &values,
                )?;
            }
            counts.1 += inserted;
            stored += inserted;
        }
        for (id, &(mentioned_before, mentions)) in &touched {
            if mentions == 0 {
                continue;
            }
            let new_source = add_source(&*tx, id, &site)?;
            tx.exec(
                "UPDATE events SET
                    num_mentions = num_mentions + ?2,
                    num_articles = num_articles + ?3,
                    num_sources = num_sources + ?4
                 WHERE id = ?1",
                &vals![
                    id,
                    int(mentions, "mention count")?,
                    i64::from(!mentioned_before),
                    int(new_source, "source count")?,
                ],
            )?;
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
        for (band, value) in pulse_ingest::bands(h).iter().enumerate() {
            let rows = self.conn.rows(
                "SELECT a.id, a.simhash FROM article_bands b JOIN articles a ON a.id = b.article_id
                 WHERE b.band = ?1 AND b.value = ?2",
                &vals![int(band, "band")?, i64::from(*value)],
            )?;
            for row in rows {
                let (id, other) = (row.text(0)?, row.int(1)?);
                if id != article.id
                    && pulse_ingest::hamming(h, other as u64) <= pulse_ingest::MAX_DISTANCE
                    && !candidates.iter().any(|(c, _)| *c == id)
                {
                    candidates.push((id, other));
                }
            }
        }
        // closest fingerprints first; the first confirmed one wins
        candidates.sort_by_key(|(id, other)| (pulse_ingest::hamming(h, *other as u64), id.clone()));
        for (id, _) in candidates {
            let Some(row) = self
                .conn
                .row("SELECT text FROM articles WHERE id = ?1", &vals![&id])?
            else {
                continue;
            };
            let sim = pulse_ingest::similarity(&article.text, &row.text(0)?);
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
        let tx = self.conn.transaction(true)?;
        let site = site_of(copy.url.as_deref(), &copy.source);
        let inserted = tx.exec(
            "INSERT INTO article_copies (article_id, copy_id, source, url, site, title,
                published, similarity, seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT DO NOTHING",
            &vals![
                original,
                &copy.id,
                &copy.source,
                copy.url.as_ref(),
                &site,
                copy.title.as_ref(),
                copy.published.as_ref(),
                similarity,
                crate::util::utc_now(),
            ],
        )?;
        if inserted == 0 {
            return Ok(false);
        }
        let events = tx.rows(
            "SELECT DISTINCT event_id FROM event_mentions WHERE article_id = ?1",
            &vals![original],
        )?;
        for row in events {
            let id = row.text(0)?;
            let new_source = add_source(&*tx, &id, &site)?;
            tx.exec(
                "UPDATE events SET num_articles = num_articles + 1,
                    num_sources = num_sources + ?2
                 WHERE id = ?1",
                &vals![&id, int(new_source, "source count")?],
            )?;
        }
        tx.commit()?;
        Ok(true)
    }

    /// Whether this exact text was already recorded as a copy of a stored
    /// article (so re-ingesting a copy changes nothing).
    pub fn contains_copy(&self, id: &str) -> Result<bool, StoreError> {
        self.conn.exists(
            "SELECT 1 FROM article_copies WHERE copy_id = ?1 LIMIT 1",
            &vals![id],
        )
    }

    /// Records that an input (or one record of it) could not be ingested, so a batch
    /// can go on and the failures can be reported and inspected later.
    pub fn record_error(&mut self, input: &str, reason: &str) -> Result<(), StoreError> {
        self.conn.exec(
            "INSERT INTO ingest_errors (input, reason, at) VALUES (?1, ?2, ?3)",
            &vals![input, reason, crate::util::utc_now()],
        )?;
        Ok(())
    }

    /// Counts of articles, events, mentions and recorded errors.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let row = self.conn.row(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM events),
                    (SELECT COUNT(*) FROM event_mentions), (SELECT COUNT(*) FROM ingest_errors)",
            &[],
        )?;
        let Some(row) = row else {
            return Ok(Stats::default());
        };
        Ok(Stats {
            articles: row.uint(0)?,
            events: row.uint(1)?,
            mentions: row.uint(2)?,
            errors: row.uint(3)?,
        })
    }

    /// Number of stored articles.
    pub fn articles_count(&self) -> Result<u64, StoreError> {
        match self.conn.row("SELECT COUNT(*) FROM articles", &[])? {
            Some(row) => row.uint(0),
            None => Ok(0),
        }
    }

    /// Ids of all stored articles, in the order they were ingested.
    pub fn article_ids(&self) -> Result<Vec<String>, StoreError> {
        self.conn
            .rows("SELECT id FROM articles ORDER BY ingested_at, id", &[])?
            .iter()
            .map(|r| r.text(0))
            .collect()
    }

    /// The recorded ingest errors as `(input, reason, at)`, oldest first.
    pub fn ingest_errors(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let sql = format!(
            "SELECT input, reason, at FROM ingest_errors ORDER BY {}",
            self.conn.insertion_order()
        );
        self.conn
            .rows(&sql, &[])?
            .iter()
            .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?)))
            .collect()
    }
}

/// Records that `site` reports event `id`; 1 when that is news (the event
/// gains a source), 0 when the site was already counted.
fn add_source(conn: &dyn Conn, id: &str, site: &str) -> Result<usize, StoreError> {
    conn.exec(
        "INSERT INTO event_sources (event_id, site) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        &vals![id, site],
    )
}

/// A `--db` value fit for messages: a file path as given, a connection URL
/// with its password replaced by `***`.
pub fn display_db(db: &str) -> String {
    crate::util::redact_password(db)
}

/// Whether a `--db` value names a PostgreSQL server rather than a file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A place's columns in the order the statements here bind them: GeoNames
/// id, name, country, admin1, feature, level, latitude, longitude.
fn place_values(p: &pulse_geo::Place) -> [Val; 8] {
    vals![
        p.geonameid,
        &p.name,
        &p.country,
        &p.admin1,
        &p.feature,
        p.level.as_str(),
        p.lat,
        p.lon,
    ]
}

/// A byte offset or index as a database integer, or an error naming the value.
fn int(v: usize, what: &'static str) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::OutOfRange {
        what,
        value: v.to_string(),
    })
}

/// A count (killed, wounded, group size) as a database integer; one past
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
