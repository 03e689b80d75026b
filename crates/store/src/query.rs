//! Reading events back: filters, the stored event and mention records, paging.

use crate::sql::{Conn, Row, Val};
use crate::util::{is_date_bound, like_escape};
use crate::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Events are read from the database this many at a time, so exports of any size
/// run in bounded memory.
const PAGE: usize = 500;

/// Which events to read. Every field is optional; set fields must all match.
/// Values are always passed to the database as parameters, never spliced into SQL.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventFilter {
    /// First date, inclusive: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for the start of a
    /// month or year. A value that is not a date matches no event.
    pub from: Option<String>,
    /// Last date, inclusive: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` for a whole month or
    /// year. A value that is not a date matches no event.
    pub to: Option<String>,
    /// Matches the source or the target actor: a case-insensitive prefix of the
    /// actor code (`AFG` matches `AFGGOV`) or a case-insensitive (ASCII) substring
    /// of the actor's name as written.
    pub actor: Option<String>,
    /// Three-letter country code of the source or the target actor (any case).
    pub country: Option<String>,
    /// CAMEO root (`19`) or a prefix of the full event code (`193`).
    pub root: Option<String>,
    /// QuadClass, 1 to 4.
    pub quad: Option<u8>,
    /// ISO 3166 alpha-2 code of the country where the event happened (any case);
    /// events without a place do not match.
    #[serde(default)]
    pub place_country: Option<String>,
    /// PLOVER event type (`ASSAULT`, `PROTEST`; any case).
    #[serde(default)]
    pub plover: Option<String>,
    /// Bounding box of the event's place: `[min_lon, min_lat, max_lon, max_lat]`
    /// in degrees, edges included; a box with `min_lon > max_lon` crosses the
    /// antimeridian. Events without a place do not match, nor does any event
    /// when a value is not finite or `min_lat > max_lat`.
    #[serde(default)]
    pub bbox: Option<[f64; 4]>,
    /// At most this many events; all when `None`.
    pub limit: Option<usize>,
    /// Skip this many events first (in the `(date, id)` order).
    pub offset: usize,
    /// Start after this event of the `(date, id)` order: a cursor
    /// (`DATE~ID`, `~ID` for an undated event; see [`cursor_of`]). Unlike
    /// `offset`, a page read by cursor is stable while an ingest adds
    /// events before it. A cursor that is not one matches no event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// The cursor of an event for [`EventFilter::after`]: the next page starts
/// after it.
pub fn cursor_of(e: &StoredEvent) -> String {
    format!("{}~{}", e.date.as_deref().unwrap_or(""), e.id)
}

/// A cursor read back: `(date, id)`; `None` when it is not a cursor.
fn parse_cursor(c: &str) -> Option<(Option<String>, String)> {
    let (date, id) = c.split_once('~')?;
    if id.is_empty() {
        return None;
    }
    Some(((!date.is_empty()).then(|| date.to_string()), id.to_string()))
}

/// One merged event as stored, with every article sentence that reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEvent {
    /// Stable id: hash of the coded content (date, actors, code).
    pub id: String,
    /// Stable integer id given when the event was first stored (GDELT's GLOBALEVENTID).
    pub global_id: i64,
    /// Event date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Full CAMEO event code.
    pub cameo: String,
    /// CAMEO root code (two digits).
    pub root: String,
    /// Name of the CAMEO code.
    pub name: String,
    /// QuadClass, 1 to 4.
    pub quad_class: u8,
    /// Goldstein score, −10 to +10.
    pub goldstein: f64,
    /// PLOVER event type.
    pub plover: Option<String>,
    /// Source actor's CAMEO code.
    pub source_code: String,
    /// Source actor's name as first written.
    pub source_name: String,
    /// Source actor's country part of the code.
    pub source_country: Option<String>,
    /// How precisely `date` is known (`day`, `week`, `month`, `year`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<String>,
    /// Where `date` comes from: `text` or `published`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<String>,
    /// Whether the source's country was taken from its sentence (its code
    /// names none) rather than from its code.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub source_country_from_context: bool,
    /// Source actor's sector/role part of the code.
    pub source_sector: Option<String>,
    /// Target actor's CAMEO code.
    pub target_code: Option<String>,
    /// Target actor's name as first written.
    pub target_name: Option<String>,
    /// Target actor's country part of the code.
    pub target_country: Option<String>,
    /// Whether the target's country was taken from its sentence.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub target_country_from_context: bool,
    /// Target actor's sector/role part of the code.
    pub target_sector: Option<String>,
    /// When the event was first stored (RFC 3339, UTC).
    pub first_seen: String,
    /// Number of mentions (sentences reporting it).
    pub num_mentions: u64,
    /// Number of distinct articles reporting it.
    pub num_articles: u64,
    /// Number of distinct sites (URL hosts, or source names without a URL) reporting it.
    pub num_sources: u64,
    /// Where the event happened: the most precise place its reports give.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<StoredPlace>,
    /// The mentions, first stored first.
    pub mentions: Vec<Mention>,
}

/// Where a stored event happened (see `pulse_code::EventPlace`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredPlace {
    /// GeoNames id (US counties have synthetic ids, see `pulse_geo`).
    pub geonameid: u32,
    /// The place's name.
    pub name: String,
    /// ISO 3166 alpha-2 country code.
    pub country: String,
    /// Name of its first-order administrative division.
    pub admin1: String,
    /// GeoNames feature class and code (`P.PPLC`).
    pub feature: String,
    /// `country`, `admin1`, `admin2`, `city` or `other`.
    pub level: String,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// ACLED-style geo precision: 1 town, 2 near a town or a district, 3 a
    /// province, region or country.
    pub geo_precision: u8,
}

/// Where one report locates its event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionPlace {
    /// GeoNames id of the place.
    pub geonameid: u32,
    /// ACLED-style geo precision, 1 to 3.
    pub geo_precision: u8,
    /// What it was read from: `verb`, `sentence` or `article`.
    pub basis: String,
    /// The place's name in the article text.
    pub span: MentionSpan,
}

/// A byte span in an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionSpan {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// One report of an event: the article sentence it was coded from (provenance).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The article's id.
    pub article_id: String,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// Byte offset where the sentence starts in the article text.
    pub start: usize,
    /// Byte offset where the sentence ends.
    pub end: usize,
    /// The sentence text.
    pub sentence_text: String,
    /// The article's URL, when known.
    pub url: Option<String>,
    /// The input the article was read from (`path`, `path:LINE`, `<stdin>`).
    pub article_source: String,
    /// The article's headline, when known.
    pub title: Option<String>,
    /// The article's publication date, when known.
    pub published: Option<String>,
    /// The verb (or event noun) that triggered the code.
    pub verb: MentionSpan,
    /// The source actor's words.
    pub source_span: Option<MentionSpan>,
    /// The target actor's words.
    pub target_span: Option<MentionSpan>,
    /// How the sentence asserts the event: absent for a fact, `future` for
    /// an announced act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// The dictionary entry that coded it (`verb block: pattern`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The coder's confidence, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The counts this report gives (killed, wounded, group size).
    #[serde(flatten)]
    pub counts: pulse_code::Counts,
    /// Where this report locates the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<MentionPlace>,
}

/// A filter turned into SQL conditions (constant text) and their parameters.
pub(crate) struct Conditions {
    pub(crate) clauses: Vec<&'static str>,
    pub(crate) params: Vec<Val>,
}

impl Conditions {
    /// The conditions of `f`, or `None` when `f` can match no event
    /// (a date bound that is not a date, an impossible bounding box).
    pub(crate) fn of(f: &EventFilter) -> Option<Conditions> {
        let mut c = Conditions {
            clauses: Vec::new(),
            params: Vec::new(),
        };
        let given = |v: &Option<String>| -> Option<String> {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(from) = given(&f.from) {
            if !is_date_bound(&from) {
                return None;
            }
            c.clauses.push("date >= ?");
            c.params.push(Val::Text(from));
        }
        if let Some(to) = given(&f.to) {
            if !is_date_bound(&to) {
                return None;
            }
            // '~' sorts after digits and '-', so `2024-03~` takes in all of March.
            c.clauses.push("date <= ?");
            c.params.push(Val::Text(format!("{to}~")));
        }
        if let Some(actor) = given(&f.actor) {
            let escaped = like_escape(&actor);
            c.clauses.push(
                r"(source_code LIKE UPPER(?) ESCAPE '\' OR target_code LIKE UPPER(?) ESCAPE '\'
                   OR UPPER(source_name) LIKE UPPER(?) ESCAPE '\'
                   OR UPPER(target_name) LIKE UPPER(?) ESCAPE '\')",
            );
            let prefix = Val::Text(format!("{escaped}%"));
            let infix = Val::Text(format!("%{escaped}%"));
            c.params
                .extend([prefix.clone(), prefix, infix.clone(), infix]);
        }
        if let Some(country) = given(&f.country) {
            c.clauses
                .push("(source_country = UPPER(?) OR target_country = UPPER(?))");
            c.params
                .extend([Val::Text(country.clone()), Val::Text(country)]);
        }
        if let Some(root) = given(&f.root) {
            if root.len() == 2 && root.bytes().all(|b| b.is_ascii_digit()) {
                c.clauses.push("root = ?");
                c.params.push(Val::Text(root));
            } else {
                c.clauses.push(r"cameo LIKE ? ESCAPE '\'");
                c.params.push(Val::Text(format!("{}%", like_escape(&root))));
            }
        }
        if let Some(quad) = f.quad {
            c.clauses.push("quad_class = ?");
            c.params.push(Val::Int(i64::from(quad)));
        }
        if let Some(country) = given(&f.place_country) {
            c.clauses.push("place_country = UPPER(?)");
            c.params.push(Val::Text(country));
        }
        if let Some(plover) = given(&f.plover) {
            c.clauses.push("plover = UPPER(?)");
            c.params.push(Val::Text(plover));
        }
        if let Some([min_lon, min_lat, max_lon, max_lat]) = f.bbox {
            let finite = [min_lon, min_lat, max_lon, max_lat]
                .iter()
                .all(|v| v.is_finite());
            if !finite || min_lat > max_lat {
                return None;
            }
            c.clauses.push(if min_lon <= max_lon {
                "lat >= ? AND lat <= ? AND lon >= ? AND lon <= ?"
            } else {
                "lat >= ? AND lat <= ? AND (lon >= ? OR lon <= ?)"
            });
            c.params
                .extend([min_lat, max_lat, min_lon, max_lon].map(Val::Real));
        }
        Some(c)
    }
}

/// The events columns read into a [`StoredEvent`], in [`event_from_row`]'s order.
const EVENT_COLUMNS: &str = "gid, id, date, cameo, root, name, quad_class, goldstein, plover,
    source_code, source_name, source_country, source_sector,
    target_code, target_name, target_country, target_sector,
    first_seen, num_mentions, num_articles, num_sources,
    source_country_from_context, target_country_from_context, date_precision, date_source,
    place_id, place_name, place_country, place_admin1, place_feature, place_level, lat, lon,
    geo_precision";

fn event_from_row(r: &Row) -> Result<StoredEvent, StoreError> {
    Ok(StoredEvent {
        global_id: r.int(0)?,
        id: r.text(1)?,
        date: r.opt_text(2)?,
        cameo: r.text(3)?,
        root: r.text(4)?,
        name: r.text(5)?,
        quad_class: r.uint(6)?,
        goldstein: r.real(7)?,
        plover: r.opt_text(8)?,
        source_code: r.text(9)?,
        source_name: r.text(10)?,
        source_country: r.opt_text(11)?,
        source_sector: r.opt_text(12)?,
        target_code: r.opt_text(13)?,
        target_name: r.opt_text(14)?,
        target_country: r.opt_text(15)?,
        target_sector: r.opt_text(16)?,
        first_seen: r.text(17)?,
        num_mentions: r.uint(18)?,
        num_articles: r.uint(19)?,
        num_sources: r.uint(20)?,
        source_country_from_context: r.opt_bool(21)?.unwrap_or(false),
        target_country_from_context: r.opt_bool(22)?.unwrap_or(false),
        date_precision: r.opt_text(23)?,
        date_source: r.opt_text(24)?,
        place: match r.opt_uint::<u32>(25)? {
            Some(geonameid) => Some(StoredPlace {
                geonameid,
                name: r.opt_text(26)?.unwrap_or_default(),
                country: r.opt_text(27)?.unwrap_or_default(),
                admin1: r.opt_text(28)?.unwrap_or_default(),
                feature: r.opt_text(29)?.unwrap_or_default(),
                level: r.opt_text(30)?.unwrap_or_default(),
                lat: r.opt_real(31)?.unwrap_or_default(),
                lon: r.opt_real(32)?.unwrap_or_default(),
                geo_precision: r.opt_uint(33)?.unwrap_or(3),
            }),
            None => None,
        },
        mentions: Vec::new(),
    })
}

/// Reads events with the given WHERE clause (constant SQL) and parameters.
fn load_events(
    conn: &dyn Conn,
    where_sql: &str,
    params: &[Val],
) -> Result<Vec<StoredEvent>, StoreError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE {where_sql}");
    conn.rows(&sql, params)?
        .iter()
        .map(event_from_row)
        .collect()
}

/// The `(start, end)` columns `s` and `e` of `r` as a span, when both are set.
fn span(r: &Row, s: usize, e: usize) -> Result<Option<MentionSpan>, StoreError> {
    let start: Option<usize> = r.opt_uint(s)?;
    let end: Option<usize> = r.opt_uint(e)?;
    Ok(start
        .zip(end)
        .map(|(start, end)| MentionSpan { start, end }))
}

/// One row of [`attach_mentions`]' query as a mention.
fn mention_from_row(r: &Row) -> Result<Mention, StoreError> {
    Ok(Mention {
        article_id: r.text(1)?,
        sentence: r.uint(2)?,
        start: r.uint(3)?,
        end: r.uint(4)?,
        verb: MentionSpan {
            start: r.uint(5)?,
            end: r.uint(6)?,
        },
        source_span: span(r, 7, 8)?,
        target_span: span(r, 9, 10)?,
        sentence_text: r.text(11)?,
        url: r.opt_text(12)?,
        article_source: r.text(13)?,
        title: r.opt_text(14)?,
        published: r.opt_text(15)?,
        mode: r.opt_text(16)?,
        pattern: r.opt_text(17)?,
        confidence: r.opt_real(18)?,
        counts: pulse_code::Counts {
            fatalities: r.opt_uint(19)?,
            injuries: r.opt_uint(20)?,
            size: r.opt_uint(21)?,
        },
        place: match (r.opt_uint::<u32>(22)?, span(r, 25, 26)?) {
            (Some(geonameid), Some(span)) => Some(MentionPlace {
                geonameid,
                geo_precision: r.opt_uint(23)?.unwrap_or(3),
                basis: r.opt_text(24)?.unwrap_or_default(),
                span,
            }),
            _ => None,
        },
    })
}

/// Fills in the mentions of `events` with one query per [`PAGE`] events.
fn attach_mentions(conn: &dyn Conn, events: &mut [StoredEvent]) -> Result<(), StoreError> {
    for chunk in events.chunks_mut(PAGE) {
        let placeholders = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            r#"SELECT m.event_id, m.article_id, m.sentence, m."start", m."end",
                      m.verb_start, m.verb_end, m.source_start, m.source_end,
                      m.target_start, m.target_end, m.sentence_text,
                      a.url, a.source, a.title, a.published,
                      m.mode, m.pattern, m.confidence, m.fatalities, m.injuries, m.size,
                      m.place_id, m.geo_precision, m.place_basis, m.place_start, m.place_end
               FROM event_mentions m JOIN articles a ON a.id = m.article_id
               WHERE m.event_id IN ({placeholders})
               ORDER BY m.event_id, a.ingested_at, m.article_id, m.sentence, m.verb_start"#
        );
        let ids: Vec<Val> = chunk.iter().map(|e| Val::from(&e.id)).collect();
        let mut by_event: HashMap<String, Vec<Mention>> = HashMap::new();
        for r in conn.rows(&sql, &ids)? {
            by_event
                .entry(r.text(0)?)
                .or_default()
                .push(mention_from_row(&r)?);
        }
        for ev in chunk.iter_mut() {
            ev.mentions = by_event.remove(&ev.id).unwrap_or_default();
        }
    }
    Ok(())
}

/// An SQL integer for LIMIT/OFFSET; values beyond `i64` are clamped (no such table exists).
fn sql_count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// The events matching `f`, ordered by `(date, id)` (events without a date
    /// first), so `limit`/`offset` pages are stable; each with its mentions.
    pub fn query(&self, f: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        let mut out = Vec::new();
        self.scan(f, |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// One event by id, with its mentions; `None` when no event has this id.
    pub fn event(&self, id: &str) -> Result<Option<StoredEvent>, StoreError> {
        let tx = self.conn.transaction(false)?;
        let mut events = load_events(&*tx, "id = ?", &[Val::from(id)])?;
        attach_mentions(&*tx, &mut events)?;
        tx.commit()?;
        Ok(events.pop())
    }

    /// Calls `visit` with each event matching `f` in `(date, id)` order, reading
    /// [`PAGE`] events at a time inside one read transaction (a consistent
    /// snapshot); returns how many were visited.
    pub(crate) fn scan(
        &self,
        f: &EventFilter,
        mut visit: impl FnMut(StoredEvent) -> Result<(), StoreError>,
    ) -> Result<usize, StoreError> {
        let Some(cond) = Conditions::of(f) else {
            return Ok(0);
        };
        let tx = self.conn.transaction(false)?;
        let mut remaining = f.limit.unwrap_or(usize::MAX);
        let mut offset = f.offset;
        // The (date, id) of the last event read: later pages start after it.
        let mut after: Option<(Option<String>, String)> = match f.after.as_deref() {
            Some(c) => match parse_cursor(c) {
                Some(at) => Some(at),
                None => return Ok(0),
            },
            None => None,
        };
        let mut visited = 0;
        while remaining > 0 {
            let page = remaining.min(PAGE);
            let mut clauses: Vec<&str> = cond.clauses.clone();
            let mut params = cond.params.clone();
            match &after {
                None => {}
                Some((None, id)) => {
                    clauses.push("((date IS NULL AND id > ?) OR date IS NOT NULL)");
                    params.push(Val::Text(id.clone()));
                }
                Some((Some(date), id)) => {
                    clauses.push("(date > ? OR (date = ? AND id > ?))");
                    params.push(Val::Text(date.clone()));
                    params.push(Val::Text(date.clone()));
                    params.push(Val::Text(id.clone()));
                }
            }
            let mut where_sql = if clauses.is_empty() {
                "1 = 1".to_string()
            } else {
                clauses.join(" AND ")
            };
            where_sql.push_str(" ORDER BY date NULLS FIRST, id LIMIT ? OFFSET ?");
            params.push(Val::Int(sql_count(page)));
            params.push(Val::Int(sql_count(offset)));
            let mut events = load_events(&*tx, &where_sql, &params)?;
            attach_mentions(&*tx, &mut events)?;
            let n = events.len();
            after = events.last().map(|e| (e.date.clone(), e.id.clone()));
            for e in events {
                visit(e)?;
            }
            visited += n;
            remaining -= n;
            offset = 0;
            if n < page {
                break;
            }
        }
        tx.commit()?;
        Ok(visited)
    }
}

/// One stored article with what pulse kept of it: its text, sentence spans,
/// the events it reports, the places it names and its recorded copies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredArticle {
    /// The article's id (a hash of its normalised text).
    pub id: String,
    /// The input it was read from.
    pub source: String,
    /// Its URL, when known.
    pub url: Option<String>,
    /// Its headline, when known.
    pub title: Option<String>,
    /// Its publication date, when known.
    pub published: Option<String>,
    /// When it was stored (UTC).
    pub ingested_at: String,
    /// The site that counts as its source.
    pub site: String,
    /// The text that was analysed.
    pub text: String,
    /// The byte span of each sentence, in order.
    pub sentences: Vec<MentionSpan>,
    /// Ids of the events it reports, in the store's `(date, id)` order.
    pub events: Vec<String>,
    /// The place names it contains, resolved.
    pub places: Vec<ArticlePlace>,
    /// Near-duplicates of it that were recorded instead of stored.
    pub copies: Vec<ArticleCopy>,
}

/// A place name in an article and the place it was resolved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticlePlace {
    /// Byte span of the name in the article text.
    pub span: MentionSpan,
    /// The name as written.
    pub text: String,
    /// The place; its `geo_precision` is what the name alone would give an
    /// event it locates (1 a town, 2 a district, 3 wider).
    #[serde(flatten)]
    pub place: StoredPlace,
}

/// A recorded near-duplicate (syndicated copy, updated version) of an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleCopy {
    /// The copy's own id.
    pub id: String,
    /// The input it was read from.
    pub source: String,
    /// Its URL, when known.
    pub url: Option<String>,
    /// Its site.
    pub site: String,
    /// Its headline, when known.
    pub title: Option<String>,
    /// Its publication date, when known.
    pub published: Option<String>,
    /// Shingle overlap with the stored text, 0–1.
    pub similarity: f64,
}

impl Store {
    /// One article by id with its sentences, events, places and copies;
    /// `None` when no article has this id.
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>, StoreError> {
        let tx = self.conn.transaction(false)?;
        let key = [Val::from(id)];
        let Some(r) = tx.row(
            "SELECT id, source, url, title, published, ingested_at, site, text
             FROM articles WHERE id = ?",
            &key,
        )?
        else {
            return Ok(None);
        };
        let sentences = tx
            .rows(
                r#"SELECT "start", "end" FROM sentences WHERE article_id = ? ORDER BY idx"#,
                &key,
            )?
            .iter()
            .map(|s| {
                Ok(MentionSpan {
                    start: s.uint(0)?,
                    end: s.uint(1)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let events = tx
            .rows(
                "SELECT id FROM events WHERE id IN
                     (SELECT event_id FROM event_mentions WHERE article_id = ?)
                 ORDER BY date NULLS FIRST, id",
                &key,
            )?
            .iter()
            .map(|e| e.text(0))
            .collect::<Result<_, _>>()?;
        let places = tx
            .rows(
                r#"SELECT "start", "end", text, geonameid, name, country, admin1, feature,
                          level, lat, lon
                   FROM article_places WHERE article_id = ? ORDER BY "start""#,
                &key,
            )?
            .iter()
            .map(|p| {
                let level = p.text(8)?;
                Ok(ArticlePlace {
                    span: MentionSpan {
                        start: p.uint(0)?,
                        end: p.uint(1)?,
                    },
                    text: p.text(2)?,
                    place: StoredPlace {
                        geonameid: p.uint(3)?,
                        name: p.text(4)?,
                        country: p.text(5)?,
                        admin1: p.text(6)?,
                        feature: p.text(7)?,
                        geo_precision: pulse_geo::Level::from_name(&level)
                            .map_or(3, pulse_code::locate::precision_of_level),
                        level,
                        lat: p.real(9)?,
                        lon: p.real(10)?,
                    },
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let copies = tx
            .rows(
                "SELECT copy_id, source, url, site, title, published, similarity
                 FROM article_copies WHERE article_id = ? ORDER BY seen_at, copy_id",
                &key,
            )?
            .iter()
            .map(|c| {
                Ok(ArticleCopy {
                    id: c.text(0)?,
                    source: c.text(1)?,
                    url: c.opt_text(2)?,
                    site: c.text(3)?,
                    title: c.opt_text(4)?,
                    published: c.opt_text(5)?,
                    similarity: c.real(6)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let article = StoredArticle {
            id: r.text(0)?,
            source: r.text(1)?,
            url: r.opt_text(2)?,
            title: r.opt_text(3)?,
            published: r.opt_text(4)?,
            ingested_at: r.text(5)?,
            site: r.text(6)?,
            text: r.text(7)?,
            sentences,
            events,
            places,
            copies,
        };
        tx.commit()?;
        Ok(Some(article))
    }
}
