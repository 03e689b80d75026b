//! Any bytes, as a gazetteer file (the compact place table pulse ships):
//! no panic, a damaged file an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(g) = pulse_geo::Gazetteer::from_bytes(data) {
        let _ = g.candidates("Nairobi");
    }
    let _ = pulse_geo::Gazetteer::from_text(&String::from_utf8_lossy(data));
});
