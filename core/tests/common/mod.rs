//! Helpers shared by the integration tests.

// Each test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use wca_core::{Analyzer, Options, Report};

/// Analyzes `bytes` pushed in chunks whose sizes cycle through `sizes` (a size of
/// `usize::MAX` pushes everything at once).
pub fn analyze(options: &Options, bytes: &[u8], sizes: &[usize]) -> Report {
    let mut a = Analyzer::new(options.clone()).expect("valid options");
    let mut rest = bytes;
    let mut k = 0;
    while !rest.is_empty() {
        let n = sizes[k % sizes.len()].clamp(1, rest.len());
        a.push(&rest[..n]);
        rest = &rest[n..];
        k += 1;
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
