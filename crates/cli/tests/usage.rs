//! The command line itself: `--help` and `--version` print on stdout and exit 0, usage errors
//! exit 2 with the message on stderr and nothing on stdout, and the spellings scripts used
//! before `--format` and `--input-format` were two flags still work.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use common::{airview, ok_json, ok_stdout, refused, Scratch};

const POLICY: &str = "tests/fixtures/policy-semi.json";
const PAGE: &str = "tests/fixtures/graph-page1.json";

/// Every command, with options its help must list.
const COMMANDS: [(&str, &[&str]); 8] = [
    (
        "evaluate",
        &["--policy", "--format", "--input-format", "<EXPORT>"],
    ),
    ("diff", &["--from", "--to", "--format", "--input-format"]),
    ("generate", &["--alerts", "--seed", "--until", "--out"]),
    ("center", &["--policy", "--journal", "--now", "--format"]),
    (
        "approve",
        &["--as", "--role", "--id", "--comment", "--at", "--journal"],
    ),
    (
        "reject",
        &["--as", "--role", "--id", "--comment", "--at", "--journal"],
    ),
    (
        "undo",
        &["--as", "--role", "--id", "--all-instances", "--journal"],
    ),
    ("history", &["--format", "--policy", "--journal", "--now"]),
];

/// Runs `airview` with `args`, which must print on stdout and nothing on stderr, exit 0.
fn prints(args: &[&str]) -> String {
    let out = airview(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    assert!(
        out.stderr.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_lists_every_command_and_exits_0() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let help = prints(args);
        assert!(help.contains("Usage: airview <COMMAND>"), "{help}");
        for (command, _) in COMMANDS {
            assert!(
                help.contains(&format!("\n  {command} ")),
                "{command}: {help}"
            );
        }
        assert!(
            help.contains("Microsoft Defender automated investigations"),
            "{help}"
        );
    }
}

#[test]
fn every_command_has_help_that_lists_its_options() {
    for (command, options) in COMMANDS {
        let help = prints(&[command, "--help"]);
        assert!(
            help.contains(&format!("Usage: airview {command} ")),
            "{command}: {help}"
        );
        for option in options {
            assert!(help.contains(option), "{command} {option}: {help}");
        }
        assert_eq!(prints(&["help", command]), help, "airview help {command}");
    }
    // The input formats and the roles are listed by the names the options take.
    let help = prints(&["approve", "--help"]);
    assert!(help.contains("mde-alerts"), "{help}");
    assert!(help.contains("security_administrator"), "{help}");
}

#[test]
fn version_prints_the_version() {
    assert_eq!(
        prints(&["--version"]),
        format!("airview {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2_with_the_message_on_stderr() {
    let err = refused(&["evaluate", "--policy", POLICY, "--frobnicate", PAGE]);
    assert!(
        err.starts_with("airview: unknown option `--frobnicate`"),
        "{err}"
    );
    assert!(err.contains("Usage: airview evaluate"), "{err}");
    let err = refused(&["evaluate", "--polcy", POLICY, PAGE]);
    assert!(
        err.contains("a similar argument exists: '--policy'"),
        "{err}"
    );
    let err = refused(&["center", PAGE]);
    assert!(err.starts_with("airview: `--policy` is required"), "{err}");
    let err = refused(&[
        "approve",
        "--policy",
        POLICY,
        "--journal",
        "j.jsonl",
        "--as",
        "A",
        PAGE,
    ]);
    assert!(
        err.contains("`--role` is required (one or more: the analyst's roles)"),
        "{err}"
    );
    assert!(err.contains("`--id` is required"), "{err}");
    let err = refused(&["evaluate", "--policy", POLICY]);
    assert!(
        err.starts_with("airview: no export given; name one or more export files"),
        "{err}"
    );
    let err = refused(&["evaluate", "--policy", POLICY, "--policy", POLICY, PAGE]);
    assert!(
        err.starts_with("airview: `--policy` is given more than once"),
        "{err}"
    );
    let err = refused(&["evaluate", PAGE, "--policy"]);
    assert!(
        err.starts_with("airview: `--policy` needs a value"),
        "{err}"
    );
    let err = refused(&["frobnicate"]);
    assert!(
        err.starts_with("airview: unknown command `frobnicate`"),
        "{err}"
    );
    let err = refused(&["generate", "--alerts", "1", "--seed", "1", "extra"]);
    assert!(
        err.starts_with("airview: unexpected argument `extra`"),
        "{err}"
    );
    let err = refused(&["center", "--policy", POLICY, "--now", "yesterday", PAGE]);
    assert!(
        err.starts_with(
            "airview: `--now` takes a date and time like `2026-11-23T09:30:00Z`, not `yesterday`"
        ),
        "{err}"
    );
    let err = refused(&[
        "approve",
        "--policy",
        POLICY,
        "--journal",
        "j.jsonl",
        "--as",
        "A",
        "--role",
        "intern",
        "--id",
        "x",
        PAGE,
    ]);
    assert!(err.starts_with("airview: unknown role `intern`"), "{err}");
    // `airview` alone is a usage error too: the help, on stderr.
    let err = refused(&[]);
    assert!(err.contains("Usage: airview <COMMAND>"), "{err}");
}

#[test]
fn format_may_still_name_an_input_format_with_a_note() {
    let new = airview(&[
        "evaluate",
        "--policy",
        POLICY,
        "--input-format",
        "graph",
        PAGE,
    ]);
    let old = airview(&["evaluate", "--policy", POLICY, "--format", "graph", PAGE]);
    assert!(old.status.success());
    assert_eq!(old.stdout, new.stdout);
    assert!(new.stderr.is_empty());
    assert_eq!(
        String::from_utf8(old.stderr).unwrap(),
        "airview: note: `--format graph` names an input format; the option is `--input-format graph` now\n"
    );
    // Both meanings of the old flag at once.
    let out = airview(&[
        "evaluate",
        "--format",
        "table",
        "--format",
        "mde-alerts",
        "--policy",
        POLICY,
        "tests/fixtures/mde-alerts.json",
    ]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("ALERT/EVIDENCE"), "{table}");
    assert!(table.contains("11 evidence"), "{table}");
    let v = ok_json(&[
        "evaluate",
        "--format",
        "json",
        "--format",
        "mde-alerts",
        "--policy",
        POLICY,
        "tests/fixtures/mde-alerts.json",
    ]);
    assert_eq!(v["summary"]["evidence"], 11);
    // Two input formats, one by each spelling, are refused rather than one winning.
    let err = refused(&[
        "evaluate",
        "--format",
        "graph",
        "--input-format",
        "mde-alerts",
        "--policy",
        POLICY,
        PAGE,
    ]);
    assert!(
        err.contains("two input formats given, `graph` and `mde-alerts`; give one"),
        "{err}"
    );
}

#[test]
fn history_format_is_the_history_format_and_may_name_an_input_format() {
    let at = ["--now", "2026-11-01T00:00:00Z"];
    let csv = ok_stdout(&[
        "history", "--format", "csv", "--policy", POLICY, at[0], at[1], PAGE,
    ]);
    assert!(
        csv.starts_with("Action update time,Investigation ID,"),
        "{csv}"
    );
    let old = airview(&[
        "history", "--format", "csv", "--format", "graph", "--policy", POLICY, at[0], at[1], PAGE,
    ]);
    assert!(old.status.success());
    assert_eq!(String::from_utf8(old.stdout).unwrap(), csv);
    assert!(String::from_utf8(old.stderr)
        .unwrap()
        .contains("`--input-format graph` now"));
    let json = ok_json(&["history", "--policy", POLICY, at[0], at[1], PAGE]);
    assert_eq!(json.as_array().unwrap().len(), csv.lines().count() - 1);
    // Two history formats are refused; before, the last one won.
    let err = refused(&[
        "history", "--format", "csv", "--format", "json", "--policy", POLICY, PAGE,
    ]);
    assert!(
        err.contains("two output formats given, `csv` and `json`; give one"),
        "{err}"
    );
    let err = refused(&["history", "--format", "table", "--policy", POLICY, PAGE]);
    assert!(
        err.contains("unknown history format `table`; use `csv` or `json`"),
        "{err}"
    );
}

#[test]
fn the_center_and_the_acts_print_a_table_when_asked() {
    let table = ok_stdout(&[
        "center",
        "--format",
        "table",
        "--policy",
        POLICY,
        "--now",
        "2026-10-21T00:00:00Z",
        PAGE,
    ]);
    assert!(table.starts_with("PENDING (3)\nID "), "{table}");
    assert!(table.contains("\nHISTORY (1)\n"), "{table}");
    assert!(table.contains("\nINVESTIGATIONS (2)\n"), "{table}");
    assert!(
        table.contains("da100_1/2                    kill_process"),
        "{table}"
    );
    let dir = Scratch::new("usage-table");
    let journal = dir.arg("j.jsonl");
    let changed = ok_stdout(&[
        "approve",
        "--format",
        "table",
        "--policy",
        POLICY,
        "--journal",
        &journal,
        "--as",
        "Alice",
        "--role",
        "security_administrator",
        "--id",
        "da100_1/2",
        "--at",
        "2026-10-21T00:00:00Z",
        PAGE,
    ]);
    assert!(changed.starts_with("CHANGED (1)\n"), "{changed}");
    assert!(changed.contains("completed  Alice"), "{changed}");
}
