//! Language guess from a bounded sample of the word stream.

use crate::report::Language;

/// Bytes of word text kept for the language guess: enough for whatlang's trigrams to
/// settle, small enough to cost nothing.
pub(crate) const SAMPLE_BYTES: usize = 8 * 1024;

/// Most words in a block of the sample; a block also ends after a word whose hash
/// is a multiple of 32, and at a paragraph's end, so that blocks are cut by the text
/// alone (see [`Sampler`]).
const BLOCK_WORDS: u32 = 32;

/// Bytes of a word kept in the sample.
const WORD_BYTES: usize = 64;

/// A sample of a text's words from all over it, at most [`SAMPLE_BYTES`]: whole
/// blocks of words, each kept when its key (a hash of its first word, of the word
/// before it and of its place in the paragraph) has `level` leading zero bits. The level rises by one, dropping about
/// half of the blocks, each time the sample outgrows its bytes; it ends as the least
/// level at which the whole text's blocks fit. Blocks are cut by the words alone and
/// start afresh at every paragraph, so the sample depends only on the text, never on
/// the chunking, and the samples of two parts split at a paragraph merge into the
/// whole text's ([`Sampler::merge`]). Memory is flat.
#[derive(Debug, Default)]
pub(crate) struct Sampler {
    text: String,
    /// The kept blocks: their key and where their text starts.
    blocks: Vec<(u64, usize)>,
    level: u32,
    /// Words in the current block; 0 before a block's first word.
    in_block: u32,
    /// The current block's key, and whether it is kept.
    key: u64,
    keeping: bool,
    /// The hash of the word before, 0 at a paragraph's start.
    prev: u64,
    /// Blocks so far in the paragraph.
    block: u64,
}

#[inline]
fn passes(key: u64, level: u32) -> bool {
    level == 0 || key >> (64 - level) == 0
}

impl Sampler {
    /// The next word, with its hash.
    #[inline]
    pub(crate) fn word(&mut self, word: &str, hash: u64) {
        if self.in_block == 0 {
            // The block's place in its paragraph too, so that a text repeating itself
            // is sampled all along, not by its few distinct word pairs.
            self.block += 1;
            let at = self.block.wrapping_mul(0xd6e8_feb8_6659_fd93);
            let key = (self.prev.rotate_left(17) ^ hash ^ at).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            self.key = key;
            self.keeping = passes(key, self.level);
            if self.keeping {
                self.blocks.push((key, self.text.len()));
            }
        }
        self.in_block += 1;
        self.prev = hash;
        if self.in_block == BLOCK_WORDS || hash.is_multiple_of(32) {
            self.in_block = 0;
        }
        if !self.keeping {
            return;
        }
        // Whatlang reads trigrams: a word's first bytes are enough, and a block stays
        // far below the sample's size.
        let mut end = word.len().min(WORD_BYTES);
        while !word.is_char_boundary(end) {
            end -= 1;
        }
        self.text.push_str(&word[..end]);
        self.text.push(' ');
        if self.text.len() > SAMPLE_BYTES {
            self.thin();
        }
    }

    /// A paragraph ended: the next word starts a block, with nothing before it.
    #[inline]
    pub(crate) fn paragraph(&mut self) {
        self.in_block = 0;
        self.prev = 0;
        self.block = 0;
    }

    /// Raises the level until the sample fits.
    #[cold]
    fn thin(&mut self) {
        while self.text.len() > SAMPLE_BYTES && self.level < 64 {
            self.retain_level(self.level + 1);
        }
        self.keeping &= passes(self.key, self.level);
    }

    /// Keeps the blocks that pass `level`, which becomes the level.
    fn retain_level(&mut self, level: u32) {
        self.level = level;
        let mut text = String::with_capacity(self.text.len());
        let mut blocks = Vec::with_capacity(self.blocks.len());
        for (i, &(key, start)) in self.blocks.iter().enumerate() {
            if passes(key, level) {
                let end = self.blocks.get(i + 1).map_or(self.text.len(), |&(_, e)| e);
                blocks.push((key, text.len()));
                text.push_str(&self.text[start..end]);
            }
        }
        self.text = text;
        self.blocks = blocks;
    }

    /// Appends the sample of the text that follows this one after a paragraph break,
    /// sampled from its start: the result is the sample of both texts as one.
    #[allow(dead_code)] // for the analysis of a file in parts, next
    pub(crate) fn merge(&mut self, next: Sampler) {
        let offset = self.text.len();
        self.text.push_str(&next.text);
        self.blocks.extend(
            next.blocks
                .iter()
                .map(|&(key, start)| (key, start + offset)),
        );
        self.retain_level(self.level.max(next.level));
        self.in_block = next.in_block;
        self.key = next.key;
        self.keeping = next.keeping;
        self.prev = next.prev;
        self.block = next.block;
        self.thin();
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

/// Bytes of an HTML page's main content below which the language is guessed from
/// the whole page instead: a caption is not an article.
pub(crate) const MAIN_BYTES: usize = 512;

/// ISO 639-1 codes for the ISO 639-3 codes whatlang returns (all of its 69; Mandarin
/// is `zh`, Norwegian Bokmål `no` as the stopword list is named).
const ISO_639_1: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "no"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// The ISO 639-3 code of a language wca knows, given by its ISO 639-1 or 639-3
/// code in any case (`en`, `EN`, `eng`).
pub(crate) fn parse_code(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    if let Some((c3, _)) = ISO_639_1.iter().find(|(c3, c1)| *c1 == code || *c3 == code) {
        return Some(c3);
    }
    whatlang::Lang::from_code(&code).map(|l| l.code())
}

/// The language the `language` option names (a code [`parse_code`] accepts), with the
/// script the detector saw, if it saw one.
pub(crate) fn given(code3: &str, detected: Option<&Language>) -> Language {
    let lang = whatlang::Lang::from_code(code3);
    Language {
        code: code3.to_string(),
        code_639_1: ISO_639_1
            .iter()
            .find(|(c3, _)| *c3 == code3)
            .map(|(_, c1)| (*c1).to_string()),
        name: lang.map_or(code3, |l| l.eng_name()).to_string(),
        script: detected.map_or_else(|| "unknown".to_string(), |d| d.script.clone()),
        confidence: 1.0,
        reliable: true,
        sample_bytes: detected.map_or(0, |d| d.sample_bytes),
        from_main_content: false,
        given: true,
    }
}

pub(crate) fn detect(sample: &str) -> Option<Language> {
    let info = whatlang::detect(sample)?;
    let code = info.lang().code();
    Some(Language {
        code: code.to_string(),
        code_639_1: ISO_639_1
            .iter()
            .find(|(c3, _)| *c3 == code)
            .map(|(_, c1)| (*c1).to_string()),
        name: info.lang().eng_name().to_string(),
        script: info.script().name().to_string(),
        // Rounded so that the last bits of floating point cannot differ between builds.
        confidence: (info.confidence() * 1000.0).round() / 1000.0,
        reliable: info.is_reliable(),
        sample_bytes: sample.len() as u64,
        from_main_content: false,
        given: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::hash;

    fn h(w: &str) -> u64 {
        let mut b = w.as_bytes().to_vec();
        let len = b.len();
        b.resize(len.div_ceil(8).max(1) * 8, 0);
        hash(&b, len)
    }

    /// Words of a text with a paragraph break every `para` words.
    fn feed(s: &mut Sampler, words: &[String], para: usize) {
        for (i, w) in words.iter().enumerate() {
            if i > 0 && i % para == 0 {
                s.paragraph();
            }
            s.word(w, h(w));
        }
    }

    #[test]
    fn the_sample_spans_the_text_in_flat_memory() {
        let words: Vec<String> = (0..300_000).map(|i| format!("w{i}")).collect();
        let mut s = Sampler::default();
        for w in &words {
            s.word(w, h(w));
            assert!(s.text.len() <= SAMPLE_BYTES);
        }
        assert!(s.text.len() > SAMPLE_BYTES / 4, "{}", s.text.len());
        // From all over the text.
        let first: usize = s.text.split(' ').next().unwrap()[1..].parse().unwrap();
        let last: usize = s.text.trim_end().rsplit(' ').next().unwrap()[1..]
            .parse()
            .unwrap();
        assert!(first < 50_000 && last > 250_000, "{first}..{last}");
    }

    #[test]
    fn samples_of_two_parts_merge_into_the_whole_s() {
        for (n, cut_para) in [(100, 1), (5_000, 10), (40_000, 333), (300_000, 1_000)] {
            let words: Vec<String> = (0..n).map(|i| format!("w{}", i % 7919)).collect();
            let para = 50;
            let mut whole = Sampler::default();
            feed(&mut whole, &words, para);
            let cut = (cut_para * para).min(n);
            let mut a = Sampler::default();
            feed(&mut a, &words[..cut], para);
            let mut b = Sampler::default();
            feed(&mut b, &words[cut..], para);
            a.merge(b);
            assert_eq!(a.text, whole.text, "{n} words cut at {cut}");
            assert_eq!(a.level, whole.level);
        }
    }

    #[test]
    fn huge_words_are_cut() {
        let mut s = Sampler::default();
        let word = "é".repeat(100_000);
        for i in 0..10_000u64 {
            s.word(&word, i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            assert!(s.text.len() <= SAMPLE_BYTES);
        }
    }
}
