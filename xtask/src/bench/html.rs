//! The HTML part of `cargo xtask bench`: `wca analyze` on a few hundred real pages
//! (the Rust documentation that ships with the toolchain, concatenated) next to the
//! same command on plain text and with `--main-only`, interleaved in one run. The
//! goals: HTML at no less than half the speed of plain text, in input bytes per
//! second, and main-content extraction at no less than half the speed of the whole
//! page.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::util::Result;

/// Pages taken from the documentation: every `STRIDE`-th, sorted by path.
const PAGES: usize = 400;

pub struct HtmlBench {
    pub pages: usize,
    pub html_bytes: u64,
    pub text_bytes: u64,
    pub html_seconds: f64,
    pub main_seconds: f64,
    pub text_seconds: f64,
    pub html_words: u64,
    pub main_words: u64,
}

/// Concatenates `PAGES` documentation pages into `dir/html.html` (once).
fn corpus(dir: &Path) -> Result<(PathBuf, usize)> {
    let sysroot = String::from_utf8(
        Command::new("rustc")
            .args(["--print", "sysroot"])
            .output()?
            .stdout,
    )?;
    let docs = PathBuf::from(sysroot.trim()).join("share/doc/rust/html");
    if !docs.is_dir() {
        return Err(
            "the Rust documentation is missing; run: rustup component add rust-docs".into(),
        );
    }
    let mut pages = Vec::new();
    collect(&docs, &mut pages)?;
    pages.sort();
    let stride = (pages.len() / PAGES).max(1);
    let chosen: Vec<&PathBuf> = pages.iter().step_by(stride).take(PAGES).collect();
    let out = dir.join("html.html");
    if !out.is_file() {
        let mut all = Vec::new();
        for p in &chosen {
            all.extend_from_slice(&std::fs::read(p)?);
            all.push(b'\n');
        }
        std::fs::write(&out, all)?;
    }
    Ok((out, chosen.len()))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    Ok(())
}

fn time(wca: &Path, file: &Path, flags: &[&str]) -> Result<f64> {
    let start = Instant::now();
    let out = Command::new(wca)
        .arg("analyze")
        .args(flags)
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    let secs = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!(
            "wca analyze {} failed: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(secs)
}

pub fn run(wca: &Path, text: &Path, dir: &Path, runs: usize) -> Result<HtmlBench> {
    let (html, pages) = corpus(dir)?;
    // The answer first: the corpus must be read as HTML, with words.
    let json = Command::new(wca)
        .args(["analyze", "--json"])
        .arg(&html)
        .output()?;
    let json = String::from_utf8_lossy(&json.stdout);
    if !json.contains("\"format\": \"html\"") {
        return Err(format!("{} was not analyzed as HTML", html.display()).into());
    }
    let html_words = super::json_number(&json, "counts", "words")?;
    let main = Command::new(wca)
        .args(["analyze", "--json", "--main-only"])
        .arg(&html)
        .output()?;
    let main_words = super::json_number(&String::from_utf8_lossy(&main.stdout), "counts", "words")?;
    if main_words == 0 || main_words >= html_words {
        return Err(format!("--main-only kept {main_words} of {html_words} words").into());
    }
    let (mut h, mut m, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..runs {
        if round % 2 == 0 {
            h.push(time(wca, &html, &[])?);
            m.push(time(wca, &html, &["--main-only"])?);
            t.push(time(wca, text, &[])?);
        } else {
            t.push(time(wca, text, &[])?);
            m.push(time(wca, &html, &["--main-only"])?);
            h.push(time(wca, &html, &[])?);
        }
    }
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    Ok(HtmlBench {
        pages,
        html_bytes: size(&html),
        text_bytes: size(text),
        html_seconds: super::median(&h),
        main_seconds: super::median(&m),
        text_seconds: super::median(&t),
        html_words,
        main_words,
    })
}

impl HtmlBench {
    pub fn markdown(&self) -> String {
        let mbs = |bytes: u64, s: f64| bytes as f64 / 1e6 / s;
        let (html, text) = (
            mbs(self.html_bytes, self.html_seconds),
            mbs(self.text_bytes, self.text_seconds),
        );
        let ratio = html / text;
        let main = mbs(self.html_bytes, self.main_seconds);
        let main_ratio = main / html;
        format!(
            "\n### HTML\n\n\
             | input | bytes | median s | MB/s |\n| --- | ---: | ---: | ---: |\n\
             | {} Rust documentation pages, concatenated (`wca analyze`, HTML: {} visible words) | {} | {:.3} | {:.1} |\n\
             | the same, main content only (`--main-only`: {} words kept) | {} | {:.3} | {:.1} |\n\
             | KJV ×10 (`wca analyze`, plain text) | {} | {:.3} | {:.1} |\n\n\
             HTML at {:.2}× the speed of plain text, in input bytes per second (goal: ≥ 0.5×): {}.\n\
             Main content at {:.2}× the speed of the whole page (goal: ≥ 0.5×): {}.\n",
            self.pages,
            self.html_words,
            self.html_bytes,
            self.html_seconds,
            html,
            self.main_words,
            self.html_bytes,
            self.main_seconds,
            main,
            self.text_bytes,
            self.text_seconds,
            text,
            ratio,
            if ratio >= 0.5 { "met" } else { "**missed**" },
            main_ratio,
            if main_ratio >= 0.5 {
                "met"
            } else {
                "**missed**"
            }
        )
    }
}
