//! Near-duplicate detection: a 64-bit SimHash of an article's word
//! 3-shingles. Syndicated copies of one wire story and updated versions of
//! one article differ in a few words (a byline, a corrected figure, an
//! added paragraph), so their fingerprints differ in a few bits, while
//! unrelated articles differ in about half of them.

/// Articles with fewer words than this get no fingerprint: short texts
/// ("Police arrested X." / "Police arrested Y.") are too alike to compare.
pub const MIN_WORDS: usize = 50;

/// Fingerprints at most this many bits apart are near-duplicate candidates
/// (unrelated texts differ in about 32 bits; a copy of a 150-word story with
/// a dateline and a credit line added, in about 6). The store finds them
/// through six bands of the fingerprint (10 or 11 bits): within 5 bits one
/// band is always shared, within 10 usually. Candidates are then confirmed
/// with [`similarity`].
pub const MAX_DISTANCE: u32 = 10;

/// Two texts whose word 3-shingle sets overlap this much (Jaccard) are
/// copies or versions of one article.
pub const MIN_SIMILARITY: f64 = 0.7;

/// The SimHash of `text` over lower-cased word 3-shingles; `None` for texts
/// shorter than [`MIN_WORDS`].
pub fn simhash(text: &str) -> Option<u64> {
    let words = words(text);
    if words.len() < MIN_WORDS {
        return None;
    }
    let mut votes = [0i32; 64];
    for shingle in words.windows(3) {
        let h = shingle_hash(shingle);
        for (bit, v) in votes.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *v += 1;
            } else {
                *v -= 1;
            }
        }
    }
    Some(
        votes
            .iter()
            .enumerate()
            .filter(|(_, v)| **v > 0)
            .fold(0u64, |acc, (bit, _)| acc | 1 << bit),
    )
}

/// Jaccard similarity of the two texts' sets of lower-cased word 3-shingles.
pub fn similarity(a: &str, b: &str) -> f64 {
    let set = |t: &str| -> std::collections::HashSet<u64> {
        let words: Vec<String> = words(t);
        words.windows(3).map(shingle_hash).collect()
    };
    let (sa, sb) = (set(a), set(b));
    let union = sa.union(&sb).count();
    if union == 0 {
        return 0.0;
    }
    sa.intersection(&sb).count() as f64 / union as f64
}

/// The lower-cased words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Bits in which two fingerprints differ.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// The six bands of a fingerprint (bits 0–9, 10–20, 21–31, 32–42, 43–53,
/// 54–63), for indexed candidate search.
pub fn bands(hash: u64) -> [u16; 6] {
    [(0, 10), (10, 11), (21, 11), (32, 11), (43, 11), (54, 10)]
        .map(|(shift, width)| ((hash >> shift) & ((1 << width) - 1)) as u16)
}

/// FNV-1a of the shingle's words, then a final mix so every bit depends on
/// every word.
fn shingle_hash(words: &[String]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0x20;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Kenyan police arrested two opposition leaders in Nairobi on Monday after a week of protests over rising fuel prices. The interior ministry said the two had planned further demonstrations and would appear in court on Wednesday.

Opposition parties called the arrests an attack on free assembly and urged supporters to stay calm while lawyers sought their release. Church leaders offered to mediate between the government and the protest movement, which began in the port city of Mombasa.

Fuel prices have risen by a third since January, when the government removed a subsidy under an agreement with international lenders. Transport unions have threatened a national strike if prices are not lowered by the end of the month, and traders in several towns closed their shops on Friday in support of the protests.";

    #[test]
    fn copies_are_close_and_other_stories_far() {
        let a = simhash(STORY).unwrap_or_default();
        let copy = format!("NAIROBI (Wire) - {STORY} Reporting by a staff writer.");
        let b = simhash(&copy).unwrap_or_default();
        let updated = STORY.replace("two opposition leaders", "three opposition leaders");
        let c = simhash(&updated).unwrap_or_default();
        assert!(hamming(a, b) <= MAX_DISTANCE, "copy: {}", hamming(a, b));
        assert!(hamming(a, c) <= MAX_DISTANCE, "update: {}", hamming(a, c));
        assert!(similarity(STORY, &copy) >= MIN_SIMILARITY);
        assert!(similarity(STORY, &updated) >= MIN_SIMILARITY);
        let other = "Heavy rain flooded the coastal road near Mombasa on Tuesday, cutting off three villages and forcing hundreds of families to leave their homes. The county government sent boats and food while engineers inspected two damaged bridges. Forecasters expect more rain over the weekend and warned people living near rivers to move to higher ground.";
        let d = simhash(other).unwrap_or_default();
        assert!(hamming(a, d) > MAX_DISTANCE, "unrelated: {}", hamming(a, d));
        assert!(similarity(STORY, other) < 0.05);
    }

    #[test]
    fn short_texts_get_no_fingerprint() {
        assert_eq!(simhash("Police arrested two men."), None);
        assert_eq!(simhash(""), None);
    }

    #[test]
    fn bands_cover_the_hash() {
        let h: u64 = 0x1234_5678_9abc_def0;
        let b = bands(h);
        // the bands put back together give the hash
        let joined = [(0, 10), (10, 11), (21, 11), (32, 11), (43, 11), (54, 10)]
            .iter()
            .zip(b)
            .fold(0u64, |acc, ((shift, _), v)| acc | u64::from(v) << shift);
        assert_eq!(joined, h);
        // within MAX_DISTANCE bits, some band is equal
        let near = h ^ 0b1 ^ (1 << 17) ^ (1 << 25) ^ (1 << 40) ^ (1 << 50);
        assert!(bands(h).iter().zip(bands(near)).any(|(a, b)| *a == b));
    }
}
