//! `wca serve`: the HTTP server — the web page, the guarded fetch proxy, native
//! analysis of uploads and URLs with a bounded cache, history in PostgreSQL (or a
//! bounded in-memory store), health checks, metrics and load shedding.
//!
//! Everything streams: an uploaded body goes through the analyzer chunk by chunk as
//! it arrives, and `/api/fetch` passes the upstream body on as it comes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, ResponseError, web};
use futures_util::StreamExt;
use futures_util::future::Either;
use serde::{Deserialize, Serialize};
use tokio::sync::{Semaphore, SemaphorePermit};
use wca_core::{Analyzer, Options, Report};

use crate::fetch::{self, FetchConfig, FetchError, Fetcher};

mod assets;
mod db;
mod history;
mod metrics;

#[allow(unsafe_code)]
mod malloc;

use assets::Assets;
pub use db::DbConfig;
use db::{Db, DbError};
use history::{History, Summary};
use metrics::{Figure, Metrics};

/// The server's settings: command-line flags with environment fallbacks.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, env = "WCA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Folder of the web page.
    #[arg(long, env = "WCA_WWW", default_value = "www")]
    pub www: PathBuf,
    /// Largest body `POST /api/analyze` reads, in bytes.
    #[arg(long, env = "WCA_MAX_BODY_BYTES", default_value_t = 256 << 20)]
    pub max_body_bytes: u64,
    /// Analyses kept in the history (in memory, or in the database), newest first.
    #[arg(long, env = "WCA_HISTORY", default_value_t = 1000)]
    pub history: usize,
    /// HTTP worker threads.
    #[arg(long, env = "WCA_WORKERS", default_value_t = 2)]
    pub workers: usize,
    /// Bytes of reports the in-process cache of URL analyses holds.
    #[arg(long, env = "WCA_CACHE_BYTES", default_value_t = 16 << 20)]
    pub cache_bytes: u64,
    /// Seconds a cached URL analysis stays fresh (in process and in the database).
    #[arg(long, env = "WCA_CACHE_TTL", default_value_t = 600)]
    pub cache_ttl: u64,
    /// Resident memory, in bytes, above which new analyses and fetches are refused
    /// with 503 and Retry-After (health, metrics and the page still answer).
    #[arg(long, env = "WCA_SHED_RSS_BYTES", default_value_t = 256 << 20)]
    pub shed_rss_bytes: u64,
    /// Analyses that run at once (uploads and URL analyses together). Each holds at
    /// most its word and bigram tables, bounded by `--max-distinct`, so this times
    /// that bounds the memory analyses take: 4 × 25 MiB at the defaults for inputs
    /// built to fill the tables, a few MiB for real pages. Analyses compute on the
    /// worker threads, so slots past about twice the workers add memory, not speed.
    /// A URL analysis takes its slot once the page's first 64 KiB are in
    /// (all of a small page), so a slow upstream holds one of the fetches
    /// (`--fetch-concurrency`) rather than a slot until then; a large page keeps its
    /// slot while the rest arrives (for at most `--fetch-body-timeout`).
    #[arg(long, env = "WCA_ANALYSIS_SLOTS", default_value_t = 4)]
    pub analysis_slots: usize,
    /// Seconds a request waits for an analysis slot before it is answered 503 with
    /// Retry-After.
    #[arg(long, env = "WCA_ANALYSIS_WAIT", default_value_t = 10.0)]
    pub analysis_wait: f64,
    /// The largest `max_distinct` option a client may ask for (the memory budget of
    /// one analysis: about 220 bytes per distinct word when its tables are full).
    #[arg(long, env = "WCA_MAX_DISTINCT", default_value_t = wca_core::DEFAULT_MAX_DISTINCT)]
    pub max_distinct: usize,
    /// Seconds an upload to `POST /api/analyze` may take from its first byte to its
    /// last, so a slow client cannot hold an analysis slot for long.
    #[arg(long, env = "WCA_UPLOAD_TIMEOUT", default_value_t = 60.0)]
    pub upload_timeout: f64,
    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "WCA_GRACE", default_value_t = 10)]
    pub grace: u64,
    #[command(flatten)]
    pub fetch: FetchConfig,
    #[command(flatten)]
    pub db: DbConfig,
}

impl Config {
    /// The defaults, listening on `bind` and serving `www` (for tests and embedding).
    pub fn new(bind: &str, www: PathBuf) -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Defaults {
            #[command(flatten)]
            config: Config,
        }
        let mut config = Defaults::parse_from(["wca"]).config;
        config.bind = bind.into();
        config.www = www;
        config
    }
}

/// The page may run its own scripts and compile WebAssembly, and nothing else:
/// no inline script, no plugins, no framing, no foreign connections.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// Proxied pages are data for the page's scripts, never documents of this origin:
/// opened directly, they run nothing and are offered as a download.
const FETCH_CSP: &str = "sandbox; default-src 'none'";

/// Seconds a client is told to wait after a 503.
const RETRY_AFTER: &str = "5";

/// Where analyses are kept.
enum Store {
    Memory(History),
    Postgres(Db),
}

/// The in-process cache of URL analyses: report JSON by URL and options.
struct Cache {
    /// Shared, never copied: a hit answers with the same bytes.
    reports: moka::sync::Cache<String, web::Bytes>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// State shared by the workers.
struct State {
    config: Config,
    /// The web page's files, in memory.
    assets: Assets,
    store: Store,
    cache: Cache,
    metrics: Metrics,
    fetch: Arc<fetch::Shared>,
    /// Resident memory at the last sample, for shedding.
    rss: AtomicU64,
    /// The allocator's figures after the last trim (glibc only).
    heap: std::sync::Mutex<Option<malloc::Heap>>,
    shed: AtomicU64,
    /// Analysis slots (`--analysis-slots`).
    slots: Semaphore,
    /// Requests answered 503 because no slot came free in `--analysis-wait`.
    busy: AtomicU64,
}

/// Binds and starts the server; returns it (a future that runs until stopped, and
/// stops gracefully on SIGTERM or SIGINT) and the address it listens on. Must be
/// called within an actix (tokio) runtime.
pub fn start(mut config: Config) -> anyhow::Result<Started> {
    malloc::tune();
    config.analysis_slots = config.analysis_slots.max(1);
    let workers = config.workers.max(1);
    let bind = config.bind.clone();
    let store = match &config.db.database_url {
        Some(url) => Store::Postgres(Db::new(url, &config.db)?),
        None => Store::Memory(History::new(config.history)),
    };
    let cache = Cache {
        reports: moka::sync::Cache::builder()
            .max_capacity(config.cache_bytes)
            .weigher(|k: &String, v: &web::Bytes| {
                u32::try_from(k.len() + v.len()).unwrap_or(u32::MAX)
            })
            .time_to_live(Duration::from_secs(config.cache_ttl))
            .build(),
        hits: AtomicU64::new(0),
        misses: AtomicU64::new(0),
    };
    let assets = Assets::load(&config.www)?;
    let state = web::Data::new(State {
        assets,
        fetch: fetch::Shared::new(config.fetch.clone())?,
        metrics: Metrics::new(),
        rss: AtomicU64::new(0),
        heap: std::sync::Mutex::new(None),
        shed: AtomicU64::new(0),
        slots: Semaphore::new(config.analysis_slots),
        busy: AtomicU64::new(0),
        store,
        cache,
        config,
    });
    state
        .rss
        .store(state.metrics.resident_memory_bytes(), Ordering::Relaxed);
    state.read_heap();
    sample_memory(state.clone().into_inner());
    if matches!(state.store, Store::Postgres(_)) {
        // Connect and migrate now if the database is up; if not, the first request
        // that needs it tries again.
        let state = state.clone();
        actix_web::rt::spawn(async move {
            if let Store::Postgres(db) = &state.store
                && let Err(e) = db.ping().await
            {
                eprintln!("wca: {e}; history answers 503 until it is back");
            }
        });
    }
    let factory_state = state.clone();
    let server = HttpServer::new(move || {
        let state = factory_state.clone();
        App::new()
            .app_data(web::Data::new(Fetcher::new(state.fetch.clone())))
            .app_data(state.clone())
            .app_data(web::JsonConfig::default().limit(64 << 10))
            .wrap(actix_web::middleware::from_fn(observe))
            .wrap(
                DefaultHeaders::new()
                    .add(("Content-Security-Policy", CSP))
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "no-referrer")),
            )
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .route("/metrics", web::get().to(metrics))
            .route("/api/metrics", web::get().to(metrics_json))
            .route("/api/fetch", web::get().to(fetch_route))
            .route("/api/analyze", web::post().to(analyze))
            .route("/api/analyses", web::get().to(list))
            .route("/api/analyses/{id}", web::get().to(get_one))
            .default_service(web::to(static_file))
    })
    .workers(workers)
    .h1_write_buffer_size(WRITE_BUFFER)
    // A body larger than the write buffer goes out in several writes; without this,
    // Nagle's algorithm holds the last one until the client's delayed ACK (40 ms).
    .tcp_nodelay(true)
    // Signals are handled by `run`, which makes SIGINT as graceful as SIGTERM
    // (actix would stop at once on SIGINT), and embedders keep their own.
    .disable_signals()
    .shutdown_timeout(state.config.grace)
    .bind(bind)?;
    let addr = server.addrs()[0];
    Ok(Started {
        server: server.run(),
        addr,
        state: state.into_inner(),
    })
}

/// A started server.
pub struct Started {
    /// Runs until stopped; its handle stops it.
    pub server: Server,
    /// The address it listens on.
    pub addr: SocketAddr,
    state: Arc<State>,
}

impl Started {
    /// Serves until stopped, then closes the database pool.
    pub async fn run(self) -> std::io::Result<()> {
        let result = self.server.await;
        if let Store::Postgres(db) = &self.state.store {
            db.close();
        }
        result
    }
}

/// Runs the server until it is stopped: on SIGTERM or SIGINT it stops accepting,
/// gives in-flight requests the grace period, then closes the database pool.
pub fn run(config: Config) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let www = config.www.clone();
        let database = config.db.database_url.is_some();
        let started = start(config)?;
        eprintln!(
            "wca: {} files of {} in memory",
            started.state.assets.len(),
            www.display()
        );
        eprintln!("wca: serving {} at http://{}", www.display(), started.addr);
        if !database {
            eprintln!("wca: no --database-url: history is kept in memory");
        }
        let handle = started.server.handle();
        let grace = started.state.config.grace;
        actix_web::rt::spawn(async move {
            let signal = stop_signal().await;
            eprintln!("wca: {signal}: no new connections; requests in flight get up to {grace} s");
            handle.stop(true).await;
        });
        started.run().await?;
        eprintln!("wca: stopped");
        Ok(())
    })
}

/// Waits for SIGTERM or SIGINT; returns its name.
#[cfg(unix)]
async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        },
        _ => {
            let _ = tokio::signal::ctrl_c().await;
            "SIGINT"
        }
    }
}

/// Waits for Ctrl-C.
#[cfg(not(unix))]
async fn stop_signal() -> &'static str {
    let _ = tokio::signal::ctrl_c().await;
    "Ctrl-C"
}

/// Database connections unused this long are closed (checked every 5 s).
const DB_IDLE: Duration = Duration::from_secs(15);

/// Samples resident memory four times a second on a thread of its own, so that the
/// shedding check costs one atomic load per request, and closes idle database
/// connections now and then. The thread ends with the state.
fn sample_memory(state: Arc<State>) {
    let weak = Arc::downgrade(&state);
    drop(state);
    std::thread::Builder::new()
        .name("wca-rss".into())
        .spawn(move || {
            let mut ticks = 0u64;
            while let Some(state) = weak.upgrade() {
                let rss = state.metrics.resident_memory_bytes();
                state.rss.store(rss, Ordering::Relaxed);
                ticks += 1;
                if ticks.is_multiple_of(20) {
                    if let Store::Postgres(db) = &state.store {
                        db.close_idle(DB_IDLE);
                    }
                    malloc::trim();
                    state.read_heap();
                }
                drop(state);
                std::thread::sleep(Duration::from_millis(250));
            }
        })
        .ok();
}

impl State {
    /// Reads the allocator's figures for `/metrics`.
    fn read_heap(&self) {
        *self.heap.lock().unwrap_or_else(|p| p.into_inner()) = malloc::heap();
    }

    /// Refuses new work while resident memory is above the threshold.
    fn admit(&self) -> Result<(), ApiError> {
        let rss = self.rss.load(Ordering::Relaxed);
        if rss > self.config.shed_rss_bytes {
            self.shed.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::Overloaded(rss));
        }
        Ok(())
    }

    /// Waits up to `--analysis-wait` for an analysis slot; the permit frees it.
    async fn slot(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        let wait = Duration::try_from_secs_f64(self.config.analysis_wait).unwrap_or(Duration::ZERO);
        match tokio::time::timeout(wait, self.slots.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                self.busy.fetch_add(1, Ordering::Relaxed);
                Err(ApiError::Busy {
                    slots: self.config.analysis_slots,
                    wait: self.config.analysis_wait,
                })
            }
        }
    }

    /// Refuses options that would give one analysis more memory than allowed.
    fn check_options(&self, options: &Options) -> Result<(), ApiError> {
        let max = self.config.max_distinct;
        if options.max_distinct > max {
            return Err(ApiError::BadOptions(format!(
                "options: max_distinct {} is above this server's limit of {max}",
                options.max_distinct
            )));
        }
        Ok(())
    }

    fn analyses_running(&self) -> usize {
        self.config.analysis_slots - self.slots.available_permits()
    }

    /// Stores an analysis in the history. A database failure is reported on
    /// stderr and in `/readyz` but does not fail the analysis it would record.
    async fn record(&self, summary: Summary, cache_key: Option<&str>, json: &str) -> Option<u64> {
        match &self.store {
            Store::Memory(h) => Some(h.insert(summary, json.to_string())),
            Store::Postgres(db) => match db.insert(&summary, cache_key, json).await {
                Ok(id) => {
                    // Keep the table bounded: prune now and then.
                    if id % 64 == 0 {
                        let _ = db.prune(self.config.history).await;
                    }
                    Some(id)
                }
                Err(e) => {
                    eprintln!("wca: history not saved: {e}");
                    None
                }
            },
        }
    }

    fn figures(&self) -> Vec<Figure> {
        let f = &self.fetch.stats;
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
                value: self.fetch.in_flight() as f64,
            },
            Figure {
                name: "wca_cache_hits_total",
                kind: "counter",
                help: "URL analyses served from the cache (in process or shared).",
                value: load(&self.cache.hits),
            },
            Figure {
                name: "wca_cache_misses_total",
                kind: "counter",
                help: "URL analyses that had to fetch.",
                value: load(&self.cache.misses),
            },
            Figure {
                name: "wca_cache_bytes",
                kind: "gauge",
                help: "Bytes of reports in the in-process cache.",
                value: self.cache.reports.weighted_size() as f64,
            },
            Figure {
                name: "wca_cache_entries",
                kind: "gauge",
                help: "Reports in the in-process cache.",
                value: self.cache.reports.entry_count() as f64,
            },
            Figure {
                name: "wca_analyses_running",
                kind: "gauge",
                help: "Analyses holding a slot.",
                value: self.analyses_running() as f64,
            },
            Figure {
                name: "wca_analysis_slots",
                kind: "gauge",
                help: "Analyses that may run at once (--analysis-slots).",
                value: self.config.analysis_slots as f64,
            },
            Figure {
                name: "wca_analysis_busy_total",
                kind: "counter",
                help: "Requests refused with 503 because no analysis slot came free in time.",
                value: load(&self.busy),
            },
            Figure {
                name: "wca_shed_requests_total",
                kind: "counter",
                help: "Requests refused with 503 because memory was above the threshold.",
                value: load(&self.shed),
            },
        ];
        if let Some(heap) = *self.heap.lock().unwrap_or_else(|p| p.into_inner()) {
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
        match &self.store {
            Store::Memory(h) => figures.push(Figure {
                name: "wca_history_entries",
                kind: "gauge",
                help: "Analyses kept in the in-memory history.",
                value: h.len() as f64,
            }),
            Store::Postgres(db) => {
                let s = db.status();
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
                        value: if db.last_error().is_none() { 1.0 } else { 0.0 },
                    },
                ]);
            }
        }
        figures
    }
}

/// Counts every request by route template and status class, with its latency.
async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let state = req.app_data::<web::Data<State>>().cloned();
    // Labels are the route template, never the raw path: bounded by the routes.
    let route = req
        .match_pattern()
        .filter(|p| {
            p.starts_with("/api")
                || p.starts_with("/healthz")
                || p.starts_with("/readyz")
                || p.starts_with("/metrics")
        })
        .unwrap_or_else(|| "static".to_string());
    let res = next.call(req).await?;
    if let Some(state) = state {
        state.metrics.observe(&route, res.status(), start.elapsed());
    }
    Ok(res)
}

/// Errors a handler returns: a status, a stable code and a short message.
#[derive(Debug, thiserror::Error)]
enum ApiError {
    #[error("{0}")]
    BadOptions(String),
    #[error("the body is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the body could not be read")]
    Body,
    #[error("the body did not arrive within {0} s")]
    BodyTimeout(f64),
    #[error("all {slots} analysis slots stayed busy for {wait} s; try again shortly")]
    Busy { slots: usize, wait: f64 },
    #[error("no such analysis")]
    NotFound,
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the server is over its memory threshold ({} MiB resident); try again shortly", .0 >> 20)]
    Overloaded(u64),
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::BadOptions(_) => "bad_options",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Body => "body_error",
            ApiError::BodyTimeout(_) => "body_timeout",
            ApiError::Busy { .. } => "busy",
            ApiError::NotFound => "not_found",
            ApiError::Fetch(e) => e.code(),
            ApiError::Db(DbError::Busy) => "database_busy",
            ApiError::Db(DbError::Unavailable(_)) => "database_unavailable",
            ApiError::Overloaded(_) => "overloaded",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadOptions(_) | ApiError::Body => StatusCode::BAD_REQUEST,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Fetch(e) => e.status(),
            ApiError::Db(_) | ApiError::Overloaded(_) | ApiError::Busy { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if self.status_code() == StatusCode::SERVICE_UNAVAILABLE {
            res.insert_header(("Retry-After", RETRY_AFTER));
        }
        res.json(serde_json::json!({ "error": self.code(), "message": self.to_string() }))
    }
}

/// Everything that is not a route: a file of the web page.
async fn static_file(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    state.assets.serve(&req)
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready while the process can analyze. The database's state is reported; when it
/// is down the server is `degraded` (history answers 503) but still ready, since
/// analysis and fetching do not need it.
async fn readyz(state: web::Data<State>) -> HttpResponse {
    let (status, database) = match &state.store {
        Store::Memory(_) => ("ready", "none: history is kept in memory".to_string()),
        Store::Postgres(db) => match db.ping().await {
            Ok(()) => ("ready", "ok".to_string()),
            Err(e) => ("degraded", e.to_string()),
        },
    };
    HttpResponse::Ok().json(serde_json::json!({ "status": status, "database": database }))
}

async fn metrics(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.prometheus(&state.figures()))
}

/// The same figures as JSON, for the page's health panel.
async fn metrics_json(state: web::Data<State>) -> HttpResponse {
    let snapshot = state.metrics.snapshot();
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let f = &state.fetch.stats;
    let database = match &state.store {
        Store::Memory(h) => serde_json::json!({ "configured": false, "history_entries": h.len() }),
        Store::Postgres(db) => serde_json::json!({
            "configured": true,
            "up": db.last_error().is_none(),
            "error": db.last_error(),
            "pool": db.status(),
        }),
    };
    HttpResponse::Ok().json(serde_json::json!({
        "process": snapshot.process,
        "requests_total": snapshot.requests_total,
        "analyzed_bytes_total": snapshot.analyzed_bytes_total,
        "cache": {
            "entries": state.cache.reports.entry_count(),
            "bytes": state.cache.reports.weighted_size(),
            "capacity_bytes": state.config.cache_bytes,
            "hits": load(&state.cache.hits),
            "misses": load(&state.cache.misses),
        },
        "fetch": {
            "in_flight": state.fetch.in_flight(),
            "started": load(&f.started),
            "failed": load(&f.failed),
            "bytes": load(&f.bytes),
            "wire_bytes": load(&f.wire_bytes),
        },
        "analyses": {
            "running": state.analyses_running(),
            "slots": state.config.analysis_slots,
            "busy": load(&state.busy),
        },
        "shed_total": load(&state.shed),
        "shed_threshold_bytes": state.config.shed_rss_bytes,
        "database": database,
    }))
}

#[derive(Debug, Deserialize)]
struct FetchQuery {
    url: String,
}

/// `GET /api/fetch?url=…`: the upstream body, streamed as it arrives, with its
/// Content-Type (and charset), its length when known, the final URL, and the cap.
async fn fetch_route(
    query: web::Query<FetchQuery>,
    state: web::Data<State>,
    fetcher: web::Data<Fetcher>,
) -> Result<HttpResponse, ApiError> {
    state.admit()?;
    let fetched = fetcher.open(&query.url).await?;
    let mut res = HttpResponse::Ok();
    res.insert_header(("Content-Type", fetched.content_type.as_str()))
        .insert_header(("Content-Security-Policy", FETCH_CSP))
        .insert_header(("Content-Disposition", "attachment"))
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Wca-Final-Url", fetched.url.as_str()))
        .insert_header((
            "X-Wca-Max-Bytes",
            state.fetch.config().fetch_max_bytes.to_string(),
        ))
        .insert_header((
            "Access-Control-Expose-Headers",
            "X-Wca-Final-Url, X-Wca-Max-Bytes",
        ));
    // No compression of our own: the page reads the bytes as they come.
    res.insert_header(("Content-Encoding", "identity"));
    // Each chunk in pieces, as for any other body (see `in_pieces`).
    let stream = fetched.body.into_stream().flat_map(|chunk| match chunk {
        Ok(chunk) => Either::Left(futures_util::stream::iter(pieces(chunk).map(Ok))),
        Err(e) => Either::Right(futures_util::stream::once(std::future::ready(Err(e)))),
    });
    Ok(match fetched.content_length {
        Some(n) => res.no_chunking(n).streaming(stream),
        None => res.streaming(stream),
    })
}

impl ResponseError for FetchError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }
}

/// `POST /api/analyze`, in two forms:
/// - `Content-Type: application/json` with `{"url": "…", "options": {…}}`: the page
///   is fetched through the guarded fetcher and analyzed as it streams; results are
///   cached by URL and options, in process and, with a database, across replicas.
/// - any other body (text, HTML): analyzed as it arrives; the options come in the
///   query string as the JSON object `options`, and the Content-Type is the format
///   and charset hint.
async fn analyze(
    req: HttpRequest,
    query: web::Query<AnalyzeQuery>,
    body: web::Payload,
    state: web::Data<State>,
    fetcher: web::Data<Fetcher>,
) -> Result<HttpResponse, ApiError> {
    state.admit()?;
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let is_json = content_type
        .as_deref()
        .and_then(|c| c.split(';').next())
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("application/json"));
    if is_json {
        let request: UrlRequest = read_json(body).await?;
        return analyze_url(request, &state, &fetcher).await;
    }
    let mut options: Options = match &query.options {
        Some(json) => {
            serde_json::from_str(json).map_err(|e| ApiError::BadOptions(format!("options: {e}")))?
        }
        None => Options::default(),
    };
    if options.content_type.is_none() {
        options.content_type = content_type;
    }
    state.check_options(&options)?;
    let mut analyzer = Analyzer::new(options).map_err(|e| ApiError::BadOptions(e.to_string()))?;
    let slot = state.slot().await?;
    let max = state.config.max_body_bytes;
    let limit = state.config.upload_timeout;
    let deadline =
        tokio::time::Instant::now() + Duration::try_from_secs_f64(limit).unwrap_or(Duration::ZERO);
    let mut total = 0u64;
    let mut body = body;
    loop {
        let chunk = match tokio::time::timeout_at(deadline, body.next()).await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(_) => return Err(ApiError::BodyTimeout(limit)),
        };
        let chunk = chunk.map_err(|_| ApiError::Body)?;
        total += chunk.len() as u64;
        if total > max {
            return Err(ApiError::TooLarge(max));
        }
        analyzer.push(&chunk);
        state.metrics.analyzed(chunk.len() as u64);
    }
    let report = analyzer.finish();
    drop(slot);
    let json = to_json(&report)?;
    let id = state
        .record(Summary::of(&report, "upload"), None, &json)
        .await;
    Ok(report_response(json, id, None))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UrlRequest {
    url: String,
    #[serde(default)]
    options: Options,
}

/// Reads a small JSON body (at most 64 KiB).
async fn read_json<T: serde::de::DeserializeOwned>(mut body: web::Payload) -> Result<T, ApiError> {
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| ApiError::Body)?;
        if bytes.len() + chunk.len() > 64 << 10 {
            return Err(ApiError::TooLarge(64 << 10));
        }
        bytes.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&bytes).map_err(|e| ApiError::BadOptions(format!("request: {e}")))
}

async fn analyze_url(
    request: UrlRequest,
    state: &State,
    fetcher: &Fetcher,
) -> Result<HttpResponse, ApiError> {
    // The key is the URL as the WHATWG parser normalizes it, plus the options. The
    // guard sees it before the cache does, so a cached page is never served for a
    // URL this server would refuse (replicas may allow different ranges).
    let url = fetcher.check(&request.url)?;
    state.check_options(&request.options)?;
    let options_key =
        serde_json::to_string(&request.options).map_err(|e| ApiError::BadOptions(e.to_string()))?;
    let key = format!("{url}\n{options_key}");
    if let Some(json) = state.cache.reports.get(&key) {
        state.cache.hits.fetch_add(1, Ordering::Relaxed);
        return Ok(report_response(json, None, Some("hit")));
    }
    if let Store::Postgres(db) = &state.store
        && let Ok(Some(json)) = db
            .cached(&key, Duration::from_secs(state.config.cache_ttl))
            .await
    {
        state.cache.hits.fetch_add(1, Ordering::Relaxed);
        let json = web::Bytes::from(json);
        state.cache.reports.insert(key, json.clone());
        return Ok(report_response(json, None, Some("shared")));
    }
    state.cache.misses.fetch_add(1, Ordering::Relaxed);
    // The slot is taken once the page's first bytes are in (all of a small page),
    // so a slow upstream holds a fetch, not an analysis slot, while it dawdles.
    let page = fetcher.begin(url.as_str(), &request.options).await?;
    let slot = state.slot().await?;
    let report = page
        .analyze(request.options, |n| state.metrics.analyzed(n))
        .await?;
    drop(slot);
    let json = to_json(&report)?;
    state
        .cache
        .reports
        .insert(key.clone(), web::Bytes::from(json.clone()));
    let id = state
        .record(Summary::of(&report, "url"), Some(&key), &json)
        .await;
    Ok(report_response(json, id, Some("miss")))
}

fn to_json(report: &Report) -> Result<String, ApiError> {
    serde_json::to_string(report).map_err(|e| ApiError::BadOptions(e.to_string()))
}

fn report_response(
    json: impl Into<web::Bytes>,
    id: Option<u64>,
    cache: Option<&str>,
) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    res.content_type("application/json");
    if let Some(id) = id {
        res.insert_header(("Location", format!("/api/analyses/{id}")));
    }
    if let Some(cache) = cache {
        res.insert_header(("X-Wca-Cache", cache));
    }
    res.body(in_pieces(json.into()))
}

/// What each connection's write buffer may grow to. actix keeps a connection's buffer
/// while the connection stays open (up to 128 KiB), and the buffer grows by doubling,
/// from 8 KiB, whenever what it must hold does not fit. With actix's defaults and
/// whole bodies, 256 keep-alive connections under load held 64–128 KiB each, 20 MiB
/// in all, and still growing after an hour.
///
/// The bytes crate reuses the space of bytes already written only once they are at
/// least as many as the bytes still waiting; until then, adding to the buffer may
/// move it to one twice as large. After a partial write (the socket took only part
/// of the buffer), the buffer must therefore find room for the bytes written but not
/// yet reclaimed (fewer than those waiting), the bytes waiting, and what is added.
/// actix adds a piece of a body only while fewer than [`WRITE_BUFFER`] bytes wait,
/// so the buffer never needs more than `2 × WRITE_BUFFER + PIECE`: this. A response
/// head goes into an empty buffer when the client waits for each response before it
/// sends the next request, as browsers and wrk do; behind a pipelining client it can
/// follow a last piece, and that connection's buffer may reach 32 KiB.
///
/// Session 4 flushed at 14 KiB with 2 KiB pieces: the sum could reach 30 KiB, and
/// heaptrack showed a soak's buffers drifting from 16 towards 32 KiB, one partial
/// write at a time: the slow growth of a soak's memory.
const BUFFER_CAP: usize = 16 << 10;

/// actix writes the buffer to the socket once this many bytes wait (its default is
/// 32 KiB): in practice after each piece, which is one write a piece.
const WRITE_BUFFER: usize = 1 << 10;

/// Bodies, and each chunk of a streamed one, are handed to actix in pieces of at
/// most this many bytes: actix copies what it is given into the connection's write
/// buffer, so a large body given whole would grow the buffer to its size. Most
/// reports and the page's files fit in one.
const PIECE: usize = BUFFER_CAP - 2 * WRITE_BUFFER;

/// `body` in pieces of at most [`PIECE`] bytes, shared rather than copied.
fn pieces(mut body: web::Bytes) -> impl Iterator<Item = web::Bytes> {
    std::iter::from_fn(move || (!body.is_empty()).then(|| body.split_to(PIECE.min(body.len()))))
}

/// A whole body with its Content-Length, in pieces of at most [`PIECE`] bytes (see
/// [`BUFFER_CAP`]); a body that fits in one goes as it is.
fn in_pieces(body: web::Bytes) -> actix_web::body::BoxBody {
    if body.len() <= PIECE {
        return body.boxed();
    }
    let len = body.len() as u64;
    let stream = futures_util::stream::iter(pieces(body).map(Ok::<_, std::convert::Infallible>));
    actix_web::body::SizedStream::new(len, stream).boxed()
}

#[derive(Debug, Deserialize)]
struct AnalyzeQuery {
    options: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Page {
    #[serde(default)]
    offset: usize,
    #[serde(default = "default_limit")]
    limit: usize,
}

fn default_limit() -> usize {
    20
}

#[derive(Debug, Serialize)]
struct Listing {
    total: u64,
    offset: usize,
    items: Vec<Summary>,
}

async fn list(page: web::Query<Page>, state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    let limit = page.limit.min(100);
    let (total, items) = match &state.store {
        Store::Memory(h) => {
            let (total, items) = h.page(page.offset, limit);
            (total as u64, items)
        }
        Store::Postgres(db) => db.page(page.offset, limit).await?,
    };
    Ok(HttpResponse::Ok().json(Listing {
        total,
        offset: page.offset,
        items,
    }))
}

async fn get_one(id: web::Path<u64>, state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    let json = match &state.store {
        Store::Memory(h) => h.get(*id),
        Store::Postgres(db) => db.get(*id).await?,
    };
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(in_pieces(json.ok_or(ApiError::NotFound)?.into())))
}
