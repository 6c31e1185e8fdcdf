//! wca-core's integration tests, one binary: the analyzer against naive oracles,
//! encodings, HTML reports, readability against textstat, and Unicode's word breaks.

mod analyzer;
mod common;
mod encoding;
mod html_report;
mod parts;
mod readability;
mod wordbreak;
