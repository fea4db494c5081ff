//! What the import crate's tests share: where the repository and its fixtures are, reading
//! fixtures and loading them into a dataset (here), and what every load must leave behind
//! (`checks`). Each test file declares `mod common;` and uses what it needs.
#![allow(
    dead_code,
    reason = "each test file is a crate of its own and uses a part of this module"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

pub mod checks;

use airview_engine::model::Dataset;
use airview_engine::Policy;
use airview_import::{load, LoadReport};
use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the fixture `name` is: `tests/fixtures/` at the repository's root.
pub fn fixture_path(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The text of the fixture `name`.
pub fn fixture(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every fixture that is an export or an airview file (not a policy, not a journal), with its
/// text, by name.
pub fn data_fixtures() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, text)
        })
        .filter(|(name, _)| !name.starts_with("policy-") && !name.ends_with(".jsonl"))
        .collect();
    files.sort();
    files
}

/// Loads fixtures in order into a new dataset, detecting each format; returns the dataset
/// and the reports.
pub fn load_all(names: &[&str]) -> (Dataset, Vec<LoadReport>) {
    let mut data = Dataset::new();
    let reports = names
        .iter()
        .map(|n| load(&mut data, n, &fixture(n), None).unwrap_or_else(|e| panic!("{e}")))
        .collect();
    (data, reports)
}

/// A dataset that already holds a Graph page (`graph-page1.json`), so that a refused load has
/// something to leave as it was.
pub fn base() -> Dataset {
    load_all(&["graph-page1.json"]).0
}

/// The policy fixture `name`.
pub fn policy(name: &str) -> Policy {
    Policy::parse_json(&fixture(name)).unwrap().0
}
