//! `wca-server`: the HTTP server of wca as a library — the web page, the guarded
//! fetch proxy, native analysis of uploads and URLs with a bounded cache, history
//! in PostgreSQL (or a bounded in-memory store), health checks, metrics and load
//! shedding. The `wca` binary's `serve` command is [`run`].
//!
//! Everything streams: an uploaded body goes through the analyzer chunk by chunk as
//! it arrives, and `/api/fetch` passes the upstream body on as it comes.
//!
//! ```no_run
//! # fn main() -> anyhow::Result<()> {
//! let config = wca_server::Config::new("127.0.0.1:0", "www".into());
//! actix_rt::System::new().block_on(async {
//!     let started = wca_server::start(config)?;
//!     println!("listening on {}", started.addr);
//!     started.run().await?;
//!     Ok(())
//! })
//! # }
//! ```

#![deny(missing_docs)]

mod access;
mod assets;
mod body;
mod clients;
mod config;
mod db;
mod error;
mod history;
#[allow(unsafe_code)]
mod malloc;
mod metrics;
mod origin;
mod routes;
mod startup;
mod state;
mod store;

pub use config::{Config, DbConfig};
pub use startup::{Started, run, start};
