//! `GET /api/fetch`: the guarded proxy the page reads cross-origin pages through.

use actix_web::{HttpResponse, web};
use futures_util::StreamExt;
use futures_util::future::Either;
use serde::Deserialize;
use wca_fetch::Fetcher;

use crate::body::pieces;
use crate::error::ApiError;
use crate::startup::FETCH_CSP;
use crate::state::State;

#[derive(Debug, Deserialize)]
pub(super) struct FetchQuery {
    url: String,
}

/// `GET /api/fetch?url=…`: the upstream body, streamed as it arrives, with its
/// Content-Type (and charset), its length when known, the final URL, and the cap.
pub(super) async fn fetch_route(
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
