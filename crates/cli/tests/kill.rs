//! Crash and interruption tests of `pulse ingest`: killed with SIGKILL at
//! pseudo-random points and restarted, stopped with Ctrl-C, and run out of
//! file space, it must end with the store an uninterrupted run gives: no lost
//! article, no duplicate event, no damaged database.
//!
//! The articles are made up here from sentence templates we wrote.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Articles in the corpus.
const ARTICLES: usize = 2000;
/// SIGKILLs that must land while an ingest is running.
const KILLS: usize = 20;

const ACTORS: [&str; 8] = [
    "Kenyan police",
    "Ethiopian troops",
    "Somali officials",
    "Ugandan soldiers",
    "Rebel fighters",
    "Protesters",
    "The Sudanese army",
    "Tanzanian ministers",
];
const TARGETS: [&str; 6] = [
    "opposition leaders",
    "a rebel camp",
    "the border post",
    "aid workers",
    "the government",
    "local traders",
];
const VERBS: [&str; 6] = [
    "attacked",
    "arrested",
    "criticised",
    "met with",
    "shelled",
    "praised",
];
const TOWNS: [&str; 8] = [
    "Nairobi", "Mombasa", "Gondar", "Kismayo", "Gulu", "Kassala", "Arusha", "Garissa",
];
const DAYS: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// Deterministic pseudo-random draws: the SipHash (fixed keys) of a seed
/// and a counter, so every run of the test builds the same corpus and kills
/// at the same offsets.
struct Draws {
    seed: u64,
    n: u64,
}

impl Draws {
    fn new(seed: u64) -> Draws {
        Draws { seed, n: 0 }
    }

    fn next(&mut self) -> u64 {
        use std::hash::{Hash, Hasher};
        self.n += 1;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.seed, self.n).hash(&mut h);
        h.finish()
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Writes the corpus: 40 JSON Lines files of 50 articles, each of two to
/// four sentences; many report the same acts, so merging is exercised.
fn corpus(dir: &Path) -> PathBuf {
    let root = dir.join("corpus");
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    let mut rng = Draws::new(20_261_207);
    let per_file = 50;
    for f in 0..ARTICLES / per_file {
        let mut lines = String::new();
        for k in 0..per_file {
            let n = f * per_file + k;
            let sentences: Vec<String> = (0..2 + rng.next() % 3)
                .map(|_| {
                    format!(
                        "{} {} {} near {} on {}, and {} people were hurt.",
                        rng.pick(&ACTORS),
                        rng.pick(&VERBS),
                        rng.pick(&TARGETS),
                        rng.pick(&TOWNS),
                        rng.pick(&DAYS),
                        1 + rng.next() % 40
                    )
                })
                .collect();
            let line = serde_json::json!({
                "text": format!("Report number {n}. {}", sentences.join(" ")),
                "url": format!("https://site{}.example/news/{n}", n % 7),
                "published": format!("2024-03-{:02}", 4 + n % 20),
            });
            lines.push_str(&line.to_string());
            lines.push('\n');
        }
        std::fs::write(root.join(format!("part{f:03}.jsonl")), lines)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    root
}

fn ingest_command(corpus: &Path, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pulse"));
    c.args([
        "ingest",
        &corpus.to_string_lossy(),
        "--db",
        &db.to_string_lossy(),
    ])
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    c
}

fn finish(child: Child) -> Output {
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// The whole store as text: every event with its mentions (JSON Lines
/// export) without the time each row was written, and the article ids.
fn snapshot(db: &Path) -> (String, usize) {
    let out = Command::new(env!("CARGO_BIN_EXE_pulse"))
        .args(["export", "--db", &db.to_string_lossy(), "--format", "jsonl"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let events: Vec<String> = text
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.remove("first_seen");
                // reports of one event are listed by when their articles
                // were stored, to the millisecond: articles stored within
                // one millisecond fall in an order of their own, so compare
                // the reports as a set
                if let Some(serde_json::Value::Array(m)) = o.get_mut("mentions") {
                    m.sort_by_key(|x| x.to_string());
                }
            }
            v.to_string()
        })
        .collect();
    (events.join("\n"), events.len())
}

/// Asserts two snapshots are equal, naming the first line that differs.
fn assert_same(got: &(String, usize), want: &(String, usize), what: &str) {
    if got == want {
        return;
    }
    let diff = got
        .0
        .lines()
        .zip(want.0.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b);
    match diff {
        Some((i, (a, b))) => panic!("{what}: the store differs from an uninterrupted run's at event {i}:\n got  {a}\n want {b}"),
        None => panic!("{what}: {} events, an uninterrupted run has {}", got.1, want.1),
    }
}

/// Runs the ingest again, uninterrupted, and checks it ends with the store
/// of the reference run.
fn complete_and_compare(corpus: &Path, db: &Path, want: &(String, usize), what: &str) {
    let out = finish(
        ingest_command(corpus, db)
            .spawn()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(check(db), ARTICLES);
    assert_same(&snapshot(db), want, what);
}

/// `PRAGMA integrity_check` and the number of stored articles.
fn check(db: &Path) -> usize {
    let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("{e}"));
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok, "ok", "{}", db.display());
    let dup: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM (SELECT 1 FROM event_mentions
                 GROUP BY event_id, article_id, sentence, verb_start HAVING COUNT(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dup, 0, "duplicate mentions in {}", db.display());
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    usize::try_from(n).unwrap_or(0)
}

/// How long `pulse ingest` takes to start (load its models) and store one
/// short article.
fn startup(dir: &Path) -> Duration {
    let one = dir.join("one");
    std::fs::create_dir_all(&one).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        one.join("a.txt"),
        "Kenyan police arrested two men in Nairobi on Monday.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let out = finish(
        ingest_command(&one, &dir.join("one.db"))
            .spawn()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    start.elapsed()
}

/// The store of an uninterrupted ingest of the corpus, and how long it took.
fn reference(dir: &Path, corpus: &Path) -> ((String, usize), Duration) {
    let db = dir.join("reference.db");
    let start = Instant::now();
    let out = finish(
        ingest_command(corpus, &db)
            .spawn()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    let took = start.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(check(&db), ARTICLES);
    (snapshot(&db), took)
}

/// The three ways an ingest can be cut short, one after the other (so their
/// timing is not disturbed by each other), against one reference run.
#[test]
fn cut_short_ingests_end_with_the_store_of_an_uninterrupted_one() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let corpus = corpus(dir.path());
    let (want, took) = reference(dir.path(), &corpus);
    assert!(want.1 > ARTICLES / 2, "only {} events", want.1);
    eprintln!(
        "reference: {ARTICLES} articles, {} events in {:.1} s",
        want.1,
        took.as_secs_f64()
    );
    killed_ingests_resume(dir.path(), &corpus, &want, took);
    #[cfg(unix)]
    {
        ctrl_c_stops_cleanly(dir.path(), &corpus, &want, took);
        a_full_disk_is_a_clear_error(dir.path(), &corpus, &want);
    }
}

fn killed_ingests_resume(dir: &Path, corpus: &Path, want: &(String, usize), took: Duration) {
    let db = dir.join("killed.db");
    let mut rng = Draws::new(7);
    let mut kills = 0;
    let mut runs = 0;
    let mut stored = 0;
    // short runs, killed from a little before the models are loaded to a
    // fifth of the whole ingest after: each gets a little further than the
    // last, so most kills land while articles are being coded and stored
    let load = startup(dir).as_millis() as u64;
    let first = load * 4 / 5;
    let window = (took.as_millis() as u64 / 5).max(200) + load / 5;
    let mut with_progress = 0;
    while with_progress < KILLS {
        runs += 1;
        assert!(
            runs < 100,
            "could not land {KILLS} kills mid-ingest in 100 runs"
        );
        let mut child = ingest_command(corpus, &db)
            .spawn()
            .unwrap_or_else(|e| panic!("{e}"));
        // anywhere from start-up to past the end of what is left
        std::thread::sleep(Duration::from_millis(first + rng.next() % window));
        let running = matches!(child.try_wait(), Ok(None));
        let _ = child.kill();
        let _ = child.wait();
        let now = check(&db);
        assert!(now >= stored, "articles went from {stored} to {now}");
        with_progress += usize::from(running && now > stored);
        stored = now;
        if running {
            kills += 1;
        }
        if stored == ARTICLES {
            // finished before enough kills landed: start again from nothing
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            stored = 0;
        }
    }
    eprintln!(
        "{kills} kills landed in {runs} runs ({with_progress} after storing more articles); \
         {stored} of {ARTICLES} articles stored by then"
    );

    complete_and_compare(corpus, &db, want, "after SIGKILLs");
}

#[cfg(unix)]
fn ctrl_c_stops_cleanly(dir: &Path, corpus: &Path, want: &(String, usize), took: Duration) {
    let db = dir.join("interrupted.db");
    let child = ingest_command(corpus, &db)
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(took / 2);
    let pid = libc::pid_t::try_from(child.id()).unwrap_or_else(|e| panic!("{e}"));
    // SAFETY: kill(2) with a valid pid of our own child and SIGINT.
    let sent = unsafe { libc::kill(pid, libc::SIGINT) };
    assert_eq!(sent, 0);
    let out = finish(child);
    let err = stderr(&out);
    if out.status.success() {
        // it finished before the signal came: nothing to check beyond equality
        eprintln!("the ingest ended before Ctrl-C: {err}");
    } else {
        assert_eq!(out.status.code(), Some(130), "{err}");
        assert!(err.contains("interrupted: stopped after"), "{err}");
        assert!(err.contains("articles read"), "no summary: {err}");
    }
    let part = check(&db);
    assert!(part > 0 && part <= ARTICLES, "{part}");
    complete_and_compare(corpus, &db, want, "after Ctrl-C");
}

#[cfg(unix)]
fn a_full_disk_is_a_clear_error(dir: &Path, corpus: &Path, want: &(String, usize)) {
    use std::os::unix::process::CommandExt;
    let db = dir.join("full.db");
    // files may not grow past 1 MiB: the database fills up part-way
    let limit: libc::rlim_t = 1 << 20;
    let mut command = ingest_command(corpus, &db);
    // SAFETY: between fork and exec only async-signal-safe calls are made:
    // setrlimit(2) and signal(2).
    unsafe {
        command.pre_exec(move || {
            let rl = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // a write past the limit fails with EFBIG instead of killing
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = finish(command.spawn().unwrap_or_else(|e| panic!("{e}")));
    let err = stderr(&out);
    assert!(
        !out.status.success(),
        "an ingest into 1 MiB succeeded: {err}"
    );
    assert!(
        err.contains("full") || err.contains("too large"),
        "no clear reason: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let part = check(&db);
    assert!(part < ARTICLES, "{part}");
    // with room again, the same command completes to the reference store
    complete_and_compare(corpus, &db, want, "after a full disk");
}
