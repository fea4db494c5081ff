//! Property tests of the action center over random event sequences: no action is ever both
//! taken and rejected, replaying the journal equals applying the events one by one, a refused
//! event changes nothing, the journal round-trips, and a tampered journal is always detected.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a panic is a failed test"
)]

#[path = "cases/center_fixture.rs"]
mod fixture;

use airview_engine::center::{AUTOMATION, SYSTEM};
use airview_engine::time::MINUTE_MS;
use airview_engine::{
    ActionType, Actor, AutomationLevel, Center, Disposition, Entry, Event, Journal, Role, Timestamp,
};
use fixture::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Ids the events pick from: every action, manual ids that may or may not exist yet, and
/// ids of no action.
fn id_pool() -> Vec<String> {
    let mut pool: Vec<String> = ACTION_IDS.iter().map(|s| (*s).to_owned()).collect();
    pool.extend(["manual/1", "manual/2", "a1/0", "a5/0", "zz/1"].map(str::to_owned));
    pool
}

fn actor() -> impl Strategy<Value = Actor> {
    // Mostly capable actors, so that sequences get somewhere; sometimes anyone.
    prop_oneof![
        3 => Just(Actor::new("morgan", &[Role::SecurityAdministrator, Role::SearchAndPurge])),
        1 => prop::sample::subsequence(Role::ALL.to_vec(), 0..=Role::ALL.len())
            .prop_map(|roles| Actor::new("sam", &roles)),
    ]
}

/// The fixture's actions grouped by action type (under `full`), and the manual ids.
const SAME_TYPE: &[&[&str]] = &[
    &["a1/1", "a1/3", "a2/1", "a2/4", "a7/0"],
    &["a1/2", "a1/4"],
    &["a3/0", "a4/0", "a4/1"],
    &["a2/2"],
    &["a2/3"],
    &["a3/1"],
    &["a3/2"],
    &["a4/2"],
    &["a8/0"],
    &["manual/1", "manual/2"],
];

/// Mostly one to three actions of one type from `groups`, so that events get somewhere;
/// sometimes any ids at all, including none and unknown ones.
fn selection(groups: &'static [&'static [&'static str]]) -> impl Strategy<Value = Vec<String>> {
    let same_type = prop::sample::select(groups.to_vec()).prop_flat_map(|group| {
        prop::sample::subsequence(group.to_vec(), 1..=group.len().min(3))
            .prop_shuffle()
            .prop_map(|ids| ids.into_iter().map(str::to_owned).collect::<Vec<_>>())
    });
    prop_oneof![
        6 => same_type,
        1 => prop::sample::subsequence(id_pool(), 0..=3).prop_shuffle(),
    ]
}

/// The groups of undoable actions, and of email actions.
const UNDOABLE: &[&[&str]] = &[
    &["a1/1", "a1/3", "a2/1", "a2/4", "a7/0"],
    &["a2/2"],
    &["a2/3"],
    &["a8/0"],
    &["manual/1", "manual/2"],
];
const EMAIL: &[&[&str]] = &[&["a3/0", "a4/0", "a4/1"], &["a3/1"]];

fn event() -> impl Strategy<Value = Event> {
    let level = prop::sample::select(AutomationLevel::ALL.to_vec());
    prop_oneof![
        4 => selection(SAME_TYPE).prop_map(|ids| Event::Approve { ids }),
        3 => selection(SAME_TYPE).prop_map(|ids| Event::Reject { ids }),
        3 => (selection(UNDOABLE), any::<bool>()).prop_map(|(ids, all_instances)| Event::Undo { ids, all_instances }),
        2 => (selection(EMAIL), prop::sample::select(Disposition::ALL.to_vec()))
            .prop_map(|(ids, disposition)| Event::ChangeDisposition { ids, disposition }),
        1 => (prop::sample::select(vec![ActionType::IsolateDevice, ActionType::ContainUser, ActionType::RunAntivirusScan, ActionType::KillProcess]), prop::sample::select(vec!["pc-1", "dev2", "eve@contoso.com", ""]))
            .prop_map(|(action, entity)| Event::AddManualAction { action, entity: entity.to_owned(), device: None }),
        1 => (level, any::<bool>()).prop_map(|(level, valid)| {
            let mut file = policy(level).to_file();
            if !valid {
                file.default_level = "sometimes".into();
            }
            Event::ApplyPolicy { policy: file }
        }),
    ]
}

/// Entries whose times mostly move forward, by minutes or by days, and sometimes back.
fn entries() -> impl Strategy<Value = Vec<Entry>> {
    prop::collection::vec(
        (
            prop_oneof![6 => 0i64..120, 2 => 0i64..(3 * 24 * 60), 1 => -60i64..0],
            actor(),
            event(),
            prop::option::of("[a-z =+,\"]{0,8}"),
        ),
        0..14,
    )
    .prop_map(|steps| {
        let mut minutes = 0;
        steps
            .into_iter()
            .map(|(step, actor, event, comment)| {
                minutes += step;
                Entry {
                    at: Timestamp(T0.0 + minutes * MINUTE_MS),
                    actor,
                    event,
                    comment,
                }
            })
            .collect()
    })
}

fn base(level: AutomationLevel) -> Center {
    Center::new(dataset(), policy(level), T0)
}

/// Applies entries one by one: the accepted ones, and every state along the way.
fn run(base: &Center, entries: &[Entry]) -> (Vec<Entry>, Vec<Center>) {
    let mut accepted = Vec::new();
    let mut states = vec![base.clone()];
    for e in entries {
        let current = states.last().unwrap();
        if let Ok(next) = current.apply(e) {
            accepted.push(e.clone());
            states.push(next);
        }
    }
    (accepted, states)
}

/// Marks what each action has been so far; fails when one was both taken and rejected.
fn record(center: &Center, seen: &mut BTreeMap<String, (bool, bool)>) -> Result<(), TestCaseError> {
    for a in center.actions() {
        let slot = seen.entry(a.id.clone()).or_default();
        slot.0 |= a.status.is_taken();
        slot.1 |= a.status.is_rejected();
        prop_assert!(
            !(slot.0 && slot.1),
            "`{}` was both taken and rejected; now {:?}",
            a.id,
            a
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_action_is_ever_both_taken_and_rejected(level in prop::sample::select(AutomationLevel::ALL.to_vec()), entries in entries()) {
        let mut center = base(level);
        // For each action: (seen taken, seen rejected).
        let mut seen: BTreeMap<String, (bool, bool)> = BTreeMap::new();
        record(&center, &mut seen)?;
        for e in &entries {
            let Ok(next) = center.apply(e) else { continue };
            if matches!(e.event, Event::ApplyPolicy { .. }) {
                // A new policy decides again every action nobody decided: what Automation
                // took or the time-out rejected under the old policy starts afresh.
                for a in next.actions() {
                    let by = a.decided_by.as_deref();
                    if by.is_none() || by == Some(AUTOMATION) || by == Some(SYSTEM) {
                        seen.remove(&a.id);
                    }
                }
            }
            center = next;
            record(&center, &mut seen)?;
        }
    }

    #[test]
    fn replay_equals_applying_one_by_one(level in prop::sample::select(AutomationLevel::ALL.to_vec()), entries in entries()) {
        let base = base(level);
        let (accepted, states) = run(&base, &entries);
        let last = states.last().unwrap();
        prop_assert_eq!(&Center::replay(&base, &accepted).unwrap(), last);
        prop_assert_eq!(Center::replay(&base, &accepted).unwrap().view(), last.view());
    }

    #[test]
    fn a_refused_event_changes_nothing(level in prop::sample::select(AutomationLevel::ALL.to_vec()), entries in entries()) {
        let base = base(level);
        let mut center = base.clone();
        let mut accepted = Vec::new();
        for e in &entries {
            let before = center.clone();
            let view = center.view();
            match center.apply(e) {
                Ok(next) => {
                    accepted.push(e.clone());
                    center = next;
                }
                Err(err) => {
                    prop_assert_eq!(&center, &before);
                    prop_assert_eq!(center.view(), view);
                    // Replayed from a journal, the refusal is reported at its line.
                    let mut with = accepted.clone();
                    with.push(e.clone());
                    let (line, again) = Center::replay(&base, &with).unwrap_err();
                    prop_assert_eq!(line, with.len());
                    prop_assert_eq!(again, err);
                }
            }
        }
    }

    #[test]
    fn the_journal_round_trips(level in prop::sample::select(AutomationLevel::ALL.to_vec()), entries in entries()) {
        let base = base(level);
        let (accepted, states) = run(&base, &entries);
        let text = Journal::write(&accepted);
        let back = Journal::parse(&text).unwrap();
        prop_assert_eq!(&back, &accepted);
        prop_assert_eq!(&Center::replay(&base, &back).unwrap(), states.last().unwrap());
    }

    #[test]
    fn a_changed_byte_is_always_detected(entries in entries(), pick in any::<prop::sample::Index>(), flip in 1u8..=255) {
        // The journal does not check events against a center: any entries will do.
        prop_assume!(!entries.is_empty());
        let text = Journal::write(&entries);
        let mut bytes = text.into_bytes();
        let i = pick.index(bytes.len());
        bytes[i] ^= flip;
        prop_assert!(Journal::read(&bytes).is_err(), "byte {} changed and not detected", i);
    }

    #[test]
    fn a_line_removed_from_the_start_or_the_middle_is_detected(entries in entries(), pick in any::<prop::sample::Index>()) {
        prop_assume!(entries.len() >= 2);
        let text = Journal::write(&entries);
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        let removed = pick.index(lines.len() - 1);
        lines.remove(removed);
        let err = Journal::read(lines.concat().as_bytes()).unwrap_err();
        prop_assert_eq!(err.line, removed + 1);
    }
}
