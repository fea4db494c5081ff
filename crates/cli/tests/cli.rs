//! The `airview` binary as scripts use it: snapshot tests of its JSON output for a few
//! fixtures, and its behaviour on bad input (exit status 2, a message naming the place, nothing
//! on stdout). `UPDATE_SNAPSHOTS=1 cargo test -p airview-cli` rewrites the snapshots; review
//! the diff before committing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: a panic is a failed test")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn airview(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_airview"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn ok_stdout(args: &[&str]) -> String {
    let out = airview(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn check_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {name}; run with UPDATE_SNAPSHOTS=1"));
    assert!(expected == actual, "snapshot {name} differs; run with UPDATE_SNAPSHOTS=1 and review the diff\n--- actual ---\n{actual}");
}

const PAGES: [&str; 3] = [
    "tests/fixtures/graph-page1.json",
    "tests/fixtures/graph-page2.json",
    "tests/fixtures/graph-incidents.json",
];

#[test]
fn evaluate_pages_and_incidents_snapshot() {
    let mut args = vec!["evaluate", "--policy", "tests/fixtures/policy-semi.json"];
    args.extend(PAGES);
    let out = ok_stdout(&args);
    check_snapshot("evaluate-pages.json", &out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["evidence"], 20);
    assert_eq!(v["decisions"][1]["outcome"], "automatic");
    assert_eq!(v["decisions"][1]["evidence_index"], 1);
}

#[test]
fn diff_snapshot_and_counts() {
    let mut args = vec![
        "diff",
        "--from",
        "tests/fixtures/policy-semi.json",
        "--to",
        "tests/fixtures/policy-full.json",
    ];
    args.extend(PAGES);
    let out = ok_stdout(&args);
    check_snapshot("diff-pages.json", &out);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Servers move from semi_all_folders to full: the malicious file and registry key become
    // automatic, nothing else moves.
    assert_eq!(v["summary"]["pending_approval -> automatic"], 2);
    assert_eq!(v["changes"].as_array().unwrap().len(), 2);
}

#[test]
fn diff_of_a_policy_with_itself_is_empty() {
    let mut args = vec![
        "diff",
        "--from",
        "tests/fixtures/policy-semi.json",
        "--to",
        "tests/fixtures/policy-semi.json",
    ];
    args.extend(PAGES);
    let v: serde_json::Value = serde_json::from_str(&ok_stdout(&args)).unwrap();
    assert_eq!(v["changes"], serde_json::json!([]));
}

#[test]
fn generate_is_deterministic_and_evaluates() {
    let a = ok_stdout(&["generate", "--alerts", "25", "--seed", "11"]);
    assert_eq!(
        a,
        ok_stdout(&["generate", "--alerts", "25", "--seed", "11"])
    );
    let dir = std::env::temp_dir().join(format!("airview-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gen.json");
    ok_stdout(&[
        "generate",
        "--alerts",
        "25",
        "--seed",
        "11",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap().trim_end(),
        a.trim_end()
    );
    let v: serde_json::Value = serde_json::from_str(&ok_stdout(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        file.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(
        v["decisions"].as_array().unwrap().len(),
        v["summary"]["evidence"].as_u64().unwrap() as usize
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn table_output_is_for_people() {
    let out = ok_stdout(&[
        "evaluate",
        "--format",
        "table",
        "--policy",
        "tests/fixtures/policy-semi.json",
        PAGES[0],
    ]);
    assert!(out.starts_with("ALERT/EVIDENCE"), "{out}");
    assert!(
        out.contains(
            "7 evidence: 1 automatic, 3 pending approval, 3 no action, 0 not investigated"
        ),
        "{out}"
    );
}

fn refused(args: &[&str]) -> String {
    let out = airview(args);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "stdout must stay empty on error");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn malformed_json_names_the_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("airview-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        "{\"value\": [\n  {\"id\": \"a\", \"evidence\": [{\"verdict\": 7}]}\n]}",
    )
    .unwrap();
    let err = refused(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        bad.to_str().unwrap(),
    ]);
    assert!(
        err.contains("bad.json`, line 2, column 40: invalid type: integer `7`, expected a string"),
        "{err}"
    );
    std::fs::write(&bad, "{\"value\": [").unwrap();
    let err = refused(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        bad.to_str().unwrap(),
    ]);
    assert!(
        err.contains("line 1, column 11: the file ends in the middle of a value"),
        "{err}"
    );
    std::fs::write(&bad, "id,verdict\n1,malicious\n").unwrap();
    let err = refused(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        bad.to_str().unwrap(),
    ]);
    assert!(err.contains("is not JSON"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_policy_values_are_quoted() {
    let dir = std::env::temp_dir().join(format!("airview-cli-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("p.json");
    std::fs::write(&p, r#"{"default_level": "mostly", "groups": []}"#).unwrap();
    let err = refused(&["evaluate", "--policy", p.to_str().unwrap(), PAGES[0]]);
    assert!(
        err.contains("unknown automation level `mostly` in `default_level`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn usage_errors_exit_2() {
    assert!(refused(&["evaluate", PAGES[0]]).contains("`--policy` is required"));
    assert!(refused(&["frobnicate"]).contains("unknown command `frobnicate`"));
    assert!(refused(&["generate", "--alerts", "ten", "--seed", "1"])
        .contains("`--alerts` takes a whole number, not `ten`"));
    assert!(refused(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "--format",
        "xml",
        PAGES[0]
    ])
    .contains("unknown output format `xml`"));
    assert!(refused(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "missing.json"
    ])
    .contains("cannot read `missing.json`"));
}
