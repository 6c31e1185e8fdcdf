//! Chunked pushes, replayable: the headline property of every streaming part of wca
//! is that any split of the input gives the same result, so tests push the same
//! bytes in many ways. Besides the fixed plans a test names, each run adds one
//! random plan from a seed; a failing assertion prints the plan, and the
//! environment replays it:
//!
//! - `CHUNK_SIZE=n`: every test pushes in pieces of exactly `n` bytes, and only so;
//! - `CHUNK_SEED=s`: the random plan is the one seed `s` makes.
//!
//! (lol-html's test harness does the same with `CHUNK_SIZE`.)

use std::fmt;

/// How to cut an input: piece sizes used in turn, cycling (0 pushes an empty piece;
/// [`usize::MAX`] pushes the rest at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The sizes, used in turn.
    pub sizes: Vec<usize>,
    /// The seed that made them, for a random plan.
    pub seed: Option<u64>,
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.seed, self.sizes.as_slice()) {
            (Some(seed), _) => write!(f, "chunk plan CHUNK_SEED={seed}"),
            (None, [one]) => write!(f, "chunk plan CHUNK_SIZE={one}"),
            (None, sizes) => write!(f, "chunk plan {sizes:?}"),
        }
    }
}

impl Plan {
    /// A fixed plan.
    pub fn fixed(sizes: &[usize]) -> Plan {
        Plan {
            sizes: sizes.to_vec(),
            seed: None,
        }
    }

    /// The random plan of `seed`: 1 to 16 sizes, mostly small (so that every
    /// boundary is hit often), some empty, some up to 64 KiB.
    pub fn random(seed: u64) -> Plan {
        let mut rng = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
        let n = 1 + rng.below(16);
        let sizes = (0..n)
            .map(|_| match rng.below(10) {
                0 => 0,
                1..=6 => 1 + rng.below(8),
                7 | 8 => 1 + rng.below(512),
                _ => 1 + rng.below(64 << 10),
            })
            .collect();
        Plan {
            sizes,
            seed: Some(seed),
        }
    }

    /// The pieces of `bytes` under this plan.
    pub fn split<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
        split(bytes, &self.sizes)
    }

    /// The pieces of `text` under this plan, each cut moved forward to the next
    /// character boundary.
    pub fn split_str<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        split_str(text, &self.sizes)
    }
}

/// The plans a chunking test runs: only `CHUNK_SIZE` when it is set; else `fixed`,
/// then one random plan (`CHUNK_SEED`, or a fresh seed).
pub fn plans(fixed: &[&[usize]]) -> Vec<Plan> {
    if let Some(size) = env_u64("CHUNK_SIZE") {
        return vec![Plan::fixed(&[usize::try_from(size).unwrap_or(usize::MAX)])];
    }
    let seed = env_u64("CHUNK_SEED").unwrap_or_else(fresh_seed);
    let mut plans: Vec<Plan> = fixed.iter().map(|s| Plan::fixed(s)).collect();
    plans.push(Plan::random(seed));
    plans
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    match value.trim().parse() {
        Ok(v) => Some(v),
        Err(_) => panic!("{name}={value} is not a number"),
    }
}

fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// `bytes` cut into pieces whose sizes cycle through `sizes` (0 gives an empty
/// piece; [`usize::MAX`] the rest at once). Every byte is in exactly one piece.
pub fn split<'a>(bytes: &'a [u8], sizes: &'a [usize]) -> impl Iterator<Item = &'a [u8]> + 'a {
    cuts(bytes.len(), sizes, |_| true).map(move |(a, b)| &bytes[a..b])
}

/// `text` cut as [`split`] cuts bytes, each cut moved forward to the next character
/// boundary.
pub fn split_str<'a>(text: &'a str, sizes: &'a [usize]) -> impl Iterator<Item = &'a str> + 'a {
    cuts(text.len(), sizes, |i| text.is_char_boundary(i)).map(move |(a, b)| &text[a..b])
}

/// The ranges of the pieces of `len` bytes, each end moved forward until
/// `boundary` holds (it holds at `len`).
fn cuts<'a>(
    len: usize,
    sizes: &'a [usize],
    boundary: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut at = 0;
    let mut sizes = sizes.iter().copied().cycle();
    let mut empty_run = 0;
    std::iter::from_fn(move || {
        if at >= len {
            return None;
        }
        let mut size = sizes.next().unwrap_or(usize::MAX);
        // A plan of only zeros would never end: after 16 empty pieces, take a byte.
        if size == 0 {
            empty_run += 1;
            if empty_run > 16 {
                size = 1;
            }
        }
        if size > 0 {
            empty_run = 0;
        }
        let mut end = at.saturating_add(size).min(len);
        while !boundary(end) {
            end += 1;
        }
        let range = (at, end);
        at = end;
        Some(range)
    })
}

/// SplitMix64: small, seeded, good enough to pick chunk sizes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_covers_the_input_exactly() {
        let bytes: Vec<u8> = (0..=255).cycle().take(10_000).collect();
        for seed in 0..200 {
            let plan = Plan::random(seed);
            let joined: Vec<u8> = plan.split(&bytes).flatten().copied().collect();
            assert_eq!(joined, bytes, "{plan}");
        }
        for sizes in [&[0usize][..], &[0, 0, 3], &[1], &[usize::MAX], &[7, 0]] {
            let joined: Vec<u8> = split(&bytes, sizes).flatten().copied().collect();
            assert_eq!(joined, bytes, "{sizes:?}");
        }
    }

    #[test]
    fn text_pieces_are_whole_characters() {
        let text = "añ€😀b".repeat(50);
        for seed in 0..100 {
            let plan = Plan::random(seed);
            let joined: String = plan.split_str(&text).collect();
            assert_eq!(joined, text, "{plan}");
        }
        let pieces: Vec<&str> = split_str("a€b", &[2]).collect();
        assert_eq!(pieces, ["a€", "b"]);
    }
}
