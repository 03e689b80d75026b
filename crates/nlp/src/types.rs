//! The types that carry analysed text between pipeline stages.

use serde::Serialize;

/// What kind of characters a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TokenKind {
    /// Letters, possibly with inner hyphens, apostrophes or periods ("U.S.", "al-Qaeda").
    Word,
    /// Digits, possibly with separators ("1,500", "3.5", "2019").
    Number,
    /// Punctuation (quotes, commas, periods, dashes, brackets).
    Punct,
    /// Anything else (symbols such as "$", "%", emoji).
    Symbol,
}

/// One token: its byte span in the analysed text and its normalised forms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    /// Normalised surface form: NFKC, curly quotes and apostrophes folded to
    /// ASCII, dashes folded to "-" (a contraction piece is "n't", "'s", …).
    pub norm: String,
    /// `norm` in lower case, used for dictionary look-ups.
    pub lower: String,
    /// Character class of the token.
    pub kind: TokenKind,
    /// Universal part-of-speech tag; empty until a tagger has run.
    pub upos: String,
    /// Penn Treebank tag; empty until a tagger has run.
    pub xpos: String,
    /// Lemma; empty until a tagger has run.
    pub lemma: String,
    /// Index (in the sentence's tokens) of this token's syntactic head;
    /// `None` for the root of the sentence and until a parser has run.
    pub head: Option<usize>,
    /// Universal Dependencies relation to the head ("nsubj", "obl:agent",
    /// "root"); empty until a parser has run.
    pub deprel: String,
}

/// A named entity in a sentence: a range of token indices and its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Entity {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// PER, ORG or LOC.
    pub kind: String,
}

/// One sentence: its byte span and its tokens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sentence {
    /// Position of the sentence in the document, from 0.
    pub index: usize,
    /// Byte offset of the sentence's first token.
    pub start: usize,
    /// Byte offset one past the sentence's last token.
    pub end: usize,
    /// The tokens of the sentence, in order.
    pub tokens: Vec<Token>,
    /// Named entities (PER, ORG, LOC) as token ranges; empty until the
    /// entity tagger has run.
    pub entities: Vec<Entity>,
    /// This is a piece of a run of tokens longer than
    /// [`crate::MAX_SENTENCE_TOKENS`] with no sentence end, cut to that
    /// length (a flattened table or list, not prose): stages that skip
    /// run-on text, such as event coding, skip it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
}

/// An analysed text: the text itself and its sentences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    /// The text that all offsets point into.
    pub text: String,
    /// The sentences, in order.
    pub sentences: Vec<Sentence>,
}

impl Doc {
    /// The original text of a sentence.
    pub fn sentence_text(&self, sentence: &Sentence) -> &str {
        self.text.get(sentence.start..sentence.end).unwrap_or("")
    }
}
