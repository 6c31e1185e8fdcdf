//! Hostile pages: each finishes with the right result, without panicking or
//! overflowing the stack, and the extractor's carried state stays under a fixed cap
//! however large the page. No timings: linear time shows as the suite's speed.

use crate::common::{Event, extract, plain};
use unicode_segmentation::UnicodeSegmentation;
use wca_html::{Boundary, HtmlExtractor, HtmlSink, Region};

/// What the extractor may hold between pushes: attribute values (4 KiB each), 256
/// open elements, the formatting list, the open title and heading, and the page
/// (200 headings, 20 alt samples): far less than 64 KiB on these pages.
const MAX_CARRIED: usize = 64 * 1024;

const CHUNK: usize = 64 * 1024;

/// Counts what it receives, keeping only the text since the last space.
#[derive(Debug, Default)]
struct Counter {
    text_bytes: usize,
    words: usize,
    regions_open: i64,
    run: String,
}

impl Counter {
    fn end_run(&mut self) {
        self.words += self.run.unicode_words().count();
        self.run.clear();
    }
}

impl HtmlSink for Counter {
    fn text(&mut self, text: &str) {
        self.text_bytes += text.len();
        // No word spans a space, so what is before the last one can be counted.
        match text.rfind(' ') {
            Some(space) => {
                self.run.push_str(&text[..space]);
                self.end_run();
                self.run.push_str(&text[space..]);
            }
            None => self.run.push_str(text),
        }
    }
    fn boundary(&mut self, _: Boundary) {
        self.end_run();
    }
    fn region(&mut self, _: Region, inside: bool) {
        self.regions_open += if inside { 1 } else { -1 };
    }
}

/// Pushes `parts` (each repeated `times`) in 64 KiB pieces, checking the carried state
/// after every push.
fn run(parts: &[(&str, usize)]) -> (Counter, wca_html::Page) {
    let mut extractor = HtmlExtractor::new(Some("https://example.com/"));
    let mut sink = Counter::default();
    let mut buffer = String::new();
    let flush = |buffer: &mut String, extractor: &mut HtmlExtractor, sink: &mut Counter| {
        extractor.push(buffer, sink);
        buffer.clear();
        let carried = extractor.carried_bytes();
        assert!(carried <= MAX_CARRIED, "carried {carried} bytes");
    };
    for &(part, times) in parts {
        for _ in 0..times {
            buffer.push_str(part);
            if buffer.len() >= CHUNK {
                flush(&mut buffer, &mut extractor, &mut sink);
            }
        }
    }
    flush(&mut buffer, &mut extractor, &mut sink);
    extractor.finish(&mut sink);
    sink.end_run();
    assert!(extractor.carried_bytes() <= MAX_CARRIED);
    assert_eq!(sink.regions_open, 0, "regions left open");
    let page = extractor.page();
    (sink, page)
}

const MILLION: usize = 1_000_000;

#[test]
fn a_million_nested_divs_closed_and_unclosed() {
    let (sink, _) = run(&[
        ("<div>", MILLION),
        ("deep words", 1),
        ("</div>", MILLION),
        ("after", 1),
    ]);
    assert_eq!(sink.words, 3);
    let (sink, _) = run(&[("<div>", MILLION), ("deep words", 1)]);
    assert_eq!(sink.words, 2);
}

#[test]
fn a_million_nested_formatting_elements_closed_and_unclosed() {
    let (sink, _) = run(&[("<b>", MILLION), ("bold", 1), ("</b>", MILLION), ("er", 1)]);
    // Formatting elements join what they hold: "bolder".
    assert_eq!(sink.words, 1);
    let (sink, _) = run(&[("<b>", MILLION), ("bold words", 1)]);
    assert_eq!(sink.words, 2);
    let (sink, _) = run(&[("</b>", MILLION), ("<a href=x>", MILLION), ("x", 1)]);
    assert_eq!(sink.words, 1);
}

#[test]
fn a_million_nested_regions_and_tables() {
    let (sink, page) = run(&[
        (
            "<main><nav><section role=main><table><tr><td><svg>",
            200_000,
        ),
        ("inside", 1),
    ]);
    assert_eq!(sink.words, 1);
    assert_eq!(page.links.total, 0);
}

#[test]
fn a_100_mb_text_node_is_streamed_not_buffered() {
    let piece = "lorem ipsum dolor sit amet, ";
    let times = 100 * 1024 * 1024 / piece.len();
    let (sink, _) = run(&[("<p>", 1), (piece, times), ("</p>", 1)]);
    assert_eq!(sink.text_bytes, piece.len() * times);
    assert_eq!(sink.words, 5 * times);
}

#[test]
fn a_10_mb_attribute_is_cut_not_buffered() {
    let ten_mb = 10 * 1024 * 1024;
    let (sink, page) = run(&[("<img alt=\"", 1), ("word ", ten_mb / 5), ("\">after", 1)]);
    assert_eq!(sink.words, 1);
    assert_eq!(page.images.total, 1);
    // Words are counted in the kept part of the alt text: its first 4 KiB, 819 words.
    assert!(page.images.alt_words > 0 && page.images.alt_words < 1000);
    for (name, open, close) in [
        ("unkept", "<div class=\"", "\">after"),
        ("unquoted", "<a href=", ">after"),
        ("comment", "<!--", "-->after"),
        ("script", "<script>", "</script>after"),
        ("tag name", "<x", ">after"),
        ("attribute name", "<p x", ">after"),
        ("character reference", "&a", " after"),
        ("doctype", "<!DOCTYPE html ", ">after"),
    ] {
        let (sink, _) = run(&[(open, 1), ("a", ten_mb), (close, 1)]);
        if name == "character reference" {
            // A reference that long is no reference: `&aaa…` is text.
            assert_eq!(sink.words, 2, "{name}");
            assert_eq!(sink.text_bytes, ten_mb + "&a after".len(), "{name}");
        } else {
            assert_eq!(sink.words, 1, "{name}");
        }
    }
}

#[test]
fn many_headings_images_and_links_stay_capped() {
    let (sink, page) = run(&[
        ("<h2>Heading</h2>", 100_000),
        ("<img alt=\"An image\"><img>", 100_000),
        ("<a href=/x rel=nofollow>x</a>", 100_000),
    ]);
    // The headings, and the link texts run together into one word.
    assert_eq!(sink.words, 100_001);
    assert_eq!(page.headings.len(), wca_html::MAX_HEADINGS);
    assert_eq!(page.headings_total, 100_000);
    assert_eq!(page.images.total, 200_000);
    assert_eq!(page.images.missing_alt, 100_000);
    assert_eq!(page.images.alt_words, 200_000);
    assert_eq!(page.images.alt_samples.len(), wca_html::MAX_ALT_SAMPLES);
    assert_eq!(
        (page.links.total, page.links.internal, page.links.nofollow),
        (100_000, 100_000, 100_000)
    );
}

/// (name, page, visible text): what an unfinished construct at the end leaves.
const UNTERMINATED: &[(&str, &str, &str)] = &[
    ("comment", "text <!-- never closed", "text "),
    ("comment dash", "text <!-- a -", "text "),
    ("tag", "text <div class=x", "text "),
    ("end tag", "text </div", "text "),
    (
        "attribute value",
        "text <a href=\"https://example.com/",
        "text ",
    ),
    ("attribute name", "text <a hr", "text "),
    ("self-closing", "text <br/", "text "),
    ("less-than", "text <", "text <"),
    ("end tag open", "text </", "text </"),
    ("doctype", "<!DOCTYPE html", ""),
    ("bogus comment", "text <?xml", "text "),
    ("markup declaration", "text <!-", "text "),
    ("script", "text <script>var a = 1;", "text "),
    ("script end tag", "text <script>x</scr", "text "),
    // Unfinished, the title is still the page's name, and not its text.
    ("title", "<title>T &amp; T", "\n\n"),
    ("title end tag", "<title>T</tit", "\n\n"),
    ("textarea", "<textarea>a < b", "\n\na < b\n\n"),
    ("named reference", "fish &amp", "fish &"),
    ("named reference prefix", "fish &no", "fish &no"),
    ("numeric reference", "smile &#x1F600", "smile 😀"),
    ("numeric reference start", "smile &#", "smile &#"),
    ("hexadecimal start", "smile &#X", "smile &#X"),
    ("cdata", "<svg><![CDATA[a]", "a]"),
    ("cdata end", "<svg><![CDATA[a]]", "a]]"),
    ("plaintext", "<plaintext>a <b> &amp;", "\n\na <b> &amp;\n\n"),
];

#[test]
fn unterminated_constructs_at_the_end() {
    for (name, page, expected) in UNTERMINATED {
        let (events, _) = extract(page);
        assert_eq!(plain(&events), *expected, "{name}: {events:?}");
    }
    assert_eq!(
        extract("<title>T &amp; T").1.title.as_deref(),
        Some("T & T")
    );
    assert_eq!(extract("<title>T</tit").1.title.as_deref(), Some("T</tit"));
}

/// (name, page, text): NUL is dropped from HTML text, U+FFFD elsewhere.
const NUL: &[(&str, &str, &str)] = &[
    ("text", "a\0b", "ab"),
    ("svg text", "<svg>a\0b</svg>", "a\u{fffd}b"),
    (
        "textarea",
        "<textarea>a\0b</textarea>",
        "\n\na\u{fffd}b\n\n",
    ),
    ("plaintext", "<plaintext>a\0b", "\n\na\u{fffd}b\n\n"),
    ("tag name", "a<b\0>c</b\0>d", "acd"),
    ("attribute", "<img alt='a\0b'>x", "x"),
    ("comment", "a<!-- \0 -->b", "ab"),
    ("script", "a<script>\0</script>b", "ab"),
];

#[test]
fn nul_bytes() {
    for (name, page, expected) in NUL {
        let (events, _) = extract(page);
        assert_eq!(plain(&events), *expected, "{name}");
    }
    assert_eq!(
        extract("<title>a\0b</title>").1.title.as_deref(),
        Some("a\u{fffd}b")
    );
    let (_, page) = extract("<img alt='a\0b'>");
    assert_eq!(page.images.alt_samples, ["a\u{fffd}b"]);
    let (events, _) = extract(&"\0".repeat(CHUNK * 4));
    assert_eq!(events, Vec::<Event>::new());
}

/// Past the tracked depth ([`wca_html::STACK_CAP`]), a `template`, a hidden element
/// or an SVG `script` still hides what it holds, and only that.
#[test]
fn hidden_content_past_the_tracked_depth() {
    let deep = "<div>".repeat(wca_html::STACK_CAP + 10);
    for (name, inner) in [
        ("template", "<template>x<p>y</p></template>"),
        ("hidden", "<span hidden>x<b>y</b></span>"),
        ("svg script", "<svg><script>x</script></svg>"),
    ] {
        let page = format!("{deep}a {inner} b</div>c");
        let text = crate::common::plain(&crate::common::extract(&page).0);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["a", "b", "c"], "{name}: {text:?}");
    }
}
