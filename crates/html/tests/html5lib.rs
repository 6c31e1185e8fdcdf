//! The html5lib-tests tokenizer suite (`tests/data/html5lib-tokenizer/`, MIT), reduced
//! by `tools/vendor_html5lib.py` to what a streaming text extractor emits: character
//! data and tag names, in order, from the suite's initial state. Each case runs
//! whole and cut into one-byte and uneven pieces.
//!
//! Out of scope, and counted: text in script data (never shown, so skipped unread;
//! its tags are still checked) and states that end at an end tag our element table
//! does not know (a `lastStartTag` that is no RCDATA, RAWTEXT or script element).
//! One rule is the tree builder's, taken early: CDATA sections exist only in SVG
//! and MathML, where a NUL becomes U+FFFD (§ 13.2.6.5), so the tokenizer emits
//! U+FFFD where the suite, tokenizer alone, has U+0000. And the input stream's
//! newline normalization (§ 13.2.3.5: CR and CR LF become LF) is left to the
//! consumer, whose line counting reads CR, CR LF and LF alike; the harness applies
//! it to the input, as the standard does before tokenizing.

#![allow(clippy::disallowed_methods)]

use wca_html::testing::{Token, tokenize};

#[derive(serde::Deserialize)]
struct Case {
    file: String,
    description: String,
    state: String,
    last_start_tag: Option<String>,
    input: String,
    tokens: Vec<(String, String)>,
}

#[test]
fn html5lib_tokenizer_cases_give_their_text_and_tags() {
    let path = wca_testkit::data("html5lib-tokenizer").join("tokens.json");
    let cases: Vec<Case> = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(
        cases.len() > 7000,
        "{} cases in {}",
        cases.len(),
        path.display()
    );
    let raw = [
        "title",
        "textarea",
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "script",
        "plaintext",
    ];
    let (mut passed, mut tags_only, mut skipped, mut failed) = (0, 0, 0, Vec::new());
    for case in &cases {
        let ends_at_tag = matches!(
            case.state.as_str(),
            "RCDATA state" | "RAWTEXT state" | "Script data state"
        );
        if ends_at_tag
            && !case
                .last_start_tag
                .as_deref()
                .is_some_and(|t| raw.contains(&t))
        {
            skipped += 1;
            continue;
        }
        let script = case.state == "Script data state";
        let want: Vec<Token> = case
            .tokens
            .iter()
            .filter(|(kind, _)| !(script && kind == "text"))
            .map(|(kind, v)| match kind.as_str() {
                "text" if case.state == "CDATA section state" => {
                    Token::Text(v.replace('\0', "\u{fffd}"))
                }
                "text" => Token::Text(v.clone()),
                "start" => Token::Start(v.clone()),
                _ => Token::End(v.clone()),
            })
            .collect();
        let last = case.last_start_tag.as_deref();
        let input = case.input.replace("\r\n", "\n").replace('\r', "\n");
        let mut ok = true;
        for sizes in [&[usize::MAX][..], &[1], &[3, 1, 7]] {
            let got = tokenize(
                wca_testkit::chunks::split_str(&input, sizes),
                &case.state,
                last,
            )
            .expect("a known state");
            let got: Vec<Token> = got
                .into_iter()
                .filter(|t| !(script && matches!(t, Token::Text(_))))
                .collect();
            if got != want {
                if failed.len() < 20 {
                    failed.push(format!(
                        "{} {:?} ({}) {:?}: got {got:?}, want {want:?}",
                        case.file, case.description, case.state, sizes
                    ));
                }
                ok = false;
                break;
            }
        }
        if ok {
            if script {
                tags_only += 1;
            } else {
                passed += 1;
            }
        } else if failed.len() >= 20 {
            failed.push(String::new());
        }
    }
    let failures = cases.len() - passed - tags_only - skipped;
    eprintln!(
        "html5lib tokenizer: {passed} cases pass, {tags_only} more on tags only (script data), \
         {skipped} out of scope, {failures} fail, of {}",
        cases.len()
    );
    assert!(
        failures == 0,
        "{failures} failures, the first:\n{}",
        failed.join("\n")
    );
}
