//! The tokenizer of HTML § 13.2.5, streaming: its state survives any split of the
//! input, inside a tag, an attribute value, a character reference or a comment.
//!
//! Only what the extractor uses is built: text, tag names, and the values of the few
//! attributes the tree builder asks for ([`Slot`]). Comments, doctypes, raw text and
//! unwanted attribute values are skipped with `memchr` and never copied. Carried
//! between pushes: the state, a tag name prefix (16 bytes) and hash, an attribute
//! name prefix (8 bytes), the kept attribute values (each capped, see [`Slot::cap`]),
//! an unfinished character reference (at most 32 bytes) and an unfinished raw-text
//! end tag (at most 8 bytes).

use memchr::{memchr, memchr2, memchr3};

use super::charref;
use super::elements::{self, El};

/// Receives the tokens.
pub(super) trait TokenSink {
    /// Character data, character references decoded.
    fn text(&mut self, text: &str);
    /// A start tag; the answer is the element whose text content model (RCDATA,
    /// RAWTEXT, script data, PLAINTEXT) applies to what follows, if any.
    fn start_tag(&mut self, tag: &Tag) -> Option<El>;
    /// An end tag.
    fn end_tag(&mut self, tag: &Tag);
    /// A NUL in data.
    fn nul(&mut self);
    /// A DOCTYPE; `html` if its name is `html`, which keeps the page out of quirks
    /// mode.
    fn doctype(&mut self, html: bool);
    /// Whether the adjusted current node is an SVG or MathML element, where
    /// `<![CDATA[` opens text (§ 13.2.5.42).
    fn cdata_allowed(&self) -> bool;
    /// Whether the text of the script just started is wanted (JSON-LD).
    fn wants_script(&self) -> bool {
        false
    }
    /// Text of a wanted script, as written. Text inside `<!--` escapes is not
    /// reported.
    fn script_text(&mut self, _text: &str) {}
}

/// The attributes the tree builder keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    Href,
    Rel,
    Alt,
    Name,
    Content,
    Lang,
    Role,
    Class,
    Id,
    Style,
    Hidden,
    Open,
    Itemprop,
    Property,
    Hreflang,
    Src,
    Type,
}

const SLOTS: usize = 17;

/// Longest value kept of `href`, `alt` and `content`, in bytes; the rest is skipped.
pub(super) const ATTR_CAP: usize = 4096;

/// Longest value kept of the attributes only compared with short words.
const SMALL_CAP: usize = 64;

/// Longest value kept of `class`, `id`, `style` and `itemprop`, which are searched
/// for hints of what an element holds; the hints are in the first words.
const HINT_CAP: usize = 256;

impl Slot {
    fn cap(self) -> usize {
        match self {
            Slot::Href | Slot::Alt | Slot::Content => ATTR_CAP,
            Slot::Rel
            | Slot::Name
            | Slot::Lang
            | Slot::Role
            | Slot::Hidden
            | Slot::Open
            | Slot::Property
            | Slot::Hreflang => SMALL_CAP,
            Slot::Src => ATTR_CAP,
            Slot::Type => SMALL_CAP,
            Slot::Class | Slot::Id | Slot::Style | Slot::Itemprop => HINT_CAP,
        }
    }

    /// The slot for attribute `name` of element `el`.
    fn of(el: El, name: &[u8]) -> Option<Slot> {
        match (name, el) {
            (b"href", El::A | El::Link | El::Base) => Some(Slot::Href),
            (b"rel", El::A | El::Link) => Some(Slot::Rel),
            (b"alt", El::Img | El::Image) => Some(Slot::Alt),
            (b"name", El::Meta) => Some(Slot::Name),
            (b"content", El::Meta) => Some(Slot::Content),
            (b"lang", El::Html) => Some(Slot::Lang),
            (b"role", _) => Some(Slot::Role),
            (b"class", _) => Some(Slot::Class),
            (b"id", _) => Some(Slot::Id),
            (b"style", _) => Some(Slot::Style),
            (b"hidden", _) => Some(Slot::Hidden),
            (b"open", El::Details | El::Dialog) => Some(Slot::Open),
            (b"itemprop", _) => Some(Slot::Itemprop),
            (b"property", El::Meta) => Some(Slot::Property),
            (b"hreflang", El::Link) => Some(Slot::Hreflang),
            (b"src", El::Img | El::Image) => Some(Slot::Src),
            (b"type", El::Script) => Some(Slot::Type),
            _ => None,
        }
    }
}

/// The kept attributes of a tag; the first of duplicates wins (§ 13.2.5.33).
#[derive(Debug, Default)]
pub(super) struct Attrs {
    values: [String; SLOTS],
    present: u32,
    full: u32,
}

impl Attrs {
    pub(super) fn get(&self, slot: Slot) -> Option<&str> {
        (self.present & 1 << slot as u32 != 0).then(|| self.values[slot as usize].as_str())
    }

    fn clear(&mut self) {
        for (i, value) in self.values.iter_mut().enumerate() {
            if self.present & 1 << i != 0 {
                value.clear();
            }
        }
        self.present = 0;
        self.full = 0;
    }

    /// Appends to a value, cut at its cap on a character boundary; once cut, a value
    /// takes nothing more, so the cut does not depend on how the text was split.
    fn push(&mut self, slot: Slot, text: &str) {
        let bit = 1 << slot as u32;
        if self.full & bit != 0 {
            return;
        }
        let value = &mut self.values[slot as usize];
        let room = slot.cap() - value.len();
        if text.len() <= room {
            value.push_str(text);
        } else {
            let mut end = room;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            value.push_str(&text[..end]);
            self.full |= bit;
        }
    }

    fn carried_bytes(&self) -> usize {
        self.values.iter().map(String::capacity).sum()
    }
}

/// A start or end tag.
#[derive(Debug)]
pub(super) struct Tag {
    pub(super) el: El,
    /// FNV-1a of the lowercased name, which tells unknown elements apart.
    pub(super) hash: u32,
    pub(super) end: bool,
    pub(super) self_closing: bool,
    pub(super) attrs: Attrs,
    /// The whole name as written, lowercased, for the html5lib tests.
    #[cfg(feature = "integration_test")]
    pub(super) name: Vec<u8>,
}

const NAME_CAP: usize = 16;
const ATTR_NAME_CAP: usize = 8;
const FNV_OFFSET: u32 = 0x811c_9dc5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Data,
    Rcdata,
    Rawtext,
    /// RAWTEXT that is shown: `xmp`, whose text browsers render as it is.
    RawtextShown,
    ScriptData,
    Plaintext,
    TagOpen,
    EndTagOpen,
    TagName,
    BeforeAttrName,
    AttrName,
    AfterAttrName,
    BeforeAttrValue,
    AttrValueQuoted(u8),
    AttrValueUnquoted,
    AfterAttrValueQuoted,
    SelfClosingStartTag,
    /// After `<!`.
    MarkupDeclarationOpen,
    /// After `<!-`.
    MarkupDeclarationDash,
    /// After `<!` and this many bytes of `[CDATA[`.
    MarkupDeclarationCdata(u8),
    /// After `<!` and this many bytes of `DOCTYPE`, in any case.
    MarkupDeclarationDoctype(u8),
    BeforeDoctypeName,
    DoctypeName,
    BogusComment,
    CommentStart,
    CommentStartDash,
    Comment,
    CommentEndDash,
    CommentEnd,
    CommentEndBang,
    CdataSection,
    CdataSectionBracket,
    CdataSectionEnd,
    /// `<` in RCDATA, RAWTEXT, script data or escaped script data (`raw_return`).
    RawLessThan,
    RawEndTagOpen,
    RawEndTagName,
    ScriptEscapeStart,
    ScriptEscapeStartDash,
    ScriptEscaped,
    ScriptEscapedDash,
    ScriptEscapedDashDash,
    ScriptDoubleEscapeStart,
    ScriptDoubleEscaped,
    ScriptDoubleEscapedDash,
    ScriptDoubleEscapedDashDash,
    ScriptDoubleEscapedLessThan,
    ScriptDoubleEscapeEnd,
    CharacterReference,
    NamedCharacterReference,
    NumericCharacterReference,
    HexadecimalStart,
    Hexadecimal,
    Decimal,
}

#[inline]
fn is_space(b: u8) -> bool {
    // CR counts: input stream preprocessing would have made it LF (§ 13.2.3.5).
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// The streaming tokenizer.
#[derive(Debug)]
pub(super) struct HtmlTokenizer {
    state: State,
    tag: Tag,
    name: [u8; NAME_CAP],
    name_len: usize,
    attr_name: [u8; ATTR_NAME_CAP],
    attr_name_len: usize,
    /// Where the value being read goes, if it is kept.
    slot: Option<Slot>,
    /// The element whose end tag ends the raw text being read.
    raw: El,
    raw_return: State,
    raw_matched: usize,
    /// The end tag name read so far, as written, to give back as text in RCDATA.
    raw_buf: [u8; 8],
    /// How much of `script` the double-escape temporary buffer holds; 255 once it
    /// holds something else.
    script_matched: u8,
    ref_return: State,
    ref_buf: [u8; charref::MAX_NAME],
    ref_len: usize,
    ref_code: u32,
    ref_x: u8,
    /// Keeps `class`, `id` and `itemprop`, which only main-content extraction reads.
    pub(super) hints: bool,
    /// The script being read goes to [`TokenSink::script_text`].
    capture: bool,
}

impl HtmlTokenizer {
    pub(super) fn new() -> Self {
        Self {
            state: State::Data,
            tag: Tag {
                el: El::Other,
                hash: FNV_OFFSET,
                end: false,
                self_closing: false,
                attrs: Attrs::default(),
                #[cfg(feature = "integration_test")]
                name: Vec::new(),
            },
            name: [0; NAME_CAP],
            name_len: 0,
            attr_name: [0; ATTR_NAME_CAP],
            attr_name_len: 0,
            slot: None,
            raw: El::Other,
            raw_return: State::Data,
            raw_matched: 0,
            raw_buf: [0; 8],
            script_matched: 0,
            capture: false,
            ref_return: State::Data,
            ref_buf: [0; charref::MAX_NAME],
            ref_len: 0,
            ref_code: 0,
            ref_x: b'x',
            hints: false,
        }
    }

    pub(super) fn carried_bytes(&self) -> usize {
        self.tag.attrs.carried_bytes()
    }

    /// Tokenizes a piece of text.
    pub(super) fn push(&mut self, text: &str, sink: &mut impl TokenSink) {
        let b = text.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            let c = b[i];
            match self.state {
                State::Data => match memchr3(b'<', b'&', 0, &b[i..]) {
                    None => {
                        sink.text(&text[i..]);
                        i = n;
                    }
                    Some(k) => {
                        if k > 0 {
                            sink.text(&text[i..i + k]);
                        }
                        i += k;
                        match b[i] {
                            b'<' => self.state = State::TagOpen,
                            b'&' => self.reference(State::Data),
                            _ => sink.nul(),
                        }
                        i += 1;
                    }
                },
                State::Rcdata => match memchr3(b'<', b'&', 0, &b[i..]) {
                    None => {
                        sink.text(&text[i..]);
                        i = n;
                    }
                    Some(k) => {
                        if k > 0 {
                            sink.text(&text[i..i + k]);
                        }
                        i += k;
                        match b[i] {
                            b'<' => {
                                self.raw_return = State::Rcdata;
                                self.state = State::RawLessThan;
                            }
                            b'&' => self.reference(State::Rcdata),
                            _ => sink.text("\u{fffd}"),
                        }
                        i += 1;
                    }
                },
                State::RawtextShown => match memchr2(b'<', 0, &b[i..]) {
                    None => {
                        sink.text(&text[i..]);
                        i = n;
                    }
                    Some(k) => {
                        if k > 0 {
                            sink.text(&text[i..i + k]);
                        }
                        i += k;
                        if b[i] == b'<' {
                            self.raw_return = State::RawtextShown;
                            self.state = State::RawLessThan;
                        } else {
                            sink.text("\u{fffd}");
                        }
                        i += 1;
                    }
                },
                State::Rawtext | State::ScriptData => match memchr(b'<', &b[i..]) {
                    None => {
                        if self.capture && self.state == State::ScriptData {
                            sink.script_text(&text[i..]);
                        }
                        i = n;
                    }
                    Some(k) => {
                        if self.capture && self.state == State::ScriptData && k > 0 {
                            sink.script_text(&text[i..i + k]);
                        }
                        i += k + 1;
                        self.raw_return = self.state;
                        self.state = State::RawLessThan;
                    }
                },
                State::Plaintext => match memchr(0, &b[i..]) {
                    None => {
                        sink.text(&text[i..]);
                        i = n;
                    }
                    Some(k) => {
                        if k > 0 {
                            sink.text(&text[i..i + k]);
                        }
                        sink.text("\u{fffd}");
                        i += k + 1;
                    }
                },
                State::TagOpen => match c {
                    b'!' => {
                        self.state = State::MarkupDeclarationOpen;
                        i += 1;
                    }
                    b'/' => {
                        self.state = State::EndTagOpen;
                        i += 1;
                    }
                    _ if c.is_ascii_alphabetic() => self.begin_tag(false),
                    b'?' => self.state = State::BogusComment,
                    _ => {
                        sink.text("<");
                        self.state = State::Data;
                    }
                },
                State::EndTagOpen => match c {
                    _ if c.is_ascii_alphabetic() => self.begin_tag(true),
                    b'>' => {
                        self.state = State::Data;
                        i += 1;
                    }
                    _ => self.state = State::BogusComment,
                },
                State::TagName => {
                    while i < n {
                        let c = b[i];
                        if is_space(c) {
                            self.state = State::BeforeAttrName;
                        } else if c == b'/' {
                            self.state = State::SelfClosingStartTag;
                        } else if c == b'>' {
                            self.end_tag_name();
                            i += 1;
                            self.emit_tag(sink);
                            break;
                        } else {
                            self.tag_name_byte(c);
                            i += 1;
                            continue;
                        }
                        self.end_tag_name();
                        i += 1;
                        break;
                    }
                }
                State::BeforeAttrName => match c {
                    _ if is_space(c) => i += 1,
                    b'/' | b'>' => self.state = State::AfterAttrName,
                    b'=' => {
                        self.attr_name_len = 0;
                        self.attr_name_byte(c);
                        self.state = State::AttrName;
                        i += 1;
                    }
                    _ => {
                        self.attr_name_len = 0;
                        self.state = State::AttrName;
                    }
                },
                State::AttrName => {
                    while i < n {
                        let c = b[i];
                        if is_space(c) || c == b'/' || c == b'>' {
                            self.end_attr_name();
                            self.state = State::AfterAttrName;
                            break;
                        } else if c == b'=' {
                            self.end_attr_name();
                            self.state = State::BeforeAttrValue;
                            i += 1;
                            break;
                        }
                        self.attr_name_byte(c);
                        i += 1;
                    }
                }
                State::AfterAttrName => match c {
                    _ if is_space(c) => i += 1,
                    b'/' => {
                        self.state = State::SelfClosingStartTag;
                        i += 1;
                    }
                    b'=' => {
                        self.state = State::BeforeAttrValue;
                        i += 1;
                    }
                    b'>' => {
                        i += 1;
                        self.emit_tag(sink);
                    }
                    _ => {
                        self.attr_name_len = 0;
                        self.state = State::AttrName;
                    }
                },
                State::BeforeAttrValue => match c {
                    _ if is_space(c) => i += 1,
                    b'"' | b'\'' => {
                        self.state = State::AttrValueQuoted(c);
                        i += 1;
                    }
                    b'>' => {
                        i += 1;
                        self.emit_tag(sink);
                    }
                    _ => self.state = State::AttrValueUnquoted,
                },
                State::AttrValueQuoted(quote) => match self.slot {
                    None => match memchr(quote, &b[i..]) {
                        None => i = n,
                        Some(k) => {
                            i += k + 1;
                            self.state = State::AfterAttrValueQuoted;
                        }
                    },
                    Some(slot) => match memchr3(quote, b'&', 0, &b[i..]) {
                        None => {
                            self.tag.attrs.push(slot, &text[i..]);
                            i = n;
                        }
                        Some(k) => {
                            self.tag.attrs.push(slot, &text[i..i + k]);
                            i += k;
                            match b[i] {
                                b'&' => self.reference(self.state),
                                0 => self.tag.attrs.push(slot, "\u{fffd}"),
                                _ => self.state = State::AfterAttrValueQuoted,
                            }
                            i += 1;
                        }
                    },
                },
                State::AttrValueUnquoted => {
                    let start = i;
                    while i < n && !is_space(b[i]) && !matches!(b[i], b'>' | b'&' | 0) {
                        i += 1;
                    }
                    if let Some(slot) = self.slot {
                        self.tag.attrs.push(slot, &text[start..i]);
                    }
                    if i < n {
                        match b[i] {
                            b'>' => {
                                i += 1;
                                self.emit_tag(sink);
                            }
                            b'&' => {
                                i += 1;
                                if self.slot.is_some() {
                                    self.reference(State::AttrValueUnquoted);
                                }
                            }
                            0 => {
                                i += 1;
                                if let Some(slot) = self.slot {
                                    self.tag.attrs.push(slot, "\u{fffd}");
                                }
                            }
                            _ => {
                                i += 1;
                                self.state = State::BeforeAttrName;
                            }
                        }
                    }
                }
                State::AfterAttrValueQuoted => match c {
                    _ if is_space(c) => {
                        self.state = State::BeforeAttrName;
                        i += 1;
                    }
                    b'/' => {
                        self.state = State::SelfClosingStartTag;
                        i += 1;
                    }
                    b'>' => {
                        i += 1;
                        self.emit_tag(sink);
                    }
                    _ => self.state = State::BeforeAttrName,
                },
                State::SelfClosingStartTag => {
                    if c == b'>' {
                        self.tag.self_closing = true;
                        i += 1;
                        self.emit_tag(sink);
                    } else {
                        self.state = State::BeforeAttrName;
                    }
                }
                State::MarkupDeclarationOpen => match c {
                    b'-' => {
                        self.state = State::MarkupDeclarationDash;
                        i += 1;
                    }
                    b'[' if sink.cdata_allowed() => {
                        self.state = State::MarkupDeclarationCdata(1);
                        i += 1;
                    }
                    b'd' | b'D' => {
                        self.state = State::MarkupDeclarationDoctype(1);
                        i += 1;
                    }
                    // A CDATA section in HTML content or anything else is a bogus
                    // comment.
                    _ => self.state = State::BogusComment,
                },
                State::MarkupDeclarationDoctype(matched) => {
                    if c.to_ascii_uppercase() == b"DOCTYPE"[matched as usize] {
                        i += 1;
                        self.state = if matched == 6 {
                            State::BeforeDoctypeName
                        } else {
                            State::MarkupDeclarationDoctype(matched + 1)
                        };
                    } else {
                        self.state = State::BogusComment;
                    }
                }
                State::BeforeDoctypeName => {
                    if is_space(c) {
                        i += 1;
                    } else if c == b'>' {
                        // A missing name forces quirks mode.
                        sink.doctype(false);
                        self.state = State::Data;
                        i += 1;
                    } else {
                        self.name_len = 0;
                        self.state = State::DoctypeName;
                    }
                }
                State::DoctypeName => {
                    if is_space(c) || c == b'>' {
                        sink.doctype(self.name_len == 4 && self.name[..4] == *b"html");
                        // What follows, public and system identifiers included, ends
                        // at the next `>` (§ 13.2.5.56–68).
                        self.state = State::BogusComment;
                    } else {
                        self.tag_name_byte(c);
                        i += 1;
                    }
                }
                State::MarkupDeclarationDash => {
                    if c == b'-' {
                        self.state = State::CommentStart;
                        i += 1;
                    } else {
                        self.state = State::BogusComment;
                    }
                }
                State::MarkupDeclarationCdata(matched) => {
                    if c == b"[CDATA["[matched as usize] {
                        i += 1;
                        self.state = if matched == 6 {
                            State::CdataSection
                        } else {
                            State::MarkupDeclarationCdata(matched + 1)
                        };
                    } else {
                        self.state = State::BogusComment;
                    }
                }
                State::BogusComment => match memchr(b'>', &b[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k + 1;
                        self.state = State::Data;
                    }
                },
                State::CommentStart | State::CommentStartDash => match c {
                    b'-' => {
                        self.state = if self.state == State::CommentStart {
                            State::CommentStartDash
                        } else {
                            State::CommentEnd
                        };
                        i += 1;
                    }
                    // `<!-->` and `<!--->` are whole comments.
                    b'>' => {
                        self.state = State::Data;
                        i += 1;
                    }
                    _ => self.state = State::Comment,
                },
                State::Comment => match memchr(b'-', &b[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k + 1;
                        self.state = State::CommentEndDash;
                    }
                },
                State::CommentEndDash => {
                    if c == b'-' {
                        self.state = State::CommentEnd;
                        i += 1;
                    } else {
                        self.state = State::Comment;
                    }
                }
                State::CommentEnd => {
                    match c {
                        b'>' => self.state = State::Data,
                        b'!' => self.state = State::CommentEndBang,
                        b'-' => {}
                        _ => {
                            self.state = State::Comment;
                            continue;
                        }
                    }
                    i += 1;
                }
                State::CommentEndBang => match c {
                    b'-' => {
                        self.state = State::CommentEndDash;
                        i += 1;
                    }
                    b'>' => {
                        self.state = State::Data;
                        i += 1;
                    }
                    _ => self.state = State::Comment,
                },
                State::CdataSection => match memchr2(b']', 0, &b[i..]) {
                    None => {
                        sink.text(&text[i..]);
                        i = n;
                    }
                    Some(k) => {
                        if k > 0 {
                            sink.text(&text[i..i + k]);
                        }
                        i += k;
                        if b[i] == b']' {
                            self.state = State::CdataSectionBracket;
                        } else {
                            sink.text("\u{fffd}");
                        }
                        i += 1;
                    }
                },
                State::CdataSectionBracket => {
                    if c == b']' {
                        self.state = State::CdataSectionEnd;
                        i += 1;
                    } else {
                        sink.text("]");
                        self.state = State::CdataSection;
                    }
                }
                State::CdataSectionEnd => match c {
                    b']' => {
                        sink.text("]");
                        i += 1;
                    }
                    b'>' => {
                        self.state = State::Data;
                        i += 1;
                    }
                    _ => {
                        sink.text("]]");
                        self.state = State::CdataSection;
                    }
                },
                State::RawLessThan => match c {
                    b'/' => {
                        self.state = State::RawEndTagOpen;
                        i += 1;
                    }
                    b'!' if self.raw_return == State::ScriptData => {
                        self.state = State::ScriptEscapeStart;
                        i += 1;
                    }
                    _ if self.raw_return == State::ScriptEscaped && c.is_ascii_alphabetic() => {
                        self.script_matched = 0;
                        self.state = State::ScriptDoubleEscapeStart;
                    }
                    _ => {
                        if self.raw_shown() {
                            sink.text("<");
                        } else if self.capture && self.raw_return == State::ScriptData {
                            sink.script_text("<");
                        }
                        self.state = self.raw_return;
                    }
                },
                State::RawEndTagOpen => {
                    if c.is_ascii_alphabetic() {
                        self.raw_matched = 0;
                        self.state = State::RawEndTagName;
                    } else {
                        self.raw_flush(sink);
                    }
                }
                State::RawEndTagName => {
                    let name = self.raw.raw_name();
                    if c.is_ascii_alphabetic() {
                        if self.raw_matched < name.len()
                            && c.to_ascii_lowercase() == name[self.raw_matched]
                        {
                            self.raw_buf[self.raw_matched] = c;
                            self.raw_matched += 1;
                            i += 1;
                        } else {
                            self.raw_flush(sink);
                        }
                    } else if self.raw_matched == name.len()
                        && (is_space(c) || c == b'/' || c == b'>')
                    {
                        // The appropriate end tag (§ 13.2.5.11): a tag after all.
                        self.begin_tag(true);
                        self.tag.el = self.raw;
                        #[cfg(feature = "integration_test")]
                        self.tag.name.extend_from_slice(name);
                        i += 1;
                        match c {
                            b'/' => self.state = State::SelfClosingStartTag,
                            b'>' => self.emit_tag(sink),
                            _ => self.state = State::BeforeAttrName,
                        }
                    } else {
                        self.raw_flush(sink);
                    }
                }
                State::ScriptEscapeStart | State::ScriptEscapeStartDash => {
                    if c == b'-' {
                        self.state = if self.state == State::ScriptEscapeStart {
                            State::ScriptEscapeStartDash
                        } else {
                            State::ScriptEscapedDashDash
                        };
                        i += 1;
                    } else {
                        if self.capture {
                            sink.script_text(if self.state == State::ScriptEscapeStart {
                                "<!"
                            } else {
                                "<!-"
                            });
                        }
                        self.state = State::ScriptData;
                    }
                }
                State::ScriptEscaped => match memchr2(b'-', b'<', &b[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k;
                        self.script_escaped_byte(b[i]);
                        i += 1;
                    }
                },
                State::ScriptEscapedDash | State::ScriptEscapedDashDash => {
                    match c {
                        b'-' => self.state = State::ScriptEscapedDashDash,
                        b'>' if self.state == State::ScriptEscapedDashDash => {
                            self.state = State::ScriptData;
                        }
                        _ => self.script_escaped_byte(c),
                    }
                    i += 1;
                }
                State::ScriptDoubleEscapeStart | State::ScriptDoubleEscapeEnd => {
                    let start = self.state == State::ScriptDoubleEscapeStart;
                    if is_space(c) || c == b'/' || c == b'>' {
                        self.state = if (self.script_matched == 6) == start {
                            State::ScriptDoubleEscaped
                        } else {
                            State::ScriptEscaped
                        };
                        i += 1;
                    } else if c.is_ascii_alphabetic() {
                        let m = self.script_matched as usize;
                        self.script_matched = if m < 6 && c.to_ascii_lowercase() == b"script"[m] {
                            self.script_matched + 1
                        } else {
                            255
                        };
                        i += 1;
                    } else {
                        self.state = if start {
                            State::ScriptEscaped
                        } else {
                            State::ScriptDoubleEscaped
                        };
                    }
                }
                State::ScriptDoubleEscaped => match memchr2(b'-', b'<', &b[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k;
                        self.script_double_escaped_byte(b[i]);
                        i += 1;
                    }
                },
                State::ScriptDoubleEscapedDash | State::ScriptDoubleEscapedDashDash => {
                    match c {
                        b'-' => self.state = State::ScriptDoubleEscapedDashDash,
                        b'>' if self.state == State::ScriptDoubleEscapedDashDash => {
                            self.state = State::ScriptData;
                        }
                        _ => self.script_double_escaped_byte(c),
                    }
                    i += 1;
                }
                State::ScriptDoubleEscapedLessThan => {
                    if c == b'/' {
                        self.script_matched = 0;
                        self.state = State::ScriptDoubleEscapeEnd;
                        i += 1;
                    } else {
                        self.state = State::ScriptDoubleEscaped;
                    }
                }
                State::CharacterReference => {
                    if c.is_ascii_alphanumeric() {
                        self.ref_len = 0;
                        self.state = State::NamedCharacterReference;
                    } else if c == b'#' {
                        self.state = State::NumericCharacterReference;
                        i += 1;
                    } else {
                        self.reference_out("&", sink);
                        self.state = self.ref_return;
                    }
                }
                State::NamedCharacterReference => {
                    while i < n
                        && b[i].is_ascii_alphanumeric()
                        && self.ref_len < charref::MAX_NAME - 1
                    {
                        self.ref_buf[self.ref_len] = b[i];
                        self.ref_len += 1;
                        i += 1;
                    }
                    if i < n {
                        if b[i] == b';' {
                            self.ref_buf[self.ref_len] = b';';
                            self.ref_len += 1;
                            i += 1;
                            self.named_reference_end(None, sink);
                        } else {
                            // Past the longest name, no name with `;` can match,
                            // so what follows is text whatever it is.
                            self.named_reference_end(Some(b[i]), sink);
                        }
                        self.state = self.ref_return;
                    }
                }
                State::NumericCharacterReference => {
                    self.ref_code = 0;
                    if c == b'x' || c == b'X' {
                        self.ref_x = c;
                        self.state = State::HexadecimalStart;
                        i += 1;
                    } else if c.is_ascii_digit() {
                        self.state = State::Decimal;
                    } else {
                        self.reference_out("&#", sink);
                        self.state = self.ref_return;
                    }
                }
                State::HexadecimalStart => {
                    if c.is_ascii_hexdigit() {
                        self.state = State::Hexadecimal;
                    } else {
                        let x = [b'&', b'#', self.ref_x];
                        self.reference_out(core::str::from_utf8(&x).unwrap_or("&#x"), sink);
                        self.state = self.ref_return;
                    }
                }
                State::Hexadecimal | State::Decimal => {
                    let radix = if self.state == State::Hexadecimal {
                        16
                    } else {
                        10
                    };
                    while i < n {
                        match char::from(b[i]).to_digit(radix) {
                            // Saturating keeps any number past U+10FFFF out of range.
                            Some(d) => self.ref_code = (self.ref_code * radix + d).min(0x11_0000),
                            None => break,
                        }
                        i += 1;
                    }
                    if i < n {
                        if b[i] == b';' {
                            i += 1;
                        }
                        self.numeric_reference_end(sink);
                        self.state = self.ref_return;
                    }
                }
            }
        }
    }

    /// Ends the input (§ 13.2.5: each state's EOF rule). Unfinished tags, comments
    /// and doctypes are dropped; unfinished text is kept.
    pub(super) fn finish(&mut self, sink: &mut impl TokenSink) {
        match self.state {
            State::TagOpen => sink.text("<"),
            State::EndTagOpen => sink.text("</"),
            State::RawLessThan if self.raw_shown() => sink.text("<"),
            State::RawEndTagOpen | State::RawEndTagName => self.raw_flush(sink),
            State::CdataSectionBracket => sink.text("]"),
            State::CdataSectionEnd => sink.text("]]"),
            State::CharacterReference => self.reference_out("&", sink),
            State::NamedCharacterReference => self.named_reference_end(None, sink),
            State::NumericCharacterReference => self.reference_out("&#", sink),
            State::HexadecimalStart => {
                let x = [b'&', b'#', self.ref_x];
                self.reference_out(core::str::from_utf8(&x).unwrap_or("&#x"), sink);
            }
            State::Hexadecimal | State::Decimal => self.numeric_reference_end(sink),
            _ => {}
        }
        self.state = State::Data;
    }

    fn begin_tag(&mut self, end: bool) {
        self.tag.el = El::Other;
        self.tag.hash = FNV_OFFSET;
        self.tag.end = end;
        self.tag.self_closing = false;
        self.tag.attrs.clear();
        self.slot = None;
        self.name_len = 0;
        #[cfg(feature = "integration_test")]
        self.tag.name.clear();
        self.state = State::TagName;
    }

    #[inline]
    fn tag_name_byte(&mut self, c: u8) {
        // NUL would become U+FFFD (§ 13.2.5.8); either way the name matches nothing.
        let c = c.to_ascii_lowercase();
        self.tag.hash = (self.tag.hash ^ u32::from(c)).wrapping_mul(0x0100_0193);
        if self.name_len < NAME_CAP {
            self.name[self.name_len] = c;
        }
        self.name_len += 1;
        #[cfg(feature = "integration_test")]
        self.tag.name.push(c);
    }

    fn end_tag_name(&mut self) {
        self.tag.el = if self.name_len <= NAME_CAP {
            elements::lookup(&self.name[..self.name_len])
        } else {
            El::Other
        };
        self.name_len = 0;
    }

    #[inline]
    fn attr_name_byte(&mut self, c: u8) {
        if self.attr_name_len < ATTR_NAME_CAP {
            self.attr_name[self.attr_name_len] = c.to_ascii_lowercase();
        }
        self.attr_name_len += 1;
    }

    fn end_attr_name(&mut self) {
        self.slot = None;
        if self.tag.end || self.attr_name_len > ATTR_NAME_CAP {
            return;
        }
        if let Some(slot) = Slot::of(self.tag.el, &self.attr_name[..self.attr_name_len])
            && (self.hints
                || !matches!(slot, Slot::Class | Slot::Id)
                    && (slot != Slot::Itemprop || self.tag.el == El::Meta))
        {
            let bit = 1 << slot as u32;
            if self.tag.attrs.present & bit == 0 {
                self.tag.attrs.present |= bit;
                self.slot = Some(slot);
            }
        }
    }

    fn emit_tag(&mut self, sink: &mut impl TokenSink) {
        self.state = State::Data;
        if self.tag.end {
            sink.end_tag(&self.tag);
            return;
        }
        if let Some(el) = sink.start_tag(&self.tag) {
            let flags = el.flags();
            self.raw = el;
            self.state = if flags & elements::RCDATA != 0 {
                State::Rcdata
            } else if flags & elements::SCRIPT != 0 {
                State::ScriptData
            } else if flags & elements::PLAINTEXT != 0 {
                State::Plaintext
            } else if el == El::Xmp {
                State::RawtextShown
            } else {
                State::Rawtext
            };
            self.raw_return = self.state;
            self.capture = self.state == State::ScriptData && sink.wants_script();
        }
    }

    /// Starts in the state an html5lib tokenizer test names, after a start tag
    /// `last_start_tag` for the states that end at its end tag. RAWTEXT starts as
    /// shown RAWTEXT (`xmp`'s), so that its text is seen.
    #[cfg(feature = "integration_test")]
    pub(super) fn start_in(&mut self, state: &str, last_start_tag: Option<&str>) -> bool {
        self.raw = last_start_tag.map_or(El::Other, |t| elements::lookup(t.as_bytes()));
        self.state = match state {
            "Data state" => State::Data,
            "PLAINTEXT state" => State::Plaintext,
            "RCDATA state" => State::Rcdata,
            "RAWTEXT state" => State::RawtextShown,
            "Script data state" => State::ScriptData,
            "CDATA section state" => State::CdataSection,
            _ => return false,
        };
        self.raw_return = self.state;
        true
    }

    /// Whether the raw text being read is shown (RCDATA, `xmp`), so that a `<` that
    /// starts no end tag is text.
    fn raw_shown(&self) -> bool {
        matches!(self.raw_return, State::Rcdata | State::RawtextShown)
    }

    /// Gives back a `</name` that was no end tag, as text in RCDATA, and goes on in
    /// the state it interrupted.
    fn raw_flush(&mut self, sink: &mut impl TokenSink) {
        let name = core::str::from_utf8(&self.raw_buf[..self.raw_matched]).unwrap_or("");
        if self.raw_shown() {
            sink.text("</");
            sink.text(name);
        } else if self.capture && self.raw_return == State::ScriptData {
            sink.script_text("</");
            sink.script_text(name);
        }
        self.raw_matched = 0;
        self.state = self.raw_return;
    }

    fn script_escaped_byte(&mut self, c: u8) {
        self.state = match c {
            b'-' => State::ScriptEscapedDash,
            b'<' => {
                self.raw_return = State::ScriptEscaped;
                State::RawLessThan
            }
            _ => State::ScriptEscaped,
        };
    }

    fn script_double_escaped_byte(&mut self, c: u8) {
        self.state = match c {
            b'-' => State::ScriptDoubleEscapedDash,
            b'<' => State::ScriptDoubleEscapedLessThan,
            _ => State::ScriptDoubleEscaped,
        };
    }

    fn reference(&mut self, return_state: State) {
        self.ref_return = return_state;
        self.state = State::CharacterReference;
    }

    fn reference_out(&mut self, text: &str, sink: &mut impl TokenSink) {
        match self.ref_return {
            State::AttrValueQuoted(_) | State::AttrValueUnquoted => {
                if let Some(slot) = self.slot {
                    self.tag.attrs.push(slot, text);
                }
            }
            _ => sink.text(text),
        }
    }

    /// Resolves the name in `ref_buf` (§ 13.2.5.73); `next` is the character after
    /// it, if known.
    fn named_reference_end(&mut self, next: Option<u8>, sink: &mut impl TokenSink) {
        let buf = self.ref_buf;
        let consumed = &buf[..self.ref_len];
        let text = core::str::from_utf8(consumed).unwrap_or("");
        let in_attribute = matches!(
            self.ref_return,
            State::AttrValueQuoted(_) | State::AttrValueUnquoted
        );
        match charref::named(consumed) {
            Some((len, value)) => {
                let next = consumed.get(len).copied().or(next);
                // Historical: `?a=1&copy=2` in an attribute is not `©=2`.
                if in_attribute
                    && consumed[len - 1] != b';'
                    && next.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric())
                {
                    self.reference_out("&", sink);
                    self.reference_out(text, sink);
                } else {
                    self.reference_out(value, sink);
                    self.reference_out(&text[len..], sink);
                }
            }
            None => {
                self.reference_out("&", sink);
                self.reference_out(text, sink);
            }
        }
    }

    fn numeric_reference_end(&mut self, sink: &mut impl TokenSink) {
        let mut buf = [0; 4];
        let c = charref::numeric(self.ref_code);
        self.reference_out(c.encode_utf8(&mut buf), sink);
    }
}
