//! `POST /api/analyze`: uploads analyzed as they arrive, and URLs fetched through
//! the guard, analyzed and cached.

use std::sync::atomic::Ordering;
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;
use serde::Deserialize;
use wca_core::{Analyzer, Options, Report};
use wca_fetch::Fetcher;

use tokio::time::Instant;

use crate::access::Note;
use crate::body::in_pieces;
use crate::config::{Config, UPLOAD_GRACE};
use crate::error::ApiError;
use crate::history::Summary;
use crate::state::State;

/// `POST /api/analyze`, in two forms:
/// - `Content-Type: application/json` with `{"url": "…", "options": {…}}`: the page
///   is fetched through the guarded fetcher and analyzed as it streams; results are
///   cached by URL and options, in process and, with a database, across replicas.
/// - any other body (text, HTML): analyzed as it arrives; the options come in the
///   query string as the JSON object `options`, and the Content-Type is the format
///   and charset hint.
pub(super) async fn analyze(
    req: HttpRequest,
    query: web::Query<AnalyzeQuery>,
    body: web::Payload,
    state: web::Data<State>,
    fetcher: web::Data<Fetcher>,
) -> Result<HttpResponse, ApiError> {
    let _turn = state.turn(&req)?;
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
    let mut body = Paced::new(body, &state.config);
    if is_json {
        let request: UrlRequest = read_json(&mut body).await?;
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
    let max = state.config.max_body_bytes;
    // The slot is taken once the first bytes are in: a client that sends its head
    // and then nothing holds no slot while it waits.
    let first = body.next().await?;
    let slot = state.slot().await?;
    let mut chunk = first;
    while let Some(bytes) = chunk {
        if body.total > max {
            return Err(ApiError::TooLarge(max));
        }
        analyzer.push(&bytes);
        state.metrics.analyzed(bytes.len() as u64);
        chunk = body.next().await?;
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

/// A request body read against two deadlines that fire by themselves: the whole
/// body within `--upload-timeout`, and, past [`UPLOAD_GRACE`], on average at least
/// `--upload-min-rate` bytes a second (so a trickle cannot keep a slot for long).
struct Paced {
    body: web::Payload,
    started: Instant,
    limit: Duration,
    min_rate: u64,
    /// Bytes received so far.
    total: u64,
}

impl Paced {
    fn new(body: web::Payload, config: &Config) -> Self {
        Self {
            body,
            started: Instant::now(),
            limit: config.upload_timeout,
            min_rate: config.upload_min_rate,
            total: 0,
        }
    }

    /// The next chunk, `None` at the end.
    async fn next(&mut self) -> Result<Option<web::Bytes>, ApiError> {
        let end = self.started + self.limit;
        // The time by which the next byte must arrive to keep the average rate.
        let rate = (self.min_rate > 0).then(|| {
            let secs = (self.total + 1) as f64 / self.min_rate as f64;
            self.started + UPLOAD_GRACE + Duration::from_secs_f64(secs.min(1e9))
        });
        let deadline = rate.map_or(end, |r| r.min(end));
        match tokio::time::timeout_at(deadline, self.body.next()).await {
            Ok(Some(Ok(chunk))) => {
                self.total += chunk.len() as u64;
                Ok(Some(chunk))
            }
            Ok(Some(Err(_))) => Err(ApiError::Body),
            Ok(None) => Ok(None),
            Err(_) if deadline < end => Err(ApiError::TooSlow(self.min_rate)),
            Err(_) => Err(ApiError::BodyTimeout(self.limit)),
        }
    }
}

/// Reads a small JSON body (at most 64 KiB).
async fn read_json<T: serde::de::DeserializeOwned>(body: &mut Paced) -> Result<T, ApiError> {
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await? {
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
    // A cached analysis is served only if this replica would fetch the page now:
    // another replica may allow more, and a name may resolve elsewhere since.
    let (json, cache) = match state.cache.reports.get(&key) {
        Some(json) => (Some(json), "hit"),
        None => {
            let shared = state.store.cached(&key, state.config.cache_ttl).await;
            (shared.map(web::Bytes::from), "shared")
        }
    };
    if let Some(json) = json {
        fetcher.vet(&url).await?;
        state.cache.hits.fetch_add(1, Ordering::Relaxed);
        if cache == "shared" {
            state.cache.reports.insert(key, json.clone());
        }
        return Ok(noted(
            report_response(json, None, Some(cache)),
            Note::cached(),
        ));
    }
    state.cache.misses.fetch_add(1, Ordering::Relaxed);
    // The slot is taken once the page's first bytes are in (all of a small page),
    // so a slow upstream holds a fetch, not an analysis slot, while it dawdles.
    let page = fetcher.begin(url.as_str(), &request.options).await?;
    let note = Note::allowed(page.addr());
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
    Ok(noted(report_response(json, id, Some("miss")), note))
}

/// `res`, with what the access log should say of it.
fn noted(mut res: HttpResponse, note: Note) -> HttpResponse {
    res.extensions_mut().insert(note);
    res
}

fn to_json(report: &Report) -> Result<String, ApiError> {
    serde_json::to_string(report).map_err(|e| ApiError::BadOptions(e.to_string()))
}

fn report_response(
    json: impl Into<web::Bytes>,
    id: Option<String>,
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

#[derive(Debug, Deserialize)]
pub(super) struct AnalyzeQuery {
    options: Option<String>,
}
