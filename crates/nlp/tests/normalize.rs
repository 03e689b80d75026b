//! Tests for `normalize`.

use pulse_nlp::normalize;

#[test]
fn composes_to_nfc() {
    // "e" + combining acute becomes the precomposed "é".
    assert_eq!(normalize("Caf\u{65}\u{301} owner"), "Caf\u{e9} owner");
    assert_eq!(normalize("Zu\u{308}rich"), "Z\u{fc}rich");
}

#[test]
fn line_endings_become_lf() {
    assert_eq!(
        normalize("one\r\ntwo\rthree\nfour"),
        "one\ntwo\nthree\nfour"
    );
}

#[test]
fn strips_trailing_spaces_on_lines() {
    assert_eq!(
        normalize("Talks resume   \nin Oslo\t \n"),
        "Talks resume\nin Oslo"
    );
    // Leading indentation inside the text is kept.
    assert_eq!(normalize("a\n  b"), "a\n  b");
}

#[test]
fn collapses_blank_lines() {
    assert_eq!(
        normalize("Headline\n\n\n\nBody text."),
        "Headline\n\nBody text."
    );
    assert_eq!(
        normalize("Headline\r\n \r\n\t\r\n\r\nBody."),
        "Headline\n\nBody."
    );
    assert_eq!(normalize("One\n\nTwo"), "One\n\nTwo");
}

#[test]
fn trims_and_handles_empty() {
    assert_eq!(normalize(""), "");
    assert_eq!(normalize(" \n\t \r\n "), "");
    assert_eq!(normalize("\u{feff}  Body.  \n\n"), "Body.");
}

#[test]
fn is_idempotent() {
    let samples = [
        "A\r\n\r\n\r\nB  \n C\u{301}\n\n\n",
        "  x  ",
        "\u{212b}ngstr\u{f6}m\r",
        "plain",
    ];
    for s in samples {
        let once = normalize(s);
        assert_eq!(normalize(&once), once, "{s:?}");
    }
}
