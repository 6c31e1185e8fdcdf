//! `wca`: the Web Content Analyzer's command line and server.
//!
//! A thin `main`: parse arguments, run the command, turn errors into exit codes.

use std::process::ExitCode;

use clap::Parser;
mod cli;
mod parts;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("wca: {err:#}");
            ExitCode::from(1)
        }
    }
}
