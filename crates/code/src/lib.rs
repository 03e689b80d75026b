//! Event coding: actor and verb dictionaries derived from the CAMEO/Phoenix
//! sources, the CAMEO codebook, and the coder that turns analysed sentences
//! into [`Event`] records — from the dependency parse where a sentence has
//! one ([`syntax`]), else by word order (TABARI/PETRARCH-1 style).

#![warn(missing_docs)]

pub mod build;
pub mod coder;
pub mod counts;
pub mod dict;
pub mod locate;
pub mod quantity;
pub mod quote;
pub mod syntax;
mod types;

pub use coder::{code_doc, code_doc_explained, event_id, ArticleContext};
pub use dict::Dictionaries;
pub use quantity::{find_quantities, sentence_quantities, Quantity, QuantityKind};
pub use quote::{find_quotes, Quote};
pub use types::{Actor, Counts, Event, EventPlace, EventSpans, PlaceMention, TextDate, TextSpan};

/// Errors of the coding stage: dictionary files that cannot be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// A source or dictionary file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A dictionary file has a line pulse cannot understand.
    #[error("{what}:{line}: {reason}")]
    Format {
        /// The file.
        what: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// The event coder: dictionaries loaded once, shared by all threads.
#[derive(Debug)]
pub struct Coder {
    dict: Dictionaries,
}

impl Coder {
    /// A coder over the dictionaries embedded in the binary.
    pub fn embedded() -> Result<Coder, CodeError> {
        Ok(Coder {
            dict: Dictionaries::embedded()?,
        })
    }

    /// A coder over dictionaries loaded some other way.
    pub fn new(dict: Dictionaries) -> Coder {
        Coder { dict }
    }

    /// The dictionaries in use.
    pub fn dictionaries(&self) -> &Dictionaries {
        &self.dict
    }

    /// Code all sentences of an analysed document.
    pub fn code(&self, doc: &pulse_nlp::Doc, ctx: ArticleContext<'_>) -> Vec<Event> {
        code_doc(&self.dict, doc, ctx)
    }

    /// Every dictionary actor mention of a document by byte span, found
    /// once per document: what a quotation's speaker or a place name is
    /// checked against. `date` (`YYYY-MM-DD`) picks among date-bounded codes.
    pub fn actor_spans(&self, doc: &pulse_nlp::Doc, date: Option<&str>) -> coder::ActorSpans {
        coder::actor_spans(&self.dict, doc, date)
    }

    /// Code all sentences and say why, per sentence index: the actors found,
    /// each verb's chosen pattern and the lighter ones that also matched,
    /// and why a verb gave no event (for `pulse code --explain`).
    pub fn code_explained(
        &self,
        doc: &pulse_nlp::Doc,
        ctx: ArticleContext<'_>,
    ) -> (Vec<Event>, Vec<(usize, String)>) {
        code_doc_explained(&self.dict, doc, ctx)
    }
}
