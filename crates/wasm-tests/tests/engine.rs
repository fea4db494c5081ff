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
fn the_center_starts_from_the_policys_decisions() {
    cases::center::the_center_starts_from_the_policys_decisions();
}

#[wasm_bindgen_test]
fn approving_takes_a_pending_action() {
    cases::center::approving_takes_a_pending_action();
}

#[wasm_bindgen_test]
fn rejecting_rejects_a_pending_action() {
    cases::center::rejecting_rejects_a_pending_action();
}

#[wasm_bindgen_test]
fn several_actions_of_one_type_are_decided_at_once() {
    cases::center::several_actions_of_one_type_are_decided_at_once();
}

#[wasm_bindgen_test]
fn mixed_action_types_are_refused() {
    cases::center::mixed_action_types_are_refused();
}

#[wasm_bindgen_test]
fn a_batch_is_all_or_nothing() {
    cases::center::a_batch_is_all_or_nothing();
}

#[wasm_bindgen_test]
fn pending_actions_time_out_after_seven_days() {
    cases::center::pending_actions_time_out_after_seven_days();
}

#[wasm_bindgen_test]
fn a_timed_out_action_cannot_be_approved_or_rejected() {
    cases::center::a_timed_out_action_cannot_be_approved_or_rejected();
}

#[wasm_bindgen_test]
fn only_pending_actions_are_approved_or_rejected() {
    cases::center::only_pending_actions_are_approved_or_rejected();
}

#[wasm_bindgen_test]
fn undo_reverses_a_completed_action() {
    cases::center::undo_reverses_a_completed_action();
}

#[wasm_bindgen_test]
fn undo_needs_an_administrator() {
    cases::center::undo_needs_an_administrator();
}

#[wasm_bindgen_test]
fn only_undoable_actions_are_undone() {
    cases::center::only_undoable_actions_are_undone();
}

#[wasm_bindgen_test]
fn only_completed_actions_are_undone() {
    cases::center::only_completed_actions_are_undone();
}

#[wasm_bindgen_test]
fn undo_across_instances_releases_the_same_file_everywhere() {
    cases::center::undo_across_instances_releases_the_same_file_everywhere();
}

#[wasm_bindgen_test]
fn a_cluster_approved_within_the_hour_is_a_duplicate() {
    cases::center::a_cluster_approved_within_the_hour_is_a_duplicate();
}

#[wasm_bindgen_test]
fn completed_email_actions_change_disposition() {
    cases::center::completed_email_actions_change_disposition();
}

#[wasm_bindgen_test]
fn only_email_actions_change_disposition() {
    cases::center::only_email_actions_change_disposition();
}

#[wasm_bindgen_test]
fn manual_actions_start_completed() {
    cases::center::manual_actions_start_completed();
}

#[wasm_bindgen_test]
fn only_manual_response_actions_can_be_added() {
    cases::center::only_manual_response_actions_can_be_added();
}

#[wasm_bindgen_test]
fn the_permissions_table() {
    cases::center::the_permissions_table();
}

#[wasm_bindgen_test]
fn unknown_ids_and_empty_selections_are_refused() {
    cases::center::unknown_ids_and_empty_selections_are_refused();
}

#[wasm_bindgen_test]
fn events_are_recorded_in_time_order() {
    cases::center::events_are_recorded_in_time_order();
}

#[wasm_bindgen_test]
fn a_new_policy_keeps_what_people_decided() {
    cases::center::a_new_policy_keeps_what_people_decided();
}

#[wasm_bindgen_test]
fn investigation_status_follows_its_actions() {
    cases::center::investigation_status_follows_its_actions();
}

#[wasm_bindgen_test]
fn the_view_and_the_history_exports() {
    cases::center::the_view_and_the_history_exports();
}

#[wasm_bindgen_test]
fn replay_gives_the_state_of_applying_one_by_one() {
    cases::center::replay_gives_the_state_of_applying_one_by_one();
}

#[wasm_bindgen_test]
fn the_journal_round_trips() {
    cases::journal::the_journal_round_trips();
}

#[wasm_bindgen_test]
fn an_edited_line_is_detected() {
    cases::journal::an_edited_line_is_detected();
}

#[wasm_bindgen_test]
fn removed_or_moved_lines_are_detected() {
    cases::journal::removed_or_moved_lines_are_detected();
}

#[wasm_bindgen_test]
fn a_truncated_journal_is_detected() {
    cases::journal::a_truncated_journal_is_detected();
}

#[wasm_bindgen_test]
fn lines_that_are_not_journal_lines_are_reported() {
    cases::journal::lines_that_are_not_journal_lines_are_reported();
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

#[wasm_bindgen_test]
fn check_agrees_with_apply() {
    cases::center::check_agrees_with_apply();
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
