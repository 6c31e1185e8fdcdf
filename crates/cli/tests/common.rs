//! What the server tests share beyond wca-testkit: the binary under test, and the
//! server started in-process.

use std::net::SocketAddr;

pub use wca_server::Config;
pub use wca_testkit::*;

/// The `wca` binary built for these tests.
pub const WCA: &str = env!("CARGO_BIN_EXE_wca");

/// The server's defaults on a free port, serving `www/`.
pub fn config() -> Config {
    Config::new("127.0.0.1:0", www())
}

/// Starts a server in-process on a thread of its own; it lives as long as the test
/// process.
pub fn server(config: Config) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_rt::System::new().block_on(async move {
            let started = wca_server::start(config).expect("start");
            tx.send(started.addr).unwrap();
            started.run().await
        })
    });
    rx.recv().unwrap()
}
