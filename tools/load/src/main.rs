//! `wca-load`, run by `cargo xtask load`: `wca serve` under 256 concurrent
//! connections, everything on loopback, with its memory, file descriptors and CPU
//! sampled every second.
//!
//! ```text
//! cargo xtask load [--duration SECONDS] [--soak MINUTES] [--no-build] [--no-database]
//! wca-load --wca PATH --out DIR [--duration SECONDS] [--soak MINUTES] [--no-database]
//! ```
//!
//! 1. `cargo xtask load` installs wrk and PostgreSQL's programs when missing, builds
//!    `wca` (`cargo build --release -p wca`, unless `--no-build`) and this rig, and
//!    runs it with `--wca target/release/wca --out target/load` (and `PG_BIN`).
//! 2. Starts a throwaway PostgreSQL cluster (initdb and pg_ctl on a free port, the
//!    socket in a temp dir, `listen_addresses=127.0.0.1`, as the `postgres` user when
//!    run as root; removed afterwards), the fixture upstream of [`upstream`] in this
//!    process, and `target/release/wca serve --database-url … --allow-net
//!    127.0.0.1/32` on port 0, its stderr drained into `target/load/wca.log`.
//! 3. Checks the answers before loading anything: the page, analyses of the fixture
//!    pages (word counts and byte counts equal the generator's), a second analysis
//!    served from the cache, the 10 MiB page through `/api/fetch` byte for byte.
//! 4. Reads `GET /metrics` every second on a thread (resident memory, open fds, CPU
//!    seconds, 5xx answers, the database pool) and, one after the other, runs wrk
//!    (`-t2 --latency`, Lua scripts written to `target/load/`) for `--duration`
//!    seconds each (25): cached analyses, uncached analyses, streaming of the 10 MiB
//!    page (16 connections), static files, and a mix of them; with `--soak`, the mix
//!    again for that many minutes. Responses are counted by status in wrk's
//!    `response()` hook, a 503 apart when it carries `Retry-After`.
//! 5. Waits for keep-alive connections to expire and reads the fds at rest, stops
//!    wca with SIGTERM, and writes `target/load/report.md` (printed too),
//!    `target/load/rss-fds.svg` and every sample in `target/load/samples.csv`.
//!
//! `--no-database` runs wca with its in-memory history instead, to tell the
//! database's share of the uncached figures.
//!
//! Targets are reported as met or missed, never enforced: the machine is shared.
//! Wrong answers before timing, wca exiting during the run, and any 5xx but a 503
//! with `Retry-After` fail the task.

mod report;
mod upstream;

use wca_testkit::{Postgres, Stopped, Wca, encode, try_request};

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Errors are messages for the operator.
pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// Concurrent connections of the main scenarios, and of the 10 MiB streaming one
/// (each of its requests moves 10 MiB through wca and wrk: 16 keep both busy).
/// The operator token the rig starts wca with, for its listing of the history.
const ADMIN_TOKEN: &str = "load-rig-operator-token";
const CONNECTIONS: u32 = 256;
const STREAM_CONNECTIONS: u32 = 16;
/// Idle time before the first scenario and between scenarios.
const REST: Duration = Duration::from_secs(3);
/// How long fds get to come back to the baseline after the load.
const SETTLE: Duration = Duration::from_secs(30);

struct Options {
    duration: u64,
    soak_minutes: u64,
    database: bool,
    wca: PathBuf,
    out: PathBuf,
}

fn options(args: &[String]) -> Result<Options> {
    let mut o = Options {
        duration: 25,
        soak_minutes: 0,
        database: true,
        wca: PathBuf::new(),
        out: PathBuf::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-database" => o.database = false,
            "--wca" | "--out" => {
                let path = it.next().ok_or_else(|| format!("{a} takes a path"))?;
                if a == "--wca" {
                    o.wca = PathBuf::from(path);
                } else {
                    o.out = PathBuf::from(path);
                }
            }
            "--duration" | "--soak" => {
                let n: u64 = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("{a} takes a positive number"))?;
                if a == "--duration" {
                    o.duration = n;
                } else {
                    o.soak_minutes = n;
                }
            }
            "-h" | "--help" => {
                return Err(
                    "usage: wca-load --wca PATH --out DIR [--duration SECONDS] [--soak MINUTES] [--no-database]"
                        .into(),
                );
            }
            _ => return Err(format!("wca-load: unknown argument {a} (try --help)").into()),
        }
    }
    if !o.wca.is_file() || o.out.as_os_str().is_empty() {
        return Err("wca-load needs --wca PATH (the release wca) and --out DIR; run it as: cargo xtask load".into());
    }
    Ok(o)
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wca-load: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result {
    let opts = options(args)?;
    let root = wca_testkit::root();
    let wca_bin = opts.wca.clone();
    let dir = opts.out.clone();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    eprintln!("wca-load: generating the fixture pages");
    let pages = Arc::new(upstream::Pages::generate());
    let fixture = upstream::Upstream::start(pages.clone())?;
    eprintln!("wca-load: fixture upstream at http://{}", fixture.addr);
    let pg = match opts.database {
        true => Some(Postgres::start()),
        false => None,
    };
    if let Some(pg) = &pg {
        eprintln!("wca-load: PostgreSQL on 127.0.0.1:{}", pg.port);
    }
    let database = pg.as_ref().map(Postgres::url);
    // wrk's connections all come from 127.0.0.1: one address standing for many
    // clients, so the per-client limit is off (it is tested on its own).
    let mut serve_args = vec![
        "--allow-net",
        "127.0.0.1/32",
        "--allow-port",
        "any",
        "--client-concurrency",
        "0",
        // The history scenario lists every analysis, as an operator would.
        "--admin-token",
        ADMIN_TOKEN,
    ];
    if let Some(url) = &database {
        serve_args.extend(["--database-url", url]);
    }
    let mut wca = Wca::start(&wca_bin, &serve_args, Some(&dir.join("wca.log")))?;
    eprintln!("wca-load: wca serve at http://{}", wca.addr);
    check(wca.addr, &fixture, &pages)?;

    let machine = report::Machine::probe(&root);
    let probe = Probe {
        addr: wca.addr,
        t0: Instant::now(),
        pid: wca.child.id(),
        fixture_port: fixture.addr.port(),
        database_port: pg.as_ref().map(|pg| pg.port),
        fixture_open: fixture.open.clone(),
    };
    let sampler = Sampler::start(probe.clone());
    std::thread::sleep(REST);
    let rest_before = probe.sample()?;

    let mut scenarios = scenarios(&opts, &fixture);
    if opts.soak_minutes > 0 {
        scenarios.push(soak(&opts, &fixture));
    }
    let mut outcomes = Vec::new();
    let mut failure = None;
    for (i, s) in scenarios.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(REST);
        }
        let script = dir.join(format!("{}.lua", s.name));
        std::fs::write(&script, &s.script).map_err(|e| format!("{}: {e}", script.display()))?;
        eprintln!(
            "wca-load: {} ({} s, {} connections): {}",
            s.name, s.seconds, s.connections, s.what
        );
        match run_scenario(s, &script, &dir, &probe, pg.as_ref()) {
            Ok(o) => {
                eprintln!("wca-load: {}", o.summary());
                outcomes.push(o);
            }
            Err(e) => failure = Some(format!("{}: {e}", s.name)),
        }
        if let Ok(Some(status)) = wca.child.try_wait() {
            failure = Some(format!("wca serve exited during {} ({status})", s.name));
        }
        if failure.is_some() {
            break;
        }
    }

    let rest_after = if failure.is_none() {
        eprintln!("wca-load: waiting for the fds to settle");
        Some(settle(&probe, rest_before.fds)?)
    } else {
        None
    };
    let samples = sampler.stop();
    let stop = wca.stop();
    drop(pg);

    let log = std::fs::read_to_string(dir.join("wca.log")).unwrap_or_default();
    let run = report::Run {
        machine,
        database: opts.database,
        duration: opts.duration,
        soak_minutes: opts.soak_minutes,
        pages: [
            ("10k.html", pages.small.words),
            ("1m.html", pages.medium.words),
            ("10m.html", pages.large.words),
            ("slow.html", pages.slow.words),
        ],
        fixture: (
            fixture.accepted.load(Ordering::Relaxed),
            fixture.requests.load(Ordering::Relaxed),
        ),
        outcomes,
        samples,
        rest_before,
        rest_after,
        stop,
        log_lines: log.lines().count(),
        unsaved: log.matches("history not saved").count() as u64,
        failure: failure.clone(),
    };
    let markdown = report::markdown(&run);
    print!("{markdown}");
    let path = dir.join("report.md");
    std::fs::write(&path, &markdown).map_err(|e| format!("{}: {e}", path.display()))?;
    let csv = dir.join("samples.csv");
    std::fs::write(&csv, report::csv(&run)).map_err(|e| format!("{}: {e}", csv.display()))?;
    let svg = dir.join("rss-fds.svg");
    std::fs::write(&svg, report::svg(&run)).map_err(|e| format!("{}: {e}", svg.display()))?;
    eprintln!(
        "wca-load: report written to {} and {}",
        path.display(),
        svg.display()
    );
    if let Some(f) = failure {
        return Err(f.into());
    }
    let other_5xx: u64 = run.outcomes.iter().map(|o| o.wrk.other_5xx()).sum();
    if other_5xx > 0 {
        return Err(format!(
            "wca answered {other_5xx} 5xx other than 503 with Retry-After (see the report)"
        )
        .into());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// HTTP, for the checks and the sampler

/// One request on a fresh connection, read to the end.
fn http(
    addr: SocketAddr,
    method: &str,
    target: &str,
    json: Option<&str>,
) -> Result<wca_testkit::Response> {
    try_request(
        addr,
        method,
        target,
        "application/json",
        json.unwrap_or("").as_bytes(),
    )
    .map_err(|e| format!("{method} {target}: {e}").into())
}

fn analyze_body(url: &str) -> String {
    serde_json::json!({ "url": url, "options": {} }).to_string()
}

/// The answers, checked before anything is timed: a load test of wrong answers
/// measures nothing.
fn check(addr: SocketAddr, fixture: &upstream::Upstream, pages: &upstream::Pages) -> Result {
    let page = http(addr, "GET", "/", None)?;
    if page.status != 200 {
        return Err(format!("GET / answered {}", page.status).into());
    }
    let cases = [
        ("/10k.html", &pages.small, upstream::SMALL, "miss"),
        ("/10k.html", &pages.small, upstream::SMALL, "hit"),
        ("/1m.html?n=check", &pages.medium, upstream::MEDIUM, "miss"),
        ("/slow.html?n=check", &pages.slow, upstream::SMALL, "miss"),
    ];
    for (path, page, bytes, cache) in cases {
        let body = analyze_body(&fixture.url(path));
        let r = http(addr, "POST", "/api/analyze", Some(&body))?;
        let json = r.text();
        let report: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let words = report["counts"]["words"].as_u64();
        let read = report["input"]["bytes"].as_u64();
        if r.status != 200
            || r.header("x-wca-cache") != Some(cache)
            || words != Some(page.words)
            || read != Some(bytes as u64)
        {
            return Err(format!(
                "analysis of {path}: status {}, X-Wca-Cache {:?} (expected {cache}), {words:?} words \
                 (expected {}), {read:?} bytes (expected {bytes}): {}",
                r.status,
                r.header("x-wca-cache"),
                page.words,
                &json[..json.len().min(300)]
            )
            .into());
        }
    }
    let fetch = http(
        addr,
        "GET",
        &format!("/api/fetch?url={}", encode(&fixture.url("/10m.html"))),
        None,
    )?;
    if fetch.status != 200 || fetch.body != pages.large.body {
        return Err(format!(
            "GET /api/fetch of the 10 MiB page: status {}, {} bytes, equal: {}",
            fetch.status,
            fetch.body.len(),
            fetch.body == pages.large.body
        )
        .into());
    }
    eprintln!(
        "wca-load: answers checked (word counts {}, {} and {}; the 10 MiB page byte for byte)",
        pages.small.words, pages.medium.words, pages.slow.words
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Sampling

/// wca's figures at one moment: `/metrics`, its fd table, the fixture's connections.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    /// Seconds since sampling started.
    pub t: f64,
    pub rss: f64,
    pub fds: f64,
    pub cpu: f64,
    /// Answers counted by wca: all, and those in the 5xx class.
    pub requests: f64,
    pub status_5xx: f64,
    pub db_pool: f64,
    pub fetch_in_flight: f64,
    /// Bytes of reports in wca's cache (bounded by `--cache-bytes`, 16 MiB).
    pub cache_bytes: f64,
    /// The allocator's bytes in use and free ones it keeps (glibc; 0 where wca does
    /// not report them), as of wca's last trim (every 5 s).
    pub heap_in_use: f64,
    pub heap_free: f64,
    /// Connections the fixture holds open (its side of wca's upstream connections).
    pub upstream_open: f64,
    /// What wca's fds are, from /proc (read just after `/metrics`).
    pub kinds: Fds,
}

/// wca's open fds by kind, from `/proc/PID/fd` and `/proc/PID/net/tcp`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fds {
    /// Connections from clients (wrk, the sampler).
    pub clients: usize,
    /// Connections to the fixture upstream, and how many of them the fixture has
    /// already closed (CLOSE_WAIT: wca holds a dead socket).
    pub upstream: usize,
    pub upstream_closed: usize,
    /// Connections to PostgreSQL.
    pub database: usize,
    /// Listening sockets, sockets in neither the TCP nor the Unix tables when read
    /// (being set up or torn down), files, and the rest (epoll, eventfd, the
    /// signal socketpair, pipes, /dev/null).
    pub listening: usize,
    pub other_sockets: usize,
    pub files: usize,
    pub other: usize,
}

impl Fds {
    pub fn total(&self) -> usize {
        self.clients
            + self.upstream
            + self.database
            + self.listening
            + self.other_sockets
            + self.files
            + self.other
    }
}

/// Everything a sample reads, cheap to clone into the sampler thread.
#[derive(Clone)]
struct Probe {
    addr: SocketAddr,
    t0: Instant,
    pid: u32,
    fixture_port: u16,
    database_port: Option<u16>,
    fixture_open: Arc<AtomicUsize>,
}

impl Probe {
    fn sample(&self) -> Result<Sample> {
        let t = self.t0.elapsed().as_secs_f64();
        let mut s = metrics(self.addr)?;
        s.t = t;
        s.kinds = self.fds();
        s.upstream_open = self.fixture_open.load(Ordering::SeqCst) as f64;
        Ok(s)
    }

    /// Sorts wca's fds by what they point at; TCP sockets by their ports.
    fn fds(&self) -> Fds {
        let mut k = Fds::default();
        let dir = format!("/proc/{}", self.pid);
        // inode -> (local port, remote port, state)
        let mut tcp = std::collections::HashMap::new();
        for table in ["net/tcp", "net/tcp6"] {
            let text = std::fs::read_to_string(format!("{dir}/{table}")).unwrap_or_default();
            for line in text.lines().skip(1) {
                let f: Vec<&str> = line.split_whitespace().collect();
                let port = |a: &str| {
                    a.rsplit_once(':')
                        .and_then(|(_, p)| u16::from_str_radix(p, 16).ok())
                };
                if let (Some(l), Some(r), Some(st), Some(inode)) =
                    (f.get(1), f.get(2), f.get(3), f.get(9))
                {
                    tcp.insert(inode.to_string(), (port(l), port(r), st.to_string()));
                }
            }
        }
        // Unix sockets: the runtime's signal socketpair.
        let unix: std::collections::HashSet<String> =
            std::fs::read_to_string(format!("{dir}/net/unix"))
                .unwrap_or_default()
                .lines()
                .skip(1)
                .filter_map(|l| l.split_whitespace().nth(6).map(String::from))
                .collect();
        let Ok(entries) = std::fs::read_dir(format!("{dir}/fd")) else {
            return k;
        };
        for e in entries.filter_map(|e| e.ok()) {
            let Ok(target) = std::fs::read_link(e.path()) else {
                continue;
            };
            let target = target.to_string_lossy();
            let Some(inode) = target
                .strip_prefix("socket:[")
                .and_then(|s| s.strip_suffix(']'))
            else {
                if target.starts_with('/') && !target.starts_with("/dev/") {
                    k.files += 1;
                } else {
                    k.other += 1;
                }
                continue;
            };
            match tcp.get(inode) {
                // 0A: LISTEN; 08: CLOSE_WAIT (the peer has closed).
                Some((_, _, st)) if st == "0A" => k.listening += 1,
                Some((l, _, _)) if *l == Some(self.addr.port()) => k.clients += 1,
                Some((_, r, st)) if *r == Some(self.fixture_port) => {
                    k.upstream += 1;
                    if st == "08" {
                        k.upstream_closed += 1;
                    }
                }
                Some((_, r, _)) if r.is_some() && *r == self.database_port => k.database += 1,
                None if unix.contains(inode) => k.other += 1,
                _ => k.other_sockets += 1,
            }
        }
        k
    }
}

fn metrics(addr: SocketAddr) -> Result<Sample> {
    let r = http(addr, "GET", "/metrics", None)?;
    if r.status != 200 {
        return Err(format!("GET /metrics answered {}", r.status).into());
    }
    let mut s = Sample::default();
    let mut seen = 0;
    for line in r.text().lines().filter(|l| !l.starts_with('#')) {
        let Some((key, value)) = line.rsplit_once(' ') else {
            continue;
        };
        let Ok(v) = value.parse::<f64>() else {
            continue;
        };
        let name = key.split('{').next().unwrap_or(key);
        match name {
            "process_resident_memory_bytes" => (s.rss, seen) = (v, seen + 1),
            "process_open_fds" => (s.fds, seen) = (v, seen + 1),
            "process_cpu_seconds_total" => (s.cpu, seen) = (v, seen + 1),
            "wca_db_pool_size" => s.db_pool = v,
            "wca_fetch_in_flight" => s.fetch_in_flight = v,
            "wca_cache_bytes" => s.cache_bytes = v,
            "wca_heap_in_use_bytes" => s.heap_in_use = v,
            "wca_heap_free_bytes" => s.heap_free = v,
            "wca_http_requests_total" => {
                s.requests += v;
                if key.contains("status=\"5xx\"") {
                    s.status_5xx += v;
                }
            }
            _ => {}
        }
    }
    if seen < 3 {
        return Err("/metrics lacks process_resident_memory_bytes, process_open_fds or process_cpu_seconds_total".into());
    }
    Ok(s)
}

/// Samples once a second on a thread of its own (a missed second is skipped, not
/// made up).
struct Sampler {
    samples: Arc<Mutex<Vec<Sample>>>,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl Sampler {
    fn start(probe: Probe) -> Sampler {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (out, done) = (samples.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let mut tick = 0u64;
            while !done.load(Ordering::Relaxed) {
                if let Ok(s) = probe.sample() {
                    out.lock().unwrap_or_else(|e| e.into_inner()).push(s);
                }
                let now = probe.t0.elapsed();
                tick = tick.max(now.as_secs()) + 1;
                let wait = Duration::from_secs(tick).saturating_sub(now);
                // Sleep in short steps so that stop is quick.
                let end = Instant::now() + wait;
                while Instant::now() < end && !done.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50).min(end - Instant::now()));
                }
            }
        });
        Sampler {
            samples,
            stop,
            thread,
        }
    }

    fn stop(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
        std::mem::take(&mut *self.samples.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// After the load: reads the fds every second until they are back within ±5 of
/// `baseline` or `SETTLE` has passed.
fn settle(probe: &Probe, baseline: f64) -> Result<report::Settled> {
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let s = probe.sample()?;
        let waited = start.elapsed().as_secs_f64();
        if (s.fds - baseline).abs() <= 5.0 || start.elapsed() >= SETTLE {
            return Ok(report::Settled { sample: s, waited });
        }
    }
}

// ---------------------------------------------------------------------------
// CPU accounting, from /proc

/// CPU seconds at one moment: this process (the fixture, the sampler), its waited-for
/// children (wrk, once it has exited) and the whole machine.
#[derive(Clone, Copy, Default)]
struct Cpu {
    own: f64,
    children: f64,
    machine_busy: f64,
}

impl Cpu {
    fn now(tick: f64) -> Cpu {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        // Fields after the command name, which may hold spaces: utime is the 14th
        // field of the line, the 12th after `)`.
        let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let f: Vec<f64> = after
            .split_whitespace()
            .map(|x| x.parse().unwrap_or(0.0))
            .collect();
        let field = |i: usize| f.get(i).copied().unwrap_or(0.0);
        let machine = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let cpu: Vec<f64> = machine
            .lines()
            .next()
            .unwrap_or("")
            .split_whitespace()
            .skip(1)
            .map(|x| x.parse().unwrap_or(0.0))
            .collect();
        // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
        let total: f64 = cpu.iter().take(8).sum();
        let idle = cpu.get(3).copied().unwrap_or(0.0) + cpu.get(4).copied().unwrap_or(0.0);
        Cpu {
            own: (field(11) + field(12)) / tick,
            children: (field(13) + field(14)) / tick,
            machine_busy: (total - idle) / tick,
        }
    }
}

fn clock_tick() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

// ---------------------------------------------------------------------------
// Scenarios

/// One wrk run.
pub struct Scenario {
    pub name: &'static str,
    pub what: String,
    pub connections: u32,
    pub seconds: u64,
    /// Whether wrk's `response()` hook counts statuses (it makes wrk keep each
    /// body, so the 10 MiB streaming scenario goes without).
    counted: bool,
    /// The path and query wrk is pointed at (scripts may send others).
    target: String,
    script: String,
}

/// Shared by every script: thread ids, and a `done()` that prints one line of
/// figures for the task to read.
const LUA_COMMON: &str = r#"-- Written by cargo xtask load (xtask/src/load.rs); each wrk thread runs its own copy.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    if c then
      for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
    end
  end
  local e = summary.errors
  local line = string.format(
    "wca-load requests=%.0f duration_us=%.0f bytes=%.0f connect=%.0f read=%.0f write=%.0f timeout=%.0f status=%.0f mean_us=%.0f p50_us=%.0f p90_us=%.0f p99_us=%.0f max_us=%.0f",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max)
  for k, v in pairs(total) do line = line .. " s" .. k .. "=" .. string.format("%.0f", v) end
  io.write(line .. "\n")
end
"#;

/// Counts responses by status; a 503 that carries Retry-After as `503r`.
const LUA_COUNT: &str = r#"
counts = {}

function response(status, headers, body)
  local key = tostring(status)
  if status == 503 and (headers["Retry-After"] or headers["retry-after"]) then
    key = "503r"
  end
  counts[key] = (counts[key] or 0) + 1
end
"#;

/// A request of the mix: the share of every 100, and its name in the script.
const MIX: &[(&str, u32, &str)] = &[
    ("cached", 50, "cached analysis of 10k.html"),
    ("index", 10, "GET /"),
    ("css", 10, "GET /style.css"),
    ("small", 20, "uncached analysis of 10k.html"),
    ("medium", 5, "uncached analysis of 1m.html"),
    ("slow", 1, "uncached analysis of slow.html (2 s drip)"),
    ("fetch", 1, "GET /api/fetch of 10m.html"),
    ("history", 3, "GET /api/analyses (PostgreSQL)"),
];

fn scenario(
    name: &'static str,
    what: String,
    connections: u32,
    seconds: u64,
    counted: bool,
    target: String,
    body: &str,
) -> Scenario {
    let mut script = LUA_COMMON.to_string();
    if counted {
        script.push_str(LUA_COUNT);
    }
    script.push('\n');
    script.push_str(body);
    Scenario {
        name,
        what,
        connections,
        seconds,
        counted,
        target,
        script,
    }
}

fn scenarios(opts: &Options, fixture: &upstream::Upstream) -> Vec<Scenario> {
    let d = opts.duration;
    let up = fixture.url("");
    let cached = analyze_body(&fixture.url("/10k.html"));
    let fetch = format!("/api/fetch?url={}", encode(&fixture.url("/10m.html")));
    vec![
        scenario(
            "cached",
            "`POST /api/analyze` of 10k.html, answered from the cache (`X-Wca-Cache: hit`)"
                .into(),
            CONNECTIONS,
            d,
            true,
            "/api/analyze".into(),
            &format!(
                "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = '{cached}'\n"
            ),
        ),
        scenario(
            "uncached",
            "`POST /api/analyze` of a new URL each time (`?n=…`): 7 in 8 of 10k.html, 1 in 8 of 1m.html; fetched from the fixture, analyzed, cached, saved in PostgreSQL".into(),
            CONNECTIONS,
            d,
            true,
            "/api/analyze".into(),
            &format!(
                r#"local n = 0
local headers = {{ ["Content-Type"] = "application/json" }}

function request()
  n = n + 1
  local page = (n % 8 == 0) and "1m.html" or "10k.html"
  return wrk.format("POST", "/api/analyze", headers,
    '{{"url":"{up}/' .. page .. '?s=uncached&n=' .. id .. '-' .. n .. '","options":{{}}}}')
end
"#
            ),
        ),
        scenario(
            "fetch-10m",
            format!(
                "`GET /api/fetch` of 10m.html, streamed through ({STREAM_CONNECTIONS} connections: each request moves 10 MiB)"
            ),
            STREAM_CONNECTIONS,
            d,
            false,
            fetch.clone(),
            "",
        ),
        scenario(
            "static",
            "`GET /` and `GET /style.css`, alternately".into(),
            CONNECTIONS,
            d,
            true,
            "/".into(),
            r#"local n = 0
local reqs

function init(args)
  reqs = { wrk.format("GET", "/"), wrk.format("GET", "/style.css") }
end

function request()
  n = n + 1
  return reqs[n % 2 + 1]
end
"#,
        ),
        mix("mix", d, &up, &cached, &fetch),
    ]
}

fn soak(opts: &Options, fixture: &upstream::Upstream) -> Scenario {
    let cached = analyze_body(&fixture.url("/10k.html"));
    let fetch = format!("/api/fetch?url={}", encode(&fixture.url("/10m.html")));
    mix(
        "soak",
        opts.soak_minutes * 60,
        &fixture.url(""),
        &cached,
        &fetch,
    )
}

/// The mix: per 100 requests, `MIX`'s shares, in an order shuffled per wrk thread.
fn mix(name: &'static str, seconds: u64, up: &str, cached: &str, fetch: &str) -> Scenario {
    let shares: Vec<String> = MIX
        .iter()
        .map(|(_, n, what)| format!("{n} % {what}"))
        .collect();
    let kinds: String = MIX
        .iter()
        .map(|(k, n, _)| format!("  {{ \"{k}\", {n} }},\n"))
        .collect();
    let body = format!(
        r#"local n = 0
local plan = {{}}
local fixed = {{}}
local json = {{ ["Content-Type"] = "application/json" }}
local pages = {{ small = "10k.html", medium = "1m.html", slow = "slow.html" }}
local kinds = {{
{kinds}}}

function init(args)
  for _, k in ipairs(kinds) do
    for _ = 1, k[2] do table.insert(plan, k[1]) end
  end
  -- A fixed shuffle per thread (an LCG), so runs repeat.
  local seed = 12345 + id
  for i = #plan, 2, -1 do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local j = seed % i + 1
    plan[i], plan[j] = plan[j], plan[i]
  end
  fixed.cached = wrk.format("POST", "/api/analyze", json, '{cached}')
  fixed.index = wrk.format("GET", "/")
  fixed.css = wrk.format("GET", "/style.css")
  fixed.fetch = wrk.format("GET", "{fetch}")
  fixed.history = wrk.format("GET", "/api/analyses?limit=20", {{ Authorization = "Bearer {ADMIN_TOKEN}" }})
end

function request()
  n = n + 1
  local kind = plan[(n - 1) % #plan + 1]
  local req = fixed[kind]
  if req then return req end
  return wrk.format("POST", "/api/analyze", json,
    '{{"url":"{up}/' .. pages[kind] .. '?s={name}&n=' .. id .. '-' .. n .. '","options":{{}}}}')
end
"#
    );
    scenario(
        name,
        format!("a mix per 100 requests: {}", shares.join(", ")),
        CONNECTIONS,
        seconds,
        true,
        "/".into(),
        &body,
    )
}

/// What wrk measured, from the line its `done()` prints.
#[derive(Default, Debug)]
pub struct Wrk {
    pub requests: u64,
    pub seconds: f64,
    pub bytes: u64,
    pub connect_errors: u64,
    pub read_errors: u64,
    pub write_errors: u64,
    pub timeouts: u64,
    /// Responses with a status of 400 or more (wrk's own count).
    pub status_errors: u64,
    pub mean_us: f64,
    pub p50_us: f64,
    pub p90_us: f64,
    pub p99_us: f64,
    pub max_us: f64,
    /// Responses by status (`503r`: 503 with Retry-After), when counted.
    pub statuses: Option<BTreeMap<String, u64>>,
}

impl Wrk {
    fn parse(out: &str, counted: bool) -> Result<Wrk> {
        let line = out
            .lines()
            .find_map(|l| l.strip_prefix("wca-load "))
            .ok_or("wrk printed no figures (its done() hook did not run)")?;
        let mut w = Wrk {
            statuses: counted.then(BTreeMap::new),
            ..Wrk::default()
        };
        for field in line.split_whitespace() {
            let Some((k, v)) = field.split_once('=') else {
                continue;
            };
            let n: f64 = v.parse().map_err(|_| format!("wrk figure {field:?}"))?;
            match k {
                "requests" => w.requests = n as u64,
                "duration_us" => w.seconds = n / 1e6,
                "bytes" => w.bytes = n as u64,
                "connect" => w.connect_errors = n as u64,
                "read" => w.read_errors = n as u64,
                "write" => w.write_errors = n as u64,
                "timeout" => w.timeouts = n as u64,
                "status" => w.status_errors = n as u64,
                "mean_us" => w.mean_us = n,
                "p50_us" => w.p50_us = n,
                "p90_us" => w.p90_us = n,
                "p99_us" => w.p99_us = n,
                "max_us" => w.max_us = n,
                _ => {
                    if let (Some(status), Some(map)) = (k.strip_prefix('s'), w.statuses.as_mut()) {
                        map.insert(status.to_string(), n as u64);
                    }
                }
            }
        }
        Ok(w)
    }

    fn count(&self, pred: impl Fn(&str) -> bool) -> Option<u64> {
        self.statuses
            .as_ref()
            .map(|m| m.iter().filter(|(k, _)| pred(k)).map(|(_, v)| v).sum())
    }

    pub fn ok_2xx(&self) -> u64 {
        self.count(|k| k.starts_with('2'))
            .unwrap_or(self.requests - self.status_errors)
    }

    pub fn busy_503(&self) -> Option<u64> {
        self.count(|k| k == "503r")
    }

    /// 5xx answers other than a 503 with Retry-After. Uncounted runs have none
    /// when wrk saw no status of 400 or more; otherwise all of those count here.
    pub fn other_5xx(&self) -> u64 {
        self.count(|k| k.starts_with('5') && k != "503r")
            .unwrap_or(self.status_errors)
    }

    /// Anything else: 1xx, 3xx, 4xx.
    pub fn other(&self) -> u64 {
        self.count(|k| !k.starts_with('2') && !k.starts_with('5'))
            .unwrap_or(0)
    }

    pub fn socket_errors(&self) -> u64 {
        self.connect_errors + self.read_errors + self.write_errors + self.timeouts
    }
}

/// A scenario's figures.
pub struct Outcome {
    pub name: &'static str,
    pub what: String,
    pub connections: u32,
    /// Sampling time at its start and end.
    pub start: f64,
    pub end: f64,
    pub wrk: Wrk,
    /// wca's figures just before and just after.
    pub before: Sample,
    pub after: Sample,
    /// CPU seconds of wrk, of the fixture (this process) and of the machine.
    pub wrk_cpu: f64,
    pub fixture_cpu: f64,
    /// CPU seconds of PostgreSQL's processes (those alive at the end).
    pub database_cpu: f64,
    pub machine_cpu: f64,
    pub load_average: String,
}

impl Outcome {
    fn summary(&self) -> String {
        let w = &self.wrk;
        format!(
            "{}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} 2xx, {} 503+Retry-After, {} other 5xx, {} socket errors",
            self.name,
            w.requests as f64 / w.seconds.max(1e-9),
            w.p50_us / 1e3,
            w.p99_us / 1e3,
            w.ok_2xx(),
            w.busy_503()
                .map_or_else(|| "(uncounted)".into(), |n| n.to_string()),
            w.other_5xx(),
            w.socket_errors()
        )
    }
}

fn run_scenario(
    s: &Scenario,
    script: &Path,
    dir: &Path,
    probe: &Probe,
    pg: Option<&Postgres>,
) -> Result<Outcome> {
    let tick = clock_tick();
    let load_average = load_average();
    let before = probe.sample()?;
    let cpu_before = Cpu::now(tick);
    let pg_before = pg.map(|pg| database_cpu(pg, tick)).unwrap_or_default();
    let mut wrk = Command::new("wrk");
    wrk.arg("-t2")
        .arg(format!("-c{}", s.connections))
        .arg(format!("-d{}s", s.seconds))
        .args(["--timeout", "15s", "--latency", "-s"])
        .arg(script)
        .arg(format!("http://{}{}", probe.addr, s.target))
        .stdin(Stdio::null());
    let out = wrk
        .output()
        .map_err(|e| format!("cannot start {wrk:?}: {e}"))?;
    let cpu_after = Cpu::now(tick);
    let pg_after = pg.map(|pg| database_cpu(pg, tick)).unwrap_or_default();
    let after = probe.sample()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let log = dir.join(format!("wrk-{}.txt", s.name));
    std::fs::write(&log, format!("{wrk:?}\n\n{stdout}{stderr}"))?;
    if !out.status.success() {
        return Err(format!("wrk failed ({}): {stderr}", out.status).into());
    }
    Ok(Outcome {
        name: s.name,
        what: s.what.clone(),
        connections: s.connections,
        start: before.t,
        end: after.t,
        wrk: Wrk::parse(&stdout, s.counted)?,
        before,
        after,
        wrk_cpu: cpu_after.children - cpu_before.children,
        fixture_cpu: cpu_after.own - cpu_before.own,
        // Per process, so that a backend that exits does not count as negative time;
        // the time of one that exits within the scenario is lost.
        database_cpu: pg_after
            .iter()
            .map(|(pid, after)| after - pg_before.get(pid).copied().unwrap_or(0.0))
            .sum(),
        machine_cpu: cpu_after.machine_busy - cpu_before.machine_busy,
        load_average,
    })
}

// ---------------------------------------------------------------------------
// The throwaway database and the server

/// CPU seconds of the postmaster and of each of its children (the backends, which
/// the pool keeps open, and the background workers), by process id.
fn database_cpu(pg: &Postgres, tick: f64) -> std::collections::HashMap<u32, f64> {
    let mut cpu = std::collections::HashMap::new();
    let pid = std::fs::read_to_string(pg.dir.join("data/postmaster.pid"))
        .ok()
        .and_then(|s| s.lines().next()?.trim().parse::<u32>().ok());
    let Some(pid) = pid else { return cpu };
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return cpu;
    };
    for p in procs.filter_map(|e| e.ok()) {
        let Ok(stat) = std::fs::read_to_string(p.path().join("stat")) else {
            continue;
        };
        let own = p.file_name().to_str().and_then(|s| s.parse::<u32>().ok());
        let f: Vec<&str> = stat
            .rsplit_once(')')
            .map_or("", |(_, r)| r)
            .split_whitespace()
            .collect();
        let ppid = f.get(1).and_then(|s| s.parse::<u32>().ok());
        if let Some(own) = own
            && (own == pid || ppid == Some(pid))
        {
            let field = |i: usize| f.get(i).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
            cpu.insert(own, (field(11) + field(12)) / tick);
        }
    }
    cpu
}
