//! What every load must leave behind, whatever the file: a refused file changes nothing, an
//! accepted one decides every evidence item and survives airview's file, and progress only
//! moves forward within the text.

use super::base;
use airview_engine::model::Dataset;
use airview_engine::{evaluate, Policy};
use airview_import::{airview, load, load_with_progress, Format, Progress};
use std::fmt::Display;

/// A refused load left `data` as it was `before` (interned strings aside, which a rollback
/// may keep).
pub fn assert_unchanged(data: &Dataset, before: &Dataset, context: impl Display) {
    assert_eq!(data.alerts, before.alerts, "{context}");
    assert_eq!(data.evidence, before.evidence, "{context}");
    assert_eq!(data.devices, before.devices, "{context}");
    assert_eq!(data.reported_actions, before.reported_actions, "{context}");
    assert_eq!(data.investigations, before.investigations, "{context}");
    assert_eq!(data.files, before.files, "{context}");
}

/// Every evidence item belongs to an alert, and the dataset survives airview's file.
pub fn assert_consistent(data: &Dataset, text: &str) {
    for e in &data.evidence {
        assert!(
            (e.alert as usize) < data.alerts.len(),
            "orphan evidence from {text:.200}"
        );
    }
    let saved = airview::export(data, None, "").unwrap();
    let mut again = Dataset::new();
    if let Err(e) = load(&mut again, "saved", &saved, None) {
        panic!("a saved dataset does not load ({e}) from {text:.200}");
    }
    assert_eq!(again.evidence, data.evidence);
}

/// Loads `text` as every format and with detection, each time into a dataset that holds a
/// Graph page already; returns how many loads were accepted. Each load: progress only grows
/// and stays within the text; an accepted one ends at the text's end with the report's
/// evidence, decides every item and is consistent; a refused one says why (without a final
/// period) and changes nothing.
pub fn survive(text: &str) -> usize {
    let before = base();
    let mut accepted = 0;
    for format in Format::ALL.into_iter().map(Some).chain([None]) {
        let mut data = before.clone();
        let mut calls: Vec<Progress> = Vec::new();
        let result = load_with_progress(&mut data, "hostile", text, format, &mut |p| calls.push(p));
        for pair in calls.windows(2) {
            if let [a, b] = pair {
                assert!(
                    a.bytes <= b.bytes && a.evidence <= b.evidence,
                    "{format:?}: {calls:?}"
                );
            }
        }
        assert!(
            calls.iter().all(|p| p.bytes <= text.len()),
            "{format:?}: {calls:?}"
        );
        match result {
            Ok(report) => {
                assert_eq!(
                    calls.last(),
                    Some(&Progress {
                        bytes: text.len(),
                        evidence: report.evidence
                    }),
                    "{format:?}"
                );
                accepted += 1;
                assert_eq!(
                    evaluate(&data, &Policy::default()).len(),
                    data.evidence.len()
                );
                assert_consistent(&data, text);
            }
            Err(e) => {
                assert!(!e.message.is_empty());
                assert_eq!(
                    e.message,
                    e.message.trim_end_matches('.'),
                    "no final period"
                );
                assert_unchanged(&data, &before, format_args!("{format:?}: {e}"));
            }
        }
    }
    accepted
}
