//! Fuzz-like robustness tests: deterministic pseudo-random inputs built
//! from tricky pieces and from raw bytes must never panic and must always
//! give well-formed, char-boundary offsets.

mod common;

use common::check_doc;

/// Small deterministic linear congruential generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "a",
    "Z",
    "é",
    "Zürich",
    "1",
    "9",
    ",",
    ".",
    "..",
    "…",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\t",
    "'",
    "’",
    "‘",
    "\"",
    "“",
    "”",
    "„",
    "«",
    "»",
    "-",
    "--",
    "—",
    "–",
    "‐",
    "\u{ad}",
    "\u{200b}",
    "\u{200d}",
    "\u{301}",
    "\u{308}",
    "\u{feff}",
    "(",
    ")",
    "[",
    "]",
    "?",
    "!",
    "?!",
    "$",
    "%",
    "&",
    "@",
    "#",
    "/",
    ":",
    ";",
    "`",
    "``",
    "''",
    "s",
    "n't",
    "'s",
    "’s",
    "U.S.",
    "U.S",
    "Gen.",
    "No.",
    "No",
    "e.g.",
    "a.m.",
    "J.",
    "A.B",
    "1,500",
    "1,50",
    "3.5",
    "2019",
    "1st",
    "http://",
    "https://x.io/a(b)",
    "www.",
    "x@y.com",
    "@",
    "a@b",
    ".com",
    "ﬁ",
    "ＵＮ",
    "😀",
    "👍🏽",
    "🇫🇷",
    "\u{2028}",
    "\u{2029}",
    "\u{85}",
    "\0",
    "The",
    "He",
    "in",
    "Inc.",
    "O'",
    "Mazar-i-",
    "anti-",
    "&T",
    "AT",
    "Ph.D",
    "中文",
    "ש",
    "x",
    "q",
];

fn random_text(rng: &mut Lcg) -> String {
    let len = rng.below(40);
    let mut s = String::new();
    for _ in 0..len {
        s.push_str(PIECES[rng.below(PIECES.len())]);
    }
    s
}

#[test]
fn random_pieces_never_panic() {
    let mut rng = Lcg(0x5eed_1234);
    for _ in 0..4000 {
        let text = random_text(&mut rng);
        check_doc(&text);
        let normalized = pulse_nlp::normalize(&text);
        assert_eq!(pulse_nlp::normalize(&normalized), normalized, "{text:?}");
        check_doc(&normalized);
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Lcg(42);
    for _ in 0..3000 {
        let len = rng.below(64);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                // Bias towards ASCII punctuation, spaces and UTF-8 lead bytes.
                match rng.below(4) {
                    0 => {
                        let special = b" .,'\"-\n?!$%@#U.S";
                        special[rng.below(special.len())]
                    }
                    _ => rng.below(256) as u8,
                }
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        check_doc(&text);
        let _ = pulse_nlp::normalize(&text);
    }
}

#[test]
fn long_pathological_inputs_finish() {
    let patterns = [
        "a_", "a.", "ab.", "1,", "1.", "x@", "-a", "'a", "\"", "“", "U.S.", "http://(", "a-", "..",
        "s' ", "N.", "www.a", "1,500,",
    ];
    for p in patterns {
        let text = p.repeat(20_000);
        check_doc(&text);
    }
}
