//! `cargo xtask fuzz`: the cargo-fuzz targets in `fuzz/`, and their build and smoke
//! run in `cargo xtask test`.
//!
//! The targets are their own workspace (the root excludes `fuzz`), built by the
//! nightly toolchain with AddressSanitizer into `fuzz/target`, so they never share
//! artifacts with the stable builds, and depend only on `wca-core` and `wca-guard`.
//! Corpora grow in `fuzz/corpus/<target>/` and crashes land in
//! `fuzz/artifacts/<target>/` (both git-ignored); `fuzz/regressions/<target>/` holds
//! committed reproducers of fixed bugs, replayed by every run.
//!
//! A target runs in one process (libFuzzer's default, the same as `-jobs=1` without
//! the log files): the development machine has two cores and is shared.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, Result, root};

/// The targets, each with its libFuzzer dictionary (in `fuzz/dict/`), if any.
const TARGETS: &[(&str, Option<&str>)] = &[
    ("core_text", None),
    ("core_html", Some("html.dict")),
    ("guard_url", Some("url.dict")),
    ("guard_addr", None),
];

/// How long `cargo xtask test` fuzzes each target: enough to replay the corpus and
/// the regressions and to show that the harness runs, not to search.
const SMOKE_SECONDS: u32 = 10;

/// Inputs slower than this are reported as hangs. The slowest legitimate inputs (a
/// few KiB pushed a byte at a time, under AddressSanitizer) take milliseconds.
const TIMEOUT_SECONDS: u32 = 10;

/// Builds every target, then fuzzes each for a few seconds from its corpus and
/// replays its regressions: what `cargo xtask test` runs, so that the targets
/// cannot rot.
pub fn build() -> Result {
    ensure_tools()?;
    util::step("fuzz build", fuzz(&["build"]))?;
    for (target, dict) in TARGETS {
        fuzz_target(target, *dict, SMOKE_SECONDS)?;
    }
    Ok(())
}

/// `cargo xtask fuzz [--minutes N] [TARGET]`: fuzzes each target (or the one named)
/// for N minutes (default 5), one after the other.
pub fn run(args: &[String]) -> Result {
    let usage = "usage: cargo xtask fuzz [--minutes N] [TARGET]";
    let mut minutes = 5u32;
    let mut only = None;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--minutes" => {
                minutes = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or(format!("--minutes takes a whole number above 0; {usage}"))?;
            }
            name if only.is_none() && !name.starts_with('-') => only = Some(name),
            other => return Err(format!("unexpected argument `{other}`; {usage}").into()),
        }
    }
    let targets: Vec<_> = match only {
        None => TARGETS.iter().collect(),
        Some(name) => {
            let names: Vec<_> = TARGETS.iter().map(|(t, _)| *t).collect();
            let found = TARGETS.iter().find(|(t, _)| *t == name).ok_or(format!(
                "no fuzz target `{name}`; the targets are {}",
                names.join(", ")
            ))?;
            vec![found]
        }
    };
    ensure_tools()?;
    for (target, dict) in targets {
        fuzz_target(target, *dict, minutes * 60)?;
    }
    println!("xtask: fuzzing found nothing in {minutes} minute(s) per target");
    Ok(())
}

/// Fuzzes `target` for `seconds` from its corpus (seeded first if empty) and its
/// committed regressions.
fn fuzz_target(target: &str, dict: Option<&str>, seconds: u32) -> Result {
    let dir = root().join("fuzz");
    let corpus = dir.join("corpus").join(target);
    seed(target, &corpus)?;
    let mut cmd = fuzz(&["run", target]);
    cmd.arg(&corpus);
    let regressions = dir.join("regressions").join(target);
    if regressions.is_dir() {
        cmd.arg(&regressions);
    }
    cmd.arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-timeout={TIMEOUT_SECONDS}"))
        .arg("-print_final_stats=1");
    if let Some(dict) = dict {
        cmd.arg(format!("-dict={}", dir.join("dict").join(dict).display()));
    }
    util::step(&format!("fuzz {target} for {seconds} s"), cmd).map_err(|e| {
        format!(
            "{e}; the input that failed is in fuzz/artifacts/{target}/; replay it with: \
             cargo +nightly fuzz run {target} fuzz/artifacts/{target}/<file>"
        )
        .into()
    })
}

/// `cargo +nightly fuzz ARGS` from the workspace root, into `fuzz/target`.
fn fuzz(args: &[&str]) -> Command {
    // The rustup proxy on the PATH, not `$CARGO` (the stable cargo that runs this
    // task), which would not understand `+nightly`.
    let mut c = Command::new("cargo");
    c.arg("+nightly")
        .arg("fuzz")
        .args(args)
        .arg("--target-dir")
        .arg(root().join("fuzz/target"))
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .current_dir(root());
    c
}

/// The nightly toolchain (cargo-fuzz needs its sanitizer flags) and cargo-fuzz,
/// installed if missing.
fn ensure_tools() -> Result {
    let nightly = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.starts_with("nightly"))
        });
    if !nightly {
        return Err(
            "the fuzz targets need the nightly toolchain; run: rustup toolchain install nightly"
                .into(),
        );
    }
    let has_fuzz = || {
        Command::new("cargo")
            .args(["fuzz", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has_fuzz() {
        return Ok(());
    }
    util::step(
        "install cargo-fuzz",
        util::cargo(&["install", "cargo-fuzz"]),
    )
    .map_err(|e| format!("{e}; run: cargo install cargo-fuzz"))?;
    if has_fuzz() {
        Ok(())
    } else {
        Err("cargo-fuzz is not on the PATH after installing; run: cargo install cargo-fuzz".into())
    }
}

/// Starts an empty corpus from the repository's own fixtures, behind the input
/// headers that `fuzz/src/chunks.rs` documents: prose and UDHR text for
/// `core_text`, the HTML fixtures for `core_html`, a handful of URLs for `guard_url`.
/// Nothing is copied into git: the corpus is a scratch folder.
fn seed(target: &str, corpus: &Path) -> Result {
    std::fs::create_dir_all(corpus)?;
    if std::fs::read_dir(corpus)?.next().is_some() {
        return Ok(());
    }
    let files = |dir: &str, ext: &str| -> Result<Vec<PathBuf>> {
        let mut v: Vec<_> = std::fs::read_dir(root().join(dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect();
        v.sort();
        Ok(v)
    };
    // Header bytes: options, more options, the count of chunk sizes, the sizes.
    // Small inputs run fast (under the sanitizer and comparison tracing, language
    // detection alone costs milliseconds per KiB): 1 KiB of text holds many more
    // than the 16 distinct words of the approximate path, 2 KiB a page's structure.
    let (headers, docs, keep): (&[&[u8]], Vec<PathBuf>, usize) = match target {
        "core_text" => (
            // Defaults in 1-, 7- and 64-byte chunks; whitespace tokenizer, no
            // folding, the approximate counters, top 3, in 3-byte chunks.
            &[&[0x02, 0x00, 0x02, 1, 7, 64], &[0x0c, 0x10, 0x00, 3]],
            [
                files("tests/data/prose", "txt")?,
                files("tests/data/multilingual", "txt")?,
            ]
            .concat(),
            1024,
        ),
        "core_html" => (
            // Forced HTML in 5- and 200-byte chunks; padded past the sniffed prefix,
            // sniffed, main content only, a base URL, approximate, in 1-byte chunks.
            &[&[0x02, 0x00, 0x01, 5, 200], &[0x0a, 0x0f, 0x00, 1]],
            files("tests/data/html", "html")?,
            2048,
        ),
        "guard_url" => {
            for (i, url) in SEED_URLS.iter().enumerate() {
                // A first byte of 0 is the raw frame.
                let mut bytes = vec![0];
                bytes.extend_from_slice(url.as_bytes());
                std::fs::write(corpus.join(format!("seed-{i}")), bytes)?;
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    for doc in docs {
        let mut text = std::fs::read(&doc)?;
        text.truncate(keep);
        let name = doc.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
        for (i, header) in headers.iter().enumerate() {
            let mut bytes = header.to_vec();
            bytes.extend_from_slice(&text);
            std::fs::write(corpus.join(format!("seed-{name}-{i}")), bytes)?;
        }
    }
    Ok(())
}

/// Hosts in the forms the guard must see through, allowed and refused.
const SEED_URLS: &[&str] = &[
    "https://example.org/page",
    "http://example.org:8080/a?b#c",
    "http://127.0.0.1/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::1]:8080/",
    "http://[64:ff9b::a00:1]/",
    "http://[2002:7f00:1::]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://8.8.8.8/",
    "http://[2606:4700::1111]/",
    "http://user:pass@example.org/",
    "ftp://example.org/",
    "http://xn--nxasmq6b.example/",
];
