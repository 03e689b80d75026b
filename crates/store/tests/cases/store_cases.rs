// The store's behaviour, written once and included by each backend's test
// target (tests/store.rs for SQLite, tests/postgres.rs for PostgreSQL); the
// including file defines `TestStore` and `fresh()`, a new empty store or
// `None` when its backend is not reachable (the test then skips).

use pulse_code::{Actor, Counts, Event, EventSpans, TextSpan};
use pulse_ingest::Article;
use pulse_store::{
    Alert, AlertKind, AlertOptions, EventFilter, ExportFormat, GroupBy, InsertOutcome, Period,
    Series, Stats, Store, StoreError, StoredEvent, CSV_COLUMNS, GDELT_COLUMNS, SCHEMA_VERSION,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;
fn article(id: &str, url: Option<&str>, source: &str) -> Article {
    Article {
        id: id.to_string(),
        source: source.to_string(),
        url: url.map(str::to_string),
        title: Some(format!("Title of {id}")),
        published: Some("2024-01-05".to_string()),
        text: format!("Text of article {id}. Second sentence."),
    }
}

fn actor(code: &str, text: &str, start: usize) -> Actor {
    Actor {
        text: text.to_string(),
        code: code.to_string(),
        country: code.get(..3).map(str::to_string),
        country_from_context: false,
        sector: code.get(3..).filter(|s| !s.is_empty()).map(str::to_string),
        start,
        end: start + text.len(),
    }
}

#[allow(clippy::too_many_arguments)]
fn event(
    id: &str,
    date: Option<&str>,
    cameo: &str,
    quad: u8,
    goldstein: f32,
    source: Actor,
    target: Option<Actor>,
    sentence: usize,
) -> Event {
    let text = format!("{} did {} to someone.", source.text, cameo);
    Event {
        id: id.to_string(),
        cameo: cameo.to_string(),
        root: cameo.get(..2).unwrap_or(cameo).to_string(),
        name: format!("Code {cameo}"),
        quad_class: quad,
        goldstein,
        plover: Some("ASSAULT".to_string()),
        spans: EventSpans {
            source: Some(TextSpan {
                start: source.start,
                end: source.end,
                text: source.text.clone(),
            }),
            target: target.as_ref().map(|t| TextSpan {
                start: t.start,
                end: t.end,
                text: t.text.clone(),
            }),
            verb: TextSpan {
                start: 30,
                end: 34,
                text: "did".to_string(),
            },
        },
        source,
        target,
        date: date.map(str::to_string),
        date_precision: date.map(|_| "day".to_string()),
        date_source: date.map(|_| "published".to_string()),
        place: None,
        counts: Counts::default(),
        mode: None,
        pattern: String::new(),
        confidence: 0.5,
        sentence,
        start: 0,
        end: text.len(),
        text,
    }
}

/// Five events in five articles on different sites.
fn sample_events() -> Vec<Event> {
    vec![
        event(
            "ev-attack",
            Some("2024-01-05"),
            "190",
            4,
            -10.0,
            actor("AFGGOV", "Afghan government", 0),
            Some(actor("USA", "United States", 40)),
            0,
        ),
        event(
            "ev-praise",
            Some("2024-01-10"),
            "042",
            1,
            1.9,
            actor("USAGOV", "Washington", 0),
            Some(actor("CHNGOV", "Beijing", 20)),
            1,
        ),
        event(
            "ev-appeal",
            Some("2024-02-01"),
            "0211",
            1,
            2.8,
            actor("IGOUNO", "United Nations", 0),
            Some(actor("SYRREB", "Syrian rebels", 25)),
            2,
        ),
        event(
            "ev-fight",
            Some("2024-03-15"),
            "193",
            4,
            -10.0,
            actor("RUSMIL", "Russian forces", 0),
            Some(actor("UKR", "Ukraine", 30)),
            0,
        ),
        event(
            "ev-nodate",
            None,
            "010",
            1,
            0.0,
            actor("FRA", "France", 0),
            None,
            0,
        ),
    ]
}

/// A store with each sample event in its own article.
fn sample_store() -> Result<Option<TestStore>, StoreError> {
    let Some(mut store) = fresh()? else {
        return Ok(None);
    };
    for (i, ev) in sample_events().into_iter().enumerate() {
        let a = article(
            &format!("art{i}"),
            Some(&format!("https://site{i}.example/news/{i}")),
            "feed.jsonl",
        );
        store.insert_article(&a, &[(0, 20), (21, 40)], &[ev], &[])?;
    }
    Ok(Some(store))
}

fn ids(events: &[StoredEvent]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

fn filter() -> EventFilter {
    EventFilter::default()
}

#[test]
fn reinserting_an_article_is_a_no_op() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let a = article("a1", Some("https://one.example/x"), "s");
    let evs = sample_events();
    let first = store.insert_article(&a, &[(0, 10), (11, 20)], &evs[..2], &[])?;
    assert_eq!(
        first,
        InsertOutcome::Inserted {
            events: 2,
            new_events: 2
        }
    );
    let before = store.stats()?;
    let before_events = store.query(&filter())?;
    let second = store.insert_article(&a, &[(0, 10), (11, 20)], &evs, &[])?;
    assert_eq!(second, InsertOutcome::Duplicate);
    assert_eq!(store.stats()?, before);
    assert_eq!(store.query(&filter())?, before_events);
    assert_eq!(store.articles_count()?, 1);
    Ok(())
}

#[test]
fn same_event_from_two_articles_is_merged() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let ev = sample_events().remove(0);
    let mut ev2 = ev.clone();
    ev2.sentence = 3;
    ev2.source.text = "Kabul".to_string();
    let a1 = article("a1", Some("https://www.news-one.example/a"), "s1");
    let a2 = article("a2", Some("http://NEWS-TWO.example:8080/b?c"), "s2");
    let r1 = store.insert_article(&a1, &[], &[ev], &[])?;
    let r2 = store.insert_article(&a2, &[], &[ev2], &[])?;
    assert_eq!(
        r1,
        InsertOutcome::Inserted {
            events: 1,
            new_events: 1
        }
    );
    assert_eq!(
        r2,
        InsertOutcome::Inserted {
            events: 1,
            new_events: 0
        }
    );
    let events = store.query(&filter())?;
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!((e.num_mentions, e.num_articles, e.num_sources), (2, 2, 2));
    // The first report names the event.
    assert_eq!(e.source_name, "Afghan government");
    let arts: Vec<&str> = e.mentions.iter().map(|m| m.article_id.as_str()).collect();
    assert_eq!(arts, vec!["a1", "a2"]);
    assert_eq!(e.mentions[1].sentence, 3);
    assert_eq!(
        e.mentions[0].url.as_deref(),
        Some("https://www.news-one.example/a")
    );
    let stats = store.stats()?;
    assert_eq!((stats.events, stats.mentions), (1, 2));
    Ok(())
}

#[test]
fn sources_count_sites_not_articles() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let ev = sample_events().remove(1);
    // Two pages of one site (with and without www.), one article without URL.
    store.insert_article(
        &article("a1", Some("https://www.same.example/1"), "f"),
        &[],
        std::slice::from_ref(&ev),
        &[],
    )?;
    store.insert_article(
        &article("a2", Some("https://same.example/2"), "f"),
        &[],
        std::slice::from_ref(&ev),
        &[],
    )?;
    store.insert_article(
        &article("a3", None, "notes.txt"),
        &[],
        std::slice::from_ref(&ev),
        &[],
    )?;
    store.insert_article(
        &article("a4", None, "notes.txt"),
        &[],
        std::slice::from_ref(&ev),
        &[],
    )?;
    let e = store.event("ev-praise")?.ok_or("event missing")?;
    assert_eq!((e.num_mentions, e.num_articles, e.num_sources), (4, 4, 2));
    Ok(())
}

#[test]
fn two_mentions_in_one_article_count_once_per_article() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let ev = sample_events().remove(0);
    let mut again = ev.clone();
    again.sentence = 1;
    let out = store.insert_article(&article("a1", None, "s"), &[], &[ev.clone(), again], &[])?;
    assert_eq!(
        out,
        InsertOutcome::Inserted {
            events: 2,
            new_events: 1
        }
    );
    let e = store.event(&ev.id)?.ok_or("event missing")?;
    assert_eq!((e.num_mentions, e.num_articles, e.num_sources), (2, 1, 1));
    Ok(())
}

#[test]
fn a_repeated_mention_in_one_call_is_stored_once() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let ev = sample_events().remove(0);
    let out = store.insert_article(
        &article("a1", None, "s"),
        &[],
        &[ev.clone(), ev.clone()],
        &[],
    )?;
    assert_eq!(
        out,
        InsertOutcome::Inserted {
            events: 1,
            new_events: 1
        }
    );
    let e = store.event(&ev.id)?.ok_or("event missing")?;
    assert_eq!(e.num_mentions, 1);
    assert_eq!(store.stats()?.mentions, 1);
    Ok(())
}

#[test]
fn an_empty_event_id_is_stored() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let mut ev = sample_events().remove(0);
    ev.id = String::new();
    store.insert_article(&article("a1", None, "s"), &[], &[ev], &[])?;
    let e = store.event("")?.ok_or("event missing")?;
    assert_eq!(e.num_mentions, 1);
    Ok(())
}

#[test]
fn a_failing_insert_stores_nothing() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    store.insert_article(
        &article("a0", None, "s"),
        &[(0, 5)],
        &sample_events()[..1],
        &[],
    )?;
    let before = store.stats()?;
    let before_events = store.query(&filter())?;

    // The second event cannot be stored (offset beyond SQLite's integers), after the
    // article, its sentences and a merged first event were already written.
    let mut bad = sample_events().remove(1);
    bad.spans.verb.start = usize::MAX;
    let good = sample_events().remove(0);
    let a = article("a1", None, "s");
    let err = store
        .insert_article(&a, &[(0, 5), (6, 9)], &[good, bad], &[])
        .err()
        .ok_or("insert should fail")?;
    assert!(matches!(err, StoreError::OutOfRange { .. }), "{err:?}");
    assert!(!store.contains_article("a1")?);
    assert_eq!(store.stats()?, before);
    assert_eq!(store.query(&filter())?, before_events);

    // Not-a-number scores are refused the same way.
    let mut nan = sample_events().remove(2);
    nan.goldstein = f32::NAN;
    assert!(store.insert_article(&a, &[], &[nan], &[]).is_err());
    assert_eq!(store.stats()?, before);

    // The store is still usable and the article can be stored once fixed.
    let out = store.insert_article(&a, &[(0, 5)], &sample_events()[..2], &[])?;
    assert_eq!(
        out,
        InsertOutcome::Inserted {
            events: 2,
            new_events: 1
        }
    );
    Ok(())
}

#[test]
fn errors_are_recorded() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    store.record_error("bad.html", "not text (binary data)")?;
    assert_eq!(store.stats()?.errors, 1);
    let errors = store.ingest_errors()?;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "bad.html");
    assert_eq!(errors[0].1, "not text (binary data)");
    assert!(errors[0].2.ends_with('Z'));
    Ok(())
}

#[test]
fn events_are_ordered_by_date_then_id() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let all = store.query(&filter())?;
    assert_eq!(
        ids(&all),
        vec![
            "ev-nodate",
            "ev-attack",
            "ev-praise",
            "ev-appeal",
            "ev-fight"
        ]
    );
    let first_seen = &all[0].first_seen;
    assert_eq!(
        first_seen.len(),
        "2024-01-05T10:11:12.123Z".len(),
        "{first_seen}"
    );
    Ok(())
}

#[test]
fn filter_by_date_range() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let f = EventFilter {
        from: Some("2024-01-06".into()),
        to: Some("2024-02-01".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-praise", "ev-appeal"]);
    let f = EventFilter {
        from: Some("2024-01-05".into()),
        to: Some("2024-01-05".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-attack"]);
    // Month and year bounds take in the whole period.
    let f = EventFilter {
        to: Some("2024-01".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-attack", "ev-praise"]);
    let f = EventFilter {
        from: Some("2024-03".into()),
        to: Some("2024".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-fight"]);
    Ok(())
}

#[test]
fn filter_by_actor_code_prefix_and_name() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let q = |actor: &str| {
        store.query(&EventFilter {
            actor: Some(actor.into()),
            ..filter()
        })
    };
    assert_eq!(ids(&q("AFG")?), vec!["ev-attack"]);
    assert_eq!(ids(&q("afggov")?), vec!["ev-attack"]);
    // USA is the target of one event and the source of another.
    assert_eq!(ids(&q("usa")?), vec!["ev-attack", "ev-praise"]);
    assert_eq!(ids(&q("rebels")?), vec!["ev-appeal"]);
    assert_eq!(ids(&q("UNITED")?), vec!["ev-attack", "ev-appeal"]);
    // LIKE wildcards are matched literally.
    assert!(q("%")?.is_empty());
    assert!(q("_SA")?.is_empty());
    Ok(())
}

#[test]
fn filter_by_country_root_and_quad() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let f = EventFilter {
        country: Some("chn".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-praise"]);
    let f = EventFilter {
        country: Some("SYR".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-appeal"]);
    let f = EventFilter {
        root: Some("19".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-attack", "ev-fight"]);
    let f = EventFilter {
        root: Some("193".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-fight"]);
    let f = EventFilter {
        root: Some("021".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-appeal"]);
    let f = EventFilter {
        quad: Some(1),
        ..filter()
    };
    assert_eq!(
        ids(&store.query(&f)?),
        vec!["ev-nodate", "ev-praise", "ev-appeal"]
    );
    let f = EventFilter {
        quad: Some(4),
        root: Some("19".into()),
        actor: Some("rus".into()),
        from: Some("2024-01-01".into()),
        ..filter()
    };
    assert_eq!(ids(&store.query(&f)?), vec!["ev-fight"]);
    Ok(())
}

#[test]
fn pagination_is_stable() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let all = store.query(&filter())?;
    let mut paged = Vec::new();
    for offset in (0..8).step_by(2) {
        let page = store.query(&EventFilter {
            limit: Some(2),
            offset,
            ..filter()
        })?;
        assert!(page.len() <= 2);
        paged.extend(page);
    }
    assert_eq!(paged, all);
    let f = EventFilter {
        limit: Some(0),
        ..filter()
    };
    assert!(store.query(&f)?.is_empty());
    let f = EventFilter {
        offset: 100,
        ..filter()
    };
    assert!(store.query(&f)?.is_empty());
    let f = EventFilter {
        offset: usize::MAX,
        limit: Some(usize::MAX),
        ..filter()
    };
    assert!(store.query(&f)?.is_empty());
    Ok(())
}

#[test]
fn pagination_across_internal_pages() -> TestResult {
    // More events than one internal page (500); more than a page without a date.
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let mut events = Vec::new();
    for i in 0..1203 {
        let date = (i % 2 != 0).then(|| format!("2024-{:02}-{:02}", 1 + i % 12, 1 + i % 28));
        let mut ev = sample_events().remove(0);
        ev.id = format!("ev{i:05}");
        ev.date = date;
        // statements merge by id only (crate::merge), so these stay 1203
        ev.quad_class = 1;
        events.push(ev);
    }
    store.insert_article(&article("big", None, "s"), &[], &events, &[])?;
    let all = store.query(&filter())?;
    assert_eq!(all.len(), 1203);
    assert!(all.iter().all(|e| e.mentions.len() == 1));
    let mut expected: Vec<(Option<String>, String)> = events
        .iter()
        .map(|e| (e.date.clone(), e.id.clone()))
        .collect();
    expected.sort();
    let got: Vec<(Option<String>, String)> =
        all.iter().map(|e| (e.date.clone(), e.id.clone())).collect();
    assert_eq!(got, expected);
    let window = store.query(&EventFilter {
        offset: 450,
        limit: Some(600),
        ..filter()
    })?;
    assert_eq!(window, all[450..1050].to_vec());
    let mut out = Vec::new();
    let n = store.export(&filter(), ExportFormat::Jsonl, &mut out)?;
    assert_eq!(n, 1203);
    Ok(())
}

#[test]
fn injection_strings_match_nothing() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let attacks = [
        "' OR 1=1 --",
        "\" OR \"\"=\"",
        "19' OR '1'='1",
        "x'); DROP TABLE events; --",
        "%' OR 1=1 --",
    ];
    for s in attacks {
        let filters = [
            EventFilter {
                from: Some(s.into()),
                ..filter()
            },
            EventFilter {
                to: Some(s.into()),
                ..filter()
            },
            EventFilter {
                actor: Some(s.into()),
                ..filter()
            },
            EventFilter {
                country: Some(s.into()),
                ..filter()
            },
            EventFilter {
                root: Some(s.into()),
                ..filter()
            },
            EventFilter {
                place_country: Some(s.into()),
                ..filter()
            },
            EventFilter {
                plover: Some(s.into()),
                ..filter()
            },
        ];
        for f in &filters {
            assert!(store.query(f)?.is_empty(), "{f:?}");
            let mut out = Vec::new();
            assert_eq!(store.export(f, ExportFormat::Gdelt, &mut out)?, 0);
        }
    }
    assert_eq!(store.stats()?.events, 5);
    Ok(())
}

#[test]
fn export_jsonl_round_trips() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let mut out = Vec::new();
    let n = store.export(&filter(), ExportFormat::Jsonl, &mut out)?;
    assert_eq!(n, 5);
    let text = String::from_utf8(out)?;
    let parsed = text
        .lines()
        .map(serde_json::from_str::<StoredEvent>)
        .collect::<Result<Vec<_>, _>>()?;
    assert_eq!(parsed, store.query(&filter())?);
    let appeal = parsed
        .iter()
        .find(|e| e.id == "ev-appeal")
        .ok_or("missing")?;
    assert_eq!(appeal.goldstein, 2.8);
    Ok(())
}

#[test]
fn export_csv_parses_back() -> TestResult {
    let Some(mut store) = sample_store()? else {
        return Ok(());
    };
    // A sentence with a comma, a quote and a line break.
    let mut ev = sample_events().remove(3);
    ev.text = "Forces, \"they said\",\nattacked.".to_string();
    store.insert_article(&article("quoted", None, "s"), &[], &[ev.clone()], &[])?;
    let mut out = Vec::new();
    let n = store.export(&filter(), ExportFormat::Csv, &mut out)?;
    assert_eq!(n, 5);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    assert_eq!(header, CSV_COLUMNS.to_vec());
    let rows = reader.records().collect::<Result<Vec<_>, _>>()?;
    assert_eq!(rows.len(), 5);
    let col = |name: &str| {
        CSV_COLUMNS
            .iter()
            .position(|c| *c == name)
            .ok_or(name.to_string())
    };
    assert!(rows.iter().all(|r| r.len() == CSV_COLUMNS.len()));
    let attack = &rows[1];
    assert_eq!(&attack[col("id")?], "ev-attack");
    assert_eq!(&attack[col("source_code")?], "AFGGOV");
    assert_eq!(&attack[col("goldstein")?], "-10");
    assert_eq!(&attack[col("url")?], "https://site0.example/news/0");
    // Merged event: first mention's sentence, in its original form.
    let fight = rows.iter().find(|r| &r[0] == "ev-fight").ok_or("missing")?;
    assert_eq!(&fight[col("num_mentions")?], "2");
    assert_eq!(&fight[col("sentence_text")?], sample_events()[3].text);

    // An empty selection still has its header.
    let mut out = Vec::new();
    let none = EventFilter {
        quad: Some(9),
        ..filter()
    };
    assert_eq!(store.export(&none, ExportFormat::Csv, &mut out)?, 0);
    assert_eq!(String::from_utf8(out)?.lines().count(), 1);
    Ok(())
}

#[test]
fn export_gdelt_rows_have_61_columns() -> TestResult {
    assert_eq!(GDELT_COLUMNS.len(), 61);
    assert_eq!(GDELT_COLUMNS[0], "GLOBALEVENTID");
    assert_eq!(GDELT_COLUMNS[26], "EventCode");
    assert_eq!(GDELT_COLUMNS[59], "DATEADDED");
    assert_eq!(GDELT_COLUMNS[60], "SOURCEURL");

    let Some(mut store) = sample_store()? else {
        return Ok(());
    };
    let mut ev = sample_events().remove(0);
    ev.source.text = "Afghan\tgovernment\nofficials".to_string();
    ev.id = "ev-tabs".to_string();
    // another day's attack, not a second report of the sample's
    ev.date = Some("2024-01-09".to_string());
    store.insert_article(&article("tabs", None, "in\tput.txt"), &[], &[ev], &[])?;

    let mut out = Vec::new();
    let n = store.export(&filter(), ExportFormat::Gdelt, &mut out)?;
    assert_eq!(n, 6);
    let text = String::from_utf8(out)?;
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 6);
    for row in &rows {
        assert_eq!(row.len(), 61, "{row:?}");
    }
    let col = |name: &str| {
        GDELT_COLUMNS
            .iter()
            .position(|c| *c == name)
            .ok_or(name.to_string())
    };
    let by_id = |id: &str| -> Result<Vec<&str>, String> {
        let e = store
            .event(id)
            .map_err(|e| e.to_string())?
            .ok_or(format!("{id} missing"))?;
        rows.iter()
            .find(|r| r[0] == e.global_id.to_string())
            .cloned()
            .ok_or(format!("{id} row missing"))
    };

    let appeal = by_id("ev-appeal")?;
    assert_eq!(appeal[col("SQLDATE")?], "20240201");
    assert_eq!(appeal[col("MonthYear")?], "202402");
    assert_eq!(appeal[col("Year")?], "2024");
    assert_eq!(appeal[col("FractionDate")?], "2024.0877"); // 32 / 365
    assert_eq!(appeal[col("Actor1Code")?], "IGOUNO");
    assert_eq!(appeal[col("Actor1Name")?], "United Nations");
    assert_eq!(appeal[col("Actor1CountryCode")?], "IGO");
    assert_eq!(appeal[col("Actor1Type1Code")?], "UNO");
    assert_eq!(appeal[col("Actor2Code")?], "SYRREB");
    assert_eq!(appeal[col("Actor2CountryCode")?], "SYR");
    assert_eq!(appeal[col("Actor2Type1Code")?], "REB");
    assert_eq!(appeal[col("Actor1KnownGroupCode")?], "");
    assert_eq!(appeal[col("IsRootEvent")?], "0"); // sentence 2
    assert_eq!(appeal[col("EventCode")?], "0211");
    assert_eq!(appeal[col("EventBaseCode")?], "021");
    assert_eq!(appeal[col("EventRootCode")?], "02");
    assert_eq!(appeal[col("QuadClass")?], "1");
    assert_eq!(appeal[col("GoldsteinScale")?], "2.8");
    assert_eq!(appeal[col("NumMentions")?], "1");
    assert_eq!(appeal[col("NumSources")?], "1");
    assert_eq!(appeal[col("NumArticles")?], "1");
    assert_eq!(appeal[col("AvgTone")?], "");
    assert_eq!(appeal[col("ActionGeo_Lat")?], "");
    let added = appeal[col("DATEADDED")?];
    assert_eq!(added.len(), 14);
    assert!(added.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(appeal[col("SOURCEURL")?], "https://site2.example/news/2");

    let attack = by_id("ev-attack")?;
    assert_eq!(attack[col("IsRootEvent")?], "1");
    assert_eq!(attack[col("FractionDate")?], "2024.0137"); // 5 / 365
    assert_eq!(attack[col("Actor2Code")?], "USA");
    assert_eq!(attack[col("Actor2Type1Code")?], "");

    let nodate = by_id("ev-nodate")?;
    assert_eq!(nodate[col("SQLDATE")?], "");
    assert_eq!(nodate[col("Actor2Code")?], "");

    let tabs = by_id("ev-tabs")?;
    assert_eq!(tabs[col("Actor1Name")?], "Afghan government officials");
    assert_eq!(tabs[col("SOURCEURL")?], "in put.txt");
    Ok(())
}

#[test]
fn export_format_names() {
    assert_eq!("jsonl".parse::<ExportFormat>(), Ok(ExportFormat::Jsonl));
    assert_eq!("CSV".parse::<ExportFormat>(), Ok(ExportFormat::Csv));
    assert_eq!("gdelt".parse::<ExportFormat>(), Ok(ExportFormat::Gdelt));
    for name in ExportFormat::NAMES {
        assert_eq!(
            name.parse::<ExportFormat>().map(|f| f.to_string()),
            Ok(name.to_string())
        );
    }
    assert_eq!("Parquet".parse::<ExportFormat>(), Ok(ExportFormat::Parquet));
    assert!(ExportFormat::Parquet.needs_file());
    assert!(!ExportFormat::Csv.needs_file());
    let err = "feather"
        .parse::<ExportFormat>()
        .err()
        .map(|e| e.to_string());
    let msg = err.unwrap_or_default();
    assert!(msg.contains("feather"), "{msg}");
    for name in ExportFormat::NAMES {
        assert!(msg.contains(name), "{msg}");
    }
}

#[test]
fn events_without_target_or_date_survive_a_round_trip() -> TestResult {
    let Some(store) = sample_store()? else {
        return Ok(());
    };
    let e = store.event("ev-nodate")?.ok_or("missing")?;
    assert_eq!(e.date, None);
    assert_eq!(e.target_code, None);
    assert_eq!(e.mentions.len(), 1);
    assert_eq!(e.mentions[0].target_span, None);
    assert_eq!(e.mentions[0].source_span.map(|s| s.start), Some(0));
    assert_eq!(e.mentions[0].verb.start, 30);
    assert!(store.event("no-such-event")?.is_none());
    Ok(())
}

#[test]
fn a_country_taken_from_context_is_flagged_in_store_and_csv() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let mut police = actor("COP", "Police", 0);
    police.country = Some("KEN".to_string());
    police.country_from_context = true;
    let ev = event(
        "ev-ctx",
        Some("2024-05-14"),
        "173",
        4,
        -5.0,
        police,
        None,
        0,
    );
    let a = article("art-ctx", Some("https://a.example/1"), "feed.jsonl");
    store.insert_article(&a, &[(0, 40)], &[ev], &[])?;
    let e = store.event("ev-ctx")?.ok_or("missing")?;
    assert_eq!(e.source_country.as_deref(), Some("KEN"));
    assert!(e.source_country_from_context);
    assert!(!e.target_country_from_context);
    let mut out = Vec::new();
    store.export(&filter(), ExportFormat::Csv, &mut out)?;
    let text = String::from_utf8(out)?;
    let header: Vec<&str> = text.lines().next().ok_or("no header")?.split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "source_country_from_context")
        .ok_or("no column")?;
    let row: Vec<&str> = text.lines().nth(1).ok_or("no row")?.split(',').collect();
    assert_eq!(row.get(col), Some(&"true"));
    Ok(())
}

#[test]
fn counts_and_date_precision_survive_a_round_trip() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let mut ev = event(
        "ev-count",
        Some("2024-05"),
        "190",
        4,
        -10.0,
        actor("KENMIL", "Kenyan troops", 0),
        None,
        0,
    );
    ev.date_precision = Some("month".to_string());
    ev.date_source = Some("text".to_string());
    ev.counts.fatalities = Some(12);
    ev.counts.size = Some(1500);
    let a = article("art-count", Some("https://a.example/2"), "feed.jsonl");
    store.insert_article(&a, &[(0, 40)], &[ev], &[])?;
    let e = store.event("ev-count")?.ok_or("missing")?;
    assert_eq!(e.date_precision.as_deref(), Some("month"));
    assert_eq!(e.date_source.as_deref(), Some("text"));
    let m = e.mentions.first().ok_or("no mention")?;
    assert_eq!(
        (m.counts.fatalities, m.counts.injuries, m.counts.size),
        (Some(12), None, Some(1500))
    );
    Ok(())
}
fn counts(store: &Store, id: &str) -> Result<(u64, u64, u64), Box<dyn std::error::Error>> {
    let e = store.event(id)?.ok_or("event missing")?;
    Ok((e.num_mentions, e.num_articles, e.num_sources))
}


#[test]
fn counts_of_one_event_from_three_articles_on_two_sites() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let ev = sample_events().remove(0);
    let a1 = article("a1", Some("https://one.example/1"), "s");
    let a2 = article("a2", Some("https://www.one.example/2"), "s");
    let a3 = article("a3", Some("https://two.example/3"), "s");
    store.insert_article(&a1, &[], std::slice::from_ref(&ev), &[])?;
    store.insert_article(&a2, &[], std::slice::from_ref(&ev), &[])?;
    store.insert_article(&a3, &[], std::slice::from_ref(&ev), &[])?;
    assert_eq!(counts(&store, &ev.id)?, (3, 3, 2));

    let before = store.query(&filter())?;
    let again = store.insert_article(&a3, &[], std::slice::from_ref(&ev), &[])?;
    assert_eq!(again, InsertOutcome::Duplicate);
    assert_eq!(counts(&store, &ev.id)?, (3, 3, 2));
    assert_eq!(store.query(&filter())?, before);
    Ok(())
}


/// A wire story long enough to be fingerprinted (fictional).
const WIRE: &str = "Kenyan police arrested two opposition leaders in Nairobi on Monday after a week of protests over rising fuel prices. The interior ministry said the two had planned further demonstrations and would appear in court on Wednesday.

Opposition parties called the arrests an attack on free assembly and urged supporters to stay calm while lawyers sought their release. Church leaders offered to mediate between the government and the protest movement, which began in the port city of Mombasa.

Fuel prices have risen by a third since January, when the government removed a subsidy under an agreement with international lenders. Transport unions have threatened a national strike if prices are not lowered by the end of the month.";

fn long_article(id: &str, url: &str, text: &str) -> Article {
    Article {
        id: id.to_string(),
        source: format!("{id}.html"),
        url: Some(url.to_string()),
        title: None,
        published: Some("2024-01-05".to_string()),
        text: text.to_string(),
    }
}

#[test]
fn a_syndicated_copy_is_kept_as_a_copy_and_counts_as_a_source() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let ev = sample_events().remove(1);
    let original = long_article("orig", "https://wire.example/story", WIRE);
    store.insert_article(&original, &[], std::slice::from_ref(&ev), &[])?;
    // the same story on another site, with its own dateline and credit line
    let copy = long_article(
        "copy",
        "https://daily.example/news/1",
        &format!("NAIROBI (Wire) - {WIRE} Reporting by a staff writer."),
    );
    let (of, similarity) = store.find_near_duplicate(&copy)?.ok_or("copy not found")?;
    assert_eq!(of, "orig");
    assert!(similarity > 0.8, "{similarity}");
    assert!(store.add_copy(&of, &copy, similarity)?);
    assert!(!store.add_copy(&of, &copy, similarity)?, "recorded twice");
    assert!(store.contains_copy("copy")?);
    let e = store.event("ev-praise")?.ok_or("event missing")?;
    assert_eq!((e.num_mentions, e.num_articles, e.num_sources), (1, 2, 2));
    // one text stored
    assert_eq!(store.articles_count()?, 1);
    // a short text is never matched
    let short = long_article("short", "https://x.example/", "Police arrested two men.");
    assert!(store.find_near_duplicate(&short)?.is_none());
    Ok(())
}

#[test]
fn unrelated_stories_are_not_copies() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    store.insert_article(
        &long_article("orig", "https://wire.example/story", WIRE),
        &[],
        &[],
        &[],
    )?;
    let other = "Heavy rain flooded the coastal road near Mombasa on Tuesday, cutting off three villages and forcing hundreds of families to leave their homes. The county government sent boats and food while engineers inspected two damaged bridges. Forecasters expect more rain over the weekend and warned people living near rivers to move to higher ground, while schools in the area will stay closed until the water recedes and the roads are safe again for buses and supply trucks.";
    assert!(store
        .find_near_duplicate(&long_article("rain", "https://x.example/rain", other))?
        .is_none());
    Ok(())
}

#[test]
fn how_a_mention_was_coded_is_kept() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let mut ev = sample_events().remove(0);
    ev.mode = Some("future".to_string());
    ev.pattern = "attack: * +".to_string();
    ev.confidence = 0.75;
    store.insert_article(&article("m1", None, "notes.txt"), &[], &[ev.clone()], &[])?;
    let stored = store.event(&ev.id)?.ok_or("missing")?;
    let m = stored.mentions.first().ok_or("no mention")?;
    assert_eq!(m.mode.as_deref(), Some("future"));
    assert_eq!(m.pattern.as_deref(), Some("attack: * +"));
    assert!(m.confidence.is_some_and(|c| (c - 0.75).abs() < 1e-6));
    // a fact has no mode, and an empty pattern is stored as none
    let mut plain = sample_events().remove(1);
    plain.pattern = String::new();
    store.insert_article(
        &article("m2", None, "notes.txt"),
        &[],
        &[plain.clone()],
        &[],
    )?;
    let stored = store.event(&plain.id)?.ok_or("missing")?;
    let m = stored.mentions.first().ok_or("no mention")?;
    assert_eq!((m.mode.as_deref(), m.pattern.as_deref()), (None, None));
    Ok(())
}

/// A fictional place at level `level` ("city", "admin1", "country").
fn place(geonameid: u32, name: &str, level: &str) -> pulse_geo::Place {
    let level = match level {
        "city" => pulse_geo::Level::City,
        "admin1" => pulse_geo::Level::Admin1,
        _ => pulse_geo::Level::Country,
    };
    pulse_geo::Place {
        geonameid,
        name: name.to_string(),
        country: "KE".to_string(),
        admin1: "Coast".to_string(),
        lat: -4.05,
        lon: 39.66,
        feature: "P.PPLA".to_string(),
        population: 1000,
        level,
    }
}

fn located(ev: &Event, p: &pulse_geo::Place, precision: u8, basis: &str) -> Event {
    let mut e = ev.clone();
    e.place = Some(pulse_code::EventPlace {
        place: p.clone(),
        geo_precision: precision,
        basis: basis.to_string(),
        start: 5,
        end: 12,
    });
    e
}

#[test]
fn places_are_stored_and_an_event_keeps_its_most_precise_place() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    let ev = sample_events()[0].clone();
    let country = place(1, "Landia", "country");
    let town = place(2, "Portlet", "city");
    let names = [pulse_code::PlaceMention {
        start: 5,
        end: 12,
        text: "Portlet".to_string(),
        place: town.clone(),
    }];
    // the first report says only the country, the second the town, the
    // third the country again: the town stays
    store.insert_article(
        &article("p1", None, "s"),
        &[],
        &[located(&ev, &country, 3, "sentence")],
        &[],
    )?;
    let e = store.event("ev-attack")?.ok_or("event missing")?;
    let p = e.place.ok_or("no place")?;
    assert_eq!((p.geonameid, p.geo_precision), (1, 3));
    store.insert_article(
        &article("p2", None, "s"),
        &[],
        &[located(&ev, &town, 1, "verb")],
        &names,
    )?;
    store.insert_article(
        &article("p3", None, "s"),
        &[],
        &[located(&ev, &country, 3, "article")],
        &[],
    )?;
    let e = store.event("ev-attack")?.ok_or("event missing")?;
    let p = e.place.as_ref().ok_or("no place")?;
    assert_eq!(
        (
            p.geonameid,
            p.name.as_str(),
            p.level.as_str(),
            p.geo_precision
        ),
        (2, "Portlet", "city", 1)
    );
    // each report keeps its own reading, with the span of the name
    let bases: Vec<(&str, u8)> = e
        .mentions
        .iter()
        .filter_map(|m| m.place.as_ref())
        .map(|p| (p.basis.as_str(), p.geo_precision))
        .collect();
    assert_eq!(bases, [("sentence", 3), ("verb", 1), ("article", 3)]);
    // the CSV export has the place's columns
    let mut out = Vec::new();
    store.export(&EventFilter::default(), ExportFormat::Csv, &mut out)?;
    let text = String::from_utf8(out)?;
    let header: Vec<&str> = text.lines().next().ok_or("no header")?.split(',').collect();
    let row: Vec<&str> = text.lines().nth(1).ok_or("no row")?.split(',').collect();
    let at = |c: &str| header.iter().position(|h| *h == c).and_then(|i| row.get(i));
    assert_eq!(at("place_name"), Some(&"Portlet"));
    assert_eq!(at("geo_precision"), Some(&"1"));
    // GeoJSON: the located event is a point at [lon, lat]; an unplaced one
    // is left out
    let mut other = sample_events()[1].clone();
    other.place = None;
    store.insert_article(&article("p4", None, "s"), &[], &[other], &[])?;
    let mut out = Vec::new();
    let n = store.export(&EventFilter::default(), ExportFormat::GeoJson, &mut out)?;
    let doc: serde_json::Value = serde_json::from_slice(&out)?;
    let features = doc["features"].as_array().ok_or("no features")?;
    assert_eq!((n, features.len()), (1, 1));
    assert_eq!(doc["type"], "FeatureCollection");
    assert_eq!(
        features[0]["geometry"]["coordinates"],
        serde_json::json!([39.66, -4.05])
    );
    assert_eq!(features[0]["properties"]["place_name"], "Portlet");
    assert_eq!(features[0]["properties"]["num_articles"], 3);
    Ok(())
}

/// An attack in Afghanistan (placed at the country level) on `date` with
/// `fatalities` killed.
fn attack_in_afghanistan(id: &str, date: &str, fatalities: u64) -> Event {
    let mut ev = event(
        id,
        Some(date),
        "190",
        4,
        -10.0,
        actor("AFGREB", "Taliban fighters", 0),
        Some(actor("AFGMIL", "Afghan soldiers", 30)),
        0,
    );
    ev.date_precision = Some(if date.len() == 10 { "day" } else { "year" }.to_string());
    ev.counts.fatalities = Some(fatalities);
    ev.place = Some(pulse_code::EventPlace {
        place: pulse_geo::Place {
            geonameid: 1_149_361,
            name: "Afghanistan".to_string(),
            country: "AF".to_string(),
            admin1: String::new(),
            lat: 33.0,
            lon: 66.0,
            feature: "A.PCLI".to_string(),
            population: 0,
            level: pulse_geo::Level::Country,
        },
        geo_precision: 3,
        basis: "sentence".to_string(),
        start: 0,
        end: 11,
    });
    ev
}

/// A store with one attack in Afghanistan per month, from `first` (year,
/// month) on, with these fatalities, each reported by its own article.
fn monthly_fatalities(
    first: (i32, u32),
    fatalities: &[u64],
) -> Result<Option<TestStore>, StoreError> {
    let Some(mut store) = fresh()? else {
        return Ok(None);
    };
    for (i, &n) in fatalities.iter().enumerate() {
        let months = first.0 * 12 + first.1 as i32 - 1 + i as i32;
        let date = format!("{:04}-{:02}-10", months / 12, months % 12 + 1);
        let ev = attack_in_afghanistan(&format!("ev-{date}"), &date, n);
        let a = article(&format!("art-{date}"), None, "feed.jsonl");
        store.insert_article(&a, &[(0, 40)], &[ev], &[])?;
    }
    Ok(Some(store))
}

/// The alert on Afghanistan's fatalities, if any.
fn fatality_alert(store: &Store) -> Result<Option<Alert>, StoreError> {
    let alerts = store.alerts(&filter(), &AlertOptions::default())?;
    Ok(alerts.into_iter().find(|a| {
        a.series
            == Series::CountryFatalities {
                country: "AF".to_string(),
            }
    }))
}

#[test]
fn aggregates_count_a_merged_event_once_and_its_fatalities_once() -> TestResult {
    let Some(mut store) = fresh()? else {
        return Ok(());
    };
    // one attack, two reports: 12 killed, then 15
    let first = attack_in_afghanistan("ev-a", "2019-07-10", 12);
    let second = attack_in_afghanistan("ev-a", "2019-07-10", 15);
    store.insert_article(
        &article("r1", Some("https://one.example/1"), "f"),
        &[(0, 40)],
        &[first],
        &[],
    )?;
    store.insert_article(
        &article("r2", Some("https://two.example/2"), "f"),
        &[(0, 40)],
        &[second],
        &[],
    )?;
    assert_eq!(store.stats()?.events, 1);
    // another attack in August, one in a year-only date, one statement with no date
    let august = attack_in_afghanistan("ev-b", "2019-08-02", 3);
    let year_only = attack_in_afghanistan("ev-c", "2019", 100);
    let undated = sample_events().remove(4);
    store.insert_article(
        &article("r3", None, "g"),
        &[(0, 40)],
        &[august, year_only, undated],
        &[],
    )?;
    let agg = store.aggregate(&filter(), Period::Month, None)?;
    let rows: Vec<(Option<&str>, u64, u64)> = agg
        .rows
        .iter()
        .map(|r| (r.period.as_deref(), r.events, r.fatalities))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some("2019-07"), 1, 15),
            (Some("2019-08"), 1, 3),
            (None, 2, 100)
        ]
    );
    // by ISO week and grouped by root: the statement's root 01 only undated
    let agg = store.aggregate(&filter(), Period::Week, Some(GroupBy::Root))?;
    let rows: Vec<(Option<&str>, Option<&str>, u64)> = agg
        .rows
        .iter()
        .map(|r| (r.period.as_deref(), r.group.as_deref(), r.events))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Some("2019-W28"), Some("19"), 1),
            (Some("2019-W31"), Some("19"), 1),
            (None, Some("01"), 1),
            (None, Some("19"), 1),
        ]
    );
    // the new filters: place country, PLOVER type, bounding box
    let placed = |f: EventFilter| -> Result<u64, StoreError> {
        let agg = store.aggregate(&f, Period::Month, None)?;
        Ok(agg.rows.iter().map(|r| r.events).sum())
    };
    assert_eq!(
        placed(EventFilter {
            place_country: Some("af".into()),
            ..filter()
        })?,
        3
    );
    assert_eq!(
        placed(EventFilter {
            place_country: Some("IQ".into()),
            ..filter()
        })?,
        0
    );
    assert_eq!(
        placed(EventFilter {
            plover: Some("assault".into()),
            ..filter()
        })?,
        4
    );
    let bbox = |b: [f64; 4]| EventFilter {
        bbox: Some(b),
        ..filter()
    };
    assert_eq!(placed(bbox([60.0, 29.0, 75.0, 39.0]))?, 3);
    assert_eq!(placed(bbox([-10.0, 29.0, 10.0, 39.0]))?, 0);
    // across the antimeridian: 170°E to 70°E the long way round holds 66°E
    assert_eq!(placed(bbox([170.0, 29.0, 70.0, 39.0]))?, 3);
    assert_eq!(placed(bbox([60.0, 39.0, 75.0, 29.0]))?, 0);
    assert_eq!(placed(bbox([f64::NAN, 29.0, 75.0, 39.0]))?, 0);
    Ok(())
}

#[test]
fn a_month_above_every_earlier_one_is_the_highest_on_record() -> TestResult {
    // median 3.5, MAD 0.5: z = 0.6745 × 36.5 / 0.5 = 49.2
    let Some(store) = monthly_fatalities((2019, 1), &[3, 4, 2, 5, 3, 4, 40])? else {
        return Ok(());
    };
    let alert = fatality_alert(&store)?.ok_or("no alert")?;
    assert_eq!(alert.kind, AlertKind::Highest);
    assert_eq!((alert.period.as_str(), alert.value), ("2019-07", 40));
    assert_eq!(alert.since, None);
    assert_eq!(
        alert.to_string(),
        "Afghanistan (AF): fatalities in 2019-07 are 40, the highest on record (robust z-score 49.2)"
    );
    Ok(())
}

#[test]
fn a_month_below_one_two_years_back_is_the_highest_since_then() -> TestResult {
    // 2017-01 to 2019-07: 2017-05 had 2,000 killed, the months after it 10 to
    // 40, July 2019 1,512
    let mut fatalities: Vec<u64> = (0..31).map(|i| 10 + (i * 7) % 31).collect();
    fatalities[4] = 2000;
    fatalities[30] = 1512;
    let Some(store) = monthly_fatalities((2017, 1), &fatalities)? else {
        return Ok(());
    };
    let alert = fatality_alert(&store)?.ok_or("no alert")?;
    assert_eq!(alert.kind, AlertKind::Highest);
    assert_eq!(alert.since.as_deref(), Some("2017-05"));
    assert_eq!(alert.history, 30);
    let words = alert.to_string();
    assert!(
        words.starts_with(
            "Afghanistan (AF): fatalities in 2019-07 are 1,512, the highest since 2017-05"
        ),
        "{words}"
    );
    Ok(())
}

#[test]
fn a_short_or_quiet_series_gives_no_alert() -> TestResult {
    // five months: too few earlier periods, however large the last
    let Some(store) = monthly_fatalities((2019, 3), &[3, 4, 2, 5, 900])? else {
        return Ok(());
    };
    assert_eq!(fatality_alert(&store)?, None);
    // a long series that never reaches min_count
    let Some(store) = monthly_fatalities((2018, 1), &[1, 0, 1, 2, 1, 0, 1, 1, 4])? else {
        return Ok(());
    };
    assert_eq!(fatality_alert(&store)?, None);
    // the same series with a lower min_count: the highest on record
    let opts = AlertOptions {
        min_count: 4,
        ..AlertOptions::default()
    };
    let alerts = store.alerts(&filter(), &opts)?;
    assert!(alerts
        .iter()
        .any(|a| matches!(a.series, Series::CountryFatalities { .. })
            && a.kind == AlertKind::Highest));
    // a month no higher than the one before: no record, no outlier
    let Some(store) = monthly_fatalities((2019, 1), &[30, 40, 20, 50, 30, 40, 50])? else {
        return Ok(());
    };
    assert_eq!(fatality_alert(&store)?, None);
    Ok(())
}
