//! The headline property of the HTML extractor: the same events and the same page for
//! every split of the input, down to one byte at a time (so splits land inside tags,
//! attribute values, character references, comments and multi-byte characters).

// The test reads its fixtures; the library itself does no I/O.
#![allow(clippy::disallowed_methods)]

use crate::common::{extract_chunked, extract_main_chunked, observe_chunked, plain};
use proptest::prelude::*;

/// Pieces of HTML that reach every tokenizer state and most tree rules.
const PIECES: &[&str] = &[
    "word ",
    "two words",
    "héllo ",
    "日本語",
    "😀",
    "e\u{301}",
    "\u{0}",
    "\r\n",
    "&amp;",
    "&notin;",
    "&notit;",
    "&#x1F600;",
    "&#128512",
    "&copy",
    "&copy;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "&#150;",
    "&#;",
    "&#x;",
    "&ampx",
    "&CounterClockwiseContourIntegral;",
    "&abcdefghijklmnopqrstuvwxyzabcdefghijkl;",
    "& ",
    "<p>",
    "</p>",
    "<div class=\"a b\">",
    "</div>",
    "<b>",
    "</b>",
    "<br>",
    "</br>",
    "<span title='x > y'>",
    "</span>",
    "<a href='https://example.com/?a=1&copy=2' rel=\"nofollow noopener\">",
    "<a href=/local>",
    "<a href=\"mailto:x@example.com\">",
    "</a>",
    "<img alt=\"a &amp; b &copy=1\" src=x>",
    "<img src=x onerror=alert(1)>",
    "<IMG ALT=''>",
    "<ul><li>one<li>two</ul>",
    "<dl><dt>t<dd>d</dl>",
    "<h2>Head <i>ing</i></h2>",
    "<h1>",
    "<table><tr><td>c1<td>c2<tr><th>h</table>",
    "<nav>",
    "</nav>",
    "<main>",
    "</main>",
    "<div role=main>",
    "<title>T &lt;x&gt;</title>",
    "<textarea>a <b> &amp; </textarea>",
    "<svg><text>s</text><![CDATA[c]]d]]></svg>",
    "<math><mi>x</mi></math>",
    "<svg><foreignObject><p>f</p></foreignObject></svg>",
    "<!-- comment -->",
    "<!---->",
    "<!-->",
    "<!-- a -- b --!>",
    "<!-",
    "<!DOCTYPE html>",
    "<?xml version=\"1.0\"?>",
    "<![CDATA[hidden]]>",
    "<script>if (a < b) s = '</scr' + 'ipt>';</script>",
    "<script><!--<script>x</script>y--></script>",
    "<style>p > a { }</style>",
    "<xmp><b>x</b></xmp>",
    "<noscript>n</noscript>",
    "<template><p>t</p></template>",
    "<",
    "</",
    "</>",
    "< p>",
    "<p/>",
    "<p =x>",
    "<a b='>'>",
    "<P CLASS=X>",
    "<meta name=description content=\"The &quot;page&quot;\">",
    "<link rel=canonical href=/c>",
    "<base href=\"https://example.com/\">",
    "<html lang=en>",
    // Openers and closers, so that attribute values and headings hold random pieces
    // and outgrow their caps.
    "<img alt=\"",
    "<a href='",
    "<meta name=description content=\"",
    "\">",
    "'>",
    "<img alt='ééééééééééééééééééé日本語日本語日本語 &notin;&#x1F600;'>",
    // What main-content extraction and hiding read.
    "<div class='article-body' id=main>",
    "<div class=sidebar>",
    "<section class='share-tools'>",
    "<p class=byline>",
    "<div role=navigation>",
    "<footer>",
    "</footer>",
    "<form><input></form>",
    "A sentence of prose, long enough to score, with commas, and a full stop. ",
    "<div hidden>",
    "<span style='display: none'>",
    "<details><summary>s</summary>d</details>",
    "<dialog>x</dialog>",
    "<ruby>r<rp>(</rp><rt>t</rt><rp>)</rp></ruby>",
    // JSON-LD, whole, broken, and opened for random pieces to fall in.
    "<script type='application/ld+json'>{\"@type\":\"Article\",\"headline\":\"H <b>\\u00e9\",\"author\":{\"name\":\"A\"}}</script>",
    "<script type=\"Application/LD+JSON \">[{\"@type\":[\"X\",\"Y\"]},</script>",
    "<script type=application/ld+json>{\"@type\":\"T\",\"name\":\"",
    "\"}</script>",
];

fn html_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn sizes() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0usize..24, 1..8)
        .prop_filter("some progress", |s| s.iter().any(|&n| n > 0))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn events_are_the_same_for_every_split(html in html_text(), sizes in sizes()) {
        let base = Some("https://example.com/page");
        let whole = extract_chunked(&html, base, &[usize::MAX]);
        prop_assert_eq!(&extract_chunked(&html, base, &[1]), &whole);
        prop_assert_eq!(&extract_chunked(&html, base, &sizes), &whole);
    }

    #[test]
    fn main_content_is_the_same_for_every_split(html in html_text(), sizes in sizes()) {
        let whole = extract_main_chunked(&html, &[usize::MAX]);
        prop_assert_eq!(&extract_main_chunked(&html, &[1]), &whole);
        prop_assert_eq!(&extract_main_chunked(&html, &sizes), &whole);
    }

    /// Observing the main content changes nothing of the page's events, and the
    /// main text is the main-content extraction's words, whatever the split.
    #[test]
    fn observing_the_main_content_is_the_same_for_every_split(html in html_text(), sizes in sizes()) {
        let (plain_events, plain_page) = extract_chunked(&html, None, &[usize::MAX]);
        let (main_events, _) = extract_main_chunked(&html, &[usize::MAX]);
        let whole = observe_chunked(&html, &[usize::MAX]);
        prop_assert_eq!(&whole.0, &plain_events);
        prop_assert_eq!(&whole.2, &plain_page);
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        prop_assert_eq!(words(&whole.1), words(&plain(&main_events)));
        prop_assert_eq!(&observe_chunked(&html, &[1]), &whole);
        prop_assert_eq!(&observe_chunked(&html, &sizes), &whole);
    }

    /// Unfinished constructs at the end of the input, cut anywhere.
    #[test]
    fn any_prefix_finishes_the_same_for_every_split(html in html_text(), cut in 0usize..2000, sizes in sizes()) {
        let mut end = cut.min(html.len());
        while !html.is_char_boundary(end) {
            end -= 1;
        }
        let prefix = &html[..end];
        let whole = extract_chunked(prefix, None, &[usize::MAX]);
        prop_assert_eq!(&extract_chunked(prefix, None, &[1]), &whole);
        prop_assert_eq!(&extract_chunked(prefix, None, &sizes), &whole);
    }
}

#[test]
fn fixtures_give_the_same_events_for_every_split() {
    let dir = wca_testkit::data("html");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    names.sort();
    assert!(names.len() >= 3, "too few fixtures in {}", dir.display());
    for path in names {
        let html = std::fs::read_to_string(&path).expect("UTF-8 fixture");
        let whole = extract_chunked(&html, Some("https://blog.example/"), &[usize::MAX]);
        let plans =
            wca_testkit::chunks::plans(&[&[1], &[2], &[3, 1, 4, 1, 5, 9, 2, 6], &[64], &[4096]]);
        for plan in plans {
            let split = extract_chunked(&html, Some("https://blog.example/"), &plan.sizes);
            assert_eq!(split, whole, "{} with {plan}", path.display());
        }
    }
}

/// Past the first window the observed page goes on as a plain one: the same events,
/// and the main text of the first window only.
#[test]
fn observing_stops_after_the_first_window() {
    let para = "<p>A paragraph of article prose, with commas, long enough to be kept, \
                and a full stop at its end.</p>\n";
    let html = format!(
        "<nav><a href=/>Home</a></nav><article>{}</article>",
        para.repeat(wca_html::TEXT_CAP / 100 * 3 / 2)
    );
    let (plain_events, _) = extract_chunked(&html, None, &[usize::MAX]);
    for sizes in [&[usize::MAX][..], &[65536, 7]] {
        let (events, main, page) = observe_chunked(&html, sizes);
        assert!(events == plain_events, "events differ with {sizes:?}");
        assert!(page.main_content.is_none());
        // The window's text, and a newline at each paragraph's end.
        let most = wca_html::TEXT_CAP * 21 / 20;
        assert!(
            main.len() > wca_html::TEXT_CAP / 2 && main.len() <= most,
            "{}",
            main.len()
        );
        assert!(!main.contains("Home"));
    }
}

/// Found by the property above: a full stop and the space after it arrived in
/// one piece or two, and when in one, the stop was credited to the `div` rather
/// than the run the text opened in it, which changed what was kept.
#[test]
fn a_sentence_that_opens_a_run_is_credited_to_it_however_it_is_cut() {
    let html = "<div role=main>A sentence of prose, long enough to score, with commas, and a full stop. \
                <ul><li>one<li>two</ul><div class='article-body' id=main><a href='https://example.com/?a=1&copy=2' \
                rel=\"nofollow noopener\"><p class=byline>A sentence of prose, long enough to score, with commas, \
                and a full stop. <a href='https://example.com/?a=1&copy=2' rel=\"nofollow noopener\"><p/>\
                &abcdefghijklmnopqrstuvwxyzabcdefghijkl;";
    let whole = extract_main_chunked(html, &[usize::MAX]);
    let observed = observe_chunked(html, &[usize::MAX]);
    for sizes in [&[1][..], &[2], &[5], &[50], &[7, 3, 11]] {
        assert_eq!(extract_main_chunked(html, sizes), whole, "{sizes:?}");
        assert_eq!(observe_chunked(html, sizes), observed, "{sizes:?}");
    }
}
