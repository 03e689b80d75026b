//! Toponym resolution with document context.
//!
//! Every candidate of a name gets a prior from its kind (countries and admin1
//! units before towns of the same name), its population and its feature code.
//! Then, over two rounds, the article votes: the countries and admin1 units of
//! the other toponyms' best readings (the article's focus) lift candidates in
//! them, and a following ", Louisiana" lifts candidates inside Louisiana. Each
//! distinct name is resolved once per article (one sense per discourse). A
//! name the gazetteer lacks (a street, building, neighbourhood or river) is
//! placed at the town it starts with, when the article names that town, else
//! at the article's most-mentioned town: town-level precision.

use crate::{normalise, Gazetteer, Level, Place, PlaceId};
use rustc_hash::FxHashMap;

/// Words that prefix a name without being part of it ("northern Helmand").
const DIRECTIONS: &[&str] = &[
    "northern ",
    "southern ",
    "eastern ",
    "western ",
    "central ",
    "north ",
    "south ",
    "east ",
    "west ",
    "downtown ",
    "rural ",
    "greater ",
];

/// Unit words that follow a name ("Helmand province", "Orange County").
const UNITS: &[&str] = &[
    " province",
    " state",
    " county",
    " parish",
    " city",
    " district",
    " region",
    " governorate",
    " oblast",
    " prefecture",
    " town",
    " village",
    " township",
    " borough",
];

/// Weight of the article's country focus in a candidate's score.
const W_COUNTRY: f64 = 6.0;
/// Weight of the article's admin1 focus.
const W_ADMIN1: f64 = 2.5;
/// Weight of the share of the other local places lying near a candidate.
const W_NEAR: f64 = 3.0;
/// What "near" means, in kilometres.
const NEAR_KM: f64 = 200.0;
/// Bonus when the name is followed by its admin1 or country (", Louisiana").
const W_QUALIFIED: f64 = 8.0;

/// Per distinct name of the article: its candidates and context evidence.
struct Name {
    key: String,
    cands: Vec<PlaceId>,
    /// places that qualify some mention of the name ("X, Louisiana")
    qualifiers: Vec<PlaceId>,
    mentions: usize,
    best: Option<PlaceId>,
}

impl Gazetteer {
    /// The candidates of a mention, trying the phrase as written, then
    /// without a possessive, a direction word or a unit word.
    fn mention_candidates(&self, phrase: &str) -> (String, Vec<PlaceId>) {
        let mut key = normalise(phrase);
        for suffix in ["'s", "'"] {
            if let Some(k) = key.strip_suffix(suffix) {
                key = k.to_string();
            }
        }
        let mut tries = vec![key.clone()];
        for d in DIRECTIONS {
            if let Some(k) = key.strip_prefix(d) {
                tries.push(k.to_string());
            }
        }
        for u in UNITS {
            for t in tries.clone() {
                if let Some(k) = t.strip_suffix(u) {
                    tries.push(k.to_string());
                }
            }
        }
        for t in &tries {
            let c = self.candidates(t);
            if !c.is_empty() {
                return (key, c.to_vec());
            }
        }
        // a bare county name ("Oconee" for Oconee County)
        for unit in [" county", " parish"] {
            let c = self.candidates(&format!("{key}{unit}"));
            if !c.is_empty() {
                return (key, c.to_vec());
            }
        }
        // plural demonyms ("Afghans")
        if let Some(k) = key.strip_suffix('s') {
            let c = self.candidates(k);
            if c.iter()
                .any(|&i| self.place(i).is_some_and(|p| p.level == Level::Country))
            {
                return (key, c.to_vec());
            }
        }
        (key, Vec::new())
    }

    /// Context-free score of a candidate for the name `key`.
    pub fn prior(&self, key: &str, p: &Place) -> f64 {
        let mut s = ((p.population as f64) + 1.0).log10();
        s += match p.level {
            Level::Country => 5.0,
            Level::Admin1 => 1.5,
            Level::Admin2 => 1.0,
            Level::Other => 4.0,
            Level::City => 0.0,
        };
        s += match p.feature.as_str() {
            "P.PPLC" => 3.0,
            "P.PPLA" => 1.0,
            "P.PPLA2" => 0.5,
            "P.PPLX" => -1.0,
            "P.PPLH" | "P.PPLQ" | "P.PPLW" => -2.0,
            _ => 0.0,
        };
        if normalise(&p.name) == key {
            s += 1.0;
        }
        s
    }

    /// The place of each byte span of `text`, resolved with the other spans
    /// as context; `None` where the span names nothing in the gazetteer (or is
    /// not a span of `text`).
    pub fn resolve_spans(&self, text: &str, spans: &[(usize, usize)]) -> Vec<Option<Place>> {
        let mut names: Vec<Name> = Vec::new();
        let mut index: FxHashMap<String, usize> = FxHashMap::default();
        let mut of_span: Vec<Option<usize>> = Vec::with_capacity(spans.len());
        // spans naming what the gazetteer lacks (streets, buildings,
        // neighbourhoods, rivers): their index and key
        let mut unknown: Vec<(usize, String)> = Vec::new();
        for &(s, e) in spans {
            let Some(phrase) = text.get(s..e) else {
                of_span.push(None);
                continue;
            };
            let (key, cands) = self.mention_candidates(phrase);
            if cands.is_empty() {
                unknown.push((of_span.len(), key));
                of_span.push(None);
                continue;
            }
            let n = *index.entry(key.clone()).or_insert_with(|| {
                names.push(Name {
                    key,
                    cands,
                    qualifiers: Vec::new(),
                    mentions: 0,
                    best: None,
                });
                names.len() - 1
            });
            if let Some(name) = names.get_mut(n) {
                name.mentions += 1;
                if let Some(rest) = text.get(e..) {
                    name.qualifiers.extend(self.qualifiers(rest));
                }
            }
            of_span.push(Some(n));
        }

        // round 0: priors only; rounds 1 and 2: with the article's focus
        for round in 0..3 {
            let mut countries: FxHashMap<&str, f64> = FxHashMap::default();
            let mut admin1s: FxHashMap<(&str, &str), f64> = FxHashMap::default();
            let mut total = 0.0;
            if round > 0 {
                for n in &names {
                    let Some(p) = n.best.and_then(|b| self.place(b)) else {
                        continue;
                    };
                    let w = if p.level == Level::City { 1.0 } else { 1.5 };
                    *countries.entry(p.country.as_str()).or_default() += w;
                    if !p.admin1.is_empty() {
                        *admin1s
                            .entry((p.country.as_str(), p.admin1.as_str()))
                            .or_default() += w;
                    }
                    total += w;
                }
            }
            // the points of the other names' best local readings
            let anchors: Vec<(usize, f64, f64)> = names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| {
                    let p = n.best.and_then(|b| self.place(b))?;
                    p.level.is_local().then_some((i, p.lat, p.lon))
                })
                .collect();
            let mut bests = Vec::with_capacity(names.len());
            for (ni, n) in names.iter().enumerate() {
                let others = anchors.iter().filter(|a| a.0 != ni).count();
                let own = n.best.and_then(|b| self.place(b));
                let own_w = own.map_or(0.0, |p| if p.level == Level::City { 1.0 } else { 1.5 });
                let mut best: Option<(f64, PlaceId)> = None;
                for &c in &n.cands {
                    let Some(p) = self.place(c) else { continue };
                    let mut s = self.prior(&n.key, p);
                    if round > 0 && total - own_w > 0.0 {
                        // the article's focus, without this name's own vote
                        let rest = total - own_w;
                        let own_c = own
                            .filter(|o| o.country == p.country)
                            .map_or(0.0, |_| own_w);
                        let cw = countries.get(p.country.as_str()).copied().unwrap_or(0.0) - own_c;
                        s += W_COUNTRY * (cw / rest).max(0.0);
                        if p.level != Level::Country && !p.admin1.is_empty() {
                            let own_a = own
                                .filter(|o| o.country == p.country && o.admin1 == p.admin1)
                                .map_or(0.0, |_| own_w);
                            let aw = admin1s
                                .get(&(p.country.as_str(), p.admin1.as_str()))
                                .copied()
                                .unwrap_or(0.0)
                                - own_a;
                            s += W_ADMIN1 * (aw / rest).max(0.0);
                        }
                    }
                    if round > 0 && others > 0 && p.level.is_local() {
                        let near = anchors
                            .iter()
                            .filter(|a| {
                                a.0 != ni && crate::distance_km(a.1, a.2, p.lat, p.lon) < NEAR_KM
                            })
                            .count();
                        s += W_NEAR * near as f64 / others as f64;
                    }
                    if n.qualifiers.iter().any(|&q| self.contains(q, p)) {
                        s += W_QUALIFIED;
                    }
                    if best.is_none_or(|(b, _)| s > b) {
                        best = Some((s, c));
                    }
                }
                bests.push(best.map(|b| b.1));
            }
            for (n, b) in names.iter_mut().zip(bests) {
                n.best = b;
            }
        }
        let mut out: Vec<Option<Place>> = of_span
            .into_iter()
            .map(|n| {
                n.and_then(|n| names.get(n))
                    .and_then(|n| n.best)
                    .and_then(|b| self.place(b))
                    .cloned()
            })
            .collect();
        if !unknown.is_empty() {
            let focus = self.focus_town(&names);
            for (i, key) in unknown {
                // "Colchester General Hospital": the town the article names
                // at its start, else the article's town (a street, building
                // or neighbourhood the gazetteer lacks mostly lies in or near
                // the town the article is about)
                let inner = (1..key.split(' ').count()).find_map(|n| {
                    let head: Vec<&str> = key.split(' ').take(n).collect();
                    index.get(&head.join(" ")).and_then(|&k| names.get(k)?.best)
                });
                let town = inner.or(focus).and_then(|b| self.place(b)).cloned();
                if let Some(slot) = out.get_mut(i) {
                    *slot = town;
                }
            }
        }
        out
    }

    /// The town the article is about: the local reading (town or county)
    /// of the name mentioned most often, the first such name on a tie;
    /// `None` when no name reads as local.
    fn focus_town(&self, names: &[Name]) -> Option<PlaceId> {
        let mut best: Option<(usize, PlaceId)> = None;
        for n in names {
            let Some(b) = n.best else { continue };
            if self.place(b).is_some_and(|p| p.level.is_local())
                && best.is_none_or(|(m, _)| n.mentions > m)
            {
                best = Some((n.mentions, b));
            }
        }
        best.map(|b| b.1)
    }

    /// The admin1 units and countries named right after a mention
    /// (", Louisiana", ", La." is not handled), as place ids.
    fn qualifiers(&self, rest: &str) -> Vec<PlaceId> {
        let Some(r) = rest.strip_prefix(',').or_else(|| rest.strip_prefix(" (")) else {
            return Vec::new();
        };
        let words: Vec<&str> = r
            .split_whitespace()
            .take(4)
            .map(|w| w.trim_end_matches([',', '.', ')', ';', ':']))
            .collect();
        let mut out = Vec::new();
        for n in (1..=words.len().min(3)).rev() {
            let Some(ws) = words.get(..n) else { continue };
            if !ws
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            {
                continue;
            }
            let phrase = ws.join(" ");
            for &c in self.candidates(&phrase) {
                if self
                    .place(c)
                    .is_some_and(|p| matches!(p.level, Level::Country | Level::Admin1))
                {
                    out.push(c);
                }
            }
            if !out.is_empty() {
                break;
            }
        }
        out
    }

    /// Whether the place `outer` (a country or admin1 unit) contains `p`.
    fn contains(&self, outer: PlaceId, p: &Place) -> bool {
        let Some(o) = self.place(outer) else {
            return false;
        };
        match o.level {
            Level::Country => p.country == o.country && p.level != Level::Country,
            Level::Admin1 => p.country == o.country && p.admin1 == o.admin1 && p.level.is_local(),
            _ => false,
        }
    }

    /// The most populous candidate of a phrase, with no context: the naive
    /// baseline that resolution is measured against.
    pub fn most_populous(&self, phrase: &str) -> Option<&Place> {
        let (_, cands) = self.mention_candidates(phrase);
        cands
            .into_iter()
            .filter_map(|c| self.place(c))
            .max_by_key(|p| p.population)
    }

    /// The admin1 place of a place, if the gazetteer has it.
    pub fn admin1_of(&self, p: &Place) -> Option<&Place> {
        self.admin1_id(&p.country, &p.admin1)
            .and_then(|i| self.place(i))
    }
}

#[cfg(test)]
mod tests {
    use crate::Gazetteer;

    fn gaz() -> Gazetteer {
        let rows = [
            "1\tLandia\tLA\t\t10.0\t20.0\tA.PCLI\t9000000\tC\tLandian",
            "2\tOzmark\tOZ\t\t40.0\t-90.0\tA.PCLI\t300000000\tC\t",
            "3\tRiverside\tOZ\tRiverside\t41.0\t-91.0\tA.ADM1\t4000000\tA\t",
            "4\tHillshire\tOZ\tHillshire\t35.0\t-80.0\tA.ADM1\t6000000\tA\t",
            "5\tCorinth\tLA\t\t10.1\t20.1\tP.PPLA\t900000\tP\t",
            "6\tCorinth\tOZ\tRiverside\t41.1\t-91.1\tP.PPL\t30000\tP\t",
            "7\tCorinth\tOZ\tHillshire\t35.1\t-80.1\tP.PPL\t60000\tP\t",
            "8\tMillbrook\tOZ\tRiverside\t41.2\t-91.2\tP.PPL\t8000\tP\t",
            "9\tKestrel\tLA\t\t10.5\t20.5\tP.PPL\t90000\tP\t",
            "10\tKestrel\tOZ\tHillshire\t35.5\t-80.5\tP.PPL\t50000\tP\t",
        ];
        crate::test_gazetteer(&rows)
    }

    fn spans(text: &str, words: &[&str]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut from = 0;
        for w in words {
            let at = text[from..]
                .find(w)
                .map(|i| i + from)
                .unwrap_or_else(|| panic!("{w}"));
            out.push((at, at + w.len()));
            from = at + w.len();
        }
        out
    }

    fn ids(g: &Gazetteer, text: &str, words: &[&str]) -> Vec<u32> {
        g.resolve_spans(text, &spans(text, words))
            .into_iter()
            .map(|p| p.map_or(0, |p| p.geonameid))
            .collect()
    }

    #[test]
    fn population_decides_alone() {
        let g = gaz();
        assert_eq!(ids(&g, "Corinth was quiet.", &["Corinth"]), vec![5]);
    }

    #[test]
    fn a_following_admin1_qualifies() {
        let g = gaz();
        let t = "The fair in Corinth, Riverside drew crowds.";
        assert_eq!(ids(&g, t, &["Corinth"]), vec![6]);
    }

    #[test]
    fn the_article_focus_decides() {
        let g = gaz();
        let t = "Officials in Ozmark said Kestrel and Millbrook, in Riverside, flooded.";
        assert_eq!(
            ids(&g, t, &["Ozmark", "Kestrel", "Millbrook", "Riverside"]),
            vec![2, 10, 8, 3]
        );
        let t = "Landian troops left Kestrel.";
        assert_eq!(ids(&g, t, &["Landian", "Kestrel"]), vec![1, 9]);
    }

    #[test]
    fn one_sense_per_discourse_and_unit_words() {
        let g = gaz();
        let t = "Corinth, Hillshire, voted. Later Corinth counted. Hillshire state agreed.";
        assert_eq!(
            ids(&g, t, &["Corinth", "Corinth", "Hillshire state"]),
            vec![7, 7, 4]
        );
        assert_eq!(
            ids(&g, "northern Landia's hills", &["northern Landia's"]),
            vec![1]
        );
        assert_eq!(ids(&g, "Atlantis", &["Atlantis"]), vec![0]);
        // a span outside the text or inside a character resolves to nothing
        assert_eq!(g.resolve_spans("ab", &[(1, 9)]), vec![None]);
    }

    #[test]
    fn unknown_names_lie_in_the_article_s_town() {
        let g = gaz();
        let t = "In Millbrook, Riverside, Oak Street and Kestrel Hospital shut; Zog too.";
        assert_eq!(
            ids(
                &g,
                t,
                &[
                    "Millbrook",
                    "Riverside",
                    "Oak Street",
                    "Kestrel Hospital",
                    "Zog"
                ]
            ),
            vec![8, 3, 8, 8, 8]
        );
        // the town the name holds, when the article names it
        let t = "Kestrel, Hillshire, and Millbrook; Millbrook and the Kestrel Hospital.";
        assert_eq!(
            ids(
                &g,
                t,
                &["Kestrel", "Millbrook", "Millbrook", "Kestrel Hospital"]
            ),
            vec![10, 8, 8, 10]
        );
        // no town in the article: nothing
        assert_eq!(
            ids(&g, "Oak Street in Ozmark.", &["Oak Street", "Ozmark"]),
            vec![0, 2]
        );
    }
}
