//! Syllables as textstat 0.7.13 counts them, for every language it has a formula for.
//!
//! textstat (`backend/counts/_count_syllables.py`) takes a word lowercased, without
//! punctuation (see [`crate::indices::textstat_word`]), and counts the stress digits
//! of its first CMUdict pronunciation when the language is English and CMUdict has
//! it; otherwise the hyphenation points Pyphen finds in it, plus one. Pyphen applies
//! Knuth–Liang patterns (the LibreOffice `hyph_*.dic` files) and keeps the points at
//! least two letters from either end.
//!
//! [`Hyphenator`] follows Pyphen 0.18.1 line by line, quirks included, so that the
//! counts are textstat's. For English, CMUdict would cost 3.6 MB; [`Lexicon`] holds
//! only the 48 789 words whose CMUdict count differs from the patterns' (294 KB), which
//! gives the same count for every word. `tools/textstat/vendor_syllables.py` writes
//! the data files in `syllables/`; their sources and licences are in
//! `syllables/README.md`.
//!
//! The data is installed per language: native builds embed it (feature
//! `embedded-syllables`), the wasm package fetches a language's files when a text
//! needs them and hands them to [`install_syllables`].

use core::hash::{BuildHasherDefault, Hasher};
use hashbrown::HashMap;
use std::sync::OnceLock;

/// FxHash: the data is ours, so no flooding to defend against.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u32(&mut self, x: u32) {
        self.write_u64(u64::from(x));
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type Map<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The languages with syllable data, as ISO 639-1 codes.
pub const SYLLABLE_LANGUAGES: [&str; 8] = ["en", "de", "es", "fr", "it", "nl", "pl", "ru"];

/// Pyphen's defaults: no point closer than this to either end of a word.
const LEFT: usize = 2;
const RIGHT: usize = 2;

/// Syllable data that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyllableDataError {
    /// The language is not one of [`SYLLABLE_LANGUAGES`].
    #[error("no syllable data is known for language {0:?}")]
    UnknownLanguage(String),
    /// The patterns hold no pattern.
    #[error("the hyphenation patterns hold no pattern")]
    NoPatterns,
    /// A lexicon line is malformed.
    #[error("line {0} of the syllable lexicon is malformed")]
    BadLexicon(usize),
    /// A lexicon was given for a language that has none.
    #[error("only English has a syllable lexicon")]
    UnexpectedLexicon,
}

/// Knuth–Liang hyphenation patterns, as Pyphen's `HyphDict` reads and applies them.
///
/// The patterns are kept as a trie, so that finding every pattern starting at a
/// letter of the word takes one step per letter matched, not one lookup per length.
#[derive(Debug)]
pub(crate) struct Hyphenator {
    /// (node, next character) → child node; node 0 is the root.
    edges: Map<(u32, char), u32>,
    /// Per node: where its pattern's values go (offset of the first nonzero value,
    /// the values from there), when a pattern ends there.
    values: Vec<Option<(u8, Box<[u8]>)>>,
}

const IGNORED: [&str; 6] = [
    "%",
    "#",
    "LEFTHYPHENMIN",
    "RIGHTHYPHENMIN",
    "COMPOUNDLEFTHYPHENMIN",
    "COMPOUNDRIGHTHYPHENMIN",
];

impl Hyphenator {
    /// Reads a `hyph_*.dic` file in UTF-8; its first line (the encoding) is skipped.
    pub(crate) fn parse(text: &str) -> Result<Self, SyllableDataError> {
        let mut h = Hyphenator {
            edges: Map::default(),
            values: vec![None],
        };
        let mut tags = String::new();
        let mut values = Vec::new();
        for line in text.split('\n').skip(1) {
            let line = line.trim();
            if line.is_empty() || IGNORED.iter().any(|p| line.starts_with(p)) {
                continue;
            }
            let line = unhex(line);
            // Nonstandard hyphenation (`ff1f/f=f,1,2`) changes the word, not where
            // the points are.
            let pattern = match line.split_once('/') {
                Some((p, _)) if line.contains('=') => p,
                _ => line.as_str(),
            };
            // Python's `re.findall(r'(\d?)(\D?)', pattern)`: one value per match,
            // the final empty match included.
            tags.clear();
            values.clear();
            let mut chars = pattern.chars().peekable();
            loop {
                let digit = chars
                    .next_if(|c| c.is_ascii_digit())
                    .map_or(0, |c| c as u8 - b'0');
                let letter = chars.next_if(|c| !c.is_ascii_digit());
                values.push(digit);
                match letter {
                    Some(c) => tags.push(c),
                    None if chars.peek().is_none() => {
                        if digit != 0 {
                            values.push(0);
                        }
                        break;
                    }
                    None => {}
                }
            }
            let Some(start) = values.iter().position(|&v| v != 0) else {
                continue;
            };
            let end = values.iter().rposition(|&v| v != 0).map_or(0, |e| e + 1);
            let Ok(start_u8) = u8::try_from(start) else {
                continue;
            };
            let node = h.node(&tags);
            // A later line for the same letters replaces an earlier one, as in a dict.
            h.values[node] = Some((start_u8, values[start..end].into()));
        }
        if h.values.iter().all(Option::is_none) {
            return Err(SyllableDataError::NoPatterns);
        }
        Ok(h)
    }

    /// The node of `letters`, made when missing.
    fn node(&mut self, letters: &str) -> usize {
        let mut node = 0u32;
        for c in letters.chars() {
            let next = self.values.len() as u32;
            node = *self.edges.entry((node, c)).or_insert(next);
            if node == next {
                self.values.push(None);
            }
        }
        node as usize
    }

    /// The pattern of exactly `letters`, for tests.
    #[cfg(test)]
    fn pattern(&self, letters: &str) -> Option<&(u8, Box<[u8]>)> {
        let mut node = 0u32;
        for c in letters.chars() {
            node = *self.edges.get(&(node, c))?;
        }
        self.values[node as usize].as_ref()
    }

    /// How many hyphenation points Pyphen's `positions` finds in `word` (lowercase).
    pub(crate) fn points(&self, word: &str) -> usize {
        let mut pointed: Vec<char> = Vec::with_capacity(word.len() + 2);
        pointed.push('.');
        pointed.extend(word.chars());
        pointed.push('.');
        let m = pointed.len();
        let n = m - 2;
        let mut references = vec![0u8; m + 1];
        // Pyphen tries every substring `pointed[i..j]` with `i < m - 1`.
        for i in 0..m - 1 {
            let mut node = 0u32;
            for &c in &pointed[i..] {
                let Some(&next) = self.edges.get(&(node, c)) else {
                    break;
                };
                node = next;
                let Some((offset, vals)) = &self.values[node as usize] else {
                    continue;
                };
                let from = i + usize::from(*offset);
                for (r, v) in references.iter_mut().skip(from).zip(vals.iter()) {
                    *r = (*r).max(*v);
                }
            }
        }
        // Pyphen's point `k` is reference `k + 1`; it keeps `LEFT <= k <= n - RIGHT`.
        let last = n.saturating_sub(RIGHT) + 1;
        if n < RIGHT || last <= LEFT {
            return 0;
        }
        references
            .get(LEFT + 1..=last)
            .map_or(0, |r| r.iter().filter(|&&r| r % 2 == 1).count())
    }
}

/// Pyphen's `^^hh`: the character with that hexadecimal code.
fn unhex(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("^^") {
        let hex = rest.get(at + 2..at + 4).filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        });
        match hex {
            Some(h) => {
                out.push_str(&rest[..at]);
                out.push(char::from(u8::from_str_radix(h, 16).unwrap_or(0)));
                rest = &rest[at + 4..];
            }
            None => {
                out.push_str(&rest[..at + 1]);
                rest = &rest[at + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// English words whose first CMUdict pronunciation has another count of syllables
/// than the patterns give.
#[derive(Debug, Default)]
pub(crate) struct Lexicon(Map<Box<str>, u8>);

impl Lexicon {
    /// Reads the front-coded list: per line, one character `'0' + n` for the bytes
    /// shared with the previous word, the rest of the word, and one character
    /// `'0' + syllables`.
    pub(crate) fn parse(text: &str) -> Result<Self, SyllableDataError> {
        let mut words = Map::default();
        let mut prev = String::new();
        for (i, line) in text.lines().enumerate() {
            let bad = || SyllableDataError::BadLexicon(i + 1);
            let b = line.as_bytes();
            if b.len() < 2 || b[0] < b'0' || b[b.len() - 1] < b'0' {
                return Err(bad());
            }
            let shared = usize::from(b[0] - b'0');
            let syllables = b[b.len() - 1] - b'0';
            let suffix = line.get(1..line.len() - 1).ok_or_else(bad)?;
            let head = prev.get(..shared).ok_or_else(bad)?;
            let word = format!("{head}{suffix}");
            words.insert(word.as_str().into(), syllables);
            prev = word;
        }
        Ok(Self(words))
    }

    pub(crate) fn get(&self, word: &str) -> Option<u8> {
        self.0.get(word).copied()
    }
}

/// One language's syllable data.
#[derive(Debug)]
pub(crate) struct Syllabifier {
    hyphenator: Hyphenator,
    lexicon: Option<Lexicon>,
}

impl Syllabifier {
    /// Syllables of one of textstat's words, already lowercase.
    pub(crate) fn count(&self, word: &str) -> u32 {
        if let Some(n) = self.lexicon.as_ref().and_then(|l| l.get(word)) {
            return u32::from(n);
        }
        self.hyphenator.points(word) as u32 + 1
    }
}

static INSTALLED: [OnceLock<Syllabifier>; 8] = [const { OnceLock::new() }; 8];

fn slot(language: &str) -> Option<usize> {
    SYLLABLE_LANGUAGES.iter().position(|l| *l == language)
}

/// Installs a language's syllable data: the text of its `hyph_<language>.dic` and,
/// for English only, of `cmudict_en.txt`. Installing a language twice keeps the first.
pub fn install_syllables(
    language: &str,
    patterns: &str,
    lexicon: Option<&str>,
) -> Result<(), SyllableDataError> {
    let i = slot(language).ok_or_else(|| SyllableDataError::UnknownLanguage(language.into()))?;
    if INSTALLED[i].get().is_some() {
        return Ok(());
    }
    let lexicon = match (language, lexicon) {
        ("en", Some(text)) => Some(Lexicon::parse(text)?),
        (_, Some(_)) => return Err(SyllableDataError::UnexpectedLexicon),
        (_, None) => None,
    };
    let s = Syllabifier {
        hyphenator: Hyphenator::parse(patterns)?,
        lexicon,
    };
    let _ = INSTALLED[i].set(s);
    Ok(())
}

/// Whether `language`'s syllable data is there (embedded, or installed).
pub fn has_syllables(language: &str) -> bool {
    syllabifier(language).is_some()
}

/// The language's data, installing the embedded copy on first use.
pub(crate) fn syllabifier(language: &str) -> Option<&'static Syllabifier> {
    let i = slot(language)?;
    #[cfg(feature = "embedded-syllables")]
    if INSTALLED[i].get().is_none() {
        let (patterns, lexicon) = embedded::data(i);
        // The embedded files are tested; a failure here is a build defect.
        install_syllables(language, patterns, lexicon).expect("embedded syllable data");
    }
    INSTALLED[i].get()
}

#[cfg(feature = "embedded-syllables")]
mod embedded {
    pub(super) fn data(i: usize) -> (&'static str, Option<&'static str>) {
        match i {
            0 => (
                include_str!("syllables/hyph_en.dic"),
                Some(include_str!("syllables/cmudict_en.txt")),
            ),
            1 => (include_str!("syllables/hyph_de.dic"), None),
            2 => (include_str!("syllables/hyph_es.dic"), None),
            3 => (include_str!("syllables/hyph_fr.dic"), None),
            4 => (include_str!("syllables/hyph_it.dic"), None),
            5 => (include_str!("syllables/hyph_nl.dic"), None),
            6 => (include_str!("syllables/hyph_pl.dic"), None),
            _ => (include_str!("syllables/hyph_ru.dic"), None),
        }
    }
}

/// Syllables of a token as textstat counts them in `language`: `None` when the
/// language's data is missing; 0 when the token holds no word character.
pub(crate) fn syllables(language: &str, token: &str) -> Option<u32> {
    let s = syllabifier(language)?;
    Some(crate::indices::textstat_word(token).map_or(0, |w| s.count(&w.to_lowercase())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_as_pyphen_reads_them() {
        // Pyphen's own example: Dutch `lettergrepen` breaks at 3, 6 and 9.
        let h = Hyphenator::parse("UTF-8\n1ter\nr1g\n1pen\n% comment\nLEFTHYPHENMIN 2\n").unwrap();
        assert_eq!(h.points("lettergrepen"), 3);
        // Points closer than two letters to an end are dropped.
        assert_eq!(h.points("ter"), 0);
        // Only zeros: no pattern.
        assert!(Hyphenator::parse("UTF-8\nab\n").is_err());
    }

    #[test]
    fn findall_quirks_and_hex_escapes() {
        // `a12b`: the first digit takes a value slot of its own, so `b` carries 2.
        let h = Hyphenator::parse("UTF-8\na12b\n").unwrap();
        assert_eq!(h.pattern("ab"), Some(&(1, [1u8, 2].into())));
        let h = Hyphenator::parse("UTF-8\n^^e91x\n").unwrap();
        assert!(h.pattern("éx").is_some());
        let h = Hyphenator::parse("UTF-8\nf1f/f=f,1,2\n").unwrap();
        assert_eq!(h.pattern("ff"), Some(&(1, [1u8].into())));
    }

    #[test]
    fn lexicon_is_front_coded() {
        let l = Lexicon::parse("0abc2\n2d3\n0b1\n").unwrap();
        assert_eq!(l.get("abc"), Some(2));
        assert_eq!(l.get("abd"), Some(3));
        assert_eq!(l.get("b"), Some(1));
        assert_eq!(l.get("ab"), None);
        assert_eq!(
            Lexicon::parse("0a2\n5b1\n").unwrap_err(),
            SyllableDataError::BadLexicon(2)
        );
    }

    #[test]
    fn unknown_languages_and_stray_lexicons_are_refused() {
        assert!(matches!(
            install_syllables("xx", "UTF-8\na1b\n", None),
            Err(SyllableDataError::UnknownLanguage(_))
        ));
        assert_eq!(
            install_syllables("it", "UTF-8\na1b\n", Some("0a1\n")),
            Err(SyllableDataError::UnexpectedLexicon)
        );
    }

    #[cfg(feature = "embedded-syllables")]
    #[test]
    fn every_embedded_language_counts() {
        for l in SYLLABLE_LANGUAGES {
            assert!(has_syllables(l), "{l}");
            assert_eq!(syllables(l, "..."), Some(0), "{l}");
        }
        assert_eq!(syllables("en", "Readability,"), Some(5));
        assert_eq!(syllables("en", "don't"), Some(1));
        assert_eq!(syllables("de", "Menschenrechte"), Some(4));
    }

    /// textstat's own `syllable_count` of every fifth distinct token of the English
    /// corpus (news, essays, the Bible, the prose fixtures).
    #[cfg(feature = "embedded-syllables")]
    #[test]
    #[allow(clippy::disallowed_methods)] // the test reads its fixture
    fn english_counts_are_textstats() {
        let data = std::fs::read_to_string(wca_testkit::data("textstat/syllables.tsv")).unwrap();
        let (mut total, mut wrong) = (0, Vec::new());
        for line in data.lines().filter(|l| !l.starts_with('#')) {
            let (token, expected) = line.rsplit_once('\t').unwrap();
            let expected: u32 = expected.parse().unwrap();
            total += 1;
            let got = syllables("en", token).unwrap();
            if got != expected {
                wrong.push((token.to_string(), got, expected));
            }
        }
        assert!(total > 10_000, "{total}");
        assert!(
            wrong.is_empty(),
            "{} of {total} differ: {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(20)]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_word_is_safe(word in "\\PC{0,40}") {
            let h = Hyphenator::parse("UTF-8\n1a\nb1\n.c2\n").unwrap();
            let n = h.points(&word);
            proptest::prop_assert!(n <= word.chars().count());
        }
    }
}
