//! Any text, as a user's actor file and verb file (`--actors`, `--verbs`:
//! PETRARCH's format or pulse's compact one), loaded with the embedded
//! codebook: no panic, a bad entry an error naming its line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use pulse_code::dict::{embedded, Dictionaries, Sources};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // a blank line splits the input into an actor file and a verb file
    let (actors, verbs) = text.split_once("\n\n").unwrap_or((&text, &text));
    let actors = pulse_code::build::user_actors("fuzz", actors);
    let verbs = pulse_code::build::user_verbs(verbs);
    let _ = Dictionaries::from_sources(&Sources {
        verbs: &[&verbs],
        actors: &[&actors],
        agents: &[],
        discards: "",
        codebook: embedded::CODEBOOK,
        crosswalk: &[],
    });
});
