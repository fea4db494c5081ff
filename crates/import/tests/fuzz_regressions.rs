//! Every input a fuzz target once failed on, replayed from
//! `crates/import/tests/fuzz-regressions/` (its `README.md` says how one is added). A file's
//! name starts with its target (`graph-roundtrip-1.json` is the `graph` target's), and the
//! file goes through the very check that target runs (`fuzz/src/lib.rs`): no panic; a refused
//! file leaves the dataset as it was; an accepted one decides every evidence item and survives
//! a round trip through airview's file byte for byte. An importer target's input also goes
//! through every format and detection (`common::checks::survive`) and, as the target's
//! formats, into an empty dataset, which it must leave empty or consistent.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

/// The fuzz targets' checks, compiled here from the fuzz workspace's own source so that the
/// replay and the fuzzing check the same things.
#[path = "../../../fuzz/src/lib.rs"]
mod airview_fuzz;

use airview_engine::model::Dataset;
use airview_import::{load, Format};
use common::checks::{assert_consistent, survive};
use std::path::PathBuf;

/// The regression inputs, by file name, and the target each names.
fn regressions() -> Vec<(String, String, Vec<u8>)> {
    let dir: PathBuf = common::root().join("crates/import/tests/fuzz-regressions");
    let mut files: Vec<(String, String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_none_or(|e| e != "md"))
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            let target = name.split(['-', '.']).next().unwrap_or("").to_owned();
            assert!(
                airview_fuzz::TARGETS.contains(&target.as_str()),
                "{name}: a regression's name starts with its target, one of {:?}",
                airview_fuzz::TARGETS
            );
            (name, target, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The formats an importer target loads a file as; none for the parser targets.
fn formats(target: &str) -> &'static [Format] {
    match target {
        "graph" => &[Format::Graph],
        "mde" => &[
            Format::MdeAlerts,
            Format::MdeInvestigations,
            Format::MdeMachineActions,
        ],
        "csv" => &[
            Format::ActionCenterCsv,
            Format::AirActionsCsv,
            Format::AirLogsCsv,
        ],
        "airview_file" => &[Format::Airview],
        _ => &[],
    }
}

#[test]
fn every_regression_passes_its_targets_check() {
    let files = regressions();
    let names: Vec<&str> = files.iter().map(|(name, ..)| name.as_str()).collect();
    assert!(names.contains(&"graph-roundtrip-1.json"), "{names:?}");
    for (name, target, bytes) in &files {
        assert!(airview_fuzz::check(target, bytes), "{name}");
        let formats = formats(target);
        if formats.is_empty() {
            continue;
        }
        let text = std::str::from_utf8(bytes)
            .unwrap_or_else(|e| panic!("{name}: an importer's input is text: {e}"));
        survive(text);
        for &format in formats {
            let mut data = Dataset::new();
            match load(&mut data, name, text, Some(format)) {
                Ok(_) => assert_consistent(&data, text),
                Err(_) => assert!(
                    data.evidence.is_empty() && data.alerts.is_empty(),
                    "{name} as {format:?}"
                ),
            }
        }
    }
}
