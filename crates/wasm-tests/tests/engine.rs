//! The engine's shared cases as WebAssembly, run by wasm-bindgen-test-runner in Node.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

#[path = "../../engine/tests/cases/mod.rs"]
#[macro_use]
mod cases;

use wasm_bindgen_test::wasm_bindgen_test;

shared_cases!(wasm_bindgen_test);

#[wasm_bindgen_test]
fn a_generated_export_imports_and_evaluates() {
    let text = airview_import::generate::generate_string(30, 3);
    let mut data = airview_engine::Dataset::new();
    let report = airview_import::load(&mut data, "gen.json", &text, None).unwrap();
    assert_eq!(report.alerts, 30);
    let decisions = airview_engine::evaluate(&data, &airview_engine::Policy::default());
    assert_eq!(decisions.len(), data.evidence.len());
}

#[wasm_bindgen_test]
fn a_snapshot_decodes_to_the_dataset_in_steps() {
    use airview_engine::snapshot::{decode, encode, Decoder};
    let text = airview_import::generate::generate_string(200, 5);
    let mut data = airview_engine::Dataset::new();
    airview_import::load(&mut data, "gen.json", &text, None).unwrap();
    let bytes = encode(&data);
    assert!(decode(&bytes).unwrap() == data);
    let mut decoder = Decoder::new(&bytes[..]).unwrap();
    let again = loop {
        if let Some(d) = decoder.step(7).unwrap() {
            break d;
        }
    };
    assert!(again == data);
    assert!(decode(&bytes[..bytes.len() - 1]).is_err());
}
