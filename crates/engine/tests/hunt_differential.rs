//! The KQL subset against duckdb-kql, a KQL implementation over DuckDB, on a corpus of
//! queries (`hunt/corpus.kql`) over synthetic tables (`hunt/tables.rs`).
//!
//! This test runs every query through the engine, checks the rows written by hand in the
//! corpus, and writes the tables and the engine's outputs as JSON. With
//! `AIRVIEW_KQL_PYTHON` set to the Python of the `.venv-kql` environment (`scripts/setup.sh`
//! makes it; `scripts/test.sh` sets the variable), it then runs `hunt/differential.py`, which
//! loads the same tables into DuckDB, runs each query through duckdb-kql and compares the
//! rows. `AIRVIEW_KQL_DIR=path` keeps the files there. Queries duckdb-kql refuses or gets wrong are marked in the corpus with the reason,
//! and their rows are written there by hand.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

#[path = "hunt/corpus.rs"]
mod corpus;
#[path = "hunt/tables.rs"]
mod tables;

use airview_engine::hunt::{run, Catalog, RunOptions, Source};
use airview_engine::Timestamp;
use std::path::{Path, PathBuf};

const CORPUS: &str = include_str!("hunt/corpus.kql");

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON: {text}: {e}"))
}

/// Rows as JSON values, sorted unless their order is the point.
fn rows(lines: &[String], ordered: bool) -> Vec<serde_json::Value> {
    let mut out: Vec<serde_json::Value> = lines.iter().map(|l| json(l)).collect();
    if !ordered {
        out.sort_by_key(|v| v.to_string());
    }
    out
}

/// Where the files go: `AIRVIEW_KQL_DIR` if set (kept, to look at), else a temporary
/// directory removed at the end.
struct TempDir(PathBuf, bool);

impl TempDir {
    fn new() -> TempDir {
        match std::env::var("AIRVIEW_KQL_DIR") {
            Ok(dir) => TempDir(PathBuf::from(dir), false),
            Err(_) => TempDir(
                std::env::temp_dir().join(format!("airview-kql-{}", std::process::id())),
                true,
            ),
        }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.1 {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

#[test]
fn the_corpus_agrees_with_duckdb_kql_and_with_the_rows_written_by_hand() {
    let cases = corpus::parse(CORPUS);
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "two cases share a name");

    let dir = TempDir::new();
    std::fs::create_dir_all(dir.0.join("tables")).unwrap();
    std::fs::create_dir_all(dir.0.join("results")).unwrap();
    let mut catalog = Catalog::new();
    for t in tables::tables() {
        write(
            &dir.0.join("tables").join(format!("{}.json", t.name())),
            &corpus::table_json(&t),
        );
        catalog.add(t);
    }
    let options = RunOptions::at(Timestamp::parse(tables::NOW).unwrap());

    let mut failures = Vec::new();
    let mut by_hand = 0;
    for case in &cases {
        let place = format!("corpus.kql:{} `{}`", case.line, case.name);
        let out = match run(&case.query, &catalog, &options) {
            Ok(out) => out,
            Err(e) => {
                failures.push(format!("{place}: refused: {e}"));
                continue;
            }
        };
        if case.duckdb.is_some() && case.rows.is_none() {
            failures.push(format!(
                "{place}: duckdb-kql cannot check it, so its rows must be written by hand"
            ));
        }
        if let Some(columns) = &case.columns {
            let got = corpus::column_line(&out);
            if &got != columns {
                failures.push(format!("{place}: columns {got}, expected {columns}"));
            }
        }
        if let Some(expected) = &case.rows {
            by_hand += 1;
            let got = rows(&corpus::row_lines(&out), case.ordered);
            let want = rows(expected, case.ordered);
            if got != want {
                failures.push(format!(
                    "{place}: rows\n    {}\nexpected\n    {}",
                    got.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join("\n    "),
                    want.iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join("\n    ")
                ));
            }
        }
        write(
            &dir.0.join("results").join(format!("{}.json", case.name)),
            &out.to_json(),
        );
    }
    if let Ok(python) = std::env::var("AIRVIEW_KQL_PYTHON") {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hunt/differential.py");
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hunt/corpus.kql");
        let output = std::process::Command::new(&python)
            .arg(&script)
            .arg(&dir.0)
            .arg(&corpus)
            .arg(tables::NOW)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        println!("{stdout}");
        if !output.status.success() {
            failures.push(format!("duckdb-kql disagrees:\n{stdout}\n{stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases.len() >= 60, "the corpus has {} queries", cases.len());
    assert!(
        by_hand >= 10,
        "only {by_hand} cases have rows written by hand"
    );
}
