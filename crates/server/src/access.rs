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
        .with_writer(|| Buffered)
        .with_ansi(false)
        .with_target(true)
        .try_init();
}

/// Log lines wait here and go to stderr in one write once [`FLUSH_AT`] bytes have
/// gathered, or at the next [`flush`] (every second, from the memory sampler, and
/// at shutdown): one write a line, to an unbuffered stderr, cost the cached
/// analyses of the load test a third of their rate.
static BUFFER: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

/// Bytes of log lines held before they are written.
const FLUSH_AT: usize = 64 << 10;

/// The log's writer: appends to [`BUFFER`].
struct Buffered;

impl std::io::Write for Buffered {
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut buffer = BUFFER.lock().unwrap_or_else(|p| p.into_inner());
        buffer.extend_from_slice(line);
        if buffer.len() >= FLUSH_AT {
            let out = std::mem::take(&mut *buffer);
            std::io::Write::write_all(&mut std::io::stderr().lock(), &out)?;
            // Keep the allocation for the next lines.
            *buffer = out;
            buffer.clear();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        flush();
        Ok(())
    }
}

/// Writes the lines waiting in [`BUFFER`] to stderr.
pub fn flush() {
    let mut buffer = BUFFER.lock().unwrap_or_else(|p| p.into_inner());
    if !buffer.is_empty() {
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), &buffer);
        buffer.clear();
    }
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
