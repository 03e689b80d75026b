//! Any bytes, as JSON Lines: no panic; a bad line is an error naming it
//! and the others are still read.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = pulse_ingest::ReadOptions {
        max_bytes: 1 << 20,
        ..pulse_ingest::ReadOptions::default()
    };
    let _ = pulse_ingest::read_bytes(
        "fuzz.jsonl",
        data,
        Some(pulse_ingest::Format::JsonLines),
        &opts,
    );
});
