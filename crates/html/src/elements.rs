//! The elements whose name changes what the extractor does, with what each does.
//!
//! The categories are WHATWG's (HTML § 13.2.4.3 "special", § 13.2.4.2 scopes,
//! § 13.2.6.4.7 formatting elements and implied end tags, § 13.2.6.5 the start tags that
//! break out of foreign content); BLOCK is our own: elements rendered as blocks by the
//! UA stylesheet (HTML § 15.3), whose edges separate words.

/// A start and end tag separate words and sentences.
pub(super) const BLOCK: u32 = 1;
/// Never has content or an end tag.
pub(super) const VOID: u32 = 1 << 1;
/// WHATWG's "special" category: stops the search for a stray end tag.
pub(super) const SPECIAL: u32 = 1 << 2;
/// Bounds "has an element in scope".
pub(super) const SCOPE: u32 = 1 << 3;
/// Closed by the adoption agency algorithm.
pub(super) const FORMATTING: u32 = 1 << 4;
/// Its start tag closes an open `p`.
pub(super) const CLOSES_P: u32 = 1 << 5;
/// Closed by "generate implied end tags".
pub(super) const IMPLIED_END: u32 = 1 << 6;
/// Its start tag leaves SVG or MathML content.
pub(super) const BREAKOUT: u32 = 1 << 7;
/// Its content is not shown.
pub(super) const SKIP: u32 = 1 << 8;
/// An HTML integration point when in SVG.
pub(super) const SVG_IP: u32 = 1 << 9;
/// A MathML text integration point when in MathML.
pub(super) const MATH_IP: u32 = 1 << 10;
/// Its end tags search table scope.
pub(super) const TABLE_PART: u32 = 1 << 11;
/// Text content model: entities decoded, no tags.
pub(super) const RCDATA: u32 = 1 << 12;
/// Text content model: no entities, no tags.
pub(super) const RAWTEXT: u32 = 1 << 13;
/// Script data, with its escape states.
pub(super) const SCRIPT: u32 = 1 << 14;
/// Everything after the start tag is text.
pub(super) const PLAINTEXT: u32 = 1 << 15;
/// Puts a marker on the list of active formatting elements.
pub(super) const MARKER: u32 = 1 << 24;
const REGION_SHIFT: u32 = 16;
const HEADING_SHIFT: u32 = 20;

const MAIN: u32 = 1 << REGION_SHIFT;
const NAV: u32 = 2 << REGION_SHIFT;
const HEADER: u32 = 3 << REGION_SHIFT;
const FOOTER: u32 = 4 << REGION_SHIFT;
const ASIDE: u32 = 5 << REGION_SHIFT;

const fn heading(level: u32) -> u32 {
    BLOCK | SPECIAL | CLOSES_P | BREAKOUT | level << HEADING_SHIFT
}

const CONTAINER: u32 = BLOCK | SPECIAL | CLOSES_P;

macro_rules! elements {
    ($($variant:ident $name:literal $flags:expr;)*) => {
        /// A known element name, lowercased; `Other` for the rest.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub(super) enum El { $($variant,)* Other }

        static FLAGS: [u32; El::Other as usize + 1] = [$($flags,)* 0];

        /// The element named `name` (lowercase ASCII).
        pub(super) fn lookup(name: &[u8]) -> El {
            match name { $($name => El::$variant,)* _ => El::Other }
        }
    };
}

elements! {
    A b"a" FORMATTING;
    Address b"address" CONTAINER;
    AnnotationXml b"annotation-xml" 0;
    Applet b"applet" SPECIAL | SCOPE | MARKER;
    Area b"area" VOID | SPECIAL;
    Article b"article" CONTAINER | MAIN;
    Aside b"aside" CONTAINER | ASIDE;
    B b"b" FORMATTING | BREAKOUT;
    Base b"base" VOID | SPECIAL;
    Basefont b"basefont" VOID | SPECIAL;
    Bgsound b"bgsound" VOID | SPECIAL;
    Big b"big" FORMATTING | BREAKOUT;
    Blockquote b"blockquote" CONTAINER | BREAKOUT;
    Body b"body" BLOCK | SPECIAL | BREAKOUT;
    Br b"br" VOID | SPECIAL | BREAKOUT;
    Button b"button" SPECIAL;
    Caption b"caption" BLOCK | SPECIAL | SCOPE | TABLE_PART | MARKER;
    Center b"center" CONTAINER | BREAKOUT;
    Code b"code" FORMATTING | BREAKOUT;
    Col b"col" VOID | SPECIAL;
    Colgroup b"colgroup" SPECIAL;
    Datalist b"datalist" 0;
    Dd b"dd" CONTAINER | IMPLIED_END | BREAKOUT;
    Desc b"desc" SVG_IP;
    Details b"details" CONTAINER;
    Dialog b"dialog" BLOCK | CLOSES_P;
    Dir b"dir" CONTAINER;
    Div b"div" CONTAINER | BREAKOUT;
    Dl b"dl" CONTAINER | BREAKOUT;
    Dt b"dt" CONTAINER | IMPLIED_END | BREAKOUT;
    Em b"em" FORMATTING | BREAKOUT;
    Embed b"embed" VOID | SPECIAL | BREAKOUT;
    Fieldset b"fieldset" CONTAINER;
    Figcaption b"figcaption" CONTAINER;
    Figure b"figure" CONTAINER;
    Font b"font" FORMATTING;
    Footer b"footer" CONTAINER | FOOTER;
    ForeignObject b"foreignobject" SVG_IP;
    Form b"form" CONTAINER;
    Frame b"frame" VOID | SPECIAL;
    Frameset b"frameset" BLOCK | SPECIAL;
    H1 b"h1" heading(1);
    H2 b"h2" heading(2);
    H3 b"h3" heading(3);
    H4 b"h4" heading(4);
    H5 b"h5" heading(5);
    H6 b"h6" heading(6);
    Head b"head" SPECIAL | BREAKOUT;
    Header b"header" CONTAINER | HEADER;
    Hgroup b"hgroup" CONTAINER;
    Hr b"hr" CONTAINER | VOID | BREAKOUT;
    Html b"html" BLOCK | SPECIAL | SCOPE;
    I b"i" FORMATTING | BREAKOUT;
    Iframe b"iframe" SPECIAL | RAWTEXT;
    Image b"image" 0;
    Img b"img" VOID | SPECIAL | BREAKOUT;
    Input b"input" VOID | SPECIAL;
    Keygen b"keygen" VOID | SPECIAL;
    Legend b"legend" BLOCK;
    Li b"li" CONTAINER | IMPLIED_END | BREAKOUT;
    Link b"link" VOID | SPECIAL;
    Listing b"listing" CONTAINER | BREAKOUT;
    Main b"main" CONTAINER | MAIN;
    Marquee b"marquee" SPECIAL | SCOPE | MARKER;
    Math b"math" 0;
    Menu b"menu" CONTAINER | BREAKOUT;
    Meta b"meta" VOID | SPECIAL | BREAKOUT;
    Mi b"mi" MATH_IP;
    Mn b"mn" MATH_IP;
    Mo b"mo" MATH_IP;
    Ms b"ms" MATH_IP;
    Mtext b"mtext" MATH_IP;
    Nav b"nav" CONTAINER | NAV;
    Nobr b"nobr" FORMATTING | BREAKOUT;
    Noembed b"noembed" SPECIAL | RAWTEXT;
    Noframes b"noframes" SPECIAL | RAWTEXT;
    // Scripting is taken as enabled, as browsers (and html5ever by default) do, so
    // `noscript` is raw text.
    Noscript b"noscript" SPECIAL | RAWTEXT;
    Object b"object" SPECIAL | SCOPE | MARKER;
    Ol b"ol" CONTAINER | BREAKOUT;
    Optgroup b"optgroup" BLOCK | IMPLIED_END;
    Option b"option" BLOCK | IMPLIED_END;
    P b"p" CONTAINER | IMPLIED_END | BREAKOUT;
    Param b"param" VOID | SPECIAL;
    Plaintext b"plaintext" CONTAINER | PLAINTEXT;
    Pre b"pre" CONTAINER | BREAKOUT;
    Rb b"rb" IMPLIED_END;
    Rp b"rp" IMPLIED_END;
    Rt b"rt" IMPLIED_END;
    Rtc b"rtc" IMPLIED_END;
    Ruby b"ruby" BREAKOUT;
    S b"s" FORMATTING | BREAKOUT;
    Script b"script" SPECIAL | SCRIPT;
    Search b"search" CONTAINER;
    Section b"section" CONTAINER;
    // In scope as html5ever has it (the standard dropped `select` from the list).
    Select b"select" SPECIAL | SCOPE;
    Small b"small" FORMATTING | BREAKOUT;
    Source b"source" VOID | SPECIAL;
    Span b"span" BREAKOUT;
    Strike b"strike" FORMATTING | BREAKOUT;
    Strong b"strong" FORMATTING | BREAKOUT;
    Style b"style" SPECIAL | RAWTEXT;
    Sub b"sub" BREAKOUT;
    Summary b"summary" CONTAINER;
    Sup b"sup" BREAKOUT;
    Svg b"svg" 0;
    Table b"table" CONTAINER | SCOPE | TABLE_PART | BREAKOUT;
    Tbody b"tbody" BLOCK | SPECIAL | TABLE_PART;
    Td b"td" BLOCK | SPECIAL | SCOPE | TABLE_PART | MARKER;
    Template b"template" SPECIAL | SCOPE | SKIP | MARKER;
    Textarea b"textarea" BLOCK | SPECIAL | RCDATA;
    Tfoot b"tfoot" BLOCK | SPECIAL | TABLE_PART;
    Th b"th" BLOCK | SPECIAL | SCOPE | TABLE_PART | MARKER;
    Thead b"thead" BLOCK | SPECIAL | TABLE_PART;
    Title b"title" BLOCK | SPECIAL | RCDATA | SVG_IP;
    Tr b"tr" BLOCK | SPECIAL | TABLE_PART;
    Track b"track" VOID | SPECIAL;
    Tt b"tt" FORMATTING | BREAKOUT;
    U b"u" FORMATTING | BREAKOUT;
    Ul b"ul" CONTAINER | BREAKOUT;
    Var b"var" BREAKOUT;
    Wbr b"wbr" VOID | SPECIAL;
    Xmp b"xmp" CONTAINER | RAWTEXT;
}

impl El {
    #[inline]
    pub(super) fn flags(self) -> u32 {
        FLAGS[self as usize]
    }

    #[inline]
    pub(super) fn is(self, flag: u32) -> bool {
        self.flags() & flag != 0
    }

    /// 1–5 for the region the element opens (`Region` order), 0 for none.
    pub(super) fn region(self) -> u8 {
        (self.flags() >> REGION_SHIFT & 7) as u8
    }

    /// 1–6 for `h1`–`h6`, 0 for the rest.
    pub(super) fn heading_level(self) -> u8 {
        (self.flags() >> HEADING_SHIFT & 7) as u8
    }

    /// The lowercase name of a raw-text element, which its end tag must repeat.
    pub(super) fn raw_name(self) -> &'static [u8] {
        match self {
            El::Iframe => b"iframe",
            El::Noembed => b"noembed",
            El::Noframes => b"noframes",
            El::Noscript => b"noscript",
            El::Script => b"script",
            El::Style => b"style",
            El::Textarea => b"textarea",
            El::Title => b"title",
            El::Xmp => b"xmp",
            _ => b"",
        }
    }
}

/// The landmark role an element's `role` attribute gives it (WAI-ARIA), as a region
/// number like [`El::region`]: the first token that names one.
pub(super) fn role_region(role: &str) -> u8 {
    const ROLES: [&str; 5] = [
        "main",
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
    ];
    role.split_ascii_whitespace()
        .find_map(|token| ROLES.iter().position(|r| r.eq_ignore_ascii_case(token)))
        .map_or(0, |i| i as u8 + 1)
}
