//! Main content: which of a page's text is its article.
//!
//! The method is Readability's (Mozilla's Readability.js, the reader view of Firefox),
//! recast for a stream. As the page goes by, every element becomes a node holding
//! what the method asks of it: its tag, what its `class`, `id`, `role` and `itemprop`
//! hint at ([`Hints`]), and the sums over its subtree (characters with whitespace
//! collapsed, characters of link text, commas, paragraphs, images, list items,
//! inputs, embeds, table rows and cells). Text, block edges and regions are logged in
//! order. At the end, or when the window is full, the page is decided:
//!
//! 1. Chrome is set aside: subtrees whose class or id names chrome (`comment`,
//!    `sidebar`, `footer`, `related`, `share`…) and nothing names content, or whose
//!    role is navigation, a menu, a dialog or complementary.
//! 2. Paragraphs (`p`, `pre`, `td`, `section`, `h2`–`h6`, and the runs of inline
//!    content inside `div`s, which Readability wraps in `p`s) of 25 characters or more
//!    score `1 + commas + min(characters / 100, 3)`, given to their parent in full, to
//!    the grandparent in half and to three more ancestors in thirds and less. Each
//!    ancestor starts from its tag (`div` +5, lists and forms -3, headings -5) and
//!    its class and id (±25 each), and its score is scaled by its share of non-link
//!    text.
//! 3. The best scorer, moved up to an ancestor that shares its score or holds other
//!    top scorers, is the article, with those of its siblings that score well or are
//!    paragraphs of prose.
//! 4. Inside it, widgets (footers, asides, forms, buttons, share bars), the headline
//!    that repeats the title, and link-dense or image-only blocks are dropped.
//! 5. Under 500 characters kept, the page is decided again with fewer rules.
//!
//! What is kept reaches the sink in document order, with every region event, so a
//! report counts words per region as before. The decision depends on the page only,
//! never on how it was split. Memory is bounded by the window: at most [`TEXT_CAP`]
//! bytes of text, [`NODE_CAP`] nodes and [`EVENT_CAP`] events; a page past that is
//! decided in windows, each on its own, and [`MainContent::windows`] says how many.

use super::elements::El;
use super::tree::Events;
use super::{Boundary, DropReason, Dropped, HtmlSink, MainContent, Region};

/// Bytes of text held before the window is decided.
pub const TEXT_CAP: usize = 1 << 20;
/// Nodes held before the window is decided.
pub const NODE_CAP: usize = 1 << 15;
/// Events held before the window is decided.
pub const EVENT_CAP: usize = 1 << 16;
/// Words kept of the first dropped block of each reason.
pub const SAMPLE_WORDS: usize = 12;

/// Readability's "unlikely candidates": class or id names of page chrome.
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];
/// Names that keep an unlikely-looking element a candidate.
const MAYBE: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "mathjax", "shadow",
];
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "pagination",
    "post",
    "text",
    "blog",
    "story",
];
const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
];
const BYLINE: &[&str] = &["byline", "author", "dateline", "writtenby", "p-author"];
const UNLIKELY_ROLES: &[&str] = &[
    "menu",
    "menubar",
    "complementary",
    "navigation",
    "alert",
    "alertdialog",
    "dialog",
];

/// The word lists searched in `class` and `id`, each with its bit.
const LISTS: [(&[&str], u8); 5] = [
    (UNLIKELY, 1),
    (MAYBE, 2),
    (POSITIVE, 4),
    (NEGATIVE, 8),
    (BYLINE, 16),
];

/// For each byte, the bits of the lists with a word starting with it.
static FIRST: [u8; 256] = first_bytes();

const fn first_bytes() -> [u8; 256] {
    let mut t = [0; 256];
    let mut k = 0;
    while k < LISTS.len() {
        let (list, bit) = LISTS[k];
        let mut i = 0;
        while i < list.len() {
            t[list[i].as_bytes()[0] as usize] |= bit;
            i += 1;
        }
        k += 1;
    }
    t
}

/// The bits of the lists with a word inside `hay`, ASCII case ignored: Readability's
/// regular expressions, which match anywhere (`sidebar` in `left-sidebar-wrap`), in
/// one pass that tries only the words starting with the byte at hand.
fn lists_in(hay: &str) -> u8 {
    let hay = hay.as_bytes();
    let mut found = 0;
    for i in 0..hay.len() {
        let b = hay[i].to_ascii_lowercase();
        let open = FIRST[b as usize] & !found;
        if open == 0 {
            continue;
        }
        let rest = &hay[i..];
        for (list, bit) in LISTS {
            if open & bit == 0 {
                continue;
            }
            let hit = list.iter().any(|w| {
                let w = w.as_bytes();
                w[0] == b && rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w)
            });
            if hit {
                found |= bit;
            }
        }
    }
    found
}

/// Recent answers of [`lists_in`], by the value's 64-bit hash: pages repeat their
/// class names, and the search is the extractor's main cost. What it answers depends
/// on the values only, so every chunking gets the same.
#[derive(Debug)]
pub(super) struct ListCache {
    slots: Box<[(u64, u8); 512]>,
}

impl Default for ListCache {
    fn default() -> Self {
        Self {
            slots: Box::new([(0, 0); 512]),
        }
    }
}

impl ListCache {
    fn lists_in(&mut self, hay: &str) -> u8 {
        if hay.is_empty() {
            return 0;
        }
        let hash = hay.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        }) | 1;
        let slot = &mut self.slots[(hash % 512) as usize];
        if slot.0 != hash {
            *slot = (hash, lists_in(hay));
        }
        slot.1
    }
}

/// What an element's attributes say about its content.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Hints {
    bits: u16,
    /// FNV-1a of the `class` attribute as written; 0 without one.
    class: u32,
}

impl Hints {
    const UNLIKELY: u16 = 1;
    const UNLIKELY_ROLE: u16 = 1 << 1;
    const CLASS_POSITIVE: u16 = 1 << 2;
    const CLASS_NEGATIVE: u16 = 1 << 3;
    const ID_POSITIVE: u16 = 1 << 4;
    const ID_NEGATIVE: u16 = 1 << 5;
    const BYLINE: u16 = 1 << 6;
    const SHARE: u16 = 1 << 7;
    const HASH_LINK: u16 = 1 << 8;
    const PRESENTATION: u16 = 1 << 9;
    /// `role=main` or `itemprop=articleBody`: the page says this is its content.
    const MAIN: u16 = 1 << 10;

    /// The hints of an element with these attributes.
    pub(super) fn new(
        cache: &mut ListCache,
        class: Option<&str>,
        id: Option<&str>,
        role: Option<&str>,
        itemprop: Option<&str>,
        rel: Option<&str>,
        href: Option<&str>,
    ) -> Hints {
        let mut bits = 0;
        let (c, i) = (class.unwrap_or(""), id.unwrap_or(""));
        let (in_class, in_id) = (cache.lists_in(c), cache.lists_in(i));
        let both = in_class | in_id;
        if both & 1 != 0 && both & 2 == 0 {
            bits |= Self::UNLIKELY;
        }
        let word_hid = |s: &str| s.split(' ').any(|w| w.eq_ignore_ascii_case("hid"));
        if in_class & 4 != 0 {
            bits |= Self::CLASS_POSITIVE;
        }
        if in_class & 8 != 0 || word_hid(c) {
            bits |= Self::CLASS_NEGATIVE;
        }
        if in_id & 4 != 0 {
            bits |= Self::ID_POSITIVE;
        }
        if in_id & 8 != 0 || word_hid(i) {
            bits |= Self::ID_NEGATIVE;
        }
        let author = |s: Option<&str>| s.is_some_and(|s| lists_in(s) & 16 != 0);
        if both & 16 != 0 || author(itemprop) || author(rel) {
            bits |= Self::BYLINE;
        }
        // Readability's `(\b|_)(share|sharedaddy)(\b|_)`.
        let share = [c, i].iter().any(|s| {
            s.split(|ch: char| !ch.is_ascii_alphanumeric())
                .any(|w| w.eq_ignore_ascii_case("share") || w.eq_ignore_ascii_case("sharedaddy"))
        });
        if share {
            bits |= Self::SHARE;
        }
        if let Some(role) = role {
            let role = role.trim_ascii().to_ascii_lowercase();
            if UNLIKELY_ROLES.contains(&role.as_str()) {
                bits |= Self::UNLIKELY_ROLE;
            }
            if role == "presentation" {
                bits |= Self::PRESENTATION;
            }
            if role == "main" {
                bits |= Self::MAIN;
            }
        }
        if itemprop.is_some_and(|p| p.split_ascii_whitespace().any(|p| p == "articleBody")) {
            bits |= Self::MAIN;
        }
        if href.is_some_and(|h| h.trim_ascii_start().starts_with('#')) {
            bits |= Self::HASH_LINK;
        }
        let class = class.filter(|c| !c.is_empty()).map_or(0, |c| {
            c.bytes().fold(0x811c_9dc5_u32, |h, b| {
                (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
            }) | 1
        });
        Hints { bits, class }
    }

    fn has(self, bit: u16) -> bool {
        self.bits & bit != 0
    }

    /// Readability's class weight: ±25 for each of the class and the id.
    fn weight(self) -> f32 {
        let mut w = 0.0;
        for (bit, sign) in [
            (Self::CLASS_POSITIVE, 25.0),
            (Self::CLASS_NEGATIVE, -25.0),
            (Self::ID_POSITIVE, 25.0),
            (Self::ID_NEGATIVE, -25.0),
        ] {
            if self.has(bit) {
                w += sign;
            }
        }
        w
    }
}

/// Sums over a node's subtree.
#[derive(Clone, Copy, Debug, Default)]
struct Agg {
    /// Characters, each whitespace run counted as one.
    chars: u32,
    /// Characters of link text, those of links to `#fragments` weighted 0.3.
    links: f32,
    commas: u32,
    /// Paragraphs: `p` elements and the runs of inline content in `div`s.
    p: u32,
    img: u32,
    li: u32,
    input: u32,
    embed: u32,
    /// Characters inside headings, inside "textish" elements, inside lists.
    heading: u32,
    textish: u32,
    list: u32,
    rows: u32,
    cells: u32,
    /// `th`, `thead`, `tfoot`, `caption`, `col` and `colgroup` elements.
    table_hints: u32,
    tables: u32,
}

impl Agg {
    fn add(&mut self, o: &Agg) {
        self.chars += o.chars;
        self.links += o.links;
        self.commas += o.commas;
        self.p += o.p;
        self.img += o.img;
        self.li += o.li;
        self.input += o.input;
        self.embed += o.embed;
        self.heading += o.heading;
        self.textish += o.textish;
        self.list += o.list;
        self.rows += o.rows;
        self.cells += o.cells;
        self.table_hints += o.table_hints;
        self.tables += o.tables;
    }

    fn sub(&mut self, o: &Agg) {
        self.chars = self.chars.saturating_sub(o.chars);
        self.links = (self.links - o.links).max(0.0);
        self.commas = self.commas.saturating_sub(o.commas);
        self.p = self.p.saturating_sub(o.p);
        self.img = self.img.saturating_sub(o.img);
        self.li = self.li.saturating_sub(o.li);
        self.input = self.input.saturating_sub(o.input);
        self.embed = self.embed.saturating_sub(o.embed);
        self.heading = self.heading.saturating_sub(o.heading);
        self.textish = self.textish.saturating_sub(o.textish);
        self.list = self.list.saturating_sub(o.list);
        self.rows = self.rows.saturating_sub(o.rows);
        self.cells = self.cells.saturating_sub(o.cells);
        self.table_hints = self.table_hints.saturating_sub(o.table_hints);
        self.tables = self.tables.saturating_sub(o.tables);
    }

    fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.links / self.chars as f32
        }
    }
}

const NONE: u32 = u32::MAX;
const ROOT: u32 = 0;

#[derive(Clone, Debug)]
struct Node {
    parent: u32,
    el: El,
    hints: Hints,
    /// A run of inline content directly in a `div`, which Readability makes a `p`.
    run: bool,
    /// The events of its subtree.
    first_event: u32,
    end_event: u32,
    /// Element children, runs included.
    children: u32,
    /// Its only child so far is a paragraph.
    only_child_p: bool,
    /// A descendant is a block (Readability's `DIV_TO_P_ELEMS`).
    block_inside: bool,
    /// Its text has a full stop followed by a space or at its end.
    period: bool,
    agg: Agg,
}

impl Node {
    fn new(parent: u32, el: El, hints: Hints, run: bool, first_event: u32) -> Node {
        Node {
            parent,
            el,
            hints,
            run,
            first_event,
            end_event: first_event,
            children: 0,
            only_child_p: false,
            block_inside: false,
            period: false,
            agg: Agg::default(),
        }
    }

    fn is_p(&self) -> bool {
        self.run || self.el == El::P
    }

    /// What the node adds to its parent's sums, its own being `agg`.
    fn contribution(&self, agg: &Agg) -> Agg {
        let mut a = *agg;
        if self.is_p() {
            a.p += 1;
        }
        if self.run {
            a.textish += agg.chars;
            return a;
        }
        match self.el {
            El::Li => a.li += 1,
            El::Tr => a.rows += 1,
            El::Td => a.cells += 1,
            El::Th => {
                a.cells += 1;
                a.table_hints += 1;
            }
            El::Thead | El::Tfoot | El::Caption | El::Colgroup => a.table_hints += 1,
            El::Table => a.tables += 1,
            El::Object | El::Embed => a.embed += 1,
            _ => {}
        }
        if heading(self.el) {
            a.heading += agg.chars;
        }
        if textish(self.el) {
            a.textish += agg.chars;
        }
        if matches!(self.el, El::Ul | El::Ol) {
            a.list += agg.chars;
        }
        a
    }
}

/// Elements Readability wraps with text into paragraphs (its `PHRASING_ELEMS`, with
/// the inline elements it does not list, which browsers lay out the same way).
fn phrasing(el: El) -> bool {
    matches!(
        el,
        El::A
            | El::B
            | El::Big
            | El::Br
            | El::Button
            | El::Code
            | El::Em
            | El::Embed
            | El::Font
            | El::I
            | El::Img
            | El::Input
            | El::Math
            | El::Nobr
            | El::Noscript
            | El::Object
            | El::Ruby
            | El::S
            | El::Select
            | El::Small
            | El::Span
            | El::Strike
            | El::Strong
            | El::Sub
            | El::Sup
            | El::Textarea
            | El::Tt
            | El::U
            | El::Var
            | El::Wbr
            | El::Other
    )
}

/// Readability's `DIV_TO_P_ELEMS`: a `div` holding one of these is not a paragraph.
fn block(el: El) -> bool {
    matches!(
        el,
        El::Blockquote | El::Dl | El::Div | El::Img | El::Ol | El::P | El::Pre | El::Table | El::Ul
    )
}

fn heading(el: El) -> bool {
    matches!(el, El::H1 | El::H2 | El::H3 | El::H4 | El::H5 | El::H6)
}

/// Readability's "textish" tags, whose text makes a block's text density.
fn textish(el: El) -> bool {
    matches!(el, El::Span | El::Li | El::Td) || block(el)
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Text { node: u32, start: u32, end: u32 },
    Line { node: u32 },
    Paragraph,
    Region(Region, bool),
}

/// What was decided for a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    Kept,
    Dropped(DropReason),
}

/// The rules a decision uses; Readability's flags.
#[derive(Clone, Copy)]
struct Rules {
    strip_unlikely: bool,
    weight_classes: bool,
    clean_conditionally: bool,
}

/// Readability's `charThreshold`: an article shorter than this is decided again with
/// fewer rules.
const CHAR_THRESHOLD: u32 = 500;

/// The extractor's state between pushes.
#[derive(Debug)]
pub(super) struct Filter {
    text: String,
    events: Vec<Event>,
    nodes: Vec<Node>,
    /// Open nodes, with the uid of their element (`NONE` for runs).
    open: Vec<(u32, u32)>,
    /// Open `a` elements, and the weight of the innermost one's text.
    links: u32,
    link_weight: f32,
    /// The last character was whitespace, or a full stop.
    space: bool,
    dot: bool,
    title: Option<String>,
    /// Blocks seen, of the current block: it has text, and some of it was kept.
    summary: MainContent,
    block_text: bool,
    block_kept: bool,
    block_reason: Option<DropReason>,
    block_sample: String,
    after_paragraph: bool,
    /// Every event goes to the sink as it comes, and the kept text to
    /// [`HtmlSink::main_text`] once decided.
    pub(super) observe: bool,
    /// Observing, and the first window is decided: nothing more is logged.
    pub(super) passive: bool,
}

impl Filter {
    pub(super) fn new() -> Filter {
        Filter {
            text: String::new(),
            events: Vec::new(),
            nodes: vec![Node::new(NONE, El::Body, Hints::default(), false, 0)],
            open: vec![(NONE, ROOT)],
            links: 0,
            link_weight: 1.0,
            space: true,
            dot: false,
            title: None,
            summary: MainContent::default(),
            block_text: false,
            block_kept: false,
            block_reason: None,
            block_sample: String::new(),
            after_paragraph: true,
            observe: false,
            passive: false,
        }
    }

    pub(super) fn summary(&self) -> &MainContent {
        &self.summary
    }

    pub(super) fn carried_bytes(&self) -> usize {
        self.text.capacity()
            + self.events.capacity() * size_of::<Event>()
            + self.nodes.capacity() * size_of::<Node>()
            + self.open.capacity() * 8
            + self.title.as_ref().map_or(0, String::capacity)
            + self.block_sample.capacity()
    }

    fn top(&self) -> u32 {
        self.open.last().map_or(ROOT, |&(_, n)| n)
    }

    fn open_node(&mut self, uid: u32, el: El, hints: Hints, run: bool) -> u32 {
        let parent = self.top();
        let index = self.nodes.len() as u32;
        let node = Node::new(parent, el, hints, run, self.events.len() as u32);
        let p = &mut self.nodes[parent as usize];
        p.only_child_p = p.children == 0 && node.is_p();
        p.children += 1;
        self.nodes.push(node);
        self.open.push((uid, index));
        index
    }

    /// Ends the node at `open[at]`, adding its sums to its parent's.
    fn close_at(&mut self, at: usize) {
        let (_, index) = self.open.remove(at);
        let n = &mut self.nodes[index as usize];
        n.end_event = self.events.len() as u32;
        if self.dot {
            n.period = true;
        }
        let n = n.clone();
        if n.el == El::A && !n.run {
            self.links = self.links.saturating_sub(1);
        }
        if n.parent == NONE {
            return;
        }
        let p = &mut self.nodes[n.parent as usize];
        p.agg.add(&n.contribution(&n.agg));
        p.period |= n.period;
        p.block_inside |= n.block_inside || block(n.el) || n.run;
    }

    fn close_run(&mut self) {
        if self.open.len() > 1 && self.nodes[self.top() as usize].run {
            self.close_at(self.open.len() - 1);
        }
    }

    /// Opens a run if inline content starts directly in a `div`.
    fn inline(&mut self, el: El) {
        let top = &self.nodes[self.top() as usize];
        if top.run {
            if !phrasing(el) {
                self.close_run();
            }
        } else if top.el == El::Div && phrasing(el) {
            self.open_node(NONE, El::P, Hints::default(), true);
        }
    }

    fn full(&self) -> bool {
        self.nodes.len() >= NODE_CAP || self.events.len() >= EVENT_CAP
    }

    /// Adds text to the open node. Visible text may open a run first (see
    /// [`Filter::inline`]); whitespace before its first visible character belongs
    /// to the node that was open before, so that where the text is cut into pieces
    /// changes nothing.
    fn add_text(&mut self, text: &str) {
        match text.find(|c: char| !c.is_whitespace()) {
            None => self.add_to_top(text),
            Some(first) => {
                if first > 0 {
                    self.add_to_top(&text[..first]);
                }
                self.inline(El::Other);
                self.add_to_top(&text[first..]);
            }
        }
    }

    fn add_to_top(&mut self, text: &str) {
        let mut chars = 0;
        let mut commas = 0;
        let top = self.top() as usize;
        for c in text.chars() {
            if c.is_whitespace() {
                if !self.space {
                    chars += 1;
                    self.space = true;
                }
                if self.dot {
                    self.nodes[top].period = true;
                    self.dot = false;
                }
            } else {
                chars += 1;
                self.space = false;
                self.dot = c == '.';
                if c == ',' || c == '，' {
                    commas += 1;
                }
            }
        }
        let node = top as u32;
        let a = &mut self.nodes[node as usize].agg;
        a.chars += chars;
        a.commas += commas;
        if self.links > 0 {
            a.links += chars as f32 * self.link_weight;
        }
        let start = self.text.len() as u32;
        self.text.push_str(text);
        let end = self.text.len() as u32;
        if let Some(Event::Text {
            node: n, end: e, ..
        }) = self.events.last_mut()
            && *n == node
            && *e == start
        {
            *e = end;
            return;
        }
        self.events.push(Event::Text { node, start, end });
    }

    /// Decides the window, reports what is kept and starts a new window with the
    /// open elements.
    fn flush(&mut self, sink: &mut impl HtmlSink) {
        // The open nodes end here for this window.
        let open = self.open.clone();
        for i in (1..self.open.len()).rev() {
            let (_, index) = self.open[i];
            let n = self.nodes[index as usize].clone();
            let p = &mut self.nodes[n.parent as usize];
            p.agg.add(&n.contribution(&n.agg));
            p.block_inside |= n.block_inside || block(n.el) || n.run;
        }
        for &(_, index) in &open {
            self.nodes[index as usize].end_event = self.events.len() as u32;
        }
        let fates = self.decide();
        self.emit(&fates, sink);
        self.summary.windows += 1;
        if self.observe {
            *self = Filter {
                observe: true,
                passive: true,
                ..Filter::new()
            };
            return;
        }
        // The next window starts with the open elements, empty.
        let old = core::mem::take(&mut self.nodes);
        self.events.clear();
        self.text.clear();
        self.open.clear();
        for (i, &(uid, index)) in open.iter().enumerate() {
            let n = &old[index as usize];
            let parent = if i == 0 { NONE } else { i as u32 - 1 };
            self.nodes.push(Node::new(parent, n.el, n.hints, n.run, 0));
            if i > 0 {
                self.nodes[i - 1].children = 1;
            }
            self.open.push((uid, i as u32));
        }
    }

    /// Ends the page: decides the last window.
    pub(super) fn finish(&mut self, sink: &mut impl HtmlSink) {
        if self.passive {
            return;
        }
        while self.open.len() > 1 {
            self.close_at(self.open.len() - 1);
        }
        self.flush(sink);
        if self.block_text {
            self.end_block();
        }
    }

    fn end_block(&mut self) {
        if !self.block_text {
            return;
        }
        self.summary.blocks += 1;
        if self.block_kept {
            self.summary.kept += 1;
        } else if let Some(reason) = self.block_reason {
            let sample: Vec<&str> = self
                .block_sample
                .split_whitespace()
                .take(SAMPLE_WORDS)
                .collect();
            let sample = sample.join(" ");
            match self.summary.dropped.iter_mut().find(|d| d.reason == reason) {
                Some(d) => d.blocks += 1,
                None => self.summary.dropped.push(Dropped {
                    reason,
                    blocks: 1,
                    first_words: sample,
                }),
            }
        }
        self.block_text = false;
        self.block_kept = false;
        self.block_reason = None;
        self.block_sample.clear();
    }

    fn emit(&mut self, fates: &[Fate], sink: &mut impl HtmlSink) {
        if self.observe {
            let mut after_paragraph = true;
            for event in &self.events {
                match *event {
                    Event::Text { node, start, end } if fates[node as usize] == Fate::Kept => {
                        sink.main_text(&self.text[start as usize..end as usize]);
                        after_paragraph = false;
                    }
                    Event::Line { node } if fates[node as usize] == Fate::Kept => {
                        sink.main_text("\n");
                    }
                    Event::Paragraph if !after_paragraph => {
                        sink.main_text("\n");
                        after_paragraph = true;
                    }
                    _ => {}
                }
            }
            return;
        }
        let events = core::mem::take(&mut self.events);
        for event in &events {
            match *event {
                Event::Text { node, start, end } => {
                    let text = &self.text[start as usize..end as usize];
                    let visible = text.chars().any(|c| !c.is_whitespace());
                    match fates[node as usize] {
                        Fate::Kept => {
                            sink.text(text);
                            self.after_paragraph = false;
                            if visible {
                                self.block_text = true;
                                self.block_kept = true;
                            }
                        }
                        Fate::Dropped(reason) => {
                            if visible {
                                self.block_text = true;
                                if self.block_reason.is_none() {
                                    self.block_reason = Some(reason);
                                }
                            }
                            if self.block_reason == Some(reason)
                                && !self.summary.dropped.iter().any(|d| d.reason == reason)
                            {
                                sample(&mut self.block_sample, text);
                            }
                        }
                    }
                }
                Event::Line { node } => {
                    if fates[node as usize] == Fate::Kept {
                        sink.boundary(Boundary::Line);
                        self.after_paragraph = false;
                    }
                }
                Event::Paragraph => {
                    self.end_block();
                    if !self.after_paragraph {
                        sink.boundary(Boundary::Paragraph);
                        self.after_paragraph = true;
                    }
                }
                Event::Region(region, inside) => sink.region(region, inside),
            }
        }
        self.events = events;
    }

    /// The text of a node's subtree, whitespace collapsed, up to `cap` bytes.
    fn node_text(&self, n: u32, cap: usize) -> String {
        let node = &self.nodes[n as usize];
        let mut out = String::new();
        let mut space = false;
        for e in &self.events[node.first_event as usize..node.end_event as usize] {
            if let Event::Text { start, end, .. } = *e {
                for c in self.text[start as usize..end as usize].chars() {
                    if c.is_whitespace() {
                        space = !out.is_empty();
                    } else {
                        if space {
                            out.push(' ');
                            space = false;
                        }
                        out.push(c);
                    }
                }
                if out.len() >= cap {
                    break;
                }
            }
        }
        out
    }

    fn decide(&self) -> Vec<Fate> {
        let mut best: Option<(Vec<Fate>, u32)> = None;
        for rules in [
            Rules {
                strip_unlikely: true,
                weight_classes: true,
                clean_conditionally: true,
            },
            Rules {
                strip_unlikely: false,
                weight_classes: true,
                clean_conditionally: true,
            },
            Rules {
                strip_unlikely: false,
                weight_classes: false,
                clean_conditionally: true,
            },
            Rules {
                strip_unlikely: false,
                weight_classes: false,
                clean_conditionally: false,
            },
        ] {
            let (fates, length) = self.attempt(rules);
            if length >= CHAR_THRESHOLD {
                return fates;
            }
            if best.as_ref().is_none_or(|(_, l)| length > *l) {
                best = Some((fates, length));
            }
        }
        best.map(|(f, _)| f).unwrap_or_default()
    }

    /// One decision with `rules`: the fate of every node, and the characters kept.
    fn attempt(&self, rules: Rules) -> (Vec<Fate>, u32) {
        let nodes = &self.nodes;
        let count = nodes.len();
        let weight = |n: usize| {
            if rules.weight_classes {
                nodes[n].hints.weight()
            } else {
                0.0
            }
        };
        // Chrome set aside, and the ancestors that matter.
        let mut agg: Vec<Agg> = nodes.iter().map(|n| n.agg).collect();
        // Removing a node takes its sums off its ancestors'.
        let unlink = |n: usize, agg: &mut Vec<Agg>| {
            let sub = nodes[n].contribution(&agg[n]);
            let mut a = nodes[n].parent;
            while a != NONE {
                agg[a as usize].sub(&sub);
                a = nodes[a as usize].parent;
            }
        };
        let mut removed: Vec<Option<DropReason>> = vec![None; count];
        let mut in_table_or_code = vec![false; count];
        let mut in_code = vec![false; count];
        let mut byline_done = false;
        let mut title_done = false;
        let title = self.title.as_deref().map(article_title);
        for n in 1..count {
            let node = &nodes[n];
            let p = node.parent as usize;
            in_table_or_code[n] =
                in_table_or_code[p] || matches!(nodes[p].el, El::Table | El::Code);
            in_code[n] = in_code[p] || nodes[p].el == El::Code;
            if removed[p].is_some() {
                removed[n] = removed[p];
                continue;
            }
            if node.run {
                continue;
            }
            let h = node.hints;
            if rules.strip_unlikely
                && ((h.has(Hints::UNLIKELY) && !in_table_or_code[n] && node.el != El::A)
                    || h.has(Hints::UNLIKELY_ROLE))
            {
                removed[n] = Some(DropReason::Boilerplate);
                unlink(n, &mut agg);
                continue;
            }
            if !byline_done && h.has(Hints::BYLINE) && agg[n].chars > 0 && agg[n].chars < 100 {
                byline_done = true;
                removed[n] = Some(DropReason::Duplicate);
                unlink(n, &mut agg);
                continue;
            }
            if !title_done
                && matches!(node.el, El::H1 | El::H2)
                && let Some(title) = &title
                && similarity(title, &self.node_text(n as u32, 1024)) > 0.75
            {
                title_done = true;
                removed[n] = Some(DropReason::Duplicate);
                unlink(n, &mut agg);
            }
        }
        // A `div` whose only child is a paragraph gives its place to it.
        let transparent: Vec<bool> = (0..count)
            .map(|n| {
                let node = &nodes[n];
                n != ROOT as usize
                    && node.el == El::Div
                    && !node.run
                    && node.children == 1
                    && node.only_child_p
                    && agg[n].link_density() < 0.25
            })
            .collect();
        let eparent = |mut n: usize| -> usize {
            loop {
                let p = nodes[n].parent;
                if p == NONE {
                    return NONE as usize;
                }
                n = p as usize;
                if !transparent[n] {
                    return n;
                }
            }
        };
        // Scores.
        let mut score: Vec<Option<f32>> = vec![None; count];
        let mut candidates: Vec<usize> = Vec::new();
        let base = |n: usize| -> f32 {
            let b = match nodes[n].el {
                El::Div => 5.0,
                El::Pre | El::Td | El::Blockquote => 3.0,
                El::Address | El::Ol | El::Ul | El::Dl | El::Dd | El::Dt | El::Li | El::Form => {
                    -3.0
                }
                El::H1 | El::H2 | El::H3 | El::H4 | El::H5 | El::H6 | El::Th => -5.0,
                _ => 0.0,
            };
            if n == ROOT as usize { b } else { b + weight(n) }
        };
        for n in 1..count {
            let node = &nodes[n];
            if removed[n].is_some() || transparent[n] {
                continue;
            }
            let scored = if node.run {
                // A run in a paragraph-like `div` is the `div`'s text: the `div`
                // itself is then the paragraph.
                true
            } else {
                matches!(
                    node.el,
                    El::Section
                        | El::H2
                        | El::H3
                        | El::H4
                        | El::H5
                        | El::H6
                        | El::P
                        | El::Td
                        | El::Pre
                )
            };
            if !scored || agg[n].chars < 25 {
                continue;
            }
            let content = 1.0 + agg[n].commas as f32 + (agg[n].chars / 100).min(3) as f32;
            let mut a = n;
            for level in 0..5 {
                a = eparent(a);
                if a == NONE as usize {
                    break;
                }
                if score[a].is_none() {
                    score[a] = Some(base(a));
                    candidates.push(a);
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    _ => level as f32 * 3.0,
                };
                if let Some(s) = &mut score[a] {
                    *s += content / divider;
                }
                if a == ROOT as usize {
                    break;
                }
            }
        }
        for &c in &candidates {
            if let Some(s) = &mut score[c] {
                *s *= 1.0 - agg[c].link_density();
            }
        }
        let mut top: Vec<usize> = Vec::new();
        for &c in &candidates {
            let s = score[c].unwrap_or(0.0);
            let at = top
                .iter()
                .position(|&t| s > score[t].unwrap_or(0.0))
                .unwrap_or(top.len());
            if at < 5 {
                top.insert(at, c);
                top.truncate(5);
            }
        }
        let mut fate = vec![Fate::Dropped(DropReason::OutsideArticle); count];
        let mut roots: Vec<usize> = Vec::new();
        match top.first().copied() {
            // Nothing scores: the page's own word for its content, else all of it.
            None => {
                let mut in_main = vec![false; count];
                for n in 1..count {
                    let node = &nodes[n];
                    let p = node.parent as usize;
                    let main = !node.run
                        && (matches!(node.el, El::Main | El::Article)
                            || node.hints.has(Hints::MAIN));
                    in_main[n] = in_main[p] || main;
                    if main && !in_main[p] && removed[n].is_none() {
                        roots.push(n);
                    }
                }
                if roots.is_empty() {
                    roots.push(ROOT as usize);
                }
            }
            Some(t) if t == ROOT as usize => roots.push(ROOT as usize),
            Some(mut t) => {
                let top_score = score[t].unwrap_or(0.0);
                let ancestors = |mut n: usize| {
                    let mut v = Vec::new();
                    loop {
                        n = eparent(n);
                        if n == NONE as usize {
                            return v;
                        }
                        v.push(n);
                    }
                };
                let alternatives: Vec<Vec<usize>> = top[1..]
                    .iter()
                    .filter(|&&c| top_score > 0.0 && score[c].unwrap_or(0.0) / top_score >= 0.75)
                    .map(|&c| ancestors(c))
                    .collect();
                if alternatives.len() >= 3 {
                    let mut p = eparent(t);
                    while p != ROOT as usize && p != NONE as usize {
                        let lists = alternatives.iter().filter(|a| a.contains(&p)).count();
                        if lists >= 3 {
                            t = p;
                            break;
                        }
                        p = eparent(p);
                    }
                }
                let mut score = score.clone();
                if score[t].is_none() {
                    score[t] = Some(base(t));
                }
                // Up to an ancestor that scores as well.
                let mut last = score[t].unwrap_or(0.0);
                let threshold = last / 3.0;
                let mut p = eparent(t);
                while p != ROOT as usize && p != NONE as usize {
                    let Some(s) = score[p] else {
                        p = eparent(p);
                        continue;
                    };
                    if s < threshold {
                        break;
                    }
                    if s > last {
                        t = p;
                        break;
                    }
                    last = s;
                    p = eparent(p);
                }
                // Up past parents that hold nothing else.
                let mut p = eparent(t);
                while p != ROOT as usize && p != NONE as usize && nodes[p].children == 1 {
                    t = p;
                    p = eparent(p);
                }
                if score[t].is_none() {
                    score[t] = Some(base(t));
                }
                let top_score = score[t].unwrap_or(0.0);
                let threshold = (top_score * 0.2).max(10.0);
                let parent = eparent(t);
                for s in 1..count {
                    if removed[s].is_some() || transparent[s] || eparent(s) != parent {
                        continue;
                    }
                    let append = if s == t {
                        true
                    } else {
                        let sib = &nodes[s];
                        let bonus =
                            if sib.hints.class != 0 && sib.hints.class == nodes[t].hints.class {
                                top_score * 0.2
                            } else {
                                0.0
                            };
                        if score[s].is_some_and(|sc| sc + bonus >= threshold) {
                            true
                        } else if sib.is_p() {
                            let ld = agg[s].link_density();
                            let len = agg[s].chars;
                            (len > 80 && ld < 0.25)
                                || (len < 80 && len > 0 && ld == 0.0 && sib.period)
                        } else {
                            false
                        }
                    };
                    if append {
                        roots.push(s);
                    }
                }
            }
        }
        let mut is_root = vec![false; count];
        for &r in &roots {
            fate[r] = Fate::Kept;
            is_root[r] = true;
        }
        let is_root = is_root;
        for n in 1..count {
            if let Some(reason) = removed[n] {
                fate[n] = Fate::Dropped(reason);
            } else if !is_root[n] {
                let p = eparent(n);
                if p != NONE as usize {
                    fate[n] = fate[p];
                }
            }
        }
        // Cleaning inside the article.
        let mut cleaned: Vec<bool> = vec![false; count];
        let inside = |n: usize, fate: &[Fate], cleaned: &[bool]| -> bool {
            if fate[n] != Fate::Kept {
                return false;
            }
            let mut a = n;
            while a != NONE as usize {
                if cleaned[a] {
                    return false;
                }
                if is_root[a] {
                    return true;
                }
                a = eparent(a);
            }
            false
        };
        let drop = |n: usize, agg: &mut Vec<Agg>, cleaned: &mut Vec<bool>| {
            cleaned[n] = true;
            unlink(n, agg);
        };
        let is_data_table = |n: usize, agg: &[Agg]| -> bool {
            let a = &agg[n];
            if nodes[n].hints.has(Hints::PRESENTATION) || a.tables > 0 {
                return false;
            }
            if a.table_hints > 0 {
                return true;
            }
            let rows = a.rows.max(1);
            let cols = a.cells / rows;
            a.rows >= 10 || cols > 4 || a.rows * cols > 10
        };
        let mut in_data_table = vec![false; count];
        let mut has_data_table = vec![false; count];
        for n in 1..count {
            let p = nodes[n].parent as usize;
            in_data_table[n] =
                in_data_table[p] || (nodes[p].el == El::Table && is_data_table(p, &agg));
        }
        for n in (1..count).rev() {
            if nodes[n].el == El::Table && is_data_table(n, &agg) {
                has_data_table[n] = true;
            }
            if has_data_table[n] {
                let p = nodes[n].parent as usize;
                has_data_table[p] = true;
            }
        }
        let conditional = |n: usize, agg: &[Agg], in_figure: bool| -> bool {
            let node = &nodes[n];
            let a = &agg[n];
            let mut is_list = matches!(node.el, El::Ul | El::Ol);
            if !is_list && a.chars > 0 {
                is_list = a.list as f32 / a.chars as f32 > 0.9;
            }
            if (node.el == El::Table && is_data_table(n, agg))
                || in_data_table[n]
                || in_code[n]
                || has_data_table[n]
            {
                return false;
            }
            let w = weight(n);
            if w < 0.0 {
                return true;
            }
            if a.commas >= 10 {
                return false;
            }
            let (p, img, li, input) = (a.p as f32, a.img as f32, a.li as f32 - 100.0, a.input);
            let heading_density = if a.chars == 0 {
                0.0
            } else {
                a.heading as f32 / a.chars as f32
            };
            if a.chars <= 32 {
                let text = self.node_text(n as u32, 64).to_lowercase();
                if is_ad_or_loading(&text) {
                    return true;
                }
            }
            let length = a.chars;
            let ld = a.link_density();
            let text_density = if a.chars == 0 {
                0.0
            } else {
                a.textish as f32 / a.chars as f32
            };
            let embeds = a.embed;
            let remove = (!in_figure && img > 1.0 && p / img < 0.5)
                || (!is_list && li > p)
                || (input as f32 > (p / 3.0).floor())
                || (!is_list
                    && !in_figure
                    && heading_density < 0.9
                    && length < 25
                    && (img == 0.0 || img > 2.0)
                    && ld > 0.0)
                || (!is_list && w < 25.0 && ld > 0.2)
                || (w >= 25.0 && ld > 0.5)
                || (embeds == 1 && length < 75)
                || embeds > 1
                || (img == 0.0 && text_density == 0.0 && length > 0);
            if is_list && remove && a.img == a.li && a.li > 0 {
                return false;
            }
            remove
        };
        let mut in_figure = vec![false; count];
        for n in 1..count {
            let p = nodes[n].parent as usize;
            in_figure[n] = in_figure[p] || nodes[p].el == El::Figure;
        }
        let mut reason = vec![DropReason::Widget; count];
        if rules.clean_conditionally {
            for n in (1..count).rev() {
                if matches!(nodes[n].el, El::Form | El::Fieldset)
                    && !nodes[n].run
                    && inside(n, &fate, &cleaned)
                    && conditional(n, &agg, in_figure[n])
                {
                    drop(n, &mut agg, &mut cleaned);
                }
            }
        }
        for n in (1..count).rev() {
            let node = &nodes[n];
            if node.run || !inside(n, &fate, &cleaned) {
                continue;
            }
            let widget = matches!(
                node.el,
                El::Object
                    | El::Embed
                    | El::Footer
                    | El::Aside
                    | El::Button
                    | El::Select
                    | El::Textarea
            );
            let share = node.hints.has(Hints::SHARE) && !is_root[n] && agg[n].chars < 500;
            let header = matches!(node.el, El::H1 | El::H2) && weight(n) < 0.0;
            if widget || share || header {
                drop(n, &mut agg, &mut cleaned);
            }
        }
        if rules.clean_conditionally {
            for tag in [El::Table, El::Ul, El::Div] {
                for n in (1..count).rev() {
                    if nodes[n].el == tag
                        && !nodes[n].run
                        && !transparent[n]
                        && inside(n, &fate, &cleaned)
                        && conditional(n, &agg, in_figure[n])
                    {
                        drop(n, &mut agg, &mut cleaned);
                        reason[n] = DropReason::LinkDense;
                    }
                }
            }
        }
        for n in 1..count {
            if cleaned[n] {
                fate[n] = Fate::Dropped(reason[n]);
            } else if removed[n].is_none() && !is_root[n] {
                let p = eparent(n);
                if p != NONE as usize && fate[p] != Fate::Kept {
                    fate[n] = fate[p];
                }
            }
        }
        let length = roots.iter().map(|&r| agg[r].chars).sum();
        (fate, length)
    }
}

/// Readability's `adWords` and `loadingWords`: a block that says only this.
fn is_ad_or_loading(text: &str) -> bool {
    let t = text.trim();
    let t = t
        .strip_suffix("...")
        .or_else(|| t.strip_suffix('…'))
        .unwrap_or(t);
    matches!(
        t,
        "ad" | "advertising"
            | "advertisement"
            | "pub"
            | "publicité"
            | "werb"
            | "werbung"
            | "广告"
            | "реклама"
            | "anuncio"
            | "loading"
            | "正在加载"
            | "загрузка"
            | "chargement"
            | "cargando"
    )
}

/// The article's title from the page's: the part before the site's name, as
/// Readability's `_getArticleTitle` finds it.
fn article_title(title: &str) -> String {
    const SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", " \\ ", " / ", " > ", " » "];
    let last = SEPARATORS
        .iter()
        .filter_map(|s| title.rfind(s).map(|i| (i, s.len())))
        .max();
    let first = SEPARATORS
        .iter()
        .filter_map(|s| title.find(s).map(|i| (i, s.len())))
        .min();
    let cut = match (last, first) {
        (Some((i, _)), Some((j, len))) => {
            let before = &title[..i];
            if before.split_whitespace().count() < 3 {
                &title[j + len..]
            } else {
                before
            }
        }
        _ => title,
    };
    // A short remainder is more likely a section name than the headline.
    if cut.split_whitespace().count() <= 4 {
        title.to_string()
    } else {
        cut.to_string()
    }
}

/// Readability's `_textSimilarity`: the share of `b`'s text made of words also in `a`.
fn similarity(a: &str, b: &str) -> f32 {
    let words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (ta, tb) = (words(a), words(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let unique: Vec<&String> = tb.iter().filter(|t| !ta.contains(t)).collect();
    let len = |v: &[&String]| {
        v.iter().map(|s| s.chars().count()).sum::<usize>() + v.len().saturating_sub(1)
    };
    let all: Vec<&String> = tb.iter().collect();
    1.0 - len(&unique) as f32 / len(&all) as f32
}

/// Bytes of a dropped block's text kept to take its first words from.
const SAMPLE_BYTES: usize = 512;

/// Appends to a block's sample, up to [`SAMPLE_BYTES`].
fn sample(out: &mut String, text: &str) {
    let mut end = SAMPLE_BYTES.saturating_sub(out.len()).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    out.push_str(&text[..end]);
}

/// The extractor reporting to a sink through the filter.
pub(super) struct Filtered<'a, S> {
    pub(super) filter: &'a mut Filter,
    pub(super) sink: &'a mut S,
}

impl<S: HtmlSink> Events for Filtered<'_, S> {
    fn text(&mut self, text: &str) {
        let f = &mut *self.filter;
        if f.observe {
            self.sink.text(text);
            if f.passive {
                return;
            }
        }
        let mut rest = text;
        while f.text.len() + rest.len() > TEXT_CAP {
            let mut cut = TEXT_CAP - f.text.len();
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            f.add_text(&rest[..cut]);
            rest = &rest[cut..];
            f.flush(self.sink);
            if f.passive {
                return;
            }
        }
        if !rest.is_empty() {
            f.add_text(rest);
        }
    }

    fn boundary(&mut self, boundary: Boundary) {
        let f = &mut *self.filter;
        if f.observe {
            self.sink.boundary(boundary);
            if f.passive {
                return;
            }
        }
        let event = match boundary {
            Boundary::Line => {
                // Two line breaks end a paragraph in a `div`, as Readability's
                // `_replaceBrs` makes them.
                if let Some(Event::Line { node }) = f.events.last()
                    && *node == f.top()
                    && f.nodes[*node as usize].run
                {
                    f.close_run();
                }
                Event::Line { node: f.top() }
            }
            Boundary::Paragraph => Event::Paragraph,
        };
        f.events.push(event);
        if f.full() {
            f.flush(self.sink);
        }
    }

    fn region(&mut self, region: Region, inside: bool) {
        if self.filter.observe {
            self.sink.region(region, inside);
            if self.filter.passive {
                return;
            }
        }
        self.filter.events.push(Event::Region(region, inside));
    }

    fn open(&mut self, uid: u32, el: El, hints: Hints) {
        if self.filter.passive {
            return;
        }
        let f = &mut *self.filter;
        if f.full() {
            f.flush(self.sink);
        }
        f.inline(el);
        if block(el) {
            let top = f.top() as usize;
            f.nodes[top].block_inside = true;
        }
        f.open_node(uid, el, hints, false);
        if el == El::A {
            f.links += 1;
            f.link_weight = if hints.has(Hints::HASH_LINK) {
                0.3
            } else {
                1.0
            };
        }
    }

    fn close(&mut self, uid: u32) {
        if self.filter.passive {
            return;
        }
        let f = &mut *self.filter;
        if let Some(at) = f.open.iter().rposition(|&(u, _)| u == uid) {
            if at + 2 == f.open.len() && f.nodes[f.top() as usize].run {
                f.close_run();
            }
            if at < f.open.len() {
                f.close_at(at);
            }
        }
    }

    fn empty(&mut self, el: El, _hints: Hints) {
        if self.filter.passive {
            return;
        }
        let f = &mut *self.filter;
        f.inline(el);
        let top = f.top() as usize;
        let a = &mut f.nodes[top].agg;
        match el {
            El::Img => a.img += 1,
            El::Input => a.input += 1,
            El::Embed | El::Iframe => a.embed += 1,
            El::Col => a.table_hints += 1,
            _ => {}
        }
        if block(el) {
            f.nodes[top].block_inside = true;
        }
    }

    fn title(&mut self, title: &str) {
        self.filter.title = Some(title.to_string());
    }
}
