//! The journal parser on arbitrary bytes: entries or the line where the chain breaks, never a
//! panic; accepted entries written again read back the same.
#![no_main]

use airview_engine::Journal;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    match Journal::read(bytes) {
        Ok(journal) => {
            let again = Journal::parse(&Journal::write(&journal.entries));
            assert!(
                matches!(&again, Ok(e) if *e == journal.entries),
                "a written journal reads back differently"
            );
        }
        Err(e) => assert!(e.line >= 1),
    }
});
