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
//! the file system. Each request opens the SQLite file on
//! its own (in WAL mode, readers never block the ingest that writes), on a
//! blocking thread, so that a slow query does not stall the others.

#![warn(missing_docs)]

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use pulse_store::{AlertOptions, EventFilter, GroupBy, Period, Store};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Events per page when the query does not say.
pub const DEFAULT_PAGE: usize = 50;
/// The most events one request returns, whatever `limit` says.
pub const MAX_PAGE: usize = 500;

/// Errors of starting the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The database file does not exist (the server never creates one).
    #[error("{0}: no such database (ingest articles into it first)")]
    NoDatabase(PathBuf),
    /// The database cannot be opened or read.
    #[error(transparent)]
    Store(#[from] pulse_store::StoreError),
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
    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    fn internal(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

/// What every handler shares: where the database is.
#[derive(Debug)]
struct AppState {
    db: PathBuf,
}

/// The API's routes over the database at `db` (opened per request).
pub fn router(db: &Path) -> Router {
    let state = Arc::new(AppState {
        db: db.to_path_buf(),
    });
    Router::new()
        .route("/api/health", get(health))
        .route("/api/events", get(events))
        .route("/api/events/{id}", get(event))
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

/// Serve the API over the database at `db` on `addr` until Ctrl-C.
pub async fn serve(db: &Path, addr: SocketAddr) -> Result<(), ServerError> {
    if !db.exists() {
        return Err(ServerError::NoDatabase(db.to_path_buf()));
    }
    // fail now, not on the first request, when the file is no pulse store
    Store::open(db)?;
    let io = |source| ServerError::Io { addr, source };
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(io)?;
    let local = listener.local_addr().map_err(io)?;
    tracing::info!("serving {} on http://{local}", db.display());
    axum::serve(listener, router(db))
        .with_graceful_shutdown(async {
            // no signal handler: serve until killed
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .map_err(io)
}

/// Run `work` on the store at `db` on a blocking thread.
async fn with_store<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&Store) -> Result<T, pulse_store::StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let db = state.db.clone();
    tokio::task::spawn_blocking(move || {
        let store = Store::open(&db).map_err(|e| ApiError::internal(e.to_string()))?;
        work(&store).map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::internal(format!("the request failed: {e}")))?
}

async fn health(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let stats = with_store(&state, |s| s.stats()).await?;
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
fn params_of(query: Option<&str>, extra: &[&str]) -> Result<HashMap<String, String>, ApiError> {
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
    let mut found = with_store(&state, move |s| s.query(&probe)).await?;
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
    match with_store(&state, move |s| s.event(&wanted)).await? {
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
    let table = with_store(&state, move |s| s.aggregate(&filter, by, group)).await?;
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
    let found = with_store(&state, move |s| s.alerts(&filter, &opts)).await?;
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
                 "description": "Events coded from news: who did what to whom, when and where, with the sentences behind them. Read-only."},
        "paths": {
            "/api/health": {"get": {"summary": "row counts and schema version",
                "responses": {"200": ok("status, schema_version, articles, events, mentions"), "default": error}}},
            "/api/events": {"get": {"summary": "merged events in (date, id) order, a page at a time",
                "parameters": paged,
                "responses": {"200": ok("events, limit, offset, next_offset"), "default": error}}},
            "/api/events/{id}": {"get": {"summary": "one event with its evidence: every mention's article, sentence and spans",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok("the event"), "default": error}}},
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
            "properties": {"error": {"type": "string"}}}}}
    })
}
