//! `load_with_progress`: what a progress bar is told, for every format, on small and large
//! files, on files that load and files that do not.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use airview_engine::model::Dataset;
use airview_import::{generate, load_with_progress, Format, ImportError, LoadReport, Progress};
use common::checks::assert_unchanged;
use common::data_fixtures as fixtures;
use serde_json::{json, Value};

/// Loads `text` into `data`, checks what the callback was told, and returns the calls.
///
/// Every load: the calls never go back and never pass the end of the text. A load that
/// succeeds starts at `(0, 0)` and ends at the end of the text with the report's evidence;
/// one that fails ends short of it and leaves `data` as it was.
fn check(
    data: &mut Dataset,
    name: &str,
    text: &str,
    format: Option<Format>,
) -> (Result<LoadReport, ImportError>, Vec<Progress>) {
    let before = data.clone();
    let mut calls = Vec::new();
    let result = load_with_progress(data, name, text, format, &mut |p| calls.push(p));
    for pair in calls.windows(2) {
        let [a, b] = pair else { unreachable!() };
        assert!(
            a.bytes <= b.bytes && a.evidence <= b.evidence,
            "{name}: progress went back from {a:?} to {b:?}"
        );
    }
    for p in &calls {
        assert!(
            p.bytes <= text.len(),
            "{name}: {p:?} is past {}",
            text.len()
        );
    }
    match &result {
        Ok(report) => {
            assert_eq!(calls.first(), Some(&Progress::default()), "{name}");
            assert_eq!(
                calls.last(),
                Some(&Progress {
                    bytes: text.len(),
                    evidence: report.evidence
                }),
                "{name}"
            );
        }
        Err(e) => {
            assert!(
                calls.iter().all(|p| p.bytes < text.len()),
                "{name}: a failed load reported the end ({e})"
            );
            assert_unchanged(data, &before, format_args!("{name}: {e}"));
        }
    }
    (result, calls)
}

/// The calls between the first and the last: a large file must have many, each strictly
/// inside the text.
fn assert_many_steps(name: &str, text: &str, calls: &[Progress]) {
    assert!(
        text.len() > 1 << 20,
        "{name}: {} bytes is too small to test steps",
        text.len()
    );
    let inner = calls.get(1..calls.len() - 1).unwrap();
    assert!(inner.len() > 5, "{name}: {} calls: {calls:?}", calls.len());
    for p in inner {
        assert!(0 < p.bytes && p.bytes < text.len(), "{name}: {p:?}");
    }
    // At least every MiB, measured from one call to the next.
    for pair in calls.windows(2) {
        let [a, b] = pair else { unreachable!() };
        assert!(b.bytes - a.bytes <= 1 << 20, "{name}: {a:?} to {b:?}");
    }
}

#[test]
fn every_fixture_starts_at_zero_and_ends_at_its_length_and_its_evidence() {
    let files = fixtures();
    assert!(files.len() >= 10, "{files:?}");
    // Each alone, and all into one dataset, where later pages repeat earlier alerts.
    let mut together = Dataset::new();
    for (name, text) in &files {
        let (alone, _) = check(&mut Dataset::new(), name, text, None);
        alone.unwrap_or_else(|e| panic!("{e}"));
        let (after_others, _) = check(&mut together, name, text, None);
        after_others.unwrap_or_else(|e| panic!("{e}"));
        // A byte order mark counts as bytes of the file.
        let marked = format!("\u{feff}{text}");
        check(&mut Dataset::new(), name, &marked, None)
            .0
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn a_generated_export_reports_many_times_on_the_way() {
    let text = generate::generate_string(2000, 7);
    let (report, calls) = check(&mut Dataset::new(), "gen.json", &text, None);
    let report = report.unwrap();
    assert!(report.evidence > 2000);
    assert_many_steps("gen.json", &text, &calls);
    // Evidence is counted as it is read, not only at the end.
    let middle = calls.get(calls.len() / 2).unwrap();
    assert!(0 < middle.evidence && middle.evidence < report.evidence);
}

#[test]
fn keys_written_with_escapes_still_give_progress_within_the_text() {
    // Escaped keys are copied out of the text by the parser: they are no position, and
    // must not be taken for one.
    let text = generate::generate_string(300, 7)
        .replace("\"evidence\"", "\"\\u0065vidence\"")
        .replace("\"id\"", "\"\\u0069d\"");
    let (report, _) = check(&mut Dataset::new(), "escaped.json", &text, None);
    assert!(report.unwrap().evidence > 300);
}

#[test]
fn a_repeated_export_reports_no_evidence_the_report_does_not_count() {
    let text = generate::generate_string(2000, 7);
    let mut data = Dataset::new();
    check(&mut data, "first.json", &text, None).0.unwrap();
    let (report, calls) = check(&mut data, "again.json", &text, None);
    assert_eq!(report.unwrap().evidence, 0);
    assert!(calls.iter().all(|p| p.evidence == 0), "{calls:?}");
    assert_many_steps("again.json", &text, &calls);
}

/// `copies` copies of a Defender for Endpoint fixture's objects, each with an id of its own.
fn mde_copies(name: &str, copies: usize) -> String {
    let (_, text) = fixtures().into_iter().find(|(n, _)| n == name).unwrap();
    let page: Value = serde_json::from_str(&text).unwrap();
    let items = page["value"].as_array().unwrap();
    let value: Vec<Value> = (0..copies)
        .flat_map(|copy| {
            items.iter().map(move |item| {
                let mut item = item.clone();
                let id = item["id"].to_string();
                item["id"] = json!(format!("{id}-{copy}"));
                item
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "value": value })).unwrap()
}

#[test]
fn large_defender_for_endpoint_files_report_many_times_on_the_way() {
    for (name, copies) in [
        ("mde-alerts.json", 500),
        ("mde-investigations.json", 2000),
        ("mde-machineactions.json", 800),
    ] {
        let text = mde_copies(name, copies);
        let (report, calls) = check(&mut Dataset::new(), name, &text, None);
        let report = report.unwrap_or_else(|e| panic!("{e}"));
        assert!(report.alerts + report.investigations + report.actions >= copies);
        assert_many_steps(name, &text, &calls);
    }
}

#[test]
fn a_large_csv_file_reports_many_times_on_the_way() {
    let (_, text) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "action-center-history.csv")
        .unwrap();
    let (header, rows) = text.split_once('\n').unwrap();
    let text = format!("{header}\n{}", rows.repeat(3000));
    let (report, calls) = check(&mut Dataset::new(), "history.csv", &text, None);
    assert!(report.unwrap().actions > 3000);
    assert_many_steps("history.csv", &text, &calls);
}

#[test]
fn a_file_that_fails_never_reports_past_its_text_nor_its_end() {
    let mut data = Dataset::new();
    check(
        &mut data,
        "base.json",
        &generate::generate_string(50, 1),
        None,
    )
    .0
    .unwrap();
    let text = generate::generate_string(2000, 7);
    // Cut in the middle of the file, then made malformed rather than short.
    let cut = text.len() / 2;
    let cut = (cut..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap();
    let broken = [
        text[..cut].to_owned(),
        format!("{}, ]]}}", &text[..cut]),
        format!("{text}x"),
        {
            // The 1500th alert's evidence is closed as if it were an object.
            let (at, _) = text.match_indices("\"evidence\":[").nth(1500).unwrap();
            format!("{}}}{}", &text[..at + 12], &text[at + 12..])
        },
    ];
    for (i, broken) in broken.iter().enumerate() {
        let (result, calls) = check(&mut data, "broken.json", broken, Some(Format::Graph));
        assert!(result.is_err(), "case {i} loaded");
        assert!(
            calls.len() > 1,
            "case {i}: the reader was well in before failing"
        );
    }
    let csv = format!(
        "Action type,Status,Action update time\n{}Quarantine a file,Completed,not a time\n",
        "Quarantine a file,Completed,2026-10-21T09:40:00Z\n".repeat(30_000)
    );
    let (result, calls) = check(&mut data, "broken.csv", &csv, None);
    assert!(result.is_err());
    assert!(calls.len() > 1);
}

#[test]
fn a_file_refused_before_reading_reports_nothing() {
    let mut calls = Vec::new();
    let result = load_with_progress(
        &mut Dataset::new(),
        "what.txt",
        "neither JSON nor CSV",
        None,
        &mut |p| calls.push(p),
    );
    assert!(result.is_err());
    assert_eq!(calls, []);
}
