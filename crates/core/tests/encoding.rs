//! Encodings: byte order marks, hints, declarations and fallbacks, decided the same
//! way for every chunking.

use crate::common::top_words;

use proptest::prelude::*;
use wca_core::{Analyzer, Format, Options, Report};

fn analyze(options: &Options, bytes: &[u8], chunk: usize) -> Report {
    crate::common::analyze(options, bytes, &[chunk.max(1)])
}

fn with(f: impl FnOnce(&mut Options)) -> Options {
    let mut o = Options::default();
    f(&mut o);
    o
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut v = vec![0xff, 0xfe];
    v.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    v
}

/// A page whose first 1.5 KiB are ASCII markup, then `tail`.
fn late(tail: &[u8]) -> Vec<u8> {
    let mut page = b"<!doctype html><title>t</title>".to_vec();
    while page.len() < 1536 {
        page.extend_from_slice(b"<p class=filler>ascii words only</p>\n");
    }
    page.extend_from_slice(tail);
    page
}

#[test]
fn precedence_bom_hint_meta_default() {
    let latin1 = b"caf\xe9 na\xefve";
    struct Case {
        name: &'static str,
        options: Options,
        bytes: Vec<u8>,
        encoding: &'static str,
        source: &'static str,
        first_word: &'static str,
    }
    let html_1252 =
        b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>".to_vec();
    let cases = [
        Case {
            name: "utf-8 default",
            options: Options::default(),
            bytes: "café".into(),
            encoding: "UTF-8",
            source: "default",
            first_word: "café",
        },
        Case {
            name: "utf-8 bom",
            options: Options::default(),
            bytes: b"\xef\xbb\xbfcaf\xc3\xa9".to_vec(),
            encoding: "UTF-8",
            source: "bom",
            first_word: "café",
        },
        Case {
            name: "utf-16 bom",
            options: Options::default(),
            bytes: utf16le_with_bom("café au lait"),
            encoding: "UTF-16LE",
            source: "bom",
            first_word: "au",
        },
        Case {
            name: "charset hint",
            options: with(|o| o.charset = Some("latin1".into())),
            bytes: latin1.to_vec(),
            encoding: "windows-1252",
            source: "hint",
            first_word: "café",
        },
        Case {
            name: "content-type hint",
            options: with(|o| o.content_type = Some("text/plain; charset=ISO-8859-1".into())),
            bytes: latin1.to_vec(),
            encoding: "windows-1252",
            source: "hint",
            first_word: "café",
        },
        Case {
            name: "bom beats hint",
            options: with(|o| o.charset = Some("latin1".into())),
            bytes: b"\xef\xbb\xbfcaf\xc3\xa9".to_vec(),
            encoding: "UTF-8",
            source: "bom",
            first_word: "café",
        },
        Case {
            name: "meta",
            options: Options::default(),
            bytes: html_1252.clone(),
            encoding: "windows-1252",
            source: "meta",
            first_word: "café",
        },
        Case {
            name: "hint beats meta",
            options: with(|o| o.charset = Some("utf-8".into())),
            bytes: html_1252,
            encoding: "UTF-8",
            source: "hint",
            first_word: "caf",
        },
        Case {
            name: "html undeclared latin-1",
            options: with(|o| o.format = Format::Html),
            bytes: b"<p>caf\xe9</p>".to_vec(),
            encoding: "windows-1252",
            source: "detected",
            first_word: "café",
        },
        Case {
            name: "html default",
            options: with(|o| o.format = Format::Html),
            bytes: b"<p>cafe</p>".to_vec(),
            encoding: "windows-1252",
            source: "default",
            first_word: "cafe",
        },
        // Past the prescan's first KiB, as browsers do: Firefox's detector.
        Case {
            name: "html late utf-8",
            options: Options::default(),
            bytes: late("<p>Déjà vu, naïve café, crème brûlée à la française.</p>".as_bytes()),
            encoding: "UTF-8",
            source: "detected",
            first_word: "déjà",
        },
        Case {
            name: "html late windows-1252",
            options: Options::default(),
            bytes: late(b"<p>D\xe9j\xe0 vu, na\xefve caf\xe9, cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise.</p>"),
            encoding: "windows-1252",
            source: "detected",
            first_word: "déjà",
        },
        Case {
            name: "html late shift_jis",
            options: Options::default(),
            bytes: late(&encoding_rs::SHIFT_JIS.encode("<p>吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。</p>").0),
            encoding: "Shift_JIS",
            source: "detected",
            first_word: "吾",
        },
        Case {
            name: "html undeclared utf-8",
            options: Options::default(),
            bytes: "<p>café</p>".into(),
            encoding: "UTF-8",
            source: "detected",
            first_word: "café",
        },
    ];
    for c in cases {
        for chunk in [1, 5, 4096] {
            let r = analyze(&c.options, &c.bytes, chunk);
            assert_eq!(
                (r.input.encoding.as_str(), r.input.encoding_source.as_str()),
                (c.encoding, c.source),
                "{} (chunk {chunk})",
                c.name
            );
            assert!(
                top_words(&r).iter().any(|w| w == c.first_word),
                "{}: {:?}",
                c.name,
                top_words(&r)
            );
        }
    }
}

#[test]
fn a_page_that_lies_about_its_charset_is_decoded_with_replacements() {
    // Declares UTF-8, is windows-1252: every é is malformed UTF-8.
    let page = b"<html><head><meta charset=utf-8></head><body>caf\xe9 \xe9t\xe9</body></html>";
    let r = analyze(&Options::default(), page, 3);
    assert_eq!(r.input.encoding, "UTF-8");
    assert_eq!(r.input.invalid_sequences, 3);
    // Declares Shift_JIS, is UTF-8: decoded as Shift_JIS, no panic, words still counted.
    let page = "<meta charset=shift_jis><p>naïve café façade</p>".as_bytes();
    let r = analyze(&Options::default(), page, 1);
    assert_eq!(r.input.encoding, "Shift_JIS");
    assert!(r.counts.words >= 3);
}

#[test]
fn an_encoded_replacement_character_is_text_not_an_invalid_sequence() {
    // Found by the `core_text` fuzz target (fuzz/regressions/core_text/): UTF-16 and
    // GB18030 can encode U+FFFD, and counting U+FFFDs in the decoded text counted it
    // as malformed whenever a real error was decoded in the same chunk.
    let utf16: &[u8] = &[0x00, 0x51, 0xfd, 0xff, 0x20, 0xdf]; // 儀, U+FFFD, a lone low surrogate
    let mut gb18030 = encoding_rs::GB18030.encode("a\u{FFFD}b").0.into_owned();
    gb18030.push(0xff); // never valid in GB18030
    for (label, bytes) in [("utf-16le", utf16), ("gb18030", &gb18030)] {
        let o = with(|o| {
            o.format = Format::Text;
            o.charset = Some(label.into());
        });
        for chunk in [usize::MAX, 1, 2, 3] {
            let r = analyze(&o, bytes, chunk);
            assert_eq!(r.input.invalid_sequences, 1, "{label}, chunk {chunk}");
            assert_eq!(
                r.input.characters,
                3 + u64::from(label == "gb18030"),
                "{label}"
            );
        }
    }
}

#[test]
fn format_follows_the_content_type_then_the_first_bytes() {
    let page = b"<p>hi</p>";
    assert_eq!(
        analyze(&Options::default(), page, 2).input.format.as_str(),
        "html"
    );
    assert_eq!(
        analyze(
            &with(|o| o.content_type = Some("text/plain".into())),
            page,
            2
        )
        .input
        .format
        .as_str(),
        "text"
    );
    assert_eq!(
        analyze(&with(|o| o.format = Format::Text), page, 2)
            .input
            .format
            .as_str(),
        "text"
    );
    assert_eq!(
        analyze(&Options::default(), b"a < b", 2)
            .input
            .format
            .as_str(),
        "text"
    );
    assert_eq!(
        analyze(&Options::default(), b"", 2).input.format.as_str(),
        "text"
    );
}

#[test]
fn unknown_charset_is_a_config_error() {
    let err = Analyzer::new(with(|o| o.charset = Some("klingon".into()))).unwrap_err();
    assert!(err.to_string().contains("`charset`"), "{err}");
}

fn encoded() -> impl Strategy<Value = (Vec<u8>, Options)> {
    let text = proptest::collection::vec(
        proptest::sample::select(
            &[
                "word ",
                "café ",
                "日本語",
                "テスト ",
                "\n\n",
                "Ünïcödé. ",
                "x",
            ][..],
        ),
        0..40,
    )
    .prop_map(|v| v.concat());
    (text, 0..4usize).prop_map(|(t, e)| {
        let (label, bom) = [
            ("utf-8", false),
            ("shift_jis", false),
            ("utf-16le", true),
            ("windows-1252", false),
        ][e];
        let enc = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
        let mut bytes = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        if enc == encoding_rs::UTF_16LE {
            bytes.extend(t.encode_utf16().flat_map(u16::to_le_bytes));
        } else {
            bytes.extend_from_slice(&enc.encode(&t).0);
        }
        let options = with(|o| o.charset = (!bom).then(|| label.to_string()));
        (bytes, options)
    })
}

proptest! {
    #[test]
    fn decoding_does_not_depend_on_chunking((bytes, options) in encoded(), chunk in 1usize..40) {
        let whole = analyze(&options, &bytes, usize::MAX);
        prop_assert_eq!(&analyze(&options, &bytes, chunk), &whole);
        prop_assert_eq!(&analyze(&options, &bytes, 1), &whole);
    }
}
