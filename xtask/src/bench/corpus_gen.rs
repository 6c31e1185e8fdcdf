//! A deterministic generator of word-like text with as many distinct words as asked.
//!
//! Words are made of consonant–vowel syllables. Most come from a fixed vocabulary
//! (short words frequent, long words rare, roughly like a natural language); about
//! one word in six is *fresh*: the bijective base-90 syllable spelling of a counter,
//! then an `x`, then zero to three random syllables. No vocabulary word has an `x`,
//! and the spelling up to the first `x` tells the counter, so fresh words are
//! distinct from each other and from the vocabulary: the text holds at least
//! `fresh` distinct words, however it is case-folded (fresh words are lowercase
//! unless they start a sentence).
//!
//! Sentences run 4 to 23 words, start with a capital, end with `.`, `?` or `!`,
//! and carry a few commas and possessive `'s`. Lines break near 72 bytes and
//! paragraphs are separated by blank lines. Every whitespace-separated token holds
//! letters, so UAX #29 and `split_whitespace` count the same words.

/// Consonants and vowels of the syllables (no `x`: it marks the end of a fresh word's code).
const CONSONANTS: &[u8] = b"bcdfghjklmnprstvwz";
const VOWELS: &[u8] = b"aeiou";
const SYLLABLES: u64 = (CONSONANTS.len() * VOWELS.len()) as u64;
/// Final consonants of vocabulary words.
const FINALS: &[u8] = b"nrstlm";
const VOCABULARY: usize = 30_000;

/// Text generator; the same seed gives the same text.
pub struct Generator {
    state: u64,
    vocabulary: Vec<Vec<u8>>,
    /// Words written so far.
    pub words: u64,
    /// Fresh (distinct by construction) words written so far.
    pub fresh: u64,
    /// Bytes written so far.
    pub bytes: u64,
    line: usize,
}

impl Generator {
    pub fn new(seed: u64) -> Self {
        let mut g = Generator {
            state: seed,
            vocabulary: Vec::new(),
            words: 0,
            fresh: 0,
            bytes: 0,
            line: 0,
        };
        let mut vocabulary: Vec<Vec<u8>> = (0..VOCABULARY)
            .map(|_| {
                let mut w = Vec::new();
                for _ in 0..1 + g.below(4) {
                    g.syllable(&mut w);
                }
                if g.below(2) == 0 {
                    w.push(FINALS[g.below(FINALS.len() as u64) as usize]);
                }
                w
            })
            .collect();
        // Frequent words short, as in natural languages.
        vocabulary.sort_by_key(Vec::len);
        g.vocabulary = vocabulary;
        g
    }

    /// SplitMix64.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    fn syllable(&mut self, out: &mut Vec<u8>) {
        let s = self.below(SYLLABLES);
        push_syllable(out, s);
    }

    fn word(&mut self, out: &mut Vec<u8>) {
        if self.below(6) == 0 {
            // Bijective base-90 spelling of the counter, then `x`, then a random tail.
            let mut n = self.fresh + 1;
            while n > 0 {
                n -= 1;
                push_syllable(out, n % SYLLABLES);
                n /= SYLLABLES;
            }
            out.push(b'x');
            for _ in 0..self.below(4) {
                self.syllable(out);
            }
            self.fresh += 1;
        } else {
            // Zipf-like: index = V * u^3 favours the (short) first words.
            let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
            let i = ((VOCABULARY as f64) * u * u * u) as usize;
            out.extend_from_slice(&self.vocabulary[i.min(VOCABULARY - 1)]);
            if self.below(50) == 0 {
                out.extend_from_slice(b"'s");
            }
        }
        self.words += 1;
    }

    /// Appends one sentence (and the whitespace after it) to `out`.
    pub fn sentence(&mut self, out: &mut Vec<u8>) {
        let words = 4 + self.below(20);
        for i in 0..words {
            let start = out.len();
            self.word(out);
            if i == 0 {
                out[start] = out[start].to_ascii_uppercase();
            }
            if i + 1 == words {
                out.push(match self.below(10) {
                    0 => b'?',
                    1 => b'!',
                    _ => b'.',
                });
            } else if self.below(12) == 0 {
                out.push(b',');
            }
            self.line += out.len() - start;
            if self.line >= 72 {
                out.push(b'\n');
                self.line = 0;
            } else if i + 1 < words {
                out.push(b' ');
                self.line += 1;
            }
        }
        if self.line == 0 {
            if self.below(5) == 0 {
                out.push(b'\n');
            }
        } else if self.below(5) == 0 {
            out.extend_from_slice(b"\n\n");
            self.line = 0;
        } else {
            out.push(b' ');
            self.line += 1;
        }
    }

    /// Fills `out` (cleared first) with whole sentences up to about `size` bytes.
    pub fn chunk(&mut self, out: &mut Vec<u8>, size: usize) {
        out.clear();
        while out.len() < size {
            self.sentence(out);
        }
        self.bytes += out.len() as u64;
    }
}

fn push_syllable(out: &mut Vec<u8>, s: u64) {
    let s = s as usize;
    out.push(CONSONANTS[s / VOWELS.len()]);
    out.push(VOWELS[s % VOWELS.len()]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn text(seed: u64, size: usize) -> (String, Generator) {
        let mut g = Generator::new(seed);
        let mut out = Vec::new();
        g.chunk(&mut out, size);
        (String::from_utf8(out).unwrap(), g)
    }

    #[test]
    fn deterministic() {
        assert_eq!(text(7, 50_000).0, text(7, 50_000).0);
        assert_ne!(text(7, 50_000).0, text(8, 50_000).0);
    }

    #[test]
    fn counts_words_and_fresh_words() {
        let (t, g) = text(1, 300_000);
        assert_eq!(g.bytes as usize, t.len());
        assert_eq!(g.words as usize, t.split_whitespace().count());
        let distinct: HashSet<String> = t
            .split_whitespace()
            .map(|w| w.trim_end_matches(['.', ',', '?', '!']).to_lowercase())
            .collect();
        let fresh = distinct.iter().filter(|w| w.contains('x')).count();
        assert_eq!(fresh as u64, g.fresh);
        assert!(g.fresh * 8 > g.words, "about one word in six is fresh");
        assert!(t.contains(".\n") || t.contains(". "));
        assert!(t.contains("\n\n"));
        assert!(
            t.split_whitespace()
                .all(|w| w.bytes().any(|b| b.is_ascii_alphabetic()))
        );
    }

    #[test]
    fn fresh_codes_are_injective() {
        let mut seen = HashSet::new();
        for n in 0..200_000u64 {
            let mut w = Vec::new();
            let mut m = n + 1;
            while m > 0 {
                m -= 1;
                push_syllable(&mut w, m % SYLLABLES);
                m /= SYLLABLES;
            }
            assert!(seen.insert(w));
        }
    }
}
