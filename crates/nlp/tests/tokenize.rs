//! Tests for `tokenize`.

mod common;

use common::{check_tokens, find, kind_of, norms, surfaces};
use pulse_nlp::{tokenize, TokenKind};

fn v(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn empty_and_whitespace_only() {
    assert!(tokenize("").is_empty());
    assert!(tokenize("  \n\t\r\n \u{a0}\u{200b} ").is_empty());
}

#[test]
fn offsets_round_trip_with_multibyte_text() {
    let text = "“We won’t leave Zürich,” said the mayor — again… in São Paulo’s café.";
    let tokens = tokenize(text);
    check_tokens(text, &tokens);
    assert_eq!(
        surfaces(text),
        v(&[
            "“", "We", "wo", "n’t", "leave", "Zürich", ",", "”", "said", "the", "mayor", "—",
            "again", "…", "in", "São", "Paulo", "’s", "café", ".",
        ])
    );
    assert_eq!(
        norms(text),
        v(&[
            "\"", "We", "wo", "n't", "leave", "Zürich", ",", "\"", "said", "the", "mayor", "-",
            "again", "...", "in", "São", "Paulo", "'s", "café", ".",
        ])
    );
    for t in &tokens {
        assert!(text.get(t.start..t.end).is_some());
    }
}

#[test]
fn lower_is_lowercased_norm() {
    let tokens = tokenize("The MINISTER’S Aide");
    let lowers: Vec<&str> = tokens.iter().map(|t| t.lower.as_str()).collect();
    assert_eq!(lowers, ["the", "minister", "'s", "aide"]);
}

#[test]
fn norm_is_nfkc() {
    // Ligature and full-width letters fold under NFKC; offsets stay original.
    let text = "the ﬁnal ＵＮ vote";
    let tokens = tokenize(text);
    check_tokens(text, &tokens);
    assert_eq!(norms(text), v(&["the", "final", "UN", "vote"]));
    assert_eq!(surfaces(text), v(&["the", "ﬁnal", "ＵＮ", "vote"]));
}

#[test]
fn contractions_split_ptb_style() {
    assert_eq!(
        norms("They didn't go, can't stay and won't talk."),
        v(
            &[
                "They", "did", "n't", "go", ",", "ca", "n't", "stay", "and", "wo", "n't", "talk",
                "."
            ]
        )
    );
    assert_eq!(
        norms("It's late; they're tired, we've left, I'll go, I'd stay, I'm here."),
        v(&[
            "It", "'s", "late", ";", "they", "'re", "tired", ",", "we", "'ve", "left", ",", "I",
            "'ll", "go", ",", "I", "'d", "stay", ",", "I", "'m", "here", ".",
        ])
    );
    assert_eq!(norms("DOESN'T"), v(&["DOES", "N'T"]));
    assert_eq!(kind_of("didn't", "n't"), Some(TokenKind::Word));
}

#[test]
fn curly_contractions_fold_to_ascii() {
    let text = "She didn’t know it’s over";
    assert_eq!(
        norms(text),
        v(&["She", "did", "n't", "know", "it", "'s", "over"])
    );
    assert_eq!(
        surfaces(text),
        v(&["She", "did", "n’t", "know", "it", "’s", "over"])
    );
}

#[test]
fn possessives() {
    assert_eq!(
        norms("Afghanistan's border"),
        v(&["Afghanistan", "'s", "border"])
    );
    let curly = "Afghanistan’s border";
    let tokens = tokenize(curly);
    check_tokens(curly, &tokens);
    assert_eq!(norms(curly), v(&["Afghanistan", "'s", "border"]));
    let clitic = find(&tokens, "'s").map(|t| &curly[t.start..t.end]);
    assert_eq!(clitic, Some("’s"));

    assert_eq!(
        norms("the officials' plans and the ministers’ offices"),
        v(&[
            "the",
            "officials",
            "'",
            "plans",
            "and",
            "the",
            "ministers",
            "'",
            "offices"
        ])
    );
    assert_eq!(kind_of("the officials' plans", "'"), Some(TokenKind::Word));
    assert_eq!(
        norms("the U.S.'s allies"),
        v(&["the", "U.S.", "'s", "allies"])
    );
    assert_eq!(norms("O'Brien's aide"), v(&["O'Brien", "'s", "aide"]));
}

#[test]
fn hyphenated_words_stay_whole() {
    assert_eq!(
        norms("U.S.-led forces fought al-Qaeda and anti-government militias near Mazar-i-Sharif in a thrice-delayed push."),
        v(&[
            "U.S.-led", "forces", "fought", "al-Qaeda", "and", "anti-government", "militias",
            "near", "Mazar-i-Sharif", "in", "a", "thrice-delayed", "push", ".",
        ])
    );
    assert_eq!(
        norms("a 20-year-old F-16 pilot"),
        v(&["a", "20-year-old", "F-16", "pilot"])
    );
}

#[test]
fn dashes_between_spaces_and_double_hyphens_are_punct() {
    assert_eq!(
        norms("Talks -- at last -- resumed - briefly — in Geneva"),
        v(&["Talks", "-", "at", "last", "-", "resumed", "-", "briefly", "-", "in", "Geneva"])
    );
    assert_eq!(norms("peace--for now"), v(&["peace", "-", "for", "now"]));
    assert_eq!(
        surfaces("peace--for now"),
        v(&["peace", "--", "for", "now"])
    );
    assert_eq!(norms("2019–2020"), v(&["2019", "-", "2020"]));
    assert_eq!(kind_of("yes -- no", "-"), Some(TokenKind::Punct));
}

#[test]
fn numbers() {
    let text = "About 1,500 of 14,000 troops, 3.5 percent, left in 2019; 20,000 stayed.";
    assert_eq!(
        norms(text),
        v(&[
            "About", "1,500", "of", "14,000", "troops", ",", "3.5", "percent", ",", "left", "in",
            "2019", ";", "20,000", "stayed", ".",
        ])
    );
    for n in ["1,500", "14,000", "3.5", "2019", "20,000"] {
        assert_eq!(kind_of(text, n), Some(TokenKind::Number), "{n}");
    }
    assert_eq!(
        norms("8,000-9,000 people"),
        v(&["8,000", "-", "9,000", "people"])
    );
    assert_eq!(norms("1,500,000 votes"), v(&["1,500,000", "votes"]));
    // A comma not followed by a group of three digits separates numbers.
    assert_eq!(norms("1,2 and 3"), v(&["1", ",", "2", "and", "3"]));
}

#[test]
fn currency_and_percent_are_symbols() {
    assert_eq!(norms("$8 and 5%"), v(&["$", "8", "and", "5", "%"]));
    assert_eq!(kind_of("$8", "$"), Some(TokenKind::Symbol));
    assert_eq!(kind_of("5%", "%"), Some(TokenKind::Symbol));
    assert_eq!(kind_of("5%", "5"), Some(TokenKind::Number));
}

#[test]
fn ordinals_and_decades_are_numbers() {
    for (text, n) in [
        ("the 1st", "1st"),
        ("the 21st day", "21st"),
        ("2nd", "2nd"),
        ("3rd", "3rd"),
        ("in the 1990s", "1990s"),
    ] {
        assert_eq!(kind_of(text, n), Some(TokenKind::Number), "{text}");
    }
    assert_eq!(kind_of("a G7 summit", "G7"), Some(TokenKind::Word));
    assert_eq!(kind_of("5G masts", "5G"), Some(TokenKind::Word));
}

#[test]
fn abbreviations_keep_their_period() {
    let text = "U.S. U.N. U.K. Gen. Lt. Col. Sgt. Mr. Mrs. Ms. Dr. Sen. Rep. Gov. Pres. Prof. \
                St. Jr. Sr. Inc. Corp. Co. Ltd. vs. etc. e.g. i.e. a.m. p.m. Jan. Feb. Aug. \
                Sept. Sep. Oct. Nov. Dec. Calif. Mass. Ariz. Ky. J. A.B. A.B.C.";
    let expected: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    assert_eq!(norms(text), expected);
    for t in tokenize(text) {
        assert_eq!(t.kind, TokenKind::Word, "{t:?}");
    }
}

#[test]
fn no_is_an_abbreviation_only_before_a_number() {
    assert_eq!(norms("No. 5 seed"), v(&["No.", "5", "seed"]));
    assert_eq!(
        norms("He said No. Then"),
        v(&["He", "said", "No", ".", "Then"])
    );
    assert_eq!(norms("she said no."), v(&["she", "said", "no", "."]));
}

#[test]
fn ordinary_words_lose_their_period() {
    assert_eq!(norms("They left."), v(&["They", "left", "."]));
    assert_eq!(norms("a. b."), v(&["a", ".", "b", "."]));
    assert_eq!(norms("Wait..."), v(&["Wait", "..."]));
    assert_eq!(norms("Really?!"), v(&["Really", "?!"]));
}

#[test]
fn acronym_missing_final_period() {
    assert_eq!(norms("the U.S Army"), v(&["the", "U.S", "Army"]));
    assert_eq!(norms("U.S-backed"), v(&["U.S-backed"]));
}

#[test]
fn initials_in_names() {
    assert_eq!(
        norms("George W. Bush and J.R.R. Tolkien"),
        v(&["George", "W.", "Bush", "and", "J.R.R.", "Tolkien"])
    );
}

#[test]
fn urls_and_emails_are_single_tokens() {
    let text = "See https://news.example.com/a/b?id=7&x=1 (or www.example.org/path). \
                Write to desk@example.co.uk, or visit example.com.";
    let tokens = tokenize(text);
    check_tokens(text, &tokens);
    let s = surfaces(text);
    for want in [
        "https://news.example.com/a/b?id=7&x=1",
        "www.example.org/path",
        "desk@example.co.uk",
        "example.com",
    ] {
        assert!(s.iter().any(|x| x == want), "{want} missing from {s:?}");
        assert_eq!(kind_of(text, want), Some(TokenKind::Symbol));
    }
    // Trailing sentence punctuation is not part of the URL.
    assert_eq!(s.last().map(String::as_str), Some("."));
    assert!(s.iter().any(|x| x == ")"));
}

#[test]
fn quotes_fold_to_ascii() {
    let text = "‘a’ “b” „c“ «d» ′e′ ″f″";
    let tokens = tokenize(text);
    check_tokens(text, &tokens);
    let quotes: Vec<&str> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::Punct)
        .map(|t| t.norm.as_str())
        .collect();
    assert_eq!(
        quotes,
        ["'", "'", "\"", "\"", "\"", "\"", "\"", "\"", "'", "'", "\"", "\""]
    );
}

#[test]
fn punctuation_and_symbols() {
    assert_eq!(kind_of("a, b", ","), Some(TokenKind::Punct));
    assert_eq!(kind_of("(a)", "("), Some(TokenKind::Punct));
    assert_eq!(kind_of("a & b", "&"), Some(TokenKind::Symbol));
    assert_eq!(norms("AT&T and S&P"), v(&["AT&T", "and", "S&P"]));
    // Emoji with a skin-tone modifier stays one symbol.
    let text = "ok 👍🏽 done";
    assert_eq!(surfaces(text), v(&["ok", "👍🏽", "done"]));
    assert_eq!(kind_of(text, "👍🏽"), Some(TokenKind::Symbol));
}

#[test]
fn soft_hyphen_and_zero_width_space() {
    let text = "cease\u{ad}fire now\u{200b}please";
    let tokens = tokenize(text);
    check_tokens(text, &tokens);
    assert_eq!(norms(text), v(&["ceasefire", "now", "please"]));
}

#[test]
fn decomposed_accents_stay_in_the_word() {
    let text = "Zu\u{308}rich talks";
    let tokens = tokenize(text);
    check_tokens(text, &tokens);
    assert_eq!(surfaces(text), v(&["Zu\u{308}rich", "talks"]));
    // norm is NFKC, so the accent is composed.
    assert_eq!(norms(text), v(&["Z\u{fc}rich", "talks"]));
}
