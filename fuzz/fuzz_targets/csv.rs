//! The CSV importers (Action center history, AirActions.csv, AirLogs.csv) on arbitrary bytes: never a panic, a refused file changes nothing, an
//! accepted one decides and survives a round trip through airview's file.
#![no_main]

use airview_import::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    airview_fuzz::check_import(
        bytes,
        &[
            Format::ActionCenterCsv,
            Format::AirActionsCsv,
            Format::AirLogsCsv,
        ],
    );
});
