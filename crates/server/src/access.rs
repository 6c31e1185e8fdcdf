//! The access log: one line per request, through `tracing` (target `wca::access`),
//! as key=value pairs: method, route template, status, bytes, duration, client, and
//! for fetches what was decided and the address connected to.

use std::net::SocketAddr;

/// What a handler tells the access log beyond the status, carried in the
/// response's extensions.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Note {
    /// The error's stable code.
    pub(crate) error: Option<&'static str>,
    /// For fetches: `allowed`, `refused` (by the guard), `failed` (upstream) or
    /// `cached` (served without fetching).
    pub(crate) fetch: Option<&'static str>,
    /// For fetches: the address the page came from.
    pub(crate) connected: Option<SocketAddr>,
}

impl Note {
    pub(crate) fn allowed(addr: SocketAddr) -> Note {
        Note {
            fetch: Some("allowed"),
            connected: Some(addr),
            ..Note::default()
        }
    }

    pub(crate) fn cached() -> Note {
        Note {
            fetch: Some("cached"),
            ..Note::default()
        }
    }
}

/// Installs the log's writer (stderr, no colours) unless the embedder has one.
pub fn init() {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(true)
        .try_init();
}

/// Writes one request's line.
#[allow(clippy::too_many_arguments)]
pub(crate) fn line(
    method: &str,
    route: &str,
    status: u16,
    bytes: Option<u64>,
    millis: f64,
    client: &dyn std::fmt::Display,
    note: Note,
) {
    let dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    tracing::info!(
        target: "wca::access",
        method = %method,
        route = %route,
        status,
        bytes = %dash(bytes.map(|b| b.to_string())),
        ms = %format!("{millis:.1}"),
        client = %client,
        error = %note.error.unwrap_or("-"),
        fetch = %note.fetch.unwrap_or("-"),
        connected = %dash(note.connected.map(|a| a.to_string())),
    );
}
