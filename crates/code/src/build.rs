//! Builds pulse's compact dictionary files from the original PETRARCH/Phoenix
//! dictionaries, the CAMEO codebook and the CAMEO→PLOVER crosswalk.
//!
//! The outputs are plain UTF-8 line files, sorted and de-duplicated where order
//! does not matter, so a rebuild from the same sources is byte-for-byte equal
//! and a diff of two builds is readable. `pulse data build --from DIR` calls
//! [`build_all`].

use crate::CodeError;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Where each source file lives below the shared data folder.
const VERBS: &str = "cameo/petrarch2/dictionaries/CAMEO.2.0.txt";
const ACTOR_FILES: [&str; 3] = [
    "cameo/petrarch2/dictionaries/Phoenix.Countries.actors.txt",
    "cameo/petrarch2/dictionaries/Phoenix.International.actors.txt",
    "cameo/petrarch2/dictionaries/Phoenix.MilNonState.actors.txt",
];
const AGENTS: &str = "cameo/petrarch2/dictionaries/Phoenix.agents.txt";
const DISCARDS: &str = "cameo/petrarch2/dictionaries/Phoenix.discards.txt";
const CODEBOOK: &str = "cameo/derived-mit/cameo_codebook.tsv";
const CROSSWALK: &str = "events-gold/plover_crosswalk/CAMEO2PLOVER-2021.txt";

/// One generated file: its path relative to the output folder and its content.
#[derive(Debug, Clone)]
pub struct BuiltFile {
    /// Path relative to the `data/` folder, e.g. `cameo/verbs.txt`.
    pub path: PathBuf,
    /// The file's content.
    pub content: String,
}

/// Build every derived dictionary file from the shared data folder `from`
/// (the folder that holds `cameo/` and `events-gold/`).
pub fn build_all(from: &Path) -> Result<Vec<BuiltFile>, CodeError> {
    let read = |rel: &str| -> Result<String, CodeError> {
        let path = from.join(rel);
        let bytes = std::fs::read(&path).map_err(|source| CodeError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    let mut actor_sources = Vec::new();
    for rel in ACTOR_FILES {
        actor_sources.push((rel, read(rel)?));
    }
    Ok(vec![
        BuiltFile {
            path: PathBuf::from("cameo/verbs.txt"),
            content: demands_as_demands(&build_verbs(&read(VERBS)?)),
        },
        BuiltFile {
            path: PathBuf::from("cameo/actors.txt"),
            content: build_actors(&actor_sources),
        },
        BuiltFile {
            path: PathBuf::from("cameo/agents.txt"),
            content: build_agents(&read(AGENTS)?),
        },
        BuiltFile {
            path: PathBuf::from("cameo/discards.txt"),
            content: build_discards(&read(DISCARDS)?),
        },
        BuiltFile {
            path: PathBuf::from("cameo/codebook.tsv"),
            content: build_codebook(&read(CODEBOOK)?)?,
        },
        BuiltFile {
            path: PathBuf::from("ccbysa/cameo2plover.tsv"),
            content: build_crosswalk(&read(CROSSWALK)?),
        },
    ])
}

/// Recode the patterns of demand blocks (default code 10x) that PETRARCH
/// wrote with the appeal (02x) or intent (03x) code of the same thing: the
/// CAMEO codebook gives demanding its own codes, parallel to those two
/// ("demand talks" is 106, not 036 or 026; "demand aid" 103, not 023).
/// The shipped dictionary only: the validation suites keep PETRARCH's codes.
pub fn demands_as_demands(verbs: &str) -> String {
    let mut out = String::with_capacity(verbs.len());
    let mut demand_block = false;
    for line in verbs.lines() {
        let mut f = line.split('\t');
        match (f.next(), f.next(), f.next()) {
            (Some("B"), Some(_), Some(code)) => demand_block = code.starts_with("10"),
            (Some("P"), Some(code), Some(pattern)) if demand_block => {
                // 0x1 … 0x8 (material, diplomatic, aid, reform, yield, meet,
                // settle, mediate) have 10x1 … 10x8 beside them
                let mirrored = match (code.get(..2), code.get(2..3)) {
                    (Some("02" | "03"), Some(d)) if ("1"..="8").contains(&d) => {
                        Some(format!("10{}", code.get(2..).unwrap_or("")))
                    }
                    (Some("02" | "03"), Some("0")) => Some("100".to_string()),
                    _ => None,
                };
                if let Some(c) = mirrored {
                    let _ = writeln!(out, "P\t{c}\t{pattern}");
                    continue;
                }
            }
            _ => {}
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether every content line of `text` starts with one of `prefixes`
/// (pulse's compact formats), comments and blank lines aside.
fn compact(text: &str, is_compact_line: impl Fn(&str) -> bool) -> bool {
    let mut any = false;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if !is_compact_line(line) {
            return false;
        }
        any = true;
    }
    any
}

/// A user's actor file in pulse's compact form: kept as it is when it is
/// already compact (`CODES<TAB>phrase|phrase`), else read as a PETRARCH
/// actor dictionary (`NAME [CODE]`, `+SYNONYM`, dated codes).
pub fn user_actors(name: &str, text: &str) -> String {
    if compact(text, |l| l.contains('\t') && !l.contains('[')) {
        text.to_string()
    } else {
        build_actors(&[(name, text.to_string())])
    }
}

/// A user's verb file in pulse's compact form: kept as it is when every
/// line is an `S`, `B`, `F` or `P` record, else read as a PETRARCH verb
/// dictionary (synonym sets, `--- BLOCK [code] ---`, verb forms, patterns).
pub fn user_verbs(text: &str) -> String {
    let record = |l: &str| {
        ["S\t", "B\t", "F\t", "P\t"]
            .iter()
            .any(|p| l.starts_with(p))
    };
    if compact(text, record) {
        text.to_string()
    } else {
        build_verbs(text)
    }
}

/// Remove a trailing comment (`#` anywhere, or `;` as some TABARI lines use).
fn strip_comment(line: &str) -> &str {
    let cut = line.find(['#', ';']).unwrap_or(line.len());
    line.get(..cut).unwrap_or(line).trim()
}

/// Pull out the first `[...]` and `{...}` groups of a dictionary line and return
/// (the rest of the line, bracket content, brace content).
fn split_groups(line: &str) -> (String, Option<String>, Option<String>) {
    let mut rest = String::new();
    let mut bracket = None;
    let mut brace = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '[' || c == '{' {
            let close = if c == '[' { ']' } else { '}' };
            let mut inner = String::new();
            for d in chars.by_ref() {
                if d == close {
                    break;
                }
                inner.push(d);
            }
            let inner = inner.trim().to_string();
            if c == '[' {
                bracket.get_or_insert(inner);
            } else {
                brace.get_or_insert(inner);
            }
        } else {
            rest.push(c);
        }
    }
    (rest.trim().to_string(), bracket, brace)
}

/// Every `[...]` group of a line, in order.
fn all_brackets(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find('[') {
        let after = &rest[start + 1..];
        let Some(end) = after.find(']') else { break };
        out.push(after[..end].trim().to_string());
        rest = &after[end + 1..];
    }
    out
}

/// Turn a dictionary phrase (`UNITED_STATES_`, `U.S.`, `KILLED_AND`) into its
/// lower-case words joined by spaces, with a trailing `_` kept as an
/// "exact match" marker on the last word.
fn phrase_words(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_start_matches('+').trim();
    if raw.is_empty() {
        return None;
    }
    let exact = raw.ends_with('_');
    let words: Vec<String> = raw
        .split(['_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    if words.is_empty() {
        return None;
    }
    let mut out = words.join(" ");
    if exact {
        out.push('_');
    }
    Some(out)
}

/// Regular inflections of an English verb: base, 3rd person, past, gerund.
fn inflect(base: &str) -> Vec<String> {
    let mut out = vec![base.to_string()];
    let chars: Vec<char> = base.chars().collect();
    let n = chars.len();
    if n == 0 {
        return out;
    }
    let last = chars[n - 1];
    let is_vowel = |c: char| "aeiou".contains(c);
    let prev = if n >= 2 { chars[n - 2] } else { ' ' };
    // third person singular
    if base.ends_with('s')
        || base.ends_with('x')
        || base.ends_with('z')
        || base.ends_with("ch")
        || base.ends_with("sh")
    {
        out.push(format!("{base}es"));
    } else if last == 'y' && !is_vowel(prev) {
        out.push(format!("{}ies", &base[..base.len() - 1]));
    } else {
        out.push(format!("{base}s"));
    }
    // past and gerund
    if last == 'e' {
        out.push(format!("{base}d"));
        if base.ends_with("ee") {
            out.push(format!("{base}ing"));
        } else {
            out.push(format!("{}ing", &base[..base.len() - 1]));
        }
    } else if last == 'y' && !is_vowel(prev) {
        out.push(format!("{}ied", &base[..base.len() - 1]));
        out.push(format!("{base}ing"));
    } else {
        out.push(format!("{base}ed"));
        out.push(format!("{base}ing"));
        // consonant-vowel-consonant endings may double: "stop" → "stopped"
        let prev2 = if n >= 3 { chars[n - 3] } else { ' ' };
        if n >= 3 && !is_vowel(last) && !"wxy".contains(last) && is_vowel(prev) && !is_vowel(prev2)
        {
            out.push(format!("{base}{last}ed"));
            out.push(format!("{base}{last}ing"));
        }
    }
    out
}

/// What a verb form is, judged from its first word against the base's:
/// `b` base, `s` third person, `g` gerund, `d` past or participle.
fn form_kind(base: &str, form: &str) -> char {
    let head = form.split(' ').next().unwrap_or(form);
    let base_head = base.split(' ').next().unwrap_or(base);
    if head == base_head {
        'b'
    } else if head.ends_with("ing") {
        'g'
    } else if head.ends_with('s') && !head.ends_with("ss") && head.len() <= base_head.len() + 2 {
        's'
    } else {
        'd'
    }
}

/// Normalise a CAMEO code field: `042`, `042:043`, `:173`, `---`.
fn clean_code(code: &str) -> String {
    let c: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if c.is_empty() {
        "-".to_string()
    } else {
        c
    }
}

/// Build `cameo/verbs.txt`: synonym sets (`S`), verb blocks (`B`), verb forms
/// with their own codes (`F`) and patterns (`P`).
pub fn build_verbs(src: &str) -> String {
    let mut out = String::from(
        "# pulse verb dictionary, derived from PETRARCH2 CAMEO.2.0.txt (MIT, (c) 2015 OEDA).\n\
         # Rebuild: pulse data build --from ../shared/data\n\
         # S<TAB>&SET<TAB>word|word…  B<TAB>block<TAB>code  F<TAB>form words<TAB>code<TAB>kind  P<TAB>code<TAB>pattern\n# kind: b base, s third person, g gerund, d past or participle\n",
    );
    let mut in_synsets = false;
    let mut in_verbs = false;
    let mut synset: Option<(String, Vec<String>)> = None;
    let flush = |out: &mut String, s: &mut Option<(String, Vec<String>)>| {
        if let Some((name, words)) = s.take() {
            if !words.is_empty() {
                let _ = writeln!(out, "S\t{}\t{}", name, words.join("|"));
            }
        }
    };
    // the validation dictionaries mark sections with XML comments
    // (`<!-- SYNSETS -->`) and start the verbs with the first block header
    let mut in_xml_comment = false;
    for raw in src.lines() {
        let line = raw.trim_end();
        if line.contains("SYNONYM SETS") || line.contains("<!-- SYNSETS") {
            in_synsets = true;
            continue;
        }
        let t = line.trim_start();
        if in_xml_comment || t.starts_with("<!--") {
            in_xml_comment = !t.contains("-->");
            continue;
        }
        if t.starts_with("---") && !in_verbs && !line.contains("VERB PATTERNS") {
            flush(&mut out, &mut synset);
            in_synsets = false;
            in_verbs = true;
        }
        if line.contains("TRANSFORMATIONS") {
            // PETRARCH-2 tree transformations: not used by a linear coder
            break;
        }
        if line.contains("VERB PATTERNS") {
            flush(&mut out, &mut synset);
            in_synsets = false;
            in_verbs = true;
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with('#') {
            continue;
        }
        if in_synsets {
            let body = strip_comment(trimmed);
            if let Some(name) = body.strip_prefix('&') {
                flush(&mut out, &mut synset);
                synset = Some((format!("&{}", name.trim().to_lowercase()), Vec::new()));
            } else if let Some(word) = body.strip_prefix('+') {
                if let (Some((_, words)), Some(w)) = (synset.as_mut(), phrase_words(word)) {
                    words.push(w);
                }
            } else if body.is_empty() {
                flush(&mut out, &mut synset);
            }
            continue;
        }
        if !in_verbs || trimmed.is_empty() {
            continue;
        }
        if let Some(head) = trimmed.strip_prefix("---") {
            let head = head.trim_end_matches('-').trim();
            let (name, code, _) = split_groups(head);
            let _ = writeln!(
                out,
                "B\t{}\t{}",
                name.to_lowercase(),
                clean_code(code.as_deref().unwrap_or("---"))
            );
            continue;
        }
        if let Some(pat) = trimmed.strip_prefix('-') {
            let body = strip_comment(pat);
            let (_, code, _) = split_groups(body);
            // keep braces (noun phrases) in the pattern, drop the [code]
            let mut pattern = String::new();
            let mut in_code = false;
            for c in body.chars() {
                match c {
                    '[' => in_code = true,
                    ']' => in_code = false,
                    _ if !in_code => pattern.push(c),
                    _ => {}
                }
            }
            let pattern = pattern.split_whitespace().collect::<Vec<_>>().join(" ");
            if pattern.contains('*') {
                let _ = writeln!(
                    out,
                    "P\t{}\t{}",
                    clean_code(code.as_deref().unwrap_or("---")),
                    pattern.to_lowercase()
                );
            }
            continue;
        }
        // a verb form line
        let body = strip_comment(trimmed);
        let (rest, code, brace) = split_groups(body);
        let Some(base) = phrase_words(&rest) else {
            continue;
        };
        let base = base.trim_end_matches('_').to_string();
        if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let mut forms: BTreeSet<String> = BTreeSet::new();
        forms.insert(base.clone());
        match brace {
            Some(list) if !list.trim().is_empty() => {
                for f in list.split(|c: char| c.is_whitespace() || c == ',') {
                    if let Some(w) = phrase_words(f) {
                        forms.insert(w.trim_end_matches('_').to_string());
                    }
                }
            }
            Some(_) => {}
            None => {
                // inflect the first word of a multi-word verb ("ask for")
                let mut parts = base.splitn(2, ' ');
                let head = parts.next().unwrap_or("");
                let tail = parts.next();
                for f in inflect(head) {
                    match tail {
                        Some(t) => forms.insert(format!("{f} {t}")),
                        None => forms.insert(f),
                    };
                }
            }
        }
        let code = clean_code(code.as_deref().unwrap_or(""));
        for f in forms {
            let _ = writeln!(out, "F\t{f}\t{code}\t{}", form_kind(&base, &f));
        }
    }
    out
}

/// A date bound from the dictionaries (`620101`, `20041207`) as YYYYMMDD.
fn parse_dict_date(s: &str) -> Option<u32> {
    let s = s.trim();
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match s.len() {
        6 => {
            let yy: u32 = s.get(..2)?.parse().ok()?;
            let rest: u32 = s.get(2..)?.parse().ok()?;
            let year = if yy > 30 { 1900 + yy } else { 2000 + yy };
            Some(year * 10000 + rest)
        }
        8 => s.parse().ok(),
        _ => None,
    }
}

/// One `[CODE dates]` entry as `CODE`, `CODE@FROM-TO`, `CODE@>FROM` or `CODE@<TO`;
/// `None` when the entry is malformed.
fn code_entry(inner: &str) -> Option<String> {
    let mut parts = inner.split_whitespace();
    let code = parts.next()?.to_uppercase();
    if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let dates: String = parts.collect::<Vec<_>>().join("");
    if dates.is_empty() {
        return Some(code);
    }
    if let Some(d) = dates.strip_prefix('>') {
        return Some(format!("{code}@>{}", parse_dict_date(d)?));
    }
    if let Some(d) = dates.strip_prefix('<') {
        return Some(format!("{code}@<{}", parse_dict_date(d)?));
    }
    let (a, b) = dates.split_once('-')?;
    let (a, b) = (parse_dict_date(a)?, parse_dict_date(b)?);
    if a > b {
        return None;
    }
    Some(format!("{code}@{a}-{b}"))
}

/// Build `cameo/actors.txt`: one line per actor, `codes<TAB>phrase|phrase…`,
/// where codes are comma-separated `CODE[@range]` entries.
pub fn build_actors(sources: &[(&str, String)]) -> String {
    let mut out = String::from(
        "# pulse actor dictionary, derived from the Phoenix actor dictionaries of PETRARCH2 (MIT, (c) 2014 OEDA).\n\
         # Rebuild: pulse data build --from ../shared/data\n\
         # codes<TAB>phrase|phrase…   code = CODE, CODE@FROM-TO, CODE@>FROM or CODE@<TO (YYYYMMDD); a phrase ending in _ matches exactly\n",
    );
    for (name, src) in sources {
        let _ = writeln!(out, "# from {}", name.rsplit('/').next().unwrap_or(name));
        let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut codes: Vec<String> = Vec::new();
        let mut push = |names: &mut Vec<String>, codes: &mut Vec<String>| {
            if !names.is_empty() && !codes.is_empty() {
                groups.push((std::mem::take(names), std::mem::take(codes)));
            }
            names.clear();
            codes.clear();
        };
        for raw in src.lines() {
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let body = strip_comment(t);
            if body.is_empty() {
                continue;
            }
            if body.starts_with('[') {
                let (_, code, _) = split_groups(body);
                if let Some(c) = code.as_deref().and_then(code_entry) {
                    codes.push(c);
                }
                continue;
            }
            let is_synonym = body.starts_with('+');
            let (rest, code, _) = split_groups(body);
            if !is_synonym && !codes.is_empty() {
                push(&mut names, &mut codes);
            }
            if let Some(w) = phrase_words(&rest) {
                names.push(w);
            }
            if code.is_some() {
                codes.extend(all_brackets(body).iter().filter_map(|b| code_entry(b)));
            }
        }
        push(&mut names, &mut codes);
        for (names, codes) in groups {
            let mut seen = BTreeSet::new();
            let names: Vec<String> = names
                .into_iter()
                .filter(|n| seen.insert(n.clone()))
                .collect();
            let _ = writeln!(out, "{}\t{}", codes.join(","), names.join("|"));
        }
    }
    out
}

/// Build `cameo/agents.txt`: `code<TAB>phrase` lines with `!PERSON!`-style
/// substitutions expanded and plurals added as the source asks.
pub fn build_agents(src: &str) -> String {
    let mut subst: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut rows: BTreeSet<(String, String)> = BTreeSet::new();
    for raw in src.lines() {
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let body = strip_comment(t);
        if let Some((key, list)) = body.split_once('=') {
            let key = key.trim();
            if key.starts_with('!') && key.ends_with('!') {
                subst.insert(
                    key.to_string(),
                    list.split(',').map(|w| w.trim().to_string()).collect(),
                );
                continue;
            }
        }
        let (rest, code, brace) = split_groups(body);
        let Some(code) = code else { continue };
        let code = code.trim().to_uppercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '~') {
            continue;
        }
        // expand !X! substitutions
        let mut variants = vec![rest.clone()];
        for (key, words) in &subst {
            if rest.contains(key.as_str()) {
                variants = variants
                    .iter()
                    .flat_map(|v| words.iter().map(move |w| v.replace(key.as_str(), w)))
                    .collect();
            }
        }
        for v in variants {
            let Some(words) = phrase_words(&v) else {
                continue;
            };
            let words = words.trim_end_matches('_').to_string();
            rows.insert((code.clone(), words.clone()));
            match &brace {
                Some(list) => {
                    for p in list.split_whitespace() {
                        if let Some(w) = phrase_words(p) {
                            rows.insert((code.clone(), w.trim_end_matches('_').to_string()));
                        }
                    }
                }
                None if words.ends_with('s') && !words.ends_with("ss") => {}
                None => {
                    let plural = if words.ends_with('s')
                        || words.ends_with("sh")
                        || words.ends_with("ch")
                        || words.ends_with('x')
                    {
                        format!("{words}es")
                    } else if words.ends_with('y')
                        && !words.ends_with("ay")
                        && !words.ends_with("ey")
                        && !words.ends_with("oy")
                    {
                        format!("{}ies", &words[..words.len() - 1])
                    } else if words.ends_with("man") {
                        format!("{}men", &words[..words.len() - 3])
                    } else {
                        format!("{words}s")
                    };
                    rows.insert((code.clone(), plural));
                }
            }
        }
    }
    let mut out = String::from(
        "# pulse agent dictionary, derived from PETRARCH2 Phoenix.agents.txt (MIT, (c) OEDA).\n\
         # Rebuild: pulse data build --from ../shared/data\n\
         # code<TAB>phrase   ~XXX: role appended to the actor's country; XXX~: prefix\n",
    );
    for (code, words) in rows {
        let _ = writeln!(out, "{code}\t{words}");
    }
    out
}

/// Build `cameo/discards.txt`: `story|sentence<TAB>phrase`. Bare years and
/// relative time phrases ("weeks ago", "years later") are left out: as sentence
/// discards they would drop ordinary reports of past acts, which pulse dates
/// instead of dropping.
pub fn build_discards(src: &str) -> String {
    let mut rows: BTreeSet<(String, String)> = BTreeSet::new();
    for raw in src.lines() {
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let body = strip_comment(t);
        let (scope, phrase) = match body.strip_prefix('+') {
            Some(p) => ("story", p.trim()),
            None => ("sentence", body),
        };
        if phrase.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let words: Vec<String> = phrase
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect();
        if matches!(words.last().map(String::as_str), Some("ago" | "later")) {
            continue;
        }
        if !words.is_empty() {
            rows.insert((scope.to_string(), words.join(" ")));
        }
    }
    let mut out = String::from(
        "# pulse discards, derived from PETRARCH2 Phoenix.discards.txt (MIT, (c) OEDA).\n\
         # Rebuild: pulse data build --from ../shared/data\n\
         # scope<TAB>phrase   story: the article codes no events; sentence: that sentence codes none\n",
    );
    for (scope, phrase) in rows {
        let _ = writeln!(out, "{scope}\t{phrase}");
    }
    out
}

/// Build `cameo/codebook.tsv`: `code, root, name, goldstein, quad_class`, from
/// the project's merged GDELT/ICEWS codebook (GDELT's Goldstein value first).
pub fn build_codebook(src: &str) -> Result<String, CodeError> {
    let mut lines = src.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| -> Result<usize, CodeError> {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or_else(|| CodeError::Format {
                what: CODEBOOK.to_string(),
                line: 1,
                reason: format!("missing column {name}"),
            })
    };
    let (c_code, c_root, c_name, c_gd, c_gi, c_quad, c_gname) = (
        col("code")?,
        col("root")?,
        col("name_cameo_manual")?,
        col("goldstein_gdelt")?,
        col("goldstein_icews")?,
        col("quad_class")?,
        col("name_gdelt")?,
    );
    let mut out = String::from(
        "# CAMEO codebook: code, root, name, Goldstein, QuadClass. Derived from GDELT's and ICEWS's CAMEO tables\n\
         # (see data/SOURCES.md). Rebuild: pulse data build --from ../shared/data\n\
         code\troot\tname\tgoldstein\tquad_class\n",
    );
    for (i, line) in lines.enumerate() {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |c: usize| f.get(c).copied().unwrap_or("").trim();
        let code = get(c_code);
        if code.is_empty() {
            continue;
        }
        let gold = if get(c_gd).is_empty() {
            get(c_gi)
        } else {
            get(c_gd)
        };
        let gold: f32 = gold.parse().map_err(|_| CodeError::Format {
            what: CODEBOOK.to_string(),
            line: i + 2,
            reason: format!("bad Goldstein value {gold:?}"),
        })?;
        let name = if get(c_name).is_empty() {
            get(c_gname)
        } else {
            get(c_name)
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{:.1}\t{}",
            code,
            get(c_root),
            name,
            gold,
            get(c_quad)
        );
    }
    Ok(out)
}

/// Build `ccbysa/cameo2plover.tsv`: `cameo<TAB>plover type<TAB>mode<TAB>context`.
pub fn build_crosswalk(src: &str) -> String {
    let mut out = String::from(
        "# CAMEO to PLOVER crosswalk, derived from OEDA's CAMEO2PLOVER-2021.txt (CC BY-SA 4.0, (c) Open Event Data Alliance).\n\
         # This file is shared under CC BY-SA 4.0. Rebuild: pulse data build --from ../shared/data\n\
         cameo\tplover\tmode\tcontext\n",
    );
    for raw in src.lines() {
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let body = t.split('#').next().unwrap_or("").trim();
        let Some((code, rest)) = body.split_once(':') else {
            continue;
        };
        let code = code.trim();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let mut parts = rest.split(',').map(str::trim);
        let plover = parts.next().unwrap_or("");
        if plover.is_empty() {
            continue;
        }
        let mode = parts.next().unwrap_or("");
        let context = parts.collect::<Vec<_>>().join(",");
        let _ = writeln!(out, "{code}\t{plover}\t{mode}\t{}", context.trim());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_blocks_get_the_demand_codes() {
        let verbs = "B\tdemand\t100\nP\t026\t* talks\nP\t0231\t* aid\nP\t173\t* arrest\n\
                     B\turge\t020\nP\t026\t* talks\n";
        let out = demands_as_demands(verbs);
        assert!(out.contains("P\t106\t* talks\n"));
        assert!(out.contains("P\t1031\t* aid\n"));
        // a pattern for another kind of act stays as it is
        assert!(out.contains("P\t173\t* arrest\n"));
        // an appeal block keeps its appeal codes
        assert!(out.ends_with("B\turge\t020\nP\t026\t* talks\n"));
    }

    #[test]
    fn discards_keep_phrases_but_not_time_references() {
        let out = build_discards("WORLD CUP\n+HOROSCOPE\n2004\nWEEKS AGO\nYEARS LATER\n");
        assert!(out.contains("sentence\tworld cup"));
        assert!(out.contains("story\thoroscope"));
        assert!(!out.contains("2004"));
        assert!(!out.contains("ago"));
        assert!(!out.contains("later"));
    }

    #[test]
    fn inflects_regular_verbs() {
        assert_eq!(
            inflect("attack"),
            vec!["attack", "attacks", "attacked", "attacking"]
        );
        assert!(inflect("accuse").contains(&"accused".to_string()));
        assert!(inflect("accuse").contains(&"accusing".to_string()));
        assert!(inflect("deny").contains(&"denied".to_string()));
        assert!(inflect("deny").contains(&"denies".to_string()));
        assert!(inflect("stop").contains(&"stopped".to_string()));
    }

    #[test]
    fn reads_actor_groups_with_dates() {
        let src = "# comment\nFREEDONIA_  [FRD]\n+FREEDONIAN_\nRUFUS_FIREFLY_\n+PRESIDENT_FIREFLY\n\t[FRDGOV 330101-331231]\n\t[FRDELI]\nU.N._\nTHE_LEAGUE\n\t[IGOUNO]\n";
        let out = build_actors(&[("x", src.to_string())]);
        let rows: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(rows[0], "FRD\tfreedonia_|freedonian_");
        assert_eq!(
            rows[1],
            "FRDGOV@19330101-19331231,FRDELI\trufus firefly_|president firefly"
        );
        assert_eq!(rows[2], "IGOUNO\tu.n._|the league");
    }

    #[test]
    fn reads_verb_blocks_forms_and_patterns() {
        let src = "####### SYNONYM SETS #######\n&FOOD\n+BREAD\n+RICE_\n\n####### VERB PATTERNS #######\n---  GIVE   [070]  ---\nGIVE {GIVES GAVE GIVEN GIVING}\nDONATE [071]\n- * &FOOD [0731] # GIVE\n- $ * (TO +) {MILITARY AID} [0732] # GIVE\n";
        let out = build_verbs(src);
        assert!(out.contains("S\t&food\tbread|rice_\n"));
        assert!(out.contains("B\tgive\t070\n"));
        assert!(out.contains("F\tgave\t-\td\n"));
        assert!(out.contains("F\tgives\t-\ts\n"));
        assert!(out.contains("F\tdonated\t071\td\n"));
        assert!(out.contains("F\tdonate\t071\tb\n"));
        assert!(out.contains("P\t0731\t* &food\n"));
        assert!(out.contains("P\t0732\t$ * (to +) {military aid}\n"));
    }

    #[test]
    fn agents_expand_substitutions_and_plurals() {
        let src =
            "!PERSON! = MAN, WOMAN\nPOLICE {} [~COP]\nSALES!PERSON! [~BUS]\nGOVERNMENT [~GOV]\n";
        let out = build_agents(src);
        assert!(out.contains("~COP\tpolice\n"));
        assert!(!out.contains("polices"));
        assert!(out.contains("~BUS\tsalesman\n"));
        assert!(out.contains("~BUS\tsalesmen\n"));
        assert!(out.contains("~GOV\tgovernments\n"));
    }

    #[test]
    fn crosswalk_and_dates() {
        let out = build_crosswalk("# x\n03: AGREE\n0311: AGREE,  ,   economic # x\n");
        assert!(out.contains("0311\tAGREE\t\teconomic\n"));
        assert_eq!(parse_dict_date("620101"), Some(19620101));
        assert_eq!(parse_dict_date("050101"), Some(20050101));
        assert_eq!(parse_dict_date("2004017"), None);
        assert_eq!(
            code_entry("EGYGOV > 140608").as_deref(),
            Some("EGYGOV@>20140608")
        );
    }
}
