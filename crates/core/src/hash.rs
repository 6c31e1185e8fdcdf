//! A small, stable 64-bit hash for words.
//!
//! Reports must be identical on every platform and every run (native and wasm32 alike),
//! so the hash is fixed: no random seed, no dependence on `usize`. It reads eight bytes
//! at a time, little-endian, and finishes with MurmurHash3's `fmix64`, whose avalanche
//! is what HyperLogLog needs from the top bits.

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// Hashes a key of `len` bytes stored zero-padded to a multiple of eight in
/// `padded`; the same key gives the same value everywhere. The length is mixed in
/// first, so the padding cannot make keys of different lengths collide.
#[inline]
pub(crate) fn hash(padded: &[u8], len: usize) -> u64 {
    debug_assert!(padded.len().is_multiple_of(8) && padded.len() >= len);
    let mut h = (len as u64).wrapping_mul(K);
    for c in padded.chunks_exact(8) {
        h = (h ^ read64(c)).wrapping_mul(K).rotate_left(27);
    }
    fmix64(h)
}

/// Hashes a key of at most 16 bytes given as two little-endian words, zero-padded:
/// the same value as [`hash`] on its bytes.
#[inline(always)]
pub(crate) fn hash16(a: u64, b: u64, len: usize) -> u64 {
    let mut h = (len as u64).wrapping_mul(K);
    h = (h ^ a).wrapping_mul(K).rotate_left(27);
    if len > 8 {
        h = (h ^ b).wrapping_mul(K).rotate_left(27);
    }
    fmix64(h)
}

/// `bytes` zero-padded to a multiple of eight, as [`hash`] and the counters take keys.
#[cfg(test)]
pub(crate) fn padded(bytes: &[u8]) -> Vec<u8> {
    let mut v = bytes.to_vec();
    v.resize(bytes.len().div_ceil(8).max(1) * 8, 0);
    v
}

#[inline(always)]
pub(crate) fn read64(b: &[u8]) -> u64 {
    // One load: the conversion of an 8-byte slice cannot fail.
    u64::from_le_bytes(b[..8].try_into().unwrap_or_default())
}

/// Combines two word hashes into the hash of the ordered pair.
#[inline]
pub(crate) fn pair(a: u64, b: u64) -> u64 {
    fmix64(a.rotate_left(17) ^ b.wrapping_mul(K))
}

/// Hashes a pair of 32-bit ids (the bigram table's keys while they are word ids).
#[inline(always)]
pub(crate) fn ids(key: u64) -> u64 {
    fmix64(key)
}

#[inline]
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_inputs_rarely_collide_and_order_matters() {
        let words = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "aba",
            "abb",
            "abcd",
            "abcde",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
        ];
        let h = |w: &str| hash(&padded(w.as_bytes()), w.len());
        for (i, x) in words.iter().enumerate() {
            for y in &words[i + 1..] {
                assert_ne!(h(x), h(y), "{x:?} vs {y:?}");
            }
            if x.len() <= 16 {
                let p = padded(x.as_bytes());
                let b = if p.len() > 8 { read64(&p[8..]) } else { 0 };
                assert_eq!(hash16(read64(&p), b, x.len()), h(x), "{x:?}");
            }
        }
        assert_ne!(pair(h("a"), h("b")), pair(h("b"), h("a")));
    }

    #[test]
    fn top_bits_are_spread() {
        // HyperLogLog indexes registers with the top 14 bits: sequential words must
        // land in many different registers.
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..4096u32 {
            let w = format!("w{i}");
            seen.insert(hash(&padded(w.as_bytes()), w.len()) >> 50);
        }
        assert!(seen.len() > 3000, "only {} of 4096 buckets hit", seen.len());
    }
}
