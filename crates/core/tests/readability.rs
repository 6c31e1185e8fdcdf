//! Readability agrees with textstat 0.7.13, the reference implementation, within one
//! point on English prose. The expected values were computed by textstat itself
//! (`tests/data/prose/make_golden.py`), not by wca.

// The test reads its fixtures; the library itself does no I/O.
#![allow(clippy::disallowed_methods)]

use wca_core::{Analyzer, Options};

#[test]
fn flesch_scores_agree_with_textstat_within_one_point() {
    let dir = wca_testkit::data("prose");
    let golden: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("textstat_golden.json")).unwrap())
            .unwrap();
    let files = golden["files"].as_object().expect("files");
    assert!(files.len() >= 6, "too few fixtures: {}", files.len());
    let mut failures = Vec::new();
    for (name, want) in files {
        let text = std::fs::read(dir.join(name)).unwrap();
        let mut a = Analyzer::new(Options::default()).unwrap();
        // Odd chunks, to exercise the streaming path too.
        for chunk in text.chunks(333) {
            a.push(chunk);
        }
        let r = a.finish().readability;
        let (fre, fk) = (
            r.flesch_reading_ease.expect("English"),
            r.flesch_kincaid_grade.expect("English"),
        );
        let (want_fre, want_fk) = (
            want["flesch_reading_ease"].as_f64().unwrap(),
            want["flesch_kincaid_grade"].as_f64().unwrap(),
        );
        if (fre - want_fre).abs() > 1.0 || (fk - want_fk).abs() > 1.0 {
            failures.push(format!(
                "{name}: FRE {fre} vs {want_fre}, FK {fk} vs {want_fk} (words {:?}/{}, sentences {:?}/{}, syllables {:?}/{})",
                r.words, want["lexicon_count"], r.sentences, want["sentence_count"], r.syllables, want["syllable_count"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
