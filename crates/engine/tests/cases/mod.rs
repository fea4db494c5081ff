//! Test cases shared by the native test run and the WebAssembly one (`crates/wasm-tests`):
//! plain functions that panic on failure, listed once in `shared_cases!`, which each runner
//! expands with its own test attribute.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

pub mod center;
pub mod center_fixture;
pub mod folders;
pub mod journal;
pub mod outcomes;
pub mod session;

/// Every shared case, listed once. `shared_cases!(test)` (natively) and
/// `shared_cases!(wasm_bindgen_test)` (as WebAssembly) each make one test per case, named
/// after it.
macro_rules! shared_cases {
    ($attribute:meta) => {
        shared_cases!(@each $attribute;
            outcomes::outcome_table_endpoint_rows,
            outcomes::outcome_table_rules_one_two_three_five,
            outcomes::artifacts_without_a_device_fall_in_the_default_group,
            outcomes::reasons_come_in_order_and_name_the_pattern,
            outcomes::the_alerts_only_device_is_used_when_evidence_names_none,
            folders::domain_folder_examples,
            center::the_center_starts_from_the_policys_decisions,
            center::approving_takes_a_pending_action,
            center::rejecting_rejects_a_pending_action,
            center::several_actions_of_one_type_are_decided_at_once,
            center::mixed_action_types_are_refused,
            center::a_batch_is_all_or_nothing,
            center::pending_actions_time_out_after_seven_days,
            center::a_timed_out_action_cannot_be_approved_or_rejected,
            center::only_pending_actions_are_approved_or_rejected,
            center::undo_reverses_a_completed_action,
            center::undo_needs_an_administrator,
            center::only_undoable_actions_are_undone,
            center::only_completed_actions_are_undone,
            center::undo_across_instances_releases_the_same_file_everywhere,
            center::a_cluster_approved_within_the_hour_is_a_duplicate,
            center::completed_email_actions_change_disposition,
            center::only_email_actions_change_disposition,
            center::manual_actions_start_completed,
            center::only_manual_response_actions_can_be_added,
            center::the_permissions_table,
            center::unknown_ids_and_empty_selections_are_refused,
            center::events_are_recorded_in_time_order,
            center::a_new_policy_keeps_what_people_decided,
            center::investigation_status_follows_its_actions,
            center::the_view_and_the_history_exports,
            center::replay_gives_the_state_of_applying_one_by_one,
            journal::the_journal_round_trips,
            journal::an_edited_line_is_detected,
            journal::removed_or_moved_lines_are_detected,
            journal::a_truncated_journal_is_detected,
            journal::lines_that_are_not_journal_lines_are_reported,
            center::check_agrees_with_apply,
            session::acts_append_to_the_journal_and_reopen_the_same,
            session::time_only_moves_forward,
            session::a_refused_act_changes_nothing,
            session::a_journal_that_does_not_fit_is_refused_with_its_line,
        );
    };
    (@each $attribute:meta; $($module:ident :: $case:ident,)*) => {
        $(
            #[$attribute]
            fn $case() {
                cases::$module::$case();
            }
        )*
    };
}
