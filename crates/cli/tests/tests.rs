//! The `wca` binary's integration tests, one binary: the command line, and the
//! server end to end over real HTTP on loopback (the page and the API, the fetch
//! proxy against a scripted upstream, PostgreSQL history, start and stop).

mod cli;
mod common;
mod db;
mod fetch;
mod golden;
mod lifecycle;
mod serve;
