//! Load shedding above the memory threshold, and graceful shutdown on SIGTERM and
//! SIGINT, against `wca serve` as a child process.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn above_the_memory_threshold_work_is_shed_and_health_still_answers() {
    let up = Upstream::start(std::sync::Arc::new(|_: &str, s| {
        respond(s, "200 OK", &[("Content-Type", "text/plain")], b"words")
    }));
    // Any process is above one mebibyte.
    let wca = Wca::spawn(
        WCA,
        &[
            "--shed-rss-bytes",
            "1048576",
            "--allow-net",
            "127.0.0.1/32",
            "--allow-port",
            "any",
        ],
    );
    let r = request(
        wca.addr,
        "POST",
        "/api/analyze",
        "text/plain",
        b"some words",
    );
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["error"], "overloaded");
    assert_eq!(r.header("retry-after"), Some("5"));
    let r = get(
        wca.addr,
        &format!("/api/fetch?url={}", encode(&up.url("/"))),
    );
    assert_eq!(r.status, 503);
    assert_eq!(up.connections(), 0, "a shed fetch goes nowhere");

    assert_eq!(get(wca.addr, "/healthz").status, 200);
    assert_eq!(get(wca.addr, "/readyz").status, 200);
    assert_eq!(get(wca.addr, "/").status, 200);
    assert_eq!(get(wca.addr, "/api/metrics").status, 200);
    assert_eq!(wca.metric("wca_shed_requests_total"), 2.0);

    // With the default threshold the same request goes through.
    let calm = Wca::spawn(WCA, &[]);
    let r = request(
        calm.addr,
        "POST",
        "/api/analyze",
        "text/plain",
        b"some words",
    );
    assert_eq!(r.status, 200);
    assert_eq!(calm.metric("wca_shed_requests_total"), 0.0);
}

/// Sends the head and half the body of an upload, returning the open connection.
#[test]
fn a_flood_of_large_reports_leaves_memory_below_the_threshold() {
    // The attack the history once fell to: uploads of 1.35 MB of distinct words,
    // each asking for long lists, their reports kept until memory sat at the
    // shedding threshold and large analyses were refused until a restart.
    let wca = Wca::spawn(
        WCA,
        &[
            "--shed-rss-bytes",
            "201326592",
            "--history-bytes",
            "8388608",
        ],
    );
    let too_long = format!("/api/analyze?options={}", encode(r#"{"top":10000}"#));
    let r = request(wca.addr, "POST", &too_long, "text/plain", b"words");
    assert_eq!(r.status, 400, "the lists are capped: {}", r.text());
    let path = format!("/api/analyze?options={}", encode(r#"{"top":1000}"#));
    let mut kept = 0.0f64;
    for i in 0..60 {
        let text: String = (0..150_000).map(|j| format!("q{i}z{j} ")).collect();
        let r = request(
            wca.addr,
            "POST",
            &path,
            "text/plain",
            &text.as_bytes()[..1_350_000],
        );
        assert_eq!(r.status, 200, "upload {i}: {}", r.text());
        kept = kept.max(wca.metric("wca_history_bytes"));
    }
    let rss = wca.metric("process_resident_memory_bytes");
    assert!(rss < 192.0 * 1048576.0, "resident {} MiB", rss / 1048576.0);
    assert!(kept <= 8.0 * 1048576.0, "history held {kept} bytes");
    assert_eq!(wca.metric("wca_shed_requests_total"), 0.0);
    // And a large analysis after the flood is served.
    let text: String = (0..150_000).map(|j| format!("after{j} ")).collect();
    let r = request(wca.addr, "POST", &path, "text/plain", text.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
}

fn start_upload(wca: &Wca, body: &[u8]) -> TcpStream {
    let mut s = TcpStream::connect(wca.addr).unwrap();
    write!(
        s,
        "POST /api/analyze HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.write_all(&body[..body.len() / 2]).unwrap();
    s.flush().unwrap();
    s
}

fn signal(wca: &Wca, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &wca.child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

fn wait_exit(wca: &mut Wca, within: Duration) -> std::process::ExitStatus {
    let end = Instant::now() + within;
    loop {
        if let Some(status) = wca.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < end, "wca did not exit within {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sigterm_stops_accepting_and_lets_in_flight_requests_finish() {
    for sig in ["TERM", "INT"] {
        let mut wca = Wca::spawn(WCA, &["--grace", "20"]);
        let body = "in flight ".repeat(10_000);
        let mut upload = start_upload(&wca, body.as_bytes());
        std::thread::sleep(Duration::from_millis(200));
        signal(&wca, sig);

        // New connections are refused once the listener is closed.
        assert!(
            eventually(Duration::from_secs(5), || {
                TcpStream::connect(wca.addr)
                    .map(|mut s| {
                        let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
                        let mut buf = [0u8; 1];
                        s.set_read_timeout(Some(Duration::from_secs(1))).unwrap();
                        !matches!(s.read(&mut buf), Ok(1))
                    })
                    .unwrap_or(true)
            }),
            "SIG{sig}: still accepting"
        );
        assert!(
            wca.child.try_wait().unwrap().is_none(),
            "exited before the upload ended"
        );

        // The request in flight completes.
        upload
            .write_all(&body.as_bytes()[body.len() / 2..])
            .unwrap();
        let mut raw = Vec::new();
        upload.read_to_end(&mut raw).unwrap();
        let r = parse(&raw);
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["counts"]["words"], 20_000);

        let status = wait_exit(&mut wca, Duration::from_secs(10));
        assert!(status.success(), "SIG{sig}: {status}");
    }
}

#[test]
fn the_grace_period_bounds_shutdown() {
    let mut wca = Wca::spawn(WCA, &["--grace", "1"]);
    let body = vec![b'x'; 1000];
    // This upload never finishes; shutdown must not wait for it beyond the grace.
    let _stalled = start_upload(&wca, &body);
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    signal(&wca, "TERM");
    wait_exit(&mut wca, Duration::from_secs(10));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
