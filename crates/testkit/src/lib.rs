//! What wca's tests share, so that no harness is written twice: replayable chunking
//! ([`chunks`]), a plain HTTP/1.1 client, `wca serve` as a child process, a
//! scriptable upstream on loopback, and a throwaway PostgreSQL cluster. Everything
//! listens on 127.0.0.1 only. std and serde_json only: it builds in seconds and
//! depends on none of wca's crates, so any of them can use it in its tests.
//!
//! ```
//! use wca_testkit::chunks;
//!
//! let pieces: Vec<&[u8]> = chunks::split(b"abcdefg", &[2, 3]).collect();
//! assert_eq!(pieces, [&b"ab"[..], b"cde", b"fg"]);
//! ```

#![deny(missing_docs)]

pub mod chunks;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The workspace's root folder.
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).to_path_buf()
}

/// A file or folder under the shared test data, `tests/data/`.
pub fn data(path: &str) -> PathBuf {
    root().join("tests/data").join(path)
}

/// The web page's folder, `www/`.
pub fn www() -> PathBuf {
    root().join("www")
}

/// An HTTP response as the client read it.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The header fields, in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, chunked transfer coding undone.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header field called `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON; panics, showing the body, if it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "{e}: status {} body {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a fresh connection (`Connection: close`); reads the whole answer.
/// Panics on any I/O error: for tests.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> Response {
    try_request(addr, method, path, content_type, body)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// One request on a fresh connection (`Connection: close`), read to the end; the
/// connection and each read time out (5 s and 60 s).
pub fn try_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )?;
    // A body larger than the server accepts may be cut off by the server's answer.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    try_parse(&raw)
}

/// One request on a fresh connection with the given headers (`Host: localhost`
/// unless they name one; `Connection: close` and the body's length are added).
pub fn request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str("Host: localhost\r\n");
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Connection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

/// Parses a raw HTTP/1.1 response, undoing chunked transfer coding; panics if it is
/// not one.
pub fn parse(raw: &[u8]) -> Response {
    try_parse(raw).unwrap_or_else(|e| panic!("{e}"))
}

fn try_parse(raw: &[u8]) -> std::io::Result<Response> {
    let bad = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{what} in {:?}",
                String::from_utf8_lossy(&raw[..raw.len().min(200)])
            ),
        )
    };
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// The data of a chunked body, as far as it is complete.
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&raw[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok());
        let Some(size) = size else { break };
        if size == 0 || raw.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
        raw = &raw[(eol + 4 + size).min(raw.len())..];
    }
    out
}

/// `GET path`.
pub fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, "GET", path, "text/plain", b"")
}

/// `POST path` with a JSON body.
pub fn post_json(addr: SocketAddr, path: &str, json: &serde_json::Value) -> Response {
    request(
        addr,
        "POST",
        path,
        "application/json",
        json.to_string().as_bytes(),
    )
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `wca serve` as a child process, so that its own file descriptors and memory can
/// be read from `/metrics`: on 127.0.0.1 and a free port, serving `www/`, with no
/// `DATABASE_URL` or `WCA_*` setting from the environment (only `args` configure
/// it). Killed when dropped.
pub struct Wca {
    /// The process.
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
}

/// How `wca serve` ended after SIGTERM.
#[derive(Debug)]
pub struct Stopped {
    /// Seconds from SIGTERM to its exit.
    pub seconds: f64,
    /// Its exit status, or what happened instead.
    pub status: String,
}

impl Wca {
    /// Starts `bin serve` with `args` and waits until it listens; panics if it
    /// cannot. Its stderr is echoed when `WCA_TEST_LOG` is set.
    pub fn spawn(bin: impl AsRef<Path>, args: &[&str]) -> Wca {
        Self::start(bin.as_ref(), args, None).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Starts `bin serve` with `args`, its stderr copied into `log` when given, and
    /// waits up to 30 s for the `serving … at http://ADDR` line.
    pub fn start(bin: &Path, args: &[&str], log: Option<&Path>) -> std::io::Result<Wca> {
        let mut cmd = Command::new(bin);
        cmd.args(["serve", "--bind", "127.0.0.1:0", "--www"])
            .arg(www())
            .args(args)
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("WCA_") {
                cmd.env_remove(k);
            }
        }
        let mut child = cmd.spawn().map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot start {}: {e}", bin.display()))
        })?;
        let mut file = log.map(std::fs::File::create).transpose()?;
        let echo = std::env::var_os("WCA_TEST_LOG").is_some();
        let stderr = child
            .stderr
            .take()
            .ok_or_else(|| std::io::Error::other("no stderr"))?;
        let (tx, rx) = std::sync::mpsc::channel();
        // Drain stderr for as long as wca runs, so that it never blocks on a full
        // pipe; the first `serving … at http://ADDR` line gives the address.
        std::thread::spawn(move || {
            let mut tx = Some(tx);
            let mut lines = BufReader::new(stderr);
            let mut line = String::new();
            while lines.read_line(&mut line).is_ok_and(|n| n > 0) {
                if let Some(f) = file.as_mut() {
                    let _ = f.write_all(line.as_bytes());
                }
                if echo {
                    eprint!("[wca] {line}");
                }
                if let Some((_, addr)) = line.trim().rsplit_once("http://")
                    && let Ok(addr) = addr.parse::<SocketAddr>()
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(addr);
                }
                line.clear();
            }
        });
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(addr) => Ok(Wca { child, addr }),
            Err(_) => {
                let _ = child.kill();
                let status = child.wait()?;
                Err(std::io::Error::other(format!(
                    "wca serve did not report its address in 30 s ({status})"
                )))
            }
        }
    }

    /// A figure from `/metrics`.
    pub fn metric(&self, name: &str) -> f64 {
        metric(self.addr, name)
    }

    /// SIGTERM, then up to 15 s (the grace period and more) for it to exit; killed
    /// past that.
    pub fn stop(&mut self) -> Stopped {
        let start = Instant::now();
        if let Ok(Some(status)) = self.child.try_wait() {
            return Stopped {
                seconds: 0.0,
                status: format!("had already exited ({status})"),
            };
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        while start.elapsed() < Duration::from_secs(15) {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Stopped {
                    seconds: start.elapsed().as_secs_f64(),
                    status: status.to_string(),
                };
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Stopped {
            seconds: start.elapsed().as_secs_f64(),
            status: "still running 15 s after SIGTERM: killed".into(),
        }
    }
}

impl Drop for Wca {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A figure from a server's `/metrics`.
pub fn metric(addr: SocketAddr, name: &str) -> f64 {
    let text = get(addr, "/metrics").text();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{name} not in /metrics"))
        .parse()
        .unwrap()
}

/// Polls `f` until it holds or `timeout` passes; returns whether it held.
pub fn eventually(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + timeout;
    loop {
        if f() {
            return true;
        }
        if Instant::now() > end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What the upstream fixture does for a path.
pub type Handler = Arc<dyn Fn(&str, TcpStream) + Send + Sync>;

/// A scriptable upstream web server on 127.0.0.1: each connection is handed, with
/// the request path, to the handler on a thread of its own. It counts connections
/// and open ones.
pub struct Upstream {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Connections accepted so far.
    pub connections: Arc<AtomicUsize>,
    /// Connections open now.
    pub open: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Upstream {
    /// Listens on a free port of 127.0.0.1 and hands each connection to `handler`.
    pub fn start(handler: Handler) -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let open = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, o, st) = (connections.clone(), open.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                c.fetch_add(1, Ordering::SeqCst);
                o.fetch_add(1, Ordering::SeqCst);
                let (handler, o) = (handler.clone(), o.clone());
                std::thread::spawn(move || {
                    let mut stream = stream;
                    if let Some(path) = read_request(&mut stream) {
                        handler(&path, stream);
                    }
                    o.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Upstream {
            addr,
            connections,
            open,
            stop,
        }
    }

    /// `http://ADDR` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.addr);
    }
}

/// Reads a request head; returns its path.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
        if head.len() > 64 << 10 {
            return None;
        }
    }
    let line = String::from_utf8_lossy(&head).lines().next()?.to_string();
    line.split(' ').nth(1).map(String::from)
}

/// Writes a complete response with a Content-Length.
pub fn respond(mut s: TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
}

/// A throwaway PostgreSQL cluster: `initdb` and `pg_ctl` on a free port, the socket
/// in its temp dir, run as the `postgres` user when the tests run as root. Stopped
/// and removed when dropped.
pub struct Postgres {
    /// Its folder: the data directory, the socket and the log.
    pub dir: PathBuf,
    /// Its TCP port on 127.0.0.1.
    pub port: u16,
    bin: PathBuf,
    as_postgres: bool,
}

impl Postgres {
    /// Creates and starts a cluster; panics if PostgreSQL's programs are missing or
    /// fail.
    pub fn start() -> Postgres {
        let pg = Postgres::create();
        pg.ctl_start();
        pg
    }

    /// Creates and starts a cluster that accepts TCP connections over TLS only, with
    /// the certificate and key given (PEM).
    pub fn start_tls(cert: &Path, key: &Path) -> Postgres {
        let pg = Postgres::create();
        let data = pg.dir.join("data");
        for (from, to) in [(cert, "server.crt"), (key, "server.key")] {
            let to = data.join(to);
            std::fs::copy(from, &to).unwrap();
            // PostgreSQL refuses a key that others can read.
            std::fs::set_permissions(&to, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .unwrap();
            if pg.as_postgres {
                assert!(
                    Command::new("chown")
                        .arg("postgres:postgres")
                        .arg(&to)
                        .status()
                        .unwrap()
                        .success()
                );
            }
        }
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap();
        text.push_str("\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
        std::fs::write(&conf, text).unwrap();
        // TCP only with TLS; the socket as before.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\n",
        )
        .unwrap();
        pg.ctl_start();
        pg
    }

    fn create() -> Postgres {
        let bin = pg_bin();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("wca-pg-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let as_postgres = is_root();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown postgres {}", dir.display());
        }
        let pg = Postgres {
            dir,
            port,
            bin,
            as_postgres,
        };
        let data = pg.dir.join("data");
        let out = pg
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        pg
    }

    fn command(&self, tool: &str) -> Command {
        let path = self.bin.join(tool);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    pub fn ctl_start(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40",
            self.port,
            self.dir.display()
        );
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-o", &opts, "-l"])
            .arg(self.dir.join("log"))
            .args(["-w", "-t", "30", "start"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {}{}",
            String::from_utf8_lossy(&out.stdout),
            std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
        );
    }

    /// Stops the server at once (`-m immediate`: as if it were killed).
    pub fn kill(&self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }

    /// Its connection URL (user `postgres`, trust authentication).
    pub fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/postgres?connect_timeout=2",
            self.port
        )
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether this process runs as root (PostgreSQL then runs as `postgres`).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// The folder of `initdb` and `pg_ctl`: `PG_BIN`, else the newest
/// /usr/lib/postgresql/N/bin that has both; `None` when there is none.
pub fn find_pg_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin")))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn pg_bin() -> PathBuf {
    find_pg_bin().unwrap_or_else(|| {
        panic!("PostgreSQL's initdb was not found: `apt-get install postgresql` (or set PG_BIN)")
    })
}
