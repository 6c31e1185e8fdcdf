//! The project's one task runner, reached as `cargo xtask <task>`:
//!
//! - `test`: formatting, lints and every test — what CI runs (`.ci/run`); `--bless`
//!   rewrites the golden reports in `tests/golden/`.
//! - `bench`: the benchmarks, with baselines measured in the same run.
//! - `serve`: builds everything and starts the product at http://127.0.0.1:8080.
//! - `wasm`: builds the npm package into `crates/wasm/pkg/`.
//! - `fuzz`: runs the cargo-fuzz targets in `fuzz/` (`--minutes N`, optionally one target).
//! - `load`: `wca serve` under 256 concurrent connections on loopback (wrk), with its
//!   memory, fds and CPU sampled every second, by the rig in `tools/load`; writes
//!   `target/load/report.md`.
//!
//! Each task installs what it is missing, or stops naming the exact command to run.
//! A dispatcher: std and wca-testkit only, so that it builds in seconds.

use std::process::ExitCode;

mod bench;
mod browser;
mod fuzz;
mod load;
mod util;
mod wasm;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("wasm") => wasm::build(),
        Some("serve") => serve(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("load") => load::run(&args[1..]),
        _ => Err("usage: cargo xtask <test|bench|serve|wasm|fuzz|load>".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds everything and starts the product on its embedded defaults (no database):
/// the npm package, then `wca serve` at http://127.0.0.1:8080. Extra arguments go
/// to `wca serve`.
fn serve(args: &[String]) -> util::Result {
    wasm::build()?;
    browser::copy_package()?;
    let mut run = util::cargo(&[
        "run",
        "--release",
        "-p",
        "wca",
        "--",
        "serve",
        "--www",
        "www",
    ]);
    run.args(args);
    util::step("wca serve", run)
}

/// Everything CI checks, in order of speed: formatting, lints, tests.
fn test(args: &[String]) -> util::Result {
    let bless = match args {
        [] => false,
        [flag] if flag == "--bless" => true,
        [a, ..] => {
            return Err(format!("`cargo xtask test` takes only --bless, got {a}").into());
        }
    };
    util::ensure_component("rustfmt", "cargo fmt --version")?;
    util::ensure_component("clippy", "cargo clippy --version")?;
    util::step("formatting", util::cargo(&["fmt", "--all", "--check"]))?;
    util::step(
        "lints",
        util::cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    // The HTML fidelity test reads the Rust documentation as real-world pages, the
    // server's metrics test checks its exposition with promtool, and its database
    // tests need PostgreSQL's programs.
    util::ensure_rust_docs()?;
    let promtool = util::ensure_promtool()?;
    // The server's database tests start throwaway PostgreSQL clusters.
    let pg_bin = util::ensure_postgres()?;
    let mut tests = util::cargo(&["test", "--workspace"]);
    tests.env("PROMTOOL", promtool).env("PG_BIN", pg_bin);
    if bless {
        // The golden-report test rewrites tests/golden/ instead of comparing.
        tests.env("WCA_BLESS", "1");
    }
    util::step("tests", tests)?;
    fuzz::build()?;
    wasm::test()?;
    browser::test()?;
    println!("xtask: all checks passed");
    Ok(())
}
