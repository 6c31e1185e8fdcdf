//! A small, stable 64-bit hash for words.
//!
//! Reports must be identical on every platform and every run (native and wasm32 alike),
//! so the hash is fixed: no random seed, no dependence on `usize`. It reads eight bytes
//! at a time, little-endian, and finishes with MurmurHash3's `fmix64`, whose avalanche
//! is what HyperLogLog needs from the top bits.

const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// Hashes `bytes`; the same input gives the same value everywhere.
#[inline]
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ v).wrapping_mul(K).rotate_left(27);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(buf)).wrapping_mul(K).rotate_left(27);
    }
    fmix64(h)
}

/// Combines two word hashes into the hash of the ordered pair.
#[inline]
pub(crate) fn pair(a: u64, b: u64) -> u64 {
    fmix64(a.rotate_left(17) ^ b.wrapping_mul(K))
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
        let words = ["", "a", "b", "ab", "ba", "abcdefgh", "abcdefghi", "abcdefgh\0"];
        for (i, x) in words.iter().enumerate() {
            for y in &words[i + 1..] {
                assert_ne!(hash(x.as_bytes()), hash(y.as_bytes()), "{x:?} vs {y:?}");
            }
        }
        assert_ne!(pair(hash(b"a"), hash(b"b")), pair(hash(b"b"), hash(b"a")));
    }

    #[test]
    fn top_bits_are_spread() {
        // HyperLogLog indexes registers with the top 14 bits: sequential words must
        // land in many different registers.
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..4096u32 {
            seen.insert(hash(format!("w{i}").as_bytes()) >> 50);
        }
        assert!(seen.len() > 3000, "only {} of 4096 buckets hit", seen.len());
    }
}
