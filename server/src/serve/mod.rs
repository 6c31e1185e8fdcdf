//! `wca serve`: the HTTP server — the web page, native analysis of uploaded text, a
//! bounded in-memory history, health checks and metrics.
//!
//! This is the first part of the server issue: the URL fetcher (SSRF-guarded proxy),
//! the result cache, PostgreSQL history, load shedding and graceful-shutdown tests come
//! next. Everything here streams: an uploaded body goes through the analyzer chunk by
//! chunk as it arrives.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Instant;

use actix_files::Files;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, ResponseError, web};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use wca_core::{Analyzer, Options};

mod history;
mod metrics;

use history::{History, Summary};
use metrics::Metrics;

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
    /// Analyses kept in the in-memory history (the oldest go first).
    #[arg(long, env = "WCA_HISTORY", default_value_t = 200)]
    pub history: usize,
    /// HTTP worker threads.
    #[arg(long, env = "WCA_WORKERS", default_value_t = 2)]
    pub workers: usize,
}

/// The page may run its own scripts and compile WebAssembly, and nothing else:
/// no inline script, no plugins, no framing, no foreign connections.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                   img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

/// State shared by the workers.
struct State {
    config: Config,
    history: History,
    metrics: Metrics,
}

/// Binds and starts the server; returns it (a future that runs until stopped) and the
/// address it listens on.
pub fn start(config: Config) -> std::io::Result<(Server, SocketAddr)> {
    let workers = config.workers.max(1);
    let bind = config.bind.clone();
    let state = web::Data::new(State {
        history: History::new(config.history),
        metrics: Metrics::new(),
        config,
    });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
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
            .route("/api/analyze", web::post().to(analyze))
            .route("/api/analyses", web::get().to(list))
            .route("/api/analyses/{id}", web::get().to(get_one))
            .service(Files::new("/", &state.config.www).index_file("index.html"))
    })
    .workers(workers)
    .bind(bind)?;
    let addr = server.addrs()[0];
    Ok((server.run(), addr))
}

/// Runs the server until it is stopped (SIGINT/SIGTERM stop it gracefully).
pub fn run(config: Config) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let www = config.www.clone();
        let (server, addr) = start(config)?;
        eprintln!("wca: serving {} at http://{addr}", www.display());
        server.await?;
        Ok(())
    })
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

/// Errors a handler returns: a status and a short fixed message for the client.
#[derive(Debug, thiserror::Error)]
enum ApiError {
    #[error("{0}")]
    BadOptions(String),
    #[error("the body is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the body could not be read")]
    Body,
    #[error("no such analysis")]
    NotFound,
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::BadOptions(_) => "bad_options",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Body => "body_error",
            ApiError::NotFound => "not_found",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadOptions(_) | ApiError::Body => StatusCode::BAD_REQUEST,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotFound => StatusCode::NOT_FOUND,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .json(serde_json::json!({ "error": self.code(), "message": self.to_string() }))
    }
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

async fn readyz() -> HttpResponse {
    HttpResponse::Ok().json(
        serde_json::json!({ "status": "ready", "database": "none: history is kept in memory" }),
    )
}

async fn metrics(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.prometheus(state.history.len()))
}

async fn metrics_json(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok().json(state.metrics.snapshot(state.history.len()))
}

/// `POST /api/analyze`: the raw body (text or HTML) is analyzed as it arrives. The
/// options come in the query string as the JSON object `options` (the fields of
/// [`Options`]); the Content-Type is the format and charset hint.
async fn analyze(
    req: HttpRequest,
    query: web::Query<AnalyzeQuery>,
    mut body: web::Payload,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let mut options: Options = match &query.options {
        Some(json) => {
            serde_json::from_str(json).map_err(|e| ApiError::BadOptions(format!("options: {e}")))?
        }
        None => Options::default(),
    };
    if options.content_type.is_none() {
        options.content_type = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
    }
    let mut analyzer = Analyzer::new(options).map_err(|e| ApiError::BadOptions(e.to_string()))?;
    let max = state.config.max_body_bytes;
    let mut total = 0u64;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|_| ApiError::Body)?;
        total += chunk.len() as u64;
        if total > max {
            return Err(ApiError::TooLarge(max));
        }
        analyzer.push(&chunk);
        state.metrics.analyzed(chunk.len() as u64);
    }
    let report = analyzer.finish();
    let json = serde_json::to_string(&report).map_err(|e| ApiError::BadOptions(e.to_string()))?;
    let id = state
        .history
        .insert(Summary::of(&report, "upload"), json.clone());
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header(("Location", format!("/api/analyses/{id}")))
        .body(json))
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
    total: usize,
    offset: usize,
    items: Vec<Summary>,
}

async fn list(page: web::Query<Page>, state: web::Data<State>) -> HttpResponse {
    let (total, items) = state.history.page(page.offset, page.limit.min(100));
    HttpResponse::Ok().json(Listing {
        total,
        offset: page.offset,
        items,
    })
}

async fn get_one(id: web::Path<u64>, state: web::Data<State>) -> Result<HttpResponse, ApiError> {
    let json = state.history.get(*id).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(json))
}
