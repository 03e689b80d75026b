//! The HTTP API over a pulse event store (`pulse serve`): read-only JSON
//! for analysts' tools and the dashboard.
//!
//! Routes:
//!
//! * `GET /api/health`: the store's row counts and schema version;
//! * `GET /api/events`: merged events matching the query parameters
//!   `from`, `to` (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), `actor` (code prefix
//!   or part of a name), `country` (three-letter actor country), `root`
//!   (CAMEO root or code prefix), `quad` (1–4), `limit` (at most
//!   [`MAX_PAGE`], default [`DEFAULT_PAGE`]), `offset` and `after` (a
//!   cursor), in `(date, id)` order, with `next_offset` and `next_after`
//!   for the next page (by cursor, pages stay stable while an ingest adds
//!   events);
//! * `GET /api/events/{id}`: one event with every mention: the article,
//!   the sentence and the byte spans of source, target, verb and place in
//!   it (its evidence);
//! * `GET /api/aggregate`: events and fatalities per `by` (`day`, `week`,
//!   `month`), optionally per `group` (`root`, `quad`, `country`,
//!   `place-country`), over the same filters;
//! * `GET /api/alerts`: the trend alerts (`by`, `min_count`,
//!   `max_series`, at most [`MAX_SERIES`]), each with its sentence.
//!
//! * `GET /api/openapi.json`: an OpenAPI 3.0 description of all of this;
//! * `GET /`: the dashboard (map, timeline, filters, table, evidence), a
//!   page with one script and one style sheet, all compiled into the binary
//!   (see [`ASSETS`]); nothing is read from disk or fetched from elsewhere.
//!
//! Filters also include `place_country` (ISO2), `plover` and `bbox`
//! (`min_lon,min_lat,max_lon,max_lat`).
//!
//! Every error is JSON, `{"error": "…"}`, with its status: 400 for a bad
//! parameter (named in the message), 404 for an unknown event or route, 500
//! for a store that cannot be read. An unknown path outside `/api` is a plain
//! 404: only the files named in [`ASSETS`] are served, so no path can reach
//! the file system.
//!
//! * `GET /api/articles/{id}`: one stored article: its text, sentence
//!   spans, the events it reports, the places it names and its copies;
//! * `POST /api/ingest`: only when the server was started with an ingest
//!   token ([`IngestConfig`]); the client sends `Authorization: Bearer
//!   TOKEN` (compared in constant time) and a body of at most
//!   [`MAX_INGEST_BYTES`]: JSON Lines (one article per line, as `pulse
//!   ingest` reads them), an HTML page or plain text; the answer counts what
//!   was stored, merged and refused. Without a token the server is
//!   read-only and answers 403.
//!
//! The database is an SQLite file or a PostgreSQL URL. Requests run on
//! blocking threads, each with a store connection taken from a pool of at
//! most [`MAX_CONNECTIONS`] (reused between requests), so a slow query does
//! not stall the others and a burst of clients cannot exhaust the server's
//! connections; with SQLite in WAL mode readers never block the ingest that
//! writes.

#![warn(missing_docs)]

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use pulse_store::{AlertOptions, EventFilter, GroupBy, Period, Store};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Events per page when the query does not say.
pub const DEFAULT_PAGE: usize = 50;
/// The most events one request returns, whatever `limit` says.
pub const MAX_PAGE: usize = 500;

/// Errors of starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database file does not exist (the server never creates one).
    #[error("{0}: no such database (ingest articles into it first)")]
    NoDatabase(String),
    /// The database cannot be opened or read.
    #[error(transparent)]
    Store(#[from] pulse_store::StoreError),
    /// The server's start-up task failed.
    #[error("the server could not start: {0}")]
    Startup(String),
    /// The address cannot be bound or the server failed.
    #[error("{addr}: {source}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// An API error: a status and a message, sent as `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }

    fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, message)
    }

    fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, message)
    }

    fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }

    fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let unauthorized = self.status == StatusCode::UNAUTHORIZED;
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        if unauthorized {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// The most store connections in use at once (and kept open between
/// requests); further requests wait for one.
pub const MAX_CONNECTIONS: usize = 16;

/// The largest body `POST /api/ingest` accepts.
pub const MAX_INGEST_BYTES: usize = 16 << 20;

/// The longest query string any route accepts.
pub const MAX_QUERY_BYTES: usize = 4096;

/// How long the queries of one read request may run before they are
/// stopped and the request answers 503.
pub const QUERY_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// One `POST /api/ingest` request, as the ingest function sees it.
#[derive(Debug, Clone)]
pub struct IngestRequest {
    /// A name for the body (`api-ingest-N`), used in error records.
    pub name: String,
    /// The body: JSON Lines, HTML or text (sniffed, as `pulse ingest` does
    /// for stdin), possibly gzipped.
    pub body: Bytes,
    /// The `published` query parameter (`YYYY-MM-DD`): the publication
    /// date of articles that give none.
    pub published: Option<String>,
}

/// Why an ingest failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestFailure {
    /// The body or a parameter cannot be read at all (a 400).
    BadRequest(String),
    /// The store failed (a 500); what was stored before stays stored.
    Store(String),
}

/// Codes and stores one ingest body into the store; answers a JSON summary
/// of what was stored, merged and refused.
pub type IngestFn =
    dyn Fn(&mut Store, &IngestRequest) -> Result<Value, IngestFailure> + Send + Sync;

/// What enables `POST /api/ingest`: the token clients must send and the
/// function that codes and stores what they send (the pipeline lives in
/// the binary, which hands it in here, so this crate depends on the store
/// only).
#[derive(Clone)]
pub struct IngestConfig {
    /// The secret clients present as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// Codes and stores one body.
    pub ingest: Arc<IngestFn>,
}

impl std::fmt::Debug for IngestConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IngestConfig { token: \"***\", .. }")
    }
}

/// Open stores kept between requests, and the permits that bound how many
/// are in use.
struct Pool {
    db: String,
    idle: Mutex<Vec<Store>>,
    permits: Arc<Semaphore>,
}

impl Pool {
    /// An idle store, or a new connection.
    fn take(&self) -> Result<Store, pulse_store::StoreError> {
        let idle = self.idle.lock().ok().and_then(|mut v| v.pop());
        match idle {
            Some(store) => Ok(store),
            None => Store::connect(&self.db),
        }
    }

    /// Keeps a store that served a request well for the next one.
    fn give_back(&self, store: Store) {
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < MAX_CONNECTIONS {
                idle.push(store);
            }
        }
    }
}

impl Drop for Pool {
    /// Closes the idle connections on a thread of their own: a PostgreSQL
    /// client owns a small runtime, which must not be dropped on one of the
    /// server's async threads (the pool is dropped there at shutdown).
    fn drop(&mut self) {
        let idle = match self.idle.get_mut() {
            Ok(v) => std::mem::take(v),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        if !idle.is_empty() {
            let _ = std::thread::spawn(move || drop(idle)).join();
        }
    }
}

/// What every handler shares: the connection pool and the ingest
/// configuration, if any.
struct AppState {
    pool: Arc<Pool>,
    ingest: Option<IngestConfig>,
    /// How many ingest bodies have been received, to name them.
    ingests: std::sync::atomic::AtomicU64,
}

/// The API's routes over the database `db` (an SQLite file or a PostgreSQL
/// URL), read-only.
pub fn router(db: &str) -> Router {
    router_with(db, None)
}

/// The API's routes over `db`, accepting `POST /api/ingest` when `ingest`
/// is given.
pub fn router_with(db: &str, ingest: Option<IngestConfig>) -> Router {
    let state = Arc::new(AppState {
        pool: Arc::new(Pool {
            db: db.to_string(),
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
        }),
        ingest,
        ingests: std::sync::atomic::AtomicU64::new(0),
    });
    Router::new()
        .route("/api/health", get(health))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
        .route("/api/articles/{id}", get(article))
        .route(
            "/api/ingest",
            post(ingest_body).layer(DefaultBodyLimit::max(MAX_INGEST_BYTES)),
        )
        .route("/api/aggregate", get(aggregate))
        .route("/api/alerts", get(alerts))
        .route("/api/openapi.json", get(|| async { Json(openapi()) }))
        .route("/", get(|| async { asset("/index.html") }))
        .route(
            "/{file}",
            get(|UrlPath(file): UrlPath<String>| async move { asset(&format!("/{file}")) }),
        )
        .fallback(not_found)
        .with_state(state)
}

/// The dashboard's files, compiled into the binary: URL path, media type
/// and content. The only files the server ever sends.
pub const ASSETS: [(&str, &str, &[u8]); 5] = [
    (
        "/index.html",
        "text/html; charset=utf-8",
        include_bytes!("../web/index.html"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../web/app.js"),
    ),
    (
        "/app.css",
        "text/css; charset=utf-8",
        include_bytes!("../web/app.css"),
    ),
    (
        "/countries-110m.json",
        "application/json",
        include_bytes!("../web/countries-110m.json"),
    ),
    (
        "/favicon.svg",
        "image/svg+xml",
        include_bytes!("../web/favicon.svg"),
    ),
];

/// What the dashboard's page may load: its own files and API, nothing else.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// The embedded file at `path`, or a 404 when there is none.
fn asset(path: &str) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, media, body)) => (
            [
                (header::CONTENT_TYPE, *media),
                (header::CONTENT_SECURITY_POLICY, CSP),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *body,
        )
            .into_response(),
        None => not_found_at(path),
    }
}

/// The 404 of an unknown `path`: JSON under `/api` (clients of the API
/// read JSON), plain text elsewhere.
fn not_found_at(path: &str) -> Response {
    if path == "/api" || path.starts_with("/api/") {
        ApiError::not_found("no such route").into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "not found\n",
        )
            .into_response()
    }
}

/// The fallback route: a 404 for any path no route serves.
async fn not_found(uri: Uri) -> Response {
    not_found_at(uri.path())
}

/// Serve the API over the database `db` (an SQLite file that must exist, or
/// a PostgreSQL URL) on `addr` until Ctrl-C; read-only unless `ingest` is
/// given.
pub async fn serve(
    db: &str,
    addr: SocketAddr,
    ingest: Option<IngestConfig>,
) -> Result<(), ServerError> {
    if !pulse_store::is_postgres_url(db) && !Path::new(db).exists() {
        return Err(ServerError::NoDatabase(db.to_string()));
    }
    // fail now, not on the first request, when the database is no pulse
    // store (on a blocking thread: the PostgreSQL client blocks)
    let probe = db.to_string();
    tokio::task::spawn_blocking(move || Store::connect(&probe).map(drop))
        .await
        .map_err(|e| ServerError::Startup(e.to_string()))??;
    let io = |source| ServerError::Io { addr, source };
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(io)?;
    let local = listener.local_addr().map_err(io)?;
    tracing::info!("serving {} on http://{local}", pulse_store::display_db(db));
    axum::serve(listener, router_with(db, ingest))
        .with_graceful_shutdown(async {
            // no signal handler: serve until killed
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .map_err(io)
}

/// Run `work` on a pooled store on a blocking thread, once one of the
/// [`MAX_CONNECTIONS`] permits is free, its statements stopped after
/// `limit`.
async fn with_store<T: Send + 'static>(
    state: &AppState,
    limit: Option<std::time::Duration>,
    work: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let pool = Arc::clone(&state.pool);
    let permit = Arc::clone(&pool.permits)
        .acquire_owned()
        .await
        .map_err(|e| ApiError::internal(format!("the server is shutting down: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut store = pool.take().map_err(|e| ApiError::internal(e.to_string()))?;
        store
            .set_time_limit(limit)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let result = work(&mut store);
        // a store whose request failed may hold a broken connection
        if result.is_ok() {
            pool.give_back(store);
        }
        result
    })
    .await
    .map_err(|e| ApiError::internal(format!("the request failed: {e}")))?
}

/// [`with_store`] for work whose only errors are the store's (a 500).
async fn read_store<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store) -> Result<T, pulse_store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    with_store(state, Some(QUERY_TIME_LIMIT), move |s| {
        work(s).map_err(|e| match e {
            pulse_store::StoreError::TimedOut(_) => ApiError::unavailable(format!(
                "{e}: narrow the filters (dates, actor, country) or ask for a smaller page"
            )),
            e => ApiError::internal(e.to_string()),
        })
    })
    .await
}

/// Whether two secrets are equal, in time that does not depend on where
/// they differ: their SHA-256 digests are compared byte by byte, all 32.
fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

async fn ingest_body(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let Some(config) = state.ingest.clone() else {
        return Err(ApiError::forbidden(
            "this server is read-only: start it with --ingest-token to accept POST /api/ingest",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        None => {
            return Err(ApiError::unauthorized(
                "missing token: send Authorization: Bearer TOKEN",
            ))
        }
        Some(token) if !same_secret(token, &config.token) => {
            return Err(ApiError::unauthorized("wrong token"))
        }
        Some(_) => {}
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
            .map_err(|e| ApiError::bad_request(format!("unreadable query string: {e}")))?;
    let mut published = None;
    for (k, v) in pairs {
        if k != "published" || published.is_some() {
            return Err(ApiError::bad_request(format!(
                "parameter {k:?} unknown or given twice; POST /api/ingest knows: published"
            )));
        }
        published = Some(v);
    }
    if let Some(p) = &published {
        if p.len() != 10 || !is_date(p) {
            return Err(ApiError::bad_request(format!(
                "published: {p:?} is not a date (YYYY-MM-DD)"
            )));
        }
    }
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "empty body: send JSON Lines, HTML or text",
        ));
    }
    let n = state
        .ingests
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let request = IngestRequest {
        name: format!("api-ingest-{n}"),
        body,
        published,
    };
    // an ingest takes as long as its body needs
    let summary = with_store(&state, None, move |s| {
        (config.ingest)(s, &request).map_err(|e| match e {
            IngestFailure::BadRequest(m) => ApiError::bad_request(m),
            IngestFailure::Store(m) => ApiError::internal(m),
        })
    })
    .await?;
    Ok(Json(summary))
}

async fn article(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    if id.len() > 200 {
        return Err(ApiError::bad_request(
            "article id longer than 200 characters",
        ));
    }
    let wanted = id.clone();
    match read_store(&state, move |s| s.article(&wanted)).await? {
        Some(a) => Ok(Json(json!(a))),
        None => Err(ApiError::not_found(format!("no article {id:?}"))),
    }
}

async fn health(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let stats = read_store(&state, |s| s.stats()).await?;
    Ok(Json(json!({
        "status": "ok",
        "schema_version": pulse_store::SCHEMA_VERSION,
        "articles": stats.articles,
        "events": stats.events,
        "mentions": stats.mentions,
    })))
}

/// The query parameters every event route understands: the filters.
const FILTER_PARAMS: [&str; 12] = [
    "from",
    "to",
    "actor",
    "country",
    "root",
    "quad",
    "place_country",
    "plover",
    "bbox",
    "limit",
    "offset",
    "after",
];

/// The parameters of a query string, each at most once, each one of
/// [`FILTER_PARAMS`] or of `extra` (a misspelt filter must not silently
/// match everything).
/// Refuses a query string over [`MAX_QUERY_BYTES`].
fn check_length(query: Option<&str>) -> Result<(), ApiError> {
    match query {
        Some(q) if q.len() > MAX_QUERY_BYTES => Err(ApiError::bad_request(format!(
            "query string of {} bytes; at most {MAX_QUERY_BYTES}",
            q.len()
        ))),
        _ => Ok(()),
    }
}

fn params_of(query: Option<&str>, extra: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    check_length(query)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|e| ApiError::bad_request(format!("unreadable query string: {e}")))?;
    let mut params: HashMap<String, String> = HashMap::new();
    for (k, v) in pairs {
        if !FILTER_PARAMS.contains(&k.as_str()) && !extra.contains(&k.as_str()) {
            let known: Vec<&str> = FILTER_PARAMS.iter().chain(extra).copied().collect();
            return Err(ApiError::bad_request(format!(
                "unknown parameter {k:?}; known: {}",
                known.join(", ")
            )));
        }
        if params.insert(k.clone(), v).is_some() {
            return Err(ApiError::bad_request(format!(
                "parameter {k:?} given twice"
            )));
        }
    }
    Ok(params)
}

/// The filter of a query string; every value checked, every unknown
/// parameter refused.
pub fn filter_of(query: Option<&str>) -> Result<EventFilter, ApiError> {
    filter_from(&params_of(query, &[])?)
}

/// A bounding box `min_lon,min_lat,max_lon,max_lat` in degrees.
fn bbox_of(v: &str) -> Result<[f64; 4], ApiError> {
    let bad = || {
        ApiError::bad_request(format!(
            "bbox={v:?}: expected min_lon,min_lat,max_lon,max_lat"
        ))
    };
    let parts: Vec<f64> = v
        .split(',')
        .map(|x| x.trim().parse::<f64>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [a, b, c, d] if parts.iter().all(|x| x.is_finite()) => Ok([*a, *b, *c, *d]),
        _ => Err(bad()),
    }
}

/// The filter the checked parameters describe.
fn filter_from(params: &HashMap<String, String>) -> Result<EventFilter, ApiError> {
    let date = |k: &str| -> Result<Option<String>, ApiError> {
        match params.get(k) {
            Some(v) if is_date(v) => Ok(Some(v.clone())),
            Some(v) => Err(ApiError::bad_request(format!(
                "{k}={v:?}: expected YYYY-MM-DD, YYYY-MM or YYYY"
            ))),
            None => Ok(None),
        }
    };
    let quad = match params.get("quad") {
        Some(v) => match v.parse::<u8>() {
            Ok(q @ 1..=4) => Some(q),
            _ => {
                return Err(ApiError::bad_request(format!(
                    "quad={v:?}: expected 1 to 4"
                )))
            }
        },
        None => None,
    };
    let root = params.get("root").cloned();
    if let Some(r) = &root {
        if r.is_empty() || r.len() > 4 || !r.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::bad_request(format!(
                "root={r:?}: expected a CAMEO root or code prefix (digits)"
            )));
        }
    }
    let text = |k: &str| -> Result<Option<String>, ApiError> {
        match params.get(k) {
            Some(v) if v.chars().count() > 100 => Err(ApiError::bad_request(format!(
                "{k}: longer than 100 characters"
            ))),
            Some(v) => Ok(Some(v.clone())),
            None => Ok(None),
        }
    };
    Ok(EventFilter {
        from: date("from")?,
        to: date("to")?,
        actor: text("actor")?,
        country: text("country")?,
        root,
        quad,
        place_country: text("place_country")?.map(|c| c.to_uppercase()),
        plover: text("plover")?,
        bbox: params.get("bbox").map(|v| bbox_of(v)).transpose()?,
        limit: Some(
            number::<usize>(params, "limit")?
                .unwrap_or(DEFAULT_PAGE)
                .min(MAX_PAGE),
        ),
        offset: number::<usize>(params, "offset")?.unwrap_or(0),
        after: match params.get("after") {
            Some(c)
                if c.len() <= 300 && c.split_once('~').is_some_and(|(_, id)| !id.is_empty()) =>
            {
                Some(c.clone())
            }
            Some(c) => {
                return Err(ApiError::bad_request(format!(
                    "after={c:?}: expected a cursor (next_after of an earlier page)"
                )))
            }
            None => None,
        },
    })
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with digits where digits go.
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

async fn events(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let filter = filter_of(query.as_deref())?;
    let (limit, offset) = (filter.limit.unwrap_or(DEFAULT_PAGE), filter.offset);
    // one more than the page, to know whether there is a next one
    let probe = EventFilter {
        limit: Some(limit + 1),
        ..filter
    };
    let mut found = read_store(&state, move |s| s.query(&probe)).await?;
    let more = found.len() > limit;
    found.truncate(limit);
    // the cursor of the last event: the next page by `after` is stable
    // while an ingest adds events before it, unlike the next by offset
    let next_after = found.last().filter(|_| more).map(pulse_store::cursor_of);
    Ok(Json(json!({
        "events": found,
        "limit": limit,
        "offset": offset,
        "next_offset": more.then_some(offset + limit),
        "next_after": next_after,
    })))
}

async fn event(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    if id.len() > 200 {
        return Err(ApiError::bad_request("event id longer than 200 characters"));
    }
    let wanted = id.clone();
    match read_store(&state, move |s| s.event(&wanted)).await? {
        Some(e) => Ok(Json(json!(e))),
        None => Err(ApiError::not_found(format!("no event {id:?}"))),
    }
}

async fn aggregate(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = params_of(query.as_deref(), &["by", "group"])?;
    let filter = EventFilter {
        limit: None,
        offset: 0,
        ..filter_from(&params)?
    };
    let by: Period = choice(&params, "by")?.unwrap_or(Period::Month);
    let group: Option<GroupBy> = choice(&params, "group")?;
    let table = read_store(&state, move |s| s.aggregate(&filter, by, group)).await?;
    Ok(Json(json!(table)))
}

/// The most series of each kind `/api/alerts` examines.
pub const MAX_SERIES: usize = 2000;

async fn alerts(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let params = params_of(query.as_deref(), &["by", "min_count", "max_series"])?;
    let filter = EventFilter {
        limit: None,
        offset: 0,
        ..filter_from(&params)?
    };
    let defaults = AlertOptions::default();
    let opts = AlertOptions {
        by: choice(&params, "by")?.unwrap_or(defaults.by),
        min_count: number(&params, "min_count")?.unwrap_or(defaults.min_count),
        // bounded: each series kind is one query, but the work grows with it
        max_series: number::<u64>(&params, "max_series")?
            .map_or(defaults.max_series, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            })
            .min(MAX_SERIES),
    };
    let found = read_store(&state, move |s| s.alerts(&filter, &opts)).await?;
    let described: Vec<Value> = found
        .iter()
        .map(|a| {
            let mut v = json!(a);
            if let Some(o) = v.as_object_mut() {
                o.insert("text".to_string(), json!(a.to_string()));
            }
            v
        })
        .collect();
    Ok(Json(json!({ "alerts": described })))
}

/// A parameter parsed as a `T`, the message saying what was expected when
/// it is not one.
fn param<T: std::str::FromStr>(
    params: &HashMap<String, String>,
    k: &str,
    expected: impl Fn(T::Err) -> String,
) -> Result<Option<T>, ApiError> {
    params
        .get(k)
        .map(|v| {
            v.parse::<T>()
                .map_err(|e| ApiError::bad_request(format!("{k}={v:?}: {}", expected(e))))
        })
        .transpose()
}

/// A parameter that is a whole number.
fn number<T: std::str::FromStr>(
    params: &HashMap<String, String>,
    k: &str,
) -> Result<Option<T>, ApiError> {
    param(params, k, |_| "expected a whole number".to_string())
}

/// A parameter that names one of a fixed set of choices (`by=week`).
fn choice<T: std::str::FromStr>(
    params: &HashMap<String, String>,
    k: &str,
) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    param(params, k, |e: T::Err| e.to_string())
}

/// The OpenAPI 3.0 description of the API, served at `/api/openapi.json`.
pub fn openapi() -> Value {
    let text = |name: &str, what: &str| {
        json!({"name": name, "in": "query", "required": false,
               "description": what, "schema": {"type": "string"}})
    };
    let int = |name: &str, what: &str| {
        json!({"name": name, "in": "query", "required": false,
               "description": what, "schema": {"type": "integer", "minimum": 0}})
    };
    let filters = vec![
        text("from", "first date, inclusive: YYYY-MM-DD, YYYY-MM or YYYY"),
        text("to", "last date, inclusive: YYYY-MM-DD, YYYY-MM or YYYY"),
        text(
            "actor",
            "actor code prefix (AFG, USAGOV) or part of an actor's name",
        ),
        text(
            "country",
            "three-letter country code of the source or the target actor",
        ),
        text("root", "CAMEO root (19) or code prefix (193)"),
        int("quad", "QuadClass, 1 to 4"),
        text(
            "place_country",
            "ISO 3166 alpha-2 code of the event's place",
        ),
        text("plover", "PLOVER event type (ASSAULT, PROTEST, ...)"),
        text("bbox", "min_lon,min_lat,max_lon,max_lat in degrees"),
    ];
    let mut paged = filters.clone();
    paged.push(int("limit", "events per page (default 50, at most 500)"));
    paged.push(int("offset", "events to skip"));
    paged.push(text(
        "after",
        "cursor: start after this event (next_after of the previous page; stable under ingest)",
    ));
    let mut by_period = filters.clone();
    by_period.push(text("by", "day, week (ISO) or month"));
    let mut aggregate = by_period.clone();
    aggregate.push(text("group", "root, quad, country or place-country"));
    let mut alerts = by_period;
    alerts.push(int(
        "min_count",
        "monitor a series only when a period reaches this",
    ));
    alerts.push(int(
        "max_series",
        "series of each kind examined (at most 2000)",
    ));
    let error = json!({"description": "a bad parameter (400), an unknown event (404) or a store that cannot be read (500)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let ok = |what: &str| json!({"description": what, "content": {"application/json": {"schema": {"type": "object"}}}});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "pulse", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Events coded from news: who did what to whom, when and where, with the sentences behind them. Read-only unless the server was started with an ingest token."},
        "paths": {
            "/api/health": {"get": {"summary": "row counts and schema version",
                "responses": {"200": ok("status, schema_version, articles, events, mentions"), "default": error}}},
            "/api/events": {"get": {"summary": "merged events in (date, id) order, a page at a time",
                "parameters": paged,
                "responses": {"200": ok("events, limit, offset, next_offset"), "default": error}}},
            "/api/events/{id}": {"get": {"summary": "one event with its evidence: every mention's article, sentence and spans",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok("the event"), "default": error}}},
            "/api/articles/{id}": {"get": {"summary": "one stored article: text, sentence spans, the events it reports, its places and copies",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok("the article"), "default": error}}},
            "/api/ingest": {"post": {"summary": "code and store articles (only with an ingest token; else 403)",
                "security": [{"bearer": []}],
                "parameters": [text("published", "YYYY-MM-DD: publication date of articles that give none")],
                "requestBody": {"required": true, "description": "JSON Lines (one article per line: text, and optionally url, title, published), an HTML page or plain text; gzip accepted; at most 16 MiB",
                    "content": {"application/x-ndjson": {"schema": {"type": "string"}},
                                "text/html": {"schema": {"type": "string"}},
                                "text/plain": {"schema": {"type": "string"}}}},
                "responses": {"200": ok("counts: articles, stored, duplicates, near_duplicates, failed, events, new_events"),
                              "401": error, "403": error, "413": {"description": "body over 16 MiB"}, "default": error}}},
            "/api/aggregate": {"get": {"summary": "events and fatalities per period (and group)",
                "parameters": aggregate,
                "responses": {"200": ok("by, group, rows"), "default": error}}},
            "/api/alerts": {"get": {"summary": "series whose latest period is a record or an outlier",
                "parameters": alerts,
                "responses": {"200": ok("alerts, each with its sentence"), "default": error}}},
            "/api/openapi.json": {"get": {"summary": "this description",
                "responses": {"200": ok("OpenAPI 3.0")}}}
        },
        "components": {"schemas": {"Error": {"type": "object", "required": ["error"],
            "properties": {"error": {"type": "string"}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    })
}
