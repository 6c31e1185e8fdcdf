//! What handlers answer when they fail: a status, a stable code and a short
//! message for the client; the cause stays in the error for the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use wca_fetch::FetchError;

use crate::access::Note;
use crate::db::DbError;

/// Seconds a client is told to wait after a 503.
pub(crate) const RETRY_AFTER: &str = "5";

/// Errors a handler returns: a status, a stable code and a short message.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("{0}")]
    BadOptions(String),
    #[error("the body is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the body could not be read")]
    Body,
    #[error("the body did not arrive within {} s", .0.as_secs_f64())]
    BodyTimeout(std::time::Duration),
    #[error("the body arrived slower than {0} bytes a second")]
    TooSlow(u64),
    #[error("all {slots} analysis slots stayed busy for {} s; try again shortly", wait.as_secs_f64())]
    Busy {
        slots: usize,
        wait: std::time::Duration,
    },
    #[error("this client already has {0} fetches and analyses under way; try again when one ends")]
    TooMany(usize),
    #[error("this server does not answer for that host name")]
    UnknownHost,
    #[error("the API answers this site's own page only")]
    CrossSite,
    #[error("listing every analysis needs the operator's token")]
    Unauthorized,
    #[error("listing every analysis is off on this server; open an analysis by its id")]
    ListingOff,
    #[error("the report of this analysis is no longer kept; its summary is")]
    Dropped,
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
    /// What the client is told, and what the log is: the same but for fetches and
    /// the database, whose details (addresses, OS and PostgreSQL errors) stay here.
    pub(crate) fn messages(&self) -> (String, String) {
        match self {
            ApiError::Fetch(e) => (e.public_message(), e.detail()),
            ApiError::Db(e) => (e.public().into(), self.to_string()),
            e => (e.to_string(), e.to_string()),
        }
    }

    pub(crate) fn code(&self) -> &'static str {
        match self {
            ApiError::BadOptions(_) => "bad_options",
            ApiError::TooLarge(_) => "too_large",
            ApiError::Body => "body_error",
            ApiError::BodyTimeout(_) => "body_timeout",
            ApiError::TooSlow(_) => "upload_too_slow",
            ApiError::Busy { .. } => "busy",
            ApiError::TooMany(_) => "too_many_requests",
            ApiError::UnknownHost => "unknown_host",
            ApiError::CrossSite => "cross_site",
            ApiError::Unauthorized => "unauthorized",
            ApiError::ListingOff => "listing_off",
            ApiError::Dropped => "report_dropped",
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
            ApiError::BodyTimeout(_) | ApiError::TooSlow(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::ListingOff => StatusCode::FORBIDDEN,
            ApiError::Dropped => StatusCode::GONE,
            ApiError::UnknownHost => StatusCode::MISDIRECTED_REQUEST,
            ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Fetch(e) => e.status(),
            ApiError::Db(_) | ApiError::Overloaded(_) | ApiError::Busy { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if matches!(
            self.status_code(),
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS
        ) {
            res.insert_header(("Retry-After", RETRY_AFTER));
        }
        if matches!(self, ApiError::Unauthorized) {
            res.insert_header(("WWW-Authenticate", "Bearer"));
        }
        let (message, detail) = self.messages();
        if message != detail {
            // What the client is not told (an address, an OS or database error) is
            // the operator's to read.
            eprintln!(
                "wca: {} {}: {detail}",
                self.status_code().as_u16(),
                self.code()
            );
        }
        let fetch = match self {
            ApiError::Fetch(FetchError::Refused(_)) => Some("refused"),
            ApiError::Fetch(FetchError::Options(_) | FetchError::Busy(_)) => None,
            ApiError::Fetch(_) => Some("failed"),
            _ => None,
        };
        let mut res = res.json(serde_json::json!({ "error": self.code(), "message": message }));
        res.extensions_mut().insert(Note {
            error: Some(self.code()),
            fetch,
            connected: None,
        });
        res
    }
}
