//! `pulse parse --conllu`: tokens, tags, lemmas and dependency trees as CoNLL-U,
//! for raw text or for the words of a CoNLL-U file (`--pretokenized`).

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
    no_space_after: &[bool],
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
            "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t{}",
            i + 1,
            w,
            t.map_or("_", |t| t.lemma.as_str()),
            t.map_or("_", |t| t.upos.as_str()),
            t.map_or("_", |t| t.xpos.as_str()),
            a.map_or(0, |a| a.head),
            a.map_or("dep", |a| a.deprel.as_str()),
            if no_space_after.get(i).copied().unwrap_or(false) {
                "SpaceAfter=No"
            } else {
                "_"
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
    let tagger = crate::pipeline::tagger()?;
    let parser = parser()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if pretokenized {
        let sentences = parse_conllu(&input).context("reading the CoNLL-U input")?;
        for s in &sentences {
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            write_sentence(&mut out, s.text.as_deref(), &words, &[], &tagger, &parser)?;
        }
    } else {
        let doc = pulse_nlp::analyze(&input);
        for s in &doc.sentences {
            let words: Vec<&str> = s
                .tokens
                .iter()
                .map(|t| doc.text.get(t.start..t.end).unwrap_or(""))
                .collect();
            let no_space: Vec<bool> = s
                .tokens
                .iter()
                .enumerate()
                .map(|(i, t)| s.tokens.get(i + 1).is_some_and(|n| n.start == t.end))
                .collect();
            write_sentence(
                &mut out,
                Some(doc.sentence_text(s)),
                &words,
                &no_space,
                &tagger,
                &parser,
            )?;
        }
    }
    out.flush()?;
    Ok(())
}
