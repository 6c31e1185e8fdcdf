//! The command line: `wca analyze`, `wca text` and `wca words` (files and URLs),
//! `wca freq`, and `wca serve`.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use wca_core::{Analyzer, Fold, Format, Options, Report, TextExtractor, Tokenizer, Words};

use wca_fetch::{FetchConfig, Fetcher};

/// Word frequencies, n-grams, statistics and readability of text, streamed in flat memory.
#[derive(Debug, Parser)]
#[command(name = "wca", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web page and the API (see the README's server section).
    Serve(Box<wca_server::Config>),
    /// Analyze each input and print a summary, or the full report with --json.
    Analyze {
        #[command(flatten)]
        common: Common,
        /// Print the full report as JSON (an array when there are several inputs).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        fetch: FetchConfig,
        /// Files or http(s) URLs to analyze; `-` or nothing reads standard input.
        /// URLs go through the server's guarded fetcher, with the same limits.
        files: Vec<PathBuf>,
    },
    /// Print each word as the analyzer sees it (segmented and folded), one per line;
    /// for HTML, the words of the visible text (or of the main content).
    Words {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        fetch: FetchConfig,
        /// Files or http(s) URLs to read, one after the other; `-` or nothing reads
        /// standard input.
        files: Vec<PathBuf>,
    },
    /// Print the text as the analyzer reads it: for HTML the visible text (or, with
    /// --main-only, the article), whitespace collapsed, a blank line between blocks.
    Text {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        fetch: FetchConfig,
        /// Files or http(s) URLs to read, one after the other; `-` or nothing reads
        /// standard input.
        files: Vec<PathBuf>,
    },
    /// Print `WORD COUNT` lines, by count descending, ties by word ascending.
    Freq {
        #[command(flatten)]
        common: Common,
        /// Print at most this many words (default: all counted).
        #[arg(long)]
        limit: Option<usize>,
        /// Files to read as one text; `-` or nothing reads standard input.
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TokenizerArg {
    Unicode,
    Whitespace,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Text,
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FoldArg {
    None,
    Ascii,
    Unicode,
}

#[derive(Debug, Args)]
struct Common {
    /// What the input is: `auto` looks at the file extension, then the first bytes.
    #[arg(long, value_enum, default_value = "auto")]
    format: FormatArg,
    /// The input's encoding (`utf-8`, `windows-1252`, `shift_jis`, …); a byte order
    /// mark still wins. Default: declared in the page, else UTF-8 (text) or
    /// windows-1252 (HTML that is not valid UTF-8).
    #[arg(long, value_name = "LABEL")]
    charset: Option<String>,
    /// The page's URL, to tell internal links from external ones.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// HTML: only the main content, the article, without menus, footers, comments and
    /// other page chrome (found as Mozilla's Readability finds it).
    #[arg(long)]
    main_only: bool,
    /// How text is cut into words: UAX #29 word boundaries, or runs of non-whitespace.
    #[arg(long, value_enum, default_value = "unicode")]
    tokenizer: TokenizerArg,
    /// How words are case-folded before counting.
    #[arg(long, value_enum, default_value = "unicode")]
    fold: FoldArg,
    /// Length of the top-word, top-bigram and top-trigram lists.
    #[arg(long, default_value_t = wca_core::DEFAULT_TOP)]
    top: usize,
    /// Also count trigrams (three-word phrases), bounded as bigrams are; slower.
    #[arg(long)]
    trigrams: bool,
    /// The language the text is in (ISO 639-1 or 639-3: en, eng, fr…), instead of the
    /// guess: readability and `--stopwords auto` follow it.
    #[arg(long, value_name = "LANG")]
    language: Option<String>,
    /// Stopwords for the filtered lists: `auto` (detected language), `none`, a language
    /// code (en, de, fr, …) or a file with one stopword per line.
    #[arg(long, default_value = "auto", value_name = "LANG|none|FILE")]
    stopwords: String,
    /// Distinct words counted exactly; past this, counts are approximate with bounds.
    #[arg(long, default_value_t = wca_core::DEFAULT_MAX_DISTINCT)]
    max_distinct: usize,
    /// Bytes read at a time.
    #[arg(long, default_value_t = 64 * 1024, value_parser = clap::value_parser!(u64).range(1..=(1 << 30)))]
    chunk_size: u64,
    /// Threads for a plain-text file of 1 MiB or more, cut at paragraph breaks and
    /// joined exactly (the report is the one-thread report). Default: the cores.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: Option<u16>,
}

impl Common {
    fn threads(&self) -> usize {
        self.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            usize::from,
        )
    }
}

impl Common {
    fn options(&self) -> Result<Options> {
        let mut o = Options::default();
        o.format = match self.format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Text => Format::Text,
            FormatArg::Html => Format::Html,
        };
        o.charset = self.charset.clone();
        o.base_url = self.base_url.clone();
        o.main_content_only = self.main_only;
        o.tokenizer = match self.tokenizer {
            TokenizerArg::Unicode => Tokenizer::Unicode,
            TokenizerArg::Whitespace => Tokenizer::Whitespace,
        };
        o.fold = match self.fold {
            FoldArg::None => Fold::None,
            FoldArg::Ascii => Fold::Ascii,
            FoldArg::Unicode => Fold::Unicode,
        };
        o.top = self.top;
        o.trigrams = self.trigrams;
        o.language = self.language.clone();
        o.max_distinct = self.max_distinct;
        let known = ["auto", "none"].contains(&self.stopwords.as_str())
            || wca_core::stopword_languages()
                .contains(&self.stopwords.to_ascii_lowercase().as_str());
        if known || !Path::new(&self.stopwords).exists() {
            o.stopwords = self.stopwords.clone();
        } else {
            let text = std::fs::read_to_string(&self.stopwords)
                .with_context(|| format!("cannot read stopword file {}", self.stopwords))?;
            o.stopwords = "none".into();
            o.custom_stopwords = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
        }
        Ok(o)
    }
}

/// An input that could not be opened: exit code 2, as `wc` and `grep` exit on a
/// missing file.
#[derive(Debug)]
struct MissingInput(String);

impl std::fmt::Display for MissingInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MissingInput {}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let result = match cli.command {
        Command::Serve(config) => wca_server::run(*config),
        Command::Analyze {
            common,
            json,
            fetch,
            files,
        } => analyze(&common, json, &fetch, &inputs(files)),
        Command::Words {
            common,
            fetch,
            files,
        } => words(&common, &fetch, &inputs(files)),
        Command::Text {
            common,
            fetch,
            files,
        } => text(&common, &fetch, &inputs(files)),
        Command::Freq {
            common,
            limit,
            files,
        } => freq(&common, limit, &inputs(files)),
    };
    match result {
        Err(e) if e.downcast_ref::<MissingInput>().is_some() => {
            eprintln!("wca: {e}");
            Ok(ExitCode::from(2))
        }
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        other => other.map(|()| ExitCode::SUCCESS),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn inputs(files: Vec<PathBuf>) -> Vec<PathBuf> {
    if files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        files
    }
}

/// Opens every input first, so a missing file fails before any output.
fn open_all(files: &[PathBuf]) -> Result<Vec<(String, Box<dyn Read>)>> {
    files
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            if name == "-" {
                return Ok((name, Box::new(io::stdin().lock()) as Box<dyn Read>));
            }
            let file =
                File::open(path).map_err(|e| MissingInput(format!("cannot open {name}: {e}")))?;
            if file.metadata().is_ok_and(|m| m.is_dir()) {
                return Err(MissingInput(format!("cannot read {name}: it is a directory")).into());
            }
            Ok((name, Box::new(file) as Box<dyn Read>))
        })
        .collect()
}

/// Streams `input` in chunks of `chunk_size` bytes into `f`; never reads it whole.
pub(crate) fn stream(
    name: &str,
    input: &mut dyn Read,
    chunk_size: u64,
    mut f: impl FnMut(&[u8]),
) -> Result<()> {
    let mut buf = vec![0u8; chunk_size as usize];
    loop {
        match input.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => f(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).with_context(|| format!("cannot read {name}")),
        }
    }
}

fn analyze(common: &Common, json: bool, fetch: &FetchConfig, inputs: &[PathBuf]) -> Result<()> {
    let options = common.options()?;
    let mut reports = Vec::new();
    // Files are opened first, so a missing one fails before any fetch or output.
    let files: Vec<PathBuf> = inputs.iter().filter(|p| !is_url(p)).cloned().collect();
    let mut opened = open_all(&files)?.into_iter();
    for input in inputs {
        if is_url(input) {
            let url = input.to_string_lossy();
            reports.push((url.to_string(), analyze_url(&url, options.clone(), fetch)?));
            continue;
        }
        let Some((name, mut input)) = opened.next() else {
            break;
        };
        let mut options = options.clone();
        if options.format == Format::Auto {
            options.content_type = content_type_for(&name).map(String::from);
        }
        if name != "-"
            && let Some(analyzer) = crate::parts::analyze(
                Path::new(&name),
                &options,
                common.threads(),
                common.chunk_size,
            )?
        {
            reports.push((name, analyzer.finish()));
            continue;
        }
        let mut analyzer = Analyzer::new(options)?;
        stream(&name, &mut input, common.chunk_size, |c| analyzer.push(c))?;
        reports.push((name, analyzer.finish()));
    }
    let mut out = BufWriter::new(io::stdout().lock());
    if json {
        if let [(_, report)] = reports.as_slice() {
            serde_json::to_writer_pretty(&mut out, report)?;
        } else {
            let all: Vec<_> = reports
                .iter()
                .map(|(name, report)| serde_json::json!({ "source": name, "report": report }))
                .collect();
            serde_json::to_writer_pretty(&mut out, &all)?;
        }
        writeln!(out)?;
    } else {
        for (i, (name, report)) in reports.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            summary(&mut out, name, report)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn is_url(input: &Path) -> bool {
    input.to_str().is_some_and(|s| {
        let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        lower.starts_with("http://") || lower.starts_with("https://")
    })
}

/// Fetches a URL through the guarded fetcher and analyzes it as it streams.
fn analyze_url(url: &str, options: Options, config: &FetchConfig) -> Result<Report> {
    actix_rt::System::new().block_on(async {
        let fetcher = Fetcher::new(wca_fetch::Shared::new(config.clone())?);
        fetcher
            .analyze(url, options, |_| {})
            .await
            .map_err(|e| anyhow::anyhow!("cannot analyze {url}: {e} ({})", e.code()))
    })
}

/// The Content-Type a file's extension implies, as a hint for `--format auto`.
fn content_type_for(name: &str) -> Option<&'static str> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "xhtml" | "shtml" => Some("text/html"),
        "txt" | "text" | "md" => Some("text/plain"),
        _ => None,
    }
}

/// Reads each input, file or URL, one after the other: `start` makes a consumer
/// from the options fitted to the input (the Content-Type its extension or its
/// server gives, a URL's final address as the base), `push` feeds it the bytes as
/// they arrive, `end` finishes it; both write to `out`.
fn each_input<C>(
    common: &Common,
    fetch: &FetchConfig,
    inputs: &[PathBuf],
    mut start: impl FnMut(&Options) -> Result<C>,
    out: &mut Out,
    mut push: impl FnMut(&mut C, &[u8], &mut Out),
    mut end: impl FnMut(C, &mut Out),
) -> Result<()> {
    let options = common.options()?;
    // Files are opened first, so a missing one fails before any fetch or output.
    let files: Vec<PathBuf> = inputs.iter().filter(|p| !is_url(p)).cloned().collect();
    let mut opened = open_all(&files)?.into_iter();
    for input in inputs {
        let mut options = options.clone();
        if is_url(input) {
            let url = input.to_string_lossy().into_owned();
            let failed = |e: wca_fetch::FetchError| {
                anyhow::anyhow!("cannot fetch {url}: {e} ({})", e.code())
            };
            let consumer = actix_rt::System::new().block_on(async {
                options.validate()?;
                let fetcher = Fetcher::new(wca_fetch::Shared::new(fetch.clone())?);
                let mut page = fetcher.open(&url).await.map_err(failed)?;
                options
                    .content_type
                    .get_or_insert(page.content_type.clone());
                options.base_url.get_or_insert(page.url.to_string());
                let mut consumer = start(&options)?;
                while let Some(chunk) = page.body.next().await {
                    push(&mut consumer, &chunk.map_err(failed)?, out);
                }
                anyhow::Ok(consumer)
            })?;
            end(consumer, out);
            out.check()?;
            continue;
        }
        let Some((name, mut input)) = opened.next() else {
            break;
        };
        if options.format == Format::Auto {
            options.content_type = content_type_for(&name).map(String::from);
        }
        let mut consumer = start(&options)?;
        stream(&name, &mut input, common.chunk_size, |c| {
            push(&mut consumer, c, out)
        })?;
        end(consumer, out);
        out.check()?;
    }
    Ok(())
}

/// Standard output, buffered, remembering the first write error (a closed pipe)
/// so that callbacks that cannot return one stop writing.
struct Out {
    out: BufWriter<io::StdoutLock<'static>>,
    failed: Option<io::Error>,
}

impl Out {
    fn new() -> Self {
        Self {
            out: BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
            failed: None,
        }
    }

    fn write(&mut self, text: &str, newline: bool) {
        if self.failed.is_none() {
            let result = if newline {
                writeln!(self.out, "{text}")
            } else {
                self.out.write_all(text.as_bytes())
            };
            self.failed = result.err();
        }
    }

    fn check(&mut self) -> Result<()> {
        match self.failed.take() {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }

    fn finish(mut self) -> Result<()> {
        self.check()?;
        self.out.flush()?;
        Ok(())
    }
}

fn words(common: &Common, fetch: &FetchConfig, inputs: &[PathBuf]) -> Result<()> {
    let mut out = Out::new();
    each_input(
        common,
        fetch,
        inputs,
        |options| Ok(Words::new(options)?),
        &mut out,
        |words, chunk, out| words.push(chunk, |w| out.write(w, true)),
        |words, out| words.finish(|w| out.write(w, true)),
    )?;
    out.finish()
}

fn text(common: &Common, fetch: &FetchConfig, inputs: &[PathBuf]) -> Result<()> {
    let mut out = Out::new();
    each_input(
        common,
        fetch,
        inputs,
        |options| Ok(TextExtractor::new(options)?),
        &mut out,
        |text, chunk, out| text.push(chunk, |t| out.write(t, false)),
        |text, out| {
            text.finish(|t| out.write(t, false));
        },
    )?;
    out.finish()
}

fn freq(common: &Common, limit: Option<usize>, files: &[PathBuf]) -> Result<()> {
    let mut options = common.options()?;
    // freq prints word counts only: skip what it would not print.
    options.bigrams = false;
    options.trigrams = false;
    options.statistics = false;
    let opened = open_all(files)?;
    let parts = match opened.as_slice() {
        [(name, _)] if name != "-" => crate::parts::analyze(
            Path::new(name),
            &options,
            common.threads(),
            common.chunk_size,
        )?,
        _ => None,
    };
    let analyzer = match parts {
        Some(analyzer) => analyzer,
        None => {
            let mut analyzer = Analyzer::new(options)?;
            for (name, mut input) in opened {
                stream(&name, &mut input, common.chunk_size, |c| analyzer.push(c))?;
            }
            analyzer
        }
    };
    let (report, words) = analyzer.finish_with_words(limit.unwrap_or(usize::MAX));
    if !report.frequencies.words.exact {
        eprintln!(
            "wca: more than {} distinct words: counts are lower bounds, each at most {} below the truth \
             (raise --max-distinct for exact counts)",
            common.max_distinct, report.frequencies.words.error_bound
        );
    }
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    for t in &words {
        writeln!(out, "{} {}", t.term, t.count)?;
    }
    out.flush()?;
    Ok(())
}

/// Text from the input, made safe for a terminal: control characters (C0, DEL, C1),
/// which could move the cursor or recolour the screen, and the bidirectional
/// overrides and isolates, which could reorder what is shown, are written as
/// `\u{…}` escapes.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.contains(unsafe_char) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

fn summary(out: &mut impl Write, name: &str, r: &Report) -> io::Result<()> {
    let c = &r.counts;
    writeln!(out, "{}", shown(name))?;
    writeln!(
        out,
        "  format       {}, {} (from {})",
        r.input.format, r.input.encoding, r.input.encoding_source
    )?;
    writeln!(
        out,
        "  input        {} bytes, {} characters{}",
        r.input.bytes,
        r.input.characters,
        if r.input.invalid_sequences > 0 {
            format!(
                ", {} invalid UTF-8 sequences replaced",
                r.input.invalid_sequences
            )
        } else {
            String::new()
        }
    )?;
    let unique = if c.unique_words_exact {
        format!("{}", c.unique_words)
    } else {
        format!(
            "~{} (±{:.1}%)",
            c.unique_words,
            c.unique_words_error * 100.0
        )
    };
    writeln!(
        out,
        "  words        {} ({} unique, type/token {:.4})",
        c.words, unique, c.type_token_ratio
    )?;
    if let Some(h) = c.hapax_legomena {
        writeln!(out, "  hapax        {h} words occur once")?;
    }
    writeln!(
        out,
        "  lines        {}, sentences {}, paragraphs {}",
        c.lines, c.sentences, c.paragraphs
    )?;
    writeln!(
        out,
        "  averages     {:.2} characters per word, {:.2} words per sentence",
        c.average_word_length, c.average_sentence_length
    )?;
    if let Some(l) = &c.longest_word {
        writeln!(
            out,
            "  longest word {} ({} characters)",
            shown(&l.word),
            l.characters
        )?;
    }
    if let Some(l) = &c.longest_sentence {
        let more = if l.words > wca_core::LONGEST_SENTENCE_WORDS {
            " …"
        } else {
            ""
        };
        writeln!(
            out,
            "  longest sentence {} words: {}{more}",
            l.words,
            shown(&l.first_words)
        )?;
    }
    writeln!(
        out,
        "  characters   {} with spaces, {} without",
        c.characters, c.characters_no_spaces
    )?;
    if c.cjk_characters + c.thai_characters > 0 {
        writeln!(
            out,
            "  CJK/Thai     {} CJK and {} Thai characters",
            c.cjk_characters, c.thai_characters
        )?;
    }
    writeln!(
        out,
        "  time         reading {} ({} slow, {} fast), speaking {}",
        duration(r.time.reading_seconds),
        duration(r.time.reading_seconds_slow),
        duration(r.time.reading_seconds_fast),
        duration(r.time.speaking_seconds)
    )?;
    match (
        &r.readability.flesch_reading_ease,
        &r.readability.flesch_kincaid_grade,
    ) {
        (Some(fre), Some(fk)) => {
            let rd = &r.readability;
            let n = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.1}"));
            writeln!(
                out,
                "  readability  {} (consensus {}); Flesch reading ease {fre:.1}, Flesch–Kincaid {fk:.1}",
                rd.grade_level.as_deref().unwrap_or("—"),
                n(rd.text_standard),
            )?;
            writeln!(
                out,
                "               Gunning Fog {}, SMOG {}, Coleman–Liau {}, ARI {}, Dale–Chall {}, \
                 Linsear Write {}, Spache {}, McAlpine EFLAW {}",
                n(rd.gunning_fog),
                n(rd.smog_index),
                n(rd.coleman_liau_index),
                n(rd.automated_readability_index),
                n(rd.dale_chall),
                n(rd.linsear_write),
                n(rd.spache),
                n(rd.mcalpine_eflaw),
            )?;
        }
        (Some(fre), None) => {
            // Another language's formulas: Flesch with its constants, and its own.
            let rd = &r.readability;
            let mut parts = vec![format!(
                "Flesch reading ease ({}) {fre:.1}",
                rd.formula_language.as_deref().unwrap_or("?")
            )];
            let named = [
                ("Fernández Huerta", rd.fernandez_huerta),
                ("Szigriszt-Pazos", rd.szigriszt_pazos),
                ("Gutiérrez de Polini", rd.gutierrez_polini),
                ("Crawford", rd.crawford),
                ("Gulpease", rd.gulpease_index),
                ("Gunning Fog", rd.gunning_fog),
            ];
            for (name, v) in named {
                if let Some(v) = v {
                    parts.push(format!("{name} {v:.1}"));
                }
            }
            if let Some(w) = rd.wiener_sachtextformel {
                parts.push(format!(
                    "Wiener Sachtextformel {:.1} / {:.1} / {:.1} / {:.1}",
                    w[0], w[1], w[2], w[3]
                ));
            }
            writeln!(out, "  readability  {}", parts.join(", "))?;
        }
        _ => writeln!(
            out,
            "  readability  n/a: {}",
            r.readability
                .unavailable_reason
                .as_deref()
                .unwrap_or("not computed")
        )?,
    }
    match &r.language {
        Some(l) if l.given => writeln!(out, "  language     {} ({}), given", l.name, l.code)?,
        Some(l) => writeln!(
            out,
            "  language     {} ({}), confidence {:.2}{}",
            l.name,
            l.code,
            l.confidence,
            if l.reliable { "" } else { ", unreliable" }
        )?,
        None => writeln!(out, "  language     unknown")?,
    }
    if let Some(page) = &r.page {
        let s = &page.structure;
        if let Some(title) = &s.title {
            writeln!(out, "  title        {}", shown(title))?;
        }
        if let Some(d) = &s.description {
            writeln!(out, "  description  {}", shown(d))?;
        }
        writeln!(
            out,
            "  page         lang {}, {} headings, {} links ({} internal, {} external, {} nofollow), {} images ({} without alt)",
            shown(s.lang.as_deref().unwrap_or("?")),
            s.headings_total,
            s.links.total,
            s.links.internal,
            s.links.external,
            s.links.nofollow,
            s.images.total,
            s.images.missing_alt
        )?;
        for h in s.headings.iter().take(12) {
            writeln!(
                out,
                "  {:>width$}h{} {}",
                "",
                h.level,
                shown(&h.text),
                width = 2 * usize::from(h.level)
            )?;
        }
        let w = &page.region_words;
        writeln!(
            out,
            "  regions      words in main {}{}, nav {}, header {}, footer {}, aside {}",
            w.main,
            if page.main_found {
                ""
            } else {
                " (no main region)"
            },
            w.nav,
            w.header,
            w.footer,
            w.aside
        )?;
    }
    let words = &r.frequencies.words;
    let approx = if words.exact {
        String::new()
    } else {
        format!(" (approximate: counts ≤{} low)", words.error_bound)
    };
    let list = |terms: &[wca_core::Term]| {
        terms
            .iter()
            .take(10)
            .map(|t| format!("{} {}", shown(&t.term), t.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "  top words    {}{approx}", list(&words.top))?;
    writeln!(
        out,
        "  without stopwords ({}): {}",
        r.frequencies.stopwords,
        list(&words.top_filtered)
    )?;
    let f = &r.frequencies;
    for (counted, label, table) in [
        (r.settings.bigrams, "bigrams ", &f.bigrams),
        (r.settings.trigrams, "trigrams", &f.trigrams),
    ] {
        if counted {
            writeln!(out, "  top {label} {}", list(&table.top_filtered))?;
        }
    }
    Ok(())
}

fn duration(seconds: f64) -> String {
    let s = seconds.round() as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {:02}s", s / 60, s % 60),
        _ => format!("{}h {:02}m", s / 3600, (s % 3600) / 60),
    }
}
