//! The fetch proxy against a scripted upstream on loopback: every SSRF rule, every
//! cap and timeout, and the upstream faults — each ends with a clear JSON error and
//! the server's file descriptors back where they were.
//!
//! The server runs as a child process (`wca serve`), so `/metrics` reports its own
//! descriptors. Tests that connect only ever target 127.0.0.1: refused addresses are
//! refused before any connection, which the upstream's connection count checks.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::common::*;

const PAGE: &str = "<!doctype html><html><head><title>Fixture page</title>\
<meta name=\"description\" content=\"A page for the fetcher\"></head><body><main>\
<h1>Hello fetcher</h1><p>The quick brown fox jumps over the lazy dog. The dog sleeps.</p>\
<a href=\"/next\">next</a></main></body></html>";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// The upstream's script: what each path does.
fn upstream() -> Upstream {
    let bomb = Arc::new(gzip(&vec![b'a'; 200 << 20]));
    let small_gz = Arc::new(gzip(PAGE.as_bytes()));
    let big = Arc::new("word ".repeat((8 << 20) / 5).into_bytes());
    Upstream::start(Arc::new(move |path: &str, mut s: TcpStream| {
        let html = [("Content-Type", "text/html; charset=utf-8")];
        match path {
            "/page" => respond(s, "200 OK", &html, PAGE.as_bytes()),
            "/latin1" => respond(
                s,
                "200 OK",
                &[("Content-Type", "text/plain; charset=iso-8859-1")],
                b"caf\xe9 na\xefve",
            ),
            "/big" => respond(s, "200 OK", &[("Content-Type", "text/plain")], &big),
            "/image" => respond(s, "200 OK", &[("Content-Type", "image/png")], b"\x89PNG"),
            "/no-type" => respond(s, "200 OK", &[], b"bytes"),
            "/gzip" => respond(
                s,
                "200 OK",
                &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                &small_gz,
            ),
            "/bomb" => respond(
                s,
                "200 OK",
                &[("Content-Type", "text/plain"), ("Content-Encoding", "gzip")],
                &bomb,
            ),
            "/brotli" => respond(
                s,
                "200 OK",
                &[("Content-Type", "text/plain"), ("Content-Encoding", "br")],
                b"\x0b\x02\x80hello\x03",
            ),
            "/declared-huge" => {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000000000\r\n\r\nab",
                );
                std::thread::sleep(Duration::from_secs(2));
            }
            "/length-and-chunked" => {
                // Both framings: RFC 9112 says the chunks frame the body, and the
                // length is to be ignored.
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\
                      Transfer-Encoding: chunked\r\n\r\n\
                      10\r\nthe whole body, \r\n10\r\nchunk by chunk.\n\r\n0\r\n\r\n",
                );
            }
            "/cut-chunks" => {
                // Both framings again, and the connection closes (FIN) in the
                // middle of the chunks: the length fits what came, the chunks do not.
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 16\r\n\
                      Transfer-Encoding: chunked\r\n\r\n\
                      10\r\nthe whole body, \r\n10\r\nchunk",
                );
            }
            "/cut-at-a-chunk" => {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n\
                      10\r\nthe whole body, \r\n",
                );
            }
            "/lying-length" => {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nonly this much",
                );
            }
            "/reset" => {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nbefore\r\n",
                );
                std::thread::sleep(Duration::from_millis(100));
                // A zero linger time makes close send a reset (RST), not a FIN.
                let _ = socket2::SockRef::from(&s).set_linger(Some(Duration::ZERO));
                drop(s);
            }
            "/endless" => {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
                );
                let chunk = format!("{:x}\r\n{}\r\n", 4096, "word ".repeat(4096 / 5) + "w");
                let started = Instant::now();
                while started.elapsed() < Duration::from_secs(60) {
                    if s.write_all(chunk.as_bytes()).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            "/keep-alive" => {
                // A server that offers keep-alive, then closes an idle connection.
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{PAGE}",
                    PAGE.len()
                );
                std::thread::sleep(Duration::from_millis(300));
            }
            "/hang" => std::thread::sleep(Duration::from_secs(20)),
            "/hang-body" => {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n",
                );
                std::thread::sleep(Duration::from_secs(20));
            }
            "/drip" => {
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n",
                );
                for _ in 0..30 {
                    if s.write_all(b"1\r\na\r\n").is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
            "/loop" => respond(s, "302 Found", &[("Location", "/loop")], b""),
            "/no-location" => respond(s, "302 Found", &[], b""),
            "/to-private" => respond(s, "301 Moved", &[("Location", "http://10.1.2.3/")], b""),
            "/to-loopback-2" => {
                // Another loopback address, not in the operator's allow list.
                let port = s.local_addr().unwrap().port();
                let to = format!("http://127.0.0.2:{port}/page");
                respond(s, "307 Temporary Redirect", &[("Location", &to)], b"");
            }
            "/to-decimal" => {
                let port = s.local_addr().unwrap().port();
                let to = format!("http://2130706434:{port}/page");
                respond(s, "302 Found", &[("Location", &to)], b"");
            }
            "/to-file" => respond(s, "302 Found", &[("Location", "file:///etc/passwd")], b""),
            "/missing" => respond(s, "404 Not Found", &html, b"gone"),
            p if p.starts_with("/hop/") => {
                let n: u32 = p[5..].parse().unwrap_or(0);
                let to = if n == 0 {
                    "/page#frag".to_string()
                } else {
                    format!("/hop/{}", n - 1)
                };
                respond(s, "302 Found", &[("Location", &to)], b"");
            }
            _ => respond(s, "404 Not Found", &[], b""),
        }
    }))
}

fn fetch(wca: &Wca, url: &str) -> Response {
    get(wca.addr, &format!("/api/fetch?url={}", encode(url)))
}

fn analyze_url(wca: &Wca, url: &str) -> Response {
    post_json(
        wca.addr,
        "/api/analyze",
        &serde_json::json!({ "url": url, "options": {} }),
    )
}

fn assert_error(r: &Response, status: u16, code: &str) {
    assert_eq!(r.status, status, "{code}: {}", r.text());
    assert_eq!(r.json()["error"], code, "{}", r.text());
    assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// Waits until the server's open descriptors are back to `baseline` (give or take
/// a few for the connections the test itself is making).
fn assert_fds_settle(wca: &Wca, baseline: f64) {
    let mut last = 0.0;
    let settled = eventually(Duration::from_secs(10), || {
        last = wca.metric("process_open_fds");
        last <= baseline
    });
    assert!(settled, "open fds {last}, baseline {baseline}");
}

#[test]
fn without_allow_net_loopback_is_refused_before_any_connection() {
    let up = upstream();
    let wca = Wca::spawn(WCA, &[]);
    let port = up.addr.port();
    let refused = [
        format!("http://127.0.0.1:{port}/page"),
        format!("http://2130706433:{port}/page"),
        format!("http://0x7f.1:{port}/page"),
        format!("http://017700000001:{port}/page"),
        format!("http://[::ffff:127.0.0.1]:{port}/page"),
        format!("http://[::1]:{port}/page"),
    ];
    for url in &refused {
        assert_error(&fetch(&wca, url), 403, "address_not_allowed");
        assert_error(&analyze_url(&wca, url), 403, "address_not_allowed");
    }
    // A name is resolved, and what it resolves to is checked; the reply says what
    // was refused, not the address the name has inside.
    for r in [
        fetch(&wca, "http://localhost/page"),
        analyze_url(&wca, "http://localhost/page"),
    ] {
        assert_error(&r, 403, "address_not_allowed");
        let text = r.text();
        assert!(
            !text.contains("127.0.0.1") && !text.contains("::1"),
            "{text}"
        );
    }
    // Only the web's ports, checked before any name is resolved or any connection
    // made: the proxy scans no ports.
    for url in [
        format!("http://localhost:{port}/page"),
        format!("http://example.org:{port}/"),
        "http://example.org:22/".to_string(),
    ] {
        assert_error(&fetch(&wca, &url), 403, "port_not_allowed");
    }
    let malformed = [
        (format!("ftp://127.0.0.1:{port}/"), "scheme_not_allowed"),
        ("file:///etc/passwd".to_string(), "scheme_not_allowed"),
        (
            format!("http://user:pw@example.org:{port}/"),
            "userinfo_not_allowed",
        ),
        ("not a url".to_string(), "bad_url"),
        (
            format!("http://example.org/{}", "a".repeat(3000)),
            "url_too_long",
        ),
    ];
    for (url, code) in &malformed {
        assert_error(&fetch(&wca, url), 400, code);
    }
    assert_eq!(
        up.connections(),
        0,
        "a refused URL must not be connected to"
    );

    // The command line uses the same fetcher and the same rule.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wca"))
        .args(["analyze", &refused[0]])
        .env_remove("WCA_ALLOW_NET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("address_not_allowed"), "{err}");
    assert_eq!(up.connections(), 0);
}

/// `wca text` and `wca words` read URLs through the same guarded fetcher.
#[test]
fn text_and_words_of_a_url() {
    let up = upstream();
    let url = up.url("/page");
    let run = |cmd: &str, allow: bool| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_wca"));
        c.args([cmd, &url]).env_remove("WCA_ALLOW_NET");
        if allow {
            c.args(["--allow-net", "127.0.0.1/32", "--allow-port", "any"]);
        }
        c.output().unwrap()
    };
    let text = run("text", true);
    assert!(
        text.status.success(),
        "{}",
        String::from_utf8_lossy(&text.stderr)
    );
    assert_eq!(
        String::from_utf8(text.stdout).unwrap(),
        "Hello fetcher\n\nThe quick brown fox jumps over the lazy dog. The dog sleeps.\n\nnext\n"
    );
    let words = run("words", true);
    assert!(
        String::from_utf8(words.stdout)
            .unwrap()
            .starts_with("hello\nfetcher\nthe\n")
    );
    let refused = run("text", false);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("address_not_allowed"));
}

#[test]
fn an_allowed_fixture_streams_through_and_is_analyzed_and_cached() {
    let up = upstream();
    let wca = Wca::spawn(WCA, &["--allow-net", "127.0.0.1/32", "--allow-port", "any"]);
    let r = fetch(&wca, &up.url("/page"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), PAGE);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.header("content-length"), Some(&*PAGE.len().to_string()));
    assert_eq!(r.header("x-wca-final-url"), Some(&*up.url("/page")));
    assert!(r.header("x-wca-max-bytes").is_some());
    // Opened directly, a proxied page is inert.
    assert!(
        r.header("content-security-policy")
            .unwrap()
            .contains("sandbox")
    );

    // The charset travels with the bytes.
    let r = fetch(&wca, &up.url("/latin1"));
    assert_eq!(
        r.header("content-type"),
        Some("text/plain; charset=iso-8859-1")
    );
    assert_eq!(r.body, b"caf\xe9 na\xefve");

    // Analysis of the URL equals the command line on the same bytes.
    let r = analyze_url(&wca, &up.url("/page"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("x-wca-cache"), Some("miss"));
    let location = r.header("location").unwrap().to_string();
    let served = r.json();
    assert_eq!(served["input"]["url"], up.url("/page"));
    assert_eq!(served["page"]["structure"]["title"], "Fixture page");
    let file = std::env::temp_dir().join(format!("wca-fetch-{}.html", std::process::id()));
    std::fs::write(&file, PAGE).unwrap();
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_wca"))
        .args(["analyze", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(served["counts"], cli["counts"]);
    assert_eq!(served["frequencies"], cli["frequencies"]);

    // Again: from the cache, with no new connection upstream.
    let before = up.connections();
    let again = analyze_url(&wca, &up.url("/page#another-fragment"));
    assert_eq!(again.header("x-wca-cache"), Some("hit"));
    assert_eq!(again.json(), served);
    assert_eq!(up.connections(), before);
    assert!(wca.metric("wca_cache_hits_total") >= 1.0);

    // `wca analyze URL` with --allow-net gives the same report.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wca"))
        .args([
            "analyze",
            "--json",
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
        ])
        .arg(up.url("/page"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli_url: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli_url, served);

    // Compressed pages are decompressed.
    let r = fetch(&wca, &up.url("/gzip"));
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), PAGE);

    // History lists the URL analysis, for whoever holds its id.
    let id = location.rsplit('/').next().unwrap();
    let list = get(wca.addr, &format!("/api/analyses?ids={id}")).json();
    assert_eq!(list["items"][0]["url"], up.url("/page"));
    assert_eq!(list["items"][0]["source"], "url");
}

#[test]
fn redirects_are_followed_by_hand_and_each_hop_is_checked() {
    let up = upstream();
    let wca = Wca::spawn(
        WCA,
        &[
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
            "--fetch-max-redirects",
            "5",
        ],
    );
    let baseline = wca.metric("process_open_fds");
    let r = fetch(&wca, &up.url("/hop/4"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), PAGE);
    assert_eq!(r.header("x-wca-final-url"), Some(&*up.url("/page")));

    let before = up.connections();
    assert_error(&fetch(&wca, &up.url("/loop")), 422, "too_many_redirects");
    assert_eq!(up.connections() - before, 6, "the first request and 5 hops");
    assert_error(&fetch(&wca, &up.url("/hop/5")), 422, "too_many_redirects");

    // A hop to a refused address is refused before connecting to it.
    assert_error(
        &fetch(&wca, &up.url("/to-private")),
        403,
        "address_not_allowed",
    );
    let before = up.connections();
    assert_error(
        &fetch(&wca, &up.url("/to-loopback-2")),
        403,
        "address_not_allowed",
    );
    assert_error(
        &fetch(&wca, &up.url("/to-decimal")),
        403,
        "address_not_allowed",
    );
    assert_eq!(
        up.connections() - before,
        2,
        "only the redirecting requests"
    );
    assert_error(&fetch(&wca, &up.url("/to-file")), 400, "scheme_not_allowed");
    assert_error(&fetch(&wca, &up.url("/no-location")), 502, "bad_redirect");
    assert_error(&fetch(&wca, &up.url("/missing")), 502, "upstream_status");
    assert_fds_settle(&wca, baseline);
}

#[test]
fn content_types_sizes_and_encodings_are_capped() {
    let up = upstream();
    let cap = 300_000;
    let wca = Wca::spawn(
        WCA,
        &[
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
            "--fetch-max-bytes",
            &cap.to_string(),
        ],
    );
    let baseline = wca.metric("process_open_fds");
    assert_error(
        &fetch(&wca, &up.url("/image")),
        415,
        "unsupported_content_type",
    );
    assert_error(
        &fetch(&wca, &up.url("/no-type")),
        415,
        "unsupported_content_type",
    );
    assert_error(&fetch(&wca, &up.url("/declared-huge")), 413, "too_large");
    assert_error(
        &fetch(&wca, &up.url("/brotli")),
        502,
        "unsupported_encoding",
    );

    // An endless body stops at the cap, on the wire…
    let r = fetch(&wca, &up.url("/endless"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), cap);
    let report = analyze_url(&wca, &up.url("/endless")).json();
    assert_eq!(report["input"]["bytes"], cap);
    assert_eq!(report["input"]["truncated"], true);

    // …and after decompression: 200 MiB of one letter in 200 KiB of gzip stop at
    // the cap.
    let started = Instant::now();
    let r = fetch(&wca, &up.url("/bomb"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), cap);
    let report = analyze_url(&wca, &up.url("/bomb")).json();
    assert_eq!(report["input"]["truncated"], true);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(wca.metric("process_resident_memory_bytes") < (64u64 << 20) as f64);
    assert_fds_settle(&wca, baseline);
}

#[test]
fn upstream_faults_end_in_bounded_errors_with_descriptors_released() {
    let up = upstream();
    let wca = Wca::spawn(
        WCA,
        &[
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
            "--fetch-header-timeout",
            "1",
            "--fetch-timeout",
            "2",
        ],
    );
    let baseline = wca.metric("process_open_fds");

    let started = Instant::now();
    assert_error(&analyze_url(&wca, &up.url("/hang")), 504, "header_timeout");
    assert!(started.elapsed() < Duration::from_secs(5));

    let started = Instant::now();
    assert_error(&analyze_url(&wca, &up.url("/drip")), 504, "fetch_timeout");
    assert_error(
        &analyze_url(&wca, &up.url("/hang-body")),
        504,
        "fetch_timeout",
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    assert_error(
        &analyze_url(&wca, &up.url("/reset")),
        502,
        "upstream_failed",
    );
    assert_error(
        &analyze_url(&wca, &up.url("/lying-length")),
        502,
        "upstream_failed",
    );

    // Streaming, a fault after the head cuts the body short: the client sees an
    // incomplete response, never a silently complete one.
    // (Whether the head got out before the abort is a race; either way the body is
    // not the 100 000 bytes declared.)
    let mut s = TcpStream::connect(wca.addr).unwrap();
    write!(
        s,
        "GET /api/fetch?url={} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        encode(&up.url("/lying-length"))
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    if !raw.is_empty() {
        let r = parse(&raw);
        assert_eq!(r.status, 200);
        assert!(r.body.len() < 100_000);
    }

    // A fetch leaves no connection behind, even one the upstream offered to keep.
    for _ in 0..3 {
        assert_eq!(fetch(&wca, &up.url("/keep-alive")).text(), PAGE);
    }
    assert_fds_settle(&wca, baseline);
    assert_eq!(wca.metric("wca_fetch_in_flight"), 0.0);
}

#[test]
fn concurrency_is_limited_and_a_departed_client_stops_the_upstream() {
    let up = upstream();
    let wca = Wca::spawn(
        WCA,
        &[
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
            "--fetch-concurrency",
            "1",
            "--fetch-wait",
            "3",
        ],
    );
    let baseline = wca.metric("process_open_fds");

    // A browser starts streaming an endless page, reads a little, and goes away.
    let mut s = TcpStream::connect(wca.addr).unwrap();
    write!(
        s,
        "GET /api/fetch?url={} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        encode(&up.url("/endless"))
    )
    .unwrap();
    let mut buf = vec![0u8; 64 << 10];
    s.read_exact(&mut buf).unwrap();
    assert!(eventually(Duration::from_secs(5), || up.open() == 1));

    // Meanwhile the one fetch is taken: a second fetch waits its turn, and is told
    // to retry when none comes within --fetch-wait.
    let asked = Instant::now();
    let busy = fetch(&wca, &up.url("/page"));
    assert_error(&busy, 503, "busy");
    assert_eq!(busy.header("retry-after"), Some("5"));
    assert!(
        asked.elapsed() >= Duration::from_millis(2900),
        "{:?}",
        asked.elapsed()
    );

    // A fetch waiting when the first ends gets its turn.
    let waiting = {
        let (addr, url) = (wca.addr, up.url("/page"));
        std::thread::spawn(move || get(addr, &format!("/api/fetch?url={}", encode(&url))))
    };
    std::thread::sleep(Duration::from_millis(300));
    drop(s);
    let waited = waiting.join().unwrap();
    assert_eq!(waited.status, 200, "{}", waited.text());
    assert_eq!(waited.text(), PAGE);
    assert!(
        eventually(Duration::from_secs(5), || up.open() == 0),
        "the upstream connection must close when the client goes"
    );
    assert_fds_settle(&wca, baseline);
}

#[test]
fn a_slow_page_holds_a_fetch_not_an_analysis_slot() {
    let up = upstream();
    let wca = Wca::spawn(
        WCA,
        &[
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
            "--analysis-slots",
            "1",
            "--analysis-wait",
            "0.5",
            "--fetch-timeout",
            "4",
        ],
    );
    // A page that drips a byte a second: its analysis waits for the body's first
    // 64 KiB (here, its end) before it takes the only slot.
    let slow = {
        let (addr, url) = (wca.addr, up.url("/drip"));
        std::thread::spawn(move || {
            post_json(
                addr,
                "/api/analyze",
                &serde_json::json!({ "url": url, "options": {} }),
            )
        })
    };
    assert!(eventually(Duration::from_secs(5), || up.open() == 1));
    // So another page is analyzed meanwhile, without waiting for the slot.
    let fast = analyze_url(&wca, &up.url("/page"));
    assert_eq!(fast.status, 200, "{}", fast.text());
    assert_eq!(fast.json()["page"]["structure"]["title"], "Fixture page");
    assert!(!slow.is_finished(), "the slow page is still arriving");
    assert_error(&slow.join().unwrap(), 504, "fetch_timeout");
}

#[test]
fn clients_that_never_read_lose_their_fetches_at_the_deadline() {
    let up = upstream();
    let wca = Wca::spawn(
        WCA,
        &[
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
            "--fetch-concurrency",
            "4",
            "--fetch-wait",
            "1",
            "--fetch-timeout",
            "3",
        ],
    );
    // Four clients ask for an 8 MB page through the proxy, with small receive
    // buffers, and never read the answer.
    let request = format!(
        "GET /api/fetch?url={} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        encode(&up.url("/big"))
    );
    let idle: Vec<TcpStream> = (0..4)
        .map(|_| {
            let socket =
                socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
            socket.set_recv_buffer_size(4096).unwrap();
            socket.connect(&wca.addr.into()).unwrap();
            let mut s: TcpStream = socket.into();
            s.write_all(request.as_bytes()).unwrap();
            s
        })
        .collect();
    assert!(
        // A bound, not a timing: generous for a loaded machine.
        eventually(Duration::from_secs(20), || up.open() == 4),
        "the four fetches are running"
    );
    let started = Instant::now();
    // Their fetches are dropped at the deadline though nobody reads them...
    assert!(
        eventually(Duration::from_secs(6), || wca.metric("wca_fetch_in_flight")
            == 0.0),
        "fetches in flight: {}",
        wca.metric("wca_fetch_in_flight")
    );
    assert!(eventually(Duration::from_secs(5), || up.open() == 0));
    // ...so another client is served while they are still connected.
    let r = fetch(&wca, &up.url("/page"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), PAGE);
    assert!(started.elapsed() < Duration::from_secs(8));
    drop(idle);
}

#[test]
fn a_body_framed_by_chunks_and_a_length_is_read_by_its_chunks_and_must_end() {
    let up = upstream();
    let wca = Wca::spawn(WCA, &["--allow-net", "127.0.0.1/32", "--allow-port", "any"]);
    let r = fetch(&wca, &up.url("/length-and-chunked"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), "the whole body, chunk by chunk.\n");
    let report = analyze_url(&wca, &up.url("/length-and-chunked"));
    assert_eq!(report.status, 200, "{}", report.text());
    assert_eq!(report.json()["counts"]["words"], 6);

    // awc ends a chunked body quietly when the connection closes, last chunk or
    // not: the fetcher tells them apart.
    for path in ["/cut-chunks", "/cut-at-a-chunk"] {
        assert_error(&analyze_url(&wca, &up.url(path)), 502, "upstream_failed");
    }
}

#[test]
fn the_access_log_has_a_line_per_request_and_says_what_the_fetcher_decided() {
    let up = upstream();
    let log = std::env::temp_dir().join(format!("wca-access-{}.log", std::process::id()));
    let wca = Wca::start(
        std::path::Path::new(WCA),
        &["--allow-net", "127.0.0.1/32", "--allow-port", "any"],
        Some(&log),
    )
    .unwrap();
    assert_eq!(fetch(&wca, &up.url("/page")).status, 200);
    assert_eq!(fetch(&wca, "http://10.1.2.3/").status, 403);
    assert_eq!(analyze_url(&wca, &up.url("/missing")).status, 502);
    assert_eq!(get(wca.addr, "/healthz").status, 200);
    let lines = |needles: &[&str]| -> Vec<String> {
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .filter(|l| l.contains("wca::access") && needles.iter().all(|n| l.contains(n)))
            .map(String::from)
            .collect()
    };
    let upstream_addr = format!("connected={}", up.addr);
    let wanted: [&[&str]; 4] = [
        &[
            "method=GET",
            "route=/api/fetch",
            "status=200",
            "fetch=allowed",
            &upstream_addr,
            "client=127.0.0.1",
            "bytes=",
        ],
        &[
            "route=/api/fetch",
            "status=403",
            "fetch=refused",
            "error=address_not_allowed",
            "connected=-",
        ],
        &[
            "method=POST",
            "route=/api/analyze",
            "status=502",
            "fetch=failed",
            "error=upstream_status",
        ],
        &["route=/healthz", "status=200", "fetch=-"],
    ];
    for needles in wanted {
        assert!(
            eventually(Duration::from_secs(5), || lines(needles).len() == 1),
            "{needles:?} in:\n{}",
            std::fs::read_to_string(&log).unwrap()
        );
    }
    // The refused address itself is the operator's to read, never the client's.
    assert!(lines(&["ms="]).len() >= 4);
    drop(wca);
    let _ = std::fs::remove_file(&log);
}

/// An https upstream on 127.0.0.1 with a certificate from the test CA
/// (`tests/data/tls`, valid for IP 127.0.0.1 until 2126). It answers `/to-http/PORT`
/// with a redirect to `http://127.0.0.1:PORT/page`, `/to-https` with one to its own
/// `/page`, and everything else with [`PAGE`].
fn tls_upstream() -> (std::net::SocketAddr, Arc<std::sync::atomic::AtomicUsize>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls");
    let certs: Vec<_> = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handshakes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let done = handshakes.clone();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let (config, done) = (config.clone(), done.clone());
            std::thread::spawn(move || {
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let head = String::from_utf8_lossy(&head);
                let path = head.split(' ').nth(1).unwrap_or("/");
                let _ = match path.strip_prefix("/to-http/") {
                    Some(port) => write!(
                        tls,
                        "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}/page\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    ),
                    None if path == "/to-https" => write!(
                        tls,
                        "HTTP/1.1 301 Moved\r\nLocation: /page\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    ),
                    None => write!(
                        tls,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                        PAGE.len()
                    ),
                };
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    (addr, handshakes)
}

/// With loopback allowed but not the fixture's port, the port is refused before
/// any connection; `--allow-port` lets it through.
#[test]
fn ports_other_than_the_web_s_need_allowing() {
    let up = upstream();
    let port = up.addr.port();
    let url = up.url("/page");
    let strict = Wca::spawn(WCA, &["--allow-net", "127.0.0.1/32"]);
    assert_error(&fetch(&strict, &url), 403, "port_not_allowed");
    assert_error(&analyze_url(&strict, &url), 403, "port_not_allowed");
    assert_eq!(
        up.connections(),
        0,
        "a refused port must not be connected to"
    );
    let port = port.to_string();
    let allowing = Wca::spawn(WCA, &["--allow-net", "127.0.0.1/32", "--allow-port", &port]);
    assert_eq!(fetch(&allowing, &url).status, 200);
    assert!(up.connections() > 0);
}

#[test]
fn https_is_verified_against_trusted_authorities() {
    let (addr, handshakes) = tls_upstream();
    let url = format!("https://{addr}/page");
    let ca = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls/ca.pem");

    // The test CA is not among the Mozilla roots: the certificate is refused.
    let strict = Wca::spawn(WCA, &["--allow-net", "127.0.0.1/32", "--allow-port", "any"]);
    assert_error(&fetch(&strict, &url), 502, "connect_failed");
    assert_eq!(handshakes.load(std::sync::atomic::Ordering::SeqCst), 0);

    // Trusted through --fetch-ca-file, the page comes through, verified.
    let trusting = Wca::spawn(
        WCA,
        &[
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
            "--fetch-ca-file",
            ca.to_str().unwrap(),
        ],
    );
    let r = fetch(&trusting, &url);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), PAGE);
    let report = analyze_url(&trusting, &url).json();
    assert_eq!(report["page"]["structure"]["title"], "Fixture page");

    // A redirect within https is followed; one from https to http is refused
    // before the http address is connected to.
    let r = fetch(&trusting, &format!("https://{addr}/to-https"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.text(), PAGE);
    let up = upstream();
    let plain = format!("https://{addr}/to-http/{}", up.addr.port());
    assert_error(&fetch(&trusting, &plain), 502, "redirect_downgrade");
    assert_error(&analyze_url(&trusting, &plain), 502, "redirect_downgrade");
    assert_eq!(up.connections(), 0, "the http page must not be asked for");
    assert_eq!(fetch(&trusting, &up.url("/page")).status, 200);
}
