//! Binding, starting and stopping the server: the app and its middleware, the
//! memory sampler, and a graceful stop on SIGTERM or SIGINT.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{App, HttpServer, web};
use tokio::sync::Semaphore;
use wca_fetch::{self as fetch, Fetcher};

use crate::access::{self, Note};
use crate::assets::Assets;
use crate::body::WRITE_BUFFER;
use crate::clients::Client;
use crate::clients::Clients;
use crate::config::Config;
use crate::malloc;
use crate::metrics::Metrics;
use crate::routes;
use crate::state::{Cache, State};
use crate::store::Store;

/// The page may run its own scripts and compile WebAssembly, and nothing else:
/// no inline script, no plugins, no framing, no foreign connections.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// Proxied pages are data for the page's scripts, never documents of this origin:
/// opened directly, they run nothing and are offered as a download.
pub(crate) const FETCH_CSP: &str = "sandbox; default-src 'none'";

/// Binds and starts the server; returns it (a future that runs until stopped, and
/// stops gracefully on SIGTERM or SIGINT) and the address it listens on. Must be
/// called within an actix (tokio) runtime.
pub fn start(mut config: Config) -> anyhow::Result<Started> {
    malloc::tune();
    config.analysis_slots = config.analysis_slots.max(1);
    // An empty token would let anyone list: it means none.
    config.admin_token = config.admin_token.take().filter(|t| !t.trim().is_empty());
    let workers = config.workers.max(1);
    let bind = config.bind.clone();
    let store = Store::open(&config)?;
    let cache = Cache {
        reports: moka::sync::Cache::builder()
            .max_capacity(config.cache_bytes)
            .weigher(|k: &String, v: &web::Bytes| {
                u32::try_from(k.len() + v.len()).unwrap_or(u32::MAX)
            })
            .time_to_live(config.cache_ttl)
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
        clients: Clients::new(config.client_concurrency),
        store,
        cache,
        config,
    });
    state
        .rss
        .store(state.metrics.resident_memory_bytes(), Ordering::Relaxed);
    state.read_heap();
    sample_memory(state.clone().into_inner());
    if state.store.is_database() {
        // Connect and migrate now if the database is up; if not, the first request
        // that needs it tries again.
        let state = state.clone();
        actix_web::rt::spawn(async move {
            if let Err(e) = state.store.ping().await {
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
            .wrap(actix_web::middleware::from_fn(crate::origin::check))
            .wrap(actix_web::middleware::from_fn(observe))
            .wrap(
                DefaultHeaders::new()
                    .add(("Content-Security-Policy", CSP))
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "no-referrer")),
            )
            .configure(routes::configure)
    })
    .workers(workers)
    .h1_write_buffer_size(WRITE_BUFFER)
    // A body larger than the write buffer goes out in several writes; without this,
    // Nagle's algorithm holds the last one until the client's delayed ACK (40 ms).
    .tcp_nodelay(true)
    // Signals are handled by `run`, which makes SIGINT as graceful as SIGTERM
    // (actix would stop at once on SIGINT), and embedders keep their own.
    .disable_signals()
    .shutdown_timeout(state.config.grace.as_secs())
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
        self.state.store.close();
        result
    }
}

/// Runs the server until it is stopped: on SIGTERM or SIGINT it stops accepting,
/// gives in-flight requests the grace period, then closes the database pool.
pub fn run(config: Config) -> anyhow::Result<()> {
    access::init();
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
        let grace = started.state.config.grace.as_secs_f64();
        actix_web::rt::spawn(async move {
            let signal = stop_signal().await;
            eprintln!("wca: {signal}: no new connections; requests in flight get up to {grace} s");
            handle.stop(true).await;
        });
        started.run().await?;
        access::flush();
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
                if ticks.is_multiple_of(4) {
                    access::flush();
                }
                if ticks.is_multiple_of(20) {
                    state.store.close_idle(DB_IDLE);
                    malloc::trim();
                    state.read_heap();
                }
                drop(state);
                std::thread::sleep(Duration::from_millis(250));
            }
        })
        .ok();
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
    let method = req.method().clone();
    let client = state
        .as_ref()
        .map(|s| Client::of(req.request(), &s.config.trusted_proxy));
    let res = next.call(req).await?;
    let took = start.elapsed();
    if let Some(state) = state {
        state.metrics.observe(&route, res.status(), took);
    }
    let bytes = match res.response().body().size() {
        actix_web::body::BodySize::Sized(n) => Some(n),
        _ => None,
    };
    let note = res
        .response()
        .extensions()
        .get::<Note>()
        .copied()
        .unwrap_or_default();
    let client: &dyn std::fmt::Display = match &client {
        Some(c) => c,
        None => &"-",
    };
    access::line(
        method.as_str(),
        &route,
        res.status().as_u16(),
        bytes,
        took.as_secs_f64() * 1000.0,
        client,
        note,
    );
    Ok(res)
}
