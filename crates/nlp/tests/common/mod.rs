//! Helpers shared by the integration tests.

#![allow(dead_code)]

use pulse_nlp::{Token, TokenKind};

/// The `norm` of every token of `text`.
pub fn norms(text: &str) -> Vec<String> {
    pulse_nlp::tokenize(text)
        .into_iter()
        .map(|t| t.norm)
        .collect()
}

/// The source text of every token of `text`.
pub fn surfaces(text: &str) -> Vec<String> {
    pulse_nlp::tokenize(text)
        .iter()
        .map(|t| text.get(t.start..t.end).unwrap_or("<bad>").to_owned())
        .collect()
}

/// The first token whose norm is `norm`.
pub fn find<'a>(tokens: &'a [Token], norm: &str) -> Option<&'a Token> {
    tokens.iter().find(|t| t.norm == norm)
}

/// The kind of the token with norm `norm` in `text`.
pub fn kind_of(text: &str, norm: &str) -> Option<TokenKind> {
    let tokens = pulse_nlp::tokenize(text);
    find(&tokens, norm).map(|t| t.kind)
}

/// The text of every sentence of `text`.
pub fn sentences(text: &str) -> Vec<String> {
    let doc = pulse_nlp::analyze(text);
    doc.sentences
        .iter()
        .map(|s| doc.sentence_text(s).to_owned())
        .collect()
}

/// Assert the structural invariants of tokens over `text`: in order, non
/// empty, non-overlapping, on char boundaries, `lower` derived from `norm`.
pub fn check_tokens(text: &str, tokens: &[Token]) {
    let mut prev_end = 0;
    for t in tokens {
        assert!(t.start < t.end, "empty token {t:?} in {text:?}");
        assert!(t.start >= prev_end, "overlap at {t:?} in {text:?}");
        assert!(text.is_char_boundary(t.start), "start off boundary {t:?}");
        assert!(text.is_char_boundary(t.end), "end off boundary {t:?}");
        let src = text.get(t.start..t.end).unwrap_or("");
        assert!(!src.trim().is_empty(), "blank token {t:?} in {text:?}");
        assert!(!t.norm.is_empty(), "empty norm {t:?}");
        assert_eq!(t.lower, t.norm.to_lowercase(), "lower of {t:?}");
        prev_end = t.end;
    }
}

/// Assert that `analyze` groups exactly the tokens of `tokenize` into
/// sentences with consistent spans and indices.
pub fn check_doc(text: &str) {
    let tokens = pulse_nlp::tokenize(text);
    check_tokens(text, &tokens);
    let doc = pulse_nlp::analyze(text);
    assert_eq!(doc.text, text);
    let mut flat = Vec::new();
    for (i, s) in doc.sentences.iter().enumerate() {
        assert_eq!(s.index, i);
        assert!(!s.tokens.is_empty());
        assert_eq!(s.start, s.tokens.first().map_or(0, |t| t.start));
        assert_eq!(s.end, s.tokens.last().map_or(0, |t| t.end));
        assert!(text.get(s.start..s.end).is_some());
        flat.extend(s.tokens.iter().cloned());
    }
    assert_eq!(flat, tokens, "sentences lose or add tokens in {text:?}");
}
