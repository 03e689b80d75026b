//! Tests for sentence splitting (`analyze`, `split_sentences`, `sentence_spans`).

mod common;

use common::{check_doc, sentences};
use pulse_nlp::{analyze, sentence_spans, split_sentences, tokenize};

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn empty_and_whitespace_only() {
    assert!(analyze("").sentences.is_empty());
    assert!(analyze(" \n\n\t ").sentences.is_empty());
    assert_eq!(analyze("").text, "");
}

#[test]
fn basic_stops() {
    let text = "Rebels took the town. Did the army respond? It did! Residents fled...";
    assert_eq!(
        sentences(text),
        v(&[
            "Rebels took the town.",
            "Did the army respond?",
            "It did!",
            "Residents fled..."
        ])
    );
    check_doc(text);
}

#[test]
fn indices_and_spans() {
    let text = "  Rain fell. Roads closed.  ";
    let doc = analyze(text);
    assert_eq!(doc.sentences.len(), 2);
    let first = &doc.sentences[0];
    let second = &doc.sentences[1];
    assert_eq!((first.index, first.start, first.end), (0, 2, 12));
    assert_eq!((second.index, second.start, second.end), (1, 13, 26));
    assert_eq!(doc.sentence_text(second), "Roads closed.");
    check_doc(text);
}

#[test]
fn lowercase_after_stop_does_not_break() {
    assert_eq!(
        sentences("\"Why?\" he asked. The aide shrugged."),
        v(&["\"Why?\" he asked.", "The aide shrugged."])
    );
}

#[test]
fn digit_and_quote_can_start_a_sentence() {
    assert_eq!(
        sentences("The vote failed. 2020 was worse. \"Never again,\" she said."),
        v(&[
            "The vote failed.",
            "2020 was worse.",
            "\"Never again,\" she said."
        ])
    );
}

#[test]
fn abbreviations_do_not_end_sentences() {
    assert_eq!(
        sentences(
            "The talks open Sept. 5 in Geneva. Gen. Smith will attend with Lt. Col. Ray Dunn."
        ),
        v(&[
            "The talks open Sept. 5 in Geneva.",
            "Gen. Smith will attend with Lt. Col. Ray Dunn.",
        ])
    );
    assert_eq!(
        sentences("Mr. Ortega met Dr. Ames and Sen. Hale at 10 a.m. Monday in Calif. and left."),
        v(&["Mr. Ortega met Dr. Ames and Sen. Hale at 10 a.m. Monday in Calif. and left."])
    );
    assert_eq!(
        sentences("Troops, vehicles, etc. were moved, e.g. The Ridge was taken."),
        v(&["Troops, vehicles, etc. were moved, e.g. The Ridge was taken."])
    );
}

#[test]
fn titles_never_end_even_before_openers() {
    // "The" after a title is still the same sentence.
    assert_eq!(
        sentences("He thanked Gen. The Rev. Hall led prayers."),
        v(&["He thanked Gen. The Rev. Hall led prayers."])
    );
}

#[test]
fn initials_do_not_end_sentences() {
    assert_eq!(
        sentences("Former president George W. Bush spoke. He was brief."),
        v(&["Former president George W. Bush spoke.", "He was brief."])
    );
    assert_eq!(
        sentences("Analyst M. Okafor disagreed."),
        v(&["Analyst M. Okafor disagreed."])
    );
}

#[test]
fn number_after_no_does_not_end() {
    assert_eq!(
        sentences("Resolution No. 5 passed. It was close."),
        v(&["Resolution No. 5 passed.", "It was close."])
    );
}

#[test]
fn us_rule() {
    assert_eq!(
        sentences("The U.S. Army moved north. Aid reached the U.S. The next day, talks resumed."),
        v(&[
            "The U.S. Army moved north.",
            "Aid reached the U.S.",
            "The next day, talks resumed.",
        ])
    );
    let doc = analyze("Aid reached the U.S. The next day, talks resumed.");
    let last = doc.sentences[0].tokens.last().map(|t| t.norm.as_str());
    assert_eq!(last, Some("U.S."));
    assert_eq!(doc.sentences[0].tokens.len(), 4);
    assert_eq!(
        sentences("Envoys from the U.K. Foreign Office and the U.N. Security Council met."),
        v(&["Envoys from the U.K. Foreign Office and the U.N. Security Council met."])
    );
    assert_eq!(
        sentences("Trade with the U.N. However, it stalled. Sales fell at Delmar Inc. Officials blamed rain."),
        v(&[
            "Trade with the U.N.",
            "However, it stalled.",
            "Sales fell at Delmar Inc.",
            "Officials blamed rain.",
        ])
    );
}

#[test]
fn text_ending_in_abbreviation() {
    assert_eq!(
        sentences("Aid went to the U.S."),
        v(&["Aid went to the U.S."])
    );
}

#[test]
fn no_break_inside_quotation() {
    let text = "He said, \"We will fight. We will win,\" and left.";
    assert_eq!(sentences(text), v(&[text]));
    let curly = "He said, “We will fight. We will win,” and left.";
    assert_eq!(sentences(curly), v(&[curly]));
}

#[test]
fn break_after_closing_quote() {
    assert_eq!(
        sentences("\"We will win.\" The minister left."),
        v(&["\"We will win.\"", "The minister left."])
    );
    assert_eq!(
        sentences("“We will win.” The minister left."),
        v(&["“We will win.”", "The minister left."])
    );
    assert_eq!(
        sentences("She called it ‘final.’ Then she left (quietly.) Nobody followed."),
        v(&[
            "She called it ‘final.’",
            "Then she left (quietly.)",
            "Nobody followed."
        ])
    );
}

#[test]
fn unbalanced_quote_is_reset_at_paragraph_break() {
    let text = "He said \"we will hold the line. Then came the rains. Nobody moved.\n\nA new paragraph starts. It ends.";
    assert_eq!(
        sentences(text),
        v(&[
            "He said \"we will hold the line. Then came the rains. Nobody moved.",
            "A new paragraph starts.",
            "It ends.",
        ])
    );
}

#[test]
fn unbalanced_quote_is_capped_in_long_paragraph() {
    let mut text = String::from("A \"stray quote opens here. ");
    for _ in 0..40 {
        text.push_str("The river rose again today. ");
    }
    let n = sentences(text.trim_end()).len();
    assert!(n > 10, "stray quote swallowed the paragraph: {n} sentences");
    check_doc(&text);
}

#[test]
fn paragraph_break_always_ends() {
    assert_eq!(
        sentences("The vote was held on\n\nmonday in the capital"),
        v(&["The vote was held on", "monday in the capital"])
    );
    assert_eq!(sentences("Gen.\n\nSmith"), v(&["Gen.", "Smith"]));
    assert_eq!(
        sentences("First part\r\n\r\nSecond part"),
        v(&["First part", "Second part"])
    );
}

#[test]
fn headline_followed_by_blank_line() {
    let text = "Flood Waters Rise Along the Valdor River\n\nRESCUERS worked through the night. Two villages were cut off.";
    assert_eq!(
        sentences(text),
        v(&[
            "Flood Waters Rise Along the Valdor River",
            "RESCUERS worked through the night.",
            "Two villages were cut off.",
        ])
    );
    check_doc(text);
}

#[test]
fn heading_line_before_single_newline() {
    let text =
        "Ministers Quit Over Port Deal\nBy Ana Ruiz\nLISBON - Two ministers resigned on Friday.";
    assert_eq!(
        sentences(text),
        v(&[
            "Ministers Quit Over Port Deal",
            "By Ana Ruiz",
            "LISBON - Two ministers resigned on Friday.",
        ])
    );
}

#[test]
fn line_ending_in_title_is_not_a_heading() {
    let text = "Crowds cheered Gen.\nOkoro at the gates.";
    assert_eq!(sentences(text), v(&[text]));
}

#[test]
fn hard_wrapped_prose_is_not_split() {
    let text = "The council met in\nWashington on Tuesday to discuss\nthe budget, which critics called\nwasteful and late.";
    assert_eq!(sentences(text), v(&[text]));
}

#[test]
fn newline_after_stop_ends_even_in_quote() {
    let text = "He said \"the line holds.\nThe next line is new.";
    assert_eq!(
        sentences(text),
        v(&["He said \"the line holds.", "The next line is new."])
    );
}

#[test]
fn list_numbers_are_not_sentences() {
    let text = "1. Close the border\n2. Open talks";
    assert_eq!(
        sentences(text),
        v(&["1. Close the border", "2. Open talks"])
    );
}

#[test]
fn split_sentences_and_spans_agree_with_analyze() {
    let text =
        "Aid reached the U.S. The next day, talks resumed.\n\nHeadline Here\n\n\"Go.\" He went.";
    let tokens = tokenize(text);
    let spans = sentence_spans(text, &tokens);
    let sentences = split_sentences(text, tokens.clone());
    assert_eq!(sentences, analyze(text).sentences);
    assert_eq!(spans.len(), sentences.len());
    for (span, s) in spans.iter().zip(&sentences) {
        assert_eq!(&tokens[span.clone()], s.tokens.as_slice());
    }
    check_doc(text);
}
