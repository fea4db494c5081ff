//! The CSV importers (Action center history, AirActions.csv, AirLogs.csv) on arbitrary bytes:
//! never a panic, a refused file changes nothing, an accepted one decides and survives a round
//! trip through airview's file (`airview_fuzz::csv`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| airview_fuzz::csv(bytes));
