//! The shared cases, run natively.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "test code: a panic is a failed test")]

mod cases;

#[test]
fn outcome_table_endpoint_rows() {
    cases::outcomes::outcome_table_endpoint_rows();
}

#[test]
fn outcome_table_rules_one_two_three_five() {
    cases::outcomes::outcome_table_rules_one_two_three_five();
}

#[test]
fn artifacts_without_a_device_fall_in_the_default_group() {
    cases::outcomes::artifacts_without_a_device_fall_in_the_default_group();
}

#[test]
fn reasons_come_in_order_and_name_the_pattern() {
    cases::outcomes::reasons_come_in_order_and_name_the_pattern();
}

#[test]
fn the_alerts_only_device_is_used_when_evidence_names_none() {
    cases::outcomes::the_alerts_only_device_is_used_when_evidence_names_none();
}

#[test]
fn domain_folder_examples() {
    cases::folders::domain_folder_examples();
}
