//! Term counting inside a fixed budget: exact while it fits, then frequent items.
//!
//! Entries live inline in the hash table (hash, count, key offset: 24 bytes) and keys
//! in one byte arena, zero-padded to whole 8-byte words so that comparing a short key
//! is one or two integer compares. A lookup costs one cache miss and a new term no
//! allocation.
//! While fewer than `capacity` distinct terms have been seen the counts are exact.
//! When a new term would exceed the capacity (or the arena its byte budget), the
//! counter purges the way the frequent-items sketch of Apache DataSketches does: it
//! subtracts the median count from every entry, drops those at or below zero, and adds
//! the median to `offset`. Misra–Gries' argument then bounds every term's true count
//! to `[count, count + offset]`, and any term missing from the table occurred at most
//! `offset` times. Each purge removes at least half the entries, so its O(capacity) cost
//! is paid at most once per capacity/2 new terms.
//!
//! A word counter may also count the bigrams of the words it counts
//! ([`Counter::with_pairs`]). While no word has been dropped, a pair is the arena
//! offsets of its two words (16 bytes an entry, no text, no copy per occurrence); at
//! the words' first purge, which moves and drops words, or when the pairs reach the
//! point where a text counter would purge, they become a text counter like the words',
//! in the state it would have reached had it counted text from the start.
//!
//! It may count trigrams too ([`Counter::with_triples`]): `a b c`, where `b` made a
//! pair with `a` and `c` with `b`, in a text counter of their own (an opt-in table,
//! so no offsets: it is bounded and approximate exactly as a text counter is).
//!
//! Everything here is a pure function of the sequence of `add` calls, so reports do not
//! depend on how the input was chunked.

use std::collections::BinaryHeap;

use hashbrown::HashTable;

use crate::hash::{self, read64};
use crate::hll::HyperLogLog;

/// Longest word stored, in bytes; longer words are cut at a character boundary.
pub(crate) const MAX_KEY_BYTES: usize = crate::options::MAX_WORD_BYTES;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    hash: u64,
    pub(crate) count: u64,
    start: u32,
    len: u16,
    /// A per-term value computed once on insertion (the word counter keeps syllables).
    aux: u16,
}

#[derive(Debug)]
pub(crate) struct Counter {
    table: HashTable<Entry>,
    arena: Vec<u8>,
    capacity: usize,
    arena_budget: usize,
    max_key: usize,
    offset: u64,
    purges: u32,
    /// Distinct keys, estimated once counting is no longer exact.
    hll: Option<HyperLogLog>,
    /// Keys queued by `queue`, counted by `flush`.
    pending: Vec<Queued>,
    /// Bytes of queued keys that do not fit `Queued::words`.
    pending_text: Vec<u8>,
    /// Computes `aux` for a new key.
    aux_fn: fn(&[u8]) -> u16,
    /// The classes (`aux`) of every occurrence counted, as readability sums them.
    pub(crate) tally: crate::indices::Tally,
    /// The bigrams of the keys counted, if asked for.
    pairs: Option<Pairs>,
    /// The key counted last, the first word of the next pair.
    prev: Prev,
    /// Pairs of offsets of this batch, counted by `drain_pairs`.
    pair_pending: Vec<PendingPair>,
    /// The trigrams of the keys counted, if asked for: a text counter of `a b c`.
    triples: Option<Box<Counter>>,
    /// The key counted before `prev`, while trigrams are counted.
    prev2: Prev,
    /// Whether `prev` made a pair with `prev2`.
    prev_paired: bool,
    /// Trigrams of this batch, `(hash, end in triple_text)`, counted by
    /// `drain_triples` back to back as the words are.
    triple_pending: Vec<(u64, u32)>,
    /// Their text, one after the other.
    triple_text: Vec<u8>,
}

/// A pair of words by their offsets, waiting for its lookup.
#[derive(Debug, Clone, Copy)]
struct PendingPair {
    ids: u64,
    /// The hash of the pair's text (see `Counter::add_text`).
    hash: u64,
    lens: [u16; 2],
}

/// The bigrams of a word counter's words; see the module's documentation.
#[derive(Debug)]
enum Pairs {
    Ids(IdPairs),
    Text(Box<Counter>),
}

/// Pairs of words as the arena offsets of the two (first in the high half), with
/// their counts. Offsets identify words as long as the words counter has not purged.
#[derive(Debug)]
struct IdPairs {
    table: HashTable<(u64, u64)>,
    /// The arena bytes the same pairs would take as text keys.
    bytes: usize,
    /// The text counter the pairs become: its settings decide when that happens.
    capacity: usize,
    avg_key_bytes: usize,
    max_key: usize,
}

impl IdPairs {
    fn budget(&self) -> usize {
        self.capacity.saturating_mul(self.avg_key_bytes)
    }
}

/// The last key counted: its hash, arena offset and padded bytes.
#[derive(Debug)]
struct Prev {
    hash: u64,
    start: u32,
    len: usize,
    key: [u8; PADDED_MAX],
}

impl Prev {
    const EMPTY: Self = Self {
        hash: 0,
        start: 0,
        len: 0,
        key: [0; PADDED_MAX],
    };
}

const PADDED_MAX: usize = MAX_KEY_BYTES.div_ceil(8) * 8;

/// Keys counted together; see [`Counter::queue`].
pub(crate) const BATCH: usize = 256;

/// A queued key. Keys of up to 16 bytes travel inline as zero-padded little-endian
/// words; longer ones in `pending_text`.
#[derive(Debug, Clone, Copy)]
struct Queued {
    hash: u64,
    words: [u64; 2],
    len: u16,
    /// Whether the key makes a pair with the key queued before it.
    paired: bool,
    /// Offset in `pending_text`, or `INLINE`.
    text: u32,
}

const INLINE: u32 = u32::MAX;

impl Counter {
    /// A counter for at most `capacity` distinct keys averaging `avg_key_bytes` bytes,
    /// none longer than `max_key` bytes (at most `u16::MAX`). `aux_fn` gives the value
    /// kept with each key and tallied over occurrences in `tally` (see `indices::word_class`).
    pub(crate) fn new(
        capacity: usize,
        avg_key_bytes: usize,
        max_key: usize,
        aux_fn: fn(&[u8]) -> u16,
    ) -> Self {
        let capacity = capacity.max(2);
        debug_assert!(max_key <= usize::from(u16::MAX));
        Self {
            table: HashTable::new(),
            arena: Vec::new(),
            capacity,
            arena_budget: capacity.saturating_mul(avg_key_bytes),
            max_key,
            offset: 0,
            purges: 0,
            hll: None,
            pending: Vec::new(),
            pending_text: Vec::new(),
            aux_fn,
            tally: crate::indices::Tally::default(),
            pairs: None,
            prev: Prev::EMPTY,
            pair_pending: Vec::new(),
            triples: None,
            prev2: Prev::EMPTY,
            prev_paired: false,
            triple_pending: Vec::new(),
            triple_text: Vec::new(),
        }
    }

    /// Also counts the bigrams of the keys queued with `paired`, as a text counter
    /// `Counter::new(capacity, avg_key_bytes, max_key, _)` of `a b` would.
    pub(crate) fn with_pairs(
        mut self,
        capacity: usize,
        avg_key_bytes: usize,
        max_key: usize,
    ) -> Self {
        debug_assert!(self.max_key <= MAX_KEY_BYTES && 2 * self.max_key < max_key);
        self.pairs = Some(Pairs::Ids(IdPairs {
            table: HashTable::new(),
            bytes: 0,
            capacity: capacity.max(2),
            avg_key_bytes,
            max_key,
        }));
        self
    }

    /// Also counts the trigrams `a b c` of the keys queued with `paired` (`b` with
    /// `a`, `c` with `b`), in a text counter `Counter::new(capacity, avg_key_bytes,
    /// max_key, _)`.
    pub(crate) fn with_triples(
        mut self,
        capacity: usize,
        avg_key_bytes: usize,
        max_key: usize,
    ) -> Self {
        debug_assert!(3 * self.max_key + 2 <= max_key);
        self.triples = Some(Box::new(Counter::new(
            capacity,
            avg_key_bytes,
            max_key,
            |_| 0,
        )));
        self
    }

    /// Queues one occurrence of the `len`-byte key stored zero-padded in `padded` (at
    /// most `max_key` bytes), whose hash is `hash`; `paired` if it makes a bigram with
    /// the key queued before it (see [`with_pairs`](Self::with_pairs)).
    ///
    /// Keys are counted [`BATCH`] at a time, in order, so the result is the same as
    /// counting each at once. The tables outgrow the CPU caches, and back-to-back
    /// lookups let the processor overlap their cache misses where one lookup per word
    /// stalled on each (more than half of the analysis time before). Call
    /// [`flush`](Self::flush) before reading counts.
    #[inline]
    pub(crate) fn queue(&mut self, hash: u64, padded: &[u8], len: usize, paired: bool) {
        debug_assert!(len <= self.max_key && padded.len() == padded_len(len));
        let mut q = Queued {
            hash,
            words: [0; 2],
            len: len as u16,
            paired,
            text: INLINE,
        };
        if len <= 16 {
            q.words[0] = read64(padded);
            if len > 8 {
                q.words[1] = read64(&padded[8..]);
            }
        } else {
            q.text = self.pending_text.len() as u32;
            self.pending_text.extend_from_slice(padded);
        }
        self.push(q);
    }

    #[inline]
    fn push(&mut self, q: Queued) {
        self.pending.push(q);
        if self.pending.len() >= BATCH {
            self.flush();
        }
    }

    /// Counts the queued keys, in order.
    pub(crate) fn flush(&mut self) {
        let mut pending = core::mem::take(&mut self.pending);
        let mut text = core::mem::take(&mut self.pending_text);
        for q in &pending {
            let mut inline = [0u8; 16];
            let len = usize::from(q.len);
            let padded = if q.text == INLINE {
                inline[..8].copy_from_slice(&q.words[0].to_le_bytes());
                inline[8..].copy_from_slice(&q.words[1].to_le_bytes());
                &inline[..padded_len(len)]
            } else {
                &text[q.text as usize..q.text as usize + padded_len(len)]
            };
            let (class, start) = self.add(q.hash, padded, len);
            self.tally.add(class);
            if self.pairs.is_some() || self.triples.is_some() {
                if q.paired {
                    self.add_pair(q.hash, start, padded, len);
                    if self.prev_paired {
                        self.add_triple(q.hash, padded, len);
                    }
                }
                if self.triples.is_some() {
                    core::mem::swap(&mut self.prev, &mut self.prev2);
                    self.prev_paired = q.paired;
                }
                let plen = padded.len();
                self.prev.hash = q.hash;
                self.prev.start = start;
                self.prev.len = len;
                self.prev.key[..plen].copy_from_slice(padded);
            }
        }
        self.drain_pairs();
        self.drain_triples();
        pending.clear();
        text.clear();
        self.pending = pending;
        self.pending_text = text;
    }

    /// Counts the pair of the previous key and this one, which is at `start`: by
    /// offsets, after the batch's words (see [`drain_pairs`](Self::drain_pairs)), or
    /// as text now.
    #[inline]
    fn add_pair(&mut self, hash: u64, start: u32, padded: &[u8], len: usize) {
        let prev = &self.prev;
        match &mut self.pairs {
            Some(Pairs::Ids(_)) => self.pair_pending.push(PendingPair {
                ids: (u64::from(prev.start) << 32) | u64::from(start),
                hash: hash::pair(prev.hash, hash),
                lens: [prev.len as u16, len as u16],
            }),
            Some(Pairs::Text(pairs)) => {
                let mut key = [0u8; 2 * PADDED_MAX + 8];
                key[..prev.len].copy_from_slice(&prev.key[..prev.len]);
                key[prev.len] = b' ';
                key[prev.len + 1..prev.len + 1 + len].copy_from_slice(&padded[..len]);
                pairs.add_text(hash::pair(prev.hash, hash), &key[..prev.len + 1 + len]);
            }
            None => {}
        }
    }

    /// Queues the trigram of the two previous keys and this one, counted as text by
    /// [`drain_triples`](Self::drain_triples) at the end of the batch.
    fn add_triple(&mut self, hash: u64, padded: &[u8], len: usize) {
        let (a, b, text) = (&self.prev2, &self.prev, &mut self.triple_text);
        text.extend_from_slice(&a.key[..a.len]);
        text.push(b' ');
        text.extend_from_slice(&b.key[..b.len]);
        text.push(b' ');
        text.extend_from_slice(&padded[..len]);
        self.triple_pending.push((
            hash::pair(hash::pair(a.hash, b.hash), hash),
            text.len() as u32,
        ));
    }

    /// Counts the queued trigrams, in order: their lookups run back to back, so that
    /// their cache misses overlap.
    fn drain_triples(&mut self) {
        if let Some(triples) = &mut self.triples {
            let mut start = 0;
            for &(hash, end) in &self.triple_pending {
                let end = end as usize;
                triples.add_text(hash, &self.triple_text[start..end]);
                start = end;
            }
        }
        self.triple_pending.clear();
        self.triple_text.clear();
    }

    /// Counts the pairs of offsets waiting, in order. They wait for the end of a
    /// batch so that their lookups, which need the words' offsets, run back to back
    /// and overlap their cache misses as the words' do; and they are counted before
    /// the words purge, while the offsets still name words.
    fn drain_pairs(&mut self) {
        let mut pending = core::mem::take(&mut self.pair_pending);
        for p in &pending {
            if let Some(Pairs::Ids(ids)) = &mut self.pairs {
                let h = hash::ids(p.ids);
                if let Some(e) = ids.table.find_mut(h, |e| e.0 == p.ids) {
                    e.1 += 1;
                    continue;
                }
                let [la, lb] = p.lens.map(usize::from);
                let plen = padded_len(la + 1 + lb);
                if ids.table.len() < ids.capacity && ids.bytes + plen <= ids.budget() {
                    ids.table.insert_unique(h, (p.ids, 1), |e| hash::ids(e.0));
                    ids.bytes += plen;
                    continue;
                }
                // A text counter would purge now: become one, and let it.
                self.pairs_to_text();
            }
            if let Some(Pairs::Text(pairs)) = &mut self.pairs {
                let [la, lb] = p.lens.map(usize::from);
                let (a, b) = ((p.ids >> 32) as usize, p.ids as u32 as usize);
                let mut key = [0u8; 2 * PADDED_MAX + 8];
                key[..la].copy_from_slice(&self.arena[a..a + la]);
                key[la] = b' ';
                key[la + 1..la + 1 + lb].copy_from_slice(&self.arena[b..b + lb]);
                pairs.add_text(p.hash, &key[..la + 1 + lb]);
            }
        }
        pending.clear();
        self.pair_pending = pending;
    }

    /// Counts one occurrence of the unpadded `key`, identified by `hash` alone: pair
    /// hashes combine two 64-bit word hashes, so two different pairs collide with
    /// probability about n²/2⁶⁵ for n distinct pairs (10⁻⁸ at a million), a risk taken
    /// for not comparing text on every pair.
    fn add_text(&mut self, hash: u64, key: &[u8]) {
        let key = &key[..key.len().min(self.max_key)];
        self.add_with(
            hash,
            key.len(),
            |_| true,
            |arena| {
                let at = arena.len();
                arena.extend_from_slice(key);
                arena.resize(at + padded_len(key.len()), 0);
                0
            },
        );
    }

    /// The text counter the id pairs stand for: the same keys (`a b`), hashes and
    /// counts, in this counter's words.
    fn ids_to_text(&self, ids: &IdPairs) -> Counter {
        let offsets = self.offsets();
        let word = |start: u32| self.word_at(&offsets, start);
        let mut text = Counter::new(ids.capacity, ids.avg_key_bytes, ids.max_key, |_| 0);
        let mut key = Vec::with_capacity(2 * PADDED_MAX + 8);
        for &(ids, count) in ids.table.iter() {
            let (ha, a) = word((ids >> 32) as u32);
            let (hb, b) = word(ids as u32);
            key.clear();
            key.extend_from_slice(a);
            key.push(b' ');
            key.extend_from_slice(b);
            text.insert_new(hash::pair(ha, hb), &key, count);
        }
        text
    }

    /// The words by arena offset, to read pairs of offsets with
    /// [`word_at`](Self::word_at): (offset, hash, length), sorted.
    fn offsets(&self) -> Vec<(u32, u64, u16)> {
        let mut words: Vec<(u32, u64, u16)> = self
            .table
            .iter()
            .map(|e| (e.start, e.hash, e.len))
            .collect();
        words.sort_unstable_by_key(|w| w.0);
        words
    }

    /// The hash and bytes of the word at arena offset `start`.
    fn word_at(&self, offsets: &[(u32, u64, u16)], start: u32) -> (u64, &[u8]) {
        let i = offsets.binary_search_by_key(&start, |w| w.0).unwrap_or(0);
        let (start, hash, len) = offsets[i];
        (
            hash,
            &self.arena[start as usize..start as usize + usize::from(len)],
        )
    }

    /// Inserts a key not in the table, with its count, where it fits without a purge.
    fn insert_new(&mut self, hash: u64, key: &[u8], count: u64) {
        let plen = padded_len(key.len());
        self.reserve_arena(plen);
        let start = self.arena.len();
        self.arena.extend_from_slice(key);
        self.arena.resize(start + plen, 0);
        let entry = Entry {
            hash,
            count,
            start: start as u32,
            len: key.len() as u16,
            aux: 0,
        };
        self.table.insert_unique(hash, entry, |e| e.hash);
    }

    /// Turns id pairs into text ones: before the words move.
    fn pairs_to_text(&mut self) {
        if let Some(Pairs::Ids(ids)) = &self.pairs {
            let text = self.ids_to_text(ids);
            self.pairs = Some(Pairs::Text(Box::new(text)));
        }
    }

    /// Counts one occurrence of a padded key now; returns its `aux` and its offset in
    /// the arena.
    #[inline]
    fn add(&mut self, hash: u64, padded: &[u8], len: usize) -> (u16, u32) {
        let aux_fn = self.aux_fn;
        self.add_with(
            hash,
            len,
            |stored| padded_eq(stored, padded),
            |arena| {
                arena.extend_from_slice(padded);
                aux_fn(&padded[..len])
            },
        )
    }

    /// Returns the key's `aux` and arena offset. `eq` gets a stored key with its
    /// padding; `write` appends the new key with its padding and returns its `aux`.
    #[inline(always)]
    fn add_with(
        &mut self,
        hash: u64,
        len: usize,
        eq: impl Fn(&[u8]) -> bool,
        write: impl FnOnce(&mut Vec<u8>) -> u16,
    ) -> (u16, u32) {
        let arena = &self.arena;
        if let Some(e) = self.table.find_mut(hash, |e| {
            e.hash == hash
                && usize::from(e.len) == len
                && eq(&arena[e.start as usize..e.start as usize + padded_len(len)])
        }) {
            e.count += 1;
            return (e.aux, e.start);
        }
        let plen = padded_len(len);
        if self.table.len() >= self.capacity || self.arena.len() + plen > self.arena_budget {
            self.purge();
        }
        // Only new keys need the sketch (those in the table are in it already), and only
        // after the purge: the first one builds it from the table, which does not hold
        // this key yet.
        if let Some(hll) = &mut self.hll {
            hll.insert(hash);
        }
        self.reserve_arena(plen);
        // Arena offsets fit in u32: the budget bounds the arena well below 4 GiB.
        let start = self.arena.len();
        let aux = write(&mut self.arena);
        debug_assert_eq!(self.arena.len(), start + plen);
        let entry = Entry {
            hash,
            count: 1,
            start: start as u32,
            len: len as u16,
            aux,
        };
        self.table.insert_unique(hash, entry, |e| e.hash);
        (aux, start as u32)
    }

    /// Grows the arena geometrically but never past its budget, so a full counter
    /// does not hold twice the memory it uses.
    fn reserve_arena(&mut self, key_len: usize) {
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
        // Nothing to drop: a first key longer than the whole byte budget.
        if self.table.is_empty() {
            return;
        }
        // Words move and go: pairs of their offsets would lose their meaning.
        self.drain_pairs();
        self.pairs_to_text();
        if self.purges == 0 {
            let mut hll = HyperLogLog::new();
            for e in &self.table {
                hll.insert(e.hash);
            }
            self.hll = Some(hll);
        }
        let mut counts: Vec<u64> = self.table.iter().map(|e| e.count).collect();
        let mid = counts.len() / 2;
        let median = *counts.select_nth_unstable(mid).1;
        drop(counts);
        self.offset += median;
        self.purges += 1;
        // Rebuild rather than `retain`: erasing in place leaves tombstones that make
        // the table grow past its budget, and a fresh arena would double the memory.
        // The survivors are re-inserted into the emptied table (same allocation) and
        // their keys slid down the arena in place, in offset order.
        let mut kept: Vec<Entry> = self.table.drain().filter(|e| e.count > median).collect();
        kept.sort_unstable_by_key(|e| e.start);
        let mut at = 0usize;
        for e in &mut kept {
            let len = padded_len(usize::from(e.len));
            self.arena
                .copy_within(e.start as usize..e.start as usize + len, at);
            e.start = at as u32;
            e.count -= median;
            at += len;
        }
        self.arena.truncate(at);
        for e in kept {
            self.table.insert_unique(e.hash, e, |e| e.hash);
        }
    }

    /// Adds the counts of `other`, a counter with the same settings, as if its keys
    /// had been counted here; only while both are exact, and only if the union fits
    /// where this counter would not have purged. False (and this counter spoiled)
    /// otherwise.
    pub(crate) fn merge_exact(&mut self, other: &Counter) -> bool {
        if !self.is_exact() || !other.is_exact() {
            return false;
        }
        debug_assert!(self.pending.is_empty() && other.pending.is_empty());
        let triples = match (&mut self.triples, &other.triples) {
            (None, None) => true,
            (Some(mine), Some(theirs)) => mine.merge_exact(theirs),
            _ => false,
        };
        if !triples {
            return false;
        }
        self.tally.merge(&other.tally);
        // Where each of the other counter's words is here: its pairs of offsets
        // become pairs of these offsets.
        let mut moved: Vec<(u32, u32, u16)> = Vec::new();
        for e in other.table.iter() {
            let len = usize::from(e.len);
            let plen = padded_len(len);
            let key = &other.arena[e.start as usize..e.start as usize + plen];
            let arena = &self.arena;
            if let Some(mine) = self.table.find_mut(e.hash, |m| {
                m.hash == e.hash
                    && m.len == e.len
                    && padded_eq(&arena[m.start as usize..m.start as usize + plen], key)
            }) {
                mine.count += e.count;
                moved.push((e.start, mine.start, e.len));
                continue;
            }
            if self.table.len() >= self.capacity || self.arena.len() + plen > self.arena_budget {
                return false;
            }
            self.reserve_arena(plen);
            let start = self.arena.len() as u32;
            self.arena.extend_from_slice(key);
            self.table
                .insert_unique(e.hash, Entry { start, ..*e }, |e| e.hash);
            moved.push((e.start, start, e.len));
        }
        match (&mut self.pairs, &other.pairs) {
            (None, None) => true,
            (Some(Pairs::Ids(mine)), Some(Pairs::Ids(theirs))) => {
                moved.sort_unstable_by_key(|m| m.0);
                let here = |start: u32| {
                    let i = moved.binary_search_by_key(&start, |m| m.0).unwrap_or(0);
                    (moved[i].1, usize::from(moved[i].2))
                };
                let budget = mine.budget();
                for &(ids, count) in theirs.table.iter() {
                    let ((a, la), (b, lb)) = (here((ids >> 32) as u32), here(ids as u32));
                    let key = (u64::from(a) << 32) | u64::from(b);
                    let h = hash::ids(key);
                    if let Some(e) = mine.table.find_mut(h, |e| e.0 == key) {
                        e.1 += count;
                        continue;
                    }
                    // Where a text counter of the pairs would refuse the union.
                    let plen = padded_len(la + 1 + lb);
                    if mine.table.len() >= mine.capacity || mine.bytes + plen > budget {
                        return false;
                    }
                    mine.table
                        .insert_unique(h, (key, count), |e| hash::ids(e.0));
                    mine.bytes += plen;
                }
                true
            }
            (Some(_), Some(_)) => {
                // One side counts pairs as text already: merge as text. This
                // counter's offsets still name its words (merging only added some).
                self.pairs_to_text();
                let theirs;
                let their_pairs = match &other.pairs {
                    Some(Pairs::Ids(ids)) => {
                        theirs = other.ids_to_text(ids);
                        &theirs
                    }
                    Some(Pairs::Text(c)) => &**c,
                    None => return false,
                };
                match &mut self.pairs {
                    Some(Pairs::Text(mine)) => mine.merge_exact(their_pairs),
                    _ => false,
                }
            }
            _ => false,
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
            None => (self.table.len() as u64, true),
            Some(hll) => (hll.estimate(), false),
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    fn key(&self, e: &Entry) -> &str {
        let bytes = &self.arena[e.start as usize..e.start as usize + e.len as usize];
        // Keys are copied from `&str` and cut at character boundaries.
        core::str::from_utf8(bytes).unwrap_or_default()
    }

    /// Every key with its count, in no particular order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, u64)> {
        self.table.iter().map(|e| (self.key(e), e.count))
    }

    /// Entries counted exactly once.
    pub(crate) fn singletons(&self) -> u64 {
        self.table.iter().filter(|e| e.count == 1).count() as u64
    }

    /// The `k` highest counts whose key passes `keep`, ranked by [`best_k`].
    pub(crate) fn top(&self, k: usize, mut keep: impl FnMut(&str) -> bool) -> Vec<(&str, u64)> {
        best_k(
            k,
            self.table.iter(),
            |e| e.count,
            |e| self.key(e),
            |t: &&str| keep(t),
        )
    }

    /// The bigram counts as a text counter reports them: whether exact, the offset,
    /// and the distinct pairs (see [`with_pairs`](Self::with_pairs)).
    pub(crate) fn pair_stats(&self) -> (bool, u64, u64) {
        match &self.pairs {
            None => (true, 0, 0),
            Some(Pairs::Ids(ids)) => (true, 0, ids.table.len() as u64),
            Some(Pairs::Text(c)) => (c.is_exact(), c.offset(), c.distinct().0),
        }
    }

    /// The trigram counts as [`pair_stats`](Self::pair_stats) gives the bigrams'.
    pub(crate) fn triple_stats(&self) -> (bool, u64, u64) {
        self.triples
            .as_ref()
            .map_or((true, 0, 0), |c| (c.is_exact(), c.offset(), c.distinct().0))
    }

    /// The `k` most frequent trigrams `a b c` that pass `keep`, ranked as
    /// [`top`](Self::top) ranks keys.
    pub(crate) fn triple_top(
        &self,
        k: usize,
        keep: impl FnMut(&str) -> bool,
    ) -> Vec<(String, u64)> {
        self.triples
            .as_ref()
            .map_or_else(Vec::new, |c| c.top_owned(k, keep))
    }

    /// [`top`](Self::top) with owned keys, as the phrase tables give them.
    fn top_owned(&self, k: usize, keep: impl FnMut(&str) -> bool) -> Vec<(String, u64)> {
        self.top(k, keep)
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect()
    }

    /// The `k` most frequent bigrams `a b` that pass `keep`, ranked as [`top`](Self::top)
    /// ranks keys.
    pub(crate) fn pair_top(
        &self,
        k: usize,
        mut keep: impl FnMut(&str) -> bool,
    ) -> Vec<(String, u64)> {
        let ids = match &self.pairs {
            None => return Vec::new(),
            Some(Pairs::Text(c)) => return c.top_owned(k, keep),
            Some(Pairs::Ids(ids)) => ids,
        };
        let offsets = self.offsets();
        let word =
            |start: u32| core::str::from_utf8(self.word_at(&offsets, start).1).unwrap_or_default();
        best_k(
            k,
            ids.table.iter(),
            |e| e.1,
            |e| format!("{} {}", word((e.0 >> 32) as u32), word(e.0 as u32)),
            |t: &String| keep(t),
        )
    }
}

/// The `k` items with the highest counts whose key passes `keep`, by count
/// descending and then key ascending (byte order), so ties are reported the same
/// way every time.
///
/// One pass with a heap of the best `k` so far: a report of a large table needs
/// memory for `k` entries, not for all of them; a key is made only for an item whose
/// count may enter the heap.
fn best_k<T, K: Ord>(
    k: usize,
    items: impl ExactSizeIterator<Item = T>,
    count: impl Fn(&T) -> u64,
    key: impl Fn(&T) -> K,
    mut keep: impl FnMut(&K) -> bool,
) -> Vec<(K, u64)> {
    if k == 0 {
        return Vec::new();
    }
    // Ordered so that the heap's greatest is the worst of those kept.
    let mut best: BinaryHeap<Ranked<K>> = BinaryHeap::with_capacity(k.min(items.len()));
    for item in items {
        let n = count(&item);
        if best.len() == k && best.peek().is_some_and(|worst| n < worst.1) {
            continue;
        }
        let r = Ranked(key(&item), n);
        if best.len() == k && best.peek().is_some_and(|worst| r >= *worst) {
            continue;
        }
        if !keep(&r.0) {
            continue;
        }
        if best.len() == k {
            best.pop();
        }
        best.push(r);
    }
    best.into_sorted_vec()
        .into_iter()
        .map(|r| (r.0, r.1))
        .collect()
}

/// A key and its count, ordered best first: higher count, then lower key.
#[derive(PartialEq, Eq)]
struct Ranked<K>(K, u64);

impl<K: Ord> Ord for Ranked<K> {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        other.1.cmp(&self.1).then_with(|| self.0.cmp(&other.0))
    }
}

impl<K: Ord> PartialOrd for Ranked<K> {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Bytes a key of `len` bytes takes in the arena.
#[inline(always)]
fn padded_len(len: usize) -> usize {
    len.div_ceil(8).max(1) * 8
}

/// Equality of two padded keys of the same length, without a call into libc's
/// `memcmp`: keys are short, and the call overhead showed in profiles.
#[inline(always)]
fn padded_eq(a: &[u8], b: &[u8]) -> bool {
    match a.len() {
        8 => read64(a) == read64(b),
        16 => read64(a) == read64(b) && read64(&a[8..]) == read64(&b[8..]),
        _ => a == b,
    }
}

/// Cuts UTF-8 `s` to at most `max` bytes at a character boundary.
pub(crate) fn truncate(s: &[u8], max: usize) -> &[u8] {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    // A character starts at any byte that is not a continuation byte (10xxxxxx).
    while end > 0 && (s[end] as i8) < -0x40 {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{hash, padded};
    use proptest::prelude::*;

    fn add(c: &mut Counter, w: &str) {
        let p = padded(w.as_bytes());
        c.queue(hash(&p, w.len()), &p, w.len(), false);
        c.flush();
    }

    #[test]
    fn exact_while_it_fits() {
        let mut c = Counter::new(4, 8, MAX_KEY_BYTES, |_| 0);
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
        let cut = std::str::from_utf8(truncate(long.as_bytes(), MAX_KEY_BYTES)).unwrap();
        assert!(cut.len() <= MAX_KEY_BYTES && long.starts_with(cut));
        assert_eq!(cut.chars().count(), MAX_KEY_BYTES / 2);
    }

    proptest! {
        /// The frequent-items guarantee: every true count lies in [count, count+offset],
        /// and a term absent from the table occurred at most `offset` times.
        #[test]
        fn bounds_hold_past_capacity(words in proptest::collection::vec(0u32..60, 0..600), cap in 2usize..20) {
            let mut c = Counter::new(cap, 4, MAX_KEY_BYTES, |_| 0);
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

        /// Bigrams counted by word offsets, whenever they turn into text (the words'
        /// purge, the pairs' capacity or byte budget), report what a text counter of
        /// the pairs reports: the same counts, bounds and ranking.
        #[test]
        fn pairs_by_offset_are_a_text_counter_of_pairs(
            words in proptest::collection::vec((0u32..40, proptest::bool::ANY), 0..400),
            cap in 2usize..40,
            pair_cap in 2usize..80,
            pair_avg in 2usize..16,
        ) {
            let mut c = Counter::new(cap, 4, MAX_KEY_BYTES, |_| 0)
                .with_pairs(pair_cap, pair_avg, 2 * MAX_KEY_BYTES + 1);
            let mut text = Counter::new(pair_cap, pair_avg, 2 * MAX_KEY_BYTES + 1, |_| 0);
            let mut prev: Option<(u64, String)> = None;
            for (w, paired) in &words {
                // Some long words, stored out of line.
                let key = if w % 7 == 0 { format!("word-{w}-{}", "x".repeat(20)) } else { format!("w{w}") };
                let p = padded(key.as_bytes());
                let h = hash(&p, key.len());
                let paired = *paired && prev.is_some();
                c.queue(h, &p, key.len(), paired);
                if paired && let Some((ph, pk)) = &prev {
                    text.add_text(crate::hash::pair(*ph, h), format!("{pk} {key}").as_bytes());
                }
                prev = Some((h, key));
            }
            c.flush();
            prop_assert_eq!(c.pair_stats(), (text.is_exact(), text.offset(), text.distinct().0));
            let want: Vec<(String, u64)> = text.top(usize::MAX, |_| true).into_iter().map(|(t, n)| (t.to_string(), n)).collect();
            prop_assert_eq!(c.pair_top(usize::MAX, |_| true), want);
            let want: Vec<(String, u64)> = text.top(3, |t| !t.starts_with("w1")).into_iter().map(|(t, n)| (t.to_string(), n)).collect();
            prop_assert_eq!(c.pair_top(3, |t| !t.starts_with("w1")), want);
        }

        /// Two exact counters merged count the pairs of both, as one counter of the
        /// two inputs (the second starting without a pair) does.
        #[test]
        fn pairs_merge_as_one_counter_counts(
            a in proptest::collection::vec(0u32..30, 0..200),
            b in proptest::collection::vec(0u32..30, 0..200),
        ) {
            let count = |c: &mut Counter, words: &[u32]| {
                for (i, w) in words.iter().enumerate() {
                    let key = format!("w{w}");
                    let p = padded(key.as_bytes());
                    c.queue(hash(&p, key.len()), &p, key.len(), i > 0);
                }
                c.flush();
            };
            let new = || Counter::new(64, 4, MAX_KEY_BYTES, |_| 0)
                .with_pairs(1024, 16, 2 * MAX_KEY_BYTES + 1)
                .with_triples(1024, 16, 3 * MAX_KEY_BYTES + 2);
            let (mut x, mut y, mut whole) = (new(), new(), new());
            count(&mut x, &a);
            count(&mut y, &b);
            count(&mut whole, &a);
            count(&mut whole, &b);
            prop_assert!(x.merge_exact(&y));
            prop_assert_eq!(x.pair_stats(), whole.pair_stats());
            prop_assert_eq!(x.pair_top(usize::MAX, |_| true), whole.pair_top(usize::MAX, |_| true));
            prop_assert_eq!(x.triple_stats(), whole.triple_stats());
            prop_assert_eq!(x.triple_top(usize::MAX, |_| true), whole.triple_top(usize::MAX, |_| true));
        }

        /// Trigrams are the runs of three words joined by pairs, counted exactly while
        /// they fit and within the frequent-items bounds past that, whether bigrams are
        /// counted or not and however the words' own table purges.
        #[test]
        fn triples_are_runs_of_three_paired_words(
            words in proptest::collection::vec((0u32..8, proptest::bool::weighted(0.8)), 0..400),
            cap in 2usize..20,
            triple_cap in 2usize..60,
            bigrams in proptest::bool::ANY,
        ) {
            let c = Counter::new(cap, 4, MAX_KEY_BYTES, |_| 0);
            let c = if bigrams { c.with_pairs(2 * cap, 8, 2 * MAX_KEY_BYTES + 1) } else { c };
            let mut c = c.with_triples(triple_cap, 12, 3 * MAX_KEY_BYTES + 2);
            let mut truth = std::collections::BTreeMap::<String, u64>::new();
            let mut run: Vec<String> = Vec::new();
            for (w, paired) in &words {
                let key = if w % 5 == 0 { format!("word-{w}-{}", "y".repeat(20)) } else { format!("w{w}") };
                let p = padded(key.as_bytes());
                let paired = *paired && !run.is_empty();
                c.queue(hash(&p, key.len()), &p, key.len(), paired);
                if !paired {
                    run.clear();
                }
                run.push(key);
                if let [.., a, b, k] = run.as_slice() {
                    *truth.entry(format!("{a} {b} {k}")).or_default() += 1;
                }
            }
            c.flush();
            let (exact, offset, distinct) = c.triple_stats();
            let table: std::collections::BTreeMap<String, u64> = c.triple_top(usize::MAX, |_| true).into_iter().collect();
            for (key, &n) in &truth {
                match table.get(key) {
                    Some(&got) => prop_assert!(got <= n && n <= got + offset, "{key}: {got}+{offset} vs {n}"),
                    None => prop_assert!(n <= offset, "{key} missing with {n} > {offset}"),
                }
            }
            prop_assert!(table.len() <= triple_cap);
            if exact {
                prop_assert_eq!(&table, &truth);
                prop_assert_eq!(distinct, truth.len() as u64);
            }
        }

        /// `top` is the first `k` of every kept entry sorted by count descending,
        /// then key ascending: ties included.
        #[test]
        fn top_is_a_prefix_of_the_full_ranking(words in proptest::collection::vec(0u32..40, 0..300), k in 0usize..50, drop in 0u32..5) {
            let mut c = Counter::new(64, 4, MAX_KEY_BYTES, |_| 0);
            for w in &words {
                add(&mut c, &format!("w{w}"));
            }
            let keep = |w: &str| !w.ends_with(&drop.to_string());
            let mut all: Vec<(&str, u64)> = c.table.iter().map(|e| (c.key(e), e.count)).filter(|(w, _)| keep(w)).collect();
            all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            all.truncate(k);
            prop_assert_eq!(c.top(k, keep), all);
        }
    }
}
