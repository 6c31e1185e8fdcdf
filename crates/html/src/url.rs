//! Just enough of the URL standard to tell a link's host from the page's: scheme,
//! authority and host, no percent-decoding or IDNA (hosts compare as written,
//! lowercased).

use std::borrow::Cow;

/// What a page's links are resolved against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Base {
    /// Lowercased; empty if unknown.
    scheme: String,
    /// Lowercased, without userinfo, port or trailing dot.
    host: Option<String>,
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum LinkKind {
    /// The page's host, or a relative URL.
    Internal,
    /// Another host, lowercased.
    External(String),
    /// No page elsewhere: `mailto:`, `javascript:`, `tel:`, `data:`, a fragment of this
    /// page, an empty `href`, or a URL that does not parse.
    Other,
}

/// Schemes whose URLs have a host that may be the page's (URL § 4.1 "special", less
/// `file`).
fn is_network(scheme: &str) -> bool {
    ["http", "https", "ftp", "ws", "wss"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme))
}

/// Strips what the URL parser ignores: leading and trailing C0 controls and spaces,
/// and tabs and newlines anywhere.
fn clean(url: &str) -> Cow<'_, str> {
    let url = url.trim_matches(|c: char| c <= ' ');
    if url.contains(['\t', '\n', '\r']) {
        Cow::Owned(
            url.chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect(),
        )
    } else {
        Cow::Borrowed(url)
    }
}

fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut bytes = scheme.bytes();
    let first = bytes.next()?;
    (first.is_ascii_alphabetic()
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
    .then(|| (scheme, &url[colon + 1..]))
}

fn starts_with_two_slashes(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 2 && matches!(b[0], b'/' | b'\\') && matches!(b[1], b'/' | b'\\')
}

/// The host of an authority that starts `rest` after any slashes.
fn host(rest: &str) -> Option<String> {
    let rest = rest.trim_start_matches(['/', '\\']);
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port
            .find(']')
            .map_or(host_port, |close| &host_port[..=close])
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

impl Base {
    /// The base of a document at `url`, an absolute URL.
    pub(super) fn parse(url: &str) -> Option<Base> {
        let url = clean(url);
        let (scheme, rest) = split_scheme(&url)?;
        let host = if is_network(scheme) { host(rest) } else { None };
        Some(Base {
            scheme: scheme.to_ascii_lowercase(),
            host,
        })
    }

    /// The base that `<base href>` sets, resolved against the document's.
    pub(super) fn with_href(document: Option<&Base>, href: &str) -> Option<Base> {
        let cleaned = clean(href);
        if split_scheme(&cleaned).is_some() {
            return Base::parse(&cleaned);
        }
        if starts_with_two_slashes(&cleaned) {
            return Some(Base {
                scheme: document.map(|d| d.scheme.clone()).unwrap_or_default(),
                host: host(&cleaned),
            });
        }
        document.cloned()
    }

    /// Bytes held.
    pub(super) fn carried_bytes(&self) -> usize {
        self.scheme.capacity() + self.host.as_ref().map_or(0, String::capacity)
    }
}

/// Where a link with this `href` leads from a page with this base.
pub(super) fn classify(href: &str, base: Option<&Base>) -> LinkKind {
    let href = clean(href);
    if href.is_empty() || href.starts_with('#') {
        return LinkKind::Other;
    }
    let target = match split_scheme(&href) {
        Some((scheme, rest)) => {
            if !is_network(scheme) {
                return LinkKind::Other;
            }
            // `http:path` is relative to an http: base (URL § 4.4 "special relative or
            // authority state").
            if !starts_with_two_slashes(rest)
                && base.is_some_and(|b| b.scheme.eq_ignore_ascii_case(scheme))
            {
                return LinkKind::Internal;
            }
            host(rest)
        }
        None if starts_with_two_slashes(&href) => host(&href),
        None => return LinkKind::Internal,
    };
    match (target, base.and_then(|b| b.host.as_deref())) {
        (None, _) => LinkKind::Other,
        (Some(target), Some(page)) if target == page => LinkKind::Internal,
        (Some(target), _) => LinkKind::External(target),
    }
}
