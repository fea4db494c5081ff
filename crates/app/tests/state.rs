//! The app's reducer, natively: the sample, acts dated by the session, refusals, the clock,
//! loads that land while the analyst acts, and saving.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

mod common;

use airview_app::{Basis, Msg, NoticeKind, SaveState, Stored};
use airview_engine::{Event, Timestamp};
use common::*;

#[test]
fn the_app_boots_on_the_sample_moved_to_an_hour_before_now() {
    let state = booted();
    assert!(state.ready);
    assert_eq!(state.files.len(), 1);
    assert_eq!(state.files[0].name, airview_app::sample::SAMPLE_NAME);
    assert!(state.files[0].evidence > 0);
    assert_eq!(state.data().newest(), Some(Timestamp(NOW.0 - 3_600_000)));
    assert!(!state.rows.pending.is_empty(), "this week's actions wait");
    assert!(state
        .notices
        .iter()
        .any(|n| n.text.starts_with("showing the sample")));
    // The sample is shown under its own policy, not the default one.
    assert_ne!(
        state.policy().to_file(),
        airview_engine::Policy::default().to_file()
    );
}

#[test]
fn an_approval_is_journalled_and_the_lists_follow() {
    let state = booted();
    let ids = pending_ids(&state, 1);
    let next = reduced(
        &state,
        Msg::Act {
            event: Event::Approve { ids: ids.clone() },
            comment: Some("looks right".into()),
            at: NOW,
        },
    );
    assert_eq!(next.rows.pending.len(), state.rows.pending.len() - 1);
    assert_eq!(next.journal_rev, state.journal_rev + 1);
    let entries = &next.session.journal().entries;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].comment.as_deref(), Some("looks right"));
    assert_eq!(entries[0].actor, state.actor);
    assert!(next.session.journal_text().ends_with('\n'));
    // The state it came from is unchanged: the reducer is a function.
    assert!(state.session.journal().entries.is_empty());
}

#[test]
fn an_act_on_a_clock_behind_the_last_event_is_dated_at_the_last_event() {
    let state = booted();
    let ids = pending_ids(&state, 2);
    let later = Timestamp(NOW.0 + 60_000);
    let first = reduced(
        &state,
        Msg::Act {
            event: Event::Approve {
                ids: vec![ids[0].clone()],
            },
            comment: None,
            at: later,
        },
    );
    // The clock went back a minute (another time zone, a corrected clock).
    let second = reduced(
        &first,
        Msg::Act {
            event: Event::Reject {
                ids: vec![ids[1].clone()],
            },
            comment: None,
            at: NOW,
        },
    );
    let entries = &second.session.journal().entries;
    assert_eq!(entries.len(), 2, "{:?}", second.notices);
    assert_eq!(entries[1].at, later);
}

#[test]
fn a_refused_act_changes_nothing_and_says_why() {
    let state = booted();
    let next = reduced(
        &state,
        Msg::Act {
            event: Event::Approve {
                ids: vec!["no-such-action".into()],
            },
            comment: None,
            at: NOW,
        },
    );
    assert_eq!(next.journal_rev, state.journal_rev);
    assert!(next.session.journal().entries.is_empty());
    let last = next.notices.last().unwrap();
    assert_eq!(last.kind, NoticeKind::Error);
    assert!(last.text.starts_with("refused: "), "{}", last.text);
}

#[test]
fn check_gives_the_engines_reason_without_acting() {
    let state = booted();
    let view = |id: &str| state.center().action(id).unwrap();
    let first = pending_ids(&state, 1).remove(0);
    let other = pending_ids(&state, state.rows.pending.len())
        .into_iter()
        .find(|id| view(id).action != view(&first).action)
        .unwrap();
    assert_eq!(
        state.check(
            Event::Approve {
                ids: vec![first.clone()]
            },
            NOW
        ),
        Ok(())
    );
    let mixed = state.check(
        Event::Approve {
            ids: vec![first, other],
        },
        NOW,
    );
    assert!(mixed
        .unwrap_err()
        .contains("different types cannot be handled together"),);
    assert!(state.session.journal().entries.is_empty());
}

#[test]
fn the_clock_moves_forward_only_and_time_outs_reach_the_lists() {
    let state = booted();
    assert!(state.reduce(Msg::Tick { now: NOW }).is_none());
    assert!(state
        .reduce(Msg::Tick {
            now: Timestamp(NOW.0 - 1)
        })
        .is_none());
    // A minute later nothing times out: the lists are the same lists.
    let minute = reduced(
        &state,
        Msg::Tick {
            now: Timestamp(NOW.0 + 60_000),
        },
    );
    assert_eq!(minute.session.now(), Timestamp(NOW.0 + 60_000));
    assert!(std::rc::Rc::ptr_eq(&minute.rows, &state.rows));
    // Eight days later every action pending now has timed out.
    let week = reduced(
        &minute,
        Msg::Tick {
            now: Timestamp(NOW.0 + 8 * DAY_MS),
        },
    );
    assert!(week.rows.pending.is_empty());
    assert!(week.rows.history.len() > minute.rows.history.len());
}

#[test]
fn a_boot_with_a_broken_journal_sets_it_aside_for_export() {
    let stored = Stored {
        journal: "{\"not\": \"a journal line\"}\n".into(),
        ..Stored::default()
    };
    let state = reduced(&State::new(NOW), Msg::Boot { stored, now: NOW });
    let notice = state
        .notices
        .iter()
        .find(|n| n.text.starts_with("the saved journal is broken"))
        .expect("the journal is reported");
    assert_eq!(notice.kind, NoticeKind::Error);
    let (file, content) = notice.rescue.clone().unwrap();
    assert_eq!(file, "airview-journal-broken.jsonl");
    assert_eq!(content, "{\"not\": \"a journal line\"}\n");
    assert!(state.session.journal().entries.is_empty());
    assert!(state.ready);
}

#[test]
fn a_boot_keeps_the_stored_identity_and_sample_shift() {
    let actor = airview_engine::Actor::new("Dana", &[airview_engine::Role::SecurityReader]);
    let stored = Stored {
        identity: Some(actor.clone()),
        sample_shift: Some(-5 * DAY_MS),
        ..Stored::default()
    };
    let state = reduced(&State::new(NOW), Msg::Boot { stored, now: NOW });
    assert_eq!(state.actor, actor);
    assert_eq!(state.sample_shift, Some(-5 * DAY_MS));
}

#[test]
fn loaded_files_replace_the_sample_and_its_notice() {
    let state = loaded(&["graph-page1.json"]);
    assert_eq!(state.sample_shift, None);
    assert_eq!(state.files.len(), 1);
    assert_eq!(state.files[0].name, "graph-page1.json");
    assert_eq!(state.exports[0].blob, "blob of graph-page1.json");
    assert_eq!(state.snapshot.as_deref(), Some("snapshot"));
    assert!(state
        .notices
        .iter()
        .all(|n| !n.text.starts_with("showing the sample")));
    assert!(state
        .notices
        .iter()
        .any(|n| n.text == "your files replace the sample investigations"));
}

#[test]
fn a_load_that_lands_after_an_act_replays_the_newer_journal() {
    let state = loaded(&["graph-page1.json"]);
    let (basis, base) = Basis::of(&state);
    assert_eq!(base.as_deref(), Some("snapshot"));
    assert!(!basis.replacing_sample);
    // The analyst acts while the second file loads.
    let ids = pending_ids(&state, 1);
    let acted = reduced(
        &state,
        Msg::Act {
            event: Event::Approve { ids: ids.clone() },
            comment: None,
            at: NOW,
        },
    );
    let more = load(
        &basis,
        &[("mde-alerts.json", fixture("mde-alerts.json"))],
        NOW,
    );
    assert!(
        more.session.journal().entries.is_empty(),
        "the load replays the journal it started with"
    );
    let next = reduced(
        &acted,
        Msg::Loaded {
            loaded: Box::new(more),
            now: NOW,
        },
    );
    assert_eq!(next.files.len(), 2);
    assert_eq!(next.session.journal().entries.len(), 1);
    assert_eq!(
        next.center().status(&ids[0]),
        acted.center().status(&ids[0])
    );
    assert!(
        next.notices.iter().all(|n| n.kind != NoticeKind::Error),
        "{:?}",
        next.notices
    );
}

#[test]
fn start_over_forgets_the_files_and_the_journal() {
    let state = loaded(&["graph-page1.json"]);
    let ids = pending_ids(&state, 1);
    let acted = reduced(
        &state,
        Msg::Act {
            event: Event::Approve { ids },
            comment: None,
            at: NOW,
        },
    );
    let fresh = reduced(&acted, Msg::StartOver { now: NOW });
    assert!(fresh.sample_shift.is_some());
    assert!(fresh.exports.is_empty());
    assert!(fresh.session.journal().entries.is_empty());
    assert_eq!(
        fresh.notices.len(),
        1,
        "only the sample's notice: {:?}",
        fresh.notices
    );
}

#[test]
fn notices_are_not_repeated_and_can_be_dismissed() {
    let state = booted();
    let n = state.notices.len();
    let notice = airview_app::Notice::error("the disk is full");
    let once = reduced(&state, Msg::Notify(notice.clone()));
    assert!(once.reduce(Msg::Notify(notice)).is_none());
    assert_eq!(once.notices.len(), n + 1);
    let dismissed = reduced(&once, Msg::Dismiss(n));
    assert_eq!(dismissed.notices, state.notices);
    assert!(dismissed.reduce(Msg::Dismiss(n)).is_none());
}

#[test]
fn the_header_says_saving_until_storage_holds_the_journal() {
    let state = booted();
    assert_eq!(state.save_state(), SaveState::Saving);
    let saved = reduced(
        &state,
        Msg::Saved {
            journal_rev: state.journal_rev,
            ok: true,
        },
    );
    assert_eq!(saved.save_state(), SaveState::Saved);
    let failed = reduced(
        &saved,
        Msg::Saved {
            journal_rev: saved.journal_rev,
            ok: false,
        },
    );
    assert_eq!(failed.save_state().slug(), "failed");
}

#[test]
fn revert_applies_the_policy_before_the_current_one() {
    let state = booted();
    assert_eq!(state.previous_policy(), None);
    let base = state.policy_file();
    let mut full = base.clone();
    full.default_level = "full".into();
    let mut none = base.clone();
    none.default_level = "no_automated_response".into();
    let apply = |s: &State, policy: &airview_engine::PolicyFile| {
        reduced(
            s,
            Msg::Act {
                event: Event::ApplyPolicy {
                    policy: policy.clone(),
                },
                comment: None,
                at: NOW,
            },
        )
    };
    let once = apply(&state, &full);
    assert_eq!(once.policies_applied(), 1);
    assert_eq!(once.previous_policy(), Some(base));
    let twice = apply(&once, &none);
    assert_eq!(twice.policies_applied(), 2);
    assert_eq!(twice.previous_policy(), Some(once.policy_file()));
    assert_eq!(twice.base_policy().to_file(), state.policy_file());
}
