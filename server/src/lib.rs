//! `wca-server`: the `wca` binary's library — the command line ([`cli`]) and the
//! HTTP server ([`serve`]) around [`wca_core`]. `main` only parses arguments.

pub mod cli;
pub mod fetch;
pub mod serve;
