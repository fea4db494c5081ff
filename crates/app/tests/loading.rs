//! A load's parts that need no browser: the worker's import of a file's bytes, the protocol
//! both halves speak, and how the worker's answers join what was loaded before.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use airview_app::import::{import_file, refusal_by_size};
use airview_app::protocol::{decode, encode};
use airview_app::{
    join_results, Basis, Export, FileRef, FileResult, FromWorker, LoadProgress, NoticeKind, Phase,
    ToWorker,
};
use airview_engine::Dataset;
use common::*;

fn utf16(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

#[test]
fn the_worker_imports_a_utf16_export_as_it_would_the_utf8_one() {
    let text = fixture("graph-page1.json");
    let mut plain = Dataset::new();
    let a = import_file(
        &mut plain,
        0,
        "a.json",
        text.clone().into_bytes(),
        &mut |_, _| {},
    );
    let mut wide = Dataset::new();
    let mut last = (0, 0);
    let bytes = utf16(&text);
    let total = bytes.len() as u64;
    let b = import_file(&mut wide, 1, "b.json", bytes, &mut |at, evidence| {
        assert!(at <= total);
        last = (at, evidence);
    });
    assert_eq!(a.error, None);
    assert_eq!(b.error, None);
    assert_eq!(b.index, 1);
    assert_eq!(b.format, "Microsoft Graph security API export");
    assert_eq!((b.alerts, b.evidence), (a.alerts, a.evidence));
    assert_eq!(plain.evidence.len(), wide.evidence.len());
    assert_eq!(
        last,
        (total, b.evidence),
        "the progress ends at the file's size"
    );
}

#[test]
fn a_file_that_does_not_import_is_refused_with_its_name_and_place_and_changes_nothing() {
    let mut data = Dataset::new();
    let good = import_file(
        &mut data,
        0,
        "good.json",
        fixture("graph-page1.json").into_bytes(),
        &mut |_, _| {},
    );
    assert_eq!(good.error, None);
    let before = data.evidence.len();
    let bad = import_file(
        &mut data,
        1,
        "bad.json",
        b"{\"value\": [{\"id\": }]}".to_vec(),
        &mut |_, _| {},
    );
    let error = bad.error.unwrap();
    assert!(error.contains("bad.json"), "{error}");
    assert!(error.contains("line 1"), "{error}");
    assert_eq!(data.evidence.len(), before);
}

#[test]
fn a_stray_byte_is_replaced_and_said_in_a_warning() {
    let mut text = fixture("graph-page1.json").into_bytes();
    let at = text.windows(9).position(|w| w == b"Malicious").unwrap();
    text[at] = 0xff;
    let result = import_file(&mut Dataset::new(), 0, "stray.json", text, &mut |_, _| {});
    assert_eq!(result.error, None);
    let warning = result.warning.unwrap();
    assert!(
        warning.starts_with("`stray.json`: bytes that are not UTF-8"),
        "{warning}"
    );
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    assert_eq!(refusal_by_size(0, "small.json", 1 << 20), None);
    let refused = refusal_by_size(3, "huge.json", 2 << 30).unwrap();
    assert_eq!(refused.index, 3);
    assert!(refused.error.unwrap().contains("huge.json"));
}

#[test]
fn both_messages_read_back_as_they_were_written() {
    let job = ToWorker::Load {
        files: vec![
            FileRef {
                name: "a.json".into(),
                handle: 0,
            },
            FileRef {
                name: "a.json".into(),
                handle: 1,
            },
        ],
        base: Some(2),
    };
    assert_eq!(decode::<ToWorker>(&encode(&job).unwrap()).unwrap(), job);
    let progress = FromWorker::Progress(LoadProgress {
        file: "a.json".into(),
        index: 1,
        count: 2,
        phase: Phase::Parsing,
        bytes: 1 << 33,
        total: 1 << 34,
        evidence: 12,
    });
    assert_eq!(
        decode::<FromWorker>(&encode(&progress).unwrap()).unwrap(),
        progress
    );
    let done = FromWorker::Done {
        files: vec![FileResult::refused(0, "a.json", "`a.json`: no".into())],
        snapshot: 0,
        memory: 1 << 32,
    };
    assert_eq!(decode::<FromWorker>(&encode(&done).unwrap()).unwrap(), done);
}

#[test]
fn the_failure_web_worker_js_writes_by_hand_reads_as_one() {
    // web/worker.js posts this when the module itself cannot start, before any Rust runs.
    let text = r#"{"failed":{"message":"Failed to fetch"}}"#;
    assert_eq!(
        decode::<FromWorker>(text).unwrap(),
        FromWorker::Failed {
            message: "Failed to fetch".into()
        }
    );
}

#[test]
fn a_message_that_does_not_read_is_an_error_not_a_default() {
    let e = decode::<FromWorker>(r#"{"progress":{"file":"a.json"}}"#).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("a message from the other half could not be read"),
        "{e}"
    );
}

#[test]
fn the_progress_bar_only_moves_forward_through_a_load() {
    let at = |index, phase, bytes| LoadProgress {
        file: String::new(),
        index,
        count: 2,
        phase,
        bytes,
        total: 100,
        evidence: 0,
    };
    let steps = [
        LoadProgress::starting(2),
        at(0, Phase::Reading, 0),
        at(0, Phase::Reading, 100),
        at(0, Phase::Parsing, 50),
        at(1, Phase::Reading, 10),
        at(1, Phase::Parsing, 100),
        LoadProgress::preparing(2, 0, 2000),
        LoadProgress::preparing(2, 2000, 2000),
    ];
    let fractions: Vec<f64> = steps.iter().map(LoadProgress::fraction).collect();
    assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{fractions:?}");
    assert_eq!(fractions[0], 0.0);
    assert!((fractions[7] - 1.0).abs() < 1e-9);
}

#[test]
fn the_workers_answers_join_what_was_loaded_and_each_refusal_is_said() {
    let state = loaded(&["graph-page1.json"]);
    let (basis, _) = Basis::of(&state);
    let given: Vec<Export<Handle>> = ["x.json", "y.json", "z.json"]
        .iter()
        .map(|n| Export {
            name: (*n).into(),
            blob: format!("blob of {n}"),
        })
        .collect();
    let loaded = FileResult {
        index: 0,
        name: "x.json".into(),
        format: "Microsoft Graph security API export".into(),
        alerts: 3,
        evidence: 9,
        repeated_alerts: 2,
        warning: Some("`x.json`: bytes that are not UTF-8 text were replaced".into()),
        error: None,
    };
    let refused = FileResult::refused(
        1,
        "y.json",
        "`y.json`, line 3, column 4: expected value".into(),
    );
    let third = FileResult {
        index: 2,
        name: "z.json".into(),
        ..loaded.clone()
    };
    let joined = join_results(&basis, &given, &[loaded, refused, third]);
    assert!(joined.added_to(&basis));
    let names: Vec<&str> = joined.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["graph-page1.json", "x.json", "z.json"]);
    let blobs: Vec<&str> = joined.exports.iter().map(|e| e.blob.as_str()).collect();
    assert_eq!(
        blobs,
        [
            "blob of graph-page1.json",
            "blob of x.json",
            "blob of z.json"
        ]
    );
    let said: Vec<(NoticeKind, &str)> = joined
        .notices
        .iter()
        .map(|n| (n.kind, n.text.as_str()))
        .collect();
    assert_eq!(
        said[..3],
        [
            (
                NoticeKind::Info,
                "`x.json`: 2 alert(s) were loaded already and are skipped"
            ),
            (
                NoticeKind::Info,
                "`x.json`: bytes that are not UTF-8 text were replaced"
            ),
            (
                NoticeKind::Error,
                "`y.json`, line 3, column 4: expected value"
            ),
        ]
    );
    let none = join_results(
        &basis,
        &given,
        &[FileResult::refused(0, "x.json", "no".into())],
    );
    assert!(!none.added_to(&basis));
}
