//! On real pages, the extractor counts the words a standards parser does: html5ever
//! (through `scraper`) builds the DOM, a walk collects the text of visible nodes with
//! the extractor's rules, and both texts are cut into UAX #29 words. The pages are a
//! deterministic sample of the Rust documentation that rustup installs.

// The test reads pages and asks rustc where they are; the library itself does no I/O.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use crate::common::{entities, extract, extract_chunked, plain};
use proptest::prelude::*;
use scraper::{Html, Node, Selector};
use unicode_segmentation::UnicodeSegmentation;

/// Pages compared.
const SAMPLE: usize = 1000;
/// Share of pages whose counts must agree within 1%.
const REQUIRED: f64 = 0.95;

/// Elements rendered as blocks (HTML § 15.3), whose edges separate words.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "xmp",
];

/// Elements whose content is not shown.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "noembed", "noframes", "title",
    "datalist", "rp",
];

/// Whether an HTML element's attributes hide it: `hidden`, a closed `dialog` or
/// `details` (whose `summary` children show), an inline `display: none` or
/// `visibility: hidden`.
fn hidden_by_attributes(element: &scraper::node::Element) -> bool {
    let name = element.name();
    if element.attr("hidden").is_some()
        || (matches!(name, "dialog" | "details") && element.attr("open").is_none())
    {
        return true;
    }
    element.attr("style").is_some_and(|style| {
        let style = style
            .to_ascii_lowercase()
            .replace(|c: char| c.is_ascii_whitespace(), "");
        style.split(';').any(|d| {
            let d = d.strip_suffix("!important").unwrap_or(d);
            d == "display:none" || d == "visibility:hidden"
        })
    })
}

const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The visible text of a document as html5ever parses it.
fn oracle_text(source: &str) -> String {
    let document = Html::parse_document(source);
    let mut out = String::new();
    let mut stack = vec![(document.tree.root(), false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Text(text) => out.push_str(text),
            Node::Document | Node::Fragment => {
                stack.extend(node.children().rev().map(|child| (child, false)));
            }
            Node::Element(element) => {
                let name = element.name();
                let in_html = &*element.name.ns == HTML_NS;
                let block = in_html && BLOCKS.contains(&name);
                if closing {
                    if block {
                        out.push_str("\n\n");
                    }
                    continue;
                }
                let hidden = if in_html {
                    HIDDEN.contains(&name) || hidden_by_attributes(element)
                } else {
                    matches!(name, "script" | "style")
                };
                if hidden && !(in_html && name == "details") {
                    // A hidden block (`xmp`) still separates what is around it.
                    if block {
                        out.push_str("\n\n");
                    }
                    continue;
                }
                if in_html && name == "br" {
                    out.push('\n');
                }
                if block {
                    out.push_str("\n\n");
                }
                stack.push((node, true));
                // Of a closed `details`, only the `summary` shows.
                let closed = hidden;
                for child in node.children().rev() {
                    let summary = child
                        .value()
                        .as_element()
                        .is_some_and(|e| e.name() == "summary" && &*e.name.ns == HTML_NS);
                    if !closed || summary {
                        stack.push((child, false));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn words(text: &str) -> Vec<&str> {
    text.unicode_words().collect()
}

fn docs_root() -> PathBuf {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = std::process::Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .expect("rustc --print sysroot");
    let sysroot = String::from_utf8(sysroot.stdout).expect("UTF-8 sysroot");
    let root = Path::new(sysroot.trim()).join("share/doc/rust/html");
    assert!(
        root.join("std/index.html").is_file(),
        "no Rust documentation under {}: run `rustup component add rust-docs`",
        root.display()
    );
    root
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable docs")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// Where two word lists first differ, for the report.
fn first_difference(ours: &[&str], theirs: &[&str]) -> String {
    let at = ours.iter().zip(theirs).take_while(|(a, b)| a == b).count();
    let context = |w: &[&str]| w[at.saturating_sub(3)..(at + 4).min(w.len())].join(" ");
    format!("ours: …{}… html5ever: …{}…", context(ours), context(theirs))
}

#[test]
fn word_counts_agree_with_html5ever_on_rust_docs() {
    let root = docs_root();
    let mut files = Vec::new();
    html_files(&root, &mut files);
    let step = (files.len() / SAMPLE).max(1);
    let mut agree = 0;
    let mut total = 0;
    let mut worst = Vec::new();
    for (i, path) in files.iter().step_by(step).take(SAMPLE).enumerate() {
        let source = std::fs::read_to_string(path).expect("UTF-8 page");
        // Odd piece sizes, different per page, so that splits land everywhere.
        let (events, _) = extract_chunked(&source, None, &[4093 + i % 7, 1, 17]);
        let ours = plain(&events);
        let theirs = oracle_text(&source);
        let (ours, theirs) = (words(&ours), words(&theirs));
        let off = ours.len().abs_diff(theirs.len()) as f64 / theirs.len().max(1) as f64;
        total += 1;
        if off <= 0.01 {
            agree += 1;
        }
        if ours != theirs {
            worst.push((
                off,
                path.strip_prefix(&root).unwrap_or(path).to_path_buf(),
                {
                    let (o, t) = (ours.len(), theirs.len());
                    format!("{o} vs {t} words; {}", first_difference(&ours, &theirs))
                },
            ));
        }
    }
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    let share = agree as f64 / total as f64;
    println!(
        "{agree} of {total} pages ({:.1}%) within 1% of html5ever's word count; {} differ at all",
        share * 100.0,
        worst.len()
    );
    for (off, path, detail) in worst.iter().take(8) {
        println!("  {:.2}% {}: {detail}", off * 100.0, path.display());
    }
    assert!(
        share >= REQUIRED,
        "only {:.1}% of pages agree",
        share * 100.0
    );
}

/// The text of each `p` and the `alt` of each `img`, as html5ever reads them.
fn oracle_paragraphs_and_alts(source: &str) -> (Vec<String>, Vec<String>) {
    let document = Html::parse_document(source);
    let p = Selector::parse("p").expect("selector");
    let img = Selector::parse("img").expect("selector");
    let texts = document.select(&p).map(|e| e.text().collect()).collect();
    let alts = document
        .select(&img)
        .map(|e| e.value().attr("alt").unwrap_or("").to_string())
        .collect();
    (texts, alts)
}

/// Each `<p>` of a document of paragraphs, as the extractor reads it.
fn our_paragraphs(source: &str) -> Vec<String> {
    let (events, _) = extract(source);
    plain(&events)
        .split("\n\n")
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every named reference, with and without `;`, followed by a letter, `=` or space,
/// in text and in an attribute value (where `&copy=` stays as written).
#[test]
fn named_references_decode_as_html5ever_decodes_them() {
    let names: Vec<_> = entities().collect();
    assert_eq!(names.len(), 2125);
    assert_eq!(names.iter().filter(|(_, _, legacy)| *legacy).count(), 106);
    let mut mismatches = Vec::new();
    for suffix in [";", "", ";x", "x", "=", " "] {
        let mut source = String::from("<!DOCTYPE html><body>");
        for (name, _, _) in &names {
            source.push_str(&format!("<p>[&{name}{suffix}]</p>"));
        }
        let (theirs, _) = oracle_paragraphs_and_alts(&source);
        let ours = our_paragraphs(&source);
        assert_eq!(
            ours.len(),
            theirs.len(),
            "paragraphs with suffix {suffix:?}"
        );
        for ((name, _, _), (a, b)) in names.iter().zip(ours.iter().zip(&theirs)) {
            if a != b {
                mismatches.push(format!("text &{name}{suffix}: ours {a:?}, html5ever {b:?}"));
            }
        }
        // One image per document: the extractor keeps only short alt samples.
        for (name, _, _) in &names {
            let source = format!("<img alt=\"[&{name}{suffix}]\">");
            let (_, theirs) = oracle_paragraphs_and_alts(&source);
            let ours = extract(&source).1.images.alt_samples;
            let theirs = theirs[0]
                .split_ascii_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if ours.first().map_or("", String::as_str) != theirs {
                mismatches.push(format!(
                    "alt &{name}{suffix}: ours {ours:?}, html5ever {theirs:?}"
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}

/// Numeric references: zero, controls, the windows-1252 remapping, surrogates,
/// noncharacters, the largest scalar and beyond, with and without `;`.
#[test]
fn numeric_references_decode_as_html5ever_decodes_them() {
    let mut codes: Vec<u64> = (0..=0x20).chain(0x7f..=0xa0).collect();
    codes.extend([
        0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfdd0, 0xfffe, 0xffff,
    ]);
    codes.extend([
        0x1_f600,
        0x10_fffe,
        0x10_ffff,
        0x11_0000,
        0xffff_ffff,
        99_999_999_999_999,
    ]);
    let mut source = String::from("<!DOCTYPE html><body>");
    for code in &codes {
        for form in [
            format!("&#{code};"),
            format!("&#{code}x"),
            format!("&#x{code:x};"),
            format!("&#X{code:X}"),
        ] {
            source.push_str(&format!("<p>[{form}]</p>"));
        }
    }
    for odd in ["&#", "&#;", "&#x", "&#xg", "&#X;", "&#00065;", "&#x0000041"] {
        source.push_str(&format!("<p>[{odd}]</p>"));
    }
    let (theirs, _) = oracle_paragraphs_and_alts(&source);
    assert_eq!(our_paragraphs(&source), theirs);
}

/// Pieces of HTML whose visible words do not depend on the tree-construction rules
/// the extractor leaves out: tables come whole, so no text is foster-parented out of
/// them, and there is no `frameset`.
const PIECES: &[&str] = &[
    "word ",
    "two words",
    "x",
    "héllo ",
    "日本語",
    "😀",
    "\u{0}",
    "&amp;",
    "&notin;",
    "&notit;",
    "&#x1F600;",
    "&copy",
    "&#0;",
    "&#150;",
    "&#x;",
    "&ampx",
    "&",
    "&#",
    "<p>",
    "</p>",
    "<div class=\"a b\">",
    "</div>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<br>",
    "</br>",
    "<span>",
    "</span>",
    "<a href='/x?a=1&copy=2'>",
    "</a>",
    "<img alt=x>",
    "<li>",
    "<ul>",
    "</ul>",
    "</li>",
    "<dt>",
    "<dd>",
    "<h2>",
    "</h2>",
    "<h3>",
    "<section>",
    "</section>",
    "<nav>",
    "</nav>",
    "<pre>",
    "</pre>",
    "<title>T&lt;</title>",
    "<textarea>a <b></textarea>",
    "<svg>",
    "</svg>",
    "<math>",
    "</math>",
    "<![CDATA[c]]>",
    "<desc>",
    "</desc>",
    "<foreignObject>",
    "<!-- c -->",
    "<!---->",
    "<!-->",
    "<!-- a --!>",
    "<!DOCTYPE html>",
    "<?php x ?>",
    "<script>a<b</script>",
    "<script><!--<script>x</script>y--></script>",
    "<style>s</style>",
    "<xmp>x</xmp>",
    "<noscript>n</noscript>",
    "<template>t</template>",
    "<",
    "</",
    "</>",
    "< p>",
    "<p/>",
    "<a b='>'>",
    "<DIV>",
    "</DIV>",
    "<wbr>",
    "<custom-el>",
    "</custom-el>",
    "<font>",
    "</font>",
    "<table><tr><td>cell</td><td>cell</table>",
    "<table><caption>cap</caption><tbody><tr><th>h<td>d<tr><td>e</table>",
    "<table><tr><td><b>bold<p>in cell</td></tr></table>",
    "<select><option>o<option>p</select>",
    "<tr>",
    "<td>",
    "</td>",
    "<caption>",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Generated HTML: the extractor gives html5ever's words, in html5ever's order.
    #[test]
    fn generated_pages_give_html5ever_words(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..80)) {
        let source = pieces.concat();
        let (events, _) = extract(&source);
        let ours = plain(&events);
        let theirs = oracle_text(&source);
        prop_assert_eq!(words(&ours), words(&theirs), "ours {:?}, html5ever {:?}", ours, theirs);
    }
}

#[test]
fn fixtures_give_html5ever_words() {
    let dir = wca_testkit::data("html");
    let mut files = Vec::new();
    html_files(&dir, &mut files);
    assert!(files.len() >= 3, "too few fixtures in {}", dir.display());
    for path in files {
        let source = std::fs::read_to_string(&path).expect("UTF-8 fixture");
        let (events, _) = extract(&source);
        let ours = plain(&events);
        let theirs = oracle_text(&source);
        println!("== {}\n{ours}", path.display());
        assert_eq!(words(&ours), words(&theirs), "{}", path.display());
    }
}
