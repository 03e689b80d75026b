//! The store's shared cases (tests/cases/store_cases.rs) on PostgreSQL, each
//! in a database of its own, plus what only a server has: writers in several
//! processes' worth of connections at once.
//!
//! The server is named by the environment variable `PULSE_TEST_POSTGRES`
//! (a `postgres://` URL whose user may create databases; `.ci/run` starts
//! one with `.ci/postgres.sh`). Without it, or when it cannot be reached,
//! every test here prints why and passes without checking anything.
#![cfg(feature = "postgres")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// A store in a database of its own, dropped with it.
struct TestStore {
    store: Option<Store>,
    admin: String,
    name: String,
}

impl std::ops::Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        // always Some until drop
        self.store.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl std::ops::DerefMut for TestStore {
    fn deref_mut(&mut self) -> &mut Store {
        self.store.as_mut().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        // close our connection first: a database in use cannot be dropped
        self.store = None;
        if let Ok(mut admin) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {}", self.name));
        }
    }
}

/// The test server's URL, once; `None` (with the reason printed) when the
/// variable is unset or the server does not answer.
fn server() -> Option<&'static str> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let Ok(url) = std::env::var("PULSE_TEST_POSTGRES") else {
                say(
                    "skipped: PostgreSQL store tests: PULSE_TEST_POSTGRES is not set (a \
                     postgres:// URL; .ci/run starts a server with .ci/postgres.sh)",
                );
                return None;
            };
            match postgres::Client::connect(&url, postgres::NoTls) {
                Ok(_) => Some(url),
                Err(e) => {
                    say(&format!(
                        "skipped: PostgreSQL store tests: no server at {}: {e}",
                        pulse_store::display_db(&url)
                    ));
                    None
                }
            }
        })
        .as_deref()
}

/// Prints a line on the real stderr, past the test harness's capture, so a
/// skip is seen once in the test output.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// `url` with its database name replaced by `db`.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    format!("{}/{db}{query}", &base[..host_end])
}

/// A new database on the test server with a store on it; `None` to skip.
fn fresh() -> Result<Option<TestStore>, StoreError> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let Some(admin) = server() else {
        return Ok(None);
    };
    let name = format!(
        "pulse_test_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let mut client = postgres::Client::connect(admin, postgres::NoTls)?;
    client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))?;
    client.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let store = Store::connect(&with_database(admin, &name))?;
    Ok(Some(TestStore {
        store: Some(store),
        admin: admin.to_string(),
        name,
    }))
}

include!("cases/store_cases.rs");

#[test]
fn database_urls_are_rewritten_for_a_test_database() {
    assert_eq!(
        with_database("postgres://u@h:5432/postgres", "t1"),
        "postgres://u@h:5432/t1"
    );
    assert_eq!(with_database("postgres://u@h", "t1"), "postgres://u@h/t1");
    assert_eq!(
        with_database("postgres://u@h/x?sslmode=disable", "t1"),
        "postgres://u@h/t1?sslmode=disable"
    );
}

#[test]
fn the_schema_is_created_once_and_reopened() -> TestResult {
    let Some(store) = fresh()? else {
        return Ok(());
    };
    assert_eq!(store.backend(), pulse_store::Backend::Postgres);
    let url = with_database(server().ok_or("no server")?, &store.name);
    // a second connection finds the schema in place and the same rows
    let again = Store::connect(&url)?;
    assert_eq!(again.stats()?, Stats::default());
    let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
    let version: i64 = client
        .query_one("SELECT MAX(version) FROM pulse_schema", &[])?
        .get(0);
    assert_eq!(version, SCHEMA_VERSION);
    Ok(())
}

#[test]
fn a_wrong_server_is_a_clear_error_without_the_password() {
    // port 1 on loopback: nothing listens there
    let err = Store::connect("postgres://pulse:s3cret@127.0.0.1:1/none")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("127.0.0.1:1"), "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn concurrent_writers_merge_into_one_event_each() -> TestResult {
    let Some(store) = fresh()? else {
        return Ok(());
    };
    let url = with_database(server().ok_or("no server")?, &store.name);
    // eight connections store the same five events from 40 articles at once;
    // the writers' lock must keep every event one row with exact counts
    let evs = sample_events();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let url = url.clone();
            let evs = evs.clone();
            std::thread::spawn(move || -> Result<(), String> {
                let mut s = Store::connect(&url).map_err(|e| e.to_string())?;
                for i in 0..5 {
                    let n = t * 5 + i;
                    let a = article(
                        &format!("c{n}"),
                        Some(&format!("https://site{}.example/{n}", n % 4)),
                        "feed",
                    );
                    s.insert_article(&a, &[], &evs, &[])
                        .map_err(|e| e.to_string())?;
                }
                Ok(())
            })
        })
        .collect();
    for t in threads {
        t.join().map_err(|_| "a writer panicked")??;
    }
    let stored = store.query(&filter())?;
    assert_eq!(ids(&stored).len(), evs.len());
    for e in &stored {
        assert_eq!((e.num_articles, e.num_sources), (40, 4), "{}", e.id);
    }
    let gids: std::collections::BTreeSet<i64> = stored.iter().map(|e| e.global_id).collect();
    assert_eq!(gids.len(), evs.len());
    Ok(())
}
