//! Language guess from a bounded sample of the word stream.

use crate::report::Language;

/// Bytes of word text kept for the language guess: enough for whatlang's trigrams to
/// settle, small enough to cost nothing.
pub(crate) const SAMPLE_BYTES: usize = 8 * 1024;

/// Words in a block of the sample: the sample is whole blocks, so that whatlang
/// reads words beside their neighbours.
const BLOCK_WORDS: u64 = 32;

/// Bytes of a word kept in the sample.
const WORD_BYTES: usize = 64;

/// A sample of a text's words from all over it, at most [`SAMPLE_BYTES`] (plus a
/// word): block `b` (words `32b..32b+32`) is kept while `b` is a multiple of the
/// stride, and the stride doubles, dropping every other kept block, each time the
/// sample outgrows its bytes. What is kept depends only on the words, never on how
/// the text was split, and the memory is flat.
#[derive(Debug)]
pub(crate) struct Sampler {
    text: String,
    /// The kept blocks: their number and where their text starts.
    blocks: Vec<(u64, usize)>,
    stride: u64,
}

impl Default for Sampler {
    fn default() -> Self {
        Self {
            text: String::new(),
            blocks: Vec::new(),
            stride: 1,
        }
    }
}

impl Sampler {
    /// The word numbered `index` (from 0) of the text.
    #[inline]
    pub(crate) fn word(&mut self, index: u64, word: &str) {
        let block = index / BLOCK_WORDS;
        if block % self.stride != 0 {
            return;
        }
        if self.blocks.last().is_none_or(|&(b, _)| b != block) {
            self.blocks.push((block, self.text.len()));
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

    /// Doubles the stride until the sample fits: keeps every other block.
    #[cold]
    fn thin(&mut self) {
        while self.text.len() > SAMPLE_BYTES && self.blocks.len() > 1 {
            self.stride *= 2;
            let mut text = String::with_capacity(self.text.len());
            let mut blocks = Vec::with_capacity(self.blocks.len() / 2 + 1);
            for (i, &(b, start)) in self.blocks.iter().enumerate() {
                if b % self.stride == 0 {
                    let end = self.blocks.get(i + 1).map_or(self.text.len(), |&(_, e)| e);
                    blocks.push((b, text.len()));
                    text.push_str(&self.text[start..end]);
                }
            }
            self.text = text;
            self.blocks = blocks;
        }
    }

    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_spans_the_text_in_flat_memory() {
        let mut s = Sampler::default();
        let words: Vec<String> = (0..1_000_000).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            s.word(i as u64, w);
            assert!(s.text.len() <= SAMPLE_BYTES);
        }
        let kept: Vec<u64> = s.blocks.iter().map(|&(b, _)| b).collect();
        assert!(s.text.len() > SAMPLE_BYTES / 2, "{}", s.text.len());
        // Evenly spaced blocks from the first to near the last.
        assert_eq!(kept[0], 0);
        assert!(kept.windows(2).all(|w| w[1] - w[0] == s.stride));
        assert!(*kept.last().unwrap() + s.stride > 1_000_000 / BLOCK_WORDS);
        // Whole blocks, in order.
        assert!(s.text.starts_with("w0 w1 w2 "));
        let again = {
            let mut t = Sampler::default();
            words
                .iter()
                .enumerate()
                .for_each(|(i, w)| t.word(i as u64, w));
            t.text
        };
        assert_eq!(again, s.text);
    }

    #[test]
    fn huge_words_are_cut() {
        let mut s = Sampler::default();
        let word = "é".repeat(100_000);
        for i in 0..10_000 {
            s.word(i, &word);
            assert!(s.text.len() <= SAMPLE_BYTES + WORD_BYTES + 1);
        }
        assert!(s.stride < 1 << 20);
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
    })
}
