//! What each fuzz target checks, whatever the bytes, a function per target named as the target
//! (`fuzz/Cargo.toml`). The targets call them; `crates/import/tests/fuzz_regressions.rs`
//! replays the inputs they once failed on through the same functions (`check`).
//!
//! The importer targets (`graph`, `mde`, `csv`, `airview_file`): no panic; a refused file
//! leaves the dataset exactly as it was; an accepted file can be decided under a policy and
//! survives a round trip through airview's file. The parser targets (`policy`, `journal`): no
//! panic; what is accepted, written back, reads back the same.

use airview_engine::{evaluate, Dataset, Journal, Policy};
use airview_import::{airview, load, Format};

/// The names of the targets, as `cargo fuzz run TARGET` and `fuzz/artifacts/TARGET/` spell
/// them.
pub const TARGETS: [&str; 6] = ["graph", "mde", "csv", "airview_file", "policy", "journal"];

/// Runs the check of the target named `target` on `bytes`; false when there is no such target.
pub fn check(target: &str, bytes: &[u8]) -> bool {
    match target {
        "graph" => graph(bytes),
        "mde" => mde(bytes),
        "csv" => csv(bytes),
        "airview_file" => airview_file(bytes),
        "policy" => policy(bytes),
        "journal" => journal(bytes),
        _ => return false,
    }
    true
}

/// The Graph importer.
pub fn graph(bytes: &[u8]) {
    check_import(bytes, &[Format::Graph]);
}

/// The Defender for Endpoint importers: alerts, investigations, machine actions.
pub fn mde(bytes: &[u8]) {
    check_import(
        bytes,
        &[
            Format::MdeAlerts,
            Format::MdeInvestigations,
            Format::MdeMachineActions,
        ],
    );
}

/// The CSV importers: Action center history, AirActions.csv, AirLogs.csv.
pub fn csv(bytes: &[u8]) {
    check_import(
        bytes,
        &[
            Format::ActionCenterCsv,
            Format::AirActionsCsv,
            Format::AirLogsCsv,
        ],
    );
}

/// airview's own file.
pub fn airview_file(bytes: &[u8]) {
    check_import(bytes, &[Format::Airview]);
}

/// The policy parser: a policy or a list of errors; an accepted policy writes back to a file
/// that parses to the same policy.
pub fn policy(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match Policy::parse_json(text) {
        Ok((policy, _warnings)) => {
            let Ok(text) = policy.to_json() else {
                panic!("an accepted policy does not serialise");
            };
            let again = Policy::parse_json(&text);
            assert!(
                matches!(&again, Ok((p, _)) if *p == policy),
                "a written policy reads back differently"
            );
        }
        Err(errors) => assert!(!errors.is_empty()),
    }
}

/// The journal parser: entries or the line where the chain breaks; accepted entries, written
/// again, read back the same.
pub fn journal(bytes: &[u8]) {
    match Journal::read(bytes) {
        Ok(journal) => {
            let again = Journal::parse(&Journal::write(&journal.entries));
            assert!(
                matches!(&again, Ok(e) if *e == journal.entries),
                "a written journal reads back differently"
            );
        }
        Err(e) => assert!(e.line >= 1),
    }
}

/// A dataset that already holds a Graph page, so that rollback has something to protect.
pub fn base() -> Dataset {
    let mut data = Dataset::new();
    let page = include_str!("../../tests/fixtures/graph-page1.json");
    if load(&mut data, "base.json", page, Some(Format::Graph)).is_err() {
        // The fixture is known good; a failure here is itself a finding.
        std::process::abort();
    }
    data
}

/// The parts of a dataset a load adds to (interned strings may stay after a rollback).
fn extent(d: &Dataset) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &d.files,
        &d.alerts,
        &d.evidence,
        &d.devices,
        &d.alert_devices,
        &d.repeated_alerts,
    )
}

/// Loads `bytes` as each of `formats` (and once with detection) into a fresh copy of `base`.
pub fn check_import(bytes: &[u8], formats: &[Format]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let before = base();
    let policy = Policy::default();
    for format in formats.iter().copied().map(Some).chain([None]) {
        let mut data = before.clone();
        match load(&mut data, "fuzz", text, format) {
            Ok(report) => {
                let decisions = evaluate(&data, &policy);
                assert_eq!(decisions.len(), data.evidence.len());
                round_trip(&data, report.journal.as_deref().unwrap_or(""));
            }
            Err(e) => {
                assert!(
                    extent(&data) == extent(&before),
                    "a refused file changed the dataset: {e}"
                );
                assert!(!e.message.is_empty());
            }
        }
    }
}

/// Saved in airview's file and loaded again, a dataset is the same and saves to the same bytes.
fn round_trip(data: &Dataset, journal: &str) {
    let saved = match airview::export(data, None, journal) {
        Ok(s) => s,
        Err(e) => panic!("an accepted dataset does not save: {e}"),
    };
    let mut again = Dataset::new();
    if let Err(e) = load(
        &mut again,
        "saved.airview.json",
        &saved,
        Some(Format::Airview),
    ) {
        panic!("a saved dataset does not load: {e}");
    }
    assert!(
        extent(&again) == extent(data),
        "a saved dataset loads differently"
    );
    assert!(
        again.investigations == data.investigations
            && again.reported_actions == data.reported_actions
    );
    assert!(
        airview::export(&again, None, journal).as_deref() == Ok(saved.as_str()),
        "saving again gives other bytes"
    );
}
