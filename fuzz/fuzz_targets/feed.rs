//! Any bytes, as an RSS or Atom feed: no panic, every item an article or
//! an error naming it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = pulse_ingest::ReadOptions {
        max_bytes: 1 << 20,
        ..pulse_ingest::ReadOptions::default()
    };
    let _ = pulse_ingest::read_bytes("fuzz.xml", data, Some(pulse_ingest::Format::Feed), &opts);
});
