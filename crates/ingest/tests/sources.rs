//! WARC, gzip and feed inputs, end to end through `read_input` and
//! `for_each_article`, on archives we build here.

use flate2::write::GzEncoder;
use flate2::Compression;
use pulse_ingest::{for_each_article, read_input, Input, ReadOptions};
use std::io::Write;

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    enc.finish().unwrap_or_else(|e| panic!("{e}"))
}

fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn page(headline: &str, body: &str, charset: &str) -> Vec<u8> {
    let html = format!(
        "<html><head><title>{headline}</title></head><body><nav>Home | World | Sport</nav><article><h1>{headline}</h1><p>{body}</p></article></body></html>"
    );
    let (bytes, _, _) = encoding_rs::Encoding::for_label(charset.as_bytes())
        .unwrap_or(encoding_rs::UTF_8)
        .encode(&html);
    let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset={charset}\r\n\r\n")
        .into_bytes();
    r.extend_from_slice(&bytes);
    r
}

fn archive() -> Vec<Vec<u8>> {
    vec![
        record("warcinfo", "", b"software: handmade"),
        record(
            "response",
            "https://example.org/talks",
            &page(
                "Talks resume",
                "Envoys met in Nairobi on Monday to resume the talks.",
                "utf-8",
            ),
        ),
        record(
            "request",
            "https://example.org/talks",
            b"GET /talks HTTP/1.1\r\n\r\n",
        ),
        record(
            "response",
            "https://example.org/logo.png",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n",
        ),
        record(
            "response",
            "https://example.org/missing",
            b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>Not found</p>",
        ),
        record(
            "response",
            "https://example.org/cafe",
            &page(
                "Caf\u{e9} closes",
                "The caf\u{e9} near the m\u{e9}tro station closed after the strike.",
                "windows-1252",
            ),
        ),
    ]
}

#[test]
fn a_gzipped_warc_streams_its_html_responses() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("crawl.warc.gz");
    let bytes: Vec<u8> = archive().iter().flat_map(|r| gz(r)).collect();
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    let mut seen = Vec::new();
    for_each_article(
        &Input::File(path.clone()),
        &ReadOptions::default(),
        &mut |a| seen.push(a),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let articles: Vec<_> = seen
        .into_iter()
        .map(|a| a.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(articles.len(), 2, "{articles:?}");
    assert_eq!(
        articles[0].url.as_deref(),
        Some("https://example.org/talks")
    );
    assert!(articles[0].source.ends_with("crawl.warc.gz#2"));
    assert!(articles[0].text.contains("Envoys met in Nairobi"));
    assert!(!articles[0].text.contains("Sport"));
    // the declared legacy charset is honoured
    assert!(
        articles[1].text.contains("caf\u{e9} near the m\u{e9}tro"),
        "{}",
        articles[1].text
    );
}

#[test]
fn a_truncated_archive_keeps_what_came_before_and_says_where_it_broke() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, bytes) in [
        ("plain.warc", archive().concat()),
        (
            "zipped.warc.gz",
            archive().iter().flat_map(|r| gz(r)).collect(),
        ),
    ] {
        let path = dir.path().join(name);
        let cut = bytes.len() - 25;
        std::fs::write(&path, &bytes[..cut]).unwrap_or_else(|e| panic!("{e}"));
        let items = read_input(&Input::File(path), &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            items.first().is_some_and(Result::is_ok),
            "{name}: {items:?}"
        );
        let last = items
            .last()
            .and_then(|r| r.as_ref().err())
            .map(ToString::to_string);
        let last = last.unwrap_or_default();
        assert!(last.contains(name) && last.contains("#6"), "{name}: {last}");
    }
}

#[test]
fn gzipped_pages_and_feeds_are_read_transparently() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let html = dir.path().join("story.html.gz");
    std::fs::write(
        &html,
        gz(b"<html><body><article><p>Floods closed the coast road on Tuesday.</p></article></body></html>"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let items =
        read_input(&Input::File(html), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(items[0]
        .as_ref()
        .is_ok_and(|a| a.text.contains("coast road")));

    // a feed saved as .xml is recognised by its root element
    let feed = dir.path().join("wire.xml");
    std::fs::write(
        &feed,
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>W</title><item><title>Ceasefire holds</title><link>https://example.org/c</link><description>The ceasefire held overnight.</description></item></channel></rss>",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let items =
        read_input(&Input::File(feed), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let a = items[0].as_ref().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.url.as_deref(), Some("https://example.org/c"));
    assert!(a.text.contains("held overnight"));
}

#[test]
fn a_gzip_bomb_stops_at_the_limit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bomb.txt.gz");
    std::fs::write(&path, gz(&vec![b'a'; 5_000_000])).unwrap_or_else(|e| panic!("{e}"));
    let opts = ReadOptions {
        max_bytes: 1_000_000,
        ..ReadOptions::default()
    };
    let err = read_input(&Input::File(path), &opts)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("bomb.txt.gz") && err.contains("too large"),
        "{err}"
    );
}

#[test]
fn corrupt_gzip_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("broken.jsonl.gz");
    let mut bytes = gz(b"{\"text\": \"Aid arrived.\"}\n");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    let err = read_input(&Input::File(path), &ReadOptions::default())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("broken.jsonl.gz") && err.contains("gzip"),
        "{err}"
    );
}

#[test]
fn json_lines_stream_past_the_size_limit_and_past_a_bad_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("dump.jsonl.gz");
    let mut lines = String::new();
    for i in 0..200 {
        lines.push_str(&format!(
            "{{\"text\": \"Report {i}: aid trucks reached the northern town on Monday.\"}}\n"
        ));
        if i == 100 {
            lines.push_str(&format!("{{\"text\": \"{}\"}}\n", "x".repeat(5_000)));
        }
    }
    std::fs::write(&path, gz(lines.as_bytes())).unwrap_or_else(|e| panic!("{e}"));
    // the whole dump is far over the limit; each line but one is under it
    let opts = ReadOptions {
        max_bytes: 1_000,
        ..ReadOptions::default()
    };
    let items = read_input(&Input::File(path), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(items.len(), 201);
    assert_eq!(items.iter().filter(|r| r.is_ok()).count(), 200);
    let err = items
        .iter()
        .find_map(|r| r.as_ref().err())
        .map(ToString::to_string)
        .unwrap_or_default();
    assert!(
        err.contains("dump.jsonl.gz:102") && err.contains("too large"),
        "{err}"
    );
    assert!(items[102]
        .as_ref()
        .is_ok_and(|a| a.text.starts_with("Report 101")));
}
