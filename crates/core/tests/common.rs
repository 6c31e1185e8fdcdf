//! Helpers shared by the integration tests.

use wca_core::{Analyzer, Options, Report};

/// Analyzes `bytes` pushed in chunks whose sizes cycle through `sizes` (0 pushes an
/// empty chunk; `usize::MAX` everything at once).
pub fn analyze(options: &Options, bytes: &[u8], sizes: &[usize]) -> Report {
    let mut a = Analyzer::new(options.clone()).expect("valid options");
    for piece in wca_testkit::chunks::split(bytes, sizes) {
        a.push(piece);
    }
    a.finish()
}

/// The terms of the report's top-word list, most frequent first.
pub fn top_words(r: &Report) -> Vec<String> {
    r.frequencies
        .words
        .top
        .iter()
        .map(|t| t.term.clone())
        .collect()
}
