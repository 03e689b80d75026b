//! Quotations on texts written for these tests, by word order only
//! (`pulse_nlp::analyze` gives tokens without tags or parse).

use pulse_code::{find_quotes, Quote};

fn quotes(text: &str) -> Vec<Quote> {
    let doc = pulse_nlp::analyze(text);
    let found = find_quotes(&doc);
    for q in &found {
        assert_eq!(&text[q.start..q.end], q.text);
        for s in [&q.speaker, &q.mention, &q.cue].into_iter().flatten() {
            assert_eq!(&text[s.start..s.end], s.text);
        }
    }
    found
}

fn speaker(q: &Quote) -> Option<&str> {
    q.speaker.as_ref().map(|s| s.text.as_str())
}

fn direct(found: &[Quote]) -> Vec<&Quote> {
    found.iter().filter(|q| q.direct).collect()
}

#[test]
fn direct_quote_with_a_cue_after_it() {
    let found =
        quotes("\u{201C}We will rebuild the bridge by spring,\u{201D} Mayor Odile Brandt said.");
    let d = direct(&found);
    assert_eq!(d.len(), 1, "{found:#?}");
    assert_eq!(d[0].text, "We will rebuild the bridge by spring,");
    assert_eq!(d[0].cue.as_ref().map(|c| c.text.as_str()), Some("said"));
    assert!(
        speaker(d[0]).is_some_and(|s| s.ends_with("Brandt")),
        "{found:#?}"
    );
}

#[test]
fn inverted_cue_after_a_straight_quote() {
    let found = quotes("\"The talks failed because nobody listened,\" said Halvorsen.");
    let d = direct(&found);
    assert_eq!(d.len(), 1, "{found:#?}");
    assert_eq!(speaker(d[0]), Some("Halvorsen"));
}

#[test]
fn nested_single_quotes_stay_inside() {
    let found = quotes(
        "\u{201C}They told us \u{2018}leave now\u{2019} and we left,\u{201D} said Ingrid Sole.",
    );
    let d = direct(&found);
    assert_eq!(d.len(), 1, "{found:#?}");
    assert!(d[0].text.contains("leave now"));
}

#[test]
fn scare_quotes_are_not_speech() {
    let found = quotes("The minister called the new council a \u{201C}puppet\u{201D} of the army.");
    assert!(direct(&found).is_empty(), "{found:#?}");
    let found = quotes("Engineers made \"excellent progress\" on the dam this week.");
    assert!(direct(&found).is_empty(), "{found:#?}");
}

#[test]
fn continued_quote_takes_the_earlier_speaker() {
    let text = "\u{201C}The harvest is lost,\u{201D} said Tomasz Wierzba.\n\n\u{201C}Nobody in the valley will have grain for the winter months.\u{201D}";
    let found = quotes(text);
    let d = direct(&found);
    assert_eq!(d.len(), 2, "{found:#?}");
    assert_eq!(speaker(d[1]), speaker(d[0]));
    assert!(d[1].cue.is_none());
}

#[test]
fn unclosed_quote_ends_at_the_paragraph() {
    let text = "\u{201C}The levee will hold until Friday, said Aldo Ruiz.\n\nThe river rose again overnight.";
    let found = quotes(text);
    for q in direct(&found) {
        assert!(!q.text.contains("river"), "{found:#?}");
    }
}

#[test]
fn indirect_speech() {
    let found = quotes("Carla Menendez said that the port would reopen on Monday.");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(!found[0].direct);
    assert_eq!(speaker(&found[0]), Some("Carla Menendez"));
    let found = quotes("The port would reopen on Monday, Menendez said.");
    assert_eq!(speaker(&found[0]), Some("Menendez"));
    let found = quotes("According to Teodor Vasquez, the port would reopen on Monday.");
    assert_eq!(
        found[0].cue.as_ref().map(|c| c.text.as_str()),
        Some("According to")
    );
    assert_eq!(speaker(&found[0]), Some("Teodor Vasquez"));
    let found = quotes("Vasquez told reporters that the port would reopen.");
    assert_eq!(speaker(&found[0]), Some("Vasquez"));
}

#[test]
fn pronoun_speaker_is_resolved_to_the_earlier_name() {
    let text = "Greta Lindqvist spoke after the vote. She said the result was fair.";
    let found = quotes(text);
    let q = found
        .iter()
        .find(|q| q.mention.as_ref().is_some_and(|m| m.text == "She"));
    assert!(
        q.is_some_and(|q| speaker(q) == Some("Greta Lindqvist")),
        "{found:#?}"
    );
}

#[test]
fn bad_input_is_bounded() {
    assert!(quotes("").is_empty());
    let unbalanced = "He said \" it will rain . ".repeat(2000);
    let _ = quotes(&unbalanced);
    let curly = "\u{201D} closing first \u{201C} then open ".repeat(2000);
    let _ = quotes(&curly);
    let _ = quotes("``''``''\"\"\u{201C}");
}
