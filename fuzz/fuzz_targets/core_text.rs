//! The core on plain text: whole == split for any chunking and options, no panics,
//! and the whitespace tokenizer against `split_whitespace`. See `src/chunks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wca_fuzz::chunks::{Kind, check};

fuzz_target!(|data: &[u8]| check(data, Kind::Text));
