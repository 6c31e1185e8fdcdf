//! The server's settings: command-line flags with environment fallbacks, each
//! default written once, here.

use std::path::PathBuf;
use std::time::Duration;

use wca_fetch::FetchConfig;

pub use crate::db::DbConfig;

/// How long an upload may take before `--upload-min-rate` applies.
pub const UPLOAD_GRACE: Duration = Duration::from_secs(5);

/// The server's settings: command-line flags with environment fallbacks.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, env = "WCA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Folder of the web page.
    #[arg(long, env = "WCA_WWW", default_value = "www")]
    pub www: PathBuf,
    /// Largest body `POST /api/analyze` reads, in bytes.
    #[arg(long, env = "WCA_MAX_BODY_BYTES", default_value_t = 256 << 20)]
    pub max_body_bytes: u64,
    /// Analyses kept in the history (in memory, or in the database), newest first.
    #[arg(long, env = "WCA_HISTORY", default_value_t = 1000)]
    pub history: usize,
    /// Bytes of whole reports the in-memory history keeps; past it, the oldest
    /// reports are dropped and their summaries kept, and a larger report is never
    /// kept whole. A report's size is known before it is stored.
    #[arg(long, env = "WCA_HISTORY_BYTES", default_value_t = 32 << 20)]
    pub history_bytes: u64,
    /// The operator's token: `GET /api/analyses` lists every analysis only with
    /// `Authorization: Bearer TOKEN`. Without it, listing everyone's is off; each
    /// analysis is still read by its id, which only its requester was given.
    #[arg(long, env = "WCA_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// HTTP worker threads.
    #[arg(long, env = "WCA_WORKERS", default_value_t = 2)]
    pub workers: usize,
    /// Bytes of reports the in-process cache of URL analyses holds.
    #[arg(long, env = "WCA_CACHE_BYTES", default_value_t = 16 << 20)]
    pub cache_bytes: u64,
    /// Seconds a cached URL analysis stays fresh (in process and in the database).
    #[arg(long, env = "WCA_CACHE_TTL", default_value = "600", value_parser = wca_fetch::seconds)]
    pub cache_ttl: Duration,
    /// Resident memory, in bytes, above which new analyses and fetches are refused
    /// with 503 and Retry-After (health, metrics and the page still answer).
    #[arg(long, env = "WCA_SHED_RSS_BYTES", default_value_t = 256 << 20)]
    pub shed_rss_bytes: u64,
    /// Analyses that run at once (uploads and URL analyses together). Each holds at
    /// most its word and bigram tables, bounded by `--max-distinct`, so this times
    /// that bounds the memory analyses take: 4 × 25 MiB at the defaults for inputs
    /// built to fill the tables, a few MiB for real pages. Analyses compute on the
    /// worker threads, so slots past about twice the workers add memory, not speed.
    /// A URL analysis takes its slot once the page's first 64 KiB are in
    /// (all of a small page), so a slow upstream holds one of the fetches
    /// (`--fetch-concurrency`) rather than a slot until then; a large page keeps its
    /// slot while the rest arrives (for at most `--fetch-timeout`).
    #[arg(long, env = "WCA_ANALYSIS_SLOTS", default_value_t = 4)]
    pub analysis_slots: usize,
    /// Seconds a request waits for an analysis slot before it is answered 503 with
    /// Retry-After.
    #[arg(long, env = "WCA_ANALYSIS_WAIT", default_value = "10", value_parser = wca_fetch::seconds)]
    pub analysis_wait: Duration,
    /// The largest `max_distinct` option a client may ask for (the memory budget of
    /// one analysis: about 220 bytes per distinct word when its tables are full).
    #[arg(long, env = "WCA_MAX_DISTINCT", default_value_t = wca_core::DEFAULT_MAX_DISTINCT)]
    pub max_distinct: usize,
    /// The longest top-word and top-bigram lists (`top` option) a client may ask for:
    /// a report's size grows with it, and the history keeps reports.
    #[arg(long, env = "WCA_MAX_TOP", default_value_t = 1000)]
    pub max_top: usize,
    /// Seconds an upload to `POST /api/analyze` may take from its first byte to its
    /// last, so a slow client cannot hold an analysis slot for long.
    #[arg(long, env = "WCA_UPLOAD_TIMEOUT", default_value = "60", value_parser = wca_fetch::seconds)]
    pub upload_timeout: Duration,
    /// Fetches and analyses one client may have under way at once (`/api/fetch` and
    /// `/api/analyze` together, waiting ones included); past it, 429 with
    /// Retry-After. A client is an address, an IPv6 client its /64. 0: no limit.
    #[arg(long, env = "WCA_CLIENT_CONCURRENCY", default_value_t = 4)]
    pub client_concurrency: usize,
    /// A reverse proxy in front of the server (repeatable, or comma-separated in the
    /// environment): from these addresses, the client is the one `X-Forwarded-For`
    /// names. From anyone else the header is ignored.
    #[arg(
        long = "trusted-proxy",
        value_name = "CIDR",
        env = "WCA_TRUSTED_PROXY",
        value_delimiter = ','
    )]
    pub trusted_proxy: Vec<wca_fetch::Cidr>,
    /// A host name the server answers for (repeatable, or comma-separated in the
    /// environment); `*` for any. Requests for another name get 421, so a page that
    /// points a name of its own at this server (DNS rebinding) reads nothing. IP
    /// literals are always answered: rebinding needs a name.
    #[arg(
        long = "public-host",
        value_name = "NAME",
        env = "WCA_PUBLIC_HOST",
        value_delimiter = ',',
        default_value = "localhost"
    )]
    pub public_host: Vec<String>,
    /// Bytes a second an upload (or the JSON body of a URL analysis) must keep up, on
    /// average, once its first [`UPLOAD_GRACE`] have passed: a client that trickles
    /// its body is cut off (408 `upload_too_slow`) well before `--upload-timeout`.
    /// 0 turns the check off.
    ///
    /// [`UPLOAD_GRACE`]: crate::config::UPLOAD_GRACE
    #[arg(long, env = "WCA_UPLOAD_MIN_RATE", default_value_t = 16 << 10)]
    pub upload_min_rate: u64,
    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "WCA_GRACE", default_value = "10", value_parser = wca_fetch::seconds)]
    pub grace: Duration,
    /// The fetcher's limits.
    #[command(flatten)]
    pub fetch: FetchConfig,
    /// The database.
    #[command(flatten)]
    pub db: DbConfig,
}

impl Config {
    /// The defaults, listening on `bind` and serving `www` (for tests and embedding).
    pub fn new(bind: &str, www: PathBuf) -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Defaults {
            #[command(flatten)]
            config: Config,
        }
        let mut config = Defaults::parse_from(["wca"]).config;
        config.bind = bind.into();
        config.www = www;
        config
    }
}
