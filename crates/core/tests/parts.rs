//! An input analyzed in two parts, cut at a paragraph break and joined
//! ([`Analyzer::join`]), reports byte for byte what one analyzer reports: on random
//! texts under every option that changes counting, and on the fixtures cut at many
//! places. Where the parts together outgrow exact counting, the join refuses.

use proptest::prelude::*;
use wca_core::{Analyzer, Fold, Options, Report, Tokenizer, paragraph_cut};

use crate::common::analyze;

/// The report of `bytes` analyzed as `bytes[..cut]` and `bytes[cut..]`, joined.
fn joined(options: &Options, bytes: &[u8], cut: usize, sizes: &[usize]) -> Option<Report> {
    let mut a = Analyzer::new(options.clone()).unwrap();
    for piece in wca_testkit::chunks::split(&bytes[..cut], sizes) {
        a.push(piece);
    }
    let mut b = Analyzer::continuation(options.clone()).unwrap();
    for piece in wca_testkit::chunks::split(&bytes[cut..], sizes) {
        b.push(piece);
    }
    a.join(b).map(Analyzer::finish)
}

fn option_sets() -> Vec<Options> {
    let mut all = Vec::new();
    for tokenizer in [Tokenizer::Unicode, Tokenizer::Whitespace] {
        for fold in [Fold::Unicode, Fold::None] {
            let mut o = Options::default();
            o.tokenizer = tokenizer;
            o.fold = fold;
            o.trigrams = true;
            all.push(o);
        }
    }
    let mut bare = Options::default();
    bare.statistics = false;
    all.push(bare.clone());
    bare.bigrams = false;
    all.push(bare);
    all
}

fn text() -> impl Strategy<Value = Vec<u8>> {
    const FRAGMENTS: &[&[u8]] = &[
        b"the ",
        b"The ",
        b"cat",
        b"sat. ",
        b"Dr. ",
        b"7 a.m. ",
        b"Why? ",
        b"yes!\n",
        b"\n\n",
        b"\r\n\r\n",
        b"\n \t\n",
        b"\r\n",
        b"3.14 ",
        b"don't ",
        b"well-known ",
        "caf\u{e9} ".as_bytes(),
        "\u{4e2d}\u{6587}\u{3002}".as_bytes(),
        "\u{0e44}\u{0e17}\u{0e22} ".as_bytes(),
        b"\xff\xc0",
        b"\xe2\x82",
        b"\"quoted.\" ",
        b"x_y ",
        b"USA.",
        "end\u{2029}".as_bytes(),
        b"Title without a stop",
    ];
    proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..120).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn two_parts_report_what_one_reports(
        bytes in text(),
        at in 0.0f64..1.0,
        sizes in proptest::collection::vec(1usize..40, 1..4),
    ) {
        let from = (bytes.len() as f64 * at) as usize;
        if let Some(off) = paragraph_cut(&bytes[from..]) {
            let cut = from + off;
            for o in option_sets() {
                let whole = analyze(&o, &bytes, &[usize::MAX]);
                let parts = joined(&o, &bytes, cut, &sizes);
                prop_assert_eq!(parts.as_ref(), Some(&whole), "cut at {} of {:?}", cut, String::from_utf8_lossy(&bytes));
            }
        }
    }
}

#[test]
#[allow(clippy::disallowed_methods)] // reads the fixtures
fn fixtures_cut_anywhere_report_what_one_reports() {
    let mut files = vec![
        wca_testkit::data("countwords/kjvbible.txt"),
        wca_testkit::data("multilingual/fra.txt"),
    ];
    for entry in std::fs::read_dir(wca_testkit::data("prose")).unwrap() {
        files.push(entry.unwrap().path());
    }
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let o = Options::default();
        let whole = analyze(&o, &bytes, &[usize::MAX]);
        let mut cuts = 0;
        for k in 1..8 {
            let from = bytes.len() * k / 8;
            let Some(off) = paragraph_cut(&bytes[from..]) else {
                continue;
            };
            cuts += 1;
            let parts = joined(&o, &bytes, from + off, &[64 * 1024]);
            assert!(
                parts.as_ref() == Some(&whole),
                "{} cut at {}",
                path.display(),
                from + off
            );
        }
        assert!(
            cuts > 0 || bytes.len() < 4096,
            "{}: no paragraph to cut at",
            path.display()
        );
    }
}

/// Parts that each count exactly but together outgrow the budget are not joined:
/// one analyzer would have started estimating there.
#[test]
fn parts_past_the_exact_budget_are_refused() {
    let mut o = Options::default();
    o.max_distinct = wca_core::MIN_MAX_DISTINCT;
    let n = wca_core::MIN_MAX_DISTINCT * 3 / 4;
    let a: String = (0..n).map(|i| format!("a{i} ")).collect();
    let b: String = (0..n).map(|i| format!("b{i} ")).collect();
    let text = format!("{a}\n\n{b}");
    let cut = paragraph_cut(text.as_bytes()).unwrap();
    assert_eq!(cut, a.len() + 2);
    assert!(joined(&o, text.as_bytes(), cut, &[usize::MAX]).is_none());
    // The same words twice fit, and join.
    let text = format!("{a}\n\n{a}");
    let whole = analyze(&o, text.as_bytes(), &[usize::MAX]);
    assert_eq!(joined(&o, text.as_bytes(), cut, &[usize::MAX]), Some(whole));
}

#[test]
fn html_and_legacy_encodings_are_not_cut() {
    let html = b"<!doctype html><p>One.</p>\n\n<p>Two.</p>".repeat(100);
    let mut a = Analyzer::new(Options::default()).unwrap();
    a.push(&html);
    assert!(!a.splittable());
    let mut latin = Options::default();
    latin.charset = Some("latin1".into());
    let mut a = Analyzer::new(latin).unwrap();
    a.push(&b"caf\xe9 au lait.\n\n".repeat(100));
    assert!(!a.splittable());
    let mut a = Analyzer::new(Options::default()).unwrap();
    a.push(&b"plain text.\n\n".repeat(100));
    assert!(a.splittable());
}

#[test]
fn paragraph_cuts() {
    assert_eq!(paragraph_cut(b"a\n\nb"), Some(3));
    assert_eq!(paragraph_cut(b"a\r\nb\r\n\r\n c"), Some(9));
    assert_eq!(paragraph_cut(b"a\r\nb"), None);
    // A break at the window's start may continue before it: not whole.
    assert_eq!(paragraph_cut(b"\n\nb"), None);
    // The byte after must be ASCII.
    assert_eq!(paragraph_cut("a\n\n\u{e9}\n\nb".as_bytes()), Some(7));
    // Whitespace up to the window's end: not known to be whole.
    assert_eq!(paragraph_cut(b"a\n\n"), None);
}
