//! The URL guard on arbitrary strings: a URL it lets through never names a refused
//! address, a URL it refuses for its address is refused rightly, and the URL as the
//! `url` crate re-serializes it is the one that was checked.
//!
//! The first byte picks a frame so that most inputs reach host parsing: the raw
//! string, `http://…`, `http://[…]/` or `https://…:443/x`.

#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use libfuzzer_sys::fuzz_target;
use wca_fuzz::ip;
use wca_guard::{Guard, Host, MAX_URL_BYTES, Refusal, Url};

fuzz_target!(|data: &[u8]| {
    let Some((&frame, rest)) = data.split_first() else {
        return;
    };
    let s = String::from_utf8_lossy(rest);
    let input = match frame % 4 {
        0 => s.into_owned(),
        1 => format!("http://{s}"),
        2 => format!("http://[{s}]/"),
        _ => format!("https://{s}:443/x"),
    };
    check(&input);
});

fn check(input: &str) {
    let guard = Guard::default();
    match guard.check_url(input) {
        Ok(url) => allowed(&guard, input, &url),
        Err(Refusal::Forbidden(addr)) => {
            assert!(
                ip::forbidden(addr),
                "{input:?}: refused {addr}, which the table allows"
            );
            let host = Url::parse(input).ok().and_then(|u| host_ip(&u));
            assert_eq!(
                host,
                Some(addr),
                "{input:?}: refused an address that is not its host"
            );
        }
        Err(refusal) => refused_for_another_reason(input, &refusal),
    }
}

fn host_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(a) => Some(IpAddr::V4(a)),
        Host::Ipv6(a) => Some(IpAddr::V6(a)),
        Host::Domain(_) => None,
    }
}

fn allowed(guard: &Guard, input: &str, url: &Url) {
    assert!(matches!(url.scheme(), "http" | "https"), "{input:?}");
    assert!(
        matches!(url.port_or_known_default(), Some(80 | 443)),
        "{input:?}: allowed port {:?}",
        url.port()
    );
    assert!(
        url.username().is_empty() && url.password().is_none(),
        "{input:?}"
    );
    match url.host() {
        None => panic!("{input:?}: allowed without a host"),
        Some(Host::Ipv4(a)) => {
            assert!(!ip::forbidden(IpAddr::V4(a)), "{input:?}: allowed {a}");
            // The host as it will be written on the wire and resolved.
            let text = url.host_str().unwrap_or_default();
            assert_eq!(
                text.parse::<Ipv4Addr>().ok(),
                Some(a),
                "{input:?}: host {text}"
            );
        }
        Some(Host::Ipv6(a)) => {
            assert!(!ip::forbidden(IpAddr::V6(a)), "{input:?}: allowed {a}");
            let text = url.host_str().unwrap_or_default();
            let inner = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
            assert_eq!(
                inner.and_then(|t| t.parse::<Ipv6Addr>().ok()),
                Some(a),
                "{input:?}: host {text}"
            );
        }
        Some(Host::Domain(d)) => {
            // A name here goes to DNS, and its answers to `check_addr`; a name that
            // is really an address would skip the table when the resolver reads it
            // as one (`inet_aton` takes `127.1` and `0x7f.1`).
            assert!(
                d.parse::<IpAddr>().is_err(),
                "{input:?}: address {d} taken as a name"
            );
            assert!(
                !ip::ends_in_a_number(d),
                "{input:?}: numeric host {d} taken as a name"
            );
            assert!(
                !d.is_empty() && !d.contains(['[', ']', '@', ':', '/']),
                "{input:?}: host {d:?}"
            );
        }
    }
    // What the fetcher sends is the serialization; it must parse back to the same URL
    // and pass the same check.
    let again = Url::parse(url.as_str())
        .unwrap_or_else(|e| panic!("{input:?}: {} does not parse: {e}", url.as_str()));
    assert_eq!(&again, url, "{input:?}: serialization is not stable");
    if url.as_str().len() <= MAX_URL_BYTES {
        assert_eq!(guard.check_url(url.as_str()).as_ref(), Ok(url), "{input:?}");
    }
}

/// A refusal for anything but the address must be right on its own terms, so that
/// the guard never refuses a good URL by accident either.
fn refused_for_another_reason(input: &str, refusal: &Refusal) {
    let parsed = Url::parse(input);
    let expected = if input.len() > MAX_URL_BYTES {
        Refusal::TooLong
    } else if let Ok(url) = &parsed {
        if !matches!(url.scheme(), "http" | "https") {
            Refusal::Scheme
        } else if !url.username().is_empty() || url.password().is_some() {
            Refusal::Userinfo
        } else if url.host().is_none() {
            Refusal::NoHost
        } else if let Some(port) = url.port_or_known_default().filter(|p| ![80, 443].contains(p)) {
            Refusal::Port(port)
        } else {
            panic!("{input:?}: refused ({refusal:?}) though it is a good http(s) URL")
        }
    } else {
        Refusal::BadUrl
    };
    assert_eq!(refusal, &expected, "{input:?}");
}
