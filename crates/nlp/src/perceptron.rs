//! The averaged perceptron shared by the tagger and the parser: hashed
//! features, sparse per-feature class weights, lazy averaging, pruning and
//! deterministic shuffling.

use std::collections::HashMap;

/// Feature keys are already hashes: hashing them again would only cost time.
#[derive(Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b) ^ (self.0 >> 56);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by feature hashes.
pub type FeatureMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// Trained weights: feature hash → (class, weight) pairs.
pub type Weights = FeatureMap<Vec<(u16, f32)>>;

/// 64-bit FNV-1a over the parts of a feature, each part closed by a separator.
pub fn fnv(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Add the weights of `feats` into `scores` (one slot per class).
pub fn score(weights: &Weights, feats: &[u64], scores: &mut [f32]) {
    scores.iter_mut().for_each(|s| *s = 0.0);
    for f in feats {
        if let Some(ws) = weights.get(f) {
            for (c, w) in ws {
                if let Some(s) = scores.get_mut(*c as usize) {
                    *s += *w;
                }
            }
        }
    }
}

/// Multiplier spreading a feature key over the [`WeightTable`] slots (the
/// 64-bit golden ratio; any odd number keeps keys distinct).
const SPREAD: u64 = 0x9e37_79b9_7f4a_7c15;
/// Bits of a slot holding its record's offset in the words, plus one.
const OFFSET_BITS: u32 = 40;
/// Mask of the offset part of a slot.
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;
/// Entry flag: the record's last entry.
const LAST: u64 = 1 << 16;
/// Entry flag: no entry (a feature kept without weights).
const EMPTY: u64 = 1 << 17;
/// Flag of a record's first word when its weights also have a dense row
/// (row start in bits 32–63, width in bits 19–31).
const DENSE: u64 = 1 << 18;
/// Widest dense row (13 bits).
const DENSE_MAX_WIDTH: usize = (1 << 13) - 1;
/// Features with at least this many entries get a dense row: adding a row
/// of a hundred floats is a few vector instructions, while tens of sparse
/// entries are each a load, a bounds check and a scattered add.
const DENSE_MIN: usize = 16;
/// Features looked up together by [`WeightTable::score`]: their memory
/// loads are started before any is waited for.
const CHUNK: usize = 32;

/// Trained weights frozen for fast scoring: the same content as [`Weights`]
/// (feature hash → (class, weight) pairs, f32 as trained) in two flat arrays,
/// so a look-up reads one slot and one record instead of a hash map's
/// control bytes, bucket and a separately allocated list.
///
/// Slots: open addressing over a power of two many, linear probing; a slot
/// is 0 when empty, else its record's offset plus one (low 40 bits) and a
/// fingerprint of the key (high 24 bits), so other keys' slots are passed
/// over without reading their records. Records follow one another in one
/// vector of words: the key, then one word per (class, weight) entry, the
/// last flagged (a feature without entries gets one flagged empty).
/// Features with many entries also get a dense row of weights (0.0 for the
/// classes they lack), added with vector instructions; the record's first
/// word then points to it. Adding 0.0 leaves a score unchanged (a sum that
/// starts at +0.0 is never −0.0), so scores are the same either way.
#[derive(Clone, Default)]
pub struct WeightTable {
    slots: Vec<u64>,
    words: Vec<u64>,
    /// Dense rows, one after another.
    dense: Vec<f32>,
    /// Number of features (keys with a slot).
    len: usize,
    /// 64 − log2(slots): the hash's top bits pick the home slot.
    shift: u32,
}

impl std::fmt::Debug for WeightTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WeightTable")
            .field("features", &self.len)
            .field("slots", &self.slots.len())
            .field("words", &self.words.len())
            .field("dense", &self.dense.len())
            .finish()
    }
}

/// One (class, weight) entry as a record word: class in bits 0–15, flags in
/// 16–18, the weight's bits in 32–63.
fn entry_word(class: u16, weight: f32) -> u64 {
    u64::from(class) | u64::from(weight.to_bits()) << 32
}

impl WeightTable {
    /// An empty table with room for `features` features holding `entries`
    /// (class, weight) pairs in all, so loading a model does not re-hash.
    pub fn with_capacity(features: usize, entries: usize) -> WeightTable {
        let mut t = WeightTable {
            words: Vec::with_capacity(features.saturating_add(entries)),
            ..WeightTable::default()
        };
        t.resize(Self::slots_for(features));
        t
    }

    /// Slots for `features` features: at most two thirds full.
    fn slots_for(features: usize) -> usize {
        features
            .saturating_add(features / 2)
            .max(8)
            .checked_next_power_of_two()
            .unwrap_or(1 << (usize::BITS - 1))
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table has no features.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Home slot index and fingerprint of `key`.
    fn place(&self, key: u64) -> (usize, u64) {
        let h = key.wrapping_mul(SPREAD);
        let home = h.checked_shr(self.shift).unwrap_or(0) as usize;
        let print = (h << (64 - self.shift).min(63)) >> OFFSET_BITS;
        (home, print)
    }

    /// Re-slot every feature into `n` (a power of two) slots.
    fn resize(&mut self, n: usize) {
        let old = std::mem::replace(&mut self.slots, vec![0; n]);
        self.shift = 64 - n.trailing_zeros();
        let mask = n - 1;
        for s in old.into_iter().filter(|s| *s != 0) {
            let key = self.record_key(s).unwrap_or(0);
            // the fingerprint takes the bits below the home index: new ones
            let (mut i, print) = self.place(key);
            while self.slots.get(i).is_some_and(|s| *s != 0) {
                i = (i + 1) & mask;
            }
            if let Some(slot) = self.slots.get_mut(i) {
                *slot = print << OFFSET_BITS | (s & OFFSET_MASK);
            }
        }
    }

    /// Add a feature with its entries; a key already present is replaced
    /// (as inserting into a map would). Returns whether the key is new.
    pub fn insert(&mut self, key: u64, entries: impl IntoIterator<Item = (u16, f32)>) -> bool {
        if self.slots.is_empty() || (self.len + 1) * 3 > self.slots.len() * 2 {
            self.resize(Self::slots_for((self.len + 1).max(self.slots.len())));
        }
        let off = self.words.len();
        self.words.push(key);
        self.words.push(0); // a dense row's pointer, else dropped below
        self.words
            .extend(entries.into_iter().map(|(c, w)| entry_word(c, w)));
        match self.dense_row(off + 2) {
            Some(marker) => {
                if let Some(m) = self.words.get_mut(off + 1) {
                    *m = marker;
                }
            }
            None => {
                self.words.remove(off + 1);
            }
        }
        if self.words.len() == off + 1 {
            self.words.push(EMPTY);
        }
        if let Some(last) = self.words.last_mut() {
            *last |= LAST;
        }
        // offsets past 2^40 words (8 TiB) cannot be allocated
        let (mut i, print) = self.place(key);
        let slot = print << OFFSET_BITS | ((off as u64 + 1) & OFFSET_MASK);
        let mask = self.slots.len() - 1;
        let new = loop {
            match self.slots.get(i).copied() {
                Some(0) | None => {
                    self.len += 1;
                    break true;
                }
                Some(s) if self.record_key(s) == Some(key) => break false,
                Some(_) => i = (i + 1) & mask,
            }
        };
        if let Some(s) = self.slots.get_mut(i) {
            *s = slot;
        }
        new
    }

    /// Make a dense row for the entries from `words[from]` on, when there are
    /// enough of them, each class once and the row not too wide; returns the
    /// record word pointing to it.
    fn dense_row(&mut self, from: usize) -> Option<u64> {
        let entries = self.words.get(from..)?;
        if entries.len() < DENSE_MIN {
            return None;
        }
        let width = entries.iter().map(|e| (e & 0xffff) as usize + 1).max()?;
        if width > DENSE_MAX_WIDTH || width > 8 * entries.len() {
            return None;
        }
        let mut row = vec![0.0f32; width];
        let mut seen = vec![false; width];
        for e in entries {
            let c = (e & 0xffff) as usize;
            if seen.get(c).copied().unwrap_or(true) {
                return None; // a class twice: its weights must add one by one
            }
            if let (Some(s), Some(r)) = (seen.get_mut(c), row.get_mut(c)) {
                *s = true;
                *r = f32::from_bits((e >> 32) as u32);
            }
        }
        let start = u32::try_from(self.dense.len()).ok()?;
        self.dense.extend_from_slice(&row);
        Some(DENSE | (width as u64) << 19 | u64::from(start) << 32)
    }

    /// The key of the record a (non-empty) slot points to.
    fn record_key(&self, slot: u64) -> Option<u64> {
        let off = ((slot & OFFSET_MASK) as usize).checked_sub(1)?;
        self.words.get(off).copied()
    }

    /// Finish the look-up of `key` whose home slot `i` holds `first`:
    /// the offset of its record, if present.
    fn probe(&self, key: u64, mut i: usize, print: u64, first: u64) -> Option<usize> {
        let mask = self.slots.len().wrapping_sub(1);
        let mut s = first;
        while s != 0 {
            if s >> OFFSET_BITS == print && self.record_key(s) == Some(key) {
                return Some(((s & OFFSET_MASK) - 1) as usize);
            }
            i = (i + 1) & mask;
            s = self.slots.get(i).copied().unwrap_or(0);
        }
        None
    }

    /// The entries of `key`, if it is a feature of the table.
    pub fn get(&self, key: u64) -> Option<Entries<'_>> {
        let (i, print) = self.place(key);
        let first = self.slots.get(i).copied().unwrap_or(0);
        let off = self.probe(key, i, print, first)?;
        Some(self.entries(off))
    }

    /// The entries of the record at `off`.
    fn entries(&self, off: usize) -> Entries<'_> {
        Entries {
            words: self.words.get(off + 1..).unwrap_or(&[]).iter(),
        }
    }

    /// Every feature with its entries (in no particular order).
    pub fn iter(&self) -> impl Iterator<Item = (u64, Entries<'_>)> + '_ {
        self.slots.iter().filter(|s| **s != 0).filter_map(|s| {
            let off = ((s & OFFSET_MASK) as usize).checked_sub(1)?;
            Some((self.words.get(off).copied()?, self.entries(off)))
        })
    }

    /// Set `scores` (one per class) to the summed weights of `feats`, adding
    /// in the order of `feats` exactly as [`score`] does, so the sums are
    /// bit for bit the same. Features are looked up a chunk at a time: first
    /// every home slot is read, then the probes finish and records are read,
    /// then the weights are added, so the cache misses of a chunk overlap.
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        let mask = self.slots.len().wrapping_sub(1);
        if self.slots.is_empty() {
            return;
        }
        for chunk in feats.chunks(CHUNK) {
            let mut homes = [(0usize, 0u64, 0u64); CHUNK];
            for (f, h) in chunk.iter().zip(homes.iter_mut()) {
                let (i, print) = self.place(*f);
                let i = i & mask;
                *h = (i, print, self.slots.get(i).copied().unwrap_or(0));
            }
            let mut found = [usize::MAX; CHUNK];
            for ((f, (i, print, first)), off) in chunk.iter().zip(homes).zip(found.iter_mut()) {
                if let Some(o) = self.probe(*f, i, print, first) {
                    *off = o;
                }
            }
            for off in found.into_iter().take(chunk.len()) {
                if off == usize::MAX {
                    continue;
                }
                let record = self.words.get(off + 1..).unwrap_or(&[]);
                if let Some(m) = record.first().filter(|m| *m & DENSE != 0) {
                    let start = (m >> 32) as usize;
                    let width = (m >> 19) as usize & DENSE_MAX_WIDTH;
                    let row = self.dense.get(start..start + width).unwrap_or(&[]);
                    for (s, w) in scores.iter_mut().zip(row) {
                        *s += *w;
                    }
                    continue;
                }
                for e in record {
                    if e & EMPTY == 0 {
                        if let Some(s) = scores.get_mut((e & 0xffff) as usize) {
                            *s += f32::from_bits((e >> 32) as u32);
                        }
                    }
                    if e & LAST != 0 {
                        break;
                    }
                }
            }
        }
    }
}

/// Lower bounds of the groups of entry counts [`read_table`] inserts one
/// group after the other, largest first.
const HOT_GROUPS: [usize; 6] = [32, 16, 8, 4, 2, 0];

/// Read `n` features of a model file into a table: each a key (u64), an
/// entry count (read by `count`), then that many (class u16, weight f32).
/// Features with more entries go in first (the file is read once per
/// group of counts): those are the ones most scores read (a tag or a tag
/// pair, rather than a word pair), so their records and dense rows end up
/// packed together and their slots at their home positions. A key listed
/// twice is an error.
pub fn read_table<'a>(
    r: &mut ModelReader<'a>,
    n: usize,
    count: impl Fn(&mut ModelReader<'a>) -> Result<usize, String>,
) -> Result<WeightTable, String> {
    // a feature takes at least 9 bytes and an entry 6: reserve no more than
    // the rest of the file can hold (and a word in 8 for the flag words)
    let left = r.remaining();
    let features = n.min(left / 9);
    let entries = left.saturating_sub(9 * features) / 6;
    let mut t = WeightTable::with_capacity(features, entries + features / 8);
    let mut ws = Vec::new();
    let mut end = r.clone();
    for (g, lo) in HOT_GROUPS.iter().enumerate() {
        let hi = g.checked_sub(1).and_then(|h| HOT_GROUPS.get(h)).copied();
        let mut pass = r.clone();
        for _ in 0..n {
            let f = pass.u64()?;
            let k = count(&mut pass)?;
            if k < *lo || hi.is_some_and(|hi| k >= hi) {
                pass.take(k.saturating_mul(6))?;
                continue;
            }
            ws.clear();
            for _ in 0..k {
                ws.push((pass.u16()?, pass.f32()?));
            }
            if !t.insert(f, ws.iter().copied()) {
                return Err(format!("feature {f:#x} listed twice"));
            }
        }
        end = pass;
    }
    *r = end;
    Ok(t)
}

impl From<&Weights> for WeightTable {
    /// The table of `weights`, features with more entries first (see
    /// [`read_table`]).
    fn from(weights: &Weights) -> WeightTable {
        let mut feats: Vec<(&u64, &Vec<(u16, f32)>)> = weights.iter().collect();
        feats.sort_by_key(|(f, ws)| (std::cmp::Reverse(ws.len()), **f));
        let entries = weights.values().map(Vec::len).sum();
        let mut t = WeightTable::with_capacity(weights.len(), entries);
        for (f, ws) in feats {
            t.insert(*f, ws.iter().copied());
        }
        t
    }
}

/// The (class, weight) entries of one feature of a [`WeightTable`], in the
/// order they were inserted.
#[derive(Clone, Debug)]
pub struct Entries<'a> {
    words: std::slice::Iter<'a, u64>,
}

impl Iterator for Entries<'_> {
    type Item = (u16, f32);

    fn next(&mut self) -> Option<(u16, f32)> {
        let mut e = *self.words.next()?;
        if e & DENSE != 0 {
            e = *self.words.next()?;
        }
        if e & LAST != 0 {
            self.words = [].iter();
        }
        if e & EMPTY != 0 {
            return None;
        }
        Some(((e & 0xffff) as u16, f32::from_bits((e >> 32) as u32)))
    }
}

/// One weight being trained, with what averaging needs.
struct Acc {
    w: f32,
    total: f64,
    stamp: u64,
    updates: u32,
}

/// An averaged perceptron in training.
#[derive(Default)]
pub struct Trainer {
    acc: FeatureMap<Vec<(u16, Acc)>>,
    clock: u64,
}

impl Trainer {
    /// Current (not averaged) scores of the classes for `feats`.
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(ws) = self.acc.get(f) {
                for (c, a) in ws {
                    if let Some(s) = scores.get_mut(*c as usize) {
                        *s += a.w;
                    }
                }
            }
        }
    }

    /// Count one training decision; when `guess` is not `gold`, move the
    /// weights of `feats` towards `gold` and away from `guess`.
    pub fn update(&mut self, feats: &[u64], gold: u16, guess: u16) {
        self.clock += 1;
        if gold == guess {
            return;
        }
        let clock = self.clock;
        for f in feats {
            let ws = self.acc.entry(*f).or_default();
            for (class, delta) in [(gold, 1.0f32), (guess, -1.0f32)] {
                let pos = match ws.iter().position(|(c, _)| *c == class) {
                    Some(p) => p,
                    None => {
                        ws.push((
                            class,
                            Acc {
                                w: 0.0,
                                total: 0.0,
                                stamp: clock,
                                updates: 0,
                            },
                        ));
                        ws.len() - 1
                    }
                };
                if let Some((_, a)) = ws.get_mut(pos) {
                    a.total += f64::from(a.w) * (clock - a.stamp) as f64;
                    a.stamp = clock;
                    a.w += delta;
                    a.updates = a.updates.saturating_add(1);
                }
            }
        }
    }

    /// The averaged weights so far, without those smaller than `prune_below`.
    pub fn averaged(&self, prune_below: f32) -> Weights {
        self.averaged_pruned(prune_below, 0)
    }

    /// The averaged weights, without those smaller than `prune_below` or
    /// updated fewer than `min_updates` times (rare evidence, big models).
    pub fn averaged_pruned(&self, prune_below: f32, min_updates: u32) -> Weights {
        let clock = self.clock;
        self.acc
            .iter()
            .map(|(f, ws)| {
                let avg: Vec<(u16, f32)> = ws
                    .iter()
                    .filter(|(_, a)| a.updates >= min_updates)
                    .map(|(c, a)| {
                        let tot = a.total + f64::from(a.w) * (clock - a.stamp) as f64;
                        (*c, (tot / clock.max(1) as f64) as f32)
                    })
                    .filter(|(_, w)| w.abs() >= prune_below)
                    .collect();
                (*f, avg)
            })
            .filter(|(_, ws)| !ws.is_empty())
            .collect()
    }
}

/// A fixed-seed Fisher–Yates shuffle, so training sees the same order on
/// every run; returns the advanced seed.
pub fn shuffle(order: &mut [usize], mut seed: u64) -> u64 {
    for i in (1..order.len()).rev() {
        seed = next_seed(seed);
        let j = (seed >> 33) as usize % (i + 1);
        order.swap(i, j);
    }
    seed
}

/// One step of the 64-bit linear congruential generator used for shuffling.
pub fn next_seed(seed: u64) -> u64 {
    seed.wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
}

/// The best-scoring class.
pub fn best(scores: &[f32]) -> u16 {
    let mut best = 0;
    for (i, s) in scores.iter().enumerate() {
        if *s > scores.get(best).copied().unwrap_or(f32::MIN) {
            best = i;
        }
    }
    best as u16
}

/// A cursor over a model file's bytes that reports a cut-short or malformed
/// file as an error (a reason) instead of panicking. All numbers are
/// little-endian.
#[derive(Clone)]
pub struct ModelReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> ModelReader<'a> {
    /// Start reading `bytes`, which must begin with `magic`.
    pub fn new(bytes: &'a [u8], magic: &[u8]) -> Result<ModelReader<'a>, String> {
        let mut r = ModelReader { bytes, pos: 0 };
        if r.take(magic.len())? != magic {
            return Err("bad magic bytes".into());
        }
        Ok(r)
    }

    /// Bytes not read yet (to bound what a header may ask to reserve).
    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| format!("cut short at byte {}", self.pos))?;
        let s = self.bytes.get(self.pos..end).unwrap_or(&[]);
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// A byte.
    pub fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }

    /// A 16-bit number.
    pub fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array::<2>()?))
    }

    /// A 32-bit number.
    pub fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array::<4>()?))
    }

    /// A 64-bit number.
    pub fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array::<8>()?))
    }

    /// A 32-bit float.
    pub fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.array::<4>()?))
    }

    /// A string: a 32-bit length, then UTF-8 bytes.
    pub fn string(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        if n > self.bytes.len() {
            return Err("string longer than the file".into());
        }
        String::from_utf8(self.take(n)?.to_vec()).map_err(|e| e.to_string())
    }

    /// Succeed only when every byte has been read.
    pub fn finish(self) -> Result<(), String> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err("trailing bytes".into())
        }
    }
}

/// Append a string as [`ModelReader::string`] reads it.
pub fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_to_separate_two_classes() {
        let mut t = Trainer::default();
        let (a, b) = (fnv(&[b"word", b"attack"]), fnv(&[b"word", b"talks"]));
        let mut scores = [0.0f32; 2];
        for _ in 0..5 {
            for (f, gold) in [(a, 0u16), (b, 1u16)] {
                t.score(&[f], &mut scores);
                t.update(&[f], gold, best(&scores));
            }
        }
        let w = t.averaged(0.0);
        score(&w, &[a], &mut scores);
        assert_eq!(best(&scores), 0);
        score(&w, &[b], &mut scores);
        assert_eq!(best(&scores), 1);
    }

    /// A map with keys 0..n, `k % 40` entries each (some dense), and the
    /// same in a table built by inserting one by one from a small start.
    fn sample(n: u64) -> (Weights, WeightTable) {
        let mut map = Weights::default();
        let mut table = WeightTable::with_capacity(0, 0);
        let mut seed = 17;
        for k in 0..n {
            let key = k.wrapping_mul(0x2545_f491_4f6c_dd1d);
            let ws: Vec<(u16, f32)> = (0..k % 40)
                .map(|j| {
                    seed = next_seed(seed);
                    ((j * 3 % 50) as u16, (seed >> 40) as f32 / 1e6 - 8.0)
                })
                .collect();
            table.insert(key, ws.iter().copied());
            map.insert(key, ws);
        }
        (map, table)
    }

    #[test]
    fn table_finds_present_keys_and_not_absent_ones() {
        let (map, table) = sample(5000);
        assert_eq!(table.len(), map.len());
        for (k, ws) in &map {
            let got: Vec<(u16, f32)> = table.get(*k).map(Iterator::collect).unwrap_or_default();
            assert_eq!(&got, ws);
            assert!(table.get(*k).is_some());
        }
        for k in 0..5000u64 {
            let absent = k.wrapping_mul(0x2545_f491_4f6c_dd1d) ^ 1;
            assert!(table.get(absent).is_none() || map.contains_key(&absent));
        }
    }

    #[test]
    fn empty_table() {
        for table in [WeightTable::default(), WeightTable::with_capacity(0, 0)] {
            assert!(table.is_empty());
            assert!(table.get(0).is_none() && table.get(42).is_none());
            assert_eq!(table.iter().count(), 0);
            let mut scores = [1.0f32; 3];
            table.score(&[0, 1, 2], &mut scores);
            assert_eq!(scores, [0.0; 3]);
        }
    }

    #[test]
    fn table_round_trips_a_map() {
        let (map, _) = sample(3000);
        let table = WeightTable::from(&map);
        let back: Weights = table.iter().map(|(k, ws)| (k, ws.collect())).collect();
        assert_eq!(back, map);
    }

    #[test]
    fn table_replaces_keys_and_keeps_features_without_weights() {
        let mut table = WeightTable::default();
        table.insert(7, [(1, 0.5)]);
        table.insert(8, []);
        table.insert(7, [(2, 1.5), (0, -1.0)]);
        assert_eq!(table.len(), 2);
        let got: Vec<(u16, f32)> = table.get(7).map(Iterator::collect).unwrap_or_default();
        assert_eq!(got, vec![(2, 1.5), (0, -1.0)]);
        assert_eq!(table.get(8).map(Iterator::count), Some(0));
    }

    #[test]
    fn table_scores_bit_for_bit_as_the_map() {
        let (mut map, _) = sample(2000);
        // a class twice and classes past the scores: added as the map adds them
        let twice: Vec<(u16, f32)> = (0..30).map(|j| ((j % 20) as u16, 0.1 * j as f32)).collect();
        map.insert(1, twice);
        map.insert(2, (0..20).map(|j| (j * 5, 0.3)).collect());
        let table = WeightTable::from(&map);
        let mut feats: Vec<u64> = map.keys().copied().take(300).collect();
        feats.extend([1, 2, 3, 1]);
        for n in [1, 7, 32, 33, 100, feats.len()] {
            let (mut a, mut b) = ([0.0f32; 60], [0.0f32; 60]);
            score(&map, &feats[..n], &mut a);
            table.score(&feats[..n], &mut b);
            assert_eq!(a.map(f32::to_bits), b.map(f32::to_bits));
        }
    }

    /// Model bytes as [`read_table`] reads them: key, one-byte count, entries.
    fn table_bytes(feats: &[(u64, Vec<(u16, f32)>)]) -> Vec<u8> {
        let mut out = b"TEST".to_vec();
        for (f, ws) in feats {
            out.extend_from_slice(&f.to_le_bytes());
            out.push(ws.len() as u8);
            for (c, w) in ws {
                out.extend_from_slice(&c.to_le_bytes());
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }

    #[test]
    fn reads_a_table_whole_and_rejects_bad_ones() {
        let feats: Vec<(u64, Vec<(u16, f32)>)> = (0..200u64)
            .map(|k| {
                (
                    k * 7919,
                    (0..k % 37).map(|j| (j as u16, k as f32)).collect(),
                )
            })
            .collect();
        let bytes = table_bytes(&feats);
        let read = |bytes: &[u8], n: usize| -> Result<WeightTable, String> {
            let mut r = ModelReader::new(bytes, b"TEST")?;
            let t = read_table(&mut r, n, |r| r.u8().map(usize::from))?;
            r.finish()?;
            Ok(t)
        };
        let t = read(&bytes, feats.len()).unwrap_or_default();
        assert_eq!(t.len(), feats.len());
        for (f, ws) in &feats {
            let got: Vec<(u16, f32)> = t.get(*f).map(Iterator::collect).unwrap_or_default();
            assert_eq!(&got, ws);
        }
        assert!(read(&bytes, feats.len() + 1).is_err());
        assert!(read(&bytes[..bytes.len() - 1], feats.len()).is_err());
        let twice = table_bytes(&[(5, vec![(0, 1.0)]), (5, vec![(1, 2.0)])]);
        assert!(read(&twice, 2).is_err());
        assert!(read(b"TEST", 0).is_ok_and(|t| t.is_empty()));
    }

    #[test]
    fn shuffling_is_deterministic() {
        let mut x: Vec<usize> = (0..20).collect();
        let mut y = x.clone();
        assert_eq!(shuffle(&mut x, 7), shuffle(&mut y, 7));
        assert_eq!(x, y);
        assert_ne!(x, (0..20).collect::<Vec<_>>());
    }
}
