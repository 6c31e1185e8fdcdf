//! `wca serve` over real HTTP on loopback: the server runs in-process on port 0 and
//! the test speaks HTTP/1.1 to it through a plain socket.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use crate::common::*;

const TOKEN: &str = "operator-token-for-tests";

/// A listing of every analysis, as the operator asks for it.
fn list(addr: SocketAddr, path: &str) -> Response {
    let auth = format!("Bearer {TOKEN}");
    request_with(addr, "GET", path, &[("Authorization", &auth)], b"")
}

/// An in-process server with a small history and the given body limit.
fn server(max_body_bytes: u64) -> SocketAddr {
    let mut config = config();
    config.max_body_bytes = max_body_bytes;
    config.history = 3;
    config.workers = 1;
    config.admin_token = Some(TOKEN.into());
    // The tests' servers share one process, whose resident memory is not theirs
    // alone; shedding is tested on a server of its own (lifecycle.rs).
    config.shed_rss_bytes = u64::MAX;
    crate::common::server(config)
}

#[test]
fn the_page_is_served_with_security_headers() {
    let addr = server(1 << 20);
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(String::from_utf8_lossy(&r.body).contains("Web Content Analyzer"));
    let csp = r.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r.header("referrer-policy").is_some());
    assert_eq!(get(addr, "/no-such-file").status, 404);
}

#[test]
fn analysis_over_http_equals_the_command_line() {
    let addr = server(1 << 20);
    let page = std::fs::read(data("html/blog.html")).unwrap();
    let r = request(
        addr,
        "POST",
        "/api/analyze",
        "text/html; charset=utf-8",
        &page,
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let served = r.json();
    let file = std::env::temp_dir().join(format!("wca-serve-{}.html", std::process::id()));
    std::fs::write(&file, &page).unwrap();
    let cli = Command::new(env!("CARGO_BIN_EXE_wca"))
        .args(["analyze", "--json"])
        .arg(&file)
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    // The only hint that differs: the server's Content-Type carries a charset.
    let (mut served_input, mut cli_input) = (served["input"].clone(), cli["input"].clone());
    served_input["encoding_source"] = serde_json::Value::Null;
    cli_input["encoding_source"] = serde_json::Value::Null;
    assert_eq!(served_input, cli_input);
    assert_eq!(served["counts"], cli["counts"]);
    assert_eq!(served["page"], cli["page"]);
    assert_eq!(served["frequencies"], cli["frequencies"]);

    // The analysis is in the history, newest first, and can be fetched again.
    let location = r.header("location").unwrap().to_string();
    assert_eq!(get(addr, &location).json(), served);
    // Whoever holds its id can list it.
    let id = location.rsplit('/').next().unwrap();
    let list = get(addr, &format!("/api/analyses?ids={id}")).json();
    assert_eq!(
        list["items"][0]["title"],
        served["page"]["structure"]["title"]
    );
}

#[test]
fn options_come_in_the_query_and_bad_ones_are_clear_errors() {
    let addr = server(1 << 20);
    let opts = "%7B%22tokenizer%22%3A%22whitespace%22%2C%22top%22%3A1%7D"; // {"tokenizer":"whitespace","top":1}
    let r = request(
        addr,
        "POST",
        &format!("/api/analyze?options={opts}"),
        "text/plain",
        b"a-b a-b c",
    );
    assert_eq!(r.status, 200);
    let json = r.json();
    assert_eq!(json["counts"]["words"], 3);
    assert_eq!(
        json["frequencies"]["words"]["top"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let bad = "%7B%22top%22%3A0%7D"; // {"top":0}
    let r = request(
        addr,
        "POST",
        &format!("/api/analyze?options={bad}"),
        "text/plain",
        b"x",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "bad_options");
    assert!(r.json()["message"].as_str().unwrap().contains("`top`"));

    // A large report goes out in pieces, with its length up front.
    let text: String = (0..3000).map(|i| format!("w{i} ")).collect();
    let r = request(
        addr,
        "POST",
        &format!("/api/analyze?options={}", encode(r#"{"top":1000}"#)),
        "text/plain",
        text.as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert!(r.body.len() > 100_000, "{} bytes", r.body.len());
    assert_eq!(r.header("content-length"), Some(&*r.body.len().to_string()));
    assert_eq!(r.json()["counts"]["unique_words"], 3000);

    // Nor a report longer than the server allows (`--max-top`, 1000).
    let long = serde_json::json!({ "top": 1001 });
    let r = request(
        addr,
        "POST",
        &format!("/api/analyze?options={}", encode(&long.to_string())),
        "text/plain",
        b"x",
    );
    assert_eq!(r.status, 400);
    assert!(
        r.json()["message"].as_str().unwrap().contains("top 1001"),
        "{}",
        r.text()
    );

    // One analysis may not claim more memory than the server allows (`--max-distinct`).
    let greedy = serde_json::json!({ "max_distinct": wca_core::DEFAULT_MAX_DISTINCT + 1 });
    let r = request(
        addr,
        "POST",
        &format!("/api/analyze?options={}", encode(&greedy.to_string())),
        "text/plain",
        b"x",
    );
    assert_eq!(r.status, 400);
    assert!(
        r.json()["message"].as_str().unwrap().contains("limit"),
        "{}",
        r.text()
    );
    let r = post_json(
        addr,
        "/api/analyze",
        &serde_json::json!({ "url": "http://example.com/", "options": greedy }),
    );
    assert_eq!(r.status, 400, "refused before any fetch: {}", r.text());
}

#[test]
fn analyses_wait_for_a_slot_and_a_stalled_upload_is_cut_off() {
    let mut config = config();
    config.workers = 1;
    config.analysis_slots = 1;
    config.analysis_wait = std::time::Duration::from_millis(300);
    config.upload_timeout = std::time::Duration::from_secs(4);
    config.shed_rss_bytes = u64::MAX;
    let addr = crate::common::server(config);

    // An upload that sends part of its body and stalls holds the only slot...
    let mut stalled = std::net::TcpStream::connect(addr).unwrap();
    stalled
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stalled
        .write_all(
            b"POST /api/analyze HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n\
              Content-Length: 100\r\n\r\nsome words",
        )
        .unwrap();
    assert!(eventually(std::time::Duration::from_secs(5), || {
        metric(addr, "wca_analyses_running") == 1.0
    }));

    // ...so the next analysis waits `--analysis-wait` and is told to come back.
    let r = request(addr, "POST", "/api/analyze", "text/plain", b"more words");
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["error"], "busy");
    assert_eq!(r.header("retry-after"), Some("5"));
    assert_eq!(metric(addr, "wca_analysis_busy_total"), 1.0);

    // The stalled upload ends at `--upload-timeout` with 408, which frees the slot.
    let mut raw = Vec::new();
    let _ = std::io::Read::read_to_end(&mut stalled, &mut raw);
    let r = parse(&raw);
    assert_eq!(r.status, 408, "{}", r.text());
    assert_eq!(r.json()["error"], "body_timeout");
    assert_eq!(metric(addr, "wca_analyses_running"), 0.0);
    let r = request(addr, "POST", "/api/analyze", "text/plain", b"more words");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["counts"]["words"], 2);
}

#[test]
fn an_upload_holds_a_slot_only_once_it_sends_and_a_trickle_is_cut_off() {
    use std::time::{Duration, Instant};
    let mut config = config();
    config.workers = 1;
    config.analysis_slots = 1;
    config.analysis_wait = Duration::from_millis(300);
    config.upload_timeout = Duration::from_secs(30);
    config.upload_min_rate = 1000;
    config.shed_rss_bytes = u64::MAX;
    let addr = crate::common::server(config);
    let head = |len: usize| {
        format!(
            "POST /api/analyze HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n\
             Content-Length: {len}\r\n\r\n"
        )
    };
    // A client that sends its head and nothing more holds no slot...
    let mut silent = std::net::TcpStream::connect(addr).unwrap();
    silent.write_all(head(100).as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let r = request(addr, "POST", "/api/analyze", "text/plain", b"more words");
    assert_eq!(r.status, 200, "{}", r.text());
    // ...and one that trickles a byte every half second (2 bytes/s against a floor of
    // 1000) is cut off soon after the grace, long before the upload timeout.
    let started = Instant::now();
    let mut trickle = std::net::TcpStream::connect(addr).unwrap();
    trickle
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    trickle.write_all(head(1000).as_bytes()).unwrap();
    trickle.write_all(b"w").unwrap();
    let writer = {
        let mut trickle = trickle.try_clone().unwrap();
        std::thread::spawn(move || {
            for _ in 0..40 {
                std::thread::sleep(Duration::from_millis(500));
                if trickle.write_all(b"w").is_err() {
                    break;
                }
            }
        })
    };
    let mut raw = Vec::new();
    let _ = std::io::Read::read_to_end(&mut trickle, &mut raw);
    let took = started.elapsed();
    let r = parse(&raw);
    assert_eq!(r.status, 408, "{}", r.text());
    assert_eq!(r.json()["error"], "upload_too_slow");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert_eq!(metric(addr, "wca_analyses_running"), 0.0);
    drop(silent);
    writer.join().unwrap();
}

/// Starts an upload that sends its first bytes and stalls, with `headers`; returns
/// its connection once it holds a slot.
fn stalled_upload(addr: SocketAddr, headers: &str) -> std::net::TcpStream {
    let running = metric(addr, "wca_analyses_running");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/analyze HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Type: text/plain\r\n\
         Content-Length: 100\r\n\r\nsome words"
    )
    .unwrap();
    assert!(eventually(std::time::Duration::from_secs(5), || {
        metric(addr, "wca_analyses_running") == running + 1.0
    }));
    s
}

#[test]
fn one_client_cannot_take_more_than_its_share() {
    let mut config = config();
    config.workers = 1;
    config.client_concurrency = 2;
    config.shed_rss_bytes = u64::MAX;
    let addr = crate::common::server(config);
    let words = b"some words".as_slice();
    let held = [stalled_upload(addr, ""), stalled_upload(addr, "")];
    // A third request from the same address is told to come back...
    for headers in [
        vec![("Content-Type", "text/plain")],
        // ...whatever X-Forwarded-For it claims: no proxy is trusted here.
        vec![
            ("Content-Type", "text/plain"),
            ("X-Forwarded-For", "192.0.2.9"),
        ],
    ] {
        let r = request_with(addr, "POST", "/api/analyze", &headers, words);
        assert_eq!(r.status, 429, "{}", r.text());
        assert_eq!(r.json()["error"], "too_many_requests");
        assert_eq!(r.header("retry-after"), Some("5"));
    }
    let r = get(
        addr,
        &format!("/api/fetch?url={}", encode("http://example.org/")),
    );
    assert_eq!(r.status, 429, "fetches count too: {}", r.text());
    assert_eq!(metric(addr, "wca_client_limited_total"), 3.0);
    assert_eq!(metric(addr, "wca_clients_active"), 1.0);
    // Its turns come back when its requests end.
    drop(held);
    assert!(eventually(std::time::Duration::from_secs(5), || {
        metric(addr, "wca_clients_active") == 0.0
    }));
    let r = request(addr, "POST", "/api/analyze", "text/plain", words);
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn behind_a_trusted_proxy_the_client_is_the_forwarded_address() {
    let mut config = config();
    config.workers = 1;
    config.client_concurrency = 1;
    config.trusted_proxy = vec!["127.0.0.0/8".parse().unwrap()];
    config.shed_rss_bytes = u64::MAX;
    let addr = crate::common::server(config);
    let words = b"some words".as_slice();
    let _held = stalled_upload(addr, "X-Forwarded-For: 192.0.2.1\r\n");
    let from = |xff: &str| {
        request_with(
            addr,
            "POST",
            "/api/analyze",
            &[("Content-Type", "text/plain"), ("X-Forwarded-For", xff)],
            words,
        )
    };
    // Another client behind the proxy is served; the same one is not, even when it
    // puts an address of its choosing in front (only the proxy's entry counts).
    assert_eq!(from("192.0.2.2").status, 200);
    assert_eq!(from("192.0.2.1").status, 429);
    assert_eq!(from("198.51.100.7, 192.0.2.1").status, 429);
    // Proxies in the chain are skipped: the client is the last untrusted entry.
    assert_eq!(from("192.0.2.1, 127.0.0.5").status, 429);
}

#[test]
fn only_its_own_host_names_are_served_and_the_api_only_to_its_own_page() {
    let mut config = config();
    config.workers = 1;
    config.public_host = vec!["localhost".into(), "wca.example".into()];
    config.shed_rss_bytes = u64::MAX;
    let addr = crate::common::server(config);
    let port = addr.port().to_string();
    let at = |host: &str, path: &str| request_with(addr, "GET", path, &[("Host", host)], b"");
    // A name rebound to this address by another site is not answered, on any route.
    for path in ["/", "/api/analyses", "/healthz"] {
        let r = at("rebind.attacker.example", path);
        assert_eq!(r.status, 421, "{path}: {}", r.text());
        assert_eq!(r.json()["error"], "unknown_host");
        assert_eq!(
            at(&format!("rebind.attacker.example:{port}"), path).status,
            421
        );
    }
    // Its own names and any IP literal are.
    for host in [
        format!("localhost:{port}"),
        format!("wca.example:{port}"),
        format!("127.0.0.1:{port}"),
        "[::1]".to_string(),
    ] {
        assert_eq!(at(&host, "/api/analyses?ids=").status, 200, "{host}");
    }
    // The API refuses what a browser says comes from another site...
    let post = |headers: &[(&str, &str)]| {
        let mut all = vec![("Content-Type", "text/plain")];
        all.extend_from_slice(headers);
        request_with(addr, "POST", "/api/analyze", &all, b"some words")
    };
    for headers in [
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![("Sec-Fetch-Site", "same-site")],
        vec![("Origin", "http://attacker.example")],
        vec![("Origin", "null")],
    ] {
        let r = post(&headers);
        assert_eq!(r.status, 403, "{headers:?}: {}", r.text());
        assert_eq!(r.json()["error"], "cross_site");
    }
    // ...and answers its own page, and clients that are not browsers.
    for headers in [
        vec![("Sec-Fetch-Site", "same-origin")],
        vec![("Origin", "http://localhost")],
        vec![],
    ] {
        assert_eq!(post(&headers).status, 200, "{headers:?}");
    }
    // The page itself may be opened from anywhere (a link is cross-site).
    let r = request_with(addr, "GET", "/", &[("Sec-Fetch-Site", "cross-site")], b"");
    assert_eq!(r.status, 200);
}

#[test]
fn the_history_is_private() {
    let addr = server(1 << 20);
    let r = request(
        addr,
        "POST",
        "/api/analyze",
        "text/plain",
        b"my private words",
    );
    let location = r.header("location").unwrap().to_string();
    let id = location.strip_prefix("/api/analyses/").unwrap().to_string();
    assert!(
        id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        "128 random bits: {id}"
    );
    // Its holder reads it; a guessed id, or one next to it, finds nothing.
    assert_eq!(get(addr, &location).json(), r.json());
    let mut near = id.clone().into_bytes();
    near[31] = if near[31] == b'0' { b'1' } else { b'0' };
    let near = String::from_utf8(near).unwrap();
    for guess in [near.as_str(), "00000000000000000000000000000001", "1", "0"] {
        let r = get(addr, &format!("/api/analyses/{guess}"));
        assert_eq!(r.status, 404, "{guess}");
        assert_eq!(r.json()["error"], "not_found");
    }
    // Listing by ids shows only the ids asked for that exist.
    let mine = get(addr, &format!("/api/analyses?ids={id},{near},junk")).json();
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], id.as_str());
    // Listing everyone's takes the operator's token.
    for auth in [None, Some("Bearer wrong"), Some("operator-token-for-tests")] {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        let r = request_with(addr, "GET", "/api/analyses", &headers, b"");
        assert_eq!(r.status, 401, "{auth:?}: {}", r.text());
        assert_eq!(r.json()["error"], "unauthorized");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    }
    assert_eq!(list(addr, "/api/analyses").status, 200);
    // Without a token configured, nobody lists.
    let mut config = config();
    config.shed_rss_bytes = u64::MAX;
    config.admin_token = Some(" ".into());
    let open = crate::common::server(config);
    let r = list(open, "/api/analyses");
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.json()["error"], "listing_off");
}

#[test]
fn the_history_keeps_whole_reports_within_its_byte_budget() {
    let mut config = config();
    config.workers = 1;
    config.history = 100;
    config.history_bytes = 200 << 10;
    config.admin_token = Some(TOKEN.into());
    config.shed_rss_bytes = u64::MAX;
    let addr = crate::common::server(config);
    // Reports of about 50 KiB each: distinct words, the top 1000 listed.
    let mut ids = Vec::new();
    for i in 0..20 {
        let text: String = (0..3000).map(|j| format!("w{i}x{j} ")).collect();
        let r = request(
            addr,
            "POST",
            &format!("/api/analyze?options={}", encode(r#"{"top":1000}"#)),
            "text/plain",
            text.as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.body.len() > 30 << 10, "{}", r.body.len());
        ids.push(r.header("location").unwrap().to_string());
        assert!(metric(addr, "wca_history_bytes") <= (200 << 10) as f64);
    }
    // The newest reports are whole, the oldest summaries only.
    assert_eq!(get(addr, ids.last().unwrap()).status, 200);
    let r = get(addr, &ids[0]);
    assert_eq!(r.status, 410, "{}", r.text());
    assert_eq!(r.json()["error"], "report_dropped");
    let listed = list(addr, "/api/analyses?limit=100").json();
    assert_eq!(listed["total"], 20);
    assert_eq!(listed["items"][0]["report"], true);
    assert_eq!(listed["items"][19]["report"], false);
}

#[test]
fn bodies_over_the_limit_are_refused_and_the_history_is_bounded() {
    let addr = server(1000);
    let r = request(
        addr,
        "POST",
        "/api/analyze",
        "text/plain",
        &vec![b'a'; 5000],
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"], "too_large");
    for i in 0..5 {
        assert_eq!(
            request(
                addr,
                "POST",
                "/api/analyze",
                "text/plain",
                format!("text {i}").as_bytes()
            )
            .status,
            200
        );
    }
    let listed = list(addr, "/api/analyses?limit=10").json();
    assert_eq!(listed["total"], 3, "history capacity is 3");
    assert_eq!(get(addr, "/api/analyses/1").status, 404);
    assert_eq!(get(addr, "/api/analyses/1").json()["error"], "not_found");
    // Listing parameters are the client's to get right: 400, whatever keeps the
    // history.
    let r = list(addr, "/api/analyses?offset=9223372036854775808");
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(r.json()["error"], "bad_options");
    assert_eq!(
        list(addr, "/api/analyses?offset=2").json()["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn health_and_metrics() {
    let addr = server(1 << 20);
    assert_eq!(get(addr, "/healthz").json()["status"], "ok");
    assert_eq!(get(addr, "/readyz").status, 200);
    request(addr, "POST", "/api/analyze", "text/plain", b"one two");
    let text = String::from_utf8(get(addr, "/metrics").body).unwrap();
    for name in [
        "process_resident_memory_bytes",
        "process_virtual_memory_bytes",
        "process_open_fds",
        "process_max_fds",
        "process_cpu_seconds_total",
        "process_start_time_seconds",
        "wca_http_requests_total{route=\"/api/analyze\",status=\"2xx\"} 1",
        "wca_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1",
        "wca_analyzed_bytes_total 7",
    ] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
    let rss: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("process_resident_memory_bytes "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(rss > 1 << 20, "{rss}");
    // glibc tells what of that memory is live; other C libraries cannot.
    if cfg!(all(target_os = "linux", target_env = "gnu")) {
        let figure = |name: &str| -> u64 {
            let line = text.lines().find_map(|l| l.strip_prefix(name));
            line.unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
                .trim()
                .parse()
                .unwrap()
        };
        let in_use = figure("wca_heap_in_use_bytes ");
        assert!(in_use > 0, "heap in use {in_use}");
        figure("wca_heap_free_bytes ");
    }
    let json = get(addr, "/api/metrics").json();
    assert!(json["process"]["resident_memory_bytes"].as_u64().unwrap() > 0);

    // promtool (from Debian's prometheus package) must accept the exposition.
    let promtool = std::env::var_os("PROMTOOL").map(PathBuf::from).or_else(|| {
        let local = root().join("target/tools/promtool");
        local.exists().then_some(local)
    });
    let promtool =
        promtool.expect("promtool is missing; `cargo xtask test` installs it (or set PROMTOOL)");
    let mut check = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    check
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = check.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn page_files_come_from_memory_with_etags_and_nothing_outside_the_folder() {
    let addr = server(1 << 20);
    let index = get(addr, "/index.html");
    assert_eq!(index.status, 200);
    assert_eq!(index.body, get(addr, "/").body);
    assert_eq!(
        index.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let etag = index.header("etag").unwrap().to_string();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nIf-None-Match: {etag}\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut s, &mut raw).unwrap();
    let cached = parse(&raw);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());

    let css = get(addr, "/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    let head = request(addr, "HEAD", "/style.css", "text/plain", b"");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        Some(&*css.body.len().to_string())
    );
    assert_eq!(
        request(addr, "POST", "/style.css", "text/plain", b"x").status,
        405
    );
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "//etc/passwd",
        "/.gitignore",
    ] {
        assert_eq!(get(addr, path).status, 404, "{path}");
    }
}
