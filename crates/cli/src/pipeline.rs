//! The `Pipeline`: every resource loaded once, then articles flow through
//! text analysis and event coding. It is `Send + Sync` so rayon can share it.

use pulse_code::{ArticleContext, Coder, Event, PlaceMention};
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

/// The GeoNames gazetteer shipped in the binary (built by `pulse data build-gazetteer`).
const PLACES: &[u8] = include_bytes!("../../../data/geo/gazetteer.bin");

/// Load the shipped GeoNames gazetteer.
pub fn places() -> anyhow::Result<pulse_geo::Gazetteer> {
    Ok(pulse_geo::Gazetteer::from_bytes(PLACES)?)
}

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
    /// The places it names, resolved.
    pub places: Vec<PlaceMention>,
}

/// What the pipeline finds in one text.
pub struct Coded {
    /// The analysed text.
    pub doc: Doc,
    /// The coded events, dated and counted.
    pub events: Vec<Event>,
    /// The quantities (killed, wounded, troops, …).
    pub quantities: Vec<pulse_code::Quantity>,
    /// Quotations and reported speech with their speakers.
    pub quotes: Vec<QuoteRecord>,
    /// The temporal expressions, resolved against the publication date.
    pub timexes: Vec<pulse_time::Timex>,
    /// The places the text names, resolved with the article as context.
    pub places: Vec<PlaceMention>,
    /// The coder's notes per sentence, when asked for.
    pub notes: Vec<(usize, String)>,
}

/// Merge the entity tagger's spans with the gazetteer's matches: a match
/// inside a person's or organisation's name is dropped unless it names a
/// country or province ("Jordan" in "Jordan Peterson", "Paris" in "Paris
/// Hilton"), and a LOC entity that overlaps no match is added (a street, a
/// neighbourhood or a river the gazetteer lacks; resolution backs it off to
/// the article's town). Spans stay in text order.
fn merge_entity_places(doc: &Doc, g: &pulse_geo::Gazetteer, spans: &mut Vec<(usize, usize)>) {
    let byte_span = |s: &pulse_nlp::Sentence, e: &pulse_nlp::Entity| {
        let first = s.tokens.get(e.start)?;
        let last = s.tokens.get(e.end.checked_sub(1)?)?;
        Some((first.start, last.end))
    };
    // entities do not overlap each other; collected first so that each
    // match is checked against the one name that can hold it (a pass over
    // every match per entity made long pages quadratic)
    let mut names: Vec<(usize, usize)> = Vec::new();
    let mut locs: Vec<(usize, usize)> = Vec::new();
    for s in &doc.sentences {
        for e in &s.entities {
            let Some(span) = byte_span(s, e) else {
                continue;
            };
            match e.kind.as_str() {
                "PER" | "ORG" => names.push(span),
                "LOC" => locs.push(span),
                _ => {}
            }
        }
    }
    names.sort_unstable();
    spans.sort_unstable();
    spans.retain(|&m| {
        let i = names.partition_point(|n| n.0 <= m.0);
        let inside = i > 0 && names.get(i - 1).is_some_and(|n| m.1 <= n.1);
        !inside
            || doc
                .text
                .get(m.0..m.1)
                .is_some_and(|name| names_country_or_province(g, name))
    });
    // a LOC entity that overlaps no match: the matches by start, with the
    // furthest end reached so far
    let mut furthest = Vec::with_capacity(spans.len());
    let mut reach = 0;
    for m in spans.iter() {
        reach = reach.max(m.1);
        furthest.push(reach);
    }
    let added: Vec<(usize, usize)> = locs
        .into_iter()
        .filter(|span| {
            let k = spans.partition_point(|m| m.0 < span.1);
            k == 0 || furthest.get(k - 1).is_none_or(|&end| end <= span.0)
        })
        .collect();
    spans.extend(added);
    spans.sort_unstable();
}

/// Whether `name` is the name of a country or a first-order division
/// (those stay places even where an actor or a person bears the name).
fn names_country_or_province(g: &pulse_geo::Gazetteer, name: &str) -> bool {
    g.candidates(name)
        .iter()
        .filter_map(|&c| g.place(c))
        .any(|p| {
            matches!(
                p.level,
                pulse_geo::Level::Country | pulse_geo::Level::Admin1
            )
        })
}

/// The one token that spans `start..end`, when a single token does.
fn lone_token(doc: &Doc, start: usize, end: usize) -> Option<&pulse_nlp::Token> {
    // sentences and tokens are in text order and do not overlap, so the
    // tokens inside the span are consecutive: start from the first sentence
    // that ends after `start` (a binary search; a scan from the first token
    // made long pages quadratic)
    let first = doc
        .sentences
        .partition_point(|s| s.tokens.last().is_some_and(|t| t.end <= start));
    let mut inside = doc.sentences[first..]
        .iter()
        .flat_map(|s| &s.tokens)
        .skip_while(|t| t.start < start)
        .take_while(|t| t.end <= end);
    match (inside.next(), inside.next()) {
        (Some(t), None) => Some(t),
        _ => None,
    }
}

/// A quotation with the actor code of its speaker, when the dictionaries
/// know the speaker.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QuoteRecord {
    /// The quotation.
    #[serde(flatten)]
    pub quote: pulse_code::Quote,
    /// The speaker's CAMEO actor code.
    pub speaker_actor: Option<String>,
}

/// All stages' resources, loaded once.
pub struct Pipeline {
    tagger: pulse_nlp::tagger::Tagger,
    /// Parser and entity tagger, loaded on first use: the linear coder needs
    /// only tags, so ingest does not pay for trees nobody reads yet.
    syntax: OnceLock<(pulse_nlp::parser::Parser, pulse_nlp::ner::Ner)>,
    coder: Coder,
    /// Code by word order only (the linear coder), without parsing.
    linear: bool,
    /// Run the entity tagger too, so the coder and the geo stage merge its spans.
    entities: bool,
    /// The gazetteer, loaded the first time places are asked for.
    gazetteer: OnceLock<Option<pulse_geo::Gazetteer>>,
}

impl Pipeline {
    /// Load the embedded tagger and dictionaries.
    pub fn load() -> anyhow::Result<Pipeline> {
        Ok(Pipeline {
            tagger: tagger()?,
            syntax: OnceLock::new(),
            coder: Coder::embedded()?,
            // the syntax-aware coder is the default; the linear one is the
            // fallback for sentences without a usable parse and is measured
            // beside it (docs/EVALUATION.md, "Event coding with the parse")
            linear: false,
            entities: true,
            gazetteer: OnceLock::new(),
        })
    }

    /// Add a user's actor and verb dictionaries (PETRARCH format or pulse's
    /// compact one) after the embedded ones; an entry with the same words
    /// replaces the embedded one.
    pub fn with_dictionaries(
        mut self,
        actors: &[std::path::PathBuf],
        verbs: &[std::path::PathBuf],
    ) -> anyhow::Result<Pipeline> {
        if actors.is_empty() && verbs.is_empty() {
            return Ok(self);
        }
        let read = |paths: &[std::path::PathBuf]| -> anyhow::Result<Vec<(String, String)>> {
            paths
                .iter()
                .map(|p| {
                    let bytes = std::fs::read(p).map_err(|e| {
                        anyhow::anyhow!("{}: cannot read the dictionary: {e}", p.display())
                    })?;
                    let text = String::from_utf8(bytes).map_err(|_| {
                        anyhow::anyhow!("{}: the dictionary is not UTF-8 text", p.display())
                    })?;
                    Ok((p.display().to_string(), text))
                })
                .collect()
        };
        let dict = pulse_code::Dictionaries::embedded_with(&read(actors)?, &read(verbs)?)?;
        self.coder = Coder::new(dict);
        Ok(self)
    }

    /// Run the entity tagger before coding (`true`, the default), so that
    /// the coder merges its spans with the actors and the geo stage with
    /// the gazetteer's matches; `false` is faster (docs/EVALUATION.md).
    pub fn entities(mut self, entities: bool) -> Pipeline {
        self.entities = entities;
        self
    }

    /// Code by word order only (`true`), or with the dependency parse
    /// (`false`, the default).
    pub fn linear(mut self, linear: bool) -> Pipeline {
        self.linear = linear;
        self
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

    /// Analyse a text (tokens, sentences, tags, lemmas and, unless the
    /// pipeline is linear, the parse) and code its events.
    pub fn code_text(&self, id: &str, text: &str, published: Option<&str>) -> (Doc, Vec<Event>) {
        self.code_with(&self.coder, id, text, published)
    }

    /// Everything the pipeline finds in a text: its events (dated, counted
    /// and placed), quantities, quotations with their speakers' actors,
    /// timexes and places; with the coder's notes when `explain` is set.
    pub fn code_article(
        &self,
        id: &str,
        text: &str,
        published: Option<&str>,
        explain: bool,
    ) -> Coded {
        let mut c = self.run(&self.coder, id, text, published, explain);
        // the actor mentions, found once: speakers are looked up in them
        let actors = self.coder.actor_spans(&c.doc, published);
        c.quotes = pulse_code::find_quotes(&c.doc)
            .into_iter()
            .map(|q| {
                let speaker_actor = q
                    .speaker
                    .as_ref()
                    .and_then(|sp| actors.at(sp.start, sp.end))
                    .map(str::to_string);
                QuoteRecord {
                    quote: q,
                    speaker_actor,
                }
            })
            .collect();
        c
    }

    /// The gazetteer, loaded the first time it is asked for (`None` when
    /// the embedded file does not load: no places then).
    pub fn geonames(&self) -> Option<&pulse_geo::Gazetteer> {
        self.gazetteer
            .get_or_init(|| match places() {
                Ok(g) => Some(g),
                Err(e) => {
                    tracing::warn!("no gazetteer, no places: {e:#}");
                    None
                }
            })
            .as_ref()
    }

    /// The places a text names, as the pipeline finds them: the text
    /// analysed, then [`Pipeline::places`].
    pub fn place_mentions(&self, text: &str) -> Vec<PlaceMention> {
        let doc = self.analysed(text);
        self.places(&doc, text)
    }

    /// The places a text names, resolved with the whole article as context
    /// (a gazetteer that does not load leaves none). Names that cannot be
    /// places here are left out before resolving, so they do not vote for
    /// a country either.
    fn places(&self, doc: &Doc, text: &str) -> Vec<PlaceMention> {
        let Some(g) = self.geonames() else {
            return Vec::new();
        };
        let mut spans: Vec<(usize, usize)> = g
            .find_toponyms(text)
            .into_iter()
            .filter(|&(start, end)| self.could_be_place(doc, g, start, end))
            .collect();
        if self.entities {
            merge_entity_places(doc, g, &mut spans);
        }
        spans
            .iter()
            .zip(g.resolve_spans(text, &spans))
            .filter_map(|(&(start, end), place)| {
                let place = place?;
                // an adjective names a country ("Afghan", "Qatari"), not a
                // town ("Much of the negotiating")
                if place.level == pulse_geo::Level::City
                    && lone_token(doc, start, end).is_some_and(|t| t.upos == "ADJ")
                {
                    return None;
                }
                Some(PlaceMention {
                    start,
                    end,
                    text: text.get(start..end)?.to_string(),
                    place,
                })
            })
            .collect()
    }

    /// Whether a name the gazetteer matched can be a place here: not the
    /// whole name of an organisation, group or person the actor dictionaries
    /// know ("the Taliban", "NATO", "the UN" are also names of small towns;
    /// "Russian" in "Russian government" stays a place reference), and not a
    /// word the tagger reads as a function word.
    fn could_be_place(
        &self,
        doc: &Doc,
        gazetteer: &pulse_geo::Gazetteer,
        start: usize,
        end: usize,
    ) -> bool {
        let dict = self.coder.dictionaries();
        // a state, or a state's region ("Gaza", `PSEGZA`), is a place; a
        // code with a role after the country (`USAGOV` for "White House",
        // `AFGREB` for "Taliban") or without a country names an actor. A
        // name that is also a country or a province ("Ukraine" read as its
        // government, "Washington") stays a place
        let place_code = |code: &str| {
            dict.is_state(code)
                || (code.get(..3).is_some_and(|c| dict.is_state(c))
                    && code
                        .get(3..6)
                        .is_some_and(|r| !pulse_code::dict::ROLE_CODES.contains(&r)))
        };
        let name = doc.text.get(start..end).unwrap_or("");
        let bare = ["The ", "the ", "THE "]
            .iter()
            .find_map(|a| name.strip_prefix(a))
            .unwrap_or(name);
        if dict.code_of_name(bare).is_some_and(|c| !place_code(c))
            && !names_country_or_province(gazetteer, name)
        {
            return false;
        }
        // a lone function word is no name ("One", "As", "Since", "None")
        lone_token(doc, start, end).is_none_or(|t| {
            !matches!(
                t.upos.as_str(),
                "ADP"
                    | "SCONJ"
                    | "CCONJ"
                    | "PRON"
                    | "DET"
                    | "NUM"
                    | "AUX"
                    | "PART"
                    | "ADV"
                    | "VERB"
                    | "INTJ"
            )
        })
    }

    /// Analyse, date and code a text, fill the events' counts, find and
    /// resolve its places and locate the events.
    fn run(
        &self,
        coder: &Coder,
        id: &str,
        text: &str,
        published: Option<&str>,
        explain: bool,
    ) -> Coded {
        let doc = self.analysed(text);
        // the time stage: the text's dates, resolved against the
        // publication date, date the events
        let timexes = pulse_time::find(&doc, published);
        let dates: Vec<pulse_code::TextDate> = timexes
            .iter()
            // a bound ("since May", "by September 1", "before 2010") says
            // when something began or must end, not when an act happened
            .filter(|t| {
                t.kind == pulse_time::TimexType::Date
                    && t.modifier
                        .as_deref()
                        .is_none_or(|m| matches!(m, "START" | "MID" | "END" | "APPROX"))
            })
            .map(|t| pulse_code::TextDate {
                sentence: t.sentence,
                start: t.start,
                end: t.end,
                value: t.value.clone(),
            })
            .collect();
        let ctx = ArticleContext {
            article_id: id,
            published,
            dates: &dates,
        };
        let (mut events, notes) = if explain {
            coder.code_explained(&doc, ctx)
        } else {
            (coder.code(&doc, ctx), Vec::new())
        };
        let quantities = pulse_code::find_quantities(&doc);
        pulse_code::counts::attach_counts(&doc, &quantities, &mut events);
        let places = self.places(&doc, text);
        pulse_code::locate::locate_events(&doc, &places, &mut events);
        Coded {
            doc,
            events,
            quantities,
            quotes: Vec::new(),
            timexes,
            places,
            notes,
        }
    }

    /// A text tokenized, split and tagged, and parsed unless the pipeline
    /// is linear.
    fn analysed(&self, text: &str) -> Doc {
        let mut doc = pulse_nlp::analyze(text);
        self.tagger.tag_doc(&mut doc);
        if !self.linear {
            match self.syntax() {
                Ok((parser, ner)) => {
                    pulse_nlp::annotate::parse_doc(parser, &mut doc);
                    // the coder merges the entity spans with its actors
                    if self.entities {
                        pulse_nlp::annotate::entities_doc(ner, &mut doc);
                    }
                }
                // the linear coder needs no parse: code on without one
                Err(e) => tracing::warn!("no parser, coding by word order: {e:#}"),
            }
        }
        doc
    }

    /// Like [`Pipeline::code_text`], with another coder (other dictionaries).
    pub fn code_with(
        &self,
        coder: &Coder,
        id: &str,
        text: &str,
        published: Option<&str>,
    ) -> (Doc, Vec<Event>) {
        let c = self.run(coder, id, text, published, false);
        (c.doc, c.events)
    }

    /// Analyse and code an article.
    pub fn process(&self, article: &Article) -> Processed {
        let Coded {
            doc,
            mut events,
            places,
            ..
        } = self.run(
            &self.coder,
            &article.id,
            &article.text,
            article.published.as_deref(),
            false,
        );
        // the dataset holds what happened or was announced; negated,
        // hypothetical and conditional events stay out of it
        events.retain(Event::is_asserted);
        Processed {
            sentences: doc.sentences.iter().map(|s| (s.start, s.end)).collect(),
            tokens: doc.sentences.iter().map(|s| s.tokens.len()).sum(),
            events,
            places,
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

    /// The first event with CAMEO root `root`, or a failure listing the events.
    fn with_root<'a>(events: &'a [Event], root: &str) -> &'a Event {
        events
            .iter()
            .find(|e| e.root == root)
            .unwrap_or_else(|| panic!("no root {root} in {events:?}"))
    }

    fn syntax_events(text: &str) -> Vec<Event> {
        let p = Pipeline::load()
            .unwrap_or_else(|e| panic!("{e}"))
            .linear(false);
        p.code_text("t", text, Some("2020-03-01")).1
    }

    #[test]
    fn an_event_is_placed_where_its_verb_says() {
        let p = Pipeline::load().unwrap_or_else(|e| panic!("{e}"));
        let c = p.code_article(
            "t",
            "Kenyan officials met Somali diplomats in Nairobi on Monday. The Taliban rejected it.",
            Some("2020-03-01"),
            false,
        );
        let nairobi = c
            .places
            .iter()
            .find(|r| r.text == "Nairobi")
            .unwrap_or_else(|| panic!("{:?}", c.places));
        assert_eq!(nairobi.place.country, "KE");
        let met = with_root(&c.events, "04");
        let placed = met.place.as_ref().unwrap_or_else(|| panic!("{met:?}"));
        assert_eq!(placed.place.geonameid, nairobi.place.geonameid);
        // the parse hangs "in Nairobi" on the object: still the verb's place
        assert_eq!((placed.basis.as_str(), placed.geo_precision), ("verb", 1));
        assert_eq!((placed.start, placed.end), (nairobi.start, nairobi.end));
        // an actor the dictionaries know is no place, whatever town bears its name
        assert!(
            c.places.iter().all(|r| r.text != "Taliban"),
            "{:?}",
            c.places
        );
    }

    /// The place of the first event with root `root` coded from `text`:
    /// (name, country, geo precision, basis).
    fn placed(text: &str, root: &str) -> Option<(String, String, u8, String)> {
        let p = Pipeline::load().unwrap_or_else(|e| panic!("{e}"));
        let c = p.code_article("t", text, Some("2020-03-01"), false);
        let e = with_root(&c.events, root);
        e.place.as_ref().map(|x| {
            (
                x.place.name.clone(),
                x.place.country.clone(),
                x.geo_precision,
                x.basis.clone(),
            )
        })
    }

    #[test]
    fn events_are_placed_by_verb_sentence_or_article() {
        let at = |name: &str, cc: &str, precision: u8, basis: &str| {
            Some((name.into(), cc.into(), precision, basis.into()))
        };
        // beside a town, not in it (the parse hangs the place on the object)
        assert_eq!(
            placed("Somali troops attacked Kenyan police near Kismayo.", "19"),
            at("Kismayo", "SO", 2, "verb")
        );
        // a province only, named with its kind
        assert_eq!(
            placed(
                "Taliban fighters attacked Afghan soldiers in Helmand province on Monday.",
                "19"
            ),
            at("Helmand", "AF", 3, "verb")
        );
        // a city and the country that contains it are one place, the city
        assert_eq!(
            placed(
                "In Kismayo, Somalia, police arrested twelve Kenyan men.",
                "17"
            ),
            at("Kismayo", "SO", 1, "sentence")
        );
        // no place in the sentence: the town the article is about
        let text = "Floods hit Kismayo on Sunday. Kismayo officials asked Somalia for aid. \
                    Somali police arrested twelve Kenyan men.";
        assert_eq!(placed(text, "17"), at("Kismayo", "SO", 2, "article"));
        // two places, none on the verb, and no focus: unplaced
        let text = "Kenyan police arrested twelve Somali men between Nairobi and Mombasa.";
        assert_eq!(placed(text, "17"), None);
    }

    #[test]
    fn events_are_dated_by_the_dates_of_their_clauses() {
        // published Sunday 2020-03-01: "on Tuesday" in a past clause is 02-25
        let events = syntax_events(
            "A Kenyan official told reporters on Tuesday that Somalia had attacked the town.",
        );
        let told = with_root(&events, "01");
        assert_eq!(told.date.as_deref(), Some("2020-02-25"));
        assert_eq!(told.date_precision.as_deref(), Some("day"));
        assert_eq!(told.date_source.as_deref(), Some("text"));
        // a date in a reported clause dates that clause's act, not the saying
        let events =
            syntax_events("The Kenyan government says Somali troops attacked the town in January.");
        let says = with_root(&events, "01");
        assert_eq!(says.date.as_deref(), Some("2020-03-01"));
        assert_eq!(says.date_source.as_deref(), Some("published"));
        let attack = with_root(&events, "19");
        assert_eq!(attack.date.as_deref(), Some("2020-01"));
        assert_eq!(attack.date_precision.as_deref(), Some("month"));
    }

    #[test]
    fn a_death_toll_is_counted_on_its_event() {
        let events = syntax_events("Somali troops killed twelve Kenyan soldiers on Monday.");
        let e = with_root(&events, "19");
        assert_eq!(e.counts.fatalities, Some(12));
        // a bound keeps its figure, "dozens" is 12 (ACLED)
        let events = syntax_events("Militants killed at least 30 villagers on Sunday.");
        assert_eq!(with_root(&events, "19").counts.fatalities, Some(30));
        let events = syntax_events("Kenyan police shot and wounded dozens of protesters.");
        let e = with_root(&events, "18");
        assert_eq!((e.counts.injuries, e.counts.fatalities), (Some(12), None));
    }

    #[test]
    fn negated_events_are_flagged_and_kept_out_of_the_dataset() {
        let events = syntax_events("The Taliban did not attack the convoy.");
        assert!(!events.is_empty());
        assert!(events.iter().all(|e| e.mode.as_deref() == Some("negated")));
        let p = Pipeline::load()
            .unwrap_or_else(|e| panic!("{e}"))
            .linear(false);
        let article = Article {
            id: "n1".into(),
            source: "test".into(),
            url: None,
            title: None,
            published: None,
            text: "The Taliban did not attack the convoy.".into(),
        };
        assert!(p.process(&article).events.is_empty());
    }

    #[test]
    fn a_reported_pronoun_is_the_speaker() {
        let events = syntax_events("Russia said it would send aid to Syria.");
        let aid = with_root(&events, "03");
        assert_eq!(aid.source.code, "RUS");
        assert_eq!(aid.source.text, "it");
        assert_eq!(aid.target.as_ref().map(|t| t.code.as_str()), Some("SYR"));
        assert_eq!(aid.mode.as_deref(), Some("future"));
    }

    #[test]
    fn the_passive_agent_is_the_source() {
        let events = syntax_events("The Syrian army was attacked by Turkish forces on Monday.");
        let attack = with_root(&events, "19");
        assert!(attack.source.code.starts_with("TUR"), "{attack:?}");
        assert!(attack
            .target
            .as_ref()
            .is_some_and(|t| t.code.starts_with("SYR")));
    }

    #[test]
    fn conjoined_subjects_each_act() {
        let events = syntax_events("France and Germany criticized Russia on Friday.");
        let mut sources: Vec<&str> = events
            .iter()
            .filter(|e| e.target.as_ref().is_some_and(|t| t.code == "RUS"))
            .map(|e| e.source.code.as_str())
            .collect();
        sources.sort_unstable();
        assert_eq!(sources, ["DEU", "FRA"]);
    }

    #[test]
    fn user_dictionaries_add_actors_and_verbs() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let actors = dir.path().join("actors.txt");
        let verbs = dir.path().join("verbs.txt");
        std::fs::write(&actors, "GONDOR_ [GON]\nARAGORN [GONGOV]\n")
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&verbs, "--- PARLEY [043] ---\nPARLEY\n- * WITH + [046]\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let p = Pipeline::load()
            .and_then(|p| p.with_dictionaries(&[actors], &[verbs]))
            .unwrap_or_else(|e| panic!("{e}"));
        let (_, events) = p.code_text("u", "Aragorn parleyed with Gondor on Tuesday.", None);
        let found: Vec<(&str, &str, Option<&str>)> = events
            .iter()
            .map(|e| {
                (
                    e.cameo.as_str(),
                    e.source.code.as_str(),
                    e.target.as_ref().map(|t| t.code.as_str()),
                )
            })
            .collect();
        assert_eq!(found, [("046", "GONGOV", Some("GON"))]);
        let missing =
            Pipeline::load().and_then(|p| p.with_dictionaries(&[dir.path().join("nope.txt")], &[]));
        assert!(missing.is_err_and(|e| e.to_string().contains("nope.txt")));
        // binary junk is refused with the file's name; odd but valid text is read
        let junk = dir.path().join("junk.bin");
        std::fs::write(&junk, [0xff_u8, 0xfe, 0x00, 0x9c]).unwrap_or_else(|e| panic!("{e}"));
        let refused = Pipeline::load().and_then(|p| p.with_dictionaries(&[], &[junk]));
        assert!(refused.is_err_and(|e| e.to_string().contains("junk.bin")));
        let odd = dir.path().join("odd.txt");
        std::fs::write(&odd, "ÉÉÉLAND_ [ÉÉÉ]\n[[[\n--- \n- * [\n\t\t\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let p = Pipeline::load()
            .and_then(|p| {
                p.with_dictionaries(std::slice::from_ref(&odd), std::slice::from_ref(&odd))
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = p.code_text("o", "Éééland attacked the Russian army.", None);
    }

    #[test]
    fn a_refused_act_of_cooperation_is_a_rejection() {
        let events = syntax_events("Syria will not accept refugees from Iraq.");
        assert!(
            events
                .iter()
                .any(|e| e.root == "12" && e.source.code == "SYR" && e.is_asserted()),
            "{events:?}"
        );
        // a negated attack is no rejection and no attack
        let events = syntax_events("The Taliban did not attack the convoy.");
        assert!(events.iter().all(|e| !e.is_asserted()), "{events:?}");
    }

    #[test]
    fn an_unknown_group_still_acts() {
        let events = syntax_events("Thousands of Kurds blocked the road to Baghdad.");
        let e = with_root(&events, "14");
        assert_eq!(e.source.code, "---");
        assert_eq!(e.source.text, "Kurds");
        // the unknown actor's act keeps its target
        let events = syntax_events("Angry herders attacked Kenyan police officers.");
        let e = with_root(&events, "19");
        assert_eq!(e.source.code, "---");
        assert_eq!(e.target.as_ref().map(|t| t.code.as_str()), Some("KENCOP"));
        // a thing is no doer: "the measures" ban nothing themselves
        let events = syntax_events("The new measures ban exports of machine parts to Belarus.");
        assert!(events.iter().all(|e| e.source.code != "---"), "{events:?}");
        // an abstract subject names no actor
        let events = syntax_events("The agreement would trade troops for a pledge.");
        assert!(events.iter().all(|e| e.source.code != "---"), "{events:?}");
    }

    #[test]
    fn a_passive_without_agent_has_an_unknown_source() {
        let events = syntax_events("Two Afghan soldiers were killed in Kandahar on Monday.");
        let e = with_root(&events, "19");
        assert_eq!(
            (e.source.code.as_str(), e.source.text.as_str()),
            ("---", "")
        );
        // the unknown doer belongs to the one country the sentence names
        // (ACLED's "unidentified armed group (Afghanistan)"), marked as such
        assert_eq!(e.source.country.as_deref(), Some("AFG"));
        assert!(e.source.country_from_context);
        assert_eq!(e.target.as_ref().map(|t| t.code.as_str()), Some("AFGMIL"));
        // an agent that names no actor leaves the doer unknown too
        let events = syntax_events("Three US soldiers were killed by a roadside bomb.");
        let e = with_root(&events, "18");
        assert_eq!(e.cameo, "1833");
        assert_eq!(e.source.code, "---");
        assert_eq!(e.target.as_ref().map(|t| t.code.as_str()), Some("USAMIL"));
        // the bomber is not taken for an American: only the victims are
        assert_eq!(e.source.country, None);
    }

    #[test]
    fn an_act_that_may_follow_a_condition_is_a_threat() {
        let events = syntax_events("Norway may halt its mediation if Sudan refuses to negotiate.");
        let e = with_root(&events, "13");
        assert_eq!(e.cameo, "135");
        assert_eq!(e.source.code, "NOR");
        assert!(e.is_asserted());
        // without the condition it is only a possibility, not coded as done
        let events = syntax_events("Norway may halt its mediation.");
        assert!(
            events
                .iter()
                .filter(|e| e.is_asserted())
                .all(|e| e.root != "13" && e.root != "16"),
            "{events:?}"
        );
    }

    #[test]
    fn a_pattern_in_the_words_as_written_beats_an_inflected_match() {
        // "* sanctions" (085, economic) over "* sanction" (0351) of equal weight
        let events = syntax_events("Canada lifted sanctions on Malawi on Monday.");
        let e = with_root(&events, "08");
        assert_eq!(e.cameo, "085");
    }

    #[test]
    fn a_killing_in_a_bombing_is_a_bombing() {
        // the dictionary's "in {car bomb}" (1832) outweighs "in attack" (190)
        let events =
            syntax_events("Two Kenyan policemen were killed in a car bomb attack in Garissa.");
        let e = with_root(&events, "18");
        assert_eq!(e.cameo, "1832");
        assert_eq!(e.target.as_ref().map(|t| t.code.as_str()), Some("KENCOP"));
    }

    #[test]
    fn a_refusal_is_coded_as_the_rejection_of_the_act_refused() {
        let events = syntax_events("Kenya refused to negotiate with Somalia.");
        let e = with_root(&events, "12");
        assert_eq!(e.source.code, "KEN");
        assert_eq!(e.target.as_ref().map(|t| t.code.as_str()), Some("SOM"));
        assert_eq!(e.spans.verb.text, "negotiate");
        // refusing to resign is refusing to yield (124)
        let events = syntax_events("The Kenyan minister declined to resign.");
        assert_eq!(with_root(&events, "12").cameo, "124");
    }

    #[test]
    fn the_two_sides_act_on_each_other() {
        let events = syntax_events(
            "Kenya and Somalia met on Monday. The two sides resolved their differences over the border.",
        );
        let second: Vec<&Event> = events.iter().filter(|e| e.sentence == 1).collect();
        let pairs: Vec<(&str, Option<&str>)> = second
            .iter()
            .map(|e| {
                (
                    e.source.code.as_str(),
                    e.target.as_ref().map(|t| t.code.as_str()),
                )
            })
            .collect();
        assert!(pairs.contains(&("KEN", Some("SOM"))), "{pairs:?}");
        assert!(pairs.contains(&("SOM", Some("KEN"))), "{pairs:?}");
    }

    #[test]
    fn a_place_before_the_verb_is_no_target() {
        let events =
            syntax_events("In Nairobi, the Somali foreign minister said the talks would resume.");
        let e = with_root(&events, "01");
        assert_eq!(e.source.code, "SOMGOV");
        assert!(e.target.is_none(), "{e:?}");
    }

    #[test]
    fn calling_something_a_name_is_a_statement() {
        // not a telephone call (041) nor a call for elections (0831)
        let events = syntax_events("The Kenyan opposition called the vote a farce.");
        let e = with_root(&events, "01");
        assert_eq!(
            (e.cameo.as_str(), e.source.code.as_str()),
            ("010", "KENOPP")
        );
        assert!(events.iter().all(|e| e.root != "04" && e.root != "08"));
    }

    #[test]
    fn a_light_verb_that_codes_nothing_gives_way_to_its_event_noun() {
        // "continue" codes nothing of its own; its object is the event
        let events = syntax_events("Ghanaian nurses continued their hunger strike on Monday.");
        let e = with_root(&events, "14");
        assert_eq!(e.cameo, "142");
        assert_eq!(e.source.code, "GHAHLH");
    }

    #[test]
    fn a_countryless_actor_takes_the_one_country_the_sentence_names() {
        let events = syntax_events("Police arrested twelve students in Nairobi on Friday.");
        let e = with_root(&events, "17");
        assert_eq!(e.source.code, "COP");
        assert_eq!(e.source.country.as_deref(), Some("KEN"));
        assert!(e.source.country_from_context);
        // two countries named: the police could be either's, so neither
        let events = syntax_events("Police arrested twelve Ugandan students in Nairobi on Friday.");
        let e = with_root(&events, "17");
        assert_eq!(e.source.country, None);
        assert!(!e.source.country_from_context);
    }

    #[test]
    fn explained_coding_says_what_was_chosen_and_why() {
        let p = Pipeline::load().unwrap_or_else(|e| panic!("{e}"));
        let text = "Russia said it would send aid to Syria. Gondor will not attack Arnor.";
        let Coded { events, notes, .. } = p.code_article("e", text, None, true);
        let (_, plain) = p.code_text("e", text, None);
        // explaining changes nothing coded
        assert_eq!(events, plain);
        let first: Vec<&str> = notes
            .iter()
            .filter(|(i, _)| *i == 0)
            .map(|(_, t)| t.as_str())
            .collect();
        assert!(
            first.iter().any(|t| t.contains("russia = RUS")),
            "{first:?}"
        );
        assert!(
            first
                .iter()
                .any(|t| t.starts_with("\"send\"") && t.contains("pattern * aid")),
            "{first:?}"
        );
        assert!(notes.iter().any(|(i, t)| *i == 1 && t == "actors: none"));
    }

    #[test]
    fn a_historical_act_carries_its_own_year() {
        let p = Pipeline::load().unwrap_or_else(|e| panic!("{e}"));
        let text =
            "The United States invaded Afghanistan in 2001. Russia attacked Ukraine in 2022.";
        let (_, events) = p.code_text("h", text, Some("2022-03-01"));
        let dates: Vec<(&str, Option<&str>)> = events
            .iter()
            .map(|e| (e.source.code.as_str(), e.date.as_deref()))
            .collect();
        assert!(dates.contains(&("USA", Some("2001"))), "{dates:?}");
        // the year the text gives is the date, even the year of publication:
        // the article's day is not the day of the act
        assert!(dates.contains(&("RUS", Some("2022"))), "{dates:?}");
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    fn article(id: &str, url: &str, text: &str) -> Article {
        Article {
            id: id.to_string(),
            source: "test".to_string(),
            url: Some(url.to_string()),
            title: None,
            published: Some("2024-03-05".to_string()),
            text: text.to_string(),
        }
    }

    /// Ingest articles into a new in-memory store; the attack events (root 19) stored.
    fn attacks(articles: &[Article]) -> Vec<pulse_store::StoredEvent> {
        let p = Pipeline::load().unwrap_or_else(|e| panic!("{e}"));
        let mut store = pulse_store::Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        for a in articles {
            let done = p.process(a);
            store
                .insert_article(a, &done.sentences, &done.events, &done.places)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let filter = pulse_store::EventFilter {
            root: Some("19".to_string()),
            ..Default::default()
        };
        store.query(&filter).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn two_reports_of_one_attack_in_other_words_are_one_event() {
        let a = article(
            "a",
            "https://one.example/a",
            "Al-Shabaab fighters attacked a Kenyan army base near Mandera on Sunday, \
             killing four soldiers, officials said.",
        );
        let b = article(
            "b",
            "https://two.example/b",
            "Militants stormed a Kenyan military camp outside Mandera on Sunday.",
        );
        let events = attacks(&[a, b]);
        let both: Vec<_> = events.iter().filter(|e| e.num_articles == 2).collect();
        assert_eq!(both.len(), 1, "{events:#?}");
        assert_eq!(both[0].num_sources, 2);
        assert_eq!(both[0].target_code.as_deref(), Some("KENMIL"));
    }

    #[test]
    fn the_same_words_about_two_towns_are_two_events() {
        let a = article(
            "a",
            "https://one.example/a",
            "Al-Shabaab fighters attacked a Kenyan army base near Mandera on Sunday.",
        );
        let b = article(
            "b",
            "https://two.example/b",
            "Al-Shabaab fighters attacked a Kenyan army base near Lamu on Sunday.",
        );
        let events = attacks(&[a, b]);
        assert_eq!(events.len(), 2, "{events:#?}");
        assert!(events.iter().all(|e| e.num_articles == 1));
        // and two reports of one day's attack on different days are two
        let c = article(
            "c",
            "https://two.example/c",
            "Al-Shabaab fighters attacked a Kenyan army base near Mandera on Saturday.",
        );
        let a = article(
            "a",
            "https://one.example/a",
            "Al-Shabaab fighters attacked a Kenyan army base near Mandera on Sunday.",
        );
        assert_eq!(attacks(&[a, c]).len(), 2);
    }
}
