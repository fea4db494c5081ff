//! The engine's shared cases as WebAssembly, run by wasm-bindgen-test-runner in Node.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

#[path = "../../engine/tests/cases/mod.rs"]
mod cases;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn outcome_table_endpoint_rows() {
    cases::outcomes::outcome_table_endpoint_rows();
}

#[wasm_bindgen_test]
fn outcome_table_rules_one_two_three_five() {
    cases::outcomes::outcome_table_rules_one_two_three_five();
}

#[wasm_bindgen_test]
fn artifacts_without_a_device_fall_in_the_default_group() {
    cases::outcomes::artifacts_without_a_device_fall_in_the_default_group();
}

#[wasm_bindgen_test]
fn reasons_come_in_order_and_name_the_pattern() {
    cases::outcomes::reasons_come_in_order_and_name_the_pattern();
}

#[wasm_bindgen_test]
fn the_alerts_only_device_is_used_when_evidence_names_none() {
    cases::outcomes::the_alerts_only_device_is_used_when_evidence_names_none();
}

#[wasm_bindgen_test]
fn domain_folder_examples() {
    cases::folders::domain_folder_examples();
}

#[wasm_bindgen_test]
fn a_generated_export_imports_and_evaluates() {
    let text = airview_import::generate::generate_string(30, 3);
    let mut data = airview_engine::Dataset::new();
    let report = airview_import::load(&mut data, "gen.json", &text, None).unwrap();
    assert_eq!(report.alerts, 30);
    let decisions = airview_engine::evaluate(&data, &airview_engine::Policy::default());
    assert_eq!(decisions.len(), data.evidence.len());
}
