//! JSON-LD (`<script type="application/ld+json">`): the schema.org types a page
//! declares and what its article says of itself (headline, authors, dates,
//! publisher), as trafilatura and SEO checkers read them.
//!
//! A script is read whole, up to [`SCRIPT_CAP`] bytes (larger ones are skipped), and
//! parsed by a small JSON reader bounded in depth; a script that is not JSON is
//! skipped. Nothing here depends on how the page was split into chunks.

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::tree::collapse;
use crate::{MAX_META_ITEMS, META_CHARS};

/// Longest script read, in bytes.
pub const SCRIPT_CAP: usize = 256 * 1024;
/// Scripts read per page.
pub const MAX_SCRIPTS: u32 = 16;
/// Deepest nesting of arrays and objects read.
const DEPTH_CAP: u32 = 64;
/// Authors kept.
pub const MAX_AUTHORS: usize = 10;

/// What the page's JSON-LD says. The first article-like item (`Article`,
/// `NewsArticle`, `BlogPosting`, `Report`…, else the first item with a `headline`)
/// gives the fields; values are whitespace-collapsed and cut at [`META_CHARS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct JsonLd {
    /// Scripts read as JSON.
    pub scripts: u32,
    /// Scripts skipped: not JSON, or larger than [`SCRIPT_CAP`].
    pub invalid: u32,
    /// Every `@type` of the top-level items and of `@graph`, in order, without
    /// repeats, at most [`MAX_META_ITEMS`].
    pub types: Vec<String>,
    /// The article's `headline` (else its `name`).
    pub headline: Option<String>,
    /// The article's authors' names, at most [`MAX_AUTHORS`].
    pub authors: Vec<String>,
    /// The article's `datePublished`, as written.
    pub date_published: Option<String>,
    /// The article's `dateModified`, as written.
    pub date_modified: Option<String>,
    /// The article's publisher's name.
    pub publisher: Option<String>,
}

#[derive(Debug)]
enum Value {
    Scalar,
    Str(String),
    Arr(Vec<Value>),
    Obj(Vec<(String, Value)>),
}

impl Value {
    fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A value's name: itself if a string, else its `name`; the first of an array.
    fn name(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Obj(_) => self.get("name").and_then(Value::str),
            Value::Arr(items) => items.iter().find_map(Value::name),
            Value::Scalar => None,
        }
    }

    fn types(&self) -> Vec<&str> {
        match self.get("@type") {
            Some(Value::Str(s)) => vec![s.as_str()],
            Some(Value::Arr(items)) => items.iter().filter_map(Value::str).collect(),
            _ => Vec::new(),
        }
    }
}

impl JsonLd {
    /// Bytes held by its strings.
    pub(crate) fn carried_bytes(&self) -> usize {
        let one = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        let all = |v: &Vec<String>| v.iter().map(String::capacity).sum::<usize>();
        all(&self.types)
            + all(&self.authors)
            + one(&self.headline)
            + one(&self.date_published)
            + one(&self.date_modified)
            + one(&self.publisher)
    }

    /// Reads one script's text; `None` if it was cut at [`SCRIPT_CAP`].
    pub(crate) fn add(&mut self, text: Option<&str>) {
        let Some(value) = text.and_then(parse) else {
            self.invalid += 1;
            return;
        };
        self.scripts += 1;
        let mut items = Vec::new();
        let top: &[Value] = match &value {
            Value::Arr(all) => all,
            one => core::slice::from_ref(one),
        };
        for item in top {
            items.push(item);
            if let Some(Value::Arr(graph)) = item.get("@graph") {
                items.extend(graph.iter());
            }
        }
        for item in &items {
            for t in item.types() {
                let t = collapse(t, META_CHARS);
                if self.types.len() < MAX_META_ITEMS && !self.types.contains(&t) {
                    self.types.push(t);
                }
            }
        }
        if self.headline.is_some() || !self.authors.is_empty() {
            return;
        }
        let article = items
            .iter()
            .find(|i| i.types().iter().any(|t| article_like(t)))
            .or_else(|| items.iter().find(|i| i.get("headline").is_some()));
        if let Some(article) = article {
            self.article(article);
        }
    }

    fn article(&mut self, item: &Value) {
        let text = |key: &str| {
            item.get(key)
                .and_then(Value::name)
                .map(|s| collapse(s, META_CHARS))
        };
        self.headline = text("headline").or_else(|| text("name"));
        self.date_published = text("datePublished");
        self.date_modified = text("dateModified");
        self.publisher = text("publisher");
        let authors: &[Value] = match item.get("author") {
            Some(Value::Arr(all)) => all,
            Some(one) => core::slice::from_ref(one),
            None => &[],
        };
        for name in authors.iter().filter_map(Value::name) {
            let name = collapse(name, META_CHARS);
            if !name.is_empty() && self.authors.len() < MAX_AUTHORS && !self.authors.contains(&name)
            {
                self.authors.push(name);
            }
        }
    }
}

/// Whether a schema.org type is an article (`Article` and its subtypes, which
/// end in `Article`, and `BlogPosting`, `Report`, `Review`…).
fn article_like(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    t.ends_with("Article")
        || matches!(
            t,
            "BlogPosting" | "LiveBlogPosting" | "SocialMediaPosting" | "Report" | "Review"
        )
}

/// Parses a JSON text; `None` if it is not one. A `<![CDATA[ … ]]>` wrapper, which
/// XHTML habits leave around scripts (with `//` before each half), is taken off.
fn parse(text: &str) -> Option<Value> {
    let mut text = text.trim_ascii();
    let open = text.strip_prefix("//").unwrap_or(text).trim_ascii_start();
    if let Some(rest) = open.strip_prefix("<![CDATA[")
        && let Some(body) = rest.trim_ascii_end().strip_suffix("]]>")
    {
        let body = body.trim_ascii_end();
        text = body.strip_suffix("//").unwrap_or(body);
    }
    let mut p = Parser {
        b: text.as_bytes(),
        i: 0,
    };
    let value = p.value(0)?;
    p.space();
    (p.i == p.b.len()).then_some(value)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while self
            .b
            .get(self.i)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.space();
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    fn value(&mut self, depth: u32) -> Option<Value> {
        if depth > DEPTH_CAP {
            return None;
        }
        self.space();
        match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut fields = Vec::new();
                if self.eat(b'}') {
                    return Some(Value::Obj(fields));
                }
                loop {
                    self.space();
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    fields.push((key, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Some(Value::Obj(fields));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Value::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Value::Arr(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Value::Str),
            _ => {
                for word in [&b"true"[..], b"false", b"null"] {
                    if self.b[self.i..].starts_with(word) {
                        self.i += word.len();
                        return Some(Value::Scalar);
                    }
                }
                let start = self.i;
                while self
                    .b
                    .get(self.i)
                    .is_some_and(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                {
                    self.i += 1;
                }
                (self.i > start).then_some(Value::Scalar)
            }
        }
    }

    /// A string, escapes decoded (an unpaired surrogate becomes U+FFFD).
    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while self
                .b
                .get(self.i)
                .is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20)
            {
                self.i += 1;
            }
            // The input is a `str` and the stops are ASCII: a valid cut.
            out.push_str(core::str::from_utf8(&self.b[start..self.i]).ok()?);
            match *self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.i += 1;
                    let c = *self.b.get(self.i)?;
                    self.i += 1;
                    match c {
                        b'"' | b'\\' | b'/' => out.push(c as char),
                        b'b' | b'f' | b'n' | b'r' | b't' => out.push(' '),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi)
                                && self.b[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                hi
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i..self.i + 4)?;
        self.i += 4;
        u32::from_str_radix(core::str::from_utf8(digits).ok()?, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(scripts: &[&str]) -> JsonLd {
        let mut ld = JsonLd::default();
        for s in scripts {
            ld.add(Some(s));
        }
        ld
    }

    #[test]
    fn an_article_in_a_graph() {
        let ld = read(&[r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"Site"},
            {"@type":["NewsArticle","Article"],"headline":"  Big\nnews \u00e9 \ud83d\ude00 ",
             "author":[{"@type":"Person","name":"Ann Lee"},"Bo Chan",{"name":"Ann Lee"}],
             "datePublished":"2024-01-02T03:04:05Z","dateModified":"2024-01-03",
             "publisher":{"@type":"Organization","name":"The Paper"},"wordCount":512,
             "isAccessibleForFree":true,"x":null,"n":-1.5e3}]}"#]);
        assert_eq!(ld.types, ["WebSite", "NewsArticle", "Article"]);
        assert_eq!(ld.headline.as_deref(), Some("Big news é 😀"));
        assert_eq!(ld.authors, ["Ann Lee", "Bo Chan"]);
        assert_eq!(ld.date_published.as_deref(), Some("2024-01-02T03:04:05Z"));
        assert_eq!(ld.date_modified.as_deref(), Some("2024-01-03"));
        assert_eq!(ld.publisher.as_deref(), Some("The Paper"));
        assert_eq!((ld.scripts, ld.invalid), (1, 0));
    }

    #[test]
    fn the_first_article_wins_and_bad_scripts_are_counted() {
        let ld = read(&[
            r#"[{"@type":"BreadcrumbList"},{"@type":"BlogPosting","headline":"One","author":"A"}]"#,
            r#"{"@type":"Article","headline":"Two"} trailing"#,
            r#"{"@type":"Article","headline":"Three"}"#,
        ]);
        assert_eq!(ld.types, ["BreadcrumbList", "BlogPosting", "Article"]);
        assert_eq!(ld.headline.as_deref(), Some("One"));
        assert_eq!(ld.authors, ["A"]);
        assert_eq!((ld.scripts, ld.invalid), (2, 1));
    }

    #[test]
    fn cdata_wrappers_are_taken_off() {
        let ld = read(&[
            "\n <![CDATA[\n {\"@type\":\"A\"} ]]>\n",
            "//<![CDATA[\n{\"@type\":\"B\"}\n//]]>",
            "<![CDATA[{\"@type\":\"C\"}",
        ]);
        assert_eq!(ld.types, ["A", "B"]);
        assert_eq!(ld.invalid, 1);
    }

    #[test]
    fn hostile_json_is_refused_not_followed() {
        let deep = "[".repeat(100_000);
        let ld = read(&[&deep, "{\"a\":", "\"\\x\"", "{\"@type\":\"T\",}"]);
        assert_eq!((ld.scripts, ld.invalid), (0, 4));
        assert!(ld.types.is_empty());
    }
}
