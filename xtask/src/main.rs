//! The project's one task runner, reached as `cargo xtask <task>`:
//!
//! - `test`: formatting, lints and every test — what CI runs (`.ci/run`).
//! - `bench`: the benchmarks, with baselines measured in the same run.
//! - `serve`: builds everything and starts the product (arrives with the server).
//!
//! Each task installs what it is missing, or stops naming the exact command to run.
//! std only, so that the runner itself builds in seconds.

use std::process::ExitCode;

mod bench;
mod util;
mod wasm;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("wasm") => wasm::build(),
        Some("serve") => Err(
            "`cargo xtask serve` arrives with the server issue (wca serve); \
             until then use the command line: cargo run --release -p wca-server -- analyze FILE"
                .into(),
        ),
        _ => Err("usage: cargo xtask <test|bench|serve>".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Everything CI checks, in order of speed: formatting, lints, tests.
fn test(args: &[String]) -> util::Result {
    if let Some(a) = args.first() {
        return Err(format!("`cargo xtask test` takes no arguments, got {a}").into());
    }
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
    // The HTML fidelity test reads the Rust documentation as real-world pages.
    util::ensure_rust_docs()?;
    util::step("tests", util::cargo(&["test", "--workspace"]))?;
    wasm::test()?;
    println!("xtask: all checks passed");
    Ok(())
}
