//! Running the trained models over a whole [`Doc`]: tags and lemmas (see
//! [`Tagger::tag_doc`]), heads and relations, entity spans. Each step fills
//! the fields of the tokens and sentences that its model is responsible for,
//! so later stages read one analysed document.

use crate::ner::{entities, Ner};
use crate::parser::Parser;
use crate::tagger::Tagger;
use crate::Doc;

/// The models a document is analysed with, loaded once by the caller.
#[derive(Debug, Clone, Copy)]
pub struct Models<'a> {
    /// Part-of-speech tagger and lemmatiser.
    pub tagger: &'a Tagger,
    /// Dependency parser; `None` leaves heads and relations empty.
    pub parser: Option<&'a Parser>,
    /// Entity tagger; `None` leaves entity spans empty.
    pub ner: Option<&'a Ner>,
}

/// Tag, parse and find the entities of every sentence of `doc`.
pub fn annotate(models: Models<'_>, doc: &mut Doc) {
    models.tagger.tag_doc(doc);
    if let Some(parser) = models.parser {
        parse_doc(parser, doc);
    }
    if let Some(ner) = models.ner {
        entities_doc(ner, doc);
    }
}

/// Give every token of a tagged document its head and relation.
pub fn parse_doc(parser: &Parser, doc: &mut Doc) {
    for s in &mut doc.sentences {
        let words: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
        let tags: Vec<String> = s
            .tokens
            .iter()
            .map(|t| format!("{}|{}", t.upos, t.xpos))
            .collect();
        let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
        let arcs = parser.parse(&words, &tag_refs);
        for (t, arc) in s.tokens.iter_mut().zip(arcs) {
            // arcs count words from 1 with 0 for the root; tokens from 0
            t.head = arc.head.checked_sub(1);
            t.deprel = arc.deprel;
        }
    }
}

/// Find the named entities of every sentence of a tagged document.
pub fn entities_doc(ner: &Ner, doc: &mut Doc) {
    for s in &mut doc.sentences {
        let words: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
        let tags: Vec<&str> = s.tokens.iter().map(|t| t.upos.as_str()).collect();
        s.entities = entities(&ner.tag(&words, &tags));
    }
}
