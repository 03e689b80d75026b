//! `pulse parse --conllu`: tokens, tags, lemmas and dependency trees as CoNLL-U,
//! for raw text (with named entities in MISC) or for the words of a CoNLL-U
//! file (`--pretokenized`).

use anyhow::Context;
use pulse_nlp::conllu::parse_conllu;
use std::io::{Read, Write};
use std::path::Path;

/// The parser model shipped in the binary (trained by `pulse train parser`).
const PARSER_MODEL: &[u8] = include_bytes!("../../../data/models/parser.bin");

/// Load the shipped parser.
pub fn parser() -> anyhow::Result<pulse_nlp::parser::Parser> {
    Ok(pulse_nlp::parser::Parser::from_bytes(PARSER_MODEL)?)
}

/// Sentences longer than this are not parsed: their words hang from the
/// first word (a run-on list is not a sentence worth a tree).
const MAX_PARSE_WORDS: usize = 300;

/// One sentence's CoNLL-U lines.
fn write_sentence(
    out: &mut dyn Write,
    text: Option<&str>,
    words: &[&str],
    tagger: &pulse_nlp::tagger::Tagger,
    parser: &pulse_nlp::parser::Parser,
) -> anyhow::Result<()> {
    if let Some(t) = text {
        writeln!(out, "# text = {}", t.replace('\n', " "))?;
    }
    let tags = tagger.tag(words);
    let pairs: Vec<String> = tags
        .iter()
        .map(|t| format!("{}|{}", t.upos, t.xpos))
        .collect();
    let pair_refs: Vec<&str> = pairs.iter().map(String::as_str).collect();
    let arcs = if words.len() <= MAX_PARSE_WORDS {
        parser.parse(words, &pair_refs)
    } else {
        (0..words.len())
            .map(|i| pulse_nlp::parser::Arc {
                head: usize::from(i > 0),
                deprel: if i == 0 { "root".into() } else { "dep".into() },
            })
            .collect()
    };
    for (i, w) in words.iter().enumerate() {
        let t = tags.get(i);
        let a = arcs.get(i);
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t_",
            i + 1,
            w,
            t.map_or("_", |t| t.lemma.as_str()),
            t.map_or("_", |t| t.upos.as_str()),
            t.map_or("_", |t| t.xpos.as_str()),
            a.map_or(0, |a| a.head),
            a.map_or("dep", |a| a.deprel.as_str()),
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// One analysed sentence's CoNLL-U lines; entities go to MISC as
/// `Entity=B-PER` / `I-PER` (BIO), beside `SpaceAfter=No`.
fn write_analysed(
    out: &mut dyn Write,
    doc: &pulse_nlp::Doc,
    s: &pulse_nlp::Sentence,
) -> anyhow::Result<()> {
    writeln!(out, "# text = {}", doc.sentence_text(s).replace('\n', " "))?;
    for (i, t) in s.tokens.iter().enumerate() {
        let mut misc = Vec::new();
        if let Some(e) = s.entities.iter().find(|e| (e.start..e.end).contains(&i)) {
            let bio = if e.start == i { "B" } else { "I" };
            misc.push(format!("Entity={bio}-{}", e.kind));
        }
        if s.tokens.get(i + 1).is_some_and(|n| n.start == t.end) {
            misc.push("SpaceAfter=No".to_string());
        }
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t{}",
            i + 1,
            doc.text.get(t.start..t.end).unwrap_or("_"),
            t.lemma,
            t.upos,
            t.xpos,
            t.head.map_or(0, |h| h + 1),
            t.deprel,
            if misc.is_empty() {
                "_".to_string()
            } else {
                misc.join("|")
            }
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// Run `pulse parse --conllu`.
pub fn run(file: Option<&Path>, pretokenized: bool) -> anyhow::Result<()> {
    let mut input = String::new();
    match file {
        Some(p) if p.as_os_str() != "-" => {
            input = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read as UTF-8 text", p.display()))?;
        }
        _ => {
            std::io::stdin()
                .read_to_string(&mut input)
                .context("<stdin>: cannot read as UTF-8 text")?;
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if pretokenized {
        let sentences = parse_conllu(&input).context("reading the CoNLL-U input")?;
        let tagger = crate::pipeline::tagger()?;
        let parser = parser()?;
        for s in &sentences {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            write_sentence(&mut out, s.text.as_deref(), &words, &tagger, &parser)?;
        }
    } else {
        let doc = crate::pipeline::Pipeline::load()?.analyze(&input)?;
        for s in &doc.sentences {
            write_analysed(&mut out, &doc, s)?;
        }
    }
    out.flush()?;
    Ok(())
}
