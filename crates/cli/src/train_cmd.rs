//! `pulse train`: train the NLP models from treebanks and write the model files.

use anyhow::Context;
use pulse_nlp::conllu::{parse_conllu, ConlluSentence};
use pulse_nlp::ner::{parse_iob2, Ner, NerSentence};
use pulse_nlp::tagger::Tagger;
use std::path::Path;
use std::time::Instant;

/// Folds used to jackknife the parser's training tags.
const JACKKNIFE_FOLDS: usize = 5;
/// The parser keeps only weights updated at least this often: 25 MB instead
/// of 54 MB, for 0.1 point of UAS.
const PARSER_MIN_UPDATES: u32 = 2;
/// Epochs of the shipped tagger (and of the jackknife taggers).
const TAGGER_EPOCHS: usize = 10;

/// Write a model file, creating its folder.
fn write_model(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create", dir.display()))?;
    }
    std::fs::write(out, bytes).with_context(|| format!("{}: cannot write", out.display()))
}

/// Read and parse a CoNLL-U file.
pub fn read_treebank(path: &Path) -> anyhow::Result<Vec<ConlluSentence>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    parse_conllu(&text).with_context(|| path.display().to_string())
}

/// Train the tagger on UD English EWT train, report dev accuracy per epoch,
/// and write the model.
pub fn tagger(data: &Path, epochs: usize, out: &Path) -> anyhow::Result<()> {
    let train = read_treebank(&data.join("EWT/en_ewt-ud-train.conllu"))?;
    let dev = read_treebank(&data.join("EWT/en_ewt-ud-dev.conllu"))?;
    eprintln!(
        "training the tagger on {} sentences, {} epochs (dev: {} sentences)",
        train.len(),
        epochs,
        dev.len()
    );
    let start = Instant::now();
    let tagger = Tagger::train(&train, &dev, epochs, |epoch, train_acc, dev_acc| {
        eprintln!(
            "epoch {epoch:>2}: train accuracy {train_acc:.4}, dev UPOS accuracy {dev_acc:.4} ({:.0} s)",
            start.elapsed().as_secs_f64()
        );
    });
    let bytes = tagger.to_bytes();
    write_model(out, &bytes)?;
    let (upos, xpos, lemma) = tagger.accuracy(&dev);
    eprintln!(
        "wrote {} ({:.1} MB, {} classes, {} features); dev UPOS {:.4}, XPOS {:.4}, lemma {:.4}",
        out.display(),
        bytes.len() as f64 / 1e6,
        tagger.classes(),
        tagger.features(),
        upos,
        xpos,
        lemma
    );
    Ok(())
}

/// Sentences with the XPOS tags the shipped tagger predicts for them.
pub fn with_predicted_tags(
    sentences: Vec<ConlluSentence>,
) -> anyhow::Result<Vec<(ConlluSentence, Vec<String>)>> {
    let tagger = crate::pipeline::tagger()?;
    Ok(sentences
        .into_iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let tags = tagger
                .tag(&words)
                .into_iter()
                .map(|t| format!("{}|{}", t.upos, t.xpos))
                .collect();
            (s, tags)
        })
        .collect())
}

/// Training sentences with jackknifed tags: each of `folds` parts is tagged by
/// a tagger trained on the other parts, so the parser learns from tags as
/// noisy as the ones it will see.
pub fn with_jackknifed_tags(
    sentences: Vec<ConlluSentence>,
    folds: usize,
    epochs: usize,
) -> Vec<(ConlluSentence, Vec<String>)> {
    let folds = folds.max(2);
    let mut tags: Vec<Vec<String>> = vec![Vec::new(); sentences.len()];
    for k in 0..folds {
        let train: Vec<ConlluSentence> = sentences
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != k)
            .map(|(_, s)| s.clone())
            .collect();
        let tagger = Tagger::train(&train, &[], epochs, |_, _, _| {});
        for (i, s) in sentences.iter().enumerate().filter(|(i, _)| i % folds == k) {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            if let Some(t) = tags.get_mut(i) {
                *t = tagger
                    .tag(&words)
                    .into_iter()
                    .map(|t| format!("{}|{}", t.upos, t.xpos))
                    .collect();
            }
        }
        eprintln!("jackknife: fold {} of {folds} tagged", k + 1);
    }
    sentences.into_iter().zip(tags).collect()
}

/// Train the dependency parser on UD English EWT train (with jackknifed
/// tags) plus dev (with the shipped tagger's tags, which never saw dev),
/// report attachment on dev per epoch, and write the model. With
/// `hold_out_dev` dev stays out of training, so its scores are honest; that
/// is how the epoch count of the shipped model was chosen.
pub fn parser(data: &Path, epochs: usize, hold_out_dev: bool, out: &Path) -> anyhow::Result<()> {
    let mut train = with_jackknifed_tags(
        read_treebank(&data.join("EWT/en_ewt-ud-train.conllu"))?,
        JACKKNIFE_FOLDS,
        TAGGER_EPOCHS,
    );
    let dev = with_predicted_tags(read_treebank(&data.join("EWT/en_ewt-ud-dev.conllu"))?)?;
    if !hold_out_dev {
        train.extend(dev.iter().cloned());
    }
    eprintln!(
        "training the parser on {} sentences ({}), {} epochs, predicted tags",
        train.len(),
        if hold_out_dev {
            "EWT train; dev held out"
        } else {
            "EWT train + dev; dev scores below are on training data"
        },
        epochs,
    );
    let start = Instant::now();
    let parser = pulse_nlp::parser::Parser::train(
        &train,
        &dev,
        epochs,
        PARSER_MIN_UPDATES,
        |epoch, lifted, uas, las| {
            eprintln!(
                "epoch {epoch:>2}: dev UAS {uas:.4}, LAS {las:.4} ({lifted} non-projective training trees lifted, {:.0} s)",
                start.elapsed().as_secs_f64()
            );
        },
    );
    let bytes = parser.to_bytes();
    write_model(out, &bytes)?;
    eprintln!(
        "wrote {} ({:.1} MB, {} labels, {} features)",
        out.display(),
        bytes.len() as f64 / 1e6,
        parser.labels(),
        parser.features()
    );
    Ok(())
}

/// NER sentences with the UPOS tags the shipped tagger predicts.
pub fn ner_with_tags(path: &Path) -> anyhow::Result<Vec<(NerSentence, Vec<String>)>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let tagger = crate::pipeline::tagger()?;
    Ok(parse_iob2(&text)
        .into_iter()
        .map(|s| {
            let words: Vec<&str> = s.words.iter().map(String::as_str).collect();
            let tags = tagger.tag(&words).into_iter().map(|t| t.upos).collect();
            (s, tags)
        })
        .collect())
}

/// Classes of the GeoNames place names the entity tagger sees (see
/// [`ner_place_names`]): what a name names, and how big a town it is.
const PLACE_COUNTRY: u8 = 1;
/// A first-order division (state, province).
const PLACE_ADMIN1: u8 = 2;
/// A continent or other region.
const PLACE_OTHER: u8 = 3;
/// A town of a million people or more.
const PLACE_CITY_1M: u8 = 4;
/// A town of 100,000 people or more.
const PLACE_CITY_100K: u8 = 5;
/// A town of 15,000 people or more.
const PLACE_CITY_15K: u8 = 6;
/// A second-order division (a US county).
const PLACE_ADMIN2: u8 = 7;
/// The general English word list the entity tagger learns from (Debian's
/// `wamerican`, SCOWL size 50): ordinary words in lower case, names capitalised.
const NER_DICTIONARY: &str = "/usr/share/dict/american-english";
/// Towns smaller than this are left out: their names are mostly people's.
const PLACE_MIN_POPULATION: u64 = 15_000;

/// The class of a place for the entity tagger, or `None` for one left out.
fn place_class(p: &pulse_geo::Place) -> Option<u8> {
    use pulse_geo::Level;
    Some(match p.level {
        Level::Country => PLACE_COUNTRY,
        Level::Admin1 => PLACE_ADMIN1,
        Level::Admin2 => PLACE_ADMIN2,
        Level::Other => PLACE_OTHER,
        Level::City if p.population >= 1_000_000 => PLACE_CITY_1M,
        Level::City if p.population >= 100_000 => PLACE_CITY_100K,
        Level::City if p.population >= PLACE_MIN_POPULATION => PLACE_CITY_15K,
        Level::City => return None,
    })
}

/// The GeoNames names the entity tagger learns from: the preferred names of
/// places, in Latin script, each with the lowest class of the places so named
/// (see [`place_class`]). Alternate and historical names are left out: with
/// them the model is twice the size and no better on EWT dev.
pub fn ner_place_names(places: &pulse_geo::Gazetteer) -> Vec<(String, u8)> {
    let latin =
        |c: char| c.is_alphabetic() && (c as u32) < 0x250 || matches!(c, ' ' | '-' | '\'' | '.');
    places
        .names()
        .filter(|(name, _)| name.chars().count() >= 2 && name.chars().all(latin))
        .filter_map(|(name, ids)| {
            ids.iter()
                .filter_map(|&id| places.place(id))
                .filter(|p| pulse_geo::normalise(&p.name) == name)
                .filter_map(place_class)
                .min()
                .map(|class| (name.to_string(), class))
        })
        .collect()
}

/// Train the entity tagger on UNER English EWT train, report dev F1 per
/// epoch, and write the model.
pub fn ner(data: &Path, epochs: usize, out: &Path) -> anyhow::Result<()> {
    let train = ner_with_tags(&data.join("UNER_EWT/en_ewt-ud-train.prerelease.iob2"))?;
    let dev = ner_with_tags(&data.join("UNER_EWT/en_ewt-ud-dev.iob2"))?;
    eprintln!(
        "training the entity tagger on {} sentences, {} epochs (dev: {} sentences)",
        train.len(),
        epochs,
        dev.len()
    );
    let mut gazetteer = crate::pipeline::gazetteer();
    gazetteer.add_places(ner_place_names(&crate::pipeline::places()?));
    eprintln!("{} GeoNames place names", gazetteer.places().len());
    let words = std::fs::read_to_string(NER_DICTIONARY).with_context(|| {
        format!("{NER_DICTIONARY}: cannot read (install the word list: apt-get install wamerican)")
    })?;
    gazetteer.add_dictionary(words.lines());
    let start = Instant::now();
    let ner = Ner::train(gazetteer, &train, &dev, epochs, |member, epoch, f1| {
        eprintln!(
            "member {member}, epoch {epoch:>2}: dev entity F1 {f1:.4} ({:.0} s)",
            start.elapsed().as_secs_f64()
        );
    });
    let (p, r, f1) = ner.evaluate(&dev);
    eprintln!("mean of the members: dev entity F1 {f1:.4} (P {p:.4}, R {r:.4})");
    let bytes = ner.to_bytes();
    write_model(out, &bytes)?;
    eprintln!(
        "wrote {} ({:.1} MB, {} features)",
        out.display(),
        bytes.len() as f64 / 1e6,
        ner.features()
    );
    Ok(())
}
