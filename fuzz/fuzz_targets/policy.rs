//! The policy parser on arbitrary bytes: a policy or a list of errors, never a panic; an
//! accepted policy writes back to a file that parses to the same policy.
#![no_main]

use airview_engine::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    match Policy::parse_json(text) {
        Ok((policy, _warnings)) => {
            let Ok(text) = policy.to_json() else {
                panic!("an accepted policy does not serialise");
            };
            let again = Policy::parse_json(&text);
            assert!(
                matches!(&again, Ok((p, _)) if *p == policy),
                "a written policy reads back differently"
            );
        }
        Err(errors) => assert!(!errors.is_empty()),
    }
});
