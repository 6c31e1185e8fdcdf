//! `cargo xtask load`: installs what the load rig needs (wrk; PostgreSQL's programs
//! unless `--no-database`), builds the release `wca` (unless `--no-build`) and the
//! rig (`tools/load`, `wca-load`), and runs it; the report lands in
//! `target/load/report.md`. Other arguments go to the rig (`--duration SECONDS`,
//! `--soak MINUTES`, `--no-database`).

use std::process::Command;

use crate::util::{self, Result};

pub fn run(args: &[String]) -> Result {
    let build = !args.iter().any(|a| a == "--no-build");
    let database = !args.iter().any(|a| a == "--no-database");
    let rest: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--no-build")
        .collect();
    ensure_wrk()?;
    let (target, wca) = util::release_wca(build)?;
    let mut rig = util::cargo(&["run", "--quiet", "--release", "-p", "wca-load", "--"]);
    rig.arg("--wca")
        .arg(&wca)
        .arg("--out")
        .arg(target.join("load"))
        .args(rest);
    if database {
        rig.env("PG_BIN", util::ensure_postgres()?);
    }
    util::step("load", rig)
}

/// wrk on the PATH, or installed with apt-get as root.
fn ensure_wrk() -> Result {
    let present = || Command::new("wrk").arg("--version").output().is_ok();
    if present() {
        return Ok(());
    }
    let hint = "wrk is missing; run: sudo apt-get update && sudo apt-get install -y wrk";
    if !util::is_root() {
        return Err(hint.into());
    }
    eprintln!("xtask: installing wrk (Debian's wrk package)");
    let install = || {
        Command::new("apt-get")
            .args(["install", "-y", "wrk"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    if !install() {
        let _ = Command::new("apt-get").arg("update").status();
        install();
    }
    if present() { Ok(()) } else { Err(hint.into()) }
}
