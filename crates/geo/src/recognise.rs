//! Toponym recognition from raw text by gazetteer lookup: runs of
//! capitalised words (and abbreviations such as "U.S." or "Ky.") are matched
//! longest first against the gazetteer's names, demonyms included.
//!
//! A single word is kept only when it does not also occur in lower case in
//! the same text ("March", "Mobile"), and, when it opens a sentence or names
//! only small towns, only if the gazetteer knows it as a country, admin unit
//! or continent, or as a town of at least [`MIN_POPULATION`] people.

use crate::Gazetteer;

/// Smallest population of a town named by a lone capitalised word.
pub const MIN_POPULATION: u64 = 5_000;

/// Longest name tried, in words.
const MAX_WORDS: usize = 4;

/// Capitalised words that are rarely places in news text.
/// Whether the word at byte `at` of `text` opens a sentence: nothing but
/// space before it, or a full stop, question or exclamation mark, closing
/// quote or line break.
fn opens_sentence(text: &str, at: usize) -> bool {
    text.get(..at)
        .map(str::trim_end)
        .is_none_or(|b| b.is_empty() || b.ends_with(['.', '!', '?', '"', '\n']))
}

/// Function words that, capitalised at the start of a sentence, do not
/// join the name after them into a longer run ("In Kismayo", "After Homs").
const RUN_BREAKERS: &[&str] = &[
    "in", "at", "on", "from", "near", "outside", "inside", "across", "around", "after", "before",
    "since", "during", "for", "with", "without", "to", "into", "of", "by", "and", "but", "or",
    "as", "if", "when", "while", "the", "a", "an", "this", "that", "then",
];

const NOT_PLACES: &[&str] = &[
    "the",
    "a",
    "an",
    "i",
    "he",
    "she",
    "it",
    "we",
    "they",
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "police",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "god",
    "but",
    "and",
    "in",
    "on",
    "at",
    "this",
    "that",
];

/// Words of a text with their byte spans: letters, digits and inner
/// apostrophes, hyphens and dots; a final dot is kept when the word has an
/// inner dot or is short and capitalised (abbreviations: "U.S.", "Ky.").
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_alnum = chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
        let inner = matches!(c, '\'' | '\u{2019}' | '-' | '.') && start.is_some() && next_alnum;
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            let w = text.get(s..i).unwrap_or("");
            let abbreviation = c == '.'
                && (w.contains('.') || (w.len() <= 4 && w.starts_with(char::is_uppercase)));
            out.push((s, if abbreviation { i + 1 } else { i }));
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

impl Gazetteer {
    /// Byte spans of the toponyms found in `text` by gazetteer lookup.
    pub fn find_toponyms(&self, text: &str) -> Vec<(usize, usize)> {
        let ws = words(text);
        let lower: rustc_hash::FxHashSet<&str> = ws
            .iter()
            .filter_map(|&(s, e)| text.get(s..e))
            .filter(|w| w.starts_with(char::is_lowercase))
            .collect();
        let cap = |k: usize| {
            ws.get(k)
                .and_then(|&(s, e)| text.get(s..e))
                .is_some_and(|w| w.starts_with(char::is_uppercase))
        };
        // a capitalised word that can be part of a name: not a function
        // word opening a sentence ("In Kismayo, …" is no two-word name)
        let name_word = |k: usize| {
            let Some(&(s, e)) = ws.get(k) else {
                return false;
            };
            let opens = opens_sentence(text, s);
            cap(k)
                && !(opens
                    && text
                        .get(s..e)
                        .is_some_and(|w| RUN_BREAKERS.contains(&w.to_lowercase().as_str())))
        };
        let mut out = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if !cap(i) {
                i += 1;
                continue;
            }
            let mut found = None;
            for n in (1..=MAX_WORDS).rev() {
                let (Some(&(s, _)), Some(&(_, e))) = (ws.get(i), ws.get(i + n - 1)) else {
                    continue;
                };
                // the words must be capitalised and separated by single spaces
                let joined = (i..i + n).all(cap)
                    && (i..i + n - 1).all(|k| {
                        matches!((ws.get(k), ws.get(k + 1)), (Some(a), Some(b)) if text.get(a.1..b.0) == Some(" "))
                    });
                if !joined {
                    continue;
                }
                let mut phrase = text.get(s..e).unwrap_or("");
                let mut e = e;
                let mut cands = self.candidates(phrase);
                if cands.is_empty() {
                    // a sentence's full stop taken for an abbreviation's
                    // ("in Iraq."): the name is the word without it
                    let trimmed = phrase.trim_end_matches('.');
                    cands = self.candidates(trimmed);
                    if !cands.is_empty() {
                        e = s + trimmed.len();
                        phrase = trimmed;
                    }
                }
                if cands.is_empty() {
                    continue;
                }
                // a lone word inside a longer capitalised run ("John Smith")
                // is a town only if it is also a bigger unit
                let adjacent = |a: usize, b: usize| {
                    name_word(a)
                        && name_word(b)
                        && matches!((ws.get(a), ws.get(b)), (Some(x), Some(y)) if text.get(x.1..y.0) == Some(" "))
                };
                let in_run = (i > 0 && adjacent(i - 1, i)) || adjacent(i, i + 1);
                if n == 1
                    && (!self.lone_word_is_place(text, s, phrase, cands, &lower)
                        || (in_run
                            && cands
                                .iter()
                                .filter_map(|&c| self.place(c))
                                .all(|p| p.level.is_local())))
                {
                    continue;
                }
                found = Some((s, e, n));
                break;
            }
            match found {
                Some((s, e, n)) => {
                    out.push((s, e));
                    i += n;
                }
                None => i += 1,
            }
        }
        out
    }

    fn lone_word_is_place(
        &self,
        text: &str,
        start: usize,
        word: &str,
        cands: &[crate::PlaceId],
        lower: &rustc_hash::FxHashSet<&str>,
    ) -> bool {
        let lw = word.to_lowercase();
        if NOT_PLACES.contains(&lw.trim_end_matches('.')) || lower.contains(lw.as_str()) {
            return false;
        }
        let big = cands
            .iter()
            .filter_map(|&c| self.place(c))
            .any(|p| !p.level.is_local() || p.population >= MIN_POPULATION);
        let sentence_start = opens_sentence(text, start);
        big || (!sentence_start && word.chars().count() > 3)
    }
}

#[cfg(test)]
mod tests {
    use crate::Gazetteer;

    fn gaz() -> Gazetteer {
        let rows = [
            "1\tLandia\tLA\t\t10.0\t20.0\tA.PCLI\t9000000\tC\tLandian",
            "2\tNew Corinth\tLA\tRiverside\t10.1\t20.1\tP.PPLA\t900000\tP\t",
            "3\tMobile\tLA\tRiverside\t10.2\t20.2\tP.PPL\t90000\tP\t",
            "4\tKestrel\tLA\tRiverside\t10.3\t20.3\tP.PPL\t200\tP\t",
            "5\tRiverside\tLA\tRiverside\t10.4\t20.4\tA.ADM1\t2000000\tA\tRiv.",
        ];
        crate::test_gazetteer(&rows)
    }

    fn found(g: &Gazetteer, t: &str) -> Vec<String> {
        g.find_toponyms(t)
            .into_iter()
            .map(|(s, e)| t[s..e].to_string())
            .collect()
    }

    #[test]
    fn names_demonyms_and_abbreviations_are_found() {
        let g = gaz();
        let t = "Landian officials met in New Corinth, Riv., on Monday.";
        assert_eq!(found(&g, t), vec!["Landian", "New Corinth", "Riv."]);
    }

    #[test]
    fn common_words_and_tiny_towns_at_sentence_start_are_not() {
        let g = gaz();
        let t = "Kestrel said a mobile unit came. Mobile phones failed.";
        assert!(found(&g, t).is_empty());
        assert_eq!(found(&g, "They drove to Kestrel today."), vec!["Kestrel"]);
        assert!(found(&g, "They met Anna Kestrel today.").is_empty());
    }
}
