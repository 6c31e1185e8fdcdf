//! `GET /api/analyses` and `GET /api/analyses/{id}`: the history.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::body::in_pieces;
use crate::error::ApiError;
use crate::history::Summary;
use crate::state::State;

#[derive(Debug, Deserialize)]
pub(super) struct PageQuery {
    #[serde(default)]
    offset: usize,
    #[serde(default = "default_limit")]
    limit: usize,
}

/// The largest listing offset: far past any history, well inside `i64`.
const MAX_OFFSET: usize = 1 << 40;

fn default_limit() -> usize {
    20
}

#[derive(Debug, Serialize)]
struct Listing {
    total: u64,
    offset: usize,
    items: Vec<Summary>,
}

pub(super) async fn list(
    page: web::Query<PageQuery>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    // Checked here, not by the database: an offset past what PostgreSQL's bigint
    // holds is the client's mistake, not a database failure.
    if page.offset > MAX_OFFSET {
        return Err(ApiError::BadOptions(format!(
            "offset must be at most {MAX_OFFSET}"
        )));
    }
    let limit = page.limit.min(100);
    let (total, items) = state.store.page(page.offset, limit).await?;
    Ok(HttpResponse::Ok().json(Listing {
        total,
        offset: page.offset,
        items,
    }))
}

pub(super) async fn get_one(
    id: web::Path<u64>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    let json = state.store.get(*id).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(in_pieces(json.ok_or(ApiError::NotFound)?.into())))
}
