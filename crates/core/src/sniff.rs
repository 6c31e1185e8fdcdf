//! Deciding what the bytes are before decoding them: the format (text or HTML) and
//! the character encoding, from the first bytes of the input and the caller's hints.
//!
//! Encoding precedence follows the WHATWG Encoding and HTML standards: a byte order
//! mark wins; then the charset the caller got out of band (HTTP's Content-Type); then,
//! for HTML, a `<meta charset>` or `http-equiv` declaration found by the prescan of the
//! first 1024 bytes ("prescan a byte stream to determine its encoding", HTML §13.2.3.2);
//! then a fallback: windows-1252 for HTML, as browsers do, and UTF-8 for text.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Bytes the prescan looks at, per the HTML standard.
pub(crate) const PRESCAN_BYTES: usize = 1024;

/// How the encoding of the input was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum EncodingSource {
    /// A byte order mark.
    Bom,
    /// The caller's charset or Content-Type.
    Hint,
    /// Declared in the page (`<meta charset>` or `http-equiv`).
    Meta,
    /// Undeclared in HTML, and found: valid UTF-8 in the first KiB, else the guess
    /// of Firefox's detector (`chardetng`) on the first non-ASCII bytes.
    Detected,
    /// The fallback: UTF-8 for text, windows-1252 for HTML.
    Default,
}

impl EncodingSource {
    /// The name the report gives it: `bom`, `hint`, `meta`, `detected`, `default`.
    pub fn as_str(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Hint => "hint",
            EncodingSource::Meta => "meta",
            EncodingSource::Detected => "detected",
            EncodingSource::Default => "default",
        }
    }
}

impl core::fmt::Display for EncodingSource {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `head` (the first bytes, after any BOM) looks like HTML: a doctype, an
/// `<html>` tag, a comment or any leading tag after optional whitespace.
pub(crate) fn looks_like_html(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let rest = &head[start..];
    let starts_with = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
    starts_with(b"<!doctype html")
        || starts_with(b"<!--")
        || (rest.len() >= 2 && rest[0] == b'<' && rest[1].is_ascii_alphabetic())
}

/// Whether a Content-Type says HTML (`Some(true)`), text (`Some(false)`), or neither.
pub(crate) fn content_type_is_html(content_type: &str) -> Option<bool> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html"
        | "application/xhtml+xml"
        | "image/svg+xml"
        | "text/xml"
        | "application/xml" => Some(true),
        "text/plain" | "text/markdown" | "text/csv" => Some(false),
        _ => None,
    }
}

/// The `charset` parameter of a Content-Type, if any.
pub(crate) fn content_type_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The encoding for an out-of-band or declared label; `None` if unknown.
pub(crate) fn for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// The HTML prescan: the encoding declared by a `<meta>` in `head`, if any.
/// Declarations of UTF-16 mean UTF-8 (the bytes were readable as ASCII, so they are
/// not UTF-16) and x-user-defined means windows-1252, as the standard says.
pub(crate) fn prescan(head: &[u8]) -> Option<&'static Encoding> {
    let b = &head[..head.len().min(PRESCAN_BYTES)];
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
        } else if b.len() - i >= 6
            && b[i..i + 5].eq_ignore_ascii_case(b"<meta")
            && is_space_or_slash(b[i + 5])
        {
            i += 5;
            let mut http_equiv_content_type = false;
            let mut charset: Option<&'static Encoding> = None;
            let mut content_charset: Option<&'static Encoding> = None;
            while let Some((name, value, next)) = attribute(b, i) {
                i = next;
                match name.to_ascii_lowercase().as_slice() {
                    b"http-equiv" => {
                        http_equiv_content_type = value.eq_ignore_ascii_case(b"content-type")
                    }
                    b"charset" => charset = charset.or_else(|| Encoding::for_label(trim(&value))),
                    b"content" => {
                        content_charset = content_charset.or_else(|| charset_from_content(&value))
                    }
                    _ => {}
                }
            }
            let found = charset.or(if http_equiv_content_type {
                content_charset
            } else {
                None
            });
            if let Some(enc) = found {
                return Some(if enc == UTF_16BE || enc == UTF_16LE {
                    UTF_8
                } else if enc.name() == "x-user-defined" {
                    WINDOWS_1252
                } else {
                    enc
                });
            }
        } else if b[i] == b'<'
            && i + 1 < b.len()
            && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'/')
        {
            // Another tag: skip its name and attributes so that a `<meta` inside an
            // attribute value is not taken for a declaration.
            i += 1;
            while i < b.len() && !is_space_or_slash(b[i]) && b[i] != b'>' {
                i += 1;
            }
            while let Some((_, _, next)) = attribute(b, i) {
                i = next;
            }
        } else if b[i] == b'<' && i + 1 < b.len() && matches!(b[i + 1], b'!' | b'?') {
            i = find(b, i, b">").map_or(b.len(), |e| e + 1);
        } else {
            i += 1;
        }
    }
    None
}

fn is_space_or_slash(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/')
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &v[start..end]
}

/// "Get an attribute" from the prescan algorithm: the next attribute at `i`, its
/// lowercased value, and where parsing continues; `None` at `>` or the end.
fn attribute(b: &[u8], mut i: usize) -> Option<(Vec<u8>, Vec<u8>, usize)> {
    while i < b.len() && is_space_or_slash(b[i]) {
        i += 1;
    }
    if i >= b.len() || b[i] == b'>' {
        return None;
    }
    let mut name = Vec::new();
    while i < b.len()
        && !(is_space_or_slash(b[i]) || b[i] == b'>' || (b[i] == b'=' && !name.is_empty()))
    {
        name.push(b[i].to_ascii_lowercase());
        i += 1;
    }
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    if i >= b.len() || b[i] != b'=' {
        return Some((name, Vec::new(), i));
    }
    i += 1;
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    let mut value = Vec::new();
    if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
        let quote = b[i];
        i += 1;
        while i < b.len() && b[i] != quote {
            value.push(b[i].to_ascii_lowercase());
            i += 1;
        }
        i += 1;
    } else {
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
            value.push(b[i].to_ascii_lowercase());
            i += 1;
        }
    }
    Some((name, value, i.min(b.len())))
}

/// "Extract a character encoding from a meta element" (`text/html; charset=koi8-r`).
fn charset_from_content(content: &[u8]) -> Option<&'static Encoding> {
    let pos = content
        .windows(7)
        .position(|w| w.eq_ignore_ascii_case(b"charset"))?;
    let rest = trim(&content[pos + 7..]);
    let rest = rest.strip_prefix(b"=")?;
    let rest = trim(rest);
    let value = match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let end = rest[1..].iter().position(|&c| c == q)?;
            &rest[1..=end]
        }
        _ => {
            let end = rest
                .iter()
                .position(|&c| c.is_ascii_whitespace() || c == b';')
                .unwrap_or(rest.len());
            &rest[..end]
        }
    };
    Encoding::for_label(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prescan_finds_declarations() {
        let cases: &[(&str, &[u8], Option<&str>)] = &[
            (
                "meta charset",
                b"<html><head><meta charset=\"iso-8859-2\">",
                Some("ISO-8859-2"),
            ),
            ("unquoted", b"<meta charset=koi8-r>", Some("KOI8-R")),
            (
                "http-equiv",
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">",
                Some("Shift_JIS"),
            ),
            (
                "content without http-equiv",
                b"<meta content=\"text/html; charset=Shift_JIS\">",
                None,
            ),
            (
                "inside a comment",
                b"<!-- <meta charset=koi8-r> --><p>",
                None,
            ),
            (
                "inside an attribute",
                b"<a title='<meta charset=koi8-r>'>",
                None,
            ),
            (
                "utf-16 means utf-8",
                b"<meta charset=utf-16le>",
                Some("UTF-8"),
            ),
            ("unknown label", b"<meta charset=bogus>", None),
            ("none", b"<p>plain</p>", None),
        ];
        for (name, html, want) in cases {
            assert_eq!(prescan(html).map(|e| e.name()), *want, "{name}");
        }
        let mut late = vec![b' '; PRESCAN_BYTES];
        late.extend_from_slice(b"<meta charset=koi8-r>");
        assert_eq!(prescan(&late), None, "only the first 1024 bytes count");
    }

    #[test]
    fn sniffing_and_content_types() {
        assert!(looks_like_html(b"  <!DOCTYPE html><html>"));
        assert!(looks_like_html(b"<p>hi"));
        assert!(!looks_like_html(b"a < b and c > d"));
        assert!(!looks_like_html(b"< not a tag"));
        assert_eq!(content_type_is_html("text/html; charset=UTF-8"), Some(true));
        assert_eq!(content_type_is_html("text/plain"), Some(false));
        assert_eq!(content_type_is_html("application/octet-stream"), None);
        assert_eq!(
            content_type_charset("text/html; Charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(content_type_charset("text/html"), None);
    }
}
