//! The report: plain data, serializable with the `serde` feature.
//!
//! Field names are the JSON names; `wca analyze --json`, the server and the wasm
//! package all emit this structure. Bump [`SCHEMA_VERSION`] on any change a consumer
//! could notice.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::options::{Fold, Format, Tokenizer};
use crate::sniff::EncodingSource;
use wca_html::Page;

/// Version of the report's structure.
pub const SCHEMA_VERSION: u32 = 7;

/// Everything an analysis found.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Report {
    /// [`SCHEMA_VERSION`] of this report.
    pub schema_version: u32,
    /// What produced the report.
    pub engine: Engine,
    /// The options that shaped the counts.
    pub settings: Settings,
    /// Bytes and characters read.
    pub input: Input,
    /// Words, sentences, lines and the like.
    pub counts: Counts,
    /// Estimated reading and speaking times.
    pub time: Time,
    /// Readability scores, when the text is English.
    pub readability: Readability,
    /// The detected language, if any.
    pub language: Option<Language>,
    /// For HTML: the page's structure and where its words are.
    pub page: Option<PageReport>,
    /// Top words, bigrams and trigrams.
    pub frequencies: Frequencies,
}

/// What produced a report.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Engine {
    /// `"wca-core"`.
    pub name: String,
    /// The crate version.
    pub version: String,
}

/// The options that shaped the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Settings {
    /// Tokenizer used.
    pub tokenizer: Tokenizer,
    /// Case folding used.
    pub fold: Fold,
    /// Length of the top lists.
    pub top: usize,
    /// Exact-counting budget in distinct words.
    pub max_distinct: usize,
    /// Whether bigrams were counted.
    pub bigrams: bool,
    /// Whether trigrams were counted.
    pub trigrams: bool,
    /// Whether sentences, paragraphs and readability were computed.
    pub statistics: bool,
}

/// Bytes and characters read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Input {
    /// Bytes pushed.
    pub bytes: u64,
    /// Unicode scalar values after decoding, replacements included (for HTML, of the
    /// whole document, markup included).
    pub characters: u64,
    /// [`Format::Text`] or [`Format::Html`] (never `Auto`): what the input was read as.
    pub format: Format,
    /// The WHATWG name of the encoding the bytes were decoded from (`UTF-8`,
    /// `windows-1252`, `UTF-16LE`, …).
    pub encoding: String,
    /// How it was chosen.
    pub encoding_source: EncodingSource,
    /// Invalid byte sequences, each replaced by one U+FFFD.
    pub invalid_sequences: u64,
    /// Where the bytes came from, when they were fetched: the URL after redirects.
    /// Set by the fetching caller (the server, `wca analyze URL`), never by the core.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub url: Option<String>,
    /// Whether the input was cut at the fetcher's byte cap, so the counts cover only
    /// its beginning. Set by the fetching caller.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_false"))]
    pub truncated: bool,
}

#[cfg(feature = "serde")]
fn is_false(b: &bool) -> bool {
    !b
}

/// Counts over the text.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Counts {
    /// Words, by the chosen tokenizer.
    pub words: u64,
    /// Distinct words after folding: exact when `unique_words_exact`, else a
    /// HyperLogLog estimate within `unique_words_error` (relative, three standard errors).
    pub unique_words: u64,
    /// Whether `unique_words` is exact.
    pub unique_words_exact: bool,
    /// Relative error bound of `unique_words` (0 when exact).
    pub unique_words_error: f64,
    /// Words that occur once; `None` once counting is approximate.
    pub hapax_legomena: Option<u64>,
    /// `unique_words / words`.
    pub type_token_ratio: f64,
    /// Lines: line terminators (LF, CR, CRLF, NEL, LS, PS), plus one if the text does
    /// not end with one.
    pub lines: u64,
    /// Sentences, by the rule documented on [`crate::Analyzer`].
    pub sentences: u64,
    /// Blocks of text separated by blank lines that hold at least one word.
    pub paragraphs: u64,
    /// Mean word length in characters.
    pub average_word_length: f64,
    /// Mean sentence length in words.
    pub average_sentence_length: f64,
    /// The longest word (first of equals), cut to 128 bytes, and its full length.
    pub longest_word: Option<LongestWord>,
    /// The sentence with the most words (first of equals); `None` without
    /// statistics or sentences.
    pub longest_sentence: Option<LongestSentence>,
    /// Characters of the text, whitespace included: for plain text every character
    /// decoded (line breaks too); for HTML the visible text (of the main content
    /// when only that is counted) with each run of whitespace, block breaks
    /// included, counted as one space, as a browser shows it.
    pub characters: u64,
    /// The same characters without whitespace (Unicode `White_Space`).
    pub characters_no_spaces: u64,
    /// Han, Hiragana and Katakana characters.
    pub cjk_characters: u64,
    /// Thai characters.
    pub thai_characters: u64,
}

/// The longest word.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct LongestWord {
    /// The word after folding, cut to 128 bytes.
    pub word: String,
    /// Its length in characters.
    pub characters: u64,
}

/// The longest sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct LongestSentence {
    /// Its words, by the tokenizer.
    pub words: u64,
    /// Its first words (at most [`crate::LONGEST_SENTENCE_WORDS`]), as written,
    /// joined by single spaces.
    pub first_words: String,
}

/// Estimated reading and speaking times.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Time {
    /// Silent reading time in seconds.
    pub reading_seconds: f64,
    /// Reading aloud time in seconds.
    pub speaking_seconds: f64,
    /// Silent reading time at a slow pace ([`Time::slow_wpm`]), in seconds.
    pub reading_seconds_slow: f64,
    /// Silent reading time at a fast pace ([`Time::fast_wpm`]), in seconds.
    pub reading_seconds_fast: f64,
    /// Words per minute used for reading.
    pub reading_wpm: u32,
    /// Words per minute of the slow pace (characters per minute scale alike).
    pub slow_wpm: u32,
    /// Words per minute of the fast pace.
    pub fast_wpm: u32,
    /// Words per minute used for speaking.
    pub speaking_wpm: u32,
    /// Characters per minute used for reading Chinese, Japanese and Thai.
    pub reading_cpm: u32,
    /// Characters per minute used for speaking Chinese, Japanese and Thai.
    pub speaking_cpm: u32,
}

/// Readability scores: every index textstat 0.7.13 has for English, and for German,
/// Spanish, French, Italian, Dutch, Polish and Russian the formulas textstat has for
/// them (the English-only indices are then `None`).
///
/// The formulas take their counts the way textstat, the reference implementation,
/// makes them, so that the scores agree with it: a word is a whitespace-delimited
/// token with a letter or digit, and a sentence any stretch between runs of `.`, `!`
/// or `?` with more than two words. These differ from [`Counts`] on purpose.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[derive(Default)]
#[non_exhaustive]
pub struct Readability {
    /// Flesch Reading Ease (higher is easier).
    pub flesch_reading_ease: Option<f64>,
    /// Flesch–Kincaid grade level.
    pub flesch_kincaid_grade: Option<f64>,
    /// Gunning Fog: words per sentence and the share of difficult words (three
    /// syllables or more, not on the Dale–Chall list), as a grade.
    pub gunning_fog: Option<f64>,
    /// SMOG: polysyllables per sentence, as a grade.
    pub smog_index: Option<f64>,
    /// Coleman–Liau: letters and sentences per hundred words, as a grade.
    pub coleman_liau_index: Option<f64>,
    /// Automated Readability Index: characters per token and words per sentence.
    pub automated_readability_index: Option<f64>,
    /// Dale–Chall (new formula): the share of words not on the easy list; 4.9 or
    /// less is easy for a fourth-grader, 9 and more is college level.
    pub dale_chall: Option<f64>,
    /// Linsear Write, on the first hundred words, as a grade.
    pub linsear_write: Option<f64>,
    /// Spache, for primary-school texts, as a grade.
    pub spache: Option<f64>,
    /// McAlpine EFLAW: words and mini-words (three letters or fewer) per sentence;
    /// 20 or less is easy for readers of English as a foreign language.
    pub mcalpine_eflaw: Option<f64>,
    /// The consensus grade of the indices (textstat's `text_standard`).
    pub text_standard: Option<f64>,
    /// Spanish: Fernández Huerta's ease (Flesch's formula with Spanish constants).
    pub fernandez_huerta: Option<f64>,
    /// Spanish: Szigriszt-Pazos's perspicuity (higher is easier).
    pub szigriszt_pazos: Option<f64>,
    /// Spanish: Gutiérrez de Polini's comprehensibility, from letters per word.
    pub gutierrez_polini: Option<f64>,
    /// Spanish: Crawford's school years.
    pub crawford: Option<f64>,
    /// German: the four Wiener Sachtextformeln (variants 1 to 4), as school grades.
    pub wiener_sachtextformel: Option<[f64; 4]>,
    /// Italian: the Gulpease index, 0 (hardest) to 100.
    pub gulpease_index: Option<f64>,
    /// The language whose formulas and syllables were used (ISO 639-1).
    pub formula_language: Option<String>,
    /// The consensus grade in words (`8th grade`, `college`).
    pub grade_level: Option<String>,
    /// Words as the formulas count them.
    pub words: Option<u64>,
    /// Sentences as the formulas count them.
    pub sentences: Option<u64>,
    /// Estimated syllables in those words.
    pub syllables: Option<u64>,
    /// `syllables / words`.
    pub average_syllables_per_word: Option<f64>,
    /// Words of three syllables or more.
    pub polysyllables: Option<u64>,
    /// Words of one syllable (the Wiener Sachtextformel).
    pub monosyllables: Option<u64>,
    /// Words of more than six letters (the Wiener Sachtextformel).
    pub long_words: Option<u64>,
    /// Words not on the Dale–Chall list of easy words.
    pub difficult_words: Option<u64>,
    /// Letters and digits of the words (Coleman–Liau).
    pub letters: Option<u64>,
    /// Characters that are not whitespace (the Automated Readability Index).
    pub characters: Option<u64>,
    /// Why the scores are missing, when they are.
    pub unavailable_reason: Option<String>,
}

/// A language guess.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Language {
    /// ISO 639-3 code, e.g. `eng`.
    pub code: String,
    /// ISO 639-1 code where one exists and wca knows it, e.g. `en`.
    pub code_639_1: Option<String>,
    /// English name.
    pub name: String,
    /// Writing system.
    pub script: String,
    /// Confidence from 0 to 1.
    pub confidence: f64,
    /// Whether the detector considers the guess reliable.
    pub reliable: bool,
    /// Bytes of word text the guess was made from.
    pub sample_bytes: u64,
    /// The sample is the HTML page's main content (its first
    /// [`wca_html::TEXT_CAP`] bytes of text decided), not all of its text.
    pub from_main_content: bool,
    /// The language was given (the `language` option), not guessed: confidence 1.
    pub given: bool,
}

/// What an HTML page holds besides its words.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct PageReport {
    /// Title, description, language, canonical link, headings, links and images.
    pub structure: Page,
    /// Characters of visible text (what a reader sees, whitespace included).
    pub text_characters: u64,
    /// Whether the page marks its main content (`main`, `article`, `[role=main]`).
    pub main_found: bool,
    /// Whether only the main content's words were counted (and `text_characters` are
    /// those of the main content).
    pub main_content_only: bool,
    /// Words inside each kind of landmark region. Regions can nest (a `header` inside
    /// an `article`), so the numbers can add up to more than the page's words.
    pub region_words: RegionWords,
}

/// Words inside each kind of landmark region.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct RegionWords {
    /// `main`, `article`, `[role=main]`.
    pub main: u64,
    /// `nav`, `[role=navigation]`.
    pub nav: u64,
    /// `header`, `[role=banner]`.
    pub header: u64,
    /// `footer`, `[role=contentinfo]`.
    pub footer: u64,
    /// `aside`, `[role=complementary]`.
    pub aside: u64,
}

/// Top words, bigrams and trigrams.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Frequencies {
    /// Which stopword list filtered the `*_filtered` lists (`"none"` for none).
    pub stopwords: String,
    /// Words.
    pub words: TermTable,
    /// Pairs of consecutive words within a sentence, joined by one space.
    pub bigrams: TermTable,
    /// Runs of three consecutive words within a sentence, joined by single spaces
    /// (empty unless [`Options::trigrams`](crate::Options::trigrams)).
    pub trigrams: TermTable,
}

/// A top list with its accuracy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct TermTable {
    /// Whether all counts are exact.
    pub exact: bool,
    /// Each reported count `c` has a true count in `[c, c + error_bound]`, and a term
    /// missing from the lists occurred at most `error_bound` times. 0 when exact.
    pub error_bound: u64,
    /// Distinct terms (exact when `exact`, else a HyperLogLog estimate).
    pub distinct: u64,
    /// The most frequent terms, by count descending then term ascending.
    pub top: Vec<Term>,
    /// The same without stopwords.
    pub top_filtered: Vec<Term>,
}

/// A term and its count.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Term {
    /// The term after folding.
    pub term: String,
    /// Occurrences (a lower bound when the table is not exact).
    pub count: u64,
}
