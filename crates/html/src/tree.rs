//! The part of tree construction (HTML § 13.2.6) that decides which text is shown,
//! where elements end, and what the page holds.
//!
//! No tree is built: only the stack of open elements, capped at [`STACK_CAP`] (deeper
//! elements are counted in `overflow`, and each end tag met while some are open closes
//! one of them), and the list of active formatting elements, capped at 32. The rules
//! kept are those that move element ends or decide what is foreign content: implied
//! ends (`p` by blocks, `li` by `li`, cells and rows by cells and rows, a heading by
//! a heading, `option` by `option`), scopes, the special category, the adoption
//! agency and the reopening of formatting elements, quirks mode for `<p><table>`,
//! table parts outside tables, and SVG and MathML with their integration points and
//! the tags that break out of them. Left out: foster parenting (text misplaced in a
//! table stays where it is, so only its order differs), `frameset`, fragments.
//!
//! Where html5ever, the oracle of the fidelity tests, reads the standard its own way,
//! it is followed: the special category holds HTML elements only, `select` bounds
//! scopes, and `select` holds any content (the "customizable select" parsing).

use unicode_segmentation::UnicodeSegmentation;

use super::content::Hints;
use super::elements::{
    self, BLOCK, BREAKOUT, CLOSES_P, El, FORMATTING, IMPLIED_END, MARKER, MATH_IP, SCOPE, SKIP,
    SPECIAL, SVG_IP, TABLE_PART, VOID,
};
use super::jsonld;
use super::tokenizer::{Slot, Tag, TokenSink};
use super::url::{self, Base, LinkKind};
use super::{
    ALT_SAMPLE_CHARS, Alternate, Boundary, DOMAIN_CAP, DomainLinks, HEADING_CHARS, Heading,
    HtmlSink, MAX_ALT_SAMPLES, MAX_DOMAINS, MAX_HEADINGS, MAX_META_ITEMS, MAX_MISSING_ALT,
    META_CHARS, Page, Property, Region, STACK_CAP, SkippedLevel, TITLE_CHARS,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

/// An open element.
#[derive(Clone, Copy, Debug)]
struct Entry {
    el: El,
    ns: Ns,
    hash: u32,
    /// Tells apart elements of one name, for the list of active formatting elements.
    uid: u32,
    /// 1–5: the region it opened (see [`Region::ALL`]); 0: none.
    region: u8,
    /// Its heading's text is being collected.
    capture: bool,
    /// Its content is hidden by its attributes (`hidden`, `style`, a closed
    /// `dialog` or `details`).
    hide: bool,
    /// A `summary`, which shows although its closed `details` hides the rest.
    reveal: bool,
    /// Its start was reported to the events, so its end is.
    reported: bool,
}

impl Entry {
    fn is_html(&self, el: El) -> bool {
        self.ns == Ns::Html && self.el == el
    }

    /// WHATWG's special category, HTML elements only, as html5ever has it (the
    /// standard adds the SVG and MathML integration points).
    fn is_special(&self) -> bool {
        self.ns == Ns::Html && self.el.is(SPECIAL)
    }

    /// Bounds "has an element in scope" (§ 13.2.4.2).
    fn is_scope(&self) -> bool {
        match self.ns {
            Ns::Html => self.el.is(SCOPE),
            Ns::Svg => self.el.is(SVG_IP),
            Ns::MathMl => self.el.is(MATH_IP),
        }
    }

    fn is_integration_point(&self) -> bool {
        match self.ns {
            Ns::Html => true,
            Ns::Svg => self.el.is(SVG_IP),
            Ns::MathMl => self.el.is(MATH_IP),
        }
    }

    /// Its content is not shown: an HTML `template`, or a `script` or `style` in SVG
    /// or MathML, which the tokenizer reads as markup.
    fn hides(&self) -> bool {
        self.hide
            || match self.ns {
                Ns::Html => self.el.is(SKIP),
                _ => matches!(self.el, El::Script | El::Style),
            }
    }

    fn matches(&self, tag: &Tag) -> bool {
        self.el == tag.el && (tag.el != El::Other || self.hash == tag.hash)
    }
}

/// Text with ASCII whitespace collapsed and trimmed, cut at a number of characters.
#[derive(Debug, Default)]
struct Collapsed {
    text: String,
    chars: usize,
    space: bool,
}

impl Collapsed {
    fn push(&mut self, text: &str, cap: usize) {
        for c in text.chars() {
            if c.is_ascii_whitespace() {
                self.space = !self.text.is_empty();
            } else if self.chars < cap {
                if self.space {
                    self.text.push(' ');
                    self.chars += 1;
                    self.space = false;
                    if self.chars == cap {
                        return;
                    }
                }
                self.text.push(c);
                self.chars += 1;
            } else {
                return;
            }
        }
    }

    fn gap(&mut self) {
        self.space = !self.text.is_empty();
    }

    fn take(&mut self) -> String {
        self.chars = 0;
        self.space = false;
        core::mem::take(&mut self.text)
    }
}

pub(super) fn collapse(text: &str, cap: usize) -> String {
    let mut c = Collapsed::default();
    c.push(text, cap);
    c.take()
}

/// Whether the start tag reopens the formatting elements that blocks closed before
/// it (the "in body" rules that say "reconstruct the active formatting elements").
fn reconstructs(el: El) -> bool {
    match el {
        El::Xmp => true,
        _ if el.is(CLOSES_P) || el.is(TABLE_PART) => false,
        El::Base
        | El::Basefont
        | El::Bgsound
        | El::Link
        | El::Meta
        | El::Noframes
        | El::Script
        | El::Style
        | El::Template
        | El::Title
        | El::Frameset
        | El::Textarea
        | El::Iframe
        | El::Noembed
        | El::Noscript
        | El::Col
        | El::Colgroup
        | El::Frame
        | El::Param
        | El::Source
        | El::Track
        | El::Rb
        | El::Rp
        | El::Rt
        | El::Rtc => false,
        _ => true,
    }
}

/// What a `<meta>` with this `name`, `property` or `itemprop` and `content` says.
fn meta_facts(
    page: &mut Page,
    name: Option<&str>,
    property: Option<&str>,
    itemprop: Option<&str>,
    content: &str,
) {
    let m = &mut page.metadata;
    let set = |field: &mut Option<String>| {
        if field.is_none() {
            *field = Some(collapse(content, META_CHARS));
        }
    };
    match name {
        Some("author") => set(&mut m.author),
        Some("date" | "pubdate" | "publish-date" | "dc.date" | "dc.date.issued") => {
            set(&mut m.published)
        }
        Some("application-name") => set(&mut m.site_name),
        Some("keywords") if m.keywords.is_empty() => {
            m.keywords = content
                .split(',')
                .map(|k| collapse(k, META_CHARS))
                .filter(|k| !k.is_empty())
                .take(MAX_META_ITEMS)
                .collect();
        }
        Some("robots" | "googlebot") if m.robots.content.is_none() => {
            let none = has_token(&content.replace(',', " "), "none");
            let has = |t: &str| none || has_token(&content.replace(',', " "), t);
            m.robots.noindex = has("noindex");
            m.robots.nofollow = has("nofollow");
            m.robots.content = Some(collapse(content, META_CHARS));
        }
        _ => {}
    }
    // Twitter cards are `name`d, though many pages write `property`.
    let key = property.or(name.filter(|n| n.starts_with("twitter:")));
    match key {
        Some("article:published_time") => set(&mut m.published),
        Some("article:modified_time" | "og:updated_time") => set(&mut m.modified),
        Some("article:author") => set(&mut m.author),
        Some("og:site_name") => set(&mut m.site_name),
        _ => {}
    }
    if let Some(key) = key {
        let list = if key.starts_with("og:") {
            Some(&mut m.open_graph)
        } else if key.starts_with("twitter:") {
            Some(&mut m.twitter)
        } else {
            None
        };
        if let Some(list) = list
            && list.len() < MAX_META_ITEMS
        {
            list.push(Property {
                property: collapse(key, META_CHARS),
                content: collapse(content, META_CHARS),
            });
        }
    }
    match itemprop {
        Some("datePublished") => set(&mut m.published),
        Some("dateModified") => set(&mut m.modified),
        _ => {}
    }
}

/// Whether an element's attributes hide its content (HTML § 15.3.1 for `hidden`,
/// § 15.5.6 for `details`, § 4.11.4 for `dialog`; an inline `display: none` or
/// `visibility: hidden`), or its name does (`datalist`, `rp` as browsers that show
/// ruby lay it out).
fn hidden_by(el: El, attrs: &super::tokenizer::Attrs) -> bool {
    if attrs.get(Slot::Hidden).is_some() {
        return true;
    }
    if matches!(el, El::Details | El::Dialog) && attrs.get(Slot::Open).is_none() {
        return true;
    }
    if matches!(el, El::Rp | El::Datalist) {
        return true;
    }
    attrs.get(Slot::Style).is_some_and(|style| {
        let squeezed: String = style
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        squeezed.split(';').any(|d| {
            let d = d.strip_suffix("!important").unwrap_or(d);
            d == "display:none" || d == "visibility:hidden"
        })
    })
}

fn has_token(list: &str, token: &str) -> bool {
    list.split_ascii_whitespace()
        .any(|t| t.eq_ignore_ascii_case(token))
}

/// An entry of the list of active formatting elements (§ 13.2.4.3).
#[derive(Clone, Copy, Debug)]
enum Active {
    Marker,
    Element { el: El, uid: u32, open: bool },
}

/// Longest list of active formatting elements kept; the oldest entry goes first.
/// The Noah's Ark clause already keeps it short on real pages.
const ACTIVE_CAP: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TitleState {
    Unseen,
    Reading,
    Done,
}

/// The tree builder's state and what it found.
#[derive(Debug)]
pub(super) struct Tree {
    stack: Vec<Entry>,
    /// Open elements past [`STACK_CAP`].
    overflow: u64,
    /// The depth past [`STACK_CAP`] of the outermost untracked element that hides its
    /// content, if one is open.
    overflow_hide: Option<u64>,
    /// How many of each element are on the stack, to skip searches for absent ones.
    open: [u16; El::Other as usize + 1],
    /// How many of each region are open.
    regions: [u32; 5],
    /// How many open elements hide their content.
    hidden: u32,
    active: Vec<Active>,
    next_uid: u32,
    /// The element whose raw text is being read.
    raw: Option<El>,
    title_state: TitleState,
    title: Collapsed,
    /// Hints are read from the attributes, for main-content extraction.
    pub(super) hints: bool,
    list_cache: super::content::ListCache,
    /// The level of the heading whose text is being collected.
    heading: Option<u8>,
    heading_text: Collapsed,
    /// The last event reported was a paragraph boundary.
    after_paragraph: bool,
    /// Quirks mode (§ 13.2.6.4.1), once decided by the first token.
    quirks: Option<bool>,
    document_base: Option<Base>,
    base: Option<Base>,
    base_seen: bool,
    page: Page,
    /// Links per external domain, at most [`DOMAIN_CAP`] domains.
    domains: std::collections::BTreeMap<String, u64>,
    /// The level of the last heading, for skipped levels.
    last_heading: u8,
    /// The JSON-LD script being read; `None` once past its cap.
    json_ld: Option<Option<String>>,
}

impl Tree {
    pub(super) fn new(document_base: Option<Base>) -> Self {
        Self {
            stack: Vec::new(),
            overflow: 0,
            overflow_hide: None,
            open: [0; El::Other as usize + 1],
            regions: [0; 5],
            hidden: 0,
            active: Vec::new(),
            next_uid: 0,
            raw: None,
            title_state: TitleState::Unseen,
            title: Collapsed::default(),
            hints: false,
            list_cache: Default::default(),
            heading: None,
            heading_text: Collapsed::default(),
            after_paragraph: false,
            quirks: None,
            base: document_base.clone(),
            document_base,
            base_seen: false,
            page: Page::default(),
            domains: std::collections::BTreeMap::new(),
            last_heading: 0,
            json_ld: None,
        }
    }

    /// The most linked external domains, ties by name.
    pub(super) fn top_domains(&self) -> Vec<DomainLinks> {
        let mut all: Vec<(&String, &u64)> = self.domains.iter().collect();
        all.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        all.into_iter()
            .take(MAX_DOMAINS)
            .map(|(domain, &links)| DomainLinks {
                domain: domain.clone(),
                links,
            })
            .collect()
    }

    pub(super) fn builder<'a, E: Events>(&'a mut self, sink: &'a mut E) -> Builder<'a, E> {
        Builder { tree: self, sink }
    }

    pub(super) fn page(&self) -> &Page {
        &self.page
    }

    pub(super) fn carried_bytes(&self) -> usize {
        let page = &self.page;
        let m = &page.metadata;
        let metadata = [
            &m.author,
            &m.published,
            &m.modified,
            &m.site_name,
            &m.robots.content,
        ]
        .iter()
        .map(|s| s.as_ref().map_or(0, String::capacity))
        .sum::<usize>()
            + m.keywords.iter().map(String::capacity).sum::<usize>()
            + m.json_ld.carried_bytes()
            + m.open_graph
                .iter()
                .chain(&m.twitter)
                .map(|p| p.property.capacity() + p.content.capacity())
                .sum::<usize>()
            + m.alternates
                .iter()
                .map(|a| a.hreflang.capacity() + a.href.capacity())
                .sum::<usize>()
            + page
                .checks
                .images_without_alt
                .iter()
                .map(String::capacity)
                .sum::<usize>()
            + page.checks.skipped_heading_levels.capacity() * size_of::<SkippedLevel>()
            + self
                .domains
                .keys()
                .map(|d| d.capacity() + 48)
                .sum::<usize>();
        let strings = [&page.title, &page.description, &page.lang, &page.canonical];
        metadata
            + self.stack.capacity() * size_of::<Entry>()
            + self.active.capacity() * size_of::<Active>()
            + self.title.text.capacity()
            + self.heading_text.text.capacity()
            + self.base.as_ref().map_or(0, Base::carried_bytes)
            + self
                .json_ld
                .as_ref()
                .map_or(0, |s| s.as_ref().map_or(0, String::capacity))
            + self.document_base.as_ref().map_or(0, Base::carried_bytes)
            + strings
                .iter()
                .map(|s| s.as_ref().map_or(0, String::capacity))
                .sum::<usize>()
            + page.headings.capacity() * size_of::<Heading>()
            + page
                .headings
                .iter()
                .map(|h| h.text.capacity())
                .sum::<usize>()
            + page.images.alt_samples.capacity() * size_of::<String>()
            + page
                .images
                .alt_samples
                .iter()
                .map(String::capacity)
                .sum::<usize>()
    }
}

/// What the tree builder reports: the sink's events, and for main-content
/// extraction the elements the text is in.
pub(super) trait Events {
    fn text(&mut self, text: &str);
    fn boundary(&mut self, boundary: Boundary);
    fn region(&mut self, region: Region, inside: bool);
    /// A shown element opens; `uid` tells it apart from the others open.
    fn open(&mut self, _uid: u32, _el: El, _hints: Hints) {}
    /// The element `uid` ends (not necessarily the last opened: the adoption agency
    /// ends formatting elements out of order).
    fn close(&mut self, _uid: u32) {}
    /// A shown element without content: a void element or a raw-text one.
    fn empty(&mut self, _el: El, _hints: Hints) {}
    /// The page's title, whitespace collapsed.
    fn title(&mut self, _title: &str) {}
}

/// The events straight to the sink.
pub(super) struct Direct<'a, S>(pub(super) &'a mut S);

impl<S: HtmlSink> Events for Direct<'_, S> {
    fn text(&mut self, text: &str) {
        self.0.text(text);
    }
    fn boundary(&mut self, boundary: Boundary) {
        self.0.boundary(boundary);
    }
    fn region(&mut self, region: Region, inside: bool) {
        self.0.region(region, inside);
    }
}

/// The tree builder at work: the tree and the sink it reports to.
pub(super) struct Builder<'a, S> {
    tree: &'a mut Tree,
    sink: &'a mut S,
}

impl<S: Events> Builder<'_, S> {
    pub(super) fn finish(&mut self) {
        // A script the page never closed is not read.
        self.tree.json_ld = None;
        if let Some(raw) = self.tree.raw.take() {
            if raw == El::Title {
                self.title_end();
            }
            if raw.is(BLOCK) {
                self.paragraph();
            }
        }
        self.pop_to(0);
        self.tree.overflow = 0;
        if self.tree.overflow_hide.take().is_some() {
            self.tree.hidden -= 1;
        }
    }

    /// A paragraph boundary, unless in hidden content, where nothing is laid out.
    fn paragraph(&mut self) {
        if !self.tree.after_paragraph && self.tree.hidden == 0 {
            self.sink.boundary(Boundary::Paragraph);
            self.tree.after_paragraph = true;
        }
        self.tree.heading_text.gap();
    }

    fn line(&mut self) {
        if self.tree.hidden > 0 {
            return;
        }
        self.sink.boundary(Boundary::Line);
        self.tree.after_paragraph = false;
        self.tree.heading_text.gap();
    }

    fn current(&self) -> Option<&Entry> {
        self.tree.stack.last()
    }

    /// Whether text goes by the HTML rules rather than those of foreign content.
    fn html_rules(&self) -> bool {
        self.current().is_none_or(Entry::is_integration_point)
    }

    /// Opens an element; `role` is the region its `role` attribute names. The answer
    /// is its uid, unless it lies past [`STACK_CAP`].
    fn push(
        &mut self,
        el: El,
        ns: Ns,
        hash: u32,
        role: u8,
        hints: Hints,
        hide: bool,
    ) -> Option<u32> {
        if self.tree.stack.len() >= STACK_CAP {
            self.tree.overflow += 1;
            // Untracked, a `template` (or a hidden element) still hides what it
            // holds, until the end tag that closes it by count.
            let hides = hide
                || match ns {
                    Ns::Html => el.is(SKIP),
                    _ => matches!(el, El::Script | El::Style),
                };
            if hides && self.tree.overflow_hide.is_none() {
                self.tree.overflow_hide = Some(self.tree.overflow);
                self.tree.hidden += 1;
            }
            return None;
        }
        let uid = self.tree.next_uid;
        self.tree.next_uid = uid.wrapping_add(1);
        let mut entry = Entry {
            el,
            ns,
            hash,
            uid,
            region: 0,
            capture: false,
            hide,
            reveal: false,
            reported: false,
        };
        if ns == Ns::Html
            && el == El::Summary
            && self.tree.hidden == 1
            && self
                .current()
                .is_some_and(|e| e.is_html(El::Details) && e.hide)
        {
            // HTML § 15.5.6: a closed `details` shows its first `summary`.
            entry.reveal = true;
            self.tree.hidden -= 1;
        }
        if ns == Ns::Html && self.tree.hidden == 0 {
            entry.region = match el.region() {
                0 => role,
                r => r,
            };
            let level = el.heading_level();
            if level > 0 {
                self.heading_start(level);
                entry.capture = self.tree.heading.is_some();
            }
        }
        if entry.region > 0 {
            let r = entry.region as usize - 1;
            self.tree.regions[r] += 1;
            if self.tree.regions[r] == 1 {
                self.sink.region(Region::ALL[r], true);
            }
        }
        if self.tree.hidden == 0 {
            entry.reported = true;
            self.sink.open(uid, el, hints);
        }
        if entry.hides() {
            self.tree.hidden += 1;
        }
        self.tree.open[el as usize] += 1;
        self.tree.stack.push(entry);
        Some(uid)
    }

    /// Updates the state for an element off the stack: `ended` if its content ends
    /// there, not if the adoption agency took it off.
    fn popped(&mut self, entry: Entry, ended: bool) {
        self.tree.open[entry.el as usize] -= 1;
        if ended && entry.ns == Ns::Html && entry.el.is(BLOCK) {
            // However it ends, a block ends there.
            self.paragraph();
        }
        if entry.hides() {
            self.tree.hidden -= 1;
        }
        if entry.reveal {
            self.tree.hidden += 1;
        }
        if entry.reported {
            self.sink.close(entry.uid);
        }
        if entry.region > 0 {
            let r = entry.region as usize - 1;
            self.tree.regions[r] -= 1;
            if self.tree.regions[r] == 0 {
                self.sink.region(Region::ALL[r], false);
            }
        }
        if entry.capture {
            self.heading_end();
        }
        if entry.ns == Ns::Html {
            if entry.el.is(FORMATTING) {
                if let Some(i) = self.active_index(entry.uid)
                    && let Active::Element { open, .. } = &mut self.tree.active[i]
                {
                    *open = false;
                }
            } else if entry.el.is(MARKER) {
                // "Clear the list of active formatting elements up to the last marker."
                while let Some(last) = self.tree.active.pop() {
                    if matches!(last, Active::Marker) {
                        break;
                    }
                }
            }
        }
    }

    fn active_index(&self, uid: u32) -> Option<usize> {
        self.tree
            .active
            .iter()
            .rposition(|a| matches!(a, Active::Element { uid: u, .. } if *u == uid))
    }

    fn active_push(&mut self, entry: Active) {
        if let Active::Element { el, .. } = entry {
            // The Noah's Ark clause: at most three of a kind after the last marker
            // (attributes are not compared).
            let (mut kin, mut earliest) = (0, 0);
            for (i, a) in self.tree.active.iter().enumerate().rev() {
                match a {
                    Active::Marker => break,
                    Active::Element { el: e, .. } if *e == el => {
                        kin += 1;
                        earliest = i;
                    }
                    Active::Element { .. } => {}
                }
            }
            if kin >= 3 {
                self.tree.active.remove(earliest);
            }
        }
        if self.tree.active.len() >= ACTIVE_CAP {
            self.tree.active.remove(0);
        }
        self.tree.active.push(entry);
    }

    /// Reopens the formatting elements that blocks closed, before new content
    /// (§ 13.2.4.3 "reconstruct the active formatting elements").
    fn reconstruct(&mut self) {
        let active = &self.tree.active;
        let closed = |a: &Active| matches!(a, Active::Element { open: false, .. });
        if !active.last().is_some_and(closed) {
            return;
        }
        let first = active.iter().rposition(|a| !closed(a)).map_or(0, |i| i + 1);
        for i in first..self.tree.active.len() {
            let Active::Element { el, .. } = self.tree.active[i] else {
                continue;
            };
            let Some(uid) = self.push(el, Ns::Html, 0, 0, Hints::default(), false) else {
                return;
            };
            self.tree.active[i] = Active::Element {
                el,
                uid,
                open: true,
            };
        }
    }

    /// Pops the elements from `index` up.
    fn pop_to(&mut self, index: usize) {
        while self.tree.stack.len() > index {
            if let Some(entry) = self.tree.stack.pop() {
                self.popped(entry, true);
            }
        }
    }

    fn remove(&mut self, index: usize) {
        let entry = self.tree.stack.remove(index);
        self.popped(entry, false);
    }

    /// The topmost element that `is` accepts, unless a scope boundary (or an element
    /// in `also`) comes first.
    fn in_scope(&self, is: impl Fn(&Entry) -> bool, table: bool, also: &[El]) -> Option<usize> {
        for (i, e) in self.tree.stack.iter().enumerate().rev() {
            if is(e) {
                return Some(i);
            }
            let boundary = if table {
                e.ns == Ns::Html && matches!(e.el, El::Table | El::Template | El::Html)
            } else {
                e.is_scope() || (e.ns == Ns::Html && also.contains(&e.el))
            };
            if boundary {
                return None;
            }
        }
        None
    }

    fn is_open(&self, els: &[El]) -> bool {
        els.iter().any(|&el| self.tree.open[el as usize] > 0)
    }

    /// Pops `dd`, `dt`, `li`, `optgroup`, `option`, `p` and ruby elements but
    /// `except` off the top of the stack (§ 13.2.6.3).
    fn generate_implied_end_tags(&mut self, except: Option<El>) {
        while self
            .current()
            .is_some_and(|e| e.ns == Ns::Html && e.el.is(IMPLIED_END) && Some(e.el) != except)
        {
            self.pop_to(self.tree.stack.len() - 1);
        }
    }

    /// Closes the open `p` in button scope, if any.
    fn close_p(&mut self) {
        if self.is_open(&[El::P])
            && let Some(i) = self.in_scope(|e| e.is_html(El::P), false, &[El::Button])
        {
            self.pop_to(i);
        }
    }

    /// The `li`, `dd` and `dt` start tag rules (§ 13.2.6.4.7).
    fn close_list_item(&mut self, els: &[El]) {
        if !self.is_open(els) {
            return;
        }
        for i in (0..self.tree.stack.len()).rev() {
            let e = self.tree.stack[i];
            if e.ns == Ns::Html && els.contains(&e.el) {
                self.pop_to(i);
                return;
            }
            let transparent = e.ns == Ns::Html && matches!(e.el, El::Address | El::Div | El::P);
            if e.is_special() && !transparent {
                return;
            }
        }
    }

    /// Closes the lowest of `els` above the nearest table, with what it holds.
    fn close_table_part(&mut self, els: &[El]) {
        if !self.is_open(els) {
            return;
        }
        let mut lowest = None;
        for (i, e) in self.tree.stack.iter().enumerate().rev() {
            if e.ns != Ns::Html {
                continue;
            }
            if els.contains(&e.el) {
                lowest = Some(i);
            } else if matches!(e.el, El::Table | El::Template) {
                break;
            }
        }
        if let Some(i) = lowest {
            self.pop_to(i);
        }
    }

    /// The adoption agency algorithm (§ 13.2.6.4.7) on the stack and the list of
    /// active formatting elements; no tree, so no nodes move. With no special element
    /// above it, the formatting element closes with what it holds. With one (the
    /// furthest block), it leaves the stack with the elements between them that are
    /// not (or past the third) formatting elements, and a copy of it goes right
    /// above the furthest block; then the algorithm runs again, up to eight times.
    fn adopt(&mut self, el: El, tag: &Tag) {
        if self
            .current()
            .is_some_and(|e| e.is_html(el) && self.active_index(e.uid).is_none())
        {
            self.pop_to(self.tree.stack.len() - 1);
            return;
        }
        for round in 0..8 {
            let found = self
                .tree
                .active
                .iter()
                .enumerate()
                .rev()
                .take_while(|(_, a)| !matches!(a, Active::Marker))
                .find_map(|(i, a)| match *a {
                    Active::Element { el: e, uid, open } if e == el => Some((i, uid, open)),
                    _ => None,
                });
            let Some((a, uid, open)) = found else {
                if round == 0 {
                    self.any_other_end_tag(tag);
                }
                return;
            };
            let f = self.tree.stack.iter().rposition(|e| e.uid == uid);
            let Some(f) = f.filter(|_| open) else {
                self.tree.active.remove(a);
                return;
            };
            if self.in_scope(|e| e.uid == uid, false, &[]).is_none() {
                return;
            }
            let stack = &self.tree.stack;
            let Some(mut block) = (f + 1..stack.len()).find(|&j| stack[j].is_special()) else {
                self.pop_to(f);
                self.tree.active.remove(a);
                return;
            };
            let mut inner = 0;
            // The copy goes after the formatting element nearest the furthest block
            // in the list, if one stays, else where the original was.
            let mut bookmark = None;
            for j in (f + 1..block).rev() {
                inner += 1;
                let e = self.tree.stack[j];
                let listed = self.active_index(e.uid);
                if let Some(i) = listed.filter(|_| inner > 3) {
                    self.tree.active.remove(i);
                }
                if inner > 3 || listed.is_none() {
                    self.remove(j);
                    block -= 1;
                } else if bookmark.is_none() {
                    bookmark = Some(e.uid);
                }
            }
            let formatting = self.tree.stack[f];
            self.remove(f);
            let uid = self.tree.next_uid;
            self.tree.next_uid = uid.wrapping_add(1);
            self.tree.open[el as usize] += 1;
            // The copy has the original's attributes, so it hides what the original
            // hid; it is not reported, its content going with the element it sits in.
            let copy = Entry {
                uid,
                region: 0,
                capture: false,
                reveal: false,
                reported: false,
                ..formatting
            };
            if copy.hides() {
                self.tree.hidden += 1;
            }
            self.tree.stack.insert(block, copy);
            let entry = Active::Element {
                el,
                uid,
                open: true,
            };
            let original = self.active_index(formatting.uid);
            match bookmark {
                None => {
                    if let Some(i) = original {
                        self.tree.active[i] = entry;
                    }
                }
                Some(after) => {
                    if let Some(i) = original {
                        self.tree.active.remove(i);
                    }
                    let at = self
                        .active_index(after)
                        .map_or(self.tree.active.len(), |i| i + 1);
                    self.tree.active.insert(at, entry);
                }
            }
        }
    }

    /// "Any other end tag" (§ 13.2.6.4.7): closes the nearest element of that name,
    /// unless a special element comes first.
    fn any_other_end_tag(&mut self, tag: &Tag) {
        if !self.is_open(&[tag.el]) {
            return;
        }
        for i in (0..self.tree.stack.len()).rev() {
            let e = self.tree.stack[i];
            if e.ns == Ns::Html && e.matches(tag) {
                self.pop_to(i);
                return;
            }
            if e.is_special() {
                return;
            }
        }
    }

    fn heading_start(&mut self, level: u8) {
        if self.tree.heading.is_some() {
            self.heading_end();
        }
        if self.tree.page.headings.len() < MAX_HEADINGS {
            self.tree.heading = Some(level);
        }
    }

    fn heading_end(&mut self) {
        if let Some(level) = self.tree.heading.take() {
            let text = self.tree.heading_text.take();
            self.tree.page.headings.push(Heading { level, text });
        }
        for e in &mut self.tree.stack {
            e.capture = false;
        }
    }

    fn title_end(&mut self) {
        if self.tree.title_state == TitleState::Reading {
            let title = self.tree.title.take();
            self.sink.title(&title);
            self.tree.page.checks.title_chars = title.chars().count() as u64;
            self.tree.page.title = Some(title);
            self.tree.title_state = TitleState::Done;
        }
    }

    /// Start tags in HTML content, and those that leave foreign content.
    /// Pops foreign elements until an HTML element or an integration point (§ 13.2.6.5).
    fn leave_foreign(&mut self) {
        while self.current().is_some_and(|e| !e.is_integration_point()) {
            self.pop_to(self.tree.stack.len() - 1);
        }
    }

    fn html_start_tag(&mut self, tag: &Tag) -> Option<El> {
        let el = match tag.el {
            // § 13.2.6.4.7: "Change the token's tag name to img and reprocess it."
            El::Image => El::Img,
            el => el,
        };
        let flags = el.flags();
        if flags & TABLE_PART != 0 && el != El::Table && !self.is_open(&[El::Table, El::Template]) {
            // "In body", table parts outside a table are ignored.
            return None;
        }
        match el {
            El::Html => {
                if self.tree.page.lang.is_none()
                    && let Some(lang) = tag.attrs.get(Slot::Lang)
                {
                    self.tree.page.lang = Some(lang.trim_ascii().to_string());
                }
                return None;
            }
            El::Head => return None,
            El::Body => {
                self.paragraph();
                return None;
            }
            _ => {}
        }
        match el {
            El::Li => self.close_list_item(&[El::Li]),
            El::Dd | El::Dt => self.close_list_item(&[El::Dd, El::Dt]),
            _ => {}
        }
        // In quirks mode a table may sit in a paragraph.
        if flags & CLOSES_P != 0 && !(el == El::Table && self.tree.quirks == Some(true)) {
            self.close_p();
        }
        match el {
            El::Td | El::Th => self.close_table_part(&[El::Td, El::Th]),
            El::Tr => self.close_table_part(&[El::Tr, El::Td, El::Th]),
            El::Tbody | El::Thead | El::Tfoot => {
                self.close_table_part(&[El::Tbody, El::Thead, El::Tfoot, El::Tr, El::Td, El::Th])
            }
            El::Option | El::Optgroup | El::Hr | El::Input | El::Select => {
                let select = self.is_open(&[El::Select])
                    && self
                        .in_scope(|e| e.is_html(El::Select), false, &[])
                        .is_some();
                match el {
                    _ if !select => {
                        if matches!(el, El::Option | El::Optgroup)
                            && self.current().is_some_and(|e| e.is_html(El::Option))
                        {
                            self.pop_to(self.tree.stack.len() - 1);
                        }
                    }
                    El::Option => self.generate_implied_end_tags(Some(El::Optgroup)),
                    El::Optgroup | El::Hr => self.generate_implied_end_tags(None),
                    // § 13.2.6.4.7: `input` and `select` end the open `select`; a
                    // second `select` opens nothing.
                    _ => {
                        self.close(|e| e.is_html(El::Select), false, &[]);
                        if el == El::Select {
                            return None;
                        }
                    }
                }
            }
            El::A => {
                // An `a` inside an `a`: the outer one ends first.
                let outer = self
                    .tree
                    .active
                    .iter()
                    .rev()
                    .take_while(|a| !matches!(a, Active::Marker))
                    .find_map(|a| match *a {
                        Active::Element { el: El::A, uid, .. } => Some(uid),
                        _ => None,
                    });
                if let Some(uid) = outer {
                    self.adopt(El::A, tag);
                    if let Some(i) = self.active_index(uid) {
                        self.tree.active.remove(i);
                    }
                    if let Some(j) = self.tree.stack.iter().rposition(|e| e.uid == uid) {
                        self.remove(j);
                    }
                }
            }
            El::Nobr => {
                self.reconstruct();
                if self.is_open(&[El::Nobr])
                    && self.in_scope(|e| e.is_html(El::Nobr), false, &[]).is_some()
                {
                    self.adopt(El::Nobr, tag);
                }
            }
            El::Button => {
                if let Some(i) = self.in_scope(|e| e.is_html(El::Button), false, &[]) {
                    self.pop_to(i);
                }
            }
            _ if el.heading_level() > 0
                && self
                    .current()
                    .is_some_and(|e| e.ns == Ns::Html && e.el.heading_level() > 0) =>
            {
                self.pop_to(self.tree.stack.len() - 1);
            }
            _ => {}
        }
        if reconstructs(el) {
            self.reconstruct();
        }
        if flags & BLOCK != 0 {
            self.paragraph();
        }
        if self.tree.hidden == 0 {
            let level = el.heading_level();
            if level > 0 {
                let checks = &mut self.tree.page.checks;
                if level == 1 {
                    checks.h1 += 1;
                }
                let last = self.tree.last_heading;
                if last > 0 && level > last + 1 && checks.skipped_heading_levels.len() < 50 {
                    checks.skipped_heading_levels.push(SkippedLevel {
                        from: last,
                        to: level,
                        index: self.tree.page.headings_total,
                    });
                }
                self.tree.last_heading = level;
                self.tree.page.headings_total += 1;
            }
            self.page_facts(el, tag);
        }
        let hints = if self.tree.hints {
            let a = &tag.attrs;
            Hints::new(
                &mut self.tree.list_cache,
                a.get(Slot::Class),
                a.get(Slot::Id),
                a.get(Slot::Role),
                a.get(Slot::Itemprop),
                a.get(Slot::Rel),
                a.get(Slot::Href),
            )
        } else {
            Hints::default()
        };
        if flags & VOID != 0 {
            if el == El::Br {
                self.line();
            } else if self.tree.hidden == 0 {
                self.sink.empty(el, hints);
            }
            return None;
        }
        if matches!(el, El::Svg | El::Math) {
            if !tag.self_closing {
                let ns = if el == El::Svg { Ns::Svg } else { Ns::MathMl };
                self.push(el, ns, tag.hash, 0, Hints::default(), false);
            }
            return None;
        }
        if el.raw_name() != b"" {
            if self.tree.hidden == 0 {
                self.sink.empty(el, hints);
            }
            self.tree.raw = Some(el);
            if el == El::Script
                && self.tree.hidden == 0
                && tag.attrs.get(Slot::Type).is_some_and(is_json_ld)
                && self.tree.page.metadata.json_ld.scripts + self.tree.page.metadata.json_ld.invalid
                    < jsonld::MAX_SCRIPTS
            {
                self.tree.json_ld = Some(Some(String::new()));
            }
            if el == El::Title
                && self.tree.title_state == TitleState::Unseen
                && self.tree.hidden == 0
            {
                self.tree.title_state = TitleState::Reading;
            }
            return Some(el);
        }
        let role = tag.attrs.get(Slot::Role).map_or(0, elements::role_region);
        if let Some(uid) = self.push(
            el,
            Ns::Html,
            tag.hash,
            role,
            hints,
            hidden_by(el, &tag.attrs),
        ) {
            if flags & FORMATTING != 0 {
                self.active_push(Active::Element {
                    el,
                    uid,
                    open: true,
                });
            } else if flags & MARKER != 0 {
                self.active_push(Active::Marker);
            }
        }
        (el == El::Plaintext).then_some(el)
    }

    /// What a start tag tells about the page.
    fn page_facts(&mut self, el: El, tag: &Tag) {
        let attrs = &tag.attrs;
        let page = &mut self.tree.page;
        match el {
            El::A => {
                if let Some(href) = attrs.get(Slot::Href) {
                    let links = &mut page.links;
                    links.total += 1;
                    match url::classify(href, self.tree.base.as_ref()) {
                        LinkKind::Internal => links.internal += 1,
                        LinkKind::External(host) => {
                            links.external += 1;
                            let domains = &mut self.tree.domains;
                            let room = domains.len() < DOMAIN_CAP;
                            match domains.get_mut(&host) {
                                Some(n) => *n += 1,
                                None if room => {
                                    domains.insert(host, 1);
                                }
                                None => page.checks.external_links_uncounted += 1,
                            }
                        }
                        LinkKind::Other => links.other += 1,
                    }
                    if attrs
                        .get(Slot::Rel)
                        .is_some_and(|rel| has_token(rel, "nofollow"))
                    {
                        links.nofollow += 1;
                    }
                }
            }
            El::Img => {
                let images = &mut page.images;
                images.total += 1;
                match attrs.get(Slot::Alt) {
                    None => {
                        images.missing_alt += 1;
                        let missing = &mut page.checks.images_without_alt;
                        if missing.len() < MAX_MISSING_ALT {
                            missing.push(collapse(attrs.get(Slot::Src).unwrap_or(""), META_CHARS));
                        }
                    }
                    Some(alt) if alt.trim_ascii().is_empty() => images.empty_alt += 1,
                    Some(alt) => {
                        images.alt_words += alt.unicode_words().count() as u64;
                        if images.alt_samples.len() < MAX_ALT_SAMPLES {
                            images.alt_samples.push(collapse(alt, ALT_SAMPLE_CHARS));
                        }
                    }
                }
            }
            El::Meta => {
                let Some(content) = attrs.get(Slot::Content) else {
                    return;
                };
                let name = attrs
                    .get(Slot::Name)
                    .map(|n| n.trim_ascii().to_ascii_lowercase());
                if name.as_deref() == Some("description") && page.description.is_none() {
                    let description = collapse(content, usize::MAX);
                    page.checks.description_chars = description.chars().count() as u64;
                    page.description = Some(description);
                }
                let property = attrs
                    .get(Slot::Property)
                    .map(|p| p.trim_ascii().to_ascii_lowercase());
                let itemprop = attrs.get(Slot::Itemprop).map(str::trim_ascii);
                meta_facts(
                    page,
                    name.as_deref(),
                    property.as_deref(),
                    itemprop,
                    content,
                );
            }
            El::Link => {
                let canonical = attrs
                    .get(Slot::Rel)
                    .is_some_and(|rel| has_token(rel, "canonical"));
                if canonical
                    && page.canonical.is_none()
                    && let Some(href) = attrs.get(Slot::Href)
                {
                    page.canonical = Some(href.trim_ascii().to_string());
                }
                let alternate = attrs
                    .get(Slot::Rel)
                    .is_some_and(|rel| has_token(rel, "alternate"));
                if alternate
                    && let (Some(hreflang), Some(href)) =
                        (attrs.get(Slot::Hreflang), attrs.get(Slot::Href))
                    && page.metadata.alternates.len() < MAX_META_ITEMS
                {
                    page.metadata.alternates.push(Alternate {
                        hreflang: collapse(hreflang, META_CHARS),
                        href: collapse(href, META_CHARS),
                    });
                }
            }
            // Only the first `base` with an `href` counts (§ 4.2.3 "frozen base URL").
            El::Base if !self.tree.base_seen => {
                if let Some(href) = attrs.get(Slot::Href) {
                    self.tree.base_seen = true;
                    self.tree.base = Base::with_href(self.tree.document_base.as_ref(), href);
                }
            }
            _ => {}
        }
    }

    /// End tags in HTML content. A block's end tag separates words only when it ends
    /// an element: a stray `</div>` between two letters leaves one word.
    fn html_end_tag(&mut self, tag: &Tag) {
        let el = tag.el;
        let flags = el.flags();
        if el == El::Br {
            // § 13.2.6.4.7: `</br>` is a `<br>`.
            self.reconstruct();
            self.line();
            return;
        }
        let closed = if self.tree.overflow > 0 && !matches!(el, El::Body | El::Html | El::Head) {
            // Beyond the cap the names are unknown: close the innermost.
            if self.tree.overflow_hide == Some(self.tree.overflow) {
                self.tree.overflow_hide = None;
                self.tree.hidden -= 1;
            }
            self.tree.overflow -= 1;
            true
        } else {
            match el {
                El::Body | El::Html => true,
                El::Head => false,
                // § 13.2.6.4.7: a `</p>` without an open `p` makes an empty one.
                El::P => {
                    self.close_p();
                    true
                }
                El::Li => self.close(|e| e.is_html(El::Li), false, &[El::Ol, El::Ul]),
                _ if el.heading_level() > 0 => {
                    self.close(|e| e.ns == Ns::Html && e.el.heading_level() > 0, false, &[])
                }
                _ if flags & FORMATTING != 0 => {
                    self.adopt(el, tag);
                    false
                }
                _ if flags & (SPECIAL | BLOCK) != 0 => {
                    self.is_open(&[el])
                        && self.close(|e| e.is_html(el), flags & TABLE_PART != 0, &[])
                }
                _ => {
                    self.any_other_end_tag(tag);
                    false
                }
            }
        };
        if closed && flags & BLOCK != 0 {
            self.paragraph();
        }
    }

    /// Closes the element `in_scope` finds, with what it holds.
    fn close(&mut self, is: impl Fn(&Entry) -> bool, table: bool, also: &[El]) -> bool {
        match self.in_scope(is, table, also) {
            Some(i) => {
                self.pop_to(i);
                true
            }
            None => false,
        }
    }
}

impl<S: Events> TokenSink for Builder<'_, S> {
    fn text(&mut self, text: &str) {
        if self.tree.raw.is_none() && self.html_rules() {
            if self.tree.quirks.is_none() && !text.bytes().all(|b| b.is_ascii_whitespace()) {
                self.tree.quirks = Some(true);
            }
            self.reconstruct();
        }
        if self.tree.hidden > 0 {
            return;
        }
        if self.tree.raw == Some(El::Title) {
            // The title is the page's name, not a part of its text.
            if self.tree.title_state == TitleState::Reading {
                self.tree.title.push(text, TITLE_CHARS);
            }
            return;
        }
        self.sink.text(text);
        self.tree.after_paragraph = false;
        if self.tree.heading.is_some() {
            self.tree.heading_text.push(text, HEADING_CHARS);
        }
    }

    fn start_tag(&mut self, tag: &Tag) -> Option<El> {
        self.tree.quirks.get_or_insert(true);
        if let Some(current) = self.current().copied()
            && !current.is_integration_point()
        {
            if !tag.el.is(BREAKOUT) {
                if !tag.self_closing {
                    self.push(tag.el, current.ns, tag.hash, 0, Hints::default(), false);
                }
                return None;
            }
            self.leave_foreign();
        }
        self.html_start_tag(tag)
    }

    fn end_tag(&mut self, tag: &Tag) {
        self.tree.quirks.get_or_insert(true);
        if let Some(raw) = self.tree.raw {
            // In raw text the tokenizer only ends the element it is reading.
            self.tree.raw = None;
            if raw == El::Title {
                self.title_end();
            }
            if let Some(script) = self.tree.json_ld.take() {
                self.tree.page.metadata.json_ld.add(script.as_deref());
            }
            if raw.is(BLOCK) {
                self.paragraph();
            }
            return;
        }
        if matches!(tag.el, El::Br | El::P) {
            // § 13.2.6.5: these end tags leave foreign content too.
            self.leave_foreign();
        }
        let stack = &self.tree.stack;
        if stack.last().is_some_and(|e| e.ns != Ns::Html) {
            // § 13.2.6.5, "any other end tag" in foreign content.
            for i in (0..stack.len()).rev() {
                let e = stack[i];
                if e.ns == Ns::Html {
                    break;
                }
                if e.matches(tag) {
                    self.pop_to(i);
                    return;
                }
            }
        }
        self.html_end_tag(tag);
    }

    fn nul(&mut self) {
        // Ignored by the HTML rules (§ 13.2.6.4.7 "in body"), U+FFFD by the foreign
        // content ones (§ 13.2.6.5).
        if !self.html_rules() {
            self.text("\u{fffd}");
        }
    }

    fn doctype(&mut self, html: bool) {
        self.tree.quirks.get_or_insert(!html);
    }

    fn cdata_allowed(&self) -> bool {
        self.current().is_some_and(|e| e.ns != Ns::Html)
    }

    fn wants_script(&self) -> bool {
        self.tree.json_ld.is_some()
    }

    fn script_text(&mut self, text: &str) {
        if let Some(script) = &mut self.tree.json_ld {
            match script {
                Some(s) if s.len() + text.len() <= jsonld::SCRIPT_CAP => s.push_str(text),
                _ => *script = None,
            }
        }
    }
}

/// Whether a script's `type` is JSON-LD's.
fn is_json_ld(t: &str) -> bool {
    t.trim_ascii().eq_ignore_ascii_case("application/ld+json")
}
