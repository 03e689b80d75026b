//! Any text, as CoNLL-U (training and evaluation treebanks) and as IOB2
//! entity files: no panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = pulse_nlp::conllu::parse_conllu(&text);
    let _ = pulse_nlp::ner::parse_iob2(&text);
});
