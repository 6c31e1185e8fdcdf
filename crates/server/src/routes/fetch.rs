//! `GET /api/fetch`: the guarded proxy the page reads cross-origin pages through.

use std::cell::Cell;
use std::rc::Rc;

use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use futures_util::future::Either;
use serde::Deserialize;
use tokio::sync::mpsc;
use wca_fetch::{Body, FetchError, Fetcher};

use crate::access::Note;
use crate::body::pieces;
use crate::clients::Turn;
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
    req: HttpRequest,
    query: web::Query<FetchQuery>,
    state: web::Data<State>,
    fetcher: web::Data<Fetcher>,
) -> Result<HttpResponse, ApiError> {
    let turn = state.turn(&req)?;
    state.admit()?;
    let fetched = fetcher.open(&query.url).await?;
    let note = Note::allowed(fetched.addr);
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
    let stream =
        relay(fetched.body, turn, state.fetch.config().fetch_timeout).flat_map(
            |chunk| match chunk {
                Ok(chunk) => Either::Left(futures_util::stream::iter(pieces(chunk).map(Ok))),
                Err(e) => Either::Right(futures_util::stream::once(std::future::ready(Err(e)))),
            },
        );
    let mut res = match fetched.content_length {
        Some(n) => res.no_chunking(n).streaming(stream),
        None => res.streaming(stream),
    };
    res.extensions_mut().insert(note);
    Ok(res)
}

/// Chunks of the upstream body the relay holds for a client that reads slowly.
const RELAYED: usize = 2;

/// The upstream body as a stream for the response, read by a task of its own that
/// owns the fetch (its turn, its upstream connection) and drops it at the fetch's
/// deadline whether or not the client reads: actix polls a response body only while
/// the client's socket takes bytes, so a body read by the response itself would
/// stay open, and keep its turn, for as long as a client chose not to read.
///
/// A fetch cut short ends the response with an error, so actix closes the
/// connection instead of ending the body as if it were whole.
fn relay(
    mut body: Body,
    turn: Turn,
    limit: std::time::Duration,
) -> impl futures_util::Stream<Item = Result<web::Bytes, FetchError>> {
    let (tx, rx) = mpsc::channel(RELAYED);
    let whole = Rc::new(Cell::new(false));
    let done = whole.clone();
    let deadline = body.deadline();
    actix_web::rt::spawn(async move {
        while let Some(item) = body.next().await {
            let failed = item.is_err();
            match tokio::time::timeout_at(deadline, tx.send(item)).await {
                // Sent; a failure ends the body after it.
                Ok(Ok(())) if !failed => {}
                // The client went away, the body failed, or the deadline passed
                // while the client did not read.
                _ => return,
            }
        }
        done.set(true);
        drop(turn);
    });
    futures_util::stream::unfold(Some(rx), move |rx| {
        let whole = whole.clone();
        async move {
            let mut rx = rx?;
            match rx.recv().await {
                Some(Ok(chunk)) => Some((Ok(chunk), Some(rx))),
                Some(Err(e)) => Some((Err(e), None)),
                None if whole.get() => None,
                None => Some((Err(FetchError::Timeout(limit)), None)),
            }
        }
    })
}
