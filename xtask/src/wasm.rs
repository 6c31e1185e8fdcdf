//! `cargo xtask wasm`: the `web-content-analyzer` npm package in `crates/wasm/pkg/`, and the
//! wasm tests that `cargo xtask test` runs.
//!
//! Everything works offline but for package registries. The wasm-bindgen CLI comes
//! from `tools/wasm-bindgen`, a workspace member pinned to the locked wasm-bindgen
//! (a mismatched CLI refuses the module); wasm-opt from npm's `binaryen`, because
//! Debian's (version 108) emits modules that fail to load (see TOOLCHAIN.md).
//!
//! One `--target web` build serves every loader. The package's `index.js` awaits the
//! module's `init()` (browsers, bundlers: the `.wasm` is found through
//! `new URL(…, import.meta.url)`), and `node.js`, chosen by the `node` export
//! condition, hands the bytes to `initSync`. So there is one `.wasm`, one glue file
//! and one `.d.ts`, and `import { analyzeText } from "web-content-analyzer"` works
//! the same everywhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{self, Result, root};

const TARGET: &str = "wasm32-unknown-unknown";
/// npm tools, pinned, installed under `target/wasm-tools`: binaryen's wasm-opt (the
/// one that produces working modules here) and webpack for the bundler test.
const NPM_TOOLS: &[&str] = &["binaryen@132.0.0", "webpack@5.113.0"];
/// Features the Rust wasm32 target emits by default, for wasm-opt to keep.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
    "--enable-multivalue",
];

/// Builds `crates/wasm/pkg/` and prints the module's size, raw and gzipped.
pub fn build() -> Result {
    build_with(&ensure_tools()?)
}

fn build_with(tools: &Tools) -> Result {
    ensure_target()?;
    let pkg = root().join("crates/wasm/pkg");
    util::step(
        "wasm build",
        util::cargo(&["build", "-p", "wca-wasm", "--release", "--target", TARGET]),
    )?;
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg)?;
    }
    let input = root().join(format!("target/{TARGET}/release/wca_wasm.wasm"));
    let mut bindgen = Command::new(&tools.wasm_bindgen);
    bindgen
        .args(["--target", "web", "--out-name", "wca_wasm", "--out-dir"])
        .arg(&pkg)
        .arg(&input);
    util::step("wasm-bindgen", bindgen)?;
    let wasm = pkg.join("wca_wasm_bg.wasm");
    let mut opt = Command::new(&tools.wasm_opt);
    opt.arg("-Oz")
        .args(WASM_FEATURES)
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm);
    util::step("wasm-opt", opt)?;
    let (raw, gz) = sizes(&wasm)?;
    let size = format!(
        "{raw} bytes ({:.0} KiB), {gz} bytes gzipped ({:.0} KiB)",
        raw as f64 / 1024.0,
        gz as f64 / 1024.0
    );
    write_package(&pkg, &size)?;
    println!("xtask: crates/wasm/pkg built; wca_wasm_bg.wasm: {size}");
    Ok(())
}

/// The wasm tests: `#[wasm_bindgen_test]`s in Node and in headless Chromium, then the
/// packed package in a fresh Node project against the native `wca analyze --json`.
pub fn test() -> Result {
    let tools = ensure_tools()?;
    build_with(&tools)?;
    let runner = || {
        let mut c = util::cargo(&["test", "-p", "wca-wasm", "--target", TARGET]);
        c.env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            &tools.test_runner,
        );
        c
    };
    util::step("wasm tests in Node", runner())?;
    let chromedriver = ensure_chromium()?;
    let mut browser = runner();
    browser
        .env("WASM_BINDGEN_USE_BROWSER", "1")
        .env("CHROMEDRIVER", &chromedriver);
    util::step("wasm tests in headless Chromium", browser)?;
    package_test(&tools, &chromedriver)
}

/// `npm pack`s `crates/wasm/pkg`, installs the tarball into a scratch project and runs
/// `crates/wasm/tests/package/test.mjs` there: parity with the native CLI on the corpora in
/// Node, then the same package in headless Chromium, as ES modules, in a Worker and
/// bundled by webpack.
fn package_test(tools: &Tools, chromedriver: &Path) -> Result {
    // `wca` as `cargo test --workspace` builds it (the same features), so that after
    // the tests this builds nothing.
    util::step(
        "native wca",
        util::cargo(&["test", "--workspace", "--no-run"]),
    )?;
    let scratch = root().join("target/wasm-package-test");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)?;
    }
    std::fs::create_dir_all(&scratch)?;
    let mut pack = Command::new("npm");
    pack.args(["pack", "--silent", "--pack-destination"])
        .arg(&scratch)
        .arg(root().join("crates/wasm/pkg"));
    util::step("npm pack", pack)?;
    let tarball = std::fs::read_dir(&scratch)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or("npm pack made no tarball")?;
    std::fs::write(
        scratch.join("package.json"),
        r#"{ "name": "wca-package-test", "private": true, "type": "module" }"#,
    )?;
    let mut install = Command::new("npm");
    install
        .args(["install", "--no-audit", "--no-fund", "--silent"])
        .arg(&tarball)
        .current_dir(&scratch);
    util::step("npm install (the packed package)", install)?;
    let tests = root().join("crates/wasm/tests/package");
    for file in ["test.mjs", "serde-json.mjs", "browser.mjs"] {
        std::fs::copy(tests.join(file), scratch.join(file))?;
    }
    let mut node = Command::new("node");
    node.arg("test.mjs")
        .env("WCA", root().join("target/debug/wca"))
        .env("WCA_ROOT", root())
        .env("CHROMEDRIVER", chromedriver)
        .env("WEBPACK", &tools.webpack)
        .current_dir(&scratch);
    util::step("package test (Node parity, browser)", node)
}

struct Tools {
    wasm_bindgen: PathBuf,
    test_runner: PathBuf,
    wasm_opt: PathBuf,
    webpack: PathBuf,
}

/// The wasm-bindgen CLI and test runner (built from `tools/wasm-bindgen`, checked
/// against `Cargo.lock`) and the npm tools (installed under `target/wasm-tools`).
fn ensure_tools() -> Result<Tools> {
    let locked = locked_version("wasm-bindgen")?;
    let pinned = locked_version("wca-wasm-bindgen")?;
    if locked != pinned {
        return Err(format!(
            "Cargo.lock has wasm-bindgen {locked} but tools/wasm-bindgen wraps {pinned}: set \
             `wasm-bindgen-cli = \"={locked}\"` and `version = \"{locked}\"` in \
             tools/wasm-bindgen/Cargo.toml"
        )
        .into());
    }
    util::step(
        "wasm-bindgen CLI",
        util::cargo(&["build", "-p", "wca-wasm-bindgen", "--release"]),
    )?;
    let bin = root().join("target/release");
    let tools_dir = root().join("target/wasm-tools");
    let modules = tools_dir.join("node_modules");
    let wasm_opt = modules.join(".bin/wasm-opt");
    let webpack = modules.join("webpack/lib/index.js");
    let installed = NPM_TOOLS.iter().all(|t| {
        let (name, version) = t.rsplit_once('@').unwrap_or((t, ""));
        std::fs::read_to_string(modules.join(name).join("package.json"))
            .is_ok_and(|p| p.contains(&format!("\"version\": \"{version}\"")))
    });
    if !installed {
        std::fs::create_dir_all(&tools_dir)?;
        let mut npm = Command::new("npm");
        npm.args([
            "install",
            "--no-audit",
            "--no-fund",
            "--no-save",
            "--prefix",
        ])
        .arg(&tools_dir)
        .args(NPM_TOOLS);
        util::step("npm tools (binaryen's wasm-opt, webpack)", npm).map_err(|e| {
            format!(
                "{e}; run: npm install --no-save --prefix {} {}",
                tools_dir.display(),
                NPM_TOOLS.join(" ")
            )
        })?;
    }
    Ok(Tools {
        wasm_bindgen: bin.join("wasm-bindgen"),
        test_runner: bin.join("wasm-bindgen-test-runner"),
        wasm_opt,
        webpack,
    })
}

/// The version of `package` in Cargo.lock.
fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let len = lock[start..].find('"').ok_or("malformed Cargo.lock")?;
    Ok(lock[start..start + len].to_string())
}

fn ensure_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l == TARGET)
        })
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    let mut add = Command::new("rustup");
    add.args(["target", "add", TARGET]);
    util::step("wasm target", add)
        .map_err(|e| format!("{e}; run: rustup target add {TARGET}").into())
}

/// chromedriver and Chromium from Debian, installed if we are root with apt.
pub fn ensure_chromium() -> Result<PathBuf> {
    let driver = PathBuf::from("/usr/bin/chromedriver");
    let browser = Path::new("/usr/bin/chromium");
    if driver.exists() && browser.exists() {
        return Ok(driver);
    }
    let command = "apt-get update && apt-get install -y chromium chromium-driver";
    if util::is_root() {
        let mut sh = Command::new("sh");
        sh.args(["-c", command]);
        util::step("Chromium and chromedriver", sh)?;
    }
    if driver.exists() && browser.exists() {
        Ok(driver)
    } else {
        Err(format!("headless Chromium is missing; run: sudo sh -c '{command}'").into())
    }
}

/// The module's size raw and gzipped (`gzip -9`, as a server would send it).
fn sizes(wasm: &Path) -> Result<(u64, u64)> {
    let raw = std::fs::metadata(wasm)?.len();
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(wasm)
        .output()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    Ok((raw, out.stdout.len() as u64))
}

/// The workspace version, from `[workspace.package]` in the root Cargo.toml.
fn workspace_version() -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml"))?;
    let section = manifest
        .split("[workspace.package]")
        .nth(1)
        .ok_or("no [workspace.package] in Cargo.toml")?;
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| {
            let v = l.strip_prefix("version")?.trim_start().strip_prefix('=')?;
            Some(v.trim().trim_matches('"').to_string())
        })
        .ok_or_else(|| "no version in [workspace.package]".into())
}

/// Writes the package's own files around wasm-bindgen's output, from the templates
/// in `crates/wasm/npm/` (`{{version}}` is the workspace version, `{{size}}` the module's).
fn write_package(pkg: &Path, size: &str) -> Result {
    let version = workspace_version()?;
    let templates = root().join("crates/wasm/npm");
    for entry in std::fs::read_dir(&templates)? {
        let path = entry?.path();
        let name = path.file_name().ok_or("bad template name")?;
        let text = std::fs::read_to_string(&path)?
            .replace("{{version}}", &version)
            .replace("{{size}}", size);
        std::fs::write(pkg.join(name), text)?;
    }
    // The syllable data, fetched per language when a text needs it, with its licences.
    let syllables = pkg.join("syllables");
    std::fs::create_dir_all(&syllables)?;
    for entry in std::fs::read_dir(root().join("crates/core/src/syllables"))? {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, syllables.join(name))?;
        }
    }
    // wasm-bindgen's own package.json and .gitignore would shadow ours / hide files
    // from `npm pack`.
    let _ = std::fs::remove_file(pkg.join(".gitignore"));
    Ok(())
}
