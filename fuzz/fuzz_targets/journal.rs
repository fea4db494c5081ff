//! The journal parser on arbitrary bytes: entries or the line where the chain breaks, never a
//! panic; accepted entries written again read back the same (`airview_fuzz::journal`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| airview_fuzz::journal(bytes));
