//! Any bytes, as a page: body extraction and metadata must not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let _ = pulse_ingest::html_to_text(&html);
    let _ = pulse_ingest::extract_metadata(&html, Some("https://example.org/2024/05/14/story"));
});
