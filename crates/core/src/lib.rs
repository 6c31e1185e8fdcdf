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
mod front;
mod hash;
mod hll;
mod indices;
mod lang;
mod options;
mod readability;
mod report;
mod sentence;
mod sniff;
mod stopwords;
mod syllables;
mod textstat;
mod words;

pub use analyzer::{
    Analyzer, FAST_WPM, READING_CPM, READING_WPM, SLOW_WPM, SPEAKING_CPM, SPEAKING_WPM,
    paragraph_cut,
};
pub use options::{
    ConfigError, DEFAULT_MAX_DISTINCT, DEFAULT_TOP, Fold, Format, MAX_MAX_DISTINCT, MAX_TOP,
    MAX_WORD_BYTES, MIN_MAX_DISTINCT, Options, Tokenizer,
};
pub use report::*;
pub use sentence::LONGEST_SENTENCE_WORDS;
pub use sniff::EncodingSource;
pub use syllables::{SYLLABLE_LANGUAGES, SyllableDataError, has_syllables, install_syllables};
pub use wca_html::{
    Alternate, Checks, DomainLinks, DropReason, Dropped, Heading, Images, Links, MainContent,
    Metadata, Page, Property, Robots, SkippedLevel,
};

use wca_html::{Boundary, HtmlSink, Region};

/// Language codes that have a built-in stopword list.
pub fn stopword_languages() -> &'static [&'static str] {
    stopwords::LANGUAGES
}

/// The words of a text as the analyzer counts them: segmented, with typographic
/// apostrophes normalized and case folded, in order. HTML gives the words of its
/// visible text (or of its main content, with [`Options::main_content_only`]), as
/// the analyzer reads them.
///
/// ```
/// use wca_core::{Options, Words};
///
/// let mut words = Words::new(&Options::default()).unwrap();
/// let mut out = Vec::new();
/// words.push("Don’t st".as_bytes(), |w| out.push(w.to_string()));
/// words.finish(|w| out.push(w.to_string()));
/// assert_eq!(out, ["don't", "st"]);
/// ```
#[derive(Debug)]
pub struct Words {
    front: front::Front,
    splitter: words::Splitter,
    fold: Fold,
}

/// The words of the splitter, folded, to `f`.
struct Folded<F> {
    fold: Fold,
    buf: Vec<u8>,
    f: F,
}

impl<F: FnMut(&str)> words::Sink for Folded<F> {
    fn word(&mut self, text: &str, start: usize, end: usize) {
        self.buf.clear();
        analyzer::fold_into(&mut self.buf, &text[start..end], self.fold);
        // `fold_into` appends whole characters, so the buffer is valid UTF-8.
        (self.f)(core::str::from_utf8(&self.buf).unwrap_or_default());
    }
    fn punct(&mut self, _: char) {}
    fn gap(&mut self, _: u32) {}
    fn run_end(&mut self, _: &str, _: bool) {}
}

/// The front end's text into the splitter.
struct FoldSink<'a, F> {
    splitter: &'a mut words::Splitter,
    folded: Folded<F>,
}

impl<F: FnMut(&str)> front::FrontSink for FoldSink<'_, F> {
    fn plain(&mut self, text: &str) {
        self.splitter.push(text, &mut self.folded);
    }
}

impl<F: FnMut(&str)> HtmlSink for FoldSink<'_, F> {
    fn text(&mut self, text: &str) {
        self.splitter.push(text, &mut self.folded);
    }
    fn boundary(&mut self, _: Boundary) {
        // Block edges and line breaks end words, as whitespace does.
        self.splitter.push("\n", &mut self.folded);
    }
    fn region(&mut self, _: Region, _: bool) {}
}

impl Words {
    /// A word stream with the format, encoding, tokenizer and folding of `options`.
    pub fn new(options: &Options) -> Result<Self, ConfigError> {
        Ok(Self {
            front: front::Front::new(options)?,
            splitter: words::Splitter::new(options.tokenizer),
            fold: options.fold,
        })
    }

    fn sink<F>(&mut self, f: F) -> (FoldSink<'_, F>, &mut front::Front) {
        let sink = FoldSink {
            splitter: &mut self.splitter,
            folded: Folded {
                fold: self.fold,
                buf: Vec::new(),
                f,
            },
        };
        (sink, &mut self.front)
    }

    /// Pushes a chunk; `f` gets each word completed by it.
    pub fn push(&mut self, chunk: &[u8], f: impl FnMut(&str)) {
        let (mut sink, front) = self.sink(f);
        front.push(chunk, &mut sink);
    }

    /// Ends the text; `f` gets the words still pending.
    pub fn finish(mut self, f: impl FnMut(&str)) {
        let (mut sink, front) = self.sink(f);
        front.finish(&mut sink);
        sink.splitter.finish(&mut sink.folded);
    }
}

/// The text of an input as the analyzer reads it, laid out for people: plain text as
/// it is; for HTML the visible text (or the main content, with
/// [`Options::main_content_only`]) with whitespace collapsed as browsers collapse it,
/// a line break for each `br` and a blank line between blocks. What
/// `wca text` prints and the npm package's `extractText` returns; the same for every
/// chunking.
///
/// ```
/// use wca_core::{Options, TextExtractor};
///
/// let mut text = TextExtractor::new(&Options::default()).unwrap();
/// let mut out = String::new();
/// text.push(b"<title>T</title><p>One\n   two</p><p>Three<br>four", |t| out.push_str(t));
/// text.finish(|t| out.push_str(t));
/// assert_eq!(out, "One two\n\nThree\nfour\n");
/// ```
#[derive(Debug)]
pub struct TextExtractor {
    front: front::Front,
    layout: Layout,
}

/// What is pending between pieces of HTML text.
#[derive(Debug, Default)]
struct Layout {
    /// Something was written.
    started: bool,
    space: bool,
    /// Newlines owed before the next text: 1 after `br`, 2 after a block.
    breaks: u8,
}

struct LayoutSink<'a, F> {
    layout: &'a mut Layout,
    out: F,
}

impl<F: FnMut(&str)> front::FrontSink for LayoutSink<'_, F> {
    fn plain(&mut self, text: &str) {
        self.layout.started |= !text.is_empty();
        (self.out)(text);
    }
}

impl<F: FnMut(&str)> HtmlSink for LayoutSink<'_, F> {
    fn text(&mut self, text: &str) {
        let l = &mut *self.layout;
        for (i, piece) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if i > 0 {
                l.space = true;
            }
            if piece.is_empty() {
                continue;
            }
            if l.started {
                match l.breaks {
                    0 if l.space => (self.out)(" "),
                    0 => {}
                    1 => (self.out)("\n"),
                    _ => (self.out)("\n\n"),
                }
            }
            (self.out)(piece);
            l.started = true;
            l.space = false;
            l.breaks = 0;
        }
    }
    fn boundary(&mut self, boundary: Boundary) {
        let l = &mut *self.layout;
        l.space = false;
        l.breaks = l.breaks.max(match boundary {
            Boundary::Line => 1,
            Boundary::Paragraph => 2,
        });
    }
    fn region(&mut self, _: Region, _: bool) {}
}

impl TextExtractor {
    /// A text extractor with the format, encoding and main-content choice of
    /// `options`.
    pub fn new(options: &Options) -> Result<Self, ConfigError> {
        Ok(Self {
            front: front::Front::new(options)?,
            layout: Layout::default(),
        })
    }

    /// Pushes a chunk; `out` gets the text it completes.
    pub fn push(&mut self, chunk: &[u8], out: impl FnMut(&str)) {
        let mut sink = LayoutSink {
            layout: &mut self.layout,
            out,
        };
        self.front.push(chunk, &mut sink);
    }

    /// Ends the input; `out` gets the rest of the text (HTML's ends with a newline).
    /// The answer is the page, for HTML.
    pub fn finish(mut self, mut out: impl FnMut(&str)) -> Option<Page> {
        let mut sink = LayoutSink {
            layout: &mut self.layout,
            out: &mut out,
        };
        self.front.finish(&mut sink);
        let (detected, _, page) = self.front.outcome();
        if detected.html && self.layout.started {
            out("\n");
        }
        page
    }
}
