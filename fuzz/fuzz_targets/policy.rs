//! The policy parser on arbitrary bytes: a policy or a list of errors, never a panic; an
//! accepted policy writes back to a file that parses to the same policy (`airview_fuzz::policy`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| airview_fuzz::policy(bytes));
