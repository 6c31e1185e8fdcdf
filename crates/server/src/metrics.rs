//! The server's own figures, in Prometheus' text format (`/metrics`) and as JSON
//! (`/api/metrics`, for the page's health panel). Every metric name is in this file.
//!
//! Process figures use Prometheus' standard names and come from sysinfo, refreshed
//! for this process only: a full refresh would walk every process on the host and
//! hold their files open. Request labels are route templates and status classes, so
//! their number is bounded by the routes, never by what clients send.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::http::StatusCode;
use serde::Serialize;
use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};

use crate::state::State;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Route {
    /// Requests by status class (1xx … 5xx).
    by_class: [u64; 5],
    /// Requests at or under each bucket's bound (non-cumulative here).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    seconds: f64,
}

pub struct Metrics {
    routes: Mutex<BTreeMap<String, Route>>,
    analyzed_bytes: AtomicU64,
    process: Mutex<Option<(System, Pid)>>,
}

/// This process's resources.
#[derive(Debug, Default, Serialize)]
pub struct Process {
    pub resident_memory_bytes: u64,
    pub virtual_memory_bytes: u64,
    pub open_fds: Option<u64>,
    pub max_fds: Option<u64>,
    pub cpu_seconds_total: f64,
    pub start_time_seconds: u64,
}

#[derive(Debug, Serialize)]
pub struct Snapshot {
    pub process: Process,
    pub requests_total: u64,
    pub analyzed_bytes_total: u64,
}

/// A figure the server adds to `/metrics` beside the process and request ones.
pub struct Figure {
    pub name: &'static str,
    /// `counter` or `gauge`.
    pub kind: &'static str,
    pub help: &'static str,
    pub value: f64,
}

impl Metrics {
    pub fn new() -> Self {
        let process = System::new().ok().zip(sysinfo::get_current_pid().ok());
        Self {
            routes: Mutex::new(BTreeMap::new()),
            analyzed_bytes: AtomicU64::new(0),
            process: Mutex::new(process),
        }
    }

    pub fn observe(&self, route: &str, status: StatusCode, elapsed: Duration) {
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let r = routes.entry(route.to_string()).or_default();
        let class = usize::from(status.as_u16() / 100).clamp(1, 5) - 1;
        r.by_class[class] += 1;
        let secs = elapsed.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|&b| secs <= b) {
            r.buckets[i] += 1;
        }
        r.count += 1;
        r.seconds += secs;
    }

    pub fn analyzed(&self, bytes: u64) {
        self.analyzed_bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    fn process(&self) -> Process {
        let mut guard = self.process.lock().unwrap_or_else(|p| p.into_inner());
        let Some((system, pid)) = guard.as_mut() else {
            return Process::default();
        };
        system.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[*pid]),
            false,
            ProcessRefreshKind::nothing().with_memory().with_cpu(),
        );
        let Some(p) = system.process(*pid) else {
            return Process::default();
        };
        Process {
            resident_memory_bytes: p.memory(),
            virtual_memory_bytes: p.virtual_memory(),
            open_fds: p.open_files().map(|n| n as u64),
            max_fds: p.open_files_limit().map(|n| n as u64),
            cpu_seconds_total: p.accumulated_cpu_time() as f64 / 1000.0,
            start_time_seconds: p.start_time(),
        }
    }

    /// Resident memory now, in bytes (for load shedding).
    pub fn resident_memory_bytes(&self) -> u64 {
        self.process().resident_memory_bytes
    }

    pub fn snapshot(&self) -> Snapshot {
        let requests_total = self
            .routes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .map(|r| r.count)
            .sum();
        Snapshot {
            process: self.process(),
            requests_total,
            analyzed_bytes_total: self.analyzed_bytes.load(Ordering::Relaxed),
        }
    }

    /// Everything in Prometheus' text exposition format (version 0.0.4).
    pub fn prometheus(&self, extra: &[Figure]) -> String {
        let p = self.process();
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: String| {
            let _ = write!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            );
        };
        metric(
            "process_resident_memory_bytes",
            "gauge",
            "Resident memory size in bytes.",
            p.resident_memory_bytes.to_string(),
        );
        metric(
            "process_virtual_memory_bytes",
            "gauge",
            "Virtual memory size in bytes.",
            p.virtual_memory_bytes.to_string(),
        );
        if let Some(n) = p.open_fds {
            metric(
                "process_open_fds",
                "gauge",
                "Number of open file descriptors.",
                n.to_string(),
            );
        }
        if let Some(n) = p.max_fds {
            metric(
                "process_max_fds",
                "gauge",
                "Maximum number of open file descriptors.",
                n.to_string(),
            );
        }
        metric(
            "process_cpu_seconds_total",
            "counter",
            "Total user and system CPU time spent in seconds.",
            p.cpu_seconds_total.to_string(),
        );
        metric(
            "process_start_time_seconds",
            "gauge",
            "Start time of the process since unix epoch in seconds.",
            p.start_time_seconds.to_string(),
        );
        metric(
            "wca_analyzed_bytes_total",
            "counter",
            "Bytes analyzed natively: uploads and fetched pages.",
            self.analyzed_bytes.load(Ordering::Relaxed).to_string(),
        );
        for f in extra {
            metric(f.name, f.kind, f.help, f.value.to_string());
        }

        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        out.push_str(
            "# HELP wca_http_requests_total HTTP requests by route template and status class.\n",
        );
        out.push_str("# TYPE wca_http_requests_total counter\n");
        for (route, r) in routes.iter() {
            for (i, n) in r.by_class.iter().enumerate().filter(|(_, n)| **n > 0) {
                let _ = writeln!(
                    out,
                    "wca_http_requests_total{{route=\"{}\",status=\"{}xx\"}} {n}",
                    escape(route),
                    i + 1
                );
            }
        }
        out.push_str(
            "# HELP wca_http_request_duration_seconds HTTP request latency by route template.\n",
        );
        out.push_str("# TYPE wca_http_request_duration_seconds histogram\n");
        for (route, r) in routes.iter() {
            let route = escape(route);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(r.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "wca_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "wca_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                r.count
            );
            let _ = writeln!(
                out,
                "wca_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                r.seconds
            );
            let _ = writeln!(
                out,
                "wca_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                r.count
            );
        }
        out
    }
}

/// Escapes a label value per the exposition format.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The server's own figures, besides the request counts and the process's.
pub(crate) fn figures(state: &State) -> Vec<Figure> {
    let f = &state.fetch.stats;
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed) as f64;
    let mut figures = vec![
        Figure {
            name: "wca_fetch_requests_total",
            kind: "counter",
            help: "Upstream fetches started.",
            value: load(&f.started),
        },
        Figure {
            name: "wca_fetch_errors_total",
            kind: "counter",
            help: "Fetches refused or failed.",
            value: load(&f.failed),
        },
        Figure {
            name: "wca_fetch_wire_bytes_total",
            kind: "counter",
            help: "Bytes received from upstream servers, before decompression.",
            value: load(&f.wire_bytes),
        },
        Figure {
            name: "wca_fetched_bytes_total",
            kind: "counter",
            help: "Bytes fetched, after decompression.",
            value: load(&f.bytes),
        },
        Figure {
            name: "wca_fetch_in_flight",
            kind: "gauge",
            help: "Upstream fetches in progress.",
            value: state.fetch.in_flight() as f64,
        },
        Figure {
            name: "wca_cache_hits_total",
            kind: "counter",
            help: "URL analyses served from the cache (in process or shared).",
            value: load(&state.cache.hits),
        },
        Figure {
            name: "wca_cache_misses_total",
            kind: "counter",
            help: "URL analyses that had to fetch.",
            value: load(&state.cache.misses),
        },
        Figure {
            name: "wca_cache_bytes",
            kind: "gauge",
            help: "Bytes of reports in the in-process cache.",
            value: state.cache.reports.weighted_size() as f64,
        },
        Figure {
            name: "wca_cache_entries",
            kind: "gauge",
            help: "Reports in the in-process cache.",
            value: state.cache.reports.entry_count() as f64,
        },
        Figure {
            name: "wca_analyses_running",
            kind: "gauge",
            help: "Analyses holding a slot.",
            value: state.analyses_running() as f64,
        },
        Figure {
            name: "wca_analysis_slots",
            kind: "gauge",
            help: "Analyses that may run at once (--analysis-slots).",
            value: state.config.analysis_slots as f64,
        },
        Figure {
            name: "wca_analysis_busy_total",
            kind: "counter",
            help: "Requests refused with 503 because no analysis slot came free in time.",
            value: load(&state.busy),
        },
        Figure {
            name: "wca_client_limited_total",
            kind: "counter",
            help: "Requests refused with 429: their client had --client-concurrency under way.",
            value: load(&state.clients.refused),
        },
        Figure {
            name: "wca_clients_active",
            kind: "gauge",
            help: "Clients with a fetch or an analysis under way.",
            value: state.clients.active() as f64,
        },
        Figure {
            name: "wca_shed_requests_total",
            kind: "counter",
            help: "Requests refused with 503 because memory was above the threshold.",
            value: load(&state.shed),
        },
    ];
    if let Some(heap) = *state.heap.lock().unwrap_or_else(|p| p.into_inner()) {
        figures.extend([
            Figure {
                name: "wca_heap_in_use_bytes",
                kind: "gauge",
                help: "Bytes the allocator has handed out and not had back, read every 5 s \
                       (glibc's mallinfo2: uordblks + hblkhd).",
                value: heap.in_use as f64,
            },
            Figure {
                name: "wca_heap_free_bytes",
                kind: "gauge",
                help: "Free bytes kept in the allocator's heaps after its trim, read every \
                       5 s (glibc's mallinfo2: fordblks).",
                value: heap.free as f64,
            },
        ]);
    }
    if let Some(entries) = state.store.memory_entries() {
        figures.push(Figure {
            name: "wca_history_entries",
            kind: "gauge",
            help: "Analyses kept in the in-memory history.",
            value: entries as f64,
        });
        figures.push(Figure {
            name: "wca_history_bytes",
            kind: "gauge",
            help: "Bytes of whole reports kept in the in-memory history (--history-bytes).",
            value: state.store.memory_bytes().unwrap_or(0) as f64,
        });
    }
    if let Some((s, error)) = state.store.database() {
        figures.extend([
            Figure {
                name: "wca_db_pool_max_size",
                kind: "gauge",
                help: "Largest number of database connections.",
                value: s.max_size as f64,
            },
            Figure {
                name: "wca_db_pool_size",
                kind: "gauge",
                help: "Database connections open.",
                value: s.size as f64,
            },
            Figure {
                name: "wca_db_pool_available",
                kind: "gauge",
                help: "Database connections idle in the pool.",
                value: s.available as f64,
            },
            Figure {
                name: "wca_db_pool_waiting",
                kind: "gauge",
                help: "Requests waiting for a database connection.",
                value: s.waiting as f64,
            },
            Figure {
                name: "wca_db_up",
                kind: "gauge",
                help: "1 if the last database operation succeeded.",
                value: if error.is_none() { 1.0 } else { 0.0 },
            },
        ]);
    }
    figures
}
