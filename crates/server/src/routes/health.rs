//! Liveness, readiness, metrics, and the web page's files.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::{HttpRequest, HttpResponse, web};

use crate::metrics;
use crate::state::State;

/// Everything that is not a route: a file of the web page.
pub(super) async fn static_file(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    state.assets.serve(&req)
}

pub(super) async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// Ready while the process can analyze. The database's state is reported; when it
/// is down the server is `degraded` (history answers 503) but still ready, since
/// analysis and fetching do not need it.
pub(super) async fn readyz(state: web::Data<State>) -> HttpResponse {
    let (status, database) = state.store.readiness().await;
    HttpResponse::Ok().json(serde_json::json!({ "status": status, "database": database }))
}

pub(super) async fn prometheus(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.prometheus(&metrics::figures(&state)))
}

/// The same figures as JSON, for the page's health panel.
pub(super) async fn metrics_json(state: web::Data<State>) -> HttpResponse {
    let snapshot = state.metrics.snapshot();
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let f = &state.fetch.stats;
    let database = state.store.describe();
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
        "clients": {
            "active": state.clients.active(),
            "limited": load(&state.clients.refused),
            "limit": state.config.client_concurrency,
        },
        "shed_total": load(&state.shed),
        "shed_threshold_bytes": state.config.shed_rss_bytes,
        "database": database,
    }))
}
