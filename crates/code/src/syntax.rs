//! The dependency parse as the coder reads it: who is the subject, object,
//! agent or oblique of a verb, whether the verb is negated, passive, future
//! or hypothetical, and which clause reports which.
//!
//! The linear coder guesses all of this from word order; with a parse the
//! source of "The soldiers, sent by Gondor, attacked the village" is the
//! subject of "attacked", the target of "urged Bree on Monday to help" is the
//! object of "urged", and "Russia did not attack" is negated by the
//! dependent of "attack", however far apart the words stand.

use crate::coder::Mention;
use pulse_nlp::Token;

/// How an event is asserted, after PLOVER's modes of reporting: a fact (no
/// mode), or something the sentence does not state as having happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// "did not attack", "never met".
    Negated,
    /// "will attack", "is to meet": announced for the future.
    Future,
    /// "would attack", "could meet", "may sign": possible, not done.
    Hypothetical,
    /// "if they attack": a condition.
    Conditional,
}

impl Mode {
    /// The name written to the event record.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Negated => "negated",
            Mode::Future => "future",
            Mode::Hypothetical => "hypothetical",
            Mode::Conditional => "conditional",
        }
    }
}

/// Words the tagger sometimes reads as nouns that head no noun phrase
/// ("despite holding talks"): a parse built on them is not trusted.
pub const PREPOSITION_LIKE: [&str; 6] = [
    "despite",
    "following",
    "including",
    "amid",
    "during",
    "according",
];

/// Subject and object pronouns that stand for an actor named elsewhere.
pub const PRONOUNS: [&str; 9] = ["he", "she", "it", "they", "we", "him", "her", "them", "us"];

/// Prepositions of time: with the places (`coder::LOCATIVES`), their
/// objects say where or when something happened, not to whom. ("On" is
/// left out: an actor after it is a target, "sanctions on Iran".)
const TIME_CASES: [&str; 3] = ["during", "since", "after"];

/// Whether a preposition introduces a place or a time.
fn locative(p: &str) -> bool {
    crate::coder::LOCATIVES.contains(&p) || TIME_CASES.contains(&p)
}

/// Relations through which a noun's modifiers may still name the actor the
/// noun stands for ("the Calenardhon government", "ambassadors of Arnor",
/// "ties with Gondor").
const NOMINAL_LINKS: [&str; 8] = [
    "compound",
    "amod",
    "nmod:poss",
    "nmod",
    "appos",
    "flat",
    "obl",
    "nummod",
];

/// A sentence's tree: heads and relations with children lists.
#[derive(Debug)]
pub struct Tree<'a> {
    tokens: &'a [Token],
    children: Vec<Vec<usize>>,
}

impl<'a> Tree<'a> {
    /// The tree of a parsed sentence; `None` when the sentence has no parse.
    pub fn new(tokens: &'a [Token]) -> Option<Tree<'a>> {
        if tokens.is_empty() || tokens.iter().all(|t| t.deprel.is_empty()) {
            return None;
        }
        let mut children = vec![Vec::new(); tokens.len()];
        for (i, t) in tokens.iter().enumerate() {
            if let Some(h) = t.head.filter(|&h| h < tokens.len() && h != i) {
                children[h].push(i);
            }
        }
        Some(Tree { tokens, children })
    }

    /// The relation of token `i` without its subtype (`nsubj:pass` → `nsubj`).
    pub fn rel(&self, i: usize) -> &str {
        self.full_rel(i).split(':').next().unwrap_or("")
    }

    /// The full relation of token `i`.
    pub fn full_rel(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.deprel.as_str())
    }

    /// The head of token `i`.
    pub fn head(&self, i: usize) -> Option<usize> {
        self.tokens.get(i).and_then(|t| t.head)
    }

    /// The children of token `i`.
    pub fn children(&self, i: usize) -> &[usize] {
        self.children.get(i).map_or(&[], Vec::as_slice)
    }

    fn lower(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.lower.as_str())
    }

    /// The children of `i` with relation `rel` (subtypes included when `rel`
    /// has none: `nsubj` finds `nsubj:pass`).
    fn with_rel<'s>(&'s self, i: usize, rel: &'s str) -> impl Iterator<Item = usize> + 's {
        self.children(i).iter().copied().filter(move |&c| {
            let r = self.full_rel(c);
            r == rel || (!rel.contains(':') && r.split(':').next() == Some(rel))
        })
    }

    /// The preposition of a nominal dependent ("with" in "with Gondor").
    pub fn case_of(&self, i: usize) -> Option<&str> {
        self.with_rel(i, "case").next().map(|c| self.lower(c))
    }

    /// How many arcs lie between token `i` and the root.
    pub fn depth(&self, i: usize) -> usize {
        let mut d = 0;
        let mut cur = i;
        while let Some(h) = self.head(cur) {
            d += 1;
            if d > self.tokens.len() {
                break;
            }
            cur = h;
        }
        d
    }

    /// Whether token `a` lies in the subtree of `b`.
    pub fn dominated_by(&self, a: usize, b: usize) -> bool {
        let mut cur = Some(a);
        let mut steps = 0;
        while let Some(c) = cur {
            if c == b {
                return true;
            }
            steps += 1;
            if steps > self.tokens.len() {
                return false;
            }
            cur = self.head(c);
        }
        false
    }

    /// Whether verb token `v` is part of a fixed expression that is no verb
    /// ("according to", "due to").
    pub fn fixed(&self, v: usize) -> bool {
        self.rel(v) == "fixed" || self.with_rel(v, "fixed").next().is_some()
    }

    /// Whether the parse reads verb token `v` as a clause head (root,
    /// complement, adverbial or relative clause, or a verb conjoined to
    /// one). A verb the parser attached as a modifier or argument of a noun
    /// ("police opened fire" read as "police [opened] fire") is a parse
    /// error the coder should not build on.
    pub fn clause_head(&self, v: usize) -> bool {
        let verbal = |i: usize| {
            self.tokens
                .get(i)
                .is_some_and(|t| matches!(t.upos.as_str(), "VERB" | "AUX"))
        };
        match self.rel(v) {
            "root" | "ccomp" | "xcomp" | "advcl" | "parataxis" | "acl" | "csubj" => true,
            "conj" => self
                .head(v)
                .is_some_and(|h| verbal(h) && self.clause_head(h)),
            _ => false,
        }
    }

    /// The Penn tag of token `i` (empty when there is none).
    fn xpos(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| t.xpos.as_str())
    }

    /// Whether the verb has an object and a predicate noun or adjective
    /// for it ("called the vote a sham", "called it illegal"), as UD marks
    /// it (`obj` + `xcomp`) or as a parser may misread it (two objects, or
    /// the predicate as the object's apposition).
    pub fn naming(&self, v: usize) -> bool {
        let children = self.children(v);
        let nominal = |c: usize| {
            self.tokens
                .get(c)
                .is_some_and(|t| matches!(t.upos.as_str(), "NOUN" | "ADJ" | "PROPN"))
        };
        let has = |rel: &str| children.iter().any(|&c| self.rel(c) == rel);
        let predicate = children
            .iter()
            .any(|&c| (self.rel(c) == "xcomp" || self.full_rel(c) == "obl:unmarked") && nominal(c));
        let apposed = self.with_rel(v, "obj").any(|o| {
            self.children(o)
                .iter()
                .any(|&a| self.rel(a) == "appos" && nominal(a))
        });
        (has("obj") && predicate) || (has("iobj") && has("obj")) || apposed
    }

    /// The abstract noun a past participle modifies ("the election,
    /// scheduled for April, then pushed to July"), also through a verb
    /// conjoined to the participle: that noun is what was done, not a doer.
    pub fn participle_of_abstract(&self, v: usize) -> Option<usize> {
        let mut at = v;
        for _ in 0..4 {
            let h = self.head(at)?;
            match self.rel(at) {
                "conj" => at = h,
                "acl" => return (self.xpos(at) == "VBN" && self.abstract_noun(h)).then_some(h),
                _ => return None,
            }
        }
        None
    }

    /// Whether token `i` is a noun with an abstract or event ending
    /// ("election", "agreement"), which names no one who could act.
    pub fn abstract_noun(&self, i: usize) -> bool {
        self.tokens.get(i).is_some_and(|t| {
            t.upos == "NOUN"
                && crate::coder::ABSTRACT_ENDINGS
                    .iter()
                    .any(|e| t.lower.len() > e.len() + 2 && t.lower.ends_with(e))
        })
    }

    /// Whether the verb is passive: a passive subject or auxiliary.
    pub fn passive(&self, v: usize) -> bool {
        // only a past participle is passive: a passive subject on a verb in
        // the past tense ("inhabitants threatened") is a parse error
        if self
            .tokens
            .get(v)
            .is_some_and(|t| !t.xpos.is_empty() && t.xpos != "VBN")
        {
            return false;
        }
        // a passive subject alone, with no passive auxiliary, is most often
        // a parse error ("inhabitants … threatened"); a participle modifying
        // a noun ("forces backed by Iran") needs no auxiliary
        self.children(v)
            .iter()
            .any(|&c| self.full_rel(c) == "aux:pass")
            || (self.rel(v) == "acl" && self.agent(v).is_some())
    }

    /// Whether the verb (or the copula or auxiliary chain it heads) is
    /// negated by one of its dependents.
    pub fn negated(&self, v: usize) -> bool {
        self.children(v).iter().any(|&c| {
            matches!(self.rel(c), "advmod" | "neg" | "aux" | "det")
                && matches!(self.lower(c), "not" | "n't" | "never" | "no")
        })
    }

    /// The mode of the verb's clause from its auxiliaries and markers, or
    /// `None` for a plain assertion. A verb inside an "if" clause is
    /// conditional; the complement of a modal-marked verb ("would like to
    /// meet") inherits its mode.
    pub fn mode(&self, v: usize) -> Option<Mode> {
        if self.negated(v) {
            return Some(Mode::Negated);
        }
        let mut future = false;
        for c in self.children(v).iter().copied() {
            match (self.rel(c), self.lower(c)) {
                ("mark", "if" | "unless") => return Some(Mode::Conditional),
                ("aux", "will" | "'ll" | "shall") => future = true,
                ("aux", "would" | "could" | "might" | "may" | "should" | "'d") => {
                    return Some(Mode::Hypothetical)
                }
                _ => {}
            }
        }
        if future {
            return Some(Mode::Future);
        }
        // "would like to visit": the complement of a verb with a mode;
        // "is ready to send": an act offered, not done
        if self.infinitive(v) {
            if let Some(h) = self.head(v) {
                if matches!(self.lower(h), "ready" | "willing" | "prepared") {
                    return Some(Mode::Future);
                }
                return self.mode(h);
            }
        }
        None
    }

    /// Whether the verb has an "if"/"unless" clause of its own ("may halt
    /// its mediation if the parties fail"): an act made to hang on a
    /// condition, which is how threats and offers are put.
    pub fn conditioned(&self, v: usize) -> bool {
        self.children(v).iter().any(|&c| {
            self.rel(c) == "advcl"
                && self
                    .children(c)
                    .iter()
                    .any(|&m| self.rel(m) == "mark" && matches!(self.lower(m), "if" | "unless"))
        })
    }

    /// The mention a token stands for: the mention that holds it, else the
    /// nearest mention among its nominal modifiers ("government" in "the
    /// Calenardhon government", "ties" in "ties with Gondor").
    pub fn mention_of(&self, t: usize, mentions: &[Mention]) -> Option<usize> {
        if let Some(m) = mentions.iter().position(|m| m.first <= t && t < m.last) {
            return Some(m);
        }
        // breadth-first over nominal links, two levels deep
        let mut frontier = vec![t];
        for _ in 0..2 {
            let mut next = Vec::new();
            for &n in &frontier {
                let mut kids: Vec<usize> = self
                    .children(n)
                    .iter()
                    .copied()
                    .filter(|&c| NOMINAL_LINKS.contains(&self.full_rel(c)))
                    .collect();
                // the name itself first ("Special Representative for
                // Afghanistan Zalmay Khalilzad" stands for Khalilzad), then
                // modifiers before the head ("Calenardhon government"), then
                // by distance
                kids.sort_by_key(|&c| {
                    let name = matches!(self.rel(c), "flat" | "appos");
                    (!name, c > t, c.abs_diff(t))
                });
                for c in kids {
                    // a place or time modifier does not name the actor
                    if matches!(self.rel(c), "nmod" | "obl")
                        && self.case_of(c).is_some_and(locative)
                    {
                        continue;
                    }
                    if let Some(m) = mentions.iter().position(|m| m.first <= c && c < m.last) {
                        return Some(m);
                    }
                    next.push(c);
                }
            }
            frontier = next;
        }
        None
    }

    /// The grammatical subject token of verb `v`, following the tree where
    /// the verb has none of its own: a conjoined verb shares its first
    /// verb's subject, an infinitive complement takes its controller (the
    /// object of "urged Bree to help", else the subject), a relative clause
    /// is about the noun it modifies.
    pub fn subject(&self, v: usize) -> Option<usize> {
        self.subject_depth(v, 0)
    }

    fn subject_depth(&self, v: usize, depth: usize) -> Option<usize> {
        if depth > 6 {
            return None;
        }
        // "it is prepared to impose": the parser may read the subject of a
        // predicate of readiness as an expletive
        let ready = matches!(
            self.lower(v),
            "ready" | "willing" | "prepared" | "able" | "determined" | "committed" | "eager"
        );
        let own = self.children(v).iter().copied().find(|&c| {
            matches!(self.rel(c), "nsubj" | "csubj") || (ready && self.rel(c) == "expl")
        });
        if let Some(s) = own {
            // "who"/"which" in a relative clause stands for the noun modified
            if matches!(self.lower(s), "who" | "which" | "that") && self.rel(v) == "acl" {
                return self.head(v);
            }
            return Some(s);
        }
        let head = self.head(v)?;
        match self.rel(v) {
            "conj" => self.subject_depth(head, depth + 1),
            // "urged Bree to help": the object controls an infinitive
            // complement; a purpose clause ("sent troops to help") is the
            // subject's
            "xcomp" if self.infinitive(v) => self
                .with_rel(head, "obj")
                .next()
                .or_else(|| self.subject_depth(head, depth + 1)),
            "advcl" => self.subject_depth(head, depth + 1),
            "acl" => Some(head),
            _ => None,
        }
    }

    /// The object candidates of verb `v`, best first: direct object,
    /// indirect object, then obliques that are not places or times, then
    /// the places.
    pub fn objects(&self, v: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        out.extend(self.with_rel(v, "obj"));
        out.extend(self.with_rel(v, "iobj"));
        let obliques: Vec<usize> = self
            .with_rel(v, "obl")
            .filter(|&c| self.full_rel(c) != "obl:agent" && self.full_rel(c) != "obl:tmod")
            .collect();
        let (place, other): (Vec<usize>, Vec<usize>) = obliques
            .into_iter()
            .partition(|&c| self.case_of(c).is_some_and(locative));
        out.extend(other);
        // a place is the target last, and only after the verb: a place put
        // before it ("In Brussels, the minister said …") sets the scene
        out.extend(place.into_iter().filter(|&c| c > v));
        out
    }

    /// Other subjects of the verb that governs subject `s` ("Old foes
    /// Gondor and Osgiliath" may be read as two subjects).
    pub fn co_subjects(&self, s: usize) -> Vec<usize> {
        match self.head(s) {
            Some(h) => self
                .children(h)
                .iter()
                .copied()
                .filter(|&c| c != s && self.rel(c) == "nsubj")
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether clause head `c` is an infinitive complement ("threatened to
    /// break"): an `xcomp`, or an `advcl` opened by "to" (the parser often
    /// labels the complement so).
    pub fn infinitive(&self, c: usize) -> bool {
        match self.rel(c) {
            // a finite verb is no complement ("called the election a sham,
            // urged Afghans …" misread as one)
            "xcomp" => !self
                .tokens
                .get(c)
                .is_some_and(|t| matches!(t.xpos.as_str(), "VBD" | "VBZ" | "VBP")),
            "advcl" => {
                self.with_rel(c, "mark").any(|m| self.lower(m) == "to")
                    && !self.with_rel(c, "mark").any(|m| self.lower(m) == "in")
            }
            _ => false,
        }
    }

    /// Whether clause head `c` is a reported or complement clause
    /// ("demanded that the United States match"): a `ccomp`, or an `advcl`
    /// opened by "that".
    pub fn complement_clause(&self, c: usize) -> bool {
        match self.rel(c) {
            "ccomp" => true,
            "advcl" => self.with_rel(c, "mark").any(|m| self.lower(m) == "that"),
            _ => false,
        }
    }

    /// Whether token `t`, in the subtree of verb `v`, sits inside a clause
    /// of its own below `v` (a reported or adverbial clause, a relative
    /// clause): such a clause has its own subject and object.
    pub fn in_own_clause(&self, t: usize, v: usize) -> bool {
        let mut cur = t;
        let mut steps = 0;
        while let Some(h) = self.head(cur) {
            if cur == v || steps > self.tokens.len() {
                return false;
            }
            if matches!(
                self.full_rel(cur),
                "ccomp" | "advcl" | "parataxis" | "csubj" | "acl:relcl" | "conj"
            ) && self.tokens.get(cur).is_some_and(|x| x.upos == "VERB")
                && !self.infinitive(cur)
            {
                return true;
            }
            if h == v {
                return false;
            }
            cur = h;
            steps += 1;
        }
        false
    }

    /// The subject of a clause reported by verb `v` ("believes Dagolath can
    /// cope" → "Dagolath").
    pub fn reported_subject(&self, v: usize) -> Option<usize> {
        // a "said" below the verb is the sentence's attribution ("…, the
        // newspaper said") misattached by the parser, not its complement
        self.children(v)
            .iter()
            .copied()
            .filter(|&c| {
                self.complement_clause(c)
                    && !matches!(
                        self.tokens.get(c).map(|t| t.lemma.as_str()),
                        Some("say" | "tell" | "report" | "add" | "state")
                    )
            })
            .find_map(|c| self.with_rel(c, "nsubj").next())
    }

    /// Whether token `t` is "the two sides" or "both parties": the two
    /// actors the article has been about.
    pub fn both_parties(&self, t: usize) -> bool {
        matches!(self.lower(t), "sides" | "parties")
            && self
                .children(t)
                .iter()
                .any(|&d| matches!(self.lower(d), "two" | "both"))
    }

    /// Whether verb `v` is done by its subjects to each other ("accused
    /// each other", "met one another"). ("Their" is no sign: "warned their
    /// populations" is each its own.)
    pub fn reciprocal(&self, v: usize) -> bool {
        // "the two sides resolved their differences": the subject is both
        // parties, and the act is between them
        let both_parties = self.subject(v).is_some_and(|s| self.both_parties(s));
        both_parties
            || self.children(v).iter().any(|&c| {
                let rel = self.rel(c);
                (matches!(rel, "obj" | "obl")
                    && self.lower(c) == "other"
                    && self.children(c).iter().any(|&d| self.lower(d) == "each"))
                    || (matches!(rel, "obj" | "obl")
                        && self.lower(c) == "another"
                        && self.children(c).iter().any(|&d| self.lower(d) == "one"))
            })
    }

    /// The year a verb's act is dated by, when a dependent of the verb is a
    /// year ("toppled the government in 2001", "signed in 1994"): a
    /// four-digit number from 1900 to 2099 in an oblique or temporal
    /// relation.
    pub fn year_of(&self, v: usize) -> Option<String> {
        self.children(v).iter().copied().find_map(|c| {
            let t = self.tokens.get(c)?;
            let rel = self.full_rel(c);
            let temporal = matches!(rel, "obl" | "obl:tmod" | "obl:unmarked" | "nmod:tmod")
                && self
                    .case_of(c)
                    .is_none_or(|p| matches!(p, "in" | "since" | "during"));
            let year = t.lower.len() == 4
                && t.lower.bytes().all(|b| b.is_ascii_digit())
                && (t.lower.starts_with("19") || t.lower.starts_with("20"));
            (temporal && year).then(|| t.lower.clone())
        })
    }

    /// The agent of a passive verb ("by Gondor").
    pub fn agent(&self, v: usize) -> Option<usize> {
        self.with_rel(v, "obl:agent").next().or_else(|| {
            self.with_rel(v, "obl")
                .find(|&c| self.case_of(c) == Some("by"))
        })
    }

    /// The verb whose statement holds verb `v` ("said" in "Iraq said it
    /// would allow"), when `v` heads a reported clause.
    pub fn reporting_head(&self, v: usize) -> Option<usize> {
        if self.rel(v) == "parataxis" || self.complement_clause(v) {
            self.head(v)
        } else if self.rel(v) == "conj" {
            self.head(v).and_then(|h| self.reporting_head(h))
        } else {
            None
        }
    }

    /// Conjuncts of token `t` ("Gondor and Osgiliath"): `t` and every token
    /// joined to it by `conj`, transitively.
    pub fn conjuncts(&self, t: usize) -> Vec<usize> {
        let mut out = vec![t];
        let mut i = 0;
        while let Some(&n) = out.get(i) {
            for c in self.with_rel(n, "conj") {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            i += 1;
            if out.len() > 50 {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(word: &str, head: Option<usize>, rel: &str) -> Token {
        Token {
            start: 0,
            end: 0,
            norm: word.to_string(),
            lower: word.to_lowercase(),
            kind: pulse_nlp::TokenKind::Word,
            upos: String::new(),
            xpos: String::new(),
            lemma: String::new(),
            head,
            deprel: rel.to_string(),
        }
    }

    /// "Gondor did not attack the soldiers of Mordor"
    fn sentence() -> Vec<Token> {
        vec![
            tok("Gondor", Some(3), "nsubj"),
            tok("did", Some(3), "aux"),
            tok("not", Some(3), "advmod"),
            tok("attack", None, "root"),
            tok("the", Some(5), "det"),
            tok("soldiers", Some(3), "obj"),
            tok("of", Some(7), "case"),
            tok("Mordor", Some(5), "nmod"),
        ]
    }

    #[test]
    fn reads_subject_object_and_negation() {
        let toks = sentence();
        let Some(tree) = Tree::new(&toks) else {
            panic!("no tree")
        };
        assert_eq!(tree.subject(3), Some(0));
        assert_eq!(tree.objects(3), vec![5]);
        assert!(tree.negated(3));
        assert_eq!(tree.mode(3), Some(Mode::Negated));
        let mentions = vec![Mention {
            first: 7,
            last: 8,
            code: "MOR".into(),
            group: 0,
            role: None,
        }];
        // "the soldiers of Mordor" stands for Mordor
        assert_eq!(tree.mention_of(5, &mentions), Some(0));
    }

    #[test]
    fn unparsed_sentences_have_no_tree() {
        let toks = vec![tok("x", None, "")];
        assert!(Tree::new(&toks).is_none());
    }
}
