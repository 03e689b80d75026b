//! The `Pipeline`: every resource loaded once, then articles flow through
//! text analysis and event coding. It is `Send + Sync` so rayon can share it.

use pulse_code::{ArticleContext, Coder, Event};
use pulse_ingest::Article;
use pulse_nlp::Doc;
use std::sync::OnceLock;

/// The tagger model shipped in the binary (trained by `pulse train tagger`).
const TAGGER_MODEL: &[u8] = include_bytes!("../../../data/models/tagger.bin");

/// Load the shipped tagger model.
pub fn tagger() -> anyhow::Result<pulse_nlp::tagger::Tagger> {
    Ok(pulse_nlp::tagger::Tagger::from_bytes(TAGGER_MODEL)?)
}

/// The entity tagger shipped in the binary (trained by `pulse train ner`).
const NER_MODEL: &[u8] = include_bytes!("../../../data/models/ner.bin");

/// The gazetteer the entity tagger uses: words of pulse's actor dictionaries.
pub fn gazetteer() -> pulse_nlp::ner::Gazetteer {
    use pulse_code::dict::embedded;
    pulse_nlp::ner::Gazetteer::from_actor_files(&[embedded::ACTORS, embedded::ACTORS_PULSE])
}

/// Load the shipped entity tagger.
pub fn ner() -> anyhow::Result<pulse_nlp::ner::Ner> {
    Ok(pulse_nlp::ner::Ner::from_bytes(NER_MODEL, gazetteer())?)
}

/// One article after analysis and coding.
pub struct Processed {
    /// Byte spans of the article's sentences.
    pub sentences: Vec<(usize, usize)>,
    /// The events coded from it.
    pub events: Vec<Event>,
    /// Number of tokens, for throughput figures.
    pub tokens: usize,
}

/// All stages' resources, loaded once.
pub struct Pipeline {
    tagger: pulse_nlp::tagger::Tagger,
    /// Parser and entity tagger, loaded on first use: the linear coder needs
    /// only tags, so ingest does not pay for trees nobody reads yet.
    syntax: OnceLock<(pulse_nlp::parser::Parser, pulse_nlp::ner::Ner)>,
    coder: Coder,
}

impl Pipeline {
    /// Load the embedded tagger and dictionaries.
    pub fn load() -> anyhow::Result<Pipeline> {
        Ok(Pipeline {
            tagger: tagger()?,
            syntax: OnceLock::new(),
            coder: Coder::embedded()?,
        })
    }

    /// The parser and entity tagger, loaded the first time they are asked for.
    fn syntax(&self) -> anyhow::Result<&(pulse_nlp::parser::Parser, pulse_nlp::ner::Ner)> {
        if let Some(models) = self.syntax.get() {
            return Ok(models);
        }
        let models = (crate::parse_cmd::parser()?, ner()?);
        // another thread may have won the race; either copy is the same model
        Ok(self.syntax.get_or_init(|| models))
    }

    /// Tokenize, tag, parse and find the entities of a text: every field of
    /// the [`Doc`] filled.
    pub fn analyze(&self, text: &str) -> anyhow::Result<Doc> {
        let (parser, ner) = self.syntax()?;
        let mut doc = pulse_nlp::analyze(text);
        let models = pulse_nlp::annotate::Models {
            tagger: &self.tagger,
            parser: Some(parser),
            ner: Some(ner),
        };
        pulse_nlp::annotate::annotate(models, &mut doc);
        Ok(doc)
    }

    /// Analyse a text (tokens, sentences, tags, lemmas) and code its events.
    /// Trees and entities are not computed here until the coder uses them
    /// (the syntax-aware coder, issue 5); [`Pipeline::analyze`] gives them.
    pub fn code_text(&self, id: &str, text: &str, published: Option<&str>) -> (Doc, Vec<Event>) {
        let mut doc = pulse_nlp::analyze(text);
        self.tagger.tag_doc(&mut doc);
        let events = self.coder.code(
            &doc,
            ArticleContext {
                article_id: id,
                published,
            },
        );
        (doc, events)
    }

    /// Analyse and code an article.
    pub fn process(&self, article: &Article) -> Processed {
        let (doc, events) =
            self.code_text(&article.id, &article.text, article.published.as_deref());
        Processed {
            sentences: doc.sentences.iter().map(|s| (s.start, s.end)).collect(),
            tokens: doc.sentences.iter().map(|s| s.tokens.len()).sum(),
            events,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn pipeline_is_shareable() {
        assert_send_sync::<Pipeline>();
    }

    #[test]
    fn documents_get_trees_and_entities() {
        let p = Pipeline::load().unwrap_or_else(|e| panic!("{e}"));
        let doc = p
            .analyze("The envoy met the minister in Doha. Talks resumed.")
            .unwrap_or_else(|e| panic!("{e}"));
        let s = &doc.sentences[0];
        let word = |i: usize| doc.text.get(s.tokens[i].start..s.tokens[i].end);
        // one root per sentence, every head inside the sentence
        for s in &doc.sentences {
            assert_eq!(s.tokens.iter().filter(|t| t.head.is_none()).count(), 1);
            assert!(s
                .tokens
                .iter()
                .all(|t| t.head.is_none_or(|h| h < s.tokens.len())));
            assert!(s.tokens.iter().all(|t| !t.deprel.is_empty()));
        }
        let root = s.tokens.iter().position(|t| t.deprel == "root");
        assert_eq!(root.and_then(word), Some("met"));
        let subject = s.tokens.iter().position(|t| t.deprel == "nsubj");
        assert_eq!(subject.and_then(word), Some("envoy"));
        assert_eq!(s.tokens[1].head, root);
        let places: Vec<&str> = s
            .entities
            .iter()
            .filter(|e| e.kind == "LOC")
            .filter_map(|e| {
                doc.text
                    .get(s.tokens[e.start].start..s.tokens[e.end - 1].end)
            })
            .collect();
        assert_eq!(places, ["Doha"]);
    }
}
