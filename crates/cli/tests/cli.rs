//! The `airview` binary as scripts use it: snapshot tests of its JSON output for a few
//! fixtures, and its behaviour on bad input (exit status 2, a message naming the place, nothing
//! on stdout).
//!
//! The snapshots are insta's, in `tests/snapshots/*.snap`. When an output changes on purpose,
//! `cargo insta review` (from `cargo install cargo-insta`) shows each change to accept or
//! reject; without cargo-insta, run `INSTA_UPDATE=always cargo test -p airview-cli` and review
//! `git diff crates/cli/tests/snapshots` before committing. A plain `cargo test` (as
//! `scripts/test.sh` runs it) never accepts a change: it fails, and outside CI it leaves the new
//! output beside the snapshot as `.snap.new`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use common::{command, fixture_text, ok_stdout, read_fixture, refused, Scratch};
use std::path::Path;

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
    insta::assert_snapshot!("evaluate-pages", out);
    // insta compares without the last line end; the output keeps its own.
    assert!(out.ends_with("}\n"), "{out}");
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
    insta::assert_snapshot!("diff-pages", out);
    assert!(out.ends_with("}\n"), "{out}");
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
    let dir = Scratch::new("cli");
    let file = dir.path("gen.json");
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

#[test]
fn malformed_json_names_the_file_line_and_column() {
    let dir = Scratch::new("cli-bad");
    let bad = dir.path("bad.json");
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
}

#[test]
fn bad_policy_values_are_quoted() {
    let dir = Scratch::new("cli-policy");
    let p = dir.path("p.json");
    std::fs::write(&p, r#"{"default_level": "mostly", "groups": []}"#).unwrap();
    let err = refused(&["evaluate", "--policy", p.to_str().unwrap(), PAGES[0]]);
    assert!(
        err.contains("unknown automation level `mostly` in `default_level`"),
        "{err}"
    );
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

// Formats other than Graph (issue 7): Defender for Endpoint responses, the portals' CSV
// exports, airview's own file, and `--format` naming an input format.

#[test]
fn evaluate_mde_alerts_with_graph_pages() {
    let v: serde_json::Value = serde_json::from_str(&ok_stdout(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "tests/fixtures/mde-alerts.json",
        "tests/fixtures/mde-alerts-page2.json",
        PAGES[0],
    ]))
    .unwrap();
    assert_eq!(v["summary"]["evidence"], 11 + 2 + 7);
    let first = &v["decisions"][0];
    assert_eq!(first["alert_id"], "da638650000000000001_-2104551001");
    assert_eq!(first["entity"], "invoice_viewer.exe");
    assert_eq!(first["verdict"], "Malicious");
    assert_eq!(first["outcome"], "automatic");
    assert_eq!(first["device"], "fin-ws-001.contoso.com");
    assert_eq!(first["device_group"], "Finance");
    let reasons = first["reasons"].to_string();
    assert!(reasons.contains("airview decides"), "{reasons}");
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("1 alert(s) were loaded already and are skipped (first: `da638650000000000003_-733221`)"),
        "{warnings}"
    );
}

#[test]
fn evaluate_csv_exports_and_machine_actions() {
    // Reported actions carry no evidence: nothing to decide, but the files load.
    let v: serde_json::Value = serde_json::from_str(&ok_stdout(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "tests/fixtures/action-center-history.csv",
        "tests/fixtures/AirActions.csv",
        "tests/fixtures/AirLogs.csv",
        "tests/fixtures/mde-machineactions.json",
        "tests/fixtures/mde-investigations.json",
    ]))
    .unwrap();
    assert_eq!(v["summary"]["evidence"], 0);
    assert_eq!(v["decisions"], serde_json::json!([]));
}

#[test]
fn format_may_name_the_input_format_and_be_given_twice() {
    let dir = Scratch::new("cli-forced");
    let renamed = dir.path("export.txt");
    std::fs::write(&renamed, read_fixture("AirLogs.csv")).unwrap();
    let policy = "tests/fixtures/policy-semi.json";
    let out = ok_stdout(&[
        "evaluate",
        "--format",
        "table",
        "--format",
        "air-logs-csv",
        "--policy",
        policy,
        renamed.to_str().unwrap(),
    ]);
    assert!(out.contains("0 evidence"), "{out}");
    let out = ok_stdout(&[
        "evaluate",
        "--input-format",
        "mde-alerts",
        "--format",
        "json",
        "--policy",
        policy,
        "tests/fixtures/mde-alerts.json",
    ]);
    assert!(out.starts_with('{'), "{out}");
    // Forcing a format that does not fit: the error names the missing column.
    let err = refused(&[
        "evaluate",
        "--format",
        "action-center-csv",
        "--policy",
        policy,
        renamed.to_str().unwrap(),
    ]);
    assert!(err.contains("export.txt`, row 1 (the header is row 1), line 1: the required column `Action update time` is missing"), "{err}");
    assert!(refused(&[
        "evaluate", "--format", "json", "--format", "table", "--policy", policy, PAGES[0]
    ])
    .contains("two output formats given, `json` and `table`; give one"));
    assert!(refused(&[
        "evaluate",
        "--input-format",
        "json",
        "--policy",
        policy,
        PAGES[0]
    ])
    .contains("unknown input format `json`; use one of `graph`, `mde-alerts`"));
}

#[test]
fn bad_csv_rows_and_airview_files_are_refused_with_their_place() {
    let dir = Scratch::new("cli-badcsv");
    let bad = dir.path("history.csv");
    std::fs::write(&bad, "Action update time,Action type,Status\n2026-10-21T09:40:00Z,Quarantine a file,Completed\nnext week,Quarantine a file,Completed\n").unwrap();
    let policy = "tests/fixtures/policy-semi.json";
    let err = refused(&["evaluate", "--policy", policy, bad.to_str().unwrap()]);
    assert!(err.contains("history.csv`, row 3 (the header is row 1), line 3: `next week` in column `Action update time` is not a date and time"), "{err}");
    let newer = dir.path("newer.airview.json");
    std::fs::write(&newer, r#"{"airview": 7, "data": {}}"#).unwrap();
    let err = refused(&["evaluate", "--policy", policy, newer.to_str().unwrap()]);
    assert!(
        err.contains("the file is an airview file of version `7`; this airview reads version 1"),
        "{err}"
    );
}

#[test]
fn evaluate_an_airview_file_like_the_exports_it_holds() {
    let session = ok_stdout(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "tests/fixtures/session.airview.json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&session).unwrap();
    let mut args = vec!["evaluate", "--policy", "tests/fixtures/policy-semi.json"];
    args.extend(PAGES);
    args.extend([
        "tests/fixtures/mde-alerts.json",
        "tests/fixtures/mde-alerts-page2.json",
    ]);
    let exports: serde_json::Value = serde_json::from_str(&ok_stdout(&args)).unwrap();
    assert_eq!(v["decisions"], exports["decisions"]);
    assert!(
        v["warnings"].to_string().contains("are not used here"),
        "{}",
        v["warnings"]
    );
}

#[test]
fn machine_actions_are_history_with_their_status_and_cannot_be_acted_on() {
    let out = ok_stdout(&[
        "center",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "--now",
        "2026-11-01T00:00:00Z",
        "tests/fixtures/mde-alerts.json",
        "tests/fixtures/mde-machineactions.json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let history = v["history"].as_array().unwrap();
    let isolate = history
        .iter()
        .find(|a| a["id"] == "reported/7f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b")
        .unwrap();
    assert_eq!(isolate["action"], "isolate_device");
    assert_eq!(isolate["status"], "completed");
    assert_eq!(isolate["source"], "Manual response action");
    assert_eq!(isolate["reported_status"], "Succeeded");
    assert!(v["pending"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| !a["id"].as_str().unwrap().starts_with("reported/")));
    let dir = Scratch::new("reported");
    let journal = dir.path("j.jsonl");
    let err = refused(&[
        "undo",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "--journal",
        journal.to_str().unwrap(),
        "--as",
        "A",
        "--role",
        "security_administrator",
        "--id",
        "reported/7f3a9c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b",
        "tests/fixtures/mde-machineactions.json",
    ]);
    assert!(
        err.contains("is an action an export reports; airview shows it but cannot act on it"),
        "{err}"
    );
    assert!(!journal.exists());
}

#[test]
fn a_json_file_that_is_not_an_export_is_refused() {
    let err = refused(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        "tests/fixtures/policy-semi.json",
    ]);
    assert!(err.contains("policy-semi.json`, line"), "{err}");
    assert!(
        err.contains("is not an alert, an incident or a list response"),
        "{err}"
    );
}

/// An export saved as UTF-16 (as some Windows tools save a CSV) loads exactly as its UTF-8
/// original, through the same decoding the app's loading worker uses; a stray byte is
/// replaced and reported with its place rather than refusing the file.
#[test]
fn utf16_exports_load_as_their_utf8_originals_and_stray_bytes_are_reported() {
    let dir = Scratch::new("utf16");
    for (fixture, format) in [
        ("graph-page1.json", "graph"),
        ("AirActions.csv", "air-actions-csv"),
    ] {
        let original = Path::new("tests/fixtures").join(fixture);
        let text = fixture_text(fixture);
        for le in [true, false] {
            let mut bytes = if le {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            for unit in text.encode_utf16() {
                bytes.extend(if le {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            let copy = dir.path(format!("utf16-{le}-{fixture}"));
            std::fs::write(&copy, bytes).unwrap();
            let run = |path: &Path| {
                let out = ok_stdout(&[
                    "center",
                    "--policy",
                    "tests/fixtures/policy-semi.json",
                    "--now",
                    "2026-11-23T00:00:00Z",
                    "--input-format",
                    format,
                    path.to_str().unwrap(),
                ]);
                serde_json::from_str::<serde_json::Value>(&out).unwrap()
            };
            assert_eq!(run(&copy), run(&original), "{fixture}, little-endian: {le}");
        }
    }
    let mut stray = read_fixture("graph-page1.json");
    // A byte inside the first alert's title, which the importer keeps as text.
    let text = String::from_utf8(stray.clone()).unwrap();
    let at = text.find("\"title\": \"").unwrap() + 10;
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').unwrap();
    stray[at] = 0xFF;
    let path = dir.path("stray.json");
    std::fs::write(&path, stray).unwrap();
    let out = ok_stdout(&[
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        path.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let warning = v["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("bytes that are not UTF-8 text were replaced")
            && warning.contains(&format!("the first at line {line}, column {column}")),
        "{warning}"
    );
}

/// A reader that stops early (`airview … | head`) ends the command quietly: exit 0, nothing on
/// stderr. The output is larger than a pipe holds, so the command is still writing when the
/// reader goes.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    let dir = Scratch::new("cli-pipe");
    let export = dir.arg("export.json");
    ok_stdout(&[
        "generate", "--alerts", "400", "--seed", "3", "--out", &export,
    ]);
    let evaluate = [
        "evaluate",
        "--policy",
        "tests/fixtures/policy-semi.json",
        export.as_str(),
    ];
    let generate = ["generate", "--alerts", "400", "--seed", "3"];
    for args in [&evaluate[..], &generate[..]] {
        let mut child = command(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stderr.is_empty(), "{args:?}");
    }
    assert!(std::fs::metadata(&export).unwrap().len() > 1 << 20);
}

/// An output that cannot be written (a full disk) is an error, not a cut output behind exit 0.
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_cannot_be_written_is_an_error() {
    for args in [
        &[
            "evaluate",
            "--policy",
            "tests/fixtures/policy-semi.json",
            PAGES[0],
        ][..],
        &["generate", "--alerts", "5", "--seed", "1"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = command(args).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("airview: cannot write the"), "{err}");
        assert!(err.contains("No space left on device"), "{err}");
    }
}
