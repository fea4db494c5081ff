//! The action lifecycle driven through the CLI, as a script would: load a generated export,
//! approve, reject, undo across instances, be refused an undo as Security Reader (the journal
//! untouched), and time out the rest with `--now`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use common::{airview as run, ok_json as ok, Scratch};
use serde_json::Value;
use std::collections::HashMap;

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

fn find<'a>(view: &'a Value, id: &str) -> &'a Value {
    ["pending", "history"]
        .iter()
        .flat_map(|k| view[*k].as_array().unwrap())
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no action {id}"))
}

#[test]
fn a_script_gets_exactly_what_the_rules_say() {
    let dir = Scratch::new("lifecycle");
    let export = dir.path("export.json");
    let journal = dir.path("journal.jsonl");
    let (export_s, journal_s) = (export.to_str().unwrap(), journal.to_str().unwrap());
    assert!(
        run(&["generate", "--alerts", "300", "--seed", "5", "--out", export_s])
            .status
            .success()
    );
    let policy = "tests/fixtures/policy-semi.json";
    // The generated investigations end on 2026-11-01; an hour later, last week's pending
    // actions still wait.
    let t0 = "2026-11-01T01:00:00Z";
    let view = ok(&["center", "--policy", policy, "--now", t0, export_s]);
    let pending = ids(&view["pending"]);
    assert!(pending.len() >= 3, "{pending:?}");
    for a in view["pending"].as_array().unwrap() {
        assert_eq!(a["status"], "pending");
        assert!(a["decided_by"].is_null());
    }

    // SHA-256 of every file evidence, from the export itself.
    let raw: Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    let mut sha: HashMap<String, String> = HashMap::new();
    for alert in raw["value"].as_array().unwrap() {
        for (i, e) in alert["evidence"].as_array().unwrap().iter().enumerate() {
            if let Some(h) = e["fileDetails"]["sha256"].as_str() {
                sha.insert(
                    format!("{}/{i}", alert["id"].as_str().unwrap()),
                    h.to_owned(),
                );
            }
        }
    }

    let admin = [
        "--as",
        "Alice",
        "--role",
        "Security Administrator",
        "--role",
        "search_and_purge",
    ];
    let endpoint_pending: Vec<&String> = pending
        .iter()
        .filter(|id| find(&view, id)["device_group"].is_string())
        .collect();
    assert!(endpoint_pending.len() >= 2, "{endpoint_pending:?}");
    let approve_id = endpoint_pending[0].as_str();
    let reject_id = endpoint_pending[1].as_str();
    let at1 = "2026-11-01T01:05:00Z";
    let mut args = vec![
        "approve",
        "--policy",
        policy,
        "--journal",
        journal_s,
        "--at",
        at1,
        "--id",
        approve_id,
        "--comment",
        "confirmed malware",
    ];
    args.extend(admin);
    args.push(export_s);
    let changed = ok(&args);
    assert_eq!(ids(&changed["changed"]), vec![approve_id.to_owned()]);
    assert_eq!(changed["changed"][0]["status"], "completed");
    assert_eq!(changed["changed"][0]["decided_by"], "Alice");
    assert_eq!(changed["changed"][0]["comment"], "confirmed malware");

    let at2 = "2026-11-01T01:06:00Z";
    let mut args = vec![
        "reject",
        "--policy",
        policy,
        "--journal",
        journal_s,
        "--at",
        at2,
        "--id",
        reject_id,
        "--comment",
        "false positive: admin tool",
    ];
    args.extend(admin);
    args.push(export_s);
    let changed = ok(&args);
    assert_eq!(changed["changed"][0]["status"], "rejected");

    // Undo across instances: a completed quarantine whose file was quarantined elsewhere too.
    let view = ok(&[
        "center",
        "--policy",
        policy,
        "--journal",
        journal_s,
        "--now",
        at2,
        export_s,
    ]);
    let quarantines: Vec<&Value> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["action"] == "quarantine_file"
                && a["status"] == "completed"
                && sha.contains_key(a["id"].as_str().unwrap())
        })
        .collect();
    let (first, instances) = quarantines
        .iter()
        .find_map(|a| {
            let h = &sha[a["id"].as_str().unwrap()];
            let same: Vec<String> = quarantines
                .iter()
                .filter(|b| &sha[b["id"].as_str().unwrap()] == h)
                .map(|b| b["id"].as_str().unwrap().to_owned())
                .collect();
            (same.len() >= 2).then(|| (a["id"].as_str().unwrap().to_owned(), same))
        })
        .expect("a file quarantined on two devices");

    // As Security Reader: refused, exit 2, the journal byte for byte as it was.
    let before = std::fs::read(&journal).unwrap();
    let out = run(&[
        "undo",
        "--policy",
        policy,
        "--journal",
        journal_s,
        "--at",
        "2026-11-01T01:07:00Z",
        "--id",
        &first,
        "--all-instances",
        "--as",
        "Reader",
        "--role",
        "security_reader",
        export_s,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Security Administrator"), "{err}");
    assert_eq!(std::fs::read(&journal).unwrap(), before);

    let mut args = vec![
        "undo",
        "--policy",
        policy,
        "--journal",
        journal_s,
        "--at",
        "2026-11-01T01:08:00Z",
        "--id",
        first.as_str(),
        "--all-instances",
    ];
    args.extend(admin);
    args.push(export_s);
    let changed = ok(&args);
    let mut undone = ids(&changed["changed"]);
    undone.sort();
    let mut expected = instances.clone();
    expected.sort();
    assert_eq!(undone, expected);
    assert!(changed["changed"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["status"] == "undone"));

    // Eight days on, whatever still waited has timed out; decided actions keep their status.
    let later = ok(&[
        "center",
        "--policy",
        policy,
        "--journal",
        journal_s,
        "--now",
        "2026-11-09T02:00:00Z",
        export_s,
    ]);
    assert_eq!(later["pending"], serde_json::json!([]));
    for id in &pending {
        let a = find(&later, id);
        let expected = if instances.contains(id) {
            "undone"
        } else if id == approve_id {
            "completed"
        } else if id == reject_id {
            "rejected"
        } else {
            "timed_out"
        };
        assert_eq!(a["status"], expected, "{id}");
    }
    assert_eq!(
        std::fs::read_to_string(&journal).unwrap().lines().count(),
        3
    );

    // The history export as CSV, with the portal's columns.
    let out = run(&[
        "history",
        "--format",
        "csv",
        "--policy",
        policy,
        "--journal",
        journal_s,
        "--now",
        "2026-11-09T02:00:00Z",
        export_s,
    ]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("Action update time,Investigation ID,Action type,Entity,Device or mailbox,Status,Action source,Decided by,Comment"), "{csv}");
    assert!(csv.contains("false positive: admin tool"));
}

const POLICY: &str = "tests/fixtures/policy-semi.json";
const PAGE: &str = "tests/fixtures/graph-page1.json";

fn act(kind: &str, journal: &str, id: &str, at: Option<&str>) -> std::process::Output {
    let mut args = vec![
        kind,
        "--policy",
        POLICY,
        "--journal",
        journal,
        "--as",
        "Alice",
        "--role",
        "security_administrator",
        "--id",
        id,
    ];
    if let Some(at) = at {
        args.extend(["--at", at]);
    }
    args.push(PAGE);
    run(&args)
}

/// The time an act was recorded at, from the journal's last line.
fn last_recorded_at(journal: &std::path::Path) -> String {
    let text = std::fs::read_to_string(journal).unwrap();
    let line: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    line["entry"]["at"].as_str().unwrap().to_owned()
}

/// The journal is kept in time order. A time the analyst gives that is before the last event
/// is refused (the journal untouched); the clock, when it is behind the journal, is not: the
/// act is recorded at the last event's time.
#[test]
fn acts_are_recorded_in_time_order() {
    let dir = Scratch::new("time-order");
    let journal = dir.path("j.jsonl");
    let j = journal.to_str().unwrap();
    let approved = act("approve", j, "da100_2/1", Some("2026-10-22T00:00:00Z"));
    assert!(approved.status.success());
    // The far future: the machine's clock is behind this event.
    let undone = act("undo", j, "da100_1/1", Some("2099-01-01T00:00:00Z"));
    assert!(undone.status.success());
    let before = std::fs::read(&journal).unwrap();

    let out = act("undo", j, "da100_2/1", Some("2098-12-31T00:00:00Z"));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("undo refused: the event is dated `2098-12-31T00:00:00.000Z`, before the last recorded event (`2099-01-01T00:00:00.000Z`)"),
        "{err}"
    );
    assert_eq!(std::fs::read(&journal).unwrap(), before);

    let out = act("undo", j, "da100_2/1", None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let changed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(changed["changed"][0]["status"], "undone");
    assert_eq!(
        changed["changed"][0]["decided_at"],
        "2099-01-01T00:00:00.000Z"
    );
    assert_eq!(last_recorded_at(&journal), "2099-01-01T00:00:00.000Z");
}

/// What the center cannot show (a warning about the exports or the policy) goes to stderr
/// rather than nowhere; stdout keeps the center's JSON.
#[test]
fn the_centers_input_warnings_go_to_stderr() {
    let args = [
        "center",
        "--policy",
        POLICY,
        "--now",
        "2026-11-01T00:00:00Z",
        "tests/fixtures/mde-alerts.json",
        "tests/fixtures/mde-alerts-page2.json",
        PAGE,
    ];
    let out = run(&args);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("airview: warning: `tests/fixtures/mde-alerts-page2.json`: 1 alert(s) were loaded already and are skipped"),
        "{err}"
    );
    assert!(
        err.contains("airview: warning: 1 evidence item(s) carry the verdict `unknownFutureValue`"),
        "{err}"
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        ok(&args)
    );
}

/// A journal that does not verify, or whose entry the loaded data refuses, is bad input: the
/// message names the journal (and the line), and the center is not shown.
#[test]
fn a_journal_that_does_not_fit_is_refused_with_its_line() {
    let dir = Scratch::new("bad-journal");
    let journal = dir.path("j.jsonl");
    let j = journal.to_str().unwrap();
    assert!(act("approve", j, "da100_2/1", Some("2026-10-22T00:00:00Z"))
        .status
        .success());
    let center = |export: &str| {
        run(&[
            "center",
            "--policy",
            POLICY,
            "--journal",
            j,
            "--now",
            "2026-10-23T00:00:00Z",
            export,
        ])
    };
    assert!(center(PAGE).status.success());
    // Over other data, the approved action does not exist.
    let out = center("tests/fixtures/mde-alerts.json");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with(&format!(
            "airview: journal `{j}`, line 1: the entry is refused: "
        )),
        "{err}"
    );
    // A changed line breaks the chain.
    let text = std::fs::read_to_string(&journal).unwrap();
    std::fs::write(&journal, text.replace("da100_2/1", "da100_2/2")).unwrap();
    let out = center(PAGE);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with(&format!("airview: `{j}`: ")), "{err}");
    assert!(err.contains("line 1"), "{err}");
}
