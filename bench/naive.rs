//! The naive baseline of `cargo xtask bench`: what a Rust programmer writes first.
//!
//! Reads FILE in full, splits it with `str::split_whitespace`, lowercases each word
//! and counts it in a `std::collections::HashMap<String, u64>`, then prints
//! `WORD COUNT` lines by count descending, ties by word ascending (the countwords
//! format), and `words N distinct M` on standard error.
//!
//! Standalone on purpose: xtask compiles it with `rustc -C opt-level=3`, so the
//! baseline is optimised whatever profile xtask itself is built with.

use std::collections::HashMap;
use std::io::Write;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: naive FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("naive: {path}: {e}");
            std::process::exit(1);
        }
    };
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut words: u64 = 0;
    for word in text.split_whitespace() {
        *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        words += 1;
    }
    let mut ordered: Vec<(&String, &u64)> = counts.iter().collect();
    ordered.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (word, count) in ordered {
        if writeln!(out, "{word} {count}").is_err() {
            std::process::exit(1);
        }
    }
    if out.flush().is_err() {
        std::process::exit(1);
    }
    eprintln!("words {words} distinct {}", counts.len());
}
