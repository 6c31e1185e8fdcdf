//! What the fuzz targets share: the core's chunk-invariance harness (`core_text`,
//! `core_html`) and an address oracle for the URL guard (`guard_url`, `guard_addr`).
//!
//! The library half is plain Rust, so the oracle's own test runs with `cargo test`
//! and the harness can be called from a scratch program to inspect a corpus.

pub mod chunks;
pub mod ip;
