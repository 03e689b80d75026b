//! Reading CoNLL-U treebanks (Universal Dependencies), for training and
//! evaluating the tagger. pulse works on syntactic words: multiword token
//! lines (`3-4`) are kept aside in [`ConlluSentence::multiword`] (for
//! scoring tokenisation), empty nodes (`8.1`) are skipped.

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConlluWord {
    /// Word form as written.
    pub form: String,
    /// Lemma.
    pub lemma: String,
    /// Universal part-of-speech tag.
    pub upos: String,
    /// Language-specific (Penn Treebank) tag.
    pub xpos: String,
    /// Index of the head word (1-based; 0 = root), if given.
    pub head: Option<usize>,
    /// Dependency relation to the head.
    pub deprel: String,
}

/// A multiword token (`2-3 won't`): one surface token made of the
/// syntactic words `first..=last`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConlluMultiword {
    /// 1-based index of its first word.
    pub first: usize,
    /// 1-based index of its last word.
    pub last: usize,
    /// The token as written.
    pub form: String,
}

/// One sentence of a CoNLL-U file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConlluSentence {
    /// The `# text = …` comment, when present.
    pub text: Option<String>,
    /// The syntactic words, in order.
    pub words: Vec<ConlluWord>,
    /// A `# newdoc` comment precedes the sentence: it starts a document.
    pub newdoc: bool,
    /// A `# newpar` comment precedes the sentence: it starts a paragraph.
    pub newpar: bool,
    /// The multiword tokens, in order.
    pub multiword: Vec<ConlluMultiword>,
}

/// Whether a comment (without its `#`) is the mark `key`, alone or followed
/// by ` id = …`.
fn is_mark(comment: &str, key: &str) -> bool {
    comment
        .trim()
        .strip_prefix(key)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '=']))
}

/// A CoNLL-U line pulse cannot read.
#[derive(Debug, thiserror::Error)]
#[error("CoNLL-U line {line}: {reason}")]
pub struct ConlluError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// Parse a whole CoNLL-U text into sentences.
pub fn parse_conllu(text: &str) -> Result<Vec<ConlluSentence>, ConlluError> {
    let mut out = Vec::new();
    let mut current = ConlluSentence::default();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.words.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current = ConlluSentence::default();
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(t) = comment.trim_start().strip_prefix("text =") {
                current.text = Some(t.trim().to_string());
            } else if is_mark(comment, "newdoc") {
                current.newdoc = true;
            } else if is_mark(comment, "newpar") {
                current.newpar = true;
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(ConlluError {
                line: n + 1,
                reason: format!("expected 10 tab-separated columns, found {}", cols.len()),
            });
        }
        let id = cols[0];
        if let Some((a, b)) = id.split_once('-') {
            if let (Ok(first), Ok(last)) = (a.parse(), b.parse()) {
                current.multiword.push(ConlluMultiword {
                    first,
                    last,
                    form: cols[1].to_string(),
                });
            }
            continue;
        }
        if id.contains('.') {
            continue;
        }
        if id.parse::<usize>().is_err() {
            return Err(ConlluError {
                line: n + 1,
                reason: format!("bad word id {id:?}"),
            });
        }
        current.words.push(ConlluWord {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head: cols[6].parse().ok(),
            deprel: cols[7].to_string(),
        });
    }
    if !current.words.is_empty() {
        out.push(current);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_and_skips_multiword_lines() {
        let text = "# sent_id = 1\n# text = They won't go.\n1\tThey\tthey\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\two\twill\tAUX\tMD\t_\t3\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t0\troot\t_\t_\n3.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n\n";
        let s = parse_conllu(text).unwrap_or_default();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].text.as_deref(), Some("They won't go."));
        assert_eq!(s[0].words.len(), 3);
        assert_eq!(s[0].words[1].lemma, "will");
        assert_eq!(s[0].words[2].head, Some(0));
        assert_eq!(
            s[0].multiword,
            [ConlluMultiword {
                first: 2,
                last: 3,
                form: "won't".into()
            }]
        );
        assert!(!s[0].newdoc && !s[0].newpar);
    }

    #[test]
    fn reads_document_and_paragraph_marks() {
        let w = "1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n";
        let text = format!(
            "# newdoc id = d1\n# newpar\n{w}\n# newpar id = p2\n{w}\n{w}\n# newdocument\n{w}"
        );
        let s = parse_conllu(&text).unwrap_or_default();
        let marks: Vec<(bool, bool)> = s.iter().map(|s| (s.newdoc, s.newpar)).collect();
        assert_eq!(
            marks,
            [(true, true), (false, true), (false, false), (false, false)]
        );
    }

    #[test]
    fn bad_lines_are_errors_not_panics() {
        assert!(parse_conllu("1\tonly\tthree\n").is_err());
        assert!(parse_conllu("x\ta\tb\tc\td\te\tf\tg\th\ti\n").is_err());
        assert_eq!(parse_conllu("").map(|s| s.len()).unwrap_or(9), 0);
    }
}
