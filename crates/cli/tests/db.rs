//! History in a real PostgreSQL: a throwaway cluster per test (initdb + pg_ctl on a
//! free port), killed and restarted under the server to check outage, recovery and
//! pool exhaustion; and two replicas sharing one database as their cache.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;

fn with_db(url: &str) -> wca_server::Config {
    let mut config = config();
    config.workers = 2;
    config.db.database_url = Some(url.to_string());
    config.db.db_connect_timeout = Duration::from_secs(1);
    config.admin_token = Some(TOKEN.into());
    // The servers run inside the test process, whose resident memory is every
    // parallel test's: shedding on it would fail these by chance, as in serve.rs.
    config.shed_rss_bytes = u64::MAX;
    config
}

const TOKEN: &str = "operator-token-for-tests";

/// A listing of every analysis, as the operator asks for it.
fn list(addr: std::net::SocketAddr, path: &str) -> Response {
    let auth = format!("Bearer {TOKEN}");
    request_with(addr, "GET", path, &[("Authorization", &auth)], b"")
}

fn upload(addr: std::net::SocketAddr, text: &str) -> Response {
    request(addr, "POST", "/api/analyze", "text/plain", text.as_bytes())
}

fn assert_unavailable(r: &Response) {
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["error"], "database_unavailable", "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("5"));
}

#[test]
fn history_survives_a_database_outage_and_recovers_without_restart() {
    let pg = Postgres::start();
    let addr = server(with_db(&pg.url()));
    let r = upload(addr, "first words before the outage");
    assert_eq!(r.status, 200);
    let location = r.header("location").expect("saved").to_string();
    let listed = list(addr, "/api/analyses").json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["words"], 5);
    // An offset past PostgreSQL's bigint is refused before the query, not a
    // database error.
    let bad = list(addr, "/api/analyses?offset=9223372036854775808");
    assert_eq!(
        (bad.status, bad.json()["error"].as_str()),
        (400, Some("bad_options"))
    );
    assert_eq!(get(addr, &location).json(), r.json());
    assert_eq!(get(addr, "/readyz").json()["database"], "ok");
    assert_eq!(metric(addr, "wca_db_up"), 1.0);

    pg.kill();
    // Analysis goes on; history says what is wrong, at once.
    let r = upload(addr, "words during the outage");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["counts"]["words"], 4);
    assert!(r.header("location").is_none(), "nothing was saved");
    let started = Instant::now();
    assert_unavailable(&list(addr, "/api/analyses"));
    assert_unavailable(&get(addr, &location));
    assert!(started.elapsed() < Duration::from_secs(5));
    let ready = get(addr, "/readyz");
    assert_eq!(ready.status, 200);
    // What is wrong, not where: no port, address or PostgreSQL text for clients.
    for text in [ready.text(), get(addr, "/api/metrics").text()] {
        assert!(
            !text.contains(&pg.port.to_string())
                && !text.contains("127.0.0.1")
                && !text.to_lowercase().contains("refused"),
            "{text}"
        );
    }
    assert_eq!(ready.json()["status"], "degraded");
    assert!(
        ready.json()["database"]
            .as_str()
            .unwrap()
            .contains("unavailable"),
        "{}",
        ready.text()
    );
    assert_eq!(get(addr, "/healthz").status, 200);
    assert_eq!(metric(addr, "wca_db_up"), 0.0);

    pg.ctl_start();
    assert!(
        eventually(Duration::from_secs(15), || list(addr, "/api/analyses")
            .status
            == 200),
        "history must come back without a restart"
    );
    let r = upload(addr, "after recovery");
    assert!(r.header("location").is_some());
    let listed = list(addr, "/api/analyses").json();
    assert_eq!(listed["total"], 2, "{listed}");
    assert_eq!(
        listed["items"][1]["words"], 5,
        "the first analysis survived"
    );
    assert_eq!(get(addr, "/readyz").json()["status"], "ready");
}

#[test]
fn a_database_down_at_start_is_migrated_when_it_comes_up() {
    // Reserve a port, start nothing there yet.
    let pg = Postgres::start();
    pg.kill();
    let addr = server(with_db(&pg.url()));
    let r = upload(addr, "analysis works without the database");
    assert_eq!(r.status, 200);
    assert_unavailable(&list(addr, "/api/analyses"));
    assert_eq!(get(addr, "/readyz").json()["status"], "degraded");

    pg.ctl_start();
    assert!(eventually(Duration::from_secs(15), || list(
        addr,
        "/api/analyses"
    )
    .status
        == 200));
    assert!(upload(addr, "now it is saved").header("location").is_some());
    assert_eq!(list(addr, "/api/analyses").json()["total"], 1);
}

#[test]
fn an_exhausted_pool_answers_503_at_once() {
    let pg = Postgres::start();
    let mut config = with_db(&pg.url());
    config.db.db_pool_size = 1;
    config.db.db_wait_timeout = Duration::from_millis(200);
    config.db.db_statement_timeout_ms = 4000;
    let addr = server(config);
    assert_eq!(upload(addr, "migrate first").status, 200);

    // Another client locks the table, so the next insert holds the pool's only
    // connection while it waits.
    let url = pg.url();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let locker = std::thread::spawn(move || {
        actix_rt::System::new().block_on(async move {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap();
            actix_rt::spawn(conn);
            client
                .batch_execute("BEGIN; LOCK TABLE analyses IN ACCESS EXCLUSIVE MODE")
                .await
                .unwrap();
            locked_tx.send(()).unwrap();
            let _ = tokio::task::spawn_blocking(move || release_rx.recv()).await;
            client.batch_execute("ROLLBACK").await.unwrap();
        })
    });
    locked_rx.recv().unwrap();
    let blocked = std::thread::spawn(move || upload(addr, "this insert waits for the lock"));
    assert!(eventually(Duration::from_secs(3), || metric(
        addr,
        "wca_db_pool_available"
    ) == 0.0));

    let started = Instant::now();
    let r = list(addr, "/api/analyses");
    let waited = started.elapsed();
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["error"], "database_busy");
    assert_eq!(r.header("retry-after"), Some("5"));
    assert!(waited < Duration::from_secs(2), "took {waited:?}");

    release_tx.send(()).unwrap();
    locker.join().unwrap();
    // The waiting analysis still answered, and was saved once the lock went.
    let r = blocked.join().unwrap();
    assert_eq!(r.status, 200);
    assert!(eventually(Duration::from_secs(5), || list(
        addr,
        "/api/analyses"
    )
    .status
        == 200));
}

#[test]
fn two_replicas_share_one_database_as_their_cache() {
    let pg = Postgres::start();
    let page = "<html><head><title>Shared</title></head><body><p>One page, two replicas.</p></body></html>";
    let up = Upstream::start(Arc::new(move |_path: &str, s| {
        respond(
            s,
            "200 OK",
            &[("Content-Type", "text/html")],
            page.as_bytes(),
        )
    }));
    let replica = || {
        let mut config = with_db(&pg.url());
        config.fetch.allow_net = vec!["127.0.0.1/32".parse().unwrap()];
        config.fetch.allow_port = vec![wca_fetch::PortRule::Any];
        server(config)
    };
    let (a, b) = (replica(), replica());
    let ask = |addr| {
        post_json(
            addr,
            "/api/analyze",
            &serde_json::json!({ "url": up.url("/shared"), "options": { "top": 5 } }),
        )
    };
    let first = ask(a);
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("x-wca-cache"), Some("miss"));
    assert_eq!(up.connections(), 1);

    let second = ask(b);
    assert_eq!(second.header("x-wca-cache"), Some("shared"));
    assert_eq!(second.json(), first.json());
    assert_eq!(up.connections(), 1, "replica b must not fetch again");
    // Now in b's own cache too.
    assert_eq!(ask(b).header("x-wca-cache"), Some("hit"));
    // Both list the same history.
    assert_eq!(
        list(a, "/api/analyses").json(),
        list(b, "/api/analyses").json()
    );
    // Options longer than an index row (PostgreSQL's limit is about 2.7 KB) are
    // cached too: the database keys by a digest.
    // Hex of a multiplicative hash: text that compresses poorly, as PostgreSQL
    // compresses index keys before it checks their size.
    let stopwords: Vec<String> = (1..1000u64)
        .map(|i| format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
        .collect();
    let long = serde_json::json!({ "url": up.url("/shared"), "options": { "custom_stopwords": stopwords } });
    let first = post_json(a, "/api/analyze", &long);
    assert_eq!(first.status, 200, "{}", first.text());
    assert!(
        first.header("location").is_some(),
        "saved: {:?}",
        first.text().get(..200)
    );
    let second = post_json(b, "/api/analyze", &long);
    assert_eq!(second.header("x-wca-cache"), Some("shared"));
}

#[test]
fn killing_the_database_under_load_loses_no_analysis() {
    let pg = Postgres::start();
    let addr = server(with_db(&pg.url()));
    assert_eq!(upload(addr, "warm up").status, 200);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..4)
        .map(|i| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let r = upload(addr, &format!("client {i} request {n} words"));
                    assert_eq!(r.status, 200, "analysis must go on: {}", r.text());
                    assert_eq!(r.json()["counts"]["words"], 5);
                    let r = list(addr, "/api/analyses?limit=5");
                    if r.status == 503 {
                        assert_eq!(r.header("retry-after"), Some("5"));
                        assert!(r.json()["error"].as_str().unwrap().starts_with("database_"));
                    }
                    statuses.push(r.status);
                }
                statuses
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(800));
    pg.kill();
    std::thread::sleep(Duration::from_millis(1500));
    pg.ctl_start();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(eventually(Duration::from_secs(15), || list(
        addr,
        "/api/analyses"
    )
    .status
        == 200));
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let statuses: Vec<u16> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(statuses.contains(&503), "the outage was seen");
    assert_eq!(*statuses.last().unwrap(), 200, "and recovered from");
    let total = list(addr, "/api/analyses").json()["total"]
        .as_u64()
        .unwrap();
    assert!(
        total > 1,
        "analyses are saved again after recovery: {total}"
    );
}

#[test]
fn analyses_saved_before_private_ids_get_one_when_migrated() {
    let pg = Postgres::start();
    // A database as the first schema left it, with one analysis saved.
    let url = pg.url();
    actix_rt::System::new().block_on(async move {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        actix_rt::spawn(conn);
        client
            .batch_execute(include_str!("../../server/migrations/0001_analyses.sql"))
            .await
            .unwrap();
        client
            .batch_execute(
                "CREATE TABLE schema_migrations (version integer PRIMARY KEY, \
                 applied timestamptz NOT NULL DEFAULT now()); \
                 INSERT INTO schema_migrations (version) VALUES (1); \
                 INSERT INTO analyses (source, format, bytes, words, report) \
                 VALUES ('upload', 'text', 9, 2, '{\"old\":true}')",
            )
            .await
            .unwrap();
    });
    let addr = server(with_db(&pg.url()));
    let listed = list(addr, "/api/analyses").json();
    assert_eq!(listed["total"], 1, "{listed}");
    let id = listed["items"][0]["id"].as_str().unwrap().to_string();
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    assert_eq!(
        get(addr, &format!("/api/analyses/{id}")).json()["old"],
        true
    );
    // The serial number it had is no way in.
    assert_eq!(get(addr, "/api/analyses/1").status, 404);
    // New analyses get ids of their own, and the operator sees both.
    let r = upload(addr, "a new analysis");
    let location = r.header("location").unwrap();
    assert!(location.starts_with("/api/analyses/") && !location.ends_with(&id));
    assert_eq!(list(addr, "/api/analyses").json()["total"], 2);
}

#[test]
fn a_shared_analysis_is_served_only_where_the_guard_allows_it_now() {
    let pg = Postgres::start();
    let page = "<html><head><title>Inside</title></head><body><p>Only some replicas may read this.</p></body></html>";
    let up = Upstream::start(Arc::new(move |_path: &str, s| {
        respond(
            s,
            "200 OK",
            &[("Content-Type", "text/html")],
            page.as_bytes(),
        )
    }));
    let replica = |allow: &[&str]| {
        let mut config = with_db(&pg.url());
        config.fetch.allow_net = allow.iter().map(|c| c.parse().unwrap()).collect();
        config.fetch.allow_port = vec![wca_fetch::PortRule::Any];
        server(config)
    };
    // Replica a may reach loopback; b may not. A name, not an address: the guard
    // knows what it points to only once it resolves it.
    let a = replica(&["127.0.0.0/8", "::1/128"]);
    let b = replica(&[]);
    let url = format!("http://localhost:{}/inside", up.addr.port());
    let ask = |addr| post_json(addr, "/api/analyze", &serde_json::json!({ "url": url }));
    let first = ask(a);
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.header("x-wca-cache"), Some("miss"));
    assert_eq!(ask(a).header("x-wca-cache"), Some("hit"));
    // b finds a's analysis in the database, and refuses it as it would the fetch.
    let r = ask(b);
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(r.json()["error"], "address_not_allowed");
    assert!(!r.text().contains("Only some replicas"));
    assert_eq!(up.connections(), 1);
}

#[test]
fn the_database_is_reached_over_tls_when_the_url_asks_and_only_if_verified() {
    let tls = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls");
    let pg = Postgres::start_tls(&tls.join("server.pem"), &tls.join("server.key"));
    let ca = tls.join("ca.pem");
    let with = |query: &str| {
        let mut config = with_db(&format!("{}&{query}", pg.url()));
        config.db.db_connect_timeout = Duration::from_secs(2);
        server(config)
    };
    // Verified against the test authority, for the address it is valid for: saved.
    let verified = with(&format!(
        "sslmode=verify-full&sslrootcert={}",
        encode(ca.to_str().unwrap())
    ));
    let r = upload(verified, "words sent to the database encrypted");
    assert_eq!(r.status, 200);
    assert!(r.header("location").is_some(), "saved over TLS");
    assert_eq!(list(verified, "/api/analyses").json()["total"], 1);
    assert_eq!(get(verified, "/readyz").json()["database"], "ok");
    // `require` with a certificate this server cannot verify: no connection, and no
    // analysis lost.
    let unverified = with("sslmode=require");
    let r = upload(unverified, "not saved");
    assert_eq!(r.status, 200);
    assert!(r.header("location").is_none());
    assert_unavailable(&list(unverified, "/api/analyses"));
    // No TLS: this cluster refuses it.
    let plain = with("sslmode=disable");
    assert_unavailable(&list(plain, "/api/analyses"));
    // A mode that does not exist is refused at start.
    let mut config = with_db(&format!("{}&sslmode=sometimes", pg.url()));
    config.bind = "127.0.0.1:0".into();
    let err = wca_server::start(config)
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("sslmode=sometimes"), "{err}");
}
