//! What every importer target checks, whatever the bytes: no panic; a refused file leaves the
//! dataset exactly as it was; an accepted file can be decided under a policy.

use airview_engine::{evaluate, Dataset, Policy};
use airview_import::{airview, load, Format};

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
