//! What an analysis is asked to do, validated once by [`Analyzer::new`](crate::Analyzer::new).

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// How text is cut into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(Serialize, Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Tokenizer {
    /// UAX #29 word boundaries; a word is a segment with at least one letter or number.
    #[default]
    Unicode,
    /// Runs of non-whitespace, like `wc -w`.
    Whitespace,
}

/// How words are case-folded before counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(Serialize, Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Fold {
    /// Words are counted as written.
    None,
    /// `A`–`Z` become `a`–`z`; everything else is kept.
    Ascii,
    /// Unicode lowercase mapping (`str::to_lowercase`).
    #[default]
    Unicode,
}

/// What the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(Serialize, Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Format {
    /// Decide from [`Options::content_type`], else from the first bytes: a doctype, an
    /// `<html>` tag, a comment or any leading tag mean HTML.
    #[default]
    Auto,
    /// Plain text.
    Text,
    /// HTML: only the visible text is counted, and the page's structure is reported.
    Html,
}

impl Format {
    /// The name the options and the report give it: `auto`, `text`, `html`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Html => "html",
        }
    }
}

impl core::fmt::Display for Format {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Options of an analysis. `Default` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(Serialize, Deserialize),
    serde(default, deny_unknown_fields)
)]
#[non_exhaustive]
pub struct Options {
    /// What the input is.
    pub format: Format,
    /// The Content-Type the input came with (e.g. from HTTP), if any: it decides the
    /// format under [`Format::Auto`], and its `charset` parameter is an encoding hint.
    pub content_type: Option<String>,
    /// An encoding label (`utf-8`, `windows-1252`, `shift_jis`, …) that overrides the
    /// Content-Type's charset. A byte order mark still wins, as in browsers.
    pub charset: Option<String>,
    /// The page's URL, for telling internal links from external ones.
    pub base_url: Option<String>,
    /// For HTML: count only the words of the page's main content, its article, as
    /// `wca_html`'s main-content extraction finds it; the report's
    /// `page.structure.main_content` says what was kept and what was dropped, and why.
    pub main_content_only: bool,
    /// How text is cut into words.
    pub tokenizer: Tokenizer,
    /// How words are case-folded.
    pub fold: Fold,
    /// How many entries the top-word and top-bigram lists hold (1–10 000).
    pub top: usize,
    /// The language the text is in, as an ISO 639-1 or 639-3 code (`en`, `eng`),
    /// instead of the guess: readability is computed for it if it has formulas, and
    /// `stopwords: "auto"` takes its list. `None`: guessed from the text.
    pub language: Option<String>,
    /// Stopword list for the filtered lists: `"auto"` (the detected language's list,
    /// if there is one), `"none"`, or a language code from [`stopword_languages`](crate::stopword_languages).
    pub stopwords: String,
    /// Extra stopwords, added to the list chosen by `stopwords`.
    pub custom_stopwords: Vec<String>,
    /// Distinct words counted exactly; past this the counts become approximate with
    /// stated bounds. Distinct bigrams get twice this. This is the memory budget: at
    /// most about 55 bytes per word (a 24-byte table slot at 7/8 load, and its key) and
    /// 65 per bigram, so about 20 MiB at the default when both tables are full.
    pub max_distinct: usize,
    /// Whether to count bigrams. Off, the bigram table stays empty and the analysis
    /// runs faster (`wca freq` turns it off).
    pub bigrams: bool,
    /// Whether to count trigrams (three-word phrases), bounded as bigrams are: twice
    /// `max_distinct` distinct ones counted exactly, then approximate with stated
    /// bounds; up to about 16 MiB more when full. Off by default: it costs time on
    /// every word.
    pub trigrams: bool,
    /// Whether to compute sentences, paragraphs and readability. Off, only words and
    /// their frequencies are counted (those counts read zero, readability is absent)
    /// and the analysis runs faster; `wca freq` turns it off.
    pub statistics: bool,
}

/// Default of [`Options::top`].
pub const DEFAULT_TOP: usize = 100;
/// Default of [`Options::max_distinct`]: 114 688 words (and twice as many bigrams),
/// about 25 MiB of tables when full. 7/8 of a power of two, the most a hash table of
/// that many slots holds before it must grow.
pub const DEFAULT_MAX_DISTINCT: usize = (1 << 17) / 8 * 7;

/// The largest [`Options::top`].
pub const MAX_TOP: usize = 10_000;
/// The smallest [`Options::max_distinct`].
pub const MIN_MAX_DISTINCT: usize = 16;
/// The largest [`Options::max_distinct`].
pub const MAX_MAX_DISTINCT: usize = 1 << 26;
/// The longest word counted, in bytes; longer ones are cut (and so is a custom
/// stopword, which may not be longer).
pub const MAX_WORD_BYTES: usize = 128;

impl Options {
    /// Checks the options as [`Analyzer::new`](crate::Analyzer::new) does, without
    /// building an analyzer: the ranges, the stopword language, the charset label.
    ///
    /// ```
    /// let mut options = wca_core::Options::default();
    /// options.top = 0;
    /// assert!(options.validate().unwrap_err().to_string().contains("top"));
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.check_limits()?;
        crate::analyzer::language_of(self)?;
        crate::analyzer::stopword_choice(self)?;
        crate::front::charset_of(self)?;
        Ok(())
    }

    pub(crate) fn check_limits(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_TOP).contains(&self.top) {
            return Err(invalid(
                "top",
                format!("must be between 1 and {MAX_TOP}, not {}", self.top),
            ));
        }
        if self.max_distinct < MIN_MAX_DISTINCT {
            return Err(invalid(
                "max_distinct",
                format!(
                    "must be at least {MIN_MAX_DISTINCT}, not {}",
                    self.max_distinct
                ),
            ));
        }
        if self.max_distinct > MAX_MAX_DISTINCT {
            return Err(invalid(
                "max_distinct",
                format!(
                    "must be at most {MAX_MAX_DISTINCT}, not {}",
                    self.max_distinct
                ),
            ));
        }
        if let Some(w) = self
            .custom_stopwords
            .iter()
            .find(|w| w.len() > MAX_WORD_BYTES)
        {
            return Err(invalid(
                "custom_stopwords",
                format!("{:.20}… is longer than {MAX_WORD_BYTES} bytes", w),
            ));
        }
        Ok(())
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            format: Format::default(),
            content_type: None,
            charset: None,
            base_url: None,
            main_content_only: false,
            tokenizer: Tokenizer::default(),
            fold: Fold::default(),
            top: DEFAULT_TOP,
            language: None,
            stopwords: "auto".into(),
            custom_stopwords: Vec::new(),
            max_distinct: DEFAULT_MAX_DISTINCT,
            bigrams: true,
            trigrams: false,
            statistics: true,
        }
    }
}

/// Options that cannot be used, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A field has a value outside its range or vocabulary.
    #[error("invalid option `{field}`: {reason}")]
    Invalid {
        /// The field's name, as in the JSON form of [`Options`].
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        field,
        reason: reason.into(),
    }
}
