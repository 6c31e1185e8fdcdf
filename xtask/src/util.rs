//! Small helpers shared by the tasks.

use std::path::PathBuf;
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

pub use wca_testkit::root;

/// `cargo` with `args`, run from the workspace root.
pub fn cargo(args: &[&str]) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.args(args).current_dir(root());
    c
}

/// Runs `cmd` as a named step and fails with the step's name if it fails.
pub fn step(name: &str, mut cmd: Command) -> Result {
    eprintln!("xtask: {name}: {cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("{name}: cannot start {cmd:?}: {e}"))?;
    if !status.success() {
        return Err(format!("{name} failed ({status})").into());
    }
    Ok(())
}

/// Makes sure a rustup component is installed, installing it if rustup is there.
pub fn ensure_component(component: &str, probe: &str) -> Result {
    let mut parts = probe.split_whitespace();
    let program = parts.next().unwrap_or("cargo");
    let ok = Command::new(program)
        .args(parts)
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Ok(());
    }
    eprintln!("xtask: installing the {component} component");
    let installed = Command::new("rustup")
        .args(["component", "add", component])
        .status()
        .is_ok_and(|s| s.success());
    if installed {
        Ok(())
    } else {
        Err(format!("{component} is missing; run: rustup component add {component}").into())
    }
}

/// Makes sure the Rust documentation (`rust-docs`) is installed: the HTML fidelity
/// test reads its pages.
pub fn ensure_rust_docs() -> Result {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    let index = PathBuf::from(&sysroot).join("share/doc/rust/html/index.html");
    if index.exists() {
        return Ok(());
    }
    eprintln!("xtask: installing the rust-docs component");
    let installed = Command::new("rustup")
        .args(["component", "add", "rust-docs"])
        .status()
        .is_ok_and(|s| s.success());
    if installed && index.exists() {
        Ok(())
    } else {
        Err("the Rust documentation is missing; run: rustup component add rust-docs".into())
    }
}

/// Finds `promtool` (Prometheus' checker, for the `/metrics` test) on the PATH or in
/// `target/tools/`; as root, unpacks it there from Debian's `prometheus` package
/// without installing the package and its dependencies.
pub fn ensure_promtool() -> Result<PathBuf> {
    if Command::new("promtool")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(PathBuf::from("promtool"));
    }
    let tools = root().join("target/tools");
    let local = tools.join("promtool");
    if local.exists() {
        return Ok(local);
    }
    if !is_root() {
        return Err("promtool is missing; run: sudo apt-get install prometheus".into());
    }
    eprintln!(
        "xtask: unpacking promtool from Debian's prometheus package into {}",
        tools.display()
    );
    let work = tools.join("prometheus-deb");
    std::fs::create_dir_all(&work)?;
    let download = |update: bool| {
        if update {
            let _ = Command::new("apt-get").arg("update").status();
        }
        Command::new("apt-get")
            .args(["download", "prometheus"])
            .current_dir(&work)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !download(false) && !download(true) {
        return Err("cannot download Debian's prometheus package; run: apt-get update && apt-get install prometheus".into());
    }
    let deb = std::fs::read_dir(&work)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .ok_or("apt-get download left no .deb")?;
    step("unpack prometheus", {
        let mut c = Command::new("dpkg");
        c.arg("-x").arg(&deb).arg(work.join("x"));
        c
    })?;
    std::fs::copy(work.join("x/usr/bin/promtool"), &local)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(local)
}

pub use wca_testkit::is_root;

/// Finds PostgreSQL's server programs (`initdb`, `pg_ctl`) for the tests' throwaway
/// clusters: `PG_BIN`, else the newest /usr/lib/postgresql/N/bin; as root, installs
/// Debian's `postgresql` package when they are missing. No server is started here.
pub fn ensure_postgres() -> Result<PathBuf> {
    use wca_testkit::find_pg_bin as find;
    if let Some(dir) = find() {
        return Ok(dir);
    }
    let hint = "PostgreSQL's initdb is missing; run: sudo apt-get update && sudo apt-get install -y postgresql";
    if !is_root() {
        return Err(hint.into());
    }
    eprintln!("xtask: installing PostgreSQL (Debian's postgresql package) for the tests");
    let _ = Command::new("apt-get").arg("update").status();
    let installed = Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .is_ok_and(|s| s.success());
    match find() {
        Some(dir) if installed => Ok(dir),
        _ => Err(hint.into()),
    }
}

/// The target dir (`CARGO_TARGET_DIR` or `target/`) and the release `wca` in it,
/// built first when `build` is set; fails naming the command when it is missing.
pub fn release_wca(build: bool) -> Result<(PathBuf, PathBuf)> {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    if build {
        step("build wca", cargo(&["build", "--release", "-p", "wca"]))?;
    }
    let wca = target.join("release").join("wca");
    if !wca.is_file() {
        return Err(format!(
            "{} is missing; run: cargo build --release -p wca",
            wca.display()
        )
        .into());
    }
    Ok((target, wca))
}
