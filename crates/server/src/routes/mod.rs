//! The routes, one module per concern; handlers return [`ApiError`] on failure.
//!
//! [`ApiError`]: crate::error::ApiError

use actix_web::web;

mod analyze;
mod fetch;
mod health;
mod history;

/// Registers every route; anything else is a file of the web page.
pub(crate) fn configure(app: &mut web::ServiceConfig) {
    app.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::prometheus))
        .route("/api/metrics", web::get().to(health::metrics_json))
        .route("/api/fetch", web::get().to(fetch::fetch_route))
        .route("/api/analyze", web::post().to(analyze::analyze))
        .route("/api/analyses", web::get().to(history::list))
        .route("/api/analyses/{id}", web::get().to(history::get_one))
        .default_service(web::to(health::static_file));
}
