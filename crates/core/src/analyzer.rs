//! The analyzer: bytes in, in any chunking; a [`Report`] out.

use crate::counter::{Counter, MAX_KEY_BYTES, truncate};
use crate::front::{Front, FrontSink, count_chars};
use crate::hash::{self, read64};
use crate::hll;
use crate::indices;
use crate::lang;
use crate::options::{ConfigError, Fold, Format, Options, Tokenizer, invalid};
use crate::readability::{FormulaLanguage, LanguageCounts};
use crate::report::*;
use crate::sentence::Sentences;
use crate::stopwords::{self, Stopwords};
use crate::syllables;
use crate::textstat::TextstatCounts;
use crate::words::{Sink, Splitter};
use unicode_segmentation::UnicodeSegmentation;
use wca_html::{Boundary, HtmlSink, Page, Region};

/// Silent reading speed of adults for non-fiction: Brysbaert (2019), "How many words
/// do we read per minute?", meta-analysis of 190 studies, 238 words per minute.
pub const READING_WPM: u32 = 238;
/// Reading aloud and presenting: the middle of the 130–170 words per minute range
/// commonly cited for speech (Brysbaert 2019 finds 183 for reading aloud in English;
/// talks run slower).
pub const SPEAKING_WPM: u32 = 150;
/// Silent reading of Chinese and Japanese, in characters per minute: the middle of
/// Chinese (255) and Japanese (357) in Trauzettel-Klosinski et al. (2012), "Standardized
/// assessment of reading performance", IReST. Thai is counted the same way.
pub const READING_CPM: u32 = 300;
/// Speaking Chinese and Japanese, in characters per minute.
pub const SPEAKING_CPM: u32 = 240;
/// A slow silent reading pace: the lower end of adults' range for non-fiction in
/// Brysbaert (2019) (175–300), lowered to where readers of dense or second-language
/// text are; characters per minute are scaled by the same ratio.
pub const SLOW_WPM: u32 = 150;
/// A fast silent reading pace: the upper end of Brysbaert's (2019) range for fiction
/// (200–320) and beyond, short of skimming.
pub const FAST_WPM: u32 = 350;

/// A streaming text analyzer. See the [crate documentation](crate) for an example.
///
/// Sentence rule: see the `sentence` module's documentation, reproduced in the
/// README: `!`/`?` end sentences, `.` does unless it follows a title (`Dr.`), a Latin
/// abbreviation (`e.g.`) or an initial, and after `a.m.`-style abbreviations only
/// before a capital; blank lines end sentences.
#[derive(Debug)]
pub struct Analyzer {
    front: Front,
    splitter: Splitter,
    stats: Stats,
    finished: bool,
}

#[derive(Debug)]
struct Stats {
    tokenizer: Tokenizer,
    fold: Fold,
    top: usize,
    max_distinct: usize,
    count_bigrams: bool,
    count_trigrams: bool,
    /// Whether to keep the statistics besides word counts (sentences, paragraphs,
    /// readability counts).
    statistics: bool,
    /// For HTML: count only the words of the main content.
    main_content_only: bool,
    /// Characters of visible text (HTML).
    text_characters: u64,
    /// HTML: characters of the visible text with and without whitespace (see
    /// `Counts::characters`).
    characters: u64,
    characters_no_spaces: u64,
    /// HTML: whitespace came since the last visible character.
    space_pending: bool,
    /// The regions the text is in now, and those seen, one bit per [`Region`].
    regions: u8,
    regions_seen: u8,
    /// Words inside each region, by [`Stats::region_bit`] position.
    region_words: [u64; 5],
    stopwords: StopwordChoice,

    words: u64,
    word_chars: u64,
    longest: Option<(String, u64)>,
    cjk_characters: u64,
    thai_characters: u64,
    /// Words made of CJK or Thai characters, read by character instead of by word.
    cjk_words: u64,
    paragraphs: u64,
    in_paragraph: bool,
    sentences: Sentences,

    /// The words, and their bigrams if counted.
    vocabulary: Counter,
    /// Readability counts, made the way textstat makes them.
    textstat: TextstatCounts,
    /// Words of the current run.
    run_words: u32,
    /// Syllables to add to the per-word total so that tokens of several words count
    /// as textstat counts them (`well-known` as one token).
    syllable_correction: i64,
    /// The classes of the tokens of several words, whole as textstat sees them, and
    /// of their words as the vocabulary counted them: the difference corrects the
    /// vocabulary's tally to textstat's tokens.
    token_tally: indices::Tally,
    parts_tally: indices::Tally,
    /// Corrections of recent tokens of several words.
    run_memo: RunMemo,
    /// Whitespace tokens, and their characters (the Automated Readability Index).
    tokens: u64,
    token_characters: u64,
    /// The language the options give (ISO 639-3), instead of the guess.
    language: Option<&'static str>,
    /// Linsear Write's first hundred words.
    linsear: indices::Linsear,

    /// The current word after normalization and folding (valid UTF-8), zero-padded
    /// to a multiple of 8 bytes as the counters take keys, and its length.
    key: Vec<u8>,
    key_len: usize,
    /// The previous word, the same way.
    prev_key: Vec<u8>,
    prev_len: usize,
    prev_hash: Option<u64>,
    sample: lang::Sampler,
    /// The main content's text, whitespace collapsed, when the whole page of HTML is
    /// analyzed: the language is guessed from it when it has [`lang::MAIN_BYTES`].
    main_sample: String,
}

#[derive(Debug)]
pub(crate) enum StopwordChoice {
    Auto(Stopwords),
    Fixed(String, Stopwords),
}

impl Analyzer {
    /// Validates `options` and returns an analyzer ready for input.
    pub fn new(options: Options) -> Result<Self, ConfigError> {
        options.check_limits()?;
        let stopwords = stopword_choice(&options)?;
        let language = language_of(&options)?;
        Ok(Self {
            front: Front::new(&options)?.observing_main_content(),
            splitter: Splitter::new(options.tokenizer),
            stats: Stats {
                tokenizer: options.tokenizer,
                fold: options.fold,
                top: options.top,
                max_distinct: options.max_distinct,
                count_bigrams: options.bigrams,
                count_trigrams: options.trigrams,
                statistics: options.statistics,
                main_content_only: options.main_content_only,
                text_characters: 0,
                characters: 0,
                characters_no_spaces: 0,
                space_pending: false,
                regions: 0,
                regions_seen: 0,
                region_words: [0; 5],
                stopwords,
                words: 0,
                word_chars: 0,
                longest: None,
                cjk_characters: 0,
                thai_characters: 0,
                cjk_words: 0,
                paragraphs: 0,
                in_paragraph: false,
                sentences: Sentences::new(),
                vocabulary: {
                    let words = Counter::new(options.max_distinct, 24, MAX_KEY_BYTES, word_class);
                    let words = if options.bigrams {
                        words.with_pairs(options.max_distinct * 2, 32, 2 * MAX_KEY_BYTES + 1)
                    } else {
                        words
                    };
                    if options.trigrams {
                        words.with_triples(options.max_distinct * 2, 40, 3 * MAX_KEY_BYTES + 2)
                    } else {
                        words
                    }
                },
                textstat: TextstatCounts::default(),
                run_words: 0,
                syllable_correction: 0,
                token_tally: indices::Tally::default(),
                parts_tally: indices::Tally::default(),
                run_memo: RunMemo::default(),
                tokens: 0,
                token_characters: 0,
                linsear: indices::Linsear::default(),
                language,
                key: Vec::new(),
                key_len: 0,
                prev_key: Vec::new(),
                prev_len: 0,
                prev_hash: None,
                sample: lang::Sampler::default(),
                main_sample: String::new(),
            },
            finished: false,
        })
    }

    /// Analyzes the next chunk of input. Chunks may split anything: characters, words,
    /// lines, tags. Any bytes are accepted; malformed sequences are replaced and counted.
    pub fn push(&mut self, chunk: &[u8]) {
        let Self {
            front,
            splitter,
            stats,
            ..
        } = self;
        front.push(chunk, &mut Visible { splitter, stats });
    }

    /// An analyzer for the part of a plain-text input that starts at a
    /// [`paragraph_cut`]; [`Analyzer::join`] adds it to the analysis of the part before.
    /// This is how a file is analyzed on several cores.
    pub fn continuation(options: Options) -> Result<Self, ConfigError> {
        Self::new(Options {
            format: Format::Text,
            charset: None,
            content_type: None,
            ..options
        })
    }

    /// Whether the input so far can be cut into parts that [`Analyzer::join`] merges
    /// exactly: plain text in UTF-8, once the format is decided (after the first KiB).
    pub fn splittable(&self) -> bool {
        self.front
            .detected()
            .is_some_and(|d| !d.html && d.encoding == encoding_rs::UTF_8)
    }

    /// Ends this part and `next`, the analysis of the rest of the input from a
    /// [`paragraph_cut`] on (started with [`Analyzer::continuation`]), and joins them:
    /// the report is byte for byte the one analyzing the whole input in one piece
    /// gives. `None` when they cannot be joined exactly (the input is not
    /// [`splittable`](Self::splittable), or together the parts would have outgrown
    /// the exact counting budget, where one analyzer would have started estimating):
    /// then analyze the input in one piece.
    pub fn join(mut self, mut next: Analyzer) -> Option<Analyzer> {
        self.end_input();
        next.end_input();
        if !self.splittable() {
            return None;
        }
        let (a, b) = (&mut self.stats, &next.stats);
        if next.front.detected().is_some_and(|d| d.html) || !a.vocabulary.merge_exact(&b.vocabulary)
        {
            return None;
        }
        a.words += b.words;
        a.word_chars += b.word_chars;
        if let Some((word, n)) = &b.longest
            && a.longest.as_ref().is_none_or(|(_, m)| n > m)
        {
            a.longest = Some((word.clone(), *n));
        }
        a.cjk_characters += b.cjk_characters;
        a.thai_characters += b.thai_characters;
        a.cjk_words += b.cjk_words;
        a.paragraphs += b.paragraphs;
        a.in_paragraph = b.in_paragraph;
        a.text_characters += b.text_characters;
        a.characters += b.characters;
        a.characters_no_spaces += b.characters_no_spaces;
        a.sentences.merge(&b.sentences);
        // Linsear Write's hundred words may run on into the next part.
        a.linsear.merge(&a.textstat, &b.linsear);
        a.textstat.merge(&b.textstat);
        a.syllable_correction += b.syllable_correction;
        a.token_tally.merge(&b.token_tally);
        a.parts_tally.merge(&b.parts_tally);
        a.tokens += b.tokens;
        a.token_characters += b.token_characters;
        a.sample.merge(core::mem::take(&mut next.stats.sample));
        self.splitter.merge(&next.splitter);
        self.front.merge(&next.front);
        Some(self)
    }

    /// Ends the input: what `finish` does before it reports.
    fn end_input(&mut self) {
        if !self.finished {
            let Self {
                front,
                splitter,
                stats,
                ..
            } = self;
            front.finish(&mut Visible { splitter, stats });
            splitter.finish(stats);
            stats.sentences.finish();
            stats.vocabulary.flush();
            self.finished = true;
        }
    }

    /// The language whose syllable data [`finish`](Self::finish) will need to
    /// compute readability, judged from the text so far (the `language` option, else
    /// the guess); `None` when no formula applies. A host that installs syllable data
    /// on demand ([`install_syllables`](crate::install_syllables), as the wasm
    /// package does) asks this after the last push, and installs it before finishing.
    pub fn formula_language(&self) -> Option<&'static str> {
        let l = self.stats.language()?;
        FormulaLanguage::of(l.code_639_1.as_deref()?).map(FormulaLanguage::code)
    }

    /// Ends the input and returns the report.
    pub fn finish(mut self) -> Report {
        self.finish_mut()
    }

    /// Like [`finish`](Self::finish), and also returns up to `k` of the most frequent
    /// words (any number, where the report's lists stop at [`Options::top`]), by count
    /// descending then word ascending. `wca freq` prints these.
    pub fn finish_with_words(mut self, k: usize) -> (Report, Vec<Term>) {
        let report = self.finish_mut();
        let words = self.stats.vocabulary.top(k, |_| true);
        (
            report,
            words
                .into_iter()
                .map(|(t, c)| Term {
                    term: t.to_string(),
                    count: c,
                })
                .collect(),
        )
    }

    /// Ends the input in place, for the `finish` methods, which consume the analyzer.
    fn finish_mut(&mut self) -> Report {
        self.end_input();
        let lines = self.splitter.line_terminators
            + u64::from(self.front.characters > 0 && !self.splitter.ends_with_terminator);
        let (detected, replacements, page) = self.front.outcome();
        let input = Input {
            bytes: self.front.bytes,
            characters: self.front.characters,
            format: if detected.html {
                Format::Html
            } else {
                Format::Text
            },
            encoding: detected.encoding.name().into(),
            encoding_source: detected.source,
            invalid_sequences: replacements,
            url: None,
            truncated: false,
        };
        // Plain text's whitespace characters (its characters are the input's).
        let mut report = self.stats.report(input, lines, self.splitter.spaces);
        report.page = page.map(|structure| self.stats.page_report(structure));
        report
    }
}

/// Where a plain-text input may be cut for [`Analyzer::continuation`], as an offset
/// into `window`, a stretch of the input: the first byte after a blank line (a
/// stretch of ASCII whitespace holding two line breaks, found whole in the window
/// after something else), if that byte is ASCII. Nothing is carried across such a
/// place: the sentence and the paragraph end there, and so do bigrams.
pub fn paragraph_cut(window: &[u8]) -> Option<usize> {
    let is_ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    let mut i = window.iter().position(|&b| !is_ws(b))?;
    loop {
        let start = i + window[i..].iter().position(|&b| is_ws(b))?;
        let len = window[start..].iter().position(|&b| !is_ws(b))?;
        let end = start + len;
        let mut newlines = 0;
        let mut cr = false;
        for &b in &window[start..end] {
            newlines += u32::from(b == b'\r' || b == b'\n' && !cr);
            cr = b == b'\r';
        }
        if newlines >= 2 && window[end].is_ascii() {
            return Some(end);
        }
        i = end;
    }
}

/// The visible text of a page, on its way from the HTML extractor to the segmenter.
struct Visible<'a> {
    splitter: &'a mut Splitter,
    stats: &'a mut Stats,
}

impl FrontSink for Visible<'_> {
    fn plain(&mut self, text: &str) {
        // The front counted the characters, and the splitter counts the spaces.
        self.splitter.push(text, self.stats);
    }
}

impl HtmlSink for Visible<'_> {
    fn text(&mut self, text: &str) {
        let stats = &mut *self.stats;
        stats.text_characters += count_chars(text);
        // As a browser shows it: a run of whitespace between two visible characters
        // is one space.
        for c in text.chars() {
            if c == '\u{a0}' {
                // A no-break space is shown as it is, never collapsed.
                stats.characters += 1 + u64::from(stats.space_pending);
                stats.space_pending = false;
            } else if c.is_whitespace() {
                stats.space_pending = stats.characters > 0;
            } else {
                stats.characters += 1 + u64::from(stats.space_pending);
                stats.characters_no_spaces += 1;
                stats.space_pending = false;
            }
        }
        self.splitter.push(text, self.stats);
    }

    fn boundary(&mut self, boundary: Boundary) {
        self.stats.space_pending = self.stats.characters > 0;
        // A block edge reads as a blank line, so it ends words, sentences and
        // paragraphs; `<br>` as a line break.
        let text = match boundary {
            Boundary::Line => "\n",
            Boundary::Paragraph => "\n\n",
        };
        self.splitter.push(text, self.stats);
    }

    fn main_text(&mut self, text: &str) {
        let sample = &mut self.stats.main_sample;
        for word in text.split_whitespace() {
            if sample.len() >= lang::SAMPLE_BYTES {
                break;
            }
            sample.push_str(word);
            sample.push(' ');
        }
    }

    fn region(&mut self, region: Region, inside: bool) {
        // Words so far belong to the region they were in.
        self.splitter.end_run(self.stats);
        let bit = Stats::region_bit(region);
        if inside {
            self.stats.regions |= bit;
            self.stats.regions_seen |= bit;
        } else {
            self.stats.regions &= !bit;
        }
    }
}

/// Lowercases the ASCII letters among eight bytes at once (SWAR): a byte is upper
/// case when adding 0x3f carries into its top bit (≥ `A`) but adding 0x25 does not
/// (≤ `Z`); non-ASCII bytes are left alone.
#[inline(always)]
fn ascii_lowercase(v: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = v & !HIGH;
    let ge_a = x + 0x3f3f_3f3f_3f3f_3f3f;
    let gt_z = x + 0x2525_2525_2525_2525;
    let upper = (ge_a ^ gt_z) & !v & HIGH;
    v | (upper >> 2)
}

/// Appends `word` to `key`, normalized and folded: typographic apostrophes count as
/// the ASCII one (don’t = don't), then case is folded per `fold`. Character by
/// character, without the two allocations of `replace` and `to_lowercase`; only a
/// capital sigma, whose lowercase depends on its position in the word, takes
/// `str::to_lowercase`.
pub(crate) fn fold_into(key: &mut Vec<u8>, word: &str, fold: Fold) {
    if fold == Fold::Unicode && word.contains('\u{3a3}') {
        key.extend_from_slice(word.replace('\u{2019}', "'").to_lowercase().as_bytes());
        return;
    }
    let mut buf = [0u8; 4];
    for c in word.chars() {
        let c = if c == '\u{2019}' { '\'' } else { c };
        match fold {
            Fold::None => key.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
            Fold::Ascii => {
                key.extend_from_slice(c.to_ascii_lowercase().encode_utf8(&mut buf).as_bytes())
            }
            Fold::Unicode => {
                for l in c.to_lowercase() {
                    key.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
    }
}

/// Tokens of several words whose corrections are remembered, at most; and the
/// longest remembered, in bytes (longer ones are worked out each time).
const RUN_MEMO: usize = 16384;
const RUN_MEMO_KEY: usize = 48;

/// What a token of several words changes in the readability counts, which count its
/// words one by one (see `Stats::run_end`).
#[derive(Debug)]
struct RunCorrection {
    /// The token's syllables estimated whole, less its words'.
    syllables: i64,
    /// The class of textstat's word for the token.
    class: Option<u16>,
    /// The classes of its words, as the vocabulary counted them.
    parts: Vec<u16>,
}

/// Corrections of recent tokens, a cache: a token's correction depends only on the
/// token, so whether it is remembered changes nothing but the time. Flat: a table of
/// 32-byte entries, the tokens and their words' classes in two arenas; about 1 MiB
/// when full, then emptied.
#[derive(Debug, Default)]
struct RunMemo {
    table: hashbrown::HashTable<Remembered>,
    keys: Vec<u8>,
    parts: Vec<u16>,
    /// The words' classes of the last token too long to remember.
    long: Vec<u16>,
}

#[derive(Debug, Clone, Copy)]
struct Remembered {
    hash: u64,
    key: u32,
    key_len: u16,
    /// `u16::MAX` for none.
    class: u16,
    parts: u32,
    parts_len: u16,
    syllables: i32,
}

impl RunMemo {
    /// The correction of `run`, worked out now if it is not remembered; given as
    /// (syllables, class, the words' classes).
    fn get(&mut self, run: &str, tokenizer: Tokenizer) -> (i64, Option<u16>, &[u16]) {
        let key = run.as_bytes();
        if key.len() > RUN_MEMO_KEY {
            let c = RunCorrection::of(run, tokenizer);
            self.long = c.parts;
            return (c.syllables, c.class, &self.long);
        }
        let mut padded = [0u8; RUN_MEMO_KEY.div_ceil(8) * 8];
        padded[..key.len()].copy_from_slice(key);
        let hash = hash::hash(&padded[..key.len().div_ceil(8).max(1) * 8], key.len());
        let keys = &self.keys;
        let found = self.table.find(hash, |e| {
            e.hash == hash && keys[e.key as usize..e.key as usize + usize::from(e.key_len)] == *key
        });
        let e = match found {
            Some(e) => *e,
            None => {
                if self.table.len() >= RUN_MEMO {
                    self.table.clear();
                    self.keys.clear();
                    self.parts.clear();
                }
                let c = RunCorrection::of(run, tokenizer);
                let e = Remembered {
                    hash,
                    key: self.keys.len() as u32,
                    key_len: key.len() as u16,
                    class: c.class.unwrap_or(u16::MAX),
                    parts: self.parts.len() as u32,
                    // A token of at most `RUN_MEMO_KEY` bytes: a few words, a few
                    // syllables.
                    parts_len: c.parts.len() as u16,
                    syllables: c.syllables as i32,
                };
                self.keys.extend_from_slice(key);
                self.parts.extend_from_slice(&c.parts);
                self.table.insert_unique(hash, e, |e| e.hash);
                e
            }
        };
        let class = (e.class != u16::MAX).then_some(e.class);
        let parts = &self.parts[e.parts as usize..e.parts as usize + usize::from(e.parts_len)];
        (i64::from(e.syllables), class, parts)
    }
}

impl RunCorrection {
    fn of(run: &str, tokenizer: Tokenizer) -> RunCorrection {
        let (mut syllables, mut parts) = (0i64, Vec::new());
        let mut count = |w: &str| {
            syllables += i64::from(indices::english_syllables(w));
            parts.push(indices::word_class(w));
        };
        match tokenizer {
            Tokenizer::Unicode => run.unicode_words().for_each(&mut count),
            Tokenizer::Whitespace => run.split_whitespace().for_each(&mut count),
        }
        RunCorrection {
            syllables: i64::from(indices::english_syllables(run)) - syllables,
            class: indices::textstat_word(run).map(|w| indices::word_class(&w)),
            parts,
        }
    }
}

/// The readability class the vocabulary keeps with each word.
fn word_class(key: &[u8]) -> u16 {
    core::str::from_utf8(key).map_or(1, indices::word_class)
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // Hiragana, Katakana
        | '\u{31f0}'..='\u{31ff}' // Katakana phonetic extensions
        | '\u{3400}'..='\u{4dbf}' // CJK extension A
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
        | '\u{f900}'..='\u{faff}' // CJK compatibility ideographs
        | '\u{ff66}'..='\u{ff9f}' // halfwidth Katakana
        | '\u{20000}'..='\u{3134f}') // extensions B–H
}

fn is_thai(c: char) -> bool {
    matches!(c, '\u{0e00}'..='\u{0e7f}')
}

impl Sink for Stats {
    fn word(&mut self, text: &str, start: usize, end: usize) {
        if !self.statistics {
            self.count(text, start, end);
            return;
        }
        let word = &text[start..end];
        let b = word.as_bytes();
        if self.tokenizer == Tokenizer::Unicode {
            self.textstat.word(b);
            self.sentence_word(word);
            self.count(text, start, end);
            return;
        }
        // The whitespace tokenizer: the whole token is the word, and sentences look
        // at its letters and the punctuation around them.
        if b.iter().all(u8::is_ascii_alphanumeric) {
            self.textstat.word_char();
            self.sentence_word(word);
            self.count(text, start, end);
            return;
        }
        for c in word.chars() {
            self.textstat.token_char(c);
        }
        let (first, last) = match word.find(crate::words::is_alphanumeric) {
            Some(first) => {
                let last = word
                    .rfind(crate::words::is_alphanumeric)
                    .map_or(word.len(), |i| {
                        i + word[i..].chars().next().map_or(1, char::len_utf8)
                    });
                (first, last)
            }
            None => (word.len(), word.len()),
        };
        for c in word[..first].chars() {
            self.sentence_punct(c);
        }
        if first < last {
            self.sentence_word(&word[first..last]);
        }
        self.count(text, start, end);
        for c in word[last..].chars() {
            if self.sentences.punct(c, &b[first..last]) {
                self.prev_hash = None;
            }
        }
    }

    fn punct(&mut self, c: char) {
        if !self.statistics {
            return;
        }
        match c {
            '.' | '!' | '?' => self.textstat.terminator(),
            '_' => self.textstat.word_char(),
            _ => {}
        }
        self.sentence_punct(c);
    }

    fn gap(&mut self, newlines: u32) {
        let paragraph = newlines >= 2;
        if paragraph {
            // A paragraph break ends bigrams, whether a sentence was open or not.
            self.sample.paragraph();
            self.prev_hash = None;
        }
        if !self.statistics {
            return;
        }
        self.textstat.gap();
        if paragraph {
            self.in_paragraph = false;
        }
        if self.sentences.gap(paragraph) {
            self.prev_hash = None;
        }
    }

    fn run_end(&mut self, run: &str, ascii: bool) {
        let run_words = core::mem::take(&mut self.run_words);
        if !self.statistics {
            return;
        }
        self.tokens += 1;
        self.token_characters += if ascii {
            run.len() as u64
        } else {
            run.chars().count() as u64
        };
        self.linsear.token(run, &self.textstat);
        // textstat counts syllables per whitespace token. Each word's syllables are
        // summed as it is counted; a token of several words (`well-known`) is
        // estimated whole instead, which this correction accounts for. Only ASCII
        // tokens: readability is for English, and re-reading long runs of CJK or Thai
        // (one word per character) would cost more than the rest of the analysis.
        if run_words > 1 && ascii {
            // Such tokens repeat (a verse number, `well-known`): each is worked out
            // once, while the memo holds.
            let (syllables, class, parts) = self.run_memo.get(run, self.tokenizer);
            self.syllable_correction += syllables;
            // The same for the other classes: textstat looks the token up as one word
            // (`1:1` is `11`, `well-known` is `wellknown`).
            if let Some(class) = class {
                self.token_tally.add(class);
            }
            for &class in parts {
                self.parts_tally.add(class);
            }
        }
    }
}

impl Stats {
    fn region_bit(region: Region) -> u8 {
        1 << region as u8
    }

    fn sentence_punct(&mut self, c: char) {
        if self.sentences.punct(c, &self.prev_key[..self.prev_len]) {
            self.prev_hash = None;
        }
    }

    fn sentence_word(&mut self, word: &str) {
        if self.sentences.word(word) {
            self.prev_hash = None;
        }
        if !self.in_paragraph {
            self.in_paragraph = true;
            self.paragraphs += 1;
        }
    }

    /// Counts the word `text[start..end]`: normalizes and folds it, then updates every
    /// statistic.
    #[inline]
    fn count(&mut self, text: &str, start: usize, end: usize) {
        self.words += 1;
        if self.regions != 0 {
            for (i, n) in self.region_words.iter_mut().enumerate() {
                *n += u64::from(self.regions >> i & 1);
            }
        }
        let word = &text[start..end];
        let len = end - start;
        let chars;
        let h;
        let bytes = text.as_bytes();
        let short = if len <= 16 {
            // The hot path: a short word as two zero-padded little-endian words, read
            // with two loads when the text extends far enough past it.
            let (mut a, mut b) = if start + 16 <= bytes.len() {
                (read64(&bytes[start..]), read64(&bytes[start + 8..]))
            } else {
                let mut buf = [0u8; 16];
                for (d, s) in buf.iter_mut().zip(word.as_bytes()) {
                    *d = *s;
                }
                (read64(&buf), read64(&buf[8..]))
            };
            let mask = |n: usize| {
                if n >= 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * n)) - 1
                }
            };
            a &= mask(len);
            b &= mask(len.saturating_sub(8));
            ((a | b) & 0x8080_8080_8080_8080 == 0).then_some((a, b))
        } else {
            None
        };
        if let Some((mut a, mut b)) = short {
            chars = len as u64;
            if self.fold != Fold::None {
                a = ascii_lowercase(a);
                b = ascii_lowercase(b);
            }
            self.key.clear();
            self.key.extend_from_slice(&a.to_le_bytes());
            if len > 8 {
                self.key.extend_from_slice(&b.to_le_bytes());
            }
            self.key_len = len;
            h = hash::hash16(a, b, len);
        } else {
            self.key.clear();
            if word.is_ascii() {
                chars = len as u64;
                match self.fold {
                    Fold::None => self.key.extend_from_slice(word.as_bytes()),
                    Fold::Ascii | Fold::Unicode => self
                        .key
                        .extend(word.bytes().map(|b| b.to_ascii_lowercase())),
                }
            } else {
                chars = self.count_scripts(word);
                fold_into(&mut self.key, word, self.fold);
            }
            self.key_len = truncate(&self.key, MAX_KEY_BYTES).len();
            self.key.truncate(self.key_len);
            self.key.resize(self.key_len.div_ceil(8).max(1) * 8, 0);
            h = hash::hash(&self.key, self.key_len);
        }
        let key = &self.key[..self.key_len];
        self.word_chars += chars;
        if self.longest.as_ref().is_none_or(|(_, n)| chars > *n) {
            self.longest = Some((String::from_utf8_lossy(key).into_owned(), chars));
        }
        self.sample.word(word, h);

        let paired = self.prev_hash.is_some() && (self.count_bigrams || self.count_trigrams);
        self.vocabulary.queue(h, &self.key, self.key_len, paired);
        self.run_words += 1;
        self.prev_hash = Some(h);
        // The word becomes the previous one; the old buffer is reused for the next.
        core::mem::swap(&mut self.key, &mut self.prev_key);
        self.prev_len = self.key_len;
    }

    /// Characters of a non-ASCII word, counting CJK and Thai ones on the way.
    fn count_scripts(&mut self, word: &str) -> u64 {
        let mut n = 0u64;
        for c in word.chars() {
            if is_cjk(c) {
                self.cjk_characters += 1;
                self.cjk_words += u64::from(n == 0);
            } else if is_thai(c) {
                self.thai_characters += 1;
                self.cjk_words += u64::from(n == 0);
            }
            n += 1;
        }
        n
    }

    fn page_report(&self, structure: Page) -> PageReport {
        let [main, nav, header, footer, aside] = self.region_words;
        PageReport {
            structure,
            text_characters: self.text_characters,
            main_found: self.regions_seen & Stats::region_bit(Region::Main) != 0,
            main_content_only: self.main_content_only,
            region_words: RegionWords {
                main,
                nav,
                header,
                footer,
                aside,
            },
        }
    }

    /// The formulas of a language other than English. Its syllables are counted
    /// once per distinct word of the vocabulary at the end, since the language is
    /// known only then (textstat's tokens of several words, such as `c'est-à-dire`,
    /// are counted as their words here).
    fn language_readability(
        &self,
        language: FormulaLanguage,
        words: u64,
        sentences: u64,
    ) -> Readability {
        let Some(s) = syllables::syllabifier(language.code()) else {
            return Readability::default();
        };
        let tally = self
            .vocabulary
            .tally
            .corrected(&self.token_tally, &self.parts_tally);
        let mut c = LanguageCounts {
            words,
            sentences,
            letters: tally.letters,
            characters: self.token_characters,
            tokens: self.tokens,
            ..LanguageCounts::default()
        };
        let fog = u64::from(language.fog_syllables());
        for (key, count) in self.vocabulary.entries() {
            let Some(word) = indices::textstat_word(key) else {
                continue;
            };
            let word = word.to_lowercase();
            let n = u64::from(s.count(&word));
            c.syllables += n * count;
            if n >= 3 {
                c.polysyllables += count;
            }
            if n == 1 {
                c.monosyllables += count;
            }
            if word.chars().filter(|&ch| ch != '\'').count() > 6 {
                c.long_words += count;
            }
            if n >= fog && !indices::is_easy(&word) {
                c.fog_difficult += count;
            }
        }
        let Some(scores) = c.scores(language) else {
            return Readability {
                unavailable_reason: Some("the text has no words".to_string()),
                ..Readability::default()
            };
        };
        Readability {
            flesch_reading_ease: Some(round2(scores.flesch_reading_ease)),
            gunning_fog: scores.gunning_fog.map(round2),
            fernandez_huerta: scores.fernandez_huerta.map(round2),
            szigriszt_pazos: scores.szigriszt_pazos.map(round2),
            gutierrez_polini: scores.gutierrez_polini.map(round2),
            crawford: scores.crawford.map(round2),
            wiener_sachtextformel: scores.wiener_sachtextformel.map(|w| w.map(round2)),
            gulpease_index: scores.gulpease_index.map(round2),
            formula_language: Some(language.code().into()),
            words: Some(words),
            sentences: Some(sentences),
            syllables: Some(c.syllables),
            average_syllables_per_word: Some(round2(c.syllables as f64 / words as f64)),
            polysyllables: Some(c.polysyllables),
            monosyllables: Some(c.monosyllables),
            long_words: Some(c.long_words),
            difficult_words: scores.gunning_fog.map(|_| c.fog_difficult),
            letters: Some(c.letters),
            characters: Some(self.token_characters),
            ..Readability::default()
        }
    }

    /// The language as the report will give it: the option, else the guess so far.
    fn language(&self) -> Option<Language> {
        let detected = if self.main_sample.len() >= lang::MAIN_BYTES {
            lang::detect(&self.main_sample).map(|l| Language {
                from_main_content: true,
                ..l
            })
        } else {
            lang::detect(self.sample.text())
        };
        match self.language {
            Some(code) => Some(lang::given(code, detected.as_ref())),
            None => detected,
        }
    }

    fn report(&self, input: Input, lines: u64, plain_spaces: u64) -> Report {
        let (characters, characters_no_spaces) = if input.format == Format::Html {
            (self.characters, self.characters_no_spaces)
        } else {
            (input.characters, input.characters - plain_spaces)
        };
        let words = self.words;
        let sentences = self.sentences.count;
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (unique_words, unique_exact) = self.vocabulary.distinct();
        let language = self.language();

        let (ts_words, ts_sentences) = (self.textstat.words, self.textstat.sentences());
        let syllables = (self.vocabulary.tally.totals().syllables as i64 + self.syllable_correction)
            .max(0) as u64;
        let formulas = language
            .as_ref()
            .filter(|_| self.statistics)
            .map(|l| (l, l.code_639_1.as_deref().and_then(FormulaLanguage::of)));
        let readability = match formulas {
            Some((l, Some(f))) if !syllables::has_syllables(f.code()) => Readability {
                unavailable_reason: Some(format!(
                    "the syllable data for {} is not installed",
                    l.name
                )),
                ..Readability::default()
            },
            Some((_, Some(FormulaLanguage::English))) => {
                let counts = indices::Counts {
                    words: ts_words,
                    sentences: ts_sentences,
                    syllables,
                    tokens: self.tokens,
                    characters: self.token_characters,
                    tally: self
                        .vocabulary
                        .tally
                        .corrected(&self.token_tally, &self.parts_tally),
                    linsear: self.linsear.clone(),
                };
                let tally = counts.tally.totals();
                match counts.indices() {
                    Some(i) => Readability {
                        flesch_reading_ease: Some(round2(i.flesch_reading_ease)),
                        flesch_kincaid_grade: Some(round2(i.flesch_kincaid_grade)),
                        gunning_fog: Some(round2(i.gunning_fog)),
                        smog_index: Some(round2(i.smog_index)),
                        coleman_liau_index: Some(round2(i.coleman_liau_index)),
                        automated_readability_index: Some(round2(i.automated_readability_index)),
                        dale_chall: Some(round2(i.dale_chall)),
                        linsear_write: Some(round2(i.linsear_write)),
                        spache: Some(round2(i.spache)),
                        mcalpine_eflaw: Some(round2(i.mcalpine_eflaw)),
                        text_standard: Some(i.text_standard),
                        grade_level: Some(indices::grade_words(i.text_standard)),
                        words: Some(ts_words),
                        sentences: Some(ts_sentences),
                        syllables: Some(syllables),
                        formula_language: Some("en".into()),
                        average_syllables_per_word: Some(round2(ratio(syllables, ts_words))),
                        polysyllables: Some(tally.polysyllables),
                        difficult_words: Some(tally.difficult),
                        letters: Some(tally.letters),
                        characters: Some(self.token_characters),
                        ..Readability::default()
                    },
                    None => Readability {
                        unavailable_reason: Some("the text has no words".to_string()),
                        ..Readability::default()
                    },
                }
            }
            Some((_, Some(f))) => self.language_readability(f, ts_words, ts_sentences),
            Some((l, None)) => Readability {
                unavailable_reason: Some(if l.given {
                    format!("textstat has no readability formula for {}", l.name)
                } else {
                    format!(
                        "the text looks like {}, which has no readability formula",
                        l.name
                    )
                }),
                ..Readability::default()
            },
            None => Readability {
                unavailable_reason: Some(if !self.statistics {
                    "statistics were turned off".to_string()
                } else if words == 0 {
                    "the text has no words".to_string()
                } else {
                    "the language could not be determined".to_string()
                }),
                ..Readability::default()
            },
        };

        let (stopword_name, stopwords) = match &self.stopwords {
            StopwordChoice::Fixed(name, list) => (name.clone(), list.clone()),
            StopwordChoice::Auto(custom) => {
                let code = language.as_ref().and_then(|l| l.code_639_1.as_deref());
                match code.and_then(stopwords::builtin) {
                    Some(mut list) => {
                        list.extend(custom);
                        (code.unwrap_or_default().to_string(), list)
                    }
                    None if custom.is_empty() => ("none".to_string(), custom.clone()),
                    None => ("custom".to_string(), custom.clone()),
                }
            }
        };
        // Stopword lists are lowercase; with folding off, compare a lowered copy.
        let is_stopword = |w: &str| match self.fold {
            Fold::Unicode => stopwords.contains(w),
            _ => stopwords.contains(&w.to_lowercase()),
        };

        let reading_words = words - self.cjk_words;
        let script_chars = self.cjk_characters + self.thai_characters;
        let minutes = |w: u64, wpm: u32, c: u64, cpm: u32| {
            w as f64 / f64::from(wpm) + c as f64 / f64::from(cpm)
        };

        Report {
            schema_version: SCHEMA_VERSION,
            engine: Engine {
                name: "wca-core".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            settings: Settings {
                tokenizer: self.tokenizer,
                fold: self.fold,
                top: self.top,
                max_distinct: self.max_distinct,
                bigrams: self.count_bigrams,
                trigrams: self.count_trigrams,
                statistics: self.statistics,
            },
            input,
            counts: Counts {
                words,
                unique_words,
                unique_words_exact: unique_exact,
                unique_words_error: if unique_exact {
                    0.0
                } else {
                    round4(3.0 * hll::STANDARD_ERROR)
                },
                hapax_legomena: self
                    .vocabulary
                    .is_exact()
                    .then(|| self.vocabulary.singletons()),
                type_token_ratio: round4(ratio(unique_words, words)),
                lines,
                sentences,
                paragraphs: self.paragraphs,
                average_word_length: round2(ratio(self.word_chars, words)),
                average_sentence_length: round2(ratio(words, sentences)),
                longest_word: self.longest.as_ref().map(|(w, n)| LongestWord {
                    word: w.clone(),
                    characters: *n,
                }),
                longest_sentence: (self.statistics && self.sentences.longest > 0).then(|| {
                    LongestSentence {
                        words: self.sentences.longest,
                        first_words: self.sentences.longest_start.clone(),
                    }
                }),
                characters,
                characters_no_spaces,
                cjk_characters: self.cjk_characters,
                thai_characters: self.thai_characters,
            },
            time: Time {
                reading_seconds: round2(
                    60.0 * minutes(reading_words, READING_WPM, script_chars, READING_CPM),
                ),
                speaking_seconds: round2(
                    60.0 * minutes(reading_words, SPEAKING_WPM, script_chars, SPEAKING_CPM),
                ),
                reading_seconds_slow: round2(
                    60.0 * minutes(
                        reading_words,
                        SLOW_WPM,
                        script_chars,
                        READING_CPM * SLOW_WPM / READING_WPM,
                    ),
                ),
                reading_seconds_fast: round2(
                    60.0 * minutes(
                        reading_words,
                        FAST_WPM,
                        script_chars,
                        READING_CPM * FAST_WPM / READING_WPM,
                    ),
                ),
                reading_wpm: READING_WPM,
                slow_wpm: SLOW_WPM,
                fast_wpm: FAST_WPM,
                speaking_wpm: SPEAKING_WPM,
                reading_cpm: READING_CPM,
                speaking_cpm: SPEAKING_CPM,
            },
            readability,
            language,
            page: None,
            frequencies: Frequencies {
                stopwords: stopword_name,
                words: table(&self.vocabulary, self.top, |w| !is_stopword(w)),
                bigrams: phrase_table(
                    self.vocabulary.pair_stats(),
                    |keep| self.vocabulary.pair_top(self.top, keep),
                    &is_stopword,
                ),
                trigrams: phrase_table(
                    self.vocabulary.triple_stats(),
                    |keep| self.vocabulary.triple_top(self.top, keep),
                    &is_stopword,
                ),
            },
        }
    }
}

/// A table of phrases (`a b`, `a b c`) from its `(exact, error_bound, distinct)` and
/// its top lists; the filtered list drops phrases that start or end with a stopword
/// (so "bill of rights" stays, "of the" and "out of the" go).
fn phrase_table(
    (exact, error_bound, distinct): (bool, u64, u64),
    top: impl Fn(&mut dyn FnMut(&str) -> bool) -> Vec<(String, u64)>,
    is_stopword: &dyn Fn(&str) -> bool,
) -> TermTable {
    let terms = |v: Vec<(String, u64)>| {
        v.into_iter()
            .map(|(term, count)| Term { term, count })
            .collect()
    };
    let mut keep = |p: &str| {
        let first = p.split(' ').next().unwrap_or(p);
        let last = p.rsplit(' ').next().unwrap_or(p);
        !is_stopword(first) && !is_stopword(last)
    };
    TermTable {
        exact,
        error_bound,
        distinct,
        top: terms(top(&mut |_| true)),
        top_filtered: terms(top(&mut keep)),
    }
}

fn table(counter: &Counter, k: usize, keep: impl FnMut(&str) -> bool) -> TermTable {
    let terms = |v: Vec<(&str, u64)>| {
        v.into_iter()
            .map(|(t, c)| Term {
                term: t.to_string(),
                count: c,
            })
            .collect()
    };
    TermTable {
        exact: counter.is_exact(),
        error_bound: counter.offset(),
        distinct: counter.distinct().0,
        top: terms(counter.top(k, |_| true)),
        top_filtered: terms(counter.top(k, keep)),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The language `options` give, as an ISO 639-3 code, if they give one.
pub(crate) fn language_of(options: &Options) -> Result<Option<&'static str>, ConfigError> {
    match &options.language {
        None => Ok(None),
        Some(code) => lang::parse_code(code).map(Some).ok_or_else(|| {
            invalid(
                "language",
                format!(
                    "{code:?} is not a language wca knows: give an ISO 639-1 or 639-3 code, \
                     such as en or eng"
                ),
            )
        }),
    }
}

/// The stopword lists `options` ask for: the built-in list of a language code, or
/// the detected language's (`auto`), and the custom words.
pub(crate) fn stopword_choice(options: &Options) -> Result<StopwordChoice, ConfigError> {
    let custom = Stopwords::custom(options.custom_stopwords.iter().cloned());
    Ok(match options.stopwords.to_ascii_lowercase().as_str() {
        "auto" => StopwordChoice::Auto(custom),
        "none" => StopwordChoice::Fixed(
            if custom.is_empty() { "none" } else { "custom" }.into(),
            custom,
        ),
        code => {
            let mut list = stopwords::builtin(code).ok_or_else(|| {
                invalid(
                    "stopwords",
                    format!(
                        "unknown language `{code}`; use auto, none or one of {}",
                        stopwords::LANGUAGES.join(", ")
                    ),
                )
            })?;
            list.extend(&custom);
            StopwordChoice::Fixed(code.to_string(), list)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::ascii_lowercase;
    use crate::{Analyzer, Options};

    /// The words of a run are counted for the syllable correction and reset at its
    /// end, statistics or not: without the reset a long text overflowed the count.
    #[test]
    fn run_words_are_reset_at_every_run_end() {
        for statistics in [true, false] {
            let mut a = Analyzer::new(Options {
                statistics,
                ..Options::default()
            })
            .unwrap();
            a.push(b"well-known words, one-two-three ");
            assert_eq!(a.stats.run_words, 0, "statistics {statistics}");
        }
    }

    #[test]
    fn swar_lowercase_matches_the_byte_loop() {
        for chunk in (0u8..=255).collect::<Vec<_>>().chunks(8) {
            let v = crate::hash::read64(chunk);
            let want: Vec<u8> = chunk.iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(ascii_lowercase(v).to_le_bytes().to_vec(), want);
        }
    }
}
