//! Golden reports: `wca analyze --json` on the shared fixtures, against the reports
//! committed in `tests/golden/` (the cases are listed in `tests/golden/cases.tsv`).
//! Any change to any report shows in review as a change to these files;
//! `cargo xtask test --bless` (`WCA_BLESS=1`) rewrites them. A report whose fields
//! change must also change its `schema_version`, which this test checks.

use std::path::Path;
use std::process::Command;

use crate::common::{WCA, data, root};

struct Case {
    name: String,
    input: String,
    args: Vec<String>,
}

fn cases() -> Vec<Case> {
    let list = std::fs::read_to_string(root().join("tests/golden/cases.tsv")).unwrap();
    list.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t');
            let name = cols.next().unwrap().to_string();
            let input = cols.next().expect("an input column").to_string();
            let args = cols
                .next()
                .unwrap_or("")
                .split_whitespace()
                .map(String::from)
                .collect();
            Case { name, input, args }
        })
        .collect()
}

/// The keys of every object in `v`, with their paths: the report's shape.
fn shape(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{path}.{k}");
                out.push(p.clone());
                shape(v, &p, out);
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(first) = items.first() {
                shape(first, &format!("{path}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn reports_equal_the_golden_files() {
    let bless = std::env::var_os("WCA_BLESS").is_some();
    let dir = root().join("tests/golden");
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut failed = Vec::new();
    for case in &cases {
        let out = Command::new(WCA)
            .arg("analyze")
            .arg("--json")
            .args(&case.args)
            .arg(data(&case.input))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&out.stderr)
        );
        let golden = dir.join(format!("{}.json", case.name));
        if bless {
            std::fs::write(&golden, &out.stdout).unwrap();
            continue;
        }
        let expected = std::fs::read(&golden)
            .unwrap_or_else(|e| panic!("{}: {e}; run: cargo xtask test --bless", golden.display()));
        if out.stdout != expected {
            check_schema_rule(&case.name, &expected, &out.stdout);
            failed.push(case.name.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "reports differ from tests/golden/ for {failed:?}; if the change is intended, run \
         cargo xtask test --bless and review the diff"
    );
    if !bless {
        let orphans: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.ok()?.file_name().into_string().ok()?;
                let stem = name.strip_suffix(".json")?.to_string();
                (!cases.iter().any(|c| c.name == stem)).then_some(name)
            })
            .collect();
        assert!(
            orphans.is_empty(),
            "golden files without a case: {orphans:?}"
        );
    }
}

/// A report whose shape changed (a field added, removed or renamed) must carry a new
/// `schema_version`.
fn check_schema_rule(name: &str, expected: &[u8], actual: &[u8]) {
    let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    let (old, new) = (parse(expected), parse(actual));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    shape(&old, "", &mut a);
    shape(&new, "", &mut b);
    if a != b {
        assert_ne!(
            old["schema_version"], new["schema_version"],
            "{name}: the report's fields changed but its schema_version did not"
        );
    }
}

#[test]
fn every_case_names_an_existing_input() {
    for case in cases() {
        assert!(
            Path::new(&data(&case.input)).is_file(),
            "{}: no tests/data/{}",
            case.name,
            case.input
        );
    }
}
