//! Any text, as the query string of an API request: no panic; a bad
//! parameter is a 400 naming it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let query = String::from_utf8_lossy(data);
    let _ = pulse_server::filter_of(Some(&query));
});
