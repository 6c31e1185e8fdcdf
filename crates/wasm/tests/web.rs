//! The bindings as JavaScript sees them, in Node (`cargo xtask wasm-test`'s default)
//! and in headless Chromium (`WASM_BINDGEN_USE_BROWSER=1`). Plain `#[test]`s would
//! pass here without running: every test is a `#[wasm_bindgen_test]`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Error, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use wca_wasm::{Analyzer, analyze_bytes, analyze_stream, analyze_text};

#[wasm_bindgen(inline_js = r#"
export function responseBody(text) { return new Response(text).body; }
export function jsonOf(v) { return JSON.stringify(v); }
export function obj(json) { return JSON.parse(json); }
// `n` chunks of `size` bytes of text, each after `delay` ms; counts pulls and cancels.
export function pacedStream(n, size, delay, log) {
  log.pulls = 0; log.cancelled = false;
  const chunk = new TextEncoder().encode("word ".repeat(Math.ceil(size / 5)).slice(0, size));
  return new ReadableStream({
    async pull(c) {
      if (log.pulls === n) { c.close(); return; }
      log.pulls++;
      if (delay > 0) await new Promise(r => setTimeout(r, delay));
      c.enqueue(chunk);
    },
    cancel() { log.cancelled = true; },
  }, { highWaterMark: 0 });
}
export function hangingStream(log) {
  log.cancelled = false;
  return new ReadableStream({ pull() { return new Promise(() => {}); }, cancel() { log.cancelled = true; } });
}
export function failingStream() {
  return new ReadableStream({ start(c) { c.enqueue(new Uint8Array([104, 105])); c.error(new Error("boom")); } });
}
export function stringStream() {
  return new ReadableStream({ start(c) { c.enqueue("not bytes"); c.close(); } });
}
export function abortAfter(ms) {
  const c = new AbortController();
  setTimeout(() => c.abort(), ms);
  return c.signal;
}
export function abortedSignal() { return AbortSignal.abort(); }
// Options whose onProgress records each call and aborts at the `abortAt`-th (0: never).
export function progressOptions(log, abortAt) {
  const c = new AbortController();
  log.calls = [];
  return {
    top: 5,
    total: 1234,
    signal: c.signal,
    onProgress(p) {
      log.calls.push({ bytes: p.bytes, total: p.total, at: performance.now() });
      if (log.calls.length === abortAt) c.abort();
    },
  };
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = responseBody)]
    fn response_body(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = jsonOf)]
    fn json_of(v: &JsValue) -> String;
    fn obj(json: &str) -> JsValue;
    #[wasm_bindgen(js_name = pacedStream)]
    fn paced_stream(n: u32, size: u32, delay: u32, log: &Object) -> JsValue;
    #[wasm_bindgen(js_name = hangingStream)]
    fn hanging_stream(log: &Object) -> JsValue;
    #[wasm_bindgen(js_name = failingStream)]
    fn failing_stream() -> JsValue;
    #[wasm_bindgen(js_name = stringStream)]
    fn string_stream() -> JsValue;
    #[wasm_bindgen(js_name = abortAfter)]
    fn abort_after(ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = abortedSignal)]
    fn aborted_signal() -> JsValue;
    #[wasm_bindgen(js_name = progressOptions)]
    fn progress_options(log: &Object, abort_at: u32) -> JsValue;
}

const TEXT: &str = "Dr. Smith’s café opened at 7 a.m. Everyone came! \
                    Ünïcödé, 日本語のテキスト, emoji 👩‍👩‍👧 and more words here.\n\nA second paragraph.";

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(v.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap())
}

fn message(e: &JsValue) -> String {
    let e = e.dyn_ref::<Error>().expect("a JS Error");
    String::from(e.message())
}

fn set(o: &JsValue, key: &str, value: JsValue) {
    Reflect::set(o, &key.into(), &value).unwrap();
}

async fn settle(p: js_sys::Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
fn one_shots_agree_with_the_core() {
    let native = wca_core::Analyzer::new(wca_core::Options::default()).unwrap();
    let mut native = native;
    native.push(TEXT.as_bytes());
    let native = native.finish();
    let report = analyze_text(TEXT, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&report, "counts.words").as_f64(),
        Some(native.counts.words as f64)
    );
    assert_eq!(
        get(&report, "counts.sentences").as_f64(),
        Some(native.counts.sentences as f64)
    );
    assert_eq!(
        get(&report, "engine.name").as_string().as_deref(),
        Some("wca-core")
    );
    // `None` crosses as `null`, so JSON.stringify keeps the field.
    assert!(json_of(&report).contains("\"hapax_legomena\":"));
    let bytes = analyze_bytes(TEXT.as_bytes(), JsValue::UNDEFINED).unwrap();
    assert_eq!(json_of(&bytes), json_of(&report));
}

#[wasm_bindgen_test]
fn any_chunking_of_bytes_or_strings_gives_the_same_report() {
    let whole = json_of(&analyze_text(TEXT, JsValue::UNDEFINED).unwrap());
    for size in [1, 2, 3, 7, 64] {
        let mut a = Analyzer::new(JsValue::UNDEFINED).unwrap();
        for piece in TEXT.as_bytes().chunks(size) {
            a.push(Uint8Array::from(piece).into()).unwrap();
        }
        assert_eq!(
            json_of(&a.finish().unwrap()),
            whole,
            "bytes in chunks of {size}"
        );

        // Strings split by UTF-16 units, through surrogate pairs (the emoji).
        let units: Vec<u16> = TEXT.encode_utf16().collect();
        let mut a = Analyzer::new(JsValue::UNDEFINED).unwrap();
        for piece in units.chunks(size) {
            a.push(js_sys::JsString::from_char_code(piece).into())
                .unwrap();
        }
        assert_eq!(
            json_of(&a.finish().unwrap()),
            whole,
            "strings in chunks of {size}"
        );
    }
}

#[wasm_bindgen_test]
fn a_lone_surrogate_is_one_replacement_character() {
    let mut a = Analyzer::new(JsValue::UNDEFINED).unwrap();
    a.push(js_sys::JsString::from_char_code(&[0x61, 0xD83D]).into())
        .unwrap();
    a.push(JsValue::from_str(" b")).unwrap();
    let r = a.finish().unwrap();
    assert_eq!(get(&r, "input.bytes").as_f64(), Some(6.0)); // a, U+FFFD, space, b
}

#[wasm_bindgen_test]
fn push_after_finish_throws_an_error() {
    let mut a = Analyzer::new(JsValue::UNDEFINED).unwrap();
    a.push(JsValue::from_str("some text")).unwrap();
    a.finish().unwrap();
    let e = a.push(JsValue::from_str("more")).unwrap_err();
    assert!(message(&e).contains("push after finish"), "{}", message(&e));
    let e = a.finish().unwrap_err();
    assert!(
        message(&e).contains("finish after finish"),
        "{}",
        message(&e)
    );
}

#[wasm_bindgen_test]
fn wrong_chunk_types_throw_errors() {
    let mut a = Analyzer::new(JsValue::UNDEFINED).unwrap();
    let e = a.push(JsValue::from(42)).unwrap_err();
    assert!(message(&e).contains("Uint8Array or a string"));
}

#[wasm_bindgen_test]
fn bad_options_throw_errors_naming_the_field() {
    let cases = [
        (r#"{"top": 0}"#, "`top`"),
        (r#"{"top": "ten"}"#, "`top`"),
        (r#"{"top": 2.5}"#, "`top`"),
        (r#"{"max_distinct": 3}"#, "`max_distinct`"),
        (r#"{"tokenizer": "words"}"#, "`tokenizer`"),
        (r#"{"fold": 1}"#, "`fold`"),
        (r#"{"stopwords": "klingon"}"#, "stopwords"),
        (r#"{"custom_stopwords": [1]}"#, "`custom_stopwords"),
        (r#"{"no_such_option": true}"#, "no_such_option"),
        ("[]", "expected an object"),
        ("7", "expected an object"),
    ];
    for (options, field) in cases {
        let e = analyze_text("x", obj(options)).unwrap_err();
        assert!(message(&e).contains(field), "{options}: {}", message(&e));
        let e = Analyzer::new(obj(options)).err().unwrap();
        assert!(message(&e).contains(field), "{options}: {}", message(&e));
    }
    // Stream-only options belong to analyzeStream alone.
    let o = obj("{}");
    set(&o, "onProgress", js_sys::Function::new_no_args("").into());
    assert!(message(&analyze_text("x", o).unwrap_err()).contains("onProgress"));
    // `undefined` means absent, as JS callers expect; options are honoured.
    let o = obj(r#"{"top": 1}"#);
    set(&o, "fold", JsValue::UNDEFINED);
    let r = analyze_text("b a a b c", o).unwrap();
    assert_eq!(get(&r, "frequencies.words.top.length").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn analyze_stream_reads_a_response_body() {
    let text = TEXT.repeat(30_000); // about 4 MiB: several pieces
    let expected = json_of(&analyze_text(&text, JsValue::UNDEFINED).unwrap());
    let report = settle(analyze_stream(response_body(&text), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(json_of(&report), expected);
    assert_eq!(
        get(&report, "input.bytes").as_f64(),
        Some(text.len() as f64)
    );
}

#[wasm_bindgen_test]
async fn progress_comes_at_least_every_mebibyte_and_at_the_end() {
    let text = TEXT.repeat(30_000);
    let log = Object::new();
    let options = progress_options(&log, 0);
    let report = settle(analyze_stream(response_body(&text), options))
        .await
        .unwrap();
    let calls = js_sys::Array::from(&get(&log, "calls"));
    let bytes: Vec<f64> = calls
        .iter()
        .map(|c| get(&c, "bytes").as_f64().unwrap())
        .collect();
    assert!(bytes.len() >= 4, "{bytes:?}");
    let mut last = 0.0;
    for b in &bytes {
        assert!(*b - last <= (1 << 20) as f64, "a gap over 1 MiB: {bytes:?}");
        assert!(*b >= last);
        last = *b;
    }
    assert_eq!(last, text.len() as f64);
    assert_eq!(get(&calls.get(0), "total").as_f64(), Some(1234.0));
    // The options besides the stream's own are honoured.
    assert_eq!(get(&report, "settings.top").as_f64(), Some(5.0));
}

#[wasm_bindgen_test]
async fn progress_comes_every_100_ms_on_a_slow_stream() {
    // 12 chunks of 100 bytes, 30 ms apart: far below 1 MiB, so time decides.
    let log = Object::new();
    let stream = paced_stream(12, 100, 30, &log);
    let options = progress_options(&log, 0);
    settle(analyze_stream(stream, options)).await.unwrap();
    let calls = js_sys::Array::from(&get(&log, "calls"));
    let at: Vec<f64> = calls
        .iter()
        .map(|c| get(&c, "at").as_f64().unwrap())
        .collect();
    assert!(at.len() >= 3, "{at:?}");
    for w in at.windows(2) {
        // One chunk late at most: 100 ms plus one 30 ms chunk, plus timer slack.
        assert!(w[1] - w[0] < 100.0 + 30.0 + 60.0, "{at:?}");
    }
}

#[wasm_bindgen_test]
async fn abort_stops_within_one_chunk_and_cancels_the_stream() {
    let log = Object::new();
    // 64 KiB chunks, pulled one at a time: abort at the first progress call.
    let stream = paced_stream(1000, 65_536, 0, &log);
    let options = progress_options(&log, 1);
    let e = settle(analyze_stream(stream, options)).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("AbortError"));
    assert!(e.is_instance_of::<Error>());
    let pulls = get(&log, "pulls").as_f64().unwrap();
    let progressed = get(&get(&log, "calls"), "0.bytes").as_f64().unwrap();
    assert!(
        pulls <= progressed / 65_536.0 + 1.0,
        "pulled {pulls} after {progressed} bytes"
    );
    assert_eq!(get(&log, "cancelled"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn abort_interrupts_a_pending_read() {
    let log = Object::new();
    let options = Object::new();
    set(&options, "signal", abort_after(30));
    let e = settle(analyze_stream(hanging_stream(&log), options.into()))
        .await
        .unwrap_err();
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("AbortError"));
    assert_eq!(get(&log, "cancelled"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn an_aborted_signal_rejects_at_once() {
    let options = Object::new();
    set(&options, "signal", aborted_signal());
    let e = settle(analyze_stream(response_body("text"), options.into()))
        .await
        .unwrap_err();
    assert_eq!(get(&e, "name").as_string().as_deref(), Some("AbortError"));
}

#[wasm_bindgen_test]
async fn stream_errors_reject_with_errors() {
    let e = settle(analyze_stream(failing_stream(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(message(&e), "boom");
    let e = settle(analyze_stream(string_stream(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert!(message(&e).contains("Uint8Array"), "{}", message(&e));
    let e = settle(analyze_stream(JsValue::from(3), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert!(message(&e).contains("ReadableStream"), "{}", message(&e));
    let e = settle(analyze_stream(response_body("x"), obj(r#"{"top": -1}"#)))
        .await
        .unwrap_err();
    assert!(message(&e).contains("`top`"), "{}", message(&e));
    let o = obj("{}");
    set(&o, "onProgress", JsValue::from(1));
    let e = settle(analyze_stream(response_body("x"), o))
        .await
        .unwrap_err();
    assert!(message(&e).contains("onProgress"), "{}", message(&e));
}
