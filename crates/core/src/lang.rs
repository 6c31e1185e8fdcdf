//! Language guess from a bounded sample of the word stream.

use crate::report::Language;

/// Bytes of word text kept for the language guess: enough for whatlang's trigrams to
/// settle, small enough to cost nothing.
pub(crate) const SAMPLE_BYTES: usize = 8 * 1024;

/// Bytes of an HTML page's main content below which the language is guessed from
/// the whole page instead: a caption is not an article.
pub(crate) const MAIN_BYTES: usize = 512;

/// ISO 639-1 codes for the ISO 639-3 codes whatlang returns (all of its 69; Mandarin
/// is `zh`, Norwegian Bokmål `no` as the stopword list is named).
const ISO_639_1: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "no"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
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
        from_main_content: false,
    })
}
