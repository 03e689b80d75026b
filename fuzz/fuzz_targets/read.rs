//! Any bytes through the whole reader, with the format sniffed (text, HTML,
//! JSON Lines, feeds, WARC, gzip): no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = pulse_ingest::ReadOptions {
        max_bytes: 1 << 20,
        ..pulse_ingest::ReadOptions::default()
    };
    let _ = pulse_ingest::read_bytes("fuzz", data, None::<pulse_ingest::Format>, &opts);
});
