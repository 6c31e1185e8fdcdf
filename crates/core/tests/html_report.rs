//! HTML through the whole analyzer: the report is the same for every chunking, only
//! visible text counts, and the page's structure comes with it.

// The test reads its fixtures; the library itself does no I/O.
#![allow(clippy::disallowed_methods)]

use crate::common::{analyze, top_words};

use proptest::prelude::*;
use wca_core::{Analyzer, Format, Options, TextExtractor};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(wca_testkit::data("html").join(name)).unwrap()
}

const FIXTURES: [&str; 4] = ["blog.html", "entities.html", "messy.html", "xss.html"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Splits fall inside tags, attributes, references, comments, multi-byte
    /// characters and the first 1024 bytes the encoding is sniffed from.
    #[test]
    fn html_report_is_the_same_for_every_chunking(which in 0..FIXTURES.len(), sizes in proptest::collection::vec(1usize..40, 1..6)) {
        let page = fixture(FIXTURES[which]);
        let o = Options::default();
        let whole = analyze(&o, &page, &[usize::MAX]);
        prop_assert_eq!(&analyze(&o, &page, &sizes), &whole);
        prop_assert_eq!(&analyze(&o, &page, &[1]), &whole);
    }

    #[test]
    fn extracted_text_is_the_same_for_every_chunking(which in 0..FIXTURES.len(), main in any::<bool>(), sizes in proptest::collection::vec(1usize..40, 1..6)) {
        let page = fixture(FIXTURES[which]);
        let mut o = Options::default();
        o.main_content_only = main;
        let whole = text(&o, &page, &[usize::MAX]);
        prop_assert_eq!(&text(&o, &page, &sizes), &whole);
        prop_assert_eq!(&text(&o, &page, &[1]), &whole);
        // The words of the text are the words the analyzer counts.
        let mut plain = Options::default();
        plain.format = Format::Text;
        prop_assert_eq!(
            analyze(&plain, whole.as_bytes(), &[usize::MAX]).counts.words,
            analyze(&o, &page, &[usize::MAX]).counts.words
        );
    }
}

fn text(options: &Options, page: &[u8], sizes: &[usize]) -> String {
    let mut extractor = TextExtractor::new(options).unwrap();
    let mut out = String::new();
    for piece in wca_testkit::chunks::split(page, sizes) {
        extractor.push(piece, |t| out.push_str(t));
    }
    extractor.finish(|t| out.push_str(t));
    out
}

#[test]
fn script_payloads_are_words_only_where_they_are_text() {
    let r = analyze(&Options::default(), &fixture("xss.html"), &[7]);
    assert_eq!(r.input.format.as_str(), "html");
    let words = top_words(&r);
    // Escaped markup is text: its words count.
    assert!(words.contains(&"escaped".to_string()), "{words:?}");
    assert!(words.contains(&"script".to_string()));
    // Live scripts, styles, handlers, hidden elements are not text.
    for hidden in [
        "onerror",
        "cookie",
        "document",
        "background",
        "onmouseover",
        "noscript",
        "fallback",
        "still",
    ] {
        assert!(
            !words.contains(&hidden.to_string()),
            "{hidden} was counted: {words:?}"
        );
    }
    let page = r.page.expect("an HTML page");
    assert_eq!(
        page.structure.title.as_deref(),
        Some("<script>alert(1)</script>")
    );
    assert_eq!(page.structure.images.missing_alt, 1);
}

#[test]
fn blocks_break_words_and_sentences() {
    let r = analyze(
        &Options::default(),
        b"<p>alpha</p><p>beta</p><div>Heading without a period</div><p>Body.</p>",
        &[3],
    );
    assert_eq!(r.counts.words, 7);
    assert_eq!(r.counts.sentences, 4);
    assert_eq!(r.counts.paragraphs, 4);
    let inline = analyze(&Options::default(), b"<p>al<b>ph</b>a</p>", &[2]);
    assert_eq!(top_words(&inline), ["alpha"]);
}

#[test]
fn regions_and_main_content_only() {
    let page = b"<html><body><nav>Home About</nav><main><h1>Title</h1><p>One two three.</p></main><footer>Legal notice</footer></body></html>";
    let r = analyze(&Options::default(), page, &[5]);
    let p = r.page.as_ref().unwrap();
    assert!(p.main_found);
    assert_eq!(
        (
            p.region_words.nav,
            p.region_words.main,
            p.region_words.footer
        ),
        (2, 4, 2)
    );
    assert_eq!(r.counts.words, 8);
}

/// Main-content extraction keeps the article, landmarks or not, and says what it
/// dropped.
#[test]
fn main_content_only_counts_the_article() {
    let prose = "Words of the article, in a sentence long enough to be a paragraph. ";
    let article = format!("<p>{prose}{prose}</p><p>{prose}</p><p>{prose}{prose}</p>");
    let mut o = Options::default();
    o.main_content_only = true;
    for page in [
        format!(
            "<nav>Home About</nav><main><h1>Title</h1>{article}</main><footer>Legal notice</footer>"
        ),
        format!(
            "<div class=menu>Home About</div><div class=post><h1>Title</h1>{article}</div>\
             <div class=footer>Legal notice</div>"
        ),
    ] {
        let whole = analyze(&Options::default(), page.as_bytes(), &[5]);
        let r = analyze(&o, page.as_bytes(), &[5]);
        assert_eq!(r.counts.words, whole.counts.words - 4, "{page}");
        let words = top_words(&r);
        assert!(words.contains(&"title".to_string()), "{words:?}");
        for chrome in ["home", "about", "legal", "notice"] {
            assert!(
                !words.contains(&chrome.to_string()),
                "{chrome} in {words:?}"
            );
        }
        let p = r.page.as_ref().unwrap();
        assert!(p.main_content_only);
        let summary = p.structure.main_content.as_ref().expect("a summary");
        assert_eq!(summary.kept, 4, "{summary:?}");
        assert_eq!(summary.blocks, 6, "{summary:?}");
        assert!(whole.page.unwrap().structure.main_content.is_none());
    }
}

#[test]
fn text_format_counts_markup_as_text() {
    let mut o = Options::default();
    o.format = Format::Text;
    let r = analyze(&o, b"<p>alpha</p>", &[4]);
    assert_eq!(r.input.format.as_str(), "text");
    assert!(r.page.is_none());
    assert_eq!(top_words(&r), ["p", "alpha"]);
}

#[test]
fn hostile_pages_finish_with_bounded_state() {
    // A million nested elements, then text, then an unterminated comment.
    let mut a = Analyzer::new(Options::default()).unwrap();
    let open = "<div>".repeat(10_000);
    for _ in 0..100 {
        a.push(open.as_bytes());
    }
    a.push(b"deep words here");
    // 20 MB of one text node and a 1 MB attribute value.
    let block = vec![b'x'; 1 << 20];
    a.push(b"<p>");
    for _ in 0..20 {
        a.push(&block);
    }
    a.push(b"<img alt=\"");
    a.push(&block);
    a.push(b"\"><p>after\0the\0nuls</p><!-- never closed");
    let r = a.finish();
    assert!(r.counts.words >= 3 + 20, "{}", r.counts.words);
    // NUL bytes in text are dropped, as browsers do.
    assert!(
        top_words(&r).contains(&"afterthenuls".to_string()),
        "{:?}",
        top_words(&r)
    );
    assert_eq!(r.page.unwrap().structure.images.total, 1);
}

/// The visible characters of a page, as a browser lays out its text: markup left
/// out, each run of whitespace (a block break too) one space, a no-break space kept.
#[test]
fn visible_characters_collapse_whitespace_as_a_browser_does() {
    let page = b"<!doctype html><title>T</title><p>  Hello   <b>big</b>\n world </p>\n\n<p>Next&nbsp;one</p>";
    for sizes in [&[usize::MAX][..], &[1], &[5, 2]] {
        let mut o = Options::default();
        o.format = Format::Html;
        let r = analyze(&o, page, sizes);
        // "Hello big world" + " " + "Next\u{a0}one"
        assert_eq!(r.counts.characters, 15 + 1 + 8, "{sizes:?}");
        assert_eq!(r.counts.characters_no_spaces, 13 + 7);
    }
}
