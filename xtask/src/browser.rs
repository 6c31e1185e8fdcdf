//! The web page in a real browser: `tests/browser/` (node's test runner and
//! playwright-core driving Debian's Chromium) against a real `wca serve`, which the
//! tests start themselves on port 0 and compare with `wca analyze --json`.
//!
//! The page loads the npm package from `www/pkg/`, a copy of `crates/wasm/pkg/` (both are
//! build output, git-ignored): the server serves one folder, and the package stays a
//! package rather than a second build recipe.

use std::path::Path;
use std::process::Command;

use crate::util::{self, Result, root};
use crate::wasm;

/// Builds the package and the server, installs the test's npm dependencies from the
/// committed lockfile and runs the browser tests. Screenshots land in
/// `target/browser/`.
pub fn test() -> Result {
    wasm::build()?;
    copy_package()?;
    // `wca` as `cargo test --workspace` builds it (the same features), so that after
    // the tests this builds nothing.
    util::step(
        "native wca",
        util::cargo(&["test", "--workspace", "--no-run"]),
    )?;
    wasm::ensure_chromium()?;
    let dir = root().join("tests/browser");
    let mut ci = Command::new("npm");
    ci.args(["ci", "--no-audit", "--no-fund", "--silent"])
        .current_dir(&dir);
    util::step("npm ci (tests/browser: playwright-core, axe-core)", ci).map_err(|e| {
        format!(
            "{e}; run: (cd {} && npm ci) — the npm registry must be reachable",
            dir.display()
        )
    })?;
    let artifacts = root().join("target/browser");
    std::fs::create_dir_all(&artifacts)?;
    let mut node = Command::new("node");
    node.args(["--test", "--test-concurrency=1", "page.test.mjs"])
        .env("WCA", root().join("target/debug/wca"))
        .env("WCA_WWW", root().join("www"))
        .env("CHROMIUM", "/usr/bin/chromium")
        .env("ARTIFACTS", &artifacts)
        .current_dir(&dir);
    util::step("browser tests (the web page in headless Chromium)", node)?;
    println!(
        "xtask: browser screenshots in {}",
        artifacts
            .strip_prefix(root())
            .unwrap_or(&artifacts)
            .display()
    );
    Ok(())
}

/// Copies the built npm package (`crates/wasm/pkg/`) to `www/pkg/`, where the page's worker
/// imports it from.
pub fn copy_package() -> Result {
    let from = root().join("crates/wasm/pkg");
    let to = root().join("www/pkg");
    if !from.join("index.js").exists() {
        return Err("crates/wasm/pkg is not built; run: cargo xtask wasm".into());
    }
    if to.exists() {
        std::fs::remove_dir_all(&to)?;
    }
    copy_dir(&from, &to)?;
    eprintln!("xtask: copied crates/wasm/pkg to www/pkg");
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}
