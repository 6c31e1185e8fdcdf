//! Character references (HTML § 13.2.5.72–80): the named table and the numeric rules.

use super::entities::{COUNT, ENTRIES, NAMES, VALUES};

/// Longest name in the table, `CounterClockwiseContourIntegral`, plus its `;`.
pub(super) const MAX_NAME: usize = 32;

/// Longest legacy name (recognised without `;`).
const MAX_LEGACY: usize = 6;

fn name(i: usize) -> &'static [u8] {
    let start = (ENTRIES[i] & 0x3fff) as usize;
    let end = (ENTRIES[i + 1] & 0x3fff) as usize;
    &NAMES.as_bytes()[start..end]
}

fn value(i: usize) -> &'static str {
    let start = (ENTRIES[i] >> 14 & 0x3fff) as usize;
    let end = (ENTRIES[i + 1] >> 14 & 0x3fff) as usize;
    &VALUES[start..end]
}

fn find(candidate: &[u8]) -> Option<usize> {
    let (mut lo, mut hi) = (0, COUNT);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match name(mid).cmp(candidate) {
            core::cmp::Ordering::Less => lo = mid + 1,
            core::cmp::Ordering::Greater => hi = mid,
            core::cmp::Ordering::Equal => return Some(mid),
        }
    }
    None
}

/// The longest named reference at the start of `consumed`, the alphanumerics after a
/// `&` plus a `;` if one followed them: its length in `consumed` and its text.
///
/// Every name with a `;` is an alphanumeric run, so it can only match `consumed`
/// whole; only the legacy names can match a shorter prefix.
pub(super) fn named(consumed: &[u8]) -> Option<(usize, &'static str)> {
    if let Some(run) = consumed.strip_suffix(b";")
        && let Some(i) = find(run)
    {
        return Some((consumed.len(), value(i)));
    }
    let longest = consumed.len().min(MAX_LEGACY);
    (2..=longest).rev().find_map(|len| {
        find(&consumed[..len])
            .filter(|&i| ENTRIES[i] & 1 << 31 != 0)
            .map(|i| (len, value(i)))
    })
}

/// The character a numeric reference stands for (HTML § 13.2.5.80): `code` is the
/// value read, saturated above U+10FFFF.
pub(super) fn numeric(code: u32) -> char {
    match code {
        0 | 0xd800..=0xdfff | 0x110000.. => '\u{fffd}',
        0x80..=0x9f => WINDOWS_1252[code as usize - 0x80],
        _ => char::from_u32(code).unwrap_or('\u{fffd}'),
    }
}

/// C1 controls in references read as windows-1252, as browsers always did; the five
/// bytes windows-1252 leaves undefined stay controls.
const WINDOWS_1252: [char; 32] = [
    '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}', '\u{178}',
];

pub(super) fn all() -> impl Iterator<Item = (&'static str, &'static str, bool)> {
    (0..COUNT).map(|i| {
        let name = core::str::from_utf8(name(i)).unwrap_or("");
        (name, value(i), ENTRIES[i] & 1 << 31 != 0)
    })
}
