//! What the workers share: the settings, the page's files, the store, the cache,
//! the metrics, the fetcher's limits, and the admission rules (memory shedding and
//! analysis slots).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::web;
use tokio::sync::{Semaphore, SemaphorePermit};
use wca_core::Options;

use crate::assets::Assets;
use crate::clients::{Client, Clients, Turn};
use crate::config::Config;
use crate::error::ApiError;
use crate::history::Summary;
use crate::malloc;
use crate::metrics::Metrics;
use crate::store::Store;

/// The in-process cache of URL analyses: report JSON by URL and options.
pub(crate) struct Cache {
    /// Shared, never copied: a hit answers with the same bytes.
    pub(crate) reports: moka::sync::Cache<String, web::Bytes>,
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
}

/// State shared by the workers.
pub(crate) struct State {
    pub(crate) config: Config,
    /// The web page's files, in memory.
    pub(crate) assets: Assets,
    pub(crate) store: Store,
    pub(crate) cache: Cache,
    pub(crate) metrics: Metrics,
    pub(crate) fetch: Arc<wca_fetch::Shared>,
    /// Resident memory at the last sample, for shedding.
    pub(crate) rss: AtomicU64,
    /// The allocator's figures after the last trim (glibc only).
    pub(crate) heap: std::sync::Mutex<Option<malloc::Heap>>,
    pub(crate) shed: AtomicU64,
    /// Analysis slots (`--analysis-slots`).
    pub(crate) slots: Semaphore,
    /// Requests answered 503 because no slot came free in `--analysis-wait`.
    pub(crate) busy: AtomicU64,
    /// What each client has under way (`--client-concurrency`).
    pub(crate) clients: Arc<Clients>,
}

impl State {
    /// Reads the allocator's figures for `/metrics`.
    pub(crate) fn read_heap(&self) {
        *self.heap.lock().unwrap_or_else(|p| p.into_inner()) = malloc::heap();
    }

    /// A turn for the client of `req`, or 429 when it has its share under way.
    pub(crate) fn turn(&self, req: &actix_web::HttpRequest) -> Result<Turn, ApiError> {
        self.clients
            .take(Client::of(req, &self.config.trusted_proxy))
    }

    /// Refuses new work while resident memory is above the threshold.
    pub(crate) fn admit(&self) -> Result<(), ApiError> {
        let rss = self.rss.load(Ordering::Relaxed);
        if rss > self.config.shed_rss_bytes {
            self.shed.fetch_add(1, Ordering::Relaxed);
            return Err(ApiError::Overloaded(rss));
        }
        Ok(())
    }

    /// Waits up to `--analysis-wait` for an analysis slot; the permit frees it.
    pub(crate) async fn slot(&self) -> Result<SemaphorePermit<'_>, ApiError> {
        let wait = self.config.analysis_wait;
        match tokio::time::timeout(wait, self.slots.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => {
                self.busy.fetch_add(1, Ordering::Relaxed);
                Err(ApiError::Busy {
                    slots: self.config.analysis_slots,
                    wait: self.config.analysis_wait,
                })
            }
        }
    }

    /// Refuses options that would give one analysis more memory than allowed.
    pub(crate) fn check_options(&self, options: &Options) -> Result<(), ApiError> {
        let max = self.config.max_distinct;
        if options.max_distinct > max {
            return Err(ApiError::BadOptions(format!(
                "options: max_distinct {} is above this server's limit of {max}",
                options.max_distinct
            )));
        }
        let max = self.config.max_top;
        if options.top > max {
            return Err(ApiError::BadOptions(format!(
                "options: top {} is above this server's limit of {max}",
                options.top
            )));
        }
        Ok(())
    }

    pub(crate) fn analyses_running(&self) -> usize {
        self.config.analysis_slots - self.slots.available_permits()
    }

    /// Stores an analysis in the history. A database failure is reported on
    /// stderr and in `/readyz` but does not fail the analysis it would record.
    pub(crate) async fn record(
        &self,
        summary: Summary,
        cache_key: Option<&str>,
        json: &str,
    ) -> Option<String> {
        self.store
            .record(summary, cache_key, json, self.config.history)
            .await
    }
}
