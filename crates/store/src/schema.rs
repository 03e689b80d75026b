//! Schema migrations, tracked with `PRAGMA user_version`.

use crate::StoreError;
use rusqlite::Connection;

/// The migrations, in order: migration `i` (0-based) brings the schema from
/// version `i` to version `i + 1`. Never edit a released migration; append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: articles, sentences, merged events and their mentions, ingest errors.
    r#"
CREATE TABLE articles (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    url         TEXT,
    title       TEXT,
    published   TEXT,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    -- host of `url` (without `www.`), or `source` when there is no URL:
    -- what `events.num_sources` counts.
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
    -- stable integer id (GDELT's GLOBALEVENTID); unlike the implicit rowid it
    -- survives VACUUM.
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
"#,
    // 2: the distinct sites reporting each event, so that storing a mention updates
    // `events.num_sources` (and `num_mentions`, `num_articles`) by increments instead
    // of recounting every mention of the event. Backfilled from the stored mentions;
    // the counts are recomputed once so that the increments start from the truth.
    r#"
CREATE TABLE event_sources (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- `articles.site` of an article with a mention of the event.
    site     TEXT NOT NULL,
    PRIMARY KEY (event_id, site)
) WITHOUT ROWID;

INSERT OR IGNORE INTO event_sources (event_id, site)
    SELECT DISTINCT m.event_id, a.site
    FROM event_mentions m JOIN articles a ON a.id = m.article_id;

UPDATE events SET
    num_mentions = (SELECT COUNT(*) FROM event_mentions WHERE event_id = events.id),
    num_articles = (SELECT COUNT(DISTINCT article_id) FROM event_mentions
                    WHERE event_id = events.id),
    num_sources = (SELECT COUNT(*) FROM event_sources WHERE event_id = events.id);
"#,
    // 3: near-duplicates. Each article's SimHash is stored with its six bands
    // (indexed, to find candidates); a syndicated copy or updated version of a
    // stored article is kept as a row of `article_copies` instead of a second
    // text, and counts as one more article and source of the original's events.
    // Articles stored before this version have no fingerprint and are not
    // matched.
    r#"
ALTER TABLE articles ADD COLUMN simhash INTEGER;

CREATE TABLE article_bands (
    band       INTEGER NOT NULL,
    value      INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, value, article_id)
) WITHOUT ROWID;

CREATE TABLE article_copies (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    -- the copy's own id (hash of its text), source, URL and site
    copy_id    TEXT NOT NULL,
    source     TEXT NOT NULL,
    url        TEXT,
    site       TEXT NOT NULL,
    title      TEXT,
    published  TEXT,
    similarity REAL NOT NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (article_id, copy_id)
) WITHOUT ROWID;

CREATE INDEX article_copies_copy ON article_copies(copy_id);
"#,
    // 4: how each mention was coded: its mode (NULL for a fact, `future` for
    // an announced act), the dictionary pattern that gave the code, and the
    // coder's confidence. Mentions stored before this version have NULLs.
    r#"
ALTER TABLE event_mentions ADD COLUMN mode TEXT;
ALTER TABLE event_mentions ADD COLUMN pattern TEXT;
ALTER TABLE event_mentions ADD COLUMN confidence REAL;
"#,
    // 5: whether an actor's country was taken from its sentence (an actor whose
    // code names no country, given the one state the sentence names) rather
    // than from its code: 1 or 0; NULL for events stored before this version.
    r#"
ALTER TABLE events ADD COLUMN source_country_from_context INTEGER;
ALTER TABLE events ADD COLUMN target_country_from_context INTEGER;
"#,
    // 6: how precisely each event's date is known (`day`, `week`, `month`,
    // `year`, …) and where it comes from (`text`, `published`); and per
    // mention the ACLED-style counts the report gives (killed, wounded, the
    // size of the acting group). NULL for rows stored before this version.
    r#"
ALTER TABLE events ADD COLUMN date_precision TEXT;
ALTER TABLE events ADD COLUMN date_source TEXT;
ALTER TABLE event_mentions ADD COLUMN fatalities INTEGER;
ALTER TABLE event_mentions ADD COLUMN injuries INTEGER;
ALTER TABLE event_mentions ADD COLUMN size INTEGER;
"#,
    // 7: places. Each mention keeps where its report locates the event (a
    // GeoNames id, the ACLED-style geo precision 1–3, what it was read from:
    // `verb`, `sentence` or `article`, and the span of the name); each event
    // keeps the most precise of its mentions' places, with the place's
    // details, so that events can be filtered and mapped without a join.
    // `article_places` holds every place name an article has, resolved.
    // NULL for rows stored before this version.
    r#"
ALTER TABLE event_mentions ADD COLUMN place_id INTEGER;
ALTER TABLE event_mentions ADD COLUMN geo_precision INTEGER;
ALTER TABLE event_mentions ADD COLUMN place_basis TEXT;
ALTER TABLE event_mentions ADD COLUMN place_start INTEGER;
ALTER TABLE event_mentions ADD COLUMN place_end INTEGER;

ALTER TABLE events ADD COLUMN place_id INTEGER;
ALTER TABLE events ADD COLUMN place_name TEXT;
ALTER TABLE events ADD COLUMN place_country TEXT;
ALTER TABLE events ADD COLUMN place_admin1 TEXT;
ALTER TABLE events ADD COLUMN place_feature TEXT;
ALTER TABLE events ADD COLUMN place_level TEXT;
ALTER TABLE events ADD COLUMN lat REAL;
ALTER TABLE events ADD COLUMN lon REAL;
ALTER TABLE events ADD COLUMN geo_precision INTEGER;

CREATE TABLE article_places (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    "start"    INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    geonameid  INTEGER NOT NULL,
    name       TEXT NOT NULL,
    country    TEXT NOT NULL,
    admin1     TEXT NOT NULL,
    feature    TEXT NOT NULL,
    level      TEXT NOT NULL,
    lat        REAL NOT NULL,
    lon        REAL NOT NULL,
    PRIMARY KEY (article_id, "start")
) WITHOUT ROWID;

CREATE INDEX events_place_country ON events(place_country);
CREATE INDEX article_places_geonameid ON article_places(geonameid);
"#,
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`], one transaction per migration,
/// so a crash leaves the file at the last completed version. The version is read
/// inside each write transaction, so two processes opening a new file at once do
/// not apply the same migration twice.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    // Fast path without a write lock: the file is already current.
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let index = usize::try_from(found).map_err(|_| StoreError::OutOfRange {
            what: "schema version",
            value: found.to_string(),
        })?;
        let Some(sql) = MIGRATIONS.get(index) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}

/// The PostgreSQL schema, one entry per version as for SQLite; version 7 (the
/// first on PostgreSQL) creates the tables as SQLite's migrations 1–7 leave
/// them. Text is compared bytewise (`COLLATE "C"`), as SQLite does, so dates,
/// ids and cursors order the same on both backends; `ingest_errors.seq`
/// stands in for SQLite's implicit rowid.
#[cfg(feature = "postgres")]
const PG_MIGRATIONS: &[(i64, &str)] = &[(
    7,
    r#"
CREATE TABLE articles (
    id          TEXT COLLATE "C" PRIMARY KEY,
    source      TEXT NOT NULL,
    url         TEXT,
    title       TEXT,
    published   TEXT COLLATE "C",
    text        TEXT NOT NULL,
    ingested_at TEXT COLLATE "C" NOT NULL,
    site        TEXT COLLATE "C" NOT NULL,
    simhash     BIGINT
);

CREATE TABLE sentences (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        BIGINT NOT NULL,
    "start"    BIGINT NOT NULL,
    "end"      BIGINT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE events (
    id             TEXT COLLATE "C" PRIMARY KEY,
    gid            BIGINT NOT NULL UNIQUE,
    date           TEXT COLLATE "C",
    cameo          TEXT COLLATE "C" NOT NULL,
    root           TEXT COLLATE "C" NOT NULL,
    name           TEXT NOT NULL,
    quad_class     BIGINT NOT NULL,
    goldstein      DOUBLE PRECISION NOT NULL,
    plover         TEXT COLLATE "C",
    source_code    TEXT COLLATE "C" NOT NULL,
    source_name    TEXT NOT NULL,
    source_country TEXT COLLATE "C",
    source_sector  TEXT COLLATE "C",
    target_code    TEXT COLLATE "C",
    target_name    TEXT,
    target_country TEXT COLLATE "C",
    target_sector  TEXT COLLATE "C",
    first_seen     TEXT COLLATE "C" NOT NULL,
    num_mentions   BIGINT NOT NULL DEFAULT 0,
    num_articles   BIGINT NOT NULL DEFAULT 0,
    num_sources    BIGINT NOT NULL DEFAULT 0,
    source_country_from_context BIGINT,
    target_country_from_context BIGINT,
    date_precision TEXT,
    date_source    TEXT,
    place_id       BIGINT,
    place_name     TEXT,
    place_country  TEXT COLLATE "C",
    place_admin1   TEXT COLLATE "C",
    place_feature  TEXT,
    place_level    TEXT COLLATE "C",
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    geo_precision  BIGINT
);

CREATE TABLE event_mentions (
    event_id      TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id    TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence      BIGINT NOT NULL,
    "start"       BIGINT NOT NULL,
    "end"         BIGINT NOT NULL,
    verb_start    BIGINT NOT NULL,
    verb_end      BIGINT NOT NULL,
    source_start  BIGINT,
    source_end    BIGINT,
    target_start  BIGINT,
    target_end    BIGINT,
    sentence_text TEXT NOT NULL,
    mode          TEXT,
    pattern       TEXT,
    confidence    DOUBLE PRECISION,
    fatalities    BIGINT,
    injuries      BIGINT,
    size          BIGINT,
    place_id      BIGINT,
    geo_precision BIGINT,
    place_basis   TEXT,
    place_start   BIGINT,
    place_end     BIGINT,
    PRIMARY KEY (event_id, article_id, sentence, verb_start)
);

CREATE TABLE ingest_errors (
    seq    BIGSERIAL PRIMARY KEY,
    input  TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);

CREATE TABLE event_sources (
    event_id TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    site     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (event_id, site)
);

CREATE TABLE article_bands (
    band       BIGINT NOT NULL,
    value      BIGINT NOT NULL,
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, value, article_id)
);

CREATE TABLE article_copies (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    copy_id    TEXT COLLATE "C" NOT NULL,
    source     TEXT NOT NULL,
    url        TEXT,
    site       TEXT COLLATE "C" NOT NULL,
    title      TEXT,
    published  TEXT,
    similarity DOUBLE PRECISION NOT NULL,
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (article_id, copy_id)
);

CREATE TABLE article_places (
    article_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    "start"    BIGINT NOT NULL,
    "end"      BIGINT NOT NULL,
    text       TEXT NOT NULL,
    geonameid  BIGINT NOT NULL,
    name       TEXT NOT NULL,
    country    TEXT COLLATE "C" NOT NULL,
    admin1     TEXT COLLATE "C" NOT NULL,
    feature    TEXT NOT NULL,
    level      TEXT COLLATE "C" NOT NULL,
    lat        DOUBLE PRECISION NOT NULL,
    lon        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (article_id, "start")
);

CREATE INDEX events_date ON events(date NULLS FIRST, id);
CREATE INDEX events_root ON events(root);
CREATE INDEX events_source_code ON events(source_code);
CREATE INDEX events_target_code ON events(target_code);
CREATE INDEX events_place_country ON events(place_country);
CREATE INDEX event_mentions_article ON event_mentions(article_id);
CREATE INDEX article_copies_copy ON article_copies(copy_id);
CREATE INDEX article_places_geonameid ON article_places(geonameid);
"#,
)];

/// Brings a PostgreSQL database up to [`SCHEMA_VERSION`]. The version is
/// kept in `pulse_schema`; migrations run under the writers' advisory lock,
/// so two processes connecting to a new database at once apply each once.
#[cfg(feature = "postgres")]
pub(crate) fn migrate_postgres(conn: &crate::postgres::PgConn) -> Result<(), StoreError> {
    use crate::sql::Conn;
    // under the writers' lock; rolled back if any step fails
    let tx = (conn as &dyn Conn).transaction(true)?;
    conn.batch("CREATE TABLE IF NOT EXISTS pulse_schema (version BIGINT NOT NULL)")?;
    let found = match tx
        .rows("SELECT MAX(version) FROM pulse_schema", &[])?
        .first()
    {
        Some(row) => row.opt_int(0)?.unwrap_or(0),
        None => 0,
    };
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for &(version, sql) in PG_MIGRATIONS {
        if version > found {
            conn.batch(sql)?;
            tx.exec(
                "INSERT INTO pulse_schema (version) VALUES (?1)",
                &[crate::sql::Val::Int(version)],
            )?;
        }
    }
    tx.commit()
}
