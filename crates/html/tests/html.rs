//! The HTML extractor: named edge cases, and what it finds in the fixtures.

// The test reads its fixtures; the library itself does no I/O.
#![allow(clippy::disallowed_methods)]

use crate::common::Event::{Enter, Leave};
use crate::common::{Event, extract, extract_chunked, plain};
use wca_html::Region::{Aside, Footer, Header, Main, Nav};
use wca_html::{Page, Region};

/// (name, page, text as the analyzer reads it: paragraph boundaries are blank lines,
/// line boundaries newlines)
const TEXT: &[(&str, &str, &str)] = &[
    ("empty", "", ""),
    ("whitespace only", " \n\t ", " \n\t "),
    ("plain text", "hello world", "hello world"),
    ("inline elements join", "a<b>c</b>d<span>e</span>", "acde"),
    ("paragraphs separate", "a</p><p>b", "a\n\nb\n\n"),
    ("implied paragraph end", "<p>a<p>b", "\n\na\n\nb\n\n"),
    ("div", "<div>a</div><div>b</div>", "\n\na\n\nb\n\n"),
    ("list items", "<ul><li>a<li>b</ul>", "\n\na\n\nb\n\n"),
    (
        "table cells",
        "<table><tr><td>a<td>b</table>",
        "\n\na\n\nb\n\n",
    ),
    ("br", "a<br>b", "a\nb"),
    ("end br is br", "a</br>b", "a\nb"),
    ("stray block end tag", "a</div>b", "ab"),
    ("wbr", "extra<wbr>ordinary", "extraordinary"),
    ("image", "a<img alt=x>b", "ab"),
    ("comment", "a<!-- b -->c", "ac"),
    ("empty comments", "a<!---->b<!-->c<!--->d", "abcd"),
    ("comment with bang", "a<!-- b --!>c", "ac"),
    ("doctype", "<!DOCTYPE html>a", "a"),
    ("processing instruction", "a<?php echo 1 ?>b", "ab"),
    ("cdata in html", "a<![CDATA[b]]>c", "ac"),
    ("cdata in html ends early", "a<![CDATA[b>c]]>d", "ac]]>d"),
    ("cdata in svg", "<svg>a<![CDATA[b<c]]>d</svg>", "ab<cd"),
    ("script", "a<script>b</script>c", "ac"),
    (
        "script with end tag fragment",
        "a<script>x='</scr'+'ipt>'</script>c",
        "ac",
    ),
    (
        "script with escaped script",
        "a<script><!--<script>x</script>y--></script>c",
        "ac",
    ),
    ("style", "a<style>p{}</style>c", "ac"),
    ("noscript", "a<noscript>b</noscript>c", "ac"),
    ("template", "a<template><p>b</p></template>c", "ac"),
    ("iframe", "a<iframe>b</iframe>c", "ac"),
    // `xmp` is shown, its markup as text.
    (
        "xmp",
        "a<xmp><b>x</b> &amp; \0</xmp>c",
        "a\n\n<b>x</b> &amp; \u{fffd}\n\nc",
    ),
    ("xmp not ended", "<xmp>a</xm", "\n\na</xm\n\n"),
    ("svg script", "<svg>a<script>b</script>c</svg>", "ac"),
    ("svg text", "<svg><text>a</text><desc>b</desc></svg>", "ab"),
    ("math", "<math><mi>x</mi><mo>=</mo><mn>1</mn></math>", "x=1"),
    // The title is the page's name (`Page::title`), not its text.
    ("title", "<title>a &amp; <b></title>c", "\n\nc"),
    (
        "textarea",
        "<textarea>a <b> &lt;</textarea>",
        "\n\na <b> <\n\n",
    ),
    (
        "plaintext",
        "a<plaintext></plaintext><b>",
        "a\n\n</plaintext><b>\n\n",
    ),
    ("uppercase tags", "<SCRIPT>a</SCRIPT>b<P>c", "b\n\nc\n\n"),
    ("tag without name", "a < b", "a < b"),
    ("end tag without name", "a</>b", "ab"),
    ("quoted greater-than", "<p title='a>b'>c", "\n\nc\n\n"),
    (
        "named references",
        "&lt;&gt;&amp;&quot;&nbsp;&copy;",
        "<>&\"\u{a0}©",
    ),
    ("legacy reference", "&copy 2025", "© 2025"),
    ("longest match", "&notin; &notit;", "∉ ¬it;"),
    ("unknown reference", "&bogus; AT&T", "&bogus; AT&T"),
    ("numeric references", "&#65;&#x42;&#X43;&#x1F600;", "ABC😀"),
    (
        "numeric edge cases",
        "&#0;&#xD800;&#x110000;&#150;",
        "\u{fffd}\u{fffd}\u{fffd}–",
    ),
    ("numeric without semicolon", "&#65b &#x41g", "Ab Ag"),
    ("no digits", "&#; &#x;", "&#; &#x;"),
];

/// (name, page, text): what browsers do not show is not text.
const HIDDEN: &[(&str, &str, &str)] = &[
    ("hidden attribute", "a<span hidden>b</span>c", "ac"),
    (
        "hidden until found",
        "a<div hidden=until-found>b</div>c",
        "a\n\nc",
    ),
    (
        "display none",
        "a<span style='color: red; DISPLAY : none'>b</span>c",
        "ac",
    ),
    (
        "display none important",
        "a<span style='display:none !important'>b</span>c",
        "ac",
    ),
    (
        "visibility hidden",
        "a<span style=visibility:hidden>b</span>c",
        "ac",
    ),
    (
        "display block shows",
        "a<span style='display: block'>b</span>c",
        "abc",
    ),
    ("closed dialog", "a<dialog>b</dialog>c", "a\n\nc"),
    ("open dialog", "a<dialog open>b</dialog>c", "a\n\nb\n\nc"),
    (
        "closed details",
        "<details><summary>Sum</summary>body</details>",
        "\n\nSum\n\n",
    ),
    (
        "open details",
        "<details open><summary>Sum</summary>body</details>",
        "\n\nSum\n\nbody\n\n",
    ),
    (
        "datalist",
        "a<datalist><option>b</option></datalist>c",
        "ac",
    ),
    (
        "ruby parentheses",
        "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
        "漢kan",
    ),
    (
        "nested in hidden",
        "a<div hidden><p>b<span>c</span></p></div>d",
        "a\n\nd",
    ),
    (
        "title",
        "<title>Cheap flights</title><p>Hi</p>",
        "\n\nHi\n\n",
    ),
    // The adoption agency's copy of a hidden formatting element hides too; what
    // follows it is shown, as in `<b hidden>x</b><p><b hidden>y</b>z</p>`.
    ("hidden formatting adopted", "<b hidden>x<p>y</b>z", "z\n\n"),
    (
        "hidden link in a link",
        "<a hidden href=x>a<main><a href=y>b",
        "b\n\n",
    ),
];

#[test]
fn hidden_content_is_not_text() {
    for (name, page, expected) in HIDDEN {
        let (events, _) = extract(page);
        assert_eq!(plain(&events), *expected, "{name}: {events:?}");
    }
}

#[test]
fn text_table() {
    for (name, page, expected) in TEXT {
        let (events, _) = extract(page);
        assert_eq!(plain(&events), *expected, "{name}: {events:?}");
    }
}

fn regions(events: &[Event]) -> Vec<Event> {
    events
        .iter()
        .filter(|e| matches!(e, Enter(_) | Leave(_)))
        .cloned()
        .collect()
}

/// (name, page, region events)
const REGIONS: &[(&str, &str, &[Event])] = &[
    ("main", "<main>a</main>", &[Enter(Main), Leave(Main)]),
    (
        "article is main",
        "<article>a</article>",
        &[Enter(Main), Leave(Main)],
    ),
    (
        "nested mains",
        "<main><article>a</article></main>",
        &[Enter(Main), Leave(Main)],
    ),
    (
        "role main",
        "<div role=main>a</div>",
        &[Enter(Main), Leave(Main)],
    ),
    (
        "landmark roles",
        "<div role='navigation banner'></div><div role=contentinfo></div><span role=complementary></span>",
        &[
            Enter(Nav),
            Leave(Nav),
            Enter(Footer),
            Leave(Footer),
            Enter(Aside),
            Leave(Aside),
        ],
    ),
    ("unknown role", "<div role=presentation>a</div>", &[]),
    (
        "page layout",
        "<header><nav>n</nav></header><main>m<aside>s</aside></main><footer>f</footer>",
        &[
            Enter(Header),
            Enter(Nav),
            Leave(Nav),
            Leave(Header),
            Enter(Main),
            Enter(Aside),
            Leave(Aside),
            Leave(Main),
            Enter(Footer),
            Leave(Footer),
        ],
    ),
    (
        "closed by an ancestor",
        "<div><nav>a</div>b",
        &[Enter(Nav), Leave(Nav)],
    ),
    (
        "left open at the end",
        "<main><nav>a",
        &[Enter(Main), Enter(Nav), Leave(Nav), Leave(Main)],
    ),
    (
        "stray end tag",
        "</main><main>a",
        &[Enter(Main), Leave(Main)],
    ),
    (
        "inside a template",
        "<template><nav>a</nav></template>",
        &[],
    ),
];

#[test]
fn region_table() {
    for (name, page, expected) in REGIONS {
        let (events, _) = extract(page);
        assert_eq!(regions(&events), *expected, "{name}");
    }
}

fn page(html: &str, base: Option<&str>) -> Page {
    extract_chunked(html, base, &[usize::MAX]).1
}

/// Internal, external and other links counted.
type Kinds = (u64, u64, u64);

/// (href, page URL, kinds)
const LINKS: &[(&str, Option<&str>, Kinds)] = &[
    ("/about", None, (1, 0, 0)),
    ("about", Some("https://example.com/blog/"), (1, 0, 0)),
    ("?page=2", Some("https://example.com/"), (1, 0, 0)),
    (
        "https://example.com/x",
        Some("https://example.com/"),
        (1, 0, 0),
    ),
    (
        "HTTPS://EXAMPLE.COM./x",
        Some("https://example.com/"),
        (1, 0, 0),
    ),
    (
        "https://user@example.com:8443/x",
        Some("https://example.com/"),
        (1, 0, 0),
    ),
    ("//example.com/x", Some("https://example.com/"), (1, 0, 0)),
    ("http:relative", Some("http://example.com/"), (1, 0, 0)),
    (
        " https://example.com/x ",
        Some("https://example.com/"),
        (1, 0, 0),
    ),
    (
        "https://other.example/x",
        Some("https://example.com/"),
        (0, 1, 0),
    ),
    (
        "https://www.example.com/x",
        Some("https://example.com/"),
        (0, 1, 0),
    ),
    ("//other.example/x", Some("https://example.com/"), (0, 1, 0)),
    ("https://example.com/x", None, (0, 1, 0)),
    (
        "ftp://files.example/x",
        Some("https://example.com/"),
        (0, 1, 0),
    ),
    ("#top", Some("https://example.com/"), (0, 0, 1)),
    ("", Some("https://example.com/"), (0, 0, 1)),
    ("mailto:a@example.com", None, (0, 0, 1)),
    ("tel:+1555", None, (0, 0, 1)),
    ("javascript:alert(1)", None, (0, 0, 1)),
    (" JavaScript:alert(1)", None, (0, 0, 1)),
    ("java\tscript:alert(1)", None, (0, 0, 1)),
    ("data:text/html,x", None, (0, 0, 1)),
    ("https:///", None, (0, 0, 1)),
];

#[test]
fn link_table() {
    for (href, base, (internal, external, other)) in LINKS {
        let html = format!("<a href=\"{href}\">x</a>");
        let links = page(&html, *base).links;
        let got = (links.internal, links.external, links.other);
        assert_eq!(
            got,
            (*internal, *external, *other),
            "{href:?} from {base:?}"
        );
        assert_eq!(links.total, 1, "{href:?}");
    }
}

#[test]
fn links_need_an_href_and_count_nofollow() {
    let links = page(
        "<a>no href</a><a name=x></a><a href=/ rel='NoFollow ugc'>",
        None,
    )
    .links;
    assert_eq!((links.total, links.nofollow), (1, 1));
    let links = page("<a href=/ rel=nofollowing>", None).links;
    assert_eq!(links.nofollow, 0);
}

#[test]
fn base_href_overrides_the_page_url() {
    let html = "<base href='https://cdn.example/'><base href='https://ignored.example/'>\
                <a href=/x></a><a href='https://cdn.example/y'></a><a href='https://example.com/z'></a>";
    let links = page(html, Some("https://example.com/")).links;
    assert_eq!((links.internal, links.external), (2, 1));
    // A relative base keeps the page's host.
    let links = page(
        "<base href=/sub/><a href='https://example.com/z'>",
        Some("https://example.com/"),
    )
    .links;
    assert_eq!(links.internal, 1);
}

#[test]
fn images_and_their_alt_texts() {
    let html = "<img src=a><img alt><img alt=''><img alt='  '><img alt='Two words'><IMAGE ALT=Three>\
                <svg><image alt=svg></image></svg><template><img alt=hidden></template>";
    let images = page(html, None).images;
    assert_eq!(
        (images.total, images.missing_alt, images.empty_alt),
        (6, 1, 3)
    );
    assert_eq!(images.alt_words, 3);
    assert_eq!(images.alt_samples, ["Two words", "Three"]);
    let images = page(
        "<img alt=' spaced \n  out '><img alt='a' alt='second'>",
        None,
    )
    .images;
    assert_eq!(images.alt_samples, ["spaced out", "a"]);
}

#[test]
fn title_description_lang_and_canonical() {
    let html = "<html lang=' de '><title>  First\n title </title><title>Second</title>\
                <meta name=Description content=' The   page. '><meta name=description content=later>\
                <link rel='alternate canonical' href=' /c '><link rel=canonical href=/d>";
    let page = page(html, None);
    assert_eq!(page.title.as_deref(), Some("First title"));
    assert_eq!(page.description.as_deref(), Some("The page."));
    assert_eq!(page.lang.as_deref(), Some("de"));
    assert_eq!(page.canonical.as_deref(), Some("/c"));
    assert_eq!(page_facts_of(""), Page::default());
    // An SVG title is no page title.
    assert_eq!(page_facts_of("<svg><title>icon</title></svg>").title, None);
    assert_eq!(page_facts_of("<title></title>").title.as_deref(), Some(""));
}

fn page_facts_of(html: &str) -> Page {
    page(html, None)
}

#[test]
fn headings() {
    let html = "<h1>One <em>two</em><br>three</h1><h2>Four<h3>five</h3></h2><h6></h6>\
                <template><h2>hidden</h2></template>";
    let page = page(html, None);
    let got: Vec<_> = page
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [(1, "One two three"), (2, "Four"), (3, "five"), (6, "")]
    );
    assert_eq!(page.headings_total, 4);
    // Cut at HEADING_CHARS characters.
    let long = format!("<h2>{}</h2>", "word ".repeat(wca_html::HEADING_CHARS));
    assert_eq!(
        page_facts_of(&long).headings[0].text.chars().count(),
        wca_html::HEADING_CHARS
    );
}

fn fixture(name: &str) -> (String, Vec<Event>, Page) {
    let path = wca_testkit::data("html").join(name);
    let html = std::fs::read_to_string(path).expect("fixture");
    let (events, page) = extract_chunked(
        &html,
        Some("https://blog.example/posts/counting-words"),
        &[usize::MAX],
    );
    (plain(&events), events, page)
}

#[test]
fn blog_fixture() {
    let (text, events, page) = fixture("blog.html");
    assert_eq!(
        regions(&events),
        [
            Enter(Header),
            Enter(Nav),
            Leave(Nav),
            Leave(Header),
            Enter(Main),
            Enter(Aside),
            Leave(Aside),
            Leave(Main),
            Enter(Footer),
            Leave(Footer)
        ]
    );
    assert_eq!(
        page.title.as_deref(),
        Some("Field Notes – Counting Words on the Web")
    );
    // Whitespace collapsed.
    assert_eq!(
        page.description.as_deref(),
        Some("Why counting the words of a web page is harder than it looks.")
    );
    assert_eq!(
        page.canonical.as_deref(),
        Some("https://blog.example/posts/counting-words")
    );
    assert_eq!(page.lang.as_deref(), Some("en-GB"));
    let headings: Vec<_> = page
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(
        headings,
        [
            (1, "Counting Words on the Web"),
            (2, "Blocks break words"),
            (2, "Hidden things"),
            (3, "Further reading"),
            (2, "Related")
        ]
    );
    let links = &page.links;
    assert_eq!(
        (
            links.total,
            links.internal,
            links.external,
            links.other,
            links.nofollow
        ),
        (11, 6, 2, 3, 2)
    );
    let images = &page.images;
    assert_eq!(
        (
            images.total,
            images.missing_alt,
            images.empty_alt,
            images.alt_words
        ),
        (4, 1, 1, 10)
    );
    assert_eq!(
        images.alt_samples,
        ["Field Notes logo", "A bar chart of words per page"]
    );
    for hidden in [
        "analytics",
        "font-family",
        "comment",
        "template",
        "JavaScript",
        "logo",
        "chart",
    ] {
        assert!(!text.contains(hidden), "{hidden} is not shown");
    }
    assert!(text.contains("Two paragraphs\nand a line break"));
    assert!(text.contains("Inline\n      emphasis and links do not."));
}

#[test]
fn xss_fixture() {
    let (text, _, page) = fixture("xss.html");
    assert_eq!(page.title.as_deref(), Some("<script>alert(1)</script>"));
    // Escaped markup is text; live markup is not.
    assert!(text.contains("Escaped: <script>alert(\"escaped\")</script> stays text."));
    assert!(
        text.contains("<script>alert(10)</script>"),
        "textarea content is text"
    );
    assert!(
        text.contains("<script>alert(14)</script>"),
        "xmp content is text"
    );
    for n in [2, 3, 4, 5, 6, 7, 8, 9, 12, 13] {
        assert!(
            !text.contains(&format!("alert({n})")),
            "payload {n} is not text"
        );
    }
    for shown in [
        "svg words",
        "after style.",
        "after comment.",
        "done.",
        "gone.",
        "upper.",
        "End.",
    ] {
        assert!(text.contains(shown), "{shown}");
    }
    assert!(!text.contains("noscript text") && !text.contains("iframe fallback"));
    let links = &page.links;
    assert_eq!((links.total, links.internal, links.other), (4, 1, 3));
    assert_eq!((page.images.total, page.images.missing_alt), (1, 1));
}

#[test]
fn entities_fixture() {
    let (text, _, page) = fixture("entities.html");
    assert_eq!(page.title.as_deref(), Some("Café & crème"));
    for decoded in [
        "< > & \" '",
        "∉ ≂̸ ∳",
        "© 2025, & more, café au lait, ¬it;.",
        "ABC ABC 😀 😀 \u{fffd} \u{fffd} \u{fffd} –dash—",
        "&unknownentity; &#; &#x; &#xZZ; AT&T R&D",
        "naïve coöperate Ångström 日本語 👨\u{200d}👩\u{200d}👧",
    ] {
        assert!(text.contains(decoded), "{decoded}");
    }
    // In attributes a legacy name before `=` stays as written.
    assert_eq!(page.images.alt_samples, ["café & crème &copy=1"]);
}

#[test]
fn messy_fixture() {
    let (text, events, page) = fixture("messy.html");
    assert_eq!(regions(&events), [Enter(Main), Leave(Main)]);
    assert_eq!(page.title.as_deref(), Some("Messy page"));
    let headings: Vec<_> = page
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect();
    assert_eq!(headings, [(2, "Heading"), (3, "closes it")]);
    let lines: Vec<_> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    for line in [
        "Unclosed paragraph one",
        "first",
        "definition",
        "cell two",
        "bold both italic plain",
        "svg titledrawncdata text",
        "foreign paragraph",
        "x=1",
        "beta",
        "stray end tags do not split words",
        "wbr splits no word: extraordinary",
    ] {
        assert!(lines.contains(&line), "{line} in {lines:?}");
    }
}

#[test]
fn region_names_are_distinct() {
    let all = [
        Region::Main,
        Region::Nav,
        Region::Header,
        Region::Footer,
        Region::Aside,
    ];
    for (i, a) in all.iter().enumerate() {
        assert!(all[i + 1..].iter().all(|b| a != b));
    }
}

/// Metadata and checks: each field from its usual source, the first value winning.
#[test]
fn metadata_and_checks() {
    let html = r#"<html><head><title>Counting words — Field Notes</title>
        <meta name="description" content="How  to count
            words on the web.">
        <meta name=author content="Ada Lovelace"><meta name=author content="Someone else">
        <meta property="article:published_time" content="2025-03-01T09:00:00Z">
        <meta property="article:modified_time" content="2025-03-02">
        <meta property="og:site_name" content="Field Notes">
        <meta property="og:title" content="Counting words">
        <meta property="OG:Type" content="article">
        <meta name="twitter:card" content="summary_large_image">
        <meta name="keywords" content="words, counting, , web">
        <meta name="robots" content="NOINDEX, follow">
        <link rel="alternate" hreflang="de" href="https://example.org/de/">
        <link rel="alternate" hreflang="x-default" href="/">
        <link rel="alternate" type="application/rss+xml" href="/feed">
        </head><body>
        <h1>One</h1><h3>Skips two</h3><h1>Two</h1><h2>Fine</h2><h4>Skips three</h4>
        <img src="/a.png"><img src="b.png" alt=""><img alt="x"><img>
        <a href="https://b.example/1">b</a><a href="https://a.example/">a</a>
        <a href="https://B.example/2">b</a><a href="/local">l</a>
        </body></html>"#;
    let (_, page) = crate::common::extract_chunked(html, Some("https://example.org/post"), &[7]);
    let m = &page.metadata;
    assert_eq!(m.author.as_deref(), Some("Ada Lovelace"));
    assert_eq!(m.published.as_deref(), Some("2025-03-01T09:00:00Z"));
    assert_eq!(m.modified.as_deref(), Some("2025-03-02"));
    assert_eq!(m.site_name.as_deref(), Some("Field Notes"));
    assert_eq!(m.keywords, ["words", "counting", "web"]);
    assert!(m.robots.noindex && !m.robots.nofollow, "{:?}", m.robots);
    let og: Vec<(&str, &str)> = m
        .open_graph
        .iter()
        .map(|p| (p.property.as_str(), p.content.as_str()))
        .collect();
    assert_eq!(
        og,
        [
            ("og:site_name", "Field Notes"),
            ("og:title", "Counting words"),
            ("og:type", "article")
        ]
    );
    assert_eq!(m.twitter.len(), 1);
    assert_eq!(m.twitter[0].property, "twitter:card");
    let alternates: Vec<(&str, &str)> = m
        .alternates
        .iter()
        .map(|a| (a.hreflang.as_str(), a.href.as_str()))
        .collect();
    assert_eq!(
        alternates,
        [("de", "https://example.org/de/"), ("x-default", "/")]
    );
    let c = &page.checks;
    assert_eq!(
        c.title_chars,
        "Counting words — Field Notes".chars().count() as u64
    );
    assert_eq!(
        c.description_chars,
        "How to count words on the web.".len() as u64
    );
    assert_eq!(c.h1, 2);
    let skips: Vec<(u8, u8, u64)> = c
        .skipped_heading_levels
        .iter()
        .map(|s| (s.from, s.to, s.index))
        .collect();
    assert_eq!(skips, [(1, 3, 1), (2, 4, 4)]);
    assert_eq!(c.images_without_alt, ["/a.png", ""]);
    let domains: Vec<(&str, u64)> = c
        .external_domains
        .iter()
        .map(|d| (d.domain.as_str(), d.links))
        .collect();
    assert_eq!(domains, [("b.example", 2), ("a.example", 1)]);
    assert_eq!(c.external_links_uncounted, 0);
}

/// JSON-LD: the types of every item, the article's own fields, and the metadata
/// they stand in for when the page's `meta` elements are silent.
#[test]
fn json_ld_is_read() {
    let html = r#"<head>
        <script type="application/ld+json">{"@context":"https://schema.org",
          "@type":"BreadcrumbList","itemListElement":[]}</script>
        <script type=" application/LD+json ">{"@graph":[{"@type":"WebPage"},
          {"@type":"NewsArticle","headline":"Rain &amp; <b>snow</b> <\/script>",
           "author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chan"}],
           "datePublished":"2024-05-06","dateModified":"2024-05-07",
           "publisher":{"name":"The Daily"}}]}</script>
        <script type="application/ld+json">{"broken": </script>
        <script>{"@type":"NotJsonLd"}</script>
        <template><script type="application/ld+json">{"@type":"Hidden"}</script></template>
        </head><body><p>Text</p>
        <script type="application/ld+json">{"@type":"Unclosed""#;
    let (events, page) = crate::common::extract_chunked(html, None, &[3]);
    let ld = &page.metadata.json_ld;
    assert_eq!(ld.types, ["BreadcrumbList", "WebPage", "NewsArticle"]);
    assert_eq!(
        ld.headline.as_deref(),
        Some("Rain &amp; <b>snow</b> </script>")
    );
    assert_eq!(ld.authors, ["Ann Lee", "Bo Chan"]);
    assert_eq!((ld.scripts, ld.invalid), (2, 1));
    let m = &page.metadata;
    assert_eq!(m.author.as_deref(), Some("Ann Lee, Bo Chan"));
    assert_eq!(m.published.as_deref(), Some("2024-05-06"));
    assert_eq!(m.modified.as_deref(), Some("2024-05-07"));
    assert_eq!(m.site_name.as_deref(), Some("The Daily"));
    assert_eq!(crate::common::plain(&events).trim(), "Text");
    // Past the cap, a script is skipped, not cut.
    let big = format!(
        "<script type=application/ld+json>{{\"@type\":\"Big\",\"x\":\"{}\"}}</script>",
        "a".repeat(wca_html::SCRIPT_CAP)
    );
    let (_, page) = crate::common::extract(&big);
    assert_eq!(
        (page.metadata.json_ld.scripts, page.metadata.json_ld.invalid),
        (0, 1)
    );
    assert!(page.metadata.json_ld.types.is_empty());
}

/// Past [`wca_html::DOMAIN_CAP`] distinct domains, links are counted, not named.
#[test]
fn external_domains_are_bounded() {
    let links: String = (0..wca_html::DOMAIN_CAP + 5)
        .map(|i| format!("<a href='https://d{i}.example/'>x</a>"))
        .collect();
    let (_, page) = crate::common::extract(&links);
    assert_eq!(page.checks.external_domains.len(), wca_html::MAX_DOMAINS);
    assert_eq!(page.checks.external_links_uncounted, 5);
    assert_eq!(page.links.external, wca_html::DOMAIN_CAP as u64 + 5);
}
