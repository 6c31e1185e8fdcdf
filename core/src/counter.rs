//! Term counting inside a fixed budget: exact while it fits, then frequent items.
//!
//! Keys live in one byte arena and the table holds indices into an entry vector, so a
//! term costs one entry (24 bytes), a table slot and its bytes, with no allocation per
//! term. While fewer than `capacity` distinct terms have been seen the counts are
//! exact. When a new term would exceed the capacity (or the arena its byte budget), the
//! counter purges the way the frequent-items sketch of Apache DataSketches does: it
//! subtracts the median count from every entry, drops those at or below zero, and adds
//! the median to `offset`. Misra–Gries' argument then bounds every term's true count
//! to `[count, count + offset]`, and any term missing from the table occurred at most
//! `offset` times. Each purge removes at least half the entries, so its O(capacity) cost
//! is paid at most once per capacity/2 new terms.
//!
//! Everything here is a pure function of the sequence of `add` calls, so reports do not
//! depend on how the input was chunked.

use hashbrown::HashTable;

use crate::hll::HyperLogLog;

/// Longest word stored, in bytes; longer words are cut at a character boundary.
pub(crate) const MAX_KEY_BYTES: usize = 128;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub(crate) hash: u64,
    pub(crate) count: u64,
    start: u32,
    len: u16,
    /// A per-term value computed once on insertion (the word counter keeps syllables).
    pub(crate) aux: u16,
}

#[derive(Debug)]
pub(crate) struct Counter {
    table: HashTable<u32>,
    entries: Vec<Entry>,
    arena: Vec<u8>,
    capacity: usize,
    arena_budget: usize,
    max_key: usize,
    offset: u64,
    purges: u32,
    /// Sum of `count * aux` when the first purge happened.
    aux_at_first_purge: u64,
    /// Distinct keys, estimated once counting is no longer exact.
    hll: Option<HyperLogLog>,
}

/// What `add` did with the key.
pub(crate) enum Added {
    /// The key was already counted.
    Existing,
    /// The key is new: `aux` of its entry may be set through `set_aux`.
    New(usize),
}

impl Counter {
    /// A counter for at most `capacity` distinct keys averaging `avg_key_bytes` bytes,
    /// none longer than `max_key` bytes (at most `u16::MAX`).
    pub(crate) fn new(capacity: usize, avg_key_bytes: usize, max_key: usize) -> Self {
        let capacity = capacity.max(2);
        debug_assert!(max_key <= usize::from(u16::MAX));
        Self {
            table: HashTable::new(),
            entries: Vec::new(),
            arena: Vec::new(),
            capacity,
            arena_budget: capacity.saturating_mul(avg_key_bytes),
            max_key,
            offset: 0,
            purges: 0,
            aux_at_first_purge: 0,
            hll: None,
        }
    }

    /// Counts one occurrence of `key`, whose hash is `hash`.
    #[inline]
    pub(crate) fn add(&mut self, hash: u64, key: &str) -> Added {
        let key = truncate(key, self.max_key);
        if let Some(hll) = &mut self.hll {
            hll.insert(hash);
        }
        let (entries, arena) = (&mut self.entries, &self.arena);
        let found = self.table.find(hash, |&i| {
            let e = &entries[i as usize];
            e.hash == hash && &arena[e.start as usize..e.start as usize + e.len as usize] == key.as_bytes()
        });
        if let Some(&i) = found {
            entries[i as usize].count += 1;
            return Added::Existing;
        }
        if self.entries.len() >= self.capacity || self.arena.len() + key.len() > self.arena_budget {
            self.purge();
        }
        let idx = self.entries.len();
        self.reserve_for(key.len());
        // Arena offsets fit in u32: the budget bounds the arena well below 4 GiB.
        let start = self.arena.len() as u32;
        self.arena.extend_from_slice(key.as_bytes());
        self.entries.push(Entry { hash, count: 1, start, len: key.len() as u16, aux: 0 });
        let entries = &self.entries;
        self.table.insert_unique(hash, idx as u32, |&i| entries[i as usize].hash);
        Added::New(idx)
    }

    pub(crate) fn set_aux(&mut self, idx: usize, aux: u16) {
        self.entries[idx].aux = aux;
    }

    /// Grows the vectors geometrically but never past what the budget allows, so a
    /// full counter does not hold twice the memory it uses.
    fn reserve_for(&mut self, key_len: usize) {
        if self.entries.len() == self.entries.capacity() {
            let want = (self.entries.capacity() * 2).max(64).min(self.capacity);
            self.entries.reserve_exact(want - self.entries.len());
        }
        if self.arena.len() + key_len > self.arena.capacity() {
            let want = (self.arena.capacity() * 2)
                .max(1024)
                .min(self.arena_budget + self.max_key)
                .max(self.arena.len() + key_len);
            self.arena.reserve_exact(want - self.arena.len());
        }
    }

    /// Subtracts the median count from all entries and keeps those still positive.
    fn purge(&mut self) {
        if self.purges == 0 {
            self.aux_at_first_purge = self.entries.iter().map(|e| e.count * u64::from(e.aux)).sum();
            let mut hll = HyperLogLog::new();
            for e in &self.entries {
                hll.insert(e.hash);
            }
            self.hll = Some(hll);
        }
        let mut counts: Vec<u64> = self.entries.iter().map(|e| e.count).collect();
        let mid = counts.len() / 2;
        let median = *counts.select_nth_unstable(mid).1;
        drop(counts);
        self.offset += median;
        self.purges += 1;
        let mut arena = Vec::with_capacity(self.arena.capacity());
        let old_arena = core::mem::take(&mut self.arena);
        self.entries.retain_mut(|e| {
            if e.count <= median {
                return false;
            }
            e.count -= median;
            let s = e.start as usize;
            e.start = arena.len() as u32;
            arena.extend_from_slice(&old_arena[s..s + e.len as usize]);
            true
        });
        self.arena = arena;
        self.table.clear();
        let entries = &self.entries;
        for (i, e) in entries.iter().enumerate() {
            self.table.insert_unique(e.hash, i as u32, |&j| entries[j as usize].hash);
        }
    }

    /// True while every count is exact.
    pub(crate) fn is_exact(&self) -> bool {
        self.purges == 0
    }

    /// Every true count lies in `[count, count + offset]`; 0 while exact.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// Distinct keys seen, and whether that number is exact.
    pub(crate) fn distinct(&self) -> (u64, bool) {
        match &self.hll {
            None => (self.entries.len() as u64, true),
            Some(hll) => (hll.estimate(), false),
        }
    }

    /// Sum of `count * aux` over all keys while exact; frozen at the first purge.
    pub(crate) fn aux_total(&self) -> u64 {
        if self.is_exact() {
            self.entries.iter().map(|e| e.count * u64::from(e.aux)).sum()
        } else {
            self.aux_at_first_purge
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn key(&self, e: &Entry) -> &str {
        let bytes = &self.arena[e.start as usize..e.start as usize + e.len as usize];
        // Keys are copied from `&str` and cut at character boundaries.
        core::str::from_utf8(bytes).unwrap_or_default()
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The `k` highest counts whose key passes `keep`, by count descending and then
    /// key ascending (byte order), so ties are reported the same way every time.
    pub(crate) fn top(&self, k: usize, mut keep: impl FnMut(&str) -> bool) -> Vec<(&str, u64)> {
        let mut all: Vec<(&str, u64)> = self
            .entries
            .iter()
            .map(|e| (self.key(e), e.count))
            .filter(|(key, _)| keep(key))
            .collect();
        let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        if all.len() > k {
            all.select_nth_unstable_by(k, order);
            all.truncate(k);
        }
        all.sort_unstable_by(order);
        all
    }
}

/// Cuts `s` to at most `max` bytes at a character boundary.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hash;
    use proptest::prelude::*;

    fn add(c: &mut Counter, w: &str) {
        c.add(hash(w.as_bytes()), w);
    }

    #[test]
    fn exact_while_it_fits() {
        let mut c = Counter::new(4, 8, MAX_KEY_BYTES);
        for w in ["b", "a", "b", "c", "b", "a"] {
            add(&mut c, w);
        }
        assert!(c.is_exact());
        assert_eq!(c.top(10, |_| true), vec![("b", 3), ("a", 2), ("c", 1)]);
        assert_eq!(c.top(1, |_| true), vec![("b", 3)]);
        assert_eq!(c.top(10, |w| w != "b"), vec![("a", 2), ("c", 1)]);
    }

    #[test]
    fn long_keys_are_cut_at_a_char_boundary() {
        let long = "é".repeat(100);
        let cut = truncate(&long, MAX_KEY_BYTES);
        assert!(cut.len() <= MAX_KEY_BYTES && long.starts_with(cut));
        assert_eq!(cut.chars().count(), MAX_KEY_BYTES / 2);
    }

    proptest! {
        /// The frequent-items guarantee: every true count lies in [count, count+offset],
        /// and a term absent from the table occurred at most `offset` times.
        #[test]
        fn bounds_hold_past_capacity(words in proptest::collection::vec(0u32..60, 0..600), cap in 2usize..20) {
            let mut c = Counter::new(cap, 4, MAX_KEY_BYTES);
            let mut truth = std::collections::BTreeMap::new();
            for w in &words {
                let key = format!("w{w}");
                add(&mut c, &key);
                *truth.entry(key).or_insert(0u64) += 1;
            }
            prop_assert!(c.len() <= cap);
            let offset = c.offset();
            let table: std::collections::BTreeMap<&str, u64> = c.top(usize::MAX, |_| true).into_iter().collect();
            for (key, &n) in &truth {
                match table.get(key.as_str()) {
                    Some(&got) => prop_assert!(got <= n && n <= got + offset, "{key}: {got}+{offset} vs {n}"),
                    None => prop_assert!(n <= offset, "{key} missing with {n} > {offset}"),
                }
            }
            if c.is_exact() {
                prop_assert_eq!(table.len(), truth.len());
            }
        }
    }
}
