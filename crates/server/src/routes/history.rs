//! `GET /api/analyses` and `GET /api/analyses/{id}`: the history. An analysis is
//! read by its id, which only its requester was given (`Location`); listing every
//! analysis is the operator's, with `--admin-token`.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::body::in_pieces;
use crate::error::ApiError;
use crate::history::{Stored, Summary, is_id};
use crate::state::State;

#[derive(Debug, Deserialize)]
pub(super) struct PageQuery {
    #[serde(default)]
    offset: usize,
    #[serde(default = "default_limit")]
    limit: usize,
    /// Comma-separated ids: the summaries of these analyses (the page's own).
    ids: Option<String>,
}

/// The largest listing offset: far past any history, well inside `i64`.
const MAX_OFFSET: usize = 1 << 40;

/// The most ids one `?ids=` asks for.
const MAX_IDS: usize = 100;

fn default_limit() -> usize {
    20
}

#[derive(Debug, Serialize)]
struct Listing {
    total: u64,
    offset: usize,
    items: Vec<Summary>,
}

/// `?ids=a,b,…`: the summaries of those analyses that exist, for whoever holds
/// their ids. Otherwise every analysis, newest first, for the operator only.
pub(super) async fn list(
    req: HttpRequest,
    page: web::Query<PageQuery>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    if let Some(ids) = &page.ids {
        let ids: Vec<String> = ids
            .split(',')
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect();
        if ids.len() > MAX_IDS {
            return Err(ApiError::BadOptions(format!(
                "ids: at most {MAX_IDS} at once"
            )));
        }
        // An id of the wrong shape is simply not found.
        let ids: Vec<String> = ids.into_iter().filter(|id| is_id(id)).collect();
        let items = state.store.summaries(&ids).await?;
        return Ok(HttpResponse::Ok().json(Listing {
            total: items.len() as u64,
            offset: 0,
            items,
        }));
    }
    authorize(&req, state.config.admin_token.as_deref())?;
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

/// Lets the request through if it carries the operator's token.
fn authorize(req: &HttpRequest, token: Option<&str>) -> Result<(), ApiError> {
    let token = token.ok_or(ApiError::ListingOff)?;
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if same(given.trim().as_bytes(), token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}

/// Compares in time that depends on the lengths only, not on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(super) async fn get_one(
    id: web::Path<String>,
    state: web::Data<State>,
) -> Result<HttpResponse, ApiError> {
    if !is_id(&id) {
        return Err(ApiError::NotFound);
    }
    match state.store.get(&id).await? {
        Some(Stored::Report(json)) => Ok(HttpResponse::Ok()
            .content_type("application/json")
            .body(in_pieces(json.into()))),
        Some(Stored::Dropped) => Err(ApiError::Dropped),
        None => Err(ApiError::NotFound),
    }
}
