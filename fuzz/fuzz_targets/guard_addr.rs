//! Addresses through `check_addr`, `is_forbidden` and `Cidr`, against the oracle in
//! `src/ip.rs`.
//!
//! Input: 16 address bytes (also read as IPv4 from the first 4), a mode byte, 16
//! bytes and a prefix byte for an operator's `--allow-net` range, then a free string
//! for `Cidr`'s parser. Mode 1 moves the address into a table range chosen by the
//! next byte, mode 2 to just outside it (its last network bit flipped), so range
//! edges are hit as often as the middle of the space.

#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use libfuzzer_sys::fuzz_target;
use wca_fuzz::ip;
use wca_guard::{Cidr, Guard, Refusal, is_forbidden};

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.iter().copied().chain(std::iter::repeat(0));
    let mut take16 = || -> [u8; 16] { std::array::from_fn(|_| bytes.next().unwrap_or(0)) };
    let raw = take16();
    let allow = take16();
    let rest = data.get(32..).unwrap_or_default();
    let (mode, pick, prefix) = match rest {
        [m, p, x, ..] => (*m, *p, *x),
        [m, p] => (*m, *p, 0),
        [m] => (*m, 0, 0),
        [] => (0, 0, 0),
    };
    let free = rest.get(3..).unwrap_or_default();

    let mut v6 = u128::from_be_bytes(raw);
    let mut v4 = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    if mode % 3 != 0 {
        let (net, p) = ip::V4[usize::from(pick) % ip::V4.len()];
        v4 = (ip::net4(net) & ip::mask4(p)) | (v4 & !ip::mask4(p));
        let (net, q) = ip::V6[usize::from(pick) % ip::V6.len()];
        v6 = (ip::net6(net) & ip::mask6(q)) | (v6 & !ip::mask6(q));
        if mode % 3 == 2 {
            v4 ^= 1u32.checked_shl(32 - p).unwrap_or(0);
            v6 ^= 1u128.checked_shl(128 - q).unwrap_or(0);
        }
    }
    let addrs = [
        IpAddr::V4(Ipv4Addr::from_bits(v4)),
        IpAddr::V6(Ipv6Addr::from_bits(v6)),
        IpAddr::V6(Ipv4Addr::from_bits(v4).to_ipv6_mapped()),
    ];

    let guard = Guard::default();
    for addr in addrs {
        let refused = ip::forbidden(addr);
        assert_eq!(is_forbidden(addr), refused, "is_forbidden({addr})");
        match guard.check_addr(addr) {
            Ok(()) => assert!(!refused, "{addr} allowed"),
            Err(Refusal::Forbidden(a)) => {
                assert!(refused, "{addr} refused");
                assert_eq!(a, addr);
            }
            Err(other) => panic!("{addr}: unexpected refusal {other:?}"),
        }
    }

    // An operator's range: `ADDR/PREFIX` parses exactly when the prefix fits the
    // family, matches exactly the addresses that share the prefix, and lets exactly
    // those through on top of the table's allowed space.
    let net = if prefix & 0x80 == 0 {
        IpAddr::V4(Ipv4Addr::from_bits(u32::from_be_bytes([
            allow[0], allow[1], allow[2], allow[3],
        ])))
    } else {
        IpAddr::V6(Ipv6Addr::from(allow))
    };
    let p = u32::from(prefix & 0x7f) % 130;
    let max = if net.is_ipv4() { 32 } else { 128 };
    let parsed = format!("{net}/{p}").parse::<Cidr>();
    assert_eq!(parsed.is_ok(), p <= max, "{net}/{p}: {parsed:?}");
    if let Ok(cidr) = parsed {
        let guard = Guard::new(vec![cidr]);
        for addr in addrs.into_iter().chain([net]) {
            let inside = ip::in_range(net, p, addr);
            assert_eq!(cidr.contains(addr), inside, "{net}/{p} contains {addr}");
            let ok = inside || !ip::forbidden(addr);
            assert_eq!(
                guard.check_addr(addr).is_ok(),
                ok,
                "{addr} with --allow-net {net}/{p}"
            );
        }
    }

    // Anything at all through the parser: no panic, and a bare address is a /32 or /128.
    let s = String::from_utf8_lossy(free);
    if let (Ok(cidr), Ok(a)) = (s.parse::<Cidr>(), s.parse::<IpAddr>()) {
        assert!(cidr.contains(a), "{s:?}");
        assert_eq!(
            format!("{a}/{}", if a.is_ipv4() { 32 } else { 128 }).parse::<Cidr>(),
            Ok(cidr),
            "{s:?}"
        );
    }
});
