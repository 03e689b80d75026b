//! The `Pipeline`: every resource loaded once, then articles flow through
//! text analysis and event coding. It is `Send + Sync` so rayon can share it.

use pulse_code::{ArticleContext, Coder, Event};
use pulse_ingest::Article;
use pulse_nlp::Doc;

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
    coder: Coder,
}

impl Pipeline {
    /// Load the embedded dictionaries.
    pub fn load() -> anyhow::Result<Pipeline> {
        Ok(Pipeline {
            tagger: tagger()?,
            coder: Coder::embedded()?,
        })
    }

    /// Analyse a text and code its events.
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
}
