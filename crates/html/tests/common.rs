//! What the extractor's tests share: a sink that records events, and chunked runs
//! (cut by wca-testkit's chunking, so `CHUNK_SIZE` and `CHUNK_SEED` replay them).

use wca_html::{Boundary, HtmlExtractor, HtmlSink, Page, Region};

/// One sink event; adjacent texts are merged, so splits do not show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Text(String),
    Line,
    Paragraph,
    Enter(Region),
    Leave(Region),
}

/// Records the events it receives.
#[derive(Debug, Default)]
pub struct Recorder {
    pub events: Vec<Event>,
    /// What [`HtmlSink::main_text`] received.
    pub main: String,
}

impl HtmlSink for Recorder {
    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        match self.events.last_mut() {
            Some(Event::Text(last)) => last.push_str(text),
            _ => self.events.push(Event::Text(text.to_string())),
        }
    }

    fn boundary(&mut self, boundary: Boundary) {
        self.events.push(match boundary {
            Boundary::Line => Event::Line,
            Boundary::Paragraph => Event::Paragraph,
        });
    }

    fn region(&mut self, region: Region, inside: bool) {
        self.events.push(if inside {
            Event::Enter(region)
        } else {
            Event::Leave(region)
        });
    }

    fn main_text(&mut self, text: &str) {
        self.main.push_str(text);
    }
}

/// Runs the extractor over `html` cut into pieces of `sizes` bytes (cycled; a cut
/// inside a character moves to its end; 0 means an empty piece).
pub fn extract_chunked(html: &str, base: Option<&str>, sizes: &[usize]) -> (Vec<Event>, Page) {
    run_chunked(HtmlExtractor::new(base), html, sizes)
}

/// [`extract_chunked`] with main-content extraction.
pub fn extract_main_chunked(html: &str, sizes: &[usize]) -> (Vec<Event>, Page) {
    run_chunked(HtmlExtractor::new(None).main_content(), html, sizes)
}

/// [`extract_chunked`] observing the main content: the events, and the main text.
pub fn observe_chunked(html: &str, sizes: &[usize]) -> (Vec<Event>, String, Page) {
    let (sink, page) = record(HtmlExtractor::new(None).observe_main_content(), html, sizes);
    (sink.events, sink.main, page)
}

fn run_chunked(extractor: HtmlExtractor, html: &str, sizes: &[usize]) -> (Vec<Event>, Page) {
    let (sink, page) = record(extractor, html, sizes);
    (sink.events, page)
}

fn record(mut extractor: HtmlExtractor, html: &str, sizes: &[usize]) -> (Recorder, Page) {
    let mut sink = Recorder::default();
    for piece in wca_testkit::chunks::split_str(html, sizes) {
        extractor.push(piece, &mut sink);
    }
    extractor.finish(&mut sink);
    (sink, extractor.page())
}

/// Runs the extractor over `html` in one piece.
pub fn extract(html: &str) -> (Vec<Event>, Page) {
    extract_chunked(html, None, &[usize::MAX])
}

/// The text as the analyzer reads it: paragraph boundaries are blank lines, line
/// boundaries newlines.
pub fn plain(events: &[Event]) -> String {
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(text) => out.push_str(text),
            Event::Line => out.push('\n'),
            Event::Paragraph => out.push_str("\n\n"),
            Event::Enter(_) | Event::Leave(_) => {}
        }
    }
    out
}

/// The named character references: name without `&` and `;`, text, and whether it
/// is recognised without `;`.
pub fn entities() -> impl Iterator<Item = (&'static str, &'static str, bool)> {
    wca_html::named_references()
}
