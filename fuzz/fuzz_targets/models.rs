//! Any bytes, as a tagger, parser or entity model file (`data/models/*.bin`,
//! or one a user trained): no panic, no huge allocation from a forged
//! length, a damaged file an error. The first byte picks the model.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    match which % 3 {
        0 => {
            let _ = pulse_nlp::tagger::Tagger::from_bytes(bytes);
        }
        1 => {
            let _ = pulse_nlp::parser::Parser::from_bytes(bytes);
        }
        _ => {
            let _ = pulse_nlp::ner::Ner::from_bytes(bytes, pulse_nlp::ner::Gazetteer::default());
        }
    }
});
