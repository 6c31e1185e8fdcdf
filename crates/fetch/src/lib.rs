//! The guarded fetcher behind `GET /api/fetch`, `{"url": …}` analyses and
//! `wca analyze URL`: it fetches pages that strangers name without becoming a way
//! into the operator's network.
//!
//! - The URL is checked by [`Guard::check_url`] (http/https, no user info, bounded
//!   length, numeric host forms caught after WHATWG parsing).
//! - The host is resolved here, every address is checked with
//!   [`Guard::check_addr`], and awc is told to connect to exactly the checked
//!   address ([`awc::ClientRequest::address`]), so neither DNS tricks nor IP
//!   literals can slip past. A name that resolves to any refused address is refused.
//! - awc's redirect following is off: each of at most `max_redirects` hops is
//!   re-checked from the start.
//! - Timeouts on connect, on the response head and on the whole body, which ends a
//!   drip feed.
//! - Only textual content types; a declared length over the cap is refused before
//!   any body is read. The body is capped on the wire and again after
//!   decompression (gzip and deflate are decoded here, in pieces, so a bomb costs at
//!   most about a megabyte before it is cut at the cap).
//! - A fixed number of fetches run at once; past it callers wait in turn, for a
//!   bounded time, then get [`FetchError::Busy`].
//!
//! Dropping the body stream drops the upstream connection with it, so a browser that
//! goes away stops the fetch.
//!
//! ```no_run
//! use wca_fetch::{FetchConfig, Fetcher, Shared};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let fetcher = Fetcher::new(Shared::new(FetchConfig::default())?);
//! actix_rt::System::new().block_on(async {
//!     // Refused before any connection: loopback is not allowed by default.
//!     assert!(fetcher.check("http://127.0.0.1/").is_err());
//!     let report = fetcher
//!         .analyze("https://example.org/", wca_core::Options::default(), |_| {})
//!         .await?;
//!     println!("{} words", report.counts.words);
//!     Ok::<_, wca_fetch::FetchError>(())
//! })?;
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod connect;

use std::cell::Cell;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use awc::http::StatusCode;
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use wca_core::{Analyzer, Options, Report};
pub use wca_guard::Cidr;
use wca_guard::{Guard, Host, Ports, Refusal, Url};

/// The fetcher's limits: command-line flags with environment fallbacks, shared by
/// `wca serve` and `wca analyze URL`.
#[derive(Debug, Clone, clap::Args)]
pub struct FetchConfig {
    /// Let the fetcher reach this private, loopback or otherwise refused range
    /// (repeatable, or comma-separated in the environment), e.g. 127.0.0.1/32.
    #[arg(
        long = "allow-net",
        value_name = "CIDR",
        env = "WCA_ALLOW_NET",
        value_delimiter = ','
    )]
    pub allow_net: Vec<Cidr>,
    /// Let the fetcher connect to this port too, besides 80 and 443 (repeatable, or
    /// comma-separated in the environment); `any` for every port, for development.
    #[arg(
        long = "allow-port",
        value_name = "PORT|any",
        env = "WCA_ALLOW_PORT",
        value_delimiter = ',',
        value_parser = port_rule
    )]
    pub allow_port: Vec<PortRule>,
    /// Largest body fetched, in bytes, on the wire and after decompression; a page
    /// declaring more is refused, one that sends more is cut here.
    #[arg(long, env = "WCA_FETCH_MAX_BYTES", default_value_t = 64 << 20)]
    pub fetch_max_bytes: u64,
    /// Seconds to resolve the host and connect (TLS handshake included).
    #[arg(long, env = "WCA_FETCH_CONNECT_TIMEOUT", default_value = "5", value_parser = seconds)]
    pub fetch_connect_timeout: Duration,
    /// Seconds from sending the request to the end of the response head.
    #[arg(long, env = "WCA_FETCH_HEADER_TIMEOUT", default_value = "10", value_parser = seconds)]
    pub fetch_header_timeout: Duration,
    /// Seconds a whole fetch may take, from its DNS query through every redirect to
    /// the body's last byte, however slowly it drips. At this deadline the fetch is
    /// dropped, its upstream connection closed and its turn freed, whether or not the
    /// client reads what was fetched.
    #[arg(long, env = "WCA_FETCH_TIMEOUT", default_value = "30", value_parser = seconds)]
    pub fetch_timeout: Duration,
    /// Redirects followed, each re-checked.
    #[arg(long, env = "WCA_FETCH_MAX_REDIRECTS", default_value_t = 5)]
    pub fetch_max_redirects: u8,
    /// Upstream fetches at once; more wait, in turn, for `--fetch-wait`. Each holds
    /// an upstream socket while it runs: 24 keeps the server's own descriptors under
    /// 64 beside 256 client connections.
    #[arg(long, env = "WCA_FETCH_CONCURRENCY", default_value_t = 24)]
    pub fetch_concurrency: usize,
    /// Seconds a fetch waits for its turn before it is answered 503 with
    /// Retry-After.
    #[arg(long, env = "WCA_FETCH_WAIT", default_value = "10", value_parser = seconds)]
    pub fetch_wait: Duration,
    /// PEM file of extra certificate authorities to trust for https, beside the
    /// Mozilla roots (e.g. a company's internal CA).
    #[arg(long, env = "WCA_FETCH_CA_FILE", value_name = "PEM")]
    pub fetch_ca_file: Option<std::path::PathBuf>,
}

impl Default for FetchConfig {
    /// The defaults the flags declare, written once there.
    fn default() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Defaults {
            #[command(flatten)]
            config: FetchConfig,
        }
        Defaults::parse_from(["wca"]).config
    }
}

/// A port the fetcher may connect to besides 80 and 443, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortRule {
    /// This port.
    Port(u16),
    /// Any port.
    Any,
}

fn port_rule(s: &str) -> Result<PortRule, String> {
    match s.trim() {
        "any" => Ok(PortRule::Any),
        p => p
            .parse::<u16>()
            .ok()
            .filter(|&p| p > 0)
            .map(PortRule::Port)
            .ok_or_else(|| format!("`{s}` is not a port (1-65535) or `any`")),
    }
}

impl FetchConfig {
    /// The ports the guard lets through.
    pub fn ports(&self) -> Ports {
        if self.allow_port.contains(&PortRule::Any) {
            return Ports::Any;
        }
        let mut ports = vec![80, 443];
        for rule in &self.allow_port {
            if let PortRule::Port(p) = *rule
                && !ports.contains(&p)
            {
                ports.push(p);
            }
        }
        Ports::Only(ports)
    }
}

/// Parses a setting given in seconds (`5`, `0.25`) into a [`Duration`], once, when
/// the settings are read; negative, infinite and unparsable values are refused.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(wca_fetch::seconds("0.25"), Ok(Duration::from_millis(250)));
/// assert!(wca_fetch::seconds("-1").is_err());
/// ```
pub fn seconds(s: &str) -> Result<Duration, String> {
    let value: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    Duration::try_from_secs_f64(value).map_err(|_| format!("`{s}` is not a number of seconds"))
}

/// Content types the fetcher accepts: HTML, XHTML, plain text and XML.
const TEXTUAL: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
];

/// Why a fetch failed. Each has a stable code and an HTTP status for clients.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The guard refused the URL or an address.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// DNS failed.
    #[error("the host name could not be resolved: {0}")]
    Dns(String),
    /// The connection failed.
    #[error("could not connect: {0}")]
    Connect(String),
    /// Connecting took too long.
    #[error("connecting took longer than {0:?}")]
    ConnectTimeout(Duration),
    /// The response head took too long.
    #[error("the response head took longer than {0:?}")]
    HeaderTimeout(Duration),
    /// The whole fetch took too long (`--fetch-timeout`).
    #[error("the fetch took longer than {0:?}")]
    Timeout(Duration),
    /// The connection failed while the response came.
    #[error("the upstream connection failed: {0}")]
    Upstream(String),
    /// Too many redirects.
    #[error("more than {0} redirects")]
    TooManyRedirects(u8),
    /// A redirect without a usable `Location`.
    #[error("a redirect without a usable Location header")]
    BadRedirect,
    /// A redirect from https to http: the page would lose its encryption.
    #[error("a redirect from https to http")]
    Downgrade,
    /// The page answered with an error status.
    #[error("the page answered {0}")]
    Status(StatusCode),
    /// A content type that is not text.
    #[error("the content type {0:?} is not text, HTML or XML")]
    ContentType(String),
    /// The page declares a length over the cap.
    #[error("the page declares {declared} bytes, more than the limit of {cap}")]
    TooLarge {
        /// Its Content-Length.
        declared: u64,
        /// The cap (`--fetch-max-bytes`).
        cap: u64,
    },
    /// A content coding other than gzip and deflate.
    #[error("the content encoding {0:?} is not supported")]
    Encoding(String),
    /// The body does not decompress.
    #[error("the body could not be decompressed")]
    Corrupt,
    /// No fetch came free in time.
    #[error("every fetch stayed in use for {0:?}; try again shortly")]
    Busy(Duration),
    /// The analysis options are not valid.
    #[error("{0}")]
    Options(String),
}

impl FetchError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Refused(r) => r.code(),
            FetchError::Dns(_) => "dns_failed",
            FetchError::Connect(_) => "connect_failed",
            FetchError::ConnectTimeout(_) => "connect_timeout",
            FetchError::HeaderTimeout(_) => "header_timeout",
            FetchError::Timeout(_) => "fetch_timeout",
            FetchError::Upstream(_) => "upstream_failed",
            FetchError::TooManyRedirects(_) => "too_many_redirects",
            FetchError::BadRedirect => "bad_redirect",
            FetchError::Downgrade => "redirect_downgrade",
            FetchError::Status(_) => "upstream_status",
            FetchError::ContentType(_) => "unsupported_content_type",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::Encoding(_) => "unsupported_encoding",
            FetchError::Corrupt => "corrupt_body",
            FetchError::Busy(_) => "busy",
            FetchError::Options(_) => "bad_options",
        }
    }

    /// What clients are told: what failed, never where (no addresses, no OS or
    /// library error text); [`FetchError::detail`] is for the server's log.
    pub fn public_message(&self) -> String {
        match self {
            FetchError::Refused(r) => r.to_string(),
            FetchError::Dns(_) => "the host name could not be resolved".into(),
            FetchError::Connect(_) => "could not connect to the page's server".into(),
            FetchError::Upstream(_) => "the connection to the page's server failed".into(),
            e => e.to_string(),
        }
    }

    /// Everything known, for the server's log.
    pub fn detail(&self) -> String {
        match self {
            FetchError::Refused(r) => r.detail(),
            e => e.to_string(),
        }
    }

    /// The status the proxy answers with: 4xx for what the proxy refuses, 502/504
    /// for what the upstream did, 503 when busy.
    pub fn status(&self) -> StatusCode {
        match self {
            FetchError::Refused(Refusal::Forbidden(_) | Refusal::Port(_)) => StatusCode::FORBIDDEN,
            FetchError::Refused(_) | FetchError::Options(_) => StatusCode::BAD_REQUEST,
            FetchError::TooManyRedirects(_) => StatusCode::UNPROCESSABLE_ENTITY,
            FetchError::ContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            FetchError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            FetchError::ConnectTimeout(_)
            | FetchError::HeaderTimeout(_)
            | FetchError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            FetchError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            FetchError::Dns(_)
            | FetchError::Connect(_)
            | FetchError::Upstream(_)
            | FetchError::BadRedirect
            | FetchError::Downgrade
            | FetchError::Status(_)
            | FetchError::Encoding(_)
            | FetchError::Corrupt => StatusCode::BAD_GATEWAY,
        }
    }
}

/// Counters shared by every fetcher of a process (for `/metrics`).
#[derive(Debug, Default)]
pub struct FetchStats {
    /// Fetches started (after the concurrency check).
    pub started: AtomicU64,
    /// Fetches that ended in an error, refusals included.
    pub failed: AtomicU64,
    /// Bytes received on the wire.
    pub wire_bytes: AtomicU64,
    /// Bytes after decompression.
    pub bytes: AtomicU64,
}

/// State shared by the fetchers of all worker threads: the limits, the guard, the
/// concurrency permits and the counters.
pub struct Shared {
    config: FetchConfig,
    /// The TLS settings when extra authorities are trusted (else awc's defaults:
    /// the Mozilla roots).
    tls: Option<Arc<rustls::ClientConfig>>,
    guard: Guard,
    permits: Arc<Semaphore>,
    /// What the fetchers did, for metrics.
    pub stats: FetchStats,
}

impl Shared {
    /// Fails only when `--fetch-ca-file` cannot be read.
    pub fn new(config: FetchConfig) -> Result<Arc<Self>, SetupError> {
        let tls = match &config.fetch_ca_file {
            Some(path) => Some(Arc::new(tls_config(path)?)),
            None => None,
        };
        Ok(Arc::new(Self {
            tls,
            guard: Guard::new(config.allow_net.clone()).with_ports(config.ports()),
            permits: Arc::new(Semaphore::new(config.fetch_concurrency.max(1))),
            stats: FetchStats::default(),
            config,
        }))
    }

    /// The limits.
    pub fn config(&self) -> &FetchConfig {
        &self.config
    }

    /// Fetches in progress.
    pub fn in_flight(&self) -> usize {
        self.config.fetch_concurrency.max(1) - self.permits.available_permits()
    }
}

/// Why a fetcher could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The file of extra certificate authorities could not be read or parsed.
    #[error("--fetch-ca-file {}: cannot read its certificates", path.display())]
    CaFile {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The file holds no certificate.
    #[error("--fetch-ca-file {}: no certificates in it", path.display())]
    NoCertificates {
        /// The file.
        path: std::path::PathBuf,
    },
}

/// The Mozilla roots plus the authorities in `ca_file`.
fn tls_config(ca_file: &std::path::Path) -> Result<rustls::ClientConfig, SetupError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let failed = |source: Box<dyn std::error::Error + Send + Sync>| SetupError::CaFile {
        path: ca_file.to_path_buf(),
        source,
    };
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let mut added = 0;
    for cert in CertificateDer::pem_file_iter(ca_file).map_err(|e| failed(e.into()))? {
        let cert = cert.map_err(|e| failed(e.into()))?;
        roots.add(cert).map_err(|e| failed(e.into()))?;
        added += 1;
    }
    if added == 0 {
        return Err(SetupError::NoCertificates {
            path: ca_file.to_path_buf(),
        });
    }
    let mut config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// One thread's fetcher: awc's client is single-threaded, so each worker has one.
pub struct Fetcher {
    client: awc::Client,
    connections: connect::Connections,
    shared: Arc<Shared>,
}

/// Bytes of a page received before its analysis needs a slot (see
/// [`Fetcher::begin`]): at most this plus one chunk is held per fetch.
pub const HELD: usize = 64 << 10;

/// A page being fetched for analysis, its first bytes received but not analyzed.
pub struct Arriving {
    fetched: Fetched,
    held: Vec<Bytes>,
}

impl Arriving {
    /// The address the page came from.
    pub fn addr(&self) -> SocketAddr {
        self.fetched.addr
    }

    /// Analyzes what was held and the rest of the body as it arrives.
    pub async fn analyze(
        self,
        mut options: Options,
        mut seen: impl FnMut(u64),
    ) -> Result<Report, FetchError> {
        let Arriving { fetched, held } = self;
        options
            .content_type
            .get_or_insert_with(|| fetched.content_type.clone());
        options
            .base_url
            .get_or_insert_with(|| fetched.url.to_string());
        let mut analyzer =
            Analyzer::new(options).map_err(|e| FetchError::Options(e.to_string()))?;
        let mut body = fetched.body;
        let truncated = body.truncated();
        let mut feed = |chunk: &Bytes| {
            analyzer.push(chunk);
            seen(chunk.len() as u64);
        };
        held.iter().for_each(&mut feed);
        // A body that ended while held answers `None` at once.
        while let Some(chunk) = body.next().await {
            feed(&chunk?);
        }
        // The upstream connection and the fetch go back before the report is built.
        drop(body);
        let mut report = analyzer.finish();
        report.input.url = Some(fetched.url.to_string());
        report.input.truncated = truncated.get();
        Ok(report)
    }
}

/// An upstream response whose head passed every check; the body follows as a
/// stream.
pub struct Fetched {
    /// The URL after redirects.
    pub url: Url,
    /// The upstream Content-Type, as sent.
    pub content_type: String,
    /// The body's length when it is known before reading it (no content coding).
    pub content_length: Option<u64>,
    /// The address the final hop connected to, for the server's log.
    pub addr: SocketAddr,
    /// The body, decompressed and capped.
    pub body: Body,
}

impl Fetcher {
    /// A fetcher for this thread, sharing the limits and permits of `shared`.
    pub fn new(shared: Arc<Shared>) -> Self {
        let c = &shared.config;
        // HTTP/1.1 only: an HTTP/2 connection would stay pooled after its fetch.
        let connections = connect::Connections::default();
        let mut connector = awc::Connector::new()
            .connector(connect::Connector {
                connections: connections.clone(),
            })
            .max_http_version(awc::http::Version::HTTP_11);
        if let Some(tls) = &shared.tls {
            connector = connector.rustls_0_23(tls.clone());
        }
        let connector = connector
            .timeout(c.fetch_connect_timeout)
            .handshake_timeout(c.fetch_connect_timeout)
            .conn_keep_alive(Duration::from_secs(5))
            .limit(c.fetch_concurrency.max(1));
        let client = awc::Client::builder()
            .connector(connector)
            .disable_redirects()
            .timeout(c.fetch_header_timeout)
            .no_default_headers()
            .add_default_header((
                "User-Agent",
                concat!("wca/", env!("CARGO_PKG_VERSION"), " (Web Content Analyzer)"),
            ))
            .finish();
        Self {
            client,
            connections,
            shared,
        }
    }

    /// The shared limits, permits and counters.
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Fetches `url` and analyzes the body as it streams in; `seen` hears of each
    /// chunk's size. The report carries the final URL and whether the body was cut at
    /// the cap. The upstream Content-Type and the final URL are the defaults for the
    /// options' `content_type` and `base_url`.
    pub async fn analyze(
        &self,
        url: &str,
        options: Options,
        seen: impl FnMut(u64),
    ) -> Result<Report, FetchError> {
        let page = self.begin(url, &options).await?;
        page.analyze(options, seen).await
    }

    /// Opens `url` for analysis and receives its first [`HELD`] bytes (all of a
    /// small page), unanalyzed: a server takes an analysis slot only then, so a page
    /// that arrives slowly holds no slot while it does. Bad options are reported
    /// before anything is fetched.
    pub async fn begin(&self, url: &str, options: &Options) -> Result<Arriving, FetchError> {
        options
            .validate()
            .map_err(|e| FetchError::Options(e.to_string()))?;
        let mut fetched = self.open(url).await?;
        let (mut held, mut bytes) = (Vec::new(), 0);
        while bytes < HELD {
            let Some(chunk) = fetched.body.next().await else {
                break;
            };
            let chunk = chunk?;
            bytes += chunk.len();
            held.push(chunk);
        }
        Ok(Arriving { fetched, held })
    }

    /// The URL as it would be fetched, if the guard lets it through: parsed,
    /// normalized by the WHATWG parser, its fragment dropped. Also the cache's key.
    pub fn check(&self, url: &str) -> Result<Url, FetchError> {
        let mut url = self.shared.guard.check_url(url)?;
        url.set_fragment(None);
        Ok(url)
    }

    /// Whether this fetcher would connect to `url`'s host now: its name resolved and
    /// every address checked (an IP literal is checked as it is). A cache asks this
    /// before it serves what was fetched earlier, perhaps by another replica with
    /// another policy, or when the name resolved elsewhere.
    pub async fn vet(&self, url: &Url) -> Result<(), FetchError> {
        self.resolve(url).await.map(drop)
    }

    /// Checks `url`, follows redirects and returns the response once its head has
    /// passed every check.
    pub async fn open(&self, url: &str) -> Result<Fetched, FetchError> {
        let stats = &self.shared.stats;
        let result = self.open_inner(url).await;
        if result.is_err() {
            stats.failed.fetch_add(1, Ordering::Relaxed);
        }
        result
    }

    async fn open_inner(&self, url: &str) -> Result<Fetched, FetchError> {
        let c = &self.shared.config;
        let url = self.check(url)?;
        let wait = c.fetch_wait;
        let permit = tokio::time::timeout(wait, self.shared.permits.clone().acquire_owned())
            .await
            .map_err(|_| FetchError::Busy(wait))?
            .map_err(|_| FetchError::Busy(wait))?;
        self.shared.stats.started.fetch_add(1, Ordering::Relaxed);
        // One deadline for the whole fetch: every hop's DNS, connection and head,
        // then the body (see `Body::deadline`).
        let limit = c.fetch_timeout;
        let deadline = Instant::now() + limit;
        tokio::time::timeout_at(deadline, self.follow(url, permit, deadline))
            .await
            .map_err(|_| FetchError::Timeout(limit))?
    }

    /// Follows redirects from `url` to a final response whose head passed every check.
    async fn follow(
        &self,
        mut url: Url,
        permit: OwnedSemaphorePermit,
        deadline: Instant,
    ) -> Result<Fetched, FetchError> {
        let c = &self.shared.config;
        let mut hops = 0;
        loop {
            let addr = self.resolve(&url).await?;
            let hop = self.connections.open();
            let mut target = url.clone();
            // Names the connection for the connector (see `connect`); not sent.
            let _ = target.set_username(hop.name());
            let response = self
                .client
                .get(target.as_str())
                .address(addr)
                .no_decompress()
                .insert_header(("Accept-Encoding", "gzip, deflate"))
                // One connection per fetch: the proxy rarely asks a host twice, and
                // awc looks at pooled connections only when it next connects to the
                // same host, so one the upstream closed would linger as a dead
                // descriptor (CLOSE_WAIT).
                .force_close()
                .insert_header((
                    "Accept",
                    "text/html,application/xhtml+xml,text/plain;q=0.9,application/xml;q=0.8",
                ))
                .send()
                .await
                .map_err(|e| self.send_error(e))?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                hops += 1;
                if hops > c.fetch_max_redirects {
                    return Err(FetchError::TooManyRedirects(c.fetch_max_redirects));
                }
                let next = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                    .ok_or(FetchError::BadRedirect)?;
                if url.scheme() == "https" && next.scheme() == "http" {
                    return Err(FetchError::Downgrade);
                }
                url = self.shared.guard.check_url(next.as_str())?;
                url.set_fragment(None);
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status(status));
            }
            return self.accept(url, addr, response, hop.ended(), permit, deadline);
        }
    }

    /// Checks the head of a final response and wraps its body.
    fn accept<S>(
        &self,
        url: Url,
        addr: SocketAddr,
        response: awc::ClientResponse<S>,
        ended: connect::Ended,
        permit: OwnedSemaphorePermit,
        deadline: Instant,
    ) -> Result<Fetched, FetchError>
    where
        S: Stream<Item = Result<Bytes, awc::error::PayloadError>> + Unpin + 'static,
    {
        let c = &self.shared.config;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
        };
        let content_type = header("content-type").unwrap_or("").to_string();
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !TEXTUAL.contains(&essence.as_str()) {
            return Err(FetchError::ContentType(content_type));
        }
        // With Transfer-Encoding, the chunks frame the body and a Content-Length is
        // ignored (RFC 9112 §6.3): awc reads the chunks, and a body that ends before
        // its last chunk is an error (see `Body::ended`).
        let chunked = header("transfer-encoding").is_some();
        let declared = if chunked {
            None
        } else {
            header("content-length").and_then(|v| v.parse::<u64>().ok())
        };
        if let Some(declared) = declared
            && declared > c.fetch_max_bytes
        {
            return Err(FetchError::TooLarge {
                declared,
                cap: c.fetch_max_bytes,
            });
        }
        let decoder = match header("content-encoding")
            .unwrap_or("identity")
            .to_ascii_lowercase()
            .as_str()
        {
            "" | "identity" => None,
            "gzip" | "x-gzip" => Some(Inflater::Gzip(flate2::write::GzDecoder::new(Vec::new()))),
            "deflate" => Some(Inflater::Zlib(flate2::write::ZlibDecoder::new(Vec::new()))),
            other => return Err(FetchError::Encoding(other.to_string())),
        };
        let content_length = if decoder.is_none() { declared } else { None };
        let body = Body {
            upstream: Box::pin(response),
            // awc ends a body quietly when the connection closes early, so the
            // declared length is checked at the end.
            declared,
            // A body read to the end of the stream is whole unless it is chunked.
            ended: chunked.then_some(ended),
            decoder,
            pending: Bytes::new(),
            cap: c.fetch_max_bytes,
            wire: 0,
            out: 0,
            deadline,
            limit: c.fetch_timeout,
            done: false,
            truncated: Rc::new(Cell::new(false)),
            shared: self.shared.clone(),
            _permit: permit,
        };
        Ok(Fetched {
            url,
            addr,
            content_type,
            content_length,
            body,
        })
    }

    /// The one address this hop will connect to: an IP literal as is, a name
    /// resolved here. Every address is checked; a name that resolves to any refused
    /// address is refused altogether.
    async fn resolve(&self, url: &Url) -> Result<SocketAddr, FetchError> {
        let port = url.port_or_known_default().ok_or(Refusal::BadUrl)?;
        let host = match url.host() {
            Some(Host::Ipv4(ip)) => return self.checked(IpAddr::V4(ip), port),
            Some(Host::Ipv6(ip)) => return self.checked(IpAddr::V6(ip), port),
            Some(Host::Domain(d)) => d.to_string(),
            None => return Err(Refusal::NoHost.into()),
        };
        let timeout = self.shared.config.fetch_connect_timeout;
        let addrs: Vec<SocketAddr> =
            tokio::time::timeout(timeout, tokio::net::lookup_host((host.as_str(), port)))
                .await
                .map_err(|_| FetchError::ConnectTimeout(timeout))?
                .map_err(|e| FetchError::Dns(e.to_string()))?
                .collect();
        let first = *addrs
            .first()
            .ok_or_else(|| FetchError::Dns(format!("no addresses for {host}")))?;
        for a in &addrs {
            self.shared.guard.check_addr(a.ip())?;
        }
        Ok(first)
    }

    fn checked(&self, ip: IpAddr, port: u16) -> Result<SocketAddr, FetchError> {
        self.shared.guard.check_addr(ip)?;
        Ok(SocketAddr::new(ip, port))
    }

    fn send_error(&self, e: awc::error::SendRequestError) -> FetchError {
        use awc::error::{ConnectError, SendRequestError};
        let c = &self.shared.config;
        match e {
            SendRequestError::Connect(ConnectError::Timeout) => {
                FetchError::ConnectTimeout(c.fetch_connect_timeout)
            }
            SendRequestError::Connect(e) => FetchError::Connect(e.to_string()),
            SendRequestError::Timeout => FetchError::HeaderTimeout(c.fetch_header_timeout),
            SendRequestError::Url(_) => Refusal::BadUrl.into(),
            e => FetchError::Upstream(e.to_string()),
        }
    }
}

enum Inflater {
    Gzip(flate2::write::GzDecoder<Vec<u8>>),
    Zlib(flate2::write::ZlibDecoder<Vec<u8>>),
}

impl Inflater {
    fn write(&mut self, input: &[u8]) -> std::io::Result<()> {
        match self {
            Inflater::Gzip(d) => d.write_all(input),
            Inflater::Zlib(d) => d.write_all(input),
        }
    }

    fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Inflater::Gzip(d) => d.try_finish(),
            Inflater::Zlib(d) => d.try_finish(),
        }
    }

    fn take(&mut self) -> Vec<u8> {
        match self {
            Inflater::Gzip(d) => std::mem::take(d.get_mut()),
            Inflater::Zlib(d) => std::mem::take(d.get_mut()),
        }
    }
}

/// Compressed input is fed in pieces this large, so one piece inflates to at most
/// about a megabyte (deflate's ratio is bounded near 1032:1).
const COMPRESSED_PIECE: usize = 1024;
/// Decoded output is handed on once this much has gathered.
const OUT_CHUNK: usize = 64 << 10;

type Upstream = Pin<Box<dyn Stream<Item = Result<Bytes, awc::error::PayloadError>>>>;

/// The upstream body: decompressed, capped, and bounded in time. It ends cleanly at
/// the cap (see [`Body::truncated`]) and with an error when the upstream fails.
pub struct Body {
    upstream: Upstream,
    /// The Content-Length, checked at the end.
    declared: Option<u64>,
    /// For a chunked body, whether the connection's end of stream was read: awc
    /// ends such a body quietly, last chunk or not (see `connect`).
    ended: Option<connect::Ended>,
    decoder: Option<Inflater>,
    /// Compressed bytes not yet fed to the decoder.
    pending: Bytes,
    cap: u64,
    wire: u64,
    out: u64,
    deadline: Instant,
    limit: Duration,
    done: bool,
    truncated: Rc<Cell<bool>>,
    shared: Arc<Shared>,
    _permit: OwnedSemaphorePermit,
}

impl Body {
    /// A flag that turns true if the body was cut at the cap.
    pub fn truncated(&self) -> Rc<Cell<bool>> {
        self.truncated.clone()
    }

    /// When the fetch must be over (`--fetch-timeout` after it began): whoever holds
    /// the body must drop it by then, read or not.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// The next piece of decoded body, `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, FetchError>> {
        let item = self.next_inner().await;
        if let Some(Err(_)) = item {
            self.done = true;
            self.shared.stats.failed.fetch_add(1, Ordering::Relaxed);
        }
        item
    }

    async fn next_inner(&mut self) -> Option<Result<Bytes, FetchError>> {
        loop {
            if self.done {
                return None;
            }
            if !self.pending.is_empty() {
                match self.inflate() {
                    Ok(Some(out)) => return Some(Ok(out)),
                    Ok(None) => continue,
                    Err(e) => return Some(Err(e)),
                }
            }
            let chunk = match tokio::time::timeout_at(self.deadline, self.upstream.next()).await {
                Err(_) => return Some(Err(FetchError::Timeout(self.limit))),
                Ok(Some(Err(e))) => return Some(Err(FetchError::Upstream(e.to_string()))),
                Ok(Some(Ok(chunk))) => chunk,
                Ok(None) => {
                    self.done = true;
                    if let Some(declared) = self.declared
                        && self.wire < declared
                    {
                        return Some(Err(FetchError::Upstream(format!(
                            "the body ended after {} of the {declared} bytes declared",
                            self.wire
                        ))));
                    }
                    if self.ended.as_ref().is_some_and(|e| e.get()) {
                        return Some(Err(FetchError::Upstream(format!(
                            "the connection closed after {} bytes, before the last chunk",
                            self.wire
                        ))));
                    }
                    let rest = match &mut self.decoder {
                        Some(d) => match d.finish() {
                            Ok(()) => d.take(),
                            Err(_) => return Some(Err(FetchError::Corrupt)),
                        },
                        None => return None,
                    };
                    return (!rest.is_empty()).then(|| Ok(self.emit(rest.into())));
                }
            };
            self.wire += chunk.len() as u64;
            self.shared
                .stats
                .wire_bytes
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            if self.decoder.is_none() {
                let chunk = self.emit(chunk);
                if chunk.is_empty() {
                    continue;
                }
                return Some(Ok(chunk));
            }
            if self.wire > self.cap {
                self.truncate();
                continue;
            }
            self.pending = chunk;
        }
    }

    /// Feeds pending compressed input to the decoder piece by piece until a chunk of
    /// output has gathered or the input is used up.
    fn inflate(&mut self) -> Result<Option<Bytes>, FetchError> {
        let Some(decoder) = self.decoder.as_mut() else {
            return Ok(None);
        };
        let mut out = Vec::new();
        while !self.pending.is_empty() && out.len() < OUT_CHUNK {
            let piece = self
                .pending
                .split_to(COMPRESSED_PIECE.min(self.pending.len()));
            decoder.write(&piece).map_err(|_| FetchError::Corrupt)?;
            out.extend_from_slice(&decoder.take());
            if self.out + out.len() as u64 > self.cap {
                break;
            }
        }
        if out.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.emit(out.into())))
    }

    /// Counts a chunk of output, cutting it at the cap.
    fn emit(&mut self, mut chunk: Bytes) -> Bytes {
        let room = self.cap - self.out;
        if chunk.len() as u64 > room {
            chunk.truncate(room as usize);
            self.truncate();
        }
        self.out += chunk.len() as u64;
        self.shared
            .stats
            .bytes
            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
        chunk
    }

    fn truncate(&mut self) {
        self.truncated.set(true);
        self.done = true;
        self.pending = Bytes::new();
    }
}
