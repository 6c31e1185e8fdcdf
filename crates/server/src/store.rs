//! Where analyses are kept: PostgreSQL when `--database-url` is given, else a
//! bounded in-memory history. Callers ask the store, never which one it is.

use std::time::Duration;

use crate::config::Config;
use crate::db::{Db, DbError, PoolStatus};
use crate::history::{History, Stored, Summary};

/// The history's backing store.
pub(crate) enum Store {
    Memory(History),
    Postgres(Db),
}

impl Store {
    /// The store `config` names; a database is connected lazily.
    pub(crate) fn open(config: &Config) -> anyhow::Result<Store> {
        Ok(match &config.db.database_url {
            Some(url) => Store::Postgres(Db::new(url, &config.db)?),
            None => Store::Memory(History::new(
                config.history,
                usize::try_from(config.history_bytes).unwrap_or(usize::MAX),
            )),
        })
    }

    /// Whether the history is in a database.
    pub(crate) fn is_database(&self) -> bool {
        matches!(self, Store::Postgres(_))
    }

    /// Connects and migrates if there is a database and it is not yet.
    pub(crate) async fn ping(&self) -> Result<(), DbError> {
        match self {
            Store::Memory(_) => Ok(()),
            Store::Postgres(db) => db.ping().await,
        }
    }

    /// Closes the database pool (at shutdown).
    pub(crate) fn close(&self) {
        if let Store::Postgres(db) = self {
            db.close();
        }
    }

    /// Closes database connections unused for `idle`.
    pub(crate) fn close_idle(&self, idle: Duration) {
        if let Store::Postgres(db) = self {
            db.close_idle(idle);
        }
    }

    /// Stores an analysis, keeping at most `keep`; its id, or `None` when the
    /// database failed (reported on stderr: the analysis itself stands).
    pub(crate) async fn record(
        &self,
        summary: Summary,
        cache_key: Option<&str>,
        json: &str,
        keep: usize,
    ) -> Option<String> {
        match self {
            Store::Memory(h) => Some(h.insert(summary, json.to_string())),
            Store::Postgres(db) => match db.insert(&summary, cache_key, json).await {
                Ok((id, serial)) => {
                    // Keep the table bounded: prune now and then.
                    if serial % 64 == 0 {
                        let _ = db.prune(keep).await;
                    }
                    Some(id)
                }
                Err(e) => {
                    eprintln!("wca: history not saved: {e}");
                    None
                }
            },
        }
    }

    /// A report another replica stored for `key` within `ttl` (databases only).
    pub(crate) async fn cached(&self, key: &str, ttl: Duration) -> Option<String> {
        match self {
            Store::Memory(_) => None,
            Store::Postgres(db) => db.cached(key, ttl).await.ok().flatten(),
        }
    }

    /// The total and a page of summaries, newest first.
    pub(crate) async fn page(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<(u64, Vec<Summary>), DbError> {
        match self {
            Store::Memory(h) => {
                let (total, items) = h.page(offset, limit);
                Ok((total as u64, items))
            }
            Store::Postgres(db) => db.page(offset, limit).await,
        }
    }

    /// The summaries of those of `ids` stored, newest first.
    pub(crate) async fn summaries(&self, ids: &[String]) -> Result<Vec<Summary>, DbError> {
        match self {
            Store::Memory(h) => Ok(h.summaries(ids)),
            Store::Postgres(db) => db.summaries(ids).await,
        }
    }

    /// What is stored under `id`.
    pub(crate) async fn get(&self, id: &str) -> Result<Option<Stored>, DbError> {
        match self {
            Store::Memory(h) => Ok(h.get(id)),
            Store::Postgres(db) => Ok(db.get(id).await?.map(Stored::Report)),
        }
    }

    /// For `/readyz`: `ready`, or `degraded` while the database is down, and what
    /// the database is doing.
    pub(crate) async fn readiness(&self) -> (&'static str, String) {
        match self {
            Store::Memory(_) => ("ready", "none: history is kept in memory".to_string()),
            Store::Postgres(db) => match db.ping().await {
                Ok(()) => ("ready", "ok".to_string()),
                // What failed, not where: the detail is in the log (see `Db`).
                Err(e) => ("degraded", e.public().to_string()),
            },
        }
    }

    /// Analyses in the in-memory history (`None` with a database).
    pub(crate) fn memory_entries(&self) -> Option<usize> {
        match self {
            Store::Memory(h) => Some(h.len()),
            Store::Postgres(_) => None,
        }
    }

    /// Bytes of reports in the in-memory history (`None` with a database).
    pub(crate) fn memory_bytes(&self) -> Option<usize> {
        match self {
            Store::Memory(h) => Some(h.bytes()),
            Store::Postgres(_) => None,
        }
    }

    /// The pool's figures and the last database error (`None` without a
    /// database).
    pub(crate) fn database(&self) -> Option<(PoolStatus, Option<String>)> {
        match self {
            Store::Memory(_) => None,
            Store::Postgres(db) => Some((db.status(), db.last_error())),
        }
    }

    /// For the page's health panel.
    pub(crate) fn describe(&self) -> serde_json::Value {
        match self.database() {
            None => serde_json::json!({
                "configured": false,
                "history_entries": self.memory_entries().unwrap_or(0),
                "history_bytes": self.memory_bytes().unwrap_or(0),
            }),
            Some((pool, error)) => serde_json::json!({
                "configured": true,
                "up": error.is_none(),
                "error": error.map(|_| "unavailable"),
                "pool": pool,
            }),
        }
    }
}
