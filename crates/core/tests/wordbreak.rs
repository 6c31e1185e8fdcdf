//! Conformance with Unicode's WordBreakTest (Unicode 17.0.0, the version of the
//! segmentation tables in use): every test line, whole and in 1-byte chunks, yields
//! exactly the segments that contain a letter or number. The file is Unicode's own
//! `WordBreakTest-17.0.0.txt`, as the `icu_segmenter` 2.1.1 crate ships it in
//! `tests/testdata/` (Node's `Intl.Segmenter` on ICU 78 agrees with it).

use wca_core::{Fold, Format, Options, Words};

struct Case {
    line: usize,
    text: String,
    segments: Vec<String>,
}

fn cases() -> Vec<Case> {
    let data = include_str!("data/WordBreakTest.txt");
    let mut cases = Vec::new();
    for (i, line) in data.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut text = String::new();
        let mut segments = vec![String::new()];
        for token in line.split_whitespace() {
            match token {
                "÷" => {
                    if !segments.last().unwrap().is_empty() {
                        segments.push(String::new());
                    }
                }
                "×" => {}
                hex => {
                    let c = char::from_u32(u32::from_str_radix(hex, 16).expect("hex code point"))
                        .expect("scalar");
                    text.push(c);
                    segments.last_mut().unwrap().push(c);
                }
            }
        }
        segments.retain(|s| !s.is_empty());
        cases.push(Case {
            line: i + 1,
            text,
            segments,
        });
    }
    cases
}

fn words(text: &str, chunk: usize) -> Vec<String> {
    let mut options = Options::default();
    options.fold = Fold::None;
    options.format = Format::Text;
    let mut w = Words::new(&options).unwrap();
    let mut out = Vec::new();
    for piece in text.as_bytes().chunks(chunk) {
        w.push(piece, |x| out.push(x.to_string()));
    }
    w.finish(|x| out.push(x.to_string()));
    out
}

#[test]
fn every_word_break_test_line_segments_as_unicode_says() {
    let cases = cases();
    assert_eq!(cases.len(), 1944, "test lines parsed");
    let mut failures = Vec::new();
    for case in &cases {
        // The analyzer's words are the segments with a letter or number, with the
        // typographic apostrophe normalized.
        let want: Vec<String> = case
            .segments
            .iter()
            .filter(|s| s.chars().any(char::is_alphanumeric))
            .map(|s| s.replace('\u{2019}', "'"))
            .collect();
        for chunk in [usize::MAX, 1] {
            let got = words(&case.text, chunk.min(case.text.len().max(1)));
            if got != want {
                failures.push(format!(
                    "line {} (chunk {chunk}): {:?}: want {want:?}, got {got:?}",
                    case.line, case.text
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
