//! The HTTP API over a store of events we make up, requests sent to the
//! router in process.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use pulse_code::Event;
use pulse_ingest::Article;
use pulse_store::Store;
use serde_json::{json, Value};
use tower::ServiceExt;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// An event of sentence 0 of "Gondor troops shelled Mordor on Monday.",
/// written as the JSON `pulse code` emits.
fn event(id: &str, date: &str, cameo: &str, quad: u8) -> Result<Event, serde_json::Error> {
    let text = "Gondor troops shelled Mordor on Monday.";
    serde_json::from_value(json!({
        "id": id, "cameo": cameo, "root": &cameo[..2], "name": format!("Code {cameo}"),
        "quad_class": quad, "goldstein": -5.0, "plover": null,
        "source": {"text": "Gondor troops", "code": "GONMIL", "country": "GON",
                   "sector": "MIL", "start": 0, "end": 13},
        "target": {"text": "Mordor", "code": "MOR", "country": "MOR", "sector": null,
                   "start": 22, "end": 28},
        "date": date, "date_precision": "day", "date_source": "text", "place": null,
        "sentence": 0, "start": 0, "end": text.len(), "text": text,
        "spans": {"source": {"start": 0, "end": 13, "text": "Gondor troops"},
                  "target": {"start": 22, "end": 28, "text": "Mordor"},
                  "verb": {"start": 14, "end": 21, "text": "shelled"}},
        "mode": null, "pattern": "", "confidence": 0.9
    }))
}

/// A store with three events in three articles, in a temporary folder.
fn store() -> Result<(tempfile::TempDir, std::path::PathBuf), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("api.db");
    let mut s = Store::open(&path)?;
    let events = [
        event("e1", "2024-05-06", "195", 4)?,
        event("e2", "2024-05-07", "042", 1)?,
        event("e3", "2024-06-01", "111", 3)?,
    ];
    for (i, e) in events.iter().enumerate() {
        let a = Article {
            id: format!("a{i}"),
            source: "test".to_string(),
            url: Some(format!("https://news{i}.example/story")),
            title: None,
            published: e.date.clone(),
            text: e.text.clone(),
        };
        s.insert_article(&a, &[(0, a.text.len())], std::slice::from_ref(e), &[])?;
    }
    Ok((dir, path))
}

/// GET `uri`: the status and the JSON body.
async fn get(
    db: &std::path::Path,
    uri: &str,
) -> Result<(StatusCode, Value), Box<dyn std::error::Error>> {
    let response = pulse_server::router(&db.to_string_lossy())
        .oneshot(Request::get(uri).body(Body::empty())?)
        .await?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, serde_json::from_slice(&bytes)?))
}

#[tokio::test]
async fn health_counts_the_store() -> TestResult {
    let (_dir, db) = store()?;
    let (status, body) = get(&db, "/api/health").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["events"], 3);
    assert_eq!(body["articles"], 3);
    Ok(())
}

#[tokio::test]
async fn events_are_filtered_and_paged() -> TestResult {
    let (_dir, db) = store()?;
    let (status, body) = get(&db, "/api/events?from=2024-05&to=2024-05").await?;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = body["events"]
        .as_array()
        .ok_or("no events")?
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(ids, ["e1", "e2"]);
    assert_eq!(body["next_offset"], Value::Null);
    // one per page: the next page starts where this one ended
    let (_, page) = get(&db, "/api/events?limit=1").await?;
    assert_eq!(page["events"][0]["id"], "e1");
    assert_eq!(page["next_offset"], 1);
    let (_, page) = get(&db, "/api/events?limit=1&offset=1").await?;
    assert_eq!(page["events"][0]["id"], "e2");
    // a huge page is capped
    let (_, page) = get(&db, "/api/events?limit=1000000").await?;
    assert_eq!(page["limit"], pulse_server::MAX_PAGE);
    let (_, quad) = get(&db, "/api/events?quad=3").await?;
    assert_eq!(quad["events"][0]["id"], "e3");
    Ok(())
}

#[tokio::test]
async fn an_event_comes_with_its_evidence() -> TestResult {
    let (_dir, db) = store()?;
    let (status, body) = get(&db, "/api/events/e1").await?;
    assert_eq!(status, StatusCode::OK);
    let m = &body["mentions"][0];
    assert_eq!(
        m["sentence_text"],
        "Gondor troops shelled Mordor on Monday."
    );
    assert_eq!(m["verb"]["start"], 14);
    assert_eq!(m["url"], "https://news0.example/story");
    let (status, body) = get(&db, "/api/events/nope").await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("nope")));
    Ok(())
}

#[tokio::test]
async fn bad_parameters_are_400_with_a_message() -> TestResult {
    let (_dir, db) = store()?;
    for (uri, word) in [
        ("/api/events?quad=7", "quad"),
        ("/api/events?from=yesterday", "from"),
        ("/api/events?limit=-1", "limit"),
        ("/api/events?root=19%27%20OR%201=1", "root"),
        ("/api/events?colour=red", "colour"),
        ("/api/events?quad=1&quad=2", "twice"),
    ] {
        let (status, body) = get(&db, uri).await?;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        let message = body["error"].as_str().unwrap_or("");
        assert!(message.contains(word), "{uri}: {message}");
    }
    // an injection attempt in a text filter is a value, not SQL: no match
    let (status, body) = get(&db, "/api/events?actor=x%27%20OR%20%271%27=%271").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["events"].as_array().map(Vec::len), Some(0));
    let (status, _) = get(&db, "/api/nowhere").await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    Ok(())
}

#[tokio::test]
async fn aggregates_and_alerts_are_served() -> TestResult {
    let (_dir, db) = store()?;
    let (status, body) = get(&db, "/api/aggregate?by=month").await?;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<(String, u64)> = body["rows"]
        .as_array()
        .ok_or("no rows")?
        .iter()
        .map(|r| {
            (
                r["period"].as_str().unwrap_or("").to_string(),
                r["events"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [("2024-05".to_string(), 2), ("2024-06".to_string(), 1)]
    );
    let (status, body) = get(&db, "/api/aggregate?by=year").await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("by")));
    // two months are too short a history for any alert
    let (status, body) = get(&db, "/api/alerts?min_count=1").await?;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["alerts"].as_array().map(Vec::len), Some(0));
    let (status, _) = get(&db, "/api/events?bbox=1,2,3").await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    Ok(())
}

#[tokio::test]
async fn every_path_the_description_names_is_served() -> TestResult {
    let (_dir, db) = store()?;
    let (status, spec) = get(&db, "/api/openapi.json").await?;
    assert_eq!(status, StatusCode::OK);
    let paths = spec["paths"].as_object().ok_or("no paths")?;
    assert_eq!(paths.len(), 8);
    for (path, ops) in paths {
        if ops.get("get").is_none() {
            continue;
        }
        let path = path.replace("/api/events/{id}", "/api/events/e1");
        let path = path.replace("{id}", "a0");
        let (status, body) = get(&db, &path).await?;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ingest_while_serving_loses_nothing() -> TestResult {
    let (_dir, db) = store()?;
    // a writer stores 200 more articles while readers query
    let path = db.clone();
    let writer = std::thread::spawn(move || -> Result<(), String> {
        let mut s = Store::open(&path).map_err(|e| e.to_string())?;
        for i in 0..200 {
            let e = event(&format!("w{i}"), "2024-07-01", "042", 1).map_err(|e| e.to_string())?;
            let a = Article {
                id: format!("w{i}"),
                source: "writer".to_string(),
                url: None,
                title: None,
                published: Some("2024-07-01".to_string()),
                text: format!("{} ({i})", e.text),
            };
            s.insert_article(&a, &[(0, a.text.len())], &[e], &[])
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    });
    let mut seen = 0;
    while !writer.is_finished() {
        let (status, body) = get(&db, "/api/health").await?;
        assert_eq!(status, StatusCode::OK, "{body}");
        let events = body["events"].as_u64().unwrap_or(0);
        // counts only grow: a reader never sees a half-written article
        assert!(events >= seen, "{events} < {seen}");
        seen = events;
        let (status, _) = get(&db, "/api/events?limit=500").await?;
        assert_eq!(status, StatusCode::OK);
    }
    writer.join().map_err(|_| "writer panicked")??;
    let (_, body) = get(&db, "/api/health").await?;
    assert_eq!(body["events"], 203);
    assert_eq!(body["articles"], 203);
    Ok(())
}

#[tokio::test]
async fn pages_by_cursor_stay_stable_while_events_are_added() -> TestResult {
    let (_dir, db) = store()?;
    let (_, first) = get(&db, "/api/events?limit=2").await?;
    let cursor = first["next_after"].as_str().ok_or("no cursor")?.to_string();
    assert_eq!(first["events"][1]["id"], "e2");
    // an ingest adds an event that sorts before the page boundary
    let mut s = Store::open(&db)?;
    let early = event("e0", "2024-01-01", "195", 4)?;
    let a = Article {
        id: "early".to_string(),
        source: "test".to_string(),
        url: None,
        title: None,
        published: early.date.clone(),
        text: format!("{} (early)", early.text),
    };
    s.insert_article(&a, &[(0, a.text.len())], &[early], &[])?;
    // by cursor, the next page is still e3; by offset it would repeat e2
    let (_, next) = get(&db, &format!("/api/events?limit=2&after={cursor}")).await?;
    assert_eq!(next["events"][0]["id"], "e3");
    assert_eq!(next["events"].as_array().map(Vec::len), Some(1));
    let (_, shifted) = get(&db, "/api/events?limit=2&offset=2").await?;
    assert_eq!(shifted["events"][0]["id"], "e2");
    let (status, _) = get(&db, "/api/events?after=nonsense").await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    Ok(())
}

/// GET `uri`: the status, the content type and the body as text.
async fn get_text(
    db: &std::path::Path,
    uri: &str,
) -> Result<(StatusCode, String, String), Box<dyn std::error::Error>> {
    let response = pulse_server::router(&db.to_string_lossy())
        .oneshot(Request::get(uri).body(Body::empty())?)
        .await?;
    let status = response.status();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, media, String::from_utf8_lossy(&bytes).into_owned()))
}

#[tokio::test]
async fn the_dashboard_and_its_files_are_served_from_the_binary() -> TestResult {
    let (_dir, db) = store()?;
    let (status, media, body) = get_text(&db, "/").await?;
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/html"), "{media}");
    assert!(body.contains("/app.js") && body.contains("/app.css"));
    for (path, want) in [
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
        ("/countries-110m.json", "application/json"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let (status, media, body) = get_text(&db, path).await?;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(media.starts_with(want), "{path}: {media}");
        assert!(!body.is_empty(), "{path}");
    }
    // the outlines are a TopoJSON topology with the countries in it
    let (_, _, topo) = get_text(&db, "/countries-110m.json").await?;
    let topo: Value = serde_json::from_str(&topo)?;
    assert_eq!(topo["type"], "Topology");
    assert!(topo["objects"]["countries"]["geometries"]
        .as_array()
        .is_some_and(|g| g.len() > 100));
    Ok(())
}

#[tokio::test]
async fn only_embedded_files_are_served_and_api_misses_stay_json() -> TestResult {
    let (_dir, db) = store()?;
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/web/index.html",
        "/src/lib.rs",
        "/app.js/..",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "/index.html/",
        "/nothing",
    ] {
        let (status, media, body) = get_text(&db, path).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(media.starts_with("text/plain"), "{path}: {media}");
        assert!(
            !body.contains("[package]") && !body.contains("root:"),
            "{path}"
        );
    }
    for path in ["/api", "/api/nothing", "/api/events/e1/more"] {
        let (status, body) = get(&db, path).await?;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body["error"].is_string(), "{path}: {body}");
    }
    Ok(())
}

#[tokio::test]
async fn an_article_comes_with_its_sentences_and_events() -> TestResult {
    let (_dir, db) = store()?;
    let (status, body) = get(&db, "/api/articles/a0").await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["text"], "Gondor troops shelled Mordor on Monday.");
    assert_eq!(body["sentences"][0]["end"], 39);
    assert_eq!(body["events"], json!(["e1"]));
    assert_eq!(body["copies"], json!([]));
    let (status, body) = get(&db, "/api/articles/nope").await?;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().is_some_and(|e| e.contains("nope")));
    Ok(())
}

const TOKEN: &str = "a-long-test-token-0123456789";

/// A router that accepts ingests with [`TOKEN`]; its ingest function
/// stores each non-blank line of the body as an article reporting one
/// event (no pipeline here: that is the binary's), and refuses a body
/// that says `unreadable`.
fn ingesting_router(db: &std::path::Path) -> axum::Router {
    let ingest = std::sync::Arc::new(|store: &mut Store, req: &pulse_server::IngestRequest| {
        let text = String::from_utf8_lossy(&req.body).to_string();
        if text.contains("unreadable") {
            return Err(pulse_server::IngestFailure::BadRequest(format!(
                "{}: unreadable body",
                req.name
            )));
        }
        let mut stored = 0;
        for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
            let ev = event(&format!("posted-{i}"), "2024-07-01", "190", 4)
                .map_err(|e| pulse_server::IngestFailure::Store(e.to_string()))?;
            let a = Article {
                id: format!("posted-{}-{i}", req.name),
                source: req.name.clone(),
                url: None,
                title: None,
                published: req.published.clone(),
                text: line.to_string(),
            };
            store
                .insert_article(&a, &[(0, a.text.len())], &[ev], &[])
                .map_err(|e| pulse_server::IngestFailure::Store(e.to_string()))?;
            stored += 1;
        }
        Ok(json!({ "stored": stored }))
    });
    pulse_server::router_with(
        &db.to_string_lossy(),
        Some(pulse_server::IngestConfig {
            token: TOKEN.to_string(),
            ingest,
        }),
    )
}

/// POST `body` to `uri` with an optional bearer token.
async fn post(
    app: axum::Router,
    uri: &str,
    token: Option<&str>,
    body: &str,
) -> Result<(StatusCode, Value), Box<dyn std::error::Error>> {
    let mut request = Request::post(uri);
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    let response = app
        .oneshot(request.body(Body::from(body.to_string()))?)
        .await?;
    let status = response.status();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

#[tokio::test]
async fn ingest_needs_the_token_and_stores_what_it_is_sent() -> TestResult {
    let (_dir, db) = store()?;
    // read-only by default
    let (status, body) = post(
        pulse_server::router(&db.to_string_lossy()),
        "/api/ingest",
        Some(TOKEN),
        "x",
    )
    .await?;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) = post(ingesting_router(&db), "/api/ingest", None, "x").await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(ingesting_router(&db), "/api/ingest", Some("wrong"), "x").await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let near = &TOKEN[..TOKEN.len() - 1];
    let (status, _) = post(ingesting_router(&db), "/api/ingest", Some(near), "x").await?;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // bad requests
    let (status, body) = post(ingesting_router(&db), "/api/ingest", Some(TOKEN), "").await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = post(
        ingesting_router(&db),
        "/api/ingest?published=May",
        Some(TOKEN),
        "x",
    )
    .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = post(
        ingesting_router(&db),
        "/api/ingest",
        Some(TOKEN),
        "unreadable",
    )
    .await?;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.contains("unreadable")));
    // nothing was stored by any of that
    let (_, health) = get(&db, "/api/health").await?;
    assert_eq!(health["articles"], 3);
    // the right token stores, and the events are served at once
    let (status, body) = post(
        ingesting_router(&db),
        "/api/ingest?published=2024-07-01",
        Some(TOKEN),
        "Rohan riders attacked Isengard.\n\nIsengard answered with fire.\n",
    )
    .await?;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["stored"], 2);
    let (_, health) = get(&db, "/api/health").await?;
    assert_eq!(health["articles"], 5);
    let (_, page) = get(&db, "/api/events?from=2024-07").await?;
    assert_eq!(page["events"][0]["num_articles"], 2);
    Ok(())
}

#[tokio::test]
async fn an_ingest_body_over_the_limit_is_refused() -> TestResult {
    let (_dir, db) = store()?;
    let big = "x".repeat(pulse_server::MAX_INGEST_BYTES + 1);
    let (status, _) = post(ingesting_router(&db), "/api/ingest", Some(TOKEN), &big).await?;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (_, health) = get(&db, "/api/health").await?;
    assert_eq!(health["articles"], 3);
    Ok(())
}

#[tokio::test]
async fn long_query_strings_and_cross_origin_requests_are_refused() -> TestResult {
    let (_dir, db) = store()?;
    let long = format!(
        "/api/events?actor={}",
        "a".repeat(pulse_server::MAX_QUERY_BYTES)
    );
    let (status, body) = get(&db, &long).await?;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.contains("at most")));
    // CORS is closed: no allow-origin header, whatever the Origin
    let response = pulse_server::router(&db.to_string_lossy())
        .oneshot(
            Request::get("/api/events")
                .header("origin", "https://elsewhere.example")
                .body(Body::empty())?,
        )
        .await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let preflight = pulse_server::router(&db.to_string_lossy())
        .oneshot(
            Request::options("/api/events")
                .header("origin", "https://elsewhere.example")
                .header("access-control-request-method", "GET")
                .body(Body::empty())?,
        )
        .await?;
    assert!(!preflight.status().is_success(), "{}", preflight.status());
    assert!(preflight
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    Ok(())
}
