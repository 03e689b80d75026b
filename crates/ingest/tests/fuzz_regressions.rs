//! Every input a fuzzer made pulse fail on (`fuzz/regressions/TARGET/`,
//! kept byte for byte) is read again here the way its fuzz target reads it:
//! it must give articles or an error, never a panic.

use pulse_ingest::{read_bytes, Format, ReadOptions};
use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let bytes = std::fs::read(e.path()).unwrap_or_else(|err| panic!("{name}: {err}"));
            (name, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn feed_crashes_stay_fixed() {
    let opts = ReadOptions {
        max_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let found = inputs("feed");
    assert!(!found.is_empty(), "no feed regressions found");
    for (name, bytes) in found {
        // an error naming the input is the expected answer; a panic fails
        let _ = read_bytes(&name, &bytes, Some(Format::Feed), &opts);
    }
}

#[test]
fn a_feed_declared_in_another_encoding_is_read_as_the_text_it_was_decoded_to() {
    let feed = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss version=\"2.0\"><channel>\
        <title>Wire</title><item><title>Talks resume</title><link>https://example.org/t</link>\
        <description>Envoys met in Nairobi on Tuesday.</description></item></channel></rss>";
    let got = read_bytes(
        "wire.xml",
        feed.as_bytes(),
        Some(Format::Feed),
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = got
        .into_iter()
        .map(|a| a.map(|a| a.text).unwrap_or_else(|e| e.to_string()))
        .collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("Nairobi"), "{texts:?}");
}
