//! Language guess from a bounded sample of the word stream.

use crate::report::Language;

/// Bytes of word text kept for the language guess: enough for whatlang's trigrams to
/// settle, small enough to cost nothing.
pub(crate) const SAMPLE_BYTES: usize = 8 * 1024;

/// ISO 639-1 codes for the ISO 639-3 codes whatlang returns, where wca has a use for
/// them (stopword lists, readability).
const ISO_639_1: &[(&str, &str)] = &[
    ("ces", "cs"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("hun", "hu"),
    ("ita", "it"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("nld", "nl"),
    ("nob", "no"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("spa", "es"),
    ("swe", "sv"),
    ("tur", "tr"),
    ("ukr", "uk"),
];

pub(crate) fn detect(sample: &str) -> Option<Language> {
    let info = whatlang::detect(sample)?;
    let code = info.lang().code();
    Some(Language {
        code: code.to_string(),
        code_639_1: ISO_639_1
            .iter()
            .find(|(c3, _)| *c3 == code)
            .map(|(_, c1)| (*c1).to_string()),
        name: info.lang().eng_name().to_string(),
        script: info.script().name().to_string(),
        // Rounded so that the last bits of floating point cannot differ between builds.
        confidence: (info.confidence() * 1000.0).round() / 1000.0,
        reliable: info.is_reliable(),
        sample_bytes: sample.len() as u64,
    })
}
