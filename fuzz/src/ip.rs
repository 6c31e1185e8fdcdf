//! An oracle for the URL guard, written apart from it: the refused ranges as integers
//! and masks over std's `Ipv4Addr::to_bits` and `Ipv6Addr::to_bits`, where the guard
//! parses CIDR strings and shifts `u128`s. The table is the one the fetch-proxy issue
//! and `wca-guard`'s docs give; a range added to one and not the other fails here.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Refused IPv4 ranges: unspecified ("this network"), private, shared (CGNAT),
/// loopback, link-local, IETF protocol assignments, the three documentation nets,
/// the 6to4 relay anycast, benchmarking, multicast, reserved and broadcast.
pub const V4: &[([u8; 4], u32)] = &[
    ([0, 0, 0, 0], 8),
    ([10, 0, 0, 0], 8),
    ([100, 64, 0, 0], 10),
    ([127, 0, 0, 0], 8),
    ([169, 254, 0, 0], 16),
    ([172, 16, 0, 0], 12),
    ([192, 0, 0, 0], 24),
    ([192, 0, 2, 0], 24),
    ([192, 88, 99, 0], 24),
    ([192, 168, 0, 0], 16),
    ([198, 18, 0, 0], 15),
    ([198, 51, 100, 0], 24),
    ([203, 0, 113, 0], 24),
    ([224, 0, 0, 0], 4),
    ([240, 0, 0, 0], 4),
];

/// Refused IPv6 ranges: unspecified, loopback, IPv4-mapped, IPv4-translated,
/// IPv4-compatible, discard-only, NAT64 (well-known and local-use), the IETF protocol
/// assignments (Teredo and ORCHID among them), documentation (old and new), 6to4,
/// SRv6 SIDs, unique local, link-local, site-local and multicast.
pub const V6: &[([u16; 8], u32)] = &[
    ([0, 0, 0, 0, 0, 0, 0, 0], 128),
    ([0, 0, 0, 0, 0, 0, 0, 1], 128),
    ([0, 0, 0, 0, 0, 0xffff, 0, 0], 96),
    ([0, 0, 0, 0, 0xffff, 0, 0, 0], 96),
    ([0, 0, 0, 0, 0, 0, 0, 0], 96),
    ([0x100, 0, 0, 0, 0, 0, 0, 0], 64),
    ([0x100, 0, 0, 1, 0, 0, 0, 0], 64),
    ([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96),
    ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48),
    ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23),
    ([0x2001, 0, 0, 0, 0, 0, 0, 0], 32),
    ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32),
    ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16),
    ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20),
    ([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16),
    ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7),
    ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10),
    ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10),
    ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8),
];

/// The top `prefix` bits set, of 32.
pub fn mask4(prefix: u32) -> u32 {
    u32::MAX.checked_shl(32 - prefix).unwrap_or(0)
}

/// The top `prefix` bits set, of 128.
pub fn mask6(prefix: u32) -> u128 {
    u128::MAX.checked_shl(128 - prefix).unwrap_or(0)
}

/// Network `net`, `prefix` bits long, as bits.
pub fn net4(net: [u8; 4]) -> u32 {
    Ipv4Addr::from(net).to_bits()
}

/// Network `net`, `prefix` bits long, as bits.
pub fn net6(net: [u16; 8]) -> u128 {
    let [a, b, c, d, e, f, g, h] = net;
    Ipv6Addr::new(a, b, c, d, e, f, g, h).to_bits()
}

/// Whether `ip` is in `net/prefix` (the network's host bits are ignored, as
/// `10.1.2.3/8` means `10.0.0.0/8`). Different families never match.
pub fn in_range(net: IpAddr, prefix: u32, ip: IpAddr) -> bool {
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) => (n.to_bits() ^ a.to_bits()) & mask4(prefix) == 0,
        (IpAddr::V6(n), IpAddr::V6(a)) => (n.to_bits() ^ a.to_bits()) & mask6(prefix) == 0,
        _ => false,
    }
}

/// Whether the table refuses `ip`.
pub fn forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => V4
            .iter()
            .any(|&(net, p)| (net4(net) ^ a.to_bits()) & mask4(p) == 0),
        // Only global unicast (the top three bits 001) is fetched from at all.
        IpAddr::V6(a) => {
            a.to_bits() >> 125 != 0b001
                || V6
                    .iter()
                    .any(|&(net, p)| (net6(net) ^ a.to_bits()) & mask6(p) == 0)
        }
    }
}

/// WHATWG's "ends in a number" check (URL Standard, host parsing): a host whose last
/// label (after one trailing dot) is all digits or `0x` and hex digits is parsed as
/// IPv4, so it must never come back as a domain name.
pub fn ends_in_a_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or(host);
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let hex = last.strip_prefix("0x").or_else(|| last.strip_prefix("0X"));
    hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oracle_on_known_addresses() {
        for ip in [
            "127.0.0.1",
            "10.9.8.7",
            "::ffff:1.2.3.4",
            "fe80::1",
            "255.255.255.255",
            "::",
        ] {
            assert!(forbidden(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "100.128.0.0", "2606:4700::1111", "2001:4860::1"] {
            assert!(!forbidden(ip.parse().unwrap()), "{ip}");
        }
        assert!(ends_in_a_number("example.0x1f"));
        assert!(ends_in_a_number("1.2.3.4."));
        assert!(!ends_in_a_number("example.org"));
        assert!(!ends_in_a_number("0x1g"));
    }
}
