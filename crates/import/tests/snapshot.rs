//! Snapshots of datasets the importers build: every fixture, all of them together, generated
//! exports, and datasets that went through a rolled-back load or a merge decode equal to what
//! was encoded, look-up indexes included, whatever the decoding budget.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use airview_engine::model::Dataset;
use airview_engine::snapshot::{decode, encode, Decoder, SnapshotError};
use airview_import::{generate, load};
use common::fixture;

const FIXTURES: &[&str] = &[
    "graph-page1.json",
    "graph-page2.json",
    "graph-incidents.json",
    "mde-alerts.json",
    "mde-alerts-page2.json",
    "mde-investigations.json",
    "mde-machineactions.json",
    "action-center-history.csv",
    "AirActions.csv",
    "AirLogs.csv",
    "session.airview.json",
];

fn load_all(names: &[&str]) -> Dataset {
    common::load_all(names).0
}

fn decode_by(bytes: &[u8], budget: usize) -> Result<Dataset, SnapshotError> {
    let mut decoder = Decoder::new(bytes)?;
    let mut done = 0;
    loop {
        let step = decoder.step(budget)?;
        let (now, total) = decoder.progress();
        assert!(done <= now && now <= total);
        done = now;
        if let Some(data) = step {
            assert_eq!(decoder.progress(), (total, total));
            return Ok(data);
        }
    }
}

/// The snapshot decodes equal at every budget, and finds every device and alert as before.
fn check(data: &Dataset) {
    let bytes = encode(data);
    for budget in [1, 7, usize::MAX] {
        let again = decode_by(&bytes, budget).unwrap();
        assert!(again == *data, "budget {budget}: the dataset changed");
        for e in &data.evidence {
            assert_eq!(again.link_device(e), data.link_device(e));
        }
        for a in &data.alerts {
            assert_eq!(again.alert_by_id(&a.id), data.alert_by_id(&a.id));
        }
    }
}

#[test]
fn every_fixture_comes_back_equal() {
    for name in FIXTURES {
        let data = load_all(&[name]);
        assert!(
            !data.evidence.is_empty()
                || !data.reported_actions.is_empty()
                || !data.investigations.is_empty(),
            "{name} loaded nothing"
        );
        check(&data);
    }
}

#[test]
fn all_fixtures_together_come_back_equal() {
    let data = load_all(FIXTURES);
    assert!(!data.repeated_alerts.is_empty());
    check(&data);
}

#[test]
fn generated_exports_come_back_equal() {
    for (alerts, seed) in [(1, 1), (300, 7), (2_500, 42)] {
        let mut data = Dataset::new();
        load(
            &mut data,
            "generated.json",
            &generate::generate_string(alerts, seed),
            None,
        )
        .unwrap();
        check(&data);
    }
}

#[test]
fn a_dataset_after_a_refused_file_comes_back_equal() {
    let mut data = load_all(&["graph-page1.json", "mde-alerts.json"]);
    let broken = fixture("graph-page2.json");
    assert!(load(&mut data, "broken.json", &broken[..broken.len() / 2], None).is_err());
    check(&data);
}

#[test]
fn every_truncation_and_every_changed_byte_of_a_fixture_is_refused() {
    let bytes = encode(&load_all(&["mde-alerts.json", "mde-machineactions.json"]));
    for n in 0..bytes.len() {
        assert!(decode(&bytes[..n]).is_err(), "{n} bytes");
    }
    for i in 0..bytes.len() {
        for flip in [0x01, 0x80] {
            let mut changed = bytes.clone();
            changed[i] ^= flip;
            assert!(decode_by(&changed, 3).is_err(), "byte {i} ^ {flip:#x}");
        }
    }
}
