//! Text analysis for news: Unicode normalisation, a tokenizer that keeps byte
//! offsets into the original text, and a sentence splitter that knows news
//! abbreviations ("U.S.", "Gen.", "Sept.") and quotations.
//!
//! Offsets always point into the text given to [`analyze`]; each token also
//! carries a normalised form (`norm`, `lower`) for dictionary matching, so the
//! original text never has to be rewritten to be matched.

#![warn(missing_docs)]

mod abbrev;
pub mod annotate;
mod chars;
pub mod conllu;
pub mod ner;
mod normalize;
pub mod parser;
pub mod perceptron;
mod sentence;
pub mod tagger;
mod tokenize;
mod types;

use std::ops::Range;

pub use sentence::MAX_SENTENCE_TOKENS;
pub use types::{Doc, Entity, Sentence, Token, TokenKind};

/// Normalise article text before it is stored and hashed: Unicode NFC,
/// CRLF/CR to `\n`, trailing spaces removed from every line, runs of three
/// or more line breaks collapsed to one blank line, byte-order marks
/// (U+FEFF) dropped, and the whole trimmed.
pub fn normalize(text: &str) -> String {
    normalize::normalize(text)
}

/// Split `text` into tokens with byte offsets into `text` (always on char
/// boundaries). Contractions and possessives are split PTB-style ("did"
/// "n't", "Afghanistan" "'s"); abbreviations keep their period ("U.S.").
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize::tokenize(text)
}

/// Tokenize `text` and group the tokens into sentences; the returned
/// [`Doc`] owns a copy of `text`, which all offsets point into.
///
/// ```
/// let doc = pulse_nlp::analyze("Aid reached the U.S. The envoy didn't stay.");
/// assert_eq!(doc.sentences.len(), 2);
/// assert_eq!(doc.sentence_text(&doc.sentences[0]), "Aid reached the U.S.");
/// let lower: Vec<&str> = doc.sentences[1].tokens.iter().map(|t| t.lower.as_str()).collect();
/// assert_eq!(lower, ["the", "envoy", "did", "n't", "stay", "."]);
/// ```
pub fn analyze(text: &str) -> Doc {
    Doc {
        text: text.to_owned(),
        sentences: split_sentences(text, tokenize(text)),
    }
}

/// Group tokens produced by [`tokenize`] on `text` into sentences, moving
/// the tokens into them; use this when the tokens are already at hand.
pub fn split_sentences(text: &str, tokens: Vec<Token>) -> Vec<Sentence> {
    sentence::split_sentences(text, tokens)
}

/// The sentences of `tokens` (from [`tokenize`] on `text`) as ranges of
/// token indices, without copying or moving any token.
pub fn sentence_spans(text: &str, tokens: &[Token]) -> Vec<Range<usize>> {
    sentence::sentence_spans(text, tokens)
}
