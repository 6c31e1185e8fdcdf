//! Streaming extraction of a page's visible text and structure from HTML.
//!
//! [`HtmlExtractor`] takes decoded text split anywhere — inside a tag, an attribute
//! value, a character reference, a comment — and reports the visible text to an
//! [`HtmlSink`] in document order, with the boundaries that block-level elements put
//! between words, and the page regions (main, nav, header, footer, aside) it passes
//! through. What it finds about the page (title, description, headings, links,
//! images) is a [`Page`]. The events and the page do not depend on the split.
//!
//! ```
//! use wca_html::{Boundary, HtmlExtractor, HtmlSink, Region};
//!
//! #[derive(Default)]
//! struct Text(String);
//! impl HtmlSink for Text {
//!     fn text(&mut self, text: &str) { self.0.push_str(text) }
//!     fn boundary(&mut self, _: Boundary) { self.0.push('|') }
//!     fn region(&mut self, _: Region, _: bool) {}
//! }
//!
//! let mut extractor = HtmlExtractor::new(None);
//! let mut sink = Text::default();
//! for piece in ["<title>Hi</ti", "tle><p>One &am", "p; two<script>x</script></p>"] {
//!     extractor.push(piece, &mut sink);
//! }
//! extractor.finish(&mut sink);
//! assert_eq!(sink.0, "|One & two|");
//! assert_eq!(extractor.page().title.as_deref(), Some("Hi"));
//! ```
//!
//! The tokenizer follows WHATWG's (HTML § 13.2.5) state by state: character
//! references with the full named table and the numeric rules, RCDATA (`title`,
//! `textarea`), RAWTEXT and script data (skipped), `plaintext`, comments, doctypes,
//! and CDATA sections, which are text inside SVG and MathML and bogus comments
//! elsewhere. Of tree construction (§ 13.2.6) it keeps what decides which text is
//! shown and where elements end (see `tree`). Text in the `head` needs no rule of its
//! own: what the tree builder keeps there (`title`) is reported, the rest (`script`,
//! `style`, `noscript`, `template`) is skipped wherever it is, and any other text
//! ends the `head`. On the 48 625 pages of the Rust documentation and on generated
//! pages, the words are html5ever's, in html5ever's order.
//!
//! Text is shown unless it is in `script`, `style`, `noscript`, `template` (at any
//! depth), `iframe`, `noembed` or `noframes` (scripting is taken as enabled, as in
//! browsers), in an SVG or MathML `script` or `style`, in the `title` (the page's
//! name, [`Page::title`]), or hidden by what browsers hide: the `hidden` attribute, an
//! inline `display: none` or `visibility: hidden`, a closed `dialog`, a closed
//! `details` but its `summary`, `datalist`, `rp`. `xmp` text is shown as written. Alt texts are not text: they are
//! counted in [`Images`].
//!
//! NUL characters in text are dropped, as the tree builder drops them in HTML
//! content; in SVG and MathML, RCDATA, CDATA, `plaintext` and attribute values they
//! become U+FFFD, as the standard says.
//!
//! Memory is bounded whatever the page: carried between pushes are the tokenizer's
//! state (see `tokenizer`: at most 4 KiB per kept attribute value), at most
//! [`STACK_CAP`] open elements (deeper ones are only counted, and their regions,
//! headings and `template`s are not tracked), 32 active formatting elements, and the
//! capped texts of the open title and heading. The page keeps at most
//! [`MAX_HEADINGS`] headings of [`HEADING_CHARS`] characters, [`MAX_ALT_SAMPLES`] alt
//! texts and a title of [`TITLE_CHARS`] characters. Nothing recurses.

#![deny(missing_docs)]

mod charref;
mod content;
mod elements;
mod entities;
mod jsonld;
mod tokenizer;
mod tree;
mod url;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// Receives the visible text of a page, in document order.
pub trait HtmlSink {
    /// Visible text, character references decoded, split anywhere (even inside a
    /// word).
    fn text(&mut self, text: &str);
    /// A separation between words and sentences: block-level elements give
    /// [`Boundary::Paragraph`] at their start and end tags (never twice in a row), `br`
    /// gives [`Boundary::Line`].
    fn boundary(&mut self, boundary: Boundary);
    /// Entering (`inside`) or leaving a region; nested regions of one kind are
    /// reported once, from the outermost's start to its end.
    fn region(&mut self, region: Region, inside: bool);
    /// With [`HtmlExtractor::observe_main_content`]: the main content's text, once
    /// decided, while all of the text goes to [`HtmlSink::text`]; paragraphs end in
    /// `\n`.
    fn main_text(&mut self, _text: &str) {}
}

/// A separation between pieces of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boundary {
    /// A line break (`br`).
    Line,
    /// The edge of a block (`p`, `div`, `li`, `td`, `h1`, …).
    Paragraph,
}

/// A landmark region of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    /// `main`, `article`, or `role="main"`.
    Main,
    /// `nav`, or `role="navigation"`.
    Nav,
    /// `header`, or `role="banner"`.
    Header,
    /// `footer`, or `role="contentinfo"`.
    Footer,
    /// `aside`, or `role="complementary"`.
    Aside,
}

impl Region {
    /// Every region, in the order the report lists them.
    pub const ALL: [Region; 5] = [
        Region::Main,
        Region::Nav,
        Region::Header,
        Region::Footer,
        Region::Aside,
    ];
}

/// Deepest tracked nesting of open elements; deeper than real pages nest.
pub const STACK_CAP: usize = 256;
/// Headings kept in [`Page::headings`].
pub const MAX_HEADINGS: usize = 200;
/// Characters kept of a heading.
pub const HEADING_CHARS: usize = 200;
/// Characters kept of the title.
pub const TITLE_CHARS: usize = 1024;
/// Alt texts kept in [`Images::alt_samples`].
pub const MAX_ALT_SAMPLES: usize = 20;
/// Characters kept of an alt text sample.
pub const ALT_SAMPLE_CHARS: usize = 200;

/// What a page holds besides its text.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Page {
    /// The first `title` element's text, whitespace collapsed, at most 1024
    /// characters; `None` if there is none.
    pub title: Option<String>,
    /// The first `<meta name="description">`'s content, whitespace collapsed.
    pub description: Option<String>,
    /// The `lang` attribute of the `html` element.
    pub lang: Option<String>,
    /// The `href` of the first `<link rel="canonical">`, as written.
    pub canonical: Option<String>,
    /// The first 200 headings (`h1`–`h6`) in document order.
    pub headings: Vec<Heading>,
    /// All headings, including those past the first 200.
    pub headings_total: u64,
    /// The links (`a` elements with an `href`).
    pub links: Links,
    /// The images (`img` elements).
    pub images: Images,
    /// What main-content extraction kept, when it was asked for
    /// ([`HtmlExtractor::main_content`]).
    pub main_content: Option<MainContent>,
    /// Author, dates, site name, OpenGraph and Twitter card fields, robots,
    /// keywords, language alternates.
    pub metadata: Metadata,
    /// What SEO checkers check, with its figures.
    pub checks: Checks,
}

/// Values kept of each metadata field, in characters.
pub const META_CHARS: usize = 1024;
/// Entries kept of each metadata list (keywords, OpenGraph and Twitter fields,
/// alternates).
pub const MAX_META_ITEMS: usize = 50;
/// Images without `alt` whose `src` is kept in [`Checks::images_without_alt`].
pub const MAX_MISSING_ALT: usize = 50;
/// Distinct external domains counted; links to more are counted in
/// [`Checks::external_links_uncounted`].
pub const DOMAIN_CAP: usize = 1000;
/// External domains reported, the most linked first.
pub const MAX_DOMAINS: usize = 50;

/// What a page's `<meta>` and `<link>` elements say about it. The first value of
/// each field wins; values are whitespace-collapsed and cut at [`META_CHARS`]
/// characters, lists at [`MAX_META_ITEMS`] entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Metadata {
    /// The JSON-LD article's authors, joined by `, `, else `<meta name="author">`,
    /// else `article:author`.
    pub author: Option<String>,
    /// The JSON-LD article's `datePublished`, else `article:published_time`, else
    /// `<meta itemprop="datePublished">`, else `<meta name="date">` (`pubdate`,
    /// `publish-date`, `dc.date`), as written.
    pub published: Option<String>,
    /// The JSON-LD article's `dateModified`, else `article:modified_time`, else
    /// `og:updated_time`, else `<meta itemprop="dateModified">`.
    pub modified: Option<String>,
    /// `og:site_name`, else `application-name`, else the JSON-LD article's
    /// publisher.
    pub site_name: Option<String>,
    /// `<meta name="keywords">`, split at commas.
    pub keywords: Vec<String>,
    /// `<meta name="robots">` (or `googlebot`).
    pub robots: Robots,
    /// `og:*` properties, in order.
    pub open_graph: Vec<Property>,
    /// `twitter:*` fields, in order.
    pub twitter: Vec<Property>,
    /// `<link rel="alternate" hreflang>`: the page in other languages.
    pub alternates: Vec<Alternate>,
    /// What the page's JSON-LD scripts say.
    pub json_ld: JsonLd,
}

/// What `<meta name="robots">` asks of crawlers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Robots {
    /// Its content, as written.
    pub content: Option<String>,
    /// `noindex` or `none`.
    pub noindex: bool,
    /// `nofollow` or `none`.
    pub nofollow: bool,
}

/// A metadata property and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Property {
    /// `og:title`, `twitter:card`…, lowercased.
    pub property: String,
    /// The value.
    pub content: String,
}

/// The page in another language.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Alternate {
    /// The `hreflang`, as written (`de`, `en-GB`, `x-default`).
    pub hreflang: String,
    /// The `href`, as written.
    pub href: String,
}

/// The checks of SEO tools, with their figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Checks {
    /// Characters of the title (at most [`TITLE_CHARS`]); search results show about
    /// 60.
    pub title_chars: u64,
    /// Characters of the meta description; search results show about 160.
    pub description_chars: u64,
    /// `h1` headings: a page should have exactly one.
    pub h1: u64,
    /// Headings that skip a level (an `h2` then an `h4`), the first 50.
    pub skipped_heading_levels: Vec<SkippedLevel>,
    /// The `src` of the first [`MAX_MISSING_ALT`] images without `alt`.
    pub images_without_alt: Vec<String>,
    /// Domains of external links with their counts, the most linked first, ties by
    /// name, at most [`MAX_DOMAINS`].
    pub external_domains: Vec<DomainLinks>,
    /// External links to domains past the first [`DOMAIN_CAP`] distinct ones.
    pub external_links_uncounted: u64,
}

/// A heading that skips a level.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct SkippedLevel {
    /// The level before it.
    pub from: u8,
    /// Its level.
    pub to: u8,
    /// Its place among all headings, from 0 (its text is in [`Page::headings`] when
    /// below [`MAX_HEADINGS`]).
    pub index: u64,
}

/// Links to one external domain.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct DomainLinks {
    /// The host, lowercased.
    pub domain: String,
    /// Links to it.
    pub links: u64,
}

pub use content::{EVENT_CAP, NODE_CAP, SAMPLE_WORDS, TEXT_CAP};
pub use jsonld::{JsonLd, MAX_AUTHORS, MAX_SCRIPTS, SCRIPT_CAP};

/// What main-content extraction kept of a page, and what it dropped, by why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct MainContent {
    /// Blocks of text (the text between two block edges) on the page.
    pub blocks: u64,
    /// Blocks reported as the article: some of their text was kept.
    pub kept: u64,
    /// The blocks dropped, by reason, in the order the reasons were first met.
    pub dropped: Vec<Dropped>,
    /// Parts the page was decided in: 1, unless it held more than the window
    /// ([`TEXT_CAP`], [`NODE_CAP`], [`EVENT_CAP`]).
    pub windows: u64,
}

/// Blocks dropped for one reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Dropped {
    /// Why.
    pub reason: DropReason,
    /// How many blocks.
    pub blocks: u64,
    /// The first [`SAMPLE_WORDS`] words of the first of them.
    pub first_words: String,
}

/// Why a block is not part of the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DropReason {
    /// Outside the element found to hold the article.
    OutsideArticle,
    /// In an element whose class, id or role names page chrome (navigation,
    /// comments, sidebars, footers, related links, sharing…).
    Boilerplate,
    /// A widget inside the article: a footer, an aside, a form control, a share bar,
    /// an embed.
    Widget,
    /// A block of the article made mostly of links, images or form fields.
    LinkDense,
    /// The headline that repeats the title, or the byline.
    Duplicate,
}

/// A heading.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Heading {
    /// 1 for `h1` to 6 for `h6`.
    pub level: u8,
    /// Its visible text, whitespace collapsed, at most 200 characters.
    pub text: String,
}

/// Counts of links by where they lead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Links {
    /// All links: `internal + external + other`.
    pub total: u64,
    /// Links to the page's host (from the page URL or `<base href>`), and relative
    /// links.
    pub internal: u64,
    /// Links to other hosts.
    pub external: u64,
    /// Links to no web page: `mailto:`, `tel:`, `javascript:`, `data:`, fragments of
    /// the page itself (`#top`), empty or unparsable `href`s.
    pub other: u64,
    /// Links whose `rel` includes `nofollow`, whatever their kind.
    pub nofollow: u64,
}

/// Counts of images and their alt texts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Images {
    /// All `img` elements.
    pub total: u64,
    /// Images without an `alt` attribute.
    pub missing_alt: u64,
    /// Images whose `alt` is empty or only whitespace (decorative).
    pub empty_alt: u64,
    /// Words in all alt texts (UAX #29 words), counted in each alt's first 4 KiB.
    pub alt_words: u64,
    /// The first 20 non-empty alt texts, whitespace collapsed, at most 200 characters
    /// each.
    pub alt_samples: Vec<String>,
}

/// Extracts the visible text and the structure of an HTML page pushed in pieces.
#[derive(Debug)]
pub struct HtmlExtractor {
    tokenizer: tokenizer::HtmlTokenizer,
    tree: tree::Tree,
    content: Option<content::Filter>,
}

impl HtmlExtractor {
    /// An extractor for a page at `base_url`, which links are resolved against (a
    /// `<base href>` in the page overrides it); without one, relative links count as
    /// internal and absolute ones as external.
    pub fn new(base_url: Option<&str>) -> Self {
        Self {
            tokenizer: tokenizer::HtmlTokenizer::new(),
            tree: tree::Tree::new(base_url.and_then(url::Base::parse)),
            content: None,
        }
    }

    /// Reports only the page's main content, its article, with the method of Mozilla's
    /// Readability recast for a stream (see `content`); the sink gets the text later,
    /// once the page (or a window of [`TEXT_CAP`] bytes of it) is decided.
    pub fn main_content(mut self) -> Self {
        self.tokenizer.hints = true;
        self.tree.hints = true;
        self.content = Some(content::Filter::new());
        self
    }

    /// Reports the whole page as [`HtmlExtractor::new`] does, and the main content of
    /// its first window ([`TEXT_CAP`] bytes of text) to [`HtmlSink::main_text`] too,
    /// for what needs a sample of the article (the language guess). Past the first
    /// window the page costs what it costs without this.
    pub fn observe_main_content(mut self) -> Self {
        self = self.main_content();
        if let Some(filter) = &mut self.content {
            filter.observe = true;
        }
        self
    }

    /// Reads a piece of the page.
    pub fn push(&mut self, text: &str, sink: &mut impl HtmlSink) {
        if self.content.as_ref().is_some_and(|f| f.passive) {
            // The observed window is decided: on as the whole page.
            self.content = None;
            self.tokenizer.hints = false;
            self.tree.hints = false;
        }
        match &mut self.content {
            None => self
                .tokenizer
                .push(text, &mut self.tree.builder(&mut tree::Direct(sink))),
            Some(filter) => {
                let mut events = content::Filtered { filter, sink };
                self.tokenizer
                    .push(text, &mut self.tree.builder(&mut events));
            }
        }
    }

    /// Ends the page: what is unfinished is dropped (a tag, a comment) or reported (a
    /// text, a character reference), and the open regions are left.
    pub fn finish(&mut self, sink: &mut impl HtmlSink) {
        match &mut self.content {
            None => {
                let mut direct = tree::Direct(sink);
                let mut builder = self.tree.builder(&mut direct);
                self.tokenizer.finish(&mut builder);
                builder.finish();
            }
            Some(filter) => {
                let mut events = content::Filtered {
                    filter,
                    sink: &mut *sink,
                };
                let mut builder = self.tree.builder(&mut events);
                self.tokenizer.finish(&mut builder);
                builder.finish();
                filter.finish(sink);
            }
        }
    }

    /// What was found; complete after [`HtmlExtractor::finish`].
    pub fn page(&self) -> Page {
        let mut page = self.tree.page().clone();
        page.checks.external_domains = self.tree.top_domains();
        let meta = &mut page.metadata;
        let ld = &meta.json_ld;
        // As Readability.js: the article's own JSON-LD first; `article:author` is
        // often a profile URL, not a name.
        if !ld.authors.is_empty() {
            meta.author = Some(ld.authors.join(", "));
        }
        meta.published = ld.date_published.clone().or_else(|| meta.published.take());
        meta.modified = ld.date_modified.clone().or_else(|| meta.modified.take());
        meta.site_name = meta.site_name.take().or_else(|| ld.publisher.clone());
        page.main_content = self
            .content
            .as_ref()
            .filter(|f| !f.observe)
            .map(|f| f.summary().clone());
        page
    }

    /// Bytes held between pushes, besides the fixed-size state: what memory the page
    /// costs, whatever its size.
    pub fn carried_bytes(&self) -> usize {
        self.tokenizer.carried_bytes()
            + self.tree.carried_bytes()
            + self
                .content
                .as_ref()
                .map_or(0, content::Filter::carried_bytes)
    }
}

/// The tokenizer on its own, for the html5lib-tests tokenizer suite: not an API.
#[cfg(feature = "integration_test")]
#[doc(hidden)]
pub mod testing {
    use super::elements::El;
    use super::tokenizer::{HtmlTokenizer, Tag, TokenSink};

    /// A token as the suite writes it: character data (NUL as U+0000, as the
    /// tokenizer emits it), or a start or end tag's name.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Token {
        /// Character data.
        Text(String),
        /// A start tag's name.
        Start(String),
        /// An end tag's name.
        End(String),
    }

    #[derive(Default)]
    struct Tokens(Vec<Token>);

    fn name(tag: &Tag) -> String {
        // A NUL in a name is U+FFFD (§ 13.2.5.8).
        String::from_utf8_lossy(&tag.name).replace('\0', "\u{fffd}")
    }

    impl TokenSink for Tokens {
        fn text(&mut self, text: &str) {
            match self.0.last_mut() {
                Some(Token::Text(t)) => t.push_str(text),
                _ => self.0.push(Token::Text(text.to_string())),
            }
        }
        fn start_tag(&mut self, tag: &Tag) -> Option<El> {
            self.0.push(Token::Start(name(tag)));
            None
        }
        fn end_tag(&mut self, tag: &Tag) {
            self.0.push(Token::End(name(tag)));
        }
        fn nul(&mut self) {
            self.text("\0");
        }
        fn doctype(&mut self, _: bool) {}
        fn cdata_allowed(&self) -> bool {
            false
        }
    }

    /// The tokens of `input` pushed in pieces of `sizes`, from the state the suite
    /// names (`"Data state"`, `"RCDATA state"`…); `None` for a state it has no
    /// equivalent of.
    pub fn tokenize<'a>(
        pieces: impl Iterator<Item = &'a str>,
        state: &str,
        last_start_tag: Option<&str>,
    ) -> Option<Vec<Token>> {
        let mut tokenizer = HtmlTokenizer::new();
        if !tokenizer.start_in(state, last_start_tag) {
            return None;
        }
        let mut sink = Tokens::default();
        for piece in pieces {
            tokenizer.push(piece, &mut sink);
        }
        tokenizer.finish(&mut sink);
        Some(sink.0)
    }
}

/// The named character references of WHATWG's table: the name without `&` and
/// `;`, its text, and whether it is recognised without the `;` (the legacy names).
pub fn named_references() -> impl Iterator<Item = (&'static str, &'static str, bool)> {
    charref::all()
}
