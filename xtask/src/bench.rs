//! `cargo xtask bench`: wca's speed and memory against baselines measured in the same run.
//!
//! ```text
//! cargo xtask bench [--quick] [--runs N] [--big-mib N] [--no-build]
//! ```
//!
//! 1. Builds `wca` (`cargo build --release -p wca`, unless `--no-build`) and the
//!    naive baseline `bench/naive.rs` (`rustc -C opt-level=3`, so it is optimised
//!    whatever profile xtask runs in).
//! 2. Makes the data under `target/bench/` when missing: `kjv10.txt` (the committed
//!    King James Bible ×10) and `multilingual.txt` (the UDHR texts of
//!    `tests/data/multilingual/` repeated to 40 MB). The large input is never
//!    written: a deterministic generator streams it into `wca analyze -`.
//! 3. Checks the answers before timing anything: `wca freq --tokenizer whitespace
//!    --fold ascii` and the naive baseline on KJV ×10 equal the countwords expected
//!    output; on each corpus `wc -w`, the naive baseline, `wca analyze --tokenizer
//!    whitespace` and the sum of `wca freq` counts agree.
//! 4. Times `wc -w`, the naive baseline, `wca analyze` (UAX #29 words, all
//!    statistics) and `wca freq --tokenizer whitespace --fold ascii` on each corpus,
//!    interleaved (the order rotates every round), and reports the median of
//!    `--runs` rounds (5; 3 with `--quick`) as MB/s and as ratios to `wc -w` and to
//!    the naive baseline of the same run.
//! 5. Measures peak RSS (GNU time's `%M` when /usr/bin/time is there, else polling
//!    `VmHWM` in /proc) of `wca analyze` on the corpora and on the generated input:
//!    1 GiB with at least 10 M distinct words (`--quick`: 64 MiB, at least 1 M).
//! 6. Prints a markdown report and writes it to `target/bench/report.md`
//!    (`report-quick.md` with `--quick`).
//!
//! Wrong answers and a peak RSS over 64 MiB fail the task; speed goals are only
//! reported, as met or missed, since shared machines are noisy.

mod corpus_gen;
mod html;

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::util::{self, Result};

/// The locale `wc` runs in: UTF-8 aware, so it decodes multibyte characters.
const WC_LOCALE: &str = "C.UTF-8";
/// The memory bar of `wca analyze` at the default budget.
const RSS_LIMIT_MIB: f64 = 64.0;
/// Size the multilingual corpus is repeated to.
const MULTILINGUAL_BYTES: u64 = 40_000_000;
/// Seed of the generated input.
const SEED: u64 = 0x5eed_0fc0_ffee;

struct Options {
    quick: bool,
    runs: usize,
    big_bytes: u64,
    min_distinct: u64,
    build: bool,
    args: Vec<String>,
}

fn options(args: &[String]) -> Result<Options> {
    let quick = args.iter().any(|a| a == "--quick");
    let mut o = Options {
        quick,
        runs: if quick { 3 } else { 5 },
        big_bytes: if quick { 64 << 20 } else { 1 << 30 },
        min_distinct: if quick { 1_000_000 } else { 10_000_000 },
        build: true,
        args: args.to_vec(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => {}
            "--no-build" => o.build = false,
            "--runs" | "--big-mib" => {
                let n: u64 = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("{a} takes a positive number"))?;
                if a == "--runs" {
                    o.runs = n as usize;
                } else {
                    o.big_bytes = n << 20;
                    // About one word in eight or nine bytes, one in six of them fresh.
                    o.min_distinct = o.min_distinct.min(o.big_bytes / 64);
                }
            }
            "-h" | "--help" => {
                return Err(
                    "usage: cargo xtask bench [--quick] [--runs N] [--big-mib N] [--no-build]"
                        .into(),
                );
            }
            _ => {
                return Err(format!("cargo xtask bench: unknown argument {a} (try --help)").into());
            }
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result {
    let opts = options(args)?;
    let root = util::root();
    let (target, wca) = util::release_wca(opts.build)?;
    let dir = target.join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let naive = build_naive(&root, &dir)?;
    let machine = Machine::probe();
    let tools = Tools { wca, naive };

    let expected = root.join("tests/data/countwords/kjvbible_x10_expected_output.txt");
    let expected = std::fs::read(&expected).map_err(|e| format!("{}: {e}", expected.display()))?;
    let mut corpora = vec![
        Corpus::new("KJV ×10", kjv10(&root, &dir)?, Some(expected)),
        Corpus::new("UDHR, 18 languages", multilingual(&root, &dir)?, None),
    ];

    for c in &mut corpora {
        eprintln!("xtask: bench: checking the answers on {}", c.name);
        check(&tools, c)?;
    }
    let mut timings = Vec::new();
    for c in &corpora {
        eprintln!("xtask: bench: timing {} ({} rounds)", c.name, opts.runs);
        timings.push(time_corpus(&tools, c, opts.runs)?);
    }

    eprintln!("xtask: bench: peak RSS on the corpora");
    let rss_method = RssMethod::pick();
    let mut memory = Vec::new();
    for (c, tool) in [
        (0, Tool::Wc),
        (0, Tool::Naive),
        (0, Tool::Analyze),
        (0, Tool::Freq),
        (0, Tool::Analyze1),
        (1, Tool::Analyze),
    ] {
        let m = measure(
            tools.command(tool, &corpora[c].path),
            rss_method,
            &dir,
            None,
        )?;
        memory.push((corpora[c].name, tool, m.peak_kib));
    }
    eprintln!(
        "xtask: bench: peak RSS of wca analyze on {} MiB of generated text",
        opts.big_bytes >> 20
    );
    let big = big_run(&tools, &opts, rss_method, &dir)?;
    eprintln!("xtask: bench: HTML next to plain text");
    let html = html::run(&tools.wca, &corpora[0].path, &dir, opts.runs)?;

    let mut report = report(
        &opts, &machine, &corpora, &timings, &memory, &big, rss_method,
    );
    report.push_str(&html.markdown());
    print!("{report}");
    let path = dir.join(if opts.quick {
        "report-quick.md"
    } else {
        "report.md"
    });
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("xtask: bench: report written to {}", path.display());
    if big.peak_kib as f64 / 1024.0 > RSS_LIMIT_MIB {
        return Err(format!(
            "peak RSS of wca analyze on the generated input is {:.1} MiB, over the {RSS_LIMIT_MIB} MiB bar",
            big.peak_kib as f64 / 1024.0
        )
        .into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Tools and data

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Wc,
    Naive,
    Analyze,
    Freq,
    /// The same on one thread: a pipe's case, and the browser's.
    Analyze1,
    Freq1,
}

const TOOLS: [Tool; 6] = [
    Tool::Wc,
    Tool::Naive,
    Tool::Analyze,
    Tool::Freq,
    Tool::Analyze1,
    Tool::Freq1,
];

impl Tool {
    fn label(self) -> &'static str {
        match self {
            Tool::Wc => "`wc -w`",
            Tool::Naive => "naive `split_whitespace` + `HashMap`",
            Tool::Analyze => "`wca analyze` (UAX #29 words, all statistics)",
            Tool::Freq => "`wca freq --tokenizer whitespace --fold ascii`",
            Tool::Analyze1 => "`wca analyze --threads 1`",
            Tool::Freq1 => "`wca freq --tokenizer whitespace --fold ascii --threads 1`",
        }
    }
}

struct Tools {
    wca: PathBuf,
    naive: PathBuf,
}

impl Tools {
    fn command(&self, tool: Tool, file: &Path) -> Command {
        let mut c;
        match tool {
            Tool::Wc => {
                c = Command::new("wc");
                c.arg("-w").env("LC_ALL", WC_LOCALE);
            }
            Tool::Naive => c = Command::new(&self.naive),
            Tool::Analyze => {
                c = Command::new(&self.wca);
                c.arg("analyze");
            }
            Tool::Freq => {
                c = Command::new(&self.wca);
                c.args(["freq", "--tokenizer", "whitespace", "--fold", "ascii"]);
            }
            Tool::Analyze1 => {
                c = Command::new(&self.wca);
                c.args(["analyze", "--threads", "1"]);
            }
            Tool::Freq1 => {
                c = Command::new(&self.wca);
                c.args([
                    "freq",
                    "--tokenizer",
                    "whitespace",
                    "--fold",
                    "ascii",
                    "--threads",
                    "1",
                ]);
            }
        }
        c.arg(file);
        c
    }
}

struct Corpus {
    name: &'static str,
    path: PathBuf,
    bytes: u64,
    /// The countwords expected output, where there is one.
    expected: Option<Vec<u8>>,
    words: u64,
    unicode_words: u64,
    unicode_distinct: u64,
}

impl Corpus {
    fn new(name: &'static str, path: PathBuf, expected: Option<Vec<u8>>) -> Corpus {
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        Corpus {
            name,
            path,
            bytes,
            expected,
            words: 0,
            unicode_words: 0,
            unicode_distinct: 0,
        }
    }
}

/// Compiles `bench/naive.rs` unless the binary is newer than the source and the compiler.
fn build_naive(root: &Path, dir: &Path) -> Result<PathBuf> {
    let source = root.join("bench/naive.rs");
    let binary = dir.join("naive");
    let stamp = dir.join("naive.rustc");
    let version = capture(Command::new("rustc").arg("-V"))?;
    let fresh = std::fs::read_to_string(&stamp).is_ok_and(|s| s == version)
        && modified(&binary).is_some_and(|b| modified(&source).is_some_and(|s| s <= b));
    if !fresh {
        let mut c = Command::new("rustc");
        c.args([
            "--edition",
            "2024",
            "-C",
            "opt-level=3",
            "-C",
            "codegen-units=1",
            "-o",
        ])
        .arg(&binary)
        .arg(&source);
        util::step("build the naive baseline", c)?;
        std::fs::write(&stamp, version)?;
    }
    Ok(binary)
}

fn modified(p: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(p).and_then(|m| m.modified()).ok()
}

/// `target/bench/kjv10.txt`: the committed KJV ten times, remade when its size is off.
fn kjv10(root: &Path, dir: &Path) -> Result<PathBuf> {
    let source = root.join("tests/data/countwords/kjvbible.txt");
    let text = std::fs::read(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let path = dir.join("kjv10.txt");
    if std::fs::metadata(&path).map_or(true, |m| m.len() != 10 * text.len() as u64) {
        eprintln!("xtask: bench: writing {}", path.display());
        std::fs::write(&path, text.repeat(10))?;
    }
    Ok(path)
}

/// `target/bench/multilingual.txt`: every `tests/data/multilingual/*.txt`, in name order,
/// a blank line after each, the whole repeated to at least 40 MB.
fn multilingual(root: &Path, dir: &Path) -> Result<PathBuf> {
    let folder = root.join("tests/data/multilingual");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|e| format!("{}: {e}", folder.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no .txt files in {}", folder.display()).into());
    }
    let mut unit = Vec::new();
    for f in &files {
        unit.extend(std::fs::read(f)?);
        unit.push(b'\n');
    }
    let copies = MULTILINGUAL_BYTES.div_ceil(unit.len() as u64);
    let path = dir.join("multilingual.txt");
    if std::fs::metadata(&path).map_or(true, |m| m.len() != copies * unit.len() as u64)
        || std::fs::read(&path).map_or(true, |t| !t.starts_with(&unit))
    {
        eprintln!("xtask: bench: writing {}", path.display());
        std::fs::write(&path, unit.repeat(copies as usize))?;
    }
    Ok(path)
}

// ---------------------------------------------------------------------------
// Correctness

fn check(tools: &Tools, c: &mut Corpus) -> Result {
    let file = &c.path;
    let wc = capture(&mut tools.command(Tool::Wc, file))?;
    let wc_words: u64 = wc
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("cannot read the count in `wc -w` output {wc:?}"))?;

    let naive = tools.command(Tool::Naive, file).output()?;
    if !naive.status.success() {
        return Err(format!("the naive baseline failed on {}", file.display()).into());
    }
    let stderr = String::from_utf8_lossy(&naive.stderr);
    let naive_words: u64 = stderr
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("cannot read the naive baseline's count in {stderr:?}"))?;

    let mut ws = Command::new(&tools.wca);
    ws.args(["analyze", "--json", "--tokenizer", "whitespace"])
        .arg(file);
    let ws_json = capture(&mut ws)?;
    let wca_words = json_number(&ws_json, "counts", "words")?;

    let freq = tools.command(Tool::Freq, file).output()?;
    if !freq.status.success() {
        return Err(format!("wca freq failed on {}", file.display()).into());
    }
    let mut freq_sum = 0u64;
    for line in String::from_utf8_lossy(&freq.stdout).lines() {
        let n = line.rsplit(' ').next().and_then(|n| n.parse::<u64>().ok());
        freq_sum += n.ok_or_else(|| format!("wca freq printed {line:?}, not `WORD COUNT`"))?;
    }

    let counts = format!(
        "{}: wc -w {wc_words}, naive {naive_words}, wca analyze --tokenizer whitespace {wca_words}, \
         sum of wca freq counts {freq_sum}",
        c.name
    );
    if !(wc_words == naive_words && naive_words == wca_words && wca_words == freq_sum) {
        return Err(format!("word counts disagree: {counts}").into());
    }
    eprintln!("xtask: bench: {counts}: agree");
    if let Some(expected) = &c.expected {
        for (who, out) in [
            ("wca freq --tokenizer whitespace --fold ascii", &freq.stdout),
            ("naive", &naive.stdout),
        ] {
            if out != expected {
                return Err(format!(
                    "{} on {}: output differs from the countwords expected output",
                    who, c.name
                )
                .into());
            }
        }
        eprintln!(
            "xtask: bench: {}: wca freq and naive outputs equal the expected output",
            c.name
        );
    }

    // The timed configuration must run too; its counts go in the report.
    let mut full = Command::new(&tools.wca);
    full.args(["analyze", "--json"]).arg(file);
    let json = capture(&mut full)?;
    c.words = wc_words;
    c.unicode_words = json_number(&json, "counts", "words")?;
    c.unicode_distinct = json_number(&json, "counts", "unique_words")?;
    Ok(())
}

/// The number after `"key":` in the object that follows `"object":` (wca's own JSON layout).
fn json_number(json: &str, object: &str, key: &str) -> Result<u64> {
    let start = json
        .find(&format!("\"{object}\""))
        .ok_or_else(|| format!("no {object} in the report"))?;
    let rest = &json[start..];
    let at = rest
        .find(&format!("\"{key}\":"))
        .ok_or_else(|| format!("no {object}.{key} in the report"))?;
    let value = rest[at + key.len() + 3..].trim_start();
    let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().map_err(|_| {
        format!(
            "{object}.{key} is not a count: {:?}",
            &value[..value.len().min(20)]
        )
        .into()
    })
}

// ---------------------------------------------------------------------------
// Timing

struct Timing {
    /// Wall seconds of each round, per tool (in `TOOLS` order).
    seconds: [Vec<f64>; 6],
}

impl Timing {
    fn median(&self, tool: Tool) -> f64 {
        let i = TOOLS.iter().position(|&t| t == tool).unwrap_or(0);
        median(&self.seconds[i])
    }
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2.0,
    }
}

fn time_corpus(tools: &Tools, c: &Corpus, runs: usize) -> Result<Timing> {
    let mut t = Timing {
        seconds: Default::default(),
    };
    for round in 0..runs {
        for k in 0..TOOLS.len() {
            let i = (k + round) % TOOLS.len();
            let mut cmd = tools.command(TOOLS[i], &c.path);
            cmd.stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let start = Instant::now();
            let out = cmd
                .output()
                .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
            let secs = start.elapsed().as_secs_f64();
            if !out.status.success() {
                return Err(
                    format!("{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr)).into(),
                );
            }
            t.seconds[i].push(secs);
        }
    }
    Ok(t)
}

// ---------------------------------------------------------------------------
// Peak RSS

#[derive(Clone, Copy)]
enum RssMethod {
    /// GNU time's `%M` (the kernel's `ru_maxrss` of the child).
    GnuTime,
    /// `VmHWM` of /proc/PID/status, read every millisecond.
    Poll,
}

impl RssMethod {
    /// GNU time when /usr/bin/time is GNU's, else polling; `XTASK_BENCH_RSS=poll` forces polling.
    fn pick() -> RssMethod {
        if std::env::var("XTASK_BENCH_RSS").is_ok_and(|v| v == "poll") {
            return RssMethod::Poll;
        }
        let gnu = Command::new("/usr/bin/time")
            .arg("--version")
            .output()
            .is_ok_and(|o| {
                String::from_utf8_lossy(&o.stdout).contains("GNU")
                    || String::from_utf8_lossy(&o.stderr).contains("GNU")
            });
        if gnu {
            RssMethod::GnuTime
        } else {
            RssMethod::Poll
        }
    }

    fn describe(self) -> &'static str {
        match self {
            RssMethod::GnuTime => "GNU time `%M` (the kernel's maxrss of the process)",
            RssMethod::Poll => "`VmHWM` of /proc/PID/status, polled every millisecond",
        }
    }
}

struct Measured {
    stdout: String,
    seconds: f64,
    peak_kib: u64,
}

/// Runs `cmd` to the end, feeding it `feed` (generator, bytes) on standard input if given,
/// and measures its peak RSS.
fn measure(
    cmd: Command,
    method: RssMethod,
    dir: &Path,
    feed: Option<(&mut corpus_gen::Generator, u64)>,
) -> Result<Measured> {
    let rss_file = dir.join("rss.txt");
    let mut cmd = match method {
        RssMethod::Poll => cmd,
        RssMethod::GnuTime => {
            let _ = std::fs::remove_file(&rss_file);
            let mut w = Command::new("/usr/bin/time");
            w.args(["-f", "%M", "-o"])
                .arg(&rss_file)
                .arg(cmd.get_program())
                .args(cmd.get_args());
            for (k, v) in cmd.get_envs() {
                if let Some(v) = v {
                    w.env(k, v);
                }
            }
            w
        }
    };
    let shown = format!("{cmd:?}");
    cmd.stdin(if feed.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    let pid = child.id();
    let stdin = child.stdin.take();
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let done = AtomicBool::new(false);
    let (out, err, status, polled, fed) = std::thread::scope(|s| {
        let writer = s.spawn(move || -> std::io::Result<()> {
            let (Some(mut stdin), Some((g, size))) = (stdin, feed) else {
                return Ok(());
            };
            let mut chunk = Vec::with_capacity(1 << 21);
            while g.bytes < size {
                g.chunk(&mut chunk, (1 << 20).min((size - g.bytes) as usize));
                stdin.write_all(&chunk)?;
            }
            Ok(())
        });
        let errors = s.spawn(move || {
            let mut e = Vec::new();
            let _ = stderr.read_to_end(&mut e);
            e
        });
        let poller = s.spawn(|| {
            let mut peak = 0;
            if let RssMethod::Poll = method {
                while !done.load(Ordering::Relaxed) {
                    peak = peak.max(vm_hwm_kib(pid).unwrap_or(0));
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
            peak
        });
        let mut out = Vec::new();
        let read = stdout.read_to_end(&mut out);
        let status = child.wait();
        done.store(true, Ordering::Relaxed);
        let fed = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("writer panicked")));
        (
            read.map(|_| out),
            errors.join().unwrap_or_default(),
            status,
            poller.join().unwrap_or(0),
            fed,
        )
    });
    let seconds = start.elapsed().as_secs_f64();
    let status = status?;
    if !status.success() {
        return Err(format!(
            "{shown} failed ({status}): {}",
            String::from_utf8_lossy(&err)
        )
        .into());
    }
    fed.map_err(|e| format!("feeding {shown}: {e}"))?;
    let peak_kib = match method {
        RssMethod::Poll => polled,
        RssMethod::GnuTime => {
            let text = std::fs::read_to_string(&rss_file)
                .map_err(|e| format!("{}: {e}", rss_file.display()))?;
            text.lines()
                .filter_map(|l| l.trim().parse().ok())
                .next_back()
                .ok_or_else(|| format!("no %M figure in {text:?}"))?
        }
    };
    Ok(Measured {
        stdout: String::from_utf8_lossy(&out?).into_owned(),
        seconds,
        peak_kib,
    })
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct Big {
    bytes: u64,
    words: u64,
    fresh: u64,
    wca_words: u64,
    wca_distinct: u64,
    seconds: f64,
    peak_kib: u64,
}

/// `wca analyze --json -` fed the generated text through a pipe.
fn big_run(tools: &Tools, opts: &Options, method: RssMethod, dir: &Path) -> Result<Big> {
    let mut g = corpus_gen::Generator::new(SEED);
    let mut cmd = Command::new(&tools.wca);
    cmd.args(["analyze", "--json", "-"]);
    let m = measure(cmd, method, dir, Some((&mut g, opts.big_bytes)))?;
    let big = Big {
        bytes: g.bytes,
        words: g.words,
        fresh: g.fresh,
        wca_words: json_number(&m.stdout, "counts", "words")?,
        wca_distinct: json_number(&m.stdout, "counts", "unique_words")?,
        seconds: m.seconds,
        peak_kib: m.peak_kib,
    };
    if big.fresh < opts.min_distinct {
        return Err(format!(
            "the generator made {} distinct words, fewer than {}",
            big.fresh, opts.min_distinct
        )
        .into());
    }
    if big.wca_words != big.words {
        return Err(format!(
            "wca analyze counted {} words in the generated text, which has {}",
            big.wca_words, big.words
        )
        .into());
    }
    if (big.wca_distinct as f64) < 0.9 * big.fresh as f64 {
        return Err(format!(
            "wca analyze estimates {} distinct words in the generated text, which has at least {}",
            big.wca_distinct, big.fresh
        )
        .into());
    }
    Ok(big)
}

// ---------------------------------------------------------------------------
// Machine and report

struct Machine {
    cpu: String,
    cpus: usize,
    memory: String,
    os: String,
    kernel: String,
    wc: String,
    wc_charmap: String,
    rustc: String,
    load: String,
    revision: String,
}

impl Machine {
    fn probe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let field = |name: &str| {
            cpuinfo
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        };
        let cpus = cpuinfo
            .lines()
            .filter(|l| l.starts_with("processor"))
            .count();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .map_or_else(
                || "?".into(),
                |kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0),
            );
        let os = std::fs::read_to_string("/etc/os-release")
            .unwrap_or_default()
            .lines()
            .find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_string())
            })
            .unwrap_or_else(|| "?".into());
        let first_line = |c: &mut Command| {
            capture(c).map_or_else(
                |_| "?".into(),
                |s| s.lines().next().unwrap_or("?").to_string(),
            )
        };
        let mut charmap = Command::new("locale");
        charmap.arg("charmap").env("LC_ALL", WC_LOCALE);
        let revision = capture(
            Command::new("git")
                .args(["rev-parse", "--short", "HEAD"])
                .current_dir(util::root()),
        )
        .map(|r| {
            let dirty = capture(
                Command::new("git")
                    .args(["status", "--porcelain"])
                    .current_dir(util::root()),
            )
            .is_ok_and(|s| !s.trim().is_empty());
            format!(
                "{}{}",
                r.trim(),
                if dirty { " + uncommitted changes" } else { "" }
            )
        })
        .unwrap_or_else(|_| "?".into());
        Machine {
            cpu: field("model name").unwrap_or_else(|| "?".into()),
            cpus: cpus.max(std::thread::available_parallelism().map_or(0, usize::from)),
            memory,
            os,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map_or_else(|_| "?".into(), |s| s.trim().into()),
            wc: first_line(Command::new("wc").arg("--version")),
            wc_charmap: first_line(&mut charmap),
            rustc: first_line(Command::new("rustc").arg("-V")),
            load: std::fs::read_to_string("/proc/loadavg")
                .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
                .unwrap_or_else(|_| "?".into()),
            revision,
        }
    }
}

fn report(
    opts: &Options,
    m: &Machine,
    corpora: &[Corpus],
    timings: &[Timing],
    memory: &[(&str, Tool, u64)],
    big: &Big,
    method: RssMethod,
) -> String {
    let mut r = String::new();
    let command = std::iter::once("cargo xtask bench".to_string())
        .chain(opts.args.iter().cloned())
        .collect::<Vec<_>>();
    let _ = writeln!(
        r,
        "## wca benchmark{}\n",
        if opts.quick { " (quick)" } else { "" }
    );
    let _ = writeln!(
        r,
        "- Command: `{}` ({} interleaved rounds, median)",
        command.join(" "),
        opts.runs
    );
    let _ = writeln!(r, "- Date: {} UTC, wca at {}", today(), m.revision);
    let _ = writeln!(
        r,
        "- Machine: {}, {} logical CPUs, {} RAM; {}, Linux {}",
        m.cpu, m.cpus, m.memory, m.os, m.kernel
    );
    let _ = writeln!(r, "- Load average at start: {} (shared machine)", m.load);
    let _ = writeln!(
        r,
        "- {}, run as `LC_ALL={WC_LOCALE} wc -w FILE` (charmap {})",
        m.wc, m.wc_charmap
    );
    let _ = writeln!(
        r,
        "- {}; naive baseline `bench/naive.rs` built with `-C opt-level=3`\n",
        m.rustc
    );

    let _ = writeln!(r, "### Throughput\n");
    let _ = writeln!(
        r,
        "| corpus | command | median s | MB/s | × `wc -w` | wall time / `wc -w`'s | × naive |"
    );
    let _ = writeln!(r, "| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (c, t) in corpora.iter().zip(timings) {
        let wc = t.median(Tool::Wc);
        let naive = t.median(Tool::Naive);
        for tool in TOOLS {
            let s = t.median(tool);
            let _ = writeln!(
                r,
                "| {} | {} | {:.3} | {:.1} | {:.2} | {:.2} | {:.2} |",
                c.name,
                tool.label(),
                s,
                c.bytes as f64 / s / 1e6,
                wc / s,
                s / wc,
                naive / s
            );
        }
    }
    let _ = writeln!(
        r,
        "\nMB = 10^6 bytes; × `wc -w` is `wc -w`'s median time over the command's (above 1: faster).\n"
    );

    let _ = writeln!(r, "### Corpora (counts checked before timing)\n");
    let _ = writeln!(
        r,
        "| corpus | bytes | words (`wc -w` = naive = wca whitespace) | UAX #29 words (wca) | distinct (wca, Unicode fold) |"
    );
    let _ = writeln!(r, "| --- | ---: | ---: | ---: | ---: |");
    for c in corpora {
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {} |",
            c.name,
            thousands(c.bytes),
            thousands(c.words),
            thousands(c.unicode_words),
            thousands(c.unicode_distinct)
        );
    }
    let _ = writeln!(
        r,
        "\nKJV ×10: `wca freq --tokenizer whitespace --fold ascii` and the naive baseline print exactly \
         `tests/data/countwords/kjvbible_x10_expected_output.txt`. UDHR: `tests/data/multilingual/*.txt` repeated to 40 MB.\n"
    );

    let _ = writeln!(r, "### Peak RSS\n");
    let _ = writeln!(r, "| input | command | peak RSS |");
    let _ = writeln!(r, "| --- | --- | ---: |");
    for (name, tool, kib) in memory {
        let _ = writeln!(r, "| {name} | {} | {} |", tool.label(), mib(*kib));
    }
    let _ = writeln!(
        r,
        "| generated, {} bytes, {} words, ≥ {} distinct (wca estimates {}) | `wca analyze -` (default budget), streamed through a pipe in {:.1} s | {} |",
        thousands(big.bytes),
        thousands(big.words),
        thousands(big.fresh),
        thousands(big.wca_distinct),
        big.seconds,
        mib(big.peak_kib)
    );
    let _ = writeln!(r, "\nMeasured with {}.\n", method.describe());

    let _ = writeln!(r, "### Goals\n");
    let _ = writeln!(r, "| what | measured | bar | goal | verdict |");
    let _ = writeln!(r, "| --- | ---: | ---: | ---: | --- |");
    for (c, t) in corpora.iter().zip(timings) {
        let wc = t.median(Tool::Wc);
        let a = wc / t.median(Tool::Analyze);
        let verdict = if a >= 2.0 {
            "goal met"
        } else if a >= 1.0 {
            "bar met, goal missed"
        } else {
            "**bar missed**"
        };
        let _ = writeln!(
            r,
            "| `wca analyze` speed vs `wc -w`, {} | {a:.2}× | ≥ 1× | ≥ 2× | {verdict} |",
            c.name
        );
        let f = wc / t.median(Tool::Freq);
        let verdict = if f >= 2.5 { "goal met" } else { "goal missed" };
        let _ = writeln!(
            r,
            "| `wca freq` speed vs `wc -w`, {} | {f:.2}× | — | ≥ 2.5× | {verdict} |",
            c.name
        );
        let one = t.median(Tool::Analyze1) / wc;
        let verdict = if one <= 1.0 {
            "goal met"
        } else {
            "goal missed"
        };
        let _ = writeln!(
            r,
            "| `wca analyze --threads 1` wall time / `wc -w`'s, {} | {one:.2} | — | ≤ 1.0 | {verdict} |",
            c.name
        );
    }
    let peak = big.peak_kib as f64 / 1024.0;
    let verdict = if peak <= RSS_LIMIT_MIB {
        "met"
    } else {
        "**missed**"
    };
    let size = if big.bytes >= 1 << 30 {
        "1 GiB".to_string()
    } else {
        format!("{} MiB", big.bytes >> 20)
    };
    let _ = writeln!(
        r,
        "| `wca analyze` peak RSS, {size}, ≥ {} M distinct words | {peak:.1} MiB | ≤ {RSS_LIMIT_MIB} MiB | — | {verdict} |",
        big.fresh / 1_000_000
    );
    if opts.quick {
        let _ = writeln!(
            r,
            "\nQuick run: fewer rounds and a smaller generated input; the figures to quote come from `cargo xtask bench`."
        );
    }
    r
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Standard output of `cmd`, which must succeed.
fn capture(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1_234), "1,234");
        assert_eq!(thousands(43_325_060), "43,325,060");
        let json = "{\"counts\": {\n \"words\": 12,\n \"unique_words\": 7,\n}, \"frequencies\": {\"words\": 3}}";
        assert_eq!(json_number(json, "counts", "words").unwrap(), 12);
        assert_eq!(json_number(json, "counts", "unique_words").unwrap(), 7);
        assert_eq!(today().len(), 10);
    }
}
