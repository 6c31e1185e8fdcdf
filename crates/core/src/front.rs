//! The input's front end: bytes in, text out. The first bytes are held until the
//! format and the encoding can be decided (see [`crate::sniff`]); then everything is
//! decoded as it arrives, and HTML goes through `wca_html`'s extractor, whole page or
//! main content, so that what comes out is the text a reader sees.
//!
//! HTML that declares no encoding and whose first KiB is ASCII is decoded as Firefox
//! decodes it: its ASCII goes through as it comes (every encoding the detector can
//! answer reads ASCII alike), and from the first other byte [`DETECT_BYTES`] are
//! held and given to Firefox's detector, `chardetng`, whose guess decodes the page.
//!
//! Carried between pushes: at most [`sniff::PRESCAN_BYTES`] held bytes, or
//! [`DETECT_BYTES`] for the detector, the decoder's few pending bytes, and the HTML
//! extractor's bounded state.

use crate::decode::Decoder;
use crate::options::{ConfigError, Format, Options};
use crate::sniff::{self, EncodingSource as Source};
use encoding_rs::Encoding;
use wca_html::{HtmlExtractor, HtmlSink, Page};

/// Receives the text: plain text through [`FrontSink::plain`], HTML as the
/// extractor's events.
pub(crate) trait FrontSink: HtmlSink {
    /// Decoded text of a plain-text input, split anywhere.
    fn plain(&mut self, text: &str);
}

/// What the caller told us about the bytes.
#[derive(Debug)]
struct Hints {
    format: Format,
    content_type: Option<String>,
    charset: Option<&'static Encoding>,
    base_url: Option<String>,
    main_content: bool,
    /// The whole page is reported, and its main content too.
    observe: bool,
}

/// Bytes given to the encoding detector, from the first non-ASCII byte on.
pub(crate) const DETECT_BYTES: usize = 8 * 1024;

#[derive(Debug)]
enum Stage {
    Sniffing(Vec<u8>),
    Decoding {
        decoder: Decoder,
        /// For undeclared HTML whose start is ASCII: the bytes held for the detector
        /// since the first non-ASCII one; `None` once the encoding is decided.
        undecided: Option<Vec<u8>>,
        detected: Detected,
        /// The visible-text extractor, for HTML.
        html: Option<Box<HtmlExtractor>>,
    },
}

/// The format and encoding decided.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Detected {
    pub(crate) encoding: &'static Encoding,
    pub(crate) source: Source,
    pub(crate) html: bool,
}

/// The front end's state.
#[derive(Debug)]
pub(crate) struct Front {
    /// Bytes and characters read.
    pub(crate) bytes: u64,
    pub(crate) characters: u64,
    hints: Hints,
    stage: Stage,
}

impl Front {
    pub(crate) fn new(options: &Options) -> Result<Self, ConfigError> {
        Ok(Self {
            bytes: 0,
            characters: 0,
            hints: Hints {
                format: options.format,
                content_type: options.content_type.clone(),
                charset: charset_of(options)?,
                base_url: options.base_url.clone(),
                main_content: options.main_content_only,
                observe: false,
            },
            stage: Stage::Sniffing(Vec::new()),
        })
    }

    /// For a whole-page analysis of HTML, also reports the main content to
    /// [`HtmlSink::main_text`] (see [`HtmlExtractor::observe_main_content`]).
    pub(crate) fn observing_main_content(mut self) -> Self {
        self.hints.observe = !self.hints.main_content;
        self
    }

    /// Reads the next chunk; chunks may split anything.
    pub(crate) fn push(&mut self, mut chunk: &[u8], sink: &mut impl FrontSink) {
        self.bytes += chunk.len() as u64;
        if let Stage::Sniffing(head) = &mut self.stage {
            let need = match self.hints.format {
                // A byte order mark is all plain text can declare.
                Format::Text => 3,
                Format::Html | Format::Auto => sniff::PRESCAN_BYTES,
            };
            let take = need.saturating_sub(head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if head.len() < need {
                return;
            }
            self.start_decoding(sink);
        }
        self.decode(chunk, false, sink);
    }

    /// Ends the input.
    pub(crate) fn finish(&mut self, sink: &mut impl FrontSink) {
        self.start_decoding(sink);
        self.decode(&[], true, sink);
    }

    /// Decides format and encoding from the held bytes, then decodes them.
    fn start_decoding(&mut self, sink: &mut impl FrontSink) {
        let Stage::Sniffing(head) = &mut self.stage else {
            return;
        };
        let head = core::mem::take(head);
        let bom = Encoding::for_bom(&head);
        let body = &head[bom.map_or(0, |(_, len)| len)..];
        let html = match self.hints.format {
            Format::Html => true,
            Format::Text => false,
            Format::Auto => self
                .hints
                .content_type
                .as_deref()
                .and_then(sniff::content_type_is_html)
                .unwrap_or_else(|| sniff::looks_like_html(body)),
        };
        let (encoding, source) = if let Some((encoding, _)) = bom {
            (encoding, Source::Bom)
        } else if let Some(encoding) = self.hints.charset {
            (encoding, Source::Hint)
        } else if let Some(encoding) = html.then(|| sniff::prescan(body)).flatten() {
            (encoding, Source::Meta)
        } else if html && !body.is_ascii() && valid_utf8_prefix(body) {
            // The standard's optional autodetection step, as browsers take it:
            // undeclared bytes that are valid UTF-8 are UTF-8.
            (encoding_rs::UTF_8, Source::Detected)
        } else if html && !body.is_ascii() {
            (guess(body, false), Source::Detected)
        } else if html {
            (encoding_rs::WINDOWS_1252, Source::Default)
        } else {
            (encoding_rs::UTF_8, Source::Default)
        };
        // An ASCII start says nothing yet: the detector decides at the first other byte.
        let undecided = (html && source == Source::Default).then(Vec::new);
        self.stage = Stage::Decoding {
            decoder: Decoder::new(encoding),
            undecided,
            detected: Detected {
                encoding,
                source,
                html,
            },
            html: html.then(|| {
                let extractor = HtmlExtractor::new(self.hints.base_url.as_deref());
                Box::new(if self.hints.main_content {
                    extractor.main_content()
                } else if self.hints.observe {
                    extractor.observe_main_content()
                } else {
                    extractor
                })
            }),
        };
        self.decode(body, false, sink);
    }

    /// Decodes `bytes` and hands the text on; `last` ends the input.
    fn decode(&mut self, bytes: &[u8], last: bool, sink: &mut impl FrontSink) {
        let characters = &mut self.characters;
        if let Stage::Decoding {
            decoder,
            undecided,
            detected,
            html,
        } = &mut self.stage
        {
            let mut text = |text: &str| {
                *characters += count_chars(text);
                match html {
                    Some(extractor) => extractor.push(text, sink),
                    None => sink.plain(text),
                }
            };
            let mut bytes = bytes;
            if let Some(held) = undecided {
                if held.is_empty() {
                    let ascii = bytes
                        .iter()
                        .position(|b| !b.is_ascii())
                        .unwrap_or(bytes.len());
                    // ASCII is valid UTF-8.
                    if let Ok(prefix) = core::str::from_utf8(&bytes[..ascii])
                        && !prefix.is_empty()
                    {
                        text(prefix);
                    }
                    bytes = &bytes[ascii..];
                }
                held.extend_from_slice(bytes);
                bytes = &[];
                if held.len() >= DETECT_BYTES || (last && !held.is_empty()) {
                    let held = undecided.take().unwrap_or_default();
                    let encoding = guess(&held, last);
                    *detected = Detected {
                        encoding,
                        source: Source::Detected,
                        html: true,
                    };
                    *decoder = Decoder::new(encoding);
                    decoder.push(&held, &mut text);
                } else if !last {
                    return;
                }
            }
            decoder.push(bytes, &mut text);
            if last {
                decoder.finish(&mut text);
                if let Some(extractor) = html {
                    extractor.finish(sink);
                }
            }
        }
    }

    /// The format and the encoding, once decided.
    pub(crate) fn detected(&self) -> Option<Detected> {
        match &self.stage {
            Stage::Decoding { detected, .. } => Some(*detected),
            Stage::Sniffing(_) => None,
        }
    }

    /// Adds the bytes, characters and replacements of the rest of the input, read by
    /// another front end.
    pub(crate) fn merge(&mut self, next: &Front) {
        self.bytes += next.bytes;
        self.characters += next.characters;
        if let Stage::Decoding { decoder, .. } = &mut self.stage {
            decoder.add_replacements(next.outcome().1);
        }
    }

    /// What was decided, the replacements made, and the page; the defaults before
    /// the first byte is decoded.
    pub(crate) fn outcome(&self) -> (Detected, u64, Option<Page>) {
        match &self.stage {
            Stage::Decoding {
                decoder,
                detected,
                html,
                ..
            } => (
                *detected,
                decoder.replacements(),
                html.as_ref().map(|x| x.page()),
            ),
            Stage::Sniffing(_) => (
                Detected {
                    encoding: encoding_rs::UTF_8,
                    source: Source::Default,
                    html: false,
                },
                0,
                None,
            ),
        }
    }
}

/// The encoding the options name, as a charset or in a Content-Type.
pub(crate) fn charset_of(options: &Options) -> Result<Option<&'static Encoding>, ConfigError> {
    let charset = match &options.charset {
        None => None,
        Some(label) => Some(sniff::for_label(label).ok_or_else(|| {
            crate::options::invalid("charset", format!("unknown encoding label `{label:.40}`"))
        })?),
    };
    Ok(charset.or_else(|| {
        options
            .content_type
            .as_deref()
            .and_then(sniff::content_type_charset)
            .and_then(sniff::for_label)
    }))
}

/// Firefox's guess for undeclared bytes: no top-level domain known; UTF-8 allowed,
/// as the standard's autodetection step allows it; ISO-2022-JP not, as browsers
/// exclude it for pages (and because it encodes text as ASCII bytes, which pass
/// before the guess).
fn guess(bytes: &[u8], last: bool) -> &'static Encoding {
    use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, last);
    detector.guess(None, Utf8Detection::Allow)
}

/// Whether `bytes` is valid UTF-8 up to a sequence cut off at the end.
fn valid_utf8_prefix(bytes: &[u8]) -> bool {
    match core::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Characters in valid UTF-8: every byte that is not a continuation byte.
pub(crate) fn count_chars(text: &str) -> u64 {
    if text.is_ascii() {
        return text.len() as u64;
    }
    text.as_bytes()
        .iter()
        .filter(|&&b| (b as i8) >= -0x40)
        .count() as u64
}
