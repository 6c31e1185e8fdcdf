//! PostgreSQL history through a deadpool pool: the analyses listed by
//! `/api/analyses`, and the cache of URL analyses that replicas share.
//!
//! The database is optional and may come and go. Migrations run on the first
//! connection that succeeds — at start, or later when the database comes back — so a
//! server started while the database was down recovers without a restart. Every
//! wait is bounded: waiting for a pooled connection, creating one, recycling one, and
//! each statement (`statement_timeout`). An exhausted pool answers at once with
//! [`DbError::Busy`] instead of queueing requests behind it.
//!
//! The pool and its connections run on a runtime of their own, on a thread of their
//! own. On the HTTP workers' runtimes they would wait behind every analysis those
//! workers are busy with: under a load of uncached analyses the pool's connections
//! stayed taken for want of a turn to read PostgreSQL's answers, the wait timeout
//! expired, and most analyses went unsaved while the database sat nearly idle.

use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::history::Summary;

/// The pool's settings (flags of `wca serve`).
#[derive(Debug, Clone, clap::Args)]
pub struct DbConfig {
    /// PostgreSQL connection string (e.g. postgres://user@host/db). Without it,
    /// history is kept in a bounded in-memory store and the cache is per process.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Connections in the pool.
    #[arg(long, env = "WCA_DB_POOL_SIZE", default_value_t = 8)]
    pub db_pool_size: usize,
    /// Seconds a request waits for a free connection before a 503.
    #[arg(long, env = "WCA_DB_WAIT_TIMEOUT", default_value = "0.5", value_parser = wca_fetch::seconds)]
    pub db_wait_timeout: Duration,
    /// Seconds to open a new connection.
    #[arg(long, env = "WCA_DB_CONNECT_TIMEOUT", default_value = "2", value_parser = wca_fetch::seconds)]
    pub db_connect_timeout: Duration,
    /// Seconds to check a pooled connection before reuse.
    #[arg(long, env = "WCA_DB_RECYCLE_TIMEOUT", default_value = "1", value_parser = wca_fetch::seconds)]
    pub db_recycle_timeout: Duration,
    /// Milliseconds any statement may run (PostgreSQL's statement_timeout).
    #[arg(long, env = "WCA_DB_STATEMENT_TIMEOUT_MS", default_value_t = 3000)]
    pub db_statement_timeout_ms: u64,
}

/// Migrations, applied in order, each once; embedded in the binary.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_analyses.sql")),
    (2, include_str!("../migrations/0002_private_ids.sql")),
];

/// How the pool's connections are secured, from the URL's `sslmode` and
/// `sslrootcert` (libpq's names, read here since tokio-postgres knows only part of
/// them).
enum Tls {
    /// No `sslmode`, or `disable`: plain TCP (a database on a trusted network or
    /// the same host).
    Off,
    /// `prefer` (TLS when the server offers it), `require`, `verify-ca` or
    /// `verify-full` (TLS or no connection): always verified, against the Mozilla
    /// roots and `sslrootcert`, host name included. Stricter than libpq, whose
    /// `prefer` and `require` accept any certificate: encryption to whoever answers
    /// protects from nobody in the path.
    Verified {
        mode: SslMode,
        roots: rustls::RootCertStore,
    },
}

impl Tls {
    /// The URL without the parameters read here, and how to secure it.
    fn from_url(url: &str) -> anyhow::Result<(String, Tls)> {
        let Some((base, query)) = url.split_once('?') else {
            return Ok((url.to_string(), Tls::Off));
        };
        let (mut mode, mut root_cert, mut rest) = (None, None, Vec::new());
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("sslmode", v)) => mode = Some(v.to_string()),
                Some(("sslrootcert", v)) => root_cert = Some(percent_decode(v)),
                _ => rest.push(pair),
            }
        }
        let url = match rest.is_empty() {
            true => base.to_string(),
            false => format!("{base}?{}", rest.join("&")),
        };
        let mode = match mode.as_deref() {
            None | Some("disable") => return Ok((url, Tls::Off)),
            Some("prefer" | "allow") => SslMode::Prefer,
            Some("require" | "verify-ca" | "verify-full") => SslMode::Require,
            Some(other) => anyhow::bail!(
                "--database-url: sslmode={other} is not one of disable, allow, prefer, require, verify-ca, verify-full"
            ),
        };
        let mut roots = rustls::RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        if let Some(path) = root_cert {
            use rustls::pki_types::CertificateDer;
            use rustls::pki_types::pem::PemObject;
            let certs = CertificateDer::pem_file_iter(&path)
                .map_err(|e| anyhow::anyhow!("--database-url: sslrootcert {path}: {e}"))?;
            let mut added = 0;
            for cert in certs {
                let cert =
                    cert.map_err(|e| anyhow::anyhow!("--database-url: sslrootcert {path}: {e}"))?;
                roots
                    .add(cert)
                    .map_err(|e| anyhow::anyhow!("--database-url: sslrootcert {path}: {e}"))?;
                added += 1;
            }
            anyhow::ensure!(
                added > 0,
                "--database-url: sslrootcert {path}: no certificates in it"
            );
        }
        Ok((url, Tls::Verified { mode, roots }))
    }
}

/// `%XX` escapes undone (a path in a URL's query).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a database operation failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DbError {
    /// Every connection is in use and none came free in time.
    #[error("every database connection is busy")]
    Busy,
    /// The database cannot be reached, or a statement failed or timed out.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

impl DbError {
    /// What clients are told: busy or unavailable, never PostgreSQL's or the OS's
    /// text (which names hosts, ports, users and tables); that goes to the log.
    pub fn public(&self) -> &'static str {
        match self {
            DbError::Busy => "every database connection is busy",
            DbError::Unavailable(_) => "the database is unavailable",
        }
    }
}

/// What the database keys the shared cache by: SHA-256 of the URL and options, in
/// hex, so that a long options object cannot outgrow the index's row limit (and a
/// key cannot be made to collide with another's).
/// The columns of a [`Summary`], read by [`summary`].
const SUMMARY: &str = "SELECT public_id, extract(epoch FROM created)::bigint, source, url, \
                       format, bytes, words, title, language FROM analyses";

fn summary(r: &tokio_postgres::Row) -> Summary {
    Summary {
        id: r.get(0),
        created: r.get::<_, i64>(1) as u64,
        source: r.get(2),
        url: r.get(3),
        format: r.get(4),
        bytes: r.get::<_, i64>(5) as u64,
        words: r.get::<_, i64>(6) as u64,
        title: r.get(7),
        language: r.get(8),
        report: true,
    }
}

fn digest(key: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub struct Db {
    inner: Arc<Inner>,
    /// The runtime the pool's work runs on (see the module's notes).
    runtime: tokio::runtime::Handle,
    /// Dropped with the `Db`, which ends the runtime's thread.
    _stop: tokio::sync::oneshot::Sender<()>,
}

struct Inner {
    pool: Pool,
    migrated: AtomicBool,
    /// The last failure, for `/readyz`; cleared by a success.
    last_error: Mutex<Option<String>>,
}

/// The pool's occupancy, for metrics.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct PoolStatus {
    pub max_size: usize,
    pub size: usize,
    pub available: usize,
    pub waiting: usize,
}

impl Db {
    /// Builds the pool; connects lazily, so a database that is down does not stop
    /// the server from starting.
    pub fn new(url: &str, c: &DbConfig) -> anyhow::Result<Self> {
        let (url, tls) = Tls::from_url(url)?;
        let mut pg = tokio_postgres::Config::from_str(&url)
            .map_err(|e| anyhow::anyhow!("--database-url: {e}"))?;
        pg.options(format!(
            "-c statement_timeout={} -c lock_timeout={}",
            c.db_statement_timeout_ms, c.db_statement_timeout_ms
        ));
        pg.connect_timeout(c.db_connect_timeout);
        pg.application_name("wca");
        let config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match tls {
            Tls::Off => Manager::from_config(pg, NoTls, config),
            Tls::Verified { mode, roots } => {
                pg.ssl_mode(mode);
                let tls = rustls::ClientConfig::builder()
                    .with_root_certificates(roots)
                    .with_no_client_auth();
                Manager::from_config(pg, MakeRustlsConnect::new(tls), config)
            }
        };
        let pool = Pool::builder(manager)
            .max_size(c.db_pool_size.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(c.db_wait_timeout))
            .create_timeout(Some(c.db_connect_timeout))
            .recycle_timeout(Some(c.db_recycle_timeout))
            .build()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("wca-db".into())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = stopped.await;
                });
            })?;
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                migrated: AtomicBool::new(false),
                last_error: Mutex::new(Some("not connected yet".into())),
            }),
            runtime: handle,
            _stop: stop,
        })
    }

    pub fn status(&self) -> PoolStatus {
        let s = self.inner.pool.status();
        PoolStatus {
            max_size: s.max_size,
            size: s.size,
            available: s.available,
            waiting: s.waiting,
        }
    }

    /// The last error, or `None` when the last operation succeeded.
    pub fn last_error(&self) -> Option<String> {
        self.inner
            .last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn close(&self) {
        self.inner.pool.close();
    }

    /// Closes connections idle for longer than `idle`, so that a burst does not
    /// leave the pool's peak number of sockets open for good.
    pub fn close_idle(&self, idle: Duration) {
        self.inner
            .pool
            .retain(|_, metrics| metrics.last_used() < idle);
    }

    /// Runs `op` on the database's runtime and notes how it went for `/readyz`.
    async fn run<T, F>(&self, op: impl FnOnce(Arc<Inner>) -> F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, DbError>> + Send + 'static,
    {
        let r = match self.runtime.spawn(op(self.inner.clone())).await {
            Ok(r) => r,
            Err(e) => Err(DbError::Unavailable(format!(
                "the database task failed: {e}"
            ))),
        };
        self.inner.record(r)
    }

    /// Checks the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), DbError> {
        self.run(|db| async move {
            let c = db.client().await?;
            c.simple_query("SELECT 1").await.map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    /// Stores an analysis under a new id; returns the id and the row's serial
    /// number (for pruning now and then).
    pub async fn insert(
        &self,
        summary: &Summary,
        cache_key: Option<&str>,
        report: &str,
    ) -> Result<(String, u64), DbError> {
        let (summary, cache_key, report) =
            (summary.clone(), cache_key.map(digest), report.to_owned());
        let public_id = super::history::new_id();
        self.run(move |db| async move {
            let c = db.client().await?;
            let row = c
                .query_one(
                    "INSERT INTO analyses (source, url, cache_key, format, bytes, words, title, language, report, public_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    &[
                        &summary.source,
                        &summary.url,
                        &cache_key,
                        &summary.format,
                        &(summary.bytes as i64),
                        &(summary.words as i64),
                        &summary.title,
                        &summary.language,
                        &report,
                        &public_id,
                    ],
                )
                .await
                .map_err(unavailable)?;
            Ok((public_id, row.get::<_, i64>(0) as u64))
        })
        .await
    }

    /// Deletes all but the newest `keep` analyses.
    pub async fn prune(&self, keep: usize) -> Result<u64, DbError> {
        self.run(move |db| async move {
            let c = db.client().await?;
            c.execute(
                "DELETE FROM analyses WHERE id <= \
                 (SELECT id FROM analyses ORDER BY id DESC OFFSET $1 LIMIT 1)",
                &[&(keep as i64)],
            )
            .await
            .map_err(unavailable)
        })
        .await
    }

    /// The newest report stored under `cache_key` that is younger than `ttl`.
    pub async fn cached(&self, cache_key: &str, ttl: Duration) -> Result<Option<String>, DbError> {
        let cache_key = digest(cache_key);
        self.run(move |db| async move {
            let c = db.client().await?;
            let row = c
                .query_opt(
                    "SELECT report FROM analyses WHERE cache_key = $1 \
                     AND created > now() - make_interval(secs => $2) ORDER BY id DESC LIMIT 1",
                    &[&cache_key, &ttl.as_secs_f64()],
                )
                .await
                .map_err(unavailable)?;
            Ok(row.map(|r| r.get::<_, String>(0)))
        })
        .await
    }

    /// Newest first: the total and the summaries in `[offset, offset + limit)`.
    pub async fn page(&self, offset: usize, limit: usize) -> Result<(u64, Vec<Summary>), DbError> {
        self.run(move |db| async move {
            let c = db.client().await?;
            let total: i64 = c
                .query_one("SELECT count(*) FROM analyses", &[])
                .await
                .map_err(unavailable)?
                .get(0);
            let rows = c
                .query(
                    &format!("{SUMMARY} ORDER BY id DESC OFFSET $1 LIMIT $2"),
                    &[&(offset as i64), &(limit as i64)],
                )
                .await
                .map_err(unavailable)?;
            Ok((total as u64, rows.iter().map(summary).collect()))
        })
        .await
    }

    /// The summaries of those of `ids` stored, newest first.
    pub async fn summaries(&self, ids: &[String]) -> Result<Vec<Summary>, DbError> {
        let ids = ids.to_vec();
        self.run(move |db| async move {
            let c = db.client().await?;
            let rows = c
                .query(
                    &format!("{SUMMARY} WHERE public_id = ANY($1) ORDER BY id DESC"),
                    &[&ids],
                )
                .await
                .map_err(unavailable)?;
            Ok(rows.iter().map(summary).collect())
        })
        .await
    }

    /// One stored report.
    pub async fn get(&self, id: &str) -> Result<Option<String>, DbError> {
        let id = id.to_string();
        self.run(move |db| async move {
            let c = db.client().await?;
            let row = c
                .query_opt("SELECT report FROM analyses WHERE public_id = $1", &[&id])
                .await
                .map_err(unavailable)?;
            Ok(row.map(|r| r.get::<_, String>(0)))
        })
        .await
    }
}

impl Inner {
    fn record<T>(&self, r: Result<T, DbError>) -> Result<T, DbError> {
        let mut last = self.last_error.lock().unwrap_or_else(|p| p.into_inner());
        match &r {
            Ok(_) => *last = None,
            Err(DbError::Busy) => {}
            Err(e) => {
                let e = e.to_string();
                // Each new failure once in the log, not every probe's.
                if last.as_deref() != Some(e.as_str()) {
                    eprintln!("wca: {e}");
                }
                *last = Some(e);
            }
        }
        r
    }

    /// A pooled connection, with the schema migrated.
    async fn client(&self) -> Result<deadpool_postgres::Object, DbError> {
        let client = self.pool.get().await.map_err(|e| match e {
            PoolError::Timeout(deadpool_postgres::TimeoutType::Wait) => DbError::Busy,
            PoolError::Timeout(_) => DbError::Unavailable("connecting timed out".into()),
            PoolError::Backend(e) => DbError::Unavailable(error_text(&e)),
            e => DbError::Unavailable(e.to_string()),
        })?;
        if !self.migrated.load(Ordering::Acquire) {
            migrate(&client).await?;
            self.migrated.store(true, Ordering::Release);
        }
        Ok(client)
    }
}

/// Applies the migrations not yet applied, in one transaction under an advisory
/// lock, so that replicas (or two requests) starting together neither race nor
/// apply one twice.
async fn migrate(client: &deadpool_postgres::Object) -> Result<(), DbError> {
    let steps = async {
        client
            .batch_execute(
                "BEGIN; SELECT pg_advisory_xact_lock(7243001); \
                 CREATE TABLE IF NOT EXISTS schema_migrations \
                 (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())",
            )
            .await?;
        for &(version, sql) in MIGRATIONS {
            let applied = client
                .query_opt(
                    "SELECT 1 FROM schema_migrations WHERE version = $1",
                    &[&version],
                )
                .await?;
            if applied.is_none() {
                client.batch_execute(sql).await?;
                client
                    .execute(
                        "INSERT INTO schema_migrations (version) VALUES ($1)",
                        &[&version],
                    )
                    .await?;
            }
        }
        client.batch_execute("COMMIT").await
    };
    if let Err(e) = steps.await {
        let _ = client.batch_execute("ROLLBACK").await;
        return Err(unavailable(e));
    }
    Ok(())
}

fn unavailable(e: tokio_postgres::Error) -> DbError {
    DbError::Unavailable(error_text(&e))
}

/// tokio-postgres' own message says little ("db error"); the server's says what.
fn error_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => match std::error::Error::source(e) {
            Some(src) => format!("{e}: {src}"),
            None => e.to_string(),
        },
    }
}
