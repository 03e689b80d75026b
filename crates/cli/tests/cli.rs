//! End-to-end tests of the `pulse` binary: each test runs the real executable
//! in its own temporary folder and checks exit codes, stdout and stderr.
//!
//! Every article text below is a made-up sentence written for these tests.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

// ---------------------------------------------------------------- helpers

/// Run `pulse ARGS…`, feeding `stdin` when given, and wait for it.
fn pulse(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pulse"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("PULSE_LOG")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start pulse: {e}"));
    // feed stdin from another thread so a full stdout pipe cannot deadlock us;
    // a write error only means pulse stopped reading, which its exit code shows
    std::thread::scope(|scope| {
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            scope.spawn(move || pipe.write_all(input).ok());
        }
        child.wait_with_output().expect("wait for pulse")
    })
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Assert the command succeeded, showing its stderr otherwise.
fn ok(o: Output) -> Output {
    assert!(o.status.success(), "pulse failed: {}", stderr(&o));
    o
}

/// Assert the command failed cleanly (exit code 1, not a panic) and that its
/// stderr holds every one of `needles`; returns stderr.
fn fails(o: &Output, needles: &[&str]) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "expected failure, stderr: {err}");
    assert!(!err.contains("panicked"), "pulse panicked: {err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
    err
}

/// Assert stderr has a line naming `input` followed by `: ` and a reason.
fn assert_reported(err: &str, input: &str) {
    let reason = err
        .lines()
        .find_map(|l| l.split_once(&format!("{input}: ")).map(|(_, r)| r))
        .unwrap_or_else(|| panic!("stderr does not report {input:?}: {err}"));
    assert!(!reason.trim().is_empty(), "no reason given for {input}");
}

fn s(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("create a temporary folder")
}

/// Write `bytes` to `dir/name`, creating parent folders.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().expect("a file has a parent")).expect("create folders");
    std::fs::write(&p, bytes).expect("write test file");
    p
}

/// Parse JSON Lines output; every non-empty line must be one JSON object.
fn jsonl(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
            assert!(v.is_object(), "not a JSON object: {l}");
            v
        })
        .collect()
}

/// `pulse ingest PATHS… --db DB [--published DATE]`.
fn ingest(db: &Path, paths: &[&Path], published: Option<&str>) -> Output {
    let mut args = vec!["ingest"];
    args.extend(paths.iter().map(|p| s(p)));
    args.extend(["--db", s(db)]);
    if let Some(d) = published {
        args.extend(["--published", d]);
    }
    pulse(&args, None)
}

/// `pulse query --db DB --format jsonl EXTRA…`, parsed.
fn query(db: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["query", "--db", s(db), "--format", "jsonl"];
    args.extend(extra);
    jsonl(&ok(pulse(&args, None)))
}

/// `pulse export --db DB --format FORMAT` (stdout).
fn export(db: &Path, format: &str) -> Output {
    pulse(&["export", "--db", s(db), "--format", format], None)
}

/// The sentence texts of every mention of every stored event.
fn sentences(db: &Path) -> Vec<String> {
    jsonl(&ok(export(db, "jsonl")))
        .iter()
        .flat_map(|e| e["mentions"].as_array().cloned().unwrap_or_default())
        .map(|m| m["sentence_text"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn assert_stored(db: &Path, fragment: &str) {
    let all = sentences(db);
    assert!(
        all.iter().any(|t| t.contains(fragment)),
        "no stored sentence contains {fragment:?}: {all:#?}"
    );
}

/// Check every object in `v` that has `start` and `end`: they must be UTF-8
/// boundaries of `text`, and when the object carries `text` it must be
/// exactly `text[start..end]`. Returns how many spans were checked.
fn check_spans(v: &Value, text: &str) -> usize {
    match v {
        Value::Array(items) => items.iter().map(|i| check_spans(i, text)).sum(),
        Value::Object(map) => {
            let own = match (map.get("start"), map.get("end")) {
                (Some(a), Some(b)) => {
                    let (a, b) = (a.as_u64().unwrap() as usize, b.as_u64().unwrap() as usize);
                    let slice = text
                        .get(a..b)
                        .unwrap_or_else(|| panic!("{a}..{b} is not a span of {text:?}"));
                    if let Some(t) = map.get("text") {
                        assert_eq!(Some(slice), t.as_str(), "span {a}..{b} of {text:?}");
                    }
                    1
                }
                _ => 0,
            };
            own + map.values().map(|x| check_spans(x, text)).sum::<usize>()
        }
        _ => 0,
    }
}

/// One `pulse code --jsonl` input line.
fn code_line(id: Value, text: &str, published: Option<&str>) -> String {
    let mut v = serde_json::json!({ "id": id, "text": text });
    if let Some(p) = published {
        v["published"] = p.into();
    }
    v.to_string()
}

const KENYA: &str = "Kenyan police arrested two opposition leaders in Nairobi on Monday.\n\n\
    The arrests followed a week of street protests over bread prices.\n";
const UKRAINE: &str = "Russian forces shelled Ukrainian positions near Kharkiv on Tuesday.\n\n\
    Ukrainian officials condemned the attack.\n";
const GERMANY: &str = "German police detained three activists in Berlin on Thursday.";

// ---------------------------------------------------------------- demo

fn demo_event_count(db: &Path) -> usize {
    let out = ok(pulse(&["demo", "--db", s(db)], None));
    let text = stdout(&out);
    assert!(text.contains("Next:"), "no hints: {text}");
    assert!(text.contains("pulse query --db"), "no query hint: {text}");
    assert!(db.exists(), "demo did not create {}", db.display());
    let n = text
        .lines()
        .find_map(|l| l.strip_suffix(" events")?.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no 'N events' line: {text}"));
    let rows = text.lines().skip(1).take_while(|l| !l.ends_with(" events"));
    assert_eq!(rows.count(), n, "table rows and count differ");
    n
}

#[test]
fn demo_prints_events_and_is_repeatable() {
    let dir = tempdir();
    let db = dir.path().join("demo.db");
    let first = demo_event_count(&db);
    assert!(first >= 10, "only {first} events");
    assert_eq!(demo_event_count(&db), first, "second demo differs");
}

// ---------------------------------------------------------------- ingest

#[test]
fn ingest_reports_bad_inputs_and_stores_good_ones() {
    let dir = tempdir();
    let inp = dir.path().join("in");
    write(&inp, "kenya.txt", KENYA);
    write(&inp, "ukraine.txt", UKRAINE);
    write(
        &inp,
        "page.html",
        r#"<html><head><title>Talks resume</title>
<script>var banner = "Subscribe today";</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Talks resume</h1>
<p>French diplomats met Indian officials in Paris on Wednesday to discuss a trade pact.</p>
<p>The French president praised India for its role in the talks.</p></article>
<footer>Copyright 2024 Example Gazette. All rights reserved.</footer></body></html>"#,
    );
    let feed = write(
        &inp,
        "feed.jsonl",
        format!(
            "{}\nthis line is not JSON\n{{\"title\": \"a record without a body\"}}\n",
            serde_json::json!({ "text": GERMANY, "published": "2024-03-05" })
        ),
    );
    let empty = write(&inp, "empty.txt", "");
    let junk: Vec<u8> = (0..8).flat_map(|_| 0..=255u8).collect();
    let junk = write(&inp, "junk.txt", junk);
    write(
        &inp,
        "cp1252.txt",
        b"Caf\xe9 owners in Lyon protested on Monday.\n\n\
          French police arrested ten protesters outside the Caf\xe9 R\xeave.",
    );
    let db = dir.path().join("t.db");

    let out = ingest(&db, &[&inp], Some("2024-03-04"));
    let err = fails(&out, &["5 stored", "4 failed"]);
    assert_reported(&err, s(&empty));
    assert_reported(&err, s(&junk));
    assert_reported(&err, &format!("{}:2", s(&feed)));
    assert_reported(&err, &format!("{}:3", s(&feed)));
    assert!(
        !err.contains("kenya.txt"),
        "a good input was reported: {err}"
    );
    assert!(
        !err.contains("cp1252.txt"),
        "cp1252 input was reported: {err}"
    );

    for fragment in [
        "Kenyan police arrested",
        "Russian forces shelled",
        "French diplomats met Indian officials",
        "German police detained",
        "outside the Café Rêve.",
    ] {
        assert_stored(&db, fragment);
    }
    for clutter in ["Subscribe", "Home", "Copyright"] {
        assert!(
            sentences(&db).iter().all(|t| !t.contains(clutter)),
            "page clutter {clutter:?} was stored"
        );
    }
    let events = query(&db, &["--actor", "DEU"]);
    assert!(!events.is_empty(), "the JSONL article's event is missing");
    // the JSONL record's own date: "on Thursday" before Tuesday 2024-03-05
    assert!(
        events.iter().all(|e| e["date"] == "2024-02-29"),
        "{events:?}"
    );
}

#[test]
fn ingest_twice_stores_nothing_new() {
    let dir = tempdir();
    let inp = dir.path().join("in");
    let kenya = write(&inp, "kenya.txt", KENYA);
    write(&inp, "sub/ukraine.txt", UKRAINE);
    write(&inp, "sub/germany.txt", GERMANY);
    let db = dir.path().join("t.db");

    let first = ok(ingest(&db, &[&inp], Some("2024-03-04")));
    assert!(stderr(&first).contains("3 stored"), "{}", stderr(&first));
    let before = ok(export(&db, "jsonl")).stdout;
    assert!(!before.is_empty(), "nothing was exported");

    let second = ok(ingest(&db, &[&inp], Some("2024-03-04")));
    let err = stderr(&second);
    for n in ["0 stored", "3 skipped as duplicates", "nothing new"] {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
    assert_eq!(ok(export(&db, "jsonl")).stdout, before, "export changed");

    // the same text under another name is the same article
    let copy = dir.path().join("copy.txt");
    std::fs::copy(&kenya, &copy).expect("copy");
    let third = ok(ingest(&db, &[&copy], Some("2024-03-04")));
    assert!(stderr(&third).contains("1 skipped as duplicates"));
    assert_eq!(ok(export(&db, "jsonl")).stdout, before, "export changed");
}

#[test]
fn ingest_missing_path_is_reported_and_batch_goes_on() {
    let dir = tempdir();
    let good = write(dir.path(), "kenya.txt", KENYA);
    let missing = dir.path().join("nowhere/missing.txt");
    let db = dir.path().join("t.db");
    let err = fails(&ingest(&db, &[&missing, &good], None), &["1 stored"]);
    assert_reported(&err, s(&missing));
    assert_stored(&db, "Kenyan police arrested");
}

#[cfg(unix)]
#[test]
fn ingest_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let locked = write(dir.path(), "locked.txt", KENYA);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_ok() {
        eprintln!("skipped: this process can read a mode-000 file (root)");
        return;
    }
    let db = dir.path().join("t.db");
    let err = fails(&ingest(&db, &[&locked], None), &["1 failed"]);
    assert_reported(&err, s(&locked));
}

#[test]
fn ingest_ten_thousand_files_in_nested_folders() {
    const N: usize = 10_000;
    let dir = tempdir();
    let inp = dir.path().join("many");
    for i in 0..N {
        write(
            &inp,
            &format!("d{}/e{}/note{i}.txt", i % 10, (i / 10) % 10),
            format!("Note {i} on the weather in a quiet town."),
        );
    }
    let db = dir.path().join("t.db");
    let start = Instant::now();
    let out = ok(ingest(&db, &[&inp], None));
    let expected = format!("{N} inputs, {N} articles read: {N} stored");
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    eprintln!("{N} files ingested in {:.1?}", start.elapsed());
}

#[test]
fn many_articles_reporting_one_event_merge_into_one_record() {
    // speed for this case is measured by `pulse bench`, whose corpus repeats
    // each sample article hundreds of times; here only the counts are checked
    let dir = tempdir();
    let n = 300;
    for i in 0..n {
        write(
            dir.path(),
            &format!("in/d{}/wire{i}.txt", i % 10),
            format!("Copy {i}. Kenyan police arrested two opposition leaders."),
        );
    }
    let db = dir.path().join("t.db");
    let out = ok(ingest(&db, &[&dir.path().join("in")], Some("2024-03-04")));
    assert!(
        stderr(&out).contains(&format!("{n} stored")),
        "{}",
        stderr(&out)
    );
    let events = query(&db, &[]);
    let arrests: Vec<_> = events.iter().filter(|e| e["root"] == "17").collect();
    assert_eq!(arrests.len(), 1, "{events:?}");
    assert_eq!(arrests[0]["num_mentions"], n);
    assert_eq!(arrests[0]["num_articles"], n);
}

#[test]
fn ingest_reads_jsonl_from_stdin() {
    let dir = tempdir();
    let db = dir.path().join("t.db");
    let record = serde_json::json!({
        "text": "Turkish troops attacked rebel positions near the border on Friday.",
        "published": "2024-04-05",
        "url": "https://news.example.org/border-clash",
    });
    let out = ok(pulse(
        &["ingest", "-", "--db", s(&db)],
        Some(format!("{record}\n").as_bytes()),
    ));
    assert!(stderr(&out).contains("1 stored"), "{}", stderr(&out));
    let events = query(&db, &[]);
    assert!(!events.is_empty(), "no event from stdin");
    assert_eq!(events[0]["date"], "2024-04-05");
    assert_eq!(
        events[0]["mentions"][0]["url"],
        "https://news.example.org/border-clash"
    );
}

#[test]
fn ingest_survives_truncated_html() {
    let dir = tempdir();
    write(
        dir.path(),
        "in/unclosed.html",
        "<html><body><div class=\"story\"><p>Egyptian officials met Sudanese leaders \
         in Cairo on Sunday.<p>Then the <b>talks <i>went on",
    );
    write(
        dir.path(),
        "in/cut.html",
        "<html><body><p>Kenyan police arrested two journalists.</p><a href=\"http://exa",
    );
    let head_only = write(dir.path(), "in/head.html", "<html><head><title>Brok");
    let db = dir.path().join("t.db");
    let err = fails(&ingest(&db, &[&dir.path().join("in")], None), &["2 stored"]);
    assert_reported(&err, s(&head_only));
    assert_stored(&db, "Egyptian officials met Sudanese leaders");
    assert_stored(&db, "Kenyan police arrested two journalists.");
}

#[test]
fn ingest_refuses_impossible_published_date() {
    let dir = tempdir();
    let good = write(dir.path(), "kenya.txt", KENYA);
    let db = dir.path().join("t.db");
    fails(
        &ingest(&db, &[&good], Some("2024-02-30")),
        &["2024-02-30", "YYYY-MM-DD"],
    );
    assert!(!db.exists(), "a database was written");
}

// ---------------------------------------------------------------- code

/// Run `pulse code --jsonl` on the given lines.
fn code(lines: &[String]) -> Output {
    pulse(&["code", "--jsonl"], Some(lines.join("\n").as_bytes()))
}

const MULTIBYTE: &str = "Pakistani troops attacked Taliban positions near the border on \
    Monday. “We will not yield,” the mayor of Zürich said — then Swiss police arrested 12 \
    protesters in Zürich on Tuesday.";
const DASHED: &str =
    "Kenyan police arrested two opposition leaders on Monday — a day after the vote in Zürich.";

#[test]
fn code_jsonl_writes_events_with_byte_offsets() {
    let out = code(&[
        code_line("a".into(), MULTIBYTE, Some("2024-03-02")),
        code_line(7.into(), DASHED, None),
        "{this is not json".to_string(),
    ]);
    fails(&out, &["<stdin>:3:"]);
    let records = jsonl(&out);
    // one output line per input line: the bad one carries its error
    assert_eq!(records.len(), 3, "{}", stdout(&out));
    assert!(records[2]["error"].is_string(), "{}", records[2]);
    assert!(records[2]["id"].is_null());
    for (rec, (id, text)) in records
        .iter()
        .take(2)
        .zip([(Value::from("a"), MULTIBYTE), (Value::from(7), DASHED)])
    {
        assert_eq!(rec["id"], id);
        for key in ["events", "quotes", "quantities", "timexes", "places"] {
            assert!(rec[key].is_array(), "{key} missing in {rec}");
        }
        let events = rec["events"].as_array().expect("events");
        assert!(!events.is_empty(), "no events for {id}");
        for ev in events {
            for key in ["cameo", "root", "quad_class", "goldstein"] {
                assert!(!ev[key].is_null(), "event lacks {key}: {ev}");
            }
            // PLOVER has no type for some CAMEO codes (010): null, but present
            for key in ["plover", "date", "sentence", "spans"] {
                assert!(ev.get(key).is_some(), "event lacks {key}: {ev}");
            }
            for role in ["source", "target"] {
                let actor = &ev[role];
                if role == "source" || !actor.is_null() {
                    for key in ["text", "code", "country", "sector", "start", "end"] {
                        assert!(actor.get(key).is_some(), "{role} lacks {key}: {ev}");
                    }
                }
            }
            for span in ["verb", "source"] {
                assert!(ev["spans"][span]["start"].is_u64(), "no {span} span: {ev}");
            }
        }
        assert!(check_spans(&rec["events"], text) >= 4 * events.len());
    }
    // "on Monday" in a past clause, published Saturday 2024-03-02
    assert_eq!(records[0]["events"][0]["date"], "2024-02-26");
    assert_eq!(records[0]["events"][0]["date_source"], "text");
}

#[test]
fn code_jsonl_events_have_a_place() {
    let out = ok(code(&[code_line("p".into(), DASHED, None)]));
    for ev in jsonl(&out)[0]["events"].as_array().expect("events") {
        assert!(ev.get("place").is_some(), "event lacks place: {ev}");
    }
}

#[test]
fn code_jsonl_finds_quotes_quantities_and_timexes() {
    let out = ok(code(&[code_line(
        "q".into(),
        MULTIBYTE,
        Some("2024-03-02"),
    )]));
    let rec = &jsonl(&out)[0];
    for key in ["quotes", "quantities", "timexes"] {
        let found = rec[key].as_array().expect(key);
        assert!(!found.is_empty(), "no {key} in {MULTIBYTE:?}");
        assert!(check_spans(&rec[key], MULTIBYTE) >= found.len());
    }
    // "We will not yield," the mayor of Zürich said: a direct quote and its speaker
    let quotes = rec["quotes"].as_array().expect("quotes");
    assert!(
        quotes.iter().any(|q| q["direct"] == true
            && field(&q["speaker"], "text").starts_with("the mayor")
            && q["speaker_actor"] == "GOV"),
        "{quotes:?}"
    );
    // "arrested 12 protesters": a count of 12 people
    let quantities = rec["quantities"].as_array().expect("quantities");
    assert!(
        quantities.iter().any(|q| q["count"] == 12),
        "{quantities:?}"
    );
    // "on Monday" before Saturday 2024-03-02
    let timexes = rec["timexes"].as_array().expect("timexes");
    assert!(
        timexes
            .iter()
            .any(|t| t["value"] == "2024-02-26" && t["type"] == "DATE"),
        "{timexes:?}"
    );
}

#[test]
fn code_jsonl_finds_places() {
    let out = ok(code(&[code_line(
        "q".into(),
        MULTIBYTE,
        Some("2024-03-02"),
    )]));
    let rec = &jsonl(&out)[0];
    let found = rec["places"].as_array().expect("places");
    assert!(!found.is_empty(), "no places in {MULTIBYTE:?}");
    assert!(check_spans(&rec["places"], MULTIBYTE) >= found.len());
    let places = rec["places"].as_array().expect("places");
    assert!(
        places
            .iter()
            .any(|p| p["name"] == "Zürich" && p["country"] == "CH"),
        "{places:?}"
    );
}

// ---------------------------------------------------------------- query, export

/// A store holding events from three articles on two dates.
fn sample_store(dir: &Path) -> PathBuf {
    write(dir, "in/kenya.txt", KENYA);
    write(dir, "in/ukraine.txt", UKRAINE);
    write(
        dir,
        "in/germany.jsonl",
        format!(
            "{}\n",
            serde_json::json!({ "text": GERMANY, "published": "2024-03-20" })
        ),
    );
    let db = dir.join("t.db");
    ok(ingest(&db, &[&dir.join("in")], Some("2024-03-04")));
    db
}

/// Assert the filter returns some events and `keep` holds for each.
fn assert_filter(db: &Path, args: &[&str], keep: impl Fn(&Value) -> bool) -> usize {
    let events = query(db, args);
    assert!(!events.is_empty(), "{args:?} found nothing");
    for e in &events {
        assert!(keep(e), "{args:?} returned {e}");
    }
    events.len()
}

fn field<'a>(e: &'a Value, key: &str) -> &'a str {
    e[key].as_str().unwrap_or_default()
}

#[test]
fn query_filters_and_pages() {
    let dir = tempdir();
    let db = sample_store(dir.path());
    let all = query(&db, &[]);
    assert!(all.len() >= 4, "too few events: {all:?}");

    // piped output without --format is JSON Lines
    let piped = ok(pulse(&["query", "--db", s(&db)], None));
    assert_eq!(jsonl(&piped), all);

    assert_filter(&db, &["--actor", "KEN"], |e| {
        field(e, "source_code").starts_with("KEN") || field(e, "target_code").starts_with("KEN")
    });
    assert_filter(&db, &["--root", "19"], |e| e["root"] == "19");
    assert_filter(&db, &["--country", "ukr"], |e| {
        e["source_country"] == "UKR" || e["target_country"] == "UKR"
    });
    // events are dated by the text: "on Thursday", published Wednesday
    // 2024-03-20, is 2024-03-14; the others are on or before 2024-03-04
    let in_range = assert_filter(&db, &["--from", "2024-03-10", "--to", "2024-03-31"], |e| {
        e["date"] == "2024-03-14"
    });
    assert!(in_range < all.len(), "the date range filtered nothing out");
    assert_filter(&db, &["--to", "2024-03-04"], |e| {
        field(e, "date") <= "2024-03-04"
    });

    assert_eq!(query(&db, &["--limit", "1", "--offset", "1"]), all[1..2]);
    assert_eq!(query(&db, &["--limit", "2"]), all[..2]);

    let bad = |extra: &[&str], needles: &[&str]| {
        let mut args = vec!["query", "--db", s(&db)];
        args.extend(extra);
        fails(&pulse(&args, None), needles);
    };
    bad(&["--quad", "9"], &["--quad", "1, 2, 3 or 4"]);
    bad(&["--from", "2024-13-45"], &["2024-13-45", "YYYY-MM-DD"]);
    bad(&["--to", "yesterday"], &["yesterday", "YYYY-MM-DD"]);
}

#[test]
fn query_missing_database_is_refused() {
    let dir = tempdir();
    let db = dir.path().join("none.db");
    fails(&pulse(&["query", "--db", s(&db)], None), &[s(&db)]);
    assert!(!db.exists(), "query created a database");
}

#[test]
fn export_formats() {
    let dir = tempdir();
    let db = sample_store(dir.path());
    let n = query(&db, &[]).len();

    let gdelt = stdout(&ok(export(&db, "gdelt")));
    assert_eq!(gdelt.lines().count(), n);
    for row in gdelt.lines() {
        assert_eq!(row.split('\t').count(), 61, "row: {row:?}");
    }

    let csv = stdout(&ok(export(&db, "csv")));
    let header = csv.lines().next().expect("a header line");
    assert!(
        header.starts_with("id,") && header.contains(",cameo,"),
        "{header}"
    );
    assert_eq!(csv.lines().count(), n + 1);

    let file = dir.path().join("events.jsonl");
    ok(pulse(
        &[
            "export",
            "--db",
            s(&db),
            "--format",
            "jsonl",
            "-o",
            s(&file),
        ],
        None,
    ));
    let written = std::fs::read(&file).expect("export file");
    assert_eq!(written, ok(export(&db, "jsonl")).stdout);

    fails(
        &export(&db, "nope"),
        &["nope", "jsonl", "csv", "gdelt", "parquet"],
    );

    // Parquet is binary: never to stdout, and only in builds with it
    let pq = dir.path().join("events.parquet");
    let to_file = pulse(
        &[
            "export",
            "--db",
            s(&db),
            "--format",
            "parquet",
            "-o",
            s(&pq),
        ],
        None,
    );
    if cfg!(feature = "parquet") {
        fails(
            &export(&db, "parquet"),
            &["parquet", "needs a file", "--output"],
        );
        assert!(stderr(&ok(to_file)).contains(&format!("{n} events exported")));
        let bytes = std::fs::read(&pq).expect("parquet file");
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    } else {
        fails(
            &export(&db, "parquet"),
            &["without Parquet", "--features parquet"],
        );
        fails(&to_file, &["without Parquet"]);
        assert!(!pq.exists(), "a build without parquet created the file");
    }
}

// ---------------------------------------------------------------- eval

#[test]
fn eval_without_gold_data_is_skipped() {
    // The real gold data (../shared/data) is scored by CI, not here. pulse
    // runs in the system temp folder, where ../shared/data does not exist.
    let dir = tempdir();
    let missing = dir.path().join("no-such-data");
    assert!(!std::env::temp_dir().join("../shared/data").exists());
    let out = ok(pulse(&["eval", "all"], None));
    let text = stdout(&out);
    assert!(text.starts_with("skipped:"), "{text}");
    let last = text.lines().last().expect("output");
    let (passed, failed) = last.split_once(", ").expect("N passed, N failed");
    for (part, word) in [(passed, " passed"), (failed, " failed")] {
        let digits = part.strip_suffix(word).unwrap_or_else(|| panic!("{last}"));
        assert!(
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
            "{last}"
        );
    }

    // a folder named on the command line must exist
    fails(
        &pulse(&["eval", "all", "--data", s(&missing)], None),
        &["no-such-data"],
    );
    fails(
        &pulse(&["eval", "bogus", "--data", s(&missing)], None),
        &["bogus", "cameo-examples", "plover-gold"],
    );
}

#[test]
fn code_jsonl_normalises_dates_and_refuses_bad_bytes() {
    let text = "Pakistani troops attacked Taliban positions near the border.";
    let lines = [
        serde_json::json!({"id": 1, "text": text, "published": "2024-03-02"}).to_string(),
        serde_json::json!({"id": 2, "text": text, "published": "2024-03-02T09:30:00Z"}).to_string(),
    ];
    let mut input = lines.join("\n").into_bytes();
    input.extend_from_slice(b"\n{\"id\":3,\"text\":\"\xff Russia attacked Ukraine.\"}\n");
    let out = pulse(&["code", "--jsonl"], Some(&input));
    fails(&out, &["<stdin>:3:", "UTF-8"]);
    let records = jsonl(&out);
    assert_eq!(records.len(), 3);
    // a date-time gives its date: the same event, the same id
    assert_eq!(records[1]["events"][0]["date"], "2024-03-02");
    assert_eq!(records[0]["events"][0]["id"], records[1]["events"][0]["id"]);
    assert!(records[2]["error"].is_string());
}

#[test]
fn a_postgres_url_is_refused_not_taken_for_a_file() {
    let dir = tempdir();
    let article = dir.path().join("a.txt");
    write(
        dir.path(),
        "a.txt",
        "Kenyan police arrested two opposition leaders.",
    );
    let out = pulse(
        &["ingest", s(&article), "--db", "postgres://localhost/pulse"],
        None,
    );
    fails(&out, &["PostgreSQL"]);
    assert!(!std::env::temp_dir().join("postgres:").exists());
}

#[test]
fn parse_writes_conllu_for_raw_and_pretokenized_text() {
    let text = "Kenyan police arrested two opposition leaders on Monday. The government denied it.";
    let out = ok(pulse(&["parse", "--conllu"], Some(text.as_bytes())));
    let conllu = stdout(&out);
    let sentences: Vec<&str> = conllu
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .collect();
    assert_eq!(sentences.len(), 2, "{conllu}");
    for block in &sentences {
        let rows: Vec<Vec<&str>> = block
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').collect())
            .collect();
        assert!(rows.iter().all(|r| r.len() == 10), "{block}");
        // exactly one root, every head inside the sentence
        assert_eq!(rows.iter().filter(|r| r[6] == "0").count(), 1, "{block}");
        let n = rows.len();
        assert!(rows
            .iter()
            .all(|r| r[6].parse::<usize>().is_ok_and(|h| h <= n)));
    }
    assert!(
        conllu.contains("\tarrested\tarrest\tVERB\tVBD\t"),
        "{conllu}"
    );
    // the same words back through --pretokenized keep their segmentation
    let again = ok(pulse(
        &["parse", "--conllu", "--pretokenized"],
        Some(conllu.as_bytes()),
    ));
    let words = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| l.split('\t').nth(1).map(str::to_string))
            .collect()
    };
    assert_eq!(words(&conllu), words(&stdout(&again)));
    // bad CoNLL-U is an error, not a panic
    fails(
        &pulse(&["parse", "--conllu", "--pretokenized"], Some(b"1\tonly\n")),
        &["CoNLL-U"],
    );
}

// ---------------------------------------------------------------- extract

/// A made-up news page: navigation, a headline, two paragraphs, a footer.
const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour Bridge Reopens After Repairs | The Lakeside Courier</title>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Harbour Bridge Reopens After Repairs</h1>
<p>The old harbour bridge in Lakeside reopened to traffic on Tuesday morning after eight months of repairs to its steel deck, the town council said in a statement.</p>
<p>Council engineers said the bridge can again carry buses and delivery lorries, and that a footpath on its western side will open to walkers and cyclists next month.</p>
</article>
<footer><p>Copyright The Lakeside Courier. All rights reserved.</p></footer>
</body>
</html>
"#;

#[test]
fn extract_prints_one_json_object_for_a_page() {
    let dir = tempdir();
    let page = write(dir.path(), "page.html", NEWS_PAGE);
    let out = ok(pulse(
        &[
            "extract",
            s(&page),
            "--url",
            "https://courier.example/bridge",
            "--json",
        ],
        None,
    ));
    let records = jsonl(&out);
    assert_eq!(records.len(), 1, "{}", stdout(&out));
    let r = &records[0];
    for key in ["title", "published", "authors", "site", "language", "text"] {
        assert!(r.get(key).is_some(), "no {key:?} in {r}");
    }
    assert_eq!(r["title"], "Harbour Bridge Reopens After Repairs");
    assert!(r["authors"].is_array(), "{r}");
    assert!(
        r["published"].is_null() || r["published"].is_string(),
        "{r}"
    );
    assert_eq!(r["url"], "https://courier.example/bridge");
    let text = r["text"].as_str().unwrap_or_else(|| panic!("{r}"));
    let paragraphs: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(paragraphs.len(), 2, "{text:?}");
    assert!(
        paragraphs[0].starts_with("The old harbour bridge"),
        "{text:?}"
    );
    assert!(paragraphs[1].ends_with("next month."), "{text:?}");
    assert!(!text.contains("Sport"), "navigation kept: {text:?}");

    // the charset is detected as ingest does it: a windows-1252 page
    let latin = NEWS_PAGE.replace("utf-8", "windows-1252").replace(
        "Council engineers",
        "Caf\u{e9} owners and council engineers",
    );
    let bytes: Vec<u8> = latin.chars().map(|c| c as u32 as u8).collect();
    let page = write(dir.path(), "latin.htm", bytes);
    let r = &jsonl(&ok(pulse(&["extract", s(&page), "--json"], None)))[0];
    assert!(r.get("url").is_none(), "{r}");
    assert!(
        r["text"]
            .as_str()
            .is_some_and(|t| t.contains("Café owners")),
        "{r}"
    );

    // a missing or binary page is an error naming it, not a panic
    let missing = dir.path().join("missing.html");
    let err = fails(&pulse(&["extract", s(&missing), "--json"], None), &[]);
    assert_reported(&err, s(&missing));
    let binary = write(dir.path(), "binary.html", b"\x00\x01\x02<html>\x00\x00");
    let err = fails(&pulse(&["extract", s(&binary), "--json"], None), &[]);
    assert_reported(&err, s(&binary));
}

// ---------------------------------------------------------------- aggregate, alerts

#[test]
fn aggregate_and_alerts_on_articles_we_wrote() {
    let dir = tempdir();
    // one attack near Kandahar a month, January to July 2019; July's is the
    // deadliest, and it is reported twice in other words (12 and 40 killed)
    let killed = [3, 4, 2, 5, 3, 4, 12];
    let mut lines = String::new();
    for (i, n) in killed.iter().enumerate() {
        let text = format!(
            "Taliban fighters attacked an army base in Kandahar on Monday, killing {n} \
             soldiers, officials said. Report {i} of the month."
        );
        let published = format!("2019-{:02}-10", i + 1);
        lines.push_str(&serde_json::json!({ "text": text, "published": published }).to_string());
        lines.push('\n');
    }
    let second = "Taliban fighters stormed an army base in Kandahar on Monday and killed 40 \
                  soldiers, a local official said.";
    lines.push_str(&serde_json::json!({ "text": second, "published": "2019-07-10" }).to_string());
    lines.push('\n');
    let input = write(dir.path(), "in/attacks.jsonl", lines);
    let db = dir.path().join("t.db");
    ok(ingest(&db, &[&input], None));

    let out = ok(pulse(
        &[
            "aggregate",
            "--db",
            s(&db),
            "--by",
            "month",
            "--root",
            "19",
            "--json",
        ],
        None,
    ));
    let agg: Value = serde_json::from_str(&stdout(&out)).expect("one JSON object");
    let rows = agg["rows"].as_array().expect("rows");
    let july = rows
        .iter()
        .find(|r| r["period"] == "2019-07")
        .unwrap_or_else(|| panic!("no July row: {agg}"));
    // the two reports of July's attack are one event with 40 killed, not 52
    assert_eq!(
        (july["events"].as_u64(), july["fatalities"].as_u64()),
        (Some(1), Some(40))
    );
    let january = rows
        .iter()
        .find(|r| r["period"] == "2019-01")
        .expect("January");
    assert_eq!(january["fatalities"].as_u64(), Some(3));

    let table = stdout(&ok(pulse(
        &[
            "aggregate",
            "--db",
            s(&db),
            "--group",
            "place-country",
            "--place-country",
            "af",
        ],
        None,
    )));
    assert!(table.contains("2019-07     AF"), "{table}");

    let alerts = stdout(&ok(pulse(&["alerts", "--db", s(&db)], None)));
    // no country-level place was stored, so the country goes by its code
    assert!(
        alerts
            .lines()
            .any(|l| l.starts_with("AF: fatalities in 2019-07 are 40, the highest on record")),
        "{alerts}"
    );
    // looking back from June: June's 4 is beaten by April's 5
    let june = stdout(&ok(pulse(
        &["alerts", "--db", s(&db), "--to", "2019-06-30"],
        None,
    )));
    assert!(!june.contains("fatalities"), "{june}");

    fails(
        &pulse(&["aggregate", "--db", s(&db), "--by", "year"], None),
        &["unknown period", "day, week, month"],
    );
    fails(
        &pulse(&["aggregate", "--db", s(&db), "--bbox", "1,2,3"], None),
        &["--bbox", "MIN_LON"],
    );
}

// ---------------------------------------------------------------- serve, PostgreSQL

/// A `pulse serve` child process, killed when dropped.
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `pulse serve ARGS… --addr 127.0.0.1:PORT` on a free port and wait
/// until it answers.
fn serve(args: &[&str], env: &[(&str, &str)]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"));
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_pulse"))
        .arg("serve")
        .args(args)
        .args(["--addr", &addr])
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start pulse serve: {e}"));
    let server = Server { child, addr };
    let start = Instant::now();
    while http(&server.addr, "GET", "/api/health", None, "").0 != 200 {
        assert!(
            start.elapsed().as_secs() < 60,
            "pulse serve did not answer on {}",
            server.addr
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    server
}

/// One HTTP/1.1 request over a plain socket: the status (0 when the
/// server cannot be reached) and the body.
fn http(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> (u16, String) {
    use std::io::Read;
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return (0, String::new());
    };
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

#[test]
fn serve_with_a_token_codes_and_stores_posted_articles() {
    let dir = tempdir();
    let db = sample_store(dir.path());
    let before = query(&db, &[]).len();
    let token = "posting-token-for-a-test-0123";
    let server = serve(&["--db", s(&db)], &[("PULSE_INGEST_TOKEN", token)]);
    let line = serde_json::json!({
        "text": "Ethiopian troops clashed with rebels near Gondar on Thursday, killing 12 people.",
        "url": "https://example.org/gondar"
    });
    let (status, body) = http(&server.addr, "POST", "/api/ingest", None, &line.to_string());
    assert_eq!(status, 401, "{body}");
    let (status, body) = http(
        &server.addr,
        "POST",
        "/api/ingest?published=2024-03-08",
        Some(token),
        &format!("{line}\n"),
    );
    assert_eq!(status, 200, "{body}");
    let summary: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(summary["stored"], 1, "{body}");
    assert!(summary["events"].as_u64().unwrap_or(0) >= 1, "{body}");
    // the same body again is a duplicate, not a second copy
    let (_, body) = http(
        &server.addr,
        "POST",
        "/api/ingest",
        Some(token),
        &format!("{line}\n"),
    );
    let again: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(
        (again["stored"].as_u64(), again["duplicates"].as_u64()),
        (Some(0), Some(1))
    );
    drop(server);
    let after = query(&db, &[]);
    assert!(
        after.len() > before,
        "{} events before, {} after",
        before,
        after.len()
    );
    assert!(
        after.iter().any(|e| e["date"] == "2024-03-07"),
        "Thursday before 2024-03-08"
    );
}

#[test]
fn serve_is_read_only_without_a_token_and_refuses_a_short_one() {
    let dir = tempdir();
    let db = sample_store(dir.path());
    let server = serve(&["--db", s(&db)], &[("PULSE_INGEST_TOKEN", "")]);
    let (status, _) = http(&server.addr, "POST", "/api/ingest", Some("anything"), "x");
    assert_eq!(status, 403);
    drop(server);
    let short = pulse(&["serve", "--db", s(&db), "--ingest-token", "short"], None);
    assert!(!short.status.success());
    assert!(stderr(&short).contains("at least 16"), "{}", stderr(&short));
}

/// A new database on the test server named by PULSE_TEST_POSTGRES, dropped
/// when the guard is; `None` (reason printed) when there is none.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                &self.admin,
                "-qc",
                &format!("DROP DATABASE IF EXISTS {}", self.name),
            ])
            .output();
    }
}

fn pg_database() -> Option<PgDatabase> {
    let Ok(admin) = std::env::var("PULSE_TEST_POSTGRES") else {
        eprintln!("skipped: PULSE_TEST_POSTGRES is not set");
        return None;
    };
    let name = format!("pulse_cli_{}", std::process::id());
    let created = Command::new("psql")
        .args([&admin, "-qc", &format!("CREATE DATABASE {name}")])
        .output();
    match created {
        Ok(o) if o.status.success() => {}
        other => {
            eprintln!("skipped: cannot create a database with psql: {other:?}");
            return None;
        }
    }
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
    let url = format!("{base}/{name}");
    Some(PgDatabase { admin, name, url })
}

/// An export with the timestamps of when rows were stored taken out.
fn without_timestamps(text: &str) -> String {
    text.lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.remove("first_seen");
            }
            v.to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_postgres_store_answers_as_the_sqlite_one() {
    let Some(pg) = pg_database() else {
        return;
    };
    let dir = tempdir();
    let lite = sample_store(dir.path());
    let pg_ingest = pulse(
        &[
            "ingest",
            s(&dir.path().join("in")),
            "--db",
            &pg.url,
            "--published",
            "2024-03-04",
        ],
        None,
    );
    ok(pg_ingest);
    let lite_events = stdout(&ok(export(&lite, "jsonl")));
    let pg_events = stdout(&ok(pulse(
        &["export", "--db", &pg.url, "--format", "jsonl"],
        None,
    )));
    assert!(!lite_events.is_empty());
    assert_eq!(
        without_timestamps(&lite_events),
        without_timestamps(&pg_events)
    );
    for args in [
        &["aggregate", "--by", "day", "--json"][..],
        &["alerts", "--json"][..],
        &["query", "--format", "jsonl", "--actor", "ken"][..],
    ] {
        let mut a = args.to_vec();
        a.extend(["--db", s(&lite)]);
        let mut b = args.to_vec();
        b.extend(["--db", &pg.url]);
        let (x, y) = (stdout(&ok(pulse(&a, None))), stdout(&ok(pulse(&b, None))));
        assert_eq!(without_timestamps(&x), without_timestamps(&y), "{args:?}");
    }
    // a second ingest stores nothing new, as with SQLite
    let again = ok(pulse(
        &["ingest", s(&dir.path().join("in")), "--db", &pg.url],
        None,
    ));
    assert!(stderr(&again).contains("0 stored"), "{}", stderr(&again));
    // and the server reads it (its pool closes cleanly when stopped)
    let server = serve(&["--db", &pg.url], &[]);
    let (status, body) = http(&server.addr, "GET", "/api/health", None, "");
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(health["articles"], 3, "{body}");
    let (status, body) = http(&server.addr, "GET", "/api/events?actor=ken", None, "");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn an_article_too_long_to_analyse_is_refused_by_name() {
    let dir = tempdir();
    let line = "Kenyan police arrested two men in Nairobi on Monday. ";
    let text = line.repeat((2 << 20) / line.len() + 10);
    let long = write(dir.path(), "in/long.txt", &text);
    write(dir.path(), "in/short.txt", KENYA);
    let db = dir.path().join("t.db");
    let out = ingest(&db, &[&dir.path().join("in")], Some("2024-03-04"));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_reported(&err, s(&long));
    assert!(err.contains("longer than pulse analyses"), "{err}");
    // the batch went on: the short article is stored
    assert_stored(&db, "opposition leaders");
}
