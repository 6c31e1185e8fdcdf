//! The core on HTML (forced, or sniffed under `auto`): whole == split for any
//! chunking and options, no panics. See `src/chunks.rs`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use wca_fuzz::chunks::{Kind, check};

fuzz_target!(|data: &[u8]| check(data, Kind::Html));
