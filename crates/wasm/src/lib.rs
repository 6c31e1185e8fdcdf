//! `wca-wasm` binds [`wca_core`] to JavaScript with wasm-bindgen; `cargo xtask wasm`
//! ships it as the `web-content-analyzer` npm package (Node 20, browsers, bundlers).
//! It is thin on purpose: options arrive as a plain JS object and are checked by the
//! core, the report leaves as a plain JS object with the field names of
//! `wca analyze --json`, and every error becomes a JS `Error` through one helper, `js_error`.
//!
//! ```js
//! import { Analyzer, analyzeText, analyzeStream, extractText } from "web-content-analyzer";
//!
//! analyzeText("The cat sat.", { top: 10 }).counts.words;        // 3
//! const a = new Analyzer();
//! a.push("The cat "); a.push(new TextEncoder().encode("sat."));
//! a.finish().counts.sentences;                                   // 1
//! const r = await fetch(url);
//! await analyzeStream(r.body, { onProgress: p => console.log(p.bytes), signal });
//! extractText("<p>The <b>cat</b></p><p>sat.</p>");              // "The cat\n\nsat.\n"
//! ```
//!
//! Everything here calls into JavaScript, so the tests are `#[wasm_bindgen_test]`s
//! run in Node and headless Chromium (`tests/`), plus the package's Node test
//! (`tests/package/`) that checks native == wasm on the corpora.
#![deny(missing_docs)]

use futures_util::future::{Either, select};
use futures_util::{StreamExt, pin_mut};
use js_sys::{Function, JsString, Object, Promise, Reflect, Uint8Array};
use serde::de::Visitor;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `analyzeStream` reports progress at least this often in bytes…
const PROGRESS_BYTES: u64 = 1 << 20;
/// …and in milliseconds, whichever comes first.
const PROGRESS_MS: f64 = 100.0;
/// Stream chunks are pushed in pieces of at most this size, so that a single huge
/// chunk still gets its progress calls and abort checks.
const PUSH_PIECE: usize = 1 << 20;

/// Installs the panic hook when the module starts: a bug then shows its message and
/// location in the console instead of `unreachable executed`.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

/// The one way errors reach JavaScript: a JS `Error` with the message.
fn js_error(message: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&message.to_string()).into()
}

/// Converts a JS options object (or `undefined`/`null` for the defaults) into
/// [`wca_core::Options`]. Properties set to `undefined` count as absent, as JS
/// callers expect. Errors name the field.
fn options(value: &JsValue) -> Result<wca_core::Options, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(wca_core::Options::default());
    }
    if !value.is_object() || value.is_function() || js_sys::Array::is_array(value) {
        return Err(js_error("invalid options: expected an object"));
    }
    let known = field_names::<wca_core::Options>();
    let defined = Object::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let key = Reflect::get_u32(&entry, 0)?;
        let field = Reflect::get_u32(&entry, 1)?;
        let name = key.as_string().unwrap_or_default();
        // serde-wasm-bindgen reads only the fields it knows, so `deny_unknown_fields`
        // never fires: a typo (`maxDistinct`) would be ignored without this.
        if !known.contains(&name.as_str()) {
            return Err(js_error(format_args!(
                "invalid option `{name}`: unknown field, expected one of {}",
                known.join(", ")
            )));
        }
        if !field.is_undefined() {
            Reflect::set(&defined, &key, &field)?;
        }
    }
    let de = serde_wasm_bindgen::Deserializer::from(JsValue::from(defined));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        // serde-wasm-bindgen's errors are JS errors whose text starts with `Error: `.
        let inner = e.inner().to_string();
        let inner = inner.strip_prefix("Error: ").unwrap_or(&inner);
        js_error(format_args!("invalid option `{path}`: {inner}"))
    })
}

/// The field names of a struct with a derived `Deserialize`: serde hands them only
/// to the deserializer, so a deserializer that keeps them and stops is all it takes.
fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Fields<'a>(&'a mut &'static [&'static str]);
    impl<'de> serde::Deserializer<'de> for Fields<'_> {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(serde::de::Error::custom("only the field names"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
            enum identifier ignored_any
        }
    }
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Fields(&mut fields));
    fields
}

/// The report as a plain JS object: `None` becomes `null` (not `undefined`), so that
/// `JSON.stringify` keeps every field `wca analyze --json` prints.
fn report(report: &wca_core::Report) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    report.serialize(&ser).map_err(js_error)
}

/// What `push` takes, turned into bytes: a `Uint8Array` (any bytes, split anywhere)
/// or a string (UTF-8 encoded; a surrogate pair split across two strings is joined).
#[derive(Default)]
struct Chunks {
    /// A high surrogate that ended the last pushed string: its pair may start the next.
    pending_surrogate: Option<JsString>,
    /// Reused for copying `Uint8Array`s into wasm memory.
    scratch: Vec<u8>,
}

impl Chunks {
    fn push(&mut self, chunk: &JsValue, mut f: impl FnMut(&[u8])) -> Result<(), JsValue> {
        if let Some(bytes) = chunk.dyn_ref::<Uint8Array>() {
            self.flush(&mut f);
            self.scratch.resize(bytes.length() as usize, 0);
            bytes.copy_to(&mut self.scratch);
            f(&self.scratch);
            Ok(())
        } else if let Some(text) = chunk.dyn_ref::<JsString>() {
            let mut text = match self.pending_surrogate.take() {
                Some(high) => high.concat(text),
                None => text.clone(),
            };
            let len = text.length();
            if len > 0 && (0xD800..0xDC00).contains(&(text.char_code_at(len - 1) as u32)) {
                self.pending_surrogate = Some(text.slice(len - 1, len));
                text = text.slice(0, len - 1);
            }
            // Lone surrogates become U+FFFD, as `TextEncoder` does.
            let text = String::from(text);
            f(text.as_bytes());
            Ok(())
        } else {
            Err(js_error("push takes a Uint8Array or a string"))
        }
    }

    /// A high surrogate with no low one after it is a lone surrogate: U+FFFD.
    fn flush(&mut self, mut f: impl FnMut(&[u8])) {
        if self.pending_surrogate.take().is_some() {
            f("\u{FFFD}".as_bytes());
        }
    }
}

/// A streaming analysis: `new Analyzer(options)`, `push(chunk)` any number of times,
/// then `finish()` for the report. Chunks may split anything, even a UTF-8 sequence.
#[wasm_bindgen]
pub struct Analyzer {
    /// `None` once finished: misuse then throws instead of panicking.
    inner: Option<wca_core::Analyzer>,
    chunks: Chunks,
}

#[wasm_bindgen]
impl Analyzer {
    /// Creates an analyzer; throws an `Error` naming the field for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: JsValue,
    ) -> Result<Analyzer, JsValue> {
        let inner = wca_core::Analyzer::new(self::options(&options)?).map_err(js_error)?;
        Ok(Analyzer {
            inner: Some(inner),
            chunks: Chunks::default(),
        })
    }

    /// Pushes a chunk: a `Uint8Array` (any bytes, split anywhere) or a string (UTF-8
    /// encoded; a surrogate pair split across two strings is joined).
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] chunk: JsValue,
    ) -> Result<(), JsValue> {
        let inner = self.inner.as_mut().ok_or_else(|| {
            js_error("push after finish: this Analyzer is finished; create a new one")
        })?;
        self.chunks.push(&chunk, |bytes| inner.push(bytes))
    }

    /// The language whose syllable data `finish()` needs for readability, by the
    /// text so far (`"en"`, `"de"`…), or `null` when no formula applies: call
    /// `loadSyllables` with it after the last push, before `finish()`.
    #[wasm_bindgen(js_name = formulaLanguage)]
    pub fn formula_language(&self) -> Result<Option<String>, JsValue> {
        let inner = self
            .inner
            .as_ref()
            .ok_or_else(|| js_error("formulaLanguage after finish: this Analyzer is finished"))?;
        Ok(inner.formula_language().map(String::from))
    }

    /// Ends the input and returns the report. A second call throws.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let mut inner = self.inner.take().ok_or_else(|| {
            js_error("finish after finish: this Analyzer is finished; create a new one")
        })?;
        self.chunks.flush(|bytes| inner.push(bytes));
        report(&inner.finish())
    }
}

/// Installs a language's syllable data: the text of `syllables/hyph_<language>.dic`
/// and, for English, of `syllables/cmudict_en.txt`. The package's `loadSyllables`
/// fetches the files and calls this; readability in that language needs it.
#[wasm_bindgen(js_name = installSyllables)]
pub fn install_syllables(
    language: &str,
    patterns: &str,
    lexicon: Option<String>,
) -> Result<(), JsValue> {
    wca_core::install_syllables(language, patterns, lexicon.as_deref()).map_err(js_error)
}

/// Whether a language's syllable data is installed.
#[wasm_bindgen(js_name = hasSyllables)]
pub fn has_syllables(language: &str) -> bool {
    wca_core::has_syllables(language)
}

/// The text as the analyzer reads it, streaming: `new TextExtractor(options)`, then
/// `push(chunk)`, which returns the text that chunk completed, and `finish()`, which
/// returns the rest. For HTML it is the visible text (with `main_content_only`, the
/// article), whitespace collapsed, a blank line between blocks; plain text passes as
/// it is. The concatenation is the same for every chunking.
#[wasm_bindgen]
pub struct TextExtractor {
    inner: Option<wca_core::TextExtractor>,
    chunks: Chunks,
}

#[wasm_bindgen]
impl TextExtractor {
    /// Creates a text extractor; throws an `Error` naming the field for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: JsValue,
    ) -> Result<TextExtractor, JsValue> {
        let inner = wca_core::TextExtractor::new(&self::options(&options)?).map_err(js_error)?;
        Ok(TextExtractor {
            inner: Some(inner),
            chunks: Chunks::default(),
        })
    }

    /// Pushes a chunk, as `Analyzer.push` takes them; returns the text it completed.
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] chunk: JsValue,
    ) -> Result<String, JsValue> {
        let inner = self.inner.as_mut().ok_or_else(|| {
            js_error("push after finish: this TextExtractor is finished; create a new one")
        })?;
        let mut out = String::new();
        self.chunks
            .push(&chunk, |bytes| inner.push(bytes, |t| out.push_str(t)))?;
        Ok(out)
    }

    /// Ends the input and returns the rest of the text. A second call throws.
    pub fn finish(&mut self) -> Result<String, JsValue> {
        let mut inner = self.inner.take().ok_or_else(|| {
            js_error("finish after finish: this TextExtractor is finished; create a new one")
        })?;
        let mut out = String::new();
        self.chunks
            .flush(|bytes| inner.push(bytes, |t| out.push_str(t)));
        inner.finish(|t| out.push_str(t));
        Ok(out)
    }
}

/// The text of a whole string or `Uint8Array`, as `TextExtractor` gives it.
#[wasm_bindgen(js_name = extractText)]
pub fn extract_text(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: JsValue,
) -> Result<String, JsValue> {
    let mut extractor = TextExtractor::new(options)?;
    let mut out = extractor.push(input)?;
    out.push_str(&extractor.finish()?);
    Ok(out)
}

/// Analyzes a whole string.
#[wasm_bindgen(js_name = analyzeText, unchecked_return_type = "Report")]
pub fn analyze_text(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: JsValue,
) -> Result<JsValue, JsValue> {
    analyze_bytes(text.as_bytes(), options)
}

/// Analyzes whole bytes.
#[wasm_bindgen(js_name = analyzeBytes, unchecked_return_type = "Report")]
pub fn analyze_bytes(
    bytes: &[u8],
    #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let mut analyzer = wca_core::Analyzer::new(self::options(&options)?).map_err(js_error)?;
    analyzer.push(bytes);
    report(&analyzer.finish())
}

/// What `analyzeStream` takes besides the core options.
struct StreamControl {
    on_progress: Option<Function>,
    signal: Option<web_sys::AbortSignal>,
    total: Option<f64>,
    /// `loadSyllables(language)`, awaited before finishing when the text's language
    /// has formulas whose syllable data is not installed yet.
    load_syllables: Option<Function>,
}

/// Splits `analyzeStream`'s options into the core's and the stream's own.
fn stream_options(value: &JsValue) -> Result<(wca_core::Options, StreamControl), JsValue> {
    if value.is_undefined() || value.is_null() {
        let control = StreamControl {
            on_progress: None,
            signal: None,
            total: None,
            load_syllables: None,
        };
        return Ok((wca_core::Options::default(), control));
    }
    if !value.is_object() {
        return Err(js_error("invalid options: expected an object"));
    }
    let rest = Object::assign(&Object::new(), value.unchecked_ref());
    let take = |name: &str| -> Result<JsValue, JsValue> {
        let v = Reflect::get(&rest, &name.into())?;
        Reflect::delete_property(&rest, &name.into())?;
        Ok(v)
    };
    let on_progress = take("onProgress")?;
    let signal = take("signal")?;
    let total = take("total")?;
    let load_syllables = take("loadSyllables")?;
    let control = StreamControl {
        load_syllables: match load_syllables {
            v if v.is_undefined() || v.is_null() => None,
            v => Some(
                v.dyn_into()
                    .map_err(|_| js_error("invalid option `loadSyllables`: expected a function"))?,
            ),
        },
        on_progress: match on_progress {
            v if v.is_undefined() || v.is_null() => None,
            v => Some(
                v.dyn_into()
                    .map_err(|_| js_error("invalid option `onProgress`: expected a function"))?,
            ),
        },
        signal: match signal {
            v if v.is_undefined() || v.is_null() => None,
            v if Reflect::has(&v, &"aborted".into())? => Some(v.unchecked_into()),
            _ => return Err(js_error("invalid option `signal`: expected an AbortSignal")),
        },
        total: match total {
            v if v.is_undefined() || v.is_null() => None,
            v => match v.as_f64() {
                Some(t) if t >= 0.0 => Some(t),
                _ => return Err(js_error("invalid option `total`: expected a number ≥ 0")),
            },
        },
    };
    Ok((options(&rest)?, control))
}

impl StreamControl {
    fn progress(&self, bytes: u64) -> Result<(), JsValue> {
        if let Some(f) = &self.on_progress {
            let p = Object::new();
            Reflect::set(&p, &"bytes".into(), &(bytes as f64).into())?;
            if let Some(total) = self.total {
                Reflect::set(&p, &"total".into(), &total.into())?;
            }
            f.call1(&JsValue::UNDEFINED, &p)?;
        }
        Ok(())
    }

    /// Why the analysis was aborted, if it was: the signal's reason, as `fetch` does.
    fn aborted(&self) -> Option<JsValue> {
        let s = self.signal.as_ref()?;
        s.aborted().then(|| s.reason())
    }
}

/// Analyzes a web `ReadableStream` of bytes (a `fetch` body, `File.stream()`) chunk by
/// chunk, never holding more than one chunk. Besides the core options it takes
/// `onProgress({ bytes, total })` — called at least every 1 MiB or 100 ms, whichever
/// comes first, and once at the end — `total` (echoed to `onProgress`, e.g. a
/// `Content-Length` or `File.size`) and `signal`, an `AbortSignal` that cancels the
/// stream and rejects with the signal's reason within one chunk, even while a read
/// is pending.
#[wasm_bindgen(js_name = analyzeStream, unchecked_return_type = "Promise<Report>")]
pub fn analyze_stream(
    #[wasm_bindgen(unchecked_param_type = "ReadableStream<Uint8Array>")] stream: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "StreamOptions")] options: JsValue,
) -> Promise {
    wasm_bindgen_futures::future_to_promise(async move { run_stream(stream, options).await })
}

async fn run_stream(stream: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let (options, control) = stream_options(&options)?;
    let mut analyzer = wca_core::Analyzer::new(options).map_err(js_error)?;
    if let Some(reason) = control.aborted() {
        return Err(reason);
    }
    if !stream.is_object() || !Reflect::has(&stream, &"getReader".into())? {
        return Err(js_error("analyzeStream takes a ReadableStream"));
    }
    let chunks = wasm_streams::ReadableStream::from_raw(stream.unchecked_into())
        .try_into_stream()
        .map_err(|(e, _)| js_error(format_args!("cannot read the stream: {}", e.message())))?;
    // Dropping `chunks` (on abort or error) cancels the stream.
    let mut chunks = chunks.fuse();

    // Resolves when the signal fires; its `resolve` is the listener, so no Rust
    // closure outlives the call.
    let mut listener: Option<Function> = None;
    let abort = Promise::new(&mut |resolve, _| listener = Some(resolve));
    if let (Some(signal), Some(l)) = (&control.signal, &listener) {
        signal.add_event_listener_with_callback("abort", l)?;
    }
    let abort = JsFuture::from(abort);
    pin_mut!(abort);

    let result = async {
        let mut scratch = Vec::new();
        let mut bytes = 0u64;
        let mut reported = 0u64;
        let mut reported_at = js_sys::Date::now();
        loop {
            let next = match select(chunks.next(), abort.as_mut()).await {
                Either::Left((next, _)) => next,
                Either::Right(_) => None,
            };
            if let Some(reason) = control.aborted() {
                return Err(reason);
            }
            let chunk = match next {
                None => break,
                Some(chunk) => chunk?,
            };
            let chunk: Uint8Array = chunk
                .dyn_into()
                .map_err(|_| js_error("analyzeStream takes a stream of Uint8Array chunks"))?;
            let len = chunk.length() as usize;
            let mut start = 0;
            while start < len {
                let end = len.min(start + PUSH_PIECE);
                scratch.resize(end - start, 0);
                chunk
                    .subarray(start as u32, end as u32)
                    .copy_to(&mut scratch);
                analyzer.push(&scratch);
                bytes += (end - start) as u64;
                start = end;
                let now = js_sys::Date::now();
                if bytes - reported >= PROGRESS_BYTES || now - reported_at >= PROGRESS_MS {
                    control.progress(bytes)?;
                    (reported, reported_at) = (bytes, now);
                    if let Some(reason) = control.aborted() {
                        return Err(reason);
                    }
                }
            }
        }
        control.progress(bytes)?;
        if let (Some(load), Some(language)) = (&control.load_syllables, analyzer.formula_language())
            && !wca_core::has_syllables(language)
        {
            let pending = load.call1(&JsValue::NULL, &language.into())?;
            JsFuture::from(Promise::resolve(&pending)).await?;
            if let Some(reason) = control.aborted() {
                return Err(reason);
            }
        }
        report(&analyzer.finish())
    }
    .await;

    if let (Some(signal), Some(l)) = (&control.signal, &listener) {
        signal.remove_event_listener_with_callback("abort", l)?;
    }
    result
}

// Written by hand from `wca_core::Options` and `Report`; the package test fails when
// a field of either is missing here.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of an analysis; every field is optional. Names as in `wca analyze --json`. */
export interface Options {
  format?: "auto" | "text" | "html";
  content_type?: string | null;
  charset?: string | null;
  base_url?: string | null;
  /** For HTML: count only the article, without menus, footers, comments and other
   * page chrome; `page.structure.main_content` says what was dropped and why. */
  main_content_only?: boolean;
  tokenizer?: "unicode" | "whitespace";
  fold?: "none" | "ascii" | "unicode";
  /** 1–10000, default 100. */
  top?: number;
  /** The language the text is in (ISO 639-1 or 639-3: "en", "eng"), instead of the
   * guess: readability and `stopwords: "auto"` follow it. */
  language?: string | null;
  /** "auto", "none" or a language code. */
  stopwords?: string;
  custom_stopwords?: string[];
  max_distinct?: number;
  bigrams?: boolean;
  /** Three-word phrases, bounded as bigrams are; off by default (slower). */
  trigrams?: boolean;
  /** Sentences, paragraphs and readability; off counts words only, faster. */
  statistics?: boolean;
}

/** Progress of `analyzeStream`. */
export interface Progress {
  /** Bytes analyzed so far. */
  bytes: number;
  /** The `total` passed in the options, if any. */
  total?: number;
}

/** Options of `analyzeStream`: the analysis options plus the stream's own. */
export interface StreamOptions extends Options {
  /** Called at least every 1 MiB or 100 ms, whichever comes first, and at the end. */
  onProgress?: (progress: Progress) => void;
  /** Aborting rejects with the signal's reason and cancels the stream. */
  signal?: AbortSignal;
  /** The expected size in bytes, echoed in `Progress.total`. */
  total?: number;
  /** Installs a language's syllable data before the report is made, when the text
   * needs it; the package's own `analyzeStream` passes its `loadSyllables`. */
  loadSyllables?: (language: string) => Promise<void> | void;
}

export interface Term { term: string; count: number; }

export interface TermTable {
  exact: boolean;
  error_bound: number;
  distinct: number;
  top: Term[];
  top_filtered: Term[];
}

/** The report, field for field the JSON of `wca analyze --json`. */
export interface Report {
  schema_version: number;
  engine: { name: string; version: string };
  settings: {
    tokenizer: "unicode" | "whitespace";
    fold: "none" | "ascii" | "unicode";
    top: number;
    max_distinct: number;
    bigrams: boolean;
    trigrams: boolean;
    statistics: boolean;
  };
  input: {
    bytes: number;
    characters: number;
    format: string;
    encoding: string;
    encoding_source: string;
    invalid_sequences: number;
    /** The fetched URL after redirects; set by the server and `wca analyze URL`. */
    url?: string;
    /** Present and true when the fetcher cut the body at its byte cap. */
    truncated?: boolean;
  };
  counts: {
    words: number;
    unique_words: number;
    unique_words_exact: boolean;
    unique_words_error: number;
    hapax_legomena: number | null;
    type_token_ratio: number;
    lines: number;
    sentences: number;
    paragraphs: number;
    average_word_length: number;
    average_sentence_length: number;
    longest_word: { word: string; characters: number } | null;
    /** The sentence with the most words, and its first words (at most 12). */
    longest_sentence: { words: number; first_words: string } | null;
    /** Characters with whitespace: all of plain text; HTML's visible text, each run of whitespace one space. */
    characters: number;
    characters_no_spaces: number;
    cjk_characters: number;
    thai_characters: number;
  };
  time: {
    reading_seconds: number;
    speaking_seconds: number;
    reading_seconds_slow: number;
    reading_seconds_fast: number;
    reading_wpm: number;
    slow_wpm: number;
    fast_wpm: number;
    speaking_wpm: number;
    reading_cpm: number;
    speaking_cpm: number;
  };
  /** textstat 0.7.13's indices: all of them for English, each language's own for
   * German, Spanish, French, Italian, Dutch, Polish and Russian (the English-only
   * ones null); null with `unavailable_reason` otherwise. */
  readability: {
    flesch_reading_ease: number | null;
    flesch_kincaid_grade: number | null;
    gunning_fog: number | null;
    smog_index: number | null;
    coleman_liau_index: number | null;
    automated_readability_index: number | null;
    dale_chall: number | null;
    linsear_write: number | null;
    spache: number | null;
    mcalpine_eflaw: number | null;
    /** The consensus grade (textstat's text_standard). */
    text_standard: number | null;
    /** The consensus grade in words: "8th grade", "college". */
    grade_level: string | null;
    /** Spanish: Fernández Huerta, Szigriszt-Pazos, Gutiérrez de Polini, Crawford. */
    fernandez_huerta: number | null;
    szigriszt_pazos: number | null;
    gutierrez_polini: number | null;
    crawford: number | null;
    /** German: the Wiener Sachtextformel, variants 1 to 4. */
    wiener_sachtextformel: [number, number, number, number] | null;
    /** Italian: the Gulpease index. */
    gulpease_index: number | null;
    /** The language of the formulas and syllables ("en", "de"…). */
    formula_language: string | null;
    words: number | null;
    sentences: number | null;
    syllables: number | null;
    average_syllables_per_word: number | null;
    polysyllables: number | null;
    monosyllables: number | null;
    long_words: number | null;
    difficult_words: number | null;
    letters: number | null;
    characters: number | null;
    unavailable_reason: string | null;
  };
  language: {
    code: string;
    code_639_1: string | null;
    name: string;
    script: string;
    confidence: number;
    reliable: boolean;
    sample_bytes: number;
    from_main_content: boolean;
    /** Given by the `language` option, not guessed. */
    given: boolean;
  } | null;
  frequencies: { stopwords: string; words: TermTable; bigrams: TermTable; trigrams: TermTable };
  /** For HTML input: the page's structure and where its words are; else null. */
  page: PageReport | null;
}

export interface PageReport {
  structure: {
    title: string | null;
    description: string | null;
    lang: string | null;
    canonical: string | null;
    headings: { level: number; text: string }[];
    headings_total: number;
    links: { total: number; internal: number; external: number; other: number; nofollow: number };
    images: { total: number; missing_alt: number; empty_alt: number; alt_words: number; alt_samples: string[] };
    /** With `main_content_only`: the blocks of text kept, and those dropped by reason. */
    main_content: {
      blocks: number;
      kept: number;
      dropped: {
        reason: "outside_article" | "boilerplate" | "widget" | "link_dense" | "duplicate";
        blocks: number;
        first_words: string;
      }[];
      windows: number;
    } | null;
    metadata: {
      author: string | null;
      published: string | null;
      modified: string | null;
      site_name: string | null;
      keywords: string[];
      robots: { content: string | null; noindex: boolean; nofollow: boolean };
      open_graph: { property: string; content: string }[];
      twitter: { property: string; content: string }[];
      alternates: { hreflang: string; href: string }[];
      json_ld: {
        scripts: number;
        invalid: number;
        types: string[];
        headline: string | null;
        authors: string[];
        date_published: string | null;
        date_modified: string | null;
        publisher: string | null;
      };
    };
    checks: {
      title_chars: number;
      description_chars: number;
      h1: number;
      skipped_heading_levels: { from: number; to: number; index: number }[];
      images_without_alt: string[];
      external_domains: { domain: string; links: number }[];
      external_links_uncounted: number;
    };
  };
  text_characters: number;
  main_found: boolean;
  main_content_only: boolean;
  region_words: { main: number; nav: number; header: number; footer: number; aside: number };
}
"#;
