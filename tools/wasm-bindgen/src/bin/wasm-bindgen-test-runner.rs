//! `wasm-bindgen-test-runner`, the cargo runner for `#[wasm_bindgen_test]` in Node and
//! headless browsers, at the version locked for the workspace.

use std::process::ExitCode;

fn main() -> ExitCode {
    match wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(std::env::args_os()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:?}");
            ExitCode::FAILURE
        }
    }
}
