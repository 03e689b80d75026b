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

    #[test]
    fn shuffling_is_deterministic() {
        let mut x: Vec<usize> = (0..20).collect();
        let mut y = x.clone();
        assert_eq!(shuffle(&mut x, 7), shuffle(&mut y, 7));
        assert_eq!(x, y);
        assert_ne!(x, (0..20).collect::<Vec<_>>());
    }
}
