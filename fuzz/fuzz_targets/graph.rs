//! The Graph importer on arbitrary bytes: it must return a dataset or an error, never panic,
//! and a refused file must leave the dataset as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    airview_fuzz::check_import(bytes, &[airview_import::Format::Graph]);
});
