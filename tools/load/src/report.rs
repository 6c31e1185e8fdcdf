//! The load task's report: `target/load/report.md`, a hand-written SVG plot of
//! resident memory and open fds over time (`target/load/rss-fds.svg`), and the
//! samples as CSV (`target/load/samples.csv`).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use super::{CONNECTIONS, Outcome, Sample, Stopped};

const MIB: f64 = 1024.0 * 1024.0;
/// The targets.
const RSS_TARGET_MIB: f64 = 64.0;
const SLOPE_TARGET: f64 = 1.0;
const FDS_REST_TARGET: f64 = 32.0;
const FDS_LOAD_TARGET: f64 = CONNECTIONS as f64 + 64.0;
const FDS_RETURN: f64 = 5.0;
const CACHED_TARGET: f64 = 20_000.0;

/// The machine the run happened on.
pub struct Machine {
    cpu: String,
    cpus: usize,
    memory: String,
    kernel: String,
    revision: String,
    wrk: String,
    date: String,
    load_average: String,
}

impl Machine {
    pub fn probe(root: &Path) -> Machine {
        let run = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .current_dir(root)
                .output()
                .map(|o| {
                    let mut s = String::from_utf8_lossy(&o.stdout).trim().to_string();
                    if s.is_empty() {
                        s = String::from_utf8_lossy(&o.stderr).trim().to_string();
                    }
                    s
                })
                .unwrap_or_default()
        };
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "?".into(), |(_, v)| v.trim().to_string());
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let memory = std::fs::read_to_string("/proc/meminfo")
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .map_or_else(|| "?".into(), |kib| format!("{:.1} GiB", kib / MIB));
        let mut revision = run("git", &["rev-parse", "--short", "HEAD"]);
        if !run(
            "git",
            &["status", "--porcelain", "--", "server", "core", "guard"],
        )
        .is_empty()
        {
            revision.push_str(" with uncommitted changes in server/, core/ or guard/");
        }
        Machine {
            cpu,
            cpus,
            memory,
            kernel: run("uname", &["-sr"]),
            revision,
            wrk: run("wrk", &["--version"])
                .lines()
                .next()
                .unwrap_or("?")
                .split(" Copyright")
                .next()
                .unwrap_or("?")
                .to_string(),
            date: run("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            load_average: super::load_average(),
        }
    }
}

/// The fds after the load, once settled (or once the wait ran out).
pub struct Settled {
    pub sample: Sample,
    /// Seconds waited after the last scenario.
    pub waited: f64,
}

/// Everything the report says.
pub struct Run {
    pub machine: Machine,
    /// Whether wca kept its history in PostgreSQL (else in memory).
    pub database: bool,
    pub duration: u64,
    pub soak_minutes: u64,
    /// Fixture pages and their word counts, as checked.
    pub pages: [(&'static str, u64); 4],
    /// Connections the fixture accepted and requests it answered, in the whole run.
    pub fixture: (u64, u64),
    pub outcomes: Vec<Outcome>,
    pub samples: Vec<Sample>,
    pub rest_before: Sample,
    pub rest_after: Option<Settled>,
    pub stop: Stopped,
    pub log_lines: usize,
    /// Analyses answered but not saved in the history (`history not saved` on stderr).
    pub unsaved: u64,
    pub failure: Option<String>,
}

/// A least-squares line through `(t, rss)`: the slope in % of the mean per hour,
/// the number of samples and the minutes they span.
pub struct Fit {
    pub percent_per_hour: f64,
    /// Two standard errors of the slope, in the same unit. It treats the samples as
    /// independent, which they are not quite (memory wanders for seconds), so the
    /// true uncertainty is larger.
    pub two_se: f64,
    pub mean_mib: f64,
    pub samples: usize,
    pub minutes: f64,
}

fn fit(samples: &[Sample], from: f64, to: f64) -> Option<Fit> {
    fit_of(samples, from, to, |s| s.rss)
}

/// [`fit`] of any figure of the samples.
fn fit_of(samples: &[Sample], from: f64, to: f64, y: impl Fn(&Sample) -> f64) -> Option<Fit> {
    let s: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.t >= from && s.t <= to)
        .collect();
    if s.len() < 3 {
        return None;
    }
    let n = s.len() as f64;
    let mt = s.iter().map(|s| s.t).sum::<f64>() / n;
    let my = s.iter().map(|s| y(s)).sum::<f64>() / n;
    let sxy: f64 = s.iter().map(|s| (s.t - mt) * (y(s) - my)).sum();
    let sxx: f64 = s.iter().map(|s| (s.t - mt).powi(2)).sum();
    if sxx == 0.0 || my == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let residual: f64 = s
        .iter()
        .map(|s| (y(s) - my - slope * (s.t - mt)).powi(2))
        .sum();
    let se = (residual / (n - 2.0)).sqrt() / sxx.sqrt();
    let per_hour = |v: f64| v * 3600.0 / my * 100.0;
    Some(Fit {
        percent_per_hour: per_hour(slope),
        two_se: per_hour(2.0 * se),
        mean_mib: my / MIB,
        samples: s.len(),
        minutes: (s[s.len() - 1].t - s[0].t) / 60.0,
    })
}

impl Run {
    fn during<'a>(&'a self, o: &Outcome) -> impl Iterator<Item = &'a Sample> + 'a {
        let (from, to) = (o.start, o.end);
        self.samples
            .iter()
            .filter(move |s| s.t >= from && s.t <= to)
    }

    fn peak(&self, o: &Outcome, f: impl Fn(&Sample) -> f64) -> f64 {
        self.during(o)
            .chain([&o.before, &o.after])
            .map(f)
            .fold(0.0, f64::max)
    }

    fn load_window(&self) -> Option<(f64, f64)> {
        Some((self.outcomes.first()?.start, self.outcomes.last()?.end))
    }

    /// The slope after warm-up: from the end of the first scenario to the end of the last.
    fn warm_fit(&self) -> Option<Fit> {
        let first = self.outcomes.first()?;
        let last = self.outcomes.last()?;
        fit(&self.samples, first.end, last.end)
    }

    /// The soak, if the run had one.
    fn soak(&self) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.name == "soak")
    }

    fn soak_fit(&self) -> Option<Fit> {
        let soak = self.soak()?;
        fit(&self.samples, soak.start, soak.end)
    }

    /// The allocator's bytes in use over the soak: a growing live set, or memory the
    /// allocator cannot give back?
    fn soak_heap_fit(&self) -> Option<Fit> {
        let soak = self.soak()?;
        fit_of(&self.samples, soak.start, soak.end, |s| s.heap_in_use)
    }

    /// The second half of the soak: still growing, or levelling off?
    fn soak_late_fit(&self) -> Option<Fit> {
        let soak = self.soak()?;
        fit(&self.samples, (soak.start + soak.end) / 2.0, soak.end)
    }
}

fn ms(us: f64) -> String {
    let ms = us / 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1e3)
    }
}

fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

pub fn markdown(run: &Run) -> String {
    let m = &run.machine;
    let mut r = String::new();
    let _ = writeln!(r, "# `cargo xtask load`\n");
    let _ = writeln!(
        r,
        "{}, {} ({} cores), {}, {}; wca {}; {}. Load average (1, 5, 15 min) when the run began: \
         **{}**; what else was running shows in the CPU table (*others*).\n",
        m.date, m.cpu, m.cpus, m.memory, m.kernel, m.revision, m.wrk, m.load_average
    );
    let _ = writeln!(
        r,
        "`wca serve {}--allow-net 127.0.0.1/32`, \
         otherwise its defaults (2 workers, 4 analysis slots, fetch concurrency 24, 16 MiB cache, shedding above \
         256 MiB resident). The fixture upstream runs in the xtask process \
         ({}). `wrk -t2 --latency --timeout 15s`, {} s a scenario{}; everything on 127.0.0.1. \
         wrk, the fixture and PostgreSQL share the {} cores with wca: req/s is what the machine \
         does with all of them, not wca alone.\n",
        if run.database {
            "--database-url <throwaway PostgreSQL, fsync off> "
        } else {
            "(no database: `--no-database`, history in memory) "
        },
        run.pages
            .iter()
            .map(|(p, w)| format!("{p}: {} words", count(*w)))
            .collect::<Vec<_>>()
            .join(", "),
        run.duration,
        if run.soak_minutes > 0 {
            format!(", then a soak of the mix for {} min", run.soak_minutes)
        } else {
            String::new()
        },
        m.cpus
    );
    if let Some(f) = &run.failure {
        let _ = writeln!(r, "**The run stopped early: {f}.**\n");
    }

    let _ = writeln!(r, "## Scenarios\n");
    let _ = writeln!(
        r,
        "| scenario | connections | req/s | 2xx/s | MB/s | p50 | p99 | max | 2xx | 503 + Retry-After | other 5xx | other | socket errors | peak RSS | peak fds |"
    );
    let _ = writeln!(
        r,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for o in &run.outcomes {
        let w = &o.wrk;
        let secs = w.seconds.max(1e-9);
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {:.1} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} MiB | {:.0} |",
            o.name,
            o.connections,
            count((w.requests as f64 / secs).round() as u64),
            count((w.ok_2xx() as f64 / secs).round() as u64),
            w.bytes as f64 / secs / 1e6,
            ms(w.p50_us),
            ms(w.p99_us),
            ms(w.max_us),
            count(w.ok_2xx()),
            w.busy_503().map_or_else(|| "—".into(), count),
            count(w.other_5xx()),
            count(w.other()),
            if w.socket_errors() == 0 {
                "0".to_string()
            } else {
                format!(
                    "{} (connect {}, read {}, write {}, timeout {})",
                    w.socket_errors(),
                    w.connect_errors,
                    w.read_errors,
                    w.write_errors,
                    w.timeouts
                )
            },
            run.peak(o, |s| s.rss) / MIB,
            run.peak(o, |s| s.fds),
        );
    }
    let _ = writeln!(r);
    for o in &run.outcomes {
        let _ = writeln!(r, "- **{}**: {}.", o.name, o.what);
    }
    let _ = writeln!(
        r,
        "\nStatuses are counted in wrk's `response()` hook; the 10 MiB scenario goes without it \
         (the hook makes wrk copy every body into Lua), so its 2xx are wrk's count of answers \
         below 400. MB/s is what wrk read, headers included. wca's own count of 5xx answers \
         (`wca_http_requests_total`, all 503s included) per scenario: {}.\n",
        run.outcomes
            .iter()
            .map(|o| format!(
                "{} {}",
                o.name,
                count((o.after.status_5xx - o.before.status_5xx).max(0.0) as u64)
            ))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let _ = writeln!(r, "## CPU\n");
    let _ = writeln!(
        r,
        "Percent of one core, averaged over the scenario ({} cores: {} % is the whole machine). \
         wca's from `process_cpu_seconds_total`; wrk's and the fixture's (the xtask process) \
         from /proc, PostgreSQL's from /proc for the postmaster and its children; *others* is the \
         rest of the machine's busy time (/proc/stat): everything else running on it. The \
         kernel's work for loopback TCP is charged to the processes on either end.\n",
        m.cpus,
        m.cpus * 100
    );
    let _ = writeln!(
        r,
        "| scenario | load average at start | wca | wca CPU per request | wrk | fixture | PostgreSQL | others | machine busy |"
    );
    let _ = writeln!(
        r,
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    for o in &run.outcomes {
        let wall = (o.end - o.start).max(1e-9);
        let wca = (o.after.cpu - o.before.cpu).max(0.0);
        let others = (o.machine_cpu - wca - o.wrk_cpu - o.fixture_cpu - o.database_cpu).max(0.0);
        let pct = |cpu: f64| format!("{:.0} %", cpu / wall * 100.0);
        let _ = writeln!(
            r,
            "| {} | {} | {} | {:.0} µs | {} | {} | {} | {} | {} |",
            o.name,
            o.load_average,
            pct(wca),
            wca / (o.wrk.requests.max(1) as f64) * 1e6,
            pct(o.wrk_cpu),
            pct(o.fixture_cpu),
            pct(o.database_cpu),
            pct(others),
            pct(o.machine_cpu),
        );
    }
    let _ = writeln!(
        r,
        "\nUnder a closed loop of 256 connections wca takes whatever CPU it can get, so its \
         CPU % says how saturated it was, not how frugal; CPU per request is the comparable \
         figure.\n"
    );

    let _ = writeln!(r, "## Memory and file descriptors\n");
    let (load_from, load_to) = run.load_window().unwrap_or((0.0, 0.0));
    let loaded = run
        .samples
        .iter()
        .filter(|s| s.t >= load_from && s.t <= load_to);
    let peak_rss = loaded
        .clone()
        .chain(run.outcomes.iter().flat_map(|o| [&o.before, &o.after]))
        .map(|s| s.rss)
        .fold(0.0, f64::max);
    let peak_rss_at = run
        .outcomes
        .iter()
        .max_by(|a, b| run.peak(a, |s| s.rss).total_cmp(&run.peak(b, |s| s.rss)))
        .map_or("?", |o| o.name);
    let full = run.outcomes.iter().filter(|o| o.connections == CONNECTIONS);
    let peak_fds_full = full
        .clone()
        .map(|o| run.peak(o, |s| s.fds))
        .fold(0.0, f64::max);
    let peak_fds_at = full
        .max_by(|a, b| run.peak(a, |s| s.fds).total_cmp(&run.peak(b, |s| s.fds)))
        .map_or("?", |o| o.name);
    let rest = &run.rest_before;
    let _ = writeln!(
        r,
        "- Resident memory at rest before the load {:.1} MiB; peak **{:.1} MiB** (in {peak_rss_at}); \
         {} samples, one a second.",
        rest.rss / MIB,
        peak_rss / MIB,
        run.samples.len()
    );
    let warm = run.warm_fit();
    if let Some(f) = &warm {
        let _ = writeln!(
            r,
            "- RSS slope after warm-up (least squares over the {} samples from the end of the \
             first scenario to the end of the last, {:.1} min, mean {:.1} MiB): **{:+.2} % per \
             hour**. Scenarios differ in how much memory they keep busy, so over a short run \
             this says more about their order than about leaks.",
            f.samples, f.minutes, f.mean_mib, f.percent_per_hour
        );
    }
    let soak = run.soak_fit();
    if let Some(f) = &soak {
        let _ = writeln!(
            r,
            "- RSS slope over the soak alone (the mix, steady, {} samples over {:.1} min, mean \
             {:.1} MiB): **{:+.2} % per hour** (± {:.2}, two standard errors); over its second \
             half: {}. Samples wander by a few MiB from second to second, so a short soak \
             cannot resolve 1 % per hour: the error bars shrink with the soak's length to the \
             power 1.5.",
            f.samples,
            f.minutes,
            f.mean_mib,
            f.percent_per_hour,
            f.two_se,
            run.soak_late_fit().map_or_else(
                || "too few samples".into(),
                |l| format!("{:+.2} % per hour (± {:.2})", l.percent_per_hour, l.two_se)
            )
        );
    }
    if let Some(h) = run.soak_heap_fit() {
        let _ = writeln!(
            r,
            "- What the allocator had handed out over the soak (`wca_heap_in_use_bytes`, \
             mean {:.1} MiB): **{:+.2} % per hour** (± {:.2}). Where RSS grows and this does \
             not, the growth is memory glibc holds but cannot return (fragmentation), not \
             a growing live set.",
            h.mean_mib, h.percent_per_hour, h.two_se
        );
    }
    let _ = writeln!(
        r,
        "- Open fds at rest before the load: **{:.0}**; peak under {CONNECTIONS} connections: \
         **{:.0}** (in {peak_fds_at}); by kind in the table below.",
        rest.fds, peak_fds_full
    );
    if let Some(a) = &run.rest_after {
        let s = &a.sample;
        let _ = writeln!(
            r,
            "- After the load: **{:.0}** open fds {:.0} s after the last scenario ended \
             ({} connections to the fixture, {} of them already closed by it; {} to \
             PostgreSQL, whose pool keeps what it opened); resident memory then {:.1} MiB, \
             of which the report cache held {:.1} MiB.",
            s.fds,
            a.waited,
            s.kinds.upstream,
            s.kinds.upstream_closed,
            s.kinds.database,
            s.rss / MIB,
            s.cache_bytes / MIB
        );
    }
    let _ = writeln!(
        r,
        "- The fixture upstream accepted {} connections from wca and answered {} requests in \
         the whole run (checks included).",
        count(run.fixture.0),
        count(run.fixture.1)
    );
    let _ = writeln!(
        r,
        "- SIGTERM after the run: wca exited in {:.2} s ({}). Its stderr, {} lines, is in \
         `target/load/wca.log`.",
        run.stop.seconds, run.stop.status, run.log_lines
    );
    let _ = writeln!(
        r,
        "- Analyses answered but not saved in the history (`history not saved` on stderr): \
         **{}**.\n",
        count(run.unsaved)
    );
    let _ = writeln!(
        r,
        "\nwca's fds by kind, from /proc, read right after `/metrics`: at rest, at each \
         scenario's peak (the sample with the most fds in /proc), and after the load. *fds* is \
         `process_open_fds`, *in /proc* the sum of the kinds a moment later; they differ when \
         connections or files come and go in between. *upstream* are \
         wca's connections to the fixture, with in brackets those the fixture had already \
         closed (CLOSE_WAIT: a dead socket wca still holds); *other sockets* were in \
         neither the TCP nor the Unix tables when they were read (being opened or closed); \
         *other* are the runtime's epoll and eventfd descriptors, its signal socketpair, \
         pipes and /dev/null.\n"
    );
    let _ = writeln!(
        r,
        "| moment | fds | in /proc | clients | upstream (closed by the fixture) | PostgreSQL | listening | other sockets | files | other |"
    );
    let _ = writeln!(
        r,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let row = |label: String, s: &Sample| {
        let k = &s.kinds;
        format!(
            "| {label} | {:.0} | {} | {} | {} ({}) | {} | {} | {} | {} | {} |",
            s.fds,
            k.total(),
            k.clients,
            k.upstream,
            k.upstream_closed,
            k.database,
            k.listening,
            k.other_sockets,
            k.files,
            k.other
        )
    };
    let _ = writeln!(r, "{}", row("at rest before".into(), rest));
    for o in &run.outcomes {
        if let Some(p) = run
            .during(o)
            .chain([&o.before, &o.after])
            .max_by_key(|s| s.kinds.total())
        {
            let _ = writeln!(r, "{}", row(format!("{} peak", o.name), p));
        }
    }
    if let Some(a) = &run.rest_after {
        let _ = writeln!(
            r,
            "{}",
            row(format!("after, {:.0} s later", a.waited), &a.sample)
        );
    }
    let _ = writeln!(r, "\n![RSS and open fds over time](rss-fds.svg)\n");

    let _ = writeln!(r, "## Verdicts\n");
    let _ = writeln!(r, "| target | measured | verdict |");
    let _ = writeln!(r, "| --- | --- | --- |");
    let _ = writeln!(
        r,
        "| peak RSS ≤ {RSS_TARGET_MIB} MiB with {CONNECTIONS} connections | {:.1} MiB | {} |",
        peak_rss / MIB,
        verdict(peak_rss / MIB <= RSS_TARGET_MIB)
    );
    match (&soak, &warm) {
        (Some(f), _) => {
            let _ = writeln!(
                r,
                "| RSS slope after warm-up < {SLOPE_TARGET} % per hour over a soak | {:+.2} ± {:.2} % per hour over a {:.0} min soak | {} |",
                f.percent_per_hour,
                f.two_se,
                f.minutes,
                verdict(f.percent_per_hour < SLOPE_TARGET)
            );
        }
        (None, Some(f)) => {
            let _ = writeln!(
                r,
                "| RSS slope after warm-up < {SLOPE_TARGET} % per hour over a soak | {:+.2} % per hour over {:.1} min of changing scenarios, no soak | not measured: run with `--soak 10` |",
                f.percent_per_hour, f.minutes
            );
        }
        (None, None) => {
            let _ = writeln!(
                r,
                "| RSS slope after warm-up < {SLOPE_TARGET} % per hour over a soak | too few samples | not measured |"
            );
        }
    }
    let _ = writeln!(
        r,
        "| open fds at rest ≤ {FDS_REST_TARGET} | {:.0} | {} |",
        rest.fds,
        verdict(rest.fds <= FDS_REST_TARGET)
    );
    let _ = writeln!(
        r,
        "| open fds under {CONNECTIONS} connections ≤ {FDS_LOAD_TARGET} | {peak_fds_full:.0} | {} |",
        verdict(peak_fds_full <= FDS_LOAD_TARGET)
    );
    match &run.rest_after {
        Some(a) => {
            let d = a.sample.fds - rest.fds;
            let _ = writeln!(
                r,
                "| open fds after the load within ±{FDS_RETURN} of rest | {:.0} ({d:+.0}) after {:.0} s | {} |",
                a.sample.fds,
                a.waited,
                verdict(d.abs() <= FDS_RETURN)
            );
        }
        None => {
            let _ = writeln!(
                r,
                "| open fds after the load within ±{FDS_RETURN} of rest | the run stopped early | **missed** |"
            );
        }
    }
    let other_5xx: u64 = run.outcomes.iter().map(|o| o.wrk.other_5xx()).sum();
    let other: u64 = run.outcomes.iter().map(|o| o.wrk.other()).sum();
    let busy: u64 = run.outcomes.iter().filter_map(|o| o.wrk.busy_503()).sum();
    let _ = writeln!(
        r,
        "| only 2xx, or 503 with Retry-After | {} 503 with Retry-After, {} other 5xx, {} other non-2xx | {} |",
        count(busy),
        count(other_5xx),
        count(other),
        verdict(other_5xx == 0 && other == 0 && run.failure.is_none())
    );
    match run.outcomes.iter().find(|o| o.name == "cached") {
        Some(o) => {
            let rate = o.wrk.requests as f64 / o.wrk.seconds.max(1e-9);
            let _ = writeln!(
                r,
                "| cached analyze ≥ {} req/s on {} cores | {} req/s (wrk and the machine's other load on the same cores) | {} |",
                count(CACHED_TARGET as u64),
                m.cpus,
                count(rate.round() as u64),
                verdict(rate >= CACHED_TARGET)
            );
        }
        None => {
            let _ = writeln!(
                r,
                "| cached analyze ≥ {} req/s | not run | **missed** |",
                count(CACHED_TARGET as u64)
            );
        }
    }
    let max_cpu = run
        .outcomes
        .iter()
        .map(|o| (o.after.cpu - o.before.cpu) / (o.end - o.start).max(1e-9) * 100.0)
        .fold(0.0, f64::max);
    let _ = writeln!(
        r,
        "\nThe review of the Python version asked for < 512 MB resident (it used ~800 MB), < 5 % \
         growth per hour (15 %), < 100 open handles (~200) and < 70 % CPU (85 %): here {:.1} MiB, \
         {}, {:.0} handles at most, and at most {:.0} % of a core ({:.0} % of the machine) while \
         wrk kept {CONNECTIONS} connections busy as fast as it could.",
        peak_rss / MIB,
        soak.as_ref().map_or_else(
            || "growth not measured without a soak".into(),
            |f| format!("{:+.2} % per hour over the soak", f.percent_per_hour)
        ),
        run.samples.iter().map(|s| s.fds).fold(0.0, f64::max),
        max_cpu,
        max_cpu / m.cpus as f64
    );
    r
}

/// Every sample, one a line, with the scenario it fell in.
pub fn csv(run: &Run) -> String {
    let mut s = String::from(
        "seconds,scenario,rss_bytes,open_fds,cpu_seconds,requests,status_5xx,db_pool,fetch_in_flight,cache_bytes,fds_clients,fds_upstream,fds_upstream_closed,fds_database,fds_files,heap_in_use_bytes,heap_free_bytes\n",
    );
    for p in &run.samples {
        let scenario = run
            .outcomes
            .iter()
            .find(|o| p.t >= o.start && p.t <= o.end)
            .map_or("rest", |o| o.name);
        let k = &p.kinds;
        let _ = writeln!(
            s,
            "{:.3},{scenario},{:.0},{:.0},{:.2},{:.0},{:.0},{:.0},{:.0},{:.0},{},{},{},{},{},{:.0},{:.0}",
            p.t,
            p.rss,
            p.fds,
            p.cpu,
            p.requests,
            p.status_5xx,
            p.db_pool,
            p.fetch_in_flight,
            p.cache_bytes,
            k.clients,
            k.upstream,
            k.upstream_closed,
            k.database,
            k.files,
            p.heap_in_use,
            p.heap_free
        );
    }
    s
}

/// RSS (left axis) and open fds (right axis) over time, scenarios shaded.
pub fn svg(run: &Run) -> String {
    let (w, h) = (960.0, 440.0);
    let (left, right, top, bottom) = (70.0, 70.0, 50.0, 50.0);
    let pw = w - left - right;
    let ph = h - top - bottom;
    let t_max = run
        .samples
        .iter()
        .map(|s| s.t)
        .fold(1.0, f64::max)
        .max(run.outcomes.last().map_or(1.0, |o| o.end));
    let rss_peak = run.samples.iter().map(|s| s.rss / MIB).fold(0.0, f64::max);
    let rss_max = nice_ceiling((rss_peak * 1.15).max(RSS_TARGET_MIB * 1.1));
    let fds_peak = run.samples.iter().map(|s| s.fds).fold(0.0, f64::max);
    let fds_max = nice_ceiling((fds_peak * 1.15).max(FDS_REST_TARGET * 1.5));
    let x = |t: f64| left + t / t_max * pw;
    let y_rss = |v: f64| top + ph - v / rss_max * ph;
    let y_fds = |v: f64| top + ph - v / fds_max * ph;

    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" font-family="sans-serif" font-size="12">"##
    );
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        s,
        r##"<text x="{left}" y="22" font-size="15" font-weight="bold">wca serve under load: resident memory and open fds, sampled every second</text>"##
    );
    for (i, o) in run.outcomes.iter().enumerate() {
        let (x0, x1) = (x(o.start), x(o.end));
        let fill = if i % 2 == 0 { "#eef2f7" } else { "#f7f3ea" };
        let _ = writeln!(
            s,
            r##"<rect x="{x0:.1}" y="{top}" width="{:.1}" height="{ph}" fill="{fill}"/>"##,
            (x1 - x0).max(0.5)
        );
        let _ = writeln!(
            s,
            r##"<line x1="{x0:.1}" y1="{top}" x2="{x0:.1}" y2="{:.1}" stroke="#999" stroke-dasharray="3,3"/>"##,
            top + ph
        );
        // A label that does not fit across its band runs down it.
        if x1 - x0 > 7.0 * o.name.len() as f64 + 6.0 {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
                x0 + 3.0,
                top + 14.0,
                o.name
            );
        } else {
            let _ = writeln!(
                s,
                r##"<text transform="translate({:.1} {:.1}) rotate(90)" fill="#555" font-size="11">{}</text>"##,
                x0 + 3.0,
                top + 4.0,
                o.name
            );
        }
    }
    // Axes, ticks and grid.
    for i in 0..=5 {
        let f = i as f64 / 5.0;
        let yy = top + ph - f * ph;
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/>"##,
            left + pw
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#1f5fa8">{:.0}</text>"##,
            left - 6.0,
            yy + 4.0,
            f * rss_max
        );
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" fill="#c0392b">{:.0}</text>"##,
            left + pw + 6.0,
            yy + 4.0,
            f * fds_max
        );
    }
    let step = [
        10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0,
    ]
    .into_iter()
    .find(|st| t_max / st <= 12.0)
    .unwrap_or(7200.0);
    let mut t = 0.0;
    while t <= t_max {
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">{t:.0}</text>"##,
            x(t),
            top + ph + 16.0
        );
        t += step;
    }
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle">seconds</text>"##,
        left + pw / 2.0,
        h - 12.0
    );
    let _ = writeln!(
        s,
        r##"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle" fill="#1f5fa8">RSS (MiB)</text>"##,
        top + ph / 2.0
    );
    let _ = writeln!(
        s,
        r##"<text transform="translate({:.1} {:.1}) rotate(90)" text-anchor="middle" fill="#c0392b">open fds</text>"##,
        w - 16.0,
        top + ph / 2.0
    );
    let _ = writeln!(
        s,
        r##"<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>"##
    );
    // The RSS target.
    let yt = y_rss(RSS_TARGET_MIB);
    let _ = writeln!(
        s,
        r##"<line x1="{left}" y1="{yt:.1}" x2="{:.1}" y2="{yt:.1}" stroke="#1f5fa8" stroke-dasharray="6,4" stroke-opacity="0.6"/>"##,
        left + pw
    );
    let _ = writeln!(
        s,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#1f5fa8">64 MiB target</text>"##,
        left + pw - 4.0,
        yt - 4.0
    );
    let line = |f: &dyn Fn(&Sample) -> (f64, f64)| {
        run.samples
            .iter()
            .map(|p| {
                let (a, b) = f(p);
                format!("{a:.1},{b:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = writeln!(
        s,
        r##"<polyline fill="none" stroke="#1f5fa8" stroke-width="1.8" points="{}"/>"##,
        line(&|p| (x(p.t), y_rss(p.rss / MIB)))
    );
    // wca reports its heap only under glibc.
    let has_heap = run.samples.iter().any(|p| p.heap_in_use > 0.0);
    if has_heap {
        let _ = writeln!(
            s,
            r##"<polyline fill="none" stroke="#1f5fa8" stroke-width="1" stroke-opacity="0.6" stroke-dasharray="4,2" points="{}"/>"##,
            line(&|p| (x(p.t), y_rss(p.heap_in_use / MIB)))
        );
    }
    let _ = writeln!(
        s,
        r##"<polyline fill="none" stroke="#c0392b" stroke-width="1.5" points="{}"/>"##,
        line(&|p| (x(p.t), y_fds(p.fds)))
    );
    // Legend.
    let lx = left + 10.0;
    let ly = top + 30.0;
    let _ = writeln!(
        s,
        r##"<rect x="{lx}" y="{:.1}" width="190" height="{}" fill="#ffffff" fill-opacity="0.85" stroke="#ccc"/>"##,
        ly - 14.0,
        if has_heap { 56 } else { 40 }
    );
    let _ = writeln!(
        s,
        r##"<line x1="{:.1}" y1="{ly}" x2="{:.1}" y2="{ly}" stroke="#1f5fa8" stroke-width="2"/><text x="{:.1}" y="{:.1}">RSS, MiB (left)</text>"##,
        lx + 8.0,
        lx + 28.0,
        lx + 34.0,
        ly + 4.0
    );
    let _ = writeln!(
        s,
        r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#c0392b" stroke-width="2"/><text x="{:.1}" y="{:.1}">open fds (right)</text>"##,
        lx + 8.0,
        ly + 16.0,
        lx + 28.0,
        ly + 16.0,
        lx + 34.0,
        ly + 20.0
    );
    if has_heap {
        let _ = writeln!(
            s,
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#1f5fa8" stroke-dasharray="4,2"/><text x="{:.1}" y="{:.1}">heap in use, MiB (left)</text>"##,
            lx + 8.0,
            ly + 32.0,
            lx + 28.0,
            ly + 32.0,
            lx + 34.0,
            ly + 36.0
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above `v`.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&c| c >= v)
        .unwrap_or(10.0 * p)
}
