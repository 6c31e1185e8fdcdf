//! The URL guard of the fetch proxy: which URLs may be fetched, and which addresses
//! may be connected to. The fetcher checks the URL with [`Guard::check_url`] before
//! anything else and every address it is about to connect to — after DNS, and again
//! on every redirect — with [`Guard::check_addr`]:
//! a host-name check alone is not enough, since IP literals and DNS answers can point
//! anywhere.
//!
//! URLs are parsed with the WHATWG URL parser (the `url` crate), so the numeric host
//! forms browsers accept — `2130706433`, `0x7f.1`, `017700000001`,
//! `[::ffff:127.0.0.1]` — arrive here as the addresses they mean.
//!
//! ```
//! use wca_guard::{Guard, Refusal};
//!
//! let guard = Guard::new(Vec::new());
//! assert!(guard.check_url("https://example.org/page").is_ok());
//! assert!(guard.check_url("ftp://example.org/").is_err());
//! // 2130706433 is 127.0.0.1, as a browser reads it: refused unless allowed.
//! assert!(matches!(
//!     guard.check_url("http://2130706433/"),
//!     Err(Refusal::Forbidden(_))
//! ));
//! assert!(guard.check_addr("93.184.215.14".parse().unwrap()).is_ok());
//! assert!(guard.check_addr("10.0.0.1".parse().unwrap()).is_err());
//! ```

#![deny(missing_docs)]

use std::net::IpAddr;

pub use url::{Host, Url};

/// Longest URL accepted, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// Why a URL or an address is refused. Each has a stable code for clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Not a URL the WHATWG parser accepts.
    #[error("the URL is not valid")]
    BadUrl,
    /// Longer than [`MAX_URL_BYTES`].
    #[error("the URL is longer than {MAX_URL_BYTES} bytes")]
    TooLong,
    /// Neither http nor https.
    #[error("only http and https URLs can be fetched")]
    Scheme,
    /// With a user name or a password.
    #[error("URLs with a user name or password are not fetched")]
    Userinfo,
    /// Without a host.
    #[error("the URL has no host")]
    NoHost,
    /// An address not allowed: private, loopback, link-local or reserved, and not in
    /// an allowed range. The address is for the server's log; clients are not told
    /// what a name resolves to.
    #[error("the address is private, loopback, link-local or otherwise reserved")]
    Forbidden(IpAddr),
    /// A port other than 80, 443 and those allowed (`--allow-port`): the proxy is no
    /// port scanner.
    #[error("only the web's ports (80 and 443) are fetched")]
    Port(u16),
}

impl Refusal {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::BadUrl => "bad_url",
            Refusal::TooLong => "url_too_long",
            Refusal::Scheme => "scheme_not_allowed",
            Refusal::Userinfo => "userinfo_not_allowed",
            Refusal::NoHost => "no_host",
            Refusal::Forbidden(_) => "address_not_allowed",
            Refusal::Port(_) => "port_not_allowed",
        }
    }

    /// What the server's log says: the message with the address or port refused.
    pub fn detail(&self) -> String {
        match self {
            Refusal::Forbidden(ip) => format!("{self}: {ip}"),
            Refusal::Port(port) => format!("{self}: port {port}"),
            _ => self.to_string(),
        }
    }
}

/// The ports a guard lets through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ports {
    /// These (80 and 443 by default).
    Only(Vec<u16>),
    /// Any port: for development against local servers.
    Any,
}

impl Default for Ports {
    fn default() -> Self {
        Ports::Only(vec![80, 443])
    }
}

/// An address range, like `127.0.0.1/32` or `::1/128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Whether `ip` lies in this range (IPv4 never matches an IPv6 range or back).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_eq(
                u128::from(net.to_bits()) << 96,
                u128::from(ip.to_bits()) << 96,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(net.to_bits(), ip.to_bits(), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, prefix: u8) -> bool {
    prefix == 0 || (a ^ b) >> (128 - u32::from(prefix)) == 0
}

impl std::str::FromStr for Cidr {
    type Err = String;

    /// `ADDR/PREFIX`, or a bare address for a single host.
    fn from_str(s: &str) -> Result<Self, String> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{s}` is not an address or CIDR range"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|&p| p <= max)
                .ok_or_else(|| format!("`{s}` has a bad prefix length"))?,
        };
        Ok(Cidr { addr, prefix })
    }
}

/// Ranges refused unless an operator allows them: unspecified, private, shared,
/// loopback, link-local, documentation, benchmarking, multicast and reserved space,
/// the deprecated 6to4 relay anycast (192.88.99.0/24), and the IPv6 forms that embed
/// or tunnel IPv4 (mapped, translated, compatible, NAT64, 6to4, Teredo), whose IPv4
/// part could be anything; also IPv6 discard-only (100::/64, 100:0:0:1::/64), the
/// IETF protocol assignments (2001::/23, ORCHID included), the new documentation
/// prefix (3fff::/20) and SRv6 SIDs (5f00::/16). IPv6 outside global unicast
/// (2000::/3) is refused whole.
const FORBIDDEN: &[&str] = &[
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "::ffff:0:0/96",
    "::ffff:0:0:0/96",
    "::/96",
    "100::/64",
    "100:0:0:1::/64",
    "64:ff9b::/96",
    "64:ff9b:1::/48",
    "2001::/23",
    "2001::/32",
    "2001:db8::/32",
    "2002::/16",
    "3fff::/20",
    "5f00::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
];

/// [`FORBIDDEN`], parsed once: an entry that does not parse is a bug, found by the
/// first check (and by the tests), never dropped.
static FORBIDDEN_CIDRS: std::sync::LazyLock<Vec<Cidr>> = std::sync::LazyLock::new(|| {
    FORBIDDEN
        .iter()
        .map(|c| {
            c.parse()
                .unwrap_or_else(|e| panic!("the guard's table: {e}"))
        })
        .collect()
});

/// Global unicast IPv6, the only IPv6 space fetched from.
const GLOBAL_UNICAST: Cidr = Cidr {
    addr: IpAddr::V6(std::net::Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0)),
    prefix: 3,
};

/// Whether `ip` is in one of the refused ranges.
pub fn is_forbidden(ip: IpAddr) -> bool {
    ip.is_ipv6() && !GLOBAL_UNICAST.contains(ip) || FORBIDDEN_CIDRS.iter().any(|c| c.contains(ip))
}

/// The checks, with the ranges and ports an operator allowed (`--allow-net`,
/// `--allow-port`).
#[derive(Debug, Clone, Default)]
pub struct Guard {
    allowed: Vec<Cidr>,
    ports: Ports,
}

impl Guard {
    /// The checks, letting through the ranges in `allowed` too.
    pub fn new(allowed: Vec<Cidr>) -> Self {
        Self {
            allowed,
            ports: Ports::default(),
        }
    }

    /// The same, with the ports let through.
    pub fn with_ports(mut self, ports: Ports) -> Self {
        self.ports = ports;
        self
    }

    /// Parses and checks a URL: http or https, no user info, bounded length, and, for
    /// an IP literal host, an allowed address.
    pub fn check_url(&self, url: &str) -> Result<Url, Refusal> {
        if url.len() > MAX_URL_BYTES {
            return Err(Refusal::TooLong);
        }
        let parsed = Url::parse(url).map_err(|_| Refusal::BadUrl)?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Refusal::Scheme);
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Refusal::Userinfo);
        }
        match parsed.host() {
            None => return Err(Refusal::NoHost),
            Some(Host::Ipv4(ip)) => self.check_addr(IpAddr::V4(ip))?,
            Some(Host::Ipv6(ip)) => self.check_addr(IpAddr::V6(ip))?,
            Some(Host::Domain(_)) => {}
        }
        let port = parsed.port_or_known_default().unwrap_or(0);
        if let Ports::Only(ports) = &self.ports
            && !ports.contains(&port)
        {
            return Err(Refusal::Port(port));
        }
        Ok(parsed)
    }

    /// Checks an address about to be connected to.
    pub fn check_addr(&self, ip: IpAddr) -> Result<(), Refusal> {
        if self.allowed.iter().any(|c| c.contains(ip)) || !is_forbidden(ip) {
            Ok(())
        } else {
            Err(Refusal::Forbidden(ip))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn v4(s: &str) -> IpAddr {
        IpAddr::V4(s.parse::<Ipv4Addr>().unwrap())
    }

    fn v6(s: &str) -> IpAddr {
        IpAddr::V6(s.parse::<Ipv6Addr>().unwrap())
    }

    #[test]
    fn the_deny_table() {
        let refused = [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "127.255.255.254",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ];
        for ip in refused {
            assert!(is_forbidden(v4(ip)), "{ip} must be refused");
        }
        let refused6 = [
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::",
            "2001::1",
            "2001:10::1",
            "2001:1ff::1",
            "::ffff:0:7f00:1",
            "100::1",
            "3fff:1::1",
            "5f00::1",
            "2001:db8::1",
            "fc00::1",
            "fdff::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
        ];
        for ip in refused6 {
            assert!(is_forbidden(v6(ip)), "{ip} must be refused");
        }
        let allowed = [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.169.0.1",
            "198.20.0.1",
        ];
        for ip in allowed {
            assert!(!is_forbidden(v4(ip)), "{ip} must be allowed");
        }
        for ip in ["2606:4700::1111", "2a00:1450::1", "2001:4860:4860::8888"] {
            assert!(!is_forbidden(v6(ip)), "{ip} must be allowed");
        }
    }

    #[test]
    fn urls_are_checked_after_parsing() {
        let guard = Guard::default();
        let cases: &[(&str, Option<&str>)] = &[
            ("https://example.org/page", None),
            ("http://example.org:443/", None),
            ("https://example.org:80/", None),
            ("http://example.org:8080/", Some("port_not_allowed")),
            ("http://example.org:22/", Some("port_not_allowed")),
            ("https://example.org:25/", Some("port_not_allowed")),
            ("ftp://example.org/", Some("scheme_not_allowed")),
            ("file:///etc/passwd", Some("scheme_not_allowed")),
            ("javascript:alert(1)", Some("scheme_not_allowed")),
            (
                "http://user:pass@example.org/",
                Some("userinfo_not_allowed"),
            ),
            ("http://user@example.org/", Some("userinfo_not_allowed")),
            ("not a url", Some("bad_url")),
            ("http://127.0.0.1/", Some("address_not_allowed")),
            ("http://2130706433/", Some("address_not_allowed")),
            ("http://0x7f.1/", Some("address_not_allowed")),
            ("http://017700000001/", Some("address_not_allowed")),
            ("http://0177.0.0.1/", Some("address_not_allowed")),
            ("http://[::ffff:127.0.0.1]/", Some("address_not_allowed")),
            ("http://[::1]:8080/", Some("address_not_allowed")),
            ("http://[fe80::1]/", Some("address_not_allowed")),
            ("http://[4000::1]/", Some("address_not_allowed")),
            (
                "http://169.254.169.254/latest/meta-data/",
                Some("address_not_allowed"),
            ),
            ("http://0/", Some("address_not_allowed")),
        ];
        for (url, want) in cases {
            let got = guard.check_url(url).err().map(|r| r.code());
            assert_eq!(got, *want, "{url}");
        }
        let long = format!("http://example.org/{}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(guard.check_url(&long).unwrap_err(), Refusal::TooLong);
    }

    #[test]
    fn every_entry_of_the_table_parses() {
        assert_eq!(FORBIDDEN_CIDRS.len(), FORBIDDEN.len());
        for entry in FORBIDDEN {
            assert!(entry.parse::<Cidr>().is_ok(), "{entry}");
        }
        for ip in ["192.88.99.1", "100:0:0:1::7"] {
            assert!(is_forbidden(ip.parse().unwrap()), "{ip} must be refused");
        }
        // Outside global unicast: refused whatever the table says.
        for ip in ["4000::1", "8000::1", "1::1", "e000::1"] {
            assert!(is_forbidden(v6(ip)), "{ip} must be refused");
        }
    }

    /// Clients are told what was refused, never the address behind a name.
    #[test]
    fn refusals_name_no_address() {
        let r = Refusal::Forbidden(v4("10.2.3.4"));
        assert!(!r.to_string().contains("10.2.3.4"), "{r}");
        assert!(r.detail().contains("10.2.3.4"));
        assert!(!Refusal::Port(22).to_string().contains("22"));
    }

    #[test]
    fn operators_can_allow_ports() {
        let only = Guard::default().with_ports(Ports::Only(vec![443, 8443]));
        assert!(only.check_url("https://example.org:8443/").is_ok());
        assert_eq!(
            only.check_url("http://example.org/").unwrap_err(),
            Refusal::Port(80)
        );
        assert!(
            Guard::default()
                .with_ports(Ports::Any)
                .check_url("http://example.org:22/")
                .is_ok()
        );
    }

    #[test]
    fn operators_can_allow_ranges() {
        let guard = Guard::new(vec![
            "127.0.0.1/32".parse().unwrap(),
            "fd00::/8".parse().unwrap(),
        ])
        .with_ports(Ports::Any);
        assert!(
            guard
                .check_url("http://127.0.0.1:9000/fixture.html")
                .is_ok()
        );
        assert!(guard.check_addr(v4("127.0.0.2")).is_err());
        assert!(guard.check_addr(v6("fd12::1")).is_ok());
        assert!(guard.check_addr(v4("10.0.0.1")).is_err());
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("nonsense".parse::<Cidr>().is_err());
        assert_eq!(
            "::1".parse::<Cidr>().map(|c| c.contains(v6("::1"))),
            Ok(true)
        );
    }
}
