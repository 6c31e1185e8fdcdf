//! `wca-core` is the streaming text analyzer behind wca, the Web Content Analyzer. It
//! does no I/O: the caller pushes bytes in chunks of any size, split anywhere, and
//! gets one [`Report`] at the end — word and sentence counts, reading times,
//! readability, a language guess, and the top words and bigrams — identical for every
//! chunking. Memory is bounded by [`Options::max_distinct`], never by the input: past
//! that budget the word counts become approximate and the report states their bounds.
//!
//! ```
//! use wca_core::{Analyzer, Options};
//!
//! let mut analyzer = Analyzer::new(Options::default())?;
//! for chunk in ["The cat sat on the m", "at. The cat sl", "ept."] {
//!     analyzer.push(chunk.as_bytes());
//! }
//! let report = analyzer.finish();
//! assert_eq!(report.counts.words, 9);
//! assert_eq!(report.counts.sentences, 2);
//! assert_eq!(report.frequencies.words.top[0].term, "the");
//! assert_eq!(report.frequencies.words.top[0].count, 3);
//! # Ok::<(), wca_core::ConfigError>(())
//! ```
//!
//! [`Words`] gives the word stream itself, as the analyzer sees it.

#![deny(missing_docs)]

mod analyzer;
mod counter;
mod decode;
mod hash;
mod hll;
mod lang;
mod options;
mod readability;
mod report;
mod sentence;
mod sniff;
mod stopwords;
mod textstat;
mod words;

pub use analyzer::{Analyzer, READING_CPM, READING_WPM, SPEAKING_CPM, SPEAKING_WPM};
pub use options::{
    ConfigError, DEFAULT_MAX_DISTINCT, DEFAULT_TOP, Fold, Format, MAX_MAX_DISTINCT, MAX_TOP,
    MAX_WORD_BYTES, MIN_MAX_DISTINCT, Options, Tokenizer,
};
pub use report::*;
pub use sniff::EncodingSource;
pub use wca_html::{Heading, Images, Links, Page};

/// Language codes that have a built-in stopword list.
pub fn stopword_languages() -> &'static [&'static str] {
    stopwords::LANGUAGES
}

/// The words of a text as the analyzer counts them: segmented, with typographic
/// apostrophes normalized and case folded, in order.
///
/// ```
/// use wca_core::{Options, Words};
///
/// let mut words = Words::new(&Options::default());
/// let mut out = Vec::new();
/// words.push("Don’t st".as_bytes(), |w| out.push(w.to_string()));
/// words.finish(|w| out.push(w.to_string()));
/// assert_eq!(out, ["don't", "st"]);
/// ```
#[derive(Debug)]
pub struct Words {
    decoder: decode::Utf8Decoder,
    splitter: words::Splitter,
    fold: Fold,
}

struct FoldSink<F> {
    fold: Fold,
    buf: Vec<u8>,
    f: F,
}

impl<F: FnMut(&str)> words::Sink for FoldSink<F> {
    fn word(&mut self, text: &str, start: usize, end: usize) {
        self.buf.clear();
        analyzer::fold_into(&mut self.buf, &text[start..end], self.fold);
        // `fold_into` appends whole characters, so the buffer is valid UTF-8.
        (self.f)(core::str::from_utf8(&self.buf).unwrap_or_default());
    }
    fn punct(&mut self, _: char) {}
    fn gap(&mut self, _: u32) {}
    fn run_end(&mut self, _: &str) {}
}

impl Words {
    /// A word stream with the tokenizer and folding of `options`.
    pub fn new(options: &Options) -> Self {
        Self {
            decoder: decode::Utf8Decoder::default(),
            splitter: words::Splitter::new(options.tokenizer),
            fold: options.fold,
        }
    }

    /// Pushes a chunk; `f` gets each word completed by it.
    pub fn push(&mut self, chunk: &[u8], f: impl FnMut(&str)) {
        let mut sink = FoldSink {
            fold: self.fold,
            buf: Vec::new(),
            f,
        };
        let splitter = &mut self.splitter;
        self.decoder
            .push(chunk, &mut |text| splitter.push(text, &mut sink));
    }

    /// Ends the text; `f` gets the words still pending.
    pub fn finish(mut self, f: impl FnMut(&str)) {
        let mut sink = FoldSink {
            fold: self.fold,
            buf: Vec::new(),
            f,
        };
        let splitter = &mut self.splitter;
        self.decoder
            .finish(&mut |text| splitter.push(text, &mut sink));
        self.splitter.finish(&mut sink);
    }
}
