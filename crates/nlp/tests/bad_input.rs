//! Bad and hostile input through the whole text pipeline: tokenizer,
//! sentence splitter, tagger, parser and entity tagger (with the shipped
//! models). Nothing may panic, every offset must be a char boundary inside
//! the text, every parse head must point inside its sentence, and no
//! sentence may exceed [`MAX_SENTENCE_TOKENS`] (which is what bounds the
//! time the per-sentence stages take; there are no timing asserts here).

mod common;

use common::check_doc;
use pulse_nlp::ner::{Gazetteer, Ner, LABELS};
use pulse_nlp::parser::Parser;
use pulse_nlp::tagger::Tagger;
use pulse_nlp::MAX_SENTENCE_TOKENS;
use std::sync::OnceLock;

/// A tiny actor dictionary in pulse's format (`codes<TAB>phrase|phrase`).
const ACTORS: &str = "# test actors\n\
    USA\tunited states_|america_\n\
    RUS\trussia_|moscow_\n\
    USAGOV@20200101-20240101\tjane example_|example_\n";

/// The shipped models, loaded once for all tests.
struct Models {
    tagger: Tagger,
    parser: Parser,
    ner: Ner,
    /// The entity tagger with an empty gazetteer.
    ner_bare: Ner,
}

fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| {
        let ner_bytes: &[u8] = include_bytes!("../../../data/models/ner.bin");
        Models {
            tagger: Tagger::from_bytes(include_bytes!("../../../data/models/tagger.bin"))
                .unwrap_or_else(|e| panic!("{e}")),
            parser: Parser::from_bytes(include_bytes!("../../../data/models/parser.bin"))
                .unwrap_or_else(|e| panic!("{e}")),
            ner: Ner::from_bytes(ner_bytes, Gazetteer::from_actor_files(&[ACTORS]))
                .unwrap_or_else(|e| panic!("{e}")),
            ner_bare: Ner::from_bytes(ner_bytes, Gazetteer::default())
                .unwrap_or_else(|e| panic!("{e}")),
        }
    })
}

/// Tag, parse and entity-tag one sentence of words; check every output.
/// `thorough` also runs the entity tagger with an empty gazetteer.
fn check_words(words: &[&str], what: &str, thorough: bool) {
    let m = models();
    let tags = m.tagger.tag(words);
    assert_eq!(tags.len(), words.len(), "tags of {what}");
    let pairs: Vec<String> = tags
        .iter()
        .map(|t| format!("{}|{}", t.upos, t.xpos))
        .collect();
    let pair_refs: Vec<&str> = pairs.iter().map(String::as_str).collect();
    let arcs = m.parser.parse(words, &pair_refs);
    assert_eq!(arcs.len(), words.len(), "arcs of {what}");
    for (i, a) in arcs.iter().enumerate() {
        assert!(
            a.head <= words.len(),
            "head {} of word {} out of range in {what}",
            a.head,
            i + 1
        );
        assert_ne!(a.head, i + 1, "word {} heads itself in {what}", i + 1);
        assert!(!a.deprel.is_empty(), "empty relation in {what}");
    }
    let upos: Vec<&str> = tags.iter().map(|t| t.upos.as_str()).collect();
    let ners: &[&Ner] = if thorough {
        &[&m.ner, &m.ner_bare]
    } else {
        &[&m.ner]
    };
    for ner in ners {
        let labels = ner.tag(words, &upos);
        assert_eq!(labels.len(), words.len(), "entity labels of {what}");
        assert!(
            labels.iter().all(|l| LABELS.contains(l)),
            "labels of {what}"
        );
    }
}

/// Run `text` through every stage and check all invariants; returns the
/// number of sentences.
fn check_all(text: &str) -> usize {
    check_text(text, true)
}

/// Like [`check_all`], for inputs of many thousand tokens: the words go
/// through the models once (normalised forms, full gazetteer) instead of
/// four ways, which keeps the unoptimised test build quick.
fn check_big(text: &str) -> usize {
    check_text(text, false)
}

/// Run `text` through every stage and check all invariants; `thorough`
/// also runs the models on the surface forms and without a gazetteer.
fn check_text(text: &str, thorough: bool) -> usize {
    check_doc(text);
    let mut doc = pulse_nlp::analyze(text);
    for s in &doc.sentences {
        assert!(
            s.tokens.len() <= MAX_SENTENCE_TOKENS,
            "sentence of {} tokens in {text:?}",
            s.tokens.len()
        );
        for t in &s.tokens {
            assert!(t.end <= text.len(), "token {t:?} past the end");
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        let norms: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
        check_words(&norms, "normalised words", thorough);
        if !thorough {
            continue;
        }
        let surfaces: Vec<&str> = s
            .tokens
            .iter()
            .map(|t| text.get(t.start..t.end).unwrap_or_else(|| panic!("{t:?}")))
            .collect();
        check_words(&surfaces, "surface words", thorough);
    }
    models().tagger.tag_doc(&mut doc);
    for t in doc.sentences.iter().flat_map(|s| &s.tokens) {
        assert!(!t.upos.is_empty() && !t.xpos.is_empty(), "untagged {t:?}");
    }
    doc.sentences.len()
}

/// `n` words of our own with no punctuation at all, in a pseudo-random
/// (deterministic) order so that the pieces it is cut into differ.
fn run_on(n: usize) -> String {
    let words = [
        "observers",
        "said",
        "the",
        "ceasefire",
        "held",
        "near",
        "Kharkiv",
        "while",
        "talks",
        "in",
        "Geneva",
        "went",
        "on",
        "and",
        "aid",
        "trucks",
        "waited",
        "at",
        "a",
        "crossing",
        "Minister",
        "Okafor",
        "told",
        "reporters",
        "that",
        "convoys",
        "would",
        "move",
        "soon",
    ];
    let mut state: u64 = 0x5eed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            words[(state >> 33) as usize % words.len()]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn empty_text() {
    assert_eq!(check_all(""), 0);
    check_words(&[], "no words", true);
}

#[test]
fn whitespace_only() {
    for text in [
        " ",
        "\n\n\n",
        " \t\r\n \u{a0}\u{2003}\u{3000}\u{2028}\u{2029}",
    ] {
        assert_eq!(check_all(text), 0, "{text:?}");
    }
}

#[test]
fn a_50000_token_sentence_without_punctuation_is_split_and_processed() {
    let n = 50_000;
    let text = run_on(n);
    let doc = pulse_nlp::analyze(&text);
    let total: usize = doc.sentences.iter().map(|s| s.tokens.len()).sum();
    assert_eq!(total, n);
    assert!(doc.sentences.len() >= n / MAX_SENTENCE_TOKENS);
    assert!(doc
        .sentences
        .iter()
        .all(|s| s.tokens.len() <= MAX_SENTENCE_TOKENS));
    let tokens = pulse_nlp::tokenize(&text);
    let spans = pulse_nlp::sentence_spans(&text, &tokens);
    let lens: Vec<usize> = spans.iter().map(|r| r.len()).collect();
    let doc_lens: Vec<usize> = doc.sentences.iter().map(|s| s.tokens.len()).collect();
    assert_eq!(
        lens, doc_lens,
        "sentence_spans and split_sentences disagree"
    );
    check_all(&text);
}

#[test]
fn a_long_run_of_clauses_is_cut_at_clause_marks() {
    let clause = "the militia shelled the depot and the army answered";
    let text = vec![clause; 1_000].join(", ");
    let doc = pulse_nlp::analyze(&text);
    assert!(doc.sentences.len() > 1);
    for s in doc.sentences.iter().take(doc.sentences.len() - 1) {
        assert!(s.tokens.len() <= MAX_SENTENCE_TOKENS);
        assert_eq!(s.tokens.last().map(|t| t.norm.as_str()), Some(","));
    }
    check_big(&text);
}

#[test]
fn long_runs_of_punctuation_symbols_and_one_huge_word() {
    for text in [
        "!".repeat(5_000),
        "?! ".repeat(5_000),
        "\" ".repeat(5_000),
        "( ".repeat(5_000),
        "- ".repeat(5_000),
        ", ".repeat(5_000),
        "$ ".repeat(5_000),
        "1 ".repeat(5_000),
        "U.S. ".repeat(2_000),
        "x".repeat(100_000),
        "a.".repeat(5_000),
        "\u{301}".repeat(20_000),
    ] {
        check_big(&text);
    }
}

#[test]
fn control_characters() {
    for text in [
        "Troops\u{0} entered\u{7} the \u{1b}[31mcapital\u{1b}[0m on Friday.",
        "\u{0}",
        "\u{0}\u{0}\u{0}",
        "\u{7}\u{8}\u{1b}",
        "\u{1b}[31m\u{1b}[0m",
        "Talks\u{0}ended.\u{0}Both sides\u{1}left.",
        "\u{1b}[1;31mALERT\u{1b}[0m: shelling reported\r\n\r\nnear the port\u{7f}.",
        "Line one\u{b}line two\u{c}line three\u{85}line four.",
    ] {
        check_all(text);
    }
}

#[test]
fn mixed_scripts_in_one_sentence() {
    for text in [
        "The envoy met القادة المحليين in Москва, then flew to 北京 and on to नई दिल्ली for talks.",
        "Officials in Київ said «переговоры» would resume; 会谈 continues in مسقط.",
        "אבי said the العربية text and the Ελληνικά text differ.",
        "東京、大阪、京都で抗議が続いた。警察は声明を出した。",
        "मंत्री ने कहा कि बातचीत जारी रहेगी। Then English resumes.",
    ] {
        check_all(text);
    }
}

#[test]
fn emoji_and_zwj_sequences() {
    for text in [
        "Protesters 👩‍👩‍👧‍👦 waved 🇺🇦 flags 👍🏽 and 🏳️‍🌈 banners.",
        "👩‍🔬👨🏿‍🚒🧑‍🤝‍🧑",
        "Crowds cheered🎉🎉🎉!!! Then left 🚶‍♀️‍➡️.",
        "#Ceasefire 🕊️ now @UN",
        "\u{200d}\u{200d}\u{fe0f}",
        "Aid 🇸🇩🇾🇪🇵🇸 arrived.",
    ] {
        check_all(text);
    }
}

#[test]
fn combining_marks() {
    for text in [
        "The mayor of Zu\u{308}rich met officials from Sa\u{303}o Paulo.",
        "\u{301}Talks began with a stray accent.",
        "e\u{301}\u{301}\u{301}\u{301}\u{301} and a\u{20dd} marks piled up.",
        "Z\u{334}\u{335}\u{336}a\u{337}\u{338}l\u{321}g\u{322}o text.",
        "\u{301}",
        "ق\u{651}\u{64e}ال",
    ] {
        check_all(text);
    }
}

#[test]
fn invisible_characters() {
    for text in [
        "\u{feff}\u{200b}",
        "\u{feff}",
        "\u{200b}\u{200c}\u{200d}\u{2060}",
        "\u{feff}Talks\u{200b}ended\u{feff}. Fighting\u{2060}resumed\u{200b}.",
        "\u{202e}desrever\u{202c} text and \u{2066}isolated\u{2069} text.",
        "\u{ad}soft\u{ad}hyphen\u{ad}",
        "\u{fffd}\u{fffd} replacement \u{fffd}",
        "\u{e000}\u{f8ff}\u{10ffff}",
    ] {
        check_all(text);
    }
}
