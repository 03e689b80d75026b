//! Any bytes, as a WARC stream and as an HTTP message: no panic, and the
//! reader always ends.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for record in pulse_ingest::WarcReader::new(data, 1 << 20).take(10_000) {
        if let Ok(r) = record {
            let _ = pulse_ingest::parse_http_response(&r.block, 1 << 20);
        }
    }
    let _ = pulse_ingest::parse_http_response(data, 1 << 16);
});
