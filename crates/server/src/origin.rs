//! Which requests the server answers at all: only for its own host names, so a web
//! page that rebinds a name of its own to this server's address (DNS rebinding)
//! cannot read it from a visitor's browser; and `/api/*` only from this origin's
//! own page, never from another site's scripts.

use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;

use crate::config::Config;
use crate::error::ApiError;
use crate::state::State;

/// Answers 421 for a Host the server does not serve and 403 for a cross-site
/// request to `/api/*`; passes everything else on.
pub(crate) async fn check(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refused = req
        .app_data::<web::Data<State>>()
        .and_then(|state| refusal(&req, &state.config));
    if let Some(e) = refused {
        let res = e.error_response();
        return Ok(req.into_response(res).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

fn refusal(req: &ServiceRequest, config: &Config) -> Option<ApiError> {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    // A request without a Host (HTTP/1.0) comes from no browser.
    if let Some(host) = &host
        && !served(host, &config.public_host)
    {
        return Some(ApiError::UnknownHost);
    }
    if req.path().starts_with("/api/") && cross_site(req, host.as_deref()) {
        return Some(ApiError::CrossSite);
    }
    None
}

/// Whether `host` (a Host header: a name or an IP literal, maybe with a port) is one
/// this server answers for: any IP literal (a rebinding attack needs a name), and
/// the names of `--public-host` (`*` for any).
pub(crate) fn served(host: &str, names: &[String]) -> bool {
    let name = match host.strip_prefix('[') {
        // An IPv6 literal, `[::1]:8080`.
        Some(rest) => {
            return rest
                .split(']')
                .next()
                .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok());
        }
        None => host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                host
            }
        }),
    };
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return true;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    names
        .iter()
        .any(|n| n == "*" || n.eq_ignore_ascii_case(name))
}

/// Whether a browser says the request comes from another site: `Sec-Fetch-Site`
/// when it sends one, else an `Origin` whose host is not the request's Host.
fn cross_site(req: &ServiceRequest, host: Option<&str>) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        None => false,
        Some(Ok(origin)) => {
            let authority = origin.split_once("://").map(|(_, a)| a);
            match (authority, host) {
                (Some(a), Some(h)) => !a.eq_ignore_ascii_case(h),
                _ => true,
            }
        }
        Some(Err(_)) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::served;

    #[test]
    fn ip_literals_and_listed_names_are_served() {
        let names = vec!["localhost".to_string(), "wca.example".to_string()];
        for host in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
            "203.0.113.9:80",
            "localhost:8080",
            "LOCALHOST",
            "wca.example.",
            "wca.example:443",
        ] {
            assert!(served(host, &names), "{host}");
        }
        for host in [
            "attacker.example",
            "attacker.example:8080",
            "localhost.attacker.example",
            "[not-an-ip]:80",
            "wca.example:80:80",
            "",
        ] {
            assert!(!served(host, &names), "{host}");
        }
        assert!(served("anything.example", &["*".to_string()]));
    }
}
