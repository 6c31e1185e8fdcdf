//! The analyzer's promises, checked from outside: chunk invariance, agreement with
//! naive oracles, the bounds of approximate counting, and named edge cases.

// The naive oracles use std's HashMap on purpose: they only count, never order.
#![allow(clippy::disallowed_types)]

use crate::common::analyze;

use std::collections::HashMap;

use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;
use wca_core::{Analyzer, Fold, Options, Report, Tokenizer};

fn options(tokenizer: Tokenizer, fold: Fold) -> Options {
    let mut o = Options::default();
    o.tokenizer = tokenizer;
    o.fold = fold;
    o
}

fn whole(options: &Options, text: &str) -> Report {
    analyze(options, text.as_bytes(), &[usize::MAX])
}

/// Text built from fragments that exercise every path: ASCII words and punctuation,
/// sentence ends, abbreviations, blank lines, CRLF, non-ASCII letters, combining
/// marks, curly apostrophes, CJK, emoji, invalid bytes.
fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    const FRAGMENTS: &[&[u8]] = &[
        b"the ",
        b"The ",
        b"cat",
        b"Cat ",
        b"sat. ",
        b"Dr. ",
        b"e.g. ",
        b"7 a.m. ",
        b"Why? ",
        b"yes!\n",
        b"\n\n",
        b"\r\n",
        b"3.14 ",
        b"don't ",
        "don\u{2019}t ".as_bytes(),
        "caf\u{e9} ".as_bytes(),
        "nai\u{308}ve ".as_bytes(),
        "\u{4e2d}\u{6587}\u{3002}".as_bytes(),
        "\u{0e44}\u{0e17}\u{0e22} ".as_bytes(),
        "\u{1f600} ".as_bytes(),
        b"\xff\xc0",
        b"\xe2\x82",
        b"-- ",
        b"\"quoted.\" ",
        b"x_y ",
        b"\t",
        b"USA.",
        "\u{3a3}\u{39f}\u{3a3} ".as_bytes(),
        // Whitespace outside ASCII: no-break, ideographic, em and Ogham spaces (one
        // with a combining mark), NEL, the paragraph separator; and VT, FF.
        "x\u{a0}y".as_bytes(),
        "\u{3000}".as_bytes(),
        "a\u{2003}b".as_bytes(),
        "\u{1680}\u{301}".as_bytes(),
        "\u{85}".as_bytes(),
        "end\u{2029}".as_bytes(),
        b"\x0b\x0c",
    ];
    let fragment = proptest::sample::select(FRAGMENTS);
    proptest::collection::vec(fragment, 0..60).prop_map(|v| v.concat())
}

fn sizes() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(1usize..17, 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The headline property: one report, whatever the chunking.
    #[test]
    fn report_is_the_same_for_every_chunking(bytes in text_bytes(), sizes in sizes()) {
        for tokenizer in [Tokenizer::Unicode, Tokenizer::Whitespace] {
            let mut o = options(tokenizer, Fold::Unicode);
            o.trigrams = true;
            let one_shot = analyze(&o, &bytes, &[usize::MAX]);
            prop_assert_eq!(&analyze(&o, &bytes, &sizes), &one_shot);
            prop_assert_eq!(&analyze(&o, &bytes, &[1]), &one_shot);
        }
    }

    /// Past the exact budget the report is still chunk-invariant, and every count
    /// keeps its stated bound.
    #[test]
    fn approximate_counts_keep_their_bounds(words in proptest::collection::vec(0u32..400, 1..3000), sizes in sizes()) {
        let text: String = words.iter().map(|w| format!("w{} ", w % 7 * w)).collect();
        let mut o = options(Tokenizer::Whitespace, Fold::None);
        o.max_distinct = 16;
        o.top = 50;
        o.trigrams = true;
        let r = analyze(&o, text.as_bytes(), &sizes);
        prop_assert_eq!(&r, &analyze(&o, text.as_bytes(), &[usize::MAX]));
        let mut truth: HashMap<&str, u64> = HashMap::new();
        for w in text.split_whitespace() {
            *truth.entry(w).or_default() += 1;
        }
        let table = &r.frequencies.words;
        prop_assert_eq!(table.exact, truth.len() <= 16);
        for t in &table.top {
            let n = truth[t.term.as_str()];
            prop_assert!(t.count <= n && n <= t.count + table.error_bound, "{}: {} + {} vs {}", t.term, t.count, table.error_bound, n);
        }
        // Anything more frequent than the bound must be listed.
        for (w, &n) in &truth {
            if n > table.error_bound && table.top.len() < 50 {
                prop_assert!(table.top.iter().any(|t| t.term == *w), "{} ({}) missing, bound {}", w, n, table.error_bound);
            }
        }
        if !table.exact {
            let est = r.counts.unique_words as f64;
            let n = truth.len() as f64;
            prop_assert!((est - n).abs() <= n * r.counts.unique_words_error + 2.0, "estimate {} vs {}", est, n);
        }
    }

    /// Characters with and without spaces agree with std's `chars` and
    /// `char::is_whitespace` on the decoded text.
    #[test]
    fn characters_with_and_without_spaces_match_std(bytes in text_bytes(), sizes in sizes()) {
        let text = String::from_utf8_lossy(&bytes);
        for tokenizer in [Tokenizer::Unicode, Tokenizer::Whitespace] {
            let r = analyze(&options(tokenizer, Fold::Unicode), &bytes, &sizes);
            prop_assert_eq!(r.counts.characters, text.chars().count() as u64);
            prop_assert_eq!(r.counts.characters_no_spaces, text.chars().filter(|c| !c.is_whitespace()).count() as u64);
        }
    }

    /// The whitespace tokenizer agrees with `split_whitespace` and a `HashMap`.
    #[test]
    fn whitespace_tokenizer_matches_naive_counting(bytes in text_bytes(), sizes in sizes()) {
        let o = options(Tokenizer::Whitespace, Fold::Ascii);
        let r = analyze(&o, &bytes, &sizes);
        let text = String::from_utf8_lossy(&bytes);
        let mut counts: HashMap<String, u64> = HashMap::new();
        for w in text.split_whitespace() {
            *counts.entry(w.replace('\u{2019}', "'").to_ascii_lowercase()).or_default() += 1;
        }
        prop_assert_eq!(r.counts.words, text.split_whitespace().count() as u64);
        prop_assert_eq!(r.counts.unique_words, counts.len() as u64);
        prop_assert_eq!(r.frequencies.words.top, oracle_top(counts, 100));
    }

    /// The Unicode tokenizer agrees with `unicode_words()` and a `HashMap`.
    #[test]
    fn unicode_tokenizer_matches_naive_counting(bytes in text_bytes(), sizes in sizes()) {
        let o = options(Tokenizer::Unicode, Fold::Unicode);
        let r = analyze(&o, &bytes, &sizes);
        let text = String::from_utf8_lossy(&bytes);
        let mut counts: HashMap<String, u64> = HashMap::new();
        for w in text.unicode_words() {
            *counts.entry(w.replace('\u{2019}', "'").to_lowercase()).or_default() += 1;
        }
        prop_assert_eq!(r.counts.words, text.unicode_words().count() as u64);
        prop_assert_eq!(r.frequencies.words.top, oracle_top(counts, 100));
        prop_assert_eq!(r.input.characters, text.chars().count() as u64);
        prop_assert_eq!(r.input.bytes, bytes.len() as u64);
    }
}

/// Found by the `core_text` fuzz target (fuzz/regressions/core_text/): the sketch of
/// distinct words was built from the table at the first purge, without the new word
/// that caused the purge, so a word seen once right then was never estimated.
#[test]
fn the_word_that_ends_exact_counting_is_in_the_estimate() {
    let mut o = options(Tokenizer::Unicode, Fold::Unicode);
    o.max_distinct = 16;
    let text: String = (0..17).map(|i| format!("w{i} ")).collect();
    let r = whole(&o, &text);
    assert!(!r.counts.unique_words_exact);
    assert_eq!(r.counts.unique_words, 17);
    assert_eq!(r.frequencies.words.distinct, 17);
}

fn oracle_top(counts: HashMap<String, u64>, k: usize) -> Vec<wca_core::Term> {
    let mut v: Vec<(String, u64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(k);
    // Terms are #[non_exhaustive]: build them through serde.
    v.into_iter()
        .map(|(term, count)| {
            serde_json::from_value(serde_json::json!({ "term": term, "count": count })).unwrap()
        })
        .collect()
}

#[test]
fn sentences_follow_the_documented_rule() {
    let cases: &[(&str, &str, u64)] = &[
        ("empty", "", 0),
        ("no terminator", "just some words", 1),
        ("two plain", "The cat sat. The dog ran.", 2),
        ("question and exclamation", "Why? Because! Fine.", 3),
        ("title", "Dr. Smith arrived. He sat down.", 2),
        (
            "latin abbreviation",
            "Use a tool, e.g. a hammer. Then stop.",
            2,
        ),
        (
            "e.g. before a capital",
            "Big cities, e.g. London, are loud.",
            1,
        ),
        ("a.m. mid-sentence", "I woke at 7 a.m. and went out.", 1),
        ("a.m. at the end", "I woke at 7 a.m. The sun was up.", 2),
        ("initial", "J. Smith wrote it. Then he left.", 2),
        ("closing quote", "\"Stop.\" She left.", 2),
        ("ellipsis", "Wait... What now?", 2),
        ("decimal", "Pi is 3.14 or so.", 1),
        ("no space after period", "see example.com for more", 1),
        ("paragraph without period", "A heading\n\nThe body text.", 2),
        (
            "cjk full stop",
            "\u{4e2d}\u{6587}\u{3002}\u{4e2d}\u{6587}\u{3002}",
            2,
        ),
        ("stray punctuation", "Hello. . . !", 1),
        ("etc then capital", "Apples, pears etc. Then more.", 2),
        ("etc then lower", "apples, pears etc. and more.", 1),
    ];
    for (name, text, want) in cases {
        // The whitespace tokenizer sees punctuation only around tokens, and CJK text
        // has no spaces: a full stop inside a token is not seen.
        let tokenizers: &[Tokenizer] = if name.starts_with("cjk") {
            &[Tokenizer::Unicode]
        } else {
            &[Tokenizer::Unicode, Tokenizer::Whitespace]
        };
        for &t in tokenizers {
            let got = whole(&options(t, Fold::Unicode), text).counts.sentences;
            assert_eq!(got, *want, "{name} ({t:?}): {text:?}");
        }
    }
}

#[test]
fn counts_of_named_edge_cases() {
    struct Case {
        name: &'static str,
        text: &'static [u8],
        words: u64,
        lines: u64,
        paragraphs: u64,
        invalid: u64,
    }
    let cases = [
        Case {
            name: "empty",
            text: b"",
            words: 0,
            lines: 0,
            paragraphs: 0,
            invalid: 0,
        },
        Case {
            name: "whitespace only",
            text: b"  \t ",
            words: 0,
            lines: 1,
            paragraphs: 0,
            invalid: 0,
        },
        Case {
            name: "newline only",
            text: b"\n",
            words: 0,
            lines: 1,
            paragraphs: 0,
            invalid: 0,
        },
        Case {
            name: "crlf lines",
            text: b"a\r\nb\r\n",
            words: 2,
            lines: 2,
            paragraphs: 1,
            invalid: 0,
        },
        Case {
            name: "old mac lines",
            text: b"a\rb",
            words: 2,
            lines: 2,
            paragraphs: 1,
            invalid: 0,
        },
        Case {
            name: "no final newline",
            text: b"a\nb",
            words: 2,
            lines: 2,
            paragraphs: 1,
            invalid: 0,
        },
        Case {
            name: "paragraphs",
            text: b"a b\n\nc\n \n\nd\n",
            words: 4,
            lines: 6,
            paragraphs: 3,
            invalid: 0,
        },
        Case {
            name: "final paragraph separator",
            text: "a\u{2029}".as_bytes(),
            words: 1,
            lines: 1,
            paragraphs: 1,
            invalid: 0,
        },
        Case {
            name: "line separators",
            text: "a\u{2028}b\u{85}c\u{2028}".as_bytes(),
            words: 3,
            lines: 3,
            paragraphs: 1,
            invalid: 0,
        },
        Case {
            name: "invalid bytes",
            text: b"ab\xffcd\xe2\x82",
            words: 2,
            lines: 1,
            paragraphs: 1,
            invalid: 2,
        },
        Case {
            name: "nul bytes",
            text: b"a\0b",
            words: 2,
            lines: 1,
            paragraphs: 1,
            invalid: 0,
        },
        Case {
            name: "binary",
            text: &[0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xd8],
            words: 1,
            lines: 1,
            paragraphs: 1,
            invalid: 3,
        },
    ];
    for c in cases {
        for chunk in [1, usize::MAX] {
            let r = analyze(&Options::default(), c.text, &[chunk]);
            assert_eq!(r.counts.words, c.words, "{}: words", c.name);
            assert_eq!(r.counts.lines, c.lines, "{}: lines", c.name);
            assert_eq!(r.counts.paragraphs, c.paragraphs, "{}: paragraphs", c.name);
            assert_eq!(r.input.invalid_sequences, c.invalid, "{}: invalid", c.name);
        }
    }
}

#[test]
fn folding_and_apostrophes() {
    let text = "Don\u{2019}t don't DON'T Straße STRASSE \u{3a3}\u{39f}\u{3a3}";
    let top = |fold| {
        whole(&options(Tokenizer::Unicode, fold), text)
            .frequencies
            .words
            .top
            .into_iter()
            .map(|t| (t.term, t.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        top(Fold::Unicode),
        [
            ("don't".to_string(), 3),
            ("strasse".into(), 1),
            ("straße".into(), 1),
            ("σος".into(), 1)
        ]
    );
    let ascii = top(Fold::Ascii);
    assert_eq!(ascii[0], ("don't".to_string(), 3));
    assert!(
        ascii.contains(&("\u{3a3}\u{39f}\u{3a3}".to_string(), 1)),
        "{ascii:?}"
    );
    assert_eq!(top(Fold::None).len(), 6);
}

#[test]
fn scripts_statistics_and_times() {
    let r = whole(
        &Options::default(),
        "\u{4e2d}\u{6587}\u{3002}\u{3072}\u{3089}\u{30ab}\u{30bf} \u{0e44}\u{0e17}\u{0e22} word",
    );
    assert_eq!(r.counts.cjk_characters, 6);
    assert_eq!(r.counts.thai_characters, 3);
    // One Latin word read by the word, nine CJK/Thai characters by the character.
    let want =
        60.0 * (1.0 / f64::from(wca_core::READING_WPM) + 9.0 / f64::from(wca_core::READING_CPM));
    assert!(
        (r.time.reading_seconds - want).abs() < 0.01,
        "{} vs {want}",
        r.time.reading_seconds
    );

    let r = whole(&Options::default(), "a bb ccc bb. Dddd a!");
    assert_eq!(r.counts.words, 6);
    assert_eq!(r.counts.unique_words, 4);
    assert_eq!(r.counts.hapax_legomena, Some(2));
    assert_eq!(r.counts.average_word_length, 2.17);
    assert_eq!(r.counts.average_sentence_length, 3.0);
    assert_eq!(
        r.counts
            .longest_word
            .as_ref()
            .map(|l| (l.word.as_str(), l.characters)),
        Some(("dddd", 4))
    );
    assert_eq!(r.counts.type_token_ratio, 0.6667);
}

#[test]
fn bigrams_stay_within_sentences_and_stopwords_filter() {
    let mut o = Options::default();
    o.stopwords = "en".into();
    o.custom_stopwords = vec!["cat".into()];
    let r = whole(
        &o,
        "The black cat sat. Black cat sat down. The black dog sat.",
    );
    let bigrams: Vec<(String, u64)> = r
        .frequencies
        .bigrams
        .top
        .iter()
        .map(|t| (t.term.clone(), t.count))
        .collect();
    assert_eq!(bigrams[0], ("black cat".into(), 2));
    assert!(
        !bigrams.iter().any(|(b, _)| b == "sat black"),
        "a bigram crossed a sentence end: {bigrams:?}"
    );
    let filtered: Vec<&str> = r
        .frequencies
        .words
        .top_filtered
        .iter()
        .map(|t| t.term.as_str())
        .collect();
    // "down" is on the English list.
    assert_eq!(filtered, ["black", "sat", "dog"]);
    assert!(
        r.frequencies
            .bigrams
            .top_filtered
            .iter()
            .all(|t| !t.term.contains("the") && !t.term.contains("cat"))
    );
    assert_eq!(r.frequencies.stopwords, "en");
}

#[test]
fn trigrams_stay_within_sentences_and_keep_inner_stopwords() {
    let mut o = Options::default();
    o.stopwords = "en".into();
    o.trigrams = true;
    let r = whole(
        &o,
        "The bill of rights was read. The bill of rights was kept.\n\nOut of the house we went.",
    );
    let t = &r.frequencies.trigrams;
    let top: Vec<(&str, u64)> = t.top.iter().map(|t| (t.term.as_str(), t.count)).collect();
    assert_eq!(
        &top[..4],
        [
            ("bill of rights", 2),
            ("of rights was", 2),
            ("the bill of", 2),
            ("house we went", 1)
        ]
    );
    assert!(t.exact && t.error_bound == 0);
    // Three sentences of six words: four runs of three each, nine distinct.
    assert_eq!(t.distinct, 9);
    assert!(
        !top.iter()
            .any(|(p, _)| p.contains("read the") || p.contains("kept out")),
        "a trigram crossed a sentence end: {top:?}"
    );
    // Kept when neither the first nor the last word is a stopword.
    let filtered: Vec<&str> = t.top_filtered.iter().map(|t| t.term.as_str()).collect();
    assert_eq!(
        filtered,
        [
            "bill of rights",
            "house we went",
            "rights was kept",
            "rights was read"
        ]
    );
    assert!(r.settings.trigrams);
    // Off by default: an empty, exact table.
    let off = whole(&Options::default(), "The bill of rights was read.");
    assert!(
        !off.settings.trigrams
            && off.frequencies.trigrams.top.is_empty()
            && off.frequencies.trigrams.distinct == 0
    );
}

/// English has every index; German its own formulas and no English grade; Turkish,
/// which textstat has no formula for, none, and the report says why.
#[test]
fn readability_per_language() {
    let en = whole(
        &Options::default(),
        "The quick brown fox jumps over the lazy dog. It was not amused by this at all.",
    );
    assert!(en.readability.flesch_reading_ease.is_some());
    assert!(en.readability.unavailable_reason.is_none());
    let de = whole(
        &Options::default(),
        "Der schnelle braune Fuchs springt über den faulen Hund. Er war davon überhaupt nicht begeistert.",
    );
    assert_eq!(de.language.as_ref().map(|l| l.code.as_str()), Some("deu"));
    assert_eq!(de.readability.formula_language.as_deref(), Some("de"));
    assert!(de.readability.flesch_reading_ease.is_some());
    assert!(de.readability.wiener_sachtextformel.is_some());
    assert!(de.readability.flesch_kincaid_grade.is_none());
    assert_eq!(de.frequencies.stopwords, "de");
    let tr = whole(
        &Options::default(),
        "Hızlı kahverengi tilki tembel köpeğin üzerinden atlar. Bundan hiç hoşlanmadı, çünkü çok yorgundu.",
    );
    assert_eq!(tr.language.as_ref().map(|l| l.code.as_str()), Some("tur"));
    assert!(tr.readability.flesch_reading_ease.is_none());
    assert!(
        tr.readability
            .unavailable_reason
            .as_deref()
            .is_some_and(|r| r.contains("Turkish"))
    );
}

/// The language is sampled from all over the text, not from its start: an English
/// preface of 20 KB before 200 KB of French is French, for every split.
#[test]
fn the_language_is_sampled_across_the_text() {
    let en = "The committee met on Tuesday to discuss the budget for the coming year. ";
    let fr = "Le conseil municipal a voté hier soir la rénovation complète du vieux pont. ";
    let text = en.repeat(20_000 / en.len()) + &fr.repeat(200_000 / fr.len());
    let r = analyze(&Options::default(), text.as_bytes(), &[usize::MAX]);
    let lang = r.language.clone().expect("a language");
    assert_eq!(lang.code, "fra");
    assert!(lang.sample_bytes <= 8 * 1024 && lang.sample_bytes > 4 * 1024);
    for sizes in [&[1usize][..], &[4096, 13]] {
        assert_eq!(
            analyze(&Options::default(), text.as_bytes(), sizes).language,
            r.language
        );
    }
}

/// A French article inside an English site: the whole page is counted, and its
/// language is the article's, not the menus'.
#[test]
fn the_language_of_a_page_is_its_article_s() {
    let items = [
        "Home",
        "World news",
        "Business and markets",
        "Sports results",
        "The weather today",
        "Opinion and analysis",
        "Health",
        "Science and technology",
        "Travel guides",
        "Food and drink",
        "Books of the week",
        "Music reviews",
        "Subscribe to our newsletter",
        "Sign in to your account",
        "Contact us",
        "Privacy policy",
        "Terms of service",
        "Advertise with us",
        "Jobs at the paper",
        "Help and support",
    ];
    let menu: String = (0..60)
        .map(|i| {
            format!(
                "<li><a href=/s{i}>{} weather</a></li>",
                items[i % items.len()]
            )
        })
        .collect();
    let para = "<p>Le conseil municipal a voté hier soir, après un long débat, la rénovation                 complète du vieux pont de pierre, fermé depuis les inondations de l'hiver                 dernier, et les travaux commenceront dès le printemps prochain.</p>";
    let html = format!(
        "<html><body><nav><ul>{menu}</ul></nav><article><h1>Le pont</h1>{}</article>         <footer>Copyright, all rights reserved, privacy policy and terms of use</footer></body></html>",
        para.repeat(4)
    );
    let r = whole(&Options::default(), &html);
    let lang = r.language.expect("a language");
    assert_eq!((lang.code.as_str(), lang.from_main_content), ("fra", true));
    // Every word still counts: the menu is not dropped.
    let words = r.frequencies.words.top.iter().find(|t| t.term == "weather");
    assert_eq!(words.map(|t| t.count), Some(60 + 3)); // and "The weather today"
    // With too little article to go by, the page's words decide.
    let short = whole(
        &Options::default(),
        "<p>The old stone bridge over the river is closed to traffic today.</p>",
    );
    let lang = short.language.expect("a language");
    assert_eq!((lang.code.as_str(), lang.from_main_content), ("eng", false));
}

/// The guess against what pages declare: the `<html lang>` of Readability's test
/// pages, the region tag dropped. Measured 2026-12-07: 70 of 73; the other three are
/// lorem ipsum, which whatlang rightly calls Latin.
#[test]
#[allow(clippy::disallowed_methods)] // reads the fixtures
fn the_language_agrees_with_what_pages_declare() {
    let dir = wca_testkit::data("readability");
    let (mut declared, mut same) = (0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path().join("source.html");
        if !path.exists() {
            continue; // the licence
        }
        let html = std::fs::read(path).unwrap();
        let mut a = Analyzer::new(Options::default()).unwrap();
        a.push(&html);
        let r = a.finish();
        let page = r.page.expect("HTML");
        let Some(lang) = page.structure.lang.filter(|l| !l.is_empty()) else {
            continue;
        };
        let lang = lang.to_ascii_lowercase();
        let primary = lang.split(['-', '_']).next().unwrap_or_default();
        declared += 1;
        same += usize::from(r.language.and_then(|l| l.code_639_1).as_deref() == Some(primary));
    }
    assert!(
        declared >= 73 && same + 3 >= declared,
        "{same} of {declared}"
    );
}

#[test]
fn invalid_options_name_the_field() {
    let bad = |f: fn(&mut Options)| {
        let mut o = Options::default();
        f(&mut o);
        Analyzer::new(o).expect_err("must be refused").to_string()
    };
    assert!(bad(|o| o.top = 0).contains("`top`"));
    assert!(bad(|o| o.max_distinct = 1).contains("`max_distinct`"));
    assert!(bad(|o| o.stopwords = "xx".into()).contains("`stopwords`"));
    assert!(bad(|o| o.custom_stopwords = vec!["x".repeat(500)]).contains("`custom_stopwords`"));
}

#[test]
fn options_and_report_round_trip_through_json() {
    let o: Options =
        serde_json::from_str(r#"{"tokenizer":"whitespace","fold":"ascii","top":5}"#).unwrap();
    assert_eq!(o.tokenizer, Tokenizer::Whitespace);
    assert_eq!(o.max_distinct, wca_core::DEFAULT_MAX_DISTINCT);
    assert!(
        serde_json::from_str::<Options>(r#"{"tokenzer":"whitespace"}"#)
            .unwrap_err()
            .to_string()
            .contains("tokenzer")
    );
    let r = whole(&o, "a b a");
    let back: Report = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
    assert_eq!(r.schema_version, wca_core::SCHEMA_VERSION);
}

#[test]
fn long_lines_and_huge_words_stay_bounded() {
    // A 3 MiB "word": processed in bounded pieces, never held whole.
    let mut a = Analyzer::new(Options::default()).unwrap();
    let block = vec![b'a'; 64 * 1024];
    for _ in 0..48 {
        a.push(&block);
    }
    let r = a.finish();
    assert_eq!(r.input.bytes, 3 << 20);
    assert!(r.counts.words >= 48, "{}", r.counts.words);
    assert!(r.frequencies.words.top.iter().all(|t| t.term.len() <= 128));
}

/// The shared fixtures (prose, 18 languages, HTML pages) give the same report for
/// every chunk plan; `CHUNK_SIZE=n` or `CHUNK_SEED=s` replays a failing plan.
#[test]
#[allow(clippy::disallowed_methods)] // reads the fixtures
fn fixtures_report_the_same_for_every_chunk_plan() {
    let mut files = Vec::new();
    for dir in ["prose", "multilingual", "html"] {
        for entry in std::fs::read_dir(wca_testkit::data(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt" || e == "html") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 30, "{} fixtures", files.len());
    let o = Options::default();
    let plans = wca_testkit::chunks::plans(&[&[1], &[3, 0, 7], &[4096]]);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let whole = analyze(&o, &bytes, &[usize::MAX]);
        for plan in &plans {
            assert_eq!(
                analyze(&o, &bytes, &plan.sizes),
                whole,
                "{} with {plan}",
                path.display()
            );
        }
    }
}

/// The longest sentence: its words and first words, the first of equals, against
/// sentences written out by hand.
#[test]
fn the_longest_sentence_is_reported_with_its_first_words() {
    let long: Vec<String> = (1..=20).map(|i| format!("w{i}")).collect();
    let text = format!(
        "Short one here. {}. Another sentence of seven words here now! \
         {}.\n\nLast.",
        long.join(" "),
        long.join(" ").replace("w1 ", "x1 ")
    );
    for sizes in [&[usize::MAX][..], &[1], &[7, 3]] {
        let r = analyze(&Options::default(), text.as_bytes(), sizes);
        let l = r.counts.longest_sentence.expect("a longest sentence");
        assert_eq!(l.words, 20);
        assert_eq!(
            l.first_words,
            long[..12].join(" "),
            "the first of two of 20 words"
        );
    }
    let r = analyze(&Options::default(), b"no terminator at all", &[usize::MAX]);
    let l = r
        .counts
        .longest_sentence
        .expect("an unterminated sentence counts");
    assert_eq!(
        (l.words, l.first_words.as_str()),
        (4, "no terminator at all")
    );
    let mut o = Options::default();
    o.statistics = false;
    assert_eq!(
        analyze(&o, text.as_bytes(), &[usize::MAX])
            .counts
            .longest_sentence,
        None
    );
}

/// Reading times at the three paces are words over words per minute.
#[test]
fn reading_time_is_given_at_three_paces() {
    let text = "word ".repeat(700);
    let r = analyze(&Options::default(), text.as_bytes(), &[usize::MAX]);
    let t = &r.time;
    assert_eq!((t.slow_wpm, t.reading_wpm, t.fast_wpm), (150, 238, 350));
    assert_eq!(t.reading_seconds_slow, 280.0);
    assert_eq!(t.reading_seconds_fast, 120.0);
    assert!(
        t.reading_seconds_slow > t.reading_seconds && t.reading_seconds > t.reading_seconds_fast
    );
}
