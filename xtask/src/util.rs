//! Small helpers shared by the tasks.

use std::path::PathBuf;
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

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
