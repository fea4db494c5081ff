//! The action lifecycle driven through the CLI, as a script would: load a generated export,
//! approve, reject, undo across instances, be refused an undo as Security Reader (the journal
//! untouched), and time out the rest with `--now`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

use serde_json::Value;
use std::collections::HashMap;
mod common;

use common::airview as run;

fn ok(args: &[&str]) -> Value {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{:?}: {}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

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
    let dir = std::env::temp_dir().join(format!("airview-lifecycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let export = dir.join("export.json");
    let journal = dir.join("journal.jsonl");
    let (export_s, journal_s) = (export.to_str().unwrap(), journal.to_str().unwrap());
    let _ = std::fs::remove_file(&journal);
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
    let _ = std::fs::remove_dir_all(dir);
}
