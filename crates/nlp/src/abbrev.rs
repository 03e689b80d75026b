//! Abbreviation tables for English news text and the rules that use them.
//!
//! Two classes matter to the sentence splitter: abbreviations that are
//! (almost) never the last word of a sentence ("Gen.", "Sept.", "e.g."), and
//! those that often are ("U.S.", "Inc.", "a.m.", state names), after which a
//! sentence ends only when the next word is a common sentence opener.

/// How an abbreviation behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevClass {
    /// Titles, months, "No.", "vs.", "e.g.", single initials: never end a sentence.
    Never,
    /// "U.S.", "Inc.", "a.m.", "Calif.": end one only before a common opener.
    Final,
}

/// Titles, months and other abbreviations that do not end sentences.
const NEVER: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Prof", "Gen", "Gens", "Lt", "Col", "Maj",
    "Capt", "Cmdr", "Cdr", "Adm", "Brig", "Sgt", "Cpl", "Pvt", "Spc", "Sen", "Sens", "Rep", "Reps",
    "Gov", "Govs", "Pres", "Rev", "Hon", "Amb", "Atty", "Supt", "Insp", "Det", "Sec", "Fr", "Msgr",
    "St", "Ste", "Mt", "Ft", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "No", "Nos", "Vol", "Vols", "Fig", "Figs", "vs", "v", "approx", "cf", "ca",
];

/// Abbreviations that often end a sentence: company suffixes, name
/// suffixes, "etc." and US state abbreviations (AP style).
const FINAL: &[&str] = &[
    "Inc", "Corp", "Co", "Cos", "Ltd", "Bros", "Jr", "Sr", "Esq", "etc", "al", "Ave", "Blvd", "Rd",
    "Dept", "Univ", "Assn", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga",
    "Ill", "Ind", "Kan", "Kans", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont",
    "Neb", "Nebr", "Nev", "Okla", "Ore", "Pa", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wisc",
    "Wyo",
];

/// Dotted abbreviations (without the final period) that never end a sentence.
const DOTTED_NEVER: &[&str] = &["e.g", "i.e", "E.g", "I.e"];

/// Capitalised words that commonly open a sentence; after "U.S." or "Inc."
/// a sentence ends only when one of these follows.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "In",
    "On",
    "At",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "After",
    "Before",
    "Meanwhile",
    "However",
    "Officials",
    "Authorities",
    "Police",
    "When",
    "While",
    "As",
    "If",
    "Although",
    "Though",
    "Since",
    "During",
    "Earlier",
    "Later",
    "Last",
    "Next",
    "Now",
    "Then",
    "Also",
    "Still",
    "Some",
    "Many",
    "Most",
    "Several",
    "Both",
    "Each",
    "All",
    "Another",
    "Other",
    "Such",
    "What",
    "Why",
    "How",
    "Who",
    "Where",
    "For",
    "With",
    "Under",
    "According",
    "Despite",
    "Instead",
    "Nevertheless",
    "Separately",
    "Elsewhere",
    "Today",
    "Yesterday",
    "Tomorrow",
];

/// A single upper-case letter, as in the initial of "George W. Bush".
fn is_initial(word: &str) -> bool {
    let mut cs = word.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

/// Whether `word` is all ASCII upper case and longer than one letter ("GEN").
fn is_all_caps(word: &str) -> bool {
    word.len() > 1 && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// Class of an undotted abbreviation given without its period.
fn class_of_word(word: &str) -> Option<AbbrevClass> {
    if NEVER.contains(&word)
        || (is_all_caps(word) && NEVER.iter().any(|e| e.eq_ignore_ascii_case(word)))
    {
        Some(AbbrevClass::Never)
    } else if FINAL.contains(&word) {
        Some(AbbrevClass::Final)
    } else {
        None
    }
}

/// Whether the word `word` (letters only, no period) keeps the period that
/// follows it; `rest` is the text after that period.
pub(crate) fn takes_period(word: &str, rest: &str) -> bool {
    if is_initial(word) {
        return true;
    }
    if word.eq_ignore_ascii_case("no") || word.eq_ignore_ascii_case("nos") {
        // "No. 5" but not "He said no."
        let next_is_digit = rest.trim_start().starts_with(|c: char| c.is_ascii_digit());
        return next_is_digit && word.starts_with('N');
    }
    class_of_word(word).is_some()
}

/// The abbreviation class of a Word token's `norm` ending in a period
/// ("U.S.", "Gen.", "J."), or `None` when it is not an abbreviation.
pub(crate) fn token_class(norm: &str) -> Option<AbbrevClass> {
    let base = norm.strip_suffix('.')?;
    if base.is_empty() {
        return None;
    }
    if is_initial(base) {
        return Some(AbbrevClass::Never);
    }
    if base.contains('.') {
        return Some(if DOTTED_NEVER.contains(&base) {
            AbbrevClass::Never
        } else {
            AbbrevClass::Final
        });
    }
    class_of_word(base)
}

/// Whether `word` is a capitalised common sentence opener ("The", "He").
pub(crate) fn is_opener(word: &str) -> bool {
    OPENERS.contains(&word)
}
